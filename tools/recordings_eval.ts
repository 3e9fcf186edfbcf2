/**
 * How good are `deno task chords` and `deno task align` on real recordings: the four full
 * Beatles songs and the Let It Be excerpt of the shared FMP C5 folder (`../shared/data/fmp-c5`),
 * against their chord annotations, side by side with essentia.js (npm `essentia.js` 0.1.3,
 * HPCP + `ChordsDetection`, the JavaScript peer a user would otherwise pick) on the same audio.
 * Writes `results/recordings/accuracy.json` and `accuracy.md` (atomically, after everything is
 * computed).
 *
 * - Recognition (ours: the default model, HMM smoothing; essentia.js: the 36-bin HPCP of
 *   `SpectralPeaks` of a Blackman-Harris-windowed spectrum, frames of 4096 samples every 2048 at
 *   22050 Hz, then `ChordsDetection` with its 2 s window): WCSR under mir_eval's `majmin` rule
 *   (`evaluateChords`, duration-weighted over the songs for the total) and the course's frame
 *   F1 (notebook 04's measure: annotation and estimate sampled at 22050/2048 frames/s, chords
 *   simplified to the 24 triads, N frames count as no chord).
 * - Alignment (ours only: essentia.js has no alignment): the annotation's own chord sequence
 *   (every interval's label in order, N included, repeats kept) aligned with
 *   `alignRecording`; absolute errors of the chord starts (every boundary but the first),
 *   median, 95th percentile, share within 0.3 s and within 1 s, per recording and pooled.
 *
 * Run: `deno run -A tools/recordings_eval.ts [--model NAME] [--out DIR]`.
 *
 * @module
 */
import EssentiaJs from "essentia.js";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { loadRecording } from "../lib/audio/mod.ts";
import {
  type ChordInterval,
  DEFAULT_MODEL,
  evalMeasures,
  evaluateChords,
  frameLabels,
  labelMatrix,
  loadModel,
  majminLabel,
  parseChordCsv,
  parseLab,
} from "../lib/chords/mod.ts";
import {
  alignChords,
  boundaryErrors,
  type BoundarySummary,
  type ChordToken,
  recognizeChords,
  summarizeBoundaries,
  symbolToHarte,
} from "../lib/recordings/mod.ts";
import { sharedAudioDir, writeFileAtomic } from "../lib/study/mod.ts";
import { ROOT } from "./notebooks.ts";

/** The recordings: audio file and annotation, names relative to the FMP C5 folder. */
export const RECORDINGS: readonly { name: string; audio: string; reference: string }[] = [
  [
    "Let It Be (excerpt, WAV)",
    "FMP_C5_F01_Beatles_LetItBe-mm1-4_Original.wav",
    "FMP_C5_F01_Beatles_LetItBe-mm1-4_Original_Chords.csv",
  ],
  [
    "Let It Be",
    "FMP_C5_Audio_Beatles_LetItBe_Beatles_1970-LetItBe-06.mp3",
    "FMP_C5_Audio_Beatles_LetItBe_Beatles_1970-LetItBe-06_Chords.lab",
  ],
  [
    "Here Comes the Sun",
    "FMP_C5_Audio_Beatles_HereComesTheSun_Beatles_1969-AbbeyRoad-07.mp3",
    "FMP_C5_Audio_Beatles_HereComesTheSun_Beatles_1969-AbbeyRoad-07_Chords.lab",
  ],
  [
    "Ob-La-Di, Ob-La-Da",
    "FMP_C5_Audio_Beatles_ObLaDiObLaDa_Beatles_1968-TheBeatlesTheWhiteAlbumDisc1-04.mp3",
    "FMP_C5_Audio_Beatles_ObLaDiObLaDa_Beatles_1968-TheBeatlesTheWhiteAlbumDisc1-04_Chords.lab",
  ],
  [
    "Penny Lane",
    "FMP_C5_Audio_Beatles_PennyLane_Beatles_1967-MagicalMysteryTour-09.mp3",
    "FMP_C5_Audio_Beatles_PennyLane_Beatles_1967-MagicalMysteryTour-09_Chords.lab",
  ],
].map(([name, audio, reference]) => ({ name, audio, reference }));

/** Scores of one recognizer on one recording. */
export interface RecognitionScores {
  /** WCSR, mir_eval majmin. */
  wcsr: number;
  /** Frame F1 (course measure). */
  f1: number;
  /** Duration scored by majmin (for the pooled WCSR). */
  scored: number;
  /** Correct duration under majmin. */
  correct: number;
  /** Number of chord intervals found. */
  intervals: number;
}

/** One row of the table. */
export interface RecordingRow {
  name: string;
  duration: number;
  ours: RecognitionScores;
  /** Ours without smoothing (the most probable chord of each frame). */
  oursFrame: RecognitionScores;
  essentia: RecognitionScores;
  alignment: BoundarySummary;
  /** Alignment boundary errors (s), for pooling. */
  errors: number[];
  /** Per boundary: whether the chord changes there (majmin class differs), not a repeat. */
  changes: boolean[];
}

const FRAME_RATE = 22050 / 2048;

/** The course's frame F1 of an estimate against a reference, at 22050/2048 frames/s. */
function frameF1(reference: ChordInterval[], estimate: ChordInterval[], seconds: number): number {
  const numFrames = 1 + Math.floor((seconds * 22050) / 2048);
  const seg = (list: ChordInterval[]) => list.map((c, i) => ({ ...c, line: i + 1 }));
  const ref = frameLabels(seg(reference), { featureRate: FRAME_RATE, numFrames, name: "ref" });
  const est = frameLabels(seg(estimate), { featureRate: FRAME_RATE, numFrames, name: "est" });
  return evalMeasures(labelMatrix(ref), labelMatrix(est)).f1;
}

function scores(reference: ChordInterval[], estimate: ChordInterval[], seconds: number) {
  const evaluation = evaluateChords(reference, estimate);
  return {
    wcsr: evaluation.scores.majmin,
    f1: frameF1(reference, estimate, seconds),
    scored: evaluation.durations.majmin.scored,
    correct: evaluation.durations.majmin.correct,
    intervals: estimate.length,
  };
}

// deno-lint-ignore no-explicit-any
type Any = any;

/** essentia.js chords of mono samples: HPCP + ChordsDetection (see the module doc). */
function essentiaChords(essentia: Any, samples: Float32Array, sampleRate: number): ChordInterval[] {
  const frames = essentia.FrameGenerator(samples, 4096, 2048);
  const pcps = new EssentiaJs.EssentiaWASM.VectorVectorFloat();
  for (let i = 0; i < frames.size(); i++) {
    const w = essentia.Windowing(frames.get(i), true, 4096, "blackmanharris62");
    const sp = essentia.Spectrum(w.frame, 4096);
    const pk = essentia.SpectralPeaks(sp.spectrum, 0.00001, 5000, 100, 40, "magnitude", sampleRate);
    const h = essentia.HPCP(
      pk.frequencies,
      pk.magnitudes,
      true,
      500,
      8,
      5000,
      false,
      40,
      false,
      "unitMax",
      440,
      sampleRate,
      36,
      "cosine",
      1,
    );
    pcps.push_back(h.hpcp);
  }
  const cd = essentia.ChordsDetection(pcps, 2048, sampleRate, 2);
  const duration = samples.length / sampleRate;
  const out: ChordInterval[] = [];
  for (let i = 0; i < cd.chords.size(); i++) {
    const symbol = cd.chords.get(i) as string;
    const label = symbolToHarte(symbol);
    if (label === null) throw new Error(`essentia.js chord "${symbol}" is not a chord symbol`);
    const start = Math.min(duration, (i * 2048) / sampleRate);
    const end = Math.min(duration, ((i + 1) * 2048) / sampleRate);
    if (end <= start) break;
    const last = out[out.length - 1];
    if (last && last.label === label) last.end = end;
    else out.push({ start, end, label });
  }
  out[out.length - 1].end = duration;
  return out;
}

async function readReference(path: string): Promise<ChordInterval[]> {
  const text = await Deno.readTextFile(path);
  if (path.endsWith(".csv")) {
    return parseChordCsv(text, { name: basename(path) }).map(({ start, end, label }) => ({
      start,
      end,
      label,
    }));
  }
  return parseLab(text, basename(path));
}

const pct = (x: number) => (100 * x).toFixed(1);

/** The markdown tables of the rows (and the pooled rows). */
export function accuracyTable(rows: RecordingRow[], model: string): string {
  const full = rows.slice(1);
  const pooled = (get: (r: RecordingRow) => RecognitionScores) =>
    full.reduce((a, r) => a + get(r).correct, 0) / full.reduce((a, r) => a + get(r).scored, 0);
  const changed = (r: RecordingRow) => r.errors.filter((_, i) => r.changes[i]);
  const alignRow = (name: string, errors: number[], changes: number[]) => {
    const a = summarizeBoundaries(errors);
    const c = summarizeBoundaries(changes);
    return `| ${name} | ${a.count} | ${a.median.toFixed(2)} | ${a.p95.toFixed(2)} | ${
      pct(a.within03)
    } % | ${pct(a.within1)} % | ${c.count} | ${c.median.toFixed(2)} | ${pct(c.within03)} % | ${
      pct(c.within1)
    } % |`;
  };
  return [
    `Recognition: model \`${model}\` with its HMM smoothing (\`deno task chords\`) and frame by`,
    "frame, against essentia.js 0.1.3 (HPCP + ChordsDetection) on the same decoded audio. WCSR:",
    "mir_eval majmin (%); F1: the course's frame F1 (%).",
    "",
    "| recording | WCSR ours | WCSR ours, frame-wise | WCSR essentia.js | F1 ours | F1 ours, frame-wise | F1 essentia.js |",
    "| --- | --: | --: | --: | --: | --: | --: |",
    ...rows.map((r) =>
      `| ${r.name} | ${pct(r.ours.wcsr)} | ${pct(r.oursFrame.wcsr)} | ${pct(r.essentia.wcsr)} | ${
        pct(r.ours.f1)
      } | ${pct(r.oursFrame.f1)} | ${pct(r.essentia.f1)} |`
    ),
    `| four full songs (WCSR pooled) | ${pct(pooled((r) => r.ours))} | ${
      pct(pooled((r) => r.oursFrame))
    } | ${pct(pooled((r) => r.essentia))} | | | |`,
    "",
    "Alignment (`deno task align`) of each annotation's own chord sequence (every interval's",
    "label in order, N and repeats included): absolute error of every chord start but the first,",
    'in seconds; "changes" counts only the boundaries where the majmin chord changes (at a',
    "repeat, e.g. `A:min A:min`, nothing in the audio marks the boundary).",
    "",
    "| recording | boundaries | median (s) | 95th pct (s) | within 0.3 s | within 1 s | changes | median (s) | within 0.3 s | within 1 s |",
    "| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |",
    ...rows.map((r) => alignRow(r.name, r.errors, changed(r))),
    alignRow(
      "four full songs (pooled)",
      full.flatMap((r) => r.errors),
      full.flatMap(changed),
    ),
    "",
  ].join("\n");
}

async function main(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { model: { type: "string" }, out: { type: "string" } },
  });
  const dir = sharedAudioDir();
  const out = values.out ?? join(ROOT, "results", "recordings");
  const model = await loadModel(values.model ?? DEFAULT_MODEL);
  const essentia = new EssentiaJs.Essentia(EssentiaJs.EssentiaWASM);
  const rows: RecordingRow[] = [];
  for (const r of RECORDINGS) {
    const rec = await loadRecording(join(dir, r.audio));
    const reference = await readReference(join(dir, r.reference));
    const recognized = recognizeChords(model, rec.samples, rec.sampleRate);
    const frameWise = recognizeChords(model, rec.samples, rec.sampleRate, { decoding: "frame" });
    const theirs = essentiaChords(essentia, rec.samples, rec.sampleRate);
    const tokens: ChordToken[] = reference.map((c, i) => ({
      text: c.label,
      harte: c.label,
      line: i + 1,
      column: 1,
    }));
    const { chords } = alignChords(recognized.logProbs, model.labels, tokens, {
      frameRate: recognized.features.frameRate,
      duration: rec.duration,
    });
    const errors = boundaryErrors(chords, reference);
    const changes = reference.slice(1).map((c, i) =>
      majminLabel(c.label) !== majminLabel(reference[i].label)
    );
    rows.push({
      name: r.name,
      duration: rec.duration,
      ours: scores(reference, recognized.intervals, rec.duration),
      oursFrame: scores(reference, frameWise.intervals, rec.duration),
      essentia: scores(reference, theirs, rec.duration),
      alignment: summarizeBoundaries(errors),
      errors,
      changes,
    });
    console.error(`${r.name}: done`);
  }
  const table = accuracyTable(rows, model.name);
  await Deno.mkdir(out, { recursive: true });
  await writeFileAtomic(
    join(out, "accuracy.json"),
    JSON.stringify({ model: model.name, essentia: "essentia.js 0.1.3", rows }, null, 1) + "\n",
  );
  await writeFileAtomic(
    join(out, "accuracy.md"),
    `# Chords of your recordings: accuracy on the FMP C5 Beatles recordings\n\nWritten by ` +
      "`deno run -A tools/recordings_eval.ts`.\n\n" + table,
  );
  console.log(table);
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    console.error(`recordings_eval: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
