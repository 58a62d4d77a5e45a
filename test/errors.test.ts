/**
 * Bad input raises the right TensorError subclass when the op is recorded (not at eval), with a message
 * that names the op, what it got and (for shapes) both shapes. Never a TypeError from inside the library.
 */
import { describe, expect, it } from 'vitest';
import {
  DTypeError, ShapeError, Tensor, TensorError, arange, concat, configure, defineKernel, defineOp, evalAll, eye, fromMatrix, full, jit, linspace, ones, onesLike,
  rand, randn, stack, tensor, toMatrix, where, zeros, zerosLike,
} from '../src/index.js';
import { TS, useReferenceBackend } from './helpers.js';

useReferenceBackend();

const x = tensor([[1, 2, 3], [4, 5, 6]]);
const b = tensor([true, false]);
/** Lets a test pass values the TypeScript signatures forbid, as a JavaScript caller could. */
const any = (v: unknown): never => v as never;

type ErrorClass = typeof TensorError | typeof ShapeError | typeof DTypeError;
const CASES: readonly [string, () => unknown, ErrorClass, string][] = [
  // broadcasting and elementwise operands
  ['add [2,3] + [4]', () => x.add(tensor([1, 2, 3, 4])), ShapeError, 'add: cannot broadcast [2,3] with [4]'],
  ['mul [2,3] * [3,2]', () => x.mul(x.T), ShapeError, 'mul: cannot broadcast [2,3] with [3,2]'],
  ['where [2] with [2,3]', () => where(b, x, 0), ShapeError, 'where: cannot broadcast [2] with [2,3]'],
  ['add a string', () => x.add(any('1')), TensorError, 'add: expected a Tensor, number, boolean or array, got "1"'],
  ['add an object', () => x.add(any({})), TensorError, 'add: expected a Tensor, number, boolean or array, got Object'],
  ['add null', () => x.add(any(null)), TensorError, 'add: expected a Tensor, number, boolean or array, got null'],
  ['add undefined', () => x.add(any(undefined)), TensorError, 'add: expected a Tensor, number, boolean or array, got undefined'],
  ['add a ragged JS array', () => x.add(any([[1], [2, 3]])), TensorError, 'add: an array operand ragged nested array at [1]: expected 1 elements, got 2'],
  ['add a JS array of strings', () => x.add(any(['a'])), TensorError, 'add: an array operand elements must be numbers or booleans; found "a" at [0]'],
  ['add a bigint', () => x.add(any(1n)), TensorError, 'add: expected a Tensor, number, boolean or array, got 1n'],
  ['mul a function', () => x.mul(any(() => 1)), TensorError, 'mul: expected a Tensor, number, boolean or array, got a function'],
  ['lt a string', () => x.lt(any('a')), TensorError, 'lt: expected a Tensor, number, boolean or array, got "a"'],
  ['and a string', () => b.and(any('a')), TensorError, 'and: expected a Tensor, number, boolean or array, got "a"'],
  ['where(string, ...)', () => where(any('a'), 1, 2), TensorError, 'where: expected a Tensor, number, boolean or array, got "a"'],
  ['x.where(1) missing branch', () => x.where(1, any(undefined)), TensorError, 'where: expected a Tensor, number, boolean or array, got undefined'],
  ['clip a string bound', () => x.clip(any('a'), 1), TensorError, 'clip: expected a Tensor, number, boolean or array, got "a"'],
  ['axpy a string x', () => x.axpy(any('a'), 2), TensorError, 'axpy: expected a Tensor, number, boolean or array, got "a"'],
  ['axpy a string alpha', () => x.axpy(x, any('a')), TensorError, 'axpy: expected a Tensor, number, boolean or array, got "a"'],
  // dtypes
  ['bool - bool', () => b.sub(b), DTypeError, "sub: not supported for bool tensors (numpy refuses it too); use .cast('int32') first, or logical ops"],
  ['bool - true', () => b.sub(true), DTypeError, 'sub: not supported for bool tensors'],
  ['neg of bool', () => b.neg(), DTypeError, 'neg: not supported for bool tensors'],
  ['cast to float16', () => x.cast(any('float16')), DTypeError, 'cast: unknown dtype "float16"; expected one of bool, uint8, int8, uint16, int16, uint32, int32, float32, float64'],
  ['cast to undefined', () => x.cast(any(undefined)), DTypeError, 'cast: unknown dtype undefined'],
  ['cast to "toString"', () => x.cast(any('toString')), DTypeError, 'cast: unknown dtype "toString"'],
  ['zeros dtype "__proto__"', () => zeros([1], any('__proto__')), DTypeError, 'zeros: unknown dtype "__proto__"'],
  ['tensor dtype int64', () => tensor([1], { dtype: any('int64') }), DTypeError, 'tensor: unknown dtype "int64"'],
  ['zeros dtype uint64', () => zeros([2], any('uint64')), DTypeError, 'zeros: unknown dtype "uint64"'],
  ['full dtype {}', () => full([1], 1, any({})), DTypeError, 'full: unknown dtype Object'],
  ['linspace dtype x', () => linspace(0, 1, 3, any('x')), DTypeError, 'linspace: unknown dtype "x"'],
  ['rand int32', () => rand([2], { dtype: any('int32') }), DTypeError, 'rand: dtype must be float32 or float64, got int32'],
  ['randn bool', () => randn([2], { dtype: any('bool') }), DTypeError, 'randn: dtype must be float32 or float64, got bool'],
  ['tensor(BigInt64Array)', () => tensor(new BigInt64Array(2)), DTypeError, 'tensor: cannot hold a BigInt64Array; use a Float32Array, a Float64Array or an 8-, 16- or 32-bit integer array'],
  ['tensor(data, shape array)', () => tensor([1, 2], any([2])), TensorError, 'tensor: options must be an object { dtype?, shape? }, got [2]; write tensor(data, { shape: [2, 3], dtype: \'uint8\' })'],
  ['tensor(data, a dtype string)', () => tensor([1, 2], any('uint8')), TensorError, 'tensor: options must be an object { dtype?, shape? }, got "uint8"; write tensor(data, { shape: [2, 3], dtype: \'uint8\' })'],
  ['tensor(DataView)', () => tensor(new DataView(new ArrayBuffer(8))), DTypeError, 'tensor: cannot hold a DataView'],
  // @ts-expect-error refused by the types too
  ['assign int32 into float64', () => x.assign(tensor([1], { dtype: 'int32' })), DTypeError, "assign: value has dtype int32 but the target is float64; use .cast('float64')"],
  // axes
  ['sum axis 2 of [2,3]', () => x.sum(2), ShapeError, 'sum: axis 2 is out of range for a tensor of 2 dims [2,3]; use -2..1'],
  ['max axis -3 of [2,3]', () => x.max(-3), ShapeError, 'max: axis -3 is out of range for a tensor of 2 dims [2,3]; use -2..1'],
  ['sum axis 1.5', () => x.sum(1.5), ShapeError, 'sum: axis must be an integer, got 1.5'],
  ['prod axis "0"', () => x.prod(any('0')), ShapeError, 'prod: axis must be an integer, got "0"'],
  ['sum repeated axis [0,-2]', () => x.sum([0, -2]), ShapeError, 'sum: repeated axis in [0,-2]'],
  ['argmax axis [null]', () => x.argmax(any([null])), ShapeError, 'argmax: axis must be an integer, got null'],
  ['mean axis 3', () => x.mean(3), ShapeError, 'mean: axis 3 is out of range for a tensor of 2 dims [2,3]'],
  ['variance axis 3', () => x.variance(3), ShapeError, 'variance: axis 3 is out of range'],
  ['std axis 3', () => x.std(3), ShapeError, 'std: axis 3 is out of range'],
  ['softmax axis 2', () => x.softmax(2), ShapeError, 'softmax: axis 2 is out of range for a tensor of 2 dims [2,3]'],
  ['logSoftmax axis -3', () => x.logSoftmax(-3), ShapeError, 'logSoftmax: axis -3 is out of range'],
  ['flip axis 2', () => x.flip(2), ShapeError, 'flip: axis 2 is out of range'],
  ['flip axis "a"', () => x.flip(any('a')), ShapeError, 'flip: axis must be an integer, got "a"'],
  ['sum axis 0 of a 0-d tensor', () => tensor(1).sum(0), ShapeError, 'sum: a 0-d tensor has no axis 0'],
  // empty reductions
  ['max of []', () => tensor([]).max(), ShapeError, 'max: cannot reduce over an empty axis of [0] (axes [0]); max of nothing is undefined'],
  ['min over axis 0 of [0,3]', () => zeros([0, 3]).min(0), ShapeError, 'min: cannot reduce over an empty axis of [0,3] (axes [0])'],
  ['argmax over axis 1 of [2,0]', () => zeros([2, 0]).argmax(1), ShapeError, 'argmax: cannot reduce over an empty axis of [2,0] (axes [1])'],
  ['argmin of [0,2]', () => zeros([0, 2]).argmin(), ShapeError, 'argmin: cannot reduce over an empty axis of [0,2] (axes [0,1])'],
  ['softmax over an empty axis', () => zeros([2, 0]).softmax(), ShapeError, 'max: cannot reduce over an empty axis of [2,0]'],
  // dims and shapes
  ['full dim -1', () => full([-1], 0), ShapeError, 'full: dims must be non-negative integers, got [-1]'],
  ['full dim 1.5', () => full([1.5], 0), ShapeError, 'full: dims must be non-negative integers, got [1.5]'],
  ['full dim NaN', () => full([NaN], 0), ShapeError, 'full: dims must be non-negative integers, got [NaN]'],
  ['full value "1"', () => full([2], any('1')), TensorError, 'full: value must be a number or boolean, got "1"'],
  ['zeros shape "3"', () => zeros(any('3')), ShapeError, 'zeros: dims must be non-negative integers, got "3"'],
  ['ones shape null', () => ones(any(null)), ShapeError, 'ones: dims must be non-negative integers, got null'],
  ['zerosLike(5)', () => zerosLike(any(5)), TensorError, 'zerosLike: expected a Tensor, got 5'],
  ['onesLike({})', () => onesLike(any({})), TensorError, 'onesLike: expected a Tensor, got Object'],
  ['eye(-1)', () => eye(-1), ShapeError, 'eye: dims must be non-negative integers, got [-1,-1]'],
  ['eye(1.5)', () => eye(1.5), ShapeError, 'eye: dims must be non-negative integers, got [1.5,1.5]'],
  ['rand([-1])', () => rand([-1]), ShapeError, 'rand: dims must be non-negative integers, got [-1]'],
  ['randn("a")', () => randn(any('a')), ShapeError, 'randn: dims must be non-negative integers, got "a"'],
  ['reshape [2,3] to [4,2]', () => x.reshape([4, 2]), ShapeError, 'reshape: cannot reshape [2,3] (size 6) into [4,2] (size 8)'],
  ['reshape [2,3] to [4,-1]', () => x.reshape([4, -1]), ShapeError, 'reshape: cannot reshape [2,3] (size 6) into [4,-1]'],
  ['reshape [2,3] to [0,-1]', () => x.reshape([0, -1]), ShapeError, 'reshape: cannot reshape [2,3] (size 6) into [0,-1]'],
  ['reshape with two -1', () => x.reshape([-1, -1]), ShapeError, 'reshape: only one dim may be -1, got [-1,-1]'],
  ['reshape with -2', () => x.reshape([-2, -3]), ShapeError, 'reshape: dims must be non-negative integers, got [-2,-3]'],
  ['reshape with 1.5', () => x.reshape([1.5, 4]), ShapeError, 'reshape: dims must be non-negative integers, got [1.5,4]'],
  ['reshape "6"', () => x.reshape(any('6')), ShapeError, 'reshape: a shape must be an array of dims, got "6"'],
  ['reshape null', () => x.reshape(any(null)), ShapeError, 'reshape: a shape must be an array of dims, got null'],
  ['transpose [0,0]', () => x.transpose([0, 0]), ShapeError, 'transpose: axes [0,0] are not a permutation of the 2 dims of [2,3]'],
  ['transpose [0]', () => x.transpose([0]), ShapeError, 'transpose: axes [0] are not a permutation of the 2 dims of [2,3]'],
  ['transpose [0,2]', () => x.transpose([0, 2]), ShapeError, 'transpose: axis 2 is out of range for a tensor of 2 dims [2,3]'],
  ['transpose "a"', () => x.transpose(any('a')), ShapeError, 'transpose: axes must be an array of dims, got "a"'],
  ['expand [2,3] to [3,3]', () => x.expand([3, 3]), ShapeError, 'expand: cannot broadcast [2,3] to [3,3]'],
  ['expand [2,3] to [3]', () => x.expand([3]), ShapeError, 'expand: cannot broadcast [2,3] to fewer dims [3]'],
  ['expand "a"', () => x.expand(any('a')), ShapeError, 'expand: a shape must be an array of dims, got "a"'],
  ['broadcastTo [2,-2]', () => x.broadcastTo([2, -2]), ShapeError, 'broadcastTo: dims must be non-negative integers, got [2,-2]'],
  ['squeeze axis 0 of [2,3]', () => x.squeeze(0), ShapeError, 'squeeze: axis 0 of [2,3] has size 2, not 1'],
  ['squeeze axis 5', () => x.squeeze(5), ShapeError, 'squeeze: axis 5 is out of range'],
  ['unsqueeze axis 3 of [2,3]', () => x.unsqueeze(4), ShapeError, 'unsqueeze: axis 4 is out of range for a tensor of 3 dims [2,3]; use -3..2'],
  ['unsqueeze axis 0.5', () => x.unsqueeze(0.5), ShapeError, 'unsqueeze: axis must be an integer, got 0.5'],
  // slices
  ['slice step 0', () => x.slice([0], [1], [0]), TensorError, 'slice: step must be a non-zero integer, got 0'],
  ['slice step 1.5', () => x.slice([0], [1], [1.5]), TensorError, 'slice: step must be a non-zero integer, got 1.5'],
  ['slice 3 axes of [2,3]', () => x.slice([0, 0, 0]), ShapeError, 'slice: 3 axes given for a tensor of 2 dims [2,3]'],
  ['slice begin 0.5', () => x.slice([0.5]), TensorError, 'slice: slice bounds must be integers or null, got 0.5'],
  ['slice begin "a"', () => x.slice(any(['a'])), TensorError, 'slice: slice bounds must be integers or null, got "a"'],
  // pad
  ['pad [[1,1],[1]]', () => x.pad(any([[1, 1], [1]])), ShapeError, 'pad: widths must be 2 pairs [before, after] of non-negative integers for [2,3], got [[1,1],[1]]'],
  ['pad negative', () => x.pad([[-1, 0], [0, 0]]), ShapeError, 'pad: widths must be 2 pairs'],
  ['pad 3 pairs on 2 dims', () => x.pad([[1, 1], [1, 1], [1, 1]]), ShapeError, 'pad: widths must be 2 pairs'],
  ['pad null', () => x.pad(any(null)), ShapeError, 'pad: widths must be 2 pairs [before, after] of non-negative integers for [2,3], got null'],
  ['pad value "a"', () => x.pad([[1, 1]], any('a')), TensorError, 'pad: value must be a number, got "a"'],
  // joins
  ['concat []', () => concat([]), TensorError, 'concat: needs a non-empty array of tensors'],
  ['concat(x)', () => concat(any(x)), TensorError, 'concat: needs a non-empty array of tensors'],
  ['concat [2,3] and [2]', () => concat([x, tensor([1, 2])]), ShapeError, 'concat: shapes [2,3], [2] differ outside axis 0'],
  ['concat [2,3] and [1,2]', () => concat([x, tensor([[1, 2]])]), ShapeError, 'concat: shapes [2,3], [1,2] differ outside axis 0'],
  ['concat axis 2', () => concat([x, x], 2), ShapeError, 'concat: axis 2 is out of range for a tensor of 2 dims [2,3]'],
  ['concat a number', () => concat([x, any(5)]), TensorError, 'concat: expected a Tensor, got 5'],
  ['concat 0-d tensors', () => concat([tensor(1), tensor(2)]), ShapeError, 'concat: a 0-d tensor has no axis 0'],
  ['stack [2,3] and [3,2]', () => stack([x, x.T]), ShapeError, 'stack: all tensors must have the same shape, got [2,3], [3,2]'],
  ['stack axis 3', () => stack([x, x], 3), ShapeError, 'stack: axis 3 is out of range for a tensor of 3 dims [2,3]'],
  ['stack []', () => stack([]), TensorError, 'stack: needs a non-empty array of tensors'],
  ['stack a number', () => stack([x, any(5)]), TensorError, 'stack: expected a Tensor, got 5'],
  // linear algebra
  ['matmul [2,3] @ [2,3]', () => x.matmul(x), ShapeError, 'matmul: inner dimensions differ: [2,3] @ [2,3] (3 != 2)'],
  ['matmul by a 0-d tensor', () => x.matmul(tensor(2)), ShapeError, 'matmul: operands must have at least 1 dim, got [2,3] @ []; use mul for scalars'],
  ['matmul by a number', () => x.matmul(any(2)), ShapeError, 'matmul: operands must have at least 1 dim'],
  ['matmul by a string', () => x.matmul(any('a')), TensorError, 'matmul: expected a Tensor, number, boolean or array, got "a"'],
  ['matmul batch [2] with [3]', () => zeros([2, 2, 3]).matmul(zeros([3, 3, 1])), ShapeError, 'matmul: cannot broadcast [2] with [3]'],
  ['dot [2,3] . [1,2]', () => x.dot(tensor([[1, 2]])), ShapeError, 'dot: shapes [2,3] and [1,2] are not aligned (3 != 1)'],
  ['dot [2,3] . [2,2,2]', () => x.dot(zeros([2, 2, 2])), ShapeError, 'dot: shapes [2,3] and [2,2,2] are not aligned (3 != 2)'],
  ['dot undefined', () => x.dot(any(undefined)), TensorError, 'dot: expected a Tensor, number, boolean or array, got undefined'],
  // creation
  ['tensor ragged', () => tensor([[1, 2], [3]]), ShapeError, 'tensor: ragged nested array at [1]: expected 2 elements, got 1'],
  ['tensor ["a"]', () => tensor(any(['a'])), TensorError, 'tensor: elements must be numbers or booleans; found "a" at [0]'],
  ['tensor [null]', () => tensor(any([null])), TensorError, 'tensor: elements must be numbers or booleans; found null at [0]'],
  ['tensor({})', () => tensor(any({})), TensorError, 'tensor: elements must be numbers or booleans; found Object at []'],
  ['tensor(undefined)', () => tensor(any(undefined)), TensorError, 'tensor: elements must be numbers or booleans; found undefined at []'],
  ['tensor [1,2,3] shape [2,2]', () => tensor([1, 2, 3], { shape: [2, 2] }), ShapeError, 'tensor: cannot reshape [3] (size 3) into [2,2] (size 4)'],
  ['tensor Float64Array(3) shape [2]', () => tensor(new Float64Array(3), { shape: [2] }), ShapeError, 'tensor: cannot reshape [3] (size 3) into [2] (size 2)'],
  ['arange step 0', () => arange(0, 5, 0), TensorError, 'arange: step must not be 0'],
  ['arange to Infinity', () => arange(0, Infinity), TensorError, 'arange: start, stop and step must be finite numbers, got [0,Infinity,1]'],
  ['arange NaN', () => arange(NaN), TensorError, 'arange: start, stop and step must be finite numbers, got [0,NaN,1]'],
  ['arange "5"', () => arange(any('5')), TensorError, 'arange: start, stop and step must be finite numbers, got [0,"5",1]'],
  ['arange past int32', () => arange(0, 2 ** 32), TensorError, "arange: values from 0 to 4294967295 overflow int32; pass a wider dtype (e.g. 'float64')"],
  ['linspace n -1', () => linspace(0, 1, -1), TensorError, 'linspace: n must be a non-negative integer, got -1'],
  ['linspace n 2.5', () => linspace(0, 1, 2.5), TensorError, 'linspace: n must be a non-negative integer, got 2.5'],
  ['linspace a 1n', () => linspace(any(1n), 2, 3), TensorError, 'linspace: a and b must be numbers, got 1n'],
  ['linspace b Symbol', () => linspace(0, any(Symbol('b')), 3), TensorError, 'linspace: a and b must be numbers, got Symbol(b)'],
  ['linspace n 2**40', () => linspace(0, 1, 2 ** 40), ShapeError, 'linspace: shape [1099511627776]'],
  ['variance ddof Symbol', () => x.variance(0, false, any(Symbol('d'))), TensorError, 'variance: ddof must be a non-negative number, got Symbol(d)'],
  ['std ddof 1n', () => x.std(0, false, any(1n)), TensorError, 'std: ddof must be a non-negative number, got 1n'],
  ['toC(null)', () => x.add(1).toC(any(null)), TensorError, 'toC: options must be an object like { fuse: false }, got null'],
  ['explain({ fuse: "no" })', () => x.add(1).explain(any({ fuse: 'no' })), TensorError, 'explain: fuse must be true or false, got "no"'],
  ['new Tensor(5)', () => new Tensor(any(5)), TensorError, 'Tensor: the constructor is internal, got 5'],
  ['defineKernel shape rule "x"', () => defineKernel('errors_k', { inputs: 1, c: 'out[0] = 0;', ref: () => {}, shape: any('x') }), TensorError, 'defineKernel: shape must be a function of the input shapes, got "x"'],
  ['defineOp ulps -1', () => defineOp('errors_op', { arity: 1, c: 'a', ref: (v) => v, ulps: -1 }), TensorError, 'defineOp: ulps must be a non-negative number, got -1'],
  ['rand seed 1.5', () => rand([2], { seed: 1.5 }), TensorError, 'rand: seed must be an integer, got 1.5'],
  ['rand seed "a"', () => rand([1], { seed: any('a') }), TensorError, 'rand: seed must be an integer, got "a"'],
  ['fromMatrix({})', () => fromMatrix(any({})), TensorError, 'fromMatrix: expected an ml-matrix Matrix'],
  ['fromMatrix(null)', () => fromMatrix(any(null)), TensorError, 'fromMatrix: expected an ml-matrix Matrix'],
  // data, assign, eval
  ['item of [2,3]', () => x.item(), ShapeError, 'item: only a tensor of one element has an item; this one has shape [2,3]'],
  ['item of []', () => tensor([]).item(), ShapeError, 'item: only a tensor of one element has an item; this one has shape [0]'],
  ['assign [2] into [2,3]', () => x.assign(tensor([1, 2])), ShapeError, 'assign: cannot broadcast [2] to [2,3]'],
  ['assign "a"', () => x.assign(any('a')), TensorError, 'assign: expected a Tensor, number, boolean or array, got "a"'],
  ['eval backend gpu', () => x.add(1).eval(any({ backend: 'gpu' })), TensorError, `eval: backend must be 'c' or 'ts', got "gpu"`],
  ['eval(5)', () => x.add(1).eval(any(5)), TensorError, "eval: options must be an object like { backend: 'ts' }, got 5"],
  ['eval(null)', () => x.add(1).eval(any(null)), TensorError, "eval: options must be an object like { backend: 'ts' }, got null"],
  ['evalAll(x, 5)', () => evalAll(x, any(5)), TensorError, 'evalAll: expected a Tensor, got 5'],
  ['toMatrix of [1,1,1]', () => zeros([1, 1, 1]).toMatrix(), TensorError, 'toMatrix: needs a 2-D tensor, got shape [1,1,1]'],
  ['toMatrix("a")', () => toMatrix(any('a')), TensorError, 'toMatrix: expected a Tensor, got "a"'],
  // jit and configure
  ['jit(5)', () => jit(any(5)), TensorError, 'jit: expected a function of tensors'],
  ['jit argument "x"', () => jit((a: never) => a)(any('x')), TensorError, 'jit: argument 0 must be a Tensor, number or boolean, got "x"'],
  ['jit returning 5', () => jit(any(() => 5))(x), TensorError, 'jit: the function must return a Tensor or an array of Tensors'],
  ['configure unknown key', () => configure(any({ nope: 1 })), TensorError, 'configure: unknown setting "nope"; known settings are'],
  ['configure backend gpu', () => configure(any({ backend: 'gpu' })), TensorError, `configure: backend must be 'c' or 'ts', got "gpu"`],
  ['configure threads -1', () => configure({ threads: -1 }), TensorError, 'configure: threads must be a non-negative integer, got -1'],
  ['configure threads 1.5', () => configure({ threads: 1.5 }), TensorError, 'configure: threads must be a non-negative integer, got 1.5'],
  ['configure debug "x"', () => configure(any({ debug: 'x' })), TensorError, 'configure: debug must be a non-negative integer, got "x"'],
];

describe('errors: class and message', () => {
  it.each(CASES)('%s', (name, fn, cls, message) => {
    let caught: unknown;
    try {
      fn();
    } catch (e) {
      caught = e;
    }
    expect(caught, `${name} did not throw`).toBeDefined();
    expect(caught, `${name} threw ${String(caught)}`).toBeInstanceOf(cls);
    const err = caught as Error;
    expect(err.name, name).toBe(cls.name);
    expect(err.message, name).toContain(message);
  });

  it('subclasses are TensorErrors and Errors', () => {
    expect(new ShapeError('x')).toBeInstanceOf(TensorError);
    expect(new DTypeError('x')).toBeInstanceOf(TensorError);
    expect(new TensorError('x')).toBeInstanceOf(Error);
  });

  it('shape and dtype errors come at record time: nothing was evaluated before them', () => {
    const lazy = x.add(1);
    expect(() => lazy.add(tensor([1, 2]))).toThrow(ShapeError);
    expect(() => lazy.gt(0).sub(true)).toThrow(DTypeError);
    expect(lazy.isRealized).toBe(false);
  });

  it('a failed configure changes nothing', () => {
    const before = configure({});
    expect(() => configure(any({ backend: 'gpu' }))).toThrow(TensorError);
    expect(configure({})).toEqual(before);
  });

  it('evalAsync rejects bad options with a TensorError', async () => {
    await expect(x.add(1).evalAsync(any({ backend: 'gpu' }))).rejects.toThrow(TensorError);
    await expect(x.add(1).evalAsync(TS)).resolves.toBeDefined();
  });
});

describe('sizes beyond what a TypedArray holds', () => {
  it('are a ShapeError naming the op when recorded, not a RangeError at eval', () => {
    expect(() => zeros([1e6, 1e6])).toThrow(/zeros: shape \[1000000,1000000\] has 1000000000000 elements; a tensor holds at most 2\^32/);
    expect(() => zeros([2 ** 20, 1]).add(zeros([1, 2 ** 20]))).toThrow(ShapeError);
    expect(() => arange(0, 1e12, 1, 'float64')).toThrow(/arange: shape \[1000000000000\]/);
    expect(() => zeros([2 ** 10, 2 ** 10]).expand([2 ** 20, 2 ** 10, 2 ** 10])).toThrow(/expand: shape/);
  });
});
