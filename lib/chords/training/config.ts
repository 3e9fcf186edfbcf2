/**
 * The contract of dChord training shared by both engines (`trainModel` of train_model.ts, float64, and
 * `trainModelTf` of train_model_tf.ts, tfjs): the configuration with the report's defaults
 * ({@linkcode resolveConfig}), the options and result types, the targets of a configuration
 * ({@linkcode buildTargets}), the checks of a training's options ({@linkcode prepareTraining})
 * and the per-epoch record ({@linkcode EpochLog}: loss curves and best epoch). The procedure
 * itself is described in train_model.ts.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb and notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { resolveConfig } from "./config.ts";
 * resolveConfig({ loss: "soft-dtw" }).gamma; // 0.3
 * ```
 *
 * @module
 */
import { checkGamma } from "../../align/options.ts";
import { checkWeights, type DChordWeights, initialWeights } from "../model/dchord.ts";
import type { Segment } from "../data/dataset.ts";
import {
  type ProcedureOptions,
  type ProcedureSettings,
  resolvePaddedTargets,
  resolveProcedure,
} from "./procedure.ts";
import { type Padding, strongTargets, weakTargets } from "../data/targets.ts";
import {
  type ExtendedConfig,
  resolveExtendedConfig,
  type ScheduleSpec,
  type TargetKind,
} from "./loss_config.ts";

/**
 * The training losses: the report's two (`"bce"`, `"soft-dtw"`) and the extensions of issue 12
 * (`"soft-dtw-divergence"`, `"ctc"`; see float64_engine.ts).
 */
export type LossKind = "bce" | "soft-dtw" | "soft-dtw-divergence" | "ctc";

/** The losses in the order of the error messages. */
const LOSS_KINDS: readonly LossKind[] = ["bce", "soft-dtw", "soft-dtw-divergence", "ctc"];

/**
 * Training configuration; every field but `loss` has the report's default. The fields after
 * `padding` (and a γ schedule) select the extended engine of float64_engine.ts, which documents
 * them; without them a configuration is the report's procedure, unchanged.
 */
export interface TrainConfig extends ProcedureOptions {
  /** The loss (see {@linkcode LossKind}). */
  loss: LossKind;
  /** Soft-DTW temperature γ > 0, or a γ schedule (soft-DTW losses; default 0.3). */
  gamma?: ScheduleSpec;
  /** Length of the padded weak targets (soft-dtw only; default 16). */
  softLength?: number;
  /** Padding of the weak targets, `"uniform"` or `"last"` (soft-dtw only; default uniform). */
  padding?: Padding;
  /** Soft-DTW losses: `"padded"` (default) or `"sequence"` (true lengths, no padding). */
  targets?: TargetKind;
  /** Soft-DTW: step weights `[wRow, wCol, wDiag]` (default `[1, 1, 1]`). */
  stepWeights?: [number, number, number];
  /** Soft-DTW: diagonal prior (weight, constant or schedule, and width ν in frames). */
  prior?: { weight: ScheduleSpec; nu: number };
  /** CTC: index of the blank output (must be 24). */
  blank?: number;
  /** CTC: extra cost per frame on a blank (≥ 0, default 0). */
  blankPenalty?: number;
  /** Initial weights (default {@linkcode initialWeights}: θ = 0, binary triads; CTC adds a blank). */
  init?: DChordWeights;
}

/** A configuration with every default filled in. */
export interface ResolvedConfig extends ProcedureSettings {
  /** Loss kind. */
  loss: LossKind;
  /** γ or its schedule (soft-DTW losses). */
  gamma?: ScheduleSpec;
  /** Soft length (soft-dtw only). */
  softLength?: number;
  /** Padding (soft-dtw only). */
  padding?: Padding;
  /** Targets (extended soft-DTW configurations). */
  targets?: TargetKind;
  /** Step weights (extended soft-DTW configurations). */
  stepWeights?: [number, number, number];
  /** Diagonal prior (extended soft-DTW configurations). */
  prior?: { weight: ScheduleSpec; nu: number };
  /** Blank index (CTC). */
  blank?: number;
  /** Blank penalty (CTC). */
  blankPenalty?: number;
  /** Initial weights. */
  init: DChordWeights;
}

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

/** Which expected alignments to capture during soft-DTW training. */
export interface AlignmentCapture {
  /** Index of the training segment (in the `train` list). */
  segment: number;
  /** Epochs (from 1) at which to capture, or `"all"`. */
  epochs: number[] | "all";
}

/** An expected alignment `E^γ` (frames × soft length) of one segment at one epoch. */
export interface CapturedAlignment {
  /** Epoch (from 1). */
  epoch: number;
  /** Index of the training segment. */
  segment: number;
  /** The expected alignment, prediction frames × target positions. */
  matrix: number[][];
}

/** Arguments of {@linkcode trainModel}. */
export interface TrainOptions {
  /** Training segments (one full batch). */
  train: Segment[];
  /** Validation segments. */
  validation: Segment[];
  /** The configuration. */
  config: TrainConfig;
  /** Called after every epoch. */
  onEpoch?: (info: EpochInfo) => void;
  /** Expected alignments to capture (soft-dtw only). */
  alignment?: AlignmentCapture;
}

/** What {@linkcode trainModel} returns. */
export interface TrainResult {
  /** The configuration with defaults filled in. */
  config: ResolvedConfig;
  /** Training loss per epoch (index 0 = epoch 1). */
  trainLoss: number[];
  /** Validation loss per epoch (index 0 = epoch 1). */
  validationLoss: number[];
  /** Epoch (from 1) with the lowest validation loss. */
  bestEpoch: number;
  /** The lowest validation loss. */
  bestValidationLoss: number;
  /** Weights after the best epoch (used for testing). */
  weights: DChordWeights;
  /** Weights after the last epoch. */
  finalWeights: DChordWeights;
  /** Captured expected alignments, by increasing epoch. */
  alignments: CapturedAlignment[];
}

const KNOWN_KEYS = new Set([
  "loss",
  "gamma",
  "softLength",
  "padding",
  "epochs",
  "learningRate",
  "beta1",
  "beta2",
  "epsilon",
  "init",
]);
const SOFT_DTW_KEYS = ["gamma", "softLength", "padding"] as const;
const EXTENDED_KEYS = ["targets", "stepWeights", "prior", "blank", "blankPenalty"] as const;

/**
 * Whether a configuration needs the extended engine (float64_engine.ts): the losses
 * `"soft-dtw-divergence"` and `"ctc"`, or a soft-DTW configuration with targets, step weights,
 * a prior or a γ schedule. The report's five configurations are not extended.
 *
 * @example
 * ```ts
 * import { isExtendedConfig } from "./config.ts";
 * isExtendedConfig({ loss: "soft-dtw", stepWeights: [0, 1, 1] }); // true
 * isExtendedConfig({ loss: "soft-dtw", softLength: 75 }); // false
 * ```
 */
export function isExtendedConfig(config: TrainConfig | ResolvedConfig): boolean {
  return config.loss === "soft-dtw-divergence" || config.loss === "ctc" ||
    (config.gamma !== undefined && typeof config.gamma === "object") ||
    EXTENDED_KEYS.some((k) => config[k] !== undefined);
}

/**
 * Checks a training configuration and fills in the defaults. Throws an error naming the
 * field and value for: an unknown field, an unknown loss or padding, a soft length that is
 * not a positive integer, γ that is not positive and finite, fewer than 1 epoch (or a
 * non-integer), Adam parameters out of range, and soft-DTW fields given with the BCE loss.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb and notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { resolveConfig } from "./config.ts";
 * resolveConfig({ loss: "soft-dtw" }).softLength; // 16
 * ```
 */
export function resolveConfig(config: TrainConfig): ResolvedConfig {
  if (!config || typeof config !== "object") {
    throw new TypeError(`config must be an object with a loss field, got ${config}`);
  }
  for (const key of Object.keys(config)) {
    if (!KNOWN_KEYS.has(key) && !(EXTENDED_KEYS as readonly string[]).includes(key)) {
      throw new TypeError(
        `config: unknown option "${key}" (known: ${[...KNOWN_KEYS].join(", ")})`,
      );
    }
  }
  const { loss } = config;
  if (!LOSS_KINDS.includes(loss)) {
    throw new RangeError(
      `config.loss: unknown strategy ${JSON.stringify(loss)} (known: ${LOSS_KINDS.join(", ")})`,
    );
  }
  if (isExtendedConfig(config)) {
    if (loss === "bce") {
      const key = EXTENDED_KEYS.find((k) => config[k] !== undefined) ?? "gamma";
      throw new TypeError(`config.${key} does not apply to the "bce" loss`);
    }
    return resolveExtendedConfig(config as ExtendedConfig) as ResolvedConfig;
  }
  const procedure = resolveProcedure(config);
  const init = checkWeights(config.init ?? initialWeights());
  const base = { loss, ...procedure, init };
  if (loss === "bce") {
    for (const key of SOFT_DTW_KEYS) {
      if (config[key] !== undefined) {
        throw new TypeError(`config.${key} applies to the soft-dtw loss only, not to "bce"`);
      }
    }
    return base;
  }
  const gamma = config.gamma ?? 0.3;
  checkGamma(gamma as number, { name: "config.gamma" }); // the one γ check of the library (lib/align)
  const { softLength, padding } = resolvePaddedTargets(config);
  return { ...base, gamma, softLength, padding };
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
 * The targets of a list of segments for a configuration: strong targets (frames × 24) for
 * BCE, weak targets (soft length × 24) for soft-DTW.
 *
 * @example
 * ```ts
 * import { buildTargets, resolveConfig } from "./config.ts";
 * const seg = { song: "x", index: 0, start: 0, chroma: [], labels: [0, 0, 7] };
 * buildTargets([seg], resolveConfig({ loss: "soft-dtw", softLength: 4 }))[0].length; // 4
 * ```
 */
export function buildTargets(segments: Segment[], config: ResolvedConfig): number[][][] {
  return segments.map((s, i) =>
    config.loss === "bce" ? strongTargets(s.labels) : weakTargets(s.labels, {
      softLength: config.softLength!,
      padding: config.padding!,
      name: `segment ${i} (${s.song} #${s.index})`,
    })
  );
}

/**
 * Checks the options of a training (both engines: {@linkcode trainModel} and `trainModelTf` of
 * train_model_tf.ts) and returns the resolved configuration and the set of epochs at which to capture
 * expected alignments. Errors name the problem (see {@linkcode resolveConfig}; empty or ragged
 * segment lists; an alignment capture without soft-DTW, or of a segment or epoch out of range).
 *
 * @example
 * ```ts
 * import { prepareTraining } from "./config.ts";
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
 * The per-epoch record shared by every training engine (float64: train_model.ts and
 * float64_engine.ts; tfjs: train_model_tf.ts and tfjs_engine.ts): the loss curves, the epoch
 * with the lowest validation loss (the first one on ties) and the `onEpoch` report.
 *
 * @example
 * ```ts
 * import { EpochLog } from "./config.ts";
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

  /** Records epoch `epoch`; true when it is the new best (keep its weights). */
  add(epoch: number, trainLoss: number, validationLoss: number): boolean {
    this.trainLoss.push(trainLoss);
    this.validationLoss.push(validationLoss);
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

  /** The curves and the best epoch, as {@linkcode TrainResult} holds them. */
  summary(): Pick<
    TrainResult,
    "trainLoss" | "validationLoss" | "bestEpoch" | "bestValidationLoss"
  > {
    const { trainLoss, validationLoss, bestEpoch, bestValidationLoss } = this;
    return { trainLoss, validationLoss, bestEpoch, bestValidationLoss };
  }
}
