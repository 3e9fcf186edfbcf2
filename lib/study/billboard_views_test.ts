import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { billboardPresent } from "./_testing.ts";
import {
  billboardDataSummary,
  crossoverOf,
  followedBillboardSong,
  songAlignment,
} from "./billboard_views.ts";
import { loadBillboardStudy } from "./billboard_data.ts";
import { chordSequence, initialBlankWeights } from "../chords/mod.ts";

const present = billboardPresent("lib/study/billboard_views_test.ts");

Deno.test({
  name: "songAlignment: a whole song's expected alignment, every frame and chord visited",
  ignore: !present,
  async fn() {
    const cacheDir = await Deno.makeTempDir();
    try {
      const data = await loadBillboardStudy({ ids: ["0004", "0012", "0006"], cacheDir });
      const id = followedBillboardSong(data, 10);
      const song = data.songs.find((s) => s.id === id)!;
      assertEquals(song.split, "train");
      const a = songAlignment(data, id, initialBlankWeights(), { every: 1 });
      const frames = song.labels.length, chords = chordSequence(song.reference).length;
      // rows: chord positions, columns: frames (as the course draws alignments)
      assertEquals([a.matrix.length, a.matrix[0].length, a.labels.length], [
        chords,
        frames,
        chords,
      ]);
      // every alignment path visits each frame and each chord at least once: E sums to ≥ 1
      // along every frame and every chord (up to the 3 decimals kept), and E(0, 0) = 1
      for (let m = 0; m < frames; m++) {
        assert(a.matrix.reduce((x, row) => x + row[m], 0) >= 1 - 0.02);
      }
      for (const row of a.matrix) assert(row.reduce((x, y) => x + y, 0) >= 1 - frames * 5e-4);
      assertAlmostEquals(a.matrix[0][0], 1, 1e-3);
      const blocks = songAlignment(data, id, initialBlankWeights(), { every: 4 });
      assertEquals(blocks.matrix[0].length, Math.ceil(frames / 4));
      const summary = billboardDataSummary(data);
      assertEquals(summary.map((s) => [s.split, s.songs]), [["train", 2], ["validation", 1], [
        "test",
        0,
      ]]);
      assertThrows(() => songAlignment(data, "9999", initialBlankWeights()), RangeError, "9999");
    } finally {
      await Deno.remove(cacheDir, { recursive: true });
    }
  },
});

Deno.test("crossoverOf: the σ where a piecewise-linear curve falls to a level", () => {
  const pts = [{ sigma: 0, mean: 62 }, { sigma: 0.1, mean: 62 }, { sigma: 1, mean: 58 }, {
    sigma: 3,
    mean: 54,
  }];
  assertEquals(crossoverOf(pts, 63), { position: "above", sigma: null });
  assertEquals(crossoverOf(pts, 62), { position: "above", sigma: null });
  // 60 is halfway from 62 (σ 0.1) to 58 (σ 1): σ = 0.55
  const c = crossoverOf(pts, 60);
  assertEquals(c.position, "between");
  assertAlmostEquals(c.sigma!, 0.55, 1e-12);
  assertAlmostEquals(crossoverOf(pts, 55).sigma!, 2.5, 1e-12);
  assertEquals(crossoverOf(pts, 50), { position: "below", sigma: null });
});
