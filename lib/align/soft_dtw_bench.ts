/**
 * Speed of soft-DTW forward + gradient, three ways, per size:
 *
 * - `typed`: {@linkcode softDtwValueAndGrad64}, the fast kernel of `lib/align/soft_dtw.ts`
 *   (softmin weights kept from the forward pass, backward pass without exponentials) on a
 *   {@linkcode Matrix64}, returning a typed gradient: no conversion at all. The group baseline.
 * - `number[][]`: {@linkcode softDtwValueAndGrad}, the same kernel behind the convenience form
 *   (rows of numbers in and out, converted with plain loops). Goal: within 15 % of `typed` at
 *   1024 x 1024.
 * - `exp in backward`: the straightforward baseline that recomputes the exponentials from `D`
 *   in the backward pass ({@linkcode softDtwValueAndGradBaseline}).
 *
 * Run with
 * `deno bench -A --import-map=tools/import_map_offline.json lib/align/soft_dtw_bench.ts`.
 * `deno bench` prints each ratio to `typed`; divide the time per iteration by the number of
 * cells (in the group name) for the time per DP cell. Sizes: 150 x 16 and 150 x 75 (a training
 * segment against its weak label sequence), 512 x 512 and 1024 x 1024 (long sequences; no
 * length cap).
 *
 * Memory (bytes per DP cell, float64): fast = 8 (cost, the input) + 24 (three softmin
 * weights) + 8 (gradient) = 40; exp in backward = 8 (cost) + 8 (D) + 8 (E) + 8 (gradient) = 32;
 * the `number[][]` form adds its input and output arrays.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb (the speed remark).
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
import { fromMatrix64, type Matrix64 } from "./cost.ts";
import {
  softDtwValueAndGrad,
  softDtwValueAndGrad64,
  softDtwValueAndGradBaseline,
} from "./soft_dtw.ts";

/** The benchmarked cost-matrix sizes (rows x columns). */
export const benchSizes: readonly [number, number][] = [
  [150, 16],
  [150, 75],
  [512, 512],
  [1024, 1024],
];

function randomCost(rows: number, cols: number, seed: number): Matrix64 {
  let a = seed >>> 0;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    data[i] = 2 * (a / 4294967296); // squared-Euclidean-like costs in [0, 2)
  }
  return { data, rows, cols };
}

let sink = 0;
const options = { gamma: 0.3 };
for (const [M, N] of benchSizes) {
  const cost = randomCost(M, N, M * 7919 + N);
  const rows = fromMatrix64(cost);
  const group = `${M}x${N} (${M * N} cells)`;
  // The machine is shared: fixed, generous iteration counts so that the three ways see the same
  // conditions (and the first one is not timed while the JIT and the heap warm up).
  const runs = { n: M * N > 100_000 ? 30 : 500, warmup: M * N > 100_000 ? 5 : 50 };
  Deno.bench({
    name: `typed (softDtwValueAndGrad64) ${group}`,
    group,
    ...runs,
    baseline: true,
    fn: () => {
      sink += softDtwValueAndGrad64(cost, options).value;
    },
  });
  Deno.bench({
    name: `number[][] (softDtwValueAndGrad) ${group}`,
    group,
    ...runs,
    fn: () => {
      sink += softDtwValueAndGrad(rows, options).grad[M - 1][N - 1];
    },
  });
  Deno.bench({
    name: `exp in backward (softDtwValueAndGradBaseline) ${group}`,
    group,
    ...runs,
    fn: () => {
      sink += softDtwValueAndGradBaseline(cost, options).value;
    },
  });
}
globalThis.addEventListener("unload", () => {
  if (Number.isNaN(sink)) console.log(sink);
});
