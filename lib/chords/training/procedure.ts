/**
 * The settings every dChord training configuration shares (the report's procedure: Adam as
 * Keras, learning rate 0.1, 300 epochs) and the padded weak targets of the soft-DTW losses,
 * with their defaults and checks, used by `resolveConfig` of config.ts.
 *
 * @example
 * ```ts
 * import { resolveProcedure } from "./procedure.ts";
 * resolveProcedure({ epochs: 5 }).learningRate; // 0.1
 * ```
 *
 * @module
 */
import type { Padding } from "../data/targets.ts";

/** The optimizer settings of a configuration; each has the report's default. */
export interface ProcedureOptions {
  /** Number of epochs (default 300). */
  epochs?: number;
  /** Adam learning rate (default 0.1). */
  learningRate?: number;
  /** Adam β1 (default 0.9). */
  beta1?: number;
  /** Adam β2 (default 0.999). */
  beta2?: number;
  /** Adam ε (default 1e-8). */
  epsilon?: number;
}

/** {@linkcode ProcedureOptions} with the defaults filled in. */
export interface ProcedureSettings {
  /** Epochs. */
  epochs: number;
  /** Learning rate. */
  learningRate: number;
  /** Adam β1. */
  beta1: number;
  /** Adam β2. */
  beta2: number;
  /** Adam ε. */
  epsilon: number;
}

/**
 * `value` if it is a positive finite number; a `RangeError` naming `name` otherwise.
 *
 * @example
 * ```ts
 * import { positiveFinite } from "./procedure.ts";
 * positiveFinite(0.5, "config.nu"); // 0.5
 * ```
 */
export function positiveFinite(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive finite number, got ${value}`);
  }
  return value;
}

/**
 * Checks the epochs and Adam's hyperparameters of a configuration and fills in the report's
 * defaults (in this order: epochs, learning rate, β1, β2, ε). Throws a `RangeError` naming the
 * field: fewer than 1 epoch or a non-integer, a learning rate or ε that is not positive and
 * finite, β1 or β2 outside [0, 1).
 *
 * @example
 * ```ts
 * import { resolveProcedure } from "./procedure.ts";
 * resolveProcedure({}); // { epochs: 300, learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }
 * ```
 */
export function resolveProcedure(config: ProcedureOptions): ProcedureSettings {
  const epochs = config.epochs ?? 300;
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new RangeError(`config.epochs must be an integer >= 1, got ${epochs}`);
  }
  const learningRate = positiveFinite(config.learningRate ?? 0.1, "config.learningRate");
  const beta1 = config.beta1 ?? 0.9;
  const beta2 = config.beta2 ?? 0.999;
  for (const [name, b] of [["config.beta1", beta1], ["config.beta2", beta2]] as const) {
    if (typeof b !== "number" || !(b >= 0 && b < 1)) {
      throw new RangeError(`${name} must be in [0, 1), got ${b}`);
    }
  }
  const epsilon = positiveFinite(config.epsilon ?? 1e-8, "config.epsilon");
  return { epochs, learningRate, beta1, beta2, epsilon };
}

/**
 * Checks the padded weak targets of a soft-DTW configuration and fills in the defaults (soft
 * length 16, uniform padding). Throws a `RangeError` naming the field.
 *
 * @example
 * ```ts
 * import { resolvePaddedTargets } from "./procedure.ts";
 * resolvePaddedTargets({ softLength: 75, padding: "last" }); // { softLength: 75, padding: "last" }
 * ```
 */
export function resolvePaddedTargets(
  config: { softLength?: number; padding?: Padding },
): { softLength: number; padding: Padding } {
  const softLength = config.softLength ?? 16;
  if (!Number.isInteger(softLength) || softLength <= 0) {
    throw new RangeError(`config.softLength must be a positive integer, got ${softLength}`);
  }
  const padding = config.padding ?? "uniform";
  if (padding !== "uniform" && padding !== "last") {
    throw new RangeError(
      `config.padding must be "uniform" or "last", got ${JSON.stringify(padding)}`,
    );
  }
  return { softLength, padding };
}
