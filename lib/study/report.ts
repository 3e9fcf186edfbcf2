/**
 * Every fact this reproduction takes from the report ("Training with Unaligned Dataset: Soft
 * Dynamic Time Warping", AudioLabs), in one place: the recordings and their split, the segment
 * length, the number of epochs, the five configurations of Table 4.1 with their published test
 * F1, the γ values of Appendix C, the epochs of the expected-alignment figures, and the training
 * segment whose expected alignment is followed.
 *
 * What is ours and not the report's (the 5 runs per configuration, the template perturbation,
 * the finer γ grid) is in experiment.ts and sweep.ts. The trainer's defaults (Adam with learning
 * rate 0.1, full batch, γ = 0.3, soft length 16, uniform padding) are the report's setup and live
 * with the trainer (`resolveConfig` of lib/chords/training/train_model.ts); report_test.ts checks that they agree
 * with this module.
 *
 * Used in notebooks/03_dataset_padding.ipynb, notebooks/04_strong_vs_soft_training.ipynb and
 * notebooks/05_gamma_sweep.ipynb.
 *
 * @example
 * ```ts
 * import { TABLE_4_1 } from "./report.ts";
 * TABLE_4_1.map((e) => e.reportF1); // [77.5, 76.1, 76.1, 76.1, 68.1]
 * ```
 *
 * @module
 */
import type { Padding } from "../chords/data/targets.ts";
import type { TrainConfig } from "../chords/training/config.ts";

/** Which split a recording belongs to. */
export type SplitName = "train" | "validation" | "test";

/** One recording of the dataset and its source files. */
export interface SongInfo {
  /** Short id, used as file name of its chroma CSV. */
  id: string;
  /** Human-readable title. */
  title: string;
  /** Source audio file name in the FMP C5 folder (not redistributed). */
  audio: string;
  /** Original chord annotation CSV (Harte syntax), copied into data/annotations/. */
  annotation: string;
  /** FMP's simplified annotation CSV (24 triads), copied into data/annotations/ for tests. */
  simplified: string;
  /** Split of the report. */
  split: SplitName;
}

const FULL = "FMP_C5_Audio_Beatles_";

/**
 * The five recordings of the report, in split order (report, Section 4.1: training = Here Comes
 * the Sun, Ob-La-Di Ob-La-Da, Let It Be; validation = Penny Lane; test = the Let It Be bars 1-4
 * excerpt, FMP's Figure C5.1 recording).
 *
 * @example
 * ```ts
 * import { SONGS } from "./report.ts";
 * SONGS.filter((s) => s.split === "train").map((s) => s.id); // ["HereComesTheSun", "ObLaDiObLaDa", "LetItBe"]
 * ```
 */
export const SONGS: readonly SongInfo[] = Object.freeze([
  song(
    "HereComesTheSun",
    "Here Comes the Sun",
    `${FULL}HereComesTheSun_Beatles_1969-AbbeyRoad-07`,
    "mp3",
    "train",
  ),
  song(
    "ObLaDiObLaDa",
    "Ob-La-Di, Ob-La-Da",
    `${FULL}ObLaDiObLaDa_Beatles_1968-TheBeatlesTheWhiteAlbumDisc1-04`,
    "mp3",
    "train",
  ),
  song("LetItBe", "Let It Be", `${FULL}LetItBe_Beatles_1970-LetItBe-06`, "mp3", "train"),
  song(
    "PennyLane",
    "Penny Lane",
    `${FULL}PennyLane_Beatles_1967-MagicalMysteryTour-09`,
    "mp3",
    "validation",
  ),
  song(
    "LetItBe-mm1-4",
    "Let It Be (bars 1-4)",
    "FMP_C5_F01_Beatles_LetItBe-mm1-4_Original",
    "wav",
    "test",
  ),
]);

function song(id: string, title: string, stem: string, ext: string, split: SplitName): SongInfo {
  return Object.freeze({
    id,
    title,
    audio: `${stem}.${ext}`,
    annotation: `${stem}_Chords.csv`,
    simplified: `${stem}_Chords_simplified.csv`,
    split,
  });
}

/**
 * Length in frames of the training and validation segments (report, Section 4.1).
 *
 * @example
 * ```ts
 * import { SEGMENT_LENGTH } from "./report.ts";
 * SEGMENT_LENGTH; // 150
 * ```
 */
export const SEGMENT_LENGTH = 150;

/**
 * Epochs of every training (report, Section 4.2).
 *
 * @example
 * ```ts
 * import { EPOCHS } from "./report.ts";
 * EPOCHS; // 300
 * ```
 */
export const EPOCHS = 300;

/** One configuration of the report's Table 4.1 and the report's test F1 (in %). */
export interface Table41Entry {
  /** Short name. */
  name: string;
  /** Training configuration (report defaults otherwise). */
  config: TrainConfig;
  /** Targets and padding as the report's table names them. */
  label: string;
  /** The report's F1 in percent. */
  reportF1: number;
}

/**
 * The five configurations of Table 4.1 with the report's published test F1 (%): BCE on strong
 * targets; soft-DTW (γ = 0.3) on weak targets of soft length 16 and 75 with uniform and last
 * padding.
 *
 * @example
 * ```ts
 * import { TABLE_4_1 } from "./report.ts";
 * TABLE_4_1[0].reportF1; // 77.5
 * ```
 */
export const TABLE_4_1: readonly Table41Entry[] = Object.freeze([
  { name: "bce", config: { loss: "bce" }, label: "BCE, strong targets (150/150)", reportF1: 77.5 },
  {
    name: "sdtw-16-uniform",
    config: { loss: "soft-dtw", softLength: 16, padding: "uniform" },
    label: "soft-DTW, weak targets 16, uniform",
    reportF1: 76.1,
  },
  {
    name: "sdtw-75-uniform",
    config: { loss: "soft-dtw", softLength: 75, padding: "uniform" },
    label: "soft-DTW, weak targets 75, uniform",
    reportF1: 76.1,
  },
  {
    name: "sdtw-16-last",
    config: { loss: "soft-dtw", softLength: 16, padding: "last" },
    label: "soft-DTW, weak targets 16, last",
    reportF1: 76.1,
  },
  {
    name: "sdtw-75-last",
    config: { loss: "soft-dtw", softLength: 75, padding: "last" },
    label: "soft-DTW, weak targets 75, last",
    reportF1: 68.1,
  },
].map((e) => Object.freeze(e)) as Table41Entry[]);

/**
 * The soft-DTW temperatures γ of the report's Appendix C (0.3 is the value of Table 4.1).
 *
 * @example
 * ```ts
 * import { REPORT_GAMMAS } from "./report.ts";
 * REPORT_GAMMAS; // [0.001, 0.3, 10]
 * ```
 */
export const REPORT_GAMMAS: readonly number[] = Object.freeze([0.001, 0.3, 10]);

/**
 * Soft length of the weak targets of the γ study (Appendix C).
 *
 * @example
 * ```ts
 * import { SWEEP_SOFT_LENGTH } from "./report.ts";
 * SWEEP_SOFT_LENGTH; // 16
 * ```
 */
export const SWEEP_SOFT_LENGTH = 16;

/**
 * Padding of the weak targets of the γ study (Appendix C).
 *
 * @example
 * ```ts
 * import { SWEEP_PADDING } from "./report.ts";
 * SWEEP_PADDING; // "uniform"
 * ```
 */
export const SWEEP_PADDING: Padding = "uniform";

/**
 * The epochs (from 1) whose expected alignment the report shows (Figures 4.2, 4.3 and C.1):
 * the first epoch and epoch 161. Captured by every soft-DTW experiment and kept in full by the
 * γ sweep.
 *
 * @example
 * ```ts
 * import { FIGURE_EPOCHS } from "./report.ts";
 * FIGURE_EPOCHS; // [1, 161]
 * ```
 */
export const FIGURE_EPOCHS: readonly number[] = Object.freeze([1, 161]);

/** A training segment named by its song id and its index within the song. */
export interface SegmentSpec {
  /** Song id (see {@linkcode SONGS}). */
  song: string;
  /** Index of the segment within the song (0 = the first 150 chord frames). */
  index: number;
}

/**
 * The training segment whose expected alignment is followed, in Table 4.1's experiments and in
 * the γ sweep alike: the first segment of the full Let It Be recording. The report does not say
 * which segment its figures show; we take this one because its chords (C, G, Am, F) are those
 * of the test excerpt, so its alignment is the one the test result depends on. Named by song
 * and index (not by position in the training list), so it stays the same segment when the list
 * changes.
 *
 * @example
 * ```ts
 * import { FOLLOWED_SEGMENT } from "./report.ts";
 * FOLLOWED_SEGMENT; // { song: "LetItBe", index: 0 }
 * ```
 */
export const FOLLOWED_SEGMENT: Readonly<SegmentSpec> = Object.freeze({ song: "LetItBe", index: 0 });

/**
 * The report's counts of the split (Section 4.1): 43 training and 12 validation segments of
 * 150 frames, and a test excerpt of 138 frames.
 *
 * @example
 * ```ts
 * import { REPORT_COUNTS } from "./report.ts";
 * REPORT_COUNTS.train; // 43
 * ```
 */
export const REPORT_COUNTS: Readonly<{ train: number; validation: number; testFrames: number }> =
  Object.freeze({ train: 43, validation: 12, testFrames: 138 });
