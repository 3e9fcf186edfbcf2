/**
 * Tests of the site builder's folder safety (issue 17, item 2): it refuses, before writing or
 * deleting anything, an output folder that holds files a site build did not write, a folder with
 * a changed page, and a symbolic link. The replacement of an unchanged earlier build is tested
 * by the browser test (tools/site/site_test.ts), which builds the site.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { join } from "node:path";
import { buildSite, SITE_MANIFEST } from "./build.ts";

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Every file below `dir` with its content (for byte-identical comparisons). */
function snapshot(dir: string, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of Deno.readDirSync(join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isSymlink) out[rel] = `link to ${Deno.readLinkSync(join(dir, rel))}`;
    else if (e.isDirectory) Object.assign(out, snapshot(dir, rel));
    else out[rel] = Deno.readTextFileSync(join(dir, rel));
  }
  return out;
}

Deno.test("issue 17 item 2: the site builder never deletes a folder it did not write", async () => {
  const root = await Deno.makeTempDir({ prefix: "site-safety-" });
  try {
    await Deno.writeTextFile(join(root, "sentinel.txt"), "beside the site\n");
    const site = join(root, "S");
    await Deno.mkdir(join(site, "mathjax"), { recursive: true });
    await Deno.writeTextFile(join(site, "my-page.html"), "hi\n");
    await Deno.writeTextFile(join(site, "app.js"), "x\n");
    await Deno.writeTextFile(join(site, "mathjax", "NOTES.md"), "n\n");
    const before = snapshot(root);
    await assertRejects(() => buildSite({ outDir: site }), Error, "nothing was deleted");
    assertEquals(snapshot(root), before);

    // an earlier build (its manifest lists its files) with a page edited since, or a file added
    const page = new TextEncoder().encode("<html>built</html>\n");
    await Deno.remove(site, { recursive: true });
    await Deno.mkdir(site);
    await Deno.writeFile(join(site, "index.html"), page);
    const manifest = { builtBy: "test", files: { "index.html": await sha256(page) } };
    await Deno.writeTextFile(join(site, SITE_MANIFEST), JSON.stringify(manifest));
    await Deno.writeTextFile(join(site, "notes.txt"), "mine\n");
    const withExtra = snapshot(root);
    await assertRejects(() => buildSite({ outDir: site }), Error, "notes.txt");
    assertEquals(snapshot(root), withExtra);
    await Deno.remove(join(site, "notes.txt"));
    await Deno.writeTextFile(join(site, "index.html"), "<html>edited by hand</html>\n");
    const edited = snapshot(root);
    await assertRejects(() => buildSite({ outDir: site }), Error, "index.html");
    assertEquals(snapshot(root), edited);

    // a symbolic link as the output folder, or inside it
    const link = join(root, "L");
    await Deno.symlink(site, link);
    await assertRejects(() => buildSite({ outDir: link }), Error, "is a symbolic link");
    await Deno.writeFile(join(site, "index.html"), page);
    await Deno.symlink(join(root, "sentinel.txt"), join(site, "plotly.min.js"));
    await assertRejects(() => buildSite({ outDir: site }), Error, "link:plotly.min.js");
    assertEquals(await Deno.readTextFile(join(root, "sentinel.txt")), "beside the site\n");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("site build usage errors exit 2 with one line", async () => {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(import.meta.dirname!, "build.ts"), "--plotly"],
    stderr: "piped",
    stdout: "piped",
  }).output();
  const err = new TextDecoder().decode(r.stderr);
  assertEquals(r.code, 2, err);
  assertEquals(err.startsWith("site: --plotly needs a file"), true, err);
});
