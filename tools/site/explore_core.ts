/**
 * What the soft-DTW explorer computes, shared by the page (bundled for the browser with
 * `lib/align` by `tools/site/build.ts`) and by the browser test, which recomputes the page's
 * value in Deno: the cost matrix of an example, the soft-DTW value and expected alignment for
 * a γ and step weights, the optimal DTW path, and the slider's log scale.
 *
 * Step weights `[wRow, wCol, wDiag]` multiply the cost of the cell a step enters (`[1, 1, 1]` is
 * plain soft-DTW). CTC: for an example whose target is a chord sequence, {@linkcode ctcInputs}
 * gives the network's output a blank class, and {@linkcode exploreCtc} computes `lib/align`'s
 * CTC (at the same γ; γ = 1 is the negative log-likelihood) and its posterior for the segment.
 *
 * Presets ({@linkcode ExplorePreset}): besides soft-DTW, subsequence soft-DTW, partial matching
 * and CTC, each as the alignment graph of `lib/align` (`subsequenceGraph`,
 * `partialMatchingGraph`, `ctcAlignGraph`).
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
  type AlignGraph,
  ctcAlignGraph,
  type CtcAlignment,
  ctcAlignment,
  ctcCost,
  graphAlignment,
  type Matrix64,
  partialMatchingGraph,
  softDtwGraph,
  softDtwValueAndGrad,
  squaredEuclideanCost,
  subsequenceGraph,
} from "../../lib/align/mod.ts";

/** Step weights `[wRow, wCol, wDiag]`: the factor on the cost of the cell a step enters. */
export type StepWeights = [number, number, number];

/** Mantissas of the slider's γ values in each decade (roughly log-uniform, round numbers). */
const MANTISSAS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8];

/**
 * The values of γ the slider steps through, from 0.001 to 10 on a log scale: ten round values
 * per decade (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten), so that the course's
 * γ = 0.3 and the report's 0.001, 0.3 and 10 are exact positions.
 */
export const GAMMA_VALUES: readonly number[] = Object.freeze([
  ...[-3, -2, -1, 0].flatMap((e) => MANTISSAS.map((m) => Number((m * 10 ** e).toPrecision(2)))),
  10,
]);
/** Slider positions from 0 to this number cover the γ range. */
export const GAMMA_STEPS: number = GAMMA_VALUES.length - 1;

/**
 * γ at a slider position (0..{@linkcode GAMMA_STEPS}).
 *
 * @example
 * ```ts
 * import { gammaAt } from "./explore_core.ts";
 * gammaAt(0); // 0.001
 * ```
 */
export function gammaAt(position: number): number {
  if (!Number.isInteger(position) || position < 0 || position > GAMMA_STEPS) {
    throw new RangeError(
      `slider position must be an integer in 0..${GAMMA_STEPS}, got ${position}`,
    );
  }
  return GAMMA_VALUES[position];
}

/**
 * The slider position whose γ is nearest to `gamma` on the log scale (clamped to the range).
 *
 * @example
 * ```ts
 * import { gammaAt, positionOf } from "./explore_core.ts";
 * gammaAt(positionOf(0.3)); // 0.3
 * ```
 */
export function positionOf(gamma: number): number {
  if (!(gamma > 0) || !Number.isFinite(gamma)) {
    throw new RangeError(`γ must be positive and finite, got ${gamma}`);
  }
  let best = 0;
  GAMMA_VALUES.forEach((g, k) => {
    if (Math.abs(Math.log(g / gamma)) < Math.abs(Math.log(GAMMA_VALUES[best] / gamma))) best = k;
  });
  return best;
}

/**
 * The alignment-graph preset the explorer runs: soft-DTW (the default), subsequence soft-DTW
 * along the frames (the target may start and end at any frame), partial matching (on the cost
 * minus {@linkcode PARTIAL_MATCH_THRESHOLD}, soft minimum; the step weights are the preset's
 * [0, 0, 1]) or CTC (on the network output with a blank class, see {@linkcode ctcInputs}; the
 * heatmap's rows are then the extended target).
 */
export type ExplorePreset = "softDtw" | "subsequence" | "partialMatching" | "ctc";

/** The presets of the explorer's menu, with their names. */
export const EXPLORE_PRESETS: readonly { id: ExplorePreset; label: string }[] = [
  { id: "softDtw", label: "soft-DTW" },
  { id: "subsequence", label: "subsequence soft-DTW (along the frames)" },
  { id: "partialMatching", label: "partial matching" },
  { id: "ctc", label: "CTC (chord sequence with a blank)" },
];

/** Partial matching runs on `C − τ` with this τ: a cost below it is a good match. */
export const PARTIAL_MATCH_THRESHOLD = 1;

/** Settings of one computation. */
export interface ExploreSettings {
  /** Soft-DTW temperature, > 0. */
  gamma: number;
  /** Step weights `[wRow, wCol, wDiag]`, each ≥ 0 (`[1, 1, 1]`: plain soft-DTW). */
  stepWeights: StepWeights;
  /** The preset (default `"softDtw"`). */
  preset?: ExplorePreset;
}

/** What the page shows for one setting. */
export interface ExploreResult {
  /** Squared Euclidean cost, rows of x × rows of y. */
  cost: number[][];
  /** The soft-DTW value. */
  value: number;
  /** The expected alignment ∂SDTW/∂C, rows of x × rows of y. */
  grad: number[][];
  /** The optimal (hard) DTW path with the same step weights, as [row, column] pairs. */
  path: [number, number][];
  /** The DTW value with the same step weights (γ → 0). */
  dtwValue: number;
  /** CTC: the extended target `(ε, y₁, ε, …, y_L, ε)` (class indices, 0 = blank), the columns. */
  extended?: number[];
}

/**
 * Soft-DTW of `x` against `y` (squared Euclidean cost) with the library's kernel (step-weighted
 * when the weights are not [1, 1, 1]), and the optimal path of the same step weights; with
 * another `preset`, that alignment graph of the library (soft minimum), its gradient and the
 * path of its hard minimum. Throws a `RangeError` for CTC on an example without a chord
 * sequence.
 *
 * @example
 * ```ts
 * import { explore } from "./explore_core.ts";
 * explore({ x: [[0], [1]], y: [[0], [1]] }, { gamma: 0.1, stepWeights: [1, 1, 2] }).path;
 * // [[0, 0], [1, 1]]
 * ```
 */
export function explore(
  example: { x: number[][]; y: number[][]; labels?: number[] },
  settings: ExploreSettings,
): ExploreResult {
  const preset = settings.preset ?? "softDtw";
  const { gamma, stepWeights } = settings;
  if (preset === "softDtw") {
    const cost = squaredEuclideanCost(example.x, example.y);
    const { value, grad } = softDtwValueAndGrad(cost, { gamma, stepWeights });
    const hard = weightedDtw(cost, stepWeights);
    return { cost, value, grad, path: hard.path, dtwValue: hard.value };
  }
  let cost: number[][];
  let graph: (aggregation: "soft" | "hard") => AlignGraph;
  let extended: number[] | undefined;
  if (preset === "ctc") {
    const inputs = ctcInputs(example);
    if (inputs === null) {
      throw new RangeError("CTC needs a chord sequence: choose an example with one");
    }
    extended = ctcAlignGraph(inputs.labels, { blank: 0, frames: example.x.length }).extended;
    cost = ctcCost(inputs.logProbs, extended);
    graph = (aggregation) => ({
      ...ctcAlignGraph(inputs.labels, { blank: 0, frames: example.x.length, gamma }).graph,
      aggregation,
    });
  } else if (preset === "subsequence") {
    cost = squaredEuclideanCost(example.x, example.y);
    graph = (aggregation) =>
      subsequenceGraph(cost.length, cost[0].length, { gamma, stepWeights, aggregation });
  } else if (preset === "partialMatching") {
    cost = squaredEuclideanCost(example.x, example.y)
      .map((row) => row.map((v) => v - PARTIAL_MATCH_THRESHOLD));
    graph = (aggregation) =>
      partialMatchingGraph(cost.length, cost[0].length, { gamma, aggregation });
  } else {
    throw new RangeError(`unknown preset ${String(preset)}`);
  }
  const soft = graphAlignment(cost, graph("soft"));
  const hard = graphAlignment(cost, graph("hard"));
  return {
    cost,
    value: soft.value,
    grad: rows(soft.H),
    path: support(hard.E),
    dtwValue: hard.value,
    extended,
  };
}

const rows = (m: Matrix64): number[][] =>
  Array.from(
    { length: m.rows },
    (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)),
  );

/** The cells of a hard expected alignment (a path, in row-major order). */
function support(E: Matrix64): [number, number][] {
  const path: [number, number][] = [];
  for (let p = 0; p < E.data.length; p++) {
    if (E.data[p] !== 0) path.push([Math.floor(p / E.cols), p % E.cols]);
  }
  return path;
}

/**
 * DTW with step weights (the γ → 0 limit the heatmap is compared with): the hard minimum of the
 * soft-DTW graph of the same step weights (`softDtwGraph` with `aggregation: "hard"`), the
 * minimum over warping paths of the sum of `w · C(cell)` over the cells the path enters, the
 * first cell entered diagonally; the path is the support of its expected alignment E (ties go
 * to the first of the row step, the column step and the diagonal step).
 *
 * @example
 * ```ts
 * import { weightedDtw } from "./explore_core.ts";
 * weightedDtw([[0, 1], [1, 0]], [1, 1, 1]); // { value: 0, path: [[0, 0], [1, 1]] }
 * ```
 */
export function weightedDtw(
  cost: number[][],
  stepWeights: StepWeights,
): { value: number; path: [number, number][] } {
  const graph = softDtwGraph(cost.length, cost[0].length, { aggregation: "hard", stepWeights });
  const { value, E } = graphAlignment(cost, graph);
  return { value, path: support(E) };
}

/** The share of each frame's probability the explorer gives the blank class for CTC. */
export const CTC_BLANK_SHARE = 0.1;

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

/**
 * CTC of an example's network output against its chord sequence at temperature γ, with the
 * posterior occupancy of the extended target `(ε, y₁, ε, …, y_L, ε)` (frames × 2L+1), or `null`
 * for an example without a chord sequence.
 *
 * @example
 * ```ts
 * import { exploreCtc } from "./explore_core.ts";
 * const p = Array.from({ length: 24 }, () => 1 / 24);
 * exploreCtc({ x: [p, p, p], labels: [0, 7] }, 1)!.extended; // [0, 1, 0, 8, 0]
 * ```
 */
export function exploreCtc(
  example: { x: number[][]; labels?: number[] },
  gamma: number,
): CtcAlignment | null {
  const inputs = ctcInputs(example);
  if (inputs === null) return null;
  return ctcAlignment(inputs.logProbs, inputs.labels, { blank: 0, gamma });
}
