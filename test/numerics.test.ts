/**
 * Issue 12 (numerics you can trust): regression tests for the rules as they now are, on both backends
 * and, where the C code splits work across threads, for 1 and 2 threads. Expected values come from
 * Python's exact integers or numpy 2.4, as each comment says; none is computed by tensorfuse.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.js';
import { arange, configure, full, linspace, rand, tensor, zeros } from '../src/index.js';

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
    let eager = u0;
    for (let i = 0; i < 500; i++) eager = step(eager).eval();
    // Elementwise float64 arithmetic is exact IEEE on both paths: the same bits, not just close.
    expect(Array.from(lazy.data())).toEqual(Array.from(eager.data()));
  });
});
