/**
 * Recordings as training material: a recording's chroma and frame labels ({@linkcode SongData}),
 * cut into segments as the report does, the chroma CSV format, and class counts of targets.
 *
 * Rules (report, Section 3/4): per recording, the leading and trailing frames without a chord
 * (label N) are dropped — we keep the frames from the first to the last frame carrying a chord
 * label — then consecutive non-overlapping segments of `segmentLength` (150) frames are cut and
 * a shorter rest is dropped. Which recordings form the report's split, and loading them from
 * `data/`, is in lib/study/data.ts.
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * import { chordRange } from "./dataset.ts";
 * chordRange([-1, 3, 3, -1, 5, -1]); // [1, 4]
 * ```
 *
 * @module
 */

import { NO_CHORD } from "./labels.ts";
import { CHROMA_NAMES } from "./chroma.ts";
import { type Padding, padSequence, removeRepetitions } from "./targets.ts";

/** A piece of a recording: chroma frames and their frame-wise labels. */
export interface Segment {
  /** Song id (the report's songs: `SONGS` of lib/study/data.ts). */
  song: string;
  /** Index of the segment within its song (0-based, in time order). */
  index: number;
  /** Index of the segment's first frame in the song's (untrimmed) feature sequence. */
  start: number;
  /** Chroma vectors, frames × 12. */
  chroma: number[][];
  /** Frame labels: 0..23 (`CHORD_LABELS`) or {@link NO_CHORD}. */
  labels: number[];
}

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
 * Indices `[first, last]` of the first and last frame with a chord label (not N), or `null`
 * when every frame is N.
 *
 * @example
 * ```ts
 * import { chordRange } from "./dataset.ts";
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
 * @example
 * ```ts
 * import { cutSegments } from "./dataset.ts";
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
    throw new RangeError(
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
 * @example
 * ```ts
 * import { parseChromaCsv } from "./dataset.ts";
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
 * @example
 * ```ts
 * import { countClasses } from "./dataset.ts";
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
 * import { classDistribution } from "./dataset.ts";
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
