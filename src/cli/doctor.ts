/**
 * `tensorfuse doctor`: checks every piece the C backend needs, in the order it needs them, and says how
 * to fix what is missing. Exit code 0 when healthy.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from '../config.js';
import { arange, stats } from '../index.js';
import { cacheDir } from '../runtime/cache.js';
import { BASE_FLAGS, LINK_FLAGS, toolchain, userFlags } from '../runtime/compiler.js';
import { threads } from '../runtime/run.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

function tryCompile(argv: string[], source: string, flags: string[]): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'tensorfuse-doctor-'));
  try {
    writeFileSync(join(dir, 't.c'), source);
    execFileSync(argv[0], [...argv.slice(1), ...flags, join(dir, 't.c'), '-o', join(dir, 't.so')], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).split('\n').find((l) => l.trim()) ?? 'failed';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
      checks.push({ name: 'flags', ok: true, detail: [...BASE_FLAGS, ...extra].join(' ') });
    } catch (e) {
      checks.push({ name: 'flags', ok: false, detail: (e as Error).message, fix: 'remove the refused flag from TENSORFUSE_CFLAGS' });
    }
    const march = tc.features.split('\n').find((l) => l.startsWith('-march=')) ?? 'unknown';
    checks.push({ name: 'target', ok: true, detail: `-march=native resolves to ${march.replace(/^-march=\s*/, '')}` });
    const omp = tryCompile(tc.argv, '#include <omp.h>\nint f(void) { return omp_get_max_threads(); }\n', ['-shared', '-fPIC', '-fopenmp']);
    checks.push({ name: 'OpenMP', ok: !omp, detail: omp ?? `available; kernels use up to ${threads()} threads`, fix: omp ? 'install libgomp (apt-get install libgomp1 gcc)' : undefined });
    const mvec = tryCompile(tc.argv, '#pragma omp declare simd notinbranch\nextern float expf(float);\nvoid f(float *x, int n) { for (int i = 0; i < n; i++) x[i] = expf(x[i]); }\n',
      ['-shared', '-fPIC', '-O3', '-march=native', '-fopenmp-simd', '-fno-math-errno', ...LINK_FLAGS]);
    checks.push({ name: 'libmvec', ok: !mvec, detail: mvec ?? 'vector expf/logf/sinf/... link', fix: mvec ? 'libmvec comes with glibc on x86-64 (libc6-dev); on other systems kernels cannot be linked' : undefined });
  }
  try {
    const dir = cacheDir();
    const mode = (statSync(dir).mode & 0o777).toString(8);
    checks.push({ name: 'cache directory', ok: true, detail: `${dir} (mode ${mode}, private)` });
  } catch (e) {
    checks.push({ name: 'cache directory', ok: false, detail: (e as Error).message, fix: 'chmod 700 the directory, or set TENSORFUSE_CACHE_DIR to a private one' });
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
