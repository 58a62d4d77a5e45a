/**
 * `tensorfuse doctor`: checks every piece the C backend needs, in the order it needs them, and says how
 * to fix what is missing. Exit code 0 when healthy.
 */
import { statSync } from 'node:fs';
import { config } from '../config.js';
import { arange, stats } from '../index.js';
import { cacheDir, isRecoverable } from '../runtime/cache.js';
import { linkFlags, toolchain, toolchainFlags, userFlags } from '../runtime/compiler.js';
import { threads } from '../runtime/invoke.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export function doctor(): number {
  const checks: Check[] = [];
  const cfg = config();
  let tc: ReturnType<typeof toolchain> | undefined;
  try {
    tc = toolchain();
    checks.push({ name: 'C compiler', ok: true, detail: `${cfg.cc} → ${tc.version.split('\n')[0]} (${tc.machine})` });
  } catch (e) {
    checks.push({ name: 'C compiler', ok: false, detail: (e as Error).message, fix: 'apt-get install gcc, or set CC to a working C compiler' });
  }
  if (tc) {
    let extra: string[] = [];
    try {
      extra = userFlags();
      checks.push({ name: 'flags', ok: true, detail: [...toolchainFlags(tc), ...extra].join(' ') });
    } catch (e) {
      checks.push({ name: 'flags', ok: false, detail: (e as Error).message, fix: 'remove the refused flag from TENSORFUSE_CFLAGS' });
    }
    const march = tc.features.split('\n').find((l) => l.startsWith('-march=')) ?? 'unknown';
    checks.push({ name: 'target', ok: true, detail: `-march=native resolves to ${march.replace(/^-march=\s*/, '')}` });
    // What the toolchain probe found (remembered with it): a missing feature costs speed, not correctness.
    const has = tc.supports;
    checks.push({ name: 'OpenMP', ok: true, detail: has.openmp ? `available; kernels use up to ${threads()} threads` : `not available (${tc.argv.join(' ')} cannot build with -fopenmp): kernels run on one thread${has.openmpSimd ? ', still vectorized (-fopenmp-simd)' : ''}`, fix: has.openmp ? undefined : 'for threads, install libgomp (apt-get install libgomp1 gcc) or use a compiler with OpenMP, then run `npx tensorfuse cache clear` (the probe is remembered)' });
    checks.push({ name: 'libmvec', ok: true, detail: has.libmvec ? 'vector expf/logf/sinf/... link' : 'not available: transcendentals call scalar libm (correct, slower)', fix: has.libmvec ? undefined : 'libmvec comes with glibc on x86-64 and aarch64 (libc6-dev); after installing it, run `npx tensorfuse cache clear` (the probe is remembered)' });
    checks.push({ name: 'linker', ok: true, detail: `${[has.nodelete ? '-z nodelete' : 'no -z nodelete', has.zdefs ? '-z defs (undefined symbols fail the build)' : 'no -z defs (undefined symbols are found when loading)'].join(', ')}; link flags ${linkFlags(tc).join(' ')}` });
  }
  try {
    const dir = cacheDir();
    const mode = (statSync(dir).mode & 0o777).toString(8);
    checks.push({ name: 'cache directory', ok: true, detail: `${dir} (mode ${mode}, private)` });
  } catch (e) {
    if (isRecoverable(e)) checks.push({ name: 'cache directory', ok: true, detail: `${e.message}. Evals still run: each process compiles into a private temporary directory (nothing is kept between runs)` });
    else checks.push({ name: 'cache directory', ok: false, detail: (e as Error).message, fix: 'chmod 700 the directory, or set TENSORFUSE_CACHE_DIR to a private one' });
  }
  if (checks.every((c) => c.ok)) {
    try {
      const before = stats();
      const t0 = performance.now();
      const x = arange(1000).cast('float32');
      const y = x.mul(0.5).add(1).sqrt().eval({ backend: 'c' });
      const ms = performance.now() - t0;
      const ref = x.mul(0.5).add(1).sqrt().eval({ backend: 'ts' });
      const same = y.data().every((v, i) => Object.is(v, ref.data()[i]));
      const t1 = performance.now();
      x.mul(0.5).add(1).sqrt().eval({ backend: 'c' });
      const hit = performance.now() - t1;
      const after = stats();
      const how = after.compiles > before.compiles ? `compiled in ${(after.compileMs - before.compileMs).toFixed(0)} ms` : 'found in the disk cache';
      checks.push({ name: 'smoke kernel', ok: same, detail: `${how}; first eval ${ms.toFixed(1)} ms, cached eval ${(hit * 1000).toFixed(0)} µs; ${same ? 'matches the reference' : 'DIFFERS from the reference'}`, fix: same ? undefined : 'please report this with the output of `TENSORFUSE_DEBUG=4 tensorfuse doctor`' });
    } catch (e) {
      checks.push({ name: 'smoke kernel', ok: false, detail: (e as Error).message, fix: 'see the compiler message above; TENSORFUSE_DEBUG=4 prints the C' });
    }
  }
  for (const c of checks) {
    console.log(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(16)} ${c.detail}`);
    if (c.fix) console.log(`      ${''.padEnd(16)} fix: ${c.fix}`);
  }
  const healthy = checks.every((c) => c.ok);
  console.log(healthy ? '\ntensorfuse is healthy: evals compile to C and run natively.' : '\nproblems found: until fixed, evals fall back to the (slow) TypeScript reference.');
  return healthy ? 0 : 1;
}
