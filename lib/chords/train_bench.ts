/**
 * Benchmark of dChord training on the real data (43 training and 12 validation segments of 150
 * frames): forward and backward pass, loss, Adam step and validation loss, for BCE and soft-DTW
 * with soft length 16 and 75, with the float64 engine (`trainModel`, used for the results)
 * against the tfjs engine (`trainModelTf`, the cross-check) as baseline. Like with like: both
 * engines train the same number of epochs ({@link EPOCHS}, setup included) from the same start,
 * so the "x faster" ratios deno bench prints are per-epoch speed-ups of the float64 engine.
 * Tracks the wall time of `deno task reproduce` (44 runs of 300 epochs).
 *
 * Run: `deno task bench` (or `deno bench -A --import-map=tools/import_map_offline.json
 * lib/chords/train_bench.ts`).
 *
 * Used for the timing statements of notebooks/04_strong_vs_soft_training.ipynb.
 *
 * @module
 */
import * as tf from "../deps/tfjs.ts";
import { loadSplits } from "../study/data.ts";
import { trainModel } from "./train.ts";
import type { TrainConfig } from "./train_config.ts";
import { trainModelTf } from "./train_tf.ts";

/** Epochs per benchmark iteration, the same for both engines. */
const EPOCHS = 2;

tf.enableProdMode();
await tf.setBackend("cpu");
const { train, validation } = await loadSplits();

const CONFIGS: [string, TrainConfig][] = [
  ["bce", { loss: "bce" }],
  ["soft-dtw 16", { loss: "soft-dtw", softLength: 16, padding: "uniform" }],
  ["soft-dtw 75", { loss: "soft-dtw", softLength: 75, padding: "uniform" }],
];

for (const [name, config] of CONFIGS) {
  const options = { train, validation, config: { ...config, epochs: EPOCHS } };
  Deno.bench({
    name: `${name}, tfjs: ${EPOCHS} epochs`,
    group: name,
    baseline: true,
    n: 3,
    warmup: 1,
    fn: () => {
      trainModelTf(options);
    },
  });
  Deno.bench({
    name: `${name}, float64: ${EPOCHS} epochs`,
    group: name,
    n: 20,
    warmup: 3,
    fn: () => {
      trainModel(options);
    },
  });
}
