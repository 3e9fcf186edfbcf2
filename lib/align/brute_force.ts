/**
 * Brute-force alignment enumeration: the ground truth for DTW and soft-DTW on tiny problems.
 *
 * Every alignment between sequences of lengths M and N (a monotone, continuous path from
 * `(0, 0)` to `(M-1, N-1)` with steps `(1, 0)`, `(0, 1)`, `(1, 1)`) is listed explicitly.
 * Their number is the Delannoy number `D(M-1, N-1)`. With the alignment cost `<A, C>`
 * (sum of the costs on the path):
 *
 * - `DTW(C) = min_A <A, C>`;
 * - the Gibbs distribution `p^γ(A) = exp(-<A, C>/γ) / Σ_A' exp(-<A', C>/γ)`;
 * - `SDTW^γ(C) = -γ log Σ_A exp(-<A, C>/γ)`;
 * - the expected alignment `E^γ = Σ_A p^γ(A) A` (= ∂SDTW^γ/∂C).
 *
 * Sums of exponentials are computed stably (the smallest cost is subtracted first). The
 * enumeration refuses problems with more than `maxAlignments` (default 100 000) alignments.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb and notebooks/02_gradient_expected_alignment.ipynb.
 *
 * @example
 * ```ts
 * import { bruteForceSoftDtw, delannoy } from "./brute_force.ts";
 * delannoy(2, 2); // 13 alignments for 3 x 3
 * const { value, expectedAlignment } = bruteForceSoftDtw([[0, 1], [1, 0]], { gamma: 1 });
 * ```
 *
 * @module
 */
import { checkPositiveIntegers } from "./_checks.ts";
import { checkMatrix } from "./cost.ts";
import { alignmentMatrix, type WarpingPath } from "./dtw.ts";
import { checkSoftDtwOptions, type SoftDtwOptions } from "./options.ts";

/** Default limit on the number of enumerated alignments. */
export const DEFAULT_MAX_ALIGNMENTS = 100_000;

/**
 * The Delannoy number `D(m, n)`: the number of paths from `(0, 0)` to `(m, n)` with steps
 * `(1, 0)`, `(0, 1)`, `(1, 1)`, i.e. the number of alignments between sequences of lengths
 * `m + 1` and `n + 1`. Recursion `D(m, n) = D(m-1, n) + D(m, n-1) + D(m-1, n-1)`,
 * `D(m, 0) = D(0, n) = 1`. Throws if the result exceeds `Number.MAX_SAFE_INTEGER`.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { delannoy } from "./brute_force.ts";
 * delannoy(3, 3); // 63
 * ```
 */
export function delannoy(m: number, n: number): number {
  for (const [k, v] of [["m", m], ["n", n]] as const) {
    if (!Number.isInteger(v) || v < 0) {
      throw new RangeError(`delannoy: ${k} must be a non-negative integer, got ${v}`);
    }
  }
  let row = new Array<number>(n + 1).fill(1);
  for (let i = 1; i <= m; i++) {
    const next = new Array<number>(n + 1);
    next[0] = 1;
    for (let j = 1; j <= n; j++) {
      next[j] = row[j] + next[j - 1] + row[j - 1];
      if (next[j] > Number.MAX_SAFE_INTEGER) {
        throw new RangeError(`delannoy(${m}, ${n}) exceeds Number.MAX_SAFE_INTEGER`);
      }
    }
    row = next;
  }
  return row[n];
}

/**
 * The natural logarithm of the Delannoy number `D(m, n)`, computed in log space with the same
 * recursion (`log D(m, n) = logsumexp(log D(m-1, n), log D(m, n-1), log D(m-1, n-1))`), so it
 * is finite for any size (`D(1023, 1023)` has about 785 decimal digits). Relative accuracy is
 * about `1e-15 * (m + n)`.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb (the bound `SDTW >= DTW - γ log #alignments`).
 *
 * @example
 * ```ts
 * import { logDelannoy } from "./brute_force.ts";
 * Math.exp(logDelannoy(3, 3)); // ≈ 63
 * logDelannoy(1023, 1023); // ≈ 1799.27
 * ```
 */
export function logDelannoy(m: number, n: number): number {
  for (const [k, v] of [["m", m], ["n", n]] as const) {
    if (!Number.isInteger(v) || v < 0) {
      throw new RangeError(`logDelannoy: ${k} must be a non-negative integer, got ${v}`);
    }
  }
  let row = new Float64Array(n + 1); // log 1 = 0
  for (let i = 1; i <= m; i++) {
    const next = new Float64Array(n + 1);
    for (let j = 1; j <= n; j++) {
      const a = row[j], b = next[j - 1], c = row[j - 1];
      const mx = Math.max(a, b, c);
      next[j] = mx + Math.log(Math.exp(a - mx) + Math.exp(b - mx) + Math.exp(c - mx));
    }
    row = next;
  }
  return row[n];
}

/** Options of {@linkcode enumerateWarpingPaths} and {@linkcode bruteForceDtw}. */
export interface EnumerateOptions {
  /** Refuse problems with more alignments than this (default {@linkcode DEFAULT_MAX_ALIGNMENTS}). */
  maxAlignments?: number;
}

/**
 * All warping paths of an M x N grid, in lexicographic order of their steps
 * (diagonal first, then vertical, then horizontal). Throws a `RangeError` if their number,
 * `delannoy(M-1, N-1)`, exceeds `maxAlignments`.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { enumerateWarpingPaths } from "./brute_force.ts";
 * enumerateWarpingPaths({ rows: 2, cols: 2 }).length; // 3
 * ```
 */
export function enumerateWarpingPaths(
  size: { rows: number; cols: number },
  options: EnumerateOptions = {},
): WarpingPath[] {
  const { rows: M, cols: N } = size;
  checkPositiveIntegers({ rows: M, cols: N });
  const max = options.maxAlignments ?? DEFAULT_MAX_ALIGNMENTS;
  let count: number;
  try {
    count = delannoy(M - 1, N - 1);
  } catch {
    count = Infinity;
  }
  if (count > max) {
    throw new RangeError(
      `too many alignments to enumerate for ${M} x ${N}: delannoy(${M - 1}, ${
        N - 1
      }) = ${count} > maxAlignments = ${max}`,
    );
  }
  const out: WarpingPath[] = [];
  const path: WarpingPath = [[0, 0]];
  const walk = (m: number, n: number) => {
    if (m === M - 1 && n === N - 1) {
      out.push(path.map(([a, b]) => [a, b]));
      return;
    }
    for (const [dm, dn] of [[1, 1], [1, 0], [0, 1]]) {
      const a = m + dm, b = n + dn;
      if (a < M && b < N) {
        path.push([a, b]);
        walk(a, b);
        path.pop();
      }
    }
  };
  walk(0, 0);
  return out;
}

/**
 * The alignment cost `<A, C> = Σ_(m,n) A(m, n) C(m, n)` of a warping path (sum of the costs on
 * the path).
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { alignmentCost } from "./brute_force.ts";
 * alignmentCost([[0, 0], [1, 1]], [[1, 5], [5, 2]]); // 3
 * ```
 */
export function alignmentCost(path: WarpingPath, cost: number[][]): number {
  let s = 0;
  for (const [m, n] of path) s += cost[m][n];
  return s;
}

/** One enumerated alignment with its cost and Gibbs probability. */
export interface WeightedAlignment {
  /** The warping path. */
  path: WarpingPath;
  /** The alignment as a binary matrix. */
  matrix: number[][];
  /** The alignment cost `<A, C>`. */
  cost: number;
  /** The Gibbs probability `p^γ(A)`. */
  probability: number;
}

/** Options of {@linkcode bruteForceSoftDtw}: γ and the enumeration limit. */
export interface BruteForceSoftDtwOptions extends SoftDtwOptions, EnumerateOptions {}

/** Result of {@linkcode bruteForceSoftDtw}. */
export interface BruteForceSoftDtw {
  /** `SDTW^γ(C) = -γ log Σ exp(-<A, C>/γ)`. */
  value: number;
  /** `H = E^γ = Σ p^γ(A) A` (= ∂SDTW^γ/∂C), M x N. */
  expectedAlignment: number[][];
  /** Every alignment with its cost and probability (enumeration order). */
  alignments: WeightedAlignment[];
}

/**
 * Soft-DTW by brute force: enumerates all alignments, their costs, the Gibbs distribution,
 * the soft-DTW value and the expected alignment. Throws for invalid costs, an invalid γ
 * (`checkGamma`, the same check as the DP), or too many alignments.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb.
 *
 * @example
 * ```ts
 * import { bruteForceSoftDtw } from "./brute_force.ts";
 * const r = bruteForceSoftDtw([[0, 1], [1, 0]], { gamma: 0.5 });
 * r.alignments.map((a) => a.probability); // sums to 1
 * ```
 */
export function bruteForceSoftDtw(
  cost: number[][],
  options: BruteForceSoftDtwOptions,
): BruteForceSoftDtw {
  const gamma = checkSoftDtwOptions(options);
  const size = checkMatrix(cost, { name: "cost" });
  const paths = enumerateWarpingPaths(size, options);
  const costs = paths.map((p) => alignmentCost(p, cost));
  const best = Math.min(...costs);
  const weights = costs.map((c) => Math.exp(-(c - best) / gamma));
  const z = weights.reduce((a, b) => a + b, 0);
  const value = best - gamma * Math.log(z);
  const E = Array.from({ length: size.rows }, () => new Array<number>(size.cols).fill(0));
  const alignments = paths.map((path, i) => {
    const probability = weights[i] / z;
    for (const [m, n] of path) E[m][n] += probability;
    return { path, matrix: alignmentMatrix(path, size), cost: costs[i], probability };
  });
  return { value, expectedAlignment: E, alignments };
}

/**
 * DTW by brute force: the minimum alignment cost over all alignments and one minimizing path.
 *
 * @example
 * ```ts
 * import { bruteForceDtw } from "./brute_force.ts";
 * bruteForceDtw([[0, 1], [1, 0]]).value; // 0
 * ```
 */
export function bruteForceDtw(
  cost: number[][],
  options: EnumerateOptions = {},
): { value: number; path: WarpingPath; count: number } {
  const size = checkMatrix(cost, { name: "cost" });
  const paths = enumerateWarpingPaths(size, options);
  let value = Infinity, path = paths[0];
  for (const p of paths) {
    const c = alignmentCost(p, cost);
    if (c < value) {
      value = c;
      path = p;
    }
  }
  return { value, path, count: paths.length };
}
