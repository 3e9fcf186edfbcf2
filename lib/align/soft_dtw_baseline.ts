/**
 * The straightforward soft-DTW, written as the recursions read: the forward pass keeping the
 * whole accumulated cost `D` ({@linkcode softDtwForward64}) and Cuturi & Blondel's Algorithm 2 as
 * written ({@linkcode softDtwValueAndGradBaseline}: the backward pass recomputes the softmin
 * weights from `D` with exponentials). An independent implementation for the tests and the
 * baseline of `lib/align/soft_dtw_bench.ts`; the fast kernel is in `_soft_dtw_kernel.ts`
 * (notation there).
 *
 * @example
 * ```ts
 * import { softDtwForward64 } from "./soft_dtw_baseline.ts";
 * const C = { data: new Float64Array([0, 1, 1, 0]), rows: 2, cols: 2 };
 * const { value, D } = softDtwForward64(C, { gamma: 1 }); // value ≈ -0.551, D is 3 x 3
 * ```
 *
 * @module
 */
import { checkMatrix64, type Matrix64 } from "./cost.ts";
import { checkSoftDtwOptions, type SoftDtwOptions } from "./options.ts";
import { overflowError, type SoftDtwGrad64 } from "./_soft_dtw_kernel.ts";

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

/**
 * Soft-DTW forward pass on a typed cost matrix: the value and the full accumulated cost `D`.
 * Throws for non-finite costs, γ <= 0 or non-finite, or an overflowing accumulated cost.
 *
 * @example
 * ```ts
 * import { softDtwForward64 } from "./soft_dtw_baseline.ts";
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
 * The straightforward baseline: forward pass storing only `D`, backward pass recomputing the
 * three softmin weights `F^{p,q}` from `D` and `C` with exponentials (Cuturi & Blondel's
 * Algorithm 2 as written). Same results as {@linkcode softDtwValueAndGrad64} up to rounding; kept as the
 * reference for `lib/align/soft_dtw_bench.ts` and as an independent implementation in the tests.
 *
 * @example
 * ```ts
 * import { softDtwValueAndGradBaseline } from "./soft_dtw_baseline.ts";
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
