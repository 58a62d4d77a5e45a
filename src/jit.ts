/**
 * `jit(fn)`: traces `fn` once per input signature (shapes, dtypes, scalar values) into a graph over
 * placeholder buffers; later calls with the same signature run that graph on the new inputs without
 * calling `fn` or building nodes again. `fn` must be pure tensor code (no eval or data() inside).
 */
import type { Storage } from './dtype.js';
import { TensorError } from './errors.js';
import type { Node } from './graph.js';
import { bufferNode } from './graph.js';
import type { EvalOptions } from './realize.js';
import { backendFor, owning, runNodes } from './realize.js';
import type { Prepared } from './runtime/run.js';
import { invoke, prepare } from './runtime/run.js';
import { counters } from './stats.js';
import { describe, fmtShape } from './shape.js';
import { Tensor } from './tensor.js';
import { placeholder, traced, tracing } from './trace.js';
import { allocate } from './dtype.js';

type JitArg = Tensor | number | boolean;

/** Signatures a jit function keeps traces for (oldest dropped first). */
const MAX_TRACES = 64;

/** A realized tensor owning a result buffer. */
const wrap = (n: Node, data: Storage): Tensor => new Tensor(owning(n, data));

interface Trace {
  placeholders: (Node | undefined)[];
  outputs: Node[];
  single: boolean;
  /** The compiled program and its argument plan, on the C backend. */
  prepared?: Prepared;
}

export function jit<A extends JitArg[], R extends Tensor | Tensor[]>(fn: (...args: A) => R, opts?: EvalOptions): (...args: A) => R {
  if (typeof fn !== 'function') throw new TensorError('jit: expected a function of tensors');
  const traces = new Map<string, Trace>();
  // The previous call's signature: its arguments' shapes and dtypes (not the tensors, which would keep
  // the caller's data alive for as long as this function lives) and numbers.
  let last: { sig: (Node | number | boolean)[]; trace: Trace } | undefined;
  // The common case, a loop calling with the same shapes: compare with the previous call, no strings.
  const sameSignature = (args: readonly JitArg[]): boolean => {
    if (!last || last.sig.length !== args.length) return false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i], b = last.sig[i];
      if (a instanceof Tensor) {
        if (typeof b !== 'object' || a.dtype !== b.dtype || a.node.shape.length !== b.shape.length) return false;
        for (let d = 0; d < b.shape.length; d++) if (a.node.shape[d] !== b.shape[d]) return false;
      } else if (!Object.is(a, b)) return false;
    }
    return true;
  };
  return (...args: A): R => {
    // Called from inside another function being traced: this one's operations join that trace.
    if (tracing()) return fn(...args);
    if (last?.trace.prepared && sameSignature(args)) {
      const inputs: (Storage | undefined)[] = [];
      let realized = true;
      for (const a of args) {
        if (a instanceof Tensor) {
          realized &&= a.node.op === 'buffer';
          inputs.push(a.node.data);
        } else inputs.push(undefined);
      }
      if (realized) {
        const trace = last.trace;
        counters.evals++;
        const data = invoke(trace.prepared!, inputs);
        if (trace.single) return wrap(trace.outputs[0], data[0]) as R;
        return trace.outputs.map((n, i) => wrap(n, data[i])) as R;
      }
    }
    const key = args.map((a, i) => {
      if (a instanceof Tensor) return `${a.dtype}${fmtShape(a.shape)}`;
      if (typeof a === 'number' || typeof a === 'boolean') return `${typeof a}:${Object.is(a, -0) ? '-0' : String(a)}`;
      throw new TensorError(`jit: argument ${i} must be a Tensor, number or boolean, got ${describe(a)}`);
    }).join(';');
    const inputs = args.map((a) => (a instanceof Tensor ? a.storage('jit') : undefined));
    let trace = traces.get(key);
    if (!trace) {
      // Placeholders hold no storage: a trace must not keep its first call's inputs alive, and reading
      // them while tracing is an error anyway (trace.ts).
      const placeholders = args.map((a) => (a instanceof Tensor ? placeholder(bufferNode(allocate(a.dtype, 0), a.shape, a.dtype)) : undefined));
      const result = traced(() => fn(...(args.map((a, i) => (placeholders[i] ? new Tensor(placeholders[i]!) : a)) as A)));
      const outs = Array.isArray(result) ? result : [result];
      if (!outs.every((t) => t instanceof Tensor)) throw new TensorError('jit: the function must return a Tensor or an array of Tensors');
      const outputs = outs.map((t) => t.node);
      const prepared = backendFor(opts) === 'c' ? prepare(outputs, opts?.fuse ?? true, placeholders) : undefined;
      trace = { placeholders, outputs, single: !Array.isArray(result), prepared };
      // Numbers are part of the signature: a loop over changing scalars must not grow this forever.
      if (traces.size >= MAX_TRACES) traces.delete(traces.keys().next().value!);
      traces.set(key, trace);
    }
    // A placeholder stands for a tensor argument: it has the shape and dtype, and no storage.
    const t = trace;
    last = { sig: args.map((a, i) => (a instanceof Tensor ? t.placeholders[i]! : (a as number | boolean))), trace };
    let data: Storage[];
    if (trace.prepared) {
      counters.evals++;
      data = invoke(trace.prepared, inputs);
    } else {
      const bind = new Map<Node, Storage>();
      trace.placeholders.forEach((p, i) => p && bind.set(p, inputs[i]!));
      data = runNodes(trace.outputs, opts, bind);
    }
    if (trace.single) return wrap(trace.outputs[0], data[0]) as R;
    return trace.outputs.map((n, i) => wrap(n, data[i])) as R;
  };
}
