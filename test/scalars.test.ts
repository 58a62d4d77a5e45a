/**
 * Issue 12 §5: a JS number that changes every call is a runtime scalar, not a new program. eval() of
 * the same structure with other numbers plans once (stats().plans), and jit traces once for every
 * number (stats().traces), unless the argument is listed in `staticArgs`. Expected values are computed
 * here in plain JS (Math.fround per op for float32) or by the reference backend.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.js';
import { arange, evalAll, grad, jit, rand, stats, tensor, TensorError, where } from '../src/index.js';
import { canonicalize, scalarPaths, scalarsAlong, scalarsInto } from '../src/schedule.js';
import { buildGraph, makeInputs, specArb } from './graphgen.js';
import { propertyRuns } from './helpers.js';

const f32 = Math.fround;
const TS = { backend: 'ts' } as const;
const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]) || (Number.isNaN(v) && Number.isNaN(b[i])));

describe('eval() with changing numbers', () => {
  it('x.mul(i).add(1) over 100 numbers plans at most twice and compiles nothing new, each value right', () => {
    const x = rand([16], { seed: 5, dtype: 'float32' }).eval();
    const xs = Array.from(x.data());
    x.mul(0.25).add(1).eval(); // compiled once, before counting
    const before = stats();
    for (let i = 0; i < 100; i++) {
      const k = i * 1.37 - 50;
      const got = x.mul(k).add(1).eval().data();
      expect(same(got, xs.map((v) => f32(f32(v * f32(k)) + 1))), `i = ${k}`).toBe(true);
    }
    const after = stats();
    expect(after.compiles - before.compiles).toBe(0);
    expect(after.plans - before.plans).toBeLessThanOrEqual(2);
  });

  it('a fixed number still runs its own kept plan, also after another number of its kind', () => {
    const x = rand([16], { seed: 6 }).eval();
    for (const k of [5, 7]) x.mul(k).add(1).eval(); // the op with an integer is now a template
    for (let i = 0; i < 5; i++) x.mul(3).add(1).eval(); // a copy is remembered when asked for twice
    expect(x.mul(3).add(1).node, 'the same expression gives the same root (its own plan, no scalars to gather)').toBe(x.mul(3).add(1).node);
    const before = stats().plans;
    for (let i = 0; i < 50; i++) x.mul(3).add(1).eval();
    expect(stats().plans - before).toBe(0);
  });

  it('every scalar slot gets its own value: a number used twice, in where, in clip, with rand and a cast', () => {
    const x = rand([8], { seed: 7, dtype: 'float32' }).eval();
    const c = x.gt(0.5);
    const expr = (a: number, b: number) => where(c, x.mul(a).add(a), x.sub(b)).clip(b, a + 10).add(rand([8], { seed: 3 }).mul(b)).cast('int32').add(a);
    expr(1, 2).eval();
    const before = stats().plans;
    // a stays an int32-sized integer: int32 + 2.5 would be float64, another structure (and two more plans)
    for (const [a, b] of [[1, 2], [2, 2], [-3, 7.5], [1e6, -0.5], [0, 0], [-0, NaN], [5, Infinity], [2 ** 31 - 1, -Infinity]]) {
      const got = expr(a, b).eval().data();
      const want = expr(a, b).eval(TS).data();
      expect(same(got, want), `a = ${a}, b = ${b}`).toBe(true);
    }
    expect(stats().plans - before).toBeLessThanOrEqual(2);
    for (const [a, b] of [[2.5, 1], [NaN, 3], [-1e300, 0.5]]) expect(same(expr(a, b).eval().data(), expr(a, b).eval(TS).data()), `a = ${a}, b = ${b}`).toBe(true);
  });

  it('random graphs: the scalars read from the graph (walked, or along the paths of the first draw) are those of canonicalize, in its order', () => {
    fc.assert(fc.property(specArb('elementwise', 8), (spec) => {
      const inputs = makeInputs(spec);
      const first = buildGraph(spec, inputs, 0).outputs.map((t) => t.node);
      for (let salt = 0; salt < 3; salt++) {
        buildGraph(spec, inputs, salt).outputs.forEach((t, i) => {
          const want = canonicalize([t.node], true).scalars;
          const walked = new Float64Array(want.length);
          scalarsInto([t.node], walked);
          expect(Array.from(walked), `output ${i}, salt ${salt}`).toEqual(want);
          if (t.node.skel !== first[i].skel) return; // another kind of scalar: another structure
          const read = new Float64Array(want.length);
          scalarsAlong(t.node, scalarPaths(first[i], 1e6)!, read);
          expect(Array.from(read), `output ${i}, salt ${salt}, along paths`).toEqual(want);
        });
      }
    }), { numRuns: 200, seed: 12 });
  });

  it('a value that decides the generated code (a pad value) is still part of the program', () => {
    const x = tensor([1, 2], { dtype: 'int32' });
    for (const v of [0, 7, -3]) expect(x.pad([[1, 1]], v).eval().toArray()).toEqual([v, 1, 2, v]);
  });

  it('int32 constants are converted as int32 elements hold them (saturated), for every new number', () => {
    const x = tensor([1, -1], { dtype: 'int32' });
    const got = [2.5, 3e9, -3e9, 4].map((k) => x.mul(x.add(k).cast('int32')).eval().toArray());
    const want = [2.5, 3e9, -3e9, 4].map((k) => x.mul(x.add(k).cast('int32')).eval(TS).toArray());
    expect(got).toEqual(want);
  });
});

describe('numbers pending on a template (memo.ts): a changing number records no nodes', () => {
  const xs = [0.5, -1.25, 3, 7.75, -0];
  const x = tensor(xs, { dtype: 'float32' });
  const y = tensor([1, 2, 3, 4, 5], { dtype: 'float32' });
  // by hand, float32 rounding after each op, as the reference defines it
  const chain = (a: number, b: number, c: number) => xs.map((v, i) => f32(f32(Math.max(f32(f32(v * f32(a)) + f32(b)), 0) * f32(c)) + [1, 2, 3, 4, 5][i]));

  it('x.mul(a).add(b).relu().mul(c).add(y) over changing a, b, c: each value right, on the kept template program too', () => {
    for (let i = 0; i < 12; i++) {
      const [a, b, c] = [1.53 + i / 8, -2.1 + i / 3, 0.3 + i / 7];
      const t = x.mul(a).add(b).relu().mul(c).add(y);
      if (i > 0) expect(t.over?.length, `three numbers pending, no node of their own (call ${i})`).toBe(3);
      expect(same(t.eval().data(), chain(a, b, c)), `call ${i}`).toBe(true);
    }
  });

  it('a pending tensor read as a graph (sum, reshape, printing, the reference, evalAll, evalAsync) has its own numbers', async () => {
    x.mul(1.5).add(-1).eval(); // the template: a fraction, then a small negative integer
    const t = () => x.mul(2.5).add(-1);
    const want = xs.map((v) => f32(f32(v * 2.5) - 1));
    expect(t().over, 'pending').toBeDefined();
    expect(t().sum().item()).toBe(want.reduce((p, q) => p + q, 0)); // exact: all sums of these are representable
    expect(Array.from(t().reshape([5, 1]).eval().data())).toEqual(want);
    expect(t().eval({ backend: 'ts' }).toArray()).toEqual(want);
    const [u, v] = [t(), x.mul(3.5).add(-1)];
    evalAll(u, v);
    expect([Array.from(u.data()), Array.from(v.data())]).toEqual([want, xs.map((q) => f32(f32(q * 3.5) - 1))]);
    expect(Array.from((await t().evalAsync()).data())).toEqual(want);
    expect(t().eval().toString()).toContain('-1');
    // and differentiated: d/dx sum((x k + 1)^2) = 2 k (x k + 1), by hand, float32 per op
    for (const k of [2.5, 3.25, 4.75]) {
      const g = grad((a: Tensor) => a.mul(k).add(1).square().sum())(x);
      expect(Array.from(g.data())).toEqual(xs.map((v) => f32(f32(2 * f32(f32(v * k) + 1)) * f32(k))));
    }
  });

  it('an operand that reads the template keeps its own number (f.add(f), f.add(the template itself), f.mul(another pending))', () => {
    const a = x.mul(2).add(1); // the template, recorded with 2
    a.eval();
    const f = () => x.mul(3).add(1); // 3 pending on a's nodes
    const three = xs.map((v) => f32(f32(v * 3) + 1));
    const two = xs.map((v) => f32(f32(v * 2) + 1));
    expect(f().over).toBeDefined();
    expect(Array.from(f().add(f()).eval().data())).toEqual(three.map((v) => f32(v + v)));
    expect(Array.from(f().add(x.mul(2).add(1)).eval().data())).toEqual(three.map((v, i) => f32(v + two[i])));
    expect(Array.from(x.mul(2).add(1).sub(f()).eval().data())).toEqual(two.map((v, i) => f32(v - three[i])));
    const g = x.mul(-4).add(1);
    expect(Array.from(f().mul(g).eval().data())).toEqual(three.map((v, i) => f32(v * f32(f32(xs[i] * -4) + 1))));
  });

  it('random chains over changing numbers: pending numbers give what a fresh recording of those numbers gives, bit for bit', () => {
    // Chains on x (its memo holds the templates, so every later draw runs pending) against the same
    // chain on a fresh copy of x (nothing remembered: recorded for real). Both on C, so bit for bit;
    // c-properties holds C to the reference. Numbers change between draws within one kind (memo.ts).
    const FLOATS = [0.5, -1.25, 3.75, 1e-3, NaN, Infinity, -Infinity, 2.5e10, -7.3];
    const INTS = [1, 5, 17, 100, 3];
    const step = fc.oneof(
      fc.record({ num: fc.constantFrom('add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow', 'mod'), at: fc.nat(100) }),
      fc.record({ unary: fc.constantFrom('relu', 'neg', 'abs', 'exp', 'square') }),
      fc.record({ tensor: fc.constantFrom('add', 'mul', 'sub'), with: fc.constantFrom('y', 'prev', 'first') }),
    );
    let pendingSeen = 0;
    fc.assert(fc.property(fc.constantFrom('float32', 'float64', 'int32') as fc.Arbitrary<'float32' | 'float64' | 'int32'>, fc.array(step, { minLength: 1, maxLength: 6 }), (dtype, steps) => {
      const data = [0.5, -2, 3, 0, -0, 7.25, 1e-3, -100].map((v) => (dtype === 'int32' ? Math.trunc(v) : v));
      const x = tensor(data, { dtype });
      const y = tensor(data.map((v) => v * 3 - 1), { dtype });
      const build = (on: Tensor, draw: number): Tensor => {
        let t: Tensor = on;
        const seen: Tensor[] = [];
        for (const st of steps) {
          seen.push(t);
          if ('num' in st) {
            const pool = dtype === 'int32' ? INTS : FLOATS;
            t = (t as unknown as Record<string, (v: number) => Tensor>)[st.num](pool[(st.at + draw) % pool.length]);
          } else if ('unary' in st) t = (t as unknown as Record<string, () => Tensor>)[st.unary]();
          else t = (t as unknown as Record<string, (v: Tensor) => Tensor>)[st.tensor](st.with === 'y' ? y : st.with === 'first' ? seen[0] : seen[seen.length - 1]);
        }
        return t;
      };
      for (let draw = 0; draw < 4; draw++) {
        const t = build(x, draw);
        if (t.over !== undefined) pendingSeen++;
        const got = t.eval().data();
        const want = build(tensor(data, { dtype }), draw).eval().data();
        expect(same(got, want), `draw ${draw}: ${JSON.stringify(steps)} on ${dtype}`).toBe(true);
      }
    }), { numRuns: propertyRuns(24), seed: 14 });
    expect(pendingSeen, 'chains that ran with pending numbers').toBeGreaterThan(propertyRuns(24));
  });
});

describe('jit with number arguments', () => {
  it('traces once for 100 different numbers, and each call has its own number', () => {
    let calls = 0;
    const f = jit((x: Tensor, a: number) => {
      calls++;
      return x.mul(a).add(1);
    });
    const x = rand([16], { seed: 8, dtype: 'float32' }).eval();
    const xs = Array.from(x.data());
    const before = stats().traces;
    for (let i = 0; i < 100; i++) {
      const k = i - 50.3; // never an integer: an integer is another kind of number (one more trace)
      const r = f(x, k);
      expect(r.dtype).toBe('float32'); // a number stays a weak scalar: it does not widen float32
      expect(same(r.data(), xs.map((v) => f32(f32(v * f32(k)) + 1))), `a = ${k}`).toBe(true);
    }
    expect(calls).toBe(1);
    expect(stats().traces - before).toBe(1);
  });

  it('keeps the dtype rules of JS numbers: an int32 tensor plus an integer stays int32, plus 1.5 is float64; one trace per class of number', () => {
    let calls = 0;
    const g = jit((x: Tensor, a: number) => {
      calls++;
      return x.add(a);
    });
    const x = tensor([1, 2], { dtype: 'int32' });
    expect(g(x, 3).dtype).toBe('int32');
    expect(g(x, 100).toArray()).toEqual([101, 102]); // 0..127: the same class as 3
    expect(calls).toBe(1);
    // -7 is another class (next to a uint8 tensor it gives float64, 3 keeps uint8): a trace, the same dtype here
    expect(g(x, -7).toArray()).toEqual([-6, -5]);
    expect(g(x, -100).toArray()).toEqual([-99, -98]);
    expect(calls).toBe(2);
    const h = g(x, 1.5);
    expect(h.dtype).toBe('float64');
    expect(h.toArray()).toEqual([2.5, 3.5]);
    expect(g(x, 0.25).toArray()).toEqual([1.25, 2.25]);
    expect(calls).toBe(3);
    // next to uint8, the class decides the dtype: 3 and 255 keep uint8 (and wrap), 300 and -1 give float64
    const u = tensor([250, 1], { dtype: 'uint8' });
    expect([g(u, 3).dtype, g(u, 255).toArray(), g(u, 300).dtype, g(u, -1).toArray()]).toEqual(['uint8', [249, 0], 'float64', [249, 0]]);
  });

  it('runtime numbers on the reference backend, in where, and in ops on the number itself', () => {
    const f = jit((x: Tensor, a: number, b: number) => where(x.gt(a), x, b).add(tensor(2).mul(a)), TS);
    const x = tensor([1, 5, 9]);
    expect(f(x, 4, -1).toArray()).toEqual([7, 13, 17]);
    expect(f(x, 6, 0).toArray()).toEqual([12, 12, 21]);
  });

  it('staticArgs: a number that decides a shape retraces per value', () => {
    let calls = 0;
    const head = jit((x: Tensor, n: number) => {
      calls++;
      return x.slice([0], [n]).mul(2);
    }, { staticArgs: [1] });
    const x = arange(10);
    expect(head(x, 3).toArray()).toEqual([0, 2, 4]);
    expect(head(x, 5).toArray()).toEqual([0, 2, 4, 6, 8]);
    expect(head(x, 3).toArray()).toEqual([0, 2, 4]);
    expect(calls).toBe(2);
  });

  it('a runtime number used as a shape, slice bound or JS number is a TensorError that says to use staticArgs', () => {
    const x = arange(10).cast('float64');
    const uses: [string, (x: Tensor, n: number) => Tensor][] = [
      ['slice', (t, n) => t.slice([0], [n])],
      ['reshape', (t, n) => t.reshape([n, -1])],
      ['arange', (t, n) => t.add(arange(n).sum())],
      ['JS arithmetic', (t, n) => t.mul(n * 2)],
      ['comparison', (t, n) => (n > 3 ? t : t.neg())],
    ];
    for (const [what, fn] of uses) {
      const f = jit(fn);
      let error: unknown;
      try {
        f(x, 2);
      } catch (e) {
        error = e;
      }
      expect(error, what).toBeInstanceOf(TensorError);
      expect((error as Error).message, what).toMatch(/jit: .*argument 1 .*staticArgs: \[1\]/);
    }
  });

  it('booleans are static: one trace per value, usable in control flow', () => {
    let calls = 0;
    const f = jit((x: Tensor, neg: boolean) => {
      calls++;
      return neg ? x.neg() : x;
    });
    const x = tensor([1, 2]);
    expect(f(x, true).toArray()).toEqual([-1, -2]);
    expect(f(x, false).toArray()).toEqual([1, 2]);
    expect(f(x, true).toArray()).toEqual([-1, -2]);
    expect(calls).toBe(2);
  });

  it('staticArgs is checked', () => {
    expect(() => jit((x: Tensor) => x, { staticArgs: [-1] })).toThrow(/jit: staticArgs must be an array of argument indices/);
    expect(() => jit((x: Tensor) => x, { staticArgs: 1 as never })).toThrow(/jit: staticArgs must be an array of argument indices/);
  });
});
