/**
 * Training of dChord with strongly aligned targets (binary cross-entropy) or weakly aligned
 * targets (soft-DTW loss), as in the report's Chapter 4.
 *
 * Procedure (the report's setup): Adam (learning rate 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-8),
 * one full batch holding all training segments, 300 epochs, starting from the binary triad
 * templates and θ = 0 ({@linkcode initialWeights}). After every epoch the validation loss is
 * computed with the same loss and targets of the same kind; the weights with the lowest
 * validation loss are kept and returned for testing.
 *
 * Losses:
 * - `"bce"`: strong targets (frames × 24, one-hot, all-zero for "no chord"), binary
 *   cross-entropy averaged over frames and chords, probabilities clipped to
 *   `[1e-7, 1 − 1e-7]` (as Keras does) so the logarithms stay finite;
 * - `"soft-dtw"`: weak targets (adjacent repetitions removed, padded to `softLength` by
 *   `"uniform"` stretching or `"last"`-element repetition), loss = mean over the segments of
 *   `SDTW^γ` with squared Euclidean cost between the softmax outputs and the one-hot weak
 *   targets, no normalization (so it starts around 130 for 150-frame segments).
 *
 * Extended configurations (issue 12; {@linkcode isExtendedConfig}): the losses
 * `"soft-dtw-divergence"` and `"ctc"` (dChord with a blank, dchord_blank.ts), and soft-DTW with
 * true-length targets, step weights, a diagonal prior or a γ schedule. {@linkcode trainModel}
 * hands them to the float64 engine of float64_engine.ts (same procedure, same result type; the
 * captured alignments are occupancies or CTC state posteriors), `trainModelTf` to its tfjs twin.
 *
 * Epoch numbering (counting from 1): the training loss of epoch `e` is the loss of the e-th
 * forward pass, computed with the weights before the e-th update (as Keras reports it); the
 * expected alignment captured for epoch `e` is the soft-DTW gradient `E^γ = ∂SDTW/∂C` of that
 * same forward/backward pass; the validation loss of epoch `e` is computed with the weights
 * after the e-th update (as Keras's end-of-epoch validation). The best epoch is the epoch with
 * the lowest validation loss (the first one on ties), and the returned weights are those
 * after its update.
 *
 * This module is the float64 engine: dChord's forward and backward pass ({@linkcode forward64},
 * {@linkcode backward64}), the losses and their gradients, the soft-DTW dynamic program
 * (`softDtwKernel` of lib/align/soft_dtw.ts) and Adam, all in float64 JavaScript loops with
 * buffers allocated once per run. About ten times faster than the tfjs engine (`trainModelTf` of
 * train_model_tf.ts, exported by `lib/tf.ts`; lib/chords/training/train_bench.ts), which is kept as the
 * independent cross-check: train_model_test.ts checks that both engines give the same loss curves.
 *
 * Adam follows Keras (the report's framework): `m ← β1 m + (1 − β1) g`,
 * `v ← β2 v + (1 − β2) g²`, `w ← w − lr · sqrt(1 − β2^t) / (1 − β1^t) · m / (sqrt(v) + ε)`
 * (tfjs puts ε inside the bias correction, `m̂ / (sqrt(v̂) + ε)`; with ε = 1e-8 the two differ
 * by far less than float32 rounding).
 *
 * The procedure is deterministic: full batch, fixed initialization, no shuffling, no random
 * numbers; the same configuration gives bit-identical results.
 *
 * @example
 * ```ts
 * import { trainModel } from "./train_model.ts";
 * import { loadSplits } from "../../study/data.ts";
 * const { train, validation } = await loadSplits();
 * const result = trainModel({ train, validation, config: { loss: "bce", epochs: 10 } });
 * result.bestEpoch; // 1..10
 * ```
 *
 * @module
 */
import { backward64, type DChordWeights, type Forward64, forward64 } from "../model/dchord.ts";
import { createWorkspace, softDtwKernel, type SoftDtwWorkspace } from "../../align/soft_dtw.ts";
import type { Segment } from "../data/dataset.ts";
import { oneHotCost, oneHotCostGrad } from "./onehot_cost.ts";
import { fromParameterVector, toParameterVector } from "../model/layers64.ts";
import {
  buildTargets,
  type CapturedAlignment,
  EpochLog,
  isExtendedConfig,
  prepareTraining,
  type ResolvedConfig,
  type TrainOptions,
  type TrainResult,
} from "./config.ts";
import type { ExtendedConfig } from "./loss_config.ts";
import { type ExtendedOptions, type ExtendedResult, trainExtended } from "./float64_engine.ts";

/** dChord's weights of a 25-parameter vector. */
const weightsOf = (v: Float64Array) => fromParameterVector(v) as DChordWeights;

/**
 * Trains a fresh dChord model (see the module doc for the procedure, the two engines and the
 * epoch convention) and returns the loss curves, the best epoch and its weights, and the
 * captured expected alignments. The tfjs engine disposes every tensor it creates.
 *
 * @example
 * ```ts
 * import { trainModel } from "./train_model.ts";
 * import { loadSplits } from "../../study/data.ts";
 * const { train, validation } = await loadSplits();
 * const r = trainModel({
 *   train,
 *   validation,
 *   config: { loss: "soft-dtw", softLength: 16, padding: "uniform", epochs: 5 },
 *   alignment: { segment: 0, epochs: [1, 5] },
 * });
 * r.alignments[0].matrix.length; // 150
 * ```
 */
export function trainModel(options: TrainOptions): TrainResult {
  const { config, wanted } = prepareTraining(options);
  if (isExtendedConfig(config)) {
    return extendedResult(trainExtended(extendedOptions(options, wanted)));
  }
  return trainFloat64(options, config, wanted);
}

/**
 * The options of the extended engines (float64_engine.ts, tfjs_engine.ts) for a training
 * whose configuration {@linkcode isExtendedConfig}: the same segments, configuration and epoch
 * report, the captured epochs as a list.
 *
 * @example
 * ```ts
 * import { extendedOptions } from "./train_model.ts";
 * const seg = { song: "x", index: 0, start: 0, chroma: [new Array(12).fill(1)], labels: [0] };
 * extendedOptions({ train: [seg], validation: [seg], config: { loss: "ctc" } }, new Set()).capture;
 * // undefined
 * ```
 */
export function extendedOptions(options: TrainOptions, wanted: Set<number>): ExtendedOptions {
  return {
    train: options.train,
    validation: options.validation,
    config: options.config as ExtendedConfig,
    onEpoch: options.onEpoch,
    capture: options.alignment === undefined
      ? undefined
      : { segment: options.alignment.segment, epochs: [...wanted].sort((a, b) => a - b) },
  };
}

/**
 * An extended engine's result as a {@linkcode TrainResult}: captures become the captured
 * alignments (occupancy, or CTC state posterior).
 *
 * @example
 * ```ts
 * import { extendedResult, extendedOptions } from "./train_model.ts";
 * import { trainExtended } from "./float64_engine.ts";
 * const seg = { song: "x", index: 0, start: 0, chroma: [[1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]], labels: [0] };
 * const opts = extendedOptions({ train: [seg], validation: [seg], config: { loss: "ctc", epochs: 1 } }, new Set());
 * extendedResult(trainExtended(opts)).bestEpoch; // 1
 * ```
 */
export function extendedResult(r: ExtendedResult): TrainResult {
  return {
    config: r.config as ResolvedConfig,
    trainLoss: r.trainLoss,
    validationLoss: r.validationLoss,
    bestEpoch: r.bestEpoch,
    bestValidationLoss: r.bestValidationLoss,
    weights: r.weights,
    finalWeights: r.finalWeights,
    alignments: r.captures.map(({ epoch, segment, matrix }) => ({ epoch, segment, matrix })),
  };
}

import { Adam64 } from "./adam.ts";
export { Adam64 };

/** Lower clip of the probabilities in the binary cross-entropy (Keras's epsilon). */
export const BCE_EPSILON = 1e-7;

/** The data of one split as flat float64 arrays, built once per run. */
interface Batch {
  /** Segments B. */
  size: number;
  /** Frames per segment M. */
  frames: number;
  /** Target rows per segment N (frames for BCE, soft length for soft-DTW). */
  targetRows: number;
  /** Chroma, B × M × 12. */
  chroma: Float64Array;
  /** Targets, B × N × 24. */
  targets: Float64Array;
  /** Per target row: the index of its 1 (one-hot), or -1 for an all-zero row. */
  targetIndex: Int32Array;
  /** Forward buffers (reused every epoch). */
  forward?: Forward64;
}

function makeBatch(segments: Segment[], targets: number[][][]): Batch {
  const B = segments.length, M = segments[0].chroma.length, N = targets[0].length;
  const chroma = new Float64Array(B * M * 12);
  const y = new Float64Array(B * N * 24);
  const targetIndex = new Int32Array(B * N);
  segments.forEach((s, b) => s.chroma.forEach((row, m) => chroma.set(row, (b * M + m) * 12)));
  targets.forEach((t, b) =>
    t.forEach((row, n) => {
      const r = b * N + n;
      y.set(row, r * 24);
      let idx = -1;
      let ones = 0;
      row.forEach((v, k) => {
        if (v === 1) {
          idx = k;
          ones++;
        } else if (v !== 0) ones = 2;
      });
      if (ones > 1) throw new RangeError(`target ${b}, row ${n} is not one-hot or all-zero`);
      targetIndex[r] = idx;
    })
  );
  for (let i = 0; i < chroma.length; i++) {
    if (!(chroma[i] >= 0) || !Number.isFinite(chroma[i])) {
      const f = Math.floor(i / 12);
      throw new RangeError(
        `chroma of segment ${Math.floor(f / M)}, frame ${f % M}, bin ${i % 12} is ${
          chroma[i]
        }; chroma must be finite and >= 0`,
      );
    }
  }
  return { size: B, frames: M, targetRows: N, chroma, targets: y, targetIndex };
}

/**
 * Binary cross-entropy (mean over all B × M × 24 entries) of probabilities `P` against
 * targets `Y`, with `P` clipped to `[ε, 1 − ε]`; writes `∂L/∂P` into `grad` when given (zero
 * where the clip is active, as the gradient of a clip).
 */
function bce64(P: Float64Array, Y: Float64Array, grad: Float64Array | null): number {
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

/** Soft-DTW scratch memory, allocated once per run. */
interface SoftDtwScratch {
  cost: Float64Array;
  alignment: Float64Array;
  workspace: SoftDtwWorkspace;
}

function softDtwScratch(M: number, N: number): SoftDtwScratch {
  return {
    cost: new Float64Array(M * N),
    alignment: new Float64Array(M * N),
    workspace: createWorkspace({ maxCells: M * N, maxCols: N }),
  };
}

/**
 * Soft-DTW loss (mean over the segments of `SDTW^γ(C_b)`, `C_b(m, n) = ||p_m − y_n||²`) of
 * probabilities `P` (B × M × 24) against one-hot targets; writes `∂L/∂P` into `grad` when
 * given: `∂L/∂p_m = (2/B) Σ_n E^γ(m, n) (p_m − y_n)`. Calls `onAlignment(b, E)` for segment
 * `b == captureSegment`.
 */
function softDtw64(
  batch: Batch,
  P: Float64Array,
  gamma: number,
  scratch: SoftDtwScratch,
  grad: Float64Array | null,
  captureSegment: number,
  onAlignment: (E: Float64Array) => void,
): number {
  const { size: B, frames: M, targetRows: N, targetIndex } = batch;
  const { cost, alignment, workspace } = scratch;
  let total = 0;
  for (let b = 0; b < B; b++) {
    const segment = {
      P,
      offset: b * M * 24,
      frames: M,
      targets: targetIndex,
      targetOffset: b * N,
      cols: N,
    };
    oneHotCost(segment, cost);
    const value = softDtwKernel({
      cost,
      costOffset: 0,
      costStride: N,
      rows: M,
      cols: N,
      gamma,
      grad: grad === null ? null : alignment,
      gradOffset: 0,
      gradStride: N,
      workspace,
    });
    total += value;
    if (grad === null) continue;
    if (b === captureSegment) onAlignment(alignment);
    oneHotCostGrad(segment, alignment, 2 / B, grad);
  }
  return total / B;
}

function toMatrix(E: Float64Array, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let m = 0; m < rows; m++) out.push(Array.from(E.subarray(m * cols, (m + 1) * cols)));
  return out;
}

/** The float64 engine (see the module doc). */
function trainFloat64(
  options: TrainOptions,
  config: ResolvedConfig,
  wanted: Set<number>,
): TrainResult {
  const capture = options.alignment;
  const train = makeBatch(options.train, buildTargets(options.train, config));
  const validation = makeBatch(options.validation, buildTargets(options.validation, config));
  const params = toParameterVector(config.init);
  const adam = new Adam64(25, config);
  const gradP = new Float64Array(train.size * train.frames * 24);
  const gradVec = new Float64Array(25);
  const scratch = config.loss === "soft-dtw"
    ? softDtwScratch(train.frames, train.targetRows)
    : null;
  const scratchVal = config.loss === "soft-dtw"
    ? softDtwScratch(validation.frames, validation.targetRows)
    : null;
  const lossOf = (
    batch: Batch,
    weights: DChordWeights,
    grad: Float64Array | null,
    sc: SoftDtwScratch | null,
    epoch: number,
    alignments: CapturedAlignment[],
  ): { loss: number; forward: Forward64 } => {
    batch.forward = forward64(weights, batch.chroma, batch.forward);
    const P = batch.forward.probabilities;
    const loss = config.loss === "bce" ? bce64(P, batch.targets, grad) : softDtw64(
      batch,
      P,
      config.gamma as number,
      sc!,
      grad,
      grad !== null && wanted.has(epoch) ? capture!.segment : -1,
      (E) =>
        alignments.push({
          epoch,
          segment: capture!.segment,
          matrix: toMatrix(E, batch.frames, batch.targetRows),
        }),
    );
    return { loss, forward: batch.forward };
  };

  const log = new EpochLog(config.epochs, options.onEpoch);
  const alignments: CapturedAlignment[] = [];
  let best = params.slice();
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const { loss: t, forward } = lossOf(
      train,
      weightsOf(params),
      gradP,
      scratch,
      epoch,
      alignments,
    );
    const g = backward64(forward, gradP);
    toParameterVector(g, gradVec);
    if (!Number.isFinite(t) || !gradVec.every(Number.isFinite)) {
      throw new RangeError(`training diverged at epoch ${epoch}: train loss ${t}`);
    }
    adam.step(params, gradVec);
    const { loss: vl } = lossOf(validation, weightsOf(params), null, scratchVal, epoch, []);
    if (!Number.isFinite(vl)) {
      throw new RangeError(`training diverged at epoch ${epoch}: validation loss ${vl}`);
    }
    if (log.add(epoch, t, vl)) best = params.slice();
  }
  return {
    config,
    ...log.summary(),
    weights: weightsOf(best),
    finalWeights: weightsOf(params),
    alignments,
  };
}
