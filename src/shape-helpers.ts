/**
 * numpy's shape helpers (issue 15), built from the movement primitives, so that each is a view or fused
 * index math where it can be:
 *   views (no copy): split, swapaxes, moveaxis, diagonal (strides), meshgrid (broadcasts);
 *   fused selects: roll (and Tensor.pad's modes edge/reflect/symmetric/wrap) — each axis's index map
 *     (numpy's definition, padding.ts) is cut into runs of consecutive, reversed or repeated source
 *     indices, each run a slice, flip or broadcast of the input, joined by concat (tensor.ts remap);
 *   tile, repeat: a broadcast reshaped, a view when strides can express it, else one copy (numpy copies);
 *   masks: tril, triu, diag of a vector (a where over index comparisons); trace = diagonal().sum(-1).
 * This module adds the Tensor methods (split ... clone); tensor.ts cannot import it (it imports tensor.ts).
 */
import { ShapeError, TensorError } from './errors.js';
import { freshNode, makeNode } from './graph.js';
import type { View } from './shape.js';
import { describe, fmtShape, MAX_NDIM, normAxis, readArray } from './shape.js';
import type { ArithOf, Lone, Operand, Resolve } from './tensor.js';
import { rollRuns } from './padding.js';
import { addMethods, constant, fromView, iota, remap, Tensor, toOperand, viewing, viewOf, where } from './tensor.js';
import type { DType, Summed } from './dtype.js';
import { isBool, scalarDType } from './dtype.js';

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** A list of integers (or one), read once. */
function ints(op: string, what: string, v: unknown): number[] {
  const list = readArray(op, v, MAX_NDIM, what) ?? [v];
  if (!list.every(isInt)) throw new TensorError(`${op}: ${what} must be integers, got ${describe(v)}`);
  return list;
}

/** The most pieces split makes (each is a Tensor object). */
const MAX_PIECES = 1 << 20;

/**
 * numpy split: `n` equal sections along `axis` (n must divide its length), or the pieces between the
 * given indices (`[2, 5]`: [:2], [2:5], [5:]). Each piece is a view.
 */
export function split(t: Tensor, sections: number | readonly number[], axis = 0): Tensor[] {
  const ax = normAxis('split', axis, t.ndim, t.shape);
  const len = t.shape[ax];
  let cuts: number[];
  if (typeof sections === 'number') {
    if (!isInt(sections) || sections <= 0) throw new TensorError(`split: the number of sections must be a positive integer, got ${describe(sections)}`);
    if (sections > MAX_PIECES) throw new TensorError(`split: ${sections} sections; at most ${MAX_PIECES} pieces are made`);
    if (len % sections !== 0) throw new ShapeError(`split: axis ${ax} of ${fmtShape(t.shape)} (length ${len}) does not divide into ${sections} equal sections`);
    cuts = Array.from({ length: sections - 1 }, (_, i) => ((i + 1) * len) / sections);
  } else {
    const list = readArray('split', sections, MAX_PIECES - 1, 'indices');
    if (!list || !list.every(isInt)) throw new TensorError(`split: expected a number of sections or an array of integer indices, got ${describe(sections)}`);
    // numpy: negative indices count from the end; out-of-range ones clamp (giving empty pieces).
    cuts = list.map((i) => Math.min(Math.max(i < 0 ? i + len : i, 0), len));
  }
  const bounds = [0, ...cuts, len];
  // Piece i is [bounds[i], bounds[i + 1]), empty when the indices decrease (numpy).
  return bounds.slice(1).map((end, i) => {
    const start = bounds[i];
    return t.slice(t.shape.map((_, d) => (d === ax ? start : null)), t.shape.map((_, d) => (d === ax ? Math.max(start, end) : null)));
  });
}

/** numpy swapaxes: a transposed view. */
export function swapaxes(t: Tensor, a: number, b: number): Tensor {
  const i = normAxis('swapaxes', a, t.ndim, t.shape), j = normAxis('swapaxes', b, t.ndim, t.shape);
  const perm = [...t.shape.keys()];
  [perm[i], perm[j]] = [perm[j], perm[i]];
  return t.transpose(perm);
}

/** numpy moveaxis: the axes in `source` end up at `destination`, the others keep their order. A view. */
export function moveaxis(t: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
  const src = ints('moveaxis', 'source axes', source).map((a) => normAxis('moveaxis', a, t.ndim, t.shape));
  const dst = ints('moveaxis', 'destination axes', destination).map((a) => normAxis('moveaxis', a, t.ndim, t.shape));
  if (src.length !== dst.length) throw new ShapeError(`moveaxis: ${src.length} source axes but ${dst.length} destinations`);
  if (new Set(src).size !== src.length || new Set(dst).size !== dst.length) throw new ShapeError(`moveaxis: repeated axis in ${describe(source)} or ${describe(destination)}`);
  const order = [...t.shape.keys()].filter((a) => !src.includes(a));
  const moves = dst.map((d, i) => [d, src[i]] as const).sort((x, y) => x[0] - y[0]);
  for (const [d, s] of moves) order.splice(d, 0, s);
  return t.transpose(order);
}

/** The View of a diagonal: axes a1, a2 replaced by one last axis stepping both at once. */
function diagonalView(v: View, offset: number, a1: number, a2: number): View {
  const n1 = v.shape[a1], n2 = v.shape[a2];
  const k = Math.max(0, offset >= 0 ? Math.min(n1, n2 - offset) : Math.min(n1 + offset, n2));
  const keep = [...v.shape.keys()].filter((d) => d !== a1 && d !== a2);
  const start = k === 0 ? 0 : offset >= 0 ? offset * v.strides[a2] : -offset * v.strides[a1];
  return {
    shape: [...keep.map((d) => v.shape[d]), k],
    strides: [...keep.map((d) => v.strides[d]), k === 1 ? 0 : v.strides[a1] + v.strides[a2]],
    offset: v.offset + start,
  };
}

/** numpy diagonal(offset, axis1, axis2): a view whose last axis walks the diagonal. */
export function diagonal(t: Tensor, offset = 0, axis1 = 0, axis2 = 1): Tensor {
  if (t.ndim < 2) throw new ShapeError(`diagonal: needs at least 2 dims, got ${fmtShape(t.shape)}`);
  if (!isInt(offset)) throw new TensorError(`diagonal: offset must be an integer, got ${describe(offset)}`);
  const a1 = normAxis('diagonal', axis1, t.ndim, t.shape), a2 = normAxis('diagonal', axis2, t.ndim, t.shape);
  if (a1 === a2) throw new ShapeError(`diagonal: axis1 and axis2 must differ, both are ${a1}`);
  const { base, view } = viewOf(t.node);
  return viewing(t, fromView(base, diagonalView(view, offset, a1, a2), t.dtype), (w) => diagonalView(w, offset, a1, a2));
}

/** numpy trace: the sum along the diagonal (as sum: ints give float64). */
export function trace(t: Tensor, offset = 0, axis1 = 0, axis2 = 1): Tensor {
  return diagonal(t, offset, axis1, axis2).sum(-1);
}

/** Row index minus column index over the last two dims, as [m, 1] - [1, n]. */
function rowMinusCol(m: number, n: number): Tensor {
  return iota(m, 'int32').reshape([m, 1]).sub(iota(n, 'int32').reshape([1, n]));
}

/** What tril and triu keep of `d` = i - j: tril keeps j <= i + k, that is i - j >= -k; triu keeps j >= i + k, i - j <= -k. */
const KEPT = { tril: (d: Tensor, k: number) => d.ge(-k), triu: (d: Tensor, k: number) => d.le(-k) };

/** numpy tril (`lower`) / triu: zeros above (below) the k-th diagonal of the last two dims. */
export function triangle(op: keyof typeof KEPT, t: Tensor, k = 0): Tensor {
  if (!isInt(k)) throw new TensorError(`${op}: k must be an integer, got ${describe(k)}`);
  if (t.ndim === 0) throw new ShapeError(`${op}: needs at least 1 dim, got a 0-d tensor`);
  const n = t.shape[t.ndim - 1], m = t.ndim === 1 ? n : t.shape[t.ndim - 2];
  const keep = KEPT[op](rowMinusCol(m, n), k);
  return where(keep, t, isBool(t.dtype) ? false : 0);
}

/** numpy diag: a vector's values on the k-th diagonal of a square matrix, or a matrix's k-th diagonal (a view). */
export function diag<D extends DType>(v: Tensor<D>, k?: number): Tensor<D>;
export function diag(v: Tensor, k = 0): Tensor {
  if (!(v instanceof Tensor)) throw new TensorError(`diag: expected a Tensor, got ${describe(v)}`);
  if (!isInt(k)) throw new TensorError(`diag: k must be an integer, got ${describe(k)}`);
  if (v.ndim === 2) return diagonal(v, k);
  if (v.ndim !== 1) throw new ShapeError(`diag: needs a 1-D or 2-D tensor, got ${fmtShape(v.shape)}`);
  const n = v.shape[0] + Math.abs(k);
  // Row i holds v[i] (k >= 0: at column i + k); column j holds v[j] (k < 0: at row j - k).
  const padded = v.pad([[0, Math.abs(k)]]);
  const values = k >= 0 ? padded.reshape([n, 1]) : padded.reshape([1, n]);
  return where(rowMinusCol(n, n).eq(-k), values, isBool(v.dtype) ? false : 0);
}

/** numpy outer: every product a[i]·b[j] of the flattened operands. */
/** (a JS array `b` is a tensor of its own, as the first operand is: not weak.) */
export function outer<A extends Operand, B extends Operand>(a: A, b: B): Tensor<ArithOf<Lone<A>, Resolve<B>, 'bool'>>;
export function outer(a: Operand, b: Operand): Tensor {
  const r = toOperand('outer', a);
  const y = toOperand('outer', b);
  const x = (r instanceof Tensor ? r : constant(Number(r), scalarDType(r))).flatten();
  return y instanceof Tensor ? x.reshape([-1, 1]).mul(y.flatten().reshape([1, -1])) : x.reshape([-1, 1]).mul(y);
}

/** numpy meshgrid: each input, flattened, broadcast along its own axis of the grid ('xy': the first two swapped). Views. */
export function meshgrid<T extends readonly Tensor[]>(list: readonly [...T], opts?: { indexing?: 'xy' | 'ij' }): { -readonly [K in keyof T]: Tensor };
export function meshgrid(list: readonly Tensor[], opts: { indexing?: 'xy' | 'ij' } = {}): Tensor[] {
  const ts = readArray('meshgrid', list, MAX_NDIM, 'tensors');
  if (!ts || !ts.every((t) => t instanceof Tensor)) throw new TensorError(`meshgrid: expected an array of tensors, got ${describe(list)}`);
  const indexing = opts?.indexing ?? 'xy';
  if (indexing !== 'xy' && indexing !== 'ij') throw new TensorError(`meshgrid: indexing must be 'xy' or 'ij', got ${describe(indexing)}`);
  const lens = (ts as Tensor[]).map((t) => t.size);
  const axisOf = (i: number) => (indexing === 'xy' && ts.length >= 2 && i < 2 ? 1 - i : i);
  const shape = lens.map((_, a) => lens[ts.findIndex((_t, i) => axisOf(i) === a)]);
  return (ts as Tensor[]).map((t, i) => t.reshape(shape.map((d, a) => (a === axisOf(i) ? d : 1))).expand(shape));
}

/** numpy tile: the tensor repeated reps[i] times along each dim (reps and dims aligned from the right). */
export function tile(t: Tensor, reps: number | readonly number[]): Tensor {
  const r = ints('tile', 'reps', reps);
  if (r.some((x) => x < 0)) throw new TensorError(`tile: reps must be non-negative, got ${describe(reps)}`);
  const nd = Math.max(r.length, t.ndim);
  const rr = [...Array(nd - r.length).fill(1), ...r];
  const x = t.reshape([...Array(nd - t.ndim).fill(1), ...t.shape]);
  // [r0, s0, r1, s1, ...] broadcast, then merged pairwise.
  const wide = x.shape.flatMap((s, i) => [rr[i], s]);
  const merged = x.shape.map((s, i) => s * rr[i]);
  return x.reshape(x.shape.flatMap((s) => [1, s])).expand(wide).reshape(merged);
}

/** numpy repeat: each element repeated n times along `axis` (default: of the flattened tensor). */
export function repeat(t: Tensor, n: number, axis?: number): Tensor {
  if (!isInt(n) || n < 0) throw new TensorError(`repeat: n must be a non-negative integer, got ${describe(n)}`);
  const x = axis === undefined || axis === null ? t.flatten() : t;
  const ax = axis === undefined || axis === null ? 0 : normAxis('repeat', axis, t.ndim, t.shape);
  const wide = x.shape.slice();
  wide.splice(ax + 1, 0, n);
  const merged = x.shape.map((s, i) => (i === ax ? s * n : s));
  return x.unsqueeze(ax + 1).expand(wide).reshape(merged);
}

const mod = (a: number, n: number): number => ((a % n) + n) % n;

/** numpy roll: elements shifted along `axis` (default: the flattened tensor), those pushed off the end coming back at the start. */
export function roll(t: Tensor, shift: number | readonly number[], axis?: number | readonly number[]): Tensor {
  const shifts = ints('roll', 'shifts', shift);
  if (axis === undefined || axis === null) {
    if (shifts.length !== 1) throw new ShapeError(`roll: ${shifts.length} shifts need as many axes`);
    return roll(t.flatten(), shifts[0], 0).reshape(t.shape);
  }
  const axes = ints('roll', 'axes', axis).map((a) => normAxis('roll', a, t.ndim, t.shape));
  if (shifts.length !== axes.length && shifts.length !== 1) throw new ShapeError(`roll: ${shifts.length} shifts for ${axes.length} axes`);
  // A repeated axis adds up its shifts (numpy).
  const total = new Map<number, number>();
  axes.forEach((a, i) => total.set(a, (total.get(a) ?? 0) + shifts[shifts.length === 1 ? 0 : i]));
  let out = t;
  for (const [a, s] of total) {
    const n = t.shape[a];
    if (n === 0 || mod(s, n) === 0) continue;
    out = remap(out, a, rollRuns(n, s));
  }
  return out;
}

/**
 * An independent copy: a node of its own (not hash-consed with another clone), realized into its own
 * buffer, so that writes into either tensor never show in the other.
 */
export function clone(t: Tensor): Tensor {
  if (!(t instanceof Tensor)) throw new TensorError(`clone: expected a Tensor, got ${describe(t)}`);
  return new Tensor(freshNode(makeNode('contiguous', [t.node], t.shape, t.dtype), [t.node]));
}

declare module './tensor.js' {
  interface Tensor<D extends DType = DType> {
    /** numpy split: `n` equal views along `axis`, or the pieces between the given indices. */
    split(sectionsOrIndices: number | readonly number[], axis?: number): Tensor<D>[];
    /** numpy tile: repeated reps[i] times along each dim. */
    tile(reps: number | readonly number[]): Tensor<D>;
    /** Each element `n` times along `axis` (default: of the flattened tensor). */
    repeat(n: number, axis?: number): Tensor<D>;
    /** numpy roll: shifted along `axis` (default: flattened), wrapping around. */
    roll(shift: number | readonly number[], axis?: number | readonly number[]): Tensor<D>;
    swapaxes(a: number, b: number): Tensor<D>;
    moveaxis(source: number | readonly number[], destination: number | readonly number[]): Tensor<D>;
    /** The diagonal along axis1/axis2 as a view (its last axis walks the diagonal). */
    diagonal(offset?: number, axis1?: number, axis2?: number): Tensor<D>;
    trace(offset?: number, axis1?: number, axis2?: number): Tensor<Summed<D>>;
    /** Zeros above the k-th diagonal of the last two dims. */
    tril(k?: number): Tensor<D>;
    /** Zeros below the k-th diagonal of the last two dims. */
    triu(k?: number): Tensor<D>;
    /** An independent copy (its own buffer once evaluated). */
    clone(): Tensor<D>;
  }
}

addMethods({
  split(this: Tensor, sections: number | readonly number[], axis = 0) { return split(this, sections, axis); },
  tile(this: Tensor, reps: number | readonly number[]) { return tile(this, reps); },
  repeat(this: Tensor, n: number, axis?: number) { return repeat(this, n, axis); },
  roll(this: Tensor, shift: number | readonly number[], axis?: number | readonly number[]) { return roll(this, shift, axis); },
  swapaxes(this: Tensor, a: number, b: number) { return swapaxes(this, a, b); },
  moveaxis(this: Tensor, source: number | readonly number[], destination: number | readonly number[]) { return moveaxis(this, source, destination); },
  diagonal(this: Tensor, offset = 0, axis1 = 0, axis2 = 1) { return diagonal(this, offset, axis1, axis2); },
  trace(this: Tensor, offset = 0, axis1 = 0, axis2 = 1) { return trace(this, offset, axis1, axis2); },
  tril(this: Tensor, k = 0) { return triangle('tril', this, k); },
  triu(this: Tensor, k = 0) { return triangle('triu', this, k); },
  clone(this: Tensor) { return clone(this); },
});
