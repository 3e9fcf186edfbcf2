/**
 * Tests of lib/chroma.ts against independent ground truth: a naive DFT, the equal-tempered
 * pitch of a frequency (12·log2(f/440) semitones from A), librosa's frame count
 * `1 + floor(N / hop)` for centred frames, and synthesized sine mixtures of known chords.
 */
import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { mulberry32 } from "../random.ts";
import {
  CHROMA_NAMES,
  chromaFilterBank,
  computeChroma,
  fft,
  frameCount,
  hannWindow,
  normalizeFrames,
} from "./chroma.ts";

const SR = 22050;

/** Pitch class (0 = C) of the equal-tempered note nearest to f, and the distance in semitones. */
function nearestPitchClass(f: number): { pc: number; distance: number } {
  const semitonesFromA = 12 * Math.log2(f / 440);
  const nearest = Math.round(semitonesFromA);
  return { pc: (((nearest + 9) % 12) + 12) % 12, distance: Math.abs(semitonesFromA - nearest) };
}

function midiToHz(m: number): number {
  return 440 * 2 ** ((m - 69) / 12);
}

function sines(freqs: number[], seconds: number): Float32Array {
  const n = Math.round(seconds * SR);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const f of freqs) s += Math.sin((2 * Math.PI * f * i) / SR);
    x[i] = (0.5 * s) / freqs.length;
  }
  return x;
}

function argsortDesc(v: number[]): number[] {
  return v.map((_, i) => i).sort((a, b) => v[b] - v[a]);
}

Deno.test("fft agrees with a naive DFT on a random signal", () => {
  const n = 64;
  const uniform = mulberry32(7);
  const rand = () => uniform() - 0.5;
  const xr = Array.from({ length: n }, rand);
  const xi = Array.from({ length: n }, rand);
  const re = Float64Array.from(xr);
  const im = Float64Array.from(xi);
  fft(re, im);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * k * t) / n;
      sr += xr[t] * Math.cos(a) - xi[t] * Math.sin(a);
      si += xr[t] * Math.sin(a) + xi[t] * Math.cos(a);
    }
    assertAlmostEquals(re[k], sr, 1e-9);
    assertAlmostEquals(im[k], si, 1e-9);
  }
});

Deno.test("fft rejects lengths that are not powers of two", () => {
  assertThrows(() => fft(new Float64Array(6), new Float64Array(6)), Error, "power of two");
  assertThrows(() => fft(new Float64Array(8), new Float64Array(4)), Error, "differ");
});

Deno.test("hannWindow is the periodic Hann window", () => {
  const w = hannWindow(8);
  assertEquals(w[0], 0);
  assertAlmostEquals(w[4], 1, 1e-15);
  // periodic: symmetric around n/2, w[k] = w[n-k]
  for (let k = 1; k < 8; k++) assertAlmostEquals(w[k], w[8 - k], 1e-15);
});

Deno.test("frameCount is 1 + floor(N / hop) (librosa, center=True)", () => {
  const cases: [number, number][] = [[1, 1], [2047, 1], [2048, 2], [4095, 2], [22050, 11]];
  for (const [n, frames] of cases) assertEquals(frameCount(n, 2048), frames);
  assertThrows(() => frameCount(10, 0), Error, "hop");
});

Deno.test("computeChroma: frame count and feature rate as librosa/libfmp", () => {
  for (const n of [3000, 2048 * 7, 2048 * 7 + 1, 2048 * 7 - 1]) {
    const { chroma, featureRate } = computeChroma(sines([440], n / SR));
    assertEquals(chroma.length, 1 + Math.floor(n / 2048), `N = ${n}`);
    assertEquals(featureRate, 22050 / 2048);
    for (const frame of chroma) assertEquals(frame.length, 12);
  }
});

Deno.test("filter bank: each FFT bin's largest weight is at its nearest pitch class", () => {
  const bank = chromaFilterBank({ sampleRate: SR, nFft: 4096 });
  assertEquals(bank.length, 12);
  assertEquals(bank[0].length, 2049);
  let checked = 0;
  for (let k = 1; k < 2049; k++) {
    const f = (k * SR) / 4096;
    const { pc, distance } = nearestPitchClass(f);
    // Only bins clearly inside a semitone and with fine enough frequency resolution.
    if (f < 200 || distance > 0.3) continue;
    const column = bank.map((row) => row[k]);
    assertEquals(argsortDesc(column)[0], pc, `bin ${k} (${f.toFixed(1)} Hz)`);
    checked++;
  }
  assert(checked > 500, `checked ${checked} bins`);
});

Deno.test("filter bank: octave weighting peaks near ctroct = 5 octaves above A0 (880 Hz)", () => {
  const bank = chromaFilterBank({ sampleRate: SR, nFft: 4096 });
  const colNorm = (k: number) => Math.hypot(...bank.map((row) => row[k]));
  const k880 = Math.round((880 * 4096) / SR);
  const k110 = Math.round((110 * 4096) / SR);
  const k7040 = Math.round((7040 * 4096) / SR);
  // Gaussian in octaves with width 2: 3 octaves away gives exp(-0.5 * 1.5²) ≈ 0.32.
  assertAlmostEquals(colNorm(k880), 1, 0.01);
  assertAlmostEquals(colNorm(k110) / colNorm(k880), Math.exp(-0.5 * 1.5 ** 2), 0.02);
  assertAlmostEquals(colNorm(k7040) / colNorm(k880), Math.exp(-0.5 * 1.5 ** 2), 0.02);
});

Deno.test("a 440 Hz sine peaks at A in every frame", () => {
  const { chroma } = computeChroma(sines([440], 2));
  for (const frame of chroma) assertEquals(CHROMA_NAMES[argsortDesc(frame)[0]], "A");
});

Deno.test("chords of sine mixtures peak at their three pitch classes", () => {
  const chords: [string, number[], string[]][] = [
    ["C major", [60, 64, 67], ["C", "E", "G"]],
    ["A minor", [57, 60, 64], ["A", "C", "E"]],
    ["F# major", [66, 70, 73], ["F#", "A#", "C#"]],
    ["D# minor", [63, 66, 70], ["D#", "F#", "A#"]],
  ];
  for (const [name, midi, expected] of chords) {
    const { chroma } = computeChroma(sines(midi.map(midiToHz), 1.5));
    // Interior frames (the first and last ones see the zero padding).
    for (const frame of chroma.slice(2, -2)) {
      const top = argsortDesc(frame).slice(0, 3).map((i) => CHROMA_NAMES[i]).sort();
      assertEquals(top, [...expected].sort(), name);
      // the three chord notes clearly dominate the rest
      const sorted = [...frame].sort((a, b) => b - a);
      assert(sorted[2] > 2 * sorted[3], `${name}: ${frame.map((v) => v.toFixed(2))}`);
    }
  }
});

Deno.test("frames are centred: a tone burst at sample 5·hop shows in frame 5 only", () => {
  const x = new Float32Array(2048 * 12);
  for (let i = 5 * 2048 - 400; i < 5 * 2048 + 400; i++) {
    x[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / SR);
  }
  const { chroma } = computeChroma(x);
  const unit = 1 / Math.sqrt(12);
  chroma.forEach((frame, n) => {
    if (n >= 4 && n <= 6) {
      assertEquals(CHROMA_NAMES[argsortDesc(frame)[0]], "A", `frame ${n}`);
    } else {
      // Silence: norm below the threshold, the unit vector.
      for (const v of frame) assertAlmostEquals(v, unit, 1e-12, `frame ${n}`);
    }
  });
});

Deno.test("each frame has unit L2 norm; silent frames are ones/sqrt(12)", () => {
  const x = sines([261.63, 329.63], 1);
  x.fill(0, 0, 8192);
  const { chroma } = computeChroma(x);
  for (const frame of chroma) assertAlmostEquals(Math.hypot(...frame), 1, 1e-12);
  assertEquals(chroma[1], new Array(12).fill(1 / Math.sqrt(12)));
  const [a, b] = normalizeFrames([[3, 4], [0, 1e-5]]);
  assertEquals(a, [0.6, 0.8]);
  for (const v of b) assertAlmostEquals(v, Math.SQRT1_2, 1e-15);
});

Deno.test("computeChroma: clear errors on bad input", () => {
  const x = new Float32Array(5000);
  x[1234] = NaN;
  assertThrows(() => computeChroma(x, { name: "bad.wav" }), Error, "bad.wav): sample 1234");
  assertThrows(() => computeChroma(new Float32Array(0)), Error, "empty");
  assertThrows(() => computeChroma(new Float32Array(10), { nFft: 1000 }), Error, "power of two");
  assertThrows(() => computeChroma(new Float32Array(10), { hop: 0 }), Error, "hop");
});
