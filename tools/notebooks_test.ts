import { assertEquals, assertMatch, assertRejects } from "@std/assert";
import { join } from "node:path";
import { outputProblems, stripVolatile, typecheck } from "./notebooks.ts";
import { runScript } from "../lib/study/_testing.ts";

const code = (source: string, outputs: unknown[], tags?: string[]) => ({
  cell_type: "code",
  id: "abc",
  source,
  metadata: tags ? { tags } : {},
  outputs: outputs as { output_type: string }[],
});

Deno.test("outputProblems names the notebook and the cell of an error or a lost output", () => {
  const nb = {
    cells: [
      { cell_type: "markdown", source: "# title" },
      code("await show(fig);", [{ output_type: "display_data", data: {} }]),
      code("await show(other);", []),
      code("import x from 'y';", [], ["no-output"]),
      code("   ", []),
      code("boom()", [{
        output_type: "error",
        ename: "ReferenceError",
        evalue: "boom is not defined",
      }]),
    ],
  };
  const problems = outputProblems(nb, "notebooks/x.ipynb");
  assertEquals(problems.length, 2);
  assertMatch(problems[0], /^notebooks\/x\.ipynb: cell 3 \(id abc\) has no output/);
  assertMatch(problems[1], /^notebooks\/x\.ipynb: cell 6 \(id abc\) raised ReferenceError: boom/);
});

Deno.test("outputProblems accepts a notebook whose every cell shows something", () => {
  const nb = { cells: [code("1 + 1", [{ output_type: "execute_result" }])] };
  assertEquals(outputProblems(nb, "n.ipynb"), []);
});

Deno.test("stripVolatile: notebooks that differ only in execution times become identical", () => {
  const run = (t: string) => ({
    cells: [
      { cell_type: "markdown", source: "# x", metadata: {} },
      {
        cell_type: "code",
        id: "c1",
        source: "1 + 1",
        metadata: {
          tags: ["keep"],
          execution: { "iopub.execute_input": t, "shell.execute_reply": t },
        },
        outputs: [{ output_type: "execute_result", data: { "text/plain": "2" } }],
      },
    ],
    metadata: { kernelspec: { name: "deno" } },
  });
  const a = JSON.stringify(stripVolatile(run("2026-11-25T11:04:09.472000Z")));
  const b = JSON.stringify(stripVolatile(run("2026-11-26T02:00:00.000000Z")));
  assertEquals(a, b);
  assertEquals(JSON.parse(a).cells[1].metadata, { tags: ["keep"] });
});

Deno.test("issue 17 item 10: notebooks and report usage errors name only the bad value and exit 2", async () => {
  const run = (...args: string[]) => runScript(join(import.meta.dirname!, "notebooks.ts"), args);
  const zero = await run("check", "--repeat", "0", "notebooks/00_setup.ipynb");
  assertEquals(zero.code, 2, zero.stderr);
  assertEquals(zero.stderr.split("\n")[0], "notebooks: --repeat must be a positive integer, got 0");
  assertEquals(zero.stderr.includes("00_setup"), false, "the argument list is not echoed");
  for (
    const [args, message] of [
      [["check", "--repeat"], "notebooks: --repeat needs a value"],
      [["run", "--fast"], "notebooks: unknown option --fast"],
      [["fly"], "notebooks: unknown command fly"],
      [["run", "README.md"], "notebooks: not a notebook: README.md"],
    ]
  ) {
    const r = await run(...args);
    assertEquals([r.code, r.stderr.split("\n")[0]], [2, message]);
  }
  const report = await runScript(join(import.meta.dirname!, "report.ts"), ["--fast"]);
  assertEquals([report.code, report.stderr.split("\n")[0]], [2, "report: unknown option --fast"]);
});

Deno.test("typecheck never overwrites or deletes a file it did not write beside the notebook", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nb-typecheck-" });
  try {
    const nb = join(dir, "a.ipynb");
    await Deno.writeTextFile(
      nb,
      JSON.stringify({ cells: [{ cell_type: "code", source: "const x: number = 1;" }] }),
    );
    await Deno.writeTextFile(join(dir, "sentinel.txt"), "mine\n");
    // a file of the user's at the module's path, and a symbolic link there
    await Deno.writeTextFile(join(dir, ".a.nbcheck.ts"), "// my notes\n");
    await assertRejects(() => typecheck(nb), Error, "was not written by tools/notebooks.ts");
    assertEquals(await Deno.readTextFile(join(dir, ".a.nbcheck.ts")), "// my notes\n");
    await Deno.remove(join(dir, ".a.nbcheck.ts"));
    await Deno.symlink(join(dir, "sentinel.txt"), join(dir, ".a.nbcheck.ts"));
    await assertRejects(() => typecheck(nb), Error, "was not written by tools/notebooks.ts");
    assertEquals(await Deno.readTextFile(join(dir, "sentinel.txt")), "mine\n");
    // its own leftover (an interrupted run) is replaced, and removed afterwards
    await Deno.remove(join(dir, ".a.nbcheck.ts"));
    await Deno.writeTextFile(
      join(dir, ".a.nbcheck.ts"),
      "// written by tools/notebooks.ts (typecheck); safe to delete\nconst x = 1;\n",
    );
    await typecheck(nb);
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["a.ipynb", "sentinel.txt"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
