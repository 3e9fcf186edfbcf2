/**
 * Training of dChord, the float64 engine: one epoch loop for every loss of a configuration
 * (config.ts). The loop takes a loss object (losses.ts: BCE on strong targets, soft-DTW on weak
 * targets with their options, the soft-DTW divergence, CTC) and a model object (trainable.ts:
 * dChord, or dChord with a blank for CTC) and runs the report's procedure (Chapter 4).
 *
 * Procedure (the report's setup): Adam (learning rate 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-8),
 * one full batch holding all training segments, 300 epochs, starting from the binary triad
 * templates and θ = 0 (`initialWeights`). After every epoch the validation loss is computed
 * with the same loss and targets of the same kind; the weights with the lowest validation loss
 * are kept and returned for testing.
 *
 * Epoch numbering (counting from 1): the training loss of epoch `e` is the loss of the e-th
 * forward pass, computed with the weights before the e-th update (as Keras reports it) and
 * with the γ and prior weight of epoch `e` (`epochSchedule` of config.ts); the alignment
 * captured for epoch `e` is that of the same forward/backward pass (the soft-DTW gradient
 * `E^γ = ∂SDTW/∂C`, the occupancy with step weights, the CTC state posterior); the validation
 * loss of epoch `e` is computed with the weights after the e-th update (as Keras's end-of-epoch
 * validation) and at the end values of the schedules, so that the validation losses of all
 * epochs are comparable (a larger γ lowers soft-DTW). The best epoch is the epoch with the
 * lowest validation loss (the first one on ties), and the returned weights are those after its
 * update. A loss or gradient that is not finite stops the training with an error naming the
 * epoch (`EpochLog` of options.ts, the one divergence check).
 *
 * Everything is float64 JavaScript with buffers allocated once per run (the dynamic programs
 * through lib/align's `softDtwInto`/`ctcInto` in a reusable workspace). About ten times faster
 * than the tfjs engine (`trainModelTf` of train_model_tf.ts, exported by `lib/tf.ts`;
 * lib/chords/training/train_bench.ts), which is kept as the independent cross-check.
 *
 * Adam follows Keras (the report's framework; adam.ts). The procedure is deterministic: full
 * batch, fixed initialization, no shuffling, no random numbers; the same configuration gives
 * bit-identical results.
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
import { Adam64 } from "./adam.ts";
import { epochSchedule } from "./config.ts";
import { createLoss64, makeSplit } from "./losses.ts";
import {
  type CapturedAlignment,
  EpochLog,
  prepareTraining,
  type TrainOptions,
  type TrainResult,
} from "./options.ts";
import { createModel64 } from "./trainable.ts";

// song_trainer.ts (the Billboard study's, not changed here) imports the BCE clip from this module

function toMatrix(E: Float64Array, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let m = 0; m < rows; m++) out.push(Array.from(E.subarray(m * cols, (m + 1) * cols)));
  return out;
}

/**
 * Trains a fresh dChord model (dChord with a blank for CTC; see the module doc for the
 * procedure and the epoch convention) and returns the loss curves, the best epoch and its
 * weights, the schedule and the captured alignments. Deterministic.
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
  const train = makeSplit(options.train, "train", config);
  const validation = makeSplit(options.validation, "validation", config);
  const trainLoss = createLoss64(config, train);
  const validationLoss = createLoss64(config, validation);
  const modelTrain = createModel64(config.init, trainLoss.outputs, train.chroma);
  const modelValidation = createModel64(config.init, trainLoss.outputs, validation.chroma);
  const schedule = epochSchedule(config);
  const segment = options.alignment?.segment ?? -1;

  const params = modelTrain.initial();
  const adam = new Adam64(params.length, config);
  const outputs = trainLoss.outputs === "probabilities" ? 24 : 25;
  const gradOutputs = new Float64Array(train.size * train.frames * outputs);
  const gradParams = new Float64Array(params.length);
  const log = new EpochLog(config.epochs, options.onEpoch);
  const alignments: CapturedAlignment[] = [];
  let best = params.slice();
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const gamma = schedule.gamma(epoch), priorWeight = schedule.priorWeight(epoch);
    const t = trainLoss.evaluate({
      outputs: modelTrain.forward(params),
      grad: gradOutputs,
      gamma,
      priorWeight,
      capture: wanted.has(epoch) ? segment : -1,
      onAlignment: (matrix, rows, cols) =>
        alignments.push({ epoch, segment, matrix: toMatrix(matrix, rows, cols) }),
    });
    modelTrain.backward(gradOutputs, gradParams);
    log.check(epoch, { trainLoss: t, gradient: gradParams });
    adam.step(params, gradParams);
    const v = validationLoss.evaluate({
      outputs: modelValidation.forward(params),
      grad: null,
      gamma: schedule.finalGamma,
      priorWeight: schedule.finalPriorWeight,
    });
    if (log.add(epoch, t, v, gamma, priorWeight)) best = params.slice();
  }
  return {
    config,
    ...log.summary(),
    weights: modelTrain.weights(best),
    finalWeights: modelTrain.weights(params),
    alignments,
  };
}
