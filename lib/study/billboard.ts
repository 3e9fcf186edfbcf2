/**
 * The weak-label study on 541 Billboard songs (notebooks/08_weak_labels_at_scale.ipynb): the
 * report's question, can a chord recognizer learn from chord labels without timings, asked at
 * scale, of dChord and of a CNN.
 *
 * Every dChord row trains dChord with an N output (`trainOnSongs` of lib/chords: 37 parameters, whole
 * songs, minibatches of 16 shuffled songs, Adam, early stopping on the 42 validation songs) on
 * the 400 training songs with one kind of label, and is evaluated on the 99 test songs as the
 * field does (mir_eval's WCSR `root`, `majmin`, `mirex` and segmentation, lib/chords/evaluation),
 * with frame-wise decoding and with HMM/Viterbi smoothing:
 *
 * - `strong-bce`: the frame labels (strong, the upper reference), BCE;
 * - `distorted-<σ>s-bce`: the frame labels of the reference with every chord boundary moved by
 *   Gaussian noise of σ seconds (`distortBoundaries`, a new draw per song and run), BCE;
 *   `offset-<d>s-bce`: every boundary moved by d seconds;
 * - `weak-<padding>-sdtw`: the report's weak targets on this data (`weakSegments`): the
 *   frames cut into 150-frame segments, each segment's chords with repetitions removed and
 *   padded to 16 or 75 (uniform or last) or not padded, soft-DTW (γ = 0.3) per segment;
 * - `unaligned-sdtw`: one target per song, its whole chord sequence without any time
 *   (`chordSequence`), soft-DTW (γ = 0.3) of the whole song against it; `unaligned-sdtw-w011`
 *   the same with the step weights that notebook 07 found to stop the collapse of short
 *   targets (the paper's [1, 0, 1]: a step to the next frame on the same chord is free; our
 *   `stepWeights: [0, 1, 1]`, rows = frames); `unaligned-sdtw-anneal` with γ annealed from 10
 *   to 0.3 over the first 8 epochs and `unaligned-sdtw-prior` with the diagonal prior, weight 1
 *   fading to 0 over the first 8 epochs (notebook 07's other stabilizers, on whole songs);
 * - `unaligned-ctc`: the same sequences with CTC, N as the blank (song_trainer.ts says why);
 * - `two-step-bce`: the same sequences aligned to the frames by hard DTW on the current model's
 *   log-probabilities (`forcedAlignment`), BCE on those labels, then re-aligned with the
 *   trained model, 3 times (Wu, Carsault & Yoshii, EUSIPCO 2019, DTW in place of their HMM);
 *   each round starts from the previous round's weights with a fresh Adam and its own early
 *   stopping; the run's curves and epochs are the rounds' one after another.
 *
 * The rows of {@linkcode CNN_ROWS} are repeated with a model with temporal context, the 1-D CNN
 * over bass and treble chroma of lib/chords (`cnnModel`, 4665 parameters, ±0.93 s), named
 * `cnn-<row>`, trained by the same trainer on the same labels with {@linkcode CNN_PROCEDURE}
 * from its seeded random initialization; the two-step row's first alignment is made by the
 * untrained dChord (binary triads: no timing and no training), the later ones by the CNN.
 *
 * The validation songs carry the same kind of label as the training songs (a study without
 * timings has no timed validation labels either). The HMM's self-transition probability is the
 * same for every row and needs no timing: `1 − changes / steps`, with the changes counted in the
 * training songs' chord sequences (length − 1) and the steps in their frames.
 *
 * @example
 * ```ts
 * import { BILLBOARD_ROWS } from "./billboard.ts";
 * BILLBOARD_ROWS.map((r) => r.name); // ["strong-bce", ...]
 * ```
 *
 * @module
 */
import {
  type BillboardSplit,
  type BlankWeights,
  type ChordInterval,
  chordIntervals,
  type ChordScores,
  chordSequence,
  CNN_TRAINING,
  cnnModel,
  cnnParameters,
  dchordNSongModel,
  dchordNWeights,
  type Decoding,
  distortBoundaries,
  evaluateChords,
  forcedAlignment,
  initialBlankWeights,
  MAJMIN_LABELS,
  majminFrameLabels,
  MODEL_FORMAT,
  type ModelFile,
  mulberry32,
  type Padding,
  recognizerFromFile,
  type SongChordEvaluation,
  type SongConfig,
  type SongModel,
  summarizeChords,
  type TrainingSong,
  trainOnSongs,
  weakSegments,
} from "../chords/mod.ts";
import type { BillboardStudyData, StudySong } from "./billboard_data.ts";

/**
 * The training procedure of every row: at most 20 epochs of 25 minibatches, stopping after 3
 * epochs without a better validation loss (the validation loss flattens within about ten
 * epochs; the limit keeps the study within the machine's means).
 */
export const PROCEDURE = Object.freeze({ epochs: 20, patience: 3 });

/**
 * The training procedure of the CNN rows: Adam with the CNN's own learning rate and minibatches
 * (`CNN_TRAINING`: 0.01 on batches of 4 songs, 100 steps per epoch), at most 6 epochs, stopping
 * after 2 without a better validation loss. A CNN epoch costs about 7 times a dChord epoch
 * (10.9 s against 1.5 s for BCE over the 400 songs in TypeScript, `tools/cnn_check.ts`; its
 * WebAssembly kernel makes that about 4 times less), and on strong labels
 * it reaches 72 % validation frame accuracy by its sixth epoch: 6 epochs keep all rows of both
 * models within the study's hour.
 */
export const CNN_PROCEDURE = Object.freeze({
  epochs: 6,
  patience: 2,
  learningRate: CNN_TRAINING.learningRate,
  batchSize: CNN_TRAINING.batchSize,
});

/**
 * The rows that also train the CNN (the same labels and loss, `model: "cnn"`): every row but the
 * diagonal prior (no effect on dChord's unaligned soft-DTW) and CTC with N as the blank (a
 * failure of the target, not of the model: see song_trainer.ts).
 */
export const CNN_ROWS: readonly string[] = Object.freeze([
  "strong-bce",
  "unaligned-sdtw",
  "unaligned-sdtw-w011",
  "distorted-1s-bce",
  "distorted-3s-bce",
  "distorted-0.3s-bce",
  "distorted-0.1s-bce",
  "offset-0.5s-bce",
  "weak-uniform16-sdtw",
  "weak-last16-sdtw",
  "weak-uniform75-sdtw",
  "weak-last75-sdtw",
  "weak-nopad-sdtw",
  "unaligned-sdtw-anneal",
  "two-step-bce",
]);

/** Frames per segment of the weak rows (the report's 150, about 14 s). */
export const WEAK_SEGMENT_FRAMES = 150;

/** One row of the study: which labels, which loss. */
export interface BillboardRow {
  /** Stable name: cache files and `models/billboard-dchord-<name>.json`. */
  name: string;
  /** What the table says. */
  label: string;
  /** The labels trained on. */
  labels:
    | { kind: "strong" }
    | { kind: "distorted"; sigma: number; offset: number }
    | { kind: "weak"; segmentLength: number; softLength: number | null; padding?: Padding }
    | { kind: "unaligned" }
    | { kind: "two-step"; rounds: number };
  /** The training configuration (the seed is the run number). */
  config: SongConfig;
  /**
   * The model trained: absent for dChord with an N output (`dchordNSongModel`), `"cnn"` for the
   * 1-D CNN over bass and treble chroma (`cnnModel()`, {@linkcode CNN_PROCEDURE}). Absent rather
   * than `"dchord-n"` so that the dChord rows keep their cache keys.
   */
  model?: "cnn";
}

const DCHORD_ROWS: readonly BillboardRow[] = [
  {
    name: "strong-bce",
    label: "strong labels, BCE",
    labels: { kind: "strong" },
    config: { loss: "bce", ...PROCEDURE },
  },
  {
    name: "unaligned-sdtw",
    label: "unaligned (whole-song sequence), soft-DTW",
    labels: { kind: "unaligned" },
    config: { loss: "soft-dtw", gamma: 0.3, ...PROCEDURE },
  },
  {
    name: "unaligned-sdtw-w011",
    label: "unaligned (whole-song sequence), soft-DTW, step weights [1, 0, 1]",
    labels: { kind: "unaligned" },
    config: { loss: "soft-dtw", gamma: 0.3, stepWeights: [0, 1, 1], ...PROCEDURE },
  },
  ...[1, 3, 0.3, 0.1].map((sigma): BillboardRow => ({
    name: `distorted-${sigma}s-bce`,
    label: `boundaries + N(0, ${sigma} s), BCE`,
    labels: { kind: "distorted", sigma, offset: 0 },
    config: { loss: "bce", ...PROCEDURE },
  })),
  {
    name: "offset-0.5s-bce",
    label: "boundaries + 0.5 s (global offset), BCE",
    labels: { kind: "distorted", sigma: 0, offset: 0.5 },
    config: { loss: "bce", ...PROCEDURE },
  },
  ...([[16, "uniform"], [16, "last"], [75, "uniform"], [75, "last"], [null, undefined]] as const)
    .map(([softLength, padding]): BillboardRow => ({
      name: `weak-${softLength === null ? "nopad" : `${padding}${softLength}`}-sdtw`,
      label: `weak (150-frame segments), ${
        softLength === null ? "no padding" : `padding ${softLength} ${padding}`
      }, soft-DTW`,
      labels: { kind: "weak", segmentLength: WEAK_SEGMENT_FRAMES, softLength, padding },
      config: { loss: "soft-dtw", gamma: 0.3, target: "segments", ...PROCEDURE },
    })),
  {
    name: "unaligned-sdtw-anneal",
    label: "unaligned (whole-song sequence), soft-DTW, γ annealed 10 → 0.3",
    labels: { kind: "unaligned" },
    config: { loss: "soft-dtw", gamma: 0.3, annealFrom: 10, scheduleEpochs: 8, ...PROCEDURE },
  },
  {
    name: "unaligned-sdtw-prior",
    label: "unaligned (whole-song sequence), soft-DTW, diagonal prior 1 → 0",
    labels: { kind: "unaligned" },
    config: { loss: "soft-dtw", gamma: 0.3, prior: 1, scheduleEpochs: 8, ...PROCEDURE },
  },
  {
    name: "unaligned-ctc",
    label: "unaligned (whole-song sequence), CTC (N as blank)",
    labels: { kind: "unaligned" },
    config: { loss: "ctc", ...PROCEDURE },
  },
  {
    name: "two-step-bce",
    label: "unaligned, two-step: DTW forced alignment + BCE, 3 rounds",
    labels: { kind: "two-step", rounds: 3 },
    config: { loss: "bce", ...PROCEDURE },
  },
];

/**
 * The rows of the study's table, in order: every dChord row, then the CNN rows of
 * {@linkcode CNN_ROWS} (name `cnn-<row>`, the dChord row's labels and loss with
 * {@linkcode CNN_PROCEDURE}).
 */
export const BILLBOARD_ROWS: readonly BillboardRow[] = Object.freeze([
  ...DCHORD_ROWS,
  ...DCHORD_ROWS.filter((r) => CNN_ROWS.includes(r.name)).map((row): BillboardRow => ({
    name: `cnn-${row.name}`,
    label: row.label,
    labels: row.labels,
    config: { ...row.config, ...CNN_PROCEDURE },
    model: "cnn",
  })),
]);

/** The model kind of a row: `"cnn"` or `"dchord-n"`. */
export function rowModelKind(row: BillboardRow): "cnn" | "dchord-n" {
  return row.model === "cnn" ? "cnn" : "dchord-n";
}

/** The {@linkcode SongModel} a row trains (see {@linkcode BillboardRow.model}). */
export function rowModel(row: BillboardRow): SongModel {
  return row.model === "cnn" ? cnnModel() : dchordNSongModel;
}

/** Looks a row up by name; throws naming the known ones. */
export function billboardRow(name: string): BillboardRow {
  const row = BILLBOARD_ROWS.find((r) => r.name === name);
  if (!row) {
    throw new RangeError(
      `no Billboard row ${name} (known: ${BILLBOARD_ROWS.map((r) => r.name).join(", ")})`,
    );
  }
  return row;
}

function songsOf(data: BillboardStudyData, split: BillboardSplit): StudySong[] {
  return data.songs.filter((s) => s.split === split);
}

/**
 * The training (or validation) songs of a row and run: the labels and target sequence each
 * song carries under the row's kind of label (distortions drawn from `mulberry32` seeded by
 * the run and the song's position; weak segments cut from the reference's frame labels; no
 * frame labels for the weak, unaligned and two-step rows, whose rounds label the frames by
 * forced alignment in {@linkcode trainBillboardRun}).
 *
 * @example
 * ```ts
 * import { billboardRow, trainingSongs } from "./billboard.ts";
 * import { loadBillboardStudy } from "./billboard_data.ts";
 * const data = await loadBillboardStudy({ ids: ["0004"] });
 * trainingSongs(data, "train", billboardRow("unaligned-sdtw"), 1)[0].sequence.length > 0; // true
 * ```
 */
export function trainingSongs(
  data: BillboardStudyData,
  split: BillboardSplit,
  row: BillboardRow,
  run: number,
): TrainingSong[] {
  return songsOf(data, split).map((s, i) => {
    let labels = s.labels;
    if (row.labels.kind === "distorted") {
      const random = mulberry32(run * 1_000_003 + i * 7919 + (split === "train" ? 0 : 500_000));
      const distorted = distortBoundaries(s.reference, { ...row.labels, random });
      labels = majminFrameLabels(distorted, { frameRate: data.frameRate, frames: s.labels.length });
    } else if (row.labels.kind !== "strong") {
      labels = new Int32Array(s.labels.length).fill(-1); // no frame labels at all
    }
    const song: TrainingSong = {
      id: s.id,
      treble: s.treble,
      bass: s.bass,
      labels,
      sequence: chordSequence(s.reference),
    };
    if (row.labels.kind === "weak") song.segments = weakSegments(s.labels, row.labels).segments;
    return song;
  });
}

/**
 * The HMM self-transition probability of the study (see the module doc): `1 − changes / steps`
 * from the training songs' chord sequences and frame counts, no timing needed.
 */
export function studySelfTransition(
  data: { songs: readonly Pick<StudySong, "split" | "labels" | "reference">[] },
): number {
  let changes = 0, steps = 0;
  for (const s of data.songs.filter((s) => s.split === "train")) {
    changes += Math.max(0, chordSequence(s.reference).length - 1);
    steps += s.labels.length - 1;
  }
  return 1 - changes / steps;
}

/** One trained run of a row (what the result cache holds). */
export interface BillboardRun {
  /** Row name. */
  row: string;
  /** Run number (from 1; the trainer's shuffling seed). */
  run: number;
  /** Training loss per epoch. */
  trainLoss: number[];
  /** Validation loss per epoch. */
  validationLoss: number[];
  /** Epoch with the lowest validation loss. */
  bestEpoch: number;
  /** dChord rows: the weights of the best epoch (`blank` is the N template). */
  weights?: BlankWeights;
  /** CNN rows: the parameter vector of the best epoch (`cnnModel()`'s layout). */
  parameters?: number[];
  /** dChord rows: the weights after every epoch (index 0 = epoch 1); CNN rows: none. */
  epochWeights: BlankWeights[];
}

/**
 * Trains one run of a row on the study's data. For the two-step rows the first alignment is
 * made by the untrained dChord-N (binary triads: no timing and no training needed), the later
 * ones by the row's own model after the previous round.
 *
 * @example
 * ```ts
 * import { billboardRow, trainBillboardRun } from "./billboard.ts";
 * import { loadBillboardStudy } from "./billboard_data.ts";
 * const data = await loadBillboardStudy({ ids: ["0004", "0006", "0010"] });
 * ```
 */
export function trainBillboardRun(
  data: BillboardStudyData,
  row: BillboardRow,
  run: number,
  onEpoch?: (
    info: { epoch: number; trainLoss: number; validationLoss: number; weights?: BlankWeights },
  ) => void,
): BillboardRun {
  const model = rowModel(row);
  const isDchord = rowModelKind(row) === "dchord-n";
  const epochWeights: BlankWeights[] = [];
  const trainLoss: number[] = [], validationLoss: number[] = [];
  let train = trainingSongs(data, "train", row, run);
  let validation = trainingSongs(data, "validation", row, run);
  const rounds = row.labels.kind === "two-step" ? row.labels.rounds : 1;
  let params: Float64Array | undefined, bestEpoch = 0;
  for (let round = 1; round <= rounds; round++) {
    if (row.labels.kind === "two-step") {
      const aligner = params === undefined ? dchordNSongModel : model;
      const current = params ?? dchordNSongModel.init(run);
      const align = (s: TrainingSong): TrainingSong => ({
        ...s,
        labels: forcedAlignment(aligner.forward(current, s).logProbabilities, s.sequence),
      });
      train = train.map(align);
      validation = validation.map(align);
    }
    const before = trainLoss.length;
    const r = trainOnSongs({
      model,
      train,
      validation,
      config: { ...row.config, seed: run + 1000 * (round - 1) },
      init: params,
      onEpoch: (info) => {
        const weights = isDchord ? dchordNWeights(info.parameters) : undefined;
        if (weights) epochWeights.push(weights);
        onEpoch?.({ ...info, epoch: before + info.epoch, weights });
      },
    });
    trainLoss.push(...r.trainLoss);
    validationLoss.push(...r.validationLoss);
    params = r.parameters;
    bestEpoch = before + r.bestEpoch;
  }
  // key order as the cache files of dChord runs have always had it
  const head = { row: row.name, run, trainLoss, validationLoss, bestEpoch };
  return isDchord
    ? { ...head, weights: dchordNWeights(params!), epochWeights }
    : { ...head, parameters: Array.from(params!), epochWeights };
}

/**
 * The model file of a trained run: kind `dchord-n` (Chordino treble chroma) or, for the CNN
 * rows, kind `cnn` (bass and treble chroma), at the data's rate.
 */
export function billboardModelFile(
  data: BillboardStudyData,
  row: BillboardRow,
  run: BillboardRun,
): ModelFile {
  const common = {
    format: MODEL_FORMAT,
    labels: [...MAJMIN_LABELS],
    smoothing: { selfTransition: studySelfTransition(data) },
  };
  const provenance = (chroma: string) =>
    `deno task reproduce --only billboard, run ${run.run}, weights of its best ` +
    `validation epoch (${run.bestEpoch}); Chordino NNLS ${chroma}, pairs of frames ` +
    `averaged (data fingerprint ${data.fingerprint}); selfTransition from the training ` +
    "songs' chord sequences (no timing)";
  if (row.model === "cnn") {
    const model = cnnModel();
    if (!run.parameters) throw new RangeError(`run ${run.run} of ${row.name} has no parameters`);
    return {
      format: common.format,
      name: `billboard-${row.name}`,
      kind: "cnn",
      description:
        `A 1-D CNN over bass and treble chroma (${model.size} parameters) trained on 400 ` +
        `Billboard songs: ${row.label}`,
      provenance: provenance("bass and treble chroma"),
      features: { frameRate: data.frameRate, chroma: "bass+treble" },
      labels: common.labels,
      parameters: cnnParameters(model.architecture, Float64Array.from(run.parameters)),
      smoothing: common.smoothing,
    };
  }
  const w = run.weights;
  if (!w) throw new RangeError(`run ${run.run} of ${row.name} has no weights`);
  return {
    format: common.format,
    name: `billboard-dchord-${row.name}`,
    kind: "dchord-n",
    description:
      `dChord with an N output (37 parameters) trained on 400 Billboard songs: ${row.label}`,
    provenance: provenance("treble chroma"),
    features: { frameRate: data.frameRate, chroma: "treble" },
    labels: common.labels,
    parameters: { theta: w.theta, major: w.major, minor: w.minor, noChord: w.blank },
    smoothing: common.smoothing,
  };
}

/**
 * The model before any training (binary triads, θ = 0, flat N template at 1/4), as a model file
 * of the study's kind: the baseline every row starts from. Not saved under `models/`.
 */
export function untrainedModelFile(data: BillboardStudyData): ModelFile {
  const w = initialBlankWeights();
  return {
    ...billboardModelFile(data, BILLBOARD_ROWS[0], {
      row: "untrained",
      run: 1,
      trainLoss: [],
      validationLoss: [],
      bestEpoch: 0,
      weights: w,
      epochWeights: [],
    }),
    name: "billboard-dchord-untrained",
    description: "dChord with an N output before training: binary triads, θ = 0, flat N template",
    provenance: "initialBlankWeights(); no training",
  };
}

/** The evaluation of one model on the test songs, per decoding. */
export interface BillboardEvaluation {
  /** Per decoding: every test song's evaluation, in data order. */
  songs: Record<Decoding, SongChordEvaluation[]>;
  /** Per decoding: the dataset scores (`summarizeChords`). */
  scores: Record<Decoding, ChordScores>;
}

/** The decodings every row is evaluated with. */
export const DECODINGS: readonly Decoding[] = Object.freeze(["frame", "viterbi"]);

/**
 * Evaluates a model file on the data's test songs: intervals by `chordIntervals` (as
 * `deno task chords` writes them), scored against each song's reference by `evaluateChords`.
 */
export function evaluateOnTest(data: BillboardStudyData, file: ModelFile): BillboardEvaluation {
  const model = recognizerFromFile(file, file.name);
  const test = songsOf(data, "test");
  const songs = {} as Record<Decoding, SongChordEvaluation[]>;
  const scores = {} as Record<Decoding, ChordScores>;
  for (const decoding of DECODINGS) {
    songs[decoding] = test.map((s) => {
      const frames = s.labels.length;
      const treble = Array.from(
        { length: frames },
        (_, m) => s.treble.subarray(m * 12, m * 12 + 12),
      );
      const bass = file.features.chroma === "bass+treble"
        ? Array.from({ length: frames }, (_, m) => s.bass.subarray(m * 12, m * 12 + 12))
        : undefined;
      const estimate: ChordInterval[] = chordIntervals(
        model,
        { frameRate: data.frameRate, treble, bass },
        {
          decoding,
          duration: frames / data.frameRate,
        },
      );
      return evaluateChords(s.reference, estimate);
    });
    scores[decoding] = summarizeChords(songs[decoding]);
  }
  return { songs, scores };
}
