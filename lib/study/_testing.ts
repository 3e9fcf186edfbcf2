/**
 * Helpers of the file-safety tests (issue 17), shared by lib/study and tools/ tests; not
 * published (deno.json `publish.exclude`).
 *
 * @example
 * ```ts
 * import { treeSnapshot } from "./_testing.ts";
 * treeSnapshot(await Deno.makeTempDir()); // {}
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { billboardDir } from "../chords/data/billboard.ts";

/**
 * Every file below `dir` with its text (a symbolic link as `-> target`), for byte-identical
 * before/after comparisons.
 *
 * @example
 * ```ts
 * import { treeSnapshot } from "./_testing.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "a");
 * treeSnapshot(dir); // { "a.txt": "a" }
 * ```
 */
export function treeSnapshot(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of Deno.readDirSync(join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isSymlink) out[rel] = `-> ${Deno.readLinkSync(join(dir, rel))}`;
    else if (e.isDirectory) Object.assign(out, treeSnapshot(dir, rel));
    else out[rel] = Deno.readTextFileSync(join(dir, rel));
  }
  return out;
}

/**
 * Runs a Deno script (`deno run -A script ...args`, no colors) and returns its exit code and
 * standard error.
 *
 * @example
 * ```ts ignore
 * import { runScript } from "./_testing.ts";
 * (await runScript("tools/reproduce.ts", ["--runs", "0"])).code; // 2
 * ```
 */
export async function runScript(
  script: string,
  args: string[],
): Promise<{ code: number; stderr: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return { code: r.code, stderr: new TextDecoder().decode(r.stderr) };
}

/**
 * Whether the shared Billboard songs are there (`billboardDir()/index.csv`); when they are not,
 * prints once per caller which tests are ignored and where the data was looked for.
 *
 * @example
 * ```ts
 * import { billboardPresent } from "./_testing.ts";
 * const present = billboardPresent("my_test.ts");
 * ```
 */
export function billboardPresent(caller: string): boolean {
  const dir = billboardDir();
  try {
    if (Deno.statSync(join(dir, "index.csv")).isFile) return true;
  } catch { /* absent */ }
  console.log(
    `Billboard data not found in ${dir}: the tests of ${caller} that need it are ignored`,
  );
  return false;
}
