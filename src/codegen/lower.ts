/**
 * Lowering: Program → the decisions of its C, as plain JSON (`Lowered`), each with a reason. What a
 * kernel's loops are (flat, a nest, tiles, a reduction's strategy, a matmul...), whether its output is
 * streamed, how threads split it (the outer extent, the grain, the alignment) and which kernels run
 * together row block by row block are decided here, once; the C writer (c.ts) reads them, and
 * explain() and TENSORFUSE_DEBUG=3 print them. No graph here beyond node ids, no storage.
 *
 *   { name: 'R0_1_1024', node: 7, out: 'out0', fuses: ['sum'],
 *     loop: { kind: 'reduce', reason: ... },
 *     reduction: { kind: 'column', reason: 'reduced axis 0 is outer, inner extent 1024 is contiguous: ...',
 *                  axes: [0], lanes: 1, chunks: 0, accumulators: [{ name: 'acc', type: 'double', init: '0' }] },
 *     store: { kind: 'plain', reason: ... }, parallel: { outer: 1024, grain: 128, align: 16, reason: ... } }
 */
import type { Node } from '../graph.js';
import type { ReduceDef, SpecialDef } from '../ops.js';
import { opDef, scatterCombine } from '../ops.js';
import { CHUNKED_MIN, lanesOf, reductionLayout } from '../reduction.js';
import type { ScanArg } from '../scanops.js';
import { scanLayout } from '../scanops.js';
import type { BufferInfo, Kernel, Program } from '../schedule.js';
import { sizeOf } from '../shape.js';
import { BYTES, isBool, isFloat } from '../dtype.js';
import type { ScatterArg } from '../indexops.js';
import type { Alias } from './c.js';
import type { ConvArg } from '../convops.js';
import { CO, convTasks } from './conv.js';
import { cctx } from './loops.js';
import { matmulTasks, MR } from './matmul.js';
import { sortStrategy } from './sort.js';
import { grainOf, serialNs, THREAD_NS } from './cost.js';
import { COLUMNS, rowGroups, TILE, transposedReads } from './strategy.js';

/**
 * Positions a scatter needs before it folds chunks of them into partials in parallel. A scatter loop
 * runs much JS per call (its index checks, the assign), and there the second thread is unsteady on a
 * 2-core machine: 2^16 int32 positions into 4096 bins took 21–23 µs at best on 2 threads against
 * 32–34 on one, but 45–63 µs at the median (bench/RESULTS.md, 2026-12-04). From 2^17 on the gain holds.
 */
const SCATTER_MIN = 1 << 17;

/** Rows a column-wise reduction folds into its accumulators per load and store of them. */
export const ROWS = 8;

/** A scatter folds at most this many partials of its base, in at most this many bytes of scratch (the C stack). */
const SCATTER_CHUNKS = 16;
const SCATTER_PARTS_BYTES = 64 << 10;

/** A choice the lowering made and why, in words explain() prints. */
export interface Decision<K extends string> { kind: K; reason: string }

/** One variable of a reduction's state: `double acc = 0` is { name: 'acc', type: 'double', init: '0' }. */
export interface Accumulator { name: string; type: string; init: string }

/**
 * How a reduction walks its input: `row` folds the innermost reduced axis for each kept index, `column`
 * keeps one accumulator per column and folds whole rows into them (the reduced axes are outer), `split`
 * cuts a large reduction to one value into chunks threads take whole, `full` folds a small one serially.
 */
export interface ReductionPlan extends Decision<'row' | 'column' | 'split' | 'full'> {
  axes: number[];
  /** Accumulators the innermost loop deals its elements into (1: one, in order). */
  lanes: number;
  /** Chunks of the first reduced axis (split only; else 0). */
  chunks: number;
  /** The reduction's state, from the op table. */
  accumulators: Accumulator[];
  /** Every order gives the same result (an integer sum): the loop's simd reduction operator. */
  orderFree?: string;
}

export type LoopKind = 'flat' | 'nest' | 'tiled' | 'reduce' | 'matmul' | 'conv' | 'scan' | 'sort' | 'scatter' | 'kernel';

export interface LoopPlan extends Decision<LoopKind> {
  /** tiled: the axis tiled with the last one, and the views (node ids) read through the tile buffers. */
  tile?: { axis: number; views: number[] };
  /** scatter: chunks of the positions folded into partials of the base in parallel (0: serial). */
  chunks?: number;
}

/**
 * How threads share the kernel (tf_run): its outer loop of `outer` iterations is split when it has at
 * least 2 × `grain` of them, at multiples of `align`, among as many threads as get `grain` each.
 * `outer` is 'runtime' for a flat loop (its length is z[]).
 */
export interface ParallelPlan {
  outer: number | 'runtime';
  grain: number;
  align: number;
  /** The kernel's estimated time on one thread (cost.ts), what the grain is computed from; per element for a flat loop. */
  ns: number;
  reason: string;
}

export interface LoweredKernel {
  name: string;
  /** Id of the graph node the kernel stores, and of its main node (a reduction its epilogue reads). */
  node: number;
  main?: number;
  out: string;
  fuses: string[];
  /** No elements: nothing runs. */
  empty: boolean;
  loop: LoopPlan;
  reduction?: ReductionPlan;
  store: Decision<'plain' | 'streamed'>;
  parallel: ParallelPlan;
  /** Index into Lowered.groups of the row group it runs in. */
  group?: number;
}

/** Kernels (indices into kernels) that run together, `block` rows at a time, in one parallel loop. */
export interface LoweredGroup {
  name: string;
  members: number[];
  /** The rows the members walk; for flat members, the elements ('runtime': the length is z[] at run time). */
  rows: number | 'runtime';
  block: number;
  /** Elements the members touch per row. */
  perRow: number;
  grain: number;
  reason: string;
  /** Values a member reduction stores as it folds them, for a later member to load (strategy.ts: Kept). */
  kept: { node: number; by: string; reader: string; into: string; reason: string }[];
}

export interface Lowered {
  inputs: BufferInfo[];
  outputs: BufferInfo[];
  temps: BufferInfo[];
  scalars: number;
  kernels: LoweredKernel[];
  groups: LoweredGroup[];
  /**
   * `small`: at this program's sizes no kernel splits across threads, nothing is streamed and no output
   * is large enough for huge pages, so the C has no parallel region, no streaming blocks and no page
   * advice, which makes it compile faster (bench/RESULTS.md, 2026-12-06). The same graph at a size past
   * that generates the `large` C, which decides them at run time.
   */
  size: Decision<'small' | 'large'>;
}

/** Outputs of at least this many bytes may stream or get huge pages (prelude.ts's NT_MIN and HUGE_MIN). */
export const LARGE_BYTES = 8 << 20;

/**
 * The lowered program. `alias`: the output written in place over inputs (no streaming, no row groups);
 * `profile`: per-kernel clocks (no row groups, so each kernel is timed alone).
 */
export function lower(p: Program, alias?: Alias, profile = false): Lowered {
  const groups = profile ? [] : rowGroups(p, alias !== undefined);
  const kernels = p.kernels.map((k) => lowerKernel(k, p, alias));
  const lowered = groups.map((g, gi): LoweredGroup => {
    const members = g.members.map((i) => p.kernels[i]);
    const rows = g.flat ? sizeOf(members[0].node.shape) : members[0].node.shape[0];
    g.members.forEach((i) => { kernels[i].group = gi; });
    return {
      name: `G${gi}_${members.map((m) => m.name.split('_')[0]).join('')}`,
      members: g.members, rows: g.flat ? 'runtime' : rows, block: g.block, perRow: g.perRow,
      // flat members' ns is per element already (their length is z[] at run time)
      grain: grainOf(g.members.reduce((ns, i) => ns + kernels[i].parallel.ns, 0) * (g.flat ? rows : 1), rows),
      reason: g.flat
        ? `flat loops over the same elements, each reading what an earlier one wrote or read, so a block of ${g.block} elements is read from memory once and from cache after that`
        : `they walk the same ${rows} rows and each reads what the one before wrote only at its own rows, so a block of rows is read from memory once and from cache after that`,
      kept: g.kept.map((c) => {
        const [by, reader] = [p.kernels[c.by].name, p.kernels[c.reader].name];
        return {
          node: c.node.id, by, reader, into: c.into,
          reason: `${by} stores ${c.node.op}(...) in ${c.into} as it folds it and ${reader} reads it back at the same index: libm once per element`,
        };
      }),
    };
  });
  const size = programSize(p, kernels, lowered);
  // A small program streams nothing: the runtime check would never pass at its sizes.
  if (size.kind === 'small') for (const k of kernels) if (k.store.kind === 'streamed') k.store = { kind: 'plain', reason: `the program is small (${size.reason})` };
  return { inputs: p.inputs, outputs: p.outputs, temps: p.temps, scalars: p.scalars, kernels, groups: lowered, size };
}

/** Whether the program is small (see Lowered.size): nothing splits across threads, no output reaches LARGE_BYTES. */
function programSize(p: Program, kernels: readonly LoweredKernel[], groups: readonly LoweredGroup[]): Decision<'small' | 'large'> {
  const large = (reason: string) => ({ kind: 'large' as const, reason });
  // User C may call OpenMP itself (omp.h) and does its own work: compiled as before.
  if (p.kernels.some((k) => opDef((k.main ?? k.node).op).kind === 'kernel')) return large('a user kernel is in it');
  const big = p.outputs.find((o) => sizeOf(o.shape) * BYTES[o.dtype] >= LARGE_BYTES);
  if (big) return large(`output ${big.name} has ${sizeOf(big.shape) * BYTES[big.dtype]} bytes`);
  for (const [i, k] of kernels.entries()) {
    if (k.group !== undefined || k.empty) continue;
    const n = k.parallel.outer === 'runtime' ? sizeOf(p.kernels[i].node.shape) : k.parallel.outer;
    if (n >= 2 * k.parallel.grain) return large(`${k.name} splits across threads`);
  }
  for (const [gi, g] of groups.entries()) {
    const first = p.kernels[g.members[0]];
    const n = g.rows === 'runtime' ? sizeOf(first.node.shape) : g.rows;
    if (n >= 2 * g.grain) return large(`row group ${gi} splits across threads`);
  }
  return { kind: 'small', reason: `every kernel runs on one thread at these sizes and every output is under ${LARGE_BYTES >> 20} MB` };
}

function lowerKernel(k: Kernel, p: Program, alias?: Alias): LoweredKernel {
  const main = k.main ?? k.node;
  const def = opDef(main.op);
  const stored = (n: Node) => n !== k.node && p.storage.has(n);
  const base = { name: k.name, node: k.node.id, ...(k.main ? { main: k.main.id } : {}), out: k.out, fuses: k.ops, empty: sizeOf(k.node.shape) === 0 };
  const store = storeOf(k, p, alias);
  const r = def.kind === 'reduce' ? reductionOf(main, def) : undefined;
  const ns = serialNs(k, stored, r?.accumulators.length);
  const threads = (outer: number, align: number, unit: string): ParallelPlan => {
    const grain = grainOf(ns, outer);
    const reason = outer >= 2 * grain
      ? `threads take the ${outer} ${unit}${align > 1 ? ` (cut at multiples of ${align})` : ''}, at least ${grain} each (~${time(ns)} on one thread; ${time(THREAD_NS)} or more per thread)`
      : outer < 2 ? `serial: a single ${unit}, nothing to split`
        : `serial: ${outer} ${unit}, ~${time(ns)} on one thread, under 2 × ${time(THREAD_NS)} (a parallel region costs more than it saves)`;
    return { outer, grain, align, ns, reason };
  };
  const nested = (kind: LoopKind, reason: string, parallel: ParallelPlan): LoweredKernel => ({ ...base, loop: { kind, reason }, store, parallel });

  if (r) {
    const x = main.src[0], last = x.shape.length - 1;
    const kept = main.shape.flatMap((_, d) => (r.axes.includes(d) ? [] : [d]));
    const outer = kept.filter((d) => d !== last);
    const parallel = r.kind === 'split' ? threads(r.chunks, 1, 'chunks')
      : r.kind === 'column' ? (outer.length === 0 ? threads(x.shape[last], 16, 'columns') : threads(x.shape[outer[0]], 1, `indices of axis ${outer[0]}`))
        : kept.length === 0 ? threads(1, 1, 'result') : threads(main.shape[kept[0]], 1, kept[0] === 0 ? 'rows' : `indices of axis ${kept[0]}`);
    return { ...base, loop: { kind: 'reduce', reason: `${r.kind} reduction` }, reduction: r, store, parallel };
  }
  /** The loops around a body over the dims `dims` (none: one call), as nest() writes them. */
  const around = (dims: readonly number[], shape: readonly number[]) => (dims.length ? threads(shape[dims[0]], 1, dims[0] === 0 ? 'rows' : `indices of axis ${dims[0]}`) : threads(1, 1, 'call'));
  if (def.kind === 'scan') {
    const { tasks, align, unit } = scanTasks(main);
    return nested('scan', scanStrategy(main), typeof tasks === 'number' ? threads(tasks, align, unit) : around(tasks, main.shape));
  }
  if (def.kind === 'sort') {
    // one sort per row: the loops over the other dims (size-1 ones pinned at 0), as sortBody writes them
    return nested('sort', sortStrategy(main), around(main.shape.slice(0, -1).flatMap((s, d) => (s === 1 ? [] : [d])), main.shape));
  }
  if ((def as SpecialDef).nest === 'conv') {
    const [n, groups, perGroup] = main.shape;
    return nested('conv', `direct loops (${CO} output channels × a vector of pixels in registers), threads over output rows`, threads(convTasks(n, groups, perGroup, (main.arg as unknown as ConvArg).oh), 1, 'output rows of channel blocks'));
  }
  if (def.kind === 'matmul') {
    const nd = main.shape.length, batch = sizeOf(main.shape.slice(0, -2)), m = main.shape[nd - 2];
    if (!isFloat(main.dtype)) return nested('matmul', 'one output row at a time, k ascending, a vector loop along the row', threads(main.shape[0], 1, nd > 2 ? 'batch indices' : 'rows'));
    return nested('matmul', `blocked (packed panels, a ${MR}-row register tile), threads over row blocks`, threads(matmulTasks(batch, m), 1, 'row blocks'));
  }
  if (def.kind === 'scatter') {
    const { chunks, reason } = scatterChunks(main);
    return { ...base, store, loop: { kind: 'scatter', chunks, reason }, parallel: chunks ? threads(chunks, 1, 'chunks') : threads(1, 1, 'call') };
  }
  if (def.kind === 'kernel') return nested('kernel', 'a user kernel: one serial call on whole buffers', threads(1, 1, 'call'));

  const shape = k.node.shape;
  if (k.flat) {
    const perElementNs = ns / Math.max(1, sizeOf(shape)), perElement = grainOf(perElementNs, 1);
    return {
      ...base, store,
      loop: { kind: 'flat', reason: 'one loop over a length given at run time (every load at the output\'s own position, or of one element broadcast), so one compile serves every size' },
      parallel: {
        outer: 'runtime', grain: perElement, align: 16, ns: perElementNs,
        reason: `threads take the elements when there are at least 2 × ${perElement} (~${time(perElementNs)} each: ${time(THREAD_NS)} or more per thread), cut at multiples of 16`,
      },
    };
  }
  const t = transposedReads(k.node, stored);
  if (t) {
    const lastAxis = shape.length - 1;
    const others = shape.map((_, d) => d).filter((d) => d !== t.k && d !== lastAxis);
    return {
      ...base, store,
      loop: {
        kind: 'tiled', tile: { axis: t.k, views: t.views.map((v) => v.id) },
        reason: `${TILE} × ${TILE} tiles of axes ${t.k} and ${lastAxis}: ${t.views.length} input${t.views.length === 1 ? '' : 's'} read transposed, copied a tile at a time through an L1 buffer`,
      },
      parallel: others.length === 0 ? threads(Math.ceil(shape[t.k] / TILE), 1, `tiles of axis ${t.k}`) : threads(shape[others[0]], 1, `indices of axis ${others[0]}`),
    };
  }
  return {
    ...base, store,
    loop: { kind: 'nest', reason: 'one loop per axis, the innermost vectorized' },
    parallel: shape.length === 0 ? threads(1, 1, 'element') : threads(shape[0], 1, 'rows'),
  };
}

/** A time in ns as explain() prints it: `850 ns`, `4.1 µs`, `2.5 ms`. */
const time = (ns: number): string => (ns >= 1e6 ? `${(ns / 1e6).toPrecision(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toPrecision(2)} µs` : `${Math.round(ns)} ns`);

/** Whether a kernel streams its stores past the cache, and why (not). */
function storeOf(k: Kernel, p: Program, alias?: Alias): Decision<'plain' | 'streamed'> {
  const plain = (reason: string) => ({ kind: 'plain' as const, reason });
  if (!k.flat) return plain('not a flat loop');
  if (!p.outputs.some((o) => o.name === k.out)) return plain('a temporary, read again by a later kernel (better left in cache)');
  if (alias && k.out === alias.out) return plain('written in place over its inputs');
  if (isBool(k.node.dtype)) return plain('bool elements have no streaming store');
  return { kind: 'streamed', reason: 'a program output written by a flat loop: non-temporal stores when a thread writes enough, so lines about to be overwritten are not read first' };
}

/** A reduction's strategy, its layout (reduction.ts: the order both backends fold in) and its state. */
function reductionOf(root: Node, def: ReduceDef): ReductionPlan {
  const x = root.src[0];
  const axes = (root.arg as { axes: number[] }).axes;
  const orderFree = def.orderFree?.(x.dtype);
  const l = reductionLayout(x.shape, axes, x.dtype, def.cMerge !== undefined, orderFree !== undefined);
  const t = cctx(x.dtype, root.dtype, [x.dtype]);
  const accumulators = accumulatorsOf(def.cInit(t));
  const size = sizeOf(x.shape), last = x.shape.length - 1;
  const inner = axes.length ? axes[axes.length - 1] : -1;
  const n = inner >= 0 ? x.shape[inner] : 1;
  const elements = (m: number) => `${m} element${m === 1 ? '' : 's'}`;
  const fold = l.lanes > 1 ? `${l.lanes} lanes along axis ${inner}, each in order, merged in order`
    : def.positional ? 'one accumulator in order (its step needs the element\'s position)'
      : orderFree ? `one accumulator, any order gives the same result (${orderFree}): vectorized as the compiler likes`
        : axes.length ? `one accumulator in order (axis ${inner} has ${elements(n)}, fewer than ${lanesOf(x.dtype)} lanes)` : 'one step';
  const plan = { axes, lanes: l.lanes, chunks: l.chunks, accumulators, ...(orderFree ? { orderFree } : {}) };
  if (l.column && !def.positional) {
    return { ...plan, kind: 'column', reason: `reduced ${axes.length === 1 ? `axis ${axes[0]} is` : `axes ${axes.join(', ')} are`} outer, inner extent ${x.shape[last]} is contiguous: one accumulator per column, blocks of ${COLUMNS} columns, ${ROWS} rows folded in order per load of them, vectorized across columns` };
  }
  if (l.chunks) {
    return { ...plan, kind: 'split', reason: `${size} elements to one value (at least 2^${Math.log2(CHUNKED_MIN)}): ${l.chunks} chunks of axis ${axes[0]} that threads take whole, merged in order by _final; each chunk ${fold}` };
  }
  if (sizeOf(root.shape) === 1) {
    return { ...plan, kind: 'full', reason: `${size} elements to one value, fewer than 2^${Math.log2(CHUNKED_MIN)} to split across threads: one loop, ${fold}` };
  }
  const along = l.column ? `reduced axis ${inner} is outer: each result walks it with a stride` : `reduced axis ${inner} is innermost: each result folds ${n === 1 ? '1 element' : `${n} contiguous elements`}`;
  return { ...plan, kind: 'row', reason: `${along}, ${fold}` };
}

/**
 * Whether a scatter folds chunks of its positions into partials of the base in parallel: when its
 * combine does not depend on the order (the op table's `identity`), there are enough positions, and
 * `chunks` partials of the base fit in SCATTER_PARTS_BYTES of per-call scratch.
 */
function scatterChunks(root: Node): { chunks: number; reason: string } {
  const first = 'every index checked before anything is written';
  const def = scatterCombine(root.arg as unknown as ScatterArg);
  if (def === undefined) return { chunks: 0, reason: `${first}, then the values written in order, serially (the last duplicate wins)` };
  const values = root.src[1];
  const bytes = sizeOf(root.shape) * BYTES[root.dtype];
  const chunks = Math.min(SCATTER_CHUNKS, Math.floor(SCATTER_PARTS_BYTES / Math.max(1, bytes)), values.shape[0] ?? 0);
  const serial = `${first}, then each value combined in order, serially`;
  if (def.identity?.(root.dtype) === undefined) return { chunks: 0, reason: `${serial} (a float combine depends on the order)` };
  if (sizeOf(values.shape) < SCATTER_MIN) return { chunks: 0, reason: `${serial} (${sizeOf(values.shape)} positions, fewer than ${SCATTER_MIN})` };
  if (chunks < 2) return { chunks: 0, reason: `${serial} (two partials of the ${bytes}-byte base do not fit in ${SCATTER_PARTS_BYTES} bytes of scratch)` };
  return { chunks, reason: `an order-free combine: ${chunks} chunks of the positions' axis 0, each checked, fold into partials of the base in parallel; _final copies the base and merges them in order` };
}

/**
 * The outer loop of a scan's loops (scan.ts): its chunks, the columns of lines side by side with nothing
 * before the axis, or the loops over other dims (`tasks` as dims).
 */
function scanTasks(root: Node): { tasks: number | number[]; align: number; unit: string } {
  const { axis } = root.arg as unknown as ScanArg;
  const shape = root.shape, last = shape.length - 1;
  const l = scanLayout(shape, axis);
  if (l.chunks) return { tasks: l.chunks, align: 1, unit: 'chunks' };
  if (l.inner === 1 || shape[last] === 1) return { tasks: shape.flatMap((n, d) => (d === axis || n === 1 ? [] : [d])), align: 1, unit: '' };
  const pre = shape.flatMap((n, d) => (d < axis && n > 1 ? [d] : []));
  return pre.length === 0 ? { tasks: shape[last], align: 16, unit: 'columns' } : { tasks: pre, align: 1, unit: '' };
}

/** What explain() says of a scan kernel's loops. */
function scanStrategy(root: Node): string {
  const { axis } = root.arg as unknown as ScanArg;
  const l = scanLayout(root.shape, axis);
  if (l.chunks) return `one line of ${l.length} (≥ 2^18) in ${l.chunks} chunks: threads fold chunk totals, _final merges them in order into carries, threads rescan each chunk onto its carry`;
  if (l.inner === 1 || root.shape[root.shape.length - 1] === 1) return `each line along axis ${axis} in order (${l.length} elements), threads over the lines`;
  return `lines along axis ${axis} side by side, blocks of ${COLUMNS} columns carried together, each step a vector loop over the block`;
}

/**
 * The accumulators an op table entry's `cInit` declares (`float acc = 0; int nan = 0, zero = 0;`), as
 * data. The entries still give their state as C text; this reads it once, here, and checks that
 * declare() prints it back exactly, so the C writer only ever prints the data.
 */
export function accumulatorsOf(init: string): Accumulator[] {
  const accs = init.split(';').map((st) => st.trim()).filter(Boolean).flatMap((st) => {
    const m = /^([A-Za-z_]\w*)\s+(.*)$/.exec(st);
    if (!m) throw new Error(`internal: cannot read the declaration ${JSON.stringify(st)}`);
    return m[2].split(',').map((part) => {
      const [name, value] = part.split('=').map((s) => s.trim());
      return { name, type: m[1], init: value };
    });
  });
  if (declare(accs) !== init) throw new Error(`internal: the accumulators ${JSON.stringify(init)} do not read back as ${JSON.stringify(declare(accs))}`);
  return accs;
}

/** The C declaring `accs` with their initial values, one statement per run of the same type. */
export function declare(accs: readonly Accumulator[]): string {
  const runs: Accumulator[][] = [];
  for (const a of accs) {
    const run = runs[runs.length - 1];
    if (run && run[0].type === a.type) run.push(a);
    else runs.push([a]);
  }
  return runs.map((r) => `${r[0].type} ${r.map((a) => `${a.name} = ${a.init}`).join(', ')};`).join(' ');
}
