import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertNotEquals,
  assertThrows,
} from "@std/assert";
import { gaussian, mulberry32 } from "./random.ts";

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

Deno.test("gaussian: reproducible, mean 0, variance 1, tails of N(0, 1)", () => {
  const a = gaussian(mulberry32(3)), b = gaussian(mulberry32(3));
  const xs = Array.from({ length: 20000 }, () => a());
  assertEquals(xs.slice(0, 3), [b(), b(), b()]);
  assert(xs.every(Number.isFinite));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
  assertAlmostEquals(mean, 0, 0.036); // 5 standard errors (1/√20000 = 0.0071)
  assertAlmostEquals(variance, 1, 0.05); // 5 standard errors (√(2/20000) = 0.01)
  // P(|x| > 1.96) = 5 % (1000 ± 5·31)
  const tail = xs.filter((x) => Math.abs(x) > 1.96).length;
  assert(Math.abs(tail - 1000) < 155, `tail count ${tail}`);
  assertThrows(() => gaussian(undefined as unknown as () => number), TypeError, "random");
});
