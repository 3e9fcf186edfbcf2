import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  CNN_DEFAULTS,
  cnnInputs,
  type CnnKernel,
  cnnModel,
  cnnParameterCount,
  type CnnParameters,
  cnnParameters,
  cnnParametersToVector,
} from "./cnn.ts";
import type { SongFeatures } from "../training/song_model.ts";
import { mulberry32 } from "../random.ts";

/** Random chroma with some zeros and one silent frame (in bass) and, in treble, one loud frame. */
function randomSong(frames: number, seed: number): Required<SongFeatures> {
  const r = mulberry32(seed);
  const part = () =>
    Float64Array.from({ length: frames * 12 }, () => (r() < 0.2 ? 0 : 3 * r() ** 2));
  const bass = part(), treble = part();
  bass.fill(0, 0, 12);
  return { bass, treble };
}

/** Random parameters of a model, biases included (init leaves them 0). */
function randomParams(size: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  return Float64Array.from({ length: size }, () => r() - 0.5);
}

/**
 * Central finite differences of `L(θ) = Σ G ⊙ log q(θ)` for every parameter against the
 * backward pass (an arbitrary upstream gradient G, so every loss's path through the model is
 * covered).
 */
function checkGradient(
  options: Parameters<typeof cnnModel>[0],
  frames: number,
  seed: number,
  kernel: CnnKernel,
) {
  const model = cnnModel(options, { kernel });
  const song = randomSong(frames, seed);
  const params = randomParams(model.size, seed + 1);
  const r = mulberry32(seed + 2);
  const G = Float64Array.from({ length: frames * 25 }, () => r() - 0.5);
  const loss = (p: Float64Array) => {
    const lq = model.forward(p, song).logProbabilities;
    let s = 0;
    for (let i = 0; i < lq.length; i++) s += G[i] * lq[i];
    return s;
  };
  const grad = model.forward(params, song).backward(G);
  assertEquals(grad.length, model.size);
  const h = 1e-6;
  let worst = 0, nonzero = 0;
  for (let i = 0; i < model.size; i++) {
    const old = params[i];
    params[i] = old + h;
    const up = loss(params);
    params[i] = old - h;
    const down = loss(params);
    params[i] = old;
    const fd = (up - down) / (2 * h);
    worst = Math.max(worst, Math.abs(fd - grad[i]) / (1 + Math.abs(fd)));
    if (grad[i] !== 0) nonzero++;
  }
  assert(worst < 1e-7, `worst relative error ${worst} (${JSON.stringify(options)}, ${frames})`);
  return { nonzero, size: model.size };
}

Deno.test("cnn: parameter count by formula H (24 T + 1) + 25 H + 25, and init's length", () => {
  assertEquals(cnnParameterCount(), 16 * (24 * 11 + 1) + 25 * 16 + 25);
  assertEquals(cnnParameterCount(), 4665);
  for (const a of [{ hidden: 3, radius: 0, dilation: 1 }, { hidden: 8, radius: 11, dilation: 1 }]) {
    const T = 2 * a.radius + 1;
    const m = cnnModel(a);
    assertEquals(m.size, a.hidden * (24 * T + 1) + 25 * a.hidden + 25);
    assertEquals(m.init(1).length, m.size);
  }
  const m = cnnModel();
  assertEquals(m.kind, "cnn");
  assertEquals(m.chroma, "bass+treble");
  assertEquals({ ...m.architecture }, { ...CNN_DEFAULTS });
});

for (const kernel of ["ts", "wasm"] as const) {
  Deno.test(`cnn: every parameter's gradient equals central finite differences (${kernel})`, () => {
    // a small shape on songs longer and shorter than its receptive field (±4 frames)
    for (const [frames, seed] of [[13, 1], [7, 2], [3, 3], [1, 4]]) {
      const shape = { hidden: 3, radius: 2, dilation: 2 };
      const { nonzero, size } = checkGradient(shape, frames, seed, kernel);
      if (frames >= 7) assert(nonzero > size / 2, `only ${nonzero} of ${size} gradients nonzero`);
    }
    checkGradient({ hidden: 2, radius: 1, dilation: 1 }, 5, 5, kernel); // no dilation
    checkGradient({ hidden: 2, radius: 0, dilation: 1 }, 4, 6, kernel); // no context
    // five channels, dilation 3
    const five = checkGradient({ hidden: 5, radius: 1, dilation: 3 }, 8, 4, kernel);
    assert(five.nonzero > five.size / 2, `only ${five.nonzero} of ${five.size} gradients nonzero`);
    // the default shape (4665 parameters) on a song shorter than its 21-frame receptive field
    const { nonzero } = checkGradient({}, 12, 7, kernel);
    assert(nonzero > 2000, `only ${nonzero} gradients nonzero`);
  });
}

Deno.test("cnn: log-softmax rows, 'same' zero padding, receptive field of ±R·d frames", () => {
  const model = cnnModel({ hidden: 4, radius: 2, dilation: 3 }); // frame f sees f − 6 … f + 6
  const params = randomParams(model.size, 9);
  const song = randomSong(30, 10);
  const base = model.forward(params, song).logProbabilities;
  const q = model.forward(params, song).probabilities!;
  for (let f = 0; f < 30; f++) {
    let z = 0;
    for (let k = 0; k < 25; k++) {
      z += Math.exp(base[f * 25 + k]);
      assertAlmostEquals(q[f * 25 + k], Math.exp(base[f * 25 + k]), 1e-15);
    }
    assertAlmostEquals(z, 1, 1e-12);
  }
  // change frame 15: exactly frames 9, 12, 15, 18, 21 (the taps' frames) change
  const changed = { bass: song.bass.slice(), treble: song.treble.slice() };
  changed.treble[15 * 12 + 4] += 2;
  const after = model.forward(params, changed).logProbabilities;
  const moved = [];
  for (let f = 0; f < 30; f++) {
    if (base.subarray(f * 25, f * 25 + 25).some((v, k) => v !== after[f * 25 + k])) moved.push(f);
  }
  assertEquals(moved, [9, 12, 15, 18, 21]);
  // silent frames added at both ends change no frame of the song: the padding is silence
  const pad = 7, padded = { bass: new Float64Array(44 * 12), treble: new Float64Array(44 * 12) };
  padded.bass.set(song.bass, pad * 12);
  padded.treble.set(song.treble, pad * 12);
  const inner = model.forward(params, padded).logProbabilities.subarray(pad * 25, (pad + 30) * 25);
  inner.forEach((v, i) => assertAlmostEquals(v, base[i], 1e-12));
});

Deno.test("cnn: input normalization per part (log, L2), silence is 0", () => {
  const treble = Float64Array.from({ length: 12 }, (_, k) => k);
  const x = cnnInputs({ bass: new Float64Array(12).fill(1e-6 / 12), treble });
  for (let k = 0; k < 12; k++) assertEquals(x[k], 0); // ||log(1 + x)|| < 1e-4: silence
  const v = Array.from(treble, (t) => Math.log(1 + t));
  const n = Math.hypot(...v);
  for (let k = 0; k < 12; k++) assertAlmostEquals(x[12 + k], v[k] / n, 1e-15);
  // bass and treble are normalized each on its own: a louder bass leaves the treble unchanged
  const y = cnnInputs({ bass: treble.map((t) => 100 * t), treble });
  for (let k = 0; k < 12; k++) assertEquals(y[12 + k], x[12 + k]);
  assertAlmostEquals(Math.hypot(...y.subarray(0, 12)), 1, 1e-15);
});

Deno.test("cnn: seeded He/Glorot initialization, biases 0", () => {
  const model = cnnModel();
  const a = model.init(1), b = model.init(1), c = model.init(2);
  assertEquals(a, b);
  assert(a.some((v, i) => v !== c[i]));
  const { conv, convBias, output, outputBias } = cnnParameters(model.architecture, a);
  const std = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);
  const w = conv.flat(2), v = output.flat();
  assertEquals(w.length, 16 * 11 * 24);
  // sample standard deviations within 5 standard errors (σ / √(2n)) of √(2 / fan-in) etc.
  const he = Math.sqrt(2 / 264), glorot = Math.sqrt(2 / 41);
  assertAlmostEquals(std(w), he, 5 * he / Math.sqrt(2 * w.length));
  assertAlmostEquals(std(v), glorot, 5 * glorot / Math.sqrt(2 * v.length));
  assert(convBias.every((x) => x === 0) && outputBias.every((x) => x === 0));
  // at init the outputs are spread, not saturated, on a real-looking song
  const lq = model.forward(a, randomSong(20, 3)).logProbabilities;
  assert(lq.every((x) => x > Math.log(1e-3)), "an output below 1e-3 at init");
});

Deno.test("cnn: bad shapes, values, parameters and gradients are named errors", () => {
  const model = cnnModel({ hidden: 2, radius: 1 });
  const p = model.init(1);
  const song = randomSong(4, 1);
  assertThrows(() => model.forward(p, { treble: song.treble }), RangeError, "song.bass is missing");
  assertThrows(
    () => model.forward(p, { treble: song.treble, bass: song.bass.subarray(12) }),
    RangeError,
    "song.bass has 3 frames, song.treble 4",
  );
  assertThrows(
    () => model.forward(p, { ...song, treble: new Float64Array(13) }),
    RangeError,
    "song.treble must be a Float64Array of frames × 12 values, got length 13",
  );
  const nan = song.bass.slice();
  nan[2 * 12 + 5] = NaN;
  assertThrows(
    () => model.forward(p, { ...song, bass: nan }),
    RangeError,
    "song.bass frame 2 value 5 must be finite and >= 0, got NaN",
  );
  const neg = song.treble.slice();
  neg[7] = -1;
  assertThrows(() => model.forward(p, { ...song, treble: neg }), RangeError, "frame 0 value 7");
  const inf = song.treble.slice();
  inf[0] = Infinity;
  assertThrows(() => model.forward(p, { ...song, treble: inf }), RangeError, "got Infinity");
  assertThrows(() => model.forward(p.subarray(1), song), RangeError, `${model.size} values`);
  const f = model.forward(p, song);
  assertThrows(() => f.backward(new Float64Array(99)), RangeError, "4 × 25 values, got length 99");
  assertThrows(() => cnnModel({ hidden: 0 }), RangeError, "hidden must be an integer in 1..1024");
  assertThrows(() => cnnModel({ radius: 1.5 }), RangeError, "radius");
  assertThrows(() => cnnModel({ width: 3 } as never), RangeError, "unknown option width");
  assertThrows(() => model.init(0.5), RangeError, "seed");
  // an empty song is no error: no frames, no gradient
  const empty = model.forward(p, { bass: new Float64Array(0), treble: new Float64Array(0) });
  assertEquals(empty.logProbabilities.length, 0);
  assertEquals(empty.backward(new Float64Array(0)), new Float64Array(model.size));
});

Deno.test("cnn: stored parameters round-trip and are checked field by field", () => {
  const model = cnnModel({ hidden: 3, radius: 2, dilation: 2 });
  const p = randomParams(model.size, 4);
  const stored = cnnParameters(model.architecture, p);
  const back = cnnParametersToVector(JSON.parse(JSON.stringify(stored)));
  assertEquals(back.params, p);
  assertEquals(back.architecture, { hidden: 3, radius: 2, dilation: 2 });
  const bad = (change: (s: CnnParameters) => void, message: string) => {
    const s = JSON.parse(JSON.stringify(stored));
    change(s);
    assertThrows(() => cnnParametersToVector(s), RangeError, message);
  };
  bad((s) => s.conv[1][3].pop(), "conv[1][3] must be 24 finite numbers");
  bad((s) => (s.conv[0][0][5] = null as unknown as number), "conv[0][0] must be 24 finite");
  bad((s) => s.conv[2].pop(), "conv[2] must be an array of 5");
  bad((s) => s.conv.push(s.conv[0]), "conv must be an array of 3");
  bad((s) => (s.radius = 3), "conv[0] must be an array of 7");
  bad((s) => s.output[24].push(0), "output[24] must be 3 finite numbers");
  bad((s) => s.outputBias.pop(), "outputBias must be 25 finite numbers");
  bad((s) => (s.convBias = "0" as unknown as number[]), "convBias must be 3 finite numbers");
  bad((s) => (s.dilation = 0), "dilation must be an integer");
  bad((s) => Object.assign(s, { extra: 1 }), "unknown field extra");
});
