import { assert, assertEquals } from "@std/assert";
import { alignGraph, graphAlignment, runGraph, runGraphReference } from "./graph.ts";
import { resolveGraph } from "./_graph_check.ts";
import { lastGraphDomain, setGraphDomain, wasmAvailable } from "./_soft_dtw_wasm.ts";
import type { AlignGraph, Cell, Step } from "./graph_types.ts";
import { bruteForceGraph, graphPaths } from "./_graph_brute_force.ts";
import { lcg, randomGraph, randomMatrix, STEP_POOL } from "./test_helpers_test.ts";

function withDomain<T>(choice: "auto" | "z" | "log", f: () => T): T {
  const before = setGraphDomain(choice);
  try {
    return f();
  } finally {
    setGraphDomain(before);
  }
}

Deno.test("general kernel, Z domain and log domain: value and gradient equal brute force over every path (2 and 3 steps, γ 1e-3 … 1e3)", () => {
  assert(wasmAvailable(), "WebAssembly runs in Deno");
  const rand = lcg(1818);
  const count = { z: 0, log: 0 };
  let worstValue = 0, worstGrad = 0;
  for (let made = 0; made < 150;) {
    const rows = 1 + Math.floor(rand() * 5), cols = 1 + Math.floor(rand() * 5);
    const gamma = [1e-3, 0.1, 1, 10, 1e3][made % 5];
    // 2 or 3 steps (the counts the Z-domain passes take), none removed by a global weight ∞
    const steps = STEP_POOL.filter(() => rand() < 0.45).slice(0, 2 + Math.floor(rand() * 2));
    const graph = randomGraph(rows, cols, rand, "soft", gamma, steps);
    const cost = randomMatrix(rows, cols, rand, 2);
    if (steps.length < 2 || graph.stepWeights?.includes(Infinity)) continue;
    if (graphPaths(cost, graph).length === 0) continue;
    made++;
    const bf = bruteForceGraph(cost, graph);
    const C = { data: Float64Array.from(cost.flat()), rows, cols };
    const g = resolveGraph(graph, rows, cols);
    const ref = runGraphReference(C, g);
    for (const domain of ["z", "log"] as const) {
      const run = withDomain(domain, () => runGraph(C, g, true));
      assertEquals(lastGraphDomain(), domain, `${domain} ran`);
      count[domain]++;
      const what = `${domain} ${JSON.stringify(graph.steps)} ${rows} × ${cols} γ=${gamma}`;
      // the Z domain rounds to a few ulp of γ per cell, the log domain to a few ulp of D
      const dv = Math.abs(run.value - bf.value) / Math.max(1, Math.abs(bf.value), gamma);
      worstValue = Math.max(worstValue, dv);
      assert(dv <= 1e-12, `${what}: value ${run.value} vs ${bf.value}`);
      for (let p = 0; p < rows * cols; p++) {
        const want = bf.grad[Math.floor(p / cols)][p % cols];
        const dg = Math.abs(run.H[p] - want) / Math.max(1, Math.abs(want));
        worstGrad = Math.max(worstGrad, dg);
        assert(dg <= 1e-10, `${what}: H[${p}] ${run.H[p]} vs ${want}`);
        // a cell on no complete path has E = 0 exactly, as in the reference
        if (ref.E[p] === 0) assertEquals(run.E![p], 0, `${what}: E[${p}]`);
      }
    }
  }
  assertEquals(count, { z: 150, log: 150 });
  console.log(
    `worst value error ${worstValue.toExponential(1)}, gradient ${worstGrad.toExponential(1)}`,
  );
});

Deno.test("general kernel: huge |C|/γ falls back to the log domain, equal to brute force; moderate runs the Z domain", () => {
  const rand = lcg(1819);
  const rows = 4, cols = 5;
  const graph = (gamma: number): AlignGraph => ({
    steps: [[1, 0], [0, 1], [1, 2]],
    stepWeights: [1, 2, 1],
    start: { cells: [[0, 0], [1, 0]] },
    end: { cells: [[3, 4], [3, 3]], weights: [0, 0.5] },
    aggregation: "soft",
    gamma,
  });
  const cost = randomMatrix(rows, cols, rand, 1e6);
  const C = { data: Float64Array.from(cost.flat()), rows, cols };
  for (const [gamma, domain] of [[1e-11, "log"], [3e5, "z"]] as const) {
    const g = graph(gamma);
    const run = runGraph(C, resolveGraph(g, rows, cols));
    assertEquals(lastGraphDomain(), domain, `γ=${gamma}`);
    const bf = bruteForceGraph(cost, g);
    assert(
      Math.abs(run.value - bf.value) <= 1e-12 * Math.abs(bf.value),
      `γ=${gamma}: ${run.value} vs ${bf.value}`,
    );
    for (let p = 0; p < rows * cols; p++) {
      const want = bf.grad[Math.floor(p / cols)][p % cols];
      assert(Math.abs(run.H[p] - want) <= 1e-10 * Math.max(1, Math.abs(want)), `H[${p}]`);
    }
  }
});

Deno.test("alignGraph on the Z-domain kernel equals graphAlignment (the TypeScript reference) to the stated bound: value 1e-12 relative, gradient 1e-11 of max(1, |H|)", () => {
  const rand = lcg(1820);
  const N = 41, M = 37;
  const cost = { data: Float64Array.from({ length: N * M }, () => 2 * rand()), rows: N, cols: M };
  const inside = (p: number) =>
    Array.from({ length: N * M }, (_, q) => q).filter((q) => q === 0 || rand() < p)
      .map((q): Cell => [Math.floor(q / M), q % M]);
  for (
    const steps of [[[1, 0], [0, 1], [1, 2]], [[1, 0], [1, 1], [2, 1]], [[1, 1], [
      0,
      1,
    ]]] as Step[][]
  ) {
    const starts = inside(0.02), ends = [...inside(0.02), [N - 1, M - 1] as Cell];
    const base = {
      steps,
      start: { cells: starts, weights: starts.map(() => 2 * rand()) },
      end: { cells: ends, weights: ends.map(() => rand()) },
      aggregation: "soft" as const,
      gamma: 0.3,
    };
    const weightings: Partial<AlignGraph>[] = [
      { stepWeights: steps.map(() => 1.5) }, // one weight: H = w·E in the backward pass
      { stepWeights: steps.map(() => 0.5 + rand()) },
      {
        localStepWeights: Float64Array.from(
          { length: N * M * steps.length },
          () => rand() < 0.05 ? Infinity : 0.5 + rand(),
        ),
      },
    ];
    for (const weighting of weightings) {
      const graph = { ...base, ...weighting } as AlignGraph;
      const what = `${JSON.stringify(steps)} ${Object.keys(weighting)[0]}`;
      const fast = alignGraph(cost, graph);
      assertEquals(lastGraphDomain(), "z", what);
      const ref = graphAlignment(cost, graph);
      assert(
        Math.abs(fast.value - ref.value) <= 1e-12 * Math.abs(ref.value),
        `${what}: ${fast.value} vs ${ref.value}`,
      );
      for (let p = 0; p < N * M; p++) {
        const d = Math.abs(fast.grad.data[p] - ref.H.data[p]);
        assert(d <= 1e-11 * Math.max(1, Math.abs(ref.H.data[p])), `${what}: H[${p}]`);
      }
    }
  }
});
