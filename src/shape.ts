import { types } from 'node:util';
import { ShapeError, TensorError } from './errors.js';

export type Shape = readonly number[];

export const fmtShape = (s: Shape): string => `[${s.join(',')}]`;

export const sizeOf = (s: Shape): number => s.reduce((a, b) => a * b, 1);

export const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Row-major strides of a contiguous array (size-1 dims get stride 0 so equal views compare equal). */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = shape[i] === 1 ? 0 : acc;
    acc *= shape[i];
  }
  return strides;
}

/** numpy's limit on the number of dims (NPY_MAXDIMS). */
export const MAX_NDIM = 64;

/**
 * A tensor holds at most 2^32 elements (V8's TypedArray limit), along at most 64 dims (numpy's limit)
 * of at most 2^32 each; checked when a shape is recorded (makeNode calls this for every new node).
 */
export function checkSize(op: string, shape: Shape): void {
  if (shape.length > MAX_NDIM) throw new ShapeError(`${op}: ${shape.length} dims; a tensor has at most ${MAX_NDIM} (as in numpy)`);
  const n = sizeOf(shape);
  if (n > 2 ** 32) throw new ShapeError(`${op}: shape ${fmtShape(shape)} has ${n} elements; a tensor holds at most 2^32`);
  // A dim past 2^32 can only sit next to a 0 here; refusing it keeps every stride an exact integer.
  for (const d of shape) if (d > 2 ** 32) throw new ShapeError(`${op}: dim ${d} of ${fmtShape(shape)} is larger than 2^32, the most elements a tensor holds`);
}

/**
 * Reads a user-supplied array exactly once — its length once, each index once — into a plain array,
 * which the caller then validates and uses. A getter or a Proxy that answers differently on each read
 * cannot slip a value past a check. Returns undefined when `v` is not an array. Longer than `max` is a
 * ShapeError before any element is read (a sparse array of length 2^32 is not walked).
 */
export function readArray(op: string, v: unknown, max = MAX_NDIM, what = 'dims'): unknown[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const n: unknown = v.length;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new ShapeError(`${op}: an array whose length is ${describe(n)}`);
  if (n > max) {
    throw new ShapeError(max === MAX_NDIM && what === 'dims'
      ? `${op}: ${n} dims; a tensor has at most ${MAX_NDIM} (as in numpy)`
      : `${op}: ${n} ${what}; at most ${max} are accepted`);
  }
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = v[i];
  return out;
}

const isDim = (d: unknown): d is number => typeof d === 'number' && Number.isInteger(d) && d >= 0;

/** A shape argument (an array of dims, or one number) read once, validated, as a plain copy. */
export function checkShape(op: string, shape: unknown): number[] {
  const list = typeof shape === 'number' ? [shape] : readArray(op, shape);
  if (list === undefined) throw new ShapeError(`${op}: a shape must be an array of dims, got ${describe(shape)}`);
  if (!list.every(isDim)) throw new ShapeError(`${op}: dims must be non-negative integers, got ${describe(list)}`);
  checkSize(op, list);
  return list;
}

const MAX_ITEMS = 8;
const MAX_DEPTH = 3;
const clip = (s: string, n = 40): string => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * A short description of any value for an error message. Total: it never throws and never runs a Proxy
 * trap; cycles, deep nesting and long arrays are elided; a getter or `constructor` that throws is caught.
 */
export function describe(v: unknown): string {
  return describeAt(v, 0, []);
}

function describeAt(v: unknown, depth: number, seen: object[]): string {
  try {
    switch (typeof v) {
      case 'string': return JSON.stringify(clip(v));
      case 'bigint': return `${clip(v.toString(), 24)}n`;
      case 'symbol': return v.description === undefined ? 'Symbol()' : `Symbol(${clip(v.description)})`;
      case 'function': return 'a function';
      case 'number': case 'boolean': case 'undefined': return String(v);
    }
    if (v === null) return 'null';
    const o = v as object;
    if (types.isProxy(o)) return 'a Proxy';
    if (seen.includes(o)) return '<circular>';
    if (Array.isArray(o)) {
      if (depth >= MAX_DEPTH) return '[...]';
      const n = o.length;
      const at = (i: number): string => {
        try { return describeAt(o[i], depth + 1, [...seen, o]); } catch { return '?'; }
      };
      if (n <= MAX_ITEMS) return `[${Array.from({ length: n }, (_, i) => at(i)).join(',')}]`;
      return `[${[0, 1, 2, 3, 4, 5].map(at).join(',')},...,${at(n - 2)},${at(n - 1)}] (${n} items)`;
    }
    let name: unknown;
    try {
      const c: unknown = (o as { constructor?: unknown }).constructor;
      name = typeof c === 'function' ? c.name : undefined;
    } catch { /* a constructor getter that throws: still an object */ }
    return typeof name === 'string' && name !== '' ? clip(name) : 'object';
  } catch {
    return 'a value that cannot be described';
  }
}

/** numpy broadcasting of two shapes; the error names the op and both shapes. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: cannot broadcast ${fmtShape(a)} with ${fmtShape(b)}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

export function normAxis(op: string, axis: unknown, ndim: number, shape: Shape): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new ShapeError(`${op}: axis must be an integer, got ${describe(axis)}`);
  }
  if (ndim === 0) throw new ShapeError(`${op}: a 0-d tensor has no axis ${axis}`);
  if (axis < -ndim || axis >= ndim) {
    throw new ShapeError(`${op}: axis ${axis} is out of range for a tensor of ${ndim} dims ${fmtShape(shape)}; use -${ndim}..${ndim - 1}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** `undefined` means every axis. Duplicates are an error, as in numpy. Returns sorted axes. */
export function normAxes(op: string, axis: unknown, shape: Shape): number[] {
  const ndim = shape.length;
  if (axis === undefined || axis === null) return [...Array(ndim).keys()];
  const list = readArray(op, axis, MAX_NDIM, 'axes') ?? [axis];
  const axes = list.map((a) => normAxis(op, a, ndim, shape));
  if (new Set(axes).size !== axes.length) throw new ShapeError(`${op}: repeated axis in ${describe(list)}`);
  return axes.sort((x, y) => x - y);
}

/**
 * A strided view over a contiguous row-major source: element `idx` of the view is source element
 * `offset + Σ idx[d] * strides[d]`. Broadcast dims have stride 0; flips have negative strides.
 */
export interface View {
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly offset: number;
}

export const contiguousView = (shape: Shape): View => ({ shape, strides: contiguousStrides(shape), offset: 0 });

export function isContiguousView(v: View): boolean {
  if (v.offset !== 0) return false;
  const c = contiguousStrides(v.shape);
  return v.strides.every((s, i) => s === c[i] || v.shape[i] === 1);
}

export function permuteView(v: View, axes: readonly number[]): View {
  return { shape: axes.map((a) => v.shape[a]), strides: axes.map((a) => v.strides[a]), offset: v.offset };
}

/** `shape` has the same rank as v; dims of size 1 may grow (stride 0). */
export function expandView(v: View, shape: Shape): View {
  return { shape, strides: v.strides.map((s, i) => (v.shape[i] === shape[i] ? s : 0)), offset: v.offset };
}

/** Per-axis [start, step, count] already normalized (start in range when count > 0). */
export function sliceView(v: View, ranges: readonly (readonly [number, number, number])[]): View {
  let offset = v.offset;
  const shape: number[] = [];
  const strides: number[] = [];
  ranges.forEach(([start, step, count], i) => {
    if (count > 0) offset += start * v.strides[i];
    shape.push(count);
    strides.push(count === 1 ? 0 : v.strides[i] * step);
  });
  return { shape, strides, offset };
}

/**
 * Reshape without copying when strides allow it (numpy's attempt_nocopy_reshape); null when the
 * view must be materialized first.
 */
export function reshapeView(v: View, shape: Shape): View | null {
  if (isContiguousView(v)) return { ...contiguousView(shape), offset: 0 };
  if (sizeOf(shape) === 0) return contiguousView(shape);
  // Drop size-1 dims: they carry no stride information.
  const oldDims: number[] = [];
  const oldStrides: number[] = [];
  v.shape.forEach((d, i) => {
    if (d !== 1) {
      oldDims.push(d);
      oldStrides.push(v.strides[i]);
    }
  });
  const newStrides = new Array<number>(shape.length).fill(0);
  let oi = 0, oj = 1, ni = 0, nj = 1;
  const newDims = shape;
  while (ni < newDims.length && oi < oldDims.length) {
    let np = newDims[ni], op = oldDims[oi];
    while (np !== op) {
      if (np < op) np *= newDims[nj++];
      else op *= oldDims[oj++];
    }
    for (let k = oi; k < oj - 1; k++) {
      if (oldStrides[k] !== oldDims[k + 1] * oldStrides[k + 1]) return null;
    }
    newStrides[nj - 1] = oldStrides[oj - 1];
    for (let k = nj - 1; k > ni; k--) newStrides[k - 1] = newStrides[k] * newDims[k];
    ni = nj++;
    oi = oj++;
  }
  for (let k = 0; k < shape.length; k++) if (shape[k] === 1) newStrides[k] = 0;
  return { shape, strides: newStrides, offset: v.offset };
}

/** Source index of every element of a view, in row-major order of the view. */
export function viewIndices(v: View): Int32Array | Float64Array {
  const n = sizeOf(v.shape);
  const out = n < 2 ** 31 ? new Int32Array(n) : new Float64Array(n);
  const nd = v.shape.length;
  const idx = new Array<number>(nd).fill(0);
  let pos = v.offset;
  for (let i = 0; i < n; i++) {
    out[i] = pos;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      pos += v.strides[d];
      if (idx[d] < v.shape[d]) break;
      pos -= v.strides[d] * idx[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** Infers a `-1` dim and checks the total size; `to` is read once. */
export function resolveReshape(op: string, from: Shape, to: unknown): number[] {
  const list = typeof to === 'number' ? [to] : readArray(op, to);
  if (list === undefined) throw new ShapeError(`${op}: a shape must be an array of dims, got ${describe(to)}`);
  const free = list.filter((d) => d === -1).length;
  if (free > 1) throw new ShapeError(`${op}: only one dim may be -1, got ${describe(list)}`);
  if (!list.every((d) => d === -1 || isDim(d))) throw new ShapeError(`${op}: dims must be non-negative integers, got ${describe(list)}`);
  const known = list.filter((d) => d !== -1) as number[];
  checkSize(op, known);
  const total = sizeOf(from);
  const rest = sizeOf(known);
  let shape = list as number[];
  if (free === 1) {
    if (rest === 0 || total % rest !== 0) {
      throw new ShapeError(`${op}: cannot reshape ${fmtShape(from)} (size ${total}) into ${describe(list)}`);
    }
    shape = shape.map((d) => (d === -1 ? total / rest : d));
  }
  if (sizeOf(shape) !== total) {
    throw new ShapeError(`${op}: cannot reshape ${fmtShape(from)} (size ${total}) into ${fmtShape(shape)} (size ${sizeOf(shape)})`);
  }
  return shape;
}

/** numpy slice normalization for one axis: returns [start, step, count]. */
export function normSlice(op: string, dim: number, begin: unknown, end: unknown, step: unknown): [number, number, number] {
  if (typeof step !== 'number' || !Number.isInteger(step) || step === 0) throw new TensorError(`${op}: step must be a non-zero integer, got ${describe(step)}`);
  for (const v of [begin, end]) {
    if (v != null && (typeof v !== 'number' || !Number.isInteger(v))) {
      throw new TensorError(`${op}: slice bounds must be integers or null, got ${describe(v)}`);
    }
  }
  const b = begin as number | null | undefined, e = end as number | null | undefined;
  const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);
  let start: number, stop: number;
  if (step > 0) {
    start = b == null ? 0 : clamp(b < 0 ? b + dim : b, 0, dim);
    stop = e == null ? dim : clamp(e < 0 ? e + dim : e, 0, dim);
  } else {
    start = b == null ? dim - 1 : clamp(b < 0 ? b + dim : b, -1, dim - 1);
    stop = e == null ? -1 : clamp(e < 0 ? e + dim : e, -1, dim - 1);
  }
  const count = step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
  return [count > 0 ? start : 0, step, count];
}
