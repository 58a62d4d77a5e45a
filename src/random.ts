/**
 * numpy's random sampling (issue 15), counter-based like `rand`: value i of a draw is a pure function of
 * (seed, i), so it is the same on every backend, fused or not, on any number of threads.
 *   lazy, from `rand`/`randn` nodes and elementwise ops: randint, uniform, normal, bernoulli, and choice
 *     with replacement and no `p` (a randint of positions, gathered);
 *   eager, computed now in TypeScript from the same stream (uniform53 of rng.ts, which is what a float64
 *     `rand` node computes): permutation(n), choice with `p` or without replacement. A shuffle gathers
 *     its tensor with such a permutation, lazily in the tensor.
 */
import type { DType, DTypeInfo, FloatDType, IntDType } from './dtype.js';
import { checkDType, DTYPE, isBool, isFloat, isInteger } from './dtype.js';
import { DTypeError, ShapeError, TensorError } from './errors.js';
import { rand, randn, tensor } from './create.js';
import { seedKey, uniform53 } from './rng.js';
import { checkShape, describe, fmtShape } from './shape.js';
import type { NestedArray } from './tensor.js';
import { broadcastTo, Tensor, toOperand } from './tensor.js';
import './indexing.js'; // Tensor.take

export interface RandomOptions<E extends DType = DType> {
  /** The same seed gives the same values everywhere. Default: a random seed. */
  seed?: number;
  dtype?: E;
}

export interface ChoiceOptions {
  /** With replacement (the default) or without: then no position is chosen twice. */
  replace?: boolean;
  /** The probability of each position (non-negative, summing to 1). Default: uniform. */
  p?: Tensor | NestedArray;
  seed?: number;
}

/** The options object, each key read once (a getter runs once; its exception passes through). */
function options<K extends string>(op: string, opts: unknown, keys: readonly K[]): Partial<Record<K, unknown>> {
  if (opts === undefined || opts === null) return {};
  if (typeof opts !== 'object') throw new TensorError(`${op}: options must be an object like { seed: 1 }, got ${describe(opts)}`);
  const out: Partial<Record<K, unknown>> = {};
  for (const k of keys) out[k] = (opts as Record<K, unknown>)[k];
  return out;
}

/** An integer seed as the uint32 `rand` uses (seed >>> 0); none: a random one, drawn now. */
function seedOf(op: string, seed: unknown): number {
  if (seed === undefined) return Math.floor(Math.random() * 2 ** 32);
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new TensorError(`${op}: seed must be an integer, got ${describe(seed)}`);
  return seed >>> 0;
}

function finite(op: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TensorError(`${op}: ${what} must be a finite number, got ${describe(v)}`);
  return v;
}

/** The largest value of dtype d below x, and the smallest at or above it (stepping the bits by one). */
const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);
function below(x: number, d: DType): number {
  if (d === 'float32') {
    f32[0] = x;
    if (f32[0] < x) return f32[0];
    if (f32[0] === 0) return -(2 ** -149);
    u32[0] += f32[0] > 0 ? -1 : 1; // toward -Infinity
    return f32[0];
  }
  if (x === 0) return -(2 ** -1074);
  f64[0] = x;
  u64[0] += x > 0 ? -1n : 1n;
  return f64[0];
}
function atOrAbove(x: number, d: DType): number {
  if (d !== 'float32') return x;
  f32[0] = x;
  if (f32[0] >= x) return f32[0];
  if (f32[0] === 0) return 2 ** -149;
  u32[0] += f32[0] > 0 ? 1 : -1; // toward +Infinity
  return f32[0];
}

/** The range [lo, hi) of the integers each dtype holds exactly (an integer dtype: its range; bool: none). */
function intLimit(d: DType): [number, number] | undefined {
  if (isInteger(d)) return [DTYPE[d].min, DTYPE[d].max + 1];
  const exact = (DTYPE[d] as DTypeInfo).exactInts;
  return exact === undefined ? undefined : [-exact, exact];
}

/**
 * numpy `randint`: integers in [low, high) (one bound: [0, low)). floor(u · n) + low with u the 53-bit
 * uniform of a float64 `rand`: each of the n values has probability k / 2^53 with k = ⌊2^53 / n⌋ or
 * ⌈2^53 / n⌉, within 2^-53 of 1 / n (n = high − low ≤ 2^32). It never gives high: u ≤ 1 − 2^-53.
 */
export function randint<E extends IntDType | FloatDType = 'int32'>(low: number, high: number | null | undefined, shape: number | readonly number[], opts?: RandomOptions<E>): Tensor<E> {
  const op = 'randint';
  const o = options(op, opts, ['seed', 'dtype'] as const);
  if (high === undefined || high === null) [low, high] = [0, low];
  if (!Number.isInteger(low) || !Number.isInteger(high)) throw new TensorError(`${op}: low and high must be integers, got ${describe(low)} and ${describe(high)}`);
  if (!(low < high)) throw new TensorError(`${op}: low (${low}) must be less than high (${high})`);
  const dtype = o.dtype === undefined ? 'int32' : checkDType(op, o.dtype);
  const limit = intLimit(dtype);
  if (!limit) throw new DTypeError(`${op}: dtype must be an integer or float dtype, got ${dtype}`);
  if (low < limit[0] || high > limit[1]) throw new TensorError(`${op}: [${low}, ${high}) is outside what ${dtype} holds exactly ([${limit[0]}, ${limit[1]}))`);
  if (high - low > 2 ** 32) throw new TensorError(`${op}: high - low = ${high - low}; at most 2^32 values are drawn from`);
  const s = checkShape(op, shape);
  const u = rand(s, { seed: seedOf(op, o.seed), dtype: 'float64' });
  return u.mul(high - low).floor().add(low).cast(dtype as E);
}

/**
 * numpy `uniform`: floats in [low, high) as low + u · (high − low) in the dtype, clamped to the dtype's
 * values in [low, high) (rounding could otherwise reach high, which numpy allows and we do not).
 */
export function uniform<E extends FloatDType = 'float64'>(low = 0, high = 1, shape: number | readonly number[] = [], opts?: RandomOptions<E>): Tensor<E> {
  const op = 'uniform';
  const o = options(op, opts, ['seed', 'dtype'] as const);
  finite(op, 'low', low);
  finite(op, 'high', high);
  if (!(low < high)) throw new TensorError(`${op}: low (${low}) must be less than high (${high})`);
  if (!Number.isFinite(high - low)) throw new TensorError(`${op}: high - low overflows float64 ([${low}, ${high}))`);
  const dtype = o.dtype === undefined ? 'float64' : checkDType(op, o.dtype);
  if (!isFloat(dtype)) throw new DTypeError(`${op}: dtype must be float32 or float64, got ${dtype}; use randint for integers`);
  const lo = atOrAbove(low, dtype), hi = below(high, dtype);
  if (!(lo <= hi) || !Number.isFinite(lo) || !Number.isFinite(hi)) throw new TensorError(`${op}: no ${dtype} value lies in [${low}, ${high})`);
  const s = checkShape(op, shape);
  const u = rand(s, { seed: seedOf(op, o.seed), dtype: dtype as E });
  return u.mul(high - low).add(low).clip(lo, hi);
}

/** numpy `normal`: mean + std · z, z standard normal (randn's Box–Muller). */
export function normal<E extends FloatDType = 'float64'>(mean = 0, std = 1, shape: number | readonly number[] = [], opts?: RandomOptions<E>): Tensor<E> {
  const op = 'normal';
  const o = options(op, opts, ['seed', 'dtype'] as const);
  finite(op, 'mean', mean);
  finite(op, 'std', std);
  if (std < 0) throw new TensorError(`${op}: std must be non-negative, got ${std}`);
  const dtype = o.dtype === undefined ? 'float64' : checkDType(op, o.dtype);
  if (!isFloat(dtype)) throw new DTypeError(`${op}: dtype must be float32 or float64, got ${dtype}`);
  const s = checkShape(op, shape);
  const z: Tensor = randn(s, { seed: seedOf(op, o.seed), dtype: dtype as E });
  return z.mul(std).add(mean) as Tensor<E>;
}

/**
 * True with probability p (u < p, u the 53-bit uniform): `p` a number in [0, 1], or a tensor that
 * broadcasts to `shape` (default: its own). A tensor's values are not checked (it is lazy): p ≤ 0 is
 * never true, p ≥ 1 always, NaN never.
 */
export function bernoulli(p: number | Tensor | NestedArray, shape?: number | readonly number[], opts?: { seed?: number }): Tensor<'bool'> {
  const op = 'bernoulli';
  const o = options(op, opts, ['seed'] as const);
  const r = toOperand(op, p);
  if (typeof r === 'boolean') throw new TensorError(`${op}: p must be a number or a tensor of probabilities, got ${describe(p)}`);
  if (typeof r === 'number' && !(r >= 0 && r <= 1)) throw new TensorError(`${op}: p must be a probability in [0, 1], got ${describe(p)}`);
  const s = shape === undefined ? (r instanceof Tensor ? r.shape.slice() : []) : checkShape(op, shape);
  const u = rand(s, { seed: seedOf(op, o.seed), dtype: 'float64' });
  return u.lt(r instanceof Tensor ? broadcastTo(op, isBool(r.dtype) ? r.cast('float64') : r, s) : r);
}

/** positions 0..n-1 of a Fisher–Yates shuffle: step i (from n − 1 down) swaps i with ⌊u_i · (i + 1)⌋. */
function shuffled(n: number, seed: number): Int32Array {
  const key = seedKey(seed);
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform53(key, i) * (i + 1));
    const t = a[i]; a[i] = a[j]; a[j] = t;
  }
  return a;
}

/** The most positions an eager draw (a permutation, choice with p) holds: 2^27 int32s are 512 MB. */
const MAX_EAGER = 2 ** 27;
/** Without replacement from more than MAX_EAGER positions, the swaps are kept in a Map (V8's hold 2^24). */
const MAX_SPARSE = 2 ** 22;

function count(op: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= 2 ** 31) throw new TensorError(`${op}: n must be an integer in [0, 2^31), got ${describe(n)}`);
  return n;
}

function eager(op: string, n: number, what: string): number {
  if (n > MAX_EAGER) throw new TensorError(`${op}: ${what} of ${n} positions; one computed now holds at most 2^27`);
  return n;
}

/** A tensor argument to sample from: a Tensor or JS array, at least 1-D. */
function population(op: string, x: unknown): Tensor {
  const r = toOperand(op, x);
  if (!(r instanceof Tensor)) throw new TensorError(`${op}: expected a number of positions or a tensor, got ${describe(x)}`);
  if (r.ndim === 0) throw new ShapeError(`${op}: a 0-d tensor has no axis to permute; pass a number n for 0..n-1`);
  return r;
}

/** numpy `permutation`: 0..n-1 shuffled (computed now: an int32 tensor), or a tensor shuffled along axis 0. */
export function permutation(n: number, opts?: { seed?: number }): Tensor<'int32'>;
export function permutation<D extends DType>(n: Tensor<D>, opts?: { seed?: number }): Tensor<D>;
export function permutation(n: number | Tensor | NestedArray, opts?: { seed?: number }): Tensor;
export function permutation(n: number | Tensor | NestedArray, opts?: { seed?: number }): Tensor {
  const op = 'permutation';
  const o = options(op, opts, ['seed'] as const);
  if (typeof n === 'number') return tensor(shuffled(eager(op, count(op, n), 'a permutation'), seedOf(op, o.seed)));
  const x = population(op, n);
  return x.take(tensor(shuffled(eager(op, count(op, x.shape[0]), 'a permutation'), seedOf(op, o.seed))), 0);
}

/**
 * x with its rows (axis 0) in the order of `permutation(x.shape[0], { seed })`: a gather, lazy in x.
 * Unlike numpy's `shuffle`, a new tensor (x is not changed).
 */
export function shuffle<D extends DType>(x: Tensor<D>, opts?: { seed?: number }): Tensor<D>;
export function shuffle(x: Tensor | NestedArray, opts?: { seed?: number }): Tensor;
export function shuffle(x: Tensor | NestedArray, opts?: { seed?: number }): Tensor {
  const op = 'shuffle';
  const o = options(op, opts, ['seed'] as const);
  const t = population(op, x);
  return t.take(tensor(shuffled(eager(op, count(op, t.shape[0]), 'a permutation'), seedOf(op, o.seed))), 0);
}

/** The probabilities `p` over n positions, read now: non-negative, finite, summing to 1 within 1e-8·n. */
function probabilities(op: string, p: unknown, n: number): Float64Array {
  const r = toOperand(op, p);
  if (!(r instanceof Tensor)) throw new TensorError(`${op}: p must be a tensor or array of probabilities, got ${describe(p)}`);
  if (r.ndim !== 1 || r.shape[0] !== n) throw new ShapeError(`${op}: p must be 1-D with one probability per position (${n}), got shape ${fmtShape(r.shape)}`);
  const w = Float64Array.from(r.cast('float64').storage(op));
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (!(w[i] >= 0) || w[i] === Infinity) throw new TensorError(`${op}: probabilities must be non-negative and finite, p[${i}] is ${w[i]}`);
    total += w[i];
  }
  if (!(Math.abs(total - 1) <= 1e-8 * Math.max(n, 1))) throw new TensorError(`${op}: probabilities must sum to 1, they sum to ${total}`);
  return w;
}

/**
 * numpy `choice`: `size` draws (a number or a shape; none: one 0-d draw) from 0..n-1 or from the
 * elements of a 1-D tensor. With replacement and no `p`, lazy (a randint of positions); with `p`
 * (inverse CDF: the first position whose cumulative sum exceeds u · total) or without replacement
 * (a partial Fisher–Yates; with `p`, the n largest keys log(u_i) / p_i, Efraimidis–Spirakis, which
 * draws like successive weighted draws), the positions are computed now.
 */
export function choice(a: number, size?: number | readonly number[], opts?: ChoiceOptions): Tensor<'int32'>;
export function choice<D extends DType>(a: Tensor<D>, size?: number | readonly number[], opts?: ChoiceOptions): Tensor<D>;
export function choice(a: number | Tensor | NestedArray, size?: number | readonly number[], opts?: ChoiceOptions): Tensor;
export function choice(a: number | Tensor | NestedArray, size?: number | readonly number[], opts?: ChoiceOptions): Tensor {
  const op = 'choice';
  const o = options(op, opts, ['replace', 'p', 'seed'] as const);
  const replace = o.replace ?? true;
  if (typeof replace !== 'boolean') throw new TensorError(`${op}: replace must be a boolean, got ${describe(replace)}`);
  let from: Tensor | undefined;
  if (typeof a !== 'number') {
    from = population(op, a);
    if (from.ndim !== 1) throw new ShapeError(`${op}: samples from a 1-D tensor, got shape ${fmtShape(from.shape)}`);
  }
  const n = count(op, from ? from.shape[0] : a);
  const shape = size === undefined || size === null ? [] : checkShape(op, size);
  const k = shape.reduce((x, y) => x * y, 1);
  if (n === 0 && k > 0) throw new TensorError(`${op}: nothing to choose from (a population of 0) for ${k} draws`);
  if (!replace && k > n) throw new TensorError(`${op}: cannot take ${k} draws without replacement from ${n} positions`);
  const seed = seedOf(op, o.seed);
  const w = o.p === undefined ? undefined : probabilities(op, o.p, n);
  let picks: Tensor;
  if (replace && !w) picks = randint(0, Math.max(n, 1), shape, { seed });
  else {
    eager(op, k, 'a draw');
    if (w) eager(op, n, 'p');
    else if (!replace && n > MAX_EAGER && k > MAX_SPARSE) throw new TensorError(`${op}: ${k} draws without replacement from ${n} positions; at most 2^22 from more than 2^27`);
    const idx = !w ? withoutReplacement(n, k, seed) : replace ? inverseCdf(w, k, seed) : weightedWithout(op, w, k, seed);
    picks = tensor(idx, { shape });
  }
  return from ? from.take(picks) : picks;
}

/** The first k positions of a Fisher–Yates shuffle run forwards (step i swaps i with i + ⌊u_i · (n − i)⌋). */
function withoutReplacement(n: number, k: number, seed: number): Int32Array {
  const key = seedKey(seed);
  const out = new Int32Array(k);
  // Dense when the population is not much larger than the draw (or must be); both do the same swaps.
  if (n <= MAX_EAGER && (n <= Math.max(4 * k, 2 ** 16) || k > MAX_SPARSE)) {
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(uniform53(key, i) * (n - i));
      out[i] = a[j];
      a[j] = a[i];
    }
    return out;
  }
  const moved = new Map<number, number>(); // the same swaps, sparse: k is small against n here
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(uniform53(key, i) * (n - i));
    out[i] = moved.get(j) ?? j;
    moved.set(j, moved.get(i) ?? i);
  }
  return out;
}

function inverseCdf(w: Float64Array, k: number, seed: number): Int32Array {
  const key = seedKey(seed);
  const cdf = new Float64Array(w.length);
  let total = 0;
  for (let i = 0; i < w.length; i++) cdf[i] = total += w[i];
  const out = new Int32Array(k);
  for (let i = 0; i < k; i++) {
    const u = uniform53(key, i) * total;
    let lo = 0, hi = w.length - 1; // the first position with cdf > u (numpy searchsorted side='right')
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] > u) hi = mid; else lo = mid + 1;
    }
    out[i] = lo;
  }
  return out;
}

function weightedWithout(op: string, w: Float64Array, k: number, seed: number): Int32Array {
  const key = seedKey(seed);
  let m = 0;
  for (let i = 0; i < w.length; i++) if (w[i] > 0) m++;
  if (m < k) throw new TensorError(`${op}: ${k} draws without replacement, but only ${m} positions have a non-zero probability`);
  const positive = new Int32Array(m);
  for (let i = 0, j = 0; i < w.length; i++) if (w[i] > 0) positive[j++] = i;
  // log(u) / p with u in (0, 1]: the largest keys are the draws, in order (ties: the lower position).
  const keyOf = new Float64Array(w.length);
  for (const i of positive) keyOf[i] = Math.log(1 - uniform53(key, i)) / w[i];
  positive.sort((x, y) => keyOf[y] - keyOf[x] || x - y);
  return positive.slice(0, k);
}
