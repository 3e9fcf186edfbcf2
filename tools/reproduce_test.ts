/**
 * Tests of tools/reproduce.ts: `--cached` reproduces the committed results byte for byte (so
 * `deno task reproduce --cached` leaves `git status` clean), written into a temporary folder (a
 * copy), twice; bad options are refused.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { join } from "node:path";
import { main } from "./reproduce.ts";
import { BILLBOARD_STUDY_ROWS, REPO_ROOT, RESULTS_DIR } from "../lib/study/mod.ts";
import { billboardDir } from "../lib/chords/mod.ts";

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
  "extended/table.md",
  "extended/table.csv",
  "extended/loss_curves.csv",
  "extended/timings.json",
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
  await assertRejects(() => main(["--only", "table-5"]), RangeError, 'unknown part "table-5"');
  await assertRejects(() => main(["--data-dir"]), RangeError, "--data-dir needs a value");
  await assertRejects(
    () => main(["--cached", "--quiet", "--data-dir", "/nonexistent-data"]),
    Error,
    "nonexistent-data",
  );
});

Deno.test("reproduce --help lists every option", async () => {
  const logged: string[] = [];
  const log = console.log;
  console.log = (s: string) => logged.push(s);
  try {
    await main(["--help"]);
  } finally {
    console.log = log;
  }
  for (const option of ["--only", "--data-dir", "--results-dir", "--runs", "--cached"]) {
    assertEquals(logged.join("").includes(option), true, option);
  }
});

let billboard = false;
try {
  billboard = Deno.statSync(join(billboardDir(), "index.csv")).isFile;
} catch { /* absent */ }

Deno.test({
  name: "reproduce --cached --only billboard rewrites the study's tables and models byte for byte",
  ignore: !billboard,
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "reproduce-billboard-" });
    try {
      await main(["--cached", "--quiet", "--only", "billboard", "--out", out]);
      const files = ["table.md", "table.csv", "per_song.json", "curves.json"];
      for (const f of files) {
        assertEquals(
          await Deno.readTextFile(join(out, "billboard", f)),
          await Deno.readTextFile(join(RESULTS_DIR, "billboard", f)),
          `billboard/${f} differs from the committed file`,
        );
      }
      const models = [...Deno.readDirSync(join(out, "models"))].map((e) => e.name).sort();
      assertEquals(models.length, BILLBOARD_STUDY_ROWS.length);
      for (const m of models) {
        assertEquals(
          await Deno.readTextFile(join(out, "models", m)),
          await Deno.readTextFile(join(REPO_ROOT, "models", m)),
          `models/${m} differs from the committed file`,
        );
      }
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
