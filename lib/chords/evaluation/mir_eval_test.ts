/**
 * Tests of lib/chords/evaluation/mir_eval.ts. Ground truth: mir_eval 0.7 (Debian's
 * python3-mir-eval), through fixtures written by tools/fixtures/mir_eval_fixtures.py: its
 * `root`/`majmin`/`mirex` comparisons of every distinct Billboard label and edge cases, and
 * `mir_eval.chord.evaluate` on real Billboard references against seeded perturbations and on
 * hand-made edge cases; plus dataset-level sums worked out by hand.
 */
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  bootstrapChords,
  CHORD_RULES,
  CHORD_SCORES,
  compareChords,
  evaluateChords,
  summarizeChords,
} from "./mir_eval.ts";
import type { ChordInterval } from "../data/lab.ts";

interface LabelRow {
  label: string;
  error?: string;
  [key: string]: unknown;
}
const labels = JSON.parse(
  await Deno.readTextFile(new URL("../data/testdata/harte_mir_eval.json", import.meta.url)),
) as { classes: string[]; refs_for_estimates: string[]; labels: LabelRow[] };

interface Case {
  name: string;
  reference: [number, number, string][];
  estimate: [number, number, string][];
  scores: Record<string, number>;
}
const { cases } = JSON.parse(
  await Deno.readTextFile(new URL("./testdata/mir_eval_scores.json", import.meta.url)),
) as { cases: Case[] };

const toIntervals = (rows: [number, number, string][]): ChordInterval[] =>
  rows.map(([start, end, label]) => ({ start, end, label }));
const asString = (xs: number[]) => xs.map((v) => (v < 0 ? "-" : String(v))).join("");

Deno.test("compareChords equals mir_eval's root, majmin and mirex on every label", () => {
  let compared = 0;
  for (const row of labels.labels) {
    if (row.error !== undefined) continue;
    for (const rule of CHORD_RULES) {
      const asRef = labels.classes.map((est) => compareChords(row.label, est, rule));
      assertEquals(asString(asRef), row[`ref_${rule}`], `${row.label} as reference, ${rule}`);
      const asEst = labels.refs_for_estimates.map((ref) => compareChords(ref, row.label, rule));
      assertEquals(asString(asEst), row[`est_${rule}`], `${row.label} as estimate, ${rule}`);
      compared += asRef.length + asEst.length;
    }
  }
  assert(compared > 80_000, `${compared} comparisons`);
});

Deno.test("evaluateChords equals mir_eval.chord.evaluate to 1e-6 on every fixture case", () => {
  assert(cases.length >= 20);
  let worst = 0;
  for (const c of cases) {
    const { scores } = evaluateChords(toIntervals(c.reference), toIntervals(c.estimate));
    for (const key of CHORD_SCORES) {
      worst = Math.max(worst, Math.abs(scores[key] - c.scores[key]));
      assertAlmostEquals(scores[key], c.scores[key], 1e-6, `${c.name}: ${key}`);
    }
  }
  console.log(`largest difference from mir_eval: ${worst.toExponential(2)}`);
});

Deno.test("the fixture cases exercise what they claim", () => {
  const names = cases.map((c) => c.name);
  assert(names.filter((n) => n.startsWith("billboard")).length >= 15);
  for (const n of ["estimate inside the reference span", "estimate beyond both ends"]) {
    assert(names.includes(n), n);
  }
  // the perturbed estimates are neither perfect nor useless
  const sigma = cases.filter((c) => c.name.endsWith("sigma 0.1"));
  assert(sigma.every((c) => c.scores.majmin > 0.2 && c.scores.majmin < 0.9));
});

Deno.test("evaluateChords: an estimate equal to the reference scores 1 everywhere", () => {
  const ref: ChordInterval[] = [
    { start: 0.5, end: 2, label: "C:maj" },
    { start: 2, end: 3, label: "A:min7" },
    { start: 3, end: 4, label: "N" },
  ];
  const { scores, duration, durations } = evaluateChords(ref, ref);
  assertEquals(scores, { root: 1, majmin: 1, mirex: 1, overseg: 1, underseg: 1, seg: 1 });
  assertEquals(duration, 3.5);
  assertEquals(durations.majmin, { correct: 3.5, scored: 3.5 });
});

Deno.test("evaluateChords: an empty estimate is N throughout; bad input is a clear error", () => {
  const ref: ChordInterval[] = [
    { start: 0, end: 1, label: "N" },
    { start: 1, end: 4, label: "C:maj" },
  ];
  assertAlmostEquals(evaluateChords(ref, []).scores.majmin, 0.25, 1e-12);
  // an estimate entirely after the reference (mir_eval itself crashes here): N throughout
  assertAlmostEquals(
    evaluateChords(ref, [{ start: 10, end: 12, label: "C:maj" }]).scores.root,
    0.25,
    1e-12,
  );
  const bad: [ChordInterval[], ChordInterval[], string][] = [
    [[], ref, "reference is empty"],
    [[{ start: 1, end: 1, label: "N" }], ref, "reference interval 0 has bad times"],
    [ref, [{ start: 0, end: 2, label: "N" }, { start: 1, end: 3, label: "N" }], "must not overlap"],
    [
      ref,
      [{ start: 0, end: 2, label: "C:major" }],
      'estimate interval 0: invalid Harte chord label "C:major"',
    ],
    [ref, [{ start: NaN, end: 2, label: "N" }], "estimate interval 0 has bad times"],
  ];
  for (const [r, e, message] of bad) assertThrows(() => evaluateChords(r, e), RangeError, message);
  assertThrows(() => compareChords("C", "C", "thirds" as "root"), RangeError, "unknown rule");
});

Deno.test("summarizeChords: WCSR duration-weighted over songs, segmentation span-weighted", () => {
  const a = evaluateChords(
    [{ start: 0, end: 1, label: "C:maj" }, { start: 1, end: 2, label: "G:sus4" }],
    [{ start: 0, end: 2, label: "C:maj" }],
  );
  const b = evaluateChords(
    [{ start: 0, end: 3, label: "A:min" }],
    [{ start: 0, end: 1, label: "A:min" }, { start: 1, end: 3, label: "N" }],
  );
  // majmin: song a scores 1 of 1 s (sus excluded), song b 1 of 3 s → 2 of 4 s
  const all = summarizeChords([a, b]);
  assertAlmostEquals(all.majmin, 0.5, 1e-12);
  // root: a 2 of 2 s (sus4 counts, root G vs C: wrong) → 1 of 2; b 1 of 3 → 2 of 5
  assertAlmostEquals(all.root, 2 / 5, 1e-12);
  // overseg: a 1 (estimate has no boundary inside), b 1 - 1/3; weights 2 and 3
  assertAlmostEquals(a.scores.overseg, 1, 1e-12);
  assertAlmostEquals(b.scores.overseg, 1 - 1 / 3, 1e-12);
  assertAlmostEquals(all.overseg, (2 * 1 + 3 * (2 / 3)) / 5, 1e-12);
  assertThrows(() => summarizeChords([]), RangeError, "no songs");
});

Deno.test("bootstrapChords: seeded intervals around the dataset scores", () => {
  const songs = cases.filter((c) => c.name.startsWith("billboard")).map((c) =>
    evaluateChords(toIntervals(c.reference), toIntervals(c.estimate))
  );
  const ci = bootstrapChords(songs, { samples: 300 });
  const all = summarizeChords(songs);
  for (const key of CHORD_SCORES) {
    assertEquals(ci[key].estimate, all[key]);
    assert(ci[key].low < all[key] && all[key] < ci[key].high, key);
    assertEquals(ci[key].level, 0.95);
  }
  assertEquals(bootstrapChords(songs, { samples: 300 }).majmin, ci.majmin);
  assert(bootstrapChords(songs, { samples: 300, seed: 7 }).majmin.low !== ci.majmin.low);
});
