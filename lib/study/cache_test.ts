/**
 * Tests of the cache files' integrity hash and of pruning (lib/study/cache.ts, issue 17 items 1
 * and 4): the hash is checked against SHA-256 computed here with Web Crypto, edits are refused
 * naming the file, and only files the library wrote are ever removed.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import { join } from "node:path";
import { isOwnCacheFile, pruneFiles, readCacheFile, sealedJson } from "./cache.ts";
import { treeSnapshot } from "./_testing.ts";

async function sha256(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("sealedJson: the content's JSON text plus the SHA-256 of that text, read back as is", async () => {
  const value = { key: "k", f1: 0.5, std: NaN, list: [1, 2] };
  const text = await sealedJson(value);
  const content = '{"key":"k","f1":0.5,"std":null,"list":[1,2]}';
  assertEquals(text, `${content.slice(0, -1)},"integrity":"sha256-${await sha256(content)}"}\n`);
  assertEquals(await sealedJson({}), `{"integrity":"sha256-${await sha256("{}")}"}\n`);
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "k.json");
    await Deno.writeTextFile(path, text);
    assertEquals(await readCacheFile(path), { key: "k", f1: 0.5, std: null, list: [1, 2] });
    assert(await isOwnCacheFile(path));
    // one digit changed, the hash kept: refused, naming the file
    await Deno.writeTextFile(path, text.replace('"f1":0.5', '"f1":0.9'));
    await assertRejects(() => readCacheFile(path), Error, `${path} does not match its integrity`);
    assertEquals(await isOwnCacheFile(path), null);
    await Deno.writeTextFile(path, content);
    await assertRejects(() => readCacheFile(path), Error, `${path} has no integrity hash`);
    // a link is never read as a cache file
    await Deno.remove(path);
    await Deno.writeTextFile(join(dir, "real.json"), text);
    await Deno.symlink(join(dir, "real.json"), path);
    await assertRejects(() => readCacheFile(path), Error, "is a symbolic link");
    assertEquals(await isOwnCacheFile(path), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("issue 17 item 1: pruneFiles removes only stale files it wrote, never through a link", async () => {
  const root = await Deno.makeTempDir({ prefix: "prune-test-" });
  try {
    const cache = join(root, "cache"), elsewhere = join(root, "elsewhere");
    await Deno.mkdir(cache);
    await Deno.mkdir(elsewhere);
    await Deno.writeTextFile(join(root, "sentinel.txt"), "beside\n");
    await Deno.writeTextFile(join(cache, "stale.json"), await sealedJson({ key: "stale", v: 1 }));
    await Deno.writeTextFile(
      join(cache, "current.json"),
      await sealedJson({ key: "current", v: 2 }),
    );
    await Deno.writeTextFile(join(cache, "notes.json"), '{"v": 1}\n');
    await Deno.writeTextFile(join(cache, "moved.json"), await sealedJson({ key: "other", v: 1 }));
    await Deno.writeTextFile(
      join(elsewhere, "precious.json"),
      await sealedJson({ key: "precious", v: 1 }),
    );
    await Deno.symlink(join(elsewhere, "precious.json"), join(cache, "precious.json"));
    const isCurrent = (v: Record<string, unknown>) => v.v === 2;
    assertEquals(await pruneFiles(cache, isCurrent), {
      removed: ["stale.json"],
      kept: ["moved.json", "notes.json", "precious.json"],
    });
    // the cache folder itself a link to elsewhere: refused
    const before = treeSnapshot(root);
    await Deno.symlink(elsewhere, join(root, "linked"));
    await assertRejects(() => pruneFiles(join(root, "linked"), isCurrent), Error, "symbolic link");
    await Deno.remove(join(root, "linked"));
    assertEquals(treeSnapshot(root), before);
    assertEquals(await pruneFiles(join(root, "missing"), isCurrent), { removed: [], kept: [] });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
