import { assert, assertAlmostEquals, assertEquals, assertNotEquals } from "@std/assert";
import { mulberry32 } from "./random.ts";

Deno.test("mulberry32: reproducible per seed, uniform on [0, 1)", () => {
  const a = mulberry32(7), b = mulberry32(7), c = mulberry32(8);
  const xs = Array.from({ length: 20000 }, () => a());
  assertEquals(xs.slice(0, 5), Array.from({ length: 5 }, () => b()));
  assertNotEquals(xs[0], c());
  assert(xs.every((x) => x >= 0 && x < 1));
  // mean 1/2 and variance 1/12 of the uniform distribution (tolerances ≈ 5 standard errors)
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
  assertAlmostEquals(mean, 0.5, 0.011);
  assertAlmostEquals(variance, 1 / 12, 0.004);
  // every tenth of [0, 1) gets its share (2000 ± 5·42)
  const bins = new Array(10).fill(0);
  for (const x of xs) bins[Math.floor(x * 10)]++;
  for (const n of bins) assert(Math.abs(n - 2000) < 210, `bin count ${n}`);
});
