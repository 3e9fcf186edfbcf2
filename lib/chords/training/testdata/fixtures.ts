/**
 * Fixtures shared by the tests of lib/chords (not part of the library; excluded from
 * publishing with the rest of `testdata/`).
 *
 * @module
 */
import { triadTemplate } from "../../data/labels.ts";
import type { TrainConfig } from "../config.ts";

/**
 * Chroma of chord `c` (0..11 major, 12..23 minor on root `c mod 12`): its binary triad plus
 * seeded noise in `[0, noise)`, one draw of `rand` per pitch class C..B.
 *
 * @example
 * ```ts
 * import { triadChroma } from "./fixtures.ts";
 * triadChroma(0, () => 0, 0.3); // [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]
 * ```
 */
export function triadChroma(c: number, rand: () => number, noise: number): number[] {
  return triadTemplate(c).map((v) => v + noise * rand());
}

/**
 * The configurations of issue 12 (CTC, the stabilized soft-DTW losses) without a schedule that
 * both engines' tests train (each test adds its own scheduled ones, whose epoch indices depend
 * on its epoch count).
 *
 * @example
 * ```ts
 * import { UNSCHEDULED_CONFIGS } from "./fixtures.ts";
 * UNSCHEDULED_CONFIGS.map(([name]) => name)[0]; // "ctc"
 * ```
 */
export const UNSCHEDULED_CONFIGS: readonly (readonly [string, TrainConfig])[] = [
  ["ctc", { loss: "ctc" }],
  ["ctc, blank penalty", { loss: "ctc", blankPenalty: 1 }],
  ["no padding, [0,1,1]", { loss: "soft-dtw", targets: "sequence", stepWeights: [0, 1, 1] }],
  ["divergence", { loss: "soft-dtw-divergence" }],
  ["[1,1,2], 75 last", {
    loss: "soft-dtw",
    softLength: 75,
    padding: "last",
    stepWeights: [1, 1, 2],
  }],
];
