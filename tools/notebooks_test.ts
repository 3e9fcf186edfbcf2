import { assertEquals, assertMatch } from "@std/assert";
import { outputProblems, stripVolatile } from "./notebooks.ts";

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
