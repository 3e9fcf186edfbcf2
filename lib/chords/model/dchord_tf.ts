/**
 * dChord as a TensorFlow.js model (float32, autodiff): the same function as the float64
 * `forward64` of dchord.ts, kept as the independent cross-check of the float64 engine and for
 * readers who want a tfjs layer. Exported by `lib/tf.ts` (not by `lib/mod.ts`, which loads no
 * tfjs).
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (the model's variables).
 *
 * @example
 * ```ts
 * import { DChord } from "./dchord_tf.ts";
 * const model = new DChord();
 * model.parameterCount(); // 25
 * model.dispose();
 * ```
 *
 * @module
 */
import * as tf from "../../deps/tfjs.ts";
import { argmax } from "../data/labels.ts";
import {
  checkChroma,
  checkWeights,
  type DChordWeights,
  initialWeights,
  NORM_THRESHOLD,
} from "./dchord.ts";

/**
 * The 144 × 12 one-hot matrix `S` of the circular shifts: `S[12·r + k][j] = 1` if
 * `j = (k − r) mod 12`. For a 12-vector template `t`, `reshape(S t, [12, 12])` is the matrix
 * whose row `r` is `t` rolled to root `r` (see {@linkcode rolledTemplates}). A matrix product
 * rather than `tf.gather`, whose gradient (`UnsortedSegmentSum`) the WebAssembly backend does not
 * have; the result is the same, exactly (one non-zero term per entry).
 *
 * @example
 * ```ts
 * import { shiftMatrix } from "./dchord_tf.ts";
 * const S = shiftMatrix(); // tf.Tensor2D [144, 12]
 * S.dispose();
 * ```
 */
export function shiftMatrix(): tf.Tensor2D {
  const data = new Float32Array(144 * 12);
  for (let r = 0; r < 12; r++) {
    for (let k = 0; k < 12; k++) data[(r * 12 + k) * 12 + ((k - r + 12) % 12)] = 1;
  }
  return tf.tensor2d(data, [144, 12]);
}

/**
 * The 12 × 12 matrix of the 12 circular shifts of a template (row `r` = `t` rolled to root `r`),
 * `reshape(S t, [12, 12])` with `S` = {@linkcode shiftMatrix}: differentiable on every backend.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { rolledTemplates, shiftMatrix } from "./dchord_tf.ts";
 * const T = rolledTemplates(shiftMatrix(), tf.tensor1d([1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]));
 * // row 7 = G major: [0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1]
 * ```
 */
export function rolledTemplates(shift: tf.Tensor2D, template: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() =>
    tf.reshape(tf.matMul(shift, tf.reshape(template, [12, 1])), [12, 12]) as tf.Tensor2D
  );
}

/**
 * The dChord model: 25 trainable tfjs variables and the forward pass.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { DChord } from "./dchord_tf.ts";
 * const model = new DChord();
 * const chroma = tf.tensor2d([[1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]]);
 * const probs = model.predict(chroma); // shape [1, 24], C major most likely
 * model.dispose();
 * ```
 */
export class DChord {
  /** Log-compression parameter θ (scalar). */
  readonly theta: tf.Variable;
  /** Major template on root C (12). */
  readonly major: tf.Variable;
  /** Minor template on root C (12). */
  readonly minor: tf.Variable;
  #shift: tf.Tensor2D;

  /** Builds the model with the given weights (default {@linkcode initialWeights}). */
  constructor(weights: DChordWeights = initialWeights()) {
    const w = checkWeights(weights);
    this.theta = ownedVariable(tf.scalar(w.theta));
    this.major = ownedVariable(tf.tensor1d(w.major));
    this.minor = ownedVariable(tf.tensor1d(w.minor));
    this.#shift = shiftMatrix();
  }

  /** The trainable variables (θ, major, minor). */
  get trainableVariables(): tf.Variable[] {
    return [this.theta, this.major, this.minor];
  }

  /** Sizes of the trainable variables. */
  variableSizes(): { theta: number; major: number; minor: number } {
    return { theta: this.theta.size, major: this.major.size, minor: this.minor.size };
  }

  /** Number of trainable parameters: the sum of the trainable variables' sizes (25). */
  parameterCount(): number {
    return this.trainableVariables.reduce((s, v) => s + (v.trainable ? v.size : 0), 0);
  }

  /** The 24 × 12 template matrix as a tensor (built with tf ops; gradients flow). */
  templates(): tf.Tensor2D {
    return tf.tidy(() =>
      tf.concat([
        rolledTemplates(this.#shift, this.major),
        rolledTemplates(this.#shift, this.minor),
      ], 0)
    ) as tf.Tensor2D;
  }

  /**
   * Log compression and L2 normalization of chroma frames (last axis 12). Frames whose
   * compressed norm is below {@linkcode NORM_THRESHOLD} become `(1, ..., 1) / sqrt(12)`.
   */
  features(chroma: tf.Tensor): tf.Tensor {
    checkChromaTensor(chroma);
    return tf.tidy(() => l2Normalize(tf.log1p(tf.mul(tf.exp(this.theta), chroma))));
  }

  /** Chord similarities (before the softmax), last axis 24. */
  logits(chroma: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const f = this.features(chroma);
      const flat = tf.reshape(f, [-1, 12]);
      const s = tf.matMul(flat, this.templates(), false, true);
      return tf.reshape(s, [...chroma.shape.slice(0, -1), 24]);
    });
  }

  /**
   * Chord probabilities: softmax over the 24 chords of the similarities. Input: chroma with
   * last axis 12 (`[frames, 12]` or `[batch, frames, 12]`); output: same leading axes, last 24.
   */
  predict(chroma: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.softmax(this.logits(chroma), -1));
  }

  /** A snapshot of the 25 parameters as plain numbers. */
  getWeights(): DChordWeights {
    return {
      theta: this.theta.dataSync()[0],
      major: Array.from(this.major.dataSync()),
      minor: Array.from(this.minor.dataSync()),
    };
  }

  /** Sets the 25 parameters from a snapshot. */
  setWeights(weights: DChordWeights): void {
    const w = checkWeights(weights);
    tf.tidy(() => {
      this.theta.assign(tf.scalar(w.theta));
      this.major.assign(tf.tensor1d(w.major));
      this.minor.assign(tf.tensor1d(w.minor));
    });
  }

  /** Frees the model's tensors. */
  dispose(): void {
    for (const t of [this.theta, this.major, this.minor, this.#shift]) t.dispose();
  }
}

/** A trainable variable initialized from `init`; `init` itself is freed. */
function ownedVariable(init: tf.Tensor): tf.Variable {
  const v = tf.variable(init, true);
  init.dispose();
  return v;
}

/**
 * Per-frame L2 normalization with threshold (last axis), as a `tf.customGrad` op: frames whose
 * norm is below {@linkcode NORM_THRESHOLD} become the unit vector `(1, ..., 1) / sqrt(12)`.
 * The gradient is that of `x / ||x||` for the other frames,
 * `∂L/∂x = (g − f (f · g)) / ||x||` with `f` the output and `g = ∂L/∂f`, and zero for the
 * thresholded frames (their output is constant). Written by hand because the mask
 * (`tf.less`) has no gradient in tfjs.
 */
const l2Normalize = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  const norm = tf.sqrt(tf.sum(tf.square(x), -1, true));
  const keep = tf.cast(tf.greaterEqual(norm, NORM_THRESHOLD), "float32");
  const safe = tf.maximum(norm, NORM_THRESHOLD);
  // thresholded frames: keep = 0, so the first term vanishes and the unit vector is added
  const value = tf.add(
    tf.mul(tf.div(x, safe), keep),
    tf.mul(tf.sub(1, keep), 1 / Math.sqrt(x.shape[x.rank - 1])),
  );
  save([value, safe, keep]);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [f, s, k] = saved;
      const proj = tf.sum(tf.mul(dy, f), -1, true);
      return tf.mul(tf.div(tf.sub(dy, tf.mul(f, proj)), s), k);
    },
  };
});

function checkChromaTensor(chroma: tf.Tensor): void {
  if (!(chroma instanceof tf.Tensor)) {
    throw new TypeError(`chroma must be a tf.Tensor, got ${typeof chroma}`);
  }
  if (chroma.rank < 2 || chroma.shape[chroma.rank - 1] !== 12) {
    throw new RangeError(
      `chroma must have shape [..., frames, 12], got [${chroma.shape.join(", ")}]`,
    );
  }
}

/**
 * Runs a model (or weights) on plain chroma frames and returns the chord probabilities
 * (frames × 24) and the argmax chord index per frame.
 *
 * @example
 * ```ts
 * import { initialWeights } from "./dchord.ts";
 * import { predictChordsTf } from "./dchord_tf.ts";
 * const { labels } = predictChordsTf(initialWeights(), [[0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1]]);
 * // labels = [7] (G major)
 * ```
 */
export function predictChordsTf(
  model: DChord | DChordWeights,
  chroma: number[][],
): { probabilities: number[][]; labels: number[] } {
  checkChroma(chroma);
  const own = model instanceof DChord ? null : new DChord(model);
  const m = own ?? (model as DChord);
  try {
    const probs = tf.tidy(() => m.predict(tf.tensor2d(chroma, [chroma.length, 12])));
    const data = probs.dataSync();
    probs.dispose();
    const probabilities: number[][] = [];
    const labels: number[] = [];
    for (let n = 0; n < chroma.length; n++) {
      const row = Array.from(data.subarray(n * 24, n * 24 + 24));
      probabilities.push(row);
      labels.push(argmax(row));
    }
    return { probabilities, labels };
  } finally {
    own?.dispose();
  }
}
