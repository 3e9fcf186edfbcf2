/**
 * HMM smoothing of frame-wise chord scores by the Viterbi algorithm, as in FMP C5 (Müller,
 * _Fundamentals of Music Processing_, Section 5.3): one hidden state per chord, a uniform
 * initial distribution, and a transition matrix with one self-transition probability `p` on the
 * diagonal and the rest spread evenly, `(1 − p) / (K − 1)`, over the other `K − 1` states. The
 * emissions are the model's per-frame log-probabilities (a hybrid HMM: the recognizer's
 * posteriors stand in for the likelihoods). Everything is in the log domain, so long songs
 * neither underflow nor need rescaling.
 *
 * Because every off-diagonal transition has the same probability, the best predecessor of a
 * state is either itself or the best other state of the previous frame: keeping the best and
 * second-best scores of each frame makes a step `O(K)` instead of `O(K²)`.
 *
 * Used by the saved chord recognizers (`lib/chords/model/recognizer.ts`) and `deno task chords`.
 *
 * @example
 * ```ts
 * import { viterbiSmooth } from "./viterbi.ts";
 * const lp = [[-0.1, -2.4], [-1.2, -0.4], [-0.1, -2.4]].map((r) => Float64Array.from(r));
 * viterbiSmooth(lp, { selfTransition: 0.9 }); // Int32Array [0, 0, 0]: the blip is smoothed away
 * viterbiSmooth(lp, { selfTransition: 0.5 }); // Int32Array [0, 1, 0]
 * ```
 *
 * @module
 */

/** Options of {@linkcode viterbiSmooth}. */
export interface ViterbiOptions {
  /**
   * Probability `p` of staying in the same state from one frame to the next, in [0, 1]
   * (default {@linkcode DEFAULT_SELF_TRANSITION}); the other states share `1 − p` evenly.
   */
  selfTransition?: number;
}

/** Default self-transition probability of {@linkcode viterbiSmooth}. */
export const DEFAULT_SELF_TRANSITION = 0.9;

/**
 * The most probable state sequence of an HMM with uniform off-diagonal transitions (see the
 * module doc), given per-frame log-probabilities `logProbs[t][k]` (frames × states; `−Infinity`
 * allowed, NaN and `+Infinity` not). Ties are broken deterministically (towards lower indices).
 * Throws a `RangeError` naming the frame or value on bad input.
 *
 * @example
 * ```ts
 * import { viterbiSmooth } from "./viterbi.ts";
 * const lp = [[0, -3], [-1, -0.5], [0, -3]].map((r) => Float64Array.from(r));
 * viterbiSmooth(lp, { selfTransition: 0.8 }); // Int32Array [0, 0, 0]
 * ```
 */
export function viterbiSmooth(logProbs: Float64Array[], options: ViterbiOptions = {}): Int32Array {
  const p = options.selfTransition ?? DEFAULT_SELF_TRANSITION;
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    throw new RangeError(`viterbiSmooth: selfTransition must be a number in [0, 1], got ${p}`);
  }
  if (!Array.isArray(logProbs)) {
    throw new TypeError("viterbiSmooth: logProbs must be an array of Float64Array frames");
  }
  const T = logProbs.length;
  if (T === 0) return new Int32Array(0);
  const K = logProbs[0]?.length;
  if (!Number.isInteger(K) || K < 1) {
    throw new RangeError("viterbiSmooth: logProbs[0] must hold at least one state");
  }
  for (let t = 0; t < T; t++) {
    const row = logProbs[t];
    if (!row || row.length !== K) {
      throw new RangeError(
        `viterbiSmooth: frame ${t} has ${row?.length} states, frame 0 has ${K}`,
      );
    }
    let finite = false;
    for (let k = 0; k < K; k++) {
      const v = row[k];
      if (Number.isNaN(v) || v === Infinity || typeof v !== "number") {
        throw new RangeError(
          `viterbiSmooth: logProbs[${t}][${k}] must be a finite number or −Infinity, got ${v}`,
        );
      }
      if (v > -Infinity) finite = true;
    }
    if (!finite) throw new RangeError(`viterbiSmooth: frame ${t} has no finite log-probability`);
  }
  const logStay = Math.log(p);
  const logMove = K > 1 ? Math.log((1 - p) / (K - 1)) : -Infinity;
  let delta = Float64Array.from(logProbs[0]); // the uniform initial distribution is a constant
  let next = new Float64Array(K);
  const back = new Int32Array(T * K);
  for (let t = 1; t < T; t++) {
    // best and second-best state of the previous frame (lowest index first on ties)
    let b1 = 0;
    for (let k = 1; k < K; k++) if (delta[k] > delta[b1]) b1 = k;
    let b2 = -1;
    for (let k = 0; k < K; k++) {
      if (k !== b1 && (b2 < 0 || delta[k] > delta[b2])) b2 = k;
    }
    const row = logProbs[t], o = t * K;
    for (let k = 0; k < K; k++) {
      const other = k === b1 ? b2 : b1; // best predecessor among the other states
      const stay = delta[k] + logStay;
      let best = k, score = stay;
      if (other >= 0) {
        const move = delta[other] + logMove;
        if (move > stay || (move === stay && other < k)) {
          best = other;
          score = move;
        }
      }
      next[k] = score + row[k];
      back[o + k] = best;
    }
    [delta, next] = [next, delta];
  }
  const path = new Int32Array(T);
  let s = 0;
  for (let k = 1; k < K; k++) if (delta[k] > delta[s]) s = k;
  for (let t = T - 1; t >= 0; t--) {
    path[t] = s;
    s = back[t * K + s];
  }
  return path;
}

/**
 * The maximum-likelihood self-transition probability of {@linkcode viterbiSmooth}'s HMM from
 * frame-wise reference labels: the share of frame-to-frame steps, over all sequences, that keep
 * the label (`1 − changes / steps`). Throws a `RangeError` when there is no step at all.
 *
 * @example
 * ```ts
 * import { estimateSelfTransition } from "./viterbi.ts";
 * estimateSelfTransition([[0, 0, 0, 1, 1], [2, 2]]); // 1 − 1/5 = 0.8
 * ```
 */
export function estimateSelfTransition(sequences: ArrayLike<number>[]): number {
  let steps = 0, changes = 0;
  for (const s of sequences) {
    for (let t = 1; t < s.length; t++) {
      steps++;
      if (s[t] !== s[t - 1]) changes++;
    }
  }
  if (steps === 0) throw new RangeError("estimateSelfTransition: no frame-to-frame step");
  return 1 - changes / steps;
}
