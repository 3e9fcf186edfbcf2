import { assertEquals, assertThrows } from "@std/assert";
import { estimateSelfTransition, viterbiSmooth } from "./viterbi.ts";
import { mulberry32 } from "../random.ts";

/** Brute force: the score of every one of the K^T state paths, the best one returned. */
function bruteForce(lp: Float64Array[], p: number): { path: number[]; score: number } {
  const T = lp.length, K = lp[0].length;
  const logA = (i: number, j: number) => Math.log(i === j ? p : (1 - p) / (K - 1));
  let best = { path: [] as number[], score: -Infinity };
  const path = new Array(T).fill(0);
  for (let code = 0; code < K ** T; code++) {
    let c = code;
    for (let t = 0; t < T; t++) {
      path[t] = c % K;
      c = Math.floor(c / K);
    }
    let score = lp[0][path[0]];
    for (let t = 1; t < T; t++) score += logA(path[t - 1], path[t]) + lp[t][path[t]];
    if (score > best.score) best = { path: [...path], score };
  }
  return best;
}

function pathScore(lp: Float64Array[], path: ArrayLike<number>, p: number): number {
  const K = lp[0].length;
  let s = lp[0][path[0]];
  for (let t = 1; t < lp.length; t++) {
    s += Math.log(path[t] === path[t - 1] ? p : (1 - p) / (K - 1)) + lp[t][path[t]];
  }
  return s;
}

function randomLogProbs(rand: () => number, T: number, K: number): Float64Array[] {
  return Array.from({ length: T }, () => {
    const e = Array.from({ length: K }, () => Math.exp(3 * rand()));
    const z = e.reduce((a, b) => a + b, 0);
    return Float64Array.from(e, (v) => Math.log(v / z));
  });
}

Deno.test("viterbiSmooth finds the best of all K^T state paths (brute force)", () => {
  const rand = mulberry32(19);
  let checked = 0;
  for (const [T, K] of [[1, 3], [2, 2], [5, 3], [6, 4], [7, 2], [4, 5]]) {
    for (const p of [0.05, 0.3, 0.5, 0.8, 0.97]) {
      for (let trial = 0; trial < 4; trial++) {
        const lp = randomLogProbs(rand, T, K);
        const want = bruteForce(lp, p);
        const got = viterbiSmooth(lp, { selfTransition: p });
        assertEquals(Array.from(got), want.path, `T=${T} K=${K} p=${p}`);
        const diff = Math.abs(pathScore(lp, got, p) - want.score);
        if (diff > 1e-12) throw new Error(`score differs by ${diff}`);
        checked++;
      }
    }
  }
  assertEquals(checked, 120);
});

Deno.test("viterbiSmooth: self-transition 1/K is frame-wise argmax; near 1 one state", () => {
  const rand = mulberry32(7);
  const lp = randomLogProbs(rand, 40, 4);
  const argmax = lp.map((r) => r.indexOf(Math.max(...r)));
  // with p = 1/K every transition has the same probability: the path is the frame-wise argmax
  assertEquals(Array.from(viterbiSmooth(lp, { selfTransition: 0.25 })), argmax);
  const flat = viterbiSmooth(lp, { selfTransition: 1 - 1e-12 });
  assertEquals(new Set(flat).size, 1);
});

Deno.test("viterbiSmooth: −Infinity emissions are never visited; long input stays finite", () => {
  const lp = Array.from(
    { length: 5000 },
    (_, t) => Float64Array.from([t % 7 === 0 ? -Infinity : -0.1, -2.5, -3]),
  );
  const path = viterbiSmooth(lp, { selfTransition: 0.999 });
  for (let t = 0; t < path.length; t += 7) assertEquals(path[t] === 0, false);
  assertEquals(viterbiSmooth([], {}).length, 0);
});

Deno.test("viterbiSmooth rejects bad input with a named error", () => {
  const ok = Float64Array.from([-1, -2]);
  assertThrows(() => viterbiSmooth([ok], { selfTransition: 1.5 }), RangeError, "selfTransition");
  assertThrows(() => viterbiSmooth([ok, Float64Array.from([-1])]), RangeError, "frame 1");
  assertThrows(() => viterbiSmooth([Float64Array.from([NaN, 0])]), RangeError, "logProbs[0][0]");
  assertThrows(
    () => viterbiSmooth([Float64Array.from([-Infinity, -Infinity])]),
    RangeError,
    "no finite",
  );
});

Deno.test("estimateSelfTransition counts kept labels over all steps", () => {
  // steps: 4 in the first (one change), 1 in the second (none), 0 in the third
  assertEquals(estimateSelfTransition([[0, 0, 0, 1, 1], [2, 2], [5]]), 1 - 1 / 5);
  assertThrows(() => estimateSelfTransition([[1]]), RangeError, "no frame-to-frame step");
});
