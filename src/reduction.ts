import type { DType } from './dtype.js';
import { BYTES } from './dtype.js';

/**
 * The order of a reduction's steps, one definition for the C backend and the reference. A float sum or
 * product rounds differently in another order, so both backends take the steps in this order, and the
 * result is the same bits on either, for every thread count, fused or not, eval or evalAsync:
 *
 * - column: when the input's last axis is kept and longer than 1 (a column sum), each result folds its
 *   elements one after another, in row-major order of the reduced axes (the C code vectorizes across
 *   the columns instead).
 * - lanes: otherwise, when the innermost reduced axis has at least L = lanesOf(dtype) elements (16 for
 *   float32, 8 for float64), the element at position p along it (counted from where its loop starts)
 *   goes to lane p mod L; each lane folds its elements in order, and the lanes are merged, 0 first, into
 *   a fresh accumulator. This is what a vector loop computes, written out (with fewer elements along
 *   the axis: one after another).
 * - chunks: a reduction to one value of at least CHUNKED_MIN elements cuts its first reduced axis of
 *   length n into min(CHUNKS, n) chunks, chunk c being [floor(c·n/chunks), floor((c+1)·n/chunks)); each
 *   chunk folds as above, and the chunks are merged in order. Threads take whole chunks, so the thread
 *   count decides only which thread computes a chunk.
 */

/** Lanes of a vectorized reduction loop over elements of `d`: 16 (float32: one AVX-512 vector), 8 for float64. */
export const lanesOf = (d: DType): number => (BYTES[d] === 8 ? 8 : 16);
/** Chunks a large reduction to one value is cut into (at least the most threads a program uses). */
export const CHUNKS = 64;
/** Elements from which a reduction to one value is chunked (and so can be split across threads). */
export const CHUNKED_MIN = 1 << 18;

export interface ReductionLayout {
  /** The last input axis is kept: each result folds its elements in order (no lanes). */
  column: boolean;
  /** lanesOf(dtype), or 1 for one after another. */
  lanes: number;
  /** Chunks of the first reduced axis (0: not chunked). */
  chunks: number;
}

/**
 * How a reduction over `axes` (ascending) of `shape` is ordered. `mergeable`: the op can merge two
 * partial accumulators (sum, prod, max, min; not argmax, whose steps need the element's position).
 * `orderFree`: every order gives the same result (an integer sum), so no lanes are needed: the C loop
 * is vectorized by the compiler as it likes (its chunks still let threads split it).
 */
export function reductionLayout(shape: readonly number[], axes: readonly number[], d: DType, mergeable: boolean, orderFree = false): ReductionLayout {
  const last = shape.length - 1;
  const column = axes.length > 0 && !axes.includes(last) && shape[last] > 1;
  const size = shape.reduce((n, d) => n * d, 1);
  const kept = shape.reduce((n, d, i) => (axes.includes(i) ? n : n * d), 1);
  const inner = axes.length ? shape[axes[axes.length - 1]] : 1;
  return {
    column,
    lanes: mergeable && !orderFree && !column && inner >= lanesOf(d) ? lanesOf(d) : 1,
    chunks: mergeable && !column && kept === 1 && axes.length > 0 && shape[axes[0]] > 1 && size >= CHUNKED_MIN ? Math.min(CHUNKS, shape[axes[0]]) : 0,
  };
}

/**
 * An accumulator as plain numbers, for the reference: the same steps as the op's C code, rounded the
 * same way, so that folding in the same order gives the same bits.
 */
export interface Fold {
  init(): number[];
  step(acc: number[], x: number): void;
  merge(acc: number[], other: readonly number[]): void;
  result(acc: readonly number[]): number;
}

/**
 * The reference's fold of one result's elements `xs` (row-major order of the reduced axes) in the
 * layout's order. `first` and `inner`: lengths of the first and the innermost reduced axis.
 */
export function foldInOrder(xs: readonly number[], layout: ReductionLayout, first: number, inner: number, fold: Fold): number {
  if (!layout.chunks) return fold.result(laned(xs, 0, xs.length, layout.lanes, inner, fold));
  const total = fold.init(), per = xs.length / first, chunks = layout.chunks;
  for (let c = 0; c < chunks; c++) {
    const lo = Math.floor((c * first) / chunks) * per, hi = Math.floor(((c + 1) * first) / chunks) * per;
    fold.merge(total, laned(xs, lo, hi, layout.lanes, inner, fold));
  }
  return fold.result(total);
}

/**
 * Folds xs[lo..hi) into `lanes` accumulators by position ((i - lo) mod inner, mod lanes), each in order,
 * merged in lane order into a fresh one (what a vector loop computes).
 */
export function laned(xs: ArrayLike<number>, lo: number, hi: number, lanes: number, inner: number, fold: Fold): number[] {
  if (lanes === 1) {
    const acc = fold.init();
    for (let i = lo; i < hi; i++) fold.step(acc, xs[i]);
    return acc;
  }
  const lane = Array.from({ length: lanes }, () => fold.init());
  // Within a chunk of a single reduced axis the loop starts at `lo`; otherwise `lo` is a multiple of `inner`.
  for (let i = lo; i < hi; i++) fold.step(lane[((i - lo) % inner) % lanes], xs[i]);
  const acc = fold.init();
  for (const l of lane) fold.merge(acc, l);
  return acc;
}

/**
 * One compensated step: t = s + x rounded, and its exact rounding error (Knuth's TwoSum: no branch, so
 * it vectorizes to 6 adds) added into c. s + c then holds the sum to about twice the precision.
 */
function twoSum(acc: number[], x: number): void {
  const s = acc[0], t = s + x, bp = t - s;
  acc[1] += (s - (t - bp)) + (x - bp);
  acc[0] = t;
}

/**
 * float64 sums: compensated (Neumaier's scheme, each step's error computed exactly by TwoSum),
 * |error| <= ε|Σx| + O(n·ε²)Σ|x| (ε = 2^-53), within 2ε·Σ|x| for any n up to 2^50. An overflowing sum
 * (s not finite) is s, not s + c (which would be NaN).
 */
export const COMPENSATED_SUM: Fold = {
  init: () => [0, 0],
  step: twoSum,
  merge: (acc, o) => { twoSum(acc, o[0]); acc[1] += o[1]; },
  result: ([s, c]) => (Number.isFinite(s) ? s + c : s),
};
/** C of the same: the state, a step over `x`, a merge of `acc_o, comp_o`, the result. */
const cTwoSum = (x: string) => `{ const double t_ = acc + ${x}, b_ = t_ - acc; comp += (acc - (t_ - b_)) + (${x} - b_); acc = t_; }`;
export const C_COMPENSATED_SUM = {
  init: 'double acc = 0, comp = 0;', step: cTwoSum('x'), merge: `${cTwoSum('acc_o')} comp += comp_o;`,
  result: '(isfinite(acc) ? acc + comp : acc)',
};

/** float32 sums: in float64, rounded once; the lanes and chunks keep the error far below float32's ulp. */
export const WIDE_SUM: Fold = {
  init: () => [0],
  step: (acc, x) => { acc[0] += x; },
  merge: (acc, o) => { acc[0] += o[0]; },
  result: ([s]) => Math.fround(s),
};

/**
 * Float products: in the dtype, plus three flags: saw an exact zero, saw an inf or NaN factor, and the
 * parity of the sign bits. With a zero and only finite factors the product is ±0 in any order (a lane
 * that overflowed to inf would otherwise meet the zero and give NaN).
 */
export const product = (round: (x: number) => number): Fold => ({
  init: () => [1, 0, 0, 0],
  step: (acc, x) => {
    acc[0] = round(acc[0] * x);
    if (x === 0) acc[1] = 1;
    if (!Number.isFinite(x)) acc[2] = 1;
    if (x < 0 || Object.is(x, -0)) acc[3] ^= 1;
  },
  merge: (acc, o) => { acc[0] = round(acc[0] * o[0]); acc[1] |= o[1]; acc[2] |= o[2]; acc[3] ^= o[3]; },
  result: ([p, zero, bad, neg]) => (zero && !bad ? (neg ? -0 : 0) : p),
});
export const cProduct = (T: string) => ({
  init: `${T} acc = 1; int zero = 0, bad = 0, neg = 0;`,
  step: `acc *= x; zero |= x == 0; bad |= !(fabs${T === 'float' ? 'f' : ''}(x) < (${T})INFINITY); neg ^= signbit(x) != 0;`,
  merge: 'acc *= acc_o; zero |= zero_o; bad |= bad_o; neg ^= neg_o;',
  result: `(zero && !bad ? (neg ? -(${T})0 : (${T})0) : acc)`,
});
