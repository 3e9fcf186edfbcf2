/**
 * Repeated alignments without allocation: an {@linkcode AlignWorkspace} holds the scratch memory
 * of the soft-DTW kernels (plain and step-weighted) and of the CTC kernel for problems up to a
 * given size, and {@linkcode softDtwInto} and {@linkcode ctcInto} run one problem in it, writing
 * the gradient (and occupancy) into arrays the caller owns. This is the public way for a training
 * loop to call the fast kernels once per segment and epoch; the kernels themselves stay private
 * (`_soft_dtw_kernel.ts`, `_weighted_kernel.ts`, `_ctc_kernel.ts`), and the numbers are those of
 * the allocating entry points (`softDtwValueAndGrad64`, `weightedSoftDtw`, `ctcLoss`), bit for bit:
 * the same kernels run with the same arguments.
 *
 * Each call checks its arguments (γ, step weights, sizes against the workspace, finite inputs),
 * naming the problem; the cost of the checks is linear in the cells, small beside the kernels.
 *
 * Used by the losses of the dChord trainers (`lib/chords/training/losses.ts`).
 *
 * @example
 * ```ts
 * import { createAlignWorkspace, softDtwInto } from "./workspace.ts";
 * const workspace = createAlignWorkspace({ maxRows: 2, maxCols: 2 });
 * const grad = new Float64Array(4);
 * softDtwInto({ cost: new Float64Array([0, 1, 1, 0]), rows: 2, cols: 2, gamma: 1, grad, workspace });
 * // value = -log(1 + 2/e) ≈ -0.551, grad ≈ [1, 0.212, 0.212, 1]
 * ```
 *
 * @module
 */
import { checkGamma, type StepWeights } from "./options.ts";
import { checkStepWeights, isPlainStepWeights } from "./weighted.ts";
import { createWorkspace, softDtwKernel, type SoftDtwWorkspace } from "./_soft_dtw_kernel.ts";
import {
  createWeightedWorkspace,
  weightedSoftDtwKernel,
  type WeightedWorkspace,
} from "./_weighted_kernel.ts";
import { createCtcWorkspace, ctcKernel, type CtcWorkspace } from "./_ctc_kernel.ts";
import { checkCtcTarget, ctcExtendedLabels } from "./ctc.ts";
import { checkPositiveIntegers } from "./_checks.ts";

/**
 * Scratch memory for problems of at most `maxRows × maxCols` cells (CTC: frames × extended
 * states `2L + 1`). Make one with {@linkcode createAlignWorkspace}; its memory for each kernel is
 * allocated on the first call that needs it and reused by every later call.
 */
export class AlignWorkspace {
  /** Largest number of rows (frames). */
  readonly maxRows: number;
  /** Largest number of columns (target elements; CTC: extended states). */
  readonly maxCols: number;

  /** The same as {@linkcode createAlignWorkspace}`({ maxRows, maxCols })`. */
  constructor(maxRows: number, maxCols: number) {
    checkPositiveIntegers({ maxRows, maxCols }, { where: "createAlignWorkspace" });
    this.maxRows = maxRows;
    this.maxCols = maxCols;
  }
}

/** The kernels' memory of each workspace (private: the kernels' types stay private). */
const memory = new WeakMap<
  AlignWorkspace,
  { plain?: SoftDtwWorkspace; weighted?: WeightedWorkspace; ctc?: CtcWorkspace }
>();

function memoryOf(w: AlignWorkspace) {
  let m = memory.get(w);
  if (!m) memory.set(w, m = {});
  return m;
}

const plainMemory = (w: AlignWorkspace): SoftDtwWorkspace =>
  memoryOf(w).plain ??= createWorkspace({ maxCells: w.maxRows * w.maxCols, maxCols: w.maxCols });

const weightedMemory = (w: AlignWorkspace): WeightedWorkspace =>
  memoryOf(w).weighted ??= createWeightedWorkspace({
    maxCells: w.maxRows * w.maxCols,
    maxRows: w.maxRows,
    maxCols: w.maxCols,
  });

const ctcMemory = (w: AlignWorkspace): CtcWorkspace =>
  memoryOf(w).ctc ??= createCtcWorkspace({
    maxCells: w.maxRows * w.maxCols,
    maxStates: w.maxCols,
  });

/**
 * A workspace for problems of at most `maxRows × maxCols` cells (for CTC, `maxCols` is the
 * largest number of extended states `2L + 1`). Throws a `RangeError` unless both are positive
 * integers.
 *
 * @example
 * ```ts
 * import { createAlignWorkspace } from "./workspace.ts";
 * const workspace = createAlignWorkspace({ maxRows: 150, maxCols: 75 });
 * workspace.maxCols; // 75
 * ```
 */
export function createAlignWorkspace(
  options: { maxRows: number; maxCols: number },
): AlignWorkspace {
  if (options === null || typeof options !== "object") {
    throw new TypeError("createAlignWorkspace: options { maxRows, maxCols } required");
  }
  return new AlignWorkspace(options.maxRows, options.maxCols);
}

/** Checks the size of a problem against its workspace and arrays. */
function checkProblem(
  where: string,
  workspace: AlignWorkspace,
  rows: number,
  cols: number,
  arrays: [string, Float64Array | null | undefined, number][],
): void {
  if (!(workspace instanceof AlignWorkspace)) {
    throw new TypeError(`${where}: workspace must come from createAlignWorkspace`);
  }
  checkPositiveIntegers({ rows, cols }, { where });
  if (rows > workspace.maxRows || cols > workspace.maxCols) {
    throw new RangeError(
      `${where}: a ${rows} x ${cols} problem does not fit the workspace ` +
        `(${workspace.maxRows} x ${workspace.maxCols})`,
    );
  }
  for (const [name, array, length] of arrays) {
    if (array === null || array === undefined) continue;
    if (!(array instanceof Float64Array) || array.length < length) {
      throw new RangeError(`${where}: ${name} must be a Float64Array of at least ${length} values`);
    }
  }
}

/** Arguments of {@linkcode softDtwInto}: one dense row-major `rows × cols` cost matrix. */
export interface SoftDtwIntoArgs {
  /** Cost matrix, row-major (stride `cols`), finite. */
  cost: Float64Array;
  /** Rows M. */
  rows: number;
  /** Columns N. */
  cols: number;
  /** Temperature γ > 0. */
  gamma: number;
  /** `[wRow, wCol, wDiag]` (default `[1, 1, 1]`: plain soft-DTW). */
  stepWeights?: StepWeights;
  /** Output `H = ∂value/∂cost` (same layout), or null/absent for the value only. */
  grad?: Float64Array | null;
  /**
   * Output for the expected alignment `E` (same layout), step weights other than `[1, 1, 1]`
   * only (for plain soft-DTW, `E = H`: read `grad`).
   */
  occupancy?: Float64Array | null;
  /** Scratch memory ({@linkcode createAlignWorkspace}). */
  workspace: AlignWorkspace;
}

/**
 * Soft-DTW of one cost matrix in a workspace: returns the value and writes the gradient
 * `H = E ⊙ G` (and the occupancy `E` with step weights) into the given arrays. The plain kernel
 * of `softDtwValueAndGrad64` runs for `[1, 1, 1]`, the step-weighted one of `weightedSoftDtw`
 * otherwise (WebAssembly when available, as there). Throws for γ ≤ 0, bad step weights, a problem
 * larger than the workspace, arrays too short, and non-finite costs (naming the cell).
 *
 * @example
 * ```ts
 * import { createAlignWorkspace, softDtwInto } from "./workspace.ts";
 * const workspace = createAlignWorkspace({ maxRows: 2, maxCols: 2 });
 * const occupancy = new Float64Array(4);
 * softDtwInto({
 *   cost: new Float64Array([0, 1, 1, 0]), rows: 2, cols: 2, gamma: 0.1,
 *   stepWeights: [0, 1, 1], grad: new Float64Array(4), occupancy, workspace,
 * });
 * ```
 */
export function softDtwInto(args: SoftDtwIntoArgs): number {
  if (args === null || typeof args !== "object") {
    throw new TypeError("softDtwInto: arguments { cost, rows, cols, gamma, workspace } required");
  }
  const { cost, rows, cols, gamma, workspace } = args;
  const grad = args.grad ?? null;
  checkGamma(gamma);
  const cells = rows * cols;
  checkProblem("softDtwInto", workspace, rows, cols, [
    ["cost", cost, cells],
    ["grad", grad, cells],
    ["occupancy", args.occupancy, cells],
  ]);
  if (!(cost instanceof Float64Array)) {
    throw new TypeError("softDtwInto: cost must be a Float64Array");
  }
  for (let i = 0; i < cells; i++) {
    if (!Number.isFinite(cost[i])) {
      throw new RangeError(
        `softDtwInto: cost(${Math.floor(i / cols)}, ${i % cols}) is ${
          cost[i]
        }; costs must be finite`,
      );
    }
  }
  const stepWeights = args.stepWeights;
  if (stepWeights !== undefined) checkStepWeights(stepWeights);
  const block = { cost, costOffset: 0, costStride: cols, rows, cols, gamma };
  const out = { grad, gradOffset: 0, gradStride: cols };
  if (stepWeights === undefined || isPlainStepWeights(stepWeights)) {
    if (args.occupancy) {
      throw new TypeError("softDtwInto: plain soft-DTW has E = H; read grad, give no occupancy");
    }
    return softDtwKernel({ ...block, ...out, workspace: plainMemory(workspace) });
  }
  return weightedSoftDtwKernel({
    ...block,
    ...out,
    stepWeights,
    band: null,
    occupancy: args.occupancy ?? null,
    workspace: weightedMemory(workspace),
  });
}

/** Arguments of {@linkcode ctcInto}: one `frames × classes` block of log-scores. */
export interface CtcIntoArgs {
  /** Log-probabilities (or any finite log-scores), row-major `frames × classes` at `offset`. */
  logProbs: Float64Array;
  /** Index of entry (0, 0) (default 0). */
  offset?: number;
  /** Frames T. */
  frames: number;
  /** Classes K (the blank included). */
  classes: number;
  /** The target: class indices, no blank. */
  labels: ArrayLike<number>;
  /** Index of the blank class. */
  blank: number;
  /** Output `∂value/∂logProbs` at the same offset and layout, or null/absent. */
  grad?: Float64Array | null;
  /** Output `frames × (2L + 1)` for the posterior of the extended states, from index 0. */
  occupancy?: Float64Array | null;
  /** Name of the target in errors (default `"labels"`). */
  name?: string;
  /** Scratch memory ({@linkcode createAlignWorkspace}; columns ≥ 2L + 1). */
  workspace: AlignWorkspace;
}

/**
 * The CTC loss (negative log-likelihood, as `ctcLoss` at γ = 1) of one block of log-scores in a
 * workspace: returns the value and writes the gradient with respect to the log-scores (and the
 * posterior of the extended states) into the given arrays. The scores need not be normalized (a
 * cost added to the blank is a shifted log-probability). Throws for a target CTC cannot produce
 * (see `ctcLoss`), a problem larger than the workspace, arrays too short and non-finite scores.
 *
 * @example
 * ```ts
 * import { createAlignWorkspace, ctcInto } from "./workspace.ts";
 * const workspace = createAlignWorkspace({ maxRows: 2, maxCols: 3 });
 * const lp = new Float64Array([0.6, 0.4, 0.5, 0.5].map(Math.log));
 * ctcInto({ logProbs: lp, frames: 2, classes: 2, labels: [1], blank: 0, workspace }); // -log(0.7)
 * ```
 */
export function ctcInto(args: CtcIntoArgs): number {
  if (args === null || typeof args !== "object") {
    throw new TypeError(
      "ctcInto: arguments { logProbs, frames, classes, labels, blank, workspace } required",
    );
  }
  const { logProbs, frames, classes, blank, workspace } = args;
  const offset = args.offset ?? 0;
  const labels = Array.from(args.labels);
  checkCtcTarget(labels, { blank, classes, frames, name: args.name });
  const states = 2 * labels.length + 1;
  const grad = args.grad ?? null;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new RangeError(`ctcInto: offset must be an integer >= 0, got ${offset}`);
  }
  checkProblem("ctcInto", workspace, frames, states, [
    ["logProbs", logProbs, offset + frames * classes],
    ["grad", grad, offset + frames * classes],
    ["occupancy", args.occupancy, frames * states],
  ]);
  for (let i = offset; i < offset + frames * classes; i++) {
    if (!Number.isFinite(logProbs[i])) {
      const j = i - offset;
      throw new RangeError(
        `ctcInto: logProbs(${Math.floor(j / classes)}, ${j % classes}) is ${logProbs[i]}; ` +
          "log-scores must be finite",
      );
    }
  }
  return ctcKernel({
    logProbs,
    offset,
    frames,
    classes,
    extended: ctcExtendedLabels(labels, blank),
    gamma: 1,
    grad,
    occupancy: args.occupancy ?? null,
    workspace: ctcMemory(workspace),
  });
}
