/**
 * The entry point of a worker of pool.ts: receives runs ({@linkcode ToWorker}: the run's spec and,
 * once per data fingerprint, the data), computes them with `runOnce` of run.ts one at a time, and
 * posts the progress of every epoch and the result. Loads no tfjs and reads no files.
 *
 * @example
 * ```ts
 * // Started by WorkerPool, not imported:
 * new Worker(new URL("./worker.ts", import.meta.url), { type: "module" }).terminate();
 * ```
 *
 * @module
 */
import type { FromWorker, ToWorker } from "./pool.ts";
import { type RunData, runOnce } from "./run.ts";

interface WorkerScope {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
}

const scope = globalThis as unknown as WorkerScope;
const dataByFingerprint = new Map<string, RunData>();

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const { id, fingerprint, data, ...spec } = e.data;
  try {
    if (data) dataByFingerprint.set(fingerprint, data);
    const known = dataByFingerprint.get(fingerprint);
    if (!known) throw new Error(`no data received for fingerprint ${fingerprint}`);
    const result = runOnce({
      ...spec,
      data: known,
      onEpoch: (epoch, trainLoss, validationLoss) =>
        scope.postMessage({ id, type: "epoch", epoch, trainLoss, validationLoss }),
    });
    scope.postMessage({ id, type: "result", result });
  } catch (err) {
    scope.postMessage({
      id,
      type: "error",
      message: err instanceof Error ? err.message : `${err}`,
    });
  }
};
