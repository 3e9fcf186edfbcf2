import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import {
  bibtex,
  chapterReferencesHtml,
  citedIn,
  courseBibtex,
  loadBibliography,
  referencesBody,
  textCitation,
} from "./references.ts";

Deno.test("the bibliography loads: unique keys, the works the issue names, valid expressions", async () => {
  const entries = await loadBibliography();
  const keys = entries.map((e) => e.key);
  assertEquals(new Set(keys).size, keys.length);
  for (
    const k of [
      "audiolabs2025report",
      "cuturi2017softdtw",
      "zeitler2024stepweights",
      "zeitler2026ctcddtw",
      "zeitler2026subsequence",
      "graves2006ctc",
      "muller2021fmp",
      "burgoyne2011billboard",
      "wu2019nonaligned",
    ]
  ) assertEquals(keys.includes(k), true, k);
});

Deno.test("an entry as BibTeX and as text", () => {
  const e = {
    key: "cuturi2017softdtw",
    type: "inproceedings",
    authors: ["Marco Cuturi", "Mathieu Blondel"],
    title: "Soft-DTW: a Differentiable Loss Function for Time-Series",
    booktitle: "Proceedings of ICML",
    pages: "894--903",
    year: 2017,
    mentions: "Cuturi",
  };
  assertEquals(
    bibtex(e),
    "@inproceedings{cuturi2017softdtw,\n  author = {Marco Cuturi and Mathieu Blondel},\n" +
      "  title = {{Soft-DTW: a Differentiable Loss Function for Time-Series}},\n" +
      "  booktitle = {Proceedings of ICML},\n  pages = {894--903},\n  year = {2017},\n}",
  );
  assertEquals(
    textCitation(e),
    "Marco Cuturi and Mathieu Blondel (2017). <em>Soft-DTW: a Differentiable Loss Function for " +
      "Time-Series</em>. Proceedings of ICML, pp. 894–903.",
  );
  assertEquals(citedIn([e], "Soft-DTW (Cuturi & Blondel, 2017)").length, 1);
  assertEquals(citedIn([e], "nothing here").length, 0);
  assertEquals(chapterReferencesHtml([]), "");
  assertStringIncludes(chapterReferencesHtml([e]), 'href="references.html#cuturi2017softdtw"');
  const page = referencesBody(
    [e],
    new Map([["cuturi2017softdtw", [{ file: "01.html", label: "01" }]]]),
  );
  assertStringIncludes(page, 'id="cuturi2017softdtw"');
  assertStringIncludes(page, 'Cited in <a href="01.html">01</a>');
  assertStringIncludes(courseBibtex(2026), "@misc{softdtwcourse2026,");
});

Deno.test("a broken bibliography is refused naming the entry", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bad = join(dir, "b.json");
    const entry = { key: "a1", type: "misc", authors: [], title: "T", year: 2000, mentions: "x" };
    await Deno.writeTextFile(bad, JSON.stringify({ entries: [entry, entry] }));
    await assertRejects(() => loadBibliography(bad), Error, "key a1 appears twice");
    await Deno.writeTextFile(bad, JSON.stringify({ entries: [{ ...entry, mentions: "(" }] }));
    await assertRejects(() => loadBibliography(bad), Error, "entry a1: bad mentions");
    await Deno.writeTextFile(bad, JSON.stringify({ entries: [{ ...entry, year: "x" }] }));
    await assertRejects(() => loadBibliography(bad), Error, "entry a1 has no year");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a report without named authors is cited by its institution", () => {
  const e = {
    key: "r",
    type: "techreport",
    authors: [],
    title: "T",
    institution: "AudioLabs",
    year: 2025,
    mentions: "x",
  };
  assertEquals(textCitation(e), "AudioLabs (2025). <em>T</em>. Report.");
});
