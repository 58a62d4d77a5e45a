// Custom C: defineOp fuses like a primitive and matches its reference; defineKernel runs inside the
// same program; names are checked; compile errors quote the user's line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arange, CompileError, defineKernel, defineOp, rand, tensor, TensorError } from '../src/index.js';
import { Tensor } from '../src/tensor.js';

const runs = Math.max(1, Math.round(20 * Number(process.env.TENSORFUSE_PROPERTY_RUNS ?? 1)));

const qgelu = defineOp('test_qgelu', { arity: 1, c: 'a / (1 + exp(-1.702 * a))', ref: (a) => a / (1 + Math.exp(-1.702 * a)) });
const fma3 = defineOp('test_mad', { arity: 3, c: 'a * b + c', ref: (a, b, c) => a * b + c, dtype: 'same', ulps: 0 });
const between = defineOp('test_between', { arity: 2, c: 'a > -b && a < b', ref: (a, b) => (a > -b && a < b ? 1 : 0), dtype: 'bool' });
const cumsum = defineKernel('test_cumsum', {
  inputs: 1,
  c: 'double acc = 0;\nfor (int64_t i = 0; i < n; i++) { acc += in0[i]; out[i] = acc; }',
  ref: ([x], out) => { let acc = 0; for (let i = 0; i < x.length; i++) out[i] = acc += x[i]; },
  dtype: () => 'float64',
});
const stencil = defineKernel('test_stencil', {
  inputs: 1,
  c: 'for (int64_t i = 0; i < n; i++) out[i] = (i > 0 ? in0[i - 1] : 0) + in0[i] + (i + 1 < n ? in0[i + 1] : 0);',
  ref: ([x], out) => { for (let i = 0; i < x.length; i++) out[i] = (i > 0 ? x[i - 1] : 0) + x[i] + (i + 1 < x.length ? x[i + 1] : 0); },
});

const ulpsApart = (a: number, b: number, f32: boolean): number => {
  if (Number.isNaN(a) && Number.isNaN(b)) return 0;
  if (a === b) return 0;
  const eps = f32 ? 2 ** -23 : 2 ** -52;
  return Math.abs(a - b) / (eps * Math.max(Math.abs(a), Math.abs(b), f32 ? 2 ** -126 : 2 ** -1022));
};

describe('defineOp', () => {
  it('fuses with built-in ops into one loop nest', () => {
    const x = rand([1000], { seed: 1, dtype: 'float32' });
    const src = qgelu(x.mul(2)).add(1).toC();
    expect(src.match(/^static void E/gm)).toHaveLength(1);
    expect(src).toContain('tf_op_test_qgelu_float32(');
  });

  it('matches its reference on every dtype it allows (property)', () => {
    fc.assert(fc.property(
      fc.constantFrom('float32', 'float64', 'int32', 'bool'),
      fc.array(fc.oneof(fc.double({ min: -30, max: 30, noNaN: true }), fc.constantFrom(0, -0, NaN, Infinity, -Infinity)), { minLength: 1, maxLength: 40 }),
      (dtype, values) => {
        const x = tensor(values, { dtype: dtype as 'float32' });
        const c = qgelu(x).eval();
        const r = qgelu(x).eval({ backend: 'ts' });
        expect(c.dtype).toBe(dtype === 'float32' ? 'float32' : 'float64');
        const cd = c.data(), rd = r.data();
        for (let i = 0; i < cd.length; i++) expect(ulpsApart(cd[i], rd[i], c.dtype === 'float32'), `qgelu(${values[i]}) ${dtype}`).toBeLessThanOrEqual(4);
      },
    ), { seed: 7, numRuns: runs });
  });

  it('ternary and bool-valued ops, broadcast and mixed with built-ins, match exactly', () => {
    const a = arange(12).reshape([3, 4]).cast('float64');
    const m = fma3(a, tensor([1, 2, 3, 4]), 0.5).sub(a.T.reshape([3, 4]));
    expect(m.toArray()).toEqual(fma3(a, tensor([1, 2, 3, 4]), 0.5).sub(a.T.reshape([3, 4])).eval({ backend: 'ts' }).toArray());
    const b = between(a.sub(5), 2.5);
    expect(b.dtype).toBe('bool');
    expect(b.toArray()).toEqual(between(a.sub(5), 2.5).eval({ backend: 'ts' }).toArray());
    expect(b.sum().item()).toBe(5); // -2..2
  });

  it('checks names, arity and operands', () => {
    expect(() => defineOp('9lives', { arity: 1, c: 'a', ref: (a) => a })).toThrow(/C identifier/);
    expect(() => defineOp('exp', { arity: 1, c: 'a', ref: (a) => a })).toThrow(/built-in/);
    expect(() => defineOp('test_qgelu', { arity: 1, c: 'a * 2', ref: (a) => a * 2 })).toThrow(/already defined/);
    expect(defineOp('test_qgelu', { arity: 1, c: 'a / (1 + exp(-1.702 * a))', ref: (a) => a / (1 + Math.exp(-1.702 * a)) })).toBeTypeOf('function');
    expect(() => defineOp('two', { arity: 4 as 1, c: 'a', ref: (a) => a })).toThrow(TensorError);
    expect(() => defineOp('stmt', { arity: 1, c: 'a; system("x")', ref: (a) => a })).toThrow(/single C expression/);
    expect(() => (qgelu as (...xs: Tensor[]) => Tensor)(tensor([1]), tensor([2]))).toThrow(/takes 1 operand/); // a type error too
  });

  it('a C syntax error is a CompileError quoting the user line', () => {
    const bad = defineOp('test_bad', { arity: 1, c: 'a * (2 +', ref: (a) => a });
    let err: unknown;
    try { bad(tensor([1, 2])).eval(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(CompileError);
    expect((err as CompileError).message).toMatch(/defineOp test_bad: your C does not compile/);
    expect((err as CompileError).message).toContain('a * (2 +');
  });
});

describe('defineKernel', () => {
  it('a prefix sum between elementwise ops runs in one program and matches its reference', () => {
    const x = arange(1, 101).cast('float32');
    const y = cumsum(x.mul(2)).add(1);
    const plan = y.explain();
    expect(plan).toMatch(/^program: 3 kernels in one C translation unit, one FFI call/);
    expect(plan).toMatch(/kernel K\d_100: fuses kernel_test_cumsum/);
    expect(y.toArray()).toEqual(cumsum(x.mul(2)).add(1).eval({ backend: 'ts' }).toArray());
    expect(y.dtype).toBe('float64');
    expect(y.data()[99]).toBe(10100 + 1);
  });

  it('reads views and lazy inputs as plain buffers, and chains on the same memory in one call', () => {
    const m = arange(12).reshape([3, 4]).cast('float64');
    const t = stencil(cumsum(m.T.flatten()).mul(0.5));
    const r = stencil(cumsum(m.T.flatten()).mul(0.5)).eval({ backend: 'ts' });
    expect(t.toArray()).toEqual(r.toArray());
  });

  it('assign through a kernel reading the target copies, never overwrites what it still reads', () => {
    const x = tensor([1, 2, 3, 4]);
    x.assign(cumsum(x));
    expect(x.toArray()).toEqual([1, 3, 6, 10]);
  });

  it('a syntax error quotes the user line and its number', () => {
    const bad = defineKernel('test_badk', { inputs: 1, c: 'for (int64_t i = 0; i < n; i++) {\n  out[i] = in0[i] +* 2;\n}', ref: () => {} });
    expect(() => bad(rand([4])).eval()).toThrow(/defineKernel test_badk: your C does not compile[\s\S]*line 2: out\[i\] = in0\[i\] \+\* 2;/);
  });

  it('checks its arguments', () => {
    expect(() => defineKernel('k1', { inputs: 0, c: '', ref: () => {} })).toThrow(/inputs must be/);
    expect(() => (cumsum as (...xs: Tensor[]) => Tensor)(tensor([1]), tensor([2]))).toThrow(/takes 1 input tensor/); // a type error too
    expect(() => cumsum(3 as unknown as Tensor)).toThrow(/must be a Tensor/);
  });
});
