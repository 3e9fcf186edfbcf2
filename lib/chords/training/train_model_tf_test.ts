import * as tf from "../../deps/tfjs.ts";
import { assertEquals, assertLess } from "@std/assert";
import { useBackend } from "./backend_tf.ts";
import type { TrainConfig } from "./config.ts";
import { trainModel } from "./train_model.ts";
import { trainModelTf } from "./train_model_tf.ts";
import { loadSplits } from "../../study/data.ts";
import { UNSCHEDULED_CONFIGS } from "./testdata/fixtures.ts";

const backend = await useBackend("wasm");
const { train, validation } = await loadSplits();

Deno.test(`float64 and tfjs (${backend.backend}) engines give the same loss curves for the losses of issue 12`, () => {
  const configs: (readonly [string, TrainConfig])[] = [
    ...UNSCHEDULED_CONFIGS,
    [
      "γ 10 → 0.3, prior",
      {
        loss: "soft-dtw",
        gamma: { from: 10, to: 0.3, startEpoch: 1, endEpoch: 4 },
        prior: { weight: { from: 3, to: 0, startEpoch: 0, endEpoch: 4 }, nu: 10 },
      },
    ],
  ];
  for (const [name, config] of configs) {
    const c = { ...config, epochs: 6 };
    const before = tf.memory().numTensors;
    const a = trainModel({ train, validation, config: c });
    const b = trainModelTf({ train, validation, config: c });
    assertEquals(tf.memory().numTensors, before, `${name}: the tfjs engine frees its tensors`);
    const rel = (x: number, y: number) => Math.abs(x - y) / Math.max(1, Math.abs(y));
    a.trainLoss.forEach((t, i) =>
      assertLess(rel(t, b.trainLoss[i]), 2e-4, `${name}, train epoch ${i + 1}`)
    );
    a.validationLoss.forEach((v, i) =>
      assertLess(rel(v, b.validationLoss[i]), 2e-4, `${name}, validation epoch ${i + 1}`)
    );
    assertEquals(a.bestEpoch, b.bestEpoch, name);
  }
});
