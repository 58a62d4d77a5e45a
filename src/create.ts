/**
 * Creating tensors: realized ones from JS data (`tensor`), and lazy generated ones (`full`, `arange`,
 * `rand`, ...) that cost no memory until eval and fold into the loops that read them.
 */
import type { DType, FloatDType, Nested, NumberKind, Storage } from './dtype.js';
import { allocate, checkDType, converter, DTYPE, dtypeOfArray, isBool, isFloat, isInteger, scalarDType, storageClass, storageMatches, toDType } from './dtype.js';
import { DTypeError, ShapeError, TensorError } from './errors.js';
import { bufferNode, makeNode } from './graph.js';
import { expose } from './runtime/pool.js';
import { checkSize, describe, MAX_NDIM, readArray, resolveReshape } from './shape.js';
import type { NestedArray } from './tensor.js';
import { broadcastTo, constant, elementwise, iota, setArrayReader, Tensor, tensorArg } from './tensor.js';

// JS arrays as operands (x.add([1, 2])) are read by tensor() below; tensor.ts cannot import this file.
setArrayReader((data) => tensor(data));

/** A lazy constant: no memory until eval, folded into the loop that reads it. */
export function full<E extends DType>(shape: number | readonly number[], value: number | boolean, dtype: E): Tensor<E>;
export function full(shape: number | readonly number[], value: boolean): Tensor<'bool'>;
export function full(shape: number | readonly number[], value: number): Tensor<'float64'>;
export function full(shape: number | readonly number[], value: number | boolean, dtype?: DType): Tensor;
export function full(shape: number | readonly number[], value: number | boolean, dtype?: DType): Tensor {
  return fill('full', shape, value, dtype);
}
export const zeros = <E extends DType = 'float64'>(shape: number | readonly number[], dtype?: E): Tensor<E> => fill('zeros', shape, 0, dtype ?? 'float64');
export const ones = <E extends DType = 'float64'>(shape: number | readonly number[], dtype?: E): Tensor<E> => fill('ones', shape, 1, dtype ?? 'float64');
export const zerosLike = <D extends DType, E extends DType = D>(t: Tensor<D>, dtype?: E): Tensor<E> => fill('zerosLike', tensorArg('zerosLike', t).shape, 0, dtype ?? t.dtype);
export const onesLike = <D extends DType, E extends DType = D>(t: Tensor<D>, dtype?: E): Tensor<E> => fill('onesLike', tensorArg('onesLike', t).shape, 1, dtype ?? t.dtype);

/** arange's dtype at the type level: int32 when start, stop and step are all integers, else float64. */
export type ArangeDType<A extends number, B extends number, C extends number> =
  'float' extends NumberKind<A> | NumberKind<B> | NumberKind<C> ? 'float64' : 'unknown' extends NumberKind<A> | NumberKind<B> | NumberKind<C> ? 'int32' | 'float64' : 'int32';
/** The dtype `tensor()` gives a TypedArray (dtypeOfArray): its own (a Uint8ClampedArray: uint8). */
export type ArrayDType<A> = A extends Float32Array ? 'float32' : A extends Float64Array ? 'float64' : A extends Int32Array ? 'int32'
  : A extends Uint32Array ? 'uint32' : A extends Int16Array ? 'int16' : A extends Uint16Array ? 'uint16' : A extends Int8Array ? 'int8'
  : A extends Uint8Array | Uint8ClampedArray ? 'uint8' : DType;

/** `full` under the name of the function the user called, so errors name it. */
function fill<R extends DType>(op: string, shape: number | readonly number[], value: number | boolean, dtype?: DType): Tensor<R> {
  const s = checkShapeArg(op, shape);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new TensorError(`${op}: value must be a number or boolean, got ${describe(value)}`);
  const d = dtype === undefined ? scalarDType(value) : checkDType(op, dtype);
  return broadcastTo(op, constant(Number(value), d), s);
}

/** A shape argument read once (see readArray), validated, as a plain copy. */
function checkShapeArg(op: string, shape: unknown): number[] {
  const s = typeof shape === 'number' ? [shape] : readArray(op, shape);
  if (s === undefined || !s.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`${op}: dims must be non-negative integers, got ${describe(s ?? shape)}`);
  }
  checkSize(op, s as number[]);
  return s as number[];
}

/**
 * numpy `arange`: `[start, stop)` by `step`. All-integer arguments give int32, otherwise float64
 * (each value is `start + i * step`, as numpy computes it).
 */
export function arange<E extends DType>(start: number, stop: number | undefined, step: number | undefined, dtype: E): Tensor<E>;
export function arange<A extends number, B extends number = 0, C extends number = 1>(start: A, stop?: B, step?: C): Tensor<ArangeDType<A, B, C>>;
export function arange(start: number, stop?: number, step = 1, dtype?: DType): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  for (const v of [start, stop, step]) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TensorError(`arange: start, stop and step must be finite numbers, got ${describe([start, stop, step])}`);
  }
  if (step === 0) throw new TensorError('arange: step must not be 0');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  checkSize('arange', [n]);
  const ints = [start, stop, step].every(Number.isInteger);
  const d = dtype === undefined ? (ints ? 'int32' : 'float64') : checkDType('arange', dtype);
  const last = start + (n - 1) * step;
  if (isInteger(d) && ints && n > 0 && [start, last].some((v) => v < DTYPE[d].min || v > DTYPE[d].max)) {
    throw new TensorError(`arange: values from ${start} to ${last} overflow ${d}; pass a wider dtype (e.g. 'float64')`);
  }
  if (isFloat(d)) {
    // As numpy fills it, in the dtype: the first two values are start and start + step, then
    // start + i * delta with delta = (start + step) - start (not start + i * step).
    const first = toDType(start, d), second = toDType(start + step, d);
    const i = iota(n, d);
    const rest = i.mul(toDType(second - first, d)).add(first);
    return i.eq(0).where(first, i.eq(1).where(second, rest));
  }
  // int32 arithmetic wraps modulo 2^32, and the cast keeps the low bits: exact for every integer dtype
  const compute = ints ? 'int32' : 'float64';
  const i = iota(n, compute);
  const scaled = step === 1 ? i : i.mul(step);
  return (start === 0 ? scaled : scaled.add(start)).cast(d);
}

/** `n` evenly spaced values from `a` to `b` inclusive (numpy `linspace`), float64 by default. */
export function linspace<E extends DType = 'float64'>(a: number, b: number, n: number, dtype: E = 'float64' as E): Tensor<E> {
  if (!Number.isInteger(n) || n < 0) throw new TensorError(`linspace: n must be a non-negative integer, got ${describe(n)}`);
  for (const v of [a, b]) if (typeof v !== 'number') throw new TensorError(`linspace: a and b must be numbers, got ${describe(v)}`);
  checkSize('linspace', [n]);
  const d = checkDType('linspace', dtype) as E;
  // numpy 2 floors for integer dtypes (a plain cast would truncate toward zero).
  const integral = isInteger(d);
  if (n === 1) return full([1], integral ? Math.floor(a) : a, d);
  const i = iota(n, 'float64');
  const y = i.eq(n - 1).where(b, i.mul((b - a) / (n - 1)).add(a));
  return (integral ? y.floor() : y).cast(d);
}

/** numpy logspace: `base ** linspace(start, stop, n)` (float64 by default). */
export function logspace<E extends DType = 'float64'>(start: number, stop: number, n = 50, base = 10, dtype: E = 'float64' as E): Tensor<E> {
  if (typeof base !== 'number') throw new TensorError(`logspace: base must be a number, got ${describe(base)}`);
  const d = checkDType('logspace', dtype) as E;
  return elementwise('pow', [base, linspace(start, stop, n)]).cast(d);
}

/** Identity matrix `n × m` (m defaults to n). */
export function eye<E extends DType = 'float64'>(n: number, m = n, dtype: E = 'float64' as E): Tensor<E> {
  checkShapeArg('eye', [n, m]);
  return iota(n, 'int32').reshape([n, 1]).eq(iota(m, 'int32').reshape([1, m])).cast(checkDType('eye', dtype) as E);
}

export interface RandOptions<E extends FloatDType = FloatDType> {
  /** The same seed gives the same values on every backend. Default: a random seed. */
  seed?: number;
  dtype?: E;
}

function randSeed(op: string, opts: RandOptions): number {
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 32);
  if (!Number.isInteger(seed)) throw new TensorError(`${op}: seed must be an integer, got ${describe(seed)}`);
  return seed >>> 0;
}

function randDType(op: string, opts: RandOptions): DType {
  const d = checkDType(op, opts.dtype ?? 'float64');
  if (!isFloat(d)) throw new DTypeError(`${op}: dtype must be float32 or float64, got ${d}`);
  return d;
}

/** Uniform in [0, 1), from a counter-based generator: element i depends only on (seed, i). */
export function rand<E extends FloatDType = 'float64'>(shape: number | readonly number[], opts: RandOptions<E> = {}): Tensor<E> {
  opts ??= {};
  const s = checkShapeArg('rand', shape);
  return new Tensor(makeNode('rand', [], s, randDType('rand', opts), randSeed('rand', opts)));
}

/** Standard normal by Box–Muller over two independent uniform streams, the same bits on every backend (rng.ts). */
export function randn<E extends FloatDType = 'float64'>(shape: number | readonly number[], opts: RandOptions<E> = {}): Tensor<E> {
  opts ??= {};
  const s = checkShapeArg('randn', shape);
  const d = randDType('randn', opts);
  const seed = randSeed('randn', opts);
  return new Tensor(makeNode('randn', [], s, d, seed));
}

/**
 * A realized tensor from a number, nested arrays or a TypedArray (+ `shape`). A TypedArray whose type
 * matches the dtype is used as the storage without copying, so in-place updates are visible in it.
 */
export function tensor<E extends DType>(data: NestedArray | ArrayBufferView, opts: { dtype: E; shape?: readonly number[] }): Tensor<E>;
export function tensor<A extends ArrayBufferView>(data: A, opts?: { dtype?: undefined; shape?: readonly number[] }): Tensor<ArrayDType<A>>;
export function tensor(data: boolean, opts?: { dtype?: undefined; shape?: readonly number[] }): Tensor<'bool'>;
export function tensor(data: Nested<number>, opts?: { dtype?: undefined; shape?: readonly number[] }): Tensor<'float64'>;
export function tensor(data: Nested<boolean>, opts?: { dtype?: undefined; shape?: readonly number[] }): Tensor<'bool' | 'float64'>;
export function tensor(data: NestedArray | ArrayBufferView, opts?: { dtype?: DType; shape?: readonly number[] }): Tensor;
export function tensor(data: NestedArray | ArrayBufferView, opts: { dtype?: DType; shape?: readonly number[] } = {}): Tensor {
  if (opts !== undefined && opts !== null && (typeof opts !== 'object' || Array.isArray(opts))) {
    // tensor(data, [2, 3], 'uint8') would otherwise be read as no options at all
    throw new TensorError(`tensor: options must be an object { dtype?, shape? }, got ${describe(opts)}; write tensor(data, { shape: [2, 3], dtype: 'uint8' })`);
  }
  const { dtype: dtypeOpt, shape: shapeOpt } = opts ?? {}; // each option read once
  const dtype = dtypeOpt === undefined ? undefined : checkDType('tensor', dtypeOpt);
  if (ArrayBuffer.isView(data)) return fromTypedArray(data, dtype, shapeOpt);
  const { shape, flat, allBool } = readNested(data);
  const d = dtype ?? (allBool && flat.length > 0 ? 'bool' : 'float64');
  const s = shapeOpt === undefined ? shape : resolveReshape('tensor', [flat.length], shapeOpt);
  return fromTypedArray(Float64Array.from(flat, Number), d, s);
}

const MAX_NESTED = 2 ** 26; // below V8's limit on a plain array (about 2^27 elements)

/**
 * Nested arrays, read level by level without recursion: each array is read once (its length once,
 * each element once), so an array that changes between reads or a Proxy cannot make the values
 * disagree with the shape, a deep nesting cannot overflow the stack, and a circular one ends at the
 * dim limit. The first element of each level decides whether the next level is arrays or numbers.
 */

function readNested(data: unknown): { shape: number[]; flat: (number | boolean)[]; allBool: boolean } {
  const shape: number[] = [];
  let level: unknown[] = [data];
  // Where an element of this level sits, for messages: the row-major index unravelled over `shape`.
  const path = (i: number): string => {
    const idx: number[] = [];
    for (let k = shape.length - 1; k >= 0; k--) { idx.unshift(i % shape[k]); i = Math.floor(i / shape[k]); }
    return `[${idx.join(',')}]`;
  };
  let total = 0; // elements read so far: nested JS arrays are capped (a sparse 2^32 array is not walked)
  while (level.length > 0 && Array.isArray(level[0])) {
    if (shape.length === MAX_NDIM) throw new ShapeError(`tensor: nested arrays more than ${MAX_NDIM} levels deep (or circular); a tensor has at most ${MAX_NDIM} dims (as in numpy)`);
    const rows = level.map((x, i) => {
      const row = readArray('tensor', x, MAX_NESTED, 'elements in one nested array (pass a TypedArray and a shape beyond 2^26)');
      if (row === undefined) throw new ShapeError(`tensor: ragged nested array at ${path(i)}: expected an array, got ${describe(x)}`);
      total += row.length;
      if (total > MAX_NESTED) throw new ShapeError(`tensor: nested arrays of more than 2^26 elements; pass a TypedArray and a shape`);
      return row;
    });
    const n = rows[0].length;
    rows.forEach((row, i) => {
      if (row.length !== n) throw new ShapeError(`tensor: ragged nested array at ${path(i)}: expected ${n} elements, got ${row.length}`);
    });
    shape.push(n);
    checkSize('tensor', shape);
    level = rows.flat();
  }
  let allBool = true;
  level.forEach((x, i) => {
    if (typeof x === 'number') allBool = false;
    else if (typeof x !== 'boolean') throw new TensorError(`tensor: elements must be numbers or booleans; found ${describe(x)} at ${path(i)}`);
  });
  return { shape, flat: level as (number | boolean)[], allBool };
}

// The intrinsic TypedArray accessors: a subclass may override `length` (and its prototype may not
// be the class's), but these read the array's real extent.
const TypedArrayProto = Object.getPrototypeOf(Int8Array.prototype) as object;
const intrinsic = (name: string) => Object.getOwnPropertyDescriptor(TypedArrayProto, name)!.get!;
const [lengthOf, bufferOf, byteOffsetOf, tagOf] = ['length', 'buffer', 'byteOffset', Symbol.toStringTag].map((k) => intrinsic(k as string));

const bufferGetter = (proto: object, name: string) => Object.getOwnPropertyDescriptor(proto, name)?.get;
const [resizableOf, growableOf] = [bufferGetter(ArrayBuffer.prototype, 'resizable'), bufferGetter(SharedArrayBuffer.prototype, 'growable')];
/** A buffer that can shrink or grow under a tensor (read with the intrinsic getters, not the object's own). */
function isResizable(b: ArrayBufferLike): boolean {
  if (b instanceof SharedArrayBuffer) return growableOf?.call(b) === true;
  return resizableOf?.call(b) === true;
}

function fromTypedArray(arr: ArrayBufferView, dtype: DType | undefined, shape: unknown): Tensor {
  const natural = dtypeOfArray(arr);
  if (natural === undefined) {
    const kind = (tagOf.call(arr) as string | undefined) ?? (arr instanceof DataView ? 'DataView' : describe(arr));
    throw new DTypeError(`tensor: cannot hold a ${kind}; use a Float32Array, a Float64Array or an 8-, 16- or 32-bit integer array`);
  }
  const d = dtype ?? natural;
  const len = lengthOf.call(arr) as number;
  const s = shape === undefined ? [len] : resolveReshape('tensor', [len], shape);
  // An array of the dtype's own storage class is used as is (a Uint8Array as bool only if it holds 0/1),
  // unless its buffer can shrink (resizable, or length-tracking): a kernel must never read past it.
  // A subclass is seen through a plain view of the same memory, so no override of it is ever called.
  const buffer = bufferOf.call(arr) as ArrayBuffer;
  let same = storageMatches(arr, d) && !isResizable(buffer);
  if (same && isBool(d)) for (let i = 0; i < len && same; i++) same = (arr as Uint8Array)[i] <= 1;
  let storage: Storage;
  if (same) {
    const Plain = storageClass(d);
    storage = Object.getPrototypeOf(arr) === Plain.prototype ? arr as Storage : new Plain(buffer, byteOffsetOf.call(arr) as number, len);
    expose(storage); // the user holds it too: evalAsync reads a private copy
  } else {
    const src = arr as unknown as ArrayLike<number>;
    storage = allocate(d, len);
    const to = converter(natural, d); // integers wrap (numpy's astype), floats truncate and saturate
    for (let i = 0; i < len; i++) storage[i] = to(src[i]);
  }
  return new Tensor(bufferNode(storage, s, d));
}

