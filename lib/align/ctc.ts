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
 * Graves' scaled forward–backward recursion (`ctc_reference.ts`) is kept separately, as ground
 * truth for the tests and the notebook.
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
} from "./checks.ts";
import { checkGamma } from "./options.ts";

/** Options of the CTC functions. */
export interface CtcOptions {
  /** Index of the blank class in `[0, K)`. */
  blank: number;
  /** Temperature of the soft minimum (default 1: the CTC negative log-likelihood). */
  gamma?: number;
}

/**
 * The minimum number of frames a target needs: its length plus the number of repeated
 * neighbours (`y_i = y_{i-1}` needs a blank frame between them).
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
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
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
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
 * Used in notebooks/06_beyond_soft_dtw.ipynb (through the CTC functions).
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

/** Scratch memory of {@linkcode ctcKernel}. */
export interface CtcWorkspace {
  /** Softmin weights (stay, advance, skip) of each visited cell, `3 * maxCells`. */
  weights: Float64Array;
  /** Two rows of `D` and two rows of `E`, `4 * (maxStates + 4)`. */
  rows: Float64Array;
}

/**
 * Allocates a CTC workspace for at most `maxCells` cells (`frames x states`) and `maxStates`
 * extended states (`2L + 1`).
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb (through the batched function).
 *
 * @example
 * ```ts
 * import { createCtcWorkspace } from "./ctc.ts";
 * const ws = createCtcWorkspace({ maxCells: 150 * 33, maxStates: 33 });
 * ```
 */
export function createCtcWorkspace(options: { maxCells: number; maxStates: number }): CtcWorkspace {
  const { maxCells, maxStates } = options;
  checkPositiveIntegers({ maxCells, maxStates });
  return {
    weights: new Float64Array(3 * maxCells),
    rows: new Float64Array(4 * (maxStates + 4)),
  };
}

/** Arguments of {@linkcode ctcKernel}. */
export interface CtcKernelArgs {
  /** Array holding the `T x K` log-probabilities (row-major, stride K). */
  logProbs: ArrayLike<number>;
  /** Index of entry (0, 0). */
  offset: number;
  /** Frames T. */
  frames: number;
  /** Classes K. */
  classes: number;
  /** Extended target (validated: {@linkcode ctcExtendedLabels} of a checked target). */
  extended: Int32Array;
  /** Temperature γ (validated). */
  gamma: number;
  /** Output `T x K` for `∂value/∂logProbs` at the same offset as the input, or null. */
  grad: Float64Array | null;
  /** Output `T x S` for the occupancy `E(t, s)` (row-major, from index 0), or null. */
  occupancy?: Float64Array | null;
  /** Scratch memory. */
  workspace: CtcWorkspace;
}

/**
 * The CTC dynamic program (no validation): soft-minimum forward pass over the extended graph
 * keeping the softmin weights, then the exponential-free backward pass. Returns the value (the
 * negative log-likelihood for γ = 1).
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb (through the entry points).
 *
 * @example
 * ```ts
 * import { createCtcWorkspace, ctcExtendedLabels, ctcKernel } from "./ctc.ts";
 * const value = ctcKernel({
 *   logProbs: [Math.log(0.5), Math.log(0.5)], offset: 0, frames: 1, classes: 2,
 *   extended: ctcExtendedLabels([1], 0), gamma: 1, grad: null,
 *   workspace: createCtcWorkspace({ maxCells: 3, maxStates: 3 }),
 * }); // -log 0.5
 * ```
 */
export function ctcKernel(args: CtcKernelArgs): number {
  const { logProbs: LP, offset: o, frames: T, classes: K, extended: ext, gamma } = args;
  const G = args.grad, Occ = args.occupancy ?? null;
  const S = ext.length;
  const Wt = args.workspace.weights, R = args.workspace.rows;
  const W = S + 4; // row buffer: index s + 2 for state s
  // Visited states of frame t: reachable from the start (s <= 2t + 1) and able to reach the end.
  const loOf = (t: number) => Math.max(0, S - 2 * (T - t));
  const hiOf = (t: number) => Math.min(S - 1, 2 * t + 1);
  let cells = 0;
  for (let t = 0; t < T; t++) cells += hiOf(t) - loOf(t) + 1;
  if (Wt.length < 3 * cells || R.length < 4 * W) {
    throw new RangeError(`ctcKernel: workspace too small for ${T} frames x ${S} states`);
  }
  const ig = 1 / gamma;
  let p = 0, a = W;
  R.fill(Infinity, 0, 2 * W);
  R[p + 2] = 0; // D(-1, 0) = 0
  let off = 0;
  for (let t = 0; t < T; t++) {
    const lo = loOf(t), hi = hiOf(t);
    const lrow = o + t * K;
    const wbase = 3 * (off - lo);
    for (let s = lo; s <= hi; s++) {
      const r0 = R[p + s + 2]; // stay
      const r1 = R[p + s + 1]; // advance
      // skip from s-2: only into a non-blank label that differs from ext[s-2]
      const r2 = (s & 1) === 1 && s >= 3 && ext[s] !== ext[s - 2] ? R[p + s] : Infinity;
      const w = wbase + 3 * s;
      let e0: number, e1: number, e2: number, mn: number;
      if (r0 <= r1 && r0 <= r2) {
        mn = r0;
        e0 = 1;
        e1 = Math.exp((mn - r1) * ig);
        e2 = Math.exp((mn - r2) * ig);
      } else if (r1 <= r2) {
        mn = r1;
        e1 = 1;
        e0 = Math.exp((mn - r0) * ig);
        e2 = Math.exp((mn - r2) * ig);
      } else {
        mn = r2;
        e2 = 1;
        e0 = Math.exp((mn - r0) * ig);
        e1 = Math.exp((mn - r1) * ig);
      }
      if (mn === Infinity) { // unreachable cell
        Wt[w] = 0;
        Wt[w + 1] = 0;
        Wt[w + 2] = 0;
        R[a + s + 2] = Infinity;
        continue;
      }
      const sum = e0 + e1 + e2;
      const is = 1 / sum;
      Wt[w] = e0 * is;
      Wt[w + 1] = e1 * is;
      Wt[w + 2] = e2 * is;
      R[a + s + 2] = mn - gamma * Math.log(sum) - LP[lrow + ext[s]];
    }
    // states just outside the visited range read by the next frame must be +∞
    R[a + lo] = Infinity;
    R[a + lo + 1] = Infinity;
    R[a + hi + 3] = Infinity;
    R[a + hi + 4] = Infinity;
    off += hi - lo + 1;
    const tmp = p;
    p = a;
    a = tmp;
  }
  // final soft minimum over the last blank and the last label
  const dLast = R[p + S + 1];
  const dLabel = S > 1 ? R[p + S] : Infinity;
  const mn = dLast < dLabel ? dLast : dLabel;
  if (!Number.isFinite(mn)) {
    throw new RangeError(
      `ctcKernel: no path (value ${mn}); the target needs more frames than the ${T} given`,
    );
  }
  const eLast = Math.exp((mn - dLast) * ig), eLabel = Math.exp((mn - dLabel) * ig);
  const value = mn - gamma * Math.log(eLast + eLabel);
  if (!Number.isFinite(value)) {
    throw new RangeError(`ctcKernel: the value overflowed to ${value}; logProbs are too large`);
  }
  if (G === null && Occ === null) return value;
  // Backward pass (push form) over E rows hc (frame t) and hp (frame t-1), index s + 2.
  let hc = 2 * W, hp = 3 * W;
  R.fill(0, hc, hc + W);
  R[hc + S + 1] = eLast / (eLast + eLabel);
  if (S > 1) R[hc + S] = eLabel / (eLast + eLabel);
  for (let t = T - 1; t >= 0; t--) {
    const lo = loOf(t), hi = hiOf(t);
    off -= hi - lo + 1;
    if (t > 0) R.fill(0, hp + loOf(t - 1) + 2, hp + hiOf(t - 1) + 3);
    const lrow = o + t * K;
    if (G !== null) G.fill(0, lrow, lrow + K);
    if (Occ !== null) {
      Occ.fill(0, t * S, t * S + lo);
      Occ.fill(0, t * S + hi + 1, (t + 1) * S);
    }
    const wbase = 3 * (off - lo);
    for (let s = hi; s >= lo; s--) {
      const e = R[hc + s + 2];
      const w = wbase + 3 * s;
      if (G !== null) G[lrow + ext[s]] -= e;
      if (Occ !== null) Occ[t * S + s] = e;
      R[hp + s + 2] += e * Wt[w];
      R[hp + s + 1] += e * Wt[w + 1];
      R[hp + s] += e * Wt[w + 2];
    }
    const tmp = hc;
    hc = hp;
    hp = tmp;
  }
  return value;
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
 * as {@linkcode ctcLoss}.
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
  const rows = (d: Float64Array, n: number) =>
    Array.from({ length: T }, (_, t) => Array.from(d.subarray(t * n, (t + 1) * n)));
  return { value, grad: rows(grad, K), occupancy: rows(occ, S), extended: Array.from(ext) };
}

/**
 * The CTC loss of one sequence: `value = -log Σ_π Π_t p_t(π_t)` (for the default γ = 1) over all
 * frame labelings `π` that collapse to `labels`, with `p_t(k) = exp(logProbs[t][k])`, and
 * `grad = ∂value/∂logProbs` (minus the posterior occupancy of each class; `logProbs` are free
 * inputs, no normalization is assumed). Throws for ragged or empty `logProbs`, NaN or infinite
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
 * Used in notebooks/06_beyond_soft_dtw.ipynb (and by the tfjs `CtcLoss`).
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
