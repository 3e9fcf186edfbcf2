/**
 * Tests of evaluate.ts: quantiles equal numpy's `np.percentile` (values computed with numpy
 * 1.26 by hand: `np.percentile([3, 1, 4, 1, 5, 9, 2, 6], [50, 95])` = [3.5, 7.95]), boundary
 * errors skip the first chord, and the summary's shares.
 */
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { boundaryErrors, quantile, summarizeBoundaries } from "./evaluate.ts";

Deno.test("quantile interpolates linearly as numpy's percentile", () => {
  const x = [3, 1, 4, 1, 5, 9, 2, 6];
  assertAlmostEquals(quantile(x, 0.5), 3.5, 1e-12);
  assertAlmostEquals(quantile(x, 0.95), 7.95, 1e-12);
  assertEquals(quantile([7], 0.95), 7);
  assertEquals(quantile(x, 0), 1);
  assertEquals(quantile(x, 1), 9);
  assertThrows(() => quantile([], 0.5), RangeError, "no values");
});

Deno.test("boundaryErrors and summarizeBoundaries", () => {
  const errors = boundaryErrors(
    [{ start: 0 }, { start: 1.2 }, { start: 2.0 }, { start: 5 }],
    [{ start: 0 }, { start: 1 }, { start: 2.5 }, { start: 3 }],
  );
  [0.2, 0.5, 2].forEach((e, i) => assertAlmostEquals(errors[i], e, 1e-12));
  const s = summarizeBoundaries(errors);
  assertEquals(s.count, 3);
  assertAlmostEquals(s.median, 0.5, 1e-12);
  assertAlmostEquals(s.p95, 0.5 + 0.9 * 1.5, 1e-12);
  assertAlmostEquals(s.within03, 1 / 3, 1e-12);
  assertAlmostEquals(s.within1, 2 / 3, 1e-12);
  assertThrows(() => boundaryErrors([{ start: 0 }], []), RangeError, "1 aligned chords");
});
