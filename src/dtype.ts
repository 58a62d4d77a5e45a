/**
 * THE dtype table. Each dtype is one entry (DTYPE): its kind, size, C type, storage class, range, the
 * accumulator its sums use, the float dtype its float math gives and how it prints. Promotion is one
 * table (PROMOTE, numpy's promote_types with two documented exceptions). Everything else that depends on
 * a dtype reads these: adding a dtype is an entry here, a row and a column in PROMOTE, and its rows in
 * the type-level tables below.
 */
import { DTypeError, TensorError } from './errors.js';
import { describe } from './shape.js';

export type DType = 'bool' | 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';
/** Every dtype, in promotion order within each kind. */
export const DTYPES: readonly DType[] = ['bool', 'uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64'];

export type Storage = Float32Array | Float64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;
interface StorageClass {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): Storage;
  /** A new array holding `values` (as TypedArray.from: converted as a store into the array converts). */
  from(values: ArrayLike<number>): Storage;
}

export type Kind = 'bool' | 'int' | 'uint' | 'float';

export interface DTypeInfo {
  kind: Kind;
  bytes: number;
  /** The C type of an element. */
  c: string;
  /** The TypedArray class of its storage (bool is stored as uint8 0/1). */
  storage: StorageClass & { name: string };
  /** The range of its values (floats: ±Infinity), and the same as C expressions. */
  min: number;
  max: number;
  cMin: string;
  cMax: string;
  /** The C type a sum or product of it accumulates in: 64-bit integers (exact, or wrapping for products), double for floats. */
  accumulator: 'int64_t' | 'uint64_t' | 'double';
  /** The dtype float math (sqrt, exp, atan2, ...) of it gives: numpy's, with float16 read as float32 (bool: float64). */
  floating: DType;
  /** The suffix of libm's functions in the dtype a float computes in (`expf`). */
  libm: '' | 'f';
  /**
   * The 32-bit integer C helpers of integer ops (tf_mod_i32, ...) compute it in: every value of the
   * narrow types converts to int32 exactly, uint32 needs its own.
   */
  int32?: 'i32' | 'u32';
  /** Integer dtypes: the value modulo 2^bits in the dtype's range (what C's conversion of a wider integer does). */
  wrap?: (x: number) => number;
  /** How an element prints: true/false, an integer, or a float (format.ts). */
  print: 'bool' | 'int' | 'float';
  /** Floats: every integer of magnitude up to this is exact (2^24 in float32, 2^53 in float64). */
  exactInts?: number;
}

const int = (bits: 8 | 16 | 32, signed: boolean, storage: DTypeInfo['storage'], wrap: (x: number) => number): DTypeInfo => {
  const name = `${signed ? 'INT' : 'UINT'}${bits}`;
  return {
    kind: signed ? 'int' : 'uint', bytes: bits / 8, c: `${signed ? '' : 'u'}int${bits}_t`, storage,
    min: signed ? -(2 ** (bits - 1)) : 0, max: signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1,
    cMin: signed ? `${name}_MIN` : '0', cMax: `${name}_MAX`,
    accumulator: signed ? 'int64_t' : 'uint64_t', floating: bits === 32 ? 'float64' : 'float32', libm: '',
    int32: signed || bits < 32 ? 'i32' : 'u32', wrap, print: 'int',
  };
};

export const DTYPE = {
  bool: {
    kind: 'bool', bytes: 1, c: 'uint8_t', storage: Uint8Array, min: 0, max: 1, cMin: '0', cMax: '1',
    accumulator: 'uint64_t', floating: 'float64', libm: '', int32: 'i32', print: 'bool',
  },
  uint8: int(8, false, Uint8Array, (x) => x & 0xff),
  int8: int(8, true, Int8Array, (x) => (x << 24) >> 24),
  uint16: int(16, false, Uint16Array, (x) => x & 0xffff),
  int16: int(16, true, Int16Array, (x) => (x << 16) >> 16),
  uint32: int(32, false, Uint32Array, (x) => x >>> 0),
  int32: int(32, true, Int32Array, (x) => x | 0),
  float32: {
    kind: 'float', bytes: 4, c: 'float', storage: Float32Array, min: -Infinity, max: Infinity, cMin: '-INFINITY', cMax: 'INFINITY',
    accumulator: 'double', floating: 'float32', libm: 'f', print: 'float', exactInts: 2 ** 24,
  },
  float64: {
    kind: 'float', bytes: 8, c: 'double', storage: Float64Array, min: -Infinity, max: Infinity, cMin: '-INFINITY', cMax: 'INFINITY',
    accumulator: 'double', floating: 'float64', libm: '', print: 'float', exactInts: 2 ** 53,
  },
} as const satisfies Record<DType, DTypeInfo>;

const info = (d: DType): DTypeInfo => DTYPE[d];

/**
 * numpy's promote_types among our dtypes, with two exceptions: int32 with float32 gives float32 (numpy:
 * float64; a float32 model stays float32 when it meets an index), and where numpy gives int64 (int32 or
 * a narrower signed int with uint32) we give float64, which holds every such value exactly.
 * test/dtypes.test.ts holds this table against numpy's answers.
 */
export const PROMOTE = {
  bool: { bool: 'bool', uint8: 'uint8', int8: 'int8', uint16: 'uint16', int16: 'int16', uint32: 'uint32', int32: 'int32', float32: 'float32', float64: 'float64' },
  uint8: { bool: 'uint8', uint8: 'uint8', int8: 'int16', uint16: 'uint16', int16: 'int16', uint32: 'uint32', int32: 'int32', float32: 'float32', float64: 'float64' },
  int8: { bool: 'int8', uint8: 'int16', int8: 'int8', uint16: 'int32', int16: 'int16', uint32: 'float64', int32: 'int32', float32: 'float32', float64: 'float64' },
  uint16: { bool: 'uint16', uint8: 'uint16', int8: 'int32', uint16: 'uint16', int16: 'int32', uint32: 'uint32', int32: 'int32', float32: 'float32', float64: 'float64' },
  int16: { bool: 'int16', uint8: 'int16', int8: 'int16', uint16: 'int32', int16: 'int16', uint32: 'float64', int32: 'int32', float32: 'float32', float64: 'float64' },
  uint32: { bool: 'uint32', uint8: 'uint32', int8: 'float64', uint16: 'uint32', int16: 'float64', uint32: 'uint32', int32: 'float64', float32: 'float64', float64: 'float64' },
  int32: { bool: 'int32', uint8: 'int32', int8: 'int32', uint16: 'int32', int16: 'int32', uint32: 'float64', int32: 'int32', float32: 'float32', float64: 'float64' },
  float32: { bool: 'float32', uint8: 'float32', int8: 'float32', uint16: 'float32', int16: 'float32', uint32: 'float64', int32: 'float32', float32: 'float32', float64: 'float64' },
  float64: { bool: 'float64', uint8: 'float64', int8: 'float64', uint16: 'float64', int16: 'float64', uint32: 'float64', int32: 'float64', float32: 'float64', float64: 'float64' },
} as const satisfies Record<DType, Record<DType, DType>>;

// ---- the dtype rules at the type level ----------------------------------------------------------
// What TypeScript can know of a result's dtype, mirroring the runtime rules (promote, weakPromote and
// the op table's dtype rules). Each is distributive: a union of dtypes in gives the union of results,
// and `DType` (a dtype not known statically) gives what any dtype could. Where a rule depends on
// values TypeScript cannot see (a JS number that is not a literal), the result is the union of what
// the values could give. test/dtype-types.test.ts checks these against the runtime's dtypes.

/** The storage class of each dtype: `data()` of a `Tensor<'float32'>` is a `Float32Array`. */
export interface StorageOf {
  bool: Uint8Array; uint8: Uint8Array; int8: Int8Array; uint16: Uint16Array; int16: Int16Array; uint32: Uint32Array; int32: Int32Array;
  float32: Float32Array; float64: Float64Array;
}
/** What `item()` and `toArray()` give for an element: a boolean for bool, else a number. */
export type ElementOf<D extends DType> = D extends 'bool' ? boolean : number;
/** The JS value of a stored element (ElementOf): bools, stored as 0/1, read as booleans. */
const asBoolean = (v: number): boolean => v !== 0, asNumber = (v: number): number => v;
export const elementReader = (d: DType): ((v: number) => number | boolean) => (info(d).kind === 'bool' ? asBoolean : asNumber);
/** Nested JS arrays of `T`, as `toArray()` returns them (the rank is not known statically). */
export type Nested<T> = T | Nested<T>[];

export type FloatDType = 'float32' | 'float64';
export type SignedDType = 'int8' | 'int16' | 'int32';
export type IntDType = SignedDType | 'uint8' | 'uint16' | 'uint32';
/** `promote` at the type level. */
export type Promote<A extends DType, B extends DType> = A extends DType ? B extends DType ? (typeof PROMOTE)[A][B] : never : never;
/** DTypeInfo.floating at the type level. */
interface FloatingTable {
  bool: 'float64'; uint8: 'float32'; int8: 'float32'; uint16: 'float32'; int16: 'float32'; uint32: 'float64'; int32: 'float64'; float32: 'float32'; float64: 'float64';
}
/** Float math (`floating`): the dtype's `floating` (float32 of 8- and 16-bit ints, float64 of the rest). */
export type Floating<D extends DType> = D extends DType ? FloatingTable[D] : never;
/** A sum, product or mean: ints and bools give float64 (exact 64-bit accumulation), floats keep theirs. */
export type Summed<D extends DType> = D extends FloatDType ? D : 'float64';
/** True division (`div`): floats keep theirs, ints and bools give float64 whatever their width (numpy's true_divide). */
export type Quotient<D extends DType> = Summed<D>;

/** Whether digit string A is shorter than B. */
type Shorter<A extends string, B extends string> =
  B extends `${string}${infer RB}` ? (A extends `${string}${infer RA}` ? Shorter<RA, RB> : true) : false;
/** The digits below each digit. */
interface Below { '0': never; '1': '0'; '2': '0' | '1'; '3': Below['2'] | '2'; '4': Below['3'] | '3'; '5': Below['4'] | '4'; '6': Below['5'] | '5'; '7': Below['6'] | '6'; '8': Below['7'] | '7'; '9': Below['8'] | '8' }
/** Whether digit string A ≤ digit string B, both of one length. */
type NotAbove<A extends string, B extends string> = A extends `${infer a}${infer RA}` ? B extends `${infer b}${infer RB}`
  ? (a extends b ? NotAbove<RA, RB> : a extends Below[b & keyof Below] ? true : false) : true : true;
/** Whether the magnitude written as digits A is at most the one written as M. */
type Within<A extends string, M extends string> = Shorter<A, M> extends true ? true : Shorter<M, A> extends true ? false : NotAbove<A, M>;
/** The dtype an integer scalar keeps next to an integer or bool tensor: the tensor's (bool: int32). */
type IntTarget<D extends DType> = D extends 'bool' ? 'int32' : D;
/** The largest magnitude of each integer dtype's positive and negative values, as digits. */
interface Limits {
  int32: ['2147483647', '2147483648']; uint32: ['4294967295', ''];
  int16: ['32767', '32768']; uint16: ['65535', '']; int8: ['127', '128']; uint8: ['255', ''];
  bool: never; float32: never; float64: never; // (bool reads int32's, as IntTarget; floats never get here)
}
/** IntTarget<D> when the integer with digits U (negative when S is 1) lies in its range, else float64. */
type Fits<D extends DType, U extends string, S extends 0 | 1> = Within<U, Limits[IntTarget<D>][S]> extends true ? IntTarget<D> : 'float64';
/**
 * `weakPromote` at the type level: the dtype a JS number `N` takes next to a tensor of dtype `D`. A
 * literal's digits are compared with the dtype's range; a `number` that is not a literal could be
 * either, so it gives both. Every branch gives one dtype or two, so results stay small unions.
 */
export type Weak<D extends DType, N extends number> = D extends FloatDType ? D
  : number extends N ? IntTarget<D> | 'float64'
  : `${N}` extends `-${infer U}` ? (U extends `${bigint}` ? Fits<D, U, 1> : 'float64')
  : `${N}` extends `${bigint}` ? Fits<D, `${N}`, 0> : 'float64';

/** 'int' for an integer literal an int32 holds, 'float' for another literal, 'unknown' for `number` (arange's dtype). */
export type NumberKind<N extends number> = number extends N ? 'unknown' : Weak<'int32', N> extends 'int32' ? 'int' : 'float';

export const isFloat = (d: DType): boolean => info(d).kind === 'float';
/** An integer dtype (not bool): its arithmetic wraps modulo 2^bits. */
export const isInteger = (d: DType): boolean => info(d).kind === 'int' || info(d).kind === 'uint';
export const isBool = (d: DType): boolean => info(d).kind === 'bool';
/** The dtype float math of `d` gives (DTypeInfo.floating). */
export const floatOf = (d: DType): DType => info(d).floating;
/** The dtype a sum, product or mean of `d` gives: floats keep theirs, ints and bools give float64. */
export const summedOf = (d: DType): DType => (isFloat(d) ? d : 'float64');
/** The dtype of a true division (`div`) of `d`: Quotient at run time, the same rule as a sum's. */
export const quotientOf = summedOf;

export function promote(a: DType, b: DType): DType {
  return PROMOTE[a][b];
}

export function checkDType(op: string, d: unknown): DType {
  if (typeof d === 'string' && Object.hasOwn(DTYPE, d)) return d as DType; // not 'toString' or '__proto__'
  throw new DTypeError(`${op}: unknown dtype ${describe(d)}; expected one of ${DTYPES.join(', ')}`);
}

export function allocate(dtype: DType, n: number): Storage {
  try {
    return new (info(dtype).storage as unknown as new (n: number) => Storage)(n);
  } catch (e) {
    throw new TensorError(`eval: cannot allocate ${n} ${dtype} elements (${(n * BYTES[dtype] / 2 ** 30).toFixed(1)} GiB): ${(e as Error).message}`, { cause: e });
  }
}

/** A zero-length array of each dtype's storage (nothing can be written into it): what a disposed tensor holds. */
const EMPTY = Object.fromEntries(DTYPES.map((d) => [d, allocate(d, 0)])) as Record<DType, Storage>;
export const emptyStorage = (dtype: DType): Storage => EMPTY[dtype];

const column = <K extends keyof DTypeInfo>(k: K): Record<DType, DTypeInfo[K]> =>
  Object.fromEntries(DTYPES.map((d) => [d, info(d)[k]])) as Record<DType, DTypeInfo[K]>;
export const BYTES: Record<DType, number> = column('bytes');
export const C_TYPE: Record<DType, string> = column('c');
/** The C type a sum accumulates in: wider than the element, so it is exact (ints) or rounded once (floats). */
export const SUM_ACCUMULATOR: Record<DType, string> = column('accumulator');

/** The TypedArray class of a dtype's storage. */
export const storageClass = (d: DType): StorageClass => info(d).storage;

/** Whether `arr` is of the storage class tensorfuse uses for `dtype` (so it can be a tensor's own storage). */
export function storageMatches(arr: ArrayBufferView, dtype: DType): arr is Storage {
  return arr instanceof info(dtype).storage;
}

/**
 * Converts a JS number to the value a `dtype` element holds, as a cast from a float does: float32 rounds
 * to nearest, integers truncate toward zero and saturate at the dtype's range (NaN → 0), bool is
 * "nonzero" (NaN is true, as in numpy).
 */
export function toDType(x: number, dtype: DType): number {
  const d = info(dtype);
  switch (d.kind) {
    case 'float': return dtype === 'float32' ? Math.fround(x) : x;
    case 'bool': return x !== 0 ? 1 : 0;
    default:
      if (x !== x) return 0;
      if (x >= d.max) return d.max;
      if (x <= d.min) return d.min;
      return Math.trunc(x) + 0; // + 0: no -0 in an integer
  }
}

/**
 * How a value computed in dtype `compute` becomes an element of `out`: integer results (int32-wrapped
 * or exact) of integer ops wrap modulo 2^bits, as the C backend's conversions of integers do; anything
 * else converts as toDType (a cast from a float: truncate and saturate).
 */
export function converter(compute: DType, out: DType): (x: number) => number {
  const w = info(out).wrap;
  return w && isInteger(compute) ? w : (x) => toDType(x, out);
}

/**
 * The classes of a JS scalar that weakPromote tells apart: a boolean; an integer by the range it lies in
 * (u7: 0..127, u8: 128..255, u15: ..32767, u16: ..65535, u31: ..2^31-1, u32: ..2^32-1; n8: -128..-1,
 * n16: ..-32768, n32: ..-2^31); or any other number.
 */
export type ScalarKind = 'bool' | 'float' | 'u7' | 'u8' | 'u15' | 'u16' | 'u31' | 'u32' | 'n8' | 'n16' | 'n32';
const CLASSES: readonly [ScalarKind, number][] = [['u7', 127], ['u8', 255], ['u15', 32767], ['u16', 65535], ['u31', 2 ** 31 - 1], ['u32', 2 ** 32 - 1]];
const NEGATIVE: readonly [ScalarKind, number][] = [['n8', -128], ['n16', -32768], ['n32', -(2 ** 31)]];

/** What weakPromote looks at in a JS scalar: its class (ScalarKind). */
export function scalarKind(v: number | boolean): ScalarKind {
  if (typeof v === 'boolean') return 'bool';
  if (!Number.isInteger(v)) return 'float';
  if (v >= 0) return CLASSES.find(([, hi]) => v <= hi)?.[0] ?? 'float';
  return NEGATIVE.find(([, lo]) => v >= lo)?.[0] ?? 'float';
}

/** A number of each class (its smallest in magnitude): what a jit runtime scalar of that class stands for. */
export const KIND_VALUE: Record<ScalarKind, number | boolean> = {
  bool: false, float: 0.5, u7: 0, u8: 128, u15: 256, u16: 32768, u31: 65536, u32: 2 ** 31, n8: -1, n16: -129, n32: -32769,
};

/**
 * The dtype a JS scalar takes next to a tensor of dtype `d` (numpy's weak scalars): a float tensor keeps
 * its dtype; an integer tensor keeps its dtype for an integer in its range (uint8 + 3 is uint8, and wraps
 * as numpy's does), and any other number (a fraction, or an integer out of its range: uint8 + 300,
 * uint8 + -1) gives float64, which holds the exact result (numpy 2 raises OverflowError there, numpy 1
 * widened to the smallest integer dtype). A bool tensor takes an integer as int32. A JS boolean adopts
 * the tensor's dtype.
 */
export function weakPromote(d: DType, scalar: number | boolean): DType {
  if (typeof scalar === 'boolean' || isFloat(d)) return d;
  const target: DType = isBool(d) ? 'int32' : d;
  return Number.isInteger(scalar) && scalar >= info(target).min && scalar <= info(target).max ? target : 'float64';
}

/** dtype of a lone JS scalar: JS numbers are float64, booleans bool. */
export const scalarDType = (v: number | boolean): DType => (typeof v === 'boolean' ? 'bool' : 'float64');

/** The dtype a TypedArray passed to `tensor()` maps to (its own; Uint8ClampedArray: uint8), or undefined for arrays we cannot hold. */
export function dtypeOfArray(arr: ArrayBufferView): DType | undefined {
  // By constructor first (one lookup: tensor(Float32Array) is a hot path), then by instanceof for
  // subclasses (a Node Buffer is a Uint8Array).
  const exact = BY_STORAGE.get(arr.constructor);
  if (exact !== undefined) return exact;
  if (arr instanceof Uint8ClampedArray) return 'uint8';
  return DTYPES.find((d) => !isBool(d) && arr instanceof info(d).storage);
}
const BY_STORAGE = new Map<unknown, DType>([...DTYPES.filter((d) => !isBool(d)).map((d) => [info(d).storage, d] as const), [Uint8ClampedArray, 'uint8']]);
