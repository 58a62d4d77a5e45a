/**
 * Realization: turns the nodes of lazy tensors into buffers the tensors own, on the chosen backend.
 * One call = one program: every output is computed together.
 */
import { config } from './config.js';
import type { Storage } from './dtype.js';
import { TensorError } from './errors.js';
import type { Node } from './graph.js';
import { bufferNode } from './graph.js';
import { evaluate } from './reference.js';
import { counters } from './stats.js';

export interface EvalOptions {
  /** `'c'` compiles fused C; `'ts'` runs the reference interpreter. Default: `TENSORFUSE_BACKEND` or `'c'`. */
  backend?: 'c' | 'ts';
  /** `false` runs one kernel per op with real intermediates (the benchmark baseline). Default true. */
  fuse?: boolean;
}

/** What realize needs of a tensor (kept structural so this module does not import the Tensor class). */
export interface Realizable {
  node: Node;
}

function checkOptions(opts: EvalOptions | undefined): Required<EvalOptions> {
  if (opts !== undefined && (typeof opts !== 'object' || opts === null)) {
    throw new TensorError(`eval: options must be an object like { backend: 'ts' }, got ${String(opts)}`);
  }
  const backend = opts?.backend ?? config().backend;
  if (backend !== 'c' && backend !== 'ts') throw new TensorError(`eval: backend must be 'c' or 'ts', got ${JSON.stringify(backend)}`);
  if (backend === 'c') {
    throw new TensorError("eval: the C backend is not built yet in this version; use { backend: 'ts' } or TENSORFUSE_BACKEND=ts");
  }
  return { backend, fuse: opts?.fuse ?? true };
}

/** Runs a graph; `inputs` can stand in other storage for its buffer nodes (a traced `jit` program). */
export function runNodes(nodes: readonly Node[], opts?: EvalOptions, inputs?: ReadonlyMap<Node, Storage>): Storage[] {
  return run(nodes, checkOptions(opts), inputs);
}

function run(nodes: readonly Node[], _opts: Required<EvalOptions>, inputs?: ReadonlyMap<Node, Storage>): Storage[] {
  const t0 = performance.now();
  const out = evaluate(nodes, inputs);
  counters.runMs += performance.now() - t0;
  counters.evals++;
  return out;
}

export function realize(tensors: readonly Realizable[], opts?: EvalOptions): void {
  const o = checkOptions(opts);
  const pending = [...new Set(tensors.filter((t) => t.node.op !== 'buffer'))];
  if (pending.length === 0) return;
  const unique = [...new Set(pending.map((t) => t.node))];
  const outputs = run(unique, o);
  const byNode = new Map(unique.map((n, i) => [n, outputs[i]]));
  const owned = new Set<Storage>();
  for (const t of pending) {
    let data = byNode.get(t.node)!;
    // Two tensors of the same graph must not share one buffer: each owns what it is given.
    if (owned.has(data)) data = data.slice();
    owned.add(data);
    t.node = bufferNode(data, t.node.shape, t.node.dtype);
  }
}

export async function realizeAsync(tensors: readonly Realizable[], opts?: EvalOptions): Promise<void> {
  checkOptions(opts);
  await new Promise<void>((resolve) => setImmediate(resolve));
  realize(tensors, opts);
}
