/**
 * Sample-rate conversion by a rational factor with a polyphase windowed-sinc filter, written for
 * chroma features (the course's chroma is computed at 22050 Hz; recordings come at 44.1 or 48 kHz).
 *
 * Output sample `m` is the band-limited interpolation of the input at time `t = m·from/to`
 * (input samples): `y[m] = Σ_n x[n]·h(t − n)` with the low-pass kernel
 * `h(u) = c·sinc(c·u)·kaiser(u / halfWidth)`, cutoff `c = rolloff·min(1, to/from)` (in units of
 * the input Nyquist frequency) and `halfWidth = zeros / c` input samples. Because `from/to`
 * reduces to `M/L` with small integers, `t` takes only `L` fractional positions: the kernel is
 * tabulated once per phase (`L × taps` weights) and each output sample is one dot product.
 * Samples outside the signal are zero; the output has `ceil(len·to/from)` samples.
 *
 * Why hand-written and not npm `@alexanderolsen/libsamplerate-js` (libsamplerate in WebAssembly,
 * compared in results/recordings/resampler.md, written by tools/resampler_compare.ts, and in
 * lib/audio/resample_bench.ts): its fastest sinc converter takes 4 to 5 times as long (about
 * 2.5 s for 4 minutes of mono 44.1 kHz audio on this machine, most of the 3 s budget of
 * recognizing a song), and its better quality lies where chroma does not look. The default
 * here (8 zero crossings, Kaiser β 8, cutoff 0.8 of the new Nyquist frequency) keeps sines up
 * to 5 kHz at an SNR above 85 dB (31 dB at 7 kHz, the start of the roll-off) and leaves less than
 * −75 dB of tones above 11025 Hz; the chroma it gives differs from the chroma after
 * libsamplerate's best converter by at most 5e-4, as much as libsamplerate's fastest one.
 * lib/audio/resample_test.ts checks the SNR and aliasing against analytic sines and the output
 * against libsamplerate's best converter.
 *
 * Used in notebooks/09_your_recordings.ipynb (through `loadRecording`).
 *
 * @module
 */

/** Options of {@link resample}. */
export interface ResampleOptions {
  /** Zero crossings of the sinc on each side of the kernel centre (default 8). */
  zeros?: number;
  /** Cutoff as a fraction of the lower Nyquist frequency (default 0.8). */
  rolloff?: number;
  /** Kaiser window β (default 8). */
  beta?: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** A tabulated polyphase filter for one rate pair (see the module doc). */
interface Polyphase {
  up: number;
  down: number;
  taps: number;
  /** Index of the first input sample of the window relative to floor(t). */
  first: number;
  /** `up × taps` weights, phase-major. */
  weights: Float32Array;
}

const filterCache = new Map<string, Polyphase>();

function polyphase(from: number, to: number, zeros: number, rolloff: number, beta: number) {
  const key = `${from}/${to}/${zeros}/${rolloff}/${beta}`;
  const cached = filterCache.get(key);
  if (cached) return cached;
  const g = gcd(from, to);
  const up = to / g;
  const down = from / g;
  const c = rolloff * Math.min(1, to / from);
  const halfWidth = zeros / c;
  const first = -Math.floor(halfWidth);
  const taps = 2 * Math.floor(halfWidth) + 2;
  const weights = new Float32Array(up * taps);
  const i0Beta = besselI0(beta);
  for (let p = 0; p < up; p++) {
    const frac = p / up; // t − floor(t) for this phase
    for (let j = 0; j < taps; j++) {
      const u = frac - (first + j); // t − n
      const r = u / halfWidth;
      if (Math.abs(r) >= 1) continue;
      const x = c * u;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      weights[p * taps + j] = c * sinc * besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
    }
  }
  const filter = { up, down, taps, first, weights };
  filterCache.set(key, filter);
  return filter;
}

/**
 * Resamples a signal from `fromRate` to `toRate` Hz (both positive integers) with the
 * polyphase windowed-sinc filter of the module doc. Equal rates return a copy.
 *
 * Used in notebooks/09_your_recordings.ipynb (through `loadRecording`).
 *
 * @example
 * ```ts
 * const x = Float32Array.from({ length: 44100 }, (_, n) => Math.sin(2 * Math.PI * 440 * n / 44100));
 * resample(x, 44100, 22050).length; // 22050
 * ```
 */
export function resample(
  samples: Float32Array,
  fromRate: number,
  toRate: number,
  options: ResampleOptions = {},
): Float32Array {
  for (const [name, v] of [["fromRate", fromRate], ["toRate", toRate]] as const) {
    if (!Number.isInteger(v) || v <= 0) {
      throw new RangeError(`resample: ${name} must be a positive integer in Hz, got ${v}`);
    }
  }
  const { zeros = 8, rolloff = 0.8, beta = 8 } = options;
  if (!(zeros >= 1 && zeros <= 256)) throw new RangeError(`resample: bad zeros ${zeros}`);
  if (!(rolloff > 0 && rolloff <= 1)) throw new RangeError(`resample: bad rolloff ${rolloff}`);
  if (!(beta >= 0)) throw new RangeError(`resample: bad beta ${beta}`);
  if (fromRate === toRate) return samples.slice();
  const { up, down, taps, first, weights } = polyphase(fromRate, toRate, zeros, rolloff, beta);
  const len = samples.length;
  const outLen = Math.ceil((len * toRate) / fromRate);
  const out = new Float32Array(outLen);
  let base = 0; // floor(t) of output sample m, t = m·down/up
  let phase = 0; // m·down − base·up
  for (let m = 0; m < outLen; m++) {
    const w0 = phase * taps;
    const start = base + first;
    let acc = 0;
    if (start >= 0 && start + taps <= len) {
      for (let j = 0; j < taps; j++) acc += weights[w0 + j] * samples[start + j];
    } else {
      for (let j = 0; j < taps; j++) {
        const n = start + j;
        if (n >= 0 && n < len) acc += weights[w0 + j] * samples[n];
      }
    }
    phase += down;
    while (phase >= up) {
      phase -= up;
      base++;
    }
    out[m] = acc;
  }
  return out;
}
