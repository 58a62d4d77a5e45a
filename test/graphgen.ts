/**
 * Random tensor graphs for the C-backend property tests, drawn FROM THE OP TABLE.
 *
 * A graph is plain data (`GraphSpec`: input dtypes and shapes, a mode, and a list of choice numbers).
 * `buildGraph` turns it into Tensor calls deterministically: every decision (which op, which operand,
 * which axis...) reads the next choice number, so fast-check shrinks a graph by shrinking numbers toward
 * 0, and index 0 is always the simplest option. The graph depends only on the spec, the inputs' shapes
 * and dtypes and a `salt` that swaps JS scalars within a class that types alike, never on input values:
 * one structure compiles once and is run on several draws of data and scalars. Every step is recorded as
 * a line of text (`v3 = v1.add(x0)  -> float32[2,3]`) for failure reports.
 *
 * Every op of the table is reached (a test asserts it): elementwise ops by their Tensor method of the same
 * name (`cast` with a dtype, `where` also as the function), reductions likewise with random axes and
 * keepdims, custom ops (defineOp/defineKernel) through the function they return; sources as inputs
 * (`buffer`), JS scalars and full() (`const`), arange/eye/concat (`iota`), rand/randn (`rand`); movement
 * as transpose/T/expand/broadcastTo/slice/flip/reshape/squeeze/unsqueeze/flatten (`view`), pad/concat/
 * stack (`pad`), contiguous() and reshapes of transposed computed values (`contiguous`); matmul and dot.
 *
 * Steps that the API refuses at record time (a ShapeError or DTypeError: `sub` of bools, `max` over an
 * empty axis, shapes that do not broadcast) are discarded and another choice is drawn; they are tested
 * for what they are elsewhere. A step is also discarded when it would feed an inexact value (one that
 * depends on an op with `ulps > 0`) into an op the tolerance model cannot bound (comparisons, floor,
 * casts to int, argmax, mod, pow...): there the C result may legitimately differ from the reference by
 * a whole unit or a whole branch, so such graphs could not be checked exactly or within a tolerance.
 */
import fc from 'fast-check';
import type { DType } from '../src/dtype.js';
import type { Node } from '../src/graph.js';
import type { OpDef } from '../src/ops.js';
import { DTYPES, OPS, Tensor, arange, concat, conv2d, eye, full, linspace, rand, randn, stack, tensor, where } from '../src/index.js';
import { TensorError } from '../src/errors.js';
import { toposort } from '../src/graph.js';
import { DTYPE, isFloat, isInteger, storageClass } from '../src/dtype.js';
import { broadcastShapes, fmtShape, sizeOf } from '../src/shape.js';

// ---- the op table, by kind ------------------------------------------------------------------------

const ENTRIES = Object.entries(OPS) as [string, OpDef][];
export const opDefOf = (name: string): OpDef => (OPS as Record<string, OpDef>)[name];
const byArity = (k: number) => ENTRIES.filter(([, d]) => d.kind === 'elementwise' && d.arity === k).map(([n]) => n);
/** Unary elementwise ops called as `t.op()`; `cast` takes a dtype and is its own step. */
export const UNARY = byArity(1).filter((n) => n !== 'cast');
export const BINARY = byArity(2);
/** Ternary elementwise ops: only `where`, called as `cond.where(a, b)` or `where(cond, a, b)`. */
export const TERNARY = byArity(3);
export const REDUCE = ENTRIES.filter(([, d]) => d.kind === 'reduce').map(([n]) => n);
/**
 * Custom ops (defineOp / defineKernel) a test registered: they join the op table at run time, have no
 * Tensor method, and are called through the function defineOp/defineKernel returned.
 */
const CUSTOM: { name: string; arity: number; tensorsOnly: boolean; fn: (...xs: never[]) => Tensor }[] = [];
export function useCustomOp(name: string, arity: number, fn: (...xs: never[]) => Tensor, tensorsOnly = false): void {
  CUSTOM.push({ name, arity, fn, tensorsOnly });
}

/** Elementwise composites (Tensor methods built from primitives), called like unary/binary ops. */
const COMPOSITE_UNARY = ['relu', 'sigmoid', 'square', 'reciprocal', 'softplus'];
/** Reduction composites. */
const COMPOSITE_REDUCE = ['mean', 'variance', 'std'];

// ---- the tolerance model's view of ops -------------------------------------------------------------

/**
 * Elementwise ops whose result can be bounded when an operand is inexact (interval rules in the test
 * file). Everything else — comparisons, logic, floor/ceil/round/sign, mod, pow, casts to int or bool,
 * argmax/argmin — only ever receives exact operands.
 */
export const CONTINUOUS = new Set(['add', 'sub', 'mul', 'div', 'neg', 'abs', 'maximum', 'minimum', 'where', 'cast',
  'sqrt', 'exp', 'expm1', 'log', 'log1p', 'sin', 'cos', 'tan', 'tanh',
  'asin', 'acos', 'atan', 'sinh', 'asinh', 'acosh', 'atanh', 'log2', 'log10', 'exp2', 'cbrt', 'erf', 'erfc']);

/** A node whose float result may differ from the reference's (an op with `ulps > 0` on floats). */
export function inexactOp(n: Node): boolean {
  if (!isFloat(n.dtype)) return false;
  const d = opDefOf(n.op);
  return (d.kind === 'elementwise' || d.kind === 'reduce' || d.kind === 'matmul' || d.kind === 'kernel') && d.ulps > 0;
}

/** Whether `n` can take an inexact operand: the tolerance model has a rule for it. */
export function acceptsInexact(n: Node, inexact: (m: Node) => boolean): boolean {
  const d = opDefOf(n.op);
  // Values are moved, not computed; positions (a gather's or scatter's index operands) must be exact.
  if (d.kind === 'movement' && 'searches' in d && d.searches) return false; // positions found by comparing values
  if (d.kind === 'movement') return n.src.slice(1).every((s) => !inexact(s));
  if (d.kind === 'scatter') return false; // the error model bounds a scatter of exact operands only
  if (d.kind === 'matmul' || d.kind === 'reduce') return isFloat(n.dtype); // not argmax/argmin (int32)
  if (d.kind !== 'elementwise' || !CONTINUOUS.has(n.op)) return false;
  if (n.op === 'where') return !inexact(n.src[0]);
  if (n.op === 'cast') return isFloat(n.dtype) && isFloat(n.src[0].dtype);
  return true;
}

export class Taint {
  private memo = new Map<Node, boolean>();
  inexact = (n: Node): boolean => {
    let v = this.memo.get(n);
    if (v === undefined) {
      v = inexactOp(n) || n.src.some(this.inexact);
      this.memo.set(n, v);
    }
    return v;
  };
  /** The first node of `root`'s graph that receives an inexact operand it cannot bound. */
  violation(root: Node): Node | undefined {
    return toposort([root]).find((n) => n.src.some(this.inexact) && !acceptsInexact(n, this.inexact));
  }
}

// ---- specs ---------------------------------------------------------------------------------------

export type Mode = 'elementwise' | 'reduce';

export interface InputSpec {
  dtype: DType;
  /** Leading dims of the base shape this input lacks (broadcast prepends them). */
  drop: number;
  /** Dims (of the base shape, from the right) that are 1 in this input. */
  ones: boolean[];
}

export interface GraphSpec {
  mode: Mode;
  base: number[];
  inputs: InputSpec[];
  steps: number;
  choices: number[];
}

/** Largest tensor a step may create (keeps the reference and the error model fast). */
const CAP = 3000;

export function inputShapes(spec: GraphSpec): number[][] {
  return spec.inputs.map((inp) => {
    const rank = Math.max(0, spec.base.length - inp.drop);
    const dims = spec.base.slice(spec.base.length - rank);
    return dims.map((d, i) => (inp.ones[dims.length - 1 - i] ? 1 : d));
  });
}

/** Dims: mostly small (vector tails), sometimes 0 (empty) and sometimes 33 or 70 (cross vector widths). */
const dimArb = fc.oneof(
  { arbitrary: fc.constantFrom(1, 2, 3, 5, 7), weight: 24 },
  { arbitrary: fc.constant(0), weight: 1 },
  { arbitrary: fc.constantFrom(33, 70), weight: 5 },
);

const baseArb = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.array(dimArb, { minLength: 3, maxLength: 3 })).map(([rank, all]) => {
  const dims = all.slice(0, rank);
  // At most one large dim, and a bounded size.
  let big = false;
  const out = dims.map((d) => {
    if (d > 7) {
      if (big) return 3;
      big = true;
    }
    return d;
  });
  return out;
});

export function specArb(mode: Mode, maxSteps: number): fc.Arbitrary<GraphSpec> {
  return fc.record({
    mode: fc.constant(mode),
    base: baseArb,
    inputs: fc.array(fc.record({
      dtype: fc.constantFrom<DType>(...DTYPES),
      drop: fc.nat(3).map((n) => (n === 3 ? 1 : 0)),
      ones: fc.array(fc.nat(3).map((n) => n === 0), { minLength: 3, maxLength: 3 }),
    }), { minLength: 1, maxLength: 3 }),
    steps: fc.integer({ min: 2, max: maxSteps }),
    // About 10 decisions per step; past the end every decision is 0.
    choices: fc.array(fc.nat(1 << 16), { minLength: 12 * maxSteps, maxLength: 16 * maxSteps }),
  });
}

// ---- input values ---------------------------------------------------------------------------------

export const F64_SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, 1, -1, 0.5, -0.5,
  1.5, -1.5, 2.5, -2.5, 3, -7, 0.1, 1 / 3, 1e308, -1.7976931348623157e308, 3e9, -3e9, 2147483647, -2147483648, 2147483647.5, 2 ** 53 + 2];
export const F32_SPECIAL = [...F64_SPECIAL.map(Math.fround), 1e-45, -1e-45, 1.1754943508222875e-38, 3.4028234663852886e38, -3.4028234663852886e38, 16777216, 0.30000001192092896];
export const I32_SPECIAL = [0, 1, -1, 2, -2, 3, -7, 7, 2147483647, -2147483648, -2147483647, 65536, 46341, 1 << 30];
/**
 * The special values of an integer dtype: its edges (min, max and their neighbours, the middle of its
 * range where a sum or product first wraps), the square-root point of its products, small values.
 */
export function intSpecials(d: DType): number[] {
  const { min, max } = DTYPE[d];
  if (d === 'int32') return I32_SPECIAL;
  const half = Math.floor(max / 2) + 1, root = Math.ceil(Math.sqrt(max));
  return [...new Set([0, 1, -1, 2, -2, 3, -7, 7, min, max, min + 1, max - 1, half, half - 1, -half, root, -root])].filter((v) => v >= min && v <= max);
}

/** One element of dtype `d`: specials (NaN, ±Inf, -0, denormals, int32 extremes), values from the ops' domains, small integers. */
export function valueArb(d: DType, domains: readonly (readonly [number, number])[]): fc.Arbitrary<number> {
  if (d === 'bool') return fc.constantFrom(0, 1);
  const doms = domains.length ? domains : [[-10, 10] as const];
  if (isInteger(d)) {
    const { min, max } = DTYPE[d];
    const within = (lo: number, hi: number) => fc.integer({ min: Math.max(min, lo), max: Math.max(Math.max(min, lo), Math.min(max, hi)) });
    return fc.oneof(
      { arbitrary: fc.constantFrom(...intSpecials(d)), weight: 3 },
      { arbitrary: fc.constantFrom(...doms).chain(([lo, hi]) => within(Math.ceil(lo), Math.floor(hi))), weight: 4 },
      { arbitrary: within(-4, 4), weight: 2 },
      { arbitrary: fc.integer({ min, max }), weight: 1 },
    );
  }
  const round = d === 'float32' ? Math.fround : (x: number) => x;
  return fc.oneof(
    { arbitrary: fc.constantFrom(...(d === 'float32' ? F32_SPECIAL : F64_SPECIAL)), weight: 3 },
    { arbitrary: fc.constantFrom(...doms).chain(([lo, hi]) => fc.double({ min: lo, max: hi, noNaN: true })).map(round), weight: 4 },
    { arbitrary: fc.integer({ min: -8, max: 8 }).map((k) => k / 2), weight: 2 },
    { arbitrary: fc.double({ noNaN: false }).map(round), weight: 1 },
  );
}

export type Data = number[][];

/** Values for each input of a structure. */
export function dataArb(dtypes: readonly DType[], shapes: readonly number[][], domains: readonly (readonly [number, number])[]): fc.Arbitrary<Data> {
  return fc.tuple(...dtypes.map((d, i) => {
    const n = sizeOf(shapes[i]);
    return fc.array(valueArb(d, domains), { minLength: n, maxLength: n });
  }));
}

/** The input tensors for one draw of data. */
export function makeInputs(spec: GraphSpec, data?: Data): Tensor[] {
  return inputShapes(spec).map((shape, i) => {
    const d = spec.inputs[i].dtype;
    const values = data ? data[i] : new Array<number>(sizeOf(shape)).fill(0);
    const arr = storageClass(d).from(values);
    return tensor(arr, { shape, dtype: d });
  });
}

/** Domains of every op in a graph, from the table (the property draws input values from them too). */
export function domainsOf(outputs: readonly Node[]): (readonly [number, number])[] {
  const out: (readonly [number, number])[] = [];
  for (const n of toposort(outputs)) {
    const d = opDefOf(n.op);
    if (d.kind === 'elementwise' && d.domain) out.push(...d.domain);
  }
  return out;
}

// ---- building -------------------------------------------------------------------------------------

/** Reads decisions from the spec's choice numbers; past the end every decision is 0 (the simplest). */
class Chooser {
  private i = 0;
  constructor(private readonly xs: readonly number[]) {}
  pick(n: number): number {
    if (n <= 1) return 0;
    const v = this.i < this.xs.length ? this.xs[this.i] : 0;
    this.i++;
    return v % n;
  }
  of<T>(xs: readonly T[]): T { return xs[this.pick(xs.length)]; }
  /** True one time in `k` (never when shrunk to 0, so shrinking removes the option). */
  oneIn(k: number): boolean { return this.pick(k) === k - 1; }
}

interface Val { t: Tensor; name: string }
interface Step { t: Tensor; text: string }

export interface Built {
  outputs: Tensor[];
  outputNames: string[];
  lines: string[];
}

/**
 * JS scalar operands, in classes that type alike (numpy weak scalars): int32-range integers, other
 * numbers, booleans. A draw of data may swap a scalar for another of its class (`salt`): the graph keeps
 * its structure and dtypes, so its compiled program is reused with new runtime scalar values.
 */
const SCALAR_CLASSES: readonly (readonly (number | boolean)[])[] = [
  [2, -1, 0, 1, 3, -0, 7, 2147483647, -2147483648],
  [0.5, 1.5, -2.5, 1e-3, NaN, Infinity, -Infinity, 1e308, 5e-324],
  [true, false],
];
const PAD_VALUES = [0, 1, -1, -0, 2.5, NaN, Infinity];

export const showNum = (x: number | boolean): string => (typeof x === 'boolean' ? String(x) : Object.is(x, -0) ? '-0' : String(x));
const showArg = (a: unknown, names: Map<Tensor, string>): string => {
  if (a instanceof Tensor) return names.get(a) ?? `<${a.dtype}${fmtShape(a.shape)}>`;
  if (Array.isArray(a)) return `[${a.map((x) => showArg(x, names)).join(', ')}]`;
  if (typeof a === 'number' || typeof a === 'boolean') return showNum(a);
  if (a === undefined) return 'undefined';
  return JSON.stringify(a);
};

type Method = (...args: unknown[]) => Tensor;
const method = (t: Tensor, name: string): Method => {
  const m = (t as unknown as Record<string, Method>)[name];
  if (typeof m !== 'function') throw new Error(`graphgen: Tensor has no method ${name} (op table entry without a method?)`);
  return m.bind(t);
};

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/**
 * Builds the graph of `spec` on `inputs` (same shapes and dtypes as the spec's), with JS scalars rotated
 * by `salt` within their class. Returns the output tensors (lazy) and a readable listing.
 */
export function buildGraph(spec: GraphSpec, inputs: readonly Tensor[], salt = 0): Built {
  const ch = new Chooser(spec.choices);
  const scalar = (): number | boolean => {
    const cls = ch.of(SCALAR_CLASSES);
    return cls[(ch.pick(cls.length) + salt) % cls.length];
  };
  const taint = new Taint();
  const pool: Val[] = inputs.map((t, i) => ({ t, name: `x${i}` }));
  const names = new Map<Tensor, string>(pool.map((v) => [v.t, v.name]));
  const lines = inputs.map((t, i) => `x${i}: input ${t.dtype}${fmtShape(t.shape)}`);
  const call = (recv: Tensor | string, m: string, args: unknown[], f: () => Tensor): Step => {
    const t = f();
    const head = typeof recv === 'string' ? recv : `${showArg(recv, names)}.`;
    return { t, text: `${head}${m}(${args.map((a) => showArg(a, names)).join(', ')})` };
  };
  const meth = (a: Tensor, m: string, ...args: unknown[]): Step => call(a, m, args, () => method(a, m)(...args));

  /** An operand: usually the newest value (chains), else any earlier one (DAG reuse). */
  const operand = (): Tensor => (ch.pick(3) < 2 ? pool[pool.length - 1].t : ch.of(pool).t);
  /** A second operand broadcastable with `a`: another value, or a JS scalar. */
  const partner = (a: Tensor): Tensor | number | boolean => {
    if (ch.oneIn(3)) return scalar();
    const ok = pool.filter((v) => {
      try { return sizeOf(broadcastShapes('gen', a.shape, v.t.shape)) <= CAP; } catch { return false; }
    });
    return ok.length ? ch.of(ok).t : scalar();
  };
  const axisOf = (a: Tensor): number => {
    const ax = ch.pick(a.ndim);
    return ch.oneIn(3) ? ax - a.ndim : ax; // sometimes negative
  };

  const views: (() => Step)[] = [
    () => {
      const a = operand();
      return a.ndim <= 1 || ch.oneIn(3) ? { t: a.T, text: `${showArg(a, names)}.T` } : meth(a, 'transpose', ch.of(permutations(a.ndim)));
    },
    () => {
      const a = operand();
      const grown = a.shape.map((d) => (d === 1 ? ch.of([1, 2, 3, 5]) : d));
      const shape = ch.oneIn(3) ? [ch.of([2, 3]), ...grown] : grown;
      return ch.oneIn(2) ? meth(a, 'broadcastTo', shape) : meth(a, 'expand', shape);
    },
    () => {
      const a = operand();
      const k = Math.max(1, ch.pick(a.ndim + 1));
      const begin = Array.from({ length: k }, () => ch.of([null, 0, 1, -1, -2, 2]));
      const end = Array.from({ length: k }, () => ch.of([null, -1, 1, 3, -3, 0]));
      const step = Array.from({ length: k }, () => ch.of([1, -1, 2, -2, 3]));
      return meth(a, 'slice', begin, end, step);
    },
    () => { const a = operand(); return ch.oneIn(2) ? meth(a, 'flip') : meth(a, 'flip', axisOf(a)); },
    () => reshape(operand()),
    () => {
      // reshape of a computed, transposed intermediate: not expressible with strides, realizes a copy
      const a = operand();
      const moved = permutations(a.ndim).filter((p) => p.some((x, i) => x !== i));
      const t = a.ndim >= 2 ? meth(a, 'transpose', ch.of(moved)) : meth(a, 'flip');
      const r = meth(t.t, 'reshape', [-1]);
      return { t: r.t, text: `${t.text}.reshape([-1])` };
    },
    () => { const a = operand(); return meth(a, 'unsqueeze', ch.pick(a.ndim + 1) - (ch.oneIn(3) ? a.ndim + 1 : 0)); },
    () => { const a = operand(); return ch.oneIn(2) ? meth(a, 'squeeze') : meth(a, 'flatten'); },
    () => {
      const a = operand();
      const widths = a.shape.map(() => [ch.pick(3), ch.pick(3)] as [number, number]);
      return meth(a, 'pad', widths, ch.of(PAD_VALUES));
    },
    () => {
      const a = operand();
      if (a.ndim === 0) return meth(a, 'reshape', [1]);
      const ax = ch.pick(a.ndim);
      const ok = pool.filter((v) => v.t.ndim === a.ndim && v.t.shape.every((d, i) => i === ax || d === a.shape[i]));
      const parts = [a, ...Array.from({ length: 1 + ch.pick(2) }, () => ch.of(ok).t)];
      return call('', 'concat', [parts, ax], () => concat(parts, ax));
    },
    () => {
      const a = operand();
      const ok = pool.filter((v) => v.t.ndim === a.ndim && v.t.shape.every((d, i) => d === a.shape[i]));
      const parts = [a, ch.of(ok).t];
      const ax = ch.pick(a.ndim + 1);
      return call('', 'stack', [parts, ax], () => stack(parts, ax));
    },
    () => meth(operand(), 'contiguous'),
    () => gather(operand()),
    () => scatter(operand()),
    () => {
      // issue 15's shape helpers: fused selects (roll, pad modes), broadcast copies (tile, repeat), views, masks
      const a = operand();
      const mode = ch.of(['edge', 'reflect', 'symmetric', 'wrap'] as const);
      switch (ch.pick(6)) {
        case 0: return a.ndim ? meth(a, 'roll', ch.of([1, -2, 5]), axisOf(a)) : meth(a, 'roll', 1);
        case 1: return a.size ? meth(a, 'pad', a.shape.map(() => [ch.pick(4), ch.pick(4)]), { mode }) : meth(a, 'flip');
        case 2: return meth(a, 'tile', a.shape.map(() => ch.of([1, 2])));
        case 3: return a.ndim ? meth(a, 'repeat', ch.of([2, 3]), axisOf(a)) : meth(a, 'repeat', 2);
        case 4: return a.ndim >= 2 ? meth(a, 'diagonal', ch.of([0, 1, -1])) : meth(a, 'flip');
        default: return a.ndim ? meth(a, ch.of(['tril', 'triu']), ch.of([0, 1, -1])) : meth(a, 'flip');
      }
    },
  ];

  /** An index array into an axis of size n: literal (negatives too), or computed from another value (fused). */
  function indexInto(n: number, length?: number): unknown {
    if (n === 0) return [];
    if (length !== undefined || ch.oneIn(2)) return Array.from({ length: length ?? ch.pick(4) }, () => ch.pick(2 * n) - n);
    const b = operand();
    const t = ch.oneIn(3) ? b.cast('int32').mod(n).sub(n) : b.cast('int32').mod(n);
    names.set(t, `${showArg(b, names)}.cast('int32').mod(${n})${t.node.op === 'sub' ? `.sub(${n})` : ''}`);
    return t;
  }

  /** Advanced indexing: basic items, then one or two index arrays (adjacent, or apart: numpy's placement rule). */
  function gather(a: Tensor): Step {
    if (a.ndim === 0) return meth(a, 'at', null);
    const items: unknown[] = [];
    const k = ch.pick(a.ndim);
    for (let d = 0; d < k; d++) items.push(ch.of([':', ':', '::-1', '1:', ':-1', '::2']));
    if (ch.oneIn(4)) items.push(null);
    const first = indexInto(a.shape[k]);
    items.push(first);
    const room = a.ndim - k - 1;
    if (room > 0 && ch.oneIn(2)) {
      const apart = room > 1 && ch.oneIn(2);
      if (apart) items.push(':');
      const n = a.shape[k + (apart ? 2 : 1)];
      items.push(indexInto(n, Array.isArray(first) && !ch.oneIn(3) ? first.length : 1));
    }
    return meth(a, 'at', ...items);
  }

  /** PyTorch-style scatter (out of place) of a scalar or a value of the same dtype, maybe combined. */
  function scatter(a: Tensor): Step {
    if (a.ndim === 0) return meth(a, 'reshape', [1]);
    const ax = ch.pick(a.ndim);
    const shape = a.shape.map((d, i) => (i === ax ? (d === 0 ? 0 : ch.pick(4)) : ch.pick(d + 1)));
    const size = sizeOf(shape);
    const flat = Array.from({ length: size }, () => ch.pick(2 * a.shape[ax]) - a.shape[ax]);
    const nest = (d: number, at: number): unknown => (d === shape.length ? flat[at] : Array.from({ length: shape[d] }, (_, i) => nest(d + 1, at * shape[d] + i)));
    const same = pool.filter((v) => v.t.dtype === a.dtype && v.t.ndim === a.ndim && v.t.shape.every((d, i) => d >= shape[i]));
    const src = same.length && ch.oneIn(2) ? ch.of(same).t : scalar();
    const op = ch.of([undefined, undefined, 'add', 'max', 'min', 'mul']);
    return op ? meth(a, 'scatter', ax, nest(0, 0), src, { op }) : meth(a, 'scatter', ax, nest(0, 0), src);
  }

  function reshape(a: Tensor): Step {
    const s = a.shape;
    const options: number[][] = [[-1]];
    for (let i = 0; i + 1 < s.length; i++) options.push([...s.slice(0, i), s[i] * s[i + 1], ...s.slice(i + 2)]); // merge
    s.forEach((d, i) => {
      for (const f of [2, 3, 5, 7]) if (d > f && d % f === 0) options.push([...s.slice(0, i), f, d / f, ...s.slice(i + 1)]); // split
    });
    if (sizeOf(s) > 0) options.push([1, ...s, 1]);
    return meth(a, 'reshape', ch.of(options));
  }

  const unary = () => meth(operand(), ch.of(UNARY));
  const binary = () => { const a = operand(); return meth(a, ch.of(BINARY), partner(a)); };
  const custom = (): Step => {
    if (!CUSTOM.length) return unary();
    const op = ch.of(CUSTOM);
    const a = operand();
    const args = [a, ...Array.from({ length: op.arity - 1 }, () => (op.tensorsOnly ? operand() : partner(a)))];
    return call('', op.name, args, () => (op.fn as (...xs: unknown[]) => Tensor)(...args));
  };
  const elementwise: (() => Step)[] = [
    unary, unary, binary, binary, binary, custom,
    () => {
      const c = operand();
      const a = partner(c), b = partner(c);
      if (ch.oneIn(2)) return call('', 'where', [c, a, b], () => where(c, a, b));
      return meth(c, ch.of(TERNARY), a, b);
    },
    () => meth(operand(), 'cast', ch.of(DTYPES)),
    () => meth(operand(), ch.of(COMPOSITE_UNARY)),
    () => {
      const a = operand();
      if (ch.oneIn(3)) return ch.oneIn(2) ? meth(a, 'logaddexp', partner(a)) : meth(a, 'isclose', partner(a), ch.of([undefined, { equalNan: true }, { rtol: 0, atol: 0.5 }]));
      return ch.oneIn(2) ? meth(a, 'clip', ch.of([-1, 0, null]), ch.of([1, 2.5, null])) : meth(a, 'axpy', partner(a), ch.of([2, -0.5, 3]));
    },
    () => {
      // lazy sources: constants and index-generated values folded into the loops that read them
      const shape = operand().shape.slice();
      const n = sizeOf(shape);
      const seed = ch.pick(1000);
      const f = ch.of(['float64', 'float32'] as const);
      const d = ch.of(DTYPES);
      switch (ch.pick(6)) {
        case 0: return call('', 'rand', [shape, { seed, dtype: f }], () => rand(shape, { seed, dtype: f }));
        case 1: return call('', 'randn', [shape, { seed, dtype: f }], () => randn(shape, { seed, dtype: f }));
        case 2: { const v = scalar(); return call('', 'full', [shape, v, d], () => full(shape, v, d)); }
        case 3: { const s = { t: arange(n), text: `arange(${n})` }; return { t: s.t.reshape(shape), text: `${s.text}.reshape(${showArg(shape, names)})` }; }
        case 4: { const k = shape[0] ?? 3; return call('', 'eye', [k, shape[1] ?? k, d], () => eye(k, shape[1] ?? k, d)); }
        default: { const b = ch.of([1, -2.5, 1e300]); return call('', 'linspace', [-1, b, n], () => linspace(-1, b, n)); }
      }
    },
  ];

  const reductions: (() => Step)[] = [
    () => {
      // issue 15's scans and sorts: kernels of their own, producers fused into their loads
      const a = operand();
      if (a.ndim === 0) return meth(a, ch.of(['cumsum', 'cumprod', 'cummax', 'cummin']));
      const axis = axisOf(a);
      switch (ch.pick(4)) {
        case 0: return meth(a, ch.of(['cumsum', 'cumprod', 'cummax', 'cummin']), axis);
        case 1: return meth(a, 'argsort', axis, { descending: ch.oneIn(2) });
        case 2: {
          // a binary search of another value's elements in this one, flattened and sorted
          const table = a.flatten().sort();
          const values = operand();
          const side = ch.of(['left', 'right'] as const);
          return { t: table.searchsorted(values, { side }), text: `${showArg(a, names)}.flatten().sort().searchsorted(${showArg(values, names)}, { side: '${side}' })` };
        }
        default: return meth(a, 'sort', axis);
      }
    },
    () => {
      const a = operand();
      const op = ch.of([...REDUCE, ...COMPOSITE_REDUCE]);
      const form = ch.pick(4);
      const keep = ch.oneIn(2);
      if (form === 0) return meth(a, op);
      const axis = form === 1 || a.ndim < 2 ? axisOf(a) : [ch.pick(a.ndim), ch.pick(a.ndim)].filter((x, i, xs) => xs.indexOf(x) === i);
      return meth(a, op, axis, keep);
    },
    () => {
      // a reduced value used at a broadcast shape: x.sum(1, true).add(x), softmax, ...
      const a = operand();
      if (ch.oneIn(2)) return meth(a, ch.of(['softmax', 'logSoftmax']), a.ndim ? axisOf(a) : undefined);
      const red = ch.of(REDUCE.filter((op) => op !== 'argmax' && op !== 'argmin'));
      const axis = a.ndim ? axisOf(a) : undefined;
      const r = method(a, red)(axis, true);
      const op = ch.of(['add', 'sub', 'mul', 'div', 'maximum']);
      const rText = `${showArg(a, names)}.${red}(${showArg(axis, names)}, true)`;
      if (ch.oneIn(2)) return { t: method(r, op)(a), text: `${rText}.${op}(${showArg(a, names)})` };
      return { t: method(a, op)(r), text: `${showArg(a, names)}.${op}(${rText})` };
    },
    () => {
      const a = operand();
      if (a.ndim === 0) return meth(a, 'reshape', [1, 1]);
      if (a.ndim === 1) return meth(a, ch.of(['matmul', 'dot']), a); // inner product
      const k = a.shape[a.ndim - 1];
      const mT = a.ndim === 2 ? a.T : a.transpose([...Array(a.ndim - 2).keys(), a.ndim - 1, a.ndim - 2]);
      const others = pool.filter((v) => v.t.ndim >= 2 && v.t.ndim <= a.ndim && v.t.shape[v.t.ndim - 2] === k).map((v) => v.t);
      const form = ch.pick(3);
      let m: Step;
      if (form === 1 && others.length) m = meth(a, 'matmul', ch.of(others));
      else if (form === 2) m = { ...meth(mT, 'matmul', a), text: `${showArg(a, names)}.T.matmul(${showArg(a, names)})` };
      else m = { ...meth(a, 'matmul', mT), text: `${showArg(a, names)}.matmul(${showArg(a, names)}.T)` };
      if (!ch.oneIn(2)) return m;
      // epilogue: bias + relu
      const bias = partner(m.t);
      const out = m.t.add(bias).relu();
      return { t: out, text: `${m.text}.add(${showArg(bias, names)}).relu()` };
    },
    () => {
      // conv2d (issue 15): direct loops on floats, the im2col matrix times a matmul on int32; padding,
      // stride, dilation and groups drawn, the weights a literal of small integers
      const a = operand();
      if (a.size === 0 || a.dtype === 'bool') return meth(a, 'flip');
      let x = a;
      if (a.ndim !== 4) {
        const c = a.size % 2 === 0 && a.size >= 8 ? 2 : 1, h = [4, 3, 2, 1].find((d) => (a.size / c) % d === 0)!;
        x = a.reshape([1, c, h, a.size / c / h]);
        names.set(x, `${showArg(a, names)}.reshape([1, ${c}, ${h}, ${a.size / c / h}])`);
      }
      const [, C, H, W] = x.shape;
      const groups = C % 2 === 0 && ch.oneIn(3) ? 2 : 1;
      const padding = ch.of([0, 1, 'same'] as const), p = padding === 1 ? 2 : 0;
      const dilation = ch.of([1, 1, 2]);
      const taps = (n: number) => 1 + ch.pick(Math.max(1, Math.min(3, Math.floor((n + p - 1) / dilation) + 1)));
      const kh = taps(H), kw = taps(W);
      if ((kh - 1) * dilation + 1 > H + p || (kw - 1) * dilation + 1 > W + p) return meth(a, 'flip');
      const O = ch.of([1, 2, 3]) * groups;
      const lit = Array.from({ length: O }, () => Array.from({ length: C / groups }, () => Array.from({ length: kh }, () => Array.from({ length: kw }, () => ch.pick(5) - 2))));
      const d = x.dtype;
      const w = tensor(lit, { dtype: d });
      names.set(w, `tensor(${JSON.stringify(lit)}, { dtype: '${d}' })`);
      const opts = { padding, stride: ch.of([1, 1, 2]), dilation, groups };
      return call('', 'conv2d', [x, w, opts], () => conv2d(x, w, opts));
    },
  ];

  const groups: [number, (() => Step)[]][] = spec.mode === 'elementwise'
    ? [[6, elementwise], [3, views]]
    : [[3, elementwise], [2, views], [4, reductions]];
  const total = groups.reduce((n, [w]) => n + w, 0);

  for (let s = 0; s < spec.steps; s++) {
    for (let attempt = 0; attempt < 12; attempt++) {
      let w = ch.pick(total);
      const [, acts] = groups.find(([weight]) => (w -= weight) < 0)!;
      let step: Step;
      try {
        step = ch.of(acts)();
      } catch (e) {
        if (e instanceof TensorError) continue; // refused at record time: draw another step
        throw e;
      }
      if (step.t.size > CAP || step.t.ndim > 4 || taint.violation(step.t.node)) continue;
      const name = `v${pool.length}`;
      pool.push({ t: step.t, name });
      if (!names.has(step.t)) names.set(step.t, name);
      lines.push(`${name} = ${step.text}  -> ${step.t.dtype}${fmtShape(step.t.shape)}`);
      break;
    }
  }
  if (pool.length === inputs.length) {
    const t = inputs[0].abs();
    pool.push({ t, name: `v${pool.length}` });
    lines.push(`v${pool.length - 1} = x0.abs()  -> ${t.dtype}${fmtShape(t.shape)}`);
  }
  const last = pool[pool.length - 1];
  const outs: Val[] = [last];
  const computed = pool.slice(inputs.length, -1);
  if (computed.length && (spec.mode === 'reduce' ? !ch.oneIn(3) : ch.oneIn(3))) outs.push(ch.of(computed));
  // evalAll edge cases: an input passed through as an output, the same output twice.
  if (outs.length > 1 && ch.oneIn(6)) outs.push(ch.of(pool.slice(0, inputs.length)));
  if (outs.length > 1 && ch.oneIn(6)) outs.push(last);
  return { outputs: outs.map((v) => v.t), outputNames: outs.map((v) => v.name), lines };
}
