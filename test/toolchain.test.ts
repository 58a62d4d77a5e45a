/**
 * The compiler side of the C backend, for real: what goes into the cache key (CC, TENSORFUSE_CFLAGS),
 * refusing fast-math, falling back to the reference when there is no compiler, CompileError, and
 * Node's own double math surviving the libraries we load (SPEC §1 Configuration, §3, §4).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.js';
import { CompileError, TensorError, configure, stats, tensor } from '../src/index.js';
import { reloadEnvironment } from '../src/config.js';
import { ROOT, describeChild, ensureDist, gccPath, removeScripts, runNode, script, tempDir, newGraph as sharedNewGraph } from './child.js';

const dirs: string[] = [];
const freshDir = (prefix: string): string => {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
};

// The in-process tests start from CC=gcc, no extra flags and the C backend (explicitly: with no
// compiler they must fail, not pass on the reference backend), whatever the environment says. Some
// set CC and TENSORFUSE_CFLAGS themselves, in the environment, as a user would.
const savedEnv = { CC: process.env.CC, TENSORFUSE_CFLAGS: process.env.TENSORFUSE_CFLAGS };
function baseline(): void {
  configure({ backend: 'c', cacheDir: undefined, cc: undefined, cflags: undefined });
  process.env.CC = 'gcc';
  process.env.TENSORFUSE_CFLAGS = '';
  reloadEnvironment(); // tensorfuse reads the environment once; these tests change it in-process
}
beforeAll(async () => {
  baseline();
  await ensureDist();
}, 120_000);
afterEach(baseline);
afterAll(() => {
  configure({ backend: undefined });
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  reloadEnvironment();
  removeScripts();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A compiler wrapper that appends each command line it gets to `log`, then runs gcc. */
function loggingCC(dir: string, log: string): string {
  return script(dir, 'cc-log', `#!/bin/sh\nprintf '%s\\n' "$*" >> ${JSON.stringify(log)}\nexec ${gccPath()} "$@"\n`);
}

const readLines = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n') : []);
const libraries = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.so')).sort();

const newGraph = () => sharedNewGraph(40);

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, but the call returned');
}

describe('the cache key follows the compiler and the flags', () => {
  it('CC and TENSORFUSE_CFLAGS changes compile anew (quoted and multi-word CC work); going back does not', () => {
    const dir = freshDir('key');
    const tools = join(freshDir('key-cc'), 'with space');
    mkdirSync(tools);
    const log = join(tools, 'log');
    const wrapper = loggingCC(tools, log);
    configure({ cacheDir: dir });
    const g = (): Tensor => tensor([1, 4, 9]).sqrt().mul(3).add(0.25);
    const steps: [label: string, cc: string, cflags: string, compiles: number][] = [
      ['CC=gcc', 'gcc', '', 1],
      [`CC=${gccPath()}`, gccPath(), '', 1],
      ['CC=a quoted path with a space (a wrapper that execs gcc)', `'${wrapper}'`, '', 1],
      ['CC="env TF_UNUSED=1 gcc" (several words)', 'env TF_UNUSED=1 gcc', '', 1],
      ['CC=gcc again', 'gcc', '', 0],
      ['TENSORFUSE_CFLAGS=-O2', 'gcc', '-O2', 1],
      ['TENSORFUSE_CFLAGS=-O2 through the wrapper', `'${wrapper}'`, '-O2', 1],
      ['TENSORFUSE_CFLAGS="-O2 -DTF_UNUSED=2"', 'gcc', '-O2 -DTF_UNUSED=2', 1],
    ];
    let expectedLibraries = 0;
    for (const [label, cc, cflags, compiles] of steps) {
      process.env.CC = cc;
      process.env.TENSORFUSE_CFLAGS = cflags;
      reloadEnvironment();
      const s0 = stats();
      const t = g().eval();
      expect(Array.from(t.data()), label).toEqual([3.25, 6.25, 9.25]);
      expect(stats().compiles - s0.compiles, `${label}: compiles`).toBe(compiles);
      expectedLibraries += compiles;
      expect(libraries(dir), `${label}: libraries in the cache dir`).toHaveLength(expectedLibraries);
    }
    // The wrapper compiled twice; the user's flags came after the defaults, so they win.
    const compilesSeen = readLines(log).filter((l) => / -o /.test(l) && !l.includes('tf-probe')); // not the toolchain's feature probe
    expect(compilesSeen).toHaveLength(2);
    expect(compilesSeen[0]).not.toMatch(/-O2/);
    expect(compilesSeen[1]).toMatch(/-O3 .*-O2 /);
  });

  const refused: [label: string, cc: string, cflags: string, flag: string][] = [
    ['TENSORFUSE_CFLAGS=-ffast-math', 'gcc', '-ffast-math', '-ffast-math'],
    ['TENSORFUSE_CFLAGS="-O2 -ffast-math"', 'gcc', '-O2 -ffast-math', '-ffast-math'],
    ['TENSORFUSE_CFLAGS=-Ofast', 'gcc', '-Ofast', '-Ofast'],
    ["TENSORFUSE_CFLAGS=\"'-ffast-math'\" (quoted)", 'gcc', "'-ffast-math'", '-ffast-math'],
    ['CC="gcc -ffast-math"', 'gcc -ffast-math', '', '-ffast-math'],
  ];
  it.each(refused)('%s is refused with a TensorError explaining crtfastmath', (_label, cc, cflags, flag) => {
    const dir = freshDir('fastmath');
    configure({ cacheDir: dir });
    process.env.CC = cc;
    process.env.TENSORFUSE_CFLAGS = cflags;
    reloadEnvironment();
    const s0 = stats();
    const err = thrown(() => newGraph().t.eval());
    expect(err).toBeInstanceOf(TensorError);
    const msg = (err as Error).message;
    expect(msg).toContain(flag);
    expect(msg).toMatch(cflags ? /TENSORFUSE_CFLAGS/ : /\bCC\b/);
    expect(msg).toMatch(/crtfastmath/);
    expect(msg).toMatch(/flush-to-zero/);
    expect(stats().compiles - s0.compiles, 'nothing compiled').toBe(0);
    expect(libraries(dir)).toEqual([]);
  });
});

describe('CompileError', () => {
  const cases: [label: string, cflags: string, inStderr: string][] = [
    ['an unknown flag', '-fno-such-flag', 'fno-such-flag'],
    ['a missing forced include', '-DTF_X=1 -include /nonexistent/tf-missing.h', 'tf-missing.h'],
  ];
  it.each(cases)('%s gives a CompileError with the compiler stderr and an existing .c file (eval and evalAsync)', async (_label, cflags, inStderr) => {
    const dir = freshDir('cerr');
    configure({ cacheDir: dir, cflags });
    const check = (err: unknown): void => {
      expect(err).toBeInstanceOf(CompileError);
      expect(err).toBeInstanceOf(TensorError);
      const e = err as CompileError;
      expect(e.stderr).toContain(inStderr);
      expect(e.cPath.endsWith('.c'), e.cPath).toBe(true);
      expect(dirname(e.cPath)).toBe(dir);
      expect(existsSync(e.cPath), `${e.cPath} exists`).toBe(true);
      expect(readFileSync(e.cPath, 'utf8')).toContain('tf_program');
      expect(e.message).toContain(e.cPath);
      expect(e.message).toMatch(/error/);
    };
    const { t, expected } = newGraph();
    check(thrown(() => t.eval()));
    check(await t.evalAsync().then(() => undefined, (e: unknown) => e));
    const left = readdirSync(dir);
    expect(left.filter((n) => n.includes('.tmp') || n.endsWith('.so')), 'no library and no temp files left').toEqual([]);
    // The failure is not remembered: with the flags fixed, the same tensor evaluates.
    configure({ cflags: undefined });
    expect(Array.from(t.eval().data())).toEqual(expected);
  });
});

describe('with no C compiler', () => {
  // Several evals, one async, one through data(): the warning must still come once.
  const EVALS = `
const out = [];
for (const k of [1, 2, 3]) { const t = tf.tensor([1, 4, 9]).sqrt().mul(k); t.eval(); out.push(Array.from(t.data())); }
const u = tf.tensor([1, -2]).relu().add(0.5); await u.evalAsync(); out.push(Array.from(u.data()));
out.push(Array.from(tf.tensor([[1, 2], [3, 4]]).sum(1).data()));
console.log(JSON.stringify({ out, stats: tf.stats() }));`;
  const EXPECTED = [[1, 2, 3], [2, 4, 6], [3, 6, 9], [1.5, 0.5], [3, 7]];
  const warnings = (stderr: string): number => stderr.split('TensorfuseWarning').length - 1;

  it('the default backend falls back to the reference with exactly one warning', async () => {
    const r = await runNode(EVALS, { CC: '/nonexistent/cc', TENSORFUSE_CACHE_DIR: join(freshDir('nocc'), 'cache') });
    expect(r.code, describeChild(r)).toBe(0);
    expect(r.json.out).toEqual(EXPECTED);
    expect(r.json.stats).toMatchObject({ compiles: 0, diskHits: 0, memoryHits: 0, evals: 5 });
    expect(warnings(r.stderr), r.stderr).toBe(1);
    expect(r.stderr).toContain('/nonexistent/cc');
    expect(r.stderr).toMatch(/TENSORFUSE_BACKEND=ts/);
  });

  it('TENSORFUSE_BACKEND=c throws CompilerNotFoundError instead (eval and evalAsync)', async () => {
    const r = await runNode(`
const describe = (e) => ({ name: e.name, notFound: e instanceof tf.CompilerNotFoundError, tensorError: e instanceof tf.TensorError, message: e.message });
const res = {};
try { tf.tensor([1, 2]).add(1).eval(); res.sync = 'returned'; } catch (e) { res.sync = describe(e); }
try { await tf.tensor([1, 2]).add(2).evalAsync(); res.async = 'returned'; } catch (e) { res.async = describe(e); }
console.log(JSON.stringify(res));`, { CC: '/nonexistent/cc', TENSORFUSE_BACKEND: 'c', TENSORFUSE_CACHE_DIR: join(freshDir('nocc-c'), 'cache') });
    expect(r.code, describeChild(r)).toBe(0);
    for (const k of ['sync', 'async']) {
      expect(r.json[k], k).toMatchObject({ name: 'CompilerNotFoundError', notFound: true, tensorError: true });
      expect(r.json[k].message, k).toContain('/nonexistent/cc');
    }
    expect(warnings(r.stderr), r.stderr).toBe(0);
  });

  it('TENSORFUSE_BACKEND=ts evaluates on the reference without touching the compiler or the cache', async () => {
    const tools = freshDir('ts-cc');
    const log = join(tools, 'log');
    const cc = loggingCC(tools, log);
    const cache = join(tools, 'cache');
    const r = await runNode(EVALS, { CC: cc, TENSORFUSE_BACKEND: 'ts', TENSORFUSE_CACHE_DIR: cache });
    expect(r.code, describeChild(r)).toBe(0);
    expect(r.json.out).toEqual(EXPECTED);
    expect(r.json.stats).toMatchObject({ compiles: 0, diskHits: 0, memoryHits: 0, evals: 5 });
    expect(warnings(r.stderr), r.stderr).toBe(0);
    expect(readLines(log), 'compiler invocations').toEqual([]);
    expect(existsSync(cache), 'cache dir created').toBe(false);
    // Control: the same wrapper and script on the C backend do run the compiler.
    const c = await runNode(EVALS, { CC: cc, TENSORFUSE_CACHE_DIR: cache });
    expect(c.code, describeChild(c)).toBe(0);
    expect(c.json.out).toEqual(EXPECTED);
    expect(c.json.stats.compiles).toBeGreaterThan(0);
    expect(readLines(log).length).toBeGreaterThan(0);
  });
});

describe('the compiler probe is remembered', () => {
  it('a second process with the same compiler and cache dir runs no probe, and a changed compiler file is probed again', async () => {
    const tools = freshDir('probe-cc');
    const log = join(tools, 'log');
    const cc = loggingCC(tools, log);
    const cache = join(tools, 'cache');
    const probes = () => readLines(log).filter((l) => /--version|-dumpmachine|--help=target/.test(l)).length;
    const EVALS = 'console.log(JSON.stringify({ out: tf.tensor([1, 2, 3]).mul(2).add(1).toArray(), stats: tf.stats() }));';
    const EXPECTED = [3, 5, 7];
    const first = await runNode(EVALS, { CC: cc, TENSORFUSE_CACHE_DIR: cache });
    expect(first.code, describeChild(first)).toBe(0);
    expect(probes()).toBe(3);
    const second = await runNode(EVALS, { CC: cc, TENSORFUSE_CACHE_DIR: cache });
    expect(second.code, describeChild(second)).toBe(0);
    expect(second.json.out).toEqual(EXPECTED);
    expect(second.json.stats).toMatchObject({ compiles: 0 });
    expect(probes(), 'no new probe').toBe(3);
    // Touching the compiler (a new mtime and size) invalidates what was remembered.
    writeFileSync(cc, `${readFileSync(cc, 'utf8')}# changed\n`);
    const third = await runNode(EVALS, { CC: cc, TENSORFUSE_CACHE_DIR: cache });
    expect(third.code, describeChild(third)).toBe(0);
    expect(probes(), 'probed again').toBe(6);
  });
});

describe("Node's double math after loading and running kernels", () => {
  const KOFFI = pathToFileURL(join(ROOT, 'node_modules', 'koffi', 'index.js')).href;
  // JSON.parse keeps V8 from folding the probes at compile time; they run on the main thread's MXCSR.
  const PROBE = `
const p = JSON.parse('{"tiny": 2.2250738585072014e-308, "min": 5e-324}');
const probe = () => ({ tinyHalfPositive: p.tiny / 2 > 0, minPositive: p.min > 0, minHalfZero: p.min / 2 === 0, tinyHalf: p.tiny / 2 });`;

  it('denormals survive exp/log/sin (libmvec) and OpenMP kernels, and the process exits cleanly', async () => {
    const dir = join(freshDir('denormal'), 'cache');
    const r = await runNode(`
import { readFileSync } from 'node:fs';
${PROBE}
const threads = () => Number(/^Threads:\\s+(\\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
const maxErr = (t, f) => { const d = t.data(); let m = 0; d.forEach((v, i) => { m = Math.max(m, Math.abs(v - f(i))); }); return m; };
const before = probe();
const x = tf.arange(0, 64).mul(0.1);
const a = x.exp().log().sin().eval();
const b = tf.arange(0, 64).mul(0.02).cast('float32').exp().cos().log1p().eval();
const n = 1 << 18;
const t0 = threads();
const c = tf.arange(0, n).mul(1e-5).exp().sin().eval();
const t1 = threads();
const d = tf.arange(0, n).mul(1e-5).tanh().sum().eval();
const after = probe();
const maps = readFileSync('/proc/self/maps', 'utf8');
console.log(JSON.stringify({
  before, after, stats: tf.stats(), workers: t1 - t0,
  loaded: { mvec: maps.includes('libmvec'), gomp: maps.includes('libgomp') },
  err: {
    a: maxErr(a, (i) => Math.sin(Math.log(Math.exp(i * 0.1)))),
    b: maxErr(b, (i) => Math.fround(Math.log1p(Math.fround(Math.cos(Math.fround(Math.exp(Math.fround(i * 0.02)))))))),
    c: maxErr(c, (i) => Math.sin(Math.exp(i * 1e-5))),
    d: Math.abs(d.item() - Array.from({ length: n }, (_, i) => Math.tanh(i * 1e-5)).reduce((s, v) => s + v, 0)),
  },
}));`, { CC: 'gcc', TENSORFUSE_CACHE_DIR: dir, TENSORFUSE_THREADS: '4' });
    expect(r.signal, describeChild(r)).toBe(null);
    expect(r.code, describeChild(r)).toBe(0);
    const j = r.json;
    const intact = { tinyHalfPositive: true, minPositive: true, minHalfZero: true, tinyHalf: 1.1125369292536007e-308 };
    expect(j.before).toEqual(intact);
    expect(j.after).toEqual(intact);
    expect(j.stats.compiles).toBe(4);
    expect(j.loaded).toEqual({ mvec: true, gomp: true });
    expect(j.workers, 'OpenMP worker threads started for the 2^18-element kernel').toBeGreaterThanOrEqual(3);
    expect(j.err.a).toBeLessThan(1e-12);
    expect(j.err.b).toBeLessThan(1e-5);
    expect(j.err.c).toBeLessThan(1e-12);
    expect(j.err.d).toBeLessThan(1e-6);
    const libs = libraries(dir);
    expect(libs).toHaveLength(4);
    for (const so of libs) {
      const bytes = readFileSync(join(dir, so));
      expect(bytes.includes('set_fast_math'), `${so} contains crtfastmath's set_fast_math`).toBe(false);
      expect(execFileSync('nm', [join(dir, so)], { encoding: 'utf8' })).not.toMatch(/set_fast_math/);
    }
  });

  it('control: the probe and the symbol check do catch a library built with -ffast-math', async () => {
    const dir = freshDir('fastmath-control');
    writeFileSync(join(dir, 'f.c'), 'int tf_unused(void) { return 1; }\n');
    const so = join(dir, 'f.so');
    execFileSync('gcc', ['-shared', '-fPIC', '-ffast-math', '-o', so, join(dir, 'f.c')]);
    expect(readFileSync(so).includes('set_fast_math')).toBe(true);
    const r = await runNode(`
import koffi from ${JSON.stringify(KOFFI)};
${PROBE}
const before = probe();
koffi.load(${JSON.stringify(so)});
console.log(JSON.stringify({ before, after: probe() }));`, {});
    expect(r.code, describeChild(r)).toBe(0);
    expect(r.json.before.tinyHalfPositive).toBe(true);
    expect(r.json.after).toMatchObject({ tinyHalfPositive: false, minPositive: false });
  });
});
