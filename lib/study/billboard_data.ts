/**
 * The Billboard songs of the weak-label study (notebooks/08_weak_labels_at_scale.ipynb): every
 * song of `../shared/data/billboard` (`billboardDir()`; the one defective annotation of
 * `BILLBOARD_DEFECTS` left out) read at the course's feature rate (`CHORDINO_PAIR_RATE`, pairs of
 * Chordino frames averaged to 10.77 frames/s) through the cached strict loader
 * (`loadBillboardFeatures`: one verified cache entry per song in `.cache/billboard/`, ignored by
 * git; the first run reads the 541 gzip CSV files, about a minute), kept as the study needs it:
 * treble chroma (one flat array per song), majmin frame labels, the reference intervals, the
 * split, and a content fingerprint of it all that keys the study's result caches.
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
import {
  BILLBOARD_DEFECTS,
  billboardDir,
  type BillboardSplit,
  CHORDINO_PAIR_RATE,
  type ChordInterval,
  loadBillboardFeatures,
} from "../chords/mod.ts";
import { sha256Hex } from "./cache.ts";

/** One song of the study. */
export interface StudySong {
  /** Folder name (e.g. `"0004"`). */
  id: string;
  /** Split of `index.csv`. */
  split: BillboardSplit;
  /** Treble chroma, frames × 12 row-major, pitch class 0 = C. */
  treble: Float64Array;
  /** Bass chroma, frames × 12 row-major, pitch class 0 = C (what the CNN rows also read). */
  bass: Float64Array;
  /** Per frame: index in `MAJMIN_LABELS` (24 = N), −1 where majmin scores nothing. */
  labels: Int32Array;
  /** The reference annotation (`full.lab`). */
  reference: ChordInterval[];
}

/** The study's songs at one feature rate. */
export interface BillboardStudyData {
  /** Frames per second. */
  frameRate: number;
  /**
   * Content fingerprint: SHA-256 of the features, labels and references (the same on any
   * machine holding the same data; what result caches are keyed by).
   */
  fingerprint: string;
  /**
   * SHA-256 of all bass chroma (float64, song after song), what the cache keys of rows whose
   * model reads the bass add to `fingerprint`.
   */
  bassFingerprint: string;
  /** The songs, in `index.csv` order. */
  songs: StudySong[];
}

/**
 * The study's songs (see the module doc). `ids` restricts them to some songs (tests); `dir`
 * (default `billboardDir()`) and `cacheDir` (default: the loader's, `.cache/billboard/`) change
 * the folders; `onProgress` hears how many songs are read.
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
  const loaded = await loadBillboardFeatures(dir, {
    frameRate: CHORDINO_PAIR_RATE,
    exclude: Object.keys(BILLBOARD_DEFECTS),
    ids: options.ids,
    reference: "full",
    cacheDir: options.cacheDir,
    onProgress: (done, total) => {
      if (done === total || done % 100 === 0) {
        options.onProgress?.(`Billboard songs: ${done} of ${total} read`);
      }
    },
  });
  const songs: StudySong[] = loaded.map((s) => {
    if (!s.split || !s.labels || !s.reference) {
      throw new Error(`Billboard song ${s.id}: no split or reference (is index.csv there?)`);
    }
    return {
      id: s.id,
      split: s.split,
      treble: s.treble,
      bass: s.bass,
      labels: s.labels,
      reference: s.reference,
    };
  });
  // fingerprint: SHA-256 of all treble chroma (float64) then all labels (int32), and of the
  // songs' ids, splits, frame counts and references
  const total = songs.reduce((a, s) => a + s.labels.length, 0);
  const buffer = new ArrayBuffer(total * (12 * 8 + 4));
  const chroma = new Float64Array(buffer, 0, total * 12);
  const labels = new Int32Array(buffer, total * 12 * 8, total);
  const bass = new Float64Array(total * 12);
  let at = 0;
  for (const s of songs) {
    chroma.set(s.treble, at * 12);
    labels.set(s.labels, at);
    bass.set(s.bass, at * 12);
    at += s.labels.length;
  }
  const meta = songs.map((s) => ({
    id: s.id,
    split: s.split,
    frames: s.labels.length,
    reference: s.reference,
  }));
  const sha = await sha256Hex(new Uint8Array(buffer));
  const fingerprint = (await sha256Hex(sha + JSON.stringify(meta))).slice(0, 16);
  const bassFingerprint = (await sha256Hex(new Uint8Array(bass.buffer))).slice(0, 16);
  return { frameRate: CHORDINO_PAIR_RATE, fingerprint, bassFingerprint, songs };
}
