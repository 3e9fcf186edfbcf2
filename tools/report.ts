/**
 * `deno task report`: the main job. Executes every notebook of `notebooks/` in order, in place
 * (each one type-checked first, each one failing loudly naming the cell), then builds the course
 * site in `report/` with `tools/site/build.ts`: a front page, one page per notebook, the soft-DTW
 * explorer, and every script they load (MathJax, plotly.js) copied inside the folder, so it
 * works copied anywhere and served over HTTP (open `report/index.html`).
 *
 * ```sh
 * deno task report                 # all notebooks
 * deno task report notebooks/01_dtw_vs_soft_dtw.ipynb   # executes this one; the site has all
 * ```
 *
 * @module
 */
import { join, relative } from "node:path";
import { buildSite } from "./site/build.ts";
import { listNotebooks, requireJupyter, ROOT, runInPlace, typecheck } from "./notebooks.ts";

const bad = Deno.args.find((a) => !a.endsWith(".ipynb"));
if (bad !== undefined) {
  console.error(
    `report: ${bad.startsWith("--") ? `unknown option ${bad}` : `not a notebook: ${bad}`}\n` +
      "usage: deno task report [NOTEBOOK.ipynb ...]",
  );
  Deno.exit(2);
}
try {
  await requireJupyter();
} catch (e) {
  console.error((e as Error).message);
  Deno.exit(1);
}
const notebooks = Deno.args.length > 0
  ? Deno.args.map((a) => a.startsWith("/") ? a : join(Deno.cwd(), a))
  : await listNotebooks();
const t0 = performance.now();
for (const [i, nb] of notebooks.entries()) {
  const t = performance.now();
  const name = relative(ROOT, nb);
  console.log(`[${i + 1}/${notebooks.length}] executing ${name} ...`);
  try {
    await typecheck(nb);
    await runInPlace(nb);
  } catch (e) {
    console.error(`FAILED ${name}\n${(e as Error).message}`);
    Deno.exit(1);
  }
  console.log(`      done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const tSite = performance.now();
try {
  const site = await buildSite({ log: (m) => console.log(`      ${m}`) });
  console.log(
    `course site: ${relative(ROOT, join(site.outDir, "index.html"))} (${site.pages.length} ` +
      `pages, ${((performance.now() - tSite) / 1000).toFixed(1)} s); check it with ` +
      "`deno run -A tools/site/browser_check.ts report`",
  );
} catch (e) {
  console.error(`FAILED building the site\n${(e as Error).message}`);
  Deno.exit(1);
}
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
