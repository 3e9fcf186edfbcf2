/**
 * Tests of chord_text.ts: common spellings to Harte (checked against the Harte shorthands of
 * mir_eval's table), bar lines and repeats, Harte input, errors naming the token and place, and
 * the model outputs a chord may match.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { modelClasses, parseChordText, symbolToHarte } from "./chord_text.ts";

Deno.test("symbolToHarte: the usual spellings", () => {
  const cases: [string, string][] = [
    ["Am", "A:min"],
    ["F", "F:maj"],
    ["F#m7", "F#:min7"],
    ["Bb/D", "Bb:maj/3"],
    ["C/E", "C:maj/3"],
    ["Am/G", "A:min/b7"],
    ["G7", "G:7"],
    ["Cmaj7", "C:maj7"],
    ["CΔ7", "C:maj7"],
    ["Bdim", "B:dim"],
    ["B°7", "B:dim7"],
    ["Bm7b5", "B:hdim7"],
    ["Eø", "E:hdim7"],
    ["Caug", "C:aug"],
    ["C+", "C:aug"],
    ["Dsus4", "D:sus4"],
    ["Dsus", "D:sus4"],
    ["Asus2", "A:sus2"],
    ["E5", "E:(1,5)"],
    ["Cadd9", "C:maj(9)"],
    ["E♭m", "Eb:min"],
    ["C#m", "C#:min"],
    ["N.C.", "N"],
    ["NC", "N"],
    ["N", "N"],
    ["C/7", "C:maj/7"],
    ["A:min", "A:min"],
    ["A:min/b7", "A:min/b7"],
    ["C:(1,3,5)", "C:(1,3,5)"],
    ["G:7(b9)", "G:7(b9)"],
  ];
  for (const [token, harte] of cases) assertEquals(symbolToHarte(token), harte, token);
  for (const bad of ["H", "Am7x", "C:foo", "C/H", "c", "A:min/q", "Bbb:minn", ""]) {
    assertEquals(symbolToHarte(bad), null, bad);
  }
});

Deno.test("parseChordText: bar lines ignored, repeats kept, places recorded", () => {
  const chords = parseChordText("| Am F | C G |\n|: Am Am :| F#m7 Bb/D ||\n");
  assertEquals(chords.map((c) => c.harte), [
    "A:min",
    "F:maj",
    "C:maj",
    "G:maj",
    "A:min",
    "A:min",
    "F#:min7",
    "Bb:maj/3",
  ]);
  assertEquals([chords[6].line, chords[6].column], [2, 13]);
  assertEquals(chords[0].text, "Am");
});

Deno.test("parseChordText: errors name the source, line, column and token", () => {
  assertThrows(() => parseChordText("Am F\nC Hm G", "song.txt"), SyntaxError, 'song.txt:2:3: "Hm"');
  assertThrows(() => parseChordText(" | || ", "empty.txt"), SyntaxError, "empty.txt: no chords");
});

const LABELS = [
  ..."C C# D D# E F F# G G# A A# B".split(" ").map((r) => `${r}:maj`),
  ..."C C# D D# E F F# G G# A A# B".split(" ").map((r) => `${r}:min`),
];

Deno.test("modelClasses: majmin triad of the root, nearest for the rest, N and X", () => {
  assertEquals(modelClasses("F#:min7", LABELS), [18]);
  assertEquals(modelClasses("G:7", LABELS), [7]);
  assertEquals(modelClasses("Db:maj", LABELS), [1]);
  assertEquals(modelClasses("A:min/b7", LABELS), [21]);
  assertEquals(modelClasses("B:hdim7", LABELS), [23]);
  assertEquals(modelClasses("C:aug", LABELS), [0]);
  assertEquals(modelClasses("D:sus4", LABELS), [2, 14]);
  assertEquals(modelClasses("E:(1,5)", LABELS), [4, 16]);
  assertEquals(modelClasses("C:(1,b3,5)", LABELS), [12]);
  assertEquals(modelClasses("N", LABELS), null);
  assertEquals(modelClasses("N", [...LABELS, "N"]), [24]);
  assertEquals(modelClasses("X", LABELS), null);
  assertThrows(() => modelClasses("C:maj", ["A:min"]), RangeError, "no output for C:maj");
});
