/**
 * Soft-DTW as a TensorFlow.js loss (the report's weakly aligned training objective).
 *
 * For predictions `pred` (B x M x K, e.g. chord activations per frame) and weakly aligned
 * targets `target` (B x N x K, e.g. one-hot chord labels padded to the soft length), the loss
 * is the batch mean of `SDTW^γ(C_b)` with the squared Euclidean cost
 * `C_b(m, n) = ||pred_b[m] - target_b[n]||^2`. The cost is built with tf ops
 * (`|x|^2 + |y|^2 - 2 x·y`), so gradients flow to `pred` and to `target`; soft-DTW itself is
 * a `tf.customGrad` op whose gradient is the expected alignment `H_b = ∂SDTW_b/∂C_b`
 * (times `dy / B` for the mean), computed in float64 by the dynamic program of
 * `lib/align/soft_dtw.ts` on the data read back with `dataSync()` (no per-cell tensor ops).
 *
 * Pairs may have different lengths (`predLengths`, `targetLengths`): pair b then uses only
 * its first `M_b` prediction frames and `N_b` target frames, and padding gets zero gradient.
 *
 * {@linkcode softDtwTfAutodiff} is a second, deliberately naive implementation: the forward
 * recursion written cell by cell with tf ops, differentiated by tfjs autodiff. It is slow and
 * meant for tiny examples (notebook 02 compares it with the DP backward pass).
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb and the training notebooks.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { SoftDtwLoss } from "./soft_dtw_tf.ts";
 * const loss = new SoftDtwLoss({ gamma: 0.3 });
 * const pred = tf.tensor3d([[[1, 0], [0.5, 0.5], [0, 1]]]);
 * const target = tf.tensor3d([[[1, 0], [0, 1]]]);
 * const value = loss.call(pred, target); // tf.Scalar
 * ```
 *
 * @module
 */
import * as tf from "../deps/tfjs.ts";
import { checkSoftDtwOptions, type SoftDtwOptions } from "./options.ts";
import { checkFloatTensor, float32Checked, float32Scaled } from "./_tf_checks.ts";
import { softDtwBatch64 } from "./soft_dtw_batch.ts";
import { isPlainStepWeights } from "./weighted.ts";
import type { StepWeights } from "./options.ts";
import { checkFamilyOptions, type PriorOption, weightedSoftDtwTf } from "./losses_tf.ts";

/** Options of {@linkcode SoftDtwLoss} and {@linkcode softDtwLoss}: γ and per-pair lengths. */
export interface SoftDtwLossOptions extends SoftDtwOptions {
  /** Used prediction frames M_b of each pair (default: all M). */
  predLengths?: number[];
  /** Used target frames N_b of each pair (default: all N). */
  targetLengths?: number[];
  /**
   * Step weights `[wRow, wCol, wDiag]` (rows: prediction frames, columns: target elements; each
   * step multiplies the cost of the cell it enters; default `[1, 1, 1]`). See `weighted.ts`.
   */
  stepWeights?: StepWeights;
  /** Radius of the Sakoe–Chiba band around each pair's line from first to last cell. */
  band?: number;
  /** Additive diagonal prior `C' = C + weight · (1 − P)` (see `prior.ts`). */
  prior?: PriorOption;
}

function checkLengthList(lengths: number[] | undefined, name: string): void {
  if (lengths === undefined) return;
  if (!Array.isArray(lengths)) throw new TypeError(`${name} must be an array of integers`);
  if (lengths.length === 0) throw new RangeError(`${name} must be a non-empty array of integers`);
  lengths.forEach((l, b) => {
    if (!Number.isInteger(l) || l < 1) {
      throw new RangeError(`${name}[${b}] is ${l}; it must be a positive integer`);
    }
  });
}

function checkShapes(pred: tf.Tensor, target: tf.Tensor): [number, number, number, number] {
  if (!(pred instanceof tf.Tensor) || !(target instanceof tf.Tensor)) {
    throw new TypeError("pred and target must be tf.Tensor3D");
  }
  checkFloatTensor(pred, "pred");
  checkFloatTensor(target, "target");
  if (pred.rank !== 3) {
    throw new TypeError(`pred must have rank 3 (B x M x K), got shape [${pred.shape}]`);
  }
  if (target.rank !== 3) {
    throw new TypeError(`target must have rank 3 (B x N x K), got shape [${target.shape}]`);
  }
  const [B, M, K] = pred.shape;
  const [B2, N, K2] = target.shape;
  if (B !== B2) throw new TypeError(`batch sizes differ: pred has ${B}, target has ${B2}`);
  if (K !== K2) {
    throw new TypeError(`feature sizes differ: pred has K = ${K}, target has K = ${K2}`);
  }
  if (B < 1 || M < 1 || N < 1 || K < 1) {
    throw new RangeError(
      `empty input: pred shape [${pred.shape}], target shape [${target.shape}]`,
    );
  }
  return [B, M, N, K];
}

function checkLengthsFit(lengths: number[] | undefined, B: number, max: number, name: string) {
  if (lengths === undefined) return;
  if (lengths.length !== B) {
    throw new TypeError(`${name} has ${lengths.length} entries but the batch size is ${B}`);
  }
  lengths.forEach((l, b) => {
    if (l > max) throw new RangeError(`${name}[${b}] is ${l}, larger than the ${max} frames`);
  });
}

/**
 * Squared Euclidean cost tensor `C[b][m][n] = ||x[b][m] - y[b][n]||^2` (B x M x N), built
 * with differentiable tf ops.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { squaredEuclideanCostTf } from "./soft_dtw_tf.ts";
 * squaredEuclideanCostTf(tf.tensor3d([[[0], [1]]]), tf.tensor3d([[[1]]])); // [[[1], [0]]]
 * ```
 */
export function squaredEuclideanCostTf(x: tf.Tensor3D, y: tf.Tensor3D): tf.Tensor3D {
  checkShapes(x, y);
  return tf.tidy(() => {
    const xx = tf.sum(tf.square(x), 2, true); // B x M x 1
    const yy = tf.sum(tf.square(y), 2, true); // B x N x 1
    const xy = tf.matMul(x, y, false, true); // B x M x N
    return tf.add(tf.sub(xx, tf.mul(2, xy)), tf.transpose(yy, [0, 2, 1])) as tf.Tensor3D;
  });
}

/**
 * The soft-DTW loss: batch mean of per-pair soft-DTW values with squared Euclidean cost.
 * Keeps the per-pair values and expected alignments of the latest call (the alignments are
 * converted to nested arrays only when read).
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb and the training notebooks.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { SoftDtwLoss } from "./soft_dtw_tf.ts";
 * const lossFn = new SoftDtwLoss({ gamma: 0.3, targetLengths: [2] });
 * const pred = tf.variable(tf.tensor3d([[[1, 0], [0.5, 0.5], [0, 1]]]));
 * const target = tf.tensor3d([[[1, 0], [0, 1], [0, 1]]]);
 * const { value, grads } = tf.variableGrads(() => lossFn.call(pred, target));
 * ```
 */
export class SoftDtwLoss {
  /** Temperature γ. */
  readonly gamma: number;
  /** Per-pair soft-DTW values of the latest call, or null. */
  lastValues: number[] | null = null;
  readonly #predLengths?: number[];
  readonly #targetLengths?: number[];
  readonly #family: Pick<SoftDtwLossOptions, "stepWeights" | "band" | "prior"> | null;
  readonly #kernel: SoftDtwLossOptions["kernel"];
  #last: {
    grads: Float64Array;
    occupancies: Float64Array | null;
    rows: number[];
    cols: number[];
    M: number;
    N: number;
  } | null = null;
  #alignments: number[][][] | null = null;
  #occupancies: number[][][] | null = null;

  /** @param options γ and optional per-pair lengths */
  constructor(options: SoftDtwLossOptions) {
    if (options === null || typeof options !== "object") {
      throw new TypeError("SoftDtwLoss: options { gamma, predLengths?, targetLengths? } required");
    }
    checkSoftDtwOptions(options);
    checkLengthList(options.predLengths, "predLengths");
    checkLengthList(options.targetLengths, "targetLengths");
    this.gamma = options.gamma;
    this.#kernel = options.kernel;
    this.#predLengths = options.predLengths ? [...options.predLengths] : undefined;
    this.#targetLengths = options.targetLengths ? [...options.targetLengths] : undefined;
    checkFamilyOptions(options);
    const { stepWeights, band, prior } = options;
    const family = band !== undefined || (prior !== undefined && prior.weight > 0) ||
      (stepWeights !== undefined && !isPlainStepWeights(stepWeights));
    this.#family = family
      ? {
        stepWeights: stepWeights ? [...stepWeights] as unknown as StepWeights : undefined,
        band,
        prior: prior ? { ...prior } : undefined,
      }
      : null;
  }

  /**
   * Occupancies `E` (per batch item, M_b x N_b: the probability that an alignment visits each
   * cell) of the latest call, or null. For plain soft-DTW they equal {@linkcode lastAlignments};
   * with step weights `H = E ⊙ G` differs from `E`.
   */
  get lastOccupancies(): number[][][] | null {
    if (this.#occupancies === null && this.#last !== null) {
      const { grads, occupancies, rows, cols, M, N } = this.#last;
      const src = occupancies ?? grads;
      this.#occupancies = rows.map((Mb, b) => {
        const out: number[][] = [];
        for (let m = 0; m < Mb; m++) {
          const o = (b * M + m) * N;
          out.push(Array.from(src.subarray(o, o + cols[b])));
        }
        return out;
      });
    }
    return this.#occupancies;
  }

  /**
   * Expected alignments H (per batch item, M_b x N_b, = ∂SDTW_b/∂C_b) of the latest call, or
   * null (converted from the saved float64 arrays on first read).
   */
  get lastAlignments(): number[][][] | null {
    if (this.#alignments === null && this.#last !== null) {
      const { grads, rows, cols, M, N } = this.#last;
      this.#alignments = rows.map((Mb, b) => {
        const out: number[][] = [];
        for (let m = 0; m < Mb; m++) {
          const o = (b * M + m) * N;
          out.push(Array.from(grads.subarray(o, o + cols[b])));
        }
        return out;
      });
    }
    return this.#alignments;
  }

  /** Mean over the batch of per-pair soft-DTW values between pred (B×M×K) and target (B×N×K). */
  call(pred: tf.Tensor3D, target: tf.Tensor3D): tf.Scalar {
    const [B, M, N] = checkShapes(pred, target);
    checkLengthsFit(this.#predLengths, B, M, "predLengths");
    checkLengthsFit(this.#targetLengths, B, N, "targetLengths");
    const rows = this.#predLengths ?? new Array(B).fill(M);
    const cols = this.#targetLengths ?? new Array(B).fill(N);
    const gamma = this.gamma;
    if (this.#family !== null) {
      return tf.tidy(() =>
        weightedSoftDtwTf(squaredEuclideanCostTf(pred, target), {
          gamma,
          ...this.#family,
          kernel: this.#kernel,
          rowLengths: rows,
          colLengths: cols,
          record: (r) => {
            this.#last = { grads: r.grads!, occupancies: r.occupancies, rows, cols, M, N };
            this.#alignments = null;
            this.#occupancies = null;
            this.lastValues = Array.from(r.values);
          },
        })
      );
    }
    const sdtw = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const cost = args[0] as tf.Tensor3D;
      const data = cost.dataSync();
      let r;
      try {
        r = softDtwBatch64({
          cost: Float64Array.from(data),
          batch: B,
          maxRows: M,
          maxCols: N,
          rowLengths: rows,
          colLengths: cols,
          gamma,
          kernel: this.#kernel,
        });
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        throw new RangeError(`SoftDtwLoss: ${e.message} (pred or target holds NaN/Infinity?)`);
      }
      const grads = r.grads as Float64Array;
      this.#last = { grads, occupancies: null, rows, cols, M, N };
      this.#alignments = null;
      this.#occupancies = null;
      this.lastValues = Array.from(r.values);
      let mean = 0;
      for (let b = 0; b < B; b++) mean += r.values[b];
      mean /= B;
      const scaled = float32Scaled(grads, 1 / B, "SoftDtwLoss gradient");
      return {
        value: tf.scalar(float32Checked(mean, "SoftDtwLoss value")),
        gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.tensor3d(scaled, [B, M, N])),
      };
    });
    return tf.tidy(() => sdtw(squaredEuclideanCostTf(pred, target)) as tf.Scalar);
  }
}

/**
 * Functional form of {@linkcode SoftDtwLoss}: the batch mean of soft-DTW values between
 * `pred` (B×M×K) and `target` (B×N×K).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { softDtwLoss } from "./soft_dtw_tf.ts";
 * const l = softDtwLoss(tf.zeros([2, 5, 3]), tf.ones([2, 4, 3]), { gamma: 1 });
 * ```
 */
export function softDtwLoss(
  pred: tf.Tensor3D,
  target: tf.Tensor3D,
  options: SoftDtwLossOptions,
): tf.Scalar {
  return new SoftDtwLoss(options).call(pred, target);
}

/**
 * Naive soft-DTW with tf ops only: the forward recursion cell by cell (first row and column
 * with their single predecessor, inner cells with `-γ logSumExp(-[D_diag, D_up, D_left] / γ)`),
 * so `tf.grad` differentiates it by autodiff. O(MN) tensor ops: for tiny cost matrices only
 * (at most 400 cells). Float32, as tfjs on the CPU backend.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { softDtwTfAutodiff } from "./soft_dtw_tf.ts";
 * const C = tf.tensor2d([[0, 1], [1, 0]]);
 * const H = tf.grad((c: tf.Tensor) => softDtwTfAutodiff(c as tf.Tensor2D, { gamma: 1 }))(C);
 * ```
 */
export function softDtwTfAutodiff(cost: tf.Tensor2D, options: SoftDtwOptions): tf.Scalar {
  const gamma = checkSoftDtwOptions(options);
  if (!(cost instanceof tf.Tensor) || cost.rank !== 2) {
    throw new TypeError(
      `cost must be a rank-2 tensor, got ${cost instanceof tf.Tensor ? `[${cost.shape}]` : cost}`,
    );
  }
  const [M, N] = cost.shape;
  if (M < 1 || N < 1) throw new RangeError(`cost is empty, shape [${cost.shape}]`);
  if (M * N > 400) {
    throw new RangeError(`softDtwTfAutodiff is for tiny matrices (<= 400 cells), got ${M}x${N}`);
  }
  const values = cost.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new RangeError(
        `cost[${Math.floor(i / N)}][${i % N}] is ${values[i]}; costs must be finite`,
      );
    }
  }
  return tf.tidy(() => {
    // One slice per cell (the gradient of tf.unstack fails in tfjs 4.22 when the outputs are
    // used in a long chain, so cells are read with slice, whose gradient is a padded copy).
    const flat = tf.reshape(cost, [M * N]);
    const cells = Array.from(
      { length: M * N },
      (_, i) => tf.reshape(tf.slice(flat, [i], [1]), []) as tf.Scalar,
    );
    const D: tf.Scalar[][] = [];
    for (let m = 0; m < M; m++) {
      const row: tf.Scalar[] = [];
      for (let n = 0; n < N; n++) {
        const c = cells[m * N + n];
        if (m === 0 && n === 0) row.push(c);
        else if (m === 0) row.push(tf.add(c, row[n - 1]));
        else if (n === 0) row.push(tf.add(c, D[m - 1][0]));
        else {
          const preds = tf.stack([D[m - 1][n - 1], D[m - 1][n], row[n - 1]]);
          const soft = tf.mul(-gamma, tf.logSumExp(tf.div(preds, -gamma)));
          row.push(tf.add(c, soft));
        }
      }
      D.push(row);
    }
    return D[M - 1][N - 1];
  });
}
