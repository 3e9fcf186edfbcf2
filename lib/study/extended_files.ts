/**
 * The text of the extended Table 4.1's result files (issue 12; the configurations and their
 * runner are in extended.ts): the table's records with the report's five rows first
 * ({@linkcode extendedRecords}), its Markdown, CSV and loss-curve files
 * ({@linkcode extendedTableFiles}), the training times ({@linkcode mergeTimings}), and the
 * files of the float64/tfjs engines' cross-check ({@linkcode crossCheckFiles}). Computes text
 * only; tools/reproduce.ts writes the files.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb and by `deno task reproduce`.
 *
 * @example
 * ```ts
 * import { crossCheckFiles } from "./extended_files.ts";
 * Object.keys(crossCheckFiles([])); // ["cross_check.md", "cross_check.json"]
 * ```
 *
 * @module
 */
import type { ExperimentResult } from "./experiment.ts";
import { csvText, type Table41Row } from "./tables.ts";
import type { ExtendedRow } from "./extended.ts";

function pct(x: number): string {
  return Number.isNaN(x) ? "–" : (100 * x).toFixed(1);
}

/** Mean training time per run (s), or NaN when unknown. */
function meanSeconds(result: ExperimentResult, timings: Record<string, number>, name: string) {
  const s = result.runSeconds;
  if (s && s.length > 0) return s.reduce((a, b) => a + b, 0) / s.length;
  return timings[name] ?? NaN;
}

/**
 * Training time per run (s, mean over the runs) of the experiments computed in this call, merged
 * into `previous` (the committed `timings.json` of the extended table; cached experiments keep
 * their earlier time). Wall times depend on the machine and its load; they are kept in this one
 * file so that the cache files do not change when the results do not.
 *
 * Used by `deno task reproduce` (the extended table's time column).
 *
 * @example
 * ```ts
 * import { mergeTimings } from "./extended_files.ts";
 * mergeTimings({ ctc: 9.5 }, []); // { ctc: 9.5 }
 * ```
 */
export function mergeTimings(
  previous: Record<string, number>,
  rows: readonly { name: string; result: ExperimentResult }[],
): Record<string, number> {
  const out = { ...previous };
  for (const { name, result } of rows) {
    const s = result.runSeconds;
    if (s && s.length > 0) {
      out[name] = Math.round(10 * s.reduce((a, b) => a + b, 0) / s.length) / 10;
    }
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}

/**
 * The rows of the extended Table 4.1 as plain records: the report's five configurations first
 * (with the report's F1 beside ours), then {@linkcode EXTENDED_TABLE}. F1 in percent; `correct
 * frames` is run 1's true positives on the 138-frame test excerpt; blank rate for CTC (run 1);
 * training time per run in seconds (from this call, else from `timings`).
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb (the extended table).
 *
 * @example
 * ```ts
 * import { extendedRecords } from "./extended_files.ts";
 * extendedRecords([], []); // []
 * ```
 */
export function extendedRecords(
  report: readonly Table41Row[],
  rows: readonly ExtendedRow[],
  timings: Record<string, number> = {},
): Record<string, string>[] {
  const record = (
    name: string,
    loss: string,
    targets: string,
    reportF1: string,
    result: ExperimentResult,
  ) => {
    const s = result.summary, r1 = result.results[0];
    const t = meanSeconds(result, timings, name);
    return {
      configuration: name,
      loss,
      targets,
      "report F1": reportF1,
      "F1 run 1": pct(r1.f1),
      "correct frames run 1": String(r1.tp),
      "F1 mean ± std": `${pct(s.f1.mean)} ± ${pct(s.f1.std)}`,
      "F1 min–max": `${pct(s.f1.min)}–${pct(s.f1.max)}`,
      "runs": String(result.runs),
      "best epochs": s.bestEpochs.join(" "),
      "blank rate run 1": r1.blankRate === undefined ? "" : pct(r1.blankRate),
      "training time per run (s)": Number.isNaN(t) ? "–" : t.toFixed(1),
    };
  };
  const lossOf = (e: Table41Row["entry"]) => e.config.loss === "bce" ? "BCE" : "soft-DTW";
  const targetsOf = (e: Table41Row["entry"]) =>
    e.config.loss === "soft-dtw"
      ? `weak ${e.config.softLength}, ${e.config.padding}`
      : "strong (150 frames)";
  return [
    ...report.map(({ entry, result }) =>
      record(entry.name, lossOf(entry), targetsOf(entry), entry.reportF1.toFixed(1), result)
    ),
    ...rows.map(({ entry, result }) => record(entry.name, entry.loss, entry.targets, "", result)),
  ];
}

/**
 * The files of the extended table: `table.md` and `table.csv` ({@linkcode extendedRecords}),
 * `loss_curves.csv` (configuration, run, epoch, training and validation loss) and
 * `timings.json` (training time per run, see {@linkcode mergeTimings}).
 *
 * Used by `deno task reproduce` (results/extended/).
 *
 * @example
 * ```ts
 * import { extendedTableFiles } from "./extended_files.ts";
 * Object.keys(extendedTableFiles([], [], {})); // ["table.md", "table.csv", "loss_curves.csv", "timings.json"]
 * ```
 */
export function extendedTableFiles(
  report: readonly Table41Row[],
  rows: readonly ExtendedRow[],
  timings: Record<string, number>,
): Record<string, string> {
  const records = extendedRecords(report, rows, timings);
  const cols = Object.keys(records[0] ?? {});
  const runs = rows[0]?.result.runs ?? report[0]?.result.runs ?? 1;
  const md = [
    "# Table 4.1 extended: test F1 (%) on the Let It Be excerpt (bars 1-4, 138 frames)",
    "",
    "Written by `deno task reproduce` (tools/reproduce.ts; configurations in",
    "lib/study/extended.ts). The report's five configurations first, with its published F1;",
    "then the stabilizing strategies and CTC (issue 12). Same data, splits, test excerpt,",
    `evaluation and procedure for every row; run 1 is the plain procedure, runs 2..${runs} start`,
    "from seeded perturbed templates (σ = 0.1). One test frame is worth about 0.7 points of F1.",
    "Best epoch: the epoch with the lowest validation loss (for γ schedules and the prior: the",
    "loss at the schedules' end values), whose weights were tested. CTC decodes the best of the",
    "24 chords per frame (blank ignored); the blank rate is the share of test frames whose most",
    "probable output is the blank. Step weights are given in the paper's order [w_v, w_h, w_d]",
    "(Zeitler et al. 2024). Training time: wall seconds per run on the machine that computed it,",
    "two runs in parallel (timings.json; it changes whenever the experiments are recomputed).",
    "",
    `| ${cols.join(" | ")} |`,
    `| ${cols.map((_, i) => (i < 3 ? "---" : "---:")).join(" | ")} |`,
    ...records.map((r) => `| ${cols.map((c) => r[c]).join(" | ")} |`),
    "",
  ].join("\n");
  const curveRows: (string | number)[][] = [
    ["configuration", "run", "epoch", "train_loss", "validation_loss"],
  ];
  for (const { entry, result } of rows) {
    for (const r of result.results) {
      r.trainLoss.forEach((t, i) =>
        curveRows.push([entry.name, r.run, i + 1, t, r.validationLoss[i]])
      );
    }
  }
  return {
    "table.md": md,
    "table.csv": csvText([cols, ...records.map((r) => cols.map((c) => r[c]))]),
    "loss_curves.csv": csvText(curveRows),
    "timings.json": JSON.stringify(timings, null, 2) + "\n",
  };
}

/** One row of the engines' cross-check (run 1 of a configuration, 300 epochs). */
export interface CrossCheckRecord {
  /** Configuration name. */
  configuration: string;
  /** tfjs backend used. */
  backend: string;
  /** Largest relative difference of the training losses over all epochs. */
  trainLossDiff: number;
  /** Largest relative difference of the validation losses over all epochs. */
  validationLossDiff: number;
  /** Best epoch, float64 engine. */
  bestEpochFloat64: number;
  /** Best epoch, tfjs engine. */
  bestEpochTfjs: number;
  /** Test F1 (%), float64 engine. */
  f1Float64: number;
  /** Test F1 (%), tfjs engine. */
  f1Tfjs: number;
  /** Test frames whose label differs. */
  framesDiffering: number;
}

/**
 * The files of the engines' cross-check: `cross_check.md` and `cross_check.json`.
 *
 * Used by `deno task reproduce --only cross-check` (results/extended/), read by
 * notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { crossCheckFiles } from "./extended_files.ts";
 * Object.keys(crossCheckFiles([])); // ["cross_check.md", "cross_check.json"]
 * ```
 */
export function crossCheckFiles(records: readonly CrossCheckRecord[]): Record<string, string> {
  const head = [
    "configuration",
    "backend",
    "max rel. diff, train loss",
    "max rel. diff, validation loss",
    "best epoch float64 / tfjs",
    "F1 float64",
    "F1 tfjs",
    "test frames differing",
  ];
  const rows = records.map((r) => [
    r.configuration,
    r.backend,
    r.trainLossDiff.toExponential(1),
    r.validationLossDiff.toExponential(1),
    `${r.bestEpochFloat64} / ${r.bestEpochTfjs}`,
    r.f1Float64.toFixed(1),
    r.f1Tfjs.toFixed(1),
    String(r.framesDiffering),
  ]);
  const md = [
    "# The float64 engine against the tfjs engine (run 1, 300 epochs)",
    "",
    "Written by `deno task reproduce --only cross-check`. The same configuration trained by the",
    "float64 engine (lib/chords/training/train_model.ts, losses.ts) and by the tfjs engine (float32,",
    "train_model_tf.ts, losses_tf.ts) on the given tfjs backend; relative loss differences are",
    "taken against max(1, |float64 loss|).",
    "",
    `| ${head.join(" | ")} |`,
    `| ${head.map((_, i) => (i < 2 ? "---" : "---:")).join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
  ].join("\n");
  return {
    "cross_check.md": md,
    "cross_check.json": JSON.stringify(records, null, 2) + "\n",
  };
}
