/**
 * Hand-written C, the speed a careful C programmer gets: compiled here with the flags tensorfuse uses
 * (-O3 -march=native -fno-math-errno -ffp-contract=off, OpenMP), called through koffi on the same
 * arrays, with the same thread count. The kernels are the obvious ones a numpy user would write in C
 * for each workload, tiled where the loop order calls for it. Linked -z nodelete, as tensorfuse's
 * libraries are: an OpenMP library unloaded at exit while its threads live crashes the process.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import koffi from 'koffi';

const SOURCE = String.raw`
#include <stdint.h>
#include <stdlib.h>
#include <math.h>
#include <omp.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#pragma omp declare simd notinbranch
extern float expf(float);

void handc_threads(int n) { omp_set_num_threads(n); }

/* G1: out[i] = x[idx[i]], float32, threads over i; the index is trusted (no bounds check). */
void g1(const float *restrict x, const int32_t *restrict idx, float *restrict out, int64_t n) {
  #pragma omp parallel for simd
  for (int64_t i = 0; i < n; i++) out[i] = x[idx[i]];
}

/* G2: a histogram of n int32 bins into h[bins], one private histogram per thread, summed at the end. */
void g2(const int32_t *restrict b, int32_t *restrict h, int64_t n, int64_t bins) {
  for (int64_t j = 0; j < bins; j++) h[j] = 0;
  #pragma omp parallel
  {
    int32_t mine[4096] = {0};
    #pragma omp for
    for (int64_t i = 0; i < n; i++) mine[b[i]]++;
    #pragma omp critical
    for (int64_t j = 0; j < bins; j++) h[j] += mine[j];
  }
}

/* P1: the running sum of float32 x, accumulated in double, one thread (a scan's obvious loop). */
void p1(const float *restrict x, float *restrict out, int64_t n) {
  double acc = 0;
  for (int64_t i = 0; i < n; i++) { acc += x[i]; out[i] = (float)acc; }
}

static int cmp_f32(const void *a, const void *b) { const float x = *(const float *)a, y = *(const float *)b; return (x > y) - (x < y); }

/* O1: sort n float32 into out with the C library's qsort (what a C programmer reaches for first). */
void o1(const float *restrict x, float *restrict out, int64_t n) {
  for (int64_t i = 0; i < n; i++) out[i] = x[i];
  qsort(out, (size_t)n, sizeof(float), cmp_f32);
}

/* O2: argsort each row of x [m, n] (stable: ties by position), threads over rows, qsort of (value, position) pairs. */
typedef struct { float v; int32_t i; } vp_t;
static int cmp_vp(const void *a, const void *b) {
  const vp_t *x = (const vp_t *)a, *y = (const vp_t *)b;
  return x->v < y->v ? -1 : x->v > y->v ? 1 : (x->i > y->i) - (x->i < y->i);
}
void o2(const float *restrict x, int32_t *restrict out, int64_t m, int64_t n) {
  #pragma omp parallel
  {
    vp_t *row = malloc((size_t)n * sizeof(vp_t));
    #pragma omp for
    for (int64_t r = 0; r < m; r++) {
      for (int64_t j = 0; j < n; j++) { row[j].v = x[r * n + j]; row[j].i = (int32_t)j; }
      qsort(row, (size_t)n, sizeof(vp_t), cmp_vp);
      for (int64_t j = 0; j < n; j++) out[r * n + j] = row[j].i;
    }
    free(row);
  }
}

/* R1: sum((x - y)^2) of float32, accumulated in double. */
double r1(const float *restrict x, const float *restrict y, int64_t n) {
  double acc = 0;
  #pragma omp parallel for simd reduction(+:acc)
  for (int64_t i = 0; i < n; i++) { const float d = x[i] - y[i]; acc += (double)(d * d); }
  return acc;
}

/*
 * R2: softmax over the rows of x [m, n], float32: per row (rows split across threads) its max, then
 * exp(x - max) stored and summed in double, then each divided by the sum: the row is read from memory
 * once, the later passes find it in cache.
 */
void r2(const float *restrict x, float *restrict out, int64_t m, int64_t n) {
  #pragma omp parallel for
  for (int64_t i = 0; i < m; i++) {
    const float *restrict r = x + i * n;
    float *restrict o = out + i * n;
    float mx = -INFINITY;
    #pragma omp simd reduction(max:mx)
    for (int64_t j = 0; j < n; j++) mx = r[j] > mx ? r[j] : mx;
    double sum = 0;
    #pragma omp simd reduction(+:sum)
    for (int64_t j = 0; j < n; j++) { const float e = expf(r[j] - mx); o[j] = e; sum += e; }
    const float s = (float)sum;
    #pragma omp simd
    for (int64_t j = 0; j < n; j++) o[j] = o[j] / s;
  }
}

/* The float lanes fma_peak counts per vector. */
int fma_lanes(void) {
#if defined(__AVX512F__)
  return 16;
#elif defined(__AVX2__) && defined(__FMA__)
  return 8;
#else
  return 1;
#endif
}

/*
 * The machine's peak FMA rate in GFLOP/s on the given threads: per thread, 12 independent vector
 * accumulators (enough to cover the FMA latency on every x86 core of the last decade), each updated by
 * a fused multiply-add per iteration, registers only. The vector width is what -march=native enables:
 * AVX-512, else AVX2 with FMA, else scalar fmaf.
 */
double fma_peak(int threads, int64_t iters) {
  double t0 = omp_get_wtime(), sink = 0;
  #pragma omp parallel num_threads(threads) reduction(+:sink)
  {
#if defined(__AVX512F__)
    typedef __m512 V;
    #define TF_SET(x) _mm512_set1_ps(x)
    #define TF_FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
    #define TF_SUM(v) _mm512_reduce_add_ps(v)
#elif defined(__AVX2__) && defined(__FMA__)
    typedef __m256 V;
    #define TF_SET(x) _mm256_set1_ps(x)
    #define TF_FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
    #define TF_SUM(v) ((v)[0] + (v)[7])
#else
    typedef float V;
    #define TF_SET(x) (x)
    #define TF_FMA(a, b, c) fmaf(a, b, c)
    #define TF_SUM(v) (v)
#endif
    const V m = TF_SET(0.999999f), a = TF_SET(1e-7f);
    V v0 = TF_SET(1), v1 = TF_SET(2), v2 = TF_SET(3), v3 = TF_SET(4), v4 = TF_SET(5), v5 = TF_SET(6);
    V v6 = TF_SET(7), v7 = TF_SET(8), v8 = TF_SET(9), v9 = TF_SET(10), v10 = TF_SET(11), v11 = TF_SET(12);
    for (int64_t i = 0; i < iters; i++) {
      v0 = TF_FMA(v0, m, a); v1 = TF_FMA(v1, m, a); v2 = TF_FMA(v2, m, a); v3 = TF_FMA(v3, m, a);
      v4 = TF_FMA(v4, m, a); v5 = TF_FMA(v5, m, a); v6 = TF_FMA(v6, m, a); v7 = TF_FMA(v7, m, a);
      v8 = TF_FMA(v8, m, a); v9 = TF_FMA(v9, m, a); v10 = TF_FMA(v10, m, a); v11 = TF_FMA(v11, m, a);
    }
    sink += TF_SUM(v0) + TF_SUM(v1) + TF_SUM(v2) + TF_SUM(v3) + TF_SUM(v4) + TF_SUM(v5)
      + TF_SUM(v6) + TF_SUM(v7) + TF_SUM(v8) + TF_SUM(v9) + TF_SUM(v10) + TF_SUM(v11);
  }
  const double s = omp_get_wtime() - t0;
  if (sink == 0.5) return -1; /* keeps the loop (never true) */
  return (double)threads * (double)iters * 12 * fma_lanes() * 2 / s / 1e9;
}

/* M4's epilogue after a bare sgemm: c = relu(c + bias) over the rows of c [n, m]. */
void m4_epilogue(float *restrict c, const float *restrict bias, int64_t n, int64_t m) {
  #pragma omp parallel for
  for (int64_t i = 0; i < n; i++) {
    float *restrict r = c + i * m;
    #pragma omp simd
    for (int64_t j = 0; j < m; j++) { const float v = r[j] + bias[j]; r[j] = v > 0 ? v : 0; }
  }
}

/*
 * R3: layer norm over the rows of x [m, n], float32, as tensorfuse defines it: per row (rows split
 * across threads) the mean (summed in double, rounded, divided), the variance (the mean of the squared
 * float32 deviations, summed in double), then (x - mean) / sqrt(variance + 1e-5). The row is read from
 * memory once; the later passes find it in cache.
 */
void r3(const float *restrict x, float *restrict out, int64_t m, int64_t n) {
  #pragma omp parallel for
  for (int64_t i = 0; i < m; i++) {
    const float *restrict r = x + i * n;
    float *restrict o = out + i * n;
    double sum = 0;
    #pragma omp simd reduction(+:sum)
    for (int64_t j = 0; j < n; j++) sum += r[j];
    const float mean = (float)sum / (float)n;
    double ss = 0;
    #pragma omp simd reduction(+:ss)
    for (int64_t j = 0; j < n; j++) { const float d = r[j] - mean; ss += (double)(d * d); }
    const float sd = sqrtf((float)ss / (float)n + 1e-5f);
    #pragma omp simd
    for (int64_t j = 0; j < n; j++) o[j] = (r[j] - mean) / sd;
  }
}

/*
 * T3: out = 2 * x.transpose([0, 2, 1, 3]), x [B, S, H, D] (attention heads) to out [B, H, S, D], float32:
 * threads over the (b, h) pairs, each copying its S rows of D contiguous floats.
 */
void t3(const float *restrict x, float *restrict out, int64_t B, int64_t S, int64_t H, int64_t D) {
  #pragma omp parallel for collapse(2)
  for (int64_t b = 0; b < B; b++)
    for (int64_t h = 0; h < H; h++)
      for (int64_t s = 0; s < S; s++) {
        const float *restrict r = x + ((b * S + s) * H + h) * D;
        float *restrict o = out + ((b * H + h) * S + s) * D;
        #pragma omp simd
        for (int64_t d = 0; d < D; d++) o[d] = 2 * r[d];
      }
}

/*
 * T1: out = 2 * x^T + y, x [n, m], y and out [m, n], float32: 32 x 32 tiles, each tile of x copied
 * through an L1 buffer with contiguous reads, then combined with y with contiguous reads and writes.
 */
void t1(const float *restrict x, const float *restrict y, float *restrict out, int64_t m, int64_t n) {
  #pragma omp parallel for
  for (int64_t i0 = 0; i0 < m; i0 += 32) {
    float buf[32][32];
    const int64_t e0 = i0 + 32 < m ? i0 + 32 : m;
    for (int64_t j0 = 0; j0 < n; j0 += 32) {
      const int64_t e1 = j0 + 32 < n ? j0 + 32 : n;
      for (int64_t j = j0; j < e1; j++) {
        #pragma omp simd
        for (int64_t i = i0; i < e0; i++) buf[i - i0][j - j0] = x[j * m + i];
      }
      for (int64_t i = i0; i < e0; i++) {
        #pragma omp simd
        for (int64_t j = j0; j < e1; j++) out[i * n + j] = 2.0f * buf[i - i0][j - j0] + y[i * n + j];
      }
    }
  }
}

/*
 * C1: a direct 3x3 'same' convolution (stride 1, padding 1), NCHW float32, x [N, C, H, W], w [O, C, 3, 3]:
 * threads over images; each image copied once into a zero-bordered buffer; then for each block of 8 output
 * channels, each output row and each run of 16 pixels, 8 vector accumulators in registers take C * 9 FMAs
 * each (one load of x per tap, the weight broadcast). O must be a multiple of 8.
 */
typedef float v16f __attribute__((vector_size(64)));
static inline v16f load16(const float *p) { v16f v; __builtin_memcpy(&v, p, sizeof v); return v; }
void c1(const float *restrict x, const float *restrict w, float *restrict out, int64_t N, int64_t C, int64_t O, int64_t H, int64_t W) {
  const int64_t RW = (W + 15) / 16 * 16 + 16, HP = H + 2; /* padded row: 1 zero before, zeros after */
  #pragma omp parallel
  {
    float *xp = aligned_alloc(64, (size_t)(C * HP * RW) * sizeof(float));
    #pragma omp for schedule(static)
    for (int64_t n = 0; n < N; n++) {
      for (int64_t i = 0; i < C * HP * RW; i++) xp[i] = 0;
      for (int64_t c = 0; c < C; c++)
        for (int64_t h = 0; h < H; h++)
          for (int64_t j = 0; j < W; j++) xp[(c * HP + h + 1) * RW + j + 1] = x[((n * C + c) * H + h) * W + j];
      for (int64_t o0 = 0; o0 < O; o0 += 8) {
        for (int64_t h = 0; h < H; h++) {
          for (int64_t j0 = 0; j0 < W; j0 += 16) {
            v16f acc[8] = {0};
            for (int64_t c = 0; c < C; c++) {
              const float *wc = w + (o0 * C + c) * 9;
              for (int64_t kh = 0; kh < 3; kh++) {
                const float *r = xp + (c * HP + h + kh) * RW + j0;
                for (int64_t kw = 0; kw < 3; kw++) {
                  const v16f xv = load16(r + kw);
                  for (int o = 0; o < 8; o++) acc[o] += wc[o * C * 9 + kh * 3 + kw] * xv;
                }
              }
            }
            const int64_t lanes = W - j0 < 16 ? W - j0 : 16;
            for (int o = 0; o < 8; o++) {
              float *dst = out + ((n * O + o0 + o) * H + h) * W + j0;
              for (int64_t l = 0; l < lanes; l++) dst[l] = acc[o][l];
            }
          }
        }
      }
    }
    free(xp);
  }
}
`;

/** Compiles and loads the kernels, or returns { skipped: reason } when there is no working `cc`. */
export function loadHandC() {
  const dir = mkdtempSync(join(tmpdir(), 'tensorfuse-bench-handc-'));
  try {
    const c = join(dir, 'handc.c'), so = join(dir, 'handc.so');
    writeFileSync(c, SOURCE);
    execFileSync(process.env.CC || 'cc', ['-O3', '-march=native', '-fno-math-errno', '-ffp-contract=off', '-fopenmp', '-fPIC', '-shared', '-Wl,-z,nodelete', '-o', so, c, '-lmvec', '-lm'], { stdio: 'pipe' });
    const lib = koffi.load(so);
    const threads = lib.func('void handc_threads(int n)');
    return {
      setThreads: (n) => threads(n),
      r1: lib.func('double r1(const float *x, const float *y, int64_t n)'),
      t1: lib.func('void t1(const float *x, const float *y, float *out, int64_t m, int64_t n)'),
      t3: lib.func('void t3(const float *x, float *out, int64_t B, int64_t S, int64_t H, int64_t D)'),
      r2: lib.func('void r2(const float *x, float *out, int64_t m, int64_t n)'),
      r3: lib.func('void r3(const float *x, float *out, int64_t m, int64_t n)'),
      fmaPeak: lib.func('double fma_peak(int threads, int64_t iters)'),
      fmaLanes: lib.func('int fma_lanes(void)'),
      m4Epilogue: lib.func('void m4_epilogue(float *c, const float *bias, int64_t n, int64_t m)'),
      g1: lib.func('void g1(const float *x, const int32_t *idx, float *out, int64_t n)'),
      g2: lib.func('void g2(const int32_t *b, int32_t *h, int64_t n, int64_t bins)'),
      p1: lib.func('void p1(const float *x, float *out, int64_t n)'),
      o1: lib.func('void o1(const float *x, float *out, int64_t n)'),
      o2: lib.func('void o2(const float *x, int32_t *out, int64_t m, int64_t n)'),
      c1: lib.func('void c1(const float *x, const float *w, float *out, int64_t N, int64_t C, int64_t O, int64_t H, int64_t W)'),
    };
  } catch (e) {
    return { skipped: `hand-written C peers not built: ${e.message.split('\n')[0]}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
