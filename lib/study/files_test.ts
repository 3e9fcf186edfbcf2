/**
 * Tests of lib/study/files.ts: all-or-nothing writes rolled back on a failed rename, no write
 * through a symbolic link, staging leftovers removed only with their marker, and a temporary
 * folder error that names the folder (issue 17).
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import { join } from "node:path";
import {
  assertNoSymlinks,
  makeTempDir,
  STAGING_MARKER,
  stagingDir,
  writeFilesAtomic,
} from "./files.ts";
import { treeSnapshot } from "./_testing.ts";

Deno.test("writeFilesAtomic: every file or none, across folders, when a rename fails", async () => {
  const root = await Deno.makeTempDir({ prefix: "files-test-" });
  try {
    const dir = join(root, "results");
    await Deno.writeTextFile(join(root, "sentinel.txt"), "beside\n");
    await writeFilesAtomic(dir, { "a.txt": "a1\n", "sub/b.txt": "b1\n" });
    const before = treeSnapshot(root);
    // fail on the last rename: a.txt was already replaced, sub/ then fails
    for (const failing of ["b.txt", "c.txt"]) {
      await assertRejects(
        () =>
          writeFilesAtomic(
            dir,
            { "a.txt": "a2\n", "sub/b.txt": "b2\n", "sub/c.txt": "c2\n" },
            ({ to }) => {
              if (to.endsWith(failing) && to.includes("sub")) throw new Error("disk on fire");
            },
          ),
        Error,
        "nothing was changed: disk on fire",
      );
      assertEquals(treeSnapshot(root), before);
    }
    await writeFilesAtomic(dir, { "a.txt": "a2\n", "sub/b.txt": "b2\n" });
    assertEquals(treeSnapshot(dir), { "a.txt": "a2\n", "sub/b.txt": "b2\n" });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("writeFilesAtomic and assertNoSymlinks never write through a symbolic link", async () => {
  const root = await Deno.makeTempDir({ prefix: "files-test-" });
  try {
    const dir = join(root, "results"), other = join(root, "other");
    await Deno.mkdir(dir);
    await Deno.mkdir(other);
    await Deno.writeTextFile(join(other, "x.txt"), "precious\n");
    await Deno.symlink(other, join(dir, "sub"));
    await Deno.symlink(join(other, "x.txt"), join(dir, "x.txt"));
    const before = treeSnapshot(root);
    await assertRejects(
      () => writeFilesAtomic(dir, { "sub/x.txt": "overwritten\n" }),
      Error,
      `${join(dir, "sub")} is a symbolic link`,
    );
    await assertRejects(
      () => writeFilesAtomic(dir, { "x.txt": "overwritten\n" }),
      Error,
      `${join(dir, "x.txt")} is a symbolic link`,
    );
    await assertRejects(() => writeFilesAtomic(dir, { "../y.txt": "out\n" }), Error, "not inside");
    assertEquals(treeSnapshot(root), before);
    await assertNoSymlinks(dir, join(dir, "new", "deeper", "file.txt"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("stagingDir removes leftovers of crashed runs only when they carry the marker", async () => {
  const target = await Deno.makeTempDir({ prefix: "files-test-" });
  try {
    await Deno.mkdir(join(target, ".staging-crashed"));
    await Deno.writeTextFile(join(target, ".staging-crashed", STAGING_MARKER), "");
    const day = new Date(Date.now() - 24 * 3600 * 1000);
    await Deno.utime(join(target, ".staging-crashed", STAGING_MARKER), day, day);
    // a marked folder of a run going on right now (young marker) is left alone
    await Deno.mkdir(join(target, ".staging-running"));
    await Deno.writeTextFile(join(target, ".staging-running", STAGING_MARKER), "");
    await Deno.mkdir(join(target, ".staging-mine"));
    await Deno.writeTextFile(join(target, ".staging-mine", "notes.txt"), "not a leftover\n");
    const staged = await stagingDir(target);
    try {
      const names = [...Deno.readDirSync(target)].map((e) => e.name);
      assertEquals(
        names.filter((n) => join(target, n) !== staged).sort(),
        [".staging-mine", ".staging-running"],
      );
      assertEquals(
        await Deno.readTextFile(join(target, ".staging-mine", "notes.txt")),
        "not a leftover\n",
      );
      // same file system as the target, so a rename moves the staged files in
      assertEquals((await Deno.stat(staged)).dev, (await Deno.stat(target)).dev);
    } finally {
      await Deno.remove(staged, { recursive: true });
    }
  } finally {
    await Deno.remove(target, { recursive: true });
  }
});

Deno.test("issue 17 item 10: a temporary folder that cannot be made is named", async () => {
  const file = await Deno.makeTempFile();
  try {
    const err = await assertRejects(() => makeTempDir({ dir: `${file}/sub` }), Error);
    assert(
      err.message.startsWith(`cannot create a temporary folder in ${file}/sub (`),
      err.message,
    );
    assert(!err.message.includes("tmpdir"), err.message);
    // the system's temporary folder (TMPDIR) is named too
    const tmpdir = Deno.env.get("TMPDIR");
    Deno.env.set("TMPDIR", `${file}/tmp`);
    try {
      const e = await assertRejects(() => makeTempDir(), Error);
      assert(e.message.startsWith(`cannot create a temporary folder in ${file}/tmp`), e.message);
    } finally {
      if (tmpdir === undefined) Deno.env.delete("TMPDIR");
      else Deno.env.set("TMPDIR", tmpdir);
    }
  } finally {
    await Deno.remove(file);
  }
});
