/**
 * Training of dChord with strongly aligned targets (binary cross-entropy) or weakly aligned
 * targets (soft-DTW loss), as in the report's Chapter 4.
 *
 * Procedure (the report's setup): Adam (learning rate 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-8),
 * one full batch holding all training segments, 300 epochs, starting from the binary triad
 * templates and θ = 0 ({@linkcode initialWeights}). After every epoch the validation loss is
 * computed with the same loss and targets of the same kind; the weights with the lowest
 * validation loss are kept and returned for testing.
 *
 * Losses:
 * - `"bce"`: strong targets (frames × 24, one-hot, all-zero for "no chord"), binary
 *   cross-entropy averaged over frames and chords, probabilities clipped to
 *   `[1e-7, 1 − 1e-7]` (as Keras does) so the logarithms stay finite;
 * - `"soft-dtw"`: weak targets (adjacent repetitions removed, padded to `softLength` by
 *   `"uniform"` stretching or `"last"`-element repetition), loss = mean over the segments of
 *   `SDTW^γ` with squared Euclidean cost between the softmax outputs and the one-hot weak
 *   targets, no normalization (so it starts around 130 for 150-frame segments).
 *
 * Epoch numbering (counting from 1): the training loss of epoch `e` is the loss of the e-th
 * forward pass, computed with the weights before the e-th update (as Keras reports it); the
 * expected alignment captured for epoch `e` is the soft-DTW gradient `E^γ = ∂SDTW/∂C` of that
 * same forward/backward pass; the validation loss of epoch `e` is computed with the weights
 * after the e-th update (as Keras's end-of-epoch validation). The best epoch is the epoch with
 * the lowest validation loss (the first one on ties), and the returned weights are those
 * after its update.
 *
 * Two engines compute the same procedure:
 * - `"float64"` (default): dChord's forward and backward pass ({@linkcode forward64},
 *   {@linkcode backward64}), the losses and their gradients, the soft-DTW dynamic program
 *   (`softDtwKernel` of lib/soft_dtw.ts) and Adam, all in float64 JavaScript loops with
 *   buffers allocated once per run. More than ten times faster than the tfjs engine here
 *   (lib/train_bench.ts), which keeps the 25 runs of Table 4.1 under two minutes.
 * - `"tfjs"`: the {@linkcode DChord} tfjs model, `SoftDtwLoss` of lib/soft_dtw_tf.ts and
 *   `tf.train.adam` (float32). Kept as the independent cross-check: lib/train_test.ts checks
 *   that both engines give the same loss curves.
 *
 * Adam follows Keras (the report's framework): `m ← β1 m + (1 − β1) g`,
 * `v ← β2 v + (1 − β2) g²`, `w ← w − lr · sqrt(1 − β2^t) / (1 − β1^t) · m / (sqrt(v) + ε)`
 * (tfjs puts ε inside the bias correction, `m̂ / (sqrt(v̂) + ε)`; with ε = 1e-8 the two differ
 * by far less than float32 rounding).
 *
 * The procedure is deterministic: full batch, fixed initialization, no shuffling, no random
 * numbers; the same configuration gives bit-identical results.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb and notebooks/05_gamma_sweep.ipynb.
 *
 * @example
 * ```ts
 * import { trainModel } from "./train.ts";
 * import { loadSplits } from "./dataset.ts";
 * const { train, validation } = await loadSplits();
 * const result = trainModel({ train, validation, config: { loss: "bce", epochs: 10 } });
 * result.bestEpoch; // 1..10
 * ```
 *
 * @module
 */
import * as tf from "../deps/tfjs.ts";
import {
  backward64,
  checkWeights,
  DChord,
  type DChordWeights,
  type Forward64,
  forward64,
  initialWeights,
} from "./model.ts";
import { SoftDtwLoss } from "../align/soft_dtw_tf.ts";
import { createWorkspace, softDtwKernel, type SoftDtwWorkspace } from "../align/soft_dtw.ts";
import { type Padding, type Segment, strongTargets, weakTargets } from "./dataset.ts";

/** The two training losses. */
export type LossKind = "bce" | "soft-dtw";

/** The two implementations of the training procedure (see the module doc). */
export type Engine = "float64" | "tfjs";

/** Training configuration; every field but `loss` has the report's default. */
export interface TrainConfig {
  /** `"bce"` (strong targets) or `"soft-dtw"` (weak targets). */
  loss: LossKind;
  /** Soft-DTW temperature γ > 0 (soft-dtw only; default 0.3). */
  gamma?: number;
  /** Length of the padded weak targets (soft-dtw only; default 16). */
  softLength?: number;
  /** Padding of the weak targets, `"uniform"` or `"last"` (soft-dtw only; default uniform). */
  padding?: Padding;
  /** Number of epochs (default 300). */
  epochs?: number;
  /** Adam learning rate (default 0.1). */
  learningRate?: number;
  /** Adam β1 (default 0.9). */
  beta1?: number;
  /** Adam β2 (default 0.999). */
  beta2?: number;
  /** Adam ε (default 1e-8). */
  epsilon?: number;
  /** Initial weights (default {@linkcode initialWeights}: θ = 0, binary triads). */
  init?: DChordWeights;
}

/** A configuration with every default filled in. */
export interface ResolvedConfig {
  /** Loss kind. */
  loss: LossKind;
  /** γ (soft-dtw only). */
  gamma?: number;
  /** Soft length (soft-dtw only). */
  softLength?: number;
  /** Padding (soft-dtw only). */
  padding?: Padding;
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
  /** Implementation (default `"float64"`). */
  engine?: Engine;
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

function positiveFinite(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive finite number, got ${value}`);
  }
  return value;
}

/**
 * Checks a training configuration and fills in the defaults. Throws an error naming the
 * field and value for: an unknown field, an unknown loss or padding, a soft length that is
 * not a positive integer, γ that is not positive and finite, fewer than 1 epoch (or a
 * non-integer), Adam parameters out of range, and soft-DTW fields given with the BCE loss.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb and notebooks/05_gamma_sweep.ipynb
 * (through {@linkcode trainModel}).
 *
 * @example
 * ```ts
 * import { resolveConfig } from "./train.ts";
 * resolveConfig({ loss: "soft-dtw" }).softLength; // 16
 * ```
 */
export function resolveConfig(config: TrainConfig): ResolvedConfig {
  if (!config || typeof config !== "object") {
    throw new TypeError(`config must be an object with a loss field, got ${config}`);
  }
  for (const key of Object.keys(config)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new TypeError(
        `config: unknown option "${key}" (known: ${[...KNOWN_KEYS].join(", ")})`,
      );
    }
  }
  const { loss } = config;
  if (loss !== "bce" && loss !== "soft-dtw") {
    throw new RangeError(`config.loss must be "bce" or "soft-dtw", got ${JSON.stringify(loss)}`);
  }
  const epochs = config.epochs ?? 300;
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new RangeError(`config.epochs must be an integer >= 1, got ${epochs}`);
  }
  const learningRate = positiveFinite(config.learningRate ?? 0.1, "config.learningRate");
  const beta1 = config.beta1 ?? 0.9;
  const beta2 = config.beta2 ?? 0.999;
  for (const [name, b] of [["config.beta1", beta1], ["config.beta2", beta2]] as const) {
    if (typeof b !== "number" || !(b >= 0 && b < 1)) {
      throw new RangeError(`${name} must be in [0, 1), got ${b}`);
    }
  }
  const epsilon = positiveFinite(config.epsilon ?? 1e-8, "config.epsilon");
  const init = checkWeights(config.init ?? initialWeights());
  const base = { loss, epochs, learningRate, beta1, beta2, epsilon, init };
  if (loss === "bce") {
    for (const key of SOFT_DTW_KEYS) {
      if (config[key] !== undefined) {
        throw new TypeError(`config.${key} applies to the soft-dtw loss only, not to "bce"`);
      }
    }
    return base;
  }
  const gamma = config.gamma ?? 0.3;
  if (typeof gamma !== "number" || !Number.isFinite(gamma) || gamma <= 0) {
    throw new RangeError(`config.gamma must be a positive finite number, got ${gamma}`);
  }
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
 * Used in notebooks/04_strong_vs_soft_training.ipynb (through {@linkcode trainModel}).
 *
 * @example
 * ```ts
 * import { buildTargets, resolveConfig } from "./train.ts";
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
 * Checks the options of {@linkcode trainModel} and returns the resolved configuration and the
 * set of epochs at which to capture expected alignments.
 */
function prepare(options: TrainOptions): { config: ResolvedConfig; wanted: Set<number> } {
  if (!options || typeof options !== "object") {
    throw new TypeError("trainModel: options { train, validation, config } required");
  }
  const config = resolveConfig(options.config);
  checkSegments(options.train, "train");
  checkSegments(options.validation, "validation");
  const engine = options.engine ?? "float64";
  if (engine !== "float64" && engine !== "tfjs") {
    throw new RangeError(`engine must be "float64" or "tfjs", got ${JSON.stringify(engine)}`);
  }
  const capture = options.alignment;
  if (capture !== undefined) {
    if (config.loss !== "soft-dtw") {
      throw new TypeError("alignment capture needs the soft-dtw loss (it records ∂SDTW/∂C)");
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
 * The per-epoch record shared by both training engines: the loss curves, the epoch with the
 * lowest validation loss (the first one on ties) and the `onEpoch` report.
 */
class EpochLog {
  readonly trainLoss: number[] = [];
  readonly validationLoss: number[] = [];
  bestEpoch = 0;
  bestValidationLoss = Infinity;

  constructor(
    readonly epochs: number,
    readonly onEpoch?: (info: EpochInfo) => void,
  ) {}

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

/**
 * Trains a fresh dChord model (see the module doc for the procedure, the two engines and the
 * epoch convention) and returns the loss curves, the best epoch and its weights, and the
 * captured expected alignments. The tfjs engine disposes every tensor it creates.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb and notebooks/05_gamma_sweep.ipynb
 * (through `lib/experiment.ts`).
 *
 * @example
 * ```ts
 * import { trainModel } from "./train.ts";
 * import { loadSplits } from "./dataset.ts";
 * const { train, validation } = await loadSplits();
 * const r = trainModel({
 *   train,
 *   validation,
 *   config: { loss: "soft-dtw", softLength: 16, padding: "uniform", epochs: 5 },
 *   alignment: { segment: 0, epochs: [1, 5] },
 * });
 * r.alignments[0].matrix.length; // 150
 * ```
 */
export function trainModel(options: TrainOptions): TrainResult {
  const { config, wanted } = prepare(options);
  return (options.engine ?? "float64") === "tfjs"
    ? trainTfjs(options, config, wanted)
    : trainFloat64(options, config, wanted);
}

/** The 25 parameters as one vector: θ, major template, minor template. */
function flatten(w: DChordWeights): Float64Array {
  const v = new Float64Array(25);
  v[0] = w.theta;
  v.set(w.major, 1);
  v.set(w.minor, 13);
  return v;
}

function unflatten(v: Float64Array): DChordWeights {
  return {
    theta: v[0],
    major: Array.from(v.subarray(1, 13)),
    minor: Array.from(v.subarray(13, 25)),
  };
}

/**
 * Adam with Keras's update rule on a flat parameter vector (see the module doc), float64.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (through {@linkcode trainModel}).
 *
 * @example
 * ```ts
 * import { Adam64 } from "./train.ts";
 * const adam = new Adam64(2, { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
 * const w = new Float64Array([1, -1]);
 * for (let t = 0; t < 100; t++) adam.step(w, Float64Array.from(w, (x) => 2 * x)); // min |w|²
 * ```
 */
export class Adam64 {
  #m: Float64Array;
  #v: Float64Array;
  #t = 0;
  /** Learning rate, β1, β2, ε. */
  readonly options: { learningRate: number; beta1: number; beta2: number; epsilon: number };

  /**
   * @param size number of parameters
   * @param options learning rate, β1, β2, ε (already validated, e.g. by {@linkcode resolveConfig})
   *
   * @example
   * ```ts
   * import { Adam64 } from "./train.ts";
   * const adam = new Adam64(1, { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
   * const w = new Float64Array([1]);
   * adam.step(w, new Float64Array([2 * w[0]])); // one step on w² : w = 0.9
   * ```
   */
  constructor(
    size: number,
    options: { learningRate: number; beta1: number; beta2: number; epsilon: number },
  ) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`Adam64: size must be a positive integer, got ${size}`);
    }
    this.#m = new Float64Array(size);
    this.#v = new Float64Array(size);
    this.options = { ...options };
  }

  /** One update of `params` (in place) with the gradient `grad`. */
  step(params: Float64Array, grad: Float64Array): void {
    if (params.length !== this.#m.length || grad.length !== this.#m.length) {
      throw new RangeError(
        `Adam64: expected ${this.#m.length} parameters and gradients, got ${params.length} ` +
          `and ${grad.length}`,
      );
    }
    const { learningRate, beta1, beta2, epsilon } = this.options;
    this.#t++;
    const lrT = learningRate * Math.sqrt(1 - beta2 ** this.#t) / (1 - beta1 ** this.#t);
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      this.#m[i] = beta1 * this.#m[i] + (1 - beta1) * g;
      this.#v[i] = beta2 * this.#v[i] + (1 - beta2) * g * g;
      params[i] -= lrT * this.#m[i] / (Math.sqrt(this.#v[i]) + epsilon);
    }
  }
}

/** Lower clip of the probabilities in the binary cross-entropy (Keras's epsilon). */
export const BCE_EPSILON = 1e-7;

/** The data of one split as flat float64 arrays, built once per run. */
interface Batch {
  /** Segments B. */
  size: number;
  /** Frames per segment M. */
  frames: number;
  /** Target rows per segment N (frames for BCE, soft length for soft-DTW). */
  targetRows: number;
  /** Chroma, B × M × 12. */
  chroma: Float64Array;
  /** Targets, B × N × 24. */
  targets: Float64Array;
  /** Per target row: the index of its 1 (one-hot), or -1 for an all-zero row. */
  targetIndex: Int32Array;
  /** Forward buffers (reused every epoch). */
  forward?: Forward64;
}

function makeBatch(segments: Segment[], targets: number[][][]): Batch {
  const B = segments.length, M = segments[0].chroma.length, N = targets[0].length;
  const chroma = new Float64Array(B * M * 12);
  const y = new Float64Array(B * N * 24);
  const targetIndex = new Int32Array(B * N);
  segments.forEach((s, b) => s.chroma.forEach((row, m) => chroma.set(row, (b * M + m) * 12)));
  targets.forEach((t, b) =>
    t.forEach((row, n) => {
      const r = b * N + n;
      y.set(row, r * 24);
      let idx = -1;
      let ones = 0;
      row.forEach((v, k) => {
        if (v === 1) {
          idx = k;
          ones++;
        } else if (v !== 0) ones = 2;
      });
      if (ones > 1) throw new RangeError(`target ${b}, row ${n} is not one-hot or all-zero`);
      targetIndex[r] = idx;
    })
  );
  for (let i = 0; i < chroma.length; i++) {
    if (!(chroma[i] >= 0) || !Number.isFinite(chroma[i])) {
      const f = Math.floor(i / 12);
      throw new RangeError(
        `chroma of segment ${Math.floor(f / M)}, frame ${f % M}, bin ${i % 12} is ${
          chroma[i]
        }; chroma must be finite and >= 0`,
      );
    }
  }
  return { size: B, frames: M, targetRows: N, chroma, targets: y, targetIndex };
}

/**
 * Binary cross-entropy (mean over all B × M × 24 entries) of probabilities `P` against
 * targets `Y`, with `P` clipped to `[ε, 1 − ε]`; writes `∂L/∂P` into `grad` when given (zero
 * where the clip is active, as the gradient of a clip).
 */
function bce64(P: Float64Array, Y: Float64Array, grad: Float64Array | null): number {
  const count = P.length;
  let sum = 0;
  const lo = BCE_EPSILON, hi = 1 - BCE_EPSILON;
  for (let i = 0; i < count; i++) {
    const p = P[i];
    const q = p < lo ? lo : p > hi ? hi : p;
    const y = Y[i];
    // one logarithm per entry for 0/1 targets (the other term is multiplied by 0)
    sum += y === 1 ? Math.log(q) : y === 0 ? Math.log(1 - q) : y * Math.log(q) +
      (1 - y) * Math.log(1 - q);
    if (grad !== null) {
      grad[i] = p < lo || p > hi ? 0 : -(y / q - (1 - y) / (1 - q)) / count;
    }
  }
  return -sum / count;
}

/** Soft-DTW scratch memory, allocated once per run. */
interface SoftDtwScratch {
  cost: Float64Array;
  alignment: Float64Array;
  workspace: SoftDtwWorkspace;
}

function softDtwScratch(M: number, N: number): SoftDtwScratch {
  return {
    cost: new Float64Array(M * N),
    alignment: new Float64Array(M * N),
    workspace: createWorkspace({ maxCells: M * N, maxCols: N }),
  };
}

/**
 * Soft-DTW loss (mean over the segments of `SDTW^γ(C_b)`, `C_b(m, n) = ||p_m − y_n||²`) of
 * probabilities `P` (B × M × 24) against one-hot targets; writes `∂L/∂P` into `grad` when
 * given: `∂L/∂p_m = (2/B) Σ_n E^γ(m, n) (p_m − y_n)`. Calls `onAlignment(b, E)` for segment
 * `b == captureSegment`.
 */
function softDtw64(
  batch: Batch,
  P: Float64Array,
  gamma: number,
  scratch: SoftDtwScratch,
  grad: Float64Array | null,
  captureSegment: number,
  onAlignment: (E: Float64Array) => void,
): number {
  const { size: B, frames: M, targetRows: N, targetIndex } = batch;
  const { cost, alignment, workspace } = scratch;
  const pp = new Float64Array(M);
  let total = 0;
  for (let b = 0; b < B; b++) {
    const po = b * M * 24, to = b * N;
    for (let m = 0; m < M; m++) {
      let s = 0;
      const o = po + m * 24;
      for (let k = 0; k < 24; k++) s += P[o + k] * P[o + k];
      pp[m] = s;
      for (let n = 0; n < N; n++) {
        const idx = targetIndex[to + n];
        cost[m * N + n] = idx < 0 ? s : s - 2 * P[o + idx] + 1;
      }
    }
    const value = softDtwKernel({
      cost,
      costOffset: 0,
      costStride: N,
      rows: M,
      cols: N,
      gamma,
      grad: grad === null ? null : alignment,
      gradOffset: 0,
      gradStride: N,
      workspace,
    });
    total += value;
    if (grad === null) continue;
    if (b === captureSegment) onAlignment(alignment);
    const scale = 2 / B;
    for (let m = 0; m < M; m++) {
      const o = po + m * 24, e = m * N;
      let rowSum = 0;
      for (let n = 0; n < N; n++) rowSum += alignment[e + n];
      for (let k = 0; k < 24; k++) grad[o + k] = scale * rowSum * P[o + k];
      for (let n = 0; n < N; n++) {
        const idx = targetIndex[to + n];
        if (idx >= 0) grad[o + idx] -= scale * alignment[e + n];
      }
    }
  }
  return total / B;
}

function toMatrix(E: Float64Array, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let m = 0; m < rows; m++) out.push(Array.from(E.subarray(m * cols, (m + 1) * cols)));
  return out;
}

/** The float64 engine (see the module doc). */
function trainFloat64(
  options: TrainOptions,
  config: ResolvedConfig,
  wanted: Set<number>,
): TrainResult {
  const capture = options.alignment;
  const train = makeBatch(options.train, buildTargets(options.train, config));
  const validation = makeBatch(options.validation, buildTargets(options.validation, config));
  const params = flatten(config.init);
  const adam = new Adam64(25, config);
  const gradP = new Float64Array(train.size * train.frames * 24);
  const gradVec = new Float64Array(25);
  const scratch = config.loss === "soft-dtw"
    ? softDtwScratch(train.frames, train.targetRows)
    : null;
  const scratchVal = config.loss === "soft-dtw"
    ? softDtwScratch(validation.frames, validation.targetRows)
    : null;
  const lossOf = (
    batch: Batch,
    weights: DChordWeights,
    grad: Float64Array | null,
    sc: SoftDtwScratch | null,
    epoch: number,
    alignments: CapturedAlignment[],
  ): { loss: number; forward: Forward64 } => {
    batch.forward = forward64(weights, batch.chroma, batch.forward);
    const P = batch.forward.probabilities;
    const loss = config.loss === "bce" ? bce64(P, batch.targets, grad) : softDtw64(
      batch,
      P,
      config.gamma!,
      sc!,
      grad,
      grad !== null && wanted.has(epoch) ? capture!.segment : -1,
      (E) =>
        alignments.push({
          epoch,
          segment: capture!.segment,
          matrix: toMatrix(E, batch.frames, batch.targetRows),
        }),
    );
    return { loss, forward: batch.forward };
  };

  const log = new EpochLog(config.epochs, options.onEpoch);
  const alignments: CapturedAlignment[] = [];
  let best = params.slice();
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const { loss: t, forward } = lossOf(
      train,
      unflatten(params),
      gradP,
      scratch,
      epoch,
      alignments,
    );
    const g = backward64(forward, gradP);
    gradVec[0] = g.theta;
    gradVec.set(g.major, 1);
    gradVec.set(g.minor, 13);
    if (!Number.isFinite(t) || !gradVec.every(Number.isFinite)) {
      throw new RangeError(`training diverged at epoch ${epoch}: train loss ${t}`);
    }
    adam.step(params, gradVec);
    const { loss: vl } = lossOf(validation, unflatten(params), null, scratchVal, epoch, []);
    if (!Number.isFinite(vl)) {
      throw new RangeError(`training diverged at epoch ${epoch}: validation loss ${vl}`);
    }
    if (log.add(epoch, t, vl)) best = params.slice();
  }
  return {
    config,
    ...log.summary(),
    weights: unflatten(best),
    finalWeights: unflatten(params),
    alignments,
  };
}

type LossFn = (x: tf.Tensor3D, y: tf.Tensor3D) => tf.Scalar;

/** Binary cross-entropy, mean over frames and chords, probabilities clipped to [1e-7, 1-1e-7]. */
function bce(model: DChord): LossFn {
  return (x, y) =>
    tf.tidy(() => {
      const p = tf.clipByValue(model.predict(x), 1e-7, 1 - 1e-7);
      const ll = tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))));
      return tf.neg(tf.mean(ll)) as tf.Scalar;
    });
}

function softDtw(model: DChord, loss: SoftDtwLoss): LossFn {
  return (x, y) => tf.tidy(() => loss.call(model.predict(x) as tf.Tensor3D, y));
}

/** The tfjs engine (see the module doc). */
function trainTfjs(
  options: TrainOptions,
  config: ResolvedConfig,
  wanted: Set<number>,
): TrainResult {
  const capture = options.alignment;
  const trainTargets = buildTargets(options.train, config);
  const validationTargets = buildTargets(options.validation, config);
  const model = new DChord(config.init);
  const optimizer = tf.train.adam(config.learningRate, config.beta1, config.beta2, config.epsilon);
  const tensors = tf.tidy(() => ({
    trainX: tf.tensor3d(options.train.map((s) => s.chroma)),
    trainY: tf.tensor3d(trainTargets),
    validationX: tf.tensor3d(options.validation.map((s) => s.chroma)),
    validationY: tf.tensor3d(validationTargets),
  }));
  tf.keep(tensors.trainX);
  tf.keep(tensors.trainY);
  tf.keep(tensors.validationX);
  tf.keep(tensors.validationY);
  const trainLossObject = config.loss === "soft-dtw"
    ? new SoftDtwLoss({ gamma: config.gamma! })
    : null;
  const trainLossFn = trainLossObject ? softDtw(model, trainLossObject) : bce(model);
  const validationLossFn = config.loss === "soft-dtw"
    ? softDtw(model, new SoftDtwLoss({ gamma: config.gamma! }))
    : bce(model);
  const variables = model.trainableVariables;

  const log = new EpochLog(config.epochs, options.onEpoch);
  const alignments: CapturedAlignment[] = [];
  let weights = model.getWeights();
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const cost = optimizer.minimize(
        () => trainLossFn(tensors.trainX, tensors.trainY),
        true,
        variables,
      );
      const t = cost!.dataSync()[0];
      cost!.dispose();
      if (wanted.has(epoch)) {
        const matrix = trainLossObject!.lastAlignments![capture!.segment];
        alignments.push({ epoch, segment: capture!.segment, matrix });
      }
      const v = tf.tidy(() => validationLossFn(tensors.validationX, tensors.validationY));
      const vl = v.dataSync()[0];
      v.dispose();
      if (!Number.isFinite(t) || !Number.isFinite(vl)) {
        throw new RangeError(
          `training diverged at epoch ${epoch}: train loss ${t}, validation loss ${vl}`,
        );
      }
      if (log.add(epoch, t, vl)) weights = model.getWeights();
    }
    return {
      config,
      ...log.summary(),
      weights,
      finalWeights: model.getWeights(),
      alignments,
    };
  } finally {
    optimizer.dispose();
    model.dispose();
    for (const t of Object.values(tensors)) t.dispose();
  }
}
