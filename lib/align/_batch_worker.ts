/**
 * A Worker of the soft-DTW batch pool (`_batch_pool.ts`, for `softDtwBatchParallel64`). Its
 * first message is `{ type: "init", module }`: it instantiates the kernel module compiled by
 * the main thread (`installWasmModule`) and answers `{ type: "ready", wasm }`. Each later
 * message `{ type: "run", id, job }` names a range of pairs of a batch whose cost and outputs
 * lie in SharedArrayBuffers: it checks the costs of its pairs, runs them (`runSoftDtwPairs`,
 * writing values and gradients in place) and answers `{ type: "done", id }`, or
 * `{ type: "done", id, error: { name, message, input } }` when its pairs throw (`input`: the
 * check of the costs failed, before any pair ran).
 *
 * It runs as a `node:worker_threads` Worker in Deno (which the pool unrefs, so that an idle pool
 * does not keep a finished program alive): there the runs come through the `MessagePort` of a
 * `{ type: "port", port }` message, one per batch. Elsewhere it is a module Worker.
 *
 * @example
 * ```ts ignore
 * const w = new Worker(new URL("./_batch_worker.ts", import.meta.url), { type: "module" });
 * ```
 *
 * @module
 */
import { runSoftDtwPairs } from "./_batch_pairs.ts";
import { checkFiniteBlocks } from "./_checks.ts";
import { installWasmModule, wasmAvailable } from "./_soft_dtw_wasm.ts";
import type { PoolJob, PoolReply, PoolRequest } from "./_batch_pool.ts";

type Request = Exclude<PoolRequest, { type: "port" }>;

function handle(msg: Request): PoolReply {
  if (msg.type === "init") {
    const wasm = msg.module !== null && installWasmModule(msg.module);
    return { type: "ready", wasm: wasm || wasmAvailable() };
  }
  const job: PoolJob = msg.job;
  let input = true;
  try {
    const block = job.maxRows * job.maxCols;
    // the costs of this Worker's pairs only: the other pairs count as empty
    const rows = Array.from(job.rowLengths, (r, b) => (b >= job.from && b < job.to ? r : 0));
    checkFiniteBlocks(job.cost, {
      name: "cost",
      block,
      stride: job.maxCols,
      rows,
      cols: Array.from(job.colLengths),
    });
    input = false;
    runSoftDtwPairs(job);
    return { type: "done", id: msg.id };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { type: "done", id: msg.id, error: { name: e.name, message: e.message, input } };
  }
}

// Deno: a node:worker_threads Worker (parentPort set); elsewhere a module Worker
const spec = "node:worker_threads";
const threads = await import(spec).catch(() => null) as
  | {
    parentPort: {
      on(event: "message", f: (m: PoolRequest) => void): void;
      postMessage(m: PoolReply): void;
    } | null;
  }
  | null;
const parent = threads?.parentPort ?? null;
if (parent !== null) {
  // init through the parent port; each batch's runs through the MessagePort it sends
  let port: MessagePort | null = null;
  parent.on("message", (m) => {
    if (m.type !== "port") {
      parent.postMessage(handle(m));
      return;
    }
    port?.close();
    port = m.port;
    const p = port;
    p.onmessage = (e: MessageEvent<Request>) => p.postMessage(handle(e.data));
  });
} else {
  // deno-lint-ignore no-explicit-any
  const scope = globalThis as any;
  scope.onmessage = (e: MessageEvent<Request>) => scope.postMessage(handle(e.data));
}
