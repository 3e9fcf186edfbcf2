/**
 * Audio loading for feature extraction: decodes WAV and MP3 files (with `decodeChannels` of
 * lib/audio: the npm package `audio-decode` behind container checks), mixes to mono by averaging
 * the channels (as `librosa.to_mono`) and checks the sampling rate. There is no resampling: a file whose rate differs from the expected one
 * (22050 Hz for everything in this project) is refused with an error naming the file and its
 * rate. The FMP C5 recordings are all 22050 Hz.
 *
 * @module
 */

import { decodeChannels, readAudioFile } from "../../audio/decode.ts";
import { toMono } from "../../audio/mix.ts";

/** A decoded mono signal. */
export interface MonoAudio {
  /** Mono samples (mean of the channels), nominally in [−1, 1]. */
  samples: Float32Array;
  /** Sampling rate in Hz. */
  sampleRate: number;
  /** Number of channels of the source before mixing. */
  channels: number;
}

/** Options of {@link loadAudio} and {@link decodeAudio}. */
export interface LoadAudioOptions {
  /** Required sampling rate in Hz (default 22050); other rates are an error. */
  sampleRate?: number;
  /** Name used in error messages (defaults to the path, or "audio data"). */
  name?: string;
}

// toMono lives in lib/audio/mix.ts (no decoder there, so the course site can bundle it).
export { toMono } from "../../audio/mix.ts";

/**
 * Decodes encoded audio bytes (WAV or MP3, also FLAC or Ogg; format detected from the content)
 * to mono.
 * Throws an error naming `options.name` when the bytes are not decodable audio, when the
 * container is corrupt or truncated (checked before decoding by `scanContainer` of lib/audio),
 * when the decoder reports an error (it prints instead of throwing; its messages are caught),
 * when the decoded length differs from what the container holds, when the audio contains no
 * samples or non-finite samples, or has a sampling rate other than `options.sampleRate`
 * (default 22050).
 *
 * @example
 * ```ts
 * const bytes = await Deno.readFile("song.wav");
 * const { samples, sampleRate } = await decodeAudio(bytes, { name: "song.wav" });
 * ```
 */
export async function decodeAudio(
  bytes: Uint8Array,
  options: LoadAudioOptions = {},
): Promise<MonoAudio> {
  const expected = options.sampleRate ?? 22050;
  const name = options.name ?? "audio data";
  // The container checks, the decoder's messages, the decoded length and finite samples:
  // decodeChannels of lib/audio (which also reads FLAC and Ogg).
  const { channels, sampleRate } = await decodeChannels(bytes, { name });
  if (sampleRate !== expected) {
    throw new Error(
      `${name}: sampling rate is ${sampleRate} Hz, expected ${expected} Hz ` +
        `(resampling is not supported here; loadRecording of lib/audio resamples)`,
    );
  }
  return { samples: toMono(channels, name), sampleRate, channels: channels.length };
}

/**
 * Reads and decodes an audio file (WAV or MP3) to mono, see {@link decodeAudio}.
 * A missing file gives an error naming the path.
 *
 * @example
 * ```ts
 * const audio = await loadAudio("../shared/data/fmp-c5/FMP_C5_F01_Beatles_LetItBe-mm1-4_Original.wav");
 * audio.sampleRate; // 22050
 * ```
 */
export async function loadAudio(path: string, options: LoadAudioOptions = {}): Promise<MonoAudio> {
  const bytes = await readAudioFile(path);
  return await decodeAudio(bytes, { ...options, name: options.name ?? path });
}

/**
 * Encodes mono or multi-channel float samples as a 16-bit PCM WAV file (little endian).
 * Meant for tests and examples (synthesized signals), not for redistributing recordings.
 *
 * Used by the tests of lib/chords/data and lib/audio (e.g. lib/audio/decode_test.ts).
 *
 * @example
 * ```ts
 * const wav = encodeWav([new Float32Array(100)], 22050);
 * wav.length; // 244
 * ```
 */
export function encodeWav(channels: ArrayLike<number>[], sampleRate: number): Uint8Array {
  if (channels.length === 0) throw new RangeError("encodeWav: no channels");
  const n = channels[0].length;
  const nc = channels.length;
  const dataBytes = n * nc * 2;
  const buf = new ArrayBuffer(44 + dataBytes);
  const v = new DataView(buf);
  const ascii = (off: number, s: string) => {
    for (let i = 0; i < s.length; i++) v.setUint8(off + i, s.charCodeAt(i));
  };
  ascii(0, "RIFF");
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, nc, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * nc * 2, true);
  v.setUint16(32, nc * 2, true);
  v.setUint16(34, 16, true);
  ascii(36, "data");
  v.setUint32(40, dataBytes, true);
  let off = 44;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < nc; c++) {
      const s = Math.max(-1, Math.min(1, channels[c][i]));
      v.setInt16(off, Math.round(s < 0 ? s * 32768 : s * 32767), true);
      off += 2;
    }
  }
  return new Uint8Array(buf);
}

/** Options of {@link estimateDelay}. */
export interface EstimateDelayOptions {
  /** Largest delay tried, in samples, in both directions (default 4096). */
  maxLag?: number;
  /** First sample of `reference` used for the comparison (default 0). */
  start?: number;
  /** Number of samples compared (default: 65536, cut to what both signals hold). */
  length?: number;
}

/** Result of {@link estimateDelay}. */
export interface DelayEstimate {
  /** Delay in samples: `delayed[i + lag] ≈ reference[i]`. */
  lag: number;
  /** Normalized correlation at that lag (1 = identical up to gain). */
  correlation: number;
}

/**
 * Estimates by how many samples `delayed` lags behind `reference` (the lag maximizing the
 * normalized cross-correlation over `[start, start + length)` of the reference). Used by
 * tools/build_data.ts to measure the delay an MP3 encoder/decoder pair adds, from a recording
 * available both as WAV and as MP3, so that the decoded MP3s can be re-aligned with the
 * annotations.
 *
 * @example
 * ```ts
 * const ref = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i * i * 1e-4));
 * const late = new Float32Array(5100);
 * late.set(ref, 37);
 * estimateDelay(ref, late, { maxLag: 100, length: 4000 }).lag; // 37
 * ```
 */
export function estimateDelay(
  reference: ArrayLike<number>,
  delayed: ArrayLike<number>,
  options: EstimateDelayOptions = {},
): DelayEstimate {
  const maxLag = options.maxLag ?? 4096;
  const start = options.start ?? 0;
  const length = Math.min(options.length ?? 65536, reference.length - start);
  if (!Number.isInteger(maxLag) || maxLag < 0) {
    throw new RangeError(`estimateDelay: maxLag must be a non-negative integer, got ${maxLag}`);
  }
  if (!Number.isInteger(start) || start < 0 || length <= 0) {
    throw new RangeError(
      `estimateDelay: empty comparison window (start ${start}, reference has ` +
        `${reference.length} samples)`,
    );
  }
  let refEnergy = 0;
  for (let i = start; i < start + length; i++) refEnergy += reference[i] * reference[i];
  if (!(refEnergy > 0)) throw new RangeError("estimateDelay: the reference window is silent");
  let best = { lag: 0, correlation: -Infinity };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let dot = 0;
    let energy = 0;
    for (let i = start; i < start + length; i++) {
      const j = i + lag;
      const b = j >= 0 && j < delayed.length ? delayed[j] : 0;
      dot += reference[i] * b;
      energy += b * b;
    }
    const c = energy > 0 ? dot / Math.sqrt(refEnergy * energy) : 0;
    if (c > best.correlation) best = { lag, correlation: c };
  }
  return best;
}
