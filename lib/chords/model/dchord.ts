/**
 * dChord: the report's differentiable template-based chord recognizer, in float64 JavaScript
 * (the tfjs model `DChord` is in dchord_tf.ts, exported by `lib/tf.ts`).
 *
 * For a chroma frame `x ∈ R^12_{≥0}` the model computes
 *
 * 1. log compression `x' = log(1 + exp(θ) · x)` with one trainable parameter `θ` (`θ = 0`,
 *    i.e. compression factor `exp(θ) = 1`, at the start);
 * 2. L2 normalization `x'' = x' / ||x'||_2`, or the unit vector `(1, ..., 1) / sqrt(12)` when
 *    `||x'||_2 < 10^-4` (libfmp's `normalize_feature` with threshold `1e-4`);
 * 3. chord similarity `s = T x''` with the 24 × 12 template matrix `T`: one 12-weight major
 *    template `t_maj` and one 12-weight minor template `t_min`, each circularly shifted to the
 *    12 roots (`T[r] = roll(t_maj, r)`, `T[12 + r] = roll(t_min, r)`), initialized to the
 *    binary triads `[C, E, G]` and `[C, Eb, G]`;
 * 4. softmax over the 24 chords (temperature 1, fixed): `y = softmax(s)`.
 *
 * Trainable parameters: `θ` (1) + `t_maj` (12) + `t_min` (12) = 25. The template matrix is
 * built from the two 12-vectors, so gradients reach the shared weights.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb.
 *
 * @example
 * ```ts
 * import { initialWeights, predictChords } from "./dchord.ts";
 * predictChords(initialWeights(), [[1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]]).labels; // [0] (C)
 * ```
 *
 * @module
 */
import { argmax, MAJOR_TRIAD, MINOR_TRIAD, NUM_CHORDS } from "../data/labels.ts";
import { features64, flatFrames, foldTemplateGrad, thetaGrad } from "./layers64.ts";
export { NORM_THRESHOLD } from "./layers64.ts";

/** The 25 parameters of dChord as plain numbers (a snapshot that can be stored as JSON). */
export interface DChordWeights {
  /** Log-compression parameter θ (compression factor `exp(θ)`). */
  theta: number;
  /** Major template on root C (12 weights, pitch classes C..B). */
  major: number[];
  /** Minor template on root C (12 weights, pitch classes C..B). */
  minor: number[];
}

/** One row of the architecture description (the report's Table 3.1). */
export interface LayerDescription {
  /** Layer name. */
  layer: string;
  /** Output shape, `frames` being the number of input frames. */
  outputShape: string;
  /** Number of trainable parameters of the layer. */
  parameters: number;
}

/**
 * The initial weights: `θ = 0` and the binary major and minor triads.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb.
 *
 * @example
 * ```ts
 * import { initialWeights } from "./dchord.ts";
 * initialWeights().major; // [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]
 * ```
 */
export function initialWeights(): DChordWeights {
  return { theta: 0, major: [...MAJOR_TRIAD], minor: [...MINOR_TRIAD] };
}

function checkVector(v: unknown, length: number, name: string): number[] {
  if (!Array.isArray(v) || v.length !== length) {
    throw new TypeError(
      `${name} must be an array of ${length} numbers, got ${
        Array.isArray(v) ? `length ${v.length}` : typeof v
      }`,
    );
  }
  v.forEach((x, i) => {
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new RangeError(`${name}[${i}] must be a finite number, got ${x}`);
    }
  });
  return v as number[];
}

/**
 * Checks a weight snapshot (finite θ, two 12-vectors) and returns a copy; throws a
 * `TypeError`/`RangeError` naming the bad field otherwise.
 *
 * @example
 * ```ts
 * import { checkWeights, initialWeights } from "./dchord.ts";
 * checkWeights(initialWeights()).theta; // 0
 * ```
 */
export function checkWeights(weights: DChordWeights): DChordWeights {
  if (!weights || typeof weights !== "object") {
    throw new TypeError(`weights must be an object { theta, major, minor }, got ${weights}`);
  }
  if (typeof weights.theta !== "number" || !Number.isFinite(weights.theta)) {
    throw new RangeError(`weights.theta must be a finite number, got ${weights.theta}`);
  }
  return {
    theta: weights.theta,
    major: [...checkVector(weights.major, 12, "weights.major")],
    minor: [...checkVector(weights.minor, 12, "weights.minor")],
  };
}

/**
 * The 24 × 12 template matrix from a major and a minor template on C (plain numbers): row `r`
 * is the major template rolled to root `r`, row `12 + r` the minor one. Useful to inspect the
 * learned templates without tensors.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (learned templates, Appendix B).
 *
 * @example
 * ```ts
 * import { MAJOR_TRIAD, MINOR_TRIAD } from "../data/labels.ts";
 * import { templateMatrix } from "./dchord.ts";
 * const T = templateMatrix([...MAJOR_TRIAD], [...MINOR_TRIAD]);
 * T[7]; // G major: G, B, D -> [0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1]
 * ```
 */
export function templateMatrix(major: number[], minor: number[]): number[][] {
  checkVector(major, 12, "major");
  checkVector(minor, 12, "minor");
  const rows: number[][] = [];
  for (const t of [major, minor]) {
    for (let r = 0; r < 12; r++) {
      rows.push(Array.from({ length: 12 }, (_, k) => t[(k - r + 12) % 12]));
    }
  }
  return rows;
}

/**
 * The architecture of dChord as data (the report's Table 3.1): layer, output shape for an input
 * of `frames` chroma frames, and the number of trainable parameters. The parameter counts are
 * taken from the sizes of {@linkcode initialWeights}, not typed in (the tfjs `DChordTf` of
 * dchord_tf.ts has variables of the same sizes, checked by dchord_test.ts).
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (Table 3.1).
 *
 * @example
 * ```ts
 * import { architecture } from "./dchord.ts";
 * architecture({ frames: 150 }).reduce((s, l) => s + l.parameters, 0); // 25
 * ```
 */
export function architecture(options: { frames?: number } = {}): LayerDescription[] {
  const frames = options.frames ?? 150;
  if (!Number.isInteger(frames) || frames < 1) {
    throw new RangeError(`frames must be a positive integer, got ${frames}`);
  }
  const w = initialWeights();
  const n = { theta: 1, major: w.major.length, minor: w.minor.length };
  return [
    { layer: "Input (chroma)", outputShape: `(${frames}, 12)`, parameters: 0 },
    {
      layer: "Log compression log(1 + exp(θ)·x)",
      outputShape: `(${frames}, 12)`,
      parameters: n.theta,
    },
    { layer: "L2 normalization (threshold 1e-4)", outputShape: `(${frames}, 12)`, parameters: 0 },
    {
      layer: "Chord templates (major + minor, shared over 12 roots)",
      outputShape: `(${frames}, 24)`,
      parameters: n.major + n.minor,
    },
    { layer: "Softmax over 24 chords", outputShape: `(${frames}, 24)`, parameters: 0 },
  ];
}

/** Intermediate values of {@linkcode forward64}, needed by {@linkcode backward64}. */
export interface Forward64 {
  /** Number of frames F. */
  frames: number;
  /** The weights used. */
  weights: DChordWeights;
  /** Input chroma, F × 12 row-major. */
  chroma: Float64Array;
  /** Normalized features `x''`, F × 12. */
  features: Float64Array;
  /** Per frame: `||x'||` if it is at least the threshold, 0 for thresholded frames. */
  norms: Float64Array;
  /** Chord probabilities (softmax outputs), F × 24. */
  probabilities: Float64Array;
}

/**
 * Float64 forward pass of dChord on a flat chroma array (F × 12, row-major), in plain
 * JavaScript loops: the same function as `DChord.predict` of dchord_tf.ts, written out for speed
 * (the tfjs CPU kernels take tens of milliseconds per op on a 43 × 150 batch here; this takes
 * about a millisecond). Returns the probabilities and what {@linkcode backward64} needs.
 * Writes into `out` when given (reused buffers, no allocation).
 *
 * @example
 * ```ts
 * import { forward64, initialWeights } from "./dchord.ts";
 * const f = forward64(initialWeights(), new Float64Array([1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]));
 * f.probabilities.length; // 24, largest at index 0 (C major)
 * ```
 */
export function forward64(
  weights: DChordWeights,
  chroma: Float64Array,
  out?: Forward64,
): Forward64 {
  const F = flatFrames(chroma);
  const r = out && out.frames === F ? out : {
    frames: F,
    weights,
    chroma,
    features: new Float64Array(F * 12),
    norms: new Float64Array(F),
    probabilities: new Float64Array(F * 24),
  };
  r.weights = weights;
  r.chroma = chroma;
  features64(weights.theta, chroma, r.features, r.norms);
  const T = new Float64Array(templateMatrix(weights.major, weights.minor).flat());
  const feat = r.features, P = r.probabilities;
  const s = new Float64Array(24);
  for (let n = 0; n < F; n++) {
    const o = n * 12;
    let mx = -Infinity;
    for (let c = 0; c < 24; c++) {
      let v = 0;
      const t = c * 12;
      for (let k = 0; k < 12; k++) v += T[t + k] * feat[o + k];
      s[c] = v;
      if (v > mx) mx = v;
    }
    let z = 0;
    for (let c = 0; c < 24; c++) {
      const e = Math.exp(s[c] - mx);
      s[c] = e;
      z += e;
    }
    const iz = 1 / z, po = n * 24;
    for (let c = 0; c < 24; c++) P[po + c] = s[c] * iz;
  }
  return r;
}

/**
 * Float64 backward pass of dChord: the gradient of a loss `L` with respect to the 25
 * parameters, given `∂L/∂probabilities` (F × 24) and the intermediate values of
 * {@linkcode forward64}. By the chain rule through the four layers:
 * softmax `∂L/∂s_c = p_c (g_c − Σ_j p_j g_j)`; templates `∂L/∂T = (∂L/∂s) x''ᵀ`, folded back
 * onto the shared weights (`∂L/∂t_maj[j] = Σ_r ∂L/∂T[r][(j + r) mod 12]`) and
 * `∂L/∂x'' = Tᵀ ∂L/∂s`; normalization `∂L/∂x' = (∂L/∂x'' − x'' (x'' · ∂L/∂x'')) / ||x'||`
 * (zero for thresholded frames); compression `∂L/∂θ = Σ ∂L/∂x' · e^θ x / (1 + e^θ x)`.
 * Checked against tfjs autodiff and finite differences in lib/chords/model/dchord_test.ts.
 *
 * @example
 * ```ts
 * import { backward64, forward64, initialWeights } from "./dchord.ts";
 * const f = forward64(initialWeights(), new Float64Array(12).fill(1));
 * const g = backward64(f, new Float64Array(24).fill(1)); // softmax sums to 1: all zero
 * ```
 */
export function backward64(forward: Forward64, gradProbabilities: Float64Array): DChordWeights {
  const { frames: F, weights, chroma, features: feat, norms, probabilities: P } = forward;
  if (!(gradProbabilities instanceof Float64Array) || gradProbabilities.length !== F * 24) {
    throw new RangeError(
      `gradProbabilities must be a Float64Array of ${F} × 24 values, got length ${
        (gradProbabilities as { length?: number })?.length
      }`,
    );
  }
  const T = new Float64Array(templateMatrix(weights.major, weights.minor).flat());
  const a = Math.exp(weights.theta);
  const dT = new Float64Array(24 * 12);
  const ds = new Float64Array(24);
  const df = new Float64Array(12);
  let dTheta = 0;
  for (let n = 0; n < F; n++) {
    const po = n * 24, o = n * 12;
    let dot = 0;
    for (let c = 0; c < 24; c++) dot += P[po + c] * gradProbabilities[po + c];
    for (let c = 0; c < 24; c++) ds[c] = P[po + c] * (gradProbabilities[po + c] - dot);
    df.fill(0);
    for (let c = 0; c < 24; c++) {
      const g = ds[c], t = c * 12;
      for (let k = 0; k < 12; k++) {
        dT[t + k] += g * feat[o + k];
        df[k] += T[t + k] * g;
      }
    }
    dTheta = thetaGrad(a, chroma, feat, norms[n], o, df, dTheta); // unchanged if thresholded
  }
  const { major, minor } = foldTemplateGrad(dT);
  return { theta: dTheta, major, minor };
}

/**
 * Checks plain chroma frames (non-empty, 12 finite non-negative values per frame); throws an
 * error naming the argument, frame and value otherwise.
 *
 * @example
 * ```ts
 * import { checkChroma } from "./dchord.ts";
 * checkChroma([[1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]], "chroma"); // ok
 * ```
 */
export function checkChroma(chroma: number[][], name = "chroma"): void {
  if (!Array.isArray(chroma) || chroma.length === 0) {
    throw new RangeError(`${name} must be a non-empty array of frames`);
  }
  chroma.forEach((frame, n) => {
    if (!Array.isArray(frame) || frame.length !== 12) {
      throw new TypeError(
        `${name}[${n}] must have 12 chroma values, got ${
          Array.isArray(frame) ? frame.length : typeof frame
        }`,
      );
    }
    frame.forEach((v, k) => {
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
        throw new RangeError(`${name}[${n}][${k}] must be a finite number >= 0, got ${v}`);
      }
    });
  });
}

/**
 * Runs dChord with the given weights on plain chroma frames (float64 forward pass,
 * {@linkcode forward64}) and returns the chord probabilities (frames × 24) and the argmax chord
 * index per frame (the estimate that is evaluated). Errors name the bad frame.
 *
 * @example
 * ```ts
 * import { initialWeights, predictChords } from "./dchord.ts";
 * const { labels } = predictChords(initialWeights(), [[0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1]]);
 * // labels = [7] (G major)
 * ```
 */
export function predictChords(
  weights: DChordWeights,
  chroma: number[][],
): { probabilities: number[][]; labels: number[] } {
  checkChroma(chroma);
  const flat = new Float64Array(chroma.length * 12);
  chroma.forEach((row, n) => flat.set(row, n * 12));
  const P = forward64(checkWeights(weights), flat).probabilities;
  const probabilities: number[][] = [];
  const labels: number[] = [];
  for (let n = 0; n < chroma.length; n++) {
    probabilities.push(Array.from(P.subarray(n * NUM_CHORDS, (n + 1) * NUM_CHORDS)));
    labels.push(argmax(P, n * NUM_CHORDS, NUM_CHORDS));
  }
  return { probabilities, labels };
}
