/**
 * The training losses of the tfjs engine (train_model_tf.ts), as loss objects: the same losses
 * as the float64 ones of losses.ts, computed with tfjs's own model outputs (float32) and the
 * tfjs losses of the alignment family (`SoftDtwLoss` with step weights and prior,
 * `SoftDtwDivergenceLoss`, `CtcLoss`, from `lib/tf.ts`); BCE is tfjs arithmetic with the same
 * clip. Each object holds its target tensors; {@linkcode LossTf.dispose} frees them.
 *
 * @example
 * ```ts
 * import { createLossTf } from "./losses_tf.ts";
 * import { resolveConfig } from "./config.ts";
 * import { DChord } from "../model/dchord_tf.ts";
 * const config = resolveConfig({ loss: "bce" });
 * const loss = createLossTf(config, [[0]], new DChord(config.init));
 * loss.dispose();
 * ```
 *
 * @module
 */
import * as tf from "../../deps/tfjs.ts";
import { CtcLoss, SoftDtwDivergenceLoss, SoftDtwLoss } from "../../align/tf.ts";
import type { DChord } from "../model/dchord_tf.ts";
import { BLANK, BLANK_CLASSES } from "../model/dchord_blank.ts";
import type { DChordBlank } from "../model/dchord_blank_tf.ts";
import type { ResolvedConfig } from "./config.ts";

/** A loss bound to one split's targets and to a tfjs model. */
export interface LossTf {
  /** The loss (mean over the segments) of chroma `x` (B × M × 12) at γ and prior weight. */
  value(x: tf.Tensor3D, gamma: number, priorWeight: number): tf.Scalar;
  /**
   * The alignments of the latest call (segments × frames × target elements; soft-DTW losses
   * only: tfjs's CTC records no state posterior), or null.
   */
  lastAlignments(): number[][][] | null;
  /** Frees the target tensors. */
  dispose(): void;
}

/** One-hot targets B × N × 24 from label lists (all-zero rows for N, and padding). */
function oneHot(targets: number[][]): tf.Tensor3D {
  const N = Math.max(...targets.map((t) => t.length));
  const data = new Float32Array(targets.length * N * 24);
  targets.forEach((t, b) => t.forEach((y, n) => y >= 0 && (data[(b * N + n) * 24 + y] = 1)));
  return tf.tensor3d(data, [targets.length, N, 24]);
}

/**
 * The tfjs loss object of a configuration for targets given as label lists (`trainingTargets`
 * of losses.ts) and the model that produces the outputs (`DChord`, or `DChordBlank` for CTC).
 *
 * @example
 * ```ts
 * import { createLossTf } from "./losses_tf.ts";
 * import { resolveConfig } from "./config.ts";
 * import { DChord } from "../model/dchord_tf.ts";
 * import * as tf from "../../deps/tfjs.ts";
 * const config = resolveConfig({ loss: "soft-dtw", softLength: 1 });
 * const model = new DChord(config.init);
 * const loss = createLossTf(config, [[0]], model);
 * const x = tf.tensor3d([[[1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]]]);
 * loss.value(x, 0.3, 0).dataSync()[0]; // soft-DTW of one frame against C major
 * loss.dispose();
 * model.dispose();
 * x.dispose();
 * ```
 */
export function createLossTf(
  config: ResolvedConfig,
  targets: number[][],
  model: DChord | DChordBlank,
): LossTf {
  if (config.loss === "ctc") {
    const ctc = new CtcLoss({ blank: BLANK });
    const penalty = config.blankPenalty! > 0
      ? tf.tensor1d(
        Array.from({ length: BLANK_CLASSES }, (_, k) => k === BLANK ? config.blankPenalty! : 0),
      )
      : null;
    return {
      value: (x) =>
        tf.tidy(() => {
          let lp = (model as DChordBlank).logProbabilities(x) as tf.Tensor3D;
          if (penalty) lp = tf.sub(lp, penalty) as tf.Tensor3D;
          return ctc.call(lp, targets);
        }),
      lastAlignments: () => null,
      dispose: () => penalty?.dispose(),
    };
  }
  if (config.loss === "bce") {
    const y = oneHot(targets);
    return {
      value: (x) =>
        tf.tidy(() => {
          const p = tf.clipByValue((model as DChord).predict(x), 1e-7, 1 - 1e-7);
          const ll = tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))));
          return tf.neg(tf.mean(ll)) as tf.Scalar;
        }),
      lastAlignments: () => null,
      dispose: () => y.dispose(),
    };
  }
  const y = oneHot(targets);
  const lengths = targets.map((t) => t.length);
  let last: SoftDtwLoss | SoftDtwDivergenceLoss | null = null;
  return {
    value: (x, gamma, priorWeight) =>
      tf.tidy(() => {
        const p = (model as DChord).predict(x) as tf.Tensor3D;
        last = config.loss === "soft-dtw-divergence"
          ? new SoftDtwDivergenceLoss({ gamma, targetLengths: lengths })
          : new SoftDtwLoss({
            gamma,
            stepWeights: config.stepWeights,
            prior: priorWeight > 0 ? { weight: priorWeight, sigma: config.prior!.nu } : undefined,
            targetLengths: lengths,
          });
        return last.call(p, y);
      }),
    lastAlignments: () =>
      last instanceof SoftDtwLoss ? last.lastOccupancies : last?.lastAlignments ?? null,
    dispose: () => y.dispose(),
  };
}
