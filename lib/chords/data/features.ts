/**
 * Chroma features of a recording for a saved chord recognizer (`ChordFeatures` of
 * `lib/chords/model/recognizer.ts`), computed with the course's own STFT chroma
 * (`computeChroma` of `lib/chords/data/chroma.ts`, libfmp's pipeline) at the frame rate the model
 * asks for:
 *
 * - the hop is `sampleRate / frameRate` samples, rounded (an error when the rounded hop misses
 *   the rate by more than 0.1 %); the FFT length keeps the course's frequency resolution, the
 *   power of two nearest to `4096 · sampleRate / 22050` (4096 at 22050 Hz), at least the hop.
 *   At 22050 Hz: hop 2048 for 10.77 frames/s (exactly the course's features), 1024 for 21.53;
 * - `treble` is the course's chroma (librosa's octave weighting: a Gaussian of 2 octaves
 *   around 880 Hz);
 * - `bass`, when the spec reads `bass+treble`, is the same pipeline with the octave weighting
 *   moved down: a Gaussian of 1 octave around 110 Hz (`BASS_OCTAVES`), in the spirit of
 *   Chordino's bass chroma (which weights the notes below about 200 Hz). At hop 2048 and FFT
 *   4096 the bins are 5.4 Hz apart, about one semitone at 90 Hz: the bass chroma of the lowest
 *   octave is coarse.
 *
 * These are not Chordino's NNLS chroma (no note transcription, another compression): a model
 * trained on one and applied to the other meets a feature mismatch; each frame is L2-normalized
 * here as in the course, and dChord normalizes its input itself.
 *
 * Used by `deno task chords` for audio files and for the cross-dataset evaluation of
 * notebooks/08_weak_labels_at_scale.ipynb.
 *
 * @example
 * ```ts
 * import { featuresFromAudio } from "./features.ts";
 * const sr = 22050;
 * const x = Float32Array.from({ length: sr }, (_, n) => Math.sin(2 * Math.PI * 440 * n / sr));
 * const f = featuresFromAudio(x, sr, { frameRate: sr / 2048, chroma: "treble" });
 * f.treble.length; // 11
 * ```
 *
 * @module
 */
import { computeChroma } from "./chroma.ts";
import { checkFeatureSpec, type ChordFeatures, type FeatureSpec } from "../model/recognizer.ts";

/** Octave weighting of the bass chroma: a Gaussian of 1 octave around A2 = 110 Hz. */
export const BASS_OCTAVES: Readonly<{ ctroct: number; octwidth: number }> = Object.freeze({
  ctroct: 2,
  octwidth: 1,
});

/**
 * STFT frame layout for a sampling and frame rate (see the module doc): hop, FFT length and
 * the exact frame rate `sampleRate / hop`.
 *
 * @example
 * ```ts
 * import { stftLayout } from "./features.ts";
 * stftLayout(22050, 22050 / 1024); // { hop: 1024, nFft: 4096, frameRate: 21.533203125 }
 * ```
 */
export function stftLayout(
  sampleRate: number,
  frameRate: number,
): { hop: number; nFft: number; frameRate: number } {
  if (typeof sampleRate !== "number" || !(sampleRate >= 1000 && sampleRate <= 384000)) {
    throw new RangeError(`sampleRate must be a number of Hz in [1000, 384000], got ${sampleRate}`);
  }
  const hop = Math.round(sampleRate / frameRate);
  if (!(hop >= 32) || Math.abs(sampleRate / hop / frameRate - 1) > 1e-3) {
    throw new RangeError(
      `no integer hop gives ${frameRate} frames/s at ${sampleRate} Hz (nearest: ${hop} samples)`,
    );
  }
  let nFft = 2 ** Math.round(Math.log2((4096 * sampleRate) / 22050));
  while (nFft < hop) nFft *= 2;
  return { hop, nFft, frameRate: sampleRate / hop };
}

/**
 * Chroma features of a mono signal for a model's feature spec (see the module doc): the
 * course's STFT chroma at the spec's frame rate, and a bass chroma when the spec reads
 * `bass+treble`. The returned `frameRate` is the exact `sampleRate / hop`. Throws a
 * `RangeError` naming the problem (empty or non-finite signal, unreachable frame rate).
 *
 * @example
 * ```ts
 * import { featuresFromAudio } from "./features.ts";
 * const sr = 22050;
 * const x = Float32Array.from({ length: sr }, (_, n) => Math.sin(2 * Math.PI * 110 * n / sr));
 * const f = featuresFromAudio(x, sr, { frameRate: sr / 1024, chroma: "bass+treble" });
 * f.bass!.length === f.treble.length; // true
 * ```
 */
export function featuresFromAudio(
  samples: Float32Array,
  sampleRate: number,
  spec: FeatureSpec,
): ChordFeatures {
  const { frameRate, chroma } = checkFeatureSpec(spec);
  if (!(samples instanceof Float32Array)) {
    throw new TypeError("featuresFromAudio: samples must be a Float32Array of mono samples");
  }
  const layout = stftLayout(sampleRate, frameRate);
  const common = { sampleRate, nFft: layout.nFft, hop: layout.hop, name: "featuresFromAudio" };
  const toRows = (c: number[][]) => c.map((f) => Float64Array.from(f));
  const treble = toRows(computeChroma(samples, common).chroma);
  if (chroma === "treble") return { frameRate: layout.frameRate, frameTime: "centre", treble };
  const bass = toRows(computeChroma(samples, { ...common, octaves: BASS_OCTAVES }).chroma);
  return { frameRate: layout.frameRate, frameTime: "centre", treble, bass };
}
