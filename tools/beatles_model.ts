/**
 * Writes `models/beatles-dchord-bce.json`: the course's dChord trained with BCE on strong labels
 * (the report's Table 4.1 first row, run 1, the weights of its best validation epoch), read from
 * the committed cache in `results/cache/` (nothing is retrained when the cache is there). Its HMM
 * self-transition probability is the maximum-likelihood one of the training songs' frame labels
 * (`estimateSelfTransition`). The file is written atomically.
 *
 * ```sh
 * deno run -A tools/beatles_model.ts            # rewrites models/beatles-dchord-bce.json
 * ```
 *
 * @example
 * ```ts
 * import { beatlesModelFile } from "./beatles_model.ts";
 * const file = await beatlesModelFile();
 * file.kind; // "dchord"
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { HARTE_TRIADS, MODEL_FORMAT, type ModelFile } from "../lib/chords/model/recognizer.ts";
import { estimateSelfTransition } from "../lib/chords/model/viterbi.ts";
import {
  loadMetadata,
  loadSong,
  REPO_ROOT,
  runExperiment,
  SONGS,
  writeFileAtomic,
} from "../lib/study/mod.ts";

/** Name (and file name under `models/`) of the course's BCE model. */
export const BEATLES_MODEL = "beatles-dchord-bce";

/** The content of `models/beatles-dchord-bce.json`, from the cached Table 4.1 BCE experiment. */
export async function beatlesModelFile(): Promise<ModelFile> {
  const result = await runExperiment({ config: { loss: "bce" }, useCache: true, workers: 1 });
  const run1 = result.results.find((r) => r.run === 1);
  if (!run1) throw new Error("the cached BCE experiment has no run 1");
  const metadata = await loadMetadata();
  const labels: number[][] = [];
  for (const song of SONGS.filter((s) => s.split === "train")) {
    labels.push((await loadSong(song.id, { metadata })).labels);
  }
  return {
    format: MODEL_FORMAT,
    name: BEATLES_MODEL,
    kind: "dchord",
    description:
      "dChord (25 parameters: compression θ, major and minor template) trained with BCE on " +
      "strong frame-wise labels of three Beatles songs (the report's Table 4.1, first row)",
    provenance: `results/cache/${result.key}.json, run 1, weights of its best validation epoch ` +
      `(${run1.bestEpoch}); course STFT chroma of data/chroma (22050 Hz, hop 2048); ` +
      "selfTransition: maximum-likelihood estimate from the frame labels of the training songs",
    features: { frameRate: metadata.featureRate, chroma: "treble" },
    labels: [...HARTE_TRIADS],
    parameters: run1.weights,
    smoothing: { selfTransition: estimateSelfTransition(labels) },
  };
}

/** The text written to the model file (2-space JSON and a final newline). */
export function modelFileText(file: ModelFile): string {
  return JSON.stringify(file, null, 2) + "\n";
}

if (import.meta.main) {
  const path = join(REPO_ROOT, "models", `${BEATLES_MODEL}.json`);
  await writeFileAtomic(path, modelFileText(await beatlesModelFile()));
  console.log(`wrote ${path}`);
}
