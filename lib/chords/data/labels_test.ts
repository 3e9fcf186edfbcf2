/**
 * Tests of lib/chords/data/labels.ts. Ground truth: libfmp's label order (C..B, Cm..Bm), the note
 * names of the triads spelled by hand, numpy's argmax convention (first index on ties).
 */
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  argmax,
  CHORD_LABELS,
  chordIndex,
  chordName,
  MAJOR_TRIAD,
  MINOR_TRIAD,
  NO_CHORD,
  NUM_CHORDS,
  triadTemplate,
} from "./labels.ts";

Deno.test("chordIndex / chordName follow libfmp's order C..B, Cm..Bm, N = -1", () => {
  assertEquals(NUM_CHORDS, CHORD_LABELS.length);
  assertEquals(chordIndex("C"), 0);
  assertEquals(chordIndex("B"), 11);
  assertEquals(chordIndex("Cm"), 12);
  assertEquals(chordIndex("Bm"), 23);
  assertEquals(chordIndex("N"), NO_CHORD);
  for (let i = -1; i < 24; i++) assertEquals(chordIndex(chordName(i)), i);
  assertThrows(() => chordIndex("A:min"), RangeError, "A:min");
  assertThrows(() => chordName(24), RangeError, "24");
  assertThrows(() => chordName(1.5), TypeError, "integer");
});

Deno.test("triad templates hold the chord's three notes", () => {
  const notes = (t: number[]) => t.flatMap((v, k) => (v > 0 ? [k] : []));
  assertEquals(notes([...MAJOR_TRIAD]), [0, 4, 7]); // C E G
  assertEquals(notes([...MINOR_TRIAD]), [0, 3, 7]); // C Eb G
  assertEquals(notes(triadTemplate(chordIndex("G"))), [2, 7, 11]); // D G B
  assertEquals(notes(triadTemplate(chordIndex("Am"))), [0, 4, 9]); // C E A
  assertEquals(notes(triadTemplate(chordIndex("F#m"))), [1, 6, 9]); // C# F# A
  const unit = triadTemplate(chordIndex("Bm"), { normalized: true });
  assertAlmostEquals(Math.hypot(...unit), 1, 1e-15);
  assertThrows(() => triadTemplate(NO_CHORD), RangeError, "N");
});

Deno.test("argmax: first index on ties, ranges of a flat buffer, NaN refused", () => {
  assertEquals(argmax([0.1, 0.7, 0.7]), 1);
  assertEquals(argmax([3]), 0);
  assertEquals(argmax(new Float64Array([5, 0, 1, 9]), 1, 2), 1);
  assertEquals(argmax(new Float64Array([5, 0, 1, 9]), 2), 1);
  assertThrows(() => argmax([]), RangeError, "non-empty");
  assertThrows(() => argmax([1, 2], 1, 2), RangeError, "beyond");
  assertThrows(() => argmax([1, NaN]), RangeError, "NaN");
});
