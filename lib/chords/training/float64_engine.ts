/**
 * The float64 training engine for the stabilized losses and CTC (issue 12): the report's
 * procedure (Adam as Keras, learning rate 0.1, full batch, 300 epochs, best validation epoch
 * kept; see `train_model.ts`) with new losses and strategies chosen in the configuration.
 *
 * Losses ({@linkcode ExtendedConfig.loss}):
 * - `"soft-dtw"`: the report's loss (mean over the segments of `SDTW^γ` with the squared
 *   Euclidean cost between dChord's softmax outputs and one-hot weak targets), with:
 *   - `targets: "padded"` (the report's weak targets padded to `softLength` with `"uniform"` or
 *     `"last"` padding) or `"sequence"`: the repetition-removed sequences with their true
 *     lengths, no padding at all (every segment its own length in one batch);
 *   - `gamma`: a constant or a linear schedule ({@linkcode ScheduleSpec}, e.g. 10 → 0.3);
 *   - `stepWeights` `[wRow, wCol, wDiag]` (rows = frames, columns = target elements; the
 *     paper's [1, 0, 1] is our `[0, 1, 1]`);
 *   - `prior: { weight, nu }`: the diagonal prior `w·(1 − P)` added to the cost, its weight a
 *     constant or a schedule (e.g. 3 → 0 over the first 50 epochs), `ν` in frames.
 * - `"soft-dtw-divergence"`: `SDTW(P, Y) − ½ SDTW(P, P) − ½ SDTW(Y, Y)` (Blondel et al.
 *   2021), same targets and γ options, plain steps, no prior.
 * - `"ctc"`: dChord with a blank ({@linkcode blankForward64}: 25 outputs, log-softmax), the
 *   CTC loss on the repetition-removed weak sequences with "no chord" (N) elements dropped
 *   (an N between two chords becomes a blank; `[C, N, C]` is the target `C C`, which CTC
 *   separates with a blank), no padding, mean over the segments; `blankPenalty` adds a cost to
 *   every frame spent on a blank.
 *
 * Validation loss: the same loss at the end values of the schedules (final γ, final prior
 * weight), so that the validation losses of all epochs are comparable and the best epoch is
 * not simply the one with the largest γ (a larger γ lowers soft-DTW). The training loss of an
 * epoch is the loss that epoch optimized (its γ and prior weight).
 *
 * Captured alignments of one training segment (for notebook 07): the expected alignment
 * (occupancy probability of every cell, frames × target elements) for soft-DTW, the
 * posterior of the CTC states (frames × (2L + 1), blanks at even states) for CTC.
 *
 * The configuration and its schedules are in loss_config.ts, the targets and the losses in
 * losses.ts; this module is the epoch loop.
 *
 * @example
 * ```ts
 * import { trainExtended } from "./float64_engine.ts";
 * import { loadSplits } from "../../study/data.ts";
 * const { train, validation } = await loadSplits();
 * const r = trainExtended({ train, validation, config: { loss: "ctc", epochs: 5 } });
 * r.trainLoss.length; // 5
 * ```
 *
 * @module
 */
import { backward64, type DChordWeights, type Forward64, forward64 } from "../model/dchord.ts";
import {
  BLANK_CLASSES,
  blankBackward64,
  type BlankForward64,
  blankForward64,
  type BlankWeights,
} from "../model/dchord_blank.ts";
import { fromParameterVector, toParameterVector } from "../model/layers64.ts";
import { Adam64 } from "./adam.ts";
import { EpochLog } from "./config.ts";
import type { Segment } from "../data/dataset.ts";
import {
  type ExtendedConfig,
  extendedSchedule,
  type ResolvedExtendedConfig,
  resolveExtendedConfig,
} from "./loss_config.ts";
import { extendedLossFunction, makeSplit, scratchFor } from "./losses.ts";

/** Progress information passed to {@linkcode ExtendedOptions.onEpoch}. */
export interface ExtendedEpochInfo {
  /** Epoch number, from 1. */
  epoch: number;
  /** Number of epochs. */
  epochs: number;
  /** Training loss of this epoch. */
  trainLoss: number;
  /** Validation loss of this epoch. */
  validationLoss: number;
  /** Best epoch so far. */
  bestEpoch: number;
}

/** A captured alignment of one training segment at one epoch. */
export interface ExtendedCapture {
  /** Epoch (from 1). */
  epoch: number;
  /** Index of the training segment. */
  segment: number;
  /** Expected alignment (frames × target elements) or CTC state posterior (frames × 2L+1). */
  matrix: number[][];
  /** The target elements (chord indices, −1 = N) of the columns; CTC: the labels, no blanks. */
  target: number[];
}

/** Arguments of {@linkcode trainExtended}. */
export interface ExtendedOptions {
  /** Training segments (one full batch). */
  train: Segment[];
  /** Validation segments. */
  validation: Segment[];
  /** The configuration. */
  config: ExtendedConfig;
  /** Called after every epoch. */
  onEpoch?: (info: ExtendedEpochInfo) => void;
  /** Alignments to capture: a training segment index and epochs (from 1). */
  capture?: { segment: number; epochs: number[] };
}

/** What {@linkcode trainExtended} returns. */
export interface ExtendedResult {
  /** The resolved configuration. */
  config: ResolvedExtendedConfig;
  /** Training loss per epoch (index 0 = epoch 1). */
  trainLoss: number[];
  /** Validation loss per epoch (at the schedules' end values). */
  validationLoss: number[];
  /** Epoch (from 1) with the lowest validation loss. */
  bestEpoch: number;
  /** The lowest validation loss. */
  bestValidationLoss: number;
  /** Weights after the best epoch. */
  weights: DChordWeights | BlankWeights;
  /** Weights after the last epoch. */
  finalWeights: DChordWeights | BlankWeights;
  /** Captured alignments, by increasing epoch. */
  captures: ExtendedCapture[];
  /** γ (soft-DTW losses; 1 for CTC) and prior weight (0 without prior) of every epoch. */
  schedule: { gamma: number[]; priorWeight: number[] };
}

function toMatrix(E: Float64Array, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let m = 0; m < rows; m++) out.push(Array.from(E.subarray(m * cols, (m + 1) * cols)));
  return out;
}

/**
 * dChord (or, for CTC, dChord with a blank) on the chroma of one split: `forward` gives the
 * probabilities (log-probabilities with a blank) for some weights, `backward` the gradient of
 * the last forward's weights from the gradient of its outputs; buffers reused every epoch.
 */
function modelOn(chroma: Float64Array, ctc: boolean) {
  let f: Forward64 | undefined;
  let b: BlankForward64 | undefined;
  return {
    forward(weights: DChordWeights | BlankWeights): Float64Array {
      if (ctc) {
        b = blankForward64(weights as BlankWeights, chroma, b);
        return b.logProbabilities;
      }
      f = forward64(weights, chroma, f);
      return f.probabilities;
    },
    backward(grad: Float64Array): DChordWeights | BlankWeights {
      return ctc ? blankBackward64(b!, grad) : backward64(f!, grad);
    },
  };
}

/**
 * Trains dChord (or dChord with a blank, for CTC) with an extended loss; see the module doc
 * for the losses, the schedules and the validation loss. Deterministic.
 *
 * @example
 * ```ts
 * import { trainExtended } from "./float64_engine.ts";
 * import { loadSplits } from "../../study/data.ts";
 * const { train, validation } = await loadSplits();
 * const r = trainExtended({
 *   train,
 *   validation,
 *   config: {
 *     loss: "soft-dtw",
 *     gamma: { from: 10, to: 0.3, startEpoch: 0, endEpoch: 3 },
 *     epochs: 5,
 *   },
 *   capture: { segment: 0, epochs: [1, 5] },
 * });
 * r.captures[0].matrix.length; // 150
 * ```
 */
export function trainExtended(options: ExtendedOptions): ExtendedResult {
  if (!options || typeof options !== "object") {
    throw new TypeError("trainExtended: options { train, validation, config } required");
  }
  const config = resolveExtendedConfig(options.config);
  const train = makeSplit(options.train, "train", config);
  const validation = makeSplit(options.validation, "validation", config);
  const cap = options.capture;
  const wanted = new Set<number>();
  if (cap !== undefined) {
    if (!Number.isInteger(cap.segment) || cap.segment < 0 || cap.segment >= train.size) {
      throw new RangeError(
        `capture.segment must be a training segment index in 0..${
          train.size - 1
        }, got ${cap.segment}`,
      );
    }
    for (const e of cap.epochs) {
      if (!Number.isInteger(e) || e < 1 || e > config.epochs) {
        throw new RangeError(`capture.epochs: ${e} is not an epoch in 1..${config.epochs}`);
      }
      wanted.add(e);
    }
  }
  const ctc = config.loss === "ctc";
  const classes = ctc ? BLANK_CLASSES : 24;
  const scTrain = scratchFor(train, config);
  const scVal = scratchFor(validation, config);
  const lossFn = extendedLossFunction(config);
  const sched = extendedSchedule(config);
  const finalGamma = sched.finalGamma, finalPrior = sched.finalPriorWeight;

  const params = toParameterVector(config.init);
  const adam = new Adam64(params.length, config);
  const gradOut = new Float64Array(train.size * train.frames * classes);
  const log = new EpochLog(config.epochs, options.onEpoch);
  const captures: ExtendedCapture[] = [];
  const schedule = { gamma: [] as number[], priorWeight: [] as number[] };
  let best = params.slice();
  const modelTrain = modelOn(train.chroma, ctc);
  const modelVal = modelOn(validation.chroma, ctc);
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const gamma = sched.gamma(epoch);
    const priorWeight = sched.priorWeight(epoch);
    schedule.gamma.push(gamma);
    schedule.priorWeight.push(priorWeight);
    const P = modelTrain.forward(fromParameterVector(params));
    const t = lossFn(config, {
      split: train,
      P,
      grad: gradOut,
      gamma,
      priorWeight,
      sc: scTrain,
      capture: wanted.has(epoch) ? cap!.segment : -1,
      onCapture: (matrix, rows, cols) =>
        captures.push({
          epoch,
          segment: cap!.segment,
          matrix: toMatrix(matrix, rows, cols),
          target: Array.from(train.targets[cap!.segment]),
        }),
    });
    const gv = toParameterVector(modelTrain.backward(gradOut));
    if (!Number.isFinite(t) || !gv.every(Number.isFinite)) {
      throw new RangeError(`training diverged at epoch ${epoch}: train loss ${t}`);
    }
    adam.step(params, gv);
    const Pv = modelVal.forward(fromParameterVector(params));
    const v = lossFn(config, {
      split: validation,
      P: Pv,
      grad: null,
      gamma: finalGamma,
      priorWeight: finalPrior,
      sc: scVal,
      capture: -1,
      onCapture: () => {},
    });
    if (!Number.isFinite(v)) {
      throw new RangeError(`training diverged at epoch ${epoch}: validation loss ${v}`);
    }
    if (log.add(epoch, t, v)) best = params.slice();
  }
  return {
    config,
    ...log.summary(),
    weights: fromParameterVector(best),
    finalWeights: fromParameterVector(params),
    captures,
    schedule,
  };
}
