/**
 * The fusion rules schedule.ts applies beyond a kernel per stored node (SPEC §3): rule 3, store what
 * fusing would recompute too often or grow too large (storeShared), and rule 2, compute a reduction or
 * matmul inside the one elementwise kernel that reads it (findEpilogues); with the graph walks they
 * share with the scheduler: each node's readers, and a kernel's region and leaves.
 */
import { isFloat } from './dtype.js';
import type { Node } from './graph.js';
import { costOf, EXPENSIVE, isBuffer, isConst, isView, opDef, OWN_KERNEL } from './ops.js';
import type { View } from './shape.js';
import { isContiguousView, sameShape, sizeOf } from './shape.js';

/**
 * Fusion never blows up (rule 3): a node whose value would be recomputed in several places is stored
 * instead, decided in one pass over the nodes in topological order, with each node's cost of
 * recomputation per element counted through its fused (not stored) sources:
 *  - read through a broadcasting view, and expensive (it would be recomputed for every copy);
 *  - read at several index maps (a stencil's five shifted slices of one padded value, each a distinct
 *    view), with (maps - 1) x cost past RECOMPUTE_BUDGET: recorded lazily, k such steps would otherwise
 *    grow the code as 5^k;
 *  - deeper than MAX_FUSED_DEPTH, or standing for more than MAX_FUSED_NODES nodes of expression tree:
 *    code generation walks an expression recursively and emits each (node, index) it meets, so this
 *    bounds both the stack and the size of one kernel's C.
 */
export const RECOMPUTE_BUDGET = 16;
export const MAX_FUSED_DEPTH = 128;
export const MAX_FUSED_NODES = 4096;

export function storeShared(order: readonly Node[], stored: Set<Node>, consumers: ReadonlyMap<Node, Node[]>): void {
  const cost = new Map<Node, number>();
  const depth = new Map<Node, number>();
  const nodes = new Map<Node, number>();
  for (const n of order) {
    let c = costOf(opDef(n.op));
    let d = 0, size = 1;
    for (const s of n.src) {
      if (stored.has(s)) continue;
      c += cost.get(s)!;
      d = Math.max(d, depth.get(s)!);
      size += nodes.get(s)!;
    }
    cost.set(n, c);
    depth.set(n, d + 1);
    nodes.set(n, size);
    if (stored.has(n) || isView(n) || isConst(n) || n.src.length === 0) continue;
    const readers = consumers.get(n) ?? [];
    const moved = readers.filter((r) => opDef(r.op).kind === 'movement').length;
    const maps = moved + (moved < readers.length ? 1 : 0);
    if ((c >= EXPENSIVE && readers.some((r) => isView(r) && broadcasts(r))) ||
        (maps > 1 && (maps - 1) * c > RECOMPUTE_BUDGET) || d + 1 > MAX_FUSED_DEPTH || size > MAX_FUSED_NODES) {
      stored.add(n);
    }
  }
}

/** Whether a view reads every element of its source (a permutation, reshape, flip or broadcast of all of it). */
export function coversSource(n: Node): boolean {
  const v = n.arg as unknown as View;
  return v.shape.reduce((k, d, i) => (v.strides[i] !== 0 ? k * d : k), 1) === sizeOf(n.src[0].shape);
}

/** A view that reads some source element more than once (stride 0 over a dim longer than 1). */
const broadcasts = (n: Node): boolean => {
  const v = n.arg as unknown as { shape: number[]; strides: number[] };
  return v.strides.some((s, i) => s === 0 && v.shape[i] > 1);
};

/**
 * What a kernel computing `root` computes in its own loops (its region) and which stored values it
 * loads (its leaves).
 */
export function regionOf(root: Node, stored: ReadonlySet<Node>): { region: Set<Node>; leaves: Set<Node> } {
  const region = new Set<Node>([root]);
  const leaves = new Set<Node>();
  const todo = [root];
  while (todo.length) {
    for (const s of todo.pop()!.src) {
      if (stored.has(s)) leaves.add(s);
      else if (!region.has(s)) {
        region.add(s);
        todo.push(s);
      }
    }
  }
  return { region, leaves };
}

/** The dims that are not 1, in order: equal lists mean the shapes differ only by size-1 dims. */
const core = (shape: readonly number[]): string => shape.filter((d) => d !== 1).join(',');

/** Every node's readers, in topological order. */
export function consumersOf(order: readonly Node[]): Map<Node, Node[]> {
  const consumers = new Map<Node, Node[]>();
  for (const n of order) {
    for (const s of n.src) {
      const list = consumers.get(s);
      if (list) list.push(n);
      else consumers.set(s, [n]);
    }
  }
  return consumers;
}

/**
 * Rule 2 (epilogues): a reduction or matmul whose only consumers are the elementwise ops of one kernel,
 * at the same index space (up to size-1 dims), is computed inside that kernel instead of stored. A
 * matmul additionally needs the epilogue to keep its shape and dtype (partial sums live in the output).
 */
export function findEpilogues(order: readonly Node[], outputs: readonly Node[], stored: ReadonlySet<Node>, consumers: ReadonlyMap<Node, Node[]>): Map<Node, Node> {
  const result = new Map<Node, Node>();
  const taken = new Set<Node>();
  const loadedBy = new Map<Node, number>();
  for (const k of order) {
    if (!stored.has(k) || isBuffer(k)) continue;
    for (const leaf of regionOf(k, stored).leaves) loadedBy.set(leaf, (loadedBy.get(leaf) ?? 0) + 1);
  }
  for (const e of order) {
    if (!stored.has(e) || opDef(e.op).kind !== 'elementwise') continue;
    const { region, leaves } = regionOf(e, stored);
    for (const r of leaves) {
      const kind = opDef(r.op).kind;
      if (!OWN_KERNEL[kind]?.epilogue || outputs.includes(r) || taken.has(r)) continue;
      if (loadedBy.get(r) !== 1) continue; // another kernel reads it too: it must be stored
      if (core(e.shape) !== core(r.shape) || sizeOf(e.shape) !== sizeOf(r.shape)) continue;
      if (kind === 'matmul' && (e.dtype !== r.dtype || !sameShape(e.shape, r.shape) || !isFloat(r.dtype))) continue;
      // Every use of r is in this kernel, at r's own index: elementwise ops of r's shape, or views
      // that only add or drop size-1 dims (read by such ops).
      // Every path from r up to e must keep r's index: a flip or slice on the way (tan(flip(max + 1)))
      // would need r at another index than the one the reduction loop has just computed.
      const checked = new Map<Node, boolean>();
      const atOwnIndex = (u: Node): boolean => {
        const known = checked.get(u);
        if (known !== undefined) return known;
        const above = (consumers.get(u) ?? []).filter((w) => region.has(w));
        const v = u.arg as unknown as View;
        const ok = region.has(u) && (opDef(u.op).kind === 'elementwise'
          ? (sameShape(u.shape, r.shape) || sameShape(u.shape, e.shape)) && (u === e || above.every(atOwnIndex))
          : isView(u) && isContiguousView(v) && core(u.shape) === core(r.shape) && above.every(atOwnIndex));
        checked.set(u, ok);
        return ok;
      };
      if (!(consumers.get(r) ?? []).every(atOwnIndex)) continue;
      result.set(e, r);
      taken.add(r);
      break;
    }
  }
  return result;
}
