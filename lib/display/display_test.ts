import { assert, assertEquals, assertMatch, assertThrows } from "@std/assert";
import {
  barChart,
  chordTimeline,
  chromagram,
  type Figure,
  figureBundle,
  heatmap,
  lineChart,
  subplots,
  tableBundle,
  withPath,
} from "./display.ts";

Deno.test("figureBundle has plotly JSON, self-drawing HTML and plain text", () => {
  const fig = heatmap([[0, 1], [2, 3]], { title: "cost matrix C" });
  const bundle = figureBundle(fig);
  assertEquals(Object.keys(bundle).sort(), [
    "application/vnd.plotly.v1+json",
    "text/html",
    "text/plain",
  ]);
  const json = bundle["application/vnd.plotly.v1+json"] as Figure;
  assertEquals(json.data[0].z, [[0, 1], [2, 3]]);
  const html = bundle["text/html"] as string;
  assertMatch(html, /<div id="dchord-plot-[^"]+" class="dchord-plotly"/);
  assertMatch(html, /Plotly\.newPlot/);
  assertMatch(html, /plotly\.min\.js/);
  assertEquals(bundle["text/plain"], '<Figure "cost matrix C": 1 trace(s): heatmap>');
});

Deno.test("figureBundle: data cannot close the script element", () => {
  const html = figureBundle(lineChart([{ name: "</script><b>x", y: [1] }]))["text/html"] as string;
  assertEquals(html.match(/<\/script>/g)?.length, 1);
});

Deno.test("figureBundle rounds numbers to 5 significant digits", () => {
  const json = figureBundle(lineChart([{ y: [Math.PI, 1e-12 * Math.PI, 0] }]))[
    "application/vnd.plotly.v1+json"
  ] as Figure;
  assertEquals(json.data[0].y, [3.1416, 3.1416e-12, 0]);
});

Deno.test("two figures get different element ids", () => {
  const a = figureBundle(heatmap([[1]]))["text/html"] as string;
  const b = figureBundle(heatmap([[1]]))["text/html"] as string;
  const id = (h: string) => h.match(/id="([^"]+)"/)![1];
  assert(id(a) !== id(b));
});

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

Deno.test("tableBundle formats numbers and aligns the plain-text table", () => {
  const b = tableBundle(
    [{ gamma: 0.3, value: -1.23456789, n: 3 }, { gamma: 10, value: 2, n: 12 }],
    {
      caption: "soft-DTW",
      digits: 3,
    },
  );
  assertEquals(
    b["text/plain"],
    [
      "soft-DTW",
      "gamma   value   n",
      "-----  ------  --",
      "0.300  -1.235   3",
      "   10       2  12",
    ].join("\n"),
  );
  assertMatch(b["text/html"] as string, /<caption>soft-DTW<\/caption>/);
  assertMatch(tableBundle([{ a: "<x>" }])["text/html"] as string, /&lt;x&gt;/);
});

Deno.test("figure builders reject malformed input with a clear message", () => {
  assertThrows(() => heatmap([]), TypeError, "non-empty matrix");
  assertThrows(() => heatmap([[1, 2], [3]]), TypeError, "row 1 has 1 entries");
  assertThrows(() => lineChart([{ x: [1, 2], y: [1] }]), TypeError, "2 x values and 1 y values");
  assertThrows(() => barChart([{ x: ["a"], y: [1, 2] }]), TypeError, "1 categories and 2 values");
  assertThrows(() => tableBundle([]), TypeError, "at least one row");
  assertThrows(() => figureBundle({} as Figure), TypeError, "expected a figure");
});
