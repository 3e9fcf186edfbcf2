/**
 * The extended Table 4.1 (issue 12): the report's open questions, asked on its own data with
 * its own procedure (same splits, same 138-frame test excerpt, same evaluation, 5 runs per
 * configuration, run 1 the plain procedure): CTC, soft-DTW without padding, uniform padding to
 * the frame count, γ annealing, the diagonal prior, the soft-DTW divergence and step weights.
 *
 * Choices (each explained where it is defined):
 * - γ annealing {@linkcode GAMMA_ANNEALING}: γ = 10 for epochs 1–10, then linearly down to the
 *   report's 0.3 at epoch 50 (Zeitler et al., ISMIR 2023: a large γ for the first epochs, then
 *   linearly down), 0.3 afterwards.
 * - Diagonal prior {@linkcode PRIOR}: weight 3 at epoch 1 fading linearly to 0 at epoch 50 (the
 *   same paper: weight 3 fading to 0 over the first epochs), width ν = {@linkcode PRIOR_NU}
 *   frames. Why 10: the true (strong) alignment of the training segments lies inside the
 *   diagonal shares of the 16 uniform target elements for 53 % of the frames, and its distance
 *   from them has a root mean square of 9.6 frames (8.7 at soft length 75); one share is
 *   150/16 ≈ 9.4 frames. ν = 10 frames therefore charges a typical true alignment at most
 *   `w·(1 − e^{−1/2}) ≈ 0.39 w` per cell while alignments several shares off the diagonal
 *   pay nearly the full weight. (The statistic uses the strong labels of the training split
 *   only to choose this one hyperparameter; the training itself sees weak labels.)
 * - Step weights are written in the paper's order `[w_v, w_h, w_d]` in the names
 *   (Zeitler, Krause, Müller, ICASSP 2024) and in our `[wRow, wCol, wDiag]` order in the
 *   configurations: the paper's [1, 0, 1] (steps along the frames free) is our `[0, 1, 1]`.
 * - CTC: dChord with a blank template initialized flat (see lib/chords/model/dchord_blank.ts), the
 *   repetition-removed sequences with N dropped, and a blank-penalty variant with
 *   {@linkcode BLANK_PENALTY}.
 *
 * This module holds the configurations (with the statistic behind the prior's width,
 * {@linkcode diagonalDistance}) and their runner ({@linkcode runExtendedTable}); the text of the
 * result files is in extended_files.ts, the feature-sensitivity comparison in sensitivity.ts.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb and by `deno task reproduce --only extended`.
 *
 * @example
 * ```ts
 * import { EXTENDED_TABLE } from "./extended.ts";
 * EXTENDED_TABLE.map((e) => e.name); // ["ctc", "ctc-blank-penalty", ...]
 * ```
 *
 * @module
 */
import type { ScheduleSpec, TrainConfig } from "../chords/training/config.ts";
import { type ExperimentProgress, type ExperimentResult, runExperiment } from "./experiment.ts";
import { WorkerPool } from "./pool.ts";
import { loadSplits, type Splits } from "./data.ts";
import { FOLLOWED_SEGMENT } from "./report.ts";
import type { Segment } from "../chords/data/dataset.ts";
import { removeRepetitions, uniformRepeats } from "../chords/data/targets.ts";

/** γ annealing: 10 for epochs 1–10 (indices 0–9), linearly to 0.3 at epoch 50, then 0.3. */
export const GAMMA_ANNEALING: Readonly<ScheduleSpec> = Object.freeze({
  from: 10,
  to: 0.3,
  startEpoch: 9,
  endEpoch: 49,
});

/** Width ν of the diagonal prior in frames (see the module doc for why 10). */
export const PRIOR_NU = 10;

/** Diagonal prior: weight 3 at epoch 1 fading linearly to 0 at epoch 50; ν = 10 frames. */
export const PRIOR: Readonly<{ weight: ScheduleSpec; nu: number }> = Object.freeze({
  weight: Object.freeze({ from: 3, to: 0, startEpoch: 0, endEpoch: 49 }),
  nu: PRIOR_NU,
});

/** Blank penalty of the CTC variant: a frame on a blank costs 1 more (its probability × e⁻¹). */
export const BLANK_PENALTY = 1;

/** The paper's step weights [1, 0, 1] (frame steps free) in our [wRow, wCol, wDiag] order. */
export const STEPS_101: readonly [number, number, number] = Object.freeze([0, 1, 1]) as [
  number,
  number,
  number,
];

/** The paper's step weights [1, 1, 2] (symmetric: a diagonal step costs two) in our order. */
export const STEPS_112: readonly [number, number, number] = Object.freeze([1, 1, 2]) as [
  number,
  number,
  number,
];

/** One configuration of the extended table. */
export interface ExtendedEntry {
  /** Short name (file names, tables). */
  name: string;
  /** The training configuration. */
  config: TrainConfig;
  /** The loss as the table shows it. */
  loss: string;
  /** Targets and padding as the table shows them. */
  targets: string;
  /** The question the row answers (issue 12's numbering). */
  question: string;
}

const sdtw16u = { loss: "soft-dtw", softLength: 16, padding: "uniform" } as const;
const sdtw75l = { loss: "soft-dtw", softLength: 75, padding: "last" } as const;
const steps = (w: readonly number[]) => [w[0], w[1], w[2]] as [number, number, number];

/** The configurations of the extended table, in the order of issue 12's questions. */
export const EXTENDED_TABLE: readonly ExtendedEntry[] = Object.freeze([
  {
    name: "ctc",
    config: { loss: "ctc" },
    loss: "CTC (25 outputs, blank)",
    targets: "weak, repetitions removed, N dropped, no padding",
    question: "1 CTC",
  },
  {
    name: "ctc-blank-penalty",
    config: { loss: "ctc", blankPenalty: BLANK_PENALTY },
    loss: `CTC, blank penalty ${BLANK_PENALTY}`,
    targets: "weak, repetitions removed, N dropped, no padding",
    question: "1 CTC",
  },
  {
    name: "sdtw-sequence",
    config: { loss: "soft-dtw", targets: "sequence" },
    loss: "soft-DTW",
    targets: "weak, repetitions removed, true lengths (no padding)",
    question: "2 no padding",
  },
  {
    name: "sdtw-sequence-w101",
    config: { loss: "soft-dtw", targets: "sequence", stepWeights: steps(STEPS_101) },
    loss: "soft-DTW, step weights [1,0,1]",
    targets: "weak, repetitions removed, true lengths (no padding)",
    question: "2 no padding",
  },
  {
    name: "sdtw-150-uniform",
    config: { loss: "soft-dtw", softLength: 150, padding: "uniform" },
    loss: "soft-DTW",
    targets: "weak 150, uniform",
    question: "3 unfolding",
  },
  {
    name: "sdtw-16-uniform-anneal",
    config: { ...sdtw16u, gamma: { ...GAMMA_ANNEALING } as ScheduleSpec },
    loss: "soft-DTW, γ 10 → 0.3",
    targets: "weak 16, uniform",
    question: "4 γ annealing",
  },
  {
    name: "sdtw-75-last-anneal",
    config: { ...sdtw75l, gamma: { ...GAMMA_ANNEALING } as ScheduleSpec },
    loss: "soft-DTW, γ 10 → 0.3",
    targets: "weak 75, last",
    question: "4 γ annealing",
  },
  {
    name: "sdtw-16-uniform-prior",
    config: { ...sdtw16u, prior: { weight: { ...(PRIOR.weight as object) }, nu: PRIOR.nu } },
    loss: `soft-DTW, diagonal prior 3 → 0, ν ${PRIOR_NU}`,
    targets: "weak 16, uniform",
    question: "4 diagonal prior",
  },
  {
    name: "sdtw-75-last-prior",
    config: { ...sdtw75l, prior: { weight: { ...(PRIOR.weight as object) }, nu: PRIOR.nu } },
    loss: `soft-DTW, diagonal prior 3 → 0, ν ${PRIOR_NU}`,
    targets: "weak 75, last",
    question: "4 diagonal prior",
  },
  {
    name: "sdtw-div-16-uniform",
    config: { loss: "soft-dtw-divergence", softLength: 16, padding: "uniform" },
    loss: "soft-DTW divergence",
    targets: "weak 16, uniform",
    question: "5 divergence",
  },
  {
    name: "sdtw-16-uniform-w101",
    config: { ...sdtw16u, stepWeights: steps(STEPS_101) },
    loss: "soft-DTW, step weights [1,0,1]",
    targets: "weak 16, uniform",
    question: "6 step weights",
  },
  {
    name: "sdtw-75-last-w101",
    config: { ...sdtw75l, stepWeights: steps(STEPS_101) },
    loss: "soft-DTW, step weights [1,0,1]",
    targets: "weak 75, last",
    question: "6 step weights",
  },
  {
    name: "sdtw-16-uniform-w112",
    config: { ...sdtw16u, stepWeights: steps(STEPS_112) },
    loss: "soft-DTW, step weights [1,1,2]",
    targets: "weak 16, uniform",
    question: "6 step weights",
  },
  {
    name: "sdtw-75-last-w112",
    config: { ...sdtw75l, stepWeights: steps(STEPS_112) },
    loss: "soft-DTW, step weights [1,1,2]",
    targets: "weak 75, last",
    question: "6 step weights",
  },
] as ExtendedEntry[]);

/** Epochs at which notebook 07 shows the followed segment's alignment or CTC posterior. */
export const EXTENDED_CAPTURE_EPOCHS: readonly number[] = Object.freeze([1, 10, 50, 161]);

/** A configuration of the extended table with its experiment result. */
export interface ExtendedRow {
  /** The configuration. */
  entry: ExtendedEntry;
  /** Its experiment result. */
  result: ExperimentResult;
}

/** Options of {@linkcode runExtendedTable}. */
export interface ExtendedTableOptions {
  /** Runs per configuration (default 5). */
  runs?: number;
  /** The data (default `loadSplits()`). */
  data?: Splits;
  /** A shared worker pool (default: one of 2 workers, terminated at the end). */
  pool?: WorkerPool;
  /** Read cached experiments (default true). */
  useCache?: boolean;
  /** Cache directory (default `results/cache/`). */
  cacheDir?: string;
  /** Only these configurations (names; default all). */
  only?: readonly string[];
  /** Progress of configuration `name` (per epoch of each run). */
  onProgress?: (name: string) => (p: ExperimentProgress) => void;
  /** Called when configuration `name` is done. */
  onDone?: (name: string, result: ExperimentResult) => void;
}

/**
 * Runs (or reads from the cache) the experiments of {@linkcode EXTENDED_TABLE}, concurrently on
 * one worker pool, each like Table 4.1's (`runExperiment`: same data, test excerpt, evaluation and
 * runs), with the alignments (or CTC posteriors) of the followed segment captured at
 * {@linkcode EXTENDED_CAPTURE_EPOCHS} in run 1. Returns the rows in table order.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb and by `deno task reproduce`.
 *
 * @example
 * ```ts
 * import { runExtendedTable } from "./extended.ts";
 * const rows = await runExtendedTable({ only: ["ctc"] }); // from the cache when present
 * rows[0].result.summary.f1.mean;
 * ```
 */
export async function runExtendedTable(
  options: ExtendedTableOptions = {},
): Promise<ExtendedRow[]> {
  const entries = EXTENDED_TABLE.filter((e) => !options.only || options.only.includes(e.name));
  for (const name of options.only ?? []) {
    if (!EXTENDED_TABLE.some((e) => e.name === name)) {
      throw new RangeError(
        `unknown extended configuration "${name}" (known: ${
          EXTENDED_TABLE.map((e) => e.name).join(", ")
        })`,
      );
    }
  }
  const data = options.data ?? await loadSplits();
  const pool = options.pool ?? new WorkerPool(2);
  try {
    return await Promise.all(entries.map(async (entry) => {
      const result = await runExperiment({
        config: entry.config as TrainConfig,
        runs: options.runs,
        data,
        pool,
        useCache: options.useCache,
        cacheDir: options.cacheDir,
        alignmentEpochs: EXTENDED_CAPTURE_EPOCHS,
        alignmentSegment: { ...FOLLOWED_SEGMENT },
        alignmentRuns: "first",
        onProgress: options.onProgress?.(entry.name),
      });
      options.onDone?.(entry.name, result);
      return { entry, result };
    }));
  } finally {
    if (!options.pool) pool.terminate();
  }
}

/** How far the true alignment of the training segments lies from the diagonal shares. */
export interface DiagonalDistance {
  /** Soft length of the uniform weak targets. */
  softLength: number;
  /** Frames per target element (150 / soft length). */
  share: number;
  /** Share of frames whose true target element's diagonal share contains them. */
  inside: number;
  /** Root mean square of the distance (frames) from each frame to its element's share. */
  rms: number;
  /** 90th percentile of that distance (frames). */
  p90: number;
}

/**
 * The statistic behind the prior's width {@linkcode PRIOR_NU}: for weak targets stretched
 * uniformly to `softLength`, every frame's true target elements (the uniform copies of its chord
 * run) and the distance from the frame's centre to the nearest of their diagonal shares (0 inside,
 * as the prior of `lib/align/prior.ts` measures it). Uses the strong labels of the segments.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb (the choice of ν).
 *
 * @example
 * ```ts
 * import { diagonalDistance } from "./extended.ts";
 * const seg = { song: "x", index: 0, start: 0, chroma: [], labels: [0, 0, 0, 7] };
 * diagonalDistance([seg], 2).inside; // 0.75: frame 2 (still chord 0) lies in element 1's share
 * ```
 */
export function diagonalDistance(
  segments: readonly Segment[],
  softLength: number,
): DiagonalDistance {
  const d: number[] = [];
  let M = 0;
  for (const seg of segments) {
    M = seg.labels.length;
    const reduced = removeRepetitions(seg.labels);
    const counts = uniformRepeats(reduced.length, softLength);
    const starts: number[] = [];
    counts.reduce((acc, c) => (starts.push(acc), acc + c), 0);
    const share = M / softLength;
    let b = -1;
    seg.labels.forEach((l, m) => {
      if (m === 0 || l !== seg.labels[m - 1]) b++;
      const t = m + 0.5;
      let best = Infinity;
      for (let n = starts[b]; n < starts[b] + counts[b]; n++) {
        best = Math.min(best, Math.max(0, n * share - t, t - (n + 1) * share));
      }
      d.push(best);
    });
  }
  const sorted = [...d].sort((a, b) => a - b);
  return {
    softLength,
    share: M / softLength,
    inside: d.filter((x) => x === 0).length / d.length,
    rms: Math.sqrt(d.reduce((s, x) => s + x * x, 0) / d.length),
    p90: sorted[Math.floor(0.9 * (sorted.length - 1))],
  };
}

/**
 * The configurations whose run 1 is also trained to the end by the tfjs engine (WebAssembly
 * backend) as the cross-check of the float64 engine: one per new kind of loss (CTC, step
 * weights without padding, γ annealing with the prior's machinery, the divergence is covered by
 * the loss-curve check of the first epochs).
 */
export const CROSS_CHECKED: readonly string[] = Object.freeze([
  "ctc",
  "sdtw-sequence-w101",
  "sdtw-16-uniform-anneal",
]);
