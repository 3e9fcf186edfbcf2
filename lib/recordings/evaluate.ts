/**
 * How well chord boundaries are found: the errors of aligned chord starts against a reference
 * annotation of the same chord sequence, and their summary (median, 95th percentile, share
 * within 0.3 s and within 1 s). Quantiles interpolate linearly between order statistics (numpy's
 * default `np.percentile(x, q)`).
 *
 * Used in notebooks/09_your_recordings.ipynb.
 *
 * @module
 */

/** Summary of boundary errors (seconds). */
export interface BoundarySummary {
  /** Number of boundaries. */
  count: number;
  /** Median absolute error in seconds. */
  median: number;
  /** 95th percentile of the absolute error in seconds. */
  p95: number;
  /** Share of boundaries within 0.3 s. */
  within03: number;
  /** Share of boundaries within 1 s. */
  within1: number;
}

/**
 * Quantile `q` ∈ [0, 1] of `values` with linear interpolation (numpy's default).
 *
 * @example
 * ```ts
 * quantile([1, 2, 3, 4], 0.5); // 2.5
 * quantile([1, 2, 3, 4], 0.95); // 3.85
 * ```
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError("quantile: no values");
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  const s = [...values].sort((a, b) => a - b);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (pos - lo) * (s[hi] - s[lo]);
}

/**
 * Absolute errors of the chord starts of `estimate` against `reference` (the same chord
 * sequence, so the same number of chords), for every chord but the first (whose start is the
 * beginning of the recording in both). Throws when the lengths differ.
 *
 * @example
 * ```ts
 * boundaryErrors([{ start: 0 }, { start: 2.1 }, { start: 3.5 }], [{ start: 0 }, { start: 2 }, { start: 4 }]);
 * // [0.1, 0.5] (up to rounding)
 * ```
 */
export function boundaryErrors(
  estimate: readonly { start: number }[],
  reference: readonly { start: number }[],
): number[] {
  if (estimate.length !== reference.length) {
    throw new RangeError(
      `boundaryErrors: ${estimate.length} aligned chords, ${reference.length} in the reference`,
    );
  }
  return estimate.slice(1).map((c, k) => Math.abs(c.start - reference[k + 1].start));
}

/**
 * Median, 95th percentile and shares within 0.3 s and 1 s of boundary errors.
 *
 * @example
 * ```ts
 * summarizeBoundaries([0.1, 0.2, 0.5, 2]).within03; // 0.5
 * ```
 */
export function summarizeBoundaries(errors: readonly number[]): BoundarySummary {
  return {
    count: errors.length,
    median: quantile(errors, 0.5),
    p95: quantile(errors, 0.95),
    within03: errors.filter((e) => e <= 0.3).length / errors.length,
    within1: errors.filter((e) => e <= 1).length / errors.length,
  };
}
