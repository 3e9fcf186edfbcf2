/**
 * Tests of the WAV header and annotation coverage checks of lib/chords/data/audio_check.ts (issue 17,
 * item 7): hand-made headers with known fields, and an MP3 cut exactly at a frame boundary (from
 * the shared FMP folder, only when it is present).
 */
import { assertEquals, assertThrows } from "@std/assert";
import { join } from "node:path";
import { ANNOTATION_OVERHANG, checkCoverage, checkWavFormat, scanAudio } from "./audio_check.ts";
import { decodeAudio, encodeWav } from "./audio.ts";
import { readChordCsv } from "./annotations.ts";
import { sharedAudioStatus } from "../../study/paths.ts";

const AUDIO = sharedAudioStatus();
if (!AUDIO.present) console.log(AUDIO.message);

Deno.test("checkWavFormat: fields that agree pass, each disagreement is named", () => {
  const ok = {
    format: 1,
    channels: 2,
    sampleRate: 22050,
    byteRate: 22050 * 4,
    blockAlign: 4,
    bitsPerSample: 16,
  };
  checkWavFormat(ok, "ok.wav");
  checkWavFormat({ ...ok, format: 3, bitsPerSample: 32, blockAlign: 8, byteRate: 22050 * 8 }, "f");
  const bad: [Partial<typeof ok>, string][] = [
    [{ bitsPerSample: 24 }, "block size 4 bytes, but 2 channel(s) of 24 bits make 6"],
    [{ blockAlign: 2, byteRate: 44100 }, "block size 2 bytes, but 2 channel(s) of 16 bits make 4"],
    [{ byteRate: 44100 }, "byte rate 44100, but 22050 Hz × 4 bytes make 88200"],
    [{ format: 2 }, "unknown format tag 2"],
    [{ bitsPerSample: 12 }, "12 bits per sample"],
    [{ channels: 0, blockAlign: 0 }, "0 channels"],
  ];
  for (const [change, message] of bad) {
    assertThrows(
      () => checkWavFormat({ ...ok, ...change }, "x.wav"),
      Error,
      `x.wav: WAV header fields disagree: ${message}`,
    );
  }
  // through the container scan: the bits-per-sample field of a real header changed
  const wav = encodeWav([new Float32Array(100)], 22050);
  assertEquals(scanAudio(wav, "a.wav").samples, 100);
  new DataView(wav.buffer).setUint16(34, 8, true);
  assertThrows(() => scanAudio(wav, "a.wav"), Error, "a.wav: WAV header fields disagree");
});

Deno.test("checkCoverage: the audio must reach the annotation's end within the allowed overhang", () => {
  const sr = 22050;
  checkCoverage({ name: "a", samples: 10 * sr, sampleRate: sr, annotationEnd: 10 });
  checkCoverage({
    name: "a",
    samples: 10 * sr,
    sampleRate: sr,
    annotationEnd: 10 + ANNOTATION_OVERHANG,
  });
  assertThrows(
    () => checkCoverage({ name: "a.mp3", samples: 5 * sr, sampleRate: sr, annotationEnd: 10 }),
    Error,
    "a.mp3: the decoded audio lasts 5.00 s but its chord annotation runs to 10.00 s",
  );
  assertThrows(
    () => checkCoverage({ name: "a", samples: 1, sampleRate: 0, annotationEnd: 1 }),
    RangeError,
    "not valid",
  );
});

Deno.test({
  name: "an MP3 cut exactly at a frame boundary decodes without error but fails the coverage check",
  ignore: !AUDIO.present,
  fn: async () => {
    const stem = "FMP_C5_Audio_Beatles_HereComesTheSun_Beatles_1969-AbbeyRoad-07";
    const bytes = await Deno.readFile(join(AUDIO.dir, `${stem}.mp3`));
    // `head -c 556847`: the end of a frame, so the container check cannot tell
    const cut = bytes.slice(0, 556847);
    const scan = scanAudio(cut, "cut.mp3");
    const audio = await decodeAudio(cut, { name: "cut.mp3" });
    assertEquals(audio.samples.length, scan.samples);
    const segments = await readChordCsv(join(AUDIO.dir, `${stem}_Chords.csv`));
    const annotationEnd = Math.max(...segments.map((s) => s.end));
    assertThrows(
      () =>
        checkCoverage({
          name: "cut.mp3",
          samples: audio.samples.length,
          sampleRate: audio.sampleRate,
          annotationEnd,
        }),
      Error,
      "cut.mp3: the decoded audio lasts 92.",
    );
    // the complete file covers its annotation
    const full = await decodeAudio(bytes, { name: "full.mp3" });
    checkCoverage({
      name: "full.mp3",
      samples: full.samples.length,
      sampleRate: full.sampleRate,
      annotationEnd,
    });
  },
});
