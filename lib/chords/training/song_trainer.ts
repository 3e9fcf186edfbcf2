/**
 * Training on whole songs with minibatches: the trainer of the Billboard study
 * (notebooks/08_weak_labels_at_scale.ipynb). It trains any {@linkcode SongModel}
 * (song_model.ts: a parameter vector, a forward pass to per-frame log-probabilities over the
 * 25 outputs of `MAJMIN_LABELS`, and its backward pass); the default is dChord with a 25th "no
 * chord" output N (`dchordNSongModel` of dchord_song_model.ts, the `dchord-n` kind of
 * `lib/chords/model/recognizer.ts`: 37 parameters, the N template initialized flat at 1/4 so
 * that N ties the chords on a frame without harmony).
 *
 * Losses (a union keyed on `loss`, resolved once by {@linkcode resolveSongConfig}):
 *
 * - `"bce"`, strong labels: binary cross-entropy over the 25 softmax outputs and the frames
 *   that have a label (index 0..24 of `MAJMIN_LABELS`; frames labelled −1, chords the majmin
 *   vocabulary excludes, are left out), probabilities clipped to `[1e-7, 1 − 1e-7]` as Keras
 *   does (zero gradient where clipped), the mean over frames and outputs of each song;
 * - `"soft-dtw"`, unaligned labels: per song one target, its whole chord sequence without any
 *   time (`sequence`: indices 0..24, repetitions removed), and `SDTW^γ(C) / M` with the squared
 *   Euclidean cost `C(m, n) = ||q_m − e_{y_n}||²` between the M frames' softmax outputs and the
 *   one-hot targets (divided by M so that long and short songs weigh alike), optionally with
 *   step weights `[wRow, wCol, wDiag]` (lib/align). The gradient is `∂L/∂q_m = (2/M) Σ_n
 *   E(m, n) (q_m − e_{y_n})` with `E = ∂SDTW/∂C`, the expected alignment.
 *
 * The batch loss is the mean over its songs. Procedure: Adam (as Keras) on minibatches of
 * `batchSize` songs in an order shuffled every epoch by a seeded generator; after every epoch
 * the validation loss (same loss, the validation songs' own labels); the weights of the best
 * validation epoch are kept, and training stops after `patience` epochs without a better one
 * (or at `epochs`).
 *
 * @example
 * ```ts
 * import { trainOnSongs } from "./song_trainer.ts";
 * const C = [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0];
 * const treble = Float64Array.from([...C, ...C]); // two frames
 * const song = { id: "x", treble, labels: Int32Array.from([0, 0]), sequence: Int32Array.from([0]) };
 * const r = trainOnSongs({ train: [song], validation: [song], config: { loss: "bce", epochs: 2 } });
 * r.trainLoss.length; // 2
 * ```
 *
 * @module
 */
import { softDtwValueAndGrad64 } from "../../align/mod.ts";
import { BLANK_CLASSES } from "../model/dchord_blank.ts";
import { Adam64 } from "./adam.ts";
import { dchordNSongModel } from "./dchord_song_model.ts";
import type { SongModel } from "./song_model.ts";
import { BCE_EPSILON } from "./train_model.ts";
import { mulberry32 } from "../random.ts";

/** One song for training: chroma, frame labels and the unaligned target. */
export interface TrainingSong {
  /** Song id (for error messages). */
  id: string;
  /** Treble chroma, frames × 12 row-major (one flat array), pitch class 0 = C. */
  treble: Float64Array;
  /** Bass chroma, frames × 12 row-major (needed by models that read `"bass+treble"`). */
  bass?: Float64Array;
  /** Per frame: 0..24 (`MAJMIN_LABELS`, 24 = N) or −1 (no label: left out by BCE). */
  labels: Int32Array;
  /** The chord sequence without times (0..24, repetitions removed), for soft-DTW. */
  sequence: Int32Array;
}

/** The settings every loss shares (all optional, with defaults). */
export interface SongProcedure {
  /** Maximum number of epochs (default 40). */
  epochs?: number;
  /** Songs per minibatch (default 16). */
  batchSize?: number;
  /** Adam's learning rate (default 0.05); β1 0.9, β2 0.999, ε 1e-8 as Keras. */
  learningRate?: number;
  /** Stop after this many epochs without a better validation loss (default 5). */
  patience?: number;
  /** Seed of the shuffling (default 1). */
  seed?: number;
}

/** The training configuration: one loss and its options. */
export type SongConfig =
  | ({ loss: "bce" } & SongProcedure)
  | (
    & {
      loss: "soft-dtw";
      /** Soft-DTW temperature (default 0.3, as the report). */
      gamma?: number;
      /** Step weights `[wRow, wCol, wDiag]` (default `[1, 1, 1]`, plain soft-DTW). */
      stepWeights?: [number, number, number];
    }
    & SongProcedure
  );

/** A configuration with every default filled in. */
export type ResolvedSongConfig =
  | ({ loss: "bce" } & Required<SongProcedure>)
  | (
    & { loss: "soft-dtw"; gamma: number; stepWeights: [number, number, number] }
    & Required<SongProcedure>
  );

const PROCEDURE_KEYS = ["epochs", "batchSize", "learningRate", "patience", "seed"];

function positiveInteger(v: unknown, name: string): number {
  if (!Number.isInteger(v) || (v as number) < 1) {
    throw new RangeError(`song training: ${name} must be a positive integer, got ${v}`);
  }
  return v as number;
}

/**
 * Checks a configuration and fills in the defaults; throws a `RangeError` naming the field
 * (unknown keys too).
 *
 * @example
 * ```ts
 * import { resolveSongConfig } from "./song_trainer.ts";
 * resolveSongConfig({ loss: "soft-dtw" }).batchSize; // 16
 * ```
 */
export function resolveSongConfig(config: SongConfig): ResolvedSongConfig {
  if (!config || typeof config !== "object") {
    throw new TypeError("song training: config must be an object");
  }
  const allowed = config.loss === "bce"
    ? ["loss", ...PROCEDURE_KEYS]
    : config.loss === "soft-dtw"
    ? ["loss", "gamma", "stepWeights", ...PROCEDURE_KEYS]
    : null;
  if (allowed === null) {
    throw new RangeError(`song training: loss must be "bce" or "soft-dtw", got ${config.loss}`);
  }
  for (const key of Object.keys(config)) {
    if (!allowed.includes(key)) {
      throw new RangeError(`song training: unknown option ${key} for loss ${config.loss}`);
    }
  }
  const lr = config.learningRate ?? 0.05;
  if (typeof lr !== "number" || !(lr > 0) || !Number.isFinite(lr)) {
    throw new RangeError(`song training: learningRate must be a finite number > 0, got ${lr}`);
  }
  const procedure = {
    epochs: positiveInteger(config.epochs ?? 40, "epochs"),
    batchSize: positiveInteger(config.batchSize ?? 16, "batchSize"),
    learningRate: lr,
    patience: positiveInteger(config.patience ?? 5, "patience"),
    seed: positiveInteger(config.seed ?? 1, "seed"),
  };
  if (config.loss === "bce") return { loss: "bce", ...procedure };
  const gamma = config.gamma ?? 0.3;
  if (typeof gamma !== "number" || !(gamma > 0) || !Number.isFinite(gamma)) {
    throw new RangeError(`song training: gamma must be a finite number > 0, got ${gamma}`);
  }
  const w = config.stepWeights ?? [1, 1, 1];
  if (!Array.isArray(w) || w.length !== 3 || w.some((x) => !(x >= 0) || !Number.isFinite(x))) {
    throw new RangeError(`song training: stepWeights must be three finite numbers >= 0`);
  }
  return { loss: "soft-dtw", gamma, stepWeights: [w[0], w[1], w[2]], ...procedure };
}

/** Checks one song (chroma, labels, target) for a model. */
function checkSong(song: TrainingSong, name: string, model: SongModel): void {
  const flat = song?.treble;
  if (!(flat instanceof Float64Array) || flat.length === 0 || flat.length % 12 !== 0) {
    throw new RangeError(`${name}: treble must be a non-empty Float64Array of frames × 12`);
  }
  const M = flat.length / 12;
  if (model.chroma === "bass+treble" && song.bass === undefined) {
    throw new RangeError(`${name}: model ${model.kind} reads bass chroma, the song has none`);
  }
  if (
    song.bass !== undefined && (!(song.bass instanceof Float64Array) || song.bass.length !== M * 12)
  ) {
    throw new RangeError(`${name}: bass must be a Float64Array of ${M} frames × 12, as treble`);
  }
  if (!(song.labels instanceof Int32Array) || song.labels.length !== M) {
    throw new RangeError(`${name}: labels must be an Int32Array of ${M} frame labels`);
  }
  if (!(song.sequence instanceof Int32Array)) {
    throw new RangeError(`${name}: sequence must be an Int32Array`);
  }
  for (
    const [what, arr, min] of [["labels", song.labels, -1], ["sequence", song.sequence, 0]] as const
  ) {
    arr.forEach((l, i) => {
      if (l < min || l >= BLANK_CLASSES) {
        throw new RangeError(
          `${name}: ${what}[${i}] = ${l} is not in ${min}..${BLANK_CLASSES - 1}`,
        );
      }
    });
  }
  for (const [what, arr] of [["treble", flat], ["bass", song.bass]] as const) {
    if (arr === undefined) continue;
    for (let i = 0; i < arr.length; i++) {
      if (!(arr[i] >= 0) || !Number.isFinite(arr[i])) {
        throw new RangeError(
          `${name}: ${what} frame ${Math.floor(i / 12)} value ${
            i % 12
          } must be finite and >= 0, got ${arr[i]}`,
        );
      }
    }
  }
}

/**
 * The loss of one song and its gradient with respect to the model's log-probabilities
 * (frames × 25), under a resolved configuration (see the module doc).
 *
 * @example
 * ```ts
 * import { resolveSongConfig, songLoss } from "./song_trainer.ts";
 * const logq = new Float64Array(25).fill(Math.log(1 / 25));
 * const r = songLoss(logq, { labels: Int32Array.from([3]), sequence: Int32Array.from([3]) },
 *   resolveSongConfig({ loss: "soft-dtw" }));
 * r.value; // ||q − e_3||² = 24/625 + (24/25)² = 0.96
 * ```
 */
export function songLoss(
  logProbabilities: Float64Array,
  song: Pick<TrainingSong, "labels" | "sequence">,
  config: ResolvedSongConfig,
): { value: number; grad: Float64Array } {
  const K = BLANK_CLASSES;
  const M = logProbabilities.length / K;
  const grad = new Float64Array(M * K);
  const q = logProbabilities.map(Math.exp);
  if (config.loss === "bce") {
    let frames = 0;
    for (let m = 0; m < M; m++) if (song.labels[m] >= 0) frames++;
    if (frames === 0) return { value: 0, grad };
    const scale = 1 / (frames * K);
    let sum = 0;
    for (let m = 0; m < M; m++) {
      const y = song.labels[m];
      if (y < 0) continue;
      for (let c = 0; c < K; c++) {
        const i = m * K + c, p = q[i];
        const clipped = p < BCE_EPSILON || p > 1 - BCE_EPSILON;
        const pc = Math.min(Math.max(p, BCE_EPSILON), 1 - BCE_EPSILON);
        const t = c === y ? 1 : 0;
        sum -= t * Math.log(pc) + (1 - t) * Math.log(1 - pc);
        // ∂L/∂log q = q ∂L/∂q
        if (!clipped) grad[i] = -scale * p * (t / pc - (1 - t) / (1 - pc));
      }
    }
    return { value: sum * scale, grad };
  }
  const y = song.sequence, N = y.length;
  if (N === 0) throw new RangeError("soft-DTW needs a non-empty target sequence");
  const cost = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    let sq = 0;
    for (let c = 0; c < K; c++) sq += q[m * K + c] * q[m * K + c];
    for (let n = 0; n < N; n++) cost[m * N + n] = sq - 2 * q[m * K + y[n]] + 1;
  }
  const { value, grad: E } = softDtwValueAndGrad64(
    { data: cost, rows: M, cols: N },
    { gamma: config.gamma, stepWeights: config.stepWeights },
  );
  const s = 2 / M;
  for (let m = 0; m < M; m++) {
    let rowSum = 0;
    const o = m * K;
    for (let n = 0; n < N; n++) {
      const e = E.data[m * N + n];
      rowSum += e;
      grad[o + y[n]] -= s * e; // −(2/M) Σ_n E e_{y_n}
    }
    for (let c = 0; c < K; c++) {
      const dq = grad[o + c] + s * rowSum * q[o + c];
      grad[o + c] = q[o + c] * dq;
    }
  }
  return { value: value / M, grad };
}

/** Arguments of {@linkcode trainOnSongs}. */
export interface SongTrainingOptions {
  /** Training songs. */
  train: TrainingSong[];
  /** Validation songs (early stopping). */
  validation: TrainingSong[];
  /** The configuration. */
  config: SongConfig;
  /** The model (default {@linkcode dchordNSongModel}, dChord with an N output). */
  model?: SongModel;
  /** Initial parameter vector (default `model.init(seed)`). */
  init?: Float64Array;
  /** Called after every epoch, with the parameters after it (a copy). */
  onEpoch?: (
    info: { epoch: number; trainLoss: number; validationLoss: number; parameters: Float64Array },
  ) => void;
}

/** What {@linkcode trainOnSongs} returns. */
export interface SongTrainingResult {
  /** The resolved configuration. */
  config: ResolvedSongConfig;
  /** Mean training loss per epoch (over its minibatches). */
  trainLoss: number[];
  /** Validation loss per epoch. */
  validationLoss: number[];
  /** Epoch (from 1) with the lowest validation loss. */
  bestEpoch: number;
  /** The parameters of the best epoch (for dChord-N, `dchordNWeights` reads them). */
  parameters: Float64Array;
}

/**
 * Trains a model (default dChord with an N output) on whole songs (see the module doc) and
 * returns the parameters of the best validation epoch with the loss curves.
 *
 * @example
 * ```ts
 * import { trainOnSongs } from "./song_trainer.ts";
 * const G = Float64Array.from([0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
 * const song = { id: "g", treble: G, labels: Int32Array.from([7]), sequence: Int32Array.from([7]) };
 * trainOnSongs({ train: [song], validation: [song], config: { loss: "soft-dtw", epochs: 1 } }).bestEpoch; // 1
 * ```
 */
export function trainOnSongs(options: SongTrainingOptions): SongTrainingResult {
  const config = resolveSongConfig(options.config);
  const model = options.model ?? dchordNSongModel;
  const check = (songs: TrainingSong[], name: string) => {
    if (!Array.isArray(songs) || songs.length === 0) {
      throw new RangeError(`song training: ${name} must be a non-empty array of songs`);
    }
    songs.forEach((s, i) => checkSong(s, `${name}[${i}] (${s?.id})`, model));
  };
  check(options.train, "train");
  check(options.validation, "validation");
  const params = Float64Array.from(options.init ?? model.init(config.seed));
  if (params.length !== model.size) {
    throw new RangeError(
      `song training: init has ${params.length} parameters, model ${model.kind} has ${model.size}`,
    );
  }
  const P = model.size;
  const adam = new Adam64(P, {
    learningRate: config.learningRate,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
  });
  const rand = mulberry32(config.seed);
  const order = options.train.map((_, i) => i);
  const trainLoss: number[] = [], validationLoss: number[] = [];
  let best = { epoch: 0, loss: Infinity, parameters: Float64Array.from(params) };
  const gradVec = new Float64Array(P);
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) { // Fisher–Yates
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let epochSum = 0;
    for (let start = 0; start < order.length; start += config.batchSize) {
      const batch = order.slice(start, start + config.batchSize);
      gradVec.fill(0);
      let batchLoss = 0;
      for (const b of batch) {
        const song = options.train[b];
        const f = model.forward(params, song);
        const { value, grad } = songLoss(f.logProbabilities, song, config);
        batchLoss += value;
        const g = f.backward(grad);
        for (let k = 0; k < P; k++) gradVec[k] += g[k] / batch.length;
      }
      epochSum += batchLoss; // summed per song, divided below
      adam.step(params, gradVec);
    }
    trainLoss.push(epochSum / order.length);
    let val = 0;
    for (const song of options.validation) {
      val += songLoss(model.forward(params, song).logProbabilities, song, config).value;
    }
    val /= options.validation.length;
    validationLoss.push(val);
    const snapshot = Float64Array.from(params);
    options.onEpoch?.({
      epoch,
      trainLoss: trainLoss[epoch - 1],
      validationLoss: val,
      parameters: Float64Array.from(snapshot),
    });
    if (val < best.loss) best = { epoch, loss: val, parameters: snapshot };
    else if (epoch - best.epoch >= config.patience) break;
  }
  return {
    config,
    trainLoss,
    validationLoss,
    bestEpoch: best.epoch,
    parameters: best.parameters,
  };
}
