/**
 * Bundles a page script of the course site for the browser: `deno bundle --platform browser`
 * into one minified IIFE, so that a page loads it with a plain `<script>` from disk or over
 * HTTP. Used by `build.ts` (the explorer) and `recording_page.ts` (the "Your recording" page).
 *
 * @example
 * ```ts
 * import { bundlePageScript } from "./bundle.ts";
 * await bundlePageScript("tools/site/explore.ts", "/tmp/explore.js");
 * ```
 *
 * @module
 */
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Bundles `entry` (a path from the repository root, or absolute) into `outFile`. */
export async function bundlePageScript(entry: string, outFile: string): Promise<void> {
  const args = ["bundle", "--quiet", "--platform", "browser", "--format", "iife", "--minify"];
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...args, "-o", outFile, entry],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-20).join("\n");
    throw new Error(`deno bundle of ${entry} failed:\n${err}`);
  }
}
