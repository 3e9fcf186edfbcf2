// An inline npm: specifier on purpose: a script that imports the library by path has no
// deno.json, so the version must travel with the import (this is the one place it is pinned).
// deno-lint-ignore-file no-import-prefix
/**
 * PapaParse (CSV), pinned in this one place with its types (the library imports it from here,
 * and `deno.json` maps `papaparse` here for the notebooks and tools).
 *
 * @example
 * ```ts
 * import Papa from "./papaparse.ts";
 * Papa.parse("a,b\n1,2", { header: true }).data; // [{ a: "1", b: "2" }]
 * ```
 *
 * @module
 */
// @ts-types="npm:@types/papaparse@5.3.15"
import Papa from "npm:papaparse@5.4.1";
export default Papa;
