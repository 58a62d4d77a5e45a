/**
 * numpy indexing: `x.at(...)` is `x[...]`, and `x.at(...).assign(v, { op })` is `x[...] = v` (or
 * `np.add.at`). Basic items (numbers, slice strings, null, '...') give a view of x; integer arrays give
 * a `gather` node, which fuses like a movement op (the index is a load in the loop that reads it); a
 * bool mask is turned into integer arrays when it is recorded (its length depends on its data).
 * Writing through an advanced index records a `scatter` (ops.ts, indexops.ts) and runs it in place.
 *
 * The rules are numpy's (numpy.org/doc/stable/user/basics.indexing.html): when any item is an array,
 * integers are array indices too (0-d ones), all of them broadcast together to one shape B, and B's
 * dims replace the indexed axes where those axes were, if they were next to each other, else they come
 * first.
 */
import type { DType, IntDType, Storage } from './dtype.js';
import { DTYPE, isBool, isInteger } from './dtype.js';
import { DTypeError, ShapeError, TensorError } from './errors.js';
import { makeNode } from './graph.js';
import type { Arg, Node } from './graph.js';
import type { GatherArg, ScatterArg } from './indexops.js';
import { indexedAxes, INDEX_DTYPE, outOfRange, setIndexAdjoints } from './indexops.js';
import { scatterCombine } from './ops.js';
import { liveData } from './trace.js';
import type { EvalOptions } from './realize.js';
import { assignInto } from './realize.js';
import type { View } from './shape.js';
import { broadcastShapes, contiguousView, describe, fmtShape, normAxis, normSlice, readArray, sizeOf } from './shape.js';
import type { AssignOp, AssignOptions, MustBe, NestedArray } from './tensor.js';
import { ASSIGN_OPS, broadcastTo, castTo, constant, fromView, iota, Tensor } from './tensor.js';
import { full, tensor, zeros } from './create.js';

/** One item of `x.at(...)`. */
export type IndexItem = number | string | null | boolean | Tensor | NestedArray;

type Item =
  | { kind: 'int'; value: number }
  | { kind: 'slice'; begin: number | null; end: number | null; step: number }
  /** `bool`: a scalar boolean (numpy: a 0-d mask), a new axis indexed by [0] (true) or [] (false). */
  | { kind: 'new'; bool?: boolean }
  | { kind: 'ellipsis' }
  /** `literal`: given as a JS array, so its values are known now and checked when recorded. */
  | { kind: 'array'; t: Tensor; literal?: boolean };

const SLICE = /^\s*([+-]?\d+)?\s*:\s*([+-]?\d+)?\s*(?::\s*([+-]?\d+)?\s*)?$/;

/** `'1:5'`, `'::-1'`, `'-3:'` as numpy reads them. */
function parseSlice(op: string, s: string): Item {
  if (s.trim() === '...') return { kind: 'ellipsis' };
  const m = SLICE.exec(s);
  if (!m) throw new TensorError(`${op}: ${describe(s)} is not an index; use a slice like '1:5', '::2' or '::-1', '...', a number, null, or an array of integers or booleans`);
  const num = (x: string | undefined) => (x === undefined ? null : Number(x));
  const step = num(m[3]) ?? 1;
  if (step === 0) throw new TensorError(`${op}: slice ${describe(s)} has step 0; a step must be a non-zero integer`);
  return { kind: 'slice', begin: num(m[1]), end: num(m[2]), step };
}

/**
 * Integer positions as INDEX_DTYPE: the narrow integer dtypes convert exactly; uint32 saturates (through
 * float64) so that a position past int32's range stays out of bounds instead of wrapping into it.
 */
export function asPositions(t: Tensor): Tensor {
  if (isBool(t.dtype) || t.dtype === INDEX_DTYPE) return t;
  return DTYPE[t.dtype].max > DTYPE[INDEX_DTYPE].max ? t.cast('float64').cast(INDEX_DTYPE) : t.cast(INDEX_DTYPE);
}

/** An index array or mask given as a Tensor or nested JS array: an int32 or bool Tensor. */
function indexTensor(op: string, v: unknown): Tensor {
  if (v instanceof Tensor) {
    if (!isInteger(v.dtype) && !isBool(v.dtype)) {
      throw new DTypeError(`${op}: an index tensor must hold integers (positions) or be bool (a mask), got ${v.dtype}; use .cast('int32')`);
    }
    return asPositions(v);
  }
  if (!Array.isArray(v)) throw new TensorError(`${op}: indices must be an int32 Tensor, a bool mask or a (nested) array of integers, got ${describe(v)}; wrap a TypedArray with tensor()`);
  // Read from the storage tensor() made, not evaluated: this works inside a jit trace too.
  const t = tensor(v as NestedArray);
  if (isBool(t.dtype)) return t;
  const data = t.node.data!;
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (!Number.isInteger(x)) throw new TensorError(`${op}: an index array must hold integers (or be all booleans: a mask), found ${describe(x)}`);
    if (Math.abs(x) >= 2 ** 31) throw new ShapeError(`${op}: index ${x} is out of range (an index array holds int32 positions)`);
  }
  return tensor(Int32Array.from(data), { shape: t.shape.slice() });
}

function parseItem(op: string, v: unknown): Item | { kind: 'mask'; t: Tensor } {
  if (v === null) return { kind: 'new' };
  if (typeof v === 'boolean') return { kind: 'new', bool: v }; // numpy: x[True] adds an axis, x[False] an empty one
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new TensorError(`${op}: an index must be an integer, got ${describe(v)}`);
    return { kind: 'int', value: v };
  }
  if (typeof v === 'string') return parseSlice(op, v);
  if (v instanceof Tensor || Array.isArray(v)) {
    const t = indexTensor(op, v);
    return isBool(t.dtype) ? { kind: 'mask', t } : { kind: 'array', t, literal: !(v instanceof Tensor) };
  }
  throw new TensorError(`${op}: ${describe(v)} is not an index; use a number, a slice string like '1:5', null, '...', or an array or Tensor of integers or booleans`);
}

/** The positions where a tensor is nonzero, one int32 tensor per axis (numpy `nonzero`); evaluated now. */
export function nonzero(t: Tensor, op?: string): Tensor<'int32'>[];
export function nonzero(t: Tensor, op = 'nonzero'): Tensor[] {
  if (t.ndim === 0) throw new ShapeError(`${op}: a 0-d tensor has no positions; use .reshape([1]) first`);
  // The walk reads one array type only (bytes: `ne(0)` computed in C for other dtypes), so V8 keeps its
  // element loads monomorphic; a literal mask (realized) is read even while tracing.
  const m = isBool(t.dtype) ? t : t.ne(0);
  const data = (m.isRealized ? liveData(op, m.node) : m.storage(op)) as Uint8Array;
  const shape = t.shape.slice(), nd = shape.length, total = data.length;
  // Branch-free (a random mask mispredicts every other branch: 6 ns per element here, against ~1):
  // every position is written, and k moves past it only where the mask is set; one spare slot at the end.
  let count = 0;
  for (let i = 0; i < total; i++) count += data[i];
  if (count >= 2 ** 31) throw new ShapeError(`${op}: ${count} nonzero elements; positions are int32`);
  const room = shape.map(() => new Int32Array(count + 1));
  if (nd === 1) {
    const o = room[0];
    for (let i = 0, k = 0; i < total; i++) { o[k] = i; k += data[i]; }
  } else {
    // The position of element i walks as an odometer: no division per element.
    const at = new Int32Array(nd);
    for (let i = 0, k = 0; i < total; i++) {
      for (let d = 0; d < nd; d++) room[d][k] = at[d];
      k += data[i];
      for (let d = nd - 1; d >= 0; d--) {
        if (++at[d] < shape[d]) break;
        at[d] = 0;
      }
    }
  }
  const out = room.map((a) => a.subarray(0, count));
  return out.map((a) => tensor(a));
}

/** What advanced indexing of a view V (a view of `source`) reads: the gather's sources and arg. */
interface Advanced {
  source: Tensor;
  idx: Tensor[];
  arg: GatherArg;
}

/**
 * `x[items]`: the view of the basic items and, when there are index arrays, the gather over it. The
 * result of an advanced index can be assigned into (Tensor.indexed).
 */
export function indexAt(x: Tensor, raw: readonly unknown[], op = 'at'): Tensor {
  const parsed = raw.map((v) => parseItem(op, v));
  if (parsed.filter((p) => p.kind === 'ellipsis').length > 1) throw new ShapeError(`${op}: an index can have only one ellipsis ('...')`);
  const consumed = parsed.reduce((n, p) => n + (p.kind === 'int' || p.kind === 'slice' || p.kind === 'array' ? 1 : p.kind === 'mask' ? Math.max(p.t.ndim, 0) : 0), 0);
  if (consumed > x.ndim) throw new ShapeError(`${op}: too many indices (${consumed}) for a tensor of ${x.ndim} dims ${fmtShape(x.shape)}`);
  const full = (): Item => ({ kind: 'slice', begin: null, end: null, step: 1 });
  const ell = parsed.findIndex((p) => p.kind === 'ellipsis');
  const fill = Array.from({ length: x.ndim - consumed }, full);
  const withAll = ell >= 0 ? [...parsed.slice(0, ell), ...fill, ...parsed.slice(ell + 1)] : [...parsed, ...fill];
  // A mask over k axes is its k arrays of positions (numpy: x[m] is x[m.nonzero()]); a 0-d mask is a new axis.
  const items: Item[] = [];
  let axis = 0;
  for (const p of withAll) {
    if (p.kind === 'mask') {
      const m = p.t;
      if (m.ndim === 0) {
        items.push({ kind: 'new', bool: m.item() === true });
        continue;
      }
      m.shape.forEach((d, j) => {
        if (d !== x.shape[axis + j]) {
          throw new ShapeError(`${op}: a mask of shape ${fmtShape(m.shape)} does not match axis ${axis + j} of ${fmtShape(x.shape)} (size ${x.shape[axis + j]}, mask ${d})`);
        }
      });
      for (const t of nonzero(m, op)) items.push({ kind: 'array', t });
      axis += m.ndim;
      continue;
    }
    items.push(p as Item);
    if (p.kind === 'int' || p.kind === 'slice' || p.kind === 'array') axis++;
  }
  const advanced = items.some((p) => p.kind === 'array' || (p.kind === 'new' && p.bool !== undefined));
  // numpy's placement rule, on the items as written: the index arrays (and, with them, the integers and
  // scalar booleans) are adjacent when nothing else stands between them, not even an empty '...'.
  const isArray = (p: (typeof parsed)[number]) => p.kind === 'array' || p.kind === 'mask' || p.kind === 'int' || (p.kind === 'new' && p.bool !== undefined);
  const first = parsed.findIndex(isArray), last = parsed.length - 1 - [...parsed].reverse().findIndex(isArray);
  const adjacent = first < 0 || parsed.slice(first, last + 1).every(isArray);
  // The basic part: slices (and, without arrays, integers) as one slice of x, then a reshape that drops
  // the integers' axes and inserts the new ones: a view of x's storage.
  const ranges: [number | null, number | null, number][] = [];
  const shape: number[] = [];
  const arrays: { vAxis: number; t: Tensor }[] = [];
  axis = 0;
  for (const p of items) {
    if (p.kind === 'new') {
      if (p.bool !== undefined) arrays.push({ vAxis: shape.length, t: tensor(new Int32Array(p.bool ? 1 : 0)) });
      shape.push(1);
      continue;
    }
    const dim = x.shape[axis];
    if (p.kind === 'int') {
      const i = p.value < 0 ? p.value + dim : p.value;
      if (i < 0 || i >= dim) throw new ShapeError(`${op}: index ${p.value} is out of range for axis ${axis} of size ${dim} (of ${fmtShape(x.shape)})`);
      if (advanced) {
        arrays.push({ vAxis: shape.length, t: constant(i, INDEX_DTYPE) });
        shape.push(dim);
        ranges.push([null, null, 1]);
      } else ranges.push([i, i + 1, 1]);
    } else if (p.kind === 'slice') {
      ranges.push([p.begin, p.end, p.step]);
      shape.push(normSlice(op, dim, p.begin, p.end, p.step)[2]);
    } else if (p.kind === 'array') {
      if (dim === 0 && p.t.size > 0) throw new ShapeError(`${op}: axis ${axis} of ${fmtShape(x.shape)} has size 0: no index is in range`);
      if (p.literal) {
        const values = p.t.node.data!;
        for (let j = 0; j < values.length; j++) {
          const i = values[j];
          if (i < -dim || i >= dim) throw new ShapeError(`${op}: index ${i} is out of range for axis ${axis} of size ${dim} (of ${fmtShape(x.shape)})`);
        }
      }
      arrays.push({ vAxis: shape.length, t: p.t });
      shape.push(dim);
      ranges.push([null, null, 1]);
    }
    axis++;
  }
  const v = x.slice(ranges.map((r) => r[0]), ranges.map((r) => r[1]), ranges.map((r) => r[2])).reshape(shape);
  if (!advanced) return v;
  const b = arrays.reduce<number[]>((s, a) => broadcastShapes(op, s, a.t.shape), []);
  const idx = arrays.map((a) => broadcastTo(op, a.t, b));
  const axes = arrays.map((a) => a.vAxis);
  const at = adjacent ? axes[0] : 0; // V's axes before the first indexed one are not indexed
  // An empty result reads no index, so nothing would check them: they are checked now (numpy raises).
  if (sizeOf(b) > 0 && sizeOf(v.shape.filter((_, d) => !axes.includes(d))) === 0) {
    arrays.forEach((a) => {
      const data = a.t.isRealized ? a.t.node.data! : a.t.storage(op);
      const n = v.shape[a.vAxis];
      for (let i = 0; i < data.length; i++) if (!(data[i] >= -n && data[i] < n)) throw outOfRange(indexedAxes(v.shape, [a.vAxis]), false);
    });
  }
  return gathered({ source: v, idx, arg: { axes, at } });
}

/** The gather of `a`, writable through `assign` (a scatter into the tensor `a.source` views). */
/** The gather node reading `src` (of `shape`) at the index tensors `idx`: the other axes, B's dims inserted at `arg.at`. */
function gatherNode(src: Node, shape: readonly number[], idx: readonly Tensor[], arg: GatherArg): Node {
  const rest = shape.filter((_, d) => !arg.axes.includes(d));
  const outShape = [...rest.slice(0, arg.at), ...idx[0].shape, ...rest.slice(arg.at)];
  return makeNode('gather', [src, ...idx.map((t) => t.node)], outShape, src.dtype, { axes: arg.axes, at: arg.at } as unknown as Arg);
}

function gathered(a: Advanced): Tensor {
  const { source, idx, arg } = a;
  const read = (src: Node) => gatherNode(src, source.shape, idx, arg);
  const out = new Tensor(read(source.node));
  out.indexed = (value, how, opts) => {
    const written = scatterInto(a, value, how, opts);
    return new Tensor(read(written));
  };
  return out;
}

/**
 * `x[idx] = value`: a scatter into the storage `a.source` is a view of, run in place. Returns the node
 * the source reads from now (a lazy zeros or arange is realized first).
 */
function scatterInto(a: Advanced, value: Tensor, how: AssignOp | undefined, opts?: EvalOptions): Node {
  const { root, view, why } = a.source.base ?? { root: a.source, view: contiguousView(a.source.shape) };
  if (!view) throw new TensorError(`assign: cannot write through this index: ${why}`);
  if (root.isDisposed) throw new TensorError(`assign: this indexes a ${root.dtype} tensor of shape ${fmtShape(root.shape)} that was disposed`);
  if (!root.isRealized) {
    if (!root.node.pure) {
      throw new TensorError(`assign: this indexes a lazy computed value (${root.node.op} of shape ${fmtShape(root.shape)}), which has no storage to write into; eval() that value first, or index the tensor it was computed from`);
    }
    root.eval(opts);
  }
  const node = scatterNode(root, view, a, value, how);
  assignInto(root.node, node.node, opts);
  return a.source.base ? fromView(root.node, view, root.dtype).node : root.node;
}

/**
 * The scatter node writing `value` over the positions of `a` in `base` (through `view` of it): float32
 * sums accumulate in float64 and round once, as every float32 sum does.
 */
function scatterNode(base: Tensor, view: View, a: Advanced, value: Tensor, how: AssignOp | undefined): Tensor {
  const op = how ? ASSIGN_OPS[how][isBool(base.dtype) ? 1 : 0] : 'set';
  const wide: DType | undefined = how === 'add' && base.dtype === 'float32' ? 'float64' : undefined;
  const d = wide ?? base.dtype;
  const arg: ScatterArg = { ...a.arg, view, op };
  const node = makeNode('scatter', [castTo(base, d).node, castTo(value, d).node, ...a.idx.map((t) => t.node)], base.shape, d, arg as unknown as Arg);
  return castTo(new Tensor(node), base.dtype);
}

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

// ---- derivatives (autodiff.ts asks the op table, which asks these) ---------------------------------

/** The gather of `src` (at `view` of it) with the index tensors and arg of gather or scatter node `n`. */
function gatherOf(src: Tensor, view: View, idx: readonly Tensor[], arg: GatherArg): Tensor {
  return new Tensor(gatherNode(fromView(src.node, view, src.dtype).node, view.shape, idx, arg));
}

setIndexAdjoints({
  // x[idx] reads each position once per index: its cotangent adds g at every position read (np.add.at).
  gather: (g, [x, ...idx], _out, n) => {
    const arg = n.arg as unknown as GatherArg;
    return [scatterNode(zeros(x.shape, g.dtype), contiguousView(x.shape), { source: x, idx, arg }, g, 'add'), ...idx.map(() => undefined)];
  },
  // A write replaces the base where it lands (only the last duplicate's value survives); an `add` keeps both.
  scatter: (g, [base, values, ...idx], out, n) => {
    const arg = n.arg as unknown as ScatterArg;
    const adv: Advanced = { source: base, idx, arg: { axes: arg.axes, at: arg.at } };
    const read = gatherOf(g, arg.view, idx, adv.arg);
    const combine = scatterCombine(arg);
    const fold = combine === undefined ? 'set' : combine.scatterFold;
    if (fold === 'sum') return [g, read, ...idx.map(() => undefined)];
    if (fold === 'extreme') return [...extremeAdjoint(g, base, values, out, arg, adv), ...idx.map(() => undefined)];
    if (fold === 'product') return [...productAdjoint(g, base, values, arg, adv), ...idx.map(() => undefined)];
    if (fold !== 'set') throw new TensorError(`grad: the derivative of an assignment with op '${arg.op}' through an index is not implemented (set, add, mul, max and min are)`);
    // Which position wrote each element last: a scatter of the positions' own numbers.
    const count = sizeOf(values.shape);
    const ids = iota(count, INDEX_DTYPE).reshape(values.shape.slice());
    const last = scatterNode(full(base.shape, -1, INDEX_DTYPE), arg.view, adv, ids, undefined);
    const kept = gatherOf(last, arg.view, idx, adv.arg).eq(ids);
    return [scatterNode(g, arg.view, adv, zeros(values.shape, g.dtype), undefined), kept.where(read, 0), ...idx.map(() => undefined)];
  },
});

/**
 * max/min at: out[p] = max(base[p], the values landing at p). As the max reduction's rule, g[p] is split
 * equally among the winners at p, base[p] and each value equal to out[p] (counted with a scatter-add).
 * Where out[p] is NaN nothing equals it and all get 0 (as maxVjp); where nothing lands, base[p] gets g[p].
 */
function extremeAdjoint(g: Tensor, base: Tensor, values: Tensor, out: Tensor, arg: ScatterArg, adv: Advanced): Tensor[] {
  const f = g.dtype;
  const valueWins = values.eq(gatherOf(out, arg.view, adv.idx, adv.arg));
  const landed = scatterNode(zeros(base.shape, 'bool'), arg.view, adv, full(values.shape, true, 'bool'), undefined);
  const baseWins = base.eq(out).or(landed.not());
  const winners = scatterNode(baseWins.cast(f), arg.view, adv, valueWins.cast(f), 'add');
  const share = g.div(winners);
  return [baseWins.where(share, 0), valueWins.where(gatherOf(share, arg.view, adv.idx, adv.arg), 0)];
}

/**
 * mul at: out[p] = base[p]·Π values at p. d/dbase[p] = Π values at p (a scatter-mul into ones); d/dvalue_i =
 * base[p]·Π of the other values at p, with no division (exact with zeros, no spurious overflow): the values
 * are sorted by where they land (a stable argsort of the flat position), each value's exclusive prefix and
 * suffix products within its run of equal positions are segmented scans by doubling (log2 n steps of
 * shifted products), and their product is sent back through the inverse permutation.
 */
function productAdjoint(g: Tensor, base: Tensor, values: Tensor, arg: ScatterArg, adv: Advanced): Tensor[] {
  const n = sizeOf(values.shape);
  const onBase = scatterNode(full(base.shape, 1, base.dtype), arg.view, adv, values, 'mul');
  const at = gatherOf(iota(sizeOf(base.shape), INDEX_DTYPE).reshape(base.shape.slice()), arg.view, adv.idx, adv.arg).reshape([n]);
  const order = at.argsort(), back = order.argsort();
  const key = at.take(order), v = values.reshape([n]).take(order);
  const others = exclusiveRuns(v, key).mul(exclusiveRuns(v.flip(0), key.flip(0)).flip(0));
  const rest = others.take(back).reshape(values.shape.slice());
  return [g.mul(onBase), gatherOf(g.mul(base), arg.view, adv.idx, adv.arg).mul(rest)];
}

/** A 1-D tensor shifted right by s, `fill` in front. */
const shift = (t: Tensor, s: number, fill: number): Tensor => t.slice([0], [t.shape[0] - s]).pad([[s, 0]], fill);

/** e[i] = Π t[j] over the j < i of i's run of equal keys (1 for the run's first): a Hillis-Steele scan. */
function exclusiveRuns(t: Tensor, key: Tensor): Tensor {
  const n = t.shape[0];
  if (n < 2) return full([n], 1, t.dtype);
  let e = key.eq(shift(key, 1, -1)).where(shift(t, 1, 1), 1);
  for (let s = 1; s < n; s *= 2) e = key.eq(shift(key, s, -1)).where(e.mul(shift(e, s, 1)), e);
  return e;
}
