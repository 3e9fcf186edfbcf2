/**
 * Tests of lib/study/data.ts: the report's counts (43 training segments, 12 validation segments,
 * 138 test frames) on the committed data, the segmentation summary against its own arithmetic,
 * and errors naming the missing or malformed file.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import { join } from "node:path";
import { loadMetadata, loadSplits, segmentationSummary } from "./data.ts";
import { NO_CHORD } from "../chords/data/labels.ts";
import { DATA_DIR } from "./paths.ts";

const N = NO_CHORD;

Deno.test("the committed data give the report's counts: 43 / 12 segments, 138 test frames", async () => {
  const { train, validation, test, featureRate } = await loadSplits();
  assertEquals(featureRate, 22050 / 2048);
  assertEquals(train.length, 43);
  assertEquals(validation.length, 12);
  assertEquals(test.labels.length, 138);
  assertEquals(test.chroma.length, 138);
  for (const seg of [...train, ...validation]) {
    assertEquals(seg.labels.length, 150);
    assertEquals(seg.chroma.length, 150);
  }
  assertEquals(
    new Set(train.map((s) => s.song)),
    new Set(["HereComesTheSun", "ObLaDiObLaDa", "LetItBe"]),
  );
  assertEquals(new Set(validation.map((s) => s.song)), new Set(["PennyLane"]));
  for (const seg of [...train, ...validation, test]) {
    for (const frame of seg.chroma) {
      assertEquals(frame.length, 12);
      assert(Math.abs(Math.hypot(...frame) - 1) < 1e-4, `${seg.song} ${seg.index}`);
    }
  }
  // trimmed: the test excerpt starts and ends with a chord
  assert(test.labels[0] !== N && test.labels[test.labels.length - 1] !== N);
  // with the original excerpt annotation (leading N of 0.175 s) one frame fewer
  const orig = await loadSplits({ testAnnotation: "original" });
  assertEquals(orig.test.labels.length, 137);
});

Deno.test("loadSplits: a missing data directory says how to build it", async () => {
  await assertRejects(
    () => loadSplits({ dataDir: "/nonexistent/data" }),
    Error,
    "deno task build-data",
  );
});

Deno.test("segmentationSummary agrees with loadSplits and its own arithmetic", async () => {
  const rows = await segmentationSummary();
  const splits = await loadSplits();
  const count = (split: string) =>
    rows.filter((r) => r.split === split).reduce((a, r) => a + r.segments, 0);
  assertEquals(count("train"), splits.train.length);
  assertEquals(count("validation"), splits.validation.length);
  for (const r of rows) {
    assertEquals(r.trimmed, r.lastChord - r.firstChord + 1);
    if (r.split !== "test") {
      assertEquals(r.segments, Math.floor(r.trimmed / 150));
      assert(r.dropped >= 0 && r.dropped < 150);
    } else {
      assertEquals(r.trimmed, splits.test.labels.length);
    }
  }
});

Deno.test("a truncated metadata.json gives an error naming the file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "data-test-" });
  try {
    await Deno.mkdir(join(dir, "chroma"));
    const text = await Deno.readTextFile(join(DATA_DIR, "chroma", "metadata.json"));
    await Deno.writeTextFile(join(dir, "chroma", "metadata.json"), text.slice(0, text.length / 2));
    await assertRejects(
      () => loadMetadata({ dataDir: dir }),
      Error,
      `${join(dir, "chroma", "metadata.json")}: not valid JSON`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
