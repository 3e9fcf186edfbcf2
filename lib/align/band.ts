/**
 * Bands (global constraints) for soft-DTW: which cells of an `M x N` cost matrix a warping path
 * may visit.
 *
 * A band is stored as one inclusive column range `[lo[m], hi[m]]` per row ({@linkcode BandLimits}).
 * The DP kernels of `weighted.ts` visit only these cells, so time and weight memory are
 * proportional to the band's area.
 *
 * {@linkcode sakoeChibaBand} is the Sakoe–Chiba band around the straight line from the first
 * cell `(0, 0)` to the last cell `(M-1, N-1)`, correct for `N ≠ M`: radius 0 is the digital
 * straight line (the cells whose interior the line crosses, measured along the longer side), and
 * radius `r` adds `r` cells on each side along the longer side. Every radius `r >= 0` admits a
 * path. For `M = N` it is the classic band `|m - n| <= r`.
 *
 * {@linkcode mainDiagonalBand} is the band `|m - n| <= r` around the main diagonal as several
 * implementations use it also for `N ≠ M`; there the last cell lies outside the band unless
 * `r >= |N - M|`, and this function says so instead of returning a band without a path.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { bandArea, sakoeChibaBand } from "./band.ts";
 * const band = sakoeChibaBand(150, 16, { radius: 2 });
 * bandArea(band); // far fewer than 150 * 16 cells
 * ```
 *
 * @module
 */
import { checkPositiveIntegers } from "./_checks.ts";

/** A band: inclusive column range `[lo[m], hi[m]]` of each row `m` (both non-decreasing). */
export interface BandLimits {
  /** First column of each row's band. */
  lo: Int32Array;
  /** Last column of each row's band (inclusive). */
  hi: Int32Array;
}

function checkSize(rows: number, cols: number, where: string): void {
  checkPositiveIntegers({ rows, cols }, { where });
}

/**
 * Checks a band radius: a non-negative integer (cells on each side of the line). Throws a
 * `RangeError` naming the value otherwise.
 *
 * @example
 * ```ts
 * import { checkBandRadius } from "./band.ts";
 * checkBandRadius(3); // ok
 * ```
 */
export function checkBandRadius(radius: number, name = "band"): void {
  if (typeof radius !== "number" || !Number.isInteger(radius) || radius < 0) {
    throw new RangeError(
      `${name} must be a non-negative integer radius (cells on each side of the line), got ${radius}`,
    );
  }
}

const floorDiv = (a: number, b: number) => Math.floor(a / b);
const ceilDiv = (a: number, b: number) => Math.ceil(a / b);

/** Per-row ranges of the band around the line for a "wide" problem (cols >= rows >= 2). */
function wideLimits(M: number, N: number, r: number): BandLimits {
  const A = M - 1, Bn = N - 1;
  const lo = new Int32Array(M), hi = new Int32Array(M);
  for (let i = 0; i < M; i++) {
    // The line crosses the interior of the columns in ((i-½)s - ½, (i+½)s + ½), s = Bn / A.
    const l = floorDiv((2 * i - 1) * Bn - A, 2 * A) + 1 - r;
    const h = ceilDiv((2 * i + 1) * Bn + A, 2 * A) - 1 + r;
    lo[i] = Math.max(0, l);
    hi[i] = Math.min(N - 1, h);
  }
  return { lo, hi };
}

/**
 * The Sakoe–Chiba band of radius `r` around the straight line from the first cell `(0, 0)` to
 * the last cell `(rows-1, cols-1)`, correct for any `rows ≠ cols`. The distance is measured
 * along the longer side: for `cols >= rows`, row `m` holds the columns whose interior the line
 * crosses within row `m`, widened by `r` columns on each side; for `rows > cols` the same holds
 * with rows and columns exchanged. Radius 0 is the digital straight line; every radius admits a
 * warping path; for a square matrix the band is `|m - n| <= r`. Throws a `RangeError` for bad
 * sizes or a radius that is not a non-negative integer.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { sakoeChibaBand } from "./band.ts";
 * const { lo, hi } = sakoeChibaBand(4, 4, { radius: 1 }); // lo = [0,0,1,2], hi = [1,2,3,3]
 * ```
 */
export function sakoeChibaBand(
  rows: number,
  cols: number,
  options: { radius: number },
): BandLimits {
  checkSize(rows, cols, "sakoeChibaBand");
  if (options === null || typeof options !== "object") {
    throw new TypeError("sakoeChibaBand: options { radius } required");
  }
  const r = options.radius;
  checkBandRadius(r, "sakoeChibaBand: radius");
  const M = rows, N = cols;
  if (M === 1) return { lo: new Int32Array(1), hi: Int32Array.of(N - 1) };
  if (N === 1) return { lo: new Int32Array(M), hi: new Int32Array(M) };
  if (N >= M) return wideLimits(M, N, r);
  // Tall: the band of the transposed problem gives each column's row range; convert.
  const t = wideLimits(N, M, r);
  const lo = new Int32Array(M), hi = new Int32Array(M);
  let first = 0, last = 0;
  for (let i = 0; i < M; i++) {
    while (t.hi[first] < i) first++; // first column whose row range reaches row i
    while (last + 1 < N && t.lo[last + 1] <= i) last++; // last column starting at or before i
    lo[i] = first;
    hi[i] = last;
  }
  return { lo, hi };
}

/**
 * The band `|m - n| <= r` around the main diagonal (as several soft-DTW implementations define
 * it). For `rows ≠ cols` it contains the last cell only if `r >= |rows - cols|`; a narrower
 * radius throws a `RangeError` saying so (use {@linkcode sakoeChibaBand}, which follows the line
 * from the first to the last cell).
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { mainDiagonalBand } from "./band.ts";
 * mainDiagonalBand(5, 3, { radius: 2 }); // ok: 2 >= |5 - 3|
 * // mainDiagonalBand(5, 3, { radius: 1 }) throws: narrower than |N - M| = 2 allows
 * ```
 */
export function mainDiagonalBand(
  rows: number,
  cols: number,
  options: { radius: number },
): BandLimits {
  checkSize(rows, cols, "mainDiagonalBand");
  if (options === null || typeof options !== "object") {
    throw new TypeError("mainDiagonalBand: options { radius } required");
  }
  const r = options.radius;
  checkBandRadius(r, "mainDiagonalBand: radius");
  const d = Math.abs(rows - cols);
  if (r < d) {
    throw new RangeError(
      `mainDiagonalBand: radius ${r} is narrower than |N - M| = ${d} allows for a ${rows} x ${cols} ` +
        `cost matrix: the last cell (${rows - 1}, ${
          cols - 1
        }) lies outside the band |m - n| <= ${r}, ` +
        `so no warping path fits (use a radius >= ${d}, or sakoeChibaBand, which follows the line ` +
        `from the first to the last cell)`,
    );
  }
  const lo = new Int32Array(rows), hi = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    lo[i] = Math.max(0, i - r);
    hi[i] = Math.min(cols - 1, i + r);
  }
  return { lo, hi };
}

/**
 * Checks that a band fits an `rows x cols` cost matrix and admits a warping path: integer
 * ranges inside the matrix, `lo[0] = 0`, `hi[rows-1] = cols-1`, both bounds non-decreasing, and
 * each row's range reaching the next one (`lo[m+1] <= hi[m] + 1`). Throws a `RangeError`
 * saying which condition fails where (a `TypeError` for a malformed object).
 *
 * @example
 * ```ts
 * import { checkBandLimits } from "./band.ts";
 * checkBandLimits({ lo: Int32Array.of(0, 0), hi: Int32Array.of(0, 1) }, 2, 2); // ok
 * ```
 */
export function checkBandLimits(band: BandLimits, rows: number, cols: number): void {
  checkSize(rows, cols, "band");
  if (
    band === null || typeof band !== "object" || !(band.lo instanceof Int32Array) ||
    !(band.hi instanceof Int32Array)
  ) {
    throw new TypeError("band must be { lo: Int32Array, hi: Int32Array } (one range per row)");
  }
  const { lo, hi } = band;
  if (lo.length < rows || hi.length < rows) {
    throw new RangeError(
      `band has ${Math.min(lo.length, hi.length)} rows, the cost matrix has ${rows}`,
    );
  }
  for (let i = 0; i < rows; i++) {
    if (lo[i] < 0 || hi[i] >= cols || lo[i] > hi[i]) {
      throw new RangeError(
        `band row ${i} is [${lo[i]}, ${hi[i]}]; it must be a non-empty range inside [0, ${
          cols - 1
        }]`,
      );
    }
    if (i > 0 && (lo[i] < lo[i - 1] || hi[i] < hi[i - 1])) {
      throw new RangeError(
        `band row ${i} [${lo[i]}, ${hi[i]}] moves backwards from row ${i - 1} [${lo[i - 1]}, ${
          hi[i - 1]
        }]; both bounds must be non-decreasing`,
      );
    }
    if (i > 0 && lo[i] > hi[i - 1] + 1) {
      throw new RangeError(
        `no warping path fits in the band: row ${i - 1} ends at column ${
          hi[i - 1]
        } but row ${i} starts at column ${lo[i]}`,
      );
    }
  }
  if (lo[0] !== 0) {
    throw new RangeError(`band excludes the first cell (0, 0): row 0 starts at column ${lo[0]}`);
  }
  if (hi[rows - 1] !== cols - 1) {
    throw new RangeError(
      `band excludes the last cell (${rows - 1}, ${cols - 1}): row ${rows - 1} ends at column ${
        hi[rows - 1]
      }`,
    );
  }
}

/**
 * Number of cells in the first `rows` rows of a band.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { bandArea, sakoeChibaBand } from "./band.ts";
 * bandArea(sakoeChibaBand(3, 3, { radius: 0 })); // 3
 * ```
 */
export function bandArea(band: BandLimits, rows: number = band.lo.length): number {
  let s = 0;
  for (let i = 0; i < rows; i++) s += band.hi[i] - band.lo[i] + 1;
  return s;
}

/**
 * The band as a 0/1 matrix (`rows x cols`), for plots and tests.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { bandMask, sakoeChibaBand } from "./band.ts";
 * bandMask(sakoeChibaBand(2, 3, { radius: 0 }), 3); // [[1, 1, 0], [0, 1, 1]]
 * ```
 */
export function bandMask(band: BandLimits, cols: number): number[][] {
  return Array.from(band.lo, (l, i) => {
    const row = new Array<number>(cols).fill(0);
    for (let j = l; j <= band.hi[i]; j++) row[j] = 1;
    return row;
  });
}
