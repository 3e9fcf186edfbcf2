/// <reference lib="dom" />
/**
 * Reading and layout checks of one course page in the browser, each returning the problems it
 * finds as sentences (empty when all is well):
 *
 * - {@linkcode figureProblems}: every category axis labels each category it draws; no two axis
 *   titles, tick-label boxes or colour bars of a figure overlap; no title or panel title under
 *   plotly's toolbar; every heatmap with frames has them on the horizontal axis;
 * - {@linkcode tableProblems}: no table wider than its column;
 * - {@linkcode foldingProblems}: every code cell has a show/hide button, long import cells and
 *   reference solutions start folded, the buttons and "Hide all code" fold and unfold;
 * - {@linkcode phoneProblems}: at phone width (420 px) the header stays on one line with the
 *   whole title, nothing is wider than the screen, the page uses the width, and the contents
 *   menu opens from its button;
 * - {@linkcode searchProblems}: a query typed into the search box finds the page that holds it.
 *
 * Used by `tools/site/browser_check.ts` (`deno task test`) on every page of the site
 * (notebooks/00_setup.ipynb to the last one, the explorer and the references).
 *
 * @example
 * ```ts
 * import { launchChromium } from "./browser_check.ts";
 * import { tableProblems } from "./page_checks.ts";
 * const browser = await launchChromium(await Deno.makeTempDir());
 * const page = await browser.newPage();
 * await page.setContent("<main><table><tr><td>1</td></tr></table></main>");
 * await tableProblems(page, "x.html"); // []
 * await browser.close();
 * ```
 *
 * @module
 */
import type { Page } from "puppeteer-core";

/** Figures: category labels, overlaps, the toolbar, the orientation of heatmaps with frames. */
export async function figureProblems(page: Page, name: string): Promise<string[]> {
  const found = await page.evaluate(() => {
    type Box = { l: number; t: number; r: number; b: number; what: string };
    const out: string[] = [];
    const boxOf = (els: Element[], what: string): Box | null => {
      const rects = els.map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0);
      if (rects.length === 0) return null;
      return {
        l: Math.min(...rects.map((r) => r.left)),
        t: Math.min(...rects.map((r) => r.top)),
        r: Math.max(...rects.map((r) => r.right)),
        b: Math.max(...rects.map((r) => r.bottom)),
        what,
      };
    };
    const overlap = (a: Box, b: Box, slack = 1) =>
      Math.min(a.r, b.r) - Math.max(a.l, b.l) > slack &&
      Math.min(a.b, b.b) - Math.max(a.t, b.t) > slack;
    const plots = [...document.querySelectorAll<HTMLElement>(".js-plotly-plot")]
      .filter((d) => d.offsetWidth > 0);
    plots.forEach((gd, k) => {
      const fig = gd as HTMLElement & {
        data: Record<string, unknown>[];
        _fullLayout: Record<string, unknown>;
      };
      const titleText = (
        (fig._fullLayout.title as { text?: string } | undefined)?.text ?? ""
      ).slice(0, 50);
      const label = `figure ${k + 1}${titleText ? ` "${titleText}"` : ""}`;
      const layout = fig._fullLayout;
      const axes = Object.keys(layout).filter((a) => /^[xy]axis\d*$/.test(a));
      // 1. category axes: every drawn category has a tick label
      for (const axName of axes) {
        const ax = layout[axName] as { type?: string; _id?: string; visible?: boolean };
        if (ax.type !== "category" || ax.visible === false) continue;
        const id = ax._id!; // "x", "y2", ...
        const letter = id[0];
        const drawn = new Set<string>();
        for (const t of fig.data) {
          const ref = String(t[`${letter}axis`] ?? letter);
          if (ref !== id) continue;
          for (const v of (t[letter] as unknown[] | undefined) ?? []) {
            if (typeof v === "string") drawn.add(v);
          }
        }
        const ticks = new Set(
          [...gd.querySelectorAll(`g.${id}tick text`)].map((e) => (e.textContent ?? "").trim()),
        );
        const missing = [...drawn].filter((c) => !ticks.has(c));
        if (missing.length > 0) {
          out.push(
            `${label}: the category axis ${id} draws ${drawn.size} categories but leaves ` +
              `${missing.length} unlabelled (${missing.slice(0, 6).join(", ")})`,
          );
        }
      }
      // 2. overlaps: axis titles, tick labels (each one, by axis) and colour bars
      const boxes: (Box & { axis: string })[] = [];
      gd.querySelectorAll<SVGElement>("g.infolayer g[class$='title'] text").forEach((t) => {
        const cls = t.parentElement?.getAttribute("class") ?? "";
        if (!/^g-[xy]\d*title$/.test(cls) || !(t.textContent ?? "").trim()) return;
        const b = boxOf([t], `axis title "${(t.textContent ?? "").trim()}"`);
        if (b) boxes.push({ ...b, axis: `title ${cls}` });
      });
      for (const axName of axes) {
        const id = (layout[axName] as { _id?: string })._id!;
        gd.querySelectorAll(`g.${id}tick text`).forEach((t) => {
          const b = boxOf([t], `tick label "${(t.textContent ?? "").trim()}" of ${id}`);
          if (b) boxes.push({ ...b, axis: id });
        });
      }
      gd.querySelectorAll("g.colorbar").forEach((c, i) => {
        const b = boxOf([c], `colour bar ${i + 1}`);
        if (b) boxes.push({ ...b, axis: `colorbar ${i}` });
      });
      const seen = new Set<string>();
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          if (boxes[i].axis === boxes[j].axis || !overlap(boxes[i], boxes[j])) continue;
          const key = `${boxes[i].axis}|${boxes[j].axis}`;
          if (seen.has(key)) continue; // one message per pair of axes
          seen.add(key);
          out.push(`${label}: ${boxes[i].what} overlaps ${boxes[j].what}`);
        }
      }
      // 3. nothing titled under the toolbar
      const bar = boxOf([...gd.querySelectorAll(".modebar-container .modebar")], "toolbar");
      if (bar) {
        const titles = [
          ...gd.querySelectorAll("g.g-gtitle text, g.annotation text"),
        ];
        for (const t of titles) {
          const b = boxOf([t], `title "${(t.textContent ?? "").trim().slice(0, 40)}"`);
          if (b && overlap(b, bar)) out.push(`${label}: the toolbar covers the ${b.what}`);
        }
      }
      // 4. heatmaps with frames: frames across (x), as in every chapter and the explorer
      for (const t of fig.data) {
        if (t.type !== "heatmap") continue;
        const xa = layout[`xaxis${String(t.xaxis ?? "x").slice(1)}`] as
          | { title?: { text?: string } }
          | undefined;
        const ya = layout[`yaxis${String(t.yaxis ?? "y").slice(1)}`] as
          | { title?: { text?: string } }
          | undefined;
        const yt = ya?.title?.text ?? "", xt = xa?.title?.text ?? "";
        if (/\bframes?\b/i.test(yt) && !/\bframes?\b/i.test(xt)) {
          out.push(`${label}: a heatmap has frames on the vertical axis ("${yt}")`);
          break;
        }
      }
    });
    return out;
  });
  return found.map((p) => `${name}: ${p}`);
}

/** Tables: none wider than its column (no horizontal scrolling, nothing cut off). */
export async function tableProblems(page: Page, name: string): Promise<string[]> {
  const found = await page.evaluate(() => {
    const main = document.querySelector("main") ?? document.body;
    const right = main.getBoundingClientRect().right;
    return [...main.querySelectorAll("table")].filter((t) => (t as HTMLElement).offsetWidth > 0)
      .flatMap((t, k) => {
        const cap = (t.querySelector("caption")?.textContent ?? "").slice(0, 50);
        const wide = t.scrollWidth > t.clientWidth + 1 ||
          t.getBoundingClientRect().right > right + 1;
        return wide
          ? [
            `table ${k + 1}${cap ? ` "${cap}"` : ""} is wider than its column (` +
            `${t.scrollWidth} px in ${t.clientWidth} px)`,
          ]
          : [];
      });
  });
  return found.map((p) => `${name}: ${p}`);
}

/** Code folding: buttons on every code cell, folded defaults, per-cell and per-page toggles. */
export async function foldingProblems(page: Page, name: string): Promise<string[]> {
  const found = await page.evaluate(async () => {
    const out: string[] = [];
    const cells = [...document.querySelectorAll<HTMLElement>("main .jp-CodeCell")];
    if (cells.length === 0) return out;
    const hidden = (c: HTMLElement) =>
      (c.querySelector(":scope > .jp-Cell-inputWrapper") as HTMLElement).offsetHeight === 0;
    const lines = (c: HTMLElement) =>
      (c.querySelector(".jp-InputArea pre")?.textContent ?? "").replace(/\n+$/, "").split("\n");
    cells.forEach((c, i) => {
      const button = c.querySelector<HTMLButtonElement>(":scope > .code-toggle");
      if (!button) {
        out.push(`code cell ${i + 1} has no show/hide button`);
        return;
      }
      const solution = c.classList.contains("celltag_solution");
      const longImport = lines(c).length >= 8 && /^\s*import\b/.test(lines(c)[0]);
      if (hidden(c) !== (solution || longImport)) {
        out.push(
          `code cell ${i + 1} (${solution ? "solution" : longImport ? "long import" : "code"}) ` +
            `starts ${hidden(c) ? "folded" : "unfolded"}`,
        );
      }
    });
    const first = cells.find(hidden);
    if (first) {
      first.querySelector<HTMLButtonElement>(":scope > .code-toggle")!.click();
      if (hidden(first)) out.push("a folded cell's button does not show its code");
      first.querySelector<HTMLButtonElement>(":scope > .code-toggle")!.click();
    }
    const all = document.getElementById("toggle-all-code") as HTMLButtonElement | null;
    if (!all || all.hidden) {
      out.push('no "Hide all code" button');
    } else {
      all.click();
      if (!cells.every(hidden)) out.push('"Hide all code" leaves code shown');
      all.click();
      if (cells.some(hidden)) out.push('"Show all code" leaves code hidden');
    }
    // back to the defaults for the screenshot
    await new Promise((r) => setTimeout(r, 0));
    return out;
  });
  await page.reload({ waitUntil: "load" });
  return found.map((p) => `${name}: ${p}`);
}

/** Phone width: a one-line header with the whole title, no overflow, the contents menu. */
export async function phoneProblems(page: Page, name: string): Promise<string[]> {
  const found = await page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    const header = document.querySelector<HTMLElement>(".course-header");
    const title = document.querySelector<HTMLElement>(".course-header .course-title");
    if (!header || !title) return ["no header"];
    if (title.scrollWidth > title.clientWidth + 1) {
      out.push(`the header title is cut (${title.scrollWidth} px in ${title.clientWidth} px)`);
    }
    const lineHeight = parseFloat(getComputedStyle(title).lineHeight) ||
      1.3 * parseFloat(getComputedStyle(title).fontSize);
    if (title.getBoundingClientRect().height > 1.6 * lineHeight) {
      out.push("the header title wraps onto two lines");
    }
    if (document.documentElement.scrollWidth > vw + 1) {
      out.push(`the page is ${document.documentElement.scrollWidth} px wide on a ${vw} px screen`);
    }
    const main = document.querySelector("main");
    if (main && main.getBoundingClientRect().width < 0.9 * vw) {
      out.push(`the content uses ${Math.round(main.getBoundingClientRect().width)} of ${vw} px`);
    }
    const toc = document.querySelector<HTMLElement>(".course-toc");
    const button = document.querySelector<HTMLButtonElement>(".toc-toggle");
    if (!toc || !button || button.offsetWidth === 0) {
      out.push("no contents button");
    } else {
      if (toc.offsetHeight > 0) out.push("the contents are open before the button is pressed");
      button.click();
      if (toc.offsetHeight === 0) out.push("the contents button does not open the contents");
      button.click();
    }
    return out;
  });
  return found.map((p) => `${name} at ${page.viewport()?.width} px: ${p}`);
}

/**
 * Types each query into the search box and checks that a result links to the expected page.
 * Returns the problems and how many queries found their page.
 */
export async function searchProblems(
  page: Page,
  queries: { query: string; page: string }[],
): Promise<{ problems: string[]; found: number }> {
  const problems: string[] = [];
  let found = 0;
  for (const q of queries) {
    await page.click("#site-search", { count: 3 });
    await page.keyboard.press("Backspace");
    await page.type("#site-search", q.query);
    const hrefs = await page.waitForFunction(
      (query) => {
        const input = document.getElementById("site-search") as HTMLInputElement;
        const list = document.getElementById("search-results")!;
        if (input.value !== query || list.hidden || list.children.length === 0) return null;
        return [...list.querySelectorAll("a")].map((a) => a.getAttribute("href") ?? "");
      },
      { timeout: 10_000 },
      q.query,
    ).then((h) => h.jsonValue() as Promise<string[]>).catch(() => [] as string[]);
    if (hrefs.some((h) => h.split("#")[0] === q.page)) found++;
    else {
      problems.push(
        `search: "${q.query}" does not find ${q.page} (results: ${
          hrefs.slice(0, 4).join(", ") || "none"
        })`,
      );
    }
  }
  return { problems, found };
}
