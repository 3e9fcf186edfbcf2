/**
 * `deno task reproduce`: the experiments of the report's Table 4.1 and of its Appendix C (the
 * soft-DTW temperature sweep), written to `results/`. The computation is lib/study's
 * (`runExperiment`, `runGammaSweep`), the text of the files is lib/study/tables.ts's; this tool
 * runs them, shows the progress and writes the files: all of them in one step at the end (staged
 * outside the results folder, every old file moved aside and put back if anything fails; see
 * lib/study/files.ts), never through a symbolic link below the results or output folder (checked
 * before any work). A bad option prints one line and exits 2; any other error prints its message
 * and exits 1.
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
 * - `results/timings.log` (not committed; in the `--results-dir` when given): the wall time of
 *   every computation, appended.
 *
 * No written file holds a date or a wall time, so `deno task reproduce --cached` leaves
 * `git status` clean (tools/reproduce_test.ts checks it on a copy).
 *
 * With the extended table of issue 12 (`EXTENDED_TABLE` of lib/study/extended.ts: CTC, soft-DTW
 * without padding, uniform padding to 150, γ annealing, the diagonal prior, the soft-DTW
 * divergence and step weights, 5 runs each) it also writes `results/extended/` (`table.md`,
 * `table.csv`: the report's five rows first with the published F1, then the new ones;
 * `loss_curves.csv`; `timings.json`: training time per run, the one committed file that a fresh
 * recomputation changes), with the experiments in `results/cache/`.
 *
 * Options (`--help` lists them): by default every experiment is recomputed (`--fresh`, the
 * default, also removes stale cache files of other code versions or data, only files it wrote:
 * integrity hash valid, stored key = file name; it lists the other files it kept); `--cached` reuses
 * cached experiments instead (seconds; what the notebooks do); `--only table-4-1,gamma-sweep,
 * extended` selects parts (default all); `--data-dir DIR` trains on other features (e.g.
 * `data/mp3-delay-0`) and `--results-dir DIR` puts tables and caches there (with another data
 * directory and Table 4.1 it also writes `sensitivity.md`/`.csv`: Table 4.1 on both feature sets);
 * `--runs N` (default 5); `--workers N` (default 2); `--out DIR` writes the tables into DIR
 * instead (the caches stay). Everything selected runs concurrently on one pool of workers (the
 * sweep's γ = 0.3 experiment is Table 4.1's soft-DTW 16 uniform one); progress is shown per
 * configuration.
 *
 * @example
 * ```ts
 * import { main } from "./reproduce.ts";
 * await main(["--cached", "--out", await Deno.makeTempDir()]);
 * ```
 *
 * @module
 */
import { join, relative, resolve } from "node:path";
import { runBillboardStudy } from "../lib/study/billboard_run.ts";
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
  writeFilesAtomic,
} from "../lib/study/mod.ts";
import { assertNoSymlinks } from "../lib/study/mod.ts";
import { compareEngines, useBackend } from "../lib/tf.ts";
import { evaluateLabels, type TrainConfig } from "../lib/mod.ts";
import {
  CROSS_CHECKED,
  crossCheckFiles,
  type CrossCheckRecord,
  EXTENDED_TABLE,
  extendedTableFiles,
  mergeTimings,
  runExtendedTable,
  sensitivityFiles,
  sensitivityRecords,
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
    /** Cache directory of the experiments (default `results/cache/`). */
    cacheDir?: string;
  } = {},
): Promise<Table41Row[]> {
  const board = options.board ?? progressBoard(TABLE_4_1.map((e) => e.name));
  const pool = options.pool ?? new WorkerPool(options.workers ?? 2);
  const data = options.data ?? await loadSplits();
  const cost = (c: (typeof TABLE_4_1)[number]["config"]) =>
    c.loss === "soft-dtw" ? c.softLength ?? 16 : 0;
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
        cacheDir: options.cacheDir,
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
 * Writes files `{ relative path: text }` into `dir` as one step (all or nothing: see
 * `writeFilesAtomic` of lib/study/files.ts); refuses a path through a symbolic link below `dir`.
 * Returns their paths.
 *
 * @example
 * ```ts
 * import { writeFiles } from "./reproduce.ts";
 * await writeFiles(await Deno.makeTempDir(), { "a.txt": "a\n" });
 * ```
 */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<string[]> {
  return await writeFilesAtomic(dir, files);
}

/**
 * A bad command line: the message is printed without a stack trace and the command exits 2.
 *
 * @example
 * ```ts
 * import { UsageError } from "./reproduce.ts";
 * new UsageError("--runs needs a value") instanceof RangeError; // true
 * ```
 */
export class UsageError extends RangeError {
  /** The error for `message`. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
    throw new UsageError(`${name} needs a value`);
  }
  return args[i + 1];
}

function argInteger(args: string[], name: string): number | undefined {
  const s = argValue(args, name);
  if (s === undefined) return undefined;
  const v = Number(s);
  if (!Number.isInteger(v) || v < 1) {
    throw new UsageError(`${name} needs a positive integer, got ${s}`);
  }
  return v;
}

/** The parts of `deno task reproduce` (`--only`). */
export const PARTS = [
  "table-4-1",
  "gamma-sweep",
  "extended",
  "cross-check",
  "billboard",
] as const;

/** The parts run when `--only` is not given (the cross-check is slow: tfjs, 300 epochs). */
const DEFAULT_PARTS = ["table-4-1", "gamma-sweep", "extended"];

/** The `--help` text. */
export const HELP = `deno task reproduce [options]

Retrains the report's Table 4.1 (5 configurations), the γ sweep of its Appendix C and the
extended table of issue 12 (stabilizing strategies and CTC), 5 runs of 300 epochs each, and
writes the results (tables, loss curves, caches) into results/.

  --only PART[,PART]  table-4-1, gamma-sweep, extended (the default: these three) and/or
                      cross-check (run 1 of a few extended configurations on the tfjs engine,
                      WebAssembly backend, against the float64 engine; a few minutes) and/or
                      billboard (the weak-label study on the Billboard songs: results/billboard/
                      and models/billboard-dchord-*.json, models/billboard-cnn-*.json; 3 runs
                      unless --runs); may repeat
  --rows ROW[,ROW]    billboard: only these rows (default: the committed study's)
  --data-dir DIR      chroma features and annotations to train on (default: data/)
  --results-dir DIR   where the tables and the caches go (default: results/); with another
                      --data-dir and table-4-1, also sensitivity.md/.csv comparing its Table 4.1
                      with the one on data/ (read from results/cache/)
  --runs N            runs per configuration (default 5; run 1 is the report's procedure)
  --workers N         Deno Workers (default 2)
  --cached            reuse cached experiments (seconds; what the notebooks do); a cache
                      file that is not the experiment's (key, data fingerprint, integrity
                      hash) is an error naming it
  --fresh             recompute everything (the default) and remove stale cache files
                      (only those reproduce wrote; other files are kept and listed)
  --out DIR           write the tables into DIR instead of the results directory (caches stay)
  --quiet             no progress output
  --help              this text
`;

/**
 * The command line entry point (see the module doc and {@linkcode HELP} for the options).
 *
 * @example
 * ```ts
 * import { main } from "./reproduce.ts";
 * await main(["--cached"]);
 * ```
 */
export async function main(args: string[]): Promise<void> {
  const valued = [
    "--runs",
    "--workers",
    "--out",
    "--data-dir",
    "--results-dir",
    "--only",
    "--rows",
  ];
  const known = new Set(["--fresh", "--cached", "--quiet", "--help", ...valued]);
  args.forEach((a, i) => {
    if (a.startsWith("--") && !known.has(a)) {
      throw new UsageError(`unknown option ${a} (known: ${[...known].join(", ")})`);
    }
    if (!a.startsWith("--") && !valued.includes(args[i - 1])) {
      throw new UsageError(`unexpected argument ${a}`);
    }
  });
  if (args.includes("--help")) {
    console.log(HELP);
    return;
  }
  if (args.includes("--fresh") && args.includes("--cached")) {
    throw new UsageError("--fresh and --cached exclude each other");
  }
  const parts = new Set<string>();
  args.forEach((a, i) => {
    if (a !== "--only") return;
    for (const p of (argValue(args.slice(i), "--only") ?? "").split(",")) {
      if (!(PARTS as readonly string[]).includes(p)) {
        throw new UsageError(`--only: unknown part "${p}" (known: ${PARTS.join(", ")})`);
      }
      parts.add(p);
    }
  });
  if (parts.size === 0) DEFAULT_PARTS.forEach((p) => parts.add(p));
  const fresh = !args.includes("--cached");
  const quiet = args.includes("--quiet");
  const dataDir = argValue(args, "--data-dir");
  const resultsDir = argValue(args, "--results-dir") ?? RESULTS_DIR;
  const out = argValue(args, "--out") ?? resultsDir;
  const cacheDir = join(resultsDir, "cache");
  const runs = argInteger(args, "--runs");
  const workers = argInteger(args, "--workers") ?? 2;
  const log = quiet ? () => {} : console.log;
  const t0 = performance.now();
  // Nothing is written or deleted through a symbolic link below the folders given (checked
  // before any work; the files are also checked when written).
  for (
    const sub of [
      "cache",
      "gamma_sweep/cache",
      "timings.log",
      "extended/timings.json",
      "billboard/cache",
    ]
  ) {
    await assertNoSymlinks(resultsDir, join(resultsDir, sub));
  }
  for (const sub of ["gamma_sweep", "extended", "billboard"]) {
    await assertNoSymlinks(out, join(out, sub));
  }
  if (parts.has("billboard")) {
    const own = resultsDir === RESULTS_DIR;
    const rowList = argValue(args, "--rows");
    const study = await runBillboardStudy({
      runs,
      rows: rowList === undefined ? undefined : rowList.split(","),
      workers,
      cachedOnly: !fresh,
      partial: !fresh,
      resultsDir: join(out, "billboard"),
      runCacheDir: join(resultsDir, "billboard", "cache"),
      modelsDir: own && out === resultsDir ? join(REPO_ROOT, "models") : join(out, "models"),
      onProgress: log,
    });
    const seconds = (performance.now() - t0) / 1000;
    log(`[billboard] ${study.trained.length} run(s) trained, ${seconds.toFixed(1)} s`);
    if (study.trained.length > 0) {
      await Deno.mkdir(resultsDir, { recursive: true });
      await Deno.writeTextFile(
        join(resultsDir, "timings.log"),
        `${new Date().toISOString()}\tbillboard (${study.trained.length} runs)\t${
          seconds.toFixed(1)
        } s\n`,
        { append: true },
      );
    }
    parts.delete("billboard");
    if (parts.size === 0) return;
  }
  const data = await loadSplits({ dataDir });
  if (fresh) {
    const { removed, kept } = await pruneCache({ data, cacheDir });
    if (removed.length) {
      log(`removed stale cache files (other code version or data): ${removed.join(", ")}`);
    }
    if (kept.length) {
      log(`kept files in ${cacheDir} that reproduce did not write: ${kept.join(", ")}`);
    }
  }
  const timings: string[] = [];
  const timing = (name: string, seconds: number) =>
    timings.push(`${name}\t${seconds.toFixed(1)} s`);
  // Everything is queued at once on one pool of workers; the sweep's γ = 0.3 experiment is
  // Table 4.1's soft-DTW 16 uniform one and is computed once (runExperiment).
  const pool = new WorkerPool(workers);
  const extendedNames = parts.has("extended") ? EXTENDED_TABLE.map((e) => e.name) : [];
  const board = progressBoard([
    ...(parts.has("table-4-1") ? TABLE_4_1.map((e) => e.name) : []),
    ...extendedNames,
  ]);
  // every table is written at the end, as one step (all or nothing)
  const files: Record<string, string> = {};
  const add = (sub: string, texts: Record<string, string>) => {
    for (const [name, text] of Object.entries(texts)) files[join(sub, name)] = text;
  };
  try {
    const table41 = parts.has("table-4-1") || parts.has("extended")
      ? runTable41({
        // the extended table shows the report's rows first: read them when not asked for
        fresh: fresh && parts.has("table-4-1"),
        runs,
        data,
        pool,
        board,
        quiet,
        onTiming: timing,
        cacheDir,
      })
      : Promise.resolve(null);
    const sweep = parts.has("gamma-sweep")
      ? runGammaSweep({
        useCache: !fresh,
        data,
        pool,
        cacheDir: join(resultsDir, "gamma_sweep", "cache"),
        experimentCacheDir: cacheDir,
        onProgress: (p) => !quiet && !p.cached && board.finish("γ sweep", p.message),
      })
      : Promise.resolve(null);
    const extended = parts.has("extended")
      ? runExtendedTable({
        runs,
        data,
        pool,
        useCache: !fresh,
        cacheDir,
        onProgress: quiet ? undefined : board.onProgress,
        onDone: (name, result) => {
          if (result.seconds !== null) timing(name, result.seconds);
          if (quiet) return;
          const s = result.summary, r1 = result.results[0];
          board.finish(
            name,
            `${result.seconds === null ? "from cache" : `${result.seconds.toFixed(1)} s`}: F1 ` +
              `${pct(s.f1.mean)} ± ${pct(s.f1.std)} (run 1: ${pct(r1.f1)}` +
              `${r1.blankRate === undefined ? "" : `, blank rate ${pct(r1.blankRate)}`}), ` +
              `best epochs ${s.bestEpochs.join(", ")}`,
          );
        },
      })
      : Promise.resolve(null);
    const [rows, sw, ext] = await Promise.all([table41, sweep, extended]);
    if (rows && parts.has("table-4-1")) {
      add("", table41Files(rows, data));
    }
    if (sw) {
      add("gamma_sweep", sweepFiles(sw));
      log(
        `γ sweep: ${sw.points.length} γ values, ${sw.trained} trainings, ${sw.cached} from cache`,
      );
      if (sw.trained > 0) timing("gamma sweep (this call)", sw.seconds);
    }
    if (ext && rows) {
      // times of cached experiments come from the results directory's timings (not from --out)
      const previous = await readTimings(join(resultsDir, "extended", "timings.json"));
      const merged = mergeTimings(previous, [
        ...rows.map((r) => ({ name: r.entry.name, result: r.result })),
        ...ext.map((r) => ({ name: r.entry.name, result: r.result })),
      ]);
      add("extended", extendedTableFiles(rows, ext, merged));
    }
    if (rows && parts.has("table-4-1") && dataDir !== undefined) {
      // the sensitivity comparison: the same Table 4.1 on the default data (from its cache)
      const base = await runTable41({
        fresh: false,
        runs,
        data: await loadSplits(),
        pool,
        quiet: true,
        cacheDir: join(RESULTS_DIR, "cache"),
      });
      const name = relative(REPO_ROOT, resolve(dataDir)) || dataDir;
      add("", sensitivityFiles(sensitivityRecords(base, rows), name));
    }
    if (parts.has("cross-check")) {
      const backend = await useBackend("wasm");
      const records: CrossCheckRecord[] = [];
      for (const name of CROSS_CHECKED) {
        const entry = EXTENDED_TABLE.find((e) => e.name === name)!;
        const c = compareEngines({ ...data, config: entry.config as TrainConfig });
        const f1 = (p: number[]) =>
          100 * evaluateLabels({ reference: data.test.labels, estimate: p }).f1;
        records.push({
          configuration: name,
          backend: backend.backend,
          trainLossDiff: c.trainLossDiff,
          validationLossDiff: c.validationLossDiff,
          bestEpochFloat64: c.bestEpoch.float64,
          bestEpochTfjs: c.bestEpoch.tfjs,
          f1Float64: f1(c.predictions.float64),
          f1Tfjs: f1(c.predictions.tfjs),
          framesDiffering: c.framesDiffering,
        });
        log(`[cross-check ${name}] ${backend.backend}: ${c.framesDiffering} test frames differ`);
      }
      add("extended", crossCheckFiles(records));
    }
    const written = await writeFiles(out, files);
    log(`wrote ${written.map((f) => relative(REPO_ROOT, f)).join(", ")}`);
  } finally {
    pool.terminate();
    board.close();
  }
  const total = (performance.now() - t0) / 1000;
  log(`total wall time: ${total.toFixed(1)} s`);
  if (timings.length > 0) {
    // Wall times go to an uncommitted log (results/.gitignore), never into committed files
    // (except the extended table's timings.json, see lib/study/extended_files.ts); the log
    // goes with the other results: with --results-dir nothing is written into results/.
    timing("total", total);
    const stamp = new Date().toISOString();
    const path = join(resultsDir, "timings.log");
    await assertNoSymlinks(resultsDir, path);
    await Deno.writeTextFile(path, timings.map((t) => `${stamp}\t${t}\n`).join(""), {
      append: true,
    });
  }
}

async function readTimings(path: string): Promise<Record<string, number>> {
  try {
    const v = JSON.parse(await Deno.readTextFile(path));
    return v && typeof v === "object" ? v : {};
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return {};
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    console.error(`reproduce: ${e instanceof Error ? e.message : e}`);
    if (e instanceof UsageError) console.error("(deno task reproduce --help lists the options)");
    Deno.exit(e instanceof UsageError ? 2 : 1);
  }
}
