import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { argmaxRows, evalMeasures, evaluateLabels, frameErrors, labelMatrix } from "./frame_f1.ts";

Deno.test("evalMeasures on a hand-checked 3 × 4 example", () => {
  // reference: frames 0..3 = chord 0, chord 0, N, chord 2
  const ref = [
    [1, 1, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 1],
  ];
  // estimate: chord 0, chord 1, chord 1, chord 2
  const est = [
    [1, 0, 0, 0],
    [0, 1, 1, 0],
    [0, 0, 0, 1],
  ];
  // TP = 2 (frames 0, 3); FP = 4 - 2 = 2; FN = 3 - 2 = 1
  // P = 2/4, R = 2/3, F = 2 * (1/2)(2/3) / (1/2 + 2/3) = (2/3) / (7/6) = 4/7
  const m = evalMeasures(ref, est);
  assertEquals([m.tp, m.fp, m.fn], [2, 2, 1]);
  assertAlmostEquals(m.precision, 0.5, 1e-12);
  assertAlmostEquals(m.recall, 2 / 3, 1e-12);
  assertAlmostEquals(m.f1, 4 / 7, 1e-12);
});

Deno.test("evalMeasures: perfect estimate, no overlap (0/0 guard)", () => {
  const I = [[1, 0], [0, 1]];
  assertEquals(evalMeasures(I, I), { precision: 1, recall: 1, f1: 1, tp: 2, fp: 0, fn: 0 });
  const swapped = [[0, 1], [1, 0]];
  assertEquals(evalMeasures(I, swapped), { precision: 0, recall: 0, f1: 0, tp: 0, fp: 2, fn: 2 });
  // empty reference (all frames N): TP = 0 -> all zero, no NaN
  const empty = [[0, 0], [0, 0]];
  assertEquals(evalMeasures(empty, I), { precision: 0, recall: 0, f1: 0, tp: 0, fp: 2, fn: 0 });
});

Deno.test("evaluateLabels: N frames count as false positives of the estimate", () => {
  // 10 frames, 2 of them N, estimate right on 7 of the 8 chord frames
  const reference = [0, 0, 0, 7, 7, -1, -1, 21, 21, 21];
  const estimate = [0, 0, 0, 7, 7, 7, 0, 21, 21, 9];
  const m = evaluateLabels({ reference, estimate });
  assertEquals([m.tp, m.fp, m.fn], [7, 3, 1]);
  assertAlmostEquals(m.precision, 0.7, 1e-12);
  assertAlmostEquals(m.recall, 7 / 8, 1e-12);
  assertAlmostEquals(m.f1, (2 * 0.7 * 0.875) / (0.7 + 0.875), 1e-12);
});

Deno.test("labelMatrix and argmaxRows", () => {
  assertEquals(labelMatrix([1, -1, 0], { chords: 2 }), [[0, 0, 1], [1, 0, 0]]);
  assertEquals(argmaxRows([[0.1, 0.7, 0.2], [0.4, 0.4, 0.2], [0, 0, 1]]), [1, 0, 2]);
});

Deno.test("bad input gives errors naming the problem", () => {
  assertThrows(() => evalMeasures([[1, 0]], [[1, 0, 0]]), RangeError, "same shape");
  assertThrows(() => evalMeasures([[1, 0.5]], [[1, 0]]), RangeError, "reference[0][1]");
  assertThrows(() => evalMeasures([[1, 0], [1]], [[1, 0], [0, 1]]), TypeError, "row 1");
  assertThrows(() => evalMeasures([], []), RangeError, "reference");
  assertThrows(
    () => evaluateLabels({ reference: [0, 1], estimate: [0] }),
    RangeError,
    "estimate has 1",
  );
  assertThrows(() => evaluateLabels({ reference: [0, 24], estimate: [0, 1] }), RangeError, "24");
  assertThrows(() => evaluateLabels({ reference: [0, 1], estimate: [0, -1] }), RangeError, "-1");
  assertThrows(() => evaluateLabels({ reference: [0.5], estimate: [0] }), RangeError, "0.5");
  assertThrows(() => argmaxRows([[0, NaN]]), RangeError, "NaN");
  assertThrows(() => labelMatrix([0], { chords: 0 }), RangeError, "chords");
});

Deno.test("frameErrors: shared notes and distance to the nearest chord change by hand", () => {
  // frames 0..7: C C C Am Am Am F F; estimate wrong at 2 (G), 3 (C), 5 (Am ok), 7 (Dm)
  const reference = [0, 0, 0, 21, 21, 21, 5, 5];
  const estimate = [0, 0, 7, 0, 21, 21, 5, 14];
  const e = frameErrors({ reference, estimate });
  assertEquals(e, [
    // C = {C, E, G}, G = {G, B, D}: share G; change between 2|3 -> frame 2 at distance 0
    { frame: 2, reference: 0, estimate: 7, sharedNotes: 1, distanceToChange: 0 },
    // Am = {A, C, E}, C: share C, E; frame 3 is the first after the change
    { frame: 3, reference: 21, estimate: 0, sharedNotes: 2, distanceToChange: 0 },
    // F = {F, A, C}, Dm = {D, F, A}: share F, A; change 5|6, frame 7 at distance 1
    { frame: 7, reference: 5, estimate: 14, sharedNotes: 2, distanceToChange: 1 },
  ]);
  assertEquals(frameErrors({ reference: [-1, 0], estimate: [3, 0] })[0].sharedNotes, 0);
  assertEquals(frameErrors({ reference: [4, 4], estimate: [5, 4] })[0].distanceToChange, Infinity);
  assertThrows(() => frameErrors({ reference: [0], estimate: [0, 1] }), RangeError, "frames");
});
