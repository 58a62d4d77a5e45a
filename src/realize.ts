/**
 * Realization: turns the nodes of lazy tensors into buffers the tensors own, on the chosen backend.
 * One call = one program: every output is computed together.
 */
import { backendIsExplicit, config } from './config.js';
import type { Storage } from './dtype.js';
import { CompilerNotFoundError, TensorError } from './errors.js';
import { toolchain } from './runtime/compiler.js';
import { runC, runCAsync, runCInto, runCWrites } from './runtime/run.js';
import { runTemplate } from './runtime/pending.js';
import type { Pending } from './memo.js';
import { track } from './runtime/pool.js';
import type { Node } from './graph.js';
import { bufferNode } from './graph.js';
import { isBuffer } from './ops.js';
import { evaluate } from './reference.js';
import { describe } from './shape.js';
import { onGradientPath } from './trace.js';
import { counters } from './stats.js';
import type { View } from './shape.js';
import { viewIndices } from './shape.js';

export interface EvalOptions {
  /** `'c'` compiles fused C; `'ts'` runs the reference interpreter. Default: `TENSORFUSE_BACKEND` or `'c'`. */
  backend?: 'c' | 'ts';
  /** `false` runs one kernel per op with real intermediates (the benchmark baseline). Default true. */
  fuse?: boolean;
}

/** What realize needs of a tensor (kept structural so this module does not import the Tensor class). */
export interface Realizable {
  node: Node;
  /** The template a tensor with pending numbers was recorded as, and those numbers (memo.ts). */
  held?: Node;
  over?: readonly Pending[];
  /** A view's link to the tensor it views (Tensor.base): a realized tensor owns its buffer instead. */
  base?: unknown;
}

function checkOptions(opts: EvalOptions | undefined): Required<EvalOptions> {
  if (opts !== undefined && (typeof opts !== 'object' || opts === null)) {
    throw new TensorError(`eval: options must be an object like { backend: 'ts' }, got ${describe(opts)}`);
  }
  const backend: unknown = opts?.backend ?? config().backend;
  if (backend !== 'c' && backend !== 'ts') throw new TensorError(`eval: backend must be 'c' or 'ts', got ${describe(backend)}`);
  const fuse: unknown = opts?.fuse ?? true;
  if (typeof fuse !== 'boolean') throw new TensorError(`eval: fuse must be true or false, got ${describe(fuse)}`);
  return { backend, fuse };
}

/** The backend an eval with these options would use ('c' only when a compiler is there). */
export function backendFor(opts?: EvalOptions): 'c' | 'ts' {
  return useC(checkOptions(opts), explicitly(opts)) ? 'c' : 'ts';
}

/** Runs a graph; `inputs` can stand in other storage for its buffer nodes (a traced `jit` program). */
export function runNodes(nodes: readonly Node[], opts?: EvalOptions, inputs?: ReadonlyMap<Node, Storage>): Storage[] {
  return compute(nodes, checkOptions(opts), inputs, explicitly(opts));
}

let warnedNoCompiler = false;

/**
 * Whether to use the C backend: with no compiler, the default falls back to the reference with one
 * warning; an explicit request for C (option, TENSORFUSE_BACKEND=c or configure) fails instead.
 */
function useC(opts: Required<EvalOptions>, explicit: boolean): boolean {
  if (opts.backend !== 'c') return false;
  try {
    toolchain();
    return true;
  } catch (e) {
    if (!(e instanceof CompilerNotFoundError) || explicit) throw e;
    if (!warnedNoCompiler) {
      warnedNoCompiler = true;
      process.emitWarning(`${e.message}; tensorfuse falls back to its TypeScript reference backend (slow). Set TENSORFUSE_BACKEND=ts to silence this, or =c to make it an error.`, 'TensorfuseWarning');
    }
    return false;
  }
}

/** One eval of `nodes` on the chosen backend, counted in stats().evals. */
function compute(nodes: readonly Node[], opts: Required<EvalOptions>, inputs?: ReadonlyMap<Node, Storage>, explicit = false): Storage[] {
  counters.evals++;
  if (useC(opts, explicit)) return runC(nodes, opts.fuse, inputs);
  const t0 = performance.now();
  const out = evaluate(nodes, inputs);
  counters.runMs += performance.now() - t0;
  return out;
}

const explicitly = (opts: EvalOptions | undefined): boolean => opts?.backend !== undefined || backendIsExplicit();

function pendingOf(tensors: readonly Realizable[]): { pending: Realizable[]; unique: Node[] } {
  // Inside a function being differentiated, what depends on its arguments stays lazy (onGradientPath).
  const pending = [...new Set(tensors.filter((t) => !isBuffer(t.node) && !onGradientPath(t.node)))];
  return { pending, unique: [...new Set(pending.map((t) => t.node))] };
}

export function realize(tensors: readonly Realizable[], opts?: EvalOptions): void {
  const o = checkOptions(opts);
  if (tensors.length === 1) {
    // One tensor (t.eval(), data(), toArray()): the common case, without the sets and maps below.
    const t = tensors[0];
    if (t.over !== undefined && !onGradientPath(t.held!) && useC(o, explicitly(opts))) {
      // Pending numbers: the template's program with them in its scalar slots, when it is kept.
      const out = runTemplate(t.held!, t.over, o.fuse);
      if (out !== undefined) {
        counters.evals++;
        t.node = owning(t.held!, out);
        t.base = undefined;
        return;
      }
    }
    if (isBuffer(t.node) || onGradientPath(t.node)) return;
    t.node = owning(t.node, compute([t.node], o, undefined, explicitly(opts))[0]);
    t.base = undefined;
    return;
  }
  const { pending, unique } = pendingOf(tensors);
  if (pending.length === 0) return;
  adopt(pending, unique, compute(unique, o, undefined, explicitly(opts)));
}

/** Hands each tensor its output buffer. */
function adopt(pending: readonly Realizable[], unique: readonly Node[], outputs: readonly Storage[]): void {
  const byNode = new Map(unique.map((n, i) => [n, outputs[i]]));
  const owned = new Set<Storage>();
  for (const t of pending) {
    let data = byNode.get(t.node)!;
    // Two tensors of the same graph must not share one buffer: each owns what it is given.
    if (owned.has(data)) data = data.slice();
    owned.add(data);
    t.node = owning(t.node, data);
    t.base = undefined;
  }
}

/** The buffer node that realizes `n` with `data`; its storage is recycled when the node is collected. */
export function owning(n: Node, data: Storage): Node {
  const node = bufferNode(data, n.shape, n.dtype);
  track(node, data);
  return node;
}

/**
 * Writes the value of `value` into the storage of buffer node `target` (see Tensor.assign): all of it,
 * or, through a view, the elements at the positions `store` gives.
 */
export function assignInto(target: Node, value: Node, opts?: EvalOptions, store?: View): void {
  const o = checkOptions(opts);
  counters.evals++;
  if (useC(o, explicitly(opts))) return runCInto(value, target, o.fuse, store);
  const t0 = performance.now();
  const [v] = evaluate([value]); // computed completely before anything is written
  counters.runMs += performance.now() - t0;
  const data = target.data!;
  if (!store) return data.set(v);
  const at = viewIndices(store);
  for (let i = 0; i < at.length; i++) data[at[i]] = v[i];
}

/**
 * Realizes `tensors` and computes `values` in one program, writing `values[i]` into the storage of
 * buffer node `targets[i]` (same shape and dtype): what an evalAll of them all followed by one assign
 * per target gives, bit for bit, but in one call and, on the C backend, mostly without copies (each
 * value computed straight into its target where that is safe, see runCWrites). Every value and tensor
 * is computed from the targets as they were before the call.
 */
export function realizeWrites(targets: readonly Node[], values: readonly Node[], tensors: readonly Realizable[], opts?: EvalOptions): void {
  const o = checkOptions(opts);
  const { pending, unique } = pendingOf(tensors);
  // A value that is a buffer already is a copy, of the contents it has now (before any target is written).
  const copies = values.flatMap((v, i) => (isBuffer(v) && v !== targets[i] ? [[targets[i], v.data!.slice()] as const] : []));
  const computed = values.flatMap((v, i) => (isBuffer(v) ? [] : [i]));
  const nodes = [...unique, ...computed.map((i) => values[i])];
  const into = [...unique.map(() => undefined), ...computed.map((i) => targets[i])];
  if (nodes.length) {
    counters.evals++;
    let out: Storage[];
    if (useC(o, explicitly(opts))) out = runCWrites(nodes, into, o.fuse);
    else {
      const t0 = performance.now();
      out = evaluate(nodes);
      counters.runMs += performance.now() - t0;
      // (a result may be a target's own storage, such as an identity view of it: read it before any write)
      const written = new Set(into.map((t) => t?.data?.buffer));
      out = out.map((s) => (written.has(s.buffer) ? s.slice() : s));
      into.forEach((t, i) => t && t.data!.set(out[i]));
    }
    adopt(pending, unique, out.slice(0, unique.length));
  }
  for (const [t, data] of copies) t.data!.set(data);
}

/** Compiles in a child process and runs the program on a koffi worker thread. */
export async function realizeAsync(tensors: readonly Realizable[], opts?: EvalOptions): Promise<void> {
  const o = checkOptions(opts);
  const { pending, unique } = pendingOf(tensors);
  if (pending.length === 0) return;
  counters.evals++;
  if (useC(o, explicitly(opts))) {
    const outputs = await runCAsync(unique, o.fuse);
    // Another eval may have realized some of these meanwhile; only still-lazy tensors adopt results.
    const still = pending.filter((t) => !isBuffer(t.node));
    const index = new Map(unique.map((n, i) => [n, i]));
    adopt(still, still.map((t) => t.node), still.map((t) => outputs[index.get(t.node)!]));
    return;
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
  const t0 = performance.now();
  const outputs = evaluate(unique);
  counters.runMs += performance.now() - t0;
  adopt(pending, unique, outputs);
}
