/**
 * Experiments: a training configuration run several times (run.ts), each run evaluated on the
 * test excerpt, summarized over the runs, and cached as JSON so that the notebooks read results
 * instead of retraining. Computes and returns; the only file it writes is its cache entry (result
 * tables are written by tools/reproduce.ts).
 *
 * {@linkcode runExperiment} trains dChord (`trainModel`, 300 epochs by default) `runs` times
 * (default 5: run 1 the report's procedure, runs 2..5 from seeded perturbed templates, see
 * run.ts), evaluates the weights of the best validation epoch of every run on the test excerpt
 * (argmax chord per frame, precision/recall/F1 as libfmp's `compute_eval_measures`), and
 * summarizes the F1 over the runs ({@linkcode spread}).
 *
 * Cache. Each experiment is one file `results/cache/<name>-<hash>.json` ({@linkcode cacheKey}):
 * the hash covers the resolved configuration, the number of runs, σ, the captured alignment
 * epochs and segment, {@linkcode CODE_VERSION} (bumped whenever training code changes results)
 * and the data fingerprint (`dataFingerprint` of cache.ts). Any change gives a new key, so a
 * stale result is never read. The file carries an integrity hash of its content (`sealedJson`
 * of cache.ts); a file is used only when the hash matches, its stored key is the one asked for,
 * its data fingerprint is the data's and its code version the current one, and its content
 * checks out (every run's curves and measures, each summary recomputed from the runs); otherwise
 * the error names the file. A fresh result is returned as a cached one reads back (the NaN
 * standard deviation of one run included), so both give byte-identical tables. Wall times are
 * not stored (they would change the committed file at every recomputation); `seconds` is
 * returned for the computation of this call only.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb and notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { runExperiment } from "./experiment.ts";
 * const r = await runExperiment({ config: { loss: "bce" } });
 * r.summary.f1.mean; // test F1 averaged over 5 runs
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { resolveConfig, type ResolvedConfig, type TrainConfig } from "../chords/training/config.ts";
import {
  dataFingerprint,
  pruneFiles,
  readCacheFile,
  sealedJson,
  sha256Hex,
  writeFileAtomic,
} from "./cache.ts";
import { loadSplits, type Splits } from "./data.ts";
import { RESULTS_DIR } from "./paths.ts";
import { WorkerPool } from "./pool.ts";
import { FIGURE_EPOCHS, FOLLOWED_SEGMENT, type SegmentSpec } from "./report.ts";
import { DEFAULT_PERTURBATION, runOnce, type RunResult } from "./run.ts";
import { type Spread, spread } from "./stats.ts";
import { checkKeys } from "./options.ts";

/** Version of the training code; bump it when a change can alter results (new cache keys). */
export const CODE_VERSION = 4;

/** Default number of runs per experiment (ours; the report trains once). */
export const DEFAULT_RUNS = 5;

/**
 * Default cache directory: `results/cache/` of the repository.
 *
 * @example
 * ```ts
 * import { DEFAULT_CACHE_DIR } from "./experiment.ts";
 * DEFAULT_CACHE_DIR.endsWith("cache"); // true
 * ```
 */
export const DEFAULT_CACHE_DIR: string = join(RESULTS_DIR, "cache");

/** Progress of an experiment, passed to {@linkcode ExperimentOptions.onProgress}. */
export interface ExperimentProgress {
  /** Run (from 1). */
  run: number;
  /** Number of runs. */
  runs: number;
  /** Epoch just finished (from 1); `epochs` for a run read from the cache. */
  epoch: number;
  /** Epochs per run. */
  epochs: number;
  /** Training loss of the epoch (NaN for cached runs). */
  trainLoss: number;
  /** Validation loss of the epoch (NaN for cached runs). */
  validationLoss: number;
  /** Whether the result comes from the cache. */
  cached: boolean;
}

/** Options of {@linkcode runExperiment}. */
export interface ExperimentOptions {
  /** Training configuration (defaults as `resolveConfig`; `init` is not allowed). */
  config: TrainConfig;
  /** Number of runs (default {@linkcode DEFAULT_RUNS}). */
  runs?: number;
  /** σ of the template perturbation of runs 2..n (default `DEFAULT_PERTURBATION` of run.ts). */
  perturbation?: number;
  /** Epochs of the captured expected alignments (soft-DTW only; default `FIGURE_EPOCHS`). */
  alignmentEpochs?: readonly number[];
  /**
   * Training segment of the captured alignments: index in the training list or
   * `{ song, index }` (default `FOLLOWED_SEGMENT` of report.ts).
   */
  alignmentSegment?: number | SegmentSpec;
  /**
   * Which runs capture the alignments: `"all"` (default) or `"first"` (run 1 only: smaller
   * cache files, used by the extended table, which captures four epochs).
   */
  alignmentRuns?: "all" | "first";
  /** Cache directory (default {@linkcode DEFAULT_CACHE_DIR}). */
  cacheDir?: string;
  /** Read a cached result if there is one (default true); results are always cached. */
  useCache?: boolean;
  /** The data (default: `loadSplits({ dataDir })`). */
  data?: Splits;
  /** Data directory when `data` is not given (default `data/` of the repository). */
  dataDir?: string;
  /** Number of Deno Workers for the runs (default `min(runs, 2)`; 1 = in this thread). */
  workers?: number;
  /** A shared worker pool (overrides `workers`; see `WorkerPool` of pool.ts). */
  pool?: WorkerPool;
  /** Called after every epoch of every run (and once per run read from the cache). */
  onProgress?: (progress: ExperimentProgress) => void;
}

/** What {@linkcode runExperiment} returns (the cache file holds all but the last two fields). */
export interface ExperimentResult {
  /** Cache key (file name without `.json`). */
  key: string;
  /** {@linkcode CODE_VERSION} of the computation. */
  codeVersion: number;
  /** Data fingerprint. */
  dataFingerprint: string;
  /** The resolved configuration (without `init`, which is per run). */
  config: Omit<ResolvedConfig, "init">;
  /** Number of runs. */
  runs: number;
  /** σ of the perturbation of runs 2..n. */
  perturbation: number;
  /** Captured alignment epochs and segment (with song and index of the segment). */
  alignment: { epochs: number[]; segment: number; song: string; index: number } | null;
  /** The test excerpt: song, first frame, reference labels (−1 = N), feature rate. */
  test: { song: string; start: number; reference: number[]; featureRate: number };
  /** The runs. */
  results: RunResult[];
  /** Summary over the runs. */
  summary: { f1: Spread; precision: Spread; recall: Spread; bestEpochs: number[] };
  /** Whether this result was read from the cache. */
  fromCache: boolean;
  /** Wall time of this call's computation in seconds; null when read from the cache. */
  seconds: number | null;
  /** Training time of every run of this call in seconds; null when read from the cache. */
  runSeconds: number[] | null;
}

const EXPERIMENT_KEYS: readonly (keyof ExperimentOptions)[] = [
  "config",
  "runs",
  "perturbation",
  "alignmentEpochs",
  "alignmentSegment",
  "alignmentRuns",
  "cacheDir",
  "useCache",
  "data",
  "dataDir",
  "workers",
  "pool",
  "onProgress",
];

/** An experiment's options checked, with the configuration resolved once. */
interface Plan {
  config: Omit<ResolvedConfig, "init">;
  runs: number;
  perturbation: number;
  alignment: { epochs: number[]; segment: number | SegmentSpec; firstRunOnly?: true } | null;
}

/**
 * A short readable name of a configuration (the start of its cache file name).
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (through {@linkcode runExperiment}).
 *
 * @example
 * ```ts
 * import { configName } from "./experiment.ts";
 * configName({ loss: "soft-dtw", softLength: 75, padding: "last" }); // "sdtw-75-last-g0.3-e300"
 * ```
 */
export function configName(config: TrainConfig): string {
  return nameOf(resolveConfig(config));
}

function nameOf(c: Omit<ResolvedConfig, "init">): string {
  if (c.loss === "bce") return `bce-e${c.epochs}`;
  if (c.loss === "ctc") return `ctc${c.blankPenalty ? `-p${c.blankPenalty}` : ""}-e${c.epochs}`;
  const g = typeof c.gamma === "object" ? `g${c.gamma.from}to${c.gamma.to}` : `g${c.gamma}`;
  const targets = c.targets === "sequence" ? "seq" : `${c.softLength}-${c.padding}`;
  const extra = [
    c.stepWeights && c.stepWeights.join("") !== "111" ? `w${c.stepWeights.join("")}` : "",
    c.prior ? "prior" : "",
  ].filter((x) => x).map((x) => `-${x}`).join("");
  const loss = c.loss === "soft-dtw-divergence" ? "sdiv" : "sdtw";
  return `${loss}-${targets}-${g}${extra}-e${c.epochs}`;
}

function resolveSegment(splits: Splits, spec: number | SegmentSpec): number {
  const i = typeof spec === "number"
    ? spec
    : splits.train.findIndex((s) => s.song === spec.song && s.index === spec.index);
  if (i < 0 || i >= splits.train.length) {
    throw new RangeError(
      `alignmentSegment ${JSON.stringify(spec)} is not a training segment ` +
        `(there are ${splits.train.length})`,
    );
  }
  return i;
}

function plan(options: ExperimentOptions): Plan {
  if (!options || typeof options !== "object") {
    throw new TypeError("runExperiment: options { config, runs?, ... } required");
  }
  checkKeys(options, EXPERIMENT_KEYS, "runExperiment");
  if (options.config && "init" in options.config) {
    throw new TypeError(
      "runExperiment: config.init is set per run (see run.ts); leave it out",
    );
  }
  const { init: _init, ...config } = resolveConfig(options.config);
  const runs = options.runs ?? DEFAULT_RUNS;
  if (!Number.isInteger(runs) || runs < 1) {
    throw new RangeError(`runs must be an integer >= 1, got ${runs}`);
  }
  const perturbation = options.perturbation ?? DEFAULT_PERTURBATION;
  if (typeof perturbation !== "number" || !Number.isFinite(perturbation) || perturbation < 0) {
    throw new RangeError(`perturbation must be a finite number >= 0, got ${perturbation}`);
  }
  let alignment: Plan["alignment"] = null;
  if (config.loss !== "bce") {
    const epochs = [...(options.alignmentEpochs ?? FIGURE_EPOCHS)];
    for (const e of epochs) {
      if (!Number.isInteger(e) || e < 1 || e > config.epochs) {
        throw new RangeError(`alignmentEpochs: ${e} is not an epoch in 1..${config.epochs}`);
      }
    }
    const segment = options.alignmentSegment ?? { ...FOLLOWED_SEGMENT };
    const ok = typeof segment === "number"
      ? Number.isInteger(segment) && segment >= 0
      : typeof segment === "object" && segment !== null && typeof segment.song === "string" &&
        Number.isInteger(segment.index) && segment.index >= 0;
    if (!ok) {
      throw new RangeError(
        `alignmentSegment must be an index >= 0 or { song, index }, got ${JSON.stringify(segment)}`,
      );
    }
    const runsOption = options.alignmentRuns ?? "all";
    if (runsOption !== "all" && runsOption !== "first") {
      throw new RangeError(`alignmentRuns must be "all" or "first", got ${runsOption}`);
    }
    // firstRunOnly enters the cache key only when set (the keys of the others are unchanged)
    alignment = runsOption === "first"
      ? { epochs, segment, firstRunOnly: true }
      : { epochs, segment };
  }
  return { config, runs, perturbation, alignment };
}

async function keyOf(p: Plan, fingerprint: string): Promise<string> {
  const hash = await sha256Hex(JSON.stringify({
    codeVersion: CODE_VERSION,
    config: p.config,
    runs: p.runs,
    perturbation: p.perturbation,
    alignment: p.alignment,
    data: fingerprint,
  }));
  return `${nameOf(p.config)}-${hash.slice(0, 16)}`;
}

/**
 * The cache key of an experiment: `<name>-<first 16 hex digits of SHA-256>` of the resolved
 * configuration, runs, σ, alignment capture, {@linkcode CODE_VERSION} and the data fingerprint.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (through {@linkcode runExperiment}).
 *
 * @example
 * ```ts
 * import { cacheKey } from "./experiment.ts";
 * await cacheKey({ config: { loss: "bce" } }, "0".repeat(64)); // "bce-e300-…"
 * ```
 */
export async function cacheKey(options: ExperimentOptions, fingerprint: string): Promise<string> {
  return await keyOf(plan(options), fingerprint);
}

const isFiniteList = (x: unknown): x is number[] =>
  Array.isArray(x) && x.every((v) => typeof v === "number" && Number.isFinite(v));
const isMeasure = (x: unknown) => typeof x === "number" && x >= 0 && x <= 1;

/**
 * Checks the content of an experiment cache file, every field the tables and notebooks read (a
 * description of the problem, or null), and revives the NaN standard deviation of a one-run
 * experiment (stored as JSON `null`).
 */
function experimentShape(v: unknown): string | null {
  const r = v as Partial<ExperimentResult> | null;
  if (typeof r !== "object" || r === null) return "not an object";
  if (typeof r.key !== "string") return "no key";
  if (typeof r.codeVersion !== "number") return "no codeVersion";
  if (typeof r.dataFingerprint !== "string") return "no dataFingerprint";
  if (typeof r.config !== "object" || r.config === null) return "no config";
  const epochs = r.config.epochs;
  if (!Number.isInteger(epochs) || epochs < 1) return "config.epochs is not a positive integer";
  if (!Number.isInteger(r.runs) || r.runs! < 1) return "runs is not a positive integer";
  if (!Array.isArray(r.results) || r.results.length !== r.runs) {
    return `results is not a list of ${r.runs} runs`;
  }
  for (const [i, x] of r.results.entries()) {
    const at = `results[${i}]`;
    if (typeof x !== "object" || x === null) return `${at} is not an object`;
    if (x.run !== i + 1) return `${at}.run is not ${i + 1}`;
    for (const f of ["trainLoss", "validationLoss"] as const) {
      if (!isFiniteList(x[f]) || x[f].length !== epochs) {
        return `${at}.${f} is not a list of ${epochs} finite numbers`;
      }
    }
    for (const f of ["f1", "precision", "recall"] as const) {
      if (!isMeasure(x[f])) return `${at}.${f} is not a number in [0, 1]`;
    }
    if (!Number.isInteger(x.bestEpoch) || x.bestEpoch < 1 || x.bestEpoch > epochs) {
      return `${at}.bestEpoch is not an epoch in 1..${epochs}`;
    }
    if (!Array.isArray(x.predictions) || !Array.isArray(x.alignments)) {
      return `${at} has no predictions or alignments`;
    }
  }
  const s = r.summary;
  if (typeof s !== "object" || s === null) return "no summary";
  for (const f of ["f1", "precision", "recall"] as const) {
    const stored = s[f] as unknown as Record<string, unknown> | undefined;
    if (typeof stored !== "object" || stored === null) return `no summary.${f}`;
    // one run: the std is NaN, stored as null by JSON
    if (stored.std === null && r.runs === 1) stored.std = NaN;
    const expected = spread(r.results.map((x) => x[f]));
    for (const k of ["n", "mean", "std", "min", "max"] as const) {
      if (!Object.is(stored[k], expected[k])) {
        return `summary.${f}.${k} is ${stored[k]}, its runs give ${expected[k]}`;
      }
    }
  }
  if (
    !Array.isArray(s.bestEpochs) ||
    s.bestEpochs.some((e, i) => e !== r.results![i].bestEpoch) ||
    s.bestEpochs.length !== r.runs
  ) {
    return "summary.bestEpochs are not the runs' best epochs";
  }
  if (typeof r.test !== "object" || r.test === null || !Array.isArray(r.test.reference)) {
    return "no test excerpt";
  }
  return null;
}

/** Experiments being computed, by cache file path. */
const IN_FLIGHT = new Map<string, Promise<ExperimentResult>>();

/**
 * Runs (or reads from the cache) an experiment: `runs` trainings of a configuration, each
 * tested on the test excerpt (see the module doc for the repetitions and the cache). With
 * `useCache` (default) a cached result with the same key is returned as is (`fromCache`);
 * otherwise the runs are computed (in Workers when `workers > 1`) and the cache file written
 * (atomically). Concurrent calls for the same experiment share one computation. Errors name the
 * problem: bad configuration (unknown padding, soft length ≤ 0, γ ≤ 0, ...), bad runs/σ/alignment
 * epochs, missing data files, a cache file that is not what it should be.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb and notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { runExperiment } from "./experiment.ts";
 * const r = await runExperiment({
 *   config: { loss: "soft-dtw", softLength: 16, padding: "uniform" },
 *   onProgress: (p) => p.epoch % 100 === 0 && console.log(p.run, p.epoch),
 * });
 * r.results[0].alignments.map((a) => a.epoch); // [1, 161]
 * ```
 */
export async function runExperiment(options: ExperimentOptions): Promise<ExperimentResult> {
  const p = plan(options);
  const workers = options.workers ?? Math.min(p.runs, 2);
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`workers must be an integer >= 1, got ${workers}`);
  }
  const data = options.data ?? await loadSplits({ dataDir: options.dataDir });
  const fingerprint = await dataFingerprint(data);
  const key = await keyOf(p, fingerprint);
  const path = join(options.cacheDir ?? DEFAULT_CACHE_DIR, `${key}.json`);
  // Concurrent calls for the same experiment (Table 4.1 and the γ sweep share γ = 0.3) share
  // one computation; the later caller gets one progress event per finished run.
  const running = IN_FLIGHT.get(path);
  if (running) {
    const shared = await running;
    for (const r of shared.results) {
      options.onProgress?.({
        run: r.run,
        runs: shared.runs,
        epoch: shared.config.epochs,
        epochs: shared.config.epochs,
        trainLoss: r.trainLoss[r.trainLoss.length - 1],
        validationLoss: r.validationLoss[r.validationLoss.length - 1],
        cached: false,
      });
    }
    return shared;
  }
  const computing = computeExperiment(options, p, { data, fingerprint, workers, key, path });
  IN_FLIGHT.set(path, computing);
  try {
    return await computing;
  } finally {
    IN_FLIGHT.delete(path);
  }
}

async function computeExperiment(
  options: ExperimentOptions,
  p: Plan,
  at: { data: Splits; fingerprint: string; workers: number; key: string; path: string },
): Promise<ExperimentResult> {
  const { data, fingerprint, workers, key, path } = at;
  if (options.useCache ?? true) {
    const cached = await readCacheFile<ExperimentResult>(path, experimentShape);
    if (cached) {
      // the file is the entry of this experiment on this data, or an error naming it
      const wrong = cached.key !== key
        ? `holds experiment ${cached.key}, not ${key} (copied or renamed?)`
        : cached.dataFingerprint !== fingerprint
        ? `was computed on other data (fingerprint ${cached.dataFingerprint.slice(0, 12)}…, ` +
          `the data now give ${fingerprint.slice(0, 12)}…)`
        : cached.codeVersion !== CODE_VERSION
        ? `was written by code version ${cached.codeVersion}, not ${CODE_VERSION}`
        : null;
      if (wrong !== null) {
        throw new Error(
          `cache file ${path} ${wrong}; delete it (or run deno task reproduce --fresh) to recompute`,
        );
      }
      for (const r of cached.results) {
        options.onProgress?.({
          run: r.run,
          runs: cached.runs,
          epoch: cached.config.epochs,
          epochs: cached.config.epochs,
          trainLoss: NaN,
          validationLoss: NaN,
          cached: true,
        });
      }
      return { ...cached, fromCache: true, seconds: null, runSeconds: null };
    }
  }
  const t0 = performance.now();
  const onEpoch = (run: number) => (epoch: number, trainLoss: number, validationLoss: number) =>
    options.onProgress?.({
      run,
      runs: p.runs,
      epoch,
      epochs: p.config.epochs,
      trainLoss,
      validationLoss,
      cached: false,
    });
  const alignment = p.alignment
    ? { epochs: p.alignment.epochs, segment: resolveSegment(data, p.alignment.segment) }
    : null;
  const specs = Array.from({ length: p.runs }, (_, i) => ({
    config: p.config,
    run: i + 1,
    perturbation: p.perturbation,
    alignment: i > 0 && p.alignment?.firstRunOnly ? null : alignment,
  }));
  let computed: RunResult[];
  if (workers === 1 && options.pool === undefined) {
    computed = specs.map((s) => runOnce({ ...s, data, onEpoch: onEpoch(s.run) }));
  } else {
    const pool = options.pool ?? new WorkerPool(Math.min(workers, p.runs));
    try {
      computed = await Promise.all(
        specs.map((s) => pool.run({ ...s, data, fingerprint }, onEpoch(s.run))),
      );
    } finally {
      if (options.pool === undefined) pool.terminate();
    }
  }
  // wall times stay out of the cache file (it must not change when the results do not)
  const runSeconds = computed.map((r) => r.seconds ?? NaN);
  const results = computed.map(({ seconds: _s, ...r }) => r);
  const seg = alignment ? data.train[alignment.segment] : null;
  const stored: Omit<ExperimentResult, "fromCache" | "seconds" | "runSeconds"> = {
    key,
    codeVersion: CODE_VERSION,
    dataFingerprint: fingerprint,
    config: p.config,
    runs: p.runs,
    perturbation: p.perturbation,
    alignment: alignment && seg ? { ...alignment, song: seg.song, index: seg.index } : null,
    test: {
      song: data.test.song,
      start: data.test.start,
      reference: data.test.labels,
      featureRate: data.featureRate,
    },
    results,
    summary: {
      f1: spread(results.map((r) => r.f1)),
      precision: spread(results.map((r) => r.precision)),
      recall: spread(results.map((r) => r.recall)),
      bestEpochs: results.map((r) => r.bestEpoch),
    },
  };
  const text = await sealedJson(stored);
  await writeFileAtomic(path, text);
  // what is returned is what a cached run reads back (e.g. NaN std of one run), so fresh and
  // cached runs give byte-identical tables
  const { integrity: _, ...readBack } = JSON.parse(text);
  const problem = experimentShape(readBack);
  if (problem !== null) throw new Error(`runExperiment: the result it wrote is wrong: ${problem}`);
  return {
    ...(readBack as typeof stored),
    fromCache: false,
    seconds: (performance.now() - t0) / 1000,
    runSeconds,
  };
}

/**
 * Removes cache files of other code versions or other data from `cacheDir`: only files this
 * library wrote (integrity hash matches, stored key = file name; see `pruneFiles` of cache.ts);
 * files of the current version and data are kept, as is every file it did not write. A
 * `cacheDir` that is a symbolic link is an error. Returns the removed file names and the kept
 * ones it did not write.
 *
 * Used by tools/reproduce.ts.
 *
 * @example
 * ```ts
 * import { pruneCache } from "./experiment.ts";
 * await pruneCache({ cacheDir: "/nonexistent" }); // { removed: [], kept: [] }
 * ```
 */
export async function pruneCache(
  options: { cacheDir?: string; data?: Splits; dataDir?: string } = {},
): Promise<{ removed: string[]; kept: string[] }> {
  const data = options.data ?? await loadSplits({ dataDir: options.dataDir });
  const fingerprint = await dataFingerprint(data);
  return await pruneFiles(options.cacheDir ?? DEFAULT_CACHE_DIR, (v) => {
    return v.codeVersion === CODE_VERSION && v.dataFingerprint === fingerprint;
  });
}
