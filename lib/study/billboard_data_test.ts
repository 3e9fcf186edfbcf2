import { assertEquals } from "@std/assert";
import { join } from "node:path";
import { billboardPresent } from "./_testing.ts";
import { loadBillboardStudy } from "./billboard_data.ts";
import { billboardDir, CHORDINO_PAIR_RATE, loadBillboardSong } from "../chords/mod.ts";

const present = billboardPresent("lib/study/billboard_data_test.ts");

Deno.test({
  name: "loadBillboardStudy: the strict loader's songs at 10.77 frames/s, a stable fingerprint",
  ignore: !present,
  async fn() {
    const cacheDir = await Deno.makeTempDir();
    try {
      const ids = ["0004", "0006"];
      const a = await loadBillboardStudy({ ids, cacheDir });
      assertEquals(a.songs.map((s) => [s.id, s.split]), [["0004", "train"], [
        "0006",
        "validation",
      ]]);
      const direct = await loadBillboardSong(join(billboardDir(), "0006"), {
        frameRate: CHORDINO_PAIR_RATE,
      });
      const s = a.songs[1];
      assertEquals(s.labels, direct.labels!);
      assertEquals(s.treble.length, direct.treble.length * 12);
      direct.treble.forEach((f, m) => assertEquals(s.treble.subarray(m * 12, m * 12 + 12), f));
      assertEquals(s.reference, direct.reference!);
      // read again from the loader's cache: the same songs, the same fingerprint
      const b = await loadBillboardStudy({ ids, cacheDir });
      assertEquals(b.fingerprint, a.fingerprint);
      assertEquals(b.songs[1].treble, s.treble);
      const c = await loadBillboardStudy({ ids: ["0004"], cacheDir });
      assertEquals(c.fingerprint === a.fingerprint, false);
    } finally {
      await Deno.remove(cacheDir, { recursive: true });
    }
  },
});
