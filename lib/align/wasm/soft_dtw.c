/*
 * Soft-DTW forward + backward in WebAssembly SIMD128 (f64x2), the fast kernel behind
 * lib/align/soft_dtw_wasm.ts. Same algorithm and outputs (up to a few ulp) as `softDtwKernel`
 * of lib/align/soft_dtw.ts; see that file for the recursions. Built by tools/build_wasm.ts:
 *   clang --target=wasm32 -msimd128 -O3 -nostdlib (no libc; everything is in this file).
 *
 * Layout of the computation. The rows are processed in strips of K = 8 rows. Inside a strip,
 * lane k (0..K-1) works on row m0 + k and lags k columns behind lane 0: at step t it computes
 * cell (m0 + k, t - k). The K cells of a step lie on one anti-diagonal, so they are
 * independent; they are held in V = K / 2 vectors of two float64 lanes. A cell's three
 * predecessors are: left = the same lane's previous result, up = the previous result of the
 * lane above (a one-lane shift across the vectors), diagonal = the "up" input of the previous
 * step. Lane 0 takes up and diagonal from a row buffer that holds the last row of the strip
 * above (lane K-1 writes it, one strip behind). Steps where every lane holds a matrix cell
 * (t in [K-1, N-1] of a full strip) take the fast path; the ramp-up and ramp-down steps and a
 * partial last strip take the same arithmetic with per-lane checks.
 *
 * Memory per cell: 8 bytes of cost, overwritten in place by the gradient in the backward pass,
 * and 16 bytes of softmin weights: of the three normalized weights of a cell (diagonal, up,
 * left; they sum to 1) the two that belong to the non-minimal predecessors are stored, with
 * the sign bit saying which predecessor was minimal; the backward pass restores the third as
 * 1 - a - b (>= 1/3, so exact to an ulp). 24 bytes per cell in all.
 *
 * exp and log are computed here (V8's Math.exp and Math.log are scalar calls): exp by
 * Cody-Waite range reduction x = k ln2 + r, |r| <= ln2/2, and a degree-11 polynomial
 * (Chebyshev fit, relative error 1.7e-17 on the interval), scaled by 2^(k+600) * 2^-600 so that
 * subnormal results round once; log only on [1, 3] (the softmin normalizer), by
 * s = 2^e m with m in [sqrt(1/2), sqrt(2)], f = m - 1, log(1 + f) = f - (f^2/2 - u (f^2/2 + R)),
 * u = f / (2 + f), R a degree-7 polynomial in u^2 (relative error 4.5e-18).
 */
#include <stdint.h>
#include <wasm_simd128.h>

#define V 4
#define K (2 * V)

typedef v128_t vd;

#define SPLAT(x) wasm_f64x2_splat(x)
#define ADD wasm_f64x2_add
#define SUB wasm_f64x2_sub
#define MUL wasm_f64x2_mul
#define SEL wasm_v128_bitselect /* SEL(a, b, mask) = mask ? a : b */

static const double LOG2E = 1.4426950408889634074;
static const double LN2HI = 6.93147180369123816490e-01; /* 33 significant bits */
static const double LN2LO = 1.90821492927058770002e-10;
static const double SHIFT = 6755399441055744.0; /* 1.5 * 2^52 */
static const double SQRT2 = 1.41421356237309504880;

/* exp(x) for x <= 0 (x = -inf gives 0; NaN stays NaN). */
static inline vd vexp(vd x) {
  x = wasm_f64x2_pmax(x, SPLAT(-800.0));
  vd t = ADD(MUL(x, SPLAT(LOG2E)), SPLAT(SHIFT)); /* 1.5 * 2^52 + round(x / ln2) */
  vd k = SUB(t, SPLAT(SHIFT));
  vd r = SUB(x, MUL(k, SPLAT(LN2HI)));
  r = SUB(r, MUL(k, SPLAT(LN2LO)));
  vd p = SPLAT(2.5100375832561233664e-8);
  p = ADD(MUL(p, r), SPLAT(2.7620075879983366586e-7));
  p = ADD(MUL(p, r), SPLAT(2.7557268480310025526e-6));
  p = ADD(MUL(p, r), SPLAT(2.4801521322368693266e-5));
  p = ADD(MUL(p, r), SPLAT(1.9841269863040545271e-4));
  p = ADD(MUL(p, r), SPLAT(1.3888888917196719077e-3));
  p = ADD(MUL(p, r), SPLAT(8.3333333333300644495e-3));
  p = ADD(MUL(p, r), SPLAT(4.1666666666624161903e-2));
  p = ADD(MUL(p, r), SPLAT(1.6666666666666667452e-1));
  p = ADD(MUL(p, r), SPLAT(5.0000000000000010211e-1));
  p = ADD(MUL(p, r), SPLAT(1.0));
  p = ADD(MUL(p, r), SPLAT(1.0));
  /* bits(t) = bits(SHIFT) + k; 2^(k + 600) has exponent field k + 600 + 1023 */
  vd e = wasm_i64x2_add(t, wasm_i64x2_splat(1623 - (int64_t)0x4338000000000000LL));
  vd scale = wasm_i64x2_shl(e, 52);
  return MUL(MUL(p, scale), SPLAT(0x1p-600));
}

/* log(s) for s in [1, 3]. */
static inline vd vlog13(vd s) {
  vd c1 = wasm_f64x2_gt(s, SPLAT(SQRT2));
  vd c2 = wasm_f64x2_gt(s, SPLAT(2 * SQRT2));
  vd m = MUL(s, SEL(SPLAT(0.25), SEL(SPLAT(0.5), SPLAT(1.0), c1), c2));
  vd e = ADD(wasm_v128_and(c1, SPLAT(1.0)), wasm_v128_and(c2, SPLAT(1.0)));
  vd f = SUB(m, SPLAT(1.0));
  vd u = wasm_f64x2_div(f, ADD(SPLAT(2.0), f));
  vd z = MUL(u, u);
  vd R = SPLAT(0.1461644968504340586);
  R = ADD(MUL(R, z), SPLAT(0.15331721600556041269));
  R = ADD(MUL(R, z), SPLAT(0.1818288912526172208));
  R = ADD(MUL(R, z), SPLAT(0.22222211134795079855));
  R = ADD(MUL(R, z), SPLAT(0.28571428625975484921));
  R = ADD(MUL(R, z), SPLAT(0.3999999999989950449));
  R = ADD(MUL(R, z), SPLAT(0.66666666666666696862));
  R = MUL(R, z);
  vd hf = MUL(SPLAT(0.5), MUL(f, f));
  vd l = SUB(f, SUB(hf, MUL(u, ADD(hf, R))));
  return ADD(MUL(e, SPLAT(LN2HI)), ADD(l, MUL(e, SPLAT(LN2LO))));
}

/* Exported for the accuracy test of the approximations: n values in place. */
__attribute__((export_name("vexp_array"))) void vexp_array(double *x, uint32_t n) {
  for (uint32_t i = 0; i + 2 <= n; i += 2) wasm_v128_store(x + i, vexp(wasm_v128_load(x + i)));
}
__attribute__((export_name("vlog_array"))) void vlog_array(double *x, uint32_t n) {
  for (uint32_t i = 0; i + 2 <= n; i += 2) wasm_v128_store(x + i, vlog13(wasm_v128_load(x + i)));
}

static const uint64_t SIGN = 0x8000000000000000ULL;

/*
 * One forward cell on two lanes. r0, r1, r2: diagonal, up, left predecessors (with the step
 * costs already added when `weighted`); c: the cost added afterwards (plain case). Returns D
 * and the two stored weights in *a, *b.
 */
static inline __attribute__((always_inline)) vd cell(vd r0, vd r1, vd r2, vd c, vd gamma,
                                                     vd ig, vd *a, vd *b, int weighted) {
  vd m0 = wasm_v128_and(wasm_f64x2_le(r0, r1), wasm_f64x2_le(r0, r2));
  vd m1 = wasm_f64x2_le(r1, r2);
  vd mn = SEL(r0, SEL(r1, r2, m1), m0);
  vd ra = SEL(r1, r0, m0);
  vd rb = SEL(r2, r1, wasm_v128_or(m0, m1));
  vd ea = vexp(MUL(SUB(mn, ra), ig));
  vd eb = vexp(MUL(SUB(mn, rb), ig));
  vd s = ADD(ADD(SPLAT(1.0), ea), eb);
  vd is = wasm_f64x2_div(SPLAT(1.0), s);
  vd sg = wasm_i64x2_splat((int64_t)SIGN);
  *a = wasm_v128_or(MUL(ea, is), wasm_v128_and(wasm_v128_andnot(m1, m0), sg));
  *b = wasm_v128_or(MUL(eb, is), wasm_v128_andnot(sg, wasm_v128_or(m0, m1)));
  vd l = MUL(gamma, vlog13(s));
  return weighted ? SUB(mn, l) : SUB(ADD(c, mn), l);
}

/* The three weights (diagonal, up, left) from the stored pair. */
static inline __attribute__((always_inline)) void decode(vd a, vd b, vd *wd, vd *wu, vd *wl) {
  vd sa = wasm_i64x2_lt(a, wasm_i64x2_splat(0));
  vd sb = wasm_i64x2_lt(b, wasm_i64x2_splat(0));
  vd A = wasm_f64x2_abs(a), B = wasm_f64x2_abs(b);
  vd wj = SUB(SUB(SPLAT(1.0), A), B);
  *wd = SEL(A, wj, wasm_v128_or(sa, sb));
  *wu = SEL(wj, SEL(B, A, sb), sa);
  *wl = SEL(wj, B, sb);
}

/* x[k] for lanes 2j, 2j+1 from lanes 2j-1, 2j (prev = the vector before, lane 1 used). */
#define SHIFT_UP(prev, cur) wasm_i64x2_shuffle(prev, cur, 1, 2)
/* lanes 2j+1, 2j+2 (next = the vector after, lane 0 used). */
#define SHIFT_DOWN(cur, next) wasm_i64x2_shuffle(cur, next, 1, 2)

typedef struct {
  double *C;    /* cost (in) and gradient (out), row stride `stride` */
  uint32_t stride;
  double *W;    /* 2 * M * N stored weights, row-major with row length N */
  double *R;    /* scratch rows: 3 * (N + 2K + 2) */
  int32_t M, N;
  double gamma;
  double wr, wc, wd; /* step weights (row, column, diagonal) */
  double *occ;  /* occupancy output (weighted only) or 0 */
} Problem;

static inline __attribute__((always_inline)) double forward(const Problem *P, int weighted) {
  const int32_t M = P->M, N = P->N;
  const uint32_t S = P->stride;
  double *C = P->C, *W = P->W;
  /* rb[1 + n] = D(m0 - 1, n); rb[0] = D(m0 - 1, -1); room up to index N + K. */
  double *rb = P->R;
  const double inf = __builtin_inf();
  for (int32_t n = 0; n <= N + K; n++) rb[n] = inf;
  rb[0] = 0.0;
  const vd gamma = SPLAT(P->gamma), ig = SPLAT(1.0 / P->gamma), vinf = SPLAT(inf);
  const vd WR = SPLAT(P->wr), WC = SPLAT(P->wc), WD = SPLAT(P->wd);
  double value = inf;
  for (int32_t m0 = 0; m0 < M; m0 += K) {
    const int full = m0 + K <= M;
    const int32_t T = N + K - 1;
    vd Dv[V], Up[V];
    for (int j = 0; j < V; j++) Dv[j] = vinf, Up[j] = vinf;
    Up[0] = wasm_f64x2_replace_lane(vinf, 0, rb[0]);
    const double *cp[K];
    double *wp[K];
    for (int k = 0; k < K; k++) {
      cp[k] = C + (uint32_t)(m0 + k) * S - k;
      wp[k] = W + 2 * ((uint32_t)(m0 + k) * (uint32_t)N - k);
    }
    for (int32_t t = 0; t < T; t++) {
      const int fast = full && t >= K - 1 && t < N;
      vd up[V], a[V], b[V], nd[V];
      up[0] = SHIFT_UP(wasm_v128_load64_splat(rb + t + 1), Dv[0]);
      for (int j = 1; j < V; j++) up[j] = SHIFT_UP(Dv[j - 1], Dv[j]);
      if (fast) {
        for (int j = 0; j < V; j++) {
          vd c = wasm_v128_load64_zero(cp[2 * j] + t);
          c = wasm_v128_load64_lane(cp[2 * j + 1] + t, c, 1);
          vd r0 = Up[j], r1 = up[j], r2 = Dv[j];
          if (weighted) r0 = ADD(r0, MUL(WD, c)), r1 = ADD(r1, MUL(WR, c)), r2 = ADD(r2, MUL(WC, c));
          nd[j] = cell(r0, r1, r2, c, gamma, ig, &a[j], &b[j], weighted);
          wasm_v128_store(wp[2 * j] + 2 * t, wasm_i64x2_shuffle(a[j], b[j], 0, 2));
          wasm_v128_store(wp[2 * j + 1] + 2 * t, wasm_i64x2_shuffle(a[j], b[j], 1, 3));
        }
      } else {
        double cl[K];
        for (int k = 0; k < K; k++) {
          const int32_t n = t - k;
          cl[k] = (m0 + k < M && n >= 0 && n < N) ? cp[k][t] : 0.0;
        }
        for (int j = 0; j < V; j++) {
          vd c = wasm_v128_load(cl + 2 * j);
          vd r0 = Up[j], r1 = up[j], r2 = Dv[j];
          if (weighted) r0 = ADD(r0, MUL(WD, c)), r1 = ADD(r1, MUL(WR, c)), r2 = ADD(r2, MUL(WC, c));
          nd[j] = cell(r0, r1, r2, c, gamma, ig, &a[j], &b[j], weighted);
        }
        double dl[K], al[K], bl[K];
        for (int j = 0; j < V; j++) {
          wasm_v128_store(dl + 2 * j, nd[j]);
          wasm_v128_store(al + 2 * j, a[j]);
          wasm_v128_store(bl + 2 * j, b[j]);
        }
        for (int k = 0; k < K; k++) {
          const int32_t n = t - k;
          if (m0 + k < M && n >= 0 && n < N) {
            wp[k][2 * t] = al[k];
            wp[k][2 * t + 1] = bl[k];
            if (m0 + k == M - 1 && n == N - 1) value = dl[k];
          } else {
            dl[k] = inf;
          }
        }
        for (int j = 0; j < V; j++) nd[j] = wasm_v128_load(dl + 2 * j);
      }
      if (t >= K - 1 && t - (K - 1) < N) rb[t - (K - 1) + 1] = wasm_f64x2_extract_lane(nd[V - 1], 1);
      for (int j = 0; j < V; j++) Dv[j] = nd[j], Up[j] = up[j];
    }
    rb[0] = inf;
  }
  return value;
}

static inline __attribute__((always_inline)) void backward(const Problem *P, int weighted) {
  const int32_t M = P->M, N = P->N;
  const uint32_t S = P->stride;
  double *C = P->C, *W = P->W, *occ = P->occ;
  /* pd(m0, n) at pdr[n], pu(m0, n) at pur[n]; valid n in [0, N), zero outside, K of room. */
  const int32_t RL = N + 2 * K + 2;
  double *pdr = P->R + K, *pur = P->R + RL + K;
  for (int32_t i = 0; i < 2 * RL; i++) P->R[i] = 0.0;
  const vd zero = SPLAT(0.0);
  const vd WR = SPLAT(P->wr), WC = SPLAT(P->wc), WD = SPLAT(P->wd);
  const int32_t last = ((M - 1) / K) * K;
  for (int32_t m0 = last; m0 >= 0; m0 -= K) {
    const int full = m0 + K <= M;
    const int32_t T = N + K - 1;
    vd PD1[V], PD2[V], PU[V], PL[V]; /* PD at t+1 and t+2, PU and PL at t+1 */
    for (int j = 0; j < V; j++) PD1[j] = PD2[j] = PU[j] = PL[j] = zero;
    double *gp[K], *op[K];
    const double *wp[K];
    for (int k = 0; k < K; k++) {
      gp[k] = C + (uint32_t)(m0 + k) * S - k;
      op[k] = occ ? occ + (uint32_t)(m0 + k) * S - k : 0;
      wp[k] = W + 2 * ((uint32_t)(m0 + k) * (uint32_t)N - k);
    }
    for (int32_t t = T - 1; t >= 0; t--) {
      const int fast = full && t >= K - 1 && t < N;
      vd H[V], wdv[V], wuv[V], wlv[V];
      /* lane K-1 reads the row below: pd(m0+K, n+1) = pdr[t+2-K], pu(m0+K, n) = pur[t+1-K] */
      const vd pdK = wasm_v128_load64_splat(pdr + t + 2 - K);
      const vd puK = wasm_v128_load64_splat(pur + t + 1 - K);
      for (int j = 0; j < V; j++) {
        vd pdin = SHIFT_DOWN(PD2[j], j + 1 < V ? PD2[j + 1] : pdK);
        vd puin = SHIFT_DOWN(PU[j], j + 1 < V ? PU[j + 1] : puK);
        H[j] = ADD(ADD(pdin, puin), PL[j]);
      }
      if (fast) {
        for (int j = 0; j < V; j++) {
          vd lo = wasm_v128_load(wp[2 * j] + 2 * t), hi = wasm_v128_load(wp[2 * j + 1] + 2 * t);
          decode(wasm_i64x2_shuffle(lo, hi, 0, 2), wasm_i64x2_shuffle(lo, hi, 1, 3), &wdv[j],
                 &wuv[j], &wlv[j]);
        }
      } else {
        double hl[K], al[K], bl[K];
        for (int j = 0; j < V; j++) wasm_v128_store(hl + 2 * j, H[j]);
        for (int k = 0; k < K; k++) {
          const int32_t n = t - k;
          if (m0 + k < M && n >= 0 && n < N) {
            al[k] = wp[k][2 * t];
            bl[k] = wp[k][2 * t + 1];
            if (m0 + k == M - 1 && n == N - 1) hl[k] = 1.0;
          } else {
            al[k] = 0.0;
            bl[k] = 0.0;
            hl[k] = 0.0;
          }
        }
        for (int j = 0; j < V; j++) {
          H[j] = wasm_v128_load(hl + 2 * j);
          decode(wasm_v128_load(al + 2 * j), wasm_v128_load(bl + 2 * j), &wdv[j], &wuv[j],
                 &wlv[j]);
        }
        /* invalid lanes: a = b = 0 decodes to wd = 1; H = 0 makes every product 0 */
      }
      for (int j = 0; j < V; j++) {
        PD2[j] = PD1[j];
        PD1[j] = MUL(H[j], wdv[j]);
        PU[j] = MUL(H[j], wuv[j]);
        PL[j] = MUL(H[j], wlv[j]);
      }
      /* outputs: gradient (E, or E * G when weighted) over the cost, row buffers from lane 0 */
      vd G[V];
      for (int j = 0; j < V; j++) {
        G[j] = weighted ? ADD(ADD(MUL(WD, PD1[j]), MUL(WR, PU[j])), MUL(WC, PL[j])) : H[j];
      }
      if (fast) {
        for (int j = 0; j < V; j++) {
          wasm_v128_store64_lane(gp[2 * j] + t, G[j], 0);
          wasm_v128_store64_lane(gp[2 * j + 1] + t, G[j], 1);
          if (weighted && occ) {
            wasm_v128_store64_lane(op[2 * j] + t, H[j], 0);
            wasm_v128_store64_lane(op[2 * j + 1] + t, H[j], 1);
          }
        }
      } else {
        double gl[K], hl[K];
        for (int j = 0; j < V; j++) wasm_v128_store(gl + 2 * j, G[j]), wasm_v128_store(hl + 2 * j, H[j]);
        for (int k = 0; k < K; k++) {
          const int32_t n = t - k;
          if (m0 + k < M && n >= 0 && n < N) {
            gp[k][t] = gl[k];
            if (weighted && occ) op[k][t] = hl[k];
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

/*
 * Soft-DTW of one M x N cost block at C (row stride `stride`), weights scratch W (2 M N
 * doubles), row scratch R (3 (N + 2K + 2) doubles). Returns the value; when with_grad and the
 * value is finite, overwrites the cost block with the gradient E.
 */
__attribute__((export_name("sdtw"))) double sdtw(double *C, uint32_t stride, double *W,
                                                 double *R, int32_t M, int32_t N, double gamma,
                                                 int32_t with_grad) {
  Problem P = {C, stride, W, R, M, N, gamma, 1, 1, 1, 0};
  double v = forward(&P, 0);
  if (with_grad && v - v == 0) backward(&P, 0);
  return v;
}

/*
 * Step-weighted soft-DTW (weights [wr, wc, wd] multiply the cost of the entered cell; the
 * first cell is entered diagonally from D(-1, -1) = 0). The gradient E * G overwrites the cost
 * block; the occupancy E goes to occ (same stride) when occ is not 0.
 */
__attribute__((export_name("sdtw_weighted"))) double sdtw_weighted(
    double *C, uint32_t stride, double *W, double *R, int32_t M, int32_t N, double gamma,
    int32_t with_grad, double wr, double wc, double wd, double *occ) {
  Problem P = {C, stride, W, R, M, N, gamma, wr, wc, wd, occ};
  double v = forward(&P, 1);
  if (with_grad && v - v == 0) backward(&P, 1);
  return v;
}

/*
 * Batch of B pairs, pair b's block at C + b * maxRows * maxCols with rows rl[b], columns cl[b]
 * (row stride maxCols). Values to values[b]; with_grad: each block becomes its gradient, zero
 * outside the used rows x columns. Pairs whose value is not finite keep their cost.
 */
__attribute__((export_name("sdtw_batch"))) void sdtw_batch(double *C, int32_t B,
                                                           int32_t maxRows, int32_t maxCols,
                                                           const int32_t *rl, const int32_t *cl,
                                                           double gamma, int32_t with_grad,
                                                           double *W, double *R, double *values) {
  const uint32_t block = (uint32_t)maxRows * (uint32_t)maxCols;
  for (int32_t b = 0; b < B; b++) {
    double *Cb = C + (uint32_t)b * block;
    values[b] = sdtw(Cb, maxCols, W, R, rl[b], cl[b], gamma, with_grad);
    if (with_grad) {
      for (int32_t m = 0; m < maxRows; m++) {
        for (int32_t n = (m < rl[b] ? cl[b] : 0); n < maxCols; n++) Cb[m * maxCols + n] = 0.0;
      }
    }
  }
}
