/**
 * The soft-DTW divergence (Blondel, Mensch, Vert, AISTATS 2021):
 *
 * ```
 * D^γ(X, Y) = SDTW^γ(X, Y) − ½ SDTW^γ(X, X) − ½ SDTW^γ(Y, Y)
 * ```
 *
 * with the squared Euclidean cost `C(m, n) = ||x_m − y_n||²`. Plain soft-DTW of two identical
 * sequences is negative (the soft minimum over many alignments lies below the best one by up to
 * `γ log #alignments`); the divergence is zero for `X = Y` and non-negative (the Gaussian kernel
 * `exp(−||x − y||²/γ)` is positive definite, the condition of the paper's theorem).
 *
 * Gradient with respect to `X`: with `E_XY`, `E_XX` the expected alignments of the three terms,
 * `∂/∂x_m = Σ_n E_XY(m, n)·2(x_m − y_n) − ½ Σ_n (E_XX(m, n) + E_XX(n, m))·2(x_m − x_n)`
 * (`X` is both the rows and the columns of `C(X, X)`); the same with the roles exchanged for `Y`.
 * The three soft-DTW terms use the kernel of `weighted.ts` with plain step weights (bit for bit
 * the soft-DTW of `soft_dtw.ts`).
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { softDtwDivergence } from "./divergence.ts";
 * const x = [[0], [1], [2]];
 * softDtwDivergence(x, x, { gamma: 1 }).value; // 0
 * ```
 *
 * @module
 */
import {
  checkFiniteBlocks,
  checkLengths,
  checkPackedArray,
  checkPositiveIntegers,
} from "./_checks.ts";
import { checkMatrix } from "./cost.ts";
import { checkGamma } from "./options.ts";
import { PLAIN_STEP_WEIGHTS } from "./weighted.ts";
import { createWeightedWorkspace, weightedSoftDtwKernel } from "./_weighted_kernel.ts";

/** Options of the divergence functions. */
export interface DivergenceOptions {
  /** Temperature γ > 0. */
  gamma: number;
}

/** Result of {@linkcode softDtwDivergence}. */
export interface Divergence {
  /** `D^γ(X, Y)`. */
  value: number;
  /** `∂D/∂X` (`M x K`). */
  gradX: number[][];
  /** `∂D/∂Y` (`N x K`). */
  gradY: number[][];
}

/** Arguments of {@linkcode softDtwDivergenceBatch64}. */
export interface DivergenceBatchArgs {
  /** Sequences X, `B x maxRows x features`, row-major. */
  x: ArrayLike<number>;
  /** Sequences Y, `B x maxCols x features`, row-major. */
  y: ArrayLike<number>;
  /** Batch size B. */
  batch: number;
  /** Allocated frames of X per item. */
  maxRows: number;
  /** Allocated frames of Y per item. */
  maxCols: number;
  /** Feature size K. */
  features: number;
  /** Used frames of X per item (default all). */
  rowLengths?: readonly number[];
  /** Used frames of Y per item (default all). */
  colLengths?: readonly number[];
  /** Temperature γ > 0. */
  gamma: number;
  /** Whether to compute the gradients (default true). */
  withGrad?: boolean;
}

/** Result of {@linkcode softDtwDivergenceBatch64}. */
export interface DivergenceBatchResult {
  /** Divergence of each item. */
  values: Float64Array;
  /** `∂D_b/∂X_b` in the layout of `x` (zeros on padding), or null. */
  gradX: Float64Array | null;
  /** `∂D_b/∂Y_b` in the layout of `y` (zeros on padding), or null. */
  gradY: Float64Array | null;
  /** Expected alignment `E_XY` of each item (`B x maxRows x maxCols`), or null. */
  alignments: Float64Array | null;
}

/** Squared Euclidean cost between rows [ua, ua+Ma) of A and [ub, ub+Nb) of B into out (stride N). */
function sqCost(
  A: ArrayLike<number>,
  ao: number,
  Ma: number,
  Bv: ArrayLike<number>,
  bo: number,
  Nb: number,
  K: number,
  out: Float64Array,
): void {
  for (let m = 0; m < Ma; m++) {
    for (let n = 0; n < Nb; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) {
        const d = A[ao + m * K + k] - Bv[bo + n * K + k];
        s += d * d;
      }
      out[m * Nb + n] = s;
    }
  }
}

/**
 * Batched soft-DTW divergence with per-item lengths (float64), its gradients with respect to
 * both sequences, and the expected alignments of `SDTW(X, Y)`. Throws for bad shapes or lengths,
 * non-finite entries (naming the item and frame), γ <= 0, and overflowing costs.
 *
 * @example
 * ```ts
 * import { softDtwDivergenceBatch64 } from "./divergence.ts";
 * const r = softDtwDivergenceBatch64({
 *   x: new Float64Array([0, 1, 2, 0, 0, 0]), y: new Float64Array([0, 2, 1, 1]),
 *   batch: 2, maxRows: 3, maxCols: 2, features: 1, rowLengths: [3, 1], gamma: 1,
 * });
 * ```
 */
export function softDtwDivergenceBatch64(args: DivergenceBatchArgs): DivergenceBatchResult {
  const { x, y, batch: B, maxRows: MR, maxCols: MC, features: K, gamma } = args;
  checkGamma(gamma);
  checkPositiveIntegers({ batch: B, maxRows: MR, maxCols: MC, features: K });
  checkPackedArray(x, { name: "x", length: B * MR * K });
  checkPackedArray(y, { name: "y", length: B * MC * K });
  const rl = checkLengths(args.rowLengths, { count: B, max: MR, name: "rowLengths", unit: "item" });
  const cl = checkLengths(args.colLengths, { count: B, max: MC, name: "colLengths", unit: "item" });
  const items = { stride: K, cols: K, unit: "item", entries: "entries" };
  checkFiniteBlocks(x, { ...items, name: "x", block: MR * K, rows: rl });
  checkFiniteBlocks(y, { ...items, name: "y", block: MC * K, rows: cl });
  const withGrad = args.withGrad ?? true;
  const gradX = withGrad ? new Float64Array(B * MR * K) : null;
  const gradY = withGrad ? new Float64Array(B * MC * K) : null;
  const alignments = withGrad ? new Float64Array(B * MR * MC) : null;
  const values = new Float64Array(B);
  const Mx = Math.max(MR, MC);
  const ws = createWeightedWorkspace({ maxCells: Mx * Mx, maxRows: Mx, maxCols: Mx });
  const C = new Float64Array(Mx * Mx), E = new Float64Array(Mx * Mx);
  const run = (rows: number, cols: number, grad: boolean) =>
    weightedSoftDtwKernel({
      cost: C,
      costOffset: 0,
      costStride: cols,
      rows,
      cols,
      gamma,
      stepWeights: PLAIN_STEP_WEIGHTS,
      band: null,
      grad: grad ? E : null,
      gradOffset: 0,
      gradStride: cols,
      workspace: ws,
    });
  for (let b = 0; b < B; b++) {
    const M = rl[b], N = cl[b], xo = b * MR * K, yo = b * MC * K;
    // SDTW(X, Y)
    sqCost(x, xo, M, y, yo, N, K, C);
    const sxy = run(M, N, withGrad);
    if (withGrad) {
      for (let m = 0; m < M; m++) {
        for (let n = 0; n < N; n++) {
          const e = E[m * N + n];
          alignments![(b * MR + m) * MC + n] = e;
          if (e === 0) continue;
          for (let k = 0; k < K; k++) {
            const d = 2 * e * (x[xo + m * K + k] - y[yo + n * K + k]);
            gradX![xo + m * K + k] += d;
            gradY![yo + n * K + k] -= d;
          }
        }
      }
    }
    // SDTW(X, X) and SDTW(Y, Y): the sequence is both rows and columns
    const self = (S: ArrayLike<number>, so: number, L: number, G: Float64Array | null) => {
      sqCost(S, so, L, S, so, L, K, C);
      const v = run(L, L, G !== null);
      if (G !== null) {
        for (let m = 0; m < L; m++) {
          for (let n = 0; n < L; n++) {
            const e = E[m * L + n];
            if (e === 0) continue;
            for (let k = 0; k < K; k++) {
              // C(m, n) depends on s_m (as a row) and s_n (as a column); factor −½ of the term
              const d = 0.5 * 2 * e * (S[so + m * K + k] - S[so + n * K + k]);
              G[so + m * K + k] -= d;
              G[so + n * K + k] += d;
            }
          }
        }
      }
      return v;
    };
    const sxx = self(x, xo, M, gradX);
    const syy = self(y, yo, N, gradY);
    values[b] = sxy - 0.5 * sxx - 0.5 * syy;
  }
  return { values, gradX, gradY, alignments };
}

/**
 * The soft-DTW divergence `SDTW(X, Y) − ½ SDTW(X, X) − ½ SDTW(Y, Y)` (squared Euclidean cost)
 * of two feature sequences (frames as rows, same feature size), and its gradients with respect
 * to `X` and `Y`. Zero for `X = Y`, non-negative otherwise. Throws for empty or ragged input,
 * different feature sizes, non-finite values, and γ <= 0.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { softDtwDivergence } from "./divergence.ts";
 * const { value, gradX } = softDtwDivergence([[0], [1]], [[0], [0.5], [1]], { gamma: 0.1 });
 * ```
 */
export function softDtwDivergence(
  x: number[][],
  y: number[][],
  options: DivergenceOptions,
): Divergence {
  if (options === null || typeof options !== "object") {
    throw new TypeError("softDtwDivergence: options { gamma } required");
  }
  checkGamma(options.gamma);
  const sx = checkMatrix(x, { name: "x" }), sy = checkMatrix(y, { name: "y" });
  if (sx.cols !== sy.cols) {
    throw new RangeError(`feature sizes differ: x has ${sx.cols}, y has ${sy.cols}`);
  }
  const K = sx.cols;
  const r = softDtwDivergenceBatch64({
    x: Float64Array.from(x.flat()),
    y: Float64Array.from(y.flat()),
    batch: 1,
    maxRows: sx.rows,
    maxCols: sy.rows,
    features: K,
    gamma: options.gamma,
  });
  const rows = (d: Float64Array, n: number) =>
    Array.from({ length: n }, (_, m) => Array.from(d.subarray(m * K, (m + 1) * K)));
  return { value: r.values[0], gradX: rows(r.gradX!, sx.rows), gradY: rows(r.gradY!, sy.rows) };
}
