/**
 * The align items of issue 17, each reproduced as reported and checked to give a named error
 * (or the honoured option): items 6 (options dropped by the plain batch functions), 8 (tfjs
 * losses beyond float32, non-float tensors) and 10 (CTC overflow, string step weights, plain
 * probabilities given to CTC).
 */
import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertThrows } from "@std/assert";
import { softDtwAccumulated, softDtwValueAndGrad } from "./soft_dtw.ts";
import { softDtwBatch } from "./soft_dtw_batch.ts";
import { softDtwBatch64 } from "./soft_dtw_batch.ts";
import type { PlainSoftDtwOptions } from "./options.ts";
import type { WeightedSoftDtwOptions } from "./weighted.ts";
import type { StepWeights } from "./options.ts";
import { ctcLoss } from "./ctc.ts";
import { CtcLoss, weightedSoftDtwTf } from "./losses_tf.ts";
import { SoftDtwLoss } from "./soft_dtw_tf.ts";

const C = [[0, 1, 2], [1, 0, 1], [2, 1, 0], [3, 2, 1]];

Deno.test("17.6: softDtwBatch, softDtwBatch64 and softDtwAccumulated refuse stepWeights and band", () => {
  const options: WeightedSoftDtwOptions = { gamma: 0.5, stepWeights: [1, 1, 2], band: 1 };
  // the weighted value differs from the plain one: dropping the options would be silently wrong
  const weighted = softDtwValueAndGrad(C, options).value;
  const plain = softDtwValueAndGrad(C, { gamma: 0.5 }).value;
  assert(Math.abs(weighted - plain) > 0.05, `${weighted} vs ${plain}`);
  // @ts-expect-error the type refuses options with step weights
  assertThrows(() => softDtwBatch([C], options), TypeError, "does not take stepWeights");
  // @ts-expect-error the type refuses options with step weights
  assertThrows(() => softDtwAccumulated(C, options), TypeError, "softDtwAccumulated");
  const bandOnly = { gamma: 0.5, band: 1 } as unknown as PlainSoftDtwOptions;
  assertThrows(() => softDtwBatch([C], bandOnly), TypeError, "does not take band");
  assertThrows(
    () =>
      softDtwBatch64({
        cost: new Float64Array(C.flat()),
        batch: 1,
        maxRows: 4,
        maxCols: 3,
        ...bandOnly,
      }),
    TypeError,
    "softDtwBatch64 computes plain soft-DTW and does not take band",
  );
  // plain options still work
  assertEquals(softDtwBatch([C], { gamma: 0.5 })[0].value, plain);
});

Deno.test("17.8: tfjs losses name a float64 value beyond float32's range and refuse non-float tensors", () => {
  // costs of 1e38 summed over a path exceed float32's 3.4e38
  const cost = tf.fill([1, 4, 4], 1e38) as tf.Tensor3D;
  assertThrows(
    () => weightedSoftDtwTf(cost, { gamma: 1, stepWeights: [1, 1, 1] }),
    RangeError,
    "beyond float32's range",
  );
  const lp = tf.fill([1, 6, 2], -1e38) as tf.Tensor3D;
  assertThrows(() => new CtcLoss({ blank: 0 }).call(lp, [[1]]), RangeError, "beyond float32");
  const pred = tf.tensor3d([[[true, false], [false, true]]], undefined, "bool");
  const target = tf.tensor3d([[[1, 0], [0, 1]]]);
  assertThrows(
    () => new SoftDtwLoss({ gamma: 1 }).call(pred as tf.Tensor3D, target),
    TypeError,
    "pred must be a float32 tensor, got dtype bool",
  );
  const ints = tf.tensor3d([[[0, -1], [-1, 0]]], undefined, "int32");
  assertThrows(() => new CtcLoss({ blank: 0 }).call(ints, [[1]]), TypeError, "dtype int32");
  tf.dispose([cost, lp, pred, target, ints]);
});

Deno.test("17.10: ctcLoss names the overflow of -1e308 log-probabilities, and plain probabilities", () => {
  const huge = Array.from({ length: 3 }, () => [-1e308, -1e308]);
  assertThrows(
    () => ctcLoss(huge, [1], { blank: 0, checkLogProbs: false }),
    RangeError,
    "overflowed",
  );
  // the real no-path case still says so (checked before the kernel: frames too few)
  assertThrows(() => ctcLoss([[0, -1], [0, -1]], [1, 1], { blank: 0 }), RangeError, "frames");
  // plain probabilities: a clear message (the loss would be negative, silently)
  const probs = [[0.7, 0.3], [0.4, 0.6]];
  assertThrows(() => ctcLoss(probs, [1], { blank: 0 }), RangeError, "look like probabilities");
  assert(ctcLoss(probs, [1], { blank: 0, checkLogProbs: false }).value < 0);
  const logs = probs.map((r) => r.map(Math.log));
  assert(
    Math.abs(ctcLoss(logs, [1], { blank: 0 }).value + Math.log(0.3 * 0.6 + 0.3 * 0.4 + 0.7 * 0.6)) <
      1e-12,
  );
});

Deno.test("17.10: a string step weight is a type error naming the string", () => {
  const stepWeights = [1, "1", 1] as unknown as StepWeights;
  assertThrows(
    () => softDtwValueAndGrad(C, { gamma: 1, stepWeights }),
    TypeError,
    'stepWeights[1] (wCol) must be a number, got the string "1"',
  );
});
