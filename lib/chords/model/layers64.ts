/**
 * The float64 layers of dChord shared by the 24-chord model (`forward64`/`backward64` of
 * dchord.ts) and the model with a blank (`blankForward64`/`blankBackward64` of dchord_blank.ts):
 * the first two layers, log compression `x' = log(1 + e^θ x)` and L2 normalization with
 * threshold ({@linkcode features64}), the gradient with respect to θ through them
 * ({@linkcode thetaGrad}), and the fold of a template-matrix gradient back onto the shared
 * major and minor weights ({@linkcode foldTemplateGrad}), and the parameters as one vector for
 * the float64 trainers' Adam ({@linkcode toParameterVector}, {@linkcode fromParameterVector}).
 * Only {@linkcode features64} and {@linkcode NORM_THRESHOLD} are part of the library's face; the
 * rest serves the two models and their trainers.
 *
 * @example
 * ```ts
 * import { features64 } from "./layers64.ts";
 * const f = new Float64Array(12), n = new Float64Array(1);
 * features64(0, new Float64Array(12).fill(1), f, n); // f = (1/√12, …)
 * ```
 *
 * @module
 */
import type { DChordWeights } from "./dchord.ts";
import type { BlankWeights } from "./dchord_blank.ts";

/** Threshold of the L2 normalization (libfmp's `normalize_feature` default). */
export const NORM_THRESHOLD = 1e-4;

/**
 * The first two layers of dChord in float64, shared by every output head: log compression
 * `x' = log(1 + e^θ x)` and L2 normalization with threshold (see `dchord.ts`). Writes `x''`
 * into `features` (F × 12) and `||x'||` (0 for thresholded frames) into `norms`.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb (through `blankForward64`).
 *
 * @example
 * ```ts
 * import { features64 } from "./layers64.ts";
 * const f = new Float64Array(12), n = new Float64Array(1);
 * features64(0, new Float64Array(12).fill(1), f, n); // f = (1/√12, …)
 * ```
 */
export function features64(
  theta: number,
  chroma: Float64Array,
  features: Float64Array,
  norms: Float64Array,
): void {
  const F = chroma.length / 12;
  const a = Math.exp(theta);
  const unit = 1 / Math.sqrt(12);
  for (let n = 0; n < F; n++) {
    const o = n * 12;
    let sq = 0;
    for (let k = 0; k < 12; k++) {
      const c = Math.log(1 + a * chroma[o + k]); // log1p is 4× slower in V8; same to 1e-16
      features[o + k] = c;
      sq += c * c;
    }
    const norm = Math.sqrt(sq);
    if (norm >= NORM_THRESHOLD) {
      norms[n] = norm;
      const inv = 1 / norm;
      for (let k = 0; k < 12; k++) features[o + k] *= inv;
    } else {
      norms[n] = 0;
      for (let k = 0; k < 12; k++) features[o + k] = unit;
    }
  }
}

/**
 * The gradient of a loss with respect to θ through {@linkcode features64} for one frame (at
 * offset `o`), given its `∂L/∂x''` (`df`, 12 values), added term by term to `acc`:
 * normalization `∂L/∂x' = (∂L/∂x'' − x'' (x'' · ∂L/∂x'')) / ||x'||` (zero for thresholded
 * frames, `norm` 0), then compression `∂L/∂θ = Σ_k ∂L/∂x'_k · e^θ x_k / (1 + e^θ x_k)`.
 * `a` is `e^θ`.
 *
 * @example
 * ```ts
 * import { features64, thetaGrad } from "./layers64.ts";
 * const x = new Float64Array(12).fill(1), f = new Float64Array(12), n = new Float64Array(1);
 * features64(0, x, f, n);
 * thetaGrad(1, x, f, n[0], 0, new Float64Array(12).fill(1), 0); // ≈ 0: a flat frame stays flat
 * ```
 */
export function thetaGrad(
  a: number,
  chroma: Float64Array,
  feat: Float64Array,
  norm: number,
  o: number,
  df: Float64Array,
  acc: number,
): number {
  if (norm === 0) return acc;
  let proj = 0;
  for (let k = 0; k < 12; k++) proj += feat[o + k] * df[k];
  let d = acc;
  for (let k = 0; k < 12; k++) {
    const ax = a * chroma[o + k];
    d += (df[k] - feat[o + k] * proj) / norm * ax / (1 + ax);
  }
  return d;
}

/**
 * Folds the gradient with respect to the rolled template rows (rows 0..11 major on roots
 * C..B, rows 12..23 minor; 12 values per row, row-major, further rows ignored) back onto the
 * shared weights: `∂L/∂t_maj[j] = Σ_r ∂L/∂T[r][(j + r) mod 12]`, likewise for the minor.
 *
 * @example
 * ```ts
 * import { foldTemplateGrad } from "./layers64.ts";
 * const dT = new Float64Array(24 * 12);
 * dT[1 * 12 + 5] = 1; // major on D♭, pitch class F: the major's third
 * foldTemplateGrad(dT).major[4]; // 1
 * ```
 */
export function foldTemplateGrad(dT: Float64Array): { major: number[]; minor: number[] } {
  const major = new Array<number>(12).fill(0);
  const minor = new Array<number>(12).fill(0);
  for (let r = 0; r < 12; r++) {
    for (let k = 0; k < 12; k++) {
      const j = (k - r + 12) % 12;
      major[j] += dT[r * 12 + k];
      minor[j] += dT[(12 + r) * 12 + k];
    }
  }
  return { major, minor };
}

/**
 * Checks a flat chroma array (non-empty, a multiple of 12 values) and returns its frame count;
 * throws a `RangeError` otherwise.
 *
 * @example
 * ```ts
 * import { flatFrames } from "./layers64.ts";
 * flatFrames(new Float64Array(24)); // 2
 * ```
 */
export function flatFrames(chroma: Float64Array): number {
  if (!(chroma instanceof Float64Array) || chroma.length === 0 || chroma.length % 12 !== 0) {
    throw new RangeError(
      `chroma must be a non-empty Float64Array of frames × 12 values, got length ${
        (chroma as { length?: number })?.length
      }`,
    );
  }
  return chroma.length / 12;
}

/**
 * The parameters as one vector, the layout the float64 trainers' Adam updates: θ, the major
 * template, the minor template (25 values), then the blank template for weights with a blank
 * (37). Writes into `out` when given (of the right length).
 *
 * @example
 * ```ts
 * import { toParameterVector } from "./layers64.ts";
 * import { initialBlankWeights } from "./dchord_blank.ts";
 * toParameterVector(initialBlankWeights()).length; // 37
 * ```
 */
export function toParameterVector(
  w: DChordWeights | BlankWeights,
  out?: Float64Array,
): Float64Array {
  const blank = "blank" in w;
  const v = out ?? new Float64Array(blank ? 37 : 25);
  v[0] = w.theta;
  v.set(w.major, 1);
  v.set(w.minor, 13);
  if (blank) v.set((w as BlankWeights).blank, 25);
  return v;
}

/**
 * The weights of a parameter vector ({@linkcode toParameterVector}): dChord's for 25 values,
 * with a blank template for 37.
 *
 * @example
 * ```ts
 * import { fromParameterVector } from "./layers64.ts";
 * fromParameterVector(new Float64Array(25)).major.length; // 12
 * ```
 */
export function fromParameterVector(v: Float64Array): DChordWeights | BlankWeights {
  const w: DChordWeights = {
    theta: v[0],
    major: Array.from(v.subarray(1, 13)),
    minor: Array.from(v.subarray(13, 25)),
  };
  return v.length === 37 ? { ...w, blank: Array.from(v.subarray(25, 37)) } : w;
}
