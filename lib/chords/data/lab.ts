/**
 * Chord annotations as labelled time intervals: reading and writing MIREX `.lab` files
 * (`start end label` per line, seconds, Harte labels) and turning frame-wise decisions into
 * intervals.
 *
 * {@linkcode parseLab} is strict, with two tolerances for the way published annotations are
 * written: blank lines at the end of the file, and consecutive intervals that overlap by float
 * noise (at most {@linkcode LAB_TOLERANCE} seconds, as in the McGill Billboard files, where
 * one interval ends at `14.013514739000001` and the next starts at `14.013514739`); the earlier
 * interval's end is then moved to the next start, so the result never overlaps (mir_eval's
 * segmentation scores refuse overlapping references). Gaps are kept as they are.
 *
 * @example
 * ```ts
 * import { formatLab, framesToIntervals, parseLab } from "./lab.ts";
 * const intervals = framesToIntervals([0, 0, 21, 21, 24], {
 *   frameRate: 2,
 *   labels: ["C:maj", ...new Array(20).fill("?"), "A:min", "?", "?", "N"],
 * });
 * formatLab(intervals); // "0\t1\tC:maj\n1\t2\tA:min\n2\t2.5\tN\n"
 * parseLab(formatLab(intervals))[1]; // { start: 1, end: 2, label: "A:min" }
 * ```
 *
 * @module
 */
import { parseHarte } from "./harte.ts";

/** A labelled time interval [start, end) in seconds. */
export interface ChordInterval {
  /** Start time in seconds. */
  start: number;
  /** End time in seconds (after `start`). */
  end: number;
  /** Chord label in Harte syntax (`C:maj`, `A:min7/b7`, `N`, `X`). */
  label: string;
}

/** Largest overlap of consecutive intervals (seconds) that {@linkcode parseLab} treats as float noise. */
export const LAB_TOLERANCE = 1e-6;

/**
 * Parses the text of a chord `.lab` file: one interval per line, `start end label` separated by
 * tabs or spaces, times in seconds, labels in Harte syntax. Trailing blank lines are ignored;
 * overlaps of consecutive intervals up to {@linkcode LAB_TOLERANCE} are float noise (the
 * earlier end is moved to the later start). Anything else throws an error naming `source` and
 * the 1-based line: a wrong number of fields, a time that is not a finite number ≥ 0, an end
 * not after its start, intervals out of order or overlapping, an invalid chord label, a blank
 * line inside the file, or no interval at all.
 *
 * @example
 * ```ts
 * import { parseLab } from "./lab.ts";
 * const text = "0.0\t1.5000000000001\tN\n1.5\t3.2\tA:min7\n\n";
 * parseLab(text, "song.lab"); // [{ start: 0, end: 1.5, label: "N" }, { start: 1.5, end: 3.2, ... }]
 * ```
 */
export function parseLab(text: string, source = "chord .lab"): ChordInterval[] {
  if (typeof text !== "string") {
    throw new TypeError(`parseLab(${source}): text must be a string, got ${typeof text}`);
  }
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let last = lines.length;
  while (last > 0 && lines[last - 1].trim() === "") last--;
  const out: ChordInterval[] = [];
  for (let i = 0; i < last; i++) {
    const where = `${source}, line ${i + 1}`;
    const line = lines[i].trim();
    if (line === "") throw new Error(`${where}: blank line inside the annotation`);
    const fields = line.split(/\s+/);
    if (fields.length !== 3) {
      throw new Error(
        `${where}: expected 3 fields (start end label), got ${fields.length}: ` +
          JSON.stringify(lines[i]),
      );
    }
    const [start, end] = [fields[0], fields[1]].map((f) => {
      const x = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(f) ? Number(f) : NaN;
      if (!Number.isFinite(x) || x < 0) {
        throw new Error(`${where}: time ${JSON.stringify(f)} is not a finite number >= 0`);
      }
      return x;
    });
    const label = fields[2];
    try {
      parseHarte(label);
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`);
    }
    const prev = out[out.length - 1];
    if (prev !== undefined && start < prev.end) {
      if (prev.end - start > LAB_TOLERANCE) {
        throw new Error(
          `${where}: interval starts at ${start}, before the previous one ends (${prev.end})`,
        );
      }
      prev.end = start;
      if (!(prev.end > prev.start)) {
        throw new Error(`${source}, line ${i}: interval ${prev.start}..${prev.end} is empty`);
      }
    }
    if (!(end > start)) {
      throw new Error(`${where}: end ${end} is not after start ${start}`);
    }
    out.push({ start, end, label });
  }
  if (out.length === 0) throw new Error(`${source}: no interval in the annotation`);
  return out;
}

/** A time in seconds with at most 9 decimals, without trailing zeros or exponent. */
function formatTime(t: number): string {
  const s = t.toFixed(9);
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/**
 * Writes intervals as a MIREX `.lab` text: one `start<TAB>end<TAB>label` line each (times in
 * seconds with up to 9 decimals), ending with a newline. Throws on a time that is not finite
 * and ≥ 0, an end not after its start, intervals out of order, or a label that is empty or
 * contains whitespace.
 *
 * @example
 * ```ts
 * import { formatLab } from "./lab.ts";
 * formatLab([{ start: 0, end: 1.25, label: "C:maj" }]); // "0\t1.25\tC:maj\n"
 * ```
 */
export function formatLab(intervals: readonly ChordInterval[]): string {
  let text = "";
  let prevEnd = 0;
  intervals.forEach(({ start, end, label }, i) => {
    if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || !(end > start)) {
      throw new RangeError(`formatLab: interval ${i} has bad times ${start}..${end}`);
    }
    if (start < prevEnd - LAB_TOLERANCE) {
      throw new RangeError(`formatLab: interval ${i} starts at ${start}, before ${prevEnd}`);
    }
    if (typeof label !== "string" || label === "" || /\s/.test(label)) {
      throw new RangeError(`formatLab: interval ${i} has a bad label ${JSON.stringify(label)}`);
    }
    prevEnd = end;
    text += `${formatTime(start)}\t${formatTime(end)}\t${label}\n`;
  });
  return text;
}

/** Options of {@linkcode framesToIntervals}. */
export interface FramesToIntervalsOptions {
  /** Frames per second. */
  frameRate: number;
  /**
   * The label of each state: state s is `labels[s]`. State −1 is `N` (the course's NO_CHORD)
   * for a vocabulary without an `N` of its own, such as the course's 24 chords; with one (as
   * `MAJMIN_LABELS`, where −1 marks frames majmin does not score) −1 is an error.
   */
  labels: readonly string[];
  /**
   * What instant frame i stands for (default `"start"`):
   * - `"start"`: frame i spans [i / frameRate, (i + 1) / frameRate), a change between frames
   *   b − 1 and b is at b / frameRate (the Billboard study's Chordino frames, whose time stamps
   *   the study reads as frame starts: evaluated with `"centre"` instead, every row of the study
   *   lost about 0.8 points of majmin WCSR, so their content lies later than the stamp);
   * - `"centre"`: frame i stands for the instant i / frameRate, the centre of a centred STFT
   *   frame (`featuresFromAudio`), and spans [(i − ½) / frameRate, (i + ½) / frameRate), the
   *   first from 0, so a change between frames b − 1 and b is placed halfway, at
   *   (b − ½) / frameRate: the inverse of libfmp's sampling of an annotation into frames (the
   *   interval [s, t) covers frames round(s · rate) … round(t · rate) − 1) and the convention of
   *   `alignChords` (lib/recordings).
   */
  frameTime?: "start" | "centre";
  /**
   * Duration of the recording in seconds: the last interval ends there (frames whose span
   * starts at or after it are dropped). Default: the end of the last frame's span.
   */
  duration?: number;
}

/**
 * Turns frame-wise states (e.g. decoded chord indices) into intervals, one per run of equal
 * labels; frame i spans [i / frameRate, (i + 1) / frameRate), or with `frameTime: "centre"`
 * [(i − ½) / frameRate, (i + ½) / frameRate) (see {@linkcode FramesToIntervalsOptions}). Runs of
 * frames with the same label are merged. Throws on a bad frame rate or duration and on a state
 * that is not an integer naming a label.
 *
 * @example
 * ```ts
 * import { framesToIntervals } from "./lab.ts";
 * framesToIntervals([1, 1, 0], { frameRate: 10, labels: ["N", "G:maj"], duration: 0.25 });
 * // [{ start: 0, end: 0.2, label: "G:maj" }, { start: 0.2, end: 0.25, label: "N" }]
 * framesToIntervals([1, 1, 0], { frameRate: 10, labels: ["N", "G:maj"], frameTime: "centre" });
 * // [{ start: 0, end: 0.15, label: "G:maj" }, { start: 0.15, end: 0.25, label: "N" }]
 * ```
 */
export function framesToIntervals(
  states: ArrayLike<number>,
  options: FramesToIntervalsOptions,
): ChordInterval[] {
  const { frameRate, labels, duration, frameTime = "start" } = options;
  if (frameTime !== "start" && frameTime !== "centre") {
    throw new RangeError(
      `framesToIntervals: frameTime must be "start" or "centre", got ${frameTime}`,
    );
  }
  const shift = frameTime === "centre" ? 0.5 : 0; // frame i's span starts at (i − shift) / rate
  if (!(frameRate > 0) || !Number.isFinite(frameRate)) {
    throw new RangeError(`framesToIntervals: bad frame rate ${frameRate}`);
  }
  if (duration !== undefined && (!(duration > 0) || !Number.isFinite(duration))) {
    throw new RangeError(`framesToIntervals: bad duration ${duration}`);
  }
  // keep the frames whose span starts before the end
  const n = duration === undefined
    ? states.length
    : Math.min(states.length, Math.max(1, Math.ceil(duration * frameRate + shift - 1e-9)));
  const end = duration ?? (states.length - shift) / frameRate;
  const ownN = labels.indexOf("N");
  const out: ChordInterval[] = [];
  for (let i = 0; i < n; i++) {
    const s = states[i];
    if (!Number.isInteger(s) || s < -1 || s >= labels.length) {
      throw new RangeError(
        `framesToIntervals: frame ${i} has state ${s}, not -1 or an index of the ${labels.length} labels`,
      );
    }
    if (s === -1 && ownN >= 0) {
      throw new RangeError(
        `framesToIntervals: frame ${i} has state -1, but the labels have their own N ` +
          `(state ${ownN}): -1 names no label here`,
      );
    }
    const label = s === -1 ? "N" : labels[s];
    const last = out[out.length - 1];
    if (last !== undefined && last.label === label) continue;
    const start = i === 0 ? 0 : (i - shift) / frameRate;
    if (last !== undefined) last.end = start;
    out.push({ start, end: NaN, label });
  }
  if (out.length > 0) out[out.length - 1].end = end;
  return out;
}
