/**
 * Threads by work (issue 17 §6): the time a kernel is estimated to take on one thread, from its
 * elements, the bytes it moves, the op table's costs and its loop kind, and the grain that gives each
 * thread at least THREAD_NS of it.
 *
 * Measured with bench/threads.mjs (2026-12-04, Zen 4 under KVM, 2 threads; bench/RESULTS.md): a
 * parallel region of 2 warm threads costs ~1.2 µs more than the serial call in a loop of C calls. In a
 * loop with more JS between the calls (V8's own threads want the second core) it is unsteady: the
 * k-means assignment on 8192 points (a 19 µs sum) took 16–19 µs on 2 threads in some processes and
 * 26–30 µs in others, against 21–24 µs on one; on 32768 points (75 µs) 2 threads won in every run
 * (48–56 µs against 86–88). So a kernel is split from 2 × 10 µs of estimated serial work, where even
 * the unsteady case gains. The old rule
 * (2 × 65536 elements of any kind) left a 500 µs argsort of 256 rows on one thread and split an add
 * and an exp at the same length. The per-element figures below are those runs' serial C-call times,
 * rounded:
 *
 *   x.add(y) float32       0.13 ns/element    12 bytes at ~0.01 ns/byte (in L2), 1 cheap op
 *   x.exp() float32        0.33               8 bytes, a libm call (the table's cost 8)
 *   the E2 chain float32   0.14               6 cheap ops
 *   take (random int32)    0.57               a read at a data-dependent position
 *   row sum float32 0.115 (4 bytes and a widening add into 16 lanes); float64 0.27 in cache
 *                          (compensated: TwoSum per element)
 *   matmul float32         0.021 per m·n·k    (~95 GFLOP/s on one thread at 128²)
 *   argsort rows of 256    7.4                (radix passes over 32-bit keys)
 *   cumsum float32         1.0                (a chain of dependent adds)
 */
import type { Node } from '../graph.js';
import { BYTES } from '../dtype.js';
import type { SpecialDef } from '../ops.js';
import { costOf, EXPENSIVE, isView, opDef } from '../ops.js';
import type { Kernel } from '../schedule.js';
import { sizeOf } from '../shape.js';

/** Estimated serial time each thread must get before a kernel is split (so splits pay from 2×). */
export const THREAD_NS = 10_000;

const NS = {
  /** Per byte read or written once (the working sets here are in L2 or streamed). */
  byte: 0.01,
  /** Per unit of the op table's cost of a cheap op (an add, a compare), and of an expensive one (libm, a division). */
  cheap: 0.01,
  expensive: 0.03,
  /** A load at a data-dependent position (a gather): a likely cache miss. */
  gather: 0.4,
  /** Per element folded: into one accumulator, or into a state of several (a compensated pair (acc, comp), a best and its index). */
  fold: 0.07,
  compensated: 0.2,
  /** Per m·n·k of a matmul or a convolution (a fused multiply-add at ~95 GFLOP/s). */
  madd: 0.021,
  sort: 8,
  scan: 1,
  /** Per position of a scatter (an index check and a read-modify-write at a data-dependent place). */
  scatter: 0.5,
} as const;

/**
 * Per element of `root`: the bytes of the stored nodes it reads (each once) and of its output when it
 * `writes` one, and the cost of the ops computed in between (not stored), as the op table rates them.
 */
function perElement(root: Node, stored: (n: Node) => boolean, writes = true): number {
  let ns = writes ? NS.byte * BYTES[root.dtype] : 0;
  const seen = new Set<Node>();
  const walk = (n: Node): void => {
    if (seen.has(n)) return;
    seen.add(n);
    if ((n !== root || !writes) && stored(n)) {
      ns += NS.byte * BYTES[n.dtype];
      return;
    }
    const def = opDef(n.op);
    const cost = costOf(def);
    ns += cost * (cost >= EXPENSIVE ? NS.expensive : NS.cheap);
    if ((def as SpecialDef).checksIndices) ns += NS.gather;
    // a view of a stored node reads it at its own positions: the bytes count once, through the view
    if (isView(n) && stored(n.src[0])) {
      ns += NS.byte * BYTES[n.dtype];
      return;
    }
    n.src.forEach(walk);
  };
  walk(root);
  return ns;
}

/**
 * The estimated time of kernel `k` on one thread, in ns. `state`: the variables of a reduction's state
 * (several: a compensated pair, a best value and its index).
 */
export function serialNs(k: Kernel, stored: (n: Node) => boolean, state = 1): number {
  const main = k.main ?? k.node;
  const def = opDef(main.op);
  const elements = sizeOf(k.node.shape);
  // an epilogue (bias, relu, a mean's division) runs once per output element on top of the main loop
  const epilogue = k.main ? elements * perElement(k.node, (n) => n === main || stored(n)) : 0;
  switch (def.kind) {
    case 'reduce': {
      const x = main.src[0];
      return sizeOf(x.shape) * (perElement(x, stored, false) + (state > 1 ? NS.compensated : NS.fold)) + epilogue;
    }
    case 'matmul': {
      // a convolution's src[0] is its weights as [G, O/G, C/G·KH·KW]: k is the last dim of both
      const a = main.src[0];
      return sizeOf(main.shape) * (a.shape[a.shape.length - 1] ?? 1) * NS.madd + epilogue;
    }
    case 'sort': return elements * NS.sort;
    case 'scan': return elements * NS.scan;
    case 'scatter': return sizeOf(main.src[1].shape) * NS.scatter;
    default: return elements * perElement(k.node, stored);
  }
}

/** The iterations of an outer loop of `outer` that make up THREAD_NS of a kernel taking `ns` in all. */
export function grainOf(ns: number, outer: number): number {
  const per = ns / Math.max(1, outer);
  return per > 0 ? Math.max(1, Math.ceil(THREAD_NS / per - 1e-9)) : outer + 1; // (- 1e-9: 10000 / 0.32000000000000006 must give 31250)
}
