/**
 * TensorFlow.js losses of the alignment family: soft-DTW with step weights, a band and a diagonal
 * prior (as an op on cost tensors, {@linkcode weightedSoftDtwTf}, which `SoftDtwLoss` of
 * `soft_dtw_tf.ts` uses when given those options), the soft-DTW divergence, and CTC.
 *
 * Each loss is a `tf.customGrad` op whose forward and backward passes run in float64 in the
 * dynamic programs of `weighted.ts`, `divergence.ts` and `ctc.ts` on data read back with
 * `dataSync()`; the loss is the mean over the batch, and items may have different lengths
 * (padding gets zero gradient). Each loss keeps the alignment of its latest call: the expected
 * alignment `E` for soft-DTW and the divergence, the class posteriors for CTC.
 *
 * TensorFlow.js has no CTC loss of its own (tfjs issues #840 and #1759).
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb and by the trainer.
 *
 * @example
 * ```ts
 * import * as tf from "../deps/tfjs.ts";
 * import { CtcLoss } from "./losses_tf.ts";
 * const ctc = new CtcLoss({ blank: 0 });
 * const logits = tf.randomNormal([2, 6, 4]) as tf.Tensor3D;
 * const loss = ctc.call(tf.logSoftmax(logits) as tf.Tensor3D, [[1, 2], [3]]);
 * ```
 *
 * @module
 */
import * as tf from "../deps/tfjs.ts";
import { checkLengths } from "./_checks.ts";
import { checkGamma, type SoftDtwKernelChoice, type StepWeights } from "./options.ts";
import { checkBandRadius } from "./band.ts";
import { checkStepWeights, type WeightedBatchResult, weightedSoftDtwBatch64 } from "./weighted.ts";
import { checkPriorWeight, diagonalPriorInto } from "./prior.ts";
import { softDtwDivergenceBatch64 } from "./divergence.ts";
import { ctcBatch64 } from "./ctc.ts";
import { checkFloatTensor, float32Checked, float32Scaled } from "./_tf_checks.ts";

/** The additive diagonal prior of a soft-DTW loss: `C' = C + weight · (1 − P)`. */
export interface PriorOption {
  /** Weight `w >= 0`. */
  weight: number;
  /** Gaussian width in frames (default one target element's share, `max(1, M/N)`). */
  sigma?: number;
}

/** Options of {@linkcode weightedSoftDtwTf}. */
export interface WeightedSoftDtwTfOptions {
  /** Temperature γ > 0. */
  gamma: number;
  /** The float64 kernel (default `"auto"`: WebAssembly when available; see `options.ts`). */
  kernel?: SoftDtwKernelChoice;
  /** `[wRow, wCol, wDiag]` (rows: prediction frames; default `[1, 1, 1]`). */
  stepWeights?: StepWeights;
  /** Radius of the Sakoe–Chiba band around each pair's line from first to last cell. */
  band?: number;
  /** Additive diagonal prior (built per pair from its own lengths). */
  prior?: PriorOption;
  /** Used rows M_b of each pair (default all). */
  rowLengths?: readonly number[];
  /** Used columns N_b of each pair (default all). */
  colLengths?: readonly number[];
  /** Called with the float64 result (values, gradients `H`, occupancies `E`) of each forward pass. */
  record?: (result: WeightedBatchResult) => void;
}

/**
 * Checks the family options of a soft-DTW loss (step weights, band radius, prior); throws the
 * error of the respective check.
 *
 * @example
 * ```ts
 * import { checkFamilyOptions } from "./losses_tf.ts";
 * checkFamilyOptions({ stepWeights: [1, 1, 2], band: 10, prior: { weight: 0.5 } });
 * ```
 */
export function checkFamilyOptions(
  options: { stepWeights?: StepWeights; band?: number; prior?: PriorOption },
): void {
  if (options.stepWeights !== undefined) checkStepWeights(options.stepWeights);
  if (options.band !== undefined) checkBandRadius(options.band);
  if (options.prior !== undefined) {
    if (options.prior === null || typeof options.prior !== "object") {
      throw new TypeError("prior must be { weight, sigma? }");
    }
    checkPriorWeight(options.prior.weight);
    const s = options.prior.sigma;
    if (s !== undefined && (typeof s !== "number" || !Number.isFinite(s) || !(s > 0))) {
      throw new RangeError(`prior.sigma must be a positive finite number, got ${s}`);
    }
  }
}

/**
 * Batch mean of weighted, banded soft-DTW values of cost tensors (`B x M x N`) with an optional
 * additive diagonal prior, as a `tf.customGrad` op: the gradient with respect to the cost is
 * `E ⊙ G / B` (float64 dynamic program of `weighted.ts`). The prior is a constant added to the
 * cost, so gradients flow through it unchanged.
 *
 * @example
 * ```ts
 * import * as tf from "../deps/tfjs.ts";
 * import { weightedSoftDtwTf } from "./losses_tf.ts";
 * const cost = tf.tensor3d([[[0, 1], [1, 0], [1, 0]]]);
 * const loss = weightedSoftDtwTf(cost, { gamma: 0.5, stepWeights: [1, 1, 2], band: 1 });
 * ```
 */
export function weightedSoftDtwTf(cost: tf.Tensor3D, options: WeightedSoftDtwTfOptions): tf.Scalar {
  if (!(cost instanceof tf.Tensor) || cost.rank !== 3) {
    throw new TypeError(
      `cost must be a rank-3 tensor (B x M x N), got ${
        cost instanceof tf.Tensor ? `shape [${cost.shape}]` : typeof cost
      }`,
    );
  }
  checkFloatTensor(cost, "cost");
  checkGamma(options.gamma);
  checkFamilyOptions(options);
  const [B, M, N] = cost.shape;
  if (B < 1 || M < 1 || N < 1) throw new RangeError(`empty cost tensor, shape [${cost.shape}]`);
  const rows = checkLengths(options.rowLengths, {
    count: B,
    max: M,
    name: "rowLengths",
    unit: "batch item",
  });
  const cols = checkLengths(options.colLengths, {
    count: B,
    max: N,
    name: "colLengths",
    unit: "batch item",
  });
  let priorAdd: Float32Array | null = null;
  if (options.prior !== undefined && options.prior.weight > 0) {
    const P = new Float64Array(B * M * N).fill(1);
    for (let b = 0; b < B; b++) {
      diagonalPriorInto(P, { offset: b * M * N, stride: N, rows: rows[b], cols: cols[b] }, {
        sigma: options.prior.sigma,
      });
    }
    const w = options.prior.weight;
    priorAdd = Float32Array.from(P, (p) => w * (1 - p));
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const c = args[0] as tf.Tensor3D;
    let r;
    try {
      r = weightedSoftDtwBatch64({
        cost: Float64Array.from(c.dataSync()),
        batch: B,
        maxRows: M,
        maxCols: N,
        rowLengths: rows,
        colLengths: cols,
        gamma: options.gamma,
        stepWeights: options.stepWeights,
        band: options.band,
        withOccupancy: options.record !== undefined,
        kernel: options.kernel,
      });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new RangeError(`soft-DTW loss: ${msg} (do the inputs hold NaN/Infinity?)`);
    }
    if (options.record) options.record(r);
    let mean = 0;
    for (let b = 0; b < B; b++) mean += r.values[b];
    mean /= B;
    const scaled = float32Scaled(r.grads!, 1 / B, "soft-DTW loss gradient");
    return {
      value: tf.scalar(float32Checked(mean, "soft-DTW loss value")),
      gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.tensor3d(scaled, [B, M, N])),
    };
  });
  return tf.tidy(() => {
    const c = priorAdd === null ? cost : tf.add(cost, tf.tensor3d(priorAdd, [B, M, N]));
    return op(c) as tf.Scalar;
  });
}

/** Converts a batched row-major block layout to nested arrays of the used blocks. */
function blocks(
  data: Float64Array,
  rows: number[],
  cols: number[],
  M: number,
  N: number,
): number[][][] {
  return rows.map((Mb, b) =>
    Array.from({ length: Mb }, (_, m) => {
      const o = (b * M + m) * N;
      return Array.from(data.subarray(o, o + cols[b]));
    })
  );
}

function check3d(x: tf.Tensor, name: string, dims: string): [number, number, number] {
  if (!(x instanceof tf.Tensor) || x.rank !== 3) {
    throw new TypeError(
      `${name} must be a rank-3 tensor (${dims}), got ${
        x instanceof tf.Tensor ? `shape [${x.shape}]` : typeof x
      }`,
    );
  }
  checkFloatTensor(x, name);
  const [a, b, c] = x.shape;
  if (a < 1 || b < 1 || c < 1) throw new RangeError(`${name} is empty, shape [${x.shape}]`);
  return [a, b, c];
}

/** Options of {@linkcode SoftDtwDivergenceLoss}. */
export interface SoftDtwDivergenceLossOptions {
  /** Temperature γ > 0. */
  gamma: number;
  /** Used prediction frames M_b of each pair (default all). */
  predLengths?: number[];
  /** Used target frames N_b of each pair (default all). */
  targetLengths?: number[];
}

/**
 * The soft-DTW divergence loss: batch mean of `SDTW(X_b, Y_b) − ½ SDTW(X_b, X_b) −
 * ½ SDTW(Y_b, Y_b)` (squared Euclidean cost) between predictions (B×M×K) and targets (B×N×K),
 * with gradients to both. Non-negative, zero when prediction and target are equal. Keeps the
 * per-pair values and the expected alignments of `SDTW(X_b, Y_b)` of the latest call.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import * as tf from "../deps/tfjs.ts";
 * import { SoftDtwDivergenceLoss } from "./losses_tf.ts";
 * const lossFn = new SoftDtwDivergenceLoss({ gamma: 0.3 });
 * const pred = tf.variable(tf.tensor3d([[[1, 0], [0.5, 0.5], [0, 1]]]));
 * const target = tf.tensor3d([[[1, 0], [0, 1]]]);
 * const { value, grads } = tf.variableGrads(() => lossFn.call(pred, target));
 * ```
 */
export class SoftDtwDivergenceLoss {
  /** Temperature γ. */
  readonly gamma: number;
  /** Per-pair divergences of the latest call, or null. */
  lastValues: number[] | null = null;
  /** Expected alignments `E` of `SDTW(X_b, Y_b)` (M_b x N_b per pair) of the latest call, or null. */
  lastAlignments: number[][][] | null = null;
  readonly #predLengths?: number[];
  readonly #targetLengths?: number[];

  /** @param options γ and optional per-pair lengths */
  constructor(options: SoftDtwDivergenceLossOptions) {
    if (options === null || typeof options !== "object") {
      throw new TypeError("SoftDtwDivergenceLoss: options { gamma, predLengths?, targetLengths? }");
    }
    checkGamma(options.gamma);
    this.gamma = options.gamma;
    this.#predLengths = options.predLengths ? [...options.predLengths] : undefined;
    this.#targetLengths = options.targetLengths ? [...options.targetLengths] : undefined;
  }

  /** Batch mean of the divergences between pred (B×M×K) and target (B×N×K). */
  call(pred: tf.Tensor3D, target: tf.Tensor3D): tf.Scalar {
    const [B, M, K] = check3d(pred, "pred", "B x M x K");
    const [B2, N, K2] = check3d(target, "target", "B x N x K");
    if (B !== B2) throw new RangeError(`batch sizes differ: pred has ${B}, target has ${B2}`);
    if (K !== K2) throw new RangeError(`feature sizes differ: pred has K = ${K}, target ${K2}`);
    const rows = checkLengths(this.#predLengths, {
      count: B,
      max: M,
      name: "predLengths",
      unit: "batch item",
    });
    const cols = checkLengths(this.#targetLengths, {
      count: B,
      max: N,
      name: "targetLengths",
      unit: "batch item",
    });
    const gamma = this.gamma;
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const x = args[0] as tf.Tensor3D, y = args[1] as tf.Tensor3D;
      let r;
      try {
        r = softDtwDivergenceBatch64({
          x: Float64Array.from(x.dataSync()),
          y: Float64Array.from(y.dataSync()),
          batch: B,
          maxRows: M,
          maxCols: N,
          features: K,
          rowLengths: rows,
          colLengths: cols,
          gamma,
        });
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        throw new RangeError(`SoftDtwDivergenceLoss: ${msg}`);
      }
      this.lastValues = Array.from(r.values);
      this.lastAlignments = blocks(r.alignments!, rows, cols, M, N);
      const mean = r.values.reduce((s, v) => s + v, 0) / B;
      const gx = float32Scaled(r.gradX!, 1 / B, "SoftDtwDivergenceLoss gradient of pred");
      const gy = float32Scaled(r.gradY!, 1 / B, "SoftDtwDivergenceLoss gradient of target");
      return {
        value: tf.scalar(float32Checked(mean, "SoftDtwDivergenceLoss value")),
        gradFunc: (dy: tf.Tensor) => [
          tf.mul(dy, tf.tensor3d(gx, [B, M, K])),
          tf.mul(dy, tf.tensor3d(gy, [B, N, K])),
        ],
      };
    });
    return op(pred, target) as tf.Scalar;
  }
}

/** Options of {@linkcode CtcLoss}. */
export interface CtcLossOptions {
  /** Index of the blank class. */
  blank: number;
  /** Whether `call` gets logits and applies `tf.logSoftmax` first (default false: log-probabilities). */
  fromLogits?: boolean;
  /** Temperature of the soft minimum (default 1: the CTC negative log-likelihood). */
  gamma?: number;
}

/**
 * The CTC loss for TensorFlow.js: batch mean of per-item CTC negative log-likelihoods of
 * predictions `B x T x K` (log-probabilities, or logits with `fromLogits`) against targets of
 * different lengths, computed on the CTC graph by the float64 dynamic program of `ctc.ts`. The
 * gradient with respect to the log-probabilities is minus the class posterior (divided by B).
 * Keeps the per-item values and class posteriors (`T_b x K`) of the latest call.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import * as tf from "../deps/tfjs.ts";
 * import { CtcLoss } from "./losses_tf.ts";
 * const ctc = new CtcLoss({ blank: 0, fromLogits: true });
 * const logits = tf.variable(tf.randomNormal([1, 5, 3]) as tf.Tensor3D);
 * const { value, grads } = tf.variableGrads(() => ctc.call(logits, [[1, 2]]));
 * ```
 */
export class CtcLoss {
  /** Index of the blank class. */
  readonly blank: number;
  /** Whether inputs are logits. */
  readonly fromLogits: boolean;
  /** Temperature. */
  readonly gamma: number;
  /** Per-item values of the latest call, or null. */
  lastValues: number[] | null = null;
  /** Class posteriors (`T_b x K` per item, minus the gradient) of the latest call, or null. */
  lastPosteriors: number[][][] | null = null;

  /** @param options blank index, input kind and temperature */
  constructor(options: CtcLossOptions) {
    if (options === null || typeof options !== "object") {
      throw new TypeError("CtcLoss: options { blank, fromLogits?, gamma? } required");
    }
    if (!Number.isInteger(options.blank) || options.blank < 0) {
      throw new RangeError(`CtcLoss: blank must be a class index, got ${options.blank}`);
    }
    this.gamma = options.gamma ?? 1;
    checkGamma(this.gamma);
    this.blank = options.blank;
    this.fromLogits = options.fromLogits ?? false;
  }

  /**
   * Batch mean of CTC values of `pred` (B×T×K) against `labels` (one target per item), using
   * the first `frameLengths[b]` frames of item b (default all).
   */
  call(
    pred: tf.Tensor3D,
    labels: readonly (readonly number[])[],
    options: { frameLengths?: number[] } = {},
  ): tf.Scalar {
    const [B, T, K] = check3d(pred, "pred", "B x T x K");
    if (!Array.isArray(labels) || labels.length !== B) {
      throw new RangeError(`labels must have one target per batch item (${B})`);
    }
    const lengths = checkLengths(options.frameLengths, {
      count: B,
      max: T,
      name: "frameLengths",
      unit: "batch item",
    });
    const { blank, gamma } = this;
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const lp = args[0] as tf.Tensor3D;
      let r;
      try {
        r = ctcBatch64({
          logProbs: Float64Array.from(lp.dataSync()),
          batch: B,
          frames: T,
          classes: K,
          labels,
          frameLengths: lengths,
          blank,
          gamma,
        });
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        throw new RangeError(`CtcLoss: ${msg}`);
      }
      this.lastValues = Array.from(r.values);
      const g = r.grads!;
      this.lastPosteriors = lengths.map((Tb, b) =>
        Array.from({ length: Tb }, (_, t) => {
          const o = (b * T + t) * K;
          return Array.from(g.subarray(o, o + K), (v) => -v);
        })
      );
      const mean = r.values.reduce((s, v) => s + v, 0) / B;
      const scaled = float32Scaled(g, 1 / B, "CtcLoss gradient");
      return {
        value: tf.scalar(float32Checked(mean, "CtcLoss value")),
        gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.tensor3d(scaled, [B, T, K])),
      };
    });
    return tf.tidy(() => {
      const lp = this.fromLogits ? tf.logSoftmax(pred) as tf.Tensor3D : pred;
      return op(lp) as tf.Scalar;
    });
  }
}
