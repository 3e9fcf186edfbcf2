/**
 * Classic dynamic time warping (DTW): accumulated cost, optimal warping path by backtracking,
 * the alignment as a binary matrix, and the DTW value.
 *
 * For a cost matrix `C` (M x N) the accumulated cost is
 * `D(m, n) = C(m, n) + min(D(m-1, n-1), D(m-1, n), D(m, n-1))` with `D(0, 0) = C(0, 0)`
 * (0-based; the first row and column accumulate along their single predecessor), and
 * `DTW(C) = D(M-1, N-1)`. An alignment is a monotone, continuous path from `(0, 0)` to
 * `(M-1, N-1)` with steps `(1, 0)`, `(0, 1)` and `(1, 1)`; as a binary matrix `A` it has
 * `DTW(C) = min_A <A, C>`.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb and notebooks/02_gradient_expected_alignment.ipynb.
 *
 * @example
 * ```ts
 * import { dtw } from "./dtw.ts";
 * const { value, path } = dtw([[0, 1, 1], [1, 0, 0]]);
 * // value = 0, path = [[0, 0], [1, 1], [1, 2]]
 * ```
 *
 * @module
 */
import { checkMatrix } from "./cost.ts";

/** A warping path: a list of cells `[m, n]` from `[0, 0]` to `[M-1, N-1]`. */
export type WarpingPath = [number, number][];

/** Result of {@linkcode dtw}. */
export interface DtwResult {
  /** The DTW value `D(M-1, N-1)`: the minimal alignment cost. */
  value: number;
  /** The accumulated cost matrix `D` (M x N). */
  D: number[][];
  /** The optimal warping path (backtracked; ties prefer the diagonal, then vertical). */
  path: WarpingPath;
  /** The path as an M x N binary alignment matrix. */
  alignment: number[][];
}

/**
 * Accumulated cost matrix `D` of DTW. Throws for empty, ragged or non-finite cost matrices.
 *
 * @example
 * ```ts
 * import { accumulatedCost } from "./dtw.ts";
 * accumulatedCost([[1, 2], [3, 1]]); // [[1, 3], [4, 2]]
 * ```
 */
export function accumulatedCost(cost: number[][]): number[][] {
  const { rows: M, cols: N } = checkMatrix(cost, { name: "cost" });
  const D: number[][] = [];
  for (let m = 0; m < M; m++) {
    const row: number[] = new Array(N);
    for (let n = 0; n < N; n++) {
      let best: number;
      if (m === 0 && n === 0) best = 0;
      else if (m === 0) best = row[n - 1];
      else if (n === 0) best = D[m - 1][0];
      else best = Math.min(D[m - 1][n - 1], D[m - 1][n], row[n - 1]);
      row[n] = cost[m][n] + best;
    }
    D.push(row);
  }
  return D;
}

/**
 * Optimal warping path by backtracking through an accumulated cost matrix `D`: from
 * `(M-1, N-1)` step to the predecessor with the smallest `D` (ties: diagonal, then
 * vertical, then horizontal) until `(0, 0)`. Returns the path from `(0, 0)`.
 *
 * @example
 * ```ts
 * import { accumulatedCost, optimalWarpingPath } from "./dtw.ts";
 * optimalWarpingPath(accumulatedCost([[0, 1], [1, 0]])); // [[0, 0], [1, 1]]
 * ```
 */
export function optimalWarpingPath(D: number[][]): WarpingPath {
  const { rows: M, cols: N } = checkMatrix(D, { name: "D" });
  let m = M - 1, n = N - 1;
  const path: WarpingPath = [[m, n]];
  while (m > 0 || n > 0) {
    if (m === 0) n--;
    else if (n === 0) m--;
    else {
      const diag = D[m - 1][n - 1], up = D[m - 1][n], left = D[m][n - 1];
      const best = Math.min(diag, up, left);
      if (diag === best) {
        m--;
        n--;
      } else if (up === best) m--;
      else n--;
    }
    path.push([m, n]);
  }
  return path.reverse();
}

/**
 * Checks a warping path for an M x N grid: it starts at `(0, 0)`, ends at `(M-1, N-1)`, and
 * every step is `(1, 0)`, `(0, 1)` or `(1, 1)`. Throws a `RangeError` naming the offending
 * step otherwise (a `TypeError` when `path` is not an array of `[m, n]` pairs).
 *
 * @example
 * ```ts
 * import { checkWarpingPath } from "./dtw.ts";
 * checkWarpingPath([[0, 0], [1, 1]], { rows: 2, cols: 2 });
 * ```
 */
export function checkWarpingPath(
  path: readonly (readonly number[])[],
  size: { rows: number; cols: number },
): void {
  const { rows: M, cols: N } = size;
  if (!Array.isArray(path) || !path.every((c) => Array.isArray(c) && c.length === 2)) {
    throw new TypeError("path must be an array of [m, n] cells");
  }
  if (path.length === 0) throw new RangeError("path must be a non-empty list of [m, n] cells");
  const [m0, n0] = path[0];
  if (m0 !== 0 || n0 !== 0) {
    throw new RangeError(`path must start at [0, 0], starts at [${m0}, ${n0}]`);
  }
  const [mL, nL] = path[path.length - 1];
  if (mL !== M - 1 || nL !== N - 1) {
    throw new RangeError(`path must end at [${M - 1}, ${N - 1}], ends at [${mL}, ${nL}]`);
  }
  for (let i = 1; i < path.length; i++) {
    const dm = path[i][0] - path[i - 1][0], dn = path[i][1] - path[i - 1][1];
    const ok = (dm === 1 && dn === 0) || (dm === 0 && dn === 1) || (dm === 1 && dn === 1);
    if (!ok) {
      throw new RangeError(
        `path step ${i} from [${path[i - 1]}] to [${path[i]}] is not (1,0), (0,1) or (1,1)`,
      );
    }
  }
}

/**
 * The alignment matrix of a warping path: an M x N binary matrix with ones on the path.
 * The path is validated by {@linkcode checkWarpingPath}.
 *
 * @example
 * ```ts
 * import { alignmentMatrix } from "./dtw.ts";
 * alignmentMatrix([[0, 0], [0, 1], [1, 2]], { rows: 2, cols: 3 }); // [[1, 1, 0], [0, 0, 1]]
 * ```
 */
export function alignmentMatrix(
  path: readonly (readonly number[])[],
  size: { rows: number; cols: number },
): number[][] {
  checkWarpingPath(path, size);
  const A = Array.from({ length: size.rows }, () => new Array<number>(size.cols).fill(0));
  for (const [m, n] of path) A[m][n] = 1;
  return A;
}

/**
 * Classic DTW of a cost matrix: value, accumulated cost, optimal path and alignment matrix.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb and notebooks/02_gradient_expected_alignment.ipynb.
 *
 * @example
 * ```ts
 * import { dtw } from "./dtw.ts";
 * dtw([[0, 1], [1, 0]]).value; // 0
 * ```
 */
export function dtw(cost: number[][]): DtwResult {
  const D = accumulatedCost(cost);
  const path = optimalWarpingPath(D);
  const alignment = alignmentMatrix(path, { rows: D.length, cols: D[0].length });
  return { value: D[D.length - 1][D[0].length - 1], D, path, alignment };
}
