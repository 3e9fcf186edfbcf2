/**
 * How sharp is an expected alignment? Numbers for the pictures of the report's Appendix C.
 *
 * An expected alignment `E = ∂SDTW^γ/∂C` of a training segment has one row per prediction
 * frame and one column per position of the padded weak target; its entries are nonnegative
 * (`E(m, n)` is the expected number of times the soft alignment visits cell `(m, n)`). This
 * module measures how concentrated it is:
 *
 * - {@linkcode rowEntropy} / {@linkcode meanRowEntropy}: each row normalized to a probability
 *   distribution over the target positions and its Shannon entropy (natural log). A one-hot row
 *   has entropy 0, a uniform row `log(cols)`; normalized by `log(cols)` the value lies in
 *   `[0, 1]` (0 = every frame sure of its position, 1 = no idea at all).
 * - {@linkcode bandMass}: the fraction of the total mass of `E` that lies in the band of the
 *   strong alignment, widened by a tolerance of ±w columns. An alignment that follows the
 *   strong alignment exactly has band mass 1.
 * - {@linkcode strongAlignment}: the strong alignment of a segment against its own weak
 *   target (frames × soft length, binary), and {@linkcode blockOutline}, the outline of its
 *   blocks for drawing it over a heatmap.
 *
 * The strong alignment. The weak target is built from the frame labels by removing adjacent
 * repetitions (runs `0..L−1`, each run = a maximal block of equal labels) and padding the
 * reduced sequence to the soft length `S` (`lib/dataset.ts`, {@linkcode padSequence}). Every
 * padded position comes from exactly one run: with `"uniform"` padding run `k` occupies
 * `uniformRepeats(L, S)[k]` consecutive positions; with `"last"` padding run `k < L−1` occupies
 * position `k` and the last run occupies positions `L−1..S−1`. The strong alignment maps every
 * frame of run `k` to all the positions that run `k` occupies, so it is block diagonal: one
 * full `r_k × c_k` block per run (`r_k` frames, `c_k` positions), the blocks touching corner to
 * corner from `(0, 0)` to `(frames−1, S−1)`. Every monotone warping path from the first to the
 * last cell that stays inside these blocks is a "correct" alignment; soft-DTW's expected
 * alignment is a weighted average of paths, so its mass inside the band is the share of the
 * correct ones. No-chord frames (label N = −1) need no special case: N is kept as an element
 * of the reduced sequence (its target row is all zeros), so a run of N frames maps to the
 * positions of its N element like any chord.
 *
 * Used in notebooks/05_gamma_sweep.ipynb (through `lib/gamma_sweep.ts`).
 *
 * @example
 * ```ts
 * import { bandMass, meanRowEntropy, strongAlignment } from "./alignment_stats.ts";
 * const strong = strongAlignment([0, 0, 7, 7], { softLength: 2, padding: "uniform" });
 * strong.matrix; // [[1, 0], [1, 0], [0, 1], [0, 1]]
 * const E = [[1, 0], [0.5, 0.5], [0, 1], [0, 1]];
 * bandMass(E, strong.matrix); // 3.5 / 4 = 0.875
 * meanRowEntropy(E, { normalized: true }); // (0 + 1 + 0 + 0) / 4 = 0.25
 * ```
 *
 * @module
 */
import { type Padding, removeRepetitions, uniformRepeats } from "../chords/dataset.ts";

/** Options naming the matrix in error messages. */
export interface NameOption {
  /** Name used in error messages (default "alignment"). */
  name?: string;
}

/**
 * Checks that a matrix is a non-empty, rectangular array of finite, nonnegative numbers;
 * throws an error naming the matrix, the row/column and the value otherwise.
 *
 * Used in notebooks/05_gamma_sweep.ipynb (through the measures of this module).
 *
 * @example
 * ```ts
 * import { checkAlignment } from "./alignment_stats.ts";
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
      throw new RangeError(
        `${name}: row ${i} has ${
          Array.isArray(row) ? row.length : "no"
        } entries, row 0 has ${cols}`,
      );
    }
    row.forEach((v, j) => {
      if (typeof v !== "number" || Number.isNaN(v)) {
        throw new RangeError(`${name}[${i}][${j}] is ${v} (not a number)`);
      }
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
 * Used in notebooks/05_gamma_sweep.ipynb.
 *
 * @example
 * ```ts
 * import { rowEntropy } from "./alignment_stats.ts";
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
 * Used in notebooks/05_gamma_sweep.ipynb.
 *
 * @example
 * ```ts
 * import { meanRowEntropy } from "./alignment_stats.ts";
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
 * Used in notebooks/05_gamma_sweep.ipynb (through {@linkcode bandMass}).
 *
 * @example
 * ```ts
 * import { band } from "./alignment_stats.ts";
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
 * import { bandMass } from "./alignment_stats.ts";
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
    throw new RangeError(
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

/** One block of a strong alignment: a run of equal frame labels and its padded positions. */
export interface AlignmentBlock {
  /** Label of the run (0..23, or −1 for N). */
  label: number;
  /** First and last frame of the run (inclusive). */
  rows: [number, number];
  /** First and last position of the run in the padded weak sequence (inclusive). */
  cols: [number, number];
}

/** A strong alignment: its binary matrix and its blocks. */
export interface StrongAlignment {
  /** Binary matrix, frames × soft length. */
  matrix: number[][];
  /** One block per run of equal labels, in time order. */
  blocks: AlignmentBlock[];
}

/** Options of {@linkcode strongAlignment}. */
export interface StrongAlignmentOptions {
  /** Length S of the padded weak target. */
  softLength: number;
  /** Padding of the weak target, as in `lib/dataset.ts`. */
  padding: Padding;
}

/**
 * The strong alignment of a segment's frames against its own weak target (see the module
 * doc): frame `m` of run `k` is aligned to every padded position that comes from run `k`.
 * Throws for empty labels, labels outside −1..23 or non-integer, a soft length that is not a
 * positive integer or is shorter than the number of runs, and an unknown padding.
 *
 * Used in notebooks/05_gamma_sweep.ipynb.
 *
 * @example
 * ```ts
 * import { strongAlignment } from "./alignment_stats.ts";
 * const s = strongAlignment([0, 0, 0, 7], { softLength: 3, padding: "last" });
 * s.blocks; // [{ label: 0, rows: [0, 2], cols: [0, 0] }, { label: 7, rows: [3, 3], cols: [1, 2] }]
 * ```
 */
export function strongAlignment(
  labels: number[],
  options: StrongAlignmentOptions,
): StrongAlignment {
  if (!Array.isArray(labels) || labels.length === 0) {
    throw new TypeError("strongAlignment: labels must be a non-empty array");
  }
  labels.forEach((l, i) => {
    if (!Number.isInteger(l) || l < -1 || l > 23) {
      throw new RangeError(`strongAlignment: label ${i} is ${l}, expected an integer in -1..23`);
    }
  });
  const { softLength, padding } = options;
  if (!Number.isInteger(softLength) || softLength <= 0) {
    throw new RangeError(
      `strongAlignment: softLength must be a positive integer, got ${softLength}`,
    );
  }
  const runs = removeRepetitions(labels);
  const L = runs.length;
  if (softLength < L) {
    throw new RangeError(
      `strongAlignment: softLength ${softLength} is shorter than the ${L} runs of the labels`,
    );
  }
  let counts: number[];
  if (padding === "uniform") counts = uniformRepeats(L, softLength);
  else if (padding === "last") {
    counts = runs.map((_, k) => (k < L - 1 ? 1 : softLength - L + 1));
  } else {
    throw new RangeError(
      `strongAlignment: padding must be "uniform" or "last", got ${JSON.stringify(padding)}`,
    );
  }
  const blocks: AlignmentBlock[] = [];
  let row = 0;
  let col = 0;
  for (let k = 0; k < L; k++) {
    let end = row;
    while (end + 1 < labels.length && labels[end + 1] === runs[k]) end++;
    blocks.push({ label: runs[k], rows: [row, end], cols: [col, col + counts[k] - 1] });
    row = end + 1;
    col += counts[k];
  }
  const matrix = labels.map(() => new Array<number>(softLength).fill(0));
  for (const b of blocks) {
    for (let m = b.rows[0]; m <= b.rows[1]; m++) {
      for (let n = b.cols[0]; n <= b.cols[1]; n++) matrix[m][n] = 1;
    }
  }
  return { matrix, blocks };
}

/**
 * The outline of the blocks of a strong alignment as one closed polygon of `[row, column]`
 * points on cell edges (±0.5 around the cells), for `withPath` in `lib/display.ts`: along the
 * lower-right side of the blocks from the first cell to the last, then back along the
 * upper-left side. Throws for no blocks.
 *
 * Used in notebooks/05_gamma_sweep.ipynb.
 *
 * @example
 * ```ts
 * import { blockOutline } from "./alignment_stats.ts";
 * blockOutline([{ label: 0, rows: [0, 1], cols: [0, 0] }]);
 * // [[-0.5, -0.5], [-0.5, 0.5], [1.5, 0.5], [1.5, -0.5], [-0.5, -0.5]]
 * ```
 */
export function blockOutline(blocks: AlignmentBlock[]): [number, number][] {
  if (!Array.isArray(blocks) || blocks.length === 0) {
    throw new TypeError("blockOutline: expected at least one block");
  }
  const out: [number, number][] = [];
  for (const b of blocks) {
    out.push([b.rows[0] - 0.5, b.cols[0] - 0.5], [b.rows[0] - 0.5, b.cols[1] + 0.5]);
  }
  const last = blocks[blocks.length - 1];
  out.push([last.rows[1] + 0.5, last.cols[1] + 0.5]);
  for (let k = blocks.length - 1; k >= 0; k--) {
    const b = blocks[k];
    out.push([b.rows[1] + 0.5, b.cols[0] - 0.5], [b.rows[0] - 0.5, b.cols[0] - 0.5]);
  }
  // Consecutive duplicates (block corners shared with the next block) are dropped.
  return out.filter((p, i) => i === 0 || p[0] !== out[i - 1][0] || p[1] !== out[i - 1][1]);
}
