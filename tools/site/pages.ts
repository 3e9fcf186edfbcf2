/**
 * The course site's text and navigation, as pure functions (no files, no processes): what a
 * notebook's title and first paragraph are, the list of pages in reading order, and the HTML
 * of the header, the table of contents and the previous/next links that every page carries.
 *
 * Used by `tools/site/build.ts` (`deno task report`), which renders every notebook of
 * notebooks/ (00_setup.ipynb to the last one) into the site.
 *
 * @example
 * ```ts
 * import { notebookSummary } from "./pages.ts";
 * notebookSummary({ cells: [{ cell_type: "markdown", source: "# 01 · Title\n\nFirst.\n" }] });
 * // { title: "01 · Title", number: "01", name: "Title", intro: "First." }
 * ```
 *
 * @module
 */

/** The course title, on every page. */
export const COURSE_TITLE = "Soft-DTW for chord recognition";
/** The course subtitle, on every page. */
export const COURSE_SUBTITLE = "a Deno notebook course";
/** The report the course reproduces, as cited on the front page. */
export const REPORT_CITATION =
  "<em>Training with Unaligned Dataset: Soft Dynamic Time Warping.</em> Report, International " +
  "Audio Laboratories Erlangen (AudioLabs), 2025.";

/** The parts of a notebook the site needs. */
export interface NotebookLike {
  /** The cells; only markdown cells are read. */
  cells: { cell_type: string; source: string | string[] }[];
}

/** Title and introduction of a notebook, from its first markdown cell. */
export interface NotebookSummary {
  /** The first `#` heading, e.g. `01 · DTW and soft-DTW`. */
  title: string;
  /** The number before `·`, e.g. `01` (empty when the title has none). */
  number: string;
  /** The title without its number. */
  name: string;
  /** The first paragraph after the heading (Markdown), with the block that follows it when the
   * paragraph runs on into it (ends without a full stop, e.g. into a list). */
  intro: string;
}

const text = (source: string | string[]) => Array.isArray(source) ? source.join("") : source;

/**
 * Title and first paragraph of a notebook. Throws a TypeError when the notebook has no markdown
 * cell or its first markdown cell does not start with a `# ` heading.
 *
 * @example
 * ```ts
 * import { notebookSummary } from "./pages.ts";
 * notebookSummary({ cells: [{ cell_type: "markdown", source: "# 03 · Data\n\nChroma." }] }).name;
 * // "Data"
 * ```
 */
export function notebookSummary(nb: NotebookLike, name = "notebook"): NotebookSummary {
  const first = nb?.cells?.find((c) => c.cell_type === "markdown");
  if (!first) throw new TypeError(`${name}: no markdown cell (the site needs a title)`);
  const lines = text(first.source).replace(/\r\n/g, "\n").trim().split("\n");
  const heading = lines[0].match(/^#\s+(.+?)\s*$/);
  if (!heading) {
    throw new TypeError(`${name}: the first markdown cell must start with a '# ' heading`);
  }
  const title = heading[1];
  const numbered = title.match(/^(\d+)\s*·\s*(.+)$/);
  const blocks = lines.slice(1).join("\n").split(/\n\s*\n/).map((b) => b.trim())
    .filter((b) => b !== "" && !b.startsWith("#"));
  let intro = blocks[0] ?? "";
  if (intro !== "" && !/[.!?)]$/.test(intro) && blocks[1]) intro += `\n\n${blocks[1]}`;
  return {
    title,
    number: numbered ? numbered[1] : "",
    name: numbered ? numbered[2] : title,
    intro,
  };
}

/** One page of the site, in reading order. */
export interface SitePage {
  /** File name in the site folder, e.g. `01_dtw_vs_soft_dtw.html`. */
  file: string;
  /** Short title for the table of contents and the pager. */
  title: string;
  /** Chapter number shown before the title (empty for the front page and the explorer). */
  number: string;
}

/** Sections of the current page listed under it in the table of contents. */
export interface Section {
  /** The heading's anchor id. */
  id: string;
  /** The heading's text (plain, already escaped HTML is kept as it is). */
  title: string;
}

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./pages.ts";
 * escapeHtml('<a href="x">'); // "&lt;a href=&quot;x&quot;&gt;"
 * ```
 */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/**
 * The header bar: the contents menu button (shown on narrow screens), course title (a link to
 * the front page) and subtitle, and the search box (filled in by `site.js`).
 *
 * @example
 * ```ts
 * import { headerHtml } from "./pages.ts";
 * headerHtml().includes('href="index.html"'); // true
 * ```
 */
export function headerHtml(): string {
  return `<header class="course-header"><button type="button" class="toc-toggle" ` +
    `aria-controls="course-toc" aria-expanded="false" aria-label="Contents">` +
    `<span aria-hidden="true">☰</span></button><a class="course-title" href="index.html">` +
    `${escapeHtml(COURSE_TITLE)}</a><span class="course-subtitle">` +
    `${escapeHtml(COURSE_SUBTITLE)}</span><div class="course-search" role="search">` +
    `<input id="site-search" type="search" placeholder="Search" ` +
    `aria-label="Search the course" autocomplete="off"><ul id="search-results" ` +
    `class="search-results" hidden></ul></div></header>`;
}

/**
 * The tools above a notebook page: download the notebook, view its source, hide or show all
 * code (the button is shown by `site.js`).
 *
 * @example
 * ```ts
 * import { notebookToolsHtml } from "./pages.ts";
 * notebookToolsHtml("01_dtw_vs_soft_dtw").includes('download="01_dtw_vs_soft_dtw.ipynb"'); // true
 * ```
 */
export function notebookToolsHtml(name: string): string {
  const n = escapeHtml(name);
  return `<div class="page-tools"><a class="tool-download" href="${NOTEBOOK_DIR}/${n}.ipynb" ` +
    `download="${n}.ipynb">Download .ipynb</a><a class="tool-source" ` +
    `href="${SOURCE_DIR}/${n}.ts.txt">View source</a><button type="button" ` +
    `id="toggle-all-code" data-state="shown" hidden>Hide all code</button></div>`;
}

/** Folder of the site that holds the notebooks to download. */
export const NOTEBOOK_DIR = "notebooks";
/** Folder of the site that holds each notebook's source as a script (`NAME.ts.txt`). */
export const SOURCE_DIR = "source";

/**
 * A notebook as a script: code cells as they are, Markdown cells as `//` comments, each cell
 * after a `// %%` line (the percent format of Jupytext and VS Code). What "View source" shows.
 *
 * @example
 * ```ts
 * import { notebookSource } from "./pages.ts";
 * notebookSource({ cells: [{ cell_type: "markdown", source: "# T" }, { cell_type: "code", source: "1" }] });
 * // "// %% [markdown]\n// # T\n\n// %%\n1\n"
 * ```
 */
export function notebookSource(nb: NotebookLike): string {
  return nb.cells.map((c) => {
    const src = text(c.source).replace(/\s+$/, "");
    if (c.cell_type === "markdown") {
      return `// %% [markdown]\n${src.split("\n").map((l) => l ? `// ${l}` : "//").join("\n")}`;
    }
    return `// %%\n${src}`;
  }).join("\n\n") + "\n";
}

/**
 * What every page's `<head>` loads besides the style sheet: MathJax and the page script
 * `site.js` (menu, search, code folding, dark plotly figures).
 *
 * @example
 * ```ts
 * import { headHtml } from "./pages.ts";
 * headHtml().includes('src="site.js"'); // true
 * ```
 */
export function headHtml(): string {
  return `<meta name="color-scheme" content="light dark">\n${mathjaxHtml()}\n` +
    `<script src="site.js"></script>`;
}

/**
 * The table of contents: every page, the current one marked, with its sections under it.
 *
 * @example
 * ```ts
 * import { tocHtml } from "./pages.ts";
 * tocHtml([{ file: "index.html", title: "Introduction", number: "" }], "index.html");
 * ```
 */
export function tocHtml(pages: SitePage[], current: string, sections: Section[] = []): string {
  const items = pages.map((p) => {
    const here = p.file === current;
    const label = `${p.number ? `<span class="toc-number">${escapeHtml(p.number)}</span>` : ""}` +
      `<span class="toc-title">${escapeHtml(p.title)}</span>`;
    const sub = here && sections.length > 0
      ? `<ul class="toc-sections">${
        sections.map((s) => `<li><a href="#${escapeHtml(s.id)}">${s.title}</a></li>`).join("")
      }</ul>`
      : "";
    return `<li${here ? ' class="toc-current"' : ""}><a href="${escapeHtml(p.file)}"${
      here ? ' aria-current="page"' : ""
    }>${label}</a>${sub}</li>`;
  }).join("\n");
  return `<nav class="course-toc" id="course-toc" aria-label="Contents"><p class="toc-heading">Contents</p>` +
    `<ol>\n${items}\n</ol></nav>`;
}

/**
 * Previous/next links of a page (a missing neighbour leaves an empty slot). Throws a RangeError
 * for a page that is not in the list.
 *
 * @example
 * ```ts
 * import { pagerHtml } from "./pages.ts";
 * const pages = [{ file: "a.html", title: "A", number: "" }, { file: "b.html", title: "B", number: "" }];
 * pagerHtml(pages, "a.html").includes('rel="next" href="b.html"'); // true
 * ```
 */
export function pagerHtml(pages: SitePage[], current: string): string {
  const i = pages.findIndex((p) => p.file === current);
  if (i < 0) throw new RangeError(`pagerHtml: ${current} is not a page of the site`);
  const link = (p: SitePage | undefined, rel: "prev" | "next") =>
    p
      ? `<a class="pager-${rel}" rel="${rel}" href="${
        escapeHtml(p.file)
      }"><span class="pager-dir">${
        rel === "prev" ? "← Previous" : "Next →"
      }</span><span class="pager-title">${
        escapeHtml(`${p.number ? `${p.number} · ` : ""}${p.title}`)
      }</span></a>`
      : `<span class="pager-${rel}"></span>`;
  return `<nav class="course-pager" aria-label="Previous and next page">${
    link(pages[i - 1], "prev")
  }${link(pages[i + 1], "next")}</nav>`;
}

/**
 * The `h2` sections of a rendered page (nbconvert gives every heading an id), for the table of
 * contents. The anchor-link `¶` that nbconvert appends is dropped.
 *
 * @example
 * ```ts
 * import { sectionsOf } from "./pages.ts";
 * sectionsOf('<h2 id="Data">Data<a class="anchor-link" href="#Data">¶</a></h2>');
 * // [{ id: "Data", title: "Data" }]
 * ```
 */
export function sectionsOf(html: string): Section[] {
  const out: Section[] = [];
  for (const m of html.matchAll(/<h2 id="([^"]+)">([\s\S]*?)<\/h2>/g)) {
    const title = m[2].replace(/<a class="anchor-link"[\s\S]*?<\/a>/g, "").trim();
    out.push({ id: m[1], title });
  }
  return out;
}

/**
 * The MathJax 2 loader and configuration, for the site's own copy under `mathjax/` (relative
 * path, TeX input, CommonHTML output).
 *
 * @example
 * ```ts
 * import { mathjaxHtml } from "./pages.ts";
 * mathjaxHtml().includes('src="mathjax/MathJax.js'); // true
 * ```
 */
export function mathjaxHtml(): string {
  return `<script type="text/x-mathjax-config">
MathJax.Hub.Config({
  TeX: { equationNumbers: { autoNumber: "AMS", useLabelIds: true } },
  tex2jax: {
    inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]],
    displayMath: [["$$", "$$"], ["\\\\[", "\\\\]"]],
    processEscapes: true,
    processEnvironments: true
  },
  displayAlign: "center",
  CommonHTML: { linebreaks: { automatic: true } },
  "HTML-CSS": { availableFonts: ["TeX"], imageFont: null },
  menuSettings: { zoom: "None" },
  showMathMenu: false
});
</script>
<script src="mathjax/MathJax.js?config=TeX-AMS_CHTML-full"></script>`;
}
