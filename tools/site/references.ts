/**
 * The course's references: the bibliography (`tools/site/bibliography.json`, the one place its
 * data lives) rendered as text and as BibTeX, the references page, the "References" box at the
 * end of each chapter page (every entry the chapter's Markdown mentions, linked to its place on
 * the references page) and "cite this course".
 *
 * Used by `tools/site/build.ts` (`deno task report`) for references.html and every notebook
 * page (notebooks/00_setup.ipynb to the last one).
 *
 * @example
 * ```ts
 * import { bibtex, loadBibliography } from "./references.ts";
 * const entries = await loadBibliography();
 * bibtex(entries[0]).startsWith("@techreport{"); // true
 * ```
 *
 * @module
 */
import { COURSE_SUBTITLE, COURSE_TITLE, escapeHtml } from "./pages.ts";

/** One work of the bibliography. */
export interface BibEntry {
  /** BibTeX key, also the anchor on the references page. */
  key: string;
  /** BibTeX entry type (`article`, `inproceedings`, `book`, `techreport`, `misc`). */
  type: string;
  /** Authors, "First Last". */
  authors: string[];
  /** Title. */
  title: string;
  /** Year. */
  year: number;
  /** A regular expression: a chapter whose Markdown matches it cites the entry. */
  mentions: string;
  /** Fields not verified when the entry was written (shown on the page). */
  todo?: string;
  /** Any other BibTeX field (journal, booktitle, volume, pages, publisher, ...). */
  [field: string]: unknown;
}

const FIELDS = [
  "journal",
  "booktitle",
  "series",
  "institution",
  "howpublished",
  "edition",
  "publisher",
  "volume",
  "number",
  "pages",
  "address",
  "doi",
  "note",
] as const;

/**
 * Reads and checks the bibliography: every entry has a unique key, a type, a title, a year and
 * a valid `mentions` expression. Throws naming the entry otherwise.
 *
 * @example
 * ```ts
 * import { loadBibliography } from "./references.ts";
 * (await loadBibliography()).length > 5; // true
 * ```
 */
export async function loadBibliography(
  path: string | URL = new URL("./bibliography.json", import.meta.url),
): Promise<BibEntry[]> {
  const data = JSON.parse(await Deno.readTextFile(path)) as { entries?: BibEntry[] };
  const entries = data.entries;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new Error(`${path}: no "entries" list`);
  }
  const keys = new Set<string>();
  for (const e of entries) {
    for (const f of ["key", "type", "title", "mentions"] as const) {
      if (typeof e[f] !== "string" || e[f] === "") {
        throw new Error(`${path}: entry ${e.key ?? "?"} has no ${f}`);
      }
    }
    if (!/^[a-z0-9]+$/.test(e.key)) throw new Error(`${path}: key ${e.key}: use a-z and 0-9 only`);
    if (!Number.isInteger(e.year)) throw new Error(`${path}: entry ${e.key} has no year`);
    if (!Array.isArray(e.authors)) throw new Error(`${path}: entry ${e.key}: authors not a list`);
    if (keys.has(e.key)) throw new Error(`${path}: key ${e.key} appears twice`);
    keys.add(e.key);
    try {
      new RegExp(e.mentions);
    } catch (err) {
      throw new Error(`${path}: entry ${e.key}: bad mentions: ${(err as Error).message}`);
    }
  }
  return entries;
}

/** "A, B and C" from a list of names. */
function names(authors: string[]): string {
  if (authors.length <= 2) return authors.join(" and ");
  return `${authors.slice(0, -1).join(", ")} and ${authors[authors.length - 1]}`;
}

/**
 * An entry as BibTeX.
 *
 * @example
 * ```ts
 * import { bibtex } from "./references.ts";
 * bibtex({ key: "k", type: "misc", authors: ["A B"], title: "T", year: 2000, mentions: "x" });
 * // "@misc{k,\n  author = {A B},\n  title = {{T}},\n  year = {2000},\n}"
 * ```
 */
export function bibtex(e: BibEntry): string {
  const lines = [`@${e.type}{${e.key},`];
  if (e.authors.length > 0) lines.push(`  author = {${e.authors.join(" and ")}},`);
  lines.push(`  title = {{${e.title}}},`);
  for (const f of FIELDS) if (e[f] !== undefined) lines.push(`  ${f} = {${e[f]}},`);
  lines.push(`  year = {${e.year}},`);
  lines.push("}");
  return lines.join("\n");
}

/**
 * An entry as one line of text (HTML): authors, year, title, where it appeared.
 *
 * @example
 * ```ts
 * import { textCitation } from "./references.ts";
 * textCitation({ key: "k", type: "misc", authors: ["A B"], title: "T", year: 2000, mentions: "x" });
 * // "A B (2000). <em>T</em>."
 * ```
 */
export function textCitation(e: BibEntry): string {
  const where = [
    e.journal,
    e.booktitle,
    e.howpublished,
    e.authors.length > 0 ? e.institution : e.type === "techreport" ? "Report" : undefined,
    e.publisher,
  ]
    .filter((x) => typeof x === "string").map(String);
  const detail = [
    e.edition ? `${e.edition} edition` : "",
    e.series && e.volume ? `${e.series} ${e.volume}` : e.volume ? `vol. ${e.volume}` : "",
    e.number ? `no. ${e.number}` : "",
    e.pages ? `pp. ${String(e.pages).replace("--", "–")}` : "",
  ].filter((x) => x !== "");
  // a report without named authors is cited by its institution
  const who = e.authors.length > 0
    ? `${escapeHtml(names(e.authors))} `
    : typeof e.institution === "string"
    ? `${escapeHtml(e.institution)} `
    : "";
  const tail = [...where, ...detail].map(escapeHtml).join(", ");
  return `${who}(${e.year}). <em>${escapeHtml(e.title)}</em>.${tail ? ` ${tail}.` : ""}`;
}

/**
 * The entries a chapter cites: those whose `mentions` expression matches its Markdown.
 *
 * @example
 * ```ts
 * import { citedIn, loadBibliography } from "./references.ts";
 * citedIn(await loadBibliography(), "Soft-DTW (Cuturi & Blondel, 2017)").map((e) => e.key);
 * ```
 */
export function citedIn(entries: BibEntry[], markdown: string): BibEntry[] {
  return entries.filter((e) => new RegExp(e.mentions).test(markdown));
}

/** The year the course gives in "cite this course". */
export const COURSE_YEAR = 2026;

/**
 * The course as BibTeX ("cite this course").
 *
 * @example
 * ```ts
 * import { courseBibtex } from "./references.ts";
 * courseBibtex().startsWith("@misc{softdtwcourse2026,"); // true
 * ```
 */
export function courseBibtex(year: number = COURSE_YEAR): string {
  return `@misc{softdtwcourse${year},\n  title = {{${COURSE_TITLE}: ${COURSE_SUBTITLE}}},\n` +
    `  note = {Notebooks and library reproducing the AudioLabs report ` +
    `"Training with Unaligned Dataset: Soft Dynamic Time Warping"},\n  year = {${year}},\n}`;
}

/**
 * The body of the references page: cite this course, then every entry with its text citation
 * and its BibTeX (each under an anchor named by its key), with the chapters that cite it.
 *
 * @example
 * ```ts
 * import { loadBibliography, referencesBody } from "./references.ts";
 * referencesBody(await loadBibliography(), new Map()).includes('id="cuturi2017softdtw"'); // true
 * ```
 */
export function referencesBody(
  entries: BibEntry[],
  citedBy: Map<string, { file: string; label: string }[]>,
  year?: number,
): string {
  const items = entries.map((e) => {
    const chapters = citedBy.get(e.key) ?? [];
    const where = chapters.length > 0
      ? `<p class="ref-cited">Cited in ${
        chapters.map((c) => `<a href="${escapeHtml(c.file)}">${escapeHtml(c.label)}</a>`).join(
          ", ",
        )
      }.</p>`
      : "";
    const todo = e.todo ? `<p class="ref-todo">${escapeHtml(String(e.todo))}</p>` : "";
    return `<li id="${e.key}" class="ref-entry"><p class="ref-text">${textCitation(e)}</p>` +
      `${todo}${where}<details class="ref-bibtex"><summary>BibTeX</summary><pre>` +
      `${escapeHtml(bibtex(e))}</pre></details></li>`;
  }).join("\n");
  return `<div class="references-page">
<h1 id="References">References</h1>
<p>Every work the chapters cite, with its BibTeX. Each chapter page ends with links to the
entries it mentions.</p>
<h2 id="Cite-this-course">Cite this course</h2>
<pre class="cite-course">${escapeHtml(courseBibtex(year))}</pre>
<p>and the report it reproduces, <a href="#audiolabs2025report">below</a>.</p>
<h2 id="Bibliography">Bibliography</h2>
<ol class="ref-list">
${items}
</ol>
</div>`;
}

/**
 * The "References" box at the end of a chapter page: the entries it cites, linked to the
 * references page (empty when it cites none).
 *
 * @example
 * ```ts
 * import { chapterReferencesHtml } from "./references.ts";
 * chapterReferencesHtml([]); // ""
 * ```
 */
export function chapterReferencesHtml(cited: BibEntry[]): string {
  if (cited.length === 0) return "";
  return `<aside class="chapter-references" aria-label="References"><h2 id="chapter-references">` +
    `References</h2><ul>${
      cited.map((e) =>
        `<li><a class="ref-link" href="references.html#${e.key}">${textCitation(e)}</a></li>`
      ).join("")
    }</ul><p class="ref-all"><a href="references.html">All references and BibTeX →</a></p>` +
    `</aside>`;
}
