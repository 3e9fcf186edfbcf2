/**
 * Percentile bootstrap confidence intervals over independent units (songs): resample the units
 * with replacement, recompute the statistic on each resample, and take the quantiles of the
 * resampled values. Seeded, so the same call gives the same interval on every machine.
 *
 * @example
 * ```ts
 * import { bootstrapInterval } from "./bootstrap.ts";
 * const songs = [0.6, 0.7, 0.8, 0.75, 0.9];
 * const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
 * const { estimate, low, high } = bootstrapInterval(songs, mean, { seed: 1 });
 * low <= estimate && estimate <= high; // true
 * ```
 *
 * @module
 */
import { mulberry32 } from "../random.ts";

/** Options of {@linkcode bootstrapInterval}. */
export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  samples?: number;
  /** Seed of the resampling (mulberry32; default 2025). */
  seed?: number;
  /** Coverage of the interval, in (0, 1) (default 0.95). */
  level?: number;
}

/** A statistic with its bootstrap confidence interval. */
export interface BootstrapResult {
  /** The statistic on all units. */
  estimate: number;
  /** Lower end of the interval (quantile (1 − level) / 2 of the resampled statistics). */
  low: number;
  /** Upper end of the interval (quantile (1 + level) / 2). */
  high: number;
  /** Coverage asked for. */
  level: number;
  /** Number of resamples. */
  samples: number;
}

/** Quantile q of sorted values with linear interpolation (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Percentile bootstrap interval of `statistic` over `units`: `samples` resamples of
 * `units.length` units drawn with replacement (indices from mulberry32(`seed`)), the statistic
 * of each, and their quantiles (1 − level) / 2 and (1 + level) / 2 with linear interpolation.
 * Throws on no units, a bad option, or a statistic that is not a finite number.
 *
 * @example
 * ```ts
 * import { bootstrapInterval } from "./bootstrap.ts";
 * const r = bootstrapInterval([1, 1, 1], (xs) => xs.length, { samples: 10 });
 * [r.low, r.high]; // [3, 3]
 * ```
 */
export function bootstrapInterval<T>(
  units: readonly T[],
  statistic: (sample: T[]) => number,
  options: BootstrapOptions = {},
): BootstrapResult {
  const { samples = 1000, seed = 2025, level = 0.95 } = options;
  if (units.length === 0) throw new RangeError("bootstrapInterval: no units to resample");
  if (!Number.isInteger(samples) || samples < 1) {
    throw new RangeError(`bootstrapInterval: samples must be a positive integer, got ${samples}`);
  }
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`bootstrapInterval: level must be in (0, 1), got ${level}`);
  }
  const checked = (x: number) => {
    if (!Number.isFinite(x)) {
      throw new RangeError(`bootstrapInterval: the statistic returned ${x}, not a finite number`);
    }
    return x;
  };
  const estimate = checked(statistic([...units]));
  const rand = mulberry32(seed);
  const values = new Float64Array(samples);
  const sample = new Array<T>(units.length);
  for (let b = 0; b < samples; b++) {
    for (let i = 0; i < units.length; i++) {
      sample[i] = units[Math.floor(rand() * units.length)];
    }
    values[b] = checked(statistic(sample));
  }
  values.sort();
  const alpha = (1 - level) / 2;
  return {
    estimate,
    low: quantile(values, alpha),
    high: quantile(values, 1 - alpha),
    level,
    samples,
  };
}
