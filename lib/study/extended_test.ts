import { assert, assertAlmostEquals, assertEquals, assertRejects } from "@std/assert";
import {
  diagonalDistance,
  EXTENDED_TABLE,
  GAMMA_ANNEALING,
  PRIOR,
  runExtendedTable,
} from "./extended.ts";
import { mergeTimings } from "./extended_files.ts";
import { sensitivityFiles, sensitivityRecords } from "./sensitivity.ts";
import { epochSchedule, resolveConfig } from "../chords/training/config.ts";
import type { ExperimentResult } from "./experiment.ts";
import { TABLE_4_1 } from "./report.ts";

Deno.test("every extended configuration is valid and named once", () => {
  const names = EXTENDED_TABLE.map((e) => e.name);
  assertEquals(new Set(names).size, names.length);
  for (const e of EXTENDED_TABLE) {
    const resolved = resolveConfig(e.config); // throws for a bad configuration
    // uniform padding to 150 is the report's procedure with another soft length: it resolves to
    // the report's fields (its cache key's form); the others carry their targets
    assertEquals(
      "targets" in resolved,
      e.name !== "sdtw-150-uniform" && e.config.loss !== "ctc",
      e.name,
    );
  }
});

Deno.test("γ annealing and prior schedules of the extended table, against hand values", () => {
  const g = epochSchedule(resolveConfig({ loss: "soft-dtw", gamma: GAMMA_ANNEALING }));
  // epochs 1..10 at 10, linear to 0.3 at epoch 50: −9.7/40 per epoch after epoch 10
  assertEquals([g.gamma(1), g.gamma(10)], [10, 10]);
  assertAlmostEquals(g.gamma(30), 10 - 9.7 * 20 / 40, 1e-12);
  assertEquals([g.gamma(50), g.gamma(300), g.finalGamma], [0.3, 0.3, 0.3]);
  const p = epochSchedule(
    resolveConfig({ loss: "soft-dtw", prior: { ...PRIOR } }),
  );
  // weight 3 at epoch 1, linear to 0 at epoch 50
  assertEquals(p.priorWeight(1), 3);
  assertAlmostEquals(p.priorWeight(25), 3 * (1 - 24 / 49), 1e-12);
  assertEquals([p.priorWeight(50), p.finalPriorWeight, PRIOR.nu], [0, 0, 10]);
});

/** A minimal experiment result: run i predicts `predictions[i]` with `tp[i]` correct frames. */
function fake(predictions: number[][], tp: number[]): ExperimentResult {
  return {
    runs: tp.length,
    results: tp.map((t, i) => ({ f1: t / 10, tp: t, predictions: predictions[i] })),
  } as unknown as ExperimentResult;
}

Deno.test("sensitivity records count changed frames and the run spread in frames", () => {
  const entry = TABLE_4_1[4];
  const base = [{ entry, result: fake([[0, 1, 2, 3], [0, 1, 2, 2]], [3, 4]) }];
  const other = [{ entry, result: fake([[0, 5, 2, 7], [0, 1, 2, 3]], [1, 4]) }];
  const [r] = sensitivityRecords(base, other);
  assertEquals(
    [r.configuration, r.framesChanged, r.correct, r.correctOther, r.runSpread, r.runSpreadOther],
    [entry.name, 2, 3, 1, 1, 3],
  );
  assertAlmostEquals(r.f1 - r.f1Other, 20, 1e-12);
  const files = sensitivityFiles([r], "data/mp3-delay-0");
  assert(
    files["sensitivity.md"].includes("| sdtw-75-last | 68.1 | 30.0 | 10.0 | 2 | 3 | 1 | 1 | 3 |"),
  );
});

Deno.test("timings: computed experiments replace their entry, cached ones keep theirs", () => {
  const computed = { runSeconds: [2, 4] } as unknown as ExperimentResult;
  const cached = { runSeconds: null } as unknown as ExperimentResult;
  assertEquals(
    mergeTimings({ ctc: 9, b: 1 }, [{ name: "ctc", result: computed }, {
      name: "b",
      result: cached,
    }]),
    { b: 1, ctc: 3 },
  );
});

Deno.test("an unknown extended configuration is refused by name", async () => {
  await assertRejects(() => runExtendedTable({ only: ["ctc-x"] }), RangeError, "ctc-x");
});

Deno.test("diagonal distance of the true alignment, by hand", () => {
  // 4 frames, chords 0 0 0 7, soft length 2: shares [0, 2] and [2, 4]; frame 2 (centre 2.5)
  // belongs to element 0 but lies 0.5 frames into element 1's share
  const seg = { song: "x", index: 0, start: 0, chroma: [], labels: [0, 0, 0, 7] };
  const d = diagonalDistance([seg], 2);
  assertEquals([d.share, d.inside], [2, 0.75]);
  assertAlmostEquals(d.rms, Math.sqrt(0.25 / 4), 1e-15);
});
