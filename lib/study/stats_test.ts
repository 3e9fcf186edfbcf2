/** Tests of lib/study/stats.ts against hand-computed values. */
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { relativeVariation, spread } from "./stats.ts";

Deno.test("spread: hand-computed mean and sample standard deviation; NaN for one value", () => {
  assertEquals(spread([1, 2, 3]), { n: 3, mean: 2, std: 1, min: 1, max: 3 });
  // Σ(v - 5)² = 9+1+1+1+0+0+4+16 = 32, sample variance 32/7
  const s = spread([2, 4, 4, 4, 5, 5, 7, 9]);
  assertEquals(s.mean, 5);
  assertAlmostEquals(s.std, Math.sqrt(32 / 7), 1e-12);
  assertEquals([s.min, s.max], [2, 9]);
  assert(Number.isNaN(spread([0.7]).std));
  assertEquals(spread([0.7, 0.7]).std, 0);
  assertThrows(() => spread([]), RangeError, "at least one value");
  assertThrows(() => spread([1, NaN]), RangeError, "value 1 is NaN");
  assertThrows(() => spread([1, "2" as unknown as number]), TypeError, "value 1");
});

Deno.test("relative variation: 1 for monotone curves, hand-counted for oscillating ones", () => {
  assertEquals(relativeVariation([5, 3, 2, 1]), 1);
  assertEquals(relativeVariation([1, 1, 4]), 1);
  // 0 -> 2 -> 0 -> 2: total variation 6, range 2
  assertEquals(relativeVariation([0, 2, 0, 2]), 3);
  // down 4, up 1, down 2: 7 / 5
  assertAlmostEquals(relativeVariation([5, 1, 2, 0]), 7 / 5, 1e-15);
  assertThrows(() => relativeVariation([1]), RangeError, "at least 2");
  assertThrows(() => relativeVariation([1, 1]), RangeError, "constant");
  assertThrows(() => relativeVariation([1, Infinity]), RangeError, "value 1");
});
