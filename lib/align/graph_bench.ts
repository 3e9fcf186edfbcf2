/**
 * Speed of `alignGraph` per DP cell against today's soft-DTW kernel (WebAssembly when
 * available, forward + gradient, typed input): the classic graph (its fast path), the classic
 * graph with step weights [1, 1, 2] (both on the soft-DTW kernels), and on the WebAssembly
 * kernel of the general graph: two custom three-step sets ((1,0), (1,1), (2,1): on a square grid
 * only the diagonal is a complete path; (1,0), (0,1), (1,2): every cell is on one, with equal
 * step weights and with weights [1, 2, 1]) and the classic steps with per-cell weights; the
 * second custom set also on the TypeScript reference (`graphAlignment`, not at 1024 × 1024);
 * CTC through its graph (routed to the CTC kernel) against `ctcBatch64`. One group per size
 * (150 × 75, 512 × 512, 1024 × 1024), the soft-DTW kernel as the baseline, so `deno bench`
 * prints the ratios; every entry runs on the same number of cells (CTC: one column fewer when
 * the size is even). Every kernel is warmed up first (see `warmUp`).
 *
 * Run with `deno bench -A --import-map=tools/import_map_offline.json lib/align/graph_bench.ts`.
 *
 * @example
 * ```ts
 * // deno bench -A --import-map=tools/import_map_offline.json lib/align/graph_bench.ts
 * import { graphBenchSizes } from "./graph_bench.ts";
 * graphBenchSizes.map(([m, n]) => m * n);
 * ```
 *
 * @module
 */
import { alignGraph, graphAlignment } from "./graph.ts";
import type { AlignGraph } from "./graph_types.ts";
import { ctcAlignGraph, softDtwGraph } from "./presets.ts";
import { softDtwValueAndGrad64 } from "./soft_dtw.ts";
import { ctcBatch64 } from "./ctc.ts";
import { lcg } from "./test_helpers_test.ts";

/** The benchmarked sizes (rows × columns). */
export const graphBenchSizes: readonly [number, number][] = [[150, 75], [512, 512], [1024, 1024]];

let sink = 0;
const gamma = 0.3;

/** The graph of three custom steps with equal weights from the first cell to the last. */
function threeSteps(M: number, N: number, steps: AlignGraph["steps"]): AlignGraph {
  return {
    steps,
    stepWeights: [1, 1, 1],
    start: { cells: [[0, 0]] },
    end: { cells: [[M - 1, N - 1]] },
    aggregation: "soft",
    gamma,
  };
}

/**
 * Runs every kernel the benches use 40 times on a small matrix first: V8 starts WebAssembly
 * functions on its baseline compiler and swaps in the optimized code after they have run a
 * while, so without this the first bench row to reach a kernel (at the smallest size) would
 * pay for its slow first calls.
 */
function warmUp(): void {
  const M = 48, N = 40, rand = lcg(1);
  const cost = { data: Float64Array.from({ length: M * N }, () => 2 * rand()), rows: M, cols: N };
  const base = threeSteps(M, N, [[1, 0], [0, 1], [1, 2]]);
  const graphs: AlignGraph[] = [
    base,
    { ...base, stepWeights: [1, 2, 1] },
    { ...base, steps: [[1, 0], [1, 1], [2, 1]] },
    {
      ...softDtwGraph(M, N, { gamma }),
      stepWeights: undefined,
      localStepWeights: Float64Array.from({ length: M * N * 3 }, () => 0.5 + rand()),
    },
  ];
  const { graph: ctc, extended } = ctcAlignGraph([1, 2, 3], { blank: 0, frames: M, classes: 4 });
  const emissions = Array.from({ length: M }, () => Array.from({ length: 4 }, () => 1 + rand()));
  const ctcC = {
    data: Float64Array.from(emissions.flatMap((row) => extended.map((k) => row[k]))),
    rows: M,
    cols: extended.length,
  };
  for (let r = 0; r < 40; r++) {
    sink += softDtwValueAndGrad64(cost, { gamma }).value;
    sink += softDtwValueAndGrad64(cost, { gamma, stepWeights: [1, 1, 2] }).value;
    for (const g of graphs) sink += alignGraph(cost, g).value;
    sink += alignGraph(ctcC, ctc).value;
    sink += ctcBatch64({
      logProbs: Float64Array.from({ length: M * 4 }, () => -1 - rand()),
      batch: 1,
      frames: M,
      classes: 4,
      labels: [[1, 2, 3]],
      blank: 0,
    }).values[0];
  }
}
warmUp();

for (const [M, N] of graphBenchSizes) {
  const rand = lcg(M * 31 + N);
  const cost = { data: Float64Array.from({ length: M * N }, () => 2 * rand()), rows: M, cols: N };
  const group = `${M}x${N}`;
  const cells = `${M * N} cells`;
  Deno.bench({
    name: `soft-DTW kernel (softDtwValueAndGrad64) ${group} (${cells})`,
    group,
    baseline: true,
    fn: () => {
      sink += softDtwValueAndGrad64(cost, { gamma }).value;
    },
  });
  const classic = softDtwGraph(M, N, { gamma });
  Deno.bench({
    name: `alignGraph, classic graph (fast path) ${group}`,
    group,
    fn: () => {
      sink += alignGraph(cost, classic).value;
    },
  });
  Deno.bench({
    name: `step-weighted kernel [1, 1, 2] (softDtwValueAndGrad64) ${group}`,
    group,
    fn: () => {
      sink += softDtwValueAndGrad64(cost, { gamma, stepWeights: [1, 1, 2] }).value;
    },
  });
  const weighted = softDtwGraph(M, N, { gamma, stepWeights: [1, 1, 2] });
  Deno.bench({
    name: `alignGraph, step weights [1, 1, 2] (fast path) ${group}`,
    group,
    fn: () => {
      sink += alignGraph(cost, weighted).value;
    },
  });
  // (1,0), (1,1), (2,1) on a square grid: only the diagonal is a complete path, so the
  // backward pass skips almost every cell; (1,0), (0,1), (1,2) puts every cell on a path
  const custom = threeSteps(M, N, [[1, 0], [1, 1], [2, 1]]);
  Deno.bench({
    name: `alignGraph, custom steps (1,0) (1,1) (2,1) (general kernel) ${group}`,
    group,
    fn: () => {
      sink += alignGraph(cost, custom).value;
    },
  });
  const dense: AlignGraph = { ...custom, steps: [[1, 0], [0, 1], [1, 2]] };
  Deno.bench({
    name: `alignGraph, custom steps (1,0) (0,1) (1,2) (general kernel) ${group}`,
    group,
    fn: () => {
      sink += alignGraph(cost, dense).value;
    },
  });
  const denseWeighted: AlignGraph = { ...dense, stepWeights: [1, 2, 1] };
  Deno.bench({
    name: `alignGraph, custom steps (1,0) (0,1) (1,2), weights [1, 2, 1] (general kernel) ${group}`,
    group,
    fn: () => {
      sink += alignGraph(cost, denseWeighted).value;
    },
  });
  Deno.bench({
    name: `graphAlignment, custom steps (1,0) (0,1) (1,2) (TypeScript reference) ${group}`,
    group,
    // the reference takes seconds at 1024 × 1024
    ignore: M * N > 512 * 512,
    fn: () => {
      sink += graphAlignment(cost, dense).value;
    },
  });
  const local: AlignGraph = {
    ...classic,
    stepWeights: undefined,
    localStepWeights: Float64Array.from({ length: M * N * 3 }, () => 0.5 + rand()),
  };
  Deno.bench({
    name: `alignGraph, per-cell weights (general kernel) ${group}`,
    group,
    fn: () => {
      sink += alignGraph(cost, local).value;
    },
  });
  // CTC: N extended states (N odd), M frames
  const S = N % 2 === 1 ? N : N - 1, L = (S - 1) / 2;
  const labels = Array.from({ length: L }, (_, i) => 1 + (i % 5));
  const K = 6;
  const logProbs = Array.from({ length: M }, () => {
    const x = Array.from({ length: K }, () => rand());
    const lse = Math.log(x.reduce((s, v) => s + Math.exp(v), 0));
    return x.map((v) => v - lse);
  });
  const flat = Float64Array.from(logProbs.flat());
  if (M >= L + 5) {
    Deno.bench({
      name: `CTC kernel (ctcBatch64) ${M}x${S}`,
      group,
      fn: () => {
        sink += ctcBatch64({
          logProbs: flat,
          batch: 1,
          frames: M,
          classes: K,
          labels: [labels],
          blank: 0,
        }).values[0];
      },
    });
    const { graph, extended } = ctcAlignGraph(labels, { blank: 0, frames: M, classes: K });
    const ctcC = {
      data: Float64Array.from(logProbs.flatMap((row) => extended.map((k) => -row[k]))),
      rows: M,
      cols: S,
    };
    Deno.bench({
      name: `alignGraph, CTC graph (routed to the CTC kernel) ${M}x${S}`,
      group,
      fn: () => {
        sink += alignGraph(ctcC, graph).value;
      },
    });
  }
}
globalThis.addEventListener("unload", () => {
  if (sink === 42) console.log(sink);
});
