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
 * The kernel (forward and backward passes, workspace) is in `_weighted_kernel.ts`; this module
 * holds the step weights, the options and the entry points (`workspace.ts` runs the kernel in
 * reusable memory).
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
  type Matrix64,
  type PackedCosts,
  toMatrix64,
} from "./cost.ts";
import { checkPackedCosts } from "./_checks.ts";
import {
  checkGamma,
  type SoftDtwKernelChoice,
  type SoftDtwOptions,
  type StepWeights,
} from "./options.ts";
import { bandArea, type BandLimits, checkBandLimits, sakoeChibaBand } from "./band.ts";
import { createWeightedWorkspace, weightedSoftDtwKernel } from "./_weighted_kernel.ts";

/** The plain soft-DTW step weights. */
export const PLAIN_STEP_WEIGHTS: StepWeights = [1, 1, 1];

/**
 * Whether step weights are the plain `[1, 1, 1]`.
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
    if (typeof v !== "number") {
      throw new TypeError(
        `stepWeights[${k}] (${names[k]}) must be a number, got ${
          typeof v === "string" ? `the string "${v}"` : typeof v
        }`,
      );
    }
    if (!Number.isFinite(v) || v < 0) {
      throw new RangeError(
        `stepWeights[${k}] (${names[k]}) is ${v}; step weights must be finite and non-negative`,
      );
    }
  });
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
