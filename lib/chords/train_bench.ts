/**
 * Benchmark of one training epoch of dChord on the real data (43 training and 12 validation
 * segments of 150 frames): forward and backward pass, loss, Adam step and validation loss,
 * for BCE and soft-DTW with soft length 16 and 75, with the float64 engine (used for the
 * results) and the tfjs engine (the cross-check) as baseline. Each benchmark trains 10 epochs
 * (setup included, about one epoch's cost), so ms per epoch = time per iteration / 10.
 * Tracks the wall time of `deno task reproduce` (25 runs of 300 epochs).
 *
 * Run: `deno task bench` (or `deno bench -A --import-map=tools/import_map_offline.json
 * lib/train_bench.ts`).
 *
 * Used for the timing statements of notebooks/04_strong_vs_soft_training.ipynb.
 *
 * @module
 */
import * as tf from "../deps/tfjs.ts";
import { loadSplits } from "./dataset.ts";
import { type Engine, type TrainConfig, trainModel } from "./train.ts";

tf.enableProdMode();
await tf.setBackend("cpu");
const { train, validation } = await loadSplits();

const CONFIGS: [string, TrainConfig][] = [
  ["bce", { loss: "bce" }],
  ["soft-dtw 16", { loss: "soft-dtw", softLength: 16, padding: "uniform" }],
  ["soft-dtw 75", { loss: "soft-dtw", softLength: 75, padding: "uniform" }],
];

for (const [name, config] of CONFIGS) {
  for (const engine of ["float64", "tfjs"] as Engine[]) {
    const epochs = engine === "float64" ? 10 : 1;
    Deno.bench({
      name: `${name}, ${engine}: ${epochs} epoch${epochs > 1 ? "s" : ""}`,
      group: name,
      baseline: engine === "float64",
      n: engine === "float64" ? 20 : 3,
      warmup: engine === "float64" ? 3 : 1,
      fn: () => {
        trainModel({ train, validation, config: { ...config, epochs }, engine });
      },
    });
  }
}
