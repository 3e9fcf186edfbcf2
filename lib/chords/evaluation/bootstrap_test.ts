/**
 * Tests of lib/chords/evaluation/bootstrap.ts. Ground truth: the exact bootstrap distribution
 * of tiny samples (enumerated by hand) and the normal approximation of the mean of a large
 * 0/1 sample (mean ± 1.96 · sd / √n).
 */
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { bootstrapInterval } from "./bootstrap.ts";

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

Deno.test("two units: the resampled means are 0, 1/2, 1 with probabilities 1/4, 1/2, 1/4", () => {
  const r = bootstrapInterval([0, 1], mean, { samples: 4000 });
  assertEquals([r.estimate, r.low, r.high], [0.5, 0, 1]);
  // a 40 % interval lies inside the middle value's 50 % mass
  const narrow = bootstrapInterval([0, 1], mean, { samples: 4000, level: 0.4 });
  assertEquals([narrow.low, narrow.high], [0.5, 0.5]);
});

Deno.test("the mean of 400 Bernoulli(0.3) units: the normal approximation's interval", () => {
  const units = Array.from({ length: 400 }, (_, i) => (i % 10 < 3 ? 1 : 0));
  const r = bootstrapInterval(units, mean, { samples: 4000, seed: 11 });
  const sd = Math.sqrt(0.3 * 0.7 / 400);
  assertAlmostEquals(r.low, 0.3 - 1.96 * sd, 0.006);
  assertAlmostEquals(r.high, 0.3 + 1.96 * sd, 0.006);
  assertEquals(r.samples, 4000);
});

Deno.test("seeded: the same seed, the same interval; bad input is an error", () => {
  const units = Array.from({ length: 20 }, (_, i) => Math.sin(i + 1));
  assertEquals(bootstrapInterval(units, mean), bootstrapInterval(units, mean));
  const other = bootstrapInterval(units, mean, { seed: 1 });
  const base = bootstrapInterval(units, mean);
  assert(other.low !== base.low && other.high !== base.high);
  assertThrows(() => bootstrapInterval([], mean), RangeError, "no units");
  assertThrows(() => bootstrapInterval(units, mean, { samples: 0 }), RangeError, "samples");
  assertThrows(() => bootstrapInterval(units, mean, { level: 1 }), RangeError, "level");
  assertThrows(() => bootstrapInterval(units, () => NaN), RangeError, "not a finite number");
});
