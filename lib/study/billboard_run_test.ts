import { assert, assertEquals, assertRejects } from "@std/assert";
import { join } from "node:path";
import { billboardPresent } from "./_testing.ts";
import { billboardTable, runBillboardStudy } from "./billboard_run.ts";
import { loadModel, recognizerFromFile } from "../chords/mod.ts";

const present = billboardPresent("lib/study/billboard_run_test.ts");

const IDS = ["0004", "0012", "0016", "0006", "0030", "0010", "0021"];

Deno.test({
  name:
    "runBillboardStudy on 7 songs: trains on workers, writes tables and models, reruns from the caches byte for byte",
  ignore: !present,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const options = {
        runs: 2,
        rows: ["strong-bce", "distorted-1s-bce", "unaligned-sdtw"],
        workers: 2,
        maxEpochs: 3,
        resultsDir: join(dir, "results"),
        modelsDir: join(dir, "models"),
        data: { ids: IDS, cacheDir: join(dir, "cache") },
      };
      const a = await runBillboardStudy(options);
      assertEquals(a.trained.length, 6);
      assertEquals(a.data.songs.filter((s) => s.split === "test").length, 2);
      const files = ["table.md", "table.csv", "per_song.json", "curves.json", "notebook.json"];
      const texts = await Promise.all(files.map((f) => Deno.readTextFile(join(dir, "results", f))));
      const model = await loadModel(join(dir, "models", "billboard-dchord-strong-bce.json"));
      assertEquals(model.labels.length, 25);
      for (const r of a.rows) {
        for (const e of r.evaluations) {
          for (const s of Object.values(e.scores)) {
            assert(s.majmin > 0.2 && s.majmin <= 1, `${r.name}`);
          }
        }
      }
      // run 2 of the distorted row draws other distortions than run 1
      assert(a.rows[1].runs[0].trainLoss[0] !== a.rows[1].runs[1].trainLoss[0]);
      const b = await runBillboardStudy({ ...options, cachedOnly: true });
      assertEquals(b.trained, []);
      const again = await Promise.all(files.map((f) => Deno.readTextFile(join(dir, "results", f))));
      assertEquals(again, texts);
      await assertRejects(
        () => runBillboardStudy({ ...options, runs: 3, cachedOnly: true }),
        Error,
        "no cached run",
      );
      // partial: each row keeps the runs it has (2 of 3), and the table says so
      const c = await runBillboardStudy({
        ...options,
        runs: 3,
        cachedOnly: true,
        partial: true,
        write: false,
      });
      assertEquals(c.rows.map((r) => r.runs.length), [2, 2, 2]);
      assertEquals(c.trained, []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "runBillboardStudy trains the CNN rows (bass and treble; two-step aligned first by the untrained dChord) and rereads them from the cache",
  ignore: !present,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      // write: false (the notebook view's cross-dataset scores would decode the Beatles audio
      // for the CNN; billboard_cross_test.ts covers them)
      const options = {
        runs: 1,
        rows: ["cnn-strong-bce", "cnn-two-step-bce"],
        workers: 2,
        maxEpochs: 2,
        write: false,
        runCacheDir: join(dir, "runs"),
        data: { ids: IDS, cacheDir: join(dir, "cache") },
      };
      const a = await runBillboardStudy(options);
      assertEquals(a.trained.length, 2);
      const file = a.rows[0].model;
      assertEquals([file.name, file.kind, file.features.chroma], [
        "billboard-cnn-strong-bce",
        "cnn",
        "bass+treble",
      ]);
      assertEquals(recognizerFromFile(file, file.name).labels.length, 25);
      const two = a.rows[1].runs[0];
      // 3 rounds of 1 or 2 epochs each, one curve after the other
      assert(two.trainLoss.length >= 3 && two.trainLoss.length <= 6, `${two.trainLoss.length}`);
      assertEquals(two.epochWeights, []);
      assertEquals(two.parameters!.length, 4665);
      for (const r of a.rows) {
        for (const s of Object.values(r.evaluations[0].scores)) {
          assert(s.majmin > 0 && s.majmin <= 1 && Number.isFinite(s.seg), r.name);
        }
      }
      const table = billboardTable(a);
      assert(table.includes("| CNN | strong labels, BCE | frame |"), table);
      const b = await runBillboardStudy({ ...options, cachedOnly: true });
      assertEquals(b.trained, []);
      assertEquals(billboardTable(b), table);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
