/**
 * One-off migration (issue 17): adds the integrity hash (`sealedJson` of lib/study/cache.ts) to
 * the committed cache files written before it existed, without retraining. Each file's JSON text
 * must be exactly what `JSON.stringify` gives for its parsed content (so the trained numbers are
 * byte-identical afterwards: the new file is the old text with one more field at the end, which
 * this script checks); files that already carry a hash are left as they are. All files of one
 * folder are replaced as one step.
 *
 * ```sh
 * deno run -A tools/seal_caches.ts results/cache results/gamma_sweep/cache \
 *   results/mp3-delay-0/cache
 * ```
 *
 * @example
 * ```ts ignore
 * import { sealFolder } from "./seal_caches.ts";
 * await sealFolder("results/cache");
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { INTEGRITY_FIELD, sealedJson, writeFilesAtomic } from "../lib/study/mod.ts";

/**
 * Seals every unsealed `*.json` of `dir`; returns the names of the files it changed.
 *
 * @example
 * ```ts ignore
 * import { sealFolder } from "./seal_caches.ts";
 * await sealFolder("results/cache"); // ["bce-e300-….json", …]
 * ```
 */
export async function sealFolder(dir: string): Promise<string[]> {
  const files: Record<string, string> = {};
  for await (const e of Deno.readDir(dir)) {
    if (!e.isFile || !e.name.endsWith(".json")) continue;
    const text = await Deno.readTextFile(join(dir, e.name));
    const value = JSON.parse(text);
    if (INTEGRITY_FIELD in value) continue;
    if (JSON.stringify(value) + "\n" !== text) {
      throw new Error(`${join(dir, e.name)}: not in JSON.stringify form, not sealing it`);
    }
    const sealed = await sealedJson(value);
    if (!sealed.startsWith(text.slice(0, -2))) {
      throw new Error(`${join(dir, e.name)}: sealing would change its content`);
    }
    files[e.name] = sealed;
  }
  await writeFilesAtomic(dir, files);
  return Object.keys(files).sort();
}

if (import.meta.main) {
  if (Deno.args.length === 0) {
    console.error("usage: deno run -A tools/seal_caches.ts CACHE_DIR...");
    Deno.exit(2);
  }
  for (const dir of Deno.args) {
    const sealed = await sealFolder(dir);
    console.log(`${dir}: sealed ${sealed.length} files`);
  }
}
