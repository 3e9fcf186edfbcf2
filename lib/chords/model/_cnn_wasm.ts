/**
 * The WebAssembly SIMD kernel of the chord CNN (`cnn.ts`): the forward pass from the normalized
 * input X (F × 24, `cnnInputs`) to the log-probabilities and probabilities, and the backward
 * pass to the gradient of every parameter, with the formulas of the TypeScript reference in
 * `cnn.ts` (the scores bit for bit, the log-softmax's exp and log within an ulp, the sums over
 * frames in another order). `cnnModel` runs it by default (its option `kernel`); the
 * TypeScript path stays the readable reference and the fallback when WebAssembly SIMD is not
 * available or a song does not fit in the 4 GiB of wasm32 memory.
 *
 * The C source is `lib/chords/model/wasm/cnn.c` (its header explains the register blocking:
 * 4 channels × 4 frames in f64x2 vectors over an input transposed to channel-major rows with the
 * "same" padding built in). `tools/build_wasm.ts` rebuilds the binary, which `wasm/cnn_wasm.ts`
 * embeds in base64, so this module needs no file access and bundles for browsers.
 *
 * Memory inside wasm, per song of F frames (default shape, H = 16): the parameters, X (24
 * values per frame), Z (16), the log-probabilities, probabilities and upstream gradient (25
 * each), the gradient, and scratch ({@linkcode cnnWorkDoubles}: the transposed input, scores,
 * activations and ∂Z, 81 values per frame), about 1.6 kB per frame: 31 MB for 20 000 frames.
 * The memory grows to the longest song seen and is reused by every call (WebAssembly memory
 * never shrinks). Nothing of a song
 * stays in wasm memory between calls: the forward pass copies out the pre-activations Z with its
 * outputs, and the backward pass copies X, Z, the probabilities and the upstream gradient back
 * in, so a forward pass's backward stays valid after other forward passes (the whole-song
 * trainer runs forward on a minibatch of songs, then backward on each).
 *
 * The module (12 kB) is compiled and instantiated synchronously on first use (a browser's main
 * thread may refuse that; the kernel is then compiled asynchronously and the TypeScript path
 * runs until {@linkcode cnnWasmReady} resolves), then warmed up: each entry point runs a few
 * times on a small song (a few milliseconds), which starts V8's optimizing compilation early;
 * the first long songs may still run partly in V8's baseline tier (a one-off cost of some 10 ms).
 *
 * Used by `cnnModel` of `cnn.ts` (the CNN of notebooks/08_weak_labels_at_scale.ipynb, trained
 * through lib/study/billboard.ts, and of the model files of `recognizer.ts`).
 *
 * @example
 * ```ts
 * import { cnnWasmAvailable, cnnWasmForward } from "./_cnn_wasm.ts";
 * const shape = { hidden: 2, radius: 0, dilation: 1 };
 * const params = new Float64Array(24 * 2 + 2 + 25 * 2 + 25); // 24 T H + H + 25 H + 25 = 125
 * const out = cnnWasmForward(shape, params, new Float64Array(24)); // one frame of silence
 * if (cnnWasmAvailable() && out !== null) out.logProbabilities[0]; // -log 25
 * ```
 *
 * @module
 */
import { CNN_WASM_BASE64 } from "./wasm/cnn_wasm.ts";
import { growWasmMemory } from "../../_wasm_memory.ts";

interface CnnExports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  cnn_work_doubles(F: number, H: number, R: number, d: number): number;
  cnn_forward(
    F: number,
    H: number,
    R: number,
    d: number,
    params: number,
    X: number,
    ZT: number,
    L: number,
    Q: number,
    work: number,
  ): void;
  cnn_backward(
    F: number,
    H: number,
    R: number,
    d: number,
    params: number,
    X: number,
    ZT: number,
    Q: number,
    G: number,
    grad: number,
    work: number,
  ): void;
  cnn_exp_array(x: number, n: number): void;
  cnn_log_array(x: number, n: number): void;
}

/** The shape of a CNN (`CnnArchitecture` of `cnn.ts`, checked by the caller). */
export interface CnnWasmShape {
  /** Channels H. */
  hidden: number;
  /** Taps on each side R. */
  radius: number;
  /** Frames between taps d. */
  dilation: number;
}

/** The outputs of {@linkcode cnnWasmForward}. */
export interface CnnWasmForward {
  /** Log-probabilities, F × 25 row-major. */
  logProbabilities: Float64Array;
  /** Probabilities, F × 25 row-major. */
  probabilities: Float64Array;
  /**
   * The pre-activations in the kernel's layout (channel-major, channels and frames padded to
   * multiples of 4), for {@linkcode cnnWasmBackward}.
   */
  Z: Float64Array;
}

const INPUTS = 24, OUTPUTS = 25;
const MAX_BYTES = 4 * 1024 * 1024 * 1024;
let maxBytes = MAX_BYTES;
const WARM_UP_CALLS = 6;

let kernel: CnnExports | null = null;
let loading: Promise<boolean> | null = null;

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

/** Compiles and instantiates the kernel now if possible; else starts an asynchronous compile. */
function load(): Promise<boolean> {
  if (loading !== null) return loading;
  if (typeof WebAssembly !== "object") return loading = Promise.resolve(false);
  const bytes = decodeBase64(CNN_WASM_BASE64);
  try {
    const module = new WebAssembly.Module(bytes);
    kernel = warmUp(new WebAssembly.Instance(module, {}).exports as unknown as CnnExports);
    return loading = Promise.resolve(true);
  } catch {
    // a browser's main thread, or no SIMD: try asynchronously (fails again without SIMD)
    return loading = WebAssembly.instantiate(bytes, {}).then(
      (r) => {
        kernel = warmUp(r.instance.exports as unknown as CnnExports);
        return true;
      },
      () => false,
    );
  }
}

/**
 * Resolves to true once the kernel is compiled and instantiated (at once in Deno), to false
 * when WebAssembly SIMD is not available. Starts loading it if nothing has yet.
 *
 * @example
 * ```ts
 * import { cnnWasmReady } from "./_cnn_wasm.ts";
 * console.log(await cnnWasmReady());
 * ```
 */
export function cnnWasmReady(): Promise<boolean> {
  return load();
}

/**
 * Whether the kernel is loaded (loading it synchronously on the first call where that works).
 *
 * @example
 * ```ts
 * import { cnnWasmAvailable } from "./_cnn_wasm.ts";
 * console.log(cnnWasmAvailable() ? "wasm" : "typescript");
 * ```
 */
export function cnnWasmAvailable(): boolean {
  load();
  return kernel !== null;
}

function align2(n: number): number {
  return n + (n & 1);
}

/**
 * The doubles of scratch memory the kernel needs for a song of F frames (`cnn_work_doubles` of
 * the C source, computed here in float64 so that no int overflows for songs far too long for
 * wasm memory): the transposed, padded input (24 × (Fp + 2 R d)), the packed weights (Hp × 24
 * T), biases (Hp), output weights (25 × Hp), scores (25 × Fp), activations and ∂Z (Hp × Fp
 * each) and the bias gradient's vectors (2 Hp), with Hp and Fp the channels and frames rounded
 * up to 4.
 *
 * @example
 * ```ts
 * import { cnnWorkDoubles } from "./_cnn_wasm.ts";
 * // 24·2020 + 16·264 + 16 + 400 + 25·2000 + 2·16·2000 + 32 = 167 152
 * cnnWorkDoubles({ hidden: 16, radius: 5, dilation: 2 }, 2000);
 * ```
 */
export function cnnWorkDoubles(shape: CnnWasmShape, F: number): number {
  const { hidden: H, radius: R, dilation: d } = shape;
  const Hp = Math.ceil(H / 4) * 4, Fp = Math.ceil(F / 4) * 4, WL = INPUTS * (2 * R + 1);
  return INPUTS * (Fp + 2 * R * d) + Hp * WL + Hp + OUTPUTS * Hp + OUTPUTS * Fp + 2 * Hp * Fp +
    2 * Hp;
}

/**
 * The doubles of scratch memory the C kernel asks for (`cnn_work_doubles`), for the test that
 * {@linkcode cnnWorkDoubles} mirrors it; null when the kernel is not available.
 *
 * @example
 * ```ts
 * import { cnnKernelWorkDoubles } from "./_cnn_wasm.ts";
 * cnnKernelWorkDoubles({ hidden: 16, radius: 5, dilation: 2 }, 2000); // 167 152
 * ```
 */
export function cnnKernelWorkDoubles(shape: CnnWasmShape, F: number): number | null {
  const k = cnnWasmAvailable() ? kernel! : null;
  return k === null ? null : k.cnn_work_doubles(F, shape.hidden, shape.radius, shape.dilation);
}

/** Byte offsets of one song's arrays in wasm memory (all 16-byte aligned). */
function layout(k: CnnExports, shape: CnnWasmShape, F: number, size: number) {
  const H = shape.hidden;
  const Hp = Math.ceil(H / 4) * 4, Fp = Math.ceil(F / 4) * 4;
  const base = Math.ceil((k.__heap_base.value as number) / 16) * 16;
  const params = base;
  const X = params + 8 * align2(size);
  const Z = X + 8 * F * INPUTS;
  const L = Z + 8 * Hp * Fp;
  const Q = L + 8 * align2(F * OUTPUTS);
  const G = Q + 8 * align2(F * OUTPUTS);
  const grad = G + 8 * align2(F * OUTPUTS);
  const work = grad + 8 * align2(size);
  const end = work + 8 * cnnWorkDoubles(shape, F);
  return { params, X, Z, zLength: Hp * Fp, L, Q, G, grad, work, end };
}

/** Grows the wasm memory to `bytes`; false when that is not possible (over `maxBytes`). */
function reserve(k: CnnExports, bytes: number): boolean {
  return growWasmMemory(k.memory, bytes, maxBytes);
}

function parameterCount(shape: CnnWasmShape): number {
  const H = shape.hidden, T = 2 * shape.radius + 1;
  return H * (INPUTS * T + 1) + OUTPUTS * H + OUTPUTS;
}

/**
 * Whether a song of `frames` frames fits in wasm memory for this shape (and the kernel is
 * loaded).
 *
 * @example
 * ```ts
 * import { cnnWasmFits } from "./_cnn_wasm.ts";
 * cnnWasmFits({ hidden: 16, radius: 5, dilation: 2 }, 20000); // true where wasm SIMD runs
 * ```
 */
export function cnnWasmFits(shape: CnnWasmShape, frames: number): boolean {
  const k = cnnWasmAvailable() ? kernel : null;
  return k !== null && layout(k, shape, frames, parameterCount(shape)).end <= maxBytes;
}

/**
 * Sets the largest wasm memory the kernel may use (default and maximum 4 GiB, the wasm32
 * limit) and returns the previous limit; longer songs run in TypeScript (kernel `"auto"`) or
 * throw (`"wasm"`). For tests of the fallback (memory already grown stays grown).
 *
 * @example
 * ```ts
 * import { setCnnWasmMemoryLimit } from "./_cnn_wasm.ts";
 * const old = setCnnWasmMemoryLimit(1 << 20); // 1 MiB: songs over some 600 frames use TypeScript
 * setCnnWasmMemoryLimit(old);
 * ```
 */
export function setCnnWasmMemoryLimit(bytes: number): number {
  if (!Number.isFinite(bytes) || bytes < 0) {
    throw new RangeError(`wasm memory limit must be a non-negative number of bytes, got ${bytes}`);
  }
  const old = maxBytes;
  maxBytes = Math.min(bytes, MAX_BYTES);
  return old;
}

function run(k: CnnExports, shape: CnnWasmShape, params: Float64Array, X: Float64Array) {
  const F = X.length / INPUTS;
  const lay = layout(k, shape, F, params.length);
  if (!reserve(k, lay.end)) return null;
  const heap = new Float64Array(k.memory.buffer);
  heap.set(params, lay.params / 8);
  heap.set(X, lay.X / 8);
  return { F, lay, heap };
}

/**
 * The forward pass on the kernel, without validation (`params` of the shape's size, `X` the
 * song's normalized input, F × 24): the log-probabilities, probabilities and the
 * pre-activations for {@linkcode cnnWasmBackward}, all copied out of wasm memory. Null when the
 * kernel is not available or the song does not fit in wasm memory (then run the TypeScript
 * path).
 *
 * @example
 * ```ts
 * import { cnnWasmForward } from "./_cnn_wasm.ts";
 * const out = cnnWasmForward({ hidden: 1, radius: 0, dilation: 1 }, new Float64Array(75),
 *   new Float64Array(48)); // 2 frames
 * out?.probabilities.length; // 50
 * ```
 */
export function cnnWasmForward(
  shape: CnnWasmShape,
  params: Float64Array,
  X: Float64Array,
): CnnWasmForward | null {
  const k = cnnWasmAvailable() ? kernel! : null;
  if (k === null) return null;
  const r = run(k, shape, params, X);
  if (r === null) return null;
  const { F, lay, heap } = r;
  const { hidden: H, radius: R, dilation: d } = shape;
  k.cnn_forward(F, H, R, d, lay.params, lay.X, lay.Z, lay.L, lay.Q, lay.work);
  return {
    logProbabilities: heap.slice(lay.L / 8, lay.L / 8 + F * OUTPUTS),
    probabilities: heap.slice(lay.Q / 8, lay.Q / 8 + F * OUTPUTS),
    Z: heap.slice(lay.Z / 8, lay.Z / 8 + lay.zLength),
  };
}

/**
 * The backward pass on the kernel, without validation: the gradient of every parameter given
 * the upstream gradient `G` (F × 25) and the forward pass's `X`, `Z` and probabilities `Q`, with
 * the parameters as they are now (as the TypeScript path reads them). Null when the kernel is
 * not available or the song does not fit (not after a forward pass on the kernel of the same
 * song: both use the same memory).
 *
 * @example
 * ```ts
 * import { cnnWasmBackward, cnnWasmForward } from "./_cnn_wasm.ts";
 * const shape = { hidden: 1, radius: 0, dilation: 1 }, params = new Float64Array(75);
 * const X = new Float64Array(24);
 * const f = cnnWasmForward(shape, params, X);
 * if (f !== null) {
 *   const grad = cnnWasmBackward(shape, params, X, f.Z, f.probabilities, new Float64Array(25));
 * }
 * ```
 */
export function cnnWasmBackward(
  shape: CnnWasmShape,
  params: Float64Array,
  X: Float64Array,
  Z: Float64Array,
  Q: Float64Array,
  G: Float64Array,
): Float64Array | null {
  const k = cnnWasmAvailable() ? kernel! : null;
  if (k === null) return null;
  const r = run(k, shape, params, X);
  if (r === null) return null;
  const { F, lay, heap } = r;
  heap.set(Z, lay.Z / 8);
  heap.set(Q, lay.Q / 8);
  heap.set(G, lay.G / 8);
  const { hidden: H, radius: R, dilation: d } = shape;
  k.cnn_backward(F, H, R, d, lay.params, lay.X, lay.Z, lay.Q, lay.G, lay.grad, lay.work);
  return heap.slice(lay.grad / 8, lay.grad / 8 + params.length);
}

/**
 * The kernel's vector exp (for x <= 0) and log (for x >= 1) applied to an array, for the
 * accuracy tests of the approximations. Null when the kernel is not available.
 *
 * @example
 * ```ts
 * import { cnnWasmMath } from "./_cnn_wasm.ts";
 * cnnWasmMath("exp", new Float64Array([0, -1])); // [1, 0.36787944117144233]
 * ```
 */
export function cnnWasmMath(fn: "exp" | "log", x: Float64Array): Float64Array | null {
  const k = cnnWasmAvailable() ? kernel! : null;
  if (k === null) return null;
  const n = align2(x.length);
  const at = Math.ceil((k.__heap_base.value as number) / 16) * 16;
  if (!reserve(k, at + 8 * n)) return null;
  const heap = new Float64Array(k.memory.buffer, at, n);
  heap.fill(fn === "exp" ? 0 : 1);
  heap.set(x);
  (fn === "exp" ? k.cnn_exp_array : k.cnn_log_array)(at, n);
  return heap.slice(0, x.length);
}

/**
 * Runs forward and backward a few times on a small song, so that V8 starts compiling them with
 * its optimizing tier now rather than during the first long song (WebAssembly functions tier up
 * between calls, not within one).
 */
function warmUp(k: CnnExports): CnnExports {
  const shape = { hidden: 8, radius: 2, dilation: 2 }, F = 37;
  const size = parameterCount(shape);
  const params = Float64Array.from({ length: size }, (_, i) => ((i * 7919) % 13) / 13 - 0.5);
  const X = Float64Array.from({ length: F * INPUTS }, (_, i) => ((i * 104729) % 17) / 17);
  const lay = layout(k, shape, F, size);
  if (!reserve(k, lay.end)) return k;
  const { hidden: H, radius: R, dilation: d } = shape;
  for (let r = 0; r < WARM_UP_CALLS; r++) {
    const heap = new Float64Array(k.memory.buffer);
    heap.set(params, lay.params / 8);
    heap.set(X, lay.X / 8);
    k.cnn_forward(F, H, R, d, lay.params, lay.X, lay.Z, lay.L, lay.Q, lay.work);
    heap.fill(0.01, lay.G / 8, lay.G / 8 + F * OUTPUTS);
    k.cnn_backward(F, H, R, d, lay.params, lay.X, lay.Z, lay.Q, lay.G, lay.grad, lay.work);
  }
  return k;
}
