/**
 * Differentiable alignment in float64: cost matrices, DTW, soft-DTW (value, gradient, typed and
 * batched kernels), brute-force ground truth, and sharpness measures of expected alignments. The
 * TensorFlow.js loss is in `../tf.ts` (import `@diffalign/kit/tf`), so this face loads no tfjs.
 *
 * Every soft-DTW function takes an options object {@linkcode SoftDtwOptions} (`{ gamma }`) and
 * validates γ with the one check {@linkcode checkGamma}. `number[][]` functions have typed
 * twins on {@linkcode Matrix64} (`softDtwValueAndGrad64`, `softDtw64`, `softDtwForward64`,
 * `softDtwBatch64`) that take and return typed arrays without conversion. Bad input throws a
 * `TypeError` for a wrong type or shape and a `RangeError` for a value out of range.
 *
 * Notation (the report's): `F^{p,q}` softmin weights, `E = ∂D(M,N)/∂D(i,j)`, `G` the expected
 * step weight (1 here), `H = ∂SDTW/∂C = E ⊙ G` the expected alignment (see `soft_dtw_kernel.ts`).
 *
 * Modules: `cost.ts` (cost matrices, {@linkcode Matrix64}), `dtw.ts` (classic DTW), `options.ts`
 * (options and the γ check), `checks.ts` (the argument checks every entry point shares),
 * `soft_dtw.ts` (soft-DTW entry points; re-exports `soft_dtw_kernel.ts`, the readable
 * TypeScript kernel, `soft_dtw_baseline.ts`, the straightforward baseline, and
 * `soft_dtw_batch.ts`, batched pairs), `brute_force.ts` (every
 * alignment enumerated), `sharpness.ts` (row entropy, band mass). The alignment family (issue
 * 11, notebook 06): `weighted.ts` (step weights and bands, `stepWeights`/`band` options of
 * `softDtwValueAndGrad`; its kernel in `weighted_kernel.ts`), `weighted_brute_force.ts`, `band.ts` (Sakoe–Chiba band correct for
 * N ≠ M), `prior.ts` (additive diagonal prior), `divergence.ts` (soft-DTW divergence), `ctc.ts`
 * (CTC as a DTW graph), `ctc_reference.ts` (Graves' recursion and brute force), `schedule.ts`
 * (γ annealing, prior fade). `soft_dtw_wasm.ts` (issue 14): the WebAssembly SIMD kernel the
 * soft-DTW functions run by default when WebAssembly is available (option `kernel`,
 * `setDefaultSoftDtwKernel`, `wasmAvailable`, `wasmReady`); the TypeScript kernel is the
 * reference and the fallback.
 *
 * @example
 * ```ts
 * import { softDtwValueAndGrad } from "./mod.ts";
 * const { value, grad } = softDtwValueAndGrad([[0, 1], [1, 0]], { gamma: 0.1 });
 * ```
 *
 * @module
 */
export * from "./cost.ts";
export * from "./dtw.ts";
export * from "./options.ts";
export * from "./soft_dtw.ts";
export * from "./brute_force.ts";
export * from "./sharpness.ts";
export * from "./weighted.ts";
export * from "./weighted_brute_force.ts";
export * from "./band.ts";
export * from "./prior.ts";
export * from "./divergence.ts";
export * from "./ctc.ts";
export * from "./ctc_reference.ts";
export * from "./schedule.ts";
export {
  type Aggregation,
  type AlignGraph,
  alignGraph,
  type AlignGraphResult,
  type BoundarySet,
  type Cell,
  type CostInput,
  type GraphAlignment,
  graphAlignment,
  type Step,
} from "./graph.ts";
export {
  alignGraphBatch64,
  type AlignGraphBatchArgs,
  type AlignGraphBatchResult,
  type ClassicGraphOptions,
  ctcAlignGraph,
  ctcCost,
  type CtcGraphOptions,
  type LengthNormalization,
  type NormalizeOption,
  partialMatching,
  partialMatchingGraph,
  type PartialMatchingOptions,
  smoothDtw,
  softDtwGraph,
  sparseDtw,
  subsequenceGraph,
  type SubsequenceOptions,
  subsequenceSoftDtw,
} from "./presets.ts";
export { setDefaultSoftDtwKernel, wasmAvailable, wasmFits, wasmReady } from "./soft_dtw_wasm.ts";
