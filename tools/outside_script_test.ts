/**
 * The library from a script outside the repository: each test writes a script into a fresh
 * temporary folder (no `deno.json` there or above it), imports a face of `lib/` by its absolute
 * path and runs it with a plain `deno run -A script.ts` from that folder, as a user would.
 *
 * Ground truth is independent of the library: the soft-DTW value and expected alignment of a
 * 2 x 3 cost matrix are computed here from its five alignments, listed by hand.
 *
 * @module
 */
import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./notebooks.ts";

const LIB = join(ROOT, "lib");
const url = (file: string) => pathToFileURL(join(LIB, file)).href;

/** Writes `source` as `script.ts` into a new temporary folder and runs it there. */
async function runOutside(source: string): Promise<{ ok: boolean; out: string; err: string }> {
  const dir = await Deno.makeTempDir({ prefix: "diffalign-outside-" });
  try {
    assert(!dir.startsWith(ROOT), `the temporary folder ${dir} is inside the repository`);
    for (let d = dir; d !== dirname(d); d = dirname(d)) {
      for (const config of ["deno.json", "deno.jsonc", "package.json"]) {
        const found = await Deno.stat(join(d, config)).then(() => true, () => false);
        assert(!found, `${join(d, config)} would configure the outside script`);
      }
    }
    await Deno.writeTextFile(join(dir, "script.ts"), source);
    const res = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "script.ts"],
      cwd: dir,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return { ok: res.success, out: dec.decode(res.stdout), err: dec.decode(res.stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

// C = [[0, 1, 2], [3, 1, 0]] (2 x 3) has delannoy(1, 2) = 5 alignments, listed by hand:
const C = [[0, 1, 2], [3, 1, 0]];
const PATHS: [number, number][][] = [
  [[0, 0], [0, 1], [0, 2], [1, 2]], // cost 0 + 1 + 2 + 0 = 3
  [[0, 0], [0, 1], [1, 2]], // 0 + 1 + 0 = 1
  [[0, 0], [0, 1], [1, 1], [1, 2]], // 0 + 1 + 1 + 0 = 2
  [[0, 0], [1, 1], [1, 2]], // 0 + 1 + 0 = 1
  [[0, 0], [1, 0], [1, 1], [1, 2]], // 0 + 3 + 1 + 0 = 4
];

/** `-γ log Σ_A exp(-<A, C>/γ)` and `Σ_A p(A) A` over the hand-listed alignments. */
function byHand(gamma: number): { value: number; grad: number[][] } {
  const costs = PATHS.map((p) => p.reduce((s, [m, n]) => s + C[m][n], 0));
  const w = costs.map((c) => Math.exp(-c / gamma));
  const z = w.reduce((a, b) => a + b, 0);
  const grad = C.map((row) => row.map(() => 0));
  PATHS.forEach((p, i) => p.forEach(([m, n]) => grad[m][n] += w[i] / z));
  return { value: -gamma * Math.log(z), grad };
}

for (const face of ["align/mod.ts", "mod.ts"]) {
  Deno.test(`outside script: importing lib/${face} prints nothing`, async () => {
    const r = await runOutside(`import * as kit from "${url(face)}";\nvoid kit;\n`);
    assert(r.ok, r.err);
    assertEquals(r.out, "", "stdout of a bare import");
    // Loading tfjs would add Deno's warning about its dependency core-js (and a tensor its banner).
    assertEquals(r.err, "", "stderr of a bare import (no tfjs, no warning)");
  });
}

Deno.test("outside script: soft-DTW value and gradient equal the hand-listed alignments", async () => {
  const r = await runOutside(`
import { softDtwValueAndGrad, softDtwValueAndGrad64, toMatrix64 } from "${url("mod.ts")}";
const C = ${JSON.stringify(C)};
const a = softDtwValueAndGrad(C, { gamma: 0.5 });
const b = softDtwValueAndGrad64(toMatrix64(C), { gamma: 0.5 });
console.log(JSON.stringify({ a, b: { value: b.value, grad: Array.from(b.grad.data) } }));
`);
  assert(r.ok, r.err);
  const { a, b } = JSON.parse(r.out);
  const truth = byHand(0.5);
  // -0.5 log(2 e^-2 + e^-4 + e^-6 + e^-8) = 1 - 0.5 log(2 + e^-2 + e^-4 + e^-6) ≈ 0.617
  assertAlmostEquals(
    truth.value,
    1 - 0.5 * Math.log(2 + Math.exp(-2) + Math.exp(-4) + Math.exp(-6)),
  );
  assertAlmostEquals(a.value, truth.value, 1e-12);
  assertAlmostEquals(b.value, truth.value, 1e-12);
  truth.grad.forEach((row, m) =>
    row.forEach((v, n) => {
      assertAlmostEquals(a.grad[m][n], v, 1e-12, `grad[${m}][${n}]`);
      assertAlmostEquals(b.grad[m * 3 + n], v, 1e-12, `typed grad[${m}][${n}]`);
    })
  );
});

Deno.test("outside script: the tfjs face gives the soft-DTW loss and its gradient", async () => {
  // Two prediction frames against three target frames, one feature each: the cost
  // C(m, n) = (x_m - y_n)^2 is 2 x 3, so the same five hand-listed alignments apply.
  const x = [0.5, 2], y = [0, 1.5, 2];
  const cost = x.map((xm) => y.map((yn) => (xm - yn) ** 2));
  const r = await runOutside(`
import { SoftDtwLoss, tf } from "${url("tf.ts")}";
const loss = new SoftDtwLoss({ gamma: 0.5 });
const pred = tf.variable(tf.tensor3d([${JSON.stringify(x.map((v) => [v]))}]));
const target = tf.tensor3d([${JSON.stringify(y.map((v) => [v]))}]);
const { value, grads } = tf.variableGrads(() => loss.call(pred, target));
console.log(JSON.stringify({ value: value.dataSync()[0], grad: Array.from(Object.values(grads)[0].dataSync()) }));
`);
  assert(r.ok, r.err);
  const got = JSON.parse(r.out.trim().split("\n").pop()!);
  // Truth: the hand-listed alignments on this cost, and the chain rule
  // ∂SDTW/∂x_m = Σ_n H(m, n) · 2 (x_m - y_n).
  const costs = PATHS.map((p) => p.reduce((s, [m, n]) => s + cost[m][n], 0));
  const w = costs.map((c) => Math.exp(-c / 0.5));
  const z = w.reduce((a, b) => a + b, 0);
  const H = cost.map((row) => row.map(() => 0));
  PATHS.forEach((p, i) => p.forEach(([m, n]) => H[m][n] += w[i] / z));
  const value = -0.5 * Math.log(z);
  const grad = x.map((xm, m) => y.reduce((s, yn, n) => s + H[m][n] * 2 * (xm - yn), 0));
  assertAlmostEquals(got.value, value, 1e-5); // tfjs holds the cost in float32
  assertAlmostEquals(got.grad[0], grad[0], 1e-5);
  assertAlmostEquals(got.grad[1], grad[1], 1e-5);
});

Deno.test("outside script: the README's soft-DTW loss example runs as written", async () => {
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  const heading = readme.search(/^#+ The soft-DTW loss in TensorFlow\.js$/m);
  const at = heading >= 0 ? heading : readme.search(/^## Reusing the soft-DTW loss$/m);
  assert(at >= 0, "README.md has no section on reusing the soft-DTW loss");
  const block = readme.slice(at).match(/```ts\n([\s\S]*?)```/);
  assert(block, "no ts code block in the README's reusing section");
  // The example imports the library as "./lib/..." (run from the repository root); from any
  // other folder the user writes the path to lib/, as done here. Nothing else is changed.
  const source = block[1].replaceAll('"./lib/', `"${pathToFileURL(LIB).href}/`) +
    '\nconsole.log("README_EXAMPLE_OK");\n';
  const r = await runOutside(source);
  assert(r.ok, `the README example fails outside the repository:\n${r.err}`);
  assert(r.out.includes("README_EXAMPLE_OK"), r.out);
});

Deno.test("root face lib/mod.ts does not load TensorFlow.js (module graph)", async () => {
  for (const face of ["mod.ts", "align/mod.ts"]) {
    const res = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", url(face)],
      cwd: Deno.env.get("TMPDIR") ?? "/tmp",
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(res.success, new TextDecoder().decode(res.stderr));
    const info = JSON.parse(new TextDecoder().decode(res.stdout));
    const specifiers: string[] = [
      ...info.modules.map((m: { specifier: string }) => m.specifier),
      ...Object.keys(info.npmPackages ?? {}),
    ];
    const tf = specifiers.filter((s) => /tensorflow/.test(s));
    const importers = info.modules
      .filter((m: { dependencies?: { specifier: string }[] }) =>
        (m.dependencies ?? []).some((d) => /tfjs|tensorflow/.test(d.specifier))
      )
      .map((m: { specifier: string }) => m.specifier.replace(pathToFileURL(ROOT).href, "."));
    assertEquals(tf, [], `lib/${face} loads tfjs through ${importers.join(", ")}`);
  }
});
