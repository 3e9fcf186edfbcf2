/**
 * Tests of lib/chords/data/audio.ts and audio_check.ts: WAV round trip through `encodeWav` and the real decoder, mono mixing,
 * MP3 decoding (the FMP excerpt, only when the shared FMP folder is present), and the errors
 * for missing files, undecodable bytes and other sampling rates.
 */
import { assert, assertAlmostEquals, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { join } from "node:path";
import { decodeAudio, encodeWav, estimateDelay, loadAudio, toMono } from "./audio.ts";
import { scanAudio } from "./audio_check.ts";
import { mulberry32 } from "../random.ts";
import { sharedAudioStatus } from "../../study/paths.ts";

const tone = (n: number, f: number, sr = 22050) =>
  Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * f * i) / sr));

Deno.test("WAV round trip: samples within 16-bit quantization, rate and channels kept", async () => {
  const x = tone(1000, 440);
  const audio = await decodeAudio(encodeWav([x], 22050), { name: "tone.wav" });
  assertEquals(audio.sampleRate, 22050);
  assertEquals(audio.channels, 1);
  assertEquals(audio.samples.length, 1000);
  for (let i = 0; i < x.length; i++) assertAlmostEquals(audio.samples[i], x[i], 1 / 32767);
});

Deno.test("stereo WAV is mixed to mono by averaging the channels", async () => {
  const left = new Float32Array([0.5, 0.25, -0.5, 0]);
  const right = new Float32Array([0.5, -0.25, 0, 1]);
  const audio = await decodeAudio(encodeWav([left, right], 22050));
  assertEquals(audio.channels, 2);
  const expected = [0.5, 0, -0.25, 0.5];
  expected.forEach((v, i) => assertAlmostEquals(audio.samples[i], v, 1e-4));
  assertThrows(() => toMono([new Float32Array(3), new Float32Array(2)], "x.wav"), Error, "x.wav");
});

Deno.test("loadAudio reads a WAV file; other sampling rates are refused by name", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const ok = `${dir}/ok.wav`;
    await Deno.writeFile(ok, encodeWav([tone(500, 220)], 22050));
    assertEquals((await loadAudio(ok)).samples.length, 500);
    const wrong = `${dir}/cd.wav`;
    await Deno.writeFile(wrong, encodeWav([tone(500, 220, 44100)], 44100));
    const err = await assertRejects(() => loadAudio(wrong), Error);
    assert(err.message.includes(wrong) && err.message.includes("44100"), err.message);
    assert(err.message.includes("22050"), err.message);
    assertEquals((await loadAudio(wrong, { sampleRate: 44100 })).sampleRate, 44100);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("missing file and unsupported format give clear errors", async () => {
  await assertRejects(() => loadAudio("/nonexistent/song.wav"), Error, "audio file not found");
  const dir = await Deno.makeTempDir();
  try {
    const txt = `${dir}/notes.txt`;
    await Deno.writeTextFile(txt, "this is not audio\n".repeat(20));
    const err = await assertRejects(() => loadAudio(txt), Error);
    assert(err.message.startsWith(`${txt}: cannot decode audio`), err.message);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  await assertRejects(
    () => decodeAudio(new Uint8Array([1, 2, 3, 4]), { name: "junk.bin" }),
    Error,
    "junk.bin",
  );
});

Deno.test("estimateDelay finds a known delay of a noise-like signal", () => {
  const rand = mulberry32(3);
  const ref = Float32Array.from({ length: 6000 }, () => rand() - 0.5);
  for (const lag of [0, 37, 1201]) {
    const late = new Float32Array(ref.length + lag);
    late.set(ref, lag);
    const est = estimateDelay(ref, late, { maxLag: 1500, length: 3000 });
    assertEquals(est.lag, lag);
    assertAlmostEquals(est.correlation, 1, 1e-6);
  }
  assertThrows(() => estimateDelay(new Float32Array(100), ref), Error, "silent");
});

const AUDIO = sharedAudioStatus();
if (!AUDIO.present) console.log(`audio_test.ts: ${AUDIO.message}`);
const EXCERPT = join(AUDIO.dir, "FMP_C5_F01_Beatles_LetItBe-mm1-4_Original");
const PENNY_LANE = join(
  AUDIO.dir,
  "FMP_C5_Audio_Beatles_PennyLane_Beatles_1967-MagicalMysteryTour-09.mp3",
);

Deno.test({
  name: "MP3 decoding: the FMP excerpt MP3 matches its WAV after the measured delay",
  ignore: !AUDIO.present,
  fn: async () => {
    const wav = await loadAudio(`${EXCERPT}.wav`);
    const mp3 = await loadAudio(`${EXCERPT}.mp3`);
    assertEquals(mp3.sampleRate, 22050);
    // Same recording: the MP3 is longer only by the codec delay and padding (< 0.1 s).
    assert(mp3.samples.length >= wav.samples.length);
    assert(mp3.samples.length - wav.samples.length < 2205);
    const est = estimateDelay(wav.samples, mp3.samples, { start: 22050, length: 22050 });
    assert(est.correlation > 0.99, `correlation ${est.correlation}`);
    assert(est.lag > 0 && est.lag < 2205, `lag ${est.lag}`);
  },
});

Deno.test({
  name: "corrupt MP3 copies (zeroed block, truncation, foreign bytes) fail naming the file",
  ignore: !AUDIO.present,
  fn: async () => {
    const good = await Deno.readFile(PENNY_LANE);
    // the intact file: the frame walk and the decoder agree (7023 frames of 576 samples)
    assertEquals(scanAudio(good, "PennyLane.mp3").samples, 7023 * 576);
    assertEquals((await decodeAudio(good)).samples.length, 7023 * 576);
    const dir = await Deno.makeTempDir({ prefix: "audio-test-" });
    try {
      const zeroed = good.slice();
      zeroed.fill(0, 1_000_000, 1_300_000); // the 300 kB block that once gave exit 0
      const noise = good.slice();
      for (let i = 500_000; i < 500_400; i++) noise[i] = (i * 7919) & 0xff;
      const cases: [string, Uint8Array, string][] = [
        ["zeroed.mp3", zeroed, "corrupt MP3: no frame header at byte"],
        ["half.mp3", good.slice(0, Math.floor(good.length / 2)), "truncated MP3"],
        ["noise.mp3", noise, "corrupt MP3"],
      ];
      for (const [file, bytes, message] of cases) {
        const path = join(dir, file);
        await Deno.writeFile(path, bytes);
        const err = await assertRejects(() => loadAudio(path), Error);
        assert(err.message.startsWith(`${path}: `), err.message);
        assert(err.message.includes(message), err.message);
      }
      // a WAV cut in the middle of its data chunk
      const wav = await Deno.readFile(`${EXCERPT}.wav`);
      const cut = join(dir, "cut.wav");
      await Deno.writeFile(cut, wav.slice(0, 300_001));
      await assertRejects(() => loadAudio(cut), Error, `${cut}: truncated WAV`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("truncated or malformed WAV data fail naming the file (synthetic, no audio needed)", async () => {
  const wav = encodeWav([new Float32Array(1000)], 22050);
  assertEquals(scanAudio(wav, "a.wav").samples, 1000);
  await assertRejects(
    () => decodeAudio(wav.slice(0, 700), { name: "cut.wav" }),
    Error,
    "cut.wav: truncated WAV",
  );
  const odd = wav.slice();
  new DataView(odd.buffer).setUint32(40, 1999, true); // data size not a whole sample frame
  await assertRejects(
    () => decodeAudio(odd, { name: "odd.wav" }),
    Error,
    "odd.wav: WAV data chunk",
  );
});
