/**
 * Tests of tools/build_data.ts on a synthetic audio folder: short synthesized WAVs stand in for
 * the FMP recordings (the decoder detects the format from the content, so a WAV may carry the
 * `.mp3` name), with a known delay between the excerpt's "WAV" and "MP3".
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import { dirname } from "node:path";
import { encodeWav, mulberry32, parseChromaCsv } from "../lib/mod.ts";
import { loadSong, SONGS } from "../lib/study/mod.ts";
import { buildData, chromaCosine, chromaToCsv, formatValue, MP3_DELAY_PAIR } from "./build_data.ts";
import { treeSnapshot } from "../lib/study/_testing.ts";

const SR = 22050;

function chordSignal(n: number, freqs: number[], delay = 0): Float32Array {
  const x = new Float32Array(n + delay);
  const rand = mulberry32(5);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const f of freqs) s += Math.sin((2 * Math.PI * f * i) / SR);
    // a little noise makes the cross-correlation peak unambiguous
    x[i + delay] = 0.3 * s / freqs.length + 0.05 * (rand() - 0.5);
  }
  return x;
}

const ANN = '"Start";"End";"Label"\n0;0.2;"N"\n0.2;1.5;"C:maj7"\n1.5;2.8;"A:min"\n2.8;3;"N"\n';

async function fakeFolder(dir: string, delay: number): Promise<void> {
  const n = 3 * SR;
  for (const song of SONGS) {
    const x = chordSignal(n, [261.63, 329.63, 392], song.audio.endsWith(".mp3") ? delay : 0);
    await Deno.writeFile(`${dir}/${song.audio}`, encodeWav([x], SR));
    await Deno.writeTextFile(`${dir}/${song.annotation}`, ANN);
    await Deno.writeTextFile(`${dir}/${song.simplified}`, ANN.replace("C:maj7", "C"));
    // read-only, as in the shared FMP folder
    await Deno.chmod(`${dir}/${song.annotation}`, 0o444);
  }
  const pair = chordSignal(n, [220, 261.63, 329.63]);
  await Deno.writeFile(`${dir}/${MP3_DELAY_PAIR.wav}`, encodeWav([pair], SR));
  const late = new Float32Array(n + delay);
  late.set(pair, delay);
  await Deno.writeFile(`${dir}/${MP3_DELAY_PAIR.mp3}`, encodeWav([late], SR));
}

/**
 * Runs `fn` with a fake audio folder `src` (delay 300) and an output `out` = `parent/data` (not
 * created), removing both afterwards.
 */
async function withFolders(
  fn: (src: string, parent: string, out: string) => Promise<void>,
): Promise<void> {
  const src = await Deno.makeTempDir();
  const parent = await Deno.makeTempDir();
  try {
    await fakeFolder(src, 300);
    await fn(src, parent, `${parent}/data`);
  } finally {
    await Deno.remove(src, { recursive: true });
    await Deno.remove(parent, { recursive: true });
  }
}

Deno.test("buildData: chroma, metadata and annotation copies from an audio folder", async () => {
  const src = await Deno.makeTempDir();
  const out = await Deno.makeTempDir();
  try {
    await fakeFolder(src, 300);
    const lines: string[] = [];
    const meta = await buildData({ audioDir: src, outDir: out, log: (l) => lines.push(l) });
    // one progress line per recording, plus the delay and the metadata lines
    assertEquals(lines.filter((l) => l.includes("frames -> chroma/")).length, SONGS.length);
    assert(lines[0].includes("300 samples"), lines[0]);
    assertEquals(meta.featureRate, SR / 2048);
    for (const song of SONGS) {
      const entry = meta.songs.find((s) => s.id === song.id)!;
      // the delayed "MP3"s are re-aligned: 3 s of audio again
      assertEquals(entry.samples, 3 * SR);
      assertEquals(entry.frames, 1 + Math.floor((3 * SR) / 2048));
      const chroma = parseChromaCsv(await Deno.readTextFile(`${out}/chroma/${song.id}.csv`));
      assertEquals(chroma.length, entry.frames);
      const copy = await Deno.readTextFile(`${out}/annotations/${song.annotation}`);
      assertEquals(copy, ANN);
      const data = await loadSong(song.id, { dataDir: out });
      assertEquals(data.labels.length, entry.frames);
    }
    const json = JSON.parse(await Deno.readTextFile(`${out}/chroma/metadata.json`));
    assertEquals(json.parameters.mp3DelaySamples, 300);
    // re-aligned, the "MP3" is the WAV again: identical chroma
    assert(json.parameters.mp3ChromaCosineAligned.mean > 0.99999);
    // a rebuild over existing files works
    await buildData({ audioDir: src, outDir: out, log: () => {} });
  } finally {
    await Deno.remove(src, { recursive: true });
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("buildData: a missing folder or missing files are named before anything is written", async () => {
  await assertRejects(
    () => buildData({ audioDir: "/nonexistent/fmp", log: () => {} }),
    Error,
    "audio folder not found: /nonexistent/fmp",
  );
  const src = await Deno.makeTempDir();
  const out = await Deno.makeTempDir();
  try {
    const err = await assertRejects(
      () => buildData({ audioDir: src, outDir: out, log: () => {} }),
      Error,
      `missing files in ${src}`,
    );
    assert(err.message.includes(SONGS[0].audio), err.message);
    assertEquals([...Deno.readDirSync(out)].length, 0);
  } finally {
    await Deno.remove(src, { recursive: true });
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("chromaToCsv writes the header and 6 significant digits", () => {
  assertEquals(formatValue(0.123456789), "0.123457");
  assertEquals(formatValue(1), "1");
  const csv = chromaToCsv([[1 / 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 / 3]]);
  assertEquals(csv, "C,C#,D,D#,E,F,F#,G,G#,A,A#,B\n0.333333,0,0,0,0,0,0,0,0,0,0,0.666667\n");
});

Deno.test("chromaCosine: mean and minimum cosine over the common frames", () => {
  const e = (k: number) => Array.from({ length: 12 }, (_, i) => (i === k ? 1 : 0));
  const r = chromaCosine([e(0), e(1), e(2)], [e(0), e(2)]);
  assertEquals(r, { mean: 0.5, min: 0, frames: 2 });
});

Deno.test("buildData: a bad annotation is named and nothing is written", async () => {
  const src = await Deno.makeTempDir();
  const out = await Deno.makeTempDir();
  try {
    await fakeFolder(src, 300);
    await Deno.mkdir(`${out}/chroma`);
    await Deno.writeTextFile(`${out}/chroma/old.csv`, "previous build\n");
    const bad = `${src}/${SONGS[4].simplified}`;
    await Deno.writeTextFile(bad, ANN.replace('"A:min"', '"H:min"'));
    const before = treeSnapshot(out);
    const err = await assertRejects(
      () => buildData({ audioDir: src, outDir: out, log: () => {} }),
      Error,
      "bad annotation files, nothing was written",
    );
    assert(err.message.includes(`${bad}: line 4`), err.message);
    assertEquals(treeSnapshot(out), before);
  } finally {
    await Deno.remove(src, { recursive: true });
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("buildData: a failure on song 3 leaves the output as it was (staged build)", async () => {
  await withFolders(async (src, _parent, out) => {
    await buildData({ audioDir: src, outDir: out, log: () => {} });
    const before = treeSnapshot(out);
    // song 3's audio cut in the middle of its data: songs 1 and 2 are computed first
    const third = `${src}/${SONGS[2].audio}`;
    const bytes = await Deno.readFile(third);
    await Deno.writeFile(third, bytes.slice(0, bytes.length / 2));
    await Deno.chmod(`${src}/${SONGS[0].annotation}`, 0o644);
    await Deno.writeTextFile(`${src}/${SONGS[0].annotation}`, ANN.replace("C:maj7", "G"));
    await assertRejects(
      () => buildData({ audioDir: src, outDir: out, log: () => {} }),
      Error,
      `${third}: truncated WAV`,
    );
    assertEquals(treeSnapshot(out), before, "the output is unchanged");
    const left = [...Deno.readDirSync(dirname(out))].map((e) => e.name);
    assertEquals(left, ["data"], "no staging folder is left behind");
  });
});

Deno.test("issue 17 item 3: a swap that fails half way puts the old data back; staging is outside", async () => {
  await withFolders(async (src, parent, out) => {
    await buildData({ audioDir: src, outDir: out, log: () => {} });
    await Deno.writeTextFile(`${parent}/sentinel.txt`, "beside data/\n");
    await Deno.writeTextFile(`${out}/README.md`, "not build-data's\n");
    const before = treeSnapshot(parent);
    const renames: { from: string; to: string }[] = [];
    // as when annotations/ cannot be moved (chattr +i): the rename of the new annotations/ into
    // the output fails after chroma/ was already replaced
    const swapHook = (step: { from: string; to: string }) => {
      renames.push(step);
      if (step.to === `${out}/annotations`) throw new Error("Operation not permitted");
    };
    await assertRejects(
      () => buildData({ audioDir: src, outDir: out, log: () => {}, swapHook }),
      Error,
      "nothing was changed: Operation not permitted",
    );
    assertEquals(treeSnapshot(parent), before, "chroma/ and annotations/ are the old ones");
    assert(renames.some((r) => r.to === `${out}/chroma`), "chroma/ had been swapped in");
    // the new folders were staged outside the output's parent (nothing visible if it crashes)
    const staged = renames.find((r) => r.to === `${out}/chroma`)!.from;
    assert(!staged.startsWith(parent), staged);
  });
});

Deno.test("issue 17 item 7: audio shorter than its annotation, or a WAV whose header disagrees, is refused", async () => {
  await withFolders(async (src, parent, out) => {
    await Deno.writeTextFile(`${parent}/sentinel.txt`, "beside data/\n");
    const before = treeSnapshot(parent);
    // a complete, valid file of half the length (as an MP3 cut at a frame boundary)
    const first = `${src}/${SONGS[0].audio}`;
    const original = await Deno.readFile(first);
    await Deno.writeFile(first, encodeWav([chordSignal(1.5 * SR, [261.63, 329.63, 392])], SR));
    await assertRejects(
      () => buildData({ audioDir: src, outDir: out, log: () => {}, mp3Delay: 300 }),
      Error,
      `${first}: the decoded audio lasts 1.49 s but its chord annotation runs to 3.00 s`,
    );
    await Deno.writeFile(first, original);
    // the excerpt's WAV with 24 bits per sample in a header whose block size says 16
    const wavSong = SONGS.find((s) => s.audio.endsWith(".wav"))!;
    const wav = `${src}/${wavSong.audio}`;
    const bytes = await Deno.readFile(wav);
    new DataView(bytes.buffer).setUint16(34, 24, true);
    await Deno.writeFile(wav, bytes);
    await assertRejects(
      () => buildData({ audioDir: src, outDir: out, log: () => {}, mp3Delay: 300 }),
      Error,
      `${wav}: WAV header fields disagree: block size 2 bytes, but 1 channel(s) of 24 bits make 3`,
    );
    assertEquals(treeSnapshot(parent), before, "nothing was written");
  });
});
