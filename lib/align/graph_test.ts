import { assert, assertEquals, assertThrows } from "@std/assert";
import { alignGraph, graphAlignment, runGraph, runGraphReference } from "./graph.ts";
import { resolveGraph } from "./_graph_check.ts";
import { wasmAvailable } from "./_soft_dtw_wasm.ts";
import { softDtwValueAndGrad } from "./soft_dtw.ts";
import type { AlignGraph } from "./graph_types.ts";
import { aggregate, type Aggregation } from "./_aggregation.ts";
import {
  bruteForceGraph,
  definitionMin,
  graphPaths,
  recursiveGraph,
} from "./_graph_brute_force.ts";
import { assertRelClose, lcg, randomGraph, randomMatrix } from "./test_helpers_test.ts";

const GAMMAS = [1e-3, 0.1, 1, 10, 1e3];

/** Random graphs that have at least one complete path. */
function* cases(seed: number, count: number, aggregation: Aggregation) {
  const rand = lcg(seed);
  let made = 0;
  while (made < count) {
    const rows = 1 + Math.floor(rand() * 5), cols = 1 + Math.floor(rand() * 5);
    const gamma = GAMMAS[made % GAMMAS.length];
    const graph = randomGraph(rows, cols, rand, aggregation, gamma);
    const cost = randomMatrix(rows, cols, rand, 2);
    if (graphPaths(cost, graph).length === 0) continue;
    made++;
    yield { cost, graph, gamma };
  }
}

function fdGrad(cost: number[][], graph: AlignGraph, h: number): number[][] {
  return cost.map((row, i) =>
    row.map((_, j) => {
      const plus = cost.map((r) => r.slice()), minus = cost.map((r) => r.slice());
      plus[i][j] += h;
      minus[i][j] -= h;
      return (alignGraph(plus, graph).value - alignGraph(minus, graph).value) / (2 * h);
    })
  );
}

Deno.test("aggregation operators equal their definitions (sparse: every support's KKT)", () => {
  const rand = lcg(11);
  for (const kind of ["hard", "soft", "smooth", "sparse"] as const) {
    for (const gamma of GAMMAS) {
      for (let t = 0; t < 20; t++) {
        const n = 1 + Math.floor(rand() * 5);
        const v = Array.from({ length: n }, () => rand() < 0.2 ? Infinity : 3 * rand() - 1);
        const w = new Float64Array(n);
        const got = aggregate(kind, gamma, Float64Array.from(v), n, w);
        const want = definitionMin(kind, gamma, v);
        if (want === Infinity) {
          assertEquals(got, Infinity);
          continue;
        }
        assertRelClose(got, want, 1e-12, `${kind} γ=${gamma} ${v}`);
        // derivatives by central differences on every finite entry
        v.forEach((x, d) => {
          if (x === Infinity) return assertEquals(w[d], 0);
          const h = 1e-6 * Math.min(1, gamma);
          const up = v.slice(), down = v.slice();
          up[d] += h;
          down[d] -= h;
          const fd = (definitionMin(kind, gamma, up) - definitionMin(kind, gamma, down)) / (2 * h);
          assert(Math.abs(fd - w[d]) < 1e-5, `${kind} γ=${gamma} ∂/∂v${d}: ${w[d]} vs ${fd}`);
        });
      }
    }
  }
});

Deno.test("alignGraph hard and soft: value and gradient equal µ over every path", () => {
  for (const aggregation of ["hard", "soft"] as const) {
    for (const { cost, graph, gamma } of cases(aggregation === "hard" ? 1 : 2, 150, aggregation)) {
      const want = bruteForceGraph(cost, graph);
      const got = alignGraph(cost, graph);
      const msg = `${aggregation} γ=${gamma} ${JSON.stringify(graph.steps)}`;
      assertRelClose(got.value, want.value, 1e-11, msg);
      if (aggregation === "hard") {
        // the gradient of the min is the unique best path's coefficients (skip ties)
        const sorted = graphPaths(cost, graph).map((p) => p.cost).sort((a, b) => a - b);
        if (sorted.length > 1 && sorted[1] - sorted[0] < 1e-9) continue;
      }
      got.grad.forEach((row, i) =>
        row.forEach((g, j) =>
          assert(Math.abs(g - want.grad[i][j]) < 1e-9, `${msg} grad[${i}][${j}]`)
        )
      );
    }
  }
});

Deno.test("alignGraph every aggregation: value equals the top-down recursion of the definition", () => {
  for (const aggregation of ["hard", "soft", "smooth", "sparse"] as const) {
    for (const { cost, graph, gamma } of cases(3, 80, aggregation)) {
      assertRelClose(
        alignGraph(cost, graph).value,
        recursiveGraph(cost, graph),
        1e-10,
        `${aggregation} γ=${gamma}`,
      );
    }
  }
});

Deno.test("alignGraph every aggregation: gradient equals central finite differences, γ 1e-3 … 1e3", () => {
  for (const aggregation of ["hard", "soft", "smooth", "sparse"] as const) {
    let checked = 0;
    for (const { cost, graph, gamma } of cases(4, 60, aggregation)) {
      const h = 1e-6 * Math.min(1, gamma);
      const fd = fdGrad(cost, graph, h);
      const fd2 = fdGrad(cost, graph, h / 4);
      const { grad } = alignGraph(cost, graph);
      grad.forEach((row, i) =>
        row.forEach((g, j) => {
          // a kink of hard or sparse µ within h: the two step sizes disagree; skip that entry
          if (Math.abs(fd[i][j] - fd2[i][j]) > 1e-4 * (1 + Math.abs(fd[i][j]))) return;
          checked++;
          const scale = 1 + Math.abs(g);
          assert(
            Math.abs(g - fd[i][j]) < 2e-5 * scale,
            `${aggregation} γ=${gamma} grad[${i}][${j}] = ${g}, finite differences ${fd[i][j]}`,
          );
        })
      );
    }
    assert(checked > 300, `${aggregation}: only ${checked} entries checked`);
  }
});

Deno.test("alignGraph: start weights scale the first cell, end weights add w_end·C(end)", () => {
  // one path (0,0) → (1,1): w_start·C00 + w·C11 + w_end·C11
  const cost = [[2, 9], [9, 3]];
  const graph: AlignGraph = {
    steps: [[1, 1]],
    stepWeights: [5],
    start: { cells: [[0, 0]], weights: [0.5] },
    end: { cells: [[1, 1]], weights: [2] },
    aggregation: "soft",
    gamma: 1,
  };
  const { value, grad } = alignGraph(cost, graph);
  assertEquals(value, 0.5 * 2 + 5 * 3 + 2 * 3);
  assertEquals(grad, [[0.5, 0], [0, 7]]);
});

Deno.test("alignGraph: typed input gives a typed gradient; E and H from graphAlignment", () => {
  const rand = lcg(5);
  const cost = randomMatrix(4, 3, rand, 2);
  const graph: AlignGraph = {
    steps: [[1, 0], [0, 1], [1, 1]],
    stepWeights: [1, 1, 2],
    start: { cells: [[0, 0]] },
    end: { cells: [[3, 2]] },
    aggregation: "soft",
    gamma: 0.5,
  };
  const plain = alignGraph(cost, graph);
  const typed = alignGraph({ data: Float64Array.from(cost.flat()), rows: 4, cols: 3 }, graph);
  assertEquals(typed.value, plain.value);
  assertEquals(Array.from(typed.grad.data), plain.grad.flat());
  const { E, H } = graphAlignment(cost, graph);
  // alignGraph ran the WebAssembly kernel, graphAlignment the reference: equal to 1e-12
  plain.grad.flat().forEach((g, p) =>
    assert(Math.abs(g - H.data[p]) <= 1e-12 * Math.max(1, Math.abs(g)))
  );
  // E is the visiting probability: brute force over paths
  const paths = graphPaths(cost, graph);
  const z = paths.reduce((a, p) => a + Math.exp(-p.cost / 0.5), 0);
  for (let p = 0; p < 12; p++) {
    const visit = paths.reduce(
      (a, path) =>
        a + (path.cells.some(([i, j]) => i * 3 + j === p) ? Math.exp(-path.cost / 0.5) : 0),
      0,
    );
    assertRelClose(E.data[p], visit / z, 1e-12, `E[${p}]`);
  }
});

Deno.test("alignGraph: bad graphs give errors naming the field", () => {
  const cost = [[0, 1], [1, 0]];
  const ok: AlignGraph = {
    steps: [[1, 0], [0, 1], [1, 1]],
    start: { cells: [[0, 0]] },
    end: { cells: [[1, 1]] },
    aggregation: "soft",
    gamma: 1,
  };
  const bad = (patch: Record<string, unknown>, type: ErrorConstructor, text: string) =>
    assertThrows(() => alignGraph(cost, { ...ok, ...patch } as AlignGraph), type, text);
  bad({ gamma: 0 }, RangeError, "graph.gamma");
  bad({ gamma: undefined }, TypeError, "graph.gamma is required");
  bad({ aggregation: "max" }, RangeError, "graph.aggregation");
  bad({ steps: [[0, 0]] }, RangeError, "graph.steps[0]");
  bad({ steps: [[1, 1], [1, 1]] }, RangeError, "twice");
  bad({ steps: [[1, -1]] }, RangeError, "graph.steps[0]");
  bad({ stepWeights: [1, 1] }, TypeError, "3 numbers");
  bad(
    { stepWeights: [1, "1", 1] },
    TypeError,
    'graph.stepWeights[1] must be a number, got the string "1"',
  );
  bad({ stepWeights: [1, NaN, 1] }, RangeError, "graph.stepWeights[1] is NaN");
  bad({ stepWeights: [1, -Infinity, 1] }, RangeError, "graph.stepWeights[1]");
  bad({ localStepWeights: new Float64Array(11) }, TypeError, "localStepWeights has length 11");
  bad({ stepWeights: [1, 1, 1], localStepWeights: new Float64Array(12) }, TypeError, "both");
  bad({ start: { cells: [] } }, RangeError, "graph.start.cells is empty");
  bad({ start: { cells: [[2, 0]] } }, RangeError, "outside the 2 × 2");
  bad({ end: { cells: [[1, 1]], weights: [Infinity] } }, RangeError, "graph.end.weights[0]");
  bad({ end: { cells: [[1, 1], [1, 1]] } }, RangeError, "twice");
  bad({ end: { cells: [[0, 1]] }, steps: [[1, 1]] }, RangeError, "no path");
  assertThrows(() => alignGraph([[0, NaN]], ok), RangeError, "cost[0][1] is NaN");
  assertThrows(() => alignGraph([[1e308, 1e308], [1e308, 1e308]], ok), RangeError, "overflow");
  const hard = { ...ok, aggregation: "hard" as const };
  assertThrows(() => alignGraph([[1e308, 1e308], [1e308, 1e308]], hard), RangeError, "overflows");
});

Deno.test("alignGraph: the classic soft-DTW graph runs the kernel, equal to the reference to 1e-12", () => {
  const rand = lcg(77);
  for (let t = 0; t < 40; t++) {
    const rows = 1 + Math.floor(rand() * 12), cols = 1 + Math.floor(rand() * 12);
    const cost = randomMatrix(rows, cols, rand, 2);
    const w: [number, number, number] = [[1, 1, 1], [1, 1, 2], [0, 1, 1], [0.5, 2, 1]][t % 4] as [
      number,
      number,
      number,
    ];
    const gamma = GAMMAS[t % GAMMAS.length];
    // steps in another order than the kernel's: the weights follow their steps
    const graph: AlignGraph = {
      steps: [[1, 1], [0, 1], [1, 0]],
      stepWeights: [w[2], w[1], w[0]],
      start: { cells: [[0, 0]], weights: [w[2]] },
      end: { cells: [[rows - 1, cols - 1]] },
      aggregation: "soft",
      gamma,
    };
    const fast = alignGraph(cost, graph);
    const kernel = softDtwValueAndGrad(cost, { gamma, stepWeights: w });
    assertEquals(fast.value, kernel.value); // the kernel ran, bit for bit
    assertEquals(fast.grad, kernel.grad);
    const ref = graphAlignment(cost, graph);
    assertRelClose(fast.value, ref.value, 1e-12, `${rows}×${cols} γ=${gamma} w=${w}`);
    fast.grad.flat().forEach((g, p) =>
      assert(Math.abs(g - ref.H.data[p]) <= 1e-10 * Math.max(1, Math.abs(g)), `H[${p}]`)
    );
  }
});

Deno.test("runGraph: the WebAssembly kernel of the soft-minimum graph equals the reference to 1e-12", () => {
  assert(wasmAvailable(), "WebAssembly runs in Deno");
  let compared = 0;
  for (const { cost, graph, gamma } of cases(9, 120, "soft")) {
    const C = { data: Float64Array.from(cost.flat()), rows: cost.length, cols: cost[0].length };
    const g = resolveGraph(graph, C.rows, C.cols);
    const ref = runGraphReference(C, g);
    if (!Number.isFinite(ref.value)) continue;
    const fast = runGraph(C, g, true);
    assert(fast !== ref);
    assertRelClose(fast.value, ref.value, 1e-12, `γ=${gamma} ${JSON.stringify(graph.steps)}`);
    for (let p = 0; p < ref.H.length; p++) {
      const scale = Math.max(1, Math.abs(ref.H[p]));
      assert(Math.abs(fast.H[p] - ref.H[p]) <= 1e-12 * scale, `H[${p}] γ=${gamma}`);
      assert(Math.abs(fast.E![p] - ref.E[p]) <= 1e-12 * Math.max(1, Math.abs(ref.E[p])), `E[${p}]`);
    }
    compared++;
  }
  assert(compared > 100, `${compared} graphs compared`);
  // a graph far larger than the brute force reaches: per-cell weights, three custom steps
  const rand = lcg(10);
  const N = 60, M = 45;
  const cost = randomMatrix(N, M, rand, 2);
  const C = { data: Float64Array.from(cost.flat()), rows: N, cols: M };
  const big = resolveGraph(
    {
      steps: [[1, 0], [1, 1], [2, 1]],
      localStepWeights: Float64Array.from(
        { length: N * M * 3 },
        () => rand() < 0.05 ? Infinity : 0.5 + rand(),
      ),
      start: { cells: [[0, 0], [1, 0]] },
      end: { cells: [[N - 1, M - 1], [N - 2, M - 1]], weights: [0, 0.5] },
      aggregation: "soft",
      gamma: 0.3,
    },
    N,
    M,
  );
  const ref = runGraphReference(C, big), fast = runGraph(C, big);
  assertRelClose(fast.value, ref.value, 1e-12, "60 × 45");
  for (let p = 0; p < ref.H.length; p++) {
    assert(Math.abs(fast.H[p] - ref.H[p]) <= 1e-11 * Math.max(1, Math.abs(ref.H[p])), `H[${p}]`);
  }
});

Deno.test("runGraph: the WebAssembly kernel equals the reference on larger graphs with start and end cells inside (1 to 5 steps, global and per-cell weights)", () => {
  const rand = lcg(77);
  const stepSets: [number, number][][] = [
    [[1, 1]],
    [[1, 0], [0, 1]],
    [[1, 0], [0, 1], [1, 2]],
    [[1, 0], [0, 1], [1, 1], [2, 1]],
    [[1, 0], [0, 1], [1, 1], [1, 2], [2, 1]],
  ];
  for (const steps of stepSets) {
    for (const local of [false, true]) {
      const N = 23 + Math.floor(rand() * 20), M = 19 + Math.floor(rand() * 20);
      const C = { data: Float64Array.from({ length: N * M }, () => 2 * rand()), rows: N, cols: M };
      const cells = (p: number) =>
        Array.from({ length: N * M }, (_, q) => q).filter((q) => q === 0 || rand() < p)
          .map((q): [number, number] => [Math.floor(q / M), q % M]);
      const starts = cells(0.05), ends = [...cells(0.03), [N - 1, M - 1] as [number, number]];
      const g = resolveGraph(
        {
          steps,
          ...(local
            ? {
              localStepWeights: Float64Array.from(
                { length: N * M * steps.length },
                () => rand() < 0.05 ? Infinity : 0.5 + rand(),
              ),
            }
            : { stepWeights: steps.map(() => 0.5 + rand()) }),
          start: { cells: starts, weights: starts.map(() => rand() * 2) },
          end: { cells: ends, weights: ends.map(() => rand()) },
          aggregation: "soft",
          gamma: 0.2 + rand(),
        },
        N,
        M,
      );
      const ref = runGraphReference(C, g), fast = runGraph(C, g, true);
      const msg = `${JSON.stringify(steps)} local=${local} ${N} × ${M}`;
      assert(!("D" in fast), `${msg}: the kernel ran (not the reference fallback)`);
      assertRelClose(fast.value, ref.value, 1e-12, msg);
      for (let p = 0; p < ref.H.length; p++) {
        const scale = Math.max(1, Math.abs(ref.H[p]));
        assert(Math.abs(fast.H[p] - ref.H[p]) <= 1e-11 * scale, `${msg}: H[${p}]`);
        assert(Math.abs(fast.E![p] - ref.E[p]) <= 1e-11 * Math.max(1, ref.E[p]), `${msg}: E[${p}]`);
      }
    }
  }
});
