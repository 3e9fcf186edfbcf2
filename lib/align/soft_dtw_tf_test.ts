import * as tf from "@tensorflow/tfjs";
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { squaredEuclideanCost } from "./cost.ts";
import { softDtwValueAndGrad } from "./soft_dtw.ts";
import {
  SoftDtwLoss,
  softDtwLoss,
  softDtwTfAutodiff,
  squaredEuclideanCostTf,
} from "./soft_dtw_tf.ts";
import { lcg, randomBatch } from "./test_helpers_test.ts";

tf.enableProdMode();
await tf.setBackend("cpu");

/**
 * Reference gradient of mean_b SDTW(C_b) with respect to pred and target, chained by hand
 * through the cost: ∂C(m, n)/∂x_m = 2 (x_m - y_n), ∂C(m, n)/∂y_n = -2 (x_m - y_n), with the
 * float64 DP gradient E_b = ∂SDTW/∂C_b of lib/soft_dtw.ts on the used blocks only.
 */
function chainedReference(
  pred: number[][][],
  target: number[][][],
  gamma: number,
  predLengths: number[],
  targetLengths: number[],
) {
  const B = pred.length, K = pred[0][0].length;
  const gPred = pred.map((s) => s.map((f) => f.map(() => 0)));
  const gTarget = target.map((s) => s.map((f) => f.map(() => 0)));
  const values: number[] = [];
  const alignments: number[][][] = [];
  for (let b = 0; b < B; b++) {
    const x = pred[b].slice(0, predLengths[b]), y = target[b].slice(0, targetLengths[b]);
    const { value, grad } = softDtwValueAndGrad(squaredEuclideanCost(x, y), { gamma });
    values.push(value);
    alignments.push(grad);
    for (let m = 0; m < x.length; m++) {
      for (let n = 0; n < y.length; n++) {
        for (let k = 0; k < K; k++) {
          const d = (2 * grad[m][n] * (x[m][k] - y[n][k])) / B;
          gPred[b][m][k] += d;
          gTarget[b][n][k] -= d;
        }
      }
    }
  }
  const loss = values.reduce((a, v) => a + v, 0) / B;
  return { loss, values, alignments, gPred, gTarget };
}

function assertNestedClose(actual: number[][][], expected: number[][][], tol: number, msg: string) {
  assertEquals(actual.length, expected.length);
  actual.forEach((s, b) =>
    s.forEach((f, m) =>
      f.forEach((v, k) => {
        const e = expected[b][m][k];
        assert(
          Math.abs(v - e) <= tol * Math.max(1, Math.abs(e)),
          `${msg}[${b}][${m}][${k}]: ${v} vs ${e}`,
        );
      })
    )
  );
}

Deno.test("squaredEuclideanCostTf equals the float64 cost matrix", () => {
  const rand = lcg(1);
  const x = randomBatch(2, 5, 3, rand), y = randomBatch(2, 4, 3, rand);
  const c = squaredEuclideanCostTf(tf.tensor3d(x), tf.tensor3d(y));
  const got = c.arraySync();
  c.dispose();
  x.forEach((xb, b) => {
    const want = squaredEuclideanCost(xb, y[b]);
    want.forEach((row, m) =>
      row.forEach((v, n) => assertAlmostEquals(got[b][m][n], v, 1e-5, `${b},${m},${n}`))
    );
  });
});

Deno.test("tfjs loss value and gradients equal the DP gradient chained through the cost", () => {
  const rand = lcg(2);
  for (const gamma of [0.1, 1, 10]) {
    const B = 3, M = 7, N = 5, K = 4;
    const pred = randomBatch(B, M, K, rand), target = randomBatch(B, N, K, rand);
    const ref = chainedReference(pred, target, gamma, [M, M, M], [N, N, N]);
    const p = tf.tensor3d(pred), t = tf.tensor3d(target);
    const lossFn = new SoftDtwLoss({ gamma });
    const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) =>
      lossFn.call(a as tf.Tensor3D, b as tf.Tensor3D)
    )([p, t]);
    assertAlmostEquals(value.dataSync()[0], ref.loss, 1e-4 * Math.max(1, Math.abs(ref.loss)));
    assertNestedClose(grads[0].arraySync() as number[][][], ref.gPred, 1e-4, `γ=${gamma} dpred`);
    assertNestedClose(grads[1].arraySync() as number[][][], ref.gTarget, 1e-4, `γ=${gamma} dtgt`);
    ref.values.forEach((v, b) => assertAlmostEquals(lossFn.lastValues![b], v, 1e-4));
    assertNestedClose(lossFn.lastAlignments!, ref.alignments, 1e-4, "alignments");
    tf.dispose([p, t, value, ...grads]);
  }
});

Deno.test("tfjs loss reproduces tslearn's published value and gradient (41.1876)", () => {
  // tslearn soft_dtw docstring: ts1 = [[1], [2], [3]], ts2 = [[3], [4], [-3]], gamma = 1 ->
  // 41.1876, d/d ts1 = [[-4.0001], [-2.2852], [10.1643]]; in 2-D (both features equal) 83.2951
  // and [[-4.0000]*2, [-2.0261]*2, [10.0206]*2].
  const cases = [
    { x: [[1], [2], [3]], y: [[3], [4], [-3]], value: 41.1876, grad: [-4.0001, -2.2852, 10.1643] },
    {
      x: [[1, 1], [2, 2], [3, 3]],
      y: [[3, 3], [4, 4], [-3, -3]],
      value: 83.2951,
      grad: [-4.0, -2.0261, 10.0206],
    },
  ];
  for (const c of cases) {
    const p = tf.tensor3d([c.x]), t = tf.tensor3d([c.y]);
    const lossFn = new SoftDtwLoss({ gamma: 1 });
    const { value, grad } = tf.valueAndGrad((a: tf.Tensor) => lossFn.call(a as tf.Tensor3D, t))(p);
    assertAlmostEquals(value.dataSync()[0], c.value, 2e-4);
    const g = (grad.arraySync() as number[][][])[0];
    c.grad.forEach((v, m) => g[m].forEach((gk) => assertAlmostEquals(gk, v, 2e-4, `frame ${m}`)));
    tf.dispose([p, t, value, grad]);
  }
});

Deno.test("per-pair lengths: padding gets zero gradient and does not change the loss", () => {
  const rand = lcg(3);
  const B = 3, M = 6, N = 5, K = 3, gamma = 0.5;
  const predLengths = [6, 3, 4], targetLengths = [2, 5, 1];
  const pred = randomBatch(B, M, K, rand), target = randomBatch(B, N, K, rand);
  const ref = chainedReference(pred, target, gamma, predLengths, targetLengths);
  const lossFn = new SoftDtwLoss({ gamma, predLengths, targetLengths });
  const p = tf.tensor3d(pred), t = tf.tensor3d(target);
  const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) =>
    lossFn.call(a as tf.Tensor3D, b as tf.Tensor3D)
  )([p, t]);
  assertAlmostEquals(value.dataSync()[0], ref.loss, 1e-4);
  assertNestedClose(grads[0].arraySync() as number[][][], ref.gPred, 1e-4, "dpred");
  assertNestedClose(grads[1].arraySync() as number[][][], ref.gTarget, 1e-4, "dtarget");
  const gp = grads[0].arraySync() as number[][][];
  assertEquals(gp[1][5], [0, 0, 0]); // a padded prediction frame
  const E = lossFn.lastAlignments!;
  assertEquals(E.map((e) => [e.length, e[0].length]), [[6, 2], [3, 5], [4, 1]]);
  tf.dispose([p, t, value, ...grads]);
});

Deno.test("gradients reach the weights of a model (tf.variableGrads)", () => {
  const rand = lcg(4);
  const x = tf.tensor3d(randomBatch(2, 6, 3, rand));
  const target = tf.tensor3d(randomBatch(2, 4, 2, rand));
  const W = tf.variable(tf.tensor2d([[0.2, -0.1], [0.4, 0.3], [-0.5, 0.1]]));
  const lossFn = new SoftDtwLoss({ gamma: 0.3 });
  const f = () =>
    lossFn.call(
      tf.reshape(tf.sigmoid(tf.matMul(tf.reshape(x, [12, 3]), W)), [2, 6, 2]) as tf.Tensor3D,
      target,
    );
  const { value, grads } = tf.variableGrads(f);
  const g = grads[W.name].arraySync() as number[][];
  // central finite differences of the loss in float32 (h large enough for float32 rounding)
  const h = 1e-2;
  const w0 = W.arraySync();
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 2; j++) {
      const plus = w0.map((r) => [...r]), minus = w0.map((r) => [...r]);
      plus[i][j] += h;
      minus[i][j] -= h;
      W.assign(tf.tensor2d(plus));
      const lp = tf.tidy(() => f().dataSync()[0]);
      W.assign(tf.tensor2d(minus));
      const lm = tf.tidy(() => f().dataSync()[0]);
      assertAlmostEquals(g[i][j], (lp - lm) / (2 * h), 2e-3, `W[${i}][${j}]`);
    }
  }
  assert(g.flat().some((v) => Math.abs(v) > 1e-3), "the gradient is not trivially zero");
  tf.dispose([x, target, W, value, ...Object.values(grads)]);
});

Deno.test("autodiff through the tf forward recursion equals the DP expected alignment", () => {
  const rand = lcg(5);
  for (const [M, N, gamma] of [[1, 1, 1], [1, 4, 0.5], [4, 5, 1], [6, 3, 0.1], [5, 5, 10]]) {
    const C = Array.from({ length: M }, () => Array.from({ length: N }, () => Math.fround(rand())));
    const { value, grad } = softDtwValueAndGrad(C, { gamma });
    const c = tf.tensor2d(C);
    const { value: v, grad: g } = tf.valueAndGrad((t: tf.Tensor) =>
      softDtwTfAutodiff(t as tf.Tensor2D, { gamma })
    )(c);
    assertAlmostEquals(v.dataSync()[0], value, 1e-4 * Math.max(1, Math.abs(value)));
    const ga = g.arraySync() as number[][];
    grad.forEach((row, m) => row.forEach((e, n) => assertAlmostEquals(ga[m][n], e, 1e-4)));
    tf.dispose([c, v, g]);
  }
});

Deno.test("softDtwLoss (functional form) equals SoftDtwLoss.call", () => {
  const rand = lcg(6);
  const p = tf.tensor3d(randomBatch(2, 4, 3, rand)), t = tf.tensor3d(randomBatch(2, 3, 3, rand));
  const a = softDtwLoss(p, t, { gamma: 0.7 }), b = new SoftDtwLoss({ gamma: 0.7 }).call(p, t);
  assertEquals(a.dataSync()[0], b.dataSync()[0]);
  tf.dispose([p, t, a, b]);
});

Deno.test("bad input to the tfjs loss throws errors that name the problem", () => {
  const p = tf.zeros([2, 4, 3]) as tf.Tensor3D;
  assertThrows(() => new SoftDtwLoss({ gamma: 0 }), RangeError, "gamma");
  assertThrows(() => new SoftDtwLoss({ gamma: -1 }), RangeError, "gamma");
  assertThrows(() => new SoftDtwLoss({ gamma: 1, predLengths: [0] }), RangeError, "predLengths");
  const loss = new SoftDtwLoss({ gamma: 1 });
  assertThrows(() => new SoftDtwLoss({ gamma: 1e-320 }), RangeError, "gamma is too small");
  assertThrows(() => softDtwTfAutodiff(tf.tensor2d([[1]]), { gamma: 0 }), RangeError, "gamma");
  // deno-lint-ignore no-explicit-any
  assertThrows(() => new SoftDtwLoss({ gamma: 1, predLengths: 2 as any }), TypeError, "array");
  assertThrows(() => loss.call(p, tf.zeros([2, 4, 2]) as tf.Tensor3D), TypeError, "feature sizes");
  assertThrows(() => loss.call(p, tf.zeros([3, 4, 3]) as tf.Tensor3D), TypeError, "batch sizes");
  assertThrows(() => loss.call(p, tf.zeros([2, 0, 3]) as tf.Tensor3D), RangeError, "empty");
  assertThrows(
    () => loss.call(p, tf.zeros([2, 4]) as unknown as tf.Tensor3D),
    TypeError,
    "rank 3",
  );
  const nan = tf.fill([2, 4, 3], NaN) as tf.Tensor3D;
  assertThrows(() => loss.call(nan, p), RangeError, "NaN");
  const inf = tf.fill([2, 4, 3], Infinity) as tf.Tensor3D;
  assertThrows(() => loss.call(inf, p), RangeError, "Infinity");
  assertThrows(
    () => new SoftDtwLoss({ gamma: 1, targetLengths: [5, 1] }).call(p, p),
    RangeError,
    "targetLengths[0] is 5",
  );
  assertThrows(() => softDtwTfAutodiff(tf.tensor2d([[1, NaN]]), { gamma: 1 }), RangeError, "NaN");
  tf.dispose([p, nan, inf]);
});
