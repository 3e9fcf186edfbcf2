/**
 * Rebuilds the project's derived data from the FMP C5 audio folder:
 *
 * - `data/chroma/<song>.csv`: STFT chroma of each recording (lib/chroma.ts: 22050 Hz, window
 *   4096, hop 2048, log(1 + 0.1|X|²), librosa chroma filter bank, L2-normalized frames),
 *   header `C,C#,...,B`, one row per frame, 6 significant digits;
 * - `data/chroma/metadata.json`: feature rate, parameters, source file names, their sizes and
 *   SHA-256 so the provenance is checkable;
 * - `data/annotations/`: verbatim copies of the FMP chord annotations (`*_Chords.csv` and
 *   `*_Chords_simplified.csv`, CC BY-NC-SA 4.0, Meinard Müller, AudioLabs Erlangen).
 *
 * MP3 decoding delay: the full songs exist only as MP3 (Adobe Audition CS6, no gapless/LAME
 * header), and the decoded MP3 starts later than the original signal (1201 samples ≈ 54 ms,
 * about half a feature frame). The Let It Be excerpt exists both as WAV and as MP3 from the
 * same encoder, so the delay is measured on that pair ({@link estimateDelay}) and that many
 * samples are dropped from the start of every decoded MP3 before the chroma is computed. The
 * delay and its correlation are written to metadata.json.
 *
 * Safety: every annotation CSV is validated (parsed, every label simplified) before anything is
 * written, every decoded recording is checked against its container (a corrupt or truncated
 * MP3/WAV, a WAV whose header fields disagree, is an error naming the file, see
 * lib/chords/data/audio_check.ts) and must cover its chord annotation (`checkCoverage`: an MP3 cut at
 * a frame boundary is a valid stream, its duration gives it away). The new files are written
 * into a staging folder outside the repository (lib/study/files.ts), which replaces the output's
 * `chroma/` and `annotations/` together, and only when every song succeeded; if the swap fails
 * half way (e.g. a folder that cannot be moved), the old folders are put back. A failure leaves
 * the committed `data/` as it was, and nothing behind. Nothing is written through a symbolic
 * link.
 *
 * Audio is never copied. Usage:
 *
 * ```sh
 * deno task build-data ../shared/data/fmp-c5          # writes data/ next to tools/
 * deno task build-data ../shared/data/fmp-c5 --out /tmp/data
 * ```
 *
 * Used in notebooks/03_dataset_padding.ipynb (which reads the data it writes).
 *
 * @module
 */

import { join } from "node:path";
import {
  checkCoverage,
  CHROMA_NAMES,
  computeChroma,
  estimateDelay,
  loadAudio,
  readChordCsv,
  simplifyChordLabel,
} from "../lib/mod.ts";
import {
  assertNoSymlinks,
  type ChromaMetadata,
  csvText,
  DATA_DIR,
  removeStaging,
  replaceEntries,
  sha256Hex,
  SONGS,
  stagingDir,
  type SwapHook,
} from "../lib/study/mod.ts";

/**
 * Feature parameters (the report's / FMP's).
 *
 * @example
 * ```ts
 * FEATURE_PARAMETERS.hop; // 2048
 * ```
 */
export const FEATURE_PARAMETERS = Object.freeze({
  sampleRate: 22050,
  nFft: 4096,
  hop: 2048,
  window: "hann (periodic)",
  center: true,
  padMode: "constant",
  gamma: 0.1,
  chromaFilterBank:
    "librosa.filters.chroma(tuning=0, n_chroma=12, ctroct=5.0, octwidth=2, norm=2, base_c=True)",
  normalization:
    "L2 per frame, threshold 1e-4 -> ones(12)/sqrt(12) (libfmp normalize_feature_sequence)",
  digits: 6,
});

/**
 * Formats a chroma value with 6 significant digits (shortest form).
 *
 * @example
 * ```ts
 * formatValue(0.123456789); // "0.123457"
 * ```
 */
export function formatValue(v: number): string {
  return String(Number(v.toPrecision(FEATURE_PARAMETERS.digits)));
}

/**
 * Chroma frames as CSV text with header `C,C#,...,B`.
 *
 * @example
 * ```ts
 * chromaToCsv([[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]).split("\n")[1]; // "1,0,0,0,0,0,0,0,0,0,0,0"
 * ```
 */
export function chromaToCsv(chroma: number[][]): string {
  return csvText([CHROMA_NAMES, ...chroma.map((frame) => frame.map(formatValue))]);
}

/**
 * Checks every chord annotation the build will copy (original and simplified, every song):
 * each must parse (`"Start";"End";"Label"` rows with increasing times) and every label must be
 * Harte syntax the simplification knows. Throws one error listing every bad file (with line and
 * label), before anything is written.
 *
 * @example
 * ```ts
 * import { validateAnnotations } from "./build_data.ts";
 * await validateAnnotations("../shared/data/fmp-c5");
 * ```
 */
export async function validateAnnotations(audioDir: string): Promise<void> {
  const problems: string[] = [];
  for (const song of SONGS) {
    for (const f of [song.annotation, song.simplified]) {
      const path = join(audioDir, f);
      try {
        const segments = await readChordCsv(path);
        for (const seg of segments) simplifyChordLabel(seg.label, { name: path, line: seg.line });
      } catch (e) {
        problems.push(e instanceof Error ? e.message : String(e));
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(`bad annotation files, nothing was written:\n  ${problems.join("\n  ")}`);
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/** Options of {@link buildData}. */
export interface BuildOptions {
  /** Folder with the FMP C5 audio and annotation files. */
  audioDir: string;
  /** Output data directory (default: data/ next to tools/). */
  outDir?: string;
  /** Progress callback (default: console.log). */
  log?: (line: string) => void;
  /**
   * Samples dropped from the start of every decoded MP3 (default: measured on the excerpt's
   * WAV/MP3 pair, {@link MP3_DELAY_PAIR}).
   */
  mp3Delay?: number;
  /** Test hook: called before each rename of the final swap (a throw simulates a failure). */
  swapHook?: SwapHook;
}

/**
 * The recording available both as WAV and MP3, used to measure the MP3 delay.
 *
 * @example
 * ```ts
 * MP3_DELAY_PAIR.wav; // "FMP_C5_F01_Beatles_LetItBe-mm1-4_Original.wav"
 * ```
 */
export const MP3_DELAY_PAIR = Object.freeze({
  wav: "FMP_C5_F01_Beatles_LetItBe-mm1-4_Original.wav",
  mp3: "FMP_C5_F01_Beatles_LetItBe-mm1-4_Original.mp3",
});

/**
 * Frame-wise agreement of two chromagrams (frames × 12, L2-normalized): mean and minimum
 * cosine similarity over their common frames.
 *
 * @example
 * ```ts
 * chromaCosine([[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]], [[0.6, 0.8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
 * // { mean: 0.6, min: 0.6, frames: 1 }
 * ```
 */
export function chromaCosine(
  a: number[][],
  b: number[][],
): { mean: number; min: number; frames: number } {
  const frames = Math.min(a.length, b.length);
  if (frames === 0) throw new Error("chromaCosine: no common frames");
  let sum = 0;
  let min = Infinity;
  for (let n = 0; n < frames; n++) {
    let dot = 0;
    for (let k = 0; k < 12; k++) dot += a[n][k] * b[n][k];
    sum += dot;
    min = Math.min(min, dot);
  }
  return { mean: sum / frames, min, frames };
}

/** Result of {@link measureMp3Delay}. */
export interface Mp3DelayMeasurement {
  /** Delay of the decoded MP3 in samples. */
  lag: number;
  /** Normalized waveform correlation at that delay. */
  correlation: number;
  /** Chroma of the re-aligned MP3 against the chroma of the WAV. */
  chromaAligned: { mean: number; min: number };
  /** Chroma of the MP3 as decoded (not re-aligned) against the chroma of the WAV. */
  chromaUnaligned: { mean: number; min: number };
}

/**
 * Measures the delay (in samples) of the decoded MP3 against the WAV of the same recording
 * ({@link MP3_DELAY_PAIR}), and how close the chroma of the MP3 comes to the chroma of the WAV
 * with and without removing it; throws naming the files if they are missing or do not match
 * (normalized correlation below 0.99).
 *
 * @example
 * ```ts
 * const { lag } = await measureMp3Delay("../shared/data/fmp-c5"); // 1201
 * ```
 */
export async function measureMp3Delay(audioDir: string): Promise<Mp3DelayMeasurement> {
  const sr = FEATURE_PARAMETERS.sampleRate;
  const wavPath = `${audioDir}/${MP3_DELAY_PAIR.wav}`;
  const mp3Path = `${audioDir}/${MP3_DELAY_PAIR.mp3}`;
  for (const p of [wavPath, mp3Path]) {
    if (!(await isFile(p))) {
      throw new Error(
        `cannot measure the MP3 delay: ${p} is missing (pass --mp3-delay <samples> instead)`,
      );
    }
  }
  const wav = await loadAudio(wavPath, { sampleRate: sr });
  const mp3 = await loadAudio(mp3Path, { sampleRate: sr });
  const est = estimateDelay(wav.samples, mp3.samples, { maxLag: 4096, start: sr, length: sr });
  if (est.correlation < 0.99) {
    throw new Error(
      `cannot measure the MP3 delay: ${MP3_DELAY_PAIR.mp3} does not match ` +
        `${MP3_DELAY_PAIR.wav} (best correlation ${est.correlation.toFixed(3)} at lag ${est.lag})`,
    );
  }
  const wavChroma = computeChroma(wav.samples).chroma;
  const cos = (x: Float32Array) => {
    const { mean, min } = chromaCosine(wavChroma, computeChroma(x).chroma);
    return { mean, min };
  };
  return {
    ...est,
    chromaAligned: cos(mp3.samples.subarray(est.lag)),
    chromaUnaligned: cos(mp3.samples),
  };
}

/**
 * Builds data/ from the audio folder (see the module doc). Throws naming the folder or the
 * missing files before writing anything.
 *
 * @example
 * ```ts
 * await buildData({ audioDir: "../shared/data/fmp-c5" });
 * ```
 */
export async function buildData(options: BuildOptions): Promise<ChromaMetadata> {
  const log = options.log ?? console.log;
  const audioDir = options.audioDir.replace(/\/+$/, "");
  const outDir = (options.outDir ?? DATA_DIR).replace(/\/+$/, "");
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(audioDir);
  } catch {
    throw new Error(`audio folder not found: ${audioDir}`);
  }
  if (!stat.isDirectory) throw new Error(`not a folder: ${audioDir}`);
  const missing: string[] = [];
  for (const song of SONGS) {
    for (const f of [song.audio, song.annotation, song.simplified]) {
      if (!(await isFile(`${audioDir}/${f}`))) missing.push(f);
    }
  }
  if (missing.length > 0) {
    throw new Error(`missing files in ${audioDir}:\n  ${missing.join("\n  ")}`);
  }
  await validateAnnotations(audioDir);
  // Everything is written into a staging folder (the system's temporary folder when it is on
  // the output's file system, else a hidden ignored .staging-* folder in the output, removed by
  // the next run if a crash left it); the output's chroma/ and annotations/ are replaced together
  // only when every song succeeded, and put back if the swap fails half way.
  for (const name of ["chroma", "annotations"]) {
    await assertNoSymlinks(outDir, join(outDir, name));
  }
  const staged = await stagingDir(outDir);
  try {
    const metadata = await buildInto(staged, audioDir, options, log);
    await replaceEntries(staged, outDir, ["chroma", "annotations"], options.swapHook);
    log(`wrote ${outDir}/chroma and ${outDir}/annotations (the previous ones removed)`);
    return metadata;
  } finally {
    await removeStaging(staged);
  }
}

async function buildInto(
  outDir: string,
  audioDir: string,
  options: BuildOptions,
  log: (line: string) => void,
): Promise<ChromaMetadata> {
  let mp3Delay: {
    lag: number;
    correlation: number | null;
    chromaAligned?: Mp3DelayMeasurement["chromaAligned"];
    chromaUnaligned?: Mp3DelayMeasurement["chromaUnaligned"];
  };
  if (options.mp3Delay !== undefined) {
    if (!Number.isInteger(options.mp3Delay) || options.mp3Delay < 0) {
      throw new Error(`mp3Delay must be a non-negative integer, got ${options.mp3Delay}`);
    }
    mp3Delay = { lag: options.mp3Delay, correlation: null };
    log(`MP3 delay given: ${mp3Delay.lag} samples`);
  } else {
    mp3Delay = await measureMp3Delay(audioDir);
    log(
      `MP3 delay measured on ${MP3_DELAY_PAIR.mp3} vs ${MP3_DELAY_PAIR.wav}: ` +
        `${mp3Delay.lag} samples (correlation ${mp3Delay.correlation?.toFixed(4)}); ` +
        `chroma vs WAV: mean cosine ${mp3Delay.chromaAligned?.mean.toFixed(5)} re-aligned, ` +
        `${mp3Delay.chromaUnaligned?.mean.toFixed(5)} as decoded`,
    );
    if (mp3Delay.lag < 0) throw new Error(`negative MP3 delay ${mp3Delay.lag}: unexpected`);
  }
  await Deno.mkdir(`${outDir}/chroma`, { recursive: true });
  await Deno.mkdir(`${outDir}/annotations`, { recursive: true });
  const p = FEATURE_PARAMETERS;
  const songs: ChromaMetadata["songs"] = [];
  for (const song of SONGS) {
    const t0 = performance.now();
    const path = `${audioDir}/${song.audio}`;
    const bytes = await Deno.readFile(path);
    const audioSha256 = await sha256Hex(bytes);
    const audio = await loadAudio(path, { sampleRate: p.sampleRate });
    const dropped = song.audio.endsWith(".mp3") ? mp3Delay.lag : 0;
    const samples = audio.samples.subarray(dropped);
    // a stream cut at a frame boundary is valid: the annotation says how long it must be
    for (const f of [song.annotation, song.simplified]) {
      const segments = await readChordCsv(`${audioDir}/${f}`);
      checkCoverage({
        name: path,
        samples: samples.length,
        sampleRate: p.sampleRate,
        annotationEnd: Math.max(...segments.map((x) => x.end)),
      });
    }
    const { chroma } = computeChroma(samples, {
      sampleRate: p.sampleRate,
      nFft: p.nFft,
      hop: p.hop,
      gamma: p.gamma,
      name: song.audio,
    });
    await Deno.writeTextFile(`${outDir}/chroma/${song.id}.csv`, chromaToCsv(chroma));
    for (const f of [song.annotation, song.simplified]) {
      // Copy the bytes (not the read-only mode of the source) so that a rebuild can overwrite.
      await Deno.writeFile(`${outDir}/annotations/${f}`, await Deno.readFile(`${audioDir}/${f}`));
    }
    songs.push(
      {
        id: song.id,
        title: song.title,
        audio: song.audio,
        audioSha256,
        audioBytes: bytes.length,
        channels: audio.channels,
        decodedSamples: audio.samples.length,
        droppedSamples: dropped,
        samples: samples.length,
        frames: chroma.length,
        chroma: `chroma/${song.id}.csv`,
        annotation: `annotations/${song.annotation}`,
        simplifiedAnnotation: `annotations/${song.simplified}`,
      } as ChromaMetadata["songs"][number],
    );
    log(
      `${song.audio}: ${samples.length} samples (${(samples.length / p.sampleRate).toFixed(2)} s` +
        `${
          dropped > 0 ? `, first ${dropped} dropped` : ""
        }) -> ${chroma.length} frames -> chroma/${song.id}.csv ` +
        `(${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
  }
  const metadata: ChromaMetadata = {
    featureRate: p.sampleRate / p.hop,
    sampleRate: p.sampleRate,
    parameters: {
      ...p,
      mp3DelaySamples: mp3Delay.lag,
      mp3DelayCorrelation: mp3Delay.correlation,
      mp3ChromaCosineAligned: mp3Delay.chromaAligned ?? null,
      mp3ChromaCosineUnaligned: mp3Delay.chromaUnaligned ?? null,
    },
    songs,
  };
  const json = {
    ...metadata,
    generatedBy: "deno task build-data <audio-folder> (tools/build_data.ts)",
    source:
      "FMP notebooks, chapter C5 (Meinard Müller, AudioLabs Erlangen); audio not redistributed",
  };
  await Deno.writeTextFile(`${outDir}/chroma/metadata.json`, JSON.stringify(json, null, 2) + "\n");
  return metadata;
}

if (import.meta.main) {
  const args = [...Deno.args];
  let outDir: string | undefined;
  let mp3Delay: number | undefined;
  const j = args.indexOf("--mp3-delay");
  if (j >= 0) {
    mp3Delay = Number(args[j + 1]);
    if (!Number.isInteger(mp3Delay)) {
      console.error("--mp3-delay needs an integer number of samples");
      Deno.exit(2);
    }
    args.splice(j, 2);
  }
  const i = args.indexOf("--out");
  if (i >= 0) {
    outDir = args[i + 1];
    if (!outDir) {
      console.error("--out needs a directory");
      Deno.exit(2);
    }
    args.splice(i, 2);
  }
  if (args.length !== 1) {
    console.error(
      "usage: deno task build-data <audio-folder> [--out <data-dir>] [--mp3-delay <samples>]",
    );
    Deno.exit(2);
  }
  const t0 = performance.now();
  try {
    await buildData({ audioDir: args[0], outDir, mp3Delay });
  } catch (e) {
    console.error(`build-data: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
  console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
