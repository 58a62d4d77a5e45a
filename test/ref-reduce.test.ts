/**
 * Reductions and the composites built on them, as literal known values: every axis form (none, one,
 * negative, several, keepdims), NaN/±Inf/-0, int32 wrap, bool, empty axes. Expected values come from
 * numpy 2.4 as each comment says; "by hand" marks where our documented semantics differ.
 */
import { describe, expect, it } from 'vitest';
import type { DType } from '../src/index.js';
import { OPS, Tensor, tensor } from '../src/index.js';
import type { Input } from './helpers.js';
import { BOOL, F32, F64, I32, expectValues, make, run, show, showInput } from './helpers.js';

type Axis = number | number[] | undefined;
interface Row { x: Input; op: string; axis?: Axis; keepdims?: boolean; ddof?: number; shape: number[]; dtype: DType; out: number[]; ulps?: number }

function apply(r: Row): Tensor {
  const t = make(r.x) as unknown as Record<string, (...a: unknown[]) => Tensor>;
  if (r.op === 'softmax' || r.op === 'logSoftmax') return t[r.op](r.axis);
  if (r.ddof !== undefined) return t[r.op](r.axis, r.keepdims ?? false, r.ddof);
  return r.keepdims === undefined ? t[r.op](r.axis) : t[r.op](r.axis, r.keepdims);
}

const label = (r: Row): string =>
  `${r.op}(${showInput(r.x)}, axis=${show(r.axis)}${r.keepdims ? ', keepdims' : ''}${r.ddof !== undefined ? `, ddof=${r.ddof}` : ''}) -> ${r.dtype}${show(r.shape)}`;

const R1 = F64([[1, 2, 3], [4, 5, 6]]);
const R2 = F64([[1, NaN, 3], [-0, 5, -Infinity]]);
// numpy: R3 = (np.arange(24, dtype=np.int32).reshape(2, 3, 4) * 7) % 11 - 5
const R3 = I32([[[-5, 2, -2, 5], [1, -3, 4, 0], [-4, 3, -1, -5]], [[2, -2, 5, 1], [-3, 4, 0, -4], [3, -1, -5, 2]]]);
const B = BOOL([[true, false, true], [true, true, true]]);

const ROWS: Row[] = [
  // numpy: np.<op>(R1, axis=...) for R1 = [[1, 2, 3], [4, 5, 6]]; argmax/argmin are int32 here (numpy: int64)
  { x: R1, op: 'sum', shape: [], dtype: 'float64', out: [21] },
  { x: R1, op: 'prod', shape: [], dtype: 'float64', out: [720] },
  { x: R1, op: 'max', shape: [], dtype: 'float64', out: [6] },
  { x: R1, op: 'min', shape: [], dtype: 'float64', out: [1] },
  { x: R1, op: 'mean', shape: [], dtype: 'float64', out: [3.5] },
  { x: R1, op: 'argmax', shape: [], dtype: 'int32', out: [5] },
  { x: R1, op: 'argmin', shape: [], dtype: 'int32', out: [0] },
  { x: R1, op: 'sum', axis: 0, shape: [3], dtype: 'float64', out: [5, 7, 9] },
  { x: R1, op: 'prod', axis: 0, shape: [3], dtype: 'float64', out: [4, 10, 18] },
  { x: R1, op: 'max', axis: 0, shape: [3], dtype: 'float64', out: [4, 5, 6] },
  { x: R1, op: 'min', axis: 0, shape: [3], dtype: 'float64', out: [1, 2, 3] },
  { x: R1, op: 'mean', axis: 0, shape: [3], dtype: 'float64', out: [2.5, 3.5, 4.5] },
  { x: R1, op: 'argmax', axis: 0, shape: [3], dtype: 'int32', out: [1, 1, 1] },
  { x: R1, op: 'argmin', axis: 0, shape: [3], dtype: 'int32', out: [0, 0, 0] },
  { x: R1, op: 'sum', axis: 1, shape: [2], dtype: 'float64', out: [6, 15] },
  { x: R1, op: 'prod', axis: 1, shape: [2], dtype: 'float64', out: [6, 120] },
  { x: R1, op: 'max', axis: -1, shape: [2], dtype: 'float64', out: [3, 6] },
  { x: R1, op: 'min', axis: -1, shape: [2], dtype: 'float64', out: [1, 4] },
  { x: R1, op: 'mean', axis: -1, shape: [2], dtype: 'float64', out: [2, 5] },
  { x: R1, op: 'argmax', axis: -1, shape: [2], dtype: 'int32', out: [2, 2] },
  { x: R1, op: 'argmin', axis: -2, shape: [3], dtype: 'int32', out: [0, 0, 0] },
  { x: R1, op: 'sum', axis: -2, shape: [3], dtype: 'float64', out: [5, 7, 9] },
  { x: R1, op: 'sum', axis: [0, 1], shape: [], dtype: 'float64', out: [21] },
  { x: R1, op: 'prod', axis: [1, 0], shape: [], dtype: 'float64', out: [720] },
  { x: R1, op: 'mean', axis: [-1, -2], shape: [], dtype: 'float64', out: [3.5] },
  // numpy: np.sum(R1, axis=1, keepdims=True); np.max(R1, keepdims=True)
  { x: R1, op: 'sum', axis: 1, keepdims: true, shape: [2, 1], dtype: 'float64', out: [6, 15] },
  { x: R1, op: 'max', axis: undefined, keepdims: true, shape: [1, 1], dtype: 'float64', out: [6] },
  { x: R1, op: 'argmax', axis: 0, keepdims: true, shape: [1, 3], dtype: 'int32', out: [1, 1, 1] },
  // by hand: an empty axis list reduces nothing (numpy: np.sum(R1, axis=()) is R1)
  { x: R1, op: 'sum', axis: [], shape: [2, 3], dtype: 'float64', out: [1, 2, 3, 4, 5, 6] },

  // numpy: np.<op>(R2, axis=...) for R2 = [[1, nan, 3], [-0., 5, -inf]]: NaN propagates through sum/prod/max/min/mean
  { x: R2, op: 'sum', axis: 1, shape: [2], dtype: 'float64', out: [NaN, -Infinity] },
  { x: R2, op: 'sum', axis: 0, shape: [3], dtype: 'float64', out: [1, NaN, -Infinity] },
  { x: R2, op: 'prod', axis: 1, shape: [2], dtype: 'float64', out: [NaN, NaN] },
  { x: R2, op: 'prod', axis: 0, shape: [3], dtype: 'float64', out: [-0, NaN, -Infinity] },
  { x: R2, op: 'max', axis: 1, shape: [2], dtype: 'float64', out: [NaN, 5] },
  { x: R2, op: 'max', axis: 0, shape: [3], dtype: 'float64', out: [1, NaN, 3] },
  { x: R2, op: 'min', axis: 1, shape: [2], dtype: 'float64', out: [NaN, -Infinity] },
  { x: R2, op: 'min', axis: 0, shape: [3], dtype: 'float64', out: [-0, NaN, -Infinity] },
  { x: R2, op: 'mean', axis: 1, shape: [2], dtype: 'float64', out: [NaN, -Infinity] },
  { x: R2, op: 'mean', axis: 0, shape: [3], dtype: 'float64', out: [0.5, NaN, -Infinity] },
  // numpy: argmax/argmin treat the first NaN as the extreme
  { x: R2, op: 'argmax', axis: 1, shape: [2], dtype: 'int32', out: [1, 1] },
  { x: R2, op: 'argmax', axis: 0, shape: [3], dtype: 'int32', out: [0, 0, 0] },
  { x: R2, op: 'argmin', axis: 1, shape: [2], dtype: 'int32', out: [1, 2] },
  { x: R2, op: 'argmin', axis: 0, shape: [3], dtype: 'int32', out: [1, 0, 1] },

  // numpy: np.sum/np.prod(R3, axis=..., dtype=np.int32) (int32 accumulation), np.max/np.min/np.mean(R3, axis=...)
  { x: R3, op: 'sum', axis: [0, 2], shape: [3], dtype: 'float64', out: [6, -1, -8] },
  { x: R3, op: 'prod', axis: [0, 2], shape: [3], dtype: 'float64', out: [-2000, 0, -1800] },
  { x: R3, op: 'max', axis: [0, 2], shape: [3], dtype: 'int32', out: [5, 4, 3] },
  { x: R3, op: 'min', axis: [0, 2], shape: [3], dtype: 'int32', out: [-5, -4, -5] },
  { x: R3, op: 'mean', axis: [0, 2], shape: [3], dtype: 'float64', out: [0.75, -0.125, -1] },
  { x: R3, op: 'sum', axis: [-1, -3], shape: [3], dtype: 'float64', out: [6, -1, -8] },
  { x: R3, op: 'max', axis: [-1, -3], shape: [3], dtype: 'int32', out: [5, 4, 3] },
  { x: R3, op: 'sum', axis: [0, 2], keepdims: true, shape: [1, 3, 1], dtype: 'float64', out: [6, -1, -8] },
  { x: R3, op: 'sum', axis: 1, shape: [2, 4], dtype: 'float64', out: [-8, 2, 1, 0, 2, 1, 0, -1] },
  { x: R3, op: 'prod', axis: 1, shape: [2, 4], dtype: 'float64', out: [20, -18, 8, 0, -18, 8, 0, -8] },
  { x: R3, op: 'max', axis: 1, shape: [2, 4], dtype: 'int32', out: [1, 3, 4, 5, 3, 4, 5, 2] },
  { x: R3, op: 'min', axis: 1, shape: [2, 4], dtype: 'int32', out: [-5, -3, -2, -5, -3, -2, -5, -4] },
  { x: R3, op: 'mean', axis: 1, shape: [2, 4], dtype: 'float64', out: [-2.6666666666666665, 0.6666666666666666, 0.3333333333333333, 0, 0.6666666666666666, 0.3333333333333333, 0, -0.3333333333333333] },
  { x: R3, op: 'argmax', axis: 1, shape: [2, 4], dtype: 'int32', out: [1, 2, 1, 0, 2, 1, 0, 2] },
  { x: R3, op: 'argmin', axis: 1, shape: [2, 4], dtype: 'int32', out: [0, 1, 0, 2, 1, 0, 2, 1] },
  { x: R3, op: 'sum', shape: [], dtype: 'float64', out: [-3] },
  { x: R3, op: 'prod', shape: [], dtype: 'float64', out: [0] },
  { x: R3, op: 'mean', shape: [], dtype: 'float64', out: [-0.125] },
  // numpy has no multi-axis argmax; numpy: np.argmax(R3.transpose(1, 0, 2).reshape(3, -1), axis=-1), i.e. the
  // row-major index within the reduced axes (documented)
  { x: R3, op: 'argmax', axis: [0, 2], shape: [3], dtype: 'int32', out: [3, 2, 1] },
  { x: R3, op: 'argmin', axis: [2, 0], shape: [3], dtype: 'int32', out: [0, 7, 3] },
  { x: R3, op: 'argmax', axis: [0, 2], keepdims: true, shape: [1, 3, 1], dtype: 'int32', out: [3, 2, 1] },
  // numpy: np.argmax(R3) (flat index)
  { x: R3, op: 'argmax', shape: [], dtype: 'int32', out: [3] },
  { x: R3, op: 'argmin', shape: [], dtype: 'int32', out: [0] },

  // numpy: np.sum / np.prod of int32 accumulate in int64 (no int32 wrap); ours give that as float64
  { x: I32([2147483647, 1]), op: 'sum', shape: [], dtype: 'float64', out: [2147483648] },
  { x: I32([65536, 65536, 3]), op: 'prod', shape: [], dtype: 'float64', out: [12884901888] },
  // numpy: np.prod(np.array([2**31 - 1] * 3, np.int32)) wraps in int64 to 4611686024869838847, whose float64 is:
  { x: I32([2147483647, 2147483647, 2147483647]), op: 'prod', shape: [], dtype: 'float64', out: [4611686024869838848] },
  // Python exact integers: (-2**31)**2 * 3 wrapped to int64 is -4611686018427387904 (= -2**62)
  { x: I32([-2147483648, -2147483648, 3]), op: 'prod', shape: [], dtype: 'float64', out: [-4611686018427387904] },
  // numpy: np.mean of int32 accumulates in float64 (no wrap)
  { x: I32([2147483647, 2147483647]), op: 'mean', shape: [], dtype: 'float64', out: [2147483647] },
  { x: I32([[1, 2], [3, 4]]), op: 'mean', axis: 0, shape: [2], dtype: 'float64', out: [2, 3] },

  // numpy: np.sum(B, axis=1) = [2, 3]; by hand the dtype: float64 (numpy: int64)
  { x: B, op: 'sum', axis: 1, shape: [2], dtype: 'float64', out: [2, 3] },
  { x: B, op: 'sum', shape: [], dtype: 'float64', out: [5] },
  { x: B, op: 'prod', axis: 1, shape: [2], dtype: 'float64', out: [0, 1] },
  // numpy: np.max/np.min(B, axis=1) stay bool
  { x: B, op: 'max', axis: 1, shape: [2], dtype: 'bool', out: [1, 1] },
  { x: B, op: 'min', axis: 1, shape: [2], dtype: 'bool', out: [0, 1] },
  { x: B, op: 'max', axis: 0, shape: [3], dtype: 'bool', out: [1, 1, 1] },
  { x: B, op: 'argmin', axis: 1, shape: [2], dtype: 'int32', out: [1, 0] },
  { x: B, op: 'mean', axis: 1, shape: [2], dtype: 'float64', out: [0.6666666666666666, 1] },

  // numpy: np.sum(np.array([16777216, 1, 1], np.float32)): each step rounds to float32 (ties to even)
  { x: F32([16777216, 1, 1]), op: 'sum', shape: [], dtype: 'float32', out: [16777216] },
  { x: F32([1, 1, 16777216]), op: 'sum', shape: [], dtype: 'float32', out: [16777218] },
  // numpy: np.mean(np.array([0.1, 0.2, 0.3], np.float32)) stays float32
  { x: F32([0.1, 0.2, 0.3]), op: 'mean', shape: [], dtype: 'float32', out: [0.20000000298023224] },

  // numpy: the empty sum is 0, the empty product 1, the empty mean NaN
  { x: F64([]), op: 'sum', shape: [], dtype: 'float64', out: [0] },
  { x: F64([]), op: 'prod', shape: [], dtype: 'float64', out: [1] },
  { x: F64([]), op: 'mean', shape: [], dtype: 'float64', out: [NaN] },
  { x: I32([]), op: 'sum', shape: [], dtype: 'float64', out: [0] },
  { x: BOOL([]), op: 'prod', shape: [], dtype: 'float64', out: [1] },
  // numpy: np.sum/np.prod/np.mean(np.zeros((2, 0)), axis=1)
  { x: F64([[], []]), op: 'sum', axis: 1, shape: [2], dtype: 'float64', out: [0, 0] },
  { x: F64([[], []]), op: 'prod', axis: 1, shape: [2], dtype: 'float64', out: [1, 1] },
  { x: F64([[], []]), op: 'mean', axis: -1, shape: [2], dtype: 'float64', out: [NaN, NaN] },
  // numpy: np.max(np.zeros((2, 0)), axis=0) has shape (0,): the reduced axis is not empty
  { x: F64([[], []]), op: 'max', axis: 0, shape: [0], dtype: 'float64', out: [] },
  { x: F64([[], []]), op: 'argmin', axis: 0, shape: [0], dtype: 'int32', out: [] },
  // size-1 dims and 0-d tensors
  { x: F64([[7]]), op: 'max', axis: 1, shape: [1], dtype: 'float64', out: [7] },
  { x: F64(7), op: 'sum', shape: [], dtype: 'float64', out: [7] },
  { x: F64(7), op: 'argmax', shape: [], dtype: 'int32', out: [0] },
  { x: I32(7), op: 'mean', shape: [], dtype: 'float64', out: [7] },

  // numpy: first index on ties; the first NaN wins
  { x: F64([3, 1, 3]), op: 'argmax', shape: [], dtype: 'int32', out: [0] },
  { x: F64([1, 0, 0]), op: 'argmin', shape: [], dtype: 'int32', out: [1] },
  { x: F64([1, NaN, NaN, 5]), op: 'argmax', shape: [], dtype: 'int32', out: [1] },
  { x: F64([1, NaN, NaN, -5]), op: 'argmin', shape: [], dtype: 'int32', out: [1] },
  { x: F64([-0, 0]), op: 'argmax', shape: [], dtype: 'int32', out: [0] },
  { x: F64([-Infinity, -Infinity]), op: 'argmax', shape: [], dtype: 'int32', out: [0] },
  { x: I32([-2147483648, 2147483647, 2147483647]), op: 'argmax', shape: [], dtype: 'int32', out: [1] },
  // numpy: np.max(np.array([-0., 0.])) = 0
  { x: F64([-0, 0]), op: 'max', shape: [], dtype: 'float64', out: [0] },
  // by hand: IEEE maximum/minimum of ±0 are +0/-0 in either order (numpy: np.max([0., -0.]) = -0, np.min([-0., 0.]) = 0)
  { x: F64([0, -0]), op: 'max', shape: [], dtype: 'float64', out: [0] },
  { x: F64([-0, 0]), op: 'min', shape: [], dtype: 'float64', out: [-0] },
  // numpy: np.min(np.array([0., -0.])) = -0
  { x: F64([0, -0]), op: 'min', shape: [], dtype: 'float64', out: [-0] },

  // numpy: np.var/np.std(V, axis=..., ddof=..., keepdims=...) for V = [[1, 2, 3, 4], [2, 2, 2, 2]]
  { x: F64([[1, 2, 3, 4], [2, 2, 2, 2]]), op: 'variance', shape: [], dtype: 'float64', out: [0.6875] },
  { x: F64([[1, 2, 3, 4], [2, 2, 2, 2]]), op: 'variance', axis: 1, shape: [2], dtype: 'float64', out: [1.25, 0] },
  { x: F64([[1, 2, 3, 4], [2, 2, 2, 2]]), op: 'variance', axis: 1, keepdims: false, ddof: 1, shape: [2], dtype: 'float64', out: [1.6666666666666667, 0] },
  { x: F64([[1, 2, 3, 4], [2, 2, 2, 2]]), op: 'std', axis: 1, shape: [2], dtype: 'float64', out: [1.118033988749895, 0] },
  { x: F64([[1, 2, 3, 4], [2, 2, 2, 2]]), op: 'std', axis: 0, keepdims: true, shape: [1, 4], dtype: 'float64', out: [0.5, 0, 0.5, 1] },
  // numpy: np.var([1., 2], ddof=2) = inf; np.var([1., 1], ddof=2) = nan (division by zero)
  { x: F64([1, 2]), op: 'variance', axis: undefined, keepdims: false, ddof: 2, shape: [], dtype: 'float64', out: [Infinity] },
  { x: F64([1, 1]), op: 'variance', axis: undefined, keepdims: false, ddof: 2, shape: [], dtype: 'float64', out: [NaN] },
  // numpy: np.var(np.array([1, 2, 3, 4], np.int32)) is float64
  { x: I32([1, 2, 3, 4]), op: 'variance', shape: [], dtype: 'float64', out: [1.25] },
  // numpy: np.var/np.std of float32 stay float32
  { x: F32([0.1, 0.2, 0.3, 0.4]), op: 'variance', shape: [], dtype: 'float32', out: [0.01250000111758709] },
  { x: F32([0.1, 0.2, 0.3, 0.4]), op: 'std', shape: [], dtype: 'float32', out: [0.11180340498685837] },

  // numpy: e = np.exp(x - x.max(axis, keepdims=True)); e / e.sum(axis, keepdims=True) — and the log form
  { x: F64([[1, 2, 3], [1, 1, 1], [-Infinity, 0, -Infinity]]), op: 'softmax', shape: [3, 3], dtype: 'float64', ulps: 4,
    out: [0.09003057317038046, 0.24472847105479764, 0.6652409557748218, 0.3333333333333333, 0.3333333333333333, 0.3333333333333333, 0, 1, 0] },
  { x: F64([[1, 2, 3], [1, 1, 1], [-Infinity, 0, -Infinity]]), op: 'logSoftmax', axis: -1, shape: [3, 3], dtype: 'float64', ulps: 4,
    out: [-2.4076059644443806, -1.4076059644443804, -0.4076059644443804, -1.0986122886681098, -1.0986122886681098, -1.0986122886681098, -Infinity, 0, -Infinity] },
  { x: F64([[1, 2], [3, 5]]), op: 'softmax', axis: 0, shape: [2, 2], dtype: 'float64', ulps: 4, out: [0.11920292202211755, 0.04742587317756679, 0.8807970779778823, 0.9525741268224334] },
  { x: F64([[1, 2], [3, 5]]), op: 'logSoftmax', axis: 0, shape: [2, 2], dtype: 'float64', ulps: 4, out: [-2.1269280110429727, -3.048587351573742, -0.1269280110429726, -0.04858735157374196] },
  // numpy: a row of -inf has no maximum to subtract: nan
  { x: F64([-Infinity, -Infinity]), op: 'softmax', shape: [2], dtype: 'float64', out: [NaN, NaN] },
  // numpy: the same on x.astype(np.float64): ints compute in float64, so x - max cannot wrap
  { x: I32([-2147483648, 2147483647]), op: 'softmax', shape: [2], dtype: 'float64', out: [0, 1] },
  { x: I32([0, 1, 2]), op: 'softmax', shape: [3], dtype: 'float64', ulps: 4, out: [0.09003057317038046, 0.24472847105479764, 0.6652409557748218] },
  { x: I32([-2147483648, 2147483647]), op: 'logSoftmax', shape: [2], dtype: 'float64', out: [-4294967295, 0] },
  { x: BOOL([false, true]), op: 'softmax', shape: [2], dtype: 'float64', ulps: 4, out: [0.2689414213699951, 0.7310585786300049] },
  // numpy: float32 softmax stays float32
  { x: F32([0.1, 0.2, 0.7]), op: 'softmax', shape: [3], dtype: 'float32', ulps: 2, out: [0.2546285390853882, 0.28140804171562195, 0.46396341919898987] },
];

describe('reductions: literal values', () => {
  it.each(ROWS.map((r) => [label(r), r] as const))('%s', (name, r) => {
    const t = apply(r);
    expect(t.dtype, name).toBe(r.dtype);
    expect(t.shape, name).toEqual(r.shape);
    expectValues(run(t), r.out, name, { ulps: r.ulps, dtype: r.dtype });
  });

  it('covers every reduction primitive of the op table', () => {
    const tested = new Set(ROWS.map((r) => r.op));
    const primitives = Object.entries(OPS).filter(([, d]) => d.kind === 'reduce').map(([name]) => name);
    expect(primitives.filter((p) => !tested.has(p))).toEqual([]);
  });

  it('reduces a view (transpose, slice, broadcast) by its logical layout', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    // numpy: x.T.sum(axis=1) = [5, 7, 9]; x[:, ::-1].argmax(axis=1) = [0, 0]; np.broadcast_to(x[0], (4, 3)).sum(axis=0) = [4, 8, 12]
    expectValues(run(x.T.sum(1)), [5, 7, 9], 'sum of a transpose');
    expectValues(run(x.flip(1).argmax(1)), [0, 0], 'argmax of a flip');
    expectValues(run(x.slice([0], [1]).reshape([3]).expand([4, 3]).sum(0)), [4, 8, 12], 'sum of a broadcast');
  });
});
