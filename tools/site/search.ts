/**
 * The site's full-text search index: every page cut into its sections (at each `h1`–`h3`
 * heading with an id), each section's visible text (prose, code, tables, figure titles; no
 * scripts, no styles), written as `search-data.js` for MiniSearch (npm `minisearch`, copied
 * into the site as `minisearch.js`), which indexes it in the browser. Plain `<script>` files, so
 * the search works opened from disk as well as over HTTP.
 *
 * Why MiniSearch: a maintained, dependency-free library of about 7 kB gzipped with prefix and
 * fuzzy search that indexes in the browser; Lunr is larger and no longer maintained, and
 * Pagefind needs a native indexing binary and fetches its index chunks, which a page opened from
 * disk cannot do.
 *
 * Used by `tools/site/build.ts` for every page (notebooks/00_setup.ipynb to the last one, the
 * explorer and the references).
 *
 * @example
 * ```ts
 * import { searchDocuments } from "./search.ts";
 * const docs = searchDocuments('<h2 id="A">Alpha</h2><p>soft minimum</p>', "x.html", "X");
 * docs[0].section; // "Alpha"
 * ```
 *
 * @module
 */

/** One searchable section of a page. */
export interface SearchDocument {
  /** Unique id: the page and the anchor. */
  id: string;
  /** Page file, e.g. `01_dtw_vs_soft_dtw.html`. */
  page: string;
  /** Page title shown in the results. */
  title: string;
  /** Section heading (the page title for the text before the first heading). */
  section: string;
  /** Anchor of the section (empty for the top of the page). */
  anchor: string;
  /** The section's visible text, formulas as plain text ({@linkcode plainMath}). */
  text: string;
  /** The names of the TeX symbols in its formulas (`gamma partial`), so "gamma" finds γ. */
  math: string;
}

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
  "&nbsp;": " ",
  "&#x27;": "'",
};

/** Visible text of an HTML fragment: no tags, scripts, styles or anchor pilcrows. */
export function visibleText(html: string): string {
  return html
    .replace(/<script\b[\s\S]*?<\/script>/gi, " ")
    .replace(/<style\b[\s\S]*?<\/style>/gi, " ")
    .replace(/<a class="anchor-link"[\s\S]*?<\/a>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&(?:amp|lt|gt|quot|nbsp|#39|#x27);/g, (m) => ENTITIES[m])
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/\s+/g, " ")
    .trim();
}

const TEX_SYMBOLS: Record<string, string> = {
  gamma: "γ",
  theta: "θ",
  mu: "µ",
  pi: "π",
  beta: "β",
  nu: "ν",
  tau: "τ",
  alpha: "α",
  sigma: "σ",
  lambda: "λ",
  varepsilon: "ε",
  epsilon: "ε",
  delta: "δ",
  Delta: "Δ",
  partial: "∂",
  sum: "Σ",
  prod: "Π",
  times: "×",
  cdot: "·",
  odot: "⊙",
  in: "∈",
  to: "→",
  ge: "≥",
  geq: "≥",
  le: "≤",
  leq: "≤",
  neq: "≠",
  approx: "≈",
  infty: "∞",
  pm: "±",
  propto: "∝",
  equiv: "≡",
  dots: "…",
  ldots: "…",
  cdots: "…",
  langle: "⟨",
  rangle: "⟩",
  lVert: "‖",
  rVert: "‖",
  Vert: "‖",
  lfloor: "⌊",
  rfloor: "⌋",
  sqrt: "√",
  mid: "|",
  left: "",
  right: "",
  quad: " ",
  qquad: " ",
};

/** Readable plain text of a TeX formula (for search snippets): `\gamma` → γ, no braces. */
function texToText(tex: string): string {
  return tex
    .replace(
      /\\(?:mathrm|text|operatorname|mathbf|mathcal|mathbb|boldsymbol)\s*\{([^{}]*)\}/g,
      "$1",
    )
    .replace(/\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, "$1/$2")
    .replace(/\\[,;:! ]/g, " ")
    .replace(/\\([A-Za-z]+)/g, (_, name: string) => TEX_SYMBOLS[name] ?? name)
    .replace(/[{}]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Replaces every formula of a text (`$$…$$`, `$…$`, `\(…\)`, `\[…\]`, as MathJax reads them) by
 * readable plain text, so that search snippets show `SDTW^γ(C)` rather than TeX. A `$…$` span
 * counts as a formula only when it does not start with `{` (a template literal in code).
 *
 * @example
 * ```ts
 * import { plainMath } from "./search.ts";
 * plainMath("the value $\\mathrm{SDTW}^\\gamma(C)$"); // "the value SDTW^γ(C)"
 * ```
 */
export function plainMath(text: string): string {
  return text
    .replace(/\$\$([^$]+)\$\$/g, (_, t: string) => texToText(t))
    .replace(/\\\[([\s\S]+?)\\\]/g, (_, t: string) => texToText(t))
    .replace(/\\\(([\s\S]+?)\\\)/g, (_, t: string) => texToText(t))
    .replace(/\$(?!\{)([^$]{1,400})\$/g, (_, t: string) => texToText(t));
}

/**
 * Cuts a rendered page into sections at every `h1`, `h2` and `h3` with an id and returns one
 * document per non-empty section. Figures contribute their titles (taken from the plotly JSON
 * in their scripts), since their drawn text is not in the HTML.
 *
 * @example
 * ```ts
 * import { searchDocuments } from "./search.ts";
 * searchDocuments('<p>intro</p><h2 id="B">Beta</h2><p>text</p>', "p.html", "P").length; // 2
 * ```
 */
export function searchDocuments(html: string, page: string, title: string): SearchDocument[] {
  const body = html.includes("<main") ? html.slice(html.indexOf("<main")) : html;
  // figure titles: "title":{"text":"..."} inside the figures' scripts
  const withTitles = body.replace(/<script\b[\s\S]*?<\/script>/gi, (s) => {
    const titles = [...s.matchAll(/"(?:title|text)":\{?"text":"((?:[^"\\]|\\.)*)"/g)]
      .map((m) => m[1]);
    const annotations = [...s.matchAll(/"annotations":\[([\s\S]*?)\]/g)]
      .flatMap((m) => [...m[1].matchAll(/"text":"((?:[^"\\]|\\.)*)"/g)].map((t) => t[1]));
    const all = [...titles, ...annotations].map((t) => {
      try {
        return JSON.parse(`"${t}"`) as string;
      } catch {
        return t;
      }
    });
    return all.length > 0 ? ` <span>${all.join(" · ")}</span> ` : " ";
  });
  const heads = [...withTitles.matchAll(/<h([1-3])\b[^>]*\bid="([^"]+)"[^>]*>([\s\S]*?)<\/h\1>/g)];
  const docs: SearchDocument[] = [];
  const push = (section: string, anchor: string, fragment: string) => {
    const raw = visibleText(fragment);
    const text = plainMath(raw);
    if (text === "") return;
    const names = [...raw.matchAll(/\\([A-Za-z]+)/g)].map((m) => m[1])
      .filter((n) => TEX_SYMBOLS[n] !== undefined && TEX_SYMBOLS[n].trim() !== "");
    const math = [...new Set(names)].join(" ");
    docs.push({ id: `${page}#${anchor}`, page, title, section, anchor, text, math });
  };
  push(title, "", withTitles.slice(0, heads[0]?.index ?? withTitles.length));
  heads.forEach((h, k) => {
    const end = k + 1 < heads.length ? heads[k + 1].index! : withTitles.length;
    const section = plainMath(visibleText(h[3]));
    push(section, h[2], withTitles.slice(h.index! + h[0].length, end));
  });
  return docs;
}

/**
 * The `search-data.js` file: the documents as `window.SEARCH_DOCUMENTS`, a global that a plain
 * `<script>` sets (no fetch, so it works from disk).
 *
 * @example
 * ```ts
 * import { searchDataScript } from "./search.ts";
 * searchDataScript([]); // "window.SEARCH_DOCUMENTS = [];\n"
 * ```
 */
export function searchDataScript(docs: SearchDocument[]): string {
  const json = JSON.stringify(docs).replace(/</g, "\\u003c");
  return `window.SEARCH_DOCUMENTS = ${json};\n`;
}
