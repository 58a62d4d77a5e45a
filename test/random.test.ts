// Random sampling (issue 15): determinism on every backend, exact ranges, and distributions within
// bounds derived from the sample size: a sample mean of n draws with standard deviation σ lies within
// 6σ/√n of the true mean except with probability about 2e-9 (a z-score of 6), so these tests fail on a
// wrong distribution, not by bad luck. Seeds are fixed, so each run draws the same values.
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.js';
import { bernoulli, choice, concat, DTypeError, normal, permutation, rand, randint, randn, ShapeError, shuffle, tensor, TensorError, uniform } from '../src/index.js';
import { normal53, normalKey, seedKey, uniform53 } from '../src/rng.js';
import { TS } from './helpers.js';

const C = { backend: 'c' } as const;
const values = (t: Tensor, o: { backend: 'c' | 'ts'; fuse?: boolean } = C): number[] => Array.from(t.eval(o).data());
const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const variance = (v: readonly number[]) => { const m = mean(v); return v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1); };
/** |sample mean − mu| ≤ 6σ/√n */
const expectMean = (v: readonly number[], mu: number, sigma: number) => expect(Math.abs(mean(v) - mu)).toBeLessThanOrEqual((6 * sigma) / Math.sqrt(v.length));

describe('the same seed gives the same values on every backend, fused or not', () => {
  const draws = (seed: number): Tensor[] => [
    randint(-5, 7, [300], { seed }),
    randint(0, 2 ** 32, [50], { seed, dtype: 'float64' }),
    uniform(-2, 3, [300], { seed }),
    uniform(0, 1, [300], { seed, dtype: 'float32' }),
    bernoulli(0.3, [300], { seed }),
    bernoulli(tensor([0.1, 0.5, 0.9]), [100, 3], { seed }),
    choice(7, [200], { seed }),
    choice(tensor([10, 20, 30]), [4, 5], { seed }),
    shuffle(tensor([[1, 2], [3, 4], [5, 6], [7, 8]]).mul(3), { seed }),
  ];
  const joined = (seed: number) => concat(draws(seed).map((t) => t.cast('float64').flatten()));
  it('ts = C fused = C unfused, and another seed differs', () => {
    const ref = values(joined(5), TS);
    expect(values(joined(5), C)).toEqual(ref);
    expect(values(joined(5), { backend: 'c', fuse: false })).toEqual(ref);
    expect(values(joined(5), TS)).toEqual(ref);
    const other = values(joined(6), TS);
    expect(other.filter((v, i) => v !== ref[i]).length).toBeGreaterThan(ref.length / 4);
  });
  it('normal (and randn): the same bits on the reference, fused C and unfused C (its ln and cos are plain arithmetic, rng.ts)', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const draw = () => normal(0, 1, [3000], { seed: 5, dtype });
      const fused = values(draw(), C);
      expect(values(draw(), { backend: 'c', fuse: false })).toEqual(fused);
      expect(values(draw(), TS)).toEqual(fused); // was within 8 ulps with libm's log and cos on C, Math's on ts
    }
  });
  it('rand and randn in one program (found by the API fuzz: their C helpers were defined twice, a CompileError)', () => {
    const draw = () => rand([5], { seed: 1 }).add(randn([5], { seed: 2 }));
    expect(values(draw(), C)).toEqual(values(draw(), TS));
  });
  it("randn's ln and cos are accurate: within 4 ulps of Box–Muller with Math.log and Math.cos on the same uniforms", () => {
    const key = seedKey(77), key2 = normalKey(key);
    let worst = 0;
    for (let i = 0; i < 200000; i++) {
      const u1 = 1 - uniform53(key, i), u2 = uniform53(key2, i);
      const z = normal53(key, i), R = Math.sqrt(-2 * Math.log(u1)), zm = R * Math.cos(2 * Math.PI * u2);
      // Math's side rounds 2π·u2 first (an absolute error up to 2π·2^-53 in the angle, so in cos): near a
      // zero of cos that is most of the difference, and rng.ts's side, which reduces u2 exactly, is the closer
      const slack = R * 2 * Math.PI * 2 ** -53;
      worst = Math.max(worst, Math.max(0, Math.abs(z - zm) - slack) / (Math.abs(zm) * 2 ** -52));
    }
    expect(worst).toBeLessThan(4);
  });
  it('without a seed, two draws differ', () => {
    expect(values(uniform(0, 1, [100]), TS)).not.toEqual(values(uniform(0, 1, [100]), TS));
  });
  it('eager draws are identical too', () => {
    expect(values(permutation(50, { seed: 3 }), TS)).toEqual(values(permutation(50, { seed: 3 }), TS));
    expect(values(choice(50, 20, { seed: 3, replace: false }), TS)).toEqual(values(choice(50, 20, { seed: 3, replace: false }), C));
    expect(values(choice(3, 20, { seed: 3, p: [0.2, 0.3, 0.5] }), TS)).toEqual(values(choice(3, 20, { seed: 3, p: [0.2, 0.3, 0.5] }), C));
  });
});

describe('randint', () => {
  it('1e6 draws of [-5, 7): never high, never below low, every value, uniform counts', () => {
    const v = values(randint(-5, 7, [1e6], { seed: 11 }));
    const counts = new Map<number, number>();
    for (const x of v) counts.set(x, (counts.get(x) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6]);
    // each count is binomial(1e6, 1/12): within 6 standard deviations of 1e6/12
    const sd = Math.sqrt(1e6 * (1 / 12) * (11 / 12));
    for (const c of counts.values()) expect(Math.abs(c - 1e6 / 12)).toBeLessThanOrEqual(6 * sd);
    expectMean(v, 0.5, Math.sqrt((12 ** 2 - 1) / 12));
  });
  it('one bound is [0, low); int32 by default; the full int32 range; float64 up to 2^32', () => {
    const a = randint(3, undefined, [1000], { seed: 1 });
    expect(a.dtype).toBe('int32');
    expect(new Set(values(a))).toEqual(new Set([0, 1, 2]));
    const w = values(randint(-(2 ** 31), 2 ** 31, [1e5], { seed: 2 }));
    expect(w.some((x) => x < -(2 ** 30))).toBe(true);
    expect(w.some((x) => x > 2 ** 30)).toBe(true);
    expectMean(w, -0.5, 2 ** 32 / Math.sqrt(12));
    const f = values(randint(0, 2 ** 32, [1e5], { seed: 3, dtype: 'float64' }));
    expect(f.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true);
    expect(values(randint(4, 5, [10], { seed: 1 }))).toEqual(Array(10).fill(4));
  });
  it('bad bounds and dtypes are errors naming randint', () => {
    expect(() => randint(5, 5, [2])).toThrow(/^randint: low \(5\) must be less than high \(5\)/);
    expect(() => randint(0.5, 5, [2])).toThrow(/^randint: low and high must be integers/);
    expect(() => randint(0, 2 ** 31 + 1, [2])).toThrow(/^randint: \[0, 2147483649\) is outside what int32 holds/);
    // @ts-expect-error refused by the types too
    expect(() => randint(0, 5, [2], { dtype: 'bool' })).toThrow(DTypeError);
    expect(() => randint(-(2 ** 40), 2 ** 40, [2], { dtype: 'float64' })).toThrow(/^randint: high - low = .*at most 2\^32/);
    expect(() => randint(0, 5, [-1])).toThrow(ShapeError);
    expect(() => randint(0, 5, [2], { seed: 1.5 })).toThrow(/^randint: seed must be an integer/);
    expect(() => randint(0, 5, [2], 7 as never)).toThrow(/^randint: options must be an object/);
  });
});

describe('uniform', () => {
  it('[low, high) over 1e6 draws; mean and variance within bounds', () => {
    const v = values(uniform(-2, 3, [1e6], { seed: 21 }));
    expect(Math.min(...v.slice(0, 1e5))).toBeGreaterThanOrEqual(-2);
    expect(v.every((x) => x >= -2 && x < 3)).toBe(true);
    expectMean(v, 0.5, 5 / Math.sqrt(12));
    // the sample variance of a uniform: sd of s² is about sqrt((μ4 − σ⁴) / n), μ4 = (b−a)⁴/80
    const s4 = (25 / 12) ** 2, m4 = 5 ** 4 / 80;
    expect(Math.abs(variance(v) - 25 / 12)).toBeLessThanOrEqual(6 * Math.sqrt((m4 - s4) / v.length));
  });
  it('float32 stays below high; a range one ulp wide never rounds up to high (numpy may)', () => {
    const f = uniform(0, 1, [1e5], { seed: 2, dtype: 'float32' });
    expect(f.dtype).toBe('float32');
    expect(values(f).every((x) => x >= 0 && x < 1)).toBe(true);
    const tight = values(uniform(1, 1 + 2 ** -52, [1000], { seed: 3 }));
    expect(tight.every((x) => x === 1)).toBe(true);
    const t32 = values(uniform(1, 1 + 2 ** -23, [1000], { seed: 3, dtype: 'float32' }));
    expect(t32.every((x) => x === 1)).toBe(true);
  });
  it('errors', () => {
    expect(() => uniform(1, 0, [2])).toThrow(/^uniform: low \(1\) must be less than high \(0\)/);
    expect(() => uniform(NaN, 1, [2])).toThrow(/^uniform: low must be a finite number/);
    expect(() => uniform(-1e308, 1e308, [2])).toThrow(/^uniform: high - low overflows/);
    // @ts-expect-error uniform's dtype is float32 or float64 (an untyped caller gets a DTypeError)
    expect(() => uniform(0, 1, [2], { dtype: 'int32' })).toThrow(DTypeError);
    // float32 values near 1 are 2^-23 apart: none lies in [1 + 2^-40, 1 + 2^-30)
    expect(() => uniform(1 + 2 ** -40, 1 + 2 ** -30, [2], { dtype: 'float32' })).toThrow(/^uniform: no float32 value lies in/);
  });
});

describe('normal', () => {
  it('mean and variance of 1e6 draws within 6 standard errors', () => {
    const v = values(normal(3, 2, [1e6], { seed: 31 }));
    expectMean(v, 3, 2);
    // s² of normal draws has standard deviation σ²·sqrt(2 / (n − 1))
    expect(Math.abs(variance(v) - 4)).toBeLessThanOrEqual(6 * 4 * Math.sqrt(2 / (v.length - 1)));
    expect(v.every(Number.isFinite)).toBe(true);
  });
  it('std 0 is the mean; float32; errors', () => {
    expect(values(normal(5, 0, [10], { seed: 1 }))).toEqual(Array(10).fill(5));
    expect(normal(0, 1, [3], { dtype: 'float32' }).dtype).toBe('float32');
    expect(() => normal(0, -1, [2])).toThrow(/^normal: std must be non-negative/);
    expect(() => normal(0, Infinity, [2])).toThrow(/^normal: std must be a finite number/);
  });
});

describe('bernoulli', () => {
  it('a number p: the share of trues within bounds; 0 and 1 exact', () => {
    const b = bernoulli(0.3, [1e6], { seed: 41 });
    expect(b.dtype).toBe('bool');
    expectMean(values(b), 0.3, Math.sqrt(0.3 * 0.7));
    expect(values(bernoulli(0, [1000], { seed: 1 })).every((x) => x === 0)).toBe(true);
    expect(values(bernoulli(1, [1000], { seed: 1 })).every((x) => x === 1)).toBe(true);
  });
  it('a tensor p broadcasts to the shape (default: its own shape)', () => {
    const v = values(bernoulli(tensor([0, 0.5, 1]), [1e5, 3], { seed: 42 }));
    const col = (j: number) => v.filter((_, i) => i % 3 === j);
    expect(col(0).every((x) => x === 0)).toBe(true);
    expect(col(2).every((x) => x === 1)).toBe(true);
    expectMean(col(1), 0.5, 0.5);
    expect(bernoulli(tensor([[0.5, 0.5]]), undefined, { seed: 1 }).shape).toEqual([1, 2]);
    expect(bernoulli(0.5).shape).toEqual([]);
  });
  it('errors', () => {
    expect(() => bernoulli(1.5, [2])).toThrow(/^bernoulli: p must be a probability in \[0, 1\], got 1.5/);
    expect(() => bernoulli(NaN, [2])).toThrow(TensorError);
    expect(() => bernoulli(tensor([0.5, 0.5]), [3])).toThrow(/^bernoulli: cannot broadcast/);
    expect(() => bernoulli(true as never, [2])).toThrow(/^bernoulli: p must be a number or a tensor/);
  });
});

describe('permutation and shuffle', () => {
  it('permutation(n) is a permutation of 0..n-1 (computed now, int32)', () => {
    const p = permutation(1000, { seed: 51 });
    expect(p.isRealized).toBe(true);
    expect(p.dtype).toBe('int32');
    const v = values(p, TS);
    expect([...v].sort((a, b) => a - b)).toEqual([...Array(1000).keys()]);
    expect(v).not.toEqual([...Array(1000).keys()]);
    expect(values(permutation(0), TS)).toEqual([]);
    expect(values(permutation(1, { seed: 9 }), TS)).toEqual([0]);
  });
  it('uniform over positions: P(perm[0] = j) = 1/10 over 3000 seeds', () => {
    const counts = new Array(10).fill(0);
    for (let s = 0; s < 3000; s++) counts[permutation(10, { seed: s }).data()[0]]++;
    const sd = Math.sqrt(3000 * 0.1 * 0.9);
    for (const c of counts) expect(Math.abs(c - 300)).toBeLessThanOrEqual(6 * sd);
  });
  it('all 6 orders of 3 come up about equally over 6000 seeds', () => {
    const counts = new Map<string, number>();
    for (let s = 0; s < 6000; s++) { const k = Array.from(permutation(3, { seed: s }).data()).join(''); counts.set(k, (counts.get(k) ?? 0) + 1); }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThanOrEqual(6 * Math.sqrt(6000 * (1 / 6) * (5 / 6)));
  });
  it('shuffle gathers the rows with permutation(n), lazily; x is unchanged', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
    const lazy = x.mul(1);
    const s = shuffle(lazy, { seed: 7 });
    expect(s.isRealized).toBe(false);
    expect(s.node.op).toBe('gather');
    const order = Array.from(permutation(5, { seed: 7 }).data());
    expect(s.eval(TS).toArray()).toEqual(order.map((i) => [2 * i + 1, 2 * i + 2]));
    expect(x.toArray()).toEqual([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
    expect(permutation(x, { seed: 7 }).eval(TS).toArray()).toEqual(s.toArray());
    expect(shuffle([1, 2, 3], { seed: 1 }).shape).toEqual([3]);
  });
  it('errors', () => {
    expect(() => permutation(-1)).toThrow(/^permutation: n must be an integer in \[0, 2\^31\)/);
    expect(() => permutation(2.5)).toThrow(TensorError);
    expect(() => permutation(2 ** 40)).toThrow(TensorError);
    expect(() => shuffle(tensor(3))).toThrow(/^shuffle: a 0-d tensor has no axis to permute/);
    expect(() => shuffle(5 as never)).toThrow(/^shuffle: expected a number of positions or a tensor/);
  });
});

describe('choice', () => {
  it('with replacement, no p: lazy positions in [0, n), or elements of a tensor', () => {
    const c = choice(5, [1e5], { seed: 61 });
    expect([c.isRealized, c.dtype, c.shape]).toEqual([false, 'int32', [1e5]]);
    const v = values(c);
    expect(new Set(v)).toEqual(new Set([0, 1, 2, 3, 4]));
    expectMean(v, 2, Math.sqrt((25 - 1) / 12));
    expect(new Set(values(choice(tensor([10, 20, 30]), [50], { seed: 1 })))).toEqual(new Set([10, 20, 30]));
    expect(choice(4).shape).toEqual([]);
    expect(choice(4, [2, 3]).shape).toEqual([2, 3]);
  });
  it('with p: a position of probability 0 never comes up; frequencies within bounds', () => {
    const v = values(choice(3, [1e5], { seed: 62, p: [0.2, 0, 0.8] }));
    expect(v.includes(1)).toBe(false);
    expectMean(v.map((x) => (x === 0 ? 1 : 0)), 0.2, Math.sqrt(0.2 * 0.8));
    expect(v.every((x) => x === 0 || x === 2)).toBe(true);
  });
  it('without replacement: no repeats (a permutation when size = n), in range', () => {
    const full = values(choice(100, 100, { seed: 63, replace: false }), TS);
    expect([...full].sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    const some = values(choice(1e6, 1000, { seed: 64, replace: false }), TS);
    expect(new Set(some).size).toBe(1000);
    expect(some.every((x) => Number.isInteger(x) && x >= 0 && x < 1e6)).toBe(true);
    const fromT = values(choice(tensor([5, 6, 7, 8]), 4, { seed: 1, replace: false }), TS);
    expect([...fromT].sort()).toEqual([5, 6, 7, 8]);
  });
  it('without replacement with p: no repeats, zero-probability positions never, the first draw follows p', () => {
    const p = [0.1, 0, 0.3, 0.6];
    for (let s = 0; s < 50; s++) {
      const v = values(choice(4, 3, { seed: s, replace: false, p }), TS);
      expect(new Set(v).size).toBe(3);
      expect(v.includes(1)).toBe(false);
    }
    // P(first = 3) = 0.6 over 3000 seeds
    let n = 0;
    for (let s = 0; s < 3000; s++) if (choice(4, 1, { seed: s, replace: false, p }).data()[0] === 3) n++;
    expect(Math.abs(n - 1800)).toBeLessThanOrEqual(6 * Math.sqrt(3000 * 0.6 * 0.4));
  });
  it('p errors: negative, not summing to 1 within 1e-8·n, wrong length, too few non-zero', () => {
    expect(() => choice(3, 5, { p: [0.5, -0.1, 0.6] })).toThrow(/^choice: probabilities must be non-negative and finite, p\[1\] is -0.1/);
    expect(() => choice(3, 5, { p: [0.2, 0.2, 0.2] })).toThrow(/^choice: probabilities must sum to 1, they sum to 0.6/);
    expect(() => choice(2, 5, { p: [0.5, 0.5 + 1e-7] })).toThrow(/^choice: probabilities must sum to 1/);
    expect(() => choice(2, 5, { p: [0.5, 0.5 + 1e-9] })).not.toThrow();
    expect(() => choice(3, 5, { p: [0.5, 0.5] })).toThrow(ShapeError);
    expect(() => choice(3, 5, { p: [0.5, 0.5] })).toThrow(/^choice: p must be 1-D with one probability per position \(3\), got shape \[2\]/);
    expect(() => choice(3, 2, { replace: false, p: [1, 0, 0] })).toThrow(/^choice: 2 draws without replacement, but only 1 positions have a non-zero probability/);
    expect(() => choice(3, 2, { p: [NaN, 0.5, 0.5] })).toThrow(/non-negative and finite/);
  });
  it('other errors', () => {
    expect(() => choice(3, 4, { replace: false })).toThrow(/^choice: cannot take 4 draws without replacement from 3 positions/);
    expect(() => choice(0, 2)).toThrow(/^choice: nothing to choose from/);
    expect(() => choice(tensor([[1, 2]]), 2)).toThrow(/^choice: samples from a 1-D tensor, got shape \[1,2\]/);
    expect(() => choice(3, 2, { replace: 1 as never })).toThrow(/^choice: replace must be a boolean/);
    expect(() => choice(3, [-2])).toThrow(ShapeError);
  });
});

describe('choice without replacement: the sparse walk for a large population', () => {
  it('draws the same positions as the dense one would (the same swaps), no repeats, in range', () => {
    // 2^20 positions, 10 draws: kept in a Map; 2^20 positions, 2^18 draws: dense. The first 10 of the
    // second are the 10 of the first: step i of both uses the same u_i.
    const few = values(choice(2 ** 20, 10, { seed: 71, replace: false }), TS);
    const many = values(choice(2 ** 20, 2 ** 18, { seed: 71, replace: false }), TS);
    expect(many.slice(0, 10)).toEqual(few);
    expect(new Set(many).size).toBe(2 ** 18);
    expect(many.every((x) => x >= 0 && x < 2 ** 20)).toBe(true);
  });
  it('eager draws are capped, as TensorErrors', () => {
    expect(() => permutation(2 ** 28)).toThrow(/^permutation: a permutation of 268435456 positions; one computed now holds at most 2\^27/);
    expect(() => choice(2 ** 30, 2 ** 23, { replace: false })).toThrow(/^choice: 8388608 draws without replacement from 1073741824 positions/);
  });
});

describe('options are read once', () => {
  it('a getter for seed runs once; its exception passes through', () => {
    let reads = 0;
    const opts = { get seed() { reads++; return 3; } };
    expect(values(randint(0, 5, [4], opts), TS)).toEqual(values(randint(0, 5, [4], { seed: 3 }), TS));
    expect(reads).toBe(1);
    const throwing = { get seed(): number { throw new RangeError('mine'); } };
    expect(() => choice(3, 2, throwing)).toThrow(/^mine$/);
  });
});
