/**
 * Test signals and measures shared by lib/audio/resample_test.ts and tools/resampler_compare.ts:
 * sines, SNR against an analytic reference, level relative to a full-scale sine.
 *
 * @module
 */

/** `n` samples of `a·sin(2πf·i/sr)`. */
export function sine(n: number, f: number, sr: number, a = 1): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = a * Math.sin((2 * Math.PI * f * i) / sr);
  return x;
}

/** SNR in dB of `y` against `ref`, skipping `skip` samples at both ends (edge effects). */
export function snrDb(y: Float32Array, ref: Float32Array, skip: number): number {
  let s = 0;
  let e = 0;
  for (let i = skip; i < Math.min(y.length, ref.length) - skip; i++) {
    s += ref[i] * ref[i];
    e += (y[i] - ref[i]) ** 2;
  }
  return 10 * Math.log10(s / e);
}

/** RMS level in dB relative to a full-scale sine, skipping `skip` samples at both ends. */
export function levelDb(y: Float32Array, skip: number): number {
  let s = 0;
  for (let i = skip; i < y.length - skip; i++) s += y[i] * y[i];
  return 20 * Math.log10(Math.sqrt(s / (y.length - 2 * skip)) / Math.SQRT1_2);
}
