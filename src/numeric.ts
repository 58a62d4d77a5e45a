/**
 * numpy's numeric composites (issue 15), built from op-table primitives in the Tensor API, so they fuse
 * like any elementwise chain or reduction: logaddexp, softplus, isclose/allclose, logsumexp, norm,
 * any/all. This module adds the Tensor methods of the same names (tensor.ts cannot import it: it imports
 * tensor.ts), declared below for TypeScript.
 */
import type { DType, Floating, Promote, Summed } from './dtype.js';
import { floatOf, promote, summedOf } from './dtype.js';
import { ShapeError, TensorError } from './errors.js';
import { describe, fmtShape, normAxes } from './shape.js';
import type { ListDType, Operand } from './tensor.js';
import { addMethods, broadcastTo, constant, Tensor, toOperand, where } from './tensor.js';

/** Ints and bools compute in their float dtype (floatOf, as numpy's float functions), floats keep theirs. */
const toFloat = (t: Tensor): Tensor => t.cast(floatOf(t.dtype));

/**
 * Two operands of a float function, in one float dtype: two tensors promote, then go float (as atan2
 * does: uint16 with int16 is int32, so float64); a JS number becomes a 0-d constant of the tensor's float
 * dtype (a weak scalar, as numpy's Python floats).
 */
function floatPair(op: string, a: Tensor, other: unknown): [Tensor, Tensor] {
  const y = toOperand(op, other);
  if (!(y instanceof Tensor)) { const x = toFloat(a); return [x, constant(Number(y), x.dtype)]; }
  const d = floatOf(promote(a.dtype, y.dtype));
  return [a.cast(d), y.cast(d)];
}

/** The shape after reducing `axes` (kept as 1 when keepdims). */
const reducedShape = (shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] =>
  keepdims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));

/** log(e^a + e^b) without overflow, as numpy: max(a, b) + log1p(e^-|a - b|); equal infinities give themselves. */
export function logaddexp(a: Tensor, b: unknown): Tensor {
  const [x, y] = floatPair('logaddexp', a, b);
  const m = x.maximum(y);
  const e = x.sub(y).abs().neg().exp().log1p();
  // On a tie a + ln 2 (a - b would be NaN for equal infinities); a NaN propagates through maximum.
  return where(x.eq(y), m.add(Math.LN2), m.add(e));
}

/** log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|) (tfjs softplus, numpy logaddexp(x, 0)). */
export function softplus(t: Tensor): Tensor {
  const x = toFloat(t);
  return x.maximum(0).add(x.abs().neg().exp().log1p());
}

export interface IsCloseOptions {
  /** Relative tolerance (default 1e-5, numpy's). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** NaN equals NaN (default false). */
  equalNan?: boolean;
}

function closeOptions(op: string, opts: unknown): Required<IsCloseOptions> {
  if (opts === undefined || opts === null) return { rtol: 1e-5, atol: 1e-8, equalNan: false };
  if (typeof opts !== 'object') throw new TensorError(`${op}: options must be an object like { rtol: 1e-5, atol: 1e-8, equalNan: false }, got ${describe(opts)}`);
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = opts as IsCloseOptions; // each read once
  for (const [name, v] of [['rtol', rtol], ['atol', atol]] as const) {
    if (typeof v !== 'number' || !(v >= 0)) throw new TensorError(`${op}: ${name} must be a non-negative number, got ${describe(v)}`);
  }
  if (typeof equalNan !== 'boolean') throw new TensorError(`${op}: equalNan must be true or false, got ${describe(equalNan)}`);
  return { rtol, atol, equalNan };
}

/**
 * numpy isclose: |a - b| <= atol + rtol·|b| where b is finite, or a == b (so equal infinities are close);
 * with equalNan, two NaNs too. Not symmetric in a and b, as numpy.
 */
export function isclose(a: Tensor, b: unknown, opts?: IsCloseOptions, op = 'isclose'): Tensor {
  const { rtol, atol, equalNan } = closeOptions(op, opts);
  const [x, y] = floatPair(op, a, b);
  const close = x.sub(y).abs().le(y.abs().mul(rtol).add(atol)).and(y.isfinite()).or(x.eq(y));
  return equalNan ? close.or(x.isnan().and(y.isnan())) : close;
}

/** Whether every element is close (isclose, broadcast): a JS boolean, so it evaluates now. */
export function allclose(a: Tensor, b: unknown, opts?: IsCloseOptions): boolean {
  return isclose(a, b, opts, 'allclose').all().item() === true;
}

/**
 * log(Σ e^x) over `axis`, stably: the max m is subtracted first (scipy's logsumexp; an infinite m
 * counts as 0, so all -Inf gives -Inf and a +Inf gives +Inf). Over an empty axis it is log(0) = -Inf.
 */
export function logsumexp(t: Tensor, axis?: number | number[], keepdims = false): Tensor {
  const axes = normAxes('logsumexp', axis, t.shape);
  const x = toFloat(t);
  const out = reducedShape(t.shape, axes, keepdims);
  if (axes.some((a) => t.shape[a] === 0)) return broadcastTo('logsumexp', constant(-Infinity, x.dtype), out);
  const m = x.max(axes, true);
  const shift = m.isfinite().where(m, 0);
  return x.sub(shift).exp().sum(axes, true).log().add(shift).reshape(out);
}

/** `any` is the max of bools (some element is nonzero; false over nothing), `all` their min (every element is; true over nothing). */
const ANY_ALL = { any: { of: 'max', empty: 0 }, all: { of: 'min', empty: 1 } } as const;

/** `any` or `all` (see ANY_ALL), bool. */
export function anyAll(op: keyof typeof ANY_ALL, t: Tensor, axis?: number | number[], keepdims = false): Tensor {
  const { of, empty } = ANY_ALL[op];
  const axes = normAxes(op, axis, t.shape);
  if (axes.some((a) => t.shape[a] === 0)) return broadcastTo(op, constant(empty, 'bool'), reducedShape(t.shape, axes, keepdims));
  return t.cast('bool')[of](axes, keepdims); // NaN is true, as numpy
}

export type NormOrd = number | 'fro';

/**
 * numpy.linalg.norm. Vector norms (one axis, or a 1-D tensor): ord 2 (default) sqrt(Σx²), 1 Σ|x|,
 * Infinity max|x|, -Infinity min|x|, 0 the count of nonzeros, any other p (Σ|x|^p)^(1/p). Matrix norms
 * (two axes, or a 2-D tensor): 'fro' (default) sqrt(Σx²), 1 / -1 the max / min column sum of |x|,
 * Infinity / -Infinity the max / min row sum. With no ord and no axis: sqrt(Σx²) over everything.
 */
export function norm(t: Tensor, ord?: NormOrd | null, axis?: number | number[] | null, keepdims = false): Tensor {
  if (ord !== undefined && ord !== null && ord !== 'fro' && (typeof ord !== 'number' || ord !== ord)) {
    throw new TensorError(`norm: ord must be a number, Infinity, -Infinity or 'fro', got ${describe(ord)}`);
  }
  const axes = axis === undefined || axis === null ? [...t.shape.keys()] : normAxes('norm', axis, t.shape);
  const x = t.cast(summedOf(t.dtype)); // ints and bools in float64, as numpy's norm
  const out = reducedShape(t.shape, axes, keepdims);
  const euclid = () => x.mul(x).sum(axes, true).sqrt().reshape(out);
  if (ord === undefined || ord === null) return euclid();
  const given = axis === undefined || axis === null ? t.ndim : axes.length;
  const empty = axes.some((a) => t.shape[a] === 0);
  const refuseEmpty = () => {
    if (empty) throw new ShapeError(`norm: ord ${ord} of an empty axis of ${fmtShape(t.shape)} is undefined (a max or min of nothing)`);
  };
  if (given === 1) {
    if (ord === 'fro') throw new TensorError(`norm: 'fro' is a matrix norm; give two axes or a 2-D tensor (for vectors use ord 2)`);
    const abs = x.abs();
    if (ord === Infinity || ord === -Infinity) {
      refuseEmpty();
      return (ord > 0 ? abs.max(axes, keepdims) : abs.min(axes, keepdims));
    }
    if (ord === 0) return x.ne(0).cast(x.dtype).sum(axes, keepdims);
    if (ord === 1) return abs.sum(axes, keepdims);
    if (ord === 2) return euclid();
    return abs.pow(ord).sum(axes, keepdims).pow(1 / ord);
  }
  if (given === 2) {
    if (ord === 'fro') return euclid();
    // The given order matters here ([1, 0] swaps rows and columns); normAxes sorted them.
    const [rows, cols] = Array.isArray(axis) ? axis.map((a) => (a < 0 ? a + t.ndim : a)) : axes;
    const abs = x.abs();
    if (ord === 1 || ord === -1 || ord === Infinity || ord === -Infinity) {
      refuseEmpty();
      // 1: sum down each column (over the row axis), then the largest; Infinity: the same for rows.
      const [sumAxis, pickAxis] = ord === 1 || ord === -1 ? [rows, cols] : [cols, rows];
      const sums = abs.sum(sumAxis, true);
      return (ord > 0 ? sums.max(pickAxis, true) : sums.min(pickAxis, true)).reshape(out);
    }
    throw new TensorError(`norm: matrix ord ${ord} is not supported (2, -2 and 'nuc' need singular values); use 'fro', 1, -1, Infinity or -Infinity`);
  }
  throw new ShapeError(`norm: ord ${ord} needs one axis (a vector norm) or two (a matrix norm), got ${given} of ${fmtShape(t.shape)}; give axis`);
}

declare module './tensor.js' {
  interface Tensor<D extends DType = DType> {
    /** log(e^this + e^other), stably (numpy logaddexp). */
    logaddexp<O extends Operand>(other: O): Tensor<Floating<O extends Tensor<infer E> ? Promote<D, E> : O extends number | boolean ? D : Promote<D, ListDType<O>>>>;
    /** log(1 + e^x), stably. */
    softplus(): Tensor<Floating<D>>;
    /** numpy isclose, elementwise (bool). */
    isclose(other: Operand, opts?: IsCloseOptions): Tensor<'bool'>;
    /** Whether every element is close: a JS boolean (evaluates now). */
    allclose(other: Operand, opts?: IsCloseOptions): boolean;
    /** log(Σ e^x) over `axis`, stably. */
    logsumexp(axis?: number | number[], keepdims?: boolean): Tensor<Floating<D>>;
    /** numpy.linalg.norm: vector and matrix norms (see norm in numeric.ts). */
    norm(ord?: NormOrd | null, axis?: number | number[] | null, keepdims?: boolean): Tensor<Summed<D>>;
    /** Whether some element is nonzero (NaN counts), over `axis`; false over nothing. */
    any(axis?: number | number[], keepdims?: boolean): Tensor<'bool'>;
    /** Whether every element is nonzero, over `axis`; true over nothing. */
    all(axis?: number | number[], keepdims?: boolean): Tensor<'bool'>;
  }
}

addMethods({
  logaddexp(this: Tensor, other: Operand) { return logaddexp(this, other); },
  softplus(this: Tensor) { return softplus(this); },
  isclose(this: Tensor, other: Operand, opts?: IsCloseOptions) { return isclose(this, other, opts); },
  allclose(this: Tensor, other: Operand, opts?: IsCloseOptions) { return allclose(this, other, opts); },
  logsumexp(this: Tensor, axis?: number | number[], keepdims = false) { return logsumexp(this, axis, keepdims); },
  norm(this: Tensor, ord?: NormOrd | null, axis?: number | number[] | null, keepdims = false) { return norm(this, ord, axis, keepdims); },
  any(this: Tensor, axis?: number | number[], keepdims = false) { return anyAll('any', this, axis, keepdims); },
  all(this: Tensor, axis?: number | number[], keepdims = false) { return anyAll('all', this, axis, keepdims); },
});
