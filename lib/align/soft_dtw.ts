/**
 * Soft dynamic time warping (soft-DTW, Cuturi & Blondel 2017) in the report's notation.
 *
 * For a cost matrix `C` of size `M x N` and a temperature `γ > 0`, the soft minimum is
 * `min^γ(a_1, ..., a_n) = -γ log Σ_i exp(-a_i / γ)`, and the accumulated cost `D` follows the
 * recursion `D(i, j) = C(i, j) + min^γ(D(i-1, j-1), D(i-1, j), D(i, j-1))` with
 * `D(0, 0) = 0` and `D(i, 0) = D(0, j) = +∞` otherwise (1-based). The soft-DTW value is
 * `SDTW^γ(C) = D(M, N)`. Its gradient is computed by the backward recursion of the report's
 * Algorithm 2, with the report's names:
 *
 * ```
 * F^{p,q}(i, j) = exp((D(i, j) - C(i, j) - D(i-p, j-q)) / γ),  (p, q) ∈ {(1,0), (0,1), (1,1)}
 *     the softmin weight of the step (p, q) entering (i, j) (= ∂D(i, j)/∂D(i-p, j-q));
 *     F^{1,0} + F^{0,1} + F^{1,1} = 1
 * E(i, j) = ∂D(M, N)/∂D(i, j):  E(M, N) = 1,
 * E(i, j) = F^{1,0}(i+1, j) E(i+1, j) + F^{0,1}(i, j+1) E(i, j+1) + F^{1,1}(i+1, j+1) E(i+1, j+1)
 *     (terms outside the grid are 0); E(i, j) is the probability that an alignment visits (i, j)
 * G(i, j) = Σ_{p,q} F^{p,q}(i, j) w_{p,q}:  the expected weight of the step entering (i, j);
 *     plain soft-DTW has all step weights w_{p,q} = 1, so G = 1 everywhere
 * H = ∂SDTW^γ/∂C = E ⊙ G,  here H = E: the expected alignment
 * ```
 *
 * (The notebooks write the expected alignment `H` as `E^γ`, as the report's text does; the
 * functions return it as `grad`.) In the code, `i, j` are the 0-based `m, n` of the arrays.
 *
 * Numerics: everything is float64. The soft minimum subtracts the smallest argument before
 * exponentiating (log-sum-exp), so every exponent is `<= 0`, the normalizer lies in `[1, 3]`,
 * and no NaN or ±∞ arises for finite costs and any `γ` from tiny (1e-300) to huge. The forward
 * pass of the fast entry points keeps the three normalized softmin weights `F^{p,q}` of every
 * cell, so the backward pass is a weighted sum with no exponential at all (the straightforward baseline
 * {@linkcode softDtwValueAndGradBaseline} recomputes them from `D`; `lib/align/soft_dtw_bench.ts`
 * compares the two). The forward pass costs two exponentials and one logarithm per cell (the
 * smallest predecessor's weight is exp(0) = 1), and it computes two rows at a time, the second
 * one column behind the first, so that two independent exp/log chains overlap in the CPU.
 *
 * Memory per DP cell of the fast gradient ({@linkcode softDtwValueAndGrad64}): 3 weights
 * `F^{p,q}` (24 bytes) + the gradient H (8 bytes) = 32 bytes per cell, plus the float64 cost matrix
 * given as input (8 bytes) — 40 bytes per cell in all; `D` is kept as three rows only (O(N)).
 * {@linkcode softDtwForward64} additionally returns the full `D` ((M+1)(N+1) float64).
 * The `number[][]` forms on the wasm kernel copy their rows straight into the kernel's memory
 * and the gradient straight out into new rows (no intermediate Float64Array): the caller's rows
 * (8 bytes per cell) + the kernel's 24 + the returned rows (8) = 40 bytes per cell as well.
 * A 1024 x 1024 problem thus needs about 40 MiB. The baseline needs 32 bytes per cell (cost,
 * `D`, `E`, gradient): the fast version trades 8 bytes per cell for speed. The batched version
 * reuses one workspace sized for the largest pair.
 *
 * The kernel that runs: by default (`kernel: "auto"` in the options) the WebAssembly SIMD kernel
 * of `soft_dtw_wasm.ts` (same results up to a few ulp, about four times faster: strips on
 * anti-diagonals, the forward pass on `exp(-D/γ)` with one exponential per cell) whenever
 * WebAssembly is available and the problem fits in wasm32 memory; the TypeScript kernel below
 * otherwise, or with `kernel: "ts"`. The TypeScript kernel is the readable reference.
 *
 * Step weights and bands (the alignment family, `weighted.ts`): `softDtwValueAndGrad`,
 * `softDtw` and their typed twins also take `stepWeights: [wRow, wCol, wDiag]` and `band` (a
 * Sakoe–Chiba radius around the line from the first to the last cell, or explicit limits). When
 * either asks for something other than plain soft-DTW they dispatch to the generalized kernel of
 * `weighted.ts` (gradient `H = E ⊙ G`); `[1, 1, 1]` without a band stays on this kernel (and the
 * generalized kernel gives the same bits for it).
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb, notebooks/02_gradient_expected_alignment.ipynb and
 * notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { softDtwValueAndGrad } from "./soft_dtw.ts";
 * const { value, grad } = softDtwValueAndGrad([[0, 1], [1, 0]], { gamma: 1 });
 * // value = -log(1 + 2/e) ≈ -0.551, grad = [[1, 0.212], [0.212, 1]]
 * const weighted = softDtwValueAndGrad([[0, 1], [1, 0]], { gamma: 1, stepWeights: [1, 1, 2] });
 * ```
 *
 * @module
 */
import {
  checkMatrix64,
  copyRowsInto,
  fromMatrix64,
  type Matrix64,
  matrixShape,
  rowsFrom,
  toMatrix64,
} from "./cost.ts";
import {
  checkGamma,
  checkSoftDtwOptions,
  type SoftDtwKernelChoice,
  type SoftDtwOptions,
} from "./options.ts";
import {
  useWasmKernel,
  wasmSoftDtwBatch,
  wasmSoftDtwFilled,
  wasmSoftDtwKernel,
} from "./soft_dtw_wasm.ts";
import {
  isPlainStepWeights,
  weightedSoftDtw64,
  type WeightedSoftDtwOptions,
  weightedSoftDtwValue64,
} from "./weighted.ts";

/** Whether options ask for step weights other than [1, 1, 1] or a band (the family kernel). */
function usesFamily(options: WeightedSoftDtwOptions): boolean {
  return options.band !== undefined ||
    (options.stepWeights !== undefined && !isPlainStepWeights(options.stepWeights));
}

/**
 * The soft minimum `min^γ(a_1, ..., a_n) = -γ log Σ exp(-a_i / γ)`, computed stably by
 * subtracting the minimum first. It lies in `[min - γ log n, min]` and tends to the minimum
 * as `γ → 0`. `+∞` entries are allowed (they contribute nothing) as long as one is finite.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { softmin } from "./soft_dtw.ts";
 * softmin([1, 1], { gamma: 1 }); // 1 - log 2 ≈ 0.307
 * ```
 */
export function softmin(values: readonly number[], options: SoftDtwOptions): number {
  const gamma = checkSoftDtwOptions(options);
  if (!Array.isArray(values)) {
    throw new TypeError(`softmin: values must be an array of numbers, got ${typeof values}`);
  }
  if (values.length === 0) throw new RangeError("softmin: values must be a non-empty array");
  let mn = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number") {
      throw new TypeError(`softmin: values[${i}] must be a number, got ${typeof v}`);
    }
    if (Number.isNaN(v) || v === -Infinity) {
      throw new RangeError(`softmin: values[${i}] is ${v}; it must be a number or +Infinity`);
    }
    if (v < mn) mn = v;
  }
  if (mn === Infinity) throw new RangeError("softmin: all values are +Infinity");
  let s = 0;
  for (const v of values) s += Math.exp((mn - v) / gamma);
  return mn - gamma * Math.log(s);
}

/** Result of {@linkcode softDtwForward64}. */
export interface SoftDtwForward {
  /** The soft-DTW value `D(M, N)`. */
  value: number;
  /**
   * The accumulated cost with its boundary: `(M+1) x (N+1)`, `D(0, 0) = 0`, `+∞` on the rest of
   * row 0 and column 0; `D(m, n)` for 1-based `(m, n)` at `data[m * (N + 1) + n]`.
   */
  D: Matrix64;
}

/** Result of the typed gradient entry points. */
export interface SoftDtwGrad64 {
  /** The soft-DTW value. */
  value: number;
  /** The gradient `H = ∂SDTW/∂C` (the expected alignment), `M x N`. */
  grad: Matrix64;
}

function overflowError(where: string, gamma: number): RangeError {
  return new RangeError(
    `soft-DTW: the accumulated cost overflowed to ±Infinity (${where}, γ = ${gamma}); the cost ` +
      `values (or γ, which lowers D by up to γ log 3 per step) are too large for float64`,
  );
}

/**
 * Soft-DTW forward pass on a typed cost matrix: the value and the full accumulated cost `D`.
 * Throws for non-finite costs, γ <= 0 or non-finite, or an overflowing accumulated cost.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { softDtwForward64 } from "./soft_dtw.ts";
 * const { value } = softDtwForward64({ data: new Float64Array([0, 1, 1, 0]), rows: 2, cols: 2 }, { gamma: 1 });
 * ```
 */
export function softDtwForward64(cost: Matrix64, options: SoftDtwOptions): SoftDtwForward {
  const gamma = checkSoftDtwOptions(options);
  checkMatrix64(cost, { name: "cost" });
  const M = cost.rows, N = cost.cols, W = N + 1;
  const C = cost.data;
  const D = new Float64Array((M + 1) * W).fill(Infinity);
  D[0] = 0;
  for (let m = 1; m <= M; m++) {
    for (let n = 1; n <= N; n++) {
      const r0 = D[(m - 1) * W + n - 1], r1 = D[(m - 1) * W + n], r2 = D[m * W + n - 1];
      const mn = r0 < r1 ? (r0 < r2 ? r0 : r2) : (r1 < r2 ? r1 : r2);
      const s = Math.exp((mn - r0) / gamma) + Math.exp((mn - r1) / gamma) +
        Math.exp((mn - r2) / gamma);
      D[m * W + n] = C[(m - 1) * N + n - 1] + mn - gamma * Math.log(s);
    }
  }
  const value = D[M * W + N];
  if (!Number.isFinite(value)) throw overflowError(`D(${M}, ${N}) = ${value}`, gamma);
  return { value, D: { data: D, rows: M + 1, cols: W } };
}

/**
 * Reusable scratch memory for the fast soft-DTW kernel: the softmin weights (3 per cell) and
 * three rows of `D`. Create one with {@linkcode createWorkspace} and pass it to
 * {@linkcode softDtwKernel} to avoid allocations in loops.
 */
export interface SoftDtwWorkspace {
  /** Softmin weights, `3 * cells`: diagonal, vertical, horizontal for each cell. */
  weights: Float64Array;
  /** Three rows of the accumulated cost (`3 * (cols + 1)`). */
  rows: Float64Array;
}

/**
 * Allocates a workspace for problems with at most `maxCells` cells and `maxCols` columns.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb (through the batched functions).
 *
 * @example
 * ```ts
 * import { createWorkspace } from "./soft_dtw.ts";
 * const ws = createWorkspace({ maxCells: 150 * 75, maxCols: 75 });
 * ```
 */
export function createWorkspace(options: { maxCells: number; maxCols: number }): SoftDtwWorkspace {
  const { maxCells, maxCols } = options;
  if (!Number.isInteger(maxCells) || maxCells < 1) {
    throw new RangeError(`maxCells must be a positive integer, got ${maxCells}`);
  }
  if (!Number.isInteger(maxCols) || maxCols < 1) {
    throw new RangeError(`maxCols must be a positive integer, got ${maxCols}`);
  }
  return { weights: new Float64Array(3 * maxCells), rows: new Float64Array(3 * (maxCols + 1)) };
}

/** Arguments of {@linkcode softDtwKernel}: an `rows x cols` block inside larger arrays. */
export interface SoftDtwKernelArgs extends SoftDtwOptions {
  /** Array holding the cost block. */
  cost: ArrayLike<number>;
  /** Index of cost entry (0, 0). */
  costOffset: number;
  /** Distance between consecutive rows of the cost block (>= cols). */
  costStride: number;
  /** Rows M of the block. */
  rows: number;
  /** Columns N of the block. */
  cols: number;
  /** Output array for the gradient `H`, or null for the value only. */
  grad: Float64Array | null;
  /** Index of gradient entry (0, 0). */
  gradOffset: number;
  /** Distance between consecutive rows of the gradient block (>= cols). */
  gradStride: number;
  /** Scratch memory, large enough for `rows * cols` cells and `cols` columns. */
  workspace: SoftDtwWorkspace;
}

/**
 * One forward cell: `D = c + min^γ(r0, r1, r2)` (diagonal, vertical, horizontal predecessor),
 * writing the normalized softmin weights `F^{1,1}, F^{1,0}, F^{0,1}` of the cell to
 * `Wt[w..w+2]`. The smallest predecessor's exponential is exp(0) = 1 and is not computed.
 */
function softminCell(
  Wt: Float64Array,
  w: number,
  r0: number,
  r1: number,
  r2: number,
  c: number,
  gamma: number,
  ig: number,
): number {
  let e0: number, e1: number, e2: number, mn: number;
  if (r0 <= r1 && r0 <= r2) {
    mn = r0;
    e0 = 1;
    e1 = Math.exp((mn - r1) * ig);
    e2 = Math.exp((mn - r2) * ig);
  } else if (r1 <= r2) {
    mn = r1;
    e1 = 1;
    e0 = Math.exp((mn - r0) * ig);
    e2 = Math.exp((mn - r2) * ig);
  } else {
    mn = r2;
    e2 = 1;
    e0 = Math.exp((mn - r0) * ig);
    e1 = Math.exp((mn - r1) * ig);
  }
  const s = e0 + e1 + e2;
  const is = 1 / s;
  Wt[w] = e0 * is;
  Wt[w + 1] = e1 * is;
  Wt[w + 2] = e2 * is;
  return c + mn - gamma * Math.log(s);
}

/**
 * The fast soft-DTW kernel: forward pass keeping the softmin weights `F^{p,q}`, then the
 * exponential-free backward pass for `E`, written into `grad` (if given) as
 * `H = ∂SDTW/∂C` (= `E` here, see the module doc). Returns the value. It checks γ
 * ({@linkcode checkGamma}, once per call) and the workspace size, but not the costs: the
 * caller makes sure the block holds finite numbers (the exported entry points
 * {@linkcode softDtwValueAndGrad64} and {@linkcode softDtwBatch64} do).
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb (through the batched functions).
 *
 * @example
 * ```ts
 * import { createWorkspace, softDtwKernel } from "./soft_dtw.ts";
 * const grad = new Float64Array(4);
 * const value = softDtwKernel({
 *   cost: [0, 1, 1, 0], costOffset: 0, costStride: 2, rows: 2, cols: 2, gamma: 1,
 *   grad, gradOffset: 0, gradStride: 2, workspace: createWorkspace({ maxCells: 4, maxCols: 2 }),
 * });
 * ```
 */
export function softDtwKernel(args: SoftDtwKernelArgs): number {
  const { cost: C, costOffset: co, costStride: cs, rows: M, cols: N, gamma } = args;
  checkGamma(gamma);
  // The gradient H is written in place; the backward pass computes E (= H, as G = 1).
  const { grad: E, gradOffset: go, gradStride: gs } = args;
  const Wt = args.workspace.weights;
  const R = args.workspace.rows;
  const W = N + 1;
  const ig = 1 / gamma;
  if (Wt.length < 3 * M * N || R.length < 3 * W) {
    throw new RangeError(
      `softDtwKernel: workspace too small for ${M} x ${N} (use createWorkspace({ maxCells, maxCols }))`,
    );
  }
  // The WebAssembly kernel (soft_dtw_wasm.ts) when available, unless `kernel: "ts"`.
  if (useWasmKernel(args.kernel, M * N, Math.max(M, N))) {
    const v = wasmSoftDtwKernel(args);
    if (v !== null) {
      if (!Number.isFinite(v)) throw overflowError(`D(${M}, ${N}) = ${v}`, gamma);
      return v;
    }
  }
  // Three row buffers of D with the boundary at index 0: p = D(m-1, .), a = D(m, .),
  // b = D(m+1, .). Rows are computed in pairs, row m+1 one column behind row m: the two
  // cells of an iteration are independent, so their exp/log chains overlap in the CPU (the
  // recursion along one row is otherwise latency bound).
  const a = W;
  let p = 0, b = 2 * W;
  R.fill(Infinity, 0, 3 * W);
  R[0] = 0;
  let m = 0;
  for (; m + 1 < M; m += 2) {
    R[a] = Infinity;
    R[b] = Infinity;
    const ca = co + m * cs, cb = ca + cs, wa = 3 * m * N, wb = wa + 3 * N;
    R[a + 1] = softminCell(Wt, wa, R[p], R[p + 1], R[a], C[ca], gamma, ig);
    for (let n = 1; n < N; n++) {
      R[a + n + 1] = softminCell(
        Wt,
        wa + 3 * n,
        R[p + n],
        R[p + n + 1],
        R[a + n],
        C[ca + n],
        gamma,
        ig,
      );
      R[b + n] = softminCell(
        Wt,
        wb + 3 * (n - 1),
        R[a + n - 1],
        R[a + n],
        R[b + n - 1],
        C[cb + n - 1],
        gamma,
        ig,
      );
    }
    R[b + N] = softminCell(
      Wt,
      wb + 3 * (N - 1),
      R[a + N - 1],
      R[a + N],
      R[b + N - 1],
      C[cb + N - 1],
      gamma,
      ig,
    );
    const t = p;
    p = b;
    b = t;
  }
  if (m < M) {
    R[a] = Infinity;
    const ca = co + m * cs, wa = 3 * m * N;
    for (let n = 0; n < N; n++) {
      R[a + n + 1] = softminCell(
        Wt,
        wa + 3 * n,
        R[p + n],
        R[p + n + 1],
        R[a + n],
        C[ca + n],
        gamma,
        ig,
      );
    }
    p = a;
  }
  const value = R[p + N];
  if (!Number.isFinite(value)) throw overflowError(`D(${M}, ${N}) = ${value}`, gamma);
  if (E === null) return value;
  // Backward pass (0-based): E(m, n) = F^{1,1}(m+1, n+1) E(m+1, n+1) + F^{1,0}(m+1, n) E(m+1, n)
  // + F^{0,1}(m, n+1) E(m, n+1). The weights F^{p,q} of cell (m, n) are at
  // 3 * (m * N + n) + {0: F^{1,1} (diagonal), 1: F^{1,0} (vertical), 2: F^{0,1} (horizontal)}.
  const last = go + (M - 1) * gs;
  E[last + N - 1] = 1;
  for (let n = N - 2; n >= 0; n--) {
    E[last + n] = E[last + n + 1] * Wt[3 * ((M - 1) * N + n + 1) + 2];
  }
  for (let m = M - 2; m >= 0; m--) {
    const g = go + m * gs, gd = g + gs;
    let wd = 3 * ((m + 1) * N + N - 1); // weights of (m+1, n+1) when n = N-2 ...
    let wr = 3 * (m * N + N - 1); // weights of (m, n+1) when n = N-2 ...
    E[g + N - 1] = E[gd + N - 1] * Wt[wd + 1];
    for (let n = N - 2; n >= 0; n--) {
      // (m+1, n+1) diagonal, (m+1, n) vertical, (m, n+1) horizontal.
      const below = wd - 3;
      E[g + n] = E[gd + n + 1] * Wt[wd] + E[gd + n] * Wt[below + 1] + E[g + n + 1] * Wt[wr + 2];
      wd = below;
      wr -= 3;
    }
  }
  return value;
}

/**
 * {@linkcode softDtwKernel} for the entry points that own their scratch memory: the TypeScript
 * workspace (24 bytes per cell) is allocated only when the TypeScript kernel runs, so that the
 * WebAssembly path stays at 40 bytes per cell in all (cost, gradient, and its own 24 bytes).
 */
function runKernel(
  args: Omit<SoftDtwKernelArgs, "workspace">,
  workspace: () => SoftDtwWorkspace,
): number {
  const { rows: M, cols: N, gamma } = args;
  if (useWasmKernel(args.kernel, M * N, Math.max(M, N))) {
    checkGamma(gamma);
    const v = wasmSoftDtwKernel(args);
    if (v !== null) {
      if (!Number.isFinite(v)) throw overflowError(`D(${M}, ${N}) = ${v}`, gamma);
      return v;
    }
  }
  return softDtwKernel({ ...args, workspace: workspace(), kernel: "ts" });
}

/**
 * Fast soft-DTW value and gradient `H = ∂SDTW/∂C` (the expected alignment) on a typed cost
 * matrix, returned as a typed matrix: no conversion on the way in or out (float64, 40 bytes per
 * cell including the input). Throws a `RangeError` for non-finite costs, an invalid γ, and when
 * the accumulated cost overflows; a `TypeError` when `cost` is not a {@linkcode Matrix64}.
 * Step weights and a band as in {@linkcode softDtwValueAndGrad}.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb.
 *
 * @example
 * ```ts
 * import { softDtwValueAndGrad64 } from "./soft_dtw.ts";
 * const C = { data: new Float64Array([0, 1, 1, 0]), rows: 2, cols: 2 };
 * const { value, grad } = softDtwValueAndGrad64(C, { gamma: 0.1 });
 * grad.data; // Float64Array, ≈ [1, 0, 0, 1]
 * ```
 */
export function softDtwValueAndGrad64(
  cost: Matrix64,
  options: WeightedSoftDtwOptions,
): SoftDtwGrad64 {
  const gamma = checkSoftDtwOptions(options);
  if (usesFamily(options)) {
    const r = weightedSoftDtw64(cost, options);
    return { value: r.value, grad: r.grad };
  }
  checkMatrix64(cost, { name: "cost" });
  return valueAndGrad64(cost, gamma, options.kernel);
}

/** {@linkcode softDtwValueAndGrad64} without validating the (already checked) cost. */
function valueAndGrad64(
  cost: Matrix64,
  gamma: number,
  kernel: SoftDtwKernelChoice | undefined,
): SoftDtwGrad64 {
  const M = cost.rows, N = cost.cols;
  const grad = new Float64Array(M * N);
  const value = runKernel({
    cost: cost.data,
    costOffset: 0,
    costStride: N,
    rows: M,
    cols: N,
    gamma,
    grad,
    gradOffset: 0,
    gradStride: N,
    kernel,
  }, () => createWorkspace({ maxCells: M * N, maxCols: N }));
  return { value, grad: { data: grad, rows: M, cols: N } };
}

/**
 * Soft-DTW value of a typed cost matrix (the fast kernel without the backward pass). Throws as
 * {@linkcode softDtwValueAndGrad64}.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb (through {@linkcode softDtw}).
 *
 * @example
 * ```ts
 * import { softDtw64 } from "./soft_dtw.ts";
 * softDtw64({ data: new Float64Array([0, 1, 1, 0]), rows: 2, cols: 2 }, { gamma: 1 }); // ≈ -0.551
 * ```
 */
export function softDtw64(cost: Matrix64, options: WeightedSoftDtwOptions): number {
  const gamma = checkSoftDtwOptions(options);
  if (usesFamily(options)) return weightedSoftDtwValue64(cost, options);
  checkMatrix64(cost, { name: "cost" });
  const M = cost.rows, N = cost.cols;
  return runKernel({
    cost: cost.data,
    costOffset: 0,
    costStride: N,
    rows: M,
    cols: N,
    gamma,
    grad: null,
    gradOffset: 0,
    gradStride: N,
    kernel: options.kernel,
  }, () => createWorkspace({ maxCells: M * N, maxCols: N }));
}

/**
 * Soft-DTW value of a cost matrix given as rows of numbers. Throws a `TypeError` for a ragged
 * or non-array cost matrix, a `RangeError` for an empty one, NaN or ±Infinity costs and an
 * invalid γ.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { softDtw } from "./soft_dtw.ts";
 * softDtw([[0, 1], [1, 0]], { gamma: 0.001 }); // ≈ 0 (the DTW value)
 * ```
 */
export function softDtw(cost: number[][], options: WeightedSoftDtwOptions): number {
  const gamma = checkSoftDtwOptions(options);
  if (!usesFamily(options)) {
    const r = rowsOnWasm(cost, "cost", gamma, options.kernel, false);
    if (r !== null) return r.value;
  }
  return softDtw64(toMatrix64(cost, { name: "cost" }), options);
}

/**
 * The `number[][]` entry points on the wasm kernel, one copy each way: the rows are validated
 * and copied straight into the kernel's input memory, and the gradient is read straight from
 * the kernel's memory into new rows (no intermediate Float64Array; memory = the kernel's 24
 * bytes per cell plus the caller's rows and the returned rows). Returns null when the wasm
 * kernel does not run for this problem (`kernel: "ts"`, not available, does not fit): the
 * caller then converts with {@linkcode toMatrix64} and runs the typed path as before.
 */
function rowsOnWasm(
  cost: number[][],
  name: string,
  gamma: number,
  kernel: SoftDtwKernelChoice | undefined,
  withGrad: boolean,
): { value: number; grad: number[][] | null } | null {
  const { rows: M, cols: N } = matrixShape(cost, { name });
  if (!useWasmKernel(kernel, M * N, Math.max(M, N))) return null;
  const r = wasmSoftDtwFilled({
    rows: M,
    cols: N,
    gamma,
    withGrad,
    fill: (heap, at) => copyRowsInto(cost, heap, at, { name }),
  });
  if (r === null) return null;
  if (!Number.isFinite(r.value)) throw overflowError(`D(${M}, ${N}) = ${r.value}`, gamma);
  return { value: r.value, grad: withGrad ? rowsFrom(r.heap, r.at, M, N) : null };
}

/**
 * Soft-DTW accumulated cost matrix `D` (rows of numbers, `M x N`, without the boundary row
 * and column) and the value `D(M, N)`. Throws as {@linkcode softDtw}.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { softDtwAccumulated } from "./soft_dtw.ts";
 * const { D, value } = softDtwAccumulated([[0, 1], [1, 0]], { gamma: 1 });
 * ```
 */
export function softDtwAccumulated(
  cost: number[][],
  options: SoftDtwOptions,
): { value: number; D: number[][] } {
  checkSoftDtwOptions(options);
  const f = softDtwForward64(toMatrix64(cost, { name: "cost" }), options);
  const rows = fromMatrix64(f.D);
  return { value: f.value, D: rows.slice(1).map((r) => r.slice(1)) };
}

/**
 * Soft-DTW value and gradient `H = ∂SDTW/∂C` (the expected alignment) of a cost matrix given
 * as rows of numbers; the convenience form of {@linkcode softDtwValueAndGrad64}, converting
 * with plain loops, validation fused into the copy. On the wasm kernel (the default) the rows
 * are copied straight into the kernel's memory and the gradient straight out of it into new
 * rows, one copy each way (about 1 ns per cell each, against the kernel's 10–15); on the
 * TypeScript kernel through a Float64Array (about 1–3 ns per cell against its ~45).
 * Throws a `TypeError` for a ragged or non-array cost matrix, a `RangeError` for an empty one,
 * NaN or ±Infinity costs and an invalid γ.
 *
 * With `stepWeights` (`[wRow, wCol, wDiag]`, each step multiplying the cost of the cell it
 * enters) or a `band` (Sakoe–Chiba radius around the line from the first to the last cell, or
 * explicit limits), it runs the generalized kernel of `weighted.ts` and returns
 * `grad = H = E ⊙ G`; it then also throws for negative or non-finite step weights and a bad
 * band. `[1, 1, 1]` without a band is plain soft-DTW.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb and notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { softDtwValueAndGrad } from "./soft_dtw.ts";
 * const { value, grad } = softDtwValueAndGrad([[0, 1], [1, 0]], { gamma: 1 });
 * // value = -log(1 + 2/e) ≈ -0.551, grad = [[1, 0.212], [0.212, 1]]
 * const banded = softDtwValueAndGrad([[0, 1, 2], [2, 1, 0]], {
 *   gamma: 1, stepWeights: [1, 1, 2], band: 0,
 * });
 * ```
 */
export function softDtwValueAndGrad(
  cost: number[][],
  options: WeightedSoftDtwOptions,
): { value: number; grad: number[][] } {
  const gamma = checkSoftDtwOptions(options);
  const family = usesFamily(options);
  if (!family) {
    const w = rowsOnWasm(cost, "cost", gamma, options.kernel, true);
    if (w !== null) return { value: w.value, grad: w.grad as number[][] };
  }
  // The TypeScript kernel (or the family's): toMatrix64 validates while it copies, so the
  // typed path need not check the costs again.
  const C = toMatrix64(cost, { name: "cost" });
  const r = family ? weightedSoftDtw64(C, options) : valueAndGrad64(C, gamma, options.kernel);
  return { value: r.value, grad: fromMatrix64(r.grad) };
}

/**
 * The straightforward baseline: forward pass storing only `D`, backward pass recomputing the
 * three softmin weights `F^{p,q}` from `D` and `C` with exponentials (Cuturi & Blondel's
 * Algorithm 2 as written). Same results as {@linkcode softDtwValueAndGrad64} up to rounding; kept as the
 * reference for `lib/align/soft_dtw_bench.ts` and as an independent implementation in the tests.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb.
 *
 * @example
 * ```ts
 * import { softDtwValueAndGradBaseline } from "./soft_dtw.ts";
 * const C = { data: new Float64Array([0, 1, 1, 0]), rows: 2, cols: 2 };
 * softDtwValueAndGradBaseline(C, { gamma: 1 }).value;
 * ```
 */
export function softDtwValueAndGradBaseline(
  cost: Matrix64,
  options: SoftDtwOptions,
): SoftDtwGrad64 {
  const { value, D } = softDtwForward64(cost, options);
  const gamma = options.gamma;
  const M = cost.rows, N = cost.cols, W = N + 1;
  const C = cost.data, Dd = D.data;
  // E = ∂D(M, N)/∂D(m, n), 1-based, with a zero boundary row/column at index M+1 / N+1
  // ((M+2) x (N+2)); the exponentials are the weights F^{p,q} of the successor cells.
  const EW = N + 2;
  const E = new Float64Array((M + 2) * EW);
  E[M * EW + N] = 1;
  const cAt = (m: number, n: number) => C[(m - 1) * N + n - 1];
  for (let m = M; m >= 1; m--) {
    for (let n = N; n >= 1; n--) {
      if (m === M && n === N) continue;
      const d = Dd[m * W + n];
      let e = 0;
      if (m < M) { // vertical successor (m+1, n)
        e += E[(m + 1) * EW + n] * Math.exp((Dd[(m + 1) * W + n] - cAt(m + 1, n) - d) / gamma);
      }
      if (n < N) { // horizontal successor (m, n+1)
        e += E[m * EW + n + 1] * Math.exp((Dd[m * W + n + 1] - cAt(m, n + 1) - d) / gamma);
      }
      if (m < M && n < N) { // diagonal successor (m+1, n+1)
        e += E[(m + 1) * EW + n + 1] *
          Math.exp((Dd[(m + 1) * W + n + 1] - cAt(m + 1, n + 1) - d) / gamma);
      }
      E[m * EW + n] = e;
    }
  }
  const grad = new Float64Array(M * N);
  for (let m = 1; m <= M; m++) {
    for (let n = 1; n <= N; n++) grad[(m - 1) * N + n - 1] = E[m * EW + n];
  }
  return { value, grad: { data: grad, rows: M, cols: N } };
}

/** Arguments of {@linkcode softDtwBatch64}. */
export interface SoftDtwBatchArgs extends SoftDtwOptions {
  /** Cost matrices `B x maxRows x maxCols`, row-major (pair b starts at `b * maxRows * maxCols`). */
  cost: ArrayLike<number>;
  /** Batch size B. */
  batch: number;
  /** Allocated rows per pair. */
  maxRows: number;
  /** Allocated columns per pair. */
  maxCols: number;
  /** Used rows M_b of each pair (default: all `maxRows`). */
  rowLengths?: readonly number[];
  /** Used columns N_b of each pair (default: all `maxCols`). */
  colLengths?: readonly number[];
  /** Whether to compute the gradients (default true). */
  withGrad?: boolean;
}

/** Result of {@linkcode softDtwBatch64}. */
export interface SoftDtwBatchResult {
  /** Soft-DTW value of each pair (length B). */
  values: Float64Array;
  /**
   * Gradients `B x maxRows x maxCols` (pair b's `H` in its top-left `M_b x N_b` block, zeros
   * elsewhere), or null when `withGrad` is false.
   */
  grads: Float64Array | null;
}

function checkLengths(
  lengths: readonly number[] | undefined,
  batch: number,
  max: number,
  name: string,
): number[] {
  if (lengths === undefined) return new Array(batch).fill(max);
  if (!Array.isArray(lengths) || lengths.length !== batch) {
    throw new TypeError(
      `${name} must have one length per pair (${batch}), got ${
        Array.isArray(lengths) ? lengths.length : typeof lengths
      }`,
    );
  }
  lengths.forEach((l, b) => {
    if (!Number.isInteger(l) || l < 1 || l > max) {
      throw new RangeError(`${name}[${b}] is ${l}; it must be an integer in [1, ${max}]`);
    }
  });
  return [...lengths];
}

/**
 * Batched soft-DTW over pairs of different lengths: pair b uses only the top-left
 * `rowLengths[b] x colLengths[b]` block of its cost matrix, so padding never enters a value
 * or a gradient. One workspace is shared by all pairs. Throws for bad shapes, bad lengths,
 * γ <= 0 and non-finite costs inside a used block (naming the pair and the cell).
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb (and by lib/align/soft_dtw_tf.ts).
 *
 * @example
 * ```ts
 * import { softDtwBatch64 } from "./soft_dtw.ts";
 * const r = softDtwBatch64({
 *   cost: new Float64Array([0, 1, 1, 0, 5, 0, 0, 0]), batch: 2, maxRows: 2, maxCols: 2,
 *   rowLengths: [2, 1], colLengths: [2, 2], gamma: 1,
 * });
 * ```
 */
export function softDtwBatch64(args: SoftDtwBatchArgs): SoftDtwBatchResult {
  if (args === null || typeof args !== "object") {
    throw new TypeError(
      "softDtwBatch64: arguments { cost, batch, maxRows, maxCols, gamma } required",
    );
  }
  const { cost, batch, maxRows, maxCols } = args;
  const gamma = checkSoftDtwOptions(args);
  for (const [k, v] of [["batch", batch], ["maxRows", maxRows], ["maxCols", maxCols]] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`${k} must be a positive integer, got ${v}`);
    }
  }
  if (cost === null || typeof cost !== "object" || typeof cost.length !== "number") {
    throw new TypeError("cost must be an array-like of numbers");
  }
  const block = maxRows * maxCols;
  if (cost.length !== batch * block) {
    throw new TypeError(
      `cost has length ${cost.length}, expected batch * maxRows * maxCols = ${batch * block}`,
    );
  }
  const rl = checkLengths(args.rowLengths, batch, maxRows, "rowLengths");
  const cl = checkLengths(args.colLengths, batch, maxCols, "colLengths");
  for (let b = 0; b < batch; b++) {
    for (let m = 0; m < rl[b]; m++) {
      const o = b * block + m * maxCols;
      for (let n = 0; n < cl[b]; n++) {
        const v = cost[o + n];
        if (typeof v !== "number" || !Number.isFinite(v)) {
          throw new RangeError(`cost of pair ${b} at [${m}][${n}] is ${v}; costs must be finite`);
        }
      }
    }
  }
  const withGrad = args.withGrad ?? true;
  if (useWasmKernel(args.kernel, batch * block, Math.max(maxRows, maxCols))) {
    const r = wasmSoftDtwBatch({
      cost,
      batch,
      maxRows,
      maxCols,
      rowLengths: rl,
      colLengths: cl,
      gamma,
      withGrad,
    });
    if (r !== null) {
      r.values.forEach((v, b) => {
        if (!Number.isFinite(v)) throw overflowError(`D(${rl[b]}, ${cl[b]}) = ${v}`, gamma);
      });
      return r;
    }
  }
  const grads = withGrad ? new Float64Array(batch * block) : null;
  const values = new Float64Array(batch);
  let workspace: SoftDtwWorkspace | null = null;
  for (let b = 0; b < batch; b++) {
    values[b] = runKernel({
      cost,
      costOffset: b * block,
      costStride: maxCols,
      rows: rl[b],
      cols: cl[b],
      gamma,
      grad: grads,
      gradOffset: b * block,
      gradStride: maxCols,
      kernel: args.kernel,
    }, () => workspace ??= createWorkspace({ maxCells: block, maxCols }));
  }
  return { values, grads };
}

/**
 * Batched soft-DTW on a list of cost matrices of any sizes (rows of numbers): the value and
 * gradient of each, exactly as {@linkcode softDtwValueAndGrad} one by one.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb.
 *
 * @example
 * ```ts
 * import { softDtwBatch } from "./soft_dtw.ts";
 * const out = softDtwBatch([[[0, 1]], [[1], [0], [2]]], { gamma: 1 }); // two pairs, two sizes
 * ```
 */
export function softDtwBatch(
  costs: number[][][],
  options: SoftDtwOptions,
): { value: number; grad: number[][] }[] {
  const gamma = checkSoftDtwOptions(options);
  if (!Array.isArray(costs)) {
    throw new TypeError(`costs must be an array of cost matrices, got ${typeof costs}`);
  }
  if (costs.length === 0) throw new RangeError("costs must be a non-empty array of cost matrices");
  // Shapes first (outer arrays and first rows); each pair's values are validated as it is
  // copied: straight into the wasm kernel's memory when that kernel runs (one copy each way,
  // as softDtwValueAndGrad), into a Float64Array for the TypeScript kernel otherwise.
  const shapes = costs.map((c, b) => matrixShape(c, { name: `costs[${b}]` }));
  let maxCells = 1, maxCols = 1;
  for (const c of shapes) {
    maxCells = Math.max(maxCells, c.rows * c.cols);
    maxCols = Math.max(maxCols, c.cols);
  }
  let workspace: SoftDtwWorkspace | null = null;
  return costs.map((cost, b) => {
    const name = `costs[${b}]`;
    const w = rowsOnWasm(cost, name, gamma, options.kernel, true);
    if (w !== null) return { value: w.value, grad: w.grad as number[][] };
    const c = toMatrix64(cost, { name });
    const grad = new Float64Array(c.rows * c.cols);
    const value = runKernel({
      cost: c.data,
      costOffset: 0,
      costStride: c.cols,
      rows: c.rows,
      cols: c.cols,
      gamma,
      grad,
      gradOffset: 0,
      gradStride: c.cols,
      kernel: "ts",
    }, () => workspace ??= createWorkspace({ maxCells, maxCols }));
    return { value, grad: fromMatrix64({ data: grad, rows: c.rows, cols: c.cols }) };
  });
}
