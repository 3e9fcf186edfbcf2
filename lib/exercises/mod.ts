/**
 * Exercise checkers for the notebooks: each takes the student's answer (usually a function) and
 * returns a {@linkcode Feedback} whose `text` names the mistake when the checker recognises one
 * ("your soft minimum is not symmetric in its arguments"), or says what was verified. The truth
 * every checker compares with is computed independently of the student's approach (brute force
 * over every path where possible).
 *
 * - notebook 01: {@linkcode checkSoftmin}, {@linkcode checkSoftDtw},
 *   {@linkcode checkAlignmentCount}
 * - notebook 02: {@linkcode checkExpectedAlignment}, {@linkcode checkAlignmentMass}
 * - notebook 03: {@linkcode checkRemoveRepetitions}, {@linkcode checkUniformPadding},
 *   {@linkcode checkLastPadding}
 * - notebook 05: {@linkcode checkPathFractions}, {@linkcode checkSoftDtwBounds}
 * - notebook 06: {@linkcode checkWeightedPathCost}, {@linkcode checkSoftminOfEqual},
 *   {@linkcode checkDiagonalBandRadius}
 *
 * Used in notebooks 01, 02, 03, 05 and 06 (their exercises, at the end).
 *
 * @example
 * ```ts
 * import { checkSoftmin } from "./mod.ts";
 * const fb = checkSoftmin((values, gamma) => Math.min(...values));
 * fb.passed; // false
 * fb.text; // "❌ **Exercise 01.1 (soft minimum)**: softmin([1, 2, 3], 1) = 1 is the hard minimum ..."
 * ```
 *
 * @module
 */
export type { Feedback } from "./_feedback.ts";
export * from "./soft_minimum.ts";
export * from "./expected_alignment.ts";
export * from "./padding.ts";
export * from "./temperature.ts";
export * from "./step_weights.ts";
