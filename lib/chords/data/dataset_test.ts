/**
 * Tests of lib/chords/data/dataset.ts: segment cutting on hand-made sequences, class counts, and the
 * chroma CSV parser's errors.
 */
import { assertEquals, assertThrows } from "@std/assert";
import {
  chordRange,
  classDistribution,
  countClasses,
  cutSegments,
  parseChromaCsv,
  type Segment,
} from "./dataset.ts";
import { NO_CHORD } from "./labels.ts";

const N = NO_CHORD;

Deno.test("cutSegments: trims leading/trailing N, cuts consecutive segments, drops the rest", () => {
  const labels = [N, N, 0, 0, 1, N, 1, 2, 2, 3, 3, N, N];
  const song = {
    id: "toy",
    chroma: labels.map((_, i) => new Array(12).fill(i)),
    labels,
    featureRate: 10,
  };
  assertEquals(chordRange(labels), [2, 10]);
  // 9 chord frames (2..10), segments of 4: frames 2-5 and 6-9; frame 10 dropped
  const segs = cutSegments(song, { segmentLength: 4 });
  assertEquals(segs.map((s) => s.start), [2, 6]);
  assertEquals(segs.map((s) => s.index), [0, 1]);
  assertEquals(segs[0].labels, [0, 0, 1, N]); // an N inside a segment is kept
  assertEquals(segs[1].chroma.map((f) => f[0]), [6, 7, 8, 9]);
  // whole trimmed recording as one segment
  assertEquals(cutSegments(song)[0].labels.length, 9);
  assertThrows(
    () => cutSegments({ ...song, labels: labels.map(() => N) }),
    Error,
    "toy): no frame has a chord label",
  );
});

Deno.test("classDistribution: rows, totals and consistency with direct counts", () => {
  const segs: Segment[] = [
    { song: "a", index: 0, start: 0, chroma: [], labels: [0, 0, 0, 12, 12, N, N, 3] },
    { song: "a", index: 1, start: 8, chroma: [], labels: [15, 15, 15, 15, 1, 1, 1, 1] },
  ];
  const rows = classDistribution(segs, { softLengths: [4, 8] });
  assertEquals(rows.map((r) => r.target), [
    "strong",
    "weak",
    "weak uniform 4",
    "weak last 4",
    "weak uniform 8",
    "weak last 8",
  ]);
  assertEquals(rows[0], { target: "strong", major: 8, minor: 6, noChord: 2, total: 16 });
  // reduced: [0, 12, N, 3] and [15, 1]
  assertEquals(rows[1], { target: "weak", major: 3, minor: 2, noChord: 1, total: 6 });
  // last, 4: [0, 12, N, 3] and [15, 1, 1, 1]
  assertEquals(rows[3], { target: "weak last 4", major: 5, minor: 2, noChord: 1, total: 8 });
  // uniform, 8: [0,0,12,12,N,N,3,3] and [15 ×4, 1 ×4]
  assertEquals(rows[4], { target: "weak uniform 8", major: 8, minor: 6, noChord: 2, total: 16 });
  assertEquals(countClasses([0, 11, 12, 23, N]), { major: 2, minor: 2, noChord: 1 });
  const tooLong: Segment = { song: "b", index: 2, start: 0, chroma: [], labels: [0, 1, 2, 3, 4] };
  assertThrows(() => classDistribution([tooLong], { softLengths: [4] }), Error, "b segment 2");
});

Deno.test("parseChromaCsv: bad files name the line and column", () => {
  const h = "C,C#,D,D#,E,F,F#,G,G#,A,A#,B\n";
  const row = "1,0,0,0,0,0,0,0,0,0,0,0\n";
  assertEquals(parseChromaCsv(h + row + row, "x.csv").length, 2);
  assertThrows(() => parseChromaCsv("a,b\n" + row, "x.csv"), Error, "x.csv: line 1: header");
  assertThrows(() => parseChromaCsv(h + "1,2,3\n", "x.csv"), Error, "x.csv: line 2: expected 12");
  assertThrows(
    () => parseChromaCsv(h + row + "1,0,0,0,NaN,0,0,0,0,0,0,0\n", "x.csv"),
    Error,
    "x.csv: line 3, column E",
  );
  assertThrows(() => parseChromaCsv(h, "x.csv"), Error, "no frames");
});
