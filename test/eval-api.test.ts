/**
 * Evaluation and data access on the reference backend: eval/evalAll/evalAsync, data()/toArray()/item(),
 * assign (including reads of the target at other indices), jit (traces once per signature), stats() and
 * configure(). Values come from numpy 2.4 where they are not trivially the input.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.js';
import { config, configure, evalAll, full, jit, stats, tensor } from '../src/index.js';
import { TS, expectValues, run, useReferenceBackend } from './helpers.js';

useReferenceBackend();

describe('data(), toArray(), item()', () => {
  it('data() of a realized contiguous tensor is its own storage, typed by dtype', () => {
    const cases: [Tensor, unknown][] = [
      [tensor([1, 2], { dtype: 'float32' }), Float32Array],
      [tensor([1, 2]), Float64Array],
      [tensor([1, 2], { dtype: 'int32' }), Int32Array],
      [tensor([true, false]), Uint8Array],
    ];
    for (const [t, cls] of cases) {
      expect(t.data(), t.dtype).toBeInstanceOf(cls);
      expect(t.data(), t.dtype).toBe(t.data());
    }
  });

  it('data() of a lazy tensor evaluates it first (on the pinned reference backend)', () => {
    const y = tensor([1, 2, 3]).mul(2);
    expect(y.isRealized).toBe(false);
    expect(Array.from(y.data())).toEqual([2, 4, 6]);
    expect(y.isRealized).toBe(true);
    expect(y.data()).toBe(y.data());
  });

  it('toArray() nests by shape, keeps -0 and NaN, gives booleans for bool and a number for 0-d', () => {
    expect(tensor([[1, -0], [NaN, 4]]).toArray()).toEqual([[1, -0], [NaN, 4]]);
    expect(Object.is((tensor([[1, -0]]).toArray() as number[][])[0][1], -0)).toBe(true);
    expect(tensor([[true, false]]).toArray()).toEqual([[true, false]]);
    expect(tensor(2.5).toArray()).toBe(2.5);
    expect(tensor([[], []]).toArray()).toEqual([[], []]);
    expect(tensor([1, 2, 3, 4, 5, 6], { dtype: 'int32' }).reshape([3, 1, 2]).toArray()).toEqual([[[1, 2]], [[3, 4]], [[5, 6]]]);
    // a lazy view is evaluated in logical order: numpy: np.array([[1, 2], [3, 4]]).T.tolist()
    expect(tensor([[1, 2], [3, 4]]).T.toArray()).toEqual([[1, 3], [2, 4]]);
  });

  it('item() is the single element as a number (a bool as a boolean, as numpy gives True)', () => {
    expect(tensor([[[7]]]).item()).toBe(7);
    expect(tensor(true).item()).toBe(true);
    expect(tensor([false]).item()).toBe(false);
    expect(tensor([-2147483648], { dtype: 'int32' }).item()).toBe(-2147483648);
    expect(Object.is(tensor(-0).item(), -0)).toBe(true);
    expect(tensor([1, 2, 3]).sum().item()).toBe(6);
    expect(tensor([0.1], { dtype: 'float32' }).item()).toBe(Math.fround(0.1));
  });
});

describe('eval, evalAll, evalAsync', () => {
  it('eval() realizes in place and returns the same tensor; a realized tensor is not evaluated again', () => {
    const y = tensor([1, 2]).add(1);
    const before = stats().evals;
    expect(y.eval(TS)).toBe(y);
    expect(y.isRealized).toBe(true);
    expect(stats().evals).toBe(before + 1);
    y.eval(TS);
    expect(stats().evals).toBe(before + 1);
  });

  it('evalAll realizes several outputs in one run, sharing inputs, each with its own buffer', () => {
    const x = tensor([1, 2, 3]);
    const a = x.add(1), b = x.add(1), c = x.mul(x).sum(), d = tensor([9]);
    expect(a.node).toBe(b.node); // hash-consed: the same subexpression is one node
    const before = stats().evals;
    expect(evalAll(a, b, c, d)).toEqual([a, b, c, d]);
    expect(stats().evals).toBe(before + 1);
    for (const t of [a, b, c, d]) expect(t.isRealized).toBe(true);
    expect(a.data()).not.toBe(b.data());
    expectValues(a.data(), [2, 3, 4], 'evalAll a');
    expectValues(b.data(), [2, 3, 4], 'evalAll b');
    expectValues(c.data(), [14], 'evalAll c');
    a.data()[0] = 100;
    expect(b.data()[0]).toBe(2);
  });

  it('evalAll with nothing pending does not run', () => {
    const before = stats().evals;
    evalAll(tensor([1]), tensor([2]));
    evalAll();
    expect(stats().evals).toBe(before);
  });

  it('evalAsync resolves to the same tensor, realized, without blocking', async () => {
    const y = tensor([[1, 2], [3, 4]]).matmul(tensor([[1], [1]]));
    const p = y.evalAsync(TS);
    expect(p).toBeInstanceOf(Promise);
    const r = await p;
    expect(r).toBe(y);
    expect(y.isRealized).toBe(true);
    // numpy: np.array([[1, 2], [3, 4]]) @ np.array([[1], [1]])
    expectValues(y.data(), [3, 7], 'evalAsync matmul');
  });

  it('stats() reports process totals with the documented fields', () => {
    const s = stats();
    for (const k of ['compiles', 'memoryHits', 'diskHits', 'compileMs', 'runMs', 'evals'] as const) {
      expect(typeof s[k], k).toBe('number');
      expect(s[k], k).toBeGreaterThanOrEqual(0);
    }
    run(tensor([1]).neg());
    expect(stats().evals).toBe(s.evals + 1);
    expect(stats().runMs).toBeGreaterThanOrEqual(s.runMs);
  });

  it('contiguous() is a realization boundary with the same values; on a realized tensor it is the tensor', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.contiguous()).toBe(x);
    const c = x.T.contiguous();
    expect(c.isRealized).toBe(false);
    expect(c.shape).toEqual([3, 2]);
    // numpy: np.ascontiguousarray(np.array([[1, 2, 3], [4, 5, 6]]).T).ravel()
    expectValues(run(c), [1, 4, 2, 5, 3, 6], 'contiguous of a transpose');
  });
});

describe('assign', () => {
  it('x.assign(x.T) on a square matrix writes the transpose into the same storage', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const storage = x.data();
    expect(x.assign(x.T, TS)).toBe(x);
    expect(x.data()).toBe(storage);
    // numpy: np.arange(1, 10).reshape(3, 3).T
    expectValues(storage, [1, 4, 7, 2, 5, 8, 3, 6, 9], 'assign(x.T)');
  });

  it('reads of the target at other indices see the old values', () => {
    const x = tensor([1, 2, 3, 4]);
    x.assign(x.add(x.flip()).mul(x.slice(1).pad([[0, 1]], 10)), TS);
    // numpy: x = np.array([1., 2, 3, 4]); (x + x[::-1]) * np.pad(x[1:], (0, 1), constant_values=10)
    expectValues(x.data(), [10, 15, 20, 50], 'assign with shifted reads');
    const m = tensor([[1, 2], [3, 4]]);
    m.assign(m.matmul(m), TS);
    // numpy: m @ m
    expectValues(m.data(), [7, 10, 15, 22], 'assign(m @ m)');
  });

  it('broadcasts numbers and smaller tensors, casting numbers to the target dtype', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    x.assign(tensor([7, 8, 9]), TS);
    expectValues(x.data(), [7, 8, 9, 7, 8, 9], 'assign [3] into [2,3]');
    x.assign(-0, TS);
    expectValues(x.data(), [-0, -0, -0, -0, -0, -0], 'assign -0');
    const i = tensor([1, 2], { dtype: 'int32' });
    i.assign(2.7, TS);
    // numpy: i[...] = 2.7 on an int32 array stores 2
    expectValues(i.data(), [2, 2], 'assign 2.7 into int32');
    const b = tensor([true, false]);
    b.assign(true, TS);
    expectValues(b.data(), [1, 1], 'assign true into bool');
  });

  it('realizes a lazy target first, then writes into its new buffer', () => {
    const x = tensor([1, 2]);
    const y = x.add(1);
    y.assign(y.mul(10), TS);
    expect(y.isRealized).toBe(true);
    expectValues(y.data(), [20, 30], 'assign into a lazy tensor');
    expectValues(x.data(), [1, 2], 'its source is untouched');
  });

  it('works on size-0 and 0-d tensors', () => {
    const e = tensor([]);
    e.assign(5, TS);
    expect(e.data().length).toBe(0);
    const s = tensor(1);
    s.assign(s.add(41), TS);
    expect(s.item()).toBe(42);
  });
});

describe('jit', () => {
  it('traces once per signature; later calls run the cached graph on new inputs', () => {
    let calls = 0;
    const f = jit((x: Tensor, y: Tensor) => {
      calls++;
      return x.mul(2).add(y).relu();
    }, TS);
    const a = f(tensor([1, -2, 3]), tensor([0.5, 0.5, -7]));
    expect(calls).toBe(1);
    // numpy: np.maximum(np.array([1., -2, 3]) * 2 + np.array([.5, .5, -7]), 0)
    expectValues(a.data(), [2.5, 0, 0], 'jit first call');
    const before = stats().evals;
    const b = f(tensor([10, 20, 30]), tensor([-25, 0, 1]));
    expect(calls).toBe(1);
    expect(stats().evals).toBe(before + 1);
    // numpy: np.maximum(np.array([10., 20, 30]) * 2 + np.array([-25., 0, 1]), 0)
    expectValues(b.data(), [0, 40, 61], 'jit cached call');
    expect(b.isRealized).toBe(true);
    expectValues(a.data(), [2.5, 0, 0], 'first result unchanged');
    // a new shape or dtype is a new signature
    f(tensor([1, 2]), tensor([1, 2]));
    expect(calls).toBe(2);
    f(tensor([1, 2], { dtype: 'float32' }), tensor([1, 2], { dtype: 'float32' }));
    expect(calls).toBe(3);
    f(tensor([4, 5]), tensor([6, 7]));
    expect(calls).toBe(3);
  });

  it('passes a number as a runtime scalar (a new value does not trace again), and returns arrays of tensors', () => {
    let calls = 0;
    const g = jit((x: Tensor, k: number) => {
      calls++;
      return [x.mul(k), x.sum()];
    }, TS);
    const [p, s] = g(tensor([1, 2]), 3);
    expectValues(p.data(), [3, 6], 'jit scalar 3');
    expectValues(s.data(), [3], 'jit sum');
    g(tensor([5, 6]), 3);
    expect(calls).toBe(1);
    const [q] = g(tensor([5, 6]), 4);
    expect(calls).toBe(1);
    expectValues(q.data(), [20, 24], 'jit scalar 4');
    g(tensor([5, 6]), 4.5); // not an integer: another kind of number, traced once more
    expect(calls).toBe(2);
  });

  it('evaluates lazy inputs and never returns an input buffer itself', () => {
    const id = jit((x: Tensor) => x, TS);
    const x = tensor([1, 2]);
    const r = id(x);
    expect(r.data()).not.toBe(x.data());
    expectValues(id(tensor([3, 4]).add(1)).data(), [4, 5], 'jit of a lazy input');
  });
});

describe('configure', () => {
  it('sets and restores settings, returning the resolved config', () => {
    const threads = config().threads;
    expect(configure({ threads: 3 }).threads).toBe(3);
    expect(config().threads).toBe(3);
    configure({ threads: undefined });
    expect(config().threads).toBe(threads);
    expect(config().backend).toBe('ts'); // pinned by useReferenceBackend for this file
    expect(configure({}).backend).toBe('ts');
  });

  it('the pinned reference backend is what eval() uses by default here', () => {
    const before = stats().evals;
    const y = full([2], 1.5).mul(2);
    y.eval();
    expect(stats().evals).toBe(before + 1);
    expect(stats().compiles).toBe(0);
    expectValues(y.data(), [3, 3], 'default eval');
  });
});
