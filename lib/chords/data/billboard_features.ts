/**
 * Billboard songs as compact training material, cached: each song's chroma (flat frames × 12
 * arrays), frame labels and reference, computed once by the strict loader of
 * lib/chords/data/billboard.ts and then read back from a binary file in an ignored cache
 * folder (`.cache/billboard/` in the repository by default).
 *
 * The cache entry of a song is `<id>-<key>.bin`, where the key is the first 24 hex digits of
 * the SHA-256 of {@linkcode BILLBOARD_FEATURES_VERSION}, the loading options (frame rate,
 * reference choice) and the name and bytes of every source file the loader may read
 * (`bothchroma.csv`, `bothchroma.csv.gz`, `full.lab`, `majmin.lab`). Changing a source file
 * or an option therefore selects another entry, never a stale one; bump the version when the
 * loader's output changes. Entries are written atomically (a temporary file renamed into
 * place), so an interrupted run leaves complete entries only; an entry that does not read back
 * exactly (wrong size, key or header) is an error naming the file, never silently used.
 * Each entry carries the SHA-256 of its arrays (`integrity`), checked on every read. Nothing
 * is read or written through a symbolic link (a `.cache` or an entry that is a link is an error
 * naming it; a `cacheDir` given by the caller may itself be one). Nothing is ever deleted:
 * remove the folder to reclaim the space (about 500 MB for the 541 readable songs at the
 * native rate, 250 MB at the pair rate). A crash while writing can leave a `<entry>.tmp-*` file in
 * the folder, which is never read.
 *
 * The source files are read again after a song is computed, and a song whose files changed
 * meanwhile is an error, so an entry always holds what its key says.
 *
 * @example
 * ```ts
 * import { BILLBOARD_DEFECTS, billboardDir } from "./billboard.ts";
 * import { loadBillboardFeatures } from "./billboard_features.ts";
 * const songs = await loadBillboardFeatures(billboardDir(), {
 *   split: "validation",
 *   exclude: Object.keys(BILLBOARD_DEFECTS),
 * });
 * songs[0].treble.length === 12 * songs[0].frames; // true
 * ```
 *
 * @module
 */
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import {
  BillboardDataError,
  type BillboardSongOptions,
  type BillboardSplit,
  CHORDINO_FRAME_RATE,
  type LoadBillboardOptions,
  loadBillboardSong,
  selectBillboardSongs,
} from "./billboard.ts";
import type { ChordInterval } from "./lab.ts";

/** Version of the cache entries' content; part of every key. */
export const BILLBOARD_FEATURES_VERSION = 2;

/** One song's features, flat. */
export interface BillboardFeatures {
  /** Folder name of the song. */
  id: string;
  /** Split from `index.csv`, when there is one. */
  split?: BillboardSplit;
  /** Frames per second. */
  frameRate: number;
  /** Number of frames. */
  frames: number;
  /** Bass chroma, frames × 12 row-major, pitch class 0 = C. */
  bass: Float64Array;
  /** Treble chroma, frames × 12 row-major, pitch class 0 = C. */
  treble: Float64Array;
  /** Frame labels (indices in MAJMIN_LABELS, −1 not scored), or `null` without reference. */
  labels: Int32Array | null;
  /** The reference intervals, or `null`. */
  reference: ChordInterval[] | null;
  /** Which file the reference was read from. */
  referenceFile: "full.lab" | "majmin.lab" | null;
  /** The content key of the song's cache entry. */
  key: string;
  /** Whether this result was read from the cache (false: computed now). */
  cached: boolean;
}

/** Options of {@linkcode loadBillboardFeatures}. */
export interface BillboardFeaturesOptions extends LoadBillboardOptions {
  /** Cache folder (default {@linkcode billboardCacheDir}). */
  cacheDir?: string;
  /** Read and write the cache (default true); false computes every song and writes nothing. */
  cache?: boolean;
  /** Called after each song with the number done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * The default cache folder: `.cache/billboard` in the repository root (found from this
 * module's location; the current folder when the module is not loaded from a file).
 *
 * @example
 * ```ts
 * import { billboardCacheDir } from "./billboard_features.ts";
 * billboardCacheDir().endsWith("billboard"); // true
 * ```
 */
export function billboardCacheDir(): string {
  return join(REPO_ROOT, ".cache", "billboard");
}

/** The repository root (the current folder when this module is not loaded from a file). */
const REPO_ROOT = import.meta.url.startsWith("file:")
  ? join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..")
  : ".";

/**
 * Refuses a symbolic link on the way from `base` to `path` (the data-safety rule of the
 * repository's tools: never write or read a cache through a link, which may point outside the
 * folder). `base` itself may be a link: it is the folder the user gave (or the repository).
 */
async function assertNoLinks(base: string, path: string): Promise<void> {
  let at = resolve(base);
  for (const part of relative(at, resolve(path)).split(sep).filter((p) => p !== "")) {
    at = join(at, part);
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(at);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      throw e;
    }
    if (info.isSymlink) {
      throw new BillboardDataError(
        at,
        `${at} is a symbolic link: refusing to read or write the feature cache through it ` +
          "(it may point elsewhere); replace it by a real folder or file",
      );
    }
  }
}

const SOURCES = ["bothchroma.csv", "bothchroma.csv.gz", "full.lab", "majmin.lab"];

async function readIfPresent(path: string): Promise<Uint8Array | null> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw new BillboardDataError(path, `${path}: cannot be read: ${(e as Error).message}`);
  }
}

/** The content key of a song folder under the given options (see the module documentation). */
async function songKey(dir: string, options: BillboardSongOptions): Promise<string> {
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  const settings = {
    version: BILLBOARD_FEATURES_VERSION,
    frameRate: options.frameRate ?? CHORDINO_FRAME_RATE,
    reference: options.reference ?? "auto",
  };
  parts.push(enc.encode(JSON.stringify(settings)));
  for (const name of SOURCES) {
    const bytes = await readIfPresent(join(dir, name));
    if (bytes === null) continue;
    parts.push(enc.encode(`\n${name} ${bytes.length}\n`), bytes);
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return [...digest.slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

interface Header {
  format: "billboard-features";
  version: number;
  /** `sha256-<hex>` of everything after the header (the arrays). */
  integrity: string;
  key: string;
  id: string;
  frameRate: number;
  frames: number;
  referenceFile: BillboardFeatures["referenceFile"];
  reference: [number, number, string][] | null;
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return "sha256-" + [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Entry layout: uint32 LE header length, JSON header, zero padding to 8 bytes, then the arrays:
 * bass, treble (float64), labels (int32). The header's `integrity` is the SHA-256 of the arrays.
 */
async function encodeEntry(f: BillboardFeatures): Promise<Uint8Array> {
  const data = new Uint8Array(192 * f.frames + (f.labels === null ? 0 : 4 * f.frames));
  data.set(new Uint8Array(f.bass.buffer, f.bass.byteOffset, f.bass.byteLength), 0);
  data.set(
    new Uint8Array(f.treble.buffer, f.treble.byteOffset, f.treble.byteLength),
    96 * f.frames,
  );
  if (f.labels !== null) {
    data.set(
      new Uint8Array(f.labels.buffer, f.labels.byteOffset, f.labels.byteLength),
      192 * f.frames,
    );
  }
  const header: Header = {
    format: "billboard-features",
    version: BILLBOARD_FEATURES_VERSION,
    integrity: await sha256(data),
    key: f.key,
    id: f.id,
    frameRate: f.frameRate,
    frames: f.frames,
    referenceFile: f.referenceFile,
    reference: f.reference?.map((iv) => [iv.start, iv.end, iv.label]) ?? null,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const offset = Math.ceil((4 + json.length) / 8) * 8;
  const out = new Uint8Array(offset + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  out.set(data, offset);
  return out;
}

async function decodeEntry(
  bytes: Uint8Array,
  path: string,
  id: string,
  key: string,
): Promise<BillboardFeatures> {
  const bad = (why: string) =>
    new BillboardDataError(path, `${path}: corrupt cache entry (${why}); delete it`);
  if (bytes.length < 4) throw bad("too short");
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  if (4 + length > bytes.length) throw bad("header longer than the file");
  let h: Header;
  try {
    h = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(4, 4 + length)));
  } catch {
    throw bad("header is not JSON");
  }
  if (h.format !== "billboard-features" || h.version !== BILLBOARD_FEATURES_VERSION) {
    throw bad(`format ${h.format} version ${h.version}`);
  }
  if (h.key !== key || h.id !== id) throw bad(`holds ${h.id}-${h.key}`);
  if (!Number.isInteger(h.frames) || h.frames < 0) throw bad(`frames ${h.frames}`);
  const offset = Math.ceil((4 + length) / 8) * 8;
  const hasLabels = h.reference !== null;
  const size = offset + 192 * h.frames + (hasLabels ? 4 * h.frames : 0);
  if (bytes.length !== size) throw bad(`${bytes.length} bytes, expected ${size}`);
  // A fresh, aligned copy (the file's bytes need not be 8-byte aligned).
  const copy = bytes.slice(offset);
  if ((await sha256(copy)) !== h.integrity) {
    throw bad("does not match its integrity hash: edited or damaged");
  }
  return {
    id,
    frameRate: h.frameRate,
    frames: h.frames,
    bass: new Float64Array(copy.buffer, 0, 12 * h.frames),
    treble: new Float64Array(copy.buffer, 96 * h.frames, 12 * h.frames),
    labels: hasLabels ? new Int32Array(copy.buffer, 192 * h.frames, h.frames) : null,
    reference: h.reference?.map(([start, end, label]) => ({ start, end, label })) ?? null,
    referenceFile: h.referenceFile,
    key,
    cached: true,
  };
}

/** Computes a song's features with the strict loader. */
async function computeFeatures(
  dir: string,
  id: string,
  key: string,
  options: BillboardSongOptions,
): Promise<BillboardFeatures> {
  const song = await loadBillboardSong(dir, options);
  const frames = song.times.length;
  const flat = (rows: Float64Array[]) => {
    const out = new Float64Array(12 * frames);
    rows.forEach((r, i) => out.set(r, 12 * i));
    return out;
  };
  return {
    id,
    frameRate: song.frameRate,
    frames,
    bass: flat(song.bass),
    treble: flat(song.treble),
    labels: song.labels,
    reference: song.reference,
    referenceFile: song.referenceFile,
    key,
    cached: false,
  };
}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await Deno.writeFile(tmp, bytes);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/**
 * Loads the songs of a Billboard-layout folder as flat features (same selection and options as
 * `loadBillboard`), from the cache when an entry with the song's content key exists, else with
 * the strict loader, then writing the entry (see the module documentation). All or nothing:
 * the first problem throws (entries already written for other songs stay, complete and valid).
 *
 * @example
 * ```ts
 * import { billboardDir, CHORDINO_PAIR_RATE } from "./billboard.ts";
 * import { loadBillboardFeatures } from "./billboard_features.ts";
 * const [song] = await loadBillboardFeatures(billboardDir(), {
 *   ids: ["0004"],
 *   frameRate: CHORDINO_PAIR_RATE,
 * });
 * song.frameRate; // 10.7666015625
 * ```
 */
export async function loadBillboardFeatures(
  root: string,
  options: BillboardFeaturesOptions = {},
): Promise<BillboardFeatures[]> {
  const { cacheDir = billboardCacheDir(), cache = true, onProgress } = options;
  const songOptions: BillboardSongOptions = {};
  if (options.frameRate !== undefined) songOptions.frameRate = options.frameRate;
  if (options.reference !== undefined) songOptions.reference = options.reference;
  const refs = await selectBillboardSongs(root, options);
  const base = options.cacheDir ?? REPO_ROOT;
  if (cache) {
    await assertNoLinks(base, cacheDir);
    await Deno.mkdir(cacheDir, { recursive: true });
  }
  const out: BillboardFeatures[] = [];
  for (const { id, dir, split } of refs) {
    const key = await songKey(dir, songOptions);
    const path = join(cacheDir, `${id}-${key}.bin`);
    if (cache) await assertNoLinks(base, path);
    const bytes = cache ? await readIfPresent(path) : null;
    let features: BillboardFeatures;
    if (bytes !== null) {
      features = await decodeEntry(bytes, path, id, key);
    } else {
      features = await computeFeatures(dir, id, key, songOptions);
      if ((await songKey(dir, songOptions)) !== key) {
        throw new BillboardDataError(dir, `${dir}: the song's files changed while it was read`);
      }
      if (cache) await writeAtomically(path, await encodeEntry(features));
    }
    if (split !== undefined) features.split = split;
    out.push(features);
    onProgress?.(out.length, refs.length);
  }
  return out;
}
