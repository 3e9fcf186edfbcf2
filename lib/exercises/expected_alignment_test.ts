import { assertEquals, assertStringIncludes } from "@std/assert";
import { checkAlignmentMass, checkExpectedAlignment } from "./mod.ts";
import { dtw, softDtw } from "../align/mod.ts";

/** E^γ by central finite differences of soft-DTW (the notebook's reference solution). */
function byFiniteDifferences(C: number[][], gamma: number, h = 1e-5): number[][] {
  return C.map((row, i) =>
    row.map((_, j) => {
      const at = (d: number) =>
        softDtw(C.map((r, a) => r.map((v, b) => (a === i && b === j ? v + d : v))), { gamma });
      return (at(h) - at(-h)) / (2 * h);
    })
  );
}

Deno.test("checkExpectedAlignment passes finite differences of soft-DTW", () => {
  const fb = checkExpectedAlignment(byFiniteDifferences);
  assertEquals(fb.passed, true, fb.text);
});

Deno.test("checkExpectedAlignment names each typical mistake", () => {
  const T = (m: number[][]) => m[0].map((_, j) => m.map((r) => r[j]));
  const cases: [string, (C: number[][], g: number) => number[][], string][] = [
    ["transposed", (C, g) => T(byFiniteDifferences(C, g)), "it is transposed"],
    ["sign", (C, g) => byFiniteDifferences(C, g).map((r) => r.map((v) => -v)), "wrong sign"],
    ["DTW path", (C) => dtw(C).alignment, "optimal DTW path"],
    [
      "not normalised",
      (C, g) => byFiniteDifferences(C, g).map((r) => r.map((v) => 2 * v)),
      "divided by their sum",
    ],
    ["coarse", (C, g) => byFiniteDifferences(C, g, 0.05), "central difference"],
    ["zeros", (C) => C.map((r) => r.map(() => 0)), "differs from E^γ"],
    ["shape", () => [[1]], "1 × 1"],
  ];
  for (const [what, f, expected] of cases) {
    const fb = checkExpectedAlignment(f);
    assertEquals(fb.passed, false, what);
    assertStringIncludes(fb.text, expected, what);
  }
});

Deno.test("checkAlignmentMass: [max(M, N), M + N − 1] and the usual wrong bounds", () => {
  assertEquals(checkAlignmentMass((M, N) => [Math.max(M, N), M + N - 1]).passed, true);
  const cases: [(M: number, N: number) => number[], string][] = [
    [(M, N) => [Math.min(M, N), M + N - 1], "min(M, N) is too low"],
    [(M, N) => [Math.max(M, N), M * N], "M·N is too high"],
    [(M, N) => [Math.max(M, N), M + N], "off by one"],
    [(M, N) => [M + N - 1, Math.max(M, N) - 1], "low bound is above"],
    [() => [1], "expected [low, high]"],
  ];
  for (const [f, expected] of cases) assertStringIncludes(checkAlignmentMass(f).text, expected);
});
