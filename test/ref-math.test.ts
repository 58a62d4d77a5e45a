/**
 * Literal known values for the numpy math of issue 15: the new elementwise entries of the op table and
 * the composites built on them (softplus, logaddexp, isclose, logsumexp, norm, any/all), on every dtype,
 * with NaN, ±Inf, -0 and the int32 edges. Expected values come from numpy 1.24 (/usr/bin/python3; the
 * comment above each row is the expression), or Python's math.erf/erfc (glibc) where numpy has none;
 * "by hand" marks a documented difference from numpy. Float32 rows of libm functions are the float64
 * result rounded once, as the reference computes them. Transcendental rows allow a few ulps.
 */
import { describe, expect, it } from 'vitest';
import type { DType, Tensor } from '../src/index.js';
import { OPS, ShapeError, TensorError, tensor } from '../src/index.js';
import { expectValues, isInput, make, run, showInput } from './helpers.js';
import type { Row } from './math-rows.js';
import { MATH_BINARY as BINARY, MATH_UNARY as UNARY } from './math-rows.js';

const apply = (r: Row): Tensor => {
  const xs = r.args.map((a) => (isInput(a) ? make(a) : a));
  return (xs[0] as unknown as Record<string, (...a: unknown[]) => Tensor>)[r.op](...xs.slice(1));
};

function check(r: Row): void {
  const t = apply(r);
  const label = `${r.op}(${r.args.map(showInput).join(', ')}) -> ${r.dtype}`;
  expect(t.dtype, `dtype of ${label}`).toBe(r.dtype);
  expectValues(run(t), r.out, label, { ulps: r.ulps, dtype: r.dtype });
  // Composites are no table entry, so the C property tests do not see them all, and exact entries
  // (ulps 0: trunc, floorDiv, isnan, ...) must give numpy's bits on C too: run those on C here.
  const def = (OPS as Record<string, { ulps: number }>)[r.op];
  if (!def || def.ulps === 0) expectValues(apply(r).eval({ backend: 'c' }).data(), r.out, `C: ${label}`, { ulps: r.ulps, dtype: r.dtype });
}

// X = [[0.5, -1.5, 2, 3.25], [1000, -1000, 0, 7], [-Infinity, -Infinity, -Infinity, -Infinity]]
const X = tensor([[0.5, -1.5, 2, 3.25], [1000, -1000, 0, 7], [-Infinity, -Infinity, -Infinity, -Infinity]]);
const A = [1, 1.00001, 10000000000, 10000000000, Infinity, Infinity, NaN, NaN, 0, 1e-09, -0];
const B = [1, 1, 10000100000, 10001000000, Infinity, -Infinity, NaN, 1, 1e-08, 0, 0];

interface ReduceRow { call: (x: Tensor) => Tensor; shape: number[]; dtype: DType; out: readonly number[]; ulps?: number }
const REDUCTIONS: ReduceRow[] = [
  // scipy.special.logsumexp(X, axis=1) written in numpy: m = X.max(1, keepdims) (0 where not finite), log(sum(exp(X - m), 1)) + m
  { call: (x) => x.logsumexp(1), shape: [3], dtype: 'float64', out: [3.556811203345768, 1000, -Infinity], ulps: 2 },
  // the same with keepdims=True, over axis 0
  { call: (x) => x.logsumexp(0, true), shape: [1, 4], dtype: 'float64', out: [1000, -1.5, 2.1269280110429722, 7.023245464372425], ulps: 2 },
  // over every axis
  { call: (x) => x.slice([0], [2]).logsumexp(), shape: [], dtype: 'float64', out: [1000], ulps: 2 },
  // np.linalg.norm(X[:2]) (Frobenius of everything)
  { call: (x) => x.slice([0], [2]).norm(), shape: [], dtype: 'float64', out: [1414.2369188010898], ulps: 1 },
  // np.linalg.norm(X[:2], ord=1, axis=1)
  { call: (x) => x.slice([0], [2]).norm(1, 1), shape: [2], dtype: 'float64', out: [7.25, 2007], ulps: 2 },
  // np.linalg.norm(X[:2], ord=2, axis=1)
  { call: (x) => x.slice([0], [2]).norm(2, 1), shape: [2], dtype: 'float64', out: [4.130677910464576, 1414.2308863831252], ulps: 2 },
  // np.linalg.norm(X[:2], ord=Infinity, axis=1)
  { call: (x) => x.slice([0], [2]).norm(Infinity, 1), shape: [2], dtype: 'float64', out: [3.25, 1000], ulps: 2 },
  // np.linalg.norm(X[:2], ord=-Infinity, axis=1)
  { call: (x) => x.slice([0], [2]).norm(-Infinity, 1), shape: [2], dtype: 'float64', out: [0.5, 0], ulps: 2 },
  // np.linalg.norm(X[:2], ord=0, axis=1)
  { call: (x) => x.slice([0], [2]).norm(0, 1), shape: [2], dtype: 'float64', out: [4, 3], ulps: 2 },
  // np.linalg.norm(X[:2], ord=3, axis=1)
  { call: (x) => x.slice([0], [2]).norm(3, 1), shape: [2], dtype: 'float64', out: [3.578579719166127, 1259.921121920355], ulps: 2 },
  // np.linalg.norm(X[:2], ord=0.5, axis=1)
  { call: (x) => x.slice([0], [2]).norm(0.5, 1), shape: [2], dtype: 'float64', out: [26.51056212625973, 4341.66401061363], ulps: 2 },
  // np.linalg.norm(X, ord=2, axis=0, keepdims=True)
  { call: (x) => x.norm(2, 0, true), shape: [1, 4], dtype: 'float64', out: [Infinity, Infinity, Infinity, Infinity], ulps: 1 },
  // np.linalg.norm(X[:2], ord='fro') (matrix norm)
  { call: (x) => x.slice([0], [2]).norm('fro'), shape: [], dtype: 'float64', out: [1414.2369188010898], ulps: 1 },
  // np.linalg.norm(X[:2], ord=1) (matrix norm)
  { call: (x) => x.slice([0], [2]).norm(1), shape: [], dtype: 'float64', out: [1001.5], ulps: 1 },
  // np.linalg.norm(X[:2], ord=-1) (matrix norm)
  { call: (x) => x.slice([0], [2]).norm(-1), shape: [], dtype: 'float64', out: [2], ulps: 1 },
  // np.linalg.norm(X[:2], ord=Infinity) (matrix norm)
  { call: (x) => x.slice([0], [2]).norm(Infinity), shape: [], dtype: 'float64', out: [2007], ulps: 1 },
  // np.linalg.norm(X[:2], ord=-Infinity) (matrix norm)
  { call: (x) => x.slice([0], [2]).norm(-Infinity), shape: [], dtype: 'float64', out: [7.25], ulps: 1 },
  // np.linalg.norm(X[:2], ord=1, axis=(1, 0)) (rows and columns swapped: the max row sum)
  { call: (x) => x.slice([0], [2]).norm(1, [1, 0]), shape: [], dtype: 'float64', out: [2007], ulps: 1 },
  // np.any(X > 2, axis=1)
  { call: (x) => x.gt(2).any(1), shape: [3], dtype: 'bool', out: [1, 1, 0] },
  // np.all(X > -2000, axis=0, keepdims=True)
  { call: (x) => x.gt(-2000).all(0, true), shape: [1, 4], dtype: 'bool', out: [0, 0, 0, 0] },
  // np.any(X) (nonzero, NaN-free)
  { call: (x) => x.any(), shape: [], dtype: 'bool', out: [1] },
  // np.all(X)
  { call: (x) => x.all(), shape: [], dtype: 'bool', out: [0] },
  // np.all(np.zeros((2, 0)), axis=1): all of nothing is True
  { call: (x) => x.slice([0, 0], [2, 0]).all(1), shape: [2], dtype: 'bool', out: [1, 1] },
  // np.any(np.zeros((2, 0)), axis=1): any of nothing is False
  { call: (x) => x.slice([0, 0], [2, 0]).any(1), shape: [2], dtype: 'bool', out: [0, 0] },
  // np.any([np.nan, 0]): NaN is true
  { call: () => tensor([NaN, 0]).any(), shape: [], dtype: 'bool', out: [1] },
  // np.isclose(A, B)
  { call: () => tensor(A).isclose(tensor(B)), shape: [11], dtype: 'bool', out: [1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 1] },
  // np.isclose(A, B, equal_nan=True)
  { call: () => tensor(A).isclose(tensor(B), { equalNan: true }), shape: [11], dtype: 'bool', out: [1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1] },
  // np.isclose(A, B, rtol=0, atol=0.1)
  { call: () => tensor(A).isclose(tensor(B), { rtol: 0, atol: 0.1 }), shape: [11], dtype: 'bool', out: [1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 1] },
  // np.isclose(A, 1.0) (a scalar)
  { call: () => tensor(A).isclose(1), shape: [11], dtype: 'bool', out: [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
  // np.isclose(a32, b32) on float32 (tolerances weak: computed in float32)
  { call: () => tensor(Float32Array.from([1, 1.0000100135803223, 2.999999892949745e-08, 16777216])).isclose(tensor(Float32Array.from([1.000011920928955, 1, 0, 16777218]))), shape: [4], dtype: 'bool', out: [0, 0, 0, 1] },
  // np.isclose(ai, bi) on int32 (as float64)
  { call: () => tensor(Int32Array.from([100000, 100001, 5, -3])).isclose(tensor(Int32Array.from([100001, 100000, 5, 3])), { rtol: 1e-5, atol: 0 }), shape: [4], dtype: 'bool', out: [1, 1, 1, 0] },
];

describe('numpy math (issue 15) on the reference, pinned to numpy', () => {
  it.each(UNARY.map((r) => [`${r.op} ${showInput(r.args[0])}`, r] as const))('%s', (_, r) => check(r));
  it.each(BINARY.map((r) => [`${r.op} ${showInput(r.args[0])}`, r] as const))('%s', (_, r) => check(r));
  it.each(REDUCTIONS.map((r) => [r.call.toString().replace(/^\(x\) => /, ''), r] as const))('%s', (_, r) => {
    const t = r.call(X);
    expect(t.shape).toEqual(r.shape);
    expect(t.dtype).toBe(r.dtype);
    expectValues(run(t), r.out, String(r.call), { ulps: r.ulps, dtype: r.dtype });
    expectValues(r.call(X).eval({ backend: 'c' }).data(), r.out, `C: ${r.call}`, { ulps: r.ulps, dtype: r.dtype });
  });

  it('allclose returns a JS boolean (numpy: False True False True)', () => {
    expect(tensor(A.slice(0, 4)).allclose(tensor(B.slice(0, 4)))).toBe(false);
    expect(tensor([1, 2]).allclose([1, 2.00000001])).toBe(true);
    expect(tensor([NaN]).allclose(tensor([NaN]))).toBe(false);
    expect(tensor([NaN]).allclose(tensor([NaN]), { equalNan: true })).toBe(true);
  });

  it('float32 stays float32, ints compute in float64 (numpy: logsumexp 3.5568113327026367 float32, norm 4.130677700042725 float32, norm([3, 4] int32) 5.0)', () => {
    const x = tensor(Float32Array.from([0.5, -1.5, 2.0, 3.25]));
    const l = x.logsumexp(), n = x.norm();
    expect([l.dtype, n.dtype]).toEqual(['float32', 'float32']);
    expectValues(run(l), [3.5568113327026367], 'float32 logsumexp', { ulps: 1, dtype: 'float32' });
    expectValues(run(n), [4.130677700042725], 'float32 norm', { ulps: 1, dtype: 'float32' });
    const i = tensor(Int32Array.from([3, 4])).norm();
    expect(i.dtype).toBe('float64');
    expect(run(i)).toEqual([5]);
  });

  it('bad arguments are TensorErrors naming the op', () => {
    expect(() => X.norm('nuc' as never)).toThrow(/^norm: ord must be/);
    expect(() => X.norm(2)).toThrow(/^norm: matrix ord 2 is not supported/);
    expect(() => X.norm('fro', 1)).toThrow(/^norm: 'fro' is a matrix norm/);
    expect(() => X.reshape([1, 3, 4]).norm(1)).toThrow(ShapeError);
    expect(() => X.slice([0, 0], [2, 0]).norm(Infinity, 1)).toThrow(/^norm: ord Infinity of an empty axis/);
    expect(() => X.isclose(X, { rtol: -1 })).toThrow(/^isclose: rtol must be a non-negative number/);
    expect(() => X.allclose(X, { equalNan: 1 as never })).toThrow(/^allclose: equalNan must be true or false/);
    expect(() => X.logsumexp(2)).toThrow(/^logsumexp: axis 2 is out of range/);
    expect(() => X.any(5)).toThrow(/^any: axis 5/);
    expect(() => X.isclose('a' as never)).toThrow(TensorError);
  });

  it('logsumexp over an empty axis is log(0) = -Inf (a choice: scipy refuses a max of nothing)', () => {
    expect(run(X.slice([0, 0], [3, 0]).logsumexp(1))).toEqual([-Infinity, -Infinity, -Infinity]);
  });
});
