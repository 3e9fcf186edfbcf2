/**
 * A small seeded pseudo-random generator for reproducible experiments and tests.
 *
 * Used by lib/study/experiment.ts (the seeded template perturbation of runs 2..5 in
 * notebooks/04_strong_vs_soft_training.ipynb and notebooks/05_gamma_sweep.ipynb) and by the
 * tests of the alignment modules.
 *
 * @module
 */

/**
 * Mulberry32 (Tommy Ettinger's 32-bit generator): a function returning uniform numbers in
 * [0, 1), the same sequence for the same seed on every platform.
 *
 * @example
 * ```ts
 * import { mulberry32 } from "./random.ts";
 * const rand = mulberry32(42);
 * const x = rand(); // in [0, 1)
 * ```
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Standard normal draws from a uniform generator (Box–Muller, one draw per pair of uniforms;
 * `1 − u` keeps the logarithm finite when the generator returns 0). With `mulberry32(seed)` the
 * draws are the same on every platform.
 *
 * Used by `cnnModel(...).init` (lib/chords/model/cnn.ts) for its He/Glorot initialization.
 *
 * @example
 * ```ts
 * import { gaussian, mulberry32 } from "./random.ts";
 * const normal = gaussian(mulberry32(1));
 * const x = normal(); // one draw of N(0, 1)
 * ```
 */
export function gaussian(random: () => number): () => number {
  if (typeof random !== "function") {
    throw new TypeError("gaussian: random must be a function returning numbers in [0, 1)");
  }
  return () => {
    const u = 1 - random(), v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}
