/**
 * The picture of an alignment graph (as dDTW's docs draw them): the grid of cells (rows of the
 * first sequence to the right, columns of the second upwards, as the course draws expected
 * alignments), the start cells B_start and end cells B_end with their weights, the cells that lie
 * on no complete path (greyed), and the steps S entering one pivot cell, each labelled with its
 * weight W (dotted: weight ∞, no edge). Plotting only: the graph comes from `lib/align`.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { alignGraphFigure } from "./graph_figure.ts";
 * import { softDtwGraph } from "../align/mod.ts";
 * const fig = alignGraphFigure(softDtwGraph(5, 4, { gamma: 1 }), { rows: 5, cols: 4, title: "soft-DTW" });
 * ```
 *
 * @module
 */
import type { AlignGraph } from "../align/mod.ts";
import type { Figure, FigureOptions, Trace } from "./figures.ts";

/** Options of {@linkcode alignGraphFigure}. */
export interface AlignGraphFigureOptions extends FigureOptions {
  /** Rows N of the grid (the first sequence). */
  rows: number;
  /** Columns M of the grid (the second sequence). */
  cols: number;
  /** The cell whose incoming steps are drawn (default: a cell near the middle they all fit). */
  pivot?: [number, number];
}

const fmtWeight = (w: number) =>
  w === Infinity ? "∞" : Number.isInteger(w) ? String(w) : w.toFixed(2);

/**
 * The figure of `graph` on a `rows × cols` grid (see the module doc). Throws a `RangeError` when
 * the pivot lies outside the grid or a boundary cell does.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { alignGraphFigure } from "./graph_figure.ts";
 * import { subsequenceGraph } from "../align/mod.ts";
 * alignGraphFigure(subsequenceGraph(6, 3, { gamma: 1 }), { rows: 6, cols: 3 }).data.length; // 7
 * ```
 */
export function alignGraphFigure(graph: AlignGraph, options: AlignGraphFigureOptions): Figure {
  const { rows, cols } = options;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new RangeError(`alignGraphFigure: rows and cols must be positive integers`);
  }
  const S = graph.steps.length;
  const weight = (i: number, j: number, s: number) =>
    graph.localStepWeights
      ? graph.localStepWeights[(i * cols + j) * S + s]
      : graph.stepWeights?.[s] ?? 1;
  for (const [i, j] of [...graph.start.cells, ...graph.end.cells]) {
    if (i < 0 || i >= rows || j < 0 || j >= cols) {
      throw new RangeError(`alignGraphFigure: boundary cell [${i}, ${j}] is outside the grid`);
    }
  }
  // cells on a complete path: reachable from a start cell and reaching an end cell
  const fwd = new Uint8Array(rows * cols), bwd = new Uint8Array(rows * cols);
  for (const [i, j] of graph.start.cells) fwd[i * cols + j] = 1;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      graph.steps.forEach(([di, dj], s) => {
        if (i >= di && j >= dj && fwd[(i - di) * cols + j - dj] && weight(i, j, s) !== Infinity) {
          fwd[i * cols + j] = 1;
        }
      });
    }
  }
  for (const [i, j] of graph.end.cells) bwd[i * cols + j] = 1;
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = cols - 1; j >= 0; j--) {
      graph.steps.forEach(([di, dj], s) => {
        const ni = i + di, nj = j + dj;
        if (ni < rows && nj < cols && bwd[ni * cols + nj] && weight(ni, nj, s) !== Infinity) {
          bwd[i * cols + j] = 1;
        }
      });
    }
  }
  const on: [number, number][] = [], off: [number, number][] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) (fwd[i * cols + j] && bwd[i * cols + j] ? on : off).push([i, j]);
  }
  const cellTrace = (cells: [number, number][], name: string, color: string): Trace => ({
    type: "scatter",
    mode: "markers",
    name,
    x: cells.map(([i]) => i),
    y: cells.map(([, j]) => j),
    marker: { color, size: 7 },
    hoverinfo: "x+y+name",
  });
  const boundary = (
    set: AlignGraph["start"],
    name: string,
    color: string,
    symbol: string,
    fallback: number,
    position: string,
  ): Trace => ({
    type: "scatter",
    mode: "markers+text",
    name,
    x: set.cells.map(([i]) => i),
    y: set.cells.map(([, j]) => j),
    text: set.cells.map((_, k) => fmtWeight(set.weights?.[k] ?? fallback)),
    textposition: position,
    textfont: { color, size: 10 },
    marker: { color: "rgba(0,0,0,0)", size: 15, symbol, line: { color, width: 2 } },
  });
  const maxDi = Math.max(...graph.steps.map(([di]) => di));
  const maxDj = Math.max(...graph.steps.map(([, dj]) => dj));
  const pivot = options.pivot ?? [
    Math.min(rows - 1, Math.max(maxDi, Math.floor(rows / 2))),
    Math.min(cols - 1, Math.max(maxDj, Math.floor(cols / 2))),
  ];
  const [pi, pj] = pivot;
  if (pi < 0 || pi >= rows || pj < 0 || pj >= cols) {
    throw new RangeError(`alignGraphFigure: pivot [${pi}, ${pj}] is outside the grid`);
  }
  const arrows: Trace[] = graph.steps.flatMap(([di, dj], s) => {
    if (pi < di || pj < dj) return [];
    const w = weight(pi, pj, s);
    // the label at the arrow's middle: above a row step, right of a column step, left of others
    const position = dj === 0 ? "top center" : di === 0 ? "middle right" : "middle left";
    return [{
      type: "scatter",
      mode: "lines+markers+text",
      name: `step (${di}, ${dj})`,
      x: [pi - di, pi - di / 2, pi],
      y: [pj - dj, pj - dj / 2, pj],
      text: ["", fmtWeight(w), ""],
      textposition: position,
      textfont: { size: 11, color: "#0074d9" },
      line: { color: "#0074d9", width: 2, dash: w === Infinity ? "dot" : "solid" },
      marker: { symbol: "arrow", angleref: "previous", size: [0, 0, 12], color: "#0074d9" },
      showlegend: false,
    }];
  });
  const layout: Record<string, unknown> = {
    height: options.height ?? 330,
    margin: { l: 60, r: 20, t: options.title ? 50 : 20, b: 50 },
    xaxis: {
      title: { text: options.xTitle ?? "row i (first sequence)" },
      range: [-0.7, rows - 0.3],
      dtick: 1,
      zeroline: false,
    },
    yaxis: {
      title: { text: options.yTitle ?? "column j (second sequence)" },
      range: [-0.7, cols - 0.3],
      dtick: 1,
      zeroline: false,
    },
    showlegend: false,
  };
  if (options.title) layout.title = { text: options.title };
  if (options.width) layout.width = options.width;
  return {
    data: [
      cellTrace(on, "on a complete path", "#555"),
      cellTrace(off, "on no complete path", "#ddd"),
      boundary(graph.start, "B_start (w_start)", "#2ecc40", "circle", 1, "bottom right"),
      boundary(graph.end, "B_end (w_end)", "#ff4136", "square", 0, "top right"),
      ...arrows,
    ],
    layout,
  };
}
