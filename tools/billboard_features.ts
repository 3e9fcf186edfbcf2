/**
 * Prepares the Billboard feature cache (lib/chords/data/billboard_features.ts) for every song
 * of a Billboard-layout folder, so that the first training run does not pay for parsing
 * Chordino's CSV: each song is read with the strict loader and its flat features are written,
 * atomically, to a content-keyed entry in `.cache/billboard/` (or `--cache-dir`). Songs whose
 * entry exists are only read back (and checked). The songs listed in `BILLBOARD_DEFECTS` are
 * left out, and the tool says so.
 *
 * ```sh
 * deno run -A tools/billboard_features.ts                  # ../shared/data/billboard, both rates
 * deno run -A tools/billboard_features.ts --rate pairs --data DIR --cache-dir DIR
 * ```
 *
 * Prints a progress line every 50 songs and one summary line per rate; exits 2 on a usage
 * error (naming the bad argument) and 1 when a song fails (naming its file; entries of other
 * songs already written stay, each complete).
 *
 * @module
 */
import {
  BILLBOARD_DEFECTS,
  billboardCacheDir,
  billboardDir,
  CHORDINO_FRAME_RATE,
  CHORDINO_PAIR_RATE,
  loadBillboardFeatures,
} from "../lib/chords/mod.ts";

const RATES: Record<string, number[]> = {
  native: [CHORDINO_FRAME_RATE],
  pairs: [CHORDINO_PAIR_RATE],
  both: [CHORDINO_FRAME_RATE, CHORDINO_PAIR_RATE],
};

const USAGE = "usage: billboard_features.ts [--rate native|pairs|both] [--data DIR] " +
  "[--cache-dir DIR]";

/**
 * Runs the tool on command-line arguments; returns the exit code (0 done, 1 a song failed,
 * 2 usage error).
 *
 * @example
 * ```ts
 * import { main } from "./billboard_features.ts";
 * await main(["--rate", "pairs", "--cache-dir", await Deno.makeTempDir()]); // 0
 * ```
 */
export async function main(args: string[]): Promise<number> {
  const opts: Record<string, string> = {
    "--rate": "both",
    "--data": billboardDir(),
    "--cache-dir": billboardCacheDir(),
  };
  for (let i = 0; i < args.length; i += 2) {
    if (!(args[i] in opts) || args[i + 1] === undefined || args[i + 1].startsWith("--")) {
      console.error(`billboard_features: bad argument ${JSON.stringify(args[i])}\n${USAGE}`);
      return 2;
    }
    opts[args[i]] = args[i + 1];
  }
  const rates = RATES[opts["--rate"]];
  if (rates === undefined) {
    console.error(`billboard_features: --rate ${JSON.stringify(opts["--rate"])}\n${USAGE}`);
    return 2;
  }
  const exclude = Object.keys(BILLBOARD_DEFECTS);
  for (const id of exclude) console.log(`left out ${id}: ${BILLBOARD_DEFECTS[id]}`);
  for (const frameRate of rates) {
    const t0 = performance.now();
    try {
      const songs = await loadBillboardFeatures(opts["--data"], {
        frameRate,
        exclude,
        cacheDir: opts["--cache-dir"],
        onProgress: (done, total) => {
          if (done % 50 === 0 || done === total) {
            console.log(`${frameRate.toFixed(2)} Hz: ${done}/${total} songs`);
          }
        },
      });
      const frames = songs.reduce((n, s) => n + s.frames, 0);
      const hits = songs.filter((s) => s.cached).length;
      console.log(
        `${frameRate.toFixed(2)} Hz: ${songs.length} songs, ${frames} frames, ${hits} read ` +
          `from the cache, ${songs.length - hits} computed, ` +
          `${((performance.now() - t0) / 1000).toFixed(1)} s, in ${opts["--cache-dir"]}`,
      );
    } catch (e) {
      console.error(`billboard_features: ${(e as Error).message}`);
      return 1;
    }
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
