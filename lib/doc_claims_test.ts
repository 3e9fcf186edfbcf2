/**
 * The docs of `lib/align`, `lib/mod.ts` and `lib/tf.ts` tell the truth (issue 18):
 *
 * - every "Used in notebooks/X.ipynb" claim in the JSDoc of a symbol names a notebook whose code
 *   cells mention that symbol (a module doc: one of the module's exports); no claim goes
 *   "through" something else;
 * - every file a comment names (`*.ts`, `*.ipynb`, `*.c`, `*.wasm`, `*.json`, `*.py`) exists,
 *   relative to the repository, to the commenting file's folder, or by that name somewhere in
 *   the repository.
 *
 * The other packages (`chords`, `study`, `display`) can join by adding their folder to `SCOPE`.
 */
import { assert } from "@std/assert";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SCOPE = ["lib/align", "lib/mod.ts", "lib/tf.ts"];

async function* files(path: string): AsyncGenerator<string> {
  const info = await Deno.stat(join(ROOT, path));
  if (info.isFile) {
    yield path;
    return;
  }
  for await (const e of Deno.readDir(join(ROOT, path))) {
    const p = `${path}/${e.name}`;
    if (e.isDirectory) yield* files(p);
    else if (p.endsWith(".ts") && !p.endsWith("_test.ts")) yield p;
  }
}

async function notebookCode(name: string): Promise<string | null> {
  try {
    const nb = JSON.parse(await Deno.readTextFile(join(ROOT, "notebooks", name)));
    return nb.cells
      .filter((c: { cell_type: string }) => c.cell_type === "code")
      .map((c: { source: string | string[] }) => [c.source].flat().join(""))
      .join("\n");
  } catch {
    return null;
  }
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

interface Claim {
  file: string;
  symbol: string | null; // null: the module doc
  notebooks: string[];
  text: string;
}

function claimsOf(file: string, text: string): Claim[] {
  const claims: Claim[] = [];
  for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\/\s*\n([^\n]*)/g)) {
    const doc = m[1].replace(/\n\s*\* ?/g, " ");
    const used = doc.match(/Used in (.*?)(?:\.\s|\.$|$)/);
    if (!used) continue;
    const notebooks = [...used[1].matchAll(/notebooks\/([\w.-]+\.ipynb)/g)].map((n) => n[1]);
    const isModule = /@module/.test(m[1]);
    const next = m[2].match(
      /^\s*(?:export\s+)?(?:declare\s+)?(?:async\s+)?(?:function|class|const|let|interface|type)?\s*(\w+)/,
    );
    claims.push({
      file,
      symbol: isModule ? null : next?.[1] ?? null,
      notebooks,
      text: used[0].trim(),
    });
  }
  return claims;
}

Deno.test("every 'Used in notebooks/X' claim of align, lib/mod.ts and lib/tf.ts is true", async () => {
  const problems: string[] = [];
  let count = 0;
  for (const scope of SCOPE) {
    for await (const file of files(scope)) {
      const text = await Deno.readTextFile(join(ROOT, file));
      for (const claim of claimsOf(file, text)) {
        count++;
        if (/through/.test(claim.text)) {
          problems.push(`${file}: "${claim.text}" claims a use through something else`);
        }
        if (claim.notebooks.length === 0) {
          problems.push(`${file}: "${claim.text}" names no notebook`);
        }
        let names: string[];
        if (claim.symbol === null) {
          names = Object.keys(await import(join(ROOT, file)));
        } else names = [claim.symbol];
        for (const nb of claim.notebooks) {
          const code = await notebookCode(nb);
          if (code === null) {
            problems.push(`${file}: ${nb} does not exist`);
            continue;
          }
          if (!names.some((n) => new RegExp(`\\b${n}\\b`).test(code))) {
            problems.push(
              `${file}: ${
                claim.symbol ?? "the module"
              } is said to be used in ${nb}, whose code never names ${
                claim.symbol ?? "any of its exports"
              }`,
            );
          }
        }
      }
    }
  }
  assert(count > 20, `only ${count} claims found: is the parser broken?`);
  assert(problems.length === 0, `${problems.length} false claims:\n${problems.join("\n")}`);
});

Deno.test("every file a comment of align, lib/mod.ts or lib/tf.ts names exists", async () => {
  const names = await allNames();
  const problems: string[] = [];
  for (const scope of SCOPE) {
    for await (const file of files(scope)) {
      const text = await Deno.readTextFile(join(ROOT, file));
      const comments = [...text.matchAll(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g)].map((m) => m[0]);
      for (const comment of comments) {
        for (const m of comment.matchAll(/[\w./-]*\w\.(?:ts|ipynb|c|wasm|json|py)\b/g)) {
          const ref = m[0].replace(/^\.\//, "");
          if (/^(?:npm|jsr|https?):/.test(ref) || ref.includes("://")) continue;
          const candidates = [join(ROOT, ref), join(ROOT, dirname(file), ref)];
          let found = names.has(ref.split("/").pop()!) && !ref.includes("/");
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
  }
  assert(problems.length === 0, `${problems.length} missing files:\n${problems.join("\n")}`);
});
