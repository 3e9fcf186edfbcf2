/**
 * Batched soft-DTW: pairs of different lengths packed into one array ({@linkcode softDtwBatch64},
 * one pair at a time, padding never enters a value or a gradient), and a list of cost
 * matrices of any sizes ({@linkcode softDtwBatch}). Same kernels and dispatch as `soft_dtw.ts`.
 *
 * @example
 * ```ts
 * import { softDtwBatch } from "./soft_dtw_batch.ts";
 * const out = softDtwBatch([[[0, 1]], [[1], [0], [2]]], { gamma: 1 }); // two pairs, two sizes
 * ```
 *
 * @module
 */
import { checkPackedCosts } from "./_checks.ts";
import { denseBlock, fromMatrix64, matrixShape, type PackedCosts, toMatrix64 } from "./cost.ts";
import { checkPlainSoftDtwOptions, type PlainSoftDtwOptions } from "./options.ts";
import { runSoftDtwPairs } from "./_batch_pairs.ts";
import {
  createWorkspace,
  rowsOnWasm,
  runKernel,
  type SoftDtwWorkspace,
} from "./_soft_dtw_kernel.ts";

/** Arguments of {@linkcode softDtwBatch64}. */
export type SoftDtwBatchArgs = PlainSoftDtwOptions & PackedCosts & {
  /** Whether to compute the gradients (default true). */
  withGrad?: boolean;
};

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

/**
 * Batched soft-DTW over pairs of different lengths: pair b uses only the top-left
 * `rowLengths[b] x colLengths[b]` block of its cost matrix, so padding never enters a value
 * or a gradient. The pairs run one after the other, each in a workspace of one pair (the
 * WebAssembly kernel's memory holds the largest pair, not the batch), and each gradient is
 * written straight into its place in `grads`. Throws for bad shapes, bad lengths,
 * γ <= 0 and non-finite costs inside a used block (naming the pair and the cell).
 *
 * @example
 * ```ts
 * import { softDtwBatch64 } from "./soft_dtw_batch.ts";
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
  const gamma = checkPlainSoftDtwOptions(args, "softDtwBatch64");
  const { block, rowLengths: rl, colLengths: cl } = checkPackedCosts(args);
  const grads = (args.withGrad ?? true) ? new Float64Array(batch * block) : null;
  const values = new Float64Array(batch);
  runSoftDtwPairs({
    cost,
    maxRows,
    maxCols,
    rowLengths: rl,
    colLengths: cl,
    gamma,
    kernel: args.kernel,
    from: 0,
    to: batch,
    values,
    grads,
  });
  return { values, grads };
}

/**
 * Batched soft-DTW on a list of cost matrices of any sizes (rows of numbers): the value and
 * gradient of each, exactly as {@linkcode softDtwValueAndGrad} one by one.
 *
 * @example
 * ```ts
 * import { softDtwBatch } from "./soft_dtw_batch.ts";
 * const out = softDtwBatch([[[0, 1]], [[1], [0], [2]]], { gamma: 1 }); // two pairs, two sizes
 * ```
 */
export function softDtwBatch(
  costs: number[][][],
  options: PlainSoftDtwOptions,
): { value: number; grad: number[][] }[] {
  const gamma = checkPlainSoftDtwOptions(options, "softDtwBatch");
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
    const value = runKernel(
      { ...denseBlock(c, grad), gamma, kernel: "ts" },
      () => workspace ??= createWorkspace({ maxCells, maxCols }),
    );
    return { value, grad: fromMatrix64({ data: grad, rows: c.rows, cols: c.cols }) };
  });
}
