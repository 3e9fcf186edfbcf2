import { assertEquals, assertStringIncludes } from "@std/assert";
import { checkPathFractions, checkSoftDtwBounds } from "./mod.ts";
import { delannoy, dtw, softDtwValueAndGrad } from "../align/mod.ts";

/** Share of paths through each cell: paths from the start times paths to the end, by count. */
function shares(M: number, N: number): number[][] {
  return Array.from(
    { length: M },
    (_, m) =>
      Array.from(
        { length: N },
        (_, n) => delannoy(m, n) * delannoy(M - 1 - m, N - 1 - n) / delannoy(M - 1, N - 1),
      ),
  );
}

Deno.test("checkPathFractions: counting passes; E^γ at a huge γ agrees with it", () => {
  assertEquals(checkPathFractions(shares).passed, true, checkPathFractions(shares).text);
  // the limit the exercise is about: soft-DTW's gradient at γ = 1e6 on an arbitrary cost
  const C = [[0.3, 1, 2, 0.1], [2, 0, 0.5, 1], [1, 1.5, 0.2, 0.4]];
  const E = softDtwValueAndGrad(C, { gamma: 1e6 }).grad;
  const S = shares(3, 4);
  E.forEach((row, i) => row.forEach((v, j) => assertEquals(Math.abs(v - S[i][j]) < 1e-5, true)));
});

Deno.test("checkPathFractions names each typical mistake", () => {
  const even = (M: number, N: number) => Array.from({ length: M }, () => new Array(N).fill(1 / N));
  const counts = (M: number, N: number) =>
    shares(M, N).map((r) => r.map((v) => v * delannoy(M - 1, N - 1)));
  const T = (M: number, N: number) => shares(N, M);
  assertStringIncludes(checkPathFractions(even).text, "spreads each row evenly");
  assertStringIncludes(checkPathFractions(counts).text, "divide by the number of paths, 25");
  assertStringIncludes(checkPathFractions(T).text, "transposed");
  assertStringIncludes(checkPathFractions(() => [[0]]).text, "expected 3 × 4");
});

Deno.test("checkSoftDtwBounds: [DTW − γ log |A|, DTW] passes, loose or swapped bounds are named", () => {
  const A = (C: number[][]) => delannoy(C.length - 1, C[0].length - 1);
  const ok = (C: number[][], g: number) => [dtw(C).value - g * Math.log(A(C)), dtw(C).value];
  assertEquals(checkSoftDtwBounds(ok).passed, true, checkSoftDtwBounds(ok).text);
  const cases: [(C: number[][], g: number) => number[], string][] = [
    [(C, g) => [dtw(C).value - g * A(C), dtw(C).value], "misses the logarithm"],
    [
      (C, g) => [dtw(C).value - g * Math.log(A(C)), dtw(C).value + g * Math.log(A(C))],
      "never exceeds DTW",
    ],
    [(C) => [dtw(C).value - Math.log(A(C)), dtw(C).value], "misses γ"],
    [(C, g) => [dtw(C).value, dtw(C).value - g * Math.log(A(C))], "swapped"],
  ];
  for (const [f, expected] of cases) assertStringIncludes(checkSoftDtwBounds(f).text, expected);
});
