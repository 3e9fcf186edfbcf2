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
import { assertEquals, assertThrows } from "@std/assert";
import { join } from "node:path";
import { buildSite, SITE_MANIFEST } from "./build.ts";
import { checkSite } from "./browser_check.ts";
import { notebookSummary, pagerHtml, type SitePage, tocHtml } from "./pages.ts";
import {
  ctcInputs,
  explore,
  exploreCtc,
  GAMMA_STEPS,
  gammaAt,
  positionOf,
  type StepWeights,
  weightedDtw,
} from "./explore_core.ts";

Deno.test("course site: every page draws, typesets, links and stays inside the folder", async () => {
  const out = await Deno.makeTempDir({ prefix: "site-test-" });
  try {
    // an earlier build (unchanged: its manifest lists its one page) is replaced as a whole; the
    // file beside it is untouched
    const old = new TextEncoder().encode("<html>an earlier build</html>\n");
    await Deno.mkdir(join(out, "report"));
    await Deno.writeFile(join(out, "report", "stale.html"), old);
    const hash = Array.from(
      new Uint8Array(await crypto.subtle.digest("SHA-256", old)),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("");
    await Deno.writeTextFile(
      join(out, "report", SITE_MANIFEST),
      JSON.stringify({ files: { "stale.html": hash } }),
    );
    await Deno.writeTextFile(join(out, "sentinel.txt"), "not the site's\n");
    const t0 = performance.now();
    const site = await buildSite({ outDir: join(out, "report") });
    const t1 = performance.now();
    assertEquals(await Deno.readTextFile(join(out, "sentinel.txt")), "not the site's\n");
    assertEquals([...Deno.readDirSync(out)].map((e) => e.name).sort(), ["report", "sentinel.txt"]);
    assertEquals(
      [...Deno.readDirSync(site.outDir)].some((e) => e.name === "stale.html"),
      false,
      "the earlier build was replaced, not merged",
    );
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
    // search found every chapter by its first section heading; the reading and layout checks
    // ran on every chapter, at phone width on every page and in the dark theme
    const chapters = site.pages.filter((p) => /^\d\d_/.test(p.file)).length;
    assertEquals(report.search, { queries: chapters, found: chapters });
    assertEquals(report.checked.foldingPages, chapters);
    assertEquals(report.checked.phonePages, site.pages.length);
    assertEquals(report.checked.darkPages >= 5, true);
    assertEquals(report.checked.figures >= 40, true);
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

Deno.test("explorer: the γ slider steps from 0.001 to 10 on a log scale through 0.3", () => {
  assertEquals(gammaAt(0), 0.001);
  assertEquals(gammaAt(GAMMA_STEPS), 10);
  for (const g of [0.001, 0.01, 0.1, 0.3, 1, 10]) assertEquals(gammaAt(positionOf(g)), g);
  for (let k = 1; k <= GAMMA_STEPS; k++) {
    const ratio = gammaAt(k) / gammaAt(k - 1);
    assertEquals(ratio > 1.15 && ratio < 1.34, true, `step ${k}: ratio ${ratio}`);
  }
});

/** Every warping path of an M × N grid, as lists of [row, column] and the step entering each. */
function warpingPaths(M: number, N: number): { cells: [number, number][]; steps: number[] }[] {
  const out: { cells: [number, number][]; steps: number[] }[] = [];
  const walk = (cells: [number, number][], steps: number[]) => {
    const [i, j] = cells[cells.length - 1];
    if (i === M - 1 && j === N - 1) {
      out.push({ cells: [...cells], steps: [...steps] });
      return;
    }
    // step kinds: 0 = row step (i + 1), 1 = column step (j + 1), 2 = diagonal
    const moves: [number, number, number][] = [[i + 1, j, 0], [i, j + 1, 1], [i + 1, j + 1, 2]];
    for (const [a, b, kind] of moves) {
      if (a < M && b < N) walk([...cells, [a, b]], [...steps, kind]);
    }
  };
  walk([[0, 0]], [2]); // the first cell is entered diagonally from the virtual origin
  return out;
}

Deno.test("explorer: value and DTW path are those of brute force over every weighted path", () => {
  const example = { x: [[0], [2], [1], [3]], y: [[0], [1], [3]] };
  const cost = example.x.map(([a]) => example.y.map(([b]) => (a - b) ** 2));
  const paths = warpingPaths(cost.length, cost[0].length);
  assertEquals(paths.length, 25); // the Delannoy number D(3, 2)
  for (const w of [[1, 1, 1], [1, 1, 2], [2, 0.5, 1], [0, 1, 3]] as StepWeights[]) {
    const costs = paths.map((p) =>
      p.cells.reduce((s, [i, j], k) => s + w[p.steps[k]] * cost[i][j], 0)
    );
    const best = Math.min(...costs);
    for (const gamma of [0.01, 0.3, 3]) {
      const truth = best -
        gamma * Math.log(costs.reduce((s, c) => s + Math.exp(-(c - best) / gamma), 0));
      const r = explore(example, { gamma, stepWeights: w });
      assertEquals(Math.abs(r.value - truth) < 1e-10, true, `w = ${w}, γ = ${gamma}`);
      assertEquals(r.dtwValue, best);
      const pathCost = r.path.reduce((s, [i, j], k) => {
        const [pi, pj] = k === 0 ? [-1, -1] : r.path[k - 1];
        const kind = i - pi === 1 && j - pj === 1 ? 2 : i - pi === 1 ? 0 : 1;
        return s + w[kind] * cost[i][j];
      }, 0);
      assertEquals(pathCost, best);
    }
  }
});

Deno.test("explorer: CTC at γ = 1 is −log of the summed probability of every labeling", () => {
  // 3 frames, the chord sequence C (class 0) then G (class 7): CTC classes 1 and 8, blank 0
  const probs = [0.5, 0.2, 0.3].map((c, t) =>
    Array.from(
      { length: 24 },
      (_, k) => k === 0 ? c : k === 7 ? 0.6 - c + 0.1 * t : (0.4 - 0.1 * t) / 22, // sums to 1
    )
  );
  const example = { x: probs, labels: [0, 0, 7, 7] };
  const inputs = ctcInputs(example)!;
  assertEquals(inputs.labels, [1, 8]);
  // every labeling of 3 frames by the 25 classes that collapses to [1, 8]
  let total = 0;
  for (let a = 0; a < 25; a++) {
    for (let b = 0; b < 25; b++) {
      for (let c = 0; c < 25; c++) {
        const collapsed = [a, b, c].filter((k, t, all) => k !== 0 && (t === 0 || all[t - 1] !== k));
        if (collapsed.join() === "1,8") {
          total += Math.exp(inputs.logProbs[0][a] + inputs.logProbs[1][b] + inputs.logProbs[2][c]);
        }
      }
    }
  }
  const r = exploreCtc(example, 1)!;
  assertEquals(
    Math.abs(r.value - -Math.log(total)) < 1e-12,
    true,
    `${r.value} vs ${-Math.log(total)}`,
  );
  assertEquals(r.extended, [0, 1, 0, 8, 0]);
  assertEquals(exploreCtc({ x: probs }, 1), null);
});

Deno.test("explorer presets: subsequence is the best DTW over frame ranges at small γ; CTC equals ctcAlignment", () => {
  const example = {
    x: [[0, 1], [1, 0], [0, 1], [1, 0], [1, 0]],
    y: [[1, 0], [0, 1]],
  };
  const w: [number, number, number] = [1, 1, 1];
  // hard subsequence value: the best DTW of the target against any range of frames
  const cost = example.x.map((a) => example.y.map((b) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2));
  let best = Infinity;
  for (let a = 0; a < cost.length; a++) {
    for (let b = a; b < cost.length; b++) {
      best = Math.min(best, weightedDtw(cost.slice(a, b + 1), w).value);
    }
  }
  const sub = explore(example, { gamma: 0.3, stepWeights: w, preset: "subsequence" });
  assertEquals(sub.dtwValue, best);
  assertEquals(sub.path.length > 0, true);
  // partial matching: the best ordered subset of cells with cost below the threshold, here -1 each
  const pm = explore(example, { gamma: 0.3, stepWeights: w, preset: "partialMatching" });
  assertEquals(pm.dtwValue, -2); // two matches in order: frame 1 with element 0, frame 2 with 1
  const p = Array.from({ length: 24 }, (_, k) => (k === 0 ? 0.5 : 0.5 / 23));
  const seg = { x: [p, p, p, p], y: [[1]], labels: [0, 5] };
  const ctc = explore(seg, { gamma: 1, stepWeights: w, preset: "ctc" });
  assertEquals(Math.abs(ctc.value - exploreCtc(seg, 1)!.value) < 1e-12, true);
  assertEquals(ctc.extended, [0, 1, 0, 6, 0]);
  assertThrows(
    () => explore(example, { gamma: 1, stepWeights: w, preset: "ctc" }),
    RangeError,
    "chord sequence",
  );
});
