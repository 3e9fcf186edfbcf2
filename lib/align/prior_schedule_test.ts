import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { addDiagonalPrior, diagonalPrior } from "./prior.ts";
import { constantSchedule, gammaSchedule, linearSchedule, priorWeightFade } from "./schedule.ts";
import { weightedSoftDtw } from "./weighted.ts";

Deno.test("diagonal prior: 1 on each target element's share, Gaussian of the distance outside", () => {
  // 6 frames, 3 targets: element n owns frames 2n and 2n+1 (share [2n, 2n+2))
  const P = diagonalPrior(6, 3, { sigma: 1 });
  for (let m = 0; m < 6; m++) {
    for (let n = 0; n < 3; n++) {
      const c = m + 0.5, a = 2 * n, b = 2 * n + 2;
      const d = c < a ? a - c : c >= b ? c - b : 0;
      assertAlmostEquals(P[m][n], Math.exp(-d * d / 2), 1e-15);
    }
    assertEquals(P[m][Math.floor(m / 2)], 1);
  }
  // the default sigma is one share (M/N frames); square: distance |m − n| − ½ off the diagonal
  const Q = diagonalPrior(4, 4);
  Q.forEach((row, m) =>
    row.forEach((v, n) =>
      assertAlmostEquals(v, m === n ? 1 : Math.exp(-((Math.abs(m - n) - 0.5) ** 2) / 2), 1e-15)
    )
  );
  // fewer frames than targets: each frame lies in exactly one share
  const R = diagonalPrior(2, 5);
  R.forEach((row) => assertEquals(row.filter((v) => v === 1).length, 1));
});

Deno.test("addDiagonalPrior is C + w(1 − P); the soft-DTW gradient w.r.t. C is that of C'", () => {
  const C = [[0.5, 0.1, 0.9], [0.2, 0.3, 0.4], [0.8, 0.6, 0.1], [0.3, 0.7, 0.2]];
  const w = 0.7;
  const P = diagonalPrior(4, 3);
  const Cp = addDiagonalPrior(C, { weight: w });
  Cp.forEach((row, m) =>
    row.forEach((v, n) => assertAlmostEquals(v, C[m][n] + w * (1 - P[m][n]), 1e-15))
  );
  assertEquals(addDiagonalPrior(C, { weight: 0 }), C);
  // the prior pulls the expected alignment towards the diagonal
  const flat = C.map((r) => r.map(() => 0));
  const e0 = weightedSoftDtw(flat, { gamma: 1 }).occupancy;
  const e1 = weightedSoftDtw(addDiagonalPrior(flat, { weight: 5 }), { gamma: 1 }).occupancy;
  const onDiag = (E: number[][]) => E.reduce((s, row, m) => s + row[Math.floor(m * 3 / 4)], 0);
  assert(onDiag(e1) > onDiag(e0));
  assertThrows(() => addDiagonalPrior(C, { weight: -1 }), RangeError, "prior weight");
  assertThrows(() => addDiagonalPrior(C, { weight: NaN }), RangeError, "prior weight");
  assertThrows(() => diagonalPrior(3, 3, { sigma: 0 }), RangeError, "sigma");
});

Deno.test("schedules: constant, linear γ annealing and prior fade", () => {
  assertEquals(constantSchedule(0.3)(0), 0.3);
  const g = gammaSchedule({ from: 1, to: 0.1, startEpoch: 2, endEpoch: 12 });
  assertEquals(g(0), 1);
  assertEquals(g(2), 1);
  assertAlmostEquals(g(7), 0.55, 1e-15);
  assertEquals(g(12), 0.1);
  assertEquals(g(100), 0.1);
  assertEquals(gammaSchedule(0.5)(3), 0.5);
  const f = priorWeightFade({ from: 2, startEpoch: 0, endEpoch: 4 });
  assertEquals([f(0), f(1), f(2), f(4), f(9)], [2, 1.5, 1, 0, 0]);
  const up = linearSchedule({ from: 0, to: 1, startEpoch: 1, endEpoch: 3 });
  assertEquals(up(2), 0.5);
  assertThrows(() => gammaSchedule(0), RangeError, "positive");
  assertThrows(
    () => gammaSchedule({ from: 1, to: -1, startEpoch: 0, endEpoch: 1 }),
    RangeError,
    "to",
  );
  assertThrows(
    () => linearSchedule({ from: 0, to: 1, startEpoch: 3, endEpoch: 3 }),
    RangeError,
    "startEpoch < endEpoch",
  );
  assertThrows(
    () => priorWeightFade({ from: -1, startEpoch: 0, endEpoch: 1 }),
    RangeError,
    "non-negative",
  );
  assertThrows(() => g(-1), RangeError, "epoch");
  assertThrows(() => g(NaN), RangeError, "epoch");
});
