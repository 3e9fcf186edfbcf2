/**
 * `deno task reproduce`: the experiments of the report's Table 4.1 and of its Appendix C (the
 * soft-DTW temperature sweep), written to `results/`. The computation is lib/study's
 * (`runExperiment`, `runGammaSweep`), the text of the files is lib/study/tables.ts's; this tool
 * runs them, shows the progress and writes the files (atomically: temporary file + rename).
 *
 * Runs the five configurations of `TABLE_4_1` (BCE on strong targets; soft-DTW on weak targets
 * with soft length 16 and 75, uniform and last padding), each 5 times (run 1 = the report's
 * procedure, runs 2..5 from seeded perturbed templates), and the γ sweep, and writes
 *
 * - `results/table_4_1.md` and `results/table_4_1.csv`: our test F1 beside the report's;
 * - `results/loss_curves.csv` (one row per configuration, run and epoch) and
 *   `results/loss_curves.json` (per configuration: training and validation loss per run);
 * - `results/alignments.json`: the expected alignment `E` of the followed training segment at
 *   epochs 1 and 161 of run 1 for every soft-DTW configuration, with the segment's labels;
 * - `results/cache/*.json`: the full experiment results, read by the notebooks;
 * - `results/gamma_sweep/`: the γ sweep (summary, sharpness and loss curves CSV, README, and
 *   its sharpness runs in `cache/`), read by notebook 05;
 * - `results/timings.log` (not committed): the wall time of every computation, appended.
 *
 * No written file holds a date or a wall time, so `deno task reproduce --cached` leaves
 * `git status` clean (tools/reproduce_test.ts checks it on a copy).
 *
 * Options: by default every experiment is recomputed (`--fresh`, the default, also removes stale
 * cache files of other code versions or data); `--cached` reuses cached experiments instead
 * (seconds; what the notebooks do); `--runs N` (default 5); `--workers N` (default 2);
 * `--out DIR` writes the tables into DIR instead of `results/` (the caches stay in `results/`).
 * The five experiments and the sweep's trainings run concurrently on one pool of workers (25 + 19
 * runs of 300 epochs; the sweep's γ = 0.3 experiment is Table 4.1's soft-DTW 16 uniform one).
 *
 * @example
 * ```ts
 * import { main } from "./reproduce.ts";
 * await main(["--cached", "--out", await Deno.makeTempDir()]);
 * ```
 *
 * @module
 */
import { join, relative } from "node:path";
import {
  type ExperimentProgress,
  type ExperimentResult,
  loadSplits,
  pruneCache,
  REPO_ROOT,
  RESULTS_DIR,
  runExperiment,
  runGammaSweep,
  type Splits,
  sweepFiles,
  table41Files,
  type Table41Row,
  TABLE_4_1,
  WorkerPool,
  writeFileAtomic,
} from "../lib/study/mod.ts";

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
 * worker pool (the longest runs, soft length 75, are queued first).
 *
 * @example
 * ```ts
 * import { runTable41 } from "./reproduce.ts";
 * const rows = await runTable41({ fresh: false, runs: 5 });
 * ```
 */
export async function runTable41(
  options: {
    fresh?: boolean;
    runs?: number;
    workers?: number;
    quiet?: boolean;
    /** The data (default `loadSplits()`). */
    data?: Splits;
    /** A shared worker pool (not terminated here); default: an own pool of `workers`. */
    pool?: WorkerPool;
    /** A shared progress board (not closed here) holding the experiment names. */
    board?: ProgressBoard;
    /** Called with each computed experiment's name and wall time (for the timings log). */
    onTiming?: (name: string, seconds: number) => void;
  } = {},
): Promise<Table41Row[]> {
  const board = options.board ?? progressBoard(TABLE_4_1.map((e) => e.name));
  const pool = options.pool ?? new WorkerPool(options.workers ?? 2);
  const data = options.data ?? await loadSplits();
  const cost = (c: (typeof TABLE_4_1)[number]["config"]) =>
    c.loss === "bce" ? 0 : c.softLength ?? 16;
  const order = [...TABLE_4_1].sort((a, b) => cost(b.config) - cost(a.config));
  try {
    const results = new Map<string, ExperimentResult>();
    await Promise.all(order.map(async (entry) => {
      const result = await runExperiment({
        config: entry.config,
        runs: options.runs,
        data,
        pool,
        useCache: !options.fresh,
        onProgress: options.quiet ? undefined : board.onProgress(entry.name),
      });
      results.set(entry.name, result);
      if (result.seconds !== null) options.onTiming?.(entry.name, result.seconds);
      const s = result.summary;
      if (!options.quiet) {
        board.finish(
          entry.name,
          `${result.seconds === null ? "from cache" : `${result.seconds.toFixed(1)} s`}: F1 ` +
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
  return Number.isNaN(x) ? "–" : (100 * x).toFixed(1);
}

/**
 * Writes files `{ name: text }` into `dir` atomically; returns their paths.
 *
 * @example
 * ```ts
 * import { writeFiles } from "./reproduce.ts";
 * await writeFiles(await Deno.makeTempDir(), { "a.txt": "a\n" });
 * ```
 */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<string[]> {
  const paths: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    await writeFileAtomic(path, text);
    paths.push(path);
  }
  return paths;
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  if (i + 1 >= args.length) throw new RangeError(`${name} needs a value`);
  return args[i + 1];
}

function argInteger(args: string[], name: string): number | undefined {
  const s = argValue(args, name);
  if (s === undefined) return undefined;
  const v = Number(s);
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`${name} needs a positive integer, got ${s}`);
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
  const valued = ["--runs", "--workers", "--out"];
  const known = new Set(["--fresh", "--cached", "--quiet", ...valued]);
  args.forEach((a, i) => {
    if (a.startsWith("--") && !known.has(a)) {
      throw new RangeError(`unknown option ${a} (known: ${[...known].join(", ")})`);
    }
    if (!a.startsWith("--") && !valued.includes(args[i - 1])) {
      throw new RangeError(`unexpected argument ${a}`);
    }
  });
  if (args.includes("--fresh") && args.includes("--cached")) {
    throw new RangeError("--fresh and --cached exclude each other");
  }
  const fresh = !args.includes("--cached");
  const quiet = args.includes("--quiet");
  const out = argValue(args, "--out") ?? RESULTS_DIR;
  const runs = argInteger(args, "--runs");
  const workers = argInteger(args, "--workers") ?? 2;
  const log = quiet ? () => {} : console.log;
  const t0 = performance.now();
  const data = await loadSplits();
  if (fresh) {
    const removed = await pruneCache({ data });
    if (removed.length) log(`removed stale cache files: ${removed.join(", ")}`);
  }
  const timings: string[] = [];
  const timing = (name: string, seconds: number) =>
    timings.push(`${name}\t${seconds.toFixed(1)} s`);
  // Table 4.1 and the γ sweep are queued at once on one pool of workers; the sweep's γ = 0.3
  // experiment is Table 4.1's soft-DTW 16 uniform one and is computed once (runExperiment).
  const pool = new WorkerPool(workers);
  const board = progressBoard(TABLE_4_1.map((e) => e.name));
  try {
    const [rows, sweep] = await Promise.all([
      runTable41({
        fresh,
        runs,
        data,
        pool,
        board,
        quiet,
        onTiming: timing,
      }),
      runGammaSweep({
        useCache: !fresh,
        data,
        pool,
        onProgress: (p) => !quiet && !p.cached && board.finish("γ sweep", p.message),
      }),
    ]);
    const files = [
      ...await writeFiles(out, table41Files(rows, data)),
      ...await writeFiles(join(out, "gamma_sweep"), sweepFiles(sweep)),
    ];
    log(`wrote ${files.map((f) => relative(REPO_ROOT, f)).join(", ")}`);
    log(
      `γ sweep: ${sweep.points.length} γ values, ${sweep.trained} trainings, ` +
        `${sweep.cached} from cache`,
    );
    if (sweep.trained > 0) timing("gamma sweep (this call)", sweep.seconds);
  } finally {
    pool.terminate();
    board.close();
  }
  const total = (performance.now() - t0) / 1000;
  log(`total wall time: ${total.toFixed(1)} s`);
  if (timings.length > 0) {
    // Wall times go to an uncommitted log (results/.gitignore), never into committed files.
    timing("total", total);
    const stamp = new Date().toISOString();
    await Deno.writeTextFile(
      join(RESULTS_DIR, "timings.log"),
      timings.map((t) => `${stamp}\t${t}\n`).join(""),
      { append: true },
    );
  }
}

if (import.meta.main) await main(Deno.args);
