/**
 * MIME bundles of figures and tables: what a notebook (or a static page) stores and renders.
 *
 * A figure becomes one bundle with three representations:
 * - `application/vnd.plotly.v1+json`: rendered natively by JupyterLab and VS Code;
 * - `text/html`: a `<div>` and a small script that draws it with plotly.js, loading
 *   `plotly.min.js` from next to the page (the HTML export copies it there) or from the
 *   project's local npm package, so the exported report works offline;
 * - `text/plain`: a one-line description for terminals.
 *
 * Reproducible outputs: the element id of a figure is derived from the figure itself (a hash of
 * its rounded JSON) and the number of identical figures bundled before it in this process, never
 * from the clock or a random number, so re-running a notebook in a fresh kernel writes
 * byte-identical outputs.
 *
 * @example
 * ```ts
 * import { figureBundle } from "./bundles.ts";
 * import { heatmap } from "./figures.ts";
 * const bundle = figureBundle(heatmap([[1]]));
 * Object.keys(bundle); // ["application/vnd.plotly.v1+json", "text/html", "text/plain"]
 * ```
 *
 * @module
 */
import type { Figure } from "./figures.ts";

/** A MIME bundle: MIME type to content. */
export type MimeBundle = Record<string, unknown>;

/** How many times each figure hash has been bundled in this process (for unique ids). */
const figureCounts = new Map<string, number>();

/**
 * FNV-1a hash of a string, 52 bits, as 13 hex digits (deterministic and synchronous; not
 * cryptographic: it only tells figures apart).
 */
function fnv1a52(text: string): string {
  // Two 32-bit FNV-1a lanes with different offsets, combined to 52 bits.
  let a = 0x811c9dc5, b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
  }
  return ((b & 0xfffff) * 2 ** 32 + a).toString(16).padStart(13, "0");
}

/**
 * The element id of a figure in its HTML representation: `dchord-plot-<hash>-<n>`, where the
 * hash is taken over the figure's (rounded) JSON and `n` counts the identical figures bundled
 * before it in this process. Deterministic: a fresh kernel that runs the same notebook gives
 * the same ids.
 *
 * @example
 * ```ts
 * import { figureId } from "./bundles.ts";
 * figureId({ data: [], layout: {} }); // "dchord-plot-…-0"
 * ```
 */
export function figureId(figure: Figure): string {
  const hash = fnv1a52(JSON.stringify(figure));
  const n = figureCounts.get(hash) ?? 0;
  figureCounts.set(hash, n + 1);
  return `dchord-plot-${hash}-${n}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/**
 * A table cell's text as HTML, with a line-break opportunity (`<wbr>`, invisible, not copied)
 * after `_`, `-`, `,` and `/` inside words longer than 24 characters (file names, JSON), so
 * that a table fits its column instead of running past it.
 *
 * @example
 * ```ts
 * import { cellHtml } from "./bundles.ts";
 * cellHtml("FMP_C5_Audio_Beatles_LetItBe.mp3"); // "FMP_<wbr>C5_<wbr>Audio_<wbr>Beatles_<wbr>LetItBe.mp3"
 * ```
 */
export function cellHtml(text: string): string {
  return text.split(/(\s+)/).map((word) =>
    word.length > 24 ? escapeHtml(word).replace(/([_,/-])(?=[^\s])/g, "$1<wbr>") : escapeHtml(word)
  ).join("");
}

/** JSON that is safe inside an HTML `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026");
}

/**
 * Where the HTML representation looks for plotly.js, in order: next to the page (the HTML
 * export of `deno task report` copies it there), then the project's local npm package seen
 * from `notebooks/` and from the project root.
 */
export const PLOTLY_SOURCES: readonly string[] = [
  "plotly.min.js",
  "../node_modules/plotly.js/dist/plotly.min.js",
  "node_modules/plotly.js/dist/plotly.min.js",
];

/** Rounds every number in a figure to `digits` significant digits (keeps notebooks small). */
function compact(value: unknown, digits: number): unknown {
  if (typeof value === "number") {
    return Number.isFinite(value) && value !== 0 ? Number(value.toPrecision(digits)) : value;
  }
  if (Array.isArray(value)) return value.map((v) => compact(v, digits));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = compact(v, digits);
    return out;
  }
  return value;
}

/**
 * The MIME bundle of a figure: plotly JSON, self-drawing HTML and a plain-text line.
 * Numbers are rounded to 5 significant digits to keep the saved notebooks small; the element
 * id is {@linkcode figureId} (deterministic).
 *
 * @example
 * ```ts
 * import { heatmap } from "./figures.ts";
 * const bundle = figureBundle(heatmap([[1]]));
 * Object.keys(bundle); // ["application/vnd.plotly.v1+json", "text/html", "text/plain"]
 * ```
 */
export function figureBundle(figure: Figure): MimeBundle {
  if (!figure || !Array.isArray(figure.data) || typeof figure.layout !== "object") {
    throw new TypeError("figureBundle: expected a figure { data: Trace[], layout: {...} }");
  }
  const fig = compact(figure, 5) as Figure;
  const id = figureId(fig);
  const height = Number(fig.layout.height ?? 400);
  const html = `<div id="${id}" class="dchord-plotly" style="width:100%;height:${height}px;"></div>
<script type="text/javascript">
(function () {
  var fig = ${scriptJson(fig)};
  var sources = ${scriptJson(PLOTLY_SOURCES)};
  function draw() {
    window.Plotly.newPlot("${id}", fig.data, fig.layout, { responsive: true });
  }
  if (window.Plotly) { draw(); return; }
  var q = (window.__dchordPlotlyQueue = window.__dchordPlotlyQueue || []);
  q.push(draw);
  if (window.__dchordPlotlyLoading) return;
  window.__dchordPlotlyLoading = true;
  var savedDefine = window.define;
  (function load(i) {
    if (i >= sources.length) {
      document.getElementById("${id}").textContent =
        "plotly.js could not be loaded (looked for: " + sources.join(", ") + ")";
      return;
    }
    var s = document.createElement("script");
    s.src = sources[i];
    window.define = undefined; // plotly.js must register as a global, not as an AMD module
    s.onload = function () {
      window.define = savedDefine;
      var todo = window.__dchordPlotlyQueue;
      window.__dchordPlotlyQueue = [];
      todo.forEach(function (f) { f(); });
    };
    s.onerror = function () { s.remove(); load(i + 1); };
    document.head.appendChild(s);
  })(0);
})();
</script>`;
  const title = (figure.layout.title as { text?: string } | undefined)?.text;
  const kinds = [...new Set(figure.data.map((t) => String(t.type ?? "scatter")))].join(", ");
  return {
    "application/vnd.plotly.v1+json": fig,
    "text/html": html,
    "text/plain": `<Figure${title ? ` "${title}"` : ""}: ${figure.data.length} trace(s): ${kinds}>`,
  };
}

/** Options of {@linkcode tableBundle} and {@linkcode showTable}. */
export interface TableOptions {
  /** Caption above the table. */
  caption?: string;
  /** Decimals for non-integer numbers (default 4). */
  digits?: number;
  /** Decimals for the named columns, where they differ from `digits` (e.g. F1 in percent: 1). */
  columnDigits?: Record<string, number>;
  /** Column order (default: the keys of the first row, then any new keys). */
  columns?: string[];
}

function formatCell(value: unknown, digits: number): string {
  if (typeof value === "number") {
    if (Number.isInteger(value)) return String(value);
    if (!Number.isFinite(value)) return String(value);
    const abs = Math.abs(value);
    if (abs !== 0 && (abs < 10 ** -digits || abs >= 1e7)) return value.toExponential(digits - 1);
    return value.toFixed(digits);
  }
  if (value === null || value === undefined) return "";
  return String(value);
}

/**
 * The MIME bundle of a table given as rows of objects: an HTML table and an aligned
 * plain-text table.
 *
 * @example
 * ```ts
 * const bundle = tableBundle([{ gamma: 0.3, value: 1.25 }], { caption: "soft-DTW" });
 * ```
 */
export function tableBundle(
  rows: Record<string, unknown>[],
  options: TableOptions = {},
): MimeBundle {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new TypeError("tableBundle: expected at least one row");
  }
  const digits = options.digits ?? 4;
  const columns = options.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const columnDigits = options.columnDigits ?? {};
  for (const [c, d] of Object.entries(columnDigits)) {
    if (!columns.includes(c)) {
      throw new TypeError(`tableBundle: columnDigits names no column "${c}"`);
    }
    if (!Number.isInteger(d) || d < 0 || d > 20) {
      throw new RangeError(`tableBundle: columnDigits["${c}"] must be an integer 0..20, got ${d}`);
    }
  }
  const cells = rows.map((r) => columns.map((c) => formatCell(r[c], columnDigits[c] ?? digits)));
  const numeric = columns.map((c) =>
    rows.every((r) => r[c] === undefined || typeof r[c] === "number")
  );
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = cells.map((row) =>
    `<tr>${
      row.map((v, j) =>
        `<td style="text-align:${numeric[j] ? "right" : "left"}">${cellHtml(v)}</td>`
      ).join("")
    }</tr>`
  ).join("\n");
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : "";
  const html = `<table class="dchord-table">${caption}<thead><tr>${head}</tr></thead>` +
    `<tbody>\n${body}\n</tbody></table>`;
  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((row) => row[j].length)));
  const line = (row: string[]) =>
    row.map((v, j) => numeric[j] ? v.padStart(widths[j]) : v.padEnd(widths[j])).join("  ")
      .trimEnd();
  const plain = [
    ...(options.caption ? [options.caption] : []),
    line(columns),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...cells.map(line),
  ].join("\n");
  return { "text/html": html, "text/plain": plain };
}
