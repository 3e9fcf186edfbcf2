/**
 * Speed of soft-DTW forward + gradient, per size, in two groups.
 *
 * Group `MxN wasm kernel (default)`: what a caller gets with the default `kernel: "auto"`
 * (the WebAssembly SIMD kernel of `_soft_dtw_wasm.ts`, about 10–15 ns per cell).
 * - `typed`: {@linkcode softDtwValueAndGrad64} on a {@linkcode Matrix64}, returning a typed
 *   gradient: the kernel with no conversion beyond copying the Float64Array into the wasm
 *   memory and the gradient out of it. The group baseline.
 * - `number[][]`: {@linkcode softDtwValueAndGrad}, the convenience form: rows of numbers in and
 *   out, validated and copied straight into the kernel's memory, the gradient copied straight
 *   out into new rows (one plain-loop copy each way). **The 15 % goal** (issue 10) is this
 *   entry's ratio to `typed` at 1024 x 1024: at most 1.15x.
 * - `copies only`: just the two copy loops of the `number[][]` form (`copyRowsInto` into a
 *   Float64Array, `rowsFrom` back to rows), no kernel: the floor of the conversion, i.e. what
 *   reading about a million JS numbers from nested arrays and building a million-element set
 *   of rows costs against the kernel.
 *
 * Group `MxN TypeScript kernel`: the same with `kernel: "ts"` (the readable reference kernel
 * of `_soft_dtw_kernel.ts`, softmin weights kept from the forward pass, backward pass without
 * exponentials, about 45 ns per cell).
 * - `typed (ts)` (the group baseline) and `number[][] (ts)` (converted through a Float64Array
 *   with plain loops) as above.
 * - `exp in backward`: the straightforward baseline that recomputes the exponentials from `D`
 *   in the backward pass ({@linkcode softDtwValueAndGradBaseline}, TypeScript only).
 *
 * Run with
 * `deno bench -A --import-map=tools/import_map_offline.json lib/align/soft_dtw_bench.ts`.
 * `deno bench` prints each ratio to its group's baseline; divide the time per iteration by the
 * number of cells (in the group name) for the time per DP cell. The machine is shared: compare
 * ratios within one run. Sizes: 150 x 16 and 150 x 75 (a training segment against its weak
 * label sequence), 512 x 512 and 1024 x 1024 (long sequences; no length cap).
 *
 * Memory (bytes per DP cell, float64): wasm kernel = 8 (cost, the input) + 24 (cost copy and
 * two softmin weights in wasm memory, the copy overwritten by the gradient) + 8 (gradient) = 40;
 * its `number[][]` form has the input and output rows in place of the typed cost and gradient
 * (no intermediate Float64Array). TypeScript kernel = 8 (cost) + 24 (three softmin weights) +
 * 8 (gradient) = 40, its `number[][]` form adds the input and output rows; exp in backward =
 * 8 (cost) + 8 (D) + 8 (E) + 8 (gradient) = 32.
 *
 * @example
 * ```ts
 * // deno bench -A --import-map=tools/import_map_offline.json lib/align/soft_dtw_bench.ts
 * import { benchSizes } from "./soft_dtw_bench.ts";
 * benchSizes.map(([m, n]) => m * n); // cells per size
 * ```
 *
 * @module
 */
import { copyRowsInto, fromMatrix64, type Matrix64, rowsFrom } from "./cost.ts";
import { lcgCosts } from "./test_helpers_test.ts";
import { softDtwValueAndGrad, softDtwValueAndGrad64 } from "./soft_dtw.ts";
import { softDtwValueAndGradBaseline } from "./soft_dtw_baseline.ts";

/** The benchmarked cost-matrix sizes (rows x columns). */
export const benchSizes: readonly [number, number][] = [
  [150, 16],
  [150, 75],
  [512, 512],
  [1024, 1024],
];

function randomCost(rows: number, cols: number, seed: number): Matrix64 {
  return { data: lcgCosts(rows * cols, seed), rows, cols };
}

let sink = 0;
const wasm = { gamma: 0.3 };
const ts = { gamma: 0.3, kernel: "ts" as const };
for (const [M, N] of benchSizes) {
  const cost = randomCost(M, N, M * 7919 + N);
  const rows = fromMatrix64(cost);
  const scratch = new Float64Array(M * N);
  const cells = `${M}x${N} (${M * N} cells)`;
  // The machine is shared: fixed, generous iteration counts so that the entries see the same
  // conditions (and the first one is not timed while the JIT and the heap warm up).
  const runs = { n: M * N > 100_000 ? 30 : 500, warmup: M * N > 100_000 ? 5 : 50 };
  const wasmGroup = `${cells} wasm kernel (default)`;
  Deno.bench({
    name: `typed (softDtwValueAndGrad64) ${M}x${N} wasm`,
    group: wasmGroup,
    ...runs,
    baseline: true,
    fn: () => {
      sink += softDtwValueAndGrad64(cost, wasm).value;
    },
  });
  Deno.bench({
    name: `number[][] (softDtwValueAndGrad) ${M}x${N} wasm`,
    group: wasmGroup,
    ...runs,
    fn: () => {
      sink += softDtwValueAndGrad(rows, wasm).grad[M - 1][N - 1];
    },
  });
  Deno.bench({
    name: `copies only (copyRowsInto + rowsFrom) ${M}x${N}`,
    group: wasmGroup,
    ...runs,
    fn: () => {
      copyRowsInto(rows, scratch, 0, { name: "cost" });
      sink += rowsFrom(scratch, 0, M, N)[M - 1][N - 1];
    },
  });
  const tsGroup = `${cells} TypeScript kernel`;
  Deno.bench({
    name: `typed (ts) ${M}x${N}`,
    group: tsGroup,
    ...runs,
    baseline: true,
    fn: () => {
      sink += softDtwValueAndGrad64(cost, ts).value;
    },
  });
  Deno.bench({
    name: `number[][] (ts) ${M}x${N}`,
    group: tsGroup,
    ...runs,
    fn: () => {
      sink += softDtwValueAndGrad(rows, ts).grad[M - 1][N - 1];
    },
  });
  Deno.bench({
    name: `exp in backward (softDtwValueAndGradBaseline) ${M}x${N}`,
    group: tsGroup,
    ...runs,
    fn: () => {
      sink += softDtwValueAndGradBaseline(cost, wasm).value;
    },
  });
}
globalThis.addEventListener("unload", () => {
  if (Number.isNaN(sink)) console.log(sink);
});
