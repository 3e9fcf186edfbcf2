/**
 * The McGill Billboard dataset in its published layout (Burgoyne, Wild & Fujinaga, ISMIR
 * 2011): Chordino chroma and chord annotations of one song per folder, read strictly.
 *
 * Layout of a dataset folder (`../shared/data/billboard/`, see its README):
 *
 * - `index.csv` (optional): a header with at least `id` and `split` (`train`, `validation` or
 *   `test`), one song per row; without it every sub-folder holding a chroma file is a song;
 * - `<id>/bothchroma.csv` or `<id>/bothchroma.csv.gz`: Chordino's (NNLS Chroma Vamp plugin)
 *   `bothchroma` output: no header; column 1 the analysed file name on the first row only
 *   (empty afterwards), column 2 the frame time in seconds (frame i at i · 2048 / 44100 s),
 *   columns 3–14 the bass chroma, 15–26 the treble chroma, each with pitch classes starting at
 *   A (A, A#, …, G#);
 * - `<id>/full.lab` and/or `<id>/majmin.lab`: chord annotations (see lib/chords/data/lab.ts).
 *
 * What a loaded song holds ({@linkcode BillboardSong}):
 *
 * - bass and treble chroma rotated so that pitch class 0 is C (the course's order);
 * - the feature rate: Chordino's native {@linkcode CHORDINO_FRAME_RATE} (44100 / 2048 ≈
 *   21.53 Hz), or {@linkcode CHORDINO_PAIR_RATE} (≈ 10.77 Hz, the course's 22050 / 2048):
 *   frames 2k and 2k+1 averaged into frame k at time 2k · 2048 / 44100 s (an odd last frame is
 *   dropped);
 * - the reference intervals (`full.lab` when present, else `majmin.lab`), as
 *   {@linkcode parseLab} reads them;
 * - frame labels: indices in {@linkcode MAJMIN_LABELS} of the reference's major/minor reduction
 *   ({@linkcode majminIndex}, mir_eval's majmin rules: sevenths and sixths keep their triad,
 *   inversions keep it unless the bass lies outside the triad below the sixth, sus/dim/aug/
 *   power chords and X are −1), sampled with libfmp's convention as the course does: the
 *   interval [s, t) covers frames round(s · rate) … round(t · rate) − 1; frames that no
 *   interval covers are −1.
 *
 * mir_eval's majmin and the dataset's own `majmin.lab` (the MIREX reduction) differ only on
 * some inversions: over the 541 readable songs, the reduction of `full.lab` equals
 * `majmin.lab` on 75 569 of 76 837 intervals (98.6 % of the annotated time); nearly all of the
 * rest are triads over a bass outside the triad below the sixth (`/2`: 767, `/4`: 444), which
 * mir_eval's majmin does not score and `majmin.lab` keeps as the triad. `reference: "majmin"`
 * trains on the dataset's reduction instead; evaluation with mir_eval's rules wants `full.lab`.
 *
 * Every check throws a {@linkcode BillboardDataError} naming the file (and line): missing or
 * ambiguous files, a wrong column count, a malformed or negative number, a frame time that is
 * not i · 2048 / 44100 s (non-monotonic or not Chordino's rate), a file name on a later row, a
 * blank row inside the file, and every problem {@linkcode parseLab} finds. Loading many songs
 * returns all of them or throws: nothing partial. One published song is defective: its
 * annotation times run backwards ({@linkcode BILLBOARD_DEFECTS}); pass
 * `exclude: Object.keys(BILLBOARD_DEFECTS)` to leave it out knowingly.
 *
 * @example
 * ```ts
 * import { billboardDir, CHORDINO_PAIR_RATE, loadBillboardSong } from "./billboard.ts";
 * const song = await loadBillboardSong(`${billboardDir()}/0004`, {
 *   frameRate: CHORDINO_PAIR_RATE,
 * });
 * song.treble.length === song.labels!.length; // true
 * ```
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Papa from "../../deps/papaparse.ts";
import { majminIndex } from "./harte.ts";
import { type ChordInterval, parseLab } from "./lab.ts";

/** Chordino's frame rate on 44.1 kHz audio: 44100 / 2048 ≈ 21.53 frames per second. */
export const CHORDINO_FRAME_RATE = 44100 / 2048;

/** Half Chordino's rate, pairs of frames averaged: 22050 / 2048 ≈ 10.77 Hz, the course's rate. */
export const CHORDINO_PAIR_RATE = 22050 / 2048;

/**
 * Songs of the published dataset whose files are defective, with what is wrong: loading them
 * throws. The loader's test checks that every other annotation of the 542 songs parses; the
 * chroma of all 541 others loads (tools/billboard_features.ts reads every song).
 */
export const BILLBOARD_DEFECTS: Readonly<Record<string, string>> = Object.freeze({
  "0974": "full.lab and majmin.lab: from line 73 on, the interval times run backwards " +
    "(143.5 → 107.7 → … → 0) and then stay at 0",
});

/** Error thrown for a missing, ambiguous or malformed file of a Billboard-layout folder. */
export class BillboardDataError extends Error {
  /** The file (or folder) at fault. */
  readonly path: string;
  /** Builds the error; `message` names the file and what is wrong. */
  constructor(path: string, message: string) {
    super(message);
    this.name = "BillboardDataError";
    this.path = path;
  }
}

/** Chroma as Chordino computed it, rotated to pitch class 0 = C. */
export interface ChordinoChroma {
  /** Frames per second: {@linkcode CHORDINO_FRAME_RATE} or {@linkcode CHORDINO_PAIR_RATE}. */
  frameRate: number;
  /** Start time of each frame in seconds. */
  times: Float64Array;
  /**
   * Bass chroma, frames × 12, pitch class 0 = C. The rows are views into one buffer
   * (`bass[0].buffer`, row-major), so a flat frames × 12 array costs no copy.
   */
  bass: Float64Array[];
  /** Treble chroma, frames × 12, pitch class 0 = C; rows are views into one buffer, as `bass`. */
  treble: Float64Array[];
}

/** One song of a Billboard-layout folder. */
export interface BillboardSong extends ChordinoChroma {
  /** Folder name of the song (e.g. `"0004"`). */
  id: string;
  /** Path of the song's folder. */
  dir: string;
  /** Split from `index.csv`, when the song was loaded through one. */
  split?: BillboardSplit;
  /** The reference annotation, or `null` when the song has none (`reference: "optional"`). */
  reference: ChordInterval[] | null;
  /** Which file the reference was read from. */
  referenceFile: "full.lab" | "majmin.lab" | null;
  /**
   * Per frame: index in {@linkcode MAJMIN_LABELS} of the reference's majmin reduction (0..23,
   * 24 = N), −1 where majmin excludes the chord or no interval covers the frame; `null`
   * without a reference.
   */
  labels: Int32Array | null;
}

/** The three splits of `index.csv`. */
export type BillboardSplit = "train" | "validation" | "test";

/** Options of {@linkcode loadBillboardSong}. */
export interface BillboardSongOptions {
  /**
   * Feature rate: {@linkcode CHORDINO_FRAME_RATE} (default, Chordino's frames) or
   * {@linkcode CHORDINO_PAIR_RATE} (pairs of frames averaged).
   */
  frameRate?: number;
  /**
   * Which annotation is the reference: `"auto"` (default: `full.lab` when present, else
   * `majmin.lab`, else an error), `"full"` or `"majmin"` (that file is required), or
   * `"optional"` (as auto, but a song without annotation has `reference: null`).
   */
  reference?: "auto" | "full" | "majmin" | "optional";
}

/** One row of `index.csv`. */
export interface BillboardIndexEntry {
  /** Folder name of the song. */
  id: string;
  /** Its split. */
  split: BillboardSplit;
  /** The other columns (`title`, `artist`, `chart_date`, …) as written. */
  meta: Record<string, string>;
}

/** Options of {@linkcode loadBillboard}: which songs, and how to read each. */
export interface LoadBillboardOptions extends BillboardSongOptions, BillboardSelection {}

/**
 * The shared Billboard folder: `$BILLBOARD_DIR` when set, else `../shared/data/billboard`
 * relative to the repository root (found from this module's location). Returns the path
 * whether or not it exists.
 *
 * @example
 * ```ts
 * import { billboardDir } from "./billboard.ts";
 * billboardDir().endsWith("billboard"); // true unless BILLBOARD_DIR says otherwise
 * ```
 */
export function billboardDir(): string {
  let env: string | undefined;
  try {
    env = Deno.env.get("BILLBOARD_DIR");
  } catch { /* no env permission: use the default */ }
  if (env) return env;
  const here = import.meta.url.startsWith("file:") ? dirname(fileURLToPath(import.meta.url)) : ".";
  return join(here, "..", "..", "..", "..", "shared", "data", "billboard");
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Column of pitch class c (0 = C) in Chordino's A-based chroma. */
const FROM_A = Array.from({ length: 12 }, (_, c) => (c + 3) % 12);

/**
 * Parses Chordino's `bothchroma` CSV text (see the module documentation) into bass and treble
 * chroma with pitch class 0 = C at the native {@linkcode CHORDINO_FRAME_RATE}. Throws a
 * {@linkcode BillboardDataError} naming `source` and the line on any deviation from the format.
 *
 * @example
 * ```ts
 * import { parseChordinoCsv } from "./billboard.ts";
 * const row = (t: string) => `,${t},${"0,".repeat(23)}1`;
 * const text = `"x.wav",0.000000000,${"0,".repeat(23)}1\n${row("0.046439909")}\n`;
 * const chroma = parseChordinoCsv(text, "bothchroma.csv");
 * chroma.treble[0][8]; // 1 (the last column is G#)
 * ```
 */
export function parseChordinoCsv(text: string, source = "bothchroma.csv"): ChordinoChroma {
  const lines = text.split(/\r?\n/);
  let n = lines.length;
  while (n > 0 && lines[n - 1] === "") n--;
  if (n === 0) throw new BillboardDataError(source, `${source}: no frames`);
  const times = new Float64Array(n);
  // One buffer per half; every frame is a view into it (no per-frame allocation).
  const bassFlat = new Float64Array(12 * n);
  const trebleFlat = new Float64Array(12 * n);
  const bass: Float64Array[] = new Array(n);
  const treble: Float64Array[] = new Array(n);
  const hop = 1 / CHORDINO_FRAME_RATE;
  for (let i = 0; i < n; i++) {
    const where = `${source}, line ${i + 1}`;
    let line = lines[i];
    if (i === 0) {
      const m = /^("(?:[^"]|"")+"|[^",]+),/.exec(line);
      if (m === null) {
        throw new BillboardDataError(
          source,
          `${where}: the first row must start with the analysed file's name`,
        );
      }
      line = line.slice(m[1].length);
    } else if (line === "") {
      throw new BillboardDataError(source, `${where}: blank row inside the file`);
    }
    const fields = line.split(",");
    if (fields.length !== 26) {
      throw new BillboardDataError(
        source,
        `${where}: expected 26 columns (name, time, 12 bass, 12 treble), got ${fields.length}`,
      );
    }
    if (i > 0 && fields[0] !== "") {
      throw new BillboardDataError(
        source,
        `${where}: column 1 must be empty after the first row, got ${JSON.stringify(fields[0])}`,
      );
    }
    const values = new Float64Array(25);
    for (let k = 1; k < 26; k++) {
      const f = fields[k];
      const x = NUMBER.test(f) ? Number(f) : NaN;
      if (!Number.isFinite(x) || x < 0) {
        throw new BillboardDataError(
          source,
          `${where}, column ${k + 1}: ${JSON.stringify(f)} is not a finite number >= 0`,
        );
      }
      values[k - 1] = x;
    }
    if (Math.abs(values[0] - i * hop) > 1e-6) {
      throw new BillboardDataError(
        source,
        `${where}: frame time ${values[0]} s, expected ${(i * hop).toFixed(9)} s ` +
          "(frames every 2048/44100 s from 0: times out of order, missing rows, or not " +
          "Chordino's frame rate)",
      );
    }
    times[i] = values[0];
    for (let c = 0; c < 12; c++) {
      bassFlat[12 * i + c] = values[1 + FROM_A[c]];
      trebleFlat[12 * i + c] = values[13 + FROM_A[c]];
    }
    bass[i] = bassFlat.subarray(12 * i, 12 * i + 12);
    treble[i] = trebleFlat.subarray(12 * i, 12 * i + 12);
  }
  return { frameRate: CHORDINO_FRAME_RATE, times, bass, treble };
}

/**
 * Halves the frame rate of native Chordino chroma: frames 2k and 2k+1 averaged into frame k
 * (time of frame 2k); an odd last frame is dropped.
 *
 * @example
 * ```ts
 * import { averagePairs, CHORDINO_FRAME_RATE } from "./billboard.ts";
 * const v = (x: number) => new Float64Array(12).fill(x);
 * const half = averagePairs({
 *   frameRate: CHORDINO_FRAME_RATE,
 *   times: Float64Array.of(0, 1, 2),
 *   bass: [v(1), v(3), v(5)],
 *   treble: [v(2), v(4), v(6)],
 * });
 * half.treble[0][0]; // 3
 * ```
 */
export function averagePairs(chroma: ChordinoChroma): ChordinoChroma {
  if (chroma.frameRate !== CHORDINO_FRAME_RATE) {
    throw new RangeError(
      `averagePairs: expected native Chordino chroma, got ${chroma.frameRate} Hz`,
    );
  }
  const m = Math.floor(chroma.times.length / 2);
  const times = new Float64Array(m);
  const avg = (rows: Float64Array[]) => {
    const flat = new Float64Array(12 * m);
    return Array.from({ length: m }, (_, k) => {
      const out = flat.subarray(12 * k, 12 * k + 12);
      const a = rows[2 * k], b = rows[2 * k + 1];
      for (let c = 0; c < 12; c++) out[c] = 0.5 * (a[c] + b[c]);
      return out;
    });
  };
  for (let k = 0; k < m; k++) times[k] = chroma.times[2 * k];
  return {
    frameRate: CHORDINO_PAIR_RATE,
    times,
    bass: avg(chroma.bass),
    treble: avg(chroma.treble),
  };
}

/** numpy's rounding (half to even), as libfmp's frame sampling uses it. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Frame labels of a reference annotation: per frame, the index in {@linkcode MAJMIN_LABELS} of
 * the label's majmin reduction ({@linkcode majminIndex}; −1 for excluded chords), with
 * libfmp's sampling: the interval [s, t) covers frames round(s · rate) … round(t · rate) − 1
 * (half to even; a later interval wins a shared frame); frames no interval covers are −1.
 *
 * @example
 * ```ts
 * import { majminFrameLabels } from "./billboard.ts";
 * const ref = [{ start: 0, end: 0.3, label: "C:7" }, { start: 0.3, end: 0.5, label: "G:sus4" }];
 * majminFrameLabels(ref, { frameRate: 10, frames: 6 }); // Int32Array [0, 0, 0, -1, -1, -1]
 * ```
 */
export function majminFrameLabels(
  reference: readonly ChordInterval[],
  options: { frameRate: number; frames: number },
): Int32Array {
  const { frameRate, frames } = options;
  if (!(frameRate > 0) || !Number.isFinite(frameRate)) {
    throw new RangeError(`majminFrameLabels: bad frame rate ${frameRate}`);
  }
  if (!Number.isInteger(frames) || frames < 0) {
    throw new RangeError(`majminFrameLabels: bad number of frames ${frames}`);
  }
  const out = new Int32Array(frames).fill(-1);
  for (const { start, end, label } of reference) {
    const idx = majminIndex(label);
    const s = Math.max(0, roundHalfEven(start * frameRate));
    const t = Math.min(frames, roundHalfEven(end * frameRate));
    for (let i = s; i < t; i++) out[i] = idx;
  }
  return out;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

async function readText(path: string): Promise<string> {
  try {
    if (!path.endsWith(".gz")) return await Deno.readTextFile(path);
    const file = await Deno.open(path);
    const stream = file.readable.pipeThrough(new DecompressionStream("gzip"));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (e) {
    if (e instanceof BillboardDataError) throw e;
    throw new BillboardDataError(path, `${path}: cannot be read: ${(e as Error).message}`);
  }
}

/**
 * The chroma file of a song folder: `bothchroma.csv` or `bothchroma.csv.gz`. Throws a
 * {@linkcode BillboardDataError} when there is neither, or both.
 */
async function chromaFile(dir: string): Promise<string> {
  const plain = join(dir, "bothchroma.csv");
  const gz = `${plain}.gz`;
  const [p, g] = await Promise.all([exists(plain), exists(gz)]);
  if (p && g) {
    throw new BillboardDataError(dir, `${dir}: both bothchroma.csv and bothchroma.csv.gz: which?`);
  }
  if (!p && !g) {
    throw new BillboardDataError(dir, `${dir}: no bothchroma.csv or bothchroma.csv.gz`);
  }
  return p ? plain : gz;
}

/**
 * Whether a folder is a Billboard song folder (it holds `bothchroma.csv` or
 * `bothchroma.csv.gz`).
 *
 * @example
 * ```ts
 * import { billboardDir, isBillboardSong } from "./billboard.ts";
 * await isBillboardSong(billboardDir()); // false: the dataset folder holds songs
 * ```
 */
export async function isBillboardSong(dir: string): Promise<boolean> {
  const plain = join(dir, "bothchroma.csv");
  return (await exists(plain)) || (await exists(`${plain}.gz`));
}

/**
 * Reads one song folder: its chroma at the chosen rate, its reference annotation and frame
 * labels (see the module documentation). Throws a {@linkcode BillboardDataError} naming the file
 * on anything missing or malformed.
 *
 * @example
 * ```ts
 * import { billboardDir, loadBillboardSong } from "./billboard.ts";
 * const song = await loadBillboardSong(`${billboardDir()}/0004`);
 * song.referenceFile; // "full.lab"
 * ```
 */
export async function loadBillboardSong(
  dir: string,
  options: BillboardSongOptions = {},
): Promise<BillboardSong> {
  const frameRate = options.frameRate ?? CHORDINO_FRAME_RATE;
  if (frameRate !== CHORDINO_FRAME_RATE && frameRate !== CHORDINO_PAIR_RATE) {
    throw new RangeError(
      `loadBillboardSong: frameRate must be CHORDINO_FRAME_RATE (${CHORDINO_FRAME_RATE}) or ` +
        `CHORDINO_PAIR_RATE (${CHORDINO_PAIR_RATE}), got ${frameRate}`,
    );
  }
  const mode = options.reference ?? "auto";
  if (!["auto", "full", "majmin", "optional"].includes(mode)) {
    throw new RangeError(`loadBillboardSong: unknown reference option ${JSON.stringify(mode)}`);
  }
  const id = dir.replace(/[/\\]+$/, "").split(/[/\\]/).pop() ?? dir;
  const chromaPath = await chromaFile(dir);
  const full = join(dir, "full.lab");
  const majmin = join(dir, "majmin.lab");
  let referenceFile: "full.lab" | "majmin.lab" | null = null;
  if (mode === "full" || mode === "majmin") {
    const path = mode === "full" ? full : majmin;
    if (!(await exists(path))) throw new BillboardDataError(path, `${path}: missing`);
    referenceFile = `${mode}.lab`;
  } else if (await exists(full)) referenceFile = "full.lab";
  else if (await exists(majmin)) referenceFile = "majmin.lab";
  else if (mode === "auto") {
    throw new BillboardDataError(dir, `${dir}: no full.lab or majmin.lab`);
  }
  let chroma = parseChordinoCsv(await readText(chromaPath), chromaPath);
  if (frameRate === CHORDINO_PAIR_RATE) chroma = averagePairs(chroma);
  let reference: ChordInterval[] | null = null;
  let labels: Int32Array | null = null;
  if (referenceFile !== null) {
    const path = join(dir, referenceFile);
    const text = await readText(path);
    try {
      reference = parseLab(text, path);
    } catch (e) {
      throw new BillboardDataError(path, (e as Error).message);
    }
    labels = majminFrameLabels(reference, { frameRate, frames: chroma.times.length });
  }
  return { id, dir, ...chroma, reference, referenceFile, labels };
}

const SPLITS: readonly string[] = ["train", "validation", "test"];

/**
 * Reads `index.csv` of a dataset folder: one entry per song with its split and the other
 * columns. Throws a {@linkcode BillboardDataError} naming the line on a missing `id` or
 * `split` column, an unknown split, an empty, unsafe or repeated id, or a malformed row.
 *
 * @example
 * ```ts
 * import { billboardDir, readBillboardIndex } from "./billboard.ts";
 * const index = await readBillboardIndex(billboardDir());
 * index.filter((e) => e.split === "test").length; // 100
 * ```
 */
export async function readBillboardIndex(root: string): Promise<BillboardIndexEntry[]> {
  const path = join(root, "index.csv");
  const parsed = Papa.parse<string[]>(await readText(path), { skipEmptyLines: "greedy" });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new BillboardDataError(path, `${path}, row ${(e.row ?? 0) + 1}: ${e.message}`);
  }
  const [header, ...rows] = parsed.data;
  if (header === undefined) throw new BillboardDataError(path, `${path}: empty`);
  const idCol = header.indexOf("id");
  const splitCol = header.indexOf("split");
  if (idCol < 0 || splitCol < 0) {
    throw new BillboardDataError(path, `${path}: the header needs columns "id" and "split"`);
  }
  const seen = new Set<string>();
  return rows.map((row, r) => {
    const where = `${path}, line ${r + 2}`;
    if (row.length !== header.length) {
      throw new BillboardDataError(
        path,
        `${where}: ${row.length} columns, the header has ${header.length}`,
      );
    }
    const id = row[idCol];
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) {
      throw new BillboardDataError(path, `${where}: bad song id ${JSON.stringify(id)}`);
    }
    if (seen.has(id)) throw new BillboardDataError(path, `${where}: song id ${id} repeated`);
    seen.add(id);
    const split = row[splitCol];
    if (!SPLITS.includes(split)) {
      throw new BillboardDataError(
        path,
        `${where}: split ${JSON.stringify(split)} is not train, validation or test`,
      );
    }
    const meta: Record<string, string> = {};
    header.forEach((h, k) => {
      if (k !== idCol && k !== splitCol) meta[h] = row[k];
    });
    return { id, split: split as BillboardSplit, meta };
  });
}

/**
 * The song folders an input path names: the folder itself when it is a song folder
 * ({@linkcode isBillboardSong}), else its sub-folders that are song folders, sorted by name.
 * Throws a {@linkcode BillboardDataError} when the path is not a folder or holds no song.
 *
 * @example
 * ```ts
 * import { billboardDir, findBillboardSongs } from "./billboard.ts";
 * (await findBillboardSongs(`${billboardDir()}/0004`)).length; // 1
 * ```
 */
export async function findBillboardSongs(path: string): Promise<string[]> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (e) {
    throw new BillboardDataError(path, `${path}: cannot be read: ${(e as Error).message}`);
  }
  if (!info.isDirectory) throw new BillboardDataError(path, `${path}: not a folder`);
  if (await isBillboardSong(path)) return [path];
  const songs: string[] = [];
  for await (const entry of Deno.readDir(path)) {
    const sub = join(path, entry.name);
    if (entry.isDirectory && (await isBillboardSong(sub))) songs.push(sub);
  }
  if (songs.length === 0) {
    throw new BillboardDataError(path, `${path}: no song folder (with bothchroma.csv[.gz]) in it`);
  }
  return songs.sort();
}

/**
 * Loads the songs of a dataset folder: the songs of `index.csv` (optionally one split) or,
 * without an index, every song sub-folder; `ids` picks songs, `exclude` leaves some out. All
 * or nothing: the first problem throws a {@linkcode BillboardDataError} naming the song's
 * file (a song listed in the index without a folder is an error too).
 *
 * @example
 * ```ts
 * import { BILLBOARD_DEFECTS, billboardDir, loadBillboard } from "./billboard.ts";
 * const test = await loadBillboard(billboardDir(), {
 *   split: "test",
 *   exclude: Object.keys(BILLBOARD_DEFECTS),
 * });
 * test.length; // 99
 * ```
 */
export async function loadBillboard(
  root: string,
  options: LoadBillboardOptions = {},
): Promise<BillboardSong[]> {
  const { split: _split, ids: _ids, exclude: _exclude, ...songOptions } = options;
  const songs: BillboardSong[] = [];
  for (const e of await selectBillboardSongs(root, options)) {
    const song = await loadBillboardSong(e.dir, songOptions);
    if (e.split !== undefined) song.split = e.split;
    songs.push(song);
  }
  return songs;
}

/** Which songs of a dataset folder to load (see {@linkcode selectBillboardSongs}). */
export interface BillboardSelection {
  /** Only the songs of this split (needs `index.csv`). */
  split?: BillboardSplit;
  /** Only these song ids (in this order). */
  ids?: readonly string[];
  /** Song ids to leave out (e.g. `Object.keys(BILLBOARD_DEFECTS)`). */
  exclude?: readonly string[];
}

/** A song folder chosen by {@linkcode selectBillboardSongs}. */
export interface BillboardSongRef {
  /** Folder name of the song. */
  id: string;
  /** Path of the song's folder. */
  dir: string;
  /** Its split, when the dataset folder has `index.csv`. */
  split?: BillboardSplit;
}

/**
 * The song folders of a dataset folder that {@linkcode loadBillboard} loads, without reading
 * them: the songs of `index.csv` in its order (or, without an index, every song sub-folder by
 * name), then `ids`, `exclude` and `split` applied. Throws a {@linkcode BillboardDataError} on
 * an unknown id, a split without index, or a malformed index.
 *
 * @example
 * ```ts
 * import { billboardDir, selectBillboardSongs } from "./billboard.ts";
 * (await selectBillboardSongs(billboardDir(), { split: "validation" })).length; // 42
 * ```
 */
export async function selectBillboardSongs(
  root: string,
  selection: BillboardSelection = {},
): Promise<BillboardSongRef[]> {
  const { split, ids, exclude = [] } = selection;
  if (split !== undefined && !SPLITS.includes(split)) {
    throw new RangeError(`selectBillboardSongs: unknown split ${JSON.stringify(split)}`);
  }
  const hasIndex = await exists(join(root, "index.csv"));
  let entries: { id: string; split?: BillboardSplit }[];
  if (hasIndex) {
    entries = await readBillboardIndex(root);
  } else {
    if (split !== undefined) {
      throw new BillboardDataError(root, `${root}: no index.csv, so no split ${split}`);
    }
    entries = (await findBillboardSongs(root)).map((d) => ({ id: d.split(/[/\\]/).pop()! }));
  }
  const byId = new Map(entries.map((e) => [e.id, e]));
  if (ids !== undefined) {
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      throw new BillboardDataError(root, `${root}: no song ${missing.join(", ")}`);
    }
    entries = ids.map((id) => byId.get(id)!);
  }
  const skip = new Set(exclude);
  const chosen = entries.filter((e) =>
    !skip.has(e.id) && (split === undefined || e.split === split)
  );
  return chosen.map(({ id, split }) =>
    split === undefined ? { id, dir: join(root, id) } : { id, dir: join(root, id), split }
  );
}
