/**
 * Tests of lib/study/report.ts: the facts agree with the trainer's defaults and with the data
 * (the split counts are checked on the committed data in data_test.ts).
 */
import { assertEquals } from "@std/assert";
import { resolveConfig } from "../chords/training/config.ts";
import {
  EPOCHS,
  FIGURE_EPOCHS,
  FOLLOWED_SEGMENT,
  REPORT_COUNTS,
  REPORT_GAMMAS,
  SONGS,
  SWEEP_PADDING,
  SWEEP_SOFT_LENGTH,
  TABLE_4_1,
} from "./report.ts";
import { loadSplits } from "./data.ts";

Deno.test("report facts: Table 4.1, γ values, epochs, figure epochs", () => {
  assertEquals(TABLE_4_1.map((e) => e.reportF1), [77.5, 76.1, 76.1, 76.1, 68.1]);
  assertEquals(REPORT_GAMMAS, [0.001, 0.3, 10]);
  assertEquals(FIGURE_EPOCHS, [1, 161]);
  assertEquals(EPOCHS, 300);
  assertEquals(SONGS.map((s) => s.split), ["train", "train", "train", "validation", "test"]);
});

Deno.test("the trainer's defaults are the report's setup", () => {
  const soft = resolveConfig({ loss: "soft-dtw" });
  assertEquals(soft.epochs, EPOCHS);
  assertEquals(soft.gamma, REPORT_GAMMAS[1]);
  assertEquals([soft.softLength, soft.padding], [SWEEP_SOFT_LENGTH, SWEEP_PADDING]);
  assertEquals(soft.learningRate, 0.1);
});

Deno.test("the followed segment is a training segment with the test excerpt's chords", async () => {
  const { train, test } = await loadSplits();
  assertEquals(train.length, REPORT_COUNTS.train);
  const seg = train.find((s) =>
    s.song === FOLLOWED_SEGMENT.song && s.index === FOLLOWED_SEGMENT.index
  );
  const chords = (labels: number[]) =>
    [...new Set(labels.filter((l) => l >= 0))].sort((a, b) => a - b);
  assertEquals(chords(seg!.labels), chords(test.labels));
});
