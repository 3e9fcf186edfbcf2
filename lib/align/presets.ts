/**
 * The alignment losses of the library as presets of the alignment graph of `graph.ts`: each is
 * a thin function that fixes the step set S, the step weights W, the boundary sets and µ (the
 * table of dDTW's `docs/variants.rst`, 0-based):
 *
 * | preset | S | W | B_start (w_start) | B_end (w_end) | µ |
 * | --- | --- | --- | --- | --- | --- |
 * | {@linkcode softDtwGraph} (also `dtw`, `smooth`, `sparse` via `aggregation`) | (1,0) (0,1) (1,1) | [wRow, wCol, wDiag], ∞ outside a band | (0,0) (wDiag) | (N−1, M−1) (0) | soft |
 * | {@linkcode subsequenceGraph}, along rows | same | same | (n, 0) for every n (1, or 1 + n·wRow compensated) | (n, M−1) (0, or (N−1−n)·wRow) | soft |
 * | {@linkcode partialMatchingGraph} | same | [0, 0, 1] | every cell (1) | every cell (0) | hard |
 * | {@linkcode ctcAlignGraph} | (1,0) (1,1) (1,2) | 1; ∞ for a skip into a blank or a repeated label | (0,0) (0,1) | (T−1, S−1) (T−1, S−2) | soft |
 *
 * The start weight wDiag of soft-DTW is the library's convention (the first cell is weighted as a
 * diagonal step enters it), so `softDtwGraph` reproduces `softDtwValueAndGrad` with every option.
 * Subsequence alignment matches a short sequence to the best-fitting part of a long one (a
 * query in a document, a weak label sequence in a longer excerpt); with `compensate`, a start
 * at row n pays its first cell's cost for each of the n skipped rows too (and an end before the
 * last row for each row left), so that short matches are not favoured for skipping. Partial
 * matching keeps only the diagonal matches of a monotone path that may start and end anywhere:
 * with costs that are negative for good matches it selects an ordered subset of them.
 *
 * Length normalization ({@linkcode LengthNormalization}): the value and gradient divided by N
 * (`"rows"`), M (`"cols"`) or N·M (`"rowsCols"`); CTC by its target length (`ctcLoss` option
 * `normalize: "target"`).
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { subsequenceSoftDtw } from "./presets.ts";
 * // a 2-frame query found inside a 5-frame document
 * const cost = [[5, 5, 0, 5, 5], [5, 5, 5, 0, 5]];
 * const { value } = subsequenceSoftDtw(cost, { gamma: 0.01, along: "cols" }); // ≈ 0
 * ```
 *
 * @module
 */
import type { Aggregation } from "./_aggregation.ts";
import { type BandLimits, checkBandLimits, sakoeChibaBand } from "./band.ts";
import { checkPackedCosts } from "./_checks.ts";
import type { Matrix64, PackedCosts } from "./cost.ts";
import { checkCtcTarget, ctcExtendedLabels } from "./ctc.ts";
import { alignGraph, type AlignGraphResult, classicWeights, graphCost, runGraph } from "./graph.ts";
import { softDtwValueAndGrad64 } from "./soft_dtw.ts";
import type { AlignGraph, Cell } from "./graph_types.ts";
import { checkGraphGamma, resolveGraph } from "./_graph_check.ts";
import { ctcGraphRoute, rememberCtcGraph } from "./_ctc_route.ts";
import { checkStepWeights } from "./weighted.ts";
import type { StepWeights } from "./options.ts";

/** How a value and its gradient are divided by the lengths: N rows, M columns, or N·M. */
export type LengthNormalization = "none" | "rows" | "cols" | "rowsCols";

const CLASSIC_STEPS: AlignGraph["steps"] = [[1, 0], [0, 1], [1, 1]];

/** Options of the classic-graph presets ({@linkcode softDtwGraph} and its losses). */
export interface ClassicGraphOptions {
  /** Temperature γ > 0 (not used by `"hard"`). */
  gamma?: number;
  /** The aggregation µ (default `"soft"`). */
  aggregation?: Aggregation;
  /** `[wRow, wCol, wDiag]` (default [1, 1, 1]); the first cell is weighted by wDiag. */
  stepWeights?: StepWeights;
  /** A Sakoe–Chiba radius around the line from the first to the last cell, or band limits. */
  band?: number | BandLimits;
}

function bandWeights(
  rows: number,
  cols: number,
  band: number | BandLimits,
  w: StepWeights,
): Float64Array {
  const limits = typeof band === "number" ? sakoeChibaBand(rows, cols, { radius: band }) : band;
  checkBandLimits(limits, rows, cols);
  const local = new Float64Array(rows * cols * 3);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const inside = j >= limits.lo[i] && j <= limits.hi[i];
      for (let s = 0; s < 3; s++) local[(i * cols + j) * 3 + s] = inside ? w[s] : Infinity;
    }
  }
  return local;
}

/**
 * The soft-DTW graph of a `rows × cols` cost matrix: steps (1,0), (0,1), (1,1) weighted
 * `[wRow, wCol, wDiag]`, start (0, 0) with weight wDiag, end (rows−1, cols−1); with a band, the
 * edges into cells outside it are removed (weight ∞). `aggregation: "hard"` is DTW, `"smooth"`
 * and `"sparse"` smooth and sparse DTW.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb and notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { alignGraph } from "./graph.ts";
 * import { softDtwGraph } from "./presets.ts";
 * const C = [[0, 1], [1, 0]];
 * alignGraph(C, softDtwGraph(2, 2, { gamma: 1 })).value; // = softDtw(C, { gamma: 1 })
 * ```
 */
export function softDtwGraph(
  rows: number,
  cols: number,
  options: ClassicGraphOptions = {},
): AlignGraph {
  const w = options.stepWeights ?? [1, 1, 1];
  checkStepWeights(w);
  const graph: AlignGraph = {
    steps: CLASSIC_STEPS,
    start: { cells: [[0, 0]], weights: [w[2]] },
    end: { cells: [[rows - 1, cols - 1]] },
    aggregation: options.aggregation ?? "soft",
    gamma: options.gamma,
  };
  if (options.band === undefined) graph.stepWeights = w;
  else graph.localStepWeights = bandWeights(rows, cols, options.band, w);
  return graph;
}

/** Options of {@linkcode subsequenceGraph} and {@linkcode subsequenceSoftDtw}. */
export interface SubsequenceOptions {
  /** Temperature γ > 0 (not used by `"hard"`). */
  gamma?: number;
  /** The aggregation µ (default `"soft"`). */
  aggregation?: Aggregation;
  /**
   * Along which axis the match may start and end anywhere: `"rows"` (the rows sequence is the
   * long one, the default), `"cols"` or `"both"`.
   */
  along?: "rows" | "cols" | "both";
  /** Boundary compensation for the skipped prefix and suffix (default false). */
  compensate?: boolean;
  /** `[wRow, wCol, wDiag]` (default [1, 1, 1]). */
  stepWeights?: StepWeights;
}

/**
 * The subsequence graph: the classic steps and weights, and a match that may start anywhere in
 * the first column and end anywhere in the last (`along: "rows"`: cells (n, 0) and (n, M−1) for
 * every row n, both corners included), in the first and last row (`"cols"`), or both. With
 * `compensate`, the start cell (n, 0) weighs `1 + n·wRow` and the end cell (n, M−1)
 * `(N−1−n)·wRow` (columns alike with wCol); otherwise 1 and 0.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { subsequenceGraph } from "./presets.ts";
 * subsequenceGraph(3, 2, { gamma: 1 }).start.cells; // [[0, 0], [1, 0], [2, 0]]
 * ```
 */
export function subsequenceGraph(
  rows: number,
  cols: number,
  options: SubsequenceOptions = {},
): AlignGraph {
  const w = options.stepWeights ?? [1, 1, 1];
  checkStepWeights(w);
  const along = options.along ?? "rows";
  if (!["rows", "cols", "both"].includes(along)) {
    throw new RangeError(`along must be "rows", "cols" or "both", got ${String(along)}`);
  }
  const compensate = options.compensate ?? false;
  const starts = new Map<string, { cell: Cell; weight: number }>();
  const ends = new Map<string, { cell: Cell; weight: number }>();
  const add = (map: typeof starts, i: number, j: number, weight: number) => {
    const key = `${i},${j}`;
    // a corner reached along both axes (or twice) has the same weight each time
    if (!map.has(key)) map.set(key, { cell: [i, j], weight });
  };
  add(starts, 0, 0, 1);
  add(ends, rows - 1, cols - 1, 0);
  if (along !== "cols") {
    for (let n = 0; n < rows; n++) {
      add(starts, n, 0, compensate ? 1 + n * w[0] : 1);
      add(ends, n, cols - 1, compensate ? (rows - 1 - n) * w[0] : 0);
    }
  }
  if (along !== "rows") {
    for (let m = 0; m < cols; m++) {
      add(starts, 0, m, compensate ? 1 + m * w[1] : 1);
      add(ends, rows - 1, m, compensate ? (cols - 1 - m) * w[1] : 0);
    }
  }
  const set = (map: typeof starts) => ({
    cells: [...map.values()].map((e) => e.cell),
    weights: [...map.values()].map((e) => e.weight),
  });
  return {
    steps: CLASSIC_STEPS,
    stepWeights: w,
    start: set(starts),
    end: set(ends),
    aggregation: options.aggregation ?? "soft",
    gamma: options.gamma,
  };
}

/** Options of {@linkcode partialMatchingGraph} and {@linkcode partialMatching}. */
export interface PartialMatchingOptions {
  /** The aggregation µ (default `"hard"`, as dDTW's `partial_matching`). */
  aggregation?: Aggregation;
  /** Temperature γ > 0 (required unless `"hard"`). */
  gamma?: number;
}

/**
 * The partial-matching graph: the classic steps weighted [0, 0, 1] (only diagonal steps pay
 * their cell's cost), every cell a start (weight 1) and an end (weight 0).
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { partialMatchingGraph } from "./presets.ts";
 * partialMatchingGraph(2, 2).start.cells.length; // 4
 * ```
 */
export function partialMatchingGraph(
  rows: number,
  cols: number,
  options: PartialMatchingOptions = {},
): AlignGraph {
  const cells: Cell[] = [];
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) cells.push([i, j]);
  return {
    steps: CLASSIC_STEPS,
    stepWeights: [0, 0, 1],
    start: { cells },
    end: { cells },
    aggregation: options.aggregation ?? "hard",
    gamma: options.gamma,
  };
}

/** Options of {@linkcode ctcAlignGraph}. */
export interface CtcGraphOptions {
  /** Index of the blank class. */
  blank: number;
  /** Number of frames T. */
  frames: number;
  /** Number of classes K (default one more than the largest index used). */
  classes?: number;
  /** Temperature (default 1: the CTC negative log-likelihood). */
  gamma?: number;
}

/**
 * The CTC graph as an alignment graph over the extended target `(ε, y_1, ε, …, y_L, ε)` of S
 * states: steps (1,0) stay, (1,1) advance, (1,2) skip a blank (weight ∞ into a blank or into a
 * label equal to the one before the skipped blank), start cells (0,0) and (0,1), end cells
 * (T−1, S−1) and (T−1, S−2). Its cost is {@linkcode ctcCost} of the log-probabilities.
 * The steps and boundary sets are frozen and the per-cell weights are to be treated as
 * read-only: `alignGraph` recognises this graph (and a spread copy of it) by identity and reads
 * only the weights of its first and last frames before running the CTC kernel.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { ctcAlignGraph } from "./presets.ts";
 * const { graph, extended } = ctcAlignGraph([1, 2], { blank: 0, frames: 3 });
 * // extended = [0, 1, 0, 2, 0]
 * ```
 */
export function ctcAlignGraph(
  labels: readonly number[],
  options: CtcGraphOptions,
): { graph: AlignGraph; extended: number[] } {
  const { blank, frames: T } = options;
  const classes = options.classes ??
    Math.max(blank, ...labels.filter((l) => Number.isFinite(l))) + 1;
  checkCtcTarget(labels, { blank, classes, frames: T });
  const ext = Array.from(ctcExtendedLabels(labels, blank));
  const S = ext.length;
  const local = new Float64Array(T * S * 3);
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < S; s++) {
      const o = (t * S + s) * 3;
      local[o] = 1;
      local[o + 1] = 1;
      local[o + 2] = s >= 2 && ext[s] !== blank && ext[s] !== ext[s - 2] ? 1 : Infinity;
    }
  }
  const start: Cell[] = S > 1 ? [[0, 0], [0, 1]] : [[0, 0]];
  const end: Cell[] = S > 1 ? [[T - 1, S - 1], [T - 1, S - 2]] : [[T - 1, 0]];
  const cells = (list: Cell[]) => Object.freeze(list.map((c) => Object.freeze(c) as Cell));
  const graph: AlignGraph = {
    steps: cells([[1, 0], [1, 1], [1, 2]]) as Cell[],
    localStepWeights: local,
    start: Object.freeze({ cells: cells(start) as Cell[] }),
    end: Object.freeze({ cells: cells(end) as Cell[] }),
    aggregation: "soft",
    gamma: options.gamma ?? 1,
  };
  rememberCtcGraph(graph, T);
  return { graph, extended: ext };
}

/**
 * The CTC cost matrix `C(t, s) = −logProbs[t][extended[s]]` (`T × S`) of
 * {@linkcode ctcAlignGraph}. The gradient with respect to `logProbs[t][k]` is then
 * `−Σ_{s: extended[s] = k} H(t, s)`.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { ctcCost } from "./presets.ts";
 * ctcCost([[-1, -2]], [0, 1, 0]); // [[1, 2, 1]]
 * ```
 */
export function ctcCost(
  logProbs: readonly (readonly number[])[],
  extended: readonly number[],
): number[][] {
  return logProbs.map((row) => extended.map((k) => -row[k]));
}

/** Options shared by the preset losses: the length normalization. */
export interface NormalizeOption {
  /** Divide value and gradient by N, M or N·M (default `"none"`). */
  normalize?: LengthNormalization;
}

/** The divisor of a length normalization for a `rows × cols` problem. */
export function lengthDivisor(normalize: LengthNormalization, rows: number, cols: number): number {
  switch (normalize) {
    case "none":
      return 1;
    case "rows":
      return rows;
    case "cols":
      return cols;
    case "rowsCols":
      return rows * cols;
  }
  throw new RangeError(
    `normalize must be "none", "rows", "cols" or "rowsCols", got ${String(normalize)}`,
  );
}

function presetLoss(
  cost: readonly (readonly number[])[],
  make: (rows: number, cols: number) => AlignGraph,
  normalize: LengthNormalization = "none",
): AlignGraphResult<number[][]> {
  const C = graphCost(cost);
  const d = lengthDivisor(normalize, C.rows, C.cols);
  const r = alignGraph(cost, make(C.rows, C.cols));
  if (d === 1) return r;
  return { value: r.value / d, grad: r.grad.map((row) => row.map((g) => g / d)) };
}

/**
 * Smooth DTW: the soft-DTW graph with the smooth minimum `µ(v) = ⟨v, softmax(−v/γ)⟩` (Hadji et
 * al., 2021), value and ∂value/∂C. Options as {@linkcode ClassicGraphOptions} (γ required) and
 * a length normalization.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { smoothDtw } from "./presets.ts";
 * const { value } = smoothDtw([[0, 1], [1, 0]], { gamma: 1 });
 * ```
 */
export function smoothDtw(
  cost: readonly (readonly number[])[],
  options: Omit<ClassicGraphOptions, "aggregation"> & NormalizeOption & { gamma: number },
): AlignGraphResult<number[][]> {
  return presetLoss(
    cost,
    (r, c) => softDtwGraph(r, c, { ...options, aggregation: "smooth" }),
    options.normalize,
  );
}

/**
 * Sparse DTW: the soft-DTW graph with the sparse minimum
 * `µ(v) = min_{q ∈ Δ} ⟨v, q⟩ + (γ/2)⟨q, q − 1⟩` (Mensch & Blondel, 2018), whose weights are the
 * sparsemax of −v/γ: paths far from the best get exactly zero gradient.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { sparseDtw } from "./presets.ts";
 * const { grad } = sparseDtw([[0, 5], [5, 0]], { gamma: 1 }); // [[1, 0], [0, 1]]
 * ```
 */
export function sparseDtw(
  cost: readonly (readonly number[])[],
  options: Omit<ClassicGraphOptions, "aggregation"> & NormalizeOption & { gamma: number },
): AlignGraphResult<number[][]> {
  return presetLoss(
    cost,
    (r, c) => softDtwGraph(r, c, { ...options, aggregation: "sparse" }),
    options.normalize,
  );
}

/**
 * Subsequence soft-DTW (Zeitler & Müller, ICASSP 2026): the {@linkcode subsequenceGraph} loss,
 * value and ∂value/∂C, with a length normalization.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { subsequenceSoftDtw } from "./presets.ts";
 * const { value } = subsequenceSoftDtw([[4, 0, 4]], { gamma: 0.01, along: "cols" }); // ≈ 0
 * ```
 */
export function subsequenceSoftDtw(
  cost: readonly (readonly number[])[],
  options: SubsequenceOptions & NormalizeOption,
): AlignGraphResult<number[][]> {
  return presetLoss(cost, (r, c) => subsequenceGraph(r, c, options), options.normalize);
}

/**
 * Partial matching: the {@linkcode partialMatchingGraph} loss (hard by default), value and
 * ∂value/∂C, with a length normalization.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { partialMatching } from "./presets.ts";
 * // negative cost = a good match: the best ordered subset is (0,0) and (1,1)
 * partialMatching([[-1, 2], [2, -1]]).value; // -2
 * ```
 */
export function partialMatching(
  cost: readonly (readonly number[])[],
  options: PartialMatchingOptions & NormalizeOption = {},
): AlignGraphResult<number[][]> {
  return presetLoss(cost, (r, c) => partialMatchingGraph(r, c, options), options.normalize);
}

/** Arguments of {@linkcode alignGraphBatch64}. */
export interface AlignGraphBatchArgs extends PackedCosts, NormalizeOption {
  /** The graph of pair b, of its own `rows × cols` (a preset such as `subsequenceGraph`). */
  graph: (rows: number, cols: number, b: number) => AlignGraph;
}

/** Result of {@linkcode alignGraphBatch64}. */
export interface AlignGraphBatchResult {
  /** Value of each pair (length B), normalized. */
  values: Float64Array;
  /** Gradients `B × maxRows × maxCols` (pair b's in its top-left block, zeros elsewhere). */
  grads: Float64Array;
}

/**
 * Any preset on a batch of cost matrices with per-pair lengths (packed as the other batch
 * functions take them): pair b runs `graph(rows_b, cols_b, b)` on its top-left block (the
 * classic soft-DTW graph on the soft-DTW kernel, as `alignGraph` does).
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { alignGraphBatch64, subsequenceGraph } from "./presets.ts";
 * const { values } = alignGraphBatch64({
 *   cost: new Float64Array([0, 1, 1, 0, 2, 2, 0, 0]),
 *   batch: 2,
 *   maxRows: 2,
 *   maxCols: 2,
 *   colLengths: [2, 1],
 *   graph: (r, c) => subsequenceGraph(r, c, { gamma: 0.5 }),
 * });
 * ```
 */
export function alignGraphBatch64(args: AlignGraphBatchArgs): AlignGraphBatchResult {
  if (args === null || typeof args !== "object" || typeof args.graph !== "function") {
    throw new TypeError("alignGraphBatch64: arguments { cost, batch, maxRows, maxCols, graph }");
  }
  const { batch, maxCols } = args;
  const { block, rowLengths, colLengths } = checkPackedCosts(args);
  const normalize = args.normalize ?? "none";
  const values = new Float64Array(batch), grads = new Float64Array(batch * block);
  for (let b = 0; b < batch; b++) {
    const rows = rowLengths[b], cols = colLengths[b];
    const C: Matrix64 = { data: new Float64Array(rows * cols), rows, cols };
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) C.data[i * cols + j] = args.cost[b * block + i * maxCols + j];
    }
    const checked = graphCost(C, `cost of pair ${b}`);
    const graph = args.graph(rows, cols, b);
    // the CTC graph on CTC emissions runs the CTC kernel, as in alignGraph
    const ctc = graph?.aggregation === "soft"
      ? ctcGraphRoute(checked, graph, checkGraphGamma(graph))
      : null;
    const g = ctc === null ? resolveGraph(graph, rows, cols) : null;
    const w = g === null ? null : classicWeights(g);
    // the classic soft-DTW graph runs the kernel, as in alignGraph
    const run = ctc !== null ? ctc : w !== null
      ? (({ value, grad }) => ({ value, H: grad.data }))(
        softDtwValueAndGrad64(checked, { gamma: g!.gamma, stepWeights: w }),
      )
      : runGraph(checked, g!);
    const d = lengthDivisor(normalize, rows, cols);
    values[b] = run.value / d;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) grads[b * block + i * maxCols + j] = run.H[i * cols + j] / d;
    }
  }
  return { values, grads };
}
