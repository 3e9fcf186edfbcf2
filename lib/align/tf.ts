/**
 * The TensorFlow.js face of lib/align: the alignment losses as tfjs losses with custom
 * gradients (soft-DTW with step weights, band and prior; the divergence; CTC; any alignment
 * graph). `lib/tf.ts` re-exports it with the tfjs parts of the other packages; code inside lib/
 * that needs only the alignment losses imports this face, so that no import circle runs through
 * `lib/tf.ts`.
 *
 * @example
 * ```ts
 * import { SoftDtwLoss } from "./tf.ts";
 * new SoftDtwLoss({ gamma: 0.3 }).gamma; // 0.3
 * ```
 *
 * @module
 */
export * from "./soft_dtw_tf.ts";
export * from "./losses_tf.ts";
export * from "./graph_tf.ts";
