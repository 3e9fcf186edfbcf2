/**
 * Container checks for the formats a recording may come in, read before decoding because the
 * decoder of `audio-decode` does not throw on damaged data (it prints and returns a shorter
 * signal). WAV and MP3 are checked by `scanWav`/`scanMp3` of lib/chords/data/audio_check.ts; this
 * module adds FLAC (the `STREAMINFO` block gives the rate and the total number of samples) and
 * Ogg (the pages are walked: capture pattern, page sizes inside the file, the last page flagged
 * end-of-stream; its granule position is the number of samples for Vorbis).
 *
 * Used in notebooks/09_your_recordings.ipynb (through `loadRecording`).
 *
 * @module
 */
import { type AudioScan, scanMp3, scanWav } from "../chords/data/audio_check.ts";

/** What a container says about its audio (see {@link scanContainer}). */
export interface ContainerScan {
  /** The container format. */
  format: "wav" | "mp3" | "flac" | "ogg";
  /** Sampling rate in Hz from the headers. */
  sampleRate: number;
  /** Sample frames a complete decode gives, `null` when the container does not say. */
  samples: number | null;
  /** How far the decoded length may be from `samples` (an MP3 frame; 0 otherwise). */
  slack: number;
}

const ascii = (b: Uint8Array, at: number, n: number) =>
  String.fromCharCode(...b.subarray(at, Math.min(b.length, at + n)));

/**
 * Reads the `STREAMINFO` block of a FLAC file (after the `fLaC` magic) and checks that the
 * metadata blocks fit in the file. A total of 0 samples means "unknown" (streamed encoders).
 *
 * @example
 * ```ts
 * import { scanFlac } from "./container.ts";
 * const bytes = new Uint8Array(4 + 4 + 34);
 * bytes.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34]); // "fLaC", last block, STREAMINFO, 34 bytes
 * bytes[18] = 0x0a; bytes[19] = 0xc4; bytes[20] = 0x42; // 44100 Hz, 2 channels, 16 bits
 * bytes[21] = 0xf0; bytes[25] = 100; // 100 samples
 * scanFlac(bytes, "a.flac").samples; // 100
 * ```
 */
export function scanFlac(bytes: Uint8Array, name: string): ContainerScan {
  if (ascii(bytes, 0, 4) !== "fLaC") throw new Error(`${name}: not a FLAC file`);
  let at = 4;
  let sampleRate = 0;
  let samples: number | null = null;
  for (;;) {
    if (at + 4 > bytes.length) {
      throw new Error(`${name}: truncated FLAC: metadata block header at byte ${at} is cut`);
    }
    const last = (bytes[at] & 0x80) !== 0;
    const type = bytes[at] & 0x7f;
    const size = (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
    if (at + 4 + size > bytes.length) {
      throw new Error(
        `${name}: truncated FLAC: metadata block at byte ${at} needs ${size} bytes, ` +
          `${bytes.length - at - 4} are left`,
      );
    }
    if (type === 0) {
      if (size < 34) throw new Error(`${name}: FLAC STREAMINFO too short (${size} bytes)`);
      const s = at + 4;
      sampleRate = (bytes[s + 10] << 12) | (bytes[s + 11] << 4) | (bytes[s + 12] >> 4);
      const total = (bytes[s + 13] & 0x0f) * 2 ** 32 +
        ((bytes[s + 14] << 24) >>> 0) + (bytes[s + 15] << 16) + (bytes[s + 16] << 8) +
        bytes[s + 17];
      samples = total > 0 ? total : null;
    }
    at += 4 + size;
    if (last) break;
  }
  if (!(sampleRate > 0)) throw new Error(`${name}: FLAC file has no STREAMINFO sampling rate`);
  if (at >= bytes.length) throw new Error(`${name}: FLAC file has no audio frames`);
  return { format: "flac", sampleRate, samples, slack: 0 };
}

/**
 * Walks the pages of an Ogg file: each must start with `OggS` and fit in the file, and the last
 * one must carry the end-of-stream flag (a file cut anywhere fails one of these). For Vorbis the
 * rate comes from the identification header and the last granule position is the number of
 * samples; for other codecs (Opus, FLAC in Ogg) the length is not checked.
 *
 * @example
 * ```ts
 * import { scanOgg } from "./container.ts";
 * const page = new Uint8Array(28);
 * page.set([0x4f, 0x67, 0x67, 0x53, 0, 4]); // "OggS", version 0, end of stream
 * page[26] = 1; // one segment of 0 bytes
 * scanOgg(page, "a.ogg").format; // "ogg"
 * ```
 */
export function scanOgg(bytes: Uint8Array, name: string): ContainerScan {
  let at = 0;
  let pages = 0;
  let eos = false;
  let granule = 0;
  let sampleRate = 0;
  let vorbis = false;
  while (at < bytes.length) {
    if (eos) {
      throw new Error(`${name}: corrupt Ogg: data after the end-of-stream page (byte ${at})`);
    }
    if (ascii(bytes, at, 4) !== "OggS") {
      throw new Error(
        pages === 0
          ? `${name}: not an Ogg file`
          : `${name}: corrupt Ogg: no page at byte ${at} (after ${pages} pages)`,
      );
    }
    if (at + 27 > bytes.length) throw new Error(`${name}: truncated Ogg: page ${pages} header`);
    const flags = bytes[at + 5];
    const view = new DataView(bytes.buffer, bytes.byteOffset + at + 6, 8);
    const g = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
    const nSeg = bytes[at + 26];
    if (at + 27 + nSeg > bytes.length) {
      throw new Error(`${name}: truncated Ogg: segment table of page ${pages}`);
    }
    let body = 0;
    for (let i = 0; i < nSeg; i++) body += bytes[at + 27 + i];
    const start = at + 27 + nSeg;
    if (start + body > bytes.length) {
      throw new Error(
        `${name}: truncated Ogg: page ${pages} at byte ${at} needs ${body} bytes, ` +
          `${bytes.length - start} are left`,
      );
    }
    if (
      pages === 0 && body >= 16 && bytes[start] === 1 && ascii(bytes, start + 1, 6) === "vorbis"
    ) {
      vorbis = true;
      sampleRate = new DataView(bytes.buffer, bytes.byteOffset + start + 12, 4).getUint32(0, true);
    }
    if (pages === 0 && ascii(bytes, start, 8) === "OpusHead") sampleRate = 48000;
    if (g < 2 ** 53) granule = Math.max(granule, g); // −1 (all ones) = no packet ends here
    eos = (flags & 4) !== 0;
    at = start + body;
    pages++;
  }
  if (pages === 0) throw new Error(`${name}: not an Ogg file`);
  if (!eos) throw new Error(`${name}: truncated Ogg: the last page is not flagged end-of-stream`);
  return { format: "ogg", sampleRate, samples: vorbis && granule > 0 ? granule : null, slack: 0 };
}

/**
 * The container check of any supported format, chosen by the file's magic bytes: `RIFF` (WAV),
 * `fLaC` (FLAC), `OggS` (Ogg), anything else is read as MP3 (which has no fixed magic; a file
 * that is none of these fails there with "not a WAV or MP3 file").
 *
 * Used in notebooks/09_your_recordings.ipynb (through `loadRecording`).
 *
 * @example
 * ```ts
 * import { scanContainer } from "./container.ts";
 * import { encodeWav } from "../chords/data/audio.ts";
 * scanContainer(encodeWav([new Float32Array(4)], 44100), "a.wav").sampleRate; // 44100
 * ```
 */
export function scanContainer(bytes: Uint8Array, name: string): ContainerScan {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`${name}: audio bytes must be a Uint8Array`);
  }
  if (bytes.length === 0) throw new Error(`${name}: the file is empty`);
  const magic = ascii(bytes, 0, 4);
  if (magic === "fLaC") return scanFlac(bytes, name);
  if (magic === "OggS") return scanOgg(bytes, name);
  let scan: AudioScan;
  try {
    scan = magic === "RIFF" ? scanWav(bytes, name) : scanMp3(bytes, name);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(msg.replace("expected a WAV or MP3 file", "expected WAV, MP3, FLAC or Ogg"));
  }
  return {
    format: scan.format,
    sampleRate: scan.sampleRate,
    samples: scan.samples,
    slack: scan.format === "mp3" ? scan.samplesPerFrame : 0,
  };
}
