/**
 * Custom C, compiled at run time and cached like everything else (SPEC §1 "Custom C").
 *
 * - `defineOp` adds an elementwise primitive written as a C expression over `a`, `b`, `c`, with its TS
 *   reference. It becomes an op-table entry, so it fuses with built-in ops into one loop nest and the
 *   property tests pick it up.
 * - `defineKernel` adds an opaque node: a whole C function over contiguous input buffers writing one
 *   output (a scan, a stencil, a histogram). It runs inside the same translation unit and FFI call as
 *   the kernels around it.
 *
 * Custom C is trusted code, like any code you write: it runs in your process with your privileges.
 */
import type { DType, Storage } from './dtype.js';
import { allocate, C_TYPE, checkDType, DTYPES, floatOf, isBool, promote } from './dtype.js';
import { DTypeError, ShapeError, TensorError } from './errors.js';
import type { Node } from './graph.js';
import { makeNode } from './graph.js';
import type { DTypeRule, ElementwiseDef, KernelDef } from './ops.js';
import { OPS, registerOp } from './ops.js';
import { checkShape, describe, readArray, sizeOf } from './shape.js';
import { USER_END, userBegin } from './runtime/compiler.js';
import type { Operand } from './tensor.js';
import { elementwise, Tensor } from './tensor.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const defined = new Map<string, string>();

function checkName(fn: string, name: unknown, signature: string): string {
  if (typeof name !== 'string' || !IDENT.test(name)) {
    throw new TensorError(`${fn}: the name must be a C identifier (letters, digits, _; not starting with a digit), got ${describe(name)}`);
  }
  const known = defined.get(name);
  if (known !== undefined && known !== signature) {
    throw new TensorError(`${fn}: ${name} is already defined with a different definition; pick another name`);
  }
  if (known === undefined && (name in OPS || name in Tensor.prototype)) {
    throw new TensorError(`${fn}: ${name} is a built-in op or Tensor method; pick another name`);
  }
  defined.set(name, signature);
  return name;
}


function checkUlps(fn: string, ulps: unknown): void {
  if (ulps !== undefined && (typeof ulps !== 'number' || !(ulps >= 0) || ulps === Infinity)) {
    throw new TensorError(`${fn}: ulps must be a non-negative number, got ${describe(ulps)}`);
  }
}

/** `domain`: [lo, hi] ranges of finite numbers (one per operand, or one for all), read once. */
function checkDomain(domain: unknown, arity: number): [number, number][] | undefined {
  if (domain === undefined) return undefined;
  const ranges = readArray('defineOp', domain, 3, 'domain ranges')?.map((r) => readArray('defineOp', r, 2, 'numbers in a range') ?? r);
  if (!ranges || ranges.length < 1 || ranges.length > arity || !ranges.every((r) => Array.isArray(r) && r.length === 2 &&
      r.every((v) => typeof v === 'number' && Number.isFinite(v)) && r[0] <= r[1])) {
    throw new TensorError(`defineOp: domain must be 1 to ${arity} ranges [lo, hi] of finite numbers, got ${describe(ranges ?? domain)}`);
  }
  return ranges as [number, number][];
}

/** The functions glibc's libmvec has vector versions of (glibc 2.35), with their arity. */
const LIBMVEC: readonly [string, number][] = [
  ...['sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'exp', 'exp2', 'exp10',
    'expm1', 'log', 'log2', 'log10', 'log1p', 'cbrt', 'erf', 'erfc'].map((f) => [f, 1] as [string, number]),
  ['pow', 2], ['atan2', 2], ['hypot', 2],
];

/** `N` values of `T` as a tuple (`Tuple<Tensor, 2>` is `[Tensor, Tensor]`), so `[a, b]` destructures without undefined; an array when N is not a literal. */
export type Tuple<T, N extends number, R extends T[] = []> =
  number extends N ? T[] : 0 extends 1 & N ? T[] : R['length'] extends N ? R : R['length'] extends 16 ? T[] : Tuple<T, N, [...R, T]>;

export interface OpSpec<N extends 1 | 2 | 3 = 1 | 2 | 3> {
  arity: N;
  /** A C expression over `a`, `b`, `c` (in the compute dtype's C type); libm functions are available. */
  c: string;
  /** The same function on JS numbers: the reference, and what the property tests compare against. */
  ref: (a: number, b: number, c: number) => number;
  /**
   * Result dtype: 'float' (default: ints compute in float64, float32 stays float32, like `exp`),
   * 'same' (the promoted input dtype), 'bool', or a fixed dtype.
   */
  dtype?: 'float' | 'same' | DType;
  /** Allowed float error against `ref`, in ulps (default 4). */
  ulps?: number;
  /** Range the property tests draw operands from (default [-10, 10]). */
  domain?: readonly (readonly [number, number])[];
  /**
   * The derivative, for grad and vjp: given the cotangent `g` of the result, the inputs and the result
   * (as tensors), the cotangent of each input, written with tensor ops (null: none). Without it,
   * differentiating through the op is an error.
   */
  grad?: (g: Tensor, inputs: Readonly<Tuple<Tensor, N>>, out: Tensor) => Tensor | readonly (Tensor | null | undefined)[];
}

function ruleFor(fn: string, d: OpSpec['dtype']): DTypeRule {
  const all = (ds: readonly DType[]) => ds.reduce(promote);
  if (d === undefined || d === 'float') return (_op, ds) => { const p = all(ds); const t = floatOf(p); return { ins: ds.map(() => t), out: t }; };
  if (d === 'same') return (_op, ds) => { const p = all(ds); const t = isBool(p) ? 'int32' : p; return { ins: ds.map(() => t), out: t }; };
  const fixed = checkDType(fn, d);
  if (isBool(fixed)) return (_op, ds) => { const p = all(ds); return { ins: ds.map(() => p), out: 'bool' }; };
  return (_op, ds) => ({ ins: ds.map(() => fixed), out: fixed });
}

/**
 * Registers an elementwise primitive written in C. Returns a function recording it:
 * `const qgelu = defineOp('qgelu', { arity: 1, c: 'a / (1 + exp(-1.702 * a))', ref: (a) => a / (1 + Math.exp(-1.702 * a)) })`.
 */
export function defineOp<N extends 1 | 2 | 3>(name: string, spec: OpSpec<N>): (...operands: Tuple<Operand, N>) => Tensor {
  if (typeof spec !== 'object' || spec === null) throw new TensorError(`defineOp: expected a spec { arity, c, ref }, got ${describe(spec)}`);
  // Each field read once: what is checked is what is registered. (The arity-typed spec is the caller's
  // help; inside, inputs are plain arrays.)
  const { arity, c, ref, dtype, ulps, domain, grad } = spec as unknown as Omit<OpSpec<1>, 'grad'> & { grad?: (g: Tensor, inputs: readonly Tensor[], out: Tensor) => unknown };
  if (arity !== 1 && arity !== 2 && arity !== 3) throw new TensorError(`defineOp: arity must be 1, 2 or 3, got ${describe(arity)}`);
  if (typeof c !== 'string' || c.trim() === '') throw new TensorError('defineOp: c must be a C expression over a, b, c');
  if (/;|\/\*|\*\//.test(c)) throw new TensorError('defineOp: c must be a single C expression (no `;` or comments); use defineKernel for statements');
  if (typeof ref !== 'function') throw new TensorError('defineOp: ref must be a function of numbers: the TypeScript reference');
  if (dtype !== undefined && dtype !== 'float' && dtype !== 'same') checkDType('defineOp', dtype);
  checkUlps('defineOp', ulps);
  if (grad !== undefined && typeof grad !== 'function') throw new TensorError(`defineOp: grad must be a function (g, inputs, out) => [one cotangent per input], got ${describe(grad)}`);
  const domains = checkDomain(domain, arity);
  const id = checkName('defineOp', name, JSON.stringify({ arity, c, dtype: dtype ?? 'float' }));
  const fnName = (d: DType) => `tf_op_${id}_${d}`;
  const helper = (d: DType): string => {
    const T = C_TYPE[d];
    return [
      `static inline ${T} ${fnName(d)}(${T} a, ${T} b, ${T} c) {`,
      '  (void)a; (void)b; (void)c;',
      `  ${userBegin(`defineOp ${id}`)}`,
      `  return (${T})(${c});`,
      `  ${USER_END}`,
      '}',
    ].join('\n');
  };
  const bool = dtype === 'bool';
  // The libmvec functions the expression calls, as written (exp is the double version, expf the float one).
  const vectorCalls = LIBMVEC.flatMap(([fn, n]) => [['', 'double'], ['f', 'float']]
    .filter(([f]) => new RegExp(`\\b${fn}${f}\\s*\\(`).test(c))
    .map(([f, T]) => `extern ${T} ${fn}${f}(${Array(n).fill(T).join(', ')});`));
  const def: ElementwiseDef = {
    kind: 'elementwise',
    arity,
    dtypes: ruleFor('defineOp', dtype),
    ref,
    c: (x, t) => {
      const call = `${fnName(t.dtype)}(${[0, 1, 2].map((i) => x[i] ?? '0').join(', ')})`;
      return bool ? `(${call} != 0)` : call;
    },
    cIsBool: bool,
    helpers: (t) => helper(t.dtype),
    libmvec: () => vectorCalls,
    domain: domains,
    ulps: ulps ?? 4,
    ...(grad ? { vjp: (g: Tensor, xs: readonly Tensor[], out: Tensor) => userVjp(id, grad, g, xs, out) } : {}),
  };
  const op = registerOp(id, def);
  const record = (...operands: Operand[]): Tensor => {
    if (operands.length !== arity) throw new TensorError(`${id}: takes ${arity} operand${arity === 1 ? '' : 's'}, got ${operands.length}`);
    return elementwise(op, operands);
  };
  Object.defineProperty(record, 'name', { value: id });
  return record;
}

/** A defineOp grad's result, checked: one cotangent per input, each broadcast to its input's shape and cast to its dtype. */
function userVjp(id: string, grad: (g: Tensor, inputs: readonly Tensor[], out: Tensor) => unknown, g: Tensor, xs: readonly Tensor[], out: Tensor): (Tensor | undefined)[] {
  const r: unknown = grad(g, xs, out);
  const list = r instanceof Tensor && xs.length === 1 ? [r] : r;
  if (!Array.isArray(list) || list.length !== xs.length) {
    throw new TensorError(`${id}: grad must return an array of ${xs.length} cotangent${xs.length === 1 ? '' : 's'} (Tensor or null), one per input, got ${describe(r)}`);
  }
  return list.map((c: unknown, i) => {
    if (c === null || c === undefined) return undefined;
    if (!(c instanceof Tensor)) throw new TensorError(`${id}: grad returned ${describe(c)} for input ${i}; expected a Tensor or null`);
    const x = xs[i];
    if (c.shape.length > x.ndim || c.shape.some((d, k) => d !== 1 && d !== x.shape[x.ndim - c.ndim + k])) {
      throw new ShapeError(`${id}: grad returned a cotangent of shape [${c.shape.join(',')}] for input ${i} of shape [${x.shape.join(',')}]`);
    }
    return c.cast(x.dtype).expand(x.shape.slice());
  });
}

export interface KernelSpec<N extends number = number> {
  /** Number of input tensors. */
  inputs: N;
  /**
   * The body of a C function with parameters `const T0 *in0, int64_t n0, ...` (each input contiguous,
   * row-major, `n` = element count) and `T *out, int64_t n`. Statements, loops, locals: anything C.
   */
  c: string;
  /** Output shape from the input shapes (default: the first input's shape). */
  shape?: (...shapes: number[][]) => readonly number[];
  /** Output dtype from the input dtypes (default: the first input's dtype). */
  dtype?: (...dtypes: DType[]) => DType;
  /** The TypeScript reference: fill `out` from `inputs` (contiguous, row-major). */
  ref: (inputs: Readonly<Tuple<Storage, N>>, out: Storage, shapes: readonly (readonly number[])[]) => void;
  /** Allowed float error against `ref`, in ulps (default 0). */
  ulps?: number;
  /**
   * The derivative, for grad and vjp, as for defineOp: given the cotangent `g` of the output, the
   * inputs and the output, one cotangent per input (a Tensor of its shape, or null for none), written
   * with tensor ops (or other kernels). Without it, differentiating through the kernel is an error.
   */
  grad?: (g: Tensor, inputs: Readonly<Tuple<Tensor, N>>, out: Tensor) => Tensor | readonly (Tensor | null | undefined)[];
}

/**
 * Registers a whole C kernel over buffers. Returns a function recording it on tensors:
 * `const cumsum = defineKernel('cumsum', { inputs: 1, c: 'double acc = 0; for (int64_t i = 0; i < n; i++) out[i] = acc += in0[i];', ref })`.
 */
export function defineKernel<N extends number>(name: string, spec: KernelSpec<N>): (...inputs: Tuple<Tensor, N>) => Tensor {
  if (typeof spec !== 'object' || spec === null) throw new TensorError(`defineKernel: expected a spec { inputs, c, ref }, got ${describe(spec)}`);
  const { inputs, c, ref, shape: shapeRule, dtype: dtypeRule, ulps, grad } = spec as unknown as KernelSpec;
  if (!Number.isInteger(inputs) || inputs < 1 || inputs > 16) throw new TensorError(`defineKernel: inputs must be an integer from 1 to 16, got ${describe(inputs)}`);
  if (typeof c !== 'string' || c.trim() === '') throw new TensorError('defineKernel: c must be the C body of the kernel function');
  if (typeof ref !== 'function') throw new TensorError('defineKernel: ref must be a function (inputs, out, shapes) => void: the TypeScript reference');
  for (const [what, rule] of [['shape', shapeRule], ['dtype', dtypeRule]] as const) {
    if (rule !== undefined && typeof rule !== 'function') throw new TensorError(`defineKernel: ${what} must be a function of the input ${what}s, got ${describe(rule)}`);
  }
  checkUlps('defineKernel', ulps);
  if (grad !== undefined && typeof grad !== 'function') throw new TensorError(`defineKernel: grad must be a function (g, inputs, out) => [one cotangent per input], got ${describe(grad)}`);
  const id = checkName('defineKernel', name, JSON.stringify({ inputs, c }));
  const def: KernelDef = {
    kind: 'kernel',
    evaluate: (n, xs) => {
      const out = allocate(n.dtype, sizeOf(n.shape));
      ref(xs, out, n.src.map((s) => s.shape));
      return out;
    },
    cFunction: (n) => {
      const fn = `tf_kernel_${id}_${n.src.map((s) => s.dtype).join('_')}_${n.dtype}`;
      const params = [
        ...n.src.flatMap((s, i) => [`const ${C_TYPE[s.dtype]} *restrict in${i}`, `int64_t n${i}`]),
        `${C_TYPE[n.dtype]} *restrict out`, 'int64_t n',
      ];
      const unused = [...n.src.map((_, i) => `(void)n${i};`), '(void)n;'].join(' ');
      return { name: fn, text: [`static void ${fn}(${params.join(', ')}) {`, `  ${unused}`, userBegin(`defineKernel ${id}`), c, USER_END, '}'].join('\n') };
    },
    ulps: ulps ?? 0,
    ...(grad ? { vjp: (g: Tensor, xs: readonly Tensor[], out: Tensor) => userVjp(id, grad, g, xs, out) } : {}),
  };
  const op = registerOp(`kernel_${id}`, def);
  const record = (...ts: Tensor[]): Tensor => {
    if (ts.length !== inputs) throw new TensorError(`${id}: takes ${inputs} input tensor${inputs === 1 ? '' : 's'}, got ${ts.length}`);
    ts.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TensorError(`${id}: input ${i} must be a Tensor`);
    });
    const shapes = ts.map((t) => t.shape.slice());
    const rule: unknown = shapeRule ? shapeRule(...shapes) : shapes[0];
    if (!Array.isArray(rule)) throw new ShapeError(`${id}: the shape rule must return an array of dims, got ${describe(rule)}`);
    const shape = checkShape(id, rule); // a plain copy, read once
    const dtype: unknown = dtypeRule ? dtypeRule(...ts.map((t) => t.dtype)) : ts[0].dtype;
    if (!DTYPES.includes(dtype as DType)) throw new DTypeError(`${id}: the dtype rule returned ${describe(dtype)}; expected one of ${DTYPES.join(', ')}`);
    // Kernels read plain row-major buffers: views and lazy values are realized first.
    const srcs: Node[] = ts.map((t) => t.contiguous().node);
    return new Tensor(makeNode(op, srcs, shape, dtype as DType));
  };
  Object.defineProperty(record, 'name', { value: id });
  return record;
}
