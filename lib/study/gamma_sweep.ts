/**
 * The soft-DTW temperature sweep of the report's Appendix C: dChord trained with the soft-DTW
 * loss on weak targets of soft length 16 with uniform padding, for several γ.
 *
 * - The report's three values {@linkcode REPORT_GAMMAS} (0.001, 0.3, 10) are run as
 *   experiments of `lib/experiment.ts` with {@linkcode REPORT_RUNS} runs each: run 1 is the
 *   report's procedure, runs 2..5 start from seeded perturbed templates (see that module), which
 *   gives the spread of the test F1 and of the best epoch.
 * - Every γ of the finer grid {@linkcode FINE_GAMMAS} (9 values from 0.001 to 10, a 1-3-10 grid:
 *   every step a factor 3 or 10/3, so the values are evenly spread on a log axis to within 5 %,
 *   and the report's values are among them) gets one "sharpness run": run 1 (the report's
 *   procedure, `runOnce` of `lib/experiment.ts`) with the expected alignment `E = ∂SDTW/∂C` of
 *   one fixed training segment ({@linkcode DEFAULT_SEGMENT}) captured every 10 epochs
 *   ({@linkcode captureEpochs}: 1, 11, …, 291 and the last; 161 is one of them) and summarized
 *   by the sharpness measures of `lib/alignment_stats.ts` (normalized mean row entropy, mass
 *   inside the band of the strong alignment). Only the matrices of the report's Figure C.1
 *   ({@linkcode FIGURE_EPOCHS}: 1 and 161) are kept in full. The other γ of the grid have this
 *   single run only (to keep the reproduction short); for the report's γ, run 1 of the
 *   experiment is the same deterministic training, which the sweep checks
 *   ({@linkcode SweepPoint.run1Matches}).
 *
 * Caches: the experiments are cached by `lib/experiment.ts` in `results/cache/`, where γ = 0.3
 * is the same experiment as Table 4.1's soft length 16 with uniform padding (computed once);
 * one JSON file per sharpness run in `results/gamma_sweep/cache/`, keyed by the configuration, a
 * fingerprint of the data (SHA-256 of the segments' chroma and labels), the training code
 * version `CODE_VERSION` of `lib/experiment.ts` and {@linkcode SWEEP_CODE_VERSION}. With
 * `useCache` (the default) cached results are read instead of trained, so the notebook runs in
 * seconds once the cache exists. {@linkcode runGammaSweep} also writes the summary files of
 * {@linkcode writeSweepResults} to `results/gamma_sweep/`.
 *
 * Used in notebooks/05_gamma_sweep.ipynb and by `deno task reproduce`.
 *
 * @example
 * ```ts
 * import { runGammaSweep } from "./gamma_sweep.ts";
 * const sweep = await runGammaSweep({ onProgress: (p) => console.log(p.message) });
 * sweep.points.map((p) => [p.gamma, p.f1.mean]);
 * ```
 *
 * @module
 */
import * as tf from "../deps/tfjs.ts";
import { loadSplits, type Padding, type Segment, type Splits } from "../chords/dataset.ts";
import {
  CODE_VERSION,
  DEFAULT_ALIGNMENT_EPOCHS,
  DEFAULT_CACHE_DIR,
  type ExperimentResult,
  readCacheFile,
  REPO_ROOT,
  runExperiment,
  runOnce,
  type RunResult,
  WorkerPool,
} from "./experiment.ts";
import { bandMass, meanRowEntropy } from "../align/sharpness.ts";
import { type AlignmentBlock, strongAlignment } from "../chords/targets.ts"; // study helper: targets.ts

/** The report's γ values (Appendix C). */
export const REPORT_GAMMAS: readonly number[] = Object.freeze([0.001, 0.3, 10]);

/** The finer grid: 1-3-10 steps from 0.001 to 10 (9 values, contains the report's values). */
export const FINE_GAMMAS: readonly number[] = Object.freeze([
  0.001,
  0.003,
  0.01,
  0.03,
  0.1,
  0.3,
  1,
  3,
  10,
]);

/** Runs per report γ. */
export const REPORT_RUNS = 5;

/** Soft length of the sweep (the report's Appendix C). */
export const SOFT_LENGTH = 16;

/** Padding of the sweep (the report's Appendix C). */
export const PADDING: Padding = "uniform";

/** Epochs of every training (the report's setup). */
export const EPOCHS = 300;

/** Epochs whose full expected alignment is kept (the report's Figure C.1). */
export const FIGURE_EPOCHS: readonly number[] = Object.freeze([1, 161]);

/** Index (in the training list) of the segment whose expected alignment is followed. */
export const DEFAULT_SEGMENT = 0;

/** Tolerances (columns) of the band mass measure. */
export const BAND_TOLERANCES: readonly number[] = Object.freeze([0, 1]);

/** Bump to invalidate the cache when the meaning of a cached run changes. */
export const SWEEP_CODE_VERSION = "gamma-sweep-2";

/** Default directory of the sweep's outputs (`results/gamma_sweep/`). */
export function defaultSweepDir(): string {
  return decodeURIComponent(new URL("../../results/gamma_sweep/", import.meta.url).pathname);
}

/** Sharpness of the captured expected alignment at one epoch. */
export interface SharpnessPoint {
  /** Epoch (from 1). */
  epoch: number;
  /** Mean row entropy of E divided by log(soft length), in [0, 1]. */
  entropy: number;
  /** Mass of E inside the strong alignment's band, tolerance 0. */
  bandMass: number;
  /** Mass of E inside the strong alignment's band widened by ±1 column. */
  bandMass1: number;
}

/** The sharpness run of one γ: run 1 (the report's procedure), alignment captured every 10 epochs. */
export interface SharpnessRun {
  /** Cache key. */
  key: string;
  /** γ. */
  gamma: number;
  /** Training loss per epoch. */
  trainLoss: number[];
  /** Validation loss per epoch. */
  validationLoss: number[];
  /** Epoch with the lowest validation loss (its weights are tested). */
  bestEpoch: number;
  /** Test precision, recall and F1 (frame-wise, the report's measure). */
  test: { precision: number; recall: number; f1: number };
  /** Sharpness per captured epoch ({@linkcode captureEpochs}). */
  sharpness: SharpnessPoint[];
  /** Full expected alignments at the figure epochs ({@linkcode FIGURE_EPOCHS}), 5 digits. */
  alignments: { epoch: number; matrix: number[][] }[];
  /** Training time in seconds when it was computed. */
  seconds: number;
}

/** Mean and spread of a list of numbers. */
export interface Spread {
  /** Number of values. */
  n: number;
  /** Mean. */
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); NaN for a single value. */
  std: number;
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
}

/** Everything about one γ. */
export interface SweepPoint {
  /** γ. */
  gamma: number;
  /** Is it one of the report's values (trained `reportRuns` times through `runExperiment`)? */
  report: boolean;
  /** Test F1 of every run (run 1 first). */
  f1s: number[];
  /** Test F1 over the runs. */
  f1: Spread;
  /** Best epoch of every run. */
  bestEpochs: number[];
  /** The sharpness run (run 1): curves, test F1, sharpness per epoch, figure alignments. */
  run1: SharpnessRun;
  /**
   * For a report γ: whether run 1 of the experiment and the sharpness run have bit-identical
   * loss curves and test F1 (they are the same deterministic training); null otherwise.
   */
  run1Matches: boolean | null;
  /** σ of the template perturbation of runs 2..n of a report γ (from its experiment); null otherwise. */
  perturbation: number | null;
  /** Seconds of training behind this point (when it was computed). */
  seconds: number;
}

/** The fixed training segment whose expected alignment is followed. */
export interface FixedSegment {
  /** Index in the training list. */
  index: number;
  /** Song id. */
  song: string;
  /** Index of the segment within its song. */
  songIndex: number;
  /** Frame labels. */
  labels: number[];
  /** Strong alignment against its weak target (frames × soft length). */
  strong: number[][];
  /** Blocks of the strong alignment (for the outline in the figures). */
  blocks: AlignmentBlock[];
}

/** What {@linkcode runGammaSweep} returns. */
export interface GammaSweep {
  /** One entry per γ of the grid, by increasing γ. */
  points: SweepPoint[];
  /** The followed segment. */
  segment: FixedSegment;
  /** Epochs at which the sharpness was measured. */
  captureEpochs: number[];
  /** Epochs of the full alignments. */
  figureEpochs: number[];
  /** Epochs per training. */
  epochs: number;
  /** Number of trainings done in this call (the rest came from the caches). */
  trained: number;
  /** Number of trainings read from the caches. */
  cached: number;
  /** Wall time of this call in seconds. */
  seconds: number;
  /** Fingerprint of the data of the sharpness runs. */
  dataFingerprint: string;
  /** Number of frames of the test segment (one frame moves the test F1 by about 1/this). */
  testFrames: number;
}

/** Progress report of {@linkcode runGammaSweep}, after every finished training or cache read. */
export interface SweepProgress {
  /** Trainings finished so far (trained or read). */
  done: number;
  /** Trainings in all. */
  total: number;
  /** γ of the finished training. */
  gamma: number;
  /** `"experiment"` (a run of a report γ) or `"sharpness"` (the sharpness run of a γ). */
  kind: "experiment" | "sharpness";
  /** Run number (1 for a sharpness run). */
  run: number;
  /** Whether it came from a cache. */
  cached: boolean;
  /** A one-line human-readable summary. */
  message: string;
}

/** Options of {@linkcode runGammaSweep}. */
export interface SweepOptions {
  /** Called after every finished training or cache read. */
  onProgress?: (progress: SweepProgress) => void;
  /** Read cached results instead of training (default true); fresh results are always cached. */
  useCache?: boolean;
  /** Output directory (default `results/gamma_sweep/`); the caches are in its `cache/`. */
  dir?: string;
  /** Write the summary files (default true). */
  write?: boolean;
  /** γ grid (default {@linkcode FINE_GAMMAS}). */
  gammas?: readonly number[];
  /** γ values run as 5-run experiments (default {@linkcode REPORT_GAMMAS}; may be empty). */
  reportGammas?: readonly number[];
  /** Runs per report γ (default {@linkcode REPORT_RUNS}). */
  reportRuns?: number;
  /** Deno Workers of the trainings (default 2, see `lib/experiment.ts`); ignored with `pool`. */
  workers?: number;
  /**
   * A shared worker pool (see `lib/experiment.ts`): every training of the sweep is queued on it
   * at once, so they run concurrently with other experiments on the same pool.
   */
  pool?: WorkerPool;
  /** Cache directory of the report experiments (default `results/cache/`, as Table 4.1). */
  experimentCacheDir?: string;
  /** Epochs per training (default {@linkcode EPOCHS}). */
  epochs?: number;
  /** Index of the followed training segment (default {@linkcode DEFAULT_SEGMENT}). */
  segment?: number;
  /**
   * Data of the sharpness runs (default `loadSplits()`). The report experiments read `data/`
   * through `runExperiment`, so `splits` can only be given with an empty `reportGammas`.
   */
  splits?: Splits;
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

function checkGammas(gammas: readonly number[], name: string): number[] {
  if (!Array.isArray(gammas) || gammas.length === 0) {
    throw new RangeError(`${name} must be a non-empty list of γ values`);
  }
  gammas.forEach((g, i) => {
    if (typeof g !== "number" || !Number.isFinite(g) || g <= 0) {
      throw new RangeError(`${name}[${i}] is ${g}, γ must be a positive finite number`);
    }
  });
  const sorted = [...gammas].sort((a, b) => a - b);
  sorted.forEach((g, i) => {
    if (i > 0 && g === sorted[i - 1]) throw new RangeError(`${name}: γ = ${g} appears twice`);
  });
  return sorted;
}

/**
 * The epochs at which the sweep measures the sharpness: 1, 11, 21, … (every 10th epoch from
 * the first), the {@linkcode FIGURE_EPOCHS} up to `epochs`, and the last epoch; sorted, no
 * duplicates.
 *
 * Used in notebooks/05_gamma_sweep.ipynb (through {@linkcode runGammaSweep}).
 *
 * @example
 * ```ts
 * import { captureEpochs } from "./gamma_sweep.ts";
 * captureEpochs(25); // [1, 11, 21, 25]
 * ```
 */
export function captureEpochs(epochs: number, options: { every?: number } = {}): number[] {
  positiveInteger(epochs, "epochs");
  const every = positiveInteger(options.every ?? 10, "every");
  const set = new Set<number>();
  for (let e = 1; e <= epochs; e += every) set.add(e);
  for (const e of FIGURE_EPOCHS) if (e <= epochs) set.add(e);
  set.add(epochs);
  return [...set].sort((a, b) => a - b);
}

/**
 * Mean, sample standard deviation, minimum and maximum of a non-empty list of finite numbers
 * (the standard deviation is NaN for a single value). Throws for an empty list or a value
 * that is not a finite number.
 *
 * Used in notebooks/05_gamma_sweep.ipynb (test F1 over the runs).
 *
 * @example
 * ```ts
 * import { spread } from "./gamma_sweep.ts";
 * spread([1, 2, 3]); // { n: 3, mean: 2, std: 1, min: 1, max: 3 }
 * ```
 */
export function spread(values: number[]): Spread {
  if (!Array.isArray(values) || values.length === 0) {
    throw new RangeError("spread: expected at least one value");
  }
  values.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`spread: value ${i} is ${v}, expected a finite number`);
    }
  });
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n < 2 ? NaN : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, std, min: Math.min(...values), max: Math.max(...values) };
}

/**
 * The sharpness measures of one expected alignment against a strong alignment: normalized
 * mean row entropy and band mass with tolerance 0 and 1 (`lib/alignment_stats.ts`).
 *
 * Used in notebooks/05_gamma_sweep.ipynb (through {@linkcode runGammaSweep}).
 *
 * @example
 * ```ts
 * import { sharpness } from "./gamma_sweep.ts";
 * sharpness({ epoch: 1, matrix: [[1, 0], [0, 1]], strong: [[1, 0], [0, 1]] });
 * // { epoch: 1, entropy: 0, bandMass: 1, bandMass1: 1 }
 * ```
 */
export function sharpness(
  options: { epoch: number; matrix: number[][]; strong: number[][] },
): SharpnessPoint {
  const { epoch, matrix, strong } = options;
  const name = `expected alignment of epoch ${epoch}`;
  return {
    epoch,
    entropy: meanRowEntropy(matrix, { normalized: true, name }),
    bandMass: bandMass(matrix, strong, { tolerance: BAND_TOLERANCES[0], name }),
    bandMass1: bandMass(matrix, strong, { tolerance: BAND_TOLERANCES[1], name }),
  };
}

/**
 * The relative total variation of a curve, `Σ_e |v_e − v_{e−1}| / (max v − min v)`: 1 for a
 * monotone curve, larger the more it goes up and down (a curve that oscillates between its
 * extremes k times has about 2k). Used as a measure of how (un)stable a loss curve is.
 * Throws for fewer than 2 values, a value that is not finite, and a constant curve.
 *
 * Used in notebooks/05_gamma_sweep.ipynb (stability of the validation loss).
 *
 * @example
 * ```ts
 * import { relativeVariation } from "./gamma_sweep.ts";
 * relativeVariation([5, 3, 2, 1]); // 1 (monotone)
 * relativeVariation([0, 2, 0, 2]); // 6 / 2 = 3
 * ```
 */
export function relativeVariation(curve: number[]): number {
  if (!Array.isArray(curve) || curve.length < 2) {
    throw new RangeError("relativeVariation: expected at least 2 values");
  }
  curve.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`relativeVariation: value ${i} is ${v}, expected a finite number`);
    }
  });
  const range = Math.max(...curve) - Math.min(...curve);
  if (range === 0) throw new RangeError("relativeVariation: the curve is constant");
  let tv = 0;
  for (let i = 1; i < curve.length; i++) tv += Math.abs(curve[i] - curve[i - 1]);
  return tv / range;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A fingerprint of the data a sweep trains and tests on: the SHA-256 (hex, first 16 digits)
 * of the chroma and labels of the training, validation and test segments.
 *
 * Used in notebooks/05_gamma_sweep.ipynb (through {@linkcode runGammaSweep}, cache keys).
 *
 * @example
 * ```ts
 * import { dataFingerprint } from "./gamma_sweep.ts";
 * import { loadSplits } from "../chords/dataset.ts";
 * await dataFingerprint(await loadSplits()); // e.g. "3f9a…" (16 hex digits)
 * ```
 */
export async function dataFingerprint(
  splits: Pick<Splits, "train" | "validation" | "test">,
): Promise<string> {
  const strip = (s: Segment) => [s.chroma, s.labels];
  const text = JSON.stringify([
    splits.train.map(strip),
    splits.validation.map(strip),
    strip(splits.test),
  ]);
  return (await sha256(text)).slice(0, 16);
}

/**
 * The cache key of a sharpness run: SHA-256 (first 20 hex digits) of the configuration, the run
 * number, the followed segment, the data fingerprint, `CODE_VERSION` of `lib/experiment.ts`
 * and {@linkcode SWEEP_CODE_VERSION}.
 *
 * Used in notebooks/05_gamma_sweep.ipynb (through {@linkcode runGammaSweep}).
 *
 * @example
 * ```ts
 * import { runKey } from "./gamma_sweep.ts";
 * await runKey({ gamma: 0.3, run: 1, epochs: 300, segment: 0, data: "abc" });
 * ```
 */
export async function runKey(
  options: { gamma: number; run: number; epochs: number; segment: number; data: string },
): Promise<string> {
  const text = JSON.stringify({
    version: SWEEP_CODE_VERSION,
    trainingCode: CODE_VERSION,
    loss: "soft-dtw",
    gamma: options.gamma,
    softLength: SOFT_LENGTH,
    padding: PADDING,
    epochs: options.epochs,
    run: options.run,
    segment: options.segment,
    captureEvery: 10,
    data: options.data,
  });
  return (await sha256(text)).slice(0, 20);
}

function round(value: number, digits = 5): number {
  return value === 0 ? 0 : Number(value.toPrecision(digits));
}

function gammaName(gamma: number): string {
  return String(gamma).replace(".", "p");
}

function sharpnessRun(
  options: { r: RunResult; gamma: number; strong: number[][]; key: string; seconds: number },
): SharpnessRun {
  const { r, gamma, strong, key, seconds } = options;
  const figure = new Set(FIGURE_EPOCHS);
  return {
    key,
    gamma,
    trainLoss: r.trainLoss,
    validationLoss: r.validationLoss,
    bestEpoch: r.bestEpoch,
    test: { precision: r.precision, recall: r.recall, f1: r.f1 },
    sharpness: r.alignments.map((a) => sharpness({ epoch: a.epoch, matrix: a.matrix, strong })),
    alignments: r.alignments.filter((a) => figure.has(a.epoch)).map((a) => ({
      epoch: a.epoch,
      matrix: a.matrix.map((row) => row.map((v) => round(v))),
    })),
    seconds,
  };
}

function sameCurves(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

async function readCached(path: string, key: string): Promise<SharpnessRun | null> {
  const run = await readCacheFile<SharpnessRun>(path);
  return run?.key === key ? run : null;
}

/**
 * Runs (or reads from the caches) the whole sweep: a `runExperiment` of `reportRuns` runs for
 * every report γ and a sharpness run for every γ of the grid (see the module doc), with test
 * F1, best epochs, loss curves and the sharpness of the followed segment's expected alignment
 * every 10 epochs. Fresh results are written to the caches (`<dir>/cache/`), and unless
 * `write: false` the summary files of {@linkcode writeSweepResults} are written to `dir`.
 * Throws for a γ that is not positive and finite, a repeated γ, a report γ missing from the
 * grid, run counts or epochs that are not positive integers, a segment index out of range, and
 * `splits` given together with report γ values.
 *
 * Used in notebooks/05_gamma_sweep.ipynb and by `deno task reproduce`.
 *
 * @example
 * ```ts
 * import { runGammaSweep } from "./gamma_sweep.ts";
 * const sweep = await runGammaSweep({ useCache: true });
 * sweep.points.length; // 9
 * ```
 */
export async function runGammaSweep(options: SweepOptions = {}): Promise<GammaSweep> {
  const t0 = performance.now();
  const gammas = checkGammas(options.gammas ?? FINE_GAMMAS, "gammas");
  const reportGammas = options.reportGammas ?? REPORT_GAMMAS;
  if (reportGammas.length > 0) checkGammas(reportGammas, "reportGammas");
  for (const g of reportGammas) {
    if (!gammas.includes(g)) throw new RangeError(`report γ = ${g} is not in the γ grid`);
  }
  if (options.splits && reportGammas.length > 0) {
    throw new TypeError(
      "splits can only be given with reportGammas: [] (the report experiments read data/)",
    );
  }
  const reportRuns = positiveInteger(options.reportRuns ?? REPORT_RUNS, "reportRuns");
  const epochs = positiveInteger(options.epochs ?? EPOCHS, "epochs");
  const useCache = options.useCache ?? true;
  const dir = (options.dir ?? defaultSweepDir()).replace(/\/$/, "");
  const cacheDir = `${dir}/cache`;
  const splits = options.splits ?? await loadSplits();
  const segment = options.segment ?? DEFAULT_SEGMENT;
  if (!Number.isInteger(segment) || segment < 0 || segment >= splits.train.length) {
    throw new RangeError(
      `segment must be an index in 0..${splits.train.length - 1} of the training segments, ` +
        `got ${segment}`,
    );
  }
  tf.enableProdMode();
  const seg = splits.train[segment];
  const strong = strongAlignment(seg.labels, { softLength: SOFT_LENGTH, padding: PADDING });
  const data = await dataFingerprint(splits);
  await Deno.mkdir(cacheDir, { recursive: true });
  const figureEpochs = FIGURE_EPOCHS.filter((e) => e <= epochs);

  const total = gammas.length + reportGammas.length * reportRuns;
  let done = 0, trained = 0, cached = 0;
  const report = (
    p: Omit<SweepProgress, "done" | "total" | "message">,
    detail: string,
  ) => {
    done++;
    if (p.cached) cached++;
    else trained++;
    options.onProgress?.({
      ...p,
      done,
      total,
      message: `γ = ${p.gamma} ${p.kind} run ${p.run}: ${p.cached ? "cached" : "trained"}` +
        `${detail} (${done}/${total})`,
    });
  };

  // Every training is started at once on one worker pool (or, with custom `splits`, which
  // workers cannot load, in this thread); the cache files are read first.
  const ownPool = options.pool === undefined && options.splits === undefined;
  const pool = options.pool ?? (ownPool ? new WorkerPool(options.workers ?? 2) : undefined);
  const config = (gamma: number) => ({
    loss: "soft-dtw" as const,
    gamma,
    softLength: SOFT_LENGTH,
    padding: PADDING,
    epochs,
  });
  const sharpnessOf = async (gamma: number): Promise<[SharpnessRun, boolean]> => {
    const key = await runKey({ gamma, run: 1, epochs, segment, data });
    const path = `${cacheDir}/sharpness_gamma_${gammaName(gamma)}_${key}.json`;
    const cachedRun = useCache ? await readCached(path, key) : null;
    if (cachedRun !== null) return [cachedRun, true];
    const t1 = performance.now();
    const alignment = { segment, epochs: captureEpochs(epochs) };
    const r = pool
      ? await pool.run({
        dataDir: `${REPO_ROOT}data`,
        config: config(gamma),
        run: 1,
        perturbation: 0,
        alignment,
      }, () => {})
      : runOnce({ splits, config: config(gamma), run: 1, alignment });
    const run = sharpnessRun({
      r,
      gamma,
      strong: strong.matrix,
      key,
      seconds: (performance.now() - t1) / 1000,
    });
    await Deno.writeTextFile(path, JSON.stringify(run) + "\n");
    return [run, false];
  };
  let experimentList: ExperimentResult[];
  let runs: [SharpnessRun, boolean][];
  try {
    [experimentList, runs] = await Promise.all([
      Promise.all(reportGammas.map((gamma) =>
        runExperiment({
          config: config(gamma),
          runs: reportRuns,
          // the alignment capture of Table 4.1 (so that γ = 0.3 is the very same experiment)
          alignmentEpochs: DEFAULT_ALIGNMENT_EPOCHS.filter((e) => e <= epochs),
          cacheDir: options.experimentCacheDir ?? DEFAULT_CACHE_DIR,
          useCache,
          pool,
          workers: pool ? undefined : 1,
          onProgress: (e) => {
            if (e.epoch === e.epochs) {
              report({ gamma, kind: "experiment", run: e.run, cached: e.cached }, "");
            }
          },
        })
      )),
      Promise.all(gammas.map(async (gamma) => {
        const [run, fromCache] = await sharpnessOf(gamma);
        report(
          { gamma, kind: "sharpness", run: 1, cached: fromCache },
          `, test F1 ${run.test.f1.toFixed(3)}, best epoch ${run.bestEpoch}`,
        );
        return [run, fromCache] as [SharpnessRun, boolean];
      })),
    ]);
  } finally {
    if (ownPool) pool?.terminate();
  }
  const experiments = new Map(reportGammas.map((g, i) => [g, experimentList[i]]));

  const points: SweepPoint[] = gammas.map((gamma, i) => {
    const run1 = runs[i][0];
    const exp = experiments.get(gamma);
    const f1s = exp ? exp.results.map((r) => r.f1) : [run1.test.f1];
    return {
      gamma,
      report: exp !== undefined,
      f1s,
      f1: spread(f1s),
      bestEpochs: exp ? exp.results.map((r) => r.bestEpoch) : [run1.bestEpoch],
      run1,
      run1Matches: exp
        ? sameCurves(exp.results[0].trainLoss, run1.trainLoss) &&
          sameCurves(exp.results[0].validationLoss, run1.validationLoss) &&
          exp.results[0].f1 === run1.test.f1
        : null,
      perturbation: exp ? exp.perturbation : null,
      seconds: run1.seconds + (exp ? exp.seconds : 0),
    };
  });
  const sweep: GammaSweep = {
    points,
    segment: {
      index: segment,
      song: seg.song,
      songIndex: seg.index,
      labels: seg.labels,
      strong: strong.matrix,
      blocks: strong.blocks,
    },
    captureEpochs: captureEpochs(epochs),
    figureEpochs,
    epochs,
    trained,
    cached,
    seconds: (performance.now() - t0) / 1000,
    dataFingerprint: data,
    testFrames: splits.test.labels.length,
  };
  if (options.write ?? true) await writeSweepResults(sweep, { dir });
  return sweep;
}

function csv(rows: (string | number)[][]): string {
  return rows.map((r) =>
    r.map((v) => (typeof v === "number" ? (Number.isNaN(v) ? "" : String(v)) : v)).join(",")
  ).join("\n") + "\n";
}

/**
 * The sharpness of a point's sharpness run at an epoch (undefined when not captured).
 *
 * Used in notebooks/05_gamma_sweep.ipynb.
 *
 * @example
 * ```ts
 * import { runGammaSweep, sharpnessAt } from "./gamma_sweep.ts";
 * const sweep = await runGammaSweep();
 * sharpnessAt(sweep.points[0], 161)?.bandMass;
 * ```
 */
export function sharpnessAt(point: SweepPoint, epoch: number): SharpnessPoint | undefined {
  return point.run1.sharpness.find((s) => s.epoch === epoch);
}

/**
 * Writes the sweep's summary to `dir` (default `results/gamma_sweep/`):
 * `summary.csv` (per γ: runs, test F1 mean/std/min/max, best epochs, whether run 1 of the experiment
 * matches the sharpness run, sharpness
 * at the figure epochs and the last epoch), `sharpness.csv` (γ, epoch, entropy, band mass
 * with tolerance 0 and 1), `curves.csv` (γ, epoch, training and validation loss of run 1) and
 * `README.md` (the same summary as a Markdown table, with the setup). Returns the paths.
 *
 * Used in notebooks/05_gamma_sweep.ipynb (through {@linkcode runGammaSweep}) and by
 * `deno task reproduce`.
 *
 * @example
 * ```ts
 * import { runGammaSweep, writeSweepResults } from "./gamma_sweep.ts";
 * const sweep = await runGammaSweep({ write: false });
 * await writeSweepResults(sweep, { dir: "/tmp/gamma_sweep" });
 * ```
 */
export async function writeSweepResults(
  sweep: GammaSweep,
  options: { dir?: string } = {},
): Promise<string[]> {
  const dir = (options.dir ?? defaultSweepDir()).replace(/\/$/, "");
  await Deno.mkdir(dir, { recursive: true });
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
  const summaryPath = `${dir}/summary.csv`;
  await Deno.writeTextFile(summaryPath, csv([header, ...rows]));
  const sharpPath = `${dir}/sharpness.csv`;
  await Deno.writeTextFile(
    sharpPath,
    csv([
      ["gamma", "epoch", "entropy", "band_mass", "band_mass_w1"],
      ...sweep.points.flatMap((p) =>
        p.run1.sharpness.map((s) => [p.gamma, s.epoch, s.entropy, s.bandMass, s.bandMass1])
      ),
    ]),
  );
  const curvesPath = `${dir}/curves.csv`;
  await Deno.writeTextFile(
    curvesPath,
    csv([
      ["gamma", "epoch", "train_loss", "validation_loss"],
      ...sweep.points.flatMap((p) =>
        p.run1.trainLoss.map((t, i) => [p.gamma, i + 1, t, p.run1.validationLoss[i]])
      ),
    ]),
  );
  const f = (v: number, d = 3) => (Number.isNaN(v) ? "–" : v.toFixed(d));
  const md = [
    "# Soft-DTW temperature sweep (report Appendix C)",
    "",
    `Soft-DTW loss, soft length ${SOFT_LENGTH}, ${PADDING} padding, ${sweep.epochs} epochs; ` +
    `test F1 of the weights with the lowest validation loss. Sharpness of the expected ` +
    `alignment of training segment ${sweep.segment.index} (${sweep.segment.song} ` +
    `#${sweep.segment.songIndex}) in run 1: mean row entropy / log(${SOFT_LENGTH}) ` +
    `(0 = sharp, 1 = uniform) and the share of its mass inside the strong alignment ` +
    `(band ±0 columns). Data fingerprint ${sweep.dataFingerprint}. Written by ` +
    "`lib/gamma_sweep.ts`.",
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
  const mdPath = `${dir}/README.md`;
  await Deno.writeTextFile(mdPath, md);
  return [summaryPath, sharpPath, curvesPath, mdPath];
}
