/**
 * The sharpness of the expected alignment during training (the γ sweep of the report's
 * Appendix C, sweep.ts): the epochs at which it is measured ({@linkcode captureEpochs}), the
 * measures of one expected alignment against the strong alignment ({@linkcode sharpness}:
 * normalized mean row entropy and band mass, the sharpness measures of lib/align), and the
 * record of one sharpness run as cached ({@linkcode SharpnessRun}).
 *
 * Used in notebooks/05_gamma_sweep.ipynb (through `runGammaSweep`).
 *
 * @example
 * ```ts
 * import { captureEpochs } from "./sharpness.ts";
 * captureEpochs(25); // [1, 11, 21, 25]
 * ```
 *
 * @module
 */
import { bandMass, meanRowEntropy } from "../align/mod.ts";
import { FIGURE_EPOCHS } from "./report.ts";
import type { RunResult } from "./run.ts";
import { positiveInteger } from "./options.ts";
import type { SweepPoint } from "./sweep.ts";

/** Tolerances (columns) of the band mass measure. */
export const BAND_TOLERANCES: readonly number[] = Object.freeze([0, 1]);

/** Sharpness of the captured expected alignment at one epoch. */
export interface SharpnessPoint {
  /** Epoch (from 1). */
  epoch: number;
  /** Mean row entropy of E divided by log(soft length), in [0, 1]. */
  entropy: number;
  /** Mass of E inside the strong alignment's band, tolerance 0. */
  bandMass: number;
  /** Mass of E inside the strong alignment's band widened by ±1 column. */
  bandMass1: number;
}

/** The sharpness run of one γ: run 1 (the report's procedure), alignment captured every 10 epochs. */
export interface SharpnessRun {
  /** Cache key. */
  key: string;
  /** γ. */
  gamma: number;
  /** Training loss per epoch. */
  trainLoss: number[];
  /** Validation loss per epoch. */
  validationLoss: number[];
  /** Epoch with the lowest validation loss (its weights are tested). */
  bestEpoch: number;
  /** Test precision, recall and F1 (frame-wise, the report's measure). */
  test: { precision: number; recall: number; f1: number };
  /** Sharpness per captured epoch ({@linkcode captureEpochs}). */
  sharpness: SharpnessPoint[];
  /** Full expected alignments at the figure epochs (`FIGURE_EPOCHS`), 5 digits. */
  alignments: { epoch: number; matrix: number[][] }[];
}

/**
 * The epochs at which the sweep measures the sharpness: 1, 11, 21, … (every 10th epoch from
 * the first), the figure epochs (`FIGURE_EPOCHS`) up to `epochs`, and the last epoch; sorted, no
 * duplicates.
 *
 * Used in notebooks/05_gamma_sweep.ipynb (through `runGammaSweep`).
 *
 * @example
 * ```ts
 * import { captureEpochs } from "./sharpness.ts";
 * captureEpochs(25); // [1, 11, 21, 25]
 * ```
 */
export function captureEpochs(epochs: number, options: { every?: number } = {}): number[] {
  positiveInteger(epochs, "epochs");
  const every = positiveInteger(options.every ?? 10, "every");
  const set = new Set<number>();
  for (let e = 1; e <= epochs; e += every) set.add(e);
  for (const e of FIGURE_EPOCHS) if (e <= epochs) set.add(e);
  set.add(epochs);
  return [...set].sort((a, b) => a - b);
}

/**
 * The sharpness measures of one expected alignment against a strong alignment: normalized
 * mean row entropy and band mass with tolerance 0 and 1 (the sharpness measures of lib/align).
 *
 * Used in notebooks/05_gamma_sweep.ipynb (through `runGammaSweep`).
 *
 * @example
 * ```ts
 * import { sharpness } from "./sharpness.ts";
 * sharpness({ epoch: 1, matrix: [[1, 0], [0, 1]], strong: [[1, 0], [0, 1]] });
 * // { epoch: 1, entropy: 0, bandMass: 1, bandMass1: 1 }
 * ```
 */
export function sharpness(
  options: { epoch: number; matrix: number[][]; strong: number[][] },
): SharpnessPoint {
  const { epoch, matrix, strong } = options;
  const name = `expected alignment of epoch ${epoch}`;
  return {
    epoch,
    entropy: meanRowEntropy(matrix, { normalized: true, name }),
    bandMass: bandMass(matrix, strong, { tolerance: BAND_TOLERANCES[0], name }),
    bandMass1: bandMass(matrix, strong, { tolerance: BAND_TOLERANCES[1], name }),
  };
}

function round(value: number, digits = 5): number {
  return value === 0 ? 0 : Number(value.toPrecision(digits));
}

/** The record of a sharpness run from its training run (alignments of the figure epochs kept, 5 digits). */
export function sharpnessRun(
  options: { r: RunResult; gamma: number; strong: number[][]; key: string },
): SharpnessRun {
  const { r, gamma, strong, key } = options;
  const figure = new Set(FIGURE_EPOCHS);
  return {
    key,
    gamma,
    trainLoss: r.trainLoss,
    validationLoss: r.validationLoss,
    bestEpoch: r.bestEpoch,
    test: { precision: r.precision, recall: r.recall, f1: r.f1 },
    sharpness: r.alignments.map((a) => sharpness({ epoch: a.epoch, matrix: a.matrix, strong })),
    alignments: r.alignments.filter((a) => figure.has(a.epoch)).map((a) => ({
      epoch: a.epoch,
      matrix: a.matrix.map((row) => row.map((v) => round(v))),
    })),
  };
}

/** Why a cached sharpness run has the wrong shape, or null (for `readCacheFile`). */
export function sharpnessShape(v: unknown): string | null {
  const r = v as Partial<SharpnessRun> | null;
  if (typeof r !== "object" || r === null) return "not an object";
  if (typeof r.key !== "string") return "no key";
  if (typeof r.gamma !== "number" || !(r.gamma > 0)) return "no γ";
  const finite = (x: unknown) =>
    Array.isArray(x) && x.length > 0 && x.every((v) => typeof v === "number" && Number.isFinite(v));
  if (!finite(r.trainLoss) || !finite(r.validationLoss)) {
    return "loss curves are not lists of finite numbers";
  }
  if (r.trainLoss!.length !== r.validationLoss!.length) return "loss curves of unequal length";
  if (!Number.isInteger(r.bestEpoch) || r.bestEpoch! < 1 || r.bestEpoch! > r.trainLoss!.length) {
    return "bestEpoch is not an epoch of the curves";
  }
  if (!Array.isArray(r.sharpness) || !Array.isArray(r.alignments)) return "no sharpness";
  for (const f of ["precision", "recall", "f1"] as const) {
    const v = r.test?.[f];
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) return `test.${f} is not in [0, 1]`;
  }
  return null;
}

/**
 * The sharpness of a point's sharpness run at an epoch (undefined when not captured).
 *
 * Used in notebooks/05_gamma_sweep.ipynb.
 *
 * @example
 * ```ts
 * import { runGammaSweep } from "./sweep.ts";
 * import { sharpnessAt } from "./sharpness.ts";
 * const sweep = await runGammaSweep();
 * sharpnessAt(sweep.points[0], 161)?.bandMass;
 * ```
 */
export function sharpnessAt(point: SweepPoint, epoch: number): SharpnessPoint | undefined {
  return point.run1.sharpness.find((s) => s.epoch === epoch);
}
