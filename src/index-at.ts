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
import type { DType } from './dtype.js';
import { DTYPE, isBool, isInteger } from './dtype.js';
import { DTypeError, ShapeError, TensorError } from './errors.js';
import { makeNode } from './graph.js';
import type { Arg, Node } from './graph.js';
import type { GatherArg, ScatterArg } from './indexops.js';
import { indexedAxes, INDEX_DTYPE, outOfRange } from './indexops.js';
import { liveData } from './trace.js';
import type { EvalOptions } from './realize.js';
import { assignInto } from './realize.js';
import type { View } from './shape.js';
import { broadcastShapes, contiguousView, describe, fmtShape, normSlice, sizeOf } from './shape.js';
import type { AssignOp, NestedArray } from './tensor.js';
import { ASSIGN_OPS, broadcastTo, castTo, constant, fromView, Tensor } from './tensor.js';
import { tensor } from './create.js';

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
export function indexTensor(op: string, v: unknown): Tensor {
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
export interface Advanced {
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
export function gatherNode(src: Node, shape: readonly number[], idx: readonly Tensor[], arg: GatherArg): Node {
  const rest = shape.filter((_, d) => !arg.axes.includes(d));
  const outShape = [...rest.slice(0, arg.at), ...idx[0].shape, ...rest.slice(arg.at)];
  return makeNode('gather', [src, ...idx.map((t) => t.node)], outShape, src.dtype, { axes: arg.axes, at: arg.at } as unknown as Arg);
}

export function gathered(a: Advanced): Tensor {
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
 * The scatter node writing `value` over the positions of `a` in `base` (through `view` of it): a float
 * `add` accumulates in float64, the C `double` every float sum folds into (the dtype table's
 * accumulator), and rounds once; for float64 the casts are no-ops.
 */
export function scatterNode(base: Tensor, view: View, a: Advanced, value: Tensor, how: AssignOp | undefined): Tensor {
  const op = how ? ASSIGN_OPS[how][isBool(base.dtype) ? 1 : 0] : 'set';
  const wide: DType | undefined = how === 'add' && DTYPE[base.dtype].kind === 'float' ? 'float64' : undefined;
  const d = wide ?? base.dtype;
  const arg: ScatterArg = { ...a.arg, view, op };
  const node = makeNode('scatter', [castTo(base, d).node, castTo(value, d).node, ...a.idx.map((t) => t.node)], base.shape, d, arg as unknown as Arg);
  return castTo(new Tensor(node), base.dtype);
}
