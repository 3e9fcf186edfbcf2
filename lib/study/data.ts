/**
 * The report's data, loaded from the repository's `data/` (built by tools/build_data.ts from the
 * FMP C5 audio): the per-recording chroma CSVs and chord annotations named by
 * `data/chroma/metadata.json`, and the report's split of them into training, validation and test
 * segments ({@linkcode loadSplits}; which song is in which split is {@linkcode SONGS} of
 * report.ts). Errors name the missing or malformed file.
 *
 * Used in notebooks/02_gradient_expected_alignment.ipynb, notebooks/03_dataset_padding.ipynb and
 * notebooks/04_strong_vs_soft_training.ipynb.
 *
 * @example
 * ```ts
 * import { loadSplits } from "./data.ts";
 * const { train, validation, test } = await loadSplits();
 * [train.length, validation.length, test.labels.length]; // [43, 12, 138]
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { frameLabels, readChordCsv } from "../chords/data/annotations.ts";
import {
  chordRange,
  cutSegments,
  parseChromaCsv,
  type Segment,
  type SongData,
} from "../chords/data/dataset.ts";
import { DATA_DIR } from "./paths.ts";
import { SEGMENT_LENGTH, SONGS, type SplitName } from "./report.ts";

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
 * syntax, simplified by lib/chords/data/annotations.ts) or `simplified` (FMP's `*_Chords_simplified.csv`).
 * For the four full songs both give the same labels (same rows, FMP simplified the labels
 * row by row). For the Let It Be excerpt they differ: FMP's simplified excerpt file merges the
 * leading N (0–0.175 s) into the first C and ends at 12.856 s (the end of the audio) instead
 * of 13.39 s, so its trimmed sequence has 138 frames (the report's count, and what the FMP C5
 * notebooks use) against 137 for the original file.
 */
export type AnnotationSource = "original" | "simplified";

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
 * import { loadMetadata } from "./data.ts";
 * const meta = await loadMetadata();
 * meta.featureRate; // 10.7666015625
 * ```
 */
export async function loadMetadata(options: { dataDir?: string } = {}): Promise<ChromaMetadata> {
  const dir = options.dataDir ?? DATA_DIR;
  const path = join(dir, "chroma/metadata.json");
  let meta: ChromaMetadata;
  try {
    meta = JSON.parse(await readText(path, "chroma metadata")) as ChromaMetadata;
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new Error(`${path}: not valid JSON (truncated or corrupt?): ${e.message}`);
  }
  if (!meta || !(meta.featureRate > 0) || !Array.isArray(meta.songs)) {
    throw new Error(`${path}: missing featureRate or songs`);
  }
  return meta;
}

/**
 * Loads one recording from the data directory: its chroma and its frame labels (from the
 * original annotation by default, or FMP's simplified one, see {@link AnnotationSource};
 * simplified to the 24 triads and sampled at the feature rate with libfmp's conventions, see
 * lib/chords/data/annotations.ts).
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * import { loadSong } from "./data.ts";
 * const song = await loadSong("LetItBe-mm1-4");
 * song.chroma.length === song.labels.length; // true
 * ```
 */
export async function loadSong(
  id: string,
  options: { dataDir?: string; metadata?: ChromaMetadata; annotation?: AnnotationSource } = {},
): Promise<SongData> {
  const dir = options.dataDir ?? DATA_DIR;
  const meta = options.metadata ?? await loadMetadata({ dataDir: dir });
  const entry = meta.songs.find((s) => s.id === id);
  if (!entry) {
    throw new Error(
      `song ${JSON.stringify(id)} is not in ${join(dir, "chroma/metadata.json")}`,
    );
  }
  const chromaPath = join(dir, entry.chroma);
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
    throw new RangeError(`loadSong(${id}): unknown annotation source ${JSON.stringify(source)}`);
  }
  const annPath = join(dir, annFile);
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
 * training and validation recordings cut into `segmentLength`-frame segments (default {@linkcode SEGMENT_LENGTH}, 150)
 * after trimming leading/trailing N frames, and the test excerpt as one trimmed segment.
 * Train and validation labels come from the original annotations; the test labels from
 * `testAnnotation` (default `simplified`, FMP's excerpt annotation, as the FMP notebooks and
 * the report: 138 frames; `original` gives 137, see {@link AnnotationSource}).
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * import { loadSplits } from "./data.ts";
 * const { train, validation, test } = await loadSplits();
 * train.length; // 43
 * ```
 */
export async function loadSplits(
  options: { dataDir?: string; segmentLength?: number; testAnnotation?: AnnotationSource } = {},
): Promise<Splits> {
  const dataDir = options.dataDir ?? DATA_DIR;
  const segmentLength = options.segmentLength ?? SEGMENT_LENGTH;
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
 * import { segmentationSummary } from "./data.ts";
 * const rows = await segmentationSummary();
 * rows.filter((r) => r.split === "train").reduce((a, r) => a + r.segments, 0); // 43
 * ```
 */
export async function segmentationSummary(
  options: { dataDir?: string; segmentLength?: number; testAnnotation?: AnnotationSource } = {},
): Promise<SegmentationRow[]> {
  const dataDir = options.dataDir ?? DATA_DIR;
  const segmentLength = options.segmentLength ?? SEGMENT_LENGTH;
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
