/**
 * Cross-dataset evaluation of the Billboard study's models (notebooks/08_weak_labels_at_scale.ipynb):
 * each model, trained on Chordino's NNLS treble chroma of Billboard songs, applied to the
 * course's own STFT chroma of the FMP Beatles recordings (`data/chroma/`, 10.77 frames/s, the
 * rate the models read), scored two ways:
 *
 * - the report's Table 4.1 measure: frame F1 (%) on the 138 frames of the Let It Be excerpt
 *   (per frame the best of the 24 chords, N ignored, as Table 4.1 decodes: every frame of the
 *   trimmed excerpt has a chord);
 * - WCSR (%) root/majmin/mirex of the four full songs against the FMP annotations (mir_eval's
 *   rules, frame-wise and Viterbi decoding).
 *
 * The feature mismatch is not corrected: both chroma are fed as they are, and dChord's own log
 * compression and L2 normalization are the only adaptation (its θ was learned on NNLS values;
 * the STFT chroma are already compressed and normalized). What that costs is measured against
 * the course's own model (`beatles-dchord-bce`, trained on three of these four songs: an
 * in-sample reference, not a fair competitor).
 *
 * @example
 * ```ts
 * import { crossDatasetScores } from "./billboard_cross.ts";
 * import { loadModel } from "../chords/mod.ts";
 * const rows = await crossDatasetScores([await loadModel("beatles-dchord-bce")]);
 * rows[0].letItBeF1 > 70; // true (78.3: the course's Table 4.1, first row)
 * ```
 *
 * @module
 */
import {
  argmax,
  type ChordInterval,
  chordIntervals,
  type ChordRecognizer,
  type Decoding,
  evaluateChords,
  evaluateLabels,
  readChordCsv,
  type SongData,
  summarizeChords,
} from "../chords/mod.ts";
import { join } from "node:path";
import { loadMetadata, loadSong, loadSplits } from "./data.ts";
import { DATA_DIR } from "./paths.ts";
import { SONGS } from "./report.ts";

/** The cross-dataset scores of one model. */
export interface CrossDatasetRow {
  /** Model name. */
  model: string;
  /** F1 (%) on the Let It Be excerpt (138 frames), the best of the 24 chords per frame. */
  letItBeF1: number;
  /** WCSR (%) on the four full Beatles songs, per decoding. */
  beatles: Record<Decoding, { root: number; majmin: number; mirex: number }>;
  /** The same with the N output switched off (models with N only; else `null`). */
  beatlesWithoutN: Record<Decoding, { root: number; majmin: number; mirex: number }> | null;
}

/**
 * A recognizer with its N output switched off: the 24 chords only, their log-probabilities
 * renormalized (a model without N as the other outputs see it).
 *
 * @example
 * ```ts
 * import { withoutNoChord } from "./billboard_cross.ts";
 * import { loadModel } from "../chords/mod.ts";
 * withoutNoChord(await loadModel("beatles-dchord-bce")).labels.length; // 24
 * ```
 */
export function withoutNoChord(model: ChordRecognizer): ChordRecognizer {
  const n = model.labels.indexOf("N");
  if (n < 0) return model;
  const keep = model.labels.map((_, i) => i).filter((i) => i !== n);
  return {
    ...model,
    name: `${model.name} (N off)`,
    labels: keep.map((i) => model.labels[i]),
    logProbs(features) {
      return model.logProbs(features).map((row) => {
        const kept = Float64Array.from(keep, (i) => row[i]);
        let mx = -Infinity;
        for (const v of kept) mx = Math.max(mx, v);
        let z = 0;
        for (const v of kept) z += Math.exp(v - mx);
        const lz = mx + Math.log(z);
        return kept.map((v) => v - lz);
      });
    },
  };
}

/** The four full Beatles songs (not the test excerpt). */
const FULL_SONGS = SONGS.filter((s) => s.split !== "test");

/**
 * Scores models on the course's Beatles data (see the module doc).
 */
export async function crossDatasetScores(
  models: ChordRecognizer[],
  options: { dataDir?: string } = {},
): Promise<CrossDatasetRow[]> {
  const dataDir = options.dataDir ?? DATA_DIR;
  const metadata = await loadMetadata({ dataDir });
  const { test } = await loadSplits({ dataDir });
  const songs: { song: SongData; reference: ChordInterval[] }[] = [];
  for (const info of FULL_SONGS) {
    const song = await loadSong(info.id, { dataDir, metadata });
    const reference = (await readChordCsv(join(dataDir, "annotations", info.annotation)))
      .map(({ start, end, label }) => ({ start, end, label }));
    songs.push({ song, reference });
  }
  const frames = (chroma: number[][]) => chroma.map((f) => Float64Array.from(f));
  return models.map((model) => {
    // the best of the 24 chords per frame (N ignored), as Table 4.1 decodes: every frame of
    // the trimmed excerpt has a chord
    const estimate = model.logProbs({
      frameRate: metadata.featureRate,
      treble: frames(test.chroma),
    }).map((row) => argmax(row, 0, 24));
    const letItBeF1 = 100 * evaluateLabels({ reference: test.labels, estimate }).f1;
    const score = (m: ChordRecognizer) => {
      const out = {} as CrossDatasetRow["beatles"];
      for (const decoding of ["frame", "viterbi"] as const) {
        const evals = songs.map(({ song, reference }) =>
          evaluateChords(
            reference,
            chordIntervals(m, { frameRate: metadata.featureRate, treble: frames(song.chroma) }, {
              decoding,
              duration: song.chroma.length / metadata.featureRate,
            }),
          )
        );
        const s = summarizeChords(evals);
        out[decoding] = { root: 100 * s.root, majmin: 100 * s.majmin, mirex: 100 * s.mirex };
      }
      return out;
    };
    const hasN = model.labels.includes("N");
    return {
      model: model.name,
      letItBeF1,
      beatles: score(model),
      beatlesWithoutN: hasN ? score(withoutNoChord(model)) : null,
    };
  });
}
