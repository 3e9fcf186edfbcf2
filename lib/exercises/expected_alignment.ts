/**
 * Checkers for the exercises of notebook 02 (the gradient of soft-DTW is the expected
 * alignment): computing `E^γ = ∂SDTW^γ/∂C`, and the bounds of its total mass.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb.
 *
 * @example
 * ```ts
 * import { checkAlignmentMass } from "./expected_alignment.ts";
 * checkAlignmentMass((M, N) => [Math.max(M, N), M + N - 1]).passed; // true
 * ```
 *
 * @module
 */
import { alignmentCost, enumerateWarpingPaths } from "../align/brute_force.ts";
import { dtw } from "../align/dtw.ts";
import {
  attempt,
  describe,
  type Feedback,
  fmt,
  isMatrix,
  maxDiff,
  notAFunction,
  transpose,
  verdict,
} from "./_feedback.ts";

/** An expected alignment as the exercise asks for: `expectedAlignment(cost, gamma)`. */
export type ExpectedAlignmentAnswer = (cost: number[][], gamma: number) => number[][];

/** E^γ by brute force: the Gibbs-weighted mean of every alignment matrix. */
function bruteForceExpected(C: number[][], gamma: number): number[][] {
  const paths = enumerateWarpingPaths({ rows: C.length, cols: C[0].length });
  const costs = paths.map((p) => alignmentCost(p, C));
  const best = Math.min(...costs);
  const w = costs.map((c) => Math.exp(-(c - best) / gamma));
  const total = w.reduce((s, v) => s + v, 0);
  const E = C.map((r) => r.map(() => 0));
  paths.forEach((p, k) => p.forEach(([i, j]) => E[i][j] += w[k] / total));
  return E;
}

/**
 * Checks a function `expectedAlignment(cost, gamma)` that returns the `M × N` expected
 * alignment `E^γ` (by finite differences of soft-DTW, or by the backward pass) against the
 * Gibbs-weighted mean of every alignment matrix (brute force). Recognises a transposed result,
 * the optimal DTW path instead of the expectation, a flipped sign, unnormalized weights and
 * finite differences that are too coarse.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb (exercise 1).
 *
 * @example
 * ```ts
 * import { checkExpectedAlignment } from "./expected_alignment.ts";
 * checkExpectedAlignment((C) => C.map((r) => r.map(() => 0))).passed; // false
 * ```
 */
export function checkExpectedAlignment(answer: ExpectedAlignmentAnswer): Feedback {
  const name = "Exercise 02.1 (the expected alignment)";
  const bad = notAFunction(answer, "a function expectedAlignment(cost, gamma)");
  if (bad) return verdict(name, [bad], "");
  const cases: [number[][], number][] = [
    [[[0.2, 1.1, 2.0, 0.7], [1.3, 0.1, 0.9, 1.5], [2.2, 1.0, 0.3, 0.4]], 1],
    [[[0.2, 1.1, 2.0, 0.7], [1.3, 0.1, 0.9, 1.5], [2.2, 1.0, 0.3, 0.4]], 0.1],
    [[[0, 1, 4], [1, 0, 1], [4, 1, 0], [9, 4, 1], [16, 9, 4]], 2],
  ];
  for (const [C, g] of cases) {
    const M = C.length, N = C[0].length;
    const where = `for a ${M} × ${N} cost matrix at γ = ${g}`;
    const r = attempt(() => answer(C.map((row) => [...row]), g));
    if (!r.ok) return verdict(name, [`${where} your function threw ${r.error}.`], "");
    const E = r.value;
    if (!isMatrix(E)) {
      return verdict(name, [`${where} it returned ${describe(E)}, not a matrix.`], "");
    }
    const truth = bruteForceExpected(C, g);
    if (E.length === N && E[0].length === M && M !== N) {
      const t = transpose(E);
      return verdict(name, [
        `${where} your matrix is ${N} × ${M}: it is transposed (rows must be the ${M} rows ` +
        `of C)${maxDiff(t, truth) < 1e-4 ? ", otherwise it is right" : ""}.`,
      ], "");
    }
    if (E.length !== M || E[0].length !== N) {
      return verdict(name, [`${where} your matrix is ${E.length} × ${E[0].length}.`], "");
    }
    const d = maxDiff(E, truth);
    if (d <= 1e-4) continue;
    if (maxDiff(E, truth.map((row) => row.map((v) => -v))) <= 1e-4) {
      return verdict(name, [
        `${where} every entry has the wrong sign: E^γ is a probability (each entry in ` +
        `[0, 1]); soft-DTW grows when a cost grows.`,
      ], "");
    }
    if (maxDiff(E, dtw(C).alignment) <= 1e-4) {
      return verdict(name, [
        `${where} you return the optimal DTW path's alignment matrix: E^γ averages every ` +
        `alignment weighted by exp(−⟨A, C⟩/γ), so it is spread over several paths ` +
        `(E(1, 1) = 1, but other entries lie strictly between 0 and 1).`,
      ], "");
    }
    if (Math.abs(E[0][0] - 1) > 1e-3 && E[0][0] > 1e-3 && E.flat().every((v) => v >= 0)) {
      return verdict(name, [
        `${where} E(1, 1) = ${fmt(E[0][0])}, but every alignment passes through (1, 1), so ` +
        `it must be 1: are the weights exp(−⟨A, C⟩/γ) divided by their sum?`,
      ], "");
    }
    if (d <= 1e-2) {
      return verdict(name, [
        `${where} you are close (largest difference ${fmt(d)}) but not accurate: with ` +
        `finite differences use a central difference (f(C + h) − f(C − h))/2h with a small ` +
        `h such as 1e-5.`,
      ], "");
    }
    return verdict(name, [
      `${where} your matrix differs from E^γ by up to ${fmt(d)} (E(1, ${N}) is ` +
      `${fmt(truth[0][N - 1])}, yours ${fmt(E[0][N - 1])}).`,
    ], "");
  }
  return verdict(
    name,
    [],
    "Equal (1e-4) to the probability-weighted mean of every alignment matrix on three problems.",
  );
}

/** Bounds of the total mass of E as the exercise asks for: `massBounds(M, N) → [low, high]`. */
export type MassBoundsAnswer = (M: number, N: number) => [number, number] | number[];

/**
 * Checks `massBounds(M, N)`: the smallest and largest possible sum of the entries of an `M × N`
 * expected alignment, that is the fewest and most cells a warping path can visit:
 * `[max(M, N), M + N − 1]`. Recognises `min` for `max`, `M · N` or `M + N` as the upper bound
 * and swapped bounds.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb (exercise 2).
 *
 * @example
 * ```ts
 * import { checkAlignmentMass } from "./expected_alignment.ts";
 * checkAlignmentMass((M, N) => [Math.min(M, N), M + N - 1]).passed; // false
 * ```
 */
export function checkAlignmentMass(answer: MassBoundsAnswer): Feedback {
  const name = "Exercise 02.2 (how much mass E carries)";
  const bad = notAFunction(answer, "a function massBounds(M, N)");
  if (bad) return verdict(name, [bad], "");
  for (const [M, N] of [[4, 3], [2, 6], [5, 5], [1, 4], [150, 16]]) {
    const here = `massBounds(${M}, ${N})`;
    const r = attempt(() => answer(M, N));
    if (!r.ok) return verdict(name, [`${here} threw ${r.error}.`], "");
    const v = r.value;
    if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === "number")) {
      return verdict(name, [`${here} returned ${describe(v)}, expected [low, high].`], "");
    }
    const [lo, hi] = v;
    const LO = Math.max(M, N), HI = M + N - 1;
    const problems: string[] = [];
    if (lo > hi) {
      problems.push(`${here} = [${lo}, ${hi}]: the low bound is above the high one.`);
    } else {
      if (lo !== LO) {
        problems.push(
          lo === Math.min(M, N)
            ? `the low bound ${lo} = min(M, N) is too low: a path visits every row and every ` +
              `column, so it has at least max(M, N) = ${LO} cells.`
            : `the low bound of ${here} is ${lo}, expected ${LO} (a path visits every row ` +
              `and every column, and a diagonal step advances both).`,
        );
      }
      if (hi !== HI) {
        problems.push(
          hi === M * N
            ? `the high bound ${hi} = M·N is too high: a path cannot visit every cell, each ` +
              `step advances at least one index, so from (1, 1) to (M, N) it takes at most ` +
              `M + N − 2 steps and visits at most M + N − 1 = ${HI} cells.`
            : hi === M + N
            ? `the high bound ${hi} = M + N is off by one: M + N − 2 steps visit ` +
              `M + N − 1 = ${HI} cells.`
            : `the high bound of ${here} is ${hi}, expected ${HI}.`,
        );
      }
    }
    if (problems.length > 0) return verdict(name, problems, "");
  }
  return verdict(
    name,
    [],
    "Σ E lies between max(M, N) (all diagonal steps as far as possible) and M + N − 1 (no " +
      "diagonal step); soft-DTW's E, an average of paths, lies in between.",
  );
}
