/**
 * Speed of the two commands' work on a 4-minute stereo 44.1 kHz MP3 (issue 20: recognized in
 * at most 3 s, aligned in at most 4 s): the MP3 is made at start-up by sox from the shared Let It
 * Be recording (`../shared/data/fmp-c5`, upsampled, two channels, 128 kbit/s, cut to 240 s) in a
 * temporary folder that is removed at the end (never committed). Each case reads and decodes the
 * file, mixes down and resamples to 22050 Hz, computes the model's features and output, then
 * recognizes with HMM smoothing (`recognizeChords`) or aligns the annotation's 161 chords
 * (`alignChords`); the steps are benched alone too, so their shares are visible. Cases whose
 * inputs are missing (no sox, no shared audio) are ignored with a message.
 *
 * Run: `deno bench -A --import-map=tools/import_map_offline.json lib/recordings/recognize_bench.ts`.
 *
 * @module
 */
import { join } from "node:path";
import { loadRecording, resample } from "../audio/mod.ts";
import { DEFAULT_MODEL, featuresFromAudio, loadModel, parseLab, toMono } from "../chords/mod.ts";
import { decodeChannels } from "../audio/mod.ts";
import { sharedAudioStatus } from "../study/paths.ts";
import { alignChords } from "./align_chords.ts";
import { modelOutput, recognizeChords } from "./recognize.ts";

const SONG = "FMP_C5_Audio_Beatles_LetItBe_Beatles_1970-LetItBe-06";
const shared = sharedAudioStatus();
let mp3: string | null = null;
let dir: string | null = null;
if (shared.present) {
  dir = await Deno.makeTempDir({ prefix: "recordings-bench-" });
  const path = join(dir, "letitbe-44k-stereo.mp3");
  try {
    const res = await new Deno.Command("sox", {
      args: [
        join(shared.dir, `${SONG}.mp3`),
        "-r",
        "44100",
        "-c",
        "2",
        "-C",
        "128",
        path,
        "trim",
        "0",
        "240",
      ],
      stderr: "null",
    }).output();
    if (res.success) mp3 = path;
    else console.log("sox failed: the recording benches are ignored");
  } catch {
    console.log("sox is not installed: the recording benches are ignored");
  }
} else console.log(shared.message);
globalThis.addEventListener("unload", () => {
  if (dir) Deno.removeSync(dir, { recursive: true });
});

const model = await loadModel(DEFAULT_MODEL);
const text = mp3
  ? parseLab(await Deno.readTextFile(join(shared.dir, `${SONG}_Chords.lab`)), "Let It Be")
    .map((c, i) => ({ text: c.label, harte: c.label, line: i + 1, column: 1 }))
  : [];
const bytes = mp3 ? await Deno.readFile(mp3) : new Uint8Array();
const decoded = mp3 ? await decodeChannels(bytes) : null;
const mono = decoded ? toMono(decoded.channels) : new Float32Array();
const rec = mp3 ? await loadRecording(mp3) : null;
const output = rec ? modelOutput(model, rec.samples, rec.sampleRate) : null;

Deno.bench({
  name: "recognize: file → chords (decode, resample, features, model, Viterbi)",
  group: "whole",
  ignore: !mp3,
  n: 3,
  warmup: 1,
  fn: async () => {
    const r = await loadRecording(mp3!);
    recognizeChords(model, r.samples, r.sampleRate);
  },
});

Deno.bench({
  name: "align: file → 161 aligned chords (decode, resample, features, model, soft-DTW)",
  group: "whole",
  ignore: !mp3,
  n: 3,
  warmup: 1,
  fn: async () => {
    const r = await loadRecording(mp3!);
    const out = modelOutput(model, r.samples, r.sampleRate);
    alignChords(out.logProbs, model.labels, text, { frameRate: out.features.frameRate });
  },
});

Deno.bench({
  name: "step: MP3 decode (4 min stereo 44.1 kHz)",
  group: "steps",
  ignore: !mp3,
  n: 3,
  fn: async () => {
    await decodeChannels(bytes);
  },
});

Deno.bench({
  name: "step: resample 44.1 → 22.05 kHz (mono)",
  group: "steps",
  ignore: !mp3,
  n: 3,
  fn: () => {
    resample(mono, 44100, 22050);
  },
});

Deno.bench({
  name: "step: features (chroma at the model's rate)",
  group: "steps",
  ignore: !mp3,
  n: 3,
  fn: () => {
    featuresFromAudio(rec!.samples, rec!.sampleRate, model.features);
  },
});

Deno.bench({
  name: "step: soft-DTW alignment of 161 chords",
  group: "steps",
  ignore: !mp3,
  n: 3,
  fn: () => {
    alignChords(output!.logProbs, model.labels, text, { frameRate: output!.features.frameRate });
  },
});
