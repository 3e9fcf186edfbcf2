/**
 * Targets of the training losses and the alignment they imply: strong targets (frame-wise
 * one-hot, for binary cross-entropy) and weak targets (adjacent repetitions removed, padded to a
 * "soft length", one-hot, for soft-DTW), the padding rules ("uniform" stretching or "last"-element
 * repetition, the report's Section 4), and the strong alignment between a segment's frames and its
 * own padded weak target (with its blocks and their outline for figures).
 *
 * N (no chord, {@linkcode NO_CHORD}) is an all-zero row in both kinds of targets.
 *
 * Used in notebooks/03_dataset_padding.ipynb, notebooks/04_strong_vs_soft_training.ipynb and
 * notebooks/05_gamma_sweep.ipynb.
 *
 * @example
 * ```ts
 * import { padSequence, removeRepetitions } from "./targets.ts";
 * padSequence(removeRepetitions([0, 0, 7, 9, 9]), { softLength: 8, padding: "uniform" });
 * // [0, 0, 7, 7, 7, 9, 9, 9]
 * ```
 *
 * @module
 */
import { NO_CHORD, NUM_CHORDS } from "./labels.ts";

/** Padding of a reduced weak label sequence to the soft length. */
export type Padding = "uniform" | "last";

/** Options of the weak targets. */
export interface WeakOptions {
  /** Length of the padded weak sequence (the report uses 16 and 75). */
  softLength: number;
  /** `uniform`: stretch every element evenly; `last`: repeat the last element. */
  padding: Padding;
}

function checkLabels(labels: number[], what: string): void {
  labels.forEach((l, i) => {
    if (!Number.isInteger(l) || l < NO_CHORD || l >= NUM_CHORDS) {
      throw new RangeError(`${what}: label ${i} is ${l}, expected an integer in -1..23`);
    }
  });
}

/**
 * Frame-wise one-hot targets (frames × 24); N gives an all-zero row.
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * import { strongTargets } from "./targets.ts";
 * strongTargets([0, -1])[0][0]; // 1
 * strongTargets([0, -1])[1].every((v) => v === 0); // true
 * ```
 */
export function strongTargets(labels: number[]): number[][] {
  checkLabels(labels, "strongTargets");
  return labels.map(oneHot);
}

function oneHot(label: number): number[] {
  const row = new Array<number>(NUM_CHORDS).fill(0);
  if (label !== NO_CHORD) row[label] = 1;
  return row;
}

/**
 * Removes adjacent repetitions (N is kept as an element like any chord).
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * import { removeRepetitions } from "./targets.ts";
 * removeRepetitions([0, 0, -1, -1, 0, 7, 7]); // [0, -1, 0, 7]
 * ```
 */
export function removeRepetitions(labels: number[]): number[] {
  const out: number[] = [];
  for (const l of labels) if (out.length === 0 || out[out.length - 1] !== l) out.push(l);
  return out;
}

/**
 * Number of copies of each element of a length-`L` sequence stretched uniformly to length
 * `S >= L`: `c_i = floor((i+1)·S/L) − floor(i·S/L)`. Every element gets `floor(S/L)` or
 * `floor(S/L) + 1` copies; the `S mod L` extra copies are spread evenly (Bresenham-like) and
 * the counts sum to S.
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * import { uniformRepeats } from "./targets.ts";
 * uniformRepeats(3, 8); // [2, 3, 3]
 * ```
 */
export function uniformRepeats(length: number, softLength: number): number[] {
  const counts: number[] = [];
  for (let i = 0; i < length; i++) {
    counts.push(
      Math.floor(((i + 1) * softLength) / length) - Math.floor((i * softLength) / length),
    );
  }
  return counts;
}

/**
 * Pads a reduced label sequence to `softLength` elements.
 * `uniform`: element i is repeated {@link uniformRepeats}`[i]` times (i.e. `softLength // L`
 * or one more, extras spread evenly); `last`: the sequence is kept and its last element is
 * repeated until the length is reached. Errors (naming `options.name`): empty sequence,
 * `softLength` not a positive integer, `softLength` shorter than the sequence.
 *
 * Used in notebooks/03_dataset_padding.ipynb.
 *
 * @example
 * ```ts
 * import { padSequence } from "./targets.ts";
 * padSequence([0, 7, 9], { softLength: 8, padding: "uniform" }); // [0,0,7,7,7,9,9,9]
 * padSequence([0, 7, 9], { softLength: 5, padding: "last" }); // [0,7,9,9,9]
 * ```
 */
export function padSequence(
  reduced: number[],
  options: WeakOptions & { name?: string },
): number[] {
  const { softLength, padding } = options;
  const name = options.name ?? "sequence";
  if (!Number.isInteger(softLength) || softLength <= 0) {
    throw new RangeError(
      `padSequence(${name}): softLength must be a positive integer, got ${softLength}`,
    );
  }
  if (reduced.length === 0) throw new RangeError(`padSequence(${name}): the sequence is empty`);
  if (softLength < reduced.length) {
    throw new RangeError(
      `padSequence(${name}): softLength ${softLength} is shorter than the reduced sequence ` +
        `(${reduced.length} elements)`,
    );
  }
  if (padding === "last") {
    const out = reduced.slice();
    while (out.length < softLength) out.push(reduced[reduced.length - 1]);
    return out;
  }
  if (padding === "uniform") {
    const counts = uniformRepeats(reduced.length, softLength);
    const out: number[] = [];
    reduced.forEach((l, i) => {
      for (let k = 0; k < counts[i]; k++) out.push(l);
    });
    return out;
  }
  throw new RangeError(`padSequence(${name}): unknown padding ${JSON.stringify(padding)}`);
}

/**
 * Weak targets (softLength × 24): adjacent repetitions removed, padded to `softLength`
 * ({@link padSequence}), one-hot with N as an all-zero row.
 *
 * @example
 * ```ts
 * import { weakTargets } from "./targets.ts";
 * weakTargets([0, 0, 0, 7], { softLength: 4, padding: "last" }).length; // 4
 * ```
 */
export function weakTargets(
  labels: number[],
  options: WeakOptions & { name?: string },
): number[][] {
  checkLabels(labels, `weakTargets(${options.name ?? "sequence"})`);
  return padSequence(removeRepetitions(labels), options).map(oneHot);
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
  /** Padding of the weak target, as {@linkcode padSequence}. */
  padding: Padding;
}

/**
 * The strong alignment of a segment's frames against its own weak target: the binary
 * frames × soft-length matrix implied by the padding, where frame `m` of run `k` (a run of equal
 * labels) is aligned to every padded position that comes from run `k`
 * ({@linkcode uniformRepeats} copies for uniform padding; one copy, and the rest for the last
 * run, for last padding). It is the alignment a perfect model would follow, against which the
 * sharpness of an expected alignment is measured.
 * Throws for empty labels, labels outside −1..23 or non-integer, a soft length that is not a
 * positive integer or is shorter than the number of runs, and an unknown padding.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb.
 *
 * @example
 * ```ts
 * import { strongAlignment } from "./targets.ts";
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
 * points on cell edges (±0.5 around the cells), for drawing over a heatmap (lib/display): along the
 * lower-right side of the blocks from the first cell to the last, then back along the
 * upper-left side. Throws for no blocks.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb and notebooks/05_gamma_sweep.ipynb.
 *
 * @example
 * ```ts
 * import { blockOutline } from "./targets.ts";
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
