/**
 * The API's operands and the dtypes of its results at the type level: dtype.ts has the promotion rules
 * (Promote, Weak, ...); these apply them to what a method is given (a Tensor, a JS scalar, a JS array),
 * as the runtime's rules in tensor.ts resolve the same operands when an op is recorded.
 * test/dtype-types*.test.ts check them against the runtime.
 */
import type { DType, Nested, Promote, Weak } from './dtype.js';
import type { Tensor } from './tensor.js';

/**
 * An operand as the API takes it: a Tensor, a JS number or boolean (weak scalars, as numpy's), or
 * nested JS arrays (`x.add([1, 2, 3])`), which are weak too: their dtype is the one their values would
 * take as scalars next to the other operands (see resolveArrays).
 */
export type Operand = Tensor | number | boolean | NestedArray[];
export type NestedArray = number | boolean | NestedArray[];

/**
 * What a JS array operand holds: only booleans, only numbers, either (a mix, or a type that allows both),
 * or nothing (`[]`). An array of booleans may be empty (a `boolean[]` can be `[]`, which tensor() reads as
 * float64), so it is 'bool' | 'empty'; an empty array of numbers is like any array of numbers.
 */
type Elements<O> = [O] extends [never[]] ? 'empty' : [O] extends [Nested<boolean>[]] ? 'bool' | 'empty' : [O] extends [Nested<number>[]] ? 'number' : 'bool' | 'number' | 'empty';
/** The dtype `tensor()` gives a JS array: bool when every element is a boolean, else float64 (`[]` too). */
export type ListDType<O> = { empty: 'float64'; bool: 'bool'; number: 'float64' }[Elements<O>];
/** A JS array next to tensors of dtype D, weak as resolveArrays makes it: booleans adopt D, numbers are weak scalars. */
type WeakList<D extends DType, O> = { empty: Weak<D, 0>; bool: D; number: Weak<D, number> }[Elements<O>];
/** The dtype operand `O` takes next to a tensor of dtype `D`: a tensor's own, a weak JS scalar's or array's (Weak). */
export type OperandDType<D extends DType, O> = O extends Tensor<infer E> ? E : O extends boolean ? D : O extends number ? Weak<D, O> : WeakList<D, O>;
/** An operand as toOperand leaves it, for the calls that read a JS array as a tensor of its own (matmul, dot, clip, axpy): not weak. */
export type Resolve<O> = O extends unknown[] ? Tensor<ListDType<O>> : O;
/** The dtype an operand has on its own (a function form's first operand): a tensor's, a lone JS scalar's (scalarDType), an array's. */
export type Lone<O> = O extends Tensor<infer E> ? E : O extends number | boolean ? ScalarDType<O> : ListDType<O>;
/** The ops' `arith` rule: the promoted dtype, with bools computing as `B` (`never` where bools are refused, as sub and neg). */
export type Arith<D extends DType, B extends DType> = D extends 'bool' ? B : D;
/** The dtype of `this.op(other)` for arithmetic: promoted with the operand's, bools as `B`. */
export type ArithOf<D extends DType, O, B extends DType> = Arith<Promote<D, OperandDType<D, O>>, B>;
/**
 * The promoted dtype of two operands of an elementwise op (`cond.where(a, b)`'s branches, `add(a, b)`):
 * JS scalars and arrays weak next to a tensor; with no tensor, arrays as tensor() reads them and scalars
 * weak next to those; two scalars as lone scalars. Each member of a union operand counts on its own.
 */
export type Promoted<A, B> = A extends unknown ? B extends unknown ? PairDType<A, B> : never : never;
type PairDType<A, B> = A extends Tensor<infer E> ? Promote<E, OperandDType<E, B>>
  : B extends Tensor<infer E> ? Promote<E, OperandDType<E, A>>
  : A extends number | boolean ? (B extends number | boolean ? Promote<ScalarDType<A>, ScalarDType<B>> : Promote<ListDType<B>, OperandDType<ListDType<B>, A>>)
  : Promote<ListDType<A>, OperandDType<ListDType<A>, B>>;
/** `cond.where(a, b)`: the promotion of the two branches (Promoted). */
export type Select<A, B> = Promoted<A, B>;
/** A lone JS scalar's dtype (scalarDType): a boolean is bool, a number float64. */
type ScalarDType<S> = S extends boolean ? 'bool' : 'float64';
/** One bound of `clip`: `maximum`/`minimum` with it (a JS array as a tensor of its own), or nothing for null. */
export type Bound<D extends DType, O> = O extends null | undefined ? D : ArithOf<D, Resolve<O>, 'bool'>;
/**
 * `y.axpy(x, alpha)` = `y + alpha * x`, as axpy computes it: a JS array is a tensor of its own (not weak),
 * two JS scalars multiply first; each member of a union operand counts on its own.
 */
export type Axpy<D extends DType, X, A> = AxpyOf<D, Resolve<X>, Resolve<A>>;
type AxpyOf<D extends DType, X, A> = X extends unknown ? A extends unknown ? (
  X extends Tensor<infer E> ? ArithOf<D, Tensor<ArithOf<E, A, 'bool'>>, 'bool'>
  : A extends Tensor<infer E> ? ArithOf<D, Tensor<ArithOf<E, X, 'bool'>>, 'bool'> : ArithOf<D, number, 'bool'>) : never : never;
/**
 * A tensor argument that must have dtype `D` (assign's value, scatter's values, int32 positions): a tensor
 * whose dtype cannot be D (Tensor<'float64'> for a float32 target) does not type-check, one that may be
 * (a Tensor of a dtype not known statically) does and is checked when recorded. Other arguments pass.
 */
export type MustBe<D extends DType, V> = V extends Tensor<infer E> ? ([Extract<E, D>] extends [never] ? Tensor<D> : V) : V;
/**
 * concat's and stack's dtype: the promotion of the list's dtypes (a JS array in it as tensor() reads it).
 * For a tuple, of each element's; for an array of a union of tensor types, which members are there is
 * not known, so the promotion of any two of them (uint8 with int8 is int16: in neither). That covers
 * every subset, since promotion is associative and the join of any set of dtypes is the join of two of
 * them (test/dtypes.test.ts checks both on the table).
 */
export type ListOf<L extends readonly unknown[]> = number extends L['length'] ? Promote<Lone<L[number]>, Lone<L[number]>> : PromoteAll<L>;
type PromoteAll<L extends readonly unknown[]> = L extends readonly [infer H, ...infer R] ? (R extends readonly [] ? Lone<H> : Promote<Lone<H>, PromoteAll<R>>) : never;
/** A position (argmax, argsort, ...): int32, or float64 when the positions can pass 2^31 (decided by shape). */
export type Position = 'int32' | 'float64';
