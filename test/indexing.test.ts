// numpy indexing (issue 14): x.at(...) is x[...], x.at(...).assign(v, { op }) is x[...] = v / np.<op>.at.
// Every expected value below was printed by numpy 1.24 for the expression in its row (a python script
// kept in no file: each row names its expression), on the reference backend, fused C and unfused C.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expectValues, propertyRuns } from './helpers.js';
import type { IndexItem } from '../src/index.js';
import { arange, argwhere, bincount, configure, full, jit, nonzero, oneHot, rand, ShapeError, Tensor, tensor, TensorError, zeros, DTypeError } from '../src/index.js';
import { DTYPES } from '../src/dtype.js';

const BACKENDS = [{ backend: 'ts' }, { backend: 'c' }, { backend: 'c', fuse: false }] as const;
const label = (o: (typeof BACKENDS)[number]) => `${o.backend}${'fuse' in o ? ' unfused' : ''}`;

const x = () => arange(24).reshape([2, 3, 4]);
const m = () => arange(12).reshape([3, 4]);
const a = () => arange(10);
const i32 = (v: number[]) => tensor(v, { dtype: 'int32' });

/** [numpy expression, the same with at(), numpy's shape, numpy's values]. */
const READS: [string, () => Tensor, number[], number[]][] = [
  ['x[..., 0]', () => x().at('...', 0), [2, 3], [0, 4, 8, 12, 16, 20]],
  ['x[None, :]', () => x().at(null, ':'), [1, 2, 3, 4], [...Array(24).keys()]],
  ['m[:, [1, 0]]', () => m().at(':', [1, 0]), [3, 2], [1, 0, 5, 4, 9, 8]],
  ['m[[0, 2], :]', () => m().at([0, 2], ':'), [2, 4], [0, 1, 2, 3, 8, 9, 10, 11]],
  ['x[[0, 1], :, [0, 2]] (separated: B first)', () => x().at([0, 1], ':', [0, 2]), [2, 3], [0, 4, 8, 14, 18, 22]],
  ['x[:, [0, 2], [1, 3]] (adjacent: B in place)', () => x().at(':', [0, 2], [1, 3]), [2, 2], [1, 11, 13, 23]],
  ['x[0, :, [1, 2]] (an integer is an array index here)', () => x().at(0, ':', [1, 2]), [2, 3], [1, 5, 9, 2, 6, 10]],
  ['x[[[0], [1]], [0, 2]] (broadcast)', () => x().at([[0], [1]], [0, 2]), [2, 2, 4], [0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 20, 21, 22, 23]],
  ['x[x > 10]', () => x().at(x().gt(10)), [13], [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]],
  ['x[[True, False], :, [1, 2]] (mask with broadcast)', () => x().at([true, false], ':', [1, 2]), [2, 3], [1, 5, 9, 2, 6, 10]],
  ['a[8:2:-2]', () => a().at('8:2:-2'), [3], [8, 6, 4]],
  ['a[-3:]', () => a().at('-3:'), [3], [7, 8, 9]],
  ['a[::-1]', () => a().at('::-1'), [10], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]],
  ['m[1:, [0, -1]]', () => m().at('1:', [0, -1]), [2, 2], [4, 7, 8, 11]],
  ['x[[0, 1], None, [0, 1]] (None separates)', () => x().at([0, 1], null, [0, 1]), [2, 1, 4], [0, 1, 2, 3, 16, 17, 18, 19]],
  ['x[:, None, [1]]', () => x().at(':', null, [1]), [2, 1, 1, 4], [4, 5, 6, 7, 16, 17, 18, 19]],
  ['m[m % 3 == 0]', () => m().at(m().mod(3).eq(0)), [4], [0, 3, 6, 9]],
  ['x[1, [2, 0]]', () => x().at(1, [2, 0]), [2, 4], [20, 21, 22, 23, 12, 13, 14, 15]],
  ['x[1, -1, 2] (a 0-d view)', () => x().at(1, -1, 2), [], [22]],
  ['np.take(m, [[0, 5], [11, -1]])', () => m().take([[0, 5], [11, -1]]), [2, 2], [0, 5, 11, 11]],
  ['np.take(m, [2, 0], axis=1)', () => m().take(i32([2, 0]), 1), [3, 2], [2, 0, 6, 4, 10, 8]],
  ['np.take_along_axis(m, [[0], [3], [1]], axis=1)', () => m().takeAlongAxis([[0], [3], [1]], 1), [3, 1], [0, 7, 9]],
  ['np.take_along_axis(m, np.argsort(-m, axis=1), axis=1)', () => m().takeAlongAxis([[3, 2, 1, 0], [3, 2, 1, 0], [3, 2, 1, 0]], 1), [3, 4], [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8]],
  ['x[True].shape', () => x().at(true), [1, 2, 3, 4], [...Array(24).keys()]],
  ['x[False].shape', () => x().at(false), [0, 2, 3, 4], []],
  ['x[[]].shape', () => x().at([]), [0, 3, 4], []],
];

/** [numpy statements, the same with at().assign, numpy's result]. */
type Opts = { backend: 'ts' | 'c'; fuse?: boolean };
const WRITES: [string, (o: Opts) => Tensor, number[]][] = [
  ['b = np.arange(10); b[[1, 1, 3]] = [10, 20, 30] (the last duplicate wins)', (o) => { const b = a().eval(); b.at([1, 1, 3]).assign(tensor([10, 20, 30], { dtype: 'int32' }), o); return b; }, [0, 20, 2, 30, 4, 5, 6, 7, 8, 9]],
  ["np.add.at(np.zeros(4, int32), [0, 1, 1, 3, 3, 3], 1)", (o) => { const h = zeros([4], 'int32'); h.at([0, 1, 1, 3, 3, 3]).assign(1, { ...o, op: 'add' }); return h; }, [1, 2, 0, 3]],
  ['np.add.at(np.zeros(3), [0, 0, 2], [1.5, 2.5, -1])', (o) => { const h = zeros([3]); h.at([0, 0, 2]).assign(tensor([1.5, 2.5, -1]), { ...o, op: 'add' }); return h; }, [4, 0, -1]],
  ['np.maximum.at(np.full(3, 5), [0, 0, 2], [7, 9, 1])', (o) => { const h = zeros([3], 'int32').add(5).eval(); h.at([0, 0, 2]).assign(i32([7, 9, 1]), { ...o, op: 'max' }); return h; }, [9, 5, 5]],
  ['np.minimum.at(np.full(3, 5), [0, 0, 2], [7, 2, 1])', (o) => { const h = zeros([3], 'int32').add(5).eval(); h.at([0, 0, 2]).assign(i32([7, 2, 1]), { ...o, op: 'min' }); return h; }, [2, 5, 1]],
  ['np.multiply.at(np.full(3, 2), [1, 1, 1], [3, 4, 5])', (o) => { const h = zeros([3], 'int32').add(2).eval(); h.at([1, 1, 1]).assign(i32([3, 4, 5]), { ...o, op: 'mul' }); return h; }, [2, 120, 2]],
  ['b = np.arange(12).reshape(3, 4); b[[0, 2]] = [1, 2, 3, 4] (broadcast)', (o) => { const b = m().eval(); b.at([0, 2]).assign(i32([1, 2, 3, 4]), o); return b; }, [1, 2, 3, 4, 4, 5, 6, 7, 1, 2, 3, 4]],
  ['b = np.arange(12).reshape(3, 4); b[:, [1, 0]] = [[-1, -2]]', (o) => { const b = m().eval(); b.at(':', [1, 0]).assign(tensor([[-1, -2]], { dtype: 'int32' }), o); return b; }, [-2, -1, 2, 3, -2, -1, 6, 7, -2, -1, 10, 11]],
  ['np.put_along_axis(np.arange(12).reshape(3, 4), [[0], [3], [1]], -5, axis=1)', (o) => m().eval().putAlongAxis([[0], [3], [1]], -5, 1, o), [-5, 1, 2, 3, 4, 5, 6, -5, 8, -5, 10, 11]],
  ['b = np.arange(6.0) - 2; b[b < 0] = 0', (o) => { const b = arange(6).cast('float64').sub(2).eval(); b.at(b.lt(0)).assign(0, o); return b; }, [0, 0, 0, 1, 2, 3]],
  ['b = np.arange(24).reshape(2, 3, 4); b[[0, 1], :, [0, 2]] = [100, 200, 300]', (o) => { const b = x().eval(); b.at([0, 1], ':', [0, 2]).assign(i32([100, 200, 300]), o); return b; }, [100, 1, 2, 3, 200, 5, 6, 7, 300, 9, 10, 11, 12, 13, 100, 15, 16, 17, 200, 19, 20, 21, 300, 23]],
  ['b = np.arange(12).reshape(3, 4); b[1:, [0, -1]] += 100 (through a slice)', (o) => { const b = m().eval(); b.at('1:', [0, -1]).assign(100, { ...o, op: 'add' }); return b; }, [0, 1, 2, 3, 104, 5, 6, 107, 108, 9, 10, 111]],
  ['b = np.arange(12).reshape(3, 4); b.T[[1, 3]] = 0 (through a transposed view)', (o) => { const b = m().eval(); b.T.at([1, 3]).assign(0, o); return b; }, [0, 0, 2, 0, 4, 0, 6, 0, 8, 0, 10, 0]],
];

describe('at(): numpy indexing, literal answers', () => {
  for (const o of BACKENDS) {
    it(`reads as numpy does (${label(o)})`, () => {
      for (const [expr, f, shape, values] of READS) {
        const t = f();
        expect(t.shape, expr).toEqual(shape);
        expect(Array.from(t.eval(o).data()), expr).toEqual(values);
      }
    });
    it(`writes as numpy does (${label(o)})`, () => {
      for (const [expr, f, values] of WRITES) {
        expect(Array.from(f(o).eval(o).data()), expr).toEqual(values);
      }
    });
  }
});

describe('indexing helpers, literal answers', () => {
  it('nonzero and argwhere: np.nonzero / np.argwhere([[0, 3, 0], [4, 0, 5]])', () => {
    const t = tensor([[0, 3, 0], [4, 0, 5]]);
    expect(nonzero(t).map((c) => c.toArray())).toEqual([[0, 1, 1], [1, 0, 2]]);
    expect(t.nonzero().map((c) => c.dtype)).toEqual(['int32', 'int32']);
    expect(argwhere(t).toArray()).toEqual([[0, 1], [1, 0], [1, 2]]);
    expect(t.argwhere().shape).toEqual([3, 2]);
  });
  it('bincount: np.bincount([0, 1, 1, 3]), with minlength=6, with weights=[0.5, 1, 2, -1]', () => {
    const v = i32([0, 1, 1, 3]);
    expect(bincount(v).toArray()).toEqual([1, 2, 0, 1]);
    expect(bincount(v).dtype).toBe('int32');
    expect(bincount(v, { minlength: 6 }).toArray()).toEqual([1, 2, 0, 1, 0, 0]);
    expect(bincount(v, { weights: tensor([0.5, 1, 2, -1]) }).toArray()).toEqual([0.5, 3, 0, -1]);
    expect(() => bincount(i32([0, -1]))).toThrow(/non-negative/);
  });
  it('oneHot as tfjs: tf.oneHot([0, 2, 5], 3) is [[1,0,0],[0,0,1],[0,0,0]] (an index past depth is a row of zeros)', () => {
    expect(oneHot([0, 2, 5], 3).toArray()).toEqual([[1, 0, 0], [0, 0, 1], [0, 0, 0]]);
    expect(oneHot(i32([1]), 2, 'float32').dtype).toBe('float32');
  });
  it("scatter as PyTorch's docs: zeros(3, 5).scatter_(0, [[0, 1, 2, 0]], arange(1, 11).reshape(2, 5))", () => {
    const src = arange(1, 11).reshape([2, 5]);
    for (const o of BACKENDS) {
      const out = zeros([3, 5], 'int32').scatter(0, [[0, 1, 2, 0]], src);
      expect(out.eval(o).toArray(), label(o)).toEqual([[1, 0, 0, 4, 0], [0, 2, 0, 0, 0], [0, 0, 3, 0, 0]]);
      // scatter_add (PyTorch docs): zeros(3, 5).scatter_add_(0, [[0, 1, 2, 0, 0], [2, 0, 0, 1, 2]], ones(2, 5))
      const add = zeros([3, 5]).scatter(0, [[0, 1, 2, 0, 0], [2, 0, 0, 1, 2]], 1, { op: 'add' });
      expect(add.eval(o).toArray(), label(o)).toEqual([[1, 1, 1, 1, 1], [0, 1, 0, 1, 0], [1, 0, 1, 0, 1]]);
    }
  });
  it('scatter is out of place: the tensor scattered into is unchanged', () => {
    const base = zeros([4], 'int32').eval();
    const out = base.scatter(0, [1, 1], 7);
    expect(out.toArray()).toEqual([0, 7, 0, 0]);
    expect(base.toArray()).toEqual([0, 0, 0, 0]);
  });
});

describe('indexing errors and hostile input: TensorErrors, never a crash or an out-of-bounds access', () => {
  it('out-of-range numbers are ShapeErrors naming the axis, the index and the size', () => {
    expect(() => m().at(3)).toThrow(ShapeError);
    expect(() => m().at(3)).toThrow(/index 3 is out of range for axis 0 of size 3/);
    expect(() => m().at(0, -5)).toThrow(/index -5 is out of range for axis 1 of size 4/);
    // the values of a JS array are known now: checked when recorded, like numbers
    expect(() => m().at([0, 4])).toThrow(ShapeError);
    expect(() => m().at(':', [0, -5])).toThrow(/index -5 is out of range for axis 1 of size 4/);
    expect(() => m().take([12])).toThrow(/index 12 is out of range for axis 0 of size 12/);
  });
  for (const o of BACKENDS) {
    it(`index tensors with out-of-range, huge, negative or NaN-cast values fail at eval (${label(o)})`, () => {
      const bad = [[3], [-4], [2147483647], [-2147483648], [0, 1, 2, 3]];
      for (const v of bad) {
        expect(() => m().at(i32(v)).eval(o), String(v)).toThrow(TensorError);
        expect(() => m().at(i32(v)).eval(o), String(v)).toThrow(/out of range for axis 0 \(size 3\) of a \[3,4\] tensor/);
      }
      // NaN cast to int32 is 0 (documented): in range.
      expect(m().at(tensor([NaN]).cast('int32')).eval(o).toArray()).toEqual([[0, 1, 2, 3]]);
      // a computed (fused) index is checked too
      expect(() => a().take(arange(5).mul(3)).eval(o)).toThrow(/out of range for axis 0 \(size 10\)/);
    });
    it(`a scatter with an out-of-range index writes nothing (${label(o)})`, () => {
      const h = arange(4).eval();
      expect(() => h.at(i32([0, 1, 9])).assign(i32([7, 7, 7]), o)).toThrow(/index assignment: .*out of range.*Nothing was written/);
      expect(h.toArray()).toEqual([0, 1, 2, 3]);
      expect(() => h.at(i32([-5, 0])).assign(1, { ...o, op: 'add' })).toThrow(TensorError);
      expect(h.toArray()).toEqual([0, 1, 2, 3]);
    });
    it(`y.assign(x.take(bad)) leaves y unchanged (${label(o)})`, () => {
      const y = arange(3).eval();
      expect(() => y.assign(a().take(i32([0, 50, 1])), o)).toThrow(/out of range/);
      expect(y.toArray()).toEqual([0, 1, 2]);
    });
  }
  it('bad items are TensorErrors that say what an index can be', () => {
    expect(() => m().at('1:2:0')).toThrow(/step 0/);
    expect(() => m().at('a:b')).toThrow(/is not an index/);
    expect(() => m().at({} as never)).toThrow(/is not an index/);
    expect(() => m().at(1.5)).toThrow(/must be an integer/);
    expect(() => m().at([0.5])).toThrow(/must hold integers/);
    // @ts-expect-error a float64 index tensor: refused by the types too
    expect(() => m().at(tensor([0.0]))).toThrow(DTypeError);
    expect(() => m().at('...', 0, '...')).toThrow(/only one ellipsis/);
    expect(() => m().at(0, 0, 0)).toThrow(/too many indices/);
    expect(() => m().at([true, false])).toThrow(/does not match axis 0/);
    expect(() => m().at([0, 1], [[0, 1, 2]])).toThrow(/cannot broadcast/);
    expect(() => zeros([0, 3]).at([0])).toThrow(/size 0/);
    expect(() => m().at([0]).assign(1, { op: 'pow' as never })).toThrow(/op must be one of/);
    // @ts-expect-error refused by the types too
    expect(() => m().at([0]).assign(tensor([1.5]))).toThrow(/dtype/);
    // found by the API fuzz: a detached TypedArray as an index threw a TypeError from inside
    const detached = new Float64Array(4);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    expect(() => m().scatter(0, detached as never, 1)).toThrow(TensorError);
    expect(() => m().at(detached as never)).toThrow(TensorError);
    // an array whose reads throw: the user's own exception comes through (nothing half-recorded)
    const hostile = new Proxy([0], { get: () => { throw new Error('trap'); } });
    expect(() => m().at(hostile)).toThrow('trap');
  });
  it('writing through an index of a computed value or a broadcast is refused, never a silent no-op', () => {
    expect(() => tensor([1, 2, 3]).add(1).at([0]).assign(0)).toThrow(/lazy computed value/);
    const b = tensor([1, 2]).expand([3, 2]);
    expect(() => b.at([0]).assign(0)).toThrow(/cannot write through/);
  });
});

describe('indexing: lazy, fused, in place', () => {
  it('a scatter is its own kernel with the producers of its values fused in', () => {
    const v = rand([4], { seed: 2 }).eval();
    const t = zeros([8]).scatter(0, i32([0, 3, 3, 7]), v.exp().mul(2), { op: 'add' });
    expect(t.explain()).toMatch(/kernel S\d_8: fuses exp mul scatter/);
    const e = Array.from(v.data(), (x) => 2 * Math.exp(x));
    const want = [e[0], 0, 0, e[1] + e[2], 0, 0, 0, e[3]];
    for (const o of BACKENDS) expectValues(t.eval(o).data(), want, label(o), { ulps: 4 });
  });

  it('a gather fuses with its producers and consumers into one kernel', () => {
    const src = rand([64], { seed: 1 }).eval();
    const t = src.exp().take(i32([3, 1, 4, 1, 5])).mul(2).add(1);
    expect(t.explain()).toMatch(/program: 1 kernel[^]*kernel E0_5: fuses exp gather mul add/);
    const s = Array.from(src.data());
    const want = [3, 1, 4, 1, 5].map((i) => 2 * Math.exp(s[i]) + 1);
    for (const o of BACKENDS) expectValues(t.eval(o).data(), want, label(o), { ulps: 4 });
  });
  it('a gather reads the current storage after a write through it', () => {
    const b = arange(5).eval();
    const g = b.at([1, 3]);
    g.assign(i32([10, 30]));
    expect(g.toArray()).toEqual([10, 30]);
    expect(b.toArray()).toEqual([0, 10, 2, 30, 4]);
  });
  it('x[idx] = x[idx2] reads the old values first (the hazard rule)', () => {
    for (const o of BACKENDS) {
      const b = arange(5).eval();
      b.at([0, 1, 2]).assign(b.at([1, 2, 3]), o); // numpy: b[[0,1,2]] = b[[1,2,3]] gives [1, 2, 3, 3, 4]
      expect(b.toArray(), label(o)).toEqual([1, 2, 3, 3, 4]);
    }
  });
  it('a histogram of 2^17 values into 64 bins counts every duplicate, the same on every thread count', () => {
    const bins = rand([1 << 17], { seed: 5 }).mul(64).floor().cast('int32').eval();
    // enough positions for the parallel path (chunks folded into partials), which this test is for
    const ones = full([1 << 17], 1, 'int32');
    expect(zeros([64], 'int32').scatter(0, bins, ones, { op: 'add' }).explain()).toMatch(/an order-free combine: 16 chunks of the positions/);
    const expected = new Array<number>(64).fill(0);
    for (const v of bins.data()) expected[v]++;
    for (const o of BACKENDS) {
      const h = zeros([64], 'int32');
      h.at(bins).assign(1, { ...o, op: 'add' });
      expect(Array.from(h.data()), label(o)).toEqual(expected);
    }
  });
  it('float32 np.add.at accumulates in float64 and rounds once: 2^20 adds of 0.1f', () => {
    const h = zeros([2], 'float32');
    h.at(tensor(new Int32Array(1 << 20))).assign(0.1, { op: 'add' });
    expect(h.toArray()).toEqual([Math.fround(Math.fround(0.1) * 2 ** 20), 0]);
  });
  it('a mask is evaluated when recorded; the rest stays lazy', () => {
    const v = tensor([1, -2, 3]);
    const sel = v.at(v.gt(0)).mul(10);
    expect(sel.isRealized).toBe(false);
    expect(sel.toArray()).toEqual([10, 30]);
  });
});

describe('indexing property: random index expressions agree on fused C, unfused C and the reference', () => {
  /** An index item for an axis of size n, from fast-check draws. */
  const itemArb = (n: number): fc.Arbitrary<unknown> => fc.oneof(
    fc.tuple(fc.option(fc.integer({ min: -n - 2, max: n + 2 })), fc.option(fc.integer({ min: -n - 2, max: n + 2 })), fc.constantFrom(1, 2, -1, -2, 3))
      .map(([b, e, st]) => `${b ?? ''}:${e ?? ''}:${st}`),
    fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    fc.constant(null),
    // positions exist only in a non-empty axis
    ...(n > 0 ? [fc.integer({ min: -n, max: n - 1 }), fc.array(fc.integer({ min: -n, max: n - 1 }), { maxLength: 4 })] : [fc.constant([])]),
    // an index tensor, whose values are checked when the program runs: some out of range
    fc.array(fc.integer({ min: -n - 2, max: n + 1 }), { maxLength: 4 }).map((a) => tensor(a, { dtype: 'int32' })),
  );
  /** Each backend's values, or the class of the error it raised (all must agree). */
  const outcome = (f: () => ArrayLike<number>): number[] | string => {
    try { return Array.from(f()); } catch (e) { expect(e).toBeInstanceOf(TensorError); return (e as Error).constructor.name; }
  };
  const show = (list: readonly unknown[]) => JSON.stringify(list.map((i) => (i instanceof Tensor ? `tensor(${JSON.stringify(Array.from(i.data()))})` : i)));
  const caseArb = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }).chain((shape) => fc.record({
    shape: fc.constant(shape),
    items: fc.tuple(...shape.map((n) => itemArb(n))).chain((items) => fc.integer({ min: 0, max: items.length }).map((k) => items.slice(0, k))),
    dtype: fc.constantFrom(...DTYPES),
    op: fc.constantFrom(undefined, 'add', 'mul', 'max', 'min') as fc.Arbitrary<'add' | 'mul' | 'max' | 'min' | undefined>,
    seed: fc.integer({ min: 0, max: 1000 }),
    // where a '...' goes among the items (past the end: none)
    ellipsis: fc.integer({ min: 0, max: 4 }),
  }));
  it('reads and writes, every dtype, index tensors with values out of range, a \'...\' anywhere', () => {
    fc.assert(fc.property(caseArb, ({ shape, items, dtype, op, seed, ellipsis }) => {
      const base = () => rand(shape, { seed }).mul(8).sub(4).floor().cast(dtype);
      const list = (ellipsis <= items.length ? [...items.slice(0, ellipsis), '...', ...items.slice(ellipsis)] : items) as IndexItem[];
      let read: Tensor;
      try { read = base().at(...list); } catch (e) { expect(e).toBeInstanceOf(TensorError); return; }
      const got = BACKENDS.map((o) => outcome(() => base().at(...list).eval(o).data()));
      expect(got[1], `read ${show(list)} on ${JSON.stringify(shape)} ${dtype}`).toEqual(got[0]);
      expect(got[2]).toEqual(got[0]);
      // Writes: a value of the indexed shape (with duplicates, the last one wins or all are combined).
      const value = rand(read.shape, { seed: seed + 1 }).mul(6).sub(3).floor().cast(dtype);
      const after = BACKENDS.map((o) => {
        const t = base().eval();
        const done = outcome(() => { t.at(...list).assign(value, { ...o, op }); return []; });
        return [done, Array.from(t.data())];
      });
      expect(after[1], `write ${show(list)} op ${op} ${dtype}`).toEqual(after[0]);
      expect(after[2]).toEqual(after[0]);
    }), { seed: 14, numRuns: propertyRuns(24) });
  });
});

describe('review findings (each failed before its fix)', () => {
  for (const o of BACKENDS) {
    it(`a failing scatter leaves the target as it was, also when later kernels would write it (${label(o)})`, () => {
      const x = tensor([1, 2, 3, 4], { dtype: 'float32' }).eval(); // float32 add: scatter in float64, then a cast kernel writes x
      expect(() => x.at(i32([0, 9])).assign(1, { ...o, op: 'add' })).toThrow(/Nothing was written/);
      expect(Array.from(x.data())).toEqual([1, 2, 3, 4]);
      const y = tensor([1, 2, 3, 4]).eval(), z = tensor([5, 6, 7, 8]).eval();
      expect(() => z.assign(y.scatter(0, i32([9]), 100).add(1), o)).toThrow(TensorError);
      expect(z.toArray()).toEqual([5, 6, 7, 8]);
      expect(() => x.putAlongAxis(i32([7]), 1, 0, { ...o, op: 'add' })).toThrow(TensorError);
      expect(Array.from(x.data())).toEqual([1, 2, 3, 4]);
    });
    it(`every index is checked, also those at positions nothing reads (${label(o)})`, () => {
      const v = tensor([1, 2, 3]);
      expect(() => v.take(i32([0, 9])).at('0:1').eval(o)).toThrow(/out of range/);
      expect(() => v.take(i32([0, 9])).take([0]).eval(o)).toThrow(/out of range/);
      expect(() => zeros([0, 3]).at(':', i32([5])).eval(o)).toThrow(/out of range/); // numpy: IndexError
    });
  }
  it('a gather in the epilogue of a reduction split across chunks compiles and is checked', () => {
    const t = tensor([1, 2, 3], { dtype: 'float32' });
    expect(zeros([1 << 18], 'float32').add(1).sum().add(t.take(tensor(new Int32Array([2]), { shape: [] }))).item()).toBe(262147);
    expect(() => zeros([1 << 18], 'float32').add(1).sum().add(t.take(tensor(new Int32Array([5]), { shape: [] }))).item()).toThrow(/out of range/);
  });
  it("an '...' between index arrays separates them even when it stands for no axis (numpy: x[:, [0,1], ..., [0,1]] of (3,4,5) is (2, 3))", () => {
    expect(arange(60).reshape([3, 4, 5]).at(':', [0, 1], '...', [0, 1]).shape).toEqual([2, 3]);
  });
  it('scalar booleans with index arrays are 0-d masks that broadcast with them (numpy shapes in the comments)', () => {
    const q = m();
    expect(q.at(true, [0, 1]).shape).toEqual([2, 4]); // a[True, [0,1]]: (2, 4)
    expect(q.at([0, 1], true).shape).toEqual([2, 4]); // a[[0,1], True]: (2, 4)
    expect(q.at(':', true, [0, 1]).shape).toEqual([3, 2]); // a[:, True, [0,1]]: (3, 2)
    expect(q.at(0, true).shape).toEqual([1, 4]); // a[0, True]: (1, 4)
    expect(() => q.at(false, [0, 1])).toThrow(/cannot broadcast/); // numpy: shape mismatch
    expect(q.at(true, [2, 0]).toArray()).toEqual([[8, 9, 10, 11], [0, 1, 2, 3]]);
  });
  it('JS-array indices and masks work inside jit', () => {
    expect(jit((t: Tensor) => t.at([0, 2]))(m()).toArray()).toEqual([[0, 1, 2, 3], [8, 9, 10, 11]]);
    expect(jit((t: Tensor) => t.take([1, 5]))(m()).toArray()).toEqual([1, 5]);
    expect(jit((t: Tensor) => t.at([true, false, true]))(m()).toArray()).toEqual([[0, 1, 2, 3], [8, 9, 10, 11]]);
  });
});

describe('a scatter whose combine does not depend on order folds partials in parallel', () => {
  it('int32 add/mul/max/min and float max/min (NaN, ±0) over 2^17 positions: the same on every backend', () => {
    const n = 1 << 17;
    const bins = rand([n], { seed: 8 }).mul(37).floor().cast('int32').sub(5).eval(); // negatives count from the end
    const vi = rand([n], { seed: 9 }).mul(7).floor().cast('int32').sub(3).eval();
    const special = tensor([NaN, 0, -0, Infinity, -Infinity, 1.5]);
    const vf = rand([n], { seed: 10 }).mul(6).floor().cast('int32').eval().cast('float64').eval();
    const vfs = special.take(vf.cast('int32')).eval(); // values drawn from the specials
    for (const [dtype, values, ops] of [['int32', vi, ['add', 'mul', 'max', 'min']], ['float64', vfs, ['max', 'min']]] as const) {
      for (const op of ops) {
        const got = BACKENDS.map((o) => {
          const h = zeros([37], dtype).add(1).eval();
          h.at(bins).assign(values, { ...o, op });
          return Array.from(h.data(), (x) => (Object.is(x, -0) ? '-0' : String(x)));
        });
        expect(got[1], `${dtype} ${op}`).toEqual(got[0]);
        expect(got[2], `${dtype} ${op}`).toEqual(got[0]);
      }
    }
  });
  it('blocks of 1024 checked then folded: all in one bin, negatives in some blocks only, 2-D rows, threads 1/2/3 the same bits', () => {
    const n = (1 << 17) + 3; // chunks and blocks that do not divide evenly
    const pos = arange(n).cast('int32');
    const cases: [string, () => Tensor, () => Tensor, number[]][] = [
      ['all in bin 5', () => zeros([n], 'int32').add(5).eval(), () => zeros([37], 'int32').eval(), [37]],
      // negative indices only in positions 3000..3999 (inside the 3rd and 4th blocks), -1 meaning bin 36
      ['negatives in one block', () => pos.mod(37).sub(pos.ge(3000).mul(pos.lt(4000)).cast('int32').mul(37)).eval(), () => zeros([37], 'int32').eval(), [37]],
      ['2-D rows [n/8, 3]', () => pos.mod(11).sub(5).eval(), () => zeros([11, 3], 'int32').eval(), [11, 3]],
    ];
    try {
      for (const [name, idx, base] of cases) {
        const got: string[] = [];
        for (const threads of [1, 2, 3]) {
          configure({ threads });
          for (const o of BACKENDS) {
            const h = base();
            if (name.startsWith('2-D')) h.at(idx()).assign(rand([n, 3], { seed: 4 }).mul(9).floor().cast('int32'), { ...o, op: 'add' });
            else h.at(idx()).assign(1, { ...o, op: 'add' });
            got.push(Array.from(h.data()).join(','));
          }
        }
        for (const g of got) expect(g, name).toBe(got[0]);
      }
      const one = zeros([37], 'int32').eval();
      one.at(zeros([n], 'int32').add(5)).assign(1, { op: 'add' });
      expect(one.data()[5]).toBe(n);
      const neg = zeros([37], 'int32').eval();
      neg.at(cases[1][1]()).assign(1, { op: 'add' });
      expect(neg.sum().item()).toBe(n);
    } finally {
      configure({ threads: undefined });
    }
  });
  it('an out-of-range index in a middle block of a chunk writes nothing, on 1, 2 and 3 threads', () => {
    const n = 1 << 17;
    const bad = arange(n).cast('int32').mod(37).add(arange(n).eq(40000).cast('int32').mul(1000)).eval();
    try {
      for (const threads of [1, 2, 3]) {
        configure({ threads });
        const h = zeros([37], 'int32').add(2).eval();
        expect(() => h.at(bad).assign(1, { op: 'add' }), `threads ${threads}`).toThrow(/Nothing was written/);
        expect(Array.from(h.data())).toEqual(new Array(37).fill(2));
      }
    } finally {
      configure({ threads: undefined });
    }
  });
  it('an out-of-range index in any chunk writes nothing', () => {
    const bins = rand([1 << 17], { seed: 8 }).mul(37).floor().cast('int32').eval();
    const bad = bins.add(arange(1 << 17).eq((1 << 17) - 1).cast('int32').mul(100)).eval(); // the last one is 100 + something
    const h = zeros([37], 'int32').eval();
    expect(() => h.at(bad).assign(1, { op: 'add' })).toThrow(/Nothing was written/);
    expect(Array.from(h.data())).toEqual(new Array(37).fill(0));
    h.at(bins).assign(1, { op: 'add' });
    expect(h.sum().item()).toBe(1 << 17);
  });
});

describe('a failed call gives its output buffers back (found in review)', () => {
  it('the buffer of a gather that failed is reused by the next call of that size', () => {
    const n = 1 << 19; // 2 MiB of float32: pooled
    const x = rand([n], { seed: 1, dtype: 'float32' }).eval();
    const good = tensor(new Int32Array(n)), bad = tensor(Int32Array.from({ length: n }, (_, i) => (i === n - 1 ? n : 0)));
    const first = x.take(good).eval();
    const buffer = first.storage().buffer;
    first.dispose(); // back to the pool
    expect(() => x.take(bad).eval()).toThrow(/out of range/); // took that buffer, failed
    const third = x.take(good).eval();
    expect(third.storage().buffer).toBe(buffer); // given back, so taken again
  });
});
