/**
 * The two training engines compared on one configuration (the tfjs cross-check of
 * notebooks/07_stabilizing_and_ctc.ipynb): `trainModel` (float64, train_model.ts) against
 * `trainModelTf` (tfjs, train_model_tf.ts) from the same start. Exported by `lib/tf.ts`.
 *
 * @example
 * ```ts
 * import { compareEngines } from "./engine_comparison.ts";
 * ```
 *
 * @module
 */
import type { Segment } from "../data/dataset.ts";
import { predictChords } from "../model/dchord.ts";
import type { TrainConfig } from "./config.ts";
import { trainModel } from "./train_model.ts";
import { trainModelTf } from "./train_model_tf.ts";

/** What {@linkcode compareEngines} returns. */
export interface EngineComparison {
  /** Largest relative difference of the training losses (relative to max(1, |float64|)). */
  trainLossDiff: number;
  /** Largest relative difference of the validation losses. */
  validationLossDiff: number;
  /** Best epoch of each engine. */
  bestEpoch: { float64: number; tfjs: number };
  /** Test labels of each engine's best weights. */
  predictions: { float64: number[]; tfjs: number[] };
  /** Test frames whose label differs between the engines. */
  framesDiffering: number;
}

/**
 * Trains one configuration with both engines (float64: `trainModel` of train_model.ts; tfjs: the
 * active backend) from the same start and compares their loss curves and their test
 * predictions (`predictChords` of each engine's best weights).
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb (the tfjs cross-check of the new losses).
 *
 * @example
 * ```ts
 * import { compareEngines } from "./engine_comparison.ts";
 * import { loadSplits } from "../../study/data.ts";
 * const data = await loadSplits();
 * const c = compareEngines({ ...data, config: { loss: "ctc", epochs: 3 } });
 * c.trainLossDiff; // ~1e-6 (float32)
 * ```
 */
export function compareEngines(options: {
  train: Segment[];
  validation: Segment[];
  test: Segment;
  config: TrainConfig;
}): EngineComparison {
  const { train, validation, test, config } = options;
  const a = trainModel({ train, validation, config });
  const b = trainModelTf({ train, validation, config });
  const rel = (x: number[], y: number[]) =>
    Math.max(...x.map((v, i) => Math.abs(v - y[i]) / Math.max(1, Math.abs(v))));
  const pa = predictChords(a.weights, test.chroma).labels;
  const pb = predictChords(b.weights, test.chroma).labels;
  return {
    trainLossDiff: rel(a.trainLoss, b.trainLoss),
    validationLossDiff: rel(a.validationLoss, b.validationLoss),
    bestEpoch: { float64: a.bestEpoch, tfjs: b.bestEpoch },
    predictions: { float64: pa, tfjs: pb },
    framesDiffering: pa.filter((l, i) => l !== pb[i]).length,
  };
}
