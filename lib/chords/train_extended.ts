/**
 * The float64 training engine for the stabilized losses and CTC (issue 12): the report's
 * procedure (Adam as Keras, learning rate 0.1, full batch, 300 epochs, best validation epoch
 * kept; see `train.ts`) with new losses and strategies chosen in the configuration.
 *
 * Losses ({@linkcode ExtendedConfig.loss}):
 * - `"soft-dtw"`: the report's loss (mean over the segments of `SDTW^γ` with the squared
 *   Euclidean cost between dChord's softmax outputs and one-hot weak targets), with:
 *   - `targets: "padded"` (the report's weak targets padded to `softLength` with `"uniform"` or
 *     `"last"` padding) or `"sequence"`: the repetition-removed sequences with their true
 *     lengths, no padding at all (every segment its own length in one batch);
 *   - `gamma`: a constant or a linear schedule ({@linkcode ScheduleSpec}, e.g. 10 → 0.3);
 *   - `stepWeights` `[wRow, wCol, wDiag]` (rows = frames, columns = target elements; the
 *     paper's [1, 0, 1] is our `[0, 1, 1]`, see losses64.ts);
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
 * Used in notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { trainExtended } from "./train_extended.ts";
 * import { loadSplits } from "../study/data.ts";
 * const { train, validation } = await loadSplits();
 * const r = trainExtended({ train, validation, config: { loss: "ctc", epochs: 5 } });
 * r.trainLoss.length; // 5
 * ```
 *
 * @module
 */
import {
  backward64,
  checkWeights,
  type DChordWeights,
  forward64,
  initialWeights,
} from "./model.ts";
import {
  BLANK,
  BLANK_CLASSES,
  blankBackward64,
  blankForward64,
  type BlankWeights,
  checkBlankWeights,
  initialBlankWeights,
} from "./model_blank.ts";
import {
  gammaSchedule,
  linearSchedule,
  type LinearScheduleOptions,
  type Schedule,
} from "../align/schedule.ts";
import { diagonalPriorInto } from "../align/prior.ts";
import { softDtwDivergenceBatch64 } from "../align/divergence.ts";
import {
  createWeightedWorkspace,
  weightedSoftDtwKernel,
  type WeightedWorkspace,
} from "../align/weighted.ts";
import {
  checkCtcTarget,
  createCtcWorkspace,
  ctcExtendedLabels,
  ctcKernel,
  type CtcWorkspace,
} from "../align/ctc.ts";
import { Adam64 } from "./train.ts";
import type { Segment } from "./dataset.ts";
import { type Padding, removeRepetitions, weakTargets } from "./targets.ts";
import { createWorkspace, softDtwKernel, type SoftDtwWorkspace } from "../align/soft_dtw.ts";

/** The losses of the extended engine. */
export type ExtendedLoss = "soft-dtw" | "soft-dtw-divergence" | "ctc";

/** Weak targets padded to a soft length, or the repetition-removed sequence (no padding). */
export type TargetKind = "padded" | "sequence";

/** Configuration of {@linkcode trainExtended}; every field but `loss` has a default. */
export interface ExtendedConfig {
  /** The loss (see the module doc). */
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
  /** Epochs (default 300). */
  epochs?: number;
  /** Adam learning rate (default 0.1). */
  learningRate?: number;
  /** Adam β1 (default 0.9). */
  beta1?: number;
  /** Adam β2 (default 0.999). */
  beta2?: number;
  /** Adam ε (default 1e-8). */
  epsilon?: number;
  /** Initial weights (default: binary triads, θ = 0, and for CTC the flat blank template). */
  init?: DChordWeights | BlankWeights;
}

/** A configuration with its defaults filled in (fields that do not apply are absent). */
export interface ResolvedExtendedConfig {
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
  /** Epochs. */
  epochs: number;
  /** Learning rate. */
  learningRate: number;
  /** Adam β1. */
  beta1: number;
  /** Adam β2. */
  beta2: number;
  /** Adam ε. */
  epsilon: number;
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
 * import { extendedSchedule, resolveExtendedConfig } from "./train_extended.ts";
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

function positiveFinite(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive finite number, got ${value}`);
  }
  return value;
}

/**
 * Checks an extended configuration and fills in the defaults. Throws an error naming the
 * field for: an unknown loss ("strategy") or option, an option that does not apply to the
 * loss, a schedule out of range (values, or epoch indices outside `0..epochs − 1`), negative or
 * non-finite step weights (or all of them zero), a blank index other than 24 (0..23 are
 * chords: a clash), padded-target options with `targets: "sequence"`.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb (through {@linkcode trainExtended}).
 *
 * @example
 * ```ts
 * import { resolveExtendedConfig } from "./train_extended.ts";
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
  const epochs = config.epochs ?? 300;
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new RangeError(`config.epochs must be an integer >= 1, got ${epochs}`);
  }
  const learningRate = positiveFinite(config.learningRate ?? 0.1, "config.learningRate");
  const beta1 = config.beta1 ?? 0.9, beta2 = config.beta2 ?? 0.999;
  for (const [name, b] of [["config.beta1", beta1], ["config.beta2", beta2]] as const) {
    if (typeof b !== "number" || !(b >= 0 && b < 1)) {
      throw new RangeError(`${name} must be in [0, 1), got ${b}`);
    }
  }
  const epsilon = positiveFinite(config.epsilon ?? 1e-8, "config.epsilon");
  const base = { loss, epochs, learningRate, beta1, beta2, epsilon };
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
    const softLength = config.softLength ?? 16;
    if (!Number.isInteger(softLength) || softLength <= 0) {
      throw new RangeError(`config.softLength must be a positive integer, got ${softLength}`);
    }
    const padding = config.padding ?? "uniform";
    if (padding !== "uniform" && padding !== "last") {
      throw new RangeError(
        `config.padding must be "uniform" or "last", got ${JSON.stringify(padding)}`,
      );
    }
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

/** The target of one segment: column labels (−1 = N; CTC: labels without N). */
function segmentTarget(s: Segment, c: ResolvedExtendedConfig, name: string): number[] {
  if (c.loss === "ctc") return removeRepetitions(s.labels).filter((l) => l >= 0);
  if (c.targets === "sequence") return removeRepetitions(s.labels);
  return weakTargets(s.labels, { softLength: c.softLength!, padding: c.padding!, name })
    .map((row) => row.indexOf(1));
}

/**
 * The targets of the segments under a configuration, as label lists: padded weak targets,
 * repetition-removed sequences, or CTC label sequences (N dropped).
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { extendedTargets, resolveExtendedConfig } from "./train_extended.ts";
 * const seg = { song: "x", index: 0, start: 0, chroma: [], labels: [0, 0, -1, 0, 7] };
 * extendedTargets([seg], resolveExtendedConfig({ loss: "ctc" })); // [[0, 0, 7]]
 * ```
 */
export function extendedTargets(
  segments: Segment[],
  config: ResolvedExtendedConfig,
): number[][] {
  return segments.map((s, i) => segmentTarget(s, config, `segment ${i} (${s.song} #${s.index})`));
}

/** One split as flat arrays with per-segment targets. */
interface Split {
  size: number;
  frames: number;
  chroma: Float64Array;
  targets: Int32Array[];
  /** Longest target. */
  maxN: number;
  /** One-hot targets, B × maxN × 24 (divergence only; all-zero rows for N and padding). */
  oneHot: Float64Array;
}

function makeSplit(segments: Segment[], name: string, c: ResolvedExtendedConfig): Split {
  if (!Array.isArray(segments) || segments.length === 0) {
    throw new RangeError(`${name} must be a non-empty array of segments`);
  }
  const M = segments[0].chroma.length;
  const chroma = new Float64Array(segments.length * M * 12);
  segments.forEach((s, b) => {
    if (!s || !Array.isArray(s.chroma) || s.chroma.length !== M || s.labels.length !== M) {
      throw new RangeError(`${name}[${b}] must have ${M} chroma frames and labels`);
    }
    s.chroma.forEach((row, m) => {
      if (row.length !== 12 || row.some((v) => !(v >= 0) || !Number.isFinite(v))) {
        throw new RangeError(`${name}[${b}] frame ${m}: 12 finite chroma values >= 0 needed`);
      }
      chroma.set(row, (b * M + m) * 12);
    });
  });
  const targets = extendedTargets(segments, c).map((t) => Int32Array.from(t));
  if (c.loss === "ctc") {
    targets.forEach((t, b) =>
      checkCtcTarget(Array.from(t), {
        blank: c.blank!,
        classes: BLANK_CLASSES,
        frames: M,
        name: `${name}[${b}] (${segments[b].song} #${segments[b].index}) CTC target`,
      })
    );
  }
  const maxN = Math.max(...targets.map((t) => t.length));
  const oneHot = new Float64Array(
    c.loss === "soft-dtw-divergence" ? segments.length * maxN * 24 : 0,
  );
  if (oneHot.length > 0) {
    targets.forEach((t, b) => t.forEach((y, n) => y >= 0 && (oneHot[(b * maxN + n) * 24 + y] = 1)));
  }
  return { size: segments.length, frames: M, chroma, targets, maxN, oneHot };
}

/** Per-split scratch memory for the soft-DTW losses. */
interface Scratch {
  cost: Float64Array;
  grad: Float64Array;
  occupancy: Float64Array;
  workspace: SoftDtwWorkspace;
  weighted: WeightedWorkspace;
  ctc: CtcWorkspace;
  /** Log-probabilities with the blank penalty subtracted (CTC with a penalty). */
  shifted: Float64Array;
  priors: Map<number, Float64Array>;
  extended: Int32Array[];
}

function scratchFor(split: Split, c: ResolvedExtendedConfig): Scratch {
  const M = split.frames;
  const maxN = Math.max(...split.targets.map((t) => t.length));
  const cols = Math.max(maxN, M), cells = M * cols;
  const ctc = c.loss === "ctc";
  return {
    cost: new Float64Array(cells),
    grad: new Float64Array(cells),
    occupancy: new Float64Array(cells),
    workspace: createWorkspace({ maxCells: cells, maxCols: cols }),
    weighted: createWeightedWorkspace({ maxCells: cells, maxRows: M, maxCols: cols }),
    ctc: createCtcWorkspace({ maxCells: M * (2 * maxN + 1), maxStates: 2 * maxN + 1 }),
    shifted: new Float64Array(ctc && c.blankPenalty! > 0 ? split.size * M * BLANK_CLASSES : 0),
    priors: new Map(),
    extended: ctc ? split.targets.map((t) => ctcExtendedLabels(Array.from(t), c.blank!)) : [],
  };
}

/** Plain soft-DTW of a rows × cols cost with the fast kernel; gradient into `grad`. */
function plainSdtw(
  sc: Scratch,
  cost: Float64Array,
  rows: number,
  cols: number,
  gamma: number,
  grad: Float64Array | null,
): number {
  return softDtwKernel({
    cost,
    costOffset: 0,
    costStride: cols,
    rows,
    cols,
    gamma,
    grad,
    gradOffset: 0,
    gradStride: cols,
    workspace: sc.workspace,
  });
}

interface LossArgs {
  split: Split;
  P: Float64Array; // probabilities (B × M × 24) or log-probabilities (B × M × 25)
  grad: Float64Array | null;
  gamma: number;
  priorWeight: number;
  sc: Scratch;
  capture: number; // segment to capture, -1 for none
  onCapture: (matrix: Float64Array, rows: number, cols: number) => void;
}

/** Soft-DTW (with step weights and prior), mean over the segments. */
function softDtwLoss(c: ResolvedExtendedConfig, a: LossArgs): number {
  const { split, P, grad, gamma, priorWeight, sc } = a;
  const { size: B, frames: M } = split;
  const w = c.stepWeights ?? [1, 1, 1];
  const plain = w[0] === 1 && w[1] === 1 && w[2] === 1;
  const scale = 2 / B;
  let total = 0;
  for (let b = 0; b < B; b++) {
    const y = split.targets[b], N = y.length, po = b * M * 24;
    const { cost } = sc;
    for (let m = 0; m < M; m++) {
      const o = po + m * 24;
      let s = 0;
      for (let k = 0; k < 24; k++) s += P[o + k] * P[o + k];
      for (let n = 0; n < N; n++) cost[m * N + n] = y[n] < 0 ? s : s - 2 * P[o + y[n]] + 1;
    }
    if (priorWeight > 0) {
      let prior = sc.priors.get(N);
      if (!prior) {
        prior = new Float64Array(M * N);
        diagonalPriorInto(prior, { offset: 0, stride: N, rows: M, cols: N }, {
          sigma: c.prior!.nu,
        });
        sc.priors.set(N, prior);
      }
      for (let i = 0; i < M * N; i++) cost[i] += priorWeight * (1 - prior[i]);
    }
    const g = grad === null ? null : sc.grad;
    let value: number;
    let occupancy: Float64Array | null = g;
    if (plain) value = plainSdtw(sc, cost, M, N, gamma, g);
    else {
      occupancy = g === null ? null : sc.occupancy;
      value = weightedSoftDtwKernel({
        cost,
        costOffset: 0,
        costStride: N,
        rows: M,
        cols: N,
        gamma,
        stepWeights: w,
        band: null,
        grad: g,
        gradOffset: 0,
        gradStride: N,
        occupancy,
        workspace: sc.weighted,
      });
    }
    if (g !== null && b === a.capture) a.onCapture(occupancy!, M, N);
    if (g !== null && grad !== null) {
      for (let m = 0; m < M; m++) {
        const o = po + m * 24, e = m * N;
        let rowSum = 0;
        for (let n = 0; n < N; n++) rowSum += g[e + n];
        for (let k = 0; k < 24; k++) grad[o + k] = scale * rowSum * P[o + k];
        for (let n = 0; n < N; n++) if (y[n] >= 0) grad[o + y[n]] -= scale * g[e + n];
      }
    }
    total += value;
  }
  return total / B;
}

/**
 * Soft-DTW divergence (`divergence.ts` of lib/align), mean over the segments: predictions
 * against one-hot target rows (all-zero for N), per-segment target lengths.
 */
function divergenceLoss(_c: ResolvedExtendedConfig, a: LossArgs): number {
  const { split, P, grad, gamma } = a;
  const { size: B, frames: M } = split;
  const r = softDtwDivergenceBatch64({
    x: P,
    y: split.oneHot,
    batch: B,
    maxRows: M,
    maxCols: split.maxN,
    features: 24,
    colLengths: split.targets.map((t) => t.length),
    gamma,
    withGrad: grad !== null,
  });
  if (grad !== null) {
    const g = r.gradX!;
    for (let i = 0; i < g.length; i++) grad[i] = g[i] / B;
    if (a.capture >= 0) {
      const N = split.targets[a.capture].length, E = new Float64Array(M * N);
      const o = a.capture * M * split.maxN;
      for (let m = 0; m < M; m++) {
        for (let n = 0; n < N; n++) E[m * N + n] = r.alignments![o + m * split.maxN + n];
      }
      a.onCapture(E, M, N);
    }
  }
  return r.values.reduce((s, v) => s + v, 0) / B;
}

/** CTC loss on log-probabilities B × M × 25, mean over the segments. */
function ctcLoss(c: ResolvedExtendedConfig, a: LossArgs): number {
  const { split, grad, sc } = a;
  const { size: B, frames: M } = split;
  let P = a.P;
  if (c.blankPenalty! > 0) {
    // the penalty is a cost added to every blank cell: subtract it from the blank's
    // log-probability (the gradient with respect to the log-probabilities is unchanged)
    P = sc.shifted;
    P.set(a.P);
    for (let i = BLANK; i < P.length; i += BLANK_CLASSES) P[i] -= c.blankPenalty!;
  }
  let total = 0;
  let posterior: Float64Array | null = null;
  for (let b = 0; b < B; b++) {
    const S = sc.extended[b].length;
    const capture = grad !== null && b === a.capture;
    if (capture) posterior = new Float64Array(M * S);
    total += ctcKernel({
      logProbs: P,
      offset: b * M * BLANK_CLASSES,
      frames: M,
      classes: BLANK_CLASSES,
      extended: sc.extended[b],
      gamma: 1,
      grad,
      occupancy: capture ? posterior : null,
      workspace: sc.ctc,
    });
    if (capture) a.onCapture(posterior!, M, S);
  }
  if (grad !== null) { for (let i = 0; i < grad.length; i++) grad[i] /= B; }
  return total / B;
}

function toMatrix(E: Float64Array, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let m = 0; m < rows; m++) out.push(Array.from(E.subarray(m * cols, (m + 1) * cols)));
  return out;
}

const flatten = (w: DChordWeights | BlankWeights): Float64Array => {
  const blank = "blank" in w;
  const v = new Float64Array(blank ? 37 : 25);
  v[0] = w.theta;
  v.set(w.major, 1);
  v.set(w.minor, 13);
  if (blank) v.set((w as BlankWeights).blank, 25);
  return v;
};

const unflatten = (v: Float64Array): DChordWeights | BlankWeights => {
  const w: DChordWeights = {
    theta: v[0],
    major: Array.from(v.subarray(1, 13)),
    minor: Array.from(v.subarray(13, 25)),
  };
  return v.length === 37 ? { ...w, blank: Array.from(v.subarray(25, 37)) } : w;
};

/**
 * Trains dChord (or dChord with a blank, for CTC) with an extended loss; see the module doc
 * for the losses, the schedules and the validation loss. Deterministic.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb (through lib/study/extended.ts).
 *
 * @example
 * ```ts
 * import { trainExtended } from "./train_extended.ts";
 * import { loadSplits } from "../study/data.ts";
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
  const lossFn = ctc
    ? ctcLoss
    : config.loss === "soft-dtw-divergence"
    ? divergenceLoss
    : softDtwLoss;
  const sched = extendedSchedule(config);
  const finalGamma = sched.finalGamma, finalPrior = sched.finalPriorWeight;

  const params = flatten(config.init);
  const adam = new Adam64(params.length, config);
  const gradOut = new Float64Array(train.size * train.frames * classes);
  const trainLoss: number[] = [], validationLoss: number[] = [];
  const captures: ExtendedCapture[] = [];
  const schedule = { gamma: [] as number[], priorWeight: [] as number[] };
  let bestEpoch = 0, bestValidationLoss = Infinity;
  let best = params.slice();
  let fTrain: ReturnType<typeof forward64> | undefined;
  let fVal: ReturnType<typeof forward64> | undefined;
  let bTrain: ReturnType<typeof blankForward64> | undefined;
  let bVal: ReturnType<typeof blankForward64> | undefined;
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const gamma = sched.gamma(epoch);
    const priorWeight = sched.priorWeight(epoch);
    schedule.gamma.push(gamma);
    schedule.priorWeight.push(priorWeight);
    const weights = unflatten(params);
    let P: Float64Array;
    if (ctc) {
      bTrain = blankForward64(weights as BlankWeights, train.chroma, bTrain);
      P = bTrain.logProbabilities;
    } else {
      fTrain = forward64(weights, train.chroma, fTrain);
      P = fTrain.probabilities;
    }
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
    const g = ctc ? blankBackward64(bTrain!, gradOut) : backward64(fTrain!, gradOut);
    const gv = flatten(g);
    if (!Number.isFinite(t) || !gv.every(Number.isFinite)) {
      throw new RangeError(`training diverged at epoch ${epoch}: train loss ${t}`);
    }
    adam.step(params, gv);
    const after = unflatten(params);
    let Pv: Float64Array;
    if (ctc) {
      bVal = blankForward64(after as BlankWeights, validation.chroma, bVal);
      Pv = bVal.logProbabilities;
    } else {
      fVal = forward64(after, validation.chroma, fVal);
      Pv = fVal.probabilities;
    }
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
    trainLoss.push(t);
    validationLoss.push(v);
    if (v < bestValidationLoss) {
      bestValidationLoss = v;
      bestEpoch = epoch;
      best = params.slice();
    }
    options.onEpoch?.({
      epoch,
      epochs: config.epochs,
      trainLoss: t,
      validationLoss: v,
      bestEpoch,
    });
  }
  return {
    config,
    trainLoss,
    validationLoss,
    bestEpoch,
    bestValidationLoss,
    weights: unflatten(best),
    finalWeights: unflatten(params),
    captures,
    schedule,
  };
}
