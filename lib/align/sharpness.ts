/**
 * How sharp is an expected alignment? Numbers for the pictures of the report's Appendix C.
 *
 * An expected alignment `H = ∂SDTW^γ/∂C` of a training segment has one row per prediction
 * frame and one column per position of the padded weak target; its entries are nonnegative
 * (`H(m, n)` is the probability that the soft alignment visits cell `(m, n)`). This module
 * measures how concentrated it is:
 *
 * - {@linkcode rowEntropy} / {@linkcode meanRowEntropy}: each row normalized to a probability
 *   distribution over the target positions and its Shannon entropy (natural log). A one-hot row
 *   has entropy 0, a uniform row `log(cols)`; normalized by `log(cols)` the value lies in
 *   `[0, 1]` (0 = every frame sure of its position, 1 = no idea at all).
 * - {@linkcode band} / {@linkcode bandMass}: the fraction of the total mass of `H` that lies in
 *   the band of a reference alignment (for the report: the strong alignment implied by the
 *   frame labels, built in the chords package), widened by a tolerance of ±w columns. An
 *   alignment that follows the reference exactly has band mass 1.
 *
 * Used in notebooks/05_gamma_sweep.ipynb.
 *
 * @example
 * ```ts
 * import { bandMass, meanRowEntropy } from "./sharpness.ts";
 * const strong = [[1, 0], [1, 0], [0, 1], [0, 1]];
 * const E = [[1, 0], [0.5, 0.5], [0, 1], [0, 1]];
 * bandMass(E, strong); // 3.5 / 4 = 0.875
 * meanRowEntropy(E, { normalized: true }); // (0 + 1 + 0 + 0) / 4 = 0.25
 * ```
 *
 * @module
 */
/** Options naming the matrix in error messages. */
export interface NameOption {
  /** Name used in error messages (default "alignment"). */
  name?: string;
}

/**
 * Checks that a matrix is a non-empty, rectangular array of finite, nonnegative numbers;
 * throws an error naming the matrix, the row/column and the value otherwise (a `TypeError` for
 * a non-array, ragged rows or non-numbers, a `RangeError` for NaN, infinite or negative values).
 *
 * @example
 * ```ts
 * import { checkAlignment } from "./sharpness.ts";
 * checkAlignment([[0.5, 0.5], [0, 1]]); // ok
 * // checkAlignment([[0, -1]]) throws: alignment[0][1] is -1, expected a nonnegative number
 * ```
 */
export function checkAlignment(matrix: number[][], options: NameOption = {}): void {
  const name = options.name ?? "alignment";
  if (!Array.isArray(matrix) || matrix.length === 0) {
    throw new TypeError(`${name} must be a non-empty array of rows`);
  }
  if (!Array.isArray(matrix[0]) || matrix[0].length === 0) {
    throw new TypeError(`${name}: row 0 must be a non-empty array of numbers`);
  }
  const cols = matrix[0].length;
  matrix.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw new TypeError(
        `${name}: row ${i} has ${
          Array.isArray(row) ? row.length : "no"
        } entries, row 0 has ${cols}`,
      );
    }
    row.forEach((v, j) => {
      if (typeof v !== "number") {
        throw new TypeError(`${name}[${i}][${j}] must be a number, got ${typeof v}`);
      }
      if (Number.isNaN(v)) throw new RangeError(`${name}[${i}][${j}] is ${v} (not a number)`);
      if (!Number.isFinite(v)) throw new RangeError(`${name}[${i}][${j}] is ${v} (not finite)`);
      if (v < 0) {
        throw new RangeError(`${name}[${i}][${j}] is ${v}, expected a nonnegative number`);
      }
    });
  });
}

/** Options of {@linkcode rowEntropy} and {@linkcode meanRowEntropy}. */
export interface EntropyOptions extends NameOption {
  /** Divide by `log(cols)` so the result lies in `[0, 1]` (default false; needs cols ≥ 2). */
  normalized?: boolean;
}

/**
 * The Shannon entropy (natural log) of every row of a nonnegative matrix, each row first
 * divided by its sum: `H_m = −Σ_n p_mn log p_mn` with `p_mn = E_mn / Σ_n E_mn` (`0 log 0 = 0`).
 * A one-hot row gives 0, a uniform row `log(cols)`. With `normalized: true` the entropies are
 * divided by `log(cols)`. Throws for a matrix {@linkcode checkAlignment} refuses, for a row
 * whose sum is 0 (it is no distribution), and for `normalized` with a single column.
 *
 * @example
 * ```ts
 * import { rowEntropy } from "./sharpness.ts";
 * rowEntropy([[0, 2, 0], [1, 1, 1]]); // [0, log 3 ≈ 1.0986]
 * rowEntropy([[1, 1], [3, 1]], { normalized: true }); // [1, 0.8113]
 * ```
 */
export function rowEntropy(matrix: number[][], options: EntropyOptions = {}): number[] {
  const name = options.name ?? "alignment";
  checkAlignment(matrix, { name });
  const cols = matrix[0].length;
  if (options.normalized && cols < 2) {
    throw new RangeError(
      `${name}: normalized entropy needs at least 2 columns (log(1) = 0), got ${cols}`,
    );
  }
  const scale = options.normalized ? 1 / Math.log(cols) : 1;
  return matrix.map((row, i) => {
    let sum = 0;
    for (const v of row) sum += v;
    if (!(sum > 0)) {
      throw new RangeError(`${name}: row ${i} sums to 0, its entropy is undefined`);
    }
    let h = 0;
    for (const v of row) {
      if (v > 0) {
        const p = v / sum;
        h -= p * Math.log(p);
      }
    }
    // Rounding can leave a tiny negative value for a one-hot row; the entropy is >= 0.
    return Math.max(0, h) * scale;
  });
}

/**
 * The mean of {@linkcode rowEntropy} over the rows (same options and errors).
 *
 * @example
 * ```ts
 * import { meanRowEntropy } from "./sharpness.ts";
 * meanRowEntropy([[1, 0], [1, 1]], { normalized: true }); // (0 + 1) / 2 = 0.5
 * ```
 */
export function meanRowEntropy(matrix: number[][], options: EntropyOptions = {}): number {
  const h = rowEntropy(matrix, options);
  return h.reduce((a, b) => a + b, 0) / h.length;
}

/** Options of {@linkcode bandMass}. */
export interface BandOptions extends NameOption {
  /**
   * Tolerance w ≥ 0 (integer, columns): a cell `(m, n)` is in the band when some cell
   * `(m, n')` of the strong alignment has `|n − n'| ≤ w` (default 0).
   */
  tolerance?: number;
}

/**
 * The band of a strong alignment widened by ±`tolerance` columns, as a binary matrix of the
 * same size: cell `(m, n)` is 1 when row `m` of `strong` has a nonzero entry within
 * `tolerance` columns of `n`. Throws when `strong` is not a nonnegative matrix, has a row
 * without a nonzero entry (every frame must be aligned to some position) or the tolerance is
 * not a nonnegative integer.
 *
 * Used in notebooks/05_gamma_sweep.ipynb.
 *
 * @example
 * ```ts
 * import { band } from "./sharpness.ts";
 * band([[1, 0, 0, 0], [0, 0, 1, 0]], { tolerance: 1 }); // [[1, 1, 0, 0], [0, 1, 1, 1]]
 * ```
 */
export function band(strong: number[][], options: BandOptions = {}): number[][] {
  const name = options.name ?? "strong alignment";
  const w = options.tolerance ?? 0;
  if (!Number.isInteger(w) || w < 0) {
    throw new RangeError(`tolerance must be a nonnegative integer (columns), got ${w}`);
  }
  checkAlignment(strong, { name });
  const cols = strong[0].length;
  return strong.map((row, i) => {
    const out = new Array<number>(cols).fill(0);
    let any = false;
    row.forEach((v, j) => {
      if (v > 0) {
        any = true;
        for (let k = Math.max(0, j - w); k <= Math.min(cols - 1, j + w); k++) out[k] = 1;
      }
    });
    if (!any) throw new RangeError(`${name}: row ${i} has no aligned position`);
    return out;
  });
}

/**
 * The fraction of the total mass of `alignment` that lies inside the band of the strong
 * alignment ({@linkcode band}, ±`tolerance` columns): `Σ_{(m,n) ∈ band} E_mn / Σ E_mn`, in
 * `[0, 1]`. It is 1 for an alignment that stays in the band and 0 for one that never enters
 * it. Throws when the two matrices differ in size, for a matrix {@linkcode checkAlignment}
 * refuses, when `alignment` is all zeros, and for the errors of {@linkcode band}.
 *
 * Used in notebooks/05_gamma_sweep.ipynb.
 *
 * @example
 * ```ts
 * import { bandMass } from "./sharpness.ts";
 * bandMass([[3, 1], [0, 4]], [[1, 0], [0, 1]]); // 7 / 8
 * bandMass([[3, 1], [0, 4]], [[1, 0], [0, 1]], { tolerance: 1 }); // 1
 * ```
 */
export function bandMass(
  alignment: number[][],
  strong: number[][],
  options: BandOptions = {},
): number {
  const name = options.name ?? "alignment";
  checkAlignment(alignment, { name });
  checkAlignment(strong, { name: "strong alignment" });
  if (alignment.length !== strong.length || alignment[0].length !== strong[0].length) {
    throw new TypeError(
      `${name} is ${alignment.length}×${alignment[0].length} but the strong alignment is ` +
        `${strong.length}×${strong[0].length}`,
    );
  }
  const inBand = band(strong, { tolerance: options.tolerance });
  let total = 0;
  let inside = 0;
  alignment.forEach((row, i) =>
    row.forEach((v, j) => {
      total += v;
      if (inBand[i][j]) inside += v;
    })
  );
  if (!(total > 0)) throw new RangeError(`${name} is all zeros, its band mass is undefined`);
  return inside / total;
}
