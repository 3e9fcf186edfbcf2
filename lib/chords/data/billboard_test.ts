/**
 * Tests of lib/chords/data/billboard.ts on tiny synthetic folders written by the test (into a
 * temporary folder it removes), plus a smoke test on two real songs and a check of every
 * annotation of ../shared/data/billboard (skipped, with a message, when absent). Ground truth:
 * the format as the dataset's README describes it, values chosen by hand.
 */
import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { join } from "node:path";
import {
  averagePairs,
  BILLBOARD_DEFECTS,
  BillboardDataError,
  billboardDir,
  CHORDINO_FRAME_RATE,
  CHORDINO_PAIR_RATE,
  findBillboardSongs,
  loadBillboard,
  loadBillboardSong,
  majminFrameLabels,
  parseChordinoCsv,
  readBillboardIndex,
  selectBillboardSongs,
} from "./billboard.ts";
import { MAJMIN_LABELS } from "./harte.ts";
import { parseLab } from "./lab.ts";

const HOP = 2048 / 44100;
const A_BASED = ["A", "A#", "B", "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#"];

/** A Chordino row: frame i, bass one-hot on A-based column `b`, treble values `t` (24 entries). */
function row(i: number, values: number[], name = '"/tmp/audio.wav"'): string {
  return `${i === 0 ? name : ""},${(i * HOP).toFixed(9)},${values.join(",")}`;
}
/** Values with bass = k + 0.5 on A-based pitch class k, treble = 10 + k + i. */
function values(i: number): number[] {
  return [...A_BASED.map((_, k) => k + 0.5), ...A_BASED.map((_, k) => 10 + k + i)];
}
const chordino = (frames: number) =>
  Array.from({ length: frames }, (_, i) => row(i, values(i))).join("\n") + "\n";

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Writes a song folder; `files` maps a file name to its text (`.gz` names are gzipped). */
async function writeSong(dir: string, files: Record<string, string>): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    if (name.endsWith(".gz")) await Deno.writeFile(join(dir, name), await gzip(text));
    else await Deno.writeTextFile(join(dir, name), text);
  }
  return dir;
}

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "billboard_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

// 10 frames = 0.464 s. The annotation: blank lines at the end, a float-noise overlap.
const LAB = "0.0\t0.1\tN\n0.1\t0.2000000000001\tC:7\n0.2\t0.3\tA:min/b3\n0.3\t0.4\tG:sus4\n" +
  "0.4\t0.5\tX\n\n\n";

Deno.test("parseChordinoCsv: A-based columns rotated to C = 0, bass and treble apart", () => {
  const c = parseChordinoCsv(chordino(3));
  assertEquals(c.frameRate, CHORDINO_FRAME_RATE);
  assertEquals([...c.times], [0, 0.046439909, 0.092879819]);
  // C is A-based column 3: bass 3.5, treble 10 + 3 + i; B (pc 11) is column 2.
  assertEquals(c.bass[0][0], 3.5);
  assertEquals(c.bass[0][11], 2.5);
  assertEquals(c.bass[0][9], 0.5); // A
  assertEquals(c.treble[2][0], 15);
  assertEquals(c.treble[1][9], 11);
  // rows are views into one row-major buffer per half
  assertEquals(c.treble[2].buffer, c.treble[0].buffer);
  assertEquals(new Float64Array(c.treble[0].buffer)[24], 15);
});

Deno.test("parseChordinoCsv: malformed files are named errors with the line", () => {
  const good = chordino(4).split("\n");
  const bad: [string, string][] = [
    [good.slice(1).join("\n"), "line 1: the first row must start with the analysed file's name"],
    [[good[0], good[1] + ",0.5", ...good.slice(2)].join("\n"), "line 2: expected 26 columns"],
    [[good[0], good[1].replace(/,[^,]*$/, ""), ...good.slice(2)].join("\n"), "got 25"],
    [[good[0], good[1].replace(/,[^,]*$/, ",abc")].join("\n"), 'column 26: "abc" is not'],
    [[good[0], good[1].replace(/,[^,]*$/, ",-1")].join("\n"), 'column 26: "-1" is not'],
    [[good[0], good[1].replace(/,[^,]*$/, ",")].join("\n"), 'column 26: "" is not'],
    [[good[0], good[2], good[1], good[3]].join("\n"), "line 2: frame time 0.092879819 s"],
    [[good[0], good[1], good[3]].join("\n"), "line 3: frame time"],
    [[good[0], `"b.wav"${good[1]}`].join("\n"), "line 2: column 1 must be empty"],
    [[good[0], "", good[1]].join("\n"), "line 2: blank row inside the file"],
    ["\n", "no frames"],
  ];
  for (const [text, message] of bad) {
    assertThrows(() => parseChordinoCsv(text, "x/bothchroma.csv"), BillboardDataError, message);
    assertThrows(() => parseChordinoCsv(text, "x/bothchroma.csv"), Error, "x/bothchroma.csv");
  }
  // Another frame rate (e.g. 48 kHz audio) is refused, not silently mislabelled.
  const other = Array.from(
    { length: 3 },
    (_, i) => `${i === 0 ? '"a"' : ""},${(i * 2048 / 48000).toFixed(9)},${values(i).join(",")}`,
  );
  assertThrows(() => parseChordinoCsv(other.join("\n")), BillboardDataError, "frame rate");
});

Deno.test("averagePairs: frames 2k and 2k+1 averaged at 10.77 Hz, an odd last frame dropped", () => {
  const half = averagePairs(parseChordinoCsv(chordino(5)));
  assertEquals(half.frameRate, CHORDINO_PAIR_RATE);
  assertEquals(CHORDINO_PAIR_RATE, 22050 / 2048);
  assertEquals(half.times.length, 2);
  assertEquals([...half.times], [0, 0.092879819]);
  assertEquals(half.treble[1][0], 13 + 2.5); // mean of 13 + 2 and 13 + 3
  assertEquals(half.bass[1][0], 3.5);
  assertThrows(() => averagePairs(half), RangeError, "native");
});

Deno.test("majminFrameLabels: how labels map to 24 majmin + N, sampled as libfmp does", () => {
  const ref = parseLab(LAB);
  // 7th → its triad, inversion over the third → the triad, sus and X → -1, N → 24.
  const labels = majminFrameLabels(ref, { frameRate: 20, frames: 12 });
  const C = MAJMIN_LABELS.indexOf("C:maj"), Am = MAJMIN_LABELS.indexOf("A:min");
  assertEquals([...labels], [24, 24, C, C, Am, Am, -1, -1, -1, -1, -1, -1]);
  // [s, t) covers frames round(s·rate) .. round(t·rate) - 1, half to even
  const half = majminFrameLabels([{ start: 0.25, end: 0.35, label: "D:min" }], {
    frameRate: 10,
    frames: 5,
  });
  assertEquals([...half], [-1, -1, 14, 14, -1]);
  assertThrows(() => majminFrameLabels(ref, { frameRate: 0, frames: 1 }), RangeError);
});

Deno.test("loadBillboardSong: gz and plain csv agree; rate; reference and labels", async () => {
  await withTemp(async (tmp) => {
    const gz = await writeSong(join(tmp, "gz"), {
      "bothchroma.csv.gz": chordino(11),
      "full.lab": LAB,
      "majmin.lab": LAB.replace("C:7", "C:maj").replace("A:min/b3", "A:min"),
    });
    const plain = await writeSong(join(tmp, "plain"), {
      "bothchroma.csv": chordino(11),
      "majmin.lab": LAB,
    });
    const a = await loadBillboardSong(gz);
    const b = await loadBillboardSong(plain);
    assertEquals(a.treble, b.treble);
    assertEquals(a.bass, b.bass);
    assertEquals(a.id, "gz");
    assertEquals(a.referenceFile, "full.lab");
    assertEquals(b.referenceFile, "majmin.lab");
    assertEquals(a.reference![1], { start: 0.1, end: 0.2, label: "C:7" }); // overlap snapped
    assertEquals(a.labels!.length, 11);
    assertEquals(a.labels![3], MAJMIN_LABELS.indexOf("C:maj")); // 0.139 s
    const m = await loadBillboardSong(gz, { reference: "majmin" });
    assertEquals(m.reference![1].label, "C:maj");
    const half = await loadBillboardSong(gz, { frameRate: CHORDINO_PAIR_RATE });
    assertEquals(half.frameRate, CHORDINO_PAIR_RATE);
    assertEquals(half.treble.length, 5);
    assertEquals(half.labels!.length, 5);
    assertEquals(half.labels![1], MAJMIN_LABELS.indexOf("C:maj")); // 0.093 s → frame round(1.08)
    await assertRejects(
      () => loadBillboardSong(gz, { frameRate: 10 }),
      RangeError,
      "CHORDINO_FRAME_RATE",
    );
  });
});

Deno.test("loadBillboardSong: missing, ambiguous and malformed files are named errors", async () => {
  await withTemp(async (tmp) => {
    const none = await writeSong(join(tmp, "none"), { "full.lab": LAB });
    await assertRejects(() => loadBillboardSong(none), BillboardDataError, "no bothchroma.csv");
    const both = await writeSong(join(tmp, "both"), {
      "bothchroma.csv": chordino(3),
      "bothchroma.csv.gz": chordino(3),
      "full.lab": LAB,
    });
    await assertRejects(() => loadBillboardSong(both), BillboardDataError, "both bothchroma");
    const nolab = await writeSong(join(tmp, "nolab"), { "bothchroma.csv.gz": chordino(3) });
    await assertRejects(() => loadBillboardSong(nolab), BillboardDataError, "no full.lab or");
    await assertRejects(
      () => loadBillboardSong(nolab, { reference: "full" }),
      BillboardDataError,
      "full.lab: missing",
    );
    const optional = await loadBillboardSong(nolab, { reference: "optional" });
    assertEquals([optional.reference, optional.labels, optional.referenceFile], [null, null, null]);
    const badlab = await writeSong(join(tmp, "badlab"), {
      "bothchroma.csv": chordino(3),
      "full.lab": "0\t1\tN\n2\t1.5\tC:maj\n",
    });
    await assertRejects(
      () => loadBillboardSong(badlab),
      BillboardDataError,
      "full.lab, line 2: end 1.5 is not after start 2",
    );
    const badgz = await writeSong(join(tmp, "badgz"), { "full.lab": LAB });
    await Deno.writeTextFile(join(badgz, "bothchroma.csv.gz"), "not gzip");
    await assertRejects(() => loadBillboardSong(badgz), BillboardDataError, "cannot be read");
    const badcsv = await writeSong(join(tmp, "badcsv"), {
      "bothchroma.csv.gz": chordino(3).replace(/,0\.5,/, ",x,"),
      "full.lab": LAB,
    });
    await assertRejects(
      () => loadBillboardSong(badcsv),
      BillboardDataError,
      "bothchroma.csv.gz, line 1, column 3",
    );
  });
});

Deno.test("loadBillboard: index.csv splits, ids, exclude; all or nothing", async () => {
  await withTemp(async (tmp) => {
    const song = { "bothchroma.csv.gz": chordino(4), "full.lab": LAB };
    for (const id of ["0001", "0002", "0003"]) await writeSong(join(tmp, id), song);
    await Deno.writeTextFile(
      join(tmp, "index.csv"),
      'id,split,title\n0001,train,"A, song"\n0002,test,B\n0003,test,C\n',
    );
    assertEquals(await selectBillboardSongs(tmp, { split: "test", exclude: ["0003"] }), [
      { id: "0002", dir: join(tmp, "0002"), split: "test" },
    ]);
    await assertRejects(
      () => selectBillboardSongs(tmp, { split: "dev" as "test" }),
      RangeError,
      "unknown split",
    );
    const index = await readBillboardIndex(tmp);
    assertEquals(index[0], { id: "0001", split: "train", meta: { title: "A, song" } });
    const test = await loadBillboard(tmp, { split: "test" });
    assertEquals(test.map((s) => [s.id, s.split]), [["0002", "test"], ["0003", "test"]]);
    assertEquals((await loadBillboard(tmp, { exclude: ["0002"] })).map((s) => s.id), [
      "0001",
      "0003",
    ]);
    assertEquals((await loadBillboard(tmp, { ids: ["0003", "0001"] })).map((s) => s.id), [
      "0003",
      "0001",
    ]);
    await assertRejects(() => loadBillboard(tmp, { ids: ["0009"] }), BillboardDataError, "0009");
    // a broken song makes the whole load fail, naming its file
    await Deno.writeTextFile(join(tmp, "0003", "full.lab"), "0\t1\tC:major\n");
    await assertRejects(
      () => loadBillboard(tmp, { split: "test" }),
      BillboardDataError,
      join("0003", "full.lab"),
    );
    // an index listing a song without folder
    await Deno.writeTextFile(join(tmp, "index.csv"), "id,split\n0001,train\n0004,test\n");
    await assertRejects(() => loadBillboard(tmp), BillboardDataError, "0004");
    const badIndex: [string, string][] = [
      ["id,title\n0001,A\n", 'needs columns "id" and "split"'],
      ["id,split\n0001,dev\n", 'line 2: split "dev"'],
      ["id,split\n0001,train\n0001,test\n", "line 3: song id 0001 repeated"],
      ["id,split\n../x,train\n", 'line 2: bad song id "../x"'],
      ["id,split\n0001,train,extra\n", "line 2: 3 columns"],
    ];
    for (const [text, message] of badIndex) {
      await Deno.writeTextFile(join(tmp, "index.csv"), text);
      await assertRejects(() => readBillboardIndex(tmp), BillboardDataError, message);
    }
    // without index.csv: every song sub-folder, no split
    await Deno.remove(join(tmp, "index.csv"));
    await Deno.writeTextFile(join(tmp, "0003", "full.lab"), LAB);
    assertEquals((await loadBillboard(tmp)).map((s) => s.id), ["0001", "0002", "0003"]);
    await assertRejects(() => loadBillboard(tmp, { split: "test" }), BillboardDataError, "index");
    assertEquals(await findBillboardSongs(join(tmp, "0002")), [join(tmp, "0002")]);
    assertEquals((await findBillboardSongs(tmp)).length, 3);
    await assertRejects(
      () => findBillboardSongs(join(tmp, "0002", "full.lab")),
      BillboardDataError,
    );
  });
});

const real = billboardDir();
let present = false;
try {
  present = Deno.statSync(join(real, "index.csv")).isFile;
} catch { /* absent */ }
const absent = `${real} not found (the shared Billboard data): real-data tests ignored`;
if (!present) console.log(absent);

Deno.test({
  name: "smoke: two real songs load at both rates, chords where the annotation says",
  ignore: !present,
  fn: async () => {
    for (const id of ["0004", "0012"]) {
      const song = await loadBillboardSong(join(real, id));
      const n = song.times.length;
      assert(n > 3000, `${id}: ${n} frames`);
      assertEquals(song.labels!.length, n);
      const half = await loadBillboardSong(join(real, id), { frameRate: CHORDINO_PAIR_RATE });
      assertEquals(half.treble.length, Math.floor(n / 2));
      // The rotation is right if the annotated major/minor triad gets more treble energy than
      // the same triad a semitone off, on most labelled frames.
      let better = 0, labelled = 0;
      song.labels!.forEach((l, i) => {
        if (l < 0 || l === 24) return;
        const root = l % 12, third = l < 12 ? 4 : 3;
        const energy = (r: number) =>
          song.treble[i][r % 12] + song.treble[i][(r + third) % 12] + song.treble[i][(r + 7) % 12];
        labelled++;
        if (energy(root) > energy(root + 1) && energy(root) > energy(root + 11)) better++;
      });
      assert(better / labelled > 0.6, `${id}: ${better} of ${labelled} frames`);
    }
  },
});

Deno.test({
  name: "every published annotation parses except the listed defects",
  ignore: !present,
  fn: async () => {
    const index = await readBillboardIndex(real);
    assertEquals(index.length, 542);
    const failed = new Set<string>();
    for (const { id } of index) {
      for (const name of ["full.lab", "majmin.lab"]) {
        const path = join(real, id, name);
        try {
          parseLab(await Deno.readTextFile(path), path);
        } catch {
          failed.add(id);
        }
      }
    }
    assertEquals([...failed], Object.keys(BILLBOARD_DEFECTS));
  },
});
