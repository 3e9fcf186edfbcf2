/**
 * Forced alignment of an unaligned chord sequence to a song's frames by hard DTW on a model's
 * output: the first step of the two-step training of the Billboard study
 * (notebooks/08_weak_labels_at_scale.ipynb), after Wu, Carsault & Yoshii (EUSIPCO 2019), with
 * DTW in place of their HMM.
 *
 * The cost of frame m against sequence element n is `−log q_m(y_n)`; the path runs through
 * lib/align's alignment graph with hard aggregation (`alignGraph`, `"hard"`) on the steps
 * (1, 0) (the next frame, the same element) and (1, 1) (the next frame, the next element), from
 * cell (0, 0) to (M − 1, N − 1). So every frame gets exactly one element and every element at
 * least one frame, in order: the labelling of the frames by the sequence with the highest
 * model log-likelihood `Σ_m log q_m(label_m)`.
 *
 * @example
 * ```ts
 * import { forcedAlignment } from "./forced_alignment.ts";
 * const lq = new Float64Array(3 * 25).fill(Math.log(0.01));
 * lq[0 * 25 + 4] = lq[1 * 25 + 4] = lq[2 * 25 + 9] = Math.log(0.9);
 * forcedAlignment(lq, Int32Array.from([4, 9])); // Int32Array [4, 4, 9]
 * ```
 *
 * @module
 */
import { alignGraph } from "../../align/mod.ts";
import { BLANK_CLASSES } from "../model/dchord_blank.ts";

/**
 * The frame labels (0..24) of the best monotone alignment of `sequence` to the frames of
 * `logProbabilities` (frames × 25), see the module doc. Throws a `RangeError` when the sequence
 * is empty, longer than the song, or holds an index outside 0..24.
 *
 * @example
 * ```ts
 * import { forcedAlignment } from "./forced_alignment.ts";
 * forcedAlignment(new Float64Array(2 * 25), Int32Array.from([0, 24])); // [0, 24]
 * ```
 */
export function forcedAlignment(logProbabilities: Float64Array, sequence: Int32Array): Int32Array {
  const K = BLANK_CLASSES;
  if (!(logProbabilities instanceof Float64Array) || logProbabilities.length % K !== 0) {
    throw new RangeError("forcedAlignment: logProbabilities must be a Float64Array of frames × 25");
  }
  const M = logProbabilities.length / K, N = sequence.length;
  if (N === 0) throw new RangeError("forcedAlignment: the sequence is empty");
  if (N > M) {
    throw new RangeError(
      `forcedAlignment: ${N} chords cannot each get a frame of a song with ${M} frames`,
    );
  }
  sequence.forEach((y, n) => {
    if (!(y >= 0 && y < K)) {
      throw new RangeError(`forcedAlignment: sequence[${n}] = ${y} is not in 0..24`);
    }
  });
  const data = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) data[m * N + n] = -logProbabilities[m * K + sequence[n]];
  }
  const { grad } = alignGraph({ data, rows: M, cols: N }, {
    steps: [[1, 0], [1, 1]],
    start: { cells: [[0, 0]] },
    end: { cells: [[M - 1, N - 1]] },
    aggregation: "hard",
  });
  // the gradient of the hard minimum is the optimal path: one cell per frame
  const labels = new Int32Array(M);
  for (let m = 0; m < M; m++) {
    let best = 0;
    for (let n = 1; n < N; n++) if (grad.data[m * N + n] > grad.data[m * N + best]) best = n;
    labels[m] = sequence[best];
  }
  return labels;
}
