/**
 * Tests of lib/chords/data/harte.ts. Ground truth: mir_eval 0.7 (Debian's python3-mir-eval) on
 * every distinct label of the 542 Billboard full.lab files and hand-written edge cases
 * (testdata/harte_mir_eval.json, written by tools/fixtures/mir_eval_fixtures.py): its
 * encoding, which labels it refuses, and its majmin comparison of each label (as a reference)
 * against the 25 classes; plus the course's label order (CHORD_LABELS) spelled by hand.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  ChordLabelError,
  MAJMIN_LABELS,
  MAJMIN_NO_CHORD,
  majminIndex,
  majminLabel,
  parseHarte,
} from "./harte.ts";
import { CHORD_LABELS } from "../mod.ts";

interface LabelRow {
  label: string;
  error?: string;
  root?: number;
  intervals?: number[];
  bass?: number;
  ref_majmin?: string;
}
const fixture = JSON.parse(
  await Deno.readTextFile(new URL("./testdata/harte_mir_eval.json", import.meta.url)),
) as { classes: string[]; billboard_labels: number; labels: LabelRow[] };

Deno.test("the fixture holds every Billboard label and the hand-written cases", () => {
  assertEquals(fixture.billboard_labels, 854);
  assert(fixture.labels.length > 900);
  assertEquals(fixture.classes.slice(0, 25), [...MAJMIN_LABELS]);
});

Deno.test("parseHarte encodes every label as mir_eval does, and refuses what it refuses", () => {
  let refused = 0;
  for (const row of fixture.labels) {
    if (row.error !== undefined) {
      const e = assertThrows(() => parseHarte(row.label), ChordLabelError) as ChordLabelError;
      assertEquals(e.label, row.label);
      assert(e.message.includes(JSON.stringify(row.label)), e.message);
      refused++;
      continue;
    }
    const c = parseHarte(row.label);
    assertEquals(
      [c.root, c.intervals, c.bassInterval],
      [row.root, row.intervals, row.bass],
      row.label,
    );
  }
  assertEquals(refused, 26);
});

Deno.test("majminIndex is the class mir_eval's majmin scores a reference as", () => {
  let excluded = 0;
  for (const row of fixture.labels) {
    if (row.error !== undefined) continue;
    const scores = row.ref_majmin!.slice(0, 25);
    // mir_eval scores a reference either against exactly one class, or excludes it (all -1).
    const expected = scores === "-".repeat(25) ? -1 : scores.indexOf("1");
    if (expected >= 0) assertEquals(scores.split("1").length, 2, row.label);
    assertEquals(majminIndex(row.label), expected, row.label);
    assertEquals(majminLabel(row.label), expected < 0 ? null : MAJMIN_LABELS[expected]);
    if (expected < 0) excluded++;
  }
  assert(excluded > 100 && excluded < 600, `${excluded} excluded labels`);
});

Deno.test("MAJMIN_LABELS follows the course's CHORD_LABELS order, N at 24", () => {
  assertEquals(MAJMIN_LABELS.length, 25);
  assertEquals(MAJMIN_LABELS[MAJMIN_NO_CHORD], "N");
  for (let i = 0; i < 24; i++) {
    const course = CHORD_LABELS[i];
    const expected = course.endsWith("m") ? `${course.slice(0, -1)}:min` : `${course}:maj`;
    assertEquals(MAJMIN_LABELS[i], expected);
    assertEquals(majminIndex(MAJMIN_LABELS[i]), i);
  }
  assert(Object.isFrozen(MAJMIN_LABELS));
});

Deno.test("how labels map to 24 major/minor chords plus N (hand-checked cases)", () => {
  const cases: [string, string | null][] = [
    ["C:7", "C:maj"], // sevenths keep their triad
    ["A:min7", "A:min"],
    ["F:maj7", "F:maj"],
    ["E:maj6", "E:maj"], // the sixth lies above the first 8 semitones
    ["D:min9", "D:min"],
    ["G:maj/3", "G:maj"], // inversions over a chord tone keep the triad
    ["G:maj/5", "G:maj"],
    ["G:maj/b7", "G:maj"], // a bass above the fifth does not disturb it
    ["G:maj/2", null], // a bass outside the triad below the sixth excludes it
    ["G:maj/4", null],
    ["Db:maj", "C#:maj"], // output spelling: sharps
    ["Cb:min", "B:min"],
    ["C:sus4", null],
    ["C:sus2", null],
    ["C:dim", null],
    ["C:hdim7", null],
    ["C:aug", null],
    ["C:5", null],
    ["C:1", null],
    ["C:maj(*3)", null],
    ["C:(3,5)", "C:maj"], // a major triad spelled by degrees
    ["C", "C:maj"], // no quality: major
    ["N", "N"],
    ["X", null],
  ];
  for (const [label, expected] of cases) assertEquals(majminLabel(label), expected, label);
});

Deno.test("parseHarte splits a label into its parts", () => {
  const c = parseHarte("Eb:min7(*5,9)/b3");
  assertEquals(c.kind, "chord");
  assertEquals(c.rootName, "Eb");
  assertEquals(c.root, 3);
  assertEquals(c.quality, "min7");
  assertEquals(c.degrees, ["*5", "9"]);
  assertEquals(c.bass, "b3");
  assertEquals(c.bassInterval, 3);
  assertEquals(c.intervals, [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0]);
  assert(Object.isFrozen(c) && Object.isFrozen(c.intervals));
  assertEquals(parseHarte("A:(3,5)").quality, "");
  assertEquals(parseHarte("A/5").quality, "maj");
  assertEquals(parseHarte("N").kind, "N");
  assertEquals(parseHarte("X").intervals, new Array(12).fill(-1));
});

Deno.test("parseHarte: clear errors on malformed labels", () => {
  assertThrows(() => parseHarte("C:major"), ChordLabelError, 'invalid Harte chord label "C:major"');
  assertThrows(() => parseHarte("C:aug7"), ChordLabelError, "no interval definition");
  assertThrows(() => majminIndex("H"), ChordLabelError, '"H"');
  assertThrows(() => parseHarte(3 as unknown as string), TypeError, "must be a string");
});
