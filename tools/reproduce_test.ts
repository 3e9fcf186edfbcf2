/**
 * Tests of tools/reproduce.ts: `--cached` reproduces the committed results byte for byte (so
 * `deno task reproduce --cached` leaves `git status` clean), written into a temporary folder (a
 * copy), twice; bad options are refused.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import { join } from "node:path";
import { billboardPresent } from "../lib/study/_testing.ts";
import { main } from "./reproduce.ts";
import { runScript } from "../lib/study/_testing.ts";
import {
  BILLBOARD_STUDY_ROWS,
  pruneCache,
  REPO_ROOT,
  RESULTS_DIR,
  sealedJson,
} from "../lib/study/mod.ts";

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

const billboard = billboardPresent("tools/reproduce_test.ts");

Deno.test({
  name:
    "reproduce --cached --only billboard --rows (two rows): their models and table lines as committed, byte for byte",
  ignore: !billboard,
  async fn() {
    // two rows instead of all (evaluating every row's 3 runs takes minutes): the full
    // `--cached` is the same code over every row, run by hand before committing a study
    const rows = ["strong-bce", "two-step-bce"];
    const out = await Deno.makeTempDir({ prefix: "reproduce-billboard-" });
    try {
      await main([
        "--cached",
        "--quiet",
        "--only",
        "billboard",
        "--rows",
        rows.join(","),
        "--out",
        out,
      ]);
      for (const f of ["table.md", "table.csv"]) {
        const committed = new Set(
          (await Deno.readTextFile(join(RESULTS_DIR, "billboard", f))).split("\n"),
        );
        const lines = (await Deno.readTextFile(join(out, "billboard", f))).split("\n");
        assert(lines.length > 4, f);
        for (const line of lines) {
          assert(committed.has(line), `billboard/${f}: line not in the committed file: ${line}`);
        }
      }
      const models = [...Deno.readDirSync(join(out, "models"))].map((e) => e.name).sort();
      assertEquals(models, rows.map((r) => `billboard-dchord-${r}.json`).sort());
      assert(rows.every((r) => BILLBOARD_STUDY_ROWS.includes(r)));
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

/** A temporary folder with a sentinel file; `check` asserts it is byte-identical. */
async function sandbox(): Promise<{ root: string; check: () => void }> {
  const root = await Deno.makeTempDir({ prefix: "reproduce-issue17-" });
  const text = "sentinel: not written by reproduce\n";
  await Deno.writeTextFile(join(root, "sentinel.txt"), text);
  return {
    root,
    check: () => assertEquals(Deno.readTextFileSync(join(root, "sentinel.txt")), text),
  };
}

Deno.test("issue 17 item 1: reproduce never deletes through a symlinked cache/ nor files it did not write", async () => {
  const { root, check } = await sandbox();
  try {
    const elsewhere = join(root, "elsewhere"), results = join(root, "results");
    await Deno.mkdir(elsewhere);
    await Deno.mkdir(results);
    await Deno.writeTextFile(join(elsewhere, "precious.json"), '{"mine": true}\n');
    await Deno.symlink(elsewhere, join(results, "cache"));
    await assertRejects(
      () => main(["--runs", "1", "--only", "table-4-1", "--quiet", "--results-dir", results]),
      Error,
      `${join(results, "cache")} is a symbolic link`,
    );
    assertEquals(await Deno.readTextFile(join(elsewhere, "precious.json")), '{"mine": true}\n');
    // a real cache folder: notes.json (not an experiment file) and a renamed experiment stay
    await Deno.remove(join(results, "cache"));
    await Deno.mkdir(join(results, "cache"));
    await Deno.writeTextFile(join(results, "cache", "notes.json"), "{}\n");
    const committed = [...Deno.readDirSync(join(RESULTS_DIR, "cache"))][0].name;
    await Deno.copyFile(join(RESULTS_DIR, "cache", committed), join(results, "cache", "copy.json"));
    const stale = join(results, "cache", "bce-e300-0000000000000000.json");
    await Deno.writeTextFile(stale, await sealedJson({ key: "bce-e300-0000000000000000" }));
    assertEquals(await pruneCache({ cacheDir: join(results, "cache") }), {
      removed: ["bce-e300-0000000000000000.json"],
      kept: ["copy.json", "notes.json"],
    });
    assertEquals(await Deno.readTextFile(join(results, "cache", "notes.json")), "{}\n");
    check();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("issue 17 item 9: timings.log (or any folder written) is never written through a symlink", async () => {
  const { root, check } = await sandbox();
  try {
    const results = join(root, "results");
    await Deno.mkdir(results);
    await Deno.symlink(join(root, "sentinel.txt"), join(results, "timings.log"));
    await assertRejects(
      () => main(["--runs", "1", "--only", "gamma-sweep", "--quiet", "--results-dir", results]),
      Error,
      `${join(results, "timings.log")} is a symbolic link`,
    );
    await Deno.remove(join(results, "timings.log"));
    await Deno.symlink(root, join(results, "gamma_sweep"));
    await assertRejects(
      () => main(["--cached", "--only", "gamma-sweep", "--quiet", "--results-dir", results]),
      Error,
      "gamma_sweep is a symbolic link",
    );
    check();
    assertEquals([...Deno.readDirSync(root)].map((e) => e.name).sort(), [
      "results",
      "sentinel.txt",
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("issue 17 item 10: usage errors print one clean line and exit 2; other errors exit 1", async () => {
  const run = (...args: string[]) => runScript(join(import.meta.dirname!, "reproduce.ts"), args);
  for (
    const [args, message] of [
      [["--runs", "0"], "reproduce: --runs needs a positive integer, got 0"],
      [["--fast"], "reproduce: unknown option --fast"],
      [["--only", "table-5"], 'reproduce: --only: unknown part "table-5"'],
      [["--out"], "reproduce: --out needs a value"],
    ] as const
  ) {
    const r = await run(...args);
    assertEquals(r.code, 2, r.stderr);
    assertEquals(r.stderr.startsWith(message), true, r.stderr);
    assertEquals(/Uncaught|RangeError|\n\s+at /.test(r.stderr), false, r.stderr);
  }
  const r = await run("--cached", "--quiet", "--data-dir", "/nonexistent-data");
  assertEquals(r.code, 1, r.stderr);
  assertEquals(/^reproduce: .*nonexistent-data/.test(r.stderr), true, r.stderr);
  assertEquals(/Uncaught|\n\s+at /.test(r.stderr), false, r.stderr);
});
