/**
 * The Jupyter transport: shows figures, tables, text and Markdown in a notebook through the
 * Deno kernel (`Deno.jupyter`), as the MIME bundles of `bundles.ts`.
 *
 * Lost outputs: under `jupyter nbconvert` the Deno kernel can report a cell finished before
 * its display messages are sent, and nbconvert then drops them. Every `show*` function here
 * therefore awaits the display and then waits a short flush interval ({@linkcode FLUSH_MS})
 * before it returns; a notebook cell that ends with `await show(...)` keeps its output (checked
 * by `tools/notebooks.ts`, which runs every notebook three times in a row). Outside a kernel
 * the functions print the plain-text representation, so notebook code also runs as a script.
 *
 * Used in every notebook of `notebooks/`.
 *
 * @example
 * ```ts
 * import { show } from "./jupyter.ts";
 * import { heatmap } from "./figures.ts";
 * await show(heatmap([[0, 1], [1, 0]], { title: "cost matrix C" }));
 * ```
 *
 * @module
 */
import type { Figure } from "./figures.ts";
import { figureBundle, type MimeBundle, tableBundle, type TableOptions } from "./bundles.ts";

type Kernel = { display(b: MimeBundle, o: { raw: boolean }): Promise<void> | void };

/** The Deno Jupyter kernel's API, or `undefined` outside `deno jupyter` (where it throws). */
function kernel(): Kernel | undefined {
  try {
    return (Deno as unknown as { jupyter?: Kernel }).jupyter;
  } catch {
    return undefined;
  }
}

/** How long `show*` waits after a display so nbconvert receives it (milliseconds). */
export const FLUSH_MS = 150;

/**
 * Shows a MIME bundle in the notebook and waits until it has been flushed (see the module
 * doc). Outside a Jupyter kernel it prints the bundle's `text/plain` to stdout instead, so
 * notebook code can also run as a script.
 *
 * @example
 * ```ts
 * await display({ "text/plain": "hello", "text/html": "<b>hello</b>" });
 * ```
 */
export async function display(bundle: MimeBundle): Promise<void> {
  const jupyter = kernel();
  if (jupyter) {
    await jupyter.display(bundle, { raw: true });
    await new Promise((resolve) => setTimeout(resolve, FLUSH_MS));
  } else {
    console.log(String(bundle["text/plain"] ?? ""));
  }
}

/**
 * Shows a figure (see {@linkcode figureBundle}).
 *
 * @example
 * ```ts
 * import { lineChart } from "./figures.ts";
 * await show(lineChart([{ y: [1, 2, 3] }]));
 * ```
 */
export async function show(figure: Figure): Promise<void> {
  await display(figureBundle(figure));
}

/**
 * Shows a table given as rows of objects (see {@linkcode tableBundle}).
 *
 * @example
 * ```ts
 * await showTable([{ config: "BCE", f1: 0.775 }], { caption: "Table 4.1", digits: 3 });
 * ```
 */
export async function showTable(
  rows: Record<string, unknown>[],
  options: TableOptions = {},
): Promise<void> {
  await display(tableBundle(rows, options));
}

/**
 * Shows plain text (use it instead of `console.log`, whose output nbconvert can lose).
 *
 * @example
 * ```ts
 * await showText(`DTW = ${(1.5).toFixed(3)}`);
 * ```
 */
export async function showText(text: string): Promise<void> {
  await display({ "text/plain": text });
}

/**
 * Shows Markdown computed in code (e.g. a sentence with computed numbers in it).
 *
 * @example
 * ```ts
 * await showMarkdown(`The best epoch is **${12}**.`);
 * ```
 */
export async function showMarkdown(markdown: string): Promise<void> {
  await display({ "text/markdown": markdown, "text/plain": markdown });
}
