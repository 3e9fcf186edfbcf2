/**
 * The docs of every package of `lib/` tell the truth (issue 18):
 *
 * - every "Used in …" claim in the JSDoc of a symbol names notebooks (as
 *   `notebooks/X.ipynb`, as numbers, "notebooks 01, 04 and 05" or "notebooks 01-05", or as
 *   "every notebook") whose code cells name that symbol (a module doc: one of the module's
 *   exports);
 * - a claim "Used in notebooks/X.ipynb (through `Y`)" (or `{@linkcode Y}`) is true when the
 *   notebook's code names `Y` and the file of `lib/` that exports `Y` names the symbol (or, for
 *   a module doc, one of the module's exports): a use one call away. A claim through anything
 *   else ("through the trainers", a tool, a data file) is refused: the test cannot follow it;
 *   say "Used by …" without naming a notebook instead;
 * - every file a comment names (`*.ts`, `*.ipynb`, `*.c`, `*.wasm`, `*.json`, `*.py`) exists,
 *   relative to the repository, to the commenting file's folder, or by that name somewhere in
 *   the repository (file names inside code examples and paths that begin with `/`, the tails
 *   of template strings, are not claims).
 */
import { assert } from "@std/assert";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Every `.ts` file of `lib/` but the tests, relative to the repository. */
export async function libFiles(path = "lib"): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(join(ROOT, path))) {
    const p = `${path}/${e.name}`;
    if (e.isDirectory) out.push(...await libFiles(p));
    else if (p.endsWith(".ts") && !p.endsWith("_test.ts")) out.push(p);
  }
  return out.sort();
}

/** The code cells of every notebook, by file name. */
export async function notebookCode(): Promise<Map<string, string>> {
  const code = new Map<string, string>();
  for await (const e of Deno.readDir(join(ROOT, "notebooks"))) {
    if (!e.name.endsWith(".ipynb")) continue;
    const nb = JSON.parse(await Deno.readTextFile(join(ROOT, "notebooks", e.name)));
    code.set(
      e.name,
      nb.cells
        .filter((c: { cell_type: string }) => c.cell_type === "code")
        .map((c: { source: string | string[] }) => [c.source].flat().join(""))
        .join("\n"),
    );
  }
  return code;
}

/** Every file of the repository by name (for comments that name a file without its folder). */
async function allNames(): Promise<Set<string>> {
  const names = new Set<string>();
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.name === "node_modules" || e.name.startsWith(".")) continue;
      if (e.isDirectory) await walk(join(dir, e.name));
      else names.add(e.name);
    }
  };
  await walk(ROOT);
  return names;
}

/**
 * The names the module `file` exports: its declarations, `export { … }` lists and, followed,
 * the exports of the modules it re-exports with `export * from`.
 */
export function exportsOfFile(file: string, texts: Map<string, string>): string[] {
  const text = texts.get(file);
  if (text === undefined) return [];
  const names = exportsOf(text);
  for (const m of text.matchAll(/^export\s+\*\s+from\s+"(\.[^"]+)"/gm)) {
    names.push(...exportsOfFile(join(dirname(file), m[1]), texts));
  }
  return names;
}

/** The names a module's text exports (declarations and `export { … }` lists). */
export function exportsOf(text: string): string[] {
  const names = [
    ...text.matchAll(
      /^export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|class|const|let|var|type|interface|enum)\s+(\w+)/gm,
    ),
  ].map((m) => m[1]);
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}/gm)) {
    for (const part of m[1].split(",")) {
      const name = part.trim().replace(/^type\s+/, "").split(/\s+as\s+/).pop()?.trim();
      if (name) names.push(name);
    }
  }
  return names;
}

/** A "Used in …" sentence of a doc comment. */
export interface Claim {
  /** The file, relative to the repository. */
  file: string;
  /** The documented symbol; null for the module doc. */
  symbol: string | null;
  /** The sentence. */
  text: string;
  /** The notebooks it names (file names); null when it names none. */
  notebooks: string[] | null;
  /** The symbol of "(through `Y`)", "" for another "through", null without one. */
  through: string | null;
}

function named(code: string, name: string): boolean {
  return new RegExp(`\\b${name}\\b`).test(code);
}

/** The notebooks a claim names, resolved against the notebooks there are. */
function notebooksOf(text: string, all: string[]): string[] | null {
  const found = new Set<string>();
  for (const m of text.matchAll(/notebooks\/([\w.-]+\.ipynb)/g)) found.add(m[1]);
  if (/\bevery notebook\b/.test(text)) all.forEach((n) => found.add(n));
  const numbered = text.split("(")[0].match(
    /\bnotebooks? ((?:\d\d(?:\s*[-–]\s*\d\d)?(?:,\s*|\s+and\s+)?)+)/,
  );
  if (numbered) {
    for (const m of numbered[1].matchAll(/(\d\d)(?:\s*[-–]\s*(\d\d))?/g)) {
      const lo = Number(m[1]), hi = Number(m[2] ?? m[1]);
      for (let k = lo; k <= hi; k++) {
        const name = all.find((n) => n.startsWith(String(k).padStart(2, "0") + "_"));
        found.add(name ?? `${String(k).padStart(2, "0")}_(no such notebook).ipynb`);
      }
    }
  }
  return found.size === 0 ? null : [...found];
}

/** The "Used in …" claims of a file. */
export function claimsOf(file: string, text: string, all: string[]): Claim[] {
  const claims: Claim[] = [];
  for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\/\s*\n([^\n]*)/g)) {
    const doc = m[1].replace(/```[\s\S]*?```/g, "").replace(/\n\s*\* ?/g, " ");
    const isModule = /@module/.test(m[1]);
    const next = m[2].match(
      /^\s*(?:export\s+)?(?:declare\s+)?(?:async\s+)?(?:function\*?|class|const|let|interface|type)?\s*(\w+)/,
    );
    for (const used of doc.matchAll(/Used in (.*?)(?:\.\s|\.$|$)/g)) {
      const sentence = used[0].trim();
      const via = sentence.match(/\(through (?:`(\w+)`|\{@linkcode (\w+)\})\)/);
      claims.push({
        file,
        symbol: isModule ? null : next?.[1] ?? null,
        text: sentence,
        notebooks: notebooksOf(used[1], all),
        through: via ? via[1] ?? via[2] : /through/.test(sentence) ? "" : null,
      });
    }
  }
  return claims;
}

/** What is wrong with a claim ([] when it is true). */
export function checkClaim(
  claim: Claim,
  texts: Map<string, string>,
  code: Map<string, string>,
): string[] {
  const { file } = claim;
  const problems: string[] = [];
  const names = claim.symbol === null ? exportsOfFile(file, texts) : [claim.symbol];
  const what = claim.symbol ?? "the module";
  if (claim.notebooks === null) return [`${file}: "${claim.text}" names no notebook`];
  if (claim.through === "") {
    return [`${file}: "${claim.text}" claims a use through something the test cannot follow`];
  }
  let via: string[] | null = null;
  if (claim.through !== null) {
    const y = claim.through;
    // the file that declares Y (not one that re-exports it)
    const declares = new RegExp(
      `^export\\s+(?:declare\\s+)?(?:async\\s+)?(?:function\\*?|class|const|let|var)\\s+${y}\\b`,
      "m",
    );
    const home = [...texts].find(([, t]) => declares.test(t));
    if (home === undefined) return [`${file}: "${claim.text}": no file of lib/ declares ${y}`];
    if (!names.some((n) => named(home[1], n))) {
      return [`${file}: "${claim.text}": ${home[0]} (which exports ${y}) never names ${what}`];
    }
    via = [y];
  }
  for (const nb of claim.notebooks) {
    const c = code.get(nb);
    if (c === undefined) {
      problems.push(`${file}: ${nb} does not exist`);
    } else if (!(via ?? names).some((n) => named(c, n))) {
      problems.push(
        `${file}: ${what} is said to be used in ${nb}, whose code never names ${
          via?.[0] ?? (claim.symbol ?? "any of its exports")
        }`,
      );
    }
  }
  return problems;
}

Deno.test("every 'Used in notebooks/X' claim in lib/ is true", async () => {
  const code = await notebookCode();
  const texts = new Map<string, string>();
  for (const file of await libFiles()) texts.set(file, await Deno.readTextFile(join(ROOT, file)));
  const problems: string[] = [];
  let count = 0;
  for (const [file, text] of texts) {
    for (const claim of claimsOf(file, text, [...code.keys()].sort())) {
      count++;
      problems.push(...checkClaim(claim, texts, code));
    }
  }
  assert(count > 50, `only ${count} claims found: is the parser broken?`);
  assert(problems.length === 0, `${problems.length} false claims:\n${problems.join("\n")}`);
});

Deno.test("every file a comment in lib/ names exists", async () => {
  const names = await allNames();
  const problems: string[] = [];
  for (const file of await libFiles()) {
    const text = await Deno.readTextFile(join(ROOT, file));
    const comments = [...text.matchAll(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g)]
      .map((m) => m[0].replace(/```[\s\S]*?```/g, ""));
    for (const comment of comments) {
      for (const m of comment.matchAll(/(?<![\w./-])[\w./-]*\w\.(?:ts|ipynb|c|wasm|json|py)\b/g)) {
        const ref = m[0].replace(/^\.\//, "");
        if (ref.startsWith("/")) continue; // the tail of a template string
        const candidates = [join(ROOT, ref), join(ROOT, dirname(file), ref)];
        let found = names.has(ref) && !ref.includes("/");
        for (const c of candidates) {
          try {
            await Deno.stat(c);
            found = true;
          } catch { /* not there */ }
        }
        if (!found) problems.push(`${file}: names ${ref}, which does not exist`);
      }
    }
  }
  assert(problems.length === 0, `${problems.length} missing files:\n${problems.join("\n")}`);
});
