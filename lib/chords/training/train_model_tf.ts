/**
 * The tfjs engine of the training procedure of train_model.ts: the {@linkcode DChord} tfjs model of
 * dchord_tf.ts, `SoftDtwLoss` of lib/align/soft_dtw_tf.ts and `tf.train.adam` (float32). The same
 * procedure, options, epoch convention and result as `trainModel` (float64), about ten times
 * slower (lib/chords/training/train_bench.ts); kept as the independent cross-check: train_model_test.ts checks
 * that both engines give the same loss curves. Exported by `lib/tf.ts`.
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
import { SoftDtwLoss } from "../../align/soft_dtw_tf.ts";
import { DChord } from "../model/dchord_tf.ts";
import { extendedOptions, extendedResult } from "./train_model.ts";
import { trainExtendedTf } from "./tfjs_engine.ts";
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

/**
 * Trains a fresh dChord tfjs model with the procedure of `trainModel` (see train_model.ts) and returns
 * the same result; disposes every tensor it creates.
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
  if (isExtendedConfig(config)) {
    return extendedResult(trainExtendedTf(extendedOptions(options, wanted)));
  }
  return trainTfjs(options, config, wanted);
}

type LossFn = (x: tf.Tensor3D, y: tf.Tensor3D) => tf.Scalar;

/** Binary cross-entropy, mean over frames and chords, probabilities clipped to [1e-7, 1-1e-7]. */
function bce(model: DChord): LossFn {
  return (x, y) =>
    tf.tidy(() => {
      const p = tf.clipByValue(model.predict(x), 1e-7, 1 - 1e-7);
      const ll = tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))));
      return tf.neg(tf.mean(ll)) as tf.Scalar;
    });
}

function softDtw(model: DChord, loss: SoftDtwLoss): LossFn {
  return (x, y) => tf.tidy(() => loss.call(model.predict(x) as tf.Tensor3D, y));
}

/** The tfjs engine (see the module doc). */
function trainTfjs(
  options: TrainOptions,
  config: ResolvedConfig,
  wanted: Set<number>,
): TrainResult {
  const capture = options.alignment;
  const trainTargets = buildTargets(options.train, config);
  const validationTargets = buildTargets(options.validation, config);
  const model = new DChord(config.init);
  const optimizer = tf.train.adam(config.learningRate, config.beta1, config.beta2, config.epsilon);
  const tensors = tf.tidy(() => ({
    trainX: tf.tensor3d(options.train.map((s) => s.chroma)),
    trainY: tf.tensor3d(trainTargets),
    validationX: tf.tensor3d(options.validation.map((s) => s.chroma)),
    validationY: tf.tensor3d(validationTargets),
  }));
  tf.keep(tensors.trainX);
  tf.keep(tensors.trainY);
  tf.keep(tensors.validationX);
  tf.keep(tensors.validationY);
  const trainLossObject = config.loss === "soft-dtw"
    ? new SoftDtwLoss({ gamma: config.gamma as number })
    : null;
  const trainLossFn = trainLossObject ? softDtw(model, trainLossObject) : bce(model);
  const validationLossFn = config.loss === "soft-dtw"
    ? softDtw(model, new SoftDtwLoss({ gamma: config.gamma as number }))
    : bce(model);
  const variables = model.trainableVariables;

  const log = new EpochLog(config.epochs, options.onEpoch);
  const alignments: CapturedAlignment[] = [];
  let weights = model.getWeights();
  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const cost = optimizer.minimize(
        () => trainLossFn(tensors.trainX, tensors.trainY),
        true,
        variables,
      );
      const t = cost!.dataSync()[0];
      cost!.dispose();
      if (wanted.has(epoch)) {
        const matrix = trainLossObject!.lastAlignments![capture!.segment];
        alignments.push({ epoch, segment: capture!.segment, matrix });
      }
      const v = tf.tidy(() => validationLossFn(tensors.validationX, tensors.validationY));
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
      alignments,
    };
  } finally {
    optimizer.dispose();
    model.dispose();
    for (const t of Object.values(tensors)) t.dispose();
  }
}
