import * as tf from "@tensorflow/tfjs";
import { assert, assertEquals, assertThrows } from "@std/assert";
import { squaredEuclideanCost } from "./cost.ts";
import { weightedSoftDtw } from "./weighted.ts";
import { addDiagonalPrior } from "./prior.ts";
import { softDtwDivergence } from "./divergence.ts";
import { bruteForceCtc } from "./ctc_reference.ts";
import { CtcLoss, SoftDtwDivergenceLoss, weightedSoftDtwTf } from "./losses_tf.ts";
import type { StepWeights } from "./options.ts";
import { SoftDtwLoss } from "./soft_dtw_tf.ts";
import { lcg, randomBatch } from "./test_helpers_test.ts";

tf.enableProdMode();
await tf.setBackend("cpu");

function close(actual: number, expected: number, tol: number, msg: string) {
  assert(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${msg}: ${actual} vs ${expected}`,
  );
}

Deno.test("SoftDtwLoss (step weights, band, prior, lengths) = float64 chain by hand", () => {
  const rand = lcg(41);
  const B = 3, M = 9, N = 5, K = 3, gamma = 0.4;
  const stepWeights: StepWeights = [1, 0.5, 2];
  const predLengths = [9, 6, 4], targetLengths = [5, 3, 4];
  const prior = { weight: 0.7, sigma: 1.5 };
  for (const band of [undefined, 1]) {
    const pred = randomBatch(B, M, K, rand), target = randomBatch(B, N, K, rand);
    const gPred = pred.map((s) => s.map((f) => f.map(() => 0)));
    const gTarget = target.map((s) => s.map((f) => f.map(() => 0)));
    const values: number[] = [], occs: number[][][] = [], hs: number[][][] = [];
    for (let b = 0; b < B; b++) {
      const x = pred[b].slice(0, predLengths[b]), y = target[b].slice(0, targetLengths[b]);
      const C = addDiagonalPrior(squaredEuclideanCost(x, y), prior);
      const r = weightedSoftDtw(C, { gamma, stepWeights, band });
      values.push(r.value);
      occs.push(r.occupancy);
      hs.push(r.grad);
      x.forEach((xm, m) =>
        y.forEach((yn, n) =>
          xm.forEach((_, k) => {
            const d = 2 * r.grad[m][n] * (xm[k] - yn[k]) / B;
            gPred[b][m][k] += d;
            gTarget[b][n][k] -= d;
          })
        )
      );
    }
    const lossFn = new SoftDtwLoss({
      gamma,
      stepWeights,
      band,
      prior,
      predLengths,
      targetLengths,
    });
    const p = tf.tensor3d(pred), t = tf.tensor3d(target);
    const { value, grads } = tf.valueAndGrads((a: tf.Tensor, c: tf.Tensor) =>
      lossFn.call(a as tf.Tensor3D, c as tf.Tensor3D)
    )([p, t]);
    close(value.dataSync()[0], values.reduce((s, v) => s + v, 0) / B, 1e-4, "loss");
    const gp = grads[0].arraySync() as number[][][], gt = grads[1].arraySync() as number[][][];
    gp.forEach((s, b) =>
      s.forEach((f, m) => f.forEach((v, k) => close(v, gPred[b][m][k], 1e-4, "dpred")))
    );
    gt.forEach((s, b) =>
      s.forEach((f, n) => f.forEach((v, k) => close(v, gTarget[b][n][k], 1e-4, "dtgt")))
    );
    values.forEach((v, b) => close(lossFn.lastValues![b], v, 1e-4, "values"));
    lossFn.lastOccupancies!.forEach((E, b) => {
      assertEquals(E.length, predLengths[b]);
      E.forEach((row, m) => row.forEach((v, n) => close(v, occs[b][m][n], 1e-4, "E")));
    });
    lossFn.lastAlignments!.forEach((H, b) => {
      H.forEach((row, m) => row.forEach((v, n) => close(v, hs[b][m][n], 1e-4, "H = E ⊙ G")));
    });
    tf.dispose([p, t, value, ...grads]);
  }
});

Deno.test("weightedSoftDtwTf with [1,1,1] and no prior has gradient E/B w.r.t. the cost", () => {
  const rand = lcg(42);
  const C = [randomBatch(1, 6, 4, rand)[0], randomBatch(1, 6, 4, rand)[0]];
  const { value, grad } = tf.valueAndGrad((c: tf.Tensor) =>
    weightedSoftDtwTf(c as tf.Tensor3D, { gamma: 0.5 })
  )(tf.tensor3d(C));
  const r = C.map((c) => weightedSoftDtw(c, { gamma: 0.5 }));
  close(value.dataSync()[0], (r[0].value + r[1].value) / 2, 1e-5, "value");
  const g = grad.arraySync() as number[][][];
  g.forEach((s, b) =>
    s.forEach((row, m) => row.forEach((v, n) => close(v, r[b].grad[m][n] / 2, 1e-5, "g")))
  );
});

Deno.test("SoftDtwDivergenceLoss = float64 divergence per pair; zero for identical inputs", () => {
  const rand = lcg(43);
  const B = 2, M = 7, N = 4, K = 3, gamma = 0.5;
  const pred = randomBatch(B, M, K, rand), target = randomBatch(B, N, K, rand);
  const predLengths = [7, 5], targetLengths = [4, 2];
  const lossFn = new SoftDtwDivergenceLoss({ gamma, predLengths, targetLengths });
  const p = tf.tensor3d(pred), t = tf.tensor3d(target);
  const { value, grads } = tf.valueAndGrads((a: tf.Tensor, c: tf.Tensor) =>
    lossFn.call(a as tf.Tensor3D, c as tf.Tensor3D)
  )([p, t]);
  const ref = pred.map((x, b) =>
    softDtwDivergence(x.slice(0, predLengths[b]), target[b].slice(0, targetLengths[b]), { gamma })
  );
  close(value.dataSync()[0], (ref[0].value + ref[1].value) / 2, 1e-4, "loss");
  const gp = grads[0].arraySync() as number[][][], gt = grads[1].arraySync() as number[][][];
  gp.forEach((s, b) =>
    s.forEach((f, m) =>
      f.forEach((v, k) => close(v, m < predLengths[b] ? ref[b].gradX[m][k] / 2 : 0, 1e-4, "gx"))
    )
  );
  gt.forEach((s, b) =>
    s.forEach((f, n) =>
      f.forEach((v, k) => close(v, n < targetLengths[b] ? ref[b].gradY[n][k] / 2 : 0, 1e-4, "gy"))
    )
  );
  assertEquals(lossFn.lastAlignments!.length, 2);
  const same = new SoftDtwDivergenceLoss({ gamma }).call(p, p);
  assertEquals(same.dataSync()[0], 0);
  tf.dispose([p, t, value, same, ...grads]);
});

Deno.test("CtcLoss = brute force over every alignment (value, gradient through log-softmax)", () => {
  const rand = lcg(44);
  const B = 3, T = 5, K = 3;
  const logits = randomBatch(B, T, K, rand).map((s) => s.map((f) => f.map((v) => 4 * v - 2)));
  const labels = [[1, 2], [], [2, 2]];
  const frameLengths = [5, 3, 4];
  const ctc = new CtcLoss({ blank: 0, fromLogits: true });
  const x = tf.tensor3d(logits);
  const { value, grad } = tf.valueAndGrad((a: tf.Tensor) =>
    ctc.call(a as tf.Tensor3D, labels, { frameLengths })
  )(x);
  let mean = 0;
  const g = grad.arraySync() as number[][][];
  for (let b = 0; b < B; b++) {
    const lp = logits[b].slice(0, frameLengths[b]).map((f) => {
      const mx = Math.max(...f);
      const lse = mx + Math.log(f.reduce((s, v) => s + Math.exp(v - mx), 0));
      return f.map((v) => v - lse);
    });
    const bf = bruteForceCtc(lp, labels[b], { blank: 0 });
    mean += bf.value / B;
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < K; k++) {
        // chain through log-softmax: ∂/∂x_k = g_k − p_k Σ_j g_j; padding frames get 0
        const want = t < frameLengths[b]
          ? (bf.grad[t][k] - Math.exp(lp[t][k]) * bf.grad[t].reduce((s, v) => s + v, 0)) / B
          : 0;
        close(g[b][t][k], want, 1e-4, `[${b}][${t}][${k}]`);
      }
      if (t < frameLengths[b]) {
        const post = ctc.lastPosteriors![b][t];
        post.forEach((v, k) =>
          close(v, -bf.grad[t][k], 1e-5, "posterior (tf log-softmax is float32)")
        );
      }
    }
  }
  close(value.dataSync()[0], mean, 1e-5, "loss");
  tf.dispose([x, value, grad]);
});

Deno.test("tfjs family losses reject bad input with clear messages", () => {
  const x = tf.zeros([1, 3, 2]) as tf.Tensor3D;
  assertThrows(
    () => new SoftDtwLoss({ gamma: 1, stepWeights: [1, -1, 1] }),
    RangeError,
    "wCol",
  );
  assertThrows(() => new SoftDtwLoss({ gamma: 1, band: -2 }), RangeError, "non-negative");
  assertThrows(
    () => new SoftDtwLoss({ gamma: 1, prior: { weight: -1 } }),
    RangeError,
    "prior weight",
  );
  assertThrows(() => new SoftDtwDivergenceLoss({ gamma: 0 }), RangeError, "gamma");
  const ctc = new CtcLoss({ blank: 0 });
  assertThrows(() => ctc.call(x, [[1, 1, 1]]), RangeError, "impossible CTC target");
  assertThrows(() => ctc.call(x, [[0]]), RangeError, "blank");
  assertThrows(() => ctc.call(x, [[1], [1]]), RangeError, "one target per batch item");
  assertThrows(() => ctc.call(tf.tensor3d([[[0, NaN]]]), [[]]), RangeError, "NaN");
  x.dispose();
});
