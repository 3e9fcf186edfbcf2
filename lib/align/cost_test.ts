import { assertEquals, assertThrows } from "@std/assert";
import {
  asSequence,
  checkMatrix64,
  costMatrix,
  fromMatrix64,
  squaredEuclideanCost,
  squaredEuclideanCost64,
  toMatrix64,
} from "./cost.ts";

Deno.test("squared Euclidean cost on hand-checked vectors", () => {
  const x = [[1, 0, 2], [0, 0, 0]];
  const y = [[1, 1, 1], [3, 0, 2], [0, 0, 0]];
  // (0+1+1), (4+0+0), (1+0+4); (1+1+1), (9+0+4), 0
  assertEquals(squaredEuclideanCost(x, y), [[2, 4, 5], [3, 13, 0]]);
  assertEquals(squaredEuclideanCost(asSequence([1, 2]), asSequence([3])), [[4], [1]]);
});

Deno.test("typed and plain forms agree; round trip", () => {
  const x = [[0.5, -1], [2, 3], [1, 1]];
  const y = [[1, 0], [-2, 0.25]];
  const typed = squaredEuclideanCost64(toMatrix64(x), toMatrix64(y));
  assertEquals(fromMatrix64(typed), squaredEuclideanCost(x, y));
  assertEquals(fromMatrix64(toMatrix64(x)), x);
});

Deno.test("costMatrix applies any local cost function", () => {
  const manhattan = (a: number[], b: number[]) => a.reduce((s, v, k) => s + Math.abs(v - b[k]), 0);
  assertEquals(costMatrix([[0, 0], [1, 1]], [[1, 2], [0, 1]], manhattan), [[3, 1], [1, 1]]);
  const sq = (a: number[], b: number[]) => a.reduce((s, v, k) => s + (v - b[k]) ** 2, 0);
  const x = [[1, 2], [3, 4]], y = [[0, 0], [5, 1], [2, 2]];
  assertEquals(costMatrix(x, y, sq), squaredEuclideanCost(x, y));
});

Deno.test("bad input names the argument and the value", () => {
  assertThrows(() => squaredEuclideanCost([], [[1]]), RangeError, "x is empty");
  assertThrows(() => squaredEuclideanCost([[1]], []), RangeError, "y is empty");
  assertThrows(() => squaredEuclideanCost([[1, 2], [1]], [[1, 2]]), TypeError, "x has ragged rows");
  assertThrows(() => squaredEuclideanCost([[1, 2]], [[1]]), TypeError, "feature sizes differ");
  assertThrows(() => squaredEuclideanCost([[1, NaN]], [[1, 2]]), RangeError, "x[0][1] is NaN");
  assertThrows(() => squaredEuclideanCost([[1, 2]], [[Infinity, 2]]), RangeError, "y[0][0]");
  assertThrows(() => costMatrix([[1]], [[2]], () => NaN), RangeError, "returned NaN");
  assertThrows(
    () => checkMatrix64({ data: new Float64Array(3), rows: 2, cols: 2 }, { name: "C" }),
    TypeError,
    "C.data has length 3",
  );
  const notNumber = [[1, "2"]] as unknown as number[][];
  assertThrows(() => toMatrix64(notNumber, { name: "C" }), TypeError, "C[0][1] must be a number");
  const notRow = [[1], 2] as unknown as number[][];
  assertThrows(() => toMatrix64(notRow), TypeError, "matrix[1] must be an array");
  assertThrows(() => toMatrix64([[1], [2, 3]]), TypeError, "ragged");
  assertThrows(() => toMatrix64([[1], [Infinity]]), RangeError, "matrix[1][0] is Infinity");
});

Deno.test("toMatrix64 and fromMatrix64 convert entry by entry, both ways", () => {
  const rows = [[1, -2.5, 3], [4e-300, 5, 6]];
  const m = toMatrix64(rows);
  assertEquals([m.rows, m.cols], [2, 3]);
  assertEquals(Array.from(m.data), [1, -2.5, 3, 4e-300, 5, 6]);
  assertEquals(fromMatrix64(m), rows);
  assertEquals(toMatrix64([[NaN]], { finite: false }).data[0], NaN);
});
