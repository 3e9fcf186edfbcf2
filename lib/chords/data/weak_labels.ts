/**
 * Weakened chord annotations for the Billboard study (notebooks/08_weak_labels_at_scale.ipynb):
 * the chord sequence of a song without any time ({@linkcode chordSequence}, what a lead sheet
 * or a chord website gives), an annotation whose chord boundaries are distorted
 * ({@linkcode distortBoundaries}: Gaussian noise on every boundary, or one global offset), and
 * the report's weak targets cut from frame labels ({@linkcode weakSegments}: 150-frame
 * segments, repetitions removed, padded with the course's padding of `targets.ts`).
 *
 * @example
 * ```ts
 * import { chordSequence } from "./weak_labels.ts";
 * chordSequence([
 *   { start: 0, end: 1, label: "N" },
 *   { start: 1, end: 2, label: "C:maj7" },
 *   { start: 2, end: 3, label: "C:maj" },
 *   { start: 3, end: 4, label: "G:sus4" },
 *   { start: 4, end: 5, label: "A:min" },
 * ]); // Int32Array [24, 0, 21]
 * ```
 *
 * @module
 */
import { majminIndex } from "./harte.ts";
import type { ChordInterval } from "./lab.ts";
import { type Padding, padSequence, removeRepetitions } from "./targets.ts";

/**
 * The chord sequence of an annotation without times: the index in `MAJMIN_LABELS` of each
 * interval's majmin reduction (`N` = 24 included), chords the majmin vocabulary excludes (and
 * `X`) left out, then adjacent repetitions removed.
 *
 * @example
 * ```ts
 * import { chordSequence } from "./weak_labels.ts";
 * chordSequence([{ start: 0, end: 1, label: "C:maj" }, { start: 1, end: 2, label: "C:7" }]); // [0]
 * ```
 */
export function chordSequence(intervals: readonly ChordInterval[]): Int32Array {
  const out: number[] = [];
  for (const { label } of intervals) {
    const i = majminIndex(label);
    if (i >= 0 && out[out.length - 1] !== i) out.push(i);
  }
  return Int32Array.from(out);
}

/** Options of {@linkcode distortBoundaries}. */
export interface DistortionOptions {
  /** Standard deviation in seconds of the Gaussian noise added to every inner boundary. */
  sigma?: number;
  /** Seconds added to every boundary (a global offset; positive = later). */
  offset?: number;
  /** Uniform random numbers in [0, 1) (e.g. `mulberry32(seed)`), for the noise. */
  random?: () => number;
}

/**
 * An annotation with distorted chord boundaries: every boundary between two intervals moved by
 * `offset` plus Gaussian noise of standard deviation `sigma` (Box–Muller on `random`), then
 * clipped to the annotation's span and sorted so that intervals keep their order (an interval
 * that two crossing boundaries squeeze out gets length 0 and is dropped). The first start and
 * the last end stay. Labels are unchanged.
 *
 * @example
 * ```ts
 * import { distortBoundaries } from "./weak_labels.ts";
 * const ref = [{ start: 0, end: 2, label: "C:maj" }, { start: 2, end: 4, label: "G:maj" }];
 * distortBoundaries(ref, { offset: 0.5 }); // C:maj 0–2.5, G:maj 2.5–4
 * ```
 */
export function distortBoundaries(
  intervals: readonly ChordInterval[],
  options: DistortionOptions,
): ChordInterval[] {
  const { sigma = 0, offset = 0, random } = options;
  if (!(sigma >= 0) || !Number.isFinite(sigma)) {
    throw new RangeError(`distortBoundaries: sigma must be a finite number >= 0, got ${sigma}`);
  }
  if (!Number.isFinite(offset)) {
    throw new RangeError(`distortBoundaries: offset must be a finite number, got ${offset}`);
  }
  if (sigma > 0 && typeof random !== "function") {
    throw new TypeError("distortBoundaries: sigma > 0 needs a random number generator");
  }
  if (intervals.length === 0) return [];
  const first = intervals[0].start, last = intervals[intervals.length - 1].end;
  const gauss = () => {
    const u = 1 - random!(), v = random!();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const inner = intervals.slice(1).map((iv) => {
    const moved = iv.start + offset + (sigma > 0 ? sigma * gauss() : 0);
    return Math.min(last, Math.max(first, moved));
  }).sort((a, b) => a - b);
  const bounds = [first, ...inner, last];
  return intervals
    .map((iv, i) => ({ start: bounds[i], end: bounds[i + 1], label: iv.label }))
    .filter((iv) => iv.end > iv.start);
}

/** One weak target: a run of a song's frames and its chord sequence (indices, maybe padded). */
export interface WeakSegment {
  /** First frame. */
  start: number;
  /** Number of frames. */
  frames: number;
  /** The target sequence. */
  target: Int32Array;
}

/** Options of {@linkcode weakSegments}. */
export interface WeakSegmentOptions {
  /** Frames per segment (the report: 150, about 14 s at 10.77 frames/s). */
  segmentLength: number;
  /** Pad every segment's sequence to this length (`null`: no padding). */
  softLength: number | null;
  /** How (`padSequence` of targets.ts); needed with a `softLength`. */
  padding?: Padding;
}

/**
 * The report's weak targets on a song's frame labels (0..24 with N = 24 an element like any
 * chord, −1 = no label): consecutive segments of `segmentLength` frames from frame 0 (a shorter
 * rest is dropped, as the report does); each segment's labels without the −1 frames, adjacent
 * repetitions removed (`removeRepetitions`) and padded to `softLength` (`padSequence`, uniform or
 * last). A segment without any label is left out; so is one with more chords than the soft
 * length (padding cannot shorten it), counted in `tooLong`.
 *
 * Used by lib/study/billboard.ts (the study of notebooks/08_weak_labels_at_scale.ipynb).
 *
 * @example
 * ```ts
 * import { weakSegments } from "./weak_labels.ts";
 * const labels = Int32Array.from([0, 0, 7, 7, 24, 24, 9]);
 * weakSegments(labels, { segmentLength: 3, softLength: 4, padding: "last" }).segments;
 * // [{ start: 0, frames: 3, target: [0, 7, 7, 7] }, { start: 3, frames: 3, target: [7, 24, 24, 24] }]
 * ```
 */
export function weakSegments(
  labels: Int32Array,
  options: WeakSegmentOptions,
): { segments: WeakSegment[]; tooLong: number } {
  const { segmentLength, softLength, padding } = options;
  if (!Number.isInteger(segmentLength) || segmentLength < 1) {
    throw new RangeError(
      `weakSegments: segmentLength must be a positive integer, got ${segmentLength}`,
    );
  }
  if (softLength !== null && padding === undefined) {
    throw new RangeError("weakSegments: a softLength needs a padding (uniform or last)");
  }
  const segments: WeakSegment[] = [];
  let tooLong = 0;
  for (let start = 0; start + segmentLength <= labels.length; start += segmentLength) {
    const known: number[] = [];
    for (let m = start; m < start + segmentLength; m++) if (labels[m] >= 0) known.push(labels[m]);
    if (known.length === 0) continue;
    const reduced = removeRepetitions(known);
    if (softLength !== null && reduced.length > softLength) {
      tooLong++;
      continue;
    }
    const target = softLength === null
      ? reduced
      : padSequence(reduced, { softLength, padding: padding!, name: `segment at ${start}` });
    segments.push({ start, frames: segmentLength, target: Int32Array.from(target) });
  }
  return { segments, tooLong };
}
