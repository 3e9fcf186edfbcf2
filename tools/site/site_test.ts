/**
 * The course site in a browser (part of `deno task test`): builds the site from the committed
 * (executed) notebooks into a temporary folder with `tools/site/build.ts`, the same builder as
 * `deno task report` without re-executing the notebooks, then checks a copy of it served over
 * HTTP in headless Chromium with `tools/site/browser_check.ts` and prints where the screenshots
 * are.
 *
 * Needs Jupyter's nbconvert, Debian's `chromium` and `libjs-mathjax` (what `.ci/run` installs).
 * Covers every notebook page (notebooks/00_setup.ipynb to the last one), the front page and the
 * explorer.
 *
 * @module
 */
import { assertEquals } from "@std/assert";
import { join } from "node:path";
import { buildSite } from "./build.ts";
import { checkSite } from "./browser_check.ts";
import { notebookSummary, pagerHtml, type SitePage, tocHtml } from "./pages.ts";
import { explore, GAMMA_STEPS, gammaAt, positionOf } from "./explore_core.ts";
import { bruteForceSoftDtw } from "../../lib/align/mod.ts";

Deno.test("course site: every page draws, typesets, links and stays inside the folder", async () => {
  const out = await Deno.makeTempDir({ prefix: "site-test-" });
  try {
    const t0 = performance.now();
    const site = await buildSite({ outDir: join(out, "report") });
    const t1 = performance.now();
    const report = await checkSite(site.outDir);
    const t2 = performance.now();
    console.log(
      `site built in ${((t1 - t0) / 1000).toFixed(1)} s, checked in ${
        ((t2 - t1) / 1000).toFixed(1)
      } s: ${
        report.pages.map((p) =>
          `${p.page} ${p.figures.drawn}/${p.figures.total} figures ` +
          `${p.formulas.typeset}/${p.formulas.total} formulas`
        ).join("; ")
      }`,
    );
    console.log(`screenshots of every page: ${report.screenshotDir}`);
    assertEquals(report.problems, []);
    assertEquals(report.pages.map((p) => p.page).sort(), site.pages.map((p) => p.file).sort());
    // the explorer was compared with Deno (1e-9) before and after moving γ, for every example
    // and at both ends of the slider
    assertEquals(report.explorer.length >= 5, true);
  } finally {
    await Deno.remove(out, { recursive: true }).catch(() => {});
  }
});

Deno.test("notebookSummary takes the title and the first paragraph, running on into a list", () => {
  const s = notebookSummary({
    cells: [
      { cell_type: "code", source: "1" },
      {
        cell_type: "markdown",
        source: ["# 02 · The title\n", "\n", "First line\nsecond.\n\nMore.\n"],
      },
    ],
  });
  assertEquals(s, {
    title: "02 · The title",
    number: "02",
    name: "The title",
    intro: "First line\nsecond.",
  });
  const list = notebookSummary({
    cells: [{
      cell_type: "markdown",
      source: "# Plain\n\nThis notebook\n\n1. does a\n2. does b\n\nEnd.",
    }],
  });
  assertEquals(list.intro, "This notebook\n\n1. does a\n2. does b");
  assertEquals(list.number, "");
});

Deno.test("notebookSummary names a notebook without a title", () => {
  let message = "";
  try {
    notebookSummary({ cells: [{ cell_type: "markdown", source: "no heading" }] }, "nb.ipynb");
  } catch (e) {
    message = (e as Error).message;
  }
  assertEquals(message, "nb.ipynb: the first markdown cell must start with a '# ' heading");
});

Deno.test("table of contents marks the current page; pager links the neighbours", () => {
  const pages: SitePage[] = [
    { file: "index.html", title: "Introduction", number: "" },
    { file: "01_a.html", title: "A", number: "01" },
    { file: "explore.html", title: "Explorer", number: "" },
  ];
  const toc = tocHtml(pages, "01_a.html", [{ id: "s1", title: "Part" }]);
  assertEquals((toc.match(/aria-current="page"/g) ?? []).length, 1);
  assertEquals(toc.includes('<a href="#s1">Part</a>'), true);
  const pager = pagerHtml(pages, "01_a.html");
  assertEquals(pager.includes('rel="prev" href="index.html"'), true);
  assertEquals(pager.includes('rel="next" href="explore.html"'), true);
  assertEquals(pagerHtml(pages, "index.html").includes('rel="prev"'), false);
});

Deno.test("explorer: γ slider is log-uniform from 0.001 to 10 and finds its way back", () => {
  assertEquals(gammaAt(0), 0.001);
  assertEquals(gammaAt(GAMMA_STEPS), 10);
  assertEquals(gammaAt(GAMMA_STEPS / 2), 0.1);
  for (const g of [0.001, 0.01, 0.3, 1, 10]) {
    assertEquals(Math.abs(gammaAt(positionOf(g)) / g - 1) < 0.012, true);
  }
});

Deno.test("explorer: the value is soft-DTW by brute force over every alignment", () => {
  const example = { x: [[0], [2], [1]], y: [[0], [1]] };
  for (const gamma of [0.01, 0.3, 3]) {
    const r = explore(example, { gamma, stepWeights: [1, 1, 1] });
    const cost = example.x.map(([a]) => example.y.map(([b]) => (a - b) ** 2));
    const truth = bruteForceSoftDtw(cost, { gamma }).value;
    assertEquals(Math.abs(r.value - truth) < 1e-12, true);
  }
});
