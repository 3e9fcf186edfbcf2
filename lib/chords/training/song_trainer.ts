/**
 * Training on whole songs with minibatches: the trainer of the Billboard study
 * (notebooks/08_weak_labels_at_scale.ipynb). It trains any {@linkcode SongModel}
 * (song_model.ts: a parameter vector, a forward pass to per-frame log-probabilities over the
 * 25 outputs of `MAJMIN_LABELS`, and its backward pass); the default is dChord with a 25th "no
 * chord" output N (`dchordNSongModel` of dchord_song_model.ts, the `dchord-n` kind of
 * `lib/chords/model/recognizer.ts`: 37 parameters, the N template initialized flat at 1/4 so
 * that N ties the chords on a frame without harmony).
 *
 * Losses (a union keyed on `loss`, resolved once by {@linkcode resolveSongConfig}); `q_m` is
 * frame m's softmax over the 25 outputs, `M` the song's frame count:
 *
 * - `"bce"`, strong labels: binary cross-entropy over the 25 softmax outputs and the frames
 *   that have a label (index 0..24 of `MAJMIN_LABELS`; frames labelled −1, chords the majmin
 *   vocabulary excludes, are left out), probabilities clipped to `[1e-7, 1 − 1e-7]` as Keras
 *   does (zero gradient where clipped), the mean over frames and outputs of each song;
 * - `"soft-dtw"`, weak or unaligned labels: `SDTW^γ(C) / M` with the squared Euclidean cost
 *   `C(m, n) = ||q_m − e_{y_n}||²` between the frames' softmax outputs and one-hot targets
 *   (divided by the frame count so that long and short songs weigh alike). The target is, with
 *   `target: "sequence"` (default), the song's whole chord sequence without any time
 *   (`sequence`: indices 0..24, repetitions removed); with `target: "segments"`, the report's
 *   weak targets: every `segments` entry is a run of frames with its own (padded) chord
 *   sequence, and the song's loss is the mean over its segments of `SDTW^γ / frames`. Options:
 *   step weights `[wRow, wCol, wDiag]` (lib/align); **γ annealing** (`annealFrom`: γ goes
 *   linearly from `annealFrom` at epoch 1 to `gamma` at epoch `scheduleEpochs`); the
 *   **diagonal prior** of lib/align (`prior`: `C' = C + w·(1 − P)` with `w` fading linearly from
 *   `prior` at epoch 1 to 0 at epoch `scheduleEpochs`; on whole songs only). The gradient is
 *   `∂L/∂q_m = (2/M) Σ_n E(m, n) (q_m − e_{y_n})` with `E = ∂SDTW/∂C`, the expected alignment
 *   (the prior is a constant: it moves E, not the formula).
 * - `"ctc"`, unaligned labels: the CTC negative log-likelihood of the song's chord sequence
 *   (lib/align's `ctcLoss`, γ = 1) divided by M. **N is the blank** and is dropped from the
 *   target: the model has 25 outputs, and CTC's blank ("no new label on this frame") and N
 *   ("no chord sounds") are both what a frame between two chord onsets of the target may
 *   output; a 26th output would need another model. The price: CTC is satisfied by a chord
 *   peaking on one frame and the blank elsewhere, so this row teaches N to claim frames inside
 *   long chords, which a frame-wise evaluation counts against it. A song without any chord
 *   (all N) has an empty target (all frames blank).
 *
 * The batch loss is the mean over its songs. Procedure: Adam (as Keras) on minibatches of
 * `batchSize` songs in an order shuffled every epoch by a seeded generator; after every epoch
 * the validation loss (same loss, the validation songs' own labels, always at the final γ and
 * without the prior, so that epochs compare); the weights of the best validation epoch are
 * kept, and training stops after `patience` epochs without a better one (or at `epochs`). With
 * a schedule (annealing or prior), epochs before `scheduleEpochs` are not candidates and the
 * patience counts from there.
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
import { ctcBatch64, diagonalPrior, softDtwValueAndGrad64 } from "../../align/mod.ts";
import { BLANK_CLASSES } from "../model/dchord_blank.ts";
import { Adam64 } from "./adam.ts";
import { dchordNSongModel } from "./dchord_song_model.ts";
import type { SongModel } from "./song_model.ts";
import { BCE_EPSILON } from "./losses.ts";
import { mulberry32 } from "../random.ts";
import type { WeakSegment } from "../data/weak_labels.ts";

/** The index of N among the 25 outputs (`MAJMIN_LABELS`), the blank of the CTC loss. */
const N_INDEX = 24;

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
  /** The chord sequence without times (0..24, repetitions removed), for soft-DTW and CTC. */
  sequence: Int32Array;
  /** Weak targets of runs of frames (`target: "segments"`; see `weakSegments`). */
  segments?: readonly WeakSegment[];
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

/** The options of the soft-DTW loss (see the module doc). */
export interface SoftDtwSongOptions {
  /** Soft-DTW temperature (default 0.3, as the report); the final one when annealing. */
  gamma?: number;
  /** Step weights `[wRow, wCol, wDiag]` (default `[1, 1, 1]`, plain soft-DTW). */
  stepWeights?: [number, number, number];
  /** The target: the whole-song `sequence` (default) or the weak `segments`. */
  target?: "sequence" | "segments";
  /** γ at epoch 1, annealed linearly to `gamma` at epoch `scheduleEpochs` (default: none). */
  annealFrom?: number;
  /** Weight of the diagonal prior at epoch 1, fading to 0 at `scheduleEpochs` (default none). */
  prior?: number;
  /** The epoch at which annealing and the prior's fade end (default 8). */
  scheduleEpochs?: number;
}

/** The training configuration: one loss and its options. */
export type SongConfig =
  | ({ loss: "bce" } & SongProcedure)
  | ({ loss: "soft-dtw" } & SoftDtwSongOptions & SongProcedure)
  | ({ loss: "ctc" } & SongProcedure);

/** A configuration with every default filled in. */
export type ResolvedSongConfig =
  | ({ loss: "bce" } & Required<SongProcedure>)
  | (
    & { loss: "soft-dtw" }
    & Required<Omit<SoftDtwSongOptions, "annealFrom" | "prior">>
    & { annealFrom: number | null; prior: number | null }
    & Required<SongProcedure>
  )
  | ({ loss: "ctc" } & Required<SongProcedure>);

/** The epoch-dependent settings of a loss: γ and the prior's weight (0: none). */
export interface SongLossSettings {
  /** Soft-DTW temperature. */
  gamma: number;
  /** Weight of the diagonal prior. */
  priorWeight: number;
}

/**
 * The settings of an epoch (from 1) under a resolved configuration: γ annealed and the prior
 * faded linearly until `scheduleEpochs`; without an epoch, the final ones (validation).
 *
 * @example
 * ```ts
 * import { resolveSongConfig, songLossSettings } from "./song_trainer.ts";
 * const c = resolveSongConfig({ loss: "soft-dtw", annealFrom: 10, gamma: 0.3, scheduleEpochs: 3 });
 * songLossSettings(c, 2).gamma; // 5.15
 * ```
 */
export function songLossSettings(config: ResolvedSongConfig, epoch?: number): SongLossSettings {
  if (config.loss !== "soft-dtw") return { gamma: 1, priorWeight: 0 };
  const E = config.scheduleEpochs;
  const u = epoch === undefined || E <= 1 ? 1 : Math.min(1, Math.max(0, (epoch - 1) / (E - 1)));
  const gamma = config.annealFrom === null || u === 1
    ? config.gamma
    : config.annealFrom + u * (config.gamma - config.annealFrom);
  const priorWeight = config.prior === null ? 0 : config.prior * (1 - u);
  return { gamma, priorWeight };
}

const PROCEDURE_KEYS = ["epochs", "batchSize", "learningRate", "patience", "seed"];
const SOFT_DTW_KEYS = ["gamma", "stepWeights", "target", "annealFrom", "prior", "scheduleEpochs"];

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
  const allowed = config.loss === "bce" || config.loss === "ctc"
    ? ["loss", ...PROCEDURE_KEYS]
    : config.loss === "soft-dtw"
    ? ["loss", ...SOFT_DTW_KEYS, ...PROCEDURE_KEYS]
    : null;
  if (allowed === null) {
    throw new RangeError(
      `song training: loss must be "bce", "soft-dtw" or "ctc", got ${
        (config as { loss?: unknown }).loss
      }`,
    );
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
  if (config.loss === "bce" || config.loss === "ctc") return { loss: config.loss, ...procedure };
  const positive = (v: unknown, name: string) => {
    if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v)) {
      throw new RangeError(`song training: ${name} must be a finite number > 0, got ${v}`);
    }
    return v;
  };
  const gamma = positive(config.gamma ?? 0.3, "gamma");
  const w = config.stepWeights ?? [1, 1, 1];
  if (!Array.isArray(w) || w.length !== 3 || w.some((x) => !(x >= 0) || !Number.isFinite(x))) {
    throw new RangeError(`song training: stepWeights must be three finite numbers >= 0`);
  }
  const target = config.target ?? "sequence";
  if (target !== "sequence" && target !== "segments") {
    throw new RangeError(`song training: target must be "sequence" or "segments", got ${target}`);
  }
  const annealFrom = config.annealFrom === undefined
    ? null
    : positive(config.annealFrom, "annealFrom");
  const prior = config.prior === undefined ? null : positive(config.prior, "prior");
  if (prior !== null && target === "segments") {
    throw new RangeError("song training: the diagonal prior is for whole songs (target sequence)");
  }
  const scheduleEpochs = positiveInteger(config.scheduleEpochs ?? 8, "scheduleEpochs");
  return {
    loss: "soft-dtw",
    gamma,
    stepWeights: [w[0], w[1], w[2]],
    target,
    annealFrom,
    prior,
    scheduleEpochs,
    ...procedure,
  };
}

/** Checks one song (chroma, labels, target) for a model. */
function checkSong(
  song: TrainingSong,
  name: string,
  model: SongModel,
  config: ResolvedSongConfig,
): void {
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
  if (config.loss === "soft-dtw" && config.target === "segments") {
    if (!Array.isArray(song.segments)) {
      throw new RangeError(`${name}: target "segments" needs the song's segments`);
    }
    song.segments.forEach((g, i) => {
      if (
        !Number.isInteger(g?.start) || !Number.isInteger(g.frames) || g.start < 0 ||
        g.frames < 1 || g.start + g.frames > M
      ) {
        throw new RangeError(`${name}: segments[${i}] is not a run of frames inside 0..${M - 1}`);
      }
      if (!(g.target instanceof Int32Array) || g.target.length === 0) {
        throw new RangeError(`${name}: segments[${i}].target must be a non-empty Int32Array`);
      }
      g.target.forEach((l: number, j: number) => {
        if (!(l >= 0 && l < BLANK_CLASSES)) {
          throw new RangeError(`${name}: segments[${i}].target[${j}] = ${l} is not in 0..24`);
        }
      });
    });
  }
  if ((config.loss === "soft-dtw" && config.target === "sequence") && song.sequence.length === 0) {
    throw new RangeError(`${name}: soft-DTW needs a non-empty chord sequence`);
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

/** Options of {@linkcode songLoss}. */
export interface SongLossOptions {
  /** The softmax `exp(logProbabilities)` when the model has it (saves the exponentials). */
  probabilities?: Float64Array;
  /** γ and the prior's weight (default: the configuration's final ones, `songLossSettings`). */
  settings?: SongLossSettings;
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
  song: Pick<TrainingSong, "labels" | "sequence" | "segments">,
  config: ResolvedSongConfig,
  options: SongLossOptions = {},
): { value: number; grad: Float64Array } {
  const K = BLANK_CLASSES;
  const M = logProbabilities.length / K;
  const grad = new Float64Array(M * K);
  if (config.loss === "ctc") return ctcSongLoss(logProbabilities, song.sequence, grad);
  let q = options.probabilities;
  if (q === undefined) {
    q = new Float64Array(M * K);
    for (let i = 0; i < q.length; i++) q[i] = Math.exp(logProbabilities[i]);
  }
  if (config.loss === "bce") return bceSongLoss(q, logProbabilities, song.labels, grad);
  const settings = options.settings ?? songLossSettings(config);
  if (config.target === "sequence") {
    const y = song.sequence;
    if (y.length === 0) throw new RangeError("soft-DTW needs a non-empty target sequence");
    const value = softDtwRun(q, 0, M, y, config.stepWeights, settings, grad, 1);
    return { value, grad };
  }
  const segments = song.segments ?? [];
  if (segments.length === 0) return { value: 0, grad };
  let value = 0;
  for (const g of segments) {
    value += softDtwRun(
      q,
      g.start,
      g.frames,
      g.target,
      config.stepWeights,
      {
        gamma: settings.gamma,
        priorWeight: 0,
      },
      grad,
      segments.length,
    );
  }
  return { value, grad };
}

/**
 * BCE (see the module doc): per labelled frame, `−log p_y − Σ_{c≠y} log(1 − p_c)` with
 * clipped probabilities, the second sum as the log of one product (24 factors of at least
 * 1e-7: no underflow), and `log p_y` read from the log-probabilities where not clipped.
 */
function bceSongLoss(
  q: Float64Array,
  logProbabilities: Float64Array,
  labels: Int32Array,
  grad: Float64Array,
): { value: number; grad: Float64Array } {
  const K = BLANK_CLASSES, M = q.length / K;
  let frames = 0;
  for (let m = 0; m < M; m++) if (labels[m] >= 0) frames++;
  if (frames === 0) return { value: 0, grad };
  const scale = 1 / (frames * K);
  let sum = 0;
  for (let m = 0; m < M; m++) {
    const y = labels[m];
    if (y < 0) continue;
    let rest = 1;
    for (let c = 0; c < K; c++) {
      const i = m * K + c, p = q[i];
      const clipped = p < BCE_EPSILON || p > 1 - BCE_EPSILON;
      const pc = clipped ? Math.min(Math.max(p, BCE_EPSILON), 1 - BCE_EPSILON) : p;
      if (c === y) {
        sum -= clipped ? Math.log(pc) : logProbabilities[i];
        // ∂L/∂log q = q ∂L/∂q
        if (!clipped) grad[i] = -scale * p / pc;
      } else {
        rest *= 1 - pc;
        if (!clipped) grad[i] = scale * p / (1 - pc);
      }
    }
    sum -= Math.log(rest);
  }
  return { value: sum * scale, grad };
}

/**
 * Soft-DTW of the frames `start .. start + frames − 1` against `target` (see the module doc):
 * adds `∂(SDTW / frames / divisor)/∂log q` into `grad` and returns `SDTW / frames / divisor`.
 */
function softDtwRun(
  q: Float64Array,
  start: number,
  frames: number,
  y: Int32Array,
  stepWeights: [number, number, number],
  settings: SongLossSettings,
  grad: Float64Array,
  divisor: number,
): number {
  const K = BLANK_CLASSES, M = frames, N = y.length;
  const cost = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    const o = (start + m) * K;
    let sq = 0;
    for (let c = 0; c < K; c++) sq += q[o + c] * q[o + c];
    for (let n = 0; n < N; n++) cost[m * N + n] = sq - 2 * q[o + y[n]] + 1;
  }
  if (settings.priorWeight > 0) {
    const P = diagonalPrior(M, N);
    const w = settings.priorWeight;
    for (let m = 0; m < M; m++) {
      const row = P[m];
      for (let n = 0; n < N; n++) cost[m * N + n] += w * (1 - row[n]);
    }
  }
  const { value, grad: E } = softDtwValueAndGrad64(
    { data: cost, rows: M, cols: N },
    { gamma: settings.gamma, stepWeights },
  );
  const s = 2 / (M * divisor);
  const dq = new Float64Array(K);
  for (let m = 0; m < M; m++) {
    let rowSum = 0;
    const o = (start + m) * K;
    dq.fill(0);
    for (let n = 0; n < N; n++) {
      const e = E.data[m * N + n];
      rowSum += e;
      dq[y[n]] -= s * e; // −(2/M) Σ_n E e_{y_n}
    }
    for (let c = 0; c < K; c++) grad[o + c] += q[o + c] * (dq[c] + s * rowSum * q[o + c]);
  }
  return value / (M * divisor);
}

/**
 * CTC with N as the blank, N dropped from the target (see the module doc), divided by M: lib/align's
 * typed batch entry point (`ctcBatch64`, the kernel on flat arrays) on one song.
 */
function ctcSongLoss(
  logProbabilities: Float64Array,
  sequence: Int32Array,
  grad: Float64Array,
): { value: number; grad: Float64Array } {
  const K = BLANK_CLASSES, M = logProbabilities.length / K;
  const target = Array.from(sequence).filter((l) => l !== N_INDEX);
  const r = ctcBatch64({
    logProbs: logProbabilities,
    batch: 1,
    frames: M,
    classes: K,
    labels: [target],
    blank: N_INDEX,
  });
  const g = r.grads!;
  for (let i = 0; i < g.length; i++) grad[i] = g[i] / M;
  return { value: r.values[0] / M, grad };
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
    songs.forEach((s, i) => checkSong(s, `${name}[${i}] (${s?.id})`, model, config));
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
  const scheduled = config.loss === "soft-dtw" &&
    (config.annealFrom !== null || config.prior !== null);
  const firstCandidate = scheduled ? Math.min(config.scheduleEpochs, config.epochs) : 1;
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) { // Fisher–Yates
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let epochSum = 0;
    const settings = songLossSettings(config, epoch);
    for (let start = 0; start < order.length; start += config.batchSize) {
      const batch = order.slice(start, start + config.batchSize);
      gradVec.fill(0);
      let batchLoss = 0;
      for (const b of batch) {
        const song = options.train[b];
        const f = model.forward(params, song);
        const { value, grad } = songLoss(f.logProbabilities, song, config, {
          probabilities: f.probabilities,
          settings,
        });
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
      const f = model.forward(params, song);
      val += songLoss(f.logProbabilities, song, config, { probabilities: f.probabilities }).value;
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
    if (epoch < firstCandidate) continue; // still annealing or fading the prior
    if (val < best.loss) best = { epoch, loss: val, parameters: snapshot };
    else if (epoch - Math.max(best.epoch, firstCandidate - 1) >= config.patience) break;
  }
  return {
    config,
    trainLoss,
    validationLoss,
    bestEpoch: best.epoch,
    parameters: best.parameters,
  };
}
