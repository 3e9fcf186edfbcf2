import { assert, assertEquals, assertNotEquals, assertRejects, assertThrows } from "@std/assert";
/**
 * Tests of lib/study/experiment.ts, run.ts and pool.ts: cache keys, option errors, the cache
 * written and read back, the same numbers with 1 or 2 workers, a committed run recomputed bit for
 * bit, shared concurrent computations.
 */
import {
  cacheKey,
  CODE_VERSION,
  type ExperimentOptions,
  pruneCache,
  runExperiment,
} from "./experiment.ts";
import { runInit, runOnce } from "./run.ts";
import { dataFingerprint, sealedJson } from "./cache.ts";
import { spread } from "./stats.ts";
import { table41Files } from "./tables.ts";
import { TABLE_4_1 } from "./report.ts";
import { initialWeights } from "../chords/model/dchord.ts";
import { loadSplits, type Splits } from "./data.ts";

Deno.test("runInit: run 1 is the report's start, later runs seeded perturbations", () => {
  assertEquals(runInit(1, 0.1), initialWeights());
  assertEquals(runInit(3, 0), initialWeights());
  const a = runInit(2, 0.1);
  assertEquals(a, runInit(2, 0.1), "same seed, same weights");
  assertNotEquals(a, runInit(3, 0.1));
  assertEquals(a.theta, 0);
  const d = [...a.major, ...a.minor].map((v, i) =>
    v - [...initialWeights().major, ...initialWeights().minor][i]
  );
  assert(d.every((x) => x !== 0 && Math.abs(x) < 0.5), "small, non-zero noise");
  const rms = Math.sqrt(d.reduce((s, x) => s + x * x, 0) / d.length);
  assert(rms > 0.03 && rms < 0.3, `rms of the noise ${rms} is about σ = 0.1`);
  assertThrows(() => runInit(0, 0.1), RangeError, "run");
  assertThrows(() => runInit(2, -1), RangeError, "perturbation");
});

Deno.test("cache key: changes with configuration, runs and data; stable otherwise", async () => {
  const fp = "0".repeat(64);
  const k = (o: ExperimentOptions, f = fp) => cacheKey(o, f);
  const base = await k({ config: { loss: "soft-dtw" } });
  assertEquals(base, await k({ config: { loss: "soft-dtw", softLength: 16, gamma: 0.3 } }));
  assert(base.startsWith("sdtw-16-uniform-g0.3-e300-"), base);
  const others = [
    await k({ config: { loss: "soft-dtw", gamma: 0.31 } }),
    await k({ config: { loss: "soft-dtw", padding: "last" } }),
    await k({ config: { loss: "soft-dtw" }, runs: 4 }),
    await k({ config: { loss: "soft-dtw" }, perturbation: 0.2 }),
    await k({ config: { loss: "soft-dtw" }, alignmentEpochs: [1] }),
    await k({ config: { loss: "soft-dtw" } }, "1".repeat(64)),
  ];
  assertEquals(new Set([base, ...others]).size, 7);
  assertEquals((await dataFingerprint(await loadSplits())).length, 64);
});

Deno.test("bad experiment options give errors naming the problem", async () => {
  const r = (o: unknown, msg: string) =>
    assertRejects(() => runExperiment(o as ExperimentOptions), Error, msg);
  await r({ config: { loss: "soft-dtw", padding: "middle" } }, "config.padding");
  await r({ config: { loss: "soft-dtw", softLength: 0 } }, "config.softLength");
  await r({ config: { loss: "soft-dtw", gamma: 0 } }, "config.gamma");
  await r({ config: { loss: "soft-dtw", gamma: NaN } }, "config.gamma");
  await r({ config: { loss: "bce" }, runs: 0 }, "runs");
  await r({ config: { loss: "bce" }, perturbation: -0.1 }, "perturbation");
  await r({ config: { loss: "bce", init: initialWeights() } }, "config.init");
  await r({ config: { loss: "soft-dtw", epochs: 100 } }, "alignmentEpochs: 161");
  await r({ config: { loss: "bce" }, workers: 0 }, "workers");
  await r({ config: { loss: "bce" }, dataDir: "/nonexistent" }, "deno task build-data");
  await r(
    { config: { loss: "soft-dtw" }, alignmentSegment: { song: "PennyLane", index: 0 } },
    "not a training segment",
  );
});

Deno.test("runExperiment writes the cache, reads it back, same result with 1 or 2 workers", async () => {
  const cacheDir = await Deno.makeTempDir();
  try {
    const options: ExperimentOptions = {
      config: { loss: "soft-dtw", softLength: 16, padding: "last", epochs: 4 },
      runs: 2,
      alignmentEpochs: [1, 4],
      cacheDir,
    };
    const progress: string[] = [];
    const a = await runExperiment({
      ...options,
      workers: 2,
      onProgress: (p) => progress.push(`${p.run}:${p.epoch}`),
    });
    assertEquals(a.fromCache, false);
    assertEquals(progress.sort(), ["1:1", "1:2", "1:3", "1:4", "2:1", "2:2", "2:3", "2:4"]);
    assertEquals(a.results.map((r) => r.run), [1, 2]);
    assertEquals(a.results[0].alignments.map((x) => x.epoch), [1, 4]);
    assertEquals(a.codeVersion, CODE_VERSION);
    const files = [...Deno.readDirSync(cacheDir)].map((e) => e.name);
    assertEquals(files, [`${a.key}.json`]);
    const b = await runExperiment({ ...options });
    assertEquals(b.fromCache, true);
    assertEquals(b.results, a.results);
    const c = await runExperiment({ ...options, workers: 1, useCache: false });
    assertEquals(c.fromCache, false);
    assertEquals(c.results, a.results, "a worker computes what the main thread computes");
    // a file it wrote for another code version is stale and pruned; the current one is kept,
    // and so are files it did not write (no integrity hash, or a key that is not their name)
    await Deno.writeTextFile(
      `${cacheDir}/old.json`,
      await sealedJson({ key: "old", codeVersion: -1 }),
    );
    await Deno.writeTextFile(`${cacheDir}/notes.json`, JSON.stringify({ codeVersion: -1 }));
    await Deno.writeTextFile(
      `${cacheDir}/renamed.json`,
      await sealedJson({ key: "old", codeVersion: -1 }),
    );
    assertEquals(await pruneCache({ cacheDir }), {
      removed: ["old.json"],
      kept: ["notes.json", "renamed.json"],
    });
    assertEquals(
      [...Deno.readDirSync(cacheDir)].map((e) => e.name).sort(),
      [`${a.key}.json`, "notes.json", "renamed.json"].sort(),
    );
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
});

for (const config of [{ loss: "bce" }, { loss: "soft-dtw", softLength: 16 }] as const) {
  Deno.test(`committed cache: ${config.loss} run 1 recomputed bit for bit (determinism + cache validity)`, async () => {
    const data = await loadSplits();
    const cached = await runExperiment({ config, data, workers: 1, useCache: true, runs: 5 });
    assert(
      cached.fromCache,
      `no cached ${config.loss} experiment for the current code and data: run \`deno task reproduce\``,
    );
    const alignment = cached.alignment
      ? { epochs: cached.alignment.epochs, segment: cached.alignment.segment }
      : null;
    // the training time is not part of the cached result
    const { seconds: _seconds, ...again } = runOnce({
      data,
      config,
      run: 1,
      perturbation: cached.perturbation,
      alignment,
    });
    assertEquals(JSON.parse(JSON.stringify(again)), cached.results[0]);
    assertEquals(cached.summary.f1.mean, spread(cached.results.map((r) => r.f1)).mean);
  });
}

Deno.test("concurrent runExperiment calls of one experiment share a single computation", async () => {
  const cacheDir = await Deno.makeTempDir();
  try {
    const options = {
      config: { loss: "soft-dtw" as const, softLength: 16, epochs: 100 },
      runs: 1,
      alignmentEpochs: [1],
      workers: 2,
      cacheDir,
      useCache: false,
    };
    // The second call starts once the first one's worker has finished epoch 1, i.e. while the
    // first computation is certainly under way (99 epochs, about a second, still to go).
    let started!: () => void;
    const firstEpoch = new Promise<void>((resolve) => started = resolve);
    const a = runExperiment({ ...options, onProgress: (p) => p.epoch === 1 && started() });
    await firstEpoch;
    const finished: number[] = [];
    const b = await runExperiment({
      ...options,
      onProgress: (p) => p.epoch === p.epochs && finished.push(p.run),
    });
    assert(b === await a, "the second call must get the first call's result");
    assertEquals(finished, [1]);
    // once it is done, a new call computes again (no stale sharing), with the same numbers
    const c = await runExperiment({ ...options, config: { ...options.config, epochs: 2 } });
    assert(c !== b);
    assertEquals(c.results[0].trainLoss, b.results[0].trainLoss.slice(0, 2));
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
});

/** One run of 2 epochs of BCE (a fraction of a second), cached in `cacheDir`. */
const tinyExperiment = (cacheDir: string, data: Splits): ExperimentOptions => ({
  config: { loss: "bce", epochs: 2 },
  runs: 1,
  cacheDir,
  data,
});

Deno.test("a cache file of the wrong shape or truncated gives an error naming the file", async () => {
  const cacheDir = await Deno.makeTempDir();
  try {
    const data = await loadSplits();
    const options = tinyExperiment(cacheDir, data);
    const key = await cacheKey(options, await dataFingerprint(data));
    const path = `${cacheDir}/${key}.json`;
    await Deno.writeTextFile(path, JSON.stringify({ key, codeVersion: CODE_VERSION, results: 3 }));
    await assertRejects(() => runExperiment(options), Error, `${path} has no integrity hash`);
    await Deno.writeTextFile(
      path,
      await sealedJson({ key, codeVersion: CODE_VERSION, results: 3 }),
    );
    await assertRejects(() => runExperiment(options), Error, `${path} has the wrong shape`);
    await Deno.writeTextFile(path, '{"key": "bce-e2-');
    await assertRejects(() => runExperiment(options), Error, `${path} is not valid JSON`);
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
});

/** A temporary folder with a cache folder and a sentinel file beside it. */
async function sandbox(): Promise<{ root: string; cacheDir: string; sentinel: () => void }> {
  const root = await Deno.makeTempDir({ prefix: "issue17-" });
  const cacheDir = `${root}/cache`;
  const text = "precious, not written by the library\n";
  await Deno.writeTextFile(`${root}/sentinel.txt`, text);
  return {
    root,
    cacheDir,
    sentinel: () => assertEquals(Deno.readTextFileSync(`${root}/sentinel.txt`), text),
  };
}

Deno.test("issue 17 item 4: a cache entry is used only when key, data fingerprint and integrity hash match", async () => {
  const { root, cacheDir, sentinel } = await sandbox();
  try {
    const data = await loadSplits();
    const bce = tinyExperiment(cacheDir, data);
    const sdtw: ExperimentOptions = { ...bce, config: { loss: "bce", epochs: 3 } };
    const fresh = await runExperiment({ ...bce, workers: 1 });
    const path = `${cacheDir}/${fresh.key}.json`;
    const good = await Deno.readTextFile(path);
    const other = `${cacheDir}/${await cacheKey(sdtw, await dataFingerprint(data))}.json`;
    // a cache file copied under another experiment's name
    await Deno.writeTextFile(other, good);
    await assertRejects(
      () => runExperiment({ ...sdtw, workers: 1 }),
      Error,
      `cache file ${other} holds experiment ${fresh.key}`,
    );
    await Deno.remove(other);
    const edit = async (change: (v: Record<string, unknown>) => void, reseal: boolean) => {
      const { integrity: _, ...v } = JSON.parse(good);
      change(v);
      await Deno.writeTextFile(path, reseal ? await sealedJson(v) : JSON.stringify(v));
    };
    // an edited F1 without a new hash
    await edit((v) => ((v.results as { f1: number }[])[0].f1 = 0.99), false);
    await assertRejects(() => runExperiment(bce), Error, `${path} has no integrity hash`);
    const { integrity: _, ...v } = JSON.parse(good);
    (v.results as { f1: number }[])[0].f1 = 0.99;
    await Deno.writeTextFile(path, JSON.stringify({ ...v, integrity: JSON.parse(good).integrity }));
    await assertRejects(() => runExperiment(bce), Error, `${path} does not match its integrity`);
    // edits that also recompute the hash: the content checks catch them
    await edit((v) => ((v.results as { f1: number }[])[0].f1 = 0.99), true);
    await assertRejects(() => runExperiment(bce), Error, "summary.f1.mean is 0.73");
    await edit((v) => ((v.results as { trainLoss: unknown }[])[0].trainLoss = ["x", "y"]), true);
    await assertRejects(() => runExperiment(bce), Error, "results[0].trainLoss is not a list");
    await edit((v) => (v.summary = {}), true);
    await assertRejects(() => runExperiment(bce), Error, "no summary.f1");
    await edit((v) => (v.dataFingerprint = "f".repeat(64)), true);
    await assertRejects(() => runExperiment(bce), Error, "was computed on other data");
    await edit((v) => (v.codeVersion = CODE_VERSION - 1), true);
    await assertRejects(() => runExperiment(bce), Error, "code version");
    // the good file is used again
    await Deno.writeTextFile(path, good);
    const cached = await runExperiment(bce);
    assertEquals(cached.fromCache, true);
    assertEquals(cached.results, fresh.results);
    sentinel();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("issue 17 item 5: a one-run experiment gives the same table fresh and cached (std –)", async () => {
  const { root, cacheDir, sentinel } = await sandbox();
  try {
    const data = await loadSplits();
    const options = { ...tinyExperiment(cacheDir, data), workers: 1 };
    const fresh = await runExperiment(options);
    const cached = await runExperiment(options);
    assertEquals([fresh.fromCache, cached.fromCache], [false, true]);
    assert(Number.isNaN(fresh.summary.f1.std) && Number.isNaN(cached.summary.f1.std));
    const table = (result: typeof fresh) => table41Files([{ entry: TABLE_4_1[0], result }], data);
    const a = table(fresh), b = table(cached);
    assertEquals(b, a, "cached and fresh tables are byte-identical");
    const row = a["table_4_1.md"].split("\n").find((l) => l.startsWith(`| ${TABLE_4_1[0].label}`));
    assertEquals(row?.split(" | ")[4], "–", `the std of one run is shown as –: ${row}`);
    sentinel();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
