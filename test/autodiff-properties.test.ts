/**
 * Property tests of autodiff: random differentiable float64 graphs (smooth elementwise ops, broadcasting,
 * movement, reductions, matmul, softmax) at random points, away from kinks (the ops drawn here are
 * smooth everywhere; kinks are the literal tests' business). For each graph, the pullback of a random
 * cotangent is evaluated in fused C, unfused C and on the reference backend, and
 *  - the three agree: within 1e-9 of the largest gradient element (+1e-12): C's libm and vector
 *    transcendental functions and the blocked matmul differ from the reference in the last bits, and a
 *    gradient graph sums and multiplies several such values;
 *  - they match central finite differences along a random direction v per input:
 *    |⟨ct, f(x + hv)⟩ - ⟨ct, f(x - hv)⟩| / 2h against Σ⟨grad, v⟩, h = 1e-5, within 1e-6 · (1 + Σ|grad·v|)
 *    (truncation error ~h²·f‴ ≈ 1e-10, rounding ~ε·|f|/h ≈ 1e-11 for these magnitudes).
 * float32 graphs: the gradient of the same graph over the inputs rounded to float32, in fused C, is
 * within 1e-3 · (1 + max|grad|) of the float64 reference gradient.
 *
 * Cost: two compiles per graph (fused and unfused, in parallel), 0.5-1.5 s on this 2-core machine; the
 * example that chains every op costs most. TENSORFUSE_PROPERTY_RUNS scales the number of random graphs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Storage } from '../src/index.js';
import { Tensor, concat, tensor, vjp } from '../src/index.js';
import { runNodes } from '../src/realize.js';
import { compileInBackground } from '../src/runtime/programs.js';
import { canonicalize } from '../src/schedule.js';
import { propertyRuns } from './helpers.js';

const SEED = Number(process.env.TENSORFUSE_PROPERTY_SEED || 20261202);

type Unary = (x: Tensor) => Tensor;
type Binary = (a: Tensor, b: Tensor) => Tensor;

/** Smooth everywhere on the reals, and slow to grow (so a chain of them stays finite). */
const UNARY: [string, Unary][] = [
  ['sin', (x) => x.sin()], ['cos', (x) => x.cos()], ['tanh', (x) => x.tanh()], ['sigmoid', (x) => x.sigmoid()],
  ['x/(1+x²)', (x) => x.div(x.square().add(1))], ['log(1+x²)', (x) => x.square().log1p()], ['√(1+x²)', (x) => x.square().add(1).sqrt()],
  ['exp(tanh x)', (x) => x.tanh().exp()], ['expm1(tanh x)', (x) => x.tanh().expm1()], ['tan(tanh(x)/2)', (x) => x.tanh().mul(0.5).tan()],
  ['(1+x²)^0.75', (x) => x.square().add(1).pow(0.75)], ['log(2+cos x)', (x) => x.cos().add(2).log()], ['x²/4', (x) => x.square().mul(0.25)],
  ['sum(0) keepdims', (x) => x.sum(0, true)], ['mean(1) keepdims', (x) => x.mean(1, true)], ['prod(1) keepdims', (x) => x.prod(1, true)],
  ['softmax(1)', (x) => x.softmax(1)], ['logSoftmax(0)', (x) => x.logSoftmax(0)], ['flip(1)', (x) => x.flip(1)],
  ['pad then slice', (x) => x.pad([[1, 2], [0, 1]], 3).slice([1, 0], [1 + x.shape[0], x.shape[1]])],
];

const full = (a: Tensor, b: Tensor): number[] => [Math.max(a.shape[0], b.shape[0]), Math.max(a.shape[1], b.shape[1])];
const BINARY: [string, Binary][] = [
  ['add', (a, b) => a.add(b)], ['sub', (a, b) => a.sub(b)], ['mul', (a, b) => a.mul(b)], ['div by 1+b²', (a, b) => a.div(b.square().add(1))],
  // a·(bᵀ·a)·0.3: both expanded to one [m, n] shape; matmul over transposed views
  ['matmul', (a, b) => { const s = full(a, b); const [x, y] = [a.expand(s), b.expand(s)]; return x.matmul(y.T.matmul(x)).mul(0.3); }],
  // every other row of [a; 2b] (concat is pads and selects), and a transpose made contiguous
  ['interleave', (a, b) => { const s = full(a, b); return concat([a.expand(s), b.expand(s).mul(2)], 0).slice([null], [null], [2]); }],
  ['transpose, reshape', (a, b) => { const s = full(a, b); return a.expand(s).T.reshape(s).mul(b); }],
];

interface Spec { m: number; n: number; kinds: number[]; steps: { op: number; a: number; b: number }[]; seed: number }

const specArb: fc.Arbitrary<Spec> = fc.record({
  m: fc.integer({ min: 1, max: 4 }),
  n: fc.integer({ min: 1, max: 4 }),
  kinds: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 }),
  steps: fc.array(fc.record({ op: fc.nat({ max: UNARY.length + BINARY.length - 1 }), a: fc.nat(), b: fc.nat() }), { minLength: 1, maxLength: 5 }),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
});

/** An example runs first: every op of the two lists at least once, in a chain over three inputs. */
const everyOp = (m: number, n: number, seed: number): Spec => ({
  m, n, kinds: [0, 1, 2], seed,
  steps: [...UNARY.keys(), ...BINARY.map((_, i) => UNARY.length + i)].map((op, k) => ({ op, a: k + 2, b: (k * 7) % 3 })),
});

/** A small seeded generator (mulberry32) for input values, cotangents and directions. */
function uniform(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0;
  return (lo, hi) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 2 ** 32);
  };
}

const shapeOf = (spec: Spec, kind: number): number[] => [[spec.m, spec.n], [1, spec.n], [spec.m, 1]][kind];

/** The graph as a function of its inputs, and a description for failure messages. */
function build(spec: Spec): { f: (...xs: Tensor[]) => Tensor; text: string } {
  const names: string[] = spec.kinds.map((k, i) => `x${i}${JSON.stringify(shapeOf(spec, k))}`);
  const lines: string[] = [];
  const f = (...xs: Tensor[]): Tensor => {
    const stack = xs.slice();
    lines.length = 0;
    for (const { op, a, b } of spec.steps) {
      const [ia, ib] = [a % stack.length, b % stack.length];
      if (op < UNARY.length) {
        stack.push(UNARY[op][1](stack[ia]));
        lines.push(`v${stack.length - 1} = ${UNARY[op][0]}(v${ia})`);
      } else {
        const [name, fn] = BINARY[op - UNARY.length];
        stack.push(fn(stack[ia], stack[ib]));
        lines.push(`v${stack.length - 1} = ${name}(v${ia}, v${ib})`);
      }
    }
    // Every value computed reaches the result, so every op drawn is on the path differentiated.
    const last = stack[stack.length - 1];
    return stack.slice(xs.length, -1).reduce((acc, v) => acc.add(v.sum()), last);
  };
  return { f, get text() { return `inputs ${names.join(', ')}\n${lines.join('\n')}`; } };
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };
const maxAbs = (a: ArrayLike<number>): number => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i])); return m; };

describe('autodiff on random graphs', () => {
  it('fused C, unfused C and the reference agree, and match central differences (float64)', async () => {
    await fc.assert(fc.asyncProperty(specArb, async (spec) => {
      const g = build(spec);
      const rnd = uniform(spec.seed);
      const values = spec.kinds.map((k) => Array.from({ length: shapeOf(spec, k)[0] * shapeOf(spec, k)[1] }, () => rnd(-1.5, 1.5)));
      const inputs = spec.kinds.map((k, i) => tensor(Float64Array.from(values[i]), { shape: shapeOf(spec, k) }));
      const [out, pullback] = vjp(g.f, ...inputs);
      const y = out as Tensor;
      const ct = Float64Array.from({ length: y.size }, () => rnd(-1, 1));
      const grads = pullback(tensor(ct, { shape: y.shape.slice() })).map((t) => t.node);
      await Promise.all([true, false].map((fuse) => compileInBackground(grads, canonicalize(grads, fuse), fuse))); // both at once
      const ref = runNodes(grads, { backend: 'ts' });
      const context = (): string => `${g.text}\nseed ${spec.seed}`;
      for (const [label, got] of [['fused C', runNodes(grads, { backend: 'c', fuse: true })], ['unfused C', runNodes(grads, { backend: 'c', fuse: false })]] as [string, Storage[]][]) {
        got.forEach((s, i) => {
          const tol = 1e-9 * maxAbs(ref[i]) + 1e-12;
          const worst = Array.from(s).reduce((w, v, k) => Math.max(w, Math.abs(v - ref[i][k])), 0);
          expect(worst, `${label} vs reference, input ${i}: ${Array.from(s)} vs ${Array.from(ref[i])}\n${context()}`).toBeLessThanOrEqual(tol);
        });
      }
      // central differences along a random direction per input, on the reference backend
      const dirs = values.map((v) => v.map(() => rnd(-1, 1)));
      const h = 1e-5;
      const at = (sign: number): number => {
        const moved = spec.kinds.map((k, i) => tensor(Float64Array.from(values[i], (v, j) => v + sign * h * dirs[i][j]), { shape: shapeOf(spec, k) }));
        return dot(ct, g.f(...moved).eval({ backend: 'ts' }).data());
      };
      const fd = (at(1) - at(-1)) / (2 * h);
      const terms = ref.map((r, i) => dot(r, dirs[i]));
      const analytic = terms.reduce((p, q) => p + q, 0);
      const scale = 1 + terms.reduce((p, q) => p + Math.abs(q), 0);
      expect(Math.abs(fd - analytic), `finite difference ${fd} vs gradient ${analytic}\n${context()}`).toBeLessThanOrEqual(1e-6 * scale);
    }), { numRuns: propertyRuns(10), seed: SEED, examples: [[everyOp(3, 4, 1)]] });
  }, 120_000);

  it('a float32 graph\'s gradient in fused C is close to the float64 gradient', () => {
    fc.assert(fc.property(specArb, (spec) => {
      const g = build(spec);
      const rnd = uniform(spec.seed);
      const values = spec.kinds.map((k) => Float32Array.from({ length: shapeOf(spec, k)[0] * shapeOf(spec, k)[1] }, () => rnd(-1.5, 1.5)));
      const ct = (y: Tensor): Float64Array => { const r = uniform(spec.seed + 1); return Float64Array.from({ length: y.size }, () => r(-1, 1)); };
      const gradsOf = (dtype: 'float32' | 'float64', backend: 'c' | 'ts'): Storage[] => {
        const xs = spec.kinds.map((k, i) => tensor(dtype === 'float32' ? values[i] : Float64Array.from(values[i]), { shape: shapeOf(spec, k) }));
        const [out, pullback] = vjp(g.f, ...xs);
        const y = out as Tensor;
        return runNodes(pullback(tensor(ct(y), { shape: y.shape.slice() }).cast(dtype)).map((t) => t.node), { backend });
      };
      const want = gradsOf('float64', 'ts');
      gradsOf('float32', 'c').forEach((s, i) => {
        const tol = 1e-3 * (1 + maxAbs(want[i]));
        const worst = Array.from(s).reduce((w, v, k) => Math.max(w, Math.abs(v - want[i][k])), 0);
        expect(worst, `float32 vs float64, input ${i}\n${g.text}\nseed ${spec.seed}`).toBeLessThanOrEqual(tol);
      });
    }), { numRuns: propertyRuns(8), seed: SEED + 1 });
  }, 120_000);
});
