/**
 * The WebAssembly SIMD soft-DTW kernel: forward + backward with the results of the TypeScript
 * kernel `softDtwKernel` of `_soft_dtw_kernel.ts` (up to a few ulp), about four times faster. The
 * soft-DTW functions of `soft_dtw.ts` and `weighted.ts` (and through them the tfjs loss and the
 * float64 trainer) use it automatically when WebAssembly is available; their option
 * `kernel: "auto" | "wasm" | "ts"` (`SoftDtwKernelChoice` of `options.ts`) selects it, and
 * {@linkcode setDefaultSoftDtwKernel} changes the default. The TypeScript kernel stays the
 * readable reference (notebook 02 shows it) and the fallback: when WebAssembly SIMD is not
 * available, or a problem does not fit in the 4 GiB of wasm32 memory, the TypeScript kernel runs.
 *
 * The C source is `lib/align/wasm/soft_dtw.c`; its header explains the layout (strips of 4 rows
 * on anti-diagonals in f64x2 vectors; the forward pass on the partition function
 * `exp(-D/γ)` held as mantissa and binary exponent, one exponential and no logarithm per cell
 * (three exponentials with step weights);
 * exp and log by range reduction and polynomials accurate to an ulp). `tools/build_wasm.ts`
 * rebuilds the binary, which `wasm/kernel_wasm.ts` embeds in base64, so this module needs no
 * file access and bundles for browsers.
 *
 * Memory per DP cell inside the wasm memory: 8 bytes of cost (overwritten by the gradient) and
 * 16 bytes of softmin weights (two of the three; the third is 1 minus the others) — 24 bytes,
 * plus the caller's cost and gradient arrays (16 bytes): 40 bytes per cell, as the TypeScript
 * kernel, and 32 bytes per element of the longer side (rows). The wasm memory grows to the
 * largest problem seen and is reused (WebAssembly memory never shrinks).
 *
 * In a browser's main thread the module is compiled asynchronously (browsers refuse to compile
 * large modules synchronously there): {@linkcode wasmAvailable} is false until
 * {@linkcode wasmReady} resolves, and the TypeScript kernel runs until then.
 *
 * @example
 * ```ts
 * import { wasmAvailable, wasmSoftDtwKernel } from "./_soft_dtw_wasm.ts";
 * const grad = new Float64Array(4);
 * const value = wasmSoftDtwKernel({
 *   cost: [0, 1, 1, 0], costOffset: 0, costStride: 2, rows: 2, cols: 2, gamma: 1,
 *   grad, gradOffset: 0, gradStride: 2,
 * }); // null when the kernel is not available
 * console.log(wasmAvailable(), value, grad);
 * ```
 *
 * @module
 */
import type { KernelBlock } from "./cost.ts";
import type { SoftDtwKernelChoice } from "./options.ts";
import type { StepWeights } from "./options.ts";
import { KERNEL_WASM_BASE64 } from "./wasm/kernel_wasm.ts";
import { growWasmMemory } from "../_wasm_memory.ts";

interface KernelExports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  graph_soft(
    C: number,
    rows: number,
    cols: number,
    S: number,
    di: number,
    dj: number,
    W: number,
    local: number,
    ns: number,
    st: number,
    sw: number,
    ne: number,
    ec: number,
    ew: number,
    gamma: number,
    D: number,
    E: number,
    T: number,
    G: number,
    mode: number,
  ): number;
  graph_last_log_domain(): number;
  sdtw(
    C: number,
    sm: number,
    sn: number,
    W: number,
    R: number,
    M: number,
    N: number,
    gamma: number,
    withGrad: number,
  ): number;
  sdtw_weighted(
    C: number,
    sm: number,
    sn: number,
    W: number,
    R: number,
    M: number,
    N: number,
    gamma: number,
    withGrad: number,
    wr: number,
    wc: number,
    wd: number,
    occ: number,
  ): number;
  sdtw_batch(
    C: number,
    B: number,
    maxRows: number,
    maxCols: number,
    rl: number,
    cl: number,
    gamma: number,
    withGrad: number,
    W: number,
    R: number,
    values: number,
  ): void;
  vexp_array(x: number, n: number): void;
  last_log_domain(): number;
  vlog_array(x: number, n: number): void;
}

/** Rows per strip of the C kernel (its K); sizes the row scratch. */
const STRIP = 4;
const WARM_UP_CALLS = 4;
let maxBytes = 4 * 1024 * 1024 * 1024;

let kernel: KernelExports | null = null;

function decodeBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

/** The compiled kernel module (posted to the Workers of `softDtwBatchParallel64`). */
let compiled: WebAssembly.Module | null = null;

function instantiateSync(bytes: Uint8Array): KernelExports | null {
  try {
    const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    const exports = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
    compiled = module;
    return exports;
  } catch {
    return null;
  }
}

/**
 * Runs each entry point a few times on a small problem (about a millisecond), so that the
 * engine compiles them with its optimizing tier now rather than running the first large
 * problem in its baseline tier (WebAssembly functions tier up between calls, not within one).
 */
function warmUp(k: KernelExports): void {
  const M = 16, N = 96, B = 2;
  const cost = heapBase(k);
  const weights = align16(cost + 8 * B * M * N);
  const rows = align16(weights + 16 * M * N);
  const ints = align16(rows + 8 * scratchDoubles(N));
  const values = align16(ints + 8 * B);
  if (!reserve(k, values + 8 * B)) return;
  const heap = new Float64Array(k.memory.buffer);
  const i32 = new Int32Array(k.memory.buffer, ints, 2 * B);
  i32.set([M, M - 3, N, N - 5]);
  for (let r = 0; r < WARM_UP_CALLS; r++) {
    for (let i = 0; i < B * M * N; i++) heap[cost / 8 + i] = (i * 7919) % 13 / 7;
    k.sdtw(cost, N, 1, weights, rows, M, N, 0.5, 1);
    k.sdtw_weighted(cost, N, 1, weights, rows, M, N, 0.5, 1, 1, 1, 2, 0);
    k.sdtw_batch(cost, B, M, N, ints, ints + 4 * B, 0.5, 1, weights, rows, values);
  }
}

/**
 * Resolves to true once the kernel is compiled and instantiated (immediately in Deno and in
 * workers), to false when WebAssembly SIMD is not available.
 *
 * @example
 * ```ts
 * import { wasmReady } from "./_soft_dtw_wasm.ts";
 * console.log(await wasmReady);
 * ```
 */
export const wasmReady: Promise<boolean> = (() => {
  if (typeof WebAssembly !== "object") return Promise.resolve(false);
  const bytes = decodeBase64(KERNEL_WASM_BASE64);
  kernel = instantiateSync(bytes);
  if (kernel !== null) {
    warmUp(kernel);
    return Promise.resolve(true);
  }
  return WebAssembly.instantiate(bytes as Uint8Array<ArrayBuffer>, {}).then(
    (r) => {
      kernel = r.instance.exports as unknown as KernelExports;
      compiled = r.module;
      warmUp(kernel);
      return true;
    },
    () => false,
  );
})();

/**
 * Whether the WebAssembly kernel is loaded (WebAssembly with SIMD128 available and compiled).
 *
 * @example
 * ```ts
 * import { wasmAvailable } from "./_soft_dtw_wasm.ts";
 * console.log(wasmAvailable() ? "wasm" : "typescript");
 * ```
 */
export function wasmAvailable(): boolean {
  return kernel !== null;
}

/**
 * The compiled kernel module, or null while it is not loaded: a `WebAssembly.Module` can be
 * posted to a Worker, which then instantiates it with {@linkcode installWasmModule} instead of
 * compiling the kernel again (the Workers of `softDtwBatchParallel64`).
 *
 * @example
 * ```ts
 * import { wasmKernelModule } from "./_soft_dtw_wasm.ts";
 * const module = wasmKernelModule(); // post it to a Worker
 * ```
 */
export function wasmKernelModule(): WebAssembly.Module | null {
  return compiled;
}

/**
 * Makes this thread's kernel an instance of `module` (the kernel module posted by the main
 * thread, see {@linkcode wasmKernelModule}), warmed up; returns false, keeping the kernel as it
 * was, when `module` cannot be instantiated as the kernel.
 *
 * @example
 * ```ts
 * import { installWasmModule, wasmKernelModule } from "./_soft_dtw_wasm.ts";
 * const module = wasmKernelModule();
 * if (module !== null) installWasmModule(module); // true
 * ```
 */
export function installWasmModule(module: WebAssembly.Module): boolean {
  try {
    const k = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
    if (typeof k.sdtw !== "function" || !(k.memory instanceof WebAssembly.Memory)) return false;
    warmUp(k);
    kernel = k;
    compiled = module;
    return true;
  } catch {
    return false;
  }
}

/** Doubles of row scratch for a strip length N (4 (N + 2K + 2) in the C source). */
function scratchDoubles(N: number): number {
  return 4 * (N + 2 * STRIP + 2);
}

function align16(x: number): number {
  return Math.ceil(x / 16) * 16;
}

/** Grows the wasm memory to `bytes`; false when that is not possible (over `maxBytes`). */
function reserve(k: KernelExports, bytes: number): boolean {
  return growWasmMemory(k.memory, bytes, maxBytes);
}

function heapBase(k: KernelExports): number {
  return align16(k.__heap_base.value as number);
}

/** Byte layout for one problem: cost/grad, weights, rows. */
function layoutPair(k: KernelExports, M: number, N: number) {
  const cost = heapBase(k);
  const weights = align16(cost + 8 * M * N);
  const rows = align16(weights + 16 * M * N);
  const end = rows + 8 * scratchDoubles(Math.max(M, N));
  return { cost, weights, rows, end };
}

function copyIn(
  heap: Float64Array,
  at: number,
  src: ArrayLike<number>,
  offset: number,
  stride: number,
  M: number,
  N: number,
): void {
  if (src instanceof Float64Array) {
    if (stride === N) {
      heap.set(src.subarray(offset, offset + M * N), at);
    } else {
      for (let m = 0; m < M; m++) {
        heap.set(src.subarray(offset + m * stride, offset + m * stride + N), at + m * N);
      }
    }
    return;
  }
  for (let m = 0; m < M; m++) {
    const o = offset + m * stride, d = at + m * N;
    for (let n = 0; n < N; n++) heap[d + n] = src[o + n];
  }
}

/** Arguments of {@linkcode wasmSoftDtwKernel}: an `rows x cols` block inside larger arrays. */
export interface WasmKernelArgs extends KernelBlock {
  /** Temperature γ (validated by the caller). */
  gamma: number;
  /**
   * Equal step weight w of every step (default 1): the kernel runs on `w · cost` and the
   * gradient is `w E` (the family's uniform step weights).
   */
  stepWeight?: number;
  /** Output for the occupancy `E` (same layout as `grad`), or null. */
  occupancy?: Float64Array | null;
}

/**
 * Plain soft-DTW (or soft-DTW with equal step weights) on the wasm kernel, without validation:
 * writes the gradient into `grad` (and `E` into `occupancy`) and returns the value; returns
 * null, touching nothing, when the kernel is not available or the problem does not fit in the
 * memory limit (the caller then runs the TypeScript kernel). A non-finite value (overflow) is
 * returned as is, with the outputs untouched, for the caller to report.
 *
 * Used by `softDtwKernel` of `_soft_dtw_kernel.ts` (notebooks/02_gradient_expected_alignment.ipynb).
 *
 * @example
 * ```ts
 * import { wasmSoftDtwKernel } from "./_soft_dtw_wasm.ts";
 * const value = wasmSoftDtwKernel({
 *   cost: new Float64Array([0, 1, 1, 0]), costOffset: 0, costStride: 2, rows: 2, cols: 2,
 *   gamma: 0.1, grad: null, gradOffset: 0, gradStride: 2,
 * });
 * ```
 */
export function wasmSoftDtwKernel(args: WasmKernelArgs): number | null {
  const k = kernel;
  const { rows: M, cols: N } = args;
  if (k === null) return null;
  const lay = layoutPair(k, M, N);
  if (!reserve(k, lay.end)) return null;
  const heap = new Float64Array(k.memory.buffer);
  const at = lay.cost / 8;
  const w = args.stepWeight ?? 1;
  copyIn(heap, at, args.cost, args.costOffset, args.costStride, M, N);
  if (w !== 1) { for (let i = at; i < at + M * N; i++) heap[i] *= w; }
  const G = args.grad, occ = args.occupancy ?? null;
  // The strips run along the longer side: a tall block is passed transposed (swapped strides).
  const wg = G === null && occ === null ? 0 : 1;
  const value = M > N
    ? k.sdtw(lay.cost, 1, N, lay.weights, lay.rows, N, M, args.gamma, wg)
    : k.sdtw(lay.cost, N, 1, lay.weights, lay.rows, M, N, args.gamma, wg);
  if (!Number.isFinite(value) || wg === 0) return value;
  if (occ !== null) copyOut(heap, at, occ, args.gradOffset, args.gradStride, M, N);
  if (G !== null) {
    if (w !== 1) { for (let i = at; i < at + M * N; i++) heap[i] *= w; }
    copyOut(heap, at, G, args.gradOffset, args.gradStride, M, N);
  }
  return value;
}

/** Arguments of {@linkcode wasmSoftDtwFilled}. */
export interface WasmFilledArgs {
  /** Rows M. */
  rows: number;
  /** Columns N. */
  cols: number;
  /** Temperature γ (validated by the caller). */
  gamma: number;
  /** Whether to compute the gradient. */
  withGrad: boolean;
  /**
   * Writes the `M x N` cost, row-major, into `heap` from index `at` (the kernel's own input
   * memory, no intermediate array); it may throw (e.g. for an invalid cost), and the kernel
   * then does not run.
   */
  fill: (heap: Float64Array, at: number) => void;
}

/**
 * Plain soft-DTW on the wasm kernel with the cost written straight into the kernel's memory by
 * `args.fill`: for callers holding the cost in another form than a flat array (the `number[][]`
 * entry points of `soft_dtw.ts` copy and validate their rows in one pass), so that the input is
 * copied once. Returns the value and, with `withGrad`, where the gradient lies: `M x N`
 * row-major in `heap` from index `at`, to be read before any other kernel call (the memory is
 * reused). Returns null, without calling `fill`, when the kernel is not available or the
 * problem does not fit (then run the TypeScript kernel). A non-finite value (overflow) is
 * returned as is, for the caller to report. Memory: the kernel's 24 bytes per cell only.
 *
 * Used by `rowsOnWasm` of `_soft_dtw_kernel.ts` (for `softDtwValueAndGrad`, `softDtw`, `softDtwBatch`)
 * (notebooks/02_gradient_expected_alignment.ipynb).
 *
 * @example
 * ```ts
 * import { wasmSoftDtwFilled } from "./_soft_dtw_wasm.ts";
 * const r = wasmSoftDtwFilled({
 *   rows: 2, cols: 2, gamma: 1, withGrad: true,
 *   fill: (heap, at) => heap.set([0, 1, 1, 0], at),
 * });
 * if (r !== null) console.log(r.value, r.heap.slice(r.at, r.at + 4));
 * ```
 */
export function wasmSoftDtwFilled(
  args: WasmFilledArgs,
): { value: number; heap: Float64Array; at: number } | null {
  const k = kernel;
  const { rows: M, cols: N } = args;
  if (k === null) return null;
  const lay = layoutPair(k, M, N);
  if (!reserve(k, lay.end)) return null;
  const heap = new Float64Array(k.memory.buffer);
  const at = lay.cost / 8;
  args.fill(heap, at);
  const wg = args.withGrad ? 1 : 0;
  // The strips run along the longer side: a tall block is passed transposed (swapped strides).
  const value = M > N
    ? k.sdtw(lay.cost, 1, N, lay.weights, lay.rows, N, M, args.gamma, wg)
    : k.sdtw(lay.cost, N, 1, lay.weights, lay.rows, M, N, args.gamma, wg);
  return { value, heap, at };
}

let defaultChoice: SoftDtwKernelChoice = "auto";

function checkChoice(choice: unknown): SoftDtwKernelChoice {
  if (choice !== "auto" && choice !== "wasm" && choice !== "ts") {
    throw new RangeError(`kernel must be "auto", "wasm" or "ts", got ${String(choice)}`);
  }
  return choice;
}

/**
 * Sets the kernel the soft-DTW functions use when their options name none (initially
 * `"auto"`) and returns the previous default. For comparisons and for running a test suite on
 * the TypeScript kernel.
 *
 * @example
 * ```ts
 * import { setDefaultSoftDtwKernel } from "./_soft_dtw_wasm.ts";
 * const old = setDefaultSoftDtwKernel("ts");
 * setDefaultSoftDtwKernel(old);
 * ```
 */
export function setDefaultSoftDtwKernel(choice: SoftDtwKernelChoice): SoftDtwKernelChoice {
  const old = defaultChoice;
  defaultChoice = checkChoice(choice);
  return old;
}

/**
 * Whether a soft-DTW function with option `kernel` should run the wasm kernel for a problem of
 * `cells` DP cells whose longer side is `side`: validates the option (a `RangeError` for an
 * unknown name) and throws an `Error` when `"wasm"` is asked for but cannot run.
 *
 * Used by `soft_dtw.ts` and `weighted.ts` (notebooks/02_gradient_expected_alignment.ipynb).
 *
 * @example
 * ```ts
 * import { useWasmKernel } from "./_soft_dtw_wasm.ts";
 * useWasmKernel(undefined, 150 * 16, 150); // true where WebAssembly SIMD runs
 * useWasmKernel("ts", 150 * 16, 150); // false
 * ```
 */
export function useWasmKernel(
  choice: SoftDtwKernelChoice | undefined,
  cells: number,
  side: number,
): boolean {
  const c = choice === undefined ? defaultChoice : checkChoice(choice);
  if (c === "ts") return false;
  const k = kernel;
  const fits = k !== null &&
    heapBase(k) + 24 * cells + 8 * scratchDoubles(side) + 64 <= maxBytes;
  if (c === "wasm" && !fits) {
    throw new Error(
      k === null
        ? 'kernel "wasm": the WebAssembly kernel is not available here (no WebAssembly SIMD, or not loaded yet: await wasmReady)'
        : `kernel "wasm": ${cells} cells need ${
          24 * cells
        } bytes, over the wasm memory limit (${maxBytes} bytes)`,
    );
  }
  return fits;
}

/**
 * The kernel's vector exp (for x <= 0) and log (for x in [1, 3]) applied to an array, for the
 * accuracy tests of the approximations. Returns null when the kernel is not available.
 *
 * @example
 * ```ts
 * import { wasmMath } from "./_soft_dtw_wasm.ts";
 * wasmMath("exp", new Float64Array([0, -1])); // [1, 0.36787944117144233]
 * ```
 */
export function wasmMath(fn: "exp" | "log", x: Float64Array): Float64Array | null {
  const k = kernel;
  if (k === null) return null;
  const n = x.length + (x.length & 1);
  const at = heapBase(k);
  if (!reserve(k, at + 8 * n)) return null;
  const heap = new Float64Array(k.memory.buffer, at, n);
  heap.fill(fn === "exp" ? 0 : 1);
  heap.set(x);
  (fn === "exp" ? k.vexp_array : k.vlog_array)(at, n);
  return heap.slice(0, x.length);
}

/**
 * Which forward pass the last plain wasm kernel call used: "z" (the partition function
 * `exp(-D/γ)` as mantissa and binary exponent, the fast pass) or "log" (log-sum-exp, used when
 * `|D|/γ` leaves the float range, e.g. γ = 1e-300); null when the kernel is not loaded. For
 * tests.
 *
 * @example
 * ```ts
 * import { lastForwardDomain } from "./_soft_dtw_wasm.ts";
 * console.log(lastForwardDomain());
 * ```
 */
export function lastForwardDomain(): "z" | "log" | null {
  return kernel === null ? null : kernel.last_log_domain() ? "log" : "z";
}

/**
 * Which form the last {@linkcode wasmGraphSoft} call ran in: "z" (the partition function as
 * mantissa and binary exponent, the fast passes) or "log" (the log-domain passes, used when
 * `(rows + cols + 1)·max|W|·max|C|/γ` may reach 2^50 bits, or for more than 4 steps); null when
 * the kernel is not loaded. For tests.
 *
 * @example
 * ```ts
 * import { lastGraphDomain } from "./_soft_dtw_wasm.ts";
 * console.log(lastGraphDomain());
 * ```
 */
export function lastGraphDomain(): "z" | "log" | null {
  return kernel === null ? null : kernel.graph_last_log_domain() ? "log" : "z";
}

let graphDomain: "auto" | "z" | "log" = "auto";

/**
 * Chooses the form of the general graph kernel for tests: "auto" (the default: the Z domain
 * when it fits and γ is at most the cost scale `max|W|·max|C|`), "z" (the Z domain whenever
 * its exponents fit, whatever γ) or "log"; returns the previous choice.
 *
 * @example
 * ```ts
 * import { setGraphDomain } from "./_soft_dtw_wasm.ts";
 * const before = setGraphDomain("log");
 * setGraphDomain(before);
 * ```
 */
export function setGraphDomain(choice: "auto" | "z" | "log"): "auto" | "z" | "log" {
  const before = graphDomain;
  graphDomain = choice;
  return before;
}

/**
 * Sets the largest wasm memory the kernel may use (default and maximum 4 GiB, the wasm32
 * limit) and returns the previous limit; problems that need more run on the TypeScript kernel.
 * For tests of the fallback.
 *
 * @example
 * ```ts
 * import { setWasmMemoryLimit } from "./_soft_dtw_wasm.ts";
 * const old = setWasmMemoryLimit(1 << 20); // 1 MiB: larger problems use TypeScript
 * setWasmMemoryLimit(old);
 * ```
 */
export function setWasmMemoryLimit(bytes: number): number {
  if (!Number.isFinite(bytes) || bytes < 0) {
    throw new RangeError(`wasm memory limit must be a non-negative number of bytes, got ${bytes}`);
  }
  const old = maxBytes;
  maxBytes = Math.min(bytes, 4 * 1024 * 1024 * 1024);
  return old;
}

/**
 * Whether a single `rows x cols` problem runs on the wasm kernel (it is loaded and the problem
 * fits in the memory limit: 24 bytes per cell plus O(rows + cols)).
 *
 * @example
 * ```ts
 * import { wasmFits } from "./_soft_dtw_wasm.ts";
 * wasmFits(8192, 8192); // true: 1.5 GiB of wasm memory
 * ```
 */
export function wasmFits(rows: number, cols: number): boolean {
  const k = kernel;
  return k !== null && layoutPair(k, rows, cols).end <= maxBytes;
}

/** Step weights `[wRow, wCol, wDiag]`: the {@linkcode StepWeights} of `weighted.ts`. */
export type WasmStepWeights = StepWeights;

/** Arguments of {@linkcode wasmWeightedSoftDtwKernel}. */
export interface WasmWeightedKernelArgs extends KernelBlock {
  /** Temperature γ (validated by the caller). */
  gamma: number;
  /** `[wRow, wCol, wDiag]`, finite and non-negative (validated by the caller). */
  stepWeights: WasmStepWeights;
  /** Output for the occupancy `E` (same layout as `grad`), or null. */
  occupancy?: Float64Array | null;
}

/**
 * Step-weighted soft-DTW on the wasm kernel (no validation): the step weights
 * `[wRow, wCol, wDiag]` multiply the cost of the cell a step enters,
 * `D(m, n) = min^γ{D(m-1, n) + wRow C(m, n), D(m, n-1) + wCol C(m, n),
 * D(m-1, n-1) + wDiag C(m, n)}`, the first cell entered diagonally from `D(-1, -1) = 0`.
 * Writes the gradient `E ⊙ G` (`G` the expected weight of the step entering a cell) and the
 * occupancy `E` when asked; returns the value, or null when the wasm kernel is not available or
 * the problem does not fit (then use the TypeScript kernel). Non-uniform weights run the
 * log-domain pass; equal weights are faster through {@linkcode wasmSoftDtwKernel}.
 *
 * Used by `weightedSoftDtwKernel` of `weighted.ts` (notebooks/06_beyond_soft_dtw.ipynb).
 *
 * @example
 * ```ts
 * import { wasmWeightedSoftDtwKernel } from "./_soft_dtw_wasm.ts";
 * const grad = new Float64Array(4);
 * const value = wasmWeightedSoftDtwKernel({
 *   cost: [0, 1, 1, 0], costOffset: 0, costStride: 2, rows: 2, cols: 2, gamma: 1,
 *   stepWeights: [1, 1, 2], grad, gradOffset: 0, gradStride: 2,
 * });
 * ```
 */
export function wasmWeightedSoftDtwKernel(args: WasmWeightedKernelArgs): number | null {
  const k = kernel;
  const { rows: M, cols: N } = args;
  if (k === null) return null;
  const lay = layoutPair(k, M, N);
  const occ = args.occupancy ?? null;
  const occAt = lay.end;
  const end = occ === null ? lay.end : align16(occAt + 8 * M * N);
  if (!reserve(k, end)) return null;
  const heap = new Float64Array(k.memory.buffer);
  copyIn(heap, lay.cost / 8, args.cost, args.costOffset, args.costStride, M, N);
  const G = args.grad;
  const wg = G === null && occ === null ? 0 : 1;
  const [wr, wc, wd] = args.stepWeights;
  const o = occ === null ? 0 : occAt;
  const value = M > N
    ? k.sdtw_weighted(lay.cost, 1, N, lay.weights, lay.rows, N, M, args.gamma, wg, wc, wr, wd, o)
    : k.sdtw_weighted(lay.cost, N, 1, lay.weights, lay.rows, M, N, args.gamma, wg, wr, wc, wd, o);
  if (!Number.isFinite(value)) return value;
  if (G !== null) copyOut(heap, lay.cost / 8, G, args.gradOffset, args.gradStride, M, N);
  if (occ !== null) copyOut(heap, occAt / 8, occ, args.gradOffset, args.gradStride, M, N);
  return value;
}

function copyOut(
  heap: Float64Array,
  at: number,
  dst: Float64Array,
  offset: number,
  stride: number,
  M: number,
  N: number,
): void {
  if (stride === N) {
    dst.set(heap.subarray(at, at + M * N), offset);
    return;
  }
  for (let m = 0; m < M; m++) {
    dst.set(heap.subarray(at + m * N, at + (m + 1) * N), offset + m * stride);
  }
}

/** Arguments of {@linkcode wasmGraphSoft}: a checked alignment graph with the soft minimum. */
export interface WasmGraphArgs {
  /** The cost, rows × cols, row-major. */
  cost: Float64Array;
  /** Rows. */
  rows: number;
  /** Columns. */
  cols: number;
  /** Row offsets of the steps (fewer than 64 steps). */
  di: Int32Array;
  /** Column offsets of the steps. */
  dj: Int32Array;
  /** Step weights: one per step, or rows × cols × steps when `local`. */
  weights: Float64Array;
  /** Whether `weights` holds one weight per cell and step. */
  local: boolean;
  /** Start weight per cell, NaN where the cell is not a start cell. */
  startWeight: Float64Array;
  /** The end cells (row-major indices). */
  endCells: Int32Array;
  /** The end weight of each end cell. */
  endWeight: Float64Array;
  /** γ (checked by the caller). */
  gamma: number;
  /** Also return the expected alignment E = ∂value/∂D (default false). */
  withE?: boolean;
}

/**
 * The soft-minimum alignment graph on the wasm kernel (`graph_soft` of the C source): the value,
 * the gradient H and, with `withE`, the expected alignment E; null, touching nothing, when the
 * kernel is not available, is not chosen (`setDefaultSoftDtwKernel("ts")`), or the problem does
 * not fit in the memory limit. For 2 and 3 steps the kernel works in the partition-function
 * domain (`exp(−D/γ)` as mantissa and binary exponent, no logarithm per cell) when
 * `(rows + cols + 1)·max|W|·max|C|/γ` stays below 2^50 bits and γ is at most `max|W|·max|C|`,
 * else in the log domain ({@linkcode lastGraphDomain} tells which ran). Memory inside wasm: 24
 * bytes per cell (the cost, overwritten by the gradient; two more per cell: D and E, or the
 * mantissa and exponent), besides per-cell weights (8 S bytes per cell) when given, and a ring
 * of 16 S (4 + max di) bytes per column.
 *
 * Used by `runGraph` of `graph.ts`.
 *
 * @example
 * ```ts
 * import { wasmGraphSoft } from "./_soft_dtw_wasm.ts";
 * const r = wasmGraphSoft({
 *   cost: new Float64Array([0, 1, 1, 0]),
 *   rows: 2,
 *   cols: 2,
 *   di: Int32Array.of(1, 0, 1),
 *   dj: Int32Array.of(0, 1, 1),
 *   weights: Float64Array.of(1, 1, 1),
 *   local: false,
 *   startWeight: Float64Array.of(1, NaN, NaN, NaN),
 *   endCells: Int32Array.of(3),
 *   endWeight: Float64Array.of(0),
 *   gamma: 1,
 * }); // null without WebAssembly; else the soft-DTW value -log(1 + 2/e)
 * ```
 */
export function wasmGraphSoft(
  args: WasmGraphArgs,
): { value: number; H: Float64Array; E?: Float64Array } | null {
  const k = kernel;
  if (k === null || defaultChoice === "ts" || args.di.length >= 64) return null;
  let { di, dj, weights } = args;
  if (!args.local && weights.some((w) => w === Infinity)) {
    // a global weight +∞ removes its step everywhere: the kernel never sees it
    const keep = Array.from(weights.keys()).filter((s) => weights[s] !== Infinity);
    di = Int32Array.from(keep, (s) => di[s]);
    dj = Int32Array.from(keep, (s) => dj[s]);
    weights = Float64Array.from(keep, (s) => weights[s]);
  }
  const S = di.length;
  const n = args.rows * args.cols, ne = args.endCells.length;
  const sw = args.startWeight;
  let ns = 0;
  for (let p = 0; p < n; p++) if (sw[p] === sw[p]) ns++;
  // the Z-domain passes read the end cells in increasing order
  const endOrder = Array.from(args.endCells.keys()).sort((a, b) =>
    args.endCells[a] - args.endCells[b]
  );
  let maxDi = 0;
  for (let s = 0; s < S; s++) maxDi = Math.max(maxDi, di[s]);
  const C = heapBase(k);
  const W = align16(C + 8 * n);
  const swAt = align16(W + 8 * weights.length);
  const ew = align16(swAt + 8 * ns);
  const D = align16(ew + 8 * ne);
  const E = align16(D + 8 * n);
  const T = align16(E + 8 * n);
  const G = align16(T + 16 * ne); // the ring of the Z-domain backward pass
  const diAt = align16(G + 16 * S * (STRIP + maxDi) * args.cols);
  const djAt = align16(diAt + 4 * S);
  const ec = align16(djAt + 4 * S);
  const st = align16(ec + 4 * ne);
  const end = st + 4 * ns;
  if (!reserve(k, end)) return null;
  const heap = new Float64Array(k.memory.buffer);
  const ints = new Int32Array(k.memory.buffer);
  heap.set(args.cost, C / 8);
  heap.set(weights, W / 8);
  for (let p = 0, q = 0; p < n; p++) {
    if (sw[p] === sw[p]) {
      heap[swAt / 8 + q] = sw[p];
      ints[st / 4 + q++] = p;
    }
  }
  endOrder.forEach((e, q) => {
    heap[ew / 8 + q] = args.endWeight[e];
    ints[ec / 4 + q] = args.endCells[e];
  });
  ints.set(di, diAt / 4);
  ints.set(dj, djAt / 4);
  const value = k.graph_soft(
    C,
    args.rows,
    args.cols,
    S,
    diAt,
    djAt,
    W,
    args.local ? 1 : 0,
    ns,
    st,
    swAt,
    ne,
    ec,
    ew,
    args.gamma,
    D,
    E,
    T,
    G,
    graphDomain === "auto" ? 0 : graphDomain === "z" ? 1 : 2,
  );
  const out = new Float64Array(k.memory.buffer);
  // the Z-domain passes leave E in the odd entries of [D, D + 16 n) (z, k per cell, k
  // overwritten by E), the log-domain passes in [E, E + 8 n)
  const expected = !args.withE
    ? undefined
    : k.graph_last_log_domain()
    ? out.slice(E / 8, E / 8 + n)
    : Float64Array.from({ length: n }, (_, p) => out[D / 8 + 2 * p + 1]);
  return {
    value,
    H: out.slice(C / 8, C / 8 + n),
    ...(expected === undefined ? {} : { E: expected }),
  };
}
