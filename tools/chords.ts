/**
 * `deno task chords`: applies a saved chord recognizer to recordings and writes one file of
 * chords per recording: MIREX `.lab` (`start end label`, labels like `C:maj`, `A:min`, `N`) by
 * default, or CSV or JSON.
 *
 * ```sh
 * deno task chords song.mp3 [more files] [--model NAME] [--out DIR] [--format lab|csv|json]
 * deno task chords --model <name|file> --out <dir> [--decoding viterbi|frame] [--overwrite] <input>...
 * ```
 *
 * - `--model`: a model name (`models/<name>.json`, default `DEFAULT_MODEL`) or a path to a
 *   model JSON file (`lib/chords/model/recognizer.ts`);
 * - an input is an audio file (`.mp3`, `.wav`, `.flac`, `.ogg`, `.oga`; any sampling rate and
 *   channel count: decoded, mixed down and resampled to 22050 Hz by `loadRecording` of
 *   lib/audio, then the model's features by `featuresFromAudio`), a song folder in the
 *   Billboard layout (`bothchroma.csv[.gz]`, optional `full.lab`/`majmin.lab`) or a folder of
 *   such song folders; Billboard chroma is read at the model's frame rate (21.53 or 10.77
 *   frames/s; any other rate is an error). Which kinds of input exist is decided by one
 *   function, {@linkcode inputRecordings};
 * - `--decoding`: `viterbi` (default: the model's HMM smoothing) or `frame` (frame-wise argmax);
 * - `--format`: `lab` (default), `csv` (`start,end,label` with a header line) or `json`
 *   (`{ model, source, duration, chords: [{ start, end, label }] }`);
 * - `--out`: the folder of the output files (`<name>.lab|csv|json`), created if needed; without
 *   it, the file of an audio input is written beside it (Billboard inputs need `--out`). Nothing
 *   is written until every input has been read and recognized; an existing file is an error
 *   unless `--overwrite` is given; each file is written atomically.
 *
 * Where inputs have a reference annotation (`full.lab`, else `majmin.lab`), `<out>/summary.json`
 * holds the metrics of mir_eval's chord evaluation (`evaluateChords`: WCSR root/majmin/mirex,
 * over/under-segmentation and their minimum) per recording and over all of them
 * (`summarizeChords`: duration-weighted), with the model and decoding used.
 *
 * Progress goes to stderr: one line per recording, and for audio longer than a minute a line
 * per step (decoded, resampled) with the time so far.
 *
 * @example
 * ```ts
 * import { main } from "./chords.ts";
 * await main(["--out", await Deno.makeTempDir(), "../shared/data/billboard/0004"]);
 * ```
 *
 * @module
 */
import { basename, dirname, extname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  type ChordFeatures,
  CHORDINO_FRAME_RATE,
  CHORDINO_PAIR_RATE,
  type ChordInterval,
  chordIntervals,
  type ChordRecognizer,
  type Decoding,
  DEFAULT_MODEL,
  evaluateChords,
  findBillboardSongs,
  formatLab,
  loadBillboardSong,
  loadModel,
  type SongChordEvaluation,
  summarizeChords,
} from "../lib/chords/mod.ts";
import { writeFileAtomic } from "../lib/study/mod.ts";
import { loadRecording } from "../lib/audio/mod.ts";
import { featuresFromAudio } from "../lib/chords/mod.ts";

/** One recording to recognize: a name (the output file's stem) and how to read it. */
export interface InputRecording {
  /** Output name: `<name>.lab`. */
  name: string;
  /** Where it comes from (for messages). */
  source: string;
  /** The folder its output goes to when `--out` is not given (audio files: their own). */
  defaultOut?: string;
  /** Reads the features at the model's spec, the duration and the reference when there is one. */
  load(model: ChordRecognizer): Promise<{
    features: ChordFeatures;
    duration: number;
    reference: ChordInterval[] | null;
  }>;
}

function billboardRate(model: ChordRecognizer): number {
  const r = model.features.frameRate;
  for (const rate of [CHORDINO_FRAME_RATE, CHORDINO_PAIR_RATE]) {
    if (Math.abs(r / rate - 1) <= 1e-3) return rate;
  }
  throw new RangeError(
    `model ${model.name} reads ${r} frames/s; Billboard chroma is ${CHORDINO_FRAME_RATE} ` +
      `(Chordino's) or ${CHORDINO_PAIR_RATE} frames/s (pairs averaged)`,
  );
}

/** Extensions of the audio files `deno task chords` reads. */
export const AUDIO_EXTENSIONS: readonly string[] = Object.freeze([
  ".mp3",
  ".wav",
  ".flac",
  ".ogg",
  ".oga",
]);

/** An audio file as an input: decoded to 22050 Hz mono, features at the model's spec. */
function audioRecording(path: string): InputRecording {
  const name = basename(path, extname(path));
  return {
    name,
    source: path,
    defaultOut: dirname(path),
    async load(model: ChordRecognizer) {
      const t0 = performance.now();
      let long = false;
      const rec = await loadRecording(path, {
        onProgress: (e) => {
          if (e.duration !== undefined && e.duration > 60) long = true;
          if (long && e.stage !== "read") {
            console.error(
              `  ${basename(path)}: ${e.stage} ${e.duration?.toFixed(1)} s of audio ` +
                `(${e.elapsed.toFixed(1)} s)`,
            );
          }
        },
      });
      const features = featuresFromAudio(rec.samples, rec.sampleRate, model.features);
      if (long) {
        console.error(
          `  ${basename(path)}: features (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
        );
      }
      return { features, duration: rec.duration, reference: null };
    },
  };
}

/**
 * The recordings an input path names: an audio file (by its extension, one of
 * {@linkcode AUDIO_EXTENSIONS}), a Billboard song folder, or a folder of them. Throws an error
 * naming the path otherwise.
 *
 * @example
 * ```ts
 * import { inputRecordings } from "./chords.ts";
 * (await inputRecordings("../shared/data/billboard/0004"))[0].name; // "0004"
 * ```
 */
export async function inputRecordings(path: string): Promise<InputRecording[]> {
  if (AUDIO_EXTENSIONS.includes(extname(path).toLowerCase())) {
    try {
      if (!(await Deno.stat(path)).isFile) throw new Error(`${path} is not a file`);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) throw new Error(`audio file not found: ${path}`);
      throw e;
    }
    return [audioRecording(path)];
  }
  const songs = await findBillboardSongs(path);
  return songs.map((dir) => ({
    name: basename(dir),
    source: dir,
    async load(model: ChordRecognizer) {
      const song = await loadBillboardSong(dir, {
        frameRate: billboardRate(model),
        reference: "optional",
      });
      return {
        features: { frameRate: song.frameRate, treble: song.treble, bass: song.bass },
        duration: song.treble.length / song.frameRate,
        reference: song.reference,
      };
    },
  }));
}

/** Output formats of `--format`. */
export type ChordFormat = "lab" | "csv" | "json";

/**
 * The text of one output file in a `--format`: MIREX `.lab` (`formatLab`), CSV with a header
 * line, or JSON with the model, source and duration.
 *
 * @example
 * ```ts
 * import { formatChords } from "./chords.ts";
 * formatChords([{ start: 0, end: 1.5, label: "C:maj" }], "csv", { model: "m", source: "a.wav", duration: 1.5 });
 * // "start,end,label\n0,1.5,C:maj\n"
 * ```
 */
export function formatChords(
  intervals: ChordInterval[],
  format: ChordFormat,
  about: { model: string; source: string; duration: number },
): string {
  if (format === "lab") return formatLab(intervals);
  if (format === "csv") {
    formatLab(intervals); // the same checks of times and labels
    return "start,end,label\n" + intervals.map((i) => `${i.start},${i.end},${i.label}\n`).join("");
  }
  if (format === "json") {
    formatLab(intervals);
    return JSON.stringify({ ...about, chords: intervals }, null, 1) + "\n";
  }
  throw new RangeError(`--format must be lab, csv or json, got ${format}`);
}

const HELP = `deno task chords [options] <input>...

Writes one file of chords (start end label) per input recording.
  --model NAME|FILE     a model of models/ (default ${DEFAULT_MODEL}) or a model JSON file
  --out DIR             output folder (created if needed; default for audio: beside the file)
  --format lab|csv|json MIREX .lab (default), CSV with a header, or JSON
  --decoding viterbi|frame   HMM smoothing (default) or frame-wise argmax
  --overwrite           replace existing output files
inputs: audio files (${AUDIO_EXTENSIONS.join(" ")}; any sampling rate and channel count),
a song folder in the Billboard layout (bothchroma.csv[.gz]) or a folder of them`;

/** Runs the command on its arguments (see the module doc). */
export async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: "string" },
      out: { type: "string" },
      decoding: { type: "string" },
      format: { type: "string" },
      overwrite: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (positionals.length === 0) throw new RangeError("no input given (see --help)");
  const decoding = (values.decoding ?? "viterbi") as Decoding;
  if (decoding !== "viterbi" && decoding !== "frame") {
    throw new RangeError(`--decoding must be viterbi or frame, got ${values.decoding}`);
  }
  const format = (values.format ?? "lab") as ChordFormat;
  if (!["lab", "csv", "json"].includes(format)) {
    throw new RangeError(`--format must be lab, csv or json, got ${values.format}`);
  }
  const model = await loadModel(values.model ?? DEFAULT_MODEL);
  const recordings: InputRecording[] = [];
  for (const input of positionals) recordings.push(...await inputRecordings(input));
  const target = (r: InputRecording) => {
    const dir = values.out ?? r.defaultOut;
    if (dir === undefined) {
      throw new RangeError(`--out DIR is required for ${r.source} (see --help)`);
    }
    return join(resolve(dir), `${r.name}.${format}`);
  };
  const seen = new Map<string, string>();
  for (const r of recordings) {
    const path = target(r);
    const other = seen.get(path);
    if (other) throw new RangeError(`${r.source} and ${other} would both write ${path}`);
    seen.set(path, r.source);
  }
  if (!values.overwrite) {
    const existing: string[] = [];
    for (const path of seen.keys()) {
      try {
        await Deno.stat(path);
        existing.push(path);
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    }
    if (existing.length > 0) {
      throw new Error(`${existing.join(", ")} already exist(s) (--overwrite replaces them)`);
    }
  }
  const texts: { path: string; text: string }[] = [];
  const scored: { name: string; evaluation: SongChordEvaluation }[] = [];
  for (const [i, r] of recordings.entries()) {
    const { features, duration, reference } = await r.load(model);
    const intervals = chordIntervals(model, features, { decoding, duration });
    texts.push({
      path: target(r),
      text: formatChords(intervals, format, { model: model.name, source: r.source, duration }),
    });
    if (reference) scored.push({ name: r.name, evaluation: evaluateChords(reference, intervals) });
    console.error(
      `[${i + 1}/${recordings.length}] ${r.name}: ${features.treble.length} frames, ` +
        `${intervals.length} chord intervals`,
    );
  }
  const summaryPath = scored.length > 0 && values.out
    ? join(resolve(values.out), "summary.json")
    : null;
  if (summaryPath && !values.overwrite) {
    try {
      await Deno.stat(summaryPath);
      throw new Error(`${summaryPath} already exists (--overwrite replaces it)`);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  for (const { path, text } of texts) {
    await Deno.mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, text);
  }
  if (summaryPath) {
    const summary = {
      model: model.name,
      decoding,
      recordings: Object.fromEntries(scored.map((s) => [s.name, s.evaluation.scores])),
      overall: summarizeChords(scored.map((s) => s.evaluation)),
    };
    await writeFileAtomic(summaryPath, JSON.stringify(summary, null, 2) + "\n");
  }
  console.error(
    `wrote ${texts.length} ${format} file(s)${values.out ? ` to ${resolve(values.out)}` : ""}` +
      `${summaryPath ? " and summary.json" : ""} (model ${model.name}, ${decoding})`,
  );
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    console.error(`chords: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
