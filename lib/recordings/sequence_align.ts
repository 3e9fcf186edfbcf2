/**
 * Soft-DTW alignment of a sequence of K symbols (the chords of a text) to N frames (a
 * recording's model output) with the steps a chord sequence needs: every frame belongs to
 * exactly one symbol, the symbols follow in order, each at least one frame. In DTW terms the
 * cost matrix is `C[n][k]` (frames × symbols) and a path moves from `(n−1, k)` to `(n, k)` or
 * `(n, k+1)`: the frame index always advances (classic soft-DTW's step (0, 1), which keeps
 * the frame, is not in the step set; checked against brute force over every path and finite
 * differences in sequence_align_test.ts).
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
 * start and end anywhere.
 *
 * Both are presets of lib/align's alignment graph ({@linkcode alignGraph}, one dynamic program
 * for every alignment of the kit): rows are frames, columns the states (`[before] 0..K−1
 * [after]`), steps (1, 0) (the frame advances, the state stays) and (1, 1) (both advance),
 * start cells the first frame on "before" or the first symbol, end cells the last frame on the
 * last symbol or "after", soft minimum with temperature γ; `E` is the graph's gradient.
 *
 * Used in notebooks/09_your_recordings.ipynb (through `alignChords`).
 *
 * @module
 */
import { type AlignGraph, alignGraph } from "../align/mod.ts";

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
  // States (columns): [before] 0..K−1 [after]; s0 = the column of symbol 0.
  const s0 = subsequence ? 1 : 0;
  const S = K + 2 * s0;
  const data = new Float64Array(N * S);
  for (let n = 0; n < N; n++) {
    for (let s = 0; s < S; s++) {
      data[n * S + s] = s - s0 >= 0 && s - s0 < K ? cost[n][s - s0] : outside!;
    }
  }
  const graph: AlignGraph = {
    steps: [[1, 0], [1, 1]],
    start: { cells: subsequence ? [[0, 0], [0, 1]] : [[0, 0]] },
    end: { cells: subsequence ? [[N - 1, S - 2], [N - 1, S - 1]] : [[N - 1, K - 1]] },
    aggregation: "soft",
    gamma,
  };
  const { value, grad } = alignGraph({ data, rows: N, cols: S }, graph);
  const E = grad.data;
  const expected = Array.from({ length: N }, (_, n) => E.slice(n * S + s0, n * S + s0 + K));
  const before = subsequence ? Float64Array.from({ length: N }, (_, n) => E[n * S]) : null;
  const after = subsequence ? Float64Array.from({ length: N }, (_, n) => E[n * S + S - 1]) : null;
  return { value, expected, before, after };
}
