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
 * - {@linkcode writeFileAtomic}: staged outside the folder, then a rename, so an interrupted
 *   write never leaves a truncated cache or result file.
 * - {@linkcode sealedJson} and {@linkcode readCacheFile}: every cache file carries an integrity
 *   hash of its content; the reader returns `null` for a missing file and an error naming the
 *   file for invalid JSON, a missing or wrong hash, or a content of the wrong shape (a cache file
 *   must never be silently misread). The callers also compare the stored key and data
 *   fingerprint with the ones they expect.
 * - {@linkcode pruneFiles}: deletes only stale files it can prove this library wrote.
 *
 * Used by `runExperiment` (lib/study/experiment.ts), `runGammaSweep` (lib/study/sweep.ts) and
 * by tools/reproduce.ts.
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
import { writeFilesAtomic } from "./files.ts";

/**
 * SHA-256 of a string (UTF-8) or bytes, as 64 lowercase hex digits.
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
 * Writes a text file atomically: staged outside the folder ({@linkcode writeFilesAtomic} of
 * files.ts), then renamed over the target (a rename within one file system is atomic), so readers
 * see the old or the new content, never a part. Creates the folder; refuses a target that is a
 * symbolic link. Nothing is left behind when the write fails.
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
  await writeFilesAtomic(dirname(path), { [basename(path)]: text });
}

/** The field of a cache file that holds its integrity hash ({@linkcode sealedJson}). */
export const INTEGRITY_FIELD = "integrity";

/**
 * The JSON text of a cache entry with its integrity hash: `value` serialized, with one more
 * field `integrity: "sha256-<hex>"` at the end, the SHA-256 of the JSON text of `value` (without
 * that field). {@linkcode readCacheFile} recomputes it, so an edited or damaged file is refused.
 * Non-finite numbers are stored as JSON `null` (as `JSON.stringify` does); readers revive the
 * ones that may be NaN (a standard deviation of one run).
 *
 * @example
 * ```ts
 * import { sealedJson } from "./cache.ts";
 * (await sealedJson({ a: 1 })).startsWith('{"a":1,"integrity":"sha256-'); // true
 * ```
 */
export async function sealedJson(value: Record<string, unknown>): Promise<string> {
  if (INTEGRITY_FIELD in value) {
    throw new TypeError(`sealedJson: the value already has an "${INTEGRITY_FIELD}" field`);
  }
  const text = JSON.stringify(value);
  const seal = `"${INTEGRITY_FIELD}":"sha256-${await sha256Hex(text)}"}\n`;
  return text === "{}" ? `{${seal}` : `${text.slice(0, -1)},${seal}`;
}

/**
 * Reads a JSON cache file: `null` when it does not exist; an error naming the file when it is not
 * valid JSON (e.g. truncated), has no or a wrong integrity hash ({@linkcode sealedJson}: edited,
 * damaged, or written by an older version), or when `check` finds a problem with its content
 * (`check` returns a description of the problem, or `null` when the content has the expected
 * shape). The returned value is the content without the integrity field. A file that is a
 * symbolic link is refused.
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
    if ((await Deno.lstat(path)).isSymlink) {
      throw new Error(`cache file ${path} is a symbolic link: refusing to read it`);
    }
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
  const problem = await integrityProblem(value);
  if (problem !== null) throw new Error(`cache file ${path} ${problem}; delete it to recompute`);
  const { [INTEGRITY_FIELD]: _, ...content } = value as Record<string, unknown>;
  const shape = check(content);
  if (shape !== null) {
    throw new Error(`cache file ${path} has the wrong shape (${shape}); delete it to recompute`);
  }
  return content as T;
}

/** Why a parsed cache file fails its integrity check, or null when it passes. */
async function integrityProblem(value: unknown): Promise<string | null> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return "is not a JSON object";
  }
  const { [INTEGRITY_FIELD]: stored, ...content } = value as Record<string, unknown>;
  if (typeof stored !== "string") {
    return "has no integrity hash (written by an older version or by hand)";
  }
  const expected = `sha256-${await sha256Hex(JSON.stringify(content))}`;
  if (stored !== expected) {
    return "does not match its integrity hash (edited or damaged)";
  }
  return null;
}

/**
 * Whether `path` is a cache file this library wrote: a regular file (not a link) holding a JSON
 * object whose integrity hash ({@linkcode sealedJson}) matches and whose `key` is the file name
 * without `.json`. Only such files are ever deleted by {@linkcode pruneFiles}.
 *
 * Used by tools/reproduce.ts (through `pruneCache`).
 *
 * @example
 * ```ts
 * import { isOwnCacheFile } from "./cache.ts";
 * await isOwnCacheFile("/nonexistent.json"); // null
 * ```
 */
export async function isOwnCacheFile(path: string): Promise<Record<string, unknown> | null> {
  try {
    const info = await Deno.lstat(path);
    if (!info.isFile) return null;
    const value = JSON.parse(await Deno.readTextFile(path));
    if (await integrityProblem(value) !== null) return null;
    if (value.key !== basename(path, ".json")) return null;
    return value;
  } catch {
    return null;
  }
}

/**
 * Removes the stale cache files of `dir`: the files this library wrote ({@linkcode
 * isOwnCacheFile}: integrity hash matches, `key` is the file name) for which `isCurrent` (given
 * the parsed content) is false. Every other file is kept (a file by another hand, a damaged or
 * edited cache file: the reader refuses those with an error naming them). `dir` must not be a
 * symbolic link (an error), nor anything followed below it. Returns the removed and the kept
 * foreign file names, sorted; a missing folder removes nothing.
 *
 * Used by tools/reproduce.ts (`--fresh`).
 *
 * @example
 * ```ts
 * import { pruneFiles } from "./cache.ts";
 * await pruneFiles("/nonexistent", () => true); // { removed: [], kept: [] }
 * ```
 */
export async function pruneFiles(
  dir: string,
  isCurrent: (value: Record<string, unknown>) => boolean,
): Promise<{ removed: string[]; kept: string[] }> {
  const removed: string[] = [], kept: string[] = [];
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(dir);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { removed, kept };
    throw e;
  }
  if (info.isSymlink) {
    throw new Error(
      `${dir} is a symbolic link: refusing to remove cache files through it (it may point ` +
        "elsewhere); replace it by a real folder",
    );
  }
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".json")) continue;
    const path = join(dir, entry.name);
    const own = await isOwnCacheFile(path);
    if (own === null) kept.push(entry.name);
    else if (!isCurrent(own)) {
      await Deno.remove(path);
      removed.push(entry.name);
    }
  }
  return { removed: removed.sort(), kept: kept.sort() };
}
