/**
 * Recordings in: decode any container `audio-decode` reads (WAV, MP3, FLAC, Ogg Vorbis), check
 * the result, mix down to mono (mean of the channels) and resample to the rate the features
 * need (22050 Hz by default) with {@linkcode resample}. Damaged input is refused with an error
 * naming the file: an empty file, bytes that are no audio, a truncated or corrupt container
 * (checked by `scanContainer` before decoding, because the decoder prints instead of throwing),
 * decoder messages, a decoded length other than the container's, no samples or non-finite ones.
 *
 * Used in notebooks/09_your_recordings.ipynb.
 *
 * @module
 */
import decode from "../deps/audio_decode.ts";
import { toMono } from "./mix.ts";
import { scanContainer } from "./container.ts";
import { resample } from "./resample.ts";

/** A decoded recording, mixed down and resampled. */
export interface Recording {
  /** Mono samples at `sampleRate`. */
  samples: Float32Array;
  /** Sampling rate of `samples` in Hz. */
  sampleRate: number;
  /** Sampling rate of the file in Hz. */
  sourceRate: number;
  /** Channels of the file. */
  channels: number;
  /** Container format. */
  format: "wav" | "mp3" | "flac" | "ogg";
  /** Duration in seconds. */
  duration: number;
}

/** One step of {@link decodeRecording}, for progress lines. */
export interface ProgressEvent {
  /** What has just finished. */
  stage: "read" | "decoded" | "resampled";
  /** Seconds since the call started. */
  elapsed: number;
  /** Duration of the audio in seconds, once known. */
  duration?: number;
}

/** Options of {@link decodeRecording} and {@link loadRecording}. */
export interface RecordingOptions {
  /** Rate of the returned samples in Hz (default 22050, the course's chroma rate). */
  sampleRate?: number;
  /** Name used in error messages (default: the path, or "audio data"). */
  name?: string;
  /** Called after each step. */
  onProgress?: (event: ProgressEvent) => void;
}

/**
 * Runs `fn` (a decoder call) while collecting what it prints with `console.error` or
 * `console.warn` (the decoder's way of reporting corrupt data); other code's messages in the
 * meantime are collected too, which only makes the decode fail loudly. The console is restored
 * when the returned promise settles. Also used by `decodeAudio` of lib/chords (through
 * {@linkcode decodeChannels}).
 *
 * @example
 * ```ts
 * const { result, messages } = await withDecoderMessages(async () => {
 *   console.error("MPG123_ERR");
 *   return 1;
 * });
 * messages; // ["MPG123_ERR"]
 * await result; // 1
 * ```
 */
export async function withDecoderMessages<T>(
  fn: () => Promise<T>,
): Promise<{ result: Promise<T>; messages: string[] }> {
  const messages: string[] = [];
  const { error, warn } = console;
  const collect = (...args: unknown[]) => messages.push(args.map(String).join(" "));
  console.error = collect;
  console.warn = collect;
  const result = (async () => {
    try {
      return await fn();
    } finally {
      console.error = error;
      console.warn = warn;
    }
  })();
  await result.catch(() => {});
  return { result, messages };
}

/**
 * Decodes encoded audio bytes of any supported container to every channel at the file's rate,
 * with the checks of the module doc.
 *
 * Used in notebooks/09_your_recordings.ipynb (through `loadRecording`).
 *
 * @example
 * ```ts
 * import { encodeWav } from "../chords/data/audio.ts";
 * const { channels, sampleRate } = await decodeChannels(
 *   encodeWav([new Float32Array(10), new Float32Array(10)], 44100),
 * );
 * channels.length; // 2
 * ```
 */
export async function decodeChannels(
  bytes: Uint8Array,
  options: { name?: string } = {},
): Promise<{ channels: Float32Array[]; sampleRate: number; format: Recording["format"] }> {
  const name = options.name ?? "audio data";
  const scan = scanContainer(bytes, name);
  const { result, messages } = await withDecoderMessages(() => decode(bytes));
  let decoded: { channelData: Float32Array[]; sampleRate: number };
  try {
    decoded = await result;
  } catch (e) {
    throw new Error(
      `${name}: cannot decode ${scan.format.toUpperCase()} audio ` +
        `(${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (messages.length > 0) {
    throw new Error(
      `${name}: the decoder reported ${messages.length} error(s), e.g. "${messages[0]}" ` +
        "(corrupt audio data)",
    );
  }
  const channels = decoded?.channelData ?? [];
  if (channels.length === 0 || channels[0].length === 0) {
    throw new Error(`${name}: decoded audio contains no samples`);
  }
  if (scan.samples !== null && Math.abs(channels[0].length - scan.samples) > scan.slack) {
    throw new Error(
      `${name}: decoded ${channels[0].length} samples, the ${scan.format.toUpperCase()} ` +
        `container holds ${scan.samples} (corrupt or truncated audio)`,
    );
  }
  if (!Number.isInteger(decoded.sampleRate) || decoded.sampleRate <= 0) {
    throw new Error(`${name}: decoder gave sampling rate ${decoded.sampleRate}`);
  }
  for (let c = 0; c < channels.length; c++) {
    const x = channels[c];
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) {
        throw new Error(`${name}: channel ${c} sample ${i} is not finite (${x[i]})`);
      }
    }
  }
  return { channels, sampleRate: decoded.sampleRate, format: scan.format };
}

/**
 * Decodes, mixes down and resamples encoded audio bytes (see the module doc).
 *
 * Used in notebooks/09_your_recordings.ipynb (through `loadRecording`).
 *
 * @example
 * ```ts
 * import { encodeWav } from "../chords/data/audio.ts";
 * const tone = Float32Array.from({ length: 44100 }, (_, n) => Math.sin(n / 10));
 * const rec = await decodeRecording(encodeWav([tone, tone], 44100), { name: "tone.wav" });
 * rec.sampleRate; // 22050
 * rec.samples.length; // 22050
 * ```
 */
export async function decodeRecording(
  bytes: Uint8Array,
  options: RecordingOptions = {},
): Promise<Recording> {
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  const target = options.sampleRate ?? 22050;
  const name = options.name ?? "audio data";
  if (!Number.isInteger(target) || target <= 0) {
    throw new RangeError(`${name}: sampleRate must be a positive integer, got ${target}`);
  }
  const { channels, sampleRate, format } = await decodeChannels(bytes, { name });
  const duration = channels[0].length / sampleRate;
  options.onProgress?.({ stage: "decoded", elapsed: elapsed(), duration });
  const mono = toMono(channels, name);
  const samples = resample(mono, sampleRate, target);
  options.onProgress?.({ stage: "resampled", elapsed: elapsed(), duration });
  return {
    samples,
    sampleRate: target,
    sourceRate: sampleRate,
    channels: channels.length,
    format,
    duration,
  };
}

/**
 * Reads the bytes of an audio file; a missing or unreadable file is an error naming the path.
 *
 * Used in notebooks/09_your_recordings.ipynb (through `loadRecording`) and by `loadAudio` of
 * lib/chords.
 *
 * @example
 * ```ts
 * const bytes = await readAudioFile("../shared/data/fmp-c5/FMP_C5_F01_Beatles_LetItBe-mm1-4_Original.wav");
 * ```
 */
export async function readAudioFile(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new Error(`audio file not found: ${path}`);
    throw new Error(`cannot read audio file ${path}: ${e instanceof Error ? e.message : e}`);
  }
}

/**
 * Reads an audio file and {@link decodeRecording}s it; a missing or unreadable file is an error
 * naming the path.
 *
 * Used in notebooks/09_your_recordings.ipynb.
 *
 * @example
 * ```ts
 * const rec = await loadRecording("../shared/data/fmp-c5/FMP_C5_F01_Beatles_LetItBe-mm1-4_Original.wav");
 * rec.sampleRate; // 22050
 * ```
 */
export async function loadRecording(
  path: string,
  options: RecordingOptions = {},
): Promise<Recording> {
  const t0 = performance.now();
  const bytes = await readAudioFile(path);
  options.onProgress?.({ stage: "read", elapsed: (performance.now() - t0) / 1000 });
  return await decodeRecording(bytes, { ...options, name: options.name ?? path });
}
