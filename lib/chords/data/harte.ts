/**
 * Chord labels in Harte syntax (`C:maj`, `A:min7/b7`, `G:(3,5)`, `N`, `X`) read with
 * mir_eval's conventions (`mir_eval.chord`, version 0.7): the parts of a label, its encoding
 * (root, relative pitch-class bitmap, bass), and the MIREX major/minor reduction to the 25
 * classes that a chord recognizer of this kit outputs.
 *
 * The rules, as mir_eval applies them:
 *
 * - A label is valid when it matches the Harte grammar of the JAMS chord namespace (roots
 *   `A`–`G` with any number of `b` or `#`; the shorthands of {@linkcode HARTE_QUALITIES}; scale
 *   degrees `1`–`13` with flats/sharps, `*` for an omission; one `/bass` degree). `aug7` and
 *   `maj11` pass the grammar but mir_eval cannot encode them: they are errors here too.
 * - Without `:` the quality is `maj`; with degrees and no shorthand (`C:(3,5)`) it is empty.
 * - The bitmap is the shorthand's, with the root always set, each added degree set and each
 *   `*` degree removed; degrees an octave or more above the root (`9`, `11`, `13`, `#7`) are
 *   dropped, and the bass degree (wrapped to one octave) is always set.
 * - `N` (no chord) has root −1 and an empty bitmap; `X` (unknown) has root −1 and a bitmap of
 *   −1 everywhere.
 * - Major/minor reduction ({@linkcode majminLabel}): a chord whose bitmap agrees with the major
 *   (minor) triad on the first 8 semitones is major (minor): 6ths and 7ths (above the fifth)
 *   keep their triad, while sus, dim, aug, power chords, an added 2nd or 4th, an omitted third
 *   or fifth, and inversions over a bass outside the triad below the minor sixth (`C:maj/2`,
 *   `C:maj/4`) are excluded; `N` stays `N`; `X` is excluded. This is the set of reference
 *   chords that `mir_eval.chord.majmin` scores.
 *
 * Checked against Debian's python3-mir-eval on every distinct label of the 542 Billboard
 * `full.lab` files and hand-written edge cases (`tools/fixtures/mir_eval_fixtures.py`).
 *
 * @example
 * ```ts
 * import { majminIndex, majminLabel, parseHarte } from "./harte.ts";
 * parseHarte("A:min7/b7").root; // 9
 * majminLabel("Db:7/3"); // "C#:maj"
 * majminLabel("G:sus4"); // null
 * majminIndex("N"); // 24
 * ```
 *
 * @module
 */

/** Error thrown for a chord label that is not valid Harte syntax (or that mir_eval cannot encode). */
export class ChordLabelError extends Error {
  /** The offending label. */
  readonly label: string;
  /** Builds the error; `message` says what is wrong with `label`. */
  constructor(label: string, message: string) {
    super(message);
    this.name = "ChordLabelError";
    this.label = label;
  }
}

/** A chord label split into its parts and encoded with mir_eval's rules. */
export interface HarteChord {
  /** The label as given. */
  label: string;
  /** `"chord"`, `"N"` (no chord) or `"X"` (unknown chord). */
  kind: "chord" | "N" | "X";
  /** Root spelling as written (`Db`, `F#`), `""` for N and X. */
  rootName: string;
  /** Root pitch class, 0 = C … 11 = B; −1 for N and X. */
  root: number;
  /** Quality shorthand (`maj`, `min7`, …); `""` for N, X, and degrees without a shorthand. */
  quality: string;
  /** The degrees in parentheses as written (`["b7", "*5"]`), sorted, without duplicates. */
  degrees: string[];
  /** Bass scale degree as written (`"1"` when there is no `/`); `""` for N and X. */
  bass: string;
  /** Bass in semitones above the root, 0..11; −1 for N and X. */
  bassInterval: number;
  /**
   * 12 entries relative to the root (entry 0 = the root): 1 where the chord sounds that pitch
   * class, else 0 (mir_eval's `encode`); all 0 for N, all −1 for X.
   */
  intervals: number[];
}

const QUALITY_TABLE: Record<string, number[]> = {
  maj: [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0],
  min: [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0],
  aug: [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0],
  dim: [1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0],
  sus4: [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0],
  sus2: [1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0],
  "7": [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0],
  maj7: [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1],
  min7: [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0],
  minmaj7: [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1],
  maj6: [1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0],
  min6: [1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0],
  dim7: [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0],
  hdim7: [1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0],
  maj9: [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1],
  min9: [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0],
  "9": [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0],
  b9: [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0],
  "#9": [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0],
  min11: [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0],
  "11": [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0],
  "#11": [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0],
  maj13: [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1],
  min13: [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0],
  "13": [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0],
  b13: [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0],
  "1": [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  "5": [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
};

/**
 * The quality shorthands mir_eval can encode (its `QUALITIES` without the empty one), each with
 * its bitmap relative to the root (entry 0 = the root).
 *
 * @example
 * ```ts
 * import { HARTE_QUALITIES } from "./harte.ts";
 * HARTE_QUALITIES.min7.join(""); // "100100010010"
 * ```
 */
export const HARTE_QUALITIES: Readonly<Record<string, readonly number[]>> = Object.freeze(
  Object.fromEntries(Object.entries(QUALITY_TABLE).map(([k, v]) => [k, Object.freeze(v)])),
);

/** Root spellings of the 12 pitch classes used for output labels (C = 0), sharps as in the course. */
const ROOT_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

/**
 * The 25 classes of a major/minor chord recognizer as Harte labels: the 12 major triads
 * `C:maj` … `B:maj`, the 12 minor triads `C:min` … `B:min` (the order of the course's
 * `CHORD_LABELS`: index i here is index i there), then `N` at index 24.
 *
 * @example
 * ```ts
 * import { MAJMIN_LABELS } from "./harte.ts";
 * MAJMIN_LABELS[21]; // "A:min"
 * MAJMIN_LABELS[24]; // "N"
 * ```
 */
export const MAJMIN_LABELS: readonly string[] = Object.freeze([
  ...ROOT_NAMES.map((r) => `${r}:maj`),
  ...ROOT_NAMES.map((r) => `${r}:min`),
  "N",
]);

/** Index of `N` in {@linkcode MAJMIN_LABELS}. */
export const MAJMIN_NO_CHORD = 24;

// The Harte grammar as mir_eval validates it (the JAMS chord namespace).
const QUALITY_ALTERNATIVES =
  "maj|min|dim|aug|1|5|sus2|sus4|maj6|min6|7|maj7|min7|dim7|hdim7|minmaj7|aug7|9|maj9|min9|11|" +
  "maj11|min11|13|maj13|min13";
const DEGREE = "(?:b*|#*)(?:[1-9]|1[0-3])";
const DEGREE_LIST = `\\*?${DEGREE}(?:,\\*?${DEGREE})*`;
const HARTE_PATTERN = new RegExp(
  `^(?:N|X|[A-G](?:b*|#*)(?::(?:(?:${QUALITY_ALTERNATIVES})(?:\\(${DEGREE_LIST}\\))?|` +
    `\\(${DEGREE_LIST}\\)))?(?:/${DEGREE})?)$`,
);

const NATURALS: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
const DEGREE_SEMITONES: Record<string, number> = {
  "1": 0,
  "2": 2,
  "3": 4,
  "4": 5,
  "5": 7,
  "6": 9,
  "7": 11,
  "8": 12,
  "9": 14,
  "10": 16,
  "11": 17,
  "12": 19,
  "13": 21,
};

const mod12 = (x: number) => ((x % 12) + 12) % 12;

/**
 * Semitones of a Harte scale degree above the root, not wrapped to the octave (mir_eval's
 * `scale_degree_to_semitone`): `b3` → 3, `9` → 14, `bb1` → −2. Throws a RangeError on
 * anything but flats or sharps followed by a degree 1..13.
 *
 * @example
 * ```ts
 * import { degreeSemitones } from "./harte.ts";
 * degreeSemitones("#11"); // 18
 * ```
 */
export function degreeSemitones(degree: string): number {
  const m = /^(b*|#*)(\d+)$/.exec(degree);
  if (m === null || !Object.hasOwn(DEGREE_SEMITONES, m[2])) {
    throw new RangeError(`degreeSemitones: bad scale degree ${JSON.stringify(degree)}`);
  }
  const shift = m[1].startsWith("#") ? m[1].length : -m[1].length;
  return DEGREE_SEMITONES[m[2]] + shift;
}

const cache = new Map<string, HarteChord>();

/**
 * Parses a Harte chord label into its parts and mir_eval's encoding. Throws a
 * {@linkcode ChordLabelError} naming the label when it is not valid Harte syntax or uses a
 * shorthand mir_eval cannot encode (`aug7`, `maj11`). The result is frozen and cached.
 *
 * @example
 * ```ts
 * import { parseHarte } from "./harte.ts";
 * const c = parseHarte("Eb:min7/b3");
 * [c.root, c.quality, c.bass, c.bassInterval]; // [3, "min7", "b3", 3]
 * c.intervals.join(""); // "100100010010"
 * parseHarte("X").intervals[0]; // -1
 * ```
 */
export function parseHarte(label: string): HarteChord {
  if (typeof label !== "string") {
    throw new TypeError(`parseHarte: a chord label must be a string, got ${typeof label}`);
  }
  const hit = cache.get(label);
  if (hit) return hit;
  const chord = Object.freeze(parseUncached(label));
  Object.freeze(chord.degrees);
  Object.freeze(chord.intervals);
  if (cache.size < 100_000) cache.set(label, chord);
  return chord;
}

function parseUncached(label: string): HarteChord {
  if (!HARTE_PATTERN.test(label)) {
    throw new ChordLabelError(label, `invalid Harte chord label ${JSON.stringify(label)}`);
  }
  if (label === "N" || label === "X") {
    return {
      label,
      kind: label,
      rootName: "",
      root: -1,
      quality: "",
      degrees: [],
      bass: "",
      bassInterval: -1,
      intervals: new Array(12).fill(label === "N" ? 0 : -1),
    };
  }
  let rest = label;
  let bass = "1";
  const slash = rest.indexOf("/");
  if (slash >= 0) [rest, bass] = [rest.slice(0, slash), rest.slice(slash + 1)];
  let degrees: string[] = [];
  const paren = rest.indexOf("(");
  if (paren >= 0) {
    degrees = [...new Set(rest.slice(paren + 1, -1).split(","))].sort();
    rest = rest.slice(0, paren);
  }
  const colon = rest.indexOf(":");
  const rootName = colon >= 0 ? rest.slice(0, colon) : rest;
  const written = colon >= 0 ? rest.slice(colon + 1) : "";
  const quality = written !== "" ? written : degrees.length > 0 ? "" : "maj";
  const base = quality === ""
    ? new Array<number>(12).fill(0)
    : Object.hasOwn(HARTE_QUALITIES, quality)
    ? HARTE_QUALITIES[quality]
    : undefined;
  if (base === undefined) {
    throw new ChordLabelError(
      label,
      `chord label ${JSON.stringify(label)}: quality ${JSON.stringify(quality)} has no ` +
        "interval definition in mir_eval (supported: " + Object.keys(HARTE_QUALITIES).join(", ") +
        ")",
    );
  }
  let root = NATURALS[rootName[0]];
  for (const ch of rootName.slice(1)) root += ch === "#" ? 1 : -1;
  const sum = [...base];
  sum[0] = 1;
  for (const d of degrees) {
    const omit = d.startsWith("*");
    const semis = degreeSemitones(omit ? d.slice(1) : d);
    if (semis < 12) sum[mod12(semis)] += omit ? -1 : 1;
  }
  const intervals = sum.map((v) => (v > 0 ? 1 : 0));
  const bassInterval = mod12(degreeSemitones(bass));
  intervals[bassInterval] = 1;
  return {
    label,
    kind: "chord",
    rootName,
    root: mod12(root),
    quality,
    degrees,
    bass,
    bassInterval,
    intervals,
  };
}

const MAJ8 = HARTE_QUALITIES.maj.slice(0, 8).join("");
const MIN8 = HARTE_QUALITIES.min.slice(0, 8).join("");

/**
 * The MIREX major/minor reduction of a Harte label as mir_eval's `majmin` comparison applies
 * it to a reference: `"<root>:maj"` or `"<root>:min"` spelled as in {@linkcode MAJMIN_LABELS}
 * (sharps: `Db:7` → `C#:maj`), `"N"` for N, and `null` for X and for every chord majmin
 * excludes (see the module documentation). Throws a {@linkcode ChordLabelError} for an invalid
 * label.
 *
 * @example
 * ```ts
 * import { majminLabel } from "./harte.ts";
 * majminLabel("A:min7"); // "A:min"
 * majminLabel("C:maj/5"); // "C:maj"
 * majminLabel("C:maj/2"); // null (the bass D is outside the triad, below the sixth)
 * majminLabel("X"); // null
 * ```
 */
export function majminLabel(label: string): string | null {
  const i = majminIndex(label);
  return i < 0 ? null : MAJMIN_LABELS[i];
}

/**
 * Index of a Harte label's major/minor reduction ({@linkcode majminLabel}) in
 * {@linkcode MAJMIN_LABELS}: 0..11 major, 12..23 minor, 24 N, and −1 for X and excluded
 * chords. Throws a {@linkcode ChordLabelError} for an invalid label.
 *
 * @example
 * ```ts
 * import { majminIndex } from "./harte.ts";
 * majminIndex("C:maj"); // 0
 * majminIndex("B:min9"); // 23
 * majminIndex("N"); // 24
 * majminIndex("F:sus4"); // -1
 * ```
 */
export function majminIndex(label: string): number {
  const chord = parseHarte(label);
  if (chord.kind === "N") return MAJMIN_NO_CHORD;
  if (chord.kind === "X") return -1;
  const head = chord.intervals.slice(0, 8).join("");
  if (head === MAJ8) return chord.root;
  if (head === MIN8) return 12 + chord.root;
  return -1;
}
