import { assertEquals, assertThrows } from "@std/assert";
import {
  accumulatedCost,
  alignmentMatrix,
  checkWarpingPath,
  dtw,
  optimalWarpingPath,
} from "./dtw.ts";
import { alignmentCost, bruteForceDtw } from "./brute_force.ts";
import { lcg } from "./test_helpers_test.ts";

Deno.test("accumulated cost and path on a hand-checked example", () => {
  const C = [[1, 2, 3], [4, 1, 5], [2, 2, 1]];
  // D by hand: row 0: 1 3 6; row 1: 5 2 7; row 2: 7 4 3
  assertEquals(accumulatedCost(C), [[1, 3, 6], [5, 2, 7], [7, 4, 3]]);
  const r = dtw(C);
  assertEquals(r.value, 3);
  assertEquals(r.path, [[0, 0], [1, 1], [2, 2]]);
  assertEquals(r.alignment, [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
});

Deno.test("DTW equals the minimum alignment cost over all alignments (brute force)", () => {
  const rand = lcg(11);
  for (const [M, N] of [[1, 1], [1, 5], [4, 1], [3, 4], [5, 5], [6, 4]]) {
    const C = Array.from({ length: M }, () => Array.from({ length: N }, () => rand()));
    const r = dtw(C);
    const bf = bruteForceDtw(C);
    assertEquals(Math.abs(r.value - bf.value) < 1e-12, true, `${M}x${N}`);
    checkWarpingPath(r.path, { rows: M, cols: N });
    assertEquals(Math.abs(alignmentCost(r.path, C) - r.value) < 1e-12, true);
  }
});

Deno.test("optimal path prefers the diagonal on ties", () => {
  assertEquals(optimalWarpingPath(accumulatedCost([[0, 0], [0, 0]])), [[0, 0], [1, 1]]);
});

Deno.test("bad paths and bad costs are refused with a clear message", () => {
  assertThrows(() => alignmentMatrix([[0, 0], [2, 1]], { rows: 3, cols: 2 }), RangeError, "step 1");
  assertThrows(
    () => alignmentMatrix([[1, 0]], { rows: 2, cols: 1 }),
    RangeError,
    "start at [0, 0]",
  );
  assertThrows(() => alignmentMatrix([[0, 0]], { rows: 2, cols: 1 }), RangeError, "end at [1, 0]");
  assertThrows(() => dtw([]), RangeError, "cost is empty");
  assertThrows(() => dtw([[1, NaN]]), RangeError, "cost[0][1] is NaN");
});
