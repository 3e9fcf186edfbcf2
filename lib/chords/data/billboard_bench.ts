/**
 * Benchmark of loading Billboard songs: the strict loader from Chordino's gzipped CSV and the
 * annotation (`loadBillboard`) as baseline, against the cached flat features
 * (`loadBillboardFeatures`, entries primed once in a temporary cache folder that is removed at
 * the end). The "x faster" ratio deno bench prints is the speed-up of the cache. Both at the
 * native rate, on the first 10 songs of the validation split of ../shared/data/billboard
 * (ignored, with a message, when it is absent). The machine is shared: compare only the ratio
 * inside one run.
 *
 * Run: `deno bench -A --import-map=tools/import_map_offline.json lib/chords/data/billboard_bench.ts`.
 *
 * @module
 */
import { join } from "node:path";
import { billboardDir, loadBillboard, selectBillboardSongs } from "./billboard.ts";
import { loadBillboardFeatures } from "./billboard_features.ts";

const root = billboardDir();
let present = false;
try {
  present = Deno.statSync(join(root, "index.csv")).isFile;
} catch { /* absent */ }
if (!present) console.log(`${root} not found: the Billboard loading benchmark is ignored`);

const ids = present
  ? (await selectBillboardSongs(root, { split: "validation" })).slice(0, 10).map((s) => s.id)
  : [];
const cacheDir = await Deno.makeTempDir({ prefix: "billboard_bench_" });
globalThis.addEventListener("unload", () => Deno.removeSync(cacheDir, { recursive: true }));
if (present) await loadBillboardFeatures(root, { ids, cacheDir });

Deno.bench({
  name: "10 songs from Chordino CSV (gzip) and full.lab",
  group: "load",
  baseline: true,
  ignore: !present,
  n: 5,
  warmup: 1,
  fn: async () => {
    await loadBillboard(root, { ids });
  },
});

Deno.bench({
  name: "10 songs from the feature cache",
  group: "load",
  ignore: !present,
  n: 20,
  warmup: 2,
  fn: async () => {
    const songs = await loadBillboardFeatures(root, { ids, cacheDir });
    if (!songs.every((s) => s.cached)) throw new Error("the cache was not used");
  },
});
