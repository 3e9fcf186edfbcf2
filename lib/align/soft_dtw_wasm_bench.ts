/**
 * Speed of the WebAssembly soft-DTW kernel against the TypeScript kernel (forward + gradient):
 * single pairs 150 x 16, 150 x 75, 1024 x 1024, the batched soft-DTW of one dChord training
 * epoch (43 segments of 150 frames against 16 and 75 target rows), and step weights [1, 1, 2] on
 * 150 x 75. Each size is one bench group
 * with the TypeScript kernel as baseline, so `deno bench` prints the ratio; ns per DP cell =
 * time per iteration / cells (in the bench name).
 *
 * Run with
 * `deno bench -A --import-map=tools/import_map_offline.json lib/align/soft_dtw_wasm_bench.ts`.
 *
 * Used for the speed table of the README and notebooks/02_gradient_expected_alignment.ipynb.
 *
 * @example
 * ```ts
 * // deno bench -A --import-map=tools/import_map_offline.json lib/align/soft_dtw_wasm_bench.ts
 * import { wasmBenchSizes } from "./soft_dtw_wasm_bench.ts";
 * wasmBenchSizes.map(([b, m, n]) => b * m * n); // cells per size
 * ```
 *
 * @module
 */
import { createWorkspace, softDtwKernel, type SoftDtwKernelArgs } from "./_soft_dtw_kernel.ts";
import { softDtwBatch64 } from "./soft_dtw_batch.ts";
import { wasmAvailable } from "./_soft_dtw_wasm.ts";
import { lcgCosts } from "./test_helpers_test.ts";
import { weightedSoftDtw64 } from "./weighted.ts";

/** The benchmarked sizes: [batch, rows, columns] (batch 1 = one pair through the kernel). */
export const wasmBenchSizes: readonly [number, number, number][] = [
  [1, 150, 16],
  [1, 150, 75],
  [1, 1024, 1024],
  [43, 150, 16],
  [43, 150, 75],
];

if (!wasmAvailable()) console.log("soft_dtw_wasm_bench: WebAssembly kernel not available");
let sink = 0;
for (const [B, M, N] of wasmBenchSizes) {
  const cost = lcgCosts(B * M * N, B * 7919 + M * 31 + N);
  const group = B === 1
    ? `${M}x${N} (${M * N} cells)`
    : `batch ${B}x${M}x${N} (${B * M * N} cells)`;
  if (B === 1) {
    const grad = new Float64Array(M * N);
    const args: SoftDtwKernelArgs = {
      cost,
      costOffset: 0,
      costStride: N,
      rows: M,
      cols: N,
      gamma: 0.3,
      grad,
      gradOffset: 0,
      gradStride: N,
      workspace: createWorkspace({ maxCells: M * N, maxCols: N }),
    };
    Deno.bench({
      name: `ts kernel ${group}`,
      group,
      baseline: true,
      fn: () => {
        sink += softDtwKernel({ ...args, kernel: "ts" });
      },
    });
    Deno.bench({
      name: `wasm kernel ${group}`,
      group,
      fn: () => {
        sink += softDtwKernel({ ...args, kernel: "wasm" });
      },
    });
  } else {
    const args = { cost, batch: B, maxRows: M, maxCols: N, gamma: 0.3 };
    Deno.bench({
      name: `ts batch ${group}`,
      group,
      baseline: true,
      fn: () => {
        sink += softDtwBatch64({ ...args, kernel: "ts" }).values[0];
      },
    });
    Deno.bench({
      name: `wasm batch ${group}`,
      group,
      fn: () => {
        sink += softDtwBatch64({ ...args, kernel: "wasm" }).values[0];
      },
    });
  }
}
// Step weights [1, 1, 2] (the log-domain pass of the wasm kernel) on one training-segment pair.
{
  const M = 150, N = 75;
  const data = lcgCosts(M * N, 4242);
  const cost = { data, rows: M, cols: N };
  const group = `step weights [1, 1, 2] ${M}x${N} (${M * N} cells)`;
  for (const kernel of ["ts", "wasm"] as const) {
    Deno.bench({
      name: `${kernel} weighted ${group}`,
      group,
      baseline: kernel === "ts",
      fn: () => {
        sink += weightedSoftDtw64(cost, { gamma: 0.3, stepWeights: [1, 1, 2], kernel }).value;
      },
    });
  }
}
globalThis.addEventListener("unload", () => {
  if (Number.isNaN(sink)) console.log(sink);
});
