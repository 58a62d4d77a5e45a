/**
 * "A library we load is one we built, for this key" (issue 11, items 10–18): artifact modes and the
 * cache directory's ancestors, the floating-point control register around loads and calls, a key
 * compiled into every library, build outputs that are not libraries, cache I/O failures, compiler
 * timeouts, one compile per kernel across callers and processes, probed toolchain features, and
 * sanitizer flags. Crashes and once-per-process effects are tested in child processes (test/child.ts).
 *
 * What this sandbox allows (checked at run time, see `canMount`): we run as root, so chmod cannot make
 * a directory unwritable for us and EACCES cannot be produced; EISDIR (a directory where `<key>.so`
 * belongs) and ENOTDIR/EEXIST (the cache path is a regular file) stand in for it. Read-only (EROFS),
 * full (ENOSPC) and noexec ("failed to map segment") caches are real tmpfs mounts when
 * `mount -t tmpfs` works (it does here, as root), and those tests are skipped when it does not.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CacheError, CompileError, TensorError, configure, defineKernel, stats, tensor } from '../src/index.js';
import { describeChild, gccPath, realCompiles, runNode, script, newGraph as sharedNewGraph } from './child.js';

const mounts: string[] = [];
const freshDir = realCompiles({ backend: 'c', cc: 'gcc', cflags: '', cacheDir: undefined, compileTimeout: undefined }, () => {
  for (const m of mounts) spawnSync('umount', [m]);
});

const newGraph = () => sharedNewGraph(60);
const libraries = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.so')).sort();
const warnings = (stderr: string): number => stderr.split('TensorfuseWarning').length - 1;
const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, but the call returned');
};

/** A graph of `n` additions then sqrt, written for a child script (the same `n` gives the same kernel). */
const childGraph = (n: number): string => `(() => { let t = tf.tensor([0, 1, 2]); for (let i = 0; i < ${n}; i++) t = t.add(1); return t.sqrt(); })()`;
const childExpected = (n: number): number[] => [0, 1, 2].map((v) => Math.sqrt(v + n));

/** Whether this sandbox lets us mount a tmpfs (then read-only, full and noexec caches are real). */
function canMount(): boolean {
  const at = freshDir('mount-probe');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', at]);
  if (r.status !== 0) return false;
  spawnSync('umount', [at]);
  return true;
}
const MOUNT = process.platform === 'linux' && process.getuid?.() === 0 && canMount();

function tmpfs(options: string): string {
  const at = freshDir('tmpfs');
  execFileSync('mount', ['-t', 'tmpfs', '-o', `${options},mode=0700`, 'tmpfs', at]);
  mounts.push(at);
  return at;
}

/** Shell lines setting $compile when the command compiles a program (its output is a temporary library, not a probe's). */
const IS_COMPILE = 'compile=""; prev=""; for a; do if [ "$prev" = "-o" ]; then case "$a" in *.tmp) compile=1;; esac; fi; prev="$a"; done';

// Node's double math, probed through JSON.parse so V8 cannot fold it at compile time.
const DENORMAL = "const tiny = JSON.parse('2.2250738585072014e-308'); const denormalsIntact = () => tiny / 2 !== 0;";

describe('10: artifact modes, file ownership, and the cache directory\'s ancestors', () => {
  it('with umask 000, every artifact is private (libraries 0500) and nothing is group/other-writable', async () => {
    const dir = join(freshDir('umask'), 'cache');
    const r = await runNode(`process.umask(0);
const t = ${childGraph(7)}.eval();
console.log(JSON.stringify({ values: Array.from(t.data()) }));`, { TENSORFUSE_CACHE_DIR: dir });
    expect(r.code, describeChild(r)).toBe(0);
    expect(r.json.values).toEqual(childExpected(7));
    for (const f of readdirSync(dir)) {
      const mode = statSync(join(dir, f)).mode & 0o777;
      expect(mode & 0o077, `${f} mode ${mode.toString(8)}`).toBe(0);
      if (f.endsWith('.so')) expect(mode.toString(8), f).toBe('500');
    }
  });

  it('a library that group/others can write is not loaded: it is removed and rebuilt, with a warning', async () => {
    const dir = join(freshDir('wlib'), 'cache');
    const body = `const t = ${childGraph(8)}.eval(); console.log(JSON.stringify({ values: Array.from(t.data()), stats: tf.stats() }));`;
    const a = await runNode(body, { TENSORFUSE_CACHE_DIR: dir });
    expect(a.code, describeChild(a)).toBe(0);
    const [so] = libraries(dir);
    chmodSync(join(dir, so), 0o777);
    const b = await runNode(body, { TENSORFUSE_CACHE_DIR: dir });
    expect(b.code, describeChild(b)).toBe(0);
    expect(b.json.values).toEqual(childExpected(8));
    expect(b.json.stats, 'rebuilt, not loaded').toMatchObject({ compiles: 1, diskHits: 0 });
    expect(b.stderr).toContain(join(dir, so));
    expect(b.stderr).toMatch(/writ/);
    expect((statSync(join(dir, so)).mode & 0o777).toString(8)).toBe('500');
  });

  it.each([
    ['world-writable (0777) parent', 0o777, /writable by others/],
    ['group-writable (0775) parent', 0o775, /writable by others/],
  ])('refuses a cache directory inside a %s', (_label, mode, pattern) => {
    const parent = join(freshDir('anc'), 'shared');
    mkdirSync(parent);
    chmodSync(parent, mode);
    const dir = join(parent, 'cache');
    configure({ cacheDir: dir });
    const err = thrown(() => newGraph().t.eval());
    expect(err).toBeInstanceOf(CacheError);
    expect((err as Error).message).toContain(parent);
    expect((err as Error).message).toMatch(pattern);
  });

  it.skipIf(process.getuid?.() !== 0)('refuses a cache directory inside a directory owned by another user', () => {
    const parent = join(freshDir('anc-owner'), 'theirs');
    mkdirSync(parent, { mode: 0o755 });
    chownSync(parent, 65534, 65534);
    const dir = join(parent, 'cache');
    mkdirSync(dir, { mode: 0o700 });
    configure({ cacheDir: dir });
    const err = thrown(() => newGraph().t.eval());
    expect(err).toBeInstanceOf(CacheError);
    expect((err as Error).message).toContain(parent);
    expect((err as Error).message).toMatch(/uid 65534/);
  });

  it('accepts a world-writable parent with the sticky bit, like /tmp', () => {
    const parent = join(freshDir('anc-sticky'), 'tmp');
    mkdirSync(parent);
    chmodSync(parent, 0o1777);
    configure({ cacheDir: join(parent, 'cache') });
    const { t, expected } = newGraph();
    expect(Array.from(t.eval().data())).toEqual(expected);
  });
});

describe('11: the floating-point control register (FTZ/DAZ) survives every library and call', () => {
  const crtfastmath = (): string => execFileSync('gcc', ['-print-file-name=crtfastmath.o'], { encoding: 'utf8' }).trim();
  const setup = (): Record<string, [cc: string, cflags: string]> => {
    const d = freshDir('ftz');
    const atFile = join(d, 'flags');
    writeFileSync(atFile, '-ffast-math\n');
    const specs = join(d, 'fm.specs');
    writeFileSync(specs, `*startfile:\n+ ${crtfastmath()}\n`);
    return {
      'TENSORFUSE_CFLAGS=@file': ['gcc', `@${atFile}`],
      'CC="gcc @file"': [`gcc @${atFile}`, ''],
      'TENSORFUSE_CFLAGS=-Wl,crtfastmath.o': ['gcc', `-Wl,${crtfastmath()}`],
      'TENSORFUSE_CFLAGS=crtfastmath.o (an operand)': ['gcc', crtfastmath()],
      'TENSORFUSE_CFLAGS=-specs=file': ['gcc', `-specs=${specs}`],
      'TENSORFUSE_CFLAGS=-Xlinker crtfastmath.o': ['gcc', `-Xlinker ${crtfastmath()}`],
    };
  };
  let spellings: Record<string, [string, string]>;
  beforeAll(() => { spellings = setup(); });

  it.each(['TENSORFUSE_CFLAGS=@file', 'CC="gcc @file"', 'TENSORFUSE_CFLAGS=-Wl,crtfastmath.o', 'TENSORFUSE_CFLAGS=crtfastmath.o (an operand)', 'TENSORFUSE_CFLAGS=-specs=file', 'TENSORFUSE_CFLAGS=-Xlinker crtfastmath.o'])(
    '%s: eval and evalAsync throw a TensorError and denormals still work afterwards', async (label) => {
      const [cc, cflags] = spellings[label];
      const r = await runNode(`${DENORMAL}
const res = { before: denormalsIntact() };
const show = (e) => ({ name: e.name, tensorError: e instanceof tf.TensorError, message: e.message });
try { ${childGraph(3)}.eval(); res.sync = 'returned'; } catch (e) { res.sync = show(e); }
res.afterSync = denormalsIntact();
try { await ${childGraph(4)}.evalAsync(); res.async = 'returned'; } catch (e) { res.async = show(e); }
res.after = denormalsIntact();
console.log(JSON.stringify(res));`, { CC: cc, TENSORFUSE_CFLAGS: cflags, TENSORFUSE_CACHE_DIR: join(freshDir('ftz-cache'), 'c') });
      expect(r.code, describeChild(r)).toBe(0);
      expect(r.json).toMatchObject({ before: true, afterSync: true, after: true });
      for (const k of ['sync', 'async']) {
        expect(r.json[k], `${k}: ${describeChild(r)}`).toMatchObject({ tensorError: true });
        expect(r.json[k].message, k).toMatch(/flush-to-zero|crtfastmath/);
      }
    });

  it('a kernel whose C sets flush-to-zero during the call throws, and the register is restored (sync and async)', async () => {
    const r = await runNode(`${DENORMAL}
const ftz = tf.defineKernel('tf_sets_ftz', { inputs: 1,
  c: '__builtin_ia32_ldmxcsr(__builtin_ia32_stmxcsr() | 0x8040); for (int64_t i = 0; i < n; i++) out[i] = in0[i];',
  ref: ([x], out) => out.set(x) });
const res = {};
try { ftz(tf.tensor([1, 2])).eval(); res.sync = 'returned'; } catch (e) { res.sync = { tensorError: e instanceof tf.TensorError, message: e.message }; }
res.afterSync = denormalsIntact();
try { await ftz(tf.tensor([3, 4])).evalAsync(); res.async = 'returned'; } catch (e) { res.async = { tensorError: e instanceof tf.TensorError, message: e.message }; }
res.after = denormalsIntact();
console.log(JSON.stringify(res));`, { TENSORFUSE_CACHE_DIR: join(freshDir('ftz-call'), 'c') });
    expect(r.code, describeChild(r)).toBe(0);
    expect(r.json).toMatchObject({ afterSync: true, after: true, sync: { tensorError: true }, async: { tensorError: true } });
    expect(r.json.sync.message).toMatch(/floating-point control/);
  });
});

describe('12: every library carries its key', () => {
  it('a library swapped in with its record is detected, removed and rebuilt (the right values, a warning)', async () => {
    const dir = join(freshDir('swap'), 'cache');
    // Two kernels with the same signature (one input, one scalar, one output) but different values.
    const G1 = 'tf.tensor([1, 4, 9]).mul(3).sqrt()', G2 = 'tf.tensor([1, 4, 9]).mul(3).log()';
    const expected = [1, 4, 9].map((v) => Math.sqrt(3 * v));
    const a = await runNode(`const key = (t) => /cache key: ([0-9a-f]{64})/.exec(t.explain())[1];
const g1 = ${G1}, g2 = ${G2};
const keys = { k1: key(g1), k2: key(g2) };
g1.eval(); g2.eval();
console.log(JSON.stringify(keys));`, { TENSORFUSE_CACHE_DIR: dir });
    expect(a.code, describeChild(a)).toBe(0);
    const { k1, k2 } = a.json as { k1: string; k2: string };
    copyFileSync(join(dir, `${k2}.so`), join(dir, `${k1}.so`));
    copyFileSync(join(dir, `${k2}.so.json`), join(dir, `${k1}.so.json`));
    const EVAL = `const t = ${G1}.eval(); console.log(JSON.stringify({ values: Array.from(t.data()), stats: tf.stats() }));`;
    const b = await runNode(EVAL, { TENSORFUSE_CACHE_DIR: dir });
    expect(b.code, describeChild(b)).toBe(0);
    expect(b.json.values).toEqual(expected);
    expect(b.json.stats).toMatchObject({ compiles: 1, diskHits: 0 });
    expect(warnings(b.stderr), b.stderr).toBe(1);
    expect(b.stderr).toContain(join(dir, `${k1}.so`));
    // The rebuilt library is the right one: a third process loads it from disk without a warning.
    const c = await runNode(EVAL, { TENSORFUSE_CACHE_DIR: dir });
    expect(c.json).toMatchObject({ values: expected, stats: { compiles: 0, diskHits: 1 } });
    expect(warnings(c.stderr), c.stderr).toBe(0);
  });
});

describe('13: build outputs that are not loadable libraries are CompileErrors, never committed', () => {
  it('custom C calling an undeclared function: a CompileError quoting the user\'s line', () => {
    const dir = freshDir('undecl');
    configure({ cacheDir: dir });
    const k = defineKernel('tf_calls_missing', { inputs: 1, c: 'for (int64_t i = 0; i < n; i++)\n  out[i] = tf_no_such_function(in0[i]);', ref: ([x], out) => out.set(x) });
    const err = thrown(() => k(tensor([1, 2])).eval());
    expect(err).toBeInstanceOf(CompileError);
    const msg = (err as Error).message;
    expect(msg).toContain('defineKernel tf_calls_missing');
    expect(msg).toContain('out[i] = tf_no_such_function(in0[i]);');
    expect(libraries(dir)).toEqual([]);
  });

  it.each([
    ['gcc (linked with -z defs)', false],
    ['a linker without -z defs (found when loading)', true],
  ])('custom C declaring a function nothing defines, %s: a CompileError quoting the call', (_label, noDefs) => {
    const dir = freshDir('undef');
    const cc = noDefs ? script(freshDir('nodefs-cc'), 'cc-nodefs', `#!/bin/sh
for a; do [ "$a" = "-Wl,-z,defs" ] && { echo "ld: unknown option: -z defs" >&2; exit 1; }; done
exec ${gccPath()} "$@"
`) : 'gcc';
    configure({ cacheDir: dir, cc });
    const k = defineKernel(noDefs ? 'tf_undef_nodefs' : 'tf_undef_defs', { inputs: 1, c: 'extern double tf_defined_nowhere(double);\nfor (int64_t i = 0; i < n; i++)\n  out[i] = tf_defined_nowhere(in0[i]);', ref: ([x], out) => out.set(x) });
    const err = thrown(() => k(tensor([1, 2])).eval());
    expect(err).toBeInstanceOf(CompileError);
    expect((err as Error).message).toContain('your C calls tf_defined_nowhere');
    expect((err as Error).message).toContain('line 3: out[i] = tf_defined_nowhere(in0[i]);');
    expect(libraries(dir)).toEqual([]);
  });

  it('a compiler that writes garbage: a CompileError naming the compiler, nothing committed', () => {
    const tools = freshDir('garbage-cc');
    const cc = script(tools, 'cc-garbage', `#!/bin/sh
out=""; prev=""
for a; do [ "$prev" = "-o" ] && out="$a"; prev="$a"; done
case "$out" in *.tmp) head -c 20000 /dev/urandom > "$out"; exit 0;; esac
exec ${gccPath()} "$@"
`);
    const dir = freshDir('garbage');
    configure({ cacheDir: dir, cc });
    const err = thrown(() => newGraph().t.eval());
    expect(err).toBeInstanceOf(CompileError);
    expect((err as Error).message).toMatch(/not a loadable shared library/);
    expect((err as Error).message).toContain(cc);
    expect(libraries(dir)).toEqual([]);
  });

  it.each(['-E', '-c', '-S', '-fsyntax-only'])('TENSORFUSE_CFLAGS=%s: a CompileError naming the flag, nothing committed', (flag) => {
    const dir = freshDir('noso');
    configure({ cacheDir: dir, cflags: flag });
    const err = thrown(() => newGraph().t.eval());
    expect(err).toBeInstanceOf(CompileError);
    expect((err as Error).message).toContain(flag);
    expect(libraries(dir)).toEqual([]);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp'))).toEqual([]);
  });
});

describe('14: cache I/O failures', () => {
  const EVALS = `const out = [];
for (const n of [21, 22, 23]) out.push(Array.from(${childGraph(0).replace('i < 0', 'i < n')}.eval().data()));
out.push(Array.from((await ${childGraph(24)}.evalAsync()).data()));
console.log(JSON.stringify({ out, stats: tf.stats() }));`;
  const EXPECTED = [21, 22, 23, 24].map(childExpected);
  const evalsRunWithOneWarning = async (dir: string, mentions: string): Promise<{ stderr: string; stats: { diskHits: number; compiles: number } }> => {
    const r = await runNode(EVALS, { TENSORFUSE_CACHE_DIR: dir });
    expect(r.code, describeChild(r)).toBe(0);
    expect(r.json.out).toEqual(EXPECTED);
    expect(warnings(r.stderr), r.stderr).toBe(1);
    expect(r.stderr).toContain(mentions);
    expect(r.stderr).toMatch(/CacheError/);
    return { stderr: r.stderr, stats: r.json.stats };
  };

  it('a library path that is a directory (EISDIR): evals run, one warning naming it', async () => {
    const dir = join(freshDir('eisdir'), 'cache');
    const k = await runNode(`console.log(JSON.stringify(/cache key: ([0-9a-f]{64})/.exec(${childGraph(21)}.explain())[1]));`, { TENSORFUSE_CACHE_DIR: dir });
    expect(k.code, describeChild(k)).toBe(0);
    mkdirSync(join(dir, `${k.json}.so`));
    await evalsRunWithOneWarning(dir, join(dir, `${k.json}.so`));
  });

  it('a cache path that is a regular file: evals run, one warning naming it', async () => {
    const file = join(freshDir('enotdir'), 'cache');
    writeFileSync(file, 'not a directory');
    await evalsRunWithOneWarning(file, file);
  });

  it.skipIf(!MOUNT)('a read-only cache (tmpfs -o ro): hits still load, misses compile privately, one warning', async () => {
    const at = tmpfs('size=8m');
    const warm = await runNode(`${childGraph(21)}.eval(); console.log(JSON.stringify(tf.stats()));`, { TENSORFUSE_CACHE_DIR: at });
    expect(warm.json, describeChild(warm)).toMatchObject({ compiles: 1 });
    execFileSync('mount', ['-o', 'remount,ro', at]);
    const { stderr, stats: s } = await evalsRunWithOneWarning(at, at);
    expect(stderr).toMatch(/read-only/i);
    expect(s, 'the library compiled before the remount is loaded from the read-only cache').toMatchObject({ diskHits: 1, compiles: 3 });
  });

  it.skipIf(!MOUNT)('a full cache (ENOSPC on a tiny tmpfs): evals run, one warning', async () => {
    const at = tmpfs('size=96k');
    spawnSync('sh', ['-c', `head -c 200000 /dev/zero > ${at}/filler`]);
    await evalsRunWithOneWarning(at, at);
    expect(readdirSync(at).filter((n) => n.includes('.tmp')), 'no temp files left').toEqual([]);
  });

  it.skipIf(!MOUNT)('a noexec cache ("failed to map segment"): evals run, one warning', async () => {
    const at = tmpfs('size=8m,noexec');
    await evalsRunWithOneWarning(at, at);
  });

  it('temp files older than an hour are removed; younger ones (a live compile) are kept', async () => {
    const dir = join(freshDir('stale'), 'cache');
    mkdirSync(dir, { mode: 0o700 });
    const old = join(dir, `${'a'.repeat(64)}.so.4242.deadbeef.tmp`);
    const young = join(dir, `${'b'.repeat(64)}.so.4243.deadbeef.tmp`);
    writeFileSync(old, 'x');
    writeFileSync(young, 'x');
    const hoursAgo = Date.now() / 1000 - 2 * 3600;
    utimesSync(old, hoursAgo, hoursAgo);
    const r = await runNode(`${childGraph(25)}.eval(); console.log(JSON.stringify(tf.stats()));`, { TENSORFUSE_CACHE_DIR: dir });
    expect(r.code, describeChild(r)).toBe(0);
    expect(existsSync(old), 'the stale temp file').toBe(false);
    expect(existsSync(young), 'the young temp file').toBe(true);
  });

  it('cache clear and prune running beside live processes never make their evals fail', async () => {
    const dir = join(freshDir('clear-race'), 'cache');
    const DIST_CACHE = JSON.stringify(new URL('../dist/runtime/cache.js', import.meta.url).href);
    const DIST_PRUNE = JSON.stringify(new URL('../dist/cli/cache.js', import.meta.url).href);
    const worker = (seed: number): string => `const failures = []; let ok = 0;
for (let i = 0; i < 24; i++) {
  const n = ${seed} + i;
  try {
    const t = ${childGraph(0).replace('i < 0', 'i < n')};
    const v = i % 3 === 2 ? await t.evalAsync() : t.eval();
    if (JSON.stringify(Array.from(v.data())) === JSON.stringify([0, 1, 2].map((x) => Math.sqrt(x + n)))) ok++;
    else failures.push('wrong values');
  } catch (e) { failures.push(e.message.split('\\n')[0]); }
}
console.log(JSON.stringify({ ok, failures }));`;
    const clearer = runNode(`import { clearCache } from ${DIST_CACHE}; import { prune } from ${DIST_PRUNE};
const end = Date.now() + 5000; let rounds = 0;
while (Date.now() < end) { try { clearCache(); prune(0); rounds++; } catch {} await new Promise((r) => setTimeout(r, 2)); }
console.log(JSON.stringify({ rounds }));`, { TENSORFUSE_CACHE_DIR: dir });
    // Two workers share kernels (the same n), so one finds on disk what the other just wrote.
    const [a, b, c] = await Promise.all([runNode(worker(5), { TENSORFUSE_CACHE_DIR: dir }), runNode(worker(5), { TENSORFUSE_CACHE_DIR: dir }), clearer]);
    expect(c.code, describeChild(c)).toBe(0);
    for (const r of [a, b]) {
      expect(r.code, describeChild(r)).toBe(0);
      expect(r.json, describeChild(r)).toEqual({ ok: 24, failures: [] });
    }
  }, 120_000);
});

describe('15: a compiler that hangs', () => {
  const hanging = (): { cc: string; pidFile: string } => {
    const tools = freshDir('hang-cc');
    const pidFile = join(tools, 'grandchild.pid');
    const cc = script(tools, 'cc-hang', `#!/bin/sh
${IS_COMPILE}
if [ -n "$compile" ]; then sleep 300 & echo $! > ${JSON.stringify(pidFile)}; sleep 300; fi
exec ${gccPath()} "$@"
`);
    return { cc, pidFile };
  };
  // A killed process whose parent died too is a zombie until something reaps it: that counts as gone.
  const alive = (pid: number): boolean => {
    try {
      return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return false;
    }
  };

  it('TENSORFUSE_COMPILE_TIMEOUT=2: eval and evalAsync fail after ~2 s saying so, and the compiler\'s children are gone', async () => {
    const { cc, pidFile } = hanging();
    const r = await runNode(`const res = {};
for (const [k, run] of [['sync', () => ${childGraph(31)}.eval()], ['async', () => ${childGraph(32)}.evalAsync()]]) {
  const t0 = Date.now();
  try { await run(); res[k] = 'returned'; } catch (e) { res[k] = { name: e.name, message: e.message, s: (Date.now() - t0) / 1000 }; }
}
console.log(JSON.stringify(res));`, { CC: cc, TENSORFUSE_COMPILE_TIMEOUT: '2', TENSORFUSE_CACHE_DIR: join(freshDir('hang'), 'c') }, 40_000);
    expect(r.code, describeChild(r)).toBe(0);
    for (const k of ['sync', 'async']) {
      expect(r.json[k], k).toMatchObject({ name: 'CompileError' });
      expect(r.json[k].message, k).toMatch(/timed out after 2 s/);
      expect(r.json[k].message, k).toContain(cc);
      expect(r.json[k].s, k).toBeLessThan(8);
    }
    await new Promise((res) => setTimeout(res, 200));
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(grandchild), `grandchild ${grandchild} of the compiler`).toBe(false);
  }, 60_000);

  it('configure({ compileTimeout }) sets it too, and is validated', () => {
    const { cc } = hanging();
    expect(() => configure({ compileTimeout: -1 })).toThrow(/compileTimeout must be a positive number of seconds/);
    expect(() => configure({ compileTimeout: 'x' as unknown as number })).toThrow(TensorError);
    configure({ cc, cacheDir: freshDir('hang-cfg'), compileTimeout: 1 });
    const t0 = performance.now();
    const err = thrown(() => newGraph().t.eval());
    expect(err).toBeInstanceOf(CompileError);
    expect((err as Error).message).toMatch(/timed out after 1 s/);
    expect(performance.now() - t0).toBeLessThan(6000);
  });
});

describe('16: one compile per kernel, in a process and across processes', () => {
  /** A compiler wrapper that logs each compile of a program and takes a second over it. */
  const slowLoggingCC = (): { cc: string; log: string } => {
    const tools = freshDir('slow-cc');
    const log = join(tools, 'log');
    const cc = script(tools, 'cc-slow', `#!/bin/sh
${IS_COMPILE}
if [ -n "$compile" ]; then echo "$*" >> ${JSON.stringify(log)}; sleep 1; fi
exec ${gccPath()} "$@"
`);
    return { cc, log };
  };
  const compiles = (log: string): number => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).length : 0);

  it('16 concurrent evalAsync of one new kernel compile it once', async () => {
    const { cc, log } = slowLoggingCC();
    configure({ cc, cacheDir: freshDir('inflight') });
    const s0 = stats();
    const make = () => tensor([1, 2, 3]).mul(7).add(0.5).exp().sqrt();
    const results = await Promise.all(Array.from({ length: 16 }, () => make().evalAsync()));
    const want = Array.from(make().eval({ backend: 'ts' }).data());
    for (const r of results) expect(Array.from(r.data())).toEqual(want);
    expect(compiles(log)).toBe(1);
    expect(stats().compiles - s0.compiles).toBe(1);
  });

  it('four processes evaluating one new kernel on one fresh cache compile it once', async () => {
    const { cc, log } = slowLoggingCC();
    const dir = join(freshDir('xproc'), 'cache');
    const body = `const v = ${childGraph(41)}.eval(); console.log(JSON.stringify({ values: Array.from(v.data()), stats: tf.stats() }));`;
    const rs = await Promise.all([0, 1, 2, 3].map(() => runNode(body, { CC: cc, TENSORFUSE_CACHE_DIR: dir })));
    for (const r of rs) {
      expect(r.code, describeChild(r)).toBe(0);
      expect(r.json.values).toEqual(childExpected(41));
    }
    expect(compiles(log)).toBe(1);
    expect(rs.reduce((n, r) => n + r.json.stats.compiles, 0)).toBe(1);
  }, 60_000);

  it('a lock left by a dead process does not block', async () => {
    const dir = join(freshDir('deadlock'), 'cache');
    const k = await runNode(`console.log(JSON.stringify(/cache key: ([0-9a-f]{64})/.exec(${childGraph(42)}.explain())[1]));`, { TENSORFUSE_CACHE_DIR: dir });
    expect(k.code, describeChild(k)).toBe(0);
    const dead = spawnSync('true').pid!;
    writeFileSync(join(dir, `${k.json}.lock`), `${dead}\n`);
    const t0 = Date.now();
    const r = await runNode(`const t = ${childGraph(42)}.eval(); console.log(JSON.stringify({ values: Array.from(t.data()), stats: tf.stats() }));`,
      { TENSORFUSE_CACHE_DIR: dir, TENSORFUSE_COMPILE_TIMEOUT: '60' });
    expect(r.code, describeChild(r)).toBe(0);
    expect(r.json).toMatchObject({ values: childExpected(42), stats: { compiles: 1 } });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(existsSync(join(dir, `${k.json}.lock`))).toBe(false);
  });
});

describe('17: toolchain features are probed, not assumed', () => {
  const rejecting = (word: string): string => script(freshDir('reject-cc'), 'cc-reject', `#!/bin/sh
for a; do [ "$a" = "${word}" ] && { echo "cc-reject: error: unsupported option '${word}'" >&2; exit 1; }; done
exec ${gccPath()} "$@"
`);
  const CLI = new URL('../dist/cli.js', import.meta.url).pathname;

  it.each([
    ['-fopenmp', /OpenMP\s+not available/],
    ['-lmvec', /libmvec\s+not available/],
  ])('a compiler that rejects %s: evals work and match the reference; doctor reports it', async (word, doctorSays) => {
    const cc = rejecting(word);
    const dir = join(freshDir('reject'), 'cache');
    const r = await runNode(`const x = tf.arange(0, 1 << 18).mul(1e-4); // 2^18: large enough for split (per-thread) reductions
const make = () => tf.evalAll(x.sin().exp().log1p(), x.cast('float32').exp().sum(), x.softmax());
const c = make().map((t) => Array.from(t.data()));
const r = [x.sin().exp().log1p(), x.cast('float32').exp().sum(), x.softmax()].map((t) => Array.from(t.eval({ backend: 'ts' }).data()));
const err = c.flatMap((v, i) => v.map((y, j) => Math.abs(y - r[i][j]) / Math.max(1, Math.abs(r[i][j])))).reduce((m, e) => Math.max(m, e), 0);
const maps = (await import('node:fs')).readFileSync('/proc/self/maps', 'utf8');
console.log(JSON.stringify({ err, stats: tf.stats(), loaded: { gomp: maps.includes('libgomp'), mvec: maps.includes('libmvec') } }));`, { CC: cc, TENSORFUSE_CACHE_DIR: dir, TENSORFUSE_THREADS: '2' });
    expect(r.code, describeChild(r)).toBe(0);
    expect(r.json.err, "relative error against the reference").toBeLessThan(1e-5);
    expect(r.json.stats.compiles).toBeGreaterThan(0);
    // What was not available is not linked either (serial kernels; scalar libm).
    expect(r.json.loaded[word === '-fopenmp' ? 'gomp' : 'mvec'], JSON.stringify(r.json.loaded)).toBe(false);
    const doc = spawnSync(process.execPath, [CLI, 'doctor'], { encoding: 'utf8', env: { ...process.env, CC: cc, TENSORFUSE_CACHE_DIR: dir } });
    expect(doc.stdout).toMatch(doctorSays);
    expect(doc.stdout).toContain('tensorfuse is healthy');
    expect(doc.status, doc.stdout + doc.stderr).toBe(0);
  }, 60_000);
});

describe('18: sanitizer flags that need a preloaded runtime', () => {
  it('TENSORFUSE_CFLAGS=-fsanitize=address is refused with how to use it, instead of killing the process', async () => {
    const r = await runNode(`const res = {};
try { ${childGraph(51)}.eval(); res.sync = 'returned'; } catch (e) { res.sync = { tensorError: e instanceof tf.TensorError, message: e.message }; }
console.log(JSON.stringify(res));`, { TENSORFUSE_CFLAGS: '-g -fsanitize=address,undefined', TENSORFUSE_CACHE_DIR: join(freshDir('asan'), 'c') });
    expect(r.signal, describeChild(r)).toBe(null);
    expect(r.code, describeChild(r)).toBe(0);
    expect(r.json.sync.tensorError).toBe(true);
    expect(r.json.sync.message).toMatch(/-fsanitize=address/);
    expect(r.json.sync.message).toContain('LD_PRELOAD=$(cc -print-file-name=libasan.so)');
  });

  it('with the ASan runtime preloaded, -fsanitize=address is allowed and evals run', async () => {
    const libasan = execFileSync('gcc', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).trim();
    const r = await runNode(`const t = ${childGraph(52)}.eval(); console.log(JSON.stringify({ values: Array.from(t.data()) }));`,
      { TENSORFUSE_CFLAGS: '-fsanitize=address', LD_PRELOAD: libasan, ASAN_OPTIONS: 'detect_leaks=0', TENSORFUSE_CACHE_DIR: join(freshDir('asan-ok'), 'c') });
    expect(r.code, describeChild(r)).toBe(0);
    expect(r.json.values).toEqual(childExpected(52));
  });
});

