/**
 * `@diffalign/kit`: differentiable alignment (soft-DTW and its ground truth, the `align`
 * package) and chord recognition with dChord (the `chords` package), in float64. This face
 * loads no TensorFlow.js; the tfjs side is `@diffalign/kit/tf` (`lib/tf.ts`), the reproduction
 * of the report `@diffalign/kit/study`, the notebook figures `@diffalign/kit/display`, audio in
 * (any container, resampling) `@diffalign/kit/audio` and chords for your own recordings
 * (chord texts, alignment) `@diffalign/kit/recordings`.
 *
 * Import it by path from any script (`import { softDtwValueAndGrad } from
 * "<repository>/lib/mod.ts"`): every third-party dependency is an `npm:` specifier pinned in
 * `lib/deps/`, so no configuration file is needed.
 *
 * Used in notebooks 01-09.
 *
 * @example
 * ```ts
 * import { softDtwValueAndGrad } from "./mod.ts";
 * const { value, grad } = softDtwValueAndGrad([[0, 1], [1, 0]], { gamma: 1 });
 * // value = -log(1 + 2/e) ≈ -0.551, grad = [[1, 0.212], [0.212, 1]]
 * ```
 *
 * @module
 */
export * from "./align/mod.ts";
export * from "./chords/mod.ts";
