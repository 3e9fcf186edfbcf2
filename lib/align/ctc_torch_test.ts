/**
 * CTC against fixtures from PyTorch's `ctc_loss` (an independent implementation; the fixture
 * and its provenance are in `testdata/ctc_torch.json`, made by `tools/fixtures/ctc_torch.py`).
 */
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { ctcLoss } from "./ctc.ts";
import { graphAlignment } from "./graph.ts";
import { ctcAlignGraph, ctcCost } from "./presets.ts";

interface Case {
  frames: number;
  classes: number;
  target: number[];
  blank: number;
  logProbs: number[][];
  loss: number;
  torchGrad: number[][];
}

const fixture = JSON.parse(
  await Deno.readTextFile(new URL("./testdata/ctc_torch.json", import.meta.url)),
) as { provenance: Record<string, string>; cases: Case[] };

Deno.test("CTC value and gradient agree with PyTorch's ctc_loss fixtures", () => {
  assertEquals(fixture.cases.length, 9);
  for (const c of fixture.cases) {
    const tag = `T=${c.frames} K=${c.classes} y=[${c.target}] blank=${c.blank}`;
    const { value, grad } = ctcLoss(c.logProbs, c.target, { blank: c.blank });
    assertAlmostEquals(value, c.loss, 1e-9 * Math.max(1, Math.abs(c.loss)), tag);
    // torch returns the gradient with respect to the logits before log_softmax (it assumes
    // normalized inputs): chain ours (w.r.t. free log-probabilities) through log_softmax,
    // ∂/∂x_k = g_k − p_k Σ_j g_j.
    for (let t = 0; t < c.frames; t++) {
      const sum = grad[t].reduce((s, v) => s + v, 0);
      for (let k = 0; k < c.classes; k++) {
        const chained = grad[t][k] - Math.exp(c.logProbs[t][k]) * sum;
        assertAlmostEquals(chained, c.torchGrad[t][k], 1e-9, `${tag} [${t}][${k}]`);
      }
    }
  }
});

Deno.test("the CTC preset of the alignment graph agrees with PyTorch's ctc_loss fixtures", () => {
  for (const c of fixture.cases) {
    const tag = `T=${c.frames} K=${c.classes} y=[${c.target}] blank=${c.blank}`;
    const { graph, extended } = ctcAlignGraph(c.target, {
      blank: c.blank,
      frames: c.frames,
      classes: c.classes,
    });
    // the reference dynamic program of the graph on C(t, s) = −logProbs[t][extended[s]]
    const { value, H } = graphAlignment(ctcCost(c.logProbs, extended), graph);
    assertAlmostEquals(value, c.loss, 1e-9 * Math.max(1, Math.abs(c.loss)), tag);
    const S = extended.length;
    for (let t = 0; t < c.frames; t++) {
      // ∂/∂logProbs[t][k] = −Σ_{s: extended[s] = k} H(t, s), then through log_softmax as above
      const grad = Array.from(
        { length: c.classes },
        (_, k) => extended.reduce((acc, e, s) => acc - (e === k ? H.data[t * S + s] : 0), 0),
      );
      const sum = grad.reduce((acc, v) => acc + v, 0);
      for (let k = 0; k < c.classes; k++) {
        const chained = grad[k] - Math.exp(c.logProbs[t][k]) * sum;
        assertAlmostEquals(chained, c.torchGrad[t][k], 1e-9, `${tag} [${t}][${k}]`);
      }
    }
  }
});
