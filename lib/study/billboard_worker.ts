/**
 * The entry point of a worker of the Billboard study (`runBillboardStudy` of billboard_run.ts):
 * receives one run to train (`{ id, row, run, dir, cacheDir }`), reads the study's songs from
 * the feature cache, trains the run and posts every epoch and the result. Writes nothing.
 *
 * @example
 * ```ts
 * // Started by runBillboardStudy, not imported:
 * new Worker(new URL("./billboard_worker.ts", import.meta.url), { type: "module" }).terminate();
 * ```
 *
 * @module
 */
import { billboardRow, trainBillboardRun } from "./billboard.ts";
import { type BillboardStudyData, loadBillboardStudy } from "./billboard_data.ts";

interface Job {
  id: number;
  row: string;
  run: number;
  dir?: string;
  cacheDir?: string;
  ids?: string[];
  maxEpochs?: number;
}

interface WorkerScope {
  onmessage: ((e: MessageEvent<Job>) => void) | null;
  postMessage(message: unknown): void;
}

const scope = globalThis as unknown as WorkerScope;
let data: Promise<BillboardStudyData> | null = null;

scope.onmessage = async (e: MessageEvent<Job>) => {
  const { id, row, run, dir, cacheDir, ids, maxEpochs } = e.data;
  try {
    data ??= loadBillboardStudy({ dir, cacheDir, ids });
    const base = billboardRow(row);
    const spec = maxEpochs === undefined
      ? base
      : { ...base, config: { ...base.config, epochs: maxEpochs } };
    const result = trainBillboardRun(
      await data,
      spec,
      run,
      (info) =>
        scope.postMessage({
          id,
          type: "epoch",
          epoch: info.epoch,
          trainLoss: info.trainLoss,
          validationLoss: info.validationLoss,
        }),
    );
    scope.postMessage({ id, type: "result", result });
  } catch (err) {
    scope.postMessage({
      id,
      type: "error",
      message: err instanceof Error ? err.message : `${err}`,
    });
  }
};
