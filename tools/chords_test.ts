import { assert, assertEquals, assertRejects } from "@std/assert";
import { join } from "node:path";
import { main } from "./chords.ts";
import { billboardPresent } from "../lib/study/_testing.ts";
import {
  billboardDir,
  CHORDINO_PAIR_RATE,
  cnnModel,
  cnnParameters,
  loadBillboardSong,
  MAJMIN_LABELS,
  parseLab,
} from "../lib/chords/mod.ts";

const source = billboardDir();
const present = billboardPresent("tools/chords_test.ts");

async function copySong(id: string, to: string): Promise<void> {
  await Deno.mkdir(join(to, id), { recursive: true });
  for (const f of ["bothchroma.csv.gz", "majmin.lab"]) {
    await Deno.copyFile(join(source, id, f), join(to, id, f));
  }
}

Deno.test({
  name: "deno task chords on a copy of two songs in another folder: one .lab each",
  ignore: !present,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const data = join(dir, "songs"), out = join(dir, "out");
      await copySong("0004", data);
      await copySong("0006", data);
      await main(["--out", out, "--decoding", "frame", data]);
      const written = [...Deno.readDirSync(out)].map((e) => e.name).sort();
      assertEquals(written, ["0004.lab", "0006.lab", "summary.json"]);
      const summary = JSON.parse(await Deno.readTextFile(join(out, "summary.json")));
      assertEquals(Object.keys(summary.recordings), ["0004", "0006"]);
      assertEquals(summary.decoding, "frame");
      // the course's Beatles model on NNLS chroma: far from perfect, far from chance
      assert(
        summary.overall.majmin > 0.3 && summary.overall.majmin < 0.9,
        `${summary.overall.majmin}`,
      );
      for (const id of ["0004", "0006"]) {
        const labs = parseLab(await Deno.readTextFile(join(out, `${id}.lab`)), id);
        assert(labs.length > 10);
        assertEquals(labs[0].start, 0);
        for (const l of labs) assert(/^[A-G]#?:(maj|min)$/.test(l.label), l.label);
      }
      // a second run refuses to replace them, and writes nothing new
      const before = await Deno.readTextFile(join(out, "0004.lab"));
      await assertRejects(() => main(["--out", out, data]), Error, "--overwrite");
      assertEquals(await Deno.readTextFile(join(out, "0004.lab")), before);
      await main(["--out", out, "--overwrite", join(data, "0004")]); // viterbi: smoother
      const smoothed = parseLab(await Deno.readTextFile(join(out, "0004.lab")), "0004");
      assert(smoothed.length < parseLab(before, "0004").length);
      // bad arguments are named, before anything is written
      await assertRejects(
        () => main(["--out", join(dir, "x"), "--decoding", "beam", data]),
        RangeError,
        "--decoding",
      );
      await assertRejects(
        () => main(["--out", join(dir, "x"), data, join(data, "0004")]),
        RangeError,
        "0004.lab",
      );
      await assertRejects(
        () => main(["--out", join(dir, "x"), "--model", "nope", data]),
        Error,
        "nope",
      );
      await assertRejects(() => main(["--out", join(dir, "x"), dir]), Error, "no song folder");
      assertEquals(await Deno.stat(join(dir, "x")).catch(() => null), null);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "deno task chords --model <cnn file>: bass and treble chroma of a Billboard song",
  ignore: !present,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const data = join(dir, "songs"), out = join(dir, "out");
      await copySong("0004", data);
      const model = cnnModel();
      const file = {
        format: 1,
        name: "cnn-untrained",
        kind: "cnn",
        description: "an untrained CNN (seed 1)",
        provenance: "cnnModel().init(1)",
        features: { frameRate: CHORDINO_PAIR_RATE, chroma: "bass+treble" },
        labels: [...MAJMIN_LABELS],
        parameters: cnnParameters(model.architecture, model.init(1)),
        smoothing: { selfTransition: 0.9 },
      };
      const path = join(dir, "cnn.json");
      await Deno.writeTextFile(path, JSON.stringify(file));
      await main(["--model", path, "--decoding", "frame", "--out", out, data]);
      const labs = parseLab(await Deno.readTextFile(join(out, "0004.lab")), "0004");
      assert(labs.length > 5, `${labs.length} intervals`);
      // the frame-wise argmax of the model's own forward pass on the song's bass and treble
      const song = await loadBillboardSong(join(data, "0004"), { frameRate: CHORDINO_PAIR_RATE });
      const flat = (rows: Float64Array[]) => {
        const x = new Float64Array(rows.length * 12);
        rows.forEach((r, n) => x.set(r, n * 12));
        return x;
      };
      const lq = model.forward(model.init(1), {
        treble: flat(song.treble),
        bass: flat(song.bass),
      }).logProbabilities;
      const frameAt = (t: number) => Math.round(t * CHORDINO_PAIR_RATE); // .lab times are rounded
      for (const l of labs.slice(0, -1)) {
        const f = frameAt(l.start), row = lq.subarray(f * 25, f * 25 + 25);
        assertEquals(l.label, MAJMIN_LABELS[row.indexOf(Math.max(...row))]);
      }
      const summary = JSON.parse(await Deno.readTextFile(join(out, "summary.json")));
      assertEquals(summary.model, "cnn-untrained");
      assert(summary.overall.majmin >= 0 && summary.overall.majmin <= 1);
      // a cnn file that reads treble only is refused before anything is written
      await Deno.writeTextFile(
        path,
        JSON.stringify({ ...file, features: { ...file.features, chroma: "treble" } }),
      );
      await assertRejects(
        () => main(["--model", path, "--out", join(dir, "x"), data]),
        SyntaxError,
        "bass and treble",
      );
      assertEquals(await Deno.stat(join(dir, "x")).catch(() => null), null);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
