import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreaterOrEqual,
  assertLessOrEqual,
  assertThrows,
} from "@std/assert";
import { asSequence, squaredEuclideanCost, toMatrix64 } from "./cost.ts";
import { bruteForceSoftDtw, delannoy, logDelannoy } from "./brute_force.ts";
import { dtw } from "./dtw.ts";
import {
  softDtw,
  softDtw64,
  softDtwAccumulated,
  softDtwValueAndGrad,
  softDtwValueAndGrad64,
} from "./soft_dtw.ts";
import { createWorkspace, softDtwKernel, softmin } from "./_soft_dtw_kernel.ts";
import { softDtwBatch, softDtwBatch64 } from "./soft_dtw_batch.ts";
import { softDtwForward64, softDtwValueAndGradBaseline } from "./soft_dtw_baseline.ts";
import { checkGamma } from "./options.ts";
import { wasmAvailable } from "./_soft_dtw_wasm.ts";
import { assertRelClose, lcg, randomMatrix } from "./test_helpers_test.ts";

const SIZES: [number, number][] = [[1, 1], [1, 4], [4, 1], [3, 3], [4, 5], [5, 3]];
const GAMMAS = [0.001, 0.01, 0.1, 1, 10, 100, 1000];

Deno.test("softmin matches -γ log Σ exp(-a/γ) computed directly, and tends to min", () => {
  const a = [0.3, 1.2, -0.5];
  for (const g of [0.5, 1, 3]) {
    const direct = -g * Math.log(a.reduce((s, v) => s + Math.exp(-v / g), 0));
    assertAlmostEquals(softmin(a, { gamma: g }), direct, 1e-12);
  }
  assertAlmostEquals(softmin([1, 1], { gamma: 1 }), 1 - Math.log(2), 1e-15);
  assertAlmostEquals(softmin(a, { gamma: 1e-6 }), -0.5, 1e-9);
  // lower bound of min, within γ log n
  for (const g of [0.01, 1, 100]) {
    const s = softmin(a, { gamma: g });
    assertLessOrEqual(s, -0.5);
    assertGreaterOrEqual(s, -0.5 - g * Math.log(3) - 1e-9);
  }
  // huge values and tiny γ: stable, no NaN
  assertEquals(softmin([1e6, 2e6], { gamma: 1e-3 }), 1e6);
  assertEquals(softmin([5, Infinity], { gamma: 1 }), 5);
});

Deno.test("softmin rejects bad input", () => {
  assertThrows(() => softmin([], { gamma: 1 }), RangeError, "non-empty");
  assertThrows(() => softmin([1, NaN], { gamma: 1 }), RangeError, "values[1] is NaN");
  assertThrows(() => softmin([1], { gamma: 0 }), RangeError, "gamma");
  assertThrows(() => softmin([1], { gamma: -1 }), RangeError, "gamma");
  assertThrows(() => softmin([Infinity], { gamma: 1 }), RangeError, "+Infinity");
});

Deno.test("soft-DTW value and gradient equal brute force over all alignments", () => {
  const rand = lcg(1);
  for (const [M, N] of SIZES) {
    const C = randomMatrix(M, N, rand, 3);
    for (const g of GAMMAS) {
      const bf = bruteForceSoftDtw(C, { gamma: g });
      assertEquals(bf.alignments.length, delannoy(M - 1, N - 1));
      const fast = softDtwValueAndGrad(C, { gamma: g });
      const base = softDtwValueAndGradBaseline(toMatrix64(C), { gamma: g });
      assertRelClose(fast.value, bf.value, 1e-9, `value ${M}x${N} γ=${g}`);
      assertRelClose(base.value, bf.value, 1e-9, `baseline value ${M}x${N} γ=${g}`);
      for (let m = 0; m < M; m++) {
        for (let n = 0; n < N; n++) {
          const e = bf.expectedAlignment[m][n];
          assertRelClose(fast.grad[m][n], e, 1e-9, `E[${m}][${n}] ${M}x${N} γ=${g}`);
          assertRelClose(base.grad.data[m * N + n], e, 1e-9, `baseline E ${M}x${N} γ=${g}`);
        }
      }
    }
  }
});

Deno.test("soft-DTW gradient equals central finite differences of the value", () => {
  const rand = lcg(2);
  for (const [M, N, g] of [[4, 6, 1], [7, 5, 0.3], [3, 8, 10]] as const) {
    const C = randomMatrix(M, N, rand, 2);
    const { grad } = softDtwValueAndGrad(C, { gamma: g });
    const h = 1e-5;
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        const plus = C.map((r) => [...r]), minus = C.map((r) => [...r]);
        plus[m][n] += h;
        minus[m][n] -= h;
        const fd = (softDtw(plus, { gamma: g }) - softDtw(minus, { gamma: g })) / (2 * h);
        assertAlmostEquals(grad[m][n], fd, 1e-7, `cell ${m},${n} of ${M}x${N}, γ=${g}`);
      }
    }
  }
});

/** Asserts that `v` starts with the printed digits `prefix` (doctest ELLIPSIS: "-0.89..."). */
function assertPrefix(v: number, prefix: number, decimals: number, msg: string) {
  const unit = 10 ** -decimals;
  const lo = Math.min(prefix, prefix + Math.sign(prefix || 1) * unit);
  const hi = Math.max(prefix, prefix + Math.sign(prefix || 1) * unit);
  assert(v >= lo - 1e-15 && v < hi, `${msg}: ${v} does not start with ${prefix}`);
}

/** The chained gradient ∂SDTW/∂x_m = Σ_n E(m, n) · 2 (x_m − y_n) for squared Euclidean cost. */
function gradWrtX(x: number[][], y: number[][], gamma: number): number[][] {
  const { grad } = softDtwValueAndGrad(squaredEuclideanCost(x, y), { gamma });
  return x.map((xm, m) =>
    xm.map((v, k) => y.reduce((s, yn, n) => s + grad[m][n] * 2 * (v - yn[k]), 0))
  );
}

Deno.test("published values from tslearn's soft_dtw / soft_dtw_alignment docstrings", () => {
  const sq = (a: number[], b: number[]) => squaredEuclideanCost(asSequence(a), asSequence(b));
  // soft_dtw([1, 2, 2, 3], [1., 2., 3., 4.], gamma=1.)  -> -0.89...
  assertPrefix(softDtw(sq([1, 2, 2, 3], [1, 2, 3, 4]), { gamma: 1 }), -0.89, 2, "sdtw γ=1");
  // soft_dtw([1, 2, 3, 3], [1., 2., 2.1, 3.2], gamma=0.01)  -> 0.089...
  // (exactly: DTW = 0.01 + 0.04 + 0.04 = 0.09 minus ~1e-37; the printed 0.0899... and our
  // 0.09 + 2e-16 differ only by float rounding of that sum, so allow 1e-12 above 0.09)
  const v001 = softDtw(sq([1, 2, 3, 3], [1, 2, 2.1, 3.2]), { gamma: 0.01 });
  assert(v001 >= 0.089 && v001 < 0.09 + 1e-12, `sdtw γ=0.01: ${v001}`);
  // cdist_soft_dtw(..., gamma=.01): [[-0.01098612, 1.], [1., 0.]]
  assertAlmostEquals(softDtw(sq([1, 2, 2, 3], [1, 2, 2, 3]), { gamma: 0.01 }), -0.01098612, 5e-9);
  assertAlmostEquals(softDtw(sq([1, 2, 2, 3], [1, 2, 3, 4]), { gamma: 0.01 }), 1, 5e-9);
  assertAlmostEquals(softDtw(sq([1, 2, 3, 4], [1, 2, 3, 4]), { gamma: 0.01 }), 0, 5e-9);
  // soft_dtw([[1], [2], [3]], [[3], [4], [-3]], gamma=1.0) -> 41.1876, d/d ts1 = (-4.0001,
  // -2.2852, 10.1643); the same in 2-D with both features equal -> 83.2951,
  // d/d ts1 = (-4.0000, -2.0261, 10.0206) per feature.
  assertAlmostEquals(softDtw(sq([1, 2, 3], [3, 4, -3]), { gamma: 1 }), 41.1876, 5e-5);
  const g1 = gradWrtX(asSequence([1, 2, 3]), asSequence([3, 4, -3]), 1);
  [-4.0001, -2.2852, 10.1643].forEach((v, m) => assertAlmostEquals(g1[m][0], v, 5e-5));
  const x2 = [[1, 1], [2, 2], [3, 3]], y2 = [[3, 3], [4, 4], [-3, -3]];
  assertAlmostEquals(softDtw(squaredEuclideanCost(x2, y2), { gamma: 1 }), 83.2951, 5e-5);
  const g2 = gradWrtX(x2, y2, 1);
  [-4.0, -2.0261, 10.0206].forEach((v, m) => {
    assertAlmostEquals(g2[m][0], v, 5e-5);
    assertAlmostEquals(g2[m][1], v, 5e-5);
  });
  // soft_dtw_alignment([1, 2, 2, 3], [1., 2., 3., 4.], gamma=1.): the soft alignment matrix,
  // printed as mantissa prefixes (1.88...e-01 etc.)
  const published: [number, number][][] = [
    [[1.0, 0], [1.88, -1], [2.83, -4], [4.19, -11]],
    [[3.4, -1], [8.17, -1], [8.87, -2], [3.94, -5]],
    [[5.05, -2], [7.09, -1], [5.3, -1], [6.98, -3]],
    [[1.37, -4], [1.31, -1], [7.3, -1], [1.0, 0]],
  ];
  const { grad } = softDtwValueAndGrad(sq([1, 2, 2, 3], [1, 2, 3, 4]), { gamma: 1 });
  published.forEach((row, m) =>
    row.forEach(([mant, exp], n) => {
      assertPrefix(grad[m][n] / 10 ** exp, mant, 2, `alignment[${m}][${n}]`);
    })
  );
});

Deno.test("soft-DTW is a lower bound of DTW within γ log(#alignments) and tends to DTW", () => {
  const rand = lcg(3);
  for (const [M, N] of [[5, 7], [12, 9], [30, 20]]) {
    const C = randomMatrix(M, N, rand);
    const d = dtw(C).value;
    const logCount = logDelannoy(M - 1, N - 1); // #alignments = 5.2e16 for 30 x 20
    for (const g of [10, 1, 0.1, 0.01, 0.001]) {
      const s = softDtw(C, { gamma: g });
      assertLessOrEqual(s, d + 1e-12, `SDTW <= DTW, γ=${g}`);
      assertGreaterOrEqual(s, d - g * logCount - 1e-12, `SDTW >= DTW - γ log count, γ=${g}`);
    }
    assertAlmostEquals(softDtw(C, { gamma: 1e-7 }), d, 1e-5);
  }
});

Deno.test("E^γ entries are probabilities; each row and column is visited; γ→0 gives the DTW path", () => {
  const rand = lcg(4);
  for (const [M, N] of [[6, 9], [15, 11], [25, 25]]) {
    const C = randomMatrix(M, N, rand);
    for (const g of [0.01, 1, 100]) {
      const { grad } = softDtwValueAndGrad(C, { gamma: g });
      assertAlmostEquals(grad[0][0], 1, 1e-12);
      assertAlmostEquals(grad[M - 1][N - 1], 1, 1e-12);
      for (let m = 0; m < M; m++) {
        for (let n = 0; n < N; n++) {
          assertGreaterOrEqual(grad[m][n], 0);
          assertLessOrEqual(grad[m][n], 1 + 1e-12);
        }
        assertGreaterOrEqual(grad[m].reduce((a, b) => a + b, 0), 1 - 1e-12, `row ${m}`);
      }
      for (let n = 0; n < N; n++) {
        let s = 0;
        for (let m = 0; m < M; m++) s += grad[m][n];
        assertGreaterOrEqual(s, 1 - 1e-12, `column ${n}`);
      }
    }
    const A = dtw(C).alignment;
    const { grad } = softDtwValueAndGrad(C, { gamma: 1e-6 });
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) assertAlmostEquals(grad[m][n], A[m][n], 1e-6);
    }
  }
});

Deno.test("accumulated cost D of soft-DTW: first row/column are cumulative sums, D(M,N) = value", () => {
  const C = [[1, 2, 3], [4, 5, 6]];
  const { D, value } = softDtwAccumulated(C, { gamma: 0.5 });
  assertEquals(D[0], [1, 3, 6]);
  assertEquals(D[1][0], 5);
  // D(1,1) by hand: 5 + softmin(1, 3, 5)
  const hand = 5 - 0.5 * Math.log(Math.exp(-1 / 0.5) + Math.exp(-3 / 0.5) + Math.exp(-5 / 0.5));
  assertAlmostEquals(D[1][1], hand, 1e-14);
  assertEquals(value, D[1][2]);
  assertEquals(softDtwForward64(toMatrix64(C), { gamma: 0.5 }).value, value);
});

Deno.test("batched soft-DTW over pairs of different lengths equals one-by-one", () => {
  const rand = lcg(5);
  const shapes: [number, number][] = [[3, 4], [7, 2], [1, 5], [6, 6]];
  const costs = shapes.map(([m, n]) => randomMatrix(m, n, rand, 2));
  const g = 0.3;
  const batched = softDtwBatch(costs, { gamma: g });
  costs.forEach((c, b) => {
    const one = softDtwValueAndGrad(c, { gamma: g });
    assertEquals(batched[b].value, one.value);
    assertEquals(batched[b].grad, one.grad);
  });
  // flat padded layout: padding is filled with garbage and must not matter
  const maxRows = 7, maxCols = 6;
  const flat = new Float64Array(shapes.length * maxRows * maxCols).map(() => 1e3 * rand());
  costs.forEach((c, b) => {
    c.forEach((row, m) => flat.set(row, (b * maxRows + m) * maxCols));
  });
  const r = softDtwBatch64({
    cost: flat,
    batch: shapes.length,
    maxRows,
    maxCols,
    rowLengths: shapes.map((s) => s[0]),
    colLengths: shapes.map((s) => s[1]),
    gamma: g,
  });
  costs.forEach((c, b) => {
    const one = softDtwValueAndGrad(c, { gamma: g });
    assertEquals(r.values[b], one.value);
    for (let m = 0; m < maxRows; m++) {
      for (let n = 0; n < maxCols; n++) {
        const v = r.grads![(b * maxRows + m) * maxCols + n];
        const inside = m < c.length && n < c[0].length;
        assertEquals(v, inside ? one.grad[m][n] : 0, `pair ${b} cell ${m},${n}`);
      }
    }
  });
});

Deno.test("stable for huge costs, tiny and huge γ: no NaN or Infinity", () => {
  const rand = lcg(6);
  const C = randomMatrix(8, 10, rand, 1e6);
  for (const g of [1e-300, 1e-3, 1, 1e3, 1e300]) {
    const { value, grad } = softDtwValueAndGrad(C, { gamma: g });
    assert(Number.isFinite(value), `value finite for γ=${g}`);
    for (const row of grad) {
      for (const v of row) assert(Number.isFinite(v) && v >= 0 && v <= 1 + 1e-12, `γ=${g}: ${v}`);
    }
  }
  // tiny γ equals DTW exactly in value
  assertAlmostEquals(softDtw(C, { gamma: 1e-300 }), dtw(C).value, 1e-6);
  // overflow of the accumulated cost is reported, not returned as Infinity
  assertThrows(
    () => softDtw([[1e308, 1e308], [1e308, 1e308]], { gamma: 1 }),
    RangeError,
    "overflow",
  );
});

Deno.test("1024 x 1024 works (no length cap) and agrees with the baseline", () => {
  const rand = lcg(7);
  const M = 1024, N = 1024;
  const data = new Float64Array(M * N).map(() => rand());
  const C = { data, rows: M, cols: N };
  const fast = softDtwValueAndGrad64(C, { gamma: 0.1 });
  const base = softDtwValueAndGradBaseline(C, { gamma: 0.1 });
  assertRelClose(fast.value, base.value, 1e-12, "value");
  let maxDiff = 0;
  for (let i = 0; i < data.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(fast.grad.data[i] - base.grad.data[i]));
  }
  assertLessOrEqual(maxDiff, 1e-9);
});

Deno.test("one γ check: every entry point reports a bad or tiny γ as a γ problem", () => {
  const C = [[0, 1], [1, 0]];
  const typed = toMatrix64(C);
  const ws = createWorkspace({ maxCells: 4, maxCols: 2 });
  const kernel = (gamma: number) =>
    softDtwKernel({
      cost: typed.data,
      costOffset: 0,
      costStride: 2,
      rows: 2,
      cols: 2,
      gamma,
      grad: new Float64Array(4),
      gradOffset: 0,
      gradStride: 2,
      workspace: ws,
    });
  const entries: [string, (gamma: number) => unknown][] = [
    ["softmin", (gamma) => softmin([1, 2], { gamma })],
    ["softDtw", (gamma) => softDtw(C, { gamma })],
    ["softDtw64", (gamma) => softDtw64(typed, { gamma })],
    ["softDtwAccumulated", (gamma) => softDtwAccumulated(C, { gamma })],
    ["softDtwForward64", (gamma) => softDtwForward64(typed, { gamma })],
    ["softDtwValueAndGrad", (gamma) => softDtwValueAndGrad(C, { gamma })],
    ["softDtwValueAndGrad64", (gamma) => softDtwValueAndGrad64(typed, { gamma })],
    ["softDtwValueAndGradBaseline", (gamma) => softDtwValueAndGradBaseline(typed, { gamma })],
    ["softDtwBatch", (gamma) => softDtwBatch([C], { gamma })],
    [
      "softDtwBatch64",
      (gamma) => softDtwBatch64({ cost: typed.data, batch: 1, maxRows: 2, maxCols: 2, gamma }),
    ],
    ["softDtwKernel (no other validation)", kernel],
    ["bruteForceSoftDtw", (gamma) => bruteForceSoftDtw(C, { gamma })],
  ];
  for (const [name, f] of entries) {
    for (const bad of [0, -1, NaN, Infinity, -Infinity]) {
      const e = assertThrows(() => f(bad), RangeError, "gamma must be a positive finite number");
      assert(!/too large/.test(e.message), `${name}: ${e.message}`);
    }
    // 1e-320 is subnormal: 1 / γ overflows, so the kernel would divide by 0 (it used to report
    // this as "cost values too large").
    assertThrows(() => f(1e-320), RangeError, "gamma is too small");
    // A tiny but valid γ works: the hard minimum (1 for softmin, the DTW value 0 otherwise).
    const ok = f(1e-300);
    if (typeof ok === "number") assertEquals(ok, name === "softmin" ? 1 : 0, name);
  }
  assertThrows(() => checkGamma(0, { name: "config.gamma" }), RangeError, "config.gamma must be");
});

Deno.test("bad input throws errors that name the problem", () => {
  assertThrows(() => softDtwValueAndGrad([], { gamma: 1 }), RangeError, "cost is empty");
  assertThrows(() => softDtwValueAndGrad([[]], { gamma: 1 }), RangeError, "length 0");
  assertThrows(() => softDtwValueAndGrad([[1, 2], [3]], { gamma: 1 }), TypeError, "ragged");
  assertThrows(
    () => softDtwValueAndGrad([[1, NaN]], { gamma: 1 }),
    RangeError,
    "cost[0][1] is NaN",
  );
  assertThrows(
    () => softDtwValueAndGrad([[Infinity]], { gamma: 1 }),
    RangeError,
    "cost[0][0] is Infinity",
  );
  assertThrows(() => softDtwValueAndGrad([[-Infinity]], { gamma: 1 }), RangeError, "-Infinity");
  assertThrows(() => softDtwValueAndGrad([[1]], { gamma: 0 }), RangeError, "gamma");
  assertThrows(() => softDtwValueAndGrad([[1]], { gamma: -0.5 }), RangeError, "got -0.5");
  assertThrows(() => softDtwValueAndGrad([[1]], { gamma: NaN }), RangeError, "got NaN");
  assertThrows(() => softDtwValueAndGrad([[1]], { gamma: Infinity }), RangeError, "gamma");
  assertThrows(
    () => squaredEuclideanCost([[1, 2]], [[1, 2, 3]]),
    TypeError,
    "feature sizes differ",
  );
  // deno-lint-ignore no-explicit-any
  assertThrows(() => softDtwValueAndGrad([[1]], 1 as any), TypeError, "write { gamma: 1 }");
  // deno-lint-ignore no-explicit-any
  assertThrows(() => softDtw([[1]], { gamma: "1" as any }), TypeError, "gamma must be a number");
  // deno-lint-ignore no-explicit-any
  assertThrows(() => softmin("ab" as any, { gamma: 1 }), TypeError, "array");
  // deno-lint-ignore no-explicit-any
  assertThrows(() => softDtwBatch({} as any, { gamma: 1 }), TypeError, "array");
  assertThrows(() => softDtwBatch([], { gamma: 1 }), RangeError, "non-empty");
  assertThrows(() => squaredEuclideanCost([], [[1]]), RangeError, "x is empty");
  const base = { cost: new Float64Array(4), batch: 1, maxRows: 2, maxCols: 2, gamma: 1 };
  assertThrows(
    () => softDtwBatch64({ ...base, rowLengths: [3] }),
    RangeError,
    "rowLengths[0] is 3",
  );
  assertThrows(() => softDtwBatch64({ ...base, colLengths: [1, 1] }), TypeError, "colLengths");
  assertThrows(() => softDtwBatch64({ ...base, batch: 2 }), TypeError, "cost has length 4");
  assertThrows(
    () => softDtwBatch64({ ...base, cost: new Float64Array([0, 0, NaN, 0]) }),
    RangeError,
    "pair 0 at [1][0] is NaN",
  );
  const small = createWorkspace({ maxCells: 4, maxCols: 2 });
  assertThrows(
    () =>
      softDtwKernel({
        cost: new Float64Array(9),
        costOffset: 0,
        costStride: 3,
        rows: 3,
        cols: 3,
        gamma: 1,
        grad: null,
        gradOffset: 0,
        gradStride: 3,
        workspace: small,
      }),
    RangeError,
    "workspace too small",
  );
});

Deno.test("number[][] forms equal the typed forms bit for bit (on the wasm kernel: one copy each way)", () => {
  assert(wasmAvailable(), "the WebAssembly kernel must be loaded in Deno");
  const rand = lcg(21);
  const sizes: [number, number][] = [
    [1, 1],
    [1, 37],
    [41, 1],
    [2, 3],
    [150, 16], // tall
    [16, 150], // wide
    [33, 33],
    [5, 120],
  ];
  const same = (a: number, b: number, where: string) =>
    assert(Object.is(a, b), `${where}: ${a} !== ${b}`);
  for (const [M, N] of sizes) {
    const rows = randomMatrix(M, N, rand, 3);
    const typed = toMatrix64(rows);
    // The default kernel (wasm here; TypeScript when soft_dtw_ts_kernel_test.ts reruns this
    // file) and the explicit "wasm" choice: the same bits in both forms.
    for (const kernel of [undefined, "wasm" as const]) {
      for (const gamma of [0.05, 1]) {
        const t = softDtwValueAndGrad64(typed, { gamma, kernel });
        const r = softDtwValueAndGrad(rows, { gamma, kernel });
        const at = `${M}x${N}, γ = ${gamma}, kernel ${kernel ?? "default"}`;
        same(r.value, t.value, `value ${at}`);
        assertEquals(r.grad.length, M);
        for (let m = 0; m < M; m++) {
          assertEquals(r.grad[m].length, N);
          for (let n = 0; n < N; n++) {
            same(r.grad[m][n], t.grad.data[m * N + n], `H[${m}][${n}] ${at}`);
          }
        }
        same(
          softDtw(rows, { gamma, kernel }),
          softDtw64(typed, { gamma, kernel }),
          `softDtw ${at}`,
        );
        // The TypeScript kernel agrees to rounding.
        const ts = softDtwValueAndGrad(rows, { gamma, kernel: "ts" });
        assertAlmostEquals(ts.value, t.value, 1e-12 * Math.max(1, Math.abs(t.value)));
      }
    }
  }
  // softDtwBatch (number[][][]) per pair, mixed sizes, equals the typed single-pair results.
  const costs = sizes.map(([M, N]) => randomMatrix(M, N, rand));
  const batch = softDtwBatch(costs, { gamma: 0.3 });
  costs.forEach((c, b) => {
    const t = softDtwValueAndGrad64(toMatrix64(c), { gamma: 0.3 });
    same(batch[b].value, t.value, `batch value ${b}`);
    batch[b].grad.forEach((row, m) =>
      row.forEach((v, n) => same(v, t.grad.data[m * c[0].length + n], `batch H ${b}`))
    );
  });
});

Deno.test("number[][] forms on the wasm kernel validate while copying (same errors as toMatrix64)", () => {
  const gamma = 1;
  for (const f of [softDtwValueAndGrad, softDtw]) {
    assertThrows(() => f([[0, 1], [1]], { gamma }), TypeError, "cost has ragged rows");
    assertThrows(() => f([[0, 1], [1, NaN]], { gamma }), RangeError, "cost[1][1] is NaN");
    assertThrows(
      () => f([[0, 1], [1, "2" as unknown as number]], { gamma }),
      TypeError,
      "cost[1][1] must be a number",
    );
    assertThrows(() => f([[0, Infinity]], { gamma }), RangeError, "cost[0][1] is Infinity");
    assertThrows(() => f([], { gamma }), RangeError, "cost is empty");
    assertThrows(() => f([[]], { gamma }), RangeError, "rows of length 0");
    assertThrows(() => f([[1e308, 1e308], [1e308, 1e308]], { gamma }), RangeError, "overflowed");
  }
  assertThrows(
    () => softDtwBatch([[[0]], [[1, 2], [3]]], { gamma }),
    TypeError,
    "costs[1] has ragged rows",
  );
  // A failed copy leaves nothing behind: the next call is exact.
  const ok = softDtwValueAndGrad([[0, 1], [1, 0]], { gamma });
  assertAlmostEquals(ok.value, -Math.log(1 + 2 / Math.E), 1e-15);
});
