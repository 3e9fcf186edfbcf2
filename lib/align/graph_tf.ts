/**
 * TensorFlow.js losses for the alignment-graph presets of `presets.ts` (exported by `lib/tf.ts`):
 * {@linkcode alignGraphTf} on a cost tensor (B × M × N) and {@linkcode AlignGraphLoss} on
 * predictions and targets (squared Euclidean cost), each a `tf.customGrad` op whose gradient
 * is the float64 ∂value/∂C of the alignment graph of each pair, averaged over the batch.
 * Values and gradients outside float32's range are named errors, not ±Infinity.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import * as tf from "../deps/tfjs.ts";
 * import { AlignGraphLoss } from "./graph_tf.ts";
 * import { subsequenceGraph } from "./presets.ts";
 * const loss = new AlignGraphLoss({ graph: (r, c) => subsequenceGraph(r, c, { gamma: 0.3 }) });
 * const pred = tf.variable(tf.tensor3d([[[1, 0], [0.5, 0.5], [0, 1]]]));
 * const target = tf.tensor3d([[[0, 1]]]);
 * const { value, grads } = tf.variableGrads(() => loss.call(pred, target));
 * ```
 *
 * @module
 */
import * as tf from "../deps/tfjs.ts";
import { checkLengths } from "./_checks.ts";
import { alignGraphBatch64, type AlignGraphBatchArgs, type NormalizeOption } from "./presets.ts";
import { squaredEuclideanCostTf } from "./soft_dtw_tf.ts";
import { checkFloatTensor, float32Checked, float32Scaled } from "./_tf_checks.ts";

/** Options of {@linkcode alignGraphTf}. */
export interface AlignGraphTfOptions extends NormalizeOption {
  /** The graph of pair b for its `rows × cols` (a preset, e.g. `subsequenceGraph`). */
  graph: AlignGraphBatchArgs["graph"];
  /** Used rows of each pair (default all). */
  rowLengths?: number[];
  /** Used columns of each pair (default all). */
  colLengths?: number[];
  /** Called with the per-pair values and gradients of each evaluation. */
  record?: (r: { values: Float64Array; grads: Float64Array }) => void;
}

/**
 * The batch mean of the alignment-graph values of a float32 cost tensor `B × M × N`, with the
 * gradient of each pair's graph. Throws a `TypeError` for a tensor that is not a float32 rank-3
 * tensor and the errors of `alignGraphBatch64`.
 *
 * @example
 * ```ts
 * import * as tf from "../deps/tfjs.ts";
 * import { alignGraphTf } from "./graph_tf.ts";
 * import { partialMatchingGraph } from "./presets.ts";
 * const v = alignGraphTf(tf.tensor3d([[[-1, 2], [2, -1]]]), { graph: (r, c) => partialMatchingGraph(r, c) });
 * ```
 */
export function alignGraphTf(cost: tf.Tensor3D, options: AlignGraphTfOptions): tf.Scalar {
  if (!(cost instanceof tf.Tensor) || cost.rank !== 3) {
    throw new TypeError(`cost must be a rank-3 tensor (B x M x N)`);
  }
  checkFloatTensor(cost, "cost");
  if (options === null || typeof options !== "object" || typeof options.graph !== "function") {
    throw new TypeError("alignGraphTf: options { graph: (rows, cols, b) => AlignGraph } required");
  }
  const [B, M, N] = cost.shape;
  if (B < 1 || M < 1 || N < 1) throw new RangeError(`empty cost tensor, shape [${cost.shape}]`);
  const rowLengths = checkLengths(options.rowLengths, {
    count: B,
    max: M,
    name: "rowLengths",
    unit: "batch item",
  });
  const colLengths = checkLengths(options.colLengths, {
    count: B,
    max: N,
    name: "colLengths",
    unit: "batch item",
  });
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const c = args[0] as tf.Tensor3D;
    const r = alignGraphBatch64({
      cost: Float64Array.from(c.dataSync()),
      batch: B,
      maxRows: M,
      maxCols: N,
      rowLengths,
      colLengths,
      graph: options.graph,
      normalize: options.normalize,
    });
    options.record?.(r);
    let mean = 0;
    for (let b = 0; b < B; b++) mean += r.values[b];
    mean /= B;
    const scaled = float32Scaled(r.grads, 1 / B, "alignment graph loss gradient");
    return {
      value: tf.scalar(float32Checked(mean, "alignment graph loss value")),
      gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.tensor3d(scaled, [B, M, N])),
    };
  });
  return op(cost) as tf.Scalar;
}

/** Options of {@linkcode AlignGraphLoss}. */
export interface AlignGraphLossOptions extends NormalizeOption {
  /** The graph of pair b for its `rows × cols` (a preset, e.g. `subsequenceGraph`). */
  graph: AlignGraphBatchArgs["graph"];
  /** Used prediction frames of each pair (default all). */
  predLengths?: number[];
  /** Used target frames of each pair (default all). */
  targetLengths?: number[];
}

/**
 * An alignment-graph loss between predictions (B × M × K) and targets (B × N × K) with the
 * squared Euclidean cost, for any preset (subsequence soft-DTW, partial matching, smooth or
 * sparse DTW, …). Keeps the per-pair values of the latest call.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import * as tf from "../deps/tfjs.ts";
 * import { AlignGraphLoss } from "./graph_tf.ts";
 * import { softDtwGraph } from "./presets.ts";
 * const sparse = new AlignGraphLoss({
 *   graph: (r, c) => softDtwGraph(r, c, { gamma: 1, aggregation: "sparse" }),
 * });
 * sparse.call(tf.zeros([1, 3, 2]), tf.ones([1, 2, 2])).dataSync(); // [6]
 * ```
 */
export class AlignGraphLoss {
  /** Per-pair values of the latest call, or null. */
  lastValues: number[] | null = null;
  readonly #options: AlignGraphLossOptions;

  /** @param options the graph of each pair, normalization and lengths */
  constructor(options: AlignGraphLossOptions) {
    if (options === null || typeof options !== "object" || typeof options.graph !== "function") {
      throw new TypeError("AlignGraphLoss: options { graph: (rows, cols, b) => AlignGraph }");
    }
    this.#options = options;
  }

  /** Batch mean of the graph values of `pred` against `target`. */
  call(pred: tf.Tensor3D, target: tf.Tensor3D): tf.Scalar {
    const { graph, normalize, predLengths, targetLengths } = this.#options;
    return tf.tidy(() =>
      alignGraphTf(squaredEuclideanCostTf(pred, target), {
        graph,
        normalize,
        rowLengths: predLengths,
        colLengths: targetLengths,
        record: (r) => this.lastValues = Array.from(r.values),
      })
    );
  }
}
