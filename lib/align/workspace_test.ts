import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { createAlignWorkspace, ctcInto, softDtwInto } from "./workspace.ts";
import { bruteForceSoftDtw } from "./brute_force.ts";
import { bruteForceWeightedSoftDtw } from "./weighted_brute_force.ts";
import { bruteForceCtc, gravesCtc } from "./ctc_reference.ts";
import { lcg, randomMatrix } from "./test_helpers_test.ts";

const rand = lcg(19);
const matrix = (rows: number, cols: number) => randomMatrix(rows, cols, rand, 2);

Deno.test("softDtwInto: value and gradient of every path, plain and weighted, in one workspace", () => {
  const workspace = createAlignWorkspace({ maxRows: 5, maxCols: 4 });
  // smaller problems after larger ones reuse the same memory
  for (const [rows, cols] of [[5, 4], [3, 4], [4, 2], [1, 3]]) {
    const C = matrix(rows, cols);
    const cost = Float64Array.from(C.flat());
    const grad = new Float64Array(rows * cols);
    const plain = bruteForceSoftDtw(C, { gamma: 0.7 });
    assertAlmostEquals(
      softDtwInto({ cost, rows, cols, gamma: 0.7, grad, workspace }),
      plain.value,
      1e-12,
    );
    plain.expectedAlignment.flat().forEach((e, i) => assertAlmostEquals(grad[i], e, 1e-12));
    for (const stepWeights of [[0, 1, 1], [1, 1, 2]] as const) {
      const occupancy = new Float64Array(rows * cols);
      const truth = bruteForceWeightedSoftDtw(C, { gamma: 0.4, stepWeights });
      const value = softDtwInto({
        cost,
        rows,
        cols,
        gamma: 0.4,
        stepWeights,
        grad,
        occupancy,
        workspace,
      });
      assertAlmostEquals(value, truth.value, 1e-12);
      truth.grad.flat().forEach((g, i) => assertAlmostEquals(grad[i], g, 1e-12));
      truth.occupancy.flat().forEach((e, i) => assertAlmostEquals(occupancy[i], e, 1e-12));
    }
  }
});

Deno.test("ctcInto: value, gradient and state posterior against Graves and every labeling", () => {
  const workspace = createAlignWorkspace({ maxRows: 5, maxCols: 7 });
  const T = 5, K = 4;
  // two segments side by side: the second is read at its offset
  const logits = matrix(2 * T, K);
  const lp = logits.map((row) => {
    const z = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    return row.map((v) => v - z);
  });
  const flat = Float64Array.from(lp.flat());
  const grad = new Float64Array(flat.length);
  for (const [b, labels] of [[0, [1, 2, 2]], [1, [3]]] as const) {
    const block = lp.slice(b * T, (b + 1) * T);
    const states = 2 * labels.length + 1;
    const occupancy = new Float64Array(T * states);
    const value = ctcInto({
      logProbs: flat,
      offset: b * T * K,
      frames: T,
      classes: K,
      labels,
      blank: 0,
      grad,
      occupancy,
      workspace,
    });
    const graves = gravesCtc(block, [...labels], { blank: 0 });
    assertAlmostEquals(value, bruteForceCtc(block, [...labels], { blank: 0 }).value, 1e-10);
    graves.grad.flat().forEach((g, i) => assertAlmostEquals(grad[b * T * K + i], g, 1e-10));
    graves.posterior.flat().forEach((p, i) => assertAlmostEquals(occupancy[i], p, 1e-10));
  }
});

Deno.test("the workspace functions name what is wrong", () => {
  const workspace = createAlignWorkspace({ maxRows: 2, maxCols: 2 });
  const cost = new Float64Array([0, 1, 1, 0]);
  assertThrows(() => createAlignWorkspace({ maxRows: 0, maxCols: 2 }), RangeError, "maxRows");
  assertThrows(
    () => softDtwInto({ cost, rows: 3, cols: 1, gamma: 1, workspace }),
    RangeError,
    "does not fit the workspace",
  );
  assertThrows(
    () => softDtwInto({ cost, rows: 2, cols: 2, gamma: 0, workspace }),
    RangeError,
    "gamma",
  );
  assertThrows(
    () =>
      softDtwInto({
        cost: new Float64Array([0, NaN, 1, 0]),
        rows: 2,
        cols: 2,
        gamma: 1,
        workspace,
      }),
    RangeError,
    "cost(0, 1) is NaN",
  );
  assertThrows(
    () => softDtwInto({ cost, rows: 2, cols: 2, gamma: 1, grad: new Float64Array(3), workspace }),
    RangeError,
    "grad",
  );
  assertThrows(
    () => softDtwInto({ cost, rows: 2, cols: 2, gamma: 1, stepWeights: [-1, 1, 1], workspace }),
    RangeError,
  );
  assertThrows(
    () => softDtwInto({ cost, rows: 2, cols: 2, gamma: 1, workspace: {} as never }),
    TypeError,
    "createAlignWorkspace",
  );
  const lp = new Float64Array(4).fill(Math.log(0.5));
  assertThrows(
    () => ctcInto({ logProbs: lp, frames: 2, classes: 2, labels: [1, 1], blank: 0, workspace }),
    RangeError,
  );
  assertEquals(
    ctcInto({ logProbs: lp, frames: 2, classes: 2, labels: [], blank: 0, workspace }),
    -2 * Math.log(0.5),
  );
});
