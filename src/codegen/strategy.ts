/**
 * Facts lowering (lower.ts) decides loop strategies from: the work of a kernel, the inputs it reads
 * transposed (tiles), and which kernels can run together row block by row block.
 */
import type { Node } from '../graph.js';
import { isView, opDef } from '../ops.js';
import { reductionLayout } from '../reduction.js';
import type { Kernel, Program } from '../schedule.js';
import type { View } from '../shape.js';
import { sizeOf } from '../shape.js';
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
  // A row whose elements each call libm is compute-bound: run apart, each kernel streams its rows
  // from memory while it computes, and a group, which reads a row and then only computes, was slower
  // (a row softmax 1.12x); cheap rows (layer norm, centring) gain (0.80x).
  if (expensivePerElement(k.node, (n) => n !== k.node && stored(n))) return undefined;
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

/** Kernels (indices into p.kernels) run together, `block` rows at a time; `perRow`: elements they touch per row. */
export interface RowGroup { members: number[]; block: number; perRow: number }

/**
 * Runs of consecutive kernels that can run row block by row block in one parallel loop: each walks
 * the same rows, and reads what an earlier kernel of the run wrote only at its own rows. A row
 * softmax's max, sum of exp and division then read each row from cache, not memory, three times.
 * Indices into p.kernels, runs of two or more.
 */
export function rowGroups(p: Program, inPlace = false): RowGroup[] {
  if (inPlace) return []; // an assign over its own inputs: a row may be read after it was written
  const stored = (n: Node) => p.storage.has(n);
  const groups: number[][] = [];
  // Buffers by name: temporaries are reused, so a later kernel may write what an earlier one read.
  let run: number[] = [], rows: number | undefined, written = new Set<string>(), read = new Set<string>();
  const close = () => { if (run.length > 1) groups.push(run); run = []; written = new Set(); read = new Set(); };
  p.kernels.forEach((k, i) => {
    if (sizeOf(k.node.shape) === 0) return;
    const r = rowsOf(k, stored);
    const reads = [...rowReads(k, stored)].map(([n, local]) => [p.storage.get(n)!, local] as const);
    const fits = r !== undefined && r === rows && !written.has(k.out) && !read.has(k.out)
      && reads.every(([name, local]) => local || !written.has(name));
    if (!fits) { close(); rows = r; }
    if (r === undefined) return;
    run.push(i);
    written.add(k.out);
    for (const [name] of reads) read.add(name);
  });
  close();
  return groups.map((members) => {
    const rows = p.kernels[members[0]].node.shape[0];
    const perRow = members.reduce((w, i) => w + workOf(p.kernels[i].node), 0) / rows;
    return { members, perRow, block: perRow > 0 ? Math.max(1, Math.min(rows, Math.floor(ROW_BLOCK_BYTES / (8 * perRow)))) : rows };
  });
}
