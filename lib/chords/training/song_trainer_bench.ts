/**
 * Benchmark of one epoch of the Billboard study (lib/study/billboard.ts) over the 400 training
 * songs (25 minibatches of 16 whole songs, then the validation loss of the 42 validation songs)
 * with the float64 whole-song trainer (`trainOnSongs`, dChord with N), for strong labels (BCE),
 * for unaligned labels (soft-DTW of every whole song against its chord sequence, on the
 * WebAssembly soft-DTW kernel; CTC with N as the blank) and for the report's weak targets
 * (150-frame segments padded to 16, soft-DTW per segment), and the same epoch of the study's CNN
 * (`cnn-…` rows: strong labels, and unaligned soft-DTW with the step weights [1, 0, 1]; batches of
 * 4 on its WebAssembly kernel). dChord's BCE is the baseline, so deno bench prints how many times
 * slower the others are. Needs the Billboard songs (`../shared/data/billboard`; the first run
 * builds the feature cache, about a minute).
 *
 * Run: `deno bench -A --import-map=tools/import_map_offline.json
 * lib/chords/training/song_trainer_bench.ts`.
 *
 * Used for the timing statements of notebooks/08_weak_labels_at_scale.ipynb and the README.
 *
 * @module
 */
import { billboardRow, rowModel, trainingSongs } from "../../study/billboard.ts";
import { loadBillboardStudy } from "../../study/billboard_data.ts";
import { trainOnSongs } from "./song_trainer.ts";

const data = await loadBillboardStudy();

for (
  const [name, rowName, baseline] of [
    ["one epoch, 400 songs: strong labels, BCE", "strong-bce", true],
    ["one epoch, 400 songs: unaligned, soft-DTW", "unaligned-sdtw", false],
    ["one epoch, 400 songs: unaligned, CTC", "unaligned-ctc", false],
    [
      "one epoch, 400 songs: weak segments, padding 16 uniform, soft-DTW",
      "weak-uniform16-sdtw",
      false,
    ],
    ["one epoch, 400 songs: CNN, strong labels, BCE", "cnn-strong-bce", false],
    [
      "one epoch, 400 songs: CNN, unaligned, soft-DTW, step weights [1, 0, 1]",
      "cnn-unaligned-sdtw-w011",
      false,
    ],
  ] as const
) {
  const row = billboardRow(rowName);
  const train = trainingSongs(data, "train", row, 1);
  const validation = trainingSongs(data, "validation", row, 1);
  Deno.bench({
    name,
    group: "billboard epoch",
    baseline,
    n: 2,
    warmup: 0,
    fn() {
      trainOnSongs({
        model: rowModel(row),
        train,
        validation,
        config: { ...row.config, epochs: 1 },
      });
    },
  });
}
