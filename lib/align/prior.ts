/**
 * An additive diagonal prior for soft-DTW (Zeitler, Deniffel, Krause, Müller, ISMIR 2023):
 * `C' = C + w · (1 − P)`, `w >= 0`, which makes alignments far from the diagonal more expensive
 * early in training (and can be faded out with `schedule.ts`).
 *
 * For `M` prediction frames (rows) and `N` target elements (columns), target element `n`'s share
 * of the diagonal is the frame interval `[n·M/N, (n+1)·M/N)` (frame `m` covers `[m, m+1)`).
 * `P(m, n) = 1` when frame `m`'s centre `m + ½` lies in that share, and otherwise falls off as a
 * Gaussian of the distance `d` (in frames) from the centre to the share:
 * `P(m, n) = exp(−d² / (2σ²))`. The default `σ` is one share, `max(1, M/N)` frames.
 *
 * The prior is a constant added to the cost, so the gradient with respect to `C` is unchanged
 * (`∂SDTW(C')/∂C = ∂SDTW/∂C'`).
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { addDiagonalPrior, diagonalPrior } from "./prior.ts";
 * const P = diagonalPrior(6, 3); // 1 on each target element's two frames
 * const C2 = addDiagonalPrior([[0, 1], [1, 0]], { weight: 0.5 });
 * ```
 *
 * @module
 */
import { checkPositiveIntegers } from "./_checks.ts";
import { checkMatrix } from "./cost.ts";

/** Options of {@linkcode diagonalPrior}. */
export interface DiagonalPriorOptions {
  /** Width σ (in frames, > 0) of the Gaussian fall-off outside the share (default `max(1, M/N)`). */
  sigma?: number;
}

/** Options of {@linkcode addDiagonalPrior}. */
export interface AddPriorOptions extends DiagonalPriorOptions {
  /** Weight `w >= 0` of the prior. */
  weight: number;
}

/**
 * Checks a prior weight: finite and non-negative; throws a `RangeError` naming it otherwise.
 *
 * @example
 * ```ts
 * import { checkPriorWeight } from "./prior.ts";
 * checkPriorWeight(0.5); // ok
 * ```
 */
export function checkPriorWeight(weight: number): void {
  if (typeof weight !== "number" || !Number.isFinite(weight) || weight < 0) {
    throw new RangeError(`prior weight must be a finite non-negative number, got ${weight}`);
  }
}

/**
 * Writes the prior `P` (`rows x cols`, row-major) into `out` from `offset` with row stride
 * `stride` (for batched cost tensors). Validates its arguments.
 *
 * @example
 * ```ts
 * import { diagonalPriorInto } from "./prior.ts";
 * const out = new Float64Array(4 * 2);
 * diagonalPriorInto(out, { offset: 0, stride: 2, rows: 4, cols: 2 });
 * ```
 */
export function diagonalPriorInto(
  out: Float64Array,
  layout: { offset: number; stride: number; rows: number; cols: number },
  options: DiagonalPriorOptions = {},
): void {
  const { offset, stride, rows: M, cols: N } = layout;
  checkPositiveIntegers({ rows: M, cols: N }, { where: "diagonalPrior" });
  if (offset + (M - 1) * stride + N > out.length || stride < N) {
    throw new RangeError("diagonalPrior: the output array is too small for the layout");
  }
  const sigma = options.sigma ?? Math.max(1, M / N);
  if (typeof sigma !== "number" || !Number.isFinite(sigma) || !(sigma > 0)) {
    throw new RangeError(`diagonalPrior: sigma must be a positive finite number, got ${sigma}`);
  }
  const share = M / N, inv = 1 / (2 * sigma * sigma);
  for (let m = 0; m < M; m++) {
    const c = m + 0.5;
    for (let n = 0; n < N; n++) {
      const a = n * share, b = (n + 1) * share;
      const d = c < a ? a - c : c >= b ? c - b : 0;
      out[offset + m * stride + n] = d === 0 ? 1 : Math.exp(-d * d * inv);
    }
  }
}

/**
 * The diagonal prior `P` (`rows x cols`): 1 on each target element's share of the diagonal,
 * a Gaussian of the distance outside it.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { diagonalPrior } from "./prior.ts";
 * diagonalPrior(4, 2); // rows 0-1 belong to column 0, rows 2-3 to column 1
 * ```
 */
export function diagonalPrior(
  rows: number,
  cols: number,
  options: DiagonalPriorOptions = {},
): number[][] {
  const out = new Float64Array(Math.max(0, rows * cols));
  diagonalPriorInto(out, { offset: 0, stride: cols, rows, cols }, options);
  return Array.from({ length: rows }, (_, m) => Array.from(out.subarray(m * cols, (m + 1) * cols)));
}

/**
 * The cost with the additive prior, `C' = C + w · (1 − P)`. Throws for an invalid cost matrix,
 * a negative or non-finite weight, or a bad σ.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { addDiagonalPrior } from "./prior.ts";
 * addDiagonalPrior([[0, 0], [0, 0]], { weight: 1 }); // [[0, 1 - P], [1 - P, 0]]
 * ```
 */
export function addDiagonalPrior(cost: number[][], options: AddPriorOptions): number[][] {
  const { rows, cols } = checkMatrix(cost, { name: "cost" });
  if (options === null || typeof options !== "object") {
    throw new TypeError("addDiagonalPrior: options { weight, sigma? } required");
  }
  checkPriorWeight(options.weight);
  const P = diagonalPrior(rows, cols, options);
  return cost.map((row, m) => row.map((v, n) => v + options.weight * (1 - P[m][n])));
}
