/**
 * Tests of align_chords.ts on model outputs whose true boundaries are known: sharp outputs give
 * the boundaries to the frame with confidence 1; an ambiguous stretch lowers the confidence of
 * its boundary only; subsequence alignment finds a short text inside a longer recording.
 */
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { alignChords } from "./align_chords.ts";

const LABELS = ["C:maj", "F:maj", "G:maj", "A:min", "N"];

/** Log-probabilities with probability `p` on the given class per frame, the rest uniform. */
function outputs(classes: number[], p = 0.9): Float64Array[] {
  return classes.map((c) =>
    Float64Array.from(LABELS, (_, i) => Math.log(i === c ? p : (1 - p) / (LABELS.length - 1)))
  );
}

const runs = (...pairs: [number, number][]) => pairs.flatMap(([c, n]) => Array(n).fill(c));

Deno.test("alignChords: sharp outputs give the boundaries between frames, confidence 1", () => {
  // 10 frames/s: C for 12 frames, Am 8, F 10, G 10 → changes before frames 12, 20, 30.
  const lp = outputs(runs([0, 12], [3, 8], [1, 10], [2, 10]), 0.97);
  const { chords, expected } = alignChords(lp, LABELS, "C Am | F G", { frameRate: 10 });
  assertEquals(chords.map((c) => c.harte), ["C:maj", "A:min", "F:maj", "G:maj"]);
  const starts = chords.map((c) => c.start);
  [0, 1.15, 1.95, 2.95].forEach((t, i) => assertAlmostEquals(starts[i], t, 1e-12));
  assertAlmostEquals(chords[3].end, 4, 1e-12);
  for (const c of chords) assert(c.confidence > 0.99, `${c.text}: ${c.confidence}`);
  assertEquals(expected.length, 40);
});

Deno.test("alignChords: repeats are placed by their count; an ambiguous stretch is not confident", () => {
  // C C with a no-chord gap of 10 uniform frames between two C runs, then G.
  const lp = [
    ...outputs(runs([0, 10])),
    ...outputs(runs([4, 10]), 0.2), // flat: 0.2 everywhere
    ...outputs(runs([0, 10], [2, 10])),
  ];
  const { chords } = alignChords(lp, LABELS, "C C G", { frameRate: 10 });
  // The boundary between the two Cs can be anywhere in the flat stretch: low confidence.
  assert(chords[1].confidence < 0.6, `C→C confidence ${chords[1].confidence}`);
  assert(chords[1].start > 0.9 && chords[1].start < 2.1, `C→C at ${chords[1].start}`);
  assert(chords[2].confidence > 0.99);
  assertAlmostEquals(chords[2].start, 2.95, 1e-12);
});

Deno.test("alignChords: subsequence finds a text covering part of the recording", () => {
  const lp = outputs(runs([4, 15], [1, 10], [2, 10], [4, 15]));
  const full = alignChords(lp, LABELS, "F G", { frameRate: 10 });
  assertEquals(full.chords[0].start, 0);
  const sub = alignChords(lp, LABELS, "F G", { frameRate: 10, subsequence: true });
  assertAlmostEquals(sub.chords[0].start, 1.45, 1e-12);
  assertAlmostEquals(sub.chords[1].start, 2.45, 1e-12);
  assertAlmostEquals(sub.chords[1].end, 3.45, 1e-12);
  assert(sub.chords[0].confidence > 0.99 && sub.chords[1].endConfidence > 0.99);
});

Deno.test("alignChords: errors name the chord or the problem", () => {
  const lp = outputs([0, 0, 0]);
  assertThrows(
    () => alignChords(lp, LABELS, "C F G Am", { frameRate: 10 }),
    RangeError,
    "4 symbols",
  );
  assertThrows(() => alignChords(lp, LABELS, "C Bb", { frameRate: 10 }), RangeError, '"Bb"');
  assertThrows(() => alignChords(lp, LABELS, "C", { frameRate: 0 }), RangeError, "frameRate");
});
