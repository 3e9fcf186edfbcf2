/**
 * Integrity checks of encoded audio, independent of the decoder: the decoder of `audio-decode`
 * does not throw on corrupt data (it prints `MPG123_ERR` lines and returns what it could decode:
 * a 300 kB zeroed block in an MP3 silently shortens it by a sixth), so before decoding we read
 * the container ourselves and know how many samples a good decode must give.
 *
 * - WAV ({@linkcode scanWav}): the RIFF chunks; the `fmt ` chunk gives channels, rate and block
 *   size, whose fields must agree ({@linkcode checkWavFormat}); the `data` chunk's declared size
 *   must be present in the file (a truncated file is an error), and gives the number of sample
 *   frames.
 * - MP3 ({@linkcode scanMp3}): an ID3v2 tag is skipped, then the MPEG audio frames are walked
 *   header by header (sync word, version, layer III, bitrate, rate, padding → frame length)
 *   to the end of the file; only an ID3v1 (`TAG`, 128 bytes), APE or Lyrics3 tag may follow the
 *   last frame. Lost sync (zeroed or foreign bytes) or a truncated last frame is an error naming
 *   the byte offset. The number of frames times the samples per frame (1152 for MPEG-1, 576 for
 *   MPEG-2/2.5) is the decoded length.
 * - Coverage ({@linkcode checkCoverage}): a stream cut at a frame boundary is valid, so the
 *   decoded duration is compared with the chord annotation it must cover.
 *
 * @example
 * ```ts
 * import { scanAudio } from "./audio_check.ts";
 * import { encodeWav } from "./audio.ts";
 * scanAudio(encodeWav([new Float32Array(100)], 22050), "tone.wav").samples; // 100
 * ```
 *
 * @module
 */

/** What the container says about the audio it holds. */
export interface AudioScan {
  /** `"wav"` or `"mp3"`. */
  format: "wav" | "mp3";
  /** Sample frames (per channel) a complete decode gives. */
  samples: number;
  /** Sampling rate in Hz from the headers. */
  sampleRate: number;
  /** Number of MP3 frames (0 for WAV). */
  frames: number;
  /** Samples per MP3 frame (0 for WAV). */
  samplesPerFrame: number;
}

const ascii = (b: Uint8Array, at: number, n: number) =>
  String.fromCharCode(...b.subarray(at, Math.min(b.length, at + n)));

/**
 * Reads the chunks of a RIFF/WAVE file and returns the number of sample frames its `data` chunk
 * holds. Throws an error naming `name` for a missing `fmt `/`data` chunk or a chunk that extends
 * beyond the end of the file (truncation).
 *
 * @example
 * ```ts
 * import { scanWav } from "./audio_check.ts";
 * import { encodeWav } from "./audio.ts";
 * scanWav(encodeWav([new Float32Array(10), new Float32Array(10)], 8000), "x.wav").samples; // 10
 * ```
 */
export function scanWav(bytes: Uint8Array, name: string): AudioScan {
  if (bytes.length < 12 || ascii(bytes, 0, 4) !== "RIFF" || ascii(bytes, 8, 4) !== "WAVE") {
    throw new Error(`${name}: not a RIFF/WAVE file`);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12;
  let blockAlign = 0;
  let sampleRate = 0;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at, 4);
    const size = v.getUint32(at + 4, true);
    const body = at + 8;
    if (body + size > bytes.length) {
      throw new Error(
        `${name}: truncated WAV: chunk "${id}" at byte ${at} declares ${size} bytes, ` +
          `only ${bytes.length - body} are in the file`,
      );
    }
    if (id === "fmt ") {
      if (size < 16) throw new Error(`${name}: WAV fmt chunk too short (${size} bytes)`);
      sampleRate = v.getUint32(body + 4, true);
      blockAlign = v.getUint16(body + 12, true);
      if (blockAlign === 0) throw new Error(`${name}: WAV fmt chunk has block size 0`);
      checkWavFormat(
        {
          format: v.getUint16(body, true),
          channels: v.getUint16(body + 2, true),
          sampleRate,
          byteRate: v.getUint32(body + 8, true),
          blockAlign,
          bitsPerSample: v.getUint16(body + 14, true),
        },
        name,
      );
    } else if (id === "data") {
      if (blockAlign === 0) throw new Error(`${name}: WAV data chunk before the fmt chunk`);
      if (size % blockAlign !== 0) {
        throw new Error(
          `${name}: WAV data chunk of ${size} bytes is not a whole number of ` +
            `${blockAlign}-byte sample frames (truncated?)`,
        );
      }
      return {
        format: "wav",
        samples: size / blockAlign,
        sampleRate,
        frames: 0,
        samplesPerFrame: 0,
      };
    }
    at = body + size + (size % 2);
  }
  throw new Error(`${name}: WAV file has no data chunk`);
}

/** The fields of a WAV `fmt ` chunk. */
export interface WavFormat {
  /** Format tag: 1 = integer PCM, 3 = IEEE float, 0xFFFE = extensible. */
  format: number;
  /** Number of channels. */
  channels: number;
  /** Sample frames per second. */
  sampleRate: number;
  /** Bytes per second. */
  byteRate: number;
  /** Bytes per sample frame (all channels). */
  blockAlign: number;
  /** Bits per sample. */
  bitsPerSample: number;
}

/**
 * Checks that the fields of a WAV `fmt ` chunk agree with each other: a known format (integer
 * PCM of 8, 16, 24 or 32 bits, float of 32 or 64 bits, or extensible), at least one channel, a
 * positive rate, block size = channels × bytes per sample, byte rate = rate × block size. A
 * decoder trusts some fields and not others, so a file whose fields disagree decodes to the
 * wrong samples without an error; this one throws naming `name` and the fields.
 *
 * @example
 * ```ts
 * import { checkWavFormat } from "./audio_check.ts";
 * checkWavFormat({ format: 1, channels: 2, sampleRate: 22050, byteRate: 88200, blockAlign: 4,
 *   bitsPerSample: 16 }, "a.wav"); // ok
 * ```
 */
export function checkWavFormat(f: WavFormat, name: string): void {
  const bad = (what: string) => {
    throw new Error(`${name}: WAV header fields disagree: ${what}`);
  };
  const bits = f.format === 1
    ? [8, 16, 24, 32]
    : f.format === 3
    ? [32, 64]
    : f.format === 0xfffe
    ? [8, 16, 24, 32, 64]
    : null;
  if (bits === null) bad(`unknown format tag ${f.format} (expected PCM 1, float 3, extensible)`);
  if (!bits!.includes(f.bitsPerSample)) {
    bad(`${f.bitsPerSample} bits per sample for format ${f.format}`);
  }
  if (f.channels < 1) bad("0 channels");
  if (f.sampleRate < 1) bad("sampling rate 0");
  const block = f.channels * (f.bitsPerSample / 8);
  if (f.blockAlign !== block) {
    bad(
      `block size ${f.blockAlign} bytes, but ${f.channels} channel(s) of ${f.bitsPerSample} ` +
        `bits make ${block}`,
    );
  }
  if (f.byteRate !== f.sampleRate * f.blockAlign) {
    bad(
      `byte rate ${f.byteRate}, but ${f.sampleRate} Hz × ${f.blockAlign} bytes make ` +
        `${f.sampleRate * f.blockAlign}`,
    );
  }
}

/**
 * How far a chord annotation may run past the end of its recording, in seconds: FMP's
 * annotations end up to about half a second after the audio (the Let It Be excerpt's original
 * annotation: 0.54 s), so 1 s is allowed. A recording that stops earlier is truncated.
 */
export const ANNOTATION_OVERHANG = 1;

/**
 * Checks that a decoded recording covers its chord annotation: its duration must reach the
 * annotation's end minus {@linkcode ANNOTATION_OVERHANG}. An MP3 cut exactly at a frame boundary
 * is a valid stream (its container cannot tell), so this is what catches it: an error naming
 * `name`, both durations and what is missing.
 *
 * @example
 * ```ts
 * import { checkCoverage } from "./audio_check.ts";
 * checkCoverage({ name: "a.mp3", samples: 22050 * 10, sampleRate: 22050, annotationEnd: 10.4 });
 * ```
 */
export function checkCoverage(
  options: { name: string; samples: number; sampleRate: number; annotationEnd: number },
): void {
  const { name, samples, sampleRate, annotationEnd } = options;
  if (!(sampleRate > 0) || !(samples >= 0) || !Number.isFinite(annotationEnd)) {
    throw new RangeError(
      `checkCoverage: ${name}: samples ${samples}, rate ${sampleRate}, annotation end ` +
        `${annotationEnd} are not valid`,
    );
  }
  const seconds = samples / sampleRate;
  if (seconds < annotationEnd - ANNOTATION_OVERHANG) {
    throw new Error(
      `${name}: the decoded audio lasts ${seconds.toFixed(2)} s but its chord annotation runs ` +
        `to ${annotationEnd.toFixed(2)} s: the file is truncated (${
          (annotationEnd - seconds).toFixed(2)
        } s missing; more than ${ANNOTATION_OVERHANG} s is not a rounding of the annotation)`,
    );
  }
}

const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000], // MPEG-1
  2: [22050, 24000, 16000], // MPEG-2
  0: [11025, 12000, 8000], // MPEG-2.5
};

/** Length of the tag that starts at `at` and ends the file, or −1 when there is none. */
function trailingTag(bytes: Uint8Array, at: number): number {
  const rest = bytes.length - at;
  if (rest === 128 && ascii(bytes, at, 3) === "TAG") return 128;
  if (ascii(bytes, at, 8) === "APETAGEX" || ascii(bytes, at, 11) === "LYRICSBEGIN") return rest;
  // an APE or Lyrics3 tag followed by ID3v1
  if (rest > 128 && ascii(bytes, bytes.length - 128, 3) === "TAG") {
    if (ascii(bytes, at, 8) === "APETAGEX" || ascii(bytes, at, 11) === "LYRICSBEGIN") return rest;
  }
  return -1;
}

/**
 * Walks the frames of an MPEG layer III stream (see the module doc) and returns the number of
 * samples a complete decode gives. Throws an error naming `name` and the byte offset when the
 * frame sync is lost before the end of the file (zeroed or foreign data), when a frame header is
 * invalid, when the last frame is truncated, or when there is no frame at all.
 *
 * @example
 * ```ts
 * import { scanMp3 } from "./audio_check.ts";
 * try {
 *   scanMp3(new Uint8Array(100), "zeros.mp3");
 * } catch (e) {
 *   (e as Error).message; // "zeros.mp3: cannot decode audio: not a WAV or MP3 file …"
 * }
 * ```
 */
export function scanMp3(bytes: Uint8Array, name: string): AudioScan {
  let at = 0;
  if (ascii(bytes, 0, 3) === "ID3" && bytes.length >= 10) {
    const size = ((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) |
      ((bytes[8] & 0x7f) << 7) | (bytes[9] & 0x7f);
    at = 10 + size + ((bytes[5] & 0x10) ? 10 : 0);
  }
  let frames = 0;
  let sampleRate = 0;
  let samplesPerFrame = 0;
  while (at < bytes.length) {
    if (frames > 0 && trailingTag(bytes, at) >= 0) break;
    if (at + 4 > bytes.length) {
      throw new Error(
        `${name}: corrupt MP3: ${bytes.length - at} stray bytes at the end (byte ${at})`,
      );
    }
    const h = ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>>
      0;
    const version = (h >>> 19) & 3;
    const layer = (h >>> 17) & 3;
    const bitrateIndex = (h >>> 12) & 15;
    const rateIndex = (h >>> 10) & 3;
    const ok = (h >>> 21) === 0x7ff && version !== 1 && layer === 1 && bitrateIndex !== 0 &&
      bitrateIndex !== 15 && rateIndex !== 3;
    if (!ok && frames === 0) {
      throw new Error(
        `${name}: cannot decode audio: not a WAV or MP3 file (no RIFF header, no MP3 frame ` +
          `header at byte ${at}); expected a WAV or MP3 file`,
      );
    }
    if (!ok) {
      throw new Error(
        `${name}: corrupt MP3: no frame header at byte ${at} of ${bytes.length} ` +
          `(after ${frames} good frames; zeroed, truncated or foreign data)`,
      );
    }
    const rate = RATES[version][rateIndex];
    const bitrate = (version === 3 ? BITRATES_V1 : BITRATES_V2)[bitrateIndex] * 1000;
    const length = Math.floor(((version === 3 ? 144 : 72) * bitrate) / rate) + ((h >>> 9) & 1);
    if (frames === 0) {
      sampleRate = rate;
      samplesPerFrame = version === 3 ? 1152 : 576;
    } else if (rate !== sampleRate) {
      throw new Error(
        `${name}: corrupt MP3: frame ${frames} at byte ${at} has rate ${rate} Hz, the first ` +
          `frame ${sampleRate} Hz`,
      );
    }
    if (at + length > bytes.length) {
      throw new Error(
        `${name}: truncated MP3: frame ${frames} at byte ${at} needs ${length} bytes, ` +
          `${bytes.length - at} are left`,
      );
    }
    at += length;
    frames++;
  }
  if (frames === 0) throw new Error(`${name}: no MP3 frames`);
  return { format: "mp3", samples: frames * samplesPerFrame, sampleRate, frames, samplesPerFrame };
}

/**
 * The container check for the formats this project reads: WAV (by its `RIFF` magic) or MP3
 * (anything else). See {@linkcode scanWav} and {@linkcode scanMp3}.
 *
 * @example
 * ```ts
 * import { scanAudio } from "./audio_check.ts";
 * import { encodeWav } from "./audio.ts";
 * scanAudio(encodeWav([new Float32Array(4)], 22050), "a.wav").format; // "wav"
 * ```
 */
export function scanAudio(bytes: Uint8Array, name: string): AudioScan {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`${name}: audio bytes must be a Uint8Array`);
  }
  return ascii(bytes, 0, 4) === "RIFF" ? scanWav(bytes, name) : scanMp3(bytes, name);
}
