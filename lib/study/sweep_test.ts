/**
 * Tests of lib/study/sweep.ts (and the sweep files of tables.ts): the grid, capture epochs,
 * sharpness by hand, a small sweep on synthetic data trained, summarized and read back from the
 * cache, a report γ on real data, cache keys, errors.
 */
import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertNotEquals,
  assertRejects,
  assertThrows,
} from "@std/assert";
import { FINE_GAMMAS, runGammaSweep, runKey, type SweepOptions } from "./sweep.ts";
import { captureEpochs, sharpness } from "./sharpness.ts";
import { REPORT_GAMMAS } from "./report.ts";
import { dataFingerprint, sealedJson } from "./cache.ts";
import { sweepFiles } from "./tables.ts";
import type { Splits } from "./data.ts";
import type { Segment } from "../chords/data/dataset.ts";

Deno.test("the fine grid: ≥ 8 values from 0.001 to 10, evenly spread on a log axis", () => {
  assert(FINE_GAMMAS.length >= 8);
  assertEquals(FINE_GAMMAS[0], 0.001);
  assertEquals(FINE_GAMMAS[FINE_GAMMAS.length - 1], 10);
  for (const g of REPORT_GAMMAS) assert(FINE_GAMMAS.includes(g), `report γ ${g} in the grid`);
  // 4 decades in n-1 steps: each step should be 4/(n-1) decades, to within 5 %.
  const step = 4 / (FINE_GAMMAS.length - 1);
  for (let i = 1; i < FINE_GAMMAS.length; i++) {
    const d = Math.log10(FINE_GAMMAS[i] / FINE_GAMMAS[i - 1]);
    assert(Math.abs(d - step) <= 0.05 * step, `step ${i}: ${d} decades, expected ≈ ${step}`);
  }
});

Deno.test("capture epochs: every 10th from 1, epoch 161 and the last epoch", () => {
  const e = captureEpochs(300);
  assertEquals(e.length, 31); // 1, 11, ..., 291 (30 values) and 300
  assertEquals(e.slice(0, 3), [1, 11, 21]);
  assert(e.includes(161));
  assertEquals(e[e.length - 1], 300);
  assertEquals(captureEpochs(25), [1, 11, 21, 25]);
  assertEquals(captureEpochs(1), [1]);
  assertThrows(() => captureEpochs(0), RangeError, "epochs");
});

Deno.test("sharpness of hand-made alignments", () => {
  const strong = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]];
  // exact alignment inside the strong one: entropy of rows (0, 0, ln2) / ln 4 averaged
  const exact = sharpness({ epoch: 5, matrix: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]], strong });
  assertEquals(exact.epoch, 5);
  assertAlmostEquals(exact.entropy, (Math.log(2) / Math.log(4)) / 3, 1e-12);
  assertEquals(exact.bandMass, 1);
  assertEquals(exact.bandMass1, 1);
  // uniform rows: entropy 1; band mass = 1+1+2 = 4 of 12 cells (tolerance 0); with ±1:
  // row 0 columns 0-1, row 1 columns 0-2, row 2 columns 1-3, 2+3+3 = 8 of 12
  const flat = sharpness({ epoch: 1, matrix: strong.map(() => [1, 1, 1, 1]), strong });
  assertAlmostEquals(flat.entropy, 1, 1e-12);
  assertAlmostEquals(flat.bandMass, 4 / 12, 1e-12);
  assertAlmostEquals(flat.bandMass1, 8 / 12, 1e-12);
});

function frame(notes: number[], noise: number): number[] {
  const v = new Array<number>(12).fill(noise);
  for (const n of notes) v[n] = 1;
  return v;
}

/** Tiny synthetic data: C major (0) and G major (7) chords, 12 frames per segment. */
function synthetic(): Splits {
  const seg = (index: number, labels: number[]): Segment => ({
    song: "synthetic",
    index,
    start: index * 12,
    labels,
    chroma: labels.map((l, i) => frame(l === 0 ? [0, 4, 7] : [7, 11, 2], 0.05 * ((i % 3) + 1))),
  });
  const a = [0, 0, 0, 0, 0, 0, 7, 7, 7, 7, 7, 7];
  const b = [7, 7, 7, 0, 0, 0, 0, 0, 0, 7, 7, 7];
  return {
    train: [seg(0, a), seg(1, b)],
    validation: [seg(2, b)],
    test: seg(3, a),
    featureRate: 10,
  };
}

Deno.test("a small sweep trains, writes its files, and is read back from the cache", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const splits = synthetic();
    const messages: string[] = [];
    const options = {
      cacheDir: dir,
      data: splits,
      epochs: 4,
      gammas: [1, 0.01],
      reportGammas: [],
      segment: 0,
    };
    const fresh = await runGammaSweep({ ...options, onProgress: (p) => messages.push(p.message) });
    assertEquals(fresh.trained, 2);
    assertEquals(fresh.cached, 0);
    assertEquals(messages.length, 2);
    assertEquals(fresh.points.map((p) => p.gamma), [0.01, 1]);
    assertEquals(fresh.points.map((p) => p.report), [false, false]);
    assertEquals(fresh.testFrames, 12);
    for (const p of fresh.points) {
      const r = p.run1;
      assertEquals(r.trainLoss.length, 4);
      assertEquals(r.sharpness.map((s) => s.epoch), [1, 4]);
      // figure epochs 1 and 161: only epoch 1 exists in a 4-epoch training
      assertEquals(r.alignments.map((a) => a.epoch), [1]);
      assertEquals(r.alignments[0].matrix.length, 12);
      assertEquals(r.alignments[0].matrix[0].length, 16);
      for (const s of r.sharpness) {
        assert(s.entropy >= 0 && s.entropy <= 1, `entropy ${s.entropy}`);
        assert(s.bandMass >= 0 && s.bandMass <= s.bandMass1 && s.bandMass1 <= 1);
      }
      assert(r.test.f1 >= 0 && r.test.f1 <= 1);
      assertEquals(p.f1s, [r.test.f1]);
      assertEquals(p.bestEpochs, [r.bestEpoch]);
      assertEquals(p.run1Matches, null);
    }
    // the strong alignment of the followed segment (6 C frames, 6 G frames; 8 positions each)
    assertEquals(fresh.segment.blocks.map((b) => [b.rows, b.cols]), [
      [[0, 5], [0, 7]],
      [[6, 11], [8, 15]],
    ]);
    const files = sweepFiles(fresh);
    const summary = files["summary.csv"];
    const lines = summary.trim().split("\n");
    assertEquals(lines.length, 3);
    assert(lines[0].startsWith("gamma,report_value,runs,f1_mean,f1_std"));
    assert(lines[1].startsWith("0.01,false,1,"));
    const sharp = files["sharpness.csv"].trim().split("\n");
    assertEquals(sharp.length, 1 + 2 * 2);
    const curves = files["curves.csv"].trim().split("\n");
    assertEquals(curves.length, 1 + 2 * 4);
    assert(files["README.md"].includes("| 0.01 | 1 |"));
    assertEquals([...Deno.readDirSync(dir)].length, 2, "only the two cache files are written");

    const again = await runGammaSweep(options);
    assertEquals(again.trained, 0);
    assertEquals(again.cached, 2);
    assertEquals(again.points, fresh.points);

    // without the cache, or with other data, everything is trained again
    const noCache = await runGammaSweep({ ...options, useCache: false });
    assertEquals(noCache.trained, 2);
    const changed = synthetic();
    changed.train[1].chroma[0][5] = 0.5;
    const other = await runGammaSweep({ ...options, data: changed });
    assertEquals(other.trained, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("report γ: a runExperiment whose run 1 is the sharpness run (real data, 3 epochs)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const options = {
      cacheDir: dir,
      experimentCacheDir: `${dir}/experiments`,
      epochs: 3,
      gammas: [0.3, 10],
      reportGammas: [10],
      reportRuns: 2,
      workers: 1,
    };
    const kinds: string[] = [];
    const sweep = await runGammaSweep({ ...options, onProgress: (p) => kinds.push(p.kind) });
    assertEquals(kinds.sort(), ["experiment", "experiment", "sharpness", "sharpness"]);
    assertEquals(sweep.trained, 4);
    const [fine, rep] = sweep.points;
    assertEquals([fine.report, rep.report], [false, true]);
    assertEquals(rep.f1s.length, 2);
    assertEquals(rep.bestEpochs.length, 2);
    // the same deterministic training, once inside runExperiment and once as the sharpness run
    assertEquals(rep.run1Matches, true);
    assertEquals(rep.f1s[0], rep.run1.test.f1);
    assertEquals(fine.run1Matches, null);
    assertEquals(fine.perturbation, null);
    assert(rep.perturbation !== null && rep.perturbation > 0);
    const again = await runGammaSweep(options);
    assertEquals([again.trained, again.cached], [0, 4]);
    assertEquals(again.points.map((p) => p.f1s), sweep.points.map((p) => p.f1s));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cache keys and data fingerprints change with what they cover", async () => {
  const base = { gamma: 0.3, run: 1, epochs: 300, segment: 0, data: "abc" };
  const k = await runKey(base);
  assertEquals(k, await runKey({ ...base }));
  assertNotEquals(k, await runKey({ ...base, gamma: 0.1 }));
  assertNotEquals(k, await runKey({ ...base, run: 2 }));
  assertNotEquals(k, await runKey({ ...base, epochs: 10 }));
  assertNotEquals(k, await runKey({ ...base, segment: 1 }));
  assertNotEquals(k, await runKey({ ...base, data: "abd" }));
  const a = synthetic();
  const b = synthetic();
  assertEquals(await dataFingerprint(a), await dataFingerprint(b));
  b.test.labels[0] = 7;
  assertNotEquals(await dataFingerprint(a), await dataFingerprint(b));
});

Deno.test("bad sweep options are refused with an error naming the problem", async () => {
  const splits = synthetic();
  const o = { data: splits, cacheDir: "/nonexistent-never-created", reportGammas: [] };
  await assertRejects(() => runGammaSweep({ ...o, gammas: [] }), RangeError, "non-empty");
  await assertRejects(() => runGammaSweep({ ...o, gammas: [0.1, -1] }), RangeError, "gammas[1]");
  await assertRejects(() => runGammaSweep({ ...o, gammas: [0.1, 0.1] }), RangeError, "twice");
  await assertRejects(
    () => runGammaSweep({ ...o, gammas: [0.1], reportGammas: [0.3] }),
    RangeError,
    "not in the γ grid",
  );
  await assertRejects(() => runGammaSweep({ ...o, gammas: [1e-320] }), RangeError, "too small");
  await assertRejects(
    () => runGammaSweep({ ...o, gammas: [0.3], reportRuns: 0 }),
    RangeError,
    "reportRuns",
  );
  await assertRejects(
    () => runGammaSweep({ ...o, gammas: [0.3], epochs: 1.5 }),
    RangeError,
    "epochs",
  );
  await assertRejects(
    () => runGammaSweep({ ...o, gammas: [0.3], segment: 2 }),
    RangeError,
    "segment",
  );
});

Deno.test("an unreadable cache file is reported with its path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const splits = synthetic();
    const options = {
      cacheDir: dir,
      data: splits,
      epochs: 2,
      gammas: [0.3],
      reportGammas: [],
      segment: 0,
    };
    await runGammaSweep(options);
    const [file] = [...Deno.readDirSync(dir)].map((e) => e.name);
    const good = await Deno.readTextFile(`${dir}/${file}`);
    await Deno.writeTextFile(`${dir}/${file}`, "{ not json");
    await assertRejects(() => runGammaSweep(options), Error, file);
    await Deno.writeTextFile(`${dir}/${file}`, JSON.stringify({ key: "x", gamma: 0.3 }));
    await assertRejects(() => runGammaSweep(options), Error, `${file} has no integrity hash`);
    await Deno.writeTextFile(`${dir}/${file}`, await sealedJson({ key: "x", gamma: 0.3 }));
    await assertRejects(() => runGammaSweep(options), Error, `${file} has the wrong shape`);
    // a well-formed run of another key (e.g. copied from another γ) is refused, not used
    const { integrity: _, ...run } = JSON.parse(good);
    await Deno.writeTextFile(`${dir}/${file}`, await sealedJson({ ...run, key: "other" }));
    await assertRejects(() => runGammaSweep(options), Error, `${file} holds sharpness run other`);
    const edited = JSON.parse(good);
    edited.test.f1 = 0.99;
    await Deno.writeTextFile(`${dir}/${file}`, JSON.stringify(edited));
    await assertRejects(() => runGammaSweep(options), Error, "does not match its integrity hash");
    await assertRejects(
      () => runGammaSweep({ ...options, dir } as unknown as SweepOptions),
      TypeError,
      'unknown option "dir"',
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
