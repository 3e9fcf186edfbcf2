/**
 * The TypeScript soft-DTW kernel (Cuturi & Blondel 2017) in the report's notation: the readable
 * reference that notebooks/02_gradient_expected_alignment.ipynb describes, and the fallback when
 * the WebAssembly kernel (`_soft_dtw_wasm.ts`) does not run. The public entry points on cost
 * matrices are in `soft_dtw.ts`, the batched ones in `soft_dtw_batch.ts`, the straightforward
 * baseline in `soft_dtw_baseline.ts`.
 *
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
 *
 * The forward pass is specialized on purpose for speed (two rows at a time, each cell through
 * {@linkcode softminCell}, which `weighted.ts` shares for equal step weights).
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { createWorkspace, softDtwKernel } from "./_soft_dtw_kernel.ts";
 * const grad = new Float64Array(4);
 * const value = softDtwKernel({
 *   cost: [0, 1, 1, 0], costOffset: 0, costStride: 2, rows: 2, cols: 2, gamma: 1, kernel: "ts",
 *   grad, gradOffset: 0, gradStride: 2, workspace: createWorkspace({ maxCells: 4, maxCols: 2 }),
 * });
 * // value = -log(1 + 2/e) ≈ -0.551, grad = [1, 0.212, 0.212, 1]
 * ```
 *
 * @module
 */
import { checkPositiveIntegers } from "./_checks.ts";
import { copyRowsInto, type KernelBlock, type Matrix64, matrixShape, rowsFrom } from "./cost.ts";
import {
  checkGamma,
  checkSoftDtwOptions,
  type SoftDtwKernelChoice,
  type SoftDtwOptions,
} from "./options.ts";
import { useWasmKernel, wasmSoftDtwFilled, wasmSoftDtwKernel } from "./_soft_dtw_wasm.ts";

/**
 * The soft minimum `min^γ(a_1, ..., a_n) = -γ log Σ exp(-a_i / γ)`, computed stably by
 * subtracting the minimum first. It lies in `[min - γ log n, min]` and tends to the minimum
 * as `γ → 0`. `+∞` entries are allowed (they contribute nothing) as long as one is finite.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { softmin } from "./_soft_dtw_kernel.ts";
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

/** Result of the typed gradient entry points. */
export interface SoftDtwGrad64 {
  /** The soft-DTW value. */
  value: number;
  /** The gradient `H = ∂SDTW/∂C` (the expected alignment), `M x N`. */
  grad: Matrix64;
}

/**
 * The error of an accumulated cost that overflowed to ±Infinity (`where` names the cell and its
 * value; `what` the inputs to blame, default `"cost values"`). Shared by the soft-DTW entry
 * points and the step-weighted kernel, whichever kernel ran.
 *
 * @example
 * ```ts
 * import { overflowError } from "./_soft_dtw_kernel.ts";
 * overflowError("D(2, 2) = Infinity", 1).message; // "soft-DTW: the accumulated cost overflowed ..."
 * ```
 */
export function overflowError(where: string, gamma: number, what = "cost values"): RangeError {
  return new RangeError(
    `soft-DTW: the accumulated cost overflowed to ±Infinity (${where}, γ = ${gamma}); the ` +
      `${what} (or γ, which lowers D by up to γ log 3 per step) are too large for float64`,
  );
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
 * @example
 * ```ts
 * import { createWorkspace } from "./_soft_dtw_kernel.ts";
 * const ws = createWorkspace({ maxCells: 150 * 75, maxCols: 75 });
 * ```
 */
export function createWorkspace(options: { maxCells: number; maxCols: number }): SoftDtwWorkspace {
  const { maxCells, maxCols } = options;
  checkPositiveIntegers({ maxCells, maxCols });
  return { weights: new Float64Array(3 * maxCells), rows: new Float64Array(3 * (maxCols + 1)) };
}

/** Arguments of {@linkcode softDtwKernel}: an `rows x cols` block inside larger arrays. */
export interface SoftDtwKernelArgs extends SoftDtwOptions, KernelBlock {
  /** Scratch memory, large enough for `rows * cols` cells and `cols` columns. */
  workspace: SoftDtwWorkspace;
}

/**
 * One forward cell: `D = c + min^γ(r0, r1, r2)` (diagonal, vertical, horizontal predecessor),
 * writing the normalized softmin weights `F^{1,1}, F^{1,0}, F^{0,1}` of the cell to
 * `Wt[w..w+2]`. The smallest predecessor's exponential is exp(0) = 1 and is not computed.
 * Also the equal-weights cell of `weighted.ts` (with `c = w·C`), so both kernels round alike.
 *
 * @example
 * ```ts
 * import { softminCell } from "./_soft_dtw_kernel.ts";
 * const Wt = new Float64Array(3);
 * softminCell(Wt, 0, 0, Infinity, Infinity, 2, 1, 1); // 2 (only the diagonal predecessor); Wt = [1, 0, 0]
 * ```
 */
export function softminCell(
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
 * @example
 * ```ts
 * import { createWorkspace, softDtwKernel } from "./_soft_dtw_kernel.ts";
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
  // The WebAssembly kernel (_soft_dtw_wasm.ts) when available, unless `kernel: "ts"`.
  const onWasm = wasmValue(args);
  if (onWasm !== null) return onWasm;
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
 *
 * @example
 * ```ts
 * import { createWorkspace, runKernel } from "./_soft_dtw_kernel.ts";
 * const value = runKernel({
 *   cost: [0, 1, 1, 0], costOffset: 0, costStride: 2, rows: 2, cols: 2, gamma: 1,
 *   grad: null, gradOffset: 0, gradStride: 2,
 * }, () => createWorkspace({ maxCells: 4, maxCols: 2 }));
 * ```
 */
export function runKernel(
  args: Omit<SoftDtwKernelArgs, "workspace">,
  workspace: () => SoftDtwWorkspace,
): number {
  checkGamma(args.gamma);
  const v = wasmValue(args);
  if (v !== null) return v;
  return softDtwKernel({ ...args, workspace: workspace(), kernel: "ts" });
}

/**
 * The value (gradient written) from the WebAssembly kernel when it runs for this block, else
 * null; an overflowing value throws {@linkcode overflowError}.
 */
function wasmValue(args: Omit<SoftDtwKernelArgs, "workspace">): number | null {
  const { rows: M, cols: N } = args;
  if (!useWasmKernel(args.kernel, M * N, Math.max(M, N))) return null;
  const v = wasmSoftDtwKernel(args);
  if (v !== null && !Number.isFinite(v)) throw overflowError(`D(${M}, ${N}) = ${v}`, args.gamma);
  return v;
}

/**
 * The `number[][]` entry points on the wasm kernel, one copy each way: the rows are validated
 * and copied straight into the kernel's input memory, and the gradient is read straight from
 * the kernel's memory into new rows (no intermediate Float64Array; memory = the kernel's 24
 * bytes per cell plus the caller's rows and the returned rows). Returns null when the wasm
 * kernel does not run for this problem (`kernel: "ts"`, not available, does not fit): the
 * caller then converts with {@linkcode toMatrix64} and runs the typed path as before. Used by
 * `softDtw`, `softDtwValueAndGrad` (`soft_dtw.ts`) and `softDtwBatch` (`soft_dtw_batch.ts`).
 *
 * @example
 * ```ts
 * import { rowsOnWasm } from "./_soft_dtw_kernel.ts";
 * const r = rowsOnWasm([[0, 1], [1, 0]], "cost", 1, "auto", true); // null on the TypeScript kernel
 * ```
 */
export function rowsOnWasm(
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
