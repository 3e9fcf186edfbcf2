/**
 * Connectionist temporal classification (CTC, Graves et al. 2006) as a special case of soft-DTW:
 * the same soft-minimum dynamic program, on the CTC graph instead of the DTW grid.
 *
 * A target `y_1 … y_L` (class indices, no blank) is extended with blanks to
 * `ext = (ε, y_1, ε, y_2, …, y_L, ε)` of length `S = 2L + 1`. The cost of frame `t` against
 * extended element `s` is `c(t, s) = -logProbs[t][ext_s]`. A path visits one element per frame;
 * from `s` the next frame may stay (`s`), advance (`s+1`) or skip to `s+2` (only into a non-blank
 * label that differs from `ext_s`). Paths start at `s = 0` or `1` and end at `S-1` (last blank) or
 * `S-2` (last label). The accumulated cost is
 *
 * ```
 * D(t, s) = c(t, s) + min^γ { D(t-1, s), D(t-1, s-1), D(t-1, s-2) if the skip is allowed },
 * D(-1, 0) = 0 (so frame 0 starts at s = 0 or 1),   value = min^γ { D(T-1, S-1), D(T-1, S-2) },
 * ```
 *
 * and with `γ = 1` the value is exactly the CTC negative log-likelihood
 * `-log Σ_π Π_t p_t(π_t)` over all frame labelings `π` that collapse to the target (merge repeats,
 * drop blanks): there is one graph path per labeling. Other `γ > 0` give the soft-DTW-style
 * relaxation (`γ → 0`: the best single path, the Viterbi cost).
 *
 * The gradient with respect to the cost is the occupancy `E(t, s)` (the posterior probability
 * that frame `t` is at extended element `s`), computed by the same exponential-free backward
 * pass as soft-DTW (softmin weights stored in the forward pass). `logProbs` are treated as free
 * inputs (no normalization is assumed), so `∂value/∂logProbs[t][k] = -Σ_{s: ext_s = k} E(t, s)`:
 * minus the posterior occupancy of class `k` at frame `t`.
 *
 * A target that no path can produce — more labels plus repeated neighbours (which need a blank
 * between them) than frames — is an error that says why, never Infinity or NaN. An empty target
 * is allowed (all frames blank).
 *
 * The dynamic program itself is in `_ctc_kernel.ts` (`workspace.ts` runs it in reusable
 * memory). Graves' scaled forward–backward recursion (`ctc_reference.ts`) is kept separately, as
 * ground truth for the tests and the notebook.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { ctcLoss } from "./ctc.ts";
 * const lp = [[Math.log(0.6), Math.log(0.4)], [Math.log(0.5), Math.log(0.5)]];
 * const { value, grad } = ctcLoss(lp, [1], { blank: 0 });
 * // value = -log(0.6·0.5 + 0.4·0.5 + 0.4·0.5) = -log(0.7)
 * ```
 *
 * @module
 */
import {
  checkFiniteBlocks,
  checkLengths,
  checkPackedArray,
  checkPositiveIntegers,
} from "./_checks.ts";
import { checkGamma } from "./options.ts";
import { createCtcWorkspace, ctcKernel } from "./_ctc_kernel.ts";

/** Options of the CTC functions. */
export interface CtcOptions {
  /** Index of the blank class in `[0, K)`. */
  blank: number;
  /** Temperature of the soft minimum (default 1: the CTC negative log-likelihood). */
  gamma?: number;
  /**
   * Whether to check that every frame holds log-probabilities, i.e. that its log-sum-exp is 0
   * (within 1e-3; plain probabilities give at least log 2): default true. Set it to false for
   * free inputs (unnormalized scores, finite-difference checks).
   */
  checkLogProbs?: boolean;
  /**
   * Length normalization: `"target"` divides the value and gradient by the target length L
   * (by 1 for an empty target), as dDTW's CTC does; default `"none"`.
   */
  normalize?: "none" | "target";
}

/** Tolerance of the {@linkcode CtcOptions} `checkLogProbs` test on each row's log-sum-exp. */
const LOG_SUM_EXP_TOLERANCE = 1e-3;

/** Throws a `RangeError` naming the first frame whose log-sum-exp is not 0 (see `checkLogProbs`). */
function checkNormalized(logProbs: readonly (readonly number[])[]): void {
  logProbs.forEach((row, t) => {
    let max = -Infinity;
    for (const v of row) max = Math.max(max, v);
    let sum = 0;
    for (const v of row) sum += Math.exp(v - max);
    const lse = max + Math.log(sum);
    if (!(Math.abs(lse) <= LOG_SUM_EXP_TOLERANCE)) {
      throw new RangeError(
        `logProbs[${t}] has log-sum-exp ${lse}, not 0: CTC expects log-probabilities (each frame's exp summing to 1)` +
          (row.every((v) => v >= 0 && v <= 1)
            ? "; these look like probabilities: take their log"
            : "") +
          ` (set checkLogProbs: false for free, unnormalized inputs)`,
      );
    }
  });
}

/**
 * The minimum number of frames a target needs: its length plus the number of repeated
 * neighbours (`y_i = y_{i-1}` needs a blank frame between them).
 *
 * @example
 * ```ts
 * import { ctcMinFrames } from "./ctc.ts";
 * ctcMinFrames([1, 1, 2]); // 4: 1 ε 1 2
 * ```
 */
export function ctcMinFrames(labels: readonly number[]): number {
  let n = labels.length;
  for (let i = 1; i < labels.length; i++) if (labels[i] === labels[i - 1]) n++;
  return n;
}

/**
 * The blank-extended target `(ε, y_1, ε, …, y_L, ε)` (length `2L + 1`).
 *
 * @example
 * ```ts
 * import { ctcExtendedLabels } from "./ctc.ts";
 * ctcExtendedLabels([3, 5], 0); // Int32Array [0, 3, 0, 5, 0]
 * ```
 */
export function ctcExtendedLabels(labels: readonly number[], blank: number): Int32Array {
  const ext = new Int32Array(2 * labels.length + 1).fill(blank);
  for (let i = 0; i < labels.length; i++) ext[2 * i + 1] = labels[i];
  return ext;
}

/**
 * Checks a CTC target against `classes` classes and `frames` frames: the blank an integer in
 * `[0, classes)`, labels integers in `[0, classes)` other than the blank, and a target short
 * enough for the frames (see {@linkcode ctcMinFrames}). Throws a `TypeError` for a non-array and
 * a `RangeError` that says what is wrong and why otherwise.
 *
 * @example
 * ```ts
 * import { checkCtcTarget } from "./ctc.ts";
 * checkCtcTarget([1, 2], { blank: 0, classes: 3, frames: 4 }); // ok
 * ```
 */
export function checkCtcTarget(
  labels: readonly number[],
  options: { blank: number; classes: number; frames: number; name?: string },
): void {
  const { blank, classes, frames } = options;
  const name = options.name ?? "labels";
  if (!Number.isInteger(blank) || blank < 0 || blank >= classes) {
    throw new RangeError(`blank is ${blank}; it must be a class index in [0, ${classes})`);
  }
  if (!Array.isArray(labels)) {
    throw new TypeError(`${name} must be an array of class indices, got ${typeof labels}`);
  }
  labels.forEach((l, i) => {
    if (!Number.isInteger(l) || l < 0 || l >= classes) {
      throw new RangeError(
        `${name}[${i}] is ${l}; labels must be class indices in [0, ${classes})`,
      );
    }
    if (l === blank) {
      throw new RangeError(
        `${name}[${i}] is the blank (${blank}); a CTC target must not contain the blank`,
      );
    }
  });
  const need = ctcMinFrames(labels);
  if (need > frames) {
    const repeats = need - labels.length;
    throw new RangeError(
      `impossible CTC target: ${name} has ${labels.length} labels` +
        (repeats > 0
          ? ` and ${repeats} repeated neighbour(s), each needing a blank between them,`
          : "") +
        ` so it needs at least ${need} frames, but there are only ${frames}`,
    );
  }
}

/** Checks logProbs (rows of numbers, `T x K`, finite) and returns `[T, K]`. */
function checkLogProbs(
  logProbs: readonly (readonly number[])[],
  name = "logProbs",
): [number, number] {
  if (!Array.isArray(logProbs)) {
    throw new TypeError(`${name} must be an array of frames (number[][]), got ${typeof logProbs}`);
  }
  if (logProbs.length === 0) throw new RangeError(`${name} is empty (0 frames)`);
  const K = Array.isArray(logProbs[0]) ? logProbs[0].length : -1;
  if (K < 1) throw new TypeError(`${name}[0] must be a non-empty array of numbers`);
  logProbs.forEach((row, t) => {
    if (!Array.isArray(row)) throw new TypeError(`${name}[${t}] must be an array of numbers`);
    if (row.length !== K) {
      throw new TypeError(`${name} is ragged: row ${t} has ${row.length} classes, row 0 has ${K}`);
    }
    row.forEach((v, k) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new RangeError(
          `${name}[${t}][${k}] is ${v}; log-probabilities must be finite numbers` +
            (v === -Infinity ? " (clamp zero probabilities, e.g. to log(1e-30))" : ""),
        );
      }
    });
  });
  return [logProbs.length, K];
}

/** Result of {@linkcode ctcAlignment}. */
export interface CtcAlignment {
  /** The value (CTC negative log-likelihood for γ = 1). */
  value: number;
  /** `∂value/∂logProbs` (`T x K`): minus the posterior occupancy of each class. */
  grad: number[][];
  /** Occupancy `E(t, s)` of the extended graph (`T x S`). */
  occupancy: number[][];
  /** The extended target `(ε, y_1, ε, …, y_L, ε)`. */
  extended: number[];
}

/**
 * CTC on one sequence with everything the notebook draws: the value, the gradient with respect
 * to `logProbs`, the occupancy of the extended graph and the extended target. Same validation
 * as {@linkcode ctcLoss} (also the `checkLogProbs` test).
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { ctcAlignment } from "./ctc.ts";
 * const lp = Array.from({ length: 4 }, () => [Math.log(0.5), Math.log(0.25), Math.log(0.25)]);
 * const { occupancy, extended } = ctcAlignment(lp, [1, 2], { blank: 0 }); // 4 x 5 posterior
 * ```
 */
export function ctcAlignment(
  logProbs: number[][],
  labels: number[],
  options: CtcOptions,
): CtcAlignment {
  if (options === null || typeof options !== "object") {
    throw new TypeError("ctc: options { blank, gamma? } required");
  }
  const gamma = options.gamma ?? 1;
  checkGamma(gamma);
  const [T, K] = checkLogProbs(logProbs);
  checkCtcTarget(labels, { blank: options.blank, classes: K, frames: T });
  if (options.checkLogProbs ?? true) checkNormalized(logProbs);
  const ext = ctcExtendedLabels(labels, options.blank);
  const S = ext.length;
  const flat = new Float64Array(T * K);
  for (let t = 0; t < T; t++) flat.set(logProbs[t], t * K);
  const grad = new Float64Array(T * K), occ = new Float64Array(T * S);
  const value = ctcKernel({
    logProbs: flat,
    offset: 0,
    frames: T,
    classes: K,
    extended: ext,
    gamma,
    grad,
    occupancy: occ,
    workspace: createCtcWorkspace({ maxCells: T * S, maxStates: S }),
  });
  const normalize = options.normalize ?? "none";
  if (normalize !== "none" && normalize !== "target") {
    throw new RangeError(`normalize must be "none" or "target", got ${String(normalize)}`);
  }
  const d = normalize === "target" ? Math.max(labels.length, 1) : 1;
  const rows = (data: Float64Array, n: number, by: number) =>
    Array.from(
      { length: T },
      (_, t) => Array.from(data.subarray(t * n, (t + 1) * n), (v) => v / by),
    );
  return {
    value: value / d,
    grad: rows(grad, K, d),
    occupancy: rows(occ, S, 1),
    extended: Array.from(ext),
  };
}

/**
 * The CTC loss of one sequence: `value = -log Σ_π Π_t p_t(π_t)` (for the default γ = 1) over all
 * frame labelings `π` that collapse to `labels`, with `p_t(k) = exp(logProbs[t][k])`, and
 * `grad = ∂value/∂logProbs` (minus the posterior occupancy of each class). Each frame of
 * `logProbs` must hold log-probabilities (log-sum-exp 0) unless `checkLogProbs: false`, with which
 * they are free inputs and no normalization is assumed. Throws for rows that are not
 * log-probabilities (for example plain probabilities), for ragged or empty `logProbs`, NaN or infinite
 * entries, a blank outside `[0, K)`, labels that are the blank or out of range, a target too long
 * for the frames (saying why), and γ <= 0. An empty target is allowed.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { ctcLoss } from "./ctc.ts";
 * const lp = [[Math.log(0.9), Math.log(0.1)], [Math.log(0.2), Math.log(0.8)]];
 * const { value, grad } = ctcLoss(lp, [1], { blank: 0 });
 * ```
 */
export function ctcLoss(
  logProbs: number[][],
  labels: number[],
  options: CtcOptions,
): { value: number; grad: number[][] } {
  const r = ctcAlignment(logProbs, labels, options);
  return { value: r.value, grad: r.grad };
}

/** Arguments of {@linkcode ctcBatch64}. */
export interface CtcBatchArgs {
  /** Log-probabilities `B x T x K`, row-major. */
  logProbs: ArrayLike<number>;
  /** Batch size B. */
  batch: number;
  /** Allocated frames T per item. */
  frames: number;
  /** Classes K. */
  classes: number;
  /** Target of each item (length B; may be empty). */
  labels: readonly (readonly number[])[];
  /** Used frames T_b of each item (default: all T). */
  frameLengths?: readonly number[];
  /** Index of the blank class. */
  blank: number;
  /** Temperature (default 1). */
  gamma?: number;
  /** Whether to compute the gradients (default true). */
  withGrad?: boolean;
  /** Whether to return the occupancies of the extended graphs (default false). */
  withOccupancy?: boolean;
}

/** Result of {@linkcode ctcBatch64}. */
export interface CtcBatchResult {
  /** Value of each item. */
  values: Float64Array;
  /** `∂value_b/∂logProbs` (`B x T x K`, zero on padded frames), or null. */
  grads: Float64Array | null;
  /** Occupancy of each item (`T_b x S_b`, row-major), or null. */
  occupancies: Float64Array[] | null;
}

/**
 * Batched CTC with per-item frame counts and targets of different lengths. Validates like
 * {@linkcode ctcLoss}, naming the item.
 *
 * @example
 * ```ts
 * import { ctcBatch64 } from "./ctc.ts";
 * const r = ctcBatch64({
 *   logProbs: new Float64Array(2 * 3 * 2).fill(Math.log(0.5)), batch: 2, frames: 3, classes: 2,
 *   labels: [[1], []], frameLengths: [3, 2], blank: 0,
 * });
 * ```
 */
export function ctcBatch64(args: CtcBatchArgs): CtcBatchResult {
  const { logProbs: LP, batch: B, frames: T, classes: K, blank } = args;
  const gamma = args.gamma ?? 1;
  checkGamma(gamma);
  checkPositiveIntegers({ batch: B, frames: T, classes: K });
  checkPackedArray(LP, { name: "logProbs", length: B * T * K, formula: "B * T * K" });
  if (!Array.isArray(args.labels) || args.labels.length !== B) {
    throw new RangeError(`labels must have one target per item (${B})`);
  }
  const lengths = checkLengths(args.frameLengths, {
    count: B,
    max: T,
    name: "frameLengths",
    unit: "item",
  });
  checkFiniteBlocks(LP, {
    name: "logProbs",
    block: T * K,
    stride: K,
    rows: lengths,
    cols: K,
    unit: "item",
    entries: "log-probabilities",
  });
  let maxCells = 1, maxStates = 1;
  const exts: Int32Array[] = [];
  for (let b = 0; b < B; b++) {
    const Tb = lengths[b];
    checkCtcTarget(args.labels[b], { blank, classes: K, frames: Tb, name: `labels[${b}]` });
    const ext = ctcExtendedLabels(args.labels[b], blank);
    exts.push(ext);
    maxCells = Math.max(maxCells, Tb * ext.length);
    maxStates = Math.max(maxStates, ext.length);
  }
  const withGrad = args.withGrad ?? true;
  const grads = withGrad ? new Float64Array(B * T * K) : null;
  const occupancies: Float64Array[] | null = args.withOccupancy ? [] : null;
  const values = new Float64Array(B);
  const workspace = createCtcWorkspace({ maxCells, maxStates });
  for (let b = 0; b < B; b++) {
    const occ = occupancies ? new Float64Array(lengths[b] * exts[b].length) : null;
    values[b] = ctcKernel({
      logProbs: LP,
      offset: b * T * K,
      frames: lengths[b],
      classes: K,
      extended: exts[b],
      gamma,
      grad: grads,
      occupancy: occ,
      workspace,
    });
    if (occupancies && occ) occupancies.push(occ);
  }
  return { values, grads, occupancies };
}

/** The CTC graph of a target over `frames` frames: see {@linkcode ctcGraph}. */
export interface CtcGraph {
  /** The extended target `(ε, y_1, ε, …, y_L, ε)`. */
  extended: number[];
  /** Cells `[t, s]` that lie on at least one complete path, by frame then state. */
  nodes: [number, number][];
  /** Allowed steps `[[t, s], [t + 1, s']]` between such cells (stay, advance, skip). */
  edges: [[number, number], [number, number]][];
}

/**
 * The CTC graph (for drawing): the cells of the `frames x (2L + 1)` grid that lie on at least
 * one complete path (start at `s = 0` or `1`, end at the last label or the last blank) and the
 * allowed steps between them. Validates the target as {@linkcode checkCtcTarget} does (with
 * `classes` = one more than the largest index used).
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { ctcGraph } from "./ctc.ts";
 * const g = ctcGraph([1, 1], { blank: 0, frames: 4 }); // repeats need the blank in between
 * g.nodes.length;
 * ```
 */
export function ctcGraph(
  labels: readonly number[],
  options: { blank: number; frames: number },
): CtcGraph {
  const { blank, frames: T } = options;
  if (!Number.isInteger(T) || T < 1) {
    throw new RangeError(`frames must be a positive integer, got ${T}`);
  }
  const classes = Math.max(blank, ...labels.filter((l) => Number.isFinite(l))) + 1;
  checkCtcTarget(labels, { blank, classes, frames: T });
  const ext = ctcExtendedLabels(labels, blank);
  const S = ext.length;
  const skipOk = (s: number) => s >= 2 && ext[s] !== blank && ext[s] !== ext[s - 2];
  const fwd = Array.from({ length: T }, () => new Array<boolean>(S).fill(false));
  const bwd = Array.from({ length: T }, () => new Array<boolean>(S).fill(false));
  fwd[0][0] = true;
  if (S > 1) fwd[0][1] = true;
  for (let t = 1; t < T; t++) {
    for (let s = 0; s < S; s++) {
      fwd[t][s] = fwd[t - 1][s] || (s >= 1 && fwd[t - 1][s - 1]) ||
        (skipOk(s) && fwd[t - 1][s - 2]);
    }
  }
  bwd[T - 1][S - 1] = true;
  if (S > 1) bwd[T - 1][S - 2] = true;
  for (let t = T - 2; t >= 0; t--) {
    for (let s = 0; s < S; s++) {
      bwd[t][s] = bwd[t + 1][s] || (s + 1 < S && bwd[t + 1][s + 1]) ||
        (s + 2 < S && skipOk(s + 2) && bwd[t + 1][s + 2]);
    }
  }
  const on = (t: number, s: number) => fwd[t][s] && bwd[t][s];
  const nodes: [number, number][] = [];
  const edges: [[number, number], [number, number]][] = [];
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < S; s++) {
      if (!on(t, s)) continue;
      nodes.push([t, s]);
      if (t + 1 === T) continue;
      for (const s2 of [s, s + 1, s + 2]) {
        if (s2 >= S || (s2 === s + 2 && !skipOk(s2))) continue;
        if (on(t + 1, s2)) edges.push([[t, s], [t + 1, s2]]);
      }
    }
  }
  return { extended: Array.from(ext), nodes, edges };
}
