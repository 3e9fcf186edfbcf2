/**
 * Tests of lib/chords/data/billboard_features.ts on synthetic song folders and a cache folder
 * in a temporary folder the test removes. Ground truth: the strict loader's own output
 * (loadBillboardSong, tested in billboard_test.ts) flattened by hand, and the files on disk.
 */
import { assert, assertEquals, assertNotEquals, assertRejects } from "@std/assert";
import { join } from "node:path";
import { BillboardDataError, CHORDINO_PAIR_RATE, loadBillboardSong } from "./billboard.ts";
import { billboardCacheDir, loadBillboardFeatures } from "./billboard_features.ts";

const HOP = 2048 / 44100;
function chordino(frames: number, shift = 0): string {
  return Array.from({ length: frames }, (_, i) => {
    const v = Array.from({ length: 24 }, (_, k) => ((k * 7 + i + shift) % 11) / 4);
    return `${i === 0 ? '"a.wav"' : ""},${(i * HOP).toFixed(9)},${v.join(",")}`;
  }).join("\n") + "\n";
}
const LAB = "0\t0.2\tC:7\n0.2\t0.4\tA:min\n0.4\t0.6\tG:sus4\n\n";

async function withDataset(fn: (root: string, cache: string) => Promise<void>): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "billboard_features_test_" });
  try {
    const root = join(tmp, "data");
    for (const [id, frames] of [["0001", 13], ["0002", 9]] as const) {
      await Deno.mkdir(join(root, id), { recursive: true });
      await Deno.writeTextFile(join(root, id, "bothchroma.csv"), chordino(frames));
      await Deno.writeTextFile(join(root, id, "full.lab"), LAB);
    }
    await Deno.writeTextFile(join(root, "index.csv"), "id,split\n0001,train\n0002,test\n");
    await fn(root, join(tmp, "cache"));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

const entries = async (dir: string) => {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
};

Deno.test("first load computes and writes one entry per song; the second reads them back", async () => {
  await withDataset(async (root, cacheDir) => {
    const first = await loadBillboardFeatures(root, { cacheDir });
    assertEquals(first.map((f) => [f.id, f.split, f.cached]), [
      ["0001", "train", false],
      ["0002", "test", false],
    ]);
    const song = await loadBillboardSong(join(root, "0001"));
    assertEquals(first[0].frames, 13);
    assertEquals([...first[0].treble], song.treble.flatMap((r) => [...r]));
    assertEquals([...first[0].bass], song.bass.flatMap((r) => [...r]));
    assertEquals(first[0].labels, song.labels);
    assertEquals(first[0].reference, song.reference);
    const names = await entries(cacheDir);
    assertEquals(names.length, 2);
    assert(names.every((n) => /^000[12]-[0-9a-f]{24}\.bin$/.test(n)), names.join(" "));
    const second = await loadBillboardFeatures(root, { cacheDir });
    assertEquals(second.map((f) => f.cached), [true, true]);
    for (const [a, b] of first.map((f, i) => [f, second[i]])) {
      assertEquals({ ...a, cached: true }, b);
    }
    assertEquals(await entries(cacheDir), names); // nothing new, no temporary file left
  });
});

/** Rewrites an entry's integrity hash for its (edited) arrays, as the writer would. */
async function reseal(path: string): Promise<void> {
  const bytes = await Deno.readFile(path);
  const length = new DataView(bytes.buffer).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length)));
  const data = bytes.slice(Math.ceil((4 + length) / 8) * 8);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  header.integrity = "sha256-" + [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
  const json = new TextEncoder().encode(JSON.stringify(header));
  assertEquals(json.length, length);
  bytes.set(json, 4);
  await Deno.writeFile(path, bytes);
}

Deno.test("a cached load reads the entry and checks its integrity hash", async () => {
  await withDataset(async (root, cacheDir) => {
    const [f] = await loadBillboardFeatures(root, { cacheDir, ids: ["0002"] });
    const [name] = await entries(cacheDir);
    const path = join(cacheDir, name);
    const bytes = await Deno.readFile(path);
    // the last treble value is the 8 bytes before the 9 int32 labels
    new DataView(bytes.buffer).setFloat64(bytes.length - 4 * 9 - 8, 123.5, true);
    await Deno.writeFile(path, bytes);
    await assertRejects(
      () => loadBillboardFeatures(root, { cacheDir, ids: ["0002"] }),
      BillboardDataError,
      `${name}: corrupt cache entry (does not match its integrity hash: edited or damaged)`,
    );
    await reseal(path); // a consistent entry with another value: the loader returns it
    const [g] = await loadBillboardFeatures(root, { cacheDir, ids: ["0002"] });
    assertEquals([g.cached, g.treble[g.treble.length - 1]], [true, 123.5]);
    assertNotEquals(f.treble[f.treble.length - 1], 123.5);
  });
});

Deno.test("nothing is read or written through a symbolic link", async () => {
  await withDataset(async (root, cacheDir) => {
    const elsewhere = join(cacheDir, "..", "elsewhere");
    await Deno.mkdir(elsewhere);
    // the folder the caller gave may be a link; an entry inside it may not
    const linked = join(cacheDir, "..", "linked");
    await Deno.symlink(elsewhere, linked);
    const [f] = await loadBillboardFeatures(root, { cacheDir: linked, ids: ["0001"] });
    assertEquals((await entries(elsewhere)).length, 1);
    const entry = join(elsewhere, (await entries(elsewhere))[0]);
    await Deno.rename(entry, join(elsewhere, "real.bin"));
    await Deno.symlink(join(elsewhere, "real.bin"), entry);
    await assertRejects(
      () => loadBillboardFeatures(root, { cacheDir: linked, ids: ["0001"] }),
      BillboardDataError,
      `${f.id}-${f.key}.bin is a symbolic link`,
    );
  });
});

Deno.test("the key follows the content and the options, never a stale entry", async () => {
  await withDataset(async (root, cacheDir) => {
    const [a] = await loadBillboardFeatures(root, { cacheDir, ids: ["0001"] });
    await Deno.writeTextFile(join(root, "0001", "full.lab"), LAB.replace("A:min", "E:min"));
    const [b] = await loadBillboardFeatures(root, { cacheDir, ids: ["0001"] });
    assertNotEquals(a.key, b.key);
    assertEquals(b.cached, false);
    assertEquals(b.reference![1].label, "E:min");
    await Deno.writeTextFile(join(root, "0001", "bothchroma.csv"), chordino(13, 1));
    const [c] = await loadBillboardFeatures(root, { cacheDir, ids: ["0001"] });
    assertNotEquals(c.key, b.key);
    assertNotEquals(c.treble, b.treble);
    const [d] = await loadBillboardFeatures(root, {
      cacheDir,
      ids: ["0001"],
      frameRate: CHORDINO_PAIR_RATE,
    });
    assertEquals([d.frameRate, d.frames, d.cached], [CHORDINO_PAIR_RATE, 6, false]);
    const [e] = await loadBillboardFeatures(root, { cacheDir, ids: ["0001"], reference: "full" });
    assertNotEquals(e.key, c.key); // "full" and "auto" are different options
    assertEquals((await entries(cacheDir)).length, 5); // nothing deleted
  });
});

Deno.test("corrupt entries are named errors; failures write nothing; cache: false writes nothing", async () => {
  await withDataset(async (root, cacheDir) => {
    await loadBillboardFeatures(root, { cacheDir, ids: ["0001"] });
    const [name] = await entries(cacheDir);
    const bytes = await Deno.readFile(join(cacheDir, name));
    await Deno.writeFile(join(cacheDir, name), bytes.subarray(0, bytes.length - 4));
    await assertRejects(
      () => loadBillboardFeatures(root, { cacheDir, ids: ["0001"] }),
      BillboardDataError,
      `${name}: corrupt cache entry`,
    );
    await Deno.writeFile(join(cacheDir, name), new TextEncoder().encode("garbage"));
    await assertRejects(
      () => loadBillboardFeatures(root, { cacheDir, ids: ["0001"] }),
      BillboardDataError,
      "corrupt cache entry",
    );
    await Deno.writeTextFile(join(root, "0002", "full.lab"), "0\t1\tC:major\n");
    await assertRejects(
      () => loadBillboardFeatures(root, { cacheDir, ids: ["0002"] }),
      BillboardDataError,
      "C:major",
    );
    assertEquals(await entries(cacheDir), [name]); // no entry, no temporary file
    const other = join(cacheDir, "..", "unused");
    const songs = await loadBillboardFeatures(root, {
      cacheDir: other,
      cache: false,
      ids: ["0001"],
    });
    assertEquals(songs[0].cached, false);
    await assertRejects(() => Deno.stat(other), Deno.errors.NotFound);
    const seen: [number, number][] = [];
    await loadBillboardFeatures(root, {
      cache: false,
      ids: ["0001"],
      onProgress: (d, t) => seen.push([d, t]),
    });
    assertEquals(seen, [[1, 1]]);
  });
});

Deno.test("the default cache folder is .cache/billboard in the repository", () => {
  const dir = billboardCacheDir();
  assert(dir.endsWith(join(".cache", "billboard")));
  assert(Deno.statSync(join(dir, "..", "..", "deno.json")).isFile);
});
