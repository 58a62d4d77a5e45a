// Scans and sorting (issue 15): cumsum cumprod cummax cummin, sort argsort topk median quantile
// searchsorted unique. Expected values of the rows were printed by numpy 2.4 for the expression each
// row names (ints come out as numpy's int64, here float64 as for sum; bool cumsum likewise), and are
// checked on the reference backend, fused C and unfused C.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expectValues, propertyRuns, sameNumber } from './helpers.js';
import type { DType, Tensor } from '../src/index.js';
import { arange, configure, config, grad, rand, randn, ShapeError, tensor, TensorError } from '../src/index.js';
import * as tf from '../src/index.js';
import { realize } from '../src/realize.js';

const BACKENDS = [{ backend: 'ts' }, { backend: 'c' }, { backend: 'c', fuse: false }] as const;
const label = (o: (typeof BACKENDS)[number]) => `${o.backend}${'fuse' in o ? ' unfused' : ''}`;

const m = () => tensor([[3, 1, 2], [4, NaN, -1]]);
const k = () => arange(12).reshape([3, 4]).sub(5);
const b = () => tensor([[true, false, true], [false, false, true]]);
const f = (v: number[], dtype: DType) => tensor(v, { dtype });

/** [numpy expression, the same here, numpy's shape, its values, our dtype]. */
const ROWS: [string, () => Tensor, number[], number[], DType][] = [
  ['np.cumsum(m, axis=1)', () => m().cumsum(1), [2, 3], [3, 4, 6, 4, NaN, NaN], 'float64'],
  ['np.cumsum(m, axis=0)', () => m().cumsum(0), [2, 3], [3, 1, 2, 7, NaN, 1], 'float64'],
  ['np.cumsum(m)', () => m().cumsum(), [6], [3, 4, 6, 10, NaN, NaN], 'float64'],
  ['np.cumprod(m, axis=1)', () => m().cumprod(1), [2, 3], [3, 3, 6, 4, NaN, NaN], 'float64'],
  ['np.maximum.accumulate(m, axis=1)', () => m().cummax(1), [2, 3], [3, 3, 3, 4, NaN, NaN], 'float64'],
  ['np.minimum.accumulate(m, axis=0)', () => m().cummin(0), [2, 3], [3, 1, 2, 3, NaN, -1], 'float64'],
  ['np.cumsum(k, axis=0) (int32: numpy gives int64)', () => k().cumsum(0), [3, 4], [-5, -4, -3, -2, -6, -4, -2, 0, -3, 0, 3, 6], 'float64'],
  ['np.cumprod(k, axis=1)', () => k().cumprod(1), [3, 4], [-5, 20, -60, 120, -1, 0, 0, 0, 3, 12, 60, 360], 'float64'],
  ['np.maximum.accumulate(k, axis=1)', () => k().cummax(1), [3, 4], [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6], 'int32'],
  ['np.cumsum(b, axis=1)', () => b().cumsum(1), [2, 3], [1, 1, 2, 0, 0, 1], 'float64'],
  ['np.logical_or.accumulate(b, axis=1)', () => b().cummax(1), [2, 3], [1, 1, 1, 0, 0, 1], 'bool'],
  ['np.logical_and.accumulate(b, axis=0)', () => b().cummin(0), [2, 3], [1, 0, 1, 0, 0, 1], 'bool'],
  ['np.cumsum(f32.astype(np.float64)).astype(np.float32) (float32 accumulates in float64)', () => f([0.1, 0.2, 0.3, 1e8, -1e8, 0.5], 'float32').cumsum(),
    [6], [0.10000000149011612, 0.30000001192092896, 0.6000000238418579, 100000000.0, 0.6000000238418579, 1.100000023841858], 'float32'],
  ['np.sort(m, axis=1)', () => m().sort(1), [2, 3], [1, 2, 3, -1, 4, NaN], 'float64'],
  ['np.argsort(m, axis=1, kind="stable")', () => m().argsort(1), [2, 3], [1, 2, 0, 2, 0, 1], 'int32'],
  ['np.sort(m, axis=0)', () => m().sort(0), [2, 3], [3, 1, -1, 4, NaN, 2], 'float64'],
  ['np.argsort(np.array([2, 1, 2, 1, 0], dtype=np.int32), kind="stable")', () => f([2, 1, 2, 1, 0], 'int32').argsort(), [5], [4, 1, 3, 0, 2], 'int32'],
  ['np.argsort([0., -0., 0., nan, -inf, nan, inf], kind="stable")', () => tensor([0, -0, 0, NaN, -Infinity, NaN, Infinity]).argsort(), [7], [4, 0, 1, 2, 6, 3, 5], 'int32'],
  ['np.argsort(np.array([True, False, True, False]), kind="stable")', () => tensor([true, false, true, false]).argsort(), [4], [1, 3, 0, 2], 'int32'],
  ['np.median(m, axis=0)', () => m().median(0), [3], [3.5, NaN, 0.5], 'float64'],
  ['np.median(np.array([[1, 5, 2, 8], [3, 3, 9, 0]], dtype=np.int32), axis=1)', () => tensor([[1, 5, 2, 8], [3, 3, 9, 0]], { dtype: 'int32' }).median(1), [2], [3.5, 3], 'float64'],
  ['np.median(np.array([4., 1, 3]))', () => tensor([4, 1, 3]).median(), [], [3], 'float64'],
  ['np.quantile(np.array([1., 2, 3, 4, 10]), 0.3)', () => tensor([1, 2, 3, 4, 10]).quantile(0.3), [], [2.2], 'float64'],
  ['np.quantile([[1., 2, 3, 4], [0, 0, 8, 8]], [0.25, 0.75], axis=1)', () => tensor([[1, 2, 3, 4], [0, 0, 8, 8]]).quantile([0.25, 0.75], 1), [2, 2], [1.75, 0, 3.25, 8], 'float64'],
  ['np.quantile(np.array([3, 1, 2], dtype=np.float32), 0.9)', () => f([3, 1, 2], 'float32').quantile(0.9), [], [2.799999952316284], 'float32'],
  // found in review: the virtual index is (n - 1)·q (n·q + (1 - q) - 1 rounds differently), and at the end the weight is virtual + 1
  ['np.quantile(np.arange(10.), 0.1)', () => arange(10).quantile(0.1), [], [0.9], 'float64'],
  ['np.quantile(np.arange(10.), 0.3)', () => arange(10).quantile(0.3), [], [2.6999999999999997], 'float64'],
  ['np.quantile([-1, -0.25, 0, 1, 2], 0.1)', () => tensor([-1, -0.25, 0, 1, 2]).quantile(0.1), [], [-0.7], 'float64'],
  ['np.quantile([-0.], 0.5)', () => tensor([-0]).quantile(0.5), [], [-0], 'float64'],
  ['np.quantile([-1, -0.], 1.0)', () => tensor([-1, -0]).quantile(1), [], [0], 'float64'],
  // numpy's running product: past an overflow to inf, a zero gives NaN (the reductions' zero rule gave 0)
  ['np.cumprod([1e200, 1e200, 0, 5])', () => tensor([1e200, 1e200, 0, 5]).cumprod(), [4], [1e200, Infinity, NaN, NaN], 'float64'],
  ['np.searchsorted([1., 3, 3, 5, nan], [0, 3, 4, 6, nan])', () => tensor([1, 3, 3, 5, NaN]).searchsorted([0, 3, 4, 6, NaN]), [5], [0, 1, 3, 4, 4], 'int32'],
  ['np.searchsorted([1., 3, 3, 5, nan], [0, 3, 4, 6, nan], side="right")', () => tensor([1, 3, 3, 5, NaN]).searchsorted([0, 3, 4, 6, NaN], { side: 'right' }), [5], [0, 3, 3, 4, 5], 'int32'],
];

describe('numpy rows', () => {
  for (const o of BACKENDS) {
    it(`scans, sorts and order statistics on ${label(o)}`, () => {
      const ts = ROWS.map(([, fn]) => fn());
      realize(ts, o); // one program for all rows
      for (const [i, [expr, , shape, values, dtype]] of ROWS.entries()) {
        const t = ts[i];
        expect(t.shape, expr).toEqual(shape);
        expect(t.dtype, expr).toBe(dtype);
        expectValues(t.data(), values, `${expr} on ${label(o)}`);
      }
    });
  }

  it('topk: the k largest (or smallest) in order with their positions (numpy argsort of -x, stable)', () => {
    const x = tensor([[5, 1, 4, 1, 3]]);
    const [v, i] = x.topk(3);
    expect([v.toArray(), i.toArray()]).toEqual([[[5, 4, 3]], [[0, 2, 4]]]);
    const [s, j] = x.topk(2, -1, { largest: false });
    expect([s.toArray(), j.toArray()]).toEqual([[[1, 1]], [[1, 3]]]); // ties: the first first
    expect(x.topk(0)[0].shape).toEqual([1, 0]);
  });

  it('unique: sorted distinct values, NaNs as one (numpy 1.24), with counts', () => {
    const [u, c] = tensor([3, 1, NaN, 1, NaN, 2]).unique({ counts: true });
    expectValues(u.data(), [1, 2, 3, NaN], 'np.unique([3., 1, nan, 1, nan, 2])');
    expect(Array.from(c.data())).toEqual([2, 1, 1, 2]);
    const v = tensor([[2, 2], [1, 3]], { dtype: 'int32' }).unique();
    expect([v.dtype, v.toArray()]).toEqual(['int32', [1, 2, 3]]);
    expect(tensor([]).unique().shape).toEqual([0]);
    const w = tensor([true, false, true]).unique(); // found in review: was int32
    expect([w.dtype, w.toArray()]).toEqual(['bool', [false, true]]);
  });

  it('±0 in cummax/cummin are settled as max/min settle them (+0 above -0; numpy keeps whichever came later)', () => {
    for (const o of BACKENDS) {
      expectValues(tensor([-0, 0, -0]).cummax().eval(o).data(), [-0, 0, 0], `cummax on ${label(o)}`);
      expectValues(tensor([0, -0, 0]).cummin().eval(o).data(), [0, -0, -0], `cummin on ${label(o)}`);
    }
  });
});

// ---- the C kernels against the reference, and against independent oracles --------------------

const DTYPES: DType[] = ['float32', 'float64', 'int32', 'bool', 'uint8', 'int8', 'uint16', 'int16', 'uint32'];

/** Random values of `dtype` with ties, NaN, ±inf and ±0 among them. */
function values(dtype: DType, shape: number[], seed: number): Tensor {
  const r = rand(shape, { seed, dtype: 'float64' }).mul(8).floor().sub(4);
  if (dtype === 'bool') return r.gt(0);
  if (dtype === 'int32') return r.mul(123457).cast('int32');
  // other integers: ties and both ends of the range (-4..3 scaled to the signed range, 0..7 to the unsigned one)
  if (dtype === 'int8' || dtype === 'int16') return r.mul(dtype === 'int8' ? 31 : 8191).cast(dtype);
  if (dtype === 'uint8' || dtype === 'uint16' || dtype === 'uint32') return r.add(4).mul({ uint8: 36, uint16: 9362, uint32: 613566756 }[dtype]).cast(dtype);
  const specials = tf.where(r.eq(-4), NaN, tf.where(r.eq(3), Infinity, tf.where(r.eq(-3), -0, randn(shape, { seed: seed + 1 }))));
  // Realized on the reference: randn's log and cos differ by an ulp between backends, the inputs must not.
  return specials.cast(dtype).eval({ backend: 'ts' });
}

const SCANS = ['cumsum', 'cumprod', 'cummax', 'cummin'] as const;

describe('C kernels agree with the reference bit for bit', () => {
  it('random shapes, axes, dtypes and fused producers and consumers (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 3 }), fc.nat(), fc.constantFrom(...DTYPES), fc.constantFrom(...SCANS), fc.integer({ min: 1, max: 1e6 }),
      (shape, ax, dtype, op, seed) => {
        const axis = ax % shape.length;
        const x = values(dtype, shape, seed);
        const exprs = (t: Tensor) => [t[op](axis), t[op](axis).mul(2).add(1), t.argsort(axis), t.argsort(axis, { descending: true }), t.sort(axis)];
        const ref = exprs(x);
        realize(ref, { backend: 'ts' });
        for (const fuse of [true, false]) {
          const got = exprs(x);
          realize(got, { backend: 'c', fuse });
          got.forEach((g, i) => {
            const a = g.data(), e = ref[i].data();
            for (let j = 0; j < e.length; j++) if (!sameNumber(a[j], e[j])) expect.fail(`${op}/sort expression ${i} of ${dtype}${JSON.stringify(shape)} axis ${axis} seed ${seed} (fuse ${fuse}): at ${j} ${a[j]} != ${e[j]}`);
          });
        }
      }), { numRuns: propertyRuns(12), seed: 15 });
  });

  it('searchsorted is a binary search in NaN-last order: the count of elements before each value (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 40 }), fc.constantFrom('float64', 'float32', 'int32') as fc.Arbitrary<DType>, fc.integer({ min: 1, max: 1e6 }),
      (n, m, dtype, seed) => {
        const table = values(dtype, [n], seed).sort().eval({ backend: 'ts' }), x = values(dtype, [m], seed + 7);
        const a = table.data(), v = x.data();
        for (const side of ['left', 'right'] as const) {
          const want = Array.from(v, (y) => Array.from(a).filter((e) => (side === 'left' ? e < y || (y !== y && e === e) : e <= y || y !== y)).length);
          for (const o of BACKENDS) {
            expect(Array.from(table.searchsorted(x, { side }).eval(o).data()), `${dtype} n=${n} seed ${seed} ${side} on ${label(o)}`).toEqual(want);
          }
        }
      }), { numRuns: propertyRuns(6), seed: 16 });
  });

  it('a long line is chunked: the same bits for 1, 2 and 3 threads and the reference, float32/float64/int32', () => {
    const saved = config().threads;
    try {
      for (const dtype of ['float32', 'float64', 'int32'] as DType[]) {
        const x = values(dtype, [(1 << 18) + 37], 7);
        const ref = x.cumsum().mul(3).eval({ backend: 'ts' }).data();
        for (const threads of [1, 2, 3]) {
          configure({ threads });
          const got = x.cumsum().mul(3).eval().data();
          let bad = -1;
          for (let j = 0; j < ref.length && bad < 0; j++) if (!sameNumber(got[j], ref[j])) bad = j;
          expect(bad, `${dtype} cumsum on ${threads} threads: first difference`).toBe(-1);
        }
        expect(x.cumsum().explain()).toMatch(/64 chunks/);
      }
    } finally { configure({ threads: saved }); }
  });

  it('int32 cumsum and cumprod are exact 64-bit values (numpy int64), checked with BigInt', () => {
    const x = tensor(Int32Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? -1 : 1) * (2 ** 31 - 1 - i)));
    for (const o of BACKENDS) {
      const s = x.cumsum().eval(o).data(), p = x.cumprod().eval(o).data();
      let sum = 0n, prod = 1n;
      for (let i = 0; i < 3000; i++) {
        sum += BigInt(x.data()[i]); prod = BigInt.asIntN(64, prod * BigInt(x.data()[i]));
        if (s[i] !== Number(sum) || p[i] !== Number(prod)) expect.fail(`${label(o)} at ${i}: ${s[i]}, ${p[i]} vs ${sum}, ${prod}`);
      }
    }
  });

  it('float32 cumsum is within one rounding of the exact running sum (float64 accumulation)', () => {
    const x = rand([100000], { seed: 3, dtype: 'float32' });
    const got = x.cumsum().data(), v = x.data();
    // The exact running sum of float32 values: integers after scaling by 2^24 (every value is k·2^-24).
    let exact = 0n;
    for (let i = 0; i < v.length; i++) {
      exact += BigInt(Math.round(v[i] * 2 ** 24));
      const want = Math.fround(Number(exact) / 2 ** 24);
      if (Math.abs(got[i] - want) > Math.abs(want) * 2 ** -23) expect.fail(`at ${i}: ${got[i]} vs ${want}`);
    }
  });

  it('argsort is a stable sorting permutation in NaN-last order (an oracle independent of the reference)', () => {
    for (const dtype of DTYPES) {
      const x = values(dtype, [40, 333], 11);
      for (const descending of [false, true]) {
        const idx = x.argsort(1, { descending }).data(), v = x.data();
        for (let r = 0; r < 40; r++) {
          const seen = new Set<number>();
          for (let j = 0; j < 333; j++) {
            const p = idx[r * 333 + j];
            seen.add(p);
            if (j === 0) continue;
            const q = idx[r * 333 + j - 1], a = v[r * 333 + q], c = v[r * 333 + p];
            const ordered = a !== a ? c !== c && q < p : c !== c ? true : a === c ? q < p : descending ? a > c : a < c;
            if (!ordered) expect.fail(`${dtype} descending=${descending} row ${r} at ${j}: ${a}@${q} before ${c}@${p}`);
          }
          expect(seen.size).toBe(333);
        }
      }
    }
  });
});

describe('fusion and loops', () => {
  it('producers fuse into the scan loop and elementwise consumers into its epilogue: one kernel', () => {
    const x = rand([64, 100], { seed: 1 });
    for (const axis of [0, 1]) {
      const y = x.abs().cumsum(axis).mul(2).add(1);
      const plan = y.explain();
      expect(plan, plan).toMatch(/program: 1 kernel/);
      expect(plan).toMatch(axis === 0 ? /side by side/ : /each line along axis 1/);
      expectValues(y.data(), Array.from(x.abs().cumsum(axis).mul(2).add(1).eval({ backend: 'ts' }).data()), `axis ${axis}`);
    }
    // A scan along a middle axis of a 3-D tensor (lines side by side, an outer dim split across threads).
    const z = rand([3, 50, 20], { seed: 2, dtype: 'float32' }).cummax(1);
    expectValues(z.data(), Array.from(z.eval({ backend: 'ts' }).data()), 'cummax axis 1 of [3,50,20]');
  });

  it('argsort loads fused producers; sort and topk gather with its positions', () => {
    const x = rand([8, 1000], { seed: 4, dtype: 'float32' });
    const plan = x.mul(-1).argsort().explain();
    expect(plan).toMatch(/program: 1 kernel/);
    expect(plan).toMatch(/radix/);
    const s = x.sort(1).data();
    for (let r = 0; r < 8; r++) for (let j = 1; j < 1000; j++) expect(s[r * 1000 + j] >= s[r * 1000 + j - 1]).toBe(true);
  });
});

describe('errors', () => {
  it('bad axes, k, q and options are TensorErrors naming the op', () => {
    expect(() => m().cumsum(2)).toThrow(/cumsum: .*axis/);
    expect(() => m().argsort(-3)).toThrow(ShapeError);
    expect(() => tensor(5).sort()).toThrow(/sort: /);
    expect(() => m().topk(4)).toThrow(/topk: k must be an integer from 0 to 3/);
    expect(() => m().topk(1.5)).toThrow(ShapeError);
    expect(() => m().quantile(1.5)).toThrow(/quantile: q must be a number in \[0, 1\]/);
    expect(() => m().quantile([])).toThrow(/quantile: q is an empty list/);
    // found by the API fuzz (seed 23): a sparse array of length 2^32 - 1 was walked until the process died
    expect(() => m().quantile(new Array(2 ** 32 - 1))).toThrow(/quantile: 4294967295 quantiles; at most 1024/);
    expect(() => tensor([]).median()).toThrow(/median: axis 0 of \[0\] is empty/);
    expect(() => m().searchsorted(1)).toThrow(/searchsorted: the sorted tensor must be 1-D/);
    expect(() => tensor([1, 2]).searchsorted(1, { side: 'middle' as never })).toThrow(/side must be 'left' or 'right'/);
    expect(() => m().sort(0, 'desc' as never)).toThrow(/sort: options must be an object/);
    expect(() => m().argsort(0, { descending: 1 as never })).toThrow(/descending must be a boolean/);
    expect(() => m().unique(null as never)).toThrow(TensorError);
  });
});

const g1 = (f: (t: Tensor) => Tensor) => (x: Tensor) => grad(f)(x) as Tensor;

describe('gradients', () => {
  it('cumsum, cumprod and cummax differentiate (hand-computed values)', () => {
    const x = tensor([2, 3, 1, 4]);
    // sum(w * cumsum(x)) = sum_i x_i * (w_i + ... + w_3)
    const w = tensor([1, 10, 100, 1000]);
    expect(g1((t: Tensor) => t.cumsum().mul(w).sum())(x).toArray()).toEqual([1111, 1110, 1100, 1000]);
    // sum(cumprod(x)) = 2 + 6 + 6 + 24: d/dx0 = 1 + 3 + 3 + 12 = 19, d/dx1 = 2 + 2 + 8 = 12, d/dx2 = 6 + 24 = 30, d/dx3 = 6
    expect(g1((t: Tensor) => t.cumprod().sum())(x).toArray()).toEqual([19, 12, 30, 6]);
    // cummax = [2, 3, 3, 4]: each output's gradient goes to the element where the running max was attained
    expect(g1((t: Tensor) => t.cummax().mul(w).sum())(x).toArray()).toEqual([1, 110, 0, 1000]);
    expect(g1((t: Tensor) => t.cummin().mul(w).sum())(x).toArray()).toEqual([11, 0, 1100, 0]);
    // NaN outputs come from the NaN before them (as PyTorch's indices [0, 1, 1]; found in review: was [3, 0, 0])
    expect(g1((t: Tensor) => t.cummax().sum())(tensor([1, NaN, 2])).toArray()).toEqual([1, 2, 0]);
    expect(g1((t: Tensor) => t.cummin().sum())(tensor([3, NaN, 0])).toArray()).toEqual([1, 2, 0]);
    // ties: the last element attaining the running value gets the rest
    expect(g1((t: Tensor) => t.cummax().sum())(tensor([2, 1, 2, 2])).toArray()).toEqual([2, 0, 1, 1]);
    // along an axis of a matrix, through sort (a gather: the gradient goes back to each element's place)
    const y = tensor([[3, 1], [2, 5]]);
    expect(g1((t: Tensor) => t.cumsum(0).sum())(y).toArray()).toEqual([[2, 2], [1, 1]]);
    expect(g1((t: Tensor) => t.sort(1).mul(tensor([1, 10])).sum())(y).toArray()).toEqual([[10, 1], [1, 10]]);
  });
});
