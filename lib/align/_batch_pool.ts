/**
 * The persistent Worker pool of `softDtwBatchParallel64` ({@linkcode batchPool}): Workers
 * (`_batch_worker.ts`) are started when a batch first asks for them, each instantiates the
 * kernel module the main thread compiled (posted once, not compiled again), and they stay for
 * the next batches. A batch's cost and results lie in SharedArrayBuffers that every Worker
 * sees, so nothing is copied to or from a Worker: each runs its range of pairs and writes
 * values and gradients in place.
 *
 * Lifetime: in Deno the Workers are `node:worker_threads` Workers, unreferenced once started,
 * and a batch's messages go through a `MessageChannel` opened for the batch and closed after
 * it (a `node:worker_threads` message in Deno takes time in proportion to the size of a
 * SharedArrayBuffer it carries, 0.36–0.38 s for 8 MB, where a MessagePort passes it in under a
 * millisecond; and an open port keeps a program alive), so an idle pool never keeps a finished
 * program alive. Elsewhere they are module Workers. Idle
 * Workers end after `idleTimeout` milliseconds without a batch (0: as soon as the batch
 * returns), and {@linkcode BatchPool.close} ends them at once.
 *
 * @example
 * ```ts
 * import { batchPool } from "./_batch_pool.ts";
 * const workers = await batchPool.acquire(2); // null where Workers cannot run
 * batchPool.release(0); // end them now
 * ```
 *
 * @module
 */
import type { PairRange } from "./_batch_pairs.ts";
import { wasmKernelModule } from "./_soft_dtw_wasm.ts";

/** A range of pairs for one Worker: the arrays lie in SharedArrayBuffers. */
export type PoolJob = Omit<PairRange, "cost"> & { cost: Float64Array };

/** A message to a Worker of the pool. */
export type PoolRequest =
  | { type: "init"; module: WebAssembly.Module | null }
  | { type: "port"; port: MessagePort }
  | { type: "run"; id: number; job: PoolJob };

/** The error of a Worker's range: `input` when the check of its costs failed. */
export interface PoolError {
  /** The error's class name. */
  name: string;
  /** Its message. */
  message: string;
  /** Whether the costs were refused before any pair ran. */
  input: boolean;
}

/** A message from a Worker of the pool. */
export type PoolReply =
  | { type: "ready"; wasm: boolean }
  | { type: "done"; id: number; error?: PoolError };

interface Port {
  /** Sends a message to the Worker. */
  post(m: PoolRequest): void;
  /** No batch runs: let a finished program end. */
  idle(): void;
  terminate(): void;
}

interface NodeWorker {
  on(event: "message", f: (m: PoolReply) => void): void;
  on(event: "error", f: (e: Error) => void): void;
  on(event: "exit", f: () => void): void;
  postMessage(m: PoolRequest, transfer?: MessagePort[]): void;
  unref(): void;
  terminate(): unknown;
}

/** One Worker of the pool and the batches it has not answered yet. */
export interface PoolWorker {
  /** Resolves to whether the Worker runs the WebAssembly kernel; false if it failed to start. */
  ready: Promise<boolean>;
  /** Runs a range of pairs; resolves when it is done, to its error if it threw. */
  run(job: PoolJob): Promise<PoolError | undefined>;
}

class Slot implements PoolWorker {
  ready: Promise<boolean>;
  dead = false;
  #port: Port | null = null;
  #pending = new Map<number, { resolve: (e?: PoolError) => void; reject: (e: Error) => void }>();
  #readyResolve!: (ok: boolean) => void;
  #nextId = 1;
  #onDead: (s: Slot) => void;

  constructor(onDead: (s: Slot) => void, nodeThreads: boolean) {
    this.#onDead = onDead;
    this.ready = new Promise((r) => this.#readyResolve = r);
    openPort((m) => this.#receive(m), (why) => this.#fail(why), nodeThreads).then((port) => {
      if (port === null || this.dead) {
        port?.terminate();
        this.#fail("Workers cannot be started here");
        return;
      }
      this.#port = port;
      port.post({ type: "init", module: wasmKernelModule() });
    });
  }

  #receive(m: PoolReply): void {
    if (m.type === "ready") {
      this.#readyResolve(m.wasm);
      return;
    }
    const p = this.#pending.get(m.id);
    this.#pending.delete(m.id);
    p?.resolve(m.error);
  }

  #fail(why: string): void {
    if (this.#end(`softDtwBatchParallel64: a worker failed: ${why}`)) this.#onDead(this);
  }

  /** Ends the Worker, rejecting its batches with `message`; false if it had ended. */
  #end(message: string): boolean {
    if (this.dead) return false;
    this.dead = true;
    this.#port?.terminate();
    this.#readyResolve(false);
    for (const p of this.#pending.values()) p.reject(new Error(message));
    this.#pending.clear();
    return true;
  }

  run(job: PoolJob): Promise<PoolError | undefined> {
    const port = this.#port;
    if (port === null || this.dead) {
      return Promise.reject(new Error("softDtwBatchParallel64: the worker is not running"));
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      port.post({ type: "run", id, job });
    });
  }

  idle(): void {
    this.#port?.idle();
  }

  close(): void {
    this.#end("softDtwBatchParallel64: the pool was closed during the batch");
  }
}

async function openPort(
  onMessage: (m: PoolReply) => void,
  onFail: (why: string) => void,
  nodeThreads: boolean,
): Promise<Port | null> {
  const url = new URL("./_batch_worker.ts", import.meta.url);
  if (nodeThreads && typeof (globalThis as { Deno?: unknown }).Deno === "object") {
    try {
      const spec = "node:worker_threads"; // not a literal: bundles for browsers skip it
      const threads = await import(spec) as { Worker: new (url: URL) => NodeWorker };
      const w = new threads.Worker(url);
      let channel: MessageChannel | null = null;
      w.on("message", onMessage);
      w.on("error", (e) => onFail(e.message));
      w.on("exit", () => onFail("the worker exited"));
      return {
        post(m) {
          if (m.type !== "run") {
            w.postMessage(m);
            return;
          }
          if (channel === null) {
            channel = new MessageChannel();
            channel.port1.onmessage = (e: MessageEvent<PoolReply>) => onMessage(e.data);
            w.postMessage({ type: "port", port: channel.port2 }, [channel.port2]);
          }
          channel.port1.postMessage(m);
        },
        idle() {
          channel?.port1.close();
          channel = null;
          w.unref();
        },
        terminate() {
          channel?.port1.close();
          channel = null;
          w.terminate();
        },
      };
    } catch {
      // no node:worker_threads: a module Worker below
    }
  }
  if (typeof Worker !== "function") return null;
  try {
    const w = new Worker(url, { type: "module" });
    w.onmessage = (e: MessageEvent<PoolReply>) => onMessage(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      onFail(e.message);
    };
    return { post: (m) => w.postMessage(m), idle() {}, terminate: () => w.terminate() };
  } catch {
    return null;
  }
}

/**
 * The ends of `parts` contiguous ranges of pairs with about the same number of DP cells
 * (`rows[b] · cols[b]` for pair b): `bounds[k]` to `bounds[k + 1]` is range k. Each end is the
 * one nearest to k/parts of all cells, so a range differs from its share by at most one pair.
 *
 * @example
 * ```ts
 * import { splitByCells } from "./_batch_pool.ts";
 * splitByCells([4, 1, 1, 2], [4, 4, 4, 4], 2); // [0, 1, 4]: 16 cells and 16 cells
 * ```
 */
export function splitByCells(rows: number[], cols: number[], parts: number): number[] {
  const prefix = [0];
  rows.forEach((r, b) => prefix.push(prefix[b] + r * cols[b]));
  const total = prefix[rows.length];
  const bounds = [0];
  for (let k = 1, b = 0; k < parts; k++) {
    const target = (k * total) / parts;
    while (b < rows.length && prefix[b + 1] <= target) b++;
    // b is the last end at or below the target; b + 1 may be nearer
    const end = b < rows.length && prefix[b + 1] - target < target - prefix[b] ? b + 1 : b;
    bounds.push(Math.max(end, bounds[k - 1]));
  }
  bounds.push(rows.length);
  return bounds;
}

/** The pool: Workers started on demand, kept between batches, ended when idle. */
export class BatchPool {
  #nodeThreads: boolean;
  #slots: Slot[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #active = 0;
  #scratch: SharedArrayBuffer | null = null;
  #scratchBusy = false;

  /**
   * A pool; `nodeThreads: false` uses module Workers in Deno too (as elsewhere; for tests:
   * those keep a program alive until they end).
   */
  constructor(options: { nodeThreads?: boolean } = {}) {
    this.#nodeThreads = options.nodeThreads ?? true;
  }

  /** Number of Workers alive. */
  get size(): number {
    return this.#slots.length;
  }

  /**
   * `n` ready Workers that run the WebAssembly kernel as the main thread does (`wasm`), started
   * if needed; null when they cannot be had (no Workers here, a Worker failed to start, or
   * SharedArrayBuffer is missing). Every acquire must be followed by {@linkcode release}.
   */
  async acquire(n: number, wasm = true): Promise<PoolWorker[] | null> {
    this.#active++;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (typeof SharedArrayBuffer !== "function") return null;
    while (this.#slots.length < n) {
      const onDead = (s: Slot) => this.#slots = this.#slots.filter((x) => x !== s);
      this.#slots.push(new Slot(onDead, this.#nodeThreads));
    }
    const slots = this.#slots.slice(0, n);
    const ok = await Promise.all(slots.map((s) => s.ready));
    if (slots.some((s) => s.dead) || (wasm && ok.some((w) => !w))) return null;
    return slots;
  }

  /**
   * A shared Float64Array of `length` for a batch's cost: the pool's scratch buffer when it is
   * free and large enough, else a new one. Give it back with {@linkcode releaseScratch}.
   */
  scratch(length: number): Float64Array {
    if (this.#scratchBusy || this.#scratch === null || this.#scratch.byteLength < 8 * length) {
      if (this.#scratchBusy) return new Float64Array(new SharedArrayBuffer(8 * length));
      this.#scratch = new SharedArrayBuffer(8 * length);
    }
    this.#scratchBusy = true;
    return new Float64Array(this.#scratch, 0, length);
  }

  /** Gives back a buffer of {@linkcode scratch}. */
  releaseScratch(a: Float64Array): void {
    if (a.buffer === this.#scratch) this.#scratchBusy = false;
  }

  /**
   * Ends a batch begun by {@linkcode acquire}: when no batch runs, the Workers end after
   * `idleTimeout` ms (0: now) unless another batch comes first.
   */
  release(idleTimeout: number): void {
    this.#active--;
    if (this.#active > 0) return;
    this.#slots.forEach((s) => s.idle());
    if (idleTimeout <= 0) {
      this.close();
      return;
    }
    this.#timer = setTimeout(() => this.close(), idleTimeout);
    const deno = (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno;
    deno?.unrefTimer?.(this.#timer as unknown as number);
  }

  /** Ends every Worker and frees the scratch buffer (batches running are rejected). */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const slots = this.#slots;
    this.#slots = [];
    slots.forEach((s) => s.close());
    if (!this.#scratchBusy) this.#scratch = null;
  }
}

/** The pool of `softDtwBatchParallel64`. */
export const batchPool: BatchPool = new BatchPool();
