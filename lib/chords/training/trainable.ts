/**
 * The models the float64 engine (train_model.ts) trains, as model objects over a flat parameter
 * vector: dChord (25 parameters, 24 softmax probabilities per frame) and dChord with a blank (37
 * parameters: a blank template of 12; 25 log-probabilities, for CTC), each bound to the chroma of one split with its
 * forward buffers reused every epoch.
 *
 * @example
 * ```ts
 * import { createModel64 } from "./trainable.ts";
 * import { initialWeights } from "../model/dchord.ts";
 * const model = createModel64(initialWeights(), "probabilities", new Float64Array(12).fill(1));
 * model.forward(model.initial()).length; // 24
 * ```
 *
 * @module
 */
import { backward64, type DChordWeights, type Forward64, forward64 } from "../model/dchord.ts";
import {
  blankBackward64,
  type BlankForward64,
  blankForward64,
  type BlankWeights,
} from "../model/dchord_blank.ts";
import { fromParameterVector, toParameterVector } from "../model/layers64.ts";

/** A model on the chroma of one split, as a function of its parameter vector. */
export interface Model64 {
  /** The parameter vector of the initial weights (a new array). */
  initial(): Float64Array;
  /** The outputs for the parameters `params` (buffer reused by the next call). */
  forward(params: Float64Array): Float64Array;
  /** The gradient of the last forward's parameters from that of its outputs, into `into`. */
  backward(gradOutputs: Float64Array, into: Float64Array): void;
  /** The weights of a parameter vector. */
  weights(params: Float64Array): DChordWeights | BlankWeights;
}

/**
 * dChord (`"probabilities"`) or dChord with a blank (`"log-probabilities"`, the outputs CTC
 * reads) on `chroma` (frames × 12, flat), starting from `init` (with a blank template for the
 * blank model).
 *
 * @example
 * ```ts
 * import { createModel64 } from "./trainable.ts";
 * import { initialBlankWeights } from "../model/dchord_blank.ts";
 * const m = createModel64(initialBlankWeights(), "log-probabilities", new Float64Array(12).fill(1));
 * m.forward(m.initial()).length; // 25
 * ```
 */
export function createModel64(
  init: DChordWeights | BlankWeights,
  outputs: "probabilities" | "log-probabilities",
  chroma: Float64Array,
): Model64 {
  const blank = outputs === "log-probabilities";
  if (blank !== "blank" in init) {
    throw new TypeError(
      blank
        ? "the model with a blank (CTC) needs initial weights with a blank template"
        : "dChord's initial weights must not have a blank template",
    );
  }
  let f: Forward64 | undefined;
  let b: BlankForward64 | undefined;
  return {
    initial: () => toParameterVector(init),
    forward(params) {
      const weights = fromParameterVector(params);
      if (blank) {
        b = blankForward64(weights as BlankWeights, chroma, b);
        return b.logProbabilities;
      }
      f = forward64(weights, chroma, f);
      return f.probabilities;
    },
    backward(gradOutputs, into) {
      toParameterVector(
        blank ? blankBackward64(b!, gradOutputs) : backward64(f!, gradOutputs),
        into,
      );
    },
    weights: (params) => fromParameterVector(params),
  };
}
