/**
 * Checkers for the exercises of notebook 01 (DTW and soft-DTW): the soft minimum, the soft-DTW
 * recursion and the number of alignments. Each takes the student's function and returns a
 * {@linkcode Feedback} that names the mistake when it recognises one.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { checkSoftmin } from "./soft_minimum.ts";
 * const mine = (a: number[], g: number) => {
 *   const m = Math.min(...a);
 *   return m - g * Math.log(a.reduce((s, v) => s + Math.exp(-(v - m) / g), 0));
 * };
 * checkSoftmin(mine).passed; // true
 * ```
 *
 * @module
 */
import { bruteForceDtw, bruteForceSoftDtw, delannoy } from "../align/brute_force.ts";
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

/** A soft minimum as the exercise asks for: `softmin(values, gamma)`. */
export type SoftminAnswer = (values: number[], gamma: number) => number;

/** −γ log Σ exp(−a/γ), computed stably (the minimum taken out first). */
function trueSoftmin(values: number[], gamma: number): number {
  const m = Math.min(...values);
  return m - gamma * Math.log(values.reduce((s, v) => s + Math.exp(-(v - m) / gamma), 0));
}

/**
 * Checks a soft minimum `softmin(values, gamma) = −γ log Σ exp(−aᵢ/γ)`: its values, that it is
 * symmetric in its arguments, that γ is used in both places, that it is not a soft maximum or
 * the hard minimum, and that it stays finite for small γ and large values (the log-sum-exp
 * trick).
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb (exercise 1).
 *
 * @example
 * ```ts
 * import { checkSoftmin } from "./soft_minimum.ts";
 * checkSoftmin((a) => Math.min(...a)).messages[0]; // "... the hard minimum ..."
 * ```
 */
export function checkSoftmin(answer: SoftminAnswer): Feedback {
  const name = "Exercise 01.1 (soft minimum)";
  const bad = notAFunction(answer, "a function softmin(values, gamma)");
  if (bad) return verdict(name, [bad], "");
  const call = (v: number[], g: number) => attempt(() => answer([...v], g));
  const show = (v: number[], g: number) => `softmin([${v.join(", ")}], ${g})`;
  const basic: [number[], number][] = [[[1, 2, 3], 1], [[0.4, 0.1, 0.7], 0.5], [[2, -1], 0.3]];
  const got: number[] = [];
  for (const [v, g] of basic) {
    const r = call(v, g);
    if (!r.ok) return verdict(name, [`${show(v, g)} threw ${r.error}.`], "");
    if (!isNumber(r.value)) {
      return verdict(name, [`${show(v, g)} returned ${describe(r.value)}, not a number.`], "");
    }
    got.push(r.value);
  }
  // symmetry: the same values in another order
  const [v0, g0] = basic[0];
  const turned = [v0[2], v0[0], v0[1]];
  const rt = call(turned, g0);
  if (!rt.ok || !isNumber(rt.value) || !close(rt.value, got[0], 1e-9)) {
    return verdict(name, [
      `your soft minimum is not symmetric in its arguments: ${show(v0, g0)} = ${fmt(got[0])} ` +
      `but ${show(turned, g0)} = ${rt.ok ? describe(rt.value) : rt.error}. Every argument ` +
      `must enter the same way: sum exp(−a/γ) over all of them.`,
    ], "");
  }
  const problems: string[] = [];
  basic.forEach(([v, g], k) => {
    if (problems.length > 0) return;
    const truth = trueSoftmin(v, g);
    const y = got[k];
    if (close(y, truth, 1e-9)) return;
    const softmax = -trueSoftmin(v.map((a) => -a), g);
    const noOuter = truth / g; // −log Σ exp(−a/γ)
    const noInner = trueSoftmin(v, 1) * g; // −γ log Σ exp(−a)
    if (close(y, Math.min(...v), 1e-9)) {
      problems.push(
        `${show(v, g)} = ${fmt(y)} is the hard minimum: the soft minimum ` +
          `−γ log Σ exp(−aᵢ/γ) = ${fmt(truth)} lies below it and only tends to it as γ → 0.`,
      );
    } else if (close(y, softmax, 1e-9) || y > Math.max(...v)) {
      problems.push(
        `${show(v, g)} = ${fmt(y)} is above the largest argument: that is a soft maximum. ` +
          `Both signs matter: −γ log Σ exp(−aᵢ/γ) (expected ${fmt(truth)}).`,
      );
    } else if (close(y, noOuter, 1e-9)) {
      problems.push(
        `${show(v, g)} = ${fmt(y)} = (the soft minimum)/γ: the factor γ in front of the ` +
          `logarithm is missing (expected ${fmt(truth)}).`,
      );
    } else if (close(y, noInner, 1e-9)) {
      problems.push(
        `${show(v, g)} = ${fmt(y)}: the exponent must be divided by γ, exp(−aᵢ/γ), not ` +
          `exp(−aᵢ) (expected ${fmt(truth)}).`,
      );
    } else {
      problems.push(`${show(v, g)} = ${fmt(y)}, expected ${fmt(truth)}.`);
    }
  });
  if (problems.length > 0) return verdict(name, problems, "");
  // stability: small γ, large or negative values
  for (
    const [v, g] of [[[10, 11], 0.001], [[-1000, -999, -998], 1], [[5e3, 5e3 + 1], 0.5]] as [
      number[],
      number,
    ][]
  ) {
    const r = call(v, g);
    const truth = trueSoftmin(v, g);
    if (!r.ok || !isNumber(r.value) || !close(r.value, truth, 1e-9)) {
      return verdict(name, [
        `not numerically stable: ${show(v, g)} gave ${r.ok ? describe(r.value) : r.error}, ` +
        `expected ${fmt(truth)} (exp(−a/γ) under- or overflows). Take the minimum out first: ` +
        `min − γ log Σ exp(−(aᵢ − min)/γ).`,
      ], "");
    }
  }
  return verdict(
    name,
    [],
    "Symmetric, below the minimum, equal to −γ log Σ exp(−aᵢ/γ), and stable for γ = 0.001.",
  );
}

/** A soft-DTW function as the exercise asks for: `softDtw(cost, gamma)`. */
export type SoftDtwAnswer = (cost: number[][], gamma: number) => number;

/** The soft-DTW recursion with a choice of predecessors and of the value outside the matrix. */
function recursion(
  C: number[][],
  gamma: number,
  options: { diagonal: boolean; outside: number },
): number {
  const M = C.length, N = C[0].length;
  const D: number[][] = C.map((r) => r.map(() => 0));
  const at = (i: number, j: number) =>
    i < 0 && j < 0 ? 0 : i < 0 || j < 0 ? options.outside : D[i][j];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      if (i === 0 && j === 0) {
        D[0][0] = C[0][0];
        continue;
      }
      const prev = [at(i - 1, j), at(i, j - 1)];
      if (options.diagonal) prev.push(at(i - 1, j - 1));
      const finite = prev.filter((p) => p !== Infinity);
      D[i][j] = C[i][j] + trueSoftmin(finite, gamma);
    }
  }
  return D[M - 1][N - 1];
}

/**
 * Checks a soft-DTW function `softDtw(cost, gamma)` (the value `D^γ(M, N)` of the recursion)
 * against brute force over every alignment (`bruteForceSoftDtw`), and recognises the hard
 * minimum, a recursion without the diagonal step, and borders treated as 0 instead of +∞.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb (exercise 2).
 *
 * @example
 * ```ts
 * import { checkSoftDtw } from "./soft_minimum.ts";
 * checkSoftDtw(() => 0).passed; // false
 * ```
 */
export function checkSoftDtw(answer: SoftDtwAnswer): Feedback {
  const name = "Exercise 01.2 (the soft-DTW recursion)";
  const bad = notAFunction(answer, "a function softDtw(cost, gamma)");
  if (bad) return verdict(name, [bad], "");
  const cases: [number[][], number][] = [
    [[[0.2, 1.1, 2.0, 0.7], [1.3, 0.1, 0.9, 1.5], [2.2, 1.0, 0.3, 0.4]], 1],
    [[[0.2, 1.1, 2.0, 0.7], [1.3, 0.1, 0.9, 1.5], [2.2, 1.0, 0.3, 0.4]], 0.1],
    [[[0, 1, 4], [1, 0, 1], [4, 1, 0], [9, 4, 1]], 0.5],
    [[[0.5, 0.25, 2]], 1],
    [[[1], [2], [0.5]], 0.3],
  ];
  for (const [C, g] of cases) {
    const shape = `${C.length} × ${C[0].length} cost matrix, γ = ${g}`;
    const r = attempt(() => answer(C.map((row) => [...row]), g));
    if (!r.ok) return verdict(name, [`on a ${shape} your function threw ${r.error}.`], "");
    const y = r.value;
    if (!isNumber(y)) {
      return verdict(name, [`on a ${shape} it returned ${describe(y)}, not a number.`], "");
    }
    const truth = bruteForceSoftDtw(C, { gamma: g }).value;
    if (close(y, truth, 1e-9)) continue;
    if (close(y, bruteForceDtw(C).value, 1e-9)) {
      return verdict(name, [
        `on a ${shape} you return DTW (${fmt(y)}): the recursion must take the soft minimum ` +
        `of the three predecessors, not the minimum (soft-DTW is ${fmt(truth)}).`,
      ], "");
    }
    if (close(y, recursion(C, g, { diagonal: false, outside: Infinity }), 1e-9)) {
      return verdict(name, [
        `on a ${shape} you get ${fmt(y)}: your recursion leaves out the diagonal ` +
        `predecessor D(m−1, n−1) (soft-DTW is ${fmt(truth)}).`,
      ], "");
    }
    if (close(y, recursion(C, g, { diagonal: true, outside: 0 }), 1e-9)) {
      return verdict(name, [
        `on a ${shape} you get ${fmt(y)}: the cells outside the matrix must count as +∞ ` +
        `(a path starts at (1, 1)), not 0; only D(0, 0) = 0 (soft-DTW is ${fmt(truth)}).`,
      ], "");
    }
    return verdict(name, [`on a ${shape} you get ${fmt(y)}, expected ${fmt(truth)}.`], "");
  }
  return verdict(
    name,
    [],
    "Equal to brute force over every alignment on five cost matrices (1 × 3 and 3 × 1 among them).",
  );
}

/** A count of alignments as the exercise asks for: `countAlignments(M, N)`. */
export type CountAnswer = (M: number, N: number) => number;

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * Checks a function `countAlignments(M, N)`: the number of warping paths of an `M × N` cost
 * matrix, the Delannoy number D(M − 1, N − 1). Recognises the count without diagonal steps (a
 * binomial coefficient) and an off-by-one D(M, N).
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb (exercise 3).
 *
 * @example
 * ```ts
 * import { checkAlignmentCount } from "./soft_minimum.ts";
 * checkAlignmentCount(() => 1).passed; // false
 * ```
 */
export function checkAlignmentCount(answer: CountAnswer): Feedback {
  const name = "Exercise 01.3 (counting alignments)";
  const bad = notAFunction(answer, "a function countAlignments(M, N)");
  if (bad) return verdict(name, [bad], "");
  for (const [M, N] of [[1, 1], [2, 2], [3, 4], [7, 4], [1, 5], [6, 6]]) {
    const r = attempt(() => answer(M, N));
    const here = `countAlignments(${M}, ${N})`;
    if (!r.ok) return verdict(name, [`${here} threw ${r.error}.`], "");
    const truth = delannoy(M - 1, N - 1);
    if (r.value === truth) continue;
    if (r.value === binomial(M + N - 2, M - 1)) {
      return verdict(name, [
        `${here} = ${describe(r.value)} counts only the paths of horizontal and vertical ` +
        `steps: diagonal steps (1, 1) are allowed too (expected ${truth}).`,
      ], "");
    }
    if (r.value === delannoy(M, N)) {
      return verdict(name, [
        `${here} = ${describe(r.value)} is off by one: a path takes M − 1 row steps and ` +
        `N − 1 column steps, so it is D(M − 1, N − 1) = ${truth}.`,
      ], "");
    }
    return verdict(name, [`${here} = ${describe(r.value)}, expected ${truth}.`], "");
  }
  return verdict(name, [], "Equal to the Delannoy number D(M − 1, N − 1) on six sizes.");
}
