/**
 * Issue 12 (numerics you can trust): regression tests for the rules as they now are, on both backends
 * and, where the C code splits work across threads, for 1 and 2 threads. Expected values come from
 * Python's exact integers or numpy 2.4, as each comment says; none is computed by tensorfuse.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.js';
import { arange, configure, full, tensor } from '../src/index.js';

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
});
