import { assertEquals, assertThrows } from "@std/assert";
import { join } from "node:path";
import { appendCells, appendFile, applyPatches } from "./append_cells.ts";
import { notebookSource } from "./pages.ts";

Deno.test("appendCells appends new cells in order and skips those already there", () => {
  const nb = { cells: [{ id: "a", cell_type: "code", source: "1" }] };
  const more = [
    { id: "a", cell_type: "code", source: "changed" },
    { id: "b", cell_type: "markdown", source: "B" },
    { id: "c", cell_type: "code", source: "C" },
  ];
  assertEquals(appendCells(nb, more), { added: 2, skipped: 1 });
  assertEquals(nb.cells.map((c) => [c.id, c.source]), [["a", "1"], ["b", "B"], ["c", "C"]]);
  assertEquals(appendCells(nb, more), { added: 0, skipped: 3 });
  assertThrows(() => appendCells(nb, [{ cell_type: "code" } as never]), TypeError, "needs an id");
});

Deno.test("appendFile leaves a notebook it has nothing to add to byte for byte", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const nbPath = join(dir, "n.ipynb"), cellsPath = join(dir, "c.json");
    const text =
      '{"cells": [{"id": "a", "cell_type": "markdown", "metadata": {}, "source": "x"}]}\n';
    await Deno.writeTextFile(nbPath, text);
    await Deno.writeTextFile(
      cellsPath,
      JSON.stringify({ cells: [{ id: "a", cell_type: "markdown" }] }),
    );
    assertEquals(await appendFile(cellsPath, nbPath), { added: 0, skipped: 1, patched: 0 });
    assertEquals(await Deno.readTextFile(nbPath), text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the exercise cells pending for notebooks 02 and 06 have ids and checker calls", async () => {
  for (const nn of ["02", "06"]) {
    const url = new URL(`./pending/${nn}_exercises.json`, import.meta.url);
    const { cells } = JSON.parse(await Deno.readTextFile(url));
    assertEquals(cells.every((c: { id?: string }) => typeof c.id === "string"), true);
    const code = cells.filter((c: { cell_type: string }) => c.cell_type === "code")
      .map((c: { source: string[] }) => c.source.join("")).join("\n");
    assertEquals(code.includes(`exercises${nn}.check`), true, nn);
  }
});

Deno.test("notebookSource writes a notebook as a percent-format script", () => {
  assertEquals(
    notebookSource({
      cells: [
        { cell_type: "markdown", source: ["# Title\n", "\n", "Text"] },
        { cell_type: "code", source: "const a = 1;\n" },
      ],
    }),
    "// %% [markdown]\n// # Title\n//\n// Text\n\n// %%\nconst a = 1;\n",
  );
});

Deno.test("applyPatches replaces once, skips what is done, refuses what it cannot find", () => {
  const nb = {
    cells: [
      { id: "m", cell_type: "markdown", source: "heatmap(C)" },
      { id: "a", cell_type: "code", source: ["const f = heatmap(C);\n", "show(f);"] },
    ],
  };
  const patch = { id: "titles", find: "heatmap(C)", replace: 'heatmap(C, { xTitle: "n" })' };
  assertEquals(applyPatches(nb, [patch]), { applied: 1, skipped: 0 });
  assertEquals(nb.cells[1].source, ['const f = heatmap(C, { xTitle: "n" });\n', "show(f);"]);
  assertEquals(nb.cells[0].source, "heatmap(C)"); // markdown is not code
  assertEquals(applyPatches(nb, [patch]), { applied: 0, skipped: 1 });
  assertThrows(
    () => applyPatches(nb, [{ id: "gone", find: "nothing like it", replace: "not there either" }]),
    Error,
    "patch gone: its text occurs 0 times",
  );
});

Deno.test("the patches pending for notebook 02 apply to the committed notebook 02 (or are in it)", async () => {
  const root = new URL("../../", import.meta.url);
  const nb = JSON.parse(
    await Deno.readTextFile(new URL("notebooks/02_gradient_expected_alignment.ipynb", root)),
  );
  const { patches } = JSON.parse(
    await Deno.readTextFile(new URL("tools/site/pending/02_exercises.json", root)),
  );
  // applied now, or already applied once the coordinator has run append_cells.ts
  const r = applyPatches(nb, patches);
  assertEquals(r.applied + r.skipped, patches.length);
});
