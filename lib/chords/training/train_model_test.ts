import * as tf from "@tensorflow/tfjs";
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertGreater,
  assertLess,
  assertThrows,
} from "@std/assert";
import { Adam64 } from "./adam.ts";
import { trainModel } from "./train_model.ts";
import { resolveConfig, type TrainConfig } from "./config.ts";
import { trainModelTf } from "./train_model_tf.ts";
import { type DChordWeights, initialWeights, predictChords } from "../model/dchord.ts";
import { MAJOR_TRIAD, MINOR_TRIAD } from "../data/labels.ts";
import type { Segment } from "../data/dataset.ts";
import { weakTargets } from "../data/targets.ts";
import { evaluateLabels } from "../evaluation/frame_f1.ts";
import { mulberry32 } from "../random.ts";
import { triadChroma } from "./testdata/fixtures.ts";
import { loadSplits } from "../../study/data.ts";
import { softDtwValueAndGrad } from "../../align/mod.ts";

tf.enableProdMode();
await tf.setBackend("cpu");

/**
 * Segments of `frames` frames made of 3 different chords (random), each frame
 * the chord's triad chroma plus noise.
 */
function syntheticSegments(count: number, frames: number, seed: number): Segment[] {
  const rand = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => {
    const chords: number[] = [];
    while (chords.length < 3) {
      const c = Math.floor(rand() * 24);
      if (!chords.includes(c)) chords.push(c);
    }
    const labels = Array.from({ length: frames }, (_, n) => chords[Math.floor((3 * n) / frames)]);
    return {
      song: "synthetic",
      index: i,
      start: i * frames,
      chroma: labels.map((c) => triadChroma(c, rand, 0.3)),
      labels,
    };
  });
}

const TRAIN = syntheticSegments(12, 24, 1);
const VALIDATION = syntheticSegments(3, 24, 2);
const TEST = syntheticSegments(4, 24, 3);

/** A bad starting point: both templates nearly flat (seeded noise), so chords are confused. */
function flatInit(): DChordWeights {
  const rand = mulberry32(11);
  return {
    theta: 0,
    major: Array.from({ length: 12 }, () => 0.5 + 0.05 * rand()),
    minor: Array.from({ length: 12 }, () => 0.5 + 0.05 * rand()),
  };
}

function testF1(weights: DChordWeights): number {
  const reference = TEST.flatMap((s) => s.labels);
  const estimate = TEST.flatMap((s) => predictChords(weights, s.chroma).labels);
  return evaluateLabels({ reference, estimate }).f1;
}

Deno.test("synthetic triads: both losses learn from flat templates to near-perfect F1", () => {
  const init = flatInit();
  const before = testF1(init);
  assertLess(before, 0.3, `the flat start must be bad, F1 = ${before}`);
  const configs: TrainConfig[] = [
    { loss: "bce", epochs: 12, init },
    { loss: "soft-dtw", softLength: 6, padding: "uniform", epochs: 12, init },
    { loss: "soft-dtw", softLength: 8, padding: "last", epochs: 12, init },
  ];
  for (const config of configs) {
    const r = trainModel({ train: TRAIN, validation: VALIDATION, config });
    const f1 = testF1(r.weights);
    assertGreater(f1, 0.95, `${JSON.stringify(config)}: F1 ${f1}`);
    assertLess(r.trainLoss[r.trainLoss.length - 1], r.trainLoss[0]);
  }
});

Deno.test("float64 and tfjs engines give the same loss curves (BCE and soft-DTW)", () => {
  // From the report's start (binary triads). Not from the flat start: there some gradient
  // components are near 0 and Adam's first steps (±lr by sign) amplify float32 rounding.
  const init = initialWeights();
  for (
    const config of [
      { loss: "bce", epochs: 6, init },
      { loss: "soft-dtw", softLength: 6, padding: "uniform", epochs: 6, init },
    ] as TrainConfig[]
  ) {
    const before = tf.memory().numTensors;
    const a = trainModel({ train: TRAIN, validation: VALIDATION, config });
    const b = trainModelTf({ train: TRAIN, validation: VALIDATION, config });
    assertEquals(tf.memory().numTensors, before, "the tfjs engine frees its tensors");
    const rel = (x: number, y: number) => Math.abs(x - y) / Math.max(1e-3, Math.abs(y));
    a.trainLoss.forEach((t, i) => assertLess(rel(t, b.trainLoss[i]), 1e-4, `train epoch ${i + 1}`));
    a.validationLoss.forEach((v, i) =>
      assertLess(rel(v, b.validationLoss[i]), 1e-4, `validation epoch ${i + 1}`)
    );
    assertEquals(a.bestEpoch, b.bestEpoch);
    a.finalWeights.major.forEach((w, k) => assertAlmostEquals(w, b.finalWeights.major[k], 1e-4));
    assertAlmostEquals(a.finalWeights.theta, b.finalWeights.theta, 1e-4);
  }
});

Deno.test("Adam64 matches tf.train.adam step by step", () => {
  // f(w) = Σ c_i (w_i − a_i)^2 with different scales, 20 steps of both optimizers
  const c = [1, 10, 0.1];
  const target = [0.5, -2, 3];
  const opts = { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
  const adam = new Adam64(3, opts);
  const w = new Float64Array([0, 0, 0]);
  const v = tf.variable(tf.zeros([3]));
  const ct = tf.tensor1d(c);
  const at = tf.tensor1d(target);
  const opt = tf.train.adam(opts.learningRate, opts.beta1, opts.beta2, opts.epsilon);
  try {
    for (let step = 0; step < 20; step++) {
      adam.step(w, Float64Array.from(w, (x, i) => 2 * c[i] * (x - target[i])));
      opt.minimize(() => tf.sum(tf.mul(ct, tf.square(tf.sub(v, at)))) as tf.Scalar, false, [v]);
      const tw = v.dataSync();
      // tfjs computes in float32 (1 − β2 alone is off by 5e-5 relative there)
      w.forEach((x, i) =>
        assertAlmostEquals(x, tw[i], 3e-5 * Math.max(1, Math.abs(x)), `step ${step + 1}, w[${i}]`)
      );
    }
    // by hand, Keras's first step: m = 0.1 g, v = 0.001 g², lr_1 = lr·sqrt(0.001)/0.1, so
    // Δw = −lr · g / (|g| + ε / sqrt(0.001)): about the learning rate against the gradient
    const fresh = new Float64Array([0, 0, 0]);
    const g = [5, -0.01, 100];
    new Adam64(3, opts).step(fresh, new Float64Array(g));
    fresh.forEach((x, i) =>
      assertAlmostEquals(x, (-0.1 * g[i]) / (Math.abs(g[i]) + 1e-8 / Math.sqrt(0.001)), 1e-12)
    );
  } finally {
    v.dispose();
    ct.dispose();
    at.dispose();
    opt.dispose();
  }
});

Deno.test("best epoch: the returned weights are those after that epoch's update", () => {
  const config: TrainConfig = { loss: "soft-dtw", softLength: 6, epochs: 40, init: flatInit() };
  const r = trainModel({ train: TRAIN, validation: VALIDATION, config });
  const min = Math.min(...r.validationLoss);
  assertEquals(r.bestValidationLoss, min);
  assertEquals(r.validationLoss.indexOf(min) + 1, r.bestEpoch);
  // training again for exactly bestEpoch epochs ends at the same weights (determinism)
  const again = trainModel({
    train: TRAIN,
    validation: VALIDATION,
    config: { ...config, epochs: r.bestEpoch },
  });
  assertEquals(again.finalWeights, r.weights);
  assertEquals(again.trainLoss, r.trainLoss.slice(0, r.bestEpoch));
});

Deno.test("captured expected alignment at epoch 1 = ∂SDTW/∂C of the initial model", () => {
  const config: TrainConfig = { loss: "soft-dtw", softLength: 5, padding: "last", epochs: 3 };
  const r = trainModel({
    train: TRAIN,
    validation: VALIDATION,
    config,
    alignment: { segment: 2, epochs: [1, 3] },
  });
  assertEquals(r.alignments.map((a) => a.epoch), [1, 3]);
  // independent: tfjs model output, cost by hand, soft-DTW gradient of lib/align/soft_dtw.ts
  const seg = TRAIN[2];
  const y = weakTargets(seg.labels, { softLength: 5, padding: "last" });
  const { probabilities } = (() => {
    const w = initialWeights();
    const rows = seg.chroma.map((x) => {
      const c = x.map((v) => Math.log(1 + Math.exp(w.theta) * v));
      const norm = Math.hypot(...c);
      const f = c.map((v) => v / norm);
      const T = [MAJOR_TRIAD, MINOR_TRIAD].flatMap((t) =>
        Array.from(
          { length: 12 },
          (_, r) => Array.from({ length: 12 }, (_, k) => t[(k - r + 12) % 12]),
        )
      );
      const s = T.map((row) => row.reduce((a, t, k) => a + t * f[k], 0));
      const e = s.map((v) => Math.exp(v));
      const z = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / z);
    });
    return { probabilities: rows };
  })();
  const cost = probabilities.map((p) =>
    y.map((t) => p.reduce((a, v, k) => a + (v - t[k]) ** 2, 0))
  );
  const { grad } = softDtwValueAndGrad(cost, { gamma: 0.3 });
  const E = r.alignments[0].matrix;
  assertEquals([E.length, E[0].length], [24, 5]);
  E.forEach((row, m) => row.forEach((v, n) => assertAlmostEquals(v, grad[m][n], 1e-9)));
  assertAlmostEquals(E[0][0], 1, 1e-9);
  assertAlmostEquals(E[23][4], 1, 1e-9);
});

Deno.test("same configuration, same numbers (deterministic)", () => {
  const config: TrainConfig = { loss: "soft-dtw", softLength: 7, epochs: 8, init: flatInit() };
  const a = trainModel({ train: TRAIN, validation: VALIDATION, config });
  const b = trainModel({ train: TRAIN, validation: VALIDATION, config });
  assertEquals(a, b);
});

Deno.test("real data: the soft-DTW loss starts near 130 and decreases on the weak targets", async () => {
  const { train, validation } = await loadSplits();
  for (const padding of ["uniform", "last"] as const) {
    const r = trainModel({
      train,
      validation,
      config: { loss: "soft-dtw", softLength: 16, padding, epochs: 15 },
    });
    assertGreater(r.trainLoss[0], 110, "the report's soft-DTW loss starts around 130");
    assertLess(r.trainLoss[0], 150);
    for (let e = 1; e < 15; e++) assertLess(r.trainLoss[e], r.trainLoss[e - 1], `epoch ${e + 1}`);
    assertLess(r.validationLoss[14], r.validationLoss[0]);
  }
});

Deno.test("bad configuration gives errors naming the problem", () => {
  const t = (config: unknown, cls: ErrorConstructor, msg: string) =>
    assertThrows(() => resolveConfig(config as TrainConfig), cls, msg);
  t({ loss: "soft-dtw", padding: "middle" }, RangeError, "config.padding");
  t({ loss: "soft-dtw", softLength: 0 }, RangeError, "config.softLength");
  t({ loss: "soft-dtw", softLength: -3 }, RangeError, "config.softLength");
  t({ loss: "soft-dtw", softLength: 2.5 }, RangeError, "config.softLength");
  t({ loss: "soft-dtw", gamma: 0 }, RangeError, "config.gamma");
  t({ loss: "soft-dtw", gamma: -1 }, RangeError, "config.gamma");
  t({ loss: "soft-dtw", gamma: NaN }, RangeError, "config.gamma");
  t({ loss: "soft-dtw", gamma: 1e-320 }, RangeError, "config.gamma is too small");
  t({ loss: "mse" }, RangeError, "config.loss");
  t({ loss: "bce", softLength: 16 }, TypeError, "config.softLength");
  t({ loss: "bce", epoch: 3 }, TypeError, 'unknown option "epoch"');
  t({ loss: "bce", epochs: 0 }, RangeError, "config.epochs");
  t({ loss: "bce", learningRate: NaN }, RangeError, "config.learningRate");
  t({ loss: "bce", beta1: 1 }, RangeError, "config.beta1");
  t({ loss: "bce", init: { theta: NaN, major: [], minor: [] } }, RangeError, "theta");
  const ok = { train: TRAIN, validation: VALIDATION };
  assertThrows(
    () => trainModel({ ...ok, config: { loss: "bce" }, alignment: { segment: 0, epochs: [1] } }),
    TypeError,
    "soft-dtw",
  );
  assertThrows(
    () =>
      trainModel({
        ...ok,
        config: { loss: "soft-dtw", epochs: 5 },
        alignment: { segment: 0, epochs: [6] },
      }),
    RangeError,
    "alignment.epochs",
  );
  assertThrows(
    () => trainModel({ ...ok, config: { loss: "soft-dtw", softLength: 2 } }),
    Error,
    "shorter than the reduced sequence",
  );
  const short = [{ ...TRAIN[0], chroma: TRAIN[0].chroma.slice(1) }];
  assertThrows(
    () => trainModel({ ...ok, train: short, config: { loss: "bce" } }),
    RangeError,
    "train[0]",
  );
  const nan = [{
    ...TRAIN[0],
    chroma: TRAIN[0].chroma.map((r, i) => (i === 3 ? r.map(() => NaN) : r)),
  }];
  assertThrows(
    () => trainModel({ ...ok, train: nan, config: { loss: "bce" } }),
    RangeError,
    "frame 3",
  );
  assertThrows(
    () => trainModel({ ...ok, validation: [], config: { loss: "bce" } }),
    RangeError,
    "validation",
  );
});

Deno.test("the flat start is a real test: untrained F1 is low, the triad start is perfect", () => {
  assertLess(testF1(flatInit()), 0.3);
  assertEquals(testF1(initialWeights()), 1);
  assert(TRAIN.every((s) => new Set(s.labels).size === 3));
});
