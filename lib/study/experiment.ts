/**
 * Experiments: a training configuration run several times, evaluated on the test excerpt, and
 * cached as JSON so that the notebooks read results instead of retraining.
 *
 * {@linkcode runExperiment} trains dChord ({@linkcode trainModel}, 300 epochs by default)
 * `runs` times (default 5), evaluates the weights of the best validation epoch of every run on
 * the test excerpt (argmax chord per frame against the reference, precision/recall/F1 as
 * libfmp's `compute_eval_measures`), and summarizes the F1 over the runs (mean, sample
 * standard deviation, min, max).
 *
 * Repetitions. The report's procedure has no randomness (full batch, fixed initialization, no
 * shuffling), so repeating it gives bit-identical runs. To make the spread over 5 runs mean
 * something, run 1 is the report's procedure exactly and runs 2..5 start from templates
 * perturbed by seeded Gaussian noise (`N(0, σ²)` added to each of the 24 template weights,
 * `σ =` {@linkcode DEFAULT_PERTURBATION}, seed = run index; θ starts at 0 in every run). This
 * is our addition; the spread measures how sensitive the result is to the starting point.
 * Determinism itself is shown by recomputing a cached run bit for bit (lib/experiment_test.ts).
 *
 * Cache. Each experiment is one file `results/cache/<name>-<hash>.json` ({@linkcode cacheKey}):
 * the hash covers the resolved configuration, the number of runs, σ, the captured alignment
 * epochs and segment, {@linkcode CODE_VERSION} (bumped whenever training code changes) and the
 * data fingerprint ({@linkcode dataFingerprint}: SHA-256 of `data/chroma/metadata.json`, the
 * chroma CSVs and the annotation files it names). Any change gives a new key, so a stale
 * result is never read.
 *
 * Runs are spread over a pool of Deno Workers ({@linkcode WorkerPool}; default: up to 2, the
 * cores of the build machine), which several concurrent experiments can share; this module is
 * also the worker's entry point. A worker computes exactly what the main thread would (float64
 * JavaScript, no threads inside), so the results do not depend on the number of workers.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb, notebooks/05_gamma_sweep.ipynb and by
 * `deno task reproduce` (tools/reproduce.ts).
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
import { loadSplits, type Segment, type Splits } from "../chords/dataset.ts";
import { type DChordWeights, forward64, initialWeights } from "../chords/model.ts";
import { type EvalMeasures, evaluateLabels } from "../chords/evaluate.ts";
import {
  type CapturedAlignment,
  resolveConfig,
  type ResolvedConfig,
  type TrainConfig,
  trainModel,
} from "../chords/train.ts";
import { mulberry32 } from "../chords/random.ts";

/** Version of the training code; bump it when a change can alter results (new cache keys). */
export const CODE_VERSION = 4;

/** σ of the seeded perturbation of the initial templates in runs 2..n. */
export const DEFAULT_PERTURBATION = 0.1;

/** Epochs (from 1) at which the expected alignment is captured (the report's Figures 4.2/4.3). */
export const DEFAULT_ALIGNMENT_EPOCHS: readonly number[] = Object.freeze([1, 161]);

/**
 * The training segment whose expected alignment is captured: the first segment of the full
 * Let It Be recording (its chords are those of the test excerpt: C, G, Am, F).
 */
export const DEFAULT_ALIGNMENT_SEGMENT: Readonly<SegmentSpec> = Object.freeze({
  song: "LetItBe",
  index: 0,
});

/** A training segment named by song id and index within the song, or by its index in `train`. */
export type SegmentSpec = { song: string; index: number };

/** Root of the repository (parent of `lib/`). */
export const REPO_ROOT: string = decodeURIComponent(new URL("../../", import.meta.url).pathname);

/** Default cache directory: `results/cache/` of the repository. */
export const DEFAULT_CACHE_DIR = `${REPO_ROOT}results/cache`;

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
  /** Training configuration (defaults as {@linkcode resolveConfig}; `init` is not allowed). */
  config: TrainConfig;
  /** Number of runs (default 5). */
  runs?: number;
  /** σ of the template perturbation of runs 2..n (default {@linkcode DEFAULT_PERTURBATION}). */
  perturbation?: number;
  /** Epochs of the captured expected alignments (soft-DTW only; default 1 and 161). */
  alignmentEpochs?: readonly number[];
  /**
   * Training segment of the captured alignments: index in the training list or
   * `{ song, index }` (default {@linkcode DEFAULT_ALIGNMENT_SEGMENT}).
   */
  alignmentSegment?: number | SegmentSpec;
  /** Cache directory (default `<repo>/results/cache`). */
  cacheDir?: string;
  /** Read a cached result if there is one (default true); results are always written. */
  useCache?: boolean;
  /** Data directory (default `<repo>/data`). */
  dataDir?: string;
  /** Number of Deno Workers for the runs (default `min(runs, 2)`; 1 = in this thread). */
  workers?: number;
  /** A shared worker pool (overrides `workers`; see {@linkcode WorkerPool}). */
  pool?: WorkerPool;
  /** Called after every epoch of every run (and once per run read from the cache). */
  onProgress?: (progress: ExperimentProgress) => void;
}

/** One run of an experiment; the measures are those of the best epoch's weights on the test. */
export interface RunResult extends EvalMeasures {
  /** Run index (from 1). */
  run: number;
  /** Initial weights of the run. */
  init: DChordWeights;
  /** Epoch (from 1) with the lowest validation loss; its weights were tested. */
  bestEpoch: number;
  /** Lowest validation loss. */
  bestValidationLoss: number;
  /** Training loss per epoch. */
  trainLoss: number[];
  /** Validation loss per epoch. */
  validationLoss: number[];
  /** Expected alignments of the fixed training segment at the requested epochs (6 decimals). */
  alignments: CapturedAlignment[];
  /** Weights of the best epoch. */
  weights: DChordWeights;
  /** Weights after the last epoch. */
  finalWeights: DChordWeights;
  /** Estimated chord (0..23) per test frame. */
  predictions: number[];
}

/** Mean, sample standard deviation (n − 1; 0 for one run), min and max. */
export interface Spread {
  /** Mean. */
  mean: number;
  /** Sample standard deviation. */
  std: number;
  /** Minimum. */
  min: number;
  /** Maximum. */
  max: number;
}

/** What {@linkcode runExperiment} returns (and the cache file holds). */
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
  /** Wall time of the computation in seconds (of the original computation when cached). */
  seconds: number;
}

/**
 * Mean, sample standard deviation, min and max of a non-empty list.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (through {@linkcode runExperiment}).
 *
 * @example
 * ```ts
 * import { spread } from "./experiment.ts";
 * spread([1, 2, 3]); // { mean: 2, std: 1, min: 1, max: 3 }
 * ```
 */
export function spread(values: number[]): Spread {
  if (!Array.isArray(values) || values.length === 0) {
    throw new RangeError("spread: need at least one value");
  }
  if (!values.every(Number.isFinite)) throw new RangeError("spread: values must be finite");
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return {
    mean,
    std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/**
 * Initial weights of run `run` (from 1): the report's initialization (θ = 0, binary triads)
 * for run 1; for later runs the 24 template weights plus seeded Gaussian noise of standard
 * deviation `sigma` (Box–Muller on Mulberry32 with seed = run index), θ = 0.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (through {@linkcode runExperiment}).
 *
 * @example
 * ```ts
 * import { runInit } from "./experiment.ts";
 * runInit(1, 0.05).major; // [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]
 * ```
 */
export function runInit(run: number, sigma: number): DChordWeights {
  if (!Number.isInteger(run) || run < 1) {
    throw new RangeError(`run must be an integer >= 1, got ${run}`);
  }
  if (typeof sigma !== "number" || !Number.isFinite(sigma) || sigma < 0) {
    throw new RangeError(`perturbation must be a finite number >= 0, got ${sigma}`);
  }
  const w = initialWeights();
  if (run === 1 || sigma === 0) return w;
  const rand = mulberry32(run);
  const gauss = () => {
    const u = 1 - rand(); // (0, 1]
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return {
    theta: 0,
    major: w.major.map((x) => x + sigma * gauss()),
    minor: w.minor.map((x) => x + sigma * gauss()),
  };
}

async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function joinPath(dir: string, file: string): string {
  return dir.endsWith("/") ? dir + file : `${dir}/${file}`;
}

/**
 * Fingerprint of the data: SHA-256 over `data/chroma/metadata.json` and every chroma CSV and
 * annotation file it names (in its order). Throws naming the file when one is missing.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (through {@linkcode runExperiment}).
 *
 * @example
 * ```ts
 * import { dataFingerprint } from "./experiment.ts";
 * (await dataFingerprint()).length; // 64 hex digits
 * ```
 */
export async function dataFingerprint(options: { dataDir?: string } = {}): Promise<string> {
  const dir = options.dataDir ?? `${REPO_ROOT}data`;
  const read = async (rel: string) => {
    const path = joinPath(dir, rel);
    try {
      return await Deno.readFile(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new Error(`data file not found: ${path} (run \`deno task build-data\`)`);
      }
      throw e;
    }
  };
  const meta = await read("chroma/metadata.json");
  const parsed = JSON.parse(new TextDecoder().decode(meta)) as {
    songs?: { chroma: string; annotation: string }[];
  };
  if (!Array.isArray(parsed.songs)) {
    throw new Error(`${joinPath(dir, "chroma/metadata.json")}: no songs list`);
  }
  const parts = [await sha256Hex(meta)];
  for (const s of parsed.songs) {
    parts.push(await sha256Hex(await read(s.chroma)), await sha256Hex(await read(s.annotation)));
  }
  return await sha256Hex(parts.join("\n"));
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
  const c = resolveConfig(config);
  return c.loss === "bce"
    ? `bce-e${c.epochs}`
    : `sdtw-${c.softLength}-${c.padding}-g${c.gamma}-e${c.epochs}`;
}

interface Plan {
  config: Omit<ResolvedConfig, "init">;
  trainConfig: TrainConfig;
  runs: number;
  perturbation: number;
  alignment: { epochs: number[]; segment: number | SegmentSpec } | null;
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
  if (options.config && "init" in options.config) {
    throw new TypeError(
      "runExperiment: config.init is set per run (see the module doc); leave it out",
    );
  }
  const resolved = resolveConfig(options.config);
  const runs = options.runs ?? 5;
  if (!Number.isInteger(runs) || runs < 1) {
    throw new RangeError(`runs must be an integer >= 1, got ${runs}`);
  }
  const perturbation = options.perturbation ?? DEFAULT_PERTURBATION;
  if (typeof perturbation !== "number" || !Number.isFinite(perturbation) || perturbation < 0) {
    throw new RangeError(`perturbation must be a finite number >= 0, got ${perturbation}`);
  }
  const { init: _init, ...config } = resolved;
  let alignment: Plan["alignment"] = null;
  if (config.loss === "soft-dtw") {
    const epochs = [...(options.alignmentEpochs ?? DEFAULT_ALIGNMENT_EPOCHS)];
    for (const e of epochs) {
      if (!Number.isInteger(e) || e < 1 || e > config.epochs) {
        throw new RangeError(`alignmentEpochs: ${e} is not an epoch in 1..${config.epochs}`);
      }
    }
    const segment = options.alignmentSegment ?? { ...DEFAULT_ALIGNMENT_SEGMENT };
    const ok = typeof segment === "number"
      ? Number.isInteger(segment) && segment >= 0
      : typeof segment === "object" && segment !== null && typeof segment.song === "string" &&
        Number.isInteger(segment.index) && segment.index >= 0;
    if (!ok) {
      throw new RangeError(
        `alignmentSegment must be an index >= 0 or { song, index }, got ${JSON.stringify(segment)}`,
      );
    }
    alignment = { epochs, segment };
  }
  const trainConfig: TrainConfig = { ...options.config };
  return { config, trainConfig, runs, perturbation, alignment };
}

/**
 * The cache key of an experiment: `<name>-<first 16 hex digits of SHA-256>` of the resolved
 * configuration, runs, σ, alignment capture, {@linkcode CODE_VERSION} and the data fingerprint.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (through {@linkcode runExperiment}).
 *
 * @example
 * ```ts
 * import { cacheKey, dataFingerprint } from "./experiment.ts";
 * await cacheKey({ config: { loss: "bce" } }, await dataFingerprint()); // "bce-e300-…"
 * ```
 */
export async function cacheKey(options: ExperimentOptions, fingerprint: string): Promise<string> {
  const p = plan(options);
  const hash = await sha256Hex(JSON.stringify({
    codeVersion: CODE_VERSION,
    config: p.config,
    runs: p.runs,
    perturbation: p.perturbation,
    alignment: p.alignment,
    data: fingerprint,
  }));
  return `${configName(p.trainConfig)}-${hash.slice(0, 16)}`;
}

/**
 * One run of an experiment, in this thread: trains from {@linkcode runInit}, tests the best
 * weights on the test excerpt. Deterministic (the cache test recomputes a run with it).
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (through {@linkcode runExperiment}).
 *
 * @example
 * ```ts
 * import { runOnce } from "./experiment.ts";
 * import { loadSplits } from "../chords/dataset.ts";
 * const r = runOnce({ splits: await loadSplits(), config: { loss: "bce", epochs: 5 }, run: 1 });
 * r.f1;
 * ```
 */
export function runOnce(options: {
  splits: Splits;
  config: TrainConfig;
  run: number;
  perturbation?: number;
  alignment?: { epochs: number[]; segment: number } | null;
  onEpoch?: (epoch: number, trainLoss: number, validationLoss: number) => void;
}): RunResult {
  const { splits, run } = options;
  const init = runInit(run, options.perturbation ?? DEFAULT_PERTURBATION);
  const trained = trainModel({
    train: splits.train,
    validation: splits.validation,
    config: { ...options.config, init },
    alignment: options.alignment ?? undefined,
    onEpoch: options.onEpoch
      ? (e) => options.onEpoch!(e.epoch, e.trainLoss, e.validationLoss)
      : undefined,
  });
  const predictions = predictLabels(trained.weights, splits.test);
  const m = evaluateLabels({ reference: splits.test.labels, estimate: predictions });
  return {
    run,
    init,
    precision: m.precision,
    recall: m.recall,
    f1: m.f1,
    tp: m.tp,
    fp: m.fp,
    fn: m.fn,
    bestEpoch: trained.bestEpoch,
    bestValidationLoss: trained.bestValidationLoss,
    trainLoss: trained.trainLoss,
    validationLoss: trained.validationLoss,
    alignments: trained.alignments.map((a) => ({
      ...a,
      matrix: a.matrix.map((row) => row.map(roundAlignment)),
    })),
    weights: trained.weights,
    finalWeights: trained.finalWeights,
    predictions,
  };
}

/** Expected alignments are stored rounded to 6 decimals (they are for display). */
function roundAlignment(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * The argmax chord per frame of a segment under the given weights (float64 forward pass).
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (recognition of the test excerpt).
 *
 * @example
 * ```ts
 * import { predictLabels } from "./experiment.ts";
 * import { initialWeights } from "../chords/model.ts";
 * predictLabels(initialWeights(), { chroma: [[0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1]] }); // [7]
 * ```
 */
export function predictLabels(weights: DChordWeights, segment: Pick<Segment, "chroma">): number[] {
  const flat = new Float64Array(segment.chroma.length * 12);
  segment.chroma.forEach((row, n) => {
    if (!Array.isArray(row) || row.length !== 12) {
      throw new RangeError(`chroma[${n}] must have 12 values`);
    }
    flat.set(row, n * 12);
  });
  const P = forward64(weights, flat).probabilities;
  const out: number[] = [];
  for (let n = 0; n < segment.chroma.length; n++) {
    let best = 0;
    for (let c = 1; c < 24; c++) if (P[n * 24 + c] > P[n * 24 + best]) best = c;
    out.push(best);
  }
  return out;
}

/** One run for a worker of a {@linkcode WorkerPool}. */
interface Job {
  id: number;
  dataDir: string;
  config: TrainConfig;
  run: number;
  perturbation: number;
  alignment: { epochs: number[]; segment: number } | null;
}
type FromWorker =
  | { id: number; type: "epoch"; epoch: number; trainLoss: number; validationLoss: number }
  | { id: number; type: "result"; result: RunResult }
  | { id: number; type: "error"; message: string };

/** Rough cost of a run for scheduling: epochs × (soft length, or 12 for BCE). */
function jobCost(job: Omit<Job, "id">): number {
  const c = resolveConfig(job.config);
  return c.epochs * (c.loss === "bce" ? 12 : c.softLength!);
}

interface Pending {
  job: Job;
  onEpoch: (epoch: number, trainLoss: number, validationLoss: number) => void;
  resolve: (r: RunResult) => void;
  reject: (e: Error) => void;
}

/**
 * A pool of Deno Workers that run single training runs ({@linkcode runOnce}), one per worker at
 * a time, longest first (epochs × soft length; BCE counts as soft length 12), otherwise in the
 * order submitted; each worker loads the data once. Share one pool
 * between several concurrent {@linkcode runExperiment} calls to keep every core busy (as
 * tools/reproduce.ts does); call {@linkcode WorkerPool.terminate} when done.
 *
 * Used by tools/reproduce.ts (and by {@linkcode runExperiment} without a pool).
 *
 * @example
 * ```ts
 * import { runExperiment, WorkerPool } from "./experiment.ts";
 * const pool = new WorkerPool(2);
 * try {
 *   await Promise.all([
 *     runExperiment({ config: { loss: "bce" }, pool }),
 *     runExperiment({ config: { loss: "soft-dtw" }, pool }),
 *   ]);
 * } finally {
 *   pool.terminate();
 * }
 * ```
 */
export class WorkerPool {
  /** Number of workers. */
  readonly size: number;
  #workers: { worker: Worker; busy: Pending | null }[] = [];
  #queue: Pending[] = [];
  #nextId = 1;
  #closed = false;

  /** @param size number of workers (>= 1) */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`workers must be an integer >= 1, got ${size}`);
    }
    this.size = size;
  }

  /** Queues one run; resolves with its result. */
  run(
    job: Omit<Job, "id">,
    onEpoch: (epoch: number, trainLoss: number, validationLoss: number) => void,
  ): Promise<RunResult> {
    if (this.#closed) return Promise.reject(new Error("WorkerPool: already terminated"));
    return new Promise((resolve, reject) => {
      const pending = { job: { ...job, id: this.#nextId++ }, onEpoch, resolve, reject };
      // longest runs first (better balance at the end); submission order among equals
      const cost = jobCost(job);
      const at = this.#queue.findIndex((q) => jobCost(q.job) < cost);
      this.#queue.splice(at < 0 ? this.#queue.length : at, 0, pending);
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let slot = this.#workers.find((w) => w.busy === null);
      if (!slot && this.#workers.length < this.size) {
        slot = { worker: new Worker(import.meta.url, { type: "module" }), busy: null };
        const s = slot;
        s.worker.onmessage = (e: MessageEvent<FromWorker>) => this.#message(s, e.data);
        s.worker.onerror = (e) => {
          e.preventDefault();
          this.#fail(s, new Error(`experiment worker failed: ${e.message}`));
        };
        this.#workers.push(s);
      }
      if (!slot) return;
      const pending = this.#queue.shift()!;
      slot.busy = pending;
      slot.worker.postMessage(pending.job);
    }
  }

  #message(slot: { worker: Worker; busy: Pending | null }, msg: FromWorker): void {
    const p = slot.busy;
    if (!p || p.job.id !== msg.id) return;
    if (msg.type === "epoch") p.onEpoch(msg.epoch, msg.trainLoss, msg.validationLoss);
    else if (msg.type === "result") {
      slot.busy = null;
      p.resolve(msg.result);
      this.#dispatch();
    } else {
      slot.busy = null;
      p.reject(new Error(`experiment worker, run ${p.job.run}: ${msg.message}`));
      this.#dispatch();
    }
  }

  #fail(slot: { worker: Worker; busy: Pending | null }, error: Error): void {
    slot.worker.terminate();
    this.#workers = this.#workers.filter((w) => w !== slot);
    slot.busy?.reject(error);
    slot.busy = null;
    this.#dispatch();
  }

  /** Stops every worker; queued runs are rejected. */
  terminate(): void {
    this.#closed = true;
    for (const w of this.#workers) w.worker.terminate();
    this.#workers = [];
    for (const p of this.#queue) p.reject(new Error("WorkerPool: terminated"));
    this.#queue = [];
  }
}

/**
 * Runs (or reads from the cache) an experiment: `runs` trainings of a configuration, each
 * tested on the test excerpt (see the module doc for the repetitions and the cache). With
 * `useCache` (default) a cached result with the same key is returned as is (`fromCache`);
 * otherwise the runs are computed (in Workers when `workers > 1`) and the cache file written.
 * Errors name the problem: bad configuration (unknown padding, soft length ≤ 0, γ ≤ 0, ...),
 * bad runs/σ/alignment epochs, missing data files.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb, notebooks/05_gamma_sweep.ipynb and
 * tools/reproduce.ts.
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
  const dataDir = options.dataDir ?? `${REPO_ROOT}data`;
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const workers = options.workers ?? Math.min(p.runs, 2);
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`workers must be an integer >= 1, got ${workers}`);
  }
  const fingerprint = await dataFingerprint({ dataDir });
  const key = await cacheKey(options, fingerprint);
  const path = joinPath(cacheDir, `${key}.json`);
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
  const computing = computeExperiment(options, p, {
    dataDir,
    cacheDir,
    workers,
    key,
    path,
    fingerprint,
  });
  IN_FLIGHT.set(path, computing);
  try {
    return await computing;
  } finally {
    IN_FLIGHT.delete(path);
  }
}

/** Experiments being computed, by cache file path. */
const IN_FLIGHT = new Map<string, Promise<ExperimentResult>>();

async function computeExperiment(
  options: ExperimentOptions,
  p: Plan,
  at: {
    dataDir: string;
    cacheDir: string;
    workers: number;
    key: string;
    path: string;
    fingerprint: string;
  },
): Promise<ExperimentResult> {
  const { dataDir, cacheDir, workers, key, path, fingerprint } = at;
  if (options.useCache ?? true) {
    const cached = await readCache(path);
    if (cached) {
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
      return { ...cached, fromCache: true };
    }
  }
  const t0 = performance.now();
  const splits = await loadSplits({ dataDir });
  const onEpoch = (run: number, epoch: number, trainLoss: number, validationLoss: number) =>
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
    ? { epochs: p.alignment.epochs, segment: resolveSegment(splits, p.alignment.segment) }
    : null;
  const results = workers === 1 && options.pool === undefined
    ? Array.from({ length: p.runs }, (_, i) =>
      runOnce({
        splits,
        config: p.trainConfig,
        run: i + 1,
        perturbation: p.perturbation,
        alignment,
        onEpoch: (e, t, v) => onEpoch(i + 1, e, t, v),
      }))
    : await runInPool(
      options.pool ?? new WorkerPool(Math.min(workers, p.runs)),
      options.pool === undefined,
      Array.from({ length: p.runs }, (_, i) => ({
        dataDir,
        config: p.trainConfig,
        run: i + 1,
        perturbation: p.perturbation,
        alignment,
      })),
      onEpoch,
    );
  const seg = alignment ? splits.train[alignment.segment] : null;
  const result: ExperimentResult = {
    key,
    codeVersion: CODE_VERSION,
    dataFingerprint: fingerprint,
    config: p.config,
    runs: p.runs,
    perturbation: p.perturbation,
    alignment: alignment && seg ? { ...alignment, song: seg.song, index: seg.index } : null,
    test: {
      song: splits.test.song,
      start: splits.test.start,
      reference: splits.test.labels,
      featureRate: splits.featureRate,
    },
    results,
    summary: {
      f1: spread(results.map((r) => r.f1)),
      precision: spread(results.map((r) => r.precision)),
      recall: spread(results.map((r) => r.recall)),
      bestEpochs: results.map((r) => r.bestEpoch),
    },
    fromCache: false,
    seconds: (performance.now() - t0) / 1000,
  };
  await Deno.mkdir(cacheDir, { recursive: true });
  await Deno.writeTextFile(path, JSON.stringify({ ...result, fromCache: undefined }) + "\n");
  return result;
}

async function runInPool(
  pool: WorkerPool,
  own: boolean,
  jobs: Omit<Job, "id">[],
  onEpoch: (run: number, epoch: number, t: number, v: number) => void,
): Promise<RunResult[]> {
  try {
    return await Promise.all(
      jobs.map((job) => pool.run(job, (e, t, v) => onEpoch(job.run, e, t, v))),
    );
  } finally {
    if (own) pool.terminate();
  }
}

async function readCache(path: string): Promise<ExperimentResult | null> {
  const r = await readCacheFile<ExperimentResult>(path);
  return r && r.codeVersion === CODE_VERSION && Array.isArray(r.results) ? r : null;
}

/**
 * Reads a JSON cache file: `null` when it does not exist, an error naming the file when it is
 * not valid JSON. (The caller checks that the content is what it expects.)
 *
 * Used by {@linkcode runExperiment} and the γ sweep of lib/gamma_sweep.ts.
 *
 * @example
 * ```ts
 * import { readCacheFile } from "./experiment.ts";
 * await readCacheFile<{ key: string }>("results/cache/none.json"); // null
 * ```
 */
export async function readCacheFile<T>(path: string): Promise<T | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`cache file ${path} is not valid JSON (${(e as Error).message}); delete it`);
  }
}

/**
 * Removes cache files of other code versions or other data from `cacheDir` (files of the
 * current version and data are kept). Returns the removed file names.
 *
 * Used by tools/reproduce.ts.
 *
 * @example
 * ```ts
 * import { pruneCache } from "./experiment.ts";
 * await pruneCache(); // e.g. ["bce-e300-0123456789abcdef.json"]
 * ```
 */
export async function pruneCache(
  options: { cacheDir?: string; dataDir?: string } = {},
): Promise<string[]> {
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const fingerprint = await dataFingerprint({ dataDir: options.dataDir });
  const removed: string[] = [];
  let entries: Deno.DirEntry[] = [];
  try {
    entries = [...Deno.readDirSync(cacheDir)];
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return removed;
    throw e;
  }
  for (const entry of entries) {
    if (!entry.isFile || !entry.name.endsWith(".json")) continue;
    const path = joinPath(cacheDir, entry.name);
    let stale = true;
    try {
      const r = JSON.parse(await Deno.readTextFile(path));
      stale = r.codeVersion !== CODE_VERSION || r.dataFingerprint !== fingerprint;
    } catch {
      stale = true;
    }
    if (stale) {
      await Deno.remove(path);
      removed.push(entry.name);
    }
  }
  return removed.sort();
}

// ---- Worker entry point: runs one job at a time, posts progress and the result. ----
interface WorkerScope {
  onmessage: ((e: MessageEvent<Job>) => void) | null;
  postMessage(message: FromWorker): void;
}
const isWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !==
    "undefined" &&
  globalThis instanceof
    (globalThis as unknown as { WorkerGlobalScope: new () => unknown }).WorkerGlobalScope;
if (isWorker) {
  const scope = globalThis as unknown as WorkerScope;
  const splitsByDir = new Map<string, Promise<Splits>>();
  scope.onmessage = async (e: MessageEvent<Job>) => {
    const job = e.data;
    try {
      if (!splitsByDir.has(job.dataDir)) {
        splitsByDir.set(job.dataDir, loadSplits({ dataDir: job.dataDir }));
      }
      const splits = await splitsByDir.get(job.dataDir)!;
      const result = runOnce({
        splits,
        config: job.config,
        run: job.run,
        perturbation: job.perturbation,
        alignment: job.alignment,
        onEpoch: (epoch, trainLoss, validationLoss) =>
          scope.postMessage({ id: job.id, type: "epoch", epoch, trainLoss, validationLoss }),
      });
      scope.postMessage({ id: job.id, type: "result", result });
    } catch (err) {
      scope.postMessage({
        id: job.id,
        type: "error",
        message: err instanceof Error ? err.message : `${err}`,
      });
    }
  };
}
