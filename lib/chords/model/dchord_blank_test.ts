import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  BLANK,
  blankBackward64,
  blankForward64,
  blankRate,
  type BlankWeights,
  checkBlankWeights,
  initialBlankWeights,
} from "./dchord_blank.ts";
import { forward64, initialWeights, predictChords } from "./dchord.ts";
import { mulberry32 } from "../random.ts";

function randomChroma(frames: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  const c = Float64Array.from({ length: frames * 12 }, () => r() ** 3);
  c.fill(0, 0, 12); // a silent frame (thresholded)
  return c;
}

function randomWeights(seed: number): BlankWeights {
  const r = mulberry32(seed);
  const v = () => Array.from({ length: 12 }, () => r() - 0.3);
  return { theta: 0.7 * r() - 0.2, major: v(), minor: v(), blank: v() };
}

Deno.test("the 24 chord scores are dChord's: chord log-probabilities differ by one constant", () => {
  const w = initialBlankWeights();
  const chroma = randomChroma(6, 1);
  const q = blankForward64(w, chroma).logProbabilities;
  const p = forward64(initialWeights(), chroma).probabilities;
  for (let n = 0; n < 6; n++) {
    const shift = q[n * 25] - Math.log(p[n * 24]);
    for (let c = 0; c < 24; c++) {
      assertAlmostEquals(q[n * 25 + c] - Math.log(p[n * 24 + c]), shift, 1e-12);
    }
    let z = 0;
    for (let c = 0; c < 25; c++) z += Math.exp(q[n * 25 + c]);
    assertAlmostEquals(z, 1, 1e-12);
  }
});

Deno.test("blank template initialization: neutral on a flat frame, loses on a clean triad", () => {
  const w = initialBlankWeights();
  assertEquals(w.blank, new Array(12).fill(0.25));
  const flat = blankForward64(w, new Float64Array(12).fill(1)).logProbabilities;
  assertAlmostEquals(flat[BLANK], flat[0], 1e-12); // ties every triad
  const triad = blankForward64(w, new Float64Array([1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]));
  assert(triad.logProbabilities[BLANK] < triad.logProbabilities[0] - 1);
  assertEquals(blankRate(w, [[1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]]), 0);
  assertEquals(predictChords(w, [[0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1]]).labels, [7]);
});

Deno.test("blankBackward64 matches central finite differences for all 37 parameters", () => {
  const w = randomWeights(3);
  const chroma = randomChroma(5, 4);
  const r = mulberry32(5);
  const G = Float64Array.from({ length: 5 * 25 }, () => r() - 0.5);
  const loss = (x: BlankWeights) => {
    const q = blankForward64(x, chroma).logProbabilities;
    let s = 0;
    for (let i = 0; i < q.length; i++) s += G[i] * q[i];
    return s;
  };
  const g = blankBackward64(blankForward64(w, chroma), G);
  const h = 1e-6;
  const fd = (set: (x: BlankWeights, d: number) => void) => {
    const a = structuredClone(w), b = structuredClone(w);
    set(a, h);
    set(b, -h);
    return (loss(a) - loss(b)) / (2 * h);
  };
  assertAlmostEquals(g.theta, fd((x, d) => x.theta += d), 1e-7);
  for (let k = 0; k < 12; k++) {
    assertAlmostEquals(g.major[k], fd((x, d) => x.major[k] += d), 1e-7, `major ${k}`);
    assertAlmostEquals(g.minor[k], fd((x, d) => x.minor[k] += d), 1e-7, `minor ${k}`);
    assertAlmostEquals(g.blank[k], fd((x, d) => x.blank[k] += d), 1e-7, `blank ${k}`);
  }
});

Deno.test("bad blank weights and gradients fail with the field named", () => {
  assertThrows(
    () => checkBlankWeights({ ...initialBlankWeights(), blank: [1, 2] }),
    TypeError,
    "weights.blank",
  );
  assertThrows(
    () => checkBlankWeights({ ...initialBlankWeights(), blank: new Array(12).fill(NaN) }),
    RangeError,
    "weights.blank[0]",
  );
  const f = blankForward64(initialBlankWeights(), new Float64Array(24));
  assertThrows(() => blankBackward64(f, new Float64Array(48)), RangeError, "2 × 25");
});
