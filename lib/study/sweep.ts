/**
 * The soft-DTW temperature sweep of the report's Appendix C: dChord trained with the soft-DTW
 * loss on weak targets of soft length 16 with uniform padding, for several γ. Computes and
 * returns; the summary files are written by tools/reproduce.ts (tables.ts makes their text).
 *
 * - The report's three values (`REPORT_GAMMAS` of report.ts: 0.001, 0.3, 10) are run as
 *   experiments of experiment.ts with 5 runs each: run 1 is the report's procedure, runs 2..5
 *   start from seeded perturbed templates (see run.ts), which gives the spread of the test F1 and
 *   of the best epoch.
 * - Every γ of the finer grid {@linkcode FINE_GAMMAS} (9 values from 0.001 to 10, a 1-3-10 grid:
 *   every step a factor 3 or 10/3, so the values are evenly spread on a log axis to within 5 %,
 *   and the report's values are among them; ours, not the report's) gets one "sharpness run":
 *   run 1 (the report's procedure) with the expected alignment `E = ∂SDTW/∂C` of the followed
 *   training segment (`FOLLOWED_SEGMENT` of report.ts, the same as in Table 4.1's experiments)
 *   captured every 10 epochs ({@linkcode captureEpochs}: 1, 11, …, 291 and the last; 161 is one
 *   of them) and summarized by `sharpness` of sharpness.ts (normalized mean row entropy, mass
 *   inside the band of the strong alignment). Only the matrices of the report's Figure C.1 (`FIGURE_EPOCHS`:
 *   1 and 161) are kept in full. For the report's γ, run 1 of the experiment is the same
 *   deterministic training, which the sweep checks ({@linkcode SweepPoint.run1Matches}).
 *
 * Caches: the experiments are cached by experiment.ts in `results/cache/`, where γ = 0.3 is the
 * same experiment as Table 4.1's soft length 16 with uniform padding (computed once); one JSON
 * file per sharpness run in `results/gamma_sweep/cache/`, keyed by {@linkcode runKey}.
 *
 * Used in notebooks/05_gamma_sweep.ipynb and by `deno task reproduce`.
 *
 * @example
 * ```ts
 * import { runGammaSweep } from "./sweep.ts";
 * const sweep = await runGammaSweep({ onProgress: (p) => console.log(p.message) });
 * sweep.points.map((p) => [p.gamma, p.f1.mean]);
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { checkGamma } from "../align/mod.ts";
import { type AlignmentBlock, strongAlignment } from "../chords/data/targets.ts";
import { dataFingerprint, readCacheFile, sealedJson, sha256Hex, writeFileAtomic } from "./cache.ts";
import { loadSplits, type Splits } from "./data.ts";
import { CODE_VERSION, type ExperimentResult, runExperiment } from "./experiment.ts";
import { RESULTS_DIR } from "./paths.ts";
import { WorkerPool } from "./pool.ts";
import {
  EPOCHS,
  FIGURE_EPOCHS,
  FOLLOWED_SEGMENT,
  REPORT_GAMMAS,
  type SegmentSpec,
  SWEEP_PADDING,
  SWEEP_SOFT_LENGTH,
} from "./report.ts";
import { runOnce } from "./run.ts";
import { type Spread, spread } from "./stats.ts";
import { checkKeys, positiveInteger } from "./options.ts";
import { captureEpochs, type SharpnessRun, sharpnessRun, sharpnessShape } from "./sharpness.ts";

/**
 * The finer γ grid: 1-3-10 steps from 0.001 to 10 (9 values, contains the report's values).
 *
 * @example
 * ```ts
 * import { FINE_GAMMAS } from "./sweep.ts";
 * FINE_GAMMAS.length; // 9
 * ```
 */
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

/** Runs per report γ (ours, as every experiment: see run.ts). */
export const REPORT_RUNS = 5;

/** Bump to invalidate the sharpness cache when the meaning of a cached run changes. */
export const SWEEP_CODE_VERSION = "gamma-sweep-3";

/**
 * Default cache directory of the sharpness runs: `results/gamma_sweep/cache/`.
 *
 * @example
 * ```ts
 * import { DEFAULT_SWEEP_CACHE_DIR } from "./sweep.ts";
 * DEFAULT_SWEEP_CACHE_DIR.endsWith("cache"); // true
 * ```
 */
export const DEFAULT_SWEEP_CACHE_DIR: string = join(RESULTS_DIR, "gamma_sweep", "cache");

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
}

/** The followed training segment. */
export interface FollowedSegment {
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
  segment: FollowedSegment;
  /** Epochs at which the sharpness was measured. */
  captureEpochs: number[];
  /** Epochs of the full alignments. */
  figureEpochs: number[];
  /** Epochs per training. */
  epochs: number;
  /** Soft length of the weak targets. */
  softLength: number;
  /** Padding of the weak targets. */
  padding: string;
  /** Number of trainings done in this call (the rest came from the caches). */
  trained: number;
  /** Number of trainings read from the caches. */
  cached: number;
  /** Wall time of this call in seconds (not written to any file). */
  seconds: number;
  /** Fingerprint of the data. */
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
  /** Cache directory of the sharpness runs (default {@linkcode DEFAULT_SWEEP_CACHE_DIR}). */
  cacheDir?: string;
  /** Cache directory of the report experiments (default `results/cache/`, as Table 4.1). */
  experimentCacheDir?: string;
  /** γ grid (default {@linkcode FINE_GAMMAS}). */
  gammas?: readonly number[];
  /** γ values run as several-run experiments (default `REPORT_GAMMAS`; may be empty). */
  reportGammas?: readonly number[];
  /** Runs per report γ (default {@linkcode REPORT_RUNS}). */
  reportRuns?: number;
  /** Deno Workers of the trainings (default 2; 1 = in this thread); ignored with `pool`. */
  workers?: number;
  /** A shared worker pool: every training of the sweep is queued on it at once. */
  pool?: WorkerPool;
  /** Epochs per training (default `EPOCHS`, 300). */
  epochs?: number;
  /** The followed training segment (default `FOLLOWED_SEGMENT`; or an index in the list). */
  segment?: SegmentSpec | number;
  /** The data (default `loadSplits({ dataDir })`). */
  data?: Splits;
  /** Data directory when `data` is not given (default `data/` of the repository). */
  dataDir?: string;
}

const SWEEP_KEYS: readonly (keyof SweepOptions)[] = [
  "onProgress",
  "useCache",
  "cacheDir",
  "experimentCacheDir",
  "gammas",
  "reportGammas",
  "reportRuns",
  "workers",
  "pool",
  "epochs",
  "segment",
  "data",
  "dataDir",
];

function checkGammas(gammas: readonly number[], name: string): number[] {
  if (!Array.isArray(gammas) || gammas.length === 0) {
    throw new RangeError(`${name} must be a non-empty list of γ values`);
  }
  gammas.forEach((g, i) => checkGamma(g, { name: `${name}[${i}]` })); // the one γ check
  const sorted = [...gammas].sort((a, b) => a - b);
  sorted.forEach((g, i) => {
    if (i > 0 && g === sorted[i - 1]) throw new RangeError(`${name}: γ = ${g} appears twice`);
  });
  return sorted;
}

/**
 * The cache key of a sharpness run: SHA-256 (first 20 hex digits) of the configuration, the run
 * number, the followed segment, the data fingerprint, `CODE_VERSION` of experiment.ts and
 * {@linkcode SWEEP_CODE_VERSION}.
 *
 * Used in notebooks/05_gamma_sweep.ipynb (through {@linkcode runGammaSweep}).
 *
 * @example
 * ```ts
 * import { runKey } from "./sweep.ts";
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
    softLength: SWEEP_SOFT_LENGTH,
    padding: SWEEP_PADDING,
    epochs: options.epochs,
    run: options.run,
    segment: options.segment,
    captureEvery: 10,
    data: options.data,
  });
  return (await sha256Hex(text)).slice(0, 20);
}

function gammaName(gamma: number): string {
  return String(gamma).replace(".", "p");
}

function sameCurves(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function segmentIndex(data: Splits, spec: SegmentSpec | number): number {
  const i = typeof spec === "number"
    ? spec
    : data.train.findIndex((s) => s.song === spec?.song && s.index === spec?.index);
  if (!Number.isInteger(i) || i < 0 || i >= data.train.length) {
    throw new RangeError(
      `segment ${JSON.stringify(spec)} is not one of the ${data.train.length} training segments`,
    );
  }
  return i;
}

/**
 * Runs (or reads from the caches) the whole sweep: a `runExperiment` of `reportRuns` runs for
 * every report γ and a sharpness run for every γ of the grid (see the module doc), with test
 * F1, best epochs, loss curves and the sharpness of the followed segment's expected alignment
 * every 10 epochs. Fresh results are written to the caches (atomically); nothing else is
 * written. Throws a RangeError for a γ that is not positive and finite, a repeated γ, a report γ
 * missing from the grid, run counts or epochs that are not positive integers, and a segment
 * that is not a training segment.
 *
 * Used in notebooks/05_gamma_sweep.ipynb and by `deno task reproduce`.
 *
 * @example
 * ```ts
 * import { runGammaSweep } from "./sweep.ts";
 * const sweep = await runGammaSweep({ useCache: true });
 * sweep.points.length; // 9
 * ```
 */
export async function runGammaSweep(options: SweepOptions = {}): Promise<GammaSweep> {
  const t0 = performance.now();
  checkKeys(options, SWEEP_KEYS, "runGammaSweep");
  const gammas = checkGammas(options.gammas ?? FINE_GAMMAS, "gammas");
  const reportGammas = options.reportGammas ?? REPORT_GAMMAS;
  if (reportGammas.length > 0) checkGammas(reportGammas, "reportGammas");
  for (const g of reportGammas) {
    if (!gammas.includes(g)) throw new RangeError(`report γ = ${g} is not in the γ grid`);
  }
  const reportRuns = positiveInteger(options.reportRuns ?? REPORT_RUNS, "reportRuns");
  const epochs = positiveInteger(options.epochs ?? EPOCHS, "epochs");
  const workers = positiveInteger(options.workers ?? 2, "workers");
  const useCache = options.useCache ?? true;
  const cacheDir = options.cacheDir ?? DEFAULT_SWEEP_CACHE_DIR;
  const data = options.data ?? await loadSplits({ dataDir: options.dataDir });
  const segment = segmentIndex(data, options.segment ?? FOLLOWED_SEGMENT);
  const seg = data.train[segment];
  const softLength = SWEEP_SOFT_LENGTH;
  const padding = SWEEP_PADDING;
  const strong = strongAlignment(seg.labels, { softLength, padding });
  const fingerprint = await dataFingerprint(data);
  const figureEpochs = FIGURE_EPOCHS.filter((e) => e <= epochs);

  const total = gammas.length + reportGammas.length * reportRuns;
  let done = 0, trained = 0, cached = 0;
  const report = (p: Omit<SweepProgress, "done" | "total" | "message">, detail: string) => {
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

  // Every training is queued at once on one worker pool (or run in this thread with
  // workers: 1); the cache files are read first.
  const ownPool = options.pool === undefined && workers > 1;
  const pool = options.pool ?? (ownPool ? new WorkerPool(workers) : undefined);
  const config = (gamma: number) => ({
    loss: "soft-dtw" as const,
    gamma,
    softLength,
    padding,
    epochs,
  });
  const sharpnessOf = async (gamma: number): Promise<[SharpnessRun, boolean]> => {
    const key = await runKey({ gamma, run: 1, epochs, segment, data: fingerprint });
    const path = join(cacheDir, `sharpness_gamma_${gammaName(gamma)}_${key}.json`);
    const cachedRun = useCache ? await readCacheFile<SharpnessRun>(path, sharpnessShape) : null;
    if (cachedRun !== null) {
      // the key covers the data fingerprint, the configuration and the code versions
      if (cachedRun.key !== key || cachedRun.gamma !== gamma) {
        throw new Error(
          `cache file ${path} holds sharpness run ${cachedRun.key} (γ = ${cachedRun.gamma}), ` +
            `not ${key} (γ = ${gamma}): other data, code or a copied file; delete it to recompute`,
        );
      }
      return [cachedRun, true];
    }
    const spec = {
      config: config(gamma),
      run: 1,
      alignment: { segment, epochs: captureEpochs(epochs) },
    };
    const r = pool ? await pool.run({ ...spec, data, fingerprint }) : runOnce({ ...spec, data });
    const text = await sealedJson({ ...sharpnessRun({ r, gamma, strong: strong.matrix, key }) });
    await writeFileAtomic(path, text);
    // return what a cached run reads back, so fresh and cached sweeps write the same files
    const { integrity: _, ...run } = JSON.parse(text);
    return [run as SharpnessRun, false];
  };
  let experimentList: ExperimentResult[];
  let runs: SharpnessRun[];
  try {
    [experimentList, runs] = await Promise.all([
      Promise.all(reportGammas.map((gamma) =>
        runExperiment({
          config: config(gamma),
          runs: reportRuns,
          // the alignment capture of Table 4.1 (so that γ = 0.3 is the very same experiment)
          alignmentEpochs: figureEpochs,
          alignmentSegment: options.segment ?? { ...FOLLOWED_SEGMENT },
          cacheDir: options.experimentCacheDir,
          data,
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
        return run;
      })),
    ]);
  } finally {
    if (ownPool) pool?.terminate();
  }
  const experiments = new Map(reportGammas.map((g, i) => [g, experimentList[i]]));

  const points: SweepPoint[] = gammas.map((gamma, i) => {
    const run1 = runs[i];
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
    };
  });
  return {
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
    softLength,
    padding,
    trained,
    cached,
    seconds: (performance.now() - t0) / 1000,
    dataFingerprint: fingerprint,
    testFrames: data.test.labels.length,
  };
}
