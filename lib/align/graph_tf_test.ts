import * as tf from "@tensorflow/tfjs";
import { assert, assertThrows } from "@std/assert";
import { AlignGraphLoss, alignGraphTf } from "./graph_tf.ts";
import { partialMatchingGraph, softDtwGraph, subsequenceGraph } from "./presets.ts";
import { alignGraph } from "./graph.ts";
import { squaredEuclideanCost } from "./cost.ts";
import { lcg, randomBatch } from "./test_helpers_test.ts";

Deno.test("AlignGraphLoss: value is the batch mean of alignGraph, gradient by finite differences", () => {
  const rand = lcg(41);
  const x = randomBatch(2, 4, 3, rand), y = randomBatch(2, 3, 3, rand);
  for (
    const make of [
      (r: number, c: number) => subsequenceGraph(r, c, { gamma: 0.5, along: "both" }),
      (r: number, c: number) => softDtwGraph(r, c, { gamma: 0.5, aggregation: "sparse" }),
    ]
  ) {
    const loss = new AlignGraphLoss({ graph: make, predLengths: [4, 3], targetLengths: [3, 2] });
    const want = [0, 1].map((b) => {
      const c = squaredEuclideanCost(x[b].slice(0, [4, 3][b]), y[b].slice(0, [3, 2][b]));
      return alignGraph(c, make(c.length, c[0].length)).value;
    });
    const pred = tf.variable(tf.tensor3d(x));
    const target = tf.tensor3d(y);
    const { value, grads } = tf.variableGrads(() => loss.call(pred, target));
    const v = value.dataSync()[0];
    assert(Math.abs(v - (want[0] + want[1]) / 2) < 1e-5, `${v} vs ${want}`);
    // finite differences in float64 on one entry of pred
    const h = 1e-4;
    const at = (d: number) => {
      const xx = x.map((p) => p.map((r) => r.slice()));
      xx[0][1][2] += d;
      return [0, 1].reduce((s, b) => {
        const c = squaredEuclideanCost(xx[b].slice(0, [4, 3][b]), y[b].slice(0, [3, 2][b]));
        return s + alignGraph(c, make(c.length, c[0].length)).value / 2;
      }, 0);
    };
    const fd = (at(h) - at(-h)) / (2 * h);
    const g = Object.values(grads)[0].arraySync() as number[][][];
    assert(Math.abs(g[0][1][2] - fd) < 1e-3 * (1 + Math.abs(fd)), `${g[0][1][2]} vs ${fd}`);
    tf.dispose([pred, target, value, ...Object.values(grads)]);
  }
});

Deno.test("alignGraphTf: partial matching on a cost tensor; non-float and float32 overflow are errors", () => {
  const cost = tf.tensor3d([[[-1, 2], [2, -1]]]);
  assert(
    Math.abs(
      alignGraphTf(cost, { graph: (r, c) => partialMatchingGraph(r, c) }).dataSync()[0] + 2,
    ) < 1e-6,
  );
  const ints = tf.tensor3d([[[1, 2], [2, 1]]], undefined, "int32");
  assertThrows(
    () => alignGraphTf(ints, { graph: (r, c) => partialMatchingGraph(r, c) }),
    TypeError,
    "float32",
  );
  const huge = tf.fill([1, 3, 3], 3e38) as tf.Tensor3D;
  assertThrows(
    () => alignGraphTf(huge, { graph: (r, c) => softDtwGraph(r, c, { aggregation: "hard" }) }),
    RangeError,
    "float32",
  );
  tf.dispose([cost, ints, huge]);
});
