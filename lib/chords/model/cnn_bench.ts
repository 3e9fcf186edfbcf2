/**
 * Benchmarks of the CNN's forward and backward pass (`cnn.ts`).
 *
 * Group "cnn kernel": the default shape's forward + backward on one synthetic 2000-frame song
 * (about 3 minutes of music at 10.77 frames/s), the TypeScript reference (the baseline) against
 * the WebAssembly SIMD kernel (`_cnn_wasm.ts`), so deno bench prints how many times faster the
 * kernel is. Both include the input normalization (`cnnInputs`, TypeScript in both).
 *
 * Group "model pass": the CNN's forward and backward pass against dChord with an N output
 * (`dchord_blank.ts`, the Billboard study's other model) over the same frames: every frame of the
 * 400 Billboard training songs at 10.77 frames/s (about 0.87 M frames, the work of one training
 * epoch without the losses), forward then backward with a fixed upstream gradient. dChord is
 * the baseline, so deno bench prints how many times slower each CNN shape is; the time per
 * million frames is the bench's time × 10⁶ / the frame count it prints. Needs the Billboard
 * songs (`../shared/data/billboard`; the first run builds the feature cache, about a minute). The
 * CNN runs on each kernel.
 *
 * The last entry is the same network (default shape) in TensorFlow.js on its WebAssembly
 * backend (float32, SIMD, one thread), to answer whether tfjs would train it faster. tfjs-wasm
 * has no gradient of a convolution's filter (`Conv2DBackpropFilter` is not registered), so the
 * convolution is a matrix product of each song's windows (frames × 24 T, built per song inside
 * the timing, as the float64 code builds them) with a 24 T × H matrix, then bias, ReLU, the
 * 1 × 1 layer as a product, log-softmax, and `tf.variableGrads` of the upstream gradient's dot
 * product with the log-probabilities; the gradients are read back.
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
import { type CnnArchitecture, type CnnKernel, cnnModel } from "./cnn.ts";
import { mulberry32 } from "../random.ts";
import * as tf from "../../deps/tfjs.ts";
import { useBackend } from "../training/backend_tf.ts";

{
  const F = 2000, r = mulberry32(7);
  const part = () => Float64Array.from({ length: F * 12 }, () => (r() < 0.2 ? 0 : 3 * r() ** 2));
  const song = { bass: part(), treble: part() };
  const G = Float64Array.from({ length: F * 25 }, () => (r() - 0.5) / 1000);
  for (const kernel of ["ts", "wasm"] as const) {
    const model = cnnModel({}, { kernel });
    const params = model.init(1);
    Deno.bench({
      name: `CNN (4665), ${kernel}: forward + backward, one 2000-frame song`,
      group: "cnn kernel",
      baseline: kernel === "ts",
      fn() {
        model.forward(params, song).backward(G);
      },
    });
  }
}

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
  n: 2,
  warmup: 1,
  fn() {
    const w = initialBlankWeights();
    for (const s of songs) {
      const f = blankForward64(w, s.treble);
      blankBackward64(f, upstream.subarray(0, s.frames * 25));
    }
  },
});

const shapes: [string, Partial<CnnArchitecture>, CnnKernel][] = [
  ["CNN, 16 channels, 11 taps 2 frames apart (4665), wasm", {}, "wasm"],
  ["CNN, 16 channels, 11 taps 2 frames apart (4665), ts", {}, "ts"],
];
for (const [name, shape, kernel] of shapes) {
  const model = cnnModel(shape, { kernel });
  const params = model.init(1);
  Deno.bench({
    name: `${name}: forward + backward, 400 songs`,
    group: "model pass",
    n: 2,
    warmup: 1,
    fn() {
      for (const s of songs) {
        model.forward(params, s).backward(upstream.subarray(0, s.frames * 25));
      }
    },
  });
}

await useBackend("wasm");
{
  const { hidden: H, radius: R, dilation: d } = cnnModel().architecture;
  const T = 2 * R + 1, WL = 24 * T;
  const W = tf.variable(tf.randomNormal([WL, H], 0, Math.sqrt(2 / WL)));
  const b = tf.variable(tf.zeros([H]));
  const V = tf.variable(tf.randomNormal([H, 25], 0, Math.sqrt(2 / (H + 25))));
  const c = tf.variable(tf.zeros([25]));
  Deno.bench({
    name: "the default CNN in tfjs, wasm backend (float32): forward + backward, 400 songs",
    group: "model pass",
    n: 2,
    warmup: 1,
    async fn() {
      for (const s of songs) {
        const F = s.frames, win = new Float32Array(F * WL);
        for (let f = 0; f < F; f++) {
          for (let t = 0; t < T; t++) {
            const g = f + (t - R) * d;
            if (g < 0 || g >= F) continue;
            for (let k = 0; k < 12; k++) {
              win[f * WL + t * 24 + k] = s.bass[g * 12 + k];
              win[f * WL + t * 24 + 12 + k] = s.treble[g * 12 + k];
            }
          }
        }
        const x = tf.tensor2d(win, [F, WL]);
        const G = tf.tensor2d(Float32Array.from(upstream.subarray(0, F * 25)), [F, 25]);
        const { value, grads } = tf.variableGrads(() => {
          const h = tf.relu(tf.add(tf.matMul(x, W), b));
          return tf.sum(tf.mul(tf.logSoftmax(tf.add(tf.matMul(h, V), c)), G)) as tf.Scalar;
        });
        await Promise.all(Object.values(grads).map((g) => g.data()));
        tf.dispose([x, G, value, ...Object.values(grads)]);
      }
    },
  });
}
