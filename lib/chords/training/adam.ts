/**
 * Adam as Keras implements it, in float64 (the optimizer of every float64 trainer: the report's
 * procedure and every loss of config.ts in train_model.ts, whole songs in song_trainer.ts).
 *
 * @example
 * ```ts
 * import { Adam64 } from "./adam.ts";
 * const adam = new Adam64(1, { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
 * ```
 *
 * @module
 */

/**
 * Adam with Keras's update rule on a flat parameter vector (see the module doc), float64.
 *
 * @example
 * ```ts
 * import { Adam64 } from "./adam.ts";
 * const adam = new Adam64(2, { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
 * const w = new Float64Array([1, -1]);
 * for (let t = 0; t < 100; t++) adam.step(w, Float64Array.from(w, (x) => 2 * x)); // min |w|²
 * ```
 */
export class Adam64 {
  #m: Float64Array;
  #v: Float64Array;
  #t = 0;
  /** Learning rate, β1, β2, ε. */
  readonly options: { learningRate: number; beta1: number; beta2: number; epsilon: number };

  /**
   * @param size number of parameters
   * @param options learning rate, β1, β2, ε (already validated, e.g. by `resolveConfig` of config.ts)
   *
   * @example
   * ```ts
   * import { Adam64 } from "./adam.ts";
   * const adam = new Adam64(1, { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
   * const w = new Float64Array([1]);
   * adam.step(w, new Float64Array([2 * w[0]])); // one step on w² : w = 0.9
   * ```
   */
  constructor(
    size: number,
    options: { learningRate: number; beta1: number; beta2: number; epsilon: number },
  ) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`Adam64: size must be a positive integer, got ${size}`);
    }
    this.#m = new Float64Array(size);
    this.#v = new Float64Array(size);
    this.options = { ...options };
  }

  /** One update of `params` (in place) with the gradient `grad`. */
  step(params: Float64Array, grad: Float64Array): void {
    if (params.length !== this.#m.length || grad.length !== this.#m.length) {
      throw new RangeError(
        `Adam64: expected ${this.#m.length} parameters and gradients, got ${params.length} ` +
          `and ${grad.length}`,
      );
    }
    const { learningRate, beta1, beta2, epsilon } = this.options;
    this.#t++;
    const lrT = learningRate * Math.sqrt(1 - beta2 ** this.#t) / (1 - beta1 ** this.#t);
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      this.#m[i] = beta1 * this.#m[i] + (1 - beta1) * g;
      this.#v[i] = beta2 * this.#v[i] + (1 - beta2) * g * g;
      params[i] -= lrT * this.#m[i] / (Math.sqrt(this.#v[i]) + epsilon);
    }
  }
}
