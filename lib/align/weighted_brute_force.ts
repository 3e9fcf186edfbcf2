/**
 * Brute-force ground truth for weighted and banded soft-DTW: every warping path of the grid is
 * listed (`brute_force.ts`), paths leaving the band are dropped, and each path's weighted cost
 * `Σ_k w(step entering cell k) · C(cell k)` (the first cell entered diagonally from the virtual
 * origin) enters the Gibbs distribution. The value, the occupancy `E` and the gradient
 * `Σ_A p(A) · w_A(m, n)` (the weight with which path `A` enters cell `(m, n)`) are plain sums
 * over the paths, independent of the dynamic program of `weighted.ts`.
 *
 * @example
 * ```ts
 * import { bruteForceWeightedSoftDtw } from "./weighted_brute_force.ts";
 * const r = bruteForceWeightedSoftDtw([[0, 1], [1, 0]], { gamma: 1, stepWeights: [1, 1, 2] });
 * r.count; // 3 paths
 * ```
 *
 * @module
 */
import { enumerateWarpingPaths } from "./brute_force.ts";
import type { BandLimits } from "./band.ts";
import type { StepWeights } from "./options.ts";

/** Result of {@linkcode bruteForceWeightedSoftDtw}. */
export interface BruteForceWeighted {
  /** `-γ log Σ_A exp(-cost_w(A)/γ)` over the paths inside the band. */
  value: number;
  /** Expected alignment (occupancy) `E`. */
  occupancy: number[][];
  /** `∂value/∂C`: expected weight of the step entering each cell. */
  grad: number[][];
  /** Number of paths inside the band. */
  count: number;
}

/**
 * Weighted (and optionally banded) soft-DTW by enumerating every warping path; for small
 * matrices only (at most `maxAlignments` paths, default 100 000).
 *
 * @example
 * ```ts
 * import { bruteForceWeightedSoftDtw } from "./weighted_brute_force.ts";
 * bruteForceWeightedSoftDtw([[1, 2, 3]], { gamma: 1, stepWeights: [1, 0.5, 2] }).value; // 2 + 1 + 1.5
 * ```
 */
export function bruteForceWeightedSoftDtw(
  cost: number[][],
  options: { gamma: number; stepWeights: StepWeights; band?: BandLimits; maxAlignments?: number },
): BruteForceWeighted {
  const M = cost.length, N = cost[0].length;
  const { gamma, band } = options;
  const [wr, wc, wd] = options.stepWeights;
  const inBand = (m: number, n: number) => !band || (n >= band.lo[m] && n <= band.hi[m]);
  const paths = enumerateWarpingPaths({ rows: M, cols: N }, {
    maxAlignments: options.maxAlignments,
  }).filter((p) => p.every(([m, n]) => inBand(m, n)));
  const stepWeight = (p: [number, number][], k: number) => {
    if (k === 0) return wd;
    const dm = p[k][0] - p[k - 1][0], dn = p[k][1] - p[k - 1][1];
    return dm === 1 && dn === 1 ? wd : dm === 1 ? wr : wc;
  };
  const costs = paths.map((p) => p.reduce((s, [m, n], k) => s + stepWeight(p, k) * cost[m][n], 0));
  const best = Math.min(...costs);
  const w = costs.map((c) => Math.exp(-(c - best) / gamma));
  const z = w.reduce((a, b) => a + b, 0);
  const occupancy = cost.map((r) => r.map(() => 0));
  const grad = cost.map((r) => r.map(() => 0));
  paths.forEach((p, i) => {
    const prob = w[i] / z;
    p.forEach(([m, n], k) => {
      occupancy[m][n] += prob;
      grad[m][n] += prob * stepWeight(p, k);
    });
  });
  return { value: best - gamma * Math.log(z), occupancy, grad, count: paths.length };
}
