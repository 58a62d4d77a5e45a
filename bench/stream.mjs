/**
 * A STREAM-style bandwidth probe, run in the benchmark's own process: the triad a[i] = b[i] + s*c[i]
 * over double arrays far larger than the last-level cache, compiled from the C below with the system
 * compiler and OpenMP, loaded with koffi, timed with 1 thread and with all threads.
 *
 * Bytes are counted as STREAM counts them (b and c read once, a written once = 24 bytes per element),
 * which is how every floor in the suite is counted too. The floors use the triad's median rate (at the
 * thread count where it is highest): every kernel figure is a median, and on a shared VM the best
 * sample of a probe can be half again its median, so medians are compared with medians. Two more
 * loops put that figure in context, without changing the floors:
 * - the triad with non-temporal stores: ordinary stores make the CPU read each line of `a` before
 *   writing it (write-allocate), traffic STREAM does not count; streaming stores skip it. This is
 *   what a kernel writing a fresh output could reach, and why an in-place update (E1), which has no
 *   write-allocate either, can beat its triad floor;
 * - a read-only dot product (b·c, 16 bytes per element), the ceiling of a reduction such as R1.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import koffi from 'koffi';
import { measure, warmUp } from './measure.mjs';

const SOURCE = String.raw`/* tensorfuse bench: STREAM-style triad (compiled at run time by bench/stream.mjs) */
#include <stdint.h>
#include <stdlib.h>
#include <omp.h>

double *tf_stream_alloc(int64_t n) { return aligned_alloc(64, (size_t)n * sizeof(double)); }
void tf_stream_free(double *p) { free(p); }

/* First touch in parallel, as the timed loop will touch it. */
void tf_stream_init(double *a, double *b, double *c, int64_t n, int threads) {
  #pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t i = 0; i < n; i++) { a[i] = 0.0; b[i] = 1.0 + (double)(i & 1023); c[i] = 2.0; }
}

void tf_stream_triad(double *restrict a, const double *restrict b, const double *restrict c, double s, int64_t n, int threads) {
  #pragma omp parallel for num_threads(threads) schedule(static)
  for (int64_t i = 0; i < n; i++) a[i] = b[i] + s * c[i];
}

/* The same triad with non-temporal (streaming) stores, 64 bytes at a time; n is a multiple of 8. */
#if defined(__x86_64__)
#include <immintrin.h>
#endif
void tf_stream_triad_nt(double *restrict a, const double *restrict b, const double *restrict c, double s, int64_t n, int threads) {
  #pragma omp parallel num_threads(threads)
  {
    #pragma omp for schedule(static)
    for (int64_t i = 0; i < n; i += 8) {
#if defined(__AVX512F__)
      _mm512_stream_pd(a + i, _mm512_add_pd(_mm512_load_pd(b + i), _mm512_mul_pd(_mm512_set1_pd(s), _mm512_load_pd(c + i))));
#elif defined(__x86_64__)
      for (int j = 0; j < 8; j += 2)
        _mm_stream_pd(a + i + j, _mm_add_pd(_mm_load_pd(b + i + j), _mm_mul_pd(_mm_set1_pd(s), _mm_load_pd(c + i + j))));
#else
      for (int j = 0; j < 8; j++) a[i + j] = b[i + j] + s * c[i + j];
#endif
    }
#if defined(__x86_64__)
    _mm_sfence(); /* streaming stores are weakly ordered: make them visible before the barrier */
#endif
  }
}

double tf_stream_dot(const double *restrict b, const double *restrict c, int64_t n, int threads) {
  double acc = 0.0;
  #pragma omp parallel for simd num_threads(threads) schedule(static) reduction(+:acc)
  for (int64_t i = 0; i < n; i++) acc += b[i] * c[i];
  return acc;
}

double tf_stream_get(const double *a, int64_t i) { return a[i]; }
`;

/** Compiles the probe into a private temp dir; the .so stays loaded after the dir is removed. */
function build() {
  const dir = mkdtempSync(join(tmpdir(), 'tensorfuse-stream-'));
  try {
    const c = join(dir, 'stream.c');
    const so = join(dir, 'stream.so');
    writeFileSync(c, SOURCE);
    const cc = (process.env.CC || 'cc').trim().split(/\s+/);
    execFileSync(cc[0], [...cc.slice(1), '-O3', '-march=native', '-fopenmp', '-fPIC', '-shared', '-Wl,-z,nodelete', '-o', so, c], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lib = koffi.load(so);
    return {
      alloc: lib.func('void *tf_stream_alloc(int64_t n)'),
      free: lib.func('void tf_stream_free(void *p)'),
      init: lib.func('void tf_stream_init(void *a, void *b, void *c, int64_t n, int threads)'),
      triad: lib.func('void tf_stream_triad(void *a, void *b, void *c, double s, int64_t n, int threads)'),
      triadNT: lib.func('void tf_stream_triad_nt(void *a, void *b, void *c, double s, int64_t n, int threads)'),
      dot: lib.func('double tf_stream_dot(void *b, void *c, int64_t n, int threads)'),
      get: lib.func('double tf_stream_get(void *a, int64_t i)'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The loops of the probe: what each computes, the bytes it moves per element, and how to check it. */
const KINDS = [
  { kind: 'triad', text: 'triad', bytes: 24, run: (lib, p, n, t) => lib.triad(p.a, p.b, p.c, 3.0, n, t) },
  { kind: 'triad-nt', text: 'triad, non-temporal stores', bytes: 24, run: (lib, p, n, t) => lib.triadNT(p.a, p.b, p.c, 3.0, n, t) },
  { kind: 'read', text: 'read-only dot product', bytes: 16, run: (lib, p, n, t) => { p.dot = lib.dot(p.b, p.c, n, t); } },
];

/** The probe's steps for a progress bar: every loop at each thread count. */
export const streamSteps = (threadCounts) => KINDS.length * threadCounts.length;

/** Checks a loop's result: a[i] = b[i] + 3 * 2 for the triads, 2 * Σ b[i] (exact in double) for the dot. */
function verify(lib, kind, p, n) {
  if (kind === 'read') {
    const want = 2 * (n + (n / 1024) * ((1023 * 1024) / 2));
    if (p.dot !== want) throw new Error(`stream probe (dot): ${p.dot}, expected ${want}`);
    return;
  }
  for (const i of [0, 1, n - 1]) {
    const want = 1.0 + (i & 1023) + 6.0;
    if (lib.get(p.a, i) !== want) throw new Error(`stream probe (${kind}): a[${i}] = ${lib.get(p.a, i)}, expected ${want}`);
  }
}

/** One timed run of the triad at `threads` threads, in GB/s as STREAM counts bytes. */
function triadOnce(lib, p, n, threads) {
  const t = performance.now();
  lib.triad(p.a, p.b, p.c, 3.0, n, threads);
  return (24 * n) / ((performance.now() - t) * 1e6);
}

/**
 * Runs the probe: `n` doubles per array (a multiple of 1024), every loop at each thread count.
 * Resolves to { n, runs: [{ kind, threads, bestGBs, medianGBs, medianMs }], bestGBs (the best triad
 * sample), floorGBs (the triad's median), ntGBs, readGBs, once, close }.
 *
 * The arrays stay allocated until `close()`: `once()` runs the triad one more time (at the thread count
 * where its median is highest) and returns its GB/s, so that the suite can interleave it with a case's
 * own calls and set each call against the bandwidth the machine had at that moment.
 */
export async function streamProbe({ n, threadCounts, budget, progress }) {
  const lib = build();
  const p = { a: lib.alloc(n), b: lib.alloc(n), c: lib.alloc(n) };
  if (!p.a || !p.b || !p.c) throw new Error(`stream probe: could not allocate 3 × ${n} doubles`);
  const all = Math.max(...threadCounts);
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    lib.free(p.a); lib.free(p.b); lib.free(p.c);
  };
  try {
    const runs = [];
    for (const k of KINDS) {
      for (const threads of threadCounts) {
        progress?.start(`bandwidth: ${k.text}, ${threads} thread${threads > 1 ? 's' : ''}`);
        lib.init(p.a, p.b, p.c, n, all);
        const fn = () => k.run(lib, p, n, threads);
        const estimate = warmUp(fn, { first: true });
        const m = await measure(`${k.kind} ${threads}`, fn, { budget, estimate });
        verify(lib, k.kind, p, n);
        const bytes = k.bytes * n;
        const run = { kind: k.kind, threads, medianMs: m.medianMs, minMs: m.minMs, samples: m.samples, bestGBs: bytes / (m.minMs * 1e6), medianGBs: bytes / (m.medianMs * 1e6) };
        runs.push(run);
        progress?.step(`${run.bestGBs.toFixed(1)} GB/s best, ${run.medianGBs.toFixed(1)} GB/s median`);
      }
    }
    const best = (kind, field = 'bestGBs') => Math.max(...runs.filter((r) => r.kind === kind).map((r) => r[field]));
    const floorThreads = runs.filter((r) => r.kind === 'triad').reduce((a, r) => (r.medianGBs > a.medianGBs ? r : a)).threads;
    return {
      n, arrayMB: (8 * n) / 2 ** 20, runs, bestGBs: best('triad'), ntGBs: best('triad-nt'), readGBs: best('read'),
      floorGBs: best('triad', 'medianGBs'),
      once: () => (open ? triadOnce(lib, p, n, floorThreads) : undefined),
      close,
    };
  } catch (e) {
    close();
    throw e;
  }
}
