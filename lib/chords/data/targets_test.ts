/**
 * Tests of lib/chords/data/targets.ts: repetition removal and the two paddings checked against their
 * defining properties (not against outputs of the code), one-hot targets, and the strong
 * alignment checked by hand and against the targets it pairs.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  blockOutline,
  padSequence,
  removeRepetitions,
  strongAlignment,
  strongTargets,
  uniformRepeats,
  weakTargets,
} from "./targets.ts";
import { NO_CHORD } from "./labels.ts";
import { mulberry32 } from "../random.ts";

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

const rand = mulberry32(11);
function randInt(n: number): number {
  return Math.floor(rand() * n);
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

Deno.test("strong alignment, uniform padding: blocks by hand, N kept as a run", () => {
  // runs: 0 (frames 0-2), 7 (frames 3-4), N (frame 5); uniform to 6: 2 positions each
  const s = strongAlignment([0, 0, 0, 7, 7, -1], { softLength: 6, padding: "uniform" });
  assertEquals(s.blocks, [
    { label: 0, rows: [0, 2], cols: [0, 1] },
    { label: 7, rows: [3, 4], cols: [2, 3] },
    { label: -1, rows: [5, 5], cols: [4, 5] },
  ]);
  assertEquals(s.matrix, [
    [1, 1, 0, 0, 0, 0],
    [1, 1, 0, 0, 0, 0],
    [1, 1, 0, 0, 0, 0],
    [0, 0, 1, 1, 0, 0],
    [0, 0, 1, 1, 0, 0],
    [0, 0, 0, 0, 1, 1],
  ]);
  // two runs of 1 and 3 frames to 3 positions: floor(3/2) = 1 for run 0, 2 for run 1
  assertEquals(
    strongAlignment([4, 9, 9, 9], { softLength: 3, padding: "uniform" }).matrix,
    [[1, 0, 0], [0, 1, 1], [0, 1, 1], [0, 1, 1]],
  );
});

Deno.test("strong alignment, last padding: the last run takes every padded position", () => {
  const s = strongAlignment([2, 2, 5, 5, 5], { softLength: 4, padding: "last" });
  assertEquals(s.matrix, [[1, 0, 0, 0], [1, 0, 0, 0], [0, 1, 1, 1], [0, 1, 1, 1], [0, 1, 1, 1]]);
  // a label that comes back later is a new run
  assertEquals(
    strongAlignment([1, 3, 1], { softLength: 3, padding: "last" }).blocks.map((b) => b.label),
    [1, 3, 1],
  );
});

Deno.test("strong alignment agrees with the strong and weak targets", () => {
  const labels = [0, 0, 0, -1, -1, 7, 7, 7, 7, 0, 12, 12, 12, 12, 12, 3, 3];
  for (const padding of ["uniform", "last"] as const) {
    for (const softLength of [6, 7, 16]) {
      const { matrix } = strongAlignment(labels, { softLength, padding });
      const weak = weakTargets(labels, { softLength, padding });
      const strong = strongTargets(labels);
      assertEquals(matrix.length, labels.length);
      matrix.forEach((row, m) => {
        assert(row.some((v) => v === 1), `frame ${m} is aligned`);
        // every aligned pair has the same target (one-hot chord or all-zero N)
        row.forEach((v, n) => {
          if (v === 1) assertEquals(weak[n], strong[m], `${padding} ${softLength} (${m}, ${n})`);
        });
      });
      for (let n = 0; n < softLength; n++) {
        assert(matrix.some((row) => row[n] === 1), `position ${n} is aligned`);
      }
    }
  }
});

Deno.test("strong alignment errors", () => {
  assertThrows(() => strongAlignment([], { softLength: 3, padding: "uniform" }), TypeError);
  assertThrows(
    () => strongAlignment([0, 24], { softLength: 3, padding: "uniform" }),
    RangeError,
    "label 1 is 24",
  );
  assertThrows(
    () => strongAlignment([0, 1, 2], { softLength: 2, padding: "uniform" }),
    RangeError,
    "shorter than the 3 runs",
  );
  assertThrows(
    () => strongAlignment([0], { softLength: 0, padding: "uniform" }),
    RangeError,
    "softLength",
  );
  assertThrows(
    // deno-lint-ignore no-explicit-any
    () => strongAlignment([0], { softLength: 2, padding: "middle" as any }),
    RangeError,
    "padding",
  );
});

Deno.test("block outline of two blocks, traced by hand", () => {
  const outline = blockOutline([
    { label: 0, rows: [0, 1], cols: [0, 0] },
    { label: 7, rows: [2, 3], cols: [1, 2] },
  ]);
  assertEquals(outline, [
    [-0.5, -0.5],
    [-0.5, 0.5],
    [1.5, 0.5],
    [1.5, 2.5],
    [3.5, 2.5],
    [3.5, 0.5],
    [1.5, 0.5],
    [1.5, -0.5],
    [-0.5, -0.5],
  ]);
  assertThrows(() => blockOutline([]), TypeError, "at least one block");
});
