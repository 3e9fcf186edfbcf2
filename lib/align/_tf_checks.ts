/**
 * Checks shared by the TensorFlow.js losses of `lib/align` (private): the dtype of an input
 * tensor, and the float32 range of a value or gradient computed in float64 before it becomes a
 * tensor (tfjs holds float32: a float64 beyond ±3.4e38 would become ±Infinity silently).
 *
 * @example
 * ```ts
 * import { float32Checked } from "./_tf_checks.ts";
 * float32Checked(1.5, "SoftDtwLoss value"); // 1.5
 * // float32Checked(1e39, "SoftDtwLoss value") throws RangeError
 * ```
 *
 * @module
 */
import type * as tf from "../deps/tfjs.ts";

/**
 * Throws a `TypeError` naming `name` unless `x` is a `float32` tensor (tfjs's only float
 * dtype): a `bool`, `int32`, `complex64` or `string` tensor is refused, not cast.
 */
export function checkFloatTensor(x: tf.Tensor, name: string): void {
  if (x.dtype !== "float32") {
    throw new TypeError(
      `${name} must be a float32 tensor, got dtype ${x.dtype} (cast it with tf.cast(x, "float32") if that is meant)`,
    );
  }
}

/** Largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Returns `value` after checking that it is finite in float32 (its magnitude at most about
 * 3.4e38); throws a `RangeError` naming `what` and the value otherwise.
 */
export function float32Checked(value: number, what: string): number {
  if (!Number.isFinite(value) || Math.abs(value) > FLOAT32_MAX) {
    throw new RangeError(
      `${what} is ${value}, beyond float32's range (±3.4e38) that a tfjs tensor holds; scale the inputs down`,
    );
  }
  return value;
}

/** `values[i] * factor` as float32, each checked with {@linkcode float32Checked}. */
export function float32Scaled(values: Float64Array, factor: number, what: string): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] * factor;
    if (!(Math.abs(v) <= FLOAT32_MAX)) float32Checked(v, `${what}[${i}]`);
    out[i] = v;
  }
  return out;
}
