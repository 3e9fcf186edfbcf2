/**
 * The alignment tests once more on the TypeScript kernel: each test file runs in its own
 * isolate, so switching the default kernel here (`setDefaultSoftDtwKernel("ts")`) leaves the
 * other runs of the same tests on the default `"auto"` (the WebAssembly kernel where it is
 * available). Together the two runs check both kernels against the same ground truth (brute
 * force over all alignments, finite differences, published values, identities).
 *
 * @module
 */
import { setDefaultSoftDtwKernel } from "./_soft_dtw_wasm.ts";

setDefaultSoftDtwKernel("ts");

await import("./soft_dtw_test.ts");
await import("./weighted_test.ts");
await import("./band_test.ts");
await import("./divergence_test.ts");
await import("./sharpness_test.ts");
await import("./prior_schedule_test.ts");
await import("./soft_dtw_tf_test.ts");
await import("./losses_tf_test.ts");

Deno.test("this file's tests ran on the TypeScript kernel", async () => {
  const { useWasmKernel } = await import("./_soft_dtw_wasm.ts");
  if (useWasmKernel(undefined, 4, 2)) throw new Error("the default kernel is not TypeScript");
});
