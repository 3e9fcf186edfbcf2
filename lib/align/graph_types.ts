/**
 * The types of an alignment graph (see `graph.ts` for the model and its dynamic program): the
 * steps, cells, boundary sets and the graph itself, in dDTW's conventions (0-based cells; rows
 * are the first sequence, columns the second).
 *
 * @example
 * ```ts
 * import type { AlignGraph } from "./graph_types.ts";
 * const softDtw: AlignGraph = {
 *   steps: [[1, 0], [0, 1], [1, 1]],
 *   start: { cells: [[0, 0]] },
 *   end: { cells: [[3, 2]] },
 *   aggregation: "soft",
 *   gamma: 0.3,
 * };
 * ```
 *
 * @module
 */
import type { Aggregation } from "./_aggregation.ts";

export type { Aggregation };

/** A step (di, dj): di rows (predictions) and dj columns (targets) forward. */
export type Step = readonly [di: number, dj: number];

/** A cell [i, j]: row i, column j (0-based). */
export type Cell = readonly [i: number, j: number];

/** A boundary set: cells, each with a weight multiplying its cost. */
export interface BoundarySet {
  /** The cells (each at most once). */
  cells: readonly Cell[];
  /** One finite weight per cell (default 1 for start cells, 0 for end cells). */
  weights?: readonly number[];
}

/** A weighted acyclic alignment graph on the grid of a cost matrix (see the module doc). */
export interface AlignGraph {
  /** The step set S (distinct, non-negative, not [0, 0]). */
  steps: readonly Step[];
  /** One weight per step for every cell (default 1); Infinity = no edge. */
  stepWeights?: readonly number[];
  /** rows × cols × steps weights W(p, s), row-major; Infinity = no edge (not with stepWeights). */
  localStepWeights?: Float64Array;
  /** Start cells B_start with weights w_start (default 1). */
  start: BoundarySet;
  /** End cells B_end with weights w_end (default 0). */
  end: BoundarySet;
  /** The aggregation µ. */
  aggregation: Aggregation;
  /** Temperature γ > 0 (required except for `"hard"`). */
  gamma?: number;
}
