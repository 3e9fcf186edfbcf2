/**
 * The Billboard songs of the weak-label study (notebooks/08_weak_labels_at_scale.ipynb): every
 * song of `../shared/data/billboard` (`billboardDir()`; the one defective annotation of
 * `BILLBOARD_DEFECTS` left out) read by the strict loader at the course's feature rate
 * (`CHORDINO_PAIR_RATE`, pairs of Chordino frames averaged to 10.77 frames/s), kept as the
 * study needs it: treble chroma (one flat array per song), majmin frame labels, the reference
 * intervals, the split.
 *
 * Reading the 541 gzip CSV files takes about a minute and 1.5 GB, so the result is cached in
 * `.cache/billboard/` (ignored by git): `<key>.bin` (all treble chroma as float64, then all frame
 * labels as int32) and `<key>.json` (songs, references, and the SHA-256 of the binary). The key
 * is the SHA-256 of the loader's version, the rate, the songs asked for and the size and
 * modification time of every source file, so any change of the data makes a new cache; the
 * binary is verified against its SHA-256 on every read (a mismatch rebuilds it). Both files are
 * written atomically, the JSON last.
 *
 * @example
 * ```ts
 * import { loadBillboardStudy } from "./billboard_data.ts";
 * const data = await loadBillboardStudy({ ids: ["0004", "0006"] });
 * data.songs[0].treble.length / 12 === data.songs[0].labels.length; // true
 * ```
 *
 * @module
 */
import { join } from "node:path";
import {
  BILLBOARD_DEFECTS,
  billboardDir,
  type BillboardSplit,
  CHORDINO_PAIR_RATE,
  type ChordInterval,
  loadBillboard,
  readBillboardIndex,
} from "../chords/mod.ts";
import { sha256Hex } from "./cache.ts";
import { REPO_ROOT } from "./paths.ts";

/** Version of the cached layout and of the way songs are read (part of the key). */
export const STUDY_DATA_VERSION = 2;

/** Where the feature cache lives: `.cache/billboard/` of the repository (ignored by git). */
export const BILLBOARD_CACHE_DIR: string = join(REPO_ROOT, ".cache", "billboard");

/** One song of the study. */
export interface StudySong {
  /** Folder name (e.g. `"0004"`). */
  id: string;
  /** Split of `index.csv`. */
  split: BillboardSplit;
  /** Treble chroma, frames × 12 row-major, pitch class 0 = C. */
  treble: Float64Array;
  /** Per frame: index in `MAJMIN_LABELS` (24 = N), −1 where majmin scores nothing. */
  labels: Int32Array;
  /** The reference annotation (`full.lab`). */
  reference: ChordInterval[];
}

/** The study's songs at one feature rate. */
export interface BillboardStudyData {
  /** Frames per second. */
  frameRate: number;
  /** Cache key (identifies the source files). */
  key: string;
  /**
   * Content fingerprint: SHA-256 of the features, labels and references (the same on any
   * machine holding the same data; what result caches are keyed by).
   */
  fingerprint: string;
  /** The songs, in `index.csv` order. */
  songs: StudySong[];
}

interface CacheMeta {
  key: string;
  frameRate: number;
  sha256: string;
  fingerprint: string;
  songs: { id: string; split: BillboardSplit; frames: number; reference: ChordInterval[] }[];
}

async function sourceKey(dir: string, ids: readonly string[] | undefined): Promise<string> {
  const index = await readBillboardIndex(dir);
  const skip = new Set(Object.keys(BILLBOARD_DEFECTS));
  const files: unknown[] = [];
  for (const e of index) {
    if (skip.has(e.id) || (ids && !ids.includes(e.id))) continue;
    for (const name of ["bothchroma.csv", "bothchroma.csv.gz", "full.lab", "majmin.lab"]) {
      try {
        const s = await Deno.stat(join(dir, e.id, name));
        files.push([e.id, e.split, name, s.size, s.mtime?.getTime() ?? null]);
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
    }
  }
  const text = JSON.stringify({
    version: STUDY_DATA_VERSION,
    frameRate: CHORDINO_PAIR_RATE,
    ids: ids ?? null,
    files,
  });
  return (await sha256Hex(text)).slice(0, 16);
}

async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

function fromCache(meta: CacheMeta, bytes: Uint8Array): BillboardStudyData {
  const total = meta.songs.reduce((a, s) => a + s.frames, 0);
  if (bytes.byteLength !== total * (12 * 8 + 4)) {
    throw new RangeError(`cache ${meta.key}: ${bytes.byteLength} bytes for ${total} frames`);
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const chroma = new Float64Array(buffer, 0, total * 12);
  const labels = new Int32Array(buffer, total * 12 * 8, total);
  let at = 0;
  const songs = meta.songs.map((s) => {
    const song: StudySong = {
      id: s.id,
      split: s.split,
      treble: chroma.subarray(at * 12, (at + s.frames) * 12),
      labels: labels.subarray(at, at + s.frames),
      reference: s.reference,
    };
    at += s.frames;
    return song;
  });
  return { frameRate: meta.frameRate, key: meta.key, fingerprint: meta.fingerprint, songs };
}

/**
 * The study's songs (see the module doc), from the cache when it holds them, else read from
 * the dataset folder and cached. `ids` restricts them to some songs (tests); `dir` (default
 * `billboardDir()`) and `cacheDir` (default {@linkcode BILLBOARD_CACHE_DIR}) change the folders.
 * `onProgress` hears what is done (reading, caching).
 *
 * @example
 * ```ts
 * import { loadBillboardStudy } from "./billboard_data.ts";
 * const { songs } = await loadBillboardStudy({ ids: ["0004"] });
 * songs[0].split; // "train"
 * ```
 */
export async function loadBillboardStudy(
  options: {
    dir?: string;
    cacheDir?: string;
    ids?: readonly string[];
    onProgress?: (message: string) => void;
  } = {},
): Promise<BillboardStudyData> {
  const dir = options.dir ?? billboardDir();
  const cacheDir = options.cacheDir ?? BILLBOARD_CACHE_DIR;
  const key = await sourceKey(dir, options.ids);
  const jsonPath = join(cacheDir, `${key}.json`), binPath = join(cacheDir, `${key}.bin`);
  try {
    const meta = JSON.parse(await Deno.readTextFile(jsonPath)) as CacheMeta;
    const bytes = await Deno.readFile(binPath);
    if (meta.key === key && (await sha256Hex(bytes)) === meta.sha256) {
      return fromCache(meta, bytes);
    }
    options.onProgress?.(`cache ${binPath} does not match its SHA-256: rebuilding it`);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound) && !(e instanceof SyntaxError)) throw e;
  }
  options.onProgress?.(`reading the Billboard songs from ${dir} (about a minute)`);
  const loaded = await loadBillboard(dir, {
    frameRate: CHORDINO_PAIR_RATE,
    exclude: Object.keys(BILLBOARD_DEFECTS),
    ids: options.ids,
    reference: "full",
  });
  const total = loaded.reduce((a, s) => a + s.treble.length, 0);
  const buffer = new ArrayBuffer(total * (12 * 8 + 4));
  const chroma = new Float64Array(buffer, 0, total * 12);
  const labels = new Int32Array(buffer, total * 12 * 8, total);
  let at = 0;
  const meta: CacheMeta = {
    key,
    frameRate: CHORDINO_PAIR_RATE,
    sha256: "",
    fingerprint: "",
    songs: [],
  };
  for (const s of loaded) {
    if (!s.split) throw new Error(`${s.dir}: no split (is index.csv there?)`);
    s.treble.forEach((f, m) => chroma.set(f, (at + m) * 12));
    labels.set(s.labels!, at);
    at += s.treble.length;
    meta.songs.push({ id: s.id, split: s.split, frames: s.treble.length, reference: s.reference! });
  }
  const bytes = new Uint8Array(buffer);
  meta.sha256 = await sha256Hex(bytes);
  meta.fingerprint = (await sha256Hex(meta.sha256 + JSON.stringify(meta.songs))).slice(0, 16);
  await Deno.mkdir(cacheDir, { recursive: true });
  await writeAtomic(binPath, bytes);
  await writeAtomic(jsonPath, JSON.stringify(meta));
  options.onProgress?.(`cached ${loaded.length} songs in ${binPath}`);
  return fromCache(meta, bytes);
}
