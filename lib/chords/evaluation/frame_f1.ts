/**
 * Frame-wise evaluation of chord recognition: precision, recall and F-measure, as libfmp's
 * `compute_eval_measures(I_ref, I_est)` (FMP, Section 5.2).
 *
 * Reference and estimate are binary matrices of size chords × frames. The estimate has exactly
 * one 1 per frame (the argmax chord); the reference has one 1 per frame except at frames
 * annotated "no chord" (N), whose column is all zero. With
 *
 * ```
 * TP = Σ I_ref · I_est,   FP = Σ I_est − TP,   FN = Σ I_ref − TP,
 * P = TP / (TP + FP),     R = TP / (TP + FN),   F = 2 P R / (P + R),
 * ```
 *
 * and `P = R = F = 0` when `TP = 0` (libfmp's guard against 0/0). So every N frame counts as a
 * false positive of the estimate (the model always outputs one of the 24 chords).
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb and notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { evaluateLabels } from "./frame_f1.ts";
 * const m = evaluateLabels({ reference: [0, 0, -1, 9], estimate: [0, 7, 7, 9] });
 * // m.tp = 2, m.fp = 2, m.fn = 1, m.precision = 0.5, m.recall = 2 / 3
 * ```
 *
 * @module
 */
import { argmax, NUM_CHORDS } from "../data/labels.ts";

/** The evaluation measures of one estimate against one reference. */
export interface EvalMeasures {
  /** Precision `TP / (TP + FP)` (0 when TP = 0). */
  precision: number;
  /** Recall `TP / (TP + FN)` (0 when TP = 0). */
  recall: number;
  /** F-measure `2PR / (P + R)` (0 when TP = 0). */
  f1: number;
  /** Number of true positives. */
  tp: number;
  /** Number of false positives. */
  fp: number;
  /** Number of false negatives. */
  fn: number;
}

function checkBinary(matrix: number[][], name: string): void {
  if (!Array.isArray(matrix) || matrix.length === 0) {
    throw new RangeError(`${name} must be a non-empty chords × frames matrix`);
  }
  const cols = Array.isArray(matrix[0]) ? matrix[0].length : -1;
  if (cols < 1) throw new RangeError(`${name} must have at least one frame (column)`);
  matrix.forEach((row, c) => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw new TypeError(
        `${name}: row ${c} has ${Array.isArray(row) ? row.length : typeof row} entries, ` +
          `row 0 has ${cols}`,
      );
    }
    row.forEach((v, n) => {
      if (v !== 0 && v !== 1) {
        throw new RangeError(`${name}[${c}][${n}] must be 0 or 1, got ${v}`);
      }
    });
  });
}

/**
 * Precision, recall and F-measure of a binary estimate matrix against a binary reference
 * matrix (both chords × frames), as libfmp's `compute_eval_measures`.
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (through {@linkcode evaluateLabels}).
 *
 * @example
 * ```ts
 * import { evalMeasures } from "./frame_f1.ts";
 * const ref = [[1, 0], [0, 1]];
 * const est = [[1, 1], [0, 0]];
 * evalMeasures(ref, est); // { precision: 0.5, recall: 0.5, f1: 0.5, tp: 1, fp: 1, fn: 1 }
 * ```
 */
export function evalMeasures(reference: number[][], estimate: number[][]): EvalMeasures {
  checkBinary(reference, "reference");
  checkBinary(estimate, "estimate");
  if (reference.length !== estimate.length || reference[0].length !== estimate[0].length) {
    throw new RangeError(
      `reference (${reference.length} × ${reference[0].length}) and estimate ` +
        `(${estimate.length} × ${estimate[0].length}) must have the same shape`,
    );
  }
  let tp = 0;
  let nRef = 0;
  let nEst = 0;
  for (let c = 0; c < reference.length; c++) {
    for (let n = 0; n < reference[c].length; n++) {
      tp += reference[c][n] * estimate[c][n];
      nRef += reference[c][n];
      nEst += estimate[c][n];
    }
  }
  const fp = nEst - tp;
  const fn = nRef - tp;
  if (tp === 0) return { precision: 0, recall: 0, f1: 0, tp, fp, fn };
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall), tp, fp, fn };
}

/**
 * The binary chords × frames matrix of a label sequence (chord index 0..23 per frame, or -1
 * for "no chord", whose column stays zero).
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (through {@linkcode evaluateLabels}).
 *
 * @example
 * ```ts
 * import { labelMatrix } from "./frame_f1.ts";
 * labelMatrix([1, -1], { chords: 3 }); // [[0, 0], [1, 0], [0, 0]]
 * ```
 */
export function labelMatrix(labels: number[], options: { chords?: number } = {}): number[][] {
  const chords = options.chords ?? NUM_CHORDS;
  if (!Number.isInteger(chords) || chords < 1) {
    throw new RangeError(`chords must be a positive integer, got ${chords}`);
  }
  checkLabels(labels, "labels", chords);
  const I = Array.from({ length: chords }, () => new Array<number>(labels.length).fill(0));
  labels.forEach((c, n) => {
    if (c >= 0) I[c][n] = 1;
  });
  return I;
}

function checkLabels(labels: number[], name: string, chords: number): void {
  if (!Array.isArray(labels) || labels.length === 0) {
    throw new RangeError(`${name} must be a non-empty array of chord indices`);
  }
  labels.forEach((c, n) => {
    if (!Number.isInteger(c) || c < -1 || c >= chords) {
      throw new RangeError(`${name}[${n}] must be an integer in -1..${chords - 1}, got ${c}`);
    }
  });
}

/**
 * Index of the largest entry of each row (the estimated chord per frame). Ties go to the
 * lowest index, as `numpy.argmax`.
 *
 * @example
 * ```ts
 * import { argmaxRows } from "./frame_f1.ts";
 * argmaxRows([[0.1, 0.9], [0.5, 0.5]]); // [1, 0]
 * ```
 */
export function argmaxRows(rows: number[][]): number[] {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new RangeError("rows must be a non-empty matrix");
  }
  return rows.map((row, n) => {
    if (!Array.isArray(row) || row.length === 0) {
      throw new TypeError(`rows[${n}] must be a non-empty array`);
    }
    try {
      return argmax(row);
    } catch (e) {
      throw new RangeError(`rows[${n}]: ${(e as Error).message}`);
    }
  });
}

/**
 * Evaluation of an estimated label sequence against a reference label sequence (chord index per
 * frame, -1 = no chord): builds both binary matrices and applies {@linkcode evalMeasures}. The
 * estimate must not contain -1 (the model always picks one of the 24 chords).
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb and notebooks/07_stabilizing_and_ctc.ipynb.
 *
 * @example
 * ```ts
 * import { evaluateLabels } from "./frame_f1.ts";
 * evaluateLabels({ reference: [0, 0, 12], estimate: [0, 0, 0] }).f1; // 2/3
 * ```
 */
export function evaluateLabels(
  options: { reference: number[]; estimate: number[]; chords?: number },
): EvalMeasures {
  const { reference, estimate } = options;
  const chords = options.chords ?? NUM_CHORDS;
  checkLabels(reference, "reference", chords);
  checkLabels(estimate, "estimate", chords);
  if (reference.length !== estimate.length) {
    throw new RangeError(
      `reference has ${reference.length} frames but estimate has ${estimate.length}`,
    );
  }
  const missing = estimate.indexOf(-1);
  if (missing >= 0) {
    throw new RangeError(`estimate[${missing}] is -1: an estimate must pick a chord per frame`);
  }
  return evalMeasures(labelMatrix(reference, { chords }), labelMatrix(estimate, { chords }));
}

/** Pitch classes (0 = C .. 11 = B) of chord `c` (0..11 major, 12..23 minor on root c mod 12). */
function triadNotes(c: number): number[] {
  const r = c % 12;
  return [r, (r + (c < 12 ? 4 : 3)) % 12, (r + 7) % 12];
}

/** One wrongly recognized frame (see {@linkcode frameErrors}). */
export interface FrameError {
  /** Frame index. */
  frame: number;
  /** Reference chord (0..23, or -1 for no chord). */
  reference: number;
  /** Estimated chord (0..23). */
  estimate: number;
  /** Number of notes the two triads share (0..2; 0 when the reference is no chord). */
  sharedNotes: number;
  /** Frames to the nearest change of the reference chord (0 = first frame after a change). */
  distanceToChange: number;
}

/**
 * The wrongly recognized frames of an estimate with, for each, how many notes the reference
 * and estimated triads share and how far the frame is from the nearest change of the
 * reference chord (a change between frames n − 1 and n has distance 0 at frame n and 1 at
 * frames n + 1 and n − 1; Infinity when the reference never changes).
 *
 * Used in notebooks/04_strong_vs_soft_training.ipynb (error analysis of the test excerpt).
 *
 * @example
 * ```ts
 * import { frameErrors } from "./frame_f1.ts";
 * frameErrors({ reference: [0, 0, 21, 21], estimate: [0, 0, 0, 21] });
 * // [{ frame: 2, reference: 21, estimate: 0, sharedNotes: 2, distanceToChange: 0 }]
 * ```
 */
export function frameErrors(
  options: { reference: number[]; estimate: number[] },
): FrameError[] {
  const { reference, estimate } = options;
  evaluateLabels({ reference, estimate }); // validates both sequences
  const changes: number[] = [];
  for (let n = 1; n < reference.length; n++) if (reference[n] !== reference[n - 1]) changes.push(n);
  const out: FrameError[] = [];
  reference.forEach((ref, n) => {
    const est = estimate[n];
    if (ref === est) return;
    const shared = ref < 0 ? 0 : triadNotes(ref).filter((p) => triadNotes(est).includes(p)).length;
    let d = Infinity;
    for (const c of changes) d = Math.min(d, n >= c ? n - c : c - 1 - n);
    out.push({ frame: n, reference: ref, estimate: est, sharedNotes: shared, distanceToChange: d });
  });
  return out;
}
