/**
 * Cost matrices between two feature sequences (local cost of DTW and soft-DTW).
 *
 * A feature sequence is a list of frames; each frame is a feature vector (for example a
 * 12-dimensional chroma vector or a 24-dimensional chord activation). For sequences
 * `X = (x_1, ..., x_M)` and `Y = (y_1, ..., y_N)` with frames of the same size `K`, the cost
 * matrix is `C(m, n) = c(x_m, y_n)`; the default local cost is the squared Euclidean distance
 * `c(x, y) = ||x - y||^2`, the cost used by the report's soft-DTW loss.
 *
 * Two forms are offered: plain `number[][]` (rows are frames), convenient in notebooks, and
 * {@linkcode Matrix64} (a row-major `Float64Array` with its dimensions), used by the fast
 * soft-DTW code. Every entry point validates its input: empty sequences, ragged rows, feature
 * sizes that differ, and NaN or infinite values throw an error that names the argument.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb and notebooks/02_gradient_expected_alignment.ipynb.
 *
 * @example
 * ```ts
 * import { squaredEuclideanCost } from "./cost.ts";
 * const C = squaredEuclideanCost([[0, 1], [1, 0]], [[0, 1]]);
 * // C = [[0], [2]]
 * ```
 *
 * @module
 */

/** A dense row-major matrix of float64 values: entry (r, c) is `data[r * cols + c]`. */
export interface Matrix64 {
  /** The entries, row after row (length `rows * cols`). */
  data: Float64Array;
  /** Number of rows (for a feature sequence: number of frames). */
  rows: number;
  /** Number of columns (for a feature sequence: feature size). */
  cols: number;
}

/**
 * Where a kernel reads its `rows x cols` cost block and writes its gradient block, inside
 * larger row-major arrays (a batch packs several blocks into one array). Shared by the
 * arguments of every soft-DTW kernel (`softDtwKernel`, `weightedSoftDtwKernel` and the
 * WebAssembly kernels).
 */
export interface KernelBlock {
  /** Array holding the cost block. */
  cost: ArrayLike<number>;
  /** Index of cost entry (0, 0). */
  costOffset: number;
  /** Distance between consecutive rows of the cost block (>= cols). */
  costStride: number;
  /** Rows M of the block. */
  rows: number;
  /** Columns N of the block. */
  cols: number;
  /** Output for the gradient `H = ∂value/∂C` (same layout), or null for the value only. */
  grad: Float64Array | null;
  /** Index of gradient entry (0, 0). */
  gradOffset: number;
  /** Distance between consecutive rows of the gradient block (>= cols). */
  gradStride: number;
}

/**
 * The {@linkcode KernelBlock} of a whole dense matrix (offsets 0, strides = its columns), with
 * the gradient written into `grad` (same size) or not at all (null).
 *
 * @example
 * ```ts
 * import { denseBlock } from "./cost.ts";
 * const C = { data: new Float64Array([0, 1, 1, 0]), rows: 2, cols: 2 };
 * denseBlock(C, new Float64Array(4)); // { cost: C.data, costOffset: 0, costStride: 2, ... }
 * ```
 */
export function denseBlock(matrix: Matrix64, grad: Float64Array | null): KernelBlock {
  const { data, rows, cols } = matrix;
  return {
    cost: data,
    costOffset: 0,
    costStride: cols,
    rows,
    cols,
    grad,
    gradOffset: 0,
    gradStride: cols,
  };
}

/**
 * A batch of cost matrices of different sizes packed into one array: pair b uses the top-left
 * `rowLengths[b] x colLengths[b]` block of its `maxRows x maxCols` slot (the rest is padding).
 * The arguments of `softDtwBatch64` and `weightedSoftDtwBatch64` extend it.
 */
export interface PackedCosts {
  /** Cost matrices `B x maxRows x maxCols`, row-major (pair b starts at `b * maxRows * maxCols`). */
  cost: ArrayLike<number>;
  /** Batch size B. */
  batch: number;
  /** Allocated rows per pair. */
  maxRows: number;
  /** Allocated columns per pair. */
  maxCols: number;
  /** Used rows M_b of each pair (default: all `maxRows`). */
  rowLengths?: readonly number[];
  /** Used columns N_b of each pair (default: all `maxCols`). */
  colLengths?: readonly number[];
}

/** A local cost function between two feature vectors of the same size. */
export type LocalCost = (x: number[], y: number[]) => number;

/** Options of {@linkcode checkMatrix}. */
export interface CheckMatrixOptions {
  /** Name of the argument, used in error messages (default `"matrix"`). */
  name?: string;
  /** Whether NaN and ±Infinity are refused (default `true`). */
  finite?: boolean;
}

/**
 * Checks that `rows` is a non-empty rectangular matrix of numbers (finite unless
 * `finite: false`) and returns its shape. Throws a `TypeError` for non-arrays, non-numbers or
 * ragged rows and a `RangeError` for empty input or non-finite entries; the message names the argument,
 * the row and column, and the offending value.
 *
 * @example
 * ```ts
 * import { checkMatrix } from "./cost.ts";
 * checkMatrix([[1, 2], [3, 4]], { name: "C" }); // { rows: 2, cols: 2 }
 * ```
 */
export function checkMatrix(
  rows: readonly (readonly number[])[],
  options: CheckMatrixOptions = {},
): { rows: number; cols: number } {
  const name = options.name ?? "matrix";
  const finite = options.finite ?? true;
  if (!Array.isArray(rows)) {
    throw new TypeError(`${name} must be an array of rows (number[][]), got ${typeof rows}`);
  }
  if (rows.length === 0) throw new RangeError(`${name} is empty (0 rows)`);
  const first = rows[0];
  if (!Array.isArray(first)) {
    throw new TypeError(`${name}[0] must be an array of numbers, got ${typeof first}`);
  }
  const cols = first.length;
  if (cols === 0) throw new RangeError(`${name} has rows of length 0`);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (!Array.isArray(row)) {
      throw new TypeError(`${name}[${r}] must be an array of numbers, got ${typeof row}`);
    }
    if (row.length !== cols) {
      throw new TypeError(
        `${name} has ragged rows: row 0 has length ${cols} but row ${r} has length ${row.length}`,
      );
    }
    for (let c = 0; c < cols; c++) {
      const v = row[c];
      if (typeof v !== "number") {
        throw new TypeError(`${name}[${r}][${c}] must be a number, got ${typeof v}`);
      }
      if (finite && !Number.isFinite(v)) {
        throw new RangeError(`${name}[${r}][${c}] is ${v}; all entries must be finite`);
      }
    }
  }
  return { rows: rows.length, cols };
}

/**
 * Checks a {@linkcode Matrix64}: positive integer dimensions, `data.length === rows * cols`,
 * and (unless `finite: false`) only finite entries. Throws an error naming the argument.
 *
 * @example
 * ```ts
 * import { checkMatrix64 } from "./cost.ts";
 * checkMatrix64({ data: new Float64Array([1, 2]), rows: 1, cols: 2 }, { name: "C" });
 * ```
 */
export function checkMatrix64(matrix: Matrix64, options: CheckMatrixOptions = {}): void {
  const name = options.name ?? "matrix";
  const finite = options.finite ?? true;
  if (matrix === null || typeof matrix !== "object" || !(matrix.data instanceof Float64Array)) {
    throw new TypeError(`${name} must be a Matrix64 { data: Float64Array, rows, cols }`);
  }
  const { rows, cols, data } = matrix;
  if (!Number.isInteger(rows) || rows < 1) {
    throw new RangeError(`${name}.rows must be a positive integer, got ${rows}`);
  }
  if (!Number.isInteger(cols) || cols < 1) {
    throw new RangeError(`${name}.cols must be a positive integer, got ${cols}`);
  }
  if (data.length !== rows * cols) {
    throw new TypeError(
      `${name}.data has length ${data.length}, expected rows * cols = ${rows} * ${cols}`,
    );
  }
  if (finite) {
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        const r = Math.floor(i / cols);
        throw new RangeError(
          `${name}[${r}][${i - r * cols}] is ${data[i]}; all entries must be finite`,
        );
      }
    }
  }
}

/**
 * Converts a plain matrix (rows of numbers) to a {@linkcode Matrix64}, validating it as
 * {@linkcode checkMatrix} does (same errors), in one pass of plain loops.
 *
 * @example
 * ```ts
 * import { toMatrix64 } from "./cost.ts";
 * const m = toMatrix64([[1, 2], [3, 4]]); // m.data = Float64Array [1, 2, 3, 4]
 * ```
 */
export function toMatrix64(
  rows: readonly (readonly number[])[],
  options: CheckMatrixOptions = {},
): Matrix64 {
  const { rows: M, cols: N } = matrixShape(rows, options);
  const data = new Float64Array(M * N);
  copyRowsInto(rows, data, 0, options);
  return { data, rows: M, cols: N };
}

/**
 * The shape of a plain matrix (rows of numbers) as read from its outer array and first row,
 * without looking at the other rows: throws as {@linkcode checkMatrix} for a non-array, an
 * empty matrix or an empty or non-array first row. {@linkcode copyRowsInto} checks the rest
 * while it copies. For callers that size a destination before copying (e.g. wasm memory).
 *
 * @example
 * ```ts
 * import { matrixShape } from "./cost.ts";
 * matrixShape([[1, 2, 3], [4, 5, 6]]); // { rows: 2, cols: 3 }
 * ```
 */
export function matrixShape(
  rows: readonly (readonly number[])[],
  options: CheckMatrixOptions = {},
): { rows: number; cols: number } {
  if (!Array.isArray(rows) || rows.length === 0 || !Array.isArray(rows[0])) {
    checkMatrix(rows, options); // throws the error naming the problem
  }
  const M = rows.length, N = rows[0].length;
  if (N === 0) checkMatrix(rows, options);
  return { rows: M, cols: N };
}

/**
 * Copies a plain matrix row by row into `dst` from index `at` (row-major, `rows x cols` as
 * given by {@linkcode matrixShape}), validating it in the same pass as {@linkcode checkMatrix}
 * does (same errors; plain loops, no per-row allocation). On an error `dst` may be partly
 * written.
 *
 * @example
 * ```ts
 * import { copyRowsInto } from "./cost.ts";
 * const dst = new Float64Array(5);
 * copyRowsInto([[1, 2], [3, 4]], dst, 1); // dst = [0, 1, 2, 3, 4]
 * ```
 */
export function copyRowsInto(
  rows: readonly (readonly number[])[],
  dst: Float64Array,
  at: number,
  options: CheckMatrixOptions = {},
): void {
  const name = options.name ?? "matrix";
  const finite = options.finite ?? true;
  const { rows: M, cols: N } = matrixShape(rows, options);
  if (at < 0 || at + M * N > dst.length) {
    throw new RangeError(`copyRowsInto: ${M} x ${N} values do not fit at ${at} in ${dst.length}`);
  }
  for (let r = 0; r < M; r++) {
    const row = rows[r];
    if (!Array.isArray(row) || row.length !== N) checkMatrix(rows, options);
    const o = at + r * N;
    // `v - v !== 0` is true exactly for NaN and ±Infinity, and costs less than
    // Number.isFinite here (1 ns per cell instead of 3 at 1024 x 1024); the error is worded
    // by badEntry, off the hot path.
    let c = 0;
    if (finite) {
      for (; c < N; c++) {
        const v = row[c];
        if (typeof v !== "number" || v - v !== 0) break;
        dst[o + c] = v;
      }
    } else {
      for (; c < N; c++) {
        const v = row[c];
        if (typeof v !== "number") break;
        dst[o + c] = v;
      }
    }
    if (c < N) badEntry(name, r, c, row[c]);
  }
}

/** Throws the error for a non-number (TypeError) or non-finite (RangeError) matrix entry. */
function badEntry(name: string, r: number, c: number, v: unknown): never {
  if (typeof v !== "number") {
    throw new TypeError(`${name}[${r}][${c}] must be a number, got ${typeof v}`);
  }
  throw new RangeError(`${name}[${r}][${c}] is ${v}; all entries must be finite`);
}

/**
 * Converts a {@linkcode Matrix64} back to rows of numbers.
 *
 * @example
 * ```ts
 * import { fromMatrix64 } from "./cost.ts";
 * fromMatrix64({ data: new Float64Array([1, 2, 3, 4]), rows: 2, cols: 2 }); // [[1, 2], [3, 4]]
 * ```
 */
export function fromMatrix64(matrix: Matrix64): number[][] {
  return rowsFrom(matrix.data, 0, matrix.rows, matrix.cols);
}

/**
 * Rows of numbers read from `rows x cols` row-major values of `src` starting at index `at`
 * (one copy, plain loops: about 1 ns per cell; `Array.from` of a subarray per row costs ~30).
 *
 * @example
 * ```ts
 * import { rowsFrom } from "./cost.ts";
 * rowsFrom(new Float64Array([9, 1, 2, 3, 4]), 1, 2, 2); // [[1, 2], [3, 4]]
 * ```
 */
export function rowsFrom(src: Float64Array, at: number, rows: number, cols: number): number[][] {
  const out: number[][] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    const row: number[] = new Array(cols);
    const o = at + r * cols;
    for (let c = 0; c < cols; c++) row[c] = src[o + c];
    out[r] = row;
  }
  return out;
}

/**
 * Turns a one-dimensional series into a feature sequence with feature size 1
 * (`[1, 2, 3]` becomes `[[1], [2], [3]]`), as tslearn treats 1-D time series.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { asSequence } from "./cost.ts";
 * asSequence([1, 2]); // [[1], [2]]
 * ```
 */
export function asSequence(series: readonly number[]): number[][] {
  return series.map((v) => [v]);
}

/**
 * Squared Euclidean cost between two feature sequences of the same feature size, in the
 * typed form: `C(m, n) = sum_k (x[m][k] - y[n][k])^2`, an `M x N` {@linkcode Matrix64}.
 *
 * @example
 * ```ts
 * import { squaredEuclideanCost64 } from "./cost.ts";
 * const x = { data: new Float64Array([0, 1, 1, 0]), rows: 2, cols: 2 };
 * const y = { data: new Float64Array([0, 1]), rows: 1, cols: 2 };
 * squaredEuclideanCost64(x, y).data; // Float64Array [0, 2]
 * ```
 */
export function squaredEuclideanCost64(x: Matrix64, y: Matrix64): Matrix64 {
  checkMatrix64(x, { name: "x" });
  checkMatrix64(y, { name: "y" });
  if (x.cols !== y.cols) {
    throw new TypeError(
      `feature sizes differ: x has ${x.cols} features per frame but y has ${y.cols}`,
    );
  }
  const M = x.rows, N = y.rows, K = x.cols;
  const out = new Float64Array(M * N);
  const xd = x.data, yd = y.data;
  for (let m = 0; m < M; m++) {
    const xo = m * K;
    for (let n = 0; n < N; n++) {
      const yo = n * K;
      let s = 0;
      for (let k = 0; k < K; k++) {
        const d = xd[xo + k] - yd[yo + k];
        s += d * d;
      }
      out[m * N + n] = s;
    }
  }
  return { data: out, rows: M, cols: N };
}

/**
 * Squared Euclidean cost between two feature sequences (rows are frames) of the same feature
 * size: `C[m][n] = ||x[m] - y[n]||^2`. Throws if a sequence is empty or ragged, the feature
 * sizes differ, or a value is not finite.
 *
 * Used in notebooks/01_dtw_vs_soft_dtw.ipynb and notebooks/02_gradient_expected_alignment.ipynb.
 *
 * @example
 * ```ts
 * import { squaredEuclideanCost } from "./cost.ts";
 * squaredEuclideanCost([[1], [2]], [[1], [3]]); // [[0, 4], [1, 1]]
 * ```
 */
export function squaredEuclideanCost(
  x: readonly (readonly number[])[],
  y: readonly (readonly number[])[],
): number[][] {
  return fromMatrix64(
    squaredEuclideanCost64(toMatrix64(x, { name: "x" }), toMatrix64(y, { name: "y" })),
  );
}

/**
 * Cost matrix from any local cost function: `C[m][n] = cost(x[m], y[n])`. The sequences are
 * validated as in {@linkcode squaredEuclideanCost}, and every value the function returns must
 * be a finite number (otherwise a `RangeError` names the cell and the value).
 *
 * @example
 * ```ts
 * import { costMatrix } from "./cost.ts";
 * const manhattan = (a: number[], b: number[]) => a.reduce((s, v, k) => s + Math.abs(v - b[k]), 0);
 * costMatrix([[0, 0]], [[1, 2], [0, 1]], manhattan); // [[3, 1]]
 * ```
 */
export function costMatrix(
  x: readonly (readonly number[])[],
  y: readonly (readonly number[])[],
  cost: LocalCost,
): number[][] {
  const sx = checkMatrix(x, { name: "x" });
  const sy = checkMatrix(y, { name: "y" });
  if (sx.cols !== sy.cols) {
    throw new TypeError(
      `feature sizes differ: x has ${sx.cols} features per frame but y has ${sy.cols}`,
    );
  }
  if (typeof cost !== "function") throw new TypeError("cost must be a function (x, y) => number");
  const out: number[][] = [];
  for (let m = 0; m < sx.rows; m++) {
    const row: number[] = [];
    for (let n = 0; n < sy.rows; n++) {
      const v = cost([...x[m]], [...y[n]]);
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new RangeError(`cost(x[${m}], y[${n}]) returned ${v}; it must be a finite number`);
      }
      row.push(v);
    }
    out.push(row);
  }
  return out;
}
