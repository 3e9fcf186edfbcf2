/**
 * The configuration of a dChord training, one type for every loss: {@linkcode TrainConfig} is a
 * union keyed on `loss` (`"bce"`, `"soft-dtw"`, `"soft-dtw-divergence"`, `"ctc"`; the losses
 * are described in losses.ts), {@linkcode resolveConfig} checks it once and fills in the report's
 * defaults, and {@linkcode epochSchedule} gives γ and the prior weight of every epoch. Both
 * engines (`trainModel` of train_model.ts, float64, and `trainModelTf` of train_model_tf.ts,
 * tfjs) take it.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb and notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { resolveConfig } from "./config.ts";
 * resolveConfig({ loss: "soft-dtw" }).gamma; // 0.3
 * resolveConfig({ loss: "ctc" }).blank; // 24
 * ```
 *
 * @module
 */
import {
  checkGamma,
  gammaSchedule,
  linearSchedule,
  type LinearScheduleOptions,
} from "../../align/mod.ts";
import { checkWeights, type DChordWeights, initialWeights } from "../model/dchord.ts";
import {
  BLANK,
  type BlankWeights,
  checkBlankWeights,
  initialBlankWeights,
} from "../model/dchord_blank.ts";
import type { Padding } from "../data/targets.ts";
import {
  positiveFinite,
  type ProcedureOptions,
  type ProcedureSettings,
  resolvePaddedTargets,
  resolveProcedure,
} from "./procedure.ts";

/**
 * The training losses: the report's two (`"bce"` on strong targets, `"soft-dtw"` on weak ones)
 * and those of issue 12 (`"soft-dtw-divergence"`, `"ctc"`).
 */
export type LossKind = "bce" | "soft-dtw" | "soft-dtw-divergence" | "ctc";

/** Weak targets padded to a soft length, or the repetition-removed sequence (no padding). */
export type TargetKind = "padded" | "sequence";

/**
 * A constant, or a linear schedule (`linearSchedule` of lib/align) over the epoch index: the
 * epoch numbered `e` (from 1) has index `e − 1`, so `{ from: 10, to: 0.3, startEpoch: 10,
 * endEpoch: 50 }` trains epochs 1..11 with γ = 10 and epochs 51.. with γ = 0.3.
 */
export type ScheduleSpec = number | LinearScheduleOptions;

/** The weak targets of the soft-DTW losses. */
export interface WeakTargetOptions {
  /** `"padded"` (default) or `"sequence"` (true lengths, no padding). */
  targets?: TargetKind;
  /** Padded targets: soft length (default 16). */
  softLength?: number;
  /** Padded targets: `"uniform"` (default) or `"last"`. */
  padding?: Padding;
  /** γ > 0, a constant or a linear schedule (default 0.3). */
  gamma?: ScheduleSpec;
}

/** Binary cross-entropy on strong targets (the report's upper reference). */
export interface BceConfig extends ProcedureOptions {
  /** The loss. */
  loss: "bce";
  /** Initial weights (default {@linkcode initialWeights}: θ = 0, binary triads). */
  init?: DChordWeights;
}

/** Soft-DTW on weak targets (the report's loss), with step weights and a diagonal prior. */
export interface SoftDtwConfig extends ProcedureOptions, WeakTargetOptions {
  /** The loss. */
  loss: "soft-dtw";
  /** Step weights `[wRow, wCol, wDiag]` ≥ 0 (default `[1, 1, 1]`). */
  stepWeights?: [number, number, number];
  /** Diagonal prior: weight ≥ 0 (constant or schedule) and width ν > 0 in frames. */
  prior?: { weight: ScheduleSpec; nu: number };
  /** Initial weights (default {@linkcode initialWeights}). */
  init?: DChordWeights;
}

/** The soft-DTW divergence on weak targets (plain steps, no prior). */
export interface DivergenceConfig extends ProcedureOptions, WeakTargetOptions {
  /** The loss. */
  loss: "soft-dtw-divergence";
  /** Initial weights (default {@linkcode initialWeights}). */
  init?: DChordWeights;
}

/** CTC on the chord sequences (dChord with a blank output). */
export interface CtcConfig extends ProcedureOptions {
  /** The loss. */
  loss: "ctc";
  /** Index of the blank output; must be 24 (after the 24 chords). */
  blank?: number;
  /** Extra cost per frame on a blank, ≥ 0 (default 0). */
  blankPenalty?: number;
  /** Initial weights (default: binary triads, θ = 0, the flat blank template). */
  init?: DChordWeights | BlankWeights;
}

/**
 * Training configuration, keyed on `loss`; every other field has a default (the report's
 * procedure: Adam, learning rate 0.1, 300 epochs; see {@linkcode resolveConfig}).
 */
export type TrainConfig = BceConfig | SoftDtwConfig | DivergenceConfig | CtcConfig;

/**
 * A configuration with its defaults filled in; the fields that do not apply to the loss are
 * absent. A soft-DTW configuration that sets none of `targets`, `stepWeights`, `prior` and has a
 * constant γ (the report's five) resolves to the report's fields only (no `targets`,
 * `stepWeights`): the cache keys of lib/study hash this object, and those of the committed
 * results predate the other fields. Both forms train alike.
 */
export interface ResolvedConfig extends ProcedureSettings {
  /** The loss. */
  loss: LossKind;
  /** Targets (soft-DTW losses; absent in the report's form: padded). */
  targets?: TargetKind;
  /** γ or its schedule (soft-DTW losses). */
  gamma?: ScheduleSpec;
  /** Soft length (padded targets). */
  softLength?: number;
  /** Padding (padded targets). */
  padding?: Padding;
  /** Step weights (soft-DTW; absent in the report's form: `[1, 1, 1]`). */
  stepWeights?: [number, number, number];
  /** Diagonal prior (soft-DTW), absent when none. */
  prior?: { weight: ScheduleSpec; nu: number };
  /** Blank index (CTC). */
  blank?: number;
  /** Blank penalty (CTC). */
  blankPenalty?: number;
  /** Initial weights (with a blank template for CTC). */
  init: DChordWeights | BlankWeights;
}

/** The losses in the order of the error messages. */
const LOSS_KINDS: readonly LossKind[] = ["bce", "soft-dtw", "soft-dtw-divergence", "ctc"];
const COMMON_KEYS = ["loss", "epochs", "learningRate", "beta1", "beta2", "epsilon", "init"];
const WEAK_KEYS = ["targets", "softLength", "padding", "gamma"];
const KEYS: Record<LossKind, readonly string[]> = {
  "bce": COMMON_KEYS,
  "soft-dtw": [...COMMON_KEYS, ...WEAK_KEYS, "stepWeights", "prior"],
  "soft-dtw-divergence": [...COMMON_KEYS, ...WEAK_KEYS],
  "ctc": [...COMMON_KEYS, "blank", "blankPenalty"],
};

/**
 * Checks a γ (positive, `checkGamma` of lib/align) or prior-weight (≥ 0) schedule: a linear
 * schedule needs integer epoch indices `0 ≤ startEpoch < endEpoch ≤ epochs − 1`, so that its end
 * value is reached in training (the validation loss uses it). Errors name the field.
 */
function checkScheduleSpec(
  spec: ScheduleSpec,
  options: { name: string; epochs: number; gamma: boolean },
): ScheduleSpec {
  const { name, epochs, gamma } = options;
  const value = (v: unknown, what: string) => {
    if (gamma) return checkGamma(v as number, { name: what });
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`${what} must be a finite number >= 0, got ${v}`);
    }
  };
  if (typeof spec === "number") {
    value(spec, name);
    return spec;
  }
  if (!spec || typeof spec !== "object") {
    throw new TypeError(
      `${name} must be a number or { from, to, startEpoch, endEpoch }, got ${spec}`,
    );
  }
  for (const key of Object.keys(spec)) {
    if (!["from", "to", "startEpoch", "endEpoch"].includes(key)) {
      throw new TypeError(
        `${name}: unknown field "${key}" (known: from, to, startEpoch, endEpoch)`,
      );
    }
  }
  value(spec.from, `${name}.from`);
  value(spec.to, `${name}.to`);
  const { startEpoch, endEpoch } = spec;
  if (!Number.isInteger(startEpoch) || startEpoch < 0) {
    throw new RangeError(`${name}.startEpoch must be an epoch index >= 0, got ${startEpoch}`);
  }
  if (!Number.isInteger(endEpoch) || endEpoch <= startEpoch || endEpoch > epochs - 1) {
    throw new RangeError(
      `${name}.endEpoch must be an epoch index in ${startEpoch + 1}..${epochs - 1} (after ` +
        `startEpoch, within the ${epochs} epochs), got ${endEpoch}`,
    );
  }
  return { from: spec.from, to: spec.to, startEpoch, endEpoch };
}

/** Step weights: three finite numbers ≥ 0 of which some path costs something. */
function checkStepWeights(w: unknown): [number, number, number] {
  if (
    !Array.isArray(w) || w.length !== 3 ||
    w.some((x) => typeof x !== "number" || !Number.isFinite(x) || x < 0)
  ) {
    throw new RangeError(
      `config.stepWeights must be three finite numbers >= 0 [wRow, wCol, wDiag], got ${
        JSON.stringify(w)
      }`,
    );
  }
  if (w[2] === 0 && (w[0] === 0 || w[1] === 0)) {
    throw new RangeError(
      `config.stepWeights ${JSON.stringify(w)}: a path could then cost nothing on any cost`,
    );
  }
  return [w[0], w[1], w[2]];
}

/** The diagonal prior `{ weight, nu }`. */
function checkPrior(p: unknown, epochs: number): { weight: ScheduleSpec; nu: number } {
  if (!p || typeof p !== "object") {
    throw new TypeError(`config.prior must be { weight, nu }, got ${p}`);
  }
  for (const key of Object.keys(p)) {
    if (key !== "weight" && key !== "nu") {
      throw new TypeError(`config.prior: unknown field "${key}" (known: weight, nu)`);
    }
  }
  const { weight, nu } = p as { weight: ScheduleSpec; nu: number };
  return {
    weight: checkScheduleSpec(weight, { name: "config.prior.weight", epochs, gamma: false }),
    nu: positiveFinite(nu, "config.prior.nu"),
  };
}

/** The blank index and penalty of a CTC configuration. */
function resolveBlank(config: CtcConfig): { blank: number; blankPenalty: number } {
  const blank = config.blank ?? BLANK;
  if (blank !== BLANK) {
    throw new RangeError(
      `config.blank must be ${BLANK} (the output after the 24 chords); ${blank} ${
        Number.isInteger(blank) && blank >= 0 && blank < 24
          ? "clashes with a chord index"
          : "is not an output of the model"
      }`,
    );
  }
  const blankPenalty = config.blankPenalty ?? 0;
  if (typeof blankPenalty !== "number" || !Number.isFinite(blankPenalty) || blankPenalty < 0) {
    throw new RangeError(`config.blankPenalty must be a finite number >= 0, got ${blankPenalty}`);
  }
  return { blank, blankPenalty };
}

/** Whether a soft-DTW configuration is in the report's form (see {@linkcode ResolvedConfig}). */
function reportForm(config: TrainConfig): boolean {
  if (config.loss !== "soft-dtw") return false;
  return config.targets === undefined && config.stepWeights === undefined &&
    config.prior === undefined && typeof config.gamma !== "object";
}

/**
 * Checks a training configuration and fills in the defaults. Throws an error naming the field:
 * an unknown loss ("strategy") or option, an option that does not apply to the loss, fewer
 * than 1 epoch or Adam parameters out of range, a soft length that is not a positive integer or
 * an unknown padding, padded-target options with `targets: "sequence"`, γ not positive and
 * finite (`checkGamma` of lib/align) or a schedule out of range (values, or epoch indices outside
 * `0..epochs − 1`), negative or non-finite step weights (or weights with which a path costs
 * nothing), a bad prior, a blank index other than 24 (0..23 are chords: a clash), a negative
 * blank penalty, bad initial weights.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb and notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { resolveConfig } from "./config.ts";
 * resolveConfig({ loss: "soft-dtw" }).softLength; // 16
 * resolveConfig({ loss: "soft-dtw", targets: "sequence" }).softLength; // undefined
 * ```
 */
export function resolveConfig(config: TrainConfig): ResolvedConfig {
  if (!config || typeof config !== "object") {
    throw new TypeError(`config must be an object with a loss field, got ${config}`);
  }
  const { loss } = config;
  if (!LOSS_KINDS.includes(loss)) {
    throw new RangeError(
      `config.loss: unknown strategy ${JSON.stringify(loss)} (known: ${LOSS_KINDS.join(", ")})`,
    );
  }
  for (const key of Object.keys(config)) {
    if (!KEYS[loss].includes(key)) {
      const known = new Set(Object.values(KEYS).flat());
      throw new TypeError(
        known.has(key)
          ? `config.${key} does not apply to the "${loss}" loss`
          : `config: unknown option "${key}" (known: ${[...known].join(", ")})`,
      );
    }
  }
  const procedure = resolveProcedure(config);
  const { epochs } = procedure;
  const base = { loss, ...procedure };
  if (config.loss === "ctc") {
    const init = config.init === undefined
      ? initialBlankWeights()
      : "blank" in config.init
      ? checkBlankWeights(config.init as BlankWeights)
      : initialBlankWeights(config.init);
    return { ...base, ...resolveBlank(config), init };
  }
  const init = checkWeights(config.init ?? initialWeights());
  if (config.loss === "bce") return { ...base, init };
  if (reportForm(config)) {
    const gamma = config.gamma ?? 0.3;
    checkGamma(gamma as number, { name: "config.gamma" });
    return { ...base, init, gamma, ...resolvePaddedTargets(config) };
  }
  const targets = config.targets ?? "padded";
  if (targets !== "padded" && targets !== "sequence") {
    throw new RangeError(
      `config.targets must be "padded" or "sequence", got ${JSON.stringify(targets)}`,
    );
  }
  const gamma = checkScheduleSpec(config.gamma ?? 0.3, {
    name: "config.gamma",
    epochs,
    gamma: true,
  });
  const out: ResolvedConfig = { ...base, targets, gamma, init };
  if (targets === "padded") {
    const { softLength, padding } = resolvePaddedTargets(config);
    out.softLength = softLength;
    out.padding = padding;
  } else {
    for (const key of ["softLength", "padding"] as const) {
      if (config[key] !== undefined) {
        throw new TypeError(`config.${key} applies to padded targets, not to targets "sequence"`);
      }
    }
  }
  if (config.loss === "soft-dtw") {
    out.stepWeights = checkStepWeights(config.stepWeights ?? [1, 1, 1]);
    if (config.prior !== undefined) out.prior = checkPrior(config.prior, epochs);
  }
  return out;
}

/** γ and prior weight per epoch (from 1) of a configuration, and the values validation uses. */
export interface EpochSchedule {
  /** γ of epoch `epoch` (1 where no γ applies: BCE, CTC). */
  gamma: (epoch: number) => number;
  /** Prior weight of epoch `epoch` (0 without prior). */
  priorWeight: (epoch: number) => number;
  /** γ of the validation loss: the schedule's end value. */
  finalGamma: number;
  /** Prior weight of the validation loss: the schedule's end value. */
  finalPriorWeight: number;
}

/** The schedule as a function of the epoch index (validated specs only). */
function scheduleFunction(spec: ScheduleSpec, gamma: boolean): (index: number) => number {
  if (typeof spec === "number") return () => spec;
  return gamma ? gammaSchedule(spec) : linearSchedule(spec);
}

/** The value a schedule ends at. */
function scheduleEnd(spec: ScheduleSpec): number {
  return typeof spec === "number" ? spec : spec.to;
}

/**
 * The schedules of a resolved configuration as functions of the epoch number (from 1; the
 * schedule specs count epoch indices from 0) and their end values (used by the validation
 * loss). Shared by the float64 and the tfjs engine.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { epochSchedule, resolveConfig } from "./config.ts";
 * const s = epochSchedule(resolveConfig({
 *   loss: "soft-dtw", gamma: { from: 10, to: 0.3, startEpoch: 9, endEpoch: 49 },
 * }));
 * [s.gamma(1), s.gamma(10), s.gamma(50)]; // [10, 10, 0.3]
 * ```
 */
export function epochSchedule(config: ResolvedConfig): EpochSchedule {
  if (config.gamma === undefined) {
    return { gamma: () => 1, priorWeight: () => 0, finalGamma: 1, finalPriorWeight: 0 };
  }
  const g = scheduleFunction(config.gamma, true);
  const p = config.prior ? scheduleFunction(config.prior.weight, false) : () => 0;
  return {
    gamma: (epoch) => g(epoch - 1),
    priorWeight: (epoch) => p(epoch - 1),
    finalGamma: scheduleEnd(config.gamma),
    finalPriorWeight: config.prior ? scheduleEnd(config.prior.weight) : 0,
  };
}
