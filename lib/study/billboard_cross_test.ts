import { assert, assertAlmostEquals, assertEquals, assertRejects } from "@std/assert";
import { beatlesBassChroma, crossDatasetScores } from "./billboard_cross.ts";
import { loadModel } from "../chords/mod.ts";
import { loadMetadata, loadSong, loadSplits } from "./data.ts";
import { sharedAudioStatus } from "./paths.ts";
import { SONGS } from "./report.ts";

const AUDIO = sharedAudioStatus();
if (!AUDIO.present) console.log(`billboard_cross_test.ts: ${AUDIO.message}`);
const CNN = "models/billboard-cnn-check-strong-bce.json";

Deno.test("crossDatasetScores: the course's BCE model finds its Table 4.1 F1 (108 of 138 frames)", async () => {
  const [row] = await crossDatasetScores([await loadModel("beatles-dchord-bce")]);
  assertAlmostEquals(row.letItBeF1, (100 * 108) / 138, 1e-9);
  // HMM smoothing helps on whole songs (frame-wise flicker costs segmentation and WCSR)
  if (!(row.beatles.viterbi.majmin > row.beatles.frame.majmin)) throw new Error("no gain");
});

Deno.test("crossDatasetScores: treble-only models read no audio", async () => {
  const model = await loadModel("beatles-dchord-bce");
  const [row] = await crossDatasetScores([model], { audioDir: "/nonexistent/fmp-c5" });
  assert(Number.isFinite(row.letItBeF1));
});

Deno.test("crossDatasetScores: a bass+treble model without the audio is an error naming the path", async () => {
  const cnn = await loadModel(CNN);
  assertEquals(cnn.features.chroma, "bass+treble");
  await assertRejects(
    () => crossDatasetScores([cnn], { audioDir: "/nonexistent/fmp-c5" }),
    Error,
    "/nonexistent/fmp-c5",
  );
});

Deno.test({
  name:
    "beatlesBassChroma: as many bass frames as data/chroma's treble frames, treble as committed; the Billboard CNN on the Beatles, well above chance",
  ignore: !AUDIO.present,
  async fn() {
    const metadata = await loadMetadata();
    const { bass, trebleMaxAbsDifference } = await beatlesBassChroma({ metadata });
    console.log(`largest |treble of featuresFromAudio - data/chroma|: ${trebleMaxAbsDifference}`);
    // data/chroma keeps 6 significant digits of values below 1
    assert(trebleMaxAbsDifference <= 5e-7 * (1 + 1e-9), String(trebleMaxAbsDifference));
    assertEquals(Object.keys(bass).sort(), SONGS.map((s) => s.id).sort());
    for (const info of SONGS) {
      const treble = (await loadSong(info.id, { metadata })).chroma;
      assertEquals(bass[info.id].length, treble.length, info.id);
      for (const frame of bass[info.id]) {
        assertEquals(frame.length, 12);
        assert(frame.every((v) => Number.isFinite(v) && v >= 0), info.id);
      }
    }
    // the excerpt's trimmed 138 frames lie inside its bass frames
    const { test } = await loadSplits();
    assertEquals(test.chroma.length, 138);
    assert(test.start + test.chroma.length <= bass["LetItBe-mm1-4"].length);

    // the CNN with that bass (decoded once, here)
    const course = await loadModel("beatles-dchord-bce");
    const [cnn, courseRow] = await crossDatasetScores([await loadModel(CNN), course], { bass });
    console.log(
      `${cnn.model}: Let It Be F1 ${cnn.letItBeF1.toFixed(1)} %, Beatles majmin WCSR ` +
        `${cnn.beatles.frame.majmin.toFixed(1)} % frame-wise, ` +
        `${cnn.beatles.viterbi.majmin.toFixed(1)} % Viterbi; N off: ` +
        `${cnn.beatlesWithoutN?.frame.majmin.toFixed(1)} / ` +
        `${cnn.beatlesWithoutN?.viterbi.majmin.toFixed(1)} %`,
    );
    const scores = [cnn.beatles, cnn.beatlesWithoutN!].flatMap((b) =>
      Object.values(b).flatMap((s) => [s.root, s.majmin, s.mirex])
    );
    assert([cnn.letItBeF1, ...scores].every(Number.isFinite), JSON.stringify(cnn));
    // chance on 24 chords is about 4 %
    assert(cnn.letItBeF1 > 40, `Let It Be F1 ${cnn.letItBeF1}`);
    // a treble-only model in the same call scores as it does alone
    assertEquals(courseRow, (await crossDatasetScores([course]))[0]);
  },
});
