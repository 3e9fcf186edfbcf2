import { assert, assertEquals, assertMatch, assertNotEquals, assertThrows } from "@std/assert";
import { type Figure, heatmap, lineChart } from "./figures.ts";
import { cellHtml, figureBundle, figureId, tableBundle } from "./bundles.ts";

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

Deno.test("element ids: identical figures in one run get different ids, no clock or random", () => {
  const id = (h: string) => h.match(/id="([^"]+)"/)![1];
  const a = id(figureBundle(heatmap([[1]]))["text/html"] as string);
  const b = id(figureBundle(heatmap([[1]]))["text/html"] as string);
  const c = id(figureBundle(heatmap([[2]]))["text/html"] as string);
  assert(a !== b, "two identical figures share an id");
  assertEquals(a.replace(/-\d+$/, ""), b.replace(/-\d+$/, ""), "same figure, same hash");
  assertNotEquals(a.replace(/-\d+$/, ""), c.replace(/-\d+$/, ""), "different figures");
  assertMatch(a, /^dchord-plot-[0-9a-f]{13}-\d+$/);
});

Deno.test("element ids are the same in a fresh process: re-running gives byte-identical HTML", async () => {
  const script = `
    import { figureBundle } from "${new URL("./bundles.ts", import.meta.url).href}";
    import { heatmap, lineChart } from "${new URL("./figures.ts", import.meta.url).href}";
    const out = [heatmap([[1, 2]]), lineChart([{ y: [1, 2] }]), heatmap([[1, 2]])]
      .map((f) => figureBundle(f)["text/html"]);
    console.log(JSON.stringify(out));
  `;
  const run = async () => {
    const res = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--no-config", script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(res.success, new TextDecoder().decode(res.stderr));
    return new TextDecoder().decode(res.stdout);
  };
  const first = await run();
  // A pause, so that an id taken from the clock would differ.
  await new Promise((r) => setTimeout(r, 20));
  assertEquals(await run(), first);
  const html = JSON.parse(first) as string[];
  assertEquals(new Set(html.map((h) => h.match(/id="([^"]+)"/)![1])).size, 3);
});

Deno.test("figureId: hash of the figure, counted per identical figure", () => {
  const fig: Figure = { data: [{ type: "bar", y: [1] }], layout: { title: { text: "t" } } };
  const first = figureId(fig), second = figureId(fig);
  assertEquals(first.replace(/-0$/, "-1"), second);
});

Deno.test("bundles reject malformed input with a clear message", () => {
  assertThrows(() => tableBundle([]), TypeError, "at least one row");
  assertThrows(() => figureBundle({} as Figure), TypeError, "expected a figure");
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

Deno.test("tableBundle: columnDigits sets the decimals of single columns", () => {
  const b = tableBundle([{ gamma: 0.3, "F1 (%)": 75.36231884, entropy: 0.18912 }], {
    digits: 3,
    columnDigits: { "F1 (%)": 1 },
  });
  assertEquals(
    b["text/plain"],
    [
      "gamma  F1 (%)  entropy",
      "-----  ------  -------",
      "0.300    75.4    0.189",
    ].join("\n"),
  );
  assertThrows(
    () => tableBundle([{ a: 1.5 }], { columnDigits: { b: 1 } }),
    TypeError,
    'names no column "b"',
  );
  assertThrows(() => tableBundle([{ a: 1.5 }], { columnDigits: { a: -1 } }), RangeError, "0..20");
});

Deno.test("table cells: long words may break after _ - , /, short ones stay whole", () => {
  assertEquals(
    cellHtml("FMP_C5_Audio_Beatles_LetItBe.mp3 and a-b"),
    "FMP_<wbr>C5_<wbr>Audio_<wbr>Beatles_<wbr>LetItBe.mp3 and a-b",
  );
  // 17 characters: left whole; a longer JSON word breaks after its commas
  assertEquals(
    cellHtml('{"a":1,"b":"<x>"}'),
    "{&quot;a&quot;:1,&quot;b&quot;:&quot;&lt;x&gt;&quot;}",
  );
  assertEquals(
    cellHtml('{"loss":"ctc","blankPenalty":1}'),
    "{&quot;loss&quot;:&quot;ctc&quot;,<wbr>&quot;blankPenalty&quot;:1}",
  );
  const html = tableBundle([{ file: "a_very_long_file_name_without_spaces.mp3" }])["text/html"];
  assertEquals(String(html).includes("a_<wbr>very_<wbr>long"), true);
});
