/**
 * Runs and checks the course notebooks.
 *
 * ```sh
 * deno task notebooks run [NOTEBOOK ...]          # execute in place (all of notebooks/ by default)
 * deno task notebooks check [--repeat N] [NB ...]  # execute copies N times (default 3), keep originals
 * deno task notebooks saved [NOTEBOOK ...]         # check the committed outputs only (no execution)
 * deno task notebooks typecheck [NOTEBOOK ...]     # type-check the code cells only
 * deno task notebooks html [NOTEBOOK ...]          # build the course site in report/, no execution
 * ```
 *
 * A notebook passes when its code cells type-check as one module, it executes top to bottom in
 * a fresh Deno kernel with no error, and every non-empty code cell has at least one output
 * unless its metadata carries the tag `no-output`. A failure names the notebook and the cell.
 *
 * @module
 */
import { basename, dirname, join, relative } from "node:path";
import { makeTempDir, REPO_ROOT, writeFileAtomic } from "../lib/study/mod.ts";
import { buildSite } from "./site/build.ts";

/** The project root (the folder holding deno.json; `REPO_ROOT` of lib/study/paths.ts). */
export const ROOT: string = REPO_ROOT;
/** The notebooks folder. */
export const NOTEBOOK_DIR: string = join(ROOT, "notebooks");
/** The course site's folder (`report/`), written by `deno task report` and `notebooks html`. */
export const REPORT_DIR: string = join(ROOT, "report");

interface Cell {
  cell_type: string;
  id?: string;
  source: string | string[];
  metadata?: { tags?: string[]; execution?: unknown; [key: string]: unknown };
  outputs?: { output_type: string; ename?: string; evalue?: string; data?: unknown }[];
}

interface Notebook {
  cells: Cell[];
  metadata?: Record<string, unknown>;
}

/** Cell metadata keys that only record when or how long a cell ran (never committed). */
const VOLATILE_CELL_METADATA = ["execution", "papermill", "ExecuteTime"];

/**
 * Removes what changes at every execution without the results changing: the execution
 * timestamps nbconvert writes into every code cell's metadata (`execution`: `iopub.*` and
 * `shell.execute_reply` times, and the same from papermill or the ExecuteTime extension). The
 * outputs themselves are deterministic (the plot element ids are derived from the figure, see
 * lib/display), so a re-executed notebook with the same results is byte-identical. Returns the
 * notebook (changed in place).
 *
 * @example
 * ```ts
 * import { stripVolatile } from "./notebooks.ts";
 * const nb = { cells: [{ cell_type: "code", source: "1", metadata: { execution: { "iopub.status.busy": "…" } } }] };
 * stripVolatile(nb).cells[0].metadata; // {}
 * ```
 */
export function stripVolatile<T extends Notebook>(nb: T): T {
  for (const cell of nb.cells) {
    if (!cell.metadata) continue;
    for (const key of VOLATILE_CELL_METADATA) delete cell.metadata[key];
  }
  return nb;
}

/** A problem found in a notebook. */
export class NotebookError extends Error {
  /** @param message what is wrong, naming the notebook and the cell */
  constructor(message: string) {
    super(message);
    this.name = "NotebookError";
  }
}

const source = (cell: Cell) => Array.isArray(cell.source) ? cell.source.join("") : cell.source;

/** All notebooks of `notebooks/`, in course order. */
export async function listNotebooks(): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(NOTEBOOK_DIR)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) names.push(join(NOTEBOOK_DIR, entry.name));
  }
  return names.sort();
}

async function readNotebook(path: string): Promise<Notebook> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new NotebookError(`${rel(path)}: cannot read the notebook (${(e as Error).message})`);
  }
  try {
    return JSON.parse(text) as Notebook;
  } catch (e) {
    throw new NotebookError(`${rel(path)}: not valid notebook JSON (${(e as Error).message})`);
  }
}

const rel = (path: string) => relative(ROOT, path) || path;

/**
 * Checks the saved outputs of a notebook: no error output, and every non-empty code cell not
 * tagged `no-output` has an output. Returns the problems found (empty when all is well).
 */
export function outputProblems(nb: Notebook, name: string): string[] {
  const problems: string[] = [];
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code" || source(cell).trim() === "") return;
    const where = `${name}: cell ${i + 1}${cell.id ? ` (id ${cell.id})` : ""}`;
    const first = source(cell).trim().split("\n")[0].slice(0, 70);
    for (const out of cell.outputs ?? []) {
      if (out.output_type === "error") {
        problems.push(`${where} raised ${out.ename}: ${out.evalue}  [${first}]`);
      }
    }
    const tagged = cell.metadata?.tags?.includes("no-output") ?? false;
    if (!tagged && (cell.outputs ?? []).length === 0) {
      problems.push(`${where} has no output (lost, or the cell shows nothing)  [${first}]`);
    }
  });
  return problems;
}

async function run(cmd: string, args: string[], options: { cwd?: string } = {}) {
  const out = await new Deno.Command(cmd, {
    args,
    cwd: options.cwd ?? ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/**
 * Makes sure Jupyter's nbconvert and the Deno kernel are installed; throws an error naming the
 * command that installs what is missing.
 */
export async function requireJupyter(): Promise<void> {
  const apt = "apt-get update && apt-get install -y jupyter-nbconvert python3-nbclient " +
    "jupyter-client";
  let version;
  try {
    version = await run("jupyter", ["nbconvert", "--version"]);
  } catch {
    throw new NotebookError(`Jupyter is not installed (no 'jupyter' command). Install it: ${apt}`);
  }
  if (version.code !== 0) {
    throw new NotebookError(`Jupyter nbconvert is not installed. Install it: ${apt}`);
  }
  const specs = await run("jupyter", ["kernelspec", "list", "--json"]);
  let names: string[] = [];
  try {
    names = Object.keys(JSON.parse(specs.stdout).kernelspecs ?? {});
  } catch { /* reported below */ }
  if (!names.includes("deno")) {
    throw new NotebookError(
      "The Deno Jupyter kernel is not installed. Install it: deno jupyter --install",
    );
  }
}

/** The first line of the module {@linkcode typecheck} writes (how it knows the file is its own). */
const TYPECHECK_HEADER = "// written by tools/notebooks.ts (typecheck); safe to delete";

/**
 * Removes a type-check module left by an interrupted run, only when it is a regular file that
 * starts with {@linkcode TYPECHECK_HEADER}; anything else at that path is an error naming it.
 */
async function removeOwnTypecheckFile(path: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  const ours = info.isFile && (await Deno.readTextFile(path)).startsWith(TYPECHECK_HEADER);
  if (!ours) {
    throw new NotebookError(
      `${rel(path)} exists and was not written by tools/notebooks.ts: move it away (the type ` +
        "check writes its module there)",
    );
  }
  await Deno.remove(path);
}

/** Type-checks the code cells of a notebook as one TypeScript module. */
export async function typecheck(path: string, importMap?: string): Promise<void> {
  const nb = await readNotebook(path);
  const code = nb.cells.filter((c) => c.cell_type === "code").map((c, i) =>
    `// ---- cell ${i + 1}${c.id ? ` (id ${c.id})` : ""}\n${source(c)}\n`
  ).join("\n");
  // beside the notebook, so that its relative imports resolve (ignored by git: *.nbcheck.ts)
  const tmp = join(dirname(path), `.${basename(path, ".ipynb")}.nbcheck.ts`);
  await removeOwnTypecheckFile(tmp);
  await Deno.writeTextFile(tmp, `${TYPECHECK_HEADER}\n${code}\nexport {};\n`, { createNew: true });
  try {
    const args = ["check", ...(importMap ? [`--import-map=${importMap}`] : []), tmp];
    const res = await run(Deno.execPath(), args);
    if (res.code !== 0) {
      throw new NotebookError(
        `${rel(path)}: code cells do not type-check:\n${
          res.stderr.trim().split("\n").slice(0, 30).join("\n")
        }`,
      );
    }
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
}

/**
 * Executes a notebook in a fresh Deno kernel and writes the executed copy to `output`
 * (the kernel's working directory is the notebook's own folder). Throws naming the notebook
 * and the cell when a cell fails or lost its output.
 */
export async function execute(path: string, output: string): Promise<void> {
  const res = await run("jupyter", [
    "nbconvert",
    "--to",
    "notebook",
    "--execute",
    "--allow-errors",
    "--ExecutePreprocessor.kernel_name=deno",
    "--ExecutePreprocessor.timeout=600",
    "--output-dir",
    dirname(output),
    "--output",
    basename(output),
    path,
  ]);
  if (res.code !== 0) {
    throw new NotebookError(
      `${rel(path)}: nbconvert failed:\n${res.stderr.trim().split("\n").slice(-15).join("\n")}`,
    );
  }
  const problems = outputProblems(await readNotebook(output), rel(path));
  if (problems.length > 0) throw new NotebookError(problems.join("\n"));
}

/** Executes a notebook and, when it passes, replaces the original with the executed copy. */
export async function runInPlace(path: string): Promise<void> {
  const dir = await makeTempDir({ prefix: "nbrun-" });
  try {
    const out = join(dir, basename(path));
    await execute(path, out);
    // Without the execution timestamps, re-running a notebook whose results did not change
    // leaves the file as it was (git status stays clean).
    const executed = stripVolatile(await readNotebook(out));
    // nbconvert writes JSON with its own indentation; store the notebook as `deno fmt` wants it
    // (with the project's deno.json) so that `deno fmt --check` stays clean. The formatted text
    // replaces the notebook in one step (never a half-written or unformatted notebook).
    const child = new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--quiet", "--ext=ipynb", "-"],
      cwd: ROOT,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(JSON.stringify(executed, null, 1) + "\n"));
    await writer.close();
    const fmt = await child.output();
    if (!fmt.success) {
      throw new NotebookError(
        `deno fmt ${basename(path)}: ${new TextDecoder().decode(fmt.stderr)}`,
      );
    }
    await writeFileAtomic(path, new TextDecoder().decode(fmt.stdout));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Executes copies of a notebook `repeat` times in a row; the original stays as it is. */
export async function checkRepeated(path: string, repeat: number): Promise<void> {
  const dir = await makeTempDir({ prefix: "nbcheck-" });
  try {
    for (let k = 1; k <= repeat; k++) {
      try {
        await execute(path, join(dir, basename(path)));
      } catch (e) {
        throw new NotebookError(`run ${k} of ${repeat}: ${(e as Error).message}`);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Builds the course site in `report/` from the given notebooks as they are (no execution): the
 * same site as `deno task report` (tools/site/build.ts, {@linkcode buildSite}), with only these
 * notebooks as chapters. Returns the paths of the pages written (front page, chapters,
 * explorer).
 *
 * @example
 * ```ts
 * import { exportHtml, listNotebooks } from "./notebooks.ts";
 * const pages = await exportHtml(await listNotebooks(), { outDir: await Deno.makeTempDir() });
 * ```
 */
export async function exportHtml(
  paths: string[],
  options: { outDir?: string; log?: (message: string) => void } = {},
): Promise<string[]> {
  const site = await buildSite({
    notebooks: paths,
    outDir: options.outDir ?? REPORT_DIR,
    log: options.log,
  });
  return site.pages.map((p) => join(site.outDir, p.file));
}

const COMMANDS = ["run", "check", "saved", "typecheck", "html"];

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  let repeat = 3;
  const files: string[] = [];
  const usage = (message: string) => {
    console.error(`notebooks: ${message}`);
    console.error(`usage: deno task notebooks ${COMMANDS.join("|")} [--repeat N] [NOTEBOOK ...]`);
    return 2;
  };
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--repeat") {
      const value = rest[++i];
      if (value === undefined) return usage("--repeat needs a value");
      repeat = Number(value);
      if (!Number.isInteger(repeat) || repeat < 1) {
        return usage(`--repeat must be a positive integer, got ${value}`);
      }
    } else if (rest[i].startsWith("--")) return usage(`unknown option ${rest[i]}`);
    else if (!rest[i].endsWith(".ipynb")) return usage(`not a notebook: ${rest[i]}`);
    else files.push(rest[i]);
  }
  if (!COMMANDS.includes(command)) {
    return usage(command === undefined ? "no command" : `unknown command ${command}`);
  }
  const paths = files.length > 0
    ? files.map((f) => f.startsWith("/") ? f : join(Deno.cwd(), f))
    : await listNotebooks();
  if (["run", "check", "html"].includes(command)) await requireJupyter();
  if (command === "html") {
    const written = await exportHtml(paths, { log: (m) => console.log(m) });
    written.forEach((w) => console.log(`wrote ${rel(w)}`));
    return 0;
  }
  let failed = 0;
  for (const path of paths) {
    const t0 = performance.now();
    try {
      if (command === "run" || command === "check" || command === "typecheck") {
        await typecheck(path);
      }
      if (command === "run") await runInPlace(path);
      if (command === "check") await checkRepeated(path, repeat);
      if (command === "saved") {
        const problems = outputProblems(await readNotebook(path), rel(path));
        if (problems.length > 0) throw new NotebookError(problems.join("\n"));
      }
      console.log(`ok    ${rel(path)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      console.log(`FAIL  ${rel(path)}\n${(e as Error).message}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
