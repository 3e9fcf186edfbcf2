/*
 * The 1-D chord CNN of lib/chords/model/cnn.ts, forward and backward, in WebAssembly SIMD128
 * (f64x2), the fast kernel behind lib/chords/model/_cnn_wasm.ts. Same formulas as the TypeScript
 * reference of cnn.ts (see its module doc for the layers and the parameter layout); the input
 * normalization stays in TypeScript (`cnnInputs`): this kernel starts from X, F x 24. Built by
 * tools/build_wasm.ts:
 *   clang --target=wasm32 -msimd128 -O3 -nostdlib (no libc; everything is in this file).
 *
 * Layout of the computation. The input is transposed into XT, 24 rows of Xs = Fp + 2P values
 * (P = R d zero frames on each side: the "same" padding, so that no tap needs a bounds check;
 * Fp = F rounded up to 4). The convolution is then a matrix product with an implicit window
 * matrix, ZT[h][f] = b_h + sum_{t,c} W[h][t][c] XT[c][f + t d], computed in register blocks of
 * 4 channels x 4 frames (8 f64x2 accumulators; per tap and input 2 vector loads of XT and 4
 * splat loads of the weights, packed 4 channels side by side), a block of channels at a time
 * over all frames (its weights stay in the L1 cache). Each lane sums its frame's terms
 * in the order of the TypeScript code (bias, then taps, inputs), and so do the 1 x 1 layer's
 * blocks (5 outputs x 4 frames, channels in order): the scores are the TypeScript scores bit
 * for bit. The log-softmax runs on two frames per vector with the exp and log below.
 *
 * Backward, from G (F x 25), the probabilities Q and the saved pre-activations ZT:
 *   dS[k][f] = G[f][k] - Q[f][k] sum_j G[f][j]           (the log-softmax, 0 on padding frames)
 *   dc_k = sum_f dS[k][f],  dV[k][h] = sum_f dS[k][f] relu(Z[h][f])
 *   dZ[h][f] = [Z[h][f] > 0] sum_k V[k][h] dS[k][f],  db_h = sum_f dZ[h][f]
 *   dW[h][t][c] = sum_f dZ[h][f] XT[c][f + t d]
 * dZ in 4 x 4 blocks as the forward pass (each lane in the TypeScript order); the reductions
 * over frames as dot products, two frames per vector, for dW in blocks of 4 channels x 3 inputs
 * of a tap (12 accumulators; 3 measured faster than 2 and 4), so the sums over frames run in
 * another order than TypeScript's (even and odd frames apart, then added): equal to rounding.
 *
 * Channels are padded to Hp (a multiple of 4) with zero weights; padding channels and frames
 * never reach an output. The caller (the loader) keeps every array inside the 4 GiB of wasm32
 * memory, so no index overflows an int.
 *
 * Code size: only the register blocks are unrolled; the other loops are kept plain (PLAIN), as
 * clang's vectorization and unrolling of the transposes and small loops made a 47 kB module that
 * V8 took long to optimize (the first calls ran in its baseline tier) for no measured gain.
 *
 * exp and log as in lib/align/wasm/soft_dtw.c: exp by Cody-Waite range reduction x = k ln2 + r,
 * |r| <= ln2/2, and a degree-11 polynomial 1 + r + r^2 Q(r) (Chebyshev fit, relative error
 * 1.7e-17 on the interval), scaled by 2^(k+600) * 2^-600 so that subnormal results round once
 * (within an ulp); log of the softmax normalizer z (>= 1) by z = 2^e m with m in
 * [sqrt(1/2), sqrt(2)] from the bits, f = m - 1, log(1 + f) = f - (f^2/2 - u (f^2/2 + R)),
 * u = f / (2 + f), R a degree-7 polynomial in u^2 (within an ulp).
 */
#include <stdint.h>
#include <wasm_simd128.h>

#define NIN 24  /* inputs per frame: 12 bass, 12 treble */
#define NOUT 25 /* outputs per frame */
#define HB 4 /* channels per register block */
#define FB 4 /* frames per register block (2 vectors) */
#define CW 3 /* inputs per register block of the convolution's weight gradient */

typedef v128_t vd;

#define SPLAT(x) wasm_f64x2_splat(x)
#define LOAD(p) wasm_v128_load(p)
#define STORE(p, v) wasm_v128_store(p, v)
#define BCAST(p) wasm_v128_load64_splat(p)
#define ADD wasm_f64x2_add
#define SUB wasm_f64x2_sub
#define MUL wasm_f64x2_mul
#define FOR(j, n) _Pragma("clang loop unroll(full)") for (int j = 0; j < (n); j++)
#define INLINE static inline __attribute__((always_inline))

/*
 * The constants of exp and log, in memory rather than as immediates (V8 materializes every
 * v128.const inside a loop anew; an external array keeps clang from folding them back).
 */
double CK[] = {
    1.4426950408889634074,      /* 0: 1 / ln 2 */
    6755399441055744.0,         /* 1: 1.5 * 2^52 (round to integer) */
    6.93147180369123816490e-01, /* 2: ln 2, high part (33 significant bits) */
    1.90821492927058770002e-10, /* 3: ln 2, low part */
    -800.0,                     /* 4: exp argument floor */
    0x1p-600,                   /* 5: undoes the 2^600 of the scale */
    /* 6..17: exp(r) ~ 1 + r + r^2 Q(r): the coefficients of Q from degree 9 down to 0, then 1, 1 */
    2.5100375832561233664e-8, 2.7620075879983366586e-7, 2.7557268480310025526e-6,
    2.4801521322368693266e-5, 1.9841269863040545271e-4, 1.3888888917196719077e-3,
    8.3333333333300644495e-3, 4.1666666666624161903e-2, 1.6666666666666667452e-1,
    5.0000000000000010211e-1, 1.0, 1.0,
    1.41421356237309504880, /* 18: sqrt 2 */
    /* 19..25: R(z) / z for log, from the highest degree */
    0.1461644968504340586, 0.15331721600556041269, 0.1818288912526172208,
    0.22222211134795079855, 0.28571428625975484921, 0.3999999999989950449,
    0.66666666666666696862,
    0.5, 2.0, /* 26, 27 */
};

typedef struct {
  vd log2e, shift, ln2hi, ln2lo, floor, unscale, p[10], one, sqrt2, q[7], half, two, ebias, mant,
      onebits;
} Consts;

INLINE void load_consts(Consts *k) {
  k->log2e = BCAST(&CK[0]);
  k->shift = BCAST(&CK[1]);
  k->ln2hi = BCAST(&CK[2]);
  k->ln2lo = BCAST(&CK[3]);
  k->floor = BCAST(&CK[4]);
  k->unscale = BCAST(&CK[5]);
  for (int i = 0; i < 10; i++) k->p[i] = BCAST(&CK[6 + i]);
  k->one = BCAST(&CK[16]);
  k->sqrt2 = BCAST(&CK[18]);
  for (int i = 0; i < 7; i++) k->q[i] = BCAST(&CK[19 + i]);
  k->half = BCAST(&CK[26]);
  k->two = BCAST(&CK[27]);
  /* bits(t) = bits(1.5 * 2^52) + k; 2^(k + 600) has exponent field k + 600 + 1023 */
  k->ebias = wasm_i64x2_sub(wasm_i64x2_splat(1623), k->shift);
  k->mant = wasm_i64x2_splat(0x000FFFFFFFFFFFFFLL);
  k->onebits = wasm_i64x2_splat(0x3FF0000000000000LL);
}

/* exp(x) for x <= 0 (lib/align/wasm/soft_dtw.c's vexp_n for one vector). */
INLINE vd vexp(vd x, const Consts *c) {
  x = wasm_f64x2_pmax(x, c->floor);
  vd t = ADD(MUL(x, c->log2e), c->shift); /* 1.5 * 2^52 + round(x / ln2) */
  vd k = SUB(t, c->shift);
  vd r = SUB(SUB(x, MUL(k, c->ln2hi)), MUL(k, c->ln2lo));
  vd r2 = MUL(r, r), r4 = MUL(r2, r2);
  /* Q(r) = sum b_i r^i, b_i = p[9 - i], by Estrin's scheme */
  vd q0 = ADD(c->p[9], MUL(c->p[8], r)), q1 = ADD(c->p[7], MUL(c->p[6], r));
  vd q = ADD(q0, MUL(q1, r2));
  vd q2 = ADD(c->p[5], MUL(c->p[4], r)), q3 = ADD(c->p[3], MUL(c->p[2], r));
  vd u = ADD(q2, MUL(q3, r2));
  vd q4 = ADD(c->p[1], MUL(c->p[0], r));
  q = ADD(ADD(q, MUL(u, r4)), MUL(q4, MUL(r4, r4)));
  vd p = ADD(c->one, ADD(r, MUL(r2, q)));
  vd scale = wasm_i64x2_shl(wasm_i64x2_add(t, c->ebias), 52);
  return MUL(MUL(p, scale), c->unscale);
}

/* log(s) for s >= 1 (normal, finite). */
INLINE vd vlog(vd s, const Consts *c) {
  /* s = 2^e m0, m0 in [1, 2); m = m0 / 2 and e + 1 when m0 > sqrt 2 */
  vd e = wasm_i64x2_sub(wasm_u64x2_shr(s, 52), wasm_i64x2_splat(1023));
  vd m = wasm_v128_or(wasm_v128_and(s, c->mant), c->onebits);
  vd big = wasm_f64x2_gt(m, c->sqrt2);
  m = wasm_v128_bitselect(MUL(m, c->half), m, big);
  e = wasm_i64x2_sub(e, big); /* big is -1 (all ones) where true */
  vd ed = wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(e, e, 0, 2, 0, 2));
  vd f = SUB(m, c->one);
  vd u = wasm_f64x2_div(f, ADD(c->two, f));
  vd z = MUL(u, u), z2 = MUL(z, z);
  /* R(z) = z sum d_i z^i, d_i = q[6 - i] */
  vd e0 = ADD(c->q[6], MUL(c->q[5], z)), e1 = ADD(c->q[4], MUL(c->q[3], z));
  vd P = ADD(e0, MUL(e1, z2));
  vd e2 = ADD(c->q[2], MUL(c->q[1], z));
  vd f1 = ADD(e2, MUL(c->q[0], z2));
  P = MUL(z, ADD(P, MUL(f1, MUL(z2, z2))));
  vd hf = MUL(c->half, MUL(f, f));
  vd l = SUB(f, SUB(hf, MUL(u, ADD(hf, P))));
  return ADD(MUL(ed, c->ln2hi), ADD(l, MUL(ed, c->ln2lo)));
}

/* Exported for the accuracy tests of the approximations: n (even) values in place. */
__attribute__((export_name("cnn_exp_array"))) void cnn_exp_array(double *x, uint32_t n) {
  Consts c;
  load_consts(&c);
  for (uint32_t i = 0; i + 2 <= n; i += 2) STORE(x + i, vexp(LOAD(x + i), &c));
}
__attribute__((export_name("cnn_log_array"))) void cnn_log_array(double *x, uint32_t n) {
  Consts c;
  load_consts(&c);
  for (uint32_t i = 0; i + 2 <= n; i += 2) STORE(x + i, vlog(LOAD(x + i), &c));
}

/* The sizes of one problem and where its scratch arrays lie inside `work`. */
typedef struct {
  int F, H, R, d, T, WL, Hp, Fp, Fe, P, Xs;
  double *XT, *Wp, *bp, *Vp, *S, *AT, *dZ, *gb;
} Shape;

/* The sizes, and the offsets (in doubles, all even) of the scratch arrays; returns their end. */
static uint32_t sizes(Shape *s, int F, int H, int R, int d, uint32_t off[8]) {
  s->F = F;
  s->H = H;
  s->R = R;
  s->d = d;
  s->T = 2 * R + 1;
  s->WL = s->T * NIN;
  s->Hp = (H + HB - 1) / HB * HB;
  s->Fp = (F + FB - 1) / FB * FB;
  s->Fe = (F + 1) & ~1;
  s->P = R * d;
  s->Xs = s->Fp + 2 * s->P;
  const uint32_t n[8] = {
      (uint32_t)(NIN * s->Xs),    (uint32_t)(s->Hp * s->WL),  (uint32_t)s->Hp,
      (uint32_t)(NOUT * s->Hp),   (uint32_t)(NOUT * s->Fp),   (uint32_t)(s->Hp * s->Fp),
      (uint32_t)(s->Hp * s->Fp),  (uint32_t)(2 * s->Hp),
  };
  uint32_t at = 0;
  for (int i = 0; i < 8; i++) off[i] = at, at += n[i];
  return at;
}

static void shape(Shape *s, int F, int H, int R, int d, double *work) {
  uint32_t off[8];
  sizes(s, F, H, R, d, off);
  s->XT = work + off[0];
  s->Wp = work + off[1];
  s->bp = work + off[2];
  s->Vp = work + off[3];
  s->S = work + off[4];
  s->AT = work + off[5];
  s->dZ = work + off[6];
  s->gb = work + off[7];
}

/*
 * The doubles of scratch memory (`work`) the kernels need for F frames: every array starts on
 * a 16-byte boundary when `work` does (all the sizes are even).
 */
__attribute__((export_name("cnn_work_doubles"))) uint32_t cnn_work_doubles(int F, int H, int R,
                                                                            int d) {
  Shape s;
  uint32_t off[8];
  return sizes(&s, F, H, R, d, off);
}

#define PLAIN _Pragma("clang loop vectorize(disable) unroll(disable)")

/*
 * XT[c][P + f] = X[f][c], zero on the padding frames; two frames at a time (the loops are kept
 * plain: clang's own vectorization of this transpose made 40 kB of code, which V8 then takes
 * long to optimize).
 */
static void transpose_input(const Shape *s, const double *X) {
  const int F = s->F, P = s->P, Xs = s->Xs;
  PLAIN for (int c = 0; c < NIN; c++) {
    double *row = s->XT + c * Xs;
    __builtin_memset(row, 0, 8 * (uint32_t)P); /* memory.fill */
    __builtin_memset(row + P + F, 0, 8 * (uint32_t)(Xs - P - F));
  }
  int f = 0;
  PLAIN for (; f + 1 < F; f += 2) {
    const double *x0 = X + f * NIN, *x1 = x0 + NIN;
    double *o = s->XT + P + f;
    PLAIN for (int c = 0; c < NIN; c += 2) {
      vd a = LOAD(x0 + c), b = LOAD(x1 + c);
      STORE(o + c * Xs, wasm_i64x2_shuffle(a, b, 0, 2));
      STORE(o + (c + 1) * Xs, wasm_i64x2_shuffle(a, b, 1, 3));
    }
  }
  if (f < F) {
    PLAIN for (int c = 0; c < NIN; c++) s->XT[c * Xs + P + f] = X[f * NIN + c];
  }
}

/* Wp: blocks of 4 channels, [tap x input][4]; bp, Vp (25 x Hp): zero for padding channels. */
static void pack(const Shape *s, const double *params, int withW) {
  const int H = s->H, Hp = s->Hp, WL = s->WL;
  const double *b = params + H * WL, *V = b + H;
  if (withW) {
    PLAIN for (int hb = 0; hb < Hp; hb += HB) {
      double *w = s->Wp + hb * WL;
      PLAIN for (int i = 0; i < WL; i++) {
        PLAIN for (int j = 0; j < HB; j++) {
          w[i * HB + j] = hb + j < H ? params[(hb + j) * WL + i] : 0;
        }
      }
    }
  }
  PLAIN for (int h = 0; h < Hp; h++) s->bp[h] = h < H ? b[h] : 0;
  PLAIN for (int k = 0; k < NOUT; k++) {
    PLAIN for (int h = 0; h < Hp; h++) s->Vp[k * Hp + h] = h < H ? V[k * H + h] : 0;
  }
}

/*
 * Forward: X (F x 24, normalized) and the parameters -> ZT (Hp x Fp, the pre-activations,
 * channel-major; kept by the caller for the backward pass), L and Q (F x 25, log-probabilities
 * and probabilities).
 */
__attribute__((export_name("cnn_forward"))) void cnn_forward(int F, int H, int R, int d,
                                                             const double *params, const double *X,
                                                             double *ZT, double *L, double *Q,
                                                             double *work) {
  Shape s;
  shape(&s, F, H, R, d, work);
  const int T = s.T, WL = s.WL, Hp = s.Hp, Fp = s.Fp, Xs = s.Xs;
  const double *cb = params + H * WL + H + NOUT * H; /* output bias */
  transpose_input(&s, X);
  pack(&s, params, 1);
  Consts c;
  load_consts(&c);
  const vd zero = wasm_f64x2_splat(0);
  double sc[NOUT * FB] __attribute__((aligned(16))), ex[NOUT * 2] __attribute__((aligned(16)));
  /* the convolution: 4 channels x 4 frames per block */
  for (int hb = 0; hb < Hp; hb += HB) {
    for (int fb = 0; fb < Fp; fb += FB) {
      const double *w = s.Wp + hb * WL;
      vd a[HB][2];
      FOR(j, HB) a[j][0] = a[j][1] = BCAST(s.bp + hb + j);
      for (int t = 0; t < T; t++) {
        const double *x = s.XT + fb + t * d;
        for (int i = 0; i < NIN; i++, x += Xs, w += HB) {
          vd x0 = LOAD(x), x1 = LOAD(x + 2);
          FOR(j, HB) {
            vd wj = BCAST(w + j);
            a[j][0] = ADD(a[j][0], MUL(wj, x0));
            a[j][1] = ADD(a[j][1], MUL(wj, x1));
          }
        }
      }
      FOR(j, HB) {
        STORE(ZT + (hb + j) * Fp + fb, a[j][0]);
        STORE(ZT + (hb + j) * Fp + fb + 2, a[j][1]);
      }
    }
  }
  for (int fb = 0; fb < Fp; fb += FB) {
    /* the 1 x 1 layer on relu(Z): 5 outputs x 4 frames per block, channels in order */
    for (int kb = 0; kb < NOUT; kb += 5) {
      vd o[5][2];
      FOR(j, 5) o[j][0] = o[j][1] = BCAST(cb + kb + j);
      for (int h = 0; h < H; h++) {
        const double *z = ZT + h * Fp + fb;
        vd a0 = wasm_f64x2_pmax(zero, LOAD(z)), a1 = wasm_f64x2_pmax(zero, LOAD(z + 2));
        FOR(j, 5) {
          vd v = BCAST(s.Vp + (kb + j) * Hp + h);
          o[j][0] = ADD(o[j][0], MUL(v, a0));
          o[j][1] = ADD(o[j][1], MUL(v, a1));
        }
      }
      FOR(j, 5) {
        STORE(sc + (kb + j) * FB, o[j][0]);
        STORE(sc + (kb + j) * FB + 2, o[j][1]);
      }
    }
    /* log-softmax, two frames per vector (the exponentials kept in ex) */
    for (int v = 0; v < FB && fb + v < F; v += 2) {
      const int f = fb + v, both = f + 1 < F;
      vd mx = LOAD(sc + v);
      PLAIN for (int k = 1; k < NOUT; k++) mx = wasm_f64x2_pmax(mx, LOAD(sc + k * FB + v));
      vd z = zero;
      PLAIN for (int k = 0; k < NOUT; k++) {
        vd e = vexp(SUB(LOAD(sc + k * FB + v), mx), &c);
        STORE(ex + 2 * k, e);
        z = ADD(z, e);
      }
      vd lz = ADD(mx, vlog(z, &c)), iz = wasm_f64x2_div(c.one, z);
      double *l0 = L + f * NOUT, *q0 = Q + f * NOUT, *l1 = l0 + NOUT, *q1 = q0 + NOUT;
      PLAIN for (int k = 0; k < NOUT; k++) {
        vd lk = SUB(LOAD(sc + k * FB + v), lz), qk = MUL(LOAD(ex + 2 * k), iz);
        l0[k] = wasm_f64x2_extract_lane(lk, 0);
        q0[k] = wasm_f64x2_extract_lane(qk, 0);
        if (both) {
          l1[k] = wasm_f64x2_extract_lane(lk, 1);
          q1[k] = wasm_f64x2_extract_lane(qk, 1);
        }
      }
    }
  }
}

static double hsum(vd v) { return wasm_f64x2_extract_lane(v, 0) + wasm_f64x2_extract_lane(v, 1); }

/*
 * Backward: the gradient of the parameters (written to grad, all of it) given G = dL/dlog q
 * (F x 25), the forward pass's Q (F x 25) and ZT (Hp x Fp), the input X and the parameters.
 */
__attribute__((export_name("cnn_backward"))) void cnn_backward(int F, int H, int R, int d,
                                                               const double *params,
                                                               const double *X, const double *ZT,
                                                               const double *Q, const double *G,
                                                               double *grad, double *work) {
  Shape s;
  shape(&s, F, H, R, d, work);
  const int T = s.T, WL = s.WL, Hp = s.Hp, Fp = s.Fp, Fe = s.Fe, Xs = s.Xs;
  double *gW = grad, *gb = grad + H * WL, *gV = gb + H, *gc = gV + NOUT * H;
  transpose_input(&s, X);
  pack(&s, params, 0);
  const vd zero = wasm_f64x2_splat(0);
  /* dS (25 x Fp) through the log-softmax; A = relu(Z) (Hp x Fp) */
  double *S = s.S;
  PLAIN for (int f = 0; f < F; f++) {
    const double *g = G + f * NOUT, *q = Q + f * NOUT;
    double sum = 0;
    PLAIN for (int k = 0; k < NOUT; k++) sum += g[k];
    PLAIN for (int k = 0; k < NOUT; k++) S[k * Fp + f] = g[k] - q[k] * sum;
  }
  PLAIN for (int k = 0; k < NOUT; k++) __builtin_memset(S + k * Fp + F, 0, 8 * (uint32_t)(Fp - F));
  PLAIN for (int i = 0; i < Hp * Fp; i += 2) {
    STORE(s.AT + i, wasm_f64x2_pmax(zero, LOAD(ZT + i)));
  }
  /* the output bias and the 1 x 1 layer's weights: 5 outputs x 2 channels per block */
  PLAIN for (int k = 0; k < NOUT; k++) {
    vd acc = zero;
    PLAIN for (int f = 0; f < Fe; f += 2) acc = ADD(acc, LOAD(S + k * Fp + f));
    gc[k] = hsum(acc);
  }
  for (int kb = 0; kb < NOUT; kb += 5) {
    for (int hb = 0; hb < H; hb += 2) {
      vd acc[5][2];
      FOR(j, 5) acc[j][0] = acc[j][1] = zero;
      const double *a0 = s.AT + hb * Fp, *a1 = a0 + Fp;
      for (int f = 0; f < Fe; f += 2) {
        vd x0 = LOAD(a0 + f), x1 = LOAD(a1 + f);
        FOR(j, 5) {
          vd g = LOAD(S + (kb + j) * Fp + f);
          acc[j][0] = ADD(acc[j][0], MUL(g, x0));
          acc[j][1] = ADD(acc[j][1], MUL(g, x1));
        }
      }
      FOR(j, 5) {
        gV[(kb + j) * H + hb] = hsum(acc[j][0]);
        if (hb + 1 < H) gV[(kb + j) * H + hb + 1] = hsum(acc[j][1]);
      }
    }
  }
  /* dZ (Hp x Fp): 4 channels x 4 frames per block, outputs in order, masked by Z > 0 */
  vd *gbv = (vd *)s.gb;
  PLAIN for (int h = 0; h < Hp; h++) gbv[h] = zero;
  for (int fb = 0; fb < Fp; fb += FB) {
    for (int hb = 0; hb < Hp; hb += HB) {
      vd a[HB][2];
      FOR(j, HB) a[j][0] = a[j][1] = zero;
      for (int k = 0; k < NOUT; k++) {
        const double *g = S + k * Fp + fb;
        vd g0 = LOAD(g), g1 = LOAD(g + 2);
        FOR(j, HB) {
          vd v = BCAST(s.Vp + k * Hp + hb + j);
          a[j][0] = ADD(a[j][0], MUL(v, g0));
          a[j][1] = ADD(a[j][1], MUL(v, g1));
        }
      }
      FOR(j, HB) {
        const double *z = ZT + (hb + j) * Fp + fb;
        double *dz = s.dZ + (hb + j) * Fp + fb;
        vd d0 = wasm_v128_and(a[j][0], wasm_f64x2_gt(LOAD(z), zero));
        vd d1 = wasm_v128_and(a[j][1], wasm_f64x2_gt(LOAD(z + 2), zero));
        STORE(dz, d0);
        STORE(dz + 2, d1);
        gbv[hb + j] = ADD(gbv[hb + j], ADD(d0, d1));
      }
    }
  }
  PLAIN for (int h = 0; h < H; h++) gb[h] = hsum(gbv[h]);
  /* the convolution's weights: 4 channels x 2 (tap, input) pairs per block */
  for (int hb = 0; hb < H; hb += HB) {
    const double *z0 = s.dZ + hb * Fp;
    for (int t = 0; t < T; t++) {
      for (int i = 0; i < NIN; i += CW) {
        const double *x0 = s.XT + i * Xs + t * d;
        vd acc[HB][CW];
        FOR(j, HB) FOR(m, CW) acc[j][m] = zero;
        for (int f = 0; f < Fe; f += 2) {
          vd u[CW];
          FOR(m, CW) u[m] = LOAD(x0 + m * Xs + f);
          FOR(j, HB) {
            vd g = LOAD(z0 + j * Fp + f);
            FOR(m, CW) acc[j][m] = ADD(acc[j][m], MUL(g, u[m]));
          }
        }
        FOR(j, HB) {
          if (hb + j < H) FOR(m, CW) gW[(hb + j) * WL + t * NIN + i + m] = hsum(acc[j][m]);
        }
      }
    }
  }
}
