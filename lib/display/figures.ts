/**
 * Figure builders for the notebooks: plotly figures (heatmaps, line and bar charts, chromagrams,
 * chord timelines, paths over heatmaps, subplots) as plain `{ data, layout }` objects. Pure
 * functions, no I/O: `bundles.ts` turns a figure into MIME representations and `jupyter.ts`
 * shows it in a notebook.
 *
 * Computation lives in the other packages; this module only turns results into pictures (as
 * libfmp keeps plotting apart from computation). Chord and pitch-class names come from the
 * chords package (`CHORD_LABELS`, `CHROMA_NAMES`), their one home.
 *
 * Used in every notebook of `notebooks/`.
 *
 * @example
 * ```ts
 * import { heatmap, withPath } from "./figures.ts";
 * const fig = withPath(heatmap([[0, 1], [1, 0]], { title: "cost matrix C" }), [[0, 0], [1, 1]]);
 * ```
 *
 * @module
 */
import { CHROMA_NAMES } from "../chords/data/chroma.ts";
import { CHORD_LABELS } from "../chords/data/labels.ts";

/** A plotly trace (one data series), as plotly.js takes it. */
export type Trace = Record<string, unknown>;

/** A plotly figure: traces and a layout. */
export interface Figure {
  /** The traces. */
  data: Trace[];
  /** The layout (title, axes, size, ...). */
  layout: Record<string, unknown>;
}

/** Common options of the figure builders. */
export interface FigureOptions {
  /** Figure title. */
  title?: string;
  /** Label of the x axis. */
  xTitle?: string;
  /** Label of the y axis. */
  yTitle?: string;
  /** Width in pixels (default: the container's width). */
  width?: number;
  /** Height in pixels (default 400). */
  height?: number;
}

/**
 * Height in pixels of plotly's toolbar (the mode bar) at the top right of every figure. Figure
 * titles are placed below it ({@linkcode figureTitle}), so that the toolbar never covers the
 * ends of a long centred title.
 */
export const TOOLBAR_PX = 36;

/**
 * A figure title placed under plotly's toolbar: anchored at the top of the figure with
 * {@linkcode TOOLBAR_PX} pixels of padding above it. The top margin must leave room for it
 * (`TOOLBAR_PX` plus the title's line, about 60 pixels).
 *
 * @example
 * ```ts
 * import { figureTitle } from "./figures.ts";
 * figureTitle("cost matrix C").pad; // { t: 36 }
 * ```
 */
export function figureTitle(text: string): Record<string, unknown> {
  return { text, y: 1, yref: "container", yanchor: "top", pad: { t: TOOLBAR_PX } };
}

/**
 * The labels of a category axis: every category labelled (`dtick: 1`), in a smaller font when
 * there are many, so that plotly does not thin them out and leave rows unlabelled.
 */
function everyCategory(count: number): Record<string, unknown> {
  return { dtick: 1, tickfont: { size: count > 16 ? 10 : 12 } };
}

function baseLayout(options: FigureOptions): Record<string, unknown> {
  const layout: Record<string, unknown> = {
    height: options.height ?? 400,
    margin: { l: 60, r: 20, t: options.title ? TOOLBAR_PX + 34 : 20, b: 50 },
    // automargin: the margins grow to hold long tick labels and the axis titles beside them
    xaxis: { title: { text: options.xTitle ?? "" }, automargin: true },
    yaxis: { title: { text: options.yTitle ?? "" }, automargin: true },
  };
  if (options.title) layout.title = figureTitle(options.title);
  if (options.width) layout.width = options.width;
  return layout;
}

function checkMatrix(z: number[][], what: string): void {
  if (!Array.isArray(z) || z.length === 0 || !Array.isArray(z[0]) || z[0].length === 0) {
    throw new TypeError(`${what}: expected a non-empty matrix (array of rows)`);
  }
  const n = z[0].length;
  z.forEach((row, i) => {
    if (row.length !== n) {
      throw new TypeError(`${what}: row ${i} has ${row.length} entries, row 0 has ${n}`);
    }
  });
}

/** Options of {@linkcode heatmap}. */
export interface HeatmapOptions extends FigureOptions {
  /** Labels or coordinates of the columns (x axis). */
  x?: (number | string)[];
  /** Labels or coordinates of the rows (y axis). */
  y?: (number | string)[];
  /** Plotly colour scale name (default "Viridis"). */
  colorscale?: string;
  /** Lower end of the colour scale. */
  zmin?: number;
  /** Upper end of the colour scale. */
  zmax?: number;
  /** Title of the colour bar. */
  colorbarTitle?: string;
  /** Show the colour bar (default true). */
  showScale?: boolean;
}

/**
 * A heatmap of a matrix `z` (rows on the y axis, row 0 at the bottom, as FMP draws cost
 * matrices and chromagrams). Rows or columns labelled with strings (chord names, pitch
 * classes) are category axes with every category labelled.
 *
 * Used in notebooks 01-05.
 *
 * @example
 * ```ts
 * const fig = heatmap([[1, 2], [3, 4]], { title: "C", xTitle: "n", yTitle: "m" });
 * ```
 */
export function heatmap(z: number[][], options: HeatmapOptions = {}): Figure {
  checkMatrix(z, "heatmap");
  const trace: Trace = {
    type: "heatmap",
    z,
    colorscale: options.colorscale ?? "Viridis",
    showscale: options.showScale ?? true,
    colorbar: options.colorbarTitle ? { title: { text: options.colorbarTitle } } : undefined,
  };
  if (options.x) trace.x = options.x;
  if (options.y) trace.y = options.y;
  if (options.zmin !== undefined) trace.zmin = options.zmin;
  if (options.zmax !== undefined) trace.zmax = options.zmax;
  const layout = baseLayout(options);
  for (const [axis, labels] of [["xaxis", options.x], ["yaxis", options.y]] as const) {
    if (labels && labels.some((v) => typeof v === "string")) {
      layout[axis] = {
        ...(layout[axis] as Record<string, unknown>),
        ...everyCategory(labels.length),
      };
    }
  }
  return { data: [trace], layout };
}

/** One series of a {@linkcode lineChart}. */
export interface Series {
  /** Legend name. */
  name?: string;
  /** x values (default 0, 1, 2, ...). */
  x?: (number | string)[];
  /** y values. */
  y: number[];
  /** Plotly mode (default "lines"). */
  mode?: "lines" | "markers" | "lines+markers";
  /** Line dash style, e.g. "dash" or "dot". */
  dash?: string;
  /** Line or marker colour. */
  color?: string;
}

/** Options of {@linkcode lineChart}. */
export interface LineOptions extends FigureOptions {
  /** Logarithmic x axis. */
  logX?: boolean;
  /** Logarithmic y axis. */
  logY?: boolean;
}

/**
 * A line chart of one or more series.
 *
 * Used in notebooks 01, 04 and 05 (soft minimum, loss curves, sharpness against γ).
 *
 * @example
 * ```ts
 * const fig = lineChart([{ name: "train", y: [3, 2, 1] }], { xTitle: "epoch" });
 * ```
 */
export function lineChart(series: Series[], options: LineOptions = {}): Figure {
  if (series.length === 0) throw new TypeError("lineChart: expected at least one series");
  const data = series.map((s, i) => {
    if (s.x && s.x.length !== s.y.length) {
      throw new TypeError(
        `lineChart: series ${s.name ?? i} has ${s.x.length} x values and ${s.y.length} y values`,
      );
    }
    return {
      type: "scatter",
      mode: s.mode ?? "lines",
      name: s.name,
      x: s.x ?? s.y.map((_, k) => k),
      y: s.y,
      line: { dash: s.dash, color: s.color },
      marker: { color: s.color },
    };
  });
  const layout = baseLayout(options);
  if (options.logX) (layout.xaxis as Record<string, unknown>).type = "log";
  if (options.logY) (layout.yaxis as Record<string, unknown>).type = "log";
  return { data, layout };
}

/** One group of bars of a {@linkcode barChart}. */
export interface BarGroup {
  /** Legend name. */
  name?: string;
  /** Category of each bar. */
  x: (number | string)[];
  /** Height of each bar. */
  y: number[];
  /** Bar colour. */
  color?: string;
}

/**
 * A (grouped) bar chart.
 *
 * Used in notebooks 02 and 04 (alignment probabilities, learned templates).
 *
 * @example
 * ```ts
 * const fig = barChart([{ name: "major", x: ["C", "C#"], y: [1, 0] }]);
 * ```
 */
export function barChart(groups: BarGroup[], options: FigureOptions = {}): Figure {
  if (groups.length === 0) throw new TypeError("barChart: expected at least one group");
  const data = groups.map((g, i) => {
    if (g.x.length !== g.y.length) {
      throw new TypeError(
        `barChart: group ${g.name ?? i} has ${g.x.length} categories and ${g.y.length} values`,
      );
    }
    return { type: "bar", name: g.name, x: g.x, y: g.y, marker: { color: g.color } };
  });
  const layout = baseLayout(options);
  layout.barmode = "group";
  return { data, layout };
}

/** Options of {@linkcode chromagram}. */
export interface ChromagramOptions extends FigureOptions {
  /** Feature rate in Hz: with it the x axis is time in seconds, without it frames. */
  frameRate?: number;
}

/**
 * A chromagram: `chroma` is frames × 12 (one row per frame, as stored in `data/`), drawn with
 * time on the x axis and the pitch classes C..B upwards.
 *
 * Used in notebook 03.
 *
 * @example
 * ```ts
 * const fig = chromagram([[1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]], { frameRate: 10.77 });
 * ```
 */
export function chromagram(chroma: number[][], options: ChromagramOptions = {}): Figure {
  checkMatrix(chroma, "chromagram");
  if (chroma[0].length !== 12) {
    throw new TypeError(`chromagram: expected 12 chroma bands per frame, got ${chroma[0].length}`);
  }
  const z = CHROMA_NAMES.map((_, p) => chroma.map((frame) => frame[p]));
  const x = chroma.map((_, n) => options.frameRate ? n / options.frameRate : n);
  return heatmap(z, {
    colorscale: "Greys",
    ...options,
    x,
    y: [...CHROMA_NAMES],
    xTitle: options.xTitle ?? (options.frameRate ? "time (seconds)" : "frame"),
    yTitle: options.yTitle ?? "chroma",
    zmin: 0,
  });
}

/** Options of {@linkcode chordTimeline}. */
export interface ChordTimelineOptions extends FigureOptions {
  /** Reference chord index per frame (0..23, or -1 for no chord). */
  reference: number[];
  /** Estimated chord index per frame (0..23, or -1); with it, frames are coloured TP/FP/FN. */
  estimate?: number[];
  /** Feature rate in Hz: with it the x axis is time in seconds, without it frames. */
  frameRate?: number;
  /** Chord names (default: `CHORD_LABELS` of the chords package, libfmp's order). */
  labels?: readonly string[];
}

/**
 * A time-chord view (as FMP's chord recognition figures): chords on the y axis, time on the x
 * axis. With only a reference, its chords are drawn; with an estimate too, each frame is a
 * true positive (estimate = reference), a false positive (estimated chord that is wrong) or a
 * false negative (reference chord missed).
 *
 * Used in notebooks 03 and 04.
 *
 * @example
 * ```ts
 * const fig = chordTimeline({ reference: [0, 0, 9], estimate: [0, 9, 9], frameRate: 10 });
 * ```
 */
export function chordTimeline(options: ChordTimelineOptions): Figure {
  const { reference, estimate } = options;
  const labels = options.labels ?? CHORD_LABELS;
  if (reference.length === 0) throw new TypeError("chordTimeline: empty reference");
  if (estimate && estimate.length !== reference.length) {
    throw new TypeError(
      `chordTimeline: reference has ${reference.length} frames, estimate ${estimate.length}`,
    );
  }
  const t = (n: number) => options.frameRate ? n / options.frameRate : n;
  const points = (pick: (n: number) => number | null) => {
    const x: number[] = [];
    const y: string[] = [];
    reference.forEach((_, n) => {
      const c = pick(n);
      if (c !== null && c >= 0) {
        if (c >= labels.length) {
          throw new RangeError(`chordTimeline: chord index ${c} at frame ${n} out of range`);
        }
        x.push(t(n));
        y.push(labels[c]);
      }
    });
    return { x, y };
  };
  const trace = (name: string, color: string, pick: (n: number) => number | null): Trace => ({
    type: "scatter",
    mode: "markers",
    name,
    ...points(pick),
    marker: { symbol: "square", size: 7, color },
  });
  const data: Trace[] = estimate
    ? [
      trace("true positive", "#2ca02c", (n) => estimate[n] === reference[n] ? reference[n] : null),
      trace("false positive", "#d62728", (n) => estimate[n] !== reference[n] ? estimate[n] : null),
      trace("false negative", "#7f7f7f", (n) => estimate[n] !== reference[n] ? reference[n] : null),
    ]
    : [trace("reference", "#1f77b4", (n) => reference[n])];
  const layout = baseLayout({
    ...options,
    xTitle: options.xTitle ?? (options.frameRate ? "time (seconds)" : "frame"),
    yTitle: options.yTitle ?? "chord",
    height: options.height ?? 500,
  });
  layout.yaxis = {
    ...(layout.yaxis as Record<string, unknown>),
    type: "category",
    categoryorder: "array",
    categoryarray: [...labels],
    range: [-0.5, labels.length - 0.5],
    ...everyCategory(labels.length),
  };
  return { data, layout };
}

/**
 * Adds a path (a list of `[row, column]` cells, e.g. a warping path or a strong alignment) on
 * top of a heatmap figure, as markers joined by a line. Returns a new figure.
 *
 * Used in notebooks 01, 04 and 05.
 *
 * @example
 * ```ts
 * const fig = withPath(heatmap([[0, 1], [1, 0]]), [[0, 0], [1, 1]], { name: "optimal path" });
 * ```
 */
export function withPath(
  figure: Figure,
  path: [number, number][],
  options: { name?: string; color?: string; xaxis?: string; yaxis?: string } = {},
): Figure {
  const trace: Trace = {
    type: "scatter",
    mode: "lines+markers",
    name: options.name ?? "path",
    x: path.map(([, n]) => n),
    y: path.map(([m]) => m),
    line: { color: options.color ?? "#ff4136", width: 1.5 },
    marker: { color: options.color ?? "#ff4136", size: 4 },
  };
  if (options.xaxis) trace.xaxis = options.xaxis;
  if (options.yaxis) trace.yaxis = options.yaxis;
  return { data: [...figure.data, trace], layout: { ...figure.layout } };
}

/** Options of {@linkcode subplots}. */
export interface SubplotOptions {
  /** Number of columns (default: all figures in one row). */
  cols?: number;
  /** Overall title. */
  title?: string;
  /** Title of each panel (default: the figures' own titles). */
  titles?: string[];
  /** Height in pixels (default 350 per row). */
  height?: number;
  /** Width in pixels (default: the container's width). */
  width?: number;
  /** Horizontal gap between panels as a fraction of the width (default 0.06, and 0.14 when a
   * heatmap panel shows its colour bar). */
  gap?: number;
}

/**
 * The smallest vertical gap between two rows of {@linkcode subplots}, in pixels: room for the
 * upper panel's tick labels and x-axis title and the lower panel's title, which would overlap
 * with less.
 */
export const SUBPLOT_ROW_GAP_PX = 90;

/**
 * Puts several figures side by side in a grid (one plotly figure with several axes).
 * Heatmap colour bars are placed beside their panel, so each panel keeps its own colour
 * scale. Rows are at least {@linkcode SUBPLOT_ROW_GAP_PX} pixels apart, so that an x-axis title
 * never runs into the title of the panel below.
 *
 * Used in notebooks 02, 04 and 05 (expected alignments for several γ or epochs).
 *
 * @example
 * ```ts
 * const fig = subplots([heatmap([[1]]), heatmap([[2]])], { cols: 2, titles: ["a", "b"] });
 * ```
 */
export function subplots(figures: Figure[], options: SubplotOptions = {}): Figure {
  if (figures.length === 0) throw new TypeError("subplots: expected at least one figure");
  const cols = options.cols ?? figures.length;
  if (!Number.isInteger(cols) || cols < 1) {
    throw new RangeError(`subplots: cols must be a positive integer, got ${cols}`);
  }
  const rows = Math.ceil(figures.length / cols);
  // a colour bar beside a panel needs room before the next panel's tick labels
  const colourBars = cols > 1 &&
    figures.some((f) => f.data.some((t) => t.type === "heatmap" && t.showscale !== false));
  const gap = options.gap ?? (colourBars ? 0.14 : 0.06);
  const height = options.height ?? 350 * rows;
  // room for the panel titles, and above them for the overall title under the toolbar
  const margin = { l: 60, r: 20, t: options.title ? TOOLBAR_PX + 66 : 50, b: 50 };
  // 12 % of the plot area between rows, and never less than SUBPLOT_ROW_GAP_PX pixels
  const plotHeight = Math.max(1, height - margin.t - margin.b);
  const vgap = rows > 1 ? Math.max(0.12, SUBPLOT_ROW_GAP_PX / plotHeight) : 0;
  const w = (1 - gap * (cols - 1)) / cols;
  const h = (1 - vgap * (rows - 1)) / rows;
  if (h <= 0) {
    throw new RangeError(
      `subplots: height ${height} px is too small for ${rows} rows (${SUBPLOT_ROW_GAP_PX} px ` +
        "between rows)",
    );
  }
  const data: Trace[] = [];
  const layout: Record<string, unknown> = {
    height,
    margin,
    annotations: [] as unknown[],
    showlegend: false,
  };
  if (options.title) layout.title = figureTitle(options.title);
  if (options.width) layout.width = options.width;
  // an axis title shared by every panel is written once: y on the first column, x on the
  // last row (beside a neighbour's tick labels it would run into them)
  const titleOf = (fig: Figure, axis: string) =>
    ((fig.layout[axis] as { title?: { text?: string } } | undefined)?.title?.text) ?? "";
  const sharedY = figures.every((f) => titleOf(f, "yaxis") === titleOf(figures[0], "yaxis"));
  const sharedX = figures.every((f) => titleOf(f, "xaxis") === titleOf(figures[0], "xaxis"));
  figures.forEach((fig, i) => {
    const r = Math.floor(i / cols);
    const c = i % cols;
    const suffix = i === 0 ? "" : String(i + 1);
    const x0 = c * (w + gap);
    const y1 = 1 - r * (h + vgap);
    const sub = fig.layout;
    const lastRow = r === rows - 1 || i + cols >= figures.length;
    layout[`xaxis${suffix}`] = {
      ...(sub.xaxis as Record<string, unknown> ?? {}),
      ...(sharedX && !lastRow ? { title: { text: "" } } : {}),
      domain: [x0, x0 + w],
      anchor: `y${suffix}`,
    };
    layout[`yaxis${suffix}`] = {
      ...(sub.yaxis as Record<string, unknown> ?? {}),
      ...(sharedY && c > 0 ? { title: { text: "" } } : {}),
      domain: [y1 - h, y1],
      anchor: `x${suffix}`,
    };
    for (const trace of fig.data) {
      const t: Trace = { ...trace, xaxis: `x${suffix}`, yaxis: `y${suffix}` };
      if (trace.type === "heatmap") {
        t.colorbar = {
          ...(trace.colorbar as Record<string, unknown> ?? {}),
          x: x0 + w + 0.005,
          len: h,
          y: y1 - h / 2,
          thickness: 10,
        };
      }
      data.push(t);
    }
    const title = options.titles?.[i] ??
      ((sub.title as { text?: string } | undefined)?.text ?? "");
    if (title) {
      (layout.annotations as unknown[]).push({
        text: title,
        x: x0 + w / 2,
        y: y1,
        xref: "paper",
        yref: "paper",
        xanchor: "center",
        yanchor: "bottom",
        showarrow: false,
        font: { size: 13 },
      });
    }
  });
  return { data, layout };
}
