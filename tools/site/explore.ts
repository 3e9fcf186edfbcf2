/// <reference lib="dom" />
/**
 * The explorer page's script (bundled for the browser with `lib/align` by
 * `tools/site/build.ts`): reads the examples from `explore-data.js`, recomputes the soft-DTW
 * value and the expected alignment with {@linkcode explore} (and, for the followed segment, the
 * CTC value and posterior with {@linkcode exploreCtc}) whenever a control changes (example,
 * preset, γ, step weights), and draws the
 * heatmaps with plotly.js. The exact values are kept in the `data-value` attributes of `#value`
 * and `#ctc-value` for the browser test.
 *
 * Used by the explorer page of the course site (linked from
 * notebooks/02_gradient_expected_alignment.ipynb and notebooks/05_gamma_sweep.ipynb).
 *
 * @module
 */
import {
  explore,
  EXPLORE_PRESETS,
  exploreCtc,
  type ExplorePreset,
  GAMMA_STEPS,
  gammaAt,
  positionOf,
  type StepWeights,
} from "./explore_core.ts";
import type { ExplorerData, ExplorerExample } from "./explorer_data.ts";

interface PlotlyLike {
  react(el: HTMLElement, data: unknown[], layout: unknown, config: unknown): Promise<unknown>;
}

const w = globalThis as unknown as { EXPLORER_DATA?: ExplorerData; Plotly?: PlotlyLike };

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`explorer: no element #${id}`);
  return el as T;
}

function format(v: number): string {
  return Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 0.001)
    ? v.toExponential(4)
    : v.toFixed(4);
}

const transpose = (m: number[][]) => m[0].map((_, j) => m.map((row) => row[j]));

interface HeatmapSpec {
  z: number[][];
  yTicks?: string[];
  zmax: number;
  title: string;
  xTitle: string;
  yTitle: string;
  colorbar: string;
  path?: { x: number[]; y: (number | string)[]; name: string };
  height: number;
}

function drawHeatmap(plotly: PlotlyLike, el: HTMLElement, spec: HeatmapSpec): void {
  const traces: unknown[] = [{
    type: "heatmap",
    z: spec.z,
    y: spec.yTicks,
    zmin: 0,
    zmax: spec.zmax,
    colorscale: "Viridis",
    colorbar: { title: { text: spec.colorbar }, thickness: 14 },
    hovertemplate: `${spec.xTitle} %{x}<br>${spec.yTitle} %{y}<br>value %{z:.4f}<extra></extra>`,
  }];
  if (spec.path) {
    traces.push({
      type: "scatter",
      mode: "lines",
      name: spec.path.name,
      x: spec.path.x,
      y: spec.path.y,
      line: { color: "#ff4136", width: 2 },
      hoverinfo: "skip",
    });
  }
  plotly.react(el, traces, {
    title: { text: spec.title },
    height: spec.height,
    margin: { l: 90, r: 20, t: 50, b: 50 },
    xaxis: { title: { text: spec.xTitle } },
    yaxis: {
      title: { text: spec.yTitle },
      type: spec.yTicks ? "category" : "linear",
      categoryorder: "array",
      categoryarray: spec.yTicks,
    },
    legend: { orientation: "h", x: 1, xanchor: "right", y: 1.08 },
    paper_bgcolor: "rgba(0,0,0,0)",
  }, { responsive: true, displaylogo: false, displayModeBar: "hover" });
}

function start(): void {
  const data = w.EXPLORER_DATA;
  const plotly = w.Plotly;
  const error = byId<HTMLParagraphElement>("error");
  if (!data || !plotly) {
    error.hidden = false;
    error.textContent = "The explorer's data or plotly.js did not load.";
    return;
  }
  const select = byId<HTMLSelectElement>("example");
  for (const ex of data.examples) {
    const option = document.createElement("option");
    option.value = ex.id;
    option.textContent = ex.label;
    select.append(option);
  }
  const followed = data.examples.find((e) => e.id.startsWith("segment-"));
  select.value = followed?.id ?? data.examples[0].id;
  const gamma = byId<HTMLInputElement>("gamma");
  gamma.max = String(GAMMA_STEPS);
  gamma.value = String(positionOf(data.trainingGamma));
  const weightIds = ["w-row", "w-col", "w-diag"] as const;
  const weights = weightIds.map((id) => byId<HTMLInputElement>(id));
  const ctcSection = byId<HTMLElement>("ctc-section");
  const presetSelect = byId<HTMLSelectElement>("preset");
  for (const p of EXPLORE_PRESETS) {
    const option = document.createElement("option");
    option.value = p.id;
    option.textContent = p.label;
    presetSelect.append(option);
  }
  presetSelect.value = "softDtw";

  const update = () => {
    const example = data.examples.find((e) => e.id === select.value) as ExplorerExample;
    const g = gammaAt(Number(gamma.value));
    const stepWeights = weights.map((s) => Number(s.value)) as StepWeights;
    byId("gamma-value").textContent = String(g);
    weightIds.forEach((id, k) => byId(`${id}-value`).textContent = stepWeights[k].toFixed(2));
    byId("example-description").textContent = example.description;
    const preset = presetSelect.value as ExplorePreset;
    // partial matching and CTC fix their step weights
    const ownWeights = preset === "softDtw" || preset === "subsequence";
    weights.forEach((s) => s.disabled = !ownWeights);
    try {
      const r = explore(example, { gamma: g, stepWeights, preset });
      const names = chordNames(example);
      const yTicks = r.extended
        ? r.extended.map((c, s) => `${s}: ${c === 0 ? "ε" : names[c] ?? c}`)
        : example.colLabels?.map((l, j) => `${j}: ${l}`);
      error.hidden = true;
      const value = byId<HTMLOutputElement>("value");
      value.textContent = format(r.value);
      value.dataset.value = String(r.value);
      value.dataset.gamma = String(g);
      value.dataset.weights = stepWeights.join(",");
      value.dataset.example = example.id;
      value.dataset.preset = preset;
      byId("dtw-value").textContent = format(r.dtwValue);
      const plain = stepWeights.every((v) => v === 1);
      const label = EXPLORE_PRESETS.find((p) => p.id === preset)!.label;
      drawHeatmap(plotly, byId("heatmap"), {
        // frames (rows of x) on the horizontal axis, target elements on the vertical axis
        z: transpose(r.grad),
        yTicks,
        zmax: Math.max(1, ...r.grad.flat()),
        title: preset !== "softDtw"
          ? `∂value/∂C of ${label}, γ = ${g}`
          : plain
          ? `Expected alignment ∂SDTW/∂C, γ = ${g}`
          : `∂SDTW/∂C with step weights [${stepWeights.join(", ")}], γ = ${g}`,
        xTitle: example.rowTitle,
        yTitle: r.extended ? "extended target (ε = blank)" : example.colTitle,
        colorbar: "∂value/∂C",
        path: {
          x: r.path.map(([m]) => m),
          y: r.path.map(([, n]) => yTicks ? yTicks[n] : n),
          name: preset === "softDtw" ? "optimal DTW path" : "optimal path (hard minimum)",
        },
        height: (r.extended?.length ?? example.y.length) > 8 ? 460 : 380,
      });
      const ctc = exploreCtc(example, g);
      ctcSection.hidden = ctc === null;
      if (ctc !== null) {
        const ctcValue = byId<HTMLOutputElement>("ctc-value");
        ctcValue.textContent = format(ctc.value);
        ctcValue.dataset.value = String(ctc.value);
        ctcValue.dataset.gamma = String(g);
        ctcValue.dataset.example = example.id;
        const ext = ctc.extended.map((c, s) => `${s}: ${c === 0 ? "ε" : names[c] ?? c}`);
        drawHeatmap(plotly, byId("ctc"), {
          z: transpose(ctc.occupancy),
          yTicks: ext,
          zmax: 1,
          title: `CTC posterior over the extended target, γ = ${g}`,
          xTitle: example.rowTitle,
          yTitle: "extended target (ε = blank)",
          colorbar: "posterior",
          height: 460,
        });
      }
    } catch (e) {
      error.hidden = false;
      error.textContent = (e as Error).message;
    }
  };
  select.addEventListener("change", update);
  presetSelect.addEventListener("change", update);
  gamma.addEventListener("input", update);
  weights.forEach((s) => s.addEventListener("input", update));
  update();
}

/** Chord names by CTC class (1..24 → the example's chord labels by class). */
function chordNames(example: ExplorerExample): string[] {
  const byClass: string[] = [];
  example.labels?.forEach((c, j) => {
    if (c >= 0 && example.colLabels) byClass[c + 1] = example.colLabels[j];
  });
  return byClass.map((n) => n ?? "");
}

start();
