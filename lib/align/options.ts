/**
 * The options every soft-DTW entry point takes, and the one γ check they all use.
 *
 * {@linkcode SoftDtwOptions} is an options object (not a bare `gamma`) so that later members of
 * the alignment family (step weights, bands) extend the same type. {@linkcode checkGamma} is the
 * only γ validator of the library: the float64 kernels (also the raw `softDtwKernel`), brute
 * force, the tfjs loss and the trainers call it, so a tiny or invalid γ is always reported as a
 * γ problem, naming the value.
 *
 * Errors, across `lib/align`: a `TypeError` when an argument has the wrong type or shape
 * (not an array, ragged rows, sizes that must agree but differ, a tensor of the wrong rank), a
 * `RangeError` when a value is out of its range (γ, NaN or infinite costs, empty inputs,
 * lengths or tolerances out of bounds, an overflowing accumulated cost).
 *
 * @example
 * ```ts
 * import { checkGamma, type SoftDtwOptions } from "./options.ts";
 * const options: SoftDtwOptions = { gamma: 0.3 };
 * checkGamma(options.gamma); // ok
 * ```
 *
 * @module
 */

/**
 * Which soft-DTW kernel runs: `"auto"` (the default) the WebAssembly SIMD kernel of
 * `_soft_dtw_wasm.ts` when it is available and the problem fits in wasm32 memory, else the
 * TypeScript kernel; `"wasm"` the WebAssembly kernel or an `Error` when it cannot run; `"ts"`
 * the TypeScript kernel (the readable reference). Both give the same results up to a few ulp.
 */
export type SoftDtwKernelChoice = "auto" | "wasm" | "ts";

/** Step weights `[wRow, wCol, wDiag]`: row step, column step, diagonal step. */
export type StepWeights = readonly [number, number, number];

/** Options of the soft-DTW functions (extended by later members of the family). */
export interface SoftDtwOptions {
  /** Temperature γ > 0 of the soft minimum (finite, with a finite reciprocal). */
  gamma: number;
  /** The kernel (default `"auto"`: WebAssembly when available, see {@linkcode SoftDtwKernelChoice}). */
  kernel?: SoftDtwKernelChoice;
}

/**
 * Options of the functions that run plain soft-DTW only (`softDtwBatch`, `softDtwBatch64`,
 * `softDtwAccumulated`): a {@linkcode SoftDtwOptions} that must not carry the `stepWeights` or
 * `band` of the weighted functions (the type refuses them, and so does the run-time check
 * {@linkcode checkPlainSoftDtwOptions}).
 */
export type PlainSoftDtwOptions = SoftDtwOptions & { stepWeights?: undefined; band?: undefined };

/**
 * Checks a {@linkcode PlainSoftDtwOptions} object and returns γ: the errors of
 * {@linkcode checkSoftDtwOptions}, and a `TypeError` naming the function and what to call
 * instead when `stepWeights` or `band` is given (they would otherwise be dropped silently).
 *
 * @example
 * ```ts
 * import { checkPlainSoftDtwOptions } from "./options.ts";
 * checkPlainSoftDtwOptions({ gamma: 1 }, "softDtwBatch"); // 1
 * ```
 */
export function checkPlainSoftDtwOptions(options: PlainSoftDtwOptions, where: string): number {
  const gamma = checkSoftDtwOptions(options);
  for (const key of ["stepWeights", "band"] as const) {
    if (options[key] !== undefined) {
      throw new TypeError(
        `${where} computes plain soft-DTW and does not take ${key}; use softDtwValueAndGrad ` +
          `(or weightedSoftDtwBatch64 for a batch) for step weights and bands`,
      );
    }
  }
  return gamma;
}

/** Options of {@linkcode checkGamma}. */
export interface CheckGammaOptions {
  /** Name of the value in error messages (default `"gamma"`). */
  name?: string;
}

/**
 * Checks that γ is a positive finite number whose reciprocal is finite (so the kernels can
 * divide by it); throws a `RangeError` naming the value otherwise (a `TypeError` if it is not a
 * number at all). The smallest accepted γ is about 5.6e-309.
 *
 * @example
 * ```ts
 * import { checkGamma } from "./options.ts";
 * checkGamma(0.3); // ok
 * // checkGamma(0) throws RangeError: gamma must be a positive finite number, got 0
 * // checkGamma(1e-320) throws RangeError: gamma is too small (1 / gamma overflows), got 1e-320
 * ```
 */
export function checkGamma(gamma: number, options: CheckGammaOptions = {}): void {
  const name = options.name ?? "gamma";
  if (typeof gamma !== "number") {
    throw new TypeError(`${name} must be a number, got ${typeof gamma}`);
  }
  if (!Number.isFinite(gamma) || !(gamma > 0)) {
    throw new RangeError(`${name} must be a positive finite number, got ${gamma}`);
  }
  if (!Number.isFinite(1 / gamma)) {
    throw new RangeError(`${name} is too small (1 / ${name} overflows), got ${gamma}`);
  }
}

/**
 * Checks a {@linkcode SoftDtwOptions} object (an object with a valid `gamma`) and returns γ.
 * Throws a `TypeError` when `options` is not an object (for example a bare number, the form of
 * versions before 0.3) and the errors of {@linkcode checkGamma}.
 *
 * @example
 * ```ts
 * import { checkSoftDtwOptions } from "./options.ts";
 * checkSoftDtwOptions({ gamma: 1 }); // 1
 * ```
 */
export function checkSoftDtwOptions(options: SoftDtwOptions): number {
  if (options === null || typeof options !== "object") {
    throw new TypeError(
      `soft-DTW options must be an object { gamma }, got ${
        options === null ? "null" : typeof options
      } ${typeof options === "number" ? `(write { gamma: ${options} })` : ""}`.trim(),
    );
  }
  checkGamma(options.gamma);
  return options.gamma;
}
