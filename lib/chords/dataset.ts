/**
 * The report's dataset: chroma features and chord labels of four Beatles songs (FMP C5),
 * cut into 150-frame segments, with strong (frame-wise one-hot) and weak (repetitions
 * removed, padded to a "soft length") targets.
 *
 * Rules (report, Section 3/4): per recording, the leading and trailing frames without a chord
 * (label N) are dropped — we keep the frames from the first to the last frame carrying a chord
 * label — then consecutive non-overlapping segments of `segmentLength` (150) frames are cut and
 * a shorter rest is dropped. Train = Here Comes the Sun, Ob-La-Di Ob-La-Da, Let It Be (full
 * song); validation = Penny Lane; test = the Let It Be bars 1-4 excerpt as one segment of its
 * full trimmed length.
 *
 * Data come from the project's `data/` directory (built by tools/build_data.ts):
 * `data/chroma/metadata.json`, `data/chroma/<song>.csv` and `data/annotations/*_Chords.csv`.
 *
 * Used in notebooks/03_dataset_padding.ipynb and by the training notebooks (through
 * {@link loadSplits}).
 *
 * @module
 */

import { CHORD_LABELS, frameLabels, NO_CHORD, readChordCsv } from "./annotations.ts";
import { CHROMA_NAMES } from "./chroma.ts";

export { CHORD_LABELS, NO_CHORD };

/** A piece of a recording: chroma frames and their frame-wise labels. */
export interface Segment {
  /** Song id (see {@link SONGS}). */
  song: string;
  /** Index of the segment within its song (0-based, in time order). */
  index: number;
  /** Index of the segment's first frame in the song's (untrimmed) feature sequence. */
  start: number;
  /** Chroma vectors, frames × 12. */
  chroma: number[][];
  /** Frame labels: 0..23 ({@link CHORD_LABELS}) or {@link NO_CHORD}. */
  labels: number[];
}

/** Padding of a reduced weak label sequence to the soft length. */
export type Padding = "uniform" | "last";

/** Options of the weak targets. */
export interface WeakOptions {
  /** Length of the padded weak sequence (the report uses 16 and 75). */
  softLength: number;
  /** `uniform`: stretch every element evenly; `last`: repeat the last element. */
  padding: Padding;
}

/** The report's data split. */
export interface Splits {
  /** Training segments (43 in the report). */
  train: Segment[];
  /** Validation segments (12 in the report). */
  validation: Segment[];
  /** The test excerpt as one segment (138 frames in the report). */
  test: Segment;
  /** Feature rate in Hz (22050 / 2048). */
  featureRate: number;
}

/** Which split a recording belongs to. */
export type SplitName = "train" | "validation" | "test";

/** One recording of the dataset and its source files. */
export interface SongInfo {
  /** Short id, used as file name of its chroma CSV. */
  id: string;
  /** Human-readable title. */
  title: string;
  /** Source audio file name in the FMP C5 folder (not redistributed). */
  audio: string;
  /** Original chord annotation CSV (Harte syntax), copied into data/annotations/. */
  annotation: string;
  /** FMP's simplified annotation CSV (24 triads), copied into data/annotations/ for tests. */
  simplified: string;
  /** Split of the report. */
  split: SplitName;
}

const FULL = "FMP_C5_Audio_Beatles_";

/**
 * The five recordings of the report, in split order.
 *
 * @example
 * ```ts
 * SONGS.filter((s) => s.split === "train").map((s) => s.id); // ["HereComesTheSun", "ObLaDiObLaDa", "LetItBe"]
 * ```
 */
export const SONGS: readonly SongInfo[] = Object.freeze([
  song(
    "HereComesTheSun",
    "Here Comes the Sun",
    `${FULL}HereComesTheSun_Beatles_1969-AbbeyRoad-07`,
    "mp3",
    "train",
  ),
  song(
    "ObLaDiObLaDa",
    "Ob-La-Di, Ob-La-Da",
    `${FULL}ObLaDiObLaDa_Beatles_1968-TheBeatlesTheWhiteAlbumDisc1-04`,
    "mp3",
    "train",
  ),
  song("LetItBe", "Let It Be", `${FULL}LetItBe_Beatles_1970-LetItBe-06`, "mp3", "train"),
  song(
    "PennyLane",
    "Penny Lane",
    `${FULL}PennyLane_Beatles_1967-MagicalMysteryTour-09`,
    "mp3",
    "validation",
  ),
  song(
    "LetItBe-mm1-4",
    "Let It Be (bars 1-4)",
    "FMP_C5_F01_Beatles_LetItBe-mm1-4_Original",
    "wav",
    "test",
  ),
]);

function song(id: string, title: string, stem: string, ext: string, split: SplitName): SongInfo {
  return Object.freeze({
    id,
    title,
    audio: `${stem}.${ext}`,
    annotation: `${stem}_Chords.csv`,
    simplified: `${stem}_Chords_simplified.csv`,
    split,
  });
}

/** Contents of `data/chroma/metadata.json` (written by tools/build_data.ts). */
export interface ChromaMetadata {
  /** Feature rate in Hz. */
  featureRate: number;
  /** Audio sampling rate in Hz. */
  sampleRate: number;
  /** Feature parameters (nFft, hop, gamma, …). */
  parameters: Record<string, unknown>;
  /** One entry per recording. */
  songs: {
    id: string;
    title: string;
    audio: string;
    audioSha256: string;
    samples: number;
    frames: number;
    chroma: string;
    annotation: string;
    /** FMP's simplified annotation (path relative to the data directory). */
    simplifiedAnnotation?: string;
  }[];
}

/**
 * Which FMP annotation file the frame labels come from: `original` (`*_Chords.csv`, Harte
 * syntax, simplified by lib/annotations.ts) or `simplified` (FMP's `*_Chords_simplified.csv`).
 * For the four full songs both give the same labels (same rows, FMP simplified the labels
 * row by row). For the Let It Be excerpt they differ: FMP's simplified excerpt file merges the
 * leading N (0–0.175 s) into the first C and ends at 12.856 s (the end of the audio) instead
 * of 13.39 s, so its trimmed sequence has 138 frames (the report's count, and what the FMP C5
 * notebooks use) against 137 for the original file.
 */
export type AnnotationSource = "original" | "simplified";

/** A whole recording: chroma and frame labels. */
export interface SongData {
  /** Song id. */
  id: string;
  /** Chroma, frames × 12. */
  chroma: number[][];
  /** Frame labels (0..23 or {@link NO_CHORD}), same length as `chroma`. */
  labels: number[];
  /** Feature rate in Hz. */
  featureRate: number;
}

/**
 * Default data directory: `data/` next to `lib/`.
 *
 * @example
 * ```ts
 * defaultDataDir().endsWith("/data/"); // true
 * ```
 */
export function defaultDataDir(): string {
  return decodeURIComponent(new URL("../../data/", import.meta.url).pathname);
}

function joinPath(dir: string, file: string): string {
  return dir.endsWith("/") ? dir + file : `${dir}/${file}`;
}

function checkLabels(labels: number[], what: string): void {
  labels.forEach((l, i) => {
    if (!Number.isInteger(l) || l < NO_CHORD || l >= CHORD_LABELS.length) {
      throw new Error(`${what}: label ${i} is ${l}, expected an integer in -1..23`);
    }
  });
}

/**
 * Frame-wise one-hot targets (frames × 24); N gives an all-zero row.
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * strongTargets([0, -1])[0][0]; // 1
 * strongTargets([0, -1])[1].every((v) => v === 0); // true
 * ```
 */
export function strongTargets(labels: number[]): number[][] {
  checkLabels(labels, "strongTargets");
  return labels.map(oneHot);
}

function oneHot(label: number): number[] {
  const row = new Array<number>(CHORD_LABELS.length).fill(0);
  if (label !== NO_CHORD) row[label] = 1;
  return row;
}

/**
 * Removes adjacent repetitions (N is kept as an element like any chord).
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * removeRepetitions([0, 0, -1, -1, 0, 7, 7]); // [0, -1, 0, 7]
 * ```
 */
export function removeRepetitions(labels: number[]): number[] {
  const out: number[] = [];
  for (const l of labels) if (out.length === 0 || out[out.length - 1] !== l) out.push(l);
  return out;
}

/**
 * Number of copies of each element of a length-`L` sequence stretched uniformly to length
 * `S >= L`: `c_i = floor((i+1)·S/L) − floor(i·S/L)`. Every element gets `floor(S/L)` or
 * `floor(S/L) + 1` copies; the `S mod L` extra copies are spread evenly (Bresenham-like) and
 * the counts sum to S.
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * uniformRepeats(3, 8); // [2, 3, 3]
 * ```
 */
export function uniformRepeats(length: number, softLength: number): number[] {
  const counts: number[] = [];
  for (let i = 0; i < length; i++) {
    counts.push(
      Math.floor(((i + 1) * softLength) / length) - Math.floor((i * softLength) / length),
    );
  }
  return counts;
}

/**
 * Pads a reduced label sequence to `softLength` elements.
 * `uniform`: element i is repeated {@link uniformRepeats}`[i]` times (i.e. `softLength // L`
 * or one more, extras spread evenly); `last`: the sequence is kept and its last element is
 * repeated until the length is reached. Errors (naming `options.name`): empty sequence,
 * `softLength` not a positive integer, `softLength` shorter than the sequence.
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * padSequence([0, 7, 9], { softLength: 8, padding: "uniform" }); // [0,0,7,7,7,9,9,9]
 * padSequence([0, 7, 9], { softLength: 5, padding: "last" }); // [0,7,9,9,9]
 * ```
 */
export function padSequence(
  reduced: number[],
  options: WeakOptions & { name?: string },
): number[] {
  const { softLength, padding } = options;
  const name = options.name ?? "sequence";
  if (!Number.isInteger(softLength) || softLength <= 0) {
    throw new Error(
      `padSequence(${name}): softLength must be a positive integer, got ${softLength}`,
    );
  }
  if (reduced.length === 0) throw new Error(`padSequence(${name}): the sequence is empty`);
  if (softLength < reduced.length) {
    throw new Error(
      `padSequence(${name}): softLength ${softLength} is shorter than the reduced sequence ` +
        `(${reduced.length} elements)`,
    );
  }
  if (padding === "last") {
    const out = reduced.slice();
    while (out.length < softLength) out.push(reduced[reduced.length - 1]);
    return out;
  }
  if (padding === "uniform") {
    const counts = uniformRepeats(reduced.length, softLength);
    const out: number[] = [];
    reduced.forEach((l, i) => {
      for (let k = 0; k < counts[i]; k++) out.push(l);
    });
    return out;
  }
  throw new Error(`padSequence(${name}): unknown padding ${JSON.stringify(padding)}`);
}

/**
 * Weak targets (softLength × 24): adjacent repetitions removed, padded to `softLength`
 * ({@link padSequence}), one-hot with N as an all-zero row.
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * weakTargets([0, 0, 0, 7], { softLength: 4, padding: "last" }).length; // 4
 * ```
 */
export function weakTargets(
  labels: number[],
  options: WeakOptions & { name?: string },
): number[][] {
  checkLabels(labels, `weakTargets(${options.name ?? "sequence"})`);
  return padSequence(removeRepetitions(labels), options).map(oneHot);
}

/**
 * Indices `[first, last]` of the first and last frame with a chord label (not N), or `null`
 * when every frame is N.
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * chordRange([-1, 3, 3, -1, 5, -1]); // [1, 4]
 * ```
 */
export function chordRange(labels: number[]): [number, number] | null {
  let first = -1;
  let last = -1;
  labels.forEach((l, i) => {
    if (l !== NO_CHORD) {
      if (first < 0) first = i;
      last = i;
    }
  });
  return first < 0 ? null : [first, last];
}

/**
 * Cuts a recording into segments as the report: trim leading/trailing N frames
 * ({@link chordRange}), then consecutive non-overlapping `segmentLength`-frame segments; a
 * shorter rest is dropped. With `segmentLength` omitted, the whole trimmed recording is one
 * segment (used for the test excerpt).
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * const song = { id: "x", chroma: Array.from({ length: 7 }, () => new Array(12).fill(0)),
 *   labels: [-1, 0, 0, 1, 1, 2, -1], featureRate: 10 };
 * cutSegments(song, { segmentLength: 2 }).map((s) => s.start); // [1, 3]
 * ```
 */
export function cutSegments(song: SongData, options: { segmentLength?: number } = {}): Segment[] {
  const range = chordRange(song.labels);
  if (range === null) throw new Error(`cutSegments(${song.id}): no frame has a chord label`);
  const [first, last] = range;
  const length = options.segmentLength ?? last - first + 1;
  if (!Number.isInteger(length) || length <= 0) {
    throw new Error(
      `cutSegments(${song.id}): segmentLength must be a positive integer, got ${length}`,
    );
  }
  const out: Segment[] = [];
  for (let s = first, i = 0; s + length - 1 <= last; s += length, i++) {
    out.push({
      song: song.id,
      index: i,
      start: s,
      chroma: song.chroma.slice(s, s + length),
      labels: song.labels.slice(s, s + length),
    });
  }
  return out;
}

/**
 * Parses a chroma CSV (`C,C#,...,B` header, one row of 12 numbers per frame), checking the
 * header, the field count and that every value is a finite number (errors name the file, line
 * and value).
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * parseChromaCsv("C,C#,D,D#,E,F,F#,G,G#,A,A#,B\n1,0,0,0,0,0,0,0,0,0,0,0\n").length; // 1
 * ```
 */
export function parseChromaCsv(text: string, name = "chroma CSV"): number[][] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
  if (lines.length === 0) throw new Error(`${name}: empty file`);
  const header = lines[0].split(",").map((h) => h.trim());
  if (header.join(",") !== CHROMA_NAMES.join(",")) {
    throw new Error(
      `${name}: line 1: header is "${lines[0]}", expected "${CHROMA_NAMES.join(",")}"`,
    );
  }
  const out: number[][] = [];
  for (let i = 1; i < lines.length; i++) {
    const fields = lines[i].split(",");
    if (fields.length !== 12) {
      throw new Error(`${name}: line ${i + 1}: expected 12 values, got ${fields.length}`);
    }
    out.push(fields.map((f, j) => {
      const v = f.trim() === "" ? NaN : Number(f);
      if (!Number.isFinite(v)) {
        throw new Error(
          `${name}: line ${i + 1}, column ${CHROMA_NAMES[j]}: bad value ${JSON.stringify(f)}`,
        );
      }
      return v;
    }));
  }
  if (out.length === 0) throw new Error(`${name}: no frames after the header`);
  return out;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`${what} not found: ${path} (run \`deno task build-data <audio-folder>\`)`);
    }
    throw e;
  }
}

/**
 * Reads `data/chroma/metadata.json`.
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * const meta = await loadMetadata();
 * meta.featureRate; // 10.7666015625
 * ```
 */
export async function loadMetadata(options: { dataDir?: string } = {}): Promise<ChromaMetadata> {
  const dir = options.dataDir ?? defaultDataDir();
  const path = joinPath(dir, "chroma/metadata.json");
  const meta = JSON.parse(await readText(path, "chroma metadata")) as ChromaMetadata;
  if (!(meta.featureRate > 0) || !Array.isArray(meta.songs)) {
    throw new Error(`${path}: missing featureRate or songs`);
  }
  return meta;
}

/**
 * Loads one recording from the data directory: its chroma and its frame labels (from the
 * original annotation by default, or FMP's simplified one, see {@link AnnotationSource};
 * simplified to the 24 triads and sampled at the feature rate with libfmp's conventions, see
 * lib/annotations.ts).
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * const song = await loadSong("LetItBe-mm1-4");
 * song.chroma.length === song.labels.length; // true
 * ```
 */
export async function loadSong(
  id: string,
  options: { dataDir?: string; metadata?: ChromaMetadata; annotation?: AnnotationSource } = {},
): Promise<SongData> {
  const dir = options.dataDir ?? defaultDataDir();
  const meta = options.metadata ?? await loadMetadata({ dataDir: dir });
  const entry = meta.songs.find((s) => s.id === id);
  if (!entry) {
    throw new Error(
      `song ${JSON.stringify(id)} is not in ${joinPath(dir, "chroma/metadata.json")}`,
    );
  }
  const chromaPath = joinPath(dir, entry.chroma);
  const chroma = parseChromaCsv(await readText(chromaPath, "chroma file"), chromaPath);
  if (chroma.length !== entry.frames) {
    throw new Error(`${chromaPath}: ${chroma.length} frames, metadata says ${entry.frames}`);
  }
  const source = options.annotation ?? "original";
  let annFile = entry.annotation;
  if (source === "simplified") {
    const info = SONGS.find((s) => s.id === id);
    annFile = entry.simplifiedAnnotation ?? (info ? `annotations/${info.simplified}` : "");
    if (annFile === "") throw new Error(`song ${JSON.stringify(id)}: no simplified annotation`);
  } else if (source !== "original") {
    throw new Error(`loadSong(${id}): unknown annotation source ${JSON.stringify(source)}`);
  }
  const annPath = joinPath(dir, annFile);
  const segments = await readChordCsv(annPath);
  const labels = frameLabels(segments, {
    featureRate: meta.featureRate,
    numFrames: chroma.length,
    name: annPath,
  });
  return { id, chroma, labels, featureRate: meta.featureRate };
}

/**
 * Loads the report's split from the data directory (default: `data/` next to `lib/`):
 * training and validation recordings cut into `segmentLength`-frame segments (default 150)
 * after trimming leading/trailing N frames, and the test excerpt as one trimmed segment.
 * Train and validation labels come from the original annotations; the test labels from
 * `testAnnotation` (default `simplified`, FMP's excerpt annotation, as the FMP notebooks and
 * the report: 138 frames; `original` gives 137, see {@link AnnotationSource}).
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * const { train, validation, test } = await loadSplits();
 * train.length; // 43
 * ```
 */
export async function loadSplits(
  options: { dataDir?: string; segmentLength?: number; testAnnotation?: AnnotationSource } = {},
): Promise<Splits> {
  const dataDir = options.dataDir ?? defaultDataDir();
  const segmentLength = options.segmentLength ?? 150;
  const metadata = await loadMetadata({ dataDir });
  const train: Segment[] = [];
  const validation: Segment[] = [];
  let test: Segment | undefined;
  for (const info of SONGS) {
    const annotation = info.split === "test" ? options.testAnnotation ?? "simplified" : "original";
    const data = await loadSong(info.id, { dataDir, metadata, annotation });
    if (info.split === "test") {
      test = cutSegments(data)[0];
    } else {
      (info.split === "train" ? train : validation).push(...cutSegments(data, { segmentLength }));
    }
  }
  if (!test) throw new Error("loadSplits: no test recording");
  return { train, validation, test, featureRate: metadata.featureRate };
}

/** Counts of target elements by class. */
export interface ClassCounts {
  /** Elements labelled with a major triad (0..11). */
  major: number;
  /** Elements labelled with a minor triad (12..23). */
  minor: number;
  /** Elements labelled N. */
  noChord: number;
}

/**
 * Counts major, minor and N elements of a label sequence.
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * countClasses([0, 12, -1, 11]); // { major: 2, minor: 1, noChord: 1 }
 * ```
 */
export function countClasses(labels: number[]): ClassCounts {
  const c: ClassCounts = { major: 0, minor: 0, noChord: 0 };
  for (const l of labels) {
    if (l === NO_CHORD) c.noChord++;
    else if (l < 12) c.major++;
    else c.minor++;
  }
  return c;
}

/** One row of {@link classDistribution}: a target type and its class counts. */
export interface ClassDistributionRow extends ClassCounts {
  /** Target type: `strong`, `weak`, or `weak <padding> <softLength>`. */
  target: string;
  /** Total number of elements. */
  total: number;
}

/**
 * Class distribution of a set of segments, as the report's Tables 4.2 (train) and 4.3
 * (validation): counts of major, minor and N elements for the strong targets (frames), the
 * weak targets without padding (repetitions removed), and the weak targets padded to each
 * soft length (default 16 and 75) with each padding (uniform, last).
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * const seg = { song: "x", index: 0, start: 0, chroma: [], labels: [0, 0, 12] };
 * classDistribution([seg], { softLengths: [4] })[1]; // { target: "weak", major: 1, minor: 1, noChord: 0, total: 2 }
 * ```
 */
export function classDistribution(
  segments: Segment[],
  options: { softLengths?: number[]; paddings?: Padding[] } = {},
): ClassDistributionRow[] {
  const softLengths = options.softLengths ?? [16, 75];
  const paddings = options.paddings ?? ["uniform", "last"];
  const row = (target: string, seqs: number[][]): ClassDistributionRow => {
    const c = countClasses(seqs.flat());
    return { target, ...c, total: c.major + c.minor + c.noChord };
  };
  const rows = [
    row("strong", segments.map((s) => s.labels)),
    row("weak", segments.map((s) => removeRepetitions(s.labels))),
  ];
  for (const softLength of softLengths) {
    for (const padding of paddings) {
      rows.push(row(
        `weak ${padding} ${softLength}`,
        segments.map((s) =>
          padSequence(removeRepetitions(s.labels), {
            softLength,
            padding,
            name: `${s.song} segment ${s.index}`,
          })
        ),
      ));
    }
  }
  return rows;
}

/** One row of {@link segmentationSummary}: how a recording is trimmed and cut. */
export interface SegmentationRow {
  /** Song id. */
  song: string;
  /** Split of the report. */
  split: SplitName;
  /** Frames of the whole recording. */
  frames: number;
  /** First frame with a chord label. */
  firstChord: number;
  /** Last frame with a chord label. */
  lastChord: number;
  /** Frames from the first to the last chord frame. */
  trimmed: number;
  /** Number of segments (the test excerpt is one segment of its trimmed length). */
  segments: number;
  /** Trimmed frames left over after the last full segment (dropped). */
  dropped: number;
}

/**
 * How each recording of the report's split is trimmed and cut (the same rules as
 * {@link loadSplits}, with the same options), one row per recording.
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * const rows = await segmentationSummary();
 * rows.filter((r) => r.split === "train").reduce((a, r) => a + r.segments, 0); // 43
 * ```
 */
export async function segmentationSummary(
  options: { dataDir?: string; segmentLength?: number; testAnnotation?: AnnotationSource } = {},
): Promise<SegmentationRow[]> {
  const dataDir = options.dataDir ?? defaultDataDir();
  const segmentLength = options.segmentLength ?? 150;
  const metadata = await loadMetadata({ dataDir });
  const rows: SegmentationRow[] = [];
  for (const info of SONGS) {
    const annotation = info.split === "test" ? options.testAnnotation ?? "simplified" : "original";
    const data = await loadSong(info.id, { dataDir, metadata, annotation });
    const range = chordRange(data.labels);
    if (range === null) throw new Error(`segmentationSummary(${info.id}): no chord frames`);
    const trimmed = range[1] - range[0] + 1;
    const segments = info.split === "test" ? 1 : cutSegments(data, { segmentLength }).length;
    rows.push({
      song: info.id,
      split: info.split,
      frames: data.labels.length,
      firstChord: range[0],
      lastChord: range[1],
      trimmed,
      segments,
      dropped: info.split === "test" ? 0 : trimmed - segments * segmentLength,
    });
  }
  return rows;
}
