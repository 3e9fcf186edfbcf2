/**
 * Soft dynamic time warping (soft-DTW, Cuturi & Blondel 2017) in the report's notation: the
 * public entry points on cost matrices (`number[][]` and typed), and which kernel runs. It is
 * built from `_soft_dtw_kernel.ts` (the TypeScript kernel, `softmin`, workspaces);
 * `soft_dtw_baseline.ts` holds the forward pass with the full `D` and the straightforward
 * baseline, `soft_dtw_batch.ts` batched pairs, and `workspace.ts` the public way to run the
 * kernels in reusable memory. Summary of the definitions (detail in `_soft_dtw_kernel.ts`):
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
 * of `_soft_dtw_wasm.ts` (same results up to a few ulp, about four times faster: strips on
 * anti-diagonals, the forward pass on `exp(-D/γ)` with one exponential per cell) whenever
 * WebAssembly is available and the problem fits in wasm32 memory; the TypeScript kernel of
 * `_soft_dtw_kernel.ts` otherwise, or with `kernel: "ts"`. The TypeScript kernel is the readable reference.
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
import { checkMatrix64, denseBlock, fromMatrix64, type Matrix64, toMatrix64 } from "./cost.ts";
import {
  checkPlainSoftDtwOptions,
  checkSoftDtwOptions,
  type PlainSoftDtwOptions,
  type SoftDtwKernelChoice,
} from "./options.ts";
import {
  isPlainStepWeights,
  weightedSoftDtw64,
  type WeightedSoftDtwOptions,
  weightedSoftDtwValue64,
} from "./weighted.ts";
import { createWorkspace, rowsOnWasm, runKernel, type SoftDtwGrad64 } from "./_soft_dtw_kernel.ts";
import { softDtwForward64 } from "./soft_dtw_baseline.ts";

/** Whether options ask for step weights other than [1, 1, 1] or a band (the family kernel). */
function usesFamily(options: WeightedSoftDtwOptions): boolean {
  return options.band !== undefined ||
    (options.stepWeights !== undefined && !isPlainStepWeights(options.stepWeights));
}

/**
 * Fast soft-DTW value and gradient `H = ∂SDTW/∂C` (the expected alignment) on a typed cost
 * matrix, returned as a typed matrix: no conversion on the way in or out (float64, 40 bytes per
 * cell including the input). Throws a `RangeError` for non-finite costs, an invalid γ, and when
 * the accumulated cost overflows; a `TypeError` when `cost` is not a {@linkcode Matrix64}.
 * Step weights and a band as in {@linkcode softDtwValueAndGrad}.
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
  const value = runKernel(
    { ...denseBlock(cost, grad), gamma, kernel },
    () => createWorkspace({ maxCells: M * N, maxCols: N }),
  );
  return { value, grad: { data: grad, rows: M, cols: N } };
}

/**
 * Soft-DTW value of a typed cost matrix (the fast kernel without the backward pass). Throws as
 * {@linkcode softDtwValueAndGrad64}.
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
  return runKernel(
    { ...denseBlock(cost, null), gamma, kernel: options.kernel },
    () => createWorkspace({ maxCells: M * N, maxCols: N }),
  );
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
  options: PlainSoftDtwOptions,
): { value: number; D: number[][] } {
  checkPlainSoftDtwOptions(options, "softDtwAccumulated");
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
