/**
 * dChord with an N output as a {@linkcode SongModel} of the whole-song trainer
 * (song_trainer.ts, notebooks/08_weak_labels_at_scale.ipynb): the `dchord-n` kind of
 * `lib/chords/model/recognizer.ts`, dChord's 25 parameters and a 12-weight N template, 37 in
 * all, with the forward and backward passes of `dchord_blank.ts` (the blank read as N; the
 * backward pass and the losses reuse the forward pass's softmax, `softmax: "forward"`). The
 * parameter vector is `toParameterVector`'s layout: θ, the 12 major weights, the 12 minor
 * weights, the 12 N weights. The initialization is the same for every seed: binary triads,
 * θ = 0, the flat N template at 1/4 (`initialBlankWeights`), so that N ties the chords on a
 * frame without harmony.
 *
 * @example
 * ```ts
 * import { dchordNSongModel, dchordNWeights } from "./dchord_song_model.ts";
 * const params = dchordNSongModel.init(1);
 * dchordNWeights(params).blank; // twelve times 0.25
 * ```
 *
 * @module
 */
import {
  blankBackward64,
  type BlankForward64,
  blankForward64,
  type BlankWeights,
  initialBlankWeights,
} from "../model/dchord_blank.ts";
import { fromParameterVector, toParameterVector } from "../model/layers64.ts";
import type { SongForward, SongModel } from "./song_model.ts";

/**
 * The weights (θ, major, minor and the N template in `blank`) of a `dchord-n` parameter vector;
 * throws a `RangeError` unless it has 37 values.
 *
 * @example
 * ```ts
 * import { dchordNSongModel, dchordNWeights } from "./dchord_song_model.ts";
 * dchordNWeights(dchordNSongModel.init(1)).theta; // 0
 * ```
 */
export function dchordNWeights(params: Float64Array): BlankWeights {
  if (!(params instanceof Float64Array) || params.length !== 37) {
    throw new RangeError(
      `a dchord-n parameter vector must be a Float64Array of 37 values, got length ${
        (params as { length?: number })?.length
      }`,
    );
  }
  return fromParameterVector(params) as BlankWeights;
}

/** dChord with an N output (see the module doc). */
export const dchordNSongModel: SongModel = Object.freeze({
  kind: "dchord-n",
  size: 37,
  chroma: "treble" as const,
  init: (_seed: number) => toParameterVector(initialBlankWeights()),
  forward(params: Float64Array, song: { treble: Float64Array }): SongForward {
    const f: BlankForward64 = blankForward64(dchordNWeights(params), song.treble);
    return {
      logProbabilities: f.logProbabilities,
      probabilities: f.probabilities,
      backward: (grad) => toParameterVector(blankBackward64(f, grad, { softmax: "forward" })),
    };
  },
});
