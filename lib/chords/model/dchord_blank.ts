/**
 * dChord with a blank: the CTC variant of the report's template chord recognizer, in float64.
 *
 * The 24 chord outputs are those of dChord (log compression with θ, L2 normalization with
 * threshold, the shared major and minor templates rolled to the 12 roots; see `dchord.ts`), and
 * a 25th output, the CTC blank `ε` (index {@linkcode BLANK} = 24), has a template of its own:
 * 12 weights `t_ε`, not rolled (a blank has no root), so the model has 25 + 12 = 37 parameters.
 * The output is the log-softmax over the 25 scores, `log q = s − log Σ exp(s)`, which is what
 * the CTC loss reads.
 *
 * Initialization of the blank template: `t_ε = (1/4, …, 1/4)`, the same total weight as a
 * binary triad (three ones) spread evenly over the 12 pitch classes. On a normalized feature
 * `x''` (non-negative, `||x''||₂ = 1`) its score is `||x''||₁ / 4`: 0.25 for a single pitch
 * class, 0.43 for a clean triad (where the matching chord scores √3 ≈ 1.73) and 0.87 for a
 * flat frame (silence, noise), exactly the score of every triad there. So at the start the
 * blank is neutral: it wins on no chordal frame, ties the chords on frames without harmony
 * (what CTC's "nothing new here" should take), and has no pitch preference that training
 * would first have to unlearn.
 *
 * Decoding for the F1 of Table 4.1: per frame the best of the 24 chords, the blank ignored. The
 * 24 chord scores are dChord's, so this is `predictChords` of dchord.ts on the same weights (the
 * softmax over 24 and the log-softmax over 25 rank the chords alike). The share of frames whose
 * best output overall is the blank is reported as the blank rate ({@linkcode blankRate}).
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { blankForward64, initialBlankWeights } from "./dchord_blank.ts";
 * const f = blankForward64(initialBlankWeights(), new Float64Array(12).fill(1));
 * f.logProbabilities.length; // 25
 * ```
 *
 * @module
 */
import { checkWeights, type DChordWeights, initialWeights } from "./dchord.ts";
import { features64, flatFrames, foldTemplateGrad, thetaGrad } from "./layers64.ts";

/** Index of the blank output (after the 24 chords). */
export const BLANK = 24;

/** Number of outputs of the blank model (24 chords + blank). */
export const BLANK_CLASSES = 25;

/** Initial value of every weight of the blank template (see the module doc). */
export const BLANK_INIT = 0.25;

/** The 37 parameters of dChord with a blank. */
export interface BlankWeights extends DChordWeights {
  /** Blank template (12 weights, pitch classes C..B, not rolled). */
  blank: number[];
}

/**
 * The initial weights: dChord's (θ = 0, binary triads) and the flat blank template
 * {@linkcode BLANK_INIT} (see the module doc for why).
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { initialBlankWeights } from "./dchord_blank.ts";
 * initialBlankWeights().blank; // twelve times 0.25
 * ```
 */
export function initialBlankWeights(base: DChordWeights = initialWeights()): BlankWeights {
  return { ...checkWeights(base), blank: new Array(12).fill(BLANK_INIT) };
}

/**
 * Checks a blank-model weight snapshot and returns a copy; throws a `TypeError`/`RangeError`
 * naming the bad field.
 *
 * @example
 * ```ts
 * import { checkBlankWeights, initialBlankWeights } from "./dchord_blank.ts";
 * checkBlankWeights(initialBlankWeights()).blank.length; // 12
 * ```
 */
export function checkBlankWeights(weights: BlankWeights): BlankWeights {
  const base = checkWeights(weights);
  const b = weights.blank;
  if (!Array.isArray(b) || b.length !== 12) {
    throw new TypeError(
      `weights.blank must be an array of 12 numbers, got ${
        Array.isArray(b) ? `length ${b.length}` : typeof b
      }`,
    );
  }
  b.forEach((x, i) => {
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new RangeError(`weights.blank[${i}] must be a finite number, got ${x}`);
    }
  });
  return { ...base, blank: [...b] };
}

/**
 * The 25 × 12 template matrix, row-major: rows 0..11 the major template rolled to roots C..B,
 * rows 12..23 the minor one, row 24 the blank template.
 */
function templates25(w: BlankWeights): Float64Array {
  const T = new Float64Array(BLANK_CLASSES * 12);
  for (let r = 0; r < 12; r++) {
    for (let k = 0; k < 12; k++) {
      const j = (k - r + 12) % 12;
      T[r * 12 + k] = w.major[j];
      T[(12 + r) * 12 + k] = w.minor[j];
    }
  }
  T.set(w.blank, BLANK * 12);
  return T;
}

/** Intermediate values of {@linkcode blankForward64}, needed by {@linkcode blankBackward64}. */
export interface BlankForward64 {
  /** Number of frames F. */
  frames: number;
  /** The weights used. */
  weights: BlankWeights;
  /** Input chroma, F × 12. */
  chroma: Float64Array;
  /** Normalized features `x''`, F × 12. */
  features: Float64Array;
  /** Per frame `||x'||`, 0 for thresholded frames. */
  norms: Float64Array;
  /** Log-probabilities (log-softmax over the 25 outputs), F × 25. */
  logProbabilities: Float64Array;
  /**
   * The softmax, F × 25, from the forward pass's own exponentials (`e^{s − max} / z`): equal
   * to `exp(logProbabilities)` up to rounding, without 25 more `Math.exp` per frame.
   */
  probabilities: Float64Array;
}

/**
 * Float64 forward pass of dChord with a blank on flat chroma (F × 12): features
 * (`features64` of layers64.ts), 25 scores, log-softmax. Reuses the buffers of `out` when given.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { blankForward64, initialBlankWeights } from "./dchord_blank.ts";
 * const c = new Float64Array([1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]);
 * const f = blankForward64(initialBlankWeights(), c); // C major most likely
 * ```
 */
export function blankForward64(
  weights: BlankWeights,
  chroma: Float64Array,
  out?: BlankForward64,
): BlankForward64 {
  const F = flatFrames(chroma);
  const r: BlankForward64 = out && out.frames === F && out.probabilities ? out : {
    frames: F,
    weights,
    chroma,
    features: new Float64Array(F * 12),
    norms: new Float64Array(F),
    logProbabilities: new Float64Array(F * BLANK_CLASSES),
    probabilities: new Float64Array(F * BLANK_CLASSES),
  };
  r.weights = weights;
  r.chroma = chroma;
  features64(weights.theta, chroma, r.features, r.norms);
  const T = templates25(weights);
  const feat = r.features, L = r.logProbabilities, Q = r.probabilities;
  for (let n = 0; n < F; n++) {
    const o = n * 12, lo = n * BLANK_CLASSES;
    // the frame's features in locals, the 12-term dot products written out (the same sums in
    // the same order as a loop over k, so the same bits, about twice as fast in V8)
    const f0 = feat[o], f1 = feat[o + 1], f2 = feat[o + 2], f3 = feat[o + 3];
    const f4 = feat[o + 4], f5 = feat[o + 5], f6 = feat[o + 6], f7 = feat[o + 7];
    const f8 = feat[o + 8], f9 = feat[o + 9], f10 = feat[o + 10], f11 = feat[o + 11];
    let mx = -Infinity;
    for (let c = 0; c < BLANK_CLASSES; c++) {
      const t = c * 12;
      const v = 0 + T[t] * f0 + T[t + 1] * f1 + T[t + 2] * f2 + T[t + 3] * f3 +
        T[t + 4] * f4 + T[t + 5] * f5 + T[t + 6] * f6 + T[t + 7] * f7 + T[t + 8] * f8 +
        T[t + 9] * f9 + T[t + 10] * f10 + T[t + 11] * f11;
      L[lo + c] = v;
      if (v > mx) mx = v;
    }
    let z = 0;
    for (let c = 0; c < BLANK_CLASSES; c++) {
      const e = Math.exp(L[lo + c] - mx);
      Q[lo + c] = e;
      z += e;
    }
    const lz = mx + Math.log(z), iz = 1 / z;
    for (let c = 0; c < BLANK_CLASSES; c++) {
      L[lo + c] -= lz;
      Q[lo + c] *= iz;
    }
  }
  return r;
}

/** Options of {@linkcode blankBackward64}. */
export interface BlankBackwardOptions {
  /**
   * Which softmax the log-softmax's backward pass uses: `"exp"` (default) recomputes
   * `exp(logProbabilities)`, as the course's trainers always have (their committed results stay
   * bit-identical); `"forward"` reuses the forward pass's `probabilities` (25 fewer `Math.exp`
   * per frame; equal up to rounding), as the whole-song trainer does.
   */
  softmax?: "exp" | "forward";
}

/**
 * Float64 backward pass of dChord with a blank: the gradient with respect to the 37
 * parameters given `∂L/∂log q` (F × 25). Log-softmax `∂L/∂s_c = g_c − q_c Σ_j g_j`; templates
 * `∂L/∂T = (∂L/∂s) x''ᵀ` folded back onto the shared major/minor weights and the blank row;
 * `∂L/∂x'' = Tᵀ ∂L/∂s`, then θ as in dChord. Checked against finite differences in
 * dchord_blank_test.ts.
 *
 * @example
 * ```ts
 * import { blankBackward64, blankForward64, initialBlankWeights } from "./dchord_blank.ts";
 * const f = blankForward64(initialBlankWeights(), new Float64Array(12).fill(1));
 * const g = blankBackward64(f, new Float64Array(25).fill(1)); // Σ q = 1: all zero
 * ```
 */
export function blankBackward64(
  forward: BlankForward64,
  gradLogProbabilities: Float64Array,
  options: BlankBackwardOptions = {},
): BlankWeights {
  const { frames: F, weights, chroma, features: feat, norms, logProbabilities: L } = forward;
  if (
    !(gradLogProbabilities instanceof Float64Array) ||
    gradLogProbabilities.length !== F * BLANK_CLASSES
  ) {
    throw new RangeError(
      `gradLogProbabilities must be a Float64Array of ${F} × 25 values, got length ${
        (gradLogProbabilities as { length?: number })?.length
      }`,
    );
  }
  const softmax = options.softmax ?? "exp";
  if (softmax !== "exp" && softmax !== "forward") {
    throw new RangeError(`blankBackward64: softmax must be "exp" or "forward", got ${softmax}`);
  }
  let Q: Float64Array;
  if (softmax === "forward") Q = forward.probabilities;
  else {
    Q = new Float64Array(F * BLANK_CLASSES);
    for (let i = 0; i < Q.length; i++) Q[i] = Math.exp(L[i]);
  }
  const T = templates25(weights);
  const a = Math.exp(weights.theta);
  const dT = new Float64Array(BLANK_CLASSES * 12);
  const df = new Float64Array(12);
  let dTheta = 0;
  for (let n = 0; n < F; n++) {
    const lo = n * BLANK_CLASSES, o = n * 12;
    let sum = 0;
    for (let c = 0; c < BLANK_CLASSES; c++) sum += gradLogProbabilities[lo + c];
    // written out over the 12 pitch classes, the same sums in the same order as loops
    const f0 = feat[o], f1 = feat[o + 1], f2 = feat[o + 2], f3 = feat[o + 3];
    const f4 = feat[o + 4], f5 = feat[o + 5], f6 = feat[o + 6], f7 = feat[o + 7];
    const f8 = feat[o + 8], f9 = feat[o + 9], f10 = feat[o + 10], f11 = feat[o + 11];
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = 0, d8 = 0, d9 = 0;
    let d10 = 0, d11 = 0;
    for (let c = 0; c < BLANK_CLASSES; c++) {
      const g = gradLogProbabilities[lo + c] - Q[lo + c] * sum, t = c * 12;
      dT[t] += g * f0;
      dT[t + 1] += g * f1;
      dT[t + 2] += g * f2;
      dT[t + 3] += g * f3;
      dT[t + 4] += g * f4;
      dT[t + 5] += g * f5;
      dT[t + 6] += g * f6;
      dT[t + 7] += g * f7;
      dT[t + 8] += g * f8;
      dT[t + 9] += g * f9;
      dT[t + 10] += g * f10;
      dT[t + 11] += g * f11;
      d0 += T[t] * g;
      d1 += T[t + 1] * g;
      d2 += T[t + 2] * g;
      d3 += T[t + 3] * g;
      d4 += T[t + 4] * g;
      d5 += T[t + 5] * g;
      d6 += T[t + 6] * g;
      d7 += T[t + 7] * g;
      d8 += T[t + 8] * g;
      d9 += T[t + 9] * g;
      d10 += T[t + 10] * g;
      d11 += T[t + 11] * g;
    }
    df[0] = d0;
    df[1] = d1;
    df[2] = d2;
    df[3] = d3;
    df[4] = d4;
    df[5] = d5;
    df[6] = d6;
    df[7] = d7;
    df[8] = d8;
    df[9] = d9;
    df[10] = d10;
    df[11] = d11;
    dTheta += thetaGrad(a, chroma, feat, norms[n], o, df, 0);
  }
  const { major, minor } = foldTemplateGrad(dT);
  const blank = Array.from(dT.subarray(BLANK * 12, BLANK * 12 + 12));
  return { theta: dTheta, major, minor, blank };
}

/**
 * Share of frames (0..1) whose most probable output, among all 25, is the blank.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { blankRate, initialBlankWeights } from "./dchord_blank.ts";
 * blankRate(initialBlankWeights(), [[1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]]); // 0
 * ```
 */
export function blankRate(weights: BlankWeights, chroma: number[][]): number {
  const L = blankForward64(checkBlankWeights(weights), flatChroma(chroma)).logProbabilities;
  let blanks = 0;
  for (let n = 0; n < chroma.length; n++) {
    let best = 0;
    for (let c = 1; c < BLANK_CLASSES; c++) {
      if (L[n * BLANK_CLASSES + c] > L[n * BLANK_CLASSES + best]) best = c;
    }
    if (best === BLANK) blanks++;
  }
  return blanks / chroma.length;
}

function flatChroma(chroma: number[][]): Float64Array {
  if (!Array.isArray(chroma) || chroma.length === 0) {
    throw new RangeError("chroma must be a non-empty array of frames");
  }
  const flat = new Float64Array(chroma.length * 12);
  chroma.forEach((row, n) => {
    if (!Array.isArray(row) || row.length !== 12) {
      throw new TypeError(`chroma[${n}] must have 12 values`);
    }
    flat.set(row, n * 12);
  });
  return flat;
}
