/**
 * Growing a WebAssembly memory on demand, shared by the library's two kernels: the soft-DTW
 * kernel (`lib/align/_soft_dtw_wasm.ts`) and the chord CNN's
 * (`lib/chords/model/_cnn_wasm.ts`). Private: used by those loaders only.
 *
 * @example
 * ```ts
 * import { growWasmMemory } from "./_wasm_memory.ts";
 * const memory = new WebAssembly.Memory({ initial: 1 });
 * growWasmMemory(memory, 100_000, 2 ** 32); // true: now two pages of 64 KiB
 * ```
 *
 * @module
 */

/** Bytes per WebAssembly memory page. */
export const WASM_PAGE = 65536;

/**
 * Grows `memory` to at least `bytes`; false when that is not possible (over `maxBytes`, or the
 * engine refuses).
 */
export function growWasmMemory(
  memory: WebAssembly.Memory,
  bytes: number,
  maxBytes: number,
): boolean {
  if (bytes > maxBytes) return false;
  const have = memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
    return true;
  } catch {
    return false;
  }
}
