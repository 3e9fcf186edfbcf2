/**
 * TensorFlow.js, pinned in this one place (the library imports it from here, and `deno.json`
 * maps `@tensorflow/tfjs` here for the notebooks and tools, so every part uses the same copy).
 * An `npm:` specifier with its version works from any script, inside the repository or not.
 *
 * Only the tfjs side of the library (`lib/tf.ts`) loads it; the root `lib/mod.ts` does not.
 * Used in notebooks/02_gradient_expected_alignment.ipynb and the training notebooks.
 *
 * @example
 * ```ts
 * import * as tf from "./tfjs.ts";
 * tf.version.tfjs; // "4.22.0"
 * ```
 *
 * @module
 */
export * from "npm:@tensorflow/tfjs@4.22.0";
