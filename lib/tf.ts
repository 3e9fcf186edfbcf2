/**
 * The TensorFlow.js side of `@diffalign/kit`: the soft-DTW loss ({@linkcode SoftDtwLoss}, a
 * `tf.customGrad` op whose gradient is the float64 expected alignment; with `stepWeights`,
 * `band` and `prior` options), the cost tensor and the naive autodiff reference, and the family
 * losses {@linkcode SoftDtwDivergenceLoss} and {@linkcode CtcLoss}. Importing this face loads
 * tfjs (pinned in `lib/deps/tfjs.ts`); the root face `lib/mod.ts` does not. `tf` itself is re-exported so that a script uses the very
 * copy of tfjs the loss was built with.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb, notebooks/06_beyond_soft_dtw.ipynb and
 * the training notebooks.
 *
 * @example
 * ```ts
 * import { SoftDtwLoss, tf } from "./tf.ts";
 * const loss = new SoftDtwLoss({ gamma: 0.3 });
 * const pred = tf.variable(tf.tensor3d([[[1, 0], [0.5, 0.5], [0, 1]]]));
 * const target = tf.tensor3d([[[1, 0], [0, 1]]]);
 * const { value, grads } = tf.variableGrads(() => loss.call(pred, target));
 * ```
 *
 * @module
 */
export * from "./align/tf.ts";
export * as tf from "./deps/tfjs.ts";
export * from "./chords/model/dchord_tf.ts";
export * from "./chords/training/train_model_tf.ts";
export * from "./chords/training/backend_tf.ts";
export * from "./chords/model/dchord_blank_tf.ts";
export * from "./chords/training/engine_comparison.ts";
