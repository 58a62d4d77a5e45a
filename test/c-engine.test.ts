// Whole-program features on the C backend: evalAll, assign (in place and with hazards), jit re-use,
// and many concurrent evalAsync calls.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arange, configure, evalAll, jit, rand, stats, tensor } from '../src/index.js';
import type { Tensor } from '../src/tensor.js';

const same = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).every((v, i) => Object.is(v, b[i]) || (Number.isNaN(v) && Number.isNaN(b[i])));

describe('evalAll', () => {
  it('realizes several outputs in one program: one compile, one call', () => {
    const x = rand([1000], { seed: 11 }).eval();
    const before = stats();
    const [lo, hi, m] = evalAll(x.min(), x.max(), x.mul(2).add(1));
    const after = stats();
    expect(after.compiles - before.compiles).toBe(1);
    expect(after.evals - before.evals).toBe(1);
    const ref = [x.min(), x.max(), x.mul(2).add(1)].map((t) => t.eval({ backend: 'ts' }));
    expect(lo.item()).toBe(ref[0].item());
    expect(hi.item()).toBe(ref[1].item());
    expect(same(m.data(), ref[2].data())).toBe(true);
  });

  it('gives each output its own buffer, even for the same graph twice', () => {
    const x = arange(4).cast('float64');
    const [a, b] = evalAll(x.mul(3), x.mul(3));
    expect(a.data()).not.toBe(b.data());
    expect(a.toArray()).toEqual([0, 3, 6, 9]);
  });
});

describe('assign on the C backend', () => {
  it('x.assign(x.T) on a square matrix gives the transpose', () => {
    for (const n of [1, 2, 5, 64]) {
      const x = arange(n * n).reshape([n, n]).cast('float32').contiguous().eval();
      const expected = x.T.eval({ backend: 'ts' }).toArray();
      const buf = x.data();
      x.assign(x.T);
      expect(x.toArray()).toEqual(expected);
      expect(x.data()).toBe(buf);
    }
  });

  it('reads at other indices (flip, shift, reduction) see the old values', () => {
    const w = tensor([1, 2, 3, 4]);
    w.assign(w.flip().add(w));
    expect(w.toArray()).toEqual([5, 5, 5, 5]);
    const v = tensor([1, 2, 3, 4]);
    v.assign(v.sub(v.mean()));
    expect(v.toArray()).toEqual([-1.5, -0.5, 0.5, 1.5]);
    const s = tensor([1, 2, 3, 4, 5]);
    s.assign(s.pad([[1, 0]]).slice([0], [5]).add(s)); // s[i] + s[i-1]
    expect(s.toArray()).toEqual([1, 3, 5, 7, 9]);
  });

  it('y.assign(y.axpy(x, a)) updates y in its own buffer with the exact reference values', () => {
    const y = rand([1 << 16], { seed: 1 }).eval();
    const x = rand([1 << 16], { seed: 2 }).eval();
    const expected = y.axpy(x, 2.5).eval({ backend: 'ts' }).data();
    const buf = y.data();
    y.assign(y.axpy(x, 2.5));
    expect(y.data()).toBe(buf);
    expect(same(buf, expected)).toBe(true);
  });

  it('checks dtype and shape', () => {
    const y = tensor([1, 2, 3], { dtype: 'float32' });
    // @ts-expect-error a float64 value for a float32 target: refused by the types too
    expect(() => y.assign(tensor([1, 2, 3]))).toThrow(/dtype float64 but the target is float32/);
    expect(() => y.assign(tensor([1, 2], { dtype: 'float32' }))).toThrow(/cannot broadcast/);
    y.assign(7);
    expect(y.toArray()).toEqual([7, 7, 7]);
  });
});

describe('assign in a loop', () => {
  it('plans once for the same expression and target, and plans again for another target or changed inputs', () => {
    const x = tensor(new Float64Array([1, 2, 3, -4]));
    const y = tensor(new Float64Array(4));
    y.assign(y.axpy(x, 2.5));
    const plans = stats().plans;
    for (let i = 0; i < 4; i++) y.assign(y.axpy(x, 2.5));
    expect(stats().plans).toBe(plans); // the founding loop re-records the same node: its plan is reused
    expect(y.toArray()).toEqual([12.5, 25, 37.5, -50]); // 5 × 2.5 × x, exact in float64
    // another target with the same expression: written there, the first left alone
    const z = tensor(new Float64Array(4));
    const v = y.axpy(x, 2.5);
    z.assign(v);
    expect(z.toArray()).toEqual([15, 30, 45, -60]);
    expect(y.toArray()).toEqual([12.5, 25, 37.5, -50]);
    y.assign(v);
    expect(y.toArray()).toEqual([15, 30, 45, -60]);
    // an input with new contents is read at the call, and a changed thread count plans again
    x.assign(tensor(new Float64Array([0, 0, 0, 1])));
    y.assign(y.axpy(x, 2.5));
    expect(y.toArray()).toEqual([15, 30, 45, -57.5]);
    const before = stats().plans;
    configure({ threads: 1 });
    try {
      y.assign(y.axpy(x, 2.5));
    } finally {
      configure({ threads: undefined });
    }
    expect(stats().plans).toBe(before + 1);
    expect(y.toArray()).toEqual([15, 30, 45, -55]);
  });
});

describe('jit on the C backend', () => {
  it('traces once per signature; later calls compile nothing and do not call fn', () => {
    let traced = 0;
    const f = jit((x: Tensor, y: Tensor) => {
      traced++;
      return x.mul(2).add(y).relu().mul(x.sub(y)).add(1);
    });
    const x = rand([16], { seed: 1, dtype: 'float32' }).eval();
    const y = rand([16], { seed: 2, dtype: 'float32' }).eval();
    const first = f(x, y);
    const compiles = stats().compiles;
    for (let i = 0; i < 50; i++) f(x, y);
    const x2 = rand([16], { seed: 3, dtype: 'float32' }).eval();
    const again = f(x2, y);
    expect(traced).toBe(1);
    expect(stats().compiles).toBe(compiles);
    const ref = x2.mul(2).add(y).relu().mul(x2.sub(y)).add(1).eval({ backend: 'ts' });
    expect(same(again.data(), ref.data())).toBe(true);
    expect(first.data()).not.toBe(again.data());
    f(rand([32], { seed: 1, dtype: 'float32' }).eval(), rand([32], { seed: 2, dtype: 'float32' }).eval());
    expect(traced).toBe(2); // a new shape is a new signature
  });

  it('tells same-rank shapes apart on the repeat-call path, and accepts equal shapes from other tensors', () => {
    let traced = 0;
    const f = jit((x: Tensor) => {
      traced++;
      return x.sum(1);
    });
    const a = arange(6).cast('float32').reshape([2, 3]).eval();
    const b = arange(6).cast('float32').reshape([3, 2]).eval(); // the same size and rank, another shape
    expect(f(a).toArray()).toEqual([3, 12]);
    expect(f(b).toArray()).toEqual([1, 5, 9]);
    expect(f(a).toArray()).toEqual([3, 12]);
    expect(traced).toBe(2);
    // a tensor of equal shape made apart from `a` (its own shape array) and a result fed back: no new trace
    const c = tensor(new Float32Array([1, 1, 1, 2, 2, 2]), { shape: [2, 3] });
    expect(f(c).toArray()).toEqual([3, 6]);
    const g = jit((x: Tensor) => x.mul(2));
    let y = g(c);
    for (let i = 0; i < 3; i++) y = g(y);
    expect(y.toArray()).toEqual([[16, 16, 16], [32, 32, 32]]);
    expect(traced).toBe(2);
  });
});

describe('evalAsync', () => {
  it('100 concurrent calls give the same results as synchronous evals', async () => {
    const inputs = Array.from({ length: 100 }, (_, i) => rand([257, 33], { seed: i, dtype: 'float32' }).eval());
    const expr = (x: Tensor) => x.softmax(1).mul(x.sum(0, true)).add(x.T.matmul(x).sum());
    const sync = inputs.map((x) => expr(x).eval());
    const lazy = inputs.map(expr);
    const results = await Promise.all(lazy.map((t) => t.evalAsync()));
    results.forEach((r, i) => {
      expect(r).toBe(lazy[i]);
      expect(r.isRealized).toBe(true);
      expect(same(r.data(), sync[i].data())).toBe(true);
    });
  });

  it('keeps the event loop free while it runs', async () => {
    const x = rand([1 << 20], { seed: 5 });
    await x.exp().evalAsync(); // compile first
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const ys = await Promise.all(Array.from({ length: 8 }, (_, i) => x.exp().mul(i).sin().evalAsync()));
    clearInterval(timer);
    expect(ys.every((y) => y.isRealized)).toBe(true);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('reductions to one value, split across threads', () => {
  const n = 1 << 19; // above the split threshold
  it('sum, prod, max, min and int32 sum agree with the reference (ints and extremes exactly)', () => {
    const x = rand([n], { seed: 21 }).sub(0.5).eval();
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));
    expect(rel(x.sum().item(), x.sum().eval({ backend: 'ts' }).item())).toBeLessThan(1e-9);
    expect(x.max().item()).toBe(x.max().eval({ backend: 'ts' }).item());
    expect(x.min().item()).toBe(x.min().eval({ backend: 'ts' }).item());
    expect(rel(x.mean().mul(3).item(), x.mean().mul(3).eval({ backend: 'ts' }).item())).toBeLessThan(1e-9); // with an epilogue
    const i = arange(n).mul(40000); // int32 products wrap; the wrapped sum is exact in any order
    expect(i.sum().item()).toBe(i.sum().eval({ backend: 'ts' }).item());
    expect(i.max().item()).toBe(i.max().eval({ backend: 'ts' }).item());
    expect(x.abs().add(1).prod().item()).toBe(Infinity);
  });

  it('NaN anywhere wins, and +0 beats -0 in max (a -0 in min), whichever thread saw it', () => {
    for (const at of [0, n / 2 + 3, n - 1]) {
      const withNaN = arange(n).cast('float64').eq(at).where(NaN, 1);
      expect(withNaN.max().item()).toBeNaN();
      expect(withNaN.min().item()).toBeNaN();
      const zeros = arange(n).eq(at).where(0, -0); // one +0 among -0
      expect(Object.is(zeros.max().item(), 0)).toBe(true);
      expect(Object.is(zeros.neg().min().item(), -0)).toBe(true);
    }
  });
});

describe('inputs whose ArrayBuffer was transferred', () => {
  it('give a TensorError instead of a null pointer in C', () => {
    const x = tensor(new Float64Array([1, 2, 3]));
    expect(x.mul(2).toArray()).toEqual([2, 4, 6]);
    const xb = x.data().buffer as ArrayBuffer; // Storage is typed over ArrayBufferLike; this one is a plain ArrayBuffer
    structuredClone(xb, { transfer: [xb] });
    expect(() => x.mul(3).eval()).toThrow(/transferred or detached/);
    expect(() => x.mul(2).eval()).toThrow(/transferred or detached/); // the cached plan checks too
    const f = jit((a: Tensor) => a.add(1));
    const y = tensor(new Float32Array([1, 2]));
    expect(f(y).toArray()).toEqual([2, 3]);
    const yb = y.data().buffer as ArrayBuffer;
    structuredClone(yb, { transfer: [yb] });
    expect(() => f(y)).toThrow(/transferred or detached/);
  });
});

describe('program shapes the FFI must carry', () => {
  it('more than 48 buffers (one pointer array instead of one parameter each), sync and async', async () => {
    const x = arange(4).cast('float64');
    let t = x;
    for (let i = 0; i < 80; i++) t = t.add(i);
    expect(t.explain({ fuse: false }).match(/^kernel /gm)!.length).toBeGreaterThanOrEqual(80);
    expect(t.eval({ fuse: false }).toArray()).toEqual([3160, 3161, 3162, 3163]);
    const outs = evalAll(...Array.from({ length: 70 }, (_, i) => x.mul(i)));
    expect(outs.map((o) => (o.toArray() as number[])[3])).toEqual(Array.from({ length: 70 }, (_, i) => 3 * i));
    let u = x;
    for (let i = 0; i < 70; i++) u = u.add(1);
    expect((await u.evalAsync({ fuse: false })).toArray()).toEqual([70, 71, 72, 73]);
  });

  it('equal and different constants give one structure: changing a number never recompiles', () => {
    const x = tensor([1, 2, 3]);
    x.mul(2).add(3).eval();
    const compiles = stats().compiles;
    expect(x.mul(5).add(7).toArray()).toEqual([12, 17, 22]);
    expect(x.mul(2).add(2).toArray()).toEqual([4, 6, 8]); // 2 and 2: one node in the graph, two scalars in C
    expect(x.mul(0).add(0).toArray()).toEqual([0, 0, 0]);
    expect(stats().compiles).toBe(compiles);
  });
});

describe('memory of long loops that build new expressions', () => {
  it('is given back once the loop yields, and does not grow from round to round', () => {
    const script = `
import { tensor } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
const x = tensor(new Float32Array(16).fill(1));
const mb = () => process.memoryUsage().heapUsed / 2 ** 20;
const after = [];
for (let round = 0; round < 3; round++) {
  for (let i = 0; i < 30000; i++) x.mul(i + round * 1e6).add(i + 0.5).eval();
  await new Promise((r) => setTimeout(r, 5));
  globalThis.gc(); await new Promise((r) => setTimeout(r, 5)); globalThis.gc();
  after.push(mb());
}
console.log(JSON.stringify(after));`;
    const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', env: process.env });
    const after = JSON.parse(out.trim().split('\n').pop()!) as number[];
    expect(after[2]).toBeLessThan(120);
    expect(after[2] - after[0]).toBeLessThan(20);
  });

  it('of large outputs stays bounded inside one synchronous loop (nothing waits for the loop to yield)', () => {
    // 400 results of 8 MB each, dropped at once: 3.2 GB if every buffer waited for a finalizer; the pool
    // lets at most 1 GiB wait, the garbage collector frees the rest as the loop runs.
    const script = `
import { rand } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
const x = rand([1 << 21], { seed: 1 }).eval();
x.mul(2).add(1).eval();
const rss0 = process.memoryUsage().rss;
let peak = 0;
for (let i = 0; i < 400; i++) {
  x.mul(2).add(1).eval();
  peak = Math.max(peak, process.memoryUsage().rss - rss0);
}
console.log(JSON.stringify(peak / 2 ** 20));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: process.env });
    const peakMB = JSON.parse(out.trim().split('\n').pop()!) as number;
    expect(peakMB).toBeLessThan(1800);
  });
});

describe('reductions over outer axes (column-wise accumulators)', () => {
  it('match the reference exactly, across column blocks and threads, with NaN, ±0 and epilogues', () => {
    const x = rand([64, 1000], { seed: 31 }).sub(0.5).eval();
    const withSpecials = x.mul(arange(1000).eq(700).where(NaN, 1)).mul(arange(64).reshape([64, 1]).eq(3).where(-0, 1));
    const cases: [string, () => Tensor][] = [
      ['sum(0)', () => x.sum(0)],
      ['mean(0) (epilogue)', () => x.mean(0)],
      ['max(0) with NaN and -0', () => withSpecials.max(0)],
      ['min(0, keepdims)', () => withSpecials.min(0, true)],
      ['int32 sum(0)', () => arange(64 * 1000).reshape([64, 1000]).mul(77777).sum(0)],
      ['sum over two outer axes', () => x.reshape([4, 16, 1000]).sum([0, 1])],
      ['max over a middle axis', () => x.reshape([4, 16, 1000]).max(1)],
      ['large: columns split across threads', () => rand([300, 4096], { seed: 32, dtype: 'float32' }).sum(0)],
    ];
    for (const [name, f] of cases) {
      const c = f().eval(), r = f().eval({ backend: 'ts' });
      expect(c.shape, name).toEqual(r.shape);
      expect(same(c.data(), r.data()), name).toBe(true);
    }
  });
});

describe('large outputs written with streaming stores', () => {
  // Past 8 MiB per thread, a flat kernel computes blocks on its stack and streams them to the output.
  const firstDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
    if (a.length !== b.length) return -2;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
    return -1;
  };

  it('match the reference for every streamed dtype, odd lengths, and an output not aligned to 64 bytes', () => {
    const cases: [string, () => Tensor][] = [
      ['float32', () => { const x = rand([(1 << 23) + 13], { seed: 41, dtype: 'float32' }); return x.mul(3).add(x.sqrt()); }],
      ['float64', () => { const x = rand([(1 << 22) + 5], { seed: 42 }); return x.mul(-2).add(x.mul(x)); }],
      ['int32', () => arange(0, (1 << 23) + 3, 1, 'int32').mul(7).sub(1 << 20)],
    ];
    for (const [name, f] of cases) {
      expect(f().toC(), name).toMatch(/tf_stream_(float|double|int32_t)\(out0/);
      expect(firstDiff(f().eval().data(), f().eval({ backend: 'ts' }).data()), name).toBe(-1);
    }
    // assign() into storage that starts 4 bytes past a 64-byte boundary: the first block is copied.
    const x = rand([(1 << 23) + 1], { seed: 43, dtype: 'float32' }).eval();
    const backing = new Float32Array((1 << 23) + 2);
    const out = tensor(backing.subarray(1), { dtype: 'float32' });
    out.assign(x.mul(2).add(1));
    expect(firstDiff(out.data(), x.mul(2).add(1).eval({ backend: 'ts' }).data())).toBe(-1);
    expect(backing[0]).toBe(0); // nothing written before the output
  });

  it('are not used for outputs written in place or for kernels whose result is another kernel\'s input', () => {
    const y = rand([1 << 21], { seed: 44, dtype: 'float32' }).eval(); // 8 MB: a program that may stream
    expect(y.axpy(y, 2).toC()).toContain('tf_stream_float(out0'); // a new output: may stream
    // In place (assign over an input it reads): the program written to the cache does not stream.
    const dir = process.env.TENSORFUSE_CACHE_DIR!;
    const before = new Set(readdirSync(dir));
    y.assign(y.axpy(y, 3));
    const written = readdirSync(dir).filter((f) => f.endsWith('.c') && !before.has(f));
    expect(written.length).toBe(1);
    const source = readFileSync(join(dir, written[0]), 'utf8');
    expect(source).toContain('E0_flat');
    expect(source).not.toContain('tf_stream_float(out0');
    // A flat kernel whose result feeds the matmul writes a temporary: that stays in the cache.
    const x = rand([64, 64], { seed: 46, dtype: 'float32' });
    const source2 = x.add(1).matmul(x).toC();
    expect(source2).toMatch(/static void E0_flat[^]*float \*restrict tmp0 = /);
    expect(source2).not.toMatch(/tf_stream_float\(tmp/);
  });
});
