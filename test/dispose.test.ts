// dispose() and tidy(): buffers go back to the pool at once, and nothing can read a reused buffer.
import { describe, expect, it } from 'vitest';
import { arange, rand, tensor, tidy, TensorError } from '../src/index.js';
import type { Tensor } from '../src/tensor.js';

const N = 1 << 20;
const storageOf = (t: Tensor) => t.node.data;

describe('dispose', () => {
  // Every size past the 512-byte slab views is pooled (from 1 MiB only, before: a fresh 64 KB output
  // per call cost ~3x its kernel).
  it.each([[129, 'float32'], [1 << 14, 'float32'], [(1 << 16) + 3, 'float64'], [N, 'float32'], [1000, 'bool']] as const)(
    'hands the buffer to the next eval of that size (%i %s)', (n, dtype) => {
      const x = rand([n], { seed: 1 }).gt(0.5).cast(dtype).eval();
      const r = x.mul(2).cast(dtype).eval();
      const buf = storageOf(r);
      r.dispose();
      expect(r.isDisposed).toBe(true);
      const next = x.add(1).cast(dtype).eval();
      expect(storageOf(next) === buf).toBe(true); // (not toBe: a failure would print both arrays)
      expect(Array.from(next.data())).toEqual(Array.from(x.add(1).cast(dtype).eval({ backend: 'ts' }).data()));
    });

  it('lets a buffer that stays idle for 2 s go (a process that stops evaluating gets its memory back)', async () => {
    const x = rand([N + 7], { seed: 3, dtype: 'float32' }).eval(); // a size class of its own
    const r = x.mul(2).eval();
    const buf = storageOf(r);
    r.dispose();
    await new Promise((resolve) => setTimeout(resolve, 4200)); // the sweep runs every 2 s
    expect(storageOf(x.add(1).eval())).not.toBe(buf);
  });

  it('a disposed tensor cannot be read or computed with', () => {
    const d = tensor([1, 2]);
    d.dispose();
    expect(() => d.toArray()).toThrow(/was disposed/);
    expect(() => d.add(1).eval()).toThrow(TensorError);
    expect(() => d.add(1).eval({ backend: 'ts' })).toThrow(/disposed/);
  });

  it('never reuses storage that data() handed out, or that a lazy expression still reads', () => {
    const x = rand([N], { seed: 2, dtype: 'float32' }).eval();
    const a = x.mul(2).eval();
    const exposed = a.data();
    a.dispose();
    expect(storageOf(x.mul(3).eval())).not.toBe(exposed);
    const b = x.mul(4).eval();
    const later = b.add(1); // lazy: reads b's buffer when evaluated
    const bBuf = storageOf(b);
    b.dispose();
    const other = x.mul(5).eval();
    expect(storageOf(other)).not.toBe(bBuf);
    expect(later.max().item()).toBe(x.mul(4).add(1).eval({ backend: 'ts' }).max().item());
  });
});

describe('tidy', () => {
  it('disposes what was made inside, keeps (and realizes) what is returned', () => {
    const x = rand([N], { seed: 3, dtype: 'float32' }).eval();
    let inner: Tensor | undefined;
    const kept = tidy(() => {
      inner = x.mul(2).eval();
      return { y: inner.add(1), list: [inner.sum()] };
    });
    expect(inner!.isDisposed).toBe(true);
    expect(kept.y.isRealized).toBe(true);
    expect(kept.list[0].isRealized).toBe(true);
    expect(kept.y.max().item()).toBe(x.mul(2).add(1).eval({ backend: 'ts' }).max().item());
    expect(x.isDisposed).toBe(false); // made outside
  });

  it('a loop of tidy() reuses its buffers, nests, and refuses async functions', () => {
    const x = rand([N], { seed: 4, dtype: 'float32' }).eval();
    const seen = new Set<unknown>();
    for (let i = 0; i < 5; i++) tidy(() => { const r = x.mul(i).eval(); seen.add(storageOf(r)); return r.sum().item(); });
    expect(seen.size).toBeLessThanOrEqual(2);
    const outer = tidy(() => {
      const a = tidy(() => arange(3).mul(2));
      expect(a.isDisposed).toBe(false);
      return a.add(1);
    });
    expect(outer.toArray()).toEqual([1, 3, 5]);
    expect(() => tidy((async () => x) as unknown as () => Tensor)).toThrow(/synchronous/);
  });
});
