/**
 * `deno task reproduce`: the experiments of the report's Table 4.1 and of its Appendix C (the
 * soft-DTW temperature sweep of `lib/gamma_sweep.ts`), written to `results/`.
 *
 * Runs the five configurations of {@linkcode TABLE_4_1} (BCE on strong targets; soft-DTW on
 * weak targets with soft length 16 and 75, uniform and last padding), each 5 times through
 * `runExperiment` of lib/experiment.ts (run 1 = the report's procedure, runs 2..5 from seeded
 * perturbed templates), and writes
 *
 * - `results/table_4_1.md` and `results/table_4_1.csv`: our test F1 beside the report's;
 * - `results/loss_curves.csv` (one row per configuration, run and epoch) and
 *   `results/loss_curves.json` (per configuration: training and validation loss per run);
 * - `results/alignments.json`: the expected alignment `E^γ` of the fixed training segment at
 *   epochs 1 and 161 of run 1 for every soft-DTW configuration, with the segment's labels;
 * - `results/cache/*.json`: the full experiment results, read by the notebooks;
 * - `results/gamma_sweep/`: the γ sweep (summary, sharpness and loss curves CSV, README, and
 *   its sharpness runs in `cache/`), read by notebook 05.
 *
 * Options: by default every experiment is recomputed (`--fresh`, the default, also removes stale
 * cache files of other code versions or data); `--cached` reuses cached experiments instead
 * (seconds; what the notebooks do); `--runs N` (default 5); `--workers N` (default 2).
 * The five experiments and the sweep's trainings run concurrently on one pool of workers (25 + 19
 * runs of 300 epochs; the sweep's γ = 0.3 experiment is Table 4.1's soft-DTW 16 uniform one).
 * Progress: one status line with every configuration's completed epochs, updated per epoch on a
 * terminal (a line every 100 epochs per run otherwise), a summary line per configuration when
 * it finishes, and the total wall time at the end.
 *
 * The functions are exported so that further experiments can be appended.
 *
 * @example
 * ```ts
 * import { runTable41, writeTable41 } from "./reproduce.ts";
 * const rows = await runTable41({ fresh: false });
 * await writeTable41(rows);
 * ```
 *
 * @module
 */
import { join } from "node:path";
import {
  type ExperimentProgress,
  type ExperimentResult,
  pruneCache,
  REPO_ROOT,
  runExperiment,
  WorkerPool,
} from "../lib/study/experiment.ts";
import type { TrainConfig } from "../lib/chords/train.ts";
import { loadSplits } from "../lib/chords/dataset.ts";
import { runGammaSweep } from "../lib/study/gamma_sweep.ts";

/** One configuration of the report's Table 4.1 and the report's test F1 (in %). */
export interface Table41Entry {
  /** Short name. */
  name: string;
  /** Training configuration (report defaults otherwise). */
  config: TrainConfig;
  /** Targets and padding as the report's table names them. */
  label: string;
  /** The report's F1 in percent. */
  reportF1: number;
}

/** The five configurations of Table 4.1 with the report's published F1 (%). */
export const TABLE_4_1: readonly Table41Entry[] = Object.freeze([
  { name: "bce", config: { loss: "bce" }, label: "BCE, strong targets (150/150)", reportF1: 77.5 },
  {
    name: "sdtw-16-uniform",
    config: { loss: "soft-dtw", softLength: 16, padding: "uniform" },
    label: "soft-DTW, weak targets 16, uniform",
    reportF1: 76.1,
  },
  {
    name: "sdtw-75-uniform",
    config: { loss: "soft-dtw", softLength: 75, padding: "uniform" },
    label: "soft-DTW, weak targets 75, uniform",
    reportF1: 76.1,
  },
  {
    name: "sdtw-16-last",
    config: { loss: "soft-dtw", softLength: 16, padding: "last" },
    label: "soft-DTW, weak targets 16, last",
    reportF1: 76.1,
  },
  {
    name: "sdtw-75-last",
    config: { loss: "soft-dtw", softLength: 75, padding: "last" },
    label: "soft-DTW, weak targets 75, last",
    reportF1: 68.1,
  },
] as Table41Entry[]);

/** A configuration of Table 4.1 with its experiment result. */
export interface Table41Row {
  /** The configuration. */
  entry: Table41Entry;
  /** Its experiment result. */
  result: ExperimentResult;
}

/** Default output directory: `results/` of the repository. */
export const RESULTS_DIR = join(REPO_ROOT, "results");

/** Progress display of several concurrent experiments. */
export interface ProgressBoard {
  /** The progress callback of experiment `name`. */
  onProgress: (name: string) => (p: ExperimentProgress) => void;
  /** Prints the final line of experiment `name`. */
  finish: (name: string, message: string) => void;
  /** Clears the status line. */
  close: () => void;
}

/**
 * Progress of several concurrent experiments: on a terminal one status line, updated per
 * epoch, with every experiment's completed epochs; otherwise a line every 100 epochs per run.
 *
 * @example
 * ```ts
 * import { progressBoard } from "./reproduce.ts";
 * const board = progressBoard(["bce"]);
 * board.onProgress("bce")({ run: 1, runs: 5, epoch: 100, epochs: 300, trainLoss: 0.1,
 *   validationLoss: 0.1, cached: false });
 * board.finish("bce", "done");
 * board.close();
 * ```
 */
export function progressBoard(names: string[]): ProgressBoard {
  const tty = Deno.stdout.isTerminal();
  const enc = new TextEncoder();
  const done = new Map<string, Map<number, number>>(names.map((n) => [n, new Map()]));
  const totals = new Map<string, number>();
  let last = 0;
  const status = () =>
    names.map((n) => {
      const d = [...(done.get(n)?.values() ?? [])].reduce((a, b) => a + b, 0);
      return `${n} ${d}/${totals.get(n) ?? "?"}`;
    }).join(" | ");
  const draw = (force: boolean) => {
    const now = performance.now();
    if (!force && now - last < 100) return;
    last = now;
    let cols = 200;
    try {
      cols = Deno.consoleSize().columns;
    } catch { /* not a console */ }
    Deno.stdout.writeSync(enc.encode(`\r\x1b[K${status().slice(0, cols - 1)}`));
  };
  return {
    onProgress: (name) => (p) => {
      done.get(name)?.set(p.run, p.epoch);
      totals.set(name, p.runs * p.epochs);
      if (tty) draw(p.epoch === p.epochs);
      else if (!p.cached && (p.epoch % 100 === 0 || p.epoch === p.epochs)) {
        console.log(
          `[${name}] run ${p.run}/${p.runs} epoch ${p.epoch}/${p.epochs}  train ` +
            `${p.trainLoss.toFixed(4)}  val ${p.validationLoss.toFixed(4)}  (${status()})`,
        );
      }
    },
    finish: (name, message) => {
      if (tty) Deno.stdout.writeSync(enc.encode("\r\x1b[K"));
      console.log(`[${name}] ${message}`);
      if (tty) draw(true);
    },
    close: () => {
      if (tty) Deno.stdout.writeSync(enc.encode("\r\x1b[K"));
    },
  };
}

/**
 * Runs (or reads from the cache) the five experiments of Table 4.1, concurrently on one shared
 * {@linkcode WorkerPool} (the longest runs, soft length 75, are queued first).
 *
 * @example
 * ```ts
 * import { runTable41 } from "./reproduce.ts";
 * const rows = await runTable41({ fresh: true, runs: 5 });
 * ```
 */
export async function runTable41(
  options: {
    fresh?: boolean;
    runs?: number;
    workers?: number;
    quiet?: boolean;
    /** A shared worker pool (not terminated here); default: an own pool of `workers`. */
    pool?: WorkerPool;
    /** A shared progress board (not closed here) holding the experiment names. */
    board?: ProgressBoard;
  } = {},
): Promise<Table41Row[]> {
  const board = options.board ?? progressBoard(TABLE_4_1.map((e) => e.name));
  const pool = options.pool ?? new WorkerPool(options.workers ?? 2);
  const cost = (e: Table41Entry) => e.config.loss === "bce" ? 0 : e.config.softLength ?? 16;
  const order = [...TABLE_4_1].sort((a, b) => cost(b) - cost(a));
  try {
    const results = new Map<string, ExperimentResult>();
    await Promise.all(order.map(async (entry) => {
      const result = await runExperiment({
        config: entry.config,
        runs: options.runs,
        pool,
        useCache: !options.fresh,
        onProgress: options.quiet ? undefined : board.onProgress(entry.name),
      });
      results.set(entry.name, result);
      const s = result.summary;
      if (!options.quiet) {
        board.finish(
          entry.name,
          `${result.fromCache ? "from cache" : `${result.seconds.toFixed(1)} s`}: F1 ` +
            `${pct(s.f1.mean)} ± ${pct(s.f1.std)} (run 1: ${pct(result.results[0].f1)}; ` +
            `report ${entry.reportF1.toFixed(1)}), best epochs ${s.bestEpochs.join(", ")}`,
        );
      }
    }));
    return TABLE_4_1.map((entry) => ({ entry, result: results.get(entry.name)! }));
  } finally {
    if (!options.pool) pool.terminate();
    if (!options.board) board.close();
  }
}

function pct(x: number): string {
  return (100 * x).toFixed(1);
}

/**
 * The rows of Table 4.1 as plain records (numbers in percent, one decimal as the report).
 *
 * @example
 * ```ts
 * import { runTable41, table41Records } from "./reproduce.ts";
 * table41Records(await runTable41())[0]["report F1"]; // "77.5"
 * ```
 */
export function table41Records(rows: Table41Row[]): Record<string, string>[] {
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

function csvField(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/**
 * Writes `table_4_1.md`, `table_4_1.csv`, `loss_curves.csv`, `loss_curves.json` and
 * `alignments.json` into `dir` (default `results/`).
 *
 * @example
 * ```ts
 * import { runTable41, writeTable41 } from "./reproduce.ts";
 * await writeTable41(await runTable41(), { dir: "/tmp/results" });
 * ```
 */
export async function writeTable41(
  rows: Table41Row[],
  options: { dir?: string } = {},
): Promise<string[]> {
  const dir = options.dir ?? RESULTS_DIR;
  await Deno.mkdir(dir, { recursive: true });
  const records = table41Records(rows);
  const cols = Object.keys(records[0]);
  const md = [
    "# Table 4.1 reproduced: test F1 (%) on the Let It Be excerpt (bars 1-4)",
    "",
    "Written by `deno task reproduce` (tools/reproduce.ts); the report's values are its",
    "published numbers. Run 1 is the report's procedure (θ = 0, binary triad templates); runs",
    `2..${rows[0].result.runs} start from templates with seeded Gaussian noise (σ = ` +
    `${rows[0].result.perturbation}, seed = run index), our addition so that the spread means`,
    "something (the procedure itself is deterministic). std is the sample standard deviation.",
    "Best epoch: the epoch (from 1) with the lowest validation loss, whose weights were tested.",
    "",
    `| ${cols.join(" | ")} |`,
    `| ${cols.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...records.map((r) => `| ${cols.map((c) => r[c]).join(" | ")} |`),
    "",
  ].join("\n");
  const csv = [cols, ...records.map((r) => cols.map((c) => r[c]))]
    .map((r) => r.map(csvField).join(","))
    .join("\n") + "\n";
  const curveRows = ["configuration,run,epoch,train_loss,validation_loss"];
  const curves: Record<string, { train: number[]; validation: number[] }[]> = {};
  for (const { entry, result } of rows) {
    curves[entry.name] = result.results.map((r) => ({
      train: r.trainLoss,
      validation: r.validationLoss,
    }));
    for (const r of result.results) {
      r.trainLoss.forEach((t, i) =>
        curveRows.push(`${entry.name},${r.run},${i + 1},${t},${r.validationLoss[i]}`)
      );
    }
  }
  const splits = await loadSplits();
  const alignments = rows.filter(({ result }) => result.alignment !== null).map((
    { entry, result },
  ) => ({
    configuration: entry.name,
    softLength: result.config.softLength,
    padding: result.config.padding,
    gamma: result.config.gamma,
    segment: result.alignment,
    labels: splits.train[result.alignment!.segment].labels,
    run: 1,
    alignments: result.results[0].alignments,
  }));
  const files: [string, string][] = [
    ["table_4_1.md", md],
    ["table_4_1.csv", csv],
    ["loss_curves.csv", curveRows.join("\n") + "\n"],
    ["loss_curves.json", JSON.stringify(curves) + "\n"],
    ["alignments.json", JSON.stringify(alignments) + "\n"],
  ];
  for (const [name, text] of files) await Deno.writeTextFile(join(dir, name), text);
  return files.map(([name]) => join(dir, name));
}

function argValue(args: string[], name: string): number | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`${name} needs a positive integer, got ${args[i + 1]}`);
  }
  return v;
}

/**
 * The command line entry point (see the module doc for the options).
 *
 * @example
 * ```ts
 * import { main } from "./reproduce.ts";
 * await main(["--cached"]);
 * ```
 */
export async function main(args: string[]): Promise<void> {
  const known = new Set(["--fresh", "--cached", "--runs", "--workers"]);
  args.forEach((a, i) => {
    if (a.startsWith("--") && !known.has(a)) {
      throw new RangeError(`unknown option ${a} (known: ${[...known].join(", ")})`);
    }
    if (!a.startsWith("--") && !["--runs", "--workers"].includes(args[i - 1])) {
      throw new RangeError(`unexpected argument ${a}`);
    }
  });
  if (args.includes("--fresh") && args.includes("--cached")) {
    throw new RangeError("--fresh and --cached exclude each other");
  }
  const fresh = !args.includes("--cached");
  const t0 = performance.now();
  if (fresh) {
    const removed = await pruneCache();
    if (removed.length) console.log(`removed stale cache files: ${removed.join(", ")}`);
  }
  // Table 4.1 and the γ sweep are queued at once on one pool of workers; the sweep's γ = 0.3
  // experiment is Table 4.1's soft-DTW 16 uniform one and is computed once (runExperiment).
  const pool = new WorkerPool(argValue(args, "--workers") ?? 2);
  const board = progressBoard(TABLE_4_1.map((e) => e.name));
  try {
    const [rows, sweep] = await Promise.all([
      runTable41({ fresh, runs: argValue(args, "--runs"), pool, board }),
      runGammaSweep({
        useCache: !fresh,
        pool,
        onProgress: (p) => !p.cached && board.finish("γ sweep", p.message),
      }),
    ]);
    const files = await writeTable41(rows);
    console.log(`wrote ${files.map((f) => f.slice(REPO_ROOT.length)).join(", ")}`);
    console.log(
      `γ sweep: ${sweep.points.length} γ values, ${sweep.trained} trainings, ` +
        `${sweep.cached} from cache; wrote results/gamma_sweep/`,
    );
  } finally {
    pool.terminate();
    board.close();
  }
  console.log(`total wall time: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

if (import.meta.main) await main(Deno.args);
