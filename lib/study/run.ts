/**
 * One training run of the study, computed in this thread: dChord trained from the run's initial
 * weights ({@linkcode runInit}), the weights of the best validation epoch tested on the test
 * excerpt. Pure computation on data it is given (no files, no tfjs), so that a worker of
 * pool.ts computes exactly what the main thread would.
 *
 * Repetitions. The report's procedure has no randomness (full batch, fixed initialization, no
 * shuffling), so repeating it gives bit-identical runs. To make a spread over runs mean
 * something, run 1 is the report's procedure exactly and runs 2..n start from templates
 * perturbed by seeded Gaussian noise (`N(0, σ²)` added to each of the 24 template weights,
 * `σ =` {@linkcode DEFAULT_PERTURBATION}, seed = run index; θ starts at 0 in every run). This is
 * our addition, not the report's; the spread measures how sensitive the result is to the
 * starting point.
 *
 * @example
 * ```ts
 * import { runOnce } from "./run.ts";
 * import { loadSplits } from "./data.ts";
 * const r = runOnce({ data: await loadSplits(), config: { loss: "bce", epochs: 5 }, run: 1 });
 * r.f1;
 * ```
 *
 * @module
 */
import { blankRate, type BlankWeights } from "../chords/model/dchord_blank.ts";
import { type DChordWeights, initialWeights, predictChords } from "../chords/model/dchord.ts";
import { type EvalMeasures, evaluateLabels } from "../chords/evaluation/frame_f1.ts";
import { trainModel } from "../chords/training/train_model.ts";
import type { TrainConfig } from "../chords/training/config.ts";
import type { CapturedAlignment } from "../chords/training/options.ts";
import type { Segment } from "../chords/data/dataset.ts";
import { mulberry32 } from "../chords/random.ts";

/** σ of the seeded perturbation of the initial templates in runs 2..n (our addition). */
export const DEFAULT_PERTURBATION = 0.1;

/** The data of a run: training and validation segments (one batch each) and the test segment. */
export interface RunData {
  /** Training segments. */
  train: Segment[];
  /** Validation segments. */
  validation: Segment[];
  /** The test segment. */
  test: Segment;
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
  /** Expected alignments of the followed training segment at the requested epochs (6 decimals). */
  alignments: CapturedAlignment[];
  /** Weights of the best epoch. */
  weights: DChordWeights;
  /** Weights after the last epoch. */
  finalWeights: DChordWeights;
  /** Estimated chord (0..23) per test frame (for CTC the best chord, the blank ignored). */
  predictions: number[];
  /** CTC only: share of test frames whose most probable output is the blank. */
  blankRate?: number;
  /** Wall time of the training in seconds (not stored in the cache; see experiment.ts). */
  seconds?: number;
}

/** What a run needs besides the data. */
export interface RunSpec {
  /** Training configuration without `init` (set per run). */
  config: TrainConfig;
  /** Run index (from 1). */
  run: number;
  /** σ of the template perturbation (runs 2..n; default {@linkcode DEFAULT_PERTURBATION}). */
  perturbation?: number;
  /** Expected alignments to capture: training segment index and epochs (soft-DTW only). */
  alignment?: { epochs: number[]; segment: number } | null;
}

/**
 * Initial weights of run `run` (from 1): the report's initialization (θ = 0, binary triads)
 * for run 1; for later runs the 24 template weights plus seeded Gaussian noise of standard
 * deviation `sigma` (Box–Muller on Mulberry32 with seed = run index), θ = 0.
 *
 * @example
 * ```ts
 * import { runInit } from "./run.ts";
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

/** Expected alignments are stored rounded to 6 decimals (they are for display). */
function roundAlignment(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * One run, in this thread: trains from {@linkcode runInit}, tests the best weights on the test
 * segment (argmax chord per frame against the reference). Deterministic: the same spec and data
 * give bit-identical results (the cache test recomputes a committed run with it).
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (through `runExperiment`).
 *
 * @example
 * ```ts
 * import { runOnce } from "./run.ts";
 * import { loadSplits } from "./data.ts";
 * const r = runOnce({ data: await loadSplits(), config: { loss: "bce", epochs: 5 }, run: 1 });
 * r.bestEpoch; // 1..5
 * ```
 */
export function runOnce(
  options: RunSpec & {
    data: RunData;
    onEpoch?: (epoch: number, trainLoss: number, validationLoss: number) => void;
  },
): RunResult {
  const { data, run } = options;
  const init = runInit(run, options.perturbation ?? DEFAULT_PERTURBATION);
  const t0 = performance.now();
  const trained = trainModel({
    train: data.train,
    validation: data.validation,
    config: { ...options.config, init },
    alignment: options.alignment ?? undefined,
    onEpoch: options.onEpoch
      ? (e) => options.onEpoch!(e.epoch, e.trainLoss, e.validationLoss)
      : undefined,
  });
  const seconds = (performance.now() - t0) / 1000;
  const predictions = predictChords(trained.weights, data.test.chroma).labels;
  const m = evaluateLabels({ reference: data.test.labels, estimate: predictions });
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
    ...("blank" in trained.weights
      ? { blankRate: blankRate(trained.weights as BlankWeights, data.test.chroma) }
      : {}),
    seconds,
  };
}
