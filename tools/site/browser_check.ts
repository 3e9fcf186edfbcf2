/// <reference lib="dom" />
/**
 * Checks a built course site the way a reader meets it: copies the folder to a fresh temporary
 * folder, serves the copy with `Deno.serve` on 127.0.0.1, opens every page in headless Chromium
 * (Debian's `chromium`, driven over the DevTools protocol by `puppeteer-core`, which never
 * downloads a browser) and checks:
 *
 * - every plotly figure is drawn (an SVG with data in each figure `<div>`);
 * - every formula is typeset (MathJax output for every formula, no TeX error, no raw `$$` left);
 * - no console error, no failed request, no request outside the served folder;
 * - every link to a page of the site resolves (the file exists, and so does the `#anchor`);
 * - no `file://` and no script, style or font from the web in the pages (a grep of the files);
 * - figures (`page_checks.ts`): every category axis labels each category it draws, no two axis
 *   titles, tick-label boxes or colour bars overlap, no title under plotly's toolbar, frames on
 *   the horizontal axis of every heatmap; no table wider than its column;
 * - reading: every code cell can be folded (long import cells and reference solutions start
 *   folded; "Hide all code" works), every notebook page links its `.ipynb` download (a notebook
 *   file in the site) and its source, and its references on the references page, which holds
 *   every entry of `tools/site/bibliography.json` with its BibTeX and "cite this course";
 * - search: typing the first section heading of every chapter into the search box (on the
 *   front page) lists that chapter;
 * - phone width (420 px) and the system's dark theme: one-line header with the whole title,
 *   nothing wider than the screen, the content using the width, a contents menu that opens;
 *   dark page and figure backgrounds (screenshots `NAME-420.png`, `NAME-dark.png`,
 *   `NAME-420-dark.png`);
 * - on the explorer: every preset (soft-DTW, subsequence, partial matching, CTC) shows the value
 *   Deno computes and its own heatmap; moving the γ slider (keyboard) changes the heatmaps and the value, moving a
 *   step weight changes the value and the heatmap, and the page's soft-DTW and CTC values equal
 *   the values computed in Deno for the same example, γ and step weights (1e-9), for every
 *   example and at both ends of the γ slider.
 *
 * A screenshot of each page (the whole page, and its first screen as `NAME-top.png`) is saved
 * to a temporary folder, whose path is printed.
 *
 * ```sh
 * deno run -A tools/site/browser_check.ts [SITE_DIR]   # default report/ (after deno task report)
 * ```
 *
 * Used by `tools/site/site_test.ts` (part of `deno task test`), for the site of every notebook
 * (notebooks/00_setup.ipynb to the last one).
 *
 * @example
 * ```ts
 * import { checkSite } from "./browser_check.ts";
 * const report = await checkSite("report");
 * report.problems; // [] when all is well
 * ```
 *
 * @module
 */
// puppeteer-core is pinned once, in deno.json's imports (and tools/import_map_offline.json).
import puppeteer, { type Browser, type Page } from "puppeteer-core";
export type { Browser, Page };
import { extname, join, relative, resolve } from "node:path";
import { makeTempDir } from "../../lib/study/files.ts";
import { explore, EXPLORE_PRESETS, exploreCtc, type ExplorePreset } from "./explore_core.ts";
import type { ExplorerData } from "./explorer_data.ts";
import {
  figureProblems,
  foldingProblems,
  phoneProblems,
  searchProblems,
  tableProblems,
} from "./page_checks.ts";
import { loadBibliography } from "./references.ts";

/** Flags for Chromium: headless, no sandbox (root), nothing that talks to the network. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

/**
 * Finds Debian's Chromium, or throws naming the package that installs it.
 *
 * @example
 * ```ts
 * import { chromiumPath } from "./browser_check.ts";
 * chromiumPath(); // "/usr/bin/chromium"
 * ```
 */
export function chromiumPath(): string {
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    try {
      if (Deno.statSync(p).isFile) return p;
    } catch { /* next */ }
  }
  throw new Error("Chromium is not installed: apt-get install -y chromium");
}

/**
 * Starts Debian's Chromium headless with {@linkcode CHROMIUM_ARGS}, a fresh profile folder and
 * a 1280 × 900 viewport (the one place that starts the browser through puppeteer-core).
 *
 * @example
 * ```ts
 * import { launchChromium } from "./browser_check.ts";
 * const browser = await launchChromium(await Deno.makeTempDir());
 * await browser.close();
 * ```
 */
export async function launchChromium(profile: string, extraArgs: string[] = []): Promise<Browser> {
  return await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs, `--user-data-dir=${profile}`],
    defaultViewport: { width: 1280, height: 900 },
  });
}

/** What was found on one page. */
export interface PageReport {
  /** File name of the page. */
  page: string;
  /** Plotly figures on the page, and how many of them were drawn with data. */
  figures: { total: number; drawn: number };
  /** Formulas on the page, and how many of them MathJax typeset. */
  formulas: { total: number; typeset: number };
  /** Links to pages of the site that were checked. */
  links: number;
  /** The screenshot. */
  screenshot: string;
  /** Seconds to load and check. */
  seconds: number;
}

/** What {@linkcode checkSite} found. */
export interface SiteReport {
  /** One entry per page. */
  pages: PageReport[];
  /** Everything that is wrong, one sentence each (empty when all is well). */
  problems: string[];
  /** The folder with the screenshots. */
  screenshotDir: string;
  /** The explorer's values: page and Deno, for each setting tried. */
  explorer: { example: string; gamma: number; page: number; deno: number }[];
  /** Search queries typed (one per chapter) and how many listed their chapter. */
  search: { queries: number; found: number };
  /** Checks run per page besides loading: figures, tables, folding, phone width, dark theme. */
  checked: { figures: number; foldingPages: number; phonePages: number; darkPages: number };
}

/** Pages whose dark-theme screenshots are taken (desktop and 420 px). */
export const DARK_PAGES: readonly string[] = [
  "index.html",
  "02_gradient_expected_alignment.html",
  "03_dataset_padding.html",
  "04_strong_vs_soft_training.html",
  "07_stabilizing_and_ctc.html",
  "references.html",
];

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".woff": "font/woff",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    const a = join(from, e.name), b = join(to, e.name);
    if (e.isDirectory) await copyTree(a, b);
    else await Deno.copyFile(a, b);
  }
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) out.push(...await listFiles(p, base));
    else out.push(relative(base, p));
  }
  return out.sort();
}

/** Serves a folder on 127.0.0.1 (a free port); records every request that found no file. */
function serveFolder(root: string, missing: string[]): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    let path = decodeURIComponent(url.pathname);
    if (path.endsWith("/")) path += "index.html";
    const file = resolve(root, `.${path}`);
    if (!file.startsWith(root)) return new Response("forbidden", { status: 403 });
    try {
      const body = await Deno.readFile(file);
      return new Response(body, {
        headers: { "content-type": TYPES[extname(file)] ?? "application/octet-stream" },
      });
    } catch {
      missing.push(path);
      return new Response("not found", { status: 404 });
    }
  });
}

/**
 * Scripts, styles, fonts or images from outside the site, or `file://` paths, in the site's own
 * files (the pages, the style sheet, the explorer's script and data). The vendored libraries
 * (plotly.js, MathJax) mention URLs in code paths the pages never take; what they load at run
 * time is checked in the browser.
 *
 * @example
 * ```ts
 * import { staticProblems } from "./browser_check.ts";
 * await staticProblems("report"); // [] when no page loads anything from outside
 * ```
 */
export async function staticProblems(site: string): Promise<string[]> {
  const problems: string[] = [];
  for (const f of await listFiles(site)) {
    if (f.startsWith("mathjax/") || f === "plotly.min.js") continue;
    if (![".html", ".css", ".js"].includes(extname(f))) continue;
    const text = await Deno.readTextFile(join(site, f));
    if (text.includes("file://")) problems.push(`${f}: contains a file:// path`);
    const external = [
      ...text.matchAll(
        /<(?:script|img|iframe|source)\b[^>]*\bsrc\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/gi,
      ),
      ...text.matchAll(/<link\b[^>]*\bhref\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/gi),
      ...text.matchAll(/url\(\s*["']?((?:https?:)?\/\/[^"')]+)/gi),
      ...text.matchAll(/@import\s+(?:url\()?\s*["']?((?:https?:)?\/\/[^"')\s;]+)/gi),
    ].map((m) => m[1]);
    for (const u of new Set(external)) problems.push(`${f}: loads ${u} from outside the site`);
    for (const cdn of ["cdnjs.cloudflare.com", "cdn.jsdelivr.net", "unpkg.com", "cdn.plot.ly"]) {
      if (text.includes(cdn)) problems.push(`${f}: mentions the CDN ${cdn}`);
    }
  }
  return problems;
}

interface PageFacts {
  figures: { total: number; drawn: number; empty: string[] };
  formulas: { total: number; typeset: number; errors: number; raw: string[] };
  links: string[];
  ids: string[];
}

/** Waits for MathJax and plotly on the page, then collects what the checks need. */
async function pageFacts(page: Page): Promise<PageFacts> {
  await page.waitForFunction(
    () => {
      const w = globalThis as unknown as { MathJax?: { isReady?: boolean } };
      return w.MathJax?.isReady === true;
    },
    { timeout: 30_000 },
  );
  await page.evaluate(() =>
    new Promise<void>((done) => {
      const w = globalThis as unknown as {
        MathJax: { Hub: { Queue: (f: () => void) => void } };
      };
      w.MathJax.Hub.Queue(() => done());
    })
  );
  // figures: every plotly div carries plotly's class once drawn
  await page.waitForFunction(
    () => {
      const divs = [...document.querySelectorAll(".dchord-plotly, #heatmap, #ctc")]
        .filter((d) => !d.closest("[hidden]"));
      return divs.every((d) => d.classList.contains("js-plotly-plot"));
    },
    { timeout: 30_000 },
  ).catch(() => {/* reported below */});
  return await page.evaluate(() => {
    const divs = [...document.querySelectorAll<HTMLElement>(".dchord-plotly, #heatmap, #ctc")]
      .filter((d) => !d.closest("[hidden]"));
    const empty: string[] = [];
    let drawn = 0;
    for (const d of divs) {
      const gd = d as HTMLElement & { data?: unknown[] };
      const svg = d.querySelector("svg.main-svg");
      // a trace counts when it drew something: a path with a shape, or an image (heatmaps)
      const marks = [...d.querySelectorAll("svg.main-svg .trace, svg.main-svg .hm")].filter((t) =>
        t.querySelector('path[d]:not([d=""]):not([d="M0,0Z"]), image')
      ).length;
      if (svg && Array.isArray(gd.data) && gd.data.length > 0 && marks > 0) {
        drawn++;
      } else empty.push(d.id || "(no id)");
    }
    const scripts = document.querySelectorAll('script[type^="math/tex"]').length;
    const typeset = document.querySelectorAll(".MathJax_CHTML").length;
    const errors = document.querySelectorAll(".MathJax_Error, .mjx-merror, merror").length;
    const raw: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(".jp-RenderedHTMLCommon, main")) {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll("pre, code, script, style, .MathJax_CHTML, .jp-InputArea")
        .forEach((c) => c.remove());
      const text = copy.textContent ?? "";
      for (const m of text.matchAll(/\$\$|\\\(|\\\[|\$\\[a-zA-Z]/g)) {
        raw.push(text.slice(Math.max(0, m.index! - 30), m.index! + 30).replace(/\s+/g, " "));
      }
    }
    const links = [...document.querySelectorAll<HTMLAnchorElement>("a[href]")]
      .map((a) => a.getAttribute("href")!);
    const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
    return {
      figures: { total: divs.length, drawn, empty },
      formulas: { total: scripts, typeset, errors, raw: [...new Set(raw)].slice(0, 5) },
      links,
      ids,
    };
  });
}

/** The explorer's shown values and heatmaps (plotly's z data) right now. */
async function explorerState(page: Page) {
  return await page.evaluate(() => {
    const v = document.getElementById("value")!;
    const c = document.getElementById("ctc-value")!;
    const z = (id: string) => {
      const gd = document.getElementById(id) as HTMLElement & { data?: { z?: number[][] }[] };
      return JSON.stringify(gd.data?.[0]?.z ?? null);
    };
    return {
      value: Number(v.dataset.value),
      text: v.textContent ?? "",
      gamma: Number(v.dataset.gamma),
      weights: (v.dataset.weights ?? "").split(",").map(Number) as [number, number, number],
      example: v.dataset.example ?? "",
      preset: v.dataset.preset ?? "",
      z: z("heatmap"),
      ctcVisible: !document.getElementById("ctc-section")!.hidden,
      ctc: {
        value: Number(c.dataset.value),
        gamma: Number(c.dataset.gamma),
        example: c.dataset.example ?? "",
      },
      ctcZ: z("ctc"),
    };
  });
}

/** Reads the explorer's data file as the page does. */
async function readExplorerData(site: string): Promise<ExplorerData> {
  const text = await Deno.readTextFile(join(site, "explore-data.js"));
  const json = text.slice(text.indexOf("=") + 1).trim().replace(/;$/, "");
  return JSON.parse(json) as ExplorerData;
}

async function checkExplorer(
  page: Page,
  data: ExplorerData,
  problems: string[],
  values: SiteReport["explorer"],
): Promise<void> {
  const compare = async (what: string) => {
    const s = await explorerState(page);
    const example = data.examples.find((e) => e.id === s.example);
    if (!example) {
      problems.push(`explore.html (${what}): shows an unknown example "${s.example}"`);
      return s;
    }
    const preset = s.preset as ExplorePreset;
    const deno = explore(example, { gamma: s.gamma, stepWeights: s.weights, preset }).value;
    values.push({ example: `${s.example} (${preset})`, gamma: s.gamma, page: s.value, deno });
    if (!(Math.abs(s.value - deno) <= 1e-9)) {
      problems.push(
        `explore.html (${what}): the page shows ${s.value} for ${s.example} at γ = ${s.gamma}, ` +
          `step weights [${s.weights}], preset ${preset}, Deno computes ${deno}`,
      );
    }
    const ctc = exploreCtc(example, s.gamma);
    if ((ctc !== null) !== s.ctcVisible) {
      problems.push(`explore.html (${what}): CTC shown ${s.ctcVisible}, expected ${ctc !== null}`);
    } else if (ctc !== null) {
      values.push({
        example: `${s.example} (CTC)`,
        gamma: s.gamma,
        page: s.ctc.value,
        deno: ctc.value,
      });
      if (
        s.ctc.example !== s.example || s.ctc.gamma !== s.gamma ||
        !(Math.abs(s.ctc.value - ctc.value) <= 1e-9)
      ) {
        problems.push(
          `explore.html (${what}): the page shows CTC ${s.ctc.value} for ${s.ctc.example} at ` +
            `γ = ${s.ctc.gamma}, Deno computes ${ctc.value} for ${s.example} at γ = ${s.gamma}`,
        );
      }
    }
    return s;
  };
  const before = await compare("initial");
  await page.focus("#gamma");
  for (let k = 0; k < 8; k++) await page.keyboard.press("ArrowRight");
  const after = await compare("after moving γ");
  if (after.gamma === before.gamma) problems.push("explore.html: the γ slider did not change γ");
  if (after.value === before.value) {
    problems.push("explore.html: moving γ left the value as it was");
  }
  if (after.text === before.text) problems.push("explore.html: moving γ left the shown value");
  if (after.z === before.z) problems.push("explore.html: moving γ left the heatmap as it was");
  if (before.ctcVisible && after.ctcZ === before.ctcZ) {
    problems.push("explore.html: moving γ left the CTC posterior as it was");
  }
  // a step weight: the diagonal weight up by 20 steps of 0.05
  await page.focus("#w-diag");
  for (let k = 0; k < 20; k++) await page.keyboard.press("ArrowRight");
  const weighted = await compare("after moving the diagonal weight");
  if (weighted.weights[2] === after.weights[2]) {
    problems.push("explore.html: the diagonal weight slider did not change the weight");
  }
  if (weighted.value === after.value || weighted.z === after.z) {
    problems.push("explore.html: moving a step weight left the value or the heatmap as it was");
  }
  for (const ex of data.examples) {
    await page.select("#example", ex.id);
    await compare(`example ${ex.id}`);
  }
  // every preset on the followed segment (it has a chord sequence, so CTC runs too)
  const followed = data.examples.find((e) => e.id.startsWith("segment-")) ?? data.examples[0];
  await page.select("#example", followed.id);
  const soft = await compare("soft-DTW on the followed segment");
  for (const p of EXPLORE_PRESETS.slice(1)) {
    await page.select("#preset", p.id);
    const other = await compare(`preset ${p.id}`);
    if (other.preset !== p.id) {
      problems.push(`explore.html: the preset menu did not select ${p.id}`);
    }
    if (other.z === soft.z) {
      problems.push(`explore.html: preset ${p.id} left the heatmap as it was`);
    }
  }
  await page.select("#preset", "softDtw");
  await page.focus("#gamma");
  await page.keyboard.press("Home");
  await compare("smallest γ");
  await page.keyboard.press("End");
  await compare("largest γ");
  // back to the page's starting state for the screenshot
  await page.reload({ waitUntil: "load" });
  await pageFacts(page);
}

/** Options of {@linkcode checkSite}. */
export interface CheckOptions {
  /** Where to save the screenshots (default: a new temporary folder). */
  screenshotDir?: string;
  /** Progress messages (default: none). */
  log?: (message: string) => void;
}

/**
 * Copies the site to a temporary folder, serves it and checks every page in headless Chromium
 * (see the module doc). Returns the problems found; throws only when Chromium cannot start.
 *
 * @example
 * ```ts
 * import { checkSite } from "./browser_check.ts";
 * const { problems, screenshotDir } = await checkSite("report");
 * ```
 */
export async function checkSite(siteDir: string, options: CheckOptions = {}): Promise<SiteReport> {
  const log = options.log ?? (() => {});
  const source = resolve(siteDir);
  const files = await listFiles(source).catch(() => [] as string[]);
  const pages = files.filter((f) => f.endsWith(".html") && !f.includes("/"));
  const problems: string[] = [];
  if (!pages.includes("index.html")) {
    return {
      pages: [],
      problems: [`${siteDir}: no index.html (build the site first: deno task report)`],
      screenshotDir: "",
      explorer: [],
      search: { queries: 0, found: 0 },
      checked: { figures: 0, foldingPages: 0, phonePages: 0, darkPages: 0 },
    };
  }
  problems.push(...await staticProblems(source));
  const copy = await makeTempDir({ prefix: "site-copy-" });
  const profile = await makeTempDir({ prefix: "chromium-profile-" });
  const screenshotDir = options.screenshotDir ??
    await makeTempDir({ prefix: "site-screenshots-" });
  await Deno.mkdir(screenshotDir, { recursive: true });
  await copyTree(source, copy);
  const missing: string[] = [];
  const server = serveFolder(copy, missing);
  const origin = `http://127.0.0.1:${server.addr.port}`;
  const reports: PageReport[] = [];
  const explorerValues: SiteReport["explorer"] = [];
  const checked = { figures: 0, foldingPages: 0, phonePages: 0, darkPages: 0 };
  const queries: { query: string; page: string }[] = [];
  let search = { queries: 0, found: 0 };
  let browser: Browser | undefined;
  try {
    browser = await launchChromium(profile);
    const idsOf = new Map<string, string[]>();
    const linksOf = new Map<string, string[]>();
    for (const name of pages) {
      const t0 = performance.now();
      const page = await browser.newPage();
      const errors: string[] = [];
      const outside: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(`console error: ${m.text()}`);
      });
      page.on("pageerror", (e) => errors.push(`uncaught: ${(e as Error).message}`));
      page.on("requestfailed", (r) => {
        if (r.url().startsWith(origin)) {
          errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
        }
      });
      await page.setRequestInterception(true);
      page.on("request", (r) => {
        const u = r.url();
        if (u.startsWith(`${origin}/`) || u.startsWith("data:") || u.startsWith("blob:")) {
          r.continue();
        } else {
          outside.push(u);
          r.abort();
        }
      });
      try {
        await page.goto(`${origin}/${name}`, { waitUntil: "load", timeout: 30_000 });
        const facts = await pageFacts(page);
        if (facts.figures.drawn !== facts.figures.total) {
          problems.push(
            `${name}: ${facts.figures.drawn} of ${facts.figures.total} figures drawn ` +
              `(empty: ${facts.figures.empty.join(", ")})`,
          );
        }
        if (facts.formulas.typeset !== facts.formulas.total) {
          problems.push(
            `${name}: ${facts.formulas.typeset} of ${facts.formulas.total} formulas typeset`,
          );
        }
        if (facts.formulas.errors > 0) {
          problems.push(`${name}: ${facts.formulas.errors} formulas with a TeX error`);
        }
        for (const r of facts.formulas.raw) problems.push(`${name}: raw TeX left: "${r}"`);
        idsOf.set(name, facts.ids);
        linksOf.set(name, facts.links);
        if (name === "explore.html") {
          await checkExplorer(page, await readExplorerData(copy), problems, explorerValues);
        }
        problems.push(...await figureProblems(page, name), ...await tableProblems(page, name));
        checked.figures += facts.figures.total;
        if (/^\d\d_/.test(name)) {
          problems.push(...await chapterProblems(page, name, copy));
          problems.push(...await foldingProblems(page, name));
          await pageFacts(page);
          checked.foldingPages++;
          const first = await page.evaluate(() =>
            document.querySelector("main .jp-RenderedHTMLCommon h2")?.textContent
              ?.replace(/¶/g, "").trim() ?? ""
          );
          if (first) queries.push({ query: first, page: name });
        }
        const shot = join(screenshotDir, name.replace(/\.html$/, ".png"));
        await page.evaluate(() => globalThis.scrollTo(0, 0));
        await page.screenshot({ path: shot.replace(/\.png$/, "-top.png") as `${string}.png` });
        await page.screenshot({ path: shot as `${string}.png`, fullPage: true });
        // the same page at phone width, then (for some pages) in the dark theme: plotly
        // figures relayout as the page does for a reader who resizes or switches themes
        await page.setViewport({ width: 420, height: 900 });
        await settle(page);
        problems.push(...await phoneProblems(page, name));
        checked.phonePages++;
        await page.screenshot({ path: shot.replace(/\.png$/, "-420.png") as `${string}.png` });
        if (DARK_PAGES.includes(name)) {
          await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "dark" }]);
          await settle(page);
          problems.push(...await darkProblems(page, name));
          checked.darkPages++;
          await page.screenshot({
            path: shot.replace(/\.png$/, "-420-dark.png") as `${string}.png`,
          });
          await page.setViewport({ width: 1280, height: 900 });
          await settle(page);
          await page.screenshot({ path: shot.replace(/\.png$/, "-dark.png") as `${string}.png` });
        }
        reports.push({
          page: name,
          figures: { total: facts.figures.total, drawn: facts.figures.drawn },
          formulas: { total: facts.formulas.total, typeset: facts.formulas.typeset },
          links: 0,
          screenshot: shot,
          seconds: (performance.now() - t0) / 1000,
        });
        log(
          `${name}: ${facts.figures.drawn}/${facts.figures.total} figures, ` +
            `${facts.formulas.typeset}/${facts.formulas.total} formulas ` +
            `(${((performance.now() - t0) / 1000).toFixed(1)} s)`,
        );
      } catch (e) {
        problems.push(`${name}: ${(e as Error).message.split("\n")[0]}`);
      }
      for (const e of errors) problems.push(`${name}: ${e}`);
      for (const u of new Set(outside)) problems.push(`${name}: requested ${u} (outside the site)`);
      await page.close();
    }
    problems.push(...await referencesProblems(browser, origin));
    // search, from the front page: each chapter's first section heading finds the chapter
    {
      const page = await browser.newPage();
      await page.goto(`${origin}/index.html`, { waitUntil: "load" });
      const r = await searchProblems(page, queries);
      problems.push(...r.problems);
      search = { queries: queries.length, found: r.found };
      await page.screenshot({ path: join(screenshotDir, "search.png") as `${string}.png` });
      await page.close();
    }
    // every link to the site resolves: the file exists and so does the anchor
    for (const report of reports) {
      const links = linksOf.get(report.page) ?? [];
      for (const href of links) {
        const url = new URL(href, `${origin}/${report.page}`);
        if (url.origin !== origin) continue;
        report.links++;
        const target = decodeURIComponent(url.pathname.slice(1)) || "index.html";
        if (!files.includes(target)) {
          problems.push(`${report.page}: link ${href} points to a missing file`);
          continue;
        }
        // nbconvert writes heading ids percent-encoded; a browser accepts either form
        const anchor = url.hash.slice(1);
        const ids = idsOf.get(target);
        if (anchor && ids && !ids.includes(anchor) && !ids.includes(decodeURIComponent(anchor))) {
          problems.push(`${report.page}: link ${href} points to a missing anchor`);
        }
      }
    }
  } finally {
    await browser?.close().catch(() => {});
    await server.shutdown();
    await Deno.remove(copy, { recursive: true }).catch(() => {});
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
  for (const m of new Set(missing)) {
    problems.push(`a page requested ${m}, which is not in the site`);
  }
  return { pages: reports, problems, screenshotDir, explorer: explorerValues, search, checked };
}

/** Lets the page react to a new viewport or colour scheme (plotly relayouts, fonts). */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() =>
    new Promise<void>((done) => requestAnimationFrame(() => setTimeout(() => done(), 400)))
  );
}

/** A notebook page: its download (a notebook in the site), its source, its references. */
async function chapterProblems(page: Page, name: string, site: string): Promise<string[]> {
  const out: string[] = [];
  const base = name.replace(/\.html$/, "");
  const links = await page.evaluate(() => ({
    download: document.querySelector("a.tool-download")?.getAttribute("href") ?? "",
    downloadAttr: document.querySelector("a.tool-download")?.getAttribute("download") ?? null,
    source: document.querySelector("a.tool-source")?.getAttribute("href") ?? "",
    refs: [...document.querySelectorAll(".chapter-references a.ref-link")]
      .map((a) => a.getAttribute("href") ?? ""),
  }));
  if (links.download !== `notebooks/${base}.ipynb` || links.downloadAttr !== `${base}.ipynb`) {
    out.push(`${name}: no "Download .ipynb" link to notebooks/${base}.ipynb`);
  } else {
    try {
      const nb = JSON.parse(await Deno.readTextFile(join(site, links.download)));
      if (nb.nbformat !== 4 || !Array.isArray(nb.cells) || nb.cells.length === 0) {
        out.push(`${name}: ${links.download} is not a notebook`);
      }
    } catch (e) {
      out.push(`${name}: ${links.download} cannot be read: ${(e as Error).message}`);
    }
  }
  if (links.source !== `source/${base}.ts.txt`) {
    out.push(`${name}: no "View source" link to source/${base}.ts.txt`);
  } else if ((await Deno.readTextFile(join(site, links.source)).catch(() => "")).length === 0) {
    out.push(`${name}: ${links.source} is empty or missing`);
  }
  if (links.refs.length === 0) out.push(`${name}: links no reference`);
  for (const r of links.refs) {
    if (!/^references\.html#[a-z0-9]+$/.test(r)) out.push(`${name}: reference link ${r}`);
  }
  return out;
}

/** The references page: every bibliography entry with text and BibTeX; cite this course. */
async function referencesProblems(browser: Browser, origin: string): Promise<string[]> {
  const entries = await loadBibliography();
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/references.html`, { waitUntil: "load" });
    const shown = await page.evaluate(() => ({
      entries: [...document.querySelectorAll("li.ref-entry")].map((li) => ({
        id: li.id,
        text: li.querySelector(".ref-text")?.textContent ?? "",
        bibtex: li.querySelector(".ref-bibtex pre")?.textContent ?? "",
      })),
      cite: document.querySelector("pre.cite-course")?.textContent ?? "",
    }));
    const out: string[] = [];
    for (const e of entries) {
      const s = shown.entries.find((x) => x.id === e.key);
      if (!s) out.push(`references.html: no entry ${e.key}`);
      else if (!s.text.includes(e.title) || !s.bibtex.startsWith(`@${e.type}{${e.key},`)) {
        out.push(`references.html: entry ${e.key} lacks its title or its BibTeX`);
      }
    }
    if (!shown.cite.startsWith("@misc{")) out.push("references.html: no 'cite this course'");
    return out;
  } finally {
    await page.close();
  }
}

/** The dark theme: a dark page, figures on a transparent background with light text. */
async function darkProblems(page: Page, name: string): Promise<string[]> {
  const found = await page.evaluate(() => {
    const out: string[] = [];
    const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: string) => {
      const [r, g, b] = rgb(c);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    const bg = getComputedStyle(document.body).backgroundColor;
    if (lum(bg) > 0.3) out.push(`the page background is light (${bg})`);
    const text = getComputedStyle(document.querySelector("main") ?? document.body).color;
    if (lum(text) < 0.6) out.push(`the text is dark (${text})`);
    for (const gd of document.querySelectorAll(".js-plotly-plot")) {
      const l =
        (gd as HTMLElement & { _fullLayout: { paper_bgcolor: string; font: { color: string } } })
          ._fullLayout;
      if (lum(l.font.color) < 0.6 || !/rgba\(0, ?0, ?0, ?0\)|transparent/.test(l.paper_bgcolor)) {
        out.push(`a figure keeps the light theme (${l.paper_bgcolor}, text ${l.font.color})`);
        break;
      }
    }
    return out;
  });
  return found.map((p) => `${name} (dark): ${p}`);
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? "report";
  const t0 = performance.now();
  const r = await checkSite(dir, { log: (m) => console.log(m) });
  for (const p of r.problems) console.log(`FAIL  ${p}`);
  console.log(`screenshots: ${r.screenshotDir}`);
  console.log(
    `${r.pages.length} pages checked in ${((performance.now() - t0) / 1000).toFixed(1)} s, ` +
      `${r.problems.length} problems`,
  );
  Deno.exit(r.problems.length === 0 ? 0 : 1);
}
