/**
 * Chord annotations of the FMP notebooks (chapter C5): reading the semicolon-separated CSV
 * files (`"Start";"End";"Label"`, seconds, Harte chord syntax), reducing the labels to the 24
 * major/minor triads plus N (no chord) exactly as the FMP `*_Chords_simplified.csv` files do,
 * and sampling a segment annotation at a feature rate with libfmp's conventions.
 *
 * The chord vocabulary (labels, N, triads) is defined in lib/chords/data/labels.ts.
 *
 * Used in notebooks/09_your_recordings.ipynb.
 *
 * @module
 */

import Papa from "../../deps/papaparse.ts";
import { CHORD_LABELS, chordIndex, NO_CHORD } from "./labels.ts";

/** One row of a chord annotation: the interval [start, end) in seconds and its label. */
export interface ChordSegment {
  /** Start time in seconds. */
  start: number;
  /** End time in seconds (exclusive). */
  end: number;
  /** Label as written in the file (Harte syntax, e.g. `A:min/b7`, or `N`). */
  label: string;
  /** 1-based line number in the file (the header is line 1). */
  line: number;
}

/** Options naming the source in error messages. */
export interface NameOptions {
  /** File or annotation name used in error messages. */
  name?: string;
}

/**
 * Parses the text of an FMP chord annotation CSV (`"Start";"End";"Label"`, semicolon
 * separated, labels quoted, CRLF or LF). Checks the header, that times are finite numbers,
 * that `end >= start`, that rows are sorted by start time and that segments do not overlap
 * (1e-6 s tolerance); each violation throws an error naming the file, line and value.
 * Gaps between segments are allowed (they are N when sampled).
 *
 * Used in notebooks/09_your_recordings.ipynb.
 *
 * @example
 * ```ts
 * const segs = parseChordCsv('"Start";"End";"Label"\n0;1.5;"C"\n1.5;3;"A:min"\n');
 * segs[1]; // { start: 1.5, end: 3, label: "A:min", line: 3 }
 * ```
 */
export function parseChordCsv(text: string, options: NameOptions = {}): ChordSegment[] {
  const name = options.name ?? "chord annotation";
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), {
    delimiter: ";",
    quoteChar: '"',
    skipEmptyLines: "greedy",
    header: false,
  });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    const line = e.row !== undefined ? ` line ${e.row + 1}` : "";
    throw new Error(`${name}:${line}: malformed CSV (${e.message})`);
  }
  const rows = parsed.data;
  if (rows.length === 0) {
    throw new Error(`${name}: empty file, expected header "Start";"End";"Label"`);
  }
  const header = rows[0].map((h) => h.trim().toLowerCase());
  for (const col of ["start", "end", "label"]) {
    if (!header.includes(col)) {
      throw new Error(
        `${name}: line 1: missing column "${col[0].toUpperCase()}${col.slice(1)}" ` +
          `(header is ${JSON.stringify(rows[0])}, expected "Start";"End";"Label")`,
      );
    }
  }
  const iStart = header.indexOf("start");
  const iEnd = header.indexOf("end");
  const iLabel = header.indexOf("label");
  if (rows.length === 1) throw new Error(`${name}: no annotation rows after the header`);
  const out: ChordSegment[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    const line = r + 1;
    if (row.length !== header.length) {
      throw new Error(
        `${name}: line ${line}: expected ${header.length} fields, got ${row.length} ` +
          `(${JSON.stringify(row)})`,
      );
    }
    const start = parseTime(row[iStart], name, line, "Start");
    const end = parseTime(row[iEnd], name, line, "End");
    const label = row[iLabel].trim();
    if (label === "") throw new Error(`${name}: line ${line}: empty label`);
    if (end < start) {
      throw new Error(`${name}: line ${line}: end ${end} is before start ${start}`);
    }
    const prev = out[out.length - 1];
    if (prev) {
      if (start < prev.start) {
        throw new Error(
          `${name}: line ${line}: unsorted times, start ${start} is before the previous ` +
            `start ${prev.start}`,
        );
      }
      if (start < prev.end - 1e-6) {
        throw new Error(
          `${name}: line ${line}: segment [${start}, ${end}) overlaps the previous segment ` +
            `[${prev.start}, ${prev.end})`,
        );
      }
    }
    out.push({ start, end, label, line });
  }
  return out;
}

function parseTime(raw: string, name: string, line: number, column: string): number {
  const s = raw.trim();
  const v = s === "" ? NaN : Number(s);
  if (!Number.isFinite(v)) {
    throw new Error(`${name}: line ${line}: ${column} time ${JSON.stringify(raw)} is not a number`);
  }
  if (v < 0) throw new Error(`${name}: line ${line}: ${column} time ${v} is negative`);
  return v;
}

/**
 * Reads an FMP chord annotation CSV file, see {@link parseChordCsv}. A missing file gives an
 * error naming the path.
 *
 * @example
 * ```ts
 * const segs = await readChordCsv("data/annotations/FMP_C5_F01_Beatles_LetItBe-mm1-4_Original_Chords.csv");
 * segs[0].label; // "N"
 * ```
 */
export async function readChordCsv(path: string): Promise<ChordSegment[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new Error(`annotation file not found: ${path}`);
    throw new Error(`cannot read annotation file ${path}: ${e instanceof Error ? e.message : e}`);
  }
  return parseChordCsv(text, { name: path });
}

const NATURALS: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
const PITCH_NAMES = CHORD_LABELS.slice(0, 12);

/**
 * Harte shorthand qualities accepted by {@link simplifyChordLabel}.
 *
 * @example
 * ```ts
 * KNOWN_QUALITIES.includes("hdim7"); // true
 * ```
 */
export const KNOWN_QUALITIES: readonly string[] = Object.freeze([
  "",
  "maj",
  "min",
  "dim",
  "aug",
  "maj7",
  "min7",
  "7",
  "dim7",
  "hdim7",
  "minmaj7",
  "maj6",
  "min6",
  "9",
  "maj9",
  "min9",
  "11",
  "min11",
  "13",
  "maj13",
  "min13",
  "sus2",
  "sus4",
  "5",
  "1",
]);

/**
 * Reduces a chord label to one of the 24 major/minor triads ({@link CHORD_LABELS}) or `"N"`,
 * reproducing the FMP `*_Chords_simplified.csv` files (checked on every label of the five
 * Beatles annotations) followed by libfmp's `convert_chord_label` (`:min` → `m`, flats →
 * sharps). The rule:
 *
 * - `N` stays `N`;
 * - the root (letter plus any `#`/`b`) is mapped to its pitch class, spelled with sharps;
 * - the chord is minor when its Harte quality starts with `min` or `dim` (`min`, `min7`,
 *   `minmaj7`, `dim`, `dim7`, …), and major otherwise (`maj7`, `7`, `maj6`, `sus4`, `hdim7`,
 *   `aug`, `5`, `1`, no quality, …) — note that `hdim7` becomes major and `dim` minor, as
 *   in the FMP files;
 * - extensions in parentheses and the bass after `/` are dropped.
 *
 * Already simplified labels (`Am`, `C#m`, `Bb`) are accepted too. Anything else (unknown
 * quality, bad root, bad bass or extension syntax) throws an error naming `options.name`,
 * `options.line` and the label.
 *
 * @example
 * ```ts
 * simplifyChordLabel("A:min/b7"); // "Am"
 * simplifyChordLabel("Bb:sus4(9)"); // "A#"
 * simplifyChordLabel("N"); // "N"
 * ```
 */
export function simplifyChordLabel(
  label: string,
  options: NameOptions & { line?: number } = {},
): string {
  const where = `${options.name ?? "chord label"}${
    options.line !== undefined ? `: line ${options.line}` : ""
  }`;
  const fail = (why: string): never => {
    throw new Error(`${where}: unknown chord syntax ${JSON.stringify(label)} (${why})`);
  };
  const s = label.trim();
  if (s === "N") return "N";
  const m = /^([A-G])([#b]*)(.*)$/.exec(s);
  if (!m) return fail("expected N or a root A-G");
  const pc = (((NATURALS[m[1]] + count(m[2], "#") - count(m[2], "b")) % 12) + 12) % 12;
  const root = PITCH_NAMES[pc];
  let rest = m[3];
  // libfmp short form: "Am", "C#m".
  if (rest === "m") return root + "m";
  if (rest === "") return root;
  let bass = "";
  const slash = rest.indexOf("/");
  if (slash >= 0) {
    bass = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
    if (!/^[#b]*(?:[1-9]|1[0-3])$/.test(bass)) fail(`bad bass interval "${bass}"`);
  }
  let quality = "";
  if (rest !== "") {
    if (!rest.startsWith(":")) fail(`unexpected "${rest}" after the root`);
    const q = /^:([A-Za-z0-9]*)(?:\(([^()]*)\))?$/.exec(rest);
    if (!q) return fail(`bad quality or extension syntax "${rest}"`);
    quality = q[1];
    if (!KNOWN_QUALITIES.includes(quality)) fail(`unknown quality "${quality}"`);
    if (q[2] !== undefined && !/^\*?[#b]*\d+(?:,\*?[#b]*\d+)*$/.test(q[2])) {
      fail(`bad extension list "(${q[2]})"`);
    }
  } else if (slash < 0) {
    fail("unexpected text after the root");
  }
  const minor = quality.startsWith("min") || quality.startsWith("dim");
  return minor ? root + "m" : root;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/**
 * Rounds half to even, as `numpy.round` (used by libfmp to turn times into frame indices).
 *
 * @example
 * ```ts
 * roundHalfEven(2.5); // 2
 * roundHalfEven(3.5); // 4
 * ```
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Options of {@link frameLabels}. */
export interface FrameLabelOptions extends NameOptions {
  /** Feature rate in Hz (frames per second). */
  featureRate: number;
  /** Number of frames of the feature sequence to label. */
  numFrames: number;
}

/**
 * Samples a segment annotation at a feature rate, libfmp's convention
 * (`read_structure_annotation(..., Fs, index=True)` then `convert_ann_to_seq_label`):
 * the segment [s, t) seconds covers frames `round(s·Fs) .. round(t·Fs) − 1` (numpy rounding,
 * half to even). Labels are simplified with {@link simplifyChordLabel} and returned as indices
 * (0..23, {@link NO_CHORD} for N). Frames outside every segment are N; the sequence has
 * exactly `numFrames` entries (annotations past the end are cut, as libfmp does with `N`).
 *
 * @example
 * ```ts
 * const segs = parseChordCsv('"Start";"End";"Label"\n0.25;0.5;"C"\n0.5;0.9;"A:min"\n');
 * frameLabels(segs, { featureRate: 10, numFrames: 10 }); // [-1,-1,0,0,0,21,21,21,21,-1]
 * ```
 */
export function frameLabels(segments: ChordSegment[], options: FrameLabelOptions): number[] {
  const { featureRate, numFrames } = options;
  const name = options.name ?? "chord annotation";
  if (!(featureRate > 0) || !Number.isFinite(featureRate)) {
    throw new RangeError(`frameLabels(${name}): bad feature rate ${featureRate}`);
  }
  if (!Number.isInteger(numFrames) || numFrames < 0) {
    throw new RangeError(`frameLabels(${name}): bad number of frames ${numFrames}`);
  }
  const labels = new Array<number>(numFrames).fill(NO_CHORD);
  for (const seg of segments) {
    const idx = chordIndex(simplifyChordLabel(seg.label, { name, line: seg.line }));
    const s = Math.max(0, roundHalfEven(seg.start * featureRate));
    const t = Math.min(numFrames, roundHalfEven(seg.end * featureRate));
    for (let n = s; n < t; n++) labels[n] = idx;
  }
  return labels;
}
