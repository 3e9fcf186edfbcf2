/**
 * Soft-DTW alignment of a sequence of K symbols (the chords of a text) to N frames (a
 * recording's model output) with the steps a chord sequence needs: every frame belongs to
 * exactly one symbol, the symbols follow in order, each at least one frame. In DTW terms the
 * cost matrix is `C[n][k]` (frames × symbols) and a path moves from `(n−1, k)` to `(n, k)` or
 * `(n, k+1)`: the frame index always advances (the course's step-weighted soft-DTW,
 * `weightedSoftDtw` of lib/align, gives every step a finite weight and so cannot forbid the
 * step that keeps the frame; this small dynamic program does, and is checked against brute
 * force over every path and finite differences in sequence_align_test.ts).
 *
 * The soft-DTW value is `V = −γ log Σ_paths exp(−cost(path)/γ)` and the expected alignment
 * `E = ∂V/∂C` is the probability, under the Gibbs distribution `p(path) ∝ exp(−cost/γ)`, that
 * frame `n` belongs to symbol `k`; with `C = −log p(chord | frame)` and `γ = 1` these are the
 * posteriors of a left-to-right HMM with uniform transitions. Because each path visits one
 * symbol per frame, the rows of `E` sum to 1 and `S_k(n) = Σ_{j ≥ k} E[n][j]` is the probability
 * that symbol `k` has started by frame `n`: its increments are the exact distribution of the
 * boundary.
 *
 * Subsequence (`subsequence: true`, for a text that covers only part of the recording): two
 * extra states, "before" and "after" the text, with a per-frame cost `outsideCost` (a
 * background model: a chord state is preferred where its cost is below it), so the text may
 * start and end anywhere. It is implemented here with today's lib/align (no subsequence preset
 * there yet).
 *
 * Used in notebooks/09_your_recordings.ipynb (through `alignChords`).
 *
 * @module
 */

/** Options of {@link sequenceSoftAlign}. */
export interface SequenceAlignOptions {
  /** Soft-min temperature γ > 0. */
  gamma: number;
  /** Allow frames before the first and after the last symbol (default false). */
  subsequence?: boolean;
  /** Per-frame cost of the "before"/"after" states (required with `subsequence`). */
  outsideCost?: number;
}

/** Result of {@link sequenceSoftAlign}. */
export interface SequenceAlignment {
  /** Soft-DTW value V. */
  value: number;
  /** Expected alignment, N rows of K values (`∂V/∂C`; each row sums to 1 with the outside states). */
  expected: Float64Array[];
  /** With `subsequence`: per frame, the probability of being before the text. */
  before: Float64Array | null;
  /** With `subsequence`: per frame, the probability of being after the text. */
  after: Float64Array | null;
}

function softmin2(a: number, b: number, gamma: number): number {
  if (a === Infinity) return b;
  if (b === Infinity) return a;
  const m = Math.min(a, b);
  return m - gamma * Math.log(Math.exp((m - a) / gamma) + Math.exp((m - b) / gamma));
}

/**
 * Soft-DTW value and expected alignment of `cost` (N frames × K symbols, `cost[n][k]`) with the
 * frame-advancing steps of the module doc. Throws if there are fewer frames than symbols (no
 * path), for a non-finite cost, or bad options.
 *
 * Used in notebooks/09_your_recordings.ipynb (through `alignChords`).
 *
 * @example
 * ```ts
 * const { expected } = sequenceSoftAlign([[0, 5], [0, 5], [5, 0]], { gamma: 0.1 });
 * expected[1][0]; // ≈ 1: the second frame belongs to the first symbol
 * ```
 */
export function sequenceSoftAlign(
  cost: ArrayLike<number>[],
  options: SequenceAlignOptions,
): SequenceAlignment {
  const { gamma, subsequence = false } = options;
  if (!(gamma > 0) || !Number.isFinite(gamma)) {
    throw new RangeError(`sequenceSoftAlign: gamma must be a positive number, got ${gamma}`);
  }
  const N = cost.length;
  const K = N > 0 ? cost[0].length : 0;
  if (K === 0) throw new RangeError("sequenceSoftAlign: no symbols to align");
  for (let n = 0; n < N; n++) {
    if (cost[n].length !== K) {
      throw new TypeError(
        `sequenceSoftAlign: cost row ${n} has ${cost[n].length} values, not ${K}`,
      );
    }
    for (let k = 0; k < K; k++) {
      if (!Number.isFinite(cost[n][k])) {
        throw new RangeError(`sequenceSoftAlign: cost[${n}][${k}] is not finite (${cost[n][k]})`);
      }
    }
  }
  if (N < K) {
    throw new RangeError(
      `sequenceSoftAlign: ${K} symbols cannot be aligned to ${N} frames (each needs a frame)`,
    );
  }
  const outside = options.outsideCost;
  if (subsequence && !Number.isFinite(outside)) {
    throw new RangeError("sequenceSoftAlign: subsequence alignment needs a finite outsideCost");
  }
  // States: [before] 0..K−1 [after]; s0 = index of symbol 0.
  const s0 = subsequence ? 1 : 0;
  const S = K + 2 * s0;
  const c = (n: number, s: number) => (s - s0 >= 0 && s - s0 < K ? cost[n][s - s0] : outside!);
  const F = new Float64Array(N * S).fill(Infinity);
  const G = new Float64Array(N * S).fill(Infinity);
  // Forward: start in "before" or symbol 0.
  F[s0] = c(0, s0);
  if (subsequence) F[0] = c(0, 0);
  for (let n = 1; n < N; n++) {
    const p = (n - 1) * S, q = n * S;
    for (let s = 0; s < S; s++) {
      const stay = F[p + s];
      const move = s > 0 ? F[p + s - 1] : Infinity;
      const best = softmin2(stay, move, gamma);
      if (best !== Infinity) F[q + s] = c(n, s) + best;
    }
  }
  // End in the last symbol or "after".
  const last = (N - 1) * S;
  const endA = s0 + K - 1;
  G[last + endA] = 0;
  if (subsequence) G[last + S - 1] = 0;
  const value = subsequence ? softmin2(F[last + endA], F[last + S - 1], gamma) : F[last + endA];
  for (let n = N - 2; n >= 0; n--) {
    const p = n * S, q = (n + 1) * S;
    for (let s = 0; s < S; s++) {
      const stay = G[q + s] === Infinity ? Infinity : c(n + 1, s) + G[q + s];
      const move = s + 1 < S && G[q + s + 1] !== Infinity
        ? c(n + 1, s + 1) + G[q + s + 1]
        : Infinity;
      G[p + s] = softmin2(stay, move, gamma);
    }
  }
  const expected: Float64Array[] = [];
  const before = subsequence ? new Float64Array(N) : null;
  const after = subsequence ? new Float64Array(N) : null;
  for (let n = 0; n < N; n++) {
    const row = new Float64Array(K);
    for (let s = 0; s < S; s++) {
      const i = n * S + s;
      const e = F[i] === Infinity || G[i] === Infinity
        ? 0
        : Math.exp(-(F[i] + G[i] - value) / gamma);
      if (s - s0 >= 0 && s - s0 < K) row[s - s0] = e;
      else if (s === 0) before![n] = e;
      else after![n] = e;
    }
    expected.push(row);
  }
  return { value, expected, before, after };
}
