/**
 * A reduction's loops, in the order reduction.ts defines and with the strategy lowering chose
 * (lower.ts: ReductionPlan). A row sum of float32 [512, 1024] (16 lanes) reads like this:
 *
 *   for (int64_t i0 = lo; i0 < hi; i0++) {            // the kept dims, the outermost split across threads
 *     double acc_l[16];                               // the accumulators (ReductionPlan.accumulators), per lane
 *     for (int u = 0; u < 16; u++) { double acc = 0; acc_l[u] = acc; }
 *     for (int64_t rb = 0; rb < 1024; rb += 16) {
 *       #pragma omp simd
 *       for (int64_t u = 0; u < 16; u++) { ... acc += (double)x; ... }   // lane u takes position rb + u
 *     }
 *     double acc = 0;
 *     for (int u = 0; u < 16; u++) { const double acc_o = acc_l[u]; acc += acc_o; }  // merged in lane order
 *     out0[i0] = (float)acc;
 *   }
 *
 * A column reduction keeps one accumulator per column of a block of COLUMNS and folds whole rows into
 * them; a split one folds chunks of its first reduced axis into per-chunk partials that _final merges.
 */
import { C_TYPE } from '../dtype.js';
import type { Node } from '../graph.js';
import type { CCtx, ReduceDef } from '../ops.js';
import { affine } from './index.js';
import type { Body, BodyWriter } from './loops.js';
import { cctx, indent, nest } from './loops.js';
import type { Accumulator, ReductionPlan } from './lower.js';
import { declare, ROWS } from './lower.js';
import { COLUMNS } from './strategy.js';

/**
 * A reduction in the order reduction.ts defines: a column path (each column folds its rows in order,
 * vectorized across columns), a lane path (the innermost reduced loop dealt into lanesOf(dtype)
 * accumulators, vectorized along it), and for a large reduction to one value, chunks of the first
 * reduced axis that threads take whole, merged in order by _final.
 */
export function reduceBody(w: BodyWriter, root: Node, def: ReduceDef, layout: ReductionPlan): Body {
  const x = root.src[0];
  const axes = (root.arg as { axes: number[] }).axes;
  const t = cctx(x.dtype, root.dtype, [x.dtype]);
  const kept = root.shape.flatMap((_, d) => (axes.includes(d) ? [] : [d]));
  const idx = x.shape.map((_, d) => (axes.includes(d) ? `r${d}` : `i${d}`));
  const rstrides = axes.map((_, j) => axes.slice(j + 1).reduce((n, a) => n * x.shape[a], 1));
  const { lines, value } = w.scoped(() => w.at(x, idx));
  const usesK = def.positional === true; // argmax: the step needs the element's position k
  const step = [...lines, `const ${C_TYPE[x.dtype]} x = ${value};`, ...w.keep(x, idx, 'x'), ...(usesK ? [`const int64_t k = ${affine(axes.map((a, j) => [rstrides[j], `r${a}`] as const))};`] : []), def.cStep(t)];
  const outIdx = root.shape.map((n, d) => (axes.includes(d) || n === 1 ? '0' : `i${d}`));
  // The result stored at the reduction's own index, through the kernel's epilogue if it has one.
  const storeResult = (result: string): string[] => w.store(outIdx, result);
  const decls = layout.accumulators, init = declare(decls);
  if (layout.kind === 'column') return columnReduce(x, axes, kept, def, t, step, decls, storeResult);
  /** The reduced loops folding into the accumulator `cInit` declared; the first may run over [from, to). */
  const fold = (from = '0', to = String(x.shape[axes[0]])): string[] => {
    if (axes.length === 0) return step; // over no axes (argmax of a scalar): one step
    const bound = (a: number): [string, string] => (a === axes[0] ? [from, to] : ['0', String(x.shape[a])]);
    const wrap = (loop: string[]) => axes.slice(0, -1).reverse().reduce((body, a) => {
      const [lo, hi] = bound(a);
      return [`for (int64_t r${a} = ${lo}; r${a} < ${hi}; r${a}++) {`, ...indent(body, 1), '}'];
    }, loop);
    const a = axes[axes.length - 1], [lo, hi] = bound(a);
    if (layout.lanes === 1) {
      // an order-free fold of one accumulator (an integer sum): the compiler vectorizes it as it likes
      const free = layout.orderFree;
      const simd = free && decls.length === 1 ? [`#pragma omp simd reduction(${free}:${decls[0].name})`] : [];
      return wrap([...simd, `for (int64_t r${a} = ${lo}; r${a} < ${hi}; r${a}++) {`, ...indent(step, 1), '}']);
    }
    const L = layout.lanes;
    const constant = lo === '0' && /^\d+$/.test(hi);
    const inLane = [...decls.map((v) => `${v.type} ${v.name} = ${v.name}_l[u];`), ...step, ...decls.map((v) => `${v.name}_l[u] = ${v.name};`)];
    return [
      ...decls.map((v) => `${v.type} ${v.name}_l[${L}];`),
      `for (int u = 0; u < ${L}; u++) {`, `  ${init}`, ...decls.map((v) => `  ${v.name}_l[u] = ${v.name};`), '}',
      ...wrap([
        // Blocks of L positions, lane u taking position rb + u; the last block may be shorter. One
        // loop body (a separate tail loop would be a second copy of the fused expression to compile).
        `for (int64_t rb = ${lo}; rb < ${hi}; rb += ${L}) {`,
        ...(constant && Number(hi) % L === 0 ? [] : [`  const int64_t un = ${hi} - rb < ${L} ? ${hi} - rb : ${L};`]),
        '  #pragma omp simd',
        `  for (int64_t u = 0; u < ${constant && Number(hi) % L === 0 ? L : 'un'}; u++) {`,
        `    const int64_t r${a} = rb + u;`,
        ...indent(inLane, 2),
        '  }',
        '}',
      ]),
      init,
      `for (int u = 0; u < ${L}; u++) {`, ...decls.map((v) => `  const ${v.type} ${v.name}_o = ${v.name}_l[u];`), `  ${def.cMerge!(t)}`, '}',
    ];
  };
  if (layout.chunks) {
    // Threads reduce whole chunks into per-chunk accumulators; _final merges them in chunk order.
    const n0 = x.shape[axes[0]], chunks = layout.chunks;
    const parts = decls.map((v, i) => ({ ...v, name: `tf_part${w.scratch + i}_${v.name}`, slot: w.scratch + i }));
    const partial = [
      'for (int64_t ch = lo; ch < hi; ch++) {',
      `  const int64_t ch_lo = ch * ${n0} / ${chunks}, ch_hi = (ch + 1) * ${n0} / ${chunks};`,
      '  {',
      ...indent(layout.lanes === 1 ? [init, ...fold('ch_lo', 'ch_hi')] : fold('ch_lo', 'ch_hi'), 2),
      ...parts.map((p, i) => `    ((${p.type} *)b[${p.slot}])[ch] = ${decls[i].name};`),
      '  }',
      '}',
    ];
    const final = [
      '(void)lo; (void)hi;',
      init,
      `for (int64_t ch = 0; ch < ${chunks}; ch++) {`,
      ...parts.map((p, i) => `  const ${p.type} ${decls[i].name}_o = ((const ${p.type} *)b[${p.slot}])[ch];`),
      `  ${def.cMerge!(t)}`,
      '}',
      ...storeResult(def.cResult(t)),
    ];
    return { lines: indent(partial, 1), outer: chunks, partials: parts.map((p) => ({ decl: `${p.type} ${p.name}[${chunks}];`, name: p.name })), final: indent(final, 1) };
  }
  const body = [...(layout.lanes === 1 ? [init] : []), ...fold(), ...storeResult(def.cResult(t))];
  return nest(kept.map((d) => `i${d}`), kept.map((d) => root.shape[d]), ['{', ...indent(body, 1), '}']);
}

/**
 * Reducing over outer axes (a column sum): walking each column down would stride through memory, so
 * the innermost kept dim is taken in blocks of COLUMNS with one accumulator per column, and every row
 * of the block is folded in with a contiguous, vectorized pass.
 */
function columnReduce(x: Node, axes: readonly number[], kept: readonly number[], def: ReduceDef, t: CCtx, step: readonly string[],
  decls: readonly Accumulator[], storeResult: (result: string) => string[]): Body {
  const last = x.shape.length - 1;
  const perColumn = (stmts: string[]) => [`for (int64_t jj = 0; jj < jn; jj++) {`, `  const int64_t i${last} = j0 + jj;`, ...indent(stmts, 1), '}'];
  const load = decls.map((v) => `${v.type} ${v.name} = ${v.name}_v[jj];`);
  const save = decls.map((v) => `${v.name}_v[jj] = ${v.name};`);
  // The innermost reduced axis is taken ROWS at a time: each column's accumulator is loaded and
  // stored once per ROWS rows instead of once per row (it is wider than the data for float32), and
  // the rows are still added one after another, in the reference's order.
  const inner = axes[axes.length - 1], extent = x.shape[inner];
  const rows = Math.floor(extent / ROWS) * ROWS;
  let fold = [
    ...(rows > 0 ? [
      `for (int64_t rb = 0; rb < ${rows}; rb += ${ROWS}) {`,
      '  #pragma omp simd',
      ...indent(perColumn([...load, `#pragma GCC unroll ${ROWS}`, `for (int64_t u = 0; u < ${ROWS}; u++) {`, `  const int64_t r${inner} = rb + u;`, ...indent(step, 1), '}', ...save]), 1),
      '}',
    ] : []),
    ...(rows < extent ? [
      `for (int64_t r${inner} = ${rows}; r${inner} < ${extent}; r${inner}++) {`,
      '  #pragma omp simd',
      ...indent(perColumn([...load, ...step, ...save]), 1),
      '}',
    ] : []),
  ];
  axes.slice(0, -1).reverse().forEach((a) => {
    fold = [`for (int64_t r${a} = 0; r${a} < ${x.shape[a]}; r${a}++) {`, ...indent(fold, 1), '}'];
  });
  const block = (from: string, to: string) => [
    `for (int64_t j0 = ${from}; j0 < ${to}; j0 += ${COLUMNS}) {`,
    `  const int64_t jn = ${to} - j0 < ${COLUMNS} ? ${to} - j0 : ${COLUMNS};`,
    ...decls.map((v) => `  ${v.type} ${v.name}_v[${COLUMNS}];`),
    ...indent(perColumn([declare(decls), ...save]), 1),
    ...indent(fold, 1),
    ...indent(perColumn([...load, ...storeResult(def.cResult(t))]), 1),
    '}',
  ];
  const outer = kept.filter((d) => d !== last);
  // Threads split the columns at multiples of 16: fewer than that per thread would each read every
  // row's cache lines for a few of their columns (a [100000, 5] column sum ran slower on 2 threads).
  if (outer.length === 0) return { lines: indent(block('lo', 'hi'), 1), outer: x.shape[last], align: 16 };
  return nest(outer.map((d) => `i${d}`), outer.map((d) => x.shape[d]), block('0', String(x.shape[last])));
}
