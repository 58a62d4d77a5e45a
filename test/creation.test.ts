/**
 * Creation functions: tensor() from numbers, nested arrays and TypedArrays (with the documented dtype
 * rules and no-copy sharing), full/zeros/ones/zerosLike/onesLike, arange, linspace, eye, rand/randn, and
 * ml-matrix interop. Expected values come from numpy 2.4 or, for the RNG stream, from an independent
 * Python implementation of the documented generator (lowbias32 counter hash).
 */
import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import type { DType, Tensor } from '../src/index.js';
import { TensorError, arange, eye, fromMatrix, full, linspace, ones, onesLike, rand, randn, tensor, zeros, zerosLike } from '../src/index.js';
import { TS, expectValues, run, useReferenceBackend } from './helpers.js';

useReferenceBackend();

function expectTensor(t: Tensor, dtype: DType, shape: number[], values: number[], label: string, ulps = 0): void {
  expect(t.dtype, `dtype of ${label}`).toBe(dtype);
  expect(t.shape, `shape of ${label}`).toEqual(shape);
  expectValues(run(t), values, label, { ulps, dtype });
}

describe('tensor() from JS values', () => {
  const cases: readonly [string, () => Tensor, DType, number[], number[]][] = [
    // numpy: np.array(2.5) is a 0-d float64
    ['tensor(2.5)', () => tensor(2.5), 'float64', [], [2.5]],
    ['tensor(true)', () => tensor(true), 'bool', [], [1]],
    ['tensor(-0)', () => tensor(-0), 'float64', [], [-0]],
    // numpy: np.array([[1, 2]]) is int64 there; by hand: JS numbers are float64
    ['tensor([[1, 2]])', () => tensor([[1, 2]]), 'float64', [1, 2], [1, 2]],
    ['tensor([[true, false], [false, true]])', () => tensor([[true, false], [false, true]]), 'bool', [2, 2], [1, 0, 0, 1]],
    // numpy: np.array([True, 2.5]) -> float64 [1., 2.5]
    ['tensor([true, 2.5])', () => tensor([true, 2.5]), 'float64', [2], [1, 2.5]],
    ['tensor([])', () => tensor([]), 'float64', [0], []],
    ['tensor([[], []])', () => tensor([[], []]), 'float64', [2, 0], []],
    ['tensor([[[5]]])', () => tensor([[[5]]]), 'float64', [1, 1, 1], [5]],
    ['tensor([NaN, Infinity, -Infinity, -0, 5e-324])', () => tensor([NaN, Infinity, -Infinity, -0, 5e-324]), 'float64', [5], [NaN, Infinity, -Infinity, -0, 5e-324]],
    // numpy: np.array([1.7, -1.7, 2**31, nan], dtype=...) — by hand for out-of-range/NaN: the cast saturates, NaN -> 0
    ['tensor([1.7, -1.7, 2**31, NaN], int32)', () => tensor([1.7, -1.7, 2 ** 31, NaN], { dtype: 'int32' }), 'int32', [4], [1, -1, 2147483647, 0]],
    // numpy: np.array([0.1, 1e39], np.float32)
    ['tensor([0.1, 1e39], float32)', () => tensor([0.1, 1e39], { dtype: 'float32' }), 'float32', [2], [0.10000000149011612, Infinity]],
    // numpy: np.array([2, 0, nan, -0.], dtype=bool)
    ['tensor([2, 0, NaN, -0], bool)', () => tensor([2, 0, NaN, -0], { dtype: 'bool' }), 'bool', [4], [1, 0, 1, 0]],
    ['tensor([1, 2, 3, 4, 5, 6], shape [2, -1])', () => tensor([1, 2, 3, 4, 5, 6], { shape: [2, -1] }), 'float64', [2, 3], [1, 2, 3, 4, 5, 6]],
    ['tensor([[1, 2], [3, 4]], shape [4])', () => tensor([[1, 2], [3, 4]], { shape: [4] }), 'float64', [4], [1, 2, 3, 4]],
  ];
  it.each(cases)('%s', (name, build, dtype, shape, values) => expectTensor(build(), dtype, shape, values, name));

  it('is realized at once', () => {
    expect(tensor([1, 2]).isRealized).toBe(true);
    expect(tensor([1, 2]).size).toBe(2);
    expect(tensor([[1, 2]]).ndim).toBe(2);
    expect(tensor(3).ndim).toBe(0);
    expect(tensor(3).size).toBe(1);
  });
});

describe('tensor() from TypedArrays', () => {
  it.each([
    ['Float32Array', () => new Float32Array([1.5, -0]), 'float32'],
    ['Float64Array', () => new Float64Array([1.5, -0]), 'float64'],
    ['Int32Array', () => new Int32Array([-2147483648, 7]), 'int32'],
  ] as const)('uses a %s as its storage without copying', (_name, make, dtype) => {
    const arr = make();
    const t = tensor(arr);
    expect(t.dtype).toBe(dtype);
    expect(t.shape).toEqual([2]);
    expect(t.data()).toBe(arr);
    arr[1] = 42;
    expect(t.toArray()).toEqual([arr[0], 42]);
  });

  it('shares a matching TypedArray given with a shape; an in-place assign is visible in it', () => {
    const arr = new Float64Array([1, 2, 3, 4, 5, 6]);
    const t = tensor(arr, { shape: [2, 3] });
    expect(t.shape).toEqual([2, 3]);
    expect(t.data()).toBe(arr);
    t.assign(t.mul(10), TS);
    expect(Array.from(arr)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it.each([
    // numpy: np.asarray(np.uint8([0, 255])) keeps uint8 and shares the memory, and so for each integer array
    ['Uint8Array', 'uint8', () => new Uint8Array([0, 255]), [0, 255]],
    ['Int8Array', 'int8', () => new Int8Array([-128, 127]), [-128, 127]],
    ['Int16Array', 'int16', () => new Int16Array([-32768, 32767]), [-32768, 32767]],
    ['Uint16Array', 'uint16', () => new Uint16Array([0, 65535]), [0, 65535]],
    ['Uint32Array', 'uint32', () => new Uint32Array([4294967295, 0]), [4294967295, 0]],
  ] as const)('holds a %s as %s, without a copy', (name, dtype, make, values) => {
    const arr = make();
    const t = tensor(arr);
    expectTensor(t, dtype, [2], [...values], name);
    expect(t.data()).toBe(arr);
  });

  it('copies a Uint8ClampedArray into uint8 (its values; a plain Uint8Array is the storage)', () => {
    const arr = new Uint8ClampedArray([0, 255]);
    const t = tensor(arr);
    expectTensor(t, 'uint8', [2], [0, 255], 'Uint8ClampedArray');
    expect(t.data()).not.toBe(arr);
    arr[0] = 9;
    expect(t.data()[0]).toBe(0);
  });

  it('copies when the requested dtype differs from the array type', () => {
    const arr = new Float64Array([0.1, 1e39]);
    const t = tensor(arr, { dtype: 'float32' });
    expect(t.data()).not.toBe(arr);
    // numpy: np.float64([0.1, 1e39]).astype(np.float32)
    expectTensor(t, 'float32', [2], [0.10000000149011612, Infinity], 'Float64Array as float32');
  });

  it('a Uint8Array of 0/1 given as bool is shared; other bytes are normalized into a copy', () => {
    const ok = new Uint8Array([0, 1, 1]);
    expect(tensor(ok, { dtype: 'bool' }).data()).toBe(ok);
    const other = new Uint8Array([0, 2, 255]);
    const t = tensor(other, { dtype: 'bool' });
    expect(t.data()).not.toBe(other);
    // numpy: np.uint8([0, 2, 255]).astype(bool)
    expectTensor(t, 'bool', [3], [0, 1, 1], 'Uint8Array as bool');
  });
});

describe('full, zeros, ones and the *Like functions', () => {
  const cases: readonly [string, () => Tensor, DType, number[], number[]][] = [
    // numpy: np.full((2, 2), 3.) etc.
    ['full([2, 2], 3)', () => full([2, 2], 3), 'float64', [2, 2], [3, 3, 3, 3]],
    // numpy: np.full(2, 1.5, np.int32) = [1, 1]
    ['full([2], 1.5, int32)', () => full([2], 1.5, 'int32'), 'int32', [2], [1, 1]],
    ['full([2], true)', () => full([2], true), 'bool', [2], [1, 1]],
    ['full([], -0)', () => full([], -0), 'float64', [], [-0]],
    ['full(3, NaN)', () => full(3, NaN), 'float64', [3], [NaN, NaN, NaN]],
    ['full([0, 2], 1)', () => full([0, 2], 1), 'float64', [0, 2], []],
    ['full([1], 0.1, float32)', () => full([1], 0.1, 'float32'), 'float32', [1], [0.10000000149011612]],
    ['zeros([2, 1])', () => zeros([2, 1]), 'float64', [2, 1], [0, 0]],
    ['zeros(2, int32)', () => zeros(2, 'int32'), 'int32', [2], [0, 0]],
    ['ones([1, 2], bool)', () => ones([1, 2], 'bool'), 'bool', [1, 2], [1, 1]],
    ['ones([3])', () => ones([3]), 'float64', [3], [1, 1, 1]],
    ['zerosLike(int32 [2,2])', () => zerosLike(tensor([[1, 2], [3, 4]], { dtype: 'int32' })), 'int32', [2, 2], [0, 0, 0, 0]],
    ['onesLike(float32 [3])', () => onesLike(tensor([5, 6, 7], { dtype: 'float32' })), 'float32', [3], [1, 1, 1]],
    ['onesLike(float32 [3], bool)', () => onesLike(tensor([5, 6, 7], { dtype: 'float32' }), 'bool'), 'bool', [3], [1, 1, 1]],
  ];
  it.each(cases)('%s', (name, build, dtype, shape, values) => expectTensor(build(), dtype, shape, values, name));

  it('constants are lazy: no memory until eval', () => {
    const z = zeros([1000, 1000]);
    expect(z.isRealized).toBe(false);
    expect(z.size).toBe(1e6);
  });
});

describe('arange, linspace, eye', () => {
  const cases: readonly [string, () => Tensor, DType, number[], number[]][] = [
    // numpy: np.arange(...) (numpy gives int64 where we give int32: all-integer arguments are int32 here)
    ['arange(5)', () => arange(5), 'int32', [5], [0, 1, 2, 3, 4]],
    ['arange(2, 5)', () => arange(2, 5), 'int32', [3], [2, 3, 4]],
    ['arange(-3, 3)', () => arange(-3, 3), 'int32', [6], [-3, -2, -1, 0, 1, 2]],
    ['arange(0, 10, 3)', () => arange(0, 10, 3), 'int32', [4], [0, 3, 6, 9]],
    ['arange(5, 0, -2)', () => arange(5, 0, -2), 'int32', [3], [5, 3, 1]],
    ['arange(0)', () => arange(0), 'int32', [0], []],
    ['arange(5, 0)', () => arange(5, 0), 'int32', [0], []],
    ['arange(0, 1, 0.25)', () => arange(0, 1, 0.25), 'float64', [4], [0, 0.25, 0.5, 0.75]],
    ['arange(1.5)', () => arange(1.5), 'float64', [2], [0, 1]],
    ['arange(0.5, 2.5, 0.5)', () => arange(0.5, 2.5, 0.5), 'float64', [4], [0.5, 1, 1.5, 2]],
    // numpy: np.arange(0, 1, 0.1): each value is start + i * step
    ['arange(0, 1, 0.1)', () => arange(0, 1, 0.1), 'float64', [10], [0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9]],
    ['arange(3, undefined, 1, float32)', () => arange(3, undefined, 1, 'float32'), 'float32', [3], [0, 1, 2]],
    ['arange(2147483640, 2147483647)', () => arange(2147483640, 2147483647), 'int32', [7], [2147483640, 2147483641, 2147483642, 2147483643, 2147483644, 2147483645, 2147483646]],
    // numpy: np.linspace(...): float64, endpoint exact
    ['linspace(0, 1, 5)', () => linspace(0, 1, 5), 'float64', [5], [0, 0.25, 0.5, 0.75, 1]],
    ['linspace(0.1, 0.7, 7)', () => linspace(0.1, 0.7, 7), 'float64', [7], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]],
    ['linspace(-1, 1, 4)', () => linspace(-1, 1, 4), 'float64', [4], [-1, -0.33333333333333337, 0.33333333333333326, 1]],
    ['linspace(1, 0, 3)', () => linspace(1, 0, 3), 'float64', [3], [1, 0.5, 0]],
    ['linspace(2, 3, 1)', () => linspace(2, 3, 1), 'float64', [1], [2]],
    ['linspace(0, 1, 0)', () => linspace(0, 1, 0), 'float64', [0], []],
    // numpy: np.linspace(0, 1, 7, dtype=np.float32) (computed in float64, then cast)
    ['linspace(0, 1, 7, float32)', () => linspace(0, 1, 7, 'float32'), 'float32', [7], [0, 0.1666666716337204, 0.3333333432674408, 0.5, 0.6666666865348816, 0.8333333134651184, 1]],
    // numpy: np.eye(3), np.eye(2, 3), np.eye(2, dtype=np.int32), np.eye(0)
    ['eye(3)', () => eye(3), 'float64', [3, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1]],
    ['eye(2, 3)', () => eye(2, 3), 'float64', [2, 3], [1, 0, 0, 0, 1, 0]],
    ['eye(2, 2, int32)', () => eye(2, 2, 'int32'), 'int32', [2, 2], [1, 0, 0, 1]],
    ['eye(1)', () => eye(1), 'float64', [1, 1], [1]],
    ['eye(0)', () => eye(0), 'float64', [0, 0], []],
  ];
  it.each(cases)('%s', (name, build, dtype, shape, values) => expectTensor(build(), dtype, shape, values, name));
});

describe('rand and randn', () => {
  it('follow the documented counter-based stream (an independent Python lowbias32 implementation)', () => {
    // python: u53(seedKey(42), i) for i in 0..3, with seedKey/bits32/uniform53 written from rng.ts's description
    expectTensor(rand([4], { seed: 42 }), 'float64', [4], [0.948390796310467, 0.497100223590074, 0.7201944725311328, 0.11116188774562319], 'rand seed 42');
    // python: u24(seedKey(42), i)
    expectTensor(rand([2, 2], { seed: 42, dtype: 'float32' }), 'float32', [2, 2], [0.948390781879425, 0.49710017442703247, 0.7201944589614868, 0.11116188764572144], 'rand seed 42 float32');
    expectTensor(rand([4], { seed: 0 }), 'float64', [4], [0.14715202451406084, 0.25439022119053323, 0.9191514631448611, 0.4172743747440174], 'rand seed 0');
    // python: sqrt(-2 log((2^53 - b53(k1, i)) 2^-53)) * cos(2 pi b53(k2, i) 2^-53), k1 = seedKey(42), k2 = hash32(k1 ^ 0x5bd1e995),
    // b53 the 53 bits of u53; the cos with its quarter turn taken exactly (q, r = divmod(b53, 2^51); ±cos or ±sin of
    // r·2^-51·π/2, libm's), since math.cos(2π·u) rounds its argument first (13 ulps off here near a zero of cos)
    expectTensor(randn([4], { seed: 42 }), 'float64', [4], [2.3453232905443473, 0.2839753947276848, 1.181876872871812, -0.3208145347741775], 'randn seed 42', 4);
  });

  it('is reproducible by seed, lazy until eval, and element i depends only on (seed, i)', () => {
    const a = rand([3, 5], { seed: 7 });
    expect(a.isRealized).toBe(false);
    const b = rand([3, 5], { seed: 7 });
    expect(run(a)).toEqual(run(b));
    expect(run(rand([15], { seed: 7 }))).toEqual(run(a));
    expect(run(rand([20], { seed: 7 })).slice(0, 15)).toEqual(run(a));
    expect(run(rand([15], { seed: 8 }))).not.toEqual(run(a));
    expect(run(randn([6], { seed: 3 }))).toEqual(run(randn([6], { seed: 3 })));
    expect(run(randn([6], { seed: 3 }))).not.toEqual(run(randn([6], { seed: 4 })));
  });

  it('rand is uniform on [0, 1): range and moments (loosely)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const xs = run(rand([20000], { seed: 123, dtype }));
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...xs)).toBeLessThan(1);
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
      expect(Math.abs(mean - 0.5), `${dtype} mean ${mean}`).toBeLessThan(0.01);
      expect(Math.abs(variance - 1 / 12), `${dtype} variance ${variance}`).toBeLessThan(0.005);
      if (dtype === 'float32') expect(xs.every((x) => Number.isInteger(x * 2 ** 24))).toBe(true);
    }
  });

  it('randn is standard normal (loosely), finite', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const t = randn([20000], { seed: 99, dtype });
      expect(t.dtype).toBe(dtype);
      const xs = run(t);
      expect(xs.every(Number.isFinite)).toBe(true);
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
      expect(Math.abs(mean), `${dtype} mean ${mean}`).toBeLessThan(0.03);
      expect(Math.abs(sd - 1), `${dtype} sd ${sd}`).toBeLessThan(0.03);
      const within1 = xs.filter((x) => Math.abs(x) < 1).length / xs.length;
      expect(Math.abs(within1 - 0.6827), `${dtype} P(|x|<1) ${within1}`).toBeLessThan(0.02);
    }
  });

  it('supports size-0 shapes', () => {
    expectTensor(rand([0, 3], { seed: 1 }), 'float64', [0, 3], [], 'rand [0,3]');
    expectTensor(randn([0], { seed: 1 }), 'float64', [0], [], 'randn [0]');
  });
});

describe('ml-matrix interop', () => {
  it('fromMatrix gives a realized float64 [rows, columns] tensor', () => {
    const t = fromMatrix(new Matrix([[1, 2, 3], [4, 5, 6]]));
    expect(t.isRealized).toBe(true);
    expectTensor(t, 'float64', [2, 3], [1, 2, 3, 4, 5, 6], 'fromMatrix');
  });

  it('toMatrix evaluates lazy tensors and reads views in logical order', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'int32' });
    const m = x.T.mul(2).toMatrix();
    expect(m.rows).toBe(3);
    expect(m.columns).toBe(2);
    expect(m.to2DArray()).toEqual([[2, 8], [4, 10], [6, 12]]);
    expect(fromMatrix(new Matrix([[-0, NaN]])).toMatrix().to2DArray()).toEqual([[-0, NaN]]);
  });

  it('round-trips a matrix and agrees with ml-matrix multiplication', () => {
    const a = new Matrix([[1, 2], [3, 4]]), b = new Matrix([[0.5, -1], [2, 0]]);
    const t = fromMatrix(a).matmul(fromMatrix(b));
    t.eval(TS);
    expect(t.toMatrix().to2DArray()).toEqual(a.mmul(b).to2DArray());
  });

  it('rejects what is not a 2-D tensor or not a Matrix', () => {
    expect(() => tensor([1, 2, 3]).toMatrix()).toThrow(TensorError);
    expect(() => tensor([1, 2, 3]).toMatrix()).toThrow('toMatrix: needs a 2-D tensor, got shape [3]');
    expect(() => fromMatrix([[1, 2]] as unknown as Matrix)).toThrow(TensorError);
  });
});
