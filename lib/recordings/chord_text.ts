/**
 * Chord sequences as people write them (a lead sheet, a chord website), parsed into Harte
 * symbols (mir_eval's syntax, e.g. `A:min`, `F#:min7`, `Bb:maj/3`):
 *
 * - tokens are separated by white space; bar lines `|` (also `||`, `|:`, `:|`) are ignored;
 * - a token is a root `A`–`G` with any `#`/`b` (also `♯`/`♭`), a quality written the usual
 *   ways (`m`, `min`, `-`, `7`, `maj7`, `M7`, `m7`, `dim`, `°`, `m7b5`, `ø`, `aug`, `+`, `sus2`,
 *   `sus4`, `sus`, `6`, `m6`, `9`, `maj9`, `m9`, `add9`, `5`, `13`, `11`, `dim7`, `7sus4`,
 *   `mmaj7`) and an optional bass `/E` (a note, written as the interval from the root as Harte
 *   does: `Bb/D` → `Bb:maj/3`);
 * - `N`, `NC` and `N.C.` mean no chord; a token with `:` is taken as Harte syntax and checked;
 * - repeats are kept (`Am Am F` is three chords: the text says how many the music has).
 *
 * A token that is none of these is an error naming the token, its line and column (and the
 * source, e.g. the file name).
 *
 * Used in notebooks/09_your_recordings.ipynb.
 *
 * @module
 */
import { ChordLabelError, majminLabel, parseHarte } from "../chords/data/harte.ts";

/** One chord of a chord text. */
export interface ChordToken {
  /** The token as written. */
  text: string;
  /** The chord in Harte syntax (`N` for no chord). */
  harte: string;
  /** 1-based line of the token. */
  line: number;
  /** 1-based column of the token. */
  column: number;
}

const NOTE_PC: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/** Common quality spellings → Harte shorthand or interval list (without the root). */
const QUALITIES: Record<string, string> = {
  "": "maj",
  "M": "maj",
  "maj": "maj",
  "m": "min",
  "min": "min",
  "-": "min",
  "7": "7",
  "dom7": "7",
  "maj7": "maj7",
  "M7": "maj7",
  "Δ": "maj7",
  "Δ7": "maj7",
  "m7": "min7",
  "min7": "min7",
  "-7": "min7",
  "mmaj7": "minmaj7",
  "mM7": "minmaj7",
  "minmaj7": "minmaj7",
  "dim": "dim",
  "°": "dim",
  "o": "dim",
  "dim7": "dim7",
  "°7": "dim7",
  "o7": "dim7",
  "m7b5": "hdim7",
  "ø": "hdim7",
  "ø7": "hdim7",
  "aug": "aug",
  "+": "aug",
  "sus4": "sus4",
  "sus": "sus4",
  "sus2": "sus2",
  "7sus4": "(4,5,b7)",
  "7sus": "(4,5,b7)",
  "6": "maj6",
  "maj6": "maj6",
  "m6": "min6",
  "min6": "min6",
  "9": "9",
  "maj9": "maj9",
  "M9": "maj9",
  "m9": "min9",
  "min9": "min9",
  "add9": "maj(9)",
  "madd9": "min(9)",
  "11": "11",
  "m11": "min11",
  "13": "13",
  "maj13": "maj13",
  "m13": "min13",
  "5": "(1,5)",
};

/** Interval names (Harte degrees) for 0..11 semitones above the root. */
const DEGREES = ["1", "b2", "2", "b3", "3", "4", "b5", "5", "b6", "6", "b7", "7"];

/** Parses a root note (`C`, `F#`, `Bb`, `E♭`, ...) at the start of `s`. */
function parseRoot(s: string): { name: string; pc: number; rest: string } | null {
  const m = /^([A-G])((?:#|b|♯|♭)*)(.*)$/u.exec(s);
  if (!m) return null;
  let pc = NOTE_PC[m[1]];
  let acc = "";
  for (const ch of m[2]) {
    const sharp = ch === "#" || ch === "♯";
    pc += sharp ? 1 : -1;
    acc += sharp ? "#" : "b";
  }
  return { name: m[1] + acc, pc: ((pc % 12) + 12) % 12, rest: m[3] };
}

const HARTE_DEGREE = /^(?:b|#)*(?:1[0-3]|[1-9])$/;

/** A Harte token as mir_eval reads it (`parseHarte` of lib/chords), or null if invalid. */
function checkHarte(token: string): string | null {
  try {
    parseHarte(token);
    return token;
  } catch (e) {
    if (e instanceof ChordLabelError) return null;
    throw e;
  }
}

/**
 * Converts one chord symbol as people write it (or in Harte syntax) to Harte syntax; returns
 * `null` for a token that is not a chord symbol.
 *
 * Used in notebooks/09_your_recordings.ipynb (through `parseChordText`).
 *
 * @example
 * ```ts
 * symbolToHarte("F#m7"); // "F#:min7"
 * symbolToHarte("Bb/D"); // "Bb:maj/3"
 * symbolToHarte("A:min"); // "A:min"
 * symbolToHarte("H7"); // null
 * ```
 */
export function symbolToHarte(token: string): string | null {
  if (token === "N" || token === "NC" || token === "N.C." || token === "N.C") return "N";
  if (token.includes(":")) return checkHarte(token);
  const slash = token.lastIndexOf("/");
  const body = slash > 0 ? token.slice(0, slash) : token;
  const bassText = slash > 0 ? token.slice(slash + 1) : null;
  const root = parseRoot(body);
  if (!root) return null;
  const quality = QUALITIES[root.rest];
  if (quality === undefined) return null;
  let harte = `${root.name}:${quality}`;
  if (bassText !== null && HARTE_DEGREE.test(bassText)) {
    harte += `/${bassText}`; // Harte's bass as a degree: "C/7"
  } else if (bassText !== null) {
    const bass = parseRoot(bassText);
    if (!bass || bass.rest !== "") return null;
    const interval = (bass.pc - root.pc + 12) % 12;
    if (interval !== 0) harte += `/${DEGREES[interval]}`;
  }
  return harte;
}

/**
 * Parses a chord text (see the module doc) into its chords in order. Throws an error naming the
 * source, line, column and token for anything that is not a chord, and for a text without chords.
 *
 * Used in notebooks/09_your_recordings.ipynb.
 *
 * @example
 * ```ts
 * parseChordText("| Am F | C G |").map((c) => c.harte); // ["A:min", "F:maj", "C:maj", "G:maj"]
 * ```
 */
export function parseChordText(text: string, source = "chord text"): ChordToken[] {
  if (typeof text !== "string") throw new TypeError(`${source}: chord text must be a string`);
  const out: ChordToken[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((lineText, i) => {
    const re = /\S+/g;
    for (let m = re.exec(lineText); m; m = re.exec(lineText)) {
      const token = m[0];
      if (/^:?\|+:?$/.test(token)) continue;
      const harte = symbolToHarte(token);
      if (harte === null) {
        throw new SyntaxError(
          `${source}:${i + 1}:${m.index + 1}: "${token}" is not a chord symbol ` +
            `(write e.g. Am, F#m7, Bb/D, G7, N, or Harte syntax such as A:min)`,
        );
      }
      out.push({ text: token, harte, line: i + 1, column: m.index + 1 });
    }
  });
  if (out.length === 0) throw new SyntaxError(`${source}: no chords in the text`);
  return out;
}

/**
 * The model outputs a Harte chord can be matched to, for aligning a chord text to a model with
 * major/minor triads (labels `C:maj` … `B:min`, optionally `N`): its MIREX majmin reduction
 * (`majminLabel` of lib/chords: `F#:min7` → `F#:min`, `G:7` → `G:maj`, inversions kept to their
 * triad); chords majmin leaves out get the nearest triads by their third: a minor third
 * (diminished, half-diminished) → minor, a major third (augmented, added 2nd or 4th) → major,
 * no third (sus, power chords) → either. `N` gives the model's `N` output when it has one; `N`
 * without such an output, and `X`, give `null` (no information: the aligner uses the uniform
 * cost). Labels are matched by pitch class (`Db:maj` finds `C#:maj`).
 *
 * Used in notebooks/09_your_recordings.ipynb (through `alignChords`).
 *
 * @example
 * ```ts
 * const labels = ["C:maj", "C#:maj", "D:maj", "D#:maj", "E:maj", "F:maj", "F#:maj", "G:maj",
 *   "G#:maj", "A:maj", "A#:maj", "B:maj", "C:min", "C#:min", "D:min", "D#:min", "E:min", "F:min",
 *   "F#:min", "G:min", "G#:min", "A:min", "A#:min", "B:min"];
 * modelClasses("Bb:maj/3", labels); // [10]
 * modelClasses("A:sus4", labels); // [9, 21]
 * ```
 */
export function modelClasses(harte: string, labels: readonly string[]): number[] | null {
  const chord = parseHarte(harte);
  if (chord.kind === "X") return null;
  if (chord.kind === "N") {
    const i = labels.indexOf("N");
    return i >= 0 ? [i] : null;
  }
  const outputs = labels.map((l) => {
    const c = parseHarte(l);
    return { root: c.root, quality: c.quality };
  });
  const find = (quality: string) =>
    outputs.findIndex((o) => o.root === chord.root && o.quality === quality);
  const reduced = majminLabel(harte);
  let wanted: string[];
  if (reduced !== null) wanted = [reduced.endsWith(":min") ? "min" : "maj"];
  else if (chord.intervals[3] === 1 && chord.intervals[4] !== 1) wanted = ["min"];
  else if (chord.intervals[4] === 1) wanted = ["maj"];
  else wanted = ["maj", "min"];
  const out = wanted.map(find).filter((i) => i >= 0);
  if (out.length === 0) {
    throw new RangeError(`the model has no output for ${harte} (labels ${labels.join(" ")})`);
  }
  return out;
}
