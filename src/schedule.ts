/**
 * Scheduling: which nodes are stored to memory and which are fused into the loop that reads them.
 * The result is a Program — plain, printable data: input/output/temporary buffers, scalar slots and
 * an ordered list of kernels, each computing one stored node over its index space.
 *
 * Fusion rules (SPEC §3):
 *  1. elementwise and movement ops fuse into one loop over the output's index space; views become
 *     index arithmetic on loads, broadcast is stride 0, constants are runtime scalars;
 *  3. a node is stored when it is an output, `contiguous()`, a reduction or matmul (their own loop
 *     nests), or an expensive value read through a view (it would be recomputed per element);
 *  unfused (`fuse: false`): every op is stored, one kernel per op — the benchmark baseline.
 */
import type { DType } from './dtype.js';
import type { Node } from './graph.js';
import { argKey, toposort } from './graph.js';
import { opDef } from './ops.js';
import { seedKey } from './rng.js';
import type { View } from './shape.js';
import { fmtShape, isContiguousView, sizeOf } from './shape.js';

export interface BufferInfo {
  /** C identifier of the buffer (`in0`, `out0`, `tmp0`). */
  name: string;
  dtype: DType;
  shape: readonly number[];
}

export interface Kernel {
  /** Kind and shape: `E_4096_4096` (elementwise), `R_…` (reduce), `M_…` (matmul), `C_…` (copy). */
  name: string;
  /** The node this kernel stores. */
  node: Node;
  /** Name of the buffer it writes. */
  out: string;
  /** One flat loop over a runtime length: every load is at the output's own index. */
  flat: boolean;
  /** Ops fused into this kernel, for the header comment and explain(). */
  ops: string[];
}

export interface Program {
  /** Structural key: equal keys compile to the same C (scalar values and buffer identities excluded). */
  key: string;
  inputs: BufferInfo[];
  outputs: BufferInfo[];
  temps: BufferInfo[];
  /** Number of runtime scalar slots (constants and random seeds). */
  scalars: number;
  kernels: Kernel[];
  /** Buffer holding each requested output, by position (an output may be an input buffer itself). */
  results: string[];
  /** Where each stored or input node of the graph it was scheduled from lives. */
  storage: Map<Node, string>;
  /** Scalar slot of each `const` and `rand` node. */
  slots: Map<Node, number>;
}

/** The graph's structure with buffers and numbers abstracted: what decides the generated code. */
export interface Canonical {
  key: string;
  /** Buffer nodes in argument order. */
  inputs: Node[];
  /** Scalar values in slot order. */
  scalars: number[];
  slots: Map<Node, number>;
}

export function canonicalize(outputs: readonly Node[], fuse: boolean): Canonical {
  const order = toposort(outputs);
  const local = new Map<Node, number>();
  const inputs: Node[] = [];
  const scalars: number[] = [];
  const slots = new Map<Node, number>();
  const parts: string[] = [fuse ? 'fused' : 'unfused'];
  for (const n of order) {
    local.set(n, local.size);
    const src = n.src.map((s) => local.get(s)).join(',');
    if (n.op === 'buffer') {
      parts.push(`in${inputs.length} ${n.dtype} ${fmtShape(n.shape)}`);
      inputs.push(n);
    } else if (n.op === 'const' || n.op === 'rand') {
      slots.set(n, scalars.length);
      parts.push(`${n.op} ${n.dtype} ${fmtShape(n.shape)} s${scalars.length}`);
      // rand's C side takes the mixed key, not the seed.
      scalars.push(n.op === 'rand' ? seedKey(n.arg as number) : (n.arg as number));
    } else {
      parts.push(`${n.op} ${n.dtype} ${fmtShape(n.shape)} ${argKey(n.arg)} (${src})`);
    }
  }
  parts.push(`out ${outputs.map((o) => local.get(o)).join(',')}`);
  return { key: parts.join('\n'), inputs, scalars, slots };
}

/** Relative cost of recomputing a node once per element (transcendentals are expensive). */
const EXPENSIVE = new Set(['exp', 'log', 'log1p', 'expm1', 'sin', 'cos', 'tan', 'tanh', 'pow', 'sqrt', 'mod', 'div']);

function cost(n: Node, stored: ReadonlySet<Node>, memo: Map<Node, number>): number {
  if (stored.has(n)) return 0;
  const hit = memo.get(n);
  if (hit !== undefined) return hit;
  let c = EXPENSIVE.has(n.op) ? 8 : opDef(n.op).kind === 'elementwise' || n.op === 'rand' ? 1 : 0;
  for (const s of n.src) c += cost(s, stored, memo);
  memo.set(n, c);
  return c;
}

/** A view that reads some source element more than once (stride 0 over a dim longer than 1). */
const broadcasts = (n: Node): boolean => {
  const v = n.arg as unknown as { shape: number[]; strides: number[] };
  return v.strides.some((s, i) => s === 0 && v.shape[i] > 1);
};

export function schedule(outputs: readonly Node[], canon: Canonical, fuse: boolean): Program {
  const order = toposort(outputs);
  const stored = new Set<Node>();
  for (const n of order) {
    const kind = opDef(n.op).kind;
    if (n.op === 'buffer') stored.add(n);
    else if (kind === 'reduce' || kind === 'matmul' || kind === 'kernel' || n.op === 'contiguous') stored.add(n);
    else if (!fuse && n.op !== 'const' && n.op !== 'view') stored.add(n);
  }
  for (const o of outputs) stored.add(o);
  // matmul reads each input element many times: a computed input is stored first, not recomputed.
  for (const n of order) {
    if (opDef(n.op).kind !== 'matmul') continue;
    for (let s of n.src) {
      while (s.op === 'view') s = s.src[0];
      if (s.op !== 'const') stored.add(s);
    }
  }
  if (fuse) {
    // An expensive value read through a broadcasting view would be recomputed for every copy: store it.
    const memo = new Map<Node, number>();
    for (const n of order) {
      if (n.op === 'view' && broadcasts(n) && cost(n.src[0], stored, memo) >= 8) stored.add(n.src[0]);
    }
  }

  // An output that is only a reshape of a stored node (x.sum() is sum-with-keepdims then a reshape)
  // shares that node's buffer: the kernel writes the output directly, no copy kernel.
  const sharesWith = new Map<Node, Node>();
  for (const o of outputs) {
    if (o.op !== 'view') continue;
    const src = o.src[0];
    const v = o.arg as unknown as View;
    if (isContiguousView(v) && sizeOf(o.shape) === sizeOf(src.shape) && stored.has(src) && src.op !== 'buffer' &&
        !outputs.includes(src) && ![...sharesWith.values()].includes(src)) {
      sharesWith.set(o, src);
      stored.delete(o);
    }
  }

  const storage = new Map<Node, string>();
  const inputs: BufferInfo[] = canon.inputs.map((n, i) => {
    storage.set(n, `in${i}`);
    return { name: `in${i}`, dtype: n.dtype, shape: n.shape };
  });
  const outputsInfo: BufferInfo[] = [];
  outputs.forEach((n) => {
    if (storage.has(n)) return;
    const name = `out${outputsInfo.length}`;
    storage.set(n, name);
    const shared = sharesWith.get(n);
    if (shared) storage.set(shared, name);
    outputsInfo.push({ name, dtype: n.dtype, shape: n.shape });
  });
  const temps: BufferInfo[] = [];
  const kernels: Kernel[] = [];
  for (const n of order) {
    if (!stored.has(n) || n.op === 'buffer') continue;
    if (!storage.has(n)) {
      const name = `tmp${temps.length}`;
      storage.set(n, name);
      temps.push({ name, dtype: n.dtype, shape: n.shape });
    }
    kernels.push(makeKernel(n, storage.get(n)!, stored, kernels.length));
  }
  const results = outputs.map((n) => storage.get(n)!);
  return { key: canon.key, inputs, outputs: outputsInfo, temps, scalars: canon.scalars.length, kernels, results, storage, slots: canon.slots };
}

function makeKernel(n: Node, out: string, stored: ReadonlySet<Node>, index: number): Kernel {
  const kind = opDef(n.op).kind;
  const letter = kind === 'reduce' ? 'R' : kind === 'matmul' ? 'M' : kind === 'kernel' ? 'K' : n.op === 'contiguous' ? 'C' : 'E';
  const ops: string[] = [];
  let flat = kind !== 'reduce' && kind !== 'matmul' && kind !== 'kernel';
  const seen = new Set<Node>();
  const visit = (m: Node, root: boolean): void => {
    if (seen.has(m) || (!root && stored.has(m))) return;
    seen.add(m);
    if (m.op !== 'const' && m.op !== 'buffer' && m.op !== 'view') ops.push(m.op);
    if (m.op === 'pad' || (m.op === 'iota' && n.shape.length > 1)) flat = false;
    if (m.op === 'view' && m.src[0].op !== 'const') flat = false;
    if (m === n && (kind === 'reduce' || kind === 'matmul' || kind === 'kernel')) return;
    for (const s of m.src) visit(s, false);
  };
  visit(n, true);
  const dims = n.shape.length ? n.shape.join('_') : 'scalar';
  return { name: flat && sizeOf(n.shape) > 0 ? `${letter}${index}_flat` : `${letter}${index}_${dims}`, node: n, out, flat: flat && sizeOf(n.shape) > 0, ops: ops.reverse() };
}
