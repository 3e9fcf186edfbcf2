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

/** Harte shorthands mir_eval knows. */
const HARTE_SHORTHANDS = new Set([
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
  "sus2",
  "sus4",
  "11",
  "min11",
  "13",
  "maj13",
  "min13",
]);

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

/** Checks a Harte token (`root:quality(extra)/bass`, `root/bass`, `N`, `X`); null if bad. */
function checkHarte(token: string): string | null {
  const m = /^([A-G](?:#|b)*)(?::([^/(]*)(?:\(([^)]*)\))?)?(?:\/(.+))?$/.exec(token);
  if (!m) return null;
  const [, , shorthand, list, bass] = m;
  if (shorthand !== undefined && shorthand !== "" && !HARTE_SHORTHANDS.has(shorthand)) return null;
  if (shorthand === "" && list === undefined) return null;
  if (
    list !== undefined && !list.split(",").every((d) => HARTE_DEGREE.test(d.replace(/^\*/, "")))
  ) {
    return null;
  }
  if (bass !== undefined && !HARTE_DEGREE.test(bass)) return null;
  return token;
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

/** Third of each Harte shorthand: `3` (major), `b3` (minor) or none (sus). */
const SHORTHAND_THIRD: Record<string, "3" | "b3" | null> = {
  maj: "3",
  min: "b3",
  dim: "b3",
  aug: "3",
  maj7: "3",
  min7: "b3",
  "7": "3",
  dim7: "b3",
  hdim7: "b3",
  minmaj7: "b3",
  maj6: "3",
  min6: "b3",
  "9": "3",
  maj9: "3",
  min9: "b3",
  sus2: null,
  sus4: null,
  "11": "3",
  min11: "b3",
  "13": "3",
  maj13: "3",
  min13: "b3",
};

/**
 * The model outputs a Harte chord can be matched to, for aligning a chord text to a model with
 * major/minor triads (labels `C:maj` … `B:min`, optionally `N`): the triad of the chord's root
 * whose third the chord has (`F#:min7` → `F#:min`, `G:7` → `G:maj`, bass ignored, as the
 * MIREX majmin reduction); chords majmin leaves out get the nearest: diminished → minor,
 * augmented → major, no third (sus, power chords) → either. `N` gives `["N"]` when the model
 * has it; `N` without such an output, and `X`, give `null` (no information: the aligner uses
 * the uniform cost). Labels are matched by pitch class (`Db:maj` finds `C#:maj`).
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
  if (harte === "X") return null;
  if (harte === "N") {
    const i = labels.indexOf("N");
    return i >= 0 ? [i] : null;
  }
  const m = /^([A-G](?:#|b)*)(?::([^/(]*)(?:\(([^)]*)\))?)?(?:\/.+)?$/.exec(harte);
  const root = m ? parseRoot(m[1]) : null;
  if (!m || !root || root.rest !== "") throw new SyntaxError(`not a Harte chord: "${harte}"`);
  const shorthand = m[2] === undefined ? "maj" : m[2];
  let third: "3" | "b3" | null = shorthand === "" ? null : SHORTHAND_THIRD[shorthand] ?? null;
  const extra = m[3] ? m[3].split(",") : [];
  if (extra.includes("*3") || extra.includes("*b3")) third = null;
  if (extra.includes("3")) third = "3";
  else if (extra.includes("b3")) third = "b3";
  const find = (q: "maj" | "min") =>
    labels.findIndex((l) => {
      const [r, lq] = l.split(":");
      const p = parseRoot(r);
      return p !== null && p.rest === "" && p.pc === root.pc && lq === q;
    });
  const wanted: ("maj" | "min")[] = third === "3" ? ["maj"] : third === "b3" ? ["min"] : [
    "maj",
    "min",
  ];
  const out = wanted.map(find).filter((i) => i >= 0);
  if (out.length === 0) {
    throw new RangeError(`the model has no output for ${harte} (labels ${labels.join(" ")})`);
  }
  return out;
}
