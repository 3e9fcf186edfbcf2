/**
 * Tests of resample.ts against analytic signals: a sine resampled from 44.1 and 48 kHz to
 * 22050 Hz equals the sine sampled at 22050 Hz (SNR), tones above the new Nyquist frequency are
 * removed (aliasing), and the result agrees with libsamplerate's best converter (npm
 * `@alexanderolsen/libsamplerate-js`, an independent implementation) on a band-limited mixture.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import LibSampleRate from "@alexanderolsen/libsamplerate-js";
import { resample } from "./resample.ts";
import { levelDb, sine, snrDb } from "./testdata/signals.ts";

for (const from of [44100, 48000, 32000]) {
  Deno.test(`resample ${from} → 22050: sines to 5 kHz at SNR > 80 dB, 7 kHz > 25 dB`, () => {
    for (const [f, min] of [[55, 80], [440, 80], [2000, 80], [5000, 80], [7000, 25]]) {
      const y = resample(sine(from, f, from), from, 22050);
      assertEquals(y.length, 22050);
      const snr = snrDb(y, sine(22050, f, 22050), 200);
      assert(snr > min, `${f} Hz: SNR ${snr.toFixed(1)} dB`);
    }
  });
}

Deno.test("resample 44100 → 22050 removes tones above the new Nyquist frequency (< −60 dB)", () => {
  for (const f of [11600, 13000, 16000, 20000]) {
    const level = levelDb(resample(sine(44100, f, 44100), 44100, 22050), 200);
    assert(level < -60, `${f} Hz aliases at ${level.toFixed(1)} dB`);
  }
});

Deno.test("resample agrees with libsamplerate (SRC_SINC_BEST_QUALITY) within −70 dB", async () => {
  const n = 48000;
  const x = new Float32Array(n);
  for (const [f, a] of [[110, 0.3], [660, 0.2], [1500, 0.2], [3100, 0.1]]) {
    const s = sine(n, f, 48000);
    for (let i = 0; i < n; i++) x[i] += a * s[i];
  }
  const src = await LibSampleRate.create(1, 48000, 22050, {
    converterType: LibSampleRate.ConverterType.SRC_SINC_BEST_QUALITY,
  });
  const ref = src.simple(x);
  src.destroy();
  const y = resample(x, 48000, 22050);
  // libsamplerate's output is delayed by nothing and has the same length up to one sample.
  assert(Math.abs(ref.length - y.length) <= 1, `${ref.length} vs ${y.length}`);
  const snr = snrDb(y, ref, 500);
  assert(snr > 70, `SNR against libsamplerate ${snr.toFixed(1)} dB`);
});

Deno.test("resample: equal rates copy, bad rates are named", () => {
  const x = new Float32Array([1, 2, 3]);
  const y = resample(x, 8000, 8000);
  assertEquals(Array.from(y), [1, 2, 3]);
  assert(y !== x);
  assertThrows(() => resample(x, 44100.5, 22050), RangeError, "fromRate");
  assertThrows(() => resample(x, 44100, 0), RangeError, "toRate");
});
