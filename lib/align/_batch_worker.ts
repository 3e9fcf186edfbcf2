/**
 * The Worker of {@linkcode softDtwBatchParallel64} (`soft_dtw_parallel.ts`): runs
 * `softDtwBatch64` on the chunk of the batch it receives and posts the result back (the arrays
 * transferred), or `{ error, name }` when the chunk throws.
 *
 * Used by lib/align/soft_dtw_parallel.ts.
 *
 * @example
 * ```ts ignore
 * const w = new Worker(new URL("./_batch_worker.ts", import.meta.url), { type: "module" });
 * ```
 *
 * @module
 */
import { softDtwBatch64, type SoftDtwBatchArgs } from "./soft_dtw_batch.ts";

// deno-lint-ignore no-explicit-any
const scope = globalThis as any;
scope.onmessage = (e: MessageEvent<SoftDtwBatchArgs>) => {
  try {
    const { values, grads } = softDtwBatch64(e.data);
    const transfer = grads === null ? [values.buffer] : [values.buffer, grads.buffer];
    scope.postMessage({ values, grads }, transfer);
  } catch (err) {
    scope.postMessage({
      error: err instanceof Error ? err.message : String(err),
      name: err instanceof Error ? err.name : "Error",
    });
  }
};
