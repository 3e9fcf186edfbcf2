/**
 * Aligns a chord sequence (a parsed chord text) to a recording's model output: start and end
 * time of every chord and a confidence, from the soft-DTW expected alignment of
 * {@linkcode sequenceSoftAlign}.
 *
 * - Cost of chord `k` at frame `n`: `C[n][k] = −log Σ_{c ∈ classes(k)} p_n(c)` with the model's
 *   per-frame probabilities and the outputs `modelClasses` allows for the chord; a chord
 *   without information (`N` for a model without an `N` output, `X`) costs `log L` (the uniform
 *   probability over the L outputs), as do frames outside the text in subsequence mode.
 * - Boundaries: frame `n` stands for the time `n / frameRate` (the centre of the STFT frame,
 *   librosa's `center=True`), so a change between frames `b − 1` and `b` is at
 *   `(b − ½) / frameRate`. With `E` the expected alignment, the probability that chord `k` has
 *   started by frame `n` is `S_k(n) = Σ_{j ≥ k} E[n][j]` (plus the "after" state), and its
 *   increments are the distribution of the boundary. The reported boundary is its median; the
 *   **confidence** of a boundary is the probability mass of that distribution within
 *   `± tolerance` seconds (default 0.3 s) of the reported time: 1 when the expected alignment is
 *   concentrated there, low when the boundary could as well be elsewhere.
 * - The first chord starts at 0 and the last ends at `duration`, unless `subsequence` is set
 *   (then those two boundaries are estimated like the others).
 *
 * Used in notebooks/09_your_recordings.ipynb and by `deno task align` (tools/align.ts).
 *
 * @module
 */
import { type ChordToken, modelClasses, parseChordText } from "./chord_text.ts";
import { sequenceSoftAlign } from "./sequence_align.ts";

/** Options of {@link alignChords}. */
export interface AlignChordsOptions {
  /** Frames per second of the model output. */
  frameRate: number;
  /** Soft-min temperature γ of the soft-DTW (default 1: the HMM posterior of the costs). */
  gamma?: number;
  /** The text covers only part of the recording (default false). */
  subsequence?: boolean;
  /** Half-width in seconds of the window the confidence is measured in (default 0.3). */
  tolerance?: number;
  /** Duration of the recording in seconds (default: frames / frameRate). */
  duration?: number;
}

/** One chord of the text with its place in the recording. */
export interface AlignedChord {
  /** The chord as written. */
  text: string;
  /** The chord in Harte syntax. */
  harte: string;
  /** Start time in seconds. */
  start: number;
  /** End time in seconds. */
  end: number;
  /** Confidence of the start boundary in [0, 1] (1 for a start fixed at 0). */
  confidence: number;
  /** Confidence of the end boundary in [0, 1] (1 for an end fixed at the duration). */
  endConfidence: number;
}

/** Result of {@link alignChords}. */
export interface ChordAlignment {
  /** The chords in order. */
  chords: AlignedChord[];
  /** Expected alignment, frames × chords. */
  expected: Float64Array[];
  /** Soft-DTW value. */
  value: number;
}

function logSumExp(row: ArrayLike<number>, idx: number[]): number {
  let m = -Infinity;
  for (const i of idx) m = Math.max(m, row[i]);
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (const i of idx) s += Math.exp(row[i] - m);
  return m + Math.log(s);
}

/** Median and confidence of a boundary from its cumulative probability per frame. */
function boundary(
  cumulative: Float64Array,
  frameRate: number,
  tolerance: number,
  duration: number,
): { time: number; confidence: number } {
  const N = cumulative.length;
  // P(boundary before frame b) = cumulative[b] − cumulative[b − 1], b = 1..N−1 (+ mass at 0).
  const mass = new Float64Array(N + 1);
  mass[0] = cumulative[0];
  for (let b = 1; b < N; b++) mass[b] = Math.max(0, cumulative[b] - cumulative[b - 1]);
  mass[N] = Math.max(0, 1 - cumulative[N - 1]);
  let acc = 0;
  let median = 0;
  for (let b = 0; b <= N; b++) {
    acc += mass[b];
    if (acc >= 0.5) {
      median = b;
      break;
    }
  }
  // b = 0: started before the first frame (time 0); b = N: not before the end (duration).
  const time = median === 0
    ? 0
    : median === N
    ? duration
    : Math.min(duration, (median - 0.5) / frameRate);
  const reach = tolerance * frameRate;
  let confidence = 0;
  for (let b = 0; b <= N; b++) if (Math.abs(b - median) <= reach + 1e-9) confidence += mass[b];
  return { time, confidence: Math.min(1, confidence) };
}

/**
 * Aligns `chords` (a chord text or its parsed tokens) to a model's per-frame log-probabilities
 * over `labels` (see the module doc). Errors name the problem (a chord the model cannot
 * express, more chords than frames, bad options).
 *
 * Used in notebooks/09_your_recordings.ipynb and by tools/align.ts.
 *
 * @example
 * ```ts
 * const labels = ["C:maj", "A:min"];
 * const lp = [[-0.1, -2.3], [-0.1, -2.3], [-2.3, -0.1], [-2.3, -0.1]].map((r) => Float64Array.from(r));
 * const { chords } = alignChords(lp, labels, "C Am", { frameRate: 10 });
 * chords[1].start; // 0.15: between frames 1 and 2
 * ```
 */
export function alignChords(
  logProbs: Float64Array[],
  labels: readonly string[],
  chords: string | ChordToken[],
  options: AlignChordsOptions,
): ChordAlignment {
  const { frameRate, gamma = 1, subsequence = false, tolerance = 0.3 } = options;
  if (!(frameRate > 0)) throw new RangeError(`alignChords: bad frameRate ${frameRate}`);
  if (!(tolerance >= 0)) throw new RangeError(`alignChords: bad tolerance ${tolerance}`);
  const tokens = typeof chords === "string" ? parseChordText(chords) : chords;
  const N = logProbs.length;
  if (N === 0) throw new RangeError("alignChords: the recording has no frames");
  const L = labels.length;
  for (let n = 0; n < N; n++) {
    if (logProbs[n].length !== L) {
      throw new TypeError(`alignChords: frame ${n} has ${logProbs[n].length} values, ${L} labels`);
    }
  }
  const duration = options.duration ?? N / frameRate;
  const uniform = Math.log(L);
  const classes = tokens.map((t) => {
    try {
      return modelClasses(t.harte, labels);
    } catch (e) {
      throw new RangeError(
        `chord "${t.text}" (line ${t.line}, column ${t.column}): ${
          e instanceof Error ? e.message : e
        }`,
      );
    }
  });
  const cost = logProbs.map((row) =>
    Float64Array.from(classes, (set) => set === null ? uniform : -logSumExp(row, set))
  );
  const { value, expected, after } = sequenceSoftAlign(cost, {
    gamma,
    subsequence,
    outsideCost: uniform,
  });
  const K = tokens.length;
  // started[k][n] = P(chord k has started by frame n) = Σ_{j ≥ k} E[n][j] + P(after), suffix
  // sums of each row of E (one pass per frame).
  const started = Array.from({ length: K + 1 }, () => new Float64Array(N));
  for (let n = 0; n < N; n++) {
    let s = after ? after[n] : 0;
    started[K][n] = Math.min(1, s);
    for (let j = K - 1; j >= 0; j--) {
      s += expected[n][j];
      started[j][n] = Math.min(1, s);
    }
  }
  const bounds = started.map((cum, k) =>
    !subsequence && (k === 0 || k === K)
      ? { time: k === 0 ? 0 : duration, confidence: 1 }
      : boundary(cum, frameRate, tolerance, duration)
  );
  return {
    chords: tokens.map((t, k) => ({
      text: t.text,
      harte: t.harte,
      start: bounds[k].time,
      end: Math.max(bounds[k].time, bounds[k + 1].time),
      confidence: bounds[k].confidence,
      endConfidence: bounds[k + 1].confidence,
    })),
    expected,
    value,
  };
}
