/**
 * The CTC fast path of `alignGraph`: a graph that is, as given, the CTC graph of
 * `ctcAlignGraph` (steps (1,0), (1,1), (1,2); per-cell weights 1, 1 and, per column, 1 or +∞
 * for the skip; start cells (0,0) and (0,1) weighted 1; end cells the last two of the last row
 * weighted 0; soft µ) on a cost whose columns are CTC emissions (every even column equal: the
 * blank; a label column whose skip is forbidden equal to the label column two before: a repeated
 * label) runs the CTC kernel of `ctcLoss` instead of the general graph kernel. The kernel's
 * occupancy is then the graph's gradient H (every weight on a visited edge is 1, end weights 0).
 *
 * Recognising a graph by reading it costs O(T·S) weight reads on every call. A graph built by
 * `ctcAlignGraph` is recognised in O(S) instead: the preset records its per-cell weights array
 * ({@linkcode rememberCtcGraph}, a module-private WeakMap keyed on that array) with its frozen
 * step set and boundary sets; a graph with the same array, the same (identical, frozen) steps,
 * start and end, on a cost of the recorded T × S, whose weights of the first and last frame are
 * still the recorded ones, is taken as built (a spread copy of the preset's graph too). The
 * weights of the frames in between are not re-read: the preset's graph is to be treated as
 * read-only. Every other graph is read in full. The tied cost columns are checked on every call.
 *
 * Used by `alignGraph` of `graph.ts`.
 *
 * @example
 * ```ts
 * import { ctcGraphRoute } from "./_ctc_route.ts";
 * import { ctcAlignGraph } from "./presets.ts";
 * const { graph } = ctcAlignGraph([1], { blank: 0, frames: 2 });
 * const cost = { data: new Float64Array([1, 2, 1, 1, 2, 1]), rows: 2, cols: 3 };
 * ctcGraphRoute(cost, graph, 1)?.value; // the CTC loss of these emissions
 * ```
 *
 * @module
 */
import { createCtcWorkspace, ctcKernel } from "./_ctc_kernel.ts";
import type { Matrix64 } from "./cost.ts";
import type { AlignGraph, Cell } from "./graph_types.ts";

/** What `ctcAlignGraph` built: its frozen steps and boundary sets and the skip weights per column. */
interface BuiltCtc {
  frames: number;
  steps: AlignGraph["steps"];
  start: AlignGraph["start"];
  end: AlignGraph["end"];
  skip: Float64Array;
}

const built = new WeakMap<Float64Array, BuiltCtc>();

/**
 * Records the CTC graph `graph` that `ctcAlignGraph` built for `frames` frames (its steps, start
 * and end frozen by the caller), so that {@linkcode ctcGraphClasses} recognises it without
 * reading its T × S × 3 weights.
 *
 * @example
 * ```ts
 * import { ctcAlignGraph } from "./presets.ts"; // calls rememberCtcGraph
 * const { graph } = ctcAlignGraph([1], { blank: 0, frames: 2 });
 * ```
 */
export function rememberCtcGraph(graph: AlignGraph, frames: number): void {
  const W = graph.localStepWeights;
  if (!(W instanceof Float64Array) || frames < 1 || W.length % (3 * frames) !== 0) return;
  const S = W.length / (3 * frames);
  const skip = Float64Array.from({ length: S }, (_, s) => W[s * 3 + 2]);
  built.set(W, { frames, steps: graph.steps, start: graph.start, end: graph.end, skip });
}

/**
 * Whether `graph` on a `T × S` cost is, by identity, the graph `ctcAlignGraph` built (see the
 * module doc): O(S).
 */
export function isBuiltCtcGraph(graph: AlignGraph, T: number, S: number): boolean {
  const W = graph.localStepWeights;
  const rec = W instanceof Float64Array ? built.get(W) : undefined;
  if (rec === undefined || W === undefined || rec.frames !== T || rec.skip.length !== S) {
    return false;
  }
  if (graph.steps !== rec.steps || graph.start !== rec.start || graph.end !== rec.end) return false;
  const last = (T - 1) * S * 3;
  for (let s = 0, o = 0; s < S; s++, o += 3) {
    if (W[o] !== 1 || W[o + 1] !== 1 || W[o + 2] !== rec.skip[s]) return false;
    if (W[last + o] !== 1 || W[last + o + 1] !== 1 || W[last + o + 2] !== rec.skip[s]) return false;
  }
  return true;
}

const isCell = (c: Cell | undefined, i: number, j: number) =>
  Array.isArray(c) && c.length === 2 && c[0] === i && c[1] === j;

const sameSteps = (steps: AlignGraph["steps"]) =>
  Array.isArray(steps) && steps.length === 3 && isCell(steps[0], 1, 0) &&
  isCell(steps[1], 1, 1) && isCell(steps[2], 1, 2);

/**
 * The class of each column (0 for the blank columns) when `graph` is the CTC graph on the
 * `T × S` cost `C` as described in the module doc, else null. Reads the graph as given (the
 * checks of `resolveGraph` are implied: every value read is one of those of a valid graph).
 */
export function ctcGraphClasses(C: Matrix64, graph: AlignGraph): Int32Array | null {
  const T = C.rows, S = C.cols, c = C.data;
  if (graph.aggregation !== "soft" || graph.stepWeights !== undefined) return null;
  if (S < 3 || S % 2 === 0 || !sameSteps(graph.steps)) return null;
  const W = graph.localStepWeights;
  if (!(W instanceof Float64Array) || W.length !== T * S * 3) return null;
  const { start, end } = graph;
  if (start?.cells?.length !== 2 || end?.cells?.length !== 2) return null;
  if (!isCell(start.cells[0], 0, 0) || !isCell(start.cells[1], 0, 1)) return null;
  if (
    start.weights !== undefined &&
    !(start.weights.length === 2 && start.weights.every((w) => w === 1))
  ) return null;
  const [e0, e1] = end.cells;
  const ends = (isCell(e0, T - 1, S - 1) && isCell(e1, T - 1, S - 2)) ||
    (isCell(e0, T - 1, S - 2) && isCell(e1, T - 1, S - 1));
  if (!ends) return null;
  if (
    end.weights !== undefined && !(end.weights.length === 2 && end.weights.every((w) => w === 0))
  ) return null;
  // the skip weight of each column (row 0): 1 or +∞; a label column with the skip forbidden
  // (s >= 3) repeats the label two before (tie[s] = s − 2), every blank column ties to column 0
  const classes = new Int32Array(S), tie = new Int32Array(S).fill(-1), skip = new Float64Array(S);
  let next = 1;
  for (let s = 0; s < S; s++) {
    skip[s] = W[s * 3 + 2];
    if (skip[s] !== 1 && skip[s] !== Infinity) return null;
    if (skip[s] === 1 && (s % 2 === 0 || s < 3)) return null;
    tie[s] = s % 2 === 0 ? (s === 0 ? -1 : 0) : skip[s] === Infinity && s >= 3 ? s - 2 : -1;
    classes[s] = s % 2 === 0 ? 0 : tie[s] >= 0 ? classes[tie[s]] : next++;
  }
  if (isBuiltCtcGraph(graph, T, S)) {
    // the preset's own graph: its weights are as built; only the tied cost columns are read
    const tied = Int32Array.from(tie.keys()).filter((s) => tie[s] >= 0);
    for (let t = 0, q = 0; t < T; t++, q += S) {
      for (const s of tied) if (c[q + s] !== c[q + tie[s]]) return null;
    }
    return classes;
  }
  // every row: stay and advance 1, the skip as in row 0, tied columns equal (in memory order)
  for (let t = 0, o = 0, q = 0; t < T; t++) {
    for (let s = 0; s < S; s++, o += 3, q++) {
      if (W[o] !== 1 || W[o + 1] !== 1 || W[o + 2] !== skip[s]) return null;
      if (tie[s] >= 0 && c[q] !== c[q - s + tie[s]]) return null;
    }
  }
  return classes;
}

/**
 * The value and gradient of the CTC-shaped `graph` on `C` by the CTC kernel, or null when the
 * graph is not recognisably CTC (see {@linkcode ctcGraphClasses}) or the kernel finds no finite
 * value (the caller's general path then names the problem). `gamma` is checked by the caller.
 */
export function ctcGraphRoute(
  C: Matrix64,
  graph: AlignGraph,
  gamma: number,
): { value: number; H: Float64Array } | null {
  const classes = ctcGraphClasses(C, graph);
  if (classes === null) return null;
  const T = C.rows, S = C.cols;
  let K = 0;
  for (let s = 0; s < S; s++) K = Math.max(K, classes[s] + 1);
  const logProbs = new Float64Array(T * K);
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < S; s++) logProbs[t * K + classes[s]] = -C.data[t * S + s];
  }
  const H = new Float64Array(T * S);
  let value: number;
  try {
    value = ctcKernel({
      logProbs,
      offset: 0,
      frames: T,
      classes: K,
      extended: classes,
      gamma,
      grad: null,
      occupancy: H,
      workspace: createCtcWorkspace({ maxCells: T * S, maxStates: S }),
    });
  } catch {
    return null;
  }
  // a finite value makes every occupancy a probability (finite)
  return Number.isFinite(value) ? { value, H } : null;
}
