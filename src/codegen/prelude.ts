/**
 * The fixed parts of every generated translation unit: includes, the floating-point-environment and
 * thread-running helpers every program uses, the streaming-store helpers for the element types a
 * program streams, and the libmvec declarations of the math functions it calls.
 */
import { BYTES, C_TYPE, DTYPES, isInteger } from '../dtype.js';
import { LARGE_BYTES } from './lower.js';

/** Outputs at least this large are backed by 2 MiB pages where the kernel allows it. */
const HUGE_MIN = LARGE_BYTES;

/**
 * A flat kernel's share of a program output at least this large (per thread) is written with streaming
 * stores: by then output and inputs are far past the last-level cache, and skipping the write-allocate
 * reads saves a quarter of the traffic of `out = f(x, y)`. Smaller outputs stay in the cache for
 * whatever reads them next.
 */
const NT_MIN = LARGE_BYTES;

/*
 * Without OpenMP (a toolchain that cannot link it) kernels run serially: tf_run's region is one thread.
 * A small program (lower.ts: Lowered.size) has no parallel region and advises no pages: it needs
 * neither omp.h nor sys/mman.h, ~4 ms of a ~70 ms compile here.
 */
export const includes = (small: boolean): string => (small ? `#include <stdint.h>
#include <math.h>
` : `#include <stdint.h>
#include <math.h>
#include <sys/mman.h>
#ifdef _OPENMP
#include <omp.h>
#else
static inline int omp_get_thread_num(void) { return 0; }
static inline int omp_get_num_threads(void) { return 1; }
#endif
`);

/** Streaming stores of one element type: [C type, 64-byte vector type, elements per vector, GCC builtin]. */
const STREAMED: [string, string, number, string][] = [
  ['float', 'float', 16, '__builtin_ia32_movntps512(out + j, *(const tf_v_float *)(st + j))'],
  ['double', 'double', 8, '__builtin_ia32_movntpd512(out + j, *(const tf_v_double *)(st + j))'],
  ...DTYPES.filter(isInteger).map((d): [string, string, number, string] => {
    const T = C_TYPE[d];
    return [T, 'long long', 64 / BYTES[d], `__builtin_ia32_movntdq512((tf_v_${T} *)(out + j), *(const tf_v_${T} *)(st + j))`];
  }),
];

const FPENV = `/*
 * Node needs the floating-point control register as it left it: no flush-to-zero, no
 * denormals-are-zero, round to nearest. The runtime reads it through tf_fpenv() right after loading
 * (crtfastmath.o's constructor would have set FTZ/DAZ), and tf_program compares it at entry and exit.
 * x86: MXCSR without its sticky exception flags (bits 0-5); aarch64: FPCR.
 */
#if defined(__x86_64__) || defined(__i386__)
static inline unsigned tf_fpenv_get(void) { return __builtin_ia32_stmxcsr() & ~0x3fu; }
static inline void tf_fpenv_put(unsigned v) { __builtin_ia32_ldmxcsr((__builtin_ia32_stmxcsr() & 0x3fu) | (v & ~0x3fu)); }
#elif defined(__aarch64__)
static inline unsigned tf_fpenv_get(void) { uint64_t v; __asm__ volatile("mrs %0, fpcr" : "=r"(v)); return (unsigned)v; }
static inline void tf_fpenv_put(unsigned v) { uint64_t w = v; __asm__ volatile("msr fpcr, %0" : : "r"(w)); }
#else
static inline unsigned tf_fpenv_get(void) { return 0; }
static inline void tf_fpenv_put(unsigned v) { (void)v; }
#endif
unsigned tf_fpenv(void) { return tf_fpenv_get(); }
void tf_fpenv_set(unsigned v) { tf_fpenv_put(v); }
static inline int tf_fpenv_check(unsigned at_entry) {
  if (tf_fpenv_get() == at_entry) return 0;
  tf_fpenv_put(at_entry);
  return 1;
}

`;

const HUGE_PAGES = `/* A fresh output of many MB would otherwise take one page fault per 4 KiB on first write. */
#define HUGE_MIN ${HUGE_MIN}
static void tf_hugepages(void *p, int64_t bytes) {
  const uintptr_t huge = (uintptr_t)1 << 21;
  if (bytes < HUGE_MIN) return;
  uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(huge - 1), hi = ((uintptr_t)p + (uintptr_t)bytes) & ~(huge - 1);
  if (hi > lo) madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}

`;

const TF_RUN = `typedef void (*tf_kernel)(int64_t lo, int64_t hi, void *const *b, const double *s);

/*
 * Runs k over [0, n): split across as many threads (up to threads) as get grain iterations each, the
 * cuts at multiples of align (16 for a flat loop over elements, so each thread's range starts on a
 * vector boundary; 1 for rows, tiles and blocks, of which there may be fewer than 16 per thread).
 */
static void tf_run(tf_kernel k, int64_t n, int64_t grain, int64_t align, void *const *b, const double *s, int threads) {
  if (threads > n / grain) threads = (int)(n / grain);
  if (threads > 1) {
    #pragma omp parallel num_threads(threads)
    {
      int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
      int64_t lo = t == 0 ? 0 : (n * t / nt) / align * align;
      int64_t hi = t == nt - 1 ? n : (n * (t + 1) / nt) / align * align;
      if (lo < hi) k(lo, hi, b, s);
    }
  } else if (n > 0) {
    k(0, n, b, s);
  }
}
`;

/* A small program's kernels all run on the calling thread (the same signature, so the calls read the same). */
const TF_RUN_SERIAL = `typedef void (*tf_kernel)(int64_t lo, int64_t hi, void *const *b, const double *s);

static inline void tf_run(tf_kernel k, int64_t n, int64_t grain, int64_t align, void *const *b, const double *s, int threads) {
  (void)grain; (void)align; (void)threads;
  if (n > 0) k(0, n, b, s);
}
`;

/** The floating-point-environment helpers, then (large programs) huge pages and the threaded tf_run, or the serial one. */
export const prelude = (small: boolean): string => FPENV + (small ? TF_RUN_SERIAL : HUGE_PAGES + TF_RUN);

/** The streaming-store helpers for the C element types of the outputs that kernels stream (none: nothing). */
export const streamingHelpers = (types: ReadonlySet<string>): string => (types.size === 0 ? '' : `/*
 * Streaming (non-temporal) stores for large outputs: a kernel computes a block into tf_st[] on its stack
 * (it stays in L1) and streams it out 64 bytes at a time, so the CPU does not first read every output
 * line it is about to overwrite (write-allocate). Aligned whole blocks only; anything else is copied.
 */
#define TF_BLOCK 1024
#define TF_NT_MIN ${NT_MIN}
#if defined(__AVX512F__) && defined(__GNUC__) && !defined(__clang__)
#define TF_NT 1
${STREAMED.filter(([T]) => types.has(T)).map(([T, V, lanes, store]) => `typedef ${V} tf_v_${T} __attribute__((vector_size(64), may_alias));
static void tf_stream_${T}(${T} *restrict out, const ${T} *restrict st, int64_t n) {
  if (((uintptr_t)out & 63) || (n & ${lanes - 1})) { for (int64_t j = 0; j < n; j++) out[j] = st[j]; return; }
  for (int64_t j = 0; j < n; j += ${lanes}) ${store};
}`).join('\n')}
/* Where a streamed block starting at i0 ends: at the next 64-byte boundary of out, so later ones are aligned. */
static inline int64_t tf_block_end(const void *out, int64_t i0, int64_t hi, int64_t size) {
  const int64_t skew = (int64_t)(((uintptr_t)out + (uintptr_t)(i0 * size)) & 63) / size;
  const int64_t end = i0 + TF_BLOCK - skew;
  return end < hi ? end : hi;
}
#define tf_stream_fence() __builtin_ia32_sfence()
#else
#define TF_NT 0
${STREAMED.filter(([T]) => types.has(T)).map(([T]) => `#define tf_stream_${T}(out, st, n) ((void)0)`).join('\n')}
#define tf_block_end(out, i0, hi, size) (hi)
#define tf_stream_fence() ((void)0)
#endif
`);

/**
 * The declarations of the libmvec functions a program calls (`name`: the C function, float or double
 * version; `T`: its type; `arity`), which math.h makes only under -ffast-math (SPEC §3). Only those it
 * calls: gcc then has fewer declarations to read and clone signatures to make, a few ms of every compile.
 */
export function libmvecDecls(used: ReadonlySet<string>): string {
  if (used.size === 0) return '';
  // TF_LIBMVEC: defined when the toolchain links libmvec; otherwise the scalar libm functions are called.
  return ['/* Vector variants from libmvec (SPEC §3): declared here because math.h declares them only in fast-math mode. */',
    '#ifdef TF_LIBMVEC', ...[...used].sort().map((decl) => `#pragma omp declare simd notinbranch\n${decl}`), '#endif', '', ''].join('\n');
}
