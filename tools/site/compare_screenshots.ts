/// <reference lib="dom" />
/**
 * Compares two folders of page screenshots pixel by pixel (in headless Chromium, drawing both
 * PNGs on a canvas), to see what a change of a dependency changes on the pages, e.g. plotly.js 2
 * against 3:
 *
 * ```sh
 * deno run -A tools/site/build.ts --plotly OTHER/plotly.min.js /tmp/site-b
 * deno run -A tools/site/browser_check.ts report        # prints screenshots folder A
 * deno run -A tools/site/browser_check.ts /tmp/site-b   # prints screenshots folder B
 * deno run -A tools/site/compare_screenshots.ts A B
 * ```
 *
 * Prints, per page, the number of differing pixels and the rows they lie in.
 *
 * Used for the course site (the pages of notebooks/00_setup.ipynb to the last notebook).
 *
 * @example
 * ```ts
 * import { compareScreenshots } from "./compare_screenshots.ts";
 * const rows = await compareScreenshots("/tmp/shots-a", "/tmp/shots-b");
 * ```
 *
 * @module
 */
import { join, resolve } from "node:path";
import { makeTempDir } from "../../lib/study/files.ts";
import { launchChromium } from "./browser_check.ts";

/** The difference of one screenshot. */
export interface ScreenshotDiff {
  /** File name. */
  file: string;
  /** Pixels whose colour differs by more than 30 (sum over R, G, B), or -1 if sizes differ. */
  pixels: number;
  /** Total pixels. */
  total: number;
  /** First and last row with a difference (empty when none). */
  rows: [number, number] | [];
}

/**
 * Compares the PNG files present in both folders. Throws when Chromium cannot start.
 *
 * @example
 * ```ts
 * import { compareScreenshots } from "./compare_screenshots.ts";
 * (await compareScreenshots("/tmp/a", "/tmp/b")).filter((d) => d.pixels !== 0);
 * ```
 */
export async function compareScreenshots(a: string, b: string): Promise<ScreenshotDiff[]> {
  const dirA = resolve(a), dirB = resolve(b);
  const names = [...Deno.readDirSync(dirA)].map((e) => e.name)
    .filter((n) => n.endsWith(".png")).filter((n) => {
      try {
        return Deno.statSync(join(dirB, n)).isFile;
      } catch {
        return false;
      }
    }).sort();
  const profile = await makeTempDir({ prefix: "chromium-profile-" });
  const browser = await launchChromium(profile, ["--allow-file-access-from-files"]);
  try {
    const page = await browser.newPage();
    await page.goto(`file://${join(dirA, names[0] ?? "")}`);
    const out: ScreenshotDiff[] = [];
    for (const file of names) {
      const r = await page.evaluate(
        async (pa: string, pb: string) => {
          const load = (src: string) =>
            new Promise<HTMLImageElement>((done, fail) => {
              const img = new Image();
              img.onload = () => done(img);
              img.onerror = () => fail(new Error(`cannot load ${src}`));
              img.src = src;
            });
          const [ia, ib] = await Promise.all([load(pa), load(pb)]);
          const total = ia.width * ia.height;
          if (ia.width !== ib.width || ia.height !== ib.height) {
            return { pixels: -1, total, rows: [] as number[] };
          }
          const canvas = document.createElement("canvas");
          canvas.width = ia.width;
          canvas.height = ia.height;
          const ctx = canvas.getContext("2d")!;
          ctx.drawImage(ia, 0, 0);
          const da = ctx.getImageData(0, 0, ia.width, ia.height).data;
          ctx.clearRect(0, 0, ia.width, ia.height);
          ctx.drawImage(ib, 0, 0);
          const db = ctx.getImageData(0, 0, ia.width, ia.height).data;
          let pixels = 0, first = -1, last = -1;
          for (let i = 0; i < da.length; i += 4) {
            const d = Math.abs(da[i] - db[i]) + Math.abs(da[i + 1] - db[i + 1]) +
              Math.abs(da[i + 2] - db[i + 2]);
            if (d > 30) {
              pixels++;
              const row = Math.floor(i / 4 / ia.width);
              if (first < 0) first = row;
              last = row;
            }
          }
          return { pixels, total, rows: pixels > 0 ? [first, last] : [] };
        },
        `file://${join(dirA, file)}`,
        `file://${join(dirB, file)}`,
      );
      out.push({ file, ...r, rows: r.rows as [number, number] | [] });
    }
    return out;
  } finally {
    await browser.close();
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  if (Deno.args.length !== 2) {
    console.error("usage: deno run -A tools/site/compare_screenshots.ts FOLDER_A FOLDER_B");
    Deno.exit(2);
  }
  for (const d of await compareScreenshots(Deno.args[0], Deno.args[1])) {
    console.log(
      d.pixels < 0
        ? `${d.file}: sizes differ`
        : `${d.file}: ${d.pixels} of ${d.total} pixels differ` +
          (d.rows.length ? ` (rows ${d.rows[0]}-${d.rows[1]})` : ""),
    );
  }
}
