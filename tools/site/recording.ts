/// <reference lib="dom" />
/**
 * The "Your recording" page's script (bundled for the browser with the library by
 * `tools/site/recording_page.ts`): decodes a local audio file with WebAudio at the file's own
 * sampling rate (read from its container by `scanContainer`, so no resampling happens inside the
 * browser), then runs the same library code as `deno task chords` (`toMono`, `resample` to
 * 22050 Hz, `recognizeChords` with the default model of `recording-model.js`) and, for a typed
 * chord text, as `deno task align` (`parseChordText`, `alignChords`). Draws the chords on a
 * timeline under the player (the cursor follows playback), the chroma, and the expected
 * alignment; offers the `.lab` for download.
 *
 * For the browser test, the results and timings are kept in `globalThis.RECORDING_STATE`.
 *
 * Used by the course site's recording page (tools/site/recording.html).
 *
 * @module
 */
import { scanContainer } from "../../lib/audio/container.ts";
import { resample } from "../../lib/audio/resample.ts";
import { toMono } from "../../lib/audio/mix.ts";
import { CHROMA_NAMES } from "../../lib/chords/data/chroma.ts";
import { type ChordInterval, formatLab } from "../../lib/chords/data/lab.ts";
import { type ChordRecognizer, recognizerFromFile } from "../../lib/chords/model/recognizer.ts";
import { alignChords, type ChordAlignment } from "../../lib/recordings/align_chords.ts";
import { parseChordText } from "../../lib/recordings/chord_text.ts";
import { type Recognition, recognizeChords } from "../../lib/recordings/recognize.ts";

interface PlotlyLike {
  react(el: HTMLElement, data: unknown[], layout: unknown, config: unknown): Promise<unknown>;
  relayout(el: HTMLElement, update: Record<string, unknown>): Promise<unknown>;
}

/** What the page computed, for the browser test. */
export interface RecordingState {
  /** File name. */
  file: string;
  /** The recognized chords. */
  intervals: ChordInterval[];
  /** The last alignment's chords. */
  alignment: ChordAlignment["chords"] | null;
  /** Milliseconds: WebAudio decoding, mix-down and resampling, recognition. */
  timings: { decode: number; resample: number; recognize: number; total: number };
  /** An error shown to the reader, if any. */
  error: string | null;
}

const w = globalThis as unknown as {
  RECORDING_MODEL?: unknown;
  RECORDING_STATE?: RecordingState;
  Plotly?: PlotlyLike;
};

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`recording page: no element #${id}`);
  return el as T;
}

const CONFIG = { responsive: true, displaylogo: false };

/** Decodes a file with WebAudio at its own rate, mixes down and resamples to 22050 Hz. */
async function decodeFile(file: File) {
  const t0 = performance.now();
  const buffer = await file.arrayBuffer();
  const bytes = new Uint8Array(buffer);
  const scan = scanContainer(bytes, file.name); // clear errors for damaged or foreign files
  const context = new OfflineAudioContext(1, 1, scan.sampleRate);
  let audio: AudioBuffer;
  try {
    audio = await context.decodeAudioData(buffer.slice(0));
  } catch (e) {
    throw new Error(`${file.name}: the browser cannot decode this ${scan.format} file (${e})`);
  }
  const t1 = performance.now();
  const channels = Array.from(
    { length: audio.numberOfChannels },
    (_, c) => audio.getChannelData(c),
  );
  const samples = resample(toMono(channels, file.name), audio.sampleRate, 22050);
  const t2 = performance.now();
  return { samples, sourceRate: audio.sampleRate, channels: channels.length, t0, t1, t2 };
}

function drawTimeline(plotly: PlotlyLike, rec: Recognition) {
  const mids = rec.intervals.map((c) => (c.start + c.end) / 2);
  return plotly.react(byId("timeline"), [{
    type: "bar",
    orientation: "h",
    base: rec.intervals.map((c) => c.start),
    x: rec.intervals.map((c) => c.end - c.start),
    y: rec.intervals.map(() => "chords"),
    text: rec.intervals.map((c) => c.label.replace(":maj", "").replace(":min", "m")),
    textposition: "inside",
    insidetextanchor: "middle",
    customdata: mids,
    hovertemplate: "%{text}: %{base:.2f} s to %{x:.2f} s long<extra></extra>",
    marker: {
      color: rec.intervals.map((c) => (c.label.endsWith(":min") ? "#9ecae1" : "#fdae6b")),
      line: { color: "#444", width: 1 },
    },
  }], {
    height: 140,
    margin: { l: 60, r: 20, t: 30, b: 40 },
    title: { text: "Recognized chords (the line follows playback)" },
    xaxis: { title: { text: "time (s)" }, range: [0, rec.duration] },
    yaxis: { showticklabels: false },
    shapes: [{
      type: "line",
      x0: 0,
      x1: 0,
      y0: 0,
      y1: 1,
      yref: "paper",
      line: { color: "#d62728", width: 2 },
    }],
    showlegend: false,
  }, CONFIG);
}

function drawChroma(plotly: PlotlyLike, rec: Recognition) {
  const frames = rec.features.treble;
  const fr = rec.features.frameRate;
  return plotly.react(byId("chroma"), [{
    type: "heatmap",
    z: CHROMA_NAMES.map((_, p) => frames.map((f) => f[p])),
    x: frames.map((_, n) => n / fr),
    y: [...CHROMA_NAMES],
    colorscale: "Greys",
    reversescale: true,
    colorbar: { title: { text: "chroma" } },
    hovertemplate: "%{y} at %{x:.2f} s: %{z:.2f}<extra></extra>",
  }], {
    height: 300,
    margin: { l: 60, r: 20, t: 30, b: 40 },
    title: { text: "Chroma (frames L2-normalized)" },
    xaxis: { title: { text: "time (s)" } },
    yaxis: { title: { text: "pitch class" } },
  }, CONFIG);
}

function drawAlignment(plotly: PlotlyLike, rec: Recognition, alignment: ChordAlignment) {
  const fr = rec.features.frameRate;
  const names = alignment.chords.map((c, k) => `${k + 1} ${c.text}`);
  return plotly.react(byId("heatmap"), [{
    type: "heatmap",
    z: names.map((_, k) => alignment.expected.map((row) => row[k])),
    x: alignment.expected.map((_, n) => n / fr),
    y: names,
    zmin: 0,
    zmax: 1,
    colorscale: "Viridis",
    colorbar: { title: { text: "E" } },
    hovertemplate: "chord %{y} at %{x:.2f} s: %{z:.3f}<extra></extra>",
  }], {
    height: Math.max(260, 60 + 18 * names.length),
    margin: { l: 90, r: 20, t: 30, b: 40 },
    title: { text: "Expected alignment (probability that a frame belongs to a chord)" },
    xaxis: { title: { text: "time (s)" } },
    yaxis: { title: { text: "chord of the text" }, autorange: "reversed", type: "category" },
  }, CONFIG);
}

function followPlayback(plotly: PlotlyLike, player: HTMLAudioElement) {
  let frame = 0;
  const move = () => {
    const t = player.currentTime;
    plotly.relayout(byId("timeline"), { "shapes[0].x0": t, "shapes[0].x1": t });
  };
  const loop = () => {
    move();
    if (!player.paused) frame = requestAnimationFrame(loop);
  };
  player.addEventListener("play", () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(loop);
  });
  player.addEventListener("seeked", move);
  player.addEventListener("pause", move);
}

function showAlignment(plotly: PlotlyLike, model: ChordRecognizer, rec: Recognition) {
  const error = byId<HTMLParagraphElement>("align-error");
  const table = byId<HTMLTableElement>("alignment");
  error.hidden = true;
  try {
    const chords = parseChordText(byId<HTMLTextAreaElement>("chord-text").value, "your text");
    const alignment = alignChords(rec.logProbs, model.labels, chords, {
      frameRate: rec.features.frameRate,
      duration: rec.duration,
      subsequence: byId<HTMLInputElement>("subsequence").checked,
    });
    const body = table.tBodies[0];
    body.replaceChildren(...alignment.chords.map((c) => {
      const tr = document.createElement("tr");
      tr.dataset.start = String(c.start);
      tr.dataset.end = String(c.end);
      tr.dataset.label = c.harte;
      for (const v of [c.text, c.start.toFixed(2), c.end.toFixed(2), c.confidence.toFixed(2)]) {
        const td = document.createElement("td");
        td.textContent = v;
        tr.append(td);
      }
      return tr;
    }));
    table.hidden = false;
    if (w.RECORDING_STATE) w.RECORDING_STATE.alignment = alignment.chords;
    return drawAlignment(plotly, rec, alignment);
  } catch (e) {
    error.textContent = (e as Error).message;
    error.hidden = false;
    table.hidden = true;
  }
}

async function onFile(plotly: PlotlyLike, model: ChordRecognizer, file: File) {
  const status = byId<HTMLParagraphElement>("status");
  const result = byId<HTMLElement>("result");
  status.textContent = `Decoding ${file.name} …`;
  result.hidden = true;
  w.RECORDING_STATE = undefined;
  try {
    const decoded = await decodeFile(file);
    const rec = recognizeChords(model, decoded.samples, 22050);
    const t3 = performance.now();
    const timings = {
      decode: decoded.t1 - decoded.t0,
      resample: decoded.t2 - decoded.t1,
      recognize: t3 - decoded.t2,
      total: t3 - decoded.t0,
    };
    result.hidden = false;
    const player = byId<HTMLAudioElement>("player");
    if (player.src) URL.revokeObjectURL(player.src);
    player.src = URL.createObjectURL(file);
    const lab = byId<HTMLAnchorElement>("download");
    if (lab.href.startsWith("blob:")) URL.revokeObjectURL(lab.href);
    lab.href = URL.createObjectURL(new Blob([formatLab(rec.intervals)], { type: "text/plain" }));
    lab.download = `${file.name.replace(/\.[^.]+$/, "")}.lab`;
    byId("model-name").textContent = `(model ${model.name})`;
    const text = byId<HTMLTextAreaElement>("chord-text");
    if (!text.value.trim()) {
      text.value = rec.intervals.slice(0, 8).map((c) =>
        c.label === "N" ? "N" : c.label.replace(":maj", "").replace(":min", "m")
      ).join(" ");
    }
    await drawTimeline(plotly, rec);
    await drawChroma(plotly, rec);
    status.textContent = `${file.name}: ${rec.duration.toFixed(1)} s, ${decoded.channels} ` +
      `channel(s) at ${decoded.sourceRate} Hz; ${rec.intervals.length} chord segments found in ` +
      `${(timings.total / 1000).toFixed(2)} s.`;
    w.RECORDING_STATE = {
      file: file.name,
      intervals: rec.intervals,
      alignment: null,
      timings,
      error: null,
    };
    byId<HTMLButtonElement>("align").onclick = () => showAlignment(plotly, model, rec);
  } catch (e) {
    status.textContent = (e as Error).message;
    w.RECORDING_STATE = {
      file: file.name,
      intervals: [],
      alignment: null,
      timings: { decode: 0, resample: 0, recognize: 0, total: 0 },
      error: (e as Error).message,
    };
  }
  byId("status").dataset.done = "1";
}

function main() {
  const plotly = w.Plotly;
  if (!plotly) throw new Error("recording page: plotly.js is not loaded");
  const model = recognizerFromFile(w.RECORDING_MODEL, "recording-model.js");
  followPlayback(plotly, byId<HTMLAudioElement>("player"));
  const input = byId<HTMLInputElement>("file");
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    byId("status").dataset.done = "";
    if (file) onFile(plotly, model, file);
  });
}

main();
