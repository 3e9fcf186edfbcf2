import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  checkSchedule,
  ctc64,
  diagonalPrior,
  scheduleAt,
  scheduleEnd,
  weightedSoftDtw64,
} from "./losses64.ts";
import { createWorkspace, softDtwKernel } from "../align/soft_dtw.ts";
import { mulberry32 } from "./random.ts";

/** Every monotone path of a rows × cols grid with its step kinds (0 row, 1 col, 2 diag). */
function paths(rows: number, cols: number): { cells: [number, number][]; steps: number[] }[] {
  const out: { cells: [number, number][]; steps: number[] }[] = [];
  const walk = (cells: [number, number][], steps: number[]) => {
    const [i, j] = cells[cells.length - 1];
    if (i === rows - 1 && j === cols - 1) {
      out.push({ cells: cells.slice(), steps: steps.slice() });
      return;
    }
    const moves: [number, number, number][] = [[1, 0, 0], [0, 1, 1], [1, 1, 2]];
    for (const [di, dj, kind] of moves) {
      if (i + di < rows && j + dj < cols) {
        cells.push([i + di, j + dj]);
        steps.push(kind);
        walk(cells, steps);
        cells.pop();
        steps.pop();
      }
    }
  };
  walk([[0, 0]], [2]); // the first cell is entered diagonally from the virtual origin
  return out;
}

function bruteWeighted(
  C: number[][],
  gamma: number,
  w: [number, number, number],
): number {
  const costs = paths(C.length, C[0].length).map((p) =>
    p.cells.reduce((s, [i, j], k) => s + w[p.steps[k]] * C[i][j], 0)
  );
  const mn = Math.min(...costs);
  return mn - gamma * Math.log(costs.reduce((s, c) => s + Math.exp(-(c - mn) / gamma), 0));
}

function randomMatrix(rows: number, cols: number, seed: number): number[][] {
  const r = mulberry32(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => 2 * r()));
}

Deno.test("weightedSoftDtw64 equals brute force over every path, for several step weights", () => {
  const weights: [number, number, number][] = [[1, 1, 1], [0, 1, 1], [1, 1, 2], [1, 0, 1]];
  for (const w of weights) {
    for (const gamma of [0.01, 0.3, 1, 10]) {
      for (const [rows, cols, seed] of [[3, 3, 1], [4, 2, 2], [2, 5, 3]]) {
        const C = randomMatrix(rows, cols, seed);
        const v = weightedSoftDtw64({
          cost: new Float64Array(C.flat()),
          rows,
          cols,
          gamma,
          stepWeights: w,
          grad: null,
        });
        assertAlmostEquals(v, bruteWeighted(C, gamma, w), 1e-10, `w ${w} γ ${gamma}`);
      }
    }
  }
});

Deno.test("weightedSoftDtw64 gradient matches central finite differences", () => {
  for (const w of [[0, 1, 1], [1, 1, 2], [1, 1, 1]] as [number, number, number][]) {
    const rows = 6, cols = 4, gamma = 0.5;
    const C = new Float64Array(randomMatrix(rows, cols, 7).flat());
    const grad = new Float64Array(rows * cols);
    weightedSoftDtw64({ cost: C, rows, cols, gamma, stepWeights: w, grad });
    const h = 1e-6;
    for (let k = 0; k < C.length; k++) {
      const plus = C.slice(), minus = C.slice();
      plus[k] += h;
      minus[k] -= h;
      const f = (c: Float64Array) =>
        weightedSoftDtw64({ cost: c, rows, cols, gamma, stepWeights: w, grad: null });
      assertAlmostEquals(grad[k], (f(plus) - f(minus)) / (2 * h), 1e-7, `w ${w} cell ${k}`);
    }
  }
});

Deno.test("weightedSoftDtw64 with [1, 1, 1] is the plain soft-DTW kernel", () => {
  const rows = 30, cols = 7, gamma = 0.3;
  const C = new Float64Array(randomMatrix(rows, cols, 11).flat());
  const g1 = new Float64Array(rows * cols), g2 = new Float64Array(rows * cols);
  const v1 = weightedSoftDtw64({ cost: C, rows, cols, gamma, stepWeights: [1, 1, 1], grad: g1 });
  const v2 = softDtwKernel({
    cost: C,
    costOffset: 0,
    costStride: cols,
    rows,
    cols,
    gamma,
    grad: g2,
    gradOffset: 0,
    gradStride: cols,
    workspace: createWorkspace({ maxCells: rows * cols, maxCols: cols }),
  });
  assertAlmostEquals(v1, v2, 1e-10);
  for (let k = 0; k < g1.length; k++) assertAlmostEquals(g1[k], g2[k], 1e-10);
});

/** CTC by brute force: every frame labelling whose collapse is the target. */
function bruteCtc(
  logProbs: number[][],
  labels: number[],
  blank: number,
  penalty = 0,
): number {
  const T = logProbs.length, K = logProbs[0].length;
  let total = 0;
  const pi = new Array<number>(T).fill(0);
  const collapse = (p: number[]) => {
    const out: number[] = [];
    p.forEach((c, t) => {
      if (c !== blank && (t === 0 || p[t - 1] !== c)) out.push(c);
    });
    return out;
  };
  for (let code = 0; code < K ** T; code++) {
    let x = code;
    for (let t = 0; t < T; t++) {
      pi[t] = x % K;
      x = Math.floor(x / K);
    }
    const y = collapse(pi);
    if (y.length !== labels.length || y.some((c, i) => c !== labels[i])) continue;
    total += Math.exp(
      pi.reduce((s, c, t) => s + logProbs[t][c] - (c === blank ? penalty : 0), 0),
    );
  }
  return -Math.log(total);
}

function randomLogSoftmax(T: number, K: number, seed: number): number[][] {
  const r = mulberry32(seed);
  return Array.from({ length: T }, () => {
    const z = Array.from({ length: K }, () => 3 * r() - 1.5);
    const m = Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
    return z.map((v) => v - m);
  });
}

Deno.test("ctc64 equals the brute-force sum over every frame labelling", () => {
  const cases: [number, number[], number][] = [
    [5, [0, 1], 1],
    [5, [1, 1], 2],
    [6, [0, 2, 0], 3],
    [4, [], 4],
    [4, [2], 5],
  ];
  for (const [T, labels, seed] of cases) {
    const lp = randomLogSoftmax(T, 4, seed);
    for (const penalty of [0, 0.7]) {
      const v = ctc64({
        logProbs: new Float64Array(lp.flat()),
        frames: T,
        classes: 4,
        labels,
        blank: 3,
        blankPenalty: penalty,
        grad: null,
      });
      assertAlmostEquals(v, bruteCtc(lp, labels, 3, penalty), 1e-10, `${labels} λ ${penalty}`);
    }
  }
});

Deno.test("ctc64 of uniform probabilities is T·log K minus the log number of alignments", () => {
  // target [0, 1] in 4 frames with classes {0, 1, blank}: count the labellings by hand:
  // the collapse to "01" of 4 frames: 0 and 1 runs with optional blanks around/between.
  let count = 0;
  for (let code = 0; code < 81; code++) {
    const p = [code % 3, Math.floor(code / 3) % 3, Math.floor(code / 9) % 3, Math.floor(code / 27)];
    const y = p.filter((c, t) => c !== 2 && (t === 0 || p[t - 1] !== c));
    if (y.length === 2 && y[0] === 0 && y[1] === 1) count++;
  }
  const v = ctc64({
    logProbs: new Float64Array(12).fill(-Math.log(3)),
    frames: 4,
    classes: 3,
    labels: [0, 1],
    blank: 2,
    grad: null,
  });
  assertAlmostEquals(v, 4 * Math.log(3) - Math.log(count), 1e-12);
});

Deno.test("ctc64 gradient matches finite differences and is minus the class occupancy", () => {
  const T = 7, K = 4;
  const lp = new Float64Array(randomLogSoftmax(T, K, 9).flat());
  const labels = [0, 2, 2, 1];
  const grad = new Float64Array(T * K);
  const posterior = new Float64Array(T * 9);
  const f = (x: Float64Array) =>
    ctc64({ logProbs: x, frames: T, classes: K, labels, blank: 3, blankPenalty: 0.3, grad: null });
  ctc64({
    logProbs: lp,
    frames: T,
    classes: K,
    labels,
    blank: 3,
    blankPenalty: 0.3,
    grad,
    posterior,
  });
  const h = 1e-6;
  for (let k = 0; k < lp.length; k++) {
    const plus = lp.slice(), minus = lp.slice();
    plus[k] += h;
    minus[k] -= h;
    assertAlmostEquals(grad[k], (f(plus) - f(minus)) / (2 * h), 1e-7, `entry ${k}`);
  }
  for (let t = 0; t < T; t++) {
    let s = 0, g = 0;
    for (let q = 0; q < 9; q++) s += posterior[t * 9 + q];
    for (let k = 0; k < K; k++) g += grad[t * K + k];
    assertAlmostEquals(s, 1, 1e-12);
    assertAlmostEquals(g, -1, 1e-12);
  }
});

Deno.test("ctc64 rejects impossible targets and bad labels with the reason", () => {
  const lp = new Float64Array(3 * 3).fill(-Math.log(3));
  const base = { logProbs: lp, frames: 3, classes: 3, blank: 2, grad: null };
  assertThrows(() => ctc64({ ...base, labels: [0, 1, 0, 1] }), RangeError, "needs at least 4");
  assertThrows(() => ctc64({ ...base, labels: [0, 0, 0] }), RangeError, "repeat");
  assertThrows(() => ctc64({ ...base, labels: [2] }), RangeError, "other than the blank");
  assertThrows(() => ctc64({ ...base, labels: [5] }), RangeError, "classes 0..2");
  // a repeat that fits: 0 ε 0 in 3 frames
  assert(Number.isFinite(ctc64({ ...base, labels: [0, 0] })));
});

Deno.test("schedules: hand values, end value and validation", () => {
  const s = { from: 10, to: 0.3, start: 10, end: 50 };
  assertEquals(scheduleAt(s, 1), 10);
  assertEquals(scheduleAt(s, 10), 10);
  assertAlmostEquals(scheduleAt(s, 30), 10 - 9.7 * 20 / 40, 1e-12); // 5.15
  assertEquals(scheduleAt(s, 50), 0.3);
  assertEquals(scheduleAt(s, 300), 0.3);
  assertEquals(scheduleAt(2, 7), 2);
  assertEquals(scheduleEnd(s), 0.3);
  const w = { from: 3, to: 0, start: 1, end: 31 };
  assertAlmostEquals(scheduleAt(w, 16), 1.5, 1e-12);
  const opts = { name: "gamma", epochs: 300, valueOk: (v: number) => v > 0, rule: "> 0" };
  assertEquals(checkSchedule(s, opts), s);
  assertThrows(() => checkSchedule({ ...s, to: 0 }, opts), RangeError, "gamma.to");
  assertThrows(() => checkSchedule({ ...s, end: 400 }, opts), RangeError, "within the 300");
  assertThrows(() => checkSchedule({ ...s, end: 5 }, opts), RangeError, "gamma.end");
  assertThrows(() => checkSchedule({ ...s, start: 0 }, opts), RangeError, "gamma.start");
  assertThrows(() => checkSchedule(-1, opts), RangeError, "gamma must be");
  assertThrows(
    () => checkSchedule({ ...s, slope: 1 } as unknown as typeof s, opts),
    TypeError,
    "unknown field",
  );
});

Deno.test("diagonalPrior: 1 on each element's share, Gaussian falloff by hand", () => {
  const P = diagonalPrior({ rows: 4, cols: 2, nu: 1 });
  // shares: element 0 frames [0, 2], element 1 [2, 4]; centres 0.5, 1.5, 2.5, 3.5
  assertEquals([P[0], P[2], P[5], P[7]], [1, 1, 1, 1]);
  assertAlmostEquals(P[1], Math.exp(-(1.5 ** 2) / 2), 1e-15); // frame 0 vs element 1
  assertAlmostEquals(P[3], Math.exp(-(0.5 ** 2) / 2), 1e-15); // frame 1 vs element 1
  assertAlmostEquals(P[6], Math.exp(-(1.5 ** 2) / 2), 1e-15); // frame 3 vs element 0
  assertThrows(() => diagonalPrior({ rows: 4, cols: 2, nu: 0 }), RangeError, "nu");
});
