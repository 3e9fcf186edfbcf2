/**
 * Tests of decode.ts and container.ts: a stereo 44.1 kHz WAV written here is mixed down and
 * resampled; FLAC, Ogg Vorbis and MP3 files made here with sox (installed by .ci/run) decode to
 * the tone they hold; empty, foreign, truncated and corrupt files are refused by name.
 */
import { assert, assertAlmostEquals, assertEquals, assertRejects } from "@std/assert";
import { join } from "node:path";
import { encodeWav } from "../chords/data/audio.ts";
import { decodeRecording, loadRecording } from "./decode.ts";
import { resample } from "./resample.ts";

const sine = (n: number, f: number, sr: number, a = 0.5) => {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = a * Math.sin((2 * Math.PI * f * i) / sr);
  return x;
};

/** Sign changes per second: 2·f for a pure tone. */
function crossingsPerSecond(x: Float32Array, sr: number): number {
  let c = 0;
  for (let i = 1; i < x.length; i++) if ((x[i - 1] < 0) !== (x[i] < 0)) c++;
  return c / (x.length / sr);
}

Deno.test("a stereo 44.1 kHz WAV is mixed down (mean) and resampled to 22050 Hz", async () => {
  const left = sine(44100, 440, 44100, 0.6);
  const right = sine(44100, 440, 44100, 0.2);
  const events: string[] = [];
  const rec = await decodeRecording(encodeWav([left, right], 44100), {
    name: "tone.wav",
    onProgress: (e) => events.push(e.stage),
  });
  assertEquals(rec.sampleRate, 22050);
  assertEquals(rec.sourceRate, 44100);
  assertEquals(rec.channels, 2);
  assertEquals(rec.format, "wav");
  assertEquals(rec.duration, 1);
  assertEquals(events, ["decoded", "resampled"]);
  const expected = sine(22050, 440, 22050, 0.4);
  for (let i = 200; i < 21850; i++) assertAlmostEquals(rec.samples[i], expected[i], 2e-4);
  // Mixing first and resampling the mean is what happens: equal to resampling the mean.
  const mean = left.map((v, i) => (v + right[i]) / 2);
  const direct = resample(mean, 44100, 22050);
  for (let i = 0; i < direct.length; i++) assertAlmostEquals(rec.samples[i], direct[i], 1e-4);
});

async function hasSox(): Promise<boolean> {
  try {
    return (await new Deno.Command("sox", { args: ["--version"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

const sox = await hasSox();

Deno.test({
  name: "FLAC, Ogg Vorbis and MP3 made with sox decode to their 440 Hz tone; cut copies fail",
  ignore: !sox,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      for (const [ext, rate] of [["flac", 44100], ["ogg", 48000], ["mp3", 44100]] as const) {
        const path = join(dir, `tone.${ext}`);
        const res = await new Deno.Command("sox", {
          args: [
            "-n",
            "-r",
            String(rate),
            "-c",
            "2",
            path,
            "synth",
            "3",
            "sine",
            "440",
            "vol",
            "0.5",
          ],
          stderr: "piped",
        }).output();
        assert(res.success, new TextDecoder().decode(res.stderr));
        const rec = await loadRecording(path);
        assertEquals(rec.format, ext);
        assertEquals(rec.sourceRate, rate);
        assertEquals(rec.sampleRate, 22050);
        assert(Math.abs(rec.duration - 3) < 0.1, `${ext}: ${rec.duration} s`);
        const zc = crossingsPerSecond(rec.samples.subarray(4410, 44100), 22050);
        assert(Math.abs(zc - 880) < 5, `${ext}: ${zc} crossings/s`);
        const bytes = await Deno.readFile(path);
        const cut = join(dir, `cut.${ext}`);
        await Deno.writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
        await assertRejects(() => loadRecording(cut), Error, cut);
        await assertRejects(() => loadRecording(cut), Error, "truncated");
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("unreadable input is refused with an error naming the file and the problem", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const empty = join(dir, "empty.mp3");
    await Deno.writeFile(empty, new Uint8Array(0));
    await assertRejects(() => loadRecording(empty), Error, `${empty}: the file is empty`);
    const text = join(dir, "notes.wav");
    await Deno.writeTextFile(text, "Am F C G\n".repeat(50));
    await assertRejects(() => loadRecording(text), Error, "expected WAV, MP3, FLAC or Ogg");
    const wav = encodeWav([sine(44100, 220, 44100)], 44100);
    const cut = join(dir, "cut.wav");
    await Deno.writeFile(cut, wav.subarray(0, 30000));
    await assertRejects(() => loadRecording(cut), Error, "cut.wav");
    await assertRejects(() => loadRecording(join(dir, "missing.flac")), Error, "not found");
    const flac = new Uint8Array([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, 34, 0, 0]);
    await assertRejects(
      () => decodeRecording(flac, { name: "head.flac" }),
      Error,
      "head.flac: truncated FLAC",
    );
    const ogg = new TextEncoder().encode("OggS\0\0junk");
    await assertRejects(
      () => decodeRecording(ogg, { name: "x.ogg" }),
      Error,
      "x.ogg: truncated Ogg",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
