/**
 * Summary statistics of repeated runs and of training curves: the one {@linkcode spread} of the
 * study (mean, sample standard deviation, min, max) and the {@linkcode relativeVariation} of a
 * curve.
 *
 * For a single value the sample standard deviation is undefined, and {@linkcode spread} says so
 * with NaN (shown as "–" in the tables). Of the two behaviours the study had (0 for Table 4.1,
 * NaN for the γ sweep) NaN is kept: a spread of 0 would claim that repeating the run was tried and
 * changed nothing, while one run says nothing about the spread.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb, notebooks/05_gamma_sweep.ipynb,
 * notebooks/06_beyond_soft_dtw.ipynb and notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { spread } from "./stats.ts";
 * spread([0.75, 0.74, 0.76]).mean; // 0.75
 * ```
 *
 * @module
 */

/** Mean and spread of a list of numbers. */
export interface Spread {
  /** Number of values. */
  n: number;
  /** Mean. */
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator); NaN for a single value. */
  std: number;
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
}

function checkFinite(values: readonly number[], name: string, least: number): void {
  if (!Array.isArray(values)) throw new TypeError(`${name}: expected an array of numbers`);
  if (values.length < least) {
    throw new RangeError(
      `${name}: expected at least ${least === 1 ? "one value" : `${least} values`}`,
    );
  }
  values.forEach((v, i) => {
    if (typeof v !== "number") throw new TypeError(`${name}: value ${i} is not a number`);
    if (!Number.isFinite(v)) {
      throw new RangeError(`${name}: value ${i} is ${v}, expected a finite number`);
    }
  });
}

/**
 * Mean, sample standard deviation, minimum and maximum of a non-empty list of finite numbers
 * (the standard deviation is NaN for a single value, see the module doc). Throws a RangeError for
 * an empty list or a value that is not finite, a TypeError for a value that is not a number.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb, notebooks/05_gamma_sweep.ipynb,
 * notebooks/06_beyond_soft_dtw.ipynb and notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { spread } from "./stats.ts";
 * spread([1, 2, 3]); // { n: 3, mean: 2, std: 1, min: 1, max: 3 }
 * ```
 */
export function spread(values: readonly number[]): Spread {
  checkFinite(values, "spread", 1);
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n < 2 ? NaN : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, std, min: Math.min(...values), max: Math.max(...values) };
}

/**
 * The relative total variation of a curve, `Σ_e |v_e − v_{e−1}| / (max v − min v)`: 1 for a
 * monotone curve, larger the more it goes up and down (a curve that oscillates between its
 * extremes k times has about 2k). Used as a measure of how (un)stable a loss curve is.
 * Throws a RangeError for fewer than 2 values, a value that is not finite, and a constant curve.
 *
 * Used in notebooks/05_gamma_sweep.ipynb (stability of the validation loss).
 *
 * @example
 * ```ts
 * import { relativeVariation } from "./stats.ts";
 * relativeVariation([5, 3, 2, 1]); // 1 (monotone)
 * relativeVariation([0, 2, 0, 2]); // 6 / 2 = 3
 * ```
 */
export function relativeVariation(curve: readonly number[]): number {
  checkFinite(curve, "relativeVariation", 2);
  const range = Math.max(...curve) - Math.min(...curve);
  if (range === 0) throw new RangeError("relativeVariation: the curve is constant");
  let tv = 0;
  for (let i = 1; i < curve.length; i++) tv += Math.abs(curve[i] - curve[i - 1]);
  return tv / range;
}
