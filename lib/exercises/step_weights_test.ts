import { assertEquals, assertStringIncludes } from "@std/assert";
import { checkDiagonalBandRadius, checkSoftminOfEqual, checkWeightedPathCost } from "./mod.ts";
import { bruteForceWeightedSoftDtw } from "../align/weighted_brute_force.ts";

/** The notebook's reference solution. */
function pathCost(path: [number, number][], C: number[][], w: [number, number, number]) {
  let total = w[2] * C[path[0][0]][path[0][1]];
  for (let k = 1; k < path.length; k++) {
    const [i, j] = path[k], [pi, pj] = path[k - 1];
    total += (i > pi && j > pj ? w[2] : i > pi ? w[0] : w[1]) * C[i][j];
  }
  return total;
}

Deno.test("checkWeightedPathCost: the reference passes and agrees with the library's brute force", () => {
  assertEquals(checkWeightedPathCost(pathCost).passed, true, checkWeightedPathCost(pathCost).text);
  // a 1 × 3 grid has one path: its weighted soft-DTW is that path's weighted cost at any γ
  const C = [[1, 2, 4]];
  const w: [number, number, number] = [2, 3, 5];
  const r = bruteForceWeightedSoftDtw(C, { gamma: 1, stepWeights: w });
  assertEquals(r.value, pathCost([[0, 0], [0, 1], [0, 2]], C, w)); // 5 + 6 + 12
  assertEquals(r.value, 23);
});

Deno.test("checkWeightedPathCost names each typical mistake", () => {
  const swapped = (p: [number, number][], C: number[][], w: [number, number, number]) =>
    pathCost(p, C, [w[1], w[0], w[2]]);
  const noFirst = (p: [number, number][], C: number[][], w: [number, number, number]) =>
    pathCost(p, C, w) - w[2] * C[0][0];
  const leaving = (p: [number, number][], C: number[][], w: [number, number, number]) => {
    let s = w[2] * C[p.at(-1)![0]][p.at(-1)![1]];
    for (let k = 0; k + 1 < p.length; k++) {
      const [i, j] = p[k], [ni, nj] = p[k + 1];
      s += (ni > i && nj > j ? w[2] : ni > i ? w[0] : w[1]) * C[i][j];
    }
    return s;
  };
  assertStringIncludes(checkWeightedPathCost(swapped).text, "exchanged wRow and wCol");
  assertStringIncludes(checkWeightedPathCost(noFirst).text, "first cell (1, 1) is missing");
  assertStringIncludes(checkWeightedPathCost(leaving).text, "the cell a step leaves");
  assertStringIncludes(checkWeightedPathCost(() => 0).text, "expected");
});

Deno.test("checkSoftminOfEqual: a − γ log n, and the three slips", () => {
  assertEquals(checkSoftminOfEqual((a, n, g) => a - g * Math.log(n)).passed, true);
  // independent check of the formula: −γ log(n e^(−a/γ)) for a = 2, n = 3, γ = 0.5
  assertEquals(Math.abs(-0.5 * Math.log(3 * Math.exp(-4)) - (2 - 0.5 * Math.log(3))) < 1e-12, true);
  assertStringIncludes(checkSoftminOfEqual((a) => a).text, "hard minimum");
  assertStringIncludes(checkSoftminOfEqual((a, n, g) => a + g * Math.log(n)).text, "sign");
  assertStringIncludes(checkSoftminOfEqual((a, n) => a - Math.log(n)).text, "γ is missing");
});

Deno.test("checkDiagonalBandRadius: |M − N|, and 0, M − N, max(M, N) named", () => {
  assertEquals(checkDiagonalBandRadius((M, N) => Math.abs(M - N)).passed, true);
  assertStringIncludes(checkDiagonalBandRadius(() => 0).text, "only for square matrices");
  assertStringIncludes(checkDiagonalBandRadius((M, N) => N - M).text, "cannot be negative");
  assertStringIncludes(checkDiagonalBandRadius((M, N) => Math.max(M, N)).text, "no band at all");
});
