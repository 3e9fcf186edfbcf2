/// <reference lib="dom" />
/**
 * The explorer page's script (bundled for the browser with `lib/align` by
 * `tools/site/build.ts`): reads the examples from `explore-data.js`, recomputes the soft-DTW
 * value and the expected alignment with {@linkcode explore} whenever a control changes, and
 * draws the heatmap with plotly.js. The exact value is kept in the `data-value` attribute of
 * `#value` for the browser test.
 *
 * Used by the explorer page of the course site (linked from
 * notebooks/02_gradient_expected_alignment.ipynb and notebooks/05_gamma_sweep.ipynb).
 *
 * @module
 */
import {
  explore,
  GAMMA_STEPS,
  gammaAt,
  positionOf,
  STEP_WEIGHTS_AVAILABLE,
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
  return Math.abs(v) >= 1000 || Math.abs(v) < 0.001 ? v.toExponential(4) : v.toFixed(4);
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
  weights.forEach((s) => s.disabled = !STEP_WEIGHTS_AVAILABLE);
  byId("weights-note").textContent = STEP_WEIGHTS_AVAILABLE
    ? "Each step multiplies the cost of the cell it enters by its weight; [1, 1, 1] is plain " +
      "soft-DTW."
    : "Plain soft-DTW, [1, 1, 1]: the step-weighted kernel is not in this build of lib/align yet.";

  const figure = byId<HTMLDivElement>("heatmap");
  const update = () => {
    const example = data.examples.find((e) => e.id === select.value) as ExplorerExample;
    const g = gammaAt(Number(gamma.value));
    const stepWeights = weights.map((s) => Number(s.value)) as StepWeights;
    byId("gamma-value").textContent = String(g);
    weightIds.forEach((id, k) => byId(`${id}-value`).textContent = stepWeights[k].toFixed(2));
    byId("example-description").textContent = example.description;
    try {
      const r = explore(example, { gamma: g, stepWeights });
      error.hidden = true;
      const value = byId<HTMLOutputElement>("value");
      value.textContent = format(r.value);
      value.dataset.value = String(r.value);
      value.dataset.gamma = String(g);
      value.dataset.example = example.id;
      byId("dtw-value").textContent = format(r.dtwValue);
      // frames (rows of x) on the horizontal axis, target elements on the vertical axis
      const z = r.grad[0].map((_, j) => r.grad.map((row) => row[j]));
      const yTicks = example.colLabels ? example.colLabels.map((l, j) => `${j}: ${l}`) : undefined;
      plotly.react(
        figure,
        [
          {
            type: "heatmap",
            z,
            y: yTicks,
            zmin: 0,
            zmax: 1,
            colorscale: "Viridis",
            colorbar: { title: { text: "E<sup>γ</sup>" }, thickness: 14 },
            hovertemplate: `${example.rowTitle} %{x}<br>${example.colTitle} %{y}` +
              "<br>E = %{z:.4f}<extra></extra>",
          },
          {
            type: "scatter",
            mode: "lines",
            name: "optimal DTW path",
            x: r.path.map(([m]) => m),
            y: r.path.map(([, n]) => yTicks ? yTicks[n] : n),
            line: { color: "#ff4136", width: 2 },
            hoverinfo: "skip",
          },
        ],
        {
          title: { text: `Expected alignment E<sup>γ</sup>, γ = ${g}` },
          height: example.y.length > 8 ? 460 : 380,
          margin: { l: 90, r: 20, t: 50, b: 50 },
          xaxis: { title: { text: example.rowTitle }, constrain: "domain" },
          yaxis: {
            title: { text: example.colTitle },
            autorange: true,
            type: yTicks ? "category" : "linear",
            categoryorder: "array",
            categoryarray: yTicks,
          },
          legend: { orientation: "h", x: 1, xanchor: "right", y: 1.08 },
          paper_bgcolor: "rgba(0,0,0,0)",
        },
        { responsive: true, displaylogo: false },
      );
    } catch (e) {
      error.hidden = false;
      error.textContent = (e as Error).message;
    }
  };
  select.addEventListener("change", update);
  gamma.addEventListener("input", update);
  weights.forEach((s) => s.addEventListener("input", update));
  update();
}

start();
