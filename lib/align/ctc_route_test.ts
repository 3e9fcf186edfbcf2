import { assert, assertEquals } from "@std/assert";
import { alignGraph, runGraphReference } from "./graph.ts";
import { ctcGraphClasses, isBuiltCtcGraph } from "./_ctc_route.ts";
import { resolveGraph } from "./_graph_check.ts";
import { alignGraphBatch64, ctcAlignGraph } from "./presets.ts";
import type { Matrix64 } from "./cost.ts";
import { assertRelClose, lcg } from "./test_helpers_test.ts";

function ctcCase(labels: number[], T: number, K: number, rand: () => number, gamma: number) {
  const { graph, extended } = ctcAlignGraph(labels, { blank: 0, frames: T, classes: K, gamma });
  const data = new Float64Array(T * extended.length);
  for (let t = 0; t < T; t++) {
    const x = Array.from({ length: K }, () => 3 * rand());
    const lse = Math.log(x.reduce((s, v) => s + Math.exp(v), 0));
    extended.forEach((k, s) => data[t * extended.length + s] = lse - x[k]);
  }
  return { graph, C: { data, rows: T, cols: extended.length } as Matrix64 };
}

function assertMatchesReference(C: Matrix64, graph: Parameters<typeof alignGraph>[1], msg: string) {
  const fast = alignGraph(C, graph);
  const ref = runGraphReference(C, resolveGraph(graph, C.rows, C.cols));
  assertRelClose(fast.value, ref.value, 1e-12, msg);
  for (let p = 0; p < ref.H.length; p++) {
    assert(
      Math.abs(fast.grad.data[p] - ref.H[p]) <= 1e-12 * Math.max(1, Math.abs(ref.H[p])),
      `${msg}: H[${p}] ${fast.grad.data[p]} vs ${ref.H[p]}`,
    );
  }
}

Deno.test("alignGraph routes the CTC graph on CTC emissions to the CTC kernel, equal to the reference to 1e-12", () => {
  const rand = lcg(18);
  let routed = 0;
  for (const labels of [[1], [1, 2], [1, 1], [2, 2, 2, 1, 3, 3], [1, 2, 1, 2], [4, 1, 1, 4, 2]]) {
    for (const gamma of [0.05, 1, 7]) {
      const T = 2 * labels.length + 3;
      const { graph, C } = ctcCase(labels, T, 5, rand, gamma);
      assert(ctcGraphClasses(C, graph) !== null, `${labels} is recognised as CTC`);
      routed++;
      assertMatchesReference(C, graph, `labels ${labels} γ=${gamma}`);
    }
  }
  assertEquals(routed, 18);
});

Deno.test("a graph or cost that is not CTC's runs the general kernel (still equal to the reference)", () => {
  const rand = lcg(19);
  const { graph, C } = ctcCase([1, 1, 2], 9, 4, rand, 1);
  // a repeated label's two columns differ: the CTC kernel would tie them, so the route is refused
  const broken = { ...C, data: C.data.slice() };
  broken.data[3 * C.cols + 3] += 0.25;
  assertEquals(ctcGraphClasses(broken, graph), null);
  assertMatchesReference(broken, graph, "untied repeated label");
  // two blank columns differ
  const blanks = { ...C, data: C.data.slice() };
  blanks.data[2] += 0.5;
  assertEquals(ctcGraphClasses(blanks, graph), null);
  assertMatchesReference(blanks, graph, "untied blanks");
  // a skip weight that is neither 1 nor +∞, an end weight, another start weight
  const local = graph.localStepWeights!.slice();
  local[(4 * C.cols + 5) * 3 + 2] = 2;
  const weighted = { ...graph, localStepWeights: local };
  assertEquals(ctcGraphClasses(C, weighted), null);
  assertMatchesReference(C, weighted, "skip weight 2");
  const endWeighted = { ...graph, end: { ...graph.end, weights: [0.5, 0] } };
  assertEquals(ctcGraphClasses(C, endWeighted), null);
  assertMatchesReference(C, endWeighted, "end weights");
  const startWeighted = { ...graph, start: { ...graph.start, weights: [1, 2] } };
  assertEquals(ctcGraphClasses(C, startWeighted), null);
  assertMatchesReference(C, startWeighted, "start weights");
});

Deno.test("alignGraphBatch64 routes CTC graphs too: each pair equals the reference", () => {
  const rand = lcg(20);
  const labels = [1, 1, 3];
  const Ts = [9, 12, 7];
  const cases = Ts.map((T) => ctcCase(labels, T, 4, rand, 1));
  const S = cases[0].C.cols, maxRows = 12;
  const cost = new Float64Array(Ts.length * maxRows * S);
  cases.forEach(({ C }, b) => cost.set(C.data, b * maxRows * S));
  const { values, grads } = alignGraphBatch64({
    cost,
    batch: Ts.length,
    maxRows,
    maxCols: S,
    rowLengths: Ts,
    graph: (rows) => ctcAlignGraph(labels, { blank: 0, frames: rows, classes: 4 }).graph,
  });
  cases.forEach(({ C, graph }, b) => {
    const ref = runGraphReference(C, resolveGraph(graph, C.rows, C.cols));
    assertRelClose(values[b], ref.value, 1e-12, `pair ${b}`);
    for (let p = 0; p < ref.H.length; p++) {
      const got = grads[b * maxRows * S + p];
      assert(
        Math.abs(got - ref.H[p]) <= 1e-12 * Math.max(1, Math.abs(ref.H[p])),
        `pair ${b} H[${p}]`,
      );
    }
  });
});

Deno.test("the preset's CTC graph is recognised by identity; copies, hand-built and changed graphs are read in full", () => {
  const rand = lcg(21);
  const { graph, C } = ctcCase([1, 1, 2, 3], 11, 4, rand, 1);
  const T = C.rows, S = C.cols;
  assert(isBuiltCtcGraph(graph, T, S), "the preset's own graph");
  assert(isBuiltCtcGraph({ ...graph }, T, S), "a spread copy keeps the identities");
  assert(!isBuiltCtcGraph(graph, T - 1, S), "another frame count");
  assert(Object.isFrozen(graph.steps) && Object.isFrozen(graph.steps[2]), "steps frozen");
  assert(Object.isFrozen(graph.start) && Object.isFrozen(graph.end.cells[0]), "boundaries frozen");
  const classes = ctcGraphClasses(C, graph);
  assert(classes !== null);
  // the same graph built by hand (new arrays everywhere): not known, read in full, same classes
  const hand = {
    ...graph,
    steps: graph.steps.map(([a, b]) => [a, b] as [number, number]),
    localStepWeights: graph.localStepWeights!.slice(),
    start: { cells: graph.start.cells.map(([a, b]) => [a, b] as [number, number]) },
    end: { cells: graph.end.cells.map(([a, b]) => [a, b] as [number, number]) },
  };
  assert(!isBuiltCtcGraph(hand, T, S));
  assertEquals(ctcGraphClasses(C, hand), classes);
  assertMatchesReference(C, hand, "hand-built CTC graph");
  // the preset's array changed in its last frame: no longer taken as built, and refused
  const changed = ctcCase([1, 1, 2, 3], 11, 4, lcg(21), 1).graph;
  changed.localStepWeights![((T - 1) * S + 4) * 3] = 2;
  assert(!isBuiltCtcGraph(changed, T, S));
  assertEquals(ctcGraphClasses(C, changed), null);
  assertMatchesReference(C, changed, "stay weight 2 in the last frame");
  // untied repeated-label columns are refused on the identity path too
  const broken = { ...C, data: C.data.slice() };
  broken.data[5 * S + 3] += 0.125;
  assert(isBuiltCtcGraph(graph, T, S));
  assertEquals(ctcGraphClasses(broken, graph), null);
  assertMatchesReference(broken, graph, "untied repeated label, preset graph");
});
