import { assert, assertEquals, assertThrows } from "@std/assert";
import { type CnnArchitecture, cnnInputs, cnnModel } from "./cnn.ts";
import {
  cnnKernelWorkDoubles,
  cnnWasmAvailable,
  cnnWasmFits,
  cnnWasmForward,
  cnnWasmMath,
  cnnWorkDoubles,
  setCnnWasmMemoryLimit,
} from "./_cnn_wasm.ts";
import type { SongFeatures } from "../training/song_model.ts";
import { mulberry32 } from "../random.ts";

/**
 * Random chroma with some zeros, a silent first frame (both parts) and, from frame 3 on, every
 * fifth frame silent in the bass.
 */
function randomSong(frames: number, seed: number): Required<SongFeatures> {
  const r = mulberry32(seed);
  const part = () =>
    Float64Array.from({ length: frames * 12 }, () => (r() < 0.2 ? 0 : 3 * r() ** 2));
  const bass = part(), treble = part();
  bass.fill(0, 0, 12);
  treble.fill(0, 0, 12);
  for (let f = 3; f < frames; f += 5) bass.fill(0, f * 12, f * 12 + 12);
  return { bass, treble };
}

/** Random parameters in [-scale/2, scale/2), biases included (init leaves them 0). */
function randomParams(size: number, seed: number, scale = 1): Float64Array {
  const r = mulberry32(seed);
  return Float64Array.from({ length: size }, () => scale * (r() - 0.5));
}

/** max |a − b| / max |b|: the accuracy measure of the kernel (0 when both are 0). */
function relDiff(a: Float64Array, b: Float64Array): number {
  assertEquals(a.length, b.length);
  let d = 0, m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return m === 0 ? d : d / m;
}

const SHAPES: [string, Partial<CnnArchitecture>][] = [
  ["default", {}],
  ["hidden 5, radius 0", { hidden: 5, radius: 0 }],
  ["radius 3, dilation 3", { radius: 3, dilation: 3 }],
  ["hidden 1", { hidden: 1 }],
];

const TOLERANCE = 1e-12;
const CNN_SHAPE = { hidden: 16, radius: 5, dilation: 2 };

/** Runs both kernels on one song; returns the relative differences. */
function compare(
  shape: Partial<CnnArchitecture>,
  song: SongFeatures,
  seed: number,
  scale = 1,
): { logProbabilities: number; probabilities: number; grad: number } {
  const wasm = cnnModel(shape, { kernel: "wasm" }), ts = cnnModel(shape, { kernel: "ts" });
  const params = randomParams(wasm.size, seed, scale);
  const F = song.treble.length / 12;
  const r = mulberry32(seed + 1);
  const G = Float64Array.from({ length: F * 25 }, () => r() - 0.5);
  const a = wasm.forward(params, song), b = ts.forward(params, song);
  return {
    logProbabilities: relDiff(a.logProbabilities, b.logProbabilities),
    probabilities: relDiff(a.probabilities!, b.probabilities!),
    grad: relDiff(a.backward(G), b.backward(G)),
  };
}

Deno.test("cnn wasm: the kernel is available here (Deno has WebAssembly SIMD)", () => {
  assert(cnnWasmAvailable());
  assertEquals(cnnModel().kernel, "auto");
  assertEquals(cnnModel({}, { kernel: "ts" }).kernel, "ts");
});

Deno.test("cnn wasm: equals the TypeScript reference within 1e-12 on every shape and length", () => {
  const worst = { logProbabilities: 0, probabilities: 0, grad: 0 };
  for (const [name, shape] of SHAPES) {
    for (const frames of [1, 2, 7, 40, 5000]) {
      const d = compare(shape, randomSong(frames, frames), 100 + frames);
      for (const [key, v] of Object.entries(d) as [keyof typeof d, number][]) {
        assert(v <= TOLERANCE, `${name}, ${frames} frames: ${key} differs by ${v}`);
        worst[key] = Math.max(worst[key], v);
      }
    }
  }
  console.log(
    `largest relative differences: log-probabilities ${
      worst.logProbabilities.toExponential(1)
    }, probabilities ${worst.probabilities.toExponential(1)}, gradient ${
      worst.grad.toExponential(1)
    }`,
  );
});

Deno.test("cnn wasm: the pre-activations are the TypeScript sums bit for bit", () => {
  // each lane adds the bias, then the taps' products in the order of cnn.ts (no fused
  // multiply-add in either), so Z (and likewise the scores) are the same doubles
  for (const shape of [{}, { hidden: 5, radius: 0 }, { hidden: 7, radius: 3, dilation: 3 }]) {
    const model = cnnModel(shape);
    const { hidden: H, radius: R, dilation: d } = model.architecture;
    const T = 2 * R + 1, WL = 24 * T, F = 61;
    const params = randomParams(model.size, 12);
    const X = cnnInputs(randomSong(F, 13));
    const Z = cnnWasmForward(model.architecture, params, X)!.Z;
    const Fp = Math.ceil(F / 4) * 4;
    let differ = 0;
    for (let f = 0; f < F; f++) {
      for (let h = 0; h < H; h++) {
        let a = params[H * WL + h];
        for (let t = 0; t < T; t++) {
          const g = f + (t - R) * d;
          for (let c = 0; c < 24; c++) {
            a += params[h * WL + t * 24 + c] * (g < 0 || g >= F ? 0 : X[g * 24 + c]);
          }
        }
        if (!Object.is(a, Z[h * Fp + f])) differ++;
      }
    }
    assertEquals(differ, 0, `${JSON.stringify(shape)}: ${differ} pre-activations differ`);
  }
});

Deno.test("cnn wasm: silent songs, saturated outputs and the shapes' edges agree too", () => {
  const silence = { bass: new Float64Array(12 * 9), treble: new Float64Array(12 * 9) };
  for (const [name, shape] of SHAPES) {
    const d = compare(shape, silence, 7);
    assert(Math.max(d.logProbabilities, d.probabilities, d.grad) <= TOLERANCE, `${name}: silence`);
  }
  // large weights: scores hundreds apart, probabilities down to subnormal numbers and 0
  const d = compare({}, randomSong(300, 8), 9, 60);
  assert(Math.max(d.logProbabilities, d.probabilities, d.grad) <= TOLERANCE, JSON.stringify(d));
  // channels not a multiple of 4, a receptive field wider than the song, no dilation
  for (
    const shape of [{ hidden: 7, radius: 6, dilation: 1 }, { hidden: 2, radius: 9, dilation: 4 }]
  ) {
    for (const frames of [3, 33]) {
      const d = compare(shape, randomSong(frames, 10 + frames), 11);
      assert(
        Math.max(d.logProbabilities, d.probabilities, d.grad) <= TOLERANCE,
        `${JSON.stringify(shape)}, ${frames} frames: ${JSON.stringify(d)}`,
      );
    }
  }
  // an empty song: no frames, a zero gradient
  const empty = cnnModel({}, { kernel: "wasm" }).forward(randomParams(4665, 1), {
    bass: new Float64Array(0),
    treble: new Float64Array(0),
  });
  assertEquals(empty.logProbabilities.length, 0);
  assertEquals(empty.backward(new Float64Array(0)), new Float64Array(4665));
});

Deno.test("cnn wasm: deterministic, and a backward pass survives later forward passes", () => {
  const model = cnnModel({}, { kernel: "wasm" });
  const params = randomParams(model.size, 3);
  const songs = [randomSong(700, 1), randomSong(40, 2), randomSong(1500, 3), randomSong(9, 4)];
  const Gs = songs.map((s, i) => {
    const r = mulberry32(50 + i);
    return Float64Array.from({ length: (s.treble.length / 12) * 25 }, () => r() - 0.5);
  });
  // one song at a time, twice: bit-identical
  const alone = songs.map((s, i) => {
    const f = model.forward(params, s);
    return { lq: f.logProbabilities, q: f.probabilities!, grad: f.backward(Gs[i]) };
  });
  songs.forEach((s, i) => {
    const f = model.forward(params, s);
    assertEquals(f.logProbabilities, alone[i].lq);
    assertEquals(f.probabilities, alone[i].q);
    assertEquals(f.backward(Gs[i]), alone[i].grad);
  });
  // as the trainer runs a minibatch: every forward pass first, then the backward passes (in
  // another order, one twice): the same bits
  const batch = songs.map((s) => model.forward(params, s));
  for (const i of [2, 0, 3, 1, 2]) assertEquals(batch[i].backward(Gs[i]), alone[i].grad);
  // the backward pass reads params when it runs, as the TypeScript code does
  const ts = cnnModel({}, { kernel: "ts" });
  const p = params.slice(), q = params.slice();
  const fw = model.forward(p, songs[1]), ft = ts.forward(q, songs[1]);
  for (let i = 0; i < p.length; i++) p[i] = q[i] = p[i] * 1.5;
  assert(relDiff(fw.backward(Gs[1]), ft.backward(Gs[1])) <= TOLERANCE);
});

Deno.test("cnn wasm: a 20 000-frame song (the wasm memory grows) equals the reference", () => {
  const d = compare({}, randomSong(20000, 5), 6);
  assert(Math.max(d.logProbabilities, d.probabilities, d.grad) <= TOLERANCE, JSON.stringify(d));
  // and a short song after it (the memory is reused)
  const e = compare({}, randomSong(30, 6), 7);
  assert(Math.max(e.logProbabilities, e.probabilities, e.grad) <= TOLERANCE, JSON.stringify(e));
});

Deno.test("cnn wasm: the kernel's exp and log are within 2 ulp of Math.exp and Math.log", () => {
  const ulp = (x: number) => {
    const a = Math.abs(x);
    if (a < 2.2250738585072014e-308) return 5e-324;
    return 2 ** (Math.floor(Math.log2(a)) - 52);
  };
  const r = mulberry32(4);
  const xs = Float64Array.from({ length: 20001 }, (_, i) => i < 20000 ? -745 * r() ** 3 : -0);
  const e = cnnWasmMath("exp", xs)!;
  xs.forEach((x, i) => {
    const want = Math.exp(x);
    assert(Math.abs(e[i] - want) <= 2 * ulp(want), `exp(${x}) = ${e[i]}, Math.exp ${want}`);
  });
  const ys = Float64Array.from({ length: 20000 }, () => 1 + 24 * r() ** 2);
  ys[0] = 1;
  ys[1] = 25;
  ys[2] = Math.SQRT2;
  const l = cnnWasmMath("log", ys)!;
  ys.forEach((y, i) => {
    const want = Math.log(y);
    assert(Math.abs(l[i] - want) <= 2 * ulp(want), `log(${y}) = ${l[i]}, Math.log ${want}`);
  });
  assertEquals(l[0], 0);
});

Deno.test("cnn wasm: the loader's memory layout mirrors the kernel's; too long is no fit", () => {
  for (const [, shape] of SHAPES) {
    const a = { ...cnnModel(shape).architecture };
    for (const F of [0, 1, 2, 3, 4, 5, 2000, 20001]) {
      assertEquals(cnnWorkDoubles(a, F), cnnKernelWorkDoubles(a, F), `${JSON.stringify(a)}, ${F}`);
    }
  }
  const big = { hidden: 1024, radius: 256, dilation: 256 };
  assertEquals(cnnWorkDoubles(big, 7), cnnKernelWorkDoubles(big, 7));
  assert(cnnWasmFits(CNN_SHAPE, 20000));
  // 3 million frames need about 4.7 GB: "auto" runs such a song in TypeScript
  assert(!cnnWasmFits(CNN_SHAPE, 3_000_000));
  assert(!cnnWasmFits({ hidden: 1024, radius: 5, dilation: 2 }, 400_000));
});

Deno.test("cnn wasm: a song over the memory limit runs in TypeScript (auto) or throws (wasm)", () => {
  const auto = cnnModel(),
    ts = cnnModel({}, { kernel: "ts" }),
    wasm = cnnModel({}, {
      kernel: "wasm",
    });
  const params = randomParams(auto.size, 2), song = randomSong(2000, 3);
  const G = Float64Array.from({ length: 2000 * 25 }, (_, i) => ((i * 7) % 11) / 11 - 0.5);
  const old = setCnnWasmMemoryLimit(1 << 20);
  try {
    const a = auto.forward(params, song), b = ts.forward(params, song);
    assertEquals(a.logProbabilities, b.logProbabilities); // the same code: the same bits
    assertEquals(a.backward(G), b.backward(G));
    assertThrows(() => wasm.forward(params, song), Error, "2000 frames does not fit");
    // a short song still runs on the kernel
    const short = randomSong(20, 4);
    const c = wasm.forward(params, short).logProbabilities;
    assert(relDiff(c, ts.forward(params, short).logProbabilities) <= TOLERANCE);
  } finally {
    setCnnWasmMemoryLimit(old);
  }
});

Deno.test("cnn wasm: the run options are checked strictly", () => {
  assertThrows(() => cnnModel({}, { kernel: "gpu" as never }), RangeError, 'kernel must be "auto"');
  assertThrows(() => cnnModel({}, { threads: 2 } as never), RangeError, "unknown run option");
  assertThrows(() => cnnModel({}, null as never), TypeError, "run options must be an object");
  // the shape keeps its own strict check
  assertThrows(() => cnnModel({ kernel: "ts" } as never), RangeError, "unknown option kernel");
  // errors of the input and the gradient are the same on both kernels
  for (const kernel of ["wasm", "ts"] as const) {
    const model = cnnModel({ hidden: 2, radius: 1 }, { kernel });
    const f = model.forward(model.init(1), randomSong(4, 1));
    assertThrows(
      () => f.backward(new Float64Array(99)),
      RangeError,
      "4 × 25 values, got length 99",
    );
    assertThrows(
      () => model.forward(model.init(1), { treble: new Float64Array(12) }),
      RangeError,
      "song.bass is missing",
    );
  }
});
