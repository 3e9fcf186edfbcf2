import { assertEquals, assertThrows } from "@std/assert";
import { forcedAlignment } from "./forced_alignment.ts";
import { mulberry32 } from "../random.ts";

/** Every way to give each of N elements at least one of M frames, in order (brute force). */
function allLabelings(M: number, seq: number[]): number[][] {
  if (seq.length === 1) return [new Array(M).fill(seq[0])];
  const out: number[][] = [];
  for (let first = 1; first <= M - (seq.length - 1); first++) {
    for (const rest of allLabelings(M - first, seq.slice(1))) {
      out.push([...new Array(first).fill(seq[0]), ...rest]);
    }
  }
  return out;
}

Deno.test("forcedAlignment: the labelling of highest log-likelihood among all (brute force)", () => {
  const rand = mulberry32(77);
  for (let trial = 0; trial < 20; trial++) {
    const M = 3 + Math.floor(rand() * 5), N = 1 + Math.floor(rand() * Math.min(M, 4));
    const seq = Array.from({ length: N }, () => Math.floor(rand() * 25));
    const lq = Float64Array.from({ length: M * 25 }, () => Math.log(0.01 + rand()));
    const score = (labels: ArrayLike<number>) => {
      let s = 0;
      for (let m = 0; m < M; m++) s += lq[m * 25 + labels[m]];
      return s;
    };
    const best = Math.max(...allLabelings(M, seq).map(score));
    const got = forcedAlignment(lq, Int32Array.from(seq));
    assertEquals(Math.abs(score(got) - best) < 1e-12, true, `trial ${trial}`);
    // a valid labelling: the sequence in order, every element at least one frame
    assertEquals(allLabelings(M, seq).some((L) => L.every((l, m) => l === got[m])), true);
  }
});

Deno.test("forcedAlignment: bad input named", () => {
  const lq = new Float64Array(2 * 25);
  assertThrows(() => forcedAlignment(lq, Int32Array.from([1, 2, 3])), RangeError, "3 chords");
  assertThrows(() => forcedAlignment(lq, new Int32Array(0)), RangeError, "empty");
  assertThrows(() => forcedAlignment(lq, Int32Array.from([25])), RangeError, "sequence[0]");
});
