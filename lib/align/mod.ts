/**
 * Differentiable alignment: cost matrices, DTW, soft-DTW (value, gradient, batched kernels) and
 * brute-force ground truth, in float64. The TensorFlow.js losses are in `../tf.ts`.
 *
 * @module
 */
export * from "./cost.ts";
export * from "./dtw.ts";
export * from "./soft_dtw.ts";
export * from "./brute_force.ts";
export * from "./alignment_stats.ts";
