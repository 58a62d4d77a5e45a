/**
 * The kernel cache, for real: the in-memory program cache, the disk cache seen from new processes,
 * two processes compiling the same kernel at once, corrupt libraries, and the cache directory's
 * permissions (SPEC §3, "The disk cache key ..."; §4 CacheError). Nothing is mocked: children are real
 * Node processes running dist/, the compiler is the system's gcc.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.js';
import { CacheError, configure, stats, tensor } from '../src/index.js';
import { describeChild, gccPath, realCompiles, runNode, script, newGraph as sharedNewGraph } from './child.js';

// The in-process tests pin gcc, no extra flags and the C backend (explicitly: with no compiler these
// tests must fail, not pass quietly on the reference backend), whatever the environment says.
const freshDir = realCompiles({ backend: 'c', cc: 'gcc', cflags: '', cacheDir: undefined });

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The cache directory's files by kind (the remembered compiler probe, toolchain-*.json, aside). */
function listing(dir: string): { so: string[]; c: string[]; json: string[]; tmp: string[]; other: string[] } {
  const names = readdirSync(dir).filter((n) => !/^toolchain-[0-9a-f]+\.json$/.test(n));
  return {
    so: names.filter((n) => n.endsWith('.so')),
    c: names.filter((n) => n.endsWith('.c')),
    json: names.filter((n) => n.endsWith('.so.json')),
    tmp: names.filter((n) => n.includes('.tmp')),
    other: names.filter((n) => !/\.(so|c|so\.json)$/.test(n)),
  };
}

/** Asserts the one library in `dir` matches its hash record; returns its path and hash. */
function intactLibrary(dir: string): { path: string; sha: string } {
  const l = listing(dir);
  expect(l, `cache dir ${dir}`).toMatchObject({ so: [expect.any(String)], json: [`${l.so[0]}.json`], tmp: [], other: [] });
  const path = join(dir, l.so[0]);
  const bytes = readFileSync(path);
  const meta = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as { sha256: string; size: number };
  expect({ size: bytes.length, sha256: sha256(bytes) }, `${path} against its hash record`).toEqual(meta);
  // An ELF shared object, not just self-consistent bytes.
  expect(bytes.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
  return { path, sha: meta.sha256 };
}

// The child processes' graph: 0.5 + 3*x, then sqrt (correctly rounded in C and JS alike).
const CHILD_EVAL = `
const x = tf.tensor([1, 2, 3, 4]);
const y = tf.full([4], 0.5).axpy(x, 3).sqrt();
y.eval();
console.log(JSON.stringify({ values: Array.from(y.data()), stats: tf.stats() }));`;
const CHILD_EXPECTED = [1, 2, 3, 4].map((v) => Math.sqrt(0.5 + 3 * v));

/** Runs the child graph with `dir` as cache and checks it ran to completion with the right values. */
async function childEval(dir: string, env: Record<string, string> = {}): Promise<{ compiles: number; diskHits: number; memoryHits: number }> {
  const r = await runNode(CHILD_EVAL, { TENSORFUSE_CACHE_DIR: dir, CC: 'gcc', ...env });
  expect(r.code, describeChild(r)).toBe(0);
  expect(r.json?.values, describeChild(r)).toEqual(CHILD_EXPECTED);
  return r.json.stats;
}

const newGraph = () => sharedNewGraph(10);

describe('memory cache', () => {
  it('evaluates the same graph again with new data and new scalars without compiling', () => {
    const g = (x: Tensor, a: number): Tensor => x.mul(a).add(1).relu();
    const s0 = stats();
    const first = g(tensor([1, -2, 3]), 2).eval();
    const s1 = stats();
    const second = g(tensor([-1, 4, 0.5]), -3).eval();
    const s2 = stats();
    expect(Array.from(first.data())).toEqual([3, 0, 7]);
    expect(Array.from(second.data())).toEqual([4, 0, 0]);
    expect({ compiles: s1.compiles - s0.compiles, memoryHits: s1.memoryHits - s0.memoryHits }, 'first eval').toEqual({ compiles: 1, memoryHits: 0 });
    expect({ compiles: s2.compiles - s1.compiles, memoryHits: s2.memoryHits - s1.memoryHits, diskHits: s2.diskHits - s1.diskHits }, 'second eval')
      .toEqual({ compiles: 0, memoryHits: 1, diskHits: 0 });
  });
});

describe('disk cache across processes', () => {
  it('a second process with the same cache dir loads the library from disk without compiling', async () => {
    const dir = freshDir('disk');
    const a = await childEval(dir);
    expect(a, 'process A').toMatchObject({ compiles: 1, diskHits: 0 });
    const b = await childEval(dir);
    expect(b, 'process B').toMatchObject({ compiles: 0, diskHits: 1, memoryHits: 0 });
    intactLibrary(dir);
  });

  it('two processes needing the same new kernel at once: one compiles, the other waits for it and loads it', async () => {
    const dir = freshDir('race');
    const tools = freshDir('race-cc');
    const log = join(tools, 'log');
    // A compiler that takes half a second over each program, so the two processes really overlap.
    const cc = script(tools, 'cc-slow', `#!/bin/sh
prev=""; for a; do if [ "$prev" = "-o" ]; then case "$a" in *.tmp) echo "$a" >> "$TF_LOG"; sleep 0.5;; esac; fi; prev="$a"; done
exec ${gccPath()} "$@"
`);
    const env = { CC: cc, TF_LOG: log };
    const [a, b] = await Promise.all([childEval(dir, env), childEval(dir, env)]);
    expect([a.compiles + b.compiles, a.diskHits + b.diskHits], 'one compile, one disk hit').toEqual([1, 1]);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
    intactLibrary(dir);
    expect(listing(dir).c).toHaveLength(1);
    const c = await childEval(dir, env);
    expect(c, 'a third process').toMatchObject({ compiles: 0, diskHits: 1 });
  });
});

describe('corrupt libraries are detected and rebuilt by a new process', () => {
  let dir: string;
  let original: { path: string; sha: string };
  beforeAll(async () => {
    dir = freshDir('corrupt');
    expect(await childEval(dir)).toMatchObject({ compiles: 1 });
    original = intactLibrary(dir);
  });

  const corruptions: [string, (so: string) => void][] = [
    ['truncated to half its size', (so) => truncateSync(so, statSync(so).size >> 1)],
    ['overwritten with garbage of the same size', (so) => writeFileSync(so, randomBytes(statSync(so).size))],
    ['one byte flipped in the middle', (so) => {
      const b = readFileSync(so);
      b[b.length >> 1] ^= 0xff;
      writeFileSync(so, b);
    }],
    ['emptied', (so) => truncateSync(so, 0)],
    ['missing its hash record', (so) => unlinkSync(`${so}.json`)],
  ];
  it.each(corruptions)('library %s', async (_label, corrupt) => {
    corrupt(original.path);
    const s = await childEval(dir);
    expect(s).toMatchObject({ compiles: 1, diskHits: 0 });
    // gcc's output is deterministic, so the rebuilt library is byte for byte the original.
    expect(intactLibrary(dir)).toEqual(original);
  });
});

describe('cache directory permissions', () => {
  const refuses = (dir: string, pattern: RegExp): void => {
    configure({ cacheDir: dir });
    const { t } = newGraph();
    let err: unknown;
    try {
      t.eval();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CacheError);
    const msg = (err as Error).message;
    expect(msg).toContain(dir);
    expect(msg).toMatch(pattern);
    expect(readdirSync(dir), 'nothing written to a refused directory').toEqual([]);
  };

  const works = (dir: string): void => {
    configure({ cacheDir: dir });
    const s0 = stats();
    const { t, expected } = newGraph();
    expect(Array.from(t.eval().data())).toEqual(expected);
    expect(stats().compiles - s0.compiles).toBe(1);
    intactLibrary(dir);
  };

  it.each([
    ['world-writable', 0o777],
    ['group-writable', 0o775],
    ['world-writable with the sticky bit, like /tmp', 0o1777],
  ])('refuses a %s directory, says how to fix it, and the fix works', (_label, mode) => {
    const dir = freshDir('perm');
    chmodSync(dir, mode);
    refuses(dir, /chmod 700/);
    chmodSync(dir, 0o700);
    works(dir);
  });

  it.skipIf(process.getuid?.() !== 0)("refuses a directory owned by another user (uid 65534)", () => {
    const dir = freshDir('owner');
    chmodSync(dir, 0o700);
    chownSync(dir, 65534, 65534);
    refuses(dir, /uid 65534/);
  });

  it('creates a missing nested cache directory with mode 0700', () => {
    const base = freshDir('nested');
    const dir = join(base, 'a', 'b', 'tensorfuse');
    works(dir);
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
    for (const parent of [join(base, 'a'), join(base, 'a', 'b')]) {
      expect(statSync(parent).mode & 0o022, `${parent} must not be writable by others`).toBe(0);
    }
  });
});
