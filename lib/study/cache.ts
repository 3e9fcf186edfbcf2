/**
 * The study's result cache: one data fingerprint, one SHA-256 helper, JSON cache files read with
 * their shape checked and written atomically.
 *
 * - {@linkcode dataFingerprint}: SHA-256 of the data a training sees (chroma and frame labels of
 *   the training, validation and test segments, as loaded). Of the two fingerprints the study had
 *   (the bytes of the files named by `metadata.json`, and the parsed segments) this one is kept:
 *   it covers exactly what the computation depends on (the files version missed FMP's simplified
 *   excerpt annotation, which gives the test labels), it works for data that do not come from
 *   files, and workers that receive the data (not a path) can be keyed by it.
 * - {@linkcode writeFileAtomic}: a temporary file beside the target, then a rename, so an
 *   interrupted write never leaves a truncated cache or result file.
 * - {@linkcode readCacheFile}: `null` for a missing file, an error naming the file for invalid
 *   JSON or a content of the wrong shape (a cache file must never be silently misread).
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb and notebooks/05_gamma_sweep.ipynb (through
 * `runExperiment` and `runGammaSweep`) and by tools/reproduce.ts.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./cache.ts";
 * (await sha256Hex("abc")).slice(0, 8); // "ba7816bf"
 * ```
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import type { Segment } from "../chords/data/dataset.ts";

/**
 * SHA-256 of a string (UTF-8) or bytes, as 64 lowercase hex digits.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (through the cache keys).
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./cache.ts";
 * await sha256Hex(""); // "e3b0c442…b855"
 * ```
 */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The data a training depends on: training, validation and test segments. */
export interface FingerprintData {
  /** Training segments. */
  train: readonly Segment[];
  /** Validation segments. */
  validation: readonly Segment[];
  /** The test segment. */
  test: Segment;
}

/**
 * The fingerprint of the data (see the module doc): SHA-256 (64 hex digits) of the chroma and
 * frame labels of the training, validation and test segments, in order.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb and notebooks/05_gamma_sweep.ipynb (cache
 * keys).
 *
 * @example
 * ```ts
 * import { dataFingerprint } from "./cache.ts";
 * import { loadSplits } from "./data.ts";
 * (await dataFingerprint(await loadSplits())).length; // 64
 * ```
 */
export async function dataFingerprint(data: FingerprintData): Promise<string> {
  if (!data || !Array.isArray(data.train) || !Array.isArray(data.validation) || !data.test) {
    throw new TypeError("dataFingerprint: expected { train, validation, test } segments");
  }
  const strip = (s: Segment) => [s.chroma, s.labels];
  return await sha256Hex(
    JSON.stringify([data.train.map(strip), data.validation.map(strip), strip(data.test)]),
  );
}

/**
 * Writes a text file atomically: into a temporary file in the same folder, then renamed over the
 * target (a rename within one file system is atomic), so readers see the old or the new content,
 * never a part. Creates the folder. The temporary file is removed when the write fails.
 *
 * Used by tools/reproduce.ts and the caches of notebooks/04_strong_vs_soft_training.ipynb.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./cache.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/a.json`, "{}\n");
 * ```
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  try {
    await Deno.writeTextFile(tmp, text);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/**
 * Reads a JSON cache file: `null` when it does not exist; an error naming the file when it is not
 * valid JSON (e.g. truncated) or when `check` finds a problem with its content (`check` returns a
 * description of the problem, or `null` when the content has the expected shape).
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb and notebooks/05_gamma_sweep.ipynb (through
 * `runExperiment` and `runGammaSweep`).
 *
 * @example
 * ```ts
 * import { readCacheFile } from "./cache.ts";
 * const hasKey = (v: unknown) =>
 *   typeof (v as { key?: unknown })?.key === "string" ? null : "no key";
 * await readCacheFile<{ key: string }>("results/cache/none.json", hasKey); // null
 * ```
 */
export async function readCacheFile<T>(
  path: string,
  check: (value: unknown) => string | null = () => null,
): Promise<T | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `cache file ${path} is not valid JSON (${(e as Error).message}); delete it to recompute`,
    );
  }
  const problem = check(value);
  if (problem !== null) {
    throw new Error(`cache file ${path} has the wrong shape (${problem}); delete it to recompute`);
  }
  return value as T;
}

/**
 * Removes the JSON files of `dir` for which `isCurrent` (given the parsed content) is false, and
 * those that are not valid JSON. Returns the removed file names, sorted; a missing folder removes
 * nothing.
 *
 * Used by tools/reproduce.ts (`--fresh`).
 *
 * @example
 * ```ts
 * import { pruneFiles } from "./cache.ts";
 * await pruneFiles("/nonexistent", () => true); // []
 * ```
 */
export async function pruneFiles(
  dir: string,
  isCurrent: (value: unknown) => boolean,
): Promise<string[]> {
  const removed: string[] = [];
  let entries: Deno.DirEntry[] = [];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return removed;
    throw e;
  }
  for (const entry of entries) {
    if (!entry.isFile || !entry.name.endsWith(".json")) continue;
    const path = join(dir, entry.name);
    let current = false;
    try {
      current = isCurrent(JSON.parse(await Deno.readTextFile(path)));
    } catch {
      current = false;
    }
    if (!current) {
      await Deno.remove(path);
      removed.push(entry.name);
    }
  }
  return removed.sort();
}
