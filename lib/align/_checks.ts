/**
 * Argument checks shared by the kernels' entry points: positive sizes, arrays packing a batch
 * (`B` items of a fixed allocated size), per-item lengths, and finite entries inside each item's
 * used block. One implementation for soft-DTW (`soft_dtw_batch.ts`), the step-weighted kernel
 * (`weighted.ts`), the divergence (`divergence.ts`), CTC (`ctc.ts`), bands, priors and brute
 * force, so that the same mistake gives the same error everywhere: a `TypeError` for a wrong
 * type or shape (not an array, a length that does not match the batch), a `RangeError` for a
 * value out of range (a size that is not a positive integer, a length out of bounds, a
 * non-finite entry). The γ check is `checkGamma` in `options.ts`.
 *
 * @example
 * ```ts
 * import { checkLengths, checkPackedArray, checkPositiveIntegers } from "./_checks.ts";
 * checkPositiveIntegers({ batch: 2, maxRows: 3 });
 * checkPackedArray(new Float64Array(6), { name: "cost", length: 6 });
 * checkLengths([3, 1], { count: 2, max: 3, name: "rowLengths" }); // [3, 1]
 * ```
 *
 * @module
 */
import type { PackedCosts } from "./cost.ts";

/**
 * Throws a `RangeError` `"<where>: <name> must be a positive integer, got <value>"` for the
 * first value that is not a positive integer (`where` and its colon only when given).
 *
 * @example
 * ```ts
 * import { checkPositiveIntegers } from "./_checks.ts";
 * checkPositiveIntegers({ rows: 2, cols: 3 }, { where: "sakoeChibaBand" }); // ok
 * ```
 */
export function checkPositiveIntegers(
  values: Readonly<Record<string, number>>,
  options: { where?: string } = {},
): void {
  for (const [k, v] of Object.entries(values)) {
    if (!Number.isInteger(v) || v < 1) {
      const at = options.where === undefined ? "" : `${options.where}: `;
      throw new RangeError(`${at}${k} must be a positive integer, got ${v}`);
    }
  }
}

/** Options of {@linkcode checkPackedArray}. */
export interface PackedArrayOptions {
  /** Name of the array in error messages. */
  name: string;
  /** The length it must have. */
  length: number;
  /** How the length is computed, e.g. `"batch * maxRows * maxCols"` (named in the error). */
  formula?: string;
}

/**
 * Checks that a packed batch is an array-like of the expected length; throws a `TypeError`
 * otherwise (the entries are checked by {@linkcode checkFiniteBlocks}).
 *
 * @example
 * ```ts
 * import { checkPackedArray } from "./_checks.ts";
 * checkPackedArray([0, 1, 1, 0], { name: "cost", length: 4, formula: "batch * maxRows * maxCols" });
 * ```
 */
export function checkPackedArray(array: ArrayLike<number>, options: PackedArrayOptions): void {
  const { name, length, formula } = options;
  if (array === null || typeof array !== "object" || typeof array.length !== "number") {
    throw new TypeError(`${name} must be an array-like of numbers`);
  }
  if (array.length !== length) {
    const expected = formula === undefined ? `${length}` : `${formula} = ${length}`;
    throw new TypeError(`${name} has length ${array.length}, expected ${expected}`);
  }
}

/** Options of {@linkcode checkLengths}. */
export interface LengthsOptions {
  /** Number of items (one length each). */
  count: number;
  /** The largest allowed length (the allocated size). */
  max: number;
  /** Name of the lengths in error messages. */
  name: string;
  /** What one item is called in error messages (default `"pair"`). */
  unit?: string;
}

/**
 * Per-item used lengths: `max` for every item when `lengths` is undefined, else a copy after
 * checking one integer in `[1, max]` per item. Throws a `TypeError` for the wrong number of
 * lengths and a `RangeError` naming a length out of range.
 *
 * @example
 * ```ts
 * import { checkLengths } from "./_checks.ts";
 * checkLengths(undefined, { count: 2, max: 5, name: "rowLengths" }); // [5, 5]
 * ```
 */
export function checkLengths(
  lengths: readonly number[] | undefined,
  options: LengthsOptions,
): number[] {
  const { count, max, name, unit = "pair" } = options;
  if (lengths === undefined) return new Array<number>(count).fill(max);
  if (!Array.isArray(lengths) || lengths.length !== count) {
    throw new TypeError(
      `${name} must have one length per ${unit} (${count}), got ${
        Array.isArray(lengths) ? lengths.length : typeof lengths
      }`,
    );
  }
  lengths.forEach((l, b) => {
    if (!Number.isInteger(l) || l < 1 || l > max) {
      throw new RangeError(`${name}[${b}] is ${l}; it must be an integer in [1, ${max}]`);
    }
  });
  return [...lengths];
}

/** Layout of a packed batch for {@linkcode checkFiniteBlocks}. */
export interface BlocksLayout {
  /** Name of the array in error messages. */
  name: string;
  /** Distance between the starts of consecutive items. */
  block: number;
  /** Distance between consecutive rows inside an item. */
  stride: number;
  /** Used rows of each item (one per item). */
  rows: readonly number[];
  /** Used columns of each item (one per item), or one number for all. */
  cols: readonly number[] | number;
  /** What one item is called in error messages (default `"pair"`). */
  unit?: string;
  /** What the entries are in error messages (default `"costs"`). */
  entries?: string;
}

/**
 * Checks that every entry inside each item's used `rows[b] x cols[b]` block is a finite number
 * (padding is not looked at); throws a `RangeError` naming the item and the cell otherwise.
 *
 * @example
 * ```ts
 * import { checkFiniteBlocks } from "./_checks.ts";
 * // two 2 x 2 items, the second using one row: its padding row may hold anything
 * checkFiniteBlocks([0, 1, 1, 0, 5, 0, NaN, NaN], {
 *   name: "cost", block: 4, stride: 2, rows: [2, 1], cols: [2, 2],
 * });
 * ```
 */
export function checkFiniteBlocks(array: ArrayLike<number>, layout: BlocksLayout): void {
  const { name, block, stride, rows, cols, unit = "pair", entries = "costs" } = layout;
  for (let b = 0; b < rows.length; b++) {
    const nb = typeof cols === "number" ? cols : cols[b];
    for (let m = 0; m < rows[b]; m++) {
      const o = b * block + m * stride;
      for (let n = 0; n < nb; n++) {
        const v = array[o + n];
        if (typeof v !== "number" || !Number.isFinite(v)) {
          throw new RangeError(
            `${name} of ${unit} ${b} at [${m}][${n}] is ${v}; ${entries} must be finite`,
          );
        }
      }
    }
  }
}

/**
 * Checks a {@linkcode PackedCosts} batch (sizes, array length, per-pair lengths, finite costs
 * inside every used block) and returns the slot size and the used lengths of each pair.
 *
 * @example
 * ```ts
 * import { checkPackedCosts } from "./_checks.ts";
 * const { block, rowLengths } = checkPackedCosts({
 *   cost: [0, 1, 1, 0, 5, 0, NaN, NaN], batch: 2, maxRows: 2, maxCols: 2, rowLengths: [2, 1],
 * }); // block 4, rowLengths [2, 1]
 * ```
 */
export function checkPackedCosts(
  args: PackedCosts,
): { block: number; rowLengths: number[]; colLengths: number[] } {
  const shape = checkPackedShape(args);
  checkFiniteBlocks(args.cost, {
    name: "cost",
    block: shape.block,
    stride: args.maxCols,
    rows: shape.rowLengths,
    cols: shape.colLengths,
  });
  return shape;
}

/**
 * The checks of {@linkcode checkPackedCosts} but the costs themselves: sizes, array length and
 * per-pair lengths (for callers that check the costs elsewhere, e.g. in Workers).
 *
 * @example
 * ```ts
 * import { checkPackedShape } from "./_checks.ts";
 * checkPackedShape({ cost: [0, NaN, 1, 0], batch: 1, maxRows: 2, maxCols: 2 }); // block 4
 * ```
 */
export function checkPackedShape(
  args: PackedCosts,
): { block: number; rowLengths: number[]; colLengths: number[] } {
  const { cost, batch, maxRows, maxCols } = args;
  checkPositiveIntegers({ batch, maxRows, maxCols });
  const block = maxRows * maxCols;
  checkPackedArray(cost, {
    name: "cost",
    length: batch * block,
    formula: "batch * maxRows * maxCols",
  });
  const rows = checkLengths(args.rowLengths, { count: batch, max: maxRows, name: "rowLengths" });
  const cols = checkLengths(args.colLengths, { count: batch, max: maxCols, name: "colLengths" });
  return { block, rowLengths: rows, colLengths: cols };
}
