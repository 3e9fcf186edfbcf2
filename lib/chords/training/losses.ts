/**
 * The losses of the extended float64 engine (float64_engine.ts, whose module doc describes
 * them): the targets of a configuration ({@linkcode extendedTargets}), one split as flat
 * arrays with its scratch memory, and the soft-DTW (step weights, diagonal prior), soft-DTW
 * divergence and CTC losses with their gradients with respect to the model's outputs, each the
 * mean over the segments. Only {@linkcode extendedTargets} is part of the library's face; the
 * rest serves the engine.
 *
 * @example
 * ```ts
 * import { extendedTargets } from "./losses.ts";
 * import { resolveExtendedConfig } from "./loss_config.ts";
 * const seg = { song: "x", index: 0, start: 0, chroma: [], labels: [0, 0, -1, 0, 7] };
 * extendedTargets([seg], resolveExtendedConfig({ loss: "ctc" })); // [[0, 0, 7]]
 * ```
 *
 * @module
 */
import { BLANK, BLANK_CLASSES } from "../model/dchord_blank.ts";
import { diagonalPriorInto } from "../../align/prior.ts";
import { softDtwDivergenceBatch64 } from "../../align/divergence.ts";
import {
  createWeightedWorkspace,
  weightedSoftDtwKernel,
  type WeightedWorkspace,
} from "../../align/weighted.ts";
import {
  checkCtcTarget,
  createCtcWorkspace,
  ctcExtendedLabels,
  ctcKernel,
  type CtcWorkspace,
} from "../../align/ctc.ts";
import type { Segment } from "../data/dataset.ts";
import { removeRepetitions, weakTargets } from "../data/targets.ts";
import { createWorkspace, softDtwKernel, type SoftDtwWorkspace } from "../../align/soft_dtw.ts";
import type { ResolvedExtendedConfig } from "./loss_config.ts";
import { oneHotCost, oneHotCostGrad } from "./onehot_cost.ts";

/** The target of one segment: column labels (−1 = N; CTC: labels without N). */
function segmentTarget(s: Segment, c: ResolvedExtendedConfig, name: string): number[] {
  if (c.loss === "ctc") return removeRepetitions(s.labels).filter((l) => l >= 0);
  if (c.targets === "sequence") return removeRepetitions(s.labels);
  return weakTargets(s.labels, { softLength: c.softLength!, padding: c.padding!, name })
    .map((row) => row.indexOf(1));
}

/**
 * The targets of the segments under a configuration, as label lists: padded weak targets,
 * repetition-removed sequences, or CTC label sequences (N dropped).
 *
 * @example
 * ```ts
 * import { extendedTargets } from "./losses.ts";
 * import { resolveExtendedConfig } from "./loss_config.ts";
 * const seg = { song: "x", index: 0, start: 0, chroma: [], labels: [0, 0, -1, 0, 7] };
 * extendedTargets([seg], resolveExtendedConfig({ loss: "ctc" })); // [[0, 0, 7]]
 * ```
 */
export function extendedTargets(
  segments: Segment[],
  config: ResolvedExtendedConfig,
): number[][] {
  return segments.map((s, i) => segmentTarget(s, config, `segment ${i} (${s.song} #${s.index})`));
}

/** One split as flat arrays with per-segment targets (for the engine). */
export interface Split {
  size: number;
  frames: number;
  chroma: Float64Array;
  targets: Int32Array[];
  /** Longest target. */
  maxN: number;
  /** One-hot targets, B × maxN × 24 (divergence only; all-zero rows for N and padding). */
  oneHot: Float64Array;
}

/** Checks the segments of one split and lays them out as a {@linkcode Split} (for the engine). */
export function makeSplit(segments: Segment[], name: string, c: ResolvedExtendedConfig): Split {
  if (!Array.isArray(segments) || segments.length === 0) {
    throw new RangeError(`${name} must be a non-empty array of segments`);
  }
  const M = segments[0].chroma.length;
  const chroma = new Float64Array(segments.length * M * 12);
  segments.forEach((s, b) => {
    if (!s || !Array.isArray(s.chroma) || s.chroma.length !== M || s.labels.length !== M) {
      throw new RangeError(`${name}[${b}] must have ${M} chroma frames and labels`);
    }
    s.chroma.forEach((row, m) => {
      if (row.length !== 12 || row.some((v) => !(v >= 0) || !Number.isFinite(v))) {
        throw new RangeError(`${name}[${b}] frame ${m}: 12 finite chroma values >= 0 needed`);
      }
      chroma.set(row, (b * M + m) * 12);
    });
  });
  const targets = extendedTargets(segments, c).map((t) => Int32Array.from(t));
  if (c.loss === "ctc") {
    targets.forEach((t, b) =>
      checkCtcTarget(Array.from(t), {
        blank: c.blank!,
        classes: BLANK_CLASSES,
        frames: M,
        name: `${name}[${b}] (${segments[b].song} #${segments[b].index}) CTC target`,
      })
    );
  }
  const maxN = Math.max(...targets.map((t) => t.length));
  const oneHot = new Float64Array(
    c.loss === "soft-dtw-divergence" ? segments.length * maxN * 24 : 0,
  );
  if (oneHot.length > 0) {
    targets.forEach((t, b) => t.forEach((y, n) => y >= 0 && (oneHot[(b * maxN + n) * 24 + y] = 1)));
  }
  return { size: segments.length, frames: M, chroma, targets, maxN, oneHot };
}

/** Per-split scratch memory of the losses (for the engine). */
export interface Scratch {
  cost: Float64Array;
  grad: Float64Array;
  occupancy: Float64Array;
  workspace: SoftDtwWorkspace;
  weighted: WeightedWorkspace;
  ctc: CtcWorkspace;
  /** Log-probabilities with the blank penalty subtracted (CTC with a penalty). */
  shifted: Float64Array;
  priors: Map<number, Float64Array>;
  extended: Int32Array[];
}

/** The scratch memory of a split under a configuration (for the engine). */
export function scratchFor(split: Split, c: ResolvedExtendedConfig): Scratch {
  const M = split.frames;
  const maxN = Math.max(...split.targets.map((t) => t.length));
  const cols = Math.max(maxN, M), cells = M * cols;
  const ctc = c.loss === "ctc";
  return {
    cost: new Float64Array(cells),
    grad: new Float64Array(cells),
    occupancy: new Float64Array(cells),
    workspace: createWorkspace({ maxCells: cells, maxCols: cols }),
    weighted: createWeightedWorkspace({ maxCells: cells, maxRows: M, maxCols: cols }),
    ctc: createCtcWorkspace({ maxCells: M * (2 * maxN + 1), maxStates: 2 * maxN + 1 }),
    shifted: new Float64Array(ctc && c.blankPenalty! > 0 ? split.size * M * BLANK_CLASSES : 0),
    priors: new Map(),
    extended: ctc ? split.targets.map((t) => ctcExtendedLabels(Array.from(t), c.blank!)) : [],
  };
}

/** Plain soft-DTW of a rows × cols cost with the fast kernel; gradient into `grad`. */
function plainSdtw(
  sc: Scratch,
  cost: Float64Array,
  rows: number,
  cols: number,
  gamma: number,
  grad: Float64Array | null,
): number {
  return softDtwKernel({
    cost,
    costOffset: 0,
    costStride: cols,
    rows,
    cols,
    gamma,
    grad,
    gradOffset: 0,
    gradStride: cols,
    workspace: sc.workspace,
  });
}

/** Arguments of an {@linkcode ExtendedLossFunction} (for the engine). */
export interface LossArgs {
  split: Split;
  P: Float64Array; // probabilities (B × M × 24) or log-probabilities (B × M × 25)
  grad: Float64Array | null;
  gamma: number;
  priorWeight: number;
  sc: Scratch;
  capture: number; // segment to capture, -1 for none
  onCapture: (matrix: Float64Array, rows: number, cols: number) => void;
}

/** Soft-DTW (with step weights and prior), mean over the segments. */
function softDtwLoss(c: ResolvedExtendedConfig, a: LossArgs): number {
  const { split, P, grad, gamma, priorWeight, sc } = a;
  const { size: B, frames: M } = split;
  const w = c.stepWeights ?? [1, 1, 1];
  const plain = w[0] === 1 && w[1] === 1 && w[2] === 1;
  const scale = 2 / B;
  let total = 0;
  for (let b = 0; b < B; b++) {
    const y = split.targets[b], N = y.length;
    const { cost } = sc;
    const segment = { P, offset: b * M * 24, frames: M, targets: y, targetOffset: 0, cols: N };
    oneHotCost(segment, cost);
    if (priorWeight > 0) {
      let prior = sc.priors.get(N);
      if (!prior) {
        prior = new Float64Array(M * N);
        diagonalPriorInto(prior, { offset: 0, stride: N, rows: M, cols: N }, {
          sigma: c.prior!.nu,
        });
        sc.priors.set(N, prior);
      }
      for (let i = 0; i < M * N; i++) cost[i] += priorWeight * (1 - prior[i]);
    }
    const g = grad === null ? null : sc.grad;
    let value: number;
    let occupancy: Float64Array | null = g;
    if (plain) value = plainSdtw(sc, cost, M, N, gamma, g);
    else {
      occupancy = g === null ? null : sc.occupancy;
      value = weightedSoftDtwKernel({
        cost,
        costOffset: 0,
        costStride: N,
        rows: M,
        cols: N,
        gamma,
        stepWeights: w,
        band: null,
        grad: g,
        gradOffset: 0,
        gradStride: N,
        occupancy,
        workspace: sc.weighted,
      });
    }
    if (g !== null && b === a.capture) a.onCapture(occupancy!, M, N);
    if (g !== null && grad !== null) oneHotCostGrad(segment, g, scale, grad);
    total += value;
  }
  return total / B;
}

/**
 * Soft-DTW divergence (`divergence.ts` of lib/align), mean over the segments: predictions
 * against one-hot target rows (all-zero for N), per-segment target lengths.
 */
function divergenceLoss(_c: ResolvedExtendedConfig, a: LossArgs): number {
  const { split, P, grad, gamma } = a;
  const { size: B, frames: M } = split;
  const r = softDtwDivergenceBatch64({
    x: P,
    y: split.oneHot,
    batch: B,
    maxRows: M,
    maxCols: split.maxN,
    features: 24,
    colLengths: split.targets.map((t) => t.length),
    gamma,
    withGrad: grad !== null,
  });
  if (grad !== null) {
    const g = r.gradX!;
    for (let i = 0; i < g.length; i++) grad[i] = g[i] / B;
    if (a.capture >= 0) {
      const N = split.targets[a.capture].length, E = new Float64Array(M * N);
      const o = a.capture * M * split.maxN;
      for (let m = 0; m < M; m++) {
        for (let n = 0; n < N; n++) E[m * N + n] = r.alignments![o + m * split.maxN + n];
      }
      a.onCapture(E, M, N);
    }
  }
  return r.values.reduce((s, v) => s + v, 0) / B;
}

/** CTC loss on log-probabilities B × M × 25, mean over the segments. */
function ctcLoss(c: ResolvedExtendedConfig, a: LossArgs): number {
  const { split, grad, sc } = a;
  const { size: B, frames: M } = split;
  let P = a.P;
  if (c.blankPenalty! > 0) {
    // the penalty is a cost added to every blank cell: subtract it from the blank's
    // log-probability (the gradient with respect to the log-probabilities is unchanged)
    P = sc.shifted;
    P.set(a.P);
    for (let i = BLANK; i < P.length; i += BLANK_CLASSES) P[i] -= c.blankPenalty!;
  }
  let total = 0;
  let posterior: Float64Array | null = null;
  for (let b = 0; b < B; b++) {
    const S = sc.extended[b].length;
    const capture = grad !== null && b === a.capture;
    if (capture) posterior = new Float64Array(M * S);
    total += ctcKernel({
      logProbs: P,
      offset: b * M * BLANK_CLASSES,
      frames: M,
      classes: BLANK_CLASSES,
      extended: sc.extended[b],
      gamma: 1,
      grad,
      occupancy: capture ? posterior : null,
      workspace: sc.ctc,
    });
    if (capture) a.onCapture(posterior!, M, S);
  }
  if (grad !== null) { for (let i = 0; i < grad.length; i++) grad[i] /= B; }
  return total / B;
}

/**
 * A loss of the engine: its value, mean over the segments of `a.split`, and (when `a.grad` is
 * given) its gradient with respect to the model's outputs written into `a.grad`.
 */
export type ExtendedLossFunction = (c: ResolvedExtendedConfig, a: LossArgs) => number;

/** The loss function of a configuration (for the engine). */
export function extendedLossFunction(config: ResolvedExtendedConfig): ExtendedLossFunction {
  return config.loss === "ctc"
    ? ctcLoss
    : config.loss === "soft-dtw-divergence"
    ? divergenceLoss
    : softDtwLoss;
}
