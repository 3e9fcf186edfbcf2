import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { band, bandMass, checkAlignment, meanRowEntropy, rowEntropy } from "./sharpness.ts";
import { dtw } from "./dtw.ts";
import { softDtwValueAndGrad } from "./soft_dtw.ts";

/**
 * A block-diagonal binary matrix written by hand: block k covers rows `rows[k]` and columns
 * `cols[k]` (inclusive), as the strong alignment of a segment against its weak target is.
 */
function blockMatrix(size: [number, number], blocks: [[number, number], [number, number]][]) {
  const out = Array.from({ length: size[0] }, () => new Array<number>(size[1]).fill(0));
  for (const [[r0, r1], [c0, c1]] of blocks) {
    for (let m = r0; m <= r1; m++) for (let n = c0; n <= c1; n++) out[m][n] = 1;
  }
  return out;
}

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
  assertThrows(() => checkAlignment([[1, 2], [3]]), TypeError, "row 1 has 1 entries");
  // deno-lint-ignore no-explicit-any
  assertThrows(() => checkAlignment([[1, "2" as any]]), TypeError, "alignment[0][1]");
  assertThrows(() => rowEntropy([[1, NaN]]), RangeError, "alignment[0][1] is NaN");
  assertThrows(() => rowEntropy([[1, Infinity]]), RangeError, "not finite");
  assertThrows(() => rowEntropy([[1, 0], [0, -0.5]], { name: "E" }), RangeError, "E[1][1] is -0.5");
  assertThrows(() => rowEntropy([[1, 0], [0, 0]]), RangeError, "row 1 sums to 0");
  assertThrows(() => rowEntropy([[1], [2]], { normalized: true }), RangeError, "2 columns");
  assertThrows(() => bandMass([[1, 0]], [[1, 0], [0, 1]]), TypeError, "1×2");
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

Deno.test("an exact alignment inside the strong alignment has band mass 1", () => {
  // Frames 0-3 -> column 0, 4-5 -> columns 1-2, 6-10 -> columns 3-4 (three runs padded to 5).
  const strong = blockMatrix([11, 5], [[[0, 3], [0, 0]], [[4, 5], [1, 2]], [[6, 10], [3, 4]]]);
  // Classic DTW on a cost that is 0 inside the band and 1 outside finds a path of cost 0,
  // which therefore lies entirely in the band.
  const cost = strong.map((row) => row.map((v) => 1 - v));
  const r = dtw(cost);
  assertEquals(r.value, 0);
  assertEquals(bandMass(r.alignment, strong), 1);
  // A path that leaves the band once: frame 3 (first block) aligned to column 1 (second
  // block); 10 of its 11 cells are in the band.
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
  const strong = blockMatrix([13, 6], [
    [[0, 3], [0, 1]],
    [[4, 5], [2, 2]],
    [[6, 10], [3, 4]],
    [[11, 12], [5, 5]],
  ]);
  const cost = strong.map((row) => row.map((v) => 1 - v));
  const sharp = softDtwValueAndGrad(cost, { gamma: 1e-3 }).grad;
  const diffuse = softDtwValueAndGrad(cost, { gamma: 1e3 }).grad;
  // γ → 0: E is the average of the optimal (cost-0) paths, all inside the band.
  assertAlmostEquals(bandMass(sharp, strong), 1, 1e-9);
  // γ → ∞: every path gets (almost) the same weight, so mass leaks out of the band and the
  // rows spread over more positions.
  assert(bandMass(diffuse, strong) < 0.9, `band mass ${bandMass(diffuse, strong)}`);
  assert(
    meanRowEntropy(diffuse, { normalized: true }) > meanRowEntropy(sharp, { normalized: true }),
  );
});
