/**
 * Soft-DTW with step weights and an optional band: the generalized float64 kernel of the
 * alignment family (value, gradient and occupancy; batched with per-pair lengths).
 *
 * For a cost matrix `C` (`M` rows x `N` columns; in the losses the rows are prediction frames
 * and the columns target elements), a temperature `γ > 0` and step weights
 * `stepWeights = [wRow, wCol, wDiag]` (Zeitler, Krause, Müller, ICASSP 2024), every step
 * multiplies the cost of the cell it ENTERS:
 *
 * ```
 * D(m, n) = min^γ { D(m-1, n)   + wRow  · C(m, n),     (row step: next row, same column)
 *                   D(m, n-1)   + wCol  · C(m, n),     (column step: same row, next column)
 *                   D(m-1, n-1) + wDiag · C(m, n) }    (diagonal step)
 * ```
 *
 * with the virtual origin `D(-1, -1) = 0` (the first cell is entered diagonally, weight `wDiag`)
 * and `D = +∞` elsewhere outside the matrix and outside the band. The value is `D(M-1, N-1)`,
 * the soft minimum over all warping paths of the weighted path cost. Mapping to the paper,
 * whose matrices index rows by target elements (`[w_v, w_h, w_d]`, vertical = next target
 * element): our rows are prediction frames, so `wRow` (next frame, same target element) is the
 * paper's `w_h`, `wCol` (next target element, same frame) is the paper's `w_v`, and `wDiag = w_d`;
 * the paper's `[w_v, w_h, w_d]` is our `[wCol, wRow, wDiag]`.
 *
 * Gradient: with `E(m, n)` the occupancy probability of cell `(m, n)` under the Gibbs
 * distribution over paths (the expected alignment) and `G(m, n) = p_row·wRow + p_col·wCol +
 * p_diag·wDiag` the expected weight of the step entering it (the `p` are the cell's softmin
 * weights), `∂D(M-1, N-1) / ∂C = E ⊙ G`. `[1, 1, 1]` is plain soft-DTW bit for bit: equal
 * weights take the plain kernel's arithmetic (`w·C + min^γ(...)`) and `G = w` exactly.
 *
 * Numerics and speed as in `soft_dtw_kernel.ts`: float64, log-sum-exp with the smallest argument
 * subtracted (two exponentials and one logarithm per cell), the forward pass stores the three
 * normalized softmin weights of each cell so that the backward pass has no exponential, and
 * two rows are computed at a time (the second one column behind) so that two exp/log chains
 * overlap. The backward pass pushes each cell's `E` to its predecessors, visiting only band
 * cells. Memory: 24 bytes of weights per band cell, O(N) rows of `D` and `E`.
 *
 * Specialized on purpose for speed: two forward passes, `forwardUniform` (equal weights: the
 * plain kernel's cell `softminCell` of `soft_dtw_kernel.ts` on `w·C`, so that `[1, 1, 1]` rounds
 * exactly as plain soft-DTW) and `forwardWeighted` (each step adds its own weighted cost before
 * the soft minimum), each unrolled two rows at a time over the band, and the uniform and
 * weighted branches of the backward pass. Merging them into one loop with per-cell weights
 * would change the rounding of `[1, 1, 1]` (`w·C + min^γ(D)` against `min^γ(D + w·C)`) and add
 * three multiplications per cell to the common case.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { weightedSoftDtw } from "./weighted.ts";
 * const { value, grad, occupancy } = weightedSoftDtw([[0, 1], [1, 0]], {
 *   gamma: 0.1, stepWeights: [1, 1, 2],
 * });
 * ```
 *
 * @module
 */
import {
  checkMatrix64,
  denseBlock,
  fromMatrix64,
  type KernelBlock,
  type Matrix64,
  type PackedCosts,
  toMatrix64,
} from "./cost.ts";
import { checkPackedCosts, checkPositiveIntegers } from "./checks.ts";
import { checkGamma, type SoftDtwKernelChoice, type SoftDtwOptions } from "./options.ts";
import { useWasmKernel, wasmSoftDtwKernel, wasmWeightedSoftDtwKernel } from "./soft_dtw_wasm.ts";
import { bandArea, type BandLimits, checkBandLimits, sakoeChibaBand } from "./band.ts";
import { overflowError, softminCell } from "./soft_dtw_kernel.ts";

const OVERFLOW_BLAME = "cost values or step weights";

/** Step weights `[wRow, wCol, wDiag]`: row step, column step, diagonal step. */
export type StepWeights = readonly [number, number, number];

/** The plain soft-DTW step weights. */
export const PLAIN_STEP_WEIGHTS: StepWeights = [1, 1, 1];

/**
 * Whether step weights are the plain `[1, 1, 1]`.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb (through the soft-DTW options).
 *
 * @example
 * ```ts
 * import { isPlainStepWeights } from "./weighted.ts";
 * isPlainStepWeights([1, 1, 2]); // false
 * ```
 */
export function isPlainStepWeights(w: readonly number[]): boolean {
  return Array.isArray(w) && w.length === 3 && w[0] === 1 && w[1] === 1 && w[2] === 1;
}

/**
 * Checks step weights: an array of three finite non-negative numbers `[wRow, wCol, wDiag]`.
 * Throws a `TypeError` for a wrong shape and a `RangeError` naming the bad weight.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb (through the step-weight options).
 *
 * @example
 * ```ts
 * import { checkStepWeights } from "./weighted.ts";
 * checkStepWeights([1, 1, 2]); // ok
 * ```
 */
export function checkStepWeights(w: readonly number[]): void {
  if (!Array.isArray(w) || w.length !== 3) {
    throw new TypeError(
      `stepWeights must be an array [wRow, wCol, wDiag] of three numbers, got ${
        Array.isArray(w) ? `${w.length} entries` : typeof w
      }`,
    );
  }
  const names = ["wRow", "wCol", "wDiag"];
  w.forEach((v, k) => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new RangeError(
        `stepWeights[${k}] (${names[k]}) is ${v}; step weights must be finite and non-negative`,
      );
    }
  });
}

/** Scratch memory of {@linkcode weightedSoftDtwKernel}. */
export interface WeightedWorkspace {
  /** Softmin weights (diagonal, row, column) of each band cell, `3 * maxCells`. */
  weights: Float64Array;
  /** Three rows of `D` and two rows of `E`, `5 * (maxCols + 1)`. */
  rows: Float64Array;
  /** Per-row band limits used when no band is given, `2 * maxRows`. */
  limits: Int32Array;
}

/**
 * Allocates a workspace for problems with at most `maxCells` band cells, `maxRows` rows and
 * `maxCols` columns.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb (through the batched functions).
 *
 * @example
 * ```ts
 * import { createWeightedWorkspace } from "./weighted.ts";
 * const ws = createWeightedWorkspace({ maxCells: 150 * 16, maxRows: 150, maxCols: 16 });
 * ```
 */
export function createWeightedWorkspace(
  options: { maxCells: number; maxRows: number; maxCols: number },
): WeightedWorkspace {
  const { maxCells, maxRows, maxCols } = options;
  checkPositiveIntegers({ maxCells, maxRows, maxCols });
  return {
    weights: new Float64Array(3 * maxCells),
    rows: new Float64Array(5 * (maxCols + 1)),
    limits: new Int32Array(2 * maxRows),
  };
}

/**
 * Arguments of {@linkcode weightedSoftDtwKernel}: an `rows x cols` block inside larger arrays;
 * the gradient written into `grad` is `E ⊙ G`, zero outside the band.
 */
export interface WeightedKernelArgs extends KernelBlock {
  /** Temperature γ (validated by the caller). */
  gamma: number;
  /** `[wRow, wCol, wDiag]` (validated by the caller). */
  stepWeights: StepWeights;
  /** The band (validated by the caller with {@linkcode checkBandLimits}), or null for all cells. */
  band: BandLimits | null;
  /** Output for the occupancy `E` (zero outside the band), or null; same layout as `grad`. */
  occupancy?: Float64Array | null;
  /** Scratch memory. */
  workspace: WeightedWorkspace;
  /** The kernel without a band (default `"auto"`: WebAssembly when available; see `options.ts`). */
  kernel?: SoftDtwKernelChoice;
}

/** Weighted cell: `D = min^γ(a0, a1, a2)` with the step costs already added. */
function cellWeighted(
  Wt: Float64Array,
  w: number,
  a0: number,
  a1: number,
  a2: number,
  gamma: number,
  ig: number,
): number {
  let e0: number, e1: number, e2: number, mn: number;
  if (a0 <= a1 && a0 <= a2) {
    mn = a0;
    e0 = 1;
    e1 = Math.exp((mn - a1) * ig);
    e2 = Math.exp((mn - a2) * ig);
  } else if (a1 <= a2) {
    mn = a1;
    e1 = 1;
    e0 = Math.exp((mn - a0) * ig);
    e2 = Math.exp((mn - a2) * ig);
  } else {
    mn = a2;
    e2 = 1;
    e0 = Math.exp((mn - a0) * ig);
    e1 = Math.exp((mn - a1) * ig);
  }
  const s = e0 + e1 + e2;
  const is = 1 / s;
  Wt[w] = e0 * is;
  Wt[w + 1] = e1 * is;
  Wt[w + 2] = e2 * is;
  return mn - gamma * Math.log(s);
}

/**
 * The generalized soft-DTW kernel (no validation): forward pass over the band cells keeping the
 * softmin weights, then the exponential-free backward pass writing `E ⊙ G` into `grad` and `E`
 * into `occupancy` (each if given). Returns the value. The caller validates the inputs (finite
 * costs, γ, step weights, band); the exported entry points do.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb (through the entry points).
 *
 * @example
 * ```ts
 * import { createWeightedWorkspace, weightedSoftDtwKernel } from "./weighted.ts";
 * const grad = new Float64Array(4);
 * const value = weightedSoftDtwKernel({
 *   cost: [0, 1, 1, 0], costOffset: 0, costStride: 2, rows: 2, cols: 2, gamma: 1,
 *   stepWeights: [1, 1, 2], band: null, grad, gradOffset: 0, gradStride: 2,
 *   workspace: createWeightedWorkspace({ maxCells: 4, maxRows: 2, maxCols: 2 }),
 * });
 * ```
 */
export function weightedSoftDtwKernel(args: WeightedKernelArgs): number {
  const { cost: C, costOffset: co, costStride: cs, rows: M, cols: N, gamma } = args;
  const { grad: G, gradOffset: go, gradStride: gs } = args;
  const Occ = args.occupancy ?? null;
  const [wr, wc, wd] = args.stepWeights;
  const uniform = wr === wc && wc === wd;
  const ws = args.workspace;
  const W = N + 1;
  let lo: Int32Array, hi: Int32Array;
  if (args.band === null) {
    if (ws.limits.length < 2 * M) {
      throw new RangeError(`weightedSoftDtwKernel: workspace too small for ${M} rows`);
    }
    lo = ws.limits.subarray(0, M).fill(0);
    hi = ws.limits.subarray(M, 2 * M).fill(N - 1);
  } else {
    lo = args.band.lo;
    hi = args.band.hi;
  }
  let area = 0;
  for (let i = 0; i < M; i++) area += hi[i] - lo[i] + 1;
  if (ws.weights.length < 3 * area || ws.rows.length < 5 * W) {
    throw new RangeError(
      `weightedSoftDtwKernel: workspace too small for ${M} x ${N} (${area} band cells)`,
    );
  }
  // Without a band (or with one covering every cell), the WebAssembly kernel (soft_dtw_wasm.ts) when available, unless
  // `kernel: "ts"`: equal weights run the plain kernel on w·C (G = w), others the weighted one.
  if (area === M * N && useWasmKernel(args.kernel, M * N, Math.max(M, N))) {
    const v = uniform
      ? wasmSoftDtwKernel({ ...args, occupancy: Occ, stepWeight: wd })
      : wasmWeightedSoftDtwKernel({ ...args, occupancy: Occ });
    if (v !== null) {
      if (!Number.isFinite(v)) {
        throw overflowError(`D(${M - 1}, ${N - 1}) = ${v}`, gamma, OVERFLOW_BLAME);
      }
      return v;
    }
  }
  const value = uniform
    ? forwardUniform(C, co, cs, M, N, lo, hi, ws.weights, ws.rows, gamma, wd)
    : forwardWeighted(C, co, cs, M, N, lo, hi, ws.weights, ws.rows, gamma, wr, wc, wd);
  if (!Number.isFinite(value)) {
    throw overflowError(`D(${M - 1}, ${N - 1}) = ${value}`, gamma, OVERFLOW_BLAME);
  }
  if (G !== null || Occ !== null) {
    backward(M, N, lo, hi, area, ws.weights, ws.rows, G, Occ, go, gs, uniform, wr, wc, wd);
  }
  return value;
}

// The forward passes: D rows in R, index j + 1 for column j (index 0 is column -1):
// p = D(m-1, .), a = D(m, .), b = D(m+1, .); the virtual row -1 holds D(-1, -1) = 0. Rows are
// computed in pairs, row m+1 one column behind row m, so two exp/log chains overlap; within a
// pair, row m alone until row m+1's band starts, then both, then row m+1 alone. Cells outside
// a row's band are never written; the entry left of the band is set to +∞, and entries right
// of it are +∞ because bands only move right. Weights of band cell (m, j) are at
// 3 * (off_m + j - lo[m]).

function forwardUniform(
  C: ArrayLike<number>,
  co: number,
  cs: number,
  M: number,
  N: number,
  lo: Int32Array,
  hi: Int32Array,
  Wt: Float64Array,
  R: Float64Array,
  gamma: number,
  w: number,
): number {
  const W = N + 1, ig = 1 / gamma;
  const a = W;
  let p = 0, b = 2 * W;
  R.fill(Infinity, 0, 3 * W);
  R[0] = 0;
  let off = 0;
  let m = 0;
  for (; m + 1 < M; m += 2) {
    const loA = lo[m], hiA = hi[m], loB = lo[m + 1], hiB = hi[m + 1];
    const offB = off + hiA - loA + 1;
    R[a + loA] = Infinity;
    R[b + loB] = Infinity;
    const ca = co + m * cs, cb = ca + cs;
    const wa = 3 * (off - loA), wb = 3 * (offB - loB);
    const stop1 = loB < hiA ? loB : hiA;
    let ja = loA, jb = loB;
    for (; ja <= stop1; ja++) {
      R[a + ja + 1] = softminCell(
        Wt,
        wa + 3 * ja,
        R[p + ja],
        R[p + ja + 1],
        R[a + ja],
        w * C[ca + ja],
        gamma,
        ig,
      );
    }
    for (; ja <= hiA; ja++, jb++) {
      R[a + ja + 1] = softminCell(
        Wt,
        wa + 3 * ja,
        R[p + ja],
        R[p + ja + 1],
        R[a + ja],
        w * C[ca + ja],
        gamma,
        ig,
      );
      R[b + jb + 1] = softminCell(
        Wt,
        wb + 3 * jb,
        R[a + jb],
        R[a + jb + 1],
        R[b + jb],
        w * C[cb + jb],
        gamma,
        ig,
      );
    }
    for (; jb <= hiB; jb++) {
      R[b + jb + 1] = softminCell(
        Wt,
        wb + 3 * jb,
        R[a + jb],
        R[a + jb + 1],
        R[b + jb],
        w * C[cb + jb],
        gamma,
        ig,
      );
    }
    off = offB + hiB - loB + 1;
    const t = p;
    p = b;
    b = t;
  }
  if (m < M) {
    const loA = lo[m], hiA = hi[m];
    R[a + loA] = Infinity;
    const ca = co + m * cs, wa = 3 * (off - loA);
    for (let j = loA; j <= hiA; j++) {
      R[a + j + 1] = softminCell(
        Wt,
        wa + 3 * j,
        R[p + j],
        R[p + j + 1],
        R[a + j],
        w * C[ca + j],
        gamma,
        ig,
      );
    }
    p = a;
  }
  return R[p + N];
}

function forwardWeighted(
  C: ArrayLike<number>,
  co: number,
  cs: number,
  M: number,
  N: number,
  lo: Int32Array,
  hi: Int32Array,
  Wt: Float64Array,
  R: Float64Array,
  gamma: number,
  wr: number,
  wc: number,
  wd: number,
): number {
  const W = N + 1, ig = 1 / gamma;
  const a = W;
  let p = 0, b = 2 * W;
  R.fill(Infinity, 0, 3 * W);
  R[0] = 0;
  let off = 0;
  let m = 0;
  for (; m + 1 < M; m += 2) {
    const loA = lo[m], hiA = hi[m], loB = lo[m + 1], hiB = hi[m + 1];
    const offB = off + hiA - loA + 1;
    R[a + loA] = Infinity;
    R[b + loB] = Infinity;
    const ca = co + m * cs, cb = ca + cs;
    const wa = 3 * (off - loA), wb = 3 * (offB - loB);
    const stop1 = loB < hiA ? loB : hiA;
    let ja = loA, jb = loB;
    for (; ja <= stop1; ja++) {
      const c = C[ca + ja];
      R[a + ja + 1] = cellWeighted(
        Wt,
        wa + 3 * ja,
        R[p + ja] + wd * c,
        R[p + ja + 1] + wr * c,
        R[a + ja] + wc * c,
        gamma,
        ig,
      );
    }
    for (; ja <= hiA; ja++, jb++) {
      const c = C[ca + ja], d = C[cb + jb];
      R[a + ja + 1] = cellWeighted(
        Wt,
        wa + 3 * ja,
        R[p + ja] + wd * c,
        R[p + ja + 1] + wr * c,
        R[a + ja] + wc * c,
        gamma,
        ig,
      );
      R[b + jb + 1] = cellWeighted(
        Wt,
        wb + 3 * jb,
        R[a + jb] + wd * d,
        R[a + jb + 1] + wr * d,
        R[b + jb] + wc * d,
        gamma,
        ig,
      );
    }
    for (; jb <= hiB; jb++) {
      const d = C[cb + jb];
      R[b + jb + 1] = cellWeighted(
        Wt,
        wb + 3 * jb,
        R[a + jb] + wd * d,
        R[a + jb + 1] + wr * d,
        R[b + jb] + wc * d,
        gamma,
        ig,
      );
    }
    off = offB + hiB - loB + 1;
    const t = p;
    p = b;
    b = t;
  }
  if (m < M) {
    const loA = lo[m], hiA = hi[m];
    R[a + loA] = Infinity;
    const ca = co + m * cs, wa = 3 * (off - loA);
    for (let j = loA; j <= hiA; j++) {
      const c = C[ca + j];
      R[a + j + 1] = cellWeighted(
        Wt,
        wa + 3 * j,
        R[p + j] + wd * c,
        R[p + j + 1] + wr * c,
        R[a + j] + wc * c,
        gamma,
        ig,
      );
    }
    p = a;
  }
  return R[p + N];
}

/**
 * Backward pass (push form): E(m, n) is complete when cell (m, n) is visited (rows from the
 * last, columns right to left); it then sends E·p_diag to (m-1, n-1), E·p_row to (m-1, n) and
 * E·p_col to (m, n-1). The accumulation order equals soft_dtw_kernel.ts's pull form, so [1, 1, 1]
 * gives the same bits. E rows live in R from 3W (index j + 1 for column j).
 */
function backward(
  M: number,
  N: number,
  lo: Int32Array,
  hi: Int32Array,
  area: number,
  Wt: Float64Array,
  R: Float64Array,
  G: Float64Array | null,
  Occ: Float64Array | null,
  go: number,
  gs: number,
  uniform: boolean,
  wr: number,
  wc: number,
  wd: number,
): void {
  const W = N + 1;
  let hc = 3 * W, hp = 4 * W;
  for (let k = hc; k < hc + W; k++) R[k] = 0;
  R[hc + N] = 1;
  let off = area;
  for (let i = M - 1; i >= 0; i--) {
    const l = lo[i], h = hi[i];
    off -= h - l + 1;
    if (i > 0) { for (let k = hp + lo[i - 1], e = hp + hi[i - 1] + 2; k < e; k++) R[k] = 0; }
    const wi = 3 * (off - l);
    const g = go + i * gs;
    if (G !== null) {
      for (let k = g; k < g + l; k++) G[k] = 0;
      for (let k = g + h + 1; k < g + N; k++) G[k] = 0;
      if (Occ !== null) {
        for (let k = g; k < g + l; k++) Occ[k] = 0;
        for (let k = g + h + 1; k < g + N; k++) Occ[k] = 0;
      }
      if (uniform) {
        for (let j = h; j >= l; j--) {
          const e = R[hc + j + 1];
          const k = wi + 3 * j;
          G[g + j] = e * wd;
          if (Occ !== null) Occ[g + j] = e;
          R[hp + j] += e * Wt[k];
          R[hp + j + 1] += e * Wt[k + 1];
          R[hc + j] += e * Wt[k + 2];
        }
      } else {
        for (let j = h; j >= l; j--) {
          const e = R[hc + j + 1];
          const k = wi + 3 * j;
          const p0 = Wt[k], p1 = Wt[k + 1], p2 = Wt[k + 2];
          G[g + j] = e * (p0 * wd + p1 * wr + p2 * wc);
          if (Occ !== null) Occ[g + j] = e;
          R[hp + j] += e * p0;
          R[hp + j + 1] += e * p1;
          R[hc + j] += e * p2;
        }
      }
    } else if (Occ !== null) {
      for (let k = g; k < g + l; k++) Occ[k] = 0;
      for (let k = g + h + 1; k < g + N; k++) Occ[k] = 0;
      for (let j = h; j >= l; j--) {
        const e = R[hc + j + 1];
        const k = wi + 3 * j;
        Occ[g + j] = e;
        R[hp + j] += e * Wt[k];
        R[hp + j + 1] += e * Wt[k + 1];
        R[hc + j] += e * Wt[k + 2];
      }
    }
    const t = hc;
    hc = hp;
    hp = t;
  }
}

/**
 * Options of the weighted soft-DTW entry points, and of `softDtwValueAndGrad`, `softDtw` and
 * their typed twins in `soft_dtw.ts` (which dispatch here when step weights other than
 * `[1, 1, 1]` or a band are given).
 */
export interface WeightedSoftDtwOptions extends SoftDtwOptions {
  /** `[wRow, wCol, wDiag]` (default `[1, 1, 1]`, plain soft-DTW). */
  stepWeights?: StepWeights;
  /**
   * Band: a radius (non-negative integer) of the {@linkcode sakoeChibaBand} around the line from
   * the first to the last cell, or explicit {@linkcode BandLimits}; default none.
   */
  band?: number | BandLimits;
}

/** Result of {@linkcode weightedSoftDtw64}. */
export interface WeightedSoftDtw64 {
  /** The value `D(M-1, N-1)`. */
  value: number;
  /** `∂value/∂C = E ⊙ G` (`M x N`, zero outside the band). */
  grad: Matrix64;
  /** The occupancy (expected alignment) `E` (`M x N`, zero outside the band). */
  occupancy: Matrix64;
}

function resolveOptions(
  options: WeightedSoftDtwOptions,
  M: number,
  N: number,
): { gamma: number; stepWeights: StepWeights; band: BandLimits | null } {
  if (options === null || typeof options !== "object") {
    throw new TypeError("options { gamma, stepWeights?, band? } required");
  }
  checkGamma(options.gamma);
  const stepWeights = options.stepWeights ?? PLAIN_STEP_WEIGHTS;
  checkStepWeights(stepWeights);
  let band: BandLimits | null = null;
  if (typeof options.band === "number") band = sakoeChibaBand(M, N, { radius: options.band });
  else if (options.band !== undefined) {
    checkBandLimits(options.band, M, N);
    band = options.band;
  }
  return { gamma: options.gamma, stepWeights, band };
}

/**
 * Weighted and banded soft-DTW value, gradient `E ⊙ G` and occupancy `E` of a typed cost
 * matrix. Throws for non-finite costs, γ <= 0, negative or non-finite step weights, a bad band,
 * or an overflowing accumulated cost.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { weightedSoftDtw64 } from "./weighted.ts";
 * const C = { data: new Float64Array([0, 1, 1, 0]), rows: 2, cols: 2 };
 * const { value, grad } = weightedSoftDtw64(C, { gamma: 0.1, stepWeights: [1, 1, 2], band: 0 });
 * ```
 */
export function weightedSoftDtw64(
  cost: Matrix64,
  options: WeightedSoftDtwOptions,
): WeightedSoftDtw64 {
  const M = cost.rows, N = cost.cols;
  const grad = new Float64Array(M * N), occupancy = new Float64Array(M * N);
  const value = run64(cost, options, grad, occupancy);
  return {
    value,
    grad: { data: grad, rows: M, cols: N },
    occupancy: { data: occupancy, rows: M, cols: N },
  };
}

/**
 * Weighted and banded soft-DTW value only (no backward pass) of a typed cost matrix. Throws as
 * {@linkcode weightedSoftDtw64}.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb (through `softDtw`).
 *
 * @example
 * ```ts
 * import { weightedSoftDtwValue64 } from "./weighted.ts";
 * const C = { data: new Float64Array([0, 1, 1, 0]), rows: 2, cols: 2 };
 * weightedSoftDtwValue64(C, { gamma: 1, stepWeights: [1, 1, 2] });
 * ```
 */
export function weightedSoftDtwValue64(cost: Matrix64, options: WeightedSoftDtwOptions): number {
  return run64(cost, options, null, null);
}

/** The typed entry points: validates, then runs the kernel on the whole matrix. */
function run64(
  cost: Matrix64,
  options: WeightedSoftDtwOptions,
  grad: Float64Array | null,
  occupancy: Float64Array | null,
): number {
  checkMatrix64(cost, { name: "cost" });
  const M = cost.rows, N = cost.cols;
  const { gamma, stepWeights, band } = resolveOptions(options, M, N);
  const area = band === null ? M * N : bandArea(band, M);
  return weightedSoftDtwKernel({
    ...denseBlock(cost, grad),
    gamma,
    stepWeights,
    band,
    occupancy,
    workspace: createWeightedWorkspace({ maxCells: area, maxRows: M, maxCols: N }),
    kernel: options.kernel,
  });
}

/**
 * Weighted and banded soft-DTW of a cost matrix given as rows of numbers: the value, the
 * gradient `E ⊙ G` and the occupancy (expected alignment) `E`. With the default options it is
 * plain soft-DTW. Throws for an empty or ragged matrix, non-finite costs, γ <= 0, negative or
 * non-finite step weights, and a bad band.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { weightedSoftDtw } from "./weighted.ts";
 * const r = weightedSoftDtw([[0, 1, 2], [1, 0, 1]], { gamma: 1, stepWeights: [1, 0, 1], band: 1 });
 * r.occupancy; // 2 x 3 expected alignment
 * ```
 */
export function weightedSoftDtw(
  cost: number[][],
  options: WeightedSoftDtwOptions,
): { value: number; grad: number[][]; occupancy: number[][] } {
  const r = weightedSoftDtw64(toMatrix64(cost, { name: "cost" }), options);
  return { value: r.value, grad: fromMatrix64(r.grad), occupancy: fromMatrix64(r.occupancy) };
}

/** Arguments of {@linkcode weightedSoftDtwBatch64}. */
export interface WeightedBatchArgs extends PackedCosts {
  /** Temperature γ > 0. */
  gamma: number;
  /** `[wRow, wCol, wDiag]` (default `[1, 1, 1]`). */
  stepWeights?: StepWeights;
  /** Radius of the Sakoe–Chiba band around each pair's own line `(0,0) → (M_b-1, N_b-1)`. */
  band?: number;
  /** Whether to compute the gradients (default true). */
  withGrad?: boolean;
  /** Whether to return the occupancies `E` too (default false). */
  withOccupancy?: boolean;
  /** The kernel without a band (default `"auto"`: WebAssembly when available). */
  kernel?: SoftDtwKernelChoice;
}

/** Result of {@linkcode weightedSoftDtwBatch64}. */
export interface WeightedBatchResult {
  /** Value of each pair. */
  values: Float64Array;
  /** Gradients `B x maxRows x maxCols` (zeros outside each pair's block and band), or null. */
  grads: Float64Array | null;
  /** Occupancies in the same layout, or null. */
  occupancies: Float64Array | null;
}

/**
 * Batched weighted and banded soft-DTW over pairs of different lengths: pair b uses the top-left
 * `rowLengths[b] x colLengths[b]` block of its cost matrix, and its band follows the line from
 * its own first to its own last cell. Padding never enters a value or a gradient. Throws for
 * bad shapes or lengths, γ <= 0, bad step weights or band radius, and non-finite costs inside a
 * used block (naming the pair and the cell).
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb (and by the tfjs losses).
 *
 * @example
 * ```ts
 * import { weightedSoftDtwBatch64 } from "./weighted.ts";
 * const r = weightedSoftDtwBatch64({
 *   cost: new Float64Array([0, 1, 1, 0, 5, 0, 0, 0]), batch: 2, maxRows: 2, maxCols: 2,
 *   rowLengths: [2, 1], colLengths: [2, 2], gamma: 1, stepWeights: [1, 1, 2],
 * });
 * ```
 */
export function weightedSoftDtwBatch64(args: WeightedBatchArgs): WeightedBatchResult {
  const { cost, batch, maxRows, maxCols, gamma } = args;
  checkGamma(gamma);
  const stepWeights = args.stepWeights ?? PLAIN_STEP_WEIGHTS;
  checkStepWeights(stepWeights);
  const { block, rowLengths: rl, colLengths: cl } = checkPackedCosts(args);
  const bands: (BandLimits | null)[] = [];
  let maxCells = 1;
  for (let b = 0; b < batch; b++) {
    const band = args.band === undefined
      ? null
      : sakoeChibaBand(rl[b], cl[b], { radius: args.band });
    bands.push(band);
    maxCells = Math.max(maxCells, band === null ? rl[b] * cl[b] : bandArea(band, rl[b]));
  }
  const withGrad = args.withGrad ?? true;
  const grads = withGrad ? new Float64Array(batch * block) : null;
  const occupancies = args.withOccupancy ? new Float64Array(batch * block) : null;
  const values = new Float64Array(batch);
  const workspace = createWeightedWorkspace({ maxCells, maxRows, maxCols });
  for (let b = 0; b < batch; b++) {
    values[b] = weightedSoftDtwKernel({
      cost,
      costOffset: b * block,
      costStride: maxCols,
      rows: rl[b],
      cols: cl[b],
      gamma,
      stepWeights,
      band: bands[b],
      grad: grads,
      gradOffset: b * block,
      gradStride: maxCols,
      occupancy: occupancies,
      workspace,
      kernel: args.kernel,
    });
  }
  return { values, grads, occupancies };
}
