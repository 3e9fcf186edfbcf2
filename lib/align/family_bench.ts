/**
 * Speed of the alignment-family kernels against the plain soft-DTW kernel, per DP cell.
 *
 * Run with `deno bench -A --import-map=tools/import_map_offline.json lib/align/family_bench.ts`.
 * One bench group per size, the plain kernel (`soft_dtw.ts`, forward + gradient) marked as the
 * baseline, so `deno bench` prints the ratios. Every kernel runs with a workspace allocated
 * once, so the numbers are the dynamic programs alone. Divide the time per iteration by the
 * cell count in the bench name for ns per cell: the step-weighted kernel and the banded kernel
 * (cells = band area) should stay within 1.25x of the plain kernel per cell, CTC forward +
 * backward (cells = frames x (2L + 1) of the extended graph) within 1.5x, and the banded time
 * should follow the band's area. Every soft-DTW kernel here runs the TypeScript kernel
 * (`kernel: "ts"`), so the ratios compare like with like; `soft_dtw_wasm_bench.ts` compares the
 * WebAssembly kernel with the TypeScript one.
 *
 * @example
 * ```ts
 * // deno bench -A --import-map=tools/import_map_offline.json lib/align/family_bench.ts
 * import { familyBenchSizes } from "./family_bench.ts";
 * familyBenchSizes.map(([m, n]) => m * n);
 * ```
 *
 * @module
 */
import { createWorkspace, softDtwKernel } from "./_soft_dtw_kernel.ts";
import { bandArea, sakoeChibaBand } from "./band.ts";
import { createWeightedWorkspace, weightedSoftDtwKernel } from "./_weighted_kernel.ts";
import type { StepWeights } from "./options.ts";
import { ctcExtendedLabels } from "./ctc.ts";
import { createCtcWorkspace, ctcKernel } from "./_ctc_kernel.ts";
import { lcg } from "./test_helpers_test.ts";

/** The benchmarked sizes (rows x columns; for CTC: frames x extended states). */
export const familyBenchSizes: readonly [number, number][] = [[150, 16], [1024, 1024]];

let sink = 0;
const gamma = 0.3;
for (const [M, N] of familyBenchSizes) {
  const rand = lcg(M * 7919 + N);
  const cost = Float64Array.from({ length: M * N }, () => 2 * rand());
  const grad = new Float64Array(M * N);
  const group = `${M}x${N}`;
  const plainWs = createWorkspace({ maxCells: M * N, maxCols: N });
  Deno.bench({
    name: `plain soft-DTW ${group} (${M * N} cells)`,
    group,
    baseline: true,
    fn: () => {
      sink += softDtwKernel({
        cost,
        costOffset: 0,
        costStride: N,
        rows: M,
        cols: N,
        gamma,
        grad,
        gradOffset: 0,
        gradStride: N,
        workspace: plainWs,
        kernel: "ts",
      });
    },
  });
  const ws = createWeightedWorkspace({ maxCells: M * N, maxRows: M, maxCols: N });
  const weighted = (stepWeights: StepWeights, band: ReturnType<typeof sakoeChibaBand> | null) =>
    weightedSoftDtwKernel({
      cost,
      costOffset: 0,
      costStride: N,
      rows: M,
      cols: N,
      gamma,
      stepWeights,
      band,
      grad,
      gradOffset: 0,
      gradStride: N,
      workspace: ws,
      kernel: "ts",
    });
  Deno.bench({
    name: `family kernel [1,1,1] ${group} (${M * N} cells)`,
    group,
    fn: () => {
      sink += weighted([1, 1, 1], null);
    },
  });
  Deno.bench({
    name: `step weights [1,1,2] ${group} (${M * N} cells)`,
    group,
    fn: () => {
      sink += weighted([1, 1, 2], null);
    },
  });
  for (const radius of M === 150 ? [4, 20] : [16, 64, 256]) {
    const band = sakoeChibaBand(M, N, { radius });
    Deno.bench({
      name: `band r=${radius} [1,1,2] ${group} (${bandArea(band)} cells)`,
      group,
      fn: () => {
        sink += weighted([1, 1, 2], band);
      },
    });
  }
  // CTC on a graph of about the same number of cells: T = M frames, S = 2L + 1 ≈ N states
  const T = M, L = Math.max(1, Math.floor((N - 1) / 2)), K = 25;
  const labels = Array.from({ length: L }, (_, i) => 1 + ((i * 7) % (K - 1)));
  const ext = ctcExtendedLabels(labels, 0);
  const lp = Float64Array.from({ length: T * K }, () => Math.log(0.01 + rand()));
  const ctcGrad = new Float64Array(T * K);
  const ctcWs = createCtcWorkspace({ maxCells: T * ext.length, maxStates: ext.length });
  Deno.bench({
    name: `CTC forward+backward ${group} (${T * ext.length} cells, L=${L})`,
    group,
    fn: () => {
      sink += ctcKernel({
        logProbs: lp,
        offset: 0,
        frames: T,
        classes: K,
        extended: ext,
        gamma: 1,
        grad: ctcGrad,
        workspace: ctcWs,
      });
    },
  });
}
globalThis.addEventListener("unload", () => {
  if (Number.isNaN(sink)) console.log(sink);
});
