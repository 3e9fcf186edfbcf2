import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import {
  resolveSongConfig,
  songLoss,
  songLossSettings,
  type TrainingSong,
  trainOnSongs,
} from "./song_trainer.ts";
import { dchordNWeights } from "./dchord_song_model.ts";
import type { SongModel } from "./song_model.ts";
import { blankForward64, initialBlankWeights } from "../model/dchord_blank.ts";
import { fromParameterVector, toParameterVector } from "../model/layers64.ts";
import { bruteForceCtc, bruteForceWeightedSoftDtw, diagonalPrior } from "../../align/mod.ts";
import { dchordNSongModel } from "./dchord_song_model.ts";
import { MAJOR_TRIAD, MINOR_TRIAD } from "../data/labels.ts";
import { mulberry32 } from "../random.ts";

const rand = mulberry32(1908);
function randomChroma(frames: number): Float64Array {
  return Float64Array.from({ length: frames * 12 }, () => rand() * 2);
}
function perturbedWeights() {
  const w = initialBlankWeights();
  const v = toParameterVector(w).map((x) => x + 0.3 * (rand() - 0.5));
  return fromParameterVector(v) as ReturnType<typeof initialBlankWeights>;
}
const BCE = resolveSongConfig({ loss: "bce" });
const SDTW = resolveSongConfig({ loss: "soft-dtw", gamma: 0.5 });
const CTC = resolveSongConfig({ loss: "ctc" });
const SDTW_W = resolveSongConfig({ loss: "soft-dtw", gamma: 0.7, stepWeights: [0, 1, 1] });

Deno.test("songLoss: soft-DTW value is brute-force soft-DTW over every path, / frames", () => {
  const M = 4;
  const chroma = randomChroma(M);
  const lq = blankForward64(perturbedWeights(), chroma).logProbabilities;
  const seq = Int32Array.from([3, 24, 15]);
  for (const config of [SDTW, SDTW_W]) {
    if (config.loss !== "soft-dtw") throw new Error("unreachable");
    const cost = Array.from({ length: M }, (_, m) =>
      Array.from(seq, (y) => {
        let s = 0;
        for (let c = 0; c < 25; c++) s += (Math.exp(lq[m * 25 + c]) - (c === y ? 1 : 0)) ** 2;
        return s;
      }));
    const brute = bruteForceWeightedSoftDtw(cost, {
      gamma: config.gamma,
      stepWeights: config.stepWeights,
    });
    const { value } = songLoss(lq, { labels: new Int32Array(M), sequence: seq }, config);
    assertAlmostEquals(value, brute.value / M, 1e-12);
  }
});

Deno.test("songLoss: BCE by hand on uniform outputs; unlabelled frames left out", () => {
  const lq = new Float64Array(3 * 25).fill(Math.log(1 / 25));
  const { value, grad } = songLoss(
    lq,
    { labels: Int32Array.from([2, -1, 24]), sequence: new Int32Array(0) },
    BCE,
  );
  // per labelled frame: −log(1/25) once and −log(24/25) 24 times, over 25 outputs
  assertAlmostEquals(value, (Math.log(25) + 24 * Math.log(25 / 24)) / 25, 1e-12);
  for (let c = 0; c < 25; c++) assertEquals(grad[25 + c], 0);
});

/** Synthetic songs: noisy triads in runs of random length, with N as quiet noise. */
function syntheticSong(id: string, chords: number[]): TrainingSong {
  const frames: Float64Array[] = [], labels: number[] = [];
  for (const c of chords) {
    const len = 10 + Math.floor(rand() * 10);
    for (let i = 0; i < len; i++) {
      const f = Float64Array.from({ length: 12 }, () => 0.05 * rand());
      if (c < 24) {
        const t = c < 12 ? MAJOR_TRIAD : MINOR_TRIAD;
        for (let k = 0; k < 12; k++) f[(k + c) % 12] += t[k] * (0.6 + 0.4 * rand());
      }
      frames.push(f);
      labels.push(c);
    }
  }
  const sequence = chords.filter((c, i) => i === 0 || c !== chords[i - 1]);
  const treble = new Float64Array(frames.length * 12);
  frames.forEach((f, m) => treble.set(f, m * 12));
  return { id, treble, labels: Int32Array.from(labels), sequence: Int32Array.from(sequence) };
}

Deno.test("trainOnSongs: unaligned soft-DTW learns N from chord sequences without times", () => {
  // major chords and N only: with rare minor chords among them, soft-DTW lets the minor
  // template collapse (it aligns a rare chord to a single frame), which BCE does not
  const songs = Array.from(
    { length: 10 },
    (_, s) =>
      syntheticSong(
        `s${s}`,
        [24, 0, 7, 9, 5, 24, 0, 7, 24].map((c) => c === 24 ? 24 : (c + s) % 12),
      ),
  );
  const accuracy = (w: ReturnType<typeof initialBlankWeights>, list: TrainingSong[]) => {
    let ok = 0, n = 0;
    for (const s of list) {
      const lq = blankForward64(w, s.treble).logProbabilities;
      s.labels.forEach((y, m) => {
        let best = 0;
        for (let c = 1; c < 25; c++) if (lq[m * 25 + c] > lq[m * 25 + best]) best = c;
        ok += best === y ? 1 : 0;
        n++;
      });
    }
    return ok / n;
  };
  const before = accuracy(initialBlankWeights(), songs.slice(7));
  const r = trainOnSongs({
    train: songs.slice(0, 7),
    validation: songs.slice(7),
    config: { loss: "soft-dtw", epochs: 30, batchSize: 3, learningRate: 0.05 },
  });
  const after = accuracy(dchordNWeights(r.parameters), songs.slice(7));
  // the flat N template ties on noise at the start; training makes N win there
  assert(after > before + 0.1, `accuracy ${before} → ${after}`);
  assert(after > 0.9, `accuracy ${after}`);
  assert(r.validationLoss[r.bestEpoch - 1] < r.validationLoss[0]);
});

Deno.test("trainOnSongs: early stopping after `patience` epochs; bad input named", () => {
  const a = syntheticSong("a", [0, 7]), b = syntheticSong("b", [5, 24]);
  const r = trainOnSongs({
    train: [a],
    validation: [b],
    config: { loss: "bce", epochs: 200, patience: 2, learningRate: 0.5 },
  });
  assertEquals(r.trainLoss.length, Math.min(200, r.bestEpoch + 2));
  assertThrows(() => resolveSongConfig({ loss: "bce", gamma: 1 } as never), RangeError, "gamma");
  assertThrows(() => resolveSongConfig({ loss: "hinge" } as never), RangeError, "loss");
  assertThrows(() => resolveSongConfig({ loss: "bce", batchSize: 0 }), RangeError, "batchSize");
  assertThrows(
    () =>
      trainOnSongs({
        train: [{ ...a, labels: Int32Array.from([99]) }],
        validation: [b],
        config: { loss: "bce" },
      }),
    RangeError,
    "train[0] (a): labels",
  );
});

Deno.test("trainOnSongs: any SongModel; a bass+treble model needs bass on every song", () => {
  // a model with one bias per output plus one weight on the bass energy: no dChord inside
  const seen: number[] = [];
  const model: SongModel = {
    kind: "bias+bass",
    size: 26,
    chroma: "bass+treble",
    init: () => new Float64Array(26),
    forward(params, song) {
      const M = song.treble.length / 12;
      const lq = new Float64Array(M * 25);
      const energy = Float64Array.from({ length: M }, (_, m) => {
        let e = 0;
        for (let k = 0; k < 12; k++) e += song.bass![m * 12 + k];
        return e;
      });
      seen.push(energy[0]);
      for (let m = 0; m < M; m++) {
        // output 5 gets params[25] × bass energy on top of its bias
        let z = 0;
        for (let c = 0; c < 25; c++) {
          z += Math.exp(params[c] + (c === 5 ? params[25] * energy[m] : 0));
        }
        for (let c = 0; c < 25; c++) {
          lq[m * 25 + c] = params[c] + (c === 5 ? params[25] * energy[m] : 0) - Math.log(z);
        }
      }
      return {
        logProbabilities: lq,
        backward(g) {
          const out = new Float64Array(26);
          for (let m = 0; m < M; m++) {
            let sum = 0;
            for (let c = 0; c < 25; c++) sum += g[m * 25 + c];
            for (let c = 0; c < 25; c++) {
              const ds = g[m * 25 + c] - Math.exp(lq[m * 25 + c]) * sum;
              out[c] += ds;
              if (c === 5) out[25] += ds * energy[m];
            }
          }
          return out;
        },
      };
    },
  };
  // frames with bass energy 1 are F major (5), the others C major (0)
  const bass = Float64Array.from(
    { length: 40 * 12 },
    (_, i) => Math.floor(i / 12) % 2 && i % 12 === 5 ? 1 : 0,
  );
  const labels = Int32Array.from({ length: 40 }, (_, m) => m % 2 ? 5 : 0);
  const song = {
    id: "b",
    treble: new Float64Array(40 * 12),
    bass,
    labels,
    sequence: Int32Array.from([0, 5]),
  };
  const r = trainOnSongs({
    train: [song],
    validation: [song],
    config: { loss: "bce", epochs: 60 },
    model,
  });
  assertEquals(r.parameters.length, 26);
  assert(seen.length > 0 && seen[0] === 0);
  const last = model.forward(r.parameters, song).logProbabilities;
  const best = (m: number) => {
    let b = 0;
    for (let c = 1; c < 25; c++) if (last[m * 25 + c] > last[m * 25 + b]) b = c;
    return b;
  };
  for (let m = 0; m < 40; m++) assertEquals(best(m), labels[m], `frame ${m}`);
  assertThrows(
    () =>
      trainOnSongs({
        train: [{ ...song, bass: undefined }],
        validation: [song],
        config: { loss: "bce" },
        model,
      }),
    RangeError,
    "train[0] (b): model bias+bass reads bass chroma",
  );
  assertThrows(
    () =>
      trainOnSongs({
        train: [song],
        validation: [song],
        config: { loss: "bce" },
        model,
        init: new Float64Array(3),
      }),
    RangeError,
    "init has 3 parameters, model bias+bass has 26",
  );
});

/** The squared Euclidean cost of frames `rows` of log-probabilities against a target. */
function costOf(lq: Float64Array, rows: number[], target: ArrayLike<number>): number[][] {
  return rows.map((m) =>
    Array.from(target, (y) => {
      let s = 0;
      for (let c = 0; c < 25; c++) s += (Math.exp(lq[m * 25 + c]) - (c === y ? 1 : 0)) ** 2;
      return s;
    })
  );
}

Deno.test("songLoss: weak segments are the mean over segments of brute-force soft-DTW / frames", () => {
  const lq = blankForward64(perturbedWeights(), randomChroma(7)).logProbabilities;
  const segments = [
    { start: 0, frames: 3, target: Int32Array.from([2, 2, 24, 24]) },
    { start: 4, frames: 3, target: Int32Array.from([5, 9]) },
  ];
  const config = resolveSongConfig({ loss: "soft-dtw", gamma: 0.4, target: "segments" });
  const { value } = songLoss(lq, {
    labels: new Int32Array(7),
    sequence: new Int32Array(0),
    segments,
  }, config);
  const brute = segments.map((g) =>
    bruteForceWeightedSoftDtw(costOf(lq, [g.start, g.start + 1, g.start + 2], g.target), {
      gamma: 0.4,
      stepWeights: [1, 1, 1],
    }).value / g.frames
  );
  assertAlmostEquals(value, (brute[0] + brute[1]) / 2, 1e-12);
});

Deno.test("songLoss: the diagonal prior adds w·(1 − P) to the cost (brute force); settings by epoch", () => {
  const M = 5;
  const lq = blankForward64(perturbedWeights(), randomChroma(M)).logProbabilities;
  const seq = Int32Array.from([1, 24]);
  const config = resolveSongConfig({
    loss: "soft-dtw",
    gamma: 0.3,
    annealFrom: 2.3,
    prior: 0.8,
    scheduleEpochs: 3,
  });
  // epoch 2 of 3: halfway, γ = 1.3 and w = 0.4; from epoch 3 on the final γ and no prior
  const s2 = songLossSettings(config, 2);
  assertAlmostEquals(s2.gamma, 1.3, 1e-15);
  assertAlmostEquals(s2.priorWeight, 0.4, 1e-15);
  assertEquals(songLossSettings(config, 7), { gamma: 0.3, priorWeight: 0 });
  assertEquals(songLossSettings(config), { gamma: 0.3, priorWeight: 0 });
  const P = diagonalPrior(M, 2);
  const cost = costOf(lq, [0, 1, 2, 3, 4], seq).map((row, m) =>
    row.map((c, n) => c + 0.4 * (1 - P[m][n]))
  );
  const brute = bruteForceWeightedSoftDtw(cost, { gamma: 1.3, stepWeights: [1, 1, 1] }).value;
  const { value } = songLoss(lq, { labels: new Int32Array(M), sequence: seq }, config, {
    settings: s2,
  });
  assertAlmostEquals(value, brute / M, 1e-12);
});

Deno.test("songLoss: CTC with N as the blank is brute-force CTC over every labeling, / frames", () => {
  const M = 4;
  const lq = blankForward64(perturbedWeights(), randomChroma(M)).logProbabilities;
  const rows = Array.from({ length: M }, (_, m) => Array.from(lq.subarray(m * 25, m * 25 + 25)));
  // N (24) is dropped from the target: [3, 3] needs a blank (N) frame between the two chords
  const seq = Int32Array.from([3, 24, 3]);
  const brute = bruteForceCtc(rows, [3, 3], { blank: 24 });
  const { value, grad } = songLoss(lq, { labels: new Int32Array(M), sequence: seq }, CTC);
  assertAlmostEquals(value, brute.value / M, 1e-12);
  for (let m = 0; m < M; m++) {
    for (let c = 0; c < 25; c++) assertAlmostEquals(grad[m * 25 + c], brute.grad[m][c] / M, 1e-12);
  }
});

Deno.test("every loss through dchordNSongModel's backward equals finite differences", () => {
  const M = 6;
  const chroma = randomChroma(M);
  const song = {
    labels: Int32Array.from([0, 0, -1, 21, 24, 24]),
    sequence: Int32Array.from([0, 21, 24]),
    segments: [{ start: 1, frames: 4, target: Int32Array.from([0, 0, 21, 24]) }],
  };
  const configs = [
    BCE,
    SDTW,
    SDTW_W,
    CTC,
    resolveSongConfig({ loss: "soft-dtw", gamma: 0.5, target: "segments" }),
    resolveSongConfig({ loss: "soft-dtw", gamma: 0.5, prior: 1 }),
  ];
  for (const config of configs) {
    const v = toParameterVector(perturbedWeights());
    const settings = songLossSettings(config, 1);
    const loss = (x: Float64Array) =>
      songLoss(dchordNSongModel.forward(x, { treble: chroma }).logProbabilities, song, config, {
        settings,
      }).value;
    const f = dchordNSongModel.forward(v, { treble: chroma });
    const g = f.backward(
      songLoss(f.logProbabilities, song, config, { probabilities: f.probabilities, settings }).grad,
    );
    const h = 1e-6;
    for (let k = 0; k < 37; k++) {
      const up = Float64Array.from(v), down = Float64Array.from(v);
      up[k] += h;
      down[k] -= h;
      const fd = (loss(up) - loss(down)) / (2 * h);
      assertAlmostEquals(g[k], fd, 1e-6 + 1e-5 * Math.abs(fd), `${config.loss} parameter ${k}`);
    }
  }
});

Deno.test("trainOnSongs: with a schedule, no epoch before its end is kept; patience counts from there", () => {
  const a = syntheticSong("a", [0, 7, 24]), b = syntheticSong("b", [5, 24, 9]);
  const r = trainOnSongs({
    train: [a],
    validation: [b],
    config: { loss: "soft-dtw", annealFrom: 5, scheduleEpochs: 4, epochs: 30, patience: 2 },
  });
  assert(r.bestEpoch >= 4, `best epoch ${r.bestEpoch}`);
  // the best epoch is the lowest validation loss from epoch 4 on
  const tail = r.validationLoss.slice(3);
  assertEquals(r.validationLoss[r.bestEpoch - 1], Math.min(...tail));
  assertEquals(r.trainLoss.length, Math.min(30, r.bestEpoch + 2));
  assertThrows(
    () => resolveSongConfig({ loss: "soft-dtw", target: "segments", prior: 1 }),
    RangeError,
    "whole songs",
  );
  assertThrows(
    () =>
      trainOnSongs({
        train: [a],
        validation: [b],
        config: { loss: "soft-dtw", target: "segments" },
      }),
    RangeError,
    "needs the song's segments",
  );
});
