/**
 * fast-check properties of the reference interpreter itself. Expected values are computed here with
 * plain JS arithmetic (Math.fround, |0, Math.imul, Python's slice rules), never with tensorfuse.
 * Every property runs with a fixed seed (TENSORFUSE_PROPERTY_SEED overrides it; fast-check prints it with
 * the counterexample on failure); TENSORFUSE_PROPERTY_RUNS multiplies the number of runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DType, Tensor } from '../src/index.js';
import { concat, DTYPES, tensor } from '../src/index.js';
import { DTYPE, storageClass } from '../src/dtype.js';
import { expectValues, propertyRuns, run, show } from './helpers.js';

/** Fixed by default so runs are reproducible; TENSORFUSE_PROPERTY_SEED explores other streams. */
const SEED = Number(process.env.TENSORFUSE_PROPERTY_SEED || 20240607);
const params = (runs: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns: propertyRuns(runs) });

const INT32_MIN = -2147483648, INT32_MAX = 2147483647;
/** The integer dtypes, and each one's width and signedness written out here (not read from src). */
const INTS = ['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32'] as const;
const widthOf = (d: (typeof INTS)[number]): { bits: number; signed: boolean } => ({ bits: Number(d.replace(/\D/g, '')), signed: !d.startsWith('u') });
const sizeOf = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

/** Values of one dtype, with the edges each dtype has (NaN, ±Inf, -0, denormals, INT32_MIN/MAX). */
function values(dtype: DType): fc.Arbitrary<number> {
  switch (dtype) {
    // specials are drawn often, so that pairs like (-0, +0) or (NaN, x) line up within a few runs
    case 'float64': return fc.oneof({ arbitrary: fc.double(), weight: 1 }, { arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 5e-324, -5e-324, 1, -1, 0.5), weight: 2 });
    case 'float32': return fc.oneof({ arbitrary: fc.float(), weight: 1 }, { arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1.401298464324817e-45, 3.4028234663852886e38, 1, -1), weight: 2 });
    case 'int32': return fc.oneof(fc.integer({ min: INT32_MIN, max: INT32_MAX }), fc.constantFrom(INT32_MIN, INT32_MAX, 0, -1, 1), fc.integer({ min: -5, max: 5 }));
    case 'bool': return fc.constantFrom(0, 1);
    default: {
      const { min, max } = DTYPE[dtype];
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max, 0, 1), fc.integer({ min: Math.max(min, -5), max: 5 }));
    }
  }
}

const build = (dtype: DType, shape: readonly number[], xs: readonly number[]): Tensor =>
  tensor(storageClass(dtype).from(xs), { shape, dtype });

const shapeArb = (maxDims = 3, maxDim = 4): fc.Arbitrary<number[]> => fc.array(fc.integer({ min: 0, max: maxDim }), { maxLength: maxDims });

/** A tensor of a random dtype and shape (size-0 and size-1 dims included). */
const tensorArb = (dtypes: readonly DType[] = ['float32', 'float64', 'int32', 'bool'], shape = shapeArb()) =>
  fc.tuple(fc.constantFrom(...dtypes), shape).chain(([dtype, s]) =>
    fc.array(values(dtype), { minLength: sizeOf(s), maxLength: sizeOf(s) }).map((xs) => ({ dtype, shape: s, xs })));

/** Two shapes that broadcast together: each is a suffix of `out` with some dims replaced by 1. */
const broadcastPair = fc.tuple(shapeArb(), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), fc.nat(3), fc.nat(3)).map(([out, ones, da, db]) => {
  const a = out.slice(Math.min(da, out.length)).map((d, i) => (ones[i] ? 1 : d));
  const b = out.slice(Math.min(db, out.length)).map((d, i) => (ones[i + 3] ? 1 : d));
  return [a, b] as const;
});

const pairArb = (dtypes: readonly DType[]) =>
  fc.tuple(fc.constantFrom(...dtypes), broadcastPair).chain(([dtype, [sa, sb]]) => fc.tuple(
    fc.array(values(dtype), { minLength: sizeOf(sa), maxLength: sizeOf(sa) }),
    fc.array(values(dtype), { minLength: sizeOf(sb), maxLength: sizeOf(sb) }),
  ).map(([xa, xb]) => ({ dtype, sa, sb, xa, xb })));

/** Exact equality of two evaluated tensors (shape, dtype, Object.is per element; NaN payloads ignored). */
function expectSame(a: Tensor, b: Tensor, label: string): void {
  expect(a.shape, label).toEqual(b.shape);
  expect(a.dtype, label).toBe(b.dtype);
  expectValues(run(a), run(b), label);
}

const call = (t: Tensor, op: string, ...args: unknown[]): Tensor => (t as unknown as Record<string, (...a: unknown[]) => Tensor>)[op](...args);

describe('properties of the reference (fixed seed; scale runs with TENSORFUSE_PROPERTY_RUNS)', () => {
  it.each(['add', 'mul', 'maximum', 'minimum', 'eq', 'ne', 'and', 'or'])('%s is commutative exactly, with broadcasting', (op) => {
    fc.assert(fc.property(pairArb(op === 'add' || op === 'mul' || op === 'maximum' || op === 'minimum' ? DTYPES : DTYPES.filter((d) => d !== 'float32')), ({ dtype, sa, sb, xa, xb }) => {
      const a = build(dtype, sa, xa), b = build(dtype, sb, xb);
      expectSame(call(a, op, b), call(b, op, a), `${op} ${dtype} ${show(sa)} with ${show(sb)}`);
    }), params(150));
  });

  it('float32 add/sub/mul/div/sqrt equal Math.fround of the double result', () => {
    const f32 = fc.oneof(fc.float(), fc.constantFrom(NaN, Infinity, -0, 1.401298464324817e-45, 3.4028234663852886e38, 16777216, 0.1));
    const ops: [string, (a: number, b: number) => number][] = [
      ['add', (a, b) => a + b], ['sub', (a, b) => a - b], ['mul', (a, b) => a * b], ['div', (a, b) => a / b], ['sqrt', (a) => Math.sqrt(a)],
    ];
    fc.assert(fc.property(fc.array(fc.tuple(f32, f32), { minLength: 1, maxLength: 12 }), (pairs) => {
      const a = build('float32', [pairs.length], pairs.map((p) => p[0]));
      const b = build('float32', [pairs.length], pairs.map((p) => p[1]));
      const xa = Array.from(a.data()), xb = Array.from(b.data());
      for (const [op, f] of ops) {
        const r = op === 'sqrt' ? a.sqrt() : call(a, op, b);
        expect(r.dtype).toBe('float32');
        expectValues(run(r), xa.map((x, i) => Math.fround(f(x, xb[i]))), `float32 ${op}(${show(xa)}, ${show(xb)})`);
      }
    }), params(150));
  });

  it('float64 add/sub/mul/div equal the JS double operations', () => {
    fc.assert(fc.property(fc.array(fc.tuple(values('float64'), values('float64')), { minLength: 1, maxLength: 12 }), (pairs) => {
      const xa = pairs.map((p) => p[0]), xb = pairs.map((p) => p[1]);
      const a = build('float64', [xa.length], xa), b = build('float64', [xb.length], xb);
      expectValues(run(a.add(b)), xa.map((x, i) => x + xb[i]), 'float64 add');
      expectValues(run(a.sub(b)), xa.map((x, i) => x - xb[i]), 'float64 sub');
      expectValues(run(a.mul(b)), xa.map((x, i) => x * xb[i]), 'float64 mul');
      expectValues(run(a.div(b)), xa.map((x, i) => x / xb[i]), 'float64 div');
    }), params(150));
  });

  it('int32 add/sub/mul wrap like (a + b) | 0, (a - b) | 0 and Math.imul; mod and floorDiv are floored with x mod 0 = x // 0 = 0', () => {
    fc.assert(fc.property(fc.array(fc.tuple(values('int32'), values('int32')), { minLength: 1, maxLength: 12 }), (pairs) => {
      const xa = pairs.map((p) => p[0]), xb = pairs.map((p) => p[1]);
      const a = build('int32', [xa.length], xa), b = build('int32', [xb.length], xb);
      const label = `int32 ${show(xa)} op ${show(xb)}`;
      expectValues(run(a.add(b)), xa.map((x, i) => (x + xb[i]) | 0), `add ${label}`);
      expectValues(run(a.sub(b)), xa.map((x, i) => (x - xb[i]) | 0), `sub ${label}`);
      expectValues(run(a.mul(b)), xa.map((x, i) => Math.imul(x, xb[i])), `mul ${label}`);
      // floored modulo from the definition a - floor(a / b) * b, computed exactly in BigInt
      const floorMod = (x: number, y: number): number => {
        if (y === 0) return 0;
        const r = BigInt(x) % BigInt(y);
        return Number(r !== 0n && (r < 0n) !== (y < 0) ? r + BigInt(y) : r) | 0;
      };
      expectValues(run(a.mod(b)), xa.map((x, i) => floorMod(x, xb[i])), `mod ${label}`);
      // floored division from its definition, exactly in BigInt, wrapped to int32 (x // 0 = 0)
      const floorDiv = (x: number, y: number): number => {
        if (y === 0) return 0;
        const q = BigInt(x) / BigInt(y), r = BigInt(x) % BigInt(y);
        return Number(BigInt.asIntN(32, r !== 0n && (r < 0n) !== (y < 0) ? q - 1n : q));
      };
      expectValues(run(a.floorDiv(b)), xa.map((x, i) => floorDiv(x, xb[i])), `floorDiv ${label}`);
      expectValues(run(a.neg()), xa.map((x) => -x | 0), `neg int32 ${show(xa)}`);
    }), params(150));
  });

  it.each(INTS)('%s add/sub/mul/neg wrap modulo 2^bits, mod and floorDiv are floored (x mod 0 = x // 0 = 0): exact in BigInt', (d) => {
    const { bits, signed } = widthOf(d);
    const wrap = (v: bigint): number => Number(signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v));
    fc.assert(fc.property(fc.array(fc.tuple(values(d), values(d)), { minLength: 1, maxLength: 12 }), (pairs) => {
      const xa = pairs.map((p) => p[0]), xb = pairs.map((p) => p[1]);
      const a = build(d, [xa.length], xa), b = build(d, [xb.length], xb);
      const label = `${d} ${show(xa)} op ${show(xb)}`;
      const each = (f: (x: bigint, y: bigint) => bigint) => xa.map((x, i) => wrap(f(BigInt(x), BigInt(xb[i]))));
      expectValues(run(a.add(b)), each((x, y) => x + y), `add ${label}`);
      expectValues(run(a.sub(b)), each((x, y) => x - y), `sub ${label}`);
      expectValues(run(a.mul(b)), each((x, y) => x * y), `mul ${label}`);
      expectValues(run(a.neg()), each((x) => -x), `neg ${label}`);
      const floored = (x: bigint, y: bigint): [bigint, bigint] => {
        if (y === 0n) return [0n, 0n];
        const q = x / y, r = x % y;
        return r !== 0n && (r < 0n) !== (y < 0n) ? [q - 1n, r + y] : [q, r];
      };
      expectValues(run(a.floorDiv(b)), each((x, y) => floored(x, y)[0]), `floorDiv ${label}`);
      expectValues(run(a.mod(b)), each((x, y) => floored(x, y)[1]), `mod ${label}`);
      expect(a.add(b).dtype).toBe(d);
    }), params(100));
  });

  it.each(INTS)('casts into %s: floats truncate and saturate (NaN -> 0), integers wrap modulo 2^bits, bools are 0/1', (d) => {
    const { bits, signed } = widthOf(d);
    const [lo, hi] = signed ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
    const sat = (v: number): number => (v !== v ? 0 : v >= hi ? hi : v <= lo ? lo : Math.trunc(v) + 0);
    const wrap = (v: number): number => Number(signed ? BigInt.asIntN(bits, BigInt(v)) : BigInt.asUintN(bits, BigInt(v)));
    fc.assert(fc.property(fc.array(values('float64'), { maxLength: 8 }), fc.array(values('int32'), { maxLength: 8 }), fc.array(values('uint32'), { maxLength: 8 }), (floats, ints, uints) => {
      expectValues(run(build('float64', [floats.length], floats).cast(d)), floats.map(sat), `float64 -> ${d} ${show(floats)}`);
      const f32 = floats.map(Math.fround);
      expectValues(run(build('float32', [f32.length], f32).cast(d)), f32.map(sat), `float32 -> ${d} ${show(f32)}`);
      expectValues(run(build('int32', [ints.length], ints).cast(d)), ints.map(wrap), `int32 -> ${d} ${show(ints)}`);
      expectValues(run(build('uint32', [uints.length], uints).cast(d)), uints.map(wrap), `uint32 -> ${d} ${show(uints)}`);
      expectValues(run(build('bool', [3], [1, 0, 1]).cast(d)), [1, 0, 1], `bool -> ${d}`);
    }), params(60));
  });

  it('sum over a broadcast axis equals value * count, exactly for int32 (64-bit accumulation, no wrap)', () => {
    fc.assert(fc.property(tensorArb(['int32'], shapeArb(2)), fc.integer({ min: 0, max: 6 }), fc.nat(2), ({ shape, xs }, n, at) => {
      const axis = Math.min(at, shape.length);
      const x = build('int32', shape, xs);
      const wide = shape.slice();
      wide.splice(axis, 0, n);
      const s = x.unsqueeze(axis).expand(wide).sum(axis);
      expect(s.shape).toEqual(shape);
      expect(s.dtype).toBe('float64');
      expectValues(run(s), xs.map((v) => v * n + 0), `sum over broadcast axis ${axis} of size ${n}, ${show(shape)}`);
    }), params(150));
  });

  it('sum over a broadcast axis equals value * count for small float64 integers', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 6 }), fc.integer({ min: 0, max: 9 }), (xs, n) => {
      const x = build('float64', [xs.length], xs);
      expectValues(run(x.expand([n, xs.length]).sum(0)), xs.map((v) => v * n + 0), `float64 sum of ${n} copies of ${show(xs)}`);
    }), params(100));
  });

  it('reshape round-trips, also through the copy a non-contiguous view needs', () => {
    fc.assert(fc.property(tensorArb(undefined, shapeArb(3, 4)), fc.nat(), ({ dtype, shape, xs }, pick) => {
      const x = build(dtype, shape, xs);
      const n = xs.length;
      const divisors = [...Array(n + 1).keys()].filter((d) => d > 0 && n % d === 0);
      const d = divisors.length ? divisors[pick % divisors.length] : 0;
      const other = n === 0 ? [0, pick % 3] : [d, -1];
      const label = `${dtype} ${show(shape)} via ${show(other)}`;
      expectSame(x.reshape(other).reshape(shape), x, `reshape round trip ${label}`);
      expectSame(x.T.reshape([-1]).reshape([...shape].reverse()).T, x, `reshape of a transpose ${label}`);
      expectSame(x.flatten().reshape(shape), x, `flatten round trip ${label}`);
    }), params(150));
  });

  it('transpose by a permutation and then its inverse is the identity; T.T too', () => {
    fc.assert(fc.property(tensorArb(undefined, shapeArb(4, 3)).chain((t) =>
      fc.shuffledSubarray([...Array(t.shape.length).keys()], { minLength: t.shape.length, maxLength: t.shape.length }).map((perm) => ({ ...t, perm }))), ({ dtype, shape, xs, perm }) => {
      const x = build(dtype, shape, xs);
      const inverse = perm.map((_, i) => perm.indexOf(i));
      const label = `${dtype} ${show(shape)} perm ${show(perm)}`;
      const y = x.transpose(perm);
      expect(y.shape, label).toEqual(perm.map((p) => shape[p]));
      expectSame(y.transpose(inverse), x, `transpose round trip ${label}`);
      expectSame(x.T.T, x, `T.T ${label}`);
    }), params(150));
  });

  it('flip twice is the identity; flip of a vector is Array.reverse', () => {
    fc.assert(fc.property(tensorArb(undefined, shapeArb(3, 4)), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), ({ dtype, shape, xs }, which) => {
      const x = build(dtype, shape, xs);
      const axes = shape.map((_, i) => i).filter((i) => which[i]);
      expectSame(x.flip(axes).flip(axes), x, `flip twice ${dtype} ${show(shape)} axes ${show(axes)}`);
      expectSame(x.flip().flip(), x, `flip() twice ${dtype} ${show(shape)}`);
      expectValues(run(x.flatten().flip()), Array.from(x.data()).reverse(), `flip of a vector ${dtype}`);
    }), params(150));
  });

  it('concat then slice gives back every part, bit for bit', () => {
    const arb = fc.tuple(fc.constantFrom<DType>('float32', 'float64', 'int32', 'bool'), shapeArb(3, 3).filter((s) => s.length > 0), fc.nat(2),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 })).chain(([dtype, shape, at, lengths]) => {
      const axis = at % shape.length;
      const shapes = lengths.map((len) => shape.map((d, i) => (i === axis ? len : d)));
      return fc.tuple(...shapes.map((s) => fc.array(values(dtype), { minLength: sizeOf(s), maxLength: sizeOf(s) })))
        .map((parts) => ({ dtype, axis, shapes, parts }));
    });
    fc.assert(fc.property(arb, ({ dtype, axis, shapes, parts }) => {
      const ts = parts.map((xs, i) => build(dtype, shapes[i], xs));
      const all = concat(ts, axis - shapes[0].length); // a negative axis
      let offset = 0;
      ts.forEach((t, i) => {
        const len = shapes[i][axis];
        const begin = shapes[0].map((_, k) => (k === axis ? offset : null));
        const end = shapes[0].map((_, k) => (k === axis ? offset + len : null));
        expectSame(all.slice(begin, end), t, `concat ${dtype} ${show(shapes)} axis ${axis}, part ${i}`);
        offset += len;
      });
    }), params(150));
  });

  it('slice follows Python slice semantics (CPython slice.indices, written out here)', () => {
    const bound = fc.option(fc.integer({ min: -8, max: 8 }), { nil: null });
    fc.assert(fc.property(fc.integer({ min: 0, max: 6 }), bound, bound, fc.integer({ min: -4, max: 4 }).filter((s) => s !== 0), (n, start, stop, step) => {
      const xs = [...Array(n).keys()];
      // CPython PySlice_AdjustIndices
      const adjust = (v: number | null, dflt: number, lo: number, hi: number): number => {
        if (v === null) return dflt;
        const w = v < 0 ? v + n : v;
        return w < lo ? lo : w > hi ? hi : w;
      };
      const s = step > 0 ? adjust(start, 0, 0, n) : adjust(start, n - 1, -1, n - 1);
      const e = step > 0 ? adjust(stop, n, 0, n) : adjust(stop, -1, -1, n - 1);
      const expected: number[] = [];
      for (let i = s; step > 0 ? i < e : i > e; i += step) expected.push(xs[i]);
      const r = build('int32', [n], xs).slice(start, stop, step);
      expectValues(run(r), expected, `arange(${n})[${start ?? ''}:${stop ?? ''}:${step}]`);
    }), params(300));
  });

  it('argmax/argmin pick the first extreme, and a NaN is the extreme', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(NaN, -0, Infinity, -Infinity)), { minLength: 1, maxLength: 9 }), (xs) => {
      const first = (better: (a: number, b: number) => boolean): number => {
        const nan = xs.findIndex((v) => v !== v);
        if (nan >= 0) return nan;
        let at = 0;
        xs.forEach((v, i) => { if (better(v, xs[at])) at = i; });
        return at;
      };
      const x = build('float64', [xs.length], xs);
      expectValues(run(x.argmax()), [first((a, b) => a > b)], `argmax ${show(xs)}`);
      expectValues(run(x.argmin()), [first((a, b) => a < b)], `argmin ${show(xs)}`);
    }), params(200));
  });

  it('max/min of a vector equal folding Math.max/Math.min (NaN propagates; +0 beats -0)', () => {
    fc.assert(fc.property(fc.array(values('float64'), { minLength: 1, maxLength: 9 }), (xs) => {
      const x = build('float64', [xs.length], xs);
      expectValues(run(x.max()), [xs.reduce((m, v) => Math.max(m, v))], `max ${show(xs)}`);
      expectValues(run(x.min()), [xs.reduce((m, v) => Math.min(m, v))], `min ${show(xs)}`);
    }), params(200));
  });

  it('int32 -> float64 -> int32 casts are the identity; float -> int32 truncates and saturates', () => {
    fc.assert(fc.property(fc.array(values('int32'), { maxLength: 8 }), fc.array(values('float64'), { maxLength: 8 }), (ints, floats) => {
      const i = build('int32', [ints.length], ints);
      expectValues(run(i.cast('float64').cast('int32')), ints, `int32 round trip ${show(ints)}`);
      const sat = (v: number): number => (v !== v ? 0 : v >= INT32_MAX ? INT32_MAX : v <= INT32_MIN ? INT32_MIN : Math.trunc(v) + 0);
      expectValues(run(build('float64', [floats.length], floats).cast('int32')), floats.map(sat), `float64 -> int32 ${show(floats)}`);
    }), params(150));
  });

  it.each(INTS)('matmul of small %s matrices equals the naive triple loop, wrapped modulo 2^bits (exact in BigInt)', (d) => {
    const { bits, signed } = widthOf(d);
    const dims = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }));
    fc.assert(fc.property(dims.chain(([m, k, n]) => fc.tuple(fc.constant([m, k, n] as const),
      fc.array(values(d), { minLength: m * k, maxLength: m * k }), fc.array(values(d), { minLength: k * n, maxLength: k * n }))),
    ([[m, k, n], xa, xb]) => {
      const expected: number[] = [];
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let acc = 0n;
          for (let q = 0; q < k; q++) acc += BigInt(xa[i * k + q]) * BigInt(xb[q * n + j]);
          expected.push(Number(signed ? BigInt.asIntN(bits, acc) : BigInt.asUintN(bits, acc)));
        }
      }
      const r = build(d, [m, k], xa).matmul(build(d, [k, n], xb));
      expect(r.shape).toEqual([m, n]);
      expect(r.dtype).toBe(d);
      expectValues(run(r), expected, `matmul ${d} [${m},${k}] @ [${k},${n}]`);
    }), params(40));
  });
});

describe('re-recording an expression', () => {
  it('returns the same nodes (so a repeated eval reuses its plan) and the memo never changes a result', () => {
    const x = tensor([1, 2, 3]);
    const y = tensor([4, 5, 6]);
    const e = () => x.mul(2).add(y).relu().mul(x.sub(y)).add(1);
    expect(e().node).toBe(e().node);
    expect(x.mul(2).node).not.toBe(x.mul(2.5).node);
    expect(x.mul(0).node).not.toBe(x.mul(-0).node);
    expect(x.add(y).node).not.toBe(x.add(x).node);
    expect(e().eval({ backend: 'ts' }).toArray()).toEqual([-17, -26, -35]); // by hand: (2x + y) * (x - y) + 1
    // More distinct ops than the memo holds: still correct.
    for (let i = 0; i < 200; i++) expect(x.mul(i).eval({ backend: 'ts' }).toArray()).toEqual([i, 2 * i, 3 * i]);
    // A copy asked for twice in a row is remembered (memo.ts): 200 entries on x, past its 64, replace the oldest.
    for (let i = 0; i < 200; i++) {
      x.mul(i + 0.5);
      const again = x.mul(i + 0.5);
      expect(x.mul(i + 0.5).node).toBe(again.node);
    }
    for (const i of [0, 100, 150, 199]) expect(x.mul(i + 0.5).eval({ backend: 'ts' }).toArray()).toEqual([i + 0.5, 2 * (i + 0.5), 3 * (i + 0.5)]);
    x.mul(NaN);
    const nan = x.mul(NaN);
    expect(x.mul(NaN).node, 'NaN is one number to the memo').toBe(nan.node);
  });
});
