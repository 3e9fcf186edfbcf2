/**
 * A property test of the public align API (issue 17): over random shapes and values, NaN and
 * ±Infinity and huge numbers included, every call either throws a named error (`TypeError` or
 * `RangeError` with a message) or returns finite values equal to brute force over every path.
 */
import { assert } from "@std/assert";
import {
  type AlignGraph,
  alignGraph,
  bruteForceCtc,
  bruteForceDtw,
  bruteForceSoftDtw,
  ctcLoss,
  dtw,
  softDtwBatch,
  softDtwValueAndGrad,
  type StepWeights,
} from "./mod.ts";
import { bruteForceGraph } from "./_graph_brute_force.ts";
import { bruteForceWeightedSoftDtw } from "./weighted_brute_force.ts";
import { lcg } from "./test_helpers_test.ts";

const SPECIAL = [NaN, Infinity, -Infinity, 1e300, -1e300, 0, -0];
const GAMMAS = [1e-3, 0.3, 1, 1e3, 0, -1, NaN, Infinity, 1e-320];

function pick<T>(xs: readonly T[], rand: () => number): T {
  return xs[Math.floor(rand() * xs.length)];
}

/** A value: mostly ordinary, sometimes special. */
function value(rand: () => number, special: number): number {
  return rand() < special ? pick(SPECIAL, rand) : 4 * rand() - 1;
}

function matrix(rows: number, cols: number, rand: () => number, special: number): number[][] {
  return Array.from(
    { length: rows },
    () => Array.from({ length: cols }, () => value(rand, special)),
  );
}

const allFinite = (m: number[][]) => m.every((r) => r.every(Number.isFinite));

/**
 * Whether brute force is a meaningful reference for the gradient: with entries of 1e300 the
 * path costs round to equal values (the dynamic program, which adds them last, is then more
 * accurate than the sum over paths), so only the value and finiteness are compared.
 */
const wellConditioned = (m: number[][]) => m.every((r) => r.every((v) => Math.abs(v) < 1e200));

function close(a: number, b: number, what: string) {
  const scale = Math.max(1, Math.abs(a), Math.abs(b));
  assert(Math.abs(a - b) <= 1e-8 * scale, `${what}: ${a} vs brute force ${b}`);
}

function closeMatrix(a: number[][], b: number[][], what: string) {
  a.forEach((row, i) => row.forEach((v, j) => close(v, b[i][j], `${what}[${i}][${j}]`)));
}

/**
 * Runs `call`; a thrown error must be a TypeError or RangeError with a message; a result is
 * checked by `verify`. Returns whether it threw. `mustThrow`: the input is invalid.
 */
function property<T>(what: string, mustThrow: boolean, call: () => T, verify: (r: T) => void) {
  let result: T;
  try {
    result = call();
  } catch (e) {
    assert(
      (e instanceof TypeError || e instanceof RangeError) && e.message.length > 8,
      `${what}: threw an unnamed error ${e}`,
    );
    return true;
  }
  assert(!mustThrow, `${what}: returned for an invalid input`);
  verify(result);
  return false;
}

Deno.test("property: soft-DTW (plain, step weights, band, batch) throws a named error or equals brute force", () => {
  const rand = lcg(1717);
  let returned = 0, threw = 0;
  for (let t = 0; t < 400; t++) {
    const rows = 1 + Math.floor(rand() * 4), cols = 1 + Math.floor(rand() * 4);
    const special = rand() < 0.5 ? 0 : 0.15;
    const cost = matrix(rows, cols, rand, special);
    const gamma = pick(GAMMAS, rand);
    const invalid = !allFinite(cost) || !(gamma > 0 && gamma < Infinity && 1 / gamma < Infinity);
    const what = `${JSON.stringify(cost)} γ=${gamma}`;
    const kind = t % 4;
    if (kind === 0) {
      property(what, invalid, () => softDtwValueAndGrad(cost, { gamma }), (r) => {
          assert(Number.isFinite(r.value) && allFinite(r.grad), `${what}: non-finite result`);
          const bf = bruteForceSoftDtw(cost, { gamma });
          close(r.value, bf.value, `${what} value`);
          if (wellConditioned(cost)) closeMatrix(r.grad, bf.expectedAlignment, `${what} grad`);
        })
        ? threw++
        : returned++;
    } else if (kind === 1) {
      const raw: unknown[] = [0, 1, 2].map(() =>
        rand() < 0.1 ? pick(["1", -1, NaN, Infinity], rand) : pick([0, 0.5, 1, 2], rand)
      );
      const badWeights = raw.some((w) => typeof w !== "number" || !(w >= 0 && w < Infinity));
      const stepWeights = raw as unknown as StepWeights;
      property(
          `${what} w=${raw}`,
          invalid || badWeights,
          () => softDtwValueAndGrad(cost, { gamma, stepWeights }),
          (r) => {
            assert(Number.isFinite(r.value) && allFinite(r.grad), `${what}: non-finite result`);
            const bf = bruteForceWeightedSoftDtw(cost, { gamma, stepWeights });
            close(r.value, bf.value, `${what} w=${raw} value`);
            if (wellConditioned(cost)) closeMatrix(r.grad, bf.grad, `${what} w=${raw} grad`);
          },
        )
        ? threw++
        : returned++;
    } else if (kind === 2) {
      const other = matrix(1 + Math.floor(rand() * 3), cols, rand, special);
      const costs = rand() < 0.1 ? [cost, [[1, 2], [3]]] : [cost, other];
      const bad = invalid || !allFinite(costs[1]) || costs[1][0].length !== costs[1].at(-1)!.length;
      property(`batch ${what}`, bad, () => softDtwBatch(costs, { gamma }), (r) => {
          r.forEach((one, b) => {
            const bf = bruteForceSoftDtw(costs[b], { gamma });
            close(one.value, bf.value, `batch ${what} value ${b}`);
            if (wellConditioned(costs[b])) {
              closeMatrix(one.grad, bf.expectedAlignment, `batch ${JSON.stringify(costs[b])} grad`);
            }
          });
        })
        ? threw++
        : returned++;
    } else {
      property(`dtw ${what}`, !allFinite(cost), () => dtw(cost), (r) => {
          assert(Number.isFinite(r.value), `${what}: non-finite DTW`);
          close(r.value, bruteForceDtw(cost).value, `dtw ${what}`);
        })
        ? threw++
        : returned++;
    }
  }
  assert(returned > 100 && threw > 100, `returned ${returned}, threw ${threw}`);
});

Deno.test("property: alignGraph throws a named error or equals brute force over every path", () => {
  const rand = lcg(1718);
  let returned = 0, threw = 0;
  for (let t = 0; t < 300; t++) {
    const rows = 1 + Math.floor(rand() * 4), cols = 1 + Math.floor(rand() * 4);
    const cost = matrix(rows, cols, rand, rand() < 0.5 ? 0 : 0.1);
    const gamma = pick(GAMMAS, rand);
    const aggregation = rand() < 0.5 ? "soft" : "hard";
    const steps: [number, number][] = [[1, 0], [0, 1], [1, 1], [1, 2]].filter(() =>
      rand() < 0.7
    ) as [number, number][];
    const stepWeights = steps.map(() => rand() < 0.1 ? pick([NaN, -Infinity, Infinity], rand) : 1);
    const graph: AlignGraph = {
      steps,
      stepWeights,
      start: { cells: [[0, 0]] },
      end: { cells: [[rows - 1, cols - 1]], weights: [rand() < 0.1 ? NaN : 0] },
      aggregation,
      gamma,
    };
    const gammaOk = gamma > 0 && gamma < Infinity && 1 / gamma < Infinity;
    const invalid = !allFinite(cost) || steps.length === 0 ||
      stepWeights.some((w) => Number.isNaN(w) || w === -Infinity) ||
      Number.isNaN(graph.end.weights![0]) || !gammaOk;
    const what = `${JSON.stringify(cost)} ${JSON.stringify(graph)}`;
    property(what, invalid, () => alignGraph(cost, graph), (r) => {
        assert(Number.isFinite(r.value) && allFinite(r.grad), `${what}: non-finite result`);
        const bf = bruteForceGraph(cost, graph);
        close(r.value, bf.value, `${what} value`);
        if (aggregation === "soft" && wellConditioned(cost)) {
          closeMatrix(r.grad, bf.grad, `${what} grad`);
        }
      })
      ? threw++
      : returned++;
  }
  assert(returned > 60 && threw > 60, `returned ${returned}, threw ${threw}`);
});

Deno.test("property: ctcLoss throws a named error or equals brute force over every labeling", () => {
  const rand = lcg(1719);
  let returned = 0, threw = 0;
  for (let t = 0; t < 200; t++) {
    const T = 1 + Math.floor(rand() * 4), K = 2 + Math.floor(rand() * 2);
    const special = rand() < 0.5 ? 0 : 0.1;
    const lp = Array.from({ length: T }, () => {
      const x = Array.from({ length: K }, () => value(rand, special));
      const max = Math.max(...x);
      const lse = max + Math.log(x.reduce((s, v) => s + Math.exp(v - max), 0));
      return x.map((v) => v - lse); // log-softmax (NaN/Inf stay non-finite)
    });
    const labels = Array.from(
      { length: Math.floor(rand() * 3) },
      () => rand() < 0.05 ? 0 : 1 + Math.floor(rand() * (K - 1)),
    );
    const invalid = !allFinite(lp) || labels.includes(0);
    const what = `${JSON.stringify(lp)} [${labels}]`;
    property(what, invalid, () => ctcLoss(lp, labels, { blank: 0 }), (r) => {
        assert(Number.isFinite(r.value) && allFinite(r.grad), `${what}: non-finite result`);
        const bf = bruteForceCtc(lp, labels, { blank: 0 });
        close(r.value, bf.value, `${what} value`);
        if (wellConditioned(lp)) closeMatrix(r.grad, bf.grad, `${what} grad`);
      })
      ? threw++
      : returned++;
  }
  assert(returned > 50 && threw > 20, `returned ${returned}, threw ${threw}`);
});
