/**
 * Builds the course site: a self-contained static folder (by default `report/`) with a front
 * page, one page per notebook of notebooks/, then the pages of {@linkcode EXTRA_PAGES} (the
 * soft-DTW explorer `explore.html` and the references `references.html`), and every script the
 * pages need copied inside it (MathJax from Debian's `libjs-mathjax`, plotly.js and MiniSearch
 * from the project's npm packages, the page script `site.js`, the explorer's bundle of
 * `lib/align`), all referenced by relative paths. It works opened from any folder and served
 * over HTTP. Each notebook page gets its download (`notebooks/NAME.ipynb`), its source
 * (`source/NAME.ts.txt`) and its references; `search-data.js` indexes every page.
 *
 * Notebook pages are rendered by nbconvert with the template in `tools/site/templates/course`
 * (JupyterLab's `lab` template plus the course's style, `tools/site/site.css`); the front page
 * is rendered the same way from a notebook made here (title, citation, `tools/site/front.md`,
 * and each notebook's title and first paragraph).
 *
 * ```sh
 * deno run -A tools/site/build.ts [OUT_DIR]   # the site from the notebooks as they are
 * deno run -A tools/site/build.ts --plotly PATH/plotly.min.js [OUT_DIR]   # another plotly.js
 * deno task report                            # executes the notebooks first, then this
 * ```
 *
 * The output folder is replaced as one step, and only when it is new, empty or an unchanged
 * earlier build (its manifest {@linkcode SITE_MANIFEST} lists every file with its SHA-256):
 * anything else in it is an error naming the files, and nothing is deleted. The site is built in
 * a staging folder outside the repository (see lib/study/files.ts), so a failed build leaves the
 * output folder as it was.
 *
 * Used by `tools/report.ts`; the pages are the notebooks 00_setup.ipynb to the last one.
 *
 * @example
 * ```ts
 * import { buildSite } from "./build.ts";
 * const site = await buildSite({ outDir: await Deno.makeTempDir() });
 * site.pages.map((p) => p.file);
 * ```
 *
 * @module
 */
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  COURSE_SUBTITLE,
  COURSE_TITLE,
  escapeHtml,
  headerHtml,
  headHtml,
  NOTEBOOK_DIR,
  type NotebookLike,
  notebookSource,
  type NotebookSummary,
  notebookSummary,
  notebookToolsHtml,
  pagerHtml,
  REPORT_CITATION,
  sectionsOf,
  type SitePage,
  SOURCE_DIR,
  tocHtml,
} from "./pages.ts";
import { explorerData } from "./explorer_data.ts";
import { bundlePageScript } from "./bundle.ts";
import { RECORDING_TITLE, recordingBody } from "./recording_page.ts";
import {
  type BibEntry,
  chapterReferencesHtml,
  citedIn,
  loadBibliography,
  referencesBody,
} from "./references.ts";
import { searchDataScript, type SearchDocument, searchDocuments } from "./search.ts";
import {
  makeTempDir,
  removeStaging,
  replaceEntries,
  sha256Hex,
  stagingDir,
} from "../../lib/study/mod.ts";

/** The project root. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));
const SITE_DIR = join(ROOT, "tools", "site");
/** Debian's MathJax 2 (`apt-get install -y libjs-mathjax`). */
export const MATHJAX_DIR = "/usr/share/javascript/mathjax";
/** The parts of MathJax the pages load (TeX input, CommonHTML output, TeX web fonts). */
export const MATHJAX_PARTS: readonly string[] = [
  "MathJax.js",
  "config/TeX-AMS_CHTML-full.js",
  "extensions",
  "jax/element",
  "jax/input/TeX",
  "jax/output/CommonHTML",
  "fonts/HTML-CSS/TeX/woff",
];
/** Notebooks whose pages get a link to the explorer (by file name without extension). */
export const EXPLORER_LINKED: readonly string[] = [
  "02_gradient_expected_alignment",
  "05_gamma_sweep",
];

/** What {@linkcode buildSite} wrote. */
export interface BuiltSite {
  /** The site folder. */
  outDir: string;
  /** The pages in reading order (front page, notebooks, explorer). */
  pages: SitePage[];
  /** Seconds spent. */
  seconds: number;
}

/** Options of {@linkcode buildSite}. */
export interface BuildOptions {
  /** Output folder (default `report/`): missing, empty, or an earlier build, unchanged (checked
   * with its manifest {@linkcode SITE_MANIFEST}; it is replaced as one step); any other folder
   * is refused before anything is written. */
  outDir?: string;
  /** Notebooks to include, in order (default: every notebook of notebooks/). */
  notebooks?: string[];
  /** Progress messages (default: none). */
  log?: (message: string) => void;
  /** The plotly.js bundle to copy (default: the project's npm package, `plotly.min.js`). */
  plotly?: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function copyTree(from: string, to: string): Promise<void> {
  const info = await Deno.stat(from);
  if (info.isFile) {
    await Deno.mkdir(dirname(to), { recursive: true });
    await Deno.copyFile(from, to);
    return;
  }
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) await copyTree(join(from, e.name), join(to, e.name));
}

async function run(cmd: string, args: string[], cwd = ROOT): Promise<string> {
  let out;
  try {
    out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  } catch (e) {
    throw new Error(`cannot run ${cmd}: ${(e as Error).message}`);
  }
  const dec = new TextDecoder();
  if (!out.success) {
    throw new Error(
      `${cmd} ${args.slice(0, 3).join(" ")} … failed:\n${
        dec.decode(out.stderr).trim().split("\n").slice(-20).join("\n")
      }`,
    );
  }
  return dec.decode(out.stdout);
}

/**
 * All notebooks of notebooks/, in course order.
 *
 * @example
 * ```ts
 * import { courseNotebooks } from "./build.ts";
 * (await courseNotebooks()).length; // 6 or more
 * ```
 */
export async function courseNotebooks(): Promise<string[]> {
  const dir = join(ROOT, "notebooks");
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".ipynb")) names.push(join(dir, e.name));
  }
  return names.sort();
}

/**
 * The manifest a build writes into the site folder: every file of the site (relative path, `/`
 * separators) with its SHA-256. A later build replaces the folder only when it holds exactly
 * these files with this content, which proves that a site build wrote all of it.
 */
export const SITE_MANIFEST = ".course-site.json";

/** Every file below `dir` (relative paths, sorted); a symbolic link is listed as `link:PATH`. */
async function listTree(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isSymlink) out.push(`link:${rel}`);
    else if (e.isDirectory) out.push(...await listTree(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

async function fileHashes(dir: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const rel of await listTree(dir)) {
    if (rel === SITE_MANIFEST) continue;
    hashes[rel] = rel.startsWith("link:")
      ? ""
      : await sha256Hex(await Deno.readFile(join(dir, rel)));
  }
  return hashes;
}

/** The files a site build writes besides the notebook pages and MathJax. */
const SITE_FILES = [
  "index.html",
  "explore.html",
  "explore.js",
  "explore-data.js",
  "plotly.min.js",
  "site.css",
  "site.js",
  "minisearch.js",
  "search-data.js",
  "references.html",
];

/**
 * A site built before the manifest existed (no {@linkcode SITE_MANIFEST}) is replaced only when
 * every file in it is one a build writes, by name (the pages of `pages` with their download and
 * source, the explorer, the references, plotly.js, MiniSearch, the style sheet and page script) or, under `mathjax/`, byte-identical to Debian's MathJax file; otherwise an
 * error naming the other files.
 */
async function legacySite(outDir: string, files: string[], pages: readonly string[]) {
  // each notebook page comes with its download and its source (issue 21)
  const companions = pages.flatMap((p) => {
    const name = p.replace(/\.html$/, "");
    return [`${NOTEBOOK_DIR}/${name}.ipynb`, `${SOURCE_DIR}/${name}.ts.txt`];
  });
  const known = new Set([...SITE_FILES, ...pages, ...companions]);
  const foreign: string[] = [];
  for (const f of files) {
    if (known.has(f)) continue;
    if (f.startsWith("mathjax/")) {
      const original = join(MATHJAX_DIR, f.slice("mathjax/".length));
      try {
        const [a, b] = await Promise.all([Deno.readFile(original), Deno.readFile(join(outDir, f))]);
        if (a.length === b.length && a.every((x, i) => x === b[i])) continue;
      } catch { /* not MathJax's */ }
    }
    foreign.push(f);
  }
  if (foreign.length > 0) {
    throw new Error(
      `${outDir} holds files a site build does not write (${foreign.slice(0, 5).join(", ")}` +
        `${foreign.length > 5 ? ", …" : ""}) and no ${SITE_MANIFEST}: nothing was deleted; ` +
        "choose an empty or new folder, or move them away",
    );
  }
}

/**
 * Whether the output folder may be replaced, and how many files it holds: missing or empty,
 * exactly the files its {@linkcode SITE_MANIFEST} lists, unchanged (an earlier build), or a
 * build from before the manifest ({@linkcode legacySite}). Anything else (a file a build did not
 * write, an edited page, a symbolic link) is an error naming it, before anything is written or
 * deleted: a wrong path never deletes anything else.
 *
 * @example
 * ```ts
 * import { checkSiteFolder } from "./build.ts";
 * await checkSiteFolder(await Deno.makeTempDir(), ["01_dtw_vs_soft_dtw.html"]); // 0
 * ```
 */
export async function checkSiteFolder(outDir: string, pages: readonly string[]): Promise<number> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(outDir);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return 0;
    throw e;
  }
  if (info.isSymlink) {
    throw new Error(`${outDir} is a symbolic link: refusing to replace it; choose a real folder`);
  }
  if (!info.isDirectory) throw new Error(`${outDir} is not a folder`);
  const files = await listTree(outDir);
  if (files.length === 0) return 0;
  if (!files.includes(SITE_MANIFEST)) {
    await legacySite(outDir, files, pages);
    return files.length;
  }
  let manifest: Record<string, string>;
  try {
    manifest = JSON.parse(await Deno.readTextFile(join(outDir, SITE_MANIFEST))).files;
    if (typeof manifest !== "object" || manifest === null) throw new Error("no file list");
  } catch {
    throw new Error(
      `${outDir}: ${SITE_MANIFEST} is not a site build's manifest: nothing was deleted; choose ` +
        "an empty or new folder, or remove it yourself",
    );
  }
  const actual = await fileHashes(outDir);
  const foreign = Object.keys(actual).filter((f) => manifest[f] !== actual[f]);
  if (foreign.length > 0) {
    throw new Error(
      `${outDir} holds files a site build did not write, or changed since (` +
        `${foreign.slice(0, 5).join(", ")}${foreign.length > 5 ? ", …" : ""}): nothing was ` +
        "deleted; choose an empty or new folder, or move them away",
    );
  }
  return files.length;
}

/** Copies the scripts the pages load: MathJax, plotly.js, the style sheet. */
async function copyAssets(outDir: string, plotlyPath?: string): Promise<void> {
  if (!await exists(join(MATHJAX_DIR, "MathJax.js"))) {
    throw new Error(`MathJax not found in ${MATHJAX_DIR}: apt-get install -y libjs-mathjax`);
  }
  for (const part of MATHJAX_PARTS) {
    await copyTree(join(MATHJAX_DIR, part), join(outDir, "mathjax", part));
  }
  const plotly = plotlyPath ?? join(ROOT, "node_modules", "plotly.js", "dist", "plotly.min.js");
  if (!await exists(plotly)) {
    throw new Error(`plotly.js not found at ${relative(ROOT, plotly)}: run 'deno install' first`);
  }
  await Deno.copyFile(plotly, join(outDir, "plotly.min.js"));
  await Deno.copyFile(join(SITE_DIR, "site.css"), join(outDir, "site.css"));
  await Deno.copyFile(join(SITE_DIR, "site.js"), join(outDir, "site.js"));
  const minisearch = join(ROOT, "node_modules", "minisearch", "dist", "umd", "index.js");
  if (!await exists(minisearch)) {
    throw new Error(`minisearch not found at ${relative(ROOT, minisearch)}: run 'deno install'`);
  }
  await Deno.copyFile(minisearch, join(outDir, "minisearch.js"));
}

/** Fills the `<!-- site:* -->` markers that the course template leaves in a page. */
function decorate(html: string, pages: SitePage[], file: string, top = ""): string {
  const fill = (marker: string, value: string) => {
    if (!html.includes(`<!-- site:${marker} -->`)) {
      throw new Error(`${file}: the page has no <!-- site:${marker} --> marker (template?)`);
    }
    html = html.replace(`<!-- site:${marker} -->`, () => value);
  };
  fill("mathjax", headHtml());
  fill("header", headerHtml());
  fill("toc", tocHtml(pages, file, sectionsOf(html)));
  fill("top", top);
  fill("pager", pagerHtml(pages, file));
  return html;
}

/** Inserts HTML after the first cell of an nbconvert page (the title cell). */
function afterFirstCell(html: string, insert: string): string {
  const marker = '<div class="jp-Cell ';
  const first = html.indexOf(marker);
  const second = first < 0 ? -1 : html.indexOf(marker, first + marker.length);
  if (second < 0) return html.replace("<!-- site:pager -->", () => `${insert}<!-- site:pager -->`);
  return html.slice(0, second) + insert + html.slice(second);
}

function markdownCell(source: string, tags: string[] = []) {
  return { cell_type: "markdown", metadata: { tags }, source };
}

/** The front page as a notebook: title, citation, what the course teaches, the chapters. */
function frontNotebook(
  chapters: { file: string; summary: NotebookSummary }[],
  intro: string,
): unknown {
  const cells = [
    markdownCell(
      `# ${COURSE_TITLE}\n\n<p class="front-subtitle">${COURSE_SUBTITLE}, reproducing ` +
        `the report</p>\n\n<blockquote class="front-citation">${REPORT_CITATION}</blockquote>\n\n` +
        intro,
      ["front-intro"],
    ),
    markdownCell("## The chapters"),
    ...chapters.map(({ file, summary }) =>
      markdownCell(
        `### <a href="${file}"><span class="chapter-number">${escapeHtml(summary.number)}` +
          `</span> ${escapeHtml(summary.name)}</a>\n\n${summary.intro}\n\n` +
          `<p class="chapter-more"><a href="${file}">Read chapter ${summary.number} →</a></p>`,
        ["chapter"],
      )
    ),
    markdownCell(
      `### <a href="explore.html">Soft-DTW explorer</a>\n\nAn interactive page: pick an example ` +
        `(a toy pair, or the followed training segment of notebooks 04 and 05 at epoch 1 or 161 ` +
        `against its weak target of soft length 16), move $\\gamma$ on a log scale from 0.001 to ` +
        `10 and the step weights, and see the soft-DTW value and the expected alignment ` +
        `$E^\\gamma$ recomputed by the course library, running in your browser, with the CTC ` +
        `posterior of the same segment beside it.\n\n` +
        `<p class="chapter-more"><a href="explore.html">Open the explorer →</a></p>`,
      ["chapter", "explorer-card"],
    ),
    markdownCell(
      `### <a href="recording.html">${RECORDING_TITLE}</a>\n\nThe chords of your own music: ` +
        `pick an audio file (it stays in your browser), see its chroma and the chords the ` +
        `course's model recognizes on a timeline under the player, type the chords you know ` +
        `and see them aligned by the soft-DTW expected alignment, download the \`.lab\`.\n\n` +
        `<p class="chapter-more"><a href="recording.html">Open the page →</a></p>`,
      ["chapter", "explorer-card"],
    ),
    markdownCell(
      `### <a href="references.html">References</a>\n\nThe report, the papers the chapters ` +
        `cite (soft-DTW, step weights, CTC, the FMP notebooks, ...) with their BibTeX, and how ` +
        `to cite this course.\n\n<p class="chapter-more"><a href="references.html">` +
        `Open the references →</a></p>`,
      ["chapter"],
    ),
  ];
  return {
    cells,
    metadata: { title: `${COURSE_TITLE} · ${COURSE_SUBTITLE}` },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** What a page that is not a notebook gets to build its body. */
export interface ExtraPageContext {
  /** The site folder (a page may write the files it loads there). */
  outDir: string;
  /** Every page of the site, in reading order. */
  pages: SitePage[];
  /** The bibliography (`tools/site/bibliography.json`). */
  bibliography: BibEntry[];
  /** For each bibliography key, the chapters that cite it. */
  citedBy: Map<string, { file: string; label: string }[]>;
}

/** A page of the site that is not a notebook: one entry of {@linkcode EXTRA_PAGES}. */
export interface ExtraPage {
  /** File name in the site folder. */
  file: string;
  /** Title in the table of contents, the pager and the browser tab. */
  title: string;
  /** Class of `<body>` besides `course-page`. */
  bodyClass: string;
  /** The page's content inside `<main>` (it may write the files it loads into `outDir`). */
  body(context: ExtraPageContext): Promise<string>;
}

/** The explorer: its data and its bundle of `lib/align`, and `tools/site/explore.html`. */
async function explorerBody({ outDir }: ExtraPageContext): Promise<string> {
  const data = await explorerData();
  await Deno.writeTextFile(
    join(outDir, "explore-data.js"),
    `window.EXPLORER_DATA = ${JSON.stringify(data)};\n`,
  );
  await bundlePageScript(join(SITE_DIR, "explore.ts"), join(outDir, "explore.js"));
  const body = await Deno.readTextFile(join(SITE_DIR, "explore.html"));
  return `${body}
<script src="plotly.min.js"></script>
<script src="explore-data.js"></script>
<script src="explore.js"></script>`;
}

/**
 * The pages after the chapters, in this order (the site's page list is the front page, the
 * chapters, then these): adding a page is one entry here.
 */
export const EXTRA_PAGES: readonly ExtraPage[] = [
  {
    file: "explore.html",
    title: "Soft-DTW explorer",
    bodyClass: "explorer-page",
    body: explorerBody,
  },
  {
    file: "recording.html",
    title: RECORDING_TITLE,
    bodyClass: "recording-page",
    body: ({ outDir }) => recordingBody(outDir),
  },
  {
    file: "references.html",
    title: "References",
    bodyClass: "references",
    body: ({ bibliography, citedBy }) => Promise.resolve(referencesBody(bibliography, citedBy)),
  },
];

/** A page that is not a notebook: the course shell around its body. */
function shellPage(page: ExtraPage, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(page.title)} · ${escapeHtml(COURSE_TITLE)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="site.css">
<!-- site:mathjax -->
</head>
<body class="course-page ${page.bodyClass}">
<!-- site:header -->
<div class="course-layout">
<!-- site:toc -->
<main class="course-main">
<!-- site:top -->
${body}
<!-- site:pager -->
</main>
</div>
</body>
</html>
`;
}

/**
 * Builds the site: assets, notebook pages, front page and explorer. Throws naming what is
 * missing (Jupyter, MathJax, plotly.js) or which notebook failed to render.
 *
 * @example
 * ```ts
 * import { buildSite } from "./build.ts";
 * const { pages } = await buildSite({ outDir: await Deno.makeTempDir() });
 * ```
 */
export async function buildSite(options: BuildOptions = {}): Promise<BuiltSite> {
  const t0 = performance.now();
  const log = options.log ?? (() => {});
  const outDir = options.outDir ?? join(ROOT, "report");
  const notebooks = options.notebooks ?? await courseNotebooks();
  if (notebooks.length === 0) throw new Error("buildSite: no notebooks to render");
  const target = resolve(outDir);
  const pageNames = notebooks.map((nb) => `${basename(nb, ".ipynb")}.html`);
  await checkSiteFolder(target, pageNames);
  // The site is built in a staging folder (outside the repository when the system's temporary
  // folder is on the same file system) and moved in as one step when complete: a failed or
  // interrupted build leaves the output folder as it was.
  const staged = await stagingDir(dirname(target));
  const built = join(staged, basename(target));
  const work = await makeTempDir({ prefix: "site-" });
  try {
    const outDir = built;
    await Deno.mkdir(outDir);
    await copyAssets(outDir, options.plotly);
    const chapters: {
      file: string;
      name: string;
      summary: NotebookSummary;
      markdown: string;
    }[] = [];
    await Deno.mkdir(join(outDir, NOTEBOOK_DIR), { recursive: true });
    await Deno.mkdir(join(outDir, SOURCE_DIR), { recursive: true });
    for (const nb of notebooks) {
      const name = basename(nb, ".ipynb");
      const raw = await Deno.readTextFile(nb);
      const content = JSON.parse(raw) as NotebookLike & { metadata?: Record<string, unknown> };
      const summary = notebookSummary(content, relative(ROOT, nb));
      // the download is the committed notebook; "view source" is its code as a script
      await Deno.writeTextFile(join(outDir, NOTEBOOK_DIR, `${name}.ipynb`), raw);
      await Deno.writeTextFile(join(outDir, SOURCE_DIR, `${name}.ts.txt`), notebookSource(content));
      const markdown = content.cells.filter((c) => c.cell_type === "markdown")
        .map((c) => Array.isArray(c.source) ? c.source.join("") : c.source).join("\n");
      content.metadata = { ...content.metadata, title: `${summary.title} · ${COURSE_TITLE}` };
      await Deno.writeTextFile(join(work, `${name}.ipynb`), JSON.stringify(content));
      chapters.push({ file: `${name}.html`, name, summary, markdown });
    }
    const pages: SitePage[] = [
      { file: "index.html", title: "Introduction", number: "" },
      ...chapters.map((c) => ({ file: c.file, title: c.summary.name, number: c.summary.number })),
      ...EXTRA_PAGES.map((p) => ({ file: p.file, title: p.title, number: "" })),
    ];
    const bibliography = await loadBibliography();
    const citedBy = new Map<string, { file: string; label: string }[]>();
    for (const c of chapters) {
      for (const e of citedIn(bibliography, c.markdown)) {
        citedBy.set(e.key, [...citedBy.get(e.key) ?? [], { file: c.file, label: c.summary.title }]);
      }
    }
    const intro = await Deno.readTextFile(join(SITE_DIR, "front.md"));
    await Deno.writeTextFile(
      join(work, "index.ipynb"),
      JSON.stringify(frontNotebook(chapters, intro)),
    );
    log(`rendering ${chapters.length + 1} pages with nbconvert ...`);
    await run("jupyter", [
      "nbconvert",
      "--to",
      "html",
      "--template",
      "course",
      `--TemplateExporter.extra_template_basedirs=${join(SITE_DIR, "templates")}`,
      "--output-dir",
      outDir,
      join(work, "index.ipynb"),
      ...chapters.map((c) => join(work, `${c.name}.ipynb`)),
    ]);
    const search: SearchDocument[] = [];
    const rendered: { file: string; html: string; top: string }[] = [];
    for (const page of pages.slice(0, chapters.length + 1)) {
      const path = join(outDir, page.file);
      let html = await Deno.readTextFile(path);
      const name = basename(page.file, ".html");
      const chapter = chapters.find((c) => c.file === page.file);
      // the notebooks link the built site as ../report/NAME; inside the site it is NAME
      const linksExplorer = html.includes('href="../report/explore.html"');
      html = html.replaceAll('href="../report/', 'href="');
      if (EXPLORER_LINKED.includes(name) && !linksExplorer) {
        html = afterFirstCell(
          html,
          `<aside class="course-callout"><p>Try it in the browser: the ` +
            `<a href="explore.html">soft-DTW explorer</a> recomputes the soft-DTW value and ` +
            `the expected alignment live while you move γ and the step weights, for a toy pair ` +
            `and for the course's followed training segment at epochs 1 and 161, with the CTC ` +
            `posterior of the same segment.</p></aside>`,
        );
      }
      if (chapter) {
        const refs = chapterReferencesHtml(citedIn(bibliography, chapter.markdown));
        html = html.replace("<!-- site:pager -->", () => `${refs}<!-- site:pager -->`);
      }
      const title = chapter ? chapter.summary.title : page.title;
      search.push(...searchDocuments(html, page.file, title));
      rendered.push({ file: page.file, html, top: chapter ? notebookToolsHtml(name) : "" });
    }
    for (const extra of EXTRA_PAGES) {
      if (extra.file === "explore.html") {
        log("explorer: recomputing the followed segment's network outputs ...");
      }
      const html = shellPage(
        extra,
        await extra.body({ outDir, pages, bibliography, citedBy }),
      );
      search.push(...searchDocuments(html, extra.file, extra.title));
      rendered.push({ file: extra.file, html, top: "" });
    }
    for (const r of rendered) {
      await Deno.writeTextFile(join(outDir, r.file), decorate(r.html, pages, r.file, r.top));
    }
    await Deno.writeTextFile(join(outDir, "search-data.js"), searchDataScript(search));
    await Deno.writeTextFile(
      join(outDir, SITE_MANIFEST),
      JSON.stringify({ builtBy: "tools/site/build.ts", files: await fileHashes(outDir) }, null, 1),
    );
    // again: it may have changed meanwhile
    const replaced = await checkSiteFolder(target, pageNames);
    await replaceEntries(staged, dirname(target), [basename(target)]);
    if (replaced > 0) log(`replaced the earlier build in ${target} (${replaced} files)`);
    return { outDir: target, pages, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
    await removeStaging(staged);
  }
}

if (import.meta.main) {
  const args = [...Deno.args];
  const p = args.indexOf("--plotly");
  const usage = (message: string) => {
    console.error(
      `site: ${message}\nusage: deno run -A tools/site/build.ts [--plotly FILE] [OUT_DIR]`,
    );
    Deno.exit(2);
  };
  if (p >= 0 && (p + 1 >= args.length || args[p + 1].startsWith("--"))) {
    usage("--plotly needs a file");
  }
  const plotly = p >= 0 ? resolve(args.splice(p, 2)[1]) : undefined;
  const unknown = args.find((a) => a.startsWith("--"));
  if (unknown) usage(`unknown option ${unknown}`);
  if (args.length > 1) usage(`one output folder expected, got ${args.length}`);
  const outDir = args[0] ? resolve(args[0]) : undefined;
  try {
    const site = await buildSite({ outDir, plotly, log: (m) => console.log(m) });
    console.log(
      `site: ${relative(Deno.cwd(), join(site.outDir, "index.html"))} (${site.pages.length} ` +
        `pages, ${site.seconds.toFixed(1)} s)`,
    );
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(1);
  }
}
