/**
 * Chord recognition scored the way the field does it, as `mir_eval.chord.evaluate` (0.7)
 * computes it, from interval lists: weighted chord symbol recall (WCSR) under the `root`,
 * `majmin` and `mirex` rules, and the directional-Hamming segmentation scores `overseg`,
 * `underseg` and `seg`; then per dataset, with a bootstrap interval over songs.
 *
 * Per song ({@linkcode evaluateChords}), step by step as mir_eval does:
 *
 * 1. the estimate is cut or padded with `N` to the reference's span (first start to last
 *    end; mir_eval's `adjust_intervals`);
 * 2. both are cut at every boundary of either (`merge_labeled_intervals`); each piece takes
 *    the label of the last interval starting at or before it (so a gap takes the label before
 *    it), and weighs its duration;
 * 3. each piece's labels are compared under a rule ({@linkcode compareChords}): 1 equal,
 *    0 different, −1 not scored (the reference chord is outside the rule's vocabulary, e.g. `X`,
 *    or a sus chord for majmin); the WCSR is the duration of the equal pieces over the duration
 *    of the scored ones (0 when nothing is scored);
 * 4. segmentation: consecutive intervals with the same chord (mir_eval's encoding with
 *    extended chords reduced, so `C:maj` and `B#:maj` are one chord) are merged, then
 *    `overseg = 1 − h(ref, est)`, `underseg = 1 − h(est, ref)`, `seg = min(overseg, underseg)`,
 *    h the directional Hamming distance normalized by the reference span.
 *
 * Per dataset ({@linkcode summarizeChords}): WCSR is duration-weighted over all songs, the
 * scored duration that is correct over all scored duration (MIREX's "weighted" average: long
 * songs count more); the segmentation scores are the per-song scores averaged with the
 * reference spans as weights. {@linkcode bootstrapChords} adds a 95 % percentile-bootstrap
 * interval over songs (see lib/chords/evaluation/bootstrap.ts).
 *
 * Checked against Debian's python3-mir-eval to 1e-6 on real Billboard references with
 * perturbed estimates and on edge cases (`tools/fixtures/mir_eval_fixtures.py`).
 *
 * @example
 * ```ts
 * import { evaluateChords } from "./mir_eval.ts";
 * const ref = [{ start: 0, end: 2, label: "C:maj7" }, { start: 2, end: 4, label: "A:min" }];
 * const est = [{ start: 0, end: 3, label: "C:maj" }, { start: 3, end: 4, label: "A:min" }];
 * const { scores } = evaluateChords(ref, est);
 * [scores.majmin, scores.root, scores.underseg]; // [0.75, 0.75, 0.75]
 * ```
 *
 * @module
 */
import { degreeSemitones, type HarteChord, parseHarte } from "../data/harte.ts";
import type { ChordInterval } from "../data/lab.ts";
import { bootstrapInterval, type BootstrapOptions, type BootstrapResult } from "./bootstrap.ts";

/** A comparison rule of mir_eval: root only, major/minor triads and N, or ≥ 3 shared notes. */
export type ChordRule = "root" | "majmin" | "mirex";

/** The rules whose WCSR {@linkcode evaluateChords} reports. */
export const CHORD_RULES: readonly ChordRule[] = Object.freeze(["root", "majmin", "mirex"]);

/** Scores of a song or a dataset, each in [0, 1]. */
export interface ChordScores {
  /** WCSR comparing roots only (`N` equals `N`; `X` references not scored). */
  root: number;
  /** WCSR on major/minor triads and `N` (other reference chords not scored). */
  majmin: number;
  /** WCSR where chords sharing ≥ 3 pitch classes are equal (MIREX). */
  mirex: number;
  /** 1 − directional Hamming distance of the reference to the estimate (1: no over-segmentation). */
  overseg: number;
  /** 1 − directional Hamming distance of the estimate to the reference (1: no under-segmentation). */
  underseg: number;
  /** min(overseg, underseg). */
  seg: number;
}

/** The names of {@linkcode ChordScores}, in the order tables print them. */
export const CHORD_SCORES: readonly (keyof ChordScores)[] = Object.freeze([
  "root",
  "majmin",
  "mirex",
  "overseg",
  "underseg",
  "seg",
]);

/** Durations behind a WCSR: correct and scored seconds. */
export interface ScoredDuration {
  /** Seconds where the estimate equals the reference under the rule. */
  correct: number;
  /** Seconds the rule scores. */
  scored: number;
}

/** The evaluation of one song. */
export interface SongChordEvaluation {
  /** Reference span in seconds (last end − first start). */
  duration: number;
  /** The song's scores, as `mir_eval.chord.evaluate` returns them. */
  scores: ChordScores;
  /** Correct and scored seconds per rule (what a dataset-level WCSR adds up). */
  durations: Record<ChordRule, ScoredDuration>;
}

const MAJ8 = "10001001";
const MIN8 = "10010001";

/**
 * mir_eval's comparison of a reference and an estimated chord label under a rule: 1 (equal),
 * 0 (different) or −1 (not scored: the reference is `X`, or outside the rule's vocabulary:
 * for `majmin` every chord that is not a major or minor triad (up to 7ths and 6ths) or `N`,
 * for `mirex` chords of one or two pitch classes). Throws a `ChordLabelError` on an invalid
 * label.
 *
 * @example
 * ```ts
 * import { compareChords } from "./mir_eval.ts";
 * compareChords("C:7", "C:maj", "majmin"); // 1
 * compareChords("C:7", "E:min", "mirex"); // 0 (shares E and G only)
 * compareChords("C:maj7", "E:min", "mirex"); // 1 (shares E, G and B)
 * compareChords("G:sus4", "G:maj", "majmin"); // -1
 * ```
 */
export function compareChords(reference: string, estimate: string, rule: ChordRule): number {
  const ref = parseHarte(reference);
  const est = parseHarte(estimate);
  return compare(ref, est, rule);
}

function compare(ref: HarteChord, est: HarteChord, rule: ChordRule): number {
  if (ref.kind === "X") return -1;
  switch (rule) {
    case "root":
      return ref.root === est.root ? 1 : 0;
    case "majmin": {
      const head = ref.intervals.slice(0, 8).join("");
      const isNone = ref.kind === "N";
      if (head !== MAJ8 && head !== MIN8 && !isNone) return -1;
      return ref.root === est.root && head === est.intervals.slice(0, 8).join("") ? 1 : 0;
    }
    case "mirex": {
      const count = ref.intervals.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
      if (count > 0 && count < 3) return -1;
      if (ref.root === -1 && est.root === -1) return 1;
      const refChroma = absolute(ref);
      const estChroma = absolute(est);
      let shared = 0;
      for (let c = 0; c < 12; c++) shared += refChroma[c] * estChroma[c];
      return shared >= 3 ? 1 : 0;
    }
    default:
      throw new RangeError(`compareChords: unknown rule ${JSON.stringify(rule)}`);
  }
}

/** Absolute pitch classes of a chord: the non-zero entries of its bitmap moved to its root (X: all, as mir_eval). */
function absolute(chord: HarteChord): number[] {
  const out = new Array<number>(12).fill(0);
  chord.intervals.forEach((v, i) => {
    if (v !== 0) out[(((i + chord.root) % 12) + 12) % 12] = 1;
  });
  return out;
}

// mir_eval's EXTENDED_QUALITY_REDUX: extended qualities as a simpler one plus degrees.
const EXTENDED: Record<string, [string, string[]]> = {
  minmaj7: ["min", ["7"]],
  maj9: ["maj7", ["9"]],
  min9: ["min7", ["9"]],
  "9": ["7", ["9"]],
  "11": ["7", ["9", "11"]],
  "13": ["7", ["9", "11", "13"]],
  min11: ["min7", ["9", "11"]],
  maj13: ["maj7", ["9", "11", "13"]],
  min13: ["min7", ["9", "11", "13"]],
};

/**
 * The chord identity mir_eval's `merge_chord_intervals` compares: root, bitmap and bass of the
 * encoding with extended chords reduced (upper degrees folded into the octave).
 */
function mergeKey(label: string): string {
  const chord = parseHarte(label);
  if (chord.kind !== "chord") return chord.kind;
  const [quality, extra] = EXTENDED[chord.quality] ?? [chord.quality, []];
  const sum = quality === ""
    ? new Array<number>(12).fill(0)
    : [...parseHarte(`C:${quality}`).intervals];
  sum[0] = 1;
  for (const d of new Set([...chord.degrees, ...extra])) {
    const omit = d.startsWith("*");
    const semis = degreeSemitones(omit ? d.slice(1) : d);
    sum[((semis % 12) + 12) % 12] += omit ? -1 : 1;
  }
  const bits = sum.map((v) => (v > 0 ? 1 : 0));
  bits[chord.bassInterval] = 1;
  return `${chord.root}:${bits.join("")}/${chord.bassInterval}`;
}

/** Merges consecutive intervals of the same chord (mir_eval's merge_chord_intervals), as [start, end] pairs. */
function mergeChordIntervals(intervals: readonly ChordInterval[]): [number, number][] {
  const out: [number, number][] = [];
  let prev: string | null = null;
  for (const { start, end, label } of intervals) {
    const key = mergeKey(label);
    if (key !== prev) {
      out.push([start, end]);
      prev = key;
    } else out[out.length - 1][1] = end;
  }
  return out;
}

/** mir_eval's directional Hamming distance of `reference` to `estimate` (both [start, end] pairs). */
function directionalHamming(
  reference: readonly [number, number][],
  estimate: readonly [number, number][],
): number {
  const ts = [...new Set(estimate.flat())].sort((a, b) => a - b);
  let seg = 0;
  let k = 0;
  for (const [start, end] of reference) {
    while (k < ts.length && ts[k] < start) k++;
    let j = k;
    let prev = start;
    let longest = 0;
    while (j < ts.length && ts[j] < end) {
      longest = Math.max(longest, ts[j] - prev);
      prev = ts[j];
      j++;
    }
    longest = Math.max(longest, end - prev);
    seg += end - start - longest;
  }
  return seg / (reference[reference.length - 1][1] - reference[0][0]);
}

/** Checks an interval list: times finite and ≥ 0, positive durations, in order, no overlap, valid labels. */
function checkIntervals(intervals: readonly ChordInterval[], name: string): void {
  if (!Array.isArray(intervals)) {
    throw new TypeError(`evaluateChords: the ${name} must be an array of intervals`);
  }
  intervals.forEach((iv, i) => {
    const { start, end, label } = iv ?? {};
    if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || !(end > start)) {
      throw new RangeError(`evaluateChords: ${name} interval ${i} has bad times ${start}..${end}`);
    }
    if (i > 0 && start < intervals[i - 1].end) {
      throw new RangeError(
        `evaluateChords: ${name} interval ${i} starts at ${start}, before interval ${i - 1} ` +
          `ends (${intervals[i - 1].end}); intervals must be in order and must not overlap`,
      );
    }
    try {
      parseHarte(label);
    } catch (e) {
      throw new RangeError(`evaluateChords: ${name} interval ${i}: ${(e as Error).message}`);
    }
  });
}

/** The estimate cut or padded with N to [tMin, tMax] (mir_eval's adjust_intervals), empty pieces dropped. */
function adjust(estimate: readonly ChordInterval[], tMin: number, tMax: number): ChordInterval[] {
  let est = estimate.map((iv) => ({ ...iv }));
  const first = est.findIndex((iv) => iv.end >= tMin);
  if (first >= 0) est = est.slice(first);
  const last = est.findIndex((iv) => iv.start > tMax);
  if (last >= 0) est = est.slice(0, last);
  for (const iv of est) {
    iv.start = Math.min(tMax, Math.max(tMin, iv.start));
    iv.end = Math.min(tMax, Math.max(tMin, iv.end));
  }
  est = est.filter((iv) => iv.end > iv.start);
  if (est.length === 0) return [{ start: tMin, end: tMax, label: "N" }];
  if (est[0].start > tMin) est.unshift({ start: tMin, end: est[0].start, label: "N" });
  const lastEnd = est[est.length - 1].end;
  if (lastEnd < tMax) est.push({ start: lastEnd, end: tMax, label: "N" });
  return est;
}

/** The pieces between consecutive boundaries of both lists, with each list's label there. */
function mergeLabeled(
  reference: readonly ChordInterval[],
  estimate: readonly ChordInterval[],
): { duration: number; ref: HarteChord; est: HarteChord }[] {
  const bounds = [
    ...new Set([...reference, ...estimate].flatMap((iv) => [iv.start, iv.end])),
  ].sort((a, b) => a - b);
  const out: { duration: number; ref: HarteChord; est: HarteChord }[] = [];
  let r = 0, e = 0;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const t0 = bounds[i];
    while (r + 1 < reference.length && reference[r + 1].start <= t0) r++;
    while (e + 1 < estimate.length && estimate[e + 1].start <= t0) e++;
    out.push({
      duration: bounds[i + 1] - t0,
      ref: parseHarte(reference[r].label),
      est: parseHarte(estimate[e].label),
    });
  }
  return out;
}

/**
 * Scores an estimated annotation against a reference as `mir_eval.chord.evaluate` does (see
 * the module documentation): WCSR under `root`, `majmin` and `mirex`, and `overseg`,
 * `underseg`, `seg`; plus the correct and scored seconds per rule. Both lists must be in
 * order, without overlaps (as {@linkcode parseLab} returns them), with valid Harte labels;
 * the reference must not be empty. The estimate may be empty (it is then `N` throughout).
 *
 * @example
 * ```ts
 * import { evaluateChords } from "./mir_eval.ts";
 * const ref = [{ start: 0, end: 4, label: "G:sus4" }, { start: 4, end: 8, label: "G:maj" }];
 * const r = evaluateChords(ref, [{ start: 0, end: 8, label: "G:maj" }]);
 * [r.scores.majmin, r.durations.majmin.scored, r.scores.underseg]; // [1, 4, 0.5]
 * ```
 */
export function evaluateChords(
  reference: readonly ChordInterval[],
  estimate: readonly ChordInterval[],
): SongChordEvaluation {
  checkIntervals(reference, "reference");
  checkIntervals(estimate, "estimate");
  if (reference.length === 0) throw new RangeError("evaluateChords: the reference is empty");
  const tMin = reference[0].start;
  const tMax = reference[reference.length - 1].end;
  const est = adjust(estimate, tMin, tMax);
  const pieces = mergeLabeled(reference, est);
  const durations = {} as Record<ChordRule, ScoredDuration>;
  const scores = {} as ChordScores;
  for (const rule of CHORD_RULES) {
    let correct = 0, scored = 0;
    for (const { duration, ref, est } of pieces) {
      const c = compare(ref, est, rule);
      if (c < 0) continue;
      scored += duration;
      correct += c * duration;
    }
    durations[rule] = { correct, scored };
    scores[rule] = scored > 0 ? correct / scored : 0;
  }
  const refMerged = mergeChordIntervals(reference);
  const estMerged = mergeChordIntervals(est);
  scores.overseg = 1 - directionalHamming(refMerged, estMerged);
  scores.underseg = 1 - directionalHamming(estMerged, refMerged);
  scores.seg = Math.min(scores.overseg, scores.underseg);
  return { duration: tMax - tMin, scores, durations };
}

/**
 * Dataset-level scores of many songs: each WCSR is the correct duration over the scored
 * duration summed over all songs; `overseg`, `underseg` and `seg` are the songs' scores
 * averaged with their reference spans as weights. Throws on an empty list.
 *
 * @example
 * ```ts
 * import { evaluateChords, summarizeChords } from "./mir_eval.ts";
 * const a = evaluateChords([{ start: 0, end: 1, label: "C:maj" }], [{ start: 0, end: 1, label: "C:maj" }]);
 * const b = evaluateChords([{ start: 0, end: 3, label: "C:maj" }], [{ start: 0, end: 3, label: "N" }]);
 * summarizeChords([a, b]).majmin; // 0.25 (1 s of 4 s)
 * ```
 */
export function summarizeChords(songs: readonly SongChordEvaluation[]): ChordScores {
  if (songs.length === 0) throw new RangeError("summarizeChords: no songs");
  const out = {} as ChordScores;
  for (const rule of CHORD_RULES) {
    let correct = 0, scored = 0;
    for (const s of songs) {
      correct += s.durations[rule].correct;
      scored += s.durations[rule].scored;
    }
    out[rule] = scored > 0 ? correct / scored : 0;
  }
  const total = songs.reduce((a, s) => a + s.duration, 0);
  for (const key of ["overseg", "underseg", "seg"] as const) {
    out[key] = songs.reduce((a, s) => a + s.scores[key] * s.duration, 0) / total;
  }
  return out;
}

/**
 * Every dataset-level score ({@linkcode summarizeChords}) with its percentile bootstrap
 * interval over songs ({@linkcode bootstrapInterval}: 1000 resamples of the songs with
 * replacement, seed 2025, 95 % unless the options say otherwise; the same seed resamples
 * the same songs for every score).
 *
 * @example
 * ```ts
 * import { bootstrapChords, evaluateChords } from "./mir_eval.ts";
 * const ref = [{ start: 0, end: 2, label: "C:maj" }];
 * const songs = [0.5, 1, 1.5].map((t) =>
 *   evaluateChords(ref, [{ start: 0, end: t, label: "C:maj" }])
 * );
 * const ci = bootstrapChords(songs).majmin; // { estimate: 0.5, low: ..., high: ... }
 * ```
 */
export function bootstrapChords(
  songs: readonly SongChordEvaluation[],
  options: BootstrapOptions = {},
): Record<keyof ChordScores, BootstrapResult> {
  const out = {} as Record<keyof ChordScores, BootstrapResult>;
  for (const key of CHORD_SCORES) {
    out[key] = bootstrapInterval(songs, (sample) => summarizeChords(sample)[key], options);
  }
  return out;
}
