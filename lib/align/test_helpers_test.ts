/**
 * Fixtures shared by the tests and benches of `lib/align` (no tests of its own; not published):
 * random cost matrices, batches and alignment graphs from a seeded generator, the seeded LCG costs
 * of the benches, and a relative-tolerance assertion. The ground truth the tests compare with stays in the
 * library (`brute_force.ts`, `weighted_brute_force.ts`, `ctc_reference.ts`).
 *
 * @module
 */
import { assert } from "@std/assert";
import type { Aggregation } from "./_aggregation.ts";
import type { AlignGraph, Step } from "./graph_types.ts";

/** `rows x cols` matrix of `scale * rand()` (rand: a seeded generator such as `mulberry32`). */
export function randomMatrix(
  rows: number,
  cols: number,
  rand: () => number,
  scale = 1,
): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * rand()));
}

/** B x L x K array of random values, rounded to float32 so tf and float64 see the same data. */
export function randomBatch(B: number, L: number, K: number, rand: () => number): number[][][] {
  return Array.from(
    { length: B },
    () => Array.from({ length: L }, () => Array.from({ length: K }, () => Math.fround(rand()))),
  );
}

/** |a - b| <= tol * max(|a|, |b|), with a tiny absolute floor for exact zeros. */
export function assertRelClose(actual: number, expected: number, tol: number, msg: string) {
  const scale = Math.max(Math.abs(actual), Math.abs(expected));
  assert(
    Math.abs(actual - expected) <= tol * scale + 1e-300,
    `${msg}: ${actual} vs ${expected} (rel. diff ${Math.abs(actual - expected) / scale})`,
  );
}

/** The benches' seeded linear congruential generator: uniform numbers in [0, 1). */
export function lcg(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 4294967296;
  };
}

/** `length` squared-Euclidean-like costs in [0, 2) from {@linkcode lcg} (the benches' data). */
export function lcgCosts(length: number, seed: number): Float64Array {
  const rand = lcg(seed);
  return Float64Array.from({ length }, () => 2 * rand());
}

/** The steps random graphs draw from. */
export const STEP_POOL: Step[] = [[1, 0], [0, 1], [1, 1], [1, 2], [2, 1], [2, 0], [0, 2], [2, 2]];
/**
 * A random graph on a rows × cols grid: steps (`given`, else drawn from {@linkcode STEP_POOL}),
 * weights (global or local, some ∞ or 0), start and end cells with weights.
 */
export function randomGraph(
  rows: number,
  cols: number,
  rand: () => number,
  aggregation: Aggregation,
  gamma: number,
  given?: Step[],
): AlignGraph {
  const steps = given ?? STEP_POOL.filter(() => rand() < 0.45);
  if (steps.length === 0) steps.push([1, 1]);
  const S = steps.length;
  const weight = () => rand() < 0.1 ? Infinity : rand() < 0.1 ? 0 : 0.25 + 2 * rand();
  const cells = (p: number) => {
    const out: [number, number][] = [];
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) if (rand() < p) out.push([i, j]);
    return out;
  };
  const start = cells(0.25), end = cells(0.25);
  if (start.length === 0) start.push([0, 0]);
  if (end.length === 0) end.push([rows - 1, cols - 1]);
  const graph: AlignGraph = {
    steps,
    start: { cells: start, weights: start.map(() => 2 * rand() - 0.5) },
    end: { cells: end, weights: end.map(() => 2 * rand() - 0.5) },
    aggregation,
    gamma,
  };
  if (rand() < 0.5) graph.stepWeights = steps.map(weight);
  else graph.localStepWeights = Float64Array.from({ length: rows * cols * S }, weight);
  return graph;
}
