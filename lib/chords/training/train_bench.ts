/**
 * Benchmark of dChord training on the real data (43 training and 12 validation segments of 150
 * frames): forward and backward pass, loss, Adam step and validation loss, for BCE and soft-DTW
 * with soft length 16 and 75, with the float64 engine (`trainModel`, used for the results)
 * against the tfjs engine (`trainModelTf`, the cross-check) as baseline. Like with like: both
 * engines train the same number of epochs ({@link EPOCHS}, setup included) from the same start,
 * so the "x faster" ratios deno bench prints are per-epoch speed-ups over the tfjs engine on its
 * `cpu` backend. The tfjs engine also runs on the WebAssembly backend (`useBackend("wasm")` of
 * backend_tf.ts, SIMD, one thread), and the CTC configuration (issue 12) on all three.
 * Tracks the wall time of `deno task reproduce` (44 runs of 300 epochs).
 *
 * Run: `deno task bench` (or `deno bench -A --import-map=tools/import_map_offline.json
 * lib/chords/training/train_bench.ts`).
 *
 * Used for the timing statements of notebooks/04_strong_vs_soft_training.ipynb.
 *
 * @module
 */
import * as tf from "../../deps/tfjs.ts";
import { loadSplits } from "../../study/data.ts";
import { trainModel } from "./train_model.ts";
import type { TrainConfig } from "./config.ts";
import { trainModelTf } from "./train_model_tf.ts";
import { type BackendName, useBackend } from "./backend_tf.ts";

/** Epochs per benchmark iteration, the same for both engines. */
const EPOCHS = 2;

tf.enableProdMode();
await useBackend("cpu");
const { train, validation } = await loadSplits();

const CONFIGS: [string, TrainConfig][] = [
  ["bce", { loss: "bce" }],
  ["soft-dtw 16", { loss: "soft-dtw", softLength: 16, padding: "uniform" }],
  ["soft-dtw 75", { loss: "soft-dtw", softLength: 75, padding: "uniform" }],
  ["ctc", { loss: "ctc" }],
];

for (const [name, config] of CONFIGS) {
  const options = { train, validation, config: { ...config, epochs: EPOCHS } };
  for (const backend of ["cpu", "wasm"] as BackendName[]) {
    Deno.bench({
      name: `${name}, tfjs (${backend}): ${EPOCHS} epochs`,
      group: name,
      baseline: backend === "cpu",
      n: backend === "cpu" ? 3 : 10,
      warmup: 1,
      fn: async (b) => {
        await useBackend(backend); // a no-op when it is already the active backend
        b.start();
        trainModelTf(options);
        b.end();
      },
    });
  }
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
