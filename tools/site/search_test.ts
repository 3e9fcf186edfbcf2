import { assertEquals } from "@std/assert";
import { plainMath, searchDataScript, searchDocuments, visibleText } from "./search.ts";

Deno.test("searchDocuments cuts a page at its headings and keeps visible text and figure titles", () => {
  const html = `<head><title>x</title></head><main><p>Intro &amp; more</p>
<h2 id="Soft-minimum">Soft minimum<a class="anchor-link" href="#Soft-minimum">¶</a></h2>
<p>The <em>soft</em> minimum</p><script>var fig = {"layout":{"title":{"text":"Cost matrix C"}}};
</script><style>.x{}</style>
<h3 id="Sub">Sub</h3><pre>const a = 1 &lt; 2;</pre></main>`;
  const docs = searchDocuments(html, "01.html", "01 · DTW");
  assertEquals(docs.map((d) => [d.section, d.anchor]), [
    ["01 · DTW", ""],
    ["Soft minimum", "Soft-minimum"],
    ["Sub", "Sub"],
  ]);
  assertEquals(docs[0].text, "Intro & more");
  assertEquals(docs[1].text, "The soft minimum Cost matrix C");
  assertEquals(docs[2].text, "const a = 1 < 2;");
  assertEquals(docs[1].id, "01.html#Soft-minimum");
  assertEquals(visibleText("<b>a</b>&#8722;b"), "a −b");
  assertEquals(searchDataScript([]).trim(), "window.SEARCH_DOCUMENTS = [];");
  // "</script>" in a document cannot end the script early
  assertEquals(docs[1].math, "");
  assertEquals(searchDataScript([{ ...docs[0], text: "</script>" }]).includes("</script>"), false);
});

Deno.test("search text shows formulas as readable plain text, not TeX", () => {
  assertEquals(
    plainMath("the value $\\mathrm{SDTW}^\\gamma(C) = \\min^\\gamma_{p}$ of C"),
    "the value SDTW^γ(C) = min^γ_p of C",
  );
  assertEquals(plainMath("$$E = \\frac{\\partial V}{\\partial C}$$"), "E = ∂ V/∂ C");
  assertEquals(plainMath("\\(x \\in \\mathbb{R}\\)"), "x ∈ R");
  // a template literal in code is not a formula
  assertEquals(plainMath("`${n} frames, ${m} cols`"), "`${n} frames, ${m} cols`");
  const docs = searchDocuments(
    '<main><h2 id="g">With $\\gamma$</h2><p>$\\gamma > 0$</p>',
    "p",
    "P",
  );
  assertEquals(docs.map((d) => [d.section, d.text, d.math]), [["With γ", "γ > 0", "gamma"]]);
});
