/**
 * `deno task test`: every check of the project, in order, with one summary line at the end.
 *
 * 1. formatting (`deno fmt --check`; notebooks by formatting a copy, see
 *    {@linkcode unformattedNotebooks}) and lint (`deno lint`);
 * 2. type-check of `lib/`, `tools/` (with the code of every JSDoc `@example`), of the README's
 *    code and of every notebook's code cells; `deno publish --dry-run` (the package as JSR
 *    would receive it: every face of deno.json's `exports`, no slow types);
 * 3. unit tests (`deno test --parallel lib/ tools/`: test files on both cores, the longest, the
 *    course site's browser test, started first);
 * 4. every notebook executed top to bottom in a fresh kernel three times in a row (two notebooks
 *    at a time), with every output present each time (the output race of the Deno kernel under
 *    nbconvert), and the committed copy executed with outputs.
 *
 * The course site is checked by step 3: `tools/site/site_test.ts` builds it from the committed
 * notebooks into a temporary folder and opens every page in headless Chromium (figures drawn,
 * formulas typeset, links, the explorer's values against Deno's).
 *
 * `jsr:@std/assert` is declared in deno.json for users. Where JSR cannot be reached (as on CI)
 * the checks run with `tools/import_map_offline.json`, which points `@std/assert` at
 * `tools/offline/assert.ts`, the same assertions over `node:assert`; every other import is the
 * same as in deno.json (checked here: the same target, relative paths resolved from each file).
 * Third-party packages are pinned once, in `lib/deps/` (`npm:` specifiers with versions, so the
 * library also works from a script outside the repository); deno.json maps their bare names
 * (`@tensorflow/tfjs`, ...) to those modules for the notebooks and tools. The packages only the
 * tools use (`plotly.js` for the figures, `puppeteer-core` for the browser test) are pinned in
 * deno.json's imports and the offline map.
 *
 * The last line is `N passed, N failed`: unit tests count one each, every other check one each.
 *
 * Options: `--quick` skips step 4; `--repeat N` sets the notebook repetitions (default 3).
 *
 * @module
 */
import { dirname, join } from "node:path";
import {
  checkRepeated,
  listNotebooks,
  outputProblems,
  requireJupyter,
  ROOT,
  typecheck,
} from "./notebooks.ts";

const OFFLINE_MAP = join(ROOT, "tools", "import_map_offline.json");
/** Notebooks executed at the same time in step 4 (this machine and CI have two cores). */
const NOTEBOOK_JOBS = 2;
let passed = 0;
let failed = 0;
const failures: string[] = [];

function record(name: string, ok: boolean, detail = "") {
  if (ok) passed++;
  else {
    failed++;
    failures.push(name);
  }
  console.log(`${ok ? "ok  " : "FAIL"}  ${name}${detail ? `\n${detail}` : ""}`);
}

async function sh(args: string[]): Promise<{ ok: boolean; out: string }> {
  const res = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { ok: res.success, out: dec.decode(res.stdout) + dec.decode(res.stderr) };
}

/** Can `jsr:@std/assert` be resolved here? */
async function jsrReachable(): Promise<boolean> {
  try {
    const res = await fetch("https://jsr.io/@std/assert/meta.json", {
      signal: AbortSignal.timeout(5000),
    });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * A specifier of an import map as an absolute target: relative paths are resolved against the
 * map's folder (deno.json's `./lib/deps/tfjs.ts` and the offline map's `../lib/deps/tfjs.ts`
 * are the same file); `npm:`/`jsr:` specifiers are kept as they are.
 */
function resolveTarget(specifier: string, mapFile: string): string {
  return specifier.startsWith(".") ? join(dirname(mapFile), specifier) : specifier;
}

/** The offline import map must equal deno.json's imports but for `@std/assert`. */
async function checkOfflineMap(): Promise<string> {
  const configFile = join(ROOT, "deno.json");
  const config = JSON.parse(await Deno.readTextFile(configFile));
  const map = JSON.parse(await Deno.readTextFile(OFFLINE_MAP));
  const problems: string[] = [];
  for (const [k, v] of Object.entries(config.imports as Record<string, string>)) {
    if (k === "@std/assert") continue;
    const mapped = map.imports[k];
    if (
      mapped === undefined || resolveTarget(mapped, OFFLINE_MAP) !== resolveTarget(v, configFile)
    ) {
      problems.push(`${k}: deno.json has ${v}, offline map ${mapped}`);
    }
  }
  for (const k of Object.keys(map.imports)) {
    if (!(k in config.imports)) problems.push(`${k}: in the offline map but not in deno.json`);
  }
  return problems.join("\n");
}

/**
 * The notebooks that `deno fmt` would change. `deno fmt --check` of Deno 2.9 reports every
 * .ipynb without a cache entry as unformatted, even when formatting gives the same bytes, so the
 * check formats the notebook's text through standard input (in the project's folder, so its
 * settings apply) and compares: nothing is written.
 */
async function unformattedNotebooks(): Promise<string[]> {
  const problems: string[] = [];
  for (const nb of await listNotebooks()) {
    const text = await Deno.readTextFile(nb);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["fmt", "--quiet", "--ext=ipynb", "-"],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
    const res = await child.output();
    const dec = new TextDecoder();
    if (!res.success || dec.decode(res.stdout) !== text) {
      problems.push(
        `${nb.slice(ROOT.length + 1)}: not as deno fmt writes it (run \`deno fmt ${
          nb.slice(ROOT.length + 1)
        }\`)${res.success ? "" : `\n${dec.decode(res.stderr).trim()}`}`,
      );
    }
  }
  return problems;
}

const args = Deno.args;
const quick = args.includes("--quick");
const repeatIndex = args.indexOf("--repeat");
const repeat = repeatIndex >= 0 ? Number(args[repeatIndex + 1]) : 3;
const unexpected = args.find((a, i) =>
  a !== "--quick" && a !== "--repeat" && !(i > 0 && args[i - 1] === "--repeat")
);
if (unexpected !== undefined || !Number.isInteger(repeat) || repeat < 1) {
  console.error(
    unexpected !== undefined
      ? `check: unexpected argument ${unexpected}`
      : `check: --repeat must be a positive integer, got ${args[repeatIndex + 1]}`,
  );
  console.error("usage: deno task test [--quick] [--repeat N]");
  Deno.exit(2);
}

const online = await jsrReachable();
const mapArgs = online ? [] : [`--import-map=${OFFLINE_MAP}`];
console.log(
  online
    ? "JSR reachable: using deno.json's imports (jsr:@std/assert)"
    : "JSR not reachable: using tools/import_map_offline.json (@std/assert over node:assert)",
);

const mapProblems = await checkOfflineMap();
record("offline import map matches deno.json", mapProblems === "", mapProblems);

// `--ignore` replaces deno.json's fmt.exclude, so it repeats that list and adds notebooks/
const fmtExclude: string[] = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json"))).fmt
  ?.exclude ?? [];
const fmt = await sh(["fmt", "--check", `--ignore=${[...fmtExclude, "notebooks/"].join(",")}`]);
record("deno fmt --check (all but notebooks)", fmt.ok, fmt.ok ? "" : fmt.out.trim());
const unformatted = await unformattedNotebooks();
record(
  "notebooks are stored as deno fmt writes them",
  unformatted.length === 0,
  unformatted.join("\n"),
);
const lint = await sh(["lint"]);
record("deno lint", lint.ok, lint.ok ? "" : lint.out.trim());
// The type checks are independent and each mostly single-threaded: after the first (which also
// fills Deno's type cache: run side by side on a cold cache, two checks raced on the npm types),
// two run at a time (one per core); results are recorded in this order.
type Step = { name: string; run: () => Promise<{ ok: boolean; detail: string }> };
const shStep = (name: string, args: string[], done?: (out: string) => boolean): Step => ({
  name,
  run: async () => {
    const r = await sh(args);
    return { ok: r.ok && (done?.(r.out) ?? true), detail: r.ok ? "" : r.out.trim() };
  },
});
const notebooks = await listNotebooks();
const libCheck = shStep("deno check --doc lib/ tools/ (and every @example)", [
  "check",
  "--doc",
  ...mapArgs,
  "lib/",
  "tools/",
]);
const first = await libCheck.run();
record(libCheck.name, first.ok, first.detail);
const typeChecks: Step[] = [
  shStep("deno check of README.md's code", ["check", "--doc-only", ...mapArgs, "README.md"]),
  // The package as JSR would receive it (deno.json name/version/exports/publish): type-checks
  // every face and refuses slow types. Offline; --allow-dirty so that it also runs on a work in
  // progress.
  shStep(
    "deno publish --dry-run (faces, slow types, publish list)",
    ["publish", "--dry-run", "--allow-dirty"],
    (out) => /Dry run complete/.test(out),
  ),
  ...notebooks.map((nb): Step => ({
    name: `type-check ${nb.slice(ROOT.length + 1)}`,
    run: async () => {
      try {
        await typecheck(nb, online ? undefined : OFFLINE_MAP);
        return { ok: true, detail: "" };
      } catch (e) {
        return { ok: false, detail: (e as Error).message };
      }
    },
  })),
];
const typeResults = await inPool(typeChecks, NOTEBOOK_JOBS, (step) => step.run());
typeChecks.forEach((step, i) => record(step.name, typeResults[i].ok, typeResults[i].detail));

// --parallel: test files run on both cores (each file in its own worker, as many as cores).
// The course site's browser test (about 2 min) is named first so that it starts first: last in
// the folder order, it ran alone on one core at the end (the step took about 30 s longer).
// deno test runs a file named twice once.
const LONGEST_TEST = "tools/site/site_test.ts";
const unit = await sh(["test", "-A", "--parallel", ...mapArgs, LONGEST_TEST, "lib/", "tools/"]);
const summary = unit.out.match(/(ok|FAILED) \| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/);
if (summary) {
  passed += Number(summary[2]);
  failed += Number(summary[3]);
  console.log(`${summary[1] === "ok" ? "ok  " : "FAIL"}  deno test lib/ tools/: ${summary[0]}`);
  if (!unit.ok) {
    console.log(unit.out.split("\n").filter((l) => /FAILED|error|=>/.test(l)).join("\n"));
    failures.push("deno test lib/ tools/");
  }
} else {
  record("deno test lib/ tools/ (no summary line)", false, unit.out.trim());
}

if (!quick) {
  let jupyterOk = true;
  try {
    await requireJupyter();
  } catch (e) {
    jupyterOk = false;
    record("Jupyter and the Deno kernel are installed", false, (e as Error).message);
  }
  if (jupyterOk) {
    // Two notebooks execute at a time (one kernel per core); results are recorded in course order.
    const runs = await inPool(notebooks, NOTEBOOK_JOBS, async (nb) => {
      const t0 = performance.now();
      try {
        await checkRepeated(nb, repeat);
        return { error: "", seconds: (performance.now() - t0) / 1000 };
      } catch (e) {
        return { error: (e as Error).message, seconds: 0 };
      }
    });
    notebooks.forEach((nb, i) => {
      const name = nb.slice(ROOT.length + 1);
      const saved = outputProblems(JSON.parse(Deno.readTextFileSync(nb)), `${name} (committed)`);
      record(`${name} is committed executed, with outputs`, saved.length === 0, saved.join("\n"));
      const { error, seconds } = runs[i];
      record(
        `${name} executes with all outputs, ${repeat} runs${
          error ? "" : ` (${seconds.toFixed(1)} s)`
        }`,
        error === "",
        error,
      );
    });
  }
}

/** Runs `task` on every item, at most `jobs` at a time; the results in the items' order. */
async function inPool<T, R>(items: T[], jobs: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return results;
}

if (failures.length > 0) console.log(`\nfailed: ${failures.join("; ")}`);
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(failed === 0 ? 0 : 1);
