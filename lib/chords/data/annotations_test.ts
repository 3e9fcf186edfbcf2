/**
 * Tests of lib/chords/data/annotations.ts. Ground truth for the label simplification: FMP's own
 * `*_Chords_simplified.csv` files shipped in data/annotations/, converted with a small
 * test-local table (":min" → "m", flats → sharps) that does not use the code under test.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { frameLabels, parseChordCsv, roundHalfEven, simplifyChordLabel } from "./annotations.ts";
import { CHORD_LABELS, chordIndex, NO_CHORD } from "./labels.ts";
import { join } from "node:path";
import { DATA_DIR } from "../../study/paths.ts";

const ANN_DIR = join(DATA_DIR, "annotations");

/** FMP simplified label → libfmp spelling, independent of the code under test. */
const FLAT_TO_SHARP: Record<string, string> = {
  Db: "C#",
  Eb: "D#",
  Gb: "F#",
  Ab: "G#",
  Bb: "A#",
};
function libfmpSpelling(label: string): string {
  if (label === "N") return "N";
  // FMP writes "A:min" in the song files and "Am" in the excerpt file.
  const minor = label.endsWith(":min") || label.endsWith("m");
  const root = label.endsWith(":min") ? label.slice(0, -4) : minor ? label.slice(0, -1) : label;
  assert(/^[A-G][#b]?$/.test(root), `unexpected FMP simplified label ${label}`);
  return (FLAT_TO_SHARP[root] ?? root) + (minor ? "m" : "");
}

async function readRows(file: string): Promise<[number, number, string][]> {
  const text = await Deno.readTextFile(join(ANN_DIR, file));
  return text.trim().split(/\r?\n/).slice(1).map((line) => {
    const [s, e, l] = line.split(";");
    return [Number(s), Number(e), l.replaceAll('"', "")];
  });
}

Deno.test("simplification agrees with FMP's simplified files on every shipped label", async () => {
  const originals: string[] = [];
  for await (const entry of Deno.readDir(ANN_DIR)) {
    if (entry.name.endsWith("_Chords.csv")) originals.push(entry.name);
  }
  assertEquals(originals.length, 5);
  let checked = 0;
  for (const file of originals) {
    const orig = await readRows(file);
    const simp = await readRows(file.replace("_Chords.csv", "_Chords_simplified.csv"));
    for (const [s, e, label] of orig) {
      // The simplified row covering the middle of the original row (the excerpt's simplified
      // file merges its leading N into the first chord, so compare by time, not by row).
      const mid = (s + e) / 2;
      const match = simp.find(([ss, se]) => ss <= mid && mid < se);
      if (match === undefined) continue; // past the end of the simplified excerpt file
      if (label === "N" && match[2] !== "N") continue; // the merged leading N of the excerpt
      assertEquals(
        simplifyChordLabel(label, { name: file }),
        libfmpSpelling(match[2]),
        `${file}: ${label}`,
      );
      checked++;
    }
  }
  // All 549 annotation rows but the excerpt's leading N (merged into C by FMP's file).
  assertEquals(checked, 548);
});

Deno.test("simplification of hand-picked Harte labels", () => {
  const cases: [string, string][] = [
    ["N", "N"],
    ["C", "C"],
    ["A:min", "Am"],
    ["A:min/b7", "Am"],
    ["Bb", "A#"],
    ["Bb:sus4(9)", "A#"],
    ["Db:maj7", "C#"],
    ["Eb:min7", "D#m"],
    ["Cb", "B"],
    ["B#:min", "Cm"],
    ["D:(1)", "D"],
    ["Am", "Am"],
    ["C#m", "C#m"],
  ];
  for (const [label, expected] of cases) assertEquals(simplifyChordLabel(label), expected, label);
  // every result is one of the 24 labels or N
  for (const [, s] of cases) assert(s === "N" || CHORD_LABELS.includes(s));
});

Deno.test("unknown chord syntax is an error naming the file, line and label", () => {
  for (const bad of ["H:min", "C:foo", "C:min(9", "C/x", "c", "", "X", "C:min)"]) {
    assertThrows(
      () => simplifyChordLabel(bad, { name: "song.csv", line: 7 }),
      Error,
      `song.csv: line 7: unknown chord syntax ${JSON.stringify(bad.trim())}`,
    );
  }
});

Deno.test("parseChordCsv reads the FMP format (quoted labels, semicolons, header)", () => {
  const segs = parseChordCsv('"Start";"End";"Label"\r\n0;1.5;"C"\r\n1.5;3;"A:min/b7"\r\n');
  assertEquals(segs, [
    { start: 0, end: 1.5, label: "C", line: 2 },
    { start: 1.5, end: 3, label: "A:min/b7", line: 3 },
  ]);
});

Deno.test("bad CSV gives errors naming the file, line and column", () => {
  const h = '"Start";"End";"Label"\n';
  const cases: [string, string][] = [
    ['"Start";"Label"\n0;"C"\n', 'a.csv: line 1: missing column "End"'],
    [h + '0;abc;"C"\n', 'a.csv: line 2: End time "abc" is not a number'],
    [h + '0;1;"C"\nx;2;"G"\n', 'a.csv: line 3: Start time "x" is not a number'],
    [h + '0;1;"C"\n;2;"G"\n', "a.csv: line 3: Start time"],
    [h + '1;2;"C"\n0;1;"G"\n', "a.csv: line 3: unsorted times"],
    [h + '0;2;"C"\n1;3;"G"\n', "a.csv: line 3: segment [1, 3) overlaps"],
    [h + '2;1;"C"\n', "a.csv: line 2: end 1 is before start 2"],
    [h + "0;1\n", "a.csv: line 2: expected 3 fields"],
    [h, "a.csv: no annotation rows"],
    ["", "a.csv: empty file"],
  ];
  for (const [text, message] of cases) {
    assertThrows(() => parseChordCsv(text, { name: "a.csv" }), Error, message);
  }
});

Deno.test("roundHalfEven matches numpy.round", () => {
  const cases: [number, number][] = [[0.5, 0], [1.5, 2], [2.5, 2], [3.5, 4], [2.4, 2], [2.6, 3]];
  for (const [x, r] of cases) assertEquals(roundHalfEven(x), r, String(x));
});

Deno.test("frameLabels: libfmp's frame convention, N outside every segment, cut at the end", () => {
  // Fs = 10: [0.34, 0.66) → frames round(3.4)=3 .. round(6.6)-1=6; [0.81, 1.2) → 8..11 cut at 10.
  const segs = parseChordCsv('"Start";"End";"Label"\n0.34;0.66;"G:7"\n0.81;1.2;"E:min"\n');
  const labels = frameLabels(segs, { featureRate: 10, numFrames: 10 });
  const G = chordIndex("G");
  const Em = chordIndex("Em");
  const N = NO_CHORD;
  assertEquals(labels, [N, N, N, G, G, G, G, N, Em, Em]);
  // frame n covers n/Fs ± 1/(2Fs): frame 3 is [0.25, 0.35), its centre 0.3 lies before 0.34,
  // but more than half of it is in the segment; frame 7 = [0.65, 0.75) is mostly a gap.
  assertThrows(
    () => frameLabels(segs, { featureRate: 0, numFrames: 3 }),
    Error,
    "bad feature rate",
  );
  const bad = parseChordCsv('"Start";"End";"Label"\n0;1;"Q"\n', { name: "q.csv" });
  assertThrows(
    () => frameLabels(bad, { featureRate: 10, numFrames: 5, name: "q.csv" }),
    Error,
    "q.csv: line 2",
  );
});
