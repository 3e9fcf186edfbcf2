/**
 * What the whole-song trainer (song_trainer.ts, notebooks/08_weak_labels_at_scale.ipynb) needs
 * of a model: a flat parameter vector, a forward pass from one song's chroma to per-frame
 * log-probabilities over the 25 outputs of `MAJMIN_LABELS` (24 major/minor chords, then N), and
 * the backward pass of that forward pass. Every loss is written against the log-probabilities,
 * so any model with this shape trains under every loss.
 *
 * @example
 * ```ts
 * import type { SongModel } from "./song_model.ts";
 * // A model with one parameter per output and no dependence on the chroma.
 * const bias: SongModel = {
 *   kind: "bias",
 *   size: 25,
 *   chroma: "treble",
 *   init: () => new Float64Array(25),
 *   forward(params, song) {
 *     const frames = song.treble.length / 12;
 *     let z = 0;
 *     for (const p of params) z += Math.exp(p);
 *     const logProbabilities = new Float64Array(frames * 25);
 *     for (let m = 0; m < frames; m++) {
 *       for (let c = 0; c < 25; c++) logProbabilities[m * 25 + c] = params[c] - Math.log(z);
 *     }
 *     return {
 *       logProbabilities,
 *       backward(grad) {
 *         const g = new Float64Array(25);
 *         for (let m = 0; m < frames; m++) {
 *           let sum = 0;
 *           for (let c = 0; c < 25; c++) sum += grad[m * 25 + c];
 *           for (let c = 0; c < 25; c++) {
 *             g[c] += grad[m * 25 + c] - Math.exp(logProbabilities[m * 25 + c]) * sum;
 *           }
 *         }
 *         return g;
 *       },
 *     };
 *   },
 * };
 * bias.forward(bias.init(1), { treble: new Float64Array(24) }).logProbabilities.length; // 50
 * ```
 *
 * @module
 */

/** The chroma of one song as a model reads it (flat, frames × 12, pitch class 0 = C). */
export interface SongFeatures {
  /** Treble chroma, frames × 12 row-major. */
  treble: Float64Array;
  /** Bass chroma, frames × 12 row-major (present when the data has it). */
  bass?: Float64Array;
}

/** One forward pass: the outputs and the way back to the parameters. */
export interface SongForward {
  /** Log-probabilities over the 25 outputs, frames × 25 row-major (log-softmax per frame). */
  logProbabilities: Float64Array;
  /**
   * Optional: the probabilities `exp(logProbabilities)` (frames × 25), when the forward pass has
   * them anyway; the losses then skip 25 `Math.exp` per frame.
   */
  probabilities?: Float64Array;
  /** `∂L/∂params` (length `size`) given `∂L/∂logProbabilities` (frames × 25). */
  backward(gradLogProbabilities: Float64Array): Float64Array;
}

/** A model the whole-song trainer can train (see the module doc). */
export interface SongModel {
  /** Model kind, as in model files (`"dchord-n"`, ...). */
  readonly kind: string;
  /** Number of parameters. */
  readonly size: number;
  /** Which chroma the forward pass reads (`"bass+treble"` needs `bass` on every song). */
  readonly chroma: "treble" | "bass+treble";
  /** The initial parameter vector; `seed` draws any random initialization. */
  init(seed: number): Float64Array;
  /** The forward pass on one song. */
  forward(params: Float64Array, song: SongFeatures): SongForward;
}
