/**
 * Checks the course site in headless Chromium. Run as a script it checks the site that
 * `deno task report` built (or another folder) with the full browser check of
 * `tools/site/browser_check.ts` (served over HTTP from a copy: figures, formulas, console,
 * requests, links, the explorer; screenshots of every page):
 *
 * ```sh
 * deno run -A tools/check_html.ts [SITE_DIR]   # default report/
 * ```
 *
 * {@linkcode checkPage} is the older single-page check (a page opened from disk, figures drawn
 * or not), kept for callers of that function.
 *
 * Needs Debian's `chromium` (`apt-get install -y chromium`).
 *
 * @module
 */
import { REPORT_DIR } from "./notebooks.ts";
import { checkSite } from "./site/browser_check.ts";

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

/**
 * Finds the Chromium binary, or throws naming the package that installs it.
 *
 * @example
 * ```ts
 * import { chromiumPath } from "./check_html.ts";
 * chromiumPath(); // "/usr/bin/chromium"
 * ```
 */
export function chromiumPath(): string {
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    try {
      Deno.statSync(p);
      return p;
    } catch { /* next */ }
  }
  throw new Error("Chromium is not installed: apt-get install -y chromium");
}

/**
 * Counts the figures of a page and how many of them plotly.js drew in headless Chromium (the
 * page opened from disk).
 *
 * @example
 * ```ts
 * import { checkPage } from "./check_html.ts";
 * const { figures, drawn } = await checkPage("/path/to/report/01_dtw_vs_soft_dtw.html");
 * ```
 */
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
  const r = await checkSite(Deno.args[0] ?? REPORT_DIR, { log: (m) => console.log(m) });
  for (const p of r.problems) console.log(`FAIL  ${p}`);
  console.log(`screenshots: ${r.screenshotDir}`);
  console.log(`${r.pages.length} pages checked, ${r.problems.length} problems`);
  Deno.exit(r.problems.length === 0 ? 0 : 1);
}
