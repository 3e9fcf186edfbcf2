/**
 * Cross-dataset evaluation of the Billboard study's models (notebooks/08_weak_labels_at_scale.ipynb):
 * each model, trained on Chordino's NNLS chroma of Billboard songs, applied to the course's own
 * STFT chroma of the FMP Beatles recordings (`data/chroma/`, 10.77 frames/s, the rate the models
 * read), scored two ways:
 *
 * - the report's Table 4.1 measure: frame F1 (%) on the 138 frames of the Let It Be excerpt
 *   (per frame the best of the 24 chords, N ignored, as Table 4.1 decodes: every frame of the
 *   trimmed excerpt has a chord);
 * - WCSR (%) root/majmin/mirex of the four full songs against the FMP annotations (mir_eval's
 *   rules, frame-wise and Viterbi decoding).
 *
 * Treble chroma: the committed `data/chroma/` values, for every model. Bass chroma, for the
 * models whose spec reads `bass+treble` (the 1-D CNN, model kind `cnn`): `data/` has none, so it
 * is computed from the recordings once per call ({@linkcode beatlesBassChroma}, only when some
 * model reads it) exactly as tools/build_data.ts made `data/chroma/`: the same files of the FMP C5
 * audio folder (`audioDir`, default {@linkcode sharedAudioDir}: `../shared/data/fmp-c5` or
 * `$FMP_C5_DIR`, where `deno task build-data` is pointed; the four full songs' MP3s and the
 * excerpt's WAV), decoded at 22050 Hz, the MP3 decoding delay dropped from the start (1201
 * samples, metadata.json's `droppedSamples`), then `featuresFromAudio(samples, 22050,
 * { frameRate: 10.77, chroma: "bass+treble" })` of lib/chords/data/features.ts (hop 2048, FFT
 * 4096, the course's filter bank with its octave weighting moved down to a Gaussian of 1 octave
 * around 110 Hz). Its treble is the committed chroma up to the CSV's 6 significant digits
 * (largest difference 5.0e-7 over all five recordings; a larger one than 1e-6 is an error, so
 * the frames line up), so the committed treble is kept and only the bass is taken from `featuresFromAudio`; the
 * excerpt's bass is trimmed to the same 138 frames as its treble (from the first to the last
 * chord frame). Treble-only models read no audio, and score as they did before bass existed
 * here.
 *
 * The feature mismatch is not corrected: both chroma are fed as they are, and the models' own
 * input compression and normalization (dChord's log compression and L2 normalization, the CNN's
 * `log(1 + x)` and L2 normalization of each part) are the only adaptation. Their parameters were
 * learned on NNLS values; the STFT chroma are already compressed and normalized, and the STFT
 * bass chroma is not Chordino's (no note transcription; at 5.4 Hz per FFT bin the lowest octave
 * is coarse). What that costs is measured against the course's own model
 * (`beatles-dchord-bce`, trained on three of these four songs: an in-sample reference, not a
 * fair competitor).
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
  type ChordFeatures,
  type ChordInterval,
  chordIntervals,
  type ChordRecognizer,
  decodeAudio,
  type Decoding,
  evaluateChords,
  evaluateLabels,
  featuresFromAudio,
  readChordCsv,
  type SongData,
  summarizeChords,
} from "../chords/mod.ts";
import { join } from "node:path";
import { type ChromaMetadata, loadMetadata, loadSong, loadSplits } from "./data.ts";
import { DATA_DIR, sharedAudioDir } from "./paths.ts";
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

/** The Let It Be excerpt (the test split). */
const TEST_SONG = SONGS.find((s) => s.split === "test")!;

/**
 * Largest difference allowed between `featuresFromAudio`'s treble chroma and the committed
 * `data/chroma/` values: the CSV's 6 significant digits round values below 1 by at most 5e-7.
 */
const TREBLE_TOLERANCE = 1e-6;

/** Options of {@linkcode beatlesBassChroma}. */
export interface BeatlesBassOptions {
  /** Data directory with `data/chroma/metadata.json` and the chroma CSVs (default `data/`). */
  dataDir?: string;
  /**
   * Folder of the FMP C5 audio files (default {@linkcode sharedAudioDir}: `$FMP_C5_DIR` or
   * `../shared/data/fmp-c5`, the folder `deno task build-data` reads).
   */
  audioDir?: string;
  /** Recordings (ids of metadata.json's `songs`; default all five of {@linkcode SONGS}). */
  ids?: readonly string[];
  /** The data directory's metadata, when already loaded. */
  metadata?: ChromaMetadata;
}

/** Result of {@linkcode beatlesBassChroma}. */
export interface BeatlesBass {
  /**
   * Bass chroma per recording id, frames × 12, frame n of the same instant as row n of
   * `data/chroma/<id>.csv` (as many frames).
   */
  bass: Record<string, Float64Array[]>;
  /**
   * Largest absolute difference between the treble chroma computed with the bass and the
   * committed `data/chroma/` values, over every frame of every recording read.
   */
  trebleMaxAbsDifference: number;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/**
 * Bass chroma of the course's Beatles recordings, computed from the FMP C5 audio as
 * tools/build_data.ts computed `data/chroma/` (see the module doc): each file named by
 * metadata.json decoded at its sampling rate (`decodeAudio`: a corrupt or truncated file is an
 * error naming it), its `droppedSamples` (the MP3 decoding delay) removed, then
 * `featuresFromAudio(…, { chroma: "bass+treble" })` at the metadata's frame rate. Throws an
 * error naming the path when the audio folder or a file is missing, and when the audio is not
 * what `data/chroma/` was built from (another sample count, or a treble chroma farther than
 * 1e-6 from the committed one).
 *
 * @example
 * ```ts
 * import { beatlesBassChroma } from "./billboard_cross.ts";
 * const { bass } = await beatlesBassChroma({ ids: ["LetItBe-mm1-4"] });
 * bass["LetItBe-mm1-4"].length; // 139, as many frames as data/chroma/LetItBe-mm1-4.csv
 * ```
 */
export async function beatlesBassChroma(options: BeatlesBassOptions = {}): Promise<BeatlesBass> {
  const dataDir = options.dataDir ?? DATA_DIR;
  const audioDir = options.audioDir ?? sharedAudioDir();
  const metadata = options.metadata ?? await loadMetadata({ dataDir });
  const ids = options.ids ?? SONGS.map((s) => s.id);
  if (!(await isDirectory(audioDir))) {
    throw new Error(
      `FMP C5 audio folder not found: ${audioDir} (the bass chroma of bass+treble models is ` +
        "computed from the recordings; put the FMP C5 files there, set FMP_C5_DIR or pass audioDir)",
    );
  }
  const bass: Record<string, Float64Array[]> = {};
  let trebleMaxAbsDifference = 0;
  for (const id of ids) {
    const entry = metadata.songs.find((s) => s.id === id) as
      | (ChromaMetadata["songs"][number] & { droppedSamples?: number })
      | undefined;
    if (!entry) {
      throw new Error(`song ${JSON.stringify(id)} is not in ${dataDir}/chroma/metadata.json`);
    }
    const path = join(audioDir, entry.audio);
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new Error(
          `FMP C5 audio file not found: ${path} (the bass chroma of bass+treble models is ` +
            "computed from the recordings)",
        );
      }
      throw e;
    }
    const audio = await decodeAudio(bytes, { sampleRate: metadata.sampleRate, name: path });
    const dropped = entry.droppedSamples ??
      (entry.audio.endsWith(".mp3") ? Number(metadata.parameters.mp3DelaySamples) : 0);
    if (!Number.isInteger(dropped) || dropped < 0) {
      throw new Error(`${dataDir}/chroma/metadata.json: no MP3 delay for ${entry.audio}`);
    }
    const samples = audio.samples.subarray(dropped);
    if (samples.length !== entry.samples) {
      throw new Error(
        `${path}: ${samples.length} samples after dropping ${dropped}, but data/chroma was ` +
          `built from ${entry.samples}: not the same recording (rebuild with deno task build-data)`,
      );
    }
    const features = featuresFromAudio(samples, audio.sampleRate, {
      frameRate: metadata.featureRate,
      chroma: "bass+treble",
    });
    const committed = (await loadSong(id, { dataDir, metadata })).chroma;
    if (
      features.frameRate !== metadata.featureRate || features.treble.length !== committed.length ||
      features.bass?.length !== committed.length
    ) {
      throw new Error(
        `${path}: ${features.treble.length} frames at ${features.frameRate} frames/s, ` +
          `data/chroma has ${committed.length} at ${metadata.featureRate}`,
      );
    }
    let diff = 0;
    committed.forEach((row, n) => {
      for (let k = 0; k < 12; k++) diff = Math.max(diff, Math.abs(row[k] - features.treble[n][k]));
    });
    if (!(diff <= TREBLE_TOLERANCE)) {
      throw new Error(
        `${path}: its treble chroma differs from ${join(dataDir, entry.chroma)} by up to ` +
          `${diff.toExponential(2)}: not the recording (or the pipeline) data/chroma was built ` +
          "from, so the bass frames would not line up (rebuild with deno task build-data)",
      );
    }
    trebleMaxAbsDifference = Math.max(trebleMaxAbsDifference, diff);
    bass[id] = features.bass;
  }
  return { bass, trebleMaxAbsDifference };
}

/** Options of {@linkcode crossDatasetScores}. */
export interface CrossDatasetOptions {
  /** Data directory (default `data/`). */
  dataDir?: string;
  /**
   * Folder of the FMP C5 audio, read only when a model reads `bass+treble` chroma (default
   * {@linkcode sharedAudioDir}, see {@linkcode beatlesBassChroma}).
   */
  audioDir?: string;
  /**
   * The bass chroma of {@linkcode beatlesBassChroma} when the caller has it already (of the four
   * songs and the excerpt's recording): nothing is decoded then.
   */
  bass?: BeatlesBass["bass"];
}

/**
 * Scores models on the course's Beatles data (see the module doc). The bass chroma of
 * `bass+treble` models is computed from the audio once per call, and only when such a model is
 * given; a missing audio folder or file is then an error naming the path.
 *
 * @example
 * ```ts
 * import { crossDatasetScores } from "./billboard_cross.ts";
 * import { loadModel } from "../chords/mod.ts";
 * const [cnn] = await crossDatasetScores([await loadModel("billboard-cnn-check-strong-bce")]);
 * cnn.beatles.viterbi.majmin; // WCSR (%) of the four songs, bass chroma from the recordings
 * ```
 */
export async function crossDatasetScores(
  models: ChordRecognizer[],
  options: CrossDatasetOptions = {},
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
  // decoded once for every model that reads it, not at all when none does
  const needsBass = models.some((m) => m.features.chroma === "bass+treble");
  const bass = needsBass
    ? options.bass ?? (await beatlesBassChroma({
      dataDir,
      audioDir: options.audioDir,
      metadata,
      ids: [...FULL_SONGS.map((s) => s.id), TEST_SONG.id],
    })).bass
    : null;
  const frames = (chroma: number[][]) => chroma.map((f) => Float64Array.from(f));
  // the excerpt's bass trimmed as its treble (test.start: its first chord frame)
  const testBass = bass?.[TEST_SONG.id].slice(test.start, test.start + test.chroma.length);
  if (testBass && testBass.length !== test.chroma.length) {
    throw new Error(
      `${TEST_SONG.id}: ${testBass.length} bass frames, ${test.chroma.length} treble`,
    );
  }
  const features = (m: ChordRecognizer, treble: number[][], b?: Float64Array[]): ChordFeatures =>
    m.features.chroma === "bass+treble"
      ? { frameRate: metadata.featureRate, treble: frames(treble), bass: b }
      : { frameRate: metadata.featureRate, treble: frames(treble) };
  return models.map((model) => {
    // the best of the 24 chords per frame (N ignored), as Table 4.1 decodes: every frame of
    // the trimmed excerpt has a chord
    const estimate = model.logProbs(features(model, test.chroma, testBass))
      .map((row) => argmax(row, 0, 24));
    const letItBeF1 = 100 * evaluateLabels({ reference: test.labels, estimate }).f1;
    const score = (m: ChordRecognizer) => {
      const out = {} as CrossDatasetRow["beatles"];
      for (const decoding of ["frame", "viterbi"] as const) {
        const evals = songs.map(({ song, reference }) =>
          evaluateChords(
            reference,
            chordIntervals(m, features(m, song.chroma, bass?.[song.id]), {
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
