import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { chordSequence, distortBoundaries, weakSegments } from "./weak_labels.ts";
import { mulberry32 } from "../random.ts";

const REF = [
  { start: 0, end: 1.5, label: "N" },
  { start: 1.5, end: 4, label: "A:min7" },
  { start: 4, end: 6, label: "A:min" },
  { start: 6, end: 9, label: "X" },
  { start: 9, end: 12, label: "F:maj/3" },
  { start: 12, end: 13, label: "C:sus4" },
  { start: 13, end: 16, label: "F:maj" },
];

Deno.test("chordSequence: majmin indices without times, excluded chords out, repeats merged", () => {
  // N, A:min (twice, merged), X out, F:maj (twice around an excluded sus4: merged)
  assertEquals(Array.from(chordSequence(REF)), [24, 21, 5]);
  assertEquals(chordSequence([]).length, 0);
});

Deno.test("distortBoundaries: offset moves every inner boundary; span and labels stay", () => {
  const d = distortBoundaries(REF, { offset: 0.5 });
  assertEquals(d.map((i) => i.label), REF.map((i) => i.label));
  assertEquals(d[0].start, 0);
  assertEquals(d[d.length - 1].end, 16);
  d.slice(1).forEach((iv, i) => assertEquals(iv.start, REF[i + 1].start + 0.5));
  // a large negative offset squeezes the first intervals out at the start
  const squeezed = distortBoundaries(REF, { offset: -5 });
  assertEquals(squeezed[0], { start: 0, end: 1, label: "A:min" });
});

Deno.test("distortBoundaries: Gaussian noise with the asked standard deviation", () => {
  const many = Array.from(
    { length: 2001 },
    (_, i) => ({ start: i * 100, end: (i + 1) * 100, label: "C:maj" }),
  );
  const d = distortBoundaries(many, { sigma: 3, random: mulberry32(4) });
  const shifts = d.slice(1).map((iv, i) => iv.start - many[i + 1].start);
  const mean = shifts.reduce((a, b) => a + b, 0) / shifts.length;
  const sd = Math.sqrt(shifts.reduce((a, b) => a + (b - mean) ** 2, 0) / (shifts.length - 1));
  assertAlmostEquals(mean, 0, 0.25); // 3 / sqrt(2000) ≈ 0.07 standard error
  assertAlmostEquals(sd, 3, 0.2);
  for (let i = 1; i < d.length; i++) assert(d[i].start === d[i - 1].end);
  assertThrows(() => distortBoundaries(REF, { sigma: 1 }), TypeError, "random");
  assertThrows(() => distortBoundaries(REF, { sigma: -1 }), RangeError, "sigma");
});

Deno.test("weakSegments: 150-frame cuts, −1 frames skipped, repetitions removed, padded; too long left out", () => {
  // 10 frames, segments of 4: frames 0-3, 4-7 (8-9 dropped)
  const labels = Int32Array.from([3, -1, 3, 24, 5, 6, 7, 8, 1, 1]);
  const u = weakSegments(labels, { segmentLength: 4, softLength: 5, padding: "uniform" });
  assertEquals(u.segments.map((g) => [g.start, g.frames, Array.from(g.target)]), [
    [0, 4, [3, 3, 24, 24, 24]],
    [4, 4, [5, 6, 7, 8, 8]],
  ]);
  const l = weakSegments(labels, { segmentLength: 4, softLength: 3, padding: "last" });
  assertEquals(l.segments.map((g) => Array.from(g.target)), [[3, 24, 24]]);
  assertEquals(l.tooLong, 1); // 5 6 7 8 has four chords
  const none = weakSegments(Int32Array.from([-1, -1, 2, 2]), {
    segmentLength: 2,
    softLength: null,
  });
  assertEquals(none.segments.map((g) => [g.start, Array.from(g.target)]), [[2, [2]]]);
  assertThrows(() => weakSegments(labels, { segmentLength: 0, softLength: null }), RangeError);
  assertThrows(
    () => weakSegments(labels, { segmentLength: 4, softLength: 5 }),
    RangeError,
    "padding",
  );
});
