/**
 * A saved chord recognizer applied to a decoded recording, in one place for the terminal
 * (`deno task chords`, `deno task align`) and the course site's "Your recording" page: the
 * model's features from the samples (`featuresFromAudio`), its per-frame log-probabilities,
 * the chords decoded with its HMM smoothing (`viterbiSmooth`) or frame by frame, as `.lab`
 * intervals (`framesToIntervals`); and the alignment of a chord text to the same output
 * ({@linkcode alignChords}). Nothing here reads files, so it runs in a browser as it is.
 *
 * Used in notebooks/09_your_recordings.ipynb and by tools/chords.ts, tools/align.ts and the
 * course site's recording page (tools/site/recording.ts).
 *
 * @module
 */
// Direct module imports (not the chords face): the course site's page bundles this module.
import { argmax } from "../chords/data/labels.ts";
import { type ChordInterval, framesToIntervals } from "../chords/data/lab.ts";
import { featuresFromAudio } from "../chords/data/features.ts";
import type { ChordFeatures, ChordRecognizer, Decoding } from "../chords/model/recognizer.ts";
import { viterbiSmooth } from "../chords/model/viterbi.ts";
import { alignChords, type AlignChordsOptions, type ChordAlignment } from "./align_chords.ts";
import type { ChordToken } from "./chord_text.ts";

/** What a model sees and says about a recording. */
export interface ModelOutput {
  /** The features at the model's spec. */
  features: ChordFeatures;
  /** Per-frame log-probabilities over the model's labels. */
  logProbs: Float64Array[];
  /** Duration of the recording in seconds. */
  duration: number;
}

/** Result of {@link recognizeChords}. */
export interface Recognition extends ModelOutput {
  /** Decoded output index per frame. */
  states: Int32Array;
  /** The chords as `.lab` intervals (runs of equal labels merged). */
  intervals: ChordInterval[];
}

/**
 * Features and log-probabilities of a model for mono samples at `sampleRate`.
 *
 * Used by {@link recognizeChords} and {@link alignRecording}.
 *
 * @example
 * ```ts
 * import { loadModel } from "../chords/mod.ts";
 * const model = await loadModel("beatles-dchord-bce");
 * const x = Float32Array.from({ length: 22050 }, (_, n) => Math.sin(2 * Math.PI * 440 * n / 22050));
 * modelOutput(model, x, 22050).logProbs.length; // 11 frames
 * ```
 */
export function modelOutput(
  model: ChordRecognizer,
  samples: Float32Array,
  sampleRate: number,
): ModelOutput {
  const features = featuresFromAudio(samples, sampleRate, model.features);
  return {
    features,
    logProbs: model.logProbs(features),
    duration: samples.length / sampleRate,
  };
}

/**
 * Recognizes the chords of mono samples at `sampleRate` with a saved model: HMM smoothing with
 * the model's self-transition probability (`decoding: "viterbi"`, the default) or the most
 * probable output of each frame (`"frame"`). The last interval ends at the recording's duration.
 *
 * Used in notebooks/09_your_recordings.ipynb and by tools/chords.ts.
 *
 * @example
 * ```ts
 * import { loadModel } from "../chords/mod.ts";
 * const model = await loadModel("beatles-dchord-bce");
 * const sr = 22050;
 * const x = Float32Array.from({ length: 2 * sr }, (_, n) =>
 *   [261.63, 329.63, 392].reduce((a, f) => a + Math.sin(2 * Math.PI * f * n / sr), 0) / 3);
 * recognizeChords(model, x, sr).intervals[0].label; // "C:maj"
 * ```
 */
export function recognizeChords(
  model: ChordRecognizer,
  samples: Float32Array,
  sampleRate: number,
  options: { decoding?: Decoding } = {},
): Recognition {
  const decoding = options.decoding ?? "viterbi";
  if (decoding !== "viterbi" && decoding !== "frame") {
    throw new RangeError(`decoding must be "viterbi" or "frame", got ${decoding}`);
  }
  const out = modelOutput(model, samples, sampleRate);
  const states = decoding === "viterbi"
    ? viterbiSmooth(out.logProbs, { selfTransition: model.selfTransition })
    : Int32Array.from(out.logProbs, (row) => argmax(row));
  const intervals = framesToIntervals(states, {
    frameRate: out.features.frameRate,
    labels: model.labels,
    duration: out.duration,
    frameTime: "centre", // the centred STFT chroma of featuresFromAudio
  });
  return { ...out, states, intervals };
}

/**
 * Aligns a chord text (or parsed chords) to mono samples at `sampleRate` through a saved model's
 * output ({@link alignChords}; `frameRate` and `duration` come from the recording).
 *
 * Used by tools/align.ts.
 *
 * @example
 * ```ts
 * import { loadModel } from "../chords/mod.ts";
 * const model = await loadModel("beatles-dchord-bce");
 * const sr = 22050;
 * const triad = (fs: number[], n: number) => fs.reduce((a, f) => a + Math.sin(2 * Math.PI * f * n / sr), 0) / 3;
 * const x = Float32Array.from({ length: 4 * sr }, (_, n) =>
 *   n < 2 * sr ? triad([261.63, 329.63, 392], n) : triad([220, 261.63, 329.63], n));
 * alignRecording(model, x, sr, "C Am").alignment.chords[1].start; // about 2
 * ```
 */
export function alignRecording(
  model: ChordRecognizer,
  samples: Float32Array,
  sampleRate: number,
  chords: string | ChordToken[],
  options: Omit<AlignChordsOptions, "frameRate" | "duration"> = {},
): ModelOutput & { alignment: ChordAlignment } {
  const out = modelOutput(model, samples, sampleRate);
  const alignment = alignChords(out.logProbs, model.labels, chords, {
    ...options,
    frameRate: out.features.frameRate,
    duration: out.duration,
  });
  return { ...out, alignment };
}
