/**
 * What a dChord training takes and gives, for both engines (`trainModel` of train_model.ts,
 * float64, and `trainModelTf` of train_model_tf.ts, tfjs): the options ({@linkcode TrainOptions})
 * and their checks ({@linkcode prepareTraining}), the result ({@linkcode TrainResult}) and the
 * per-epoch record ({@linkcode EpochLog}: loss curves, best epoch, and the one divergence check
 * of the training).
 *
 * @example
 * ```ts
 * import { EpochLog } from "./options.ts";
 * const log = new EpochLog(2);
 * log.add(1, 5, 4); // true (first epoch is the best so far)
 * ```
 *
 * @module
 */
import type { DChordWeights } from "../model/dchord.ts";
import type { BlankWeights } from "../model/dchord_blank.ts";
import type { Segment } from "../data/dataset.ts";
import { resolveConfig, type ResolvedConfig, type TrainConfig } from "./config.ts";

/** Progress information passed to {@linkcode TrainOptions.onEpoch}. */
export interface EpochInfo {
  /** Epoch number, from 1. */
  epoch: number;
  /** Number of epochs. */
  epochs: number;
  /** Training loss of this epoch (weights before its update). */
  trainLoss: number;
  /** Validation loss of this epoch (weights after its update). */
  validationLoss: number;
  /** Best epoch so far. */
  bestEpoch: number;
}

/** Which alignments to capture during training (soft-DTW losses and CTC). */
export interface AlignmentCapture {
  /** Index of the training segment (in the `train` list). */
  segment: number;
  /** Epochs (from 1) at which to capture, or `"all"`. */
  epochs: number[] | "all";
}

/**
 * A captured alignment of one segment at one epoch: the expected alignment `E^γ` (frames ×
 * target elements) for the soft-DTW losses, the posterior of the CTC states (frames × (2L + 1),
 * blanks at even states) for CTC.
 */
export interface CapturedAlignment {
  /** Epoch (from 1). */
  epoch: number;
  /** Index of the training segment. */
  segment: number;
  /** The matrix, prediction frames × target positions (or CTC states). */
  matrix: number[][];
}

/** Arguments of a training (`trainModel`, `trainModelTf`). */
export interface TrainOptions {
  /** Training segments (one full batch). */
  train: Segment[];
  /** Validation segments. */
  validation: Segment[];
  /** The configuration. */
  config: TrainConfig;
  /** Called after every epoch. */
  onEpoch?: (info: EpochInfo) => void;
  /** Alignments to capture (not with BCE). */
  alignment?: AlignmentCapture;
}

/** What a training returns. */
export interface TrainResult {
  /** The configuration with defaults filled in. */
  config: ResolvedConfig;
  /** Training loss per epoch (index 0 = epoch 1). */
  trainLoss: number[];
  /** Validation loss per epoch (index 0 = epoch 1; at the schedules' end values). */
  validationLoss: number[];
  /** Epoch (from 1) with the lowest validation loss. */
  bestEpoch: number;
  /** The lowest validation loss. */
  bestValidationLoss: number;
  /** Weights after the best epoch (used for testing; with a blank template for CTC). */
  weights: DChordWeights | BlankWeights;
  /** Weights after the last epoch. */
  finalWeights: DChordWeights | BlankWeights;
  /** Captured alignments, by increasing epoch. */
  alignments: CapturedAlignment[];
  /** γ (1 where no γ applies) and prior weight (0 without prior) of every epoch. */
  schedule: { gamma: number[]; priorWeight: number[] };
}

function checkSegments(segments: Segment[], name: string): void {
  if (!Array.isArray(segments) || segments.length === 0) {
    throw new RangeError(`${name} must be a non-empty array of segments`);
  }
  const frames = segments[0].chroma?.length;
  segments.forEach((s, i) => {
    if (!s || !Array.isArray(s.chroma) || !Array.isArray(s.labels)) {
      throw new TypeError(`${name}[${i}] must be a segment with chroma and labels`);
    }
    if (s.chroma.length !== frames || s.labels.length !== frames) {
      throw new RangeError(
        `${name}[${i}] has ${s.chroma.length} chroma frames and ${s.labels.length} labels; ` +
          `all segments of a batch need ${frames} of both`,
      );
    }
  });
}

/**
 * Checks the options of a training (both engines) and returns the resolved configuration and
 * the set of epochs at which to capture alignments. Errors name the problem (see
 * `resolveConfig` of config.ts; empty or ragged segment lists; an alignment capture with BCE,
 * or of a segment or epoch out of range).
 *
 * @example
 * ```ts
 * import { prepareTraining } from "./options.ts";
 * const seg = { song: "x", index: 0, start: 0, chroma: [new Array(12).fill(1)], labels: [0] };
 * const { config } = prepareTraining({ train: [seg], validation: [seg], config: { loss: "bce" } });
 * config.epochs; // 300
 * ```
 */
export function prepareTraining(
  options: TrainOptions,
): { config: ResolvedConfig; wanted: Set<number> } {
  if (!options || typeof options !== "object") {
    throw new TypeError("trainModel: options { train, validation, config } required");
  }
  const config = resolveConfig(options.config);
  checkSegments(options.train, "train");
  checkSegments(options.validation, "validation");
  const capture = options.alignment;
  if (capture !== undefined) {
    if (config.loss === "bce") {
      throw new TypeError(
        "alignment capture needs the soft-dtw, soft-dtw-divergence or ctc loss (it records the " +
          "expected alignment or the CTC posterior)",
      );
    }
    if (!Number.isInteger(capture.segment) || capture.segment < 0) {
      throw new RangeError(`alignment.segment must be an integer >= 0, got ${capture.segment}`);
    }
    if (capture.segment >= options.train.length) {
      throw new RangeError(
        `alignment.segment is ${capture.segment} but there are ${options.train.length} ` +
          "training segments",
      );
    }
    if (capture.epochs !== "all") {
      if (!Array.isArray(capture.epochs)) {
        throw new TypeError(`alignment.epochs must be an array or "all", got ${capture.epochs}`);
      }
      for (const e of capture.epochs) {
        if (!Number.isInteger(e) || e < 1 || e > config.epochs) {
          throw new RangeError(`alignment.epochs: ${e} is not an epoch in 1..${config.epochs}`);
        }
      }
    }
  }
  const wanted = capture === undefined ? new Set<number>() : new Set(
    capture.epochs === "all"
      ? Array.from({ length: config.epochs }, (_, i) => i + 1)
      : capture.epochs,
  );
  return { config, wanted };
}

/**
 * The per-epoch record shared by both engines: the loss curves, the γ and prior weight of every
 * epoch, the epoch with the lowest validation loss (the first one on ties) and the `onEpoch`
 * report. It is also the one divergence check of both engines ({@linkcode EpochLog.check}):
 * a training stops with `RangeError("training diverged at epoch N: train loss …")` when a loss
 * or the parameter gradient is not finite; the float64 engine checks the training loss and the
 * gradient before the Adam step, {@linkcode EpochLog.add} checks both losses of every epoch.
 *
 * @example
 * ```ts
 * import { EpochLog } from "./options.ts";
 * const log = new EpochLog(2);
 * log.add(1, 5, 4); // true (first epoch is the best so far)
 * log.add(2, 3, 4.5); // false
 * log.summary().bestEpoch; // 1
 * ```
 */
export class EpochLog {
  /** Training loss per epoch. */
  readonly trainLoss: number[] = [];
  /** Validation loss per epoch. */
  readonly validationLoss: number[] = [];
  /** γ and prior weight per epoch (when given to {@linkcode EpochLog.add}). */
  readonly schedule: { gamma: number[]; priorWeight: number[] } = { gamma: [], priorWeight: [] };
  /** Best epoch so far (0 before the first). */
  bestEpoch = 0;
  /** Lowest validation loss so far. */
  bestValidationLoss = Infinity;
  /** Number of epochs of the training. */
  readonly epochs: number;
  /** The report callback. */
  readonly onEpoch?: (info: EpochInfo) => void;

  /** @param epochs number of epochs; @param onEpoch called after every {@linkcode EpochLog.add} */
  constructor(epochs: number, onEpoch?: (info: EpochInfo) => void) {
    this.epochs = epochs;
    this.onEpoch = onEpoch;
  }

  /**
   * Throws `RangeError("training diverged at epoch N: train loss …[, validation loss …][,
   * non-finite gradient]")` unless the training loss, the validation loss (when given) and every
   * entry of the gradient (when given) are finite.
   */
  check(
    epoch: number,
    values: { trainLoss: number; validationLoss?: number; gradient?: ArrayLike<number> },
  ): void {
    const { trainLoss, validationLoss, gradient } = values;
    let finiteGradient = true;
    if (gradient !== undefined) {
      for (let i = 0; i < gradient.length; i++) {
        if (!Number.isFinite(gradient[i])) finiteGradient = false;
      }
    }
    if (
      Number.isFinite(trainLoss) && finiteGradient &&
      (validationLoss === undefined || Number.isFinite(validationLoss))
    ) return;
    throw new RangeError(
      `training diverged at epoch ${epoch}: train loss ${trainLoss}` +
        (validationLoss === undefined ? "" : `, validation loss ${validationLoss}`) +
        (finiteGradient ? "" : ", non-finite gradient"),
    );
  }

  /**
   * Records epoch `epoch` (with its γ and prior weight, default 1 and 0); true when it is the
   * new best (keep its weights). Throws when a loss is not finite ({@linkcode EpochLog.check}).
   */
  add(
    epoch: number,
    trainLoss: number,
    validationLoss: number,
    gamma = 1,
    priorWeight = 0,
  ): boolean {
    this.check(epoch, { trainLoss, validationLoss });
    this.trainLoss.push(trainLoss);
    this.validationLoss.push(validationLoss);
    this.schedule.gamma.push(gamma);
    this.schedule.priorWeight.push(priorWeight);
    const isBest = validationLoss < this.bestValidationLoss;
    if (isBest) {
      this.bestValidationLoss = validationLoss;
      this.bestEpoch = epoch;
    }
    this.onEpoch?.({
      epoch,
      epochs: this.epochs,
      trainLoss,
      validationLoss,
      bestEpoch: this.bestEpoch,
    });
    return isBest;
  }

  /** The curves, the schedule and the best epoch, as {@linkcode TrainResult} holds them. */
  summary(): Pick<
    TrainResult,
    "trainLoss" | "validationLoss" | "bestEpoch" | "bestValidationLoss" | "schedule"
  > {
    const { trainLoss, validationLoss, bestEpoch, bestValidationLoss, schedule } = this;
    return { trainLoss, validationLoss, bestEpoch, bestValidationLoss, schedule };
  }
}
