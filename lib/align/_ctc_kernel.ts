/**
 * The CTC dynamic program of `ctc.ts` (no validation): the soft-minimum forward pass over the
 * extended graph (stay, advance, skip) keeping the softmin weights, and the exponential-free
 * backward pass for the occupancy, as soft-DTW's kernel does. Its cell differs from soft-DTW's
 * (`softminCell` of `_soft_dtw_kernel.ts`): a CTC cell can be unreachable (every predecessor
 * `+∞`), which soft-DTW's grid never has, so the update is written out here. The definitions,
 * validation and entry points are in `ctc.ts` (and `workspace.ts`).
 *
 * @example
 * ```ts
 * import { createCtcWorkspace, ctcKernel } from "./_ctc_kernel.ts";
 * const value = ctcKernel({
 *   logProbs: [Math.log(0.5), Math.log(0.5)], offset: 0, frames: 1, classes: 2,
 *   extended: new Int32Array([0, 1, 0]), gamma: 1, grad: null,
 *   workspace: createCtcWorkspace({ maxCells: 3, maxStates: 3 }),
 * }); // -log 0.5
 * ```
 *
 * @module
 */
import { checkPositiveIntegers } from "./_checks.ts";

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
 * @example
 * ```ts
 * import { createCtcWorkspace } from "./_ctc_kernel.ts";
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
 * @example
 * ```ts
 * import { ctcExtendedLabels } from "./ctc.ts";
 * import { createCtcWorkspace, ctcKernel } from "./_ctc_kernel.ts";
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
    // the target fits (labels plus repeated neighbours <= T): every state was reachable, so an
    // infinite D comes from the log-probabilities' magnitude
    let needed = (S - 1) / 2;
    for (let s = 3; s < S; s += 2) if (ext[s] === ext[s - 2]) needed++;
    throw new RangeError(
      needed <= T
        ? `ctcKernel: the accumulated cost overflowed to ${mn}: the log-probabilities are too large in magnitude (e.g. -1e308); clamp them (e.g. to log(1e-30))`
        : `ctcKernel: no path (value ${mn}); the target needs ${needed} frames, more than the ${T} given`,
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
