/**
 * Benchmark of the CNN's forward and backward pass (`cnn.ts`) against dChord with an N output
 * (`dchord_blank.ts`, the Billboard study's other model) over the same frames: every frame of the
 * 400 Billboard training songs at 10.77 frames/s (about 0.87 M frames, the work of one training
 * epoch without the losses), forward then backward with a fixed upstream gradient. dChord is
 * the baseline, so deno bench prints how many times slower each CNN shape is; the time per
 * million frames is the bench's time × 10⁶ / the frame count it prints. Needs the Billboard
 * songs (`../shared/data/billboard`; the first run builds the feature cache, about a minute).
 *
 * Run: `deno bench -A --import-map=tools/import_map_offline.json lib/chords/model/cnn_bench.ts`.
 *
 * Used for the timing statements of the README (the CNN paragraph of the Billboard section).
 *
 * @module
 */
import { BILLBOARD_DEFECTS, billboardDir, CHORDINO_PAIR_RATE } from "../data/billboard.ts";
import { loadBillboardFeatures } from "../data/billboard_features.ts";
import { blankBackward64, blankForward64, initialBlankWeights } from "./dchord_blank.ts";
import { type CnnArchitecture, cnnModel } from "./cnn.ts";
import { mulberry32 } from "../random.ts";

const songs = await loadBillboardFeatures(billboardDir(), {
  frameRate: CHORDINO_PAIR_RATE,
  split: "train",
  exclude: Object.keys(BILLBOARD_DEFECTS),
});
const frames = songs.reduce((a, s) => a + s.frames, 0);
console.log(`${songs.length} training songs, ${frames} frames`);
const r = mulberry32(1);
const upstream = Float64Array.from(
  { length: Math.max(...songs.map((s) => s.frames)) * 25 },
  () => (r() - 0.5) / 1000,
);

Deno.bench({
  name: "dChord with N (37 parameters): forward + backward, 400 songs",
  group: "model pass",
  baseline: true,
  n: 3,
  warmup: 1,
  fn() {
    const w = initialBlankWeights();
    for (const s of songs) {
      const f = blankForward64(w, s.treble);
      blankBackward64(f, upstream.subarray(0, s.frames * 25));
    }
  },
});

const shapes: [string, Partial<CnnArchitecture>][] = [
  ["CNN, 16 channels, 11 taps 2 frames apart (4665)", {}],
  ["CNN, 8 channels, 23 taps 1 frame apart (4649)", { hidden: 8, radius: 11, dilation: 1 }],
];
for (const [name, shape] of shapes) {
  const model = cnnModel(shape);
  const params = model.init(1);
  Deno.bench({
    name: `${name}: forward + backward, 400 songs`,
    group: "model pass",
    n: 3,
    warmup: 1,
    fn() {
      for (const s of songs) {
        model.forward(params, s).backward(upstream.subarray(0, s.frames * 25));
      }
    },
  });
}
