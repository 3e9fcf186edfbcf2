import { assertEquals, assertThrows } from "@std/assert";
import { alignGraphFigure } from "./graph_figure.ts";
import { ctcAlignGraph, softDtwGraph, subsequenceGraph } from "../align/mod.ts";

Deno.test("alignGraphFigure: boundary cells with their weights, cells on no path greyed, one arrow per step", () => {
  const fig = alignGraphFigure(softDtwGraph(4, 3, { gamma: 1, stepWeights: [1, 1, 2], band: 0 }), {
    rows: 4,
    cols: 3,
    title: "soft-DTW, band 0",
  });
  const [on, off, start, end, ...arrows] = fig.data;
  // a band of radius 0 on 4 × 3: each row's cells of the band lie on a complete path
  assertEquals((on.x as number[]).length + (off.x as number[]).length, 12);
  assertEquals(start.text, ["2"]); // the first cell is weighted as a diagonal step
  assertEquals(end.text, ["0"]);
  assertEquals(arrows.map((a) => a.name), ["step (1, 0)", "step (0, 1)", "step (1, 1)"]);
  const layout = fig.layout as {
    xaxis: { title: { text: string } };
    yaxis: { title: { text: string } };
  };
  assertEquals(layout.xaxis.title.text, "row i (first sequence)");
  assertEquals(layout.yaxis.title.text, "column j (second sequence)");
});

Deno.test("alignGraphFigure: subsequence starts in every row; CTC's forbidden skips are dashed", () => {
  const sub = alignGraphFigure(subsequenceGraph(5, 2, { gamma: 1, compensate: true }), {
    rows: 5,
    cols: 2,
  });
  assertEquals(sub.data[2].text, ["1", "2", "3", "4", "5"]);
  const { graph } = ctcAlignGraph([1, 1], { blank: 0, frames: 5 });
  // pivot on the second label (state 3): its skip from state 1 repeats the label, forbidden
  const ctc = alignGraphFigure(graph, { rows: 5, cols: 5, pivot: [3, 3] });
  const skip = ctc.data.find((t) => t.name === "step (1, 2)")!;
  assertEquals((skip.line as { dash: string }).dash, "dot");
  assertThrows(
    () => alignGraphFigure(graph, { rows: 5, cols: 5, pivot: [9, 0] }),
    RangeError,
    "pivot",
  );
});
