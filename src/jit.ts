/**
 * `jit(fn)`: traces `fn` once per input signature (shapes and dtypes of tensors, the kind of each
 * number, the values of booleans and of `staticArgs`) into a graph over placeholder buffers; later calls
 * with the same signature run that graph on the new inputs without calling `fn` or building nodes
 * again. `fn` must be pure tensor code (no eval or data() inside).
 *
 * A number argument is a runtime scalar: `fn` sees a 0-d placeholder tensor (int32 for an integer an
 * int32 holds, else float64) that combines with tensors as a JS number of its class would (Node.weak,
 * dtype.ts's ScalarKind: 3 and 300 next to a uint8 tensor differ), and each call passes its value in a
 * one-element buffer. A new number of the same class therefore neither traces nor compiles.
 */
import type { DType, Storage } from './dtype.js';
import type { ScalarKind } from './dtype.js';
import { allocate, scalarKind } from './dtype.js';
import { TensorError } from './errors.js';
import type { Node } from './graph.js';
import { bufferNode } from './graph.js';
import { isBuffer } from './ops.js';
import type { EvalOptions } from './realize.js';
import { backendFor, owning, runNodes } from './realize.js';
import type { Plan } from './runtime/invoke.js';
import { invoke, plan } from './runtime/invoke.js';
import { counters } from './stats.js';
import { describe, fmtShape } from './shape.js';
import { Tensor } from './tensor.js';
import { placeholder, traced, tracing } from './trace.js';

type JitArg = Tensor | number | boolean;

export interface JitOptions extends EvalOptions {
  /**
   * Indices of number arguments that are traced as the JS numbers they are, one trace per value: those
   * that decide a shape, a slice bound, an axis or control flow in `fn`.
   */
  staticArgs?: readonly number[];
}

/** Signatures a jit function keeps traces for (oldest dropped first). */
const MAX_TRACES = 64;

/** A realized tensor owning a result buffer. */
const wrap = (n: Node, data: Storage): Tensor => new Tensor(owning(n, data));

interface Trace {
  placeholders: (Node | undefined)[];
  /** For each runtime number argument, the one-element buffer its value is passed in (calls are synchronous). */
  scalars: (Storage | undefined)[];
  outputs: Node[];
  /**
   * How the function's result holds the outputs: undefined for one Tensor, else one entry per element
   * of the returned array, an output's index or (an inner array, as valueAndGrad's gradients) several.
   */
  nesting?: (number | number[])[];
  /** The compiled program and its argument plan, on the C backend. */
  plan?: Plan;
}

/** What a number argument tells the signature: its kind (weakPromote's), or its value when static. */
type Sig = Node | number | boolean | RuntimeKind;

/** The dtype of a runtime number's placeholder: it holds every number of its kind exactly. */
const scalarDTypeOf = (k: RuntimeKind): DType => (k === 'float' || k === 'u32' ? 'float64' : 'int32');
type RuntimeKind = Exclude<ScalarKind, 'bool'>;

/**
 * What `fn` receives for a runtime number: a 0-d tensor. Using it where JavaScript needs a number (`n * 2`,
 * `n > 0`, `Math.max(n, 1)`) would read a value that is not there yet: that throws instead of freezing
 * the first call's number into the trace.
 */
class RuntimeScalar extends Tensor {
  constructor(node: Node, private readonly index: number) {
    super(node);
  }
  [Symbol.toPrimitive](hint: string): string {
    if (hint === 'string') return this.toString();
    throw new TensorError(`jit: argument ${this.index} was used as a JS number inside the function. ${staticHint([this.index])}`);
  }
}

const staticHint = (indices: readonly number[]): string => {
  const which = indices.length === 1 ? `argument ${indices[0]} is a number, which jit passes` : `arguments ${indices.join(', ')} are numbers, which jit passes`;
  return `${which} to the function as a runtime scalar (a 0-d tensor) so that a new value does not trace again; where a JS number is needed (a shape, a slice bound, an axis, a count, control flow, JS arithmetic), list it in jit(fn, { staticArgs: [${indices.join(', ')}] }) to trace once per value`;
};

function checkStatic(opts: JitOptions | undefined): Set<number> {
  const list: unknown = opts?.staticArgs;
  if (list === undefined) return new Set();
  if (!Array.isArray(list) || !list.every((i) => Number.isInteger(i) && i >= 0)) {
    throw new TensorError(`jit: staticArgs must be an array of argument indices (non-negative integers), got ${describe(list)}`);
  }
  return new Set(list as number[]);
}

/**
 * What a jit function may return: a Tensor, or an array of Tensors and arrays of Tensors. The `[]` makes
 * TypeScript infer an array literal as a tuple, so `jit((x) => [x.min(), x.max()])` returns `[Tensor, Tensor]`.
 */
export type JitResult = Tensor | readonly (Tensor | readonly Tensor[])[] | [];

/** A jit function's parameters as its callers pass them: where `fn` takes a Tensor, a JS number works too (a runtime scalar). */
export type JitParams<A extends readonly unknown[]> = { [K in keyof A]: A[K] extends Tensor ? Tensor | number : A[K] };

/** The traced function as the implementation sees it. */
type Traceable = (...args: JitArg[]) => JitResult;

/**
 * Compiles `fn` once per input signature; later calls with the same shapes and dtypes run the cached
 * program with no graph building. Unannotated parameters are Tensors (a number argument arrives as a
 * 0-d tensor); annotate `n: number` for an argument listed in `staticArgs`.
 * `const f = jit((x, y) => x.mul(2).add(y).relu()); f(a, b)`.
 */
export function jit<P extends Tensor[], R extends JitResult>(fn: (...args: P) => R, opts?: JitOptions): (...args: JitParams<P>) => R;
export function jit<A extends JitArg[], R extends JitResult>(fn: (...args: A) => R, opts?: JitOptions): (...args: JitParams<A>) => R;
export function jit(given: (...args: never[]) => JitResult, opts?: JitOptions): Traceable {
  const fn = given as unknown as Traceable;
  type R = JitResult;
  type A = JitArg[];
  if (typeof fn !== 'function') throw new TensorError('jit: expected a function of tensors');
  const statics = checkStatic(opts);
  const traces = new Map<string, Trace>();
  /** A number traced as a runtime scalar: its kind; anything else traced by value. */
  const runtimeKind = (a: JitArg, i: number): RuntimeKind | undefined => {
    if (typeof a !== 'number' || statics.has(i)) return undefined;
    const k = scalarKind(a);
    return k === 'bool' ? undefined : k;
  };
  // The previous call's signature: its arguments' shapes and dtypes (not the tensors, which would keep
  // the caller's data alive for as long as this function lives) and numbers.
  let last: { sig: Sig[]; trace: Trace } | undefined;
  /**
   * The common case, a loop calling with the same shapes: compared with the previous call, no strings.
   * The storage of each argument when the signature is the previous call's and every tensor is realized
   * (numbers written into the trace's scalars), else undefined. One pass: this is most of jit's own cost.
   */
  const sameInputs = (args: readonly JitArg[], sig: readonly Sig[], trace: Trace): (Storage | undefined)[] | undefined => {
    if (sig.length !== args.length) return undefined;
    const inputs: (Storage | undefined)[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i], b = sig[i];
      if (a instanceof Tensor) {
        const n = a.node;
        if (typeof b !== 'object' || n.dtype !== b.dtype || !isBuffer(n)) return undefined;
        // Shapes are frozen and shared (bufferNode keeps a frozen one): the same array is the usual case,
        // and reading a frozen array's elements cost ~12 ns each here.
        if (n.shape !== b.shape && !sameDims(n.shape, b.shape)) return undefined;
        inputs.push(n.data);
      } else if (typeof b === 'string') {
        if (runtimeKind(a, i) !== b) return undefined;
        const s = trace.scalars[i]!;
        s[0] = a as number;
        inputs.push(s);
      } else if (Object.is(a, b)) inputs.push(undefined);
      else return undefined;
    }
    return inputs;
  };
  /** The storage of each argument for one call: tensors' own, numbers written into the trace's scalars. */
  const inputsOf = (trace: Trace, args: readonly JitArg[]): (Storage | undefined)[] =>
    args.map((a, i) => {
      const s = trace.scalars[i];
      if (s) s[0] = a as number;
      return s ?? (a instanceof Tensor ? a.storage('jit') : undefined);
    });
  /** The function's result for one call: the trace run on these inputs, its outputs nested as `fn` returned them. */
  const resultOf = (trace: Trace, inputs: readonly (Storage | undefined)[]): R => {
    let data: Storage[];
    if (trace.plan) {
      counters.evals++;
      data = invoke(trace.plan, inputs);
    } else {
      const bind = new Map<Node, Storage>();
      trace.placeholders.forEach((p, i) => p && bind.set(p, inputs[i]!));
      data = runNodes(trace.outputs, opts, bind);
    }
    if (!trace.nesting) return wrap(trace.outputs[0], data[0]) as R;
    const at = (i: number): Tensor => wrap(trace.outputs[i], data[i]);
    return trace.nesting.map((e) => (typeof e === 'number' ? at(e) : e.map(at))) as R;
  };
  return (...args: A): R => {
    // Called from inside another function being traced: this one's operations join that trace.
    if (tracing()) return fn(...args);
    if (last?.trace.plan) {
      const inputs = sameInputs(args, last.sig, last.trace);
      if (inputs) return resultOf(last.trace, inputs);
    }
    const sig: Sig[] = [];
    const key = args.map((a, i) => {
      if (a instanceof Tensor) return `${a.dtype}${fmtShape(a.shape)}`;
      const kind = runtimeKind(a, i);
      if (kind) return `number ${kind}`;
      if (typeof a === 'number' || typeof a === 'boolean') return `${typeof a}:${Object.is(a, -0) ? '-0' : String(a)}`;
      throw new TensorError(`jit: argument ${i} must be a Tensor, number or boolean, got ${describe(a)}`);
    }).join(';');
    let trace = traces.get(key);
    if (!trace) {
      trace = traceOf(fn, args, runtimeKind, opts);
      // Static numbers are part of the signature: a loop over changing ones must not grow this forever.
      if (traces.size >= MAX_TRACES) traces.delete(traces.keys().next().value!);
      traces.set(key, trace);
    }
    // A placeholder stands for a tensor argument: it has the shape and dtype, and no storage.
    const t = trace;
    args.forEach((a, i) => sig.push(a instanceof Tensor ? t.placeholders[i]! : runtimeKind(a, i) ?? a));
    last = { sig, trace };
    return resultOf(trace, inputsOf(trace, args));
  };
}

function sameDims(p: readonly number[], q: readonly number[]): boolean {
  if (p.length !== q.length) return false;
  for (let d = 0; d < p.length; d++) if (p[d] !== q[d]) return false;
  return true;
}

/** Calls `fn` once on placeholders and plans the graph it records. */
function traceOf(fn: Traceable, args: readonly JitArg[], runtimeKind: (a: JitArg, i: number) => RuntimeKind | undefined, opts?: EvalOptions): Trace {
  // Placeholders hold no storage: a trace must not keep its first call's inputs alive, and reading
  // them while tracing is an error anyway (trace.ts).
  const placeholders: (Node | undefined)[] = [];
  const scalars: (Storage | undefined)[] = [];
  const runtime: number[] = [];
  const traceArgs = args.map((a, i) => {
    const kind = runtimeKind(a, i);
    const dtype = a instanceof Tensor ? a.dtype : kind && scalarDTypeOf(kind);
    const p = dtype && placeholder(bufferNode(allocate(dtype, 0), a instanceof Tensor ? a.shape : [], dtype));
    placeholders.push(p);
    scalars.push(kind && allocate(dtype!, 1));
    if (!p) return a;
    if (a instanceof Tensor) return new Tensor(p);
    p.weak = kind;
    runtime.push(i);
    return new RuntimeScalar(p, i);
  });
  counters.traces++;
  let result: JitResult;
  try {
    result = traced(() => fn(...traceArgs));
  } catch (e) {
    // An error of ours while runtime scalars are about is most likely one used where a number is needed.
    if (!(e instanceof TensorError) || runtime.length === 0 || e.message.startsWith('jit: argument')) throw e;
    throw new TensorError(`jit: tracing the function failed: ${e.message}. If that is a number argument: ${staticHint(runtime)}`, { cause: e });
  }
  const outs: unknown[] = [];
  const nesting = Array.isArray(result)
    ? result.map((e: unknown) => (Array.isArray(e) ? e.map((t: unknown) => outs.push(t) - 1) : outs.push(e) - 1))
    : (outs.push(result), undefined);
  if (!outs.every((t) => t instanceof Tensor)) throw new TensorError('jit: the function must return a Tensor or an array of Tensors (or of arrays of Tensors, as valueAndGrad returns)');
  const outputs = (outs as Tensor[]).map((t) => t.node);
  return { placeholders, scalars, outputs, nesting, plan: backendFor(opts) === 'c' ? plan(outputs, opts?.fuse ?? true, placeholders) : undefined };
}
