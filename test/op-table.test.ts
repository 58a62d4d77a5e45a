/**
 * Issue 13: per-op facts live in the op table. The libmvec declarations a program needs come from the
 * entries of the ops it calls, not from scanning the generated C (whose comments name ops too).
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.js';
import { defineOp, OPS, rand, tensor } from '../src/index.js';
import type { Node } from '../src/graph.js';
import { makeNode } from '../src/graph.js';
import type { OpDef } from '../src/ops.js';
import { isBuffer, isConst, isCopy, isView } from '../src/ops.js';
import { sourceFor } from '../src/runtime/run.js';
import { constant } from '../src/tensor.js';

/**
 * At compile time (npm test type-checks the tests): every elementwise and reduce primitive of the table
 * is a Tensor method of its name. An entry added without one (tried: an `atanq` entry copied from
 * `atan`) makes `Missing` that name, and this line fails with "Type 'true' is not assignable to type
 * '"atanq"'".
 */
type Primitive = { [K in keyof typeof OPS]: (typeof OPS)[K] extends { kind: 'elementwise' | 'reduce' } ? K : never }[keyof typeof OPS];
type Missing = Exclude<Primitive, keyof Tensor>;
const everyPrimitiveIsAMethod: [Missing] extends [never] ? true : Missing = true;

describe('the table and the Tensor API', () => {
  it('every elementwise and reduce primitive is a Tensor method of its name (checked by the compiler above)', () => {
    expect(everyPrimitiveIsAMethod).toBe(true);
  });
});

/** The vector declarations (`extern ...;` lines after `#pragma omp declare simd`) of a program's source. */
const vectorDecls = (source: string): string[] =>
  [...source.matchAll(/#pragma omp declare simd notinbranch\n(extern [^\n]*;)/g)].map((m) => m[1]).sort();

describe('libmvec declarations come from the op table', () => {
  it('a float32 softmax declares expf only (its comment names exp(, which used to declare double exp)', () => {
    const x = rand([4, 64], { seed: 1, dtype: 'float32' });
    expect(vectorDecls(sourceFor([x.softmax(1).node], true))).toEqual(['extern float expf(float);']);
  });

  it('each float op declares its own variant, by dtype and arity; ops with none declare nothing', () => {
    const x = rand([64], { seed: 1 }), y = rand([64], { seed: 2, dtype: 'float32' });
    expect(vectorDecls(sourceFor([x.log1p().add(y.tanh()).pow(x).node], true))).toEqual([
      'extern double log1p(double);', 'extern double pow(double, double);', 'extern float tanhf(float);',
    ]);
    expect(vectorDecls(sourceFor([x.sqrt().mul(2).abs().node], true))).toEqual([]);
  });

  it('every libm function an op of the table calls, that glibc 2.36 libmvec has a vector variant of, is declared (both float dtypes)', () => {
    // The exports of glibc 2.36's libmvec.so.1 (nm -D, names after the _ZGV<isa><lanes><args>_ prefix), double names.
    const LIBMVEC_236 = ['acos', 'acosh', 'asin', 'asinh', 'atan', 'atan2', 'atanh', 'cbrt', 'cos', 'cosh', 'erf', 'erfc', 'exp', 'exp10', 'exp2',
      'expm1', 'hypot', 'log', 'log10', 'log1p', 'log2', 'pow', 'sin', 'sinh', 'tan', 'tanh'];
    const ARITY2 = new Set(['atan2', 'hypot', 'pow']);
    const checked: string[] = [];
    for (const [name, def] of Object.entries(OPS) as [string, { kind: string; arity?: number }][]) {
      if (def.kind !== 'elementwise' || name === 'cast' || def.arity === 3) continue;
      for (const dtype of ['float32', 'float64'] as const) {
        const x = rand([64], { seed: 1, dtype });
        const m = (x as unknown as Record<string, (o?: unknown) => Tensor>)[name];
        let t: Tensor;
        try { t = def.arity === 1 ? m.call(x) : m.call(x, x); } catch { continue; } // refused for floats (and, or, not, xor)
        // The kernels' code only: no comments (which name ops) and no declarations.
        const src = sourceFor([t.node], true).replace(/\/\*[\s\S]*?\*\//g, '').split('\n').filter((l) => !l.startsWith('extern') && !l.startsWith('//')).join('\n');
        const f = dtype === 'float32' ? 'f' : '', T = dtype === 'float32' ? 'float' : 'double';
        const called = LIBMVEC_236.filter((fn) => new RegExp(`\\b${fn}${f}\\(`).test(src));
        const want = called.map((fn) => `extern ${T} ${fn}${f}(${ARITY2.has(fn) ? `${T}, ${T}` : T});`).sort();
        expect(vectorDecls(sourceFor([t.node], true)), `${name} on ${dtype} calls ${called.join(', ') || 'nothing of libmvec'}`).toEqual(want);
        if (called.length) checked.push(`${name}:${dtype}`);
      }
    }
    // The ops that call libmvec functions: a typo in the regex (so that nothing is found) must not pass.
    for (const op of ['exp', 'asin', 'atan2', 'hypot', 'erf', 'erfc', 'cbrt', 'exp2', 'log10', 'acosh']) expect(checked, op).toContain(`${op}:float32`);
  });

  it('a defineOp expression declares the libmvec functions it calls, as written', () => {
    const op = defineOp('op_table_gelu', { arity: 1, c: 'a / (1 + exp(-1.702 * a)) + atan2f((float)a, 2.0f)', ref: (a) => a / (1 + Math.exp(-1.702 * a)) + Math.atan2(a, 2) });
    const x = rand([64], { seed: 1, dtype: 'float32' });
    expect(vectorDecls(sourceFor([op(x).node], true))).toEqual(['extern double exp(double);', 'extern float atan2f(float, float);']);
  });
});

describe('the generated C carries only what the program uses (issue 13 item 5)', () => {
  it('streaming-store helpers only for the element types a kernel streams; lane loops with known extents have no dead tail', () => {
    const x = rand([4, 64], { seed: 1, dtype: 'float32' });
    const softmax = sourceFor([x.softmax(1).node], true);
    expect(softmax).not.toContain('tf_stream_');
    expect(softmax).not.toContain('r_end');
    const flat = sourceFor([rand([1 << 21], { seed: 1, dtype: 'float32' }).mul(2).add(1).node], true); // 8 MB: may stream
    expect(flat).toContain('static void tf_stream_float(');
    expect(flat).not.toContain('tf_stream_double');
    expect(flat).not.toContain('(void)b; (void)s;');
  });
});

describe('explain() says which loop strategy each kernel gets, and why (issue 13)', () => {
  it('row, column and full sums, an argmax, a transposed read, a matmul', () => {
    const x = rand([1000, 600], { seed: 1, dtype: 'float32' }).eval();
    expect(x.sum(1).explain()).toContain('reduction: row — reduced axis 1 is innermost: each result folds 600 contiguous elements, 16 lanes along axis 1, each in order, merged in order');
    expect(x.sum(0).explain()).toContain('reduction: column — reduced axis 0 is outer, inner extent 600 is contiguous');
    expect(x.sum().explain()).toContain('reduction: split — 600000 elements to one value (at least 2^18): 64 chunks of axis 0');
    expect(x.sum(1, true).cast('float64').sum(1).explain()).toContain('reduction: row — reduced axis 1 is innermost: each result folds 1 element, one accumulator in order (axis 1 has 1 element, fewer than 8 lanes)');
    expect(x.argmax(1).explain()).toContain("reduction: row — reduced axis 1 is innermost: each result folds 600 contiguous elements, one accumulator in order (its step needs the element's position)");
    expect(x.T.add(1).explain()).toContain('loop: tiled — 32 × 32 tiles of axes 0 and 1: 1 input read transposed');
    expect(x.matmul(x.T).explain()).toContain('loop: matmul — blocked');
    expect(x.add(1).explain()).toContain('loop: flat');
  });
});

describe('structural nodes are known by the role of their op-table entry (issue 13 item 1)', () => {
  it('buffer, const, view and contiguous each have their role; no other op has one', () => {
    const x = tensor([[1, 2], [3, 4]]);
    const byRole = (n: Node) => [isBuffer(n), isConst(n), isView(n), isCopy(n)];
    expect(byRole(x.node)).toEqual([true, false, false, false]);
    expect(byRole(constant(2, 'float64').node)).toEqual([false, true, false, false]);
    expect(byRole(x.T.node)).toEqual([false, false, true, false]);
    expect(byRole(x.add(1).contiguous().node)).toEqual([false, false, false, true]);
    const roles = Object.entries(OPS as Record<string, OpDef>).flatMap(([name, def]) => ('role' in def && def.role ? [[name, def.role]] : []));
    expect(Object.fromEntries(roles)).toEqual({ buffer: 'input', const: 'scalar', view: 'view', contiguous: 'copy' });
  });

  it("Node.op is one of the table's op names (or a registered one): a misspelt op does not compile", () => {
    // Checked by tsc (tsconfig.test.json) and never called.
    const misspelt = () => {
      // @ts-expect-error: 'bufer' is not an op of the table
      makeNode('bufer', [], [], 'float32');
    };
    expect(misspelt).toBeTypeOf('function');
  });
});
