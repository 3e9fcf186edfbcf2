/**
 * The step-weighted, banded soft-DTW kernel (no validation) of `weighted.ts`, which holds the
 * definitions (step weights `[wRow, wCol, wDiag]` multiplying the cost of the cell a step
 * enters, `H = E ⊙ G`) and the validated entry points.
 *
 * Numerics and speed as in `_soft_dtw_kernel.ts`: float64, log-sum-exp with the smallest argument
 * subtracted (two exponentials and one logarithm per cell), the forward pass stores the three
 * normalized softmin weights of each cell so that the backward pass has no exponential, and
 * two rows are computed at a time (the second one column behind) so that two exp/log chains
 * overlap. The backward pass pushes each cell's `E` to its predecessors, visiting only band
 * cells. Memory: 24 bytes of weights per band cell, O(N) rows of `D` and `E`.
 *
 * Specialized on purpose for speed: two forward passes, `forwardUniform` (equal weights: the
 * plain kernel's cell `softminCell` of `_soft_dtw_kernel.ts` on `w·C`, so that `[1, 1, 1]` rounds
 * exactly as plain soft-DTW) and `forwardWeighted` (each step adds its own weighted cost before
 * the soft minimum), each unrolled two rows at a time over the band, and the uniform and
 * weighted branches of the backward pass. Merging them into one loop with per-cell weights
 * would change the rounding of `[1, 1, 1]` (`w·C + min^γ(D)` against `min^γ(D + w·C)`) and add
 * three multiplications per cell to the common case.
 *
 * @example
 * ```ts
 * import { createWeightedWorkspace, weightedSoftDtwKernel } from "./_weighted_kernel.ts";
 * const value = weightedSoftDtwKernel({
 *   cost: [0, 1, 1, 0], costOffset: 0, costStride: 2, rows: 2, cols: 2, gamma: 1,
 *   stepWeights: [1, 1, 2], band: null, grad: null, gradOffset: 0, gradStride: 2,
 *   workspace: createWeightedWorkspace({ maxCells: 4, maxRows: 2, maxCols: 2 }),
 * });
 * ```
 *
 * @module
 */
import type { KernelBlock } from "./cost.ts";
import { checkPositiveIntegers } from "./_checks.ts";
import { useWasmKernel, wasmSoftDtwKernel, wasmWeightedSoftDtwKernel } from "./_soft_dtw_wasm.ts";
import type { BandLimits } from "./band.ts";
import { overflowError, softminCell } from "./_soft_dtw_kernel.ts";
import type { SoftDtwKernelChoice, StepWeights } from "./options.ts";

const OVERFLOW_BLAME = "cost values or step weights";

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
 * @example
 * ```ts
 * import { createWeightedWorkspace } from "./_weighted_kernel.ts";
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
  /** The band (validated by the caller with `checkBandLimits` of `band.ts`), or null for all cells. */
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
 * @example
 * ```ts
 * import { createWeightedWorkspace, weightedSoftDtwKernel } from "./_weighted_kernel.ts";
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
  // Without a band (or with one covering every cell), the WebAssembly kernel (_soft_dtw_wasm.ts) when available, unless
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
 * E·p_col to (m, n-1). The accumulation order equals _soft_dtw_kernel.ts's pull form, so [1, 1, 1]
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
