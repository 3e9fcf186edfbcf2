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
export * from "./audio.ts";
export * from "./chroma.ts";
export * from "./labels.ts";
export * from "./annotations.ts";
export * from "./dataset.ts";
export * from "./targets.ts";
export * from "./model.ts";
export { features64 } from "./layers64.ts";
export * from "./train_config.ts";
export type { ProcedureOptions, ProcedureSettings } from "./procedure.ts";
export * from "./train.ts";
export * from "./evaluate.ts";
export * from "./random.ts";
export * from "./model_blank.ts";
export * from "./extended_config.ts";
export { extendedTargets } from "./extended_losses.ts";
export * from "./train_extended.ts";
export * from "./model/viterbi.ts";
export * from "./model/recognizer.ts";
export * from "./data/features.ts";
