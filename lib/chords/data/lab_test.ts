/**
 * Tests of lib/chords/data/lab.ts. Ground truth: hand-written files and intervals; the reading
 * of real Billboard files is compared with the intervals that tools/fixtures/mir_eval_fixtures.py
 * stored for mir_eval (read by Python, float-noise overlaps snapped the same documented way).
 */
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { mulberry32 } from "../random.ts";
import { formatLab, framesToIntervals, LAB_TOLERANCE, parseLab } from "./lab.ts";

Deno.test("parseLab reads tabs or spaces, tolerates trailing blank lines", () => {
  const text = "0\t1.5\tN\n1.5 3.25  A:min7/b7\r\n3.25\t4\tX\n\n\n";
  assertEquals(parseLab(text), [
    { start: 0, end: 1.5, label: "N" },
    { start: 1.5, end: 3.25, label: "A:min7/b7" },
    { start: 3.25, end: 4, label: "X" },
  ]);
});

Deno.test("parseLab snaps float-noise overlaps and keeps gaps", () => {
  const text = "0.0\t14.013514739000001\tC:7\n14.013514739\t16.9\tF:min\n17\t18\tN\n";
  assertEquals(parseLab(text), [
    { start: 0, end: 14.013514739, label: "C:7" },
    { start: 14.013514739, end: 16.9, label: "F:min" },
    { start: 17, end: 18, label: "N" },
  ]);
  const big = `0\t1\tN\n${1 - 2 * LAB_TOLERANCE}\t2\tN\n`;
  assertThrows(() => parseLab(big, "x.lab"), Error, "x.lab, line 2: interval starts at");
});

Deno.test("parseLab: errors name the source and line", () => {
  const bad: [string, string][] = [
    ["0\t1\tN\n1\t2\n", "line 2: expected 3 fields"],
    ["0\t1\tN\n1\t2\tC:maj\textra\n", "line 2: expected 3 fields"],
    ["0\t1\tN\n1\tabc\tC:maj\n", 'line 2: time "abc" is not a finite number'],
    ["0\t1\tN\n1\t1e400\tC:maj\n", "line 2: time"],
    ["-1\t1\tN\n", "line 1: time"],
    ["0\t1\tN\n2\t1.5\tC:maj\n", "line 2: end 1.5 is not after start 2"],
    ["0\t1\tN\n1\t1\tC:maj\n", "line 2: end 1 is not after start 1"],
    ["0\t2\tN\n1\t3\tC:maj\n", "line 2: interval starts at 1, before the previous one ends (2)"],
    ["0\t1\tN\n\n1\t2\tN\n", "line 2: blank line inside the annotation"],
    ["0\t1\tN\n1\t2\tC:major\n", 'line 2: invalid Harte chord label "C:major"'],
    ["\n\n", "no interval"],
  ];
  for (const [text, message] of bad) {
    assertThrows(() => parseLab(text, "song.lab"), Error, `song.lab`);
    assertThrows(() => parseLab(text, "song.lab"), Error, message);
  }
});

Deno.test("parseLab refuses the reversed times of Billboard 0974 (a defect of the published file)", () => {
  const text = "71.768\t73.847\tC:maj\n143.537732426\t107.65329931950004\tC:maj\n";
  assertThrows(() => parseLab(text, "0974/full.lab"), Error, "0974/full.lab, line 2: end");
});

Deno.test("formatLab writes start<TAB>end<TAB>label lines that parseLab reads back", () => {
  const intervals = [
    { start: 0, end: 0.1 + 0.2, label: "N" },
    { start: 0.1 + 0.2, end: 12.5, label: "C#:maj" },
    { start: 13, end: 200.123456789, label: "A:min" },
  ];
  const text = formatLab(intervals);
  assertEquals(text, "0\t0.3\tN\n0.3\t12.5\tC#:maj\n13\t200.123456789\tA:min\n");
  const back = parseLab(text);
  back.forEach((iv, i) => {
    assertEquals(iv.label, intervals[i].label);
    assertEquals(Math.abs(iv.start - intervals[i].start) < 1e-9, true);
    assertEquals(Math.abs(iv.end - intervals[i].end) < 1e-9, true);
  });
  assertEquals(formatLab([]), "");
  assertThrows(() => formatLab([{ start: 1, end: 1, label: "N" }]), RangeError, "bad times");
  assertThrows(() => formatLab([{ start: 0, end: 1, label: "C maj" }]), RangeError, "bad label");
  assertThrows(
    () => formatLab([{ start: 1, end: 2, label: "N" }, { start: 0, end: 1, label: "N" }]),
    RangeError,
    "before",
  );
});

Deno.test("framesToIntervals merges runs; frame i spans [i/rate, (i+1)/rate) or, centred, [(i-1/2)/rate, (i+1/2)/rate)", () => {
  const labels = ["C:maj", "A:min", "N"];
  assertEquals(framesToIntervals([0, 0, 1, 1, 1, 2, 0], { frameRate: 4, labels }), [
    { start: 0, end: 0.5, label: "C:maj" },
    { start: 0.5, end: 1.25, label: "A:min" },
    { start: 1.25, end: 1.5, label: "N" },
    { start: 1.5, end: 1.75, label: "C:maj" },
  ]);
  const centre = { frameRate: 4, labels, frameTime: "centre" as const };
  assertEquals(framesToIntervals([0, 0, 1, 1, 1, 2, 0], centre), [
    { start: 0, end: 0.375, label: "C:maj" },
    { start: 0.375, end: 1.125, label: "A:min" },
    { start: 1.125, end: 1.375, label: "N" },
    { start: 1.375, end: 1.625, label: "C:maj" },
  ]);
  // duration cuts the frames past it and ends the last interval there
  assertEquals(framesToIntervals([0, 1, 1, 2], { frameRate: 2, labels, duration: 1.2 }), [
    { start: 0, end: 0.5, label: "C:maj" },
    { start: 0.5, end: 1.2, label: "A:min" },
  ]);
  // centred: a frame whose span starts before the duration is kept
  assertEquals(
    framesToIntervals([0, 1, 1, 2], { ...centre, frameRate: 2, duration: 1.3 }),
    [
      { start: 0, end: 0.25, label: "C:maj" },
      { start: 0.25, end: 1.25, label: "A:min" },
      { start: 1.25, end: 1.3, label: "N" },
    ],
  );
  // or extends it
  assertEquals(framesToIntervals([2, 2], { frameRate: 2, labels, duration: 3 }), [
    { start: 0, end: 3, label: "N" },
  ]);
  assertThrows(
    () => framesToIntervals([0], { frameRate: 2, labels, frameTime: "middle" as "centre" }),
    RangeError,
    "frameTime",
  );
  assertEquals(framesToIntervals([], { frameRate: 2, labels }), []);
  // -1 is N only for a vocabulary without its own N (the course's 24 chords)
  assertEquals(framesToIntervals([-1, 0], { frameRate: 1, labels: ["C:maj", "A:min"] }), [
    { start: 0, end: 1, label: "N" },
    { start: 1, end: 2, label: "C:maj" },
  ]);
  assertThrows(
    () => framesToIntervals([0, -1], { frameRate: 2, labels }),
    RangeError,
    "frame 1 has state -1, but the labels have their own N (state 2)",
  );
  assertThrows(() => framesToIntervals([3], { frameRate: 2, labels }), RangeError, "frame 0");
  assertThrows(() => framesToIntervals([0.5], { frameRate: 2, labels }), RangeError, "state");
  assertThrows(() => framesToIntervals([0], { frameRate: 0, labels }), RangeError, "frame rate");
  assertThrows(
    () => framesToIntervals([0], { frameRate: 2, labels, duration: -1 }),
    RangeError,
    "duration",
  );
});

Deno.test("parseLab reads real Billboard files as the mir_eval fixture script did", async () => {
  const fixture = JSON.parse(
    await Deno.readTextFile(
      new URL("../evaluation/testdata/mir_eval_scores.json", import.meta.url),
    ),
  ) as { cases: { name: string; reference: [number, number, string][] }[] };
  const dir = new URL("../../../../shared/data/billboard/", import.meta.url);
  let checked = 0;
  for (const c of fixture.cases) {
    const m = /^billboard (\d{4}), sigma 0\.1$/.exec(c.name);
    if (m === null) continue;
    let text: string;
    try {
      text = await Deno.readTextFile(new URL(`${m[1]}/full.lab`, dir));
    } catch {
      console.log(`../shared/data/billboard/${m[1]}/full.lab absent: comparison skipped`);
      continue;
    }
    const ours = parseLab(text, `${m[1]}/full.lab`);
    assertEquals(ours.map((iv) => [iv.start, iv.end, iv.label]), c.reference);
    checked++;
  }
  console.log(`${checked} Billboard files read as the fixture script read them`);
});

Deno.test("framesToIntervals, centred: every frame's instant i/rate lies in an interval with its label", () => {
  const labels = ["C:maj", "A:min", "N"];
  const rand = mulberry32(11);
  for (let trial = 0; trial < 50; trial++) {
    const rate = [2, 10.7666, 21.533][trial % 3];
    const states = Array.from(
      { length: 1 + Math.floor(rand() * 40) },
      () => Math.floor(rand() * 3),
    );
    const iv = framesToIntervals(states, { frameRate: rate, labels, frameTime: "centre" });
    states.forEach((s, i) => {
      const t = i / rate;
      const hit = iv.filter((v) => v.start <= t && t < v.end);
      assertEquals(hit.map((v) => v.label), [labels[s]], `trial ${trial}, frame ${i}`);
    });
    // a change of label between frames b − 1 and b lies halfway between their instants
    for (let k = 1; k < iv.length; k++) {
      const b = Math.round(iv[k].start * rate + 0.5);
      assertAlmostEquals(iv[k].start, (b - 0.5) / rate, 1e-12);
      assertEquals(labels[states[b]], iv[k].label);
      assertEquals(labels[states[b - 1]], iv[k - 1].label);
    }
  }
});
