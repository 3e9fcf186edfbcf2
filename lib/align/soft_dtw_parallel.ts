/**
 * Batched soft-DTW on several cores: {@linkcode softDtwBatchParallel64} splits a packed batch
 * into contiguous chunks of pairs, runs `softDtwBatch64` on each in its own Worker (each with its
 * own instance of the WebAssembly kernel) and joins the results: the same numbers, bit for bit,
 * as `softDtwBatch64` on the whole batch (every pair runs the same kernel alone). Where Workers
 * are not available (or cannot be started, e.g. a bundled page), or for a single worker or a
 * single pair, it runs `softDtwBatch64` on the calling thread.
 *
 * @example
 * ```ts
 * import { softDtwBatchParallel64 } from "./soft_dtw_parallel.ts";
 * const r = await softDtwBatchParallel64({
 *   cost: new Float64Array([0, 1, 1, 0, 5, 0, 0, 0]), batch: 2, maxRows: 2, maxCols: 2,
 *   rowLengths: [2, 1], colLengths: [2, 2], gamma: 1,
 * });
 * ```
 *
 * @module
 */
import { checkPackedCosts } from "./_checks.ts";
import { checkPlainSoftDtwOptions } from "./options.ts";
import {
  softDtwBatch64,
  type SoftDtwBatchArgs,
  type SoftDtwBatchResult,
} from "./soft_dtw_batch.ts";

/** Options of {@linkcode softDtwBatchParallel64}. */
export interface ParallelOptions {
  /** Number of Workers (default 2; 1 runs on the calling thread). */
  workers?: number;
}

function startWorker(): Worker | null {
  try {
    if (typeof Worker !== "function") return null;
    return new Worker(new URL("./_batch_worker.ts", import.meta.url), { type: "module" });
  } catch {
    return null;
  }
}

function runChunk(w: Worker, args: SoftDtwBatchArgs): Promise<SoftDtwBatchResult> {
  return new Promise((resolve, reject) => {
    w.onmessage = (e) => {
      const d = e.data;
      if (d.error !== undefined) {
        reject(d.name === "RangeError" ? new RangeError(d.error) : new Error(d.error));
      } else resolve(d as SoftDtwBatchResult);
    };
    w.onerror = (e) => {
      e.preventDefault();
      reject(new Error(`softDtwBatchParallel64: a worker failed: ${e.message}`));
    };
    w.postMessage(args, [(args.cost as Float64Array).buffer as ArrayBuffer]);
  });
}

/**
 * `softDtwBatch64` with the batch split between `workers` Workers (default 2): the same values
 * and gradients bit for bit. The arguments are checked on the calling thread first (the same
 * errors as `softDtwBatch64`); the Workers are started for the call and ended after it.
 *
 * @example
 * ```ts
 * import { softDtwBatchParallel64 } from "./soft_dtw_parallel.ts";
 * const { values } = await softDtwBatchParallel64({
 *   cost: new Float64Array(4 * 3 * 3).map((_, i) => (i * 7) % 5),
 *   batch: 4, maxRows: 3, maxCols: 3, gamma: 0.5,
 * }, { workers: 2 });
 * ```
 */
export async function softDtwBatchParallel64(
  args: SoftDtwBatchArgs,
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
  checkPlainSoftDtwOptions(args, "softDtwBatchParallel64");
  const { block, rowLengths, colLengths } = checkPackedCosts(args);
  const { batch } = args;
  const n = Math.min(workers, batch);
  const started: Worker[] = [];
  for (let k = 0; k < n && n > 1; k++) {
    const w = startWorker();
    if (w === null) break;
    started.push(w);
  }
  if (started.length < 2) {
    started.forEach((w) => w.terminate());
    return softDtwBatch64(args);
  }
  try {
    const parts = started.length;
    const src = args.cost instanceof Float64Array ? args.cost : Float64Array.from(args.cost);
    const bounds = Array.from({ length: parts + 1 }, (_, k) => Math.round((k * batch) / parts));
    const results = await Promise.all(started.map((w, k) => {
      const lo = bounds[k], hi = bounds[k + 1];
      const cost = src.slice(lo * block, hi * block);
      return runChunk(w, {
        ...args,
        cost,
        batch: hi - lo,
        rowLengths: rowLengths.slice(lo, hi),
        colLengths: colLengths.slice(lo, hi),
      });
    }));
    const values = new Float64Array(batch);
    const withGrad = args.withGrad ?? true;
    const grads = withGrad ? new Float64Array(batch * block) : null;
    results.forEach((r, k) => {
      values.set(r.values, bounds[k]);
      if (grads !== null && r.grads !== null) grads.set(r.grads, bounds[k] * block);
    });
    return { values, grads };
  } finally {
    started.forEach((w) => w.terminate());
  }
}
