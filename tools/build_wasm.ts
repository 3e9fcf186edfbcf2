/**
 * Rebuilds the WebAssembly kernels ({@linkcode KERNELS}) from their C sources, deterministically,
 * each as a binary (committed) and a TypeScript module with the same bytes in base64 (so that
 * its loader needs no file read or fetch and bundles for browsers):
 *
 * - the soft-DTW kernel: `lib/align/wasm/soft_dtw.c` → `lib/align/wasm/soft_dtw.wasm` and
 *   `lib/align/wasm/kernel_wasm.ts`;
 * - the chord CNN's kernel: `lib/chords/model/wasm/cnn.c` → `lib/chords/model/wasm/cnn.wasm`
 *   and `lib/chords/model/wasm/cnn_wasm.ts`.
 *
 * Needs Debian's `clang` and `lld` (`wasm-ld`); no libc, no other tool. Run
 * `deno run -A tools/build_wasm.ts` (task `build-wasm`) to build and write every kernel, or with
 * `--check` to build into memory and exit with status 1 if any committed file differs from a
 * fresh build.
 *
 * Used by lib/align/_soft_dtw_wasm.ts (the kernel that notebooks/02_gradient_expected_alignment.ipynb
 * times) and lib/chords/model/_cnn_wasm.ts (the CNN that notebooks/08_weak_labels_at_scale.ipynb
 * trains through lib/study/billboard.ts), and by their tests lib/align/wasm/build_test.ts and
 * lib/chords/model/wasm/build_test.ts.
 *
 * @example
 * ```ts
 * import { clangArgs } from "./build_wasm.ts";
 * clangArgs("out.wasm").includes("-msimd128"); // true
 * ```
 *
 * @module
 */

import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { makeTempDir, writeFilesAtomic } from "../lib/study/files.ts";

const ROOT = new URL("../", import.meta.url);

/** One WebAssembly kernel: its C source and the two files built from it. */
export interface WasmKernel {
  /** What it is, in the embedded module's doc: "soft-DTW kernel". */
  title: string;
  /** The C source, relative to the repository root. */
  source: string;
  /** The built binary, relative to the repository root. */
  wasm: string;
  /** The generated module embedding the binary, relative to the repository root. */
  embed: string;
  /** The name of the embedded module's base64 constant. */
  constant: string;
  /** The module that loads it (named in the embedded module's doc). */
  usedBy: string;
}

/**
 * Every kernel this tool builds, all with the same flags ({@linkcode clangArgs}): the soft-DTW
 * kernel first, then the chord CNN's.
 */
export const KERNELS: readonly Readonly<WasmKernel>[] = Object.freeze([
  Object.freeze({
    title: "soft-DTW kernel",
    source: "lib/align/wasm/soft_dtw.c",
    wasm: "lib/align/wasm/soft_dtw.wasm",
    embed: "lib/align/wasm/kernel_wasm.ts",
    constant: "KERNEL_WASM_BASE64",
    usedBy: "lib/align/_soft_dtw_wasm.ts",
  }),
  Object.freeze({
    title: "chord CNN kernel",
    source: "lib/chords/model/wasm/cnn.c",
    wasm: "lib/chords/model/wasm/cnn.wasm",
    embed: "lib/chords/model/wasm/cnn_wasm.ts",
    constant: "CNN_WASM_BASE64",
    usedBy: "lib/chords/model/_cnn_wasm.ts",
  }),
]);

/** The soft-DTW kernel's C source, relative to the repository root. */
export const SOURCE: string = KERNELS[0].source;
/** The soft-DTW kernel's built binary, relative to the repository root. */
export const WASM: string = KERNELS[0].wasm;
/** The generated module embedding the soft-DTW binary, relative to the repository root. */
export const EMBED: string = KERNELS[0].embed;

/**
 * The clang command line (after `clang`) that builds `out` from `source` (default
 * {@linkcode SOURCE}), run in the repository root.
 *
 * @example
 * ```ts
 * import { clangArgs } from "./build_wasm.ts";
 * console.log(["clang", ...clangArgs("/tmp/k.wasm")].join(" "));
 * ```
 */
export function clangArgs(out: string, source: string = SOURCE): string[] {
  return [
    "--target=wasm32",
    "-msimd128",
    "-mbulk-memory",
    "-O3",
    "-nostdlib",
    "-ffreestanding",
    "-g0",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wl,--no-entry",
    "-Wl,--export=__heap_base",
    "-Wl,--strip-all",
    "-Wl,--max-memory=4294967296",
    "-o",
    out,
    source,
  ];
}

/** Whether `clang` (with wasm-ld) can be run; the reason when not. */
export async function clangStatus(): Promise<
  { ok: true; version: string } | { ok: false; reason: string }
> {
  try {
    const out = await new Deno.Command("clang", {
      args: ["--version"],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    if (!out.success) return { ok: false, reason: "clang --version failed" };
    return { ok: true, version: new TextDecoder().decode(out.stdout).split("\n")[0].trim() };
  } catch (e) {
    return { ok: false, reason: `clang is not installed (${e instanceof Error ? e.message : e})` };
  }
}

/**
 * Builds a kernel (default the soft-DTW kernel, `KERNELS[0]`) and returns the binary (does not
 * write the repository files).
 *
 * @example
 * ```ts ignore
 * import { buildWasm, KERNELS } from "./build_wasm.ts";
 * const softDtw = await buildWasm();
 * const cnn = await buildWasm(KERNELS[1]);
 * ```
 */
export async function buildWasm(kernel: Readonly<WasmKernel> = KERNELS[0]): Promise<Uint8Array> {
  const dir = await makeTempDir({ prefix: "build_wasm_" });
  try {
    const out = `${dir}/${basename(kernel.wasm)}`;
    const r = await new Deno.Command("clang", {
      args: clangArgs(out, kernel.source),
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!r.success) {
      throw new Error(`clang failed:\n${new TextDecoder().decode(r.stderr)}`);
    }
    return await Deno.readFile(out);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/**
 * The text of a kernel's embedded module (its `embed`; default the soft-DTW kernel's,
 * {@linkcode EMBED}) for a binary: the base64 string wrapped at 100 columns.
 *
 * @example
 * ```ts
 * import { embedModule, KERNELS } from "./build_wasm.ts";
 * embedModule(new Uint8Array([0, 97, 115, 109])).includes("AGFzbQ"); // true
 * embedModule(new Uint8Array([0, 97, 115, 109]), KERNELS[1]).includes("CNN_WASM_BASE64"); // true
 * ```
 */
export function embedModule(bytes: Uint8Array, kernel: Readonly<WasmKernel> = KERNELS[0]): string {
  const b64 = toBase64(bytes);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 96) lines.push(`  "${b64.slice(i, i + 96)}",`);
  const { source, title, usedBy, constant } = kernel;
  const file = `./${basename(kernel.embed)}`;
  return `// Generated by tools/build_wasm.ts from ${source}; do not edit.
/**
 * The WebAssembly ${title} (${bytes.length} bytes) built from \`${source}\`, embedded as
 * base64 so that it loads in Deno and browsers without a file read. Rebuild with
 * \`deno task build-wasm\`.
 *
 * Used by ${usedBy}.
 *
 * @example
 * \`\`\`ts
 * import { ${constant} } from "${file}";
 * ${constant}.startsWith("AGFzbQ"); // the "\\0asm" magic
 * \`\`\`
 *
 * @module
 */

/** The kernel's bytes in base64. */
export const ${constant}: string = [
${lines.join("\n")}
].join("");
`;
}

if (import.meta.main) {
  const unknown = Deno.args.filter((a) => a !== "--check");
  if (unknown.length > 0) {
    console.error(
      `build_wasm: unexpected argument ${unknown[0]}\nusage: deno task build-wasm [--check]`,
    );
    Deno.exit(2);
  }
  const check = Deno.args.includes("--check");
  const status = await clangStatus();
  if (!status.ok) {
    console.error(`build_wasm: ${status.reason}; install Debian's clang and lld`);
    Deno.exit(2);
  }
  const built = [];
  for (const kernel of KERNELS) {
    const bytes = await buildWasm(kernel);
    built.push({ kernel, bytes, embed: embedModule(bytes, kernel) });
  }
  if (check) {
    let stale = 0;
    for (const { kernel, bytes, embed } of built) {
      const old = await Deno.readFile(new URL(kernel.wasm, ROOT)).catch(() => null);
      const oldEmbed = await Deno.readTextFile(new URL(kernel.embed, ROOT)).catch(() => null);
      const same = old !== null && old.length === bytes.length &&
        old.every((b, i) => b === bytes[i]) && oldEmbed === embed;
      if (!same) {
        stale++;
        console.log(
          `build_wasm: ${kernel.wasm} or ${kernel.embed} differs from a fresh build of ${kernel.source}`,
        );
      }
    }
    console.log(
      stale === 0
        ? `build_wasm: up to date (${KERNELS.length} kernels)`
        : "build_wasm: committed files differ from a fresh build",
    );
    Deno.exit(stale === 0 ? 0 : 1);
  }
  // all files or none (a binary without its embedded copy would disagree with it)
  const files: Record<string, Uint8Array | string> = {};
  for (const { kernel, bytes, embed } of built) {
    files[kernel.wasm] = bytes;
    files[kernel.embed] = embed;
  }
  await writeFilesAtomic(fileURLToPath(ROOT), files);
  for (const { kernel, bytes } of built) {
    console.log(
      `build_wasm: ${kernel.wasm} (${bytes.length} bytes) and ${kernel.embed} written with ${status.version}`,
    );
  }
}
