import { assert, assertEquals, assertRejects } from "@std/assert";
import { softDtwBatchParallel64 } from "./soft_dtw_parallel.ts";
import { softDtwBatch64, type SoftDtwBatchArgs } from "./soft_dtw_batch.ts";
import { BatchPool, batchPool, splitByCells } from "./_batch_pool.ts";
import { runSoftDtwPairs } from "./_batch_pairs.ts";
import { weightedSoftDtwBatch64 } from "./weighted.ts";
import { lcg } from "./test_helpers_test.ts";

function packed(B: number, R: number, C: number, seed: number) {
  const rand = lcg(seed);
  return {
    cost: Float64Array.from({ length: B * R * C }, () => 2 * rand()),
    batch: B,
    maxRows: R,
    maxCols: C,
    rowLengths: Array.from({ length: B }, (_, b) => Math.max(1, R - ((b * 7) % R))),
    colLengths: Array.from({ length: B }, (_, b) => Math.max(1, C - ((b * 5) % C))),
    gamma: 0.3,
  };
}

/** The message of the error `f` throws. */
function errorOf2(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("no error thrown");
}

/** The error softDtwBatch64 throws for these arguments. */
function errorOf(args: SoftDtwBatchArgs): Error {
  try {
    softDtwBatch64(args);
  } catch (e) {
    return e as Error;
  }
  throw new Error("softDtwBatch64 did not throw");
}

Deno.test("softDtwBatchParallel64 on the pool equals softDtwBatch64 bit for bit (per-pair lengths, γ, both kernels)", async () => {
  const cases: [number, number, number, number, number][] = [
    [7, 40, 33, 2, 0.3],
    [5, 12, 61, 3, 1e-3],
    [2, 30, 1, 2, 10],
    [9, 1, 25, 2, 0.7],
  ];
  for (const [B, R, C, workers, gamma] of cases) {
    const args = { ...packed(B, R, C, B * R + C), gamma };
    const one = softDtwBatch64(args);
    const par = await softDtwBatchParallel64(args, { workers });
    assertEquals(par.values, one.values);
    assertEquals(par.grads, one.grads);
    assert(par.grads!.buffer instanceof SharedArrayBuffer, "the pool ran");
    // the TypeScript kernel in the Workers, as on this thread
    const ts = await softDtwBatchParallel64({ ...args, kernel: "ts" }, { workers });
    const oneTs = softDtwBatch64({ ...args, kernel: "ts" });
    assertEquals(ts.values, oneTs.values);
    assertEquals(ts.grads, oneTs.grads);
  }
  // values only; a cost already in shared memory is used as it is
  const noGrad = packed(4, 20, 9, 3);
  const a = softDtwBatch64({ ...noGrad, withGrad: false });
  const b = await softDtwBatchParallel64({ ...noGrad, withGrad: false });
  assertEquals(b.values, a.values);
  assertEquals(b.grads, null);
  const shared = new Float64Array(new SharedArrayBuffer(8 * noGrad.cost.length));
  shared.set(noGrad.cost);
  const c = await softDtwBatchParallel64({ ...noGrad, cost: shared });
  assertEquals(c.grads, softDtwBatch64(noGrad).grads);
  assertEquals(shared.slice(), noGrad.cost, "the shared cost is untouched");
});

Deno.test("softDtwBatchParallel64 with step weights equals weightedSoftDtwBatch64 bit for bit", async () => {
  for (const stepWeights of [[1, 1, 2], [2, 2, 2], [0, 1, 1]] as const) {
    for (const kernel of ["auto", "ts"] as const) {
      const args = { ...packed(7, 24, 31, 3), stepWeights, kernel };
      const one = weightedSoftDtwBatch64(args);
      const par = await softDtwBatchParallel64(args, { workers: 2 });
      assertEquals(par.values, one.values);
      assertEquals(par.grads, one.grads);
      assert(par.grads!.buffer instanceof SharedArrayBuffer, "the pool ran");
    }
  }
  const args = packed(3, 5, 4, 1);
  await assertRejects(
    () => softDtwBatchParallel64({ ...args, stepWeights: [1, -1, 1] }),
    RangeError,
    errorOf2(() => weightedSoftDtwBatch64({ ...args, stepWeights: [1, -1, 1] })),
  );
  await assertRejects(
    // deno-lint-ignore no-explicit-any
    () => softDtwBatchParallel64({ ...args, band: 2 } as any),
    TypeError,
    "softDtwBatchParallel64 computes plain soft-DTW and does not take band",
  );
});

Deno.test("softDtwBatchParallel64: the pool persists between batches and ends with idleTimeout 0", async () => {
  batchPool.close();
  const args = packed(6, 16, 12, 9);
  await softDtwBatchParallel64(args, { workers: 2, idleTimeout: 60_000 });
  assertEquals(batchPool.size, 2);
  await softDtwBatchParallel64(args, { workers: 2, idleTimeout: 60_000 });
  assertEquals(batchPool.size, 2);
  // concurrent batches share the Workers
  const [x, y] = await Promise.all([
    softDtwBatchParallel64(args, { idleTimeout: 60_000 }),
    softDtwBatchParallel64({ ...args, gamma: 2 }, { idleTimeout: 60_000 }),
  ]);
  assertEquals(x.grads, softDtwBatch64(args).grads);
  assertEquals(y.grads, softDtwBatch64({ ...args, gamma: 2 }).grads);
  assertEquals(batchPool.size, 2);
  await softDtwBatchParallel64(args, { workers: 2, idleTimeout: 0 });
  assertEquals(batchPool.size, 0);
});

Deno.test("softDtwBatchParallel64: the errors of softDtwBatch64, and one worker or one pair on the calling thread", async () => {
  const args = packed(6, 10, 8, 4);
  const opts = { idleTimeout: 0 };
  // a non-finite cost in pair 5; an overflow in pair 0 (run by another Worker, or earlier)
  const nan = { ...args, cost: args.cost.slice() };
  nan.cost[5 * 80 + 8 + 2] = NaN;
  const e1 = errorOf(nan);
  await assertRejects(() => softDtwBatchParallel64(nan, opts), RangeError, e1.message);
  const big = { ...nan, cost: nan.cost.slice() };
  big.cost.fill(1e308, 0, 80); // every path of pair 0 overflows
  assertEquals(errorOf(big).message, e1.message);
  await assertRejects(() => softDtwBatchParallel64(big, opts), RangeError, e1.message);
  const over = { ...args, cost: args.cost.slice() };
  over.cost.fill(1e308, 0, 80);
  const e2 = errorOf(over);
  assert(e2.message.includes("overflow"), e2.message);
  await assertRejects(() => softDtwBatchParallel64(over, opts), RangeError, e2.message);
  // costs given as numbers: an entry that is not a number is named as softDtwBatch64 names it
  const plain = { ...args, cost: Array.from(args.cost) as unknown[] as number[] };
  (plain.cost as unknown[])[3 * 80] = "x"; // pair 3, cell [0][0]
  await assertRejects(
    () => softDtwBatchParallel64(plain, opts),
    RangeError,
    errorOf(plain).message,
  );
  assertEquals(
    (await softDtwBatchParallel64({ ...args, cost: Array.from(args.cost) }, opts)).grads,
    softDtwBatch64(args).grads,
  );
  // checked on the calling thread
  await assertRejects(() => softDtwBatchParallel64({ ...args, gamma: -1 }), RangeError);
  await assertRejects(() => softDtwBatchParallel64(args, { workers: 0 }), RangeError, "workers");
  await assertRejects(
    () => softDtwBatchParallel64(args, { idleTimeout: -1 }),
    RangeError,
    "idleTimeout",
  );
  await assertRejects(
    () => softDtwBatchParallel64({ ...args, rowLengths: [1, 2, 3] }),
    TypeError,
    errorOf({ ...args, rowLengths: [1, 2, 3] }).message,
  );
  assertEquals(batchPool.size, 0);
  assertEquals(
    (await softDtwBatchParallel64(args, { workers: 1 })).grads,
    softDtwBatch64(args).grads,
  );
  // no SharedArrayBuffer (a page without cross-origin isolation): the calling thread
  const g = globalThis as { SharedArrayBuffer?: unknown };
  const sab = g.SharedArrayBuffer;
  delete g.SharedArrayBuffer;
  try {
    const r = await softDtwBatchParallel64(args, { idleTimeout: 0 });
    assertEquals(r.grads, softDtwBatch64(args).grads);
    assert(r.grads!.buffer instanceof ArrayBuffer, "ran on the calling thread");
  } finally {
    g.SharedArrayBuffer = sab;
  }
  const single = packed(1, 10, 8, 5);
  assertEquals((await softDtwBatchParallel64(single)).grads, softDtwBatch64(single).grads);
  assertEquals(batchPool.size, 0, "no Worker was started");
});

Deno.test("the pool on module Workers (the path outside Deno) runs ranges as the calling thread does", async () => {
  const pool = new BatchPool({ nodeThreads: false });
  try {
    const workers = await pool.acquire(2);
    assert(workers !== null, "module Workers start in Deno");
    const B = 5, R = 13, C = 17;
    const p = packed(B, R, C, 21);
    const cost = new Float64Array(new SharedArrayBuffer(8 * B * R * C));
    cost.set(p.cost);
    const values = new Float64Array(new SharedArrayBuffer(8 * B));
    const grads = new Float64Array(new SharedArrayBuffer(8 * B * R * C));
    const job = { ...p, cost, values, grads, kernel: "auto" as const };
    const errors = await Promise.all([
      workers[0].run({ ...job, from: 0, to: 2 }),
      workers[1].run({ ...job, from: 2, to: B }),
    ]);
    assertEquals(errors, [undefined, undefined]);
    const want = { values: new Float64Array(B), grads: new Float64Array(B * R * C) };
    runSoftDtwPairs({ ...job, ...want, from: 0, to: B });
    assertEquals(values.slice(), want.values);
    assertEquals(grads.slice(), want.grads);
  } finally {
    pool.release(0);
  }
  assertEquals(pool.size, 0);
});

Deno.test("splitByCells: contiguous ranges covering the batch, each within one pair of its share", () => {
  const rand = lcg(11);
  for (let t = 0; t < 200; t++) {
    const B = 1 + Math.floor(rand() * 20), parts = 1 + Math.floor(rand() * 4);
    const rows = Array.from({ length: B }, () => 1 + Math.floor(rand() * 50));
    const cols = Array.from({ length: B }, () => 1 + Math.floor(rand() * 50));
    const bounds = splitByCells(rows, cols, parts);
    assertEquals(bounds.length, parts + 1);
    assertEquals([bounds[0], bounds[parts]], [0, B]);
    const cells = rows.map((r, b) => r * cols[b]);
    const total = cells.reduce((s, c) => s + c, 0), largest = Math.max(...cells);
    for (let k = 0; k < parts; k++) {
      assert(bounds[k] <= bounds[k + 1]);
      const mine = cells.slice(bounds[k], bounds[k + 1]).reduce((s, c) => s + c, 0);
      assert(Math.abs(mine - total / parts) <= largest, `range ${k}: ${mine} of ${total}`);
    }
  }
  assertEquals(splitByCells([4, 1, 1, 2], [4, 4, 4, 4], 2), [0, 1, 4]);
});

Deno.test("softDtwBatchParallel64: an idle pool does not keep a finished program alive", async () => {
  const script = `import { softDtwBatchParallel64 } from ${
    JSON.stringify(new URL("./soft_dtw_parallel.ts", import.meta.url).href)
  };
const r = await softDtwBatchParallel64({ cost: new Float64Array(32).fill(1), batch: 2, maxRows: 4, maxCols: 4, gamma: 1 }, { idleTimeout: 600_000 });
console.log(r.grads.buffer instanceof SharedArrayBuffer, r.values[0] === r.values[1]);`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000), // a hung program fails the test instead of hanging it
  }).spawn();
  const w = out.stdin.getWriter();
  await w.write(new TextEncoder().encode(script));
  await w.close();
  const { code, stdout, stderr } = await out.output();
  assertEquals(code, 0, new TextDecoder().decode(stderr));
  assertEquals(new TextDecoder().decode(stdout).trim(), "true true");
});
