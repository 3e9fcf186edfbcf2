/**
 * Checkers for the exercises of notebook 06 (beyond plain soft-DTW): the cost of a path under
 * step weights, the soft minimum of equal values (why soft-DTW can be negative and why free
 * steps make it more so) and the band around the main diagonal. Written on the concepts (step
 * weights `[wRow, wCol, wDiag]` entering a cell, soft minimum, band), which do not depend on how
 * the notebook presents them.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { checkDiagonalBandRadius } from "./step_weights.ts";
 * checkDiagonalBandRadius((M, N) => Math.abs(M - N)).passed; // true
 * ```
 *
 * @module
 */
import { mainDiagonalBand } from "../align/band.ts";
import {
  attempt,
  close,
  describe,
  type Feedback,
  fmt,
  isNumber,
  notAFunction,
  verdict,
} from "./_feedback.ts";

/** A path's weighted cost as the exercise asks for: `pathCost(path, cost, stepWeights)`. */
export type PathCostAnswer = (
  path: [number, number][],
  cost: number[][],
  stepWeights: [number, number, number],
) => number;

/** Σ w(step entering cell k) · C(cell k), the first cell entered diagonally. */
function weightedCost(path: [number, number][], C: number[][], w: number[]): number {
  return path.reduce((s, [i, j], k) => {
    if (k === 0) return s + w[2] * C[i][j];
    const [pi, pj] = path[k - 1];
    const kind = i > pi && j > pj ? 2 : i > pi ? 0 : 1;
    return s + w[kind] * C[i][j];
  }, 0);
}

/**
 * Checks `pathCost(path, cost, [wRow, wCol, wDiag])`: each step weights the cost of the cell it
 * enters (a row step (m+1, n) by `wRow`, a column step (m, n+1) by `wCol`, a diagonal step by
 * `wDiag`; the first cell is entered diagonally). Recognises `wRow` and `wCol` exchanged, the
 * weight of the cell left instead of the cell entered, and the first cell left out.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb (exercise 1).
 *
 * @example
 * ```ts
 * import { checkWeightedPathCost } from "./step_weights.ts";
 * checkWeightedPathCost(() => 0).passed; // false
 * ```
 */
export function checkWeightedPathCost(answer: PathCostAnswer): Feedback {
  const name = "Exercise 06.1 (the cost of a path under step weights)";
  const bad = notAFunction(answer, "a function pathCost(path, cost, stepWeights)");
  if (bad) return verdict(name, [bad], "");
  const C = [[1, 2, 4, 8], [16, 32, 64, 128], [256, 512, 1024, 2048]];
  const paths: [number, number][][] = [
    [[0, 0], [1, 0], [1, 1], [1, 2], [2, 3]],
    [[0, 0], [0, 1], [1, 2], [2, 2], [2, 3]],
    [[0, 0], [1, 1], [2, 2], [2, 3]],
  ];
  const weightSets: [number, number, number][] = [[1, 1, 1], [2, 3, 5], [0, 1, 1], [1, 0, 2]];
  for (const w of weightSets) {
    for (const p of paths) {
      const here = `pathCost(${JSON.stringify(p)}, C, [${w.join(", ")}])`;
      const r = attempt(() => answer(p.map(([a, b]) => [a, b]), C.map((row) => [...row]), [...w]));
      if (!r.ok) return verdict(name, [`${here} threw ${r.error}.`], "");
      if (!isNumber(r.value)) {
        return verdict(name, [`${here} returned ${describe(r.value)}, not a number.`], "");
      }
      const truth = weightedCost(p, C, w);
      const y = r.value;
      if (close(y, truth, 1e-12)) continue;
      const swapped = weightedCost(p, C, [w[1], w[0], w[2]]);
      // the weight of the step that leaves a cell, applied to the cell it leaves
      const leaving = p.reduce((s, [i, j], k) => {
        if (k === p.length - 1) return s + w[2] * C[i][j];
        const [ni, nj] = p[k + 1];
        const kind = ni > i && nj > j ? 2 : ni > i ? 0 : 1;
        return s + w[kind] * C[i][j];
      }, 0);
      const noFirst = truth - w[2] * C[p[0][0]][p[0][1]];
      const msg = close(y, swapped, 1e-12)
        ? `you exchanged wRow and wCol: a row step goes from (m, n) to (m + 1, n) (the next ` +
          `frame of the rows) and takes wRow = ${w[0]}; a column step takes wCol = ${w[1]}.`
        : close(y, leaving, 1e-12)
        ? `you weight the cell a step leaves: the weight belongs to the cell the step ` +
          `enters (the recursion adds w · C(m, n) when it enters (m, n)).`
        : close(y, noFirst, 1e-12)
        ? `the first cell (1, 1) is missing: it is entered diagonally from the virtual ` +
          `origin and counts with wDiag · C(1, 1).`
        : `expected ${fmt(truth)}.`;
      return verdict(name, [`${here} = ${fmt(y)}: ${msg}`], "");
    }
  }
  return verdict(
    name,
    [],
    "Every step weights the cell it enters, on three paths and four weight vectors.",
  );
}

/**
 * Checks `softminOfEqual(a, n, gamma)`: the soft minimum of n equal values a, which is
 * `a − γ log n` (below a: that is why soft-DTW of a sequence with itself is negative, and why
 * a step weight of 0, which makes many paths equally cheap, pushes it further down).
 * Recognises `a − log n` (γ missing), `a + γ log n` (wrong sign) and `a` (the hard minimum).
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb (exercise 2).
 *
 * @example
 * ```ts
 * import { checkSoftminOfEqual } from "./step_weights.ts";
 * checkSoftminOfEqual((a, n, g) => a - g * Math.log(n)).passed; // true
 * ```
 */
export function checkSoftminOfEqual(
  answer: (a: number, n: number, gamma: number) => number,
): Feedback {
  const name = "Exercise 06.2 (the soft minimum of equal values)";
  const bad = notAFunction(answer, "a function softminOfEqual(a, n, gamma)");
  if (bad) return verdict(name, [bad], "");
  for (const [a, n, g] of [[2, 3, 0.5], [0, 1000, 0.3], [-1, 2, 2], [5, 1, 1]]) {
    const here = `softminOfEqual(${a}, ${n}, ${g})`;
    const r = attempt(() => answer(a, n, g));
    if (!r.ok) return verdict(name, [`${here} threw ${r.error}.`], "");
    const y = r.value;
    if (!isNumber(y)) return verdict(name, [`${here} returned ${describe(y)}.`], "");
    const truth = a - g * Math.log(n);
    if (close(y, truth, 1e-12)) continue;
    const msg = n > 1 && close(y, a, 1e-12)
      ? `that is the hard minimum; the soft minimum counts all n values: −γ log(n e^(−a/γ)).`
      : close(y, a + g * Math.log(n), 1e-12)
      ? `the sign is wrong: n equal values make the sum n times larger, so −γ log of it is ` +
        `γ log n lower than a.`
      : close(y, a - Math.log(n), 1e-12)
      ? `γ is missing: −γ log(n e^(−a/γ)) = a − γ log n.`
      : `expected a − γ log n = ${fmt(truth)}.`;
    return verdict(name, [`${here} = ${fmt(y)}: ${msg}`], "");
  }
  return verdict(
    name,
    [],
    "n equally cheap alternatives lower the soft minimum by γ log n: the more equally cheap " +
      "paths (a zero step weight makes many), the further soft-DTW drops below DTW.",
  );
}

/**
 * Checks `smallestRadius(M, N)`: the smallest radius r for which the band |m − n| ≤ r around
 * the main diagonal (`mainDiagonalBand`) still contains the last cell (M, N), and so a path:
 * `|M − N|`. Recognises 0 (the band of square matrices), `M − N` without the absolute value
 * and `max(M, N)`.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb (exercise 3).
 *
 * @example
 * ```ts
 * import { checkDiagonalBandRadius } from "./step_weights.ts";
 * checkDiagonalBandRadius(() => 0).passed; // false
 * ```
 */
export function checkDiagonalBandRadius(answer: (M: number, N: number) => number): Feedback {
  const name = "Exercise 06.3 (a band around the main diagonal)";
  const bad = notAFunction(answer, "a function smallestRadius(M, N)");
  if (bad) return verdict(name, [bad], "");
  for (const [M, N] of [[150, 16], [16, 150], [5, 5], [7, 3]]) {
    const here = `smallestRadius(${M}, ${N})`;
    const r = attempt(() => answer(M, N));
    if (!r.ok) return verdict(name, [`${here} threw ${r.error}.`], "");
    const y = r.value;
    // the truth from the library: the smallest radius that mainDiagonalBand accepts
    let truth = 0;
    while (attempt(() => mainDiagonalBand(M, N, { radius: truth })).ok === false) truth++;
    if (y === truth) continue;
    const msg = y === 0
      ? `radius 0 works only for square matrices: the last cell (${M}, ${N}) lies ` +
        `${truth} cells off the main diagonal.`
      : y === M - N || y === N - M
      ? `a radius cannot be negative: the distance of (M, N) from the diagonal is |M − N|.`
      : y === Math.max(M, N)
      ? `max(M, N) admits every cell: no band at all. The last cell needs only |M − N|.`
      : `expected |M − N| = ${truth}.`;
    return verdict(name, [`${here} = ${describe(y)}: ${msg}`], "");
  }
  return verdict(
    name,
    [],
    "The main-diagonal band needs r ≥ |M − N| (134 for 150 frames against 16 elements, most " +
      "of the matrix): the band around the line from the first to the last cell " +
      "(`sakoeChibaBand`) works with any radius.",
  );
}
