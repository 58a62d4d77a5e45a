/**
 * Facts lowering (lower.ts) decides loop strategies from: the work of a kernel, the inputs it reads
 * transposed (tiles), and which kernels can run together row block by row block.
 */
import type { Node } from '../graph.js';
import { isView, opDef } from '../ops.js';
import { reductionLayout } from '../reduction.js';
import type { Kernel, Program } from '../schedule.js';
import type { View } from '../shape.js';
import { sameShape, sizeOf } from '../shape.js';
import { rowMajor } from './index.js';

/** Bytes of input a row group reads per block of rows (rowGroups): well within L2. */
const ROW_BLOCK_BYTES = 256 << 10;

/** Side of the tiles a kernel reading a transposed input walks (32 × 32 floats: 4 KiB per buffer). */
export const TILE = 32;

/** Columns a column-wise reduction keeps accumulators for at a time. */
export const COLUMNS = 1024;

/** Elements touched by a kernel: the output, or for a reduction its input, or m·n·k for matmul. */
export function workOf(n: Node): number {
  const kind = opDef(n.op).kind;
  if (kind === 'reduce') return sizeOf(n.src[0].shape);
  if (kind === 'matmul') return sizeOf(n.shape) * n.src[0].shape[n.src[0].shape.length - 1];
  if (kind === 'scatter') return sizeOf(n.src[1].shape); // the positions written
  return sizeOf(n.shape);
}

/**
 * The stored inputs a kernel computing `root` reads transposed: through a view, at the kernel's own
 * index, with a stride of 16 elements or more along the output's last axis and a smaller one along
 * another axis `k` (`x.T.add(y)`). Undefined when there are none (or the shape is too small to tile).
 */
export function transposedReads(root: Node, stored: (n: Node) => boolean): { k: number; views: Node[] } | undefined {
  const last = root.shape.length - 1;
  if (last < 1 || root.shape[last] < TILE / 2 || opDef(root.op).kind !== 'elementwise') return undefined;
  const found: { view: Node; k: number }[] = [];
  const seen = new Set<Node>();
  const walk = (n: Node): void => {
    if (seen.has(n) || (n !== root && stored(n))) return;
    seen.add(n);
    if (isView(n) && stored(n.src[0])) {
      const v = n.arg as unknown as View;
      const stride = (d: number) => (v.shape[d] === 1 ? 0 : Math.abs(v.strides[d]));
      const others = v.strides.map((_, d) => d).filter((d) => d !== last && stride(d) > 0);
      const k = others.reduce((best, d) => (best < 0 || stride(d) < stride(best) ? d : best), -1);
      if (k >= 0 && stride(last) >= 16 && stride(k) < stride(last) && root.shape[k] >= TILE / 2) found.push({ view: n, k });
    } else if (opDef(n.op).kind === 'elementwise') n.src.forEach(walk);
  };
  walk(root);
  if (found.length === 0) return undefined;
  const k = found[0].k;
  return { k, views: found.filter((f) => f.k === k).map((f) => f.view) };
}

/**
 * The rows a kernel's outer loop walks: dim 0 of its output, when the kernel is a loop nest over rows
 * (an elementwise nest, or a reduction that keeps dim 0 and is neither column-wise nor chunked).
 * Undefined for anything else (flat loops, tiles, column reductions, matmul, user kernels, stores
 * through a view).
 */
function rowsOf(k: Kernel, stored: (n: Node) => boolean): number | undefined {
  if (k.flat || k.store || k.node.shape.length < 2) return undefined;
  const main = k.main ?? k.node;
  const def = opDef(main.op);
  if (def.kind === 'reduce') {
    const x = main.src[0], axes = (main.arg as { axes: number[] }).axes;
    const l = reductionLayout(x.shape, axes, x.dtype, def.cMerge !== undefined, def.orderFree?.(x.dtype) !== undefined);
    // The loop walks the reduction's kept dims: its dim 0 must be the kernel's rows (a [1, N, 1] sum
    // reshaped to [N, 1] by its epilogue walks one outer index, recomputing all N rows in it).
    if (axes.includes(0) || l.column || l.chunks || main.shape[0] !== k.node.shape[0]) return undefined;
  } else if (def.kind !== 'elementwise' || transposedReads(k.node, (n) => n !== k.node && stored(n))) return undefined;
  return k.node.shape[0] >= 2 ? k.node.shape[0] : undefined;
}

/** Whether the kernel computing `root` calls a libm function (exp, log, sin, pow...) per element. */
function expensivePerElement(root: Node, stored: (n: Node) => boolean): boolean {
  const seen = new Set<Node>();
  const walk = (n: Node): boolean => {
    if (seen.has(n) || stored(n)) return false;
    seen.add(n);
    const def = opDef(n.op);
    if (def.kind === 'elementwise' && def.libmvec && sizeOf(n.shape) > root.shape[0]) return true;
    return n.src.some(walk);
  };
  return walk(root);
}

/**
 * The stored nodes kernel `k` reads, each with whether every read of it is at the kernel's own row
 * (dim 0 at the outer loop's index: directly, or through a broadcast along other dims).
 */
function rowReads(k: Kernel, stored: (n: Node) => boolean): Map<Node, boolean> {
  const reads = new Map<Node, boolean>();
  const note = (n: Node, local: boolean) => reads.set(n, (reads.get(n) ?? true) && local);
  const rows = k.node.shape[0];
  const walk = (n: Node, local: boolean): void => {
    if (n !== k.node && stored(n)) { note(n, local && n.shape[0] === rows); return; }
    const def = opDef(n.op);
    if (isView(n)) {
      const v = n.arg as unknown as View, src = n.src[0];
      const cs = rowMajor(src.shape);
      // A broadcast of src along dims other than 0: every dim either kept as is or of stride 0.
      const broadcast = v.offset === 0 && src.shape.length === v.shape.length && src.shape[0] === v.shape[0]
        && v.shape.every((d, j) => (j === 0 ? v.strides[0] === cs[0] || d === 1 : v.strides[j] === 0 || (v.strides[j] === cs[j] && d === src.shape[j])));
      return walk(src, local && broadcast);
    }
    if (def.kind === 'reduce') {
      const axes = (n.arg as { axes: number[] }).axes;
      return walk(n.src[0], local && !axes.includes(0));
    }
    const same = def.kind === 'elementwise' && n.shape[0] === rows;
    n.src.forEach((m) => walk(m, local && same));
  };
  walk(k.node, true);
  return reads;
}

/**
 * A value a row group's reduction (kernel `by`) stores as it folds it, into the output buffer `into`
 * of a later member (`reader`) that reads it only at its own index and so loads it instead of
 * computing it again: a row softmax's exp(x - max), summed by one kernel and divided by the next, is
 * computed once per element, as hand-written C does.
 */
export interface Kept { node: Node; by: number; reader: number; into: string }

/**
 * Kernels (indices into p.kernels) run together, `block` rows at a time; `perRow`: elements they touch
 * per row. `flat`: the members are flat loops over the same elements (their length a runtime value),
 * run `block` elements at a time.
 */
export interface RowGroup { members: number[]; block: number; perRow: number; kept: Kept[]; flat: boolean }

/** Elements a flat group runs per block: a multiple of 16, so every block starts on a vector boundary. */
const FLAT_ALIGN = 16;

/**
 * Runs of consecutive kernels that can run row block by row block in one parallel loop: each walks
 * the same rows, and reads what an earlier kernel of the run wrote only at its own rows. A row
 * softmax's max, sum of exp and division then read each row from cache, not memory, three times.
 * Indices into p.kernels, runs of two or more.
 */
export function rowGroups(p: Program, inPlace = false): RowGroup[] {
  if (inPlace) return []; // an assign over its own inputs: a row may be read after it was written
  const stored = (n: Node) => p.storage.has(n);
  const runs: number[][] = [];
  // Buffers by name: temporaries are reused, so a later kernel may write what an earlier one read.
  let run: number[] = [], domain: string | undefined, written = new Set<string>(), read = new Set<string>();
  const close = () => { if (run.length > 1) runs.push(run); run = []; written = new Set(); read = new Set(); };
  p.kernels.forEach((k, i) => {
    if (sizeOf(k.node.shape) === 0) return;
    const d = domainOf(k, stored);
    const reads = [...rowReads(k, stored)].map(([n, local]) => [p.storage.get(n)!, local] as const);
    // Flat loops join a run only to reuse what it touched (a buffer an earlier member wrote or read):
    // a group's blocks are too short to stream their stores, which a large fresh output gains from.
    const reuses = !k.flat || reads.some(([name]) => written.has(name) || read.has(name));
    const fits = d !== undefined && d === domain && reuses && !written.has(k.out) && !read.has(k.out)
      && reads.every(([name, local]) => local || !written.has(name));
    if (!fits) { close(); domain = d; }
    if (d === undefined) return;
    run.push(i);
    written.add(k.out);
    for (const [name] of reads) read.add(name);
  });
  close();
  return runs.flatMap((r) => settle(p, r, stored)).map(({ members, kept }) => {
    const first = p.kernels[members[0]], flat = first.flat === true;
    const rows = flat ? sizeOf(first.node.shape) : first.node.shape[0];
    const perRow = members.reduce((w, i) => w + workOf(p.kernels[i].node), 0) / rows;
    if (flat) {
      // The block does not depend on the length, which is a runtime value (one compile serves every size).
      const block = Math.max(FLAT_ALIGN, Math.floor(ROW_BLOCK_BYTES / (8 * perRow) / FLAT_ALIGN) * FLAT_ALIGN);
      return { members, kept, perRow, block, flat };
    }
    return { members, kept, perRow, block: perRow > 0 ? Math.max(1, Math.min(rows, Math.floor(ROW_BLOCK_BYTES / (8 * perRow)))) : rows, flat };
  });
}

/**
 * What a kernel's outer loop walks, as a key kernels of one group share: `rows N` for a loop nest over
 * N rows (rowsOf), `flat N` for a flat loop over N elements (every load at the output's own position,
 * so any two of the same length can run block by block), undefined for anything else.
 */
function domainOf(k: Kernel, stored: (n: Node) => boolean): string | undefined {
  if (k.flat) return !k.store && opDef(k.node.op).kind === 'elementwise' ? `flat ${sizeOf(k.node.shape)}` : undefined;
  const r = rowsOf(k, stored);
  return r === undefined ? undefined : `rows ${r}`;
}

/**
 * A run as row groups. An elementwise member that calls libm per element stays in only when a
 * reduction of the run kept that value for it: one that computes it again is compute-bound and runs
 * apart, streaming its rows from memory while it computes (a row softmax grouped with its exp computed
 * twice was 1.12x slower); the run is split around it. Reductions stay in either way: logSoftmax's
 * sum of exp, grouped with its max and its output, took 0.55x the time apart, a log-sum-exp 0.91x.
 * Cheap rows (layer norm, centring) gain from a group too (0.80x).
 */
function settle(p: Program, run: readonly number[], stored: (n: Node) => boolean): { members: number[]; kept: Kept[] }[] {
  const kept = keptIn(p, run, stored);
  const costly = new Set(run.filter((i) => {
    const k = p.kernels[i], loaded = kept.find((c) => c.reader === i)?.node;
    return opDef((k.main ?? k.node).op).kind !== 'reduce' && expensivePerElement(k.node, (n) => n !== k.node && (stored(n) || n === loaded));
  }));
  if (costly.size === 0) return run.length > 1 ? [{ members: [...run], kept }] : [];
  const parts: number[][] = [[]];
  for (const i of run) {
    if (costly.has(i)) parts.push([]);
    else parts[parts.length - 1].push(i);
  }
  return parts.filter((r) => r.length > 1).flatMap((r) => settle(p, r, stored));
}

/**
 * The values a run's reductions can keep for a later member (see Kept): a reduction's input that calls
 * libm per element, read by a later elementwise member of its shape and dtype at its own index only,
 * the reader's output buffer read by no member of the run (it holds the kept value from the reduction on).
 */
function keptIn(p: Program, run: readonly number[], stored: (n: Node) => boolean): Kept[] {
  const kept: Kept[] = [];
  const readNames = run.map((i) => new Set([...rowReads(p.kernels[i], stored).keys()].map((n) => p.storage.get(n)!)));
  run.forEach((by, j) => {
    const main = p.kernels[by].main ?? p.kernels[by].node, x = main.src[0];
    if (opDef(main.op).kind !== 'reduce' || !x || stored(x) || opDef(x.op).kind !== 'elementwise' || !expensivePerElement(x, stored)) return;
    const reader = run.slice(j + 1).find((i) => {
      const k = p.kernels[i];
      return !k.main && opDef(k.node.op).kind === 'elementwise' && k.node.dtype === x.dtype && sameShape(k.node.shape, x.shape)
        && !kept.some((c) => c.reader === i) && readsAtOwnIndex(k.node, x, stored);
    });
    if (reader === undefined) return;
    const into = p.kernels[reader].out;
    if (readNames.some((names) => names.has(into))) return;
    kept.push({ node: x, by, reader, into });
  });
  return kept;
}

/**
 * Whether computing `root` reads `x` (unstored), and only at root's own index: every path to it goes
 * through elementwise nodes of root's shape, none through a view or a reduction.
 */
function readsAtOwnIndex(root: Node, x: Node, stored: (n: Node) => boolean): boolean {
  let found = false, elsewhere = false;
  const seen = [new Set<Node>(), new Set<Node>()];
  const walk = (n: Node, own: boolean): void => {
    if (n === x) { if (own) found = true; else elsewhere = true; return; }
    if ((n !== root && stored(n)) || seen[own ? 1 : 0].has(n)) return;
    seen[own ? 1 : 0].add(n);
    const same = own && opDef(n.op).kind === 'elementwise' && sameShape(n.shape, root.shape);
    n.src.forEach((m) => walk(m, same));
  };
  walk(root, true);
  return found && !elsewhere;
}
