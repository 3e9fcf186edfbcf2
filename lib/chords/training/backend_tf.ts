/**
 * The TensorFlow.js backend of the tfjs engine: WebAssembly (`@tensorflow/tfjs-backend-wasm`,
 * SIMD on, threads off) with the pure-JavaScript `cpu` backend as fallback.
 *
 * The wasm backend runs dChord's training epoch about ten times faster than `cpu` here
 * (lib/chords/training/train_bench.ts). It needs its `.wasm` binaries, which Deno cannot fetch by
 * itself: {@linkcode useBackend} points `setWasmPaths` at the `dist/` folder of the installed
 * npm package (a `file://` URL found through Node's module resolution from this file), so it
 * works inside the repository and from any script that imports the library by path, as long as
 * the package is installed (`deno install`, or any first run with network access).
 *
 * The wasm package is imported on the first call asking for it (importing it registers the
 * backend with the highest priority, so it is not done at import time of this module).
 *
 * If the wasm backend cannot be set up (package or binaries missing, no WebAssembly), the
 * `cpu` backend is used and {@linkcode BackendInfo.fallback} says why; nothing is printed.
 * Neither backend has threads, so results do not depend on the machine's cores.
 *
 * The wasm backend lacks a few kernels that the cpu backend has; the one dChord needed was
 * `UnsortedSegmentSum`, the gradient of `tf.gather`, which the tfjs model (dchord_tf.ts) avoids by
 * building its template matrix with a one-hot matrix product.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb (cross-check of the float64 engine).
 *
 * @example
 * ```ts
 * import { useBackend } from "./backend_tf.ts";
 * const info = await useBackend("wasm");
 * info.backend; // "wasm", or "cpu" with info.fallback naming the reason
 * ```
 *
 * @module
 */
import * as tf from "../../deps/tfjs.ts";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";

/** The backends the tfjs engine can run on. */
export type BackendName = "wasm" | "cpu";

/** What {@linkcode useBackend} set up. */
export interface BackendInfo {
  /** The backend in use. */
  backend: BackendName;
  /** The backend asked for. */
  requested: BackendName;
  /** Why the requested backend is not the one in use (absent when it is). */
  fallback?: string;
}

let wasmPathsSet = false;

/**
 * The `file://` URL (with a trailing slash) of the `dist/` folder of the installed
 * `@tensorflow/tfjs-backend-wasm` package, which holds its `.wasm` binaries; throws an `Error`
 * saying so when the package is not installed.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb (through {@linkcode useBackend}).
 *
 * @example
 * ```ts
 * import { wasmDistUrl } from "./backend_tf.ts";
 * wasmDistUrl().endsWith("/dist/"); // true
 * ```
 */
export function wasmDistUrl(): string {
  const require = createRequire(import.meta.url);
  let main: string;
  try {
    main = require.resolve("@tensorflow/tfjs-backend-wasm");
  } catch (e) {
    throw new Error(
      `@tensorflow/tfjs-backend-wasm is not installed next to the library (${
        (e as Error).message.split("\n")[0]
      })`,
    );
  }
  return pathToFileURL(dirname(main)).href + "/";
}

/**
 * Makes `backend` the active tfjs backend and returns what is in use: `"wasm"` (SIMD, one
 * thread) falls back to `"cpu"` when it cannot be initialized, with the reason in
 * {@linkcode BackendInfo.fallback}. Also enables tfjs's production mode (no debug checks, no
 * console messages). Idempotent: calling it again with the active backend does nothing.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb and lib/chords/training/train_bench.ts.
 *
 * @example
 * ```ts
 * import * as tf from "../../deps/tfjs.ts";
 * import { useBackend } from "./backend_tf.ts";
 * await useBackend("cpu");
 * tf.getBackend(); // "cpu"
 * ```
 */
export async function useBackend(backend: BackendName = "wasm"): Promise<BackendInfo> {
  if (backend !== "wasm" && backend !== "cpu") {
    throw new RangeError(`backend must be "wasm" or "cpu", got ${JSON.stringify(backend)}`);
  }
  tf.enableProdMode();
  if (backend === "cpu") {
    await setOrThrow("cpu");
    return { backend: "cpu", requested: "cpu" };
  }
  try {
    if (!wasmPathsSet) {
      // imported here, not at the top: importing the package registers "wasm" as the
      // highest-priority backend, which would break every tfjs op run before this call
      const wasm = await import("../../deps/tfjs_wasm.ts");
      wasm.setWasmPaths(wasmDistUrl());
      wasm.setThreadsCount(1);
      wasmPathsSet = true;
    }
    await setOrThrow("wasm");
    return { backend: "wasm", requested: "wasm" };
  } catch (e) {
    await setOrThrow("cpu");
    return { backend: "cpu", requested: "wasm", fallback: (e as Error).message };
  }
}

async function setOrThrow(name: BackendName): Promise<void> {
  if (tf.getBackend() === name) return;
  // tfjs reports a failed backend initialization with console.warn and `false`; keep the
  // console quiet and turn the result into an error
  const warn = console.warn;
  console.warn = () => {};
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } finally {
    console.warn = warn;
  }
  if (!ok || tf.getBackend() !== name) {
    throw new Error(`the tfjs "${name}" backend could not be initialized`);
  }
}
