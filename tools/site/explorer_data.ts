/**
 * The data behind the explorer page (`report/explore.html`): the course's followed training
 * segment (the one whose expected alignments notebooks 04 and 05 show, `results/alignments.json`)
 * as the network saw it at epoch 1 and epoch 161, with its weak targets of soft length 16
 * (uniform and last padding), plus a small toy pair.
 *
 * The network outputs are not stored in `results/` (only the expected alignments are), so they
 * are recomputed here by the library's deterministic float64 trainer: run 1's initial weights,
 * trained for 160 epochs with the soft-DTW loss (γ = 0.3, soft length 16, the given padding).
 * The epoch-`e` output is the forward pass with the weights before the e-th update, as the
 * trainer's epoch convention says. Before the data is used it is checked against the stored
 * expected alignments of `results/alignments.json` (recomputed `∂SDTW/∂C` at γ = 0.3 must equal
 * the stored matrices to their 6 stored decimals), so the page shows the course's numbers.
 *
 * Used by `tools/site/build.ts` (the explorer of the course site, linked from
 * notebooks/02_gradient_expected_alignment.ipynb and notebooks/05_gamma_sweep.ipynb).
 *
 * @example
 * ```ts
 * import { explorerData } from "./explorer_data.ts";
 * const data = await explorerData();
 * data.examples.map((e) => e.id);
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { softDtwValueAndGrad, squaredEuclideanCost } from "../../lib/align/mod.ts";
import {
  CHORD_LABELS,
  forward64,
  type Padding,
  trainModel,
  weakTargets,
} from "../../lib/chords/mod.ts";
import { DEFAULT_PERTURBATION, loadSplits, runInit } from "../../lib/study/mod.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** One example of the explorer: a prediction (rows) against a target (columns). */
export interface ExplorerExample {
  /** Identifier used in the page's example menu. */
  id: string;
  /** What the menu shows. */
  label: string;
  /** One sentence about the example. */
  description: string;
  /** The prediction, frames × features (network outputs: softmax over the 24 chords). */
  x: number[][];
  /** The target, elements × features (one-hot weak target). */
  y: number[][];
  /** Axis title of the rows. */
  rowTitle: string;
  /** Axis title of the columns. */
  colTitle: string;
  /** Tick labels of the columns (chord names of the target elements), if any. */
  colLabels?: string[];
  /** The label sequence of the target, if it is a chord sequence (for CTC). */
  labels?: number[];
}

/** Everything the explorer page needs. */
export interface ExplorerData {
  /** The examples, the toy pair first. */
  examples: ExplorerExample[];
  /** γ of the course's training (the starting value of the slider). */
  trainingGamma: number;
  /** Where the followed segment comes from. */
  segment: { song: string; index: number; trainIndex: number; run: number };
}

interface StoredAlignments {
  configuration: string;
  softLength: number;
  padding: Padding;
  gamma: number;
  segment: { epochs: number[]; segment: number; song: string; index: number };
  run: number;
  alignments: { epoch: number; segment: number; matrix: number[][] }[];
}

/**
 * The toy pair: two short one-dimensional sequences, as in notebook 01.
 *
 * @example
 * ```ts
 * import { toyExample } from "./explorer_data.ts";
 * toyExample().x.length; // 8
 * ```
 */
export function toyExample(): ExplorerExample {
  const x = [0, 1, 3, 3, 2, 0, 0, 1].map((v) => [v]);
  const y = [0, 3, 2, 0, 1].map((v) => [v]);
  return {
    id: "toy",
    label: "Toy pair: 8 against 5 numbers",
    description: "x = (0, 1, 3, 3, 2, 0, 0, 1) against y = (0, 3, 2, 0, 1), squared difference " +
      "as the local cost.",
    x,
    y,
    rowTitle: "x (index)",
    colTitle: "y (index)",
  };
}

/** "LetItBe" → "Let It Be". */
const songTitle = (id: string) => id.replace(/([a-z])([A-Z])/g, "$1 $2");

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Builds the explorer's examples and checks the followed segment against the stored expected
 * alignments (throws naming the configuration and epoch when they differ by more than the
 * storage rounding).
 *
 * @example
 * ```ts
 * import { explorerData } from "./explorer_data.ts";
 * (await explorerData()).examples.length; // 5: the toy pair and 2 paddings × 2 epochs
 * ```
 */
export async function explorerData(
  options: { alignmentsPath?: string } = {},
): Promise<ExplorerData> {
  const path = options.alignmentsPath ?? join(ROOT, "results", "alignments.json");
  const stored = JSON.parse(await Deno.readTextFile(path)) as StoredAlignments[];
  const splits = await loadSplits();
  const examples: ExplorerExample[] = [toyExample()];
  let segmentInfo: ExplorerData["segment"] | undefined;
  let trainingGamma = 0.3;
  for (const padding of ["uniform", "last"] as const) {
    const entry = stored.find((s) => s.softLength === 16 && s.padding === padding);
    if (!entry) throw new Error(`${path}: no stored alignment for soft length 16, ${padding}`);
    trainingGamma = entry.gamma;
    const seg = splits.train[entry.segment.segment];
    if (!seg || seg.song !== entry.segment.song || seg.index !== entry.segment.index) {
      throw new Error(
        `${path}: training segment ${entry.segment.segment} is not ` +
          `${entry.segment.song} #${entry.segment.index}`,
      );
    }
    segmentInfo = {
      song: seg.song,
      index: seg.index,
      trainIndex: entry.segment.segment,
      run: entry.run,
    };
    const target = weakTargets(seg.labels, { softLength: 16, padding });
    const targetLabels = target.map((row) => row.indexOf(1));
    const flat = new Float64Array(seg.chroma.flat());
    const init = runInit(entry.run, DEFAULT_PERTURBATION);
    const last = Math.max(...entry.alignments.map((a) => a.epoch));
    // weights before the e-th update: e − 1 updates from the initial weights
    const trained = last > 1
      ? trainModel({
        train: splits.train,
        validation: splits.validation,
        config: {
          loss: "soft-dtw",
          gamma: entry.gamma,
          softLength: 16,
          padding,
          epochs: last - 1,
          init,
        },
      }).finalWeights
      : init;
    for (const a of entry.alignments) {
      const weights = a.epoch === 1 ? init : a.epoch === last ? trained : null;
      if (weights === null) continue;
      const P = forward64(weights, flat).probabilities;
      const x = Array.from(
        { length: seg.chroma.length },
        (_, n) => Array.from(P.subarray(n * 24, n * 24 + 24)),
      );
      const { grad } = softDtwValueAndGrad(squaredEuclideanCost(x, target), { gamma: entry.gamma });
      let worst = 0;
      grad.forEach((row, i) =>
        row.forEach((v, j) => worst = Math.max(worst, Math.abs(round(v, 6) - a.matrix[i][j])))
      );
      if (worst > 1.5e-6) {
        throw new Error(
          `explorer data: the recomputed expected alignment of ${entry.configuration}, epoch ` +
            `${a.epoch}, differs from ${path} by ${worst} (stale results/ or changed trainer?)`,
        );
      }
      examples.push({
        id: `segment-${padding}-e${a.epoch}`,
        label: `Followed segment, soft length 16 ${padding}, epoch ${a.epoch}`,
        description: `Network output at epoch ${a.epoch} (training run ${entry.run}, γ = ` +
          `${entry.gamma}) for training segment ${songTitle(seg.song)} #${seg.index}, ` +
          `${seg.chroma.length} frames, against ` +
          `its weak target: soft length 16, ${padding} padding.`,
        x: x.map((row) => row.map((v) => v)),
        y: target,
        rowTitle: "frame",
        colTitle: "target element",
        colLabels: targetLabels.map((c) => c < 0 ? "N" : CHORD_LABELS[c]),
        labels: targetLabels,
      });
    }
  }
  return { examples, trainingGamma, segment: segmentInfo! };
}

if (import.meta.main) {
  const t = performance.now();
  const data = await explorerData();
  console.log(
    data.examples.map((e) => `${e.id}: ${e.x.length}×${e.y.length}`).join("\n"),
    `\n${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
}
