/**
 * Issue 12 §1: float sums and products in one defined order (README, Semantics: "Reductions"), so the
 * C backend, every thread count, fused or not, and the reference give the same bits; float64 sums
 * compensated, with an error bound that does not grow with n. Expected values come from numpy 2.4 or
 * from exact (BigInt) arithmetic, as each comment says.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.js';
import { configure, rand, tensor } from '../src/index.js';
import { runNodes } from '../src/realize.js';
import { propertyRuns } from './helpers.js';

const BACKENDS = [['ts', 0], ['c', 1], ['c', 2], ['c', 3]] as const;
afterEach(() => { configure({ backend: undefined, threads: undefined }); });

/**
 * The values of `make()` (one or several tensors, run as one program) on the reference and on C with 1,
 * 2 and 3 threads, fused and unfused.
 */
function everywhere(make: () => Tensor | Tensor[]): { label: string; values: number[][] }[] {
  const out: { label: string; values: number[][] }[] = [];
  for (const [backend, threads] of BACKENDS) {
    configure({ threads });
    const made = make(), nodes = (Array.isArray(made) ? made : [made]).map((t) => t.node);
    for (const fuse of backend === 'c' ? [true, false] : [true]) {
      out.push({ label: `${backend} threads=${threads} fuse=${fuse}`, values: runNodes(nodes, { backend, fuse }).map((d) => Array.from(d)) });
    }
  }
  return out;
}

function expectEverywhere(make: () => Tensor, expected: number[]): void {
  for (const { label, values } of everywhere(make)) expect(values[0], label).toEqual(expected);
}

/** Every backend and thread count gives the reference's bits; returns them (one array per tensor). */
function sameEverywhere(make: () => Tensor | Tensor[], what: string): number[][] {
  const [first, ...rest] = everywhere(make);
  for (const { label, values } of rest) expect(values, `${what}: ${label} against ${first.label}`).toEqual(first.values);
  return first.values;
}

/** The exact sum of doubles (BigInt, in units of 2^-1074), rounded once to the nearest double. */
function exactSum(xs: ArrayLike<number>): number {
  let total = 0n;
  const view = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < xs.length; i++) {
    view.setFloat64(0, xs[i]);
    const bits = view.getBigUint64(0);
    const exp = Number((bits >> 52n) & 0x7ffn), frac = bits & ((1n << 52n) - 1n);
    const mant = exp === 0 ? frac : frac | (1n << 52n);
    const scaled = mant << BigInt(Math.max(exp, 1) - 1);
    total += bits >> 63n ? -scaled : scaled;
  }
  // total · 2^-1074: keep 64 significant bits plus a sticky bit, so Number() rounds once, correctly.
  const neg = total < 0n, mag = neg ? -total : total;
  const shift = Math.max(0, mag.toString(2).length - 64);
  let top = mag >> BigInt(shift);
  if (shift > 0 && (mag & ((1n << BigInt(shift)) - 1n)) !== 0n) top |= 1n;
  let v = Number(top);
  for (let e = shift - 1074; e !== 0;) { const step = Math.max(-1000, Math.min(1000, e)); v *= 2 ** step; e -= step; }
  return neg ? -v : v;
}

describe('float sums and products have one order, on every backend and thread count', () => {
  it('overflowing float64 sums give the same answer everywhere (numpy gives the same three)', () => {
    // Fewer than 8 elements along the axis: added one after another. numpy: inf.
    expectEverywhere(() => tensor([1e308, 1e308, -1e308, -1e308]).sum(), [Infinity]);
    // 16 elements: dealt into 8 lanes by position, each lane 1e308 + -1e308 = 0. numpy (8 accumulators): 0.0.
    expectEverywhere(() => tensor([...Array(8).fill(1e308), ...Array(8).fill(-1e308)]).sum(), [0]);
    // Interleaved: the even lanes overflow to +inf, the odd ones to -inf. numpy: nan.
    expectEverywhere(() => tensor(Array.from({ length: 16 }, (_, i) => (i % 2 ? -1e308 : 1e308))).sum(), [NaN]);
    expectEverywhere(() => tensor([1, Infinity, 2, 3, 4, 5, 6, 7, 8, 9]).sum(), [Infinity]);
    expectEverywhere(() => tensor([1, Infinity, 2, 3, 4, 5, 6, 7, 8, -Infinity]).sum(), [NaN]);
    expectEverywhere(() => tensor([1, 2, NaN, 3, 4, 5, 6, 7, 8, 9, 10]).sum(), [NaN]);
  });

  it('a product with an exact zero factor and no inf or NaN is ±0 in any order (numpy: 0.0, -0.0)', () => {
    // Was NaN in C (a lane reached inf, then met the zero) and 0 on the reference.
    const a = Array<number>(16).fill(1);
    [a[0], a[1], a[9]] = [0, 1e308, 1e308];
    expectEverywhere(() => tensor(a).prod(), [0]);
    expectEverywhere(() => tensor([-1, 0, 2, 1e300, 1e300, 3, 4, 5, 6, 7]).prod(), [-0]);
    const b = Array<number>(32).fill(1);
    [b[0], b[1], b[17]] = [0, 1e30, 1e30]; // float32, 16 lanes: lane 1's 1e30 · 1e30 overflows
    expectEverywhere(() => tensor(b, { dtype: 'float32' }).prod(), [0]);
    // A zero and an inf: IEEE's 0 · inf, NaN, whatever the order. numpy: nan.
    expectEverywhere(() => tensor([0, 2, 3, 4, 5, 6, 7, 8, 9, Infinity]).prod(), [NaN]);
  });

  it('C gives the reference bits for float sums, means and products along every kind of axis', () => {
    // Mixed signs and magnitudes, so that any difference in order shows in the last bits.
    const cases: [number[], number[]][] = [
      [[1000], [0]], [[7], [0]], [[37, 13], [1]], [[37, 13], [0]], [[13, 37], [0, 1]], [[5, 6, 29], [1, 2]],
      [[5, 6, 29], [0, 2]], [[4, 1, 3], [0]], [[300, 3], [1]], [[1 << 19], [0]], [[600, 700], [0, 1]], [[700, 600], [1]],
      [[1 << 16, 5], [0, 1]],
    ];
    const inputs = cases.flatMap(([shape, axes]) => (['float64', 'float32'] as const).map((dtype) => ({
      what: `${dtype} [${shape}] over [${axes}]`, axes,
      x: rand(shape, { seed: shape[0], dtype }).sub(0.5).mul(rand(shape, { seed: 3, dtype }).mul(30).sub(15).exp()).eval(),
    })));
    // A sum, a product, and a mean followed by a fused sub/square/sum over it (variance); all in one
    // program (one compile per backend setting).
    const make = () => inputs.flatMap(({ x, axes }) => [x.sum(axes), x.mul(1e-3).add(1).prod(axes), x.variance(axes)]);
    const [first, ...rest] = everywhere(make);
    for (const { label, values } of rest) {
      values.forEach((v, i) => expect(v, `${['sum', 'prod', 'variance'][i % 3]} of ${inputs[Math.floor(i / 3)].what}: ${label}`).toEqual(first.values[i]));
    }
  });
});

describe('float64 sums are compensated: the error does not grow with n', () => {
  it('2^24 copies of 0.1 sum to the correctly rounded 2^24 · 0.1 (a plain sum is off by ~2e-10 relative)', () => {
    // The exact sum of 2^24 copies of the double 0.1 is 2^24 · 0.1 (a shift of its exponent, exact).
    const expected = 0.1 * 2 ** 24;
    for (const { label, values } of everywhere(() => tensor(new Float64Array(1 << 24).fill(0.1)).sum())) {
      expect(values[0][0], label).toBe(expected);
    }
  });

  it('cancelling sums stay within 2ε·Σ|x| of the exact sum, across sizes and axes (property)', () => {
    const eps = 2 ** -53;
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 30 }),
      (n, m, seed, spread) => {
        const x = rand([m, n], { seed }).sub(0.5).mul(rand([m, n], { seed: seed + 1 }).mul(spread).exp()).eval();
        const data = x.data() as Float64Array;
        const [results] = sameEverywhere(() => x.sum(1), `[${m}, ${n}] seed ${seed}`);
        const [columns] = sameEverywhere(() => x.sum(0), `columns of [${m}, ${n}] seed ${seed}`);
        for (let i = 0; i < m; i++) {
          const row = data.subarray(i * n, (i + 1) * n);
          const bound = 2 * eps * row.reduce((s, v) => s + Math.abs(v), 0);
          expect(Math.abs(results[i] - exactSum(row)), `row ${i} of [${m}, ${n}]`).toBeLessThanOrEqual(bound);
        }
        for (let j = 0; j < n; j++) {
          const col = Array.from({ length: m }, (_, i) => data[i * n + j]);
          const bound = 2 * eps * col.reduce((s, v) => s + Math.abs(v), 0);
          expect(Math.abs(columns[j] - exactSum(col)), `column ${j} of [${m}, ${n}]`).toBeLessThanOrEqual(bound);
        }
      }), { numRuns: propertyRuns(12) });
  });

  it('float32 sums of same-sign values are within 1 ulp of the exactly rounded sum (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 300_000 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 20 }),
      (n, seed, spread) => {
        const x = rand([n], { seed, dtype: 'float32' }).mul(rand([n], { seed: seed + 1, dtype: 'float32' }).mul(spread).exp()).eval();
        const [[got]] = sameEverywhere(() => x.sum(), `float32 [${n}] seed ${seed}`);
        const exact = Math.fround(exactSum(x.data()));
        const ulp = Math.fround(exact * (1 + 2 ** -23)) - exact;
        expect(Math.abs(got - exact), `n = ${n}: ${got} against ${exact}`).toBeLessThanOrEqual(ulp);
      }), { numRuns: propertyRuns(8) });
  });
});
