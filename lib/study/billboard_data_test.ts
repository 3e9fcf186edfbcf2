import { assert, assertEquals } from "@std/assert";
import { join } from "node:path";
import { loadBillboardStudy } from "./billboard_data.ts";
import { billboardDir, CHORDINO_PAIR_RATE, loadBillboardSong } from "../chords/mod.ts";

let present = false;
try {
  present = Deno.statSync(join(billboardDir(), "index.csv")).isFile;
} catch { /* absent */ }
if (!present) console.log(`Billboard data not in ${billboardDir()}: billboard_data_test ignored`);

Deno.test({
  name: "loadBillboardStudy: the loader's songs, cached, verified, rebuilt when tampered with",
  ignore: !present,
  async fn() {
    const cacheDir = await Deno.makeTempDir();
    try {
      const messages: string[] = [];
      const ids = ["0004", "0006"];
      const a = await loadBillboardStudy({ ids, cacheDir, onProgress: (m) => messages.push(m) });
      assertEquals(a.songs.map((s) => s.id), ids);
      const direct = await loadBillboardSong(join(billboardDir(), "0006"), {
        frameRate: CHORDINO_PAIR_RATE,
      });
      const s = a.songs[1];
      assertEquals(s.labels, direct.labels!);
      assertEquals(s.treble.length, direct.treble.length * 12);
      direct.treble.forEach((f, m) => assertEquals(s.treble.subarray(m * 12, m * 12 + 12), f));
      assertEquals(s.reference, direct.reference!);
      assertEquals(messages.length, 2); // read, cached
      const b = await loadBillboardStudy({ ids, cacheDir, onProgress: (m) => messages.push(m) });
      assertEquals(messages.length, 2); // from the cache: nothing read
      assertEquals(b.songs[1].treble, s.treble);
      const bin = [...Deno.readDirSync(cacheDir)].find((e) => e.name.endsWith(".bin"))!.name;
      const bytes = await Deno.readFile(join(cacheDir, bin));
      bytes[100] ^= 1;
      await Deno.writeFile(join(cacheDir, bin), bytes);
      const c = await loadBillboardStudy({ ids, cacheDir, onProgress: (m) => messages.push(m) });
      assert(messages[2].includes("SHA-256"), messages[2]);
      assertEquals(c.songs[0].treble, a.songs[0].treble);
      assertEquals([...Deno.readDirSync(cacheDir)].length, 2); // no temporary file left
    } finally {
      await Deno.remove(cacheDir, { recursive: true });
    }
  },
});
