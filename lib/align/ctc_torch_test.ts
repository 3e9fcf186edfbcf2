/**
 * CTC against fixtures from PyTorch's `ctc_loss` (an independent implementation; the fixture
 * and its provenance are in `testdata/ctc_torch.json`, made by `tools/fixtures/ctc_torch.py`).
 */
import { assertAlmostEquals, assertEquals } from "@std/assert";
import { ctcLoss } from "./ctc.ts";

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
