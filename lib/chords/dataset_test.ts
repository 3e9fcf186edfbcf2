/**
 * Tests of lib/dataset.ts: repetition removal and the two paddings checked against their
 * defining properties (not against outputs of the code), segment cutting on hand-made
 * sequences, and the report's counts (43 training segments, 12 validation segments, 138 test
 * frames) on the committed data.
 */
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import {
  chordRange,
  classDistribution,
  countClasses,
  cutSegments,
  loadSplits,
  NO_CHORD,
  padSequence,
  parseChromaCsv,
  removeRepetitions,
  type Segment,
  segmentationSummary,
  strongTargets,
  uniformRepeats,
  weakTargets,
} from "./dataset.ts";

const N = NO_CHORD;

/** Run lengths of a sequence: [[value, count], ...]. */
function runs(seq: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const v of seq) {
    if (out.length > 0 && out[out.length - 1][0] === v) out[out.length - 1][1]++;
    else out.push([v, 1]);
  }
  return out;
}

let seed = 11;
function randInt(n: number): number {
  seed = (seed * 16807) % 2147483647;
  return seed % n;
}

Deno.test("removeRepetitions: hand examples", () => {
  assertEquals(removeRepetitions([0, 0, N, N, 0, 7, 7]), [0, N, 0, 7]);
  assertEquals(removeRepetitions([5]), [5]);
  assertEquals(removeRepetitions([]), []);
});

Deno.test("removeRepetitions: no adjacent repeats, order kept, runs collapsed", () => {
  for (let t = 0; t < 50; t++) {
    const seq = Array.from({ length: 1 + randInt(40) }, () => randInt(4) - 1);
    const r = removeRepetitions(seq);
    assertEquals(r, runs(seq).map(([v]) => v));
    for (let i = 1; i < r.length; i++) assert(r[i] !== r[i - 1]);
  }
});

Deno.test("padSequence uniform: hand examples", () => {
  assertEquals(padSequence([0, 7, 9], { softLength: 3, padding: "uniform" }), [0, 7, 9]);
  assertEquals(padSequence([0, 7], { softLength: 6, padding: "uniform" }), [0, 0, 0, 7, 7, 7]);
  // 8 = 3·2 + 2: two of the three elements get one extra copy
  const p = padSequence([0, 7, 9], { softLength: 8, padding: "uniform" });
  assertEquals(p.length, 8);
  assertEquals(runs(p).map(([, c]) => c).sort(), [2, 3, 3]);
});

Deno.test("padSequence uniform: length, order, every element, counts and evenness", () => {
  for (let t = 0; t < 200; t++) {
    const L = 1 + randInt(30);
    // a reduced sequence: no adjacent repeats
    const reduced: number[] = [];
    while (reduced.length < L) {
      const v = randInt(25) - 1;
      if (reduced.length === 0 || reduced[reduced.length - 1] !== v) reduced.push(v);
    }
    const S = L + randInt(3 * L + 80);
    const out = padSequence(reduced, { softLength: S, padding: "uniform" });
    assertEquals(out.length, S);
    const r = runs(out);
    // order preserved and every element present exactly as one run
    assertEquals(r.map(([v]) => v), reduced);
    const q = Math.floor(S / L);
    const rem = S % L;
    const counts = r.map(([, c]) => c);
    for (const c of counts) assert(c === q || c === q + 1, `count ${c}, S=${S}, L=${L}`);
    assertEquals(counts.filter((c) => c === q + 1).length, rem);
    // evenness: among the first i elements, the number with an extra copy is within 1 of i·rem/L
    let extras = 0;
    counts.forEach((c, i) => {
      if (c === q + 1) extras++;
      assert(Math.abs(extras - ((i + 1) * rem) / L) < 1, `uneven extras S=${S}, L=${L}`);
    });
    assertEquals(uniformRepeats(L, S), counts);
  }
});

Deno.test("padSequence last: the reduced sequence, then its last element repeated", () => {
  for (const S of [4, 16, 75]) {
    const out = padSequence([3, N, 12, 5], { softLength: S, padding: "last" });
    assertEquals(out.length, S);
    assertEquals(out.slice(0, 4), [3, N, 12, 5]);
    for (const v of out.slice(4)) assertEquals(v, 5);
  }
});

Deno.test("padSequence: a soft length below the reduced length names the segment and lengths", () => {
  const reduced = Array.from({ length: 20 }, (_, i) => i % 24);
  for (const padding of ["uniform", "last"] as const) {
    assertThrows(
      () => padSequence(reduced, { softLength: 16, padding, name: "LetItBe segment 3" }),
      Error,
      "padSequence(LetItBe segment 3): softLength 16 is shorter than the reduced sequence (20",
    );
  }
  assertThrows(() => padSequence([], { softLength: 4, padding: "last" }), Error, "empty");
  assertThrows(() => padSequence([1], { softLength: 0, padding: "last" }), Error, "softLength");
  assertThrows(
    // deno-lint-ignore no-explicit-any
    () => padSequence([1], { softLength: 4, padding: "middle" as any }),
    Error,
    "unknown padding",
  );
});

Deno.test("strong and weak targets: one-hot rows, N is the all-zero row", () => {
  const strong = strongTargets([0, 0, N, 23]);
  assertEquals(strong.length, 4);
  for (const row of strong) assertEquals(row.length, 24);
  assertEquals(strong[0].indexOf(1), 0);
  assertEquals(strong[2], new Array(24).fill(0));
  assertEquals(strong[3].indexOf(1), 23);
  assertEquals(strong.map((r) => r.reduce((a, b) => a + b, 0)), [1, 1, 0, 1]);
  const weak = weakTargets([0, 0, N, 23, 23], { softLength: 6, padding: "uniform" });
  assertEquals(weak.map((r) => r.indexOf(1)), [0, 0, -1, -1, 23, 23]);
  assertThrows(() => strongTargets([24]), Error, "label 0 is 24");
  assertThrows(() => strongTargets([0, NaN]), Error, "label 1 is NaN");
});

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

Deno.test("the committed data give the report's counts: 43 / 12 segments, 138 test frames", async () => {
  const { train, validation, test, featureRate } = await loadSplits();
  assertEquals(featureRate, 22050 / 2048);
  assertEquals(train.length, 43);
  assertEquals(validation.length, 12);
  assertEquals(test.labels.length, 138);
  assertEquals(test.chroma.length, 138);
  for (const seg of [...train, ...validation]) {
    assertEquals(seg.labels.length, 150);
    assertEquals(seg.chroma.length, 150);
  }
  assertEquals(
    new Set(train.map((s) => s.song)),
    new Set(["HereComesTheSun", "ObLaDiObLaDa", "LetItBe"]),
  );
  assertEquals(new Set(validation.map((s) => s.song)), new Set(["PennyLane"]));
  for (const seg of [...train, ...validation, test]) {
    for (const frame of seg.chroma) {
      assertEquals(frame.length, 12);
      assert(Math.abs(Math.hypot(...frame) - 1) < 1e-4, `${seg.song} ${seg.index}`);
    }
  }
  // trimmed: the test excerpt starts and ends with a chord
  assert(test.labels[0] !== N && test.labels[test.labels.length - 1] !== N);
  // with the original excerpt annotation (leading N of 0.175 s) one frame fewer
  const orig = await loadSplits({ testAnnotation: "original" });
  assertEquals(orig.test.labels.length, 137);
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

Deno.test("loadSplits: a missing data directory says how to build it", async () => {
  await assertRejects(
    () => loadSplits({ dataDir: "/nonexistent/data" }),
    Error,
    "deno task build-data",
  );
});

Deno.test("segmentationSummary agrees with loadSplits and its own arithmetic", async () => {
  const rows = await segmentationSummary();
  const splits = await loadSplits();
  const count = (split: string) =>
    rows.filter((r) => r.split === split).reduce((a, r) => a + r.segments, 0);
  assertEquals(count("train"), splits.train.length);
  assertEquals(count("validation"), splits.validation.length);
  for (const r of rows) {
    assertEquals(r.trimmed, r.lastChord - r.firstChord + 1);
    if (r.split !== "test") {
      assertEquals(r.segments, Math.floor(r.trimmed / 150));
      assert(r.dropped >= 0 && r.dropped < 150);
    } else {
      assertEquals(r.trimmed, splits.test.labels.length);
    }
  }
});
