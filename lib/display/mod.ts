/**
 * Figures and tables for the notebooks (plotly MIME bundles and HTML).
 *
 * @module
 */
export * from "./display.ts";
