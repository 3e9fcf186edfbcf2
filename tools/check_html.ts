/**
 * Opens the exported HTML report in headless Chromium and checks that every plotly figure was
 * drawn (plotly.js marks a drawn figure's `<div>` with the class `js-plotly-plot`).
 *
 * ```sh
 * deno run -A tools/check_html.ts [report/01_....html ...]   # default: every page of report/
 * ```
 *
 * Needs Debian's `chromium` (`apt-get install -y chromium`).
 *
 * @module
 */
import { join } from "node:path";
import { REPORT_DIR } from "./notebooks.ts";

/** The result of checking one page. */
export interface PageCheck {
  /** The page's path. */
  page: string;
  /** Number of figures in the page. */
  figures: number;
  /** Number of figures plotly.js drew. */
  drawn: number;
}

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--allow-file-access-from-files",
  "--virtual-time-budget=20000",
  "--dump-dom",
];

/** Finds the Chromium binary, or throws naming the package that installs it. */
export function chromiumPath(): string {
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    try {
      Deno.statSync(p);
      return p;
    } catch { /* next */ }
  }
  throw new Error("Chromium is not installed: apt-get install -y chromium");
}

/** Counts the figures of a page and how many of them plotly.js drew in headless Chromium. */
export async function checkPage(page: string): Promise<PageCheck> {
  const html = await Deno.readTextFile(page);
  const figures = (html.match(/class="dchord-plotly"/g) ?? []).length;
  const profile = await Deno.makeTempDir({ prefix: "chromium-" });
  try {
    const out = await new Deno.Command(chromiumPath(), {
      args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, `file://${page}`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dom = new TextDecoder().decode(out.stdout);
    if (!out.success || !dom.includes("</html>")) {
      throw new Error(`${page}: Chromium did not render the page (exit ${out.code})`);
    }
    const drawn = (dom.match(/class="dchord-plotly js-plotly-plot"/g) ?? []).length;
    return { page, figures, drawn };
  } finally {
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const pages = Deno.args.length > 0 ? Deno.args : [...Deno.readDirSync(REPORT_DIR)]
    .filter((e) => e.name.endsWith(".html") && e.name !== "index.html")
    .map((e) => join(REPORT_DIR, e.name)).sort();
  if (pages.length === 0) {
    console.error("no HTML pages in report/: run `deno task report` first");
    Deno.exit(1);
  }
  let bad = 0;
  for (const page of pages) {
    const r = await checkPage(page.startsWith("/") ? page : join(Deno.cwd(), page));
    const ok = r.drawn === r.figures;
    if (!ok) bad++;
    console.log(`${ok ? "ok  " : "FAIL"}  ${page}: ${r.drawn} of ${r.figures} figures drawn`);
  }
  Deno.exit(bad === 0 ? 0 : 1);
}
