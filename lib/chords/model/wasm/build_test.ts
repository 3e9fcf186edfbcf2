import { assert, assertEquals } from "@std/assert";
import { buildWasm, clangStatus, embedModule, KERNELS } from "../../../../tools/build_wasm.ts";
import { CNN_WASM_BASE64 } from "./cnn_wasm.ts";

const ROOT = new URL("../../../../", import.meta.url);
const CNN = KERNELS.find((k) => k.source === "lib/chords/model/wasm/cnn.c")!;

Deno.test("the embedded base64 is the committed cnn.wasm", async () => {
  assert(CNN !== undefined, "tools/build_wasm.ts builds lib/chords/model/wasm/cnn.c");
  const bytes = await Deno.readFile(new URL(CNN.wasm, ROOT));
  const decoded = Uint8Array.from(atob(CNN_WASM_BASE64), (c) => c.charCodeAt(0));
  assertEquals(decoded, bytes);
  assertEquals(await Deno.readTextFile(new URL(CNN.embed, ROOT)), embedModule(bytes, CNN));
});

const status = await clangStatus();
if (!status.ok) {
  console.log(
    `SKIPPED: the committed-wasm-equals-fresh-build test needs clang and lld (${status.reason})`,
  );
}

Deno.test({
  name: "the committed cnn.wasm equals a fresh build of cnn.c",
  ignore: !status.ok,
  fn: async () => {
    const fresh = await buildWasm(CNN);
    const committed = await Deno.readFile(new URL(CNN.wasm, ROOT));
    assert(
      fresh.length === committed.length && fresh.every((b, i) => b === committed[i]),
      `${CNN.wasm} differs from a fresh build with ${
        status.ok ? status.version : "clang"
      } (${fresh.length} vs ${committed.length} bytes): run \`deno run -A tools/build_wasm.ts\``,
    );
  },
});
