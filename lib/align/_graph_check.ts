/**
 * Validation of an {@linkcode AlignGraph} against a cost matrix (private to `lib/align`): every
 * problem is a `TypeError` (wrong type or shape) or a `RangeError` (value out of range) naming
 * the field, checked once at the entry of `alignGraph`. Returns the graph resolved into flat
 * arrays for the dynamic program.
 *
 * @example
 * ```ts
 * import { resolveGraph } from "./_graph_check.ts";
 * const g = resolveGraph({
 *   steps: [[1, 0], [0, 1], [1, 1]],
 *   start: { cells: [[0, 0]] },
 *   end: { cells: [[1, 1]] },
 *   aggregation: "soft",
 *   gamma: 1,
 * }, 2, 2);
 * // g.startWeight[0] = 1, g.endWeight[3] = 0
 * ```
 *
 * @module
 */
import { type Aggregation, AGGREGATIONS } from "./_aggregation.ts";
import { checkGamma } from "./options.ts";
import type { AlignGraph } from "./graph_types.ts";

/** A graph resolved for a `rows × cols` cost matrix. */
export interface ResolvedGraph {
  rows: number;
  cols: number;
  /** Row offsets di of the steps. */
  di: Int32Array;
  /** Column offsets dj of the steps. */
  dj: Int32Array;
  /** W(p, s) at `(p * steps + s)`, or null when every cell uses `global`. */
  local: Float64Array | null;
  /** The global step weights (1 each when none are given and `local` is null). */
  global: Float64Array;
  /** w_start(p) per cell, NaN where p is not a start cell. */
  startWeight: Float64Array;
  /** w_end(p) per cell, NaN where p is not an end cell. */
  endWeight: Float64Array;
  /** The end cells (row-major indices) in the order given. */
  endCells: Int32Array;
  aggregation: Aggregation;
  /** γ (1 for `"hard"`, where it is unused). */
  gamma: number;
}

/**
 * Checks γ of a graph, the one γ check of the alignment graph: required (a positive finite number
 * with a finite reciprocal) unless the aggregation is `"hard"`, where it may be absent. Returns γ
 * (1 for `"hard"` without one).
 */
export function checkGraphGamma(graph: AlignGraph): number {
  if (graph.gamma === undefined) {
    if (graph.aggregation === "hard") return 1;
    throw new TypeError(`graph.gamma is required for the "${graph.aggregation}" aggregation`);
  }
  checkGamma(graph.gamma, { name: "graph.gamma" });
  return graph.aggregation === "hard" ? 1 : graph.gamma;
}

function isStepWeight(w: unknown): w is number {
  return typeof w === "number" && (Number.isFinite(w) || w === Infinity);
}

function describe(v: unknown): string {
  return typeof v === "string" ? `the string "${v}"` : `${typeof v} ${String(v)}`;
}

function boundary(
  set: AlignGraph["start"],
  which: "start" | "end",
  rows: number,
  cols: number,
  defaultWeight: number,
): Float64Array {
  const name = `graph.${which}`;
  if (set === null || typeof set !== "object" || !Array.isArray(set.cells)) {
    throw new TypeError(`${name} must be an object { cells: [i, j][], weights? }`);
  }
  if (set.cells.length === 0) throw new RangeError(`${name}.cells is empty`);
  if (set.weights !== undefined) {
    if (!Array.isArray(set.weights)) {
      throw new TypeError(`${name}.weights must be an array of numbers`);
    }
    if (set.weights.length !== set.cells.length) {
      throw new TypeError(
        `${name}.weights has ${set.weights.length} entries for ${set.cells.length} cells`,
      );
    }
  }
  const out = new Float64Array(rows * cols).fill(NaN);
  set.cells.forEach((cell, k) => {
    if (!Array.isArray(cell) || cell.length !== 2) {
      throw new TypeError(`${name}.cells[${k}] must be a pair [i, j]`);
    }
    const [i, j] = cell;
    if (!Number.isInteger(i) || !Number.isInteger(j)) {
      throw new TypeError(`${name}.cells[${k}] must hold two integers, got [${i}, ${j}]`);
    }
    if (i < 0 || i >= rows || j < 0 || j >= cols) {
      throw new RangeError(
        `${name}.cells[${k}] = [${i}, ${j}] is outside the ${rows} × ${cols} cost matrix`,
      );
    }
    const w = set.weights === undefined ? defaultWeight : set.weights[k];
    if (typeof w !== "number") {
      throw new TypeError(`${name}.weights[${k}] must be a number, got ${describe(w)}`);
    }
    if (!Number.isFinite(w)) {
      throw new RangeError(`${name}.weights[${k}] is ${w}; boundary weights must be finite`);
    }
    if (!Number.isNaN(out[i * cols + j])) {
      throw new RangeError(`${name}.cells holds [${i}, ${j}] twice`);
    }
    out[i * cols + j] = w;
  });
  return out;
}

/**
 * Checks `graph` for a `rows × cols` cost matrix (the cost itself is checked by the caller)
 * and resolves it. Throws a `TypeError` or `RangeError` naming the field.
 */
export function resolveGraph(graph: AlignGraph, rows: number, cols: number): ResolvedGraph {
  if (graph === null || typeof graph !== "object") {
    throw new TypeError(`graph must be an object { steps, start, end, aggregation, ... }`);
  }
  if (!AGGREGATIONS.includes(graph.aggregation)) {
    throw new RangeError(
      `graph.aggregation must be one of ${AGGREGATIONS.join(", ")}, got ${
        describe(graph.aggregation)
      }`,
    );
  }
  const gamma = checkGraphGamma(graph);
  if (!Array.isArray(graph.steps) || graph.steps.length === 0) {
    throw new TypeError(`graph.steps must be a non-empty array of steps [di, dj]`);
  }
  const S = graph.steps.length;
  const di = new Int32Array(S), dj = new Int32Array(S);
  const seen = new Set<string>();
  graph.steps.forEach((step, s) => {
    if (!Array.isArray(step) || step.length !== 2) {
      throw new TypeError(`graph.steps[${s}] must be a pair [di, dj]`);
    }
    const [a, b] = step;
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a + b < 1) {
      throw new RangeError(
        `graph.steps[${s}] = [${a}, ${b}] must be two non-negative integers, not both 0`,
      );
    }
    if (seen.has(`${a},${b}`)) throw new RangeError(`graph.steps holds [${a}, ${b}] twice`);
    seen.add(`${a},${b}`);
    di[s] = a;
    dj[s] = b;
  });
  if (graph.stepWeights !== undefined && graph.localStepWeights !== undefined) {
    throw new TypeError(`graph has both stepWeights and localStepWeights: give one`);
  }
  const global = new Float64Array(S).fill(1);
  if (graph.stepWeights !== undefined) {
    if (!Array.isArray(graph.stepWeights) || graph.stepWeights.length !== S) {
      throw new TypeError(`graph.stepWeights must be an array of ${S} numbers (one per step)`);
    }
    graph.stepWeights.forEach((w, s) => {
      if (typeof w !== "number") {
        throw new TypeError(`graph.stepWeights[${s}] must be a number, got ${describe(w)}`);
      }
      if (!isStepWeight(w)) {
        throw new RangeError(
          `graph.stepWeights[${s}] is ${w}; a step weight is finite or Infinity (no edge)`,
        );
      }
      global[s] = w;
    });
  }
  let local: Float64Array | null = null;
  if (graph.localStepWeights !== undefined) {
    local = graph.localStepWeights;
    if (!(local instanceof Float64Array)) {
      throw new TypeError(`graph.localStepWeights must be a Float64Array (rows × cols × steps)`);
    }
    if (local.length !== rows * cols * S) {
      throw new TypeError(
        `graph.localStepWeights has length ${local.length}, expected rows × cols × steps = ${rows} × ${cols} × ${S}`,
      );
    }
    for (let k = 0; k < local.length; k++) {
      // a Float64Array holds numbers: finite or +∞ is exactly "> -∞" (NaN compares false)
      if (!(local[k] > -Infinity)) {
        const s = k % S, p = (k - s) / S;
        throw new RangeError(
          `graph.localStepWeights at cell [${Math.floor(p / cols)}, ${p % cols}], step ${s} is ${
            local[k]
          }; a step weight is finite or Infinity (no edge)`,
        );
      }
    }
  }
  const startWeight = boundary(graph.start, "start", rows, cols, 1);
  const endWeight = boundary(graph.end, "end", rows, cols, 0);
  const endCells = Int32Array.from(graph.end.cells, ([i, j]) => i * cols + j);
  return {
    rows,
    cols,
    di,
    dj,
    local,
    global,
    startWeight,
    endWeight,
    endCells,
    aggregation: graph.aggregation,
    gamma,
  };
}
