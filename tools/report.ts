/**
 * `deno task report`: the main job. Executes every notebook of `notebooks/` in order, in place
 * (each one type-checked first, each one failing loudly naming the cell), then exports a
 * browsable HTML copy of the whole report to `report/` (open `report/index.html`; plotly.js is
 * copied beside the pages, so it works offline).
 *
 * ```sh
 * deno task report                 # all notebooks
 * deno task report notebooks/01_dtw_vs_soft_dtw.ipynb
 * ```
 *
 * @module
 */
import { join, relative } from "node:path";
import {
  exportHtml,
  listNotebooks,
  requireJupyter,
  ROOT,
  runInPlace,
  typecheck,
} from "./notebooks.ts";

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
const pages = await exportHtml(notebooks);
console.log(
  `HTML report: ${relative(ROOT, join(ROOT, "report", "index.html"))} (${pages.length} pages)`,
);
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
