import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { squaredEuclideanCost } from "./cost.ts";
import { bruteForceSoftDtw } from "./brute_force.ts";
import { softDtwDivergence, softDtwDivergenceBatch64 } from "./divergence.ts";
import { lcg } from "./test_helpers_test.ts";

const seq = (n: number, k: number, rand: () => number, scale = 1) =>
  Array.from({ length: n }, () => Array.from({ length: k }, () => scale * (rand() - 0.5)));

/** SDTW by brute force over all alignments (independent of the DP). */
const sdtwBF = (x: number[][], y: number[][], g: number) =>
  bruteForceSoftDtw(squaredEuclideanCost(x, y), { gamma: g }).value;

Deno.test("divergence equals its definition with brute-force soft-DTW terms", () => {
  const rand = lcg(31);
  for (const [M, N, K] of [[3, 4, 2], [4, 4, 1], [5, 2, 3], [1, 3, 2]]) {
    const x = seq(M, K, rand, 2), y = seq(N, K, rand, 2);
    for (const gamma of [0.01, 0.3, 1, 10]) {
      const expected = sdtwBF(x, y, gamma) - 0.5 * sdtwBF(x, x, gamma) - 0.5 * sdtwBF(y, y, gamma);
      const { value } = softDtwDivergence(x, y, { gamma });
      assertAlmostEquals(value, expected, 1e-10 * Math.max(1, Math.abs(expected)));
    }
  }
});

Deno.test("divergence(X, X) = 0 while soft-DTW(X, X) < 0; divergence >= 0", () => {
  const rand = lcg(32);
  for (const gamma of [1e-3, 0.1, 1, 10, 1e3]) {
    const x = seq(12, 3, rand);
    const same = softDtwDivergence(x, x, { gamma });
    assertEquals(same.value, 0);
    same.gradX.forEach((r) => r.forEach((v) => assertAlmostEquals(v, 0, 1e-12)));
    // plain soft-DTW of X with itself is below 0 (exactly 0 in float64 only for tiny γ)
    const plain = sdtwBF(x.slice(0, 5), x.slice(0, 5), gamma);
    assert(gamma < 0.1 ? plain <= 0 : plain < 0, `soft-DTW(X, X) = ${plain} (γ=${gamma})`);
    for (let trial = 0; trial < 20; trial++) {
      const a = seq(1 + Math.floor(rand() * 9), 3, rand, 3);
      const b = seq(1 + Math.floor(rand() * 9), 3, rand, 3);
      const v = softDtwDivergence(a, b, { gamma }).value;
      assert(Number.isFinite(v));
      assert(v >= -1e-9 * Math.max(1, Math.abs(v)), `divergence ${v} >= 0 (γ=${gamma})`);
    }
  }
});

Deno.test("divergence gradients equal central finite differences", () => {
  const rand = lcg(33);
  for (const [M, N, K, gamma] of [[4, 6, 2, 1], [7, 3, 1, 0.2], [5, 5, 3, 5]]) {
    const x = seq(M, K, rand, 2), y = seq(N, K, rand, 2);
    const { gradX, gradY } = softDtwDivergence(x, y, { gamma });
    const h = 1e-5;
    for (const [which, s, g] of [["x", x, gradX], ["y", y, gradY]] as const) {
      for (let m = 0; m < s.length; m++) {
        for (let k = 0; k < K; k++) {
          const orig = s[m][k];
          s[m][k] = orig + h;
          const plus = softDtwDivergence(x, y, { gamma }).value;
          s[m][k] = orig - h;
          const minus = softDtwDivergence(x, y, { gamma }).value;
          s[m][k] = orig;
          assertAlmostEquals(g[m][k], (plus - minus) / (2 * h), 1e-7, `${which}[${m}][${k}]`);
        }
      }
    }
  }
});

Deno.test("batched divergence with per-item lengths equals the items one by one", () => {
  const rand = lcg(34);
  const B = 3, MR = 6, MC = 5, K = 2;
  const x = new Float64Array(B * MR * K).map(() => rand()),
    y = new Float64Array(B * MC * K).map(() => rand());
  const rowLengths = [6, 2, 4], colLengths = [5, 5, 1];
  const r = softDtwDivergenceBatch64({
    x,
    y,
    batch: B,
    maxRows: MR,
    maxCols: MC,
    features: K,
    rowLengths,
    colLengths,
    gamma: 0.5,
  });
  for (let b = 0; b < B; b++) {
    const xs = Array.from(
      { length: rowLengths[b] },
      (_, m) => Array.from(x.subarray((b * MR + m) * K, (b * MR + m + 1) * K)),
    );
    const ys = Array.from(
      { length: colLengths[b] },
      (_, n) => Array.from(y.subarray((b * MC + n) * K, (b * MC + n + 1) * K)),
    );
    const one = softDtwDivergence(xs, ys, { gamma: 0.5 });
    assertEquals(r.values[b], one.value);
    for (let m = 0; m < MR; m++) {
      for (let k = 0; k < K; k++) {
        assertEquals(r.gradX![(b * MR + m) * K + k], m < rowLengths[b] ? one.gradX[m][k] : 0);
      }
    }
  }
});

Deno.test("divergence rejects bad input", () => {
  assertThrows(() => softDtwDivergence([[0]], [[0]], { gamma: 0 }), RangeError, "gamma");
  assertThrows(
    () => softDtwDivergence([[0, 1]], [[0]], { gamma: 1 }),
    RangeError,
    "feature sizes differ",
  );
  assertThrows(() => softDtwDivergence([[0, 1], [1]], [[0, 1]], { gamma: 1 }), TypeError, "ragged");
  assertThrows(() => softDtwDivergence([[NaN]], [[0]], { gamma: 1 }), RangeError, "NaN");
  assertThrows(() => softDtwDivergence([], [[0]], { gamma: 1 }), RangeError, "empty");
});
