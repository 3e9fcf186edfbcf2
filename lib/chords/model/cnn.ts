/**
 * A chord recognizer with temporal context: a small 1-D convolutional network over bass and
 * treble chroma, as a {@linkcode SongModel} (kind `"cnn"`) that the whole-song trainer
 * (`lib/chords/training/song_trainer.ts`) trains under every loss, in float64 with a
 * hand-written backward pass. The Billboard study's CNN rows (`lib/study/billboard.ts`, model
 * `"cnn"`, in notebooks/08_weak_labels_at_scale.ipynb) and the model files of kind `cnn`
 * (`recognizer.ts`, `deno task chords`) run it through {@linkcode cnnModel}.
 *
 * Layers, per song of F frames:
 *
 * 1. **Input normalization** (no parameters), per frame and per part: the 12 bass and the 12
 *    treble values are each compressed, `v = log(1 + x)`, and L2-normalized, `v / ||v||₂`; a
 *    part whose `||v||₂` is below {@linkcode CNN_NORM_THRESHOLD} (silence) becomes 0. The input
 *    is `X`, F × 24: bass C..B, then treble C..B.
 * 2. **Temporal convolution** of `H` channels (`hidden`), `T = 2R + 1` taps (`radius` R) spaced
 *    `d` frames apart (`dilation`), "same" zero padding at the song's edges (frames outside the
 *    song count as silence), then ReLU:
 *    `a_f = max(0, b + Σ_t W_t X_{f + (t − R) d})`, `W_t` of H × 24. Frame f sees
 *    frames `f − R d … f + R d`: with the defaults (R = 5, d = 2) ±10 frames, ±0.93 s at the
 *    Billboard study's 10.77 frames/s.
 * 3. **Output**: a 1 × 1 layer to the 25 outputs of `MAJMIN_LABELS` (24 major/minor chords,
 *    then N), `s_f = V a_f + c`, and the log-softmax `log q_f = s_f − log Σ exp(s_f)`.
 *
 * Parameters, one flat vector in this order: `W` (H × T × 24, row-major: channel, tap, input),
 * the convolution's bias (H), `V` (25 × H) and the output bias (25), so
 * {@linkcode cnnParameterCount} is `H (24 T + 1) + 25 H + 25` (4665 with the defaults).
 * Initialization ({@linkcode CnnModel.init}, seeded): He normal for `W` (standard deviation
 * `√(2 / 24T)`, for the ReLU), Glorot normal for `V` (`√(2 / (H + 25))`), biases 0.
 *
 * Training: {@linkcode CNN_TRAINING}, Adam with a learning rate of 0.01 on minibatches of 4
 * songs. Whole songs make few steps per epoch (25 with dChord's batches of 16 over the 400
 * Billboard training songs), and a CNN starts from random weights where dChord starts from
 * binary triads, so it needs the steps: with strong labels (BCE) on the 400 songs, batches of 4
 * and 0.01 reach 64 % validation frame accuracy after one epoch and 72 % after six
 * (`tools/cnn_check.ts`); 0.003 learns more slowly (58 % after one epoch, 71 % at its best, the
 * seventh).
 * From random weights, unaligned whole-song soft-DTW alone taught it alignments rather than
 * chords in a small check (40 songs, 5 epochs: validation frame accuracy 11 % → 15 %, where dChord
 * stays near 49 %): rows without frame labels may need a start from a BCE-trained CNN.
 *
 * Kernels ({@linkcode CnnKernel}, the second argument of {@linkcode cnnModel}): after the
 * input normalization (TypeScript in both), the forward and backward passes run by default on a
 * WebAssembly SIMD kernel (`_cnn_wasm.ts`, C source `wasm/cnn.c`: f64x2 vectors of two frames,
 * register blocks of 4 channels × 4 frames), about 4 times faster than the TypeScript code
 * below: forward and backward on a 2000-frame song 22.6 → 5.4 ms (`cnn_bench.ts`, normalization
 * included), an epoch's passes over the Billboard study's 400 training songs about 2.5 s instead
 * of 9.5. The TypeScript code stays the readable reference (`kernel: "ts"`) and the fallback
 * where WebAssembly SIMD is not available (in a browser's main thread, until
 * {@linkcode cnnWasmReady} resolves) or a song does not fit in wasm's 4 GiB. The two agree
 * to rounding: the same scores bit for bit, the log-softmax's exp and log within an ulp, the
 * gradient's sums over frames in another order (relative differences of a few 1e-15 on a
 * 5000-frame song, `cnn_wasm_test.ts`). Each kernel is deterministic: the same call gives the
 * same bits. The second example below chooses the kernel.
 *
 * @example
 * ```ts
 * import { cnnModel } from "./cnn.ts";
 * const model = cnnModel();
 * const params = model.init(1); // 4665 weights
 * const frame = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0];
 * const bass = new Float64Array(12 * 3), treble = new Float64Array(12 * 3);
 * for (let f = 0; f < 3; f++) {
 *   bass.set(frame.slice(0, 12), f * 12);
 *   treble.set(frame.slice(12), f * 12);
 * }
 * const out = model.forward(params, { bass, treble });
 * out.logProbabilities.length; // 3 × 25
 * const grad = out.backward(new Float64Array(3 * 25).fill(0.1)); // ∂L/∂params
 * ```
 *
 * @example Choosing the kernel
 * ```ts
 * import { cnnModel } from "./cnn.ts";
 * const fast = cnnModel(); // the WebAssembly kernel where available ("auto")
 * const reference = cnnModel({}, { kernel: "ts" }); // the TypeScript code
 * const small = cnnModel({ hidden: 8 }, { kernel: "wasm" }); // throws where wasm cannot run
 * const params = fast.init(1);
 * const song = { bass: new Float64Array(12 * 50).fill(1), treble: new Float64Array(12 * 50) };
 * const a = fast.forward(params, song).logProbabilities;
 * const b = reference.forward(params, song).logProbabilities;
 * Math.max(...a.map((v, i) => Math.abs(v - b[i]))); // 0 or an ulp
 * ```
 *
 * @module
 */
import type { SongFeatures, SongForward, SongModel } from "../training/song_model.ts";
import { gaussian, mulberry32 } from "../random.ts";
import {
  cnnWasmAvailable,
  cnnWasmBackward,
  cnnWasmFits,
  type CnnWasmForward,
  cnnWasmForward,
} from "./_cnn_wasm.ts";
export { cnnWasmReady } from "./_cnn_wasm.ts";

/** Inputs per frame: 12 bass, then 12 treble chroma values. */
export const CNN_INPUTS = 24;

/** Outputs per frame: the 25 labels of `MAJMIN_LABELS` (24 chords, then N). */
export const CNN_OUTPUTS = 25;

/** Below this L2 norm (after compression) a part of a frame is silence and becomes 0. */
export const CNN_NORM_THRESHOLD = 1e-4;

/** The shape of the network (see the module doc). */
export interface CnnArchitecture {
  /** Channels of the temporal convolution, H. */
  hidden: number;
  /** Taps on each side of the centre, R (T = 2R + 1 taps). */
  radius: number;
  /** Frames between taps, d. */
  dilation: number;
}

/** The default shape: 16 channels, 11 taps two frames apart (±10 frames), 4665 parameters. */
export const CNN_DEFAULTS: Readonly<CnnArchitecture> = Object.freeze({
  hidden: 16,
  radius: 5,
  dilation: 2,
});

/**
 * The training settings recommended for the CNN with the whole-song trainer: Adam's learning
 * rate 0.01 on minibatches of 4 songs (see the module doc for the evidence).
 */
export const CNN_TRAINING: Readonly<{ learningRate: number; batchSize: number }> = Object.freeze(
  { learningRate: 0.01, batchSize: 4 },
);

/**
 * Which code runs a CNN's forward and backward passes (see the module doc): `"auto"` (the
 * default) the WebAssembly SIMD kernel where it is available and the song fits in wasm memory,
 * else the TypeScript code; `"wasm"` the kernel or an error; `"ts"` the TypeScript reference.
 */
export type CnnKernel = "auto" | "wasm" | "ts";

/** How a CNN runs: the second argument of {@linkcode cnnModel}, not part of its shape. */
export interface CnnRunOptions {
  /** The kernel (default `"auto"`). */
  kernel?: CnnKernel;
}

/** A CNN as a {@linkcode SongModel}, with its shape. */
export interface CnnModel extends SongModel {
  /** Always `"cnn"`. */
  readonly kind: "cnn";
  /** Always `"bass+treble"`: every song needs `bass`. */
  readonly chroma: "bass+treble";
  /** Its shape. */
  readonly architecture: Readonly<CnnArchitecture>;
  /** The kernel it was made with ({@linkcode CnnRunOptions}). */
  readonly kernel: CnnKernel;
}

function checkRunOptions(run: CnnRunOptions): CnnKernel {
  if (!run || typeof run !== "object") {
    throw new TypeError("cnn: run options must be an object");
  }
  for (const key of Object.keys(run)) {
    if (key !== "kernel") throw new RangeError(`cnn: unknown run option ${key}`);
  }
  const kernel = run.kernel ?? "auto";
  if (kernel !== "auto" && kernel !== "wasm" && kernel !== "ts") {
    throw new RangeError(`cnn: kernel must be "auto", "wasm" or "ts", got ${String(kernel)}`);
  }
  if (kernel === "wasm" && !cnnWasmAvailable()) {
    throw new Error(
      'cnn: kernel "wasm": the WebAssembly kernel is not available here (no WebAssembly SIMD, or ' +
        "not compiled yet: await cnnWasmReady())",
    );
  }
  return kernel;
}

function checkArchitecture(options: Partial<CnnArchitecture>): CnnArchitecture {
  if (!options || typeof options !== "object") {
    throw new TypeError("cnn: options must be an object");
  }
  for (const key of Object.keys(options)) {
    if (!(key in CNN_DEFAULTS)) throw new RangeError(`cnn: unknown option ${key}`);
  }
  const a = { ...CNN_DEFAULTS, ...options };
  const limits: Record<keyof CnnArchitecture, [number, number]> = {
    hidden: [1, 1024],
    radius: [0, 256],
    dilation: [1, 256],
  };
  for (const [key, [min, max]] of Object.entries(limits)) {
    const v = a[key as keyof CnnArchitecture];
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new RangeError(`cnn: ${key} must be an integer in ${min}..${max}, got ${v}`);
    }
  }
  return { hidden: a.hidden, radius: a.radius, dilation: a.dilation };
}

/**
 * The number of parameters of a CNN: `H (24 T + 1) + 25 H + 25` with `T = 2R + 1` (see the
 * module doc). Throws a `RangeError` naming a bad field of the shape.
 *
 * @example
 * ```ts
 * import { cnnParameterCount } from "./cnn.ts";
 * cnnParameterCount(); // 16 · (24 · 11 + 1) + 25 · 16 + 25 = 4665
 * ```
 */
export function cnnParameterCount(architecture: Partial<CnnArchitecture> = {}): number {
  const { hidden: H, radius: R } = checkArchitecture(architecture);
  const T = 2 * R + 1;
  return H * (CNN_INPUTS * T + 1) + CNN_OUTPUTS * H + CNN_OUTPUTS;
}

/** Checks one part of a song and returns its frame count. */
function partFrames(x: unknown, part: string): number {
  if (!(x instanceof Float64Array) || x.length % 12 !== 0) {
    throw new RangeError(
      `cnn: song.${part} must be a Float64Array of frames × 12 values, got ${
        x instanceof Float64Array ? `length ${x.length}` : typeof x
      }`,
    );
  }
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] >= 0) || x[i] === Infinity) {
      throw new RangeError(
        `cnn: song.${part} frame ${Math.floor(i / 12)} value ${i % 12} must be finite and >= 0, ` +
          `got ${x[i]}`,
      );
    }
  }
  return x.length / 12;
}

/**
 * The network's input: per frame the compressed, L2-normalized bass and treble chroma (layer 1
 * of the module doc), F × 24 row-major. Throws a `RangeError` naming the part and frame of a
 * bad value, or a missing or mismatched bass.
 *
 * @example
 * ```ts
 * import { cnnInputs } from "./cnn.ts";
 * const x = cnnInputs({ bass: new Float64Array(12), treble: new Float64Array(12).fill(1) });
 * x[0]; // 0: silent bass
 * x[12]; // 1/√12
 * ```
 */
export function cnnInputs(song: SongFeatures): Float64Array {
  if (!song || typeof song !== "object") throw new TypeError("cnn: song must be an object");
  const F = partFrames(song.treble, "treble");
  if (song.bass === undefined) {
    throw new RangeError("cnn: the model reads bass and treble chroma: song.bass is missing");
  }
  const Fb = partFrames(song.bass, "bass");
  if (Fb !== F) {
    throw new RangeError(`cnn: song.bass has ${Fb} frames, song.treble ${F}`);
  }
  const X = new Float64Array(F * CNN_INPUTS);
  const parts = [song.bass, song.treble];
  for (let p = 0; p < 2; p++) {
    const x = parts[p];
    for (let f = 0; f < F; f++) {
      const o = f * CNN_INPUTS + p * 12, i = f * 12;
      let sq = 0;
      for (let k = 0; k < 12; k++) {
        const v = Math.log(1 + x[i + k]); // log1p is slower in V8; same to 1e-16 here
        X[o + k] = v;
        sq += v * v;
      }
      const norm = Math.sqrt(sq);
      const inv = norm >= CNN_NORM_THRESHOLD ? 1 / norm : 0;
      for (let k = 0; k < 12; k++) X[o + k] *= inv;
    }
  }
  return X;
}

/**
 * A small 1-D CNN over bass and treble chroma (see the module doc) as a {@linkcode SongModel}:
 * `init(seed)` draws He/Glorot weights, `forward(params, song)` gives the frames × 25
 * log-probabilities and their backward pass. `options` sets the shape (default
 * {@linkcode CNN_DEFAULTS}), `run` the kernel (default `"auto"`: WebAssembly where available,
 * see {@linkcode CnnKernel}). Errors name the bad option, input or gradient.
 *
 * A forward pass's `backward` stays valid after other forward passes (it holds its song's
 * input, pre-activations and probabilities, not the kernel's shared memory), and reads
 * `params` when it runs, as the TypeScript code always did.
 *
 * @example
 * ```ts
 * import { cnnModel } from "./cnn.ts";
 * const model = cnnModel({ hidden: 8, radius: 11, dilation: 1 }); // ±11 frames, every frame
 * model.size; // 8 · (24 · 23 + 1) + 25 · 8 + 25 = 4649
 * const reference = cnnModel({ hidden: 8, radius: 11, dilation: 1 }, { kernel: "ts" });
 * ```
 */
export function cnnModel(
  options: Partial<CnnArchitecture> = {},
  run: CnnRunOptions = {},
): CnnModel {
  const architecture = Object.freeze(checkArchitecture(options));
  const kernel = checkRunOptions(run);
  const { hidden: H, radius: R, dilation: d } = architecture;
  const T = 2 * R + 1, K = CNN_OUTPUTS, C = CNN_INPUTS;
  const size = cnnParameterCount(architecture);
  // offsets of the parameter blocks in the flat vector
  const oB = H * T * C, oV = oB + H, oC = oV + K * H;

  const checkParams = (params: Float64Array) => {
    if (!(params instanceof Float64Array) || params.length !== size) {
      throw new RangeError(
        `cnn: params must be a Float64Array of ${size} values, got ${
          params instanceof Float64Array ? `length ${params.length}` : typeof params
        }`,
      );
    }
  };
  const WL = T * C; // one channel's weights, and one frame's window of input

  /**
   * The input frames that frame f's taps see, side by side (T × 24), zeros where a tap falls
   * outside the song ("same" padding): each channel is then one dot product of length 24 T.
   */
  const fillWindow = (X: Float64Array, F: number, f: number, win: Float64Array) => {
    for (let t = 0; t < T; t++) {
      const g = f + (t - R) * d;
      if (g < 0 || g >= F) win.fill(0, t * C, t * C + C);
      else win.set(X.subarray(g * C, g * C + C), t * C);
    }
  };

  const checkGrad = (G: Float64Array, F: number) => {
    if (!(G instanceof Float64Array) || G.length !== F * K) {
      throw new RangeError(
        `cnn: gradLogProbabilities must be a Float64Array of ${F} × ${K} values, got ${
          G instanceof Float64Array ? `length ${G.length}` : typeof G
        }`,
      );
    }
  };

  function forward(params: Float64Array, song: SongFeatures): SongForward {
    checkParams(params);
    const X = cnnInputs(song);
    const F = X.length / C;
    if (kernel !== "ts") {
      // null when the kernel is not loaded or the wasm memory cannot grow to the song
      const out = cnnWasmFits(architecture, F) ? cnnWasmForward(architecture, params, X) : null;
      if (out !== null) return wasmForward(out, params, X, F);
      if (kernel === "wasm") {
        throw new Error(
          `cnn: kernel "wasm": ${
            cnnWasmAvailable()
              ? `a song of ${F} frames does not fit in WebAssembly memory`
              : "the WebAssembly kernel is not available here"
          }`,
        );
      }
    }
    return forwardTs(params, X, F);
  }

  /** The outputs of the WebAssembly kernel's forward pass; the backward pass copies them back. */
  function wasmForward(
    out: CnnWasmForward,
    params: Float64Array,
    X: Float64Array,
    F: number,
  ): SongForward {
    const { logProbabilities, probabilities, Z } = out;
    function backward(G: Float64Array): Float64Array {
      checkGrad(G, F);
      const grad = cnnWasmBackward(architecture, params, X, Z, probabilities, G);
      // cannot happen: the forward pass grew the wasm memory to this song, and it never shrinks
      if (grad === null) throw new Error("cnn: the WebAssembly kernel could not run");
      return grad;
    }
    return { logProbabilities, probabilities, backward };
  }

  /** The forward pass in TypeScript: the reference. */
  function forwardTs(params: Float64Array, X: Float64Array, F: number): SongForward {
    const Z = new Float64Array(F * H); // pre-activations
    const A = new Float64Array(F * H); // ReLU
    const L = new Float64Array(F * K); // log-probabilities
    const Q = new Float64Array(F * K); // probabilities
    const win = new Float64Array(WL);
    for (let f = 0; f < F; f++) {
      fillWindow(X, F, f, win);
      const zo = f * H;
      let h = 0;
      for (; h + 3 < H; h += 4) { // four channels per pass over the window
        const w0 = h * WL, w1 = w0 + WL, w2 = w1 + WL, w3 = w2 + WL;
        let a0 = params[oB + h], a1 = params[oB + h + 1];
        let a2 = params[oB + h + 2], a3 = params[oB + h + 3];
        for (let i = 0; i < WL; i++) {
          const x = win[i];
          a0 += params[w0 + i] * x;
          a1 += params[w1 + i] * x;
          a2 += params[w2 + i] * x;
          a3 += params[w3 + i] * x;
        }
        Z[zo + h] = a0;
        Z[zo + h + 1] = a1;
        Z[zo + h + 2] = a2;
        Z[zo + h + 3] = a3;
      }
      for (; h < H; h++) {
        const w0 = h * WL;
        let a0 = params[oB + h];
        for (let i = 0; i < WL; i++) a0 += params[w0 + i] * win[i];
        Z[zo + h] = a0;
      }
      for (h = 0; h < H; h++) A[zo + h] = Z[zo + h] > 0 ? Z[zo + h] : 0;
      const lo = f * K;
      let mx = -Infinity;
      for (let k = 0; k < K; k++) {
        let s = params[oC + k];
        const vo = oV + k * H;
        for (let h = 0; h < H; h++) s += params[vo + h] * A[zo + h];
        L[lo + k] = s;
        if (s > mx) mx = s;
      }
      let z = 0;
      for (let k = 0; k < K; k++) z += Q[lo + k] = Math.exp(L[lo + k] - mx);
      const lz = mx + Math.log(z), iz = 1 / z;
      for (let k = 0; k < K; k++) {
        L[lo + k] -= lz;
        Q[lo + k] *= iz;
      }
    }

    function backward(G: Float64Array): Float64Array {
      checkGrad(G, F);
      const grad = new Float64Array(size);
      const dA = new Float64Array(H);
      const active = new Int32Array(H), dZ = new Float64Array(H);
      for (let f = 0; f < F; f++) {
        const lo = f * K, zo = f * H;
        // log-softmax: ∂L/∂s_k = g_k − q_k Σ_j g_j; output layer
        let sum = 0;
        for (let k = 0; k < K; k++) sum += G[lo + k];
        dA.fill(0);
        for (let k = 0; k < K; k++) {
          const g = G[lo + k] - Q[lo + k] * sum;
          grad[oC + k] += g;
          const vo = oV + k * H;
          for (let h = 0; h < H; h++) {
            grad[vo + h] += g * A[zo + h];
            dA[h] += params[vo + h] * g;
          }
        }
        // ReLU: only the channels that fired pass a gradient on
        let n = 0;
        for (let h = 0; h < H; h++) {
          if (Z[zo + h] > 0) {
            active[n] = h;
            dZ[n++] = dA[h];
            grad[oB + h] += dA[h];
          }
        }
        if (n === 0) continue;
        // the convolution's weights: ∂L/∂W_h += ∂L/∂z_h · window, four channels per pass
        fillWindow(X, F, f, win);
        let j = 0;
        for (; j + 3 < n; j += 4) {
          const w0 = active[j] * WL, w1 = active[j + 1] * WL;
          const w2 = active[j + 2] * WL, w3 = active[j + 3] * WL;
          const z0 = dZ[j], z1 = dZ[j + 1], z2 = dZ[j + 2], z3 = dZ[j + 3];
          for (let i = 0; i < WL; i++) {
            const x = win[i];
            grad[w0 + i] += z0 * x;
            grad[w1 + i] += z1 * x;
            grad[w2 + i] += z2 * x;
            grad[w3 + i] += z3 * x;
          }
        }
        for (; j < n; j++) {
          const w0 = active[j] * WL, z0 = dZ[j];
          for (let i = 0; i < WL; i++) grad[w0 + i] += z0 * win[i];
        }
      }
      return grad;
    }
    return { logProbabilities: L, probabilities: Q, backward };
  }

  function init(seed: number): Float64Array {
    if (!Number.isInteger(seed)) throw new RangeError(`cnn: seed must be an integer, got ${seed}`);
    const normal = gaussian(mulberry32(seed));
    const p = new Float64Array(size);
    const he = Math.sqrt(2 / (C * T)), glorot = Math.sqrt(2 / (H + K));
    for (let i = 0; i < oB; i++) p[i] = he * normal();
    for (let i = oV; i < oC; i++) p[i] = glorot * normal();
    return p;
  }

  return { kind: "cnn", chroma: "bass+treble", size, architecture, kernel, init, forward };
}

/**
 * The parameters of a CNN as a model file stores them (`recognizer.ts`, kind `"cnn"`): the
 * shape and the weights as nested arrays, `conv[h][t][i]` (H × T × 24, input i: bass C..B,
 * then treble C..B), `convBias[h]`, `output[k][h]` (25 × H, k over `MAJMIN_LABELS`) and
 * `outputBias[k]`.
 */
export interface CnnParameters extends CnnArchitecture {
  /** Convolution weights, H × T × 24. */
  conv: number[][][];
  /** Convolution bias, H. */
  convBias: number[];
  /** Output weights, 25 × H. */
  output: number[][];
  /** Output bias, 25. */
  outputBias: number[];
}

/**
 * The nested {@linkcode CnnParameters} of a flat parameter vector of a CNN of the given shape
 * (the layout of the module doc).
 *
 * @example
 * ```ts
 * import { cnnModel, cnnParameters } from "./cnn.ts";
 * const model = cnnModel();
 * cnnParameters(model.architecture, model.init(1)).conv[0].length; // 11 taps
 * ```
 */
export function cnnParameters(
  architecture: Partial<CnnArchitecture>,
  params: Float64Array,
): CnnParameters {
  const a = checkArchitecture(architecture);
  const size = cnnParameterCount(a);
  if (!(params instanceof Float64Array) || params.length !== size) {
    throw new RangeError(`cnn: params must be a Float64Array of ${size} values`);
  }
  const { hidden: H, radius: R } = a, T = 2 * R + 1, C = CNN_INPUTS, K = CNN_OUTPUTS;
  let i = 0;
  const take = (n: number) => Array.from(params.subarray(i, i += n));
  const conv = Array.from({ length: H }, () => Array.from({ length: T }, () => take(C)));
  const convBias = take(H);
  const output = Array.from({ length: K }, () => take(H));
  const outputBias = take(K);
  return { ...a, conv, convBias, output, outputBias };
}

/**
 * The shape and flat parameter vector of stored {@linkcode CnnParameters}, checked strictly:
 * throws a `RangeError` naming the first bad field (`conv[3][2]: must be 24 finite numbers`).
 *
 * @example
 * ```ts
 * import { cnnModel, cnnParameters, cnnParametersToVector } from "./cnn.ts";
 * const model = cnnModel({ hidden: 2, radius: 1 });
 * const stored = cnnParameters(model.architecture, model.init(3));
 * cnnParametersToVector(stored).params.length === model.size; // true
 * ```
 */
export function cnnParametersToVector(
  stored: CnnParameters,
): { architecture: CnnArchitecture; params: Float64Array } {
  if (!stored || typeof stored !== "object" || Array.isArray(stored)) {
    throw new RangeError("must be an object with hidden, radius, dilation and the weights");
  }
  const known = ["hidden", "radius", "dilation", "conv", "convBias", "output", "outputBias"];
  for (const key of Object.keys(stored)) {
    if (!known.includes(key)) throw new RangeError(`unknown field ${key}`);
  }
  const architecture = checkArchitecture({
    hidden: stored.hidden,
    radius: stored.radius,
    dilation: stored.dilation,
  });
  const { hidden: H, radius: R } = architecture, T = 2 * R + 1;
  const params = new Float64Array(cnnParameterCount(architecture));
  let i = 0;
  const row = (v: unknown, n: number, what: string) => {
    if (!Array.isArray(v) || v.length !== n || v.some((x) => !Number.isFinite(x))) {
      throw new RangeError(`${what} must be ${n} finite numbers`);
    }
    params.set(v, i);
    i += n;
  };
  const rows = (v: unknown, n: number, what: string): unknown[] => {
    if (!Array.isArray(v) || v.length !== n) {
      throw new RangeError(`${what} must be an array of ${n}`);
    }
    return v;
  };
  rows(stored.conv, H, "conv").forEach((taps, h) =>
    rows(taps, T, `conv[${h}]`).forEach((w, t) => row(w, CNN_INPUTS, `conv[${h}][${t}]`))
  );
  row(stored.convBias, H, "convBias");
  rows(stored.output, CNN_OUTPUTS, "output").forEach((w, k) => row(w, H, `output[${k}]`));
  row(stored.outputBias, CNN_OUTPUTS, "outputBias");
  return { architecture, params };
}
