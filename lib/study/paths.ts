/**
 * Where the reproduction's files are, spelled once: the repository root (found from this
 * module's own URL, so it works from any working directory), `data/`, `results/`, and the shared
 * FMP C5 audio folder beside the repository (`../shared/data/fmp-c5`, or `$FMP_C5_DIR`), which
 * is never committed.
 *
 * Used by every module of lib/study, by tools/ and by the audio tests; the notebooks reach it
 * through `loadSplits` (notebooks/03_dataset_padding.ipynb).
 *
 * @example
 * ```ts
 * import { DATA_DIR, REPO_ROOT } from "./paths.ts";
 * DATA_DIR.startsWith(REPO_ROOT); // true
 * ```
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Root of the repository (the folder holding `deno.json` and `lib/`), without a trailing slash.
 * When the library is loaded from a remote URL (a package registry) there is no repository: the
 * root is then `.` (the current working directory).
 *
 * @example
 * ```ts
 * import { REPO_ROOT } from "./paths.ts";
 * Deno.statSync(`${REPO_ROOT}/deno.json`).isFile; // true
 * ```
 */
export const REPO_ROOT: string = import.meta.url.startsWith("file:")
  ? dirname(dirname(dirname(fileURLToPath(import.meta.url))))
  : ".";

/**
 * The data directory `data/` of the repository (chroma CSVs, annotations, metadata).
 *
 * @example
 * ```ts
 * import { DATA_DIR } from "./paths.ts";
 * DATA_DIR.endsWith("data"); // true
 * ```
 */
export const DATA_DIR: string = join(REPO_ROOT, "data");

/**
 * The results directory `results/` of the repository (tables, curves, caches).
 *
 * @example
 * ```ts
 * import { RESULTS_DIR } from "./paths.ts";
 * RESULTS_DIR.endsWith("results"); // true
 * ```
 */
export const RESULTS_DIR: string = join(REPO_ROOT, "results");

/**
 * The folder of the FMP C5 audio files (not redistributed): `$FMP_C5_DIR` when set, otherwise
 * `../shared/data/fmp-c5` relative to the repository root, i.e. a `shared/` folder beside the
 * repository (as on the build machine and in CI). Returns the path whether or not it exists;
 * see {@linkcode sharedAudioStatus}.
 *
 * @example
 * ```ts
 * import { sharedAudioDir } from "./paths.ts";
 * sharedAudioDir().endsWith("fmp-c5"); // true unless FMP_C5_DIR says otherwise
 * ```
 */
export function sharedAudioDir(): string {
  let env: string | undefined;
  try {
    env = Deno.env.get("FMP_C5_DIR");
  } catch { /* no env permission: use the default */ }
  return env && env.length > 0 ? env : join(dirname(REPO_ROOT), "shared", "data", "fmp-c5");
}

/**
 * Whether the shared audio folder ({@linkcode sharedAudioDir}) exists, with a sentence saying
 * where it was looked for (for tests that need the audio: they print it and are ignored, never
 * silently passed, when it is absent).
 *
 * @example
 * ```ts
 * import { sharedAudioStatus } from "./paths.ts";
 * const { present, message } = sharedAudioStatus();
 * if (!present) console.log(message);
 * ```
 */
export function sharedAudioStatus(): { present: boolean; dir: string; message: string } {
  const dir = sharedAudioDir();
  let present = false;
  try {
    present = Deno.statSync(dir).isDirectory;
  } catch { /* absent or not readable */ }
  return {
    present,
    dir,
    message: present
      ? `FMP C5 audio found in ${dir}`
      : `FMP C5 audio not found in ${dir} (put the FMP C5 files in ../shared/data/fmp-c5 ` +
        "beside the repository or set FMP_C5_DIR); the tests that decode audio are ignored",
  };
}
