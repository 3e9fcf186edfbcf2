import { assert, assertEquals, assertLess, assertThrows } from "@std/assert";
import { resolveConfig, type TrainConfig } from "./config.ts";
import { trainingTargets } from "./losses.ts";
import { trainModel } from "./train_model.ts";
import type { Segment } from "../data/dataset.ts";
import { loadSplits } from "../../study/data.ts";
import { initialBlankWeights } from "../model/dchord_blank.ts";
import { predictChords } from "../model/dchord.ts";
import { MAJOR_TRIAD, MINOR_TRIAD } from "../data/labels.ts";
import { mulberry32 } from "../random.ts";
import { triadChroma, UNSCHEDULED_CONFIGS } from "./testdata/fixtures.ts";

const splits = await loadSplits();
const { train, validation } = splits;

Deno.test("CTC and every stabilized loss decrease on the real weak targets", () => {
  const configs: (readonly [string, TrainConfig])[] = [
    ...UNSCHEDULED_CONFIGS,
    ["no padding", { loss: "soft-dtw", targets: "sequence" }],
    ["γ 10 → 0.3", { loss: "soft-dtw", gamma: { from: 10, to: 0.3, startEpoch: 0, endEpoch: 7 } }],
    ["prior", {
      loss: "soft-dtw",
      prior: { weight: { from: 3, to: 0, startEpoch: 0, endEpoch: 7 }, nu: 10 },
    }],
  ];
  for (const [name, config] of configs) {
    const r = trainModel({ train, validation, config: { ...config, epochs: 10 } });
    // the validation loss is always at the schedules' end values: comparable across epochs
    assertLess(r.validationLoss[9], r.validationLoss[0], name);
    if (config.loss !== "soft-dtw" || (typeof config.gamma !== "object" && !config.prior)) {
      assertLess(r.trainLoss[9], r.trainLoss[0], name);
    }
  }
});

Deno.test("γ and prior-weight schedules per epoch, against hand values", () => {
  const r = trainModel({
    train,
    validation,
    config: {
      loss: "soft-dtw",
      epochs: 8,
      gamma: { from: 10, to: 0.3, startEpoch: 2, endEpoch: 6 },
      prior: { weight: { from: 3, to: 0, startEpoch: 0, endEpoch: 6 }, nu: 10 },
    },
  });
  // epoch e has index e − 1; γ holds 10 for indices 0..2, falls by 9.7/4 per epoch, then 0.3
  const g = [10, 10, 10, 10 - 9.7 / 4, 10 - 9.7 / 2, 10 - 9.7 * 3 / 4, 0.3, 0.3];
  r.schedule.gamma.forEach((v, i) => assert(Math.abs(v - g[i]) < 1e-12, `γ epoch ${i + 1}`));
  const w = [3, 2.5, 2, 1.5, 1, 0.5, 0, 0];
  r.schedule.priorWeight.forEach((v, i) => assert(Math.abs(v - w[i]) < 1e-12, `w epoch ${i + 1}`));
});

Deno.test("plain soft-DTW in either configuration form is the report's training, bit for bit", () => {
  const a = trainModel({ train, validation, config: { loss: "soft-dtw", epochs: 4 } });
  const b = trainModel({
    train,
    validation,
    config: { loss: "soft-dtw", epochs: 4, targets: "padded", stepWeights: [1, 1, 1] },
  });
  assertEquals(b.trainLoss, a.trainLoss);
  assertEquals(b.validationLoss, a.validationLoss);
});

Deno.test("synthetic triads are learned with CTC in a few epochs", () => {
  // segments of 30 frames holding 3 chords each; start from templates that confuse major and
  // minor (every third degree is 0.5), so that the model has to learn them
  const rnd = mulberry32(3);
  const make = (n: number): Segment[] =>
    Array.from({ length: n }, (_, i) => {
      const chords = [Math.floor(rnd() * 24), Math.floor(rnd() * 24), Math.floor(rnd() * 24)];
      const labels = Array.from({ length: 30 }, (_, m) => chords[Math.floor(m / 10)]);
      return {
        song: "synthetic",
        index: i,
        start: 0,
        labels,
        chroma: labels.map((c) => triadChroma(c, rnd, 0.2)),
      };
    });
  const tr = make(20), va = make(5), test = make(5);
  const blurred = (t: readonly number[]) => t.map((v, k) => (k === 3 || k === 4 ? 0.5 : v));
  const init = { theta: 0, major: blurred(MAJOR_TRIAD), minor: blurred(MINOR_TRIAD) };
  const accuracy = (w: Parameters<typeof predictChords>[0]) => {
    let ok = 0, all = 0;
    for (const s of test) {
      predictChords(w, s.chroma).labels.forEach((c, m) => {
        ok += c === s.labels[m] ? 1 : 0;
        all++;
      });
    }
    return ok / all;
  };
  const r = trainModel({ train: tr, validation: va, config: { loss: "ctc", epochs: 10, init } });
  assertLess(accuracy(initialBlankWeights(init)), 0.8);
  assert(accuracy(r.weights as never) > 0.95, `accuracy ${accuracy(r.weights as never)}`);
  assertLess(r.trainLoss[9], r.trainLoss[0] / 2);
});

Deno.test("CTC targets drop N and keep separated repeats; captures have the graph's shape", () => {
  const seg = { song: "x", index: 0, start: 0, chroma: [], labels: [-1, 3, 3, -1, 3, 5, 5] };
  assertEquals(trainingTargets([seg], resolveConfig({ loss: "ctc" })), [[3, 3, 5]]);
  assertEquals(
    trainingTargets([seg], resolveConfig({ loss: "soft-dtw", targets: "sequence" })),
    [[-1, 3, -1, 3, 5]],
  );
  const r = trainModel({
    train,
    validation,
    config: { loss: "ctc", epochs: 2 },
    alignment: { segment: 0, epochs: [2] },
  });
  const c = r.alignments[0];
  const target = trainingTargets([train[0]], r.config)[0];
  assertEquals([c.epoch, c.matrix.length, c.matrix[0].length], [2, 150, 2 * target.length + 1]);
  for (const row of c.matrix) assert(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-9);
});

Deno.test("bad configurations fail with clear errors", () => {
  const bad: [unknown, ErrorConstructor, string][] = [
    [{ loss: "ctcx" }, RangeError, "unknown strategy"],
    [{ loss: "ctc", blank: 3 }, RangeError, "clashes with a chord"],
    [{ loss: "ctc", blank: 30 }, RangeError, "not an output"],
    [{ loss: "ctc", gamma: 1 }, TypeError, "does not apply"],
    [{ loss: "ctc", blankPenalty: -1 }, RangeError, "blankPenalty"],
    [
      { loss: "soft-dtw", gamma: { from: 10, to: 0.3, startEpoch: 0, endEpoch: 300 } },
      RangeError,
      "endEpoch must be an epoch index in 1..299",
    ],
    [
      { loss: "soft-dtw", gamma: { from: 10, to: -1, startEpoch: 1, endEpoch: 40 } },
      RangeError,
      "config.gamma.to",
    ],
    [
      { loss: "soft-dtw", gamma: { from: 10, to: 0.3, startEpoch: 1.5, endEpoch: 40 } },
      RangeError,
      "startEpoch",
    ],
    [
      { loss: "soft-dtw", gamma: { from: 10, to: 0.3, begin: 1, endEpoch: 40 } },
      TypeError,
      "unknown field",
    ],
    [{ loss: "soft-dtw", prior: { weight: -3, nu: 10 } }, RangeError, "prior.weight"],
    [{ loss: "soft-dtw", prior: { weight: 3, nu: 0 } }, RangeError, "prior.nu"],
    [{ loss: "soft-dtw", stepWeights: [1, -1, 1] }, RangeError, "stepWeights"],
    [{ loss: "soft-dtw", stepWeights: [0, 1, 0] }, RangeError, "cost nothing"],
    [{ loss: "soft-dtw", targets: "sequence", softLength: 16 }, TypeError, "padded targets"],
    [{ loss: "soft-dtw-divergence", stepWeights: [1, 1, 2] }, TypeError, "does not apply"],
    [{ loss: "soft-dtw", speed: 2 }, TypeError, "unknown option"],
  ];
  for (const [config, type, text] of bad) {
    assertThrows(() => resolveConfig(config as TrainConfig), type, text);
  }
  assertThrows(
    () =>
      trainModel({
        train,
        validation,
        config: { loss: "ctc" },
        alignment: { segment: 99, epochs: [1] },
      }),
    RangeError,
    "alignment.segment",
  );
});
