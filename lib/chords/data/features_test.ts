import { assertEquals, assertThrows } from "@std/assert";
import { featuresFromAudio, stftLayout } from "./features.ts";
import { computeChroma } from "./chroma.ts";

const SR = 22050;
const tone = (hz: number, seconds = 2, amp = 0.5) =>
  Float32Array.from({ length: SR * seconds }, (_, n) => amp * Math.sin(2 * Math.PI * hz * n / SR));
const argmax = (f: Float64Array) => f.indexOf(Math.max(...f));

Deno.test("featuresFromAudio at 10.77 frames/s is the course's chroma, bit for bit", () => {
  const x = tone(440);
  const f = featuresFromAudio(x, SR, { frameRate: SR / 2048, chroma: "treble" });
  assertEquals(f.frameRate, SR / 2048);
  assertEquals(f.bass, undefined);
  assertEquals(f.treble.map((r) => Array.from(r)), computeChroma(x, { sampleRate: SR }).chroma);
});

Deno.test("featuresFromAudio: frame count and rate at 21.53 frames/s; bass hears the low note", () => {
  // A2 = 110 Hz (bass) and E6 = 1318.5 Hz (treble) together
  const low = tone(110), high = tone(1318.51, 2, 0.5);
  const x = low.map((v, n) => v + high[n]);
  const f = featuresFromAudio(x, SR, { frameRate: SR / 1024, chroma: "bass+treble" });
  assertEquals(f.frameRate, SR / 1024);
  assertEquals(f.treble.length, 1 + Math.floor(x.length / 1024));
  assertEquals(f.bass!.length, f.treble.length);
  const mid = Math.floor(f.treble.length / 2);
  assertEquals(argmax(f.bass![mid]), 9); // A
  assertEquals(argmax(f.treble[mid]), 4); // E
});

Deno.test("stftLayout keeps the course's frequency resolution; bad rates are named errors", () => {
  assertEquals(stftLayout(22050, 22050 / 2048), { hop: 2048, nFft: 4096, frameRate: 22050 / 2048 });
  assertEquals(stftLayout(44100, 22050 / 2048).nFft, 8192);
  assertEquals(stftLayout(44100, 22050 / 2048).hop, 4096);
  assertThrows(() => stftLayout(22050, 2000), RangeError, "no integer hop");
  assertThrows(() => stftLayout(0, 10), RangeError, "sampleRate");
  assertThrows(
    () => featuresFromAudio(new Float32Array(0), SR, { frameRate: 10, chroma: "treble" }),
    RangeError,
    "empty",
  );
  assertThrows(
    () => featuresFromAudio(tone(440), SR, { frameRate: 10, chroma: "bass" as "treble" }),
    RangeError,
    "chroma",
  );
});
