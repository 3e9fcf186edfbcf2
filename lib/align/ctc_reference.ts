/**
 * Ground truth for CTC, independent of the soft-minimum dynamic program of `ctc.ts`:
 *
 * - {@linkcode gravesCtc}: Graves' forward–backward recursion in scaled probability space
 *   (Graves et al. 2006, Sec. 4.1, with per-frame rescaling of α and β), giving the negative
 *   log-likelihood and the state posteriors;
 * - {@linkcode bruteForceCtc}: every frame labeling `π ∈ {0..K-1}^T` is enumerated, collapsed
 *   (merge repeats, drop blanks) and kept if it yields the target; the value and the class
 *   posteriors are sums over the kept labelings.
 *
 * Both treat `logProbs` as free inputs (`p_t(k) = exp(logProbs[t][k])`, not necessarily
 * normalized). They are slow and meant for tests and the notebook's comparison table.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { bruteForceCtc, gravesCtc } from "./ctc_reference.ts";
 * const lp = [[Math.log(0.6), Math.log(0.4)], [Math.log(0.5), Math.log(0.5)]];
 * gravesCtc(lp, [1], { blank: 0 }).value; // -log(0.7)
 * bruteForceCtc(lp, [1], { blank: 0 }).count; // 3 labelings: (1,1), (0,1), (1,0)
 * ```
 *
 * @module
 */

/** Result of the reference CTC computations. */
export interface CtcReference {
  /** `-log Σ_π Π_t p_t(π_t)`. */
  value: number;
  /** `∂value/∂logProbs` (`T x K`): minus the posterior occupancy of each class. */
  grad: number[][];
}

/**
 * Graves' CTC forward–backward recursion with per-frame scaling: `α̂_t = α_t / Σ_s α_t(s)`,
 * `β̂_t = β_t / Σ_s β_t(s)`; `-log p = -Σ_t log c_t` with the forward scale factors `c_t`, and
 * the state posteriors `α̂_t(s) β̂_t(s) / Σ_s' α̂_t(s') β̂_t(s')`. Here `α_t(s)` includes the
 * emission of frame `t` and `β_t(s)` covers frames `t+1 … T-1`. Also returns the state
 * posteriors (`T x (2L+1)`). No input validation beyond what the recursion needs: for tests.
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { gravesCtc } from "./ctc_reference.ts";
 * const lp = Array.from({ length: 3 }, () => [Math.log(0.5), Math.log(0.5)]);
 * gravesCtc(lp, [1], { blank: 0 }).value; // -log(5 / 8): 5 of the 8 labelings give [1]
 * ```
 */
export function gravesCtc(
  logProbs: number[][],
  labels: number[],
  options: { blank: number },
): CtcReference & { posterior: number[][] } {
  const T = logProbs.length, K = logProbs[0].length;
  const ext = [options.blank];
  for (const l of labels) ext.push(l, options.blank);
  const S = ext.length;
  // emission probabilities, each frame rescaled by its maximum (the scale is added back in log)
  const y: number[][] = [];
  let logScale = 0;
  for (let t = 0; t < T; t++) {
    const mx = Math.max(...logProbs[t]);
    logScale += mx;
    y.push(logProbs[t].map((v) => Math.exp(v - mx)));
  }
  const skip = (s: number) => s >= 2 && ext[s] !== options.blank && ext[s] !== ext[s - 2];
  const alpha: number[][] = [];
  let logLik = logScale;
  for (let t = 0; t < T; t++) {
    const a = new Array<number>(S).fill(0);
    for (let s = 0; s < S; s++) {
      let v: number;
      if (t === 0) v = s <= 1 ? 1 : 0;
      else {
        const prev = alpha[t - 1];
        v = prev[s] + (s >= 1 ? prev[s - 1] : 0) + (skip(s) ? prev[s - 2] : 0);
      }
      a[s] = v * y[t][ext[s]];
    }
    const c = a.reduce((u, v) => u + v, 0);
    for (let s = 0; s < S; s++) a[s] /= c;
    logLik += Math.log(c);
    alpha.push(a);
  }
  const end = alpha[T - 1][S - 1] + (S > 1 ? alpha[T - 1][S - 2] : 0);
  logLik += Math.log(end);
  const beta: number[][] = new Array(T);
  beta[T - 1] = ext.map((_, s) => (s >= S - 2 ? 1 : 0));
  for (let t = T - 2; t >= 0; t--) {
    const next = beta[t + 1];
    const b = new Array<number>(S).fill(0);
    for (let s = 0; s < S; s++) {
      let v = next[s] * y[t + 1][ext[s]];
      if (s + 1 < S) v += next[s + 1] * y[t + 1][ext[s + 1]];
      if (s + 2 < S && skip(s + 2)) v += next[s + 2] * y[t + 1][ext[s + 2]];
      b[s] = v;
    }
    const d = b.reduce((u, v) => u + v, 0);
    beta[t] = d > 0 ? b.map((v) => v / d) : b;
  }
  const posterior: number[][] = [];
  const grad: number[][] = [];
  for (let t = 0; t < T; t++) {
    const prod = alpha[t].map((v, s) => v * beta[t][s]);
    const z = prod.reduce((u, v) => u + v, 0);
    const post = prod.map((v) => v / z);
    posterior.push(post);
    const g = new Array<number>(K).fill(0);
    post.forEach((v, s) => g[ext[s]] -= v);
    grad.push(g);
  }
  return { value: -logLik, grad, posterior };
}

/**
 * The CTC collapse map: merge repeated neighbours, then drop blanks.
 *
 * @example
 * ```ts
 * import { ctcCollapse } from "./ctc_reference.ts";
 * ctcCollapse([1, 1, 0, 1, 2, 2, 0], 0); // [1, 1, 2]
 * ```
 */
export function ctcCollapse(labeling: readonly number[], blank: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < labeling.length; t++) {
    const k = labeling[t];
    if (k !== blank && (t === 0 || labeling[t - 1] !== k)) out.push(k);
  }
  return out;
}

/**
 * CTC by brute force: enumerates all `K^T` frame labelings (refusing more than `maxLabelings`,
 * default 1e6), keeps those that collapse to `labels`, and sums their probabilities (stably, in
 * log space) and class occupancies. Returns the value, the gradient with respect to `logProbs`,
 * and the number of valid labelings (`count`).
 *
 * Used in notebooks/06_beyond_soft_dtw.ipynb.
 *
 * @example
 * ```ts
 * import { bruteForceCtc } from "./ctc_reference.ts";
 * const lp = Array.from({ length: 3 }, () => [0, 0, 0]); // free inputs, all p = 1
 * bruteForceCtc(lp, [1, 2], { blank: 0 }).count; // number of labelings collapsing to [1, 2]
 * ```
 */
export function bruteForceCtc(
  logProbs: number[][],
  labels: number[],
  options: { blank: number; maxLabelings?: number },
): CtcReference & { count: number } {
  const T = logProbs.length, K = logProbs[0].length;
  const total = K ** T;
  const max = options.maxLabelings ?? 1e6;
  if (total > max) {
    throw new RangeError(`bruteForceCtc: ${K}^${T} = ${total} labelings exceed ${max}`);
  }
  const kept: { lp: number; pi: number[] }[] = [];
  const pi = new Array<number>(T).fill(0);
  for (let idx = 0; idx < total; idx++) {
    let r = idx;
    for (let t = T - 1; t >= 0; t--) {
      pi[t] = r % K;
      r = Math.floor(r / K);
    }
    const c = ctcCollapse(pi, options.blank);
    if (c.length !== labels.length || c.some((v, i) => v !== labels[i])) continue;
    let lp = 0;
    for (let t = 0; t < T; t++) lp += logProbs[t][pi[t]];
    kept.push({ lp, pi: [...pi] });
  }
  if (kept.length === 0) {
    return { value: Infinity, grad: logProbs.map((r) => r.map(() => 0)), count: 0 };
  }
  const mx = Math.max(...kept.map((k) => k.lp));
  const w = kept.map((k) => Math.exp(k.lp - mx));
  const z = w.reduce((u, v) => u + v, 0);
  const grad = logProbs.map((r) => r.map(() => 0));
  kept.forEach((k, i) => k.pi.forEach((c, t) => grad[t][c] -= w[i] / z));
  return { value: -(mx + Math.log(z)), grad, count: kept.length };
}
