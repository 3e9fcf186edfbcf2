/**
 * Tests of tools/billboard_features.ts on a synthetic two-song dataset in a temporary folder
 * (removed afterwards): entries written per rate, read back on a second run, usage and data
 * errors as exit codes.
 */
import { assertEquals } from "@std/assert";
import { join } from "node:path";
import { main } from "./billboard_features.ts";

const HOP = 2048 / 44100;
const csv = (frames: number) =>
  Array.from(
    { length: frames },
    (_, i) => `${i === 0 ? '"a.wav"' : ""},${(i * HOP).toFixed(9)},${"0.5,".repeat(23)}1`,
  ).join("\n") + "\n";

async function count(dir: string): Promise<number> {
  let n = 0;
  for await (const _ of Deno.readDir(dir)) n++;
  return n;
}

Deno.test("billboard_features: fills the cache for both rates, then reads it back", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "billboard_features_tool_" });
  const log = console.log, error = console.error;
  const lines: string[] = [];
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  console.error = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    const data = join(tmp, "data"), cache = join(tmp, "cache");
    for (const id of ["0001", "0002"]) {
      await Deno.mkdir(join(data, id), { recursive: true });
      await Deno.writeTextFile(join(data, id, "bothchroma.csv"), csv(7));
      await Deno.writeTextFile(join(data, id, "majmin.lab"), "0\t0.3\tC:maj\n");
    }
    const args = ["--data", data, "--cache-dir", cache];
    assertEquals(await main(args), 0);
    assertEquals(await count(cache), 4); // 2 songs × 2 rates
    assertEquals(lines.filter((l) => l.includes(": 2 songs, 14 frames")).length, 1);
    assertEquals(await main([...args, "--rate", "pairs"]), 0);
    assertEquals(lines.at(-1)!.includes("2 read from the cache, 0 computed"), true);
    assertEquals(await main([...args, "--rate", "fast"]), 2);
    assertEquals(await main([...args, "--cache"]), 2);
    await Deno.writeTextFile(join(data, "0002", "majmin.lab"), "0\t0.3\tC:major\n");
    assertEquals(await main(args), 1);
    assertEquals(lines.at(-1)!.includes("0002"), true);
    assertEquals(await count(cache), 4); // nothing written for the broken song
  } finally {
    console.log = log;
    console.error = error;
    await Deno.remove(tmp, { recursive: true });
  }
});
