/**
 * Chord recognition with dChord: audio, chroma, the chord vocabulary (labels, triads, argmax),
 * annotations, segments, strong and weak targets with the strong alignment they imply, the
 * float64 model and trainer, evaluation and the seeded random generator. No TensorFlow.js is
 * reachable from here: the tfjs model and trainer are in `../tf.ts`.
 *
 * Used in notebooks/03_dataset_padding.ipynb, notebooks/04_strong_vs_soft_training.ipynb and
 * notebooks/05_gamma_sweep.ipynb.
 *
 * @example
 * ```ts
 * import { chordName, initialWeights, predictChords } from "./mod.ts";
 * const { labels } = predictChords(initialWeights(), [[0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1]]);
 * chordName(labels[0]); // "G"
 * ```
 *
 * @module
 */
export * from "./data/audio.ts";
export {
  ANNOTATION_OVERHANG,
  checkCoverage,
  checkWavFormat,
  type WavFormat,
} from "./data/audio_check.ts";
export * from "./data/chroma.ts";
export * from "./data/labels.ts";
export * from "./data/annotations.ts";
export * from "./data/dataset.ts";
export * from "./data/targets.ts";
export * from "./model/dchord.ts";
export { features64 } from "./model/layers64.ts";
export * from "./training/config.ts";
export type { ProcedureOptions, ProcedureSettings } from "./training/procedure.ts";
export * from "./training/options.ts";
export { BCE_EPSILON, trainingTargets } from "./training/losses.ts";
export { Adam64 } from "./training/adam.ts";
export * from "./training/train_model.ts";
export * from "./evaluation/frame_f1.ts";
export * from "./random.ts";
export * from "./model/dchord_blank.ts";
export * from "./model/viterbi.ts";
export * from "./model/recognizer.ts";
export * from "./model/cnn.ts";
export * from "./data/features.ts";
export * from "./data/harte.ts";
export * from "./data/lab.ts";
export * from "./training/song_trainer.ts";
export type * from "./training/song_model.ts";
export * from "./training/dchord_song_model.ts";
export * from "./training/forced_alignment.ts";
export * from "./data/billboard.ts";
export * from "./data/weak_labels.ts";
export * from "./evaluation/mir_eval.ts";
export * from "./evaluation/bootstrap.ts";
export * from "./data/billboard_features.ts";
