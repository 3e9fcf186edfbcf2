/**
 * Float64 kernels of the stabilized training losses of dChord (issue 12): soft-DTW with step
 * weights (and so with an additive diagonal prior on its cost), the CTC loss with an optional
 * blank penalty, the diagonal prior, and the schedules of γ and of the prior's weight. They
 * work on flat typed arrays inside the float64 training engine (no allocation per call beyond
 * the dynamic-programming tables), one sequence pair at a time, so every pair of a batch can
 * have its own length.
 *
 * Conventions: a cost matrix has the prediction frames as rows (`M`, here 150) and the target
 * elements as columns (`N`). Step weights are `[wRow, wCol, wDiag]`: `wRow` weighs the step to
 * the next frame on the same target element, `wCol` the step to the next target element on the
 * same frame, `wDiag` the diagonal step; each step multiplies the cost of the cell it enters,
 * the first cell being entered diagonally from a virtual origin. Zeitler, Krause and Müller
 * (ICASSP 2024) write `[w_v, w_h, w_d]` for a matrix whose rows are the target elements, so
 * their `[w_v, w_h, w_d]` is our `[w_h, w_v, w_d]`: their "[1, 0, 1]" (frame steps free) is our
 * `[0, 1, 1]`, their "[1, 1, 2]" is our `[1, 1, 2]`.
 *
 * The alignment-family kernels in `lib/align` (step weights, prior, CTC) compute the
 * same quantities for general use; these are the training engine's versions (flat buffers,
 * per-pair lengths), tested against brute force and finite differences in losses64_test.ts.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb (through the extended trainer).
 *
 * @example
 * ```ts
 * import { weightedSoftDtw64 } from "./losses64.ts";
 * const grad = new Float64Array(4);
 * weightedSoftDtw64({
 *   cost: new Float64Array([0, 1, 1, 0]), rows: 2, cols: 2, gamma: 1,
 *   stepWeights: [1, 1, 1], grad,
 * }); // plain soft-DTW of the 2 × 2 cost
 * ```
 *
 * @module
 */

/** A linear schedule: `from` up to epoch `start`, `to` from epoch `end` on, linear between. */
export interface LinearSchedule {
  /** Value at epochs 1..start. */
  from: number;
  /** Value at epochs end..∞. */
  to: number;
  /** Last epoch (from 1) at `from`. */
  start: number;
  /** First epoch at `to` (> start). */
  end: number;
}

/** A constant or a linear schedule. */
export type Schedule = number | LinearSchedule;

/**
 * The value of a schedule at an epoch (from 1): a constant, or for a linear schedule `from`
 * for `epoch ≤ start`, `to` for `epoch ≥ end` and `from + (to − from)(epoch − start)/(end −
 * start)` between.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { scheduleAt } from "./losses64.ts";
 * scheduleAt({ from: 10, to: 0.3, start: 10, end: 50 }, 30); // 5.15
 * ```
 */
export function scheduleAt(schedule: Schedule, epoch: number): number {
  if (typeof schedule === "number") return schedule;
  const { from, to, start, end } = schedule;
  if (epoch <= start) return from;
  if (epoch >= end) return to;
  return from + (to - from) * (epoch - start) / (end - start);
}

/** The value a schedule ends at (`to`, or the constant). */
export function scheduleEnd(schedule: Schedule): number {
  return typeof schedule === "number" ? schedule : schedule.to;
}

/**
 * Checks a schedule: its values must satisfy `valueOk` (described by `rule`), a linear
 * schedule needs integer epochs `1 ≤ start < end ≤ epochs`. Throws a `RangeError` (a
 * `TypeError` for a wrong shape) naming `name`. Returns a copy.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb (through the trainer's configuration).
 *
 * @example
 * ```ts
 * import { checkSchedule } from "./losses64.ts";
 * checkSchedule({ from: 3, to: 0, start: 1, end: 30 }, {
 *   name: "prior.weight", epochs: 300, valueOk: (v) => v >= 0, rule: ">= 0",
 * });
 * ```
 */
export function checkSchedule(
  schedule: Schedule,
  options: { name: string; epochs: number; valueOk: (v: number) => boolean; rule: string },
): Schedule {
  const { name, epochs, valueOk, rule } = options;
  const checkValue = (v: unknown, what: string) => {
    if (typeof v !== "number" || !Number.isFinite(v) || !valueOk(v)) {
      throw new RangeError(`${what} must be a finite number ${rule}, got ${v}`);
    }
  };
  if (typeof schedule === "number") {
    checkValue(schedule, name);
    return schedule;
  }
  if (!schedule || typeof schedule !== "object") {
    throw new TypeError(`${name} must be a number or { from, to, start, end }, got ${schedule}`);
  }
  for (const key of Object.keys(schedule)) {
    if (!["from", "to", "start", "end"].includes(key)) {
      throw new TypeError(`${name}: unknown field "${key}" (known: from, to, start, end)`);
    }
  }
  checkValue(schedule.from, `${name}.from`);
  checkValue(schedule.to, `${name}.to`);
  const { start, end } = schedule;
  if (!Number.isInteger(start) || start < 1) {
    throw new RangeError(`${name}.start must be an epoch >= 1, got ${start}`);
  }
  if (!Number.isInteger(end) || end <= start || end > epochs) {
    throw new RangeError(
      `${name}.end must be an epoch in ${start + 1}..${epochs} (after start, within the ` +
        `${epochs} epochs), got ${end}`,
    );
  }
  return { ...schedule };
}

/**
 * The diagonal prior `P` (rows × cols, row-major) of Zeitler, Deniffel, Krause and Müller
 * (ISMIR 2023) for `rows` prediction frames and `cols` target elements: target element `n`
 * owns the share `[n·M/N, (n+1)·M/N]` of the frame axis; `P(m, n) = 1` when the centre
 * `m + ½` of frame `m` lies in that share and `exp(−d²/(2ν²))` otherwise, `d` the distance (in
 * frames) from the centre to the share. The loss adds `w·(1 − P)` to the cost.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { diagonalPrior } from "./losses64.ts";
 * const P = diagonalPrior({ rows: 4, cols: 2, nu: 1 });
 * // frame 0 in element 0's share: P[0] = 1; frame 3 is 1.5 frames after it: P[6] = exp(-1.125)
 * ```
 */
export function diagonalPrior(options: { rows: number; cols: number; nu: number }): Float64Array {
  const { rows: M, cols: N, nu } = options;
  if (!Number.isInteger(M) || M < 1 || !Number.isInteger(N) || N < 1) {
    throw new RangeError(`diagonalPrior: rows and cols must be positive integers, got ${M}, ${N}`);
  }
  if (typeof nu !== "number" || !Number.isFinite(nu) || nu <= 0) {
    throw new RangeError(`diagonalPrior: nu must be a positive finite number, got ${nu}`);
  }
  const P = new Float64Array(M * N);
  const share = M / N, k = 1 / (2 * nu * nu);
  for (let m = 0; m < M; m++) {
    const t = m + 0.5;
    for (let n = 0; n < N; n++) {
      const d = Math.max(0, n * share - t, t - (n + 1) * share);
      P[m * N + n] = Math.exp(-d * d * k);
    }
  }
  return P;
}

/** Arguments of {@linkcode weightedSoftDtw64}. */
export interface WeightedSoftDtwArgs {
  /** Cost, rows × cols, row-major (from index 0). */
  cost: Float64Array;
  /** Rows M (prediction frames). */
  rows: number;
  /** Columns N (target elements). */
  cols: number;
  /** Temperature γ > 0. */
  gamma: number;
  /** `[wRow, wCol, wDiag]` ≥ 0 (see the module doc). */
  stepWeights: readonly [number, number, number];
  /** Output for `∂value/∂cost` (rows × cols), or null for the value only. */
  grad: Float64Array | null;
  /** Scratch for the accumulated cost, at least (rows + 1)(cols + 1) (allocated if absent). */
  scratch?: Float64Array;
  /** Output for `∂value/∂D` (the occupancy probabilities), rows × cols (allocated if absent). */
  scratch2?: Float64Array;
  /** Scratch for the softmin weights, at least 3 · rows · cols (allocated if absent). */
  weights?: Float64Array;
}

/**
 * Soft-DTW with step weights: `D(i, j) = min^γ{D(i−1, j) + wRow·C(i, j), D(i, j−1) +
 * wCol·C(i, j), D(i−1, j−1) + wDiag·C(i, j)}` with `D(−1, −1) = 0` and `+∞` on the other
 * boundary cells; returns `D(M−1, N−1)` and writes `∂D(M−1, N−1)/∂C = E ⊙ G` (occupancy times
 * the expected weight of the step entering each cell) into `grad`. `[1, 1, 1]` is plain
 * soft-DTW. The softmin is evaluated around its smallest argument, so any γ > 0 and finite
 * cost give a finite value; a cell no path can reach with finite cost is an error.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb (through the extended trainer).
 *
 * @example
 * ```ts
 * import { weightedSoftDtw64 } from "./losses64.ts";
 * const v = weightedSoftDtw64({
 *   cost: new Float64Array([1, 1, 1, 1]), rows: 2, cols: 2, gamma: 0.01,
 *   stepWeights: [1, 1, 2], grad: null,
 * }); // ≈ 3: the diagonal path pays 1 + 2·1, the others 1 + 1 + 1
 * ```
 */
export function weightedSoftDtw64(args: WeightedSoftDtwArgs): number {
  const { cost: C, rows: M, cols: N, gamma, stepWeights, grad } = args;
  const [wr, wc, wd] = stepWeights;
  const W = N + 1;
  const D = args.scratch ?? new Float64Array((M + 1) * W);
  // softmin weights of the three entering steps of every cell (row, column, diagonal)
  const Pi = args.weights ?? new Float64Array(3 * M * N);
  const ig = 1 / gamma;
  D.fill(Infinity, 0, (M + 1) * W);
  D[0] = 0;
  for (let i = 1; i <= M; i++) {
    const row = i * W, up = row - W, co = (i - 1) * N;
    for (let j = 1; j <= N; j++) {
      const c = C[co + j - 1];
      const a = D[up + j] + wr * c, b = D[row + j - 1] + wc * c, d = D[up + j - 1] + wd * c;
      const mn = a < b ? (a < d ? a : d) : (b < d ? b : d);
      const p = 3 * (co + j - 1);
      if (mn === Infinity) {
        Pi[p] = Pi[p + 1] = Pi[p + 2] = 0;
        continue;
      }
      const ea = a === mn ? 1 : Math.exp((mn - a) * ig);
      const eb = b === mn ? 1 : Math.exp((mn - b) * ig);
      const ed = d === mn ? 1 : Math.exp((mn - d) * ig);
      const s = ea + eb + ed, is = 1 / s;
      Pi[p] = ea * is;
      Pi[p + 1] = eb * is;
      Pi[p + 2] = ed * is;
      D[row + j] = mn - gamma * Math.log(s);
    }
  }
  const value = D[M * W + N];
  if (!Number.isFinite(value)) {
    throw new RangeError(
      `weightedSoftDtw64: D(${M}, ${N}) = ${value} (costs too large or not finite)`,
    );
  }
  if (grad === null) return value;
  // H(i, j) = ∂value/∂D(i, j) (the occupancy probability): each successor passes back the
  // softmin weight of the step from this cell
  const H = args.scratch2 ?? new Float64Array(M * N);
  for (let i = M - 1; i >= 0; i--) {
    const co = i * N;
    for (let j = N - 1; j >= 0; j--) {
      let h = 0;
      if (i === M - 1 && j === N - 1) h = 1;
      else {
        if (i + 1 < M) h += H[co + N + j] * Pi[3 * (co + N + j)];
        if (j + 1 < N) h += H[co + j + 1] * Pi[3 * (co + j + 1) + 1];
        if (i + 1 < M && j + 1 < N) h += H[co + N + j + 1] * Pi[3 * (co + N + j + 1) + 2];
      }
      H[co + j] = h;
      // ∂D(i,j)/∂C(i,j) = expected weight of the step entering (i, j)
      const p = 3 * (co + j);
      grad[co + j] = h * (Pi[p] * wr + Pi[p + 1] * wc + Pi[p + 2] * wd);
    }
  }
  return value;
}

/** Arguments of {@linkcode ctc64}. */
export interface Ctc64Args {
  /** Log-probabilities (or any scores), frames × classes, row-major, from `offset`. */
  logProbs: Float64Array;
  /** Index of entry (0, 0) in `logProbs` (and in `grad`). */
  offset?: number;
  /** Frames T. */
  frames: number;
  /** Classes K (including the blank). */
  classes: number;
  /** Target labels (no blank), length L ≥ 0. */
  labels: ArrayLike<number>;
  /** Index of the blank class. */
  blank: number;
  /** Extra cost of a frame spent on a blank (≥ 0; default 0 = CTC). */
  blankPenalty?: number;
  /** Output for `∂value/∂logProbs` (same layout as `logProbs`), or null. */
  grad: Float64Array | null;
  /** Output for the posterior of the extended states (frames × (2L + 1)), or null. */
  posterior?: Float64Array | null;
}

const logAdd = (a: number, b: number): number => {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
};

/**
 * The CTC loss of one sequence as a soft minimum (γ = 1) over the paths of the CTC graph:
 * the target `y₁…y_L` extended with blanks `ε y₁ ε … y_L ε` (states `s = 0..2L`), the cost of
 * frame `t` in state `s` is `−logProbs[t][ext_s]` (plus `blankPenalty` for blank states); a
 * frame may stay in its state, advance by one, or skip a blank into a label that differs from
 * the previous label; paths start in state 0 or 1 and end in state `2L` or `2L − 1`. Returns
 * `−log Σ_paths Π_t exp(−cost)`, with `blankPenalty = 0` exactly the CTC negative
 * log-likelihood `−log p(y | x)` when the rows are log-probabilities. Writes `∂value/∂logProbs`
 * (minus the posterior occupancy of each class) into `grad` and the state posterior into
 * `posterior`. A target no path can produce in T frames (too long, or repeated labels without
 * room for the blank between them) is a `RangeError` saying so; an empty target means all
 * blanks.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb (through the extended trainer).
 *
 * @example
 * ```ts
 * import { ctc64 } from "./losses64.ts";
 * const logProbs = new Float64Array(6).fill(Math.log(0.5)); // 3 frames, classes {0, blank 1}
 * ctc64({ logProbs, frames: 3, classes: 2, labels: [0], blank: 1, grad: null });
 * // −log(6 · 0.5³): six alignments of "0" in 3 frames
 * ```
 */
export function ctc64(args: Ctc64Args): number {
  const { logProbs: X, frames: T, classes: K, labels, blank, grad } = args;
  const off = args.offset ?? 0;
  const penalty = args.blankPenalty ?? 0;
  const L = labels.length, S = 2 * L + 1;
  let repeats = 0;
  for (let l = 0; l < L; l++) {
    const y = labels[l];
    if (!Number.isInteger(y) || y < 0 || y >= K || y === blank) {
      throw new RangeError(
        `ctc64: label ${l} is ${y}; labels must be classes 0..${
          K - 1
        } other than the blank ${blank}`,
      );
    }
    if (l > 0 && labels[l - 1] === y) repeats++;
  }
  if (L + repeats > T) {
    throw new RangeError(
      `ctc64: a target of ${L} labels with ${repeats} adjacent repeat(s) needs at least ${
        L + repeats
      } frames (a blank between repeats), got ${T}`,
    );
  }
  const ext = new Int32Array(S);
  for (let s = 0; s < S; s++) ext[s] = s % 2 === 0 ? blank : labels[(s - 1) >> 1];
  const emit = (t: number, s: number) => X[off + t * K + ext[s]] - (ext[s] === blank ? penalty : 0);
  const skip = (s: number) => s >= 2 && ext[s] !== blank && ext[s] !== ext[s - 2];
  const A = new Float64Array(T * S).fill(-Infinity);
  A[0] = emit(0, 0);
  if (S > 1) A[1] = emit(0, 1);
  for (let t = 1; t < T; t++) {
    const r = t * S, p = r - S;
    for (let s = 0; s < S; s++) {
      let a = A[p + s];
      if (s >= 1) a = logAdd(a, A[p + s - 1]);
      if (skip(s)) a = logAdd(a, A[p + s - 2]);
      A[r + s] = a === -Infinity ? a : a + emit(t, s);
    }
  }
  const last = (T - 1) * S;
  const logLik = S > 1 ? logAdd(A[last + S - 1], A[last + S - 2]) : A[last];
  if (!Number.isFinite(logLik)) {
    throw new RangeError(`ctc64: log-likelihood ${logLik} (log-probabilities too small or NaN)`);
  }
  const post = args.posterior ?? null;
  if (grad === null && post === null) return -logLik;
  const B = new Float64Array(T * S).fill(-Infinity);
  B[last + S - 1] = emit(T - 1, S - 1);
  if (S > 1) B[last + S - 2] = emit(T - 1, S - 2);
  for (let t = T - 2; t >= 0; t--) {
    const r = t * S, n = r + S;
    for (let s = 0; s < S; s++) {
      let b = B[n + s];
      if (s + 1 < S) b = logAdd(b, B[n + s + 1]);
      if (s + 2 < S && skip(s + 2)) b = logAdd(b, B[n + s + 2]);
      B[r + s] = b === -Infinity ? b : b + emit(t, s);
    }
  }
  if (grad !== null) {
    for (let t = 0; t < T; t++) grad.fill(0, off + t * K, off + (t + 1) * K);
  }
  for (let t = 0; t < T; t++) {
    const r = t * S;
    for (let s = 0; s < S; s++) {
      // α and β both include frame t's emission: remove one copy
      const lp = A[r + s] + B[r + s] - emit(t, s) - logLik;
      const g = lp === -Infinity || Number.isNaN(lp) ? 0 : Math.exp(lp);
      if (post !== null) post[r + s] = g;
      if (grad !== null) grad[off + t * K + ext[s]] -= g;
    }
  }
  return -logLik;
}
