/**
 * The Tensor API. A Tensor is a handle on a graph node: operations record new nodes (checking shapes
 * and dtypes now, not at eval), `eval()` realizes the node into a buffer the tensor owns.
 *
 * Recording normalizes every op to the primitives of the op table: operands are cast to the op's
 * compute dtype and broadcast by views, so each elementwise node sees sources of one shape.
 *
 * Longer than the ~400 lines a file here keeps to, on purpose: the Tensor class and the functions that
 * record its nodes (elementwise, reduce, matmul, castTo, broadcastTo, the views, concat for pad's
 * modes, tidy's scopes that the constructor registers in) call each other: the methods are written
 * with those functions, and those functions construct Tensors. Split in two files, each would import
 * the other: an import circle (test/imports.test.ts forbids them), or an indirection on every op
 * recorded. Method families built only on the class are in the files that add them (numeric.ts,
 * shape-helpers.ts, scans.ts, indexing.ts); the operand types and the type-level dtype rules are in
 * operand-types.ts.
 */
import { inspect } from 'node:util';
import type { DType, ElementOf, Floating, Nested, Promote, Quotient, Storage, StorageOf, Summed } from './dtype.js';
import { checkDType, emptyStorage, elementReader, floatOf, isBool, summedOf, isFloat, KIND_VALUE, promote, scalarDType, scalarKind, toDType, weakPromote } from './dtype.js';
import { DTypeError, ShapeError, TensorError } from './errors.js';
import { formatTensor } from './format.js';
import type { Arg, Node } from './graph.js';
import { deadNode, disposedError, FRESH, makeNode, nextNodeId, scalarNode } from './graph.js';
import type { Pending } from './memo.js';
import { copyOf, EXACT, KIND, materialize, MIRRORED, readsAnchor, recall, remember, SHARED, templateFor } from './memo.js';
import { liveData, onGradientPath, traceError, tracing } from './trace.js';
import { stopNode } from './stop.js';
import type { CustomOpName, ElementwiseDef, ElementwiseName, ReduceDef, ReduceName } from './ops.js';
import { isBuffer, isConst, isView, OPS, opDef } from './ops.js';
import { applyScalar } from './reference.js';
import { Matrix } from 'ml-matrix';
import { explain, toDot } from './explain.js';
import { sourceFor } from './runtime/run.js';
import { expose, giveBack, isSlab } from './runtime/pool.js';
import type { EvalOptions } from './realize.js';
import { assignInto, realize, realizeAsync, realizeWrites, runNodes } from './realize.js';
import type { PadOptions } from './padding.js';
import type { Run } from './padding.js';
import { padOptions, padRuns, periodRuns } from './padding.js';
import type { Shape, View } from './shape.js';
import {
  broadcastShapes, checkSize, contiguousView, describe, expandView, fmtShape, isContiguousView, MAX_NDIM, normAxes, normAxis,
  normSlice, permuteView, readArray, reshapeView, resolveReshape, sameShape, sizeOf, sliceView,
} from './shape.js';
import type { Arith, ArithOf, Axpy, Bound, ListOf, MustBe, NestedArray, Operand, OperandDType, Position, Resolve, Select } from './operand-types.js';

// The operand types and the type-level dtype rules live in operand-types.ts; the API's files import them from here.
export type { Arith, ArithOf, Axpy, Bound, Lone, ListDType, ListOf, MustBe, NestedArray, Operand, OperandDType, Position, Promoted, Resolve, Select } from './operand-types.js';

/** How `assign` combines a new value with the old one: numpy's `x[i] += v` is `{ op: 'add' }`. */
export type AssignOp = 'add' | 'mul' | 'max' | 'min';
export interface AssignOptions extends EvalOptions {
  /** Combine with the old value instead of replacing it; through an index, every duplicate counts (np.add.at). */
  op?: AssignOp;
}

/** The elementwise op of each AssignOp, for numbers and for bools (where add is or, mul is and, as numpy). */
export const ASSIGN_OPS: Record<AssignOp, readonly [ElementwiseName, ElementwiseName]> = {
  add: ['add', 'or'], mul: ['mul', 'and'], max: ['maximum', 'or'], min: ['minimum', 'and'],
};

/** assign's options read once: the op (checked) and the eval options. */
function assignOptions(opts: unknown): { op: AssignOp | undefined; evalOpts: EvalOptions | undefined } {
  if (opts === undefined) return { op: undefined, evalOpts: undefined };
  if (typeof opts !== 'object' || opts === null) throw new TensorError(`assign: options must be an object like { op: 'add' }, got ${describe(opts)}`);
  const { op, backend, fuse } = opts as AssignOptions;
  if (op !== undefined && !Object.hasOwn(ASSIGN_OPS, op as string)) {
    throw new TensorError(`assign: op must be one of ${Object.keys(ASSIGN_OPS).map((k) => `'${k}'`).join(', ')}, got ${describe(op)}`);
  }
  const evalOpts: EvalOptions = {};
  if (backend !== undefined) evalOpts.backend = backend;
  if (fuse !== undefined) evalOpts.fuse = fuse;
  return { op, evalOpts };
}

/**
 * A result of the runtime's dtype rules, typed as the type-level rule (operand-types.ts) says it is: for composites,
 * whose steps TypeScript cannot follow through a generic `D` (R is inferred from the method's return type).
 */
const typed = <R extends DType>(t: Tensor): Tensor<R> => t as Tensor<R>;
/** An operand once JS arrays are tensors. */
type Resolved = Tensor | number | boolean;

export class Tensor<D extends DType = DType> {
  /** @internal The node as recorded: with `over`, a template whose anchors hold other numbers. */
  held: Node;
  /** @internal Numbers pending on `held` (memo.ts): a loop over a changing number records no nodes. */
  over: readonly Pending[] | undefined;

  /** @internal The graph node this tensor stands for; replaced by a buffer node when realized. */
  get node(): Node {
    return this.over === undefined ? this.held : settle(this);
  }
  /** @internal */
  set node(n: Node) {
    this.held = n;
    this.over = undefined;
  }

  /**
   * @internal For a view made by movement ops (slice, transpose, reshape, ...): the tensor whose storage
   * it views and where (a View of that tensor's row-major layout), so `assign` writes through to it;
   * `view: null` with the reason when writing through it is not possible (a broadcast). Undefined for a
   * tensor that is not a view of another.
   */
  base?: { root: Tensor; view: View | null; why?: string };

  /**
   * @internal For the result of advanced indexing (`x.at([0, 2])`, indexing.ts): writes `value` (of this
   * tensor's shape and dtype) into the positions of the indexed tensor this one reads, combined with
   * `op` when given (a scatter). Set on the tensor `at` returns; `assign` calls it.
   */
  indexed?: (value: Tensor, op: AssignOp | undefined, opts?: EvalOptions) => Tensor;

  /** Not for users (its argument is a graph node): create tensors with `tensor()`, `full()`, `zeros()`, `arange()` or `rand()`. */
  constructor(node: Node, over?: readonly Pending[]) {
    if (typeof node !== 'object' || node === null || typeof node.key !== 'string') {
      throw new TensorError(`Tensor: the constructor is internal, got ${describe(node)}; create tensors with tensor(), full(), zeros(), arange() or rand()`);
    }
    this.held = node;
    this.over = over;
    if (scopes.length) scopes[scopes.length - 1].add(this);
  }

  /**
   * Frees this tensor's buffer now rather than at garbage collection (as in TensorFlow.js), so that a
   * loop can reuse it instead of touching fresh memory. The tensor cannot be used afterwards. Storage
   * that `data()` handed out, or that a lazy expression still reads, is left to the garbage collector.
   */
  dispose(): void {
    this.release(false);
  }
  /**
   * @internal `force`: tidy() knows nothing still reads the buffer even if another node did; `free:
   * false` leaves the buffer alone (this tensor is another handle on storage a tensor outside owns).
   */
  release(force: boolean, free = true): void {
    const n = this.held; // pending numbers need no graph of their own to be dropped
    if (n.dead) return;
    if (free && isBuffer(n) && (force || !n.used) && n.data) giveBack(n, n.data);
    this.node = deadNode(n, emptyStorage(n.dtype));
  }
  /** True once `dispose()` (or `tidy`) freed this tensor. */
  get isDisposed(): boolean { return this.held.dead === true; }

  /** The dims, frozen: `zeros([2, 3]).shape` is `[2, 3]`. */
  get shape(): readonly number[] { return this.held.shape; }
  /** The element type: `tensor([1, 2]).dtype` is `'float64'`. */
  get dtype(): D { return this.held.dtype as D; }
  /** The number of elements: `zeros([2, 3]).size` is `6`. */
  get size(): number { return sizeOf(this.held.shape); }
  /** The number of dims: `zeros([2, 3]).ndim` is `2`. */
  get ndim(): number { return this.held.shape.length; }
  /** True when this tensor owns a contiguous buffer (no pending computation). */
  get isRealized(): boolean { return this.over === undefined && isBuffer(this.held); }

  // ---- elementwise ------------------------------------------------------------------------------
  /** -x, elementwise: `tensor([1, -2]).neg()` is `[-1, 2]`. */
  neg(): Tensor<Arith<D, never>> { return elementwise('neg', [this]); }
  /** |x|, elementwise: `tensor([-1.5, 2]).abs()` is `[1.5, 2]`. */
  abs(): Tensor<D> { return elementwise('abs', [this]); }
  /** √x, elementwise (NaN below 0): `tensor([4, 9]).sqrt()` is `[2, 3]`. */
  sqrt(): Tensor<Floating<D>> { return elementwise('sqrt', [this]); }
  /** e^x, elementwise: `tensor([0, 1]).exp()` is `[1, 2.718…]`. */
  exp(): Tensor<Floating<D>> { return elementwise('exp', [this]); }
  /** Natural log, elementwise: `tensor([1, Math.E]).log()` is `[0, 1]`. */
  log(): Tensor<Floating<D>> { return elementwise('log', [this]); }
  /** log(1 + x), accurate near 0: `tensor([1e-10]).log1p()` is `[1e-10]`. */
  log1p(): Tensor<Floating<D>> { return elementwise('log1p', [this]); }
  /** e^x − 1, accurate near 0: `tensor([1e-10]).expm1()` is `[1e-10]`. */
  expm1(): Tensor<Floating<D>> { return elementwise('expm1', [this]); }
  /** Sine (radians), elementwise: `tensor([0, Math.PI / 2]).sin()` is `[0, 1]`. */
  sin(): Tensor<Floating<D>> { return elementwise('sin', [this]); }
  /** Cosine (radians), elementwise: `tensor([0, Math.PI]).cos()` is `[1, -1]`. */
  cos(): Tensor<Floating<D>> { return elementwise('cos', [this]); }
  /** Tangent (radians), elementwise: `tensor([0]).tan()` is `[0]`. */
  tan(): Tensor<Floating<D>> { return elementwise('tan', [this]); }
  /** Hyperbolic tangent, elementwise: `tensor([0, 100]).tanh()` is `[0, 1]`. */
  tanh(): Tensor<Floating<D>> { return elementwise('tanh', [this]); }
  /** Rounds down, elementwise: `tensor([1.5, -1.5]).floor()` is `[1, -2]`. */
  floor(): Tensor<Arith<D, 'int32'>> { return elementwise('floor', [this]); }
  /** Rounds up, elementwise: `tensor([1.5, -1.5]).ceil()` is `[2, -1]`. */
  ceil(): Tensor<Arith<D, 'int32'>> { return elementwise('ceil', [this]); }
  /** Half to even, as numpy: round(0.5) = 0, round(1.5) = 2. */
  round(): Tensor<Arith<D, 'int32'>> { return elementwise('round', [this]); }
  /** -1, 0 or 1 (NaN stays NaN): `tensor([-3, 0, 2]).sign()` is `[-1, 0, 1]`. */
  sign(): Tensor<Arith<D, 'int32'>> { return elementwise('sign', [this]); }
  /** this + other, with numpy broadcasting: `tensor([1, 2]).add(10)` is `[11, 12]`. */
  add<O extends Operand>(other: O): Tensor<ArithOf<D, O, 'bool'>> { return elementwise('add', [this, other]); }
  /** this − other, broadcast: `tensor([5, 7]).sub([1, 2])` is `[4, 5]`. */
  sub<O extends Operand>(other: O): Tensor<ArithOf<D, O, never>> { return elementwise('sub', [this, other]); }
  /** this × other, broadcast: `arange(3).mul(2)` is `[0, 2, 4]`. */
  mul<O extends Operand>(other: O): Tensor<ArithOf<D, O, 'bool'>> { return elementwise('mul', [this, other]); }
  /** this / other, broadcast; ints divide to float64: `arange(3).div(2)` is `[0, 0.5, 1]`. */
  div<O extends Operand>(other: O): Tensor<Quotient<Promote<D, OperandDType<D, O>>>> { return elementwise('div', [this, other]); }
  /** this ** other, broadcast (C's `pow`): `tensor([2, 3]).pow(2)` is `[4, 9]`. */
  pow<O extends Operand>(other: O): Tensor<ArithOf<D, O, 'int32'>> { return elementwise('pow', [this, other]); }
  /** The larger of this and other, elementwise, NaN propagated: `tensor([1, 5]).maximum(3)` is `[3, 5]`. */
  maximum<O extends Operand>(other: O): Tensor<ArithOf<D, O, 'bool'>> { return elementwise('maximum', [this, other]); }
  /** The smaller of this and other, elementwise, NaN propagated: `tensor([1, 5]).minimum(3)` is `[1, 3]`. */
  minimum<O extends Operand>(other: O): Tensor<ArithOf<D, O, 'bool'>> { return elementwise('minimum', [this, other]); }
  /** Floored modulo: the result has the sign of the divisor (numpy `mod`). */
  mod<O extends Operand>(other: O): Tensor<ArithOf<D, O, 'int32'>> { return elementwise('mod', [this, other]); }
  /** this < other, bool: `arange(3).lt(1)` is `[true, false, false]`. */
  lt(other: Operand): Tensor<'bool'> { return elementwise('lt', [this, other]); }
  /** this <= other, bool: `arange(3).le(1)` is `[true, true, false]`. */
  le(other: Operand): Tensor<'bool'> { return elementwise('le', [this, other]); }
  /** this > other, bool: `arange(3).gt(1)` is `[false, false, true]`. */
  gt(other: Operand): Tensor<'bool'> { return elementwise('gt', [this, other]); }
  /** this >= other, bool: `arange(3).ge(1)` is `[false, true, true]`. */
  ge(other: Operand): Tensor<'bool'> { return elementwise('ge', [this, other]); }
  /** this == other, bool (NaN equals nothing): `arange(3).eq(1)` is `[false, true, false]`. */
  eq(other: Operand): Tensor<'bool'> { return elementwise('eq', [this, other]); }
  /** this != other, bool: `arange(3).ne(1)` is `[true, false, true]`. */
  ne(other: Operand): Tensor<'bool'> { return elementwise('ne', [this, other]); }
  /** Logical and (numpy logical_and), bool: `tensor([true, true]).and([true, false])` is `[true, false]`. */
  and(other: Operand): Tensor<'bool'> { return elementwise('and', [this, other]); }
  /** Logical or (numpy logical_or), bool: `tensor([true, false]).or(false)` is `[true, false]`. */
  or(other: Operand): Tensor<'bool'> { return elementwise('or', [this, other]); }
  /** Logical not, bool: `tensor([true, false]).not()` is `[false, true]`. */
  not(): Tensor<'bool'> { return elementwise('not', [this]); }
  /** `this ? a : b`, elementwise, with `this` read as bool. */
  where<A extends Operand, B extends Operand>(a: A, b: B): Tensor<Select<A, B>> { return elementwise('where', [this, a, b]); }

  /** The values converted to `dtype` (float → int32 truncates and saturates, NaN → 0; nonzero → true): `tensor([1.7, -1.7]).cast('int32')` is `[1, -1]`. */
  cast<E extends DType>(dtype: E): Tensor<E> {
    const d = checkDType('cast', dtype);
    return d === (this.dtype as DType) ? this as Tensor as Tensor<E> : castTo(this, d);
  }

  // ---- composites --------------------------------------------------------------------------------
  /** x², as `x.mul(x)`: `tensor([3]).square()` is `[9]`. */
  square(): Tensor<D> { return elementwise('mul', [this, this]); } // x * x
  /** 1 / x (ints give float64): `tensor([4]).reciprocal()` is `[0.25]`. */
  reciprocal(): Tensor<Quotient<D>> { return elementwise('div', [1, this]); } // 1 / x
  /** 1 / (1 + e^-x); ints and bools compute in their float dtype (floatOf: so -x cannot wrap or be refused). */
  sigmoid(): Tensor<Floating<D>> {
    const x = this.cast(floatOf(this.dtype));
    return elementwise('div', [1, x.neg().exp().add(1)]);
  }
  /** max(x, 0), NaN propagated: `tensor([-1, 2]).relu()` is `[0, 2]`. */
  relu(): Tensor<D> { return isBool(this.dtype) ? this : elementwise('maximum', [this, 0]); } // max(x, 0); NaN stays NaN; bools are already ≥ 0
  /** `max(lo, min(x, hi))` with NaN propagated; either bound may be null. */
  clip<L extends Operand | null, H extends Operand | null>(lo: L, hi: H): Tensor<Bound<Bound<D, L>, H>> {
    // Each bound read once (an array is made a tensor here, not read again by maximum/minimum).
    const l = lo === null || lo === undefined ? undefined : toOperand('clip', lo);
    const h = hi === null || hi === undefined ? undefined : toOperand('clip', hi);
    const low: Tensor = l === undefined ? this : this.maximum(l);
    return typed(h === undefined ? low : low.minimum(h));
  }
  /** `this + alpha * x`: BLAS axpy (y ← αx + y). */
  axpy<X extends Operand, A extends Operand>(x: X, alpha: A): Tensor<Axpy<D, X, A>> {
    const v = toOperand('axpy', x), a = toOperand('axpy', alpha);
    // JS numbers stay weak scalars: a float32 y stays float32.
    if (v instanceof Tensor) return typed(this.add(v.mul(a)));
    if (a instanceof Tensor) return typed(this.add(a.mul(v)));
    return typed(this.add(Number(v) * Number(a)));
  }

  // ---- reductions --------------------------------------------------------------------------------
  /** Sum over `axis` (default all); ints and bools sum exactly to float64: `arange(6).reshape([2, 3]).sum(1)` is `[3, 12]`. */
  sum(axis?: number | number[], keepdims = false): Tensor<Summed<D>> { return reduce('sum', this, axis, keepdims); }
  /** Product over `axis` (default all): `tensor([2, 3, 4]).prod()` is `24`. */
  prod(axis?: number | number[], keepdims = false): Tensor<Summed<D>> { return reduce('prod', this, axis, keepdims); }
  /** Largest element over `axis` (default all), NaN propagated: `tensor([[1, 5], [3, 2]]).max(0)` is `[3, 5]`. */
  max(axis?: number | number[], keepdims = false): Tensor<D> { return reduce('max', this, axis, keepdims); }
  /** Smallest element over `axis` (default all), NaN propagated: `tensor([[1, 5], [3, 2]]).min(1)` is `[1, 2]`. */
  min(axis?: number | number[], keepdims = false): Tensor<D> { return reduce('min', this, axis, keepdims); }
  /** Index of the first maximum (NaN counts as the maximum), int32; over several axes, the row-major index within them. */
  argmax(axis?: number | number[], keepdims = false): Tensor<Position> { return reduce('argmax', this, axis, keepdims); }
  /** Index of the first minimum (NaN counts as the minimum), int32: `tensor([3, 1, 1]).argmin()` is `1`. */
  argmin(axis?: number | number[], keepdims = false): Tensor<Position> { return reduce('argmin', this, axis, keepdims); }
  /** Integers and bools average their exact sum (a float64). The mean of nothing is NaN. */
  mean(axis?: number | number[], keepdims = false): Tensor<Summed<D>> {
    const axes = normAxes('mean', axis, this.shape);
    const count = axes.reduce((n, a) => n * this.shape[a], 1);
    return typed(this.sum(axes, keepdims).div(count));
  }
  /** Mean of squared deviations; `ddof = 1` gives the sample variance. */
  variance(axis?: number | number[], keepdims = false, ddof = 0): Tensor<Summed<D>> { return variance('variance', this, axis, keepdims, ddof); }
  /** Standard deviation over `axis` (√variance; `ddof = 1` for the sample one): `tensor([1, 3]).std()` is `1`. */
  std(axis?: number | number[], keepdims = false, ddof = 0): Tensor<Summed<D>> { return typed(variance('std', this, axis, keepdims, ddof).sqrt()); }
  /** exp(x - max) / sum(exp(x - max)) along `axis` (default the last); ints and bools compute in their float dtype (floatOf). */
  softmax(axis: number | number[] = -1): Tensor<Floating<D>> {
    axis = normAxes('softmax', axis, this.shape);
    const x: Tensor = this.cast(floatOf(this.dtype));
    const e = x.sub(x.max(axis, true)).exp();
    return typed(e.div(e.sum(axis, true)));
  }
  /** log(softmax(x)) along `axis` (default the last), computed stably: `tensor([0, 0]).logSoftmax()` is `[-0.693…, -0.693…]`. */
  logSoftmax(axis: number | number[] = -1): Tensor<Floating<D>> {
    axis = normAxes('logSoftmax', axis, this.shape);
    const x: Tensor = this.cast(floatOf(this.dtype));
    const shifted = x.sub(x.max(axis, true));
    return typed(shifted.sub(shifted.exp().sum(axis, true).log()));
  }

  // ---- numpy math (issue 15): op-table entries -------------------------------------------------------
  /** Arcsine, elementwise (NaN outside [-1, 1]): `tensor([1]).asin()` is `[π/2]`. */
  asin(): Tensor<Floating<D>> { return elementwise('asin', [this]); }
  /** Arccosine, elementwise: `tensor([1]).acos()` is `[0]`. */
  acos(): Tensor<Floating<D>> { return elementwise('acos', [this]); }
  /** Arctangent, elementwise: `tensor([1]).atan()` is `[π/4]`. */
  atan(): Tensor<Floating<D>> { return elementwise('atan', [this]); }
  /** Hyperbolic sine: `tensor([0]).sinh()` is `[0]`. */
  sinh(): Tensor<Floating<D>> { return elementwise('sinh', [this]); }
  /** Hyperbolic cosine: `tensor([0]).cosh()` is `[1]`. */
  cosh(): Tensor<Floating<D>> { return elementwise('cosh', [this]); }
  /** Inverse hyperbolic sine (numpy arcsinh): `tensor([0]).asinh()` is `[0]`. */
  asinh(): Tensor<Floating<D>> { return elementwise('asinh', [this]); }
  /** Inverse hyperbolic cosine (NaN below 1): `tensor([1]).acosh()` is `[0]`. */
  acosh(): Tensor<Floating<D>> { return elementwise('acosh', [this]); }
  /** Inverse hyperbolic tangent: `tensor([0]).atanh()` is `[0]`. */
  atanh(): Tensor<Floating<D>> { return elementwise('atanh', [this]); }
  /** Base-2 log: `tensor([8]).log2()` is `[3]`. */
  log2(): Tensor<Floating<D>> { return elementwise('log2', [this]); }
  /** Base-10 log: `tensor([1000]).log10()` is `[3]`. */
  log10(): Tensor<Floating<D>> { return elementwise('log10', [this]); }
  /** 2^x: `tensor([3]).exp2()` is `[8]`. */
  exp2(): Tensor<Floating<D>> { return elementwise('exp2', [this]); }
  /** Cube root (negative for negatives): `tensor([-8]).cbrt()` is `[-2]`. */
  cbrt(): Tensor<Floating<D>> { return elementwise('cbrt', [this]); }
  /** The error function (scipy erf): `tensor([0]).erf()` is `[0]`. */
  erf(): Tensor<Floating<D>> { return elementwise('erf', [this]); }
  /** 1 − erf(x), accurate where erf is near 1: `tensor([0]).erfc()` is `[1]`. */
  erfc(): Tensor<Floating<D>> { return elementwise('erfc', [this]); }
  /** Rounds toward zero. */
  trunc(): Tensor<Arith<D, 'int32'>> { return elementwise('trunc', [this]); }
  /** atan(this / other) in the quadrant of (other, this), as C and numpy `arctan2(y, x)`. */
  atan2<O extends Operand>(other: O): Tensor<Floating<Promote<D, OperandDType<D, O>>>> { return elementwise('atan2', [this, other]); }
  /** √(this² + other²) without overflow: `tensor([3]).hypot(4)` is `[5]`. */
  hypot<O extends Operand>(other: O): Tensor<Floating<Promote<D, OperandDType<D, O>>>> { return elementwise('hypot', [this, other]); }
  /** numpy `//`: floor(this / other); ints stay ints (x // 0 is 0). */
  floorDiv<O extends Operand>(other: O): Tensor<ArithOf<D, O, 'int32'>> { return elementwise('floorDiv', [this, other]); }
  /** Whether each element is NaN, bool: `tensor([NaN, 1]).isnan()` is `[true, false]`. */
  isnan(): Tensor<'bool'> { return elementwise('isnan', [this]); }
  /** Whether each element is ±Infinity, bool: `tensor([Infinity, 1]).isinf()` is `[true, false]`. */
  isinf(): Tensor<'bool'> { return elementwise('isinf', [this]); }
  /** Whether each element is neither NaN nor infinite, bool: `tensor([NaN, 1]).isfinite()` is `[false, true]`. */
  isfinite(): Tensor<'bool'> { return elementwise('isfinite', [this]); }
  /** Logical exclusive or (numpy `logical_xor`), bool. */
  xor(other: Operand): Tensor<'bool'> { return elementwise('xor', [this, other]); }
  // More methods: numeric.ts (logaddexp ... all) and shape-helpers.ts (split ... clone) add theirs (addMethods).

  // ---- movement (views: no copies) ----------------------------------------------------------------
  /** One dim may be -1. Expressed with strides when possible, else the source is copied first. */
  reshape(shape: number | readonly number[]): Tensor<D> {
    const to = resolveReshape('reshape', this.shape, shape);
    if (sameShape(to, this.shape)) return this;
    const { base, view } = viewOf(this.node);
    const v = reshapeView(view, to);
    const out = v ? fromView(base, v, this.dtype) : fromView(makeNode('contiguous', [this.node], this.shape, this.dtype), contiguousView(to), this.dtype);
    return viewing(this, out, (w) => reshapeView(w, to), 'reshape: strides cannot express this reshape of a non-contiguous view, so it is a copy');
  }
  /** Permutes axes; by default reverses them. */
  transpose(axes?: readonly number[]): Tensor<D> {
    const nd = this.ndim;
    const list = axes === undefined || axes === null ? undefined : readArray('transpose', axes, MAX_NDIM, 'axes');
    if (axes !== undefined && axes !== null && list === undefined) throw new ShapeError(`transpose: axes must be an array of dims, got ${describe(axes)}`);
    const perm = list === undefined ? [...Array(nd).keys()].reverse() : list.map((a) => normAxis('transpose', a, nd, this.shape));
    if (perm.length !== nd || new Set(perm).size !== nd) {
      throw new ShapeError(`transpose: axes ${describe(list)} are not a permutation of the ${nd} dims of ${fmtShape(this.shape)}`);
    }
    const { base, view } = viewOf(this.node);
    return viewing(this, fromView(base, permuteView(view, perm), this.dtype), (w) => permuteView(w, perm));
  }
  /** The transpose (all axes reversed), a view: `zeros([2, 3]).T.shape` is `[3, 2]`. */
  get T(): Tensor<D> { return this.transpose(); }
  /** numpy `broadcast_to`: prepends dims and stretches size-1 dims; -1 keeps a dim. */
  expand(shape: readonly number[]): Tensor<D> { return broadcastView('expand', this, shapeArg('expand', shape)); }
  /** numpy `broadcast_to` (as `expand`): `tensor([1, 2]).broadcastTo([3, 2])` has shape `[3, 2]`. */
  broadcastTo(shape: readonly number[]): Tensor<D> { return broadcastView('broadcastTo', this, shapeArg('broadcastTo', shape)); }
  /**
   * numpy-style basic slicing over the leading axes: `x.slice([1, 0], [3, -1])` is `x[1:3, 0:-1]`.
   * Negative indices count from the end, `end` is exclusive, `null` means "to the edge", steps may be negative.
   */
  slice(begin: number | null | readonly (number | null)[], end?: number | null | readonly (number | null)[], step?: number | readonly number[]): Tensor<D> {
    const list = (v: unknown): readonly unknown[] => (v === undefined ? [] : readArray('slice', v, MAX_NDIM, 'axes') ?? [v]);
    const b = list(begin), e = list(end), s = list(step);
    const n = Math.max(b.length, e.length, s.length);
    if (n > this.ndim) throw new ShapeError(`slice: ${n} axes given for a tensor of ${this.ndim} dims ${fmtShape(this.shape)}`);
    const ranges = this.shape.map((dim, i) => (i < n ? normSlice('slice', dim, b[i] ?? null, e[i] ?? null, s[i] ?? 1) : [0, 1, dim] as [number, number, number]));
    const { base, view } = viewOf(this.node);
    return viewing(this, fromView(base, sliceView(view, ranges), this.dtype), (w) => sliceView(w, ranges));
  }
  /** Removes size-1 dims: all of them, or the given ones (which must be size 1). */
  squeeze(axis?: number | number[]): Tensor<D> {
    const axes = axis === undefined ? this.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normAxes('squeeze', axis, this.shape);
    for (const a of axes) {
      if (this.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${a} of ${fmtShape(this.shape)} has size ${this.shape[a]}, not 1`);
    }
    return this.reshape(this.shape.filter((_, i) => !axes.includes(i)));
  }
  /** Inserts a size-1 dim at `axis` (-ndim-1 ..= ndim). */
  unsqueeze(axis: number): Tensor<D> {
    const a = normAxis('unsqueeze', axis, this.ndim + 1, this.shape);
    const shape = this.shape.slice();
    shape.splice(a, 0, 1);
    checkSize('unsqueeze', shape);
    return this.reshape(shape);
  }
  /** A 1-D view of every element in row-major order: `arange(6).reshape([2, 3]).flatten()` has shape `[6]`. */
  flatten(): Tensor<D> { return this.reshape([-1]); }
  /** Reverses the order along `axis` (default every axis). */
  flip(axis?: number | number[]): Tensor<D> {
    const axes = normAxes('flip', axis, this.shape);
    return this.slice(this.shape.map(() => null), this.shape.map(() => null), this.shape.map((_, i) => (axes.includes(i) ? -1 : 1)));
  }
  /**
   * Pads each dim with `[before, after]` elements (one pair applies to every dim): of `value`, or as
   * numpy's modes `{ mode: 'edge' | 'reflect' | 'symmetric' | 'wrap' }` (padding.ts).
   */
  pad(widths: readonly (readonly [number, number])[], valueOrOptions: number | boolean | PadOptions = 0): Tensor<D> {
    // Read once: the outer array, then each pair; what is checked below is what is recorded.
    const outer = readArray('pad', widths, MAX_NDIM, 'pairs');
    const read = outer?.map((p) => readArray('pad', p, MAX_NDIM, 'numbers in a pair') ?? p);
    const given = read && read.length === 1 && this.ndim !== 1 ? this.shape.map(() => read[0]) : read;
    if (!given || given.length !== this.ndim ||
        !given.every((p) => Array.isArray(p) && p.length === 2 && p.every((w) => Number.isInteger(w) && w >= 0))) {
      throw new ShapeError(`pad: widths must be ${this.ndim} pairs [before, after] of non-negative integers for ${fmtShape(this.shape)}, got ${describe(read ?? widths)}`);
    }
    const pairs = given as [number, number][];
    const { mode, value } = padOptions(valueOrOptions);
    if (pairs.every(([b, a]) => b === 0 && a === 0)) return this;
    const shape = this.shape.map((d, i) => d + pairs[i][0] + pairs[i][1]);
    checkSize('pad', shape);
    if (mode !== 'constant') {
      // numpy's modes, axis by axis (fused selects, no copy; see padAxis).
      return typed(pairs.reduce((out: Tensor, [before, after], a) => {
        if (before === 0 && after === 0) return out;
        if (this.shape[a] === 0) throw new ShapeError(`pad: cannot pad axis ${a} of ${fmtShape(this.shape)} in mode '${mode}': it is empty (only 'constant' can)`);
        return padAxis(out, a, mode, before, after);
      }, this));
    }
    const arg = { widths: pairs.map(([b, a]) => [b, a]), value: toDType(Number(value), this.dtype) };
    return new Tensor(makeNode('pad', [this.node], shape, this.dtype, arg));
  }

  // ---- linear algebra ----------------------------------------------------------------------------
  /** numpy `matmul`: 2-D, batched with broadcast batch dims, 1-D operands as vectors. */
  matmul<O extends Operand>(other: O): Tensor<ArithOf<D, Resolve<O>, 'bool'>> { return matmul(this, operand('matmul', other)); }
  /** numpy `dot`: scalar → multiply, 1-D·1-D → inner product, N-D·M-D → sum over a's last and b's second-to-last axis. */
  dot<O extends Operand>(other: O): Tensor<ArithOf<D, Resolve<O>, 'bool'>> {
    // A JS scalar is weak, as in mul (numpy: np.dot(float32 array, 2) is float32).
    if (typeof other === 'number' || typeof other === 'boolean') return typed(this.mul(other));
    const b = operand('dot', other);
    if (this.ndim === 0 || b.ndim === 0) return typed(this.mul(b));
    const k0 = b.shape[Math.max(0, b.ndim - 2)];
    if (this.shape[this.ndim - 1] !== k0) {
      throw new ShapeError(`dot: shapes ${fmtShape(this.shape)} and ${fmtShape(b.shape)} are not aligned (${this.shape[this.ndim - 1]} != ${k0})`);
    }
    if (b.ndim <= 2) return matmul(this, b);
    const k = b.shape[b.ndim - 2], n = b.shape[b.ndim - 1];
    const perm = [b.ndim - 2, ...[...Array(b.ndim - 2).keys()], b.ndim - 1];
    // Sizes spelled out, not -1: a zero-size dim elsewhere would leave -1 undetermined.
    const a2 = this.reshape([sizeOf(this.shape.slice(0, -1)), k]);
    return typed(matmul(a2, b.transpose(perm).reshape([k, sizeOf([...b.shape.slice(0, -2), n])])).reshape([...this.shape.slice(0, -1), ...b.shape.slice(0, -2), n]));
  }

  /** An explicit realization boundary: the value is materialized when the graph runs. */
  contiguous(): Tensor<D> {
    return this.isRealized ? this : new Tensor(makeNode('contiguous', [this.node], this.shape, this.dtype));
  }
  /** The same value, through which no gradient flows (stopGradient): a constant to grad and vjp. */
  detach(): Tensor<D> { return new Tensor(stopNode(this.node)); }

  // ---- evaluation and data ----------------------------------------------------------------------
  /** Realizes this tensor in place (it then owns a buffer) and returns it. */
  eval(opts?: EvalOptions): this {
    if (tracing() && !this.isRealized) throw traceError('eval()');
    realize([this], opts);
    return this;
  }
  /** Like `eval()`, without blocking the event loop. */
  async evalAsync(opts?: EvalOptions): Promise<this> {
    if (tracing()) throw traceError('evalAsync()');
    await realizeAsync([this], opts);
    return this;
  }
  /** The elements in row-major order; for a realized tensor, its own storage (not a copy). */
  data(): StorageOf[D] {
    let s = this.storage();
    // A small result is a view into a slab it shares with others; the caller could transfer or detach
    // its `.buffer`, so it first gets storage of its own (every reader of this node sees the move).
    if (isSlab(s)) s = this.node.data = s.slice();
    expose(s); // the caller may keep it: never recycle this buffer
    return s as StorageOf[D];
  }
  /** @internal The realized storage, for reads that do not let it escape. */
  storage(op = 'data'): Storage {
    if (tracing()) throw traceError('reading the values of a tensor (data, item, toArray, toMatrix)');
    if (this.node.dead) throw new TensorError(`${op}: this ${this.dtype} tensor of shape ${fmtShape(this.shape)} was disposed; its data is gone`);
    const through = this.readThrough(op);
    if (through) return through;
    this.eval();
    // Inside grad, a value that depends on the differentiated arguments is computed for reading and left
    // lazy: realizing it would make it a constant to the derivative (onGradientPath).
    if (onGradientPath(this.node)) return runNodes([this.node])[0];
    return liveData(op, this.node);
  }
  /**
   * A view of a tensor that has (or is about to get) storage is read through, without caching a copy:
   * reading it must not make it stop being a view, and a later write into the tensor it views must
   * show. Undefined for anything else (evaluated as an expression).
   */
  private readThrough(op: string): Storage | undefined {
    const b = this.base;
    if (!b?.view) return undefined;
    const { root, view } = b;
    if (root.node.dead) throw new TensorError(`${op}: this is a view of a ${root.dtype} tensor of shape ${fmtShape(root.shape)} that was disposed`);
    if (!root.isRealized && !root.node.pure) return undefined;
    if (!root.isRealized) root.eval(); // a lazy zeros/arange/rand gets its storage now, once, for every view of it
    liveData(op, root.node);
    this.node = fromView(root.node, view, this.dtype).node;
    return isBuffer(this.node) ? this.node.data!.slice() : runNodes([this.node])[0];
  }
  /** The values as nested JS arrays (bools as booleans), evaluating first if lazy: `arange(4).reshape([2, 2]).toArray()` is `[[0, 1], [2, 3]]`. */
  toArray(): Nested<ElementOf<D>> {
    const data = this.storage('toArray');
    const element = elementReader(this.dtype);
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.ndim) return element(data[offset]);
      const stride = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0) as Nested<ElementOf<D>>;
  }
  /** The single element of a size-1 tensor: a number, or a boolean for a bool tensor (as numpy's `item()`). */
  item(): ElementOf<D> {
    if (this.size !== 1) throw new ShapeError(`item: only a tensor of one element has an item; this one has shape ${fmtShape(this.shape)}`);
    const v = this.storage('item')[0];
    return elementReader(this.dtype)(v) as ElementOf<D>;
  }
  /**
   * Writes `value` into this tensor's own buffer (realizing it first if lazy). `value` must have this
   * dtype (a JS number is cast) and a shape that broadcasts to this one. Reads of this tensor inside
   * `value` see the old contents: the new value is computed completely before it is stored.
   */
  assign<V extends Tensor | number | boolean | NestedArray[]>(value: MustBe<D, V>, opts?: AssignOptions): this {
    if (tracing()) throw traceError('assign() (a side effect: it would run once, when the function is traced)');
    const { op, evalOpts } = assignOptions(opts);
    if (this.node.dead) throw new TensorError(`assign: the target ${this.dtype} tensor of shape ${fmtShape(this.shape)} was disposed; assign into a live tensor`);
    if (value instanceof Tensor && value.node.dead) throw disposedError('assign', value.node);
    if (onGradientPath(this.node) || (value instanceof Tensor && onGradientPath(value.node))) {
      throw new TensorError('assign: inside grad, valueAndGrad or vjp, a write in place whose target or value depends on the differentiated arguments would cut the gradient (the stored value is a constant to the derivative). Compute the new value as a tensor instead: where(mask, v, x), or x.scatter(axis, index, v) in place of x.at(i).assign(v)');
    }
    if (value instanceof Tensor && value.dtype !== this.dtype) {
      throw new DTypeError(`assign: value has dtype ${value.dtype} but the target is ${this.dtype}; use .cast('${this.dtype}')`);
    }
    // A JS array is cast to the target's dtype (numpy's z[:] = [1, 2]); a number is a constant of it.
    const r = value instanceof Tensor ? value : toOperand('assign', value);
    const v = r === value && r instanceof Tensor ? r : r instanceof Tensor ? r.cast(this.dtype) : constant(Number(r), this.dtype);
    const given = broadcastTo('assign', v, this.shape);
    if (this.indexed) {
      this.node = this.indexed(given, op, evalOpts).node;
      return this;
    }
    // `x.assign(v, { op: 'add' })` is `x += v`: the sum reads x at the index it writes.
    const src = op ? castTo(elementwise(ASSIGN_OPS[op][isBool(this.dtype) ? 1 : 0], [this, given]), this.dtype) : given;
    if (this.base) return this.assignThrough(this.base, src, evalOpts);
    this.eval(evalOpts);
    liveData('assign', this.node); // a transferred target would be written past its end
    assignInto(this.node, src.node, evalOpts);
    return this;
  }
  /** numpy's `z[1:3, ::2] = v`: writes into the storage of the tensor this one is a view of. */
  private assignThrough(base: NonNullable<Tensor['base']>, src: Tensor, opts?: EvalOptions): this {
    const { root, view, why } = base;
    if (!view) throw new TensorError(`assign: cannot write through this view: ${why}`);
    if (root.node.dead) throw new TensorError(`assign: this is a view of a ${root.dtype} tensor of shape ${fmtShape(root.shape)} that was disposed`);
    if (!root.isRealized) {
      // A lazy tensor that holds no data (zeros, arange, rand) is realized, then written; a lazy value
      // computed from other tensors is not storage anyone holds: writing into it would be lost.
      if (!root.node.pure) {
        throw new TensorError(`assign: this is a view of a lazy computed value (${root.node.op} of shape ${fmtShape(root.shape)}), which has no storage to write into; eval() that value first, or write into the tensor it was computed from`);
      }
      root.eval(opts);
    }
    liveData('assign', root.node);
    assignInto(root.node, src.node, opts, view);
    // From now on this view reads the storage it was written into.
    this.node = fromView(root.node, view, this.dtype).node;
    return this;
  }

  /** A 2-D tensor as an ml-matrix `Matrix` (float64). */
  toMatrix(): Matrix {
    if (this.ndim !== 2) throw new TensorError(`toMatrix: needs a 2-D tensor, got shape ${fmtShape(this.shape)}`);
    const [rows, cols] = this.shape;
    return Matrix.from1DArray(rows, cols, Array.from(this.storage(), Number));
  }

  // ---- introspection -------------------------------------------------------------------------------
  /** The C source `eval()` would compile for this tensor (`{ fuse: false }`: the unfused program). */
  toC(opts: { fuse?: boolean } = {}): string {
    const fuse = fuseOption('toC', opts);
    return this.isRealized ? '/* realized: nothing to compute */' : sourceFor([this.node], fuse);
  }
  /** The fusion plan: kernels, what fused into each, buffers, cache key. */
  explain(opts: { fuse?: boolean } = {}): string { return explain([this.node], fuseOption('explain', opts)); }
  /** The graph as Graphviz dot, one cluster per kernel. */
  toDot(opts: { fuse?: boolean } = {}): string { return toDot([this.node], fuseOption('toDot', opts)); }

  /**
   * numpy-like text of the values. A small lazy tensor (at most `threshold` elements, see
   * setPrintOptions, and a cheap graph) is computed for it, without realizing this tensor; a larger
   * one prints a summary: `Tensor(lazy float32 [4096,4096], 3 ops: .eval() or .print() shows its values)`.
   * `String(arange(3).mul(2))` is `'tensor([0, 2, 4], dtype=int32, shape=[3])'`.
   */
  toString(): string { return formatTensor(this); }
  /** Logs the values (computing them whatever the size; long axes elided), as tfjs's `print`: `arange(3).print()`. */
  print(): void { console.log(formatTensor(this, true)); }
  [inspect.custom](): string { return formatTensor(this); }
}

// ---- disposal scopes ---------------------------------------------------------------------------------

const scopes: Set<Tensor>[] = [];

function tensorsIn(value: unknown, into: Set<Tensor>, depth = 0): Set<Tensor> {
  if (value instanceof Tensor) into.add(value);
  else if (depth < 4 && value !== null && typeof value === 'object') {
    for (const v of Array.isArray(value) ? value : Object.values(value)) tensorsIn(v, into, depth + 1);
  }
  return into;
}

/**
 * Runs `fn` and disposes every tensor created inside it except those it returns (in an array or object
 * too), as TensorFlow.js's `tf.tidy` does: the buffers go straight back to tensorfuse's pool.
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TensorError('tidy: expected a function');
  const scope = new Set<Tensor>();
  const since = nextNodeId();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } finally {
    scopes.pop();
  }
  if (result instanceof Promise) throw new TensorError('tidy: the function must be synchronous (it returned a Promise)');
  const keep = tensorsIn(result, new Set());
  // What is kept is realized now, so that no kept lazy graph reads a buffer released below; every
  // other tensor made inside is disposed, and its buffer reused even if an inner expression read it.
  // (Inside a jit trace nothing is realized: the kept values stay lazy, part of the trace.)
  if (!tracing()) for (const t of keep) if (!t.isDisposed) t.eval();
  // Only storage realized inside: a tensor made inside over a node realized before (w.T of a vector,
  // the backward pass's handles on the parameters) must not free what the tensor outside owns.
  for (const t of scope) if (!keep.has(t)) t.release(true, t.node.id >= since);
  if (scopes.length) for (const t of keep) scopes[scopes.length - 1].add(t);
  return result;
}

// ---- recording helpers ------------------------------------------------------------------------------

/** `{ fuse? }` of the introspection methods. */
function fuseOption(op: string, opts: unknown): boolean {
  if (opts === undefined) return true;
  if (typeof opts !== 'object' || opts === null) throw new TensorError(`${op}: options must be an object like { fuse: false }, got ${describe(opts)}`);
  const fuse: unknown = (opts as { fuse?: unknown }).fuse;
  if (fuse !== undefined && typeof fuse !== 'boolean') throw new TensorError(`${op}: fuse must be true or false, got ${describe(fuse)}`);
  return fuse ?? true;
}

/** A user's shape for expand/broadcastTo, read once (-1 allowed: it keeps a dim). */
function shapeArg(op: string, shape: unknown): number[] {
  const list = readArray(op, shape);
  if (list === undefined) throw new ShapeError(`${op}: a shape must be an array of dims, got ${describe(shape)}`);
  return list as number[];
}

/** Mean of squared deviations over `axis` (normalized once, under the name the user called). */
function variance<R extends DType = DType>(op: string, t: Tensor, axis: number | number[] | undefined, keepdims: boolean, ddof: unknown): Tensor<R> {
  const axes = normAxes(op, axis, t.shape);
  if (typeof ddof !== 'number' || !(ddof >= 0) || ddof === Infinity) throw new TensorError(`${op}: ddof must be a non-negative number, got ${describe(ddof)}`);
  const x = t.cast(summedOf(t.dtype)); // ints and bools in float64, as their mean
  const count = axes.reduce((n, a) => n * t.shape[a], 1);
  return typed(x.sub(x.mean(axes, true)).square().sum(axes, keepdims).div(Math.max(count - ddof, 0)));
}

/** Checks an operand: a Tensor, a JS number or boolean (a 0-d constant), or nested arrays (a tensor). */
function operand(op: string, x: unknown): Tensor {
  const r = toOperand(op, x);
  return r instanceof Tensor ? r : constant(Number(r), scalarDType(r));
}

/** Checks that an argument is a Tensor (for calls that take no JS scalars). */
/** @internal */
export function tensorArg(op: string, x: unknown): Tensor {
  if (x instanceof Tensor) return x;
  throw new TensorError(`${op}: expected a Tensor, got ${describe(x)}`);
}

/**
 * @internal `t` read along `axis` at the source indices of `runs` (all in range; padding.ts): each run of
 * consecutive, reversed or repeated indices a slice, flip or broadcast, joined by one concat.
 */
export function remap<R extends DType = DType>(t: Tensor, axis: number, runs: readonly Run[]): Tensor<R> {
  const along = <T>(v: T, other: T | null) => t.shape.map((_, d) => (d === axis ? v : other));
  const pieces = runs.map(({ first, step, count }) => {
    if (step === 0) return t.slice(along(first, null), along(first + 1, null)).expand(t.shape.map((d, k) => (k === axis ? count : d)));
    const last = first + step * (count - 1);
    // a reversed run ending at index 0 needs an open end (-1 would count from the end)
    return step > 0 ? t.slice(along(first, null), along(last + 1, null)) : t.slice(along(first, null), along(last === 0 ? null : last - 1, null), along(-1, 1) as number[]);
  });
  return typed(pieces.length === 1 ? pieces[0] : concat(pieces, axis));
}

/**
 * One axis padded in a numpy mode: the runs of its source indices as fused selects, or, for a pad many
 * times wider than the axis (more than MAX_RUNS runs), one period of the mode tiled (a copy) and the
 * window of it that numpy's result is.
 */
function padAxis<R extends DType = DType>(t: Tensor, a: number, mode: 'edge' | 'reflect' | 'symmetric' | 'wrap', before: number, after: number): Tensor<R> {
  const n = t.shape[a];
  const runs = padRuns(mode, n, before, after);
  if (runs) return remap(t, a, runs);
  const period = remap(t, a, periodRuns(mode as 'reflect' | 'symmetric' | 'wrap', n));
  const P = period.shape[a], total = before + n + after;
  const start = ((-before % P) + P) % P; // where position -before falls in the period
  const k = Math.ceil((start + total) / P);
  const wide = period.shape.slice();
  wide.splice(a, 0, k);
  const tiled = period.unsqueeze(a).expand(wide).reshape(period.shape.map((d, i) => (i === a ? d * k : d)));
  return typed(tiled.slice(t.shape.map((_, d) => (d === a ? start : null)), t.shape.map((_, d) => (d === a ? start + total : null))));
}

/**
 * @internal Adds methods to Tensor.prototype, as the class's own are (not enumerable): numeric.ts and
 * shape-helpers.ts add theirs, so that this file need not import them (they import it).
 */
export function addMethods(methods: Record<string, (this: Tensor, ...args: never[]) => unknown>): void {
  for (const [name, fn] of Object.entries(methods)) {
    if (name in Tensor.prototype) throw new Error(`internal: Tensor.${name} is defined twice`);
    Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
  }
}

/** How nested JS arrays become tensors: create.ts's tensor(), which it installs (it imports this file). */
let readArrays: ((data: NestedArray) => Tensor) | undefined;
/** @internal */
export function setArrayReader(f: (data: NestedArray) => Tensor): void { readArrays = f; }

/** @internal An operand with JS arrays made tensors (float64, or bool when every element is a boolean). */
export function toOperand(op: string, x: unknown): Resolved {
  if (x instanceof Tensor || typeof x === 'number' || typeof x === 'boolean') return x;
  if (Array.isArray(x)) return arrayTensor(op, x);
  throw new TensorError(`${op}: expected a Tensor, number, boolean or array, got ${describe(x)}`);
}

function arrayTensor(op: string, x: unknown[]): Tensor {
  try {
    if (!readArrays) throw new Error('internal: create.ts is not loaded, so JS arrays cannot be read');
    return readArrays(x as NestedArray);
  } catch (e) {
    if (e instanceof TensorError) throw new TensorError(`${op}: an array operand ${e.message.replace(/^tensor: /, '')}`, { cause: e });
    throw e;
  }
}

/**
 * The JS arrays among an elementwise op's operands as tensors of the dtype their values would take as
 * scalars next to the op's tensor operands (numpy's weak scalars): `float32.add([1, 2])` stays float32,
 * `int32.add([0.5])` is float64. With no tensor operand: bool for all-boolean arrays, else float64.
 */
function resolveArrays(op: string, operands: readonly Operand[], first: number): Resolved[] {
  let p: DType | undefined;
  for (let i = first; i < operands.length; i++) {
    const x = operands[i];
    if (x instanceof Tensor && !x.node.weak) p = p === undefined ? x.dtype : promote(p, x.dtype);
  }
  return operands.map((x, i) => {
    if (!Array.isArray(x)) return x;
    const values = arrayTensor(op, x); // read once: float64, or bool
    if (i < first || p === undefined) return values;
    const data = values.node.data!; // a fresh buffer (no storage() call: that refuses inside a jit trace)
    if (isBool(values.dtype)) return values.cast(p);
    let d = p; // each element weak, as a number would be
    for (let j = 0; j < data.length; j++) d = promote(d, weakPromote(p, data[j]));
    return values.cast(d);
  });
}

/** @internal */
export function castTo<R extends DType = DType>(t: Tensor, d: DType): Tensor<R> {
  if (t.dtype === d) return typed(t);
  if (isConst(t.node)) return typed(constant(toDType(t.node.arg as number, d), d));
  return new Tensor(makeNode('cast', [t.node], t.shape, d));
}

/** @internal */
export function constant(value: number, dtype: DType): Tensor {
  return new Tensor(scalarNode('const', [], dtype, toDType(value, dtype)));
}

/** `0, 1, ..., n-1` along one axis, generated in the loop. */
/** @internal */
export function iota(n: number, dtype: DType): Tensor {
  return new Tensor(makeNode('iota', [], [n], dtype));
}

/** @internal A tensor's node seen as a strided view over a base node (itself, if it is not a view). */
export function viewOf(node: Node): { base: Node; view: View } {
  if (isView(node)) return { base: node.src[0], view: node.arg as unknown as View };
  return { base: node, view: contiguousView(node.shape) };
}

/** @internal */
export function fromView<R extends DType = DType>(base: Node, view: View, dtype: DType): Tensor<R> {
  if (sameShape(view.shape, base.shape) && isContiguousView(view)) return new Tensor(base);
  if (base.dead) throw disposedError('a view (reshape, slice, transpose, expand, ...)', base);
  const arg = { shape: view.shape.slice(), strides: view.strides.slice(), offset: view.offset } as unknown as Arg;
  return new Tensor(makeNode('view', [base], view.shape, dtype, arg));
}

/**
 * A view of `t` made by a movement op: it remembers `t`'s root tensor and, through `move` applied to
 * `t`'s own view of it, where it lives there (or why it cannot be written through, when `move` fails).
 * @internal
 */
export function viewing<R extends DType = DType>(t: Tensor, out: Tensor, move: (v: View) => View | null, why = 'it is not a view of storage'): Tensor<R> {
  if (out === t) return typed(t);
  const from = t.base ?? { root: t, view: contiguousView(t.shape) };
  const view = from.view && move(from.view);
  out.base = view ? { root: from.root, view } : { root: from.root, view: null, why: from.why ?? why };
  return typed(out);
}

/** expand/broadcastTo: a view in which one element can stand at several positions, so not writable. */
function broadcastView<R extends DType = DType>(op: string, t: Tensor, shape: readonly number[]): Tensor<R> {
  const out = broadcastTo(op, t, shape);
  if (out === t) return typed(t);
  out.base = { root: t.base?.root ?? t, view: null, why: `${op} gives a broadcast view, in which one element stands at several positions; assign into the tensor before it is broadcast` };
  return typed(out);
}

/** @internal */
export function broadcastTo<R extends DType = DType>(op: string, t: Tensor, shape: readonly number[]): Tensor<R> {
  if (!Array.isArray(shape)) throw new ShapeError(`${op}: a shape must be an array of dims, got ${describe(shape)}`);
  const pre = shape.length - t.ndim;
  if (pre < 0) throw new ShapeError(`${op}: cannot broadcast ${fmtShape(t.shape)} to fewer dims ${describe(shape)}`);
  const target = shape.map((d, i) => (d === -1 && i >= pre ? t.shape[i - pre] : d));
  if (!target.every((d) => Number.isInteger(d) && d >= 0)) throw new ShapeError(`${op}: dims must be non-negative integers, got ${describe(shape)}`);
  checkSize(op, target);
  t.shape.forEach((d, i) => {
    if (d !== 1 && d !== target[pre + i]) throw new ShapeError(`${op}: cannot broadcast ${fmtShape(t.shape)} to ${fmtShape(target)}`);
  });
  if (sameShape(t.shape, target)) return typed(t);
  // A scalar (the common case: JS numbers in arithmetic) broadcasts with all-zero strides in one view.
  if (t.ndim === 0 && !isView(t.node)) return fromView(t.node, { shape: target, strides: target.map(() => 0), offset: 0 }, t.dtype);
  const r = pre > 0 ? t.reshape([...Array(pre).fill(1), ...t.shape]) : t;
  const { base, view } = viewOf(r.node);
  return fromView(base, expandView(view, target), r.dtype);
}

const constValue = (n: Node): number | undefined =>
  isConst(n) ? (n.arg as number) : isView(n) && isConst(n.src[0]) ? (n.src[0].arg as number) : undefined;

/** The graph of `t`'s own numbers, made once: what everything but an elementwise op or eval reads. */
function settle(t: Tensor): Node {
  t.node = materialize(t.held, t.over!);
  return t.held;
}

/** Numbers pending on one tensor past which it gets a graph of its own (each op copies the list). */
const MAX_PENDING = 64;

/**
 * Records an elementwise op: resolves dtypes (JS scalars are weak), casts the operands to the compute
 * dtype, broadcasts them to one shape, and folds the op away when every operand is a constant. A
 * repeat is found in the memo of the node it was recorded on (memo.ts), and a number of a kind
 * recorded there before stays pending on that earlier result.
 * @internal
 */
export function elementwise<R extends DType = DType>(op: ElementwiseName | CustomOpName, operands: readonly Operand[]): Tensor<R> {
  const self = operands[0];
  if (operands.length > 2 || !(self instanceof Tensor)) return typed(record(op, operands));
  const other = operands[1];
  let arg: Node | number | boolean | undefined;
  if (other instanceof Tensor) arg = other.node;
  else if (other === undefined || typeof other === 'number' || typeof other === 'boolean') arg = other;
  else return typed(record(op, operands));
  // Numbers pending on self's template ride along when the op is recorded on the template, which
  // holds unless the other operand may read an anchor (a node older than all of them cannot): then
  // self gets a graph of its own numbers first.
  let pending = self.over;
  if (pending !== undefined && (pending.length >= MAX_PENDING || (typeof arg === 'object' && readsAnchor(arg, pending)))) {
    settle(self);
    pending = undefined;
  }
  const me = self.held;
  // The entry is held strongly (no WeakRef: see graph.ts), so it lives on the node that goes last:
  // `self`, or the other operand when that is a younger tensor holding data (x.add(freshBigY) must not
  // keep every fresh y alive for as long as x lives).
  const mirrored = typeof arg === 'object' && !arg.pure && arg.id > me.id;
  const node = mirrored ? arg as Node : me;
  const role = mirrored ? MIRRORED : EXACT;
  const key = mirrored ? me : arg;
  const hit = recall(node, role, op, key);
  if (hit) return new Tensor(hit, pending);
  const similar = !mirrored && !(typeof arg === 'object' && arg.weak) && !me.dead && !me.weak && constValue(me) === undefined;
  const kind = typeof other === 'number' || typeof other === 'boolean' ? scalarKind(other) : undefined;
  const again = node.copiedOp === op && Object.is(node.copiedArg, key);
  // A number of a kind recorded on this node before: the op recorded then, with this number pending
  // (memo.ts). A number asked for twice in a row is recorded for real below (a loop with a fixed one).
  const template = similar && kind !== undefined && !again ? templateFor(me, op, other as number | boolean, kind) : undefined;
  if (template) {
    node.copiedOp = op;
    node.copiedArg = key;
    return new Tensor(template.anchor, pending ? [...pending, template] : [template]);
  }
  // The same op recorded before on a node of the same skeleton (with the same other operand), or with
  // a number of the same kind, is a template: only the numbers differ, and copying it costs no dtype
  // resolution and no hash-cons lookup (for a fresh node: a copy, or a graph of its own numbers).
  const home = me.skel ?? me;
  // A template over another tensor lives on whichever of the skeleton and that tensor goes last (as
  // above): a fresh y in x.mul(k).add(y) must not be kept for as long as x.
  const keeper = typeof arg === 'object' && !arg.pure && arg.id > home.id ? arg : home;
  const sharedRole = keeper === home ? EXACT : SHARED;
  const sharedArg = keeper === home ? arg : home;
  const copied = similar ? (home !== node && copyOf(recall(keeper, sharedRole, op, sharedArg), home, node)) || (kind && copyOf(recall(home, KIND, op, kind), home, node, other as number | boolean)) : undefined;
  const result = copied ? new Tensor(copied) : record(op, pending ? [new Tensor(me), ...operands.slice(1)] : operands);
  // A copy is remembered when it is asked for twice in a row: a number that changes at every call
  // leaves nothing in the memo.
  if (!copied || again) remember(node, role, op, key, result.held);
  else {
    node.copiedOp = op;
    node.copiedArg = key;
  }
  if (similar && !copied) {
    if (home !== node) remember(keeper, sharedRole, op, sharedArg, result.held);
    if (kind) remember(home, KIND, op, kind, result.held);
    if (kind && home !== me && me.key !== FRESH) remember(me, KIND, op, kind, result.held);
  }
  result.over = pending;
  return typed(result);
}

function record(op: ElementwiseName | CustomOpName, given: readonly Operand[]): Tensor {
  const def = opDef(op) as ElementwiseDef;
  const n = given.length;
  const first = def.promoteFrom ?? 0; // where(): the condition keeps its dtype, the two values promote
  const operands = given.some(Array.isArray) ? resolveArrays(op, given, first) : given as readonly Resolved[];
  let p: DType | undefined;
  let shape: readonly number[] | undefined;
  let strong = false, weak = false;
  for (let i = 0; i < n; i++) {
    const x = operands[i];
    if (x instanceof Tensor) {
      if (x.node.dead) throw disposedError(op, x.node);
      // Usually every tensor operand has one shape: broadcast (and allocate) only when they differ.
      shape = shape === undefined ? x.shape : shape === x.shape || sameShape(shape, x.shape) ? shape : broadcastShapes(op, shape, x.shape);
      if (x.node.weak) weak = true; // promoted below, as a number
      else {
        strong = true;
        if (i >= first) p = p === undefined ? x.dtype : promote(p, x.dtype);
      }
    } else if (typeof x !== 'number' && typeof x !== 'boolean') {
      throw new TensorError(`${op}: expected a Tensor, number, boolean or array, got ${describe(x)}`);
    }
  }
  if (p === undefined) {
    // Scalars only: jit's runtime scalars by their dtype, JS numbers weak next to them (else float64).
    for (let i = first; i < n; i++) {
      const x = operands[i];
      if (x instanceof Tensor) p = p === undefined ? x.dtype : promote(p, x.dtype);
    }
    const runtime = p;
    for (let i = first; i < n; i++) {
      const x = operands[i];
      if (x instanceof Tensor) continue;
      p = runtime !== undefined ? weakPromote(p!, x) : p === undefined ? scalarDType(x) : promote(p, scalarDType(x));
    }
  } else {
    for (let i = first; i < n; i++) {
      const w = weakValue(operands[i]);
      if (w !== undefined) p = weakPromote(p, w);
    }
  }
  const ds: DType[] = [];
  for (let i = 0; i < n; i++) ds.push(i < first ? (operands[i] instanceof Tensor ? (operands[i] as Tensor).dtype : 'bool') : p!);
  const { ins, out } = def.dtypes(op, ds);
  const target = shape ?? [];
  const srcs: Node[] = [];
  let allConst = true;
  for (let i = 0; i < n; i++) {
    const x = operands[i];
    const t = x instanceof Tensor ? castTo(x, ins[i]) : constant(Number(x), ins[i]);
    const node = broadcastTo(op, t, target).node;
    if (allConst && constValue(node) === undefined) allConst = false;
    srcs.push(node);
  }
  if (allConst) {
    const v = applyScalar(def, ins[ins.length - 1], out, constValue(srcs[0])!, constValue(srcs[1] ?? srcs[0]), constValue(srcs[2] ?? srcs[0]));
    return broadcastTo(op, constant(v, out), target);
  }
  const sunk = atMatmulShape(srcs, target);
  const node = makeNode(op, sunk?.srcs ?? srcs, sunk?.shape ?? target, out);
  if (weak && !strong) node.weak = isFloat(out) ? 'float' : isBool(out) ? 'bool' : 'n32';
  if (sunk || srcs.some((x) => atMatmul.has(x) && sameShape(x.shape, target))) atMatmul.add(node);
  return sunk ? fromView(node, reshapeView(contiguousView(sunk.shape), target)!, out) : new Tensor(node);
}

/** A matmul's result, and elementwise ops over it at its shape: what can still be its epilogue (schedule rule 2). */
const atMatmul = new WeakSet<Node>();

/** @internal A matmul-like node made elsewhere (conv2d's): elementwise ops reading it through a reshape are recorded at its shape. */
export function matmulShaped<R extends DType = DType>(t: Tensor<R>): Tensor<R> {
  atMatmul.add(t.node);
  return t;
}

/**
 * The sources of an elementwise op read at the shape of a matmul that one of them reshapes (contiguously,
 * as conv2d's NCHW output reshapes its matmul): recorded there and reshaped after, the op can be the
 * matmul's epilogue (`relu(conv2d(x, w))` is one kernel) instead of a kernel of its own. The value is the
 * same: a contiguous reshape keeps every element's position. Undefined when there is no such source or
 * another source cannot be read at that shape (reshapeView of its view fails).
 */
function atMatmulShape(srcs: readonly Node[], target: readonly number[]): { srcs: Node[]; shape: readonly number[] } | undefined {
  const via = srcs.find((x) => isView(x) && atMatmul.has(x.src[0]) && isContiguousView(x.arg as unknown as View) && sizeOf(x.src[0].shape) === sizeOf(target));
  if (!via) return undefined;
  const shape = via.src[0].shape;
  const moved: Node[] = [];
  for (const x of srcs) {
    const { base, view } = viewOf(x);
    const v = reshapeView(view, shape);
    if (!v) return undefined;
    moved.push(fromView(base, v, x.dtype).node);
  }
  return { srcs: moved, shape };
}

/** An operand as weakPromote sees a scalar: a JS number or boolean, or a jit runtime scalar by its kind. */
const weakValue = (x: Resolved): number | boolean | undefined =>
  !(x instanceof Tensor) ? x : !x.node.weak ? undefined : KIND_VALUE[x.node.weak];

function reduce<R extends DType = DType>(op: ReduceName, t: Tensor, axis: number | number[] | undefined, keepdims: boolean): Tensor<R> {
  const def: ReduceDef = OPS[op];
  const axes = normAxes(op, axis, t.shape);
  const x = isBool(t.dtype) && def.boolAsInt ? t.cast('int32') : t;
  if (def.empty === undefined && axes.some((a) => t.shape[a] === 0)) {
    throw new ShapeError(`${op}: cannot reduce over an empty axis of ${fmtShape(t.shape)} (axes ${describe(axes)}); ${op} of nothing is undefined`);
  }
  const out = def.out(x.dtype, axes.reduce((n, a) => n * x.shape[a], 1));
  if (axes.length === 0 && out === x.dtype && !def.positional) return typed(x);
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const r = new Tensor(makeNode(op, [x.node], kept, out, { axes }));
  return typed(keepdims ? r : r.reshape(x.shape.filter((_, i) => !axes.includes(i))));
}

function matmul<R extends DType = DType>(a: Tensor, b: Tensor): Tensor<R> {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul: operands must have at least 1 dim, got ${fmtShape(a.shape)} @ ${fmtShape(b.shape)}; use mul for scalars`);
  }
  const d = promote(a.dtype, b.dtype);
  if (isBool(d)) return typed(matmul(a.cast('int32'), b.cast('int32')).ne(0));
  const a2 = a.ndim === 1 ? a.reshape([1, -1]) : a;
  const b2 = b.ndim === 1 ? b.reshape([-1, 1]) : b;
  const [m, k] = a2.shape.slice(-2), [k2, n] = b2.shape.slice(-2);
  if (k !== k2) {
    throw new ShapeError(`matmul: inner dimensions differ: ${fmtShape(a.shape)} @ ${fmtShape(b.shape)} (${k} != ${k2})`);
  }
  const batch = broadcastShapes('matmul', a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const A = broadcastTo('matmul', a2.cast(d), [...batch, m, k]);
  const B = broadcastTo('matmul', b2.cast(d), [...batch, k, n]);
  let r = new Tensor(makeNode('matmul', [A.node, B.node], [...batch, m, n], d));
  atMatmul.add(r.node);
  if (a.ndim === 1) r = r.squeeze(r.ndim - 2);
  if (b.ndim === 1) r = r.squeeze(r.ndim - 1);
  return typed(r);
}

/**
 * Realizes several tensors in one program: one compile, one run, shared inputs read once. Returns its
 * arguments as a tuple: `const [lo, hi] = evalAll(x.min(), x.max())`.
 */
export function evalAll<T extends Tensor[]>(...tensors: T): T {
  tensors.forEach((t) => tensorArg('evalAll', t));
  if (tracing()) throw traceError('evalAll()');
  realize(tensors);
  return tensors;
}

/**
 * @internal (optim's step) `evalAll(...also, ...values)`, then `targets[i].assign(values[i])` for each
 * i, in one program: each value computed from the targets as they were, written into its target's own
 * buffer, mostly without a copy (realizeWrites). The values are used up (disposed). A target that is
 * not a realized tensor of its own (lazy, a view, or with a value of another shape or dtype) takes the
 * two steps as written.
 */
export function assignAll(targets: readonly Tensor[], values: readonly Tensor[], also: readonly Tensor[] = []): void {
  [...also, ...values].forEach((t) => tensorArg('evalAll', t));
  const owns = (t: Tensor, v: Tensor) => t.isRealized && !t.base && !t.indexed && !t.node.dead && t.node.data!.length === t.size &&
    !v.node.dead && v.dtype === t.dtype && sameShape(v.shape, t.shape) && !onGradientPath(t.node) && !onGradientPath(v.node);
  if (tracing() || also.some((t) => t.node.dead) || !targets.every((t, i) => owns(t, values[i]))) {
    evalAll(...also, ...values);
    targets.forEach((t, i) => {
      // Forced (as tidy does): the copy read the value, and nothing lazy is left that could read it again.
      t.assign(values[i]);
      values[i].release(true);
    });
    return;
  }
  realizeWrites(targets.map((t) => t.node), values.map((v) => v.node), also);
  for (const v of values) v.release(false, false); // (a value that is a buffer is storage someone else may hold)
}

// ---- functions ----------------------------------------------------------------------------------

/** `cond ? a : b` elementwise, with numpy broadcasting. */
export function where<A extends Operand, B extends Operand>(cond: Operand, a: A, b: B): Tensor<Select<A, B>> {
  return elementwise('where', [cond, a, b]);
}

/** Joins tensors along an existing axis. dtypes promote; other dims must agree. */
export function concat<L extends readonly (Tensor | NestedArray[])[]>(list: readonly [...L], axis?: number): Tensor<ListOf<L>>;
export function concat(list: readonly (Tensor | NestedArray[])[], axis = 0): Tensor {
  const tensors = tensorList('concat', list);
  const first = tensors[0];
  const ax = normAxis('concat', axis, first.ndim, first.shape);
  for (const t of tensors) {
    if (t.ndim !== first.ndim || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new ShapeError(`concat: shapes ${tensors.map((x) => fmtShape(x.shape)).join(', ')} differ outside axis ${ax}`);
    }
  }
  const d = tensors.map((t) => t.dtype).reduce(promote);
  if (tensors.length === 1) return first.cast(d);
  if (tensors.length > CONCAT_GROUP) {
    // Each element of a concat selects among all its inputs, so many inputs are joined in groups
    // (stored), then the groups: work and C per element stay O(group · log n), not O(n).
    const groups: Tensor[] = [];
    for (let i = 0; i < tensors.length; i += CONCAT_GROUP) groups.push(concat(tensors.slice(i, i + CONCAT_GROUP), ax).cast(d).contiguous());
    return concat(groups, ax);
  }
  const total = tensors.reduce((n, t) => n + t.shape[ax], 0);
  const offsets: number[] = [];
  tensors.reduce((at, t) => (offsets.push(at), at + t.shape[ax]), 0);
  const widths = (i: number) => first.shape.map((_, k) => (k === ax ? [offsets[i], total - offsets[i] - tensors[i].shape[ax]] : [0, 0]) as [number, number]);
  const position = iota(total, 'int32').reshape(first.shape.map((_, k) => (k === ax ? total : 1)));
  // Each element picks the input whose range along `axis` holds it: a select, so no value is altered.
  let acc = tensors[tensors.length - 1].cast(d).pad(widths(tensors.length - 1));
  for (let i = tensors.length - 2; i >= 0; i--) {
    acc = position.lt(offsets[i + 1]).where(tensors[i].cast(d).pad(widths(i)), acc);
  }
  return acc;
}

/** Inputs one concat kernel selects among (see concat). */
const CONCAT_GROUP = 16;

/** Joins same-shape tensors along a new axis. */
export function stack<L extends readonly (Tensor | NestedArray[])[]>(list: readonly [...L], axis?: number): Tensor<ListOf<L>>;
export function stack(list: readonly (Tensor | NestedArray[])[], axis = 0): Tensor {
  const tensors = tensorList('stack', list);
  for (const t of tensors) {
    if (!sameShape(t.shape, tensors[0].shape)) {
      throw new ShapeError(`stack: all tensors must have the same shape, got ${tensors.map((x) => fmtShape(x.shape)).join(', ')}`);
    }
  }
  const ax = normAxis('stack', axis, tensors[0].ndim + 1, tensors[0].shape);
  return concat(tensors.map((t) => t.unsqueeze(ax)), ax);
}

export type { Shape };

/** The tensors of concat/stack, read once into a plain array. */
function tensorList(op: string, list: unknown): Tensor[] {
  const ts = readArray(op, list, MAX_TENSORS, 'tensors');
  if (ts === undefined || ts.length === 0) throw new TensorError(`${op}: needs a non-empty array of tensors`);
  // A JS array in the list is a tensor (float64, or bool), as tensor() makes it.
  return ts.map((t) => tensorArg(op, Array.isArray(t) ? toOperand(op, t) : t));
}
const MAX_TENSORS = 100_000;
