/**
 * A synthesized recording with known chords for the tests of the commands and of the course
 * site's recording page: triads of harmonic tones (4 partials, 1/h amplitudes, a slow fade in
 * and out at each chord change to avoid clicks), stereo (the right channel slightly quieter),
 * at a chosen sampling rate, encoded as 16-bit WAV by `encodeWav`.
 *
 * @module
 */
import { encodeWav } from "../../chords/mod.ts";

/** One chord of the synthesized recording. */
export interface SynthChord {
  /** Harte label (`C:maj`, `A:min`). */
  label: string;
  /** Chord symbol as a user writes it (`C`, `Am`). */
  symbol: string;
  /** Start in seconds. */
  start: number;
  /** End in seconds. */
  end: number;
  /** Frequencies in Hz of the three notes. */
  notes: number[];
}

const A4 = 440;
const hz = (midi: number) => A4 * 2 ** ((midi - 69) / 12);

/** C, Am, F, G, 2 s each, then C again for 1.5 s: 9.5 s, four changes. */
export const TRIAD_SONG: readonly SynthChord[] = Object.freeze([
  { label: "C:maj", symbol: "C", start: 0, end: 2, notes: [60, 64, 67].map(hz) },
  { label: "A:min", symbol: "Am", start: 2, end: 4, notes: [57, 60, 64].map(hz) },
  { label: "F:maj", symbol: "F", start: 4, end: 6, notes: [53, 57, 60].map(hz) },
  { label: "G:maj", symbol: "G", start: 6, end: 8, notes: [55, 59, 62].map(hz) },
  { label: "C:maj", symbol: "C", start: 8, end: 9.5, notes: [60, 64, 67].map(hz) },
]);

/** The channels (left, right) of {@link TRIAD_SONG} at `sampleRate`. */
export function synthesizeTriads(sampleRate: number, song = TRIAD_SONG): Float32Array[] {
  const n = Math.round(song[song.length - 1].end * sampleRate);
  const left = new Float32Array(n);
  const fade = Math.round(0.01 * sampleRate);
  for (const chord of song) {
    const a = Math.round(chord.start * sampleRate);
    const b = Math.round(chord.end * sampleRate);
    for (let i = a; i < b; i++) {
      const env = Math.min(1, (i - a) / fade, (b - 1 - i) / fade);
      let v = 0;
      for (const f of chord.notes) {
        for (let h = 1; h <= 4; h++) v += Math.sin((2 * Math.PI * f * h * i) / sampleRate) / h;
      }
      left[i] = 0.12 * env * v;
    }
  }
  const right = left.map((v) => 0.8 * v);
  return [left, right];
}

/** {@link synthesizeTriads} as a 16-bit stereo WAV file. */
export function triadWav(sampleRate = 44100, song = TRIAD_SONG): Uint8Array {
  return encodeWav(synthesizeTriads(sampleRate, song), sampleRate);
}

/** `song` played `times` times in a row (times shifted), e.g. a longer file for timings. */
export function repeatSong(song: readonly SynthChord[], times: number): SynthChord[] {
  const length = song[song.length - 1].end;
  return Array.from(
    { length: times },
    (_, r) => song.map((c) => ({ ...c, start: c.start + r * length, end: c.end + r * length })),
  ).flat();
}
