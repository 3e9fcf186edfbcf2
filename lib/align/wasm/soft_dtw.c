/*
 * Soft-DTW forward + backward in WebAssembly SIMD128 (f64x2), the fast kernel behind
 * lib/align/_soft_dtw_wasm.ts. Same outputs (up to a few ulp) as `softDtwKernel` of
 * lib/align/soft_dtw.ts; see that file for the recursions. Built by tools/build_wasm.ts:
 *   clang --target=wasm32 -msimd128 -O3 -nostdlib (no libc; everything is in this file).
 *
 * Layout of the computation. The rows are processed in strips of K = 4 rows (the caller passes
 * a tall matrix transposed, by swapping the strides, so that strips run along the longer side).
 * Inside a strip, lane k (0..K-1) works on row m0 + k and lags k columns behind lane 0: at step
 * t it computes cell (m0 + k, t - k). The K cells of a step lie on one anti-diagonal, so they
 * are independent; they are held in V = K / 2 = 2 vectors of two float64 lanes, and the
 * arithmetic runs on both vectors in lockstep (every stage over both before the next), so that
 * independent chains fill the CPU's pipelines without spilling too many registers. A
 * cell's three predecessors are: left = the same lane's previous result, up = the previous result
 * of the lane above (a one-lane shift across the vectors), diagonal = the "up" input of the
 * previous step. Lane 0 takes up and diagonal from a row buffer that holds the last row of the
 * strip above (lane K-1 writes it). Steps where every lane holds a matrix column take the fast
 * path; the K-1 ramp-up and ramp-down steps of a strip take the same arithmetic with per-lane
 * checks. Lanes below the last row (a partial last strip) compute on a copy of the last row and
 * write to a dummy row (forward) or write zeros before the real values (backward).
 *
 * Forward pass, two forms:
 * - the partition-function (Z) domain, the usual one: Z = exp(-D/γ) as z 2^k (see forward_z
 *   below): one exponential per cell (three with step weights), whose argument -w C/γ does not
 *   depend on the recursion, and no logarithm; the softmin weights are ratios of the three
 *   aligned terms;
 * - the log domain (log-sum-exp, as the TypeScript kernel: two exponentials and one logarithm per
 *   cell), used for one-row problems and when |D|/γ leaves the float range (γ = 1e-300 with
 *   large costs), where the Z domain's exponent would overflow.
 * The backward pass has no exponential: E flows back through the stored weights.
 *
 * Memory per cell: 8 bytes of cost, overwritten in place by the gradient in the backward pass,
 * and 16 bytes of softmin weights: of the three normalized weights of a cell (diagonal, up,
 * left; they sum to 1) the two smaller ones are stored, with their sign bits saying which
 * predecessors they belong to; the backward pass restores the largest as 1 - a - b (>= 1/3, so
 * exact to an ulp). 24 bytes per cell in all, plus O(N) rows.
 *
 * exp and log are computed here (V8's Math.exp and Math.log are scalar calls): exp by
 * Cody-Waite range reduction x = k ln2 + r, |r| <= ln2/2, and a degree-11 polynomial
 * 1 + r + r^2 Q(r) (Chebyshev fit, relative error 1.7e-17 on the interval; Q by Estrin's scheme),
 * scaled by 2^(k+600) * 2^-600 so that subnormal results round once; log only on [1, 3] (the
 * softmin normalizer), by s = 2^e m with m in [sqrt(1/2), sqrt(2)], f = m - 1,
 * log(1 + f) = f - (f^2/2 - u (f^2/2 + R)), u = f / (2 + f), R a degree-7 polynomial in u^2
 * (relative error 4.5e-18). Measured against exact values: exp within 0.98 ulp, log within
 * 1.04 ulp.
 */
#include <stdint.h>
#include <wasm_simd128.h>

#ifndef V
#define V 2 /* vectors per step: strips of K = 4 rows (measured best: 2 to 6 vectors tried) */
#endif
#define K (2 * V)
#ifndef GROUP
#define GROUP 2 /* vectors computed in lockstep */
#endif

typedef v128_t vd;

#define SPLAT(x) wasm_f64x2_splat(x)
#define ADD wasm_f64x2_add
#define SUB wasm_f64x2_sub
#define MUL wasm_f64x2_mul
#define SEL wasm_v128_bitselect /* SEL(a, b, mask) = mask ? a : b */

/*
 * The constants of exp and log, in memory rather than as immediates: V8 materializes every
 * v128.const inside a loop anew, so the kernel loads them once per strip (an external array
 * keeps clang from folding them back into immediates).
 */
double KC[] = {
    1.4426950408889634074,    /* 0: 1 / ln 2 */
    6755399441055744.0,       /* 1: 1.5 * 2^52 (round to integer) */
    6.93147180369123816490e-01, /* 2: ln 2, high part (33 significant bits) */
    1.90821492927058770002e-10, /* 3: ln 2, low part */
    -800.0,                   /* 4: exp argument floor */
    0x1p-600,                 /* 5: undoes the 2^600 of the scale */
    /* 6..17: exp(r) ~ 1 + r + r^2 Q(r): the coefficients of Q from degree 9 down to 0, then 1, 1 */
    2.5100375832561233664e-8, 2.7620075879983366586e-7, 2.7557268480310025526e-6,
    2.4801521322368693266e-5, 1.9841269863040545271e-4, 1.3888888917196719077e-3,
    8.3333333333300644495e-3, 4.1666666666624161903e-2, 1.6666666666666667452e-1,
    5.0000000000000010211e-1, 1.0, 1.0,
    1.41421356237309504880,   /* 18: sqrt 2 */
    2.82842712474619009760,   /* 19: 2 sqrt 2 */
    /* 20..26: R(z) / z for log, from the highest degree */
    0.1461644968504340586, 0.15331721600556041269, 0.1818288912526172208,
    0.22222211134795079855, 0.28571428625975484921, 0.3999999999989950449,
    0.66666666666666696862,
    0.5, 0.25, 2.0,           /* 27, 28, 29 */
    -1622.0, 6755399441057367.0, 4503599627370496.0, 1623.0, /* 30..33: Z-domain exponents */
};

typedef struct {
  vd log2e, shift, ln2hi, ln2lo, floor, unscale, p[12], sqrt2, sqrt2x2, q[7], half, quarter,
      two, one, ebias, sign, mone, dmin, bias1623, two52, mant, c1623;
} Consts;

static inline __attribute__((always_inline)) void load_consts(Consts *k) {
  k->log2e = wasm_v128_load64_splat(&KC[0]);
  k->shift = wasm_v128_load64_splat(&KC[1]);
  k->ln2hi = wasm_v128_load64_splat(&KC[2]);
  k->ln2lo = wasm_v128_load64_splat(&KC[3]);
  k->floor = wasm_v128_load64_splat(&KC[4]);
  k->unscale = wasm_v128_load64_splat(&KC[5]);
  for (int i = 0; i < 12; i++) k->p[i] = wasm_v128_load64_splat(&KC[6 + i]);
  k->sqrt2 = wasm_v128_load64_splat(&KC[18]);
  k->sqrt2x2 = wasm_v128_load64_splat(&KC[19]);
  for (int i = 0; i < 7; i++) k->q[i] = wasm_v128_load64_splat(&KC[20 + i]);
  k->half = wasm_v128_load64_splat(&KC[27]);
  k->quarter = wasm_v128_load64_splat(&KC[28]);
  k->two = wasm_v128_load64_splat(&KC[29]);
  k->one = wasm_v128_load64_splat(&KC[16]);
  /* bits(t) = bits(1.5 * 2^52) + k; 2^(k + 600) has exponent field k + 600 + 1023 */
  k->ebias = wasm_i64x2_sub(wasm_i64x2_splat(1623), k->shift);
  k->sign = wasm_f64x2_neg(wasm_f64x2_sub(k->one, k->one)); /* -0.0: the sign bit */
  k->mone = wasm_f64x2_neg(k->one);
  k->dmin = wasm_v128_load64_splat(&KC[30]);     /* -1622 */
  k->bias1623 = wasm_v128_load64_splat(&KC[31]); /* 1623 + 1.5 * 2^52 */
  k->two52 = wasm_v128_load64_splat(&KC[32]);    /* 2^52 */
  k->c1623 = wasm_v128_load64_splat(&KC[33]);    /* 1623 */
  k->mant = wasm_i64x2_splat(0x000FFFFFFFFFFFFFLL); /* mantissa bits */
}

#define FOR(j, n) _Pragma("clang loop unroll(full)") for (int j = 0; j < (n); j++)

/*
 * exp(x[j]) for x <= 0 (x = -inf gives 0; NaN stays NaN), n vectors in lockstep: every stage
 * runs over all n vectors before the next one, so that the CPU sees n independent chains in a
 * short window; the polynomial is evaluated by Estrin's scheme (depth 4 instead of 11).
 */
static inline __attribute__((always_inline)) void vexp_n(vd *x, int n, const Consts *c) {
  vd t[n], r[n], r2[n], r4[n], q[n], u[n];
  FOR(j, n) {
    x[j] = wasm_f64x2_pmax(x[j], c->floor);
    t[j] = ADD(MUL(x[j], c->log2e), c->shift); /* 1.5 * 2^52 + round(x / ln2) */
  }
  FOR(j, n) {
    vd k = SUB(t[j], c->shift);
    r[j] = SUB(SUB(x[j], MUL(k, c->ln2hi)), MUL(k, c->ln2lo));
  }
  /* exp(r) = 1 + r + r^2 Q(r), Q(r) = sum b_i r^i, b_i = p[9 - i] */
  FOR(j, n) r2[j] = MUL(r[j], r[j]);
  FOR(j, n) r4[j] = MUL(r2[j], r2[j]);
  FOR(j, n) {
    vd q0 = ADD(c->p[9], MUL(c->p[8], r[j])), q1 = ADD(c->p[7], MUL(c->p[6], r[j]));
    q[j] = ADD(q0, MUL(q1, r2[j]));
  }
  FOR(j, n) {
    vd q2 = ADD(c->p[5], MUL(c->p[4], r[j])), q3 = ADD(c->p[3], MUL(c->p[2], r[j]));
    u[j] = ADD(q2, MUL(q3, r2[j]));
  }
  FOR(j, n) {
    vd q4 = ADD(c->p[1], MUL(c->p[0], r[j]));
    q[j] = ADD(ADD(q[j], MUL(u[j], r4[j])), MUL(q4, MUL(r4[j], r4[j])));
  }
  FOR(j, n) {
    vd p = ADD(c->one, ADD(r[j], MUL(r2[j], q[j])));
    vd scale = wasm_i64x2_shl(wasm_i64x2_add(t[j], c->ebias), 52);
    x[j] = MUL(MUL(p, scale), c->unscale);
  }
}

/* log(s[j]) for s in [1, 3], n vectors in lockstep (see vexp_n). */
static inline __attribute__((always_inline)) void vlog_n(vd *s, int n, const Consts *c) {
  vd e[n], f[n], u[n], z[n], z2[n], P[n];
  FOR(j, n) {
    vd c1 = wasm_f64x2_gt(s[j], c->sqrt2), c2 = wasm_f64x2_gt(s[j], c->sqrt2x2);
    vd b1 = wasm_v128_and(c1, c->one), b2 = wasm_v128_and(c2, c->one);
    e[j] = ADD(b1, b2);                                                      /* 0, 1 or 2 */
    vd m = MUL(s[j], SUB(c->one, ADD(MUL(c->half, b1), MUL(c->quarter, b2)))); /* s / 2^e */
    f[j] = SUB(m, c->one);
  }
  FOR(j, n) u[j] = wasm_f64x2_div(f[j], ADD(c->two, f[j]));
  FOR(j, n) z[j] = MUL(u[j], u[j]);
  FOR(j, n) z2[j] = MUL(z[j], z[j]);
  /* R(z) = z sum d_i z^i, d_i = q[6 - i] */
  FOR(j, n) {
    vd e0 = ADD(c->q[6], MUL(c->q[5], z[j])), e1 = ADD(c->q[4], MUL(c->q[3], z[j]));
    P[j] = ADD(e0, MUL(e1, z2[j]));
  }
  FOR(j, n) {
    vd e2 = ADD(c->q[2], MUL(c->q[1], z[j]));
    vd f1 = ADD(e2, MUL(c->q[0], z2[j]));
    P[j] = MUL(z[j], ADD(P[j], MUL(f1, MUL(z2[j], z2[j]))));
  }
  FOR(j, n) {
    vd hf = MUL(c->half, MUL(f[j], f[j]));
    vd l = SUB(f[j], SUB(hf, MUL(u[j], ADD(hf, P[j]))));
    s[j] = ADD(MUL(e[j], c->ln2hi), ADD(l, MUL(e[j], c->ln2lo)));
  }
}

static inline __attribute__((always_inline)) vd vexp(vd x, const Consts *c) {
  vexp_n(&x, 1, c);
  return x;
}

static inline __attribute__((always_inline)) vd vlog13(vd s, const Consts *c) {
  vlog_n(&s, 1, c);
  return s;
}

/* Exported for the accuracy test of the approximations: n values in place. */
__attribute__((export_name("vexp_array"))) void vexp_array(double *x, uint32_t n) {
  Consts c;
  load_consts(&c);
  for (uint32_t i = 0; i + 2 <= n; i += 2) wasm_v128_store(x + i, vexp(wasm_v128_load(x + i), &c));
}
__attribute__((export_name("vlog_array"))) void vlog_array(double *x, uint32_t n) {
  Consts c;
  load_consts(&c);
  for (uint32_t i = 0; i + 2 <= n; i += 2) wasm_v128_store(x + i, vlog13(wasm_v128_load(x + i), &c));
}

/*
 * One forward cell on two lanes. r0, r1, r2: diagonal, up, left predecessors (with the step
 * costs already added when `weighted`); c: the cost added afterwards (plain case). Returns D
 * and the two stored weights in *a, *b.
 *
 * The minimum and the two other arguments come from a sorting network: lo = min(r0, r1),
 * hi = max(r0, r1), min = min(lo, r2), and the others are hi and max(lo, r2). The stored
 * weights are those of hi (a) and of max(lo, r2) (b); the sign bit of a says hi is the up
 * predecessor (r0 < r1), the sign bit of b says max(lo, r2) is the left one (lo < r2).
 */
static inline __attribute__((always_inline)) void cells(int n, const vd *r0, const vd *r1,
                                                        const vd *r2, const vd *c, vd gamma,
                                                        vd ig, vd *D, vd *a, vd *b,
                                                        int weighted, const Consts *k) {
  vd p[n], q[n], mn[n], x[2 * n], s[n], is[n];
  FOR(j, n) {
    p[j] = wasm_f64x2_lt(r0[j], r1[j]);
    vd lo = wasm_f64x2_pmin(r0[j], r1[j]), hi = wasm_f64x2_pmax(r0[j], r1[j]);
    q[j] = wasm_f64x2_lt(lo, r2[j]);
    mn[j] = wasm_f64x2_pmin(lo, r2[j]);
    x[j] = MUL(SUB(mn[j], hi), ig);
    x[n + j] = MUL(SUB(mn[j], wasm_f64x2_pmax(lo, r2[j])), ig);
  }
  vexp_n(x, 2 * n, k);
  FOR(j, n) s[j] = ADD(ADD(k->one, x[j]), x[n + j]);
  FOR(j, n) is[j] = wasm_f64x2_div(k->one, s[j]);
  FOR(j, n) {
    a[j] = wasm_v128_or(MUL(x[j], is[j]), wasm_v128_and(p[j], k->sign));
    b[j] = wasm_v128_or(MUL(x[n + j], is[j]), wasm_v128_and(q[j], k->sign));
  }
  vlog_n(s, n, k);
  FOR(j, n) {
    vd l = MUL(gamma, s[j]);
    D[j] = weighted ? SUB(mn[j], l) : SUB(ADD(c[j], mn[j]), l);
  }
}

static inline __attribute__((always_inline)) vd signmask(vd a) {
  vd h = wasm_i32x4_shr(a, 31); /* the sign of each 64-bit lane is in its odd 32-bit half */
  return wasm_i32x4_shuffle(h, h, 1, 1, 3, 3);
}

/*
 * The three weights (diagonal, up, left) from the stored pair (see cell): with p, q the sign
 * bits and w = 1 - |a| - |b| the weight of the minimal predecessor,
 * p q: 11 -> (w, a, b), 01 -> (a, w, b), 10 -> (b, a, w), 00 -> (a, b, w).
 */
static inline __attribute__((always_inline)) void decode(vd a, vd b, vd *wd, vd *wu, vd *wl,
                                                         vd one) {
  vd p = signmask(a), q = signmask(b);
  vd A = wasm_f64x2_abs(a), B = wasm_f64x2_abs(b);
  vd w = SUB(SUB(one, A), B);
  vd t = SEL(w, B, q);
  *wd = SEL(t, A, p);
  *wu = SEL(A, t, p);
  *wl = SEL(B, w, q);
}

/* x[k] for lanes 2j, 2j+1 from lanes 2j-1, 2j (prev = the vector before, lane 1 used). */
#define SHIFT_UP(prev, cur) wasm_i64x2_shuffle(prev, cur, 1, 2)
/* lanes 2j+1, 2j+2 (next = the vector after, lane 0 used). */
#define SHIFT_DOWN(cur, next) wasm_i64x2_shuffle(cur, next, 1, 2)

/*
 * A problem: cost(m, n) = C[m * sm + n * sn] for m < M, n < N (the caller passes the transpose
 * of a wide matrix by swapping the strides, so that N >= M and the strips are long); the
 * gradient overwrites the cost in place.
 */
typedef struct {
  double *C;
  uint32_t sm, sn;
  double *W; /* 2 * M * N stored weights, row-major with row length N */
  double *R; /* scratch: 4 * (N + 2K + 2) doubles */
  int32_t M, N;
  double gamma;
  double wr, wc, wd; /* step weights (row/up, column/left, diagonal) */
  double *occ;       /* occupancy output (weighted only, same strides as C) or 0 */
} Problem;

/* Scratch layout inside R (doubles): row buffers and the dummy rows of absent lanes. */
#define RB_OFF(N) 0                           /* forward D row: N + K + 1 */
#define PD_OFF(N) 0                           /* backward pd row: N + 2K + 2 (K before) */
#define PU_OFF(N) ((N) + 2 * K + 2)           /* backward pu row */
#define DW_OFF(N) (2 * ((N) + 2 * K + 2))     /* dummy weights: 2 (N + K) */

static inline __attribute__((always_inline)) double forward(const Problem *P, int weighted) {
  const int32_t M = P->M, N = P->N;
  const uint32_t sm = P->sm, sn = P->sn;
  double *C = P->C, *W = P->W;
  /* rb[1 + n] = D(m0 - 1, n); rb[0] = D(m0 - 1, -1); room up to index N + K. */
  double *rb = P->R + RB_OFF(N), *dummyW = P->R + DW_OFF(N);
  const double inf = __builtin_inf();
  for (int32_t n = 0; n <= N + K; n++) rb[n] = inf;
  rb[0] = 0.0;
  Consts kc;
  load_consts(&kc);
  const vd gamma = SPLAT(P->gamma), ig = SPLAT(1.0 / P->gamma), vinf = SPLAT(inf);
  const vd WR = SPLAT(P->wr), WC = SPLAT(P->wc), WD = SPLAT(P->wd);
  double value = inf;
  const int32_t T = N + K - 1;
  for (int32_t m0 = 0; m0 < M; m0 += K) {
    const int32_t klast = M - 1 - m0, tlast = klast < K ? N - 1 + klast : -1;
    vd Dv[V], Up[V];
    FOR(j, V) Dv[j] = vinf, Up[j] = vinf;
    Up[0] = wasm_f64x2_replace_lane(vinf, 0, rb[0]);
    /* lane k at step t: cost at cp[k] + t * sn, weights at wp[k] + 2 t (dummies for rows >= M) */
    const double *cp[K];
    double *wp[K];
    FOR(k, K) {
      const int32_t m = m0 + k < M ? m0 + k : M - 1;
      cp[k] = C + (uint32_t)m * sm - (uint32_t)k * sn;
      wp[k] = m0 + k < M ? W + 2 * ((uint32_t)m * (uint32_t)N - k) : dummyW;
    }
    for (int32_t t = 0; t < T; t++) {
      const int fast = t >= K - 1 && t < N && t != tlast;
      vd up[V], a[V], b[V], nd[V], c[V];
      up[0] = SHIFT_UP(wasm_v128_load64_splat(rb + t + 1), Dv[0]);
      for (int j = 1; j < V; j++) up[j] = SHIFT_UP(Dv[j - 1], Dv[j]);
      if (fast) {
        FOR(j, V) {
          c[j] = wasm_v128_load64_zero(cp[2 * j] + t * sn);
          c[j] = wasm_v128_load64_lane(cp[2 * j + 1] + t * sn, c[j], 1);
        }
      } else {
        double cl[K];
        FOR(k, K) {
          const int32_t n = t - k;
          cl[k] = (n >= 0 && n < N) ? cp[k][t * sn] : 0.0;
        }
        FOR(j, V) c[j] = wasm_v128_load(cl + 2 * j);
      }
      vd r0[V], r1[V], r2[V];
      FOR(j, V) {
        r0[j] = Up[j], r1[j] = up[j], r2[j] = Dv[j];
        if (weighted) {
          r0[j] = ADD(r0[j], MUL(WD, c[j]));
          r1[j] = ADD(r1[j], MUL(WR, c[j]));
          r2[j] = ADD(r2[j], MUL(WC, c[j]));
        }
      }
      /* groups of GROUP vectors in lockstep: enough independent chains, few register spills */
      for (int g = 0; g < V; g += GROUP) {
        cells(GROUP, r0 + g, r1 + g, r2 + g, c + g, gamma, ig, nd + g, a + g, b + g, weighted, &kc);
      }
      if (fast) {
        FOR(j, V) {
          wasm_v128_store(wp[2 * j] + 2 * t, wasm_i64x2_shuffle(a[j], b[j], 0, 2));
          wasm_v128_store(wp[2 * j + 1] + 2 * t, wasm_i64x2_shuffle(a[j], b[j], 1, 3));
        }
      } else {
        double dl[K], al[K], bl[K];
        FOR(j, V) {
          wasm_v128_store(dl + 2 * j, nd[j]);
          wasm_v128_store(al + 2 * j, a[j]);
          wasm_v128_store(bl + 2 * j, b[j]);
        }
        FOR(k, K) {
          const int32_t n = t - k;
          if (n >= 0 && n < N) {
            wp[k][2 * t] = al[k];
            wp[k][2 * t + 1] = bl[k];
          } else {
            dl[k] = inf; /* before its first column a lane must hold D(m, -1) = +inf */
          }
        }
        if (t == tlast) value = dl[klast];
        FOR(j, V) nd[j] = wasm_v128_load(dl + 2 * j);
      }
      if (t >= K - 1 && t - (K - 1) < N) {
        rb[t - (K - 1) + 1] = wasm_f64x2_extract_lane(nd[V - 1], 1);
      }
      FOR(j, V) Dv[j] = nd[j], Up[j] = up[j];
    }
    rb[0] = inf;
  }
  return value;
}

static inline __attribute__((always_inline)) void backward(const Problem *P, int weighted) {
  const int32_t M = P->M, N = P->N;
  const uint32_t sm = P->sm, sn = P->sn;
  double *C = P->C, *W = P->W, *occ = P->occ;
  /* pd(m0, n) at pdr[n], pu(m0, n) at pur[n]; valid n in [0, N), zero outside, K of room. */
  double *pdr = P->R + PD_OFF(N) + K, *pur = P->R + PU_OFF(N) + K;
  double *dummyW = P->R + DW_OFF(N);
  for (int32_t i = 0; i < 2 * (N + 2 * K + 2); i++) P->R[i] = 0.0;
  const vd one = wasm_v128_load64_splat(&KC[16]), zero = SUB(one, one);
  const vd WR = SPLAT(P->wr), WC = SPLAT(P->wc), WD = SPLAT(P->wd);
  const int32_t T = N + K - 1;
  for (int32_t m0 = ((M - 1) / K) * K; m0 >= 0; m0 -= K) {
    const int32_t klast = M - 1 - m0, tlast = klast < K ? N - 1 + klast : -1;
    vd PD1[V], PD2[V], PU[V], PL[V], live[V]; /* PD at t+1 and t+2, PU and PL at t+1 */
    double *gp[K], *op[K];
    const double *wp[K];
    FOR(k, K) {
      /* Lanes on rows >= M write H = 0 into row M - 1, always before the lane of row M - 1
         writes the same cell (they are further right on each anti-diagonal). */
      const int in = m0 + k < M;
      const uint32_t m = in ? m0 + k : M - 1;
      gp[k] = C + m * sm - (uint32_t)k * sn;
      op[k] = occ ? occ + m * sm - (uint32_t)k * sn : gp[k];
      wp[k] = in ? W + 2 * (m * (uint32_t)N - k) : dummyW;
    }
    FOR(j, V) {
      PD1[j] = PD2[j] = PU[j] = PL[j] = zero;
      /* all-ones for lanes on rows < M: absent rows hold H = 0 and weights 0 */
      live[j] = wasm_i64x2_make(m0 + 2 * j < M ? -1 : 0, m0 + 2 * j + 1 < M ? -1 : 0);
    }
    for (int32_t t = T - 1; t >= 0; t--) {
      const int fast = t >= K - 1 && t < N && t != tlast;
      vd H[V], wdv[V], wuv[V], wlv[V], av[V], bv[V];
      /* lane K-1 reads the row below: pd(m0+K, n+1) = pdr[t+2-K], pu(m0+K, n) = pur[t+1-K] */
      const vd pdK = wasm_v128_load64_splat(pdr + t + 2 - K);
      const vd puK = wasm_v128_load64_splat(pur + t + 1 - K);
      FOR(j, V) {
        vd pdin = SHIFT_DOWN(PD2[j], j + 1 < V ? PD2[j + 1] : pdK);
        vd puin = SHIFT_DOWN(PU[j], j + 1 < V ? PU[j + 1] : puK);
        H[j] = wasm_v128_and(ADD(ADD(pdin, puin), PL[j]), live[j]);
      }
      if (fast) {
        FOR(j, V) {
          vd lo = wasm_v128_load(wp[2 * j] + 2 * t), hi = wasm_v128_load(wp[2 * j + 1] + 2 * t);
          av[j] = wasm_i64x2_shuffle(lo, hi, 0, 2);
          bv[j] = wasm_i64x2_shuffle(lo, hi, 1, 3);
        }
      } else {
        double hl[K], al[K], bl[K];
        FOR(j, V) wasm_v128_store(hl + 2 * j, H[j]);
        FOR(k, K) {
          const int32_t n = t - k;
          if (n >= 0 && n < N) {
            al[k] = wp[k][2 * t];
            bl[k] = wp[k][2 * t + 1];
          } else {
            al[k] = bl[k] = hl[k] = 0.0;
          }
        }
        if (t == tlast) hl[klast] = 1.0; /* H(M-1, N-1) = 1 */
        FOR(j, V) {
          H[j] = wasm_v128_load(hl + 2 * j);
          av[j] = wasm_v128_load(al + 2 * j);
          bv[j] = wasm_v128_load(bl + 2 * j);
        }
      }
      FOR(j, V) {
        decode(wasm_v128_and(av[j], live[j]), wasm_v128_and(bv[j], live[j]), &wdv[j], &wuv[j],
               &wlv[j], one);
        PD2[j] = PD1[j];
        PD1[j] = MUL(H[j], wdv[j]);
        PU[j] = MUL(H[j], wuv[j]);
        PL[j] = MUL(H[j], wlv[j]);
      }
      /* outputs: gradient (E, or E * G when weighted) over the cost, row buffers from lane 0 */
      vd G[V];
      FOR(j, V) {
        G[j] = weighted ? ADD(ADD(MUL(WD, wdv[j]), MUL(WR, wuv[j])), MUL(WC, wlv[j])) : H[j];
        if (weighted) G[j] = MUL(H[j], G[j]);
      }
      if (fast) {
        FOR(j, V) {
          wasm_v128_store64_lane(gp[2 * j] + t * sn, G[j], 0);
          wasm_v128_store64_lane(gp[2 * j + 1] + t * sn, G[j], 1);
          if (weighted && occ) {
            wasm_v128_store64_lane(op[2 * j] + t * sn, H[j], 0);
            wasm_v128_store64_lane(op[2 * j + 1] + t * sn, H[j], 1);
          }
        }
      } else {
        double gl[K], hl[K];
        FOR(j, V) {
          wasm_v128_store(gl + 2 * j, G[j]);
          wasm_v128_store(hl + 2 * j, H[j]);
        }
        FOR(k, K) {
          const int32_t n = t - k;
          if (n >= 0 && n < N) {
            gp[k][t * sn] = gl[k];
            if (weighted && occ) op[k][t * sn] = hl[k];
          }
        }
      }
      if (t < N) {
        pdr[t] = wasm_f64x2_extract_lane(PD1[0], 0);
        pur[t] = wasm_f64x2_extract_lane(PU[0], 0);
      }
    }
  }
}


/* ------------------------------------------------------------------------------------------
 * The forward pass of the plain kernel in the partition-function domain.
 *
 * Z(m, n) = exp(-D(m, n) / γ) is held as z 2^k with z in [1, 2) and k an integer-valued
 * double (k = -inf for D = +inf). Then Z(m, n) = exp(-C(m, n) / γ) (Z_diag + Z_up + Z_left):
 * no logarithm, and one exponential whose argument does not depend on the recursion. The
 * three terms are aligned to the largest exponent K, t_i = z_i 2^(k_i - K + 600) (the factor
 * 2^600 keeps terms down to 2^-1622 of the largest as normal numbers; smaller ones cannot
 * matter), the softmin weights are t_i / Σ t exactly as in the log domain, and the new z is
 * renormalized to [1, 2) by moving its binary exponent into k. The rounding error of Z is a few
 * ulp per cell relative to Z, i.e. a few ulp of γ in D, independent of the size of D. When k
 * would overflow (|D| / γ beyond 1e308, e.g. γ = 1e-300), the log-domain pass runs instead.
 * D(M-1, N-1) = -γ (k ln 2 + ln z) at the end.
 * ------------------------------------------------------------------------------------------ */

/* e^x as mantissa and exponent: *m = e^r, kx = round(x / ln 2), r = x - kx ln 2. */
static inline __attribute__((always_inline)) void vexp_split_n(const vd *x, vd *m, vd *kx,
                                                               int n, const Consts *c) {
  vd r[n], r2[n], r4[n], q[n], u[n];
  FOR(j, n) kx[j] = wasm_f64x2_nearest(MUL(x[j], c->log2e));
  FOR(j, n) {
    r[j] = SUB(SUB(x[j], MUL(kx[j], c->ln2hi)), MUL(kx[j], c->ln2lo));
    /* |x| > 2^50: kx ln 2 is not exact; the fraction no longer matters, keep r bounded */
    r[j] = wasm_f64x2_pmin(wasm_f64x2_pmax(r[j], c->mone), c->one);
  }
  FOR(j, n) r2[j] = MUL(r[j], r[j]);
  FOR(j, n) r4[j] = MUL(r2[j], r2[j]);
  FOR(j, n) {
    vd q0 = ADD(c->p[9], MUL(c->p[8], r[j])), q1 = ADD(c->p[7], MUL(c->p[6], r[j]));
    q[j] = ADD(q0, MUL(q1, r2[j]));
  }
  FOR(j, n) {
    vd q2 = ADD(c->p[5], MUL(c->p[4], r[j])), q3 = ADD(c->p[3], MUL(c->p[2], r[j]));
    u[j] = ADD(q2, MUL(q3, r2[j]));
  }
  FOR(j, n) {
    vd q4 = ADD(c->p[1], MUL(c->p[0], r[j]));
    q[j] = ADD(ADD(q[j], MUL(u[j], r4[j])), MUL(q4, MUL(r4[j], r4[j])));
  }
  FOR(j, n) m[j] = ADD(c->one, ADD(r[j], MUL(r2[j], q[j])));
}

/* 2^(d + 600) for an integer-valued d >= -1622 (and <= 0): the exponent field by the bits of
   d + 1623 + 1.5 * 2^52. */
static inline __attribute__((always_inline)) vd pow2_600(vd d, const Consts *c) {
  return wasm_i64x2_shl(ADD(wasm_f64x2_pmax(d, c->dmin), c->bias1623), 52);
}

static inline __attribute__((always_inline)) void cells_z(int n, const vd *k0, const vd *z0,
                                                          const vd *k1, const vd *z1,
                                                          const vd *k2, const vd *z2,
                                                          const vd *c, vd nig, vd *ko, vd *zo,
                                                          vd *a, vd *b, const Consts *k) {
  vd x[n], ex[n], kx[n], Kx[n], t0[n], t1[n], t2[n], S[n], inv[n];
  FOR(j, n) x[j] = MUL(c[j], nig);
  vexp_split_n(x, ex, kx, n, k);
  FOR(j, n) {
    Kx[j] = wasm_f64x2_pmax(wasm_f64x2_pmax(k0[j], k1[j]), k2[j]);
    t0[j] = MUL(z0[j], pow2_600(SUB(k0[j], Kx[j]), k));
    t1[j] = MUL(z1[j], pow2_600(SUB(k1[j], Kx[j]), k));
    t2[j] = MUL(z2[j], pow2_600(SUB(k2[j], Kx[j]), k));
    S[j] = ADD(ADD(t0[j], t1[j]), t2[j]);
  }
  FOR(j, n) inv[j] = wasm_f64x2_div(k->one, S[j]);
  FOR(j, n) {
    /* the two smaller terms are stored (see cell for the sign code) */
    vd p = wasm_f64x2_lt(t1[j], t0[j]);
    vd small = wasm_f64x2_pmin(t0[j], t1[j]), big = wasm_f64x2_pmax(t0[j], t1[j]);
    vd q = wasm_f64x2_lt(t2[j], big);
    a[j] = wasm_v128_or(MUL(small, inv[j]), wasm_v128_and(p, k->sign));
    b[j] = wasm_v128_or(MUL(wasm_f64x2_pmin(big, t2[j]), inv[j]), wasm_v128_and(q, k->sign));
  }
  FOR(j, n) {
    vd y = MUL(ex[j], S[j]);
    vd field = wasm_u64x2_shr(y, 52); /* y > 0: the biased binary exponent */
    vd fd = SUB(wasm_v128_or(field, k->two52), k->two52);
    zo[j] = wasm_v128_or(wasm_v128_and(y, k->mant), k->one);
    ko[j] = ADD(ADD(Kx[j], kx[j]), SUB(fd, k->c1623));
  }
}

/*
 * The step-weighted form: the three candidates are Z_i exp(-w_i C / γ), each with its own
 * exponential (still off the recursion's critical path), aligned to the largest exponent.
 */
static inline __attribute__((always_inline)) void cells_zw(int n, const vd *k0, const vd *z0,
                                                           const vd *k1, const vd *z1,
                                                           const vd *k2, const vd *z2,
                                                           const vd *c, const vd *nw, vd *ko,
                                                           vd *zo, vd *a, vd *b, const Consts *k) {
  vd x[3 * n], ex[3 * n], kx[3 * n], Kx[n], t0[n], t1[n], t2[n], S[n], inv[n];
  /* nw = -w / γ for the diagonal, up (row) and left (column) steps */
  FOR(j, n) x[j] = MUL(c[j], nw[0]), x[n + j] = MUL(c[j], nw[1]), x[2 * n + j] = MUL(c[j], nw[2]);
  vexp_split_n(x, ex, kx, 3 * n, k);
  FOR(j, n) {
    vd a0 = ADD(k0[j], kx[j]), a1 = ADD(k1[j], kx[n + j]), a2 = ADD(k2[j], kx[2 * n + j]);
    Kx[j] = wasm_f64x2_pmax(wasm_f64x2_pmax(a0, a1), a2);
    t0[j] = MUL(MUL(z0[j], ex[j]), pow2_600(SUB(a0, Kx[j]), k));
    t1[j] = MUL(MUL(z1[j], ex[n + j]), pow2_600(SUB(a1, Kx[j]), k));
    t2[j] = MUL(MUL(z2[j], ex[2 * n + j]), pow2_600(SUB(a2, Kx[j]), k));
    S[j] = ADD(ADD(t0[j], t1[j]), t2[j]);
  }
  FOR(j, n) inv[j] = wasm_f64x2_div(k->one, S[j]);
  FOR(j, n) {
    vd p = wasm_f64x2_lt(t1[j], t0[j]);
    vd small = wasm_f64x2_pmin(t0[j], t1[j]), big = wasm_f64x2_pmax(t0[j], t1[j]);
    vd q = wasm_f64x2_lt(t2[j], big);
    a[j] = wasm_v128_or(MUL(small, inv[j]), wasm_v128_and(p, k->sign));
    b[j] = wasm_v128_or(MUL(wasm_f64x2_pmin(big, t2[j]), inv[j]), wasm_v128_and(q, k->sign));
  }
  FOR(j, n) {
    vd field = wasm_u64x2_shr(S[j], 52);
    vd fd = SUB(wasm_v128_or(field, k->two52), k->two52);
    zo[j] = wasm_v128_or(wasm_v128_and(S[j], k->mant), k->one);
    ko[j] = ADD(Kx[j], SUB(fd, k->c1623));
  }
}

/* D = -γ (k ln 2 + ln z) for one lane. */
static inline double z_to_d(double k, double z, double gamma, const Consts *c) {
  vd l = vlog13(wasm_f64x2_splat(z), c);
  vd kk = wasm_f64x2_splat(k);
  vd d = ADD(MUL(kk, c->ln2hi), ADD(l, MUL(kk, c->ln2lo)));
  return 0.0 - gamma * wasm_f64x2_extract_lane(d, 0); /* 0 - (+0) = +0, as the log domain */
}

/* The forward pass in the Z domain; returns NaN when k overflowed (then use forward()). */
static inline __attribute__((always_inline)) double forward_z(const Problem *P, int weighted) {
  const int32_t M = P->M, N = P->N;
  const uint32_t sm = P->sm, sn = P->sn;
  double *C = P->C, *W = P->W;
  /* rbk/rbz[1 + n] = Z(m0 - 1, n); index 0 = column -1; room up to index N + K. */
  double *rbk = P->R, *rbz = P->R + (N + 2 * K + 2), *dummyW = P->R + DW_OFF(N);
  const double inf = __builtin_inf();
  for (int32_t n = 0; n <= N + K; n++) rbk[n] = -inf, rbz[n] = 1.0;
  rbk[0] = 0.0; /* Z(-1, -1) = 1 */
  Consts kc;
  load_consts(&kc);
  const vd nig = SPLAT(-1.0 / P->gamma), minf = SPLAT(-inf), one = kc.one;
  const vd nw[3] = {SPLAT(-P->wd / P->gamma), SPLAT(-P->wr / P->gamma), SPLAT(-P->wc / P->gamma)};
  vd low = SPLAT(0.0); /* the smallest k of a matrix cell: -inf when k overflowed */
  double value = __builtin_nan("");
  const int32_t T = N + K - 1;
  for (int32_t m0 = 0; m0 < M; m0 += K) {
    const int32_t klast = M - 1 - m0, tlast = klast < K ? N - 1 + klast : -1;
    vd Kv[V], Zv[V], UpK[V], UpZ[V];
    FOR(j, V) Kv[j] = minf, Zv[j] = one, UpK[j] = minf, UpZ[j] = one;
    UpK[0] = wasm_f64x2_replace_lane(minf, 0, rbk[0]);
    const double *cp[K];
    double *wp[K];
    FOR(k, K) {
      const int32_t m = m0 + k < M ? m0 + k : M - 1;
      cp[k] = C + (uint32_t)m * sm - (uint32_t)k * sn;
      wp[k] = m0 + k < M ? W + 2 * ((uint32_t)m * (uint32_t)N - k) : dummyW;
    }
    for (int32_t t = 0; t < T; t++) {
      const int fast = t >= K - 1 && t < N && t != tlast;
      vd upk[V], upz[V], a[V], b[V], nk[V], nz[V], c[V];
      upk[0] = SHIFT_UP(wasm_v128_load64_splat(rbk + t + 1), Kv[0]);
      upz[0] = SHIFT_UP(wasm_v128_load64_splat(rbz + t + 1), Zv[0]);
      for (int j = 1; j < V; j++) {
        upk[j] = SHIFT_UP(Kv[j - 1], Kv[j]);
        upz[j] = SHIFT_UP(Zv[j - 1], Zv[j]);
      }
      if (fast) {
        FOR(j, V) {
          c[j] = wasm_v128_load64_zero(cp[2 * j] + t * sn);
          c[j] = wasm_v128_load64_lane(cp[2 * j + 1] + t * sn, c[j], 1);
        }
      } else {
        double cl[K];
        FOR(k, K) {
          const int32_t n = t - k;
          cl[k] = (n >= 0 && n < N) ? cp[k][t * sn] : 0.0;
        }
        FOR(j, V) c[j] = wasm_v128_load(cl + 2 * j);
      }
      for (int g = 0; g < V; g += GROUP) {
        if (weighted) {
          cells_zw(GROUP, UpK + g, UpZ + g, upk + g, upz + g, Kv + g, Zv + g, c + g, nw, nk + g,
                   nz + g, a + g, b + g, &kc);
        } else {
          cells_z(GROUP, UpK + g, UpZ + g, upk + g, upz + g, Kv + g, Zv + g, c + g, nig, nk + g,
                  nz + g, a + g, b + g, &kc);
        }
      }
      if (fast) {
        FOR(j, V) {
          wasm_v128_store(wp[2 * j] + 2 * t, wasm_i64x2_shuffle(a[j], b[j], 0, 2));
          wasm_v128_store(wp[2 * j + 1] + 2 * t, wasm_i64x2_shuffle(a[j], b[j], 1, 3));
          low = wasm_f64x2_pmin(low, nk[j]);
        }
      } else {
        double kl[K], zl[K], al[K], bl[K];
        FOR(j, V) {
          wasm_v128_store(kl + 2 * j, nk[j]);
          wasm_v128_store(zl + 2 * j, nz[j]);
          wasm_v128_store(al + 2 * j, a[j]);
          wasm_v128_store(bl + 2 * j, b[j]);
        }
        FOR(k, K) {
          const int32_t n = t - k;
          if (n >= 0 && n < N) {
            wp[k][2 * t] = al[k];
            wp[k][2 * t + 1] = bl[k];
            if (m0 + k < M && !(kl[k] > -inf)) low = SPLAT(-inf);
          } else {
            kl[k] = -inf; /* before its first column a lane must hold Z(m, -1) = 0 */
            zl[k] = 1.0;
          }
        }
        if (t == tlast) value = z_to_d(kl[klast], zl[klast], P->gamma, &kc);
        FOR(j, V) nk[j] = wasm_v128_load(kl + 2 * j), nz[j] = wasm_v128_load(zl + 2 * j);
      }
      if (t >= K - 1 && t - (K - 1) < N) {
        rbk[t - (K - 1) + 1] = wasm_f64x2_extract_lane(nk[V - 1], 1);
        rbz[t - (K - 1) + 1] = wasm_f64x2_extract_lane(nz[V - 1], 1);
      }
      FOR(j, V) Kv[j] = nk[j], Zv[j] = nz[j], UpK[j] = upk[j], UpZ[j] = upz[j];
    }
    rbk[0] = -inf;
  }
  const double lo = wasm_f64x2_extract_lane(wasm_f64x2_pmin(low, wasm_i64x2_shuffle(low, low, 1, 0)), 0);
  return lo > -inf ? value : __builtin_nan("");
}

static int32_t log_domain = 0;

/* 1 when the last plain forward pass ran in the log domain, 0 for the Z domain (for tests). */
__attribute__((export_name("last_log_domain"))) int32_t last_log_domain(void) {
  return log_domain;
}

/*
 * Soft-DTW of one M x N cost block, cost(m, n) = C[m * sm + n * sn], with weights scratch W
 * (2 M N doubles) and row scratch R (4 (N + 2K + 2) doubles). Returns the value; when
 * with_grad and the value is finite, overwrites the cost block with the gradient E.
 */
__attribute__((export_name("sdtw"))) double sdtw(double *C, uint32_t sm, uint32_t sn, double *W,
                                                 double *R, int32_t M, int32_t N, double gamma,
                                                 int32_t with_grad) {
  Problem P = {C, sm, sn, W, R, M, N, gamma, 1, 1, 1, 0};
  /* One row or column: a single path, whose value (a plain sum) the log domain gives to an ulp
     of D, the Z domain only to an ulp of γ per cell. */
  double v = M == 1 || N == 1 ? __builtin_nan("") : forward_z(&P, 0);
  log_domain = !(v - v == 0);
  if (log_domain) v = forward(&P, 0); /* k overflowed (or the value is not finite) */
  if (with_grad && v - v == 0) backward(&P, 0);
  return v;
}

/*
 * Step-weighted soft-DTW: weights [wr, wc, wd] multiply the cost of the entered cell for an
 * up (row) step, a left (column) step and a diagonal step; the first cell is entered
 * diagonally from D(-1, -1) = 0. The gradient E * G overwrites the cost block; the occupancy E
 * goes to occ (same strides) when occ is not 0.
 */
__attribute__((export_name("sdtw_weighted"))) double sdtw_weighted(
    double *C, uint32_t sm, uint32_t sn, double *W, double *R, int32_t M, int32_t N,
    double gamma, int32_t with_grad, double wr, double wc, double wd, double *occ) {
  Problem P = {C, sm, sn, W, R, M, N, gamma, wr, wc, wd, occ};
  /* as sdtw: the Z domain, else the log domain (one row, or |D| / γ beyond the float range) */
  double v = M == 1 || N == 1 ? __builtin_nan("") : forward_z(&P, 1);
  log_domain = !(v - v == 0);
  if (log_domain) v = forward(&P, 1);
  if (with_grad && v - v == 0) backward(&P, 1);
  return v;
}

/*
 * Batch of B pairs, pair b's block at C + b * maxRows * maxCols with rows rl[b], columns cl[b]
 * (row stride maxCols). Values to values[b]; with_grad: each block becomes its gradient, zero
 * outside the used rows x columns. Pairs whose value is not finite keep their cost. Blocks with
 * more rows than columns run transposed (long strips).
 */
__attribute__((export_name("sdtw_batch"))) void sdtw_batch(double *C, int32_t B,
                                                           int32_t maxRows, int32_t maxCols,
                                                           const int32_t *rl, const int32_t *cl,
                                                           double gamma, int32_t with_grad,
                                                           double *W, double *R, double *values) {
  const uint32_t block = (uint32_t)maxRows * (uint32_t)maxCols;
  for (int32_t b = 0; b < B; b++) {
    double *Cb = C + (uint32_t)b * block;
    const int32_t M = rl[b], N = cl[b];
    values[b] = M > N ? sdtw(Cb, 1, maxCols, W, R, N, M, gamma, with_grad)
                      : sdtw(Cb, maxCols, 1, W, R, M, N, gamma, with_grad);
    if (with_grad) {
      for (int32_t m = 0; m < maxRows; m++) {
        for (int32_t n = (m < M ? N : 0); n < maxCols; n++) Cb[m * maxCols + n] = 0.0;
      }
    }
  }
}

/*
 * The alignment graph with the soft minimum (the general graph of lib/align/graph.ts, whose
 * TypeScript runGraphReference is the reference): rows x cols cells in row-major order, S steps
 * (di[s], dj[s]) with weights W (global: W[s], all finite, the caller drops steps of weight
 * +inf; local: W[p * S + s] contiguous per cell, +inf = no edge), ns start cells st[k]
 * (row-major, increasing) with weights sw[k], ne end cells ec[k] (row-major, increasing) with
 * weights ew[k]; S < 64. The cost C is overwritten by the gradient H. Scratch: D (n), E (n),
 * T (2 ne), G (2 S (GR + max di) cols). Returns the value, +inf when no path from a start cell
 * reaches an end cell (or the value overflows), as the reference.
 *
 * Two forms. For 2 and 3 steps, when the exponents fit and γ is at most the cost scale
 * (gz_fits), the partition-function passes (gz_pass, after this form), leaving the expected
 * alignment dvalue/dD in D[2p + 1] (D and E hold z, k per cell). Otherwise this log-domain
 * form, leaving it in E.
 *
 * Memory: 24 bytes per cell (C/H, D, E). The backward pass does not read stored softmin
 * weights: at each cell it recomputes them from D of the predecessors, C and W by the same
 * operations as the forward pass, so they are bit for bit the forward's. Both passes run on a
 * skew over strips of GR rows (the GR cells of a step are independent), their exponentials and
 * logarithms in lockstep on f64x2. Loops are specialized on the step count (2 and 3, the
 * presets' counts; other counts run the same code with the count as a variable) and on global
 * or per-cell weights; cells whose predecessors all lie inside the grid skip the bounds checks.
 * exp of arguments <= 0 and log of sums in [1, 2^k] through the kernel's approximations.
 */
static inline double exp_le0(double x, const Consts *c) {
  return wasm_f64x2_extract_lane(vexp(SPLAT(x), c), 0);
}

/* log(s) for s >= 1: s = m 2^k with m in [1, 2), log m by vlog13. */
static inline double log_ge1(double s, const Consts *c) {
  double k = 0.0;
  while (s >= 2.0) {
    s *= 0.5;
    k += 1.0;
  }
  return wasm_f64x2_extract_lane(vlog13(SPLAT(s), c), 0) + k * KC[2] + k * KC[3];
}

/* soft minimum of v[0..m) (+inf entries ignored), its weights into w; +inf when all are +inf */
static inline double softmin_n(const double *v, int32_t m, double gamma, double *w,
                               const Consts *c) {
  const double inf = __builtin_inf();
  double mn = inf;
  for (int32_t d = 0; d < m; d++) mn = v[d] < mn ? v[d] : mn;
  if (mn == inf) {
    for (int32_t d = 0; d < m; d++) w[d] = 0.0;
    return inf;
  }
  double sum = 0.0;
  const double ig = 1.0 / gamma;
  for (int32_t d = 0; d < m; d++) {
    const double e = v[d] == inf ? 0.0 : exp_le0((mn - v[d]) * ig, c);
    w[d] = e;
    sum += e;
  }
  const double is = 1.0 / sum;
  for (int32_t d = 0; d < m; d++) w[d] *= is;
  return mn - gamma * log_ge1(sum, c);
}

#define AI __attribute__((always_inline))

/* v[d] (d < m) of cell p = (i, j): v[0] the start term a (+inf if none), v[1 + s] the step s
 * term (+inf for a step from outside the grid or of weight +inf). CHECK: bounds checks. */
static inline AI void graph_terms(double *v, int32_t S, int32_t LOCAL, int32_t CHECK,
                                  const double *C, const double *D, const double *W, int32_t i,
                                  int32_t j, uint32_t p, const int32_t *di, const int32_t *dj,
                                  const uint32_t *off, double a) {
  const double inf = __builtin_inf();
  const double cp = C[p];
  v[0] = a;
  for (int32_t s = 0; s < S; s++) {
    if (CHECK && (i < di[s] || j < dj[s])) {
      v[s + 1] = inf;
      continue;
    }
    const double w = LOCAL ? W[p * (uint32_t)S + (uint32_t)s] : W[s];
    const double x = D[p - off[s]] + w * cp;
    v[s + 1] = LOCAL ? (w == inf ? inf : x) : x;
  }
}

/* e[d] = exp((mn - v[d]) / gamma) (0 for v[d] = +inf), d < m, two per vector; returns their
 * sum (added in order d = 0, 1, ...) */
static inline AI double graph_exps(const double *v, int32_t m, double mn, double ig, double *e,
                                   const Consts *c) {
  const double inf = __builtin_inf();
  for (int32_t d = 0; d < m; d += 2) {
    const double x0 = (mn - v[d]) * ig, x1 = d + 1 < m ? (mn - v[d + 1]) * ig : 0.0;
    const vd r = vexp(wasm_f64x2_make(x0, x1), c);
    e[d] = v[d] == inf ? 0.0 : wasm_f64x2_extract_lane(r, 0);
    if (d + 1 < m) e[d + 1] = v[d + 1] == inf ? 0.0 : wasm_f64x2_extract_lane(r, 1);
  }
  double sum = 0.0;
  for (int32_t d = 0; d < m; d++) sum += e[d];
  return sum;
}

static inline AI double graph_min(const double *v, int32_t m) {
  double mn = __builtin_inf();
  for (int32_t d = 0; d < m; d++) mn = v[d] < mn ? v[d] : mn;
  return mn;
}

/* Rows per strip of the general kernel's forward pass. */
#define GR 4

/* sum[r] = sum over d < m of exp((mn[r] - v[r][d]) / gamma) (0 for v = +inf), added in order
 * d = 0, 1, ... as graph_exps does, for GR cells; FIXED: m is a compile-time constant (the
 * exponentials of all cells in lockstep) */
static inline AI void graph_exps_block(double v[GR][64], const double *mn, int32_t m, double ig,
                                       double *sum, double ee[GR][64], const int32_t FIXED,
                                       const Consts *c) {
  const double inf = __builtin_inf();
  const int32_t nv = (m + 1) / 2;
  if (FIXED) {
    vd x[GR * ((m + 1) / 2)];
    FOR(r, GR) {
      for (int32_t k = 0; k < nv; k++) {
        const int32_t d = 2 * k;
        x[r * nv + k] = wasm_f64x2_make((mn[r] - v[r][d]) * ig,
                                        d + 1 < m ? (mn[r] - v[r][d + 1]) * ig : 0.0);
      }
    }
    vexp_n(x, GR * ((m + 1) / 2), c);
    FOR(r, GR) {
      for (int32_t k = 0; k < nv; k++) {
        const int32_t d = 2 * k;
        ee[r][d] = v[r][d] == inf ? 0.0 : wasm_f64x2_extract_lane(x[r * nv + k], 0);
        if (d + 1 < m) ee[r][d + 1] = v[r][d + 1] == inf ? 0.0 : wasm_f64x2_extract_lane(x[r * nv + k], 1);
      }
      double s = 0.0;
      for (int32_t d = 0; d < m; d++) s += ee[r][d];
      sum[r] = s;
    }
  } else {
    FOR(r, GR) sum[r] = graph_exps(v[r], m, mn[r], ig, ee[r], c);
  }
}

/* lg[r] = log_ge1(sum[r]) for GR sums, the logarithms in lockstep */
static inline AI void graph_log_block(const double *sum, double *lg, const Consts *c) {
  double sr[GR], kr[GR];
  FOR(r, GR) {
    double s = sum[r], k = 0.0;
    while (s >= 2.0) {
      s *= 0.5;
      k += 1.0;
    }
    sr[r] = s;
    kr[r] = k;
  }
  vd y[GR / 2];
  FOR(h, GR / 2) y[h] = wasm_f64x2_make(sr[2 * h], sr[2 * h + 1]);
  vlog_n(y, GR / 2, c);
  FOR(h, GR / 2) {
    lg[2 * h] = wasm_f64x2_extract_lane(y[h], 0) + kr[2 * h] * KC[2] + kr[2 * h] * KC[3];
    lg[2 * h + 1] = wasm_f64x2_extract_lane(y[h], 1) + kr[2 * h + 1] * KC[2] + kr[2 * h + 1] * KC[3];
  }
}

/* The backward step of cell p with E(p) = ep != 0: the softmin weights e[d] * is (start term
 * first), the gradient H(p) into C[p] and the pushes of E to the predecessors. */
static inline AI void graph_back_cell(int32_t S, int32_t LOCAL, uint32_t p, double ep,
                                      const double *e, double is, double swp, const double *W,
                                      const uint32_t *off, double *E, double *C) {
  const double d0 = e[0] * is;
  double h = d0 == 0.0 ? 0.0 : d0 * swp;
  for (int32_t s = 0; s < S; s++) {
    const double d = e[s + 1] * is;
    if (d == 0.0) continue;
    h += d * (LOCAL ? W[p * (uint32_t)S + (uint32_t)s] : W[s]);
    E[p - off[s]] += ep * d;
  }
  C[p] = ep * h;
}

/* The forward and backward passes for S steps (a constant after inlining, or the generic S). */
static inline AI double graph_pass(const int32_t S, const int32_t LOCAL, const int32_t FIXED,
                                   double *C, int32_t rows,
                                   int32_t cols, const int32_t *di, const int32_t *dj,
                                   const double *W, int32_t ns, const int32_t *st,
                                   const double *sw, int32_t ne, const int32_t *ec,
                                   const double *ew, double gamma, double *D, double *E,
                                   double *T) {
  const double inf = __builtin_inf();
  Consts c;
  load_consts(&c);
  const int32_t m = S + 1;
  const double ig = 1.0 / gamma;
  const uint32_t n = (uint32_t)rows * (uint32_t)cols;
  uint32_t off[64];
  int32_t mi = 0, mj = 0; /* cells (i, j) with i >= mi and j >= mj have every predecessor */
  for (int32_t s = 0; s < S; s++) {
    off[s] = (uint32_t)di[s] * (uint32_t)cols + (uint32_t)dj[s];
    mi = di[s] > mi ? di[s] : mi;
    mj = dj[s] > mj ? dj[s] : mj;
  }
  double v[64], e[64];
  int32_t ks = 0;
  /* Forward: strips of GR rows on a skew, cell (i0 + r, t - r) at step t. Every step moves at
   * least one row or column, so the GR cells of a step are independent: their exponentials and
   * logarithms run in lockstep (a row-major sweep would wait on D(i, j - 1) at every cell). */
  for (int32_t i0 = 0; i0 < rows; i0 += GR) {
    const int32_t nr = rows - i0 < GR ? rows - i0 : GR;
    int32_t ksr[GR];
    for (int32_t r = 0; r < GR; r++) {
      const uint32_t rowp = (uint32_t)(i0 + r) * (uint32_t)cols;
      while (ks < ns && (uint32_t)st[ks] < rowp) ks++;
      ksr[r] = ks;
    }
    ks = ksr[0];
    const int32_t interior0 = nr == GR && i0 >= mi ? mj + GR - 1 : cols; /* first interior t */
    for (int32_t t = 0; t < cols + nr - 1; t++) {
      if (t >= interior0 && t < cols) {
        double vv[GR][64], ee[GR][64], mn[GR], sum[GR];
        uint32_t pp[GR];
        FOR(r, GR) {
          const uint32_t p = (uint32_t)(i0 + r) * (uint32_t)cols + (uint32_t)(t - r);
          pp[r] = p;
          double a = inf;
          if (ksr[r] < ns && (uint32_t)st[ksr[r]] == p) a = sw[ksr[r]++] * C[p];
          graph_terms(vv[r], S, LOCAL, 0, C, D, W, i0 + r, t - r, p, di, dj, off, a);
          mn[r] = graph_min(vv[r], m);
        }
        graph_exps_block(vv, mn, m, ig, sum, ee, FIXED, &c);
        double lg[GR];
        graph_log_block(sum, lg, &c);
        FOR(r, GR) D[pp[r]] = mn[r] == inf ? inf : mn[r] - gamma * lg[r];
        continue;
      }
      for (int32_t r = 0; r < nr; r++) {
        const int32_t i = i0 + r, j = t - r;
        if (j < 0 || j >= cols) continue;
        const uint32_t p = (uint32_t)i * (uint32_t)cols + (uint32_t)j;
        double a = inf;
        if (ksr[r] < ns && (uint32_t)st[ksr[r]] == p) a = sw[ksr[r]++] * C[p];
        graph_terms(v, S, LOCAL, 1, C, D, W, i, j, p, di, dj, off, a);
        const double mn = graph_min(v, m);
        D[p] = mn == inf ? inf : mn - gamma * log_ge1(graph_exps(v, m, mn, ig, e, &c), &c);
      }
    }
    ks = ksr[GR - 1];
  }
  double *vend = T, *wend = T + ne;
  for (int32_t k = 0; k < ne; k++) {
    const uint32_t p = (uint32_t)ec[k];
    vend[k] = D[p] == inf ? inf : D[p] + ew[k] * C[p];
  }
  const double value = softmin_n(vend, ne, gamma, wend, &c);
  if (!(value - value == 0)) return value;
  for (uint32_t p = 0; p < n; p++) E[p] = 0.0;
  for (int32_t k = 0; k < ne; k++) E[ec[k]] += wend[k];
  /* Backward: the forward's order reversed (strips from the last, steps t from the last), so
   * every cell's successors are done before it; the GR cells of a step are independent and
   * recompute their softmin weights in lockstep. */
  ks = ns - 1;
  for (int32_t i0 = ((rows - 1) / GR) * GR; i0 >= 0; i0 -= GR) {
    const int32_t nr = rows - i0 < GR ? rows - i0 : GR;
    int32_t ksr[GR]; /* per row: the last start cell not after the row's cells still to do */
    for (int32_t r = GR - 1; r >= 0; r--) {
      const uint32_t after = (uint32_t)(i0 + r + 1) * (uint32_t)cols;
      while (ks >= 0 && (uint32_t)st[ks] >= after) ks--;
      ksr[r] = ks;
    }
    const int32_t interior0 = nr == GR && i0 >= mi ? mj + GR - 1 : cols;
    for (int32_t t = cols + nr - 2; t >= 0; t--) {
      if (t >= interior0 && t < cols) {
        double vv[GR][64], ee[GR][64], mn[GR], sum[GR], swr[GR];
        uint32_t pp[GR];
        FOR(r, GR) {
          const uint32_t p = (uint32_t)(i0 + r) * (uint32_t)cols + (uint32_t)(t - r);
          pp[r] = p;
          double a = inf;
          swr[r] = 0.0;
          if (ksr[r] >= 0 && (uint32_t)st[ksr[r]] == p) {
            swr[r] = sw[ksr[r]--];
            a = swr[r] * C[p];
          }
          graph_terms(vv[r], S, LOCAL, 0, C, D, W, i0 + r, t - r, p, di, dj, off, a);
          mn[r] = graph_min(vv[r], m);
        }
        graph_exps_block(vv, mn, m, ig, sum, ee, FIXED, &c);
        FOR(r, GR) {
          const uint32_t p = pp[r];
          const double ep = E[p];
          if (ep == 0.0) {
            C[p] = 0.0;
            continue;
          }
          graph_back_cell(S, LOCAL, p, ep, ee[r], 1.0 / sum[r], swr[r], W, off, E, C);
        }
        continue;
      }
      for (int32_t r = nr - 1; r >= 0; r--) {
        const int32_t i = i0 + r, j = t - r;
        if (j < 0 || j >= cols) continue;
        const uint32_t p = (uint32_t)i * (uint32_t)cols + (uint32_t)j;
        double a = inf, swp = 0.0;
        if (ksr[r] >= 0 && (uint32_t)st[ksr[r]] == p) {
          swp = sw[ksr[r]--];
          a = swp * C[p];
        }
        const double ep = E[p];
        if (ep == 0.0) {
          C[p] = 0.0;
          continue;
        }
        graph_terms(v, S, LOCAL, 1, C, D, W, i, j, p, di, dj, off, a);
        const double mn = graph_min(v, m);
        graph_back_cell(S, LOCAL, p, ep, e, 1.0 / graph_exps(v, m, mn, ig, e, &c), swp, W, off, E,
                        C);
      }
    }
    ks = ksr[0];
  }
  for (int32_t k = 0; k < ne; k++) C[ec[k]] += wend[k] * ew[k];
  return value;
}


/* ------------------------------------------------------------------------------------------
 * The general graph in the partition-function domain (the classic kernel's approach): Z(p) =
 * exp(-D(p)/γ) held as z 2^k (z in [1, 2), k an integer-valued double; z = 0, k = -inf where no
 * path from a start cell arrives), with y_s(p) = exp(-W(p, s) C(p)/γ) and y_a(p) = exp(-w_start(p)
 * C(p)/γ):
 *
 *     Z(p)    = [p start] y_a(p) + sum_s Z(p - s) y_s(p)
 *     Ztot    = sum over end cells of Z(p) y_e(p),  y_e(p) = exp(-w_end(p) C(p)/γ)
 *     Zbar(p) = [p end] y_e(p) + sum_s G_s(p + s),  G_s(r) = Zbar(r) y_s(r)
 *     E(p)    = Z(p) Zbar(p) / Ztot
 *     H(p)    = (Zbar(p) (w_a y_a(p) + sum_s W(p, s) Z(p - s) y_s(p)) + w_e y_e(p) Z(p)) / Ztot
 *
 * No logarithm but the value's, and S exponentials per cell in each pass (one when every global
 * step weight is the same), whose arguments do not depend on the recursion. Terms are aligned to
 * the largest exponent as in cells_z (terms below 2^-1622 of the largest cannot matter). Every
 * quantity is a sum of positive terms, so E and H keep their relative accuracy however small.
 * Memory: z in D's place, k in E's (E(p) overwrites k(p) once the backward pass is past p, when
 * no cell still reads it), H over C: 24 bytes per cell, plus a ring of 2 S (GR + max di) rows of
 * G (16 S bytes per cell of a row) for the backward pass. The backward pass runs the forward's
 * skew reversed, so every successor's G is ready.
 *
 * It runs when every k is an exact integer in a double: (rows + cols + 1) max|W| max|C| / γ
 * below 2^50 bits (max over the step, start and end weights), a bound on |D|/γ over every path
 * (each step moves at least one row or column); and when γ <= max|W| max|C|, since its rounding
 * is a few ulp of γ per cell where the log domain's is a few ulp of D (a large γ on a path of
 * small costs). Otherwise the log-domain passes above run.
 * ------------------------------------------------------------------------------------------ */

/* x 2^d for integer-valued d (-inf gives 0): one rounding, as vexp's scale */
static inline AI vd gz_ldexp(vd x, vd d, vd dmax, const Consts *c) {
  return MUL(MUL(x, pow2_600(wasm_f64x2_pmin(d, dmax), c)), c->unscale);
}

/* sum (renormalized to z in [1, 2), or z = 0 and k = -inf for 0) with exponent base Kx */
static inline AI void gz_norm(vd sum, vd Kx, vd *zo, vd *ko, vd zero, vd minf, const Consts *c) {
  const vd field = wasm_u64x2_shr(sum, 52);
  const vd fd = SUB(wasm_v128_or(field, c->two52), c->two52);
  const vd nil = wasm_f64x2_eq(sum, zero);
  *zo = SEL(zero, wasm_v128_or(wasm_v128_and(sum, c->mant), c->one), nil);
  *ko = SEL(minf, ADD(Kx, SUB(fd, c->c1623)), nil);
}

typedef struct {
  vd zero, minf, low, dmax;
} GzConsts;

/* Per-strip lane state: the start (and, backward, end) cell pointers of each lane. */
typedef struct {
  int32_t ks[GR], ke[GR];
} GzLanes;

#define GZ_NX (LOCAL ? S : UNI ? 1 : S)
#define GZ_XI(s) (LOCAL ? (s) : UNI ? 0 : (s))

/*
 * The exponentials of the GR cells of a step: x = -W C / γ for the NX distinct weights (global:
 * nw[e] = -W[e] / γ; local: xv, per lane, 0 for an absent edge), into mantissa m and exponent kx.
 */
static inline AI void gz_exps(const int32_t S, const int32_t LOCAL, const int32_t UNI,
                              const vd *cv, vd xv[][2], const double *nw, vd *m, vd *kx,
                              const Consts *c) {
  vd x[2 * GZ_NX];
  for (int32_t e = 0; e < GZ_NX; e++) {
    FOR(h, 2) x[2 * e + h] = LOCAL ? xv[e][h] : MUL(cv[h], SPLAT(nw[e]));
  }
  vexp_split_n(x, m, kx, 2 * GZ_NX, c);
}

/*
 * The predecessors' z and k of the GR cells (zero and -inf for an edge from outside the grid or
 * of weight +inf), their step weights (0 for those), the mask of those absent edges and, for
 * per-cell weights, the exponential arguments -W C / γ. Interior steps (CHECK = 0) load each (z, k) pair as one vector.
 */
static inline AI void gz_preds(const int32_t S, const int32_t LOCAL, const int32_t CHECK,
                               const uint32_t *pp, const int32_t *ok, int32_t i0, int32_t t,
                               const double *ZK, const double *W, const int32_t *di,
                               const int32_t *dj, const uint32_t *off, const vd *cv, vd nig,
                               vd zq[][2], vd kq[][2], vd wq[][2], vd xv[][2], vd none[][2],
                               const GzConsts *g) {
  const double inf = __builtin_inf();
  for (int32_t s = 0; s < S; s++) {
    if (!CHECK) {
      FOR(h, 2) {
        const vd A = wasm_v128_load(ZK + 2 * (pp[2 * h] - off[s]));
        const vd B = wasm_v128_load(ZK + 2 * (pp[2 * h + 1] - off[s]));
        zq[s][h] = wasm_i64x2_shuffle(A, B, 0, 2);
        kq[s][h] = wasm_i64x2_shuffle(A, B, 1, 3);
        if (LOCAL) {
          const vd w = wasm_f64x2_make(W[pp[2 * h] * (uint32_t)S + (uint32_t)s],
                                       W[pp[2 * h + 1] * (uint32_t)S + (uint32_t)s]);
          const vd absent = wasm_f64x2_eq(w, SUB(g->zero, g->minf));
          zq[s][h] = SEL(g->zero, zq[s][h], absent);
          kq[s][h] = SEL(g->minf, kq[s][h], absent);
          wq[s][h] = SEL(g->zero, w, absent);
          xv[s][h] = MUL(MUL(wq[s][h], cv[h]), nig);
          none[s][h] = absent;
        } else {
          wq[s][h] = SPLAT(W[s]);
          none[s][h] = wasm_f64x2_ne(g->zero, g->zero);
        }
      }
    } else {
      double zl[GR], kl[GR], wl[GR], nl[GR];
      FOR(r, GR) {
        const int32_t i = i0 + r, j = t - r;
        int32_t pres = ok[r] && i >= di[s] && j >= dj[s];
        const uint32_t p = pp[r];
        const double w = LOCAL ? (ok[r] ? W[p * (uint32_t)S + (uint32_t)s] : 0.0) : W[s];
        if (LOCAL && w == inf) pres = 0;
        kl[r] = pres ? ZK[2 * (p - off[s]) + 1] : -inf;
        zl[r] = pres ? ZK[2 * (p - off[s])] : 0.0;
        wl[r] = pres ? w : 0.0;
        nl[r] = pres ? 0.0 : 1.0;
      }
      FOR(h, 2) {
        zq[s][h] = wasm_v128_load(zl + 2 * h);
        kq[s][h] = wasm_v128_load(kl + 2 * h);
        wq[s][h] = wasm_v128_load(wl + 2 * h);
        none[s][h] = wasm_f64x2_ne(wasm_v128_load(nl + 2 * h), g->zero);
        if (LOCAL) xv[s][h] = MUL(MUL(wq[s][h], cv[h]), nig);
      }
    }
  }
}

/* The lanes of the GR cells of step t of strip i0: in the grid (ok), their cells and costs. */
static inline AI void gz_lanes(const int32_t CHECK, int32_t i0, int32_t nr, int32_t t,
                               int32_t cols, const double *C, uint32_t *pp, int32_t *ok,
                               double *cl) {
  FOR(r, GR) {
    const int32_t i = i0 + r, j = t - r;
    ok[r] = CHECK ? (r < nr && j >= 0 && j < cols) : 1;
    pp[r] = ok[r] ? (uint32_t)i * (uint32_t)cols + (uint32_t)j : 0;
    cl[r] = ok[r] ? C[pp[r]] : 0.0;
  }
}

/* The exponentials of a boundary term (start or end) of the GR cells, x[r] = -w C / γ, +inf for
 * a cell without one (then m = 0, k = -inf); Kx raised to k. */
static inline AI void gz_term_exps(const double *xl, vd *m, vd *k, vd *Kx, const GzConsts *g,
                                   const Consts *c) {
  vd x[2], has[2];
  FOR(h, 2) {
    x[h] = wasm_v128_load(xl + 2 * h);
    has[h] = wasm_f64x2_ne(x[h], SUB(g->zero, g->minf));
    x[h] = SEL(x[h], g->zero, has[h]);
  }
  vexp_split_n(x, m, k, 2, c);
  FOR(h, 2) {
    m[h] = SEL(m[h], g->zero, has[h]);
    k[h] = SEL(k[h], g->minf, has[h]);
    Kx[h] = wasm_f64x2_pmax(Kx[h], k[h]);
  }
}

/* The forward step t of strip i0 (nr rows): Z of its GR cells. */
static inline AI void gz_fwd(const int32_t S, const int32_t LOCAL, const int32_t UNI,
                             const int32_t CHECK, int32_t i0, int32_t nr, int32_t t, int32_t cols,
                             const double *C, double *ZK, const double *W, const double *nw,
                             const int32_t *di, const int32_t *dj, const uint32_t *off,
                             int32_t ns, const int32_t *st, const double *sw, GzLanes *L,
                             double ig, const GzConsts *g, const Consts *c) {
  const double inf = __builtin_inf();
  double cl[GR], xa[GR];
  uint32_t pp[GR];
  int32_t ok[GR], anyStart = 0;
  gz_lanes(CHECK, i0, nr, t, cols, C, pp, ok, cl);
  FOR(r, GR) {
    xa[r] = inf; /* no start term */
    if (ok[r] && L->ks[r] < ns && (uint32_t)st[L->ks[r]] == pp[r]) {
      xa[r] = -(sw[L->ks[r]++] * cl[r]) * ig;
      anyStart = 1;
    }
  }
  vd cv[2], zq[64][2], kq[64][2], wq[64][2], xv[64][2], none[64][2];
  FOR(h, 2) cv[h] = wasm_v128_load(cl + 2 * h);
  gz_preds(S, LOCAL, CHECK, pp, ok, i0, t, ZK, W, di, dj, off, cv, SPLAT(-ig), zq, kq, wq, xv, none,
           g);
  /* cells no start cell reaches (every predecessor unreached, no start term): Z = 0 */
  vd reached = wasm_f64x2_gt(kq[0][0], g->minf);
  for (int32_t s = 0; s < S; s++) {
    FOR(h, 2) reached = wasm_v128_or(reached, wasm_f64x2_gt(kq[s][h], g->minf));
  }
  if (!anyStart && !wasm_v128_any_true(reached)) {
    FOR(r, GR) {
      if (!CHECK || ok[r]) ZK[2 * pp[r]] = 0.0, ZK[2 * pp[r] + 1] = -inf;
    }
    return;
  }
  vd m[2 * GZ_NX], kx[2 * GZ_NX], a[64][2], Kx[2], sum[2];
  FOR(h, 2) Kx[h] = g->low, sum[h] = g->zero;
  gz_exps(S, LOCAL, UNI, cv, xv, nw, m, kx, c);
  for (int32_t s = 0; s < S; s++) {
    FOR(h, 2) {
      a[s][h] = ADD(kq[s][h], kx[2 * GZ_XI(s) + h]);
      Kx[h] = wasm_f64x2_pmax(Kx[h], a[s][h]);
    }
  }
  vd ma[2], ka[2];
  if (anyStart) gz_term_exps(xa, ma, ka, Kx, g, c);
  for (int32_t s = 0; s < S; s++) {
    FOR(h, 2) {
      sum[h] = ADD(sum[h],
                   MUL(MUL(zq[s][h], m[2 * GZ_XI(s) + h]), pow2_600(SUB(a[s][h], Kx[h]), c)));
    }
  }
  if (anyStart) {
    FOR(h, 2) sum[h] = ADD(sum[h], MUL(ma[h], pow2_600(SUB(ka[h], Kx[h]), c)));
  }
  FOR(h, 2) {
    vd zo, ko;
    gz_norm(sum[h], Kx[h], &zo, &ko, g->zero, g->minf, c);
    if (!CHECK) {
      wasm_v128_store(ZK + 2 * pp[2 * h], wasm_i64x2_shuffle(zo, ko, 0, 2));
      wasm_v128_store(ZK + 2 * pp[2 * h + 1], wasm_i64x2_shuffle(zo, ko, 1, 3));
    } else {
      if (ok[2 * h]) wasm_v128_store(ZK + 2 * pp[2 * h], wasm_i64x2_shuffle(zo, ko, 0, 2));
      if (ok[2 * h + 1]) wasm_v128_store(ZK + 2 * pp[2 * h + 1], wasm_i64x2_shuffle(zo, ko, 1, 3));
    }
  }
}

/* H += the end term w_e y_e(p) Z(p) / Ztot; H into C and E into the k of ZK (cells in the grid) */
static inline AI void gz_finish(const int32_t CHECK, vd *hv, const vd *ev, int32_t anyEnd,
                                const vd *me, const vd *ke, const vd *zp, const vd *kp, vd izT,
                                vd kT, const double *we, const uint32_t *pp, const int32_t *ok,
                                double *C, double *ZK, const GzConsts *g, const Consts *c) {
  if (anyEnd) {
    FOR(h, 2) {
      const vd term = gz_ldexp(MUL(MUL(me[h], zp[h]), izT), SUB(ADD(ke[h], kp[h]), kT), g->dmax, c);
      hv[h] = ADD(hv[h], MUL(wasm_v128_load(we + 2 * h), term));
    }
  }
  double hl[GR], el[GR];
  FOR(h, 2) wasm_v128_store(hl + 2 * h, hv[h]), wasm_v128_store(el + 2 * h, ev[h]);
  FOR(r, GR) {
    if (!CHECK || ok[r]) {
      C[pp[r]] = hl[r];
      ZK[2 * pp[r] + 1] = el[r];
    }
  }
}

/*
 * The backward step t of strip i0: Zbar from the successors' G (ring rows gb[s][r] for the
 * successor of lane r by step s, own row gown[r]), then G, H (into C) and E (into the k of ZK).
 */
static inline AI void gz_bwd(const int32_t S, const int32_t LOCAL, const int32_t UNI,
                             const int32_t CHECK, int32_t i0, int32_t nr, int32_t t, int32_t rows,
                             int32_t cols, double *C, double *ZK, const double *W,
                             const double *nw, const int32_t *di, const int32_t *dj,
                             const uint32_t *off, const int32_t *st, const double *sw,
                             const int32_t *ec, const double *ew, GzLanes *L, double *G,
                             const uint32_t gb[][GR], const uint32_t *gown, double ig, vd kT,
                             vd izT, const GzConsts *g, const Consts *c) {
  const double inf = __builtin_inf();
  double cl[GR], xa[GR], wa[GR], xe[GR], we[GR];
  uint32_t pp[GR];
  int32_t ok[GR], anyStart = 0, anyEnd = 0;
  gz_lanes(CHECK, i0, nr, t, cols, C, pp, ok, cl);
  FOR(r, GR) {
    xa[r] = inf, wa[r] = 0.0, xe[r] = inf, we[r] = 0.0;
    if (ok[r] && L->ks[r] >= 0 && (uint32_t)st[L->ks[r]] == pp[r]) {
      wa[r] = sw[L->ks[r]--];
      xa[r] = -(wa[r] * cl[r]) * ig;
      anyStart = 1;
    }
    if (ok[r] && L->ke[r] >= 0 && (uint32_t)ec[L->ke[r]] == pp[r]) {
      we[r] = ew[L->ke[r]--];
      xe[r] = -(we[r] * cl[r]) * ig;
      anyEnd = 1;
    }
  }
  /* own (z, k) and the successors' G */
  vd zp[2], kp[2], gz[64][2], gk[64][2];
  FOR(h, 2) {
    const vd A = ok[2 * h] ? wasm_v128_load(ZK + 2 * pp[2 * h]) : wasm_i64x2_shuffle(g->zero, g->minf, 0, 2);
    const vd B = ok[2 * h + 1] ? wasm_v128_load(ZK + 2 * pp[2 * h + 1])
                               : wasm_i64x2_shuffle(g->zero, g->minf, 0, 2);
    zp[h] = wasm_i64x2_shuffle(A, B, 0, 2);
    kp[h] = wasm_i64x2_shuffle(A, B, 1, 3);
  }
  vd co = wasm_f64x2_ne(wasm_v128_load(xe), SUB(g->zero, g->minf));
  co = wasm_v128_or(co, wasm_f64x2_ne(wasm_v128_load(xe + 2), SUB(g->zero, g->minf)));
  for (int32_t s = 0; s < S; s++) {
    vd Q[GR];
    FOR(r, GR) {
      const int32_t j = t - r;
      const int32_t succ = !CHECK || (ok[r] && i0 + r + di[s] < rows && j + dj[s] < cols);
      const uint32_t q = gb[s][r] + (uint32_t)(j + dj[s]) * (uint32_t)S + (uint32_t)s;
      Q[r] = succ ? wasm_v128_load(G + 2 * q) : wasm_i64x2_shuffle(g->zero, g->minf, 0, 2);
    }
    FOR(h, 2) {
      gz[s][h] = wasm_i64x2_shuffle(Q[2 * h], Q[2 * h + 1], 0, 2);
      gk[s][h] = wasm_i64x2_shuffle(Q[2 * h], Q[2 * h + 1], 1, 3);
      co = wasm_v128_or(co, wasm_f64x2_ne(gz[s][h], g->zero));
    }
  }
  /* cells no start cell reaches (Z = 0) or from which no end cell is reached (every successor's
     G = 0, no end term) have E = H = 0, and their G matters to no reached cell: when all four
     are such, the step is skipped */
  const vd reached = wasm_v128_or(wasm_f64x2_ne(zp[0], g->zero), wasm_f64x2_ne(zp[1], g->zero));
  if (!wasm_v128_any_true(co) || !wasm_v128_any_true(reached)) {
    FOR(r, GR) {
      if (CHECK && !ok[r]) continue;
      C[pp[r]] = 0.0;
      ZK[2 * pp[r] + 1] = 0.0;
      for (int32_t s = 0; s < S; s++) {
        const uint32_t q = gown[r] + (uint32_t)(t - r) * (uint32_t)S + (uint32_t)s;
        wasm_v128_store(G + 2 * q, wasm_i64x2_shuffle(g->zero, g->minf, 0, 2));
      }
    }
    return;
  }
  /* Zbar(p) */
  vd Kb[2], sb[2], me[2], ke[2];
  FOR(h, 2) Kb[h] = g->low, sb[h] = g->zero;
  for (int32_t s = 0; s < S; s++) FOR(h, 2) Kb[h] = wasm_f64x2_pmax(Kb[h], gk[s][h]);
  if (anyEnd) gz_term_exps(xe, me, ke, Kb, g, c);
  for (int32_t s = 0; s < S; s++) {
    FOR(h, 2) sb[h] = ADD(sb[h], MUL(gz[s][h], pow2_600(SUB(gk[s][h], Kb[h]), c)));
  }
  if (anyEnd) {
    FOR(h, 2) sb[h] = ADD(sb[h], MUL(me[h], pow2_600(SUB(ke[h], Kb[h]), c)));
  }
  vd zb[2], kb[2];
  FOR(h, 2) gz_norm(sb[h], Kb[h], &zb[h], &kb[h], g->zero, g->minf, c);
  vd cv[2], zq[64][2], kq[64][2], wq[64][2], xv[64][2], none[64][2];
  FOR(h, 2) cv[h] = wasm_v128_load(cl + 2 * h);
  if (UNI && !anyStart) {
    /* one global weight w, no start term: sum_s W Z(p - s) y(p) = w Z(p), so H(p) = w E(p) (+ the
       end term) without the predecessors, and G_s(p) = Zbar(p) y(p) for every s */
    vd m[2], kx[2], f[2], kf[2], hv[2], ev[2];
    gz_exps(1, 0, 1, cv, xv, nw, m, kx, c);
    FOR(h, 2) {
      f[h] = MUL(zb[h], izT);
      kf[h] = SUB(kb[h], kT);
      const vd mz = MUL(zb[h], m[h]), kz = ADD(kb[h], kx[h]);
      const vd lo = wasm_i64x2_shuffle(mz, kz, 0, 2), hi = wasm_i64x2_shuffle(mz, kz, 1, 3);
      for (int32_t s = 0; s < S; s++) {
        const uint32_t q0 = gown[2 * h] + (uint32_t)(t - 2 * h) * (uint32_t)S + (uint32_t)s;
        const uint32_t q1 = gown[2 * h + 1] + (uint32_t)(t - 2 * h - 1) * (uint32_t)S + (uint32_t)s;
        if (!CHECK || ok[2 * h]) wasm_v128_store(G + 2 * q0, lo);
        if (!CHECK || ok[2 * h + 1]) wasm_v128_store(G + 2 * q1, hi);
      }
      ev[h] = gz_ldexp(MUL(zp[h], f[h]), ADD(kp[h], kf[h]), g->dmax, c);
      hv[h] = MUL(SPLAT(W[0]), ev[h]);
    }
    gz_finish(CHECK, hv, ev, anyEnd, me, ke, zp, kp, izT, kT, we, pp, ok, C, ZK, g, c);
    return;
  }
  /* the predecessors, y_s(p), G_s(p) = Zbar(p) y_s(p), H(p), E(p) */
  gz_preds(S, LOCAL, CHECK, pp, ok, i0, t, ZK, W, di, dj, off, cv, SPLAT(-ig), zq, kq, wq, xv, none,
           g);
  vd m[2 * GZ_NX], kx[2 * GZ_NX], hv[2], f[2], kf[2];
  FOR(h, 2) {
    f[h] = MUL(zb[h], izT);
    kf[h] = SUB(kb[h], kT);
    hv[h] = g->zero;
  }
  gz_exps(S, LOCAL, UNI, cv, xv, nw, m, kx, c);
  for (int32_t s = 0; s < S; s++) {
    FOR(h, 2) {
      vd mz = MUL(zb[h], m[2 * GZ_XI(s) + h]);
      vd kz = ADD(kb[h], kx[2 * GZ_XI(s) + h]);
      /* an absent edge (weight +inf, or from outside the grid) carries nothing back */
      mz = SEL(g->zero, mz, none[s][h]);
      kz = SEL(g->minf, kz, none[s][h]);
      const uint32_t q0 = gown[2 * h] + (uint32_t)(t - 2 * h) * (uint32_t)S + (uint32_t)s;
      const uint32_t q1 = gown[2 * h + 1] + (uint32_t)(t - 2 * h - 1) * (uint32_t)S + (uint32_t)s;
      if (!CHECK || ok[2 * h]) wasm_v128_store(G + 2 * q0, wasm_i64x2_shuffle(mz, kz, 0, 2));
      if (!CHECK || ok[2 * h + 1]) wasm_v128_store(G + 2 * q1, wasm_i64x2_shuffle(mz, kz, 1, 3));
      const vd term = gz_ldexp(MUL(MUL(zq[s][h], m[2 * GZ_XI(s) + h]), f[h]),
                               ADD(ADD(kq[s][h], kx[2 * GZ_XI(s) + h]), kf[h]), g->dmax, c);
      hv[h] = ADD(hv[h], MUL(wq[s][h], term));
    }
  }
  if (anyStart) {
    vd ma[2], ka[2], unused[2] = {g->low, g->low};
    gz_term_exps(xa, ma, ka, unused, g, c);
    FOR(h, 2) {
      const vd term = gz_ldexp(MUL(ma[h], f[h]), ADD(ka[h], kf[h]), g->dmax, c);
      hv[h] = ADD(hv[h], MUL(wasm_v128_load(wa + 2 * h), term)); /* wa = 0 without a start */
    }
  }
  vd ev[2];
  FOR(h, 2) ev[h] = gz_ldexp(MUL(zp[h], f[h]), ADD(kp[h], kf[h]), g->dmax, c);
  gz_finish(CHECK, hv, ev, anyEnd, me, ke, zp, kp, izT, kT, we, pp, ok, C, ZK, g, c);
}

/* Both passes in the Z domain; returns the value (+inf when no end cell is reached). */
static inline AI double gz_pass(const int32_t S, const int32_t LOCAL, const int32_t UNI,
                                double *C, int32_t rows, int32_t cols, const int32_t *di,
                                const int32_t *dj, const double *W, int32_t ns, const int32_t *st,
                                const double *sw, int32_t ne, const int32_t *ec, const double *ew,
                                double gamma, double *ZK, double *G) {
  const double inf = __builtin_inf();
  Consts c;
  load_consts(&c);
  /* runtime zero: keeps V8 from materializing these constants inside the loops */
  const double zero = gamma - gamma;
  const GzConsts g = {SPLAT(zero), SPLAT(zero - inf), SPLAT(zero - 1e300), SPLAT(zero + 423.0)};
  const double ig = 1.0 / gamma;
  uint32_t off[64];
  double nw[64];
  int32_t mi = 0, mj = 0;
  for (int32_t s = 0; s < S; s++) {
    off[s] = (uint32_t)di[s] * (uint32_t)cols + (uint32_t)dj[s];
    mi = di[s] > mi ? di[s] : mi;
    mj = dj[s] > mj ? dj[s] : mj;
    nw[s] = LOCAL ? 0.0 : -W[s] * ig;
  }
  const int32_t R = GR + mi; /* ring rows of G */
  GzLanes L;
  int32_t ks = 0;
  for (int32_t i0 = 0; i0 < rows; i0 += GR) {
    const int32_t nr = rows - i0 < GR ? rows - i0 : GR;
    FOR(r, GR) {
      const uint32_t rowp = (uint32_t)(i0 + r) * (uint32_t)cols;
      while (ks < ns && (uint32_t)st[ks] < rowp) ks++;
      L.ks[r] = ks;
    }
    ks = L.ks[0];
    const int32_t t0 = nr == GR && i0 >= mi ? mj + GR - 1 : cols; /* first interior step */
    for (int32_t t = 0; t < cols + nr - 1; t++) {
      if (t >= t0 && t < cols) {
        gz_fwd(S, LOCAL, UNI, 0, i0, nr, t, cols, C, ZK, W, nw, di, dj, off, ns, st, sw, &L,
               ig, &g, &c);
      } else {
        gz_fwd(S, LOCAL, UNI, 1, i0, nr, t, cols, C, ZK, W, nw, di, dj, off, ns, st, sw, &L,
               ig, &g, &c);
      }
    }
    ks = L.ks[GR - 1];
  }
  /* Ztot = sum over end cells of Z(p) y_e(p) */
  double kmax = -inf;
  for (int32_t k = 0; k < ne; k++) {
    const uint32_t p = (uint32_t)ec[k];
    if (ZK[2 * (p) + 1] == -inf) continue;
    vd x = SPLAT(-(ew[k] * C[p]) * ig), m, kx;
    vexp_split_n(&x, &m, &kx, 1, &c);
    const double a = ZK[2 * (p) + 1] + wasm_f64x2_extract_lane(kx, 0);
    kmax = a > kmax ? a : kmax;
  }
  if (kmax == -inf) return inf;
  vd tot = g.zero;
  for (int32_t k = 0; k < ne; k++) {
    const uint32_t p = (uint32_t)ec[k];
    if (ZK[2 * (p) + 1] == -inf) continue;
    vd x = SPLAT(-(ew[k] * C[p]) * ig), m, kx;
    vexp_split_n(&x, &m, &kx, 1, &c);
    tot = ADD(tot, MUL(MUL(SPLAT(ZK[2 * (p)]), m), pow2_600(SUB(ADD(SPLAT(ZK[2 * (p) + 1]), kx), SPLAT(kmax)), &c)));
  }
  vd zT, kTv;
  gz_norm(tot, SPLAT(kmax), &zT, &kTv, g.zero, g.minf, &c);
  const double value = z_to_d(wasm_f64x2_extract_lane(kTv, 0), wasm_f64x2_extract_lane(zT, 0),
                              gamma, &c);
  if (!(value - value == 0)) return value;
#ifdef GZ_FWD_ONLY
  return value;
#endif
  const vd izT = wasm_f64x2_div(c.one, zT);
  /* Backward: the forward's skew reversed */
  ks = ns - 1;
  int32_t ke = ne - 1;
  for (int32_t i0 = ((rows - 1) / GR) * GR; i0 >= 0; i0 -= GR) {
    const int32_t nr = rows - i0 < GR ? rows - i0 : GR;
    for (int32_t r = GR - 1; r >= 0; r--) {
      const uint32_t after = (uint32_t)(i0 + r + 1) * (uint32_t)cols;
      while (ks >= 0 && (uint32_t)st[ks] >= after) ks--;
      while (ke >= 0 && (uint32_t)ec[ke] >= after) ke--;
      L.ks[r] = ks;
      L.ke[r] = ke;
    }
    uint32_t gb[64][GR], gown[GR];
    FOR(r, GR) {
      gown[r] = (uint32_t)((i0 + r) % R) * (uint32_t)cols * (uint32_t)S;
      for (int32_t s = 0; s < S; s++) {
        gb[s][r] = (uint32_t)((i0 + r + di[s]) % R) * (uint32_t)cols * (uint32_t)S;
      }
    }
    const int32_t inner = nr == GR && i0 >= mi && i0 + GR - 1 + mi < rows;
    const int32_t t0 = inner ? mj + GR - 1 : cols, t1 = cols - mj; /* interior: t0 <= t < t1 */
    for (int32_t t = cols + nr - 2; t >= 0; t--) {
      if (t >= t0 && t < t1) {
        gz_bwd(S, LOCAL, UNI, 0, i0, nr, t, rows, cols, C, ZK, W, nw, di, dj, off, st, sw, ec,
               ew, &L, G, gb, gown, ig, kTv, izT, &g, &c);
      } else {
        gz_bwd(S, LOCAL, UNI, 1, i0, nr, t, rows, cols, C, ZK, W, nw, di, dj, off, st, sw, ec,
               ew, &L, G, gb, gown, ig, kTv, izT, &g, &c);
      }
    }
    ks = L.ks[0];
    ke = L.ke[0];
  }
  return value;
}

/* Whether the Z domain holds: (rows + cols + 1) max|W| max|C| / γ below 2^50, and scale (γ, or 0
   to skip that condition) at most max|W| max|C| (see above). */
static int32_t gz_fits(const double *C, int32_t rows, int32_t cols, int32_t S, const double *W,
                       int32_t local, int32_t ns, const double *sw, int32_t ne, const double *ew,
                       double scale, double gamma) {
  const uint32_t n = (uint32_t)rows * (uint32_t)cols;
  double mc = 0.0, mw = 0.0;
  for (uint32_t p = 0; p < n; p++) {
    const double a = C[p] < 0 ? -C[p] : C[p];
    mc = a > mc ? a : mc;
  }
  const uint32_t nwt = local ? n * (uint32_t)S : (uint32_t)S;
  for (uint32_t q = 0; q < nwt; q++) {
    const double a = W[q] < 0 ? -W[q] : W[q];
    if (a != __builtin_inf()) mw = a > mw ? a : mw;
  }
  for (int32_t k = 0; k < ns; k++) mw = (sw[k] < 0 ? -sw[k] : sw[k]) > mw ? (sw[k] < 0 ? -sw[k] : sw[k]) : mw;
  for (int32_t k = 0; k < ne; k++) mw = (ew[k] < 0 ? -ew[k] : ew[k]) > mw ? (ew[k] < 0 ? -ew[k] : ew[k]) : mw;
  const double bound = ((double)rows + (double)cols + 1.0) * mw * mc / gamma * 1.4426950408889634;
  /* 2^50 (false for inf and NaN); and γ <= max|W| max|C|: the Z domain's rounding is a few ulp
     of γ per cell, the log domain's a few ulp of D, better when γ is larger than every cost */
  return bound < 1125899906842624.0 && scale <= mw * mc;
}

static int32_t graph_log_domain = 0;

/* 1 when the last graph_soft ran in the log domain, 0 for the Z domain (for tests). */
__attribute__((export_name("graph_last_log_domain"))) int32_t graph_last_log_domain(void) {
  return graph_log_domain;
}

/* One function per step count and weight form: V8 compiles (and tiers up) each on its own. */
#define GZ_FN(K, LOCAL, UNI)                                                                   \
  __attribute__((noinline)) static double gz_##K##_##LOCAL##UNI(                               \
      double *C, int32_t rows, int32_t cols, const int32_t *di, const int32_t *dj,             \
      const double *W, int32_t ns, const int32_t *st, const double *sw, int32_t ne,            \
      const int32_t *ec, const double *ew, double gamma, double *D, double *E, double *G) {    \
    (void)E;                                                                                   \
    return gz_pass(K, LOCAL, UNI, C, rows, cols, di, dj, W, ns, st, sw, ne, ec, ew, gamma, D, G); \
  }
#define GZ_FNS(K) GZ_FN(K, 1, 0) GZ_FN(K, 0, 1) GZ_FN(K, 0, 0)
GZ_FNS(2)
GZ_FNS(3)

#define GZ_CASE(K)                                                                             \
  case K:                                                                                      \
    return (local ? gz_##K##_10 : uni ? gz_##K##_01 : gz_##K##_00)(                            \
        C, rows, cols, di, dj, W, ns, st, sw, ne, ec, ew, gamma, D, E, G);

/* The Z-domain passes for the specialized step counts; NaN for the others. */
static double gz_dispatch(double *C, int32_t rows, int32_t cols, int32_t S, const int32_t *di,
                          const int32_t *dj, const double *W, int32_t local, int32_t ns,
                          const int32_t *st, const double *sw, int32_t ne, const int32_t *ec,
                          const double *ew, double gamma, double *D, double *E, double *G) {
  int32_t uni = 1;
  for (int32_t s = 1; s < S; s++) uni = uni && W[s] == W[0];
  switch (S) {
    GZ_CASE(2)
    GZ_CASE(3)
  default:
    return __builtin_nan("");
  }
}
#undef GZ_CASE
#undef GZ_FNS
#undef GZ_FN


__attribute__((noinline)) static double graph_pass_generic(
    double *C, int32_t rows, int32_t cols, int32_t S, const int32_t *di, const int32_t *dj,
    const double *W, int32_t ns, const int32_t *st, const double *sw, int32_t ne,
    const int32_t *ec, const double *ew, double gamma, double *D, double *E, double *T) {
  return graph_pass(S, 0, 0, C, rows, cols, di, dj, W, ns, st, sw, ne, ec, ew, gamma, D, E, T);
}

__attribute__((noinline)) static double graph_pass_generic_local(
    double *C, int32_t rows, int32_t cols, int32_t S, const int32_t *di, const int32_t *dj,
    const double *W, int32_t ns, const int32_t *st, const double *sw, int32_t ne,
    const int32_t *ec, const double *ew, double gamma, double *D, double *E, double *T) {
  return graph_pass(S, 1, 0, C, rows, cols, di, dj, W, ns, st, sw, ne, ec, ew, gamma, D, E, T);
}

__attribute__((export_name("graph_soft"))) double graph_soft(
    double *C, int32_t rows, int32_t cols, int32_t S, const int32_t *di, const int32_t *dj,
    const double *W, int32_t local, int32_t ns, const int32_t *st, const double *sw, int32_t ne,
    const int32_t *ec, const double *ew, double gamma, double *D, double *E, double *T,
    double *G, int32_t mode) {
  /* mode 0: the Z domain when it fits (gz_fits); 1: also when γ is above the cost scale (for
     tests); 2: the log domain (for tests) */
  if (S >= 2 && S <= 3 && mode != 2 &&
      gz_fits(C, rows, cols, S, W, local, ns, sw, ne, ew, mode == 1 ? 0.0 : gamma, gamma)) {
    graph_log_domain = 0;
    return gz_dispatch(C, rows, cols, S, di, dj, W, local, ns, st, sw, ne, ec, ew, gamma, D, E, G);
  }
  graph_log_domain = 1;
#define GRAPH_CASE(K)                                                                          \
  case K:                                                                                      \
    return local ? graph_pass(K, 1, 1, C, rows, cols, di, dj, W, ns, st, sw, ne, ec, ew, gamma, D, \
                              E, T)                                                            \
                 : graph_pass(K, 0, 1, C, rows, cols, di, dj, W, ns, st, sw, ne, ec, ew, gamma, D, \
                              E, T);
  switch (S) {

    GRAPH_CASE(2)
    GRAPH_CASE(3)

  default:
    return local ? graph_pass_generic_local(C, rows, cols, S, di, dj, W, ns, st, sw, ne, ec, ew,
                                            gamma, D, E, T)
                 : graph_pass_generic(C, rows, cols, S, di, dj, W, ns, st, sw, ne, ec, ew, gamma,
                                      D, E, T);
  }
#undef GRAPH_CASE
}
