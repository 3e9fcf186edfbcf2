/**
 * What notebooks/08_weak_labels_at_scale.ipynb shows of the Billboard study, computed from its
 * result (`runBillboardStudy`): the table's rows as records, the distortion curve, the expected
 * alignment of one whole song under a run's weights at any epoch, the learned templates and the
 * per-song scores of two rows. `deno task reproduce --only billboard` stores them in
 * `results/billboard/notebook.json` (billboard_notebook.ts), which the notebook reads.
 *
 * @example
 * ```ts
 * import { distortionCurve } from "./billboard_views.ts";
 * ```
 *
 * @module
 */
import {
  blankForward64,
  type BlankWeights,
  chordSequence,
  type Decoding,
  MAJMIN_LABELS,
} from "../chords/mod.ts";
import { softDtwValueAndGrad64 } from "../align/mod.ts";
import { BILLBOARD_ROWS, billboardRow, DECODINGS, rowModelKind } from "./billboard.ts";
import type { BillboardStudyResult } from "./billboard_run.ts";
import type { BillboardStudyData } from "./billboard_data.ts";
import { spread } from "./stats.ts";

/** One line of the study's table. */
export type BillboardRecord = {
  /** The model: `dChord` or `CNN`. */
  model: string;
  /** Row label. */
  labels: string;
  /** Decoding. */
  decoding: Decoding;
  /** WCSR (%) root, majmin, mirex, segmentation: mean ± std over runs (or the one run). */
  root: string;
  majmin: string;
  mirex: string;
  seg: string;
  /** Run 1's majmin bootstrap interval (95 %, over test songs). */
  "majmin 95 % CI (run 1)": string;
  /** Number of runs. */
  runs: number;
  /** Best validation epoch of each run. */
  "best epochs": string;
};

/** The table's lines (what `table.md` prints). */
export function billboardRecords(
  result: BillboardStudyResult,
  ci: (row: number, d: Decoding) => { low: number; high: number },
): BillboardRecord[] {
  const out: BillboardRecord[] = [];
  result.rows.forEach((r, i) => {
    for (const d of DECODINGS) {
      const scores = r.evaluations.map((e) => e.scores[d]);
      const ms = (k: "root" | "majmin" | "mirex" | "seg") => {
        const s = spread(scores.map((x) => 100 * x[k]));
        return scores.length > 1 ? `${s.mean.toFixed(1)} ± ${s.std.toFixed(1)}` : s.mean.toFixed(1);
      };
      const c = ci(i, d);
      out.push({
        model: rowModelKind(billboardRow(r.name)) === "cnn" ? "CNN" : "dChord",
        labels: r.label,
        decoding: d,
        root: ms("root"),
        majmin: ms("majmin"),
        mirex: ms("mirex"),
        seg: ms("seg"),
        "majmin 95 % CI (run 1)": `${(100 * c.low).toFixed(1)}–${(100 * c.high).toFixed(1)}`,
        runs: r.runs.length,
        "best epochs": r.runs.map((x) => x.bestEpoch).join(", "),
      });
    }
  });
  return out;
}

/** A row without (exact) timings drawn as a horizontal band over the distortion curve. */
export interface DistortionBand {
  /** Row name. */
  name: string;
  /** Row label. */
  label: string;
  /** Kind of label: weak segments, unaligned sequences or the two-step alignment. */
  kind: "weak" | "unaligned" | "two-step";
  /** Majmin WCSR (%) mean and std over runs (std NaN for one run). */
  mean: number;
  std: number;
  /**
   * Where the BCE curve (linear between the measured σ) falls to the band's mean: `above`, the
   * band is at or above strong BCE (σ = 0); `between`, at `sigma` seconds; `below`, the band is
   * under the curve's last point (σ beyond the largest measured).
   */
  crossover: { position: "above" | "between" | "below"; sigma: number | null };
}

/**
 * Majmin WCSR (%) of the BCE rows against the σ of their boundary noise (σ = 0: strong
 * labels), mean and std over runs, and each row without timings (weak, unaligned, two-step)
 * as a band with the σ at which the curve crosses it ({@linkcode DistortionBand}), for the rows
 * of one model (`"dchord-n"`, the default, or `"cnn"`).
 */
export function distortionCurve(
  result: BillboardStudyResult,
  decoding: Decoding,
  model: "dchord-n" | "cnn" = "dchord-n",
): {
  sigma: number[];
  mean: number[];
  std: number[];
  bands: DistortionBand[];
} {
  const points: { sigma: number; mean: number; std: number }[] = [];
  const rows: Omit<DistortionBand, "crossover">[] = [];
  for (const r of result.rows) {
    const row = BILLBOARD_ROWS.find((x) => x.name === r.name)!;
    if (rowModelKind(row) !== model) continue;
    const s = spread(r.evaluations.map((e) => 100 * e.scores[decoding].majmin));
    const kind = row.labels.kind;
    if (kind === "strong") points.push({ sigma: 0, mean: s.mean, std: s.std });
    else if (kind === "distorted" && row.labels.offset === 0) {
      points.push({ sigma: row.labels.sigma, mean: s.mean, std: s.std });
    } else if (kind === "weak" || kind === "unaligned" || kind === "two-step") {
      rows.push({ name: r.name, label: r.label, kind, mean: s.mean, std: s.std });
    }
  }
  points.sort((a, b) => a.sigma - b.sigma);
  const bands = rows.map((b) => ({ ...b, crossover: crossoverOf(points, b.mean) }));
  return {
    sigma: points.map((p) => p.sigma),
    mean: points.map((p) => p.mean),
    std: points.map((p) => p.std),
    bands,
  };
}

/**
 * The σ at which a curve of (σ, WCSR) points, linear between them, first falls to `level`.
 *
 * @example
 * ```ts
 * import { crossoverOf } from "./billboard_views.ts";
 * crossoverOf([{ sigma: 0, mean: 60 }, { sigma: 1, mean: 50 }], 55); // between, σ 0.5
 * ```
 */
export function crossoverOf(
  points: readonly { sigma: number; mean: number }[],
  level: number,
): DistortionBand["crossover"] {
  if (points.length === 0 || level >= points[0].mean) return { position: "above", sigma: null };
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1], b = points[i];
    if (b.mean <= level) {
      const u = (a.mean - level) / (a.mean - b.mean);
      return { position: "between", sigma: a.sigma + u * (b.sigma - a.sigma) };
    }
  }
  return { position: "below", sigma: null };
}

/**
 * The expected alignment `E = ∂SDTW/∂C` (γ = 0.3) of one song's frames and its chord sequence
 * without times under dChord-N weights, averaged over blocks of `every` frames, laid out as the
 * course draws alignments (the report's Figure 4.2): one row per chord sequence position, one
 * column per frame block (frames to the right). With the sequence's labels and the frame rate.
 */
export function songAlignment(
  data: BillboardStudyData,
  songId: string,
  weights: BlankWeights,
  options: { gamma?: number; every?: number } = {},
): { matrix: number[][]; labels: string[]; framesPerRow: number; frameRate: number } {
  const song = data.songs.find((s) => s.id === songId);
  if (!song) throw new RangeError(`no song ${songId} in the study's data`);
  const every = options.every ?? 4;
  const seq = chordSequence(song.reference);
  const M = song.labels.length, N = seq.length, K = 25;
  const lq = blankForward64(weights, song.treble).logProbabilities;
  const cost = new Float64Array(M * N);
  for (let m = 0; m < M; m++) {
    let sq = 0;
    for (let c = 0; c < K; c++) sq += Math.exp(2 * lq[m * K + c]);
    for (let n = 0; n < N; n++) cost[m * N + n] = sq - 2 * Math.exp(lq[m * K + seq[n]]) + 1;
  }
  const E = softDtwValueAndGrad64({ data: cost, rows: M, cols: N }, {
    gamma: options.gamma ?? 0.3,
  }).grad.data;
  const blocks = Math.ceil(M / every);
  const matrix: number[][] = Array.from({ length: N }, () => new Array(blocks).fill(0));
  for (let b = 0; b < blocks; b++) {
    const m0 = b * every, m1 = Math.min(M, m0 + every);
    for (let m = m0; m < m1; m++) {
      for (let n = 0; n < N; n++) matrix[n][b] += E[m * N + n] / (m1 - m0);
    }
  }
  for (const row of matrix) row.forEach((v, b) => (row[b] = Math.round(v * 1000) / 1000));
  return {
    matrix,
    labels: Array.from(seq, (i) => MAJMIN_LABELS[i]),
    framesPerRow: every,
    frameRate: data.frameRate,
  };
}

/** Per test song, the majmin WCSR (%) of run 1 of two rows (a scatter of one against the other). */
export function perSongScores(
  result: BillboardStudyResult,
  rowA: string,
  rowB: string,
  decoding: Decoding,
): { songs: string[]; a: number[]; b: number[] } {
  const get = (name: string) => {
    const r = result.rows.find((x) => x.name === name);
    if (!r) throw new RangeError(`no row ${name} in the result`);
    return r.evaluations[0].songs[decoding].map((s) => 100 * s.scores.majmin);
  };
  const songs = result.data.songs.filter((s) => s.split === "test").map((s) => s.id);
  return { songs, a: get(rowA), b: get(rowB) };
}

/** Per split: songs, hours of audio, frames, share of N frames and of unscored frames, chords. */
export function billboardDataSummary(data: BillboardStudyData): {
  split: string;
  songs: number;
  hours: number;
  frames: number;
  "N frames (%)": number;
  "unscored frames (%)": number;
  "chords per song (sequence without times)": number;
}[] {
  return (["train", "validation", "test"] as const).map((split) => {
    const songs = data.songs.filter((s) => s.split === split);
    let frames = 0, n = 0, x = 0, chords = 0;
    for (const s of songs) {
      frames += s.labels.length;
      for (const l of s.labels) {
        if (l === 24) n++;
        else if (l < 0) x++;
      }
      chords += chordSequence(s.reference).length;
    }
    return {
      split,
      songs: songs.length,
      hours: frames / data.frameRate / 3600,
      frames,
      "N frames (%)": (100 * n) / frames,
      "unscored frames (%)": (100 * x) / frames,
      "chords per song (sequence without times)": chords / songs.length,
    };
  });
}

/**
 * The training song whose expected alignment the notebook follows: the shortest one (fewest
 * frames) whose chord sequence has at least `minChords` elements (default 24).
 */
export function followedBillboardSong(data: BillboardStudyData, minChords = 24): string {
  let best: { id: string; frames: number } | null = null;
  for (const s of data.songs) {
    if (s.split !== "train" || chordSequence(s.reference).length < minChords) continue;
    if (!best || s.labels.length < best.frames) best = { id: s.id, frames: s.labels.length };
  }
  if (!best) throw new RangeError(`no training song with ${minChords} chords`);
  return best.id;
}
