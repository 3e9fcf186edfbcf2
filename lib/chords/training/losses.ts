/**
 * The training losses of the float64 engine (train_model.ts), as loss objects: one per loss of
 * a configuration ({@linkcode createLoss64}), bound to one split (its targets, laid out once, and
 * the scratch memory of the dynamic programs), computing the loss (mean over the segments) and
 * its gradient with respect to the model's outputs.
 *
 * - `"bce"`: strong targets (frames × 24, one-hot, all-zero for "no chord"), binary
 *   cross-entropy averaged over frames and chords, probabilities clipped to
 *   `[1e-7, 1 − 1e-7]` (as Keras does) so the logarithms stay finite;
 * - `"soft-dtw"`: the report's loss, `SDTW^γ` with the squared Euclidean cost between dChord's
 *   softmax outputs and one-hot weak targets (no normalization: it starts around 130 for
 *   150-frame segments), with
 *   - `targets: "padded"` (the report's weak targets: repetitions removed, padded to `softLength`
 *     by `"uniform"` stretching or `"last"`-element repetition) or `"sequence"` (the
 *     repetition-removed sequences with their true lengths, each segment its own length);
 *   - `gamma`: a constant or a linear schedule (e.g. 10 → 0.3);
 *   - `stepWeights` `[wRow, wCol, wDiag]` (rows = frames, columns = target elements; the paper's
 *     [1, 0, 1] is our `[0, 1, 1]`);
 *   - `prior: { weight, nu }`: the diagonal prior `w·(1 − P)` added to the cost, its weight a
 *     constant or a schedule, `ν` in frames;
 * - `"soft-dtw-divergence"`: `SDTW(P, Y) − ½ SDTW(P, P) − ½ SDTW(Y, Y)` (Blondel et al. 2021),
 *   same targets and γ options, plain steps, no prior;
 * - `"ctc"`: on the log-probabilities of dChord with a blank (25 outputs), the CTC loss on the
 *   repetition-removed weak sequences with "no chord" (N) dropped (an N between two chords
 *   becomes a blank; `[C, N, C]` is the target `C C`, which CTC separates with a blank), no
 *   padding; `blankPenalty` adds a cost to every frame spent on a blank.
 *
 * The dynamic programs run through lib/align's face: `softDtwInto` and `ctcInto` in a reusable
 * `AlignWorkspace`, `softDtwDivergenceBatch64`, `diagonalPrior`.
 *
 * @example
 * ```ts
 * import { trainingTargets } from "./losses.ts";
 * import { resolveConfig } from "./config.ts";
 * const seg = { song: "x", index: 0, start: 0, chroma: [], labels: [0, 0, -1, 0, 7] };
 * trainingTargets([seg], resolveConfig({ loss: "ctc" })); // [[0, 0, 7]]
 * ```
 *
 * @module
 */
import {
  type AlignWorkspace,
  checkCtcTarget,
  createAlignWorkspace,
  ctcInto,
  diagonalPrior,
  softDtwDivergenceBatch64,
  softDtwInto,
} from "../../align/mod.ts";
import { BLANK, BLANK_CLASSES } from "../model/dchord_blank.ts";
import type { Segment } from "../data/dataset.ts";
import { removeRepetitions, strongTargets, weakTargets } from "../data/targets.ts";
import type { ResolvedConfig } from "./config.ts";
import { oneHotCost, oneHotCostGrad } from "./onehot_cost.ts";

/** Lower clip of the probabilities in the binary cross-entropy (Keras's epsilon). */
export const BCE_EPSILON = 1e-7;

/** The target of one segment as labels (−1 = N). */
function segmentTarget(s: Segment, c: ResolvedConfig, name: string): number[] {
  if (c.loss === "bce") return strongTargets(s.labels).map((row) => row.indexOf(1));
  if (c.loss === "ctc") return removeRepetitions(s.labels).filter((l) => l >= 0);
  if (c.targets === "sequence") return removeRepetitions(s.labels);
  return weakTargets(s.labels, { softLength: c.softLength!, padding: c.padding!, name })
    .map((row) => row.indexOf(1));
}

/**
 * The targets of the segments under a configuration, as label lists (−1 = N): the frame labels
 * (strong targets, BCE), padded weak targets, repetition-removed sequences, or CTC label
 * sequences (N dropped).
 *
 * @example
 * ```ts
 * import { trainingTargets } from "./losses.ts";
 * import { resolveConfig } from "./config.ts";
 * const seg = { song: "x", index: 0, start: 0, chroma: [], labels: [0, 0, -1, 0, 7] };
 * trainingTargets([seg], resolveConfig({ loss: "soft-dtw", targets: "sequence" }));
 * // [[0, -1, 0, 7]]
 * ```
 */
export function trainingTargets(segments: Segment[], config: ResolvedConfig): number[][] {
  return segments.map((s, i) => segmentTarget(s, config, `segment ${i} (${s.song} #${s.index})`));
}

/** One split as flat arrays with per-segment targets. */
export interface Split {
  /** Segments B. */
  size: number;
  /** Frames per segment M. */
  frames: number;
  /** Chroma, B × M × 12. */
  chroma: Float64Array;
  /** Targets of the segments as labels (−1 = N). */
  targets: Int32Array[];
  /** Longest target. */
  maxN: number;
}

/**
 * Checks the segments of one split (same number of frames, 12 finite chroma values ≥ 0 per
 * frame; CTC: a target CTC can produce) and lays them out as a {@linkcode Split}.
 *
 * @example
 * ```ts
 * import { makeSplit } from "./losses.ts";
 * import { resolveConfig } from "./config.ts";
 * const seg = { song: "x", index: 0, start: 0, chroma: [new Array(12).fill(1)], labels: [3] };
 * makeSplit([seg], "train", resolveConfig({ loss: "bce" })).targets; // [Int32Array [3]]
 * ```
 */
export function makeSplit(segments: Segment[], name: string, c: ResolvedConfig): Split {
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
  const targets = trainingTargets(segments, c).map((t) => Int32Array.from(t));
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
  return { size: segments.length, frames: M, chroma, targets, maxN };
}

/** One evaluation of a loss: the model's outputs and what to write. */
export interface LossStep {
  /** Model outputs: probabilities B × M × 24, or log-probabilities B × M × 25 (CTC). */
  outputs: Float64Array;
  /** Output for `∂loss/∂outputs` (same layout), or null for the value only. */
  grad: Float64Array | null;
  /** γ of this evaluation (soft-DTW losses). */
  gamma: number;
  /** Prior weight of this evaluation (soft-DTW with a prior). */
  priorWeight: number;
  /** Segment whose alignment to report through `onAlignment` (with a gradient only). */
  capture?: number;
  /** Receives the captured alignment (rows × cols, row-major; reused memory: copy it). */
  onAlignment?: (matrix: Float64Array, rows: number, cols: number) => void;
}

/** A loss bound to one split: its value (mean over the segments) and gradient. */
export interface Loss64 {
  /** What the model must output: 24 probabilities, or 25 log-probabilities (CTC). */
  readonly outputs: "probabilities" | "log-probabilities";
  /** The loss of the split for these outputs; writes the gradient into `step.grad`. */
  evaluate(step: LossStep): number;
}

/** Binary cross-entropy against the strong targets. */
class BceLoss implements Loss64 {
  readonly outputs = "probabilities" as const;
  #targets: Float64Array;

  constructor(split: Split) {
    const { size: B, frames: M } = split;
    this.#targets = new Float64Array(B * M * 24);
    split.targets.forEach((t, b) =>
      t.forEach((l, m) => l >= 0 && (this.#targets[(b * M + m) * 24 + l] = 1))
    );
  }

  /**
   * Mean over all B × M × 24 entries, `P` clipped to `[ε, 1 − ε]`; the gradient is zero where
   * the clip is active (the gradient of a clip).
   */
  evaluate({ outputs: P, grad }: LossStep): number {
    const Y = this.#targets;
    const count = P.length;
    let sum = 0;
    const lo = BCE_EPSILON, hi = 1 - BCE_EPSILON;
    for (let i = 0; i < count; i++) {
      const p = P[i];
      const q = p < lo ? lo : p > hi ? hi : p;
      const y = Y[i];
      // one logarithm per entry for 0/1 targets (the other term is multiplied by 0)
      sum += y === 1 ? Math.log(q) : y === 0 ? Math.log(1 - q) : y * Math.log(q) +
        (1 - y) * Math.log(1 - q);
      if (grad !== null) {
        grad[i] = p < lo || p > hi ? 0 : -(y / q - (1 - y) / (1 - q)) / count;
      }
    }
    return -sum / count;
  }
}

/** Soft-DTW with step weights and a diagonal prior, mean over the segments. */
class SoftDtwLoss64 implements Loss64 {
  readonly outputs = "probabilities" as const;
  #split: Split;
  #stepWeights: [number, number, number] | undefined;
  #nu: number | undefined;
  #cost: Float64Array;
  #grad: Float64Array;
  #occupancy: Float64Array;
  #workspace: AlignWorkspace;
  #priors = new Map<number, Float64Array>();

  constructor(split: Split, config: ResolvedConfig) {
    this.#split = split;
    const w = config.stepWeights;
    this.#stepWeights = w && !(w[0] === 1 && w[1] === 1 && w[2] === 1) ? w : undefined;
    this.#nu = config.prior?.nu;
    const cells = split.frames * split.maxN;
    this.#cost = new Float64Array(cells);
    this.#grad = new Float64Array(cells);
    this.#occupancy = new Float64Array(this.#stepWeights ? cells : 0);
    this.#workspace = createAlignWorkspace({ maxRows: split.frames, maxCols: split.maxN });
  }

  /** The diagonal prior of an M × N cost, row-major (cached per N). */
  #prior(M: number, N: number): Float64Array {
    let prior = this.#priors.get(N);
    if (!prior) {
      prior = Float64Array.from(diagonalPrior(M, N, { sigma: this.#nu }).flat());
      this.#priors.set(N, prior);
    }
    return prior;
  }

  evaluate(step: LossStep): number {
    const { outputs: P, grad, gamma, priorWeight } = step;
    const { size: B, frames: M } = this.#split;
    const cost = this.#cost;
    const scale = 2 / B;
    let total = 0;
    for (let b = 0; b < B; b++) {
      const y = this.#split.targets[b], N = y.length;
      const segment = { P, offset: b * M * 24, frames: M, targets: y, targetOffset: 0, cols: N };
      oneHotCost(segment, cost);
      if (priorWeight > 0) {
        const prior = this.#prior(M, N);
        for (let i = 0; i < M * N; i++) cost[i] += priorWeight * (1 - prior[i]);
      }
      const g = grad === null ? null : this.#grad;
      const occupancy = g !== null && this.#stepWeights ? this.#occupancy : null;
      total += softDtwInto({
        cost,
        rows: M,
        cols: N,
        gamma,
        stepWeights: this.#stepWeights,
        grad: g,
        occupancy,
        workspace: this.#workspace,
      });
      if (g === null) continue;
      // plain soft-DTW: the gradient is the expected alignment E
      if (b === step.capture) step.onAlignment?.(occupancy ?? g, M, N);
      oneHotCostGrad(segment, g, scale, grad!);
    }
    return total / B;
  }
}

/**
 * The soft-DTW divergence (`softDtwDivergenceBatch64` of lib/align), mean over the segments:
 * predictions against one-hot target rows (all-zero for N), per-segment target lengths.
 */
class DivergenceLoss64 implements Loss64 {
  readonly outputs = "probabilities" as const;
  #split: Split;
  /** One-hot targets, B × maxN × 24 (all-zero rows for N and padding). */
  #oneHot: Float64Array;

  constructor(split: Split) {
    this.#split = split;
    const { size: B, maxN } = split;
    this.#oneHot = new Float64Array(B * maxN * 24);
    split.targets.forEach((t, b) =>
      t.forEach((y, n) => y >= 0 && (this.#oneHot[(b * maxN + n) * 24 + y] = 1))
    );
  }

  evaluate(step: LossStep): number {
    const { outputs: P, grad, gamma } = step;
    const { size: B, frames: M, maxN } = this.#split;
    const r = softDtwDivergenceBatch64({
      x: P,
      y: this.#oneHot,
      batch: B,
      maxRows: M,
      maxCols: maxN,
      features: 24,
      colLengths: this.#split.targets.map((t) => t.length),
      gamma,
      withGrad: grad !== null,
    });
    if (grad !== null) {
      const g = r.gradX!;
      for (let i = 0; i < g.length; i++) grad[i] = g[i] / B;
      const c = step.capture ?? -1;
      if (c >= 0 && step.onAlignment) {
        const N = this.#split.targets[c].length, E = new Float64Array(M * N);
        const o = c * M * maxN;
        for (let m = 0; m < M; m++) {
          for (let n = 0; n < N; n++) E[m * N + n] = r.alignments![o + m * maxN + n];
        }
        step.onAlignment(E, M, N);
      }
    }
    return r.values.reduce((s, v) => s + v, 0) / B;
  }
}

/** CTC on log-probabilities B × M × 25, mean over the segments. */
class CtcLoss64 implements Loss64 {
  readonly outputs = "log-probabilities" as const;
  #split: Split;
  #blankPenalty: number;
  #workspace: AlignWorkspace;
  /** Log-probabilities with the blank penalty subtracted (with a penalty). */
  #shifted: Float64Array;

  constructor(split: Split, config: ResolvedConfig) {
    this.#split = split;
    this.#blankPenalty = config.blankPenalty!;
    const { size: B, frames: M, maxN } = split;
    this.#workspace = createAlignWorkspace({ maxRows: M, maxCols: 2 * maxN + 1 });
    this.#shifted = new Float64Array(this.#blankPenalty > 0 ? B * M * BLANK_CLASSES : 0);
  }

  evaluate(step: LossStep): number {
    const { grad } = step;
    const { size: B, frames: M } = this.#split;
    let P = step.outputs;
    if (this.#blankPenalty > 0) {
      // the penalty is a cost added to every blank cell: subtract it from the blank's
      // log-probability (the gradient with respect to the log-probabilities is unchanged)
      P = this.#shifted;
      P.set(step.outputs);
      for (let i = BLANK; i < P.length; i += BLANK_CLASSES) P[i] -= this.#blankPenalty;
    }
    let total = 0;
    for (let b = 0; b < B; b++) {
      const labels = this.#split.targets[b];
      const capture = grad !== null && b === step.capture && step.onAlignment !== undefined;
      const posterior = capture ? new Float64Array(M * (2 * labels.length + 1)) : null;
      total += ctcInto({
        logProbs: P,
        offset: b * M * BLANK_CLASSES,
        frames: M,
        classes: BLANK_CLASSES,
        labels,
        blank: BLANK,
        grad,
        occupancy: posterior,
        workspace: this.#workspace,
      });
      if (capture) step.onAlignment!(posterior!, M, 2 * labels.length + 1);
    }
    if (grad !== null) { for (let i = 0; i < grad.length; i++) grad[i] /= B; }
    return total / B;
  }
}

/**
 * The loss object of a configuration on one split (see the module doc for the losses).
 *
 * @example
 * ```ts
 * import { createLoss64, makeSplit } from "./losses.ts";
 * import { resolveConfig } from "./config.ts";
 * const config = resolveConfig({ loss: "bce" });
 * const seg = { song: "x", index: 0, start: 0, chroma: [new Array(12).fill(1)], labels: [0] };
 * const loss = createLoss64(config, makeSplit([seg], "train", config));
 * loss.evaluate({ outputs: new Float64Array(24).fill(0.5), grad: null, gamma: 1, priorWeight: 0 });
 * // log 2 ≈ 0.693
 * ```
 */
export function createLoss64(config: ResolvedConfig, split: Split): Loss64 {
  switch (config.loss) {
    case "bce":
      return new BceLoss(split);
    case "soft-dtw":
      return new SoftDtwLoss64(split, config);
    case "soft-dtw-divergence":
      return new DivergenceLoss64(split);
    case "ctc":
      return new CtcLoss64(split, config);
  }
}
