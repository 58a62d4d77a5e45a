import { DTypeError, TensorError } from './errors.js';
import { describe } from './shape.js';

export type DType = 'float32' | 'float64' | 'int32' | 'bool';
export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

export type Storage = Float32Array | Float64Array | Int32Array | Uint8Array;

// ---- the dtype rules at the type level ----------------------------------------------------------
// What TypeScript can know of a result's dtype, mirroring the runtime rules (promote, weakPromote and
// the op table's dtype rules). Each is distributive: a union of dtypes in gives the union of results,
// and `DType` (a dtype not known statically) gives what any dtype could. Where a rule depends on
// values TypeScript cannot see (a JS number that is not a literal), the result is the union of what
// the values could give. test/dtype-types.test.ts checks these against the runtime's dtypes.

/** The storage class of each dtype: `data()` of a `Tensor<'float32'>` is a `Float32Array`. */
export interface StorageOf {
  float32: Float32Array; float64: Float64Array; int32: Int32Array; bool: Uint8Array;
}
/** What `item()` and `toArray()` give for an element: a boolean for bool, else a number. */
export type ElementOf<D extends DType> = D extends 'bool' ? boolean : number;
/** The JS value of a stored element (ElementOf): bools, stored as 0/1, read as booleans. */
const asBoolean = (v: number): boolean => v !== 0, asNumber = (v: number): number => v;
export const elementReader = (d: DType): ((v: number) => number | boolean) => (d === 'bool' ? asBoolean : asNumber);
/** Nested JS arrays of `T`, as `toArray()` returns them (the rank is not known statically). */
export type Nested<T> = T | Nested<T>[];

export type FloatDType = 'float32' | 'float64';
interface PromoteTable {
  bool: { bool: 'bool'; int32: 'int32'; float32: 'float32'; float64: 'float64' };
  int32: { bool: 'int32'; int32: 'int32'; float32: 'float32'; float64: 'float64' };
  float32: { bool: 'float32'; int32: 'float32'; float32: 'float32'; float64: 'float64' };
  float64: { bool: 'float64'; int32: 'float64'; float32: 'float64'; float64: 'float64' };
}
/** `promote` at the type level (bool < int32 < float32 < float64). */
export type Promote<A extends DType, B extends DType> = A extends DType ? B extends DType ? PromoteTable[A][B] : never : never;
/** Float math (`floating`): float32 stays float32, everything else computes in float64. */
export type Floating<D extends DType> = D extends FloatDType ? D : 'float64';
/** A sum, product or mean: ints and bools give float64 (exact 64-bit accumulation), floats keep theirs. */
export type Summed<D extends DType> = Floating<D>;

/** Counts the characters of S, up to 10 (enough to tell a 9-digit integer from a longer one). */
type Short<S extends string, N extends unknown[] = []> = N['length'] extends 10 ? false : S extends `${string}${infer R}` ? Short<R, [...N, 0]> : true;
/** 'int' for an integer literal of at most 9 digits (an int32 holds it), 'float' for another literal, 'unknown' for `number`. */
export type NumberKind<N extends number> = number extends N ? 'unknown'
  : `${N}` extends `${bigint}` ? (Short<`${N}` extends `-${infer U}` ? U : `${N}`> extends true ? 'int' : 'unknown') : 'float';
/** `weakPromote` at the type level: the dtype a JS number `N` takes next to a tensor of dtype `D`. */
export type Weak<D extends DType, N extends number> = D extends FloatDType ? D
  : { int: D extends 'bool' ? 'int32' : D; float: 'float64'; unknown: (D extends 'bool' ? 'int32' : D) | 'float64' }[NumberKind<N>];

/** Promotion lattice: bool < int32 < float32 < float64. */
const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

export const isFloat = (d: DType): boolean => d === 'float32' || d === 'float64';

export function promote(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

export function checkDType(op: string, d: unknown): DType {
  if (typeof d === 'string' && Object.hasOwn(RANK, d)) return d as DType; // not 'toString' or '__proto__'
  throw new DTypeError(`${op}: unknown dtype ${describe(d)}; expected one of ${DTYPES.join(', ')}`);
}

export function allocate(dtype: DType, n: number): Storage {
  try {
    switch (dtype) {
      case 'float32': return new Float32Array(n);
      case 'float64': return new Float64Array(n);
      case 'int32': return new Int32Array(n);
      case 'bool': return new Uint8Array(n);
    }
  } catch (e) {
    throw new TensorError(`eval: cannot allocate ${n} ${dtype} elements (${(n * BYTES[dtype] / 2 ** 30).toFixed(1)} GiB): ${(e as Error).message}`, { cause: e });
  }
}

export const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };
export const C_TYPE: Record<DType, string> = { float32: 'float', float64: 'double', int32: 'int32_t', bool: 'uint8_t' };
/** The C type a sum accumulates in: wider than the element, so it is exact (ints) or rounded once (floats). */
export const SUM_ACCUMULATOR: Record<DType, string> = { float32: 'double', float64: 'double', int32: 'int64_t', bool: 'int64_t' };

type StorageClass = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => Storage;
const STORAGE: Record<DType, StorageClass> = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array };
/** The TypedArray class of a dtype's storage. */
export const storageClass = (d: DType): StorageClass => STORAGE[d];

/** The storage class tensorfuse uses for each dtype, used to check that an array is a tensor's own storage. */
export function storageMatches(arr: ArrayBufferView, dtype: DType): arr is Storage {
  switch (dtype) {
    case 'float32': return arr instanceof Float32Array;
    case 'float64': return arr instanceof Float64Array;
    case 'int32': return arr instanceof Int32Array;
    case 'bool': return arr instanceof Uint8Array;
  }
}

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/**
 * Converts a JS number to the value a `dtype` element holds: float32 rounds to nearest, int32 truncates
 * toward zero and saturates (NaN → 0), bool is "nonzero" (NaN is true, as in numpy).
 */
export function toDType(x: number, dtype: DType): number {
  switch (dtype) {
    case 'float64': return x;
    case 'float32': return Math.fround(x);
    case 'int32':
      if (x !== x) return 0;
      if (x >= INT32_MAX) return INT32_MAX;
      if (x <= INT32_MIN) return INT32_MIN;
      return Math.trunc(x) | 0;
    case 'bool': return x !== 0 ? 1 : 0;
  }
}

/**
 * The dtype a JS scalar takes next to a tensor of dtype `d` (numpy's weak scalars): a float tensor keeps
 * its dtype; an int or bool tensor stays int32 for an integer that fits, else becomes float64. A JS boolean
 * adopts the tensor's dtype.
 */
export function weakPromote(d: DType, scalar: number | boolean): DType {
  const kind = scalarKind(scalar);
  if (kind === 'bool' || isFloat(d)) return d;
  if (kind === 'int') return d === 'bool' ? 'int32' : d;
  return 'float64';
}

/** What weakPromote looks at in a JS scalar: a boolean, an integer an int32 holds, or another number. */
export const scalarKind = (v: number | boolean): 'bool' | 'int' | 'float' =>
  typeof v === 'boolean' ? 'bool' : Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX ? 'int' : 'float';

/** dtype of a lone JS scalar: JS numbers are float64, booleans bool. */
export const scalarDType = (v: number | boolean): DType => (typeof v === 'boolean' ? 'bool' : 'float64');

/** The dtype a TypedArray passed to `tensor()` maps to, or undefined for arrays we cannot hold. */
export function dtypeOfArray(arr: ArrayBufferView): DType | undefined {
  if (arr instanceof Float32Array) return 'float32';
  if (arr instanceof Float64Array) return 'float64';
  if (arr instanceof Int32Array) return 'int32';
  if (arr instanceof Uint8Array || arr instanceof Uint8ClampedArray || arr instanceof Int8Array ||
      arr instanceof Int16Array || arr instanceof Uint16Array) return 'int32';
  if (arr instanceof Uint32Array) return 'float64';
  return undefined;
}
