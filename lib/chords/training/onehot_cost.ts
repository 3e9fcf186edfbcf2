/**
 * The cost matrix of dChord's soft-DTW losses and its chain rule (the soft-DTW loss object of
 * losses.ts): the squared Euclidean
 * distance `C(m, n) = ||p_m − y_n||²` between the softmax outputs `p_m` (24 per frame) of one
 * segment and one-hot target rows `y_n` (all-zero for N), written with one multiplication per
 * cell as `||p_m||² − 2 p_m[y_n] + 1`, and the gradient `∂L/∂p_m = s Σ_n E(m, n) (p_m − y_n)`
 * (times 2 from the square, folded into `s`) from the soft-DTW gradient `E = ∂SDTW/∂C`.
 *
 * @example
 * ```ts
 * import { oneHotCost } from "./onehot_cost.ts";
 * const P = new Float64Array(24).fill(0);
 * P[0] = 1; // one frame, certain of C major
 * const cost = new Float64Array(2);
 * oneHotCost({ P, offset: 0, frames: 1, targets: Int32Array.of(0, 7), targetOffset: 0, cols: 2 }, cost);
 * // cost = [0, 2]
 * ```
 *
 * @module
 */

/** One segment's probabilities and targets (see the module doc). */
export interface OneHotSegment {
  /** Probabilities, 24 per frame, row-major. */
  P: Float64Array;
  /** Index in `P` of the segment's first frame. */
  offset: number;
  /** Frames M (cost rows). */
  frames: number;
  /** Target indices (0..23, or −1 for an all-zero row). */
  targets: Int32Array;
  /** Index in `targets` of the segment's first target. */
  targetOffset: number;
  /** Targets N (cost columns). */
  cols: number;
}

/**
 * Writes the M × N cost `||p_m − y_n||²` of a segment into `cost` (row-major, stride N).
 *
 * @example
 * ```ts
 * import { oneHotCost } from "./onehot_cost.ts";
 * const cost = new Float64Array(1);
 * oneHotCost({ P: new Float64Array(24), offset: 0, frames: 1, targets: Int32Array.of(-1), targetOffset: 0, cols: 1 }, cost);
 * // cost = [0]
 * ```
 */
export function oneHotCost(s: OneHotSegment, cost: Float64Array): void {
  const { P, offset: po, frames: M, targets: y, targetOffset: yo, cols: N } = s;
  for (let m = 0; m < M; m++) {
    const o = po + m * 24;
    let sq = 0;
    for (let k = 0; k < 24; k++) sq += P[o + k] * P[o + k];
    for (let n = 0; n < N; n++) {
      const idx = y[yo + n];
      cost[m * N + n] = idx < 0 ? sq : sq - 2 * P[o + idx] + 1;
    }
  }
}

/**
 * Writes `∂L/∂p_m = scale · Σ_n E(m, n) (p_m − y_n)` of a segment into `grad` (same layout as
 * `P`), given `E = ∂L/∂C` (M × N, row-major); `scale` is 2 (from the square) over the batch
 * size for a mean over the segments.
 *
 * @example
 * ```ts
 * import { oneHotCostGrad } from "./onehot_cost.ts";
 * const grad = new Float64Array(24);
 * const s = { P: new Float64Array(24), offset: 0, frames: 1, targets: Int32Array.of(3), targetOffset: 0, cols: 1 };
 * oneHotCostGrad(s, new Float64Array([1]), 2, grad); // grad[3] = -2, the rest 0
 * ```
 */
export function oneHotCostGrad(
  s: OneHotSegment,
  E: Float64Array,
  scale: number,
  grad: Float64Array,
): void {
  const { P, offset: po, frames: M, targets: y, targetOffset: yo, cols: N } = s;
  for (let m = 0; m < M; m++) {
    const o = po + m * 24, e = m * N;
    let rowSum = 0;
    for (let n = 0; n < N; n++) rowSum += E[e + n];
    for (let k = 0; k < 24; k++) grad[o + k] = scale * rowSum * P[o + k];
    for (let n = 0; n < N; n++) {
      const idx = y[yo + n];
      if (idx >= 0) grad[o + idx] -= scale * E[e + n];
    }
  }
}
