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
  const r: BlankForward64 = out && out.frames === F ? out : {
    frames: F,
    weights,
    chroma,
    features: new Float64Array(F * 12),
    norms: new Float64Array(F),
    logProbabilities: new Float64Array(F * BLANK_CLASSES),
  };
  r.weights = weights;
  r.chroma = chroma;
  features64(weights.theta, chroma, r.features, r.norms);
  const T = templates25(weights);
  const feat = r.features, L = r.logProbabilities;
  for (let n = 0; n < F; n++) {
    const o = n * 12, lo = n * BLANK_CLASSES;
    let mx = -Infinity;
    for (let c = 0; c < BLANK_CLASSES; c++) {
      let v = 0;
      const t = c * 12;
      for (let k = 0; k < 12; k++) v += T[t + k] * feat[o + k];
      L[lo + c] = v;
      if (v > mx) mx = v;
    }
    let z = 0;
    for (let c = 0; c < BLANK_CLASSES; c++) z += Math.exp(L[lo + c] - mx);
    const lz = mx + Math.log(z);
    for (let c = 0; c < BLANK_CLASSES; c++) L[lo + c] -= lz;
  }
  return r;
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
  const T = templates25(weights);
  const a = Math.exp(weights.theta);
  const dT = new Float64Array(BLANK_CLASSES * 12);
  const ds = new Float64Array(BLANK_CLASSES);
  const df = new Float64Array(12);
  let dTheta = 0;
  for (let n = 0; n < F; n++) {
    const lo = n * BLANK_CLASSES, o = n * 12;
    let sum = 0;
    for (let c = 0; c < BLANK_CLASSES; c++) sum += gradLogProbabilities[lo + c];
    for (let c = 0; c < BLANK_CLASSES; c++) {
      ds[c] = gradLogProbabilities[lo + c] - Math.exp(L[lo + c]) * sum;
    }
    df.fill(0);
    for (let c = 0; c < BLANK_CLASSES; c++) {
      const g = ds[c], t = c * 12;
      for (let k = 0; k < 12; k++) {
        dT[t + k] += g * feat[o + k];
        df[k] += T[t + k] * g;
      }
    }
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
