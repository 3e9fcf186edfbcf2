/**
 * dChord with a blank in TensorFlow.js: the tfjs {@linkcode DChord} (24 chord scores) and a
 * 12-weight blank template scored on the same normalized features, log-softmax over the 25
 * outputs. The float64 twin is `dchord_blank.ts` (see there for the blank's initialization); this
 * one serves the tfjs cross-check of the CTC training.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { DChordBlank } from "./dchord_blank_tf.ts";
 * import { initialBlankWeights } from "./dchord_blank.ts";
 * const m = new DChordBlank(initialBlankWeights());
 * const lp = m.logProbabilities(tf.ones([2, 12])); // [2, 25]
 * m.dispose();
 * ```
 *
 * @module
 */
import * as tf from "../../deps/tfjs.ts";
import { DChord } from "./dchord_tf.ts";
import { type BlankWeights, checkBlankWeights } from "./dchord_blank.ts";

/** dChord with a blank output (37 trainable parameters), in tfjs. */
export class DChordBlank {
  /** The 24-chord part (θ and the two templates). */
  readonly chords: DChord;
  /** The blank template (12). */
  readonly blank: tf.Variable;

  /** Builds the model from weights with a blank template. */
  constructor(weights: BlankWeights) {
    const w = checkBlankWeights(weights);
    this.chords = new DChord(w);
    const init = tf.tensor1d(w.blank);
    this.blank = tf.variable(init, true);
    init.dispose();
  }

  /** The trainable variables: θ, major, minor, blank. */
  get trainableVariables(): tf.Variable[] {
    return [...this.chords.trainableVariables, this.blank];
  }

  /** The 25 scores (24 chords, then the blank), last axis 25. */
  logits(chroma: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const chords = this.chords.logits(chroma);
      const f = this.chords.features(chroma);
      const b = tf.matMul(tf.reshape(f, [-1, 12]), tf.reshape(this.blank, [12, 1]));
      return tf.concat([chords, tf.reshape(b, [...chroma.shape.slice(0, -1), 1])], -1);
    });
  }

  /** Log-softmax over the 25 outputs. */
  logProbabilities(chroma: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.logSoftmax(this.logits(chroma)));
  }

  /** A snapshot of the 37 parameters. */
  getWeights(): BlankWeights {
    return { ...this.chords.getWeights(), blank: Array.from(this.blank.dataSync()) };
  }

  /** Frees the model's tensors. */
  dispose(): void {
    this.chords.dispose();
    this.blank.dispose();
  }
}
