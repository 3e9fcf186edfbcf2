/**
 * The reproduction of the report: experiments (Table 4.1) and the γ sweep.
 *
 * @module
 */
export * from "./experiment.ts";
export {
  captureEpochs,
  type GammaSweep,
  runGammaSweep,
  sharpness,
  sharpnessAt,
  writeSweepResults,
} from "./gamma_sweep.ts";
