/**
 * `deno task chords`: applies a saved chord recognizer to data and writes one MIREX `.lab` file
 * (`start end label`, labels like `C:maj`, `A:min`, `N`) per input recording.
 *
 * ```sh
 * deno task chords --model <name|file> --out <dir> [--decoding viterbi|frame] [--overwrite] <input>...
 * ```
 *
 * - `--model`: a model name (`models/<name>.json`, default `DEFAULT_MODEL`) or a path to a
 *   model JSON file (`lib/chords/model/recognizer.ts`);
 * - an input is a song folder in the Billboard layout (`bothchroma.csv[.gz]`, optional
 *   `full.lab`/`majmin.lab`) or a folder of such song folders; its Chordino chroma is read at
 *   the model's frame rate (21.53 or 10.77 frames/s; any other rate is an error). Which kinds
 *   of input exist is decided by one function, {@linkcode inputRecordings};
 * - `--decoding`: `viterbi` (default: the model's HMM smoothing) or `frame` (frame-wise argmax);
 * - `--out`: the folder of the `.lab` files (`<song id>.lab`), created if needed. Nothing is
 *   written until every input has been read and recognized; an existing file is an error unless
 *   `--overwrite` is given; each file is written atomically.
 *
 * Where inputs have a reference annotation (`full.lab`, else `majmin.lab`), `<out>/summary.json`
 * holds the metrics of mir_eval's chord evaluation (`evaluateChords`: WCSR root/majmin/mirex,
 * over/under-segmentation and their minimum) per recording and over all of them
 * (`summarizeChords`: duration-weighted), with the model and decoding used.
 *
 * One progress line per recording goes to stderr.
 *
 * @example
 * ```ts
 * import { main } from "./chords.ts";
 * await main(["--out", await Deno.makeTempDir(), "../shared/data/billboard/0004"]);
 * ```
 *
 * @module
 */
import { basename, join, resolve } from "node:path";
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

/** One recording to recognize: a name (the output file's stem) and how to read it. */
export interface InputRecording {
  /** Output name: `<name>.lab`. */
  name: string;
  /** Where it comes from (for messages). */
  source: string;
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

/**
 * The recordings an input path names: a Billboard song folder, or a folder of them. (Audio files
 * are added here by the recordings issue.) Throws an error naming the path otherwise.
 *
 * @example
 * ```ts
 * import { inputRecordings } from "./chords.ts";
 * (await inputRecordings("../shared/data/billboard/0004"))[0].name; // "0004"
 * ```
 */
export async function inputRecordings(path: string): Promise<InputRecording[]> {
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

const HELP = `deno task chords --model <name|file> --out <dir> [options] <input>...

Writes one MIREX .lab (start end label) per input recording.
  --model NAME|FILE     a model of models/ (default ${DEFAULT_MODEL}) or a model JSON file
  --out DIR             output folder (created if needed)
  --decoding viterbi|frame   HMM smoothing (default) or frame-wise argmax
  --overwrite           replace existing .lab files in DIR
inputs: a song folder in the Billboard layout (bothchroma.csv[.gz]) or a folder of them`;

/** Runs the command on its arguments (see the module doc). */
export async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: "string" },
      out: { type: "string" },
      decoding: { type: "string" },
      overwrite: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (!values.out) throw new RangeError("--out DIR is required (see --help)");
  if (positionals.length === 0) throw new RangeError("no input given (see --help)");
  const decoding = (values.decoding ?? "viterbi") as Decoding;
  if (decoding !== "viterbi" && decoding !== "frame") {
    throw new RangeError(`--decoding must be viterbi or frame, got ${values.decoding}`);
  }
  const model = await loadModel(values.model ?? DEFAULT_MODEL);
  const recordings: InputRecording[] = [];
  for (const input of positionals) recordings.push(...await inputRecordings(input));
  const seen = new Map<string, string>();
  for (const r of recordings) {
    const other = seen.get(r.name);
    if (other) throw new RangeError(`${r.source} and ${other} would both write ${r.name}.lab`);
    seen.set(r.name, r.source);
  }
  const out = resolve(values.out);
  if (!values.overwrite) {
    const existing: string[] = [];
    for (const r of recordings) {
      try {
        await Deno.stat(join(out, `${r.name}.lab`));
        existing.push(`${r.name}.lab`);
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    }
    if (existing.length > 0) {
      throw new Error(
        `${out} already holds ${existing.join(", ")} (--overwrite replaces them)`,
      );
    }
  }
  const texts: { name: string; text: string }[] = [];
  const scored: { name: string; evaluation: SongChordEvaluation }[] = [];
  for (const [i, r] of recordings.entries()) {
    const { features, duration, reference } = await r.load(model);
    const intervals = chordIntervals(model, features, { decoding, duration });
    texts.push({ name: r.name, text: formatLab(intervals) });
    if (reference) scored.push({ name: r.name, evaluation: evaluateChords(reference, intervals) });
    console.error(
      `[${i + 1}/${recordings.length}] ${r.name}: ${features.treble.length} frames, ` +
        `${intervals.length} chord intervals`,
    );
  }
  await Deno.mkdir(out, { recursive: true });
  if (scored.length > 0 && !values.overwrite) {
    try {
      await Deno.stat(join(out, "summary.json"));
      throw new Error(`${out} already holds summary.json (--overwrite replaces it)`);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  for (const { name, text } of texts) await writeFileAtomic(join(out, `${name}.lab`), text);
  if (scored.length > 0) {
    const summary = {
      model: model.name,
      decoding,
      recordings: Object.fromEntries(scored.map((s) => [s.name, s.evaluation.scores])),
      overall: summarizeChords(scored.map((s) => s.evaluation)),
    };
    await writeFileAtomic(join(out, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
  }
  console.error(`wrote ${texts.length} .lab file(s) to ${out} (model ${model.name}, ${decoding})`);
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    console.error(`chords: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
