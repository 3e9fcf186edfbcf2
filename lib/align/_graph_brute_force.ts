/**
 * Ground truth for the alignment graph (private to `lib/align`, used by its tests), written
 * from the definitions and sharing no code with the dynamic program of `graph.ts`:
 *
 * - {@linkcode graphPaths}: every complete path of a graph (from a start cell, by steps whose
 *   edge has a finite weight, to an end cell), each with its cost
 *   `w_start(p_1)·C(p_1) + Σ_l W(p_l, s_l)·C(p_l) + w_end(p_L)·C(p_L)` and the coefficient of
 *   every C(p) in it;
 * - {@linkcode bruteForceGraph}: for hard and soft µ, µ over every path of its cost, and the
 *   gradient as the (soft-min-weighted) sum of the paths' coefficients;
 * - {@linkcode recursiveGraph}: for every µ, the value by the recursion of the definition
 *   evaluated top-down (every path prefix visited, no table), with the µ operators written
 *   independently (the sparse minimum by enumerating every support and solving its KKT system).
 *
 * Sizes up to about 6 × 6: the number of paths grows exponentially.
 *
 * @example
 * ```ts
 * import { bruteForceGraph } from "./_graph_brute_force.ts";
 * const { value } = bruteForceGraph([[0, 1], [1, 0]], {
 *   steps: [[1, 0], [0, 1], [1, 1]],
 *   start: { cells: [[0, 0]] },
 *   end: { cells: [[1, 1]] },
 *   aggregation: "hard",
 * }); // 0
 * ```
 *
 * @module
 */
import type { AlignGraph } from "./graph_types.ts";

/** One complete path: its cells, cost and the coefficient of every C(p) (row-major). */
export interface GraphPath {
  cells: [number, number][];
  cost: number;
  coefficients: number[];
}

function weightOf(graph: AlignGraph, cols: number, i: number, j: number, s: number): number {
  if (graph.localStepWeights) {
    return graph.localStepWeights[(i * cols + j) * graph.steps.length + s];
  }
  return graph.stepWeights?.[s] ?? 1;
}

function boundaryWeight(set: AlignGraph["start"], i: number, j: number, fallback: number) {
  const k = set.cells.findIndex(([a, b]) => a === i && b === j);
  return k < 0 ? undefined : set.weights?.[k] ?? fallback;
}

/** Every complete path of `graph` on `cost`, by depth-first search from every start cell. */
export function graphPaths(cost: number[][], graph: AlignGraph): GraphPath[] {
  const rows = cost.length, cols = cost[0].length;
  const paths: GraphPath[] = [];
  const walk = (cells: [number, number][], coefficients: number[]) => {
    const [i, j] = cells[cells.length - 1];
    const wEnd = boundaryWeight(graph.end, i, j, 0);
    if (wEnd !== undefined) {
      const co = coefficients.slice();
      co[i * cols + j] += wEnd;
      let total = 0;
      co.forEach((k, p) => total += k === 0 ? 0 : k * cost[Math.floor(p / cols)][p % cols]);
      paths.push({ cells: cells.slice(), cost: total, coefficients: co });
    }
    graph.steps.forEach(([a, b], s) => {
      const ni = i + a, nj = j + b;
      if (ni >= rows || nj >= cols) return;
      const w = weightOf(graph, cols, ni, nj, s);
      if (w === Infinity) return;
      const co = coefficients.slice();
      co[ni * cols + nj] += w;
      walk([...cells, [ni, nj]], co);
    });
  };
  graph.start.cells.forEach(([i, j], k) => {
    const co = new Array(rows * cols).fill(0);
    co[i * cols + j] = graph.start.weights?.[k] ?? 1;
    walk([[i, j]], co);
  });
  return paths;
}

/** Value and gradient over every path, for `"hard"` and `"soft"` aggregation. */
export function bruteForceGraph(
  cost: number[][],
  graph: AlignGraph,
): { value: number; grad: number[][]; paths: number } {
  const rows = cost.length, cols = cost[0].length;
  const paths = graphPaths(cost, graph);
  if (paths.length === 0) throw new RangeError("no complete path");
  const probability = new Array(paths.length).fill(0);
  const min = Math.min(...paths.map((p) => p.cost));
  let value: number;
  if (graph.aggregation === "hard") {
    probability[paths.findIndex((p) => p.cost === min)] = 1;
    value = min;
  } else if (graph.aggregation === "soft") {
    const g = graph.gamma!;
    const e = paths.map((p) => Math.exp(-(p.cost - min) / g));
    const z = e.reduce((a, b) => a + b, 0);
    e.forEach((x, k) => probability[k] = x / z);
    value = min - g * Math.log(z);
  } else {
    throw new RangeError(`no path-sum form for the ${graph.aggregation} aggregation`);
  }
  const grad = Array.from({ length: rows }, () => new Array(cols).fill(0));
  paths.forEach((path, k) => {
    if (probability[k] === 0) return;
    path.coefficients.forEach((co, p) => {
      grad[Math.floor(p / cols)][p % cols] += probability[k] * co;
    });
  });
  return { value, grad, paths: paths.length };
}

/** µ written from its definition (sparse: every support, its KKT solution, the best one). */
export function definitionMin(kind: AlignGraph["aggregation"], gamma: number, v: number[]) {
  const f = v.filter((x) => x !== Infinity);
  if (f.length === 0) return Infinity;
  const m = Math.min(...f);
  if (kind === "hard") return m;
  const q = f.map((x) => Math.exp(-(x - m) / gamma));
  const z = q.reduce((a, b) => a + b, 0);
  if (kind === "soft") return m - gamma * Math.log(z);
  if (kind === "smooth") return f.reduce((acc, x, k) => acc + x * q[k] / z, 0);
  // sparse: min over q in the simplex of <v, q> + γ/2 <q, q - 1>
  let best = Infinity;
  for (let mask = 1; mask < 1 << f.length; mask++) {
    const support = f.map((_, k) => k).filter((k) => mask & (1 << k));
    const lambda = (gamma + support.reduce((a, k) => a + f[k], 0)) / support.length;
    const qs = f.map((x, k) => support.includes(k) ? (lambda - x) / gamma : 0);
    if (qs.some((x) => x < 0)) continue;
    const objective = qs.reduce((a, x, k) => a + x * f[k] + (gamma / 2) * x * (x - 1), 0);
    best = Math.min(best, objective);
  }
  return best;
}

/** The value by the top-down recursion of the definition (every µ), no table. */
export function recursiveGraph(cost: number[][], graph: AlignGraph): number {
  const cols = cost[0].length;
  const gamma = graph.gamma ?? 1;
  const D = (i: number, j: number): number => {
    const alternatives: number[] = [];
    const ws = boundaryWeight(graph.start, i, j, 1);
    alternatives.push(ws === undefined ? Infinity : ws * cost[i][j]);
    graph.steps.forEach(([a, b], s) => {
      if (i - a < 0 || j - b < 0) return;
      const w = weightOf(graph, cols, i, j, s);
      if (w === Infinity) return;
      alternatives.push(D(i - a, j - b) + w * cost[i][j]);
    });
    return definitionMin(graph.aggregation, gamma, alternatives);
  };
  return definitionMin(
    graph.aggregation,
    gamma,
    graph.end.cells.map(([i, j], k) => D(i, j) + (graph.end.weights?.[k] ?? 0) * cost[i][j]),
  );
}
