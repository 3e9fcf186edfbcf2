/**
 * Batched soft-DTW on several cores: {@linkcode softDtwBatchParallel64} splits a packed batch
 * into contiguous ranges of pairs with about the same number of DP cells, four per Worker dealt
 * in turn (a Worker starts on its first range while the next ones are copied into shared
 * memory), and runs them on a persistent pool (`_batch_pool.ts`): the Workers are started by
 * the first batch that needs them, each instantiates the kernel module the main thread
 * compiled, and they stay for the next batches. The batch's cost and results lie in
 * SharedArrayBuffers that every Worker sees, so the results are written in place and only the
 * cost is copied, once, into shared memory (not at all when it already lies in a
 * SharedArrayBuffer). Each pair runs the same kernel alone as in `softDtwBatch64` (with step
 * weights: `weightedSoftDtwBatch64`), so the numbers are the same bit for bit.
 *
 * Where Workers or SharedArrayBuffer are not available (a browser page without cross-origin
 * isolation, a bundled page), for one worker or one pair, the batch runs on the calling thread.
 *
 * @example
 * ```ts
 * import { softDtwBatchParallel64 } from "./soft_dtw_parallel.ts";
 * const r = await softDtwBatchParallel64({
 *   cost: new Float64Array([0, 1, 1, 0, 5, 0, 0, 0]), batch: 2, maxRows: 2, maxCols: 2,
 *   rowLengths: [2, 1], colLengths: [2, 2], gamma: 1,
 * }, { idleTimeout: 0 });
 * ```
 *
 * @module
 */
import { checkFiniteBlocks, checkPackedShape } from "./_checks.ts";
import { checkPlainSoftDtwOptions, type StepWeights } from "./options.ts";
import { checkStepWeights, weightedSoftDtwBatch64 } from "./weighted.ts";
import {
  softDtwBatch64,
  type SoftDtwBatchArgs,
  type SoftDtwBatchResult,
} from "./soft_dtw_batch.ts";
import { batchPool, type PoolError, splitByCells } from "./_batch_pool.ts";
import { useWasmKernel } from "./_soft_dtw_wasm.ts";

/**
 * Arguments of {@linkcode softDtwBatchParallel64}: those of `softDtwBatch64`, and optionally
 * step weights (then the results are those of `weightedSoftDtwBatch64` without a band).
 */
export type ParallelBatchArgs = Omit<SoftDtwBatchArgs, "stepWeights"> & {
  /** Step weights `[wRow, wCol, wDiag]` (default: plain soft-DTW). */
  stepWeights?: StepWeights;
};

/** Options of {@linkcode softDtwBatchParallel64}. */
export interface ParallelOptions {
  /** Number of Workers (default 2; 1 runs on the calling thread). */
  workers?: number;
  /**
   * Milliseconds the pool's Workers stay after the last batch, for the next one (default
   * 1000); 0 ends them when this batch returns. In Deno an idle pool never keeps a finished
   * program alive, whatever this is.
   */
  idleTimeout?: number;
}

/** Ranges of pairs per Worker and batch (see `runOnPool`). */
const CHUNKS = 4;

function toError(e: PoolError): Error {
  const E = e.name === "RangeError" ? RangeError : e.name === "TypeError" ? TypeError : Error;
  return new E(e.message);
}

/**
 * `softDtwBatch64` (with `stepWeights`: `weightedSoftDtwBatch64` without a band) with the batch
 * split between `workers` Workers (default 2) of a persistent pool: the same values and
 * gradients bit for bit, and the same errors (sizes, lengths, γ and step weights are checked on
 * the calling thread first; each Worker checks the costs of its pairs before
 * running them, and a batch that fails returns nothing). The gradients lie in a
 * SharedArrayBuffer when the pool ran. A cost given in a SharedArrayBuffer is not copied.
 *
 * @example
 * ```ts
 * import { softDtwBatchParallel64 } from "./soft_dtw_parallel.ts";
 * const { values } = await softDtwBatchParallel64({
 *   cost: new Float64Array(4 * 3 * 3).map((_, i) => (i * 7) % 5),
 *   batch: 4, maxRows: 3, maxCols: 3, gamma: 0.5,
 * }, { workers: 2, idleTimeout: 0 });
 * ```
 */
export async function softDtwBatchParallel64(
  args: ParallelBatchArgs,
  options: ParallelOptions = {},
): Promise<SoftDtwBatchResult> {
  if (args === null || typeof args !== "object") {
    throw new TypeError(
      "softDtwBatchParallel64: arguments { cost, batch, maxRows, maxCols, gamma } required",
    );
  }
  const workers = options.workers ?? 2;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(
      `softDtwBatchParallel64: workers must be a positive integer, not ${workers}`,
    );
  }
  const idleTimeout = options.idleTimeout ?? 1000;
  if (typeof idleTimeout !== "number" || !(idleTimeout >= 0) || idleTimeout > 2 ** 31 - 1) {
    throw new RangeError(
      `softDtwBatchParallel64: idleTimeout must be a number of milliseconds from 0 to 2^31 - 1, not ${idleTimeout}`,
    );
  }
  const { stepWeights } = args;
  const gamma = checkPlainSoftDtwOptions(
    { ...args, stepWeights: undefined },
    "softDtwBatchParallel64",
  );
  if (stepWeights !== undefined) checkStepWeights(stepWeights);
  /** The batch on the calling thread. */
  const here = (): SoftDtwBatchResult => {
    if (stepWeights === undefined) return softDtwBatch64(args as SoftDtwBatchArgs);
    const { values, grads } = weightedSoftDtwBatch64({ ...args, stepWeights });
    return { values, grads };
  };
  const { batch } = args;
  const { rowLengths: rows, colLengths: cols } = checkPackedShape(args);
  // The pool runs where every pair takes the same kernel as on this thread: all WebAssembly
  // (the largest pair fits) or all TypeScript; else (a few pairs over the wasm memory limit)
  // the calling thread.
  let kernel: "auto" | "ts" | null = null;
  try {
    let cells = 0, side = 0;
    rows.forEach((r, b) => {
      cells = Math.max(cells, r * cols[b]);
      side = Math.max(side, r, cols[b]);
    });
    if (useWasmKernel(args.kernel, cells, side)) kernel = "auto";
    else if (!useWasmKernel(args.kernel, 1, 1)) kernel = "ts";
  } catch {
    kernel = null;
  }
  const parts = Math.min(workers, batch);
  if (parts < 2 || kernel === null) return here();
  const pool = await batchPool.acquire(parts, kernel === "auto");
  try {
    if (pool === null) return here();
    return await runOnPool(pool, { ...args, gamma }, rows, cols, kernel);
  } finally {
    batchPool.release(idleTimeout);
  }
}

async function runOnPool(
  pool: NonNullable<Awaited<ReturnType<typeof batchPool.acquire>>>,
  args: ParallelBatchArgs,
  rowLengths: number[],
  colLengths: number[],
  kernel: "auto" | "ts",
): Promise<SoftDtwBatchResult> {
  const { batch, maxRows, maxCols, gamma } = args;
  const block = maxRows * maxCols;
  // CHUNKS ranges per Worker, dealt in turn: a Worker starts on its first range once that is
  // copied into shared memory, while the next ranges are copied
  const bounds = splitByCells(rowLengths, colLengths, pool.length * CHUNKS);
  const src = args.cost;
  // entries that are not numbers would become NaN in the shared Float64Array: refuse them here,
  // naming them as softDtwBatch64 does
  if (!(src instanceof Float64Array)) {
    checkFiniteBlocks(src, {
      name: "cost",
      block,
      stride: maxCols,
      rows: rowLengths,
      cols: colLengths,
    });
  }
  const given = src instanceof Float64Array && src.buffer instanceof SharedArrayBuffer;
  const cost = given ? src : batchPool.scratch(batch * block);
  const values = new Float64Array(new SharedArrayBuffer(8 * batch));
  const grads = (args.withGrad ?? true)
    ? new Float64Array(new SharedArrayBuffer(8 * batch * block))
    : null;
  try {
    const done = bounds.slice(1).map((to, k) => {
      const from = bounds[k], w = pool[k % pool.length];
      if (from === to) return Promise.resolve(undefined);
      if (!given) {
        if (src instanceof Float64Array) {
          cost.set(src.subarray(from * block, to * block), from * block);
        } else {
          for (let i = from * block; i < to * block; i++) cost[i] = src[i];
        }
      }
      return w.run({
        cost,
        maxRows,
        maxCols,
        rowLengths,
        colLengths,
        gamma,
        kernel,
        stepWeights: args.stepWeights,
        from,
        to,
        values,
        grads,
      });
    });
    const errors = await Promise.all(done);
    // the error softDtwBatch64 would throw: the first refused cost, else the first overflow
    // (the ranges are in the order of the pairs)
    const first = errors.find((e) => e?.input) ?? errors.find((e) => e !== undefined);
    if (first !== undefined) throw toError(first);
    return { values: values.slice(), grads };
  } finally {
    if (!given) batchPool.releaseScratch(cost);
  }
}
