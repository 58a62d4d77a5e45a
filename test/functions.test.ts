/**
 * Ergonomics of issue 15: every method as a function of the same name (generated from the op table for
 * elementwise entries), and nested JS arrays accepted wherever a tensor operand is, typed as weak scalars.
 * Expected values by hand (small integer arithmetic) or from numpy where noted.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '../src/index.js';
import { OPS, Tensor, TensorError, tensor, where } from '../src/index.js';
import { useReferenceBackend } from './helpers.js';

useReferenceBackend();
const fns = tf as unknown as Record<string, unknown>;

describe('function forms', () => {
  it('every elementwise and reduce op of the table (and cast) is a function export of the same name', () => {
    const ops = Object.entries(OPS).filter(([, d]) => d.kind === 'elementwise' || d.kind === 'reduce').map(([n]) => n);
    expect(ops.length).toBeGreaterThan(50);
    expect(ops.filter((op) => typeof fns[op] !== 'function'), 'ops without a function form').toEqual([]);
  });

  it('every public method that computes a tensor has a function form', () => {
    const methods = Object.getOwnPropertyNames(Tensor.prototype).filter((m) => typeof Object.getOwnPropertyDescriptor(Tensor.prototype, m)!.value === 'function');
    // Not tensor math: evaluation, data access, writing, introspection, disposal.
    const not = ['constructor', 'dispose', 'release', 'eval', 'evalAsync', 'data', 'storage', 'readThrough', 'toArray', 'item', 'assign', 'assignThrough', 'toMatrix', 'toC', 'explain', 'toDot', 'toString', 'print', 'where'];
    expect(methods.filter((m) => !not.includes(m) && typeof fns[m] !== 'function')).toEqual([]);
  });

  it('record the same nodes as the methods, with the tensor first', () => {
    const x = tensor([[1, 2], [3, 4]]), y = tensor([10, 20]);
    expect(tf.add(x, y).node).toBe(x.add(y).node);
    expect(tf.exp(x).node).toBe(x.exp().node);
    expect(tf.sum(x, 1).toArray()).toEqual([3, 7]);
    expect(tf.max(x, 0, true).toArray()).toEqual([[3, 4]]);
    expect(tf.pad(y, [[1, 0]], { mode: 'edge' }).toArray()).toEqual([10, 10, 20]);
    expect(tf.split(x, 2, 1).map((p) => p.toArray())).toEqual([[[1], [3]], [[2], [4]]]);
    expect(tf.allclose(x, x)).toBe(true);
  });

  it('a number or an array may come first: elementwise entries keep it weak (add(1, float32) stays float32)', () => {
    const x32 = tensor(new Float32Array([1.5, 2.5]));
    expect(tf.add(1, x32).dtype).toBe('float32');
    expect(tf.sub(10, x32).toArray()).toEqual([8.5, 7.5]);
    expect(tf.mul([2, 3], x32).dtype).toBe('float32');
    expect(tf.exp(0).item()).toBe(1);
    expect(tf.sum([[1, 2], [3, 4]]).item()).toBe(10);
    expect(tf.floorDiv([7, -7], 2).toArray()).toEqual([3, -4]); // numpy: np.floor_divide([7., -7.], 2)
  });

  it('wrong arity is a TensorError naming the op', () => {
    const x = tensor([1]);
    expect(() => (tf.exp as (...a: unknown[]) => Tensor)(x, x)).toThrow(/^exp: takes 1 operand, got 2/);
    expect(() => (tf.add as (...a: unknown[]) => Tensor)(x)).toThrow(/^add: takes 2 operands, got 1/);
  });
});

describe('JS arrays as operands', () => {
  it('broadcast like tensors and take the dtype their values would take as scalars', () => {
    const f32 = tensor(new Float32Array([1, 2, 3])), i32 = tensor(new Int32Array([1, 2, 3])), b = tensor([true, false]);
    const r = f32.add([0.5, 1, 2]);
    expect([r.dtype, r.toArray()]).toEqual(['float32', [1.5, 3, 5]]);
    expect([i32.add([1, 2, 3]).dtype, i32.add([1, 2, 3]).toArray()]).toEqual(['int32', [2, 4, 6]]);
    expect(i32.add([0.5, 0, 0]).dtype).toBe('float64');
    expect(i32.add([3e10, 0, 0]).dtype).toBe('float64'); // beyond int32: a float scalar
    expect(b.or([false, true]).toArray()).toEqual([true, true]);
    expect(b.mul([true, true]).dtype).toBe('bool');
    expect(tensor([[1], [2]]).mul([10, 20]).toArray()).toEqual([[10, 20], [20, 40]]);
    expect(tf.add([1], [2]).dtype).toBe('float64');
  });

  it('are accepted by where, clip, axpy, matmul, dot, isclose and assign', () => {
    const x = tensor([1, 2, 3]);
    expect(where([true, false, true], x, [7, 8, 9]).toArray()).toEqual([1, 8, 3]);
    expect(x.clip([2, 0, 0], [5, 5, 2]).toArray()).toEqual([2, 2, 2]);
    expect(x.axpy([1, 1, 1], 2).toArray()).toEqual([3, 4, 5]);
    expect(x.matmul([[1], [0], [1]]).toArray()).toEqual([4]);
    expect(x.dot([1, 1, 1]).item()).toBe(6);
    expect(x.isclose([1, 2.5, 3]).toArray()).toEqual([true, false, true]);
    expect(x.hypot([3, 4, 4]).toArray()).toEqual([Math.hypot(1, 3), Math.hypot(2, 4), 5]);
  });

  it('assign casts an array to the target dtype; concat and stack take arrays in their lists; clip reads an array bound once', () => {
    const z = tensor(new Float32Array(3));
    z.assign([1, 2.5, -0]);
    expect([z.dtype, z.toArray()]).toEqual(['float32', [1, 2.5, -0]]);
    const i = tensor(new Int32Array(4), { shape: [2, 2] });
    i.assign([7.9, -8.9]); // broadcast and truncated to int32 (numpy: i[:] = [7.9, -8.9])
    expect([i.dtype, i.toArray()]).toEqual(['int32', [[7, -8], [7, -8]]]);
    expect(tf.concat([tensor([1]), [2, 3]]).toArray()).toEqual([1, 2, 3]);
    expect(tf.stack([[1, 2], tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    let reads = 0;
    const bound = new Proxy([0, 0, 0], { get: (t, k) => { if (k === '0') reads++; return Reflect.get(t, k); } });
    expect(tensor([-1, 2, 3]).clip(bound, null).toArray()).toEqual([0, 2, 3]);
    expect(reads).toBe(1);
  });

  it('a bad array is a TensorError naming the op', () => {
    const x = tensor([1, 2]);
    expect(() => x.add([[1], [2, 3]] as never)).toThrow(/^add: an array operand ragged nested array/);
    expect(() => x.add(['a'] as never)).toThrow(TensorError);
    expect(() => x.add(['a'] as never)).toThrow(/^add: an array operand elements must be numbers or booleans/);
    expect(() => x.add([1, 2, 3])).toThrow(/^add: cannot broadcast \[2\] with \[3\]/);
  });
});
