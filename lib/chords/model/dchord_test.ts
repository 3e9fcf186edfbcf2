import * as tf from "@tensorflow/tfjs";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreater,
  assertLess,
  assertThrows,
} from "@std/assert";
/**
 * Tests of lib/chords/model/dchord.ts (float64 dChord) and lib/chords/model/dchord_tf.ts (tfjs dChord), which
 * share the independent reference below: the forward pass written from the report, finite
 * differences, and each engine against the other.
 */
import {
  architecture,
  backward64,
  type DChordWeights,
  forward64,
  initialWeights,
  predictChords,
  templateMatrix,
} from "./dchord.ts";
import { DChord, predictChordsTf } from "./dchord_tf.ts";
import { MAJOR_TRIAD, MINOR_TRIAD } from "../data/labels.ts";
import { mulberry32 } from "../random.ts";

tf.enableProdMode();
await tf.setBackend("cpu");

/** Independent float64 reference of the dChord forward pass, written from the report. */
function referenceForward(w: DChordWeights, chroma: number[][]): number[][] {
  const T: number[][] = [];
  for (const t of [w.major, w.minor]) {
    for (let r = 0; r < 12; r++) {
      const row = new Array(12).fill(0);
      for (let k = 0; k < 12; k++) row[(k + r) % 12] = t[k]; // roll t by r
      T.push(row);
    }
  }
  return chroma.map((x) => {
    const c = x.map((v) => Math.log(1 + Math.exp(w.theta) * v));
    const norm = Math.sqrt(c.reduce((s, v) => s + v * v, 0));
    const f = norm < 1e-4 ? c.map(() => 1 / Math.sqrt(12)) : c.map((v) => v / norm);
    const s = T.map((row) => row.reduce((acc, t, k) => acc + t * f[k], 0));
    const mx = Math.max(...s);
    const e = s.map((v) => Math.exp(v - mx));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / z);
  });
}

const rand = mulberry32(7);
const CHROMA: number[][] = Array.from(
  { length: 6 },
  (_, n) => Array.from({ length: 12 }, () => (n === 3 ? 0 : rand() * 2)),
); // frame 3 is silent
const WEIGHTS: DChordWeights = {
  theta: 0.4,
  major: Array.from({ length: 12 }, () => rand()),
  minor: Array.from({ length: 12 }, () => rand()),
};
const MIX = Array.from({ length: 6 }, () => Array.from({ length: 24 }, () => rand() - 0.5));

/** f(weights) = Σ MIX ⊙ probabilities, in float64 through the reference forward pass. */
function referenceObjective(w: DChordWeights): number {
  const p = referenceForward(w, CHROMA);
  let s = 0;
  for (let n = 0; n < p.length; n++) for (let c = 0; c < 24; c++) s += MIX[n][c] * p[n][c];
  return s;
}

/** The gradient of Σ MIX ⊙ probabilities by tfjs autodiff of the DChord model at WEIGHTS. */
function tfjsGradient(): DChordWeights {
  const model = new DChord(WEIGHTS);
  const x = tf.tensor2d(CHROMA);
  const mix = tf.tensor2d(MIX);
  try {
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(mix, model.predict(x))) as tf.Scalar,
      model.trainableVariables,
    );
    const g = {
      theta: grads[model.theta.name].dataSync()[0],
      major: Array.from(grads[model.major.name].dataSync()),
      minor: Array.from(grads[model.minor.name].dataSync()),
    };
    Object.values(grads).forEach((t) => t.dispose());
    return g;
  } finally {
    x.dispose();
    mix.dispose();
    model.dispose();
  }
}

Deno.test("dChord has 25 trainable parameters (sum of the trainable variables' sizes)", () => {
  const model = new DChord();
  try {
    const sizes = model.trainableVariables.map((v) => v.size);
    assertEquals(sizes, [1, 12, 12]);
    assert(model.trainableVariables.every((v) => v.trainable));
    assertEquals(model.parameterCount(), 25);
  } finally {
    model.dispose();
  }
  const table = architecture({ frames: 150 });
  assertEquals(table.reduce((s, l) => s + l.parameters, 0), 25);
  assertEquals(table[table.length - 1].outputShape, "(150, 24)");
  assertThrows(() => architecture({ frames: 0 }), RangeError, "frames");
});

Deno.test("template matrix: circular shifts of the major and minor templates", () => {
  const T = templateMatrix([...MAJOR_TRIAD], [...MINOR_TRIAD]);
  assertEquals(T.length, 24);
  // G major = G, B, D (pitch classes 7, 11, 2); A minor = A, C, E (9, 0, 4); B major = B, D#, F#
  const support = (row: number[]) => row.flatMap((v, k) => (v === 1 ? [k] : []));
  assertEquals(support(T[7]), [2, 7, 11]);
  assertEquals(support(T[12 + 9]), [0, 4, 9]);
  assertEquals(support(T[11]), [3, 6, 11]);
  // the tensor version (built with a one-hot shift matrix) gives the same matrix for arbitrary weights
  const model = new DChord(WEIGHTS);
  try {
    const t = model.templates();
    const fromTf = t.arraySync() as number[][];
    t.dispose();
    const ref = templateMatrix(WEIGHTS.major, WEIGHTS.minor);
    fromTf.forEach((row, r) => row.forEach((v, k) => assertAlmostEquals(v, ref[r][k], 1e-6)));
  } finally {
    model.dispose();
  }
});

Deno.test("forward pass matches an independent float64 reference; rows sum to 1", () => {
  const { probabilities } = predictChords(WEIGHTS, CHROMA);
  const ref = referenceForward(WEIGHTS, CHROMA);
  probabilities.forEach((row, n) => {
    assertAlmostEquals(row.reduce((a, b) => a + b, 0), 1, 1e-5);
    row.forEach((p, c) => assertAlmostEquals(p, ref[n][c], 1e-6));
  });
  // the silent frame becomes the unit vector: all similarities Σ t_k / sqrt(12) per type
  const silent = probabilities[3];
  for (let r = 1; r < 12; r++) assertAlmostEquals(silent[r], silent[0], 1e-7);
  // batched input [B, frames, 12] gives [B, frames, 24]
  const model = new DChord();
  try {
    const out = model.predict(tf.tensor3d([CHROMA, CHROMA]));
    assertEquals(out.shape, [2, 6, 24]);
    out.dispose();
  } finally {
    model.dispose();
  }
});

Deno.test("the initial model recognizes the 24 binary triads", () => {
  const chroma = templateMatrix([...MAJOR_TRIAD], [...MINOR_TRIAD]);
  const { labels } = predictChords(initialWeights(), chroma);
  assertEquals(labels, Array.from({ length: 24 }, (_, c) => c));
});

Deno.test("gradients (θ and templates) match float64 finite differences", () => {
  const { theta: gTheta, major: gMajor, minor: gMinor } = tfjsGradient();
  {
    const h = 1e-6;
    const fd = (change: (w: DChordWeights, d: number) => DChordWeights) =>
      (referenceObjective(change(WEIGHTS, h)) - referenceObjective(change(WEIGHTS, -h))) / (2 * h);
    const fdTheta = fd((w, d) => ({ ...w, theta: w.theta + d }));
    // θ's gradient is small here (~7e-4), so it gets a tolerance well below its size
    assertGreater(Math.abs(fdTheta), 1e-4); // a gradient that is not trivially zero
    assertAlmostEquals(gTheta, fdTheta, 1e-6 + 1e-3 * Math.abs(fdTheta));
    for (let k = 0; k < 12; k++) {
      const fMaj = fd((w, d) => ({ ...w, major: w.major.map((v, j) => (j === k ? v + d : v)) }));
      const fMin = fd((w, d) => ({ ...w, minor: w.minor.map((v, j) => (j === k ? v + d : v)) }));
      assertAlmostEquals(gMajor[k], fMaj, 1e-4 + 1e-3 * Math.abs(fMaj));
      assertAlmostEquals(gMinor[k], fMin, 1e-4 + 1e-3 * Math.abs(fMin));
    }
    assert([gTheta, ...gMajor, ...gMinor].every(Number.isFinite), "silent frame gives no NaN");
  }
});

Deno.test("weights round-trip and the model frees its tensors", () => {
  const before = tf.memory().numTensors;
  const model = new DChord();
  model.setWeights(WEIGHTS);
  const w = model.getWeights();
  assertAlmostEquals(w.theta, WEIGHTS.theta, 1e-7);
  w.major.forEach((v, k) => assertAlmostEquals(v, WEIGHTS.major[k], 1e-6));
  predictChordsTf(model, CHROMA);
  model.dispose();
  assertEquals(tf.memory().numTensors, before);
  assertLess(Math.abs(w.minor[0] - WEIGHTS.minor[0]), 1e-6);
});

Deno.test("bad weights and chroma give errors naming the problem", () => {
  assertThrows(() => new DChord({ theta: NaN, major: [], minor: [] }), RangeError, "theta");
  assertThrows(
    () => new DChord({ theta: 0, major: [1, 0, 0], minor: [...MINOR_TRIAD] }),
    TypeError,
    "weights.major",
  );
  assertThrows(
    () => new DChord({ theta: 0, major: [...MAJOR_TRIAD], minor: [...MINOR_TRIAD, 1] }),
    TypeError,
    "weights.minor",
  );
  const bad = [...MAJOR_TRIAD];
  bad[4] = Infinity;
  assertThrows(
    () => new DChord({ theta: 0, major: bad, minor: [...MINOR_TRIAD] }),
    RangeError,
    "weights.major[4]",
  );
  assertThrows(() => predictChords(initialWeights(), [[1, 2, 3]]), TypeError, "chroma[0]");
  assertThrows(() => predictChords(initialWeights(), []), RangeError, "chroma");
  const neg = [[...MAJOR_TRIAD]];
  neg[0][2] = -1;
  assertThrows(() => predictChords(initialWeights(), neg), RangeError, "chroma[0][2]");
  const model = new DChord();
  try {
    const t = tf.zeros([4, 11]);
    assertThrows(() => model.predict(t), RangeError, "[4, 11]");
    t.dispose();
  } finally {
    model.dispose();
  }
});

Deno.test("forward64 matches the float64 reference; backward64 matches finite differences", () => {
  const flat = new Float64Array(CHROMA.flat());
  const f = forward64(WEIGHTS, flat);
  const ref = referenceForward(WEIGHTS, CHROMA);
  ref.forEach((row, n) =>
    row.forEach((p, c) => assertAlmostEquals(f.probabilities[n * 24 + c], p, 1e-14))
  );
  assertEquals(f.norms[3], 0, "the silent frame is marked as thresholded");
  const g = backward64(f, new Float64Array(MIX.flat()));
  const h = 1e-6;
  const fd = (change: (w: DChordWeights, d: number) => DChordWeights) =>
    (referenceObjective(change(WEIGHTS, h)) - referenceObjective(change(WEIGHTS, -h))) / (2 * h);
  assertAlmostEquals(g.theta, fd((w, d) => ({ ...w, theta: w.theta + d })), 1e-8);
  for (let k = 0; k < 12; k++) {
    const fMaj = fd((w, d) => ({ ...w, major: w.major.map((v, j) => (j === k ? v + d : v)) }));
    const fMin = fd((w, d) => ({ ...w, minor: w.minor.map((v, j) => (j === k ? v + d : v)) }));
    assertAlmostEquals(g.major[k], fMaj, 1e-8);
    assertAlmostEquals(g.minor[k], fMin, 1e-8);
  }
});

Deno.test("backward64 equals tfjs autodiff of the DChord model", () => {
  const tfjs = tfjsGradient();
  const g = backward64(
    forward64(WEIGHTS, new Float64Array(CHROMA.flat())),
    new Float64Array(MIX.flat()),
  );
  assertAlmostEquals(g.theta, tfjs.theta, 1e-6);
  for (let k = 0; k < 12; k++) {
    assertAlmostEquals(g.major[k], tfjs.major[k], 1e-5);
    assertAlmostEquals(g.minor[k], tfjs.minor[k], 1e-5);
  }
  assertThrows(() => forward64(WEIGHTS, new Float64Array(13)), RangeError, "frames × 12");
  const f = forward64(WEIGHTS, new Float64Array(24));
  assertThrows(() => backward64(f, new Float64Array(24)), RangeError, "2 × 24");
});
