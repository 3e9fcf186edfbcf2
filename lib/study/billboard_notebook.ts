/**
 * Everything notebooks/08_weak_labels_at_scale.ipynb shows of the Billboard study that needs
 * the songs' features or an evaluation, computed once by `deno task reproduce --only billboard`
 * and committed as `results/billboard/notebook.json` (sealed, {@linkcode sealedJson}): the data
 * summary, the self-transition, the table's records, the untrained baseline's scores, the
 * distortion curves, run 1's per-song majmin WCSR and templates, the followed song's expected
 * alignments at the shown epochs, and the cross-dataset scores. The notebook reads only this
 * file ({@linkcode readBillboardNotebook}), so executing it loads no features.
 *
 * Used in notebooks/08_weak_labels_at_scale.ipynb.
 *
 * @example
 * ```ts
 * import { readBillboardNotebook } from "./billboard_notebook.ts";
 * const view = await readBillboardNotebook();
 * view.summary.length; // 3 (train, validation, test)
 * ```
 *
 * @module
 */
import { join } from "node:path";
import {
  type BlankWeights,
  bootstrapChords,
  type Decoding,
  initialBlankWeights,
  loadModel,
  recognizerFromFile,
} from "../chords/mod.ts";
import { DECODINGS, evaluateOnTest, studySelfTransition, untrainedModelFile } from "./billboard.ts";
import type { BillboardStudyResult } from "./billboard_run.ts";
import {
  billboardDataSummary,
  type BillboardRecord,
  billboardRecords,
  distortionCurve,
  followedBillboardSong,
  songAlignment,
} from "./billboard_views.ts";
import { type CrossDatasetRow, crossDatasetScores } from "./billboard_cross.ts";
import { readCacheFile, sealedJson } from "./cache.ts";
import { RESULTS_DIR } from "./paths.ts";

/** The name of the file in the study's results folder. */
export const BILLBOARD_NOTEBOOK_FILE = "notebook.json";

/** Scores (fractions) of one model under one decoding. */
export interface BillboardScoreLine {
  root: number;
  majmin: number;
  mirex: number;
  seg: number;
}

/** What `results/billboard/notebook.json` holds (see the module doc). */
export interface BillboardNotebookView {
  /** Frames per second of the study's (pair-averaged) Chordino frames. */
  frameRate: number;
  /** `billboardDataSummary` of the study's data. */
  summary: ReturnType<typeof billboardDataSummary>;
  /** Number of test songs. */
  testSongs: number;
  /** Runs per row (the most any row has; `runMajmin` has each row's). */
  runs: number;
  /** The HMM self-transition probability of every model (`studySelfTransition`). */
  selfTransition: number;
  /** The table's records (`billboardRecords`, run 1's bootstrap interval). */
  records: BillboardRecord[];
  /** The untrained model's test scores per decoding. */
  untrained: Record<Decoding, BillboardScoreLine>;
  /** Per row: run 1's test scores per decoding. */
  scores: Record<string, Record<Decoding, BillboardScoreLine>>;
  /** Per row and decoding: every run's majmin WCSR (fraction), run 1 first. */
  runMajmin: Record<string, Record<Decoding, number[]>>;
  /** dChord's `distortionCurve` per decoding (a std of one run is `null`). */
  curves: Record<Decoding, ReturnType<typeof distortionCurve>>;
  /** The CNN's `distortionCurve` per decoding. */
  cnnCurves: Record<Decoding, ReturnType<typeof distortionCurve>>;
  /** Run 1's majmin WCSR (%) of every test song, per row and decoding. */
  perSong: { songs: string[]; rows: Record<string, Record<Decoding, number[]>> };
  /** Run 1's templates per dChord row (major, minor, N). */
  templates: Record<string, Pick<BlankWeights, "major" | "minor" | "blank">>;
  /** The followed training song's expected alignments under the unaligned soft-DTW row. */
  followed: {
    song: string;
    row: string;
    shots: ({ epoch: number } & ReturnType<typeof songAlignment>)[];
  };
  /** `crossDatasetScores` of the course's `beatles-dchord-bce` and every row's model. */
  cross: CrossDatasetRow[];
}

const perDecoding = <T>(f: (d: Decoding) => T): Record<Decoding, T> =>
  Object.fromEntries(DECODINGS.map((d) => [d, f(d)])) as Record<Decoding, T>;

const pick = (s: BillboardScoreLine): BillboardScoreLine => ({
  root: s.root,
  majmin: s.majmin,
  mirex: s.mirex,
  seg: s.seg,
});

/**
 * Computes the notebook's view of a study's result (see the module doc). The followed song's
 * alignments use run 1 of the dChord row `followRow` (default `unaligned-sdtw`, else the last
 * dChord row; none without dChord rows) at epochs 0 (the start), 1, half its best epoch and its
 * best epoch.
 */
export async function billboardNotebookView(
  result: BillboardStudyResult,
  options: { followRow?: string } = {},
): Promise<BillboardNotebookView> {
  const { data } = result;
  const untrained = evaluateOnTest(data, untrainedModelFile(data));
  const testIds = data.songs.filter((s) => s.split === "test").map((s) => s.id);
  // the followed row: a dChord row (its runs keep the weights of every epoch)
  const dchordRows = result.rows.filter((r) => r.runs[0].weights !== undefined);
  const follow = dchordRows.find((r) => r.name === (options.followRow ?? "unaligned-sdtw")) ??
    dchordRows[dchordRows.length - 1];
  const run = follow?.runs[0];
  const song = followedBillboardSong(data);
  const epochs = run ? [0, 1, Math.max(1, Math.round(run.bestEpoch / 2)), run.bestEpoch] : [];
  const models = [
    await loadModel("beatles-dchord-bce"),
    ...result.rows.map((r) => recognizerFromFile(r.model, r.model.name)),
  ];
  return {
    frameRate: data.frameRate,
    summary: billboardDataSummary(data),
    testSongs: testIds.length,
    runs: Math.max(0, ...result.rows.map((r) => r.runs.length)),
    selfTransition: studySelfTransition(data),
    records: billboardRecords(
      result,
      (i, d) => bootstrapChords(result.rows[i].evaluations[0].songs[d]).majmin,
    ),
    untrained: perDecoding((d) => pick(untrained.scores[d])),
    scores: Object.fromEntries(result.rows.map((r) => [
      r.name,
      perDecoding((d) => pick(r.evaluations[0].scores[d])),
    ])),
    runMajmin: Object.fromEntries(result.rows.map((r) => [
      r.name,
      perDecoding((d) => r.evaluations.map((e) => e.scores[d].majmin)),
    ])),
    curves: perDecoding((d) => distortionCurve(result, d)),
    cnnCurves: perDecoding((d) => distortionCurve(result, d, "cnn")),
    perSong: {
      songs: testIds,
      rows: Object.fromEntries(result.rows.map((r) => [
        r.name,
        perDecoding((d) => r.evaluations[0].songs[d].map((s) => 100 * s.scores.majmin)),
      ])),
    },
    templates: Object.fromEntries(result.rows.flatMap((r) => {
      const w = r.runs[0].weights;
      return w ? [[r.name, { major: w.major, minor: w.minor, blank: w.blank }]] : [];
    })),
    followed: {
      song,
      row: follow?.name ?? "",
      shots: epochs.map((epoch) => ({
        epoch,
        ...songAlignment(
          data,
          song,
          epoch === 0 ? initialBlankWeights() : run!.epochWeights[epoch - 1],
        ),
      })),
    },
    cross: await crossDatasetScores(models),
  };
}

/** The text of `notebook.json`: the view, sealed. */
export function billboardNotebookJson(view: BillboardNotebookView): Promise<string> {
  return sealedJson(view as unknown as Record<string, unknown>);
}

/**
 * Reads `notebook.json` of the committed study (or of `resultsDir`): an error naming the file
 * when it is missing, damaged, edited or of the wrong shape.
 */
export async function readBillboardNotebook(
  resultsDir: string = join(RESULTS_DIR, "billboard"),
): Promise<BillboardNotebookView> {
  const path = join(resultsDir, BILLBOARD_NOTEBOOK_FILE);
  const view = await readCacheFile<BillboardNotebookView>(path, (v) => {
    const x = v as BillboardNotebookView;
    return Array.isArray(x?.summary) && Array.isArray(x.records) && Array.isArray(x.cross) &&
        Array.isArray(x.followed?.shots) && typeof x.perSong?.rows === "object"
      ? null
      : "not the Billboard study's notebook view";
  });
  if (view === null) {
    throw new Deno.errors.NotFound(
      `${path} not found: run deno task reproduce --only billboard to write it`,
    );
  }
  return view;
}
