/**
 * STFT-based chroma features as computed by the FMP notebooks (libfmp,
 * `compute_chromagram_from_filename` with `version='STFT'`), re-implemented in
 * plain TypeScript (float64):
 *
 * 1. STFT as `librosa.stft(x, n_fft=4096, hop_length=2048, center=True, pad_mode='constant')`:
 *    the signal is zero-padded by `nFft / 2` samples on both sides, frame `n` covers padded
 *    samples `[n·hop, n·hop + nFft)`, windowed by a periodic Hann window (librosa's
 *    `get_window('hann', nFft, fftbins=True)`); there are `1 + floor(len / hop)` frames.
 * 2. Logarithmic compression `log(1 + γ·|X|²)` with γ = 0.1.
 * 3. librosa's chroma filter bank (`librosa.filters.chroma` with tuning 0, 12 chroma,
 *    `ctroct=5.0`, `octwidth=2`, `norm=2`, `base_c=True`) applied to each frame, as
 *    `librosa.feature.chroma_stft(S=..., tuning=0, norm=None)` does.
 * 4. Each frame L2-normalized as `libfmp.c3.normalize_feature_sequence(X, norm='2')`: frames
 *    whose Euclidean norm is not above the threshold 1e-4 become the unit vector
 *    `ones(12) / sqrt(12)`.
 *
 * The FFT is our own iterative radix-2 complex FFT in float64 (no tfjs): it is exact enough,
 * dependency-free, and fast enough (a full song takes well under a second of FFT time).
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb and notebooks/08_weak_labels_at_scale.ipynb.
 *
 * @module
 */

/**
 * Names of the 12 chroma bins, starting at C (librosa `base_c=True`).
 *
 * @example
 * ```ts
 * CHROMA_NAMES[9]; // "A"
 * ```
 */
export const CHROMA_NAMES: readonly string[] = Object.freeze([
  "C",
  "C#",
  "D",
  "D#",
  "E",
  "F",
  "F#",
  "G",
  "G#",
  "A",
  "A#",
  "B",
]);

/** Options of the chroma pipeline; every field has the FMP/report default. */
export interface ChromaOptions {
  /** Sampling rate of the signal in Hz (default 22050). */
  sampleRate?: number;
  /** FFT/window length in samples, a power of two (default 4096). */
  nFft?: number;
  /** Hop size in samples (default 2048). */
  hop?: number;
  /** Constant γ of the compression log(1 + γ·|X|²) (default 0.1); `null` keeps |X|². */
  gamma?: number | null;
  /** Threshold of the L2 normalization (default 1e-4, as libfmp). */
  threshold?: number;
  /** Name used in error messages (e.g. the source file). */
  name?: string;
  /**
   * Centre and width (octaves) of the filter bank's octave weighting (default 5 and 2, librosa's;
   * see {@link ChromaFilterBankOptions}); a low centre gives a bass chroma.
   */
  octaves?: { ctroct: number; octwidth: number | null };
}

/** Result of {@link computeChroma}. */
export interface Chromagram {
  /** Chroma vectors, frames × 12, each L2-normalized. */
  chroma: number[][];
  /** Feature rate in Hz (`sampleRate / hop`). */
  featureRate: number;
}

/** Options of {@link chromaFilterBank}, with librosa's defaults. */
export interface ChromaFilterBankOptions {
  /** Sampling rate in Hz. */
  sampleRate: number;
  /** FFT length. */
  nFft: number;
  /** Number of chroma bins (default 12). */
  nChroma?: number;
  /** Tuning deviation in fractions of a chroma bin (default 0). */
  tuning?: number;
  /** Centre of the octave dominance window, in octaves above A0 = 27.5 Hz (default 5). */
  ctroct?: number;
  /** Gaussian half-width of the dominance window in octaves (default 2); `null` = flat. */
  octwidth?: number | null;
  /** Start the bank at C instead of A (default true). */
  baseC?: boolean;
}

/**
 * Number of STFT frames librosa produces with `center=True`: `1 + floor(length / hop)`.
 *
 * @example
 * ```ts
 * frameCount(22050, 2048); // 11
 * ```
 */
export function frameCount(length: number, hop: number): number {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`frameCount: length must be a non-negative integer, got ${length}`);
  }
  if (!Number.isInteger(hop) || hop <= 0) {
    throw new RangeError(`frameCount: hop must be a positive integer, got ${hop}`);
  }
  return 1 + Math.floor(length / hop);
}

/**
 * Periodic Hann window of length `n` (as `scipy.signal.get_window('hann', n, fftbins=True)`):
 * `w[k] = 0.5 − 0.5·cos(2πk/n)`.
 *
 * @example
 * ```ts
 * hannWindow(4); // Float64Array [0, 0.5, 1, 0.5]
 * ```
 */
export function hannWindow(n: number): Float64Array {
  if (!Number.isInteger(n) || n <= 0) {
    throw new RangeError(`hannWindow: length must be a positive integer, got ${n}`);
  }
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) w[k] = 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / n);
  return w;
}

/**
 * In-place iterative radix-2 complex FFT (forward, no scaling):
 * `X[k] = Σ_n x[n]·exp(−2πikn/N)`. `re` and `im` must have the same power-of-two length.
 *
 * @example
 * ```ts
 * const re = new Float64Array([1, 0, 0, 0]);
 * const im = new Float64Array(4);
 * fft(re, im); // re = [1, 1, 1, 1], im = [0, 0, 0, 0]
 * ```
 */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (im.length !== n) {
    throw new RangeError(`fft: re and im lengths differ (${n} vs ${im.length})`);
  }
  if (n === 0 || (n & (n - 1)) !== 0) {
    throw new RangeError(`fft: length must be a power of two, got ${n}`);
  }
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i];
      re[i] = re[j];
      re[j] = tr;
      const ti = im[i];
      im[i] = im[j];
      im[j] = ti;
    }
  }
  const twiddles = twiddleTable(n);
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = twiddles.cos[k * step];
        const wi = twiddles.sin[k * step];
        const a = start + k;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

const twiddleCache = new Map<number, { cos: Float64Array; sin: Float64Array }>();

/** cos/sin of −2πk/n for k < n/2, cached per n. */
function twiddleTable(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = twiddleCache.get(n);
  if (!t) {
    const cos = new Float64Array(n / 2);
    const sin = new Float64Array(n / 2);
    for (let k = 0; k < n / 2; k++) {
      cos[k] = Math.cos((2 * Math.PI * k) / n);
      sin[k] = -Math.sin((2 * Math.PI * k) / n);
    }
    t = { cos, sin };
    twiddleCache.set(n, t);
  }
  return t;
}

/**
 * librosa's chroma filter bank (`librosa.filters.chroma`), 12 × (nFft/2 + 1), float64.
 * Each FFT bin k > 0 at frequency f_k = k·sr/nFft is placed at the (fractional) chroma
 * position `12·log2(f_k / (A440/16))`; the weights are Gaussian bumps around every chroma bin
 * with a width of twice the bin spacing (at least one chroma bin), each column L2-normalized,
 * then multiplied by the octave dominance window `exp(−0.5·((octave − ctroct)/octwidth)²)` and
 * rotated so that row 0 is C.
 *
 * @example
 * ```ts
 * const fb = chromaFilterBank({ sampleRate: 22050, nFft: 4096 });
 * fb.length; // 12
 * fb[0].length; // 2049
 * ```
 */
export function chromaFilterBank(options: ChromaFilterBankOptions): Float64Array[] {
  const {
    sampleRate,
    nFft,
    nChroma = 12,
    tuning = 0,
    ctroct = 5.0,
    octwidth = 2,
    baseC = true,
  } = options;
  if (!(sampleRate > 0)) throw new RangeError(`chromaFilterBank: bad sampleRate ${sampleRate}`);
  if (!Number.isInteger(nFft) || nFft < 2) {
    throw new RangeError(`chromaFilterBank: bad nFft ${nFft}`);
  }
  if (!Number.isInteger(nChroma) || nChroma < 1) {
    throw new RangeError(`chromaFilterBank: bad nChroma ${nChroma}`);
  }
  const a440 = 440.0 * 2 ** (tuning / nChroma);
  // Fractional chroma-bin position of every FFT bin (bin 0 made up: 1.5 octaves below bin 1).
  const frqbins = new Float64Array(nFft);
  for (let k = 1; k < nFft; k++) {
    const f = (k * sampleRate) / nFft;
    frqbins[k] = nChroma * Math.log2(f / (a440 / 16));
  }
  frqbins[0] = frqbins[1] - 1.5 * nChroma;
  const width = new Float64Array(nFft);
  for (let k = 0; k < nFft - 1; k++) width[k] = Math.max(frqbins[k + 1] - frqbins[k], 1.0);
  width[nFft - 1] = 1;
  const half = Math.round(nChroma / 2);
  const nBins = Math.floor(1 + nFft / 2);
  const bank: Float64Array[] = Array.from({ length: nChroma }, () => new Float64Array(nBins));
  const column = new Float64Array(nChroma);
  for (let k = 0; k < nBins; k++) {
    let sumSq = 0;
    for (let c = 0; c < nChroma; c++) {
      const raw = frqbins[k] - c + half + 10 * nChroma;
      const d = raw - nChroma * Math.floor(raw / nChroma) - half; // Python-style remainder
      const v = Math.exp(-0.5 * ((2 * d) / width[k]) ** 2);
      column[c] = v;
      sumSq += v * v;
    }
    const norm = Math.sqrt(sumSq);
    const scale = norm < Number.MIN_VALUE ? 1 : 1 / norm;
    const dominance = octwidth === null
      ? 1
      : Math.exp(-0.5 * ((frqbins[k] / nChroma - ctroct) / octwidth) ** 2);
    const shift = baseC ? 3 * Math.floor(nChroma / 12) : 0;
    for (let c = 0; c < nChroma; c++) {
      // np.roll(wts, -shift, axis=0): new row r holds old row (r + shift) mod nChroma.
      const row = (c - shift + nChroma) % nChroma;
      bank[row][k] = column[c] * scale * dominance;
    }
  }
  return bank;
}

/**
 * L2-normalizes each frame as `libfmp.c3.normalize_feature_sequence(X, norm='2')`: a frame
 * whose norm is not above `threshold` (default 1e-4) is replaced by `ones(K)/sqrt(K)`.
 * Returns new arrays; the input is not modified.
 *
 * @example
 * ```ts
 * normalizeFrames([[3, 4], [0, 0]]); // [[0.6, 0.8], [0.7071.., 0.7071..]]
 * ```
 */
export function normalizeFrames(
  frames: ArrayLike<number>[],
  options: { threshold?: number } = {},
): number[][] {
  const threshold = options.threshold ?? 1e-4;
  return frames.map((frame) => {
    let s = 0;
    for (let i = 0; i < frame.length; i++) s += frame[i] * frame[i];
    s = Math.sqrt(s);
    const out = new Array<number>(frame.length);
    if (s > threshold) {
      for (let i = 0; i < frame.length; i++) out[i] = frame[i] / s;
    } else {
      out.fill(1 / Math.sqrt(frame.length));
    }
    return out;
  });
}

/**
 * Chroma features of a mono signal, libfmp/librosa pipeline (see the module doc):
 * centered STFT (periodic Hann, zero padding), `log(1 + γ|X|²)`, librosa chroma filter bank,
 * per-frame L2 normalization. Returns `1 + floor(len / hop)` frames.
 * Throws if the signal contains a non-finite sample (naming `options.name` and the index).
 *
 * @example
 * ```ts
 * const sr = 22050;
 * const x = Float32Array.from({ length: sr }, (_, n) => Math.sin(2 * Math.PI * 440 * n / sr));
 * const { chroma, featureRate } = computeChroma(x, { sampleRate: sr });
 * chroma.length; // 11
 * featureRate; // 10.7666...
 * ```
 */
export function computeChroma(samples: ArrayLike<number>, options: ChromaOptions = {}): Chromagram {
  const {
    sampleRate = 22050,
    nFft = 4096,
    hop = 2048,
    gamma = 0.1,
    threshold = 1e-4,
    name = "signal",
  } = options;
  if (!Number.isInteger(nFft) || nFft < 2 || (nFft & (nFft - 1)) !== 0) {
    throw new RangeError(`computeChroma(${name}): nFft must be a power of two, got ${nFft}`);
  }
  if (!Number.isInteger(hop) || hop <= 0) {
    throw new RangeError(`computeChroma(${name}): hop must be a positive integer, got ${hop}`);
  }
  if (gamma !== null && !(gamma > 0)) {
    throw new RangeError(`computeChroma(${name}): gamma must be positive or null, got ${gamma}`);
  }
  const len = samples.length;
  if (len === 0) throw new RangeError(`computeChroma(${name}): the signal is empty`);
  for (let i = 0; i < len; i++) {
    if (!Number.isFinite(samples[i])) {
      throw new RangeError(`computeChroma(${name}): sample ${i} is not finite (${samples[i]})`);
    }
  }
  const bank = chromaFilterBank({ sampleRate, nFft, ...options.octaves });
  const window = hannWindow(nFft);
  const nBins = nFft / 2 + 1;
  const pad = Math.floor(nFft / 2);
  const nFrames = frameCount(len, hop);
  const re = new Float64Array(nFft);
  const im = new Float64Array(nFft);
  const spec = new Float64Array(nBins);
  const raw: Float64Array[] = [];
  for (let n = 0; n < nFrames; n++) {
    const offset = n * hop - pad; // index in the unpadded signal of the frame's first sample
    for (let k = 0; k < nFft; k++) {
      const i = offset + k;
      re[k] = i >= 0 && i < len ? samples[i] * window[k] : 0;
      im[k] = 0;
    }
    fft(re, im);
    for (let k = 0; k < nBins; k++) {
      const power = re[k] * re[k] + im[k] * im[k];
      spec[k] = gamma === null ? power : Math.log1p(gamma * power);
    }
    const c = new Float64Array(bank.length);
    for (let p = 0; p < bank.length; p++) {
      const row = bank[p];
      let acc = 0;
      for (let k = 0; k < nBins; k++) acc += row[k] * spec[k];
      c[p] = acc;
    }
    raw.push(c);
  }
  return { chroma: normalizeFrames(raw, { threshold }), featureRate: sampleRate / hop };
}
