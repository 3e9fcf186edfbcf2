/**
 * The reproduction of the report: its facts (report.ts), its data (data.ts), one training run
 * (run.ts), the worker pool (pool.ts), experiments (Table 4.1) and the γ sweep (Appendix C)
 * that compute and return, the cache, statistics, and the text of the results files. No
 * TensorFlow.js is reachable from here.
 *
 * Used in notebooks/03_dataset_padding.ipynb, notebooks/04_strong_vs_soft_training.ipynb,
 * notebooks/05_gamma_sweep.ipynb and by tools/reproduce.ts.
 *
 * @example
 * ```ts
 * import { loadSplits, TABLE_4_1 } from "./mod.ts";
 * const { train } = await loadSplits();
 * [train.length, TABLE_4_1.length]; // [43, 5]
 * ```
 *
 * @module
 */
export * from "./report.ts";
export * from "./paths.ts";
export * from "./data.ts";
export * from "./cache.ts";
export * from "./files.ts";
export * from "./stats.ts";
export * from "./run.ts";
export * from "./pool.ts";
export * from "./experiment.ts";
export * from "./sweep.ts";
export {
  BAND_TOLERANCES,
  captureEpochs,
  sharpness,
  sharpnessAt,
  type SharpnessPoint,
  type SharpnessRun,
} from "./sharpness.ts";
export * from "./tables.ts";
export { checkKeys } from "./options.ts";
export * from "./extended.ts";
export * from "./extended_files.ts";
export * from "./sensitivity.ts";
export * from "./billboard.ts";
export * from "./billboard_data.ts";
export * from "./billboard_run.ts";
export * from "./billboard_views.ts";
export * from "./billboard_cross.ts";
export * from "./billboard_notebook.ts";
