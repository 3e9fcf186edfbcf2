/**
 * The study face and the worker entry load no TensorFlow.js (their module graphs, from
 * `deno info --json`), so experiments run in plain float64 JavaScript and workers start fast.
 */
import { assert, assertEquals } from "@std/assert";
import { join } from "node:path";
import { REPO_ROOT } from "./paths.ts";

async function moduleGraph(entry: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "info",
      "--json",
      `--import-map=${join(REPO_ROOT, "tools", "import_map_offline.json")}`,
      join(REPO_ROOT, entry),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string }[];
  };
  return info.modules.map((m) => m.specifier);
}

for (
  const entry of [
    "lib/study/mod.ts",
    "lib/study/worker.ts",
    "lib/study/billboard_worker.ts",
    "lib/chords/mod.ts",
  ]
) {
  Deno.test(`${entry} loads no TensorFlow.js`, async () => {
    const modules = await moduleGraph(entry);
    assert(modules.length > 3, `${entry}: module graph of ${modules.length} modules`);
    const tf = modules.filter((s) => /tfjs|_tf\.ts$/.test(s));
    assertEquals(tf, [], `${entry} reaches ${tf.join(", ")}`);
  });
}
