import { assert, assertEquals } from "@std/assert";
import { buildWasm, clangStatus, EMBED, embedModule, WASM } from "../../../tools/build_wasm.ts";
import { KERNEL_WASM_BASE64 } from "./kernel_wasm.ts";

const ROOT = new URL("../../../", import.meta.url);

Deno.test("the embedded base64 is the committed soft_dtw.wasm", async () => {
  const bytes = await Deno.readFile(new URL(WASM, ROOT));
  const decoded = Uint8Array.from(atob(KERNEL_WASM_BASE64), (c) => c.charCodeAt(0));
  assertEquals(decoded, bytes);
  assertEquals(await Deno.readTextFile(new URL(EMBED, ROOT)), embedModule(bytes));
});

const status = await clangStatus();
if (!status.ok) {
  console.log(
    `SKIPPED: the committed-wasm-equals-fresh-build test needs clang and lld (${status.reason})`,
  );
}

Deno.test({
  name: "the committed soft_dtw.wasm equals a fresh build of soft_dtw.c",
  ignore: !status.ok,
  fn: async () => {
    const fresh = await buildWasm();
    const committed = await Deno.readFile(new URL(WASM, ROOT));
    assert(
      fresh.length === committed.length && fresh.every((b, i) => b === committed[i]),
      `lib/align/wasm/soft_dtw.wasm differs from a fresh build with ${
        status.ok ? status.version : "clang"
      } (${fresh.length} vs ${committed.length} bytes): run \`deno run -A tools/build_wasm.ts\``,
    );
  },
});
