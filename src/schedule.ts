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
 * Rule 3's limits on recomputation and rule 2 (epilogues) are in fusion.ts; the graph is scheduled in
 * its canonical form (canonical.ts).
 */
import type { DType } from './dtype.js';
import type { Node } from './graph.js';
import { toposort } from './graph.js';
import type { Canonical } from './canonical.js';
import { consumersOf, coversSource, findEpilogues, regionOf, storeShared } from './fusion.js';
import { isBuffer, isConst, isCopy, isView, opDef, OWN_KERNEL, throughViews } from './ops.js';
import type { View } from './shape.js';
import { isContiguousView, sizeOf } from './shape.js';

// The runtime, explain() and the code generator import these from here.
export type { Canonical } from './canonical.js';
export { canonicalize, scalarPaths, scalarsAlong, scalarsInto, seeded } from './canonical.js';
export { MAX_FUSED_DEPTH, MAX_FUSED_NODES, RECOMPUTE_BUDGET } from './fusion.js';

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
  /**
   * A reduction or matmul whose value this kernel computes first, in its own loop nest, and then
   * feeds to `node` (the epilogue: bias, relu, the division of a mean) without storing it.
   */
  main?: Node;
  /**
   * Where the kernel stores: at these positions of its output buffer (an assign through a view of a
   * larger tensor: `z.slice(...).assign(v)` writes z's storage in place), instead of contiguously.
   */
  store?: View;
}

export interface Program {
  /** The graph scheduled (the outputs, with constants unshared). */
  roots: Node[];
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
  /**
   * Input buffers a kernel overwrites with a new value (`into`: an optimizer step writing the new
   * parameters over the old): every other read of the old value runs before that kernel.
   */
  inPlace: string[];
}

/**
 * Schedules the canonical graph (`canon.outputs`, the graph of `_outputs` with constants unshared).
 * `store`: output 0 is written at the positions of this view of its buffer (see Kernel.store).
 * `into`: output i is computed straight into input buffer `into[i]` (-1: a buffer of its own), where
 * that is safe (see inPlaceWrites); `results` says where each output ended up.
 */
export function schedule(_outputs: readonly Node[], canon: Canonical, fuse: boolean, store?: View, into?: readonly number[]): Program {
  const outputs = canon.outputs;
  const order = toposort(outputs);
  const stored = new Set<Node>();
  for (const n of order) {
    const kind = opDef(n.op).kind;
    if (isBuffer(n)) stored.add(n);
    else if (OWN_KERNEL[kind] || isCopy(n)) stored.add(n);
    else if (!fuse && !isConst(n) && !isView(n)) stored.add(n);
    // A scatter starts from a copy of its base (or writes it in place): the base is a buffer.
    if (kind === 'scatter') stored.add(n.src[0]);
    // A search reads its table at positions it finds while it runs: the table is a buffer.
    const def = opDef(n.op);
    if ('searches' in def && def.searches) stored.add(n.src[0]);
  }
  for (const o of outputs) stored.add(o);
  // matmul reads each input element many times: a computed input is stored first, not recomputed.
  for (const n of order) {
    if (opDef(n.op).kind !== 'matmul') continue;
    for (const s of n.src.map(throughViews)) if (!isConst(s)) stored.add(s);
  }
  const consumers = consumersOf(order);
  // A gather is computed whole where something reads only part of it (a slice of it, a gather from it):
  // its index checks then see every index, as the reference's and unfused C's do.
  const checksIndices = (m: Node) => { const d = opDef(m.op); return 'checksIndices' in d && d.checksIndices === true; };
  for (const n of order) {
    if (!checksIndices(n) || stored.has(n)) continue;
    const readers = consumers.get(n) ?? [];
    if (readers.some((r) => (isView(r) && !coversSource(r)) || (checksIndices(r) && r.src[0] === n))) stored.add(n);
  }
  if (fuse) storeShared(order, stored, consumers);

  // An output that is a contiguous reshape of a computed elementwise value: the value itself is computed
  // into the output's buffer (sharesWith below), so that it can be the epilogue of the matmul or
  // reduction it reads (conv2d's bias is added at the matmul's shape, then reshaped to NCHW).
  if (fuse && !store) {
    for (const o of outputs) {
      const src = isView(o) ? o.src[0] : undefined;
      if (src && !outputs.includes(src) && opDef(src.op).kind === 'elementwise' && isContiguousView(o.arg as unknown as View) && sizeOf(o.shape) === sizeOf(src.shape)) stored.add(src);
    }
  }
  const epilogues = fuse ? findEpilogues(order, outputs, stored, consumers) : new Map<Node, Node>();
  // Written through a view (assign into a slice), output 0 is an elementwise kernel storing at the view's
  // positions; an epilogue writes at its own contiguous positions, so it cannot be output 0.
  if (store) epilogues.delete(outputs[0]);
  for (const r of epilogues.values()) stored.delete(r);

  // An output that is only a reshape of a stored node (x.sum() is sum-with-keepdims then a reshape)
  // shares that node's buffer: the kernel writes the output directly, no copy kernel.
  const sharesWith = new Map<Node, Node>();
  for (const o of store ? [] : outputs) {
    if (!isView(o)) continue;
    const src = o.src[0];
    const v = o.arg as unknown as View;
    if (isContiguousView(v) && sizeOf(o.shape) === sizeOf(src.shape) && stored.has(src) && !isBuffer(src) &&
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
  let stages = order.filter((n) => stored.has(n) && !isBuffer(n));
  const writes = into && !store ? inPlaceWrites(outputs, canon.inputs, into, stored, sharesWith) : new Map<Node, Node>();
  if (writes.size) stages = orderForWrites(stages, stored, writes);
  const outputsInfo: BufferInfo[] = [];
  outputs.forEach((n, i) => {
    if (storage.has(n)) return;
    const target = writes.get(sharesWith.get(n) ?? n);
    const name = target && into && canon.inputs[into[i]] === target ? storage.get(target)! : `out${outputsInfo.length}`;
    storage.set(n, name);
    const shared = sharesWith.get(n);
    if (shared) storage.set(shared, name);
    if (name.startsWith('out')) outputsInfo.push({ name, dtype: n.dtype, shape: n.shape });
  });
  // The workspace: a temporary takes a buffer whose previous value is dead (its last reader ran
  // before this kernel), of the same dtype and at least its size; otherwise a new one. Planned once
  // per program; the buffers live with the compiled program and are reused by every call.
  const lastRead = new Map<Node, number>();
  stages.forEach((n, i) => {
    for (const leaf of regionOf(n, stored).leaves) lastRead.set(leaf, i);
  });
  const temps: BufferInfo[] = [];
  const freeAfter = new Map<string, number>(); // workspace buffer → index of the kernel that last reads it
  const kernels: Kernel[] = [];
  stages.forEach((n, i) => {
    if (!storage.has(n)) {
      const size = sizeOf(n.shape);
      const reuse = temps.find((t) => t.dtype === n.dtype && sizeOf(t.shape) >= size && freeAfter.get(t.name)! < i);
      const name = reuse?.name ?? `tmp${temps.length}`;
      if (!reuse) temps.push({ name, dtype: n.dtype, shape: [size] });
      storage.set(n, name);
      freeAfter.set(name, lastRead.get(n) ?? i);
    }
    const k = makeKernel(n, storage.get(n)!, stored, kernels.length, epilogues.get(n));
    kernels.push(store && n === outputs[0] ? { ...k, name: `${k.name.replace(/_flat$/, '')}_into`, flat: false, store } : k);
  });
  const results = outputs.map((n) => storage.get(n)!);
  const inPlace = [...writes.values()].map((b) => storage.get(b)!);
  return { roots: outputs, key: canon.key, inputs, outputs: outputsInfo, temps, scalars: canon.scalars.length, kernels, results, storage, slots: canon.slots, inPlace };
}

/**
 * The kernels that can compute an output straight into its `into` input buffer: writer stage → the
 * buffer node it overwrites. The stage is the output's own (or the node it shares a buffer with); an
 * output that is an input, or that appears twice, is not written in place; nor is one whose buffer is
 * still read (old) by a kernel that must run after it (see orderForWrites). Whether the writing kernel
 * itself reads the buffer only at the index it writes is for the code generator to tell (inPlaceUnsafe).
 */
function inPlaceWrites(outputs: readonly Node[], inputs: readonly Node[], into: readonly number[], stored: ReadonlySet<Node>, sharesWith: ReadonlyMap<Node, Node>): Map<Node, Node> {
  const writes = new Map<Node, Node>();
  const taken = new Set<Node>();
  outputs.forEach((o, i) => {
    const b = into[i] >= 0 ? inputs[into[i]] : undefined;
    if (!b || outputs.indexOf(o) !== i || taken.has(b)) return;
    const w = !isBuffer(o) && stored.has(o) ? o : sharesWith.get(o);
    if (!w || writes.has(w)) return;
    writes.set(w, b);
    taken.add(b);
  });
  return writes;
}

/**
 * The stages in an order where, as far as their dependencies allow, every stage that reads the old
 * value of a buffer runs before the stage that overwrites it: topological order, a writer taken only
 * once no other unfinished stage reads its buffer (or, when none else is ready, the first ready stage
 * in the original order). A writer that still had readers to come when it was taken loses its write
 * (`writes` is updated): its output gets a buffer of its own.
 */
function orderForWrites(stages: readonly Node[], stored: ReadonlySet<Node>, writes: Map<Node, Node>): Node[] {
  const at = new Map(stages.map((n, i) => [n, i]));
  const waiting = new Map<Node, number>(); // stage → stages it reads not yet run
  const readersOf = new Map<Node, Node[]>(); // stage → stages that read it
  const left = new Map<Node, number>(); // overwritten buffer → its readers not yet run
  const reads = new Map<Node, Set<Node>>();
  for (const n of stages) {
    const leaves = regionOf(n, stored).leaves;
    reads.set(n, leaves);
    let deps = 0;
    for (const l of leaves) {
      if (at.has(l)) {
        deps++;
        const r = readersOf.get(l);
        if (r) r.push(n);
        else readersOf.set(l, [n]);
      } else if (isBuffer(l)) left.set(l, (left.get(l) ?? 0) + 1);
    }
    waiting.set(n, deps);
  }
  const othersLeft = (w: Node): number => {
    const b = writes.get(w)!;
    return (left.get(b) ?? 0) - (reads.get(w)!.has(b) ? 1 : 0);
  };
  // Ready stages by original position (few at a time: a scan of them is cheap).
  const ready = stages.filter((n) => waiting.get(n) === 0);
  const out: Node[] = [];
  while (ready.length) {
    let j = ready.findIndex((n) => !writes.has(n) || othersLeft(n) === 0);
    if (j < 0) j = 0;
    const n = ready.splice(j, 1)[0];
    if (writes.has(n) && othersLeft(n) > 0) writes.delete(n);
    out.push(n);
    for (const l of reads.get(n)!) if (left.has(l)) left.set(l, left.get(l)! - 1);
    for (const r of readersOf.get(n) ?? []) {
      const d = waiting.get(r)! - 1;
      waiting.set(r, d);
      if (d === 0) {
        const i = at.get(r)!;
        let k = ready.findIndex((m) => at.get(m)! > i);
        if (k < 0) k = ready.length;
        ready.splice(k, 0, r);
      }
    }
  }
  return out;
}

function makeKernel(n: Node, out: string, stored: ReadonlySet<Node>, index: number, main?: Node): Kernel {
  if (main) {
    const inner = makeKernel(main, out, stored, index);
    const tail = makeKernel(n, out, new Set([...stored, main]), index);
    return { ...inner, node: n, main, ops: [...inner.ops, ...tail.ops] };
  }
  const kind = opDef(n.op).kind;
  const letter = OWN_KERNEL[kind]?.letter ?? (isCopy(n) ? 'C' : 'E');
  const ops: string[] = [];
  let flat = OWN_KERNEL[kind] === undefined;
  // Depth first from the root, sources in order (an explicit stack: expressions can be deep).
  const seen = new Set<Node>([n]);
  const todo: Node[] = [n];
  while (todo.length) {
    const m = todo.pop()!;
    if (!isConst(m) && !isBuffer(m) && !isView(m)) ops.push(m.op);
    const def = opDef(m.op);
    if (('reindexes' in def && def.reindexes) || ('readsAxis0' in def && def.readsAxis0 && n.shape.length > 1)) flat = false;
    // (a view of a constant, or of one stored element broadcast, loads the same value at every position)
    if (isView(m) && !isConst(m.src[0]) && !((isBuffer(m.src[0]) || stored.has(m.src[0])) && sizeOf(m.src[0].shape) === 1)) flat = false;
    if (m === n && (kind === 'reduce' || kind === 'matmul' || kind === 'kernel')) continue;
    for (let i = m.src.length - 1; i >= 0; i--) {
      const s = m.src[i];
      if (seen.has(s) || stored.has(s)) continue;
      seen.add(s);
      todo.push(s);
    }
  }
  const dims = n.shape.length ? n.shape.join('_') : 'scalar';
  return { name: flat && sizeOf(n.shape) > 0 ? `${letter}${index}_flat` : `${letter}${index}_${dims}`, node: n, out, flat: flat && sizeOf(n.shape) > 0, ops: ops.reverse() };
}
