/**
 * The tfjs engine of the dChord training: the same procedure, configuration, epoch convention
 * and result as `trainModel` (train_model.ts, float64), computed with the tfjs models (float32;
 * {@linkcode DChord} of dchord_tf.ts, `DChordBlank` of dchord_blank_tf.ts for CTC), the tfjs loss
 * objects of losses_tf.ts and `tf.train.adam`. One epoch loop for every loss. It is the
 * independent cross-check of the float64 engine: the model's forward and backward pass, the cost,
 * the log-softmax and Adam are tfjs's own, only the dynamic programs are shared. About ten times
 * slower (lib/chords/training/train_bench.ts). Exported by `lib/tf.ts`.
 *
 * Runs on the active tfjs backend; `useBackend` of backend_tf.ts selects WebAssembly (about ten
 * times faster than `cpu` here) with the `cpu` backend as fallback.
 *
 * Captured alignments: the soft-DTW losses record the occupancy `E` of the followed segment; the
 * CTC loss records no state posterior in tfjs (its class posterior is not the same matrix), so
 * CTC captures come from the float64 engine only.
 *
 * @example
 * ```ts
 * import { trainModelTf } from "./train_model_tf.ts";
 * const seg = { song: "x", index: 0, start: 0, chroma: [new Array(12).fill(1)], labels: [0] };
 * const r = trainModelTf({ train: [seg], validation: [seg], config: { loss: "bce", epochs: 2 } });
 * r.trainLoss.length; // 2
 * ```
 *
 * @module
 */
import * as tf from "../../deps/tfjs.ts";
import type { DChordWeights } from "../model/dchord.ts";
import { DChord } from "../model/dchord_tf.ts";
import type { BlankWeights } from "../model/dchord_blank.ts";
import { DChordBlank } from "../model/dchord_blank_tf.ts";
import { epochSchedule } from "./config.ts";
import { trainingTargets } from "./losses.ts";
import { createLossTf } from "./losses_tf.ts";
import {
  type CapturedAlignment,
  EpochLog,
  prepareTraining,
  type TrainOptions,
  type TrainResult,
} from "./options.ts";

/**
 * Trains a fresh dChord tfjs model (dChord with a blank for CTC) with the procedure of
 * `trainModel` (see train_model.ts) and returns the same result; disposes every tensor it
 * creates.
 *
 * @example
 * ```ts
 * import { trainModelTf } from "./train_model_tf.ts";
 * const seg = { song: "x", index: 0, start: 0, chroma: [new Array(12).fill(1)], labels: [0] };
 * trainModelTf({ train: [seg], validation: [seg], config: { loss: "bce", epochs: 1 } }).bestEpoch; // 1
 * ```
 */
export function trainModelTf(options: TrainOptions): TrainResult {
  const { config, wanted } = prepareTraining(options);
  const schedule = epochSchedule(config);
  const segment = options.alignment?.segment ?? -1;
  const model = config.loss === "ctc"
    ? new DChordBlank(config.init as BlankWeights)
    : new DChord(config.init as DChordWeights);
  const trainLoss = createLossTf(config, trainingTargets(options.train, config), model);
  const validationLoss = createLossTf(config, trainingTargets(options.validation, config), model);
  const optimizer = tf.train.adam(config.learningRate, config.beta1, config.beta2, config.epsilon);
  const trainX = tf.tensor3d(options.train.map((s) => s.chroma));
  const validationX = tf.tensor3d(options.validation.map((s) => s.chroma));
  const variables = model.trainableVariables;
  const log = new EpochLog(config.epochs, options.onEpoch);
  const alignments: CapturedAlignment[] = [];
  let weights: DChordWeights | BlankWeights = model.getWeights();
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const gamma = schedule.gamma(epoch), priorWeight = schedule.priorWeight(epoch);
      const cost = optimizer.minimize(
        () => trainLoss.value(trainX, gamma, priorWeight),
        true,
        variables,
      )!;
      const t = cost.dataSync()[0];
      cost.dispose();
      const captured = wanted.has(epoch) ? trainLoss.lastAlignments() : null;
      if (captured) alignments.push({ epoch, segment, matrix: captured[segment] });
      const v = tf.tidy(() =>
        validationLoss.value(validationX, schedule.finalGamma, schedule.finalPriorWeight)
      );
      const vl = v.dataSync()[0];
      v.dispose();
      if (log.add(epoch, t, vl, gamma, priorWeight)) weights = model.getWeights();
    }
    return {
      config,
      ...log.summary(),
      weights,
      finalWeights: model.getWeights(),
      alignments,
    };
  } finally {
    optimizer.dispose();
    model.dispose();
    trainLoss.dispose();
    validationLoss.dispose();
    trainX.dispose();
    validationX.dispose();
  }
}
