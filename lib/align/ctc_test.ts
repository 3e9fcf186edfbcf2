import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  ctcAlignment,
  ctcBatch64,
  ctcExtendedLabels,
  ctcGraph,
  ctcLoss,
  ctcMinFrames,
} from "./ctc.ts";
import { bruteForceCtc, ctcCollapse, gravesCtc } from "./ctc_reference.ts";
import { lcg } from "./test_helpers_test.ts";

/** Random T x K log-probabilities; normalized (log-softmax) unless `free`. */
function randomLogProbs(T: number, K: number, rand: () => number, free = false, scale = 3) {
  return Array.from({ length: T }, () => {
    const x = Array.from({ length: K }, () => scale * (rand() - 0.5));
    if (free) return x;
    const mx = Math.max(...x);
    const lse = mx + Math.log(x.reduce((s, v) => s + Math.exp(v - mx), 0));
    return x.map((v) => v - lse);
  });
}

function assertMatrixClose(a: number[][], b: number[][], tol: number, msg: string) {
  assertEquals(a.length, b.length, msg);
  a.forEach((row, i) =>
    row.forEach((v, j) => assertAlmostEquals(v, b[i][j], tol, `${msg} [${i}][${j}]`))
  );
}

const TARGETS: number[][] = [[], [1], [2, 1], [1, 1], [1, 2, 1], [2, 2, 2], [1, 2, 3], [3, 3]];

Deno.test("CTC through the DP graph equals brute force over every frame labeling", () => {
  const rand = lcg(21);
  for (const K of [3, 4]) {
    for (const T of [1, 2, 3, 4, 5, 6]) {
      for (const target of TARGETS) {
        if (target.some((l) => l >= K) || ctcMinFrames(target) > T) continue;
        for (const free of [false, true]) {
          const lp = randomLogProbs(T, K, rand, free);
          const bf = bruteForceCtc(lp, target, { blank: 0 });
          const r = ctcLoss(lp, target, { blank: 0, checkLogProbs: !free });
          const tag = `T=${T} K=${K} y=[${target}] free=${free}`;
          assertAlmostEquals(r.value, bf.value, 1e-10, tag);
          assertMatrixClose(r.grad, bf.grad, 1e-10, tag);
        }
      }
    }
  }
});

Deno.test("CTC through the DP graph equals Graves' scaled forward-backward (value, posterior)", () => {
  const rand = lcg(22);
  for (
    const [T, K, target] of [
      [30, 5, [1, 2, 2, 3, 4, 1]],
      [50, 25, [3, 7, 7, 24, 1, 3, 9]],
      [12, 3, [1, 1, 1, 1, 1, 1]],
      [8, 4, []],
      [150, 25, [5, 9, 1, 1, 12, 20, 5, 9, 24, 2, 13, 6, 6, 18, 11, 3]],
    ] as [number, number, number[]][]
  ) {
    for (const free of [false, true]) {
      const lp = randomLogProbs(T, K, rand, free, 6);
      const ref = gravesCtc(lp, target, { blank: 0 });
      const r = ctcAlignment(lp, target, { blank: 0, checkLogProbs: !free });
      const tag = `T=${T} L=${target.length} free=${free}`;
      assertAlmostEquals(r.value, ref.value, 1e-9 * Math.max(1, Math.abs(ref.value)), tag);
      assertMatrixClose(r.occupancy, ref.posterior, 1e-9, `posterior ${tag}`);
      assertMatrixClose(r.grad, ref.grad, 1e-9, `grad ${tag}`);
    }
  }
});

Deno.test("CTC of uniform probabilities is T·log K − log(number of valid labelings)", () => {
  for (const K of [3, 4]) {
    for (const T of [2, 4, 6]) {
      for (const target of TARGETS) {
        if (target.some((l) => l >= K) || ctcMinFrames(target) > T) continue;
        const lp = Array.from({ length: T }, () => new Array(K).fill(-Math.log(K)));
        // count the labelings that collapse to the target, by enumeration
        let count = 0;
        const pi = new Array<number>(T);
        for (let i = 0; i < K ** T; i++) {
          let r = i;
          for (let t = 0; t < T; t++) {
            pi[t] = r % K;
            r = Math.floor(r / K);
          }
          const c = ctcCollapse(pi, 0);
          if (c.length === target.length && c.every((v, j) => v === target[j])) count++;
        }
        assert(count > 0);
        const { value } = ctcLoss(lp, target, { blank: 0 });
        assertAlmostEquals(value, T * Math.log(K) - Math.log(count), 1e-12, `T=${T} [${target}]`);
      }
    }
  }
});

Deno.test("CTC gradient equals central finite differences of the value (free logProbs)", () => {
  const rand = lcg(23);
  for (
    const [T, K, target, gamma] of [
      [6, 4, [1, 2, 2], 1],
      [7, 3, [2, 1], 1],
      [5, 3, [], 1],
      [6, 4, [3, 1, 3], 0.3],
      [6, 4, [3, 1], 5],
    ] as [number, number, number[], number][]
  ) {
    const lp = randomLogProbs(T, K, rand, true);
    const { grad } = ctcLoss(lp, target, { blank: 0, gamma, checkLogProbs: false });
    const h = 1e-5;
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < K; k++) {
        const p = lp.map((r) => [...r]), m = lp.map((r) => [...r]);
        p[t][k] += h;
        m[t][k] -= h;
        const fd = (ctcLoss(p, target, { blank: 0, gamma, checkLogProbs: false }).value -
          ctcLoss(m, target, { blank: 0, gamma, checkLogProbs: false }).value) / (2 * h);
        assertAlmostEquals(grad[t][k], fd, 1e-7, `[${t}][${k}] y=[${target}] γ=${gamma}`);
      }
    }
  }
});

Deno.test("CTC with a non-zero blank index and an empty target", () => {
  const rand = lcg(24);
  const lp = randomLogProbs(5, 4, rand);
  const r = ctcLoss(lp, [0, 1, 0], { blank: 3 });
  const bf = bruteForceCtc(lp, [0, 1, 0], { blank: 3 });
  assertAlmostEquals(r.value, bf.value, 1e-10);
  assertMatrixClose(r.grad, bf.grad, 1e-10, "blank=3");
  const empty = ctcLoss(lp, [], { blank: 2 });
  assertAlmostEquals(empty.value, -lp.reduce((s, row) => s + row[2], 0), 1e-12);
  empty.grad.forEach((row) => row.forEach((v, k) => assertEquals(v, k === 2 ? -1 : 0)));
  assertEquals(Array.from(ctcExtendedLabels([4, 5], 1)), [1, 4, 1, 5, 1]);
});

Deno.test("CTC is finite for γ from 1e-3 to 1e3, tight targets and extreme log-probabilities", () => {
  const rand = lcg(25);
  for (const gamma of [1e-3, 1e-2, 1, 1e2, 1e3]) {
    for (const scale of [1, 100, 1e4]) {
      const lp = randomLogProbs(20, 6, rand, true, scale);
      for (
        const target of [[], [1], [1, 1, 2, 2, 3, 3, 4, 4, 5, 5], [1, 2, 3, 4, 5, 1, 2, 3, 4, 5]]
      ) {
        const r = ctcAlignment(lp, target, { blank: 0, gamma, checkLogProbs: false });
        assert(Number.isFinite(r.value), `γ=${gamma} scale=${scale} [${target}]`);
        assert(r.grad.every((row) => row.every(Number.isFinite)));
        // each frame's occupancy sums to 1
        r.occupancy.forEach((row) => assertAlmostEquals(row.reduce((s, v) => s + v, 0), 1, 1e-9));
      }
    }
  }
  // T equals the minimum number of frames (one path only): value = -Σ log p along it
  const lp = randomLogProbs(4, 3, rand);
  const r = ctcLoss(lp, [1, 1, 2], { blank: 0 });
  assertAlmostEquals(r.value, -(lp[0][1] + lp[1][0] + lp[2][1] + lp[3][2]), 1e-12);
});

Deno.test("batched CTC with per-item frame counts equals the items one by one", () => {
  const rand = lcg(26);
  const B = 3, T = 7, K = 4;
  const lp = new Float64Array(B * T * K).map(() => -3 * rand());
  const labels = [[1, 2], [], [3, 3, 1]];
  const frameLengths = [7, 3, 5];
  const r = ctcBatch64({
    logProbs: lp,
    batch: B,
    frames: T,
    classes: K,
    labels,
    frameLengths,
    blank: 0,
    withOccupancy: true,
  });
  for (let b = 0; b < B; b++) {
    const rows = Array.from(
      { length: frameLengths[b] },
      (_, t) => Array.from(lp.subarray((b * T + t) * K, (b * T + t + 1) * K)),
    );
    const one = ctcAlignment(rows, labels[b], { blank: 0, checkLogProbs: false });
    assertEquals(r.values[b], one.value);
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < K; k++) {
        assertEquals(r.grads![(b * T + t) * K + k], t < frameLengths[b] ? one.grad[t][k] : 0);
      }
    }
    assertEquals(Array.from(r.occupancies![b]), one.occupancy.flat());
  }
});

Deno.test("CTC rejects bad input with messages that say why", () => {
  const lp = [[0, -1, -2], [-1, 0, -2], [-2, -1, 0]];
  assertThrows(() => ctcLoss(lp, [1, 0], { blank: 0 }), RangeError, "labels[1] is the blank (0)");
  assertThrows(() => ctcLoss(lp, [3], { blank: 0 }), RangeError, "labels[0] is 3");
  assertThrows(() => ctcLoss(lp, [1.5], { blank: 0 }), RangeError, "labels[0] is 1.5");
  assertThrows(() => ctcLoss(lp, [1], { blank: 3 }), RangeError, "blank is 3");
  assertThrows(
    () => ctcLoss(lp, [1, 2, 1, 2], { blank: 0 }),
    RangeError,
    "impossible CTC target: labels has 4 labels so it needs at least 4 frames, but there are only 3",
  );
  assertThrows(
    () => ctcLoss(lp, [1, 1, 2], { blank: 0 }),
    RangeError,
    "1 repeated neighbour(s), each needing a blank between them, so it needs at least 4 frames",
  );
  assertThrows(() => ctcLoss([[0, NaN], [0, 0]], [1], { blank: 0 }), RangeError, "[0][1] is NaN");
  assertThrows(
    () => ctcLoss([[0, -Infinity]], [], { blank: 0 }),
    RangeError,
    "clamp zero probabilities",
  );
  assertThrows(() => ctcLoss([[0, 0], [0]], [1], { blank: 0 }), TypeError, "ragged");
  assertThrows(() => ctcLoss([], [1], { blank: 0 }), RangeError, "empty");
  assertThrows(() => ctcLoss(lp, [1], { blank: 0, gamma: 0 }), RangeError, "gamma");
  assertThrows(
    () =>
      ctcBatch64({
        logProbs: new Float64Array(2 * 2 * 3),
        batch: 2,
        frames: 2,
        classes: 3,
        labels: [[1], [2, 2]],
        blank: 0,
      }),
    RangeError,
    "labels[1] has 2 labels and 1 repeated neighbour(s)",
  );
});

Deno.test("ctcGraph: one graph path per valid labeling (counted by brute force)", () => {
  for (
    const [labels, T] of [[[1, 2], 4], [[1, 1], 4], [[2, 2, 2], 6], [[], 3], [[1, 2, 1], 5]] as [
      number[],
      number,
    ][]
  ) {
    const g = ctcGraph(labels, { blank: 0, frames: T });
    // count complete paths through the graph's edges
    let ways = new Map<number, number>();
    for (const [t, s] of g.nodes) if (t === 0) ways.set(s, 1);
    for (let t = 0; t + 1 < T; t++) {
      const next = new Map<number, number>();
      for (const [[ta, sa], [, sb]] of g.edges) {
        if (ta === t) next.set(sb, (next.get(sb) ?? 0) + (ways.get(sa) ?? 0));
      }
      ways = next;
    }
    const S = g.extended.length;
    const paths = (ways.get(S - 1) ?? 0) + (S > 1 ? ways.get(S - 2) ?? 0 : 0);
    const lp = Array.from({ length: T }, () => [0, 0, 0]);
    assertEquals(paths, bruteForceCtc(lp, labels, { blank: 0 }).count, `[${labels}] T=${T}`);
  }
});
