/**
 * The references of the scans (cumsum, cumprod, cummax, cummin) and of argsort: the semantics the C
 * kernels of codegen/scan.ts and codegen/sort.ts are held to.
 *
 * A scan's output at position k along its axis folds the line's elements 0..k in order, with the
 * accumulator of the reduction it runs (reduction.ts), so a float32 cumsum accumulates in float64 and
 * rounds each output once and a float64 cumsum is compensated. A long scan of one line (the layout
 * below) is cut into chunks so threads can share it: each chunk's total is folded from a fresh
 * accumulator, the totals are merged in order into each chunk's carry, and each chunk then folds its
 * elements onto its carry. Chunks depend on the length only, never on the thread count, and the
 * reference walks the same chunks, so both backends give the same bits. A chunk's total is folded the
 * way a reduction's lanes are (reduction.ts: lanesOf(dtype) accumulators by position, merged in order),
 * so that pass is a vector loop.
 */
import type { DType, Storage } from './dtype.js';
import { allocate, isFloat, toDType } from './dtype.js';
import { TensorError } from './errors.js';
import type { Node } from './graph.js';
import type { Fold } from './reduction.js';
import { CHUNKED_MIN, CHUNKS, COMPENSATED_SUM, laned, lanesOf, WIDE_SUM } from './reduction.js';
import { sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

export type ScanOf = 'sum' | 'prod' | 'max' | 'min';
export interface ScanArg { axis: number }
export interface SortArg { descending: boolean }

export interface ScanLayout {
  /** Elements along the axis (the line length). */
  length: number;
  /** Product of the dims after the axis: lines that are side by side in memory. */
  inner: number;
  /** Product of the dims before the axis. */
  outer: number;
  /** Chunks the one line is cut into (0: one pass). */
  chunks: number;
}

export function scanLayout(shape: readonly number[], axis: number): ScanLayout {
  const length = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1)), outer = sizeOf(shape.slice(0, axis));
  return { length, inner, outer, chunks: inner * outer === 1 && length >= CHUNKED_MIN ? Math.min(CHUNKS, length) : 0 };
}

/** Chunk c of a line of `length` cut into `chunks`: [floor(c·n/chunks), floor((c+1)·n/chunks)). */
export const chunkBounds = (c: number, length: number, chunks: number): [number, number] =>
  [Math.floor((c * length) / chunks), Math.floor(((c + 1) * length) / chunks)];

/**
 * The running accumulator of a scan over elements of dtype `d` (after a bool was cast to int32 where
 * the reduction counts bools), the same steps and roundings as the C accumulator.
 */
function scanFold(of: ScanOf, d: DType, length: number): Fold {
  if (of === 'max' || of === 'min') {
    const pick = of === 'max' ? Math.max : Math.min; // NaN propagates, ±0 settled as IEEE maximum/minimum
    return { init: () => [of === 'max' ? -Infinity : Infinity], step: (a, x) => { a[0] = pick(a[0], x); }, merge: (a, o) => { a[0] = pick(a[0], o[0]); }, result: ([v]) => v };
  }
  if (isFloat(d) && of === 'sum') return d === 'float64' ? COMPENSATED_SUM : WIDE_SUM;
  if (isFloat(d)) {
    // A plain running product (the op table's cumprod entry says why it has no zero flag).
    const round = d === 'float32' ? Math.fround : (x: number) => x;
    return { init: () => [1], step: (a, x) => { a[0] = round(a[0] * x); }, merge: (a, o) => { a[0] = round(a[0] * o[0]); }, result: ([p]) => p };
  }
  // Integers: exact 64-bit sums (a double holds them while |sum| < 2^53: lines shorter than 2^22 int32s),
  // products wrapping modulo 2^64 as numpy's int64; each output is the 64-bit value rounded to float64.
  if (of === 'sum' && length < 2 ** 22) return { init: () => [0], step: (a, x) => { a[0] += x; }, merge: (a, o) => { a[0] += o[0]; }, result: ([s]) => s };
  return bigFold(of);
}

/** A 64-bit integer accumulator held as a BigInt in a one-element array (Fold's state is numbers, so boxed). */
function bigFold(of: 'sum' | 'prod'): Fold {
  const big = new WeakMap<number[], bigint>();
  const get = (a: readonly number[]) => big.get(a as number[]) ?? (of === 'sum' ? 0n : 1n);
  const combine = (x: bigint, y: bigint) => BigInt.asIntN(64, of === 'sum' ? x + y : x * y);
  return {
    init: () => [0],
    step: (a, x) => { big.set(a, combine(get(a), BigInt(x))); },
    merge: (a, o) => { big.set(a, combine(get(a), get(o))); },
    result: (a) => Number(get(a)),
  };
}

/** cumsum & co. along `arg.axis` of `x` (the node's source), in the order the module comment gives. */
export function scanRef(n: Node, x: Storage, of: ScanOf): Storage {
  const { axis } = n.arg as unknown as ScanArg;
  const out = allocate(n.dtype, sizeOf(n.shape));
  const { length, inner, outer, chunks } = scanLayout(n.shape, axis);
  const fold = scanFold(of, n.src[0].dtype, length);
  const put = (i: number, acc: number[]) => { out[i] = toDType(fold.result(acc), n.dtype); };
  if (chunks) {
    const copy = (a: readonly number[]) => { const c = fold.init(); fold.merge(c, a); return c; };
    let carry = fold.init();
    for (let c = 0; c < chunks; c++) {
      const [lo, hi] = chunkBounds(c, length, chunks);
      const total = laned(x, lo, hi, lanesOf(n.src[0].dtype), length, fold);
      const acc = copy(carry);
      for (let i = lo; i < hi; i++) { fold.step(acc, x[i]); put(i, acc); }
      fold.merge(carry, total);
    }
    return out;
  }
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const acc = fold.init();
      for (let r = 0, i = o * length * inner + j; r < length; r++, i += inner) { fold.step(acc, x[i]); put(i, acc); }
    }
  }
  return out;
}

/**
 * Positions that sort each last-axis row of `x` stably (ties keep their order): ascending, or with
 * `descending` from the largest; NaN last either way, -0 equal to +0 (numpy's order).
 */
export function argsortRef(n: Node, x: Storage): Storage {
  const { descending } = n.arg as unknown as SortArg;
  const shape = n.shape, len = shape.length ? shape[shape.length - 1] : 1;
  const out = allocate(n.dtype, sizeOf(shape));
  const rows = len === 0 ? 0 : sizeOf(shape) / len;
  const sign = descending ? -1 : 1;
  const order = (a: number, b: number): number => {
    if (a !== a) return b !== b ? 0 : 1;
    if (b !== b) return -1;
    return a < b ? -sign : a > b ? sign : 0;
  };
  const idx = Array.from({ length: len }, (_, i) => i);
  for (let r = 0; r < rows; r++) {
    const base = r * len;
    for (let i = 0; i < len; i++) idx[i] = i;
    idx.sort((i, j) => order(x[base + i], x[base + j]) || i - j); // Array.prototype.sort is stable; i - j says so anyway
    for (let i = 0; i < len; i++) out[base + i] = idx[i];
  }
  return out;
}

/** Binary search of each value in the sorted 1-D source 0, in NaN-last order (see the op table's entry). */
export function searchsortedRef(n: Node, a: Storage, v: Storage): Storage {
  const right = (n.arg as unknown as { right: boolean }).right;
  const out = allocate(n.dtype, v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    let lo = 0, hi = a.length;
    while (lo < hi) {
      const m = lo + ((hi - lo) >> 1), e = a[m];
      if (right ? e <= x || x !== x : e < x || (x !== x && e === e)) lo = m + 1;
      else hi = m;
    }
    out[i] = lo;
  }
  return out;
}

/** The derivatives of the scans, written with Tensor methods: scans.ts (which has them) installs them. */
export interface ScanAdjoints {
  cumsum(g: Tensor, n: Node): Tensor;
  cumprod(g: Tensor, x: Tensor, out: Tensor, n: Node): Tensor;
  /** cummax and cummin. */
  cumext(g: Tensor, x: Tensor, out: Tensor, n: Node): Tensor;
}
let adjoints: ScanAdjoints | undefined;
export function setScanAdjoints(a: ScanAdjoints): void { adjoints = a; }
export function scanAdjoints(): ScanAdjoints {
  if (!adjoints) throw new TensorError('grad: the scans module is not loaded (import tensorfuse from its package entry)');
  return adjoints;
}
