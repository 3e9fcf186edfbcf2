/**
 * Runs the Billboard study (billboard.ts) and writes its files: every row × run trained on a
 * pool of Deno Workers (cached in `<results>/cache/`, keyed by the code version, the row, the
 * run and the data's fingerprint), evaluated on the test songs, and
 *
 * - `<results>/table.md` and `table.csv`: per row and decoding, WCSR root/majmin/mirex and the
 *   segmentation score, mean ± std over the runs, and the 95 % bootstrap interval over test
 *   songs of run 1's majmin WCSR;
 * - `<results>/per_song.json`: run 1's majmin WCSR of every test song, per row and decoding;
 * - `<results>/curves.json`: the loss curves of every run;
 * - `<results>/notebook.json`: what notebooks/08 shows (billboard_notebook.ts), sealed;
 * - `<models>/billboard-dchord-<row>.json` (dChord rows) and `billboard-cnn-<row>.json` (CNN
 *   rows, whose names start with `cnn-`): run 1's model of every row.
 *
 * Every file is written atomically and holds no date or wall time, so a rerun from the caches
 * rewrites them byte for byte.
 *
 * @example
 * ```ts
 * import { runBillboardStudy } from "./billboard_run.ts";
 * // await runBillboardStudy({ runs: 3 }); // about ... on this machine
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { bootstrapChords, type Decoding, type ModelFile } from "../chords/mod.ts";
import {
  BILLBOARD_ROWS,
  type BillboardEvaluation,
  billboardModelFile,
  billboardRow,
  type BillboardRun,
  DECODINGS,
  evaluateOnTest,
} from "./billboard.ts";
import { type BillboardStudyData, loadBillboardStudy } from "./billboard_data.ts";
import { readCacheFile, sealedJson, sha256Hex, writeFileAtomic } from "./cache.ts";
import { REPO_ROOT, RESULTS_DIR } from "./paths.ts";
import { type BillboardRecord, billboardRecords } from "./billboard_views.ts";
import {
  BILLBOARD_NOTEBOOK_FILE,
  billboardNotebookJson,
  billboardNotebookView,
} from "./billboard_notebook.ts";

/**
 * Version of the study's training code (part of every cache key). 2: the trainer's losses
 * reuse the forward pass's softmax and BCE takes one logarithm per frame for its 24 negative
 * outputs (equal to version 1 up to rounding, not bit for bit).
 */
export const BILLBOARD_CODE_VERSION = 2;

/**
 * Runs per row of the committed study (and the default of `deno task reproduce --only
 * billboard`): 3, as the issue asks (seeds 1, 2, 3; distortions drawn anew per run).
 */
export const BILLBOARD_RUNS = 3;

/**
 * The rows of the committed study (the default of {@linkcode runBillboardStudy}): the names
 * of `BILLBOARD_ROWS` that `results/billboard/` holds.
 */
export const BILLBOARD_STUDY_ROWS: readonly string[] = Object.freeze(
  BILLBOARD_ROWS.map((r) => r.name),
);

/** Options of {@linkcode runBillboardStudy}. */
export interface BillboardStudyOptions {
  /** Runs per row (default {@linkcode BILLBOARD_RUNS}). */
  runs?: number;
  /** Rows by name (default {@linkcode BILLBOARD_STUDY_ROWS}). */
  rows?: readonly string[];
  /** Number of workers (default 2). */
  workers?: number;
  /** Where the tables go (default `results/billboard`). */
  resultsDir?: string;
  /** Where the run caches are (default `<resultsDir>/cache`). */
  runCacheDir?: string;
  /** Where the models go (default `models/`). */
  modelsDir?: string;
  /** Write the files (default true; false computes only, e.g. in a notebook). */
  write?: boolean;
  /** Reuse cached runs (default true). */
  useCache?: boolean;
  /**
   * With `cachedOnly`: a row may have fewer cached runs than `runs` (runs 1..k, k >= 1, the
   * first missing run ends the row's list); the table says how many each row has. What
   * `deno task reproduce --cached` asks, so that a study stopped early is rewritten as committed.
   */
  partial?: boolean;
  /** Only cached runs: a missing one is an error (what `--cached` asks). */
  cachedOnly?: boolean;
  /** At most this many epochs per run (tests; part of the cache key). */
  maxEpochs?: number;
  /** Songs subset and folders (tests). */
  data?: { dir?: string; cacheDir?: string; ids?: string[] };
  /** Progress lines. */
  onProgress?: (message: string) => void;
}

/** What {@linkcode runBillboardStudy} returns. */
export interface BillboardStudyResult {
  /** The data. */
  data: BillboardStudyData;
  /** Per row: its runs and run 1's model and evaluation, and every run's scores. */
  rows: {
    name: string;
    label: string;
    runs: BillboardRun[];
    model: ModelFile;
    evaluations: BillboardEvaluation[];
  }[];
  /** Names of the runs trained now (not read from the cache). */
  trained: string[];
}

async function cachePath(
  dir: string,
  row: string,
  run: number,
  data: BillboardStudyData,
  maxEpochs: number | undefined,
): Promise<string> {
  const spec = billboardRow(row);
  // the bass joins the key only for rows that read it (the dChord rows keep their keys)
  const fingerprint = spec.model === "cnn"
    ? `${data.fingerprint}+bass:${data.bassFingerprint}`
    : data.fingerprint;
  const key = { version: BILLBOARD_CODE_VERSION, row: spec, run, fingerprint };
  const hash = (await sha256Hex(
    JSON.stringify(maxEpochs === undefined ? key : { ...key, maxEpochs }),
  )).slice(0, 12);
  return join(dir, `${row}-run${run}-${hash}.json`);
}

function readRun(path: string): Promise<BillboardRun | null> {
  return readCacheFile<BillboardRun>(path, (v) => {
    const r = v as BillboardRun;
    return r && Array.isArray(r.trainLoss) && Array.isArray(r.epochWeights) &&
        (Array.isArray(r.weights?.blank) || Array.isArray(r.parameters))
      ? null
      : "not a Billboard run";
  });
}

/**
 * A rough CPU time (seconds) of one run of a row, from the measured epoch times over the 400
 * training songs (README) and typical epoch counts, to order the workers' queue.
 */
function jobCost(name: string): number {
  const row = billboardRow(name);
  if (row.model === "cnn") {
    if (row.labels.kind === "two-step") return 90;
    if (row.labels.kind === "unaligned") return 50;
    if (row.labels.kind === "weak") return 32;
    return 25;
  }
  if (row.config.loss === "ctc") return 360;
  if (row.labels.kind === "unaligned") {
    return row.config.loss === "soft-dtw" && row.config.prior ? 175 : 135;
  }
  if (row.labels.kind === "two-step") return 110;
  if (row.labels.kind === "weak") return 70;
  return 35;
}

/** Trains jobs on a pool of workers (billboard_worker.ts). */
function trainOnWorkers(
  jobs: { row: string; run: number }[],
  size: number,
  data: BillboardStudyOptions["data"] & { maxEpochs?: number },
  onDone: (job: { row: string; run: number }, result: BillboardRun) => Promise<void>,
  onEpoch: (job: { row: string; run: number }, epoch: number, val: number) => void,
): Promise<void> {
  // run 1 of every row first, so that a study stopped early has every row; then the further
  // runs; each part the longest first (see jobCost), so that the two workers finish together
  const queue = jobs.map((j, id) => ({ ...j, id }))
    .sort((a, b) =>
      Number(a.run > 1) - Number(b.run > 1) || jobCost(b.row) - jobCost(a.row) ||
      a.run - b.run || a.id - b.id
    );
  const workers = Array.from(
    { length: Math.min(size, jobs.length) },
    () => new Worker(new URL("./billboard_worker.ts", import.meta.url), { type: "module" }),
  );
  return new Promise<void>((resolve, reject) => {
    let pending = jobs.length, failed = false;
    const next = (w: Worker) => {
      const job = queue.shift();
      if (!job) return;
      w.onmessage = (e: MessageEvent) => {
        const m = e.data;
        if (m.type === "epoch") onEpoch(job, m.epoch, m.validationLoss);
        else if (m.type === "error") {
          failed = true;
          workers.forEach((x) => x.terminate());
          reject(new Error(`${job.row} run ${job.run}: ${m.message}`));
        } else if (m.type === "result") {
          onDone(job, m.result).then(() => {
            if (--pending === 0) {
              workers.forEach((x) => x.terminate());
              resolve();
            } else if (!failed) next(w);
          }, (err) => {
            failed = true;
            workers.forEach((x) => x.terminate());
            reject(err);
          });
        }
      };
      w.postMessage({ id: job.id, row: job.row, run: job.run, ...data });
    };
    if (jobs.length === 0) resolve();
    workers.forEach(next);
  });
}

/** The text of `table.md` (see the module doc). */
export function billboardTable(result: BillboardStudyResult): string {
  const records = billboardRecords(
    result,
    (i, d) => bootstrapChords(result.rows[i].evaluations[0].songs[d]).majmin,
  );
  const keys = Object.keys(records[0]) as (keyof BillboardRecord)[];
  const counts = [...new Set(result.rows.map((r) => r.runs.length))].sort((a, b) => a - b);
  const n = counts.length === 1 ? `${counts[0]} run(s)` : "the runs in the column runs";
  const songs = result.data.songs.filter((s) => s.split === "test").length;
  return [
    "# Weak labels at scale: dChord and a CNN on the Billboard songs",
    "",
    `Test WCSR (%) on ${songs} test songs (mir_eval's rules, duration-weighted over all test ` +
    `audio), mean ± std over ${n}; the interval is the 95 % percentile bootstrap over ` +
    "test songs (1000 resamples) of run 1. Best epochs: the best validation epoch of each run.",
    "",
    `| ${keys.join(" | ")} |`,
    `| ${
      keys.map((k) => (k === "model" || k === "labels" || k === "decoding" ? "---" : "---:"))
        .join(" | ")
    } |`,
    ...records.map((r) => `| ${keys.map((k) => r[k]).join(" | ")} |`),
    "",
  ].join("\n");
}

/** The text of `table.csv`. */
export function billboardCsv(result: BillboardStudyResult): string {
  const out = ["row,decoding,run,root,majmin,mirex,overseg,underseg,seg,best_epoch"];
  for (const r of result.rows) {
    r.evaluations.forEach((e, i) => {
      for (const d of DECODINGS) {
        const s = e.scores[d];
        out.push(
          [
            r.name,
            d,
            r.runs[i].run,
            s.root,
            s.majmin,
            s.mirex,
            s.overseg,
            s.underseg,
            s.seg,
            r.runs[i].bestEpoch,
          ].join(","),
        );
      }
    });
  }
  return out.join("\n") + "\n";
}

/**
 * Trains (or reads from the cache), evaluates and writes the study (see the module doc).
 */
export async function runBillboardStudy(
  options: BillboardStudyOptions = {},
): Promise<BillboardStudyResult> {
  const runs = options.runs ?? BILLBOARD_RUNS;
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be >= 1, got ${runs}`);
  const rows = (options.rows ?? BILLBOARD_STUDY_ROWS).map(billboardRow);
  const resultsDir = options.resultsDir ?? join(RESULTS_DIR, "billboard");
  const modelsDir = options.modelsDir ?? join(REPO_ROOT, "models");
  const runCacheDir = options.runCacheDir ?? join(resultsDir, "cache");
  const log = options.onProgress ?? (() => {});
  const data = await loadBillboardStudy({ ...options.data, onProgress: log });
  const found = new Map<string, BillboardRun>();
  const jobs: { row: string; run: number }[] = [];
  const rowRuns = new Map<string, number>();
  for (const row of rows) {
    rowRuns.set(row.name, runs);
    for (let run = 1; run <= runs; run++) {
      const path = await cachePath(runCacheDir, row.name, run, data, options.maxEpochs);
      const cached = options.useCache === false ? null : await readRun(path);
      if (cached) found.set(`${row.name}/${run}`, cached);
      else if (options.cachedOnly && options.partial && run > 1) {
        rowRuns.set(row.name, run - 1);
        break;
      } else if (options.cachedOnly) {
        throw new Error(`no cached run ${path} (run without --cached)`);
      } else jobs.push({ row: row.name, run });
    }
  }
  const trained: string[] = [];
  await trainOnWorkers(
    jobs,
    options.workers ?? 2,
    { ...options.data, maxEpochs: options.maxEpochs },
    async (job, result) => {
      found.set(`${job.row}/${job.run}`, result);
      await writeFileAtomic(
        await cachePath(runCacheDir, job.row, job.run, data, options.maxEpochs),
        await sealedJson(result as unknown as Record<string, unknown>),
      );
      trained.push(`${job.row}/${job.run}`);
      log(
        `${job.row} run ${job.run}: best epoch ${result.bestEpoch} of ${result.trainLoss.length}`,
      );
    },
    (job, epoch, val) =>
      log(`${job.row} run ${job.run} epoch ${epoch}: validation ${val.toFixed(5)}`),
  );
  const result: BillboardStudyResult = { data, rows: [], trained };
  for (const row of rows) {
    const list = Array.from(
      { length: rowRuns.get(row.name)! },
      (_, i) => found.get(`${row.name}/${i + 1}`)!,
    );
    const files = list.map((r) => billboardModelFile(data, row, r));
    const evaluations = files.map((f) => evaluateOnTest(data, f));
    result.rows.push({
      name: row.name,
      label: row.label,
      runs: list,
      model: files[0],
      evaluations,
    });
  }
  if (options.write !== false) await writeBillboardFiles(result, { resultsDir, modelsDir });
  return result;
}

/**
 * Writes the study's files (see the module doc) into `resultsDir` and `modelsDir`, atomically.
 */
export async function writeBillboardFiles(
  result: BillboardStudyResult,
  dirs: { resultsDir: string; modelsDir: string },
): Promise<string[]> {
  const { resultsDir, modelsDir } = dirs;
  const { data } = result;
  const testIds = data.songs.filter((s) => s.split === "test").map((s) => s.id);
  const perSong = {
    songs: testIds,
    rows: Object.fromEntries(result.rows.map((r) => [
      r.name,
      Object.fromEntries(DECODINGS.map((d: Decoding) => [
        d,
        r.evaluations[0].songs[d].map((s) => s.scores.majmin),
      ])),
    ])),
  };
  const curves = Object.fromEntries(result.rows.map((r) => [
    r.name,
    r.runs.map((x) => ({
      run: x.run,
      bestEpoch: x.bestEpoch,
      train: x.trainLoss,
      validation: x.validationLoss,
    })),
  ]));
  await writeFileAtomic(join(resultsDir, "table.md"), billboardTable(result));
  await writeFileAtomic(join(resultsDir, "table.csv"), billboardCsv(result));
  await writeFileAtomic(join(resultsDir, "per_song.json"), JSON.stringify(perSong) + "\n");
  await writeFileAtomic(join(resultsDir, "curves.json"), JSON.stringify(curves) + "\n");
  await writeFileAtomic(
    join(resultsDir, BILLBOARD_NOTEBOOK_FILE),
    await billboardNotebookJson(await billboardNotebookView(result)),
  );
  for (const r of result.rows) {
    await writeFileAtomic(
      join(modelsDir, `${r.model.name}.json`),
      JSON.stringify(r.model, null, 2) + "\n",
    );
  }
  return [
    ...["table.md", "table.csv", "per_song.json", "curves.json", BILLBOARD_NOTEBOOK_FILE].map((f) =>
      join(resultsDir, f)
    ),
    ...result.rows.map((r) => join(modelsDir, `${r.model.name}.json`)),
  ];
}
