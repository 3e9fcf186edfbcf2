import { assert, assertEquals, assertThrows } from "@std/assert";
import { alignGraph, graphAlignment } from "./graph.ts";
import {
  alignGraphBatch64,
  ctcAlignGraph,
  ctcCost,
  partialMatching,
  partialMatchingGraph,
  smoothDtw,
  softDtwGraph,
  sparseDtw,
  subsequenceGraph,
  subsequenceSoftDtw,
} from "./presets.ts";
import { softDtwValueAndGrad } from "./soft_dtw.ts";
import { dtw } from "./dtw.ts";
import { squaredEuclideanCost } from "./cost.ts";
import { addDiagonalPrior } from "./prior.ts";
import { softDtwDivergence } from "./divergence.ts";
import { ctcLoss } from "./ctc.ts";
import type { StepWeights } from "./options.ts";
import { bruteForceGraph } from "./_graph_brute_force.ts";
import { assertRelClose, lcg, randomMatrix } from "./test_helpers_test.ts";

/** The stated bound between a preset through the graph and the library's own kernels. */
const PRESET_TOLERANCE = 1e-12;

function assertMatrixClose(a: number[][], b: number[][], tol: number, msg: string) {
  a.forEach((row, i) =>
    row.forEach((v, j) =>
      assert(
        Math.abs(v - b[i][j]) <= tol * Math.max(1, Math.abs(b[i][j])),
        `${msg}[${i}][${j}]: ${v} vs ${b[i][j]}`,
      )
    )
  );
}

Deno.test("preset soft-DTW (step weights, band) through the graph equals softDtwValueAndGrad", () => {
  const rand = lcg(31);
  const weights: StepWeights[] = [[1, 1, 1], [1, 1, 2], [0, 1, 1], [2, 0.5, 1]];
  for (let t = 0; t < 60; t++) {
    const rows = 1 + Math.floor(rand() * 9), cols = 1 + Math.floor(rand() * 9);
    const cost = randomMatrix(rows, cols, rand, 2);
    const gamma = [1e-3, 0.3, 1, 1e3][t % 4];
    const stepWeights = weights[t % weights.length];
    const band = t % 3 === 0 ? Math.floor(rand() * 3) : undefined;
    const want = softDtwValueAndGrad(cost, { gamma, stepWeights, band });
    // the reference dynamic program (graphAlignment; alignGraph runs the kernel on this graph)
    const ref = graphAlignment(cost, softDtwGraph(rows, cols, { gamma, stepWeights, band }));
    const grad = Array.from(
      { length: rows },
      (_, i) => Array.from(ref.H.data.subarray(i * cols, (i + 1) * cols)),
    );
    const msg = `${rows}×${cols} γ=${gamma} w=${stepWeights} band=${band}`;
    assertRelClose(ref.value, want.value, PRESET_TOLERANCE, msg);
    assertMatrixClose(grad, want.grad, 1e-10, msg);
    // alignGraph's fast path (no band) or reference (band) agrees with both
    const fast = alignGraph(cost, softDtwGraph(rows, cols, { gamma, stepWeights, band }));
    assertRelClose(fast.value, want.value, PRESET_TOLERANCE, msg);
    assertMatrixClose(fast.grad, grad, 1e-10, msg);
  }
});

Deno.test("preset DTW (hard) equals dtw; prior and divergence are the graph on their costs", () => {
  const rand = lcg(32);
  for (let t = 0; t < 30; t++) {
    const cost = randomMatrix(1 + (t % 6), 1 + ((t * 7) % 5), rand, 2);
    const hard = alignGraph(
      cost,
      softDtwGraph(cost.length, cost[0].length, { aggregation: "hard" }),
    );
    assertRelClose(hard.value, dtw(cost).value, 1e-15, `dtw ${t}`);
    const prior = addDiagonalPrior(cost, { weight: 0.7 });
    assertRelClose(
      graphAlignment(prior, softDtwGraph(cost.length, cost[0].length, { gamma: 0.3 })).value,
      softDtwValueAndGrad(prior, { gamma: 0.3 }).value,
      PRESET_TOLERANCE,
      `prior ${t}`,
    );
  }
  const x = [[0], [1], [0.5]], y = [[0.2], [1.1]];
  const g = (a: number[][], b: number[][]) =>
    graphAlignment(squaredEuclideanCost(a, b), softDtwGraph(a.length, b.length, { gamma: 0.5 }))
      .value;
  assertRelClose(
    softDtwDivergence(x, y, { gamma: 0.5 }).value,
    g(x, y) - g(x, x) / 2 - g(y, y) / 2,
    1e-12,
    "divergence",
  );
});

Deno.test("preset CTC through the graph equals ctcLoss (value and gradient)", () => {
  const rand = lcg(33);
  for (const labels of [[], [1], [1, 1], [1, 2, 1], [2, 2, 3]]) {
    for (const T of [3, 5, 7]) {
      const K = 4;
      const lp = Array.from({ length: T }, () => {
        const x = Array.from({ length: K }, () => 3 * rand());
        const lse = Math.log(x.reduce((s, v) => s + Math.exp(v), 0));
        return x.map((v) => v - lse);
      });
      if (T < labels.length + labels.filter((l, i) => l === labels[i - 1]).length) continue;
      const want = ctcLoss(lp, labels, { blank: 0 });
      const { graph, extended } = ctcAlignGraph(labels, { blank: 0, frames: T, classes: K });
      const got = alignGraph(ctcCost(lp, extended), graph);
      assertRelClose(got.value, want.value, 1e-12, `ctc [${labels}] T=${T}`);
      const grad = lp.map((row, t) =>
        row.map((_, k) => -extended.reduce((s, e, j) => s + (e === k ? got.grad[t][j] : 0), 0))
      );
      assertMatrixClose(grad, want.grad, 1e-10, `ctc grad [${labels}] T=${T}`);
    }
  }
  // CTC normalized by the target length
  const lp = [[Math.log(0.6), Math.log(0.4)], [Math.log(0.5), Math.log(0.5)]];
  const plain = ctcLoss(lp, [1], { blank: 0 }).value;
  assertEquals(ctcLoss(lp, [1], { blank: 0, normalize: "target" }).value, plain / 1);
  assertThrows(
    () => ctcLoss(lp, [1], { blank: 0, normalize: "rows" as "target" }),
    RangeError,
    "normalize",
  );
});

Deno.test("subsequenceGraph: boundary sets hold every cell of the docs, corners included", () => {
  const g = subsequenceGraph(3, 2, { gamma: 1 });
  assertEquals(g.start.cells, [[0, 0], [1, 0], [2, 0]]);
  assertEquals(g.end.cells, [[2, 1], [0, 1], [1, 1]]);
  const both = subsequenceGraph(2, 3, { gamma: 1, along: "both", compensate: true });
  const start = new Map(both.start.cells.map((c, k) => [`${c}`, both.start.weights![k]]));
  const end = new Map(both.end.cells.map((c, k) => [`${c}`, both.end.weights![k]]));
  assertEquals(start, new Map([["0,0", 1], ["1,0", 2], ["0,1", 2], ["0,2", 3]]));
  assertEquals(end, new Map([["1,2", 0], ["0,2", 1], ["1,0", 2], ["1,1", 1]]));
});

Deno.test("hard subsequence DTW equals the best DTW over every range of rows (and columns)", () => {
  const rand = lcg(34);
  for (let t = 0; t < 40; t++) {
    const rows = 1 + Math.floor(rand() * 6), cols = 1 + Math.floor(rand() * 4);
    const cost = randomMatrix(rows, cols, rand, 2);
    let best = Infinity;
    for (let a = 0; a < rows; a++) {
      for (let b = a; b < rows; b++) best = Math.min(best, dtw(cost.slice(a, b + 1)).value);
    }
    const got = subsequenceSoftDtw(cost, { aggregation: "hard" });
    assertRelClose(got.value, best, 1e-14, `rows ${t}`);
    const transposed = cost[0].map((_, j) => cost.map((r) => r[j]));
    const cols_ = subsequenceSoftDtw(transposed, { aggregation: "hard", along: "cols" });
    assertRelClose(cols_.value, best, 1e-14, `cols ${t}`);
  }
});

Deno.test("soft subsequence DTW, with and without compensation, equals brute force over every path", () => {
  const rand = lcg(35);
  for (let t = 0; t < 40; t++) {
    const rows = 1 + Math.floor(rand() * 5), cols = 1 + Math.floor(rand() * 5);
    const cost = randomMatrix(rows, cols, rand, 2);
    for (const along of ["rows", "cols", "both"] as const) {
      const options = {
        gamma: 0.4,
        along,
        compensate: t % 2 === 0,
        stepWeights: [1, 2, 1] as const,
      };
      const want = bruteForceGraph(cost, subsequenceGraph(rows, cols, options));
      const got = subsequenceSoftDtw(cost, options);
      assertRelClose(got.value, want.value, 1e-12, `${along} ${t}`);
      assertMatrixClose(got.grad, want.grad, 1e-10, `${along} ${t}`);
      // normalization divides value and gradient
      const n = subsequenceSoftDtw(cost, { ...options, normalize: "rowsCols" });
      assertRelClose(n.value, got.value / (rows * cols), 1e-15, "normalized");
    }
  }
});

Deno.test("hard partial matching equals the best strictly increasing chain of cells (every subset)", () => {
  const rand = lcg(36);
  for (let t = 0; t < 40; t++) {
    const rows = 1 + Math.floor(rand() * 3), cols = 1 + Math.floor(rand() * 4);
    const cost = randomMatrix(rows, cols, rand, 2).map((r) => r.map((v) => v - 1));
    let best = Infinity;
    for (let mask = 1; mask < 1 << (rows * cols); mask++) {
      const cells: number[][] = [];
      for (let p = 0; p < rows * cols; p++) {
        if (mask & (1 << p)) cells.push([Math.floor(p / cols), p % cols]);
      }
      const chain = cells.every((c, k) =>
        k === 0 || (c[0] > cells[k - 1][0] && c[1] > cells[k - 1][1])
      );
      if (chain) best = Math.min(best, cells.reduce((s, [i, j]) => s + cost[i][j], 0));
    }
    assertRelClose(partialMatching(cost).value, best, 1e-14, `partial matching ${t}`);
    // soft partial matching: brute force over every path
    const graph = partialMatchingGraph(rows, cols, { aggregation: "soft", gamma: 0.5 });
    const want = bruteForceGraph(cost, graph);
    const got = partialMatching(cost, { aggregation: "soft", gamma: 0.5 });
    assertRelClose(got.value, want.value, 1e-12, `soft pm ${t}`);
    assertMatrixClose(got.grad, want.grad, 1e-10, `soft pm ${t}`);
  }
});

Deno.test("smoothDtw and sparseDtw: γ → 0 is DTW; sparse gives exact zeros far from the best path", () => {
  const rand = lcg(37);
  for (let t = 0; t < 20; t++) {
    const cost = randomMatrix(1 + (t % 5), 1 + ((t * 3) % 4), rand, 2);
    const d = dtw(cost).value;
    assert(Math.abs(smoothDtw(cost, { gamma: 1e-9 }).value - d) < 1e-6);
    assert(Math.abs(sparseDtw(cost, { gamma: 1e-9 }).value - d) < 1e-6);
  }
  const { grad } = sparseDtw([[0, 5], [5, 0]], { gamma: 1 });
  assertEquals(grad, [[1, 0], [0, 1]]);
  const soft = softDtwValueAndGrad([[0, 5], [5, 0]], { gamma: 1 }).grad;
  assert(soft[0][1] > 0, "soft-DTW puts mass everywhere, sparse DTW does not");
});

Deno.test("alignGraphBatch64: per-pair lengths equal the pairs one by one; E of graphAlignment", () => {
  const rand = lcg(38);
  const B = 3, MR = 5, MC = 4;
  const cost = Float64Array.from({ length: B * MR * MC }, () => 2 * rand());
  const rowLengths = [5, 2, 3], colLengths = [4, 4, 1];
  const make = (r: number, c: number) => subsequenceGraph(r, c, { gamma: 0.3, along: "both" });
  const { values, grads } = alignGraphBatch64({
    cost,
    batch: B,
    maxRows: MR,
    maxCols: MC,
    rowLengths,
    colLengths,
    graph: make,
    normalize: "rows",
  });
  for (let b = 0; b < B; b++) {
    const m = Array.from(
      { length: rowLengths[b] },
      (_, i) =>
        Array.from(cost.subarray(b * MR * MC + i * MC, b * MR * MC + i * MC + colLengths[b])),
    );
    const one = alignGraph(m, make(rowLengths[b], colLengths[b]));
    assertEquals(values[b], one.value / rowLengths[b]);
    for (let i = 0; i < MR; i++) {
      for (let j = 0; j < MC; j++) {
        const inside = i < rowLengths[b] && j < colLengths[b];
        assertEquals(grads[b * MR * MC + i * MC + j], inside ? one.grad[i][j] / rowLengths[b] : 0);
      }
    }
  }
  // E of soft-DTW sums to at least 1 per row (every row is visited) and H = E for unit weights
  const C = randomMatrix(4, 3, rand, 2);
  const { E, H } = graphAlignment(C, softDtwGraph(4, 3, { gamma: 0.5 }));
  assertEquals(Array.from(E.data), Array.from(H.data));
  assertThrows(
    () =>
      alignGraphBatch64({
        cost,
        batch: B,
        maxRows: MR,
        maxCols: MC,
        graph: make,
        normalize: "x" as "none",
      }),
    RangeError,
    "normalize",
  );
});
