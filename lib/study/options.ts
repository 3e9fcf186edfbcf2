/**
 * Checking of options objects: a misspelt option is an error naming it, not silently ignored
 * (an ignored `dir` once made a test write into the committed results).
 *
 * @example
 * ```ts
 * import { checkKeys } from "./options.ts";
 * const known: ("runs" | "config")[] = ["runs", "config"];
 * checkKeys<{ runs?: number; config?: object }>({ runs: 5 }, known, "runExperiment");
 * ```
 *
 * @module
 */

/**
 * Refuses an options object with a key not in `known` (a TypeError naming it), so that a
 * misspelt option is not silently ignored.
 *
 * @example
 * ```ts
 * import { checkKeys } from "./options.ts";
 * checkKeys({ epochs: 3 }, ["epochs"], "f"); // ok
 * ```
 */
export function checkKeys<T extends object>(
  options: T,
  known: readonly (keyof T)[],
  what: string,
): void {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`${what}: options must be an object`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key as keyof T)) {
      throw new TypeError(
        `${what}: unknown option "${key}" (known: ${known.map(String).join(", ")})`,
      );
    }
  }
}

/**
 * `value` if it is a positive integer; a `RangeError` naming `name` otherwise.
 *
 * @example
 * ```ts
 * import { positiveInteger } from "./options.ts";
 * positiveInteger(5, "runs"); // 5
 * ```
 */
export function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
