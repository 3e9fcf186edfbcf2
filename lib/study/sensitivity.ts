/**
 * How fragile the report's numbers are (issue 12): Table 4.1 trained on two feature sets (the
 * committed features, MP3s re-aligned by the encoder delay, and features built with
 * `--mp3-delay 0`), compared configuration by configuration ({@linkcode sensitivityRecords})
 * and written as `sensitivity.md` and `sensitivity.csv` ({@linkcode sensitivityFiles}).
 * Computes text only; tools/reproduce.ts writes the files.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb and by `deno task reproduce`.
 *
 * @example
 * ```ts
 * import { sensitivityFiles } from "./sensitivity.ts";
 * Object.keys(sensitivityFiles([], "data/mp3-delay-0")); // ["sensitivity.md", "sensitivity.csv"]
 * ```
 *
 * @module
 */
import type { ExperimentResult } from "./experiment.ts";
import { csvText, type Table41Row } from "./tables.ts";

/** One configuration of Table 4.1 on two feature sets. */
export interface SensitivityRecord {
  /** Configuration name. */
  configuration: string;
  /** The report's F1 (%). */
  reportF1: number;
  /** F1 of run 1 (%) on the committed features (MP3s re-aligned). */
  f1: number;
  /** F1 of run 1 (%) on the other features. */
  f1Other: number;
  /** Test frames whose run-1 prediction differs between the two feature sets. */
  framesChanged: number;
  /** Correct test frames of run 1, committed features. */
  correct: number;
  /** Correct test frames of run 1, other features. */
  correctOther: number;
  /** Spread of the correct frames over the runs (max − min), committed features. */
  runSpread: number;
  /** Spread of the correct frames over the runs (max − min), other features. */
  runSpreadOther: number;
}

/**
 * Table 4.1 on two feature sets side by side (the sensitivity section of notebook 07): F1 of
 * run 1 on each, how many test frames change, and how far the runs of each spread (in correct
 * test frames), for the configurations present in both.
 *
 * Used in notebooks/07_stabilizing_and_ctc.ipynb and by `deno task reproduce --data-dir`.
 *
 * @example
 * ```ts
 * import { sensitivityRecords } from "./sensitivity.ts";
 * sensitivityRecords([], []); // []
 * ```
 */
export function sensitivityRecords(
  base: readonly Table41Row[],
  other: readonly Table41Row[],
): SensitivityRecord[] {
  return base.flatMap(({ entry, result }) => {
    const o = other.find((r) => r.entry.name === entry.name)?.result;
    if (!o) return [];
    const a = result.results[0], b = o.results[0];
    const spreadOf = (r: ExperimentResult) => {
      const tp = r.results.map((x) => x.tp);
      return Math.max(...tp) - Math.min(...tp);
    };
    return [{
      configuration: entry.name,
      reportF1: entry.reportF1,
      f1: 100 * a.f1,
      f1Other: 100 * b.f1,
      framesChanged: a.predictions.filter((p, i) => p !== b.predictions[i]).length,
      correct: a.tp,
      correctOther: b.tp,
      runSpread: spreadOf(result),
      runSpreadOther: spreadOf(o),
    }];
  });
}

/**
 * The files of the sensitivity comparison: `sensitivity.md` and `sensitivity.csv`.
 *
 * Used by `deno task reproduce --data-dir` (written beside the other features' Table 4.1).
 *
 * @example
 * ```ts
 * import { sensitivityFiles } from "./sensitivity.ts";
 * Object.keys(sensitivityFiles([], "data/mp3-delay-0")); // ["sensitivity.md", "sensitivity.csv"]
 * ```
 */
export function sensitivityFiles(
  records: readonly SensitivityRecord[],
  otherName: string,
): Record<string, string> {
  const head = [
    "configuration",
    "report F1",
    "F1 run 1, data/",
    `F1 run 1, ${otherName}`,
    "test frames changed",
    "correct frames, data/",
    `correct frames, ${otherName}`,
    "run spread (frames), data/",
    `run spread (frames), ${otherName}`,
  ];
  const rows = records.map((r) => [
    r.configuration,
    r.reportF1.toFixed(1),
    r.f1.toFixed(1),
    r.f1Other.toFixed(1),
    String(r.framesChanged),
    String(r.correct),
    String(r.correctOther),
    String(r.runSpread),
    String(r.runSpreadOther),
  ]);
  const md = [
    `# Table 4.1 on two feature sets: data/ and ${otherName}`,
    "",
    "Written by `deno task reproduce --data-dir` (tools/reproduce.ts). `data/` drops the MP3",
    "encoder delay (1201 samples) from every decoded MP3; the other folder was built with another",
    "delay (`--mp3-delay`). Same test excerpt (from WAV) and procedure. Test frames changed: frames",
    "whose run-1 prediction differs; run spread: max − min of the correct test frames over the",
    "runs (runs 2..n from perturbed templates) on each feature set.",
    "",
    `| ${head.join(" | ")} |`,
    `| ${head.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
  ].join("\n");
  return { "sensitivity.md": md, "sensitivity.csv": csvText([head, ...rows]) };
}
