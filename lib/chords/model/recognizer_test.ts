import { assertAlmostEquals, assertEquals, assertRejects, assertThrows } from "@std/assert";
import {
  checkModelFile,
  chordIntervals,
  decodeChords,
  DEFAULT_MODEL,
  HARTE_TRIADS,
  loadModel,
  type ModelFile,
  recognizerFromFile,
} from "./recognizer.ts";
import { initialWeights } from "./dchord.ts";
import { cnnModel, type CnnParameters, cnnParameters } from "./cnn.ts";
import { MAJMIN_LABELS } from "../data/harte.ts";
import { mulberry32 } from "../random.ts";
import { loadSplits } from "../../study/data.ts";

function file(over: Partial<ModelFile> = {}): ModelFile {
  return {
    format: 1,
    name: "init",
    kind: "dchord",
    description: "binary triads",
    provenance: "none",
    features: { frameRate: 10, chroma: "treble" },
    labels: [...HARTE_TRIADS],
    parameters: initialWeights(),
    smoothing: { selfTransition: 0.9 },
    ...over,
  };
}

const C_ONLY = Float64Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

Deno.test("a dchord-n recognizer: hand-computed log-probabilities of a single pitch class", () => {
  const m = recognizerFromFile(file({
    kind: "dchord-n",
    labels: [...HARTE_TRIADS, "N"],
    parameters: { ...initialWeights(), noChord: new Array(12).fill(0.25) },
  }));
  assertEquals(m.labels[24], "N");
  // θ = 0: x' = log 2 on C only, normalized to e_C. The six binary triads holding C (C, F, G#
  // major; C, F, A minor) score 1, N scores 0.25, the 18 others 0.
  const z = 6 * Math.E + Math.exp(0.25) + 18;
  const [lp] = m.logProbs({ frameRate: 10, treble: [C_ONLY] });
  for (const label of ["C:maj", "F:maj", "G#:maj", "C:min", "F:min", "A:min"]) {
    assertAlmostEquals(lp[m.labels.indexOf(label)], 1 - Math.log(z), 1e-12);
  }
  assertAlmostEquals(lp[24], 0.25 - Math.log(z), 1e-12);
  assertAlmostEquals(lp[m.labels.indexOf("D:maj")], -Math.log(z), 1e-12);
});

Deno.test("a dchord recognizer (24 outputs): softmax over the chords only", () => {
  const m = recognizerFromFile(file());
  const [lp] = m.logProbs({ frameRate: 10, treble: [C_ONLY] });
  assertEquals(lp.length, 24);
  assertAlmostEquals(lp[0], 1 - Math.log(6 * Math.E + 18), 1e-12);
  assertEquals(m.logProbs({ frameRate: 10, treble: [] }), []);
});

Deno.test("the default model is the course's BCE run 1: it finds the cached test predictions", async () => {
  assertEquals(DEFAULT_MODEL, "beatles-dchord-bce");
  const m = await loadModel(DEFAULT_MODEL);
  const cache = JSON.parse(
    await Deno.readTextFile(
      new URL("../../../results/cache/bce-e300-06f21ac89d62dfb4.json", import.meta.url),
    ),
  );
  const { test } = await loadSplits();
  const lp = m.logProbs({
    frameRate: m.features.frameRate,
    treble: test.chroma.map((f) => Float64Array.from(f)),
  });
  const labels = lp.map((r) => r.indexOf(Math.max(...r)));
  assertEquals(labels, cache.results[0].predictions);
  // 108 of the 138 frames are right (F1 78.3 %, the README's table)
  assertEquals(labels.filter((l, n) => l === test.labels[n]).length, 108);
  const sums = lp.map((r) => r.reduce((a, v) => a + Math.exp(v), 0));
  for (const s of sums) assertAlmostEquals(s, 1, 1e-12);
});

Deno.test("model files are checked strictly; errors name the field", async () => {
  assertThrows(
    () => checkModelFile({ ...file(), format: 2 }, "x.json"),
    SyntaxError,
    "x.json: format",
  );
  assertThrows(() => checkModelFile({ ...file(), kind: "rnn" }), SyntaxError, "kind");
  assertThrows(
    () => checkModelFile({ ...file(), labels: HARTE_TRIADS.slice(1) }),
    SyntaxError,
    "labels",
  );
  assertThrows(
    () => checkModelFile({ ...file(), parameters: { ...initialWeights(), theta: NaN } }),
    SyntaxError,
    "theta",
  );
  assertThrows(
    () => checkModelFile({ ...file(), kind: "dchord-n", labels: [...HARTE_TRIADS, "N"] }),
    SyntaxError,
    "noChord",
  );
  assertThrows(() => checkModelFile({ ...file(), smoothing: {} }), SyntaxError, "selfTransition");
  assertThrows(
    () => checkModelFile({ ...file(), features: { frameRate: -1, chroma: "treble" } }),
    SyntaxError,
    "frameRate",
  );
  const m = recognizerFromFile(file());
  assertThrows(() => m.logProbs({ frameRate: 21.5, treble: [C_ONLY] }), RangeError, "frames/s");
  assertThrows(
    () => m.logProbs({ frameRate: 10, treble: [Float64Array.from([-1, ...C_ONLY.slice(1)])] }),
    RangeError,
    "treble[0][0]",
  );
  await assertRejects(() => loadModel("no-such-model"), Deno.errors.NotFound, "no model named");
  await assertRejects(() => loadModel("/nonexistent/m.json"), Deno.errors.NotFound, "m.json");
  await assertRejects(() => loadModel("../x"), Deno.errors.NotFound);
  await assertRejects(() => loadModel("a b"), RangeError, "not a model name");
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/bad.json`, "{ not json");
    await assertRejects(() => loadModel(`${dir}/bad.json`), SyntaxError, "not valid JSON");
    await Deno.writeTextFile(`${dir}/ok.json`, JSON.stringify(file()));
    assertEquals((await loadModel(`${dir}/ok.json`)).name, "init");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("decodeChords: frame-wise argmax, or the HMM path; chordIntervals merges runs", () => {
  const m = recognizerFromFile(file());
  const C = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]);
  const G = Float64Array.from([0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
  // one G frame among C frames: a blip the HMM (p = 0.9) smooths away
  const features = { frameRate: 10, treble: [C, C, G, C, C] };
  assertEquals(Array.from(decodeChords(m, features, { decoding: "frame" })), [0, 0, 7, 0, 0]);
  assertEquals(Array.from(decodeChords(m, features)), [0, 0, 0, 0, 0]);
  assertEquals(chordIntervals(m, features, { decoding: "frame", duration: 0.45 }), [
    { start: 0, end: 0.2, label: "C:maj" },
    { start: 0.2, end: 0.3, label: "G:maj" },
    { start: 0.3, end: 0.45, label: "C:maj" },
  ]);
  // features that stand for frame centres (featuresFromAudio) change halfway between frames
  assertEquals(
    chordIntervals(m, { ...features, frameTime: "centre" }, { decoding: "frame", duration: 0.45 }),
    [
      { start: 0, end: 0.15, label: "C:maj" },
      { start: 0.15, end: 0.25, label: "G:maj" },
      { start: 0.25, end: 0.45, label: "C:maj" },
    ],
  );
  assertThrows(() => decodeChords(m, features, { decoding: "beam" as "frame" }), RangeError);
});

/** A cnn model file: one channel, no context, that fires on treble C and votes for C:maj. */
function cnnFile(over: Partial<CnnParameters> = {}): ModelFile {
  const conv = [[new Array(24).fill(0)]];
  conv[0][0][12] = 1; // treble C
  const output = Array.from({ length: 25 }, () => [0]);
  output[0][0] = 1; // C:maj
  return file({
    kind: "cnn",
    features: { frameRate: 10, chroma: "bass+treble" },
    labels: [...MAJMIN_LABELS],
    parameters: {
      hidden: 1,
      radius: 0,
      dilation: 1,
      conv,
      convBias: [0],
      output,
      outputBias: new Array(25).fill(0),
      ...over,
    },
  });
}

Deno.test("a cnn recognizer: hand-computed log-probabilities, and the model's forward pass", () => {
  const m = recognizerFromFile(cnnFile());
  assertEquals(m.labels, MAJMIN_LABELS);
  assertEquals(m.features, { frameRate: 10, chroma: "bass+treble" });
  // treble C only: normalized to e_C, the channel is 1, C:maj scores 1 and the 24 others 0
  const silent = new Float64Array(12);
  const [lp] = m.logProbs({ frameRate: 10, treble: [C_ONLY], bass: [silent] });
  assertAlmostEquals(lp[0], 1 - Math.log(Math.E + 24), 1e-12);
  for (let k = 1; k < 25; k++) assertAlmostEquals(lp[k], -Math.log(Math.E + 24), 1e-12);
  // a trained-shape file gives exactly the CnnModel's forward pass on the same chroma
  const model = cnnModel();
  const params = model.init(5);
  const r = mulberry32(6);
  const frames = 9;
  const treble = Float64Array.from({ length: frames * 12 }, () => r());
  const bass = Float64Array.from({ length: frames * 12 }, () => r());
  const rows = (x: Float64Array) =>
    Array.from({ length: frames }, (_, n) => x.slice(n * 12, n * 12 + 12));
  const stored = cnnFile();
  stored.parameters = JSON.parse(JSON.stringify(cnnParameters(model.architecture, params)));
  const out = recognizerFromFile(stored).logProbs({
    frameRate: 10,
    treble: rows(treble),
    bass: rows(bass),
  });
  const want = model.forward(params, { treble, bass }).logProbabilities;
  out.forEach((row, n) => assertEquals(row, want.slice(n * 25, n * 25 + 25)));
});

Deno.test("cnn model files are checked strictly: chroma, labels, parameter shapes", async () => {
  assertEquals(checkModelFile(cnnFile()).kind, "cnn");
  assertThrows(
    () => checkModelFile({ ...cnnFile(), features: { frameRate: 10, chroma: "treble" } }),
    SyntaxError,
    'a cnn model reads bass and treble chroma: features.chroma must be "bass+treble"',
  );
  assertThrows(
    () => checkModelFile({ ...file(), features: { frameRate: 10, chroma: "bass+treble" } }),
    SyntaxError,
    "a dchord model reads treble chroma only",
  );
  assertThrows(
    () => checkModelFile({ ...cnnFile(), labels: [...HARTE_TRIADS] }),
    SyntaxError,
    "labels of a cnn model must be 25 labels",
  );
  assertThrows(
    () => checkModelFile(cnnFile({ conv: [[new Array(23).fill(0)]] })),
    SyntaxError,
    "parameters: conv[0][0] must be 24 finite numbers",
  );
  assertThrows(
    () => checkModelFile(cnnFile({ radius: 1 })),
    SyntaxError,
    "parameters: conv[0] must be an array of 3",
  );
  assertThrows(
    () => checkModelFile(cnnFile({ outputBias: [] })),
    SyntaxError,
    "parameters: outputBias must be 25 finite numbers",
  );
  assertThrows(
    () => checkModelFile({ ...cnnFile(), parameters: initialWeights() }),
    SyntaxError,
    "parameters: unknown field theta",
  );
  const m = recognizerFromFile(cnnFile());
  assertThrows(
    () => m.logProbs({ frameRate: 10, treble: [C_ONLY] }),
    RangeError,
    "reads bass and treble chroma: features.bass must have as many frames as treble",
  );
  assertThrows(
    () => m.logProbs({ frameRate: 10, treble: [C_ONLY], bass: [Float64Array.of(NaN)] }),
    RangeError,
    "features.bass[0] must have 12 values",
  );
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/cnn.json`, JSON.stringify(cnnFile()));
    const loaded = await loadModel(`${dir}/cnn.json`);
    const G = Float64Array.from([0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
    const features = { frameRate: 10, treble: [C_ONLY, C_ONLY, G], bass: [G, G, G] };
    // frames with treble C say C:maj; the G frame ties every chord: the first (C:maj) wins
    assertEquals(Array.from(decodeChords(loaded, features, { decoding: "frame" })), [0, 0, 0]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the committed CNN names every clean triad over its root in the bass, and silence N", async () => {
  const m = await loadModel("billboard-cnn-check-strong-bce");
  assertEquals(m.features.chroma, "bass+treble");
  const frames = 30, found: string[] = [];
  for (const minor of [false, true]) {
    for (let root = 0; root < 12; root++) {
      const treble = new Float64Array(12), bass = new Float64Array(12);
      for (const i of [0, minor ? 3 : 4, 7]) treble[(root + i) % 12] = 1;
      bass[root] = 1;
      const labels = decodeChords(m, {
        frameRate: m.features.frameRate,
        treble: new Array(frames).fill(treble),
        bass: new Array(frames).fill(bass),
      }, { decoding: "frame" });
      found.push(m.labels[labels[frames / 2]]);
    }
  }
  assertEquals(found, MAJMIN_LABELS.slice(0, 24));
  const silence = new Array(frames).fill(new Float64Array(12));
  const none = decodeChords(m, { frameRate: m.features.frameRate, treble: silence, bass: silence });
  assertEquals(m.labels[none[frames / 2]], "N");
});
