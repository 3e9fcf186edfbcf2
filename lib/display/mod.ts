/**
 * Figures and tables for the notebooks: figure builders (`figures.ts`, plain plotly
 * `{ data, layout }` objects), their MIME bundles with deterministic element ids
 * (`bundles.ts`), and the Jupyter transport (`jupyter.ts`: `show`, `showTable`, ...).
 *
 * Used in every notebook of `notebooks/`.
 *
 * @example
 * ```ts
 * import { heatmap, show } from "./mod.ts";
 * await show(heatmap([[0, 1], [1, 0]], { title: "cost matrix C" }));
 * ```
 *
 * @module
 */
export * from "./figures.ts";
export * from "./bundles.ts";
export * from "./jupyter.ts";
export * from "./graph_figure.ts";
