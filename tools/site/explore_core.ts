/**
 * What the soft-DTW explorer computes, shared by the page (bundled for the browser with
 * `lib/align` by `tools/site/build.ts`) and by the browser test, which recomputes the page's
 * value in Deno: the cost matrix of an example, the soft-DTW value and expected alignment for
 * a γ and step weights, the optimal DTW path, and the slider's log scale.
 *
 * Step weights: `lib/align` computes plain soft-DTW (weights [1, 1, 1]) until the step-weighted
 * kernel of the alignment family lands; {@linkcode STEP_WEIGHTS_AVAILABLE} says which one this
 * build uses, and the page disables the weight sliders while it is false.
 *
 * Used by the explorer page of the course site (linked from
 * notebooks/02_gradient_expected_alignment.ipynb and notebooks/05_gamma_sweep.ipynb).
 *
 * @example
 * ```ts
 * import { explore } from "./explore_core.ts";
 * const r = explore({ x: [[0], [1]], y: [[0], [1]] }, { gamma: 1, stepWeights: [1, 1, 1] });
 * r.value; // soft-DTW value of the 2×2 cost matrix [[0, 1], [1, 0]]
 * ```
 *
 * @module
 */
import { dtw, softDtwValueAndGrad, squaredEuclideanCost } from "../../lib/align/mod.ts";

/** Whether `lib/align` has step weights (the sliders are disabled while it has not). */
export const STEP_WEIGHTS_AVAILABLE = false;

/** Step weights `[wRow, wCol, wDiag]`: the factor on the cost of the cell a step enters. */
export type StepWeights = [number, number, number];

/** The slider's range of γ (log scale). */
export const GAMMA_RANGE = { min: 0.001, max: 10 } as const;
/** Slider positions from 0 to this number cover the γ range. */
export const GAMMA_STEPS = 400;

/** γ at a slider position (0..{@linkcode GAMMA_STEPS}), log-uniform over the range. */
export function gammaAt(position: number): number {
  if (!Number.isFinite(position) || position < 0 || position > GAMMA_STEPS) {
    throw new RangeError(`slider position must be in 0..${GAMMA_STEPS}, got ${position}`);
  }
  const lo = Math.log10(GAMMA_RANGE.min), hi = Math.log10(GAMMA_RANGE.max);
  return Number((10 ** (lo + (hi - lo) * position / GAMMA_STEPS)).toPrecision(4));
}

/** The slider position nearest to γ. */
export function positionOf(gamma: number): number {
  if (!(gamma > 0) || !Number.isFinite(gamma)) {
    throw new RangeError(`γ must be positive and finite, got ${gamma}`);
  }
  const lo = Math.log10(GAMMA_RANGE.min), hi = Math.log10(GAMMA_RANGE.max);
  const p = Math.round((Math.log10(gamma) - lo) / (hi - lo) * GAMMA_STEPS);
  return Math.min(GAMMA_STEPS, Math.max(0, p));
}

/** Settings of one computation. */
export interface ExploreSettings {
  /** Soft-DTW temperature, > 0. */
  gamma: number;
  /** Step weights `[wRow, wCol, wDiag]`, each ≥ 0 (only [1, 1, 1] before step weights land). */
  stepWeights: StepWeights;
}

/** What the page shows for one setting. */
export interface ExploreResult {
  /** Squared Euclidean cost, rows of x × rows of y. */
  cost: number[][];
  /** The soft-DTW value. */
  value: number;
  /** The expected alignment ∂SDTW/∂C, rows of x × rows of y. */
  grad: number[][];
  /** The optimal (hard) DTW path, as [row, column] pairs. */
  path: [number, number][];
  /** The DTW value (γ → 0). */
  dtwValue: number;
}

/** Checks step weights: three finite numbers ≥ 0, not all zero. */
export function checkStepWeights(w: StepWeights): void {
  if (!Array.isArray(w) || w.length !== 3) {
    throw new TypeError(`stepWeights must be [wRow, wCol, wDiag], got ${JSON.stringify(w)}`);
  }
  for (const v of w) {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`step weights must be finite numbers >= 0, got ${JSON.stringify(w)}`);
    }
  }
}

/**
 * Soft-DTW of `x` against `y` (squared Euclidean cost) with the library's kernel, and the
 * optimal DTW path. Throws a RangeError for step weights other than [1, 1, 1] while
 * {@linkcode STEP_WEIGHTS_AVAILABLE} is false.
 */
export function explore(
  example: { x: number[][]; y: number[][] },
  settings: ExploreSettings,
): ExploreResult {
  checkStepWeights(settings.stepWeights);
  const plain = settings.stepWeights.every((w) => w === 1);
  if (!STEP_WEIGHTS_AVAILABLE && !plain) {
    throw new RangeError("step weights other than [1, 1, 1] need the step-weighted soft-DTW");
  }
  const cost = squaredEuclideanCost(example.x, example.y);
  const { value, grad } = softDtwValueAndGrad(cost, { gamma: settings.gamma });
  const hard = dtw(cost);
  return { cost, value, grad, path: hard.path, dtwValue: hard.value };
}
