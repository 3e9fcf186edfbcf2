/**
 * Appends cells to notebooks, idempotently: the exercise cells of `tools/site/pending/` (for
 * notebooks that were being rebuilt elsewhere when the exercises were written) go at the end of
 * their notebook. A cell whose `id` the notebook already holds is skipped, so running it twice
 * changes nothing. The notebook is written back as `deno fmt` formats it; execute it afterwards
 * (`NO_COLOR=1 deno task notebooks run notebooks/NN_….ipynb`).
 *
 * ```sh
 * deno run -A tools/site/append_cells.ts                     # every tools/site/pending/NN_*.json
 * deno run -A tools/site/append_cells.ts CELLS.json NOTEBOOK.ipynb
 * ```
 *
 * A pending file is `{ "cells": [nbformat 4.5 cells, each with an id], "patches": [...] }`;
 * `NN_exercises.json` goes to the notebook of notebooks/ whose name starts with `NN_`. A patch
 * `{ id, find, replace }` replaces text in the notebook's code cells (e.g. axis titles of a
 * figure): skipped when its replacement is already there, applied when `find` occurs exactly
 * once, and otherwise an error naming it, before anything is written. Used for notebooks 02 and
 * 06 (their exercises and 02's axis titles, issue 21).
 *
 * @example
 * ```ts
 * import { appendCells } from "./append_cells.ts";
 * const nb = { cells: [{ id: "a", cell_type: "code", source: "" }] };
 * appendCells(nb, [{ id: "a", cell_type: "code", source: "" }, { id: "b", cell_type: "markdown", source: "" }]);
 * // { added: 1, skipped: 1 }; nb.cells has a and b
 * ```
 *
 * @module
 */
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

/** A notebook cell as far as appending needs it. */
export interface Cell {
  /** The cell id (nbformat 4.5). */
  id: string;
  /** "code" or "markdown". */
  cell_type: string;
  /** Anything else. */
  [key: string]: unknown;
}

/**
 * Appends the cells whose id the notebook does not hold yet, in order. Throws a TypeError for a
 * cell without an id or a notebook without a cell list.
 *
 * @example
 * ```ts
 * import { appendCells } from "./append_cells.ts";
 * appendCells({ cells: [] }, [{ id: "x", cell_type: "markdown", source: "hi" }]); // { added: 1, skipped: 0 }
 * ```
 */
export function appendCells(
  notebook: { cells: Cell[] },
  cells: Cell[],
): { added: number; skipped: number } {
  if (!notebook || !Array.isArray(notebook.cells)) {
    throw new TypeError("appendCells: the notebook has no cell list");
  }
  const have = new Set(notebook.cells.map((c) => c.id));
  let added = 0, skipped = 0;
  for (const c of cells) {
    if (typeof c?.id !== "string" || c.id === "") {
      throw new TypeError("appendCells: every cell to append needs an id (nbformat 4.5)");
    }
    if (have.has(c.id)) {
      skipped++;
      continue;
    }
    notebook.cells.push(structuredClone(c));
    have.add(c.id);
    added++;
  }
  return { added, skipped };
}

/** A text replacement in a notebook's code cells. */
export interface Patch {
  /** A name for messages. */
  id: string;
  /** The text to replace (must occur exactly once in the code cells). */
  find: string;
  /** Its replacement. */
  replace: string;
}

const sourceOf = (c: Cell) =>
  Array.isArray(c.source) ? (c.source as string[]).join("") : String(c.source ?? "");

/**
 * Applies patches to a notebook's code cells: a patch whose replacement is already there is
 * skipped, one whose text occurs exactly once is applied; any other is an error naming it (and
 * the notebook is left unchanged).
 *
 * @example
 * ```ts
 * import { applyPatches } from "./append_cells.ts";
 * const nb = { cells: [{ id: "a", cell_type: "code", source: "f(1)" }] };
 * applyPatches(nb, [{ id: "p", find: "f(1)", replace: "f(2)" }]); // { applied: 1, skipped: 0 }
 * ```
 */
export function applyPatches(
  notebook: { cells: Cell[] },
  patches: Patch[],
): { applied: number; skipped: number } {
  const code = notebook.cells.filter((c) => c.cell_type === "code");
  const sources = code.map(sourceOf);
  let applied = 0, skipped = 0;
  for (const p of patches) {
    const count = (t: string) => sources.reduce((n, s) => n + s.split(t).length - 1, 0);
    if (count(p.replace) > 0) {
      skipped++;
      continue;
    }
    if (count(p.find) !== 1) {
      throw new Error(
        `patch ${p.id}: its text occurs ${count(p.find)} times in the code cells (expected ` +
          `once): the notebook changed; apply it by hand`,
      );
    }
    const k = sources.findIndex((s) => s.includes(p.find));
    sources[k] = sources[k].replace(p.find, () => p.replace);
    applied++;
  }
  code.forEach((c, k) => {
    if (sources[k] !== sourceOf(c)) c.source = sources[k].split(/(?<=\n)/);
  });
  return { applied, skipped };
}

/** Appends the cells of a pending file to a notebook file and formats it with `deno fmt`. */
export async function appendFile(
  cellsPath: string,
  notebookPath: string,
): Promise<{ added: number; skipped: number; patched: number }> {
  const pending = JSON.parse(await Deno.readTextFile(cellsPath)) as {
    cells?: Cell[];
    patches?: Patch[];
  };
  if (!Array.isArray(pending.cells)) throw new TypeError(`${cellsPath}: no "cells" list`);
  const nb = JSON.parse(await Deno.readTextFile(notebookPath)) as { cells: Cell[] };
  const patched = applyPatches(nb, pending.patches ?? []).applied;
  const r = { ...appendCells(nb, pending.cells), patched };
  if (r.added > 0 || patched > 0) {
    const tmp = `${notebookPath}.append-tmp`;
    await Deno.writeTextFile(tmp, JSON.stringify(nb, null, 1) + "\n");
    await Deno.rename(tmp, notebookPath);
    const fmt = await new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--quiet", notebookPath],
      stderr: "piped",
    }).output();
    if (!fmt.success) {
      throw new Error(`deno fmt ${notebookPath}: ${new TextDecoder().decode(fmt.stderr)}`);
    }
  }
  return r;
}

if (import.meta.main) {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const pairs: [string, string][] = [];
  if (Deno.args.length > 0) {
    if (Deno.args.length % 2 !== 0) {
      console.error("usage: append_cells.ts [CELLS.json NOTEBOOK.ipynb]...");
      Deno.exit(2);
    }
    for (let i = 0; i < Deno.args.length; i += 2) pairs.push([Deno.args[i], Deno.args[i + 1]]);
  } else {
    const pendingDir = join(root, "tools", "site", "pending");
    const notebooks = [...Deno.readDirSync(join(root, "notebooks"))].map((e) => e.name);
    for (const e of [...Deno.readDirSync(pendingDir)].sort((a, b) => a.name < b.name ? -1 : 1)) {
      const nn = e.name.match(/^(\d\d)_.*\.json$/)?.[1];
      if (!nn) continue;
      const target = notebooks.find((n) => n.startsWith(`${nn}_`) && n.endsWith(".ipynb"));
      if (!target) {
        console.error(`${e.name}: no notebooks/${nn}_*.ipynb`);
        Deno.exit(1);
      }
      pairs.push([join(pendingDir, e.name), join(root, "notebooks", target)]);
    }
  }
  for (const [cells, nb] of pairs) {
    const r = await appendFile(cells, nb);
    console.log(
      `${basename(nb)}: ${r.added} cells appended, ${r.skipped} already there, ` +
        `${r.patched} patches applied`,
    );
  }
}
