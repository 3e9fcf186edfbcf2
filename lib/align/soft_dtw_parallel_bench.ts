/**
 * Speed of the 2-core soft-DTW batch: 64 pairs of 512 × 512 (forward and gradient), on the
 * calling thread (`softDtwBatch64`, the baseline) and split between 2 Workers
 * (`softDtwBatchParallel64`, Workers started and ended in each call).
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
const cells = batch * maxRows * maxCols;
let sink = 0;
Deno.bench({
  name: `softDtwBatch64, 1 thread, 64 × 512 × 512 (${cells} cells)`,
  group: "batch",
  baseline: true,
  n: 4,
  warmup: 1,
  fn: () => {
    sink += softDtwBatch64(args).values[0];
  },
});
Deno.bench({
  name: "softDtwBatchParallel64, 2 Workers, 64 × 512 × 512",
  group: "batch",
  n: 4,
  warmup: 1,
  fn: async () => {
    sink += (await softDtwBatchParallel64(args, { workers: 2 })).values[0];
  },
});
globalThis.addEventListener("unload", () => {
  if (sink === 42) console.log(sink);
});
