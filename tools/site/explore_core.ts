/**
 * What the soft-DTW explorer computes, shared by the page (bundled for the browser with
 * `lib/align` by `tools/site/build.ts`) and by the browser test, which recomputes the page's
 * value in Deno: the cost matrix of an example, the soft-DTW value and expected alignment for
 * a γ and step weights, the optimal DTW path, and the slider's log scale.
 *
 * Step weights: `lib/align` computes plain soft-DTW (weights [1, 1, 1]) until the step-weighted
 * kernel of the alignment family lands; {@linkcode STEP_WEIGHTS_AVAILABLE} says which one this
 * build uses, and the page disables the weight sliders while it is false. CTC: for an example
 * whose target is a chord sequence, {@linkcode ctcInputs} gives the network's output a blank
 * class so that `lib/align`'s CTC can compute its posterior for the same segment.
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
import {
  dtw,
  type SoftDtwOptions,
  softDtwValueAndGrad,
  squaredEuclideanCost,
} from "../../lib/align/mod.ts";

/** Whether `lib/align` has step weights (the sliders are disabled while it has not). */
export const STEP_WEIGHTS_AVAILABLE = false;

/** Step weights `[wRow, wCol, wDiag]`: the factor on the cost of the cell a step enters. */
export type StepWeights = [number, number, number];

/** The slider's range of γ (log scale). */
export const GAMMA_RANGE = { min: 0.001, max: 10 } as const;
/** Slider positions from 0 to this number cover the γ range. */
export const GAMMA_STEPS = 400;

/**
 * γ at a slider position (0..{@linkcode GAMMA_STEPS}), log-uniform over the range, rounded to
 * 4 significant digits (the value the page shows and computes with).
 *
 * @example
 * ```ts
 * import { gammaAt } from "./explore_core.ts";
 * gammaAt(200); // 0.1
 * ```
 */
export function gammaAt(position: number): number {
  if (!Number.isFinite(position) || position < 0 || position > GAMMA_STEPS) {
    throw new RangeError(`slider position must be in 0..${GAMMA_STEPS}, got ${position}`);
  }
  const lo = Math.log10(GAMMA_RANGE.min), hi = Math.log10(GAMMA_RANGE.max);
  return Number((10 ** (lo + (hi - lo) * position / GAMMA_STEPS)).toPrecision(4));
}

/**
 * The slider position nearest to γ (clamped to the slider's range).
 *
 * @example
 * ```ts
 * import { positionOf } from "./explore_core.ts";
 * positionOf(0.1); // 200
 * ```
 */
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

/**
 * Checks step weights: three finite numbers ≥ 0 (TypeError for a wrong shape, RangeError for a
 * value out of range).
 *
 * @example
 * ```ts
 * import { checkStepWeights } from "./explore_core.ts";
 * checkStepWeights([1, 1, 2]); // ok
 * ```
 */
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
  const options: SoftDtwOptions & { stepWeights?: StepWeights } = STEP_WEIGHTS_AVAILABLE
    ? { gamma: settings.gamma, stepWeights: settings.stepWeights }
    : { gamma: settings.gamma };
  const { value, grad } = softDtwValueAndGrad(cost, options);
  const hard = dtw(cost);
  return { cost, value, grad, path: hard.path, dtwValue: hard.value };
}

/** The share of each frame's probability the explorer gives the blank class for CTC. */
export const CTC_BLANK_SHARE = 0.1;

/** The shape of `ctcAlignment` of `lib/align` (the page passes it in once CTC exists there). */
export type CtcAlignmentFn = (
  logProbs: number[][],
  labels: number[],
  options: { blank: number; gamma?: number },
) => { value: number; occupancy: number[][]; extended: number[] };

/** CTC inputs of an example: log-probabilities with a blank class 0, and the label sequence. */
export interface CtcInputs {
  /** `T × 25`: log of the blank share, then of the 24 chord probabilities times the rest. */
  logProbs: number[][];
  /** The chord sequence (classes 1..24), adjacent repeats merged, "no chord" dropped. */
  labels: number[];
}

/**
 * CTC inputs for an example whose target is a chord sequence (`labels`), or `null` for one
 * that is not. The network has no blank output, so every frame gives the blank
 * {@linkcode CTC_BLANK_SHARE} of its mass and the chords the rest in their proportions; chord
 * `c` (0..23) is CTC class `c + 1`, the blank is class 0.
 *
 * @example
 * ```ts
 * import { ctcInputs } from "./explore_core.ts";
 * const p = Array.from({ length: 24 }, () => 1 / 24);
 * ctcInputs({ x: [p, p], labels: [0, 0, 7] })!.labels; // [1, 8]
 * ```
 */
export function ctcInputs(example: { x: number[][]; labels?: number[] }): CtcInputs | null {
  if (!example.labels) return null;
  const labels: number[] = [];
  for (const c of example.labels) {
    if (c < 0) continue;
    if (labels[labels.length - 1] !== c + 1) labels.push(c + 1);
  }
  const logProbs = example.x.map((row) => {
    if (row.length !== 24) throw new RangeError(`CTC needs 24 chord probabilities per frame`);
    return [
      Math.log(CTC_BLANK_SHARE),
      ...row.map((p) => Math.log((1 - CTC_BLANK_SHARE) * p)),
    ];
  });
  return { logProbs, labels };
}
