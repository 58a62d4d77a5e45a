/**
 * Arguments that change while tensorfuse reads them, and values whose description is itself hostile
 * (issue 11, items 4 and 19). Every user-supplied array is read once, at the API boundary, and the copy
 * is what is validated and used; every error message describes the value it got without throwing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.js';
import {
  DTypeError, ShapeError, TensorError, choice, concat, configure, defineKernel, defineOp, full, rand, randint, stack, tensor, tensordot, zeros,
} from '../src/index.js';
import { TS, useReferenceBackend } from './helpers.js';
import { describeChild, ensureDist, removeScripts, runNode } from './child.js';

useReferenceBackend();

/** Lets a test pass values the TypeScript signatures forbid, as a JavaScript caller could. */
const any = (v: unknown): never => v as never;

/**
 * A copy of `valid` whose element `at` is a getter: it returns `valid[at]` for the first `honest` reads,
 * then `bad` (what a validate-then-reread implementation would use unchecked).
 */
function shifty(valid: readonly unknown[], at: number, honest: number, bad: unknown): unknown[] {
  const a = valid.slice();
  let reads = 0;
  Object.defineProperty(a, at, { get: () => (reads++ < honest ? valid[at] : bad), enumerable: true });
  return a;
}

const x = tensor([[1, 2, 3], [4, 5, 6]]);
const values = (t: Tensor): number[] => Array.from(t.eval(TS).data());

/** [name, the call on a plain array, the array, the index to make shifty, the value it turns into] */
const SHIFTY: readonly [string, (a: never) => Tensor, unknown[], number, unknown][] = [
  ['reshape', (s) => x.reshape(s), [3, 2], 0, 1000],
  ['reshape with -1', (s) => x.reshape(s), [-1, 2], 1, 1],
  ['full', (s) => full(s, 7), [2, 3], 0, 2 ** 20],
  ['zeros', (s) => zeros(s), [2, 3], 1, -5],
  ['rand', (s) => rand(s, { seed: 1 }), [2, 3], 0, 1000],
  ['expand', (s) => x.expand(s), [4, 2, 3], 0, 1e6],
  ['broadcastTo', (s) => x.broadcastTo(s), [2, 2, 3], 1, 7],
  ['transpose', (s) => x.transpose(s), [1, 0], 0, 0],
  ['slice begin', (s) => x.slice(s, [2, 3]), [0, 1], 1, -1e9],
  ['slice end', (s) => x.slice([0, 0], s), [2, 2], 1, 1e9],
  ['slice step', (s) => x.slice([null, null], [null, null], s), [1, 2], 1, 1],
  ['pad widths', (s) => x.pad(s), [[1, 1], [0, 2]], 0, [1000, 1000]],
  ['pad one pair', (s) => x.pad(s), [[1, 2]], 0, [1e6, 0]],
  ['tensor shape option', (s) => tensor([1, 2, 3, 4, 5, 6], { shape: s }), [2, 3], 0, 600],
  ['tensor nested rows', (s) => tensor(s), [[1, 2], [3, 4]], 1, [3, 4, 5, 6, 7, 8]],
  ['sum axes', (s) => x.sum(s), [0, 1], 1, 5],
  ['squeeze axes', (s) => zeros([1, 3, 1]).squeeze(s), [0, 2], 1, 1],
  ['flip axes', (s) => x.flip(s), [1], 0, 7],
  ['concat tensors', (s) => concat(s, 1), [x, x], 1, tensor([[1], [2]])],
  ['stack tensors', (s) => stack(s), [x, x], 1, zeros([5, 5])],
  ['randint shape', (s) => randint(0, 5, s, { seed: 1 }), [2, 3], 0, 1000],
  ['choice size', (s) => choice(5, s, { seed: 1, replace: false }), [2, 2], 1, 1e6],
  ['tensordot axes', (s) => tensordot(x, x, s), [[0], [0]], 0, [5]],
];

describe('an array that changes while it is read (item 4)', () => {
  it.each(SHIFTY)('%s: read once, the copy validated and used', (_name, call, valid, at, bad) => {
    const expected = call(valid.slice() as never);
    const want = { shape: expected.shape.slice(), values: values(expected) };
    // Whichever read the getter turns on, the call sees one consistent array: the valid one.
    for (let honest = 1; honest <= 8; honest++) {
      let got: Tensor;
      try {
        got = call(shifty(valid, at, honest, bad) as never);
      } catch (e) {
        // Seeing the bad value on the first read is allowed, as a TensorError.
        expect(e, `honest ${honest}: ${String(e)}`).toBeInstanceOf(TensorError);
        continue;
      }
      expect(got.shape, `honest ${honest}`).toEqual(want.shape);
      expect(values(got), `honest ${honest}`).toEqual(want.values);
    }
  });

  it('a Proxy whose length changes between reads is read once', () => {
    let reads = 0;
    const s = new Proxy([2, 3], { get: (t, k) => (k === 'length' ? (reads++ === 0 ? 2 : 60) : Reflect.get(t, k)) });
    const t = zeros(any(s));
    expect(t.shape).toEqual([2, 3]);
    expect(reads).toBe(1);
  });

  it('holes in nested arrays are read as undefined (forEach skipped them, and the error spoke of a reshape)', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(() => tensor(any([, 2]))).toThrow(/tensor: elements must be numbers or booleans; found undefined at \[0\]/);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => tensor(any([[1, 2], [, 4]]))).toThrow(/found undefined at \[1,0\]/);
    expect(() => tensor(any(new Array(2 ** 32 - 1)))).toThrow(ShapeError);
  });

  it('a TypedArray subclass cannot lie about its length', () => {
    class Liar extends Float64Array {
      override get length(): number { return 1e6; }
    }
    const t = tensor(new Liar(3));
    expect(t.shape).toEqual([3]);
    expect(values(t.add(1))).toEqual([1, 1, 1]);
  });

  it('a defineKernel shape rule result is copied once', () => {
    let reads = 0;
    const shape = [3];
    Object.defineProperty(shape, 0, { get: () => (reads++ < 2 ? 3 : 1e6), enumerable: true });
    const k = defineKernel('hostile_copy', { inputs: 1, c: 'for (int64_t i = 0; i < n; i++) out[i] = in0[i];', shape: () => shape, ref: (ins, out) => out.set(ins[0]) });
    const t = k(tensor([1, 2, 3]));
    expect(t.shape).toEqual([3]);
  });
});

/** Values whose description throws when done naively (JSON.stringify, `${}`, .constructor). */
const circular: unknown[] = [1];
circular.push(circular);
const circularObject: Record<string, unknown> = {};
circularObject.self = circularObject;
const throwingConstructor = { get constructor(): never { throw new Error('boom'); } };
const trap = new Proxy({}, { get() { throw new Error('trap'); } });
const throwingPrimitive = { [Symbol.toPrimitive]() { throw new Error('toPrimitive'); }, toString() { throw new Error('toString'); } };

const HOSTILE: readonly [string, () => unknown, typeof TensorError][] = [
  ['cast(10n)', () => x.cast(any(10n)), DTypeError],
  ['cast(circular array)', () => x.cast(any(circular)), DTypeError],
  ['cast(circular object)', () => x.cast(any(circularObject)), DTypeError],
  ['tensor dtype 1n', () => tensor([1], { dtype: any(1n) }), DTypeError],
  ['configure threads 2n', () => configure(any({ threads: 2n })), TensorError],
  ['configure backend circular', () => configure(any({ backend: circularObject })), TensorError],
  ['configure cc 1n', () => configure(any({ cc: 1n })), TensorError],
  ['configure compileTimeout 1n', () => configure(any({ compileTimeout: 1n })), TensorError],
  ['configure compileTimeout circular', () => configure(any({ compileTimeout: circularObject })), TensorError],
  ['eval backend 1n', () => x.add(1).eval(any({ backend: 1n })), TensorError],
  ['eval fuse circular', () => x.add(1).eval(any({ fuse: circular })), TensorError],
  ['eval(Symbol())', () => x.add(1).eval(any(Symbol('opts'))), TensorError],
  ['defineOp name 1n', () => defineOp(any(1n), { arity: 1, c: 'a', ref: (a) => a }), TensorError],
  ['defineOp arity 1n', () => defineOp('hostile_a', { arity: any(1n), c: 'a', ref: (a) => a }), TensorError],
  ['defineOp dtype 1n', () => defineOp('hostile_b', { arity: 1, c: 'a', ref: (a) => a, dtype: any(1n) }), DTypeError],
  ['defineKernel inputs 1n', () => defineKernel('hostile_c', { inputs: any(1n), c: 'out[0] = 0;', ref: () => {} }), TensorError],
  ['defineKernel dtype rule returns 1n', () => defineKernel('hostile_d', { inputs: 1, c: 'out[0] = 0;', ref: () => {}, dtype: any(() => 1n) })(x), DTypeError],
  ['slice step Symbol', () => x.slice([0], [1], any([Symbol('s')])), TensorError],
  ['slice step 1n', () => x.slice([0], [1], any([1n])), TensorError],
  ['add an object whose constructor getter throws', () => x.add(any(throwingConstructor)), TensorError],
  ['add a Proxy whose traps throw', () => x.add(any(trap)), TensorError],
  ['add an object whose toPrimitive throws', () => x.add(any(throwingPrimitive)), TensorError],
  ['add a null-prototype object', () => x.add(any(Object.create(null))), TensorError],
  ['reshape a circular array', () => x.reshape(any(circular)), ShapeError],
  ['sum over circular axes', () => x.sum(any(circular)), ShapeError],
  ['pad circular widths', () => x.pad(any([circular, circular])), ShapeError],
  ['tensor of a circular object', () => tensor(any([circularObject])), TensorError],
];

describe('error messages describe any value (item 19)', () => {
  it.each(HOSTILE)('%s', (_name, fn, cls) => {
    let caught: unknown;
    try {
      fn();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(cls);
    expect((caught as Error).message.length).toBeLessThan(400);
  });

  it("a Proxy's own trap exception passes through unchanged (user code, not ours)", () => {
    const boom = new Error('getPrototypeOf trap');
    const p = new Proxy({}, { getPrototypeOf() { throw boom; } });
    expect(() => x.add(any(p))).toThrow(boom);
  });

  it('long arrays are elided in messages', () => {
    let caught: unknown;
    try {
      x.reshape(any(Array.from({ length: 10_000 }, (_, i) => (i === 9999 ? 'x' : 1))));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ShapeError);
    expect((caught as Error).message.length).toBeLessThan(300);
  });
});

describe('at most 64 dims (as numpy), each at most 2^32', () => {
  const ones65 = Array<number>(65).fill(1);
  it.each([
    ['zeros', () => zeros(ones65), 'zeros'],
    ['full', () => full(ones65, 1), 'full'],
    ['reshape', () => tensor([1]).reshape(ones65), 'reshape'],
    ['expand', () => tensor([1]).expand(ones65), 'expand'],
    ['unsqueeze of a 64-dim tensor', () => zeros(ones65.slice(1)).unsqueeze(0), 'unsqueeze'],
    ['tensor shape option', () => tensor([1], { shape: ones65 }), 'tensor'],
  ] as const)('%s', (_name, fn, op) => {
    expect(fn).toThrow(ShapeError);
    expect(fn).toThrow(new RegExp(`^${op}: .*64`));
  });

  it('a dim past 2^32 is refused even in an empty tensor (strides stay exact integers)', () => {
    expect(() => zeros([0, 2 ** 40])).toThrow(/zeros: dim 1099511627776 of \[0,1099511627776\] is larger than 2\^32/);
    expect(() => tensor([]).reshape([0, 1e300])).toThrow(ShapeError);
    expect(zeros([0, 2 ** 32]).shape).toEqual([0, 2 ** 32]);
  });

  it('64 dims are fine', () => {
    expect(zeros(Array<number>(64).fill(1)).add(1).eval(TS).ndim).toBe(64);
  });
});

describe('nesting that would overflow the stack or never end (child process)', () => {
  beforeAll(ensureDist, 120_000);
  afterAll(removeScripts);

  it('tensor() of an array 20,000 levels deep, and of a circular array, is a ShapeError', async () => {
    const r = await runNode(`
      const out = [];
      let deep = [1];
      for (let i = 0; i < 20000; i++) deep = [deep];
      const circular = [];
      circular.push(circular);
      for (const v of [deep, circular]) {
        try { tf.tensor(v); out.push('no error'); } catch (e) { out.push(e.name + ': ' + e.message.slice(0, 80)); }
      }
      console.log(JSON.stringify(out));
    `, { TENSORFUSE_BACKEND: 'ts' }, 20_000);
    expect(r.signal, describeChild(r)).toBe(null);
    expect(r.code, describeChild(r)).toBe(0);
    expect(r.json).toHaveLength(2);
    for (const line of r.json) expect(line).toMatch(/^ShapeError: tensor: /);
  });
});
