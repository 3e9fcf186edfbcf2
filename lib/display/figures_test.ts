import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  barChart,
  chordTimeline,
  chromagram,
  heatmap,
  lineChart,
  subplots,
  TOOLBAR_PX,
  withPath,
} from "./figures.ts";
import { CHORD_LABELS } from "../chords/data/labels.ts";

Deno.test("chromagram puts pitch classes on rows and time in seconds on x", () => {
  const frames = [
    [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0],
    [0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0],
  ];
  const fig = chromagram(frames, { frameRate: 2 });
  const z = fig.data[0].z as number[][];
  assertEquals(z.length, 12);
  assertEquals(z[4], [1, 0]); // E sounds in frame 0 only
  assertEquals(z[9], [0, 1]); // A sounds in frame 1 only
  assertEquals(fig.data[0].x, [0, 0.5]);
  assertThrows(() => chromagram([[1, 2, 3]]), TypeError, "12 chroma bands");
});

Deno.test("chordTimeline splits frames into true positives, false positives and misses", () => {
  // frames: ref C C Am N ; est C G Am C
  const fig = chordTimeline({ reference: [0, 0, 21, -1], estimate: [0, 7, 21, 0] });
  const [tp, fp, fn] = fig.data;
  assertEquals(tp.x, [0, 2]);
  assertEquals(tp.y, ["C", "Am"]);
  assertEquals(fp.x, [1, 3]);
  assertEquals(fp.y, ["G", "C"]);
  assertEquals(fn.x, [1]); // frame 3 has no reference chord: nothing was missed there
  assertEquals(fn.y, ["C"]);
  assertThrows(
    () => chordTimeline({ reference: [0, 1], estimate: [0] }),
    TypeError,
    "reference has 2 frames, estimate 1",
  );
  assertThrows(() => chordTimeline({ reference: [24] }), RangeError, "chord index 24");
});

Deno.test("withPath draws [row, column] cells as x = column, y = row", () => {
  const fig = withPath(heatmap([[0, 1, 2], [3, 4, 5]]), [[0, 0], [1, 1], [1, 2]]);
  assertEquals(fig.data.length, 2);
  assertEquals(fig.data[1].x, [0, 1, 2]);
  assertEquals(fig.data[1].y, [0, 1, 1]);
});

Deno.test("subplots lays panels out on separate axes with separate colour bars", () => {
  const fig = subplots([heatmap([[1]]), heatmap([[2]]), heatmap([[3]])], {
    cols: 2,
    titles: ["a", "b", "c"],
  });
  assertEquals(fig.data.map((t) => t.xaxis), ["x", "x2", "x3"]);
  const d1 = (fig.layout.xaxis as { domain: number[] }).domain;
  const d2 = (fig.layout.xaxis2 as { domain: number[] }).domain;
  assert(d1[1] < d2[0], "panels 1 and 2 must not overlap");
  const y1 = (fig.layout.yaxis as { domain: number[] }).domain;
  const y3 = (fig.layout.yaxis3 as { domain: number[] }).domain;
  assert(y3[1] < y1[0], "panel 3 is on the second row");
  assertEquals((fig.layout.annotations as { text: string }[]).map((a) => a.text), ["a", "b", "c"]);
  assertThrows(() => subplots([]), TypeError);
  assertThrows(() => subplots([heatmap([[1]])], { cols: 0 }), RangeError, "cols");
});

Deno.test("subplots leaves room between rows for an x-axis title and the next panel's title", () => {
  // notebook 02's third figure: two rows in 640 px, the upper panel with an x-axis title
  const fig = subplots([heatmap([[1]], { xTitle: "frame" }), heatmap([[2]])], {
    cols: 1,
    titles: ["upper", "lower"],
    height: 640,
  });
  const plotHeight = 640 - 50 - 50; // height minus the top and bottom margins
  const upper = (fig.layout.yaxis as { domain: number[] }).domain;
  const lower = (fig.layout.yaxis2 as { domain: number[] }).domain;
  const gapPx = (upper[0] - lower[1]) * plotHeight;
  // tick labels (~20 px), the axis title (~25 px) and the panel title (~20 px), with some air
  assert(gapPx >= 80, `rows only ${gapPx.toFixed(0)} px apart`);
  assertThrows(
    () => subplots([heatmap([[1]]), heatmap([[2]]), heatmap([[3]])], { cols: 1, height: 250 }),
    RangeError,
    "too small",
  );
});

Deno.test("figure builders reject malformed input with a clear message", () => {
  assertThrows(() => heatmap([]), TypeError, "non-empty matrix");
  assertThrows(() => heatmap([[1, 2], [3]]), TypeError, "row 1 has 1 entries");
  assertThrows(() => lineChart([{ x: [1, 2], y: [1] }]), TypeError, "2 x values and 1 y values");
  assertThrows(() => barChart([{ x: ["a"], y: [1, 2] }]), TypeError, "1 categories and 2 values");
});

Deno.test("chordTimeline names chords as the chords package does (one home for the labels)", () => {
  const fig = chordTimeline({ reference: [0, 21, 23] });
  // libfmp's order, written out by hand: C (0), Am (21), Bm (23).
  assertEquals(fig.data[0].y, ["C", "Am", "Bm"]);
  assertEquals((fig.layout.yaxis as { categoryarray: string[] }).categoryarray, [...CHORD_LABELS]);
});

Deno.test("category axes label every category (24 chords, 12 pitch classes)", () => {
  const timeline = chordTimeline({ reference: [0, 7, 21, 5] });
  const y = timeline.layout.yaxis as { dtick: number; categoryarray: string[] };
  assertEquals(y.dtick, 1);
  assertEquals(y.categoryarray.length, 24);
  const chroma = chromagram([[1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]]);
  assertEquals((chroma.layout.yaxis as { dtick: number }).dtick, 1);
  // numeric coordinates stay a linear axis with plotly's own ticks
  assertEquals(
    (heatmap([[1, 2]], { x: [0, 1] }).layout.xaxis as { dtick?: number }).dtick,
    undefined,
  );
});

Deno.test("titles sit under the toolbar; subplots write a shared axis title once", () => {
  const fig = heatmap([[1]], { title: "a long title" });
  const title = fig.layout.title as { yref: string; pad: { t: number } };
  assertEquals([title.yref, title.pad.t], ["container", TOOLBAR_PX]);
  assert((fig.layout.margin as { t: number }).t >= TOOLBAR_PX + 30);
  const grid = subplots(
    [1, 2, 3, 4].map((k) => heatmap([[k]], { xTitle: "frame", yTitle: "element" })),
    { cols: 2, title: "overall" },
  );
  const t = (axis: string) => (grid.layout[axis] as { title: { text: string } }).title.text;
  assertEquals([t("yaxis"), t("yaxis2"), t("yaxis3"), t("yaxis4")], ["element", "", "element", ""]);
  assertEquals([t("xaxis"), t("xaxis2"), t("xaxis3"), t("xaxis4")], ["", "", "frame", "frame"]);
  assert((grid.layout.margin as { t: number }).t >= TOOLBAR_PX + 60);
  // different titles stay on every panel
  const mixed = subplots([heatmap([[1]], { yTitle: "a" }), heatmap([[1]], { yTitle: "b" })]);
  assertEquals((mixed.layout.yaxis2 as { title: { text: string } }).title.text, "b");
});

Deno.test("subplots leave room for a colour bar between panels", () => {
  const gapOf = (fig: ReturnType<typeof subplots>) =>
    (fig.layout.xaxis2 as { domain: number[] }).domain[0] -
    (fig.layout.xaxis as { domain: number[] }).domain[1];
  const bars = subplots([heatmap([[1]]), heatmap([[2]])]);
  const none = subplots([
    heatmap([[1]], { showScale: false }),
    heatmap([[2]], { showScale: false }),
  ]);
  assert(Math.abs(gapOf(bars) - 0.14) < 1e-12);
  assert(Math.abs(gapOf(none) - 0.06) < 1e-12);
  assert(Math.abs(gapOf(subplots([heatmap([[1]]), heatmap([[2]])], { gap: 0.2 })) - 0.2) < 1e-12);
});
