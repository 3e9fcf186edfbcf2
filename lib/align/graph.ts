/**
 * The alignment graph: every alignment loss of the library (DTW, soft-DTW, step weights, bands,
 * subsequence alignment, partial matching, CTC) is an aggregation over the paths of one weighted
 * acyclic graph on the `N × M` grid of a cost matrix C (rows: the first sequence, the
 * predictions; columns: the second, the targets). This is the model of dDTW (Zeitler & Müller,
 * "A Unified Perspective on CTC and SDTW Using Differentiable DTW", IEEE/ACM TASLP 34, 2026), in
 * 0-based cells. A graph ({@linkcode AlignGraph}) has
 *
 * - a step set S: a step (di, dj) moves di rows and dj columns (soft-DTW: (1,0), (0,1), (1,1));
 * - step weights W(p, s), one per step (`stepWeights`) or one per cell and step
 *   (`localStepWeights`); the edge entering p by step s costs W(p, s)·C(p); Infinity: no edge;
 * - start cells with weights w_start (default 1) and end cells with weights w_end (default 0);
 * - an aggregation µ: `"hard"` (min), `"soft"` (−γ log Σ exp(−v/γ)), `"smooth"` (⟨v, q⟩ with q
 *   the soft-min weights) or `"sparse"` (min over the simplex of ⟨v, q⟩ + (γ/2)⟨q, q − 1⟩).
 *
 * The dynamic program ({@linkcode alignGraph}, the readable reference):
 *
 *     a(p)  = w_start(p)·C(p) for a start cell, +∞ otherwise
 *     D(p)  = µ( a(p), D(p − s) + W(p, s)·C(p) for every step s with p − s inside the grid )
 *     value = µ over end cells p of ( D(p) + w_end(p)·C(p) )
 *     grad  = ∂value/∂C
 *
 * so a path's first cell enters once, scaled by its start weight and never by a step weight.
 * For hard and soft µ, value is µ over every complete path of its cost (the global view the
 * brute force checks); smooth and sparse µ are defined by the recursion only.
 *
 * The backward pass runs the cells in reverse: `E(p) = ∂value/∂D(p)` (the expected alignment:
 * for soft µ the probability that a path visits p) collects µ's derivatives along the edges,
 * and `H(p) = ∂value/∂C(p) = E(p)·(π_start·w_start + Σ_s π_s·W(p, s)) + π_end(p)·w_end(p)`,
 * where the π are µ's derivatives at p ({@linkcode graphAlignment} returns both).
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb and notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { alignGraph } from "./graph.ts";
 * const { value, grad } = alignGraph([[0, 1], [1, 0]], {
 *   steps: [[1, 0], [0, 1], [1, 1]],
 *   start: { cells: [[0, 0]] },
 *   end: { cells: [[1, 1]] },
 *   aggregation: "soft",
 *   gamma: 1,
 * }); // soft-DTW: value = -log(1 + 2/e), grad = [[1, 0.212], [0.212, 1]]
 * ```
 *
 * @module
 */
import { aggregate } from "./_aggregation.ts";
import { ctcGraphRoute } from "./_ctc_route.ts";
import type { AlignGraph } from "./graph_types.ts";
import { checkGraphGamma, type ResolvedGraph, resolveGraph } from "./_graph_check.ts";
import { checkMatrix64, fromMatrix64, type Matrix64, toMatrix64 } from "./cost.ts";
import type { StepWeights } from "./options.ts";
import { softDtwValueAndGrad64 } from "./soft_dtw.ts";
import { wasmGraphSoft } from "./_soft_dtw_wasm.ts";

/** The result of {@linkcode alignGraph}: the loss and ∂value/∂C, in the form of the cost. */
export interface AlignGraphResult<G> {
  /** µ over end cells of D(p) + w_end(p)·C(p). */
  value: number;
  /** ∂value/∂C, unnormalized, the same form as the cost. */
  grad: G;
}

/** The result of {@linkcode graphAlignment} (typed matrices). */
export interface GraphAlignment {
  /** The loss, as {@linkcode alignGraph} gives it. */
  value: number;
  /** E = ∂value/∂D: the expected alignment (occupancy of each cell). */
  E: Matrix64;
  /** H = ∂value/∂C: the gradient (E weighted by the step and boundary weights). */
  H: Matrix64;
  /** D: the accumulated cost (+∞ where no path from a start cell arrives). */
  D: Matrix64;
}

/** Any cost form {@linkcode alignGraph} takes. */
export type CostInput = readonly (readonly number[])[] | Matrix64;

function isMatrix64(cost: CostInput): cost is Matrix64 {
  return cost !== null && typeof cost === "object" && !Array.isArray(cost) &&
    "data" in cost;
}

/** Checks the cost (finite entries) and returns it as a Matrix64 (a typed input is not copied). */
export function graphCost(cost: CostInput, name = "cost"): Matrix64 {
  if (isMatrix64(cost)) {
    checkMatrix64(cost, { name });
    return cost;
  }
  return toMatrix64(cost as readonly (readonly number[])[], { name });
}

/**
 * The value and gradient of the alignment graph `graph` on `cost` (`number[][]` or
 * {@linkcode Matrix64}; the gradient has the same form). The classic soft-DTW graph (steps
 * (1,0), (0,1), (1,1) with global non-negative weights, start (0, 0) weighted as the diagonal
 * step, end the last cell with weight 0, soft µ) runs the library's soft-DTW kernel
 * (WebAssembly when available); the CTC graph of `ctcAlignGraph` on CTC emissions runs the CTC
 * kernel of `ctcLoss`; every other graph with the soft minimum runs the WebAssembly kernel of
 * the general graph; the other aggregations (and everything without WebAssembly) run
 * the TypeScript reference, which {@linkcode graphAlignment} always runs. The kernels agree with
 * the reference in all but the last bits: the value to 1e-12 relative and the gradient to 1e-11
 * of max(1, |H|) (tested against `graphAlignment` and against brute force over every path; the
 * general kernel works, for 2 and 3 steps, on the partition function exp(−D/γ), whose rounding
 * differs from the reference's log-sum-exp). Throws a `TypeError` or `RangeError`
 * naming the field for a bad cost or graph, a `RangeError` when no path leads from a start cell
 * to an end cell, and a `RangeError` when the value or gradient overflows.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb and notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { alignGraph } from "./graph.ts";
 * // subsequence DTW: the 1-row query may match any column of the 3-column document
 * const { value } = alignGraph([[3, 0, 5]], {
 *   steps: [[1, 0], [0, 1], [1, 1]],
 *   start: { cells: [[0, 0], [0, 1], [0, 2]] },
 *   end: { cells: [[0, 0], [0, 1], [0, 2]] },
 *   aggregation: "hard",
 * }); // 0
 * ```
 */
export function alignGraph(
  cost: readonly (readonly number[])[],
  graph: AlignGraph,
): AlignGraphResult<number[][]>;
export function alignGraph(cost: Matrix64, graph: AlignGraph): AlignGraphResult<Matrix64>;
export function alignGraph(
  cost: CostInput,
  graph: AlignGraph,
): AlignGraphResult<number[][] | Matrix64> {
  // a typed cost on the fast path is checked once, by the kernel's entry point
  const fastTyped = isMatrix64(cost) && classicGraphWeights(graph, cost.rows, cost.cols) !== null;
  const C = fastTyped ? cost as Matrix64 : graphCost(cost);
  let grad: Matrix64, value: number;
  const w = classicGraphWeights(graph, C.rows, C.cols);
  if (w !== null) {
    // the fast path: the soft-DTW kernel (WebAssembly when available) of these step weights
    const gamma = checkGraphGamma(graph);
    ({ value, grad } = softDtwValueAndGrad64(C, { gamma, stepWeights: w }));
  } else {
    // a CTC-shaped graph on CTC emissions runs the CTC kernel; every other graph the general one
    const ctc = graph?.aggregation === "soft"
      ? ctcGraphRoute(C, graph, checkGraphGamma(graph))
      : null;
    const run = ctc ?? runGraph(C, resolveGraph(graph, C.rows, C.cols));
    value = run.value;
    grad = { data: run.H, rows: C.rows, cols: C.cols };
  }
  return { value, grad: isMatrix64(cost) ? grad : fromMatrix64(grad) };
}

const isWeight = (w: unknown): w is number => typeof w === "number" && w >= 0 && w < Infinity;

/**
 * The step weights `[wRow, wCol, wDiag]` when `graph` is, as given, the classic soft-DTW graph of
 * the kernels on a `rows × cols` grid (steps (1,0), (0,1), (1,1) in any order with global finite
 * non-negative weights, the one start cell (0, 0) weighted wDiag, the one end cell (rows−1,
 * cols−1) weighted 0, soft µ), else null. Reads the graph without resolving it (no per-cell
 * arrays): the check of the fast path.
 */
function classicGraphWeights(graph: AlignGraph, rows: number, cols: number): StepWeights | null {
  if (graph === null || typeof graph !== "object" || graph.aggregation !== "soft") return null;
  if (graph.localStepWeights !== undefined || !Array.isArray(graph.steps)) return null;
  if (graph.steps.length !== 3) return null;
  const w = [NaN, NaN, NaN];
  for (let s = 0; s < 3; s++) {
    const step: readonly number[] = graph.steps[s];
    if (!Array.isArray(step) || step.length !== 2) return null;
    const k = step[0] === 1 && step[1] === 0
      ? 0
      : step[0] === 0 && step[1] === 1
      ? 1
      : step[0] === 1 && step[1] === 1
      ? 2
      : -1;
    const weight = graph.stepWeights === undefined ? 1 : graph.stepWeights[s];
    if (k < 0 || !Number.isNaN(w[k]) || !isWeight(weight)) return null;
    w[k] = weight;
  }
  if (graph.stepWeights !== undefined && graph.stepWeights.length !== 3) return null;
  const { start, end } = graph;
  if (start?.cells?.length !== 1 || end?.cells?.length !== 1) return null;
  const [a, b] = start.cells[0] ?? [], [c, d] = end.cells[0] ?? [];
  if (a !== 0 || b !== 0 || c !== rows - 1 || d !== cols - 1) return null;
  if ((start.weights === undefined ? 1 : start.weights[0]) !== w[2]) return null;
  if (start.weights !== undefined && start.weights.length !== 1) return null;
  if (end.weights !== undefined && (end.weights.length !== 1 || end.weights[0] !== 0)) return null;
  return [w[0], w[1], w[2]];
}

/**
 * The step weights `[wRow, wCol, wDiag]` when `g` is the classic soft-DTW graph of the kernels
 * (steps (1,0), (0,1), (1,1) with global finite non-negative weights, the one start cell (0, 0)
 * weighted wDiag, the one end cell (N−1, M−1) weighted 0, soft µ), else null.
 */
export function classicWeights(g: ResolvedGraph): StepWeights | null {
  const { rows, cols, di, dj } = g;
  if (g.aggregation !== "soft" || g.local !== null || di.length !== 3) return null;
  const w = [NaN, NaN, NaN];
  for (let s = 0; s < 3; s++) {
    const k = di[s] === 1 && dj[s] === 0
      ? 0
      : di[s] === 0 && dj[s] === 1
      ? 1
      : di[s] === 1 && dj[s] === 1
      ? 2
      : -1;
    if (k < 0 || !Number.isFinite(g.global[s]) || g.global[s] < 0) return null;
    w[k] = g.global[s];
  }
  const n = rows * cols;
  if (g.startWeight[0] !== w[2] || g.endCells.length !== 1 || g.endCells[0] !== n - 1) return null;
  if (g.endWeight[n - 1] !== 0) return null;
  for (let p = 1; p < n; p++) if (!Number.isNaN(g.startWeight[p])) return null;
  return [w[0], w[1], w[2]];
}

/**
 * The expected alignment of the graph on `cost`: E = ∂value/∂D (for soft µ the probability that
 * a path visits each cell), H = ∂value/∂C (the gradient) and the accumulated cost D, as typed
 * matrices, by the TypeScript reference dynamic program (for inspection). Same checks and
 * errors as {@linkcode alignGraph}.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb and notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { graphAlignment } from "./graph.ts";
 * const { E } = graphAlignment([[0, 1], [1, 0]], {
 *   steps: [[1, 0], [0, 1], [1, 1]],
 *   start: { cells: [[0, 0]] },
 *   end: { cells: [[1, 1]] },
 *   aggregation: "hard",
 * }); // E.data = [1, 0, 0, 1]: the diagonal path
 * ```
 */
export function graphAlignment(cost: CostInput, graph: AlignGraph): GraphAlignment {
  const C = graphCost(cost);
  const g = resolveGraph(graph, C.rows, C.cols);
  const { value, E, H, D } = runGraphReference(C, g);
  const shape = { rows: C.rows, cols: C.cols };
  return { value, E: { data: E, ...shape }, H: { data: H, ...shape }, D: { data: D, ...shape } };
}

/** The raw output of the dynamic program. */
export interface GraphRun {
  value: number;
  E: Float64Array;
  H: Float64Array;
  D: Float64Array;
}

/** The output of {@linkcode runGraph}: the value, H = ∂value/∂C and, when asked, E. */
export interface GraphRunFast {
  value: number;
  H: Float64Array;
  /** E = ∂value/∂D, present when `withE` was asked (or the reference ran). */
  E?: Float64Array;
}

/**
 * The dynamic program of a checked graph on a checked cost: for the soft minimum the
 * WebAssembly kernel (`graph_soft` of `wasm/soft_dtw.c`, the same recursion) when available,
 * else and for every other aggregation the TypeScript reference {@linkcode runGraphReference}.
 * `withE` also returns the expected alignment E.
 */
export function runGraph(C: Matrix64, g: ResolvedGraph, withE = false): GraphRunFast {
  if (g.aggregation === "soft") {
    // the WebAssembly kernel of the soft-minimum graph; on a non-finite result (no path, an
    // overflow) the reference below runs to name the problem
    const w = wasmGraphSoft({
      cost: C.data,
      rows: g.rows,
      cols: g.cols,
      di: g.di,
      dj: g.dj,
      weights: g.local ?? g.global,
      local: g.local !== null,
      startWeight: g.startWeight,
      endCells: g.endCells,
      endWeight: Float64Array.from(g.endCells, (p) => g.endWeight[p]),
      gamma: g.gamma,
      withE,
    });
    if (w !== null && Number.isFinite(w.value) && allFinite(w.H)) return w;
  }
  return runGraphReference(C, g);
}

/** Whether every entry of `x` is finite (a plain loop: `every` with a callback is slower). */
function allFinite(x: Float64Array): boolean {
  for (let p = 0; p < x.length; p++) if (!(x[p] - x[p] === 0)) return false;
  return true;
}

/**
 * The reference dynamic program in TypeScript (every aggregation): the forward pass in row-major
 * order (a topological order, since every step moves forward), keeping at every cell µ's
 * derivatives π (start term first, then one per step), and the backward pass in reverse order.
 */
export function runGraphReference(C: Matrix64, g: ResolvedGraph): GraphRun {
  const { rows, cols, di, dj, aggregation, gamma, startWeight } = g;
  const S = di.length, S1 = S + 1;
  const n = rows * cols;
  const c = C.data;
  const local = g.local, global = g.global;
  const D = new Float64Array(n).fill(Infinity);
  const pi = new Float64Array(n * S1); // µ's derivatives at each cell: start term, then steps
  const reached = new Uint8Array(n); // some path from a start cell arrives (even if D overflows)
  const values = new Float64Array(S1);

  // Forward: D(p) = µ(a(p), D(p − s) + W(p, s)·C(p)).
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const p = i * cols + j;
      const isStart = !Number.isNaN(startWeight[p]);
      values[0] = isStart ? startWeight[p] * c[p] : Infinity;
      let any = isStart;
      for (let s = 0; s < S; s++) {
        values[s + 1] = Infinity;
        const qi = i - di[s], qj = j - dj[s];
        if (qi < 0 || qj < 0) continue;
        const q = qi * cols + qj;
        const w = local === null ? global[s] : local[p * S + s];
        if (w === Infinity || !reached[q]) continue;
        any = true;
        values[s + 1] = D[q] + w * c[p];
      }
      if (!any) continue; // unreachable: D = +∞, π = 0
      reached[p] = 1;
      D[p] = aggregate(aggregation, gamma, values, S1, pi, p * S1);
    }
  }

  // value = µ over end cells of D(p) + w_end(p)·C(p).
  const ends = g.endCells;
  const endValues = new Float64Array(ends.length), endPi = new Float64Array(ends.length);
  let anyReached = false;
  for (let k = 0; k < ends.length; k++) {
    const p = ends[k];
    anyReached ||= reached[p] === 1;
    endValues[k] = reached[p] ? D[p] + g.endWeight[p] * c[p] : Infinity;
  }
  if (!anyReached) {
    throw new RangeError(
      `no path of the graph leads from a start cell to an end cell in the ${rows} × ${cols} cost matrix`,
    );
  }
  const value = aggregate(aggregation, gamma, endValues, ends.length, endPi);

  // Backward: E(p) = ∂value/∂D(p), H(p) = ∂value/∂C(p).
  const E = new Float64Array(n), H = new Float64Array(n);
  for (let k = 0; k < ends.length; k++) {
    E[ends[k]] += endPi[k];
    H[ends[k]] += endPi[k] * g.endWeight[ends[k]];
  }
  for (let p = n - 1; p >= 0; p--) {
    const e = E[p];
    if (e === 0) continue;
    const i = Math.floor(p / cols), j = p - i * cols;
    const o = p * S1;
    let h = pi[o] === 0 ? 0 : pi[o] * startWeight[p];
    for (let s = 0; s < S; s++) {
      const d = pi[o + s + 1];
      if (d === 0) continue;
      h += d * (local === null ? global[s] : local[p * S + s]);
      E[(i - di[s]) * cols + (j - dj[s])] += e * d;
    }
    H[p] += e * h;
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(
      `the alignment value overflows (${value}); scale the cost or the weights down`,
    );
  }
  for (let p = 0; p < n; p++) {
    if (!Number.isFinite(H[p])) {
      throw new RangeError(
        `the gradient overflows at cell [${Math.floor(p / cols)}, ${p % cols}] (${
          H[p]
        }); scale the cost or the weights down, or raise gamma`,
      );
    }
  }
  return { value, E, H, D };
}
