/**
 * The configuration of the extended training engine (issue 12; the engine is
 * float64_engine.ts, whose module doc describes the losses): the configuration types, their
 * checks and defaults ({@linkcode resolveExtendedConfig}) and the γ and prior-weight schedules
 * of a configuration ({@linkcode extendedSchedule}), shared by the float64 and the tfjs engine.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { resolveExtendedConfig } from "./loss_config.ts";
 * resolveExtendedConfig({ loss: "soft-dtw" }).gamma; // 0.3
 * ```
 *
 * @module
 */
import { checkWeights, type DChordWeights, initialWeights } from "../model/dchord.ts";
import {
  BLANK,
  type BlankWeights,
  checkBlankWeights,
  initialBlankWeights,
} from "../model/dchord_blank.ts";
import {
  gammaSchedule,
  linearSchedule,
  type LinearScheduleOptions,
  type Schedule,
} from "../../align/schedule.ts";
import type { Padding } from "../data/targets.ts";
import {
  positiveFinite,
  type ProcedureOptions,
  type ProcedureSettings,
  resolvePaddedTargets,
  resolveProcedure,
} from "./procedure.ts";

/** The losses of the extended engine. */
export type ExtendedLoss = "soft-dtw" | "soft-dtw-divergence" | "ctc";

/** Weak targets padded to a soft length, or the repetition-removed sequence (no padding). */
export type TargetKind = "padded" | "sequence";

/**
 * Configuration of `trainExtended` (float64_engine.ts); every field but `loss` has a default.
 */
export interface ExtendedConfig extends ProcedureOptions {
  /** The loss (see the module doc of float64_engine.ts). */
  loss: ExtendedLoss;
  /** Soft-DTW losses: `"padded"` (default) or `"sequence"`. */
  targets?: TargetKind;
  /** Padded targets: soft length (default 16). */
  softLength?: number;
  /** Padded targets: `"uniform"` (default) or `"last"`. */
  padding?: Padding;
  /** Soft-DTW losses: γ, a constant > 0 or a linear schedule (default 0.3). */
  gamma?: ScheduleSpec;
  /** Soft-DTW: step weights `[wRow, wCol, wDiag]` ≥ 0 (default `[1, 1, 1]`). */
  stepWeights?: [number, number, number];
  /** Soft-DTW: diagonal prior, weight ≥ 0 (constant or schedule) and width ν > 0 in frames. */
  prior?: { weight: ScheduleSpec; nu: number };
  /** CTC: index of the blank output; must be 24 (after the 24 chords). */
  blank?: number;
  /** CTC: extra cost per frame on a blank, ≥ 0 (default 0). */
  blankPenalty?: number;
  /** Initial weights (default: binary triads, θ = 0, and for CTC the flat blank template). */
  init?: DChordWeights | BlankWeights;
}

/** A configuration with its defaults filled in (fields that do not apply are absent). */
export interface ResolvedExtendedConfig extends ProcedureSettings {
  /** The loss. */
  loss: ExtendedLoss;
  /** Targets (soft-DTW losses). */
  targets?: TargetKind;
  /** Soft length (padded targets). */
  softLength?: number;
  /** Padding (padded targets). */
  padding?: Padding;
  /** γ (soft-DTW losses). */
  gamma?: ScheduleSpec;
  /** Step weights (soft-DTW). */
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

/**
 * A constant, or a linear schedule (`lib/align/schedule.ts`) over the epoch index: the epoch
 * numbered `e` (from 1) has index `e − 1`, so `{ from: 10, to: 0.3, startEpoch: 10, endEpoch:
 * 50 }` trains epochs 1..11 with γ = 10 and epochs 51.. with γ = 0.3.
 */
export type ScheduleSpec = number | LinearScheduleOptions;

/**
 * Checks a schedule of the configuration: finite values (> 0 for γ, ≥ 0 for a prior weight);
 * a linear schedule needs integer epoch indices `0 ≤ startEpoch < endEpoch ≤ epochs − 1`, so
 * that its end value is reached in training (the validation loss uses it). Throws a
 * `RangeError` (a `TypeError` for a wrong shape) naming the field.
 */
function checkScheduleSpec(
  spec: ScheduleSpec,
  options: { name: string; epochs: number; positive: boolean },
): ScheduleSpec {
  const { name, epochs, positive } = options;
  const rule = positive ? "> 0" : ">= 0";
  const value = (v: unknown, what: string) => {
    if (typeof v !== "number" || !Number.isFinite(v) || (positive ? v <= 0 : v < 0)) {
      throw new RangeError(`${what} must be a finite number ${rule}, got ${v}`);
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

/** The schedule as a function of the epoch index (validated specs only). */
function scheduleFunction(spec: ScheduleSpec, gamma: boolean): Schedule {
  if (typeof spec === "number") return () => spec;
  return gamma ? gammaSchedule(spec) : linearSchedule(spec);
}

/** The value a schedule ends at. */
function scheduleEnd(spec: ScheduleSpec): number {
  return typeof spec === "number" ? spec : spec.to;
}

/** γ and prior weight per epoch (from 1) of a configuration, and the values validation uses. */
export interface EpochSchedule {
  /** γ of epoch `epoch` (1 for CTC). */
  gamma: (epoch: number) => number;
  /** Prior weight of epoch `epoch` (0 without prior). */
  priorWeight: (epoch: number) => number;
  /** γ of the validation loss: the schedule's end value. */
  finalGamma: number;
  /** Prior weight of the validation loss: the schedule's end value. */
  finalPriorWeight: number;
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
 * import { extendedSchedule, resolveExtendedConfig } from "./loss_config.ts";
 * const s = extendedSchedule(resolveExtendedConfig({
 *   loss: "soft-dtw", gamma: { from: 10, to: 0.3, startEpoch: 9, endEpoch: 49 },
 * }));
 * [s.gamma(1), s.gamma(10), s.gamma(50)]; // [10, 10, 0.3]
 * ```
 */
export function extendedSchedule(config: ResolvedExtendedConfig): EpochSchedule {
  if (config.loss === "ctc") {
    return { gamma: () => 1, priorWeight: () => 0, finalGamma: 1, finalPriorWeight: 0 };
  }
  const g = scheduleFunction(config.gamma!, true);
  const p = config.prior ? scheduleFunction(config.prior.weight, false) : () => 0;
  return {
    gamma: (epoch) => g(epoch - 1),
    priorWeight: (epoch) => p(epoch - 1),
    finalGamma: scheduleEnd(config.gamma!),
    finalPriorWeight: config.prior ? scheduleEnd(config.prior.weight) : 0,
  };
}

const LOSSES: readonly ExtendedLoss[] = ["soft-dtw", "soft-dtw-divergence", "ctc"];
const COMMON_KEYS = ["loss", "epochs", "learningRate", "beta1", "beta2", "epsilon", "init"];
const KEYS: Record<ExtendedLoss, string[]> = {
  "soft-dtw": [...COMMON_KEYS, "targets", "softLength", "padding", "gamma", "stepWeights", "prior"],
  "soft-dtw-divergence": [...COMMON_KEYS, "targets", "softLength", "padding", "gamma"],
  "ctc": [...COMMON_KEYS, "blank", "blankPenalty"],
};

/**
 * Checks an extended configuration and fills in the defaults. Throws an error naming the
 * field for: an unknown loss ("strategy") or option, an option that does not apply to the
 * loss, a schedule out of range (values, or epoch indices outside `0..epochs − 1`), negative or
 * non-finite step weights (or all of them zero), a blank index other than 24 (0..23 are
 * chords: a clash), padded-target options with `targets: "sequence"`.
 *
 * @example
 * ```ts
 * import { resolveExtendedConfig } from "./loss_config.ts";
 * resolveExtendedConfig({ loss: "ctc" }).blank; // 24
 * ```
 */
export function resolveExtendedConfig(config: ExtendedConfig): ResolvedExtendedConfig {
  if (!config || typeof config !== "object") {
    throw new TypeError(`config must be an object with a loss field, got ${config}`);
  }
  const { loss } = config;
  if (!LOSSES.includes(loss)) {
    throw new RangeError(
      `config.loss: unknown strategy ${JSON.stringify(loss)} (known: ${LOSSES.join(", ")})`,
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
  if (loss === "ctc") {
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
    const init = config.init === undefined
      ? initialBlankWeights()
      : "blank" in config.init
      ? checkBlankWeights(config.init as BlankWeights)
      : initialBlankWeights(config.init);
    return { ...base, blank, blankPenalty, init };
  }
  const init = checkWeights(config.init ?? initialWeights());
  const targets = config.targets ?? "padded";
  if (targets !== "padded" && targets !== "sequence") {
    throw new RangeError(
      `config.targets must be "padded" or "sequence", got ${JSON.stringify(targets)}`,
    );
  }
  const gamma = checkScheduleSpec(config.gamma ?? 0.3, {
    name: "config.gamma",
    epochs,
    positive: true,
  });
  const out: ResolvedExtendedConfig = { ...base, targets, gamma, init };
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
  if (loss === "soft-dtw") {
    const w = config.stepWeights ?? [1, 1, 1];
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
    out.stepWeights = [w[0], w[1], w[2]];
    if (config.prior !== undefined) {
      const p = config.prior;
      if (!p || typeof p !== "object") {
        throw new TypeError(`config.prior must be { weight, nu }, got ${p}`);
      }
      for (const key of Object.keys(p)) {
        if (key !== "weight" && key !== "nu") {
          throw new TypeError(`config.prior: unknown field "${key}" (known: weight, nu)`);
        }
      }
      const weight = checkScheduleSpec(p.weight, {
        name: "config.prior.weight",
        epochs,
        positive: false,
      });
      out.prior = { weight, nu: positiveFinite(p.nu, "config.prior.nu") };
    }
  }
  return out;
}
