/**
 * Checkers for the exercises of notebook 05 (the temperature γ): what the expected alignment
 * becomes for a very large γ, and how far soft-DTW can lie below DTW.
 *
 * Used in notebooks/05_gamma_sweep.ipynb.
 *
 * @example
 * ```ts
 * import { checkSoftDtwBounds } from "./temperature.ts";
 * import { delannoy } from "../align/brute_force.ts";
 * import { dtw } from "../align/dtw.ts";
 * const bounds = (C: number[][], g: number) => {
 *   const d = dtw(C).value;
 *   return [d - g * Math.log(delannoy(C.length - 1, C[0].length - 1)), d];
 * };
 * checkSoftDtwBounds(bounds).passed; // true
 * ```
 *
 * @module
 */
import { delannoy, enumerateWarpingPaths } from "../align/brute_force.ts";
import { dtw } from "../align/dtw.ts";
import {
  attempt,
  close,
  describe,
  type Feedback,
  fmt,
  isMatrix,
  maxDiff,
  notAFunction,
  verdict,
} from "./_feedback.ts";

/** Share of all warping paths of an M × N grid through each cell, by listing the paths. */
function pathShares(M: number, N: number): number[][] {
  const paths = enumerateWarpingPaths({ rows: M, cols: N });
  const E = Array.from({ length: M }, () => new Array<number>(N).fill(0));
  for (const p of paths) for (const [i, j] of p) E[i][j] += 1 / paths.length;
  return E;
}

/**
 * Checks `pathShares(M, N)`: the expected alignment in the limit γ → ∞, where every alignment
 * is equally likely, so `E(m, n)` is the share of all warping paths that pass through (m, n).
 * Compared with the count over every path; recognises a transposed matrix, rows spread evenly
 * (1/N per cell) and counts not divided by the number of paths.
 *
 * Used in notebooks/05_gamma_sweep.ipynb (exercise 1).
 *
 * @example
 * ```ts
 * import { checkPathFractions } from "./temperature.ts";
 * checkPathFractions((M, N) => Array.from({ length: M }, () => new Array(N).fill(1 / N)))
 *   .passed; // false
 * ```
 */
export function checkPathFractions(answer: (M: number, N: number) => number[][]): Feedback {
  const name = "Exercise 05.1 (γ → ∞)";
  const bad = notAFunction(answer, "a function pathShares(M, N)");
  if (bad) return verdict(name, [bad], "");
  for (const [M, N] of [[3, 4], [5, 2], [4, 4], [1, 3]]) {
    const here = `pathShares(${M}, ${N})`;
    const r = attempt(() => answer(M, N));
    if (!r.ok) return verdict(name, [`${here} threw ${r.error}.`], "");
    const E = r.value;
    if (!isMatrix(E)) return verdict(name, [`${here} returned ${describe(E)}.`], "");
    const truth = pathShares(M, N);
    if (M !== N && E.length === N && E[0].length === M) {
      return verdict(name, [`${here} is ${N} × ${M}: transposed, rows are the M = ${M} rows.`], "");
    }
    if (E.length !== M || E[0].length !== N) {
      return verdict(name, [`${here} is ${E.length} × ${E[0].length}, expected ${M} × ${N}.`], "");
    }
    if (maxDiff(E, truth) <= 1e-9) continue;
    if (E.every((row) => row.every((v) => close(v, 1 / N, 1e-9))) && N > 1) {
      return verdict(name, [
        `${here} spreads each row evenly (1/N): but every path starts in (1, 1) and ends in ` +
        `(M, N), so those cells have share 1, and cells far from the diagonal lie on fewer ` +
        `paths. Count the paths through (m, n): paths from (1, 1) to (m, n) times paths ` +
        `from (m, n) to (M, N).`,
      ], "");
    }
    const total = delannoy(M - 1, N - 1);
    if (maxDiff(E, truth.map((row) => row.map((v) => v * total))) <= 1e-6) {
      return verdict(name, [
        `${here} counts the paths through each cell (E(1, 1) = ${fmt(E[0][0])}): divide by ` +
        `the number of paths, ${total}, to get a probability.`,
      ], "");
    }
    return verdict(name, [
      `${here} differs from the share of paths by up to ${fmt(maxDiff(E, truth))} ` +
      `(E(1, ${N}) should be ${fmt(truth[0][N - 1])}, yours is ${fmt(E[0][N - 1])}).`,
    ], "");
  }
  return verdict(
    name,
    [],
    "Equal to the share of paths through each cell, counted over every path, on four sizes.",
  );
}

/** Bounds as the exercise asks for: `bounds(cost, gamma) → [low, high]` for SDTW^γ(C). */
export type BoundsAnswer = (cost: number[][], gamma: number) => number[];

/**
 * Checks `bounds(cost, gamma)`: the tightest bounds on soft-DTW that need only DTW and the
 * number of alignments |A|: `DTW − γ log |A| ≤ SDTW^γ ≤ DTW`. Recognises `γ |A|` without the
 * logarithm, `DTW + γ log |A|` (soft-DTW never exceeds DTW), swapped bounds and a missing γ.
 *
 * Used in notebooks/05_gamma_sweep.ipynb (exercise 2).
 *
 * @example
 * ```ts
 * import { checkSoftDtwBounds } from "./temperature.ts";
 * checkSoftDtwBounds(() => [-Infinity, Infinity]).passed; // false
 * ```
 */
export function checkSoftDtwBounds(answer: BoundsAnswer): Feedback {
  const name = "Exercise 05.2 (how far below DTW)";
  const bad = notAFunction(answer, "a function bounds(cost, gamma)");
  if (bad) return verdict(name, [bad], "");
  const C = [[0.2, 1.1, 2.0, 0.7], [1.3, 0.1, 0.9, 1.5], [2.2, 1.0, 0.3, 0.4]];
  for (const g of [0.1, 1, 100]) {
    const here = `bounds(C, ${g}) for a 3 × 4 matrix C`;
    const r = attempt(() => answer(C.map((row) => [...row]), g));
    if (!r.ok) return verdict(name, [`${here} threw ${r.error}.`], "");
    const v = r.value;
    if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === "number")) {
      return verdict(name, [`${here} returned ${describe(v)}, expected [low, high].`], "");
    }
    const d = dtw(C).value, A = delannoy(2, 3);
    const LO = d - g * Math.log(A);
    const [lo, hi] = v;
    if (close(lo, LO, 1e-9) && close(hi, d, 1e-9)) continue;
    if (lo > hi) {
      return verdict(name, [`${here} = [${fmt(lo)}, ${fmt(hi)}]: low above high, swapped?`], "");
    }
    const problems: string[] = [];
    if (!close(hi, d, 1e-9)) {
      problems.push(
        close(hi, d + g * Math.log(A), 1e-9)
          ? `the high bound DTW + γ log |A| is too loose: soft-DTW never exceeds DTW (the ` +
            `sum of exp(−⟨A, C⟩/γ) contains the best alignment's term, so −γ log of it is ` +
            `at most DTW = ${fmt(d)}).`
          : `the high bound is ${fmt(hi)}, expected DTW = ${fmt(d)}.`,
      );
    }
    if (!close(lo, LO, 1e-9)) {
      problems.push(
        close(lo, d - g * A, 1e-9)
          ? `the low bound DTW − γ|A| misses the logarithm: the sum has |A| = ${A} terms, ` +
            `each at most the best one's, so it is at most |A| times it and SDTW ≥ ` +
            `DTW − γ log |A| = ${fmt(LO)}.`
          : close(lo, d - Math.log(A), 1e-9) && g !== 1
          ? `the low bound DTW − log |A| misses γ: the gap grows with γ (DTW − γ log |A| = ` +
            `${fmt(LO)}).`
          : `the low bound is ${fmt(lo)}, expected DTW − γ log |A| = ${fmt(LO)}.`,
      );
    }
    return verdict(name, [`${here}: ${problems.join(" ")}`], "");
  }
  return verdict(
    name,
    [],
    "DTW − γ log |A| ≤ SDTW^γ ≤ DTW: at γ = 100 the lower bound is far below DTW, so large γ " +
      "mostly counts alignments and barely looks at the costs.",
  );
}
