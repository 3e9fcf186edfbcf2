/**
 * Chord recognition with dChord: audio, chroma, chord labels and annotations, strong and weak
 * targets, the float64 model and trainer, evaluation. The TensorFlow.js model is in `../tf.ts`.
 *
 * @module
 */
export * from "./audio.ts";
export * from "./chroma.ts";
export * from "./annotations.ts";
export * from "./dataset.ts";
export * from "./model.ts";
export * from "./train.ts";
export * from "./evaluate.ts";
export * from "./random.ts";
