/**
 * Tests of sequence_align.ts against ground truth computed independently: every path enumerated
 * (value and expected alignment of the Gibbs distribution), finite differences of the value
 * (E = ∂V/∂C), rows summing to one, and the errors.
 */
import { assert, assertAlmostEquals, assertThrows } from "@std/assert";
import { mulberry32 } from "../chords/random.ts";
import { sequenceSoftAlign } from "./sequence_align.ts";

/** Every state sequence of N frames over [before] 0..K−1 [after] allowed by the steps. */
function paths(N: number, K: number, sub: boolean): number[][] {
  const S = K + (sub ? 2 : 0);
  const s0 = sub ? 1 : 0;
  const out: number[][] = [];
  const rec = (seq: number[]) => {
    if (seq.length === N) {
      const end = seq[N - 1];
      if (end === s0 + K - 1 || (sub && end === S - 1)) out.push(seq);
      return;
    }
    const prev = seq[seq.length - 1];
    for (const s of [prev, prev + 1]) if (s < S) rec([...seq, s]);
  };
  rec([s0]);
  if (sub) rec([0]);
  return out;
}

function brute(cost: number[][], gamma: number, sub: boolean, outside: number) {
  const N = cost.length, K = cost[0].length, s0 = sub ? 1 : 0;
  const all = paths(N, K, sub);
  const costs = all.map((p) =>
    p.reduce((a, s, n) => a + (s - s0 >= 0 && s - s0 < K ? cost[n][s - s0] : outside), 0)
  );
  const m = Math.min(...costs);
  const w = costs.map((c) => Math.exp(-(c - m) / gamma));
  const z = w.reduce((a, b) => a + b, 0);
  const value = m - gamma * Math.log(z);
  const E = cost.map((r) => r.map(() => 0));
  all.forEach((p, i) =>
    p.forEach((s, n) => {
      if (s - s0 >= 0 && s - s0 < K) E[n][s - s0] += w[i] / z;
    })
  );
  return { value, E, count: all.length };
}

const rand = mulberry32(7);
const randomCost = (N: number, K: number) =>
  Array.from({ length: N }, () => Array.from({ length: K }, () => 3 * rand()));

for (const sub of [false, true]) {
  Deno.test(`sequenceSoftAlign equals brute force over every path (subsequence ${sub})`, () => {
    for (const [N, K, gamma] of [[5, 2, 1], [7, 3, 0.3], [6, 6, 2], [8, 4, 0.05]]) {
      const cost = randomCost(N, K);
      const ref = brute(cost, gamma, sub, 1.2);
      assert(ref.count >= 1);
      const got = sequenceSoftAlign(cost, { gamma, subsequence: sub, outsideCost: 1.2 });
      assertAlmostEquals(got.value, ref.value, 1e-10);
      for (let n = 0; n < N; n++) {
        let row = (got.before?.[n] ?? 0) + (got.after?.[n] ?? 0);
        for (let k = 0; k < K; k++) {
          assertAlmostEquals(got.expected[n][k], ref.E[n][k], 1e-10);
          row += got.expected[n][k];
        }
        assertAlmostEquals(row, 1, 1e-10);
      }
    }
  });
}

Deno.test("the expected alignment is the gradient of the value (central differences)", () => {
  const cost = randomCost(9, 4);
  for (const sub of [false, true]) {
    const opts = { gamma: 0.5, subsequence: sub, outsideCost: 1.5 };
    const { expected } = sequenceSoftAlign(cost, opts);
    const h = 1e-6;
    for (let n = 0; n < 9; n++) {
      for (let k = 0; k < 4; k++) {
        const up = cost.map((r) => r.slice());
        const down = cost.map((r) => r.slice());
        up[n][k] += h;
        down[n][k] -= h;
        const fd = (sequenceSoftAlign(up, opts).value - sequenceSoftAlign(down, opts).value) /
          (2 * h);
        assertAlmostEquals(expected[n][k], fd, 1e-6);
      }
    }
  }
});

Deno.test("sequenceSoftAlign: errors name the problem", () => {
  assertThrows(() => sequenceSoftAlign([[0, 1]], { gamma: 1 }), RangeError, "2 symbols");
  assertThrows(() => sequenceSoftAlign([[0], [NaN]], { gamma: 1 }), RangeError, "cost[1][0]");
  assertThrows(() => sequenceSoftAlign([[0]], { gamma: 0 }), RangeError, "gamma");
  assertThrows(
    () => sequenceSoftAlign([[0], [1]], { gamma: 1, subsequence: true }),
    RangeError,
    "outsideCost",
  );
});
