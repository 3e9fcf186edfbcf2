import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { toMatrix64 } from "./cost.ts";
import { softDtw, softDtw64, softDtwValueAndGrad, softDtwValueAndGrad64 } from "./soft_dtw.ts";
import { softDtwBatch64 } from "./soft_dtw_batch.ts";
import { mainDiagonalBand, sakoeChibaBand } from "./band.ts";
import type { StepWeights } from "./options.ts";
import { weightedSoftDtw, weightedSoftDtw64, weightedSoftDtwBatch64 } from "./weighted.ts";
import { bruteForceWeightedSoftDtw } from "./weighted_brute_force.ts";
import { assertRelClose, lcg, randomMatrix } from "./test_helpers_test.ts";

const SIZES: [number, number][] = [[1, 1], [1, 4], [4, 1], [3, 3], [4, 5], [5, 3], [2, 6]];
const GAMMAS = [0.001, 0.01, 0.1, 1, 10, 100, 1000];
const WEIGHTS: StepWeights[] = [[1, 1, 1], [1, 1, 2], [1, 0, 1], [0, 1, 1], [2, 0.5, 3], [0, 0, 0]];

Deno.test("weighted soft-DTW: value, occupancy and gradient equal brute force over all paths", () => {
  const rand = lcg(11);
  for (const [M, N] of SIZES) {
    const C = randomMatrix(M, N, rand, 3);
    for (const stepWeights of WEIGHTS) {
      for (const gamma of GAMMAS) {
        const bf = bruteForceWeightedSoftDtw(C, { gamma, stepWeights });
        const r = weightedSoftDtw(C, { gamma, stepWeights });
        const tag = `${M}x${N} w=${stepWeights} γ=${gamma}`;
        if (bf.value === 0) assertAlmostEquals(r.value, 0, 1e-12, tag);
        else assertRelClose(r.value, bf.value, 1e-9, `value ${tag}`);
        for (let m = 0; m < M; m++) {
          for (let n = 0; n < N; n++) {
            assertAlmostEquals(r.occupancy[m][n], bf.occupancy[m][n], 1e-9, `E[${m}][${n}] ${tag}`);
            assertAlmostEquals(r.grad[m][n], bf.grad[m][n], 1e-9, `grad[${m}][${n}] ${tag}`);
          }
        }
      }
    }
  }
});

Deno.test("banded soft-DTW equals brute force over the paths inside the band", () => {
  const rand = lcg(12);
  for (const [M, N] of [[5, 3], [3, 6], [5, 5], [6, 4], [2, 5]] as const) {
    const C = randomMatrix(M, N, rand, 2);
    for (const radius of [0, 1, 2]) {
      const band = sakoeChibaBand(M, N, { radius });
      for (const stepWeights of [[1, 1, 1], [1, 1, 2], [1, 0, 1]] as StepWeights[]) {
        for (const gamma of [0.01, 1, 100]) {
          const bf = bruteForceWeightedSoftDtw(C, { gamma, stepWeights, band });
          assert(bf.count > 0, `a path fits radius ${radius} for ${M}x${N}`);
          const r = weightedSoftDtw(C, { gamma, stepWeights, band: radius });
          const tag = `${M}x${N} r=${radius} w=${stepWeights} γ=${gamma}`;
          assertRelClose(r.value, bf.value, 1e-9, `value ${tag}`);
          for (let m = 0; m < M; m++) {
            for (let n = 0; n < N; n++) {
              assertAlmostEquals(r.grad[m][n], bf.grad[m][n], 1e-9, `grad[${m}][${n}] ${tag}`);
              assertAlmostEquals(r.occupancy[m][n], bf.occupancy[m][n], 1e-9, `E ${tag}`);
            }
          }
        }
      }
    }
  }
});

Deno.test("[1, 1, 1] without band is plain soft-DTW bit for bit (value and gradient)", () => {
  const rand = lcg(13);
  for (const [M, N] of [[1, 1], [1, 7], [7, 1], [5, 8], [9, 4], [150, 16], [33, 33]] as const) {
    for (const gamma of GAMMAS) {
      const C = toMatrix64(randomMatrix(M, N, rand, 2));
      const plain = softDtwValueAndGrad64(C, { gamma });
      const w = weightedSoftDtw64(C, { gamma, stepWeights: [1, 1, 1] });
      assertEquals(w.value, plain.value, `value ${M}x${N} γ=${gamma}`);
      assertEquals(w.grad.data, plain.grad.data, `grad ${M}x${N} γ=${gamma}`);
      assertEquals(w.occupancy.data, plain.grad.data, `occupancy ${M}x${N} γ=${gamma}`);
    }
  }
  // a band wider than the matrix is no band: still bit for bit
  const C = toMatrix64(randomMatrix(12, 7, rand));
  const plain = softDtwValueAndGrad64(C, { gamma: 0.5 });
  const w = weightedSoftDtw64(C, { gamma: 0.5, band: 20 });
  assertEquals(w.value, plain.value);
  assertEquals(w.grad.data, plain.grad.data);
});

Deno.test("weighted gradient equals central finite differences (with and without band)", () => {
  const rand = lcg(14);
  const cases: [number, number, number, StepWeights, number | undefined][] = [
    [5, 7, 1, [1, 1, 2], undefined],
    [8, 4, 0.3, [1, 0, 1], undefined],
    [6, 6, 3, [2, 0.5, 1], 1],
    [9, 3, 0.5, [1, 1, 2], 0],
  ];
  for (const [M, N, gamma, stepWeights, band] of cases) {
    const C = randomMatrix(M, N, rand, 2);
    const { grad } = weightedSoftDtw(C, { gamma, stepWeights, band });
    const h = 1e-5;
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        const plus = C.map((r) => [...r]), minus = C.map((r) => [...r]);
        plus[m][n] += h;
        minus[m][n] -= h;
        const fd = (weightedSoftDtw(plus, { gamma, stepWeights, band }).value -
          weightedSoftDtw(minus, { gamma, stepWeights, band }).value) / (2 * h);
        assertAlmostEquals(grad[m][n], fd, 1e-7, `cell ${m},${n} ${M}x${N} w=${stepWeights}`);
      }
    }
  }
});

Deno.test("weighted soft-DTW is finite for γ from 1e-3 to 1e3 and large costs", () => {
  const rand = lcg(15);
  for (const gamma of [1e-3, 1e-2, 1, 1e2, 1e3]) {
    for (const scale of [1e-6, 1, 1e4]) {
      const C = randomMatrix(40, 13, rand, scale);
      for (const stepWeights of WEIGHTS) {
        for (const band of [undefined, 0, 3]) {
          const r = weightedSoftDtw(C, { gamma, stepWeights, band });
          assert(Number.isFinite(r.value), `value γ=${gamma} scale=${scale}`);
          assert(r.grad.every((row) => row.every(Number.isFinite)), `grad γ=${gamma}`);
          // occupancy of the last cell is 1; every row is visited at least once
          assertAlmostEquals(r.occupancy[39][12], 1, 1e-9);
          for (const row of r.occupancy) {
            assert(row.reduce((s, v) => s + v, 0) >= 1 - 1e-9, "each row is visited");
          }
        }
      }
    }
  }
});

Deno.test("batched weighted soft-DTW with per-pair lengths equals the pairs one by one", () => {
  const rand = lcg(16);
  const B = 4, MR = 9, MC = 6;
  const cost = new Float64Array(B * MR * MC).map(() => 3 * rand());
  const rowLengths = [9, 4, 7, 1], colLengths = [6, 6, 2, 3];
  for (const band of [undefined, 1]) {
    const stepWeights: StepWeights = [1, 0.5, 2];
    const r = weightedSoftDtwBatch64({
      cost,
      batch: B,
      maxRows: MR,
      maxCols: MC,
      rowLengths,
      colLengths,
      gamma: 0.7,
      stepWeights,
      band,
      withOccupancy: true,
    });
    for (let b = 0; b < B; b++) {
      const C = Array.from(
        { length: rowLengths[b] },
        (_, m) => Array.from(cost.subarray((b * MR + m) * MC, (b * MR + m) * MC + colLengths[b])),
      );
      const one = weightedSoftDtw(C, { gamma: 0.7, stepWeights, band });
      assertEquals(r.values[b], one.value);
      for (let m = 0; m < MR; m++) {
        for (let n = 0; n < MC; n++) {
          const inside = m < rowLengths[b] && n < colLengths[b];
          const g = r.grads![(b * MR + m) * MC + n];
          assertEquals(g, inside ? one.grad[m][n] : 0, `pair ${b} [${m}][${n}]`);
          const e = r.occupancies![(b * MR + m) * MC + n];
          assertEquals(e, inside ? one.occupancy[m][n] : 0);
        }
      }
    }
  }
  // [1,1,1] batch = plain batch bit for bit
  const plain = softDtwBatch64({
    cost,
    batch: B,
    maxRows: MR,
    maxCols: MC,
    rowLengths,
    colLengths,
    gamma: 0.3,
  });
  const w = weightedSoftDtwBatch64({
    cost,
    batch: B,
    maxRows: MR,
    maxCols: MC,
    rowLengths,
    colLengths,
    gamma: 0.3,
  });
  assertEquals(w.values, plain.values);
  assertEquals(w.grads, plain.grads);
});

Deno.test("the band makes the DP visit only band cells: far-away costs do not matter", () => {
  const rand = lcg(17);
  const M = 30, N = 12;
  const C = randomMatrix(M, N, rand);
  const band = sakoeChibaBand(M, N, { radius: 1 });
  const a = weightedSoftDtw(C, { gamma: 0.5, band });
  const far = C.map((row, m) => row.map((v, n) => (n < band.lo[m] || n > band.hi[m] ? 1e6 : v)));
  const b = weightedSoftDtw(far, { gamma: 0.5, band });
  assertEquals(a.value, b.value);
  assertEquals(a.grad, b.grad);
  // and a band given as explicit limits is the same as the radius
  const c = weightedSoftDtw(C, { gamma: 0.5, band });
  assertEquals(c.value, a.value);
});

Deno.test("weighted soft-DTW rejects bad input with clear messages", () => {
  const C = [[0, 1], [1, 0]];
  assertThrows(() => weightedSoftDtw(C, { gamma: 0 }), RangeError, "gamma");
  assertThrows(() => weightedSoftDtw(C, { gamma: -1 }), RangeError, "gamma");
  assertThrows(
    () => weightedSoftDtw(C, { gamma: 1, stepWeights: [1, -1, 1] }),
    RangeError,
    "stepWeights[1] (wCol) is -1",
  );
  assertThrows(
    () => weightedSoftDtw(C, { gamma: 1, stepWeights: [1, 1, NaN] }),
    RangeError,
    "stepWeights[2] (wDiag) is NaN",
  );
  assertThrows(
    () => weightedSoftDtw(C, { gamma: 1, stepWeights: [1, Infinity, 1] }),
    RangeError,
    "finite",
  );
  assertThrows(
    // deno-lint-ignore no-explicit-any
    () => weightedSoftDtw(C, { gamma: 1, stepWeights: [1, 1] as any }),
    TypeError,
    "three numbers",
  );
  assertThrows(() => weightedSoftDtw(C, { gamma: 1, band: -1 }), RangeError, "non-negative");
  assertThrows(() => weightedSoftDtw(C, { gamma: 1, band: 1.5 }), RangeError, "integer");
  assertThrows(() => weightedSoftDtw([[0, 1], [1]], { gamma: 1 }), TypeError, "ragged");
  assertThrows(() => weightedSoftDtw([[0, NaN]], { gamma: 1 }), RangeError, "NaN");
  const wide = randomMatrix(3, 7, lcg(1));
  assertThrows(
    () => weightedSoftDtw(wide, { gamma: 1, band: mainDiagonalBand(3, 7, { radius: 2 }) }),
    RangeError,
    "narrower than |N - M| = 4",
  );
  assertThrows(
    () =>
      weightedSoftDtw(wide, {
        gamma: 1,
        band: { lo: Int32Array.of(0, 4, 5), hi: Int32Array.of(2, 5, 6) },
      }),
    RangeError,
    "no warping path fits in the band",
  );
  assertThrows(
    () =>
      weightedSoftDtwBatch64({
        cost: [0, NaN],
        batch: 1,
        maxRows: 1,
        maxCols: 2,
        gamma: 1,
      }),
    RangeError,
    "pair 0 at [0][1]",
  );
  assertThrows(
    () => weightedSoftDtw([[1e308, 1e308], [1e308, 1e308]], { gamma: 1, stepWeights: [1, 1, 2] }),
    RangeError,
    "overflowed",
  );
});

Deno.test("softDtwValueAndGrad / softDtw dispatch: stepWeights and band use the family kernel", () => {
  const rand = lcg(18);
  const C = randomMatrix(7, 5, rand, 2);
  const plain = softDtwValueAndGrad(C, { gamma: 0.5 });
  const same = softDtwValueAndGrad(C, { gamma: 0.5, stepWeights: [1, 1, 1] });
  assertEquals(same, plain);
  for (
    const [stepWeights, band] of [[[1, 1, 2], undefined], [[1, 1, 1], 1], [[1, 0, 1], 0]] as [
      StepWeights,
      number | undefined,
    ][]
  ) {
    const viaFace = softDtwValueAndGrad(C, { gamma: 0.5, stepWeights, band });
    const bf = bruteForceWeightedSoftDtw(C, {
      gamma: 0.5,
      stepWeights,
      band: band === undefined ? undefined : sakoeChibaBand(7, 5, { radius: band }),
    });
    assertRelClose(viaFace.value, bf.value, 1e-12, `value w=${stepWeights} band=${band}`);
    viaFace.grad.forEach((row, m) =>
      row.forEach((v, n) => assertAlmostEquals(v, bf.grad[m][n], 1e-12))
    );
    assertEquals(softDtw(C, { gamma: 0.5, stepWeights, band }), viaFace.value);
    const typed = softDtwValueAndGrad64(toMatrix64(C), { gamma: 0.5, stepWeights, band });
    assertEquals(typed.value, viaFace.value);
    assertEquals(softDtw64(toMatrix64(C), { gamma: 0.5, stepWeights, band }), viaFace.value);
  }
  assertThrows(
    () => softDtwValueAndGrad(C, { gamma: 0.5, stepWeights: [1, -2, 1] }),
    RangeError,
    "wCol",
  );
});
