/**
 * Safe writing for the tools that write into the repository (`deno task reproduce`,
 * `build-data`, `build-wasm`, `notebooks run`, the course site): the rules of issue 17 in one
 * place.
 *
 * - Never through a symbolic link: {@linkcode assertNoSymlinks} refuses a path below a given
 *   folder when any part of it (below that folder) is a symbolic link, so a `cache/` that links
 *   elsewhere is an error, not a way to write or delete outside the folder the user gave.
 * - All or nothing: {@linkcode writeFilesAtomic} replaces several files as one step (each new
 *   content staged first, every old file moved aside, rolled back when any step fails), and
 *   {@linkcode replaceEntries} does the same for whole folders.
 * - Staging where a crash leaves nothing in the repository: {@linkcode stagingDir} makes a
 *   temporary folder in the system's temporary directory when it is on the same file system as
 *   the target (a rename then moves it in), otherwise a hidden folder beside the target whose
 *   name starts with `.staging-` (ignored by git) and which holds a marker file; a later
 *   {@linkcode stagingDir} removes such leftovers, only when their marker is present and older
 *   than six hours (a younger one may be a run going on).
 * - Clear errors: {@linkcode makeTempDir} names the folder it could not create a temporary folder
 *   in (Deno's own message only says "tmpdir").
 *
 * Used by tools/reproduce.ts, tools/build_data.ts, tools/build_wasm.ts, tools/notebooks.ts and
 * tools/site/build.ts, and by the caches of lib/study (cache.ts).
 *
 * @example
 * ```ts
 * import { writeFilesAtomic } from "./files.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFilesAtomic(dir, { "a.txt": "a\n", "b/c.txt": "c\n" });
 * ```
 *
 * @module
 */
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** The name of the marker file of a hidden staging folder ({@linkcode stagingDir}). */
export const STAGING_MARKER = ".staging-of-diffalign";

/** Prefix of hidden staging folders beside a target ({@linkcode stagingDir}). */
export const STAGING_PREFIX = ".staging-";

async function lstatOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/**
 * Refuses `path` (an error naming the link) when it is not inside `root` or when it, or any
 * folder between `root` and it, is a symbolic link. Parts that do not exist yet are fine (they
 * will be created as real folders). `root` itself may be a link: it is the folder the user gave.
 *
 * @example
 * ```ts
 * import { assertNoSymlinks } from "./files.ts";
 * const root = await Deno.makeTempDir();
 * await assertNoSymlinks(root, `${root}/cache/a.json`); // ok: nothing there yet
 * ```
 */
export async function assertNoSymlinks(root: string, path: string): Promise<void> {
  const rel = relative(resolve(root), resolve(path));
  if (rel.startsWith("..") || isAbsolute(rel)) {
    throw new Error(`${path} is not inside ${root}`);
  }
  let at = resolve(root);
  for (const part of rel.split(sep).filter((p) => p.length > 0)) {
    at = join(at, part);
    const info = await lstatOrNull(at);
    if (info === null) return;
    if (info.isSymlink) {
      throw new Error(
        `${at} is a symbolic link: refusing to write or delete through it (it may point ` +
          `outside ${root}); replace it by a real folder or file`,
      );
    }
  }
}

/**
 * Creates a temporary folder like `Deno.makeTempDir`, but an error names the folder it tried to
 * create it in (and `TMPDIR` when set), instead of Deno's "…: tmpdir".
 *
 * @example
 * ```ts
 * import { makeTempDir } from "./files.ts";
 * const dir = await makeTempDir({ prefix: "demo-" });
 * ```
 */
export async function makeTempDir(options: Deno.MakeTempOptions = {}): Promise<string> {
  try {
    return await Deno.makeTempDir(options);
  } catch (e) {
    let tmp = options.dir;
    if (tmp === undefined) {
      try {
        tmp = Deno.env.get("TMPDIR") || "/tmp";
      } catch {
        tmp = "the system's temporary directory";
      }
    }
    throw new Error(
      `cannot create a temporary folder in ${tmp} (${
        (e as Error).message.replace(/: tmpdir$/, "")
      })` +
        `; set TMPDIR to a writable folder`,
    );
  }
}

/**
 * A fresh staging folder from which entries can be renamed into `targetDir` (same file system):
 * in the system's temporary directory when that is on the file system of `targetDir`, otherwise
 * a hidden folder `.staging-<random>` beside `targetDir`'s entries (in `targetDir` itself),
 * holding a marker file. Leftovers of crashed runs beside the target (hidden staging folders with
 * a marker older than six hours) are removed first. Remove the folder with {@linkcode removeStaging}.
 *
 * @example
 * ```ts
 * import { removeStaging, stagingDir } from "./files.ts";
 * const target = await Deno.makeTempDir();
 * const staged = await stagingDir(target);
 * await removeStaging(staged);
 * ```
 */
export async function stagingDir(targetDir: string): Promise<string> {
  await Deno.mkdir(targetDir, { recursive: true });
  await removeLeftovers(targetDir);
  const tmp = await makeTempDir({ prefix: "diffalign-staging-" });
  try {
    if ((await Deno.stat(tmp)).dev === (await Deno.stat(targetDir)).dev) return tmp;
  } catch { /* fall through to the hidden folder */ }
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
  const dir = await makeTempDir({ dir: targetDir, prefix: STAGING_PREFIX });
  await Deno.writeTextFile(join(dir, STAGING_MARKER), "staging folder of a diffalign tool\n");
  return dir;
}

/** Age (ms) after which a marked staging folder is a leftover: no tool stages for that long. */
const LEFTOVER_AGE = 6 * 3600 * 1000;

/**
 * Removes hidden staging folders of crashed runs in `dir`: only those with the marker, and only
 * when the marker is older than {@linkcode LEFTOVER_AGE} (a younger one may belong to a run going
 * on right now, in this process or another).
 */
async function removeLeftovers(dir: string): Promise<void> {
  for await (const e of Deno.readDir(dir)) {
    if (!e.isDirectory || !e.name.startsWith(STAGING_PREFIX)) continue;
    const path = join(dir, e.name);
    const marker = await lstatOrNull(join(path, STAGING_MARKER));
    if (marker?.isFile && Date.now() - (marker.mtime?.getTime() ?? Date.now()) > LEFTOVER_AGE) {
      await Deno.remove(path, { recursive: true });
    }
  }
}

/**
 * Removes a staging folder made by {@linkcode stagingDir} (never fails).
 *
 * @example
 * ```ts
 * import { removeStaging, stagingDir } from "./files.ts";
 * await removeStaging(await stagingDir(await Deno.makeTempDir()));
 * ```
 */
export async function removeStaging(dir: string): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}

/** A test hook: called before each rename of a swap (throwing simulates a failed rename). */
export type SwapHook = (step: { from: string; to: string }) => void;

/**
 * Moves the entries `names` of `staged` into `targetDir` as one step: every existing entry of
 * the same name is first moved aside (into `staged`), then the new ones moved in; when any
 * rename fails, everything done is undone (the old entries are back, the new ones back in
 * `staged`) and the error is thrown. The old entries are left in `staged/.old/` for the caller
 * to remove with the staging folder. Nothing is followed through a symbolic link: an entry of
 * `targetDir` that is a link is refused before anything moves.
 *
 * @example
 * ```ts
 * import { replaceEntries, stagingDir } from "./files.ts";
 * const target = await Deno.makeTempDir();
 * const staged = await stagingDir(target);
 * await Deno.mkdir(`${staged}/chroma`);
 * await replaceEntries(staged, target, ["chroma"]);
 * ```
 */
export async function replaceEntries(
  staged: string,
  targetDir: string,
  names: readonly string[],
  hook?: SwapHook,
): Promise<void> {
  for (const name of names) {
    if ((await lstatOrNull(join(targetDir, name)))?.isSymlink) {
      throw new Error(`${join(targetDir, name)} is a symbolic link: refusing to replace it`);
    }
    if (!await lstatOrNull(join(staged, name))) {
      throw new Error(`replaceEntries: ${name} is not in the staging folder ${staged}`);
    }
  }
  const old = join(staged, ".old");
  await Deno.mkdir(old, { recursive: true });
  const done: { from: string; to: string }[] = [];
  const move = async (from: string, to: string) => {
    hook?.({ from, to });
    await Deno.rename(from, to);
    done.push({ from, to });
  };
  try {
    for (const name of names) {
      if (await lstatOrNull(join(targetDir, name))) {
        await move(join(targetDir, name), join(old, name));
      }
    }
    for (const name of names) await move(join(staged, name), join(targetDir, name));
  } catch (e) {
    const failed: string[] = [];
    for (const { from, to } of done.reverse()) {
      try {
        await Deno.rename(to, from);
      } catch {
        failed.push(`${to} -> ${from}`);
      }
    }
    if (failed.length > 0) {
      throw new Error(
        `replacing ${names.join(", ")} in ${targetDir} failed (${(e as Error).message}) and ` +
          `could not be fully undone: move back by hand ${failed.join("; ")}`,
      );
    }
    throw new Error(
      `replacing ${names.join(", ")} in ${targetDir} failed, nothing was changed: ` +
        (e as Error).message,
    );
  }
}

/**
 * Writes files `{ relative path: content }` into `dir` as one step ({@linkcode replaceEntries}
 * per file): all are written to a staging folder first, then moved in, with every old file
 * moved aside and restored when anything fails. Refuses a path that leaves `dir` or goes through
 * a symbolic link below it. Creates the folders. Returns the written paths.
 *
 * @example
 * ```ts
 * import { writeFilesAtomic } from "./files.ts";
 * const dir = await Deno.makeTempDir();
 * (await writeFilesAtomic(dir, { "a.txt": "a\n" })).length; // 1
 * ```
 */
export async function writeFilesAtomic(
  dir: string,
  files: Record<string, string | Uint8Array>,
  hook?: SwapHook,
): Promise<string[]> {
  const entries = Object.entries(files);
  for (const [name] of entries) await assertNoSymlinks(dir, join(dir, name));
  // one staging folder per target folder (a rename moves within one file system)
  const byDir = new Map<string, [string, string | Uint8Array][]>();
  for (const [name, content] of entries) {
    const target = join(dir, name);
    const list = byDir.get(dirname(target)) ?? [];
    list.push([basename(target), content]);
    byDir.set(dirname(target), list);
  }
  const staged = new Map<string, string>();
  try {
    for (const [target, list] of byDir) {
      const s = await stagingDir(target);
      staged.set(target, s);
      for (const [name, content] of list) {
        if (typeof content === "string") await Deno.writeTextFile(join(s, name), content);
        else await Deno.writeFile(join(s, name), content);
      }
    }
    // all-or-nothing across folders: a failure in a later folder undoes the earlier ones
    const swapped: string[] = [];
    try {
      for (const [target, list] of byDir) {
        await replaceEntries(staged.get(target)!, target, list.map(([n]) => n), hook);
        swapped.push(target);
      }
    } catch (e) {
      for (const target of swapped.reverse()) {
        const s = staged.get(target)!;
        for (const [name] of byDir.get(target)!) {
          await Deno.rename(join(target, name), join(s, name)).catch(() => {});
          await Deno.rename(join(s, ".old", name), join(target, name)).catch(() => {});
        }
      }
      throw e;
    }
  } finally {
    for (const s of staged.values()) await removeStaging(s);
  }
  return entries.map(([name]) => join(dir, name));
}
