/**
 * The WebAssembly backend of TensorFlow.js, pinned in this one place, at the same version as
 * tfjs (`./tfjs.ts`). Importing it registers the "wasm" backend with the highest priority, so the
 * library imports it only dynamically, inside `useBackend("wasm")` of lib/chords/training/backend_tf.ts,
 * never at the top of a module. An `npm:` specifier with its version works from any script.
 *
 * @example
 * ```ts
 * const wasm = await import("./tfjs_wasm.ts");
 * typeof wasm.setWasmPaths; // "function"
 * ```
 *
 * @module
 */
export * from "npm:@tensorflow/tfjs-backend-wasm@4.22.0";
