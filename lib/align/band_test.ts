import { assert, assertEquals, assertThrows } from "@std/assert";
import { bandArea, bandMask, checkBandLimits, mainDiagonalBand, sakoeChibaBand } from "./band.ts";

/** Does the segment from (0,0) to (M-1,N-1) pass through the interior of cell (m, n)? */
function lineCrossesInterior(M: number, N: number, m: number, n: number): boolean {
  // sample the segment densely; a crossing of the open cell square is detected by a sample
  // strictly inside it (cells are unit squares centred on integer coordinates)
  const steps = 20000;
  for (let k = 0; k <= steps; k++) {
    const u = k / steps;
    const y = u * (M - 1), x = u * (N - 1);
    if (Math.abs(y - m) < 0.5 - 1e-9 && Math.abs(x - n) < 0.5 - 1e-9) return true;
  }
  return false;
}

Deno.test("sakoeChibaBand radius 0 is the digital line: the cells the line crosses (longer side)", () => {
  for (const [M, N] of [[3, 3], [2, 5], [5, 2], [4, 7], [7, 4], [6, 16], [16, 6], [1, 4], [4, 1]]) {
    const band = sakoeChibaBand(M, N, { radius: 0 });
    checkBandLimits(band, M, N);
    const mask = bandMask(band, N);
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        const crossed = M === 1 || N === 1 || lineCrossesInterior(M, N, m, n);
        assertEquals(mask[m][n] === 1, crossed, `${M}x${N} cell (${m}, ${n})`);
      }
    }
  }
});

Deno.test("sakoeChibaBand: square case is |m - n| <= r; every radius admits a path; N ≠ M ok", () => {
  for (const r of [0, 1, 2, 5]) {
    const mask = bandMask(sakoeChibaBand(6, 6, { radius: r }), 6);
    mask.forEach((row, m) => row.forEach((v, n) => assertEquals(v, Math.abs(m - n) <= r ? 1 : 0)));
  }
  for (let M = 1; M <= 12; M++) {
    for (let N = 1; N <= 12; N++) {
      for (const r of [0, 1, 3]) {
        const band = sakoeChibaBand(M, N, { radius: r });
        checkBandLimits(band, M, N); // throws if no path fits
        // symmetric: the band of the transposed problem is the transposed band
        const t = bandMask(sakoeChibaBand(N, M, { radius: r }), M);
        const mask = bandMask(band, N);
        for (let m = 0; m < M; m++) {
          for (let n = 0; n < N; n++) assertEquals(mask[m][n], t[n][m], `${M}x${N} r=${r}`);
        }
      }
    }
  }
  // radius r adds r cells on each side along the longer side (150 x 16: along the rows)
  const narrow = sakoeChibaBand(150, 16, { radius: 0 });
  const wide = sakoeChibaBand(150, 16, { radius: 2 });
  assert(bandArea(wide) > bandArea(narrow));
  assert(bandArea(wide) < 150 * 16 / 2);
});

Deno.test("mainDiagonalBand needs radius >= |N - M| and says so", () => {
  const ok = mainDiagonalBand(5, 3, { radius: 2 });
  checkBandLimits(ok, 5, 3);
  assertThrows(
    () => mainDiagonalBand(5, 3, { radius: 1 }),
    RangeError,
    "narrower than |N - M| = 2 allows",
  );
  assertThrows(() => mainDiagonalBand(150, 16, { radius: 10 }), RangeError, "last cell (149, 15)");
});

Deno.test("band validation names the problem", () => {
  assertThrows(() => sakoeChibaBand(3, 3, { radius: -1 }), RangeError, "non-negative integer");
  assertThrows(() => sakoeChibaBand(3, 3, { radius: 0.5 }), RangeError, "non-negative integer");
  assertThrows(() => sakoeChibaBand(0, 3, { radius: 1 }), RangeError, "rows");
  const band = (lo: number[], hi: number[]) => ({
    lo: Int32Array.from(lo),
    hi: Int32Array.from(hi),
  });
  assertThrows(() => checkBandLimits(band([1, 1], [1, 2]), 2, 3), RangeError, "first cell");
  assertThrows(() => checkBandLimits(band([0, 1], [1, 1]), 2, 3), RangeError, "last cell");
  assertThrows(() => checkBandLimits(band([0, 2], [0, 2]), 2, 3), RangeError, "no warping path");
  assertThrows(() => checkBandLimits(band([0, 0], [2, 1]), 2, 3), RangeError, "non-decreasing");
  assertThrows(() => checkBandLimits(band([0, 0], [0, 3]), 2, 3), RangeError, "inside [0, 2]");
  assertThrows(() => checkBandLimits(band([0], [0]), 2, 3), RangeError, "has 1 rows");
  assertThrows(
    // deno-lint-ignore no-explicit-any
    () => checkBandLimits({ lo: [0], hi: [0] } as any, 1, 1),
    TypeError,
    "Int32Array",
  );
});
