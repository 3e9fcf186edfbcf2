/**
 * `deno task chords` and `deno task align` as the README writes them, run as commands in the
 * repository on a 44.1 kHz stereo WAV that this test synthesizes (lib/recordings/testdata:
 * C, Am, F, G, C with known change times) and on an MP3 made from it with sox (installed by
 * .ci/run): the recognized chords and the aligned chord text must find the chords and their
 * changes; bad input gives an error naming it and writes nothing.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { parseLab } from "../lib/chords/mod.ts";
import { TRIAD_SONG, triadWav } from "../lib/recordings/testdata/triads.ts";
import { ROOT } from "./notebooks.ts";

async function task(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const res = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: res.code, stdout: dec.decode(res.stdout), stderr: dec.decode(res.stderr) };
}

const CHANGES = TRIAD_SONG.slice(1).map((c) => c.start);

Deno.test("deno task chords song.wav (44.1 kHz stereo): the chords and their changes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const wav = join(dir, "song.wav");
    await Deno.writeFile(wav, triadWav(44100));
    const r = await task("chords", wav);
    assertEquals(r.code, 0, r.stderr);
    const lab = parseLab(await Deno.readTextFile(join(dir, "song.lab")), "song.lab");
    assertEquals(lab.map((i) => i.label), TRIAD_SONG.map((c) => c.label));
    lab.slice(1).forEach((i, k) =>
      assert(Math.abs(i.start - CHANGES[k]) <= 0.2, `change ${k + 1} at ${i.start}`)
    );
    assertEquals(lab[lab.length - 1].end, 9.5);
    // --out and --format json; a second run without --overwrite writes nothing and says why
    const out = join(dir, "out");
    assertEquals((await task("chords", wav, "--out", out, "--format", "json")).code, 0);
    const json = JSON.parse(await Deno.readTextFile(join(out, "song.json")));
    assertEquals(json.chords.map((c: { label: string }) => c.label), lab.map((i) => i.label));
    const again = await task("chords", wav, "--out", out, "--format", "json");
    assertEquals(again.code, 1);
    assertStringIncludes(again.stderr, "--overwrite");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task align song.mp3 chords.txt: starts within 0.2 s, confident", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const wav = join(dir, "song.wav");
    await Deno.writeFile(wav, triadWav(44100));
    const mp3 = join(dir, "song.mp3");
    const sox = await new Deno.Command("sox", { args: [wav, mp3], stderr: "piped" }).output();
    assert(sox.success, "sox (installed by .ci/run) made no MP3");
    const text = join(dir, "chords.txt");
    await Deno.writeTextFile(text, "| C | Am | F | G | C |\n");
    const r = await task("align", mp3, text);
    assertEquals(r.code, 0, r.stderr);
    const rows = r.stdout.trim().split("\n").map((l) => l.split("\t"));
    assertEquals(rows.map((row) => row[2]), TRIAD_SONG.map((c) => c.symbol));
    rows.slice(1).forEach((row, k) => {
      assert(Math.abs(Number(row[0]) - CHANGES[k]) <= 0.2, `change ${k + 1} at ${row[0]}`);
      assert(Number(row[3]) > 0.9, `confidence ${row[3]}`);
    });
    // only part of the recording: Am F G, found inside it with --subsequence
    await Deno.writeTextFile(text, "Am F G\n");
    const sub = await task("align", wav, text, "--subsequence", "--format", "json");
    assertEquals(sub.code, 0, sub.stderr);
    const chords = JSON.parse(sub.stdout).chords;
    assert(Math.abs(chords[0].start - 2) <= 0.2, `Am at ${chords[0].start}`);
    assert(Math.abs(chords[2].end - 8) <= 0.2, `G ends at ${chords[2].end}`);
    // a bad chord symbol is named with its place, and nothing is printed
    await Deno.writeTextFile(text, "C Am\nF Hm7 G\n");
    const bad = await task("align", wav, text);
    assertEquals(bad.code, 1);
    assertStringIncludes(bad.stderr, `${text}:2:3: "Hm7"`);
    assertEquals(bad.stdout, "");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task chords: an unreadable audio file is named, nothing is written", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fake = join(dir, "notes.mp3");
    await Deno.writeTextFile(fake, "these are not MP3 frames\n".repeat(20));
    const good = join(dir, "good.wav");
    await Deno.writeFile(good, triadWav(22050));
    const r = await task("chords", good, fake, "--out", join(dir, "out"));
    assertEquals(r.code, 1);
    assertStringIncludes(r.stderr, fake);
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["good.wav", "notes.mp3"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
