import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  bruteForceDtw,
  bruteForceSoftDtw,
  delannoy,
  enumerateWarpingPaths,
  logDelannoy,
} from "./brute_force.ts";
import { checkWarpingPath } from "./dtw.ts";

Deno.test("Delannoy numbers match the known sequence (OEIS A008288)", () => {
  // central Delannoy numbers A001850: 1, 3, 13, 63, 321, 1683, 8989
  assertEquals([0, 1, 2, 3, 4, 5, 6].map((k) => delannoy(k, k)), [1, 3, 13, 63, 321, 1683, 8989]);
  assertEquals(delannoy(0, 7), 1);
  assertEquals(delannoy(1, 3), 7); // 2n + 1
  assertEquals(delannoy(2, 3), 25);
  assertEquals(delannoy(3, 4), 129);
  assertThrows(() => delannoy(-1, 2), RangeError, "m must be");
  assertThrows(() => delannoy(1000, 1000), RangeError, "MAX_SAFE_INTEGER");
});

/** Exact Delannoy number from the closed form D(m, n) = Σ_k C(m, k) C(n, k) 2^k, in BigInt. */
function delannoyClosedForm(m: number, n: number): bigint {
  const binom = (a: number, k: number) => {
    let r = 1n;
    for (let i = 1; i <= k; i++) r = (r * BigInt(a - k + i)) / BigInt(i);
    return r;
  };
  let s = 0n;
  for (let k = 0; k <= Math.min(m, n); k++) s += binom(m, k) * binom(n, k) * 2n ** BigInt(k);
  return s;
}

/** Natural log of a positive BigInt (via its leading digits and its number of digits). */
function logBig(x: bigint): number {
  const digits = x.toString();
  const lead = Number(digits.slice(0, 17));
  return Math.log(lead) + (digits.length - 17) * Math.LN10;
}

Deno.test("logDelannoy equals the log of the exact closed form, also far beyond 2^53", () => {
  for (const [m, n] of [[0, 0], [0, 9], [3, 3], [6, 4], [29, 19], [100, 37], [300, 300]]) {
    const exact = delannoyClosedForm(m, n);
    const want = exact < 10n ** 17n ? Math.log(Number(exact)) : logBig(exact);
    assertAlmostEquals(logDelannoy(m, n), want, 1e-12 * Math.max(1, want), `${m}, ${n}`);
  }
  // the exact recursion and the closed form agree where both are exact
  assertEquals(delannoy(12, 17), Number(delannoyClosedForm(12, 17)));
  assertThrows(() => logDelannoy(2, -1), RangeError, "n must be");
});

Deno.test("enumeration lists every valid alignment exactly once", () => {
  for (const [M, N] of [[1, 1], [2, 3], [3, 3], [4, 5], [5, 3]]) {
    const paths = enumerateWarpingPaths({ rows: M, cols: N });
    assertEquals(paths.length, delannoy(M - 1, N - 1));
    const keys = new Set(paths.map((p) => JSON.stringify(p)));
    assertEquals(keys.size, paths.length);
    for (const p of paths) checkWarpingPath(p, { rows: M, cols: N });
  }
  // the 3 alignments of a 2x2 grid, by hand
  assertEquals(enumerateWarpingPaths({ rows: 2, cols: 2 }), [
    [[0, 0], [1, 1]],
    [[0, 0], [1, 0], [1, 1]],
    [[0, 0], [0, 1], [1, 1]],
  ]);
});

Deno.test("2x2 soft-DTW by hand: three alignments with costs 0, 1, 1", () => {
  const C = [[0, 1], [1, 0]];
  const g = 0.7;
  const z = 1 + 2 * Math.exp(-1 / g);
  const r = bruteForceSoftDtw(C, { gamma: g });
  assertAlmostEquals(r.value, -g * Math.log(z), 1e-15);
  assertAlmostEquals(r.alignments[0].probability, 1 / z, 1e-15);
  const off = Math.exp(-1 / g) / z;
  assertAlmostEquals(r.expectedAlignment[0][1], off, 1e-15);
  assertAlmostEquals(r.expectedAlignment[1][0], off, 1e-15);
  assertAlmostEquals(r.expectedAlignment[0][0], 1, 1e-15);
  assertEquals(bruteForceDtw(C).value, 0);
});

Deno.test("Gibbs distribution is stable for huge costs and tiny γ", () => {
  const C = [[1e6, 2e6, 3e6], [2e6, 1e6, 2e6]];
  const r = bruteForceSoftDtw(C, { gamma: 1e-3 });
  const total = r.alignments.reduce((s, a) => s + a.probability, 0);
  assertAlmostEquals(total, 1, 1e-12);
  assertEquals(r.value, bruteForceDtw(C).value);
});

Deno.test("refuses sizes with too many alignments", () => {
  assertThrows(
    () => enumerateWarpingPaths({ rows: 12, cols: 12 }),
    RangeError,
    "too many alignments",
  );
  assertThrows(() => enumerateWarpingPaths({ rows: 0, cols: 2 }), RangeError, "rows");
  assertThrows(() => bruteForceSoftDtw([[1]], { gamma: 0 }), RangeError, "gamma");
});
