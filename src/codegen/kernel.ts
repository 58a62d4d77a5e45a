/**
 * The loop nest of one kernel (c.ts writes the program around them): its loads, the fused ops as
 * `const` values, the store, and the loops lowering chose (lower.ts) — flat, a nest, tiles, a
 * reduction (reduce.ts), a scan, a sort, a matmul, a convolution, a scatter.
 *
 * Longer than the ~400 lines a file here keeps to: KernelWriter is one class whose methods are the
 * kinds of loop nest, and they share its state (the buffers a kernel names, its loads, its scalars, its
 * index checks) and its value cache, which the op table's C templates call back into (CGen).
 */
import type { DType } from '../dtype.js';
import { C_TYPE, isBool, isFloat, isInteger } from '../dtype.js';
import type { Node } from '../graph.js';
import type { CGen, ElementwiseDef, ReduceDef, ScanDef, SpecialDef } from '../ops.js';
import { opDef, scatterCombine } from '../ops.js';
import type { Kernel, Program } from '../schedule.js';
import { seeded } from '../schedule.js';
import { sizeOf } from '../shape.js';
import { flatIndex, viewFlat } from './index.js';
import type { View } from '../shape.js';
import { matmulBlocked, matmulHelpers } from './matmul.js';
import { convDirect } from './conv.js';
import type { ConvArg } from '../convops.js';
import { TILE } from './strategy.js';
import type { LoweredKernel } from './lower.js';
import type { Body, BodyWriter } from './loops.js';
import { reduceBody } from './reduce.js';
import { scanBody } from './scan.js';
import { sortBody } from './sort.js';
import { cctx, indent, nest } from './loops.js';
import type { ScatterArg } from '../indexops.js';
import { indexedAxes } from '../indexops.js';

/** A value a row group's reduction stores as it folds it: the node, and the buffer it goes into at the node's index. */
export interface KeptValue { node: Node; into: string }

/** The simd pragma of every vectorized loop (a kernel that checks indices adds its flag's reduction). */
export const SIMD = '#pragma omp simd';

/** Index checks a program tells apart in its status (bits 1..30); further ones share the last bit. */
export const MAX_CHECKS = 30;
/** Writes one kernel's loop nest, fusing everything that is not stored. */
export class KernelWriter implements CGen, BodyWriter {
  readonly buffers = new Set<string>();
  readonly scalars = new Map<string, string>();
  /** Every load as [buffer, flat index], to prove an in-place write safe. */
  readonly loads: [string, string][] = [];
  /** The flat index the kernel stores at (for elementwise kernels). */
  storeIndex = '';
  /** Whether the kernel checks an index (bounded): it then has a `tf_oob` flag. */
  checked = false;
  /**
   * How bounded() treats index values while a scatter's chunks are written: checking passes also note a
   * negative one (`tf_neg`); the fold of a chunk with none skips the wrap (which cost the G2 loop 1.8x).
   */
  private indexMode: 'plain' | 'note-negative' | 'nonnegative' = 'plain';
  private lines: string[] = [];
  private memo = new Map<string, string>();
  /** Transposed reads served from a tile buffer (tiledNest): the view node and the buffer element it reads. */
  private readonly tileOf = new Map<Node, string>();
  private count = 0;

  constructor(
    private readonly k: Kernel,
    /** Its loops, store and reduction as lowered: what this writer follows. */
    private readonly lk: LoweredKernel,
    private readonly p: Program,
    readonly helpers: Set<string>,
    private readonly vectorMath: Set<string>,
    /** Index in b[] of the first per-call scratch slot this kernel may claim. */
    readonly scratch = 0,
    /** The flag bit of an index check of node `n` (see generateC). */
    private readonly checkBit: (n: Node, what: string, early: boolean, error?: string) => number = () => 1,
    /** A value this reduction stores as it folds it, for a later kernel of its row group to load. */
    readonly kept?: KeptValue,
    /** Values an earlier kernel of the row group kept: node → the buffer holding it at this kernel's index. */
    private readonly keptBy: ReadonlyMap<Node, string> = new Map(),
  ) {
    this.buffers.add(k.out);
    if (kept) this.buffers.add(kept.into);
  }

  T(d: DType): string { return C_TYPE[d]; }
  get out(): string { return this.k.out; }
  /** The main node's value at `idx` stored (scans): through the kernel's epilogue when it has one. */
  store(idx: readonly string[], value: string): string[] {
    const main = this.k.main ?? this.k.node;
    if (!this.k.main) return [`${this.k.out}[${flatIndex(idx, main.shape)}] = ${value};`];
    // The epilogue's dims other than size 1 are the main node's, in order.
    const vars = idx.filter((_, d) => main.shape[d] !== 1);
    let next = 0;
    const e = this.k.node, eIdx = e.shape.map((n) => (n === 1 ? '0' : vars[next++]));
    const tail = this.epilogue(e, eIdx, main, idx, 'sv');
    return [`const ${C_TYPE[main.dtype]} sv = ${value};`, ...tail.lines, `${this.k.out}[${flatIndex(eIdx, e.shape)}] = ${tail.value};`];
  }
  failure(error: string): number {
    this.checked = true;
    return this.checkBit(this.k.main ?? this.k.node, error, true, error);
  }
  stored(n: Node): boolean { return n !== this.k.node && (this.p.storage.has(n) || this.keptBy.has(n)); }
  keep(n: Node, idx: readonly string[], value: string): string[] {
    return this.kept?.node === n ? [`${this.kept.into}[${flatIndex(idx, n.shape)}] = ${value};`] : [];
  }
  /** Scalars are loaded once per kernel call, converted to the node's C type. */
  scalar(n: Node): string {
    const slot = this.p.slots.get(n)!;
    const name = `c${slot}`;
    if (!this.scalars.has(name)) {
      const T = seeded(n) ? 'uint32_t' : C_TYPE[n.dtype];
      this.scalars.set(name, `  const ${T} ${name} = (${T})s[${slot}];`);
    }
    return name;
  }

  /** A whole stored buffer (for user kernels): recorded as read everywhere, so never written in place. */
  buffer(n: Node): string {
    const name = this.p.storage.get(n)!;
    this.buffers.add(name);
    this.loads.push([name, '*']);
    return name;
  }

  /** `check: false`: the index was checked already (a scatter's writes, after its checking pass). */
  bounded(i: string, size: number, n: Node, check = true, vector = true): string {
    const arg = n.arg as unknown as ScatterArg;
    const scatter = opDef(n.op).kind === 'scatter';
    const w = `v${this.count++}`, v = `v${this.count++}`;
    // Index tensors are int32: below 2^31 the arithmetic stays in int32 (no overflow: a negative value
    // plus the size is above INT32_MIN), so the vector gather takes 16 lanes of 32-bit indices, not 8.
    // The clamp is an AND with a mask, not a select: gcc then keeps the 32-bit gather (a select made it
    // widen the indices to 64 bits, half the lanes).
    const narrow = size < 2 ** 31;
    const [I, U, n0] = narrow ? ['int32_t', 'uint32_t', `${size}u`] : ['int64_t', 'uint64_t', `(uint64_t)${size}`];
    const x = narrow ? i : `(int64_t)${i}`;
    if (!check && this.indexMode === 'nonnegative') return x;
    if (check && this.indexMode === 'note-negative') this.lines.push(`tf_neg |= ${x} < 0;`);
    this.lines.push(`const ${I} ${w} = ${x} + (${x} < 0 ? ${size} : 0);`);
    if (check) {
      const bit = this.checkBit(n, indexedAxes(scatter ? arg.view.shape : n.src[0].shape, arg.axes), scatter);
      this.checked = true;
      this.lines.push(`tf_oob |= (${U})${w} >= ${n0} ? ${bit} : 0;`);
    }
    if (!check) {
      // A scatter's writes, after its checking pass found every index in range: the index buffers are
      // not the output (an in-place scatter that reads its target is built with a fresh output, see
      // aliasSafe) and the kernel is serial, so the values checked are the values used. A clamp here
      // cost the histogram of G2 40%.
      return w;
    }
    // (In a scalar loop, a scatter's, the select is the faster form.)
    this.lines.push(vector ? `const ${I} ${v} = ${w} & -(${I})((${U})${w} < ${n0});` : `const ${I} ${v} = (${U})${w} < ${n0} ? ${w} : 0;`);
    return v;
  }

  load(n: Node, flat: string): string {
    const name = this.p.storage.get(n) ?? this.keptBy.get(n)!;
    this.buffers.add(name);
    this.loads.push([name, flat]);
    return `${name}[${flat}]`;
  }

  flat(idx: readonly string[], shape: readonly number[]): string {
    return this.k.flat ? 'i' : flatIndex(idx, shape);
  }

  at(n: Node, idx: readonly string[]): string {
    const key = `${n.id}@${idx.join(',')}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    let expr: string;
    const def = opDef(n.op);
    const tile = this.tileOf.get(n);
    if (tile && idx.every((x, d) => x === `i${d}`)) expr = tile;
    else if (this.stored(n)) expr = this.load(n, this.flat(idx, n.shape));
    else if (def.kind === 'elementwise') expr = this.elementwise(n, def, idx);
    else if ('c' in def && def.c) {
      for (const h of typeof def.helpers === 'string' ? [def.helpers] : def.helpers ?? []) this.helpers.add(h);
      expr = def.c(n, idx, this);
    } else throw new Error(`internal: ${n.op} reached the elementwise code generator`);
    if (/^[A-Za-z_][A-Za-z_0-9]*$/.test(expr)) {
      this.memo.set(key, expr);
      return expr;
    }
    const name = `v${this.count++}`;
    this.lines.push(`const ${C_TYPE[n.dtype]} ${name} = ${expr};`);
    this.memo.set(key, name);
    return name;
  }

  private elementwise(n: Node, def: ElementwiseDef, idx: readonly string[]): string {
    const xs = n.src.map((s) => this.at(s, idx));
    return this.apply(def, xs, n.src[n.src.length - 1].dtype, n.dtype, n.src.map((s) => s.dtype));
  }

  /** The C of elementwise op `def` on the C expressions `xs`, computed in `compute`, giving `out`. */
  private apply(def: ElementwiseDef, xs: readonly string[], compute: DType, out: DType, src: readonly DType[]): string {
    const t = cctx(compute, out, src);
    const helper = typeof def.helpers === 'function' ? def.helpers(t) : def.helpers;
    if (helper) this.helpers.add(helper);
    const useInt = !isFloat(compute) && def.cInt;
    const expr = useInt ? def.cInt!(xs, t) : def.c(xs, t);
    if (def.libmvec && !useInt) for (const decl of def.libmvec(t)) this.vectorMath.add(decl);
    return isBool(out) && isBool(compute) && !def.cIsBool ? `(${expr} != 0)` : expr;
  }

  /** Generates inside a fresh scope: values computed outside stay visible, new ones stay inside. */
  scoped(fn: () => string): { lines: string[]; value: string } {
    const [lines, memo] = [this.lines, this.memo];
    this.lines = [];
    this.memo = new Map(memo);
    const value = fn();
    const inner = this.lines;
    [this.lines, this.memo] = [lines, memo];
    return { lines: inner, value };
  }

  /**
   * The statements inside the kernel function and the extent of the loop split across threads; a
   * split reduction also returns its per-call scratch and the statements that combine the partials.
   */
  body(): Body {
    const root = this.k.node;
    const main = this.k.main ?? root;
    const def = opDef(main.op);
    const loop = this.lk.loop.kind;
    if (loop === 'reduce') return reduceBody(this, main, def as ReduceDef, this.lk.reduction!);
    if (loop === 'scan') return scanBody(this, main, def as ScanDef);
    if (loop === 'matmul' || loop === 'conv') return this.k.main ? this.matmulBody(main, root) : this.matmulBody(root);
    if (loop === 'sort') return sortBody(this, root);
    if (loop === 'scatter') return this.scatterBody(root);
    if (def.kind === 'kernel') {
      // A user kernel: one serial call on whole buffers (its inputs are stored, contiguous).
      const fn = def.cFunction(root);
      this.helpers.add(fn.text);
      const args = root.src.flatMap((s) => [this.buffer(s), String(sizeOf(s.shape))]);
      return { lines: ['  (void)lo; (void)hi; (void)s;', `  ${fn.name}(${[...args, this.k.out, String(sizeOf(root.shape))].join(', ')});`], outer: 1 };
    }
    const shape = root.shape;
    const vars = this.k.flat ? ['i'] : shape.map((_, d) => `i${d}`);
    const tile = this.lk.loop.tile;
    const tiled = tile && { k: tile.axis, reads: tile.views.map((id, j) => ({ view: nodeById(root, id), buf: `tf_tile${j}` })) };
    for (const { view, buf } of tiled?.reads ?? []) {
      const last = shape.length - 1;
      this.tileOf.set(view, `${buf}[i${tiled!.k} - t${tiled!.k}][i${last} - t${last}]`);
    }
    let value: string;
    if (def.kind === 'elementwise') value = this.elementwise(root, def, vars);
    else if ('c' in def && def.c) {
      for (const h of typeof def.helpers === 'string' ? [def.helpers] : def.helpers ?? []) this.helpers.add(h);
      value = def.c(root, vars, this);
    } else throw new Error(`internal: no C code generator for ${root.op}`);
    this.storeIndex = this.k.store ? viewFlat(this.k.store, vars) : this.k.flat ? 'i' : flatIndex(vars, shape);
    if (this.lk.store.kind === 'streamed') return { lines: this.streamedLoop(value), outer: sizeOf(shape) };
    const inner = [...this.lines, `${this.k.out}[${this.storeIndex}] = ${value};`];
    if (tiled) return this.tiledNest(shape, tiled, inner);
    if (this.k.flat) return { lines: ['  #pragma omp simd', '  for (int64_t i = lo; i < hi; i++) {', ...indent(inner, 2), '  }'], outer: sizeOf(shape) };
    // Iterations write distinct elements and read only inputs: no loop-carried dependence to respect.
    return nest(vars, shape, inner, true);
  }

  /**
   * A scatter, serial: every index is checked first (an out-of-range one fails the call with nothing
   * written), then the base is copied unless the output is the base itself (an in-place assign), then
   * the values are written in row-major order of their positions, so the last duplicate wins (or each
   * is combined with the op), the same on every thread count.
   */
  private scatterBody(root: Node): Body {
    const arg = root.arg as unknown as ScatterArg;
    const [base, values, ...idx] = root.src;
    const nb = idx[0].shape.length;
    const vars = values.shape.map((_, d) => `i${d}`);
    const bVars = vars.slice(arg.at, arg.at + nb);
    const out = this.k.out;
    /** Checks every index (at the positions' B part): sets tf_oob. */
    const checkAll = () => this.scoped(() => {
      idx.forEach((ix, j) => this.bounded(this.at(ix, bVars), arg.view.shape[arg.axes[j]], root));
      return '';
    });
    /** Writes the value at each position into `dest` at its target (combined with `def`), its indices checked already. */
    const writeInto = (dest: string, def?: ElementwiseDef) => this.scoped(() => {
      const v = this.at(values, vars);
      const rest = [...vars.slice(0, arg.at), ...vars.slice(arg.at + nb)];
      let r = 0;
      const t = arg.view.shape.map((size, d) => (arg.axes.includes(d) ? this.bounded(this.at(idx[arg.axes.indexOf(d)], bVars), size, root, false) : rest[r++]));
      const target = `${dest}[${viewFlat(arg.view, t)}]`;
      this.lines.push(`${target} = ${def ? this.apply(def, [target, v], root.dtype, root.dtype, [root.dtype, root.dtype]) : v};`);
      return '';
    });
    this.storeIndex = 'i';
    const copy = `for (int64_t i = 0; i < ${sizeOf(base.shape)}; i++) ${out}[i] = ${this.load(base, 'i')};`;
    const loops = (names: readonly string[], bounds: readonly number[], inner: readonly string[], simd = false, first?: [string, string]) =>
      names.reduceRight((body, name, d) => [...(simd && d === names.length - 1 ? [SIMD] : []),
        `for (int64_t ${name} = ${d === 0 && first ? first[0] : 0}; ${name} < ${d === 0 && first ? first[1] : bounds[d]}; ${name}++) {`, ...indent(body, 1), '}'], [...inner]);
    const parts = this.scatterParts(root);
    if (parts) {
      // An order-free combine (an int histogram, a max): chunks of the positions' first axis fold into
      // partials of their own, in parallel; _final, after all of them and only if no index was out of
      // range, copies the base and merges the partials.
      const { chunks, T, identity, def, slot } = parts;
      const N = sizeOf(base.shape), n0 = values.shape[0];
      // Each chunk checks its own positions in a vectorized pass first and folds only if they were all
      // in range, so the fold uses the indices it checked (no clamp: it cost this loop 60%).
      this.indexMode = 'note-negative';
      const checkChunk = checkAll();
      this.indexMode = 'nonnegative';
      const foldPlain = writeInto('part', def);
      this.indexMode = 'plain';
      const fold = writeInto('part', def);
      const merged = this.apply(def, [`${out}[j]`, 'part[j]'], root.dtype, root.dtype, [root.dtype, root.dtype]);
      const partial = [
        'for (int64_t ch = lo; ch < hi; ch++) {',
        `  ${T} *restrict part = (${T} *)b[${slot}] + ch * ${N};`,
        `  for (int64_t j = 0; j < ${N}; j++) part[j] = ${identity};`,
        `  const int64_t c_lo = ch * ${n0} / ${chunks}, c_hi = (ch + 1) * ${n0} / ${chunks};`,
        '  int tf_neg = 0;',
        ...indent(loops(vars, values.shape, checkChunk.lines, true, ['c_lo', 'c_hi']).map((l) => (l.trimStart() === SIMD ? `${l} reduction(|:tf_oob) reduction(|:tf_neg)` : l)), 1),
        '  if (tf_oob) continue; /* nothing will be merged */',
        '  if (!tf_neg) {',
        ...indent(loops(vars, values.shape, foldPlain.lines, false, ['c_lo', 'c_hi']), 2),
        '  } else {',
        ...indent(loops(vars, values.shape, fold.lines, false, ['c_lo', 'c_hi']), 2),
        '  }',
        '}',
      ];
      const final = [
        '(void)lo; (void)hi;',
        `if ((const void *)${out} != (const void *)${this.p.storage.get(base)}) ${copy}`,
        `for (int64_t ch = 0; ch < ${chunks}; ch++) {`,
        `  const ${T} *restrict part = (const ${T} *)b[${slot}] + ch * ${N};`,
        `  for (int64_t j = 0; j < ${N}; j++) ${out}[j] = ${merged};`,
        '}',
      ];
      return { lines: indent(partial, 1), outer: chunks, partials: [{ decl: `${T} tf_part${slot}[${chunks * N}];`, name: `tf_part${slot}` }], final: indent(final, 1) };
    }
    const check = checkAll();
    const update = writeInto(out, scatterCombine(arg));
    return {
      lines: indent([
        '(void)lo; (void)hi;',
        // the checking pass has no stores: a vectorized or-reduction of the flag
        ...loops(bVars, idx[0].shape, check.lines, true),
        'if (!tf_oob) {',
        `  if ((const void *)${out} != (const void *)${this.p.storage.get(base)}) ${copy}`,
        ...indent(loops(vars, values.shape, update.lines), 1),
        '}',
      ], 1),
      outer: 1,
    };
  }

  /** The partial-sums form of a scatter, when lowering chose it (lower.ts: scatterChunks). */
  private scatterParts(root: Node): { chunks: number; T: string; identity: string; def: ElementwiseDef; slot: number } | undefined {
    const chunks = this.lk.loop.chunks;
    if (!chunks) return undefined;
    const def = scatterCombine(root.arg as unknown as ScatterArg)!;
    return { chunks, T: C_TYPE[root.dtype], identity: def.identity!(root.dtype)!, def, slot: this.scratch };
  }

  /**
   * Loops over the output in TILE × TILE tiles of axes k and last: per tile, each transposed input is
   * copied into its buffer walking k innermost (contiguous reads), then the tile is computed walking
   * last innermost (contiguous writes), so reads and writes stay in L1.
   */
  private tiledNest(shape: readonly number[], tiled: { k: number; reads: { view: Node; buf: string }[] }, inner: string[]): Body {
    const { k, reads } = tiled;
    const last = shape.length - 1;
    const copies = reads.flatMap(({ view, buf }) => {
      const v = view.arg as unknown as View;
      const vars = shape.map((_, d) => `i${d}`);
      return [
        `for (int64_t i${last} = t${last}; i${last} < e${last}; i${last}++) {`,
        '  #pragma omp simd',
        `  for (int64_t i${k} = t${k}; i${k} < e${k}; i${k}++) ${buf}[i${k} - t${k}][i${last} - t${last}] = ${this.load(view.src[0], viewFlat(v, vars))};`,
        '}',
      ];
    });
    const tile = [
      `for (int64_t t${last} = 0; t${last} < ${shape[last]}; t${last} += ${TILE}) {`,
      `  const int64_t e${last} = t${last} + ${TILE} < ${shape[last]} ? t${last} + ${TILE} : ${shape[last]};`,
      ...indent(copies, 1),
      `  for (int64_t i${k} = t${k}; i${k} < e${k}; i${k}++) {`,
      '    #pragma omp simd',
      `    for (int64_t i${last} = t${last}; i${last} < e${last}; i${last}++) {`,
      ...indent(inner, 3),
      '    }',
      '  }',
      '}',
    ];
    const outer = shape.map((_, d) => d).filter((d) => d !== k && d !== last);
    const tiles = Math.ceil(shape[k] / TILE);
    const decls = reads.map(({ view, buf }) => `${C_TYPE[view.dtype]} ${buf}[${TILE}][${TILE}];`);
    // The tiles of k, in the outermost loop (split across threads) when no other axis is outside them.
    const kLoop = (from: string, to: string) => [
      `for (int64_t tb = ${from}; tb < ${to}; tb++) {`,
      `  const int64_t t${k} = tb * ${TILE}, e${k} = t${k} + ${TILE} < ${shape[k]} ? t${k} + ${TILE} : ${shape[k]};`,
      ...indent(tile, 1),
      '}',
    ];
    if (outer.length === 0) return { lines: indent([...decls, ...kLoop('lo', 'hi')], 1), outer: tiles };
    const nested = nest(outer.map((d) => `i${d}`), outer.map((d) => shape[d]), kLoop('0', String(tiles)));
    return { lines: [...indent(decls, 1), ...nested.lines], outer: nested.outer };
  }

  /**
   * The flat loop of a kernel whose output may be streamed: blocks of TF_BLOCK elements computed into
   * `tf_st` and streamed out when this call's range is large (TF_NT_MIN bytes), else one block that is
   * the whole range, written in place. One loop body either way, so the compile costs no more.
   */
  private streamedLoop(value: string): string[] {
    const T = C_TYPE[this.k.node.dtype];
    const out = this.k.out;
    return [
      `  ${T} tf_st[TF_BLOCK] __attribute__((aligned(64)));`,
      `  const int tf_nt = TF_NT && (hi - lo) * (int64_t)sizeof(${T}) >= TF_NT_MIN;`,
      '  for (int64_t i0 = lo; i0 < hi;) {',
      `    const int64_t i1 = tf_nt ? tf_block_end(${out}, i0, hi, sizeof(${T})) : hi;`,
      `    ${T} *restrict const dst = tf_nt ? tf_st : ${out} + i0;`,
      '    #pragma omp simd',
      '    for (int64_t i = i0; i < i1; i++) {',
      ...indent([...this.lines, `dst[i - i0] = ${value};`], 3),
      '    }',
      `    if (tf_nt) tf_stream_${T}(${out} + i0, tf_st, i1 - i0);`,
      '    i0 = i1;',
      '  }',
      '  if (tf_nt) tf_stream_fence();',
    ];
  }

  /**
   * The epilogue: `e` evaluated where `main` (already computed into the C variable `value`) is read
   * at `mainIdx`. Returns the statements and the value to store.
   */
  private epilogue(e: Node, eIdx: readonly string[], main: Node, mainIdx: readonly string[], value: string): { lines: string[]; value: string } {
    return this.scoped(() => {
      this.memo.set(`${main.id}@${mainIdx.join(',')}`, value);
      return this.at(e, eIdx);
    });
  }

  /** A float conv2d (convops.ts): direct loops over its input (codegen/conv.ts). */
  private convBody(root: Node, epilogue?: Node): Body {
    const [w, x] = root.src;
    const [, G, og] = root.shape, [, C, h, wd] = x.shape;
    this.helpers.add(matmulHelpers(root.dtype));
    const r = convDirect({
      dtype: root.dtype, out: this.k.out, arg: root.arg as unknown as ConvArg,
      shape: { n: root.shape[0], g: G, og, cg: C / G, h, w: wd },
      loadW: (g, o, k) => this.scoped(() => this.at(w, [g, o, k])),
      loadX: (n, c, row, q) => this.scoped(() => this.at(x, [n, c, row, q])),
      outOfMemory: (bytes) => `tf_oob |= ${this.failure(`conv2d: out of memory: its loops need ${bytes} bytes of scratch per thread (a zero-bordered copy of one image's channels, and the weights of 8 output channels)`)};`,
      epilogue: epilogue && ((bt, row, col, value) => {
        const idx = [`(${bt} / ${G})`, `(${bt} % ${G})`, row, col];
        return this.epilogue(epilogue, idx, root, idx, value);
      }),
    });
    for (const helper of r.helpers) this.helpers.add(helper);
    return { lines: r.lines, outer: r.outer };
  }

  /**
   * Row-at-a-time matmul: for each output row, out[i, :] += a[i, kk] * b[kk, :] for kk ascending. Each
   * element accumulates in k order with one rounding per op, as the reference does.
   */
  private matmulBody(root: Node, epilogue?: Node): Body {
    if ((opDef(root.op) as SpecialDef).nest === 'conv') return this.convBody(root, epilogue);
    const [a, b] = root.src;
    if (isFloat(root.dtype)) {
      this.helpers.add(matmulHelpers(root.dtype));
      const batchShape = root.shape.slice(0, -2);
      // The flat batch index `bt` unravelled into the batch dims.
      const unravel = (bt: string) => batchShape.map((d, i) => {
        const inner = batchShape.slice(i + 1).reduce((x, y) => x * y, 1);
        return d === 1 ? '0' : i === 0 ? `(${bt} / ${inner})` : `((${bt} / ${inner}) % ${d})`;
      });
      return matmulBlocked({
        dtype: root.dtype, out: this.k.out,
        batch: batchShape.reduce((x, y) => x * y, 1), m: root.shape[root.shape.length - 2], n: root.shape[root.shape.length - 1], k: a.shape[a.shape.length - 1],
        loadA: (bt, row, col) => this.scoped(() => this.at(a, [...unravel(bt), row, col])),
        loadB: (bt, row, col) => this.scoped(() => this.at(b, [...unravel(bt), row, col])),
        outOfMemory: (bytes) => `tf_oob |= ${this.failure(`matmul: out of memory: its packing buffers need ${bytes} bytes per thread`)};`,
        epilogue: epilogue && ((bt, row, col, value) => {
          const idx = [...unravel(bt), row, col];
          return this.epilogue(epilogue, idx, root, idx, value);
        }),
      });
    }
    const nd = root.shape.length;
    const [m, n] = root.shape.slice(-2);
    const K = a.shape[nd - 1];
    const batch = root.shape.slice(0, -2).map((_, d) => `i${d}`);
    const T = C_TYPE[root.dtype];
    const outRow = (j: string) => `${this.k.out}[${flatIndex([...batch, 'i', j], root.shape)}]`;
    const { lines: aLines, value: av } = this.scoped(() => this.at(a, [...batch, 'i', 'kk']));
    const { lines: bLines, value: bv } = this.scoped(() => this.at(b, [...batch, 'kk', 'j']));
    const madd = isInteger(root.dtype)
      ? `(${T})((uint32_t)${outRow('j')} + (uint32_t)${av} * (uint32_t)${bv})`
      : `${outRow('j')} + ${av} * ${bv}`;
    const row = [
      `for (int64_t j = 0; j < ${n}; j++) ${outRow('j')} = (${T})0;`,
      `for (int64_t kk = 0; kk < ${K}; kk++) {`,
      ...indent(aLines, 1),
      '  #pragma omp simd',
      `  for (int64_t j = 0; j < ${n}; j++) {`,
      ...indent(bLines, 2),
      `    ${outRow('j')} = ${madd};`,
      '  }',
      '}',
    ];
    return nest([...batch, 'i'], [...root.shape.slice(0, -2), m], row);
  }
}

/** The node of id `id` in the graph below `root` (a lowered kernel names nodes by id). */
export function nodeById(root: Node, id: number): Node {
  const seen = new Set<Node>(), todo = [root];
  while (todo.length) {
    const n = todo.pop()!;
    if (n.id === id) return n;
    if (seen.has(n)) continue;
    seen.add(n);
    todo.push(...n.src);
  }
  throw new Error(`internal: node ${id} is not in the graph of ${root.op}`);
}

