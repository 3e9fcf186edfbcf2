/**
 * Speed of the 2-core soft-DTW batch: 64 pairs of 512 × 512 (forward and gradient), on the
 * calling thread (`softDtwBatch64`, the baseline) and on the persistent pool of 2 Workers
 * (`softDtwBatchParallel64`; the Workers are started in the warm-up and kept), with the cost
 * in ordinary memory (copied once into shared memory per batch) and already in a
 * SharedArrayBuffer (not copied). ns per DP cell = time per iteration / 16 777 216.
 *
 * Run with `deno bench -A --import-map=tools/import_map_offline.json lib/align/soft_dtw_parallel_bench.ts`.
 *
 * @example
 * ```ts
 * // deno bench -A --import-map=tools/import_map_offline.json lib/align/soft_dtw_parallel_bench.ts
 * import { parallelBenchShape } from "./soft_dtw_parallel_bench.ts";
 * parallelBenchShape.batch * parallelBenchShape.maxRows * parallelBenchShape.maxCols; // cells
 * ```
 *
 * @module
 */
import { softDtwBatch64 } from "./soft_dtw_batch.ts";
import { softDtwBatchParallel64 } from "./soft_dtw_parallel.ts";
import { lcgCosts } from "./test_helpers_test.ts";

/** The benchmarked batch. */
export const parallelBenchShape = { batch: 64, maxRows: 512, maxCols: 512 } as const;

const { batch, maxRows, maxCols } = parallelBenchShape;
const args = { cost: lcgCosts(batch * maxRows * maxCols, 7), batch, maxRows, maxCols, gamma: 0.3 };
const shared = new Float64Array(new SharedArrayBuffer(8 * args.cost.length));
shared.set(args.cost);
let sink = 0;
Deno.bench({
  name: "64×512² 1 thread",
  group: "batch",
  baseline: true,
  n: 6,
  warmup: 1,
  fn: () => {
    sink += softDtwBatch64(args).values[0];
  },
});
Deno.bench({
  name: "64×512² pool of 2",
  group: "batch",
  n: 6,
  warmup: 1,
  fn: async () => {
    sink += (await softDtwBatchParallel64(args, { workers: 2 })).values[0];
  },
});
Deno.bench({
  name: "64×512² pool of 2, shared cost",
  group: "batch",
  n: 6,
  warmup: 1,
  fn: async () => {
    sink += (await softDtwBatchParallel64({ ...args, cost: shared }, { workers: 2 })).values[0];
  },
});
globalThis.addEventListener("unload", () => {
  if (sink === 42) console.log(sink);
});
