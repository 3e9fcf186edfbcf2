/**
 * Schedules over training epochs: a constant value, linear annealing of the soft-DTW
 * temperature (`γ₀ → γ₁` between two epochs), and a linear fade of the diagonal prior's weight.
 *
 * A schedule is a function of the (0-based, possibly fractional) epoch. A linear schedule holds
 * `from` up to `startEpoch`, moves linearly to `to` at `endEpoch`, and holds `to` afterwards.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb and by the trainer.
 *
 * @example
 * ```ts
 * import { gammaSchedule } from "./schedule.ts";
 * const gamma = gammaSchedule({ from: 1, to: 0.1, startEpoch: 0, endEpoch: 10 });
 * gamma(5); // 0.55
 * ```
 *
 * @module
 */

/** A value per epoch. */
export type Schedule = (epoch: number) => number;

/** A linear ramp from `from` (until `startEpoch`) to `to` (from `endEpoch` on). */
export interface LinearScheduleOptions {
  /** Value up to `startEpoch`. */
  from: number;
  /** Value from `endEpoch` on. */
  to: number;
  /** First epoch of the ramp (>= 0). */
  startEpoch: number;
  /** Last epoch of the ramp (> startEpoch). */
  endEpoch: number;
}

function checkEpoch(epoch: number): void {
  if (typeof epoch !== "number" || !Number.isFinite(epoch) || epoch < 0) {
    throw new RangeError(`epoch must be a finite non-negative number, got ${epoch}`);
  }
}

/**
 * A schedule that always returns `value` (finite).
 *
 * @example
 * ```ts
 * import { constantSchedule } from "./schedule.ts";
 * constantSchedule(0.3)(7); // 0.3
 * ```
 */
export function constantSchedule(value: number): Schedule {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`schedule value must be finite, got ${value}`);
  }
  return (epoch: number) => {
    checkEpoch(epoch);
    return value;
  };
}

/**
 * A linear ramp from `from` to `to` between `startEpoch` and `endEpoch` (constant outside).
 * Throws for non-finite values or epochs not ordered `0 <= startEpoch < endEpoch`.
 *
 * @example
 * ```ts
 * import { linearSchedule } from "./schedule.ts";
 * const s = linearSchedule({ from: 0, to: 1, startEpoch: 2, endEpoch: 4 });
 * [s(0), s(3), s(9)]; // [0, 0.5, 1]
 * ```
 */
export function linearSchedule(options: LinearScheduleOptions): Schedule {
  if (options === null || typeof options !== "object") {
    throw new TypeError("linearSchedule: options { from, to, startEpoch, endEpoch } required");
  }
  const { from, to, startEpoch, endEpoch } = options;
  for (const [k, v] of [["from", from], ["to", to]] as const) {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`linearSchedule: ${k} must be finite, got ${v}`);
    }
  }
  if (
    !Number.isFinite(startEpoch) || !Number.isFinite(endEpoch) || startEpoch < 0 ||
    !(endEpoch > startEpoch)
  ) {
    throw new RangeError(
      `linearSchedule: need 0 <= startEpoch < endEpoch, got startEpoch ${startEpoch}, endEpoch ${endEpoch}`,
    );
  }
  return (epoch: number) => {
    checkEpoch(epoch);
    if (epoch <= startEpoch) return from;
    if (epoch >= endEpoch) return to;
    const u = (epoch - startEpoch) / (endEpoch - startEpoch);
    return from + u * (to - from);
  };
}

/**
 * The soft-DTW temperature per epoch: a constant `γ` (a number) or a linear annealing
 * `γ₀ → γ₁` (both > 0). Throws for γ <= 0 or non-finite.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb and by the trainer.
 *
 * @example
 * ```ts
 * import { gammaSchedule } from "./schedule.ts";
 * gammaSchedule(0.3)(12); // 0.3
 * gammaSchedule({ from: 2, to: 0.2, startEpoch: 5, endEpoch: 15 })(10); // 1.1
 * ```
 */
export function gammaSchedule(spec: number | LinearScheduleOptions): Schedule {
  const check = (g: number, what: string) => {
    if (typeof g !== "number" || !Number.isFinite(g) || !(g > 0)) {
      throw new RangeError(`gamma schedule: ${what} must be a positive finite number, got ${g}`);
    }
  };
  if (typeof spec === "number") {
    check(spec, "gamma");
    return constantSchedule(spec);
  }
  if (spec === null || typeof spec !== "object") {
    throw new TypeError("gammaSchedule: a number or { from, to, startEpoch, endEpoch } required");
  }
  check(spec.from, "from");
  check(spec.to, "to");
  return linearSchedule(spec);
}

/**
 * The diagonal prior's weight per epoch: `from` (>= 0) until `startEpoch`, fading linearly to
 * `to` (default 0) at `endEpoch`. Throws for negative or non-finite weights.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb and by the trainer.
 *
 * @example
 * ```ts
 * import { priorWeightFade } from "./schedule.ts";
 * const w = priorWeightFade({ from: 1, startEpoch: 0, endEpoch: 20 });
 * w(10); // 0.5
 * ```
 */
export function priorWeightFade(
  options: { from: number; to?: number; startEpoch: number; endEpoch: number },
): Schedule {
  if (options === null || typeof options !== "object") {
    throw new TypeError("priorWeightFade: options { from, to?, startEpoch, endEpoch } required");
  }
  const to = options.to ?? 0;
  for (const [k, v] of [["from", options.from], ["to", to]] as const) {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`priorWeightFade: ${k} must be a finite non-negative weight, got ${v}`);
    }
  }
  return linearSchedule({ ...options, to });
}
