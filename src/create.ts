/**
 * Creating tensors: realized ones from JS data (`tensor`), and lazy generated ones (`full`, `arange`,
 * `rand`, ...) that cost no memory until eval and fold into the loops that read them.
 */
import type { DType, Storage } from './dtype.js';
import { allocate, checkDType, dtypeOfArray, isFloat, scalarDType, storageMatches, toDType } from './dtype.js';
import { DTypeError, ShapeError, TensorError } from './errors.js';
import { bufferNode, makeNode } from './graph.js';
import { expose } from './runtime/pool.js';
import { checkSize, describe, resolveReshape } from './shape.js';
import type { NestedArray } from './tensor.js';
import { broadcastTo, constant, elementwise, Tensor, tensorArg } from './tensor.js';

/** A lazy constant: no memory until eval, folded into the loop that reads it. */
export function full(shape: number | readonly number[], value: number | boolean, dtype?: DType): Tensor {
  return fill('full', shape, value, dtype);
}
export const zeros = (shape: number | readonly number[], dtype: DType = 'float64'): Tensor => fill('zeros', shape, 0, dtype);
export const ones = (shape: number | readonly number[], dtype: DType = 'float64'): Tensor => fill('ones', shape, 1, dtype);
export const zerosLike = (t: Tensor, dtype?: DType): Tensor => fill('zerosLike', tensorArg('zerosLike', t).shape, 0, dtype ?? t.dtype);
export const onesLike = (t: Tensor, dtype?: DType): Tensor => fill('onesLike', tensorArg('onesLike', t).shape, 1, dtype ?? t.dtype);

/** `full` under the name of the function the user called, so errors name it. */
function fill(op: string, shape: number | readonly number[], value: number | boolean, dtype?: DType): Tensor {
  const s = checkShapeArg(op, shape);
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new TensorError(`${op}: value must be a number or boolean, got ${describe(value)}`);
  const d = dtype === undefined ? scalarDType(value) : checkDType(op, dtype);
  return broadcastTo(op, constant(Number(value), d), s);
}

function checkShapeArg(op: string, shape: unknown): number[] {
  const s = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(s) || !s.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`${op}: dims must be non-negative integers, got ${describe(shape)}`);
  }
  checkSize(op, s);
  return s.slice();
}

/** `0, 1, ..., n-1` along one axis, generated in the loop. */
/** @internal */
export function iota(n: number, dtype: DType): Tensor {
  return new Tensor(makeNode('iota', [], [n], dtype));
}

/**
 * numpy `arange`: `[start, stop)` by `step`. All-integer arguments give int32, otherwise float64
 * (each value is `start + i * step`, as numpy computes it).
 */
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
  if (d === 'int32' && ints && (Math.abs(start) > 2 ** 31 || Math.abs(start + n * step) > 2 ** 31)) {
    throw new TensorError(`arange: values from ${start} to ${stop} overflow int32; pass dtype 'float64'`);
  }
  if (isFloat(d)) {
    // As numpy fills it, in the dtype: the first two values are start and start + step, then
    // start + i * delta with delta = (start + step) - start (not start + i * step).
    const first = toDType(start, d), second = toDType(start + step, d);
    const i = iota(n, d);
    const rest = i.mul(toDType(second - first, d)).add(first);
    return i.eq(0).where(first, i.eq(1).where(second, rest));
  }
  const compute = ints ? 'int32' : 'float64';
  const i = iota(n, compute);
  const scaled = step === 1 ? i : i.mul(step);
  return (start === 0 ? scaled : scaled.add(start)).cast(d);
}

/** `n` evenly spaced values from `a` to `b` inclusive (numpy `linspace`), float64 by default. */
export function linspace(a: number, b: number, n: number, dtype: DType = 'float64'): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new TensorError(`linspace: n must be a non-negative integer, got ${describe(n)}`);
  const d = checkDType('linspace', dtype);
  // numpy 2 floors for integer dtypes (a plain cast would truncate toward zero).
  const integral = !isFloat(d) && d !== 'bool';
  if (n === 1) return full([1], integral ? Math.floor(a) : a, d);
  const i = iota(n, 'float64');
  const y = i.eq(n - 1).where(b, i.mul((b - a) / (n - 1)).add(a));
  return (integral ? y.floor() : y).cast(d);
}

/** Identity matrix `n × m` (m defaults to n). */
export function eye(n: number, m = n, dtype: DType = 'float64'): Tensor {
  checkShapeArg('eye', [n, m]);
  return iota(n, 'int32').reshape([n, 1]).eq(iota(m, 'int32').reshape([1, m])).cast(checkDType('eye', dtype));
}

export interface RandOptions {
  /** The same seed gives the same values on every backend. Default: a random seed. */
  seed?: number;
  dtype?: 'float32' | 'float64';
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
export function rand(shape: number | readonly number[], opts: RandOptions = {}): Tensor {
  opts ??= {};
  const s = checkShapeArg('rand', shape);
  return new Tensor(makeNode('rand', [], s, randDType('rand', opts), randSeed('rand', opts)));
}

/** Standard normal by Box–Muller over two independent uniform streams. */
export function randn(shape: number | readonly number[], opts: RandOptions = {}): Tensor {
  opts ??= {};
  const s = checkShapeArg('randn', shape);
  const d = randDType('randn', opts);
  const seed = randSeed('randn', opts);
  const u1 = elementwise('sub', [1, new Tensor(makeNode('rand', [], s, d, seed))]); // (0, 1]: log is finite
  const u2 = new Tensor(makeNode('rand', [], s, d, (seed ^ 0x5bd1e995) >>> 0));
  return u1.log().mul(-2).sqrt().mul(u2.mul(2 * Math.PI).cos());
}

/**
 * A realized tensor from a number, nested arrays or a TypedArray (+ `shape`). A TypedArray whose type
 * matches the dtype is used as the storage without copying, so in-place updates are visible in it.
 */
export function tensor(data: NestedArray | ArrayBufferView, opts: { dtype?: DType; shape?: readonly number[] } = {}): Tensor {
  opts ??= {};
  const dtype = opts.dtype === undefined ? undefined : checkDType('tensor', opts.dtype);
  if (ArrayBuffer.isView(data)) return fromTypedArray(data, dtype, opts.shape);
  const shape: number[] = [];
  for (let x: unknown = data; Array.isArray(x); x = x[0]) shape.push(x.length);
  const flat: (number | boolean)[] = [];
  let allBool = true;
  const walk = (x: unknown, dim: number, path: number[]): void => {
    if (dim === shape.length) {
      if (typeof x === 'boolean') flat.push(x);
      else if (typeof x === 'number') { allBool = false; flat.push(x); }
      else throw new TensorError(`tensor: elements must be numbers or booleans; found ${describe(x)} at [${path.join(',')}]`);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[dim]) {
      throw new ShapeError(`tensor: ragged nested array at [${path.join(',')}]: expected ${shape[dim]} elements, got ${Array.isArray(x) ? x.length : describe(x)}`);
    }
    x.forEach((y, i) => walk(y, dim + 1, [...path, i]));
  };
  walk(data, 0, []);
  const d = dtype ?? (allBool && flat.length > 0 ? 'bool' : 'float64');
  if (opts.shape !== undefined) {
    return fromTypedArray(Float64Array.from(flat, Number), d, resolveReshape('tensor', [flat.length], opts.shape));
  }
  return fromTypedArray(Float64Array.from(flat, Number), d, shape);
}

function fromTypedArray(arr: ArrayBufferView, dtype: DType | undefined, shape: readonly number[] | undefined): Tensor {
  const natural = dtypeOfArray(arr);
  if (natural === undefined) {
    throw new DTypeError(`tensor: cannot hold a ${arr.constructor.name}; use Float32Array, Float64Array, Int32Array or Uint8Array`);
  }
  const d = dtype ?? natural;
  const len = (arr as Storage).length;
  const s = shape === undefined ? [len] : resolveReshape('tensor', [len], shape);
  // An array of the dtype's own storage class is used as is (a Uint8Array as bool only if it holds 0/1),
  // unless its buffer can shrink (resizable, or length-tracking): a kernel must never read past it.
  const buffer = arr.buffer as ArrayBuffer & { resizable?: boolean; growable?: boolean };
  const same = storageMatches(arr, d) && !buffer.resizable && !buffer.growable && (d !== 'bool' || (arr as Uint8Array).every((v) => v <= 1));
  let storage: Storage;
  if (same) expose(storage = arr as Storage); // the user holds it too: evalAsync reads a private copy
  else {
    const src = arr as unknown as ArrayLike<number>;
    storage = allocate(d, len);
    for (let i = 0; i < len; i++) storage[i] = toDType(src[i], d);
  }
  return new Tensor(bufferNode(storage, s, d));
}

