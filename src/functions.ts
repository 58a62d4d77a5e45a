/**
 * Function forms of the Tensor methods, as tfjs users write them (`tf.exp(x)`, `tf.add(a, b)`,
 * `tf.sum(x, 1)`): `import * as tf from 'tensorfuse'` then reads like tfjs for these.
 *
 * Elementwise ops of the op table are generated from it: `add(a, b)` records the entry with both
 * operands as given, so a JS number or array in either place is a weak scalar (`add(1, x32)` stays
 * float32). Every other form calls the method of the same name on its first operand, which may also be
 * a number or a JS array (made a tensor). test/functions.test.ts checks that every elementwise and
 * reduce op of the table has its function here.
 */
import type { ElementwiseDef, ElementwiseName } from './ops.js';
import { opDef } from './ops.js';
import { DTypeError, TensorError } from './errors.js';
import type { Arith, ArithOf, Axpy, Bound, ListDType, Lone, Operand, Promoted, Resolve } from './tensor.js';
import { constant, elementwise, Tensor, toOperand } from './tensor.js';
import './numeric.js'; // their methods (logsumexp, split, ...) are on Tensor.prototype once these load
import './shape-helpers.js';
import './indexing.js';
import './scans.js';
import type { DType, Floating, Promote, Quotient } from './dtype.js';
import { DTYPES, floatOf, isBool, quotientOf, scalarDType } from './dtype.js';

/**
 * An op-table dtype rule, named as in the table, at the type level: `arith` with bools computing as
 * bool, int32 or refused ('error'), `floating`, or a bool result (`compare`, `logical`). `P` is the
 * operands' promoted dtype.
 */
type Rule = 'bool' | 'int32' | 'error' | 'floating' | 'divide' | 'compare';
type RuleOf<R extends Rule, P extends DType> = { bool: Arith<P, 'bool'>; int32: Arith<P, 'int32'>; error: Arith<P, never>; floating: Floating<P>; divide: Quotient<P>; compare: 'bool' }[R];
/** The same rules at run time, to check that the op table agrees with the types (undefined: refused). */
const RULES: Record<Rule, (d: DType) => DType | undefined> = {
  bool: (d) => d, int32: (d) => (isBool(d) ? 'int32' : d), error: (d) => (isBool(d) ? undefined : d),
  floating: floatOf, divide: quotientOf, compare: () => 'bool',
};
type Unary<R extends Rule> = <X extends Operand>(x: X) => Tensor<RuleOf<R, Lone<X>>>;
type Binary<R extends Rule> = <A extends Operand, B extends Operand>(a: A, b: B) => Tensor<RuleOf<R, Promoted<A, B>>>;

/** The op-table entry `name` as a function of its operands (arity checked), typed by its dtype rule (checked against the table's). */
function entry<N extends 1 | 2, R extends Rule>(name: ElementwiseName, arity: N, rule: R): N extends 1 ? Unary<R> : Binary<R> {
  const def = opDef(name) as ElementwiseDef;
  if (def.kind !== 'elementwise' || def.arity !== arity) throw new Error(`internal: ${name} is not an elementwise op of arity ${arity}`);
  for (const d of DTYPES) {
    let out: DType | undefined;
    try {
      out = def.dtypes(name, Array(arity).fill(d)).out;
    } catch (e) {
      if (!(e instanceof DTypeError)) throw e;
    }
    if (out !== RULES[rule](d)) throw new Error(`internal: the function ${name} is typed by the rule '${rule}', but the op table gives ${out ?? 'an error'} for ${d}`);
  }
  const f = (...xs: Operand[]): Tensor => {
    if (xs.length !== arity) throw new TensorError(`${name}: takes ${arity} operand${arity === 1 ? '' : 's'}, got ${xs.length}`);
    return elementwise(name, xs);
  };
  Object.defineProperty(f, 'name', { value: name });
  return f as never;
}

type MethodName = { [K in keyof Tensor & string]: Tensor[K] extends (...a: never[]) => unknown ? K : never }[keyof Tensor & string];
/**
 * The method K as a function of its first operand, typed as the method of a tensor of that operand's
 * dtype (Lone). The parameter is named `input`: a method parameter named `x`, as axpy's, would clash in
 * the .d.ts. (A generic method's type cannot be applied to arguments at the type level: those below
 * spell theirs out.)
 */
type Form<K extends MethodName> = <X extends Operand>(input: X, ...a: Parameters<Tensor[K]>) => ReturnType<Tensor<Lone<X>>[K]>;

/** The method `name` called on the first operand (a number or JS array is made a tensor first). */
function method<K extends MethodName>(name: K): Form<K> {
  const f = (x: Operand, ...args: unknown[]): unknown => {
    const r = toOperand(name, x);
    const t = r instanceof Tensor ? r : constant(Number(r), scalarDType(r));
    return (t[name] as (...a: unknown[]) => unknown).apply(t, args);
  };
  Object.defineProperty(f, 'name', { value: name });
  return f as Form<K>;
}

// elementwise entries of the op table, each with the dtype rule its entry has
export const neg = entry('neg', 1, 'error'), abs = entry('abs', 1, 'bool'), sqrt = entry('sqrt', 1, 'floating'), exp = entry('exp', 1, 'floating');
export const log = entry('log', 1, 'floating'), log1p = entry('log1p', 1, 'floating'), expm1 = entry('expm1', 1, 'floating');
export const sin = entry('sin', 1, 'floating'), cos = entry('cos', 1, 'floating'), tan = entry('tan', 1, 'floating'), tanh = entry('tanh', 1, 'floating');
export const floor = entry('floor', 1, 'int32'), ceil = entry('ceil', 1, 'int32'), round = entry('round', 1, 'int32'), sign = entry('sign', 1, 'int32');
export const asin = entry('asin', 1, 'floating'), acos = entry('acos', 1, 'floating'), atan = entry('atan', 1, 'floating');
export const sinh = entry('sinh', 1, 'floating'), cosh = entry('cosh', 1, 'floating'), asinh = entry('asinh', 1, 'floating');
export const acosh = entry('acosh', 1, 'floating'), atanh = entry('atanh', 1, 'floating'), log2 = entry('log2', 1, 'floating');
export const log10 = entry('log10', 1, 'floating'), exp2 = entry('exp2', 1, 'floating'), cbrt = entry('cbrt', 1, 'floating');
export const erf = entry('erf', 1, 'floating'), erfc = entry('erfc', 1, 'floating'), trunc = entry('trunc', 1, 'int32');
export const isnan = entry('isnan', 1, 'compare'), isinf = entry('isinf', 1, 'compare'), isfinite = entry('isfinite', 1, 'compare'), not = entry('not', 1, 'compare');
export const add = entry('add', 2, 'bool'), sub = entry('sub', 2, 'error'), mul = entry('mul', 2, 'bool'), div = entry('div', 2, 'divide');
export const pow = entry('pow', 2, 'int32'), maximum = entry('maximum', 2, 'bool'), minimum = entry('minimum', 2, 'bool');
export const mod = entry('mod', 2, 'int32'), floorDiv = entry('floorDiv', 2, 'int32'), atan2 = entry('atan2', 2, 'floating');
export const hypot = entry('hypot', 2, 'floating'), xor = entry('xor', 2, 'compare'), and = entry('and', 2, 'compare'), or = entry('or', 2, 'compare');
export const lt = entry('lt', 2, 'compare'), le = entry('le', 2, 'compare'), gt = entry('gt', 2, 'compare'), ge = entry('ge', 2, 'compare');
export const eq = entry('eq', 2, 'compare'), ne = entry('ne', 2, 'compare');

// the generic methods (their result depends on the other arguments' types), typed as the method is
export const cast = method('cast') as <X extends Operand, E extends DType>(input: X, dtype: E) => Tensor<E>;
export const clip = method('clip') as <X extends Operand, L extends Operand | null, H extends Operand | null>(input: X, lo: L, hi: H) => Tensor<Bound<Bound<Lone<X>, L>, H>>;
export const axpy = method('axpy') as <Y extends Operand, X extends Operand, A extends Operand>(input: Y, x: X, alpha: A) => Tensor<Axpy<Lone<Y>, X, A>>;
export const matmul = method('matmul') as <X extends Operand, O extends Operand>(input: X, other: O) => Tensor<ArithOf<Lone<X>, Resolve<O>, 'bool'>>;
export const dot = method('dot') as <X extends Operand, O extends Operand>(input: X, other: O) => Tensor<ArithOf<Lone<X>, Resolve<O>, 'bool'>>;
export const logaddexp = method('logaddexp') as <X extends Operand, O extends Operand>(input: X, other: O) =>
  Tensor<Floating<O extends Tensor<infer E> ? Promote<Lone<X>, E> : O extends number | boolean ? Lone<X> : Promote<Lone<X>, ListDType<O>>>>;
export const unique = method('unique') as {
  <X extends Operand>(input: X, opts?: { counts?: false }): Tensor<Lone<X>>;
  <X extends Operand>(input: X, opts: { counts: true }): [Tensor<Lone<X>>, Tensor<'int32'>];
  <X extends Operand>(input: X, opts?: { counts?: boolean }): Tensor<Lone<X>> | [Tensor<Lone<X>>, Tensor<'int32'>];
};

// composites, reductions, movement and the rest: the methods
export const square = method('square'), reciprocal = method('reciprocal'), sigmoid = method('sigmoid'), relu = method('relu');
export const softplus = method('softplus');
export const isclose = method('isclose'), allclose = method('allclose');
export const sum = method('sum'), prod = method('prod'), max = method('max'), min = method('min'), argmax = method('argmax'), argmin = method('argmin');
export const mean = method('mean'), variance = method('variance'), std = method('std'), softmax = method('softmax'), logSoftmax = method('logSoftmax');
export const logsumexp = method('logsumexp'), norm = method('norm'), any = method('any'), all = method('all');
export const reshape = method('reshape'), transpose = method('transpose'), expand = method('expand'), broadcastTo = method('broadcastTo');
export const slice = method('slice'), squeeze = method('squeeze'), unsqueeze = method('unsqueeze'), flatten = method('flatten'), flip = method('flip');
export const pad = method('pad'), contiguous = method('contiguous');
export const split = method('split'), tile = method('tile'), repeat = method('repeat'), roll = method('roll'), swapaxes = method('swapaxes');
export const moveaxis = method('moveaxis'), diagonal = method('diagonal'), trace = method('trace'), tril = method('tril'), triu = method('triu');
export const clone = method('clone');
export const at = method('at'), take = method('take'), takeAlongAxis = method('takeAlongAxis'), putAlongAxis = method('putAlongAxis');
export const scatter = method('scatter'), detach = method('detach');
export const cumsum = method('cumsum'), cumprod = method('cumprod'), cummax = method('cummax'), cummin = method('cummin');
export const sort = method('sort'), argsort = method('argsort'), topk = method('topk'), median = method('median'), quantile = method('quantile');
export const searchsorted = method('searchsorted');
