/**
 * A pool of Deno Workers that compute single training runs ({@linkcode runOnce} of run.ts), one
 * per worker at a time, longest first. Workers receive data, not paths: each worker gets the
 * segments of a data set once (the first job with that data fingerprint carries them), and every
 * job names its data by fingerprint. The worker entry point is worker.ts, which imports run.ts
 * only (float64 code; no tfjs is loaded in a worker).
 *
 * Share one pool between several concurrent experiments to keep every core busy (as
 * tools/reproduce.ts does); call {@linkcode WorkerPool.terminate} when done. A worker computes
 * exactly what the main thread would (float64 JavaScript, no threads inside), so results do not
 * depend on the number of workers.
 *
 * Used by `runExperiment` (lib/study/experiment.ts), `runGammaSweep` (lib/study/sweep.ts) and
 * by tools/reproduce.ts.
 *
 * @example
 * ```ts
 * import { WorkerPool } from "./pool.ts";
 * import { loadSplits } from "./data.ts";
 * import { dataFingerprint } from "./cache.ts";
 * const data = await loadSplits();
 * const pool = new WorkerPool(2);
 * try {
 *   const fingerprint = await dataFingerprint(data);
 *   const r = await pool.run({ data, fingerprint, config: { loss: "bce", epochs: 3 }, run: 1 });
 *   r.trainLoss.length; // 3
 * } finally {
 *   pool.terminate();
 * }
 * ```
 *
 * @module
 */
import type { RunData, RunResult, RunSpec } from "./run.ts";

/** A run for the pool: the run's spec, its data and the data's fingerprint. */
export interface PoolJob extends RunSpec {
  /** The data (sent to a worker only once per fingerprint). */
  data: RunData;
  /** Fingerprint of `data` (`dataFingerprint` of cache.ts). */
  fingerprint: string;
}

/** Message to a worker (see worker.ts). */
export interface ToWorker extends RunSpec {
  /** Job id. */
  id: number;
  /** Fingerprint of the job's data. */
  fingerprint: string;
  /** The data, when the worker has not received this fingerprint yet. */
  data?: RunData;
}

/** Message from a worker (see worker.ts). */
export type FromWorker =
  | { id: number; type: "epoch"; epoch: number; trainLoss: number; validationLoss: number }
  | { id: number; type: "result"; result: RunResult }
  | { id: number; type: "error"; message: string };

type OnEpoch = (epoch: number, trainLoss: number, validationLoss: number) => void;

interface Pending {
  id: number;
  job: PoolJob;
  cost: number;
  onEpoch?: OnEpoch;
  resolve: (r: RunResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Pending | null;
  has: Set<string>;
}

/** Rough cost of a run for scheduling: epochs × the target columns (soft length; 12 for BCE; more for the costlier extended losses). */
function jobCost(job: RunSpec): number {
  const c = job.config;
  const columns = c.loss === "bce" ? 12 : c.loss === "ctc"
    ? 33 // blank-extended target states
    : c.loss === "soft-dtw-divergence"
    ? 150 + (c.softLength ?? 16) // SDTW(P, P) dominates
    : (c.targets === "sequence" ? 16 : c.softLength ?? 16) *
      (c.stepWeights && c.stepWeights.join() !== "1,1,1" ? 2 : 1);
  return (c.epochs ?? 300) * columns;
}

/**
 * The pool (see the module doc): `size` workers started on demand, jobs queued longest first
 * (epochs × soft length; BCE counts as soft length 12), otherwise in the order submitted.
 *
 * Used by tools/reproduce.ts (and by `runExperiment` and `runGammaSweep` without a pool).
 *
 * @example
 * ```ts
 * import { WorkerPool } from "./pool.ts";
 * const pool = new WorkerPool(2);
 * pool.terminate();
 * ```
 */
export class WorkerPool {
  /** Number of workers. */
  readonly size: number;
  #slots: Slot[] = [];
  #queue: Pending[] = [];
  #nextId = 1;
  #closed = false;

  /** @param size number of workers (an integer >= 1) */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`workers must be an integer >= 1, got ${size}`);
    }
    this.size = size;
  }

  /** Queues one run; resolves with its result; `onEpoch` is called after every epoch. */
  run(job: PoolJob, onEpoch?: OnEpoch): Promise<RunResult> {
    if (this.#closed) return Promise.reject(new Error("WorkerPool: already terminated"));
    return new Promise((resolve, reject) => {
      const cost = jobCost(job);
      const pending = { id: this.#nextId++, job, cost, onEpoch, resolve, reject };
      const at = this.#queue.findIndex((q) => q.cost < cost);
      this.#queue.splice(at < 0 ? this.#queue.length : at, 0, pending);
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => s.busy === null);
      if (!slot && this.#slots.length < this.size) {
        const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
        const s: Slot = { worker, busy: null, has: new Set() };
        worker.onmessage = (e: MessageEvent<FromWorker>) => this.#message(s, e.data);
        worker.onerror = (e) => {
          e.preventDefault();
          this.#fail(s, new Error(`experiment worker failed: ${e.message}`));
        };
        this.#slots.push(s);
        slot = s;
      }
      if (!slot) return;
      const pending = this.#queue.shift()!;
      slot.busy = pending;
      const { data, fingerprint, ...spec } = pending.job;
      const message: ToWorker = { ...spec, id: pending.id, fingerprint };
      if (!slot.has.has(fingerprint)) {
        message.data = data;
        slot.has.add(fingerprint);
      }
      slot.worker.postMessage(message);
    }
  }

  #message(slot: Slot, msg: FromWorker): void {
    const p = slot.busy;
    if (!p || p.id !== msg.id) return;
    if (msg.type === "epoch") p.onEpoch?.(msg.epoch, msg.trainLoss, msg.validationLoss);
    else {
      slot.busy = null;
      if (msg.type === "result") p.resolve(msg.result);
      else p.reject(new Error(`experiment worker, run ${p.job.run}: ${msg.message}`));
      this.#dispatch();
    }
  }

  #fail(slot: Slot, error: Error): void {
    slot.worker.terminate();
    this.#slots = this.#slots.filter((s) => s !== slot);
    slot.busy?.reject(error);
    slot.busy = null;
    this.#dispatch();
  }

  /** Stops every worker; queued runs are rejected. */
  terminate(): void {
    this.#closed = true;
    for (const s of this.#slots) s.worker.terminate();
    this.#slots = [];
    for (const p of this.#queue) p.reject(new Error("WorkerPool: terminated"));
    this.#queue = [];
  }
}
