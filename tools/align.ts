/**
 * `deno task align`: aligns a chord text to a recording and writes each chord of the text with
 * its start and end time and a confidence.
 *
 * ```sh
 * deno task align song.mp3 chords.txt [--model NAME] [--subsequence] [--format tsv|lab|json] [--out FILE]
 * ```
 *
 * - `song.mp3`: an audio file (`.mp3`, `.wav`, `.flac`, `.ogg`; any sampling rate and channel
 *   count, see `deno task chords`);
 * - `chords.txt`: the chords in order as people write them (`Am F C G`, `F#m7`, `Bb/D`, bar lines
 *   `|` ignored, Harte syntax accepted, repeats allowed; `parseChordText` of lib/recordings);
 * - `--model`: a model of `models/` or a model JSON file (default `DEFAULT_MODEL`);
 * - `--subsequence`: the text covers only part of the recording (it may start after 0 and end
 *   before the end);
 * - `--gamma` (default 1) and `--tolerance` (seconds, default 0.3): the soft-DTW temperature and
 *   the half-width of the window the confidence is measured in (`alignChords`);
 * - `--format`: `tsv` (default: `start end chord confidence` per line, tab-separated, the chord
 *   as written), `lab` (MIREX `.lab` with Harte labels) or `json` (every field, both boundary
 *   confidences);
 * - `--out FILE`: write there (atomically; an existing file only with `--overwrite`) instead of
 *   standard output.
 *
 * The confidence of a chord is that of its start: the probability mass of the boundary within
 * ± tolerance of the reported time under the soft-DTW expected alignment (1 for a start fixed at
 * 0).
 *
 * @example
 * ```ts
 * import { main } from "./align.ts";
 * await main(["--help"]);
 * ```
 *
 * @module
 */
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadRecording } from "../lib/audio/mod.ts";
import { DEFAULT_MODEL, formatLab, loadModel } from "../lib/chords/mod.ts";
import { type AlignedChord, alignRecording, parseChordText } from "../lib/recordings/mod.ts";
import { writeFileAtomic } from "../lib/study/mod.ts";

const HELP = `deno task align <audio file> <chord text file> [options]

Aligns the chords of the text to the recording; writes start, end, chord and confidence.
  --model NAME|FILE     a model of models/ (default ${DEFAULT_MODEL}) or a model JSON file
  --subsequence         the text covers only part of the recording
  --gamma G             soft-DTW temperature (default 1)
  --tolerance S         confidence window ± S seconds (default 0.3)
  --format tsv|lab|json tab-separated lines (default), MIREX .lab, or JSON
  --out FILE            write to FILE instead of standard output
  --overwrite           replace FILE if it exists`;

/** Formats aligned chords as `tsv`, `lab` or `json` (see the module doc). */
export function formatAlignment(
  chords: AlignedChord[],
  format: string,
  about: { model: string; audio: string; text: string; duration: number },
): string {
  const r = (t: number) => Number(t.toFixed(3));
  if (format === "tsv") {
    return chords.map((c) => `${r(c.start)}\t${r(c.end)}\t${c.text}\t${c.confidence.toFixed(2)}\n`)
      .join("");
  }
  if (format === "lab") {
    return formatLab(
      chords.filter((c) => c.end > c.start).map((c) => ({
        start: c.start,
        end: c.end,
        label: c.harte,
      })),
    );
  }
  if (format === "json") return JSON.stringify({ ...about, chords }, null, 1) + "\n";
  throw new RangeError(`--format must be tsv, lab or json, got ${format}`);
}

function positiveNumber(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number`);
  return v;
}

/** Runs the command on its arguments (see the module doc). */
export async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: "string" },
      subsequence: { type: "boolean" },
      gamma: { type: "string" },
      tolerance: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      overwrite: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (positionals.length !== 2) {
    throw new RangeError(
      `expected an audio file and a chord text file, got ${positionals.length} argument(s) ` +
        "(see --help)",
    );
  }
  const [audio, textFile] = positionals;
  const format = values.format ?? "tsv";
  if (!["tsv", "lab", "json"].includes(format)) {
    throw new RangeError(`--format must be tsv, lab or json, got ${format}`);
  }
  const gamma = positiveNumber(values.gamma, "--gamma", 1);
  const tolerance = positiveNumber(values.tolerance, "--tolerance", 0.3);
  const out = values.out ? resolve(values.out) : null;
  if (out && !values.overwrite) {
    try {
      await Deno.stat(out);
      throw new Error(`${out} already exists (--overwrite replaces it)`);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  let text: string;
  try {
    text = await Deno.readTextFile(textFile);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new Error(`chord text not found: ${textFile}`);
    throw e;
  }
  const chords = parseChordText(text, textFile);
  const model = await loadModel(values.model ?? DEFAULT_MODEL);
  const t0 = performance.now();
  const rec = await loadRecording(audio, {
    onProgress: (e) => {
      if (e.duration !== undefined && e.duration > 60 && e.stage !== "read") {
        console.error(`  ${basename(audio)}: ${e.stage} (${e.elapsed.toFixed(1)} s)`);
      }
    },
  });
  const { alignment, features } = alignRecording(model, rec.samples, rec.sampleRate, chords, {
    gamma,
    tolerance,
    subsequence: values.subsequence ?? false,
  });
  const result = formatAlignment(alignment.chords, format, {
    model: model.name,
    audio,
    text: textFile,
    duration: rec.duration,
  });
  console.error(
    `${basename(audio)}: ${chords.length} chords aligned to ${features.treble.length} frames ` +
      `(${rec.duration.toFixed(1)} s of audio) in ${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s`,
  );
  if (out) {
    await writeFileAtomic(out, result);
    console.error(`wrote ${out}`);
  } else {
    await Deno.stdout.write(new TextEncoder().encode(result));
  }
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    console.error(`align: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
