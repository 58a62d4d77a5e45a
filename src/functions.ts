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
import type { ElementwiseDef } from './ops.js';
import { opDef } from './ops.js';
import { TensorError } from './errors.js';
import type { Operand } from './tensor.js';
import { constant, elementwise, Tensor, toOperand } from './tensor.js';
import './numeric.js'; // their methods (logsumexp, split, ...) are on Tensor.prototype once these load
import './shape-helpers.js';
import './indexing.js';
import './scans.js';
import { scalarDType } from './dtype.js';

/** The op-table entry `name` as a function of its operands (arity checked). */
function entry<N extends number>(name: string, arity: N): N extends 1 ? (x: Operand) => Tensor : N extends 2 ? (a: Operand, b: Operand) => Tensor : never {
  const def = opDef(name) as ElementwiseDef;
  if (def.kind !== 'elementwise' || def.arity !== arity) throw new Error(`internal: ${name} is not an elementwise op of arity ${arity}`);
  const f = (...xs: Operand[]): Tensor => {
    if (xs.length !== arity) throw new TensorError(`${name}: takes ${arity} operand${arity === 1 ? '' : 's'}, got ${xs.length}`);
    return elementwise(name, xs);
  };
  Object.defineProperty(f, 'name', { value: name });
  return f as never;
}

type MethodName = { [K in keyof Tensor & string]: Tensor[K] extends (...a: never[]) => unknown ? K : never }[keyof Tensor & string];
// (the first parameter is `input`: a method parameter named `x`, as axpy's, would clash in the .d.ts)
type Form<K extends MethodName> = Tensor[K] extends (...a: infer A) => infer R ? (input: Operand, ...a: A) => R : never;

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

// elementwise entries of the op table
export const neg = entry('neg', 1), abs = entry('abs', 1), sqrt = entry('sqrt', 1), exp = entry('exp', 1), log = entry('log', 1);
export const log1p = entry('log1p', 1), expm1 = entry('expm1', 1), sin = entry('sin', 1), cos = entry('cos', 1), tan = entry('tan', 1);
export const tanh = entry('tanh', 1), floor = entry('floor', 1), ceil = entry('ceil', 1), round = entry('round', 1), sign = entry('sign', 1);
export const asin = entry('asin', 1), acos = entry('acos', 1), atan = entry('atan', 1), sinh = entry('sinh', 1), cosh = entry('cosh', 1);
export const asinh = entry('asinh', 1), acosh = entry('acosh', 1), atanh = entry('atanh', 1), log2 = entry('log2', 1), log10 = entry('log10', 1);
export const exp2 = entry('exp2', 1), cbrt = entry('cbrt', 1), erf = entry('erf', 1), erfc = entry('erfc', 1), trunc = entry('trunc', 1);
export const isnan = entry('isnan', 1), isinf = entry('isinf', 1), isfinite = entry('isfinite', 1), not = entry('not', 1);
export const add = entry('add', 2), sub = entry('sub', 2), mul = entry('mul', 2), div = entry('div', 2), pow = entry('pow', 2);
export const maximum = entry('maximum', 2), minimum = entry('minimum', 2), mod = entry('mod', 2), floorDiv = entry('floorDiv', 2);
export const atan2 = entry('atan2', 2), hypot = entry('hypot', 2), xor = entry('xor', 2), and = entry('and', 2), or = entry('or', 2);
export const lt = entry('lt', 2), le = entry('le', 2), gt = entry('gt', 2), ge = entry('ge', 2), eq = entry('eq', 2), ne = entry('ne', 2);

// composites, reductions, movement and the rest: the methods
export const square = method('square'), reciprocal = method('reciprocal'), sigmoid = method('sigmoid'), relu = method('relu');
export const softplus = method('softplus'), logaddexp = method('logaddexp'), clip = method('clip'), axpy = method('axpy'), cast = method('cast');
export const isclose = method('isclose'), allclose = method('allclose');
export const sum = method('sum'), prod = method('prod'), max = method('max'), min = method('min'), argmax = method('argmax'), argmin = method('argmin');
export const mean = method('mean'), variance = method('variance'), std = method('std'), softmax = method('softmax'), logSoftmax = method('logSoftmax');
export const logsumexp = method('logsumexp'), norm = method('norm'), any = method('any'), all = method('all');
export const reshape = method('reshape'), transpose = method('transpose'), expand = method('expand'), broadcastTo = method('broadcastTo');
export const slice = method('slice'), squeeze = method('squeeze'), unsqueeze = method('unsqueeze'), flatten = method('flatten'), flip = method('flip');
export const pad = method('pad'), matmul = method('matmul'), dot = method('dot'), contiguous = method('contiguous');
export const split = method('split'), tile = method('tile'), repeat = method('repeat'), roll = method('roll'), swapaxes = method('swapaxes');
export const moveaxis = method('moveaxis'), diagonal = method('diagonal'), trace = method('trace'), tril = method('tril'), triu = method('triu');
export const clone = method('clone');
export const at = method('at'), take = method('take'), takeAlongAxis = method('takeAlongAxis'), putAlongAxis = method('putAlongAxis');
export const scatter = method('scatter'), detach = method('detach');
export const cumsum = method('cumsum'), cumprod = method('cumprod'), cummax = method('cummax'), cummin = method('cummin');
export const sort = method('sort'), argsort = method('argsort'), topk = method('topk'), median = method('median'), quantile = method('quantile');
export const searchsorted = method('searchsorted'), unique = method('unique');
