/**
 * A training check of the CNN (`lib/chords/model/cnn.ts`) run by hand: the whole-song trainer
 * (`trainOnSongs`; strong labels with BCE, or with `--loss soft-dtw` each song's chord sequence
 * without times, γ 0.3, plain soft-DTW) on a seeded random subset of the Billboard training
 * songs, early stopping on the 42 validation songs, for one or more learning rates, beside dChord
 * with an N output (the study's other model) on the same songs. Prints per epoch the training
 * and validation loss, the validation frame accuracy (frames with a majmin label, the most
 * probable of the 25 outputs against it) and the epoch's time, and per run its best epoch.
 * This is how `CNN_TRAINING`'s learning rate was chosen; the README quotes its output.
 *
 * ```sh
 * deno run -A tools/cnn_check.ts [--songs 400] [--epochs 8] [--rates 0.01[,0.003...]]
 *   [--batch 4] [--loss bce|soft-dtw] [--models cnn,dchord-n] [--seed 1] [--out model.json]
 *   [--name NAME]
 * ```
 *
 * `--out` writes the CNN of the last rate's best epoch as a model file (kind `cnn`, never over
 * an existing file; `--name` its name, default `billboard-cnn-check-strong-bce`) with the HMM
 * self-transition of the Billboard study (`studySelfTransition`: from the chord sequences and
 * frame counts of all 400 training songs, whatever `--songs` is).
 *
 * @example
 * ```ts
 * import { main } from "./cnn_check.ts";
 * await main(["--songs", "4", "--epochs", "1", "--models", "cnn"]);
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  BILLBOARD_DEFECTS,
  billboardDir,
  type BillboardFeatures,
  CHORDINO_PAIR_RATE,
  chordSequence,
  CNN_TRAINING,
  cnnModel,
  cnnParameters,
  dchordNSongModel,
  loadBillboardFeatures,
  MAJMIN_LABELS,
  type ModelFile,
  mulberry32,
  type SongModel,
  type TrainingSong,
  trainOnSongs,
} from "../lib/chords/mod.ts";
import { studySelfTransition, writeFileAtomic } from "../lib/study/mod.ts";

/** A study song as the trainer reads it: strong labels, and the chord sequence without times. */
function trainingSong(s: BillboardFeatures): TrainingSong {
  if (s.labels === null || s.reference === null) {
    throw new Error(`Billboard song ${s.id} has no reference`);
  }
  return {
    id: s.id,
    treble: s.treble,
    bass: s.bass,
    labels: s.labels,
    sequence: chordSequence(s.reference),
  };
}

/** Share of labelled frames whose most probable output is their label. */
export function frameAccuracy(model: SongModel, params: Float64Array, songs: TrainingSong[]) {
  let right = 0, total = 0;
  for (const song of songs) {
    const lq = model.forward(params, song).logProbabilities;
    song.labels.forEach((y, m) => {
      if (y < 0) return;
      let best = 0;
      for (let k = 1; k < 25; k++) if (lq[m * 25 + k] > lq[m * 25 + best]) best = k;
      total++;
      if (best === y) right++;
    });
  }
  return right / total;
}

/** Runs the check on its arguments (see the module doc). */
export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      songs: { type: "string", default: "400" },
      epochs: { type: "string", default: "8" },
      rates: { type: "string", default: String(CNN_TRAINING.learningRate) },
      models: { type: "string", default: "cnn,dchord-n" },
      seed: { type: "string", default: "1" },
      batch: { type: "string", default: String(CNN_TRAINING.batchSize) },
      loss: { type: "string", default: "bce" },
      out: { type: "string" },
      name: { type: "string", default: "billboard-cnn-check-strong-bce" },
    },
  });
  const count = Number(values.songs), epochs = Number(values.epochs), seed = Number(values.seed);
  const batchSize = Number(values.batch);
  const rates = values.rates.split(",").map(Number);
  for (
    const [name, v] of [["--songs", count], ["--epochs", epochs], ["--seed", seed], [
      "--batch",
      batchSize,
    ]] as const
  ) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer`);
  }
  if (rates.some((r) => !(r > 0) || !Number.isFinite(r))) {
    throw new RangeError("--rates must be positive numbers separated by commas");
  }
  const loss = values.loss;
  if (loss !== "bce" && loss !== "soft-dtw") {
    throw new RangeError(`--loss must be bce or soft-dtw, got ${loss}`);
  }
  const kinds = values.models.split(",");
  for (const k of kinds) {
    if (k !== "cnn" && k !== "dchord-n") throw new RangeError(`--models: unknown model ${k}`);
  }
  if (values.out !== undefined) {
    const exists = await Deno.stat(values.out).then(() => true, () => false);
    if (exists) throw new Error(`${values.out} already exists`);
  }
  const load = (split: "train" | "validation") =>
    loadBillboardFeatures(billboardDir(), {
      frameRate: CHORDINO_PAIR_RATE,
      split,
      exclude: Object.keys(BILLBOARD_DEFECTS),
      reference: "full",
    });
  const loaded = await load("train");
  const selfTransition = studySelfTransition({
    songs: loaded.map((s) => ({ split: "train", labels: s.labels!, reference: s.reference! })),
  });
  const all = loaded.map(trainingSong);
  const rand = mulberry32(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const train = all.slice(0, count);
  const validation = (await load("validation")).map(trainingSong);
  const frames = train.reduce((a, s) => a + s.labels.length, 0);
  console.log(`${train.length} training songs (${frames} frames), ${validation.length} validation`);
  let last: { params: Float64Array; epoch: number; rate: number } | null = null;
  const cnn = cnnModel();
  for (const kind of kinds) {
    const model: SongModel = kind === "cnn" ? cnn : dchordNSongModel;
    for (const learningRate of kind === "cnn" ? rates : [0.05]) {
      console.log(`${kind} (${model.size} parameters), learning rate ${learningRate}`);
      let t0 = performance.now();
      const r = trainOnSongs({
        model,
        train,
        validation,
        config: { loss, epochs, learningRate, batchSize, patience: 3, seed },
        onEpoch({ epoch, trainLoss, validationLoss, parameters }) {
          const seconds = (performance.now() - t0) / 1000;
          const acc = frameAccuracy(model, parameters, validation);
          console.log(
            `  epoch ${epoch}: train ${trainLoss.toFixed(5)}, validation ${
              validationLoss.toFixed(5)
            }, validation frame accuracy ${(100 * acc).toFixed(1)} %, ${seconds.toFixed(1)} s`,
          );
          t0 = performance.now();
        },
      });
      console.log(`  best epoch ${r.bestEpoch}`);
      if (kind === "cnn") last = { params: r.parameters, epoch: r.bestEpoch, rate: learningRate };
    }
  }
  if (values.out !== undefined) {
    if (last === null) throw new RangeError("--out needs cnn among --models");
    const shown = args.filter((a, i) => !a.startsWith("--out") && args[i - 1] !== "--out");
    const file: ModelFile = {
      format: 1,
      name: values.name,
      kind: "cnn",
      description:
        `A 1-D CNN (${cnn.size} parameters) trained by tools/cnn_check.ts: strong labels, BCE`,
      provenance:
        `deno run -A tools/cnn_check.ts ${shown.join(" ")} --out FILE: ${train.length} training ` +
        `songs (Chordino NNLS bass and treble chroma, pairs of frames averaged), learning rate ` +
        `${last.rate}, batches of ${batchSize}, weights of the best validation epoch ` +
        `(${last.epoch}); selfTransition from the training songs' chord sequences (no timing)`,
      features: { frameRate: CHORDINO_PAIR_RATE, chroma: "bass+treble" },
      labels: [...MAJMIN_LABELS],
      parameters: cnnParameters(cnn.architecture, last.params),
      smoothing: { selfTransition },
    };
    await writeFileAtomic(values.out, JSON.stringify(file, null, 2) + "\n");
    console.log(`wrote ${values.out}`);
  }
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    console.error(`cnn_check: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
