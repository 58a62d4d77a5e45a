/**
 * Timing on Benchmark.js. One case = one Benchmark; the figure we report is the median of its samples
 * (`bench.stats.sample`, seconds per call), not its mean: the machine is shared and a sample that met
 * another process's burst should not move the result.
 *
 * Fast functions (< 1 ms) run in Benchmark.js's synchronous mode, where it calls the function many
 * times per sample. Slow ones run deferred: in synchronous mode Benchmark.js re-runs an untimed
 * "pretest" call before every sample, which would double the cost of a one-second case.
 */
import Benchmark from 'benchmark';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Sampling budgets per mode: cases slower than `slowAt` seconds per call take `slow` samples. */
export const BUDGETS = {
  full: { minTime: 0.05, maxTime: 2.5, fast: 10, mid: 5, slow: 3, slowAt: 0.8 },
  quick: { minTime: 0.02, maxTime: 0.15, fast: 5, mid: 3, slow: 2, slowAt: 0.2 },
  smoke: { minTime: 0.01, maxTime: 0.03, fast: 2, mid: 2, slow: 1, slowAt: 0.05 },
};

/**
 * Warms `fn` up and returns a rough time per call in seconds: the fastest of a few calls, 50 ms at
 * most unless two calls take longer. With `first`, one more untimed call comes before: the one that
 * compiles or JIT-compiles. The suite's checks already made that call for every case, but a case's
 * `run` may still compile on its first call (S1's jit with a new number every call did: its check
 * passes an integer, its run a fraction, another trace), so at least two calls are timed: with one,
 * a 70 ms cold compile made the estimate 70 ms, Benchmark.js then ran the case deferred, and its
 * promise per call was timed instead (5 µs against 0.35 µs; bench/RESULTS.md, 2026-12-06).
 */
export function warmUp(fn, { first = false } = {}) {
  if (first) fn();
  const times = [];
  const t0 = performance.now();
  do {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  } while (times.length < 3 && (times.length < 2 || performance.now() - t0 < 50));
  return Math.min(...times) / 1e3;
}

/**
 * Times `fn` with Benchmark.js and resolves to { medianMs, meanMs, minMs, maxMs, rme, samples, calls }.
 * `estimate` (seconds per call, from warmUp) picks the mode and the sample count.
 */
export function measure(name, fn, { budget, estimate, minSamples }) {
  const samples = minSamples ?? (estimate > budget.slowAt ? budget.slow : estimate > 0.02 ? budget.mid : budget.fast);
  const deferred = estimate > 1e-3;
  const options = {
    minSamples: samples,
    minTime: budget.minTime, // a sample is at least this long: fast functions run many times in one
    maxTime: budget.maxTime,
    initCount: 1,
    delay: 0,
    defer: deferred,
  };
  const bench = deferred
    ? new Benchmark(name, (d) => { fn(); d.resolve(); }, options)
    : new Benchmark(name, fn, options);
  return new Promise((resolve, reject) => {
    bench.on('complete', () => {
      if (bench.error) return reject(bench.error);
      const sample = bench.stats.sample;
      const ms = sample.map((s) => s * 1e3);
      resolve({
        medianMs: median(ms),
        meanMs: bench.stats.mean * 1e3,
        minMs: Math.min(...ms),
        maxMs: Math.max(...ms),
        rme: bench.stats.rme,
        samples: ms.length,
        callsPerSample: bench.count,
      });
    });
    bench.run({ async: deferred });
  });
}
