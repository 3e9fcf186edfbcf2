/**
 * Writes results/recordings/resampler.md: the quality and speed of lib/audio's resampler against
 * npm `@alexanderolsen/libsamplerate-js` (libsamplerate in WebAssembly; fastest, medium and best
 * sinc converters), for 44.1 and 48 kHz to 22050 Hz (the course's chroma rate). Quality: SNR of
 * resampled sines against the sine sampled at 22050 Hz, and the level left of tones above the new
 * Nyquist frequency (aliasing). Speed: median of 3 runs on 60 s of mono audio, as a ratio to
 * lib/audio's time measured in the same process (the machine is shared, so only ratios are kept).
 *
 * Run: `deno run -A tools/resampler_compare.ts [--out FILE]`.
 *
 * @module
 */
import LibSampleRate from "@alexanderolsen/libsamplerate-js";
import { join } from "node:path";
import { resample } from "../lib/audio/mod.ts";
import { computeChroma } from "../lib/chords/mod.ts";
import { mulberry32 } from "../lib/chords/mod.ts";
import { levelDb, sine, snrDb } from "../lib/audio/testdata/signals.ts";
import { ROOT } from "./notebooks.ts";

type Converter = { name: string; run: (x: Float32Array, from: number) => Promise<Float32Array> };

const lsr = (
  name: string,
  type: (typeof LibSampleRate.ConverterType)[keyof typeof LibSampleRate.ConverterType],
): Converter => ({
  name,
  run: async (x, from) => {
    const src = await LibSampleRate.create(1, from, 22050, { converterType: type });
    try {
      return src.simple(x);
    } finally {
      src.destroy();
    }
  },
});

const CONVERTERS: Converter[] = [
  {
    name: "lib/audio resample (8 zeros, Kaiser β 8, cutoff 0.8)",
    run: (x, from) => Promise.resolve(resample(x, from, 22050)),
  },
  lsr("libsamplerate SRC_SINC_FASTEST", LibSampleRate.ConverterType.SRC_SINC_FASTEST),
  lsr("libsamplerate SRC_SINC_MEDIUM_QUALITY", LibSampleRate.ConverterType.SRC_SINC_MEDIUM_QUALITY),
  lsr("libsamplerate SRC_SINC_BEST_QUALITY", LibSampleRate.ConverterType.SRC_SINC_BEST_QUALITY),
];
const PASS = [110, 440, 2000, 5000, 7000, 9000];
const STOP = [11600, 13000, 16000, 20000];

async function main() {
  const args = [...Deno.args];
  const o = args.indexOf("--out");
  const out = o >= 0 ? args[o + 1] : join(ROOT, "results", "recordings", "resampler.md");
  const lines: string[] = [
    "# Resampling to 22050 Hz: lib/audio against libsamplerate",
    "",
    "Written by `deno run -A tools/resampler_compare.ts`. SNR (dB) of a resampled 1 s sine",
    "against the same sine sampled at 22050 Hz (200 samples skipped at both ends); aliasing:",
    "level (dB re a full-scale sine) left of a tone above 11025 Hz. Time: median of 3 runs on 60 s",
    "of mono audio, as a multiple of lib/audio's time in the same run.",
    "",
  ];
  for (const from of [44100, 48000]) {
    lines.push(`## ${from} Hz → 22050 Hz`, "");
    lines.push(
      `| converter | ${PASS.map((f) => `SNR ${f} Hz`).join(" | ")} | ${
        STOP.map((f) => `alias ${f} Hz`).join(" | ")
      } | time ×|`,
    );
    lines.push(`|---|${PASS.map(() => "--:").join("|")}|${STOP.map(() => "--:").join("|")}|--:|`);
    const long = sine(from * 60, 440, from, 0.5);
    let base = 0;
    for (const c of CONVERTERS) {
      const snr = [];
      for (const f of PASS) {
        snr.push(snrDb(await c.run(sine(from, f, from), from), sine(22050, f, 22050), 200));
      }
      const alias = [];
      for (const f of STOP) alias.push(levelDb(await c.run(sine(from, f, from), from), 200));
      const times = [];
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now();
        await c.run(long, from);
        times.push(performance.now() - t0);
      }
      const t = times.sort((a, b) => a - b)[1];
      if (base === 0) base = t;
      lines.push(
        `| ${c.name} | ${snr.map((v) => v.toFixed(0)).join(" | ")} | ${
          alias.map((v) => v.toFixed(0)).join(" | ")
        } | ${(t / base).toFixed(1)} |`,
      );
    }
    lines.push("");
  }
  // What the features see: chroma (22050 Hz, the course's pipeline) of 20 s of triads with 12
  // harmonics each (partials up to 10 kHz and beyond) plus noise, resampled from 44.1 kHz.
  const rand = mulberry32(20);
  const from = 44100;
  const x = new Float32Array(from * 20);
  for (let seg = 0; seg < 20; seg++) {
    const root = 110 * 2 ** (Math.floor(rand() * 12) / 12);
    for (const ratio of [1, 2 ** (4 / 12), 2 ** (7 / 12)]) {
      for (let h = 1; h <= 12; h++) {
        const f = root * ratio * h;
        for (let i = seg * from; i < (seg + 1) * from; i++) {
          x[i] += (0.1 / h) * Math.sin((2 * Math.PI * f * i) / from);
        }
      }
    }
  }
  for (let i = 0; i < x.length; i++) x[i] += 0.01 * (rand() - 0.5);
  const chroma = async (c: Converter) => computeChroma(await c.run(x, from)).chroma.flat();
  const reference = await chroma(CONVERTERS[3]);
  lines.push(
    "## Chroma",
    "",
    "Largest absolute difference of a chroma value (frames L2-normalized) from the chroma",
    "computed after libsamplerate's best converter, on 20 s of harmonic triads (12 partials",
    "each) with noise at 44.1 kHz:",
    "",
    "| converter | max abs chroma difference |",
    "|---|--:|",
  );
  for (const c of CONVERTERS.slice(0, 3)) {
    const ch = await chroma(c);
    let d = 0;
    for (let i = 0; i < ch.length; i++) d = Math.max(d, Math.abs(ch[i] - reference[i]));
    lines.push(`| ${c.name} | ${d.toExponential(1)} |`);
  }
  lines.push("");
  await Deno.mkdir(join(out, ".."), { recursive: true });
  await Deno.writeTextFile(out, lines.join("\n"));
  console.log(lines.join("\n"));
}

if (import.meta.main) await main();
