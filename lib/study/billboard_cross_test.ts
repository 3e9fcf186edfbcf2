import { assertAlmostEquals } from "@std/assert";
import { crossDatasetScores } from "./billboard_cross.ts";
import { loadModel } from "../chords/mod.ts";

Deno.test("crossDatasetScores: the course's BCE model finds its Table 4.1 F1 (108 of 138 frames)", async () => {
  const [row] = await crossDatasetScores([await loadModel("beatles-dchord-bce")]);
  assertAlmostEquals(row.letItBeF1, (100 * 108) / 138, 1e-9);
  // HMM smoothing helps on whole songs (frame-wise flicker costs segmentation and WCSR)
  if (!(row.beatles.viterbi.majmin > row.beatles.frame.majmin)) throw new Error("no gain");
});
