/**
 * The library: differentiable alignment (`align`) and chord recognition (`chords`).
 *
 * @module
 */
export * from "./align/mod.ts";
export * from "./chords/mod.ts";
