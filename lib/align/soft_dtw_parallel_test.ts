import { assertEquals, assertRejects } from "@std/assert";
import { softDtwBatchParallel64 } from "./soft_dtw_parallel.ts";
import { softDtwBatch64 } from "./soft_dtw_batch.ts";
import { lcg } from "./test_helpers_test.ts";

function packed(B: number, R: number, C: number, seed: number) {
  const rand = lcg(seed);
  return {
    cost: Float64Array.from({ length: B * R * C }, () => 2 * rand()),
    batch: B,
    maxRows: R,
    maxCols: C,
    rowLengths: Array.from({ length: B }, (_, b) => R - (b % 3)),
    colLengths: Array.from({ length: B }, (_, b) => C - ((b * 5) % 4)),
    gamma: 0.3,
  };
}

Deno.test("softDtwBatchParallel64 on 2 Workers equals softDtwBatch64 bit for bit (values and gradients)", async () => {
  for (const [B, workers] of [[7, 2], [5, 3], [2, 2]] as const) {
    const args = packed(B, 40, 33, B);
    const one = softDtwBatch64(args);
    const par = await softDtwBatchParallel64(args, { workers });
    assertEquals(par.values, one.values);
    assertEquals(par.grads, one.grads);
  }
  const noGrad = packed(4, 20, 9, 3);
  const a = softDtwBatch64({ ...noGrad, withGrad: false });
  const b = await softDtwBatchParallel64({ ...noGrad, withGrad: false });
  assertEquals(b.values, a.values);
  assertEquals(b.grads, null);
});

Deno.test("softDtwBatchParallel64: one worker or one pair runs on the calling thread; bad input throws as softDtwBatch64", async () => {
  const args = packed(3, 10, 8, 4);
  assertEquals(
    (await softDtwBatchParallel64(args, { workers: 1 })).values,
    softDtwBatch64(args).values,
  );
  const single = packed(1, 10, 8, 5);
  assertEquals((await softDtwBatchParallel64(single)).grads, softDtwBatch64(single).grads);
  await assertRejects(() => softDtwBatchParallel64({ ...args, gamma: -1 }), RangeError);
  await assertRejects(() => softDtwBatchParallel64(args, { workers: 0 }), RangeError);
  const bad = { ...args, cost: args.cost.slice() };
  bad.cost[0] = NaN;
  await assertRejects(() => softDtwBatchParallel64(bad));
});
