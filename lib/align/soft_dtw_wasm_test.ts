import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { asSequence, fromMatrix64, squaredEuclideanCost } from "./cost.ts";
import { bruteForceSoftDtw, logDelannoy } from "./brute_force.ts";
import { dtw } from "./dtw.ts";
import { softDtwValueAndGrad } from "./soft_dtw.ts";
import { createWorkspace, softDtwKernel, type SoftDtwKernelArgs } from "./_soft_dtw_kernel.ts";
import { softDtwBatch64 } from "./soft_dtw_batch.ts";
import type { SoftDtwBatchArgs, SoftDtwBatchResult } from "./soft_dtw_batch.ts";
import {
  lastForwardDomain,
  setDefaultSoftDtwKernel,
  setWasmMemoryLimit,
  useWasmKernel,
  wasmAvailable,
  wasmFits,
  wasmMath,
  wasmWeightedSoftDtwKernel,
} from "./_soft_dtw_wasm.ts";
import { weightedSoftDtw64 } from "./weighted.ts";
import { bruteForceWeightedSoftDtw } from "./weighted_brute_force.ts";

/** The soft-DTW kernel forced onto WebAssembly (an error if it cannot run). */
const softDtwKernelWasm = (args: SoftDtwKernelArgs) => softDtwKernel({ ...args, kernel: "wasm" });
/** The TypeScript kernel. */
const softDtwKernelTs = (args: SoftDtwKernelArgs) => softDtwKernel({ ...args, kernel: "ts" });
const softDtwBatch64Wasm = (args: SoftDtwBatchArgs): SoftDtwBatchResult =>
  softDtwBatch64({ ...args, kernel: "wasm" });
const softDtwBatch64Ts = (args: SoftDtwBatchArgs): SoftDtwBatchResult =>
  softDtwBatch64({ ...args, kernel: "ts" });
import { assertRelClose, lcg, randomMatrix } from "./test_helpers_test.ts";

/** Value and gradient (rows of numbers) through the wasm kernel, with strided blocks. */
function wasmValueAndGrad(C: number[][], gamma: number): { value: number; grad: number[][] } {
  const M = C.length, N = C[0].length;
  // the block sits inside a larger array with padding, to exercise offsets and strides
  const cs = N + 3, gs = N + 2;
  const cost = new Float64Array(5 + M * cs).fill(NaN);
  C.forEach((row, m) => cost.set(row, 5 + m * cs));
  const g = new Float64Array(7 + M * gs).fill(-1);
  const value = softDtwKernelWasm({
    cost,
    costOffset: 5,
    costStride: cs,
    rows: M,
    cols: N,
    gamma,
    grad: g,
    gradOffset: 7,
    gradStride: gs,
    workspace: createWorkspace({ maxCells: M * N, maxCols: N }),
  });
  const grad = C.map((_, m) => Array.from(g.subarray(7 + m * gs, 7 + m * gs + N)));
  return { value, grad };
}

const wasmValue = (C: number[][], gamma: number) => wasmValueAndGrad(C, gamma).value;

Deno.test("the wasm kernel loads in Deno", () => {
  assert(wasmAvailable(), "WebAssembly SIMD kernel not available");
});

Deno.test("wasm exp and log are within 2 ulp of Math.exp and Math.log", () => {
  const rand = lcg(11);
  const ulps = (a: number, b: number) => {
    const v = new DataView(new ArrayBuffer(16));
    v.setFloat64(0, a);
    v.setFloat64(8, b);
    return Math.abs(Number(v.getBigInt64(0) - v.getBigInt64(8)));
  };
  const n = 20000;
  const xe = new Float64Array(n).map((_, i) => i % 2 ? -745 * rand() : -2 * rand());
  const xl = new Float64Array(n).map((_, i) => i % 2 ? 1 + 2 * rand() : 1 + 1e-3 * rand());
  const ye = wasmMath("exp", xe)!, yl = wasmMath("log", xl)!;
  let me = 0, ml = 0;
  for (let i = 0; i < n; i++) {
    me = Math.max(me, ulps(ye[i], Math.exp(xe[i])));
    ml = Math.max(ml, ulps(yl[i], Math.log(xl[i])));
  }
  assert(me <= 2, `exp: ${me} ulp`);
  assert(ml <= 2, `log: ${ml} ulp`);
  // exact points and limits
  assertEquals(Array.from(wasmMath("exp", new Float64Array([0, -Infinity, -1e300]))!), [1, 0, 0]);
  assertEquals(wasmMath("log", new Float64Array([1]))![0], 0);
  // subnormal results are rounded, not flushed
  const sub = wasmMath("exp", new Float64Array([-740, -745]))!;
  assert(ulps(sub[0], Math.exp(-740)) <= 2 && sub[1] === Math.exp(-745), `${sub}`);
});

const SIZES: [number, number][] = [[1, 1], [1, 4], [4, 1], [3, 3], [4, 5], [5, 3], [2, 9], [9, 2]];
const GAMMAS = [0.001, 0.01, 0.1, 1, 10, 100, 1000];

Deno.test("wasm: value and gradient equal brute force over all alignments", () => {
  const rand = lcg(1);
  for (const [M, N] of SIZES) {
    const C = randomMatrix(M, N, rand, 3);
    for (const g of GAMMAS) {
      const bf = bruteForceSoftDtw(C, { gamma: g });
      const fast = wasmValueAndGrad(C, g);
      assertRelClose(fast.value, bf.value, 1e-9, `value ${M}x${N} γ=${g}`);
      for (let m = 0; m < M; m++) {
        for (let n = 0; n < N; n++) {
          const e = bf.expectedAlignment[m][n];
          assertRelClose(fast.grad[m][n], e, 1e-9, `E[${m}][${n}] ${M}x${N} γ=${g}`);
        }
      }
    }
  }
});

Deno.test("wasm: gradient equals central finite differences of the value", () => {
  const rand = lcg(2);
  for (const [M, N, g] of [[4, 6, 1], [7, 5, 0.3], [3, 8, 10], [13, 11, 0.5]] as const) {
    const C = randomMatrix(M, N, rand, 2);
    const { grad } = wasmValueAndGrad(C, g);
    const h = 1e-5;
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        const plus = C.map((r) => [...r]), minus = C.map((r) => [...r]);
        plus[m][n] += h;
        minus[m][n] -= h;
        const fd = (wasmValue(plus, g) - wasmValue(minus, g)) / (2 * h);
        assertAlmostEquals(grad[m][n], fd, 1e-7, `cell ${m},${n} of ${M}x${N}, γ=${g}`);
      }
    }
  }
});

Deno.test("wasm: published values of tslearn's soft_dtw and soft_dtw_alignment", () => {
  const sq = (a: number[], b: number[]) => squaredEuclideanCost(asSequence(a), asSequence(b));
  assertAlmostEquals(wasmValue(sq([1, 2, 2, 3], [1, 2, 2, 3]), 0.01), -0.01098612, 5e-9);
  assertAlmostEquals(wasmValue(sq([1, 2, 2, 3], [1, 2, 3, 4]), 0.01), 1, 5e-9);
  assertAlmostEquals(wasmValue(sq([1, 2, 3, 4], [1, 2, 3, 4]), 0.01), 0, 5e-9);
  assertAlmostEquals(wasmValue(sq([1, 2, 3], [3, 4, -3]), 1), 41.1876, 5e-5);
  const v = wasmValue(sq([1, 2, 2, 3], [1, 2, 3, 4]), 1);
  assert(v <= -0.89 && v > -0.9, `${v}`);
  const published = [
    [1.0, 1.88e-1, 2.83e-4, 4.19e-11],
    [3.4e-1, 8.17e-1, 8.87e-2, 3.94e-5],
    [5.05e-2, 7.09e-1, 5.3e-1, 6.98e-3],
    [1.37e-4, 1.31e-1, 7.3e-1, 1.0],
  ];
  const { grad } = wasmValueAndGrad(sq([1, 2, 2, 3], [1, 2, 3, 4]), 1);
  published.forEach((row, m) =>
    row.forEach((p, n) => assertRelClose(grad[m][n], p, 1e-2, `alignment[${m}][${n}]`))
  );
});

Deno.test("wasm: SDTW is a lower bound of DTW within γ log(#alignments); E is a probability", () => {
  const rand = lcg(3);
  for (const [M, N] of [[5, 7], [12, 9], [30, 20], [25, 25]]) {
    const C = randomMatrix(M, N, rand);
    const d = dtw(C).value;
    const logCount = logDelannoy(M - 1, N - 1);
    for (const g of [10, 1, 0.1, 0.01, 0.001]) {
      const { value, grad } = wasmValueAndGrad(C, g);
      assert(value <= d + 1e-12 && value >= d - g * logCount - 1e-12, `γ=${g}: ${value}, ${d}`);
      assertAlmostEquals(grad[0][0], 1, 1e-12);
      assertAlmostEquals(grad[M - 1][N - 1], 1, 1e-12);
      for (let m = 0; m < M; m++) {
        let s = 0;
        for (let n = 0; n < N; n++) {
          assert(grad[m][n] >= 0 && grad[m][n] <= 1 + 1e-12, `${grad[m][n]}`);
          s += grad[m][n];
        }
        assert(s >= 1 - 1e-12, `row ${m} sums to ${s}`);
      }
    }
    const A = dtw(C).alignment;
    const { grad } = wasmValueAndGrad(C, 1e-6);
    A.forEach((row, m) => row.forEach((a, n) => assertAlmostEquals(grad[m][n], a, 1e-6)));
  }
});

Deno.test("wasm agrees with the TypeScript kernel on strip edges and long problems", () => {
  const rand = lcg(4);
  // sizes around the strip height 8, tall and wide (tall blocks run transposed)
  const sizes = [[7, 7], [8, 8], [9, 8], [8, 9], [16, 17], [17, 16], [1, 40], [40, 1], [150, 16]];
  for (const [M, N] of [...sizes, [150, 75], [300, 301], [1024, 1000]]) {
    const cost = new Float64Array(M * N).map(() => 2 * rand());
    for (const g of [0.01, 0.3, 5]) {
      const args = {
        cost,
        costOffset: 0,
        costStride: N,
        rows: M,
        cols: N,
        gamma: g,
        gradOffset: 0,
        gradStride: N,
        workspace: createWorkspace({ maxCells: M * N, maxCols: N }),
      };
      const gt = new Float64Array(M * N), gw = new Float64Array(M * N);
      const vt = softDtwKernelTs({ ...args, grad: gt });
      const vw = softDtwKernelWasm({ ...args, grad: gw });
      assertRelClose(vw, vt, 1e-12, `value ${M}x${N} γ=${g}`);
      let maxDiff = 0;
      for (let i = 0; i < gt.length; i++) maxDiff = Math.max(maxDiff, Math.abs(gt[i] - gw[i]));
      assert(maxDiff <= 1e-10, `${M}x${N} γ=${g}: max |ΔE| = ${maxDiff}`);
      assertEquals(softDtwKernelWasm({ ...args, grad: null }), vw);
    }
  }
});

Deno.test("wasm: batched soft-DTW over pairs of different lengths equals the TypeScript batch", () => {
  const rand = lcg(5);
  const shapes: [number, number][] = [[3, 4], [7, 2], [1, 5], [6, 6], [7, 6], [2, 1]];
  const maxRows = 7, maxCols = 6;
  const cost = new Float64Array(shapes.length * maxRows * maxCols).map(() => 1e3 * rand());
  shapes.forEach(([M, N], b) => {
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) cost[(b * maxRows + m) * maxCols + n] = 2 * rand();
    }
  });
  const args = {
    cost,
    batch: shapes.length,
    maxRows,
    maxCols,
    rowLengths: shapes.map((s) => s[0]),
    colLengths: shapes.map((s) => s[1]),
    gamma: 0.3,
  };
  const t = softDtwBatch64Ts(args), w = softDtwBatch64Wasm(args);
  t.values.forEach((v, b) => assertRelClose(w.values[b], v, 1e-12, `value of pair ${b}`));
  t.grads!.forEach((v, i) => {
    assert(Math.abs(w.grads![i] - v) <= 1e-12, `grad ${i}: ${w.grads![i]} vs ${v}`);
    if (v === 0) assertEquals(w.grads![i], 0); // padding stays exactly zero
  });
  const noGrad = softDtwBatch64Wasm({ ...args, withGrad: false });
  assertEquals(noGrad.grads, null);
  assertEquals(Array.from(noGrad.values), Array.from(w.values));
  // the dChord shapes
  const big = new Float64Array(43 * 150 * 75).map(() => 2 * rand());
  const a2 = { cost: big, batch: 43, maxRows: 150, maxCols: 75, gamma: 0.5 };
  const t2 = softDtwBatch64Ts(a2), w2 = softDtwBatch64Wasm(a2);
  t2.values.forEach((v, b) => assertRelClose(w2.values[b], v, 1e-12, `dChord pair ${b}`));
  let maxDiff = 0;
  t2.grads!.forEach((v, i) => maxDiff = Math.max(maxDiff, Math.abs(w2.grads![i] - v)));
  assert(maxDiff <= 1e-10, `dChord batch: max |ΔE| = ${maxDiff}`);
});

Deno.test("wasm: stable for huge costs, tiny and huge γ; overflow is reported", () => {
  const rand = lcg(6);
  const C = randomMatrix(8, 10, rand, 1e6);
  for (const g of [1e-300, 1e-3, 1, 1e3, 1e300]) {
    const { value, grad } = wasmValueAndGrad(C, g);
    assert(Number.isFinite(value), `value finite for γ=${g}`);
    for (const row of grad) {
      for (const v of row) assert(Number.isFinite(v) && v >= 0 && v <= 1 + 1e-12, `γ=${g}: ${v}`);
    }
  }
  assertAlmostEquals(wasmValue(C, 1e-300), dtw(C).value, 1e-6);
  // |D| / γ beyond the float range: the Z-domain pass hands over to the log-domain pass
  const long = randomMatrix(40, 30, rand, 1e8);
  assertEquals(lastForwardDomain(), "z");
  const { value: vl, grad: gl } = wasmValueAndGrad(long, 1e-300);
  assertEquals(lastForwardDomain(), "log");
  assertAlmostEquals(vl, dtw(long).value, 1e-6 * vl);
  const A = dtw(long).alignment;
  A.forEach((row, m) => row.forEach((a, n) => assertAlmostEquals(gl[m][n], a, 1e-12)));
  assertThrows(() => wasmValue([[1e308, 1e308], [1e308, 1e308]], 1), RangeError, "overflow");
  assertThrows(
    () =>
      softDtwBatch64Wasm({
        cost: new Float64Array(4).fill(1e308),
        batch: 1,
        maxRows: 2,
        maxCols: 2,
        gamma: 1,
      }),
    RangeError,
    "overflow",
  );
});

Deno.test("wasm batch rejects bad input with the TypeScript batch's errors", () => {
  const base = { cost: new Float64Array(4), batch: 1, maxRows: 2, maxCols: 2, gamma: 1 };
  for (
    const [bad, msg] of [
      [{ rowLengths: [3] }, "rowLengths[0] is 3"],
      [{ colLengths: [1, 1] }, "colLengths"],
      [{ batch: 2 }, "cost has length 4"],
      [{ cost: new Float64Array([0, 0, NaN, 0]) }, "pair 0 at [1][0] is NaN"],
      [{ gamma: 0 }, "gamma"],
      [{ maxRows: 1.5 }, "maxRows"],
    ] as const
  ) {
    let tsError: unknown = null;
    try {
      softDtwBatch64Ts({ ...base, ...bad });
    } catch (e) {
      tsError = e;
    }
    assert(tsError instanceof Error && tsError.message.includes(msg), `${msg}: ${tsError}`);
    const cls = (tsError as Error).constructor as new (...args: unknown[]) => Error;
    assertThrows(() => softDtwBatch64Wasm({ ...base, ...bad }), cls, msg);
  }
});

Deno.test("problems over the wasm memory limit fall back to the TypeScript kernel", () => {
  const rand = lcg(8);
  const M = 40, N = 50;
  const cost = new Float64Array(M * N).map(() => rand());
  const args = {
    cost,
    costOffset: 0,
    costStride: N,
    rows: M,
    cols: N,
    gamma: 0.5,
    grad: new Float64Array(M * N),
    gradOffset: 0,
    gradStride: N,
    workspace: createWorkspace({ maxCells: M * N, maxCols: N }),
  };
  const ts = softDtwKernelTs(args), wasm = softDtwKernelWasm(args);
  assert(ts !== wasm, "the two kernels round differently, so the test can tell them apart");
  assertEquals(softDtwKernel(args), wasm); // "auto" runs wasm
  assert(wasmFits(M, N) && wasmFits(8192, 8192) && !wasmFits(16384, 16384));
  const old = setWasmMemoryLimit(0);
  try {
    assert(!wasmFits(M, N) && !useWasmKernel(undefined, M * N, N));
    assertEquals(softDtwKernel(args), ts); // bit for bit: the TypeScript kernel ran
    assertThrows(() => softDtwKernelWasm(args), Error, "wasm memory limit");
    assertEquals(wasmWeightedSoftDtwKernel({ ...args, stepWeights: [1, 1, 2] }), null);
  } finally {
    setWasmMemoryLimit(old);
  }
  // the default can be switched to the TypeScript kernel
  const before = setDefaultSoftDtwKernel("ts");
  try {
    assertEquals(softDtwKernel(args), ts);
    assertEquals(softDtwKernel({ ...args, kernel: "wasm" }), wasm);
  } finally {
    setDefaultSoftDtwKernel(before);
  }
  assertThrows(
    () => softDtwKernel({ ...args, kernel: "gpu" as "ts" }),
    RangeError,
    'kernel must be "auto", "wasm" or "ts"',
  );
});

Deno.test("wasm step-weighted soft-DTW equals brute force over all weighted paths", () => {
  const rand = lcg(8);
  const weights: [number, number, number][] = [[1, 1, 1], [1, 1, 2], [2, 1, 1], [1, 3, 0.5], [
    0,
    1,
    1,
  ]];
  for (const [M, N] of [[1, 1], [1, 4], [4, 1], [3, 3], [4, 5], [5, 3], [9, 2]]) {
    const C = randomMatrix(M, N, rand, 3);
    for (const w of weights) {
      for (const g of [0.01, 1, 100]) {
        const bf = bruteForceWeightedSoftDtw(C, { gamma: g, stepWeights: w });
        const cost = new Float64Array(C.flat());
        const grad = new Float64Array(M * N), occupancy = new Float64Array(M * N);
        const value = wasmWeightedSoftDtwKernel({
          cost,
          costOffset: 0,
          costStride: N,
          rows: M,
          cols: N,
          gamma: g,
          stepWeights: w,
          grad,
          gradOffset: 0,
          gradStride: N,
          occupancy,
        })!;
        const tag = `${M}x${N} w=${w} γ=${g}`;
        assertRelClose(value, bf.value, 1e-9, `value ${tag}`);
        for (let m = 0; m < M; m++) {
          for (let n = 0; n < N; n++) {
            assertRelClose(grad[m * N + n], bf.grad[m][n], 1e-9, `grad[${m}][${n}] ${tag}`);
            assertRelClose(
              occupancy[m * N + n],
              bf.occupancy[m][n],
              1e-9,
              `occ[${m}][${n}] ${tag}`,
            );
          }
        }
      }
    }
  }
});

Deno.test("step weights on wasm: [1, 1, 1] is plain soft-DTW bit for bit, others match TypeScript", () => {
  const rand = lcg(9);
  for (const [M, N] of [[20, 13], [13, 20], [64, 64]]) {
    const data = new Float64Array(M * N).map(() => 2 * rand());
    const C = { data, rows: M, cols: N };
    const plain = softDtwValueAndGrad(fromMatrix64(C), { gamma: 0.4, kernel: "wasm" });
    const one = weightedSoftDtw64(C, { gamma: 0.4, stepWeights: [1, 1, 1], kernel: "wasm" });
    assertEquals(one.value, plain.value);
    assertEquals(fromMatrix64(one.grad), plain.grad);
    for (const w of [[2, 2, 2], [1, 1, 2], [2, 1, 0.5]] as const) {
      const a = weightedSoftDtw64(C, { gamma: 0.4, stepWeights: w, kernel: "wasm" });
      const b = weightedSoftDtw64(C, { gamma: 0.4, stepWeights: w, kernel: "ts" });
      assertRelClose(a.value, b.value, 1e-13, `value w=${w}`);
      a.grad.data.forEach((v, i) => assert(Math.abs(v - b.grad.data[i]) <= 1e-12, `grad w=${w}`));
      a.occupancy.data.forEach((v, i) =>
        assert(Math.abs(v - b.occupancy.data[i]) <= 1e-12, `occupancy w=${w}`)
      );
    }
  }
});

Deno.test("wasm step weights: Z domain, and the log-domain handover at γ = 1e-300", () => {
  const rand = lcg(10);
  for (const [scale, gamma, domain] of [[2, 0.3, "z"], [1e8, 1e-300, "log"]] as const) {
    const data = new Float64Array(40 * 30).map(() => scale * rand());
    const C = { data, rows: 40, cols: 30 };
    const a = weightedSoftDtw64(C, { gamma, stepWeights: [1, 0.5, 2], kernel: "wasm" });
    assertEquals(lastForwardDomain(), domain);
    const b = weightedSoftDtw64(C, { gamma, stepWeights: [1, 0.5, 2], kernel: "ts" });
    assertRelClose(a.value, b.value, 1e-13, `value, ${domain} domain`);
    a.grad.data.forEach((v, i) => assert(Math.abs(v - b.grad.data[i]) <= 1e-11, `grad ${i}`));
  }
});
