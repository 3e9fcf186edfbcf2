/**
 * Differentiable alignment in float64. Its core concept is the alignment graph (`graph.ts`,
 * after dDTW): a step set, step weights, start and end cells and an aggregation µ (hard, soft,
 * smooth, sparse) on the grid of a cost matrix; {@linkcode alignGraph} computes its value and
 * gradient, {@linkcode graphAlignment} the expected alignment. Every loss of the library is a
 * preset of it (`presets.ts`): soft-DTW with step weights and bands (the fast kernels of
 * `soft_dtw.ts` and `weighted.ts`, WebAssembly by default), DTW, smooth and sparse DTW,
 * subsequence soft-DTW, partial matching, CTC; plus the diagonal prior, the soft-DTW
 * divergence, γ schedules, brute force over every path and sharpness measures. The TensorFlow.js
 * losses are in `../tf.ts` (import `@diffalign/kit/tf`), so this face loads no tfjs.
 *
 * Errors: a `TypeError` for a wrong type or shape, a `RangeError` for a value out of range,
 * each naming the argument. Kernels, workspaces, argument checks and the wasm bindings are
 * private (`_`-prefixed files) and not exported here.
 *
 * Notation (the report's): `E = ∂D(M,N)/∂D(i,j)` the expected alignment, `H = ∂value/∂C` the
 * gradient (`E` weighted by the step weights).
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb and notebooks/02_gradient_expected_alignment.ipynb.
 *
 * @example
 * ```ts
 * import { alignGraph, softDtwGraph, softDtwValueAndGrad } from "./mod.ts";
 * const C = [[0, 1], [1, 0]];
 * const { value, grad } = softDtwValueAndGrad(C, { gamma: 0.1 });
 * alignGraph(C, softDtwGraph(2, 2, { gamma: 0.1 })).value; // the same value
 * ```
 *
 * @module
 */
// cost matrices
export {
  asSequence,
  fromMatrix64,
  type Matrix64,
  squaredEuclideanCost,
  toMatrix64,
} from "./cost.ts";
// the alignment graph and its presets
export type { Aggregation, AlignGraph, BoundarySet, Cell, Step } from "./graph_types.ts";
export {
  alignGraph,
  type AlignGraphResult,
  type CostInput,
  type GraphAlignment,
  graphAlignment,
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
// DTW and soft-DTW
export { dtw, type DtwResult, type WarpingPath } from "./dtw.ts";
export {
  checkGamma,
  type PlainSoftDtwOptions,
  type SoftDtwKernelChoice,
  type SoftDtwOptions,
  type StepWeights,
} from "./options.ts";
export {
  softDtw,
  softDtwAccumulated,
  softDtwValueAndGrad,
  softDtwValueAndGrad64,
} from "./soft_dtw.ts";
export { softmin } from "./_soft_dtw_kernel.ts";
export {
  softDtwBatch,
  softDtwBatch64,
  type SoftDtwBatchArgs,
  type SoftDtwBatchResult,
} from "./soft_dtw_batch.ts";
export {
  type ParallelBatchArgs,
  type ParallelOptions,
  softDtwBatchParallel64,
} from "./soft_dtw_parallel.ts";
export { weightedSoftDtw, type WeightedSoftDtwOptions } from "./weighted.ts";
export { setDefaultSoftDtwKernel, wasmAvailable } from "./_soft_dtw_wasm.ts";
// the family
export { bandArea, type BandLimits, bandMask, mainDiagonalBand, sakoeChibaBand } from "./band.ts";
export { addDiagonalPrior, diagonalPrior } from "./prior.ts";
export {
  type Divergence,
  type DivergenceBatchArgs,
  type DivergenceBatchResult,
  type DivergenceOptions,
  softDtwDivergence,
  softDtwDivergenceBatch64,
} from "./divergence.ts";
export {
  checkCtcTarget,
  type CtcAlignment,
  ctcAlignment,
  ctcBatch64,
  type CtcBatchArgs,
  type CtcBatchResult,
  ctcGraph,
  ctcLoss,
  type CtcOptions,
} from "./ctc.ts";
export {
  gammaSchedule,
  linearSchedule,
  type LinearScheduleOptions,
  priorWeightFade,
  type Schedule,
} from "./schedule.ts";
// repeated alignments in reusable memory (training loops)
export {
  AlignWorkspace,
  createAlignWorkspace,
  ctcInto,
  type CtcIntoArgs,
  softDtwInto,
  type SoftDtwIntoArgs,
} from "./workspace.ts";
// ground truth and measures
export {
  alignmentCost,
  bruteForceDtw,
  bruteForceSoftDtw,
  delannoy,
  enumerateWarpingPaths,
  logDelannoy,
} from "./brute_force.ts";
export { bruteForceCtc, gravesCtc } from "./ctc_reference.ts";
export { bruteForceWeightedSoftDtw } from "./weighted_brute_force.ts";
export { bandMass, meanRowEntropy, rowEntropy } from "./sharpness.ts";
