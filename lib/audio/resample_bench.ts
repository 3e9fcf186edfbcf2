/**
 * Speed of resample.ts against npm `@alexanderolsen/libsamplerate-js` (libsamplerate in
 * WebAssembly), on 20 s of a mono 44.1 kHz signal resampled to 22050 Hz: this module's
 * default filter is the baseline; libsamplerate's fastest and best sinc converters are compared
 * to it, so the ratios deno bench prints are how many times slower they are. Quality: see
 * resample_test.ts and results/recordings/resampler.md.
 *
 * Run: `deno bench -A --import-map=tools/import_map_offline.json lib/audio/resample_bench.ts`.
 *
 * @module
 */
import LibSampleRate from "@alexanderolsen/libsamplerate-js";
import { resample } from "./resample.ts";

const RATE = 44100;
const x = new Float32Array(RATE * 20);
for (let i = 0; i < x.length; i++) {
  x[i] = 0.3 * Math.sin((2 * Math.PI * 220 * i) / RATE) +
    0.2 * Math.sin((2 * Math.PI * 3300 * i) / RATE);
}

Deno.bench({
  name: "resample.ts (polyphase windowed sinc, 8 zeros)",
  group: "20 s 44.1 kHz → 22050 Hz",
  baseline: true,
  fn: () => {
    resample(x, RATE, 22050);
  },
});

for (
  const [name, type] of [
    ["libsamplerate SRC_SINC_FASTEST", LibSampleRate.ConverterType.SRC_SINC_FASTEST],
    ["libsamplerate SRC_SINC_BEST_QUALITY", LibSampleRate.ConverterType.SRC_SINC_BEST_QUALITY],
  ] as const
) {
  const src = await LibSampleRate.create(1, RATE, 22050, { converterType: type });
  Deno.bench({
    name,
    group: "20 s 44.1 kHz → 22050 Hz",
    fn: () => {
      src.simple(x);
    },
  });
}
