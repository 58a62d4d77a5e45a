/**
 * Scans and sorting: `cumsum cumprod cummax cummin` (the `scan` kernels of the op table) and `argsort`
 * (its `sort` kernel), with the composites built on them: `sort`, `topk`, `median`, `quantile`,
 * `searchsorted`, and the eager `unique`. Order is numpy's: stable, NaN after everything, -0 equal to +0.
 */
import type { DType, Summed } from './dtype.js';
import { allocate, isBool, isFloat, promote } from './dtype.js';
import { ShapeError, TensorError } from './errors.js';
import { makeNode } from './graph.js';
import type { ReduceDef, ScanName } from './ops.js';
import { OPS } from './ops.js';
import type { ScanArg, SortArg } from './scanops.js';
import { setScanAdjoints } from './scanops.js';
import { describe, fmtShape, normAxis, readArray } from './shape.js';
import { moveaxis } from './shape-helpers.js';
import type { NestedArray } from './tensor.js';
import { addMethods, iota, stack, Tensor, toOperand, where } from './tensor.js';
import { tensor, zeros } from './create.js';

/** quantile(q) with an array q: one slice of the sorted rows per entry, so a bounded number of them. */
const MAX_QUANTILES = 1024;

/** Positions are int32: a row longer than this cannot be argsorted. */
const MAX_ROW = 2 ** 31 - 1;

/** cumsum & co. along `axis` (numpy: none flattens first). */
function scan(op: ScanName, t: Tensor, axis?: number): Tensor {
  if (axis === undefined || axis === null) return scan(op, t.flatten(), 0);
  const a = normAxis(op, axis, t.ndim, t.shape);
  const red: ReduceDef = OPS[OPS[op].of];
  const x = isBool(t.dtype) && red.boolAsInt ? t.cast('int32') : t;
  const out = red.out(x.dtype, x.shape[a]);
  const arg: ScanArg = { axis: a };
  return new Tensor(makeNode(op, [x.node], x.shape, out, arg as never));
}

interface SortOptions { descending?: boolean }

function sortOptions(op: string, opts: unknown): boolean {
  if (opts === undefined) return false;
  if (typeof opts !== 'object' || opts === null) throw new TensorError(`${op}: options must be an object like { descending: true }, got ${describe(opts)}`);
  const d = (opts as SortOptions).descending;
  if (d !== undefined && typeof d !== 'boolean') throw new TensorError(`${op}: descending must be a boolean, got ${describe(d)}`);
  return d === true;
}

/** Positions sorting `t` along `axis` (stable), int32. */
function argsort(t: Tensor, axis = -1, opts?: SortOptions): Tensor {
  const descending = sortOptions('argsort', opts);
  const a = normAxis('argsort', axis, t.ndim, t.shape);
  if (t.shape[a] > MAX_ROW) throw new ShapeError(`argsort: axis ${a} of ${fmtShape(t.shape)} is longer than 2^31 - 1, the most int32 positions can address`);
  const last = t.ndim - 1;
  const x = a === last ? t : moveaxis(t, a, last);
  const arg: SortArg = { descending };
  const r = new Tensor(makeNode('argsort', [x.node], x.shape, 'int32', arg as never));
  return a === last ? r : moveaxis(r, last, a);
}

function sort(t: Tensor, axis = -1, opts?: SortOptions): Tensor {
  const a = normAxis('sort', axis, t.ndim, t.shape);
  return t.takeAlongAxis(argsort(t, a, opts), a);
}

/** The k largest (or smallest) along `axis`, in order, with their positions: [values, indices]. */
function topk(t: Tensor, k: number, axis = -1, opts: { largest?: boolean } = {}): [Tensor, Tensor] {
  const a = normAxis('topk', axis, t.ndim, t.shape);
  if (typeof opts !== 'object' || opts === null) throw new TensorError(`topk: options must be an object like { largest: false }, got ${describe(opts)}`);
  const { largest = true } = opts;
  if (typeof largest !== 'boolean') throw new TensorError(`topk: largest must be a boolean, got ${describe(largest)}`);
  if (!Number.isInteger(k) || k < 0 || k > t.shape[a]) {
    throw new ShapeError(`topk: k must be an integer from 0 to ${t.shape[a]} (the length of axis ${a} of ${fmtShape(t.shape)}), got ${describe(k)}`);
  }
  const idx = argsort(t, a, { descending: largest }).slice(t.shape.map(() => 0), t.shape.map((d, i) => (i === a ? k : d)));
  return [t.takeAlongAxis(idx, a), idx];
}

/** `t` sorted along `axis` and moved last, checked non-empty, for the order statistics. */
function sortedRows(op: string, t: Tensor, axis: number | undefined): { s: Tensor; n: number; a: number | undefined } {
  if (axis === undefined) return { ...sortedRows(op, t.flatten(), 0), a: undefined };
  const a = normAxis(op, axis, t.ndim, t.shape);
  const n = t.shape[a];
  if (n === 0) throw new ShapeError(`${op}: axis ${a} of ${fmtShape(t.shape)} is empty; the ${op} of nothing is undefined`);
  const x = isFloat(t.dtype) ? t : t.cast('float64');
  return { s: moveaxis(sort(x, a), a, -1), n, a };
}

/** Element p along the last axis of `s`, the axis dropped. */
const nth = (s: Tensor, p: number): Tensor => s.at('...', p);

/** Where a row holds a NaN (sorted last), NaN: numpy's order statistics propagate it. */
const nanWhere = (s: Tensor, n: number, v: Tensor): Tensor => where(nth(s, n - 1).isnan(), NaN, v);

function keep(r: Tensor, t: Tensor, a: number | undefined, keepdims: boolean): Tensor {
  if (!keepdims) return r;
  return a === undefined ? r.reshape(t.shape.map(() => 1)) : r.unsqueeze(a);
}

/** numpy `median`: the middle element, or the mean of the two middle ones (in the dtype: float32 stays float32). */
function median(t: Tensor, axis?: number, keepdims = false): Tensor {
  const { s, n, a } = sortedRows('median', t, axis);
  const mid = n % 2 ? nth(s, (n - 1) / 2) : nth(s, n / 2 - 1).add(nth(s, n / 2)).div(2);
  return keep(nanWhere(s, n, mid), t, a, keepdims);
}

/** numpy `quantile` (method 'linear'), q a number or an array of them in [0, 1] (an array adds a leading axis). */
function quantile(t: Tensor, q: number | readonly number[], axis?: number, keepdims = false): Tensor {
  const list = readArray('quantile', q, MAX_QUANTILES, 'quantiles');
  if (list) {
    if (list.length === 0) throw new ShapeError('quantile: q is an empty list');
    return stack(list.map((p) => quantile(t, p as number, axis, keepdims)), 0);
  }
  if (typeof q !== 'number' || !(q >= 0 && q <= 1)) throw new TensorError(`quantile: q must be a number in [0, 1] or an array of them, got ${describe(q)}`);
  const { s, n, a } = sortedRows('quantile', t, axis);
  // numpy's 'linear' method, the same float operations: the virtual index (n - 1)·q, its floor and the
  // next position (both the last at or past the end, where the weight is then virtual + 1), and _lerp.
  const virtual = (n - 1) * q;
  const above = virtual >= n - 1, below = Math.floor(virtual);
  const g = virtual - (above ? -1 : below);
  const x0 = nth(s, above ? n - 1 : below), x1 = nth(s, above ? n - 1 : below + 1);
  const diff = x1.sub(x0);
  const lerp = g >= 0.5 ? x1.sub(diff.mul(1 - g)) : x0.add(diff.mul(g));
  return keep(nanWhere(s, n, lerp), t, a, keepdims);
}

/**
 * numpy `searchsorted`: for each of `values`, the position in the sorted 1-D `t` where it would be
 * inserted keeping the order (side 'left': before equal elements, 'right': after), NaN-last order; a
 * binary search per value, fused into whatever reads the positions (int32).
 */
function searchsorted(t: Tensor, values: Tensor | number | NestedArray, opts: { side?: 'left' | 'right' } = {}): Tensor {
  if (t.ndim !== 1) throw new ShapeError(`searchsorted: the sorted tensor must be 1-D, got ${fmtShape(t.shape)}`);
  if (typeof opts !== 'object' || opts === null) throw new TensorError(`searchsorted: options must be an object like { side: 'right' }, got ${describe(opts)}`);
  const { side = 'left' } = opts;
  if (side !== 'left' && side !== 'right') throw new TensorError(`searchsorted: side must be 'left' or 'right', got ${describe(side)}`);
  if (t.shape[0] > MAX_ROW) throw new ShapeError(`searchsorted: ${t.shape[0]} elements; int32 positions address at most 2^31 - 1`);
  const v0 = toOperand('searchsorted', values);
  const v = v0 instanceof Tensor ? v0 : tensor(v0 as number);
  // Compared in the promoted dtype, as numpy does (an int value in a float table compares as a float).
  const d = promote(t.dtype, v.dtype);
  return new Tensor(makeNode('searchsorted', [t.cast(d).node, v.cast(d).node], v.shape, 'int32', { right: side === 'right' } as never));
}

/**
 * numpy `unique` (evaluated now): the sorted distinct values, NaNs as one (numpy 1.24's equal_nan),
 * -0 and +0 as one; with `{ counts: true }`, [values, counts] (int32).
 */
function unique(t: Tensor, opts: { counts?: boolean } = {}): Tensor | [Tensor, Tensor] {
  if (typeof opts !== 'object' || opts === null) throw new TensorError(`unique: options must be an object like { counts: true }, got ${describe(opts)}`);
  const flat = t.flatten();
  const order = argsort(flat).data() as Int32Array;
  const x = flat.data();
  const values: number[] = [], counts: number[] = [];
  for (let i = 0; i < order.length; i++) {
    const v = x[order[i]];
    const prev = values.length ? values[values.length - 1] : undefined;
    if (prev !== undefined && (prev === v || (prev !== prev && v !== v))) counts[counts.length - 1]++;
    else { values.push(v); counts.push(1); }
  }
  const out = allocate(t.dtype, values.length);
  values.forEach((v, i) => { out[i] = v; });
  const u = tensor(out as never, { shape: [values.length], dtype: t.dtype });
  return opts.counts ? [u, tensor(Int32Array.from(counts))] : u;
}

declare module './tensor.js' {
  interface Tensor<D extends DType = DType> {
    /** Running sum along `axis` (numpy `cumsum`; no axis: of the flattened tensor). float32 accumulates in float64; ints give float64. */
    cumsum(axis?: number): Tensor<Summed<D>>;
    /** Running product (numpy `cumprod`). */
    cumprod(axis?: number): Tensor<Summed<D>>;
    /** Running maximum (numpy `maximum.accumulate`), NaN propagating. */
    cummax(axis?: number): Tensor<D>;
    /** Running minimum (numpy `minimum.accumulate`). */
    cummin(axis?: number): Tensor<D>;
    /** Sorted along `axis` (stable; NaN last, also with `descending`). */
    sort(axis?: number, opts?: { descending?: boolean }): Tensor<D>;
    /** int32 positions that sort along `axis` (numpy `argsort(kind='stable')`). */
    argsort(axis?: number, opts?: { descending?: boolean }): Tensor<'int32'>;
    /** The k largest (`largest: false`: smallest) along `axis`, in order: [values, int32 indices]. */
    topk(k: number, axis?: number, opts?: { largest?: boolean }): [Tensor<D>, Tensor<'int32'>];
    /** numpy `median` (NaN if the slice has one). */
    median(axis?: number, keepdims?: boolean): Tensor<Summed<D>>;
    /** numpy `quantile` with linear interpolation; q in [0, 1], or an array of them (a leading axis). */
    quantile(q: number | readonly number[], axis?: number, keepdims?: boolean): Tensor<Summed<D>>;
    /** numpy `searchsorted` on this sorted 1-D tensor: int32 insertion positions of `values`. */
    searchsorted(values: Tensor | number | NestedArray, opts?: { side?: 'left' | 'right' }): Tensor<'int32'>;
    /** numpy `unique` (evaluated now): the sorted distinct values; with `{ counts: true }`, [values, int32 counts]. */
    unique(opts?: { counts?: false }): Tensor<D>;
    unique(opts: { counts: true }): [Tensor<D>, Tensor<'int32'>];
    unique(opts?: { counts?: boolean }): Tensor<D> | [Tensor<D>, Tensor<'int32'>];
  }
}

addMethods({
  cumsum(this: Tensor, axis?: number) { return scan('cumsum', this, axis); },
  cumprod(this: Tensor, axis?: number) { return scan('cumprod', this, axis); },
  cummax(this: Tensor, axis?: number) { return scan('cummax', this, axis); },
  cummin(this: Tensor, axis?: number) { return scan('cummin', this, axis); },
  sort(this: Tensor, axis?: number, opts?: SortOptions) { return sort(this, axis, opts); },
  argsort(this: Tensor, axis?: number, opts?: SortOptions) { return argsort(this, axis, opts); },
  topk(this: Tensor, k: number, axis?: number, opts?: { largest?: boolean }) { return topk(this, k, axis, opts); },
  median(this: Tensor, axis?: number, keepdims?: boolean) { return median(this, axis, keepdims); },
  quantile(this: Tensor, q: number | readonly number[], axis?: number, keepdims?: boolean) { return quantile(this, q, axis, keepdims); },
  searchsorted(this: Tensor, values: Tensor | number | NestedArray, opts?: { side?: 'left' | 'right' }) { return searchsorted(this, values, opts); },
  unique(this: Tensor, opts?: { counts?: boolean }) { return unique(this, opts); },
});

// ---- derivatives ---------------------------------------------------------------------------------

/** Sum from each position to the end of `axis`. */
const reverseCumsum = (g: Tensor, axis: number): Tensor => g.flip(axis).cumsum(axis).flip(axis);

setScanAdjoints({
  cumsum: (g, n) => reverseCumsum(g, (n.arg as unknown as ScanArg).axis),
  // d y_k / d x_i = y_k / x_i for k >= i: the reverse cumsum of g·y over x (as TensorFlow: at an exact
  // zero of x this divides by zero; the gradient there is then NaN or ±inf).
  cumprod: (g, x, out, n) => reverseCumsum(g.mul(out), (n.arg as unknown as ScanArg).axis).div(x),
  // Each output is one input: the one where the running max (min) was last attained. Positions along
  // the axis where x equals the running value, carried forward by a cummax, say which.
  cumext: (g, x, out, n) => {
    const { axis } = n.arg as unknown as ScanArg;
    const len = x.shape[axis];
    const pos = iota(len, 'int32').reshape(x.shape.map((d, i) => (i === axis ? d : 1))).expand(x.shape.slice());
    // (NaN == NaN is false: a NaN input is where the NaN outputs after it came from.)
    const from = where(x.eq(out).or(x.isnan()), pos, 0).cummax(axis);
    return zeros(x.shape, g.dtype).scatter(axis, from, g, { op: 'add' });
  },
});

