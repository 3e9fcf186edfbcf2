import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { checkAlignmentCount, checkSoftDtw, checkSoftmin } from "./mod.ts";

const lse = (a: number[], g: number) => {
  const m = Math.min(...a);
  return m - g * Math.log(a.reduce((s, v) => s + Math.exp(-(v - m) / g), 0));
};

Deno.test("checkSoftmin passes the stable soft minimum and says what it checked", () => {
  const fb = checkSoftmin(lse);
  assertEquals(fb.passed, true, fb.text);
  assertStringIncludes(fb.text, "✅");
  // the checker's truth against a value computed by hand: −log(e^−1 + e^−2 + e^−3)
  assert(Math.abs(lse([1, 2, 3], 1) - 0.5923940355556) < 1e-12);
});

Deno.test("checkSoftmin names each typical mistake", () => {
  const cases: [string, (a: number[], g: number) => number, string][] = [
    ["not symmetric", (a, g) => lse(a.slice(0, 2), g), "not symmetric in its arguments"],
    ["hard minimum", (a) => Math.min(...a), "is the hard minimum"],
    [
      "soft maximum",
      (a, g) => g * Math.log(a.reduce((s, v) => s + Math.exp(v / g), 0)),
      "soft maximum",
    ],
    [
      "no γ outside",
      (a, g) => -Math.log(a.reduce((s, v) => s + Math.exp(-v / g), 0)),
      "factor γ in front",
    ],
    [
      "no γ inside",
      (a, g) => -g * Math.log(a.reduce((s, v) => s + Math.exp(-v), 0)),
      "divided by γ",
    ],
    [
      "naive",
      (a, g) => -g * Math.log(a.reduce((s, v) => s + Math.exp(-v / g), 0)),
      "not numerically stable",
    ],
    ["throws", () => {
      throw new Error("boom");
    }, "threw Error: boom"],
    ["not a number", () => "1" as unknown as number, "not a number"],
  ];
  for (const [what, f, expected] of cases) {
    const fb = checkSoftmin(f);
    assertEquals(fb.passed, false, what);
    assertStringIncludes(fb.text, expected, what);
    assertStringIncludes(fb.text, "❌", what);
  }
  assertStringIncludes(checkSoftmin(3 as never).text, "expected a function");
});

/** Soft-DTW by its recursion (the notebook's reference solution). */
function softDtwDp(C: number[][], g: number): number {
  const M = C.length, N = C[0].length;
  const D = Array.from({ length: M + 1 }, () => new Array(N + 1).fill(Infinity));
  D[0][0] = 0;
  for (let i = 1; i <= M; i++) {
    for (let j = 1; j <= N; j++) {
      D[i][j] = C[i - 1][j - 1] + lse([D[i - 1][j - 1], D[i - 1][j], D[i][j - 1]], g);
    }
  }
  return D[M][N];
}

Deno.test("checkSoftDtw passes the recursion and names the typical mistakes", () => {
  assertEquals(checkSoftDtw(softDtwDp).passed, true, checkSoftDtw(softDtwDp).text);
  const hard = (C: number[][]) => {
    const M = C.length, N = C[0].length;
    const D = Array.from({ length: M + 1 }, () => new Array(N + 1).fill(Infinity));
    D[0][0] = 0;
    for (let i = 1; i <= M; i++) {
      for (let j = 1; j <= N; j++) {
        D[i][j] = C[i - 1][j - 1] + Math.min(D[i - 1][j - 1], D[i - 1][j], D[i][j - 1]);
      }
    }
    return D[M][N];
  };
  const noDiagonal = (C: number[][], g: number) => {
    const M = C.length, N = C[0].length;
    const D = Array.from({ length: M + 1 }, () => new Array(N + 1).fill(Infinity));
    for (let i = 1; i <= M; i++) {
      for (let j = 1; j <= N; j++) {
        D[i][j] = C[i - 1][j - 1] +
          (i === 1 && j === 1 ? 0 : lse([D[i - 1][j], D[i][j - 1]].filter(isFinite), g));
      }
    }
    return D[M][N];
  };
  const zeroBorder = (C: number[][], g: number) => {
    const M = C.length, N = C[0].length;
    const D = Array.from({ length: M + 1 }, () => new Array(N + 1).fill(0));
    for (let i = 1; i <= M; i++) {
      for (let j = 1; j <= N; j++) {
        D[i][j] = C[i - 1][j - 1] +
          (i === 1 && j === 1 ? 0 : lse([D[i - 1][j - 1], D[i - 1][j], D[i][j - 1]], g));
      }
    }
    return D[M][N];
  };
  for (
    const [f, expected] of [
      [hard, "you return DTW"],
      [noDiagonal, "leaves out the diagonal"],
      [zeroBorder, "must count as +∞"],
      [() => 42, "expected"],
      [(C: number[][]) => C[5][5], "threw TypeError"],
    ] as [(C: number[][], g: number) => number, string][]
  ) {
    const fb = checkSoftDtw(f);
    assertEquals(fb.passed, false, expected);
    assertStringIncludes(fb.text, expected);
  }
});

Deno.test("checkAlignmentCount passes Delannoy numbers and names the two classic slips", () => {
  const delannoy = (m: number, n: number): number =>
    m === 0 || n === 0 ? 1 : delannoy(m - 1, n) + delannoy(m, n - 1) + delannoy(m - 1, n - 1);
  // published values: D(2, 2) = 13, D(3, 3) = 63
  assertEquals([delannoy(2, 2), delannoy(3, 3)], [13, 63]);
  assertEquals(checkAlignmentCount((M, N) => delannoy(M - 1, N - 1)).passed, true);
  const binom = (n: number, k: number): number => (k === 0 ? 1 : (binom(n - 1, k - 1) * n) / k);
  assertStringIncludes(
    checkAlignmentCount((M, N) => binom(M + N - 2, M - 1)).text,
    "only the paths of horizontal and vertical",
  );
  assertStringIncludes(checkAlignmentCount((M, N) => delannoy(M, N)).text, "off by one");
  assertStringIncludes(checkAlignmentCount(() => 7).text, "expected 1");
});
