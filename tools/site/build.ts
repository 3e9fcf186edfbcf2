/**
 * Builds the course site: a self-contained static folder (by default `report/`) with a front
 * page, one page per notebook of notebooks/, the soft-DTW explorer (`explore.html`), and every
 * script the pages need copied inside it (MathJax from Debian's `libjs-mathjax`, plotly.js from
 * the project's npm package, the explorer's bundle of `lib/align`), all referenced by relative
 * paths. It works opened from any folder and served over HTTP.
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
  mathjaxHtml,
  type NotebookLike,
  type NotebookSummary,
  notebookSummary,
  pagerHtml,
  REPORT_CITATION,
  sectionsOf,
  type SitePage,
  tocHtml,
} from "./pages.ts";
import { explorerData } from "./explorer_data.ts";
import { RECORDING_TITLE, recordingBody, recordingShell } from "./recording_page.ts";

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
  /** Output folder (default `report/`): missing, empty, or an earlier build (which is replaced);
   * any other folder is refused. */
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
 * Empties the output folder before a build, but only when it is missing, empty or holds nothing
 * but what a site build (or the older flat HTML export) writes: pages, scripts, the style sheet
 * and `mathjax/`. A wrong path never deletes anything else.
 */
async function clearSiteFolder(outDir: string): Promise<void> {
  const foreign: string[] = [];
  let any = false;
  try {
    for await (const e of Deno.readDir(outDir)) {
      any = true;
      const ours = e.isFile ? /\.(html|js|css)$/.test(e.name) : e.name === "mathjax";
      if (!ours) foreign.push(e.name);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (foreign.length > 0) {
    throw new Error(
      `${outDir} holds files a site build does not write (${foreign.slice(0, 3).join(", ")}): ` +
        "choose an empty or new folder",
    );
  }
  if (any) await Deno.remove(outDir, { recursive: true });
  await Deno.mkdir(outDir, { recursive: true });
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
}

/** Fills the `<!-- site:* -->` markers that the course template leaves in a page. */
function decorate(html: string, pages: SitePage[], file: string, top = ""): string {
  const fill = (marker: string, value: string) => {
    if (!html.includes(`<!-- site:${marker} -->`)) {
      throw new Error(`${file}: the page has no <!-- site:${marker} --> marker (template?)`);
    }
    html = html.replace(`<!-- site:${marker} -->`, () => value);
  };
  fill("mathjax", mathjaxHtml());
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
  ];
  return {
    cells,
    metadata: { title: `${COURSE_TITLE} · ${COURSE_SUBTITLE}` },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** Bundles the explorer (its page script with `lib/align`) for the browser. */
async function bundleExplorer(outDir: string): Promise<void> {
  await run(Deno.execPath(), [
    "bundle",
    "--quiet",
    "--platform",
    "browser",
    "--format",
    "iife",
    "--minify",
    "-o",
    join(outDir, "explore.js"),
    join(SITE_DIR, "explore.ts"),
  ]);
}

/** The explorer page: the course shell around `tools/site/explore.html`. */
async function explorerPage(): Promise<string> {
  const body = await Deno.readTextFile(join(SITE_DIR, "explore.html"));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Soft-DTW explorer · ${escapeHtml(COURSE_TITLE)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="site.css">
<!-- site:mathjax -->
</head>
<body class="course-page explorer-page">
<!-- site:header -->
<div class="course-layout">
<!-- site:toc -->
<main class="course-main">
<!-- site:top -->
${body}
<script src="plotly.min.js"></script>
<script src="explore-data.js"></script>
<script src="explore.js"></script>
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
  await clearSiteFolder(outDir);
  await copyAssets(outDir, options.plotly);

  const work = await Deno.makeTempDir({ prefix: "site-" });
  try {
    const chapters: { file: string; name: string; summary: NotebookSummary }[] = [];
    for (const nb of notebooks) {
      const name = basename(nb, ".ipynb");
      const content = JSON.parse(await Deno.readTextFile(nb)) as NotebookLike & {
        metadata?: Record<string, unknown>;
      };
      const summary = notebookSummary(content, relative(ROOT, nb));
      content.metadata = { ...content.metadata, title: `${summary.title} · ${COURSE_TITLE}` };
      await Deno.writeTextFile(join(work, `${name}.ipynb`), JSON.stringify(content));
      chapters.push({ file: `${name}.html`, name, summary });
    }
    const pages: SitePage[] = [
      { file: "index.html", title: "Introduction", number: "" },
      ...chapters.map((c) => ({ file: c.file, title: c.summary.name, number: c.summary.number })),
      { file: "explore.html", title: "Soft-DTW explorer", number: "" },
      { file: "recording.html", title: RECORDING_TITLE, number: "" },
    ];
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
    for (const page of pages.slice(0, -2)) { // the notebook pages (not the last two)
      const path = join(outDir, page.file);
      let html = await Deno.readTextFile(path);
      const name = basename(page.file, ".html");
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
      await Deno.writeTextFile(path, decorate(html, pages, page.file));
    }

    log("explorer: recomputing the followed segment's network outputs ...");
    const data = await explorerData();
    await Deno.writeTextFile(
      join(outDir, "explore-data.js"),
      `window.EXPLORER_DATA = ${JSON.stringify(data)};\n`,
    );
    await bundleExplorer(outDir);
    await Deno.writeTextFile(
      join(outDir, "explore.html"),
      decorate(await explorerPage(), pages, "explore.html"),
    );
    log("recording page: bundling the library and the default model ...");
    await Deno.writeTextFile(
      join(outDir, "recording.html"),
      decorate(recordingShell(await recordingBody(outDir)), pages, "recording.html"),
    );
    return { outDir, pages, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const args = [...Deno.args];
  const p = args.indexOf("--plotly");
  const plotly = p >= 0 ? resolve(args.splice(p, 2)[1]) : undefined;
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
