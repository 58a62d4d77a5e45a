/**
 * Issue 12 (numerics you can trust): regression tests for the rules as they now are, on both backends
 * and, where the C code splits work across threads, for 1 and 2 threads. Expected values come from
 * Python's exact integers or numpy 2.4, as each comment says; none is computed by tensorfuse.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.js';
import { arange, configure, eye, full, linspace, rand, tensor, zeros } from '../src/index.js';

const MIN = -2147483648, MAX = 2147483647;

/** Evaluates `make()` on the reference and on C with 1 and 2 threads; all must give `expected`. */
function onEveryBackend(make: () => Tensor, expected: number[], dtype: string): void {
  for (const [backend, threads] of [['ts', 0], ['c', 1], ['c', 2]] as const) {
    configure({ backend, threads });
    const t = make();
    expect(t.dtype, `${backend} threads=${threads}`).toBe(dtype);
    expect(Array.from(t.eval().data()), `${backend} threads=${threads}`).toEqual(expected);
  }
}
afterEach(() => { configure({ backend: undefined, threads: undefined }); });

describe('integer sums and products do not wrap (issue 12 §2)', () => {
  it('arange(100000).sum() is 4999950000 (numpy: np.arange(100000).sum()), as float64', () => {
    onEveryBackend(() => arange(100000).sum(), [4999950000], 'float64');
    onEveryBackend(() => arange(100000).mean(), [49999.5], 'float64');
  });

  it('a sum past 2^53 is the exact sum rounded once (threads split it into 64-bit partials)', () => {
    // Python: float((2**31 - 1) * (2**22 + 1)) == 9007201398030336.0 (exact 9007201398030335, ties to even)
    onEveryBackend(() => full([2 ** 22 + 1], MAX, 'int32').sum(), [9007201398030336], 'float64');
    // Python: sum of 2**22 + 1 copies of -2**31 is -9007201402224640 (exact in float64)
    onEveryBackend(() => full([2 ** 22 + 1], MIN, 'int32').sum(), [-9007201402224640], 'float64');
    onEveryBackend(() => full([3_000_001], true).sum(), [3000001], 'float64');
  });

  it('a product wraps at 64 bits, then rounds once (numpy: np.prod of int32 accumulates in int64)', () => {
    const big = new Int32Array(300_000).fill(1);
    big.set([MIN, MIN, 3, -1], 1000);
    // Python: ((-2**31)**2 * 3 * -1) wrapped to int64 = 2**62 = 4611686018427387904
    onEveryBackend(() => tensor(big).prod(), [4611686018427387904], 'float64');
    onEveryBackend(() => tensor(Int32Array.from([MAX, MAX, MAX])).prod(), [4611686024869838848], 'float64');
  });

  it('sums along an axis of int32 and bool are exact too', () => {
    // numpy: (np.full((3, 4), 2**31 - 1, np.int32)).sum(axis=0) == [6442450941] * 4; .sum(axis=1) == [8589934588] * 3
    onEveryBackend(() => full([3, 4], MAX, 'int32').sum(0), [6442450941, 6442450941, 6442450941, 6442450941], 'float64');
    onEveryBackend(() => full([3, 4], MAX, 'int32').sum(1), [8589934588, 8589934588, 8589934588], 'float64');
    onEveryBackend(() => tensor([[true, false], [true, true]]).sum(0), [2, 1], 'float64');
  });
});

describe('smaller wrong answers (issue 12 §6)', () => {
  it('argmax/argmin over no axes are 0, whatever the dtype (numpy: np.argmax of a 0-d array is 0)', () => {
    onEveryBackend(() => tensor(new Int32Array([11]), { shape: [] }).argmax(), [0], 'int32');
    onEveryBackend(() => tensor(new Int32Array([3, 8, 1])).max().argmax(), [0], 'int32');
    onEveryBackend(() => tensor(new Int32Array([3, 8, 1])).argmin([], true), [0, 0, 0], 'int32');
  });

  it('argmax over more than 2^31 elements gives float64 positions instead of wrapping', () => {
    configure({ backend: 'c' });
    const n = 65536; // a lazy 65536 × 65536 grid of i * 65536 + j: no memory, 2^32 positions
    const grid = arange(n).reshape([n, 1]).cast('float64').mul(n).add(arange(n).reshape([1, n]));
    const at = grid.eq(4294901760).argmax();
    expect(at.dtype).toBe('float64');
    expect(at.item()).toBe(4294901760); // numpy: np.argmax of that grid (65535 * 65536)
    expect(full([2 ** 31], 0).argmax().dtype).toBe('int32'); // positions up to 2^31 - 1 still fit
  });

  it('zero-size dot: numpy gives zeros of shape [2, 1, 2, 3] for zeros([2,1,0]) · zeros([2,0,3])', () => {
    onEveryBackend(() => zeros([2, 1, 0]).dot(zeros([2, 0, 3])).reshape([-1]), new Array(12).fill(0), 'float64');
    expect(zeros([2, 1, 0]).dot(zeros([2, 0, 3])).shape).toEqual([2, 1, 2, 3]);
  });

  it('float arange is computed as numpy fills it: start + i * ((start + step) - start)', () => {
    // numpy: np.arange(0.1, 1.6, 0.3).tolist(), and with dtype=np.float32
    onEveryBackend(() => arange(0.1, 1.6, 0.3), [0.1, 0.4, 0.7000000000000001, 1.0000000000000002, 1.3000000000000003], 'float64');
    onEveryBackend(() => arange(0.1, 1.6, 0.3, 'float32'), [0.10000000149011612, 0.4000000059604645, 0.7000000476837158, 1, 1.3000000715255737], 'float32');
    // numpy: np.arange(-3, 2.5, 0.7).tolist()
    onEveryBackend(() => arange(-3, 2.5, 0.7), [-3, -2.3, -1.5999999999999996, -0.8999999999999995, -0.1999999999999993, 0.5000000000000009, 1.200000000000001, 1.9000000000000012], 'float64');
  });

  it('linspace with an integer dtype floors (numpy 2: np.linspace(-1.5, 1.5, 3, dtype=np.int32) == [-2, 0, 1])', () => {
    onEveryBackend(() => linspace(-1.5, 1.5, 3, 'int32'), [-2, 0, 1], 'int32');
    onEveryBackend(() => linspace(-1.5, 2, 1, 'int32'), [-2], 'int32');
  });

  it('matmul contracts multiply-adds into FMA where the CPU has it: the one documented exception', () => {
    // numpy (and the reference, rounding per op): [5, 6] · [-inf, FLT_MAX] in float32 is NaN, since 6 * FLT_MAX
    // rounds to +inf first. The blocked C matmul computes fma(6, FLT_MAX, -inf) = -inf where FMA exists.
    const a = () => tensor(new Float32Array([5, 6]), { shape: [1, 2] });
    const b = () => tensor(new Float32Array([-Infinity, 3.4028234663852886e38]), { shape: [2, 1] });
    expect(a().matmul(b()).eval({ backend: 'ts' }).item()).toBeNaN();
    const fma = /^flags\s*:.*\bfma\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
    const c = a().matmul(b()).eval({ backend: 'c' }).item();
    if (fma) expect(c).toBe(-Infinity);
    else expect(c).toBeNaN();
  });
});

describe('fusion never blows up (issue 12 §4)', () => {
  const n = 256;
  /** One explicit 5-point stencil step on an n × n grid with zero boundaries. */
  const step = (u: Tensor): Tensor => {
    const p = u.pad([[1, 1], [1, 1]]);
    const at = (r: number, c: number) => p.slice([r, c], [r + n, c + n]);
    return at(1, 1).add(at(0, 1).add(at(2, 1)).add(at(1, 0)).add(at(1, 2)).sub(at(1, 1).mul(4)).mul(0.1));
  };
  const steps = (u: Tensor, k: number): Tensor => {
    for (let i = 0; i < k; i++) u = step(u);
    return u;
  };

  it('500 lazily recorded stencil steps: C linear in the steps, values equal to stepping with eval()', () => {
    configure({ backend: 'c' });
    const u0 = rand([n, n], { seed: 3 }).eval();
    // Before: the padded value was inlined into each of its 5 slices, so k steps gave 5^k copies of
    // the first (k = 4: 4.5 MB of C; k = 6 ran V8 out of memory).
    const sizes = [50, 100, 200].map((k) => steps(u0, k).toC().length);
    expect(sizes[1] / sizes[0]).toBeGreaterThan(1.8);
    expect(sizes[1] / sizes[0]).toBeLessThan(2.2);
    expect(sizes[2] / sizes[1]).toBeLessThan(2.2);
    const lazy = steps(u0, 500).eval();
    let eager: Tensor = u0;
    for (let i = 0; i < 500; i++) eager = step(eager).eval();
    // Elementwise float64 arithmetic is exact IEEE on both paths: the same bits, not just close.
    expect(Array.from(lazy.data())).toEqual(Array.from(eager.data()));
  });
});

describe('writing into part of a tensor: assign through views (issue 12 §3)', () => {
  // Each case builds a tensor, writes through a view of it, and compares with numpy 2.4 doing the same.
  const cases: [string, () => Tensor, unknown][] = [
    // Found in review: a reduction, matmul or scan whose elementwise consumer is the assigned value had
    // that consumer as its epilogue, which wrote contiguously from the view's start (C only, silently).
    // x = np.zeros((3, 4)); x[:, 1:] = np.cumsum(np.arange(9).reshape(3, 3), 1) * 2
    ['a scan with an elementwise consumer, into a slice', () => { const x = zeros([3, 4]); x.at(':', '1:').assign(arange(9).reshape([3, 3]).cumsum(1).mul(2)); return x; }, [[0, 0, 2, 6], [0, 6, 14, 24], [0, 12, 26, 42]]],
    // y = np.zeros((3, 4)); y[:, 1] = np.arange(9).reshape(3, 3).sum(1) * 2
    ['a reduction with an elementwise consumer, into a column', () => { const y = zeros([3, 4]); y.at(':', 1).assign(arange(9).reshape([3, 3]).sum(1).mul(2)); return y; }, [[0, 6, 0, 0], [0, 24, 0, 0], [0, 42, 0, 0]]],
    // z = np.zeros((3, 4)); z[:, 1:] = np.arange(9.).reshape(3, 3) @ np.eye(3) + 1
    ['a matmul with an elementwise consumer, into a slice', () => { const z = zeros([3, 4]); z.at(':', '1:').assign(arange(9).reshape([3, 3]).cast('float64').matmul(eye(3)).add(1)); return z; }, [[0, 1, 2, 3], [0, 4, 5, 6], [0, 7, 8, 9]]],
    // z = np.zeros((3, 3)); z[1:2] = 7
    ['a lazy base is realized, then written', () => { const z = zeros([3, 3]); z.slice([1], [2]).assign(7); return z; }, [[0, 0, 0], [7, 7, 7], [0, 0, 0]]],
    // a = np.arange(12).reshape(3, 4); a[0:3:2, 0:4:2] = -1
    ['a stepped slice', () => { const a = arange(12).reshape([3, 4]).eval(); a.slice([0, 0], [3, 4], [2, 2]).assign(-1); return a; }, [[-1, 1, -1, 3], [4, 5, 6, 7], [-1, 9, -1, 11]]],
    // b = np.arange(6.).reshape(2, 3); b.T[:] = [[1, 2], [3, 4], [5, 6]]
    ['a transpose', () => { const b = arange(6).reshape([2, 3]).cast('float64').eval(); b.T.assign(tensor([[1, 2], [3, 4], [5, 6]])); return b; }, [[1, 3, 5], [2, 4, 6]]],
    // c = np.arange(8.); c[1:8] = c[0:7].copy()   (the right side is computed first)
    ['a shifted read of the same tensor (hazard)', () => { const c = arange(8).cast('float64').eval(); c.slice([1], [8]).assign(c.slice([0], [7])); return c; }, [0, 0, 1, 2, 3, 4, 5, 6]],
    // d = np.arange(6.); d[::-1] = d * 10
    ['a flip, reading the whole target', () => { const d = arange(6).cast('float64').eval(); d.flip(0).assign(d.mul(10)); return d; }, [50, 40, 30, 20, 10, 0]],
    // e = np.zeros((2, 3)); e.reshape(3, 2).T[0:2, 1:3] = 5
    ['a chain: reshape, transpose, slice', () => { const e = zeros([2, 3]); e.reshape([3, 2]).T.slice([0, 1], [2, 3]).assign(5); return e; }, [[0, 0, 5], [5, 5, 5]]],
    // f = np.arange(6.); f.reshape(2, 3)[:, 1:2] *= 100
    ['the view reading itself at the written index', () => {
      const f = arange(6).cast('float64').eval();
      const v = f.reshape([2, 3]).slice([0, 1], [2, 2]);
      v.assign(v.mul(100));
      return f;
    }, [0, 100, 2, 3, 400, 5]],
    // k = np.arange(4.); k[1:3] = k.sum()   (a reduction of the target)
    ['a reduction of the target', () => { const k = arange(4).cast('float64').eval(); k.slice([1], [3]).assign(k.sum()); return k; }, [0, 6, 6, 3]],
    // m = np.arange(6, dtype=np.float32).reshape(2, 3); m[:, ::-1][0] = [7, 8, 9]   (squeeze/unsqueeze too)
    ['a negative-stride row, float32, through squeeze', () => {
      const m = arange(6, undefined, 1, 'float32').reshape([2, 3]).eval();
      m.slice([0, null], [1, null], [1, -1]).squeeze(0).assign(tensor(new Float32Array([7, 8, 9])));
      return m;
    }, [[9, 8, 7], [3, 4, 5]]],
  ];
  for (const backend of ['ts', 'c'] as const) {
    for (const [name, make, expected] of cases) {
      it(`${name} (${backend})`, () => {
        configure({ backend });
        expect(make().toArray()).toEqual(expected);
      });
    }
  }

  it('writes in place: the storage stays the same array, and other views of it see the write', () => {
    configure({ backend: 'c' });
    const buf = new Float32Array(1 << 20).fill(1);
    const x = tensor(buf, { shape: [1024, 1024] });
    const col = x.slice([0, 5], [1024, 6]);
    col.assign(x.slice([0, 6], [1024, 7]).add(2)); // column 5 = column 6 + 2
    expect(x.data()).toBe(buf);
    expect(buf[5]).toBe(3);
    expect(buf[1023 * 1024 + 5]).toBe(3);
    expect(buf[4]).toBe(1);
    expect(col.toArray()).toEqual(new Array(1024).fill([3]));
  });

  it('reading a view reads the current storage and leaves it a view; eval() makes it a tensor of its own', () => {
    for (const backend of ['ts', 'c'] as const) {
      configure({ backend });
      const z = zeros([2, 2]);
      const v = z.slice([0], [1]);
      expect(v.toArray()).toEqual([[0, 0]]); // z is lazy: it gets its storage here, for every view of it
      z.slice([0, 1], [1, 2]).assign(5);       // another view writes z
      expect(v.toArray()).toEqual([[0, 5]]);   // seen: v was not turned into a copy by the read
      v.assign(3);                             // still a view: writes z
      expect(z.toArray()).toEqual([[3, 3], [0, 0]]);
      const w = z.T.eval();                    // explicit eval: w owns a copy now
      w.assign(9);
      expect(z.toArray()).toEqual([[3, 3], [0, 0]]);
      expect(w.toArray()).toEqual([[9, 9], [9, 9]]);
    }
  });

  it('views that cannot be written are TensorErrors, never a silent no-op', () => {
    const t = tensor([1, 2, 3]);
    expect(() => t.expand([2, 3]).assign(0)).toThrow(/cannot write through this view: expand gives a broadcast view/);
    expect(() => t.expand([2, 3]).slice([0], [1]).assign(0)).toThrow(/broadcast view/);
    expect(() => t.add(1).slice([0], [2]).assign(0)).toThrow(/view of a lazy computed value \(add/);
    expect(() => t.pad([[1, 1]]).slice([0], [2]).assign(0)).toThrow(/view of a lazy computed value \(pad/);
    expect(t.toArray()).toEqual([1, 2, 3]);
  });
});

describe('float32 sums accumulate in float64 and round once (issue 12 §1, first part)', () => {
  it('a 2^24-term sum of squares is within 1 float32 ulp of the exact sum (was off by ~3,500 ulps)', () => {
    // x = i mod 1024 / 1024 is exact in float32, x² too: the exact sum is 2^14 · Σ_{j<1024} j²/2^20
    // = 2^14 · 357389824 / 2^20 = 5584216 (an integer: Python Fraction arithmetic).
    const n = 1 << 24;
    const x = arange(n).mod(1024).cast('float32').div(1024);
    for (const [backend, threads] of [['ts', 0], ['c', 1], ['c', 2]] as const) {
      configure({ backend, threads });
      const got = x.square().sum().item();
      expect(Math.abs(got - 5584216), `${backend} threads=${threads}: ${got}`).toBeLessThanOrEqual(0.5);
    }
  });

  it('full([2^25], 0.1, float32).sum() is the exact 2^25 · fround(0.1) on every backend and thread count', () => {
    // Python: float(Fraction(13421773, 2**27) * 2**25) == 3355443.25, a float32; a float32 accumulator
    // gave 3388539.75 (2 threads), 3298124.25 (1 thread) and 2097152 (reference).
    onEveryBackend(() => full([2 ** 25], 0.1, 'float32').sum(), [3355443.25], 'float32');
    onEveryBackend(() => full([2 ** 25], 0.1, 'float32').mean(), [Math.fround(3355443.25 / 2 ** 25)], 'float32');
  });
});

describe('column sums fold rows in order into wide accumulators', () => {
  it('equal the reference exactly for extents that are not multiples of the row group, over several outer axes', () => {
    // The column path adds each column's rows one after another in float64, as the reference does, so
    // the results are the same bits (test/reduction-order.test.ts covers the other paths).
    for (const [shape, axes] of [[[13, 3000], [0]], [[5, 7, 2100], [0, 1]], [[3, 9, 17], [1]]] as [number[], number[]][]) {
      const x = rand(shape, { seed: shape.length, dtype: 'float32' }).mul(1000).sub(500);
      const ref = Array.from(x.sum(axes).eval({ backend: 'ts' }).data());
      for (const threads of [1, 2]) {
        configure({ backend: 'c', threads });
        expect(Array.from(x.sum(axes).eval().data()), `${shape} over ${axes}, ${threads} threads`).toEqual(ref);
      }
    }
  });
});

describe('a full reduction gives the same bits for every thread count (issue 12 §1, fixed partition)', () => {
  it('float64 and float32 sums, a prod and a mean of 2^20 values: threads 1, 2 and 3, eval and evalAsync', async () => {
    const x = rand([1 << 20], { seed: 5 }).mul(2).sub(1).exp();
    const y = rand([1 << 20], { seed: 6, dtype: 'float32' }).sub(0.5);
    const make = () => [x.sum(), y.sum(), x.mul(1e-6).add(1).prod(), y.mean(), x.sub(1).square().sum()];
    const results: number[][] = [];
    for (const threads of [1, 2, 3]) {
      configure({ backend: 'c', threads });
      results.push(make().map((t) => t.item()));
      results.push(await Promise.all(make().map(async (t) => (await t.evalAsync()).item())));
    }
    for (const r of results.slice(1)) expect(r).toEqual(results[0]);
  });
});
