/**
 * The text of the results files: Table 4.1 (Markdown and CSV), the loss curves (CSV and JSON),
 * the captured expected alignments (JSON), and the γ sweep's summary (CSV files and a Markdown
 * README). Pure functions from results to `{ file name: text }`; tools/reproduce.ts writes them
 * (atomically). One CSV writer ({@linkcode csvText}) serves every table.
 *
 * The text depends only on the results (no dates, wall times or machine paths), so re-writing
 * the same results gives byte-identical files and `git status` stays clean.
 *
 * Used by `deno task reproduce` (tools/reproduce.ts) for the files that
 * notebooks/04_strong_vs_soft_training.ipynb and notebooks/05_gamma_sweep.ipynb summarize.
 *
 * @example
 * ```ts
 * import { csvText } from "./tables.ts";
 * csvText([["name", "f1"], ["BCE, strong", 0.783]]); // 'name,f1\n"BCE, strong",0.783\n'
 * ```
 *
 * @module
 */
import type { Segment } from "../chords/data/dataset.ts";
import type { ExperimentResult } from "./experiment.ts";
import type { Table41Entry } from "./report.ts";
import type { GammaSweep } from "./sweep.ts";
import { sharpnessAt } from "./sharpness.ts";

/**
 * CSV text of rows (RFC 4180): strings with a comma, quote or line break are quoted, numbers
 * are written as JavaScript prints them, NaN as an empty field; one line per row, `\n` ends.
 *
 * @example
 * ```ts
 * import { csvText } from "./tables.ts";
 * csvText([["a", NaN, 1.5]]); // "a,,1.5\n"
 * ```
 */
export function csvText(rows: readonly (readonly (string | number)[])[]): string {
  const field = (v: string | number) => {
    if (typeof v === "number") return Number.isNaN(v) ? "" : String(v);
    return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  };
  return rows.map((r) => r.map(field).join(",")).join("\n") + "\n";
}

/** A configuration of Table 4.1 with its experiment result. */
export interface Table41Row {
  /** The configuration (report.ts). */
  entry: Table41Entry;
  /** Its experiment result. */
  result: ExperimentResult;
}

function pct(x: number): string {
  return Number.isNaN(x) ? "–" : (100 * x).toFixed(1);
}

/**
 * The rows of Table 4.1 as plain records (numbers in percent, one decimal as the report; "–" for
 * the standard deviation of a single run).
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (Table 4.1).
 *
 * @example
 * ```ts
 * import { table41Records } from "./tables.ts";
 * table41Records([]); // []
 * ```
 */
export function table41Records(rows: readonly Table41Row[]): Record<string, string>[] {
  return rows.map(({ entry, result }) => {
    const s = result.summary;
    return {
      configuration: entry.label,
      "report F1": entry.reportF1.toFixed(1),
      "our F1, run 1": pct(result.results[0].f1),
      "our F1, mean": pct(s.f1.mean),
      "std": pct(s.f1.std),
      "min–max": `${pct(s.f1.min)}–${pct(s.f1.max)}`,
      "runs": String(result.runs),
      "best epochs": s.bestEpochs.join(" "),
    };
  });
}

/**
 * The files of Table 4.1: `table_4_1.md`, `table_4_1.csv`, `loss_curves.csv`,
 * `loss_curves.json` and `alignments.json` (the expected alignments of the followed segment in
 * run 1 of every soft-DTW configuration, with the segment's labels from `train`).
 *
 * @example
 * ```ts
 * import { table41Files } from "./tables.ts";
 * Object.keys(table41Files([], { train: [] })).length; // 5
 * ```
 */
export function table41Files(
  rows: readonly Table41Row[],
  data: { train: readonly Segment[] },
): Record<string, string> {
  const records = table41Records(rows);
  const cols = Object.keys(records[0] ?? {});
  const md = [
    "# Table 4.1 reproduced: test F1 (%) on the Let It Be excerpt (bars 1-4)",
    "",
    "Written by `deno task reproduce` (tools/reproduce.ts); the report's values are its",
    "published numbers. Run 1 is the report's procedure (θ = 0, binary triad templates); runs",
    `2..${rows[0]?.result.runs ?? 1} start from templates with seeded Gaussian noise (σ = ` +
    `${rows[0]?.result.perturbation}, seed = run index), our addition so that the spread means`,
    "something (the procedure itself is deterministic). std is the sample standard deviation.",
    "Best epoch: the epoch (from 1) with the lowest validation loss, whose weights were tested.",
    "",
    `| ${cols.join(" | ")} |`,
    `| ${cols.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...records.map((r) => `| ${cols.map((c) => r[c]).join(" | ")} |`),
    "",
  ].join("\n");
  const curveRows: (string | number)[][] = [
    ["configuration", "run", "epoch", "train_loss", "validation_loss"],
  ];
  const curves: Record<string, { train: number[]; validation: number[] }[]> = {};
  for (const { entry, result } of rows) {
    curves[entry.name] = result.results.map((r) => ({
      train: r.trainLoss,
      validation: r.validationLoss,
    }));
    for (const r of result.results) {
      r.trainLoss.forEach((t, i) =>
        curveRows.push([entry.name, r.run, i + 1, t, r.validationLoss[i]])
      );
    }
  }
  const alignments = rows.filter(({ result }) => result.alignment !== null).map((
    { entry, result },
  ) => ({
    configuration: entry.name,
    softLength: result.config.softLength,
    padding: result.config.padding,
    gamma: result.config.gamma,
    segment: result.alignment,
    labels: data.train[result.alignment!.segment].labels,
    run: 1,
    alignments: result.results[0].alignments,
  }));
  return {
    "table_4_1.md": md,
    "table_4_1.csv": csvText([cols, ...records.map((r) => cols.map((c) => r[c]))]),
    "loss_curves.csv": csvText(curveRows),
    "loss_curves.json": JSON.stringify(curves) + "\n",
    "alignments.json": JSON.stringify(alignments) + "\n",
  };
}

/**
 * The files of the γ sweep: `summary.csv` (per γ: runs, test F1 mean/std/min/max, best epochs,
 * whether run 1 of the experiment matches the sharpness run, sharpness at the figure epochs and
 * the last epoch), `sharpness.csv` (γ, epoch, entropy, band mass with tolerance 0 and 1),
 * `curves.csv` (γ, epoch, training and validation loss of run 1) and `README.md` (the summary as
 * a Markdown table, with the setup).
 *
 * @example
 * ```ts
 * import { runGammaSweep } from "./sweep.ts";
 * import { sweepFiles } from "./tables.ts";
 * Object.keys(sweepFiles(await runGammaSweep())); // ["summary.csv", "sharpness.csv", "curves.csv", "README.md"]
 * ```
 */
export function sweepFiles(sweep: GammaSweep): Record<string, string> {
  const last = sweep.epochs;
  const marks = [...sweep.figureEpochs, last].filter((e, i, a) => a.indexOf(e) === i);
  const header = [
    "gamma",
    "report_value",
    "runs",
    "f1_mean",
    "f1_std",
    "f1_min",
    "f1_max",
    "best_epochs",
    "run1_matches_experiment",
    ...marks.flatMap((e) => [`entropy_e${e}`, `band_mass_e${e}`, `band_mass_w1_e${e}`]),
  ];
  const rows = sweep.points.map((p) => [
    p.gamma,
    String(p.report),
    p.f1s.length,
    p.f1.mean,
    p.f1.std,
    p.f1.min,
    p.f1.max,
    p.bestEpochs.join(" "),
    p.run1Matches === null ? "" : String(p.run1Matches),
    ...marks.flatMap((e) => {
      const s = sharpnessAt(p, e);
      return s ? [s.entropy, s.bandMass, s.bandMass1] : [NaN, NaN, NaN];
    }),
  ]);
  const f = (v: number, d = 3) => (Number.isNaN(v) ? "–" : v.toFixed(d));
  const seg = sweep.segment;
  const md = [
    "# Soft-DTW temperature sweep (report Appendix C)",
    "",
    `Soft-DTW loss, soft length ${sweep.softLength}, ${sweep.padding} padding, ${sweep.epochs} ` +
    `epochs; test F1 of the weights with the lowest validation loss. Sharpness of the expected ` +
    `alignment of training segment ${seg.index} (${seg.song} #${seg.songIndex}) in run 1: mean ` +
    `row entropy / log(${sweep.softLength}) (0 = sharp, 1 = uniform) and the share of its mass ` +
    `inside the strong alignment (band ±0 columns). Data fingerprint ` +
    `${sweep.dataFingerprint.slice(0, 16)}. Written by \`deno task reproduce\` ` +
    "(lib/study/tables.ts).",
    "",
    `| γ | runs | F1 mean | F1 std | F1 min–max | best epochs | ${
      marks.map((e) => `entropy e${e} | band mass e${e}`).join(" | ")
    } |`,
    `|---|---|---|---|---|---|${marks.map(() => "---|---").join("|")}|`,
    ...sweep.points.map((p) =>
      `| ${p.gamma}${p.report ? " (report)" : ""} | ${p.f1s.length} | ${f(p.f1.mean)} | ${
        f(p.f1.std)
      } | ${f(p.f1.min)}–${f(p.f1.max)} | ${p.bestEpochs.join(", ")} | ${
        marks.map((e) => {
          const s = sharpnessAt(p, e);
          return s ? `${f(s.entropy)} | ${f(s.bandMass)}` : "– | –";
        }).join(" | ")
      } |`
    ),
    "",
  ].join("\n");
  return {
    "summary.csv": csvText([header, ...rows]),
    "sharpness.csv": csvText([
      ["gamma", "epoch", "entropy", "band_mass", "band_mass_w1"],
      ...sweep.points.flatMap((p) =>
        p.run1.sharpness.map((s) => [p.gamma, s.epoch, s.entropy, s.bandMass, s.bandMass1])
      ),
    ]),
    "curves.csv": csvText([
      ["gamma", "epoch", "train_loss", "validation_loss"],
      ...sweep.points.flatMap((p) =>
        p.run1.trainLoss.map((t, i) => [p.gamma, i + 1, t, p.run1.validationLoss[i]])
      ),
    ]),
    "README.md": md,
  };
}
