import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  band,
  bandMass,
  blockOutline,
  checkAlignment,
  meanRowEntropy,
  rowEntropy,
  strongAlignment,
} from "./alignment_stats.ts";
import { strongTargets, weakTargets } from "../chords/dataset.ts";
import { dtw } from "./dtw.ts";
import { softDtwValueAndGrad } from "./soft_dtw.ts";

Deno.test("row entropy: one-hot rows give 0, uniform rows log(cols)", () => {
  const h = rowEntropy([[0, 5, 0, 0], [2, 2, 2, 2], [1, 0, 0, 0]]);
  assertAlmostEquals(h[0], 0, 1e-15);
  assertAlmostEquals(h[1], Math.log(4), 1e-12);
  assertAlmostEquals(h[2], 0, 1e-15);
  const n = rowEntropy([[0, 5, 0, 0], [2, 2, 2, 2]], { normalized: true });
  assertAlmostEquals(n[0], 0, 1e-15);
  assertAlmostEquals(n[1], 1, 1e-12);
});

Deno.test("row entropy of a hand-computed two-point distribution", () => {
  // p = (3/4, 1/4): H = -(0.75 ln 0.75 + 0.25 ln 0.25) = 0.5623351446...
  const [h] = rowEntropy([[3, 1]]);
  assertAlmostEquals(h, 0.5623351446188083, 1e-12);
  // normalized by ln 2: 0.8112781244591328 (the binary entropy of 1/4 in bits)
  assertAlmostEquals(rowEntropy([[3, 1]], { normalized: true })[0], 0.8112781244591328, 1e-12);
  // Scaling a row does not change its entropy.
  assertAlmostEquals(rowEntropy([[0.003, 0.001]])[0], h, 1e-12);
  // Mean over rows: (0 + ln 2) / 2.
  assertAlmostEquals(meanRowEntropy([[1, 0], [1, 1]]), Math.log(2) / 2, 1e-12);
  assertAlmostEquals(meanRowEntropy([[1, 0], [1, 1]], { normalized: true }), 0.5, 1e-12);
});

Deno.test("bad matrices are refused with an error naming the problem", () => {
  assertThrows(() => checkAlignment([]), TypeError, "non-empty");
  assertThrows(() => checkAlignment([[]]), TypeError, "row 0");
  assertThrows(() => checkAlignment([[1, 2], [3]]), RangeError, "row 1 has 1 entries");
  assertThrows(() => rowEntropy([[1, NaN]]), RangeError, "alignment[0][1] is NaN");
  assertThrows(() => rowEntropy([[1, Infinity]]), RangeError, "not finite");
  assertThrows(() => rowEntropy([[1, 0], [0, -0.5]], { name: "E" }), RangeError, "E[1][1] is -0.5");
  assertThrows(() => rowEntropy([[1, 0], [0, 0]]), RangeError, "row 1 sums to 0");
  assertThrows(() => rowEntropy([[1], [2]], { normalized: true }), RangeError, "2 columns");
  assertThrows(() => bandMass([[1, 0]], [[1, 0], [0, 1]]), RangeError, "1×2");
  assertThrows(() => bandMass([[0, 0]], [[1, 0]]), RangeError, "all zeros");
  assertThrows(() => bandMass([[1, 0]], [[0, 0]]), RangeError, "row 0 has no aligned position");
  assertThrows(() => band([[1, 0]], { tolerance: -1 }), RangeError, "tolerance");
  assertThrows(() => band([[1, 0]], { tolerance: 0.5 }), RangeError, "tolerance");
});

Deno.test("band and band mass on hand-computed cases", () => {
  assertEquals(band([[1, 0, 0, 0], [0, 0, 1, 0]]), [[1, 0, 0, 0], [0, 0, 1, 0]]);
  assertEquals(band([[1, 0, 0, 0], [0, 0, 1, 0]], { tolerance: 1 }), [
    [1, 1, 0, 0],
    [0, 1, 1, 1],
  ]);
  // total 8, inside the diagonal 3 + 4 = 7
  assertAlmostEquals(bandMass([[3, 1], [0, 4]], [[1, 0], [0, 1]]), 7 / 8, 1e-15);
  assertAlmostEquals(bandMass([[3, 1], [0, 4]], [[1, 0], [0, 1]], { tolerance: 1 }), 1, 1e-15);
  // entirely outside the band
  assertEquals(bandMass([[0, 2], [2, 0]], [[1, 0], [0, 1]]), 0);
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

Deno.test("strong alignment agrees with the targets of lib/dataset.ts", () => {
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

Deno.test("an exact alignment inside the strong alignment has band mass 1", () => {
  const labels = [0, 0, 0, 0, 7, 7, 9, 9, 9, 9, 9];
  const strong = strongAlignment(labels, { softLength: 5, padding: "uniform" }).matrix;
  // Classic DTW on a cost that is 0 inside the band and 1 outside finds a path of cost 0,
  // which therefore lies entirely in the band.
  const cost = strong.map((row) => row.map((v) => 1 - v));
  const r = dtw(cost);
  assertEquals(r.value, 0);
  assertEquals(bandMass(r.alignment, strong), 1);
  // Runs 0, 7, 9 to 5 positions: uniformRepeats(3, 5) = [1, 2, 2], so chord 0 -> column 0,
  // chord 7 -> columns 1-2, chord 9 -> columns 3-4. A path that leaves the band once: frame 3
  // (chord 0) aligned to column 1 (chord 7); 10 of its 11 cells are in the band.
  const wrong = strong.map((row) => row.map(() => 0));
  const path: [number, number][] = [
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 1],
    [4, 1],
    [5, 2],
    [6, 3],
    [7, 3],
    [8, 4],
    [9, 4],
    [10, 4],
  ];
  for (const [m, n] of path) wrong[m][n] = 1;
  assertAlmostEquals(bandMass(wrong, strong), 10 / 11, 1e-15);
  assertEquals(bandMass(wrong, strong, { tolerance: 1 }), 1);
});

Deno.test("soft-DTW expected alignments: sharp and in the band for small γ, diffuse for large γ", () => {
  const labels = [0, 0, 0, 0, 7, 7, 9, 9, 9, 9, 9, 2, 2];
  const strong = strongAlignment(labels, { softLength: 6, padding: "uniform" }).matrix;
  const cost = strong.map((row) => row.map((v) => 1 - v));
  const sharp = softDtwValueAndGrad(cost, 1e-3).grad;
  const diffuse = softDtwValueAndGrad(cost, 1e3).grad;
  // γ → 0: E is the average of the optimal (cost-0) paths, all inside the band.
  assertAlmostEquals(bandMass(sharp, strong), 1, 1e-9);
  // γ → ∞: every path gets (almost) the same weight, so mass leaks out of the band and the
  // rows spread over more positions.
  assert(bandMass(diffuse, strong) < 0.9, `band mass ${bandMass(diffuse, strong)}`);
  assert(
    meanRowEntropy(diffuse, { normalized: true }) > meanRowEntropy(sharp, { normalized: true }),
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
