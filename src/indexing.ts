/**
 * numpy indexing as Tensor methods: `x.at(...)` (index-at.ts: the items, the view and gather they
 * give, the scatter a write through them records), and the numpy / tfjs / PyTorch helpers built on
 * the same gather and scatter: take, takeAlongAxis, putAlongAxis, scatter, nonzero, argwhere, oneHot,
 * bincount. Their derivatives are in index-adjoints.ts.
 */
import type { DType, IntDType, Storage } from './dtype.js';
import { isBool, isInteger } from './dtype.js';
import { DTypeError, ShapeError, TensorError } from './errors.js';
import type { Advanced, IndexItem } from './index-at.js';
import { asPositions, gathered, indexAt, indexTensor, nonzero, scatterNode } from './index-at.js';
import './index-adjoints.js';
import { INDEX_DTYPE } from './indexops.js';
import { broadcastShapes, contiguousView, describe, fmtShape, normAxis, readArray, sizeOf } from './shape.js';
import type { AssignOp, AssignOptions, MustBe, NestedArray } from './tensor.js';
import { ASSIGN_OPS, broadcastTo, castTo, constant, iota, Tensor } from './tensor.js';
import { tensor, zeros } from './create.js';

export type { IndexItem } from './index-at.js';
export { asPositions, indexAt, nonzero } from './index-at.js';

// ---- numpy / tfjs / PyTorch helpers over gather and scatter --------------------------------------

/** numpy `take`: positions along `axis` (default: of the flattened tensor). */
export function take(x: Tensor, indices: unknown, axis?: number): Tensor {
  const t = indexTensor('take', indices);
  if (isBool(t.dtype)) throw new DTypeError('take: indices must be integers, got a bool array; use at(mask) for a mask');
  const item = Array.isArray(indices) ? indices : t; // a JS array's values are checked when recorded
  if (axis === undefined || axis === null) return indexAt(x.reshape([-1]), [item], 'take');
  const a = normAxis('take', axis, x.ndim, x.shape);
  return indexAt(x, [...Array<string>(a).fill(':'), item], 'take');
}

/** The index arrays of an along-axis gather: `indices` on `axis`, every other axis its own position. */
function alongAxis(op: string, x: Tensor, indices: unknown, axis: number): Advanced {
  const t = indexTensor(op, indices);
  if (isBool(t.dtype)) throw new DTypeError(`${op}: indices must be integers, got a bool array`);
  if (t.ndim !== x.ndim) throw new ShapeError(`${op}: indices need as many dims as the tensor (${x.ndim}), got shape ${fmtShape(t.shape)}`);
  const a = normAxis(op, axis, x.ndim, x.shape);
  const b = broadcastShapes(op, t.shape, x.shape.map((d, i) => (i === a ? t.shape[a] : d)));
  if (x.shape[a] === 0 && sizeOf(b) > 0) throw new ShapeError(`${op}: axis ${a} of ${fmtShape(x.shape)} has size 0: no index is in range`);
  const idx = x.shape.map((d, i) => (i === a ? broadcastTo(op, t, b) : broadcastTo(op, positions(d, i, x.ndim), b)));
  return { source: x, idx, arg: { axes: x.shape.map((_, i) => i), at: 0 } };
}

/** 0..n-1 along axis `i` of `ndim` dims (size 1 elsewhere): a lazy iota, generated in the loop. */
const positions = (n: number, i: number, ndim: number): Tensor => iota(n, INDEX_DTYPE).reshape(Array.from({ length: ndim }, (_, d) => (d === i ? n : 1)));

/** numpy `take_along_axis`. */
export function takeAlongAxis(x: Tensor, indices: unknown, axis: number): Tensor {
  return gathered(alongAxis('takeAlongAxis', x, indices, axis));
}

/** numpy `put_along_axis`, in place (with `op`, every duplicate counts). Returns x. */
export function putAlongAxis(x: Tensor, indices: unknown, values: unknown, axis: number, opts?: AssignOptions): Tensor {
  gathered(alongAxis('putAlongAxis', x, indices, axis)).assign(operandOf('putAlongAxis', values, x.dtype), opts);
  return x;
}

/**
 * PyTorch `scatter` / `scatter_add` (out of place): a copy of x with `out[index[i][j]][j] = src[i][j]`
 * (axis 0), src read at index's positions.
 */
export function scatter(x: Tensor, axis: number, index: unknown, src: unknown, opts?: { op?: AssignOp }): Tensor {
  const op = 'scatter';
  const t = indexTensor(op, index);
  if (isBool(t.dtype)) throw new DTypeError(`${op}: index must hold integers, got a bool array`);
  const a = normAxis(op, axis, x.ndim, x.shape);
  if (t.ndim !== x.ndim) throw new ShapeError(`${op}: index needs as many dims as the tensor (${x.ndim}), got shape ${fmtShape(t.shape)}`);
  t.shape.forEach((d, i) => {
    if (i !== a && d > x.shape[i]) throw new ShapeError(`${op}: index shape ${fmtShape(t.shape)} is larger than ${fmtShape(x.shape)} along axis ${i}`);
  });
  let s = operandOf(op, src, x.dtype);
  if (s.ndim === t.ndim && s.shape.every((d, i) => d >= t.shape[i])) s = s.slice(t.shape.map(() => 0), t.shape.slice());
  const value = broadcastTo(op, s, t.shape);
  if (x.shape[a] === 0 && t.size > 0) throw new ShapeError(`${op}: axis ${a} of ${fmtShape(x.shape)} has size 0: no index is in range`);
  const idx = x.shape.map((_, i) => (i === a ? t : broadcastTo(op, positions(t.shape[i], i, x.ndim), t.shape)));
  const how = readOp(op, opts);
  const adv: Advanced = { source: x, idx, arg: { axes: x.shape.map((_, i) => i), at: 0 } };
  return scatterNode(x, contiguousView(x.shape), adv, value, how);
}

function readOp(op: string, opts: unknown): AssignOp | undefined {
  if (opts === undefined) return undefined;
  if (typeof opts !== 'object' || opts === null) throw new TensorError(`${op}: options must be an object like { op: 'add' }, got ${describe(opts)}`);
  const how = (opts as { op?: unknown }).op;
  if (how !== undefined && !Object.hasOwn(ASSIGN_OPS, how as string)) {
    throw new TensorError(`${op}: op must be one of ${Object.keys(ASSIGN_OPS).map((k) => `'${k}'`).join(', ')}, got ${describe(how)}`);
  }
  return how as AssignOp | undefined;
}

/** A value operand in the target's dtype: a Tensor of that dtype, a number, or nested arrays of numbers. */
function operandOf(op: string, v: unknown, dtype: DType): Tensor {
  if (v instanceof Tensor) {
    if (v.dtype !== dtype) throw new DTypeError(`${op}: values have dtype ${v.dtype} but the target is ${dtype}; use .cast('${dtype}')`);
    return v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return constant(Number(v), dtype);
  if (Array.isArray(v)) return castTo(tensor(v as NestedArray), dtype);
  throw new TensorError(`${op}: values must be a Tensor, a number or an array, got ${describe(v)}`);
}

/** tfjs `oneHot`: `[..., depth]` with `on` where the last axis equals the index (an out-of-range index gives a row of `off`). */
export function oneHot<I extends Tensor | NestedArray, E extends DType = 'int32'>(indices: MustBe<IntDType, I>, depth: number, dtype?: E): Tensor<E>;
export function oneHot(indices: unknown, depth: number, dtype: DType = 'int32'): Tensor {
  const t = indexTensor('oneHot', indices);
  if (isBool(t.dtype)) throw new DTypeError('oneHot: indices must be integers, got a bool array');
  if (!Number.isInteger(depth) || depth < 0) throw new ShapeError(`oneHot: depth must be a non-negative integer, got ${describe(depth)}`);
  return castTo(t.unsqueeze(-1).eq(iota(depth, INDEX_DTYPE)), dtype);
}

/**
 * numpy `bincount`: counts of each value of a 1-D tensor of non-negative integers (int32), or sums of
 * `weights` (float64). Its length depends on the largest value, so that is evaluated now.
 */
export function bincount<X extends Tensor>(x: MustBe<IntDType | 'bool', X>, opts?: { weights?: undefined; minlength?: number }): Tensor<'int32'>;
export function bincount<X extends Tensor>(x: MustBe<IntDType | 'bool', X>, opts: { weights: Tensor; minlength?: number }): Tensor<'float64'>;
export function bincount<X extends Tensor>(x: MustBe<IntDType | 'bool', X>, opts?: { weights?: Tensor; minlength?: number }): Tensor<'int32' | 'float64'>;
export function bincount(x: Tensor, opts: { weights?: Tensor; minlength?: number } = {}): Tensor {
  const op = 'bincount';
  if (!(x instanceof Tensor)) throw new TensorError(`${op}: expected a Tensor, got ${describe(x)}`);
  if (!isInteger(x.dtype) && !isBool(x.dtype)) throw new DTypeError(`${op}: needs a tensor of non-negative integers, got ${x.dtype}`);
  if (x.ndim !== 1) throw new ShapeError(`${op}: needs a 1-D tensor, got shape ${fmtShape(x.shape)}`);
  const { weights, minlength = 0 } = opts ?? {};
  if (!Number.isInteger(minlength) || minlength < 0) throw new TensorError(`${op}: minlength must be a non-negative integer, got ${describe(minlength)}`);
  const xs = castTo(asPositions(x), INDEX_DTYPE);
  const data: Storage = xs.storage(op);
  let max = -1;
  for (let i = 0; i < data.length; i++) {
    if (data[i] < 0) throw new TensorError(`${op}: values must be non-negative, found ${data[i]} at position ${i}`);
    if (data[i] > max) max = data[i];
  }
  const length = Math.max(max + 1, minlength);
  if (weights !== undefined && !(weights instanceof Tensor)) throw new TensorError(`${op}: weights must be a Tensor, got ${describe(weights)}`);
  if (weights && (weights.ndim !== 1 || weights.shape[0] !== x.shape[0])) {
    throw new ShapeError(`${op}: weights of shape ${fmtShape(weights.shape)} do not match the ${fmtShape(x.shape)} values`);
  }
  const dtype: DType = weights ? 'float64' : INDEX_DTYPE;
  const out = zeros([length], dtype);
  const v = weights ? castTo(weights, 'float64') : constant(1, INDEX_DTYPE);
  indexAt(out, [tensorOf(data)], op).assign(broadcastTo(op, v, [x.shape[0]]), { op: 'add' });
  return out;
}

const tensorOf = (data: Storage): Tensor => tensor(data instanceof Int32Array ? data : Int32Array.from(data));

/** numpy `argwhere`: the positions of the nonzero elements, one row each ([count, ndim] int32); evaluated now. */
export function argwhere(x: Tensor): Tensor<'int32'>;
export function argwhere(x: Tensor): Tensor {
  const cols = nonzero(x, 'argwhere');
  const count = cols[0].shape[0];
  const out = new Int32Array(count * x.ndim);
  cols.forEach((c, d) => {
    const s = c.storage('argwhere');
    for (let i = 0; i < count; i++) out[i * x.ndim + d] = s[i];
  });
  return tensor(out, { shape: [count, x.ndim] });
}

// ---- the Tensor methods ---------------------------------------------------------------------------
// Defined here, on the prototype, so tensor.ts does not import this module (which builds on it).

declare module './tensor.js' {
  interface Tensor<D extends DType = DType> {
    /**
     * numpy indexing `x[...]`: numbers, slice strings (`'1:5'`, `'::-1'`), `null` (a new axis), `'...'`,
     * integer arrays or int32 tensors (a gather) and bool masks. `x.at(...).assign(v, { op })` writes.
     */
    at<I extends IndexItem[]>(...index: { [K in keyof I]: MustBe<IntDType | 'bool', I[K]> }): Tensor<D>;
    /** numpy `take` (tfjs `gather`): positions along `axis`, or of the flattened tensor. */
    take<I extends Tensor | NestedArray>(indices: MustBe<IntDType, I>, axis?: number): Tensor<D>;
    /** numpy `take_along_axis`. */
    takeAlongAxis<I extends Tensor | NestedArray>(indices: MustBe<IntDType, I>, axis: number): Tensor<D>;
    /** numpy `put_along_axis`, in place; returns this tensor. */
    putAlongAxis<I extends Tensor | NestedArray, V extends Tensor | number | NestedArray>(indices: MustBe<IntDType, I>, values: MustBe<D, V>, axis: number, opts?: AssignOptions): Tensor<D>;
    /** PyTorch `scatter` / `scatter_add` (`{ op: 'add' }`), out of place. */
    scatter<I extends Tensor | NestedArray, V extends Tensor | number | NestedArray>(axis: number, index: MustBe<IntDType, I>, src: MustBe<D, V>, opts?: { op?: AssignOp }): Tensor<D>;
    /** numpy `nonzero`: one int32 tensor of positions per axis (evaluated now). */
    nonzero(): Tensor<'int32'>[];
    /** numpy `argwhere`: [count, ndim] int32 positions (evaluated now). */
    argwhere(): Tensor<'int32'>;
  }
}

Object.assign(Tensor.prototype, {
  at(this: Tensor, ...index: unknown[]) { return indexAt(this, readArray('at', index, 64, 'indices') ?? []); },
  take(this: Tensor, indices: unknown, axis?: number) { return take(this, indices, axis); },
  takeAlongAxis(this: Tensor, indices: unknown, axis: number) { return takeAlongAxis(this, indices, axis); },
  putAlongAxis(this: Tensor, indices: unknown, values: unknown, axis: number, opts?: AssignOptions) { return putAlongAxis(this, indices, values, axis, opts); },
  scatter(this: Tensor, axis: number, index: unknown, src: unknown, opts?: { op?: AssignOp }) { return scatter(this, axis, index, src, opts); },
  nonzero(this: Tensor) { return nonzero(this); },
  argwhere(this: Tensor) { return argwhere(this); },
});
