/**
 * Tests of the site builder's folder safety (issue 17, item 2): it refuses, before writing or
 * deleting anything, an output folder that holds files a site build did not write, a folder with
 * a changed page, and a symbolic link. The replacement of an unchanged earlier build is tested
 * by the browser test (tools/site/site_test.ts), which builds the site.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { join } from "node:path";
import { buildSite, checkSiteFolder, MATHJAX_DIR, SITE_MANIFEST } from "./build.ts";
import { runScript, treeSnapshot } from "../../lib/study/_testing.ts";

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
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
    const before = treeSnapshot(root);
    await assertRejects(() => buildSite({ outDir: site }), Error, "nothing was deleted");
    assertEquals(treeSnapshot(root), before);

    // an earlier build (its manifest lists its files) with a page edited since, or a file added
    const page = new TextEncoder().encode("<html>built</html>\n");
    await Deno.remove(site, { recursive: true });
    await Deno.mkdir(site);
    await Deno.writeFile(join(site, "index.html"), page);
    const manifest = { builtBy: "test", files: { "index.html": await sha256(page) } };
    await Deno.writeTextFile(join(site, SITE_MANIFEST), JSON.stringify(manifest));
    await Deno.writeTextFile(join(site, "notes.txt"), "mine\n");
    const withExtra = treeSnapshot(root);
    await assertRejects(() => buildSite({ outDir: site }), Error, "notes.txt");
    assertEquals(treeSnapshot(root), withExtra);
    await Deno.remove(join(site, "notes.txt"));
    await Deno.writeTextFile(join(site, "index.html"), "<html>edited by hand</html>\n");
    const edited = treeSnapshot(root);
    await assertRejects(() => buildSite({ outDir: site }), Error, "index.html");
    assertEquals(treeSnapshot(root), edited);

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
  const r = await runScript(join(import.meta.dirname!, "build.ts"), ["--plotly"]);
  assertEquals(r.code, 2, r.stderr);
  assertEquals(r.stderr.startsWith("site: --plotly needs a file"), true, r.stderr);
});

Deno.test("checkSiteFolder accepts an unchanged earlier build, and one from before the manifest", async () => {
  const root = await Deno.makeTempDir({ prefix: "site-safety-" });
  try {
    const site = join(root, "S");
    await Deno.mkdir(join(site, "mathjax"), { recursive: true });
    const page = new TextEncoder().encode("<html>built</html>\n");
    await Deno.writeFile(join(site, "01_a.html"), page);
    // before the manifest: names a build writes, MathJax's own file
    await Deno.copyFile(join(MATHJAX_DIR, "MathJax.js"), join(site, "mathjax", "MathJax.js"));
    await Deno.writeTextFile(join(site, "site.css"), "body {}\n");
    assertEquals(await checkSiteFolder(site, ["01_a.html"]), 3);
    await assertRejects(() => checkSiteFolder(site, ["01_b.html"]), Error, "01_a.html");
    // a page's download and source (issue 21) belong to it; another notebook's do not
    await Deno.mkdir(join(site, "notebooks"));
    await Deno.writeTextFile(join(site, "notebooks", "01_a.ipynb"), "{}\n");
    assertEquals(await checkSiteFolder(site, ["01_a.html"]), 4);
    await Deno.writeTextFile(join(site, "notebooks", "02_b.ipynb"), "{}\n");
    await assertRejects(() => checkSiteFolder(site, ["01_a.html"]), Error, "notebooks/02_b.ipynb");
    await Deno.remove(join(site, "notebooks"), { recursive: true });
    await Deno.writeTextFile(join(site, "mathjax", "MathJax.js"), "edited\n");
    await assertRejects(() => checkSiteFolder(site, ["01_a.html"]), Error, "mathjax/MathJax.js");
    // with a manifest: exactly its files, unchanged
    await Deno.remove(join(site, "mathjax"), { recursive: true });
    await Deno.remove(join(site, "site.css"));
    const manifest = { files: { "01_a.html": await sha256(page) } };
    await Deno.writeTextFile(join(site, SITE_MANIFEST), JSON.stringify(manifest));
    assertEquals(await checkSiteFolder(site, []), 2);
    await Deno.writeTextFile(join(site, SITE_MANIFEST), "{}");
    await assertRejects(() => checkSiteFolder(site, []), Error, "is not a site build's manifest");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
