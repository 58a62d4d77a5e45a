/**
 * Autodiff (issue 16): every op-table entry says how it differentiates, and every derivative is
 * checked against values derived by hand (the formula of the derivative evaluated with Math, or worked
 * out literally for movement and reductions), never against tensorfuse itself. Each case is the VJP of
 * one op with a cotangent that is not all ones, evaluated on the reference backend and, all cases in one
 * program, in fused C.
 */
import { describe, expect, it } from 'vitest';
import type { DType, NestedArray } from '../src/index.js';
import { explain } from '../src/explain.js';
import { OPS, Tensor, TensorError, concat, conv2d, defineKernel, defineOp, evalAll, full, grad, randn, stats, stopGradient, tensor, tidy, valueAndGrad, vjp } from '../src/index.js';

const T = (v: NestedArray, dtype: DType = 'float64'): Tensor => tensor(v, { dtype });
const flat = (v: NestedArray): number[] => (Array.isArray(v) ? v.flatMap(flat) : [Number(v)]);

interface Case {
  /** The primitive this case is about (an op-table name), or a composite. */
  op: string;
  f: (...xs: Tensor[]) => Tensor;
  args: Tensor[];
  ct: NestedArray;
  /** The expected cotangent of each argument, flattened row-major. */
  expect: number[][];
}

const ct3 = [1, -2, 0.5];
const x3 = [0.5, -1.25, 2];
const pos3 = [0.5, 1.25, 4];
const by = (xs: number[], d: (x: number) => number): number[] => xs.map((x, i) => ct3[i] * d(x));
const unary = (op: string, xs: number[], d: (x: number) => number, f = (x: Tensor) => (x as unknown as Record<string, () => Tensor>)[op]()): Case =>
  ({ op, f, args: [T(xs)], ct: ct3, expect: [by(xs, d)] });
const [a3, b3] = [[1.5, -2, 3], [0.5, 4, -1.25]];
const binary = (op: string, a: number[], b: number[], da: (a: number, b: number) => number, db: (a: number, b: number) => number): Case => ({
  op, f: (x, y) => (x as unknown as Record<string, (o: Tensor) => Tensor>)[op](y), args: [T(a), T(b)], ct: ct3,
  expect: [a.map((v, i) => ct3[i] * da(v, b[i])), a.map((v, i) => ct3[i] * db(v, b[i]))],
});

/** C[m, n] = A[m, k] B[k, n] on plain arrays, for the matmul cases. */
const mm = (A: number[][], B: number[][]): number[][] => A.map((r) => B[0].map((_, j) => r.reduce((s, v, q) => s + v * B[q][j], 0)));
const tr = (A: number[][]): number[][] => A[0].map((_, j) => A.map((r) => r[j]));
const MA = [[1, 2, -1], [0.5, 3, 2]], MB = [[2, -1], [1, 0.5], [-3, 4]], MG = [[1, -2], [0.5, 3]];

const sig = (x: number): number => 1 / (1 + Math.exp(-x));
const soft = (xs: number[]): number[] => { const m = Math.max(...xs); const e = xs.map((x) => Math.exp(x - m)); const s = e.reduce((p, q) => p + q); return e.map((v) => v / s); };

const CASES: Case[] = [
  // elementwise arithmetic
  binary('add', a3, b3, () => 1, () => 1),
  binary('sub', a3, b3, () => 1, () => -1),
  binary('mul', a3, b3, (_, b) => b, (a) => a),
  binary('div', a3, b3, (_, b) => 1 / b, (a, b) => -a / (b * b)),
  binary('pow', [1.5, 2, 0.5], [2, -1, 3.5], (a, b) => b * a ** (b - 1), (a, b) => a ** b * Math.log(a)),
  { op: 'pow at 0 (kink rule: d/db takes log 1)', f: (x, y) => x.pow(y), args: [T([0, 0]), T([2, 3])], ct: [1, 1], expect: [[0, 0], [0, 0]] },
  binary('mod', [5.5, -5.5, 7], [2, 2, -3], () => 1, (a, b) => -Math.floor(a / b)),
  binary('maximum', [1, 5, 2], [3, 5, 1], (a, b) => (a > b ? 1 : a === b ? 0.5 : 0), (a, b) => (b > a ? 1 : a === b ? 0.5 : 0)),
  binary('minimum', [1, 5, 2], [3, 5, 1], (a, b) => (a < b ? 1 : a === b ? 0.5 : 0), (a, b) => (b < a ? 1 : a === b ? 0.5 : 0)),
  unary('neg', x3, () => -1),
  unary('abs', [-1.5, 0, 2], (x) => Math.sign(x)),
  // float math
  unary('sqrt', [0.25, 4, 0], (x) => 1 / (2 * Math.sqrt(x))),
  unary('exp', x3, Math.exp),
  unary('log', pos3, (x) => 1 / x),
  unary('log1p', pos3, (x) => 1 / (1 + x)),
  unary('expm1', x3, Math.exp),
  unary('sin', x3, Math.cos),
  unary('cos', x3, (x) => -Math.sin(x)),
  unary('tan', x3.map((x) => x / 2), (x) => 1 / Math.cos(x) ** 2),
  unary('tanh', x3, (x) => 1 / Math.cosh(x) ** 2),
  // issue 15's math: the textbook derivatives, evaluated with Math
  unary('asin', [0.5, -0.25, 0.75], (x) => 1 / Math.sqrt(1 - x * x)),
  unary('acos', [0.5, -0.25, 0.75], (x) => -1 / Math.sqrt(1 - x * x)),
  unary('atan', x3, (x) => 1 / (1 + x * x)),
  unary('sinh', x3, Math.cosh),
  unary('cosh', x3, Math.sinh),
  unary('asinh', x3, (x) => 1 / Math.sqrt(x * x + 1)),
  unary('acosh', [1.5, 2, 4], (x) => 1 / Math.sqrt(x * x - 1)),
  unary('atanh', [0.5, -0.25, 0.75], (x) => 1 / (1 - x * x)),
  unary('log2', pos3, (x) => 1 / (x * Math.LN2)),
  unary('log10', pos3, (x) => 1 / (x * Math.LN10)),
  unary('exp2', x3, (x) => 2 ** x * Math.LN2),
  unary('cbrt', [0.125, -8, 27], (x) => 1 / (3 * Math.cbrt(x) ** 2)),
  unary('erf', x3, (x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x)),
  unary('erfc', x3, (x) => (-2 / Math.sqrt(Math.PI)) * Math.exp(-x * x)),
  binary('atan2', a3, b3, (a, b) => b / (a * a + b * b), (a, b) => -a / (a * a + b * b)),
  binary('hypot', a3, b3, (a, b) => a / Math.hypot(a, b), (a, b) => b / Math.hypot(a, b)),
  { op: 'hypot at the origin (kink rule: 0)', f: (x, y) => x.hypot(y), args: [T([0]), T([0])], ct: [1], expect: [[0], [0]] },
  { op: 'trunc', f: (x) => x.trunc().mul(x), args: [T([1.5, -0.5, 2.25])], ct: ct3, expect: [[1.5, -0.5, 2.25].map((x, i) => ct3[i] * Math.trunc(x))] },
  { op: 'floorDiv', f: (x, y) => x.floorDiv(y).mul(x), args: [T([5.5, -5.5, 7]), T([2, 2, -3])], ct: ct3, expect: [[5.5, -5.5, 7].map((x, i) => ct3[i] * Math.floor(x / [2, 2, -3][i])), [0, 0, 0]] },
  ...(['isnan', 'isinf', 'isfinite'] as const).map((op) => ({
    op, f: (x: Tensor) => x[op]().cast('float64').mul(x), args: [T([1, 2, 3])], ct: ct3, expect: [op === 'isfinite' ? ct3 : [0, 0, 0]],
  })),
  { op: 'xor', f: (x) => x.gt(0).xor(x.gt(2)).cast('float64').mul(x), args: [T([1, 3, -1])], ct: ct3, expect: [[1, 0, 0]] },
  // zero derivative: floor, ceil, round and sign contribute nothing, the product rule still flows
  ...(['floor', 'ceil', 'round', 'sign'] as const).map((op) => ({
    op, f: (x: Tensor) => x[op]().mul(x), args: [T([1.5, -0.5, 2.25])], ct: ct3,
    expect: [[1.5, -0.5, 2.25].map((x, i) => ct3[i] * (op === 'floor' ? Math.floor(x) : op === 'ceil' ? Math.ceil(x) : op === 'round' ? Math.round(x) : Math.sign(x)))],
  })),
  ...(['lt', 'le', 'gt', 'ge', 'eq', 'ne'] as const).map((op) => ({
    op, f: (x: Tensor) => x[op](0.5).cast('float64').mul(x), args: [T([1, 0.5, -1])], ct: ct3,
    expect: [[1, 0.5, -1].map((x, i) => ct3[i] * Number({ lt: x < 0.5, le: x <= 0.5, gt: x > 0.5, ge: x >= 0.5, eq: x === 0.5, ne: x !== 0.5 }[op]))],
  })),
  { op: 'and', f: (x) => x.gt(0).and(x.lt(2)).cast('float64').mul(x), args: [T([1, 3, -1])], ct: ct3, expect: [[1, 0, 0]] },
  { op: 'or', f: (x) => x.lt(0).or(x.gt(2)).cast('float64').mul(x), args: [T([1, 3, -1])], ct: ct3, expect: [[0, -2, 0.5]] },
  { op: 'not', f: (x) => x.gt(0).not().cast('float64').mul(x), args: [T([1, 3, -1])], ct: ct3, expect: [[0, 0, 0.5]] },
  { op: 'where', f: (x, y) => T([true, false, true], 'bool').where(x, y), args: [T(a3), T(b3)], ct: ct3, expect: [[1, 0, 0.5], [0, -2, 0]] },
  { op: 'cast', f: (x) => x.cast('float32'), args: [T([0.1, 0.2, 0.3])], ct: ct3, expect: [ct3] },
  { op: 'cast from float32', f: (x) => x.cast('float64').mul(2), args: [T([0.1, 0.2, 0.3], 'float32')], ct: ct3, expect: [ct3.map((c) => 2 * c)] },
  { op: 'cast to int32 (no gradient through it)', f: (x) => x.cast('int32').cast('float64').add(x), args: [T([1.5, 2.5, -3])], ct: ct3, expect: [ct3] },
  { op: 'broadcast (an expand view)', f: (x, y) => x.mul(y), args: [T([[1, 2, 3], [4, 5, 6]]), T([10, 20, 30])], ct: [[1, 2, 3], [-1, 0, 1]], expect: [[10, 40, 90, -10, 0, 30], [1 - 4, 4, 9 + 6]] },
  // reductions
  { op: 'sum', f: (x) => x.sum(1), args: [T([[1, 4, 2], [3, 0, 5]])], ct: [1, -2], expect: [[1, 1, 1, -2, -2, -2]] },
  { op: 'sum of all', f: (x) => x.sum(), args: [T([[1, 4], [3, 0]])], ct: 3, expect: [[3, 3, 3, 3]] },
  { op: 'prod', f: (x) => x.prod(1), args: [T([[2, 3, 4], [5, 0, 6], [0, 0, 3]])], ct: [1, 2, 5], expect: [[12, 8, 6, 0, 60, 0, 0, 0, 0]] },
  { op: 'max', f: (x) => x.max(1), args: [T([[1, 3, 3], [2, 0, -1]])], ct: [1, 2], expect: [[0, 0.5, 0.5, 2, 0, 0]] },
  { op: 'min', f: (x) => x.min(0), args: [T([[1, 3], [1, 0]])], ct: [2, 3], expect: [[1, 0, 1, 3]] },
  { op: 'argmax', f: (x) => x.argmax().cast('float64').mul(x.sum()), args: [T([1, 5, 2])], ct: 2, expect: [[2, 2, 2]] },
  { op: 'argmin', f: (x) => x.argmin().cast('float64').mul(x.sum()), args: [T([1, 5, 0])], ct: 1, expect: [[2, 2, 2]] },
  // scans: the reverse cumsum of the cotangent; cumprod's over x; cummax/cummin's to where the running value was attained
  { op: 'cumsum', f: (x) => x.cumsum(), args: [T([1, 2, 3])], ct: ct3, expect: [[-0.5, -1.5, 0.5]] },
  { op: 'cumprod', f: (x) => x.cumprod(), args: [T([2, 3, 4])], ct: ct3, expect: [[1, 0, 3]] },
  { op: 'cummax', f: (x) => x.cummax(), args: [T([1, 3, 2])], ct: ct3, expect: [[1, -1.5, 0]] },
  { op: 'cummin', f: (x) => x.cummin(), args: [T([3, 1, 2])], ct: ct3, expect: [[1, -1.5, 0]] },
  { op: 'searchsorted', f: (x) => T([1, 2, 3]).searchsorted(x).cast('float64').mul(x), args: [T([2.5, 0, 3])], ct: ct3, expect: [[2, 0, 1]] },
  { op: 'argsort', f: (x) => x.argsort().cast('float64').mul(x), args: [T([3, 1, 2])], ct: ct3, expect: [[1, -4, 0]] },
  // movement
  { op: 'view', f: (x) => x.reshape([3, 2]), args: [T([[1, 2, 3], [4, 5, 6]])], ct: [[1, 2], [3, 4], [5, 6]], expect: [[1, 2, 3, 4, 5, 6]] },
  { op: 'transpose', f: (x) => x.T, args: [T([[1, 2, 3], [4, 5, 6]])], ct: [[1, 2], [3, 4], [5, 6]], expect: [[1, 3, 5, 2, 4, 6]] },
  { op: 'slice', f: (x) => x.slice([0, 1]), args: [T([[1, 2, 3], [4, 5, 6]])], ct: [[1, 2], [3, 4]], expect: [[0, 1, 2, 0, 3, 4]] },
  { op: 'slice with a negative step', f: (x) => x.slice([null], [null], [-2]), args: [T([1, 2, 3, 4, 5])], ct: [1, 2, 3], expect: [[3, 0, 2, 0, 1]] },
  { op: 'flip', f: (x) => x.flip(0), args: [T([[1, 2, 3], [4, 5, 6]])], ct: [[1, 2, 3], [4, 5, 6]], expect: [[4, 5, 6, 1, 2, 3]] },
  { op: 'transpose then slice', f: (x) => x.T.slice([1]), args: [T([[1, 2, 3], [4, 5, 6]])], ct: [[1, 2], [3, 4]], expect: [[0, 1, 3, 0, 2, 4]] },
  { op: 'expand', f: (x) => x.unsqueeze(0).expand([2, 3]), args: [T([1, 2, 3])], ct: [[1, 2, 3], [4, 5, 6]], expect: [[5, 7, 9]] },
  { op: 'a slice of one element, broadcast', f: (x) => x.slice([2], [3]).expand([3]), args: [T([1, 2, 3, 4])], ct: [1, 2, 3], expect: [[0, 0, 6, 0]] },
  { op: 'pad', f: (x) => x.pad([[1, 0], [0, 2]], 7), args: [T([[1, 2]])], ct: [[1, 2, 3, 4], [5, 6, 7, 8]], expect: [[5, 6]] },
  { op: 'concat', f: (x, y) => concat([x, y], 1), args: [T([[1], [2]]), T([[3, 4], [5, 6]])], ct: [[1, 2, 3], [4, 5, 6]], expect: [[1, 4], [2, 3, 5, 6]] },
  { op: 'contiguous', f: (x) => x.T.contiguous(), args: [T([[1, 2], [3, 4]])], ct: [[1, 2], [3, 4]], expect: [[1, 3, 2, 4]] },
  { op: 'matmul', f: (x, y) => x.matmul(y), args: [T(MA), T(MB)], ct: MG, expect: [mm(MG, tr(MB)).flat(), mm(tr(MA), MG).flat()] },
  {
    op: 'matmul, batched with a broadcast batch dim', f: (x, y) => x.matmul(y), args: [T([MA, MA.map((r) => r.map((v) => -v))]), T(MB)], ct: [MG, MG],
    expect: [[...mm(MG, tr(MB)).flat(), ...mm(MG, tr(MB)).flat()], mm(tr(MA), MG).flat().map(() => 0)],
  },
  // conv2d (valid, 2×2 taps over 3×3): dx adds ct·w at the pixels each output read, dw adds ct·x (numpy loops agree)
  {
    op: 'conv2d', f: (x, w) => conv2d(x, w), args: [T([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]), T([[[[1, -1], [2, 0.5]]]])], ct: [[[[1, 2], [3, 4]]]],
    expect: [[1, 1, -2, 5, 5.5, -3, 6, 9.5, 2], [37, 47, 67, 77]],
  },
  { op: 'matmul of vectors', f: (x, y) => x.matmul(y), args: [T([1, 2, 3]), T([4, 5, 6])], ct: 2, expect: [[8, 10, 12], [2, 4, 6]] },
  // composites, through their primitives
  { op: 'relu (kink rule: relu\'(0) = 1/2)', f: (x) => x.relu(), args: [T([-1, 0, 2])], ct: ct3, expect: [[0, -1, 0.5]] },
  { op: 'sigmoid', f: (x) => x.sigmoid(), args: [T(x3)], ct: ct3, expect: [by(x3, (x) => sig(x) * (1 - sig(x)))] },
  // exp(1000) overflows: the zero cotangent it gets must not become 0·∞ = NaN
  { op: 'sigmoid where exp overflows', f: (x) => x.sigmoid(), args: [T([-1000, 1000, -50])], ct: [1, 1, 1], expect: [[0, 0, Math.exp(-50) / (1 + Math.exp(-50)) ** 2]] },
  { op: 'sigmoid where expf overflows (float32)', f: (x) => x.sigmoid(), args: [T([-100, 100], 'float32')], ct: [1, 1], expect: [[0, Math.fround(Math.exp(-100))]] },
  { op: 'expm1 where it overflows', f: (x) => x.neg().expm1().add(2).reciprocal(), args: [T([-1000])], ct: [1], expect: [[0]] },
  { op: 'softmax', f: (x) => x.softmax(), args: [T(x3)], ct: ct3, expect: [soft(x3).map((s, i) => s * (ct3[i] - soft(x3).reduce((p, q, j) => p + q * ct3[j], 0)))] },
  { op: 'logSoftmax', f: (x) => x.logSoftmax(), args: [T(x3)], ct: ct3, expect: [soft(x3).map((s, i) => ct3[i] - s * (1 - 2 + 0.5))] },
  { op: 'mean', f: (x) => x.mean(0), args: [T([[1, 2], [3, 4]])], ct: [2, -4], expect: [[1, -2, 1, -2]] },
  { op: 'variance', f: (x) => x.variance(), args: [T([1, 2, 6])], ct: 1, expect: [[1, 2, 6].map((x) => (2 * (x - 3)) / 3)] },
  // indexing: a gather's cotangent adds g at each position it read (duplicates add up)
  { op: 'gather', f: (x) => x.at([2, 0, 2]), args: [T(x3)], ct: ct3, expect: [[-2, 0, 1 + 0.5]] },
  { op: 'gather of rows', f: (x) => x.at([1, 1]), args: [T([[1, 2], [3, 4]])], ct: [[1, 2], [3, 4]], expect: [[0, 0, 4, 6]] },
  // a write keeps only the last duplicate's value: only it gets the cotangent; the base loses it where written
  { op: 'scatter', f: (b, v) => b.scatter(0, [1, 1], v), args: [T(x3), T([3, 4])], ct: ct3, expect: [[1, 0, 0.5], [0, -2]] },
  { op: 'scatter with op add', f: (b, v) => b.scatter(0, [1, 1], v, { op: 'add' }), args: [T(x3), T([3, 4])], ct: ct3, expect: [[1, -2, 0.5], [-2, -2]] },
];

/** Equal, or within `rel` of each other relative to the larger magnitude; non-finite values and zeros exactly. */
const close = (got: number, want: number, rel = 1e-12): boolean =>
  Object.is(got, want) || (got === want) || (Number.isFinite(want) && Math.abs(got - want) <= rel * Math.max(Math.abs(want), Math.abs(got)));

describe('the op table: every entry says how it differentiates', () => {
  const withSources = Object.entries(OPS).filter(([, def]) => def.kind !== 'source');
  it('an entry with inputs has a vjp (a function of tensors, or zero)', () => {
    const missing = withSources.filter(([, def]) => !('vjp' in def) || (typeof def.vjp !== 'function' && def.vjp !== 'zero')).map(([name]) => name);
    expect(missing).toEqual([]);
  });
  it('every such entry has a literal case here', () => {
    const named = new Set(CASES.map((c) => c.op));
    expect(withSources.map(([name]) => name).filter((name) => !named.has(name) && !name.startsWith('kernel_') && !(OPS as Record<string, { c?: unknown }>)[name].c?.toString().includes('tf_op_'))).toEqual([]);
  });
});

describe('literal gradients, one case per op', () => {
  const pulled = CASES.map((c) => {
    const [out, pullback] = vjp(c.f, ...c.args);
    return pullback(T(c.ct, (out as Tensor).dtype));
  });
  const check = (c: Case, got: Tensor[], label: string): void => {
    expect(got.length, label).toBe(c.args.length);
    got.forEach((g, i) => {
      expect(g.shape, `${label} arg ${i}`).toEqual(c.args[i].shape);
      expect(g.dtype, `${label} arg ${i}`).toBe(c.args[i].dtype);
      const values = Array.from(g.data());
      const bad = values.flatMap((v, k) => (close(v, c.expect[i][k]) ? [] : [`[${k}] got ${v}, expected ${c.expect[i][k]}`]));
      expect(bad, `${label} arg ${i}: ${values.join(', ')}`).toEqual([]);
    });
  };
  CASES.forEach((c, k) => {
    it(`${c.op} (reference backend)`, () => check(c, pulled[k].map((g) => new Tensor(g.node).eval({ backend: 'ts' })), c.op));
  });
  it('every case in fused C, as one program', () => {
    const before = stats().evals;
    const all = pulled.flatMap((gs) => gs.map((g) => new Tensor(g.node)));
    evalAll(...all);
    expect(stats().evals - before).toBe(1);
    let at = 0;
    for (const c of CASES) check(c, all.slice(at, (at += c.args.length)), `${c.op} (C)`);
  });
});

describe('grad, valueAndGrad, vjp', () => {
  it('grad gives one tensor for one argument, an array for several, argnums picks', () => {
    const f = (x: Tensor, y: Tensor) => x.mul(y).sum();
    const [x, y] = [T([1, 2]), T([3, 4])];
    const both = grad(f)(x, y) as Tensor[];
    expect(both.map((g) => g.toArray())).toEqual([[3, 4], [1, 2]]);
    expect((grad(f, { argnums: 1 })(x, y) as Tensor).toArray()).toEqual([1, 2]);
    expect((grad(f, { argnums: [1] })(x, y) as Tensor[]).map((g) => g.toArray())).toEqual([[1, 2]]);
    expect((grad((a: Tensor) => a.square().sum())(x) as Tensor).toArray()).toEqual([2, 4]);
    const [v, g] = valueAndGrad((a: Tensor, k: number) => a.mul(k).sum())(x, 3);
    expect([v.item(), (g as Tensor).toArray()]).toEqual([9, [3, 3]]);
  });

  it('forward and backward are one program', () => {
    const w = T([[0.5, -1], [2, 1]]), xb = T([[1, 2], [3, 4], [5, 6]]);
    const [loss, gw] = valueAndGrad((w: Tensor) => xb.matmul(w).tanh().sum())(w);
    const before = stats().evals;
    evalAll(loss, gw);
    expect(stats().evals - before).toBe(1);
    const h = mm([[1, 2], [3, 4], [5, 6]], [[0.5, -1], [2, 1]]);
    expect(close(loss.item(), h.flat().reduce((s, v) => s + Math.tanh(v), 0))).toBe(true);
    const dh = h.map((r) => r.map((v) => 1 / Math.cosh(v) ** 2));
    expect(flat(gw.toArray()).every((v, i) => close(v, mm(tr([[1, 2], [3, 4], [5, 6]]), dh).flat()[i]))).toBe(true);
  });

  it('backward elementwise ops fuse with the forward values they read; matmul gradients read transposed views, not copies', () => {
    const kernels = (ts: Tensor[]): string[] => explain(ts.map((t) => t.node), true).split('\n').filter((l) => l.startsWith('kernel ')).map((l) => l.split(' ')[1].replace(/:$/, ''));
    const x = randn([1000], { seed: 1 }).eval();
    const [loss, g] = valueAndGrad((x: Tensor) => x.sin().exp().sum())(x) as [Tensor, Tensor];
    expect(kernels([loss, g])).toEqual([expect.stringMatching(/^R/), expect.stringMatching(/^E/)]); // the sum; g = exp(sin x)·cos x
    const a = randn([64, 32], { seed: 2 }).eval(), b = randn([32, 16], { seed: 3 }).eval();
    const [ga, gb] = grad((a: Tensor, b: Tensor) => a.matmul(b).sum())(a, b) as Tensor[];
    expect(kernels([ga, gb])).toEqual(['M0_64_32', 'M1_32_16']);
  });

  it('a tensor the function reads from its closure is a constant (only the argument is differentiated)', () => {
    const x = T([1, 2, 3]);
    expect((grad((w: Tensor) => w.mul(x).sum())(x) as Tensor).toArray()).toEqual([1, 2, 3]);
  });

  it('stopGradient and detach block the gradient, and leave the value', () => {
    const x = T([1, 2, 3]);
    expect((grad((w: Tensor) => w.mul(stopGradient(w)).sum())(x) as Tensor).toArray()).toEqual([1, 2, 3]);
    expect((grad((w: Tensor) => w.detach().square().sum().add(w.sum()))(x) as Tensor).toArray()).toEqual([1, 1, 1]);
    expect(x.detach().add(1).toArray()).toEqual([2, 3, 4]);
  });

  it('an input the result does not depend on gets zeros', () => {
    const g = grad((x: Tensor, _y: Tensor) => x.sum())(T([1, 2]), T([[5]])) as Tensor[];
    expect(g.map((t) => t.toArray())).toEqual([[1, 1], [[0]]]);
  });

  it('vjp: outputs, and a pullback for one or several outputs', () => {
    const [out, pb] = vjp((x: Tensor) => [x.mul(2), x.square().sum()], T([1, 2]));
    expect((out as Tensor[]).map((t) => t.toArray())).toEqual([[2, 4], 5]);
    expect(pb([T([1, 1]), 0.5])[0].toArray()).toEqual([3, 4]);
    expect(pb([0, 1])[0].toArray()).toEqual([2, 4]);
  });

  it('errors name the call and what would work', () => {
    const x = T([1, 2]);
    expect(() => grad((a: Tensor) => a.mul(2))(x)).toThrow(TensorError);
    expect(() => grad((a: Tensor) => a.mul(2))(x)).toThrow(/grad: f must return a scalar .*shape \[2\].*vjp/);
    expect(() => grad((a: Tensor, _b: Tensor) => a.sum())(x, T([1], "int32"))).toThrow(/grad: argument 1 is an int32 tensor of shape \[1\]; only float32 and float64 tensors have gradients.*argnums/);
    expect(() => grad((a: Tensor) => a.sum(), { argnums: 2 })(x)).toThrow(/argnums names argument 2/);
    expect(() => grad((a: Tensor, k: number) => a.sum().mul(k), { argnums: 1 })(x, 2)).toThrow(/argument 1 is 2, not a Tensor/);
    expect(() => grad((a: Tensor) => a.argmax())(x)).toThrow(/returned an int32 scalar; only a float32 or float64 result/);
    expect(() => vjp((a: Tensor) => a, x)[1](T([1, 2, 3]))).toThrow(/vjp: cotangent 0 has shape \[3\], but output 0 of f has shape \[2\]/);
    expect(() => vjp((a: Tensor) => [a, a], x)[1](T([1, 2]))).toThrow(/vjp: the pullback takes an array of 2 cotangents/);
    for (const bad of [null, 3, { argnums: -1 }, { argnums: [] }, { argnums: [0, 0] }, { argnums: '0' }]) {
      expect(() => grad((a: Tensor) => a.sum(), bad as never), JSON.stringify(bad)).toThrow(TensorError);
    }
    expect(() => grad(5 as never)).toThrow(/grad: expected a function of tensors, got 5/);
    expect(() => stopGradient([1] as never)).toThrow(/stopGradient: expected a Tensor/);
    const disposed = T([1]);
    disposed.dispose();
    expect(() => grad((a: Tensor) => a.sum())(disposed)).toThrow(/grad: argument 0 was disposed/);
  });

  it('a defineOp without grad cannot be differentiated; with one it can', () => {
    const plain = defineOp('ad_cube_plain', { arity: 1, c: 'a * a * a', ref: (a) => a * a * a });
    expect(() => grad((a: Tensor) => plain(a).sum())(T([1, 2]))).toThrow(/grad: cannot differentiate through ad_cube_plain.*defineOp.*grad/);
    const cube = defineOp('ad_cube', { arity: 1, c: 'a * a * a', ref: (a) => a * a * a, grad: (g, [a]) => [g.mul(a.square()).mul(3)] });
    expect((grad((a: Tensor) => cube(a).sum())(T([1, 2])) as Tensor).toArray()).toEqual([3, 12]);
    const bad = defineOp('ad_bad', { arity: 1, c: 'a', ref: (a) => a, grad: () => [] });
    expect(() => grad((a: Tensor) => bad(a).sum())(T([1]))).toThrow(/ad_bad: grad must return an array of 1 cotangent/);
    const k = defineKernel('ad_kernel', { inputs: 1, c: 'for (int64_t i = 0; i < n; i++) out[i] = in0[i];', ref: ([x], out) => out.set(x) });
    expect(() => grad((a: Tensor) => k(a).sum())(T([1]))).toThrow(/ad_kernel, a defineKernel kernel/);
    expect((grad((a: Tensor) => k(stopGradient(a)).sum().add(a.sum()))(T([1])) as Tensor).toArray()).toEqual([1]);
    expect(() => grad((a: Tensor) => k(a).sum())(T([1]))).toThrow(/defineKernel\('ad_kernel', \{ \.\.\., grad:/);
  });

  it('a defineKernel with grad differentiates: a running product whose derivative is written with tensor ops', () => {
    // out[i] = in0[0] * ... * in0[i] (a recurrence in C); its gradient, as cumprod's: revcumsum(g * out) / x.
    const runprod = defineKernel('ad_runprod', {
      inputs: 1,
      c: 'double acc = 1; for (int64_t i = 0; i < n; i++) { acc *= in0[i]; out[i] = acc; }',
      ref: ([x], out) => { let acc = 1; for (let i = 0; i < x.length; i++) out[i] = acc *= x[i]; },
      grad: (g, [x], out) => [g.mul(out).flip(0).cumsum(0).flip(0).div(x)],
    });
    const x = T([2, 3, 4]);
    // sum(w * runprod(x)) with w = [1, -2, 0.5]: d/dx0 = 1 - 2·3 + 0.5·12 = 1, d/dx1 = -2·2 + 0.5·8 = 0, d/dx2 = 0.5·6 = 3
    const w = T([1, -2, 0.5]);
    for (const backend of ['c', 'ts'] as const) {
      expect((grad((a: Tensor) => runprod(a).mul(w).sum())(x) as Tensor).eval({ backend }).toArray()).toEqual([1, 0, 3]);
    }
    expect(() => defineKernel('ad_badgrad', { inputs: 1, c: ';', ref: () => undefined, grad: 5 as never })).toThrow(/defineKernel: grad must be a function/);
  });
});

describe('reading values inside the differentiated function', () => {
  // d/dt of sum((2t)^2) + sum(2t + 1) is 8t + 2: [10, 18, 26] at [1, 2, 3]. Realizing 2t in place (as eval()
  // and data() do outside grad) made it a constant, and the gradient was silently [0, 0, 0].
  for (const backend of ['ts', 'c'] as const) {
    it(`eval(), data(), toArray(), item() and evalAll() leave the gradient whole, values read as computed (${backend})`, () => {
      const x = tensor([1, 2, 3]);
      let read: unknown[] = [];
      const g = grad((t: Tensor) => {
        const y = t.mul(2).eval({ backend });
        read = [Array.from(y.data()), y.toArray(), y.sum().item()];
        const [a] = evalAll(y.add(1));
        return y.square().sum().add(a.sum());
      })(x);
      expect(g.eval({ backend }).toArray()).toEqual([10, 18, 26]);
      expect(read).toEqual([[2, 4, 6], [2, 4, 6], 12]);
      const [v, gs] = valueAndGrad((t: Tensor) => t.mul(t).sum().eval({ backend }))(x);
      expect([v.item(), gs.toArray()]).toEqual([14, [2, 4, 6]]);
    });
  }
  it('a write in place that depends on the differentiated arguments is a TensorError, not a cut gradient', () => {
    const x = tensor([1, 2, 3]);
    const writes = [
      (t: Tensor) => { const y = full([3], 0); y.assign(t.mul(3)); return y.sum(); }, // gave [0, 0, 0]
      (t: Tensor) => { const y = t.mul(1).eval(); y.assign(t.mul(3)); return y.sum(); }, // was a TypeError
      (t: Tensor) => { const y = t.mul(1); y.at([0]).assign(5); return y.sum(); },
    ];
    for (const f of writes) expect(() => grad(f)(x)).toThrow(/^assign: inside grad, valueAndGrad or vjp, a write in place/);
    // A write that does not depend on them is an ordinary write.
    expect(grad((t: Tensor) => { const y = full([3], 0); y.assign(7); return y.add(t).sum(); })(x).toArray()).toEqual([1, 1, 1]);
  });
});

describe('tidy', () => {
  // Regression: the backward pass makes tensors over nodes that already own storage (the parameters);
  // tidy() disposed them with the rest and handed the parameter's buffer back to the pool, so the next
  // eval of that size overwrote the parameter. A second handle (w.T of a vector) did the same.
  it('frees only the storage of tensors realized inside it, not that of a parameter differentiated inside', () => {
    for (const use of [(w: Tensor) => (grad((x: Tensor) => x.square().mul(w).sum())(w) as Tensor).sum().item(), (w: Tensor) => w.T.sum().item()]) {
      const w = randn([1 << 20], { seed: 1 }).eval();
      const before = w.sum().item();
      tidy(() => use(w));
      for (let i = 0; i < 3; i++) full([1 << 20], 7).mul(w.sum()).eval();
      expect(w.sum().item()).toBe(before);
    }
  });
});

describe('higher order', () => {
  const d = (f: (x: Tensor) => Tensor) => (x: Tensor) => (grad(f)(x) as Tensor).sum();
  const at = T([0.3, -1.1, 2]);
  const xs = [0.3, -1.1, 2];
  const twice = (f: (x: Tensor) => Tensor): number[] => Array.from((grad(d(f))(at) as Tensor).data());
  it('sin″ = -sin, (x³)″ = 6x, tanh″ = -2 tanh (1 - tanh²)', () => {
    expect(twice((x) => x.sin().sum()).every((v, i) => close(v, -Math.sin(xs[i])))).toBe(true);
    expect(twice((x) => x.mul(x).mul(x).sum()).every((v, i) => close(v, 6 * xs[i]))).toBe(true);
    expect(twice((x) => x.tanh().sum()).every((v, i) => close(v, -2 * Math.tanh(xs[i]) * (1 - Math.tanh(xs[i]) ** 2)))).toBe(true);
  });
  it('through reductions: ∇(Σ ∇prod) = [b + c, a + c, a + b]; ∇(Σ ∇ logsumexp) = 0', () => {
    expect(twice((x) => x.prod())).toEqual([-1.1 + 2, 0.3 + 2, 0.3 - 1.1].map((v) => expect.closeTo(v, 12)));
    const lse = (x: Tensor) => x.exp().sum().log();
    expect(twice(lse).every((v) => Math.abs(v) < 1e-15)).toBe(true);
    expect(twice((x) => x.max().mul(x.sum()))).toEqual([1, 1, 4]); // Σ∇ = Σx + 3·max
  });
  it('through views and matmul: f = Σ X·Xᵀ = Σ_k (column sum k)², so ∇(Σ ∇f) = 2m everywhere (m rows)', () => {
    const f = (x: Tensor) => x.matmul(x.T).sum();
    const X = T([[0.5, -1, 2], [3, 0.25, -2]]);
    expect(Array.from((grad(d(f))(X) as Tensor).eval({ backend: 'ts' }).data())).toEqual([4, 4, 4, 4, 4, 4]);
    // the same through a flip, a pad and a slice: their adjoints differentiate again
    const g = (x: Tensor) => x.flip(1).pad([[1, 0], [0, 2]]).slice([1, 0], [3, 3]).matmul(x.T).sum();
    expect(Array.from((grad(d(g))(X) as Tensor).eval({ backend: 'ts' }).data())).toEqual([4, 4, 4, 4, 4, 4]);
  });

  it('in fused C, one program for value, gradient and second derivative', () => {
    const f = (x: Tensor) => x.exp().mul(x).sum(); // (x eˣ)″ = (x + 2) eˣ
    const g2 = grad(d(f))(at) as Tensor;
    const v = f(at), g1 = grad(f)(at) as Tensor;
    evalAll(v, g1, g2);
    expect(Array.from(g2.data()).every((y, i) => close(y, (xs[i] + 2) * Math.exp(xs[i]), 1e-14))).toBe(true);
    expect(Array.from(g1.data()).every((y, i) => close(y, (xs[i] + 1) * Math.exp(xs[i]), 1e-14))).toBe(true);
  });
});

// Issue 16: scatter with op mul/max/min (x.at(i).assign(v, { op }), scatter, putAlongAxis with an op).
// Literal values worked out by hand: duplicates, ties (split equally, as the max reduction), zeros, NaN.
describe('gradients of scatter with op mul, max and min', () => {
  const S: Case[] = [
    // out = [5, 3, 3]: p0 ties base 5 with a value 5 (half each), p1's two 3s tie (half each), p2 the base wins
    { op: 'max at, ties', f: (b, v) => b.scatter(0, [1, 1, 2, 0], v, { op: 'max' }), args: [T([5, 2, 3]), T([3, 3, 1, 5])], ct: ct3, expect: [[0.5, 0, 0.5], [-1, -1, 0, 0.5]] },
    // p0 untouched; p1 min(2, 3, 0) = 0 to the value 0; p2 min(NaN, 1) = NaN: nothing equals it, all get 0 (as the min reduction)
    { op: 'min at, NaN', f: (b, v) => b.scatter(0, [1, 1, 2], v, { op: 'min' }), args: [T([5, 2, NaN]), T([3, 0, 1])], ct: ct3, expect: [[1, 0, 0], [0, -2, 0]] },
    // three-way tie of base and two values: a third each; a NaN base where nothing lands still gets g
    { op: 'max at, three-way tie', f: (b, v) => b.scatter(0, [0, 0], v, { op: 'max' }), args: [T([4, NaN]), T([4, 4])], ct: [3, 1], expect: [[1, 1], [1, 1]] },
    // p1: 2·3·4·5; p2: 3·7; p0: 5·0·0 (two zeros: every derivative 0); all exact
    {
      op: 'mul at, duplicates and two zeros', f: (b, v) => b.scatter(0, [1, 1, 1, 2, 0, 0], v, { op: 'mul' }), args: [T([5, 2, 3]), T([3, 4, 5, 7, 0, 0])], ct: ct3,
      expect: [[0, -2 * 60, 0.5 * 7], [-2 * 2 * 20, -2 * 2 * 15, -2 * 2 * 12, 0.5 * 3, 0, 0]],
    },
    // one zero at p0: the zero's derivative is base·(the others' product), the others' 0; p1 nothing lands
    { op: 'mul at, one zero', f: (b, v) => b.scatter(0, [0, 0, 0], v, { op: 'mul' }), args: [T([5, 2]), T([3, 0, -2])], ct: [2, 1], expect: [[2 * (3 * 0 * -2), 1], [2 * 5 * 0 * -2, 2 * 5 * -6, 2 * 5 * 3 * 0]] },
    // 2-D, along axis 1 with putAlongAxis's index form (scatter), float32
    {
      op: 'mul at, 2-D float32', f: (b, v) => b.scatter(1, [[1, 1], [0, 1]], v, { op: 'mul' }), args: [T([[1, 2], [3, 4]], 'float32'), T([[5, 6], [7, 0]], 'float32')], ct: [[1, 2], [3, 4]],
      expect: [[1, 2 * 30, 3 * 7, 0], [2 * 2 * 6, 2 * 2 * 5, 3 * 3, 4 * 4]],
    },
  ];
  const pulled = S.map((c) => {
    const [out, pullback] = vjp(c.f, ...c.args);
    return pullback(T(c.ct, (out as Tensor).dtype));
  });
  const check = (c: Case, got: Tensor[], label: string): void => {
    got.forEach((g, i) => {
      expect(g.shape, `${label} arg ${i}`).toEqual(c.args[i].shape);
      expect(g.dtype, `${label} arg ${i}`).toBe(c.args[i].dtype);
      expect(Array.from(g.data()), `${label} arg ${i}`).toEqual(c.expect[i]);
    });
  };
  S.forEach((c, k) => it(`${c.op} (reference backend)`, () => check(c, pulled[k].map((g) => new Tensor(g.node).eval({ backend: 'ts' })), c.op)));
  it('every case in fused C', () => {
    const all = pulled.flatMap((gs) => gs.map((g) => new Tensor(g.node)));
    evalAll(...all);
    let at = 0;
    for (const c of S) check(c, all.slice(at, (at += c.args.length)), `${c.op} (C)`);
  });

  it('grad no longer throws for op mul, max or min (it did: "not implemented")', () => {
    for (const op of ['mul', 'max', 'min'] as const) {
      const g = grad((b: Tensor, v: Tensor) => b.scatter(0, [1, 1], v, { op }).sum())(T([1, 2, 3]), T([3, 4])) as Tensor[];
      expect(g.map((t) => t.shape)).toEqual([[3], [2]]);
    }
  });

  // Central differences (float64) of ⟨ct, f⟩ for each element of each input, at random points: values
  // distinct (no ties: max is smooth there) and many landing on a few positions; mul is multilinear, so
  // its differences are exact up to rounding even with zeros among the values.
  const rnd = (seed: number): (() => number) => { let s = seed; return () => ((s = (s * 16807) % 2147483647) / 2147483647) * 4 - 2; };
  for (const op of ['mul', 'max', 'min'] as const) {
    for (const backend of ['ts', 'c'] as const) {
      it(`${op}: central differences match the gradient, duplicates on a [4, 3] base (${backend})`, () => {
        const r = rnd(op.length * 7 + 1), o = backend === 'ts' ? { backend: 'ts' as const } : undefined;
        const base = Array.from({ length: 12 }, r), vals = Array.from({ length: 18 }, r), ct = Array.from({ length: 12 }, r);
        if (op === 'mul') vals[3] = vals[4] = 0;
        const index = [[0, 3, 1], [0, 3, 1], [2, 3, 1], [0, 0, 0], [3, 3, 2], [0, 1, 2]];
        const f = (b: Tensor, v: Tensor) => b.scatter(0, index, v, { op }).mul(T(ct).reshape([4, 3])).sum();
        const gs = (grad(f)(T(base).reshape([4, 3]), T(vals).reshape([6, 3])) as Tensor[]).map((g) => Array.from(g.eval(o).data()));
        const h = 1e-5;
        const at = (bs: number[], vs: number[]) => f(T(bs).reshape([4, 3]), T(vs).reshape([6, 3])).eval(o).item() as number;
        [base, vals].forEach((xs, which) => xs.forEach((_, k) => {
          const plus = xs.slice(), minus = xs.slice();
          plus[k] += h; minus[k] -= h;
          const fd = which === 0 ? (at(plus, vals) - at(minus, vals)) / (2 * h) : (at(base, plus) - at(base, minus)) / (2 * h);
          expect(Math.abs(fd - gs[which][k]), `${op} input ${which} [${k}]: fd ${fd}, grad ${gs[which][k]}`).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(fd)));
        }));
      });
    }
  }
});
