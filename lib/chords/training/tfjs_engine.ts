/**
 * The tfjs engine of the extended training (issue 12): the same procedure, configuration and
 * result as the float64 engine `float64_engine.ts`, computed with the tfjs dChord model (float32;
 * `dchord_blank_tf.ts` for CTC), `tf.train.adam` and the tfjs losses of the alignment family
 * (`SoftDtwLoss` with step weights and prior, `SoftDtwDivergenceLoss`, `CtcLoss`). It
 * is the independent cross-check of the float64 engine: the model's forward and backward pass,
 * the cost, the log-softmax and Adam are tfjs's own, only the dynamic programs are shared.
 *
 * Runs on the active tfjs backend; {@linkcode useBackend} of backend_tf.ts selects WebAssembly
 * (about ten times faster than `cpu` here) with the `cpu` backend as fallback.
 *
 * Captured alignments: the soft-DTW losses record the occupancy `E` of the followed segment; the
 * CTC loss records no state posterior in tfjs (its class posterior is not the same matrix), so
 * CTC captures come from the float64 engine only.
 *
 * @example
 * ```ts
 * import { trainExtendedTf } from "./tfjs_engine.ts";
 * import { loadSplits } from "../../study/data.ts";
 * const { train, validation } = await loadSplits();
 * const r = trainExtendedTf({ train, validation, config: { loss: "ctc", epochs: 3 } });
 * r.trainLoss.length; // 3
 * ```
 *
 * @module
 */
import * as tf from "../../deps/tfjs.ts";
import type { DChordWeights } from "../model/dchord.ts";
import { DChord } from "../model/dchord_tf.ts";
import { BLANK, type BlankWeights } from "../model/dchord_blank.ts";
import { DChordBlank } from "../model/dchord_blank_tf.ts";
import type { ExtendedCapture, ExtendedOptions, ExtendedResult } from "./float64_engine.ts";
import { extendedSchedule, resolveExtendedConfig } from "./loss_config.ts";
import { extendedTargets } from "./losses.ts";
import { CtcLoss, SoftDtwDivergenceLoss } from "../../align/losses_tf.ts";
import { SoftDtwLoss } from "../../align/soft_dtw_tf.ts";
import { EpochLog } from "./config.ts";

type LossOf = (x: tf.Tensor3D, gamma: number, priorWeight: number) => tf.Scalar;

/**
 * Trains with the tfjs engine; see {@linkcode trainExtendedTf}'s module doc. Disposes every
 * tensor it creates.
 *
 * @example
 * ```ts
 * import { trainExtendedTf } from "./tfjs_engine.ts";
 * import { loadSplits } from "../../study/data.ts";
 * const { train, validation } = await loadSplits();
 * trainExtendedTf({ train, validation, config: { loss: "soft-dtw", targets: "sequence", epochs: 2 } });
 * ```
 */
export function trainExtendedTf(options: ExtendedOptions): ExtendedResult {
  if (!options || typeof options !== "object") {
    throw new TypeError("trainExtendedTf: options { train, validation, config } required");
  }
  const config = resolveExtendedConfig(options.config);
  const sched = extendedSchedule(config);
  const ctc = config.loss === "ctc";
  const cap = options.capture;
  const wanted = new Set(cap?.epochs ?? []);
  const trainTargets = extendedTargets(options.train, config);
  const validationTargets = extendedTargets(options.validation, config);
  const model = ctc ? new DChordBlank(config.init as BlankWeights) : new DChord(config.init);
  const optimizer = tf.train.adam(config.learningRate, config.beta1, config.beta2, config.epsilon);
  const owned: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  const oneHot = (targets: number[][]) => {
    const N = Math.max(...targets.map((t) => t.length));
    const data = new Float32Array(targets.length * N * 24);
    targets.forEach((t, b) => t.forEach((y, n) => y >= 0 && (data[(b * N + n) * 24 + y] = 1)));
    return keep(tf.tensor3d(data, [targets.length, N, 24]));
  };
  const trainX = keep(tf.tensor3d(options.train.map((s) => s.chroma)));
  const validationX = keep(tf.tensor3d(options.validation.map((s) => s.chroma)));
  const penalty = ctc && config.blankPenalty! > 0
    ? keep(
      tf.tensor1d(Array.from({ length: 25 }, (_, k) => k === BLANK ? config.blankPenalty! : 0)),
    )
    : null;

  let lastAlignments: number[][][] | null = null;
  const lossFor = (targets: number[][], capture: boolean): LossOf => {
    if (ctc) {
      const loss = new CtcLoss({ blank: BLANK });
      return (x) =>
        tf.tidy(() => {
          let lp = (model as DChordBlank).logProbabilities(x) as tf.Tensor3D;
          if (penalty) lp = tf.sub(lp, penalty) as tf.Tensor3D;
          return loss.call(lp, targets);
        });
    }
    const y = oneHot(targets);
    const lengths = targets.map((t) => t.length);
    return (x, gamma, priorWeight) =>
      tf.tidy(() => {
        const p = (model as DChord).predict(x) as tf.Tensor3D;
        const loss = config.loss === "soft-dtw-divergence"
          ? new SoftDtwDivergenceLoss({ gamma, targetLengths: lengths })
          : new SoftDtwLoss({
            gamma,
            stepWeights: config.stepWeights,
            prior: priorWeight > 0 ? { weight: priorWeight, sigma: config.prior!.nu } : undefined,
            targetLengths: lengths,
          });
        const value = loss.call(p, y);
        if (capture) {
          lastAlignments = loss instanceof SoftDtwLoss ? loss.lastOccupancies : loss.lastAlignments;
        }
        return value;
      });
  };
  const trainLossFn = lossFor(trainTargets, true);
  const validationLossFn = lossFor(validationTargets, false);
  const variables = model.trainableVariables;
  const log = new EpochLog(config.epochs, options.onEpoch);
  const captures: ExtendedCapture[] = [];
  const schedule = { gamma: [] as number[], priorWeight: [] as number[] };
  let weights: DChordWeights | BlankWeights = model.getWeights();
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const gamma = sched.gamma(epoch), priorWeight = sched.priorWeight(epoch);
      schedule.gamma.push(gamma);
      schedule.priorWeight.push(priorWeight);
      const cost = optimizer.minimize(
        () => trainLossFn(trainX, gamma, priorWeight),
        true,
        variables,
      )!;
      const t = cost.dataSync()[0];
      cost.dispose();
      if (!ctc && wanted.has(epoch) && lastAlignments) {
        captures.push({
          epoch,
          segment: cap!.segment,
          matrix: lastAlignments[cap!.segment],
          target: trainTargets[cap!.segment],
        });
      }
      const v = tf.tidy(() =>
        validationLossFn(validationX, sched.finalGamma, sched.finalPriorWeight)
      );
      const vl = v.dataSync()[0];
      v.dispose();
      if (!Number.isFinite(t) || !Number.isFinite(vl)) {
        throw new RangeError(
          `training diverged at epoch ${epoch}: train loss ${t}, validation loss ${vl}`,
        );
      }
      if (log.add(epoch, t, vl)) weights = model.getWeights();
    }
    return {
      config,
      ...log.summary(),
      weights,
      finalWeights: model.getWeights(),
      captures,
      schedule,
    };
  } finally {
    optimizer.dispose();
    model.dispose();
    for (const t of owned) t.dispose();
  }
}
