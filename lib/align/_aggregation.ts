/**
 * The four aggregation operators µ of the alignment graph (private to `lib/align`), each with
 * its partial derivatives, as dDTW defines them (`docs/concepts.rst` of groupmm/dDTW). For a
 * vector v of alternatives (entries equal to +∞ are ignored: they take part in no sum and get a
 * derivative of 0):
 *
 * - hard: `µ(v) = min_d v_d`; derivative 1 at the first minimum, 0 elsewhere.
 * - soft: `µ(v) = −γ log Σ_d exp(−v_d / γ)`; derivative `q_d = softmax(−v/γ)_d`.
 * - smooth: `µ(v) = ⟨v, q⟩` with the same `q = softmax(−v/γ)` (the expectation of v under the
 *   soft-min weights); derivative `q_d (1 − (v_d − µ(v)) / γ)` (may be negative).
 * - sparse: `µ(v) = min_{q ∈ Δ} ⟨v, q⟩ + (γ/2) ⟨q, q − 1⟩` over the probability simplex Δ; the
 *   minimizer is `q_d = max((λ − v_d) / γ, 0)` with λ such that Σ q = 1 (the sparsemax of −v/γ),
 *   the value `⟨v, q⟩ + (γ/2)(‖q‖² − 1)`, and the derivative q (Danskin's theorem).
 *
 * With one finite alternative each operator returns it with derivative 1; with none it returns
 * +∞. `aggregate` writes the derivatives into `out` (from index `at`) and returns µ.
 *
 * @example
 * ```ts
 * import { aggregate } from "./_aggregation.ts";
 * const w = new Float64Array(2);
 * aggregate("soft", 1, new Float64Array([0, 0]), 2, w); // -log 2, w = [0.5, 0.5]
 * ```
 *
 * @module
 */

/** The aggregation operator µ of an alignment graph. */
export type Aggregation = "hard" | "soft" | "smooth" | "sparse";

/** The aggregations, in the order the docs list them. */
export const AGGREGATIONS: readonly Aggregation[] = ["hard", "soft", "smooth", "sparse"];

/**
 * µ over `values[0 .. count)` (entries +∞ ignored) with temperature γ (unused by `"hard"`);
 * writes ∂µ/∂values into `out[at + at .. at + count)` and returns µ (+∞ when every entry is +∞).
 * γ is checked by the caller.
 */
export function aggregate(
  kind: Aggregation,
  gamma: number,
  values: Float64Array,
  count: number,
  out: Float64Array,
  at = 0,
): number {
  let min = Infinity, argmin = -1;
  for (let d = 0; d < count; d++) {
    out[at + d] = 0;
    if (values[d] < min) {
      min = values[d];
      argmin = d;
    }
  }
  if (argmin < 0) return Infinity;
  if (kind === "hard") {
    out[at + argmin] = 1;
    return min;
  }
  if (kind === "sparse") return sparseMin(gamma, values, count, out, at);
  // soft and smooth: q = softmax(−v/γ), shifted by the minimum so that no term overflows.
  let sum = 0;
  for (let d = 0; d < count; d++) {
    if (values[d] === Infinity) continue;
    const e = Math.exp(-(values[d] - min) / gamma);
    out[at + d] = e;
    sum += e;
  }
  if (kind === "soft") {
    for (let d = 0; d < count; d++) out[at + d] /= sum;
    return min - gamma * Math.log(sum);
  }
  let mean = 0;
  for (let d = 0; d < count; d++) {
    if (out[at + d] === 0) continue;
    out[at + d] /= sum;
    mean += out[at + d] * (values[d] - min);
  }
  for (let d = 0; d < count; d++) {
    // q_d = 0 stays 0 (its factor (v_d − µ)/γ may be infinite)
    if (out[at + d] !== 0) out[at + d] *= 1 - (values[d] - min - mean) / gamma;
  }
  return min + mean;
}

/**
 * The sparse minimum: the finite values sorted ascending, the support is the longest prefix k
 * whose largest value lies below `λ_k = (γ + Σ_{j≤k} v_(j)) / k`; then `q_d = (λ_k − v_d) / γ`
 * on the support. Values are shifted by the minimum for accuracy.
 */
function sparseMin(
  gamma: number,
  values: Float64Array,
  count: number,
  out: Float64Array,
  at: number,
): number {
  let min = Infinity;
  const finite: number[] = [];
  for (let d = 0; d < count; d++) {
    if (values[d] !== Infinity) {
      finite.push(values[d]);
      if (values[d] < min) min = values[d];
    }
  }
  const sorted = finite.map((v) => v - min).sort((a, b) => a - b);
  let prefix = 0, lambda = 0;
  for (let k = 1; k <= sorted.length; k++) {
    const candidate = (gamma + prefix + sorted[k - 1]) / k;
    if (k > 1 && sorted[k - 1] >= candidate) break;
    prefix += sorted[k - 1];
    lambda = candidate;
  }
  let value = 0, squares = 0;
  for (let d = 0; d < count; d++) {
    if (values[d] === Infinity) continue;
    const q = Math.max((lambda - (values[d] - min)) / gamma, 0);
    out[at + d] = q;
    value += q * (values[d] - min);
    squares += q * q;
  }
  return min + value + (gamma / 2) * (squares - 1);
}
