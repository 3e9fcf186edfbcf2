/**
 * The chord vocabulary of dChord, defined once: the 24 labels (libfmp order), N (no chord), the
 * binary triad templates, name ↔ index conversion, and the one argmax (the estimated chord of a
 * frame).
 *
 * Label order (index 0..23) is libfmp's `get_chord_labels()`: C, C#, …, B, Cm, C#m, …, Bm;
 * N is index {@linkcode NO_CHORD} = −1. The triads are binary chroma templates rooted at C
 * (C, E, G and C, E♭, G); the template of root r is the rotation by r.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb, notebooks/02_gradient_expected_alignment.ipynb,
 * notebooks/03_dataset_padding.ipynb, notebooks/05_gamma_sweep.ipynb and
 * notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { CHORD_LABELS, chordIndex, triadTemplate } from "./labels.ts";
 * CHORD_LABELS[chordIndex("Am")]; // "Am"
 * triadTemplate(chordIndex("G")); // [0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1]
 * ```
 *
 * @module
 */
import { CHROMA_NAMES } from "./chroma.ts";

/**
 * The 24 chord labels in libfmp order: 12 major triads C..B, then 12 minor triads Cm..Bm.
 *
 * @example
 * ```ts
 * import { CHORD_LABELS } from "./labels.ts";
 * CHORD_LABELS[21]; // "Am"
 * ```
 */
export const CHORD_LABELS: readonly string[] = Object.freeze([
  ...CHROMA_NAMES,
  ...CHROMA_NAMES.map((root) => `${root}m`),
]);

/**
 * Number of chord classes (24 major and minor triads).
 *
 * @example
 * ```ts
 * import { CHORD_LABELS, NUM_CHORDS } from "./labels.ts";
 * NUM_CHORDS === CHORD_LABELS.length; // true
 * ```
 */
export const NUM_CHORDS = 24;

/**
 * Label index of N (no chord).
 *
 * @example
 * ```ts
 * import { chordName, NO_CHORD } from "./labels.ts";
 * chordName(NO_CHORD); // "N"
 * ```
 */
export const NO_CHORD = -1;

/**
 * Binary chroma template of the C major triad (C, E, G).
 *
 * @example
 * ```ts
 * import { MAJOR_TRIAD } from "./labels.ts";
 * MAJOR_TRIAD.join(""); // "100010010000"
 * ```
 */
export const MAJOR_TRIAD: readonly number[] = Object.freeze([1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]);

/**
 * Binary chroma template of the C minor triad (C, E♭, G).
 *
 * @example
 * ```ts
 * import { MINOR_TRIAD } from "./labels.ts";
 * MINOR_TRIAD.join(""); // "100100010000"
 * ```
 */
export const MINOR_TRIAD: readonly number[] = Object.freeze([1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]);

function checkIndex(index: number, name: string): void {
  if (typeof index !== "number" || !Number.isInteger(index)) {
    throw new TypeError(`${name}: label index must be an integer, got ${index}`);
  }
  if (index < NO_CHORD || index >= NUM_CHORDS) {
    throw new RangeError(`${name}: label index must be in -1..23, got ${index}`);
  }
}

/**
 * Index of a simplified label in {@linkcode CHORD_LABELS} (0..23), or {@linkcode NO_CHORD} for
 * `"N"`. Throws a RangeError on any other string.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb and notebooks/02_gradient_expected_alignment.ipynb.
 *
 * @example
 * ```ts
 * import { chordIndex } from "./labels.ts";
 * chordIndex("C#m"); // 13
 * chordIndex("N"); // -1
 * ```
 */
export function chordIndex(label: string): number {
  if (typeof label !== "string") {
    throw new TypeError(`chordIndex: label must be a string, got ${typeof label}`);
  }
  if (label === "N") return NO_CHORD;
  const i = CHORD_LABELS.indexOf(label);
  if (i < 0) {
    throw new RangeError(`chordIndex: ${JSON.stringify(label)} is not one of the 24 labels or N`);
  }
  return i;
}

/**
 * Name of a label index: {@linkcode CHORD_LABELS}[i] for 0..23, `"N"` for {@linkcode NO_CHORD}.
 *
 * Used in notebooks/05_gamma_sweep.ipynb and notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { chordName } from "./labels.ts";
 * chordName(21); // "Am"
 * ```
 */
export function chordName(index: number): string {
  checkIndex(index, "chordName");
  return index === NO_CHORD ? "N" : CHORD_LABELS[index];
}

/**
 * The binary chroma template (12 values) of chord `index` (0..23): the C major or C minor triad
 * rotated to the chord's root. Pass `{ normalized: true }` for unit Euclidean length.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb and notebooks/02_gradient_expected_alignment.ipynb
 * (chord sequences as chroma).
 *
 * @example
 * ```ts
 * import { triadTemplate } from "./labels.ts";
 * triadTemplate(7); // G major: [0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1]
 * triadTemplate(9 + 12, { normalized: true })[9]; // 1 / √3
 * ```
 */
export function triadTemplate(index: number, options: { normalized?: boolean } = {}): number[] {
  checkIndex(index, "triadTemplate");
  if (index === NO_CHORD) throw new RangeError("triadTemplate: N has no template");
  const base = index < 12 ? MAJOR_TRIAD : MINOR_TRIAD;
  const root = index % 12;
  const scale = options.normalized ? 1 / Math.sqrt(3) : 1;
  return Array.from({ length: 12 }, (_, k) => base[(k - root + 12) % 12] * scale);
}

/**
 * Index of the largest of `length` values of `values` starting at `offset` (defaults: all of
 * them). Ties go to the lowest index, as `numpy.argmax`. The one argmax of the library: the
 * estimated chord of a frame from its 24 probabilities (a row of a flat frames × 24 buffer is
 * `argmax(P, n * 24, 24)`). Throws a RangeError for an empty range or a NaN.
 *
 * @example
 * ```ts
 * import { argmax } from "./labels.ts";
 * argmax([0.1, 0.7, 0.7]); // 1
 * argmax(new Float64Array([5, 0, 1, 9]), 1, 2); // 1 (index within the range)
 * ```
 */
export function argmax(values: ArrayLike<number>, offset = 0, length?: number): number {
  const n = length ?? values.length - offset;
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(n) || n < 1) {
    throw new RangeError(`argmax: need a non-empty range, got offset ${offset}, length ${n}`);
  }
  if (offset + n > values.length) {
    throw new RangeError(`argmax: range ${offset}..${offset + n - 1} is beyond ${values.length}`);
  }
  let best = 0;
  for (let c = 0; c < n; c++) {
    const v = values[offset + c];
    if (Number.isNaN(v)) throw new RangeError(`argmax: value ${offset + c} is NaN`);
    if (v > values[offset + best]) best = c;
  }
  return best;
}
