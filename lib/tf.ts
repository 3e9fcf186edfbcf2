/**
 * The TensorFlow.js side of the library: soft-DTW loss.
 *
 * @module
 */
export * from "./align/soft_dtw_tf.ts";
