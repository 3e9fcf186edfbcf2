/**
 * Tests of tools/reproduce.ts: `--cached` reproduces the committed results byte for byte (so
 * `deno task reproduce --cached` leaves `git status` clean), written into a temporary folder (a
 * copy), twice; bad options are refused.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { join } from "node:path";
import { main } from "./reproduce.ts";
import { RESULTS_DIR } from "../lib/study/mod.ts";

const FILES = [
  "table_4_1.md",
  "table_4_1.csv",
  "loss_curves.csv",
  "loss_curves.json",
  "alignments.json",
  "gamma_sweep/summary.csv",
  "gamma_sweep/sharpness.csv",
  "gamma_sweep/curves.csv",
  "gamma_sweep/README.md",
];

async function cachedRun(): Promise<Record<string, string>> {
  const out = await Deno.makeTempDir({ prefix: "reproduce-test-" });
  try {
    await main(["--cached", "--quiet", "--out", out]);
    const files: Record<string, string> = {};
    for (const f of FILES) files[f] = await Deno.readTextFile(join(out, f));
    return files;
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

Deno.test("reproduce --cached rewrites the committed results byte for byte, every time", async () => {
  const first = await cachedRun();
  for (const f of FILES) {
    assertEquals(
      first[f],
      await Deno.readTextFile(join(RESULTS_DIR, f)),
      `${f} differs from the committed file (stale results? run deno task reproduce)`,
    );
  }
  assertEquals(await cachedRun(), first);
});

Deno.test("reproduce refuses unknown or contradictory options", async () => {
  await assertRejects(() => main(["--fast"]), RangeError, "unknown option --fast");
  await assertRejects(() => main(["--fresh", "--cached"]), RangeError, "exclude each other");
  await assertRejects(() => main(["--runs", "0"]), RangeError, "--runs");
  await assertRejects(() => main(["--out"]), RangeError, "--out needs a value");
});
