/**
 * The pairs of a packed soft-DTW batch run one at a time ({@linkcode runSoftDtwPairs}): each
 * pair's block goes through the kernel of `_soft_dtw_kernel.ts` (the WebAssembly kernel when it
 * runs, in a workspace the size of one pair, else the TypeScript kernel), or with step weights
 * the kernel of `_weighted_kernel.ts`, and its gradient is written straight into the output at
 * the pair's place. `softDtwBatch64` runs every pair on the
 * calling thread; each Worker of `softDtwBatchParallel64` runs a range of pairs of the same
 * batch, so both give the same numbers bit for bit.
 *
 * @example
 * ```ts
 * import { runSoftDtwPairs } from "./_batch_pairs.ts";
 * const values = new Float64Array(2), grads = new Float64Array(8);
 * runSoftDtwPairs({
 *   cost: new Float64Array([0, 1, 1, 0, 5, 0, 0, 0]), maxRows: 2, maxCols: 2,
 *   rowLengths: [2, 1], colLengths: [2, 2], gamma: 1, from: 0, to: 2, values, grads,
 * });
 * ```
 *
 * @module
 */
import type { SoftDtwKernelChoice, StepWeights } from "./options.ts";
import { createWorkspace, runKernel, type SoftDtwWorkspace } from "./_soft_dtw_kernel.ts";
import {
  createWeightedWorkspace,
  weightedSoftDtwKernel,
  type WeightedWorkspace,
} from "./_weighted_kernel.ts";

/** A range of pairs of a checked packed batch and where their results go. */
export interface PairRange {
  /** Cost matrices `B x maxRows x maxCols`, row-major (finite inside each used block). */
  cost: ArrayLike<number>;
  /** Allocated rows per pair. */
  maxRows: number;
  /** Allocated columns per pair. */
  maxCols: number;
  /** Used rows of each pair (all B pairs). */
  rowLengths: ArrayLike<number>;
  /** Used columns of each pair. */
  colLengths: ArrayLike<number>;
  /** Temperature γ (checked). */
  gamma: number;
  /** The kernel choice of the options. */
  kernel?: SoftDtwKernelChoice;
  /**
   * Step weights `[wRow, wCol, wDiag]` (checked): each pair runs the step-weighted kernel of
   * `weightedSoftDtwBatch64` without a band, and `grads` receives `E ⊙ G`. Plain soft-DTW when
   * not given.
   */
  stepWeights?: StepWeights;
  /** First pair. */
  from: number;
  /** One past the last pair. */
  to: number;
  /** Values of all B pairs: entries `from` to `to - 1` are written. */
  values: Float64Array;
  /**
   * Gradients `B x maxRows x maxCols`, zero where they are not written (only the used block of
   * each pair of the range is), or null for values only.
   */
  grads: Float64Array | null;
}

/**
 * Runs soft-DTW on pairs `from` to `to - 1` of a packed batch, writing their values and the used
 * blocks of their gradients in place. Throws the kernels' overflow error (a `RangeError`) at
 * the first pair whose value overflows.
 *
 * @example
 * ```ts
 * import { runSoftDtwPairs } from "./_batch_pairs.ts";
 * const values = new Float64Array(1);
 * runSoftDtwPairs({
 *   cost: [0, 1, 1, 0], maxRows: 2, maxCols: 2, rowLengths: [2], colLengths: [2], gamma: 1,
 *   from: 0, to: 1, values, grads: null,
 * }); // values[0] is the soft-DTW value of the 2 × 2 cost
 * ```
 */
export function runSoftDtwPairs(range: PairRange): void {
  const { cost, maxRows, maxCols, rowLengths, colLengths, gamma, values, grads } = range;
  const block = maxRows * maxCols;
  const stepWeights = range.stepWeights;
  let workspace: SoftDtwWorkspace | null = null;
  let weighted: WeightedWorkspace | null = null;
  for (let b = range.from; b < range.to; b++) {
    const pair = {
      cost,
      costOffset: b * block,
      costStride: maxCols,
      rows: rowLengths[b],
      cols: colLengths[b],
      gamma,
      grad: grads,
      gradOffset: b * block,
      gradStride: maxCols,
      kernel: range.kernel,
    };
    values[b] = stepWeights === undefined
      ? runKernel(pair, () => workspace ??= createWorkspace({ maxCells: block, maxCols }))
      : weightedSoftDtwKernel({
        ...pair,
        stepWeights,
        band: null,
        occupancy: null,
        workspace: weighted ??= createWeightedWorkspace({ maxCells: block, maxRows, maxCols }),
      });
  }
}
