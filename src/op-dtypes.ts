/** The dtype rules of the op table's elementwise entries (ops.ts): the operands' compute dtype and the result's. */
import type { DType } from './dtype.js';
import { floatOf, isBool, promote, quotientOf } from './dtype.js';
import { DTypeError } from './errors.js';
import type { DTypeRule } from './op-defs.js';

const promoteAll = (ds: readonly DType[]): DType => ds.reduce(promote);

/** Arithmetic that keeps the promoted dtype; `bool` says what bool operands do. */
export const arith = (bool: 'bool' | 'int32' | 'error'): DTypeRule => (op, ds) => {
  let d = promoteAll(ds);
  if (isBool(d)) {
    if (bool === 'error') {
      throw new DTypeError(`${op}: not supported for bool tensors (numpy refuses it too); use .cast('int32') first, or logical ops`);
    }
    d = bool;
  }
  return { ins: ds.map(() => d), out: d };
};

/** Every operand cast to `of(promoted dtype)`, which is also the result's dtype. */
const computedIn = (of: (d: DType) => DType): DTypeRule => (_op, ds) => {
  const d = of(promoteAll(ds));
  return { ins: ds.map(() => d), out: d };
};
/** Float math: each dtype's `floating` (float32 of 8- and 16-bit ints, float64 of int32, uint32 and bool). */
export const floating = computedIn(floatOf);
/** True division: float64 for ints and bools of every width (numpy's true_divide), floats keep theirs. */
export const divide = computedIn(quotientOf);

export const compare: DTypeRule = (_op, ds) => {
  const d = promoteAll(ds);
  return { ins: ds.map(() => d), out: 'bool' };
};

export const logical: DTypeRule = (_op, ds) => ({ ins: ds.map(() => 'bool'), out: 'bool' });

export const select: DTypeRule = (_op, ds) => {
  const d = promote(ds[1], ds[2]);
  return { ins: ['bool', d, d], out: d };
};
