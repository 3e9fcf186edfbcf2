import { assert, assertEquals, assertRejects } from "@std/assert";
import { join } from "node:path";
import { BILLBOARD_ROWS } from "./billboard.ts";
import {
  BILLBOARD_NOTEBOOK_FILE,
  billboardNotebookJson,
  readBillboardNotebook,
} from "./billboard_notebook.ts";
import { RESULTS_DIR } from "./paths.ts";

Deno.test("readBillboardNotebook reads the committed view: one study, consistent counts", async () => {
  const view = await readBillboardNotebook();
  const songs = view.summary.reduce((a, s) => a + s.songs, 0);
  assertEquals(songs, 541);
  assertEquals(view.summary.find((s) => s.split === "test")!.songs, view.testSongs);
  assertEquals(view.perSong.songs.length, view.testSongs);
  const rows = Object.keys(view.scores);
  assertEquals(rows, BILLBOARD_ROWS.map((r) => r.name));
  assertEquals(view.records.length, 2 * rows.length);
  assertEquals(view.cross.length, rows.length + 1);
  // the table's majmin (1 decimal) starts with the mean of the stored runs' scores of the same
  // row and decoding, and run 1 is the stored run-1 score
  rows.forEach((name, i) => {
    (["frame", "viterbi"] as const).forEach((d, j) => {
      const runs = view.runMajmin[name][d];
      assert(runs.length >= 1 && runs.length <= view.runs);
      assertEquals(view.records[2 * i + j].runs, runs.length);
      assertEquals(runs[0], view.scores[name][d].majmin);
      const mean = (100 * runs.reduce((a, b) => a + b, 0)) / runs.length;
      assert(view.records[2 * i + j].majmin.startsWith(mean.toFixed(1)), `${name} ${d}`);
    });
  });
  for (const shot of view.followed.shots) {
    // every frame block's column of the expected alignment sums to (about) one: each frame is
    // matched to at least one chord position, its mass split between them
    for (let b = 0; b < shot.matrix[0].length; b++) {
      const sum = shot.matrix.reduce((a, row) => a + row[b], 0);
      assert(sum > 0.95, `block ${b} of epoch ${shot.epoch}: ${sum}`);
    }
  }
});

Deno.test("readBillboardNotebook refuses a missing, an edited and a foreign file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assertRejects(() => readBillboardNotebook(dir), Deno.errors.NotFound, "reproduce");
    const path = join(dir, BILLBOARD_NOTEBOOK_FILE);
    const text = await Deno.readTextFile(join(RESULTS_DIR, "billboard", BILLBOARD_NOTEBOOK_FILE));
    await Deno.writeTextFile(path, text.replace(`"runs":3`, `"runs":2`));
    await assertRejects(() => readBillboardNotebook(dir), Error, "integrity");
    await Deno.writeTextFile(path, await billboardNotebookJson({ a: 1 } as never));
    await assertRejects(() => readBillboardNotebook(dir), Error, "wrong shape");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
