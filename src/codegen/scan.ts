/**
 * The loops of a scan kernel (cumsum along axis a of x), in the order scanops.ts defines. Along the
 * last axis, each line is one serial loop and threads take lines:
 *
 *   for (i0 = lo; i0 < hi; i0++) {                   // the other dims, the outermost split
 *     double acc = 0;                                 // the reduction's accumulator (cInit)
 *     for (i1 = 0; i1 < 1000; i1++) { const float x = <x at i0, i1>; acc += x; out[i0*1000 + i1] = (float)acc; }
 *   }
 *
 * Along an outer axis, lines lie side by side: blocks of COLUMNS of them are carried together, one
 * accumulator each, and every step along the axis is a contiguous vector loop over the block. A long
 * single line is cut into chunks: a parallel pass folds each chunk's total (in vector lanes, as a
 * reduction does), _final merges the totals in
 * order into each chunk's carry, and a second parallel pass folds each chunk onto its carry, storing.
 */
import type { Node } from '../graph.js';
import type { ReduceDef, ScanDef } from '../ops.js';
import { OPS } from '../ops.js';
import { scanLayout } from '../scanops.js';
import { lanesOf } from '../reduction.js';
import type { ScanArg } from '../scanops.js';
import type { Body, BodyWriter } from './loops.js';
import { cctx, indent, nest } from './loops.js';
import { accumulatorsOf } from './lower.js';
import { COLUMNS } from './strategy.js';

export function scanBody(w: BodyWriter, root: Node, def: ScanDef): Body {
  const x = root.src[0];
  const { axis } = root.arg as unknown as ScanArg;
  const shape = root.shape, nd = shape.length, last = nd - 1;
  const t = cctx(x.dtype, root.dtype, [x.dtype]);
  const red = def.accumulator?.(t) ?? (OPS[def.of] as ReduceDef);
  const decls = accumulatorsOf(red.cInit(t));
  const idx = shape.map((n, d) => (n === 1 ? '0' : `i${d}`));
  /** One step at the current position: x, the accumulator's step, the store of its result. */
  const step = (): string[] => {
    const { lines, value } = w.scoped(() => w.at(x, idx));
    return [...lines, `const ${t.T} x = ${value};`, red.cStep(t), ...w.store(idx, red.cResult(t))];
  };
  const layout = scanLayout(shape, axis);
  const len = shape[axis];
  const along = (from: string, to: string, body: string[]) => [`for (int64_t i${axis} = ${from}; i${axis} < ${to}; i${axis}++) {`, ...indent(body, 1), '}'];

  if (layout.chunks) {
    const chunks = layout.chunks;
    const parts = decls.map((v, i) => ({ ...v, slot: w.scratch + i, name: `tf_part${w.scratch + i}_${v.name}` }));
    const part = (p: (typeof parts)[number]) => `((${p.type} *)b[${p.slot}])[ch]`;
    const bounds = `const int64_t ch_lo = ch * ${len} / ${chunks}, ch_hi = (ch + 1) * ${len} / ${chunks};`;
    // The totals: the fold without the stores, in L lanes by position (a vector loop), merged in order.
    const L = lanesOf(x.dtype);
    const { lines: tl, value: tv } = w.scoped(() => w.at(x, idx));
    const inLane = [...decls.map((v) => `${v.type} ${v.name} = ${v.name}_l[u];`), ...tl, `const ${t.T} x = ${tv};`, red.cStep(t), ...decls.map((v) => `${v.name}_l[u] = ${v.name};`)];
    const totals = ['for (int64_t ch = lo; ch < hi; ch++) {', `  ${bounds}`,
      ...decls.map((v) => `  ${v.type} ${v.name}_l[${L}];`),
      `  for (int u = 0; u < ${L}; u++) {`, `    ${red.cInit(t)}`, ...decls.map((v) => `    ${v.name}_l[u] = ${v.name};`), '  }',
      `  for (int64_t rb = ch_lo; rb < ch_hi; rb += ${L}) {`,
      `    const int64_t un = ch_hi - rb < ${L} ? ch_hi - rb : ${L};`,
      '    #pragma omp simd',
      '    for (int64_t u = 0; u < un; u++) {',
      `      const int64_t i${axis} = rb + u;`,
      ...indent(inLane, 3),
      '    }',
      '  }',
      `  ${red.cInit(t)}`,
      `  for (int u = 0; u < ${L}; u++) {`, ...decls.map((v) => `    const ${v.type} ${v.name}_o = ${v.name}_l[u];`), `    ${red.cMerge!(t)}`, '  }',
      ...parts.map((p, i) => `  ${part(p)} = ${decls[i].name};`), '}'];
    const carries = ['(void)lo; (void)hi;', red.cInit(t), `for (int64_t ch = 0; ch < ${chunks}; ch++) {`,
      ...parts.map((p, i) => `  const ${p.type} ${decls[i].name}_o = ${part(p)};`),
      ...parts.map((p, i) => `  ${part(p)} = ${decls[i].name};`),
      `  ${red.cMerge!(t)}`, '}'];
    const rescan = ['for (int64_t ch = lo; ch < hi; ch++) {', `  ${bounds}`,
      ...parts.map((p, i) => `  ${p.type} ${decls[i].name} = ${part(p)};`),
      ...indent(along('ch_lo', 'ch_hi', step()), 1), '}'];
    return {
      lines: indent(totals, 1), outer: chunks,
      partials: parts.map((p) => ({ decl: `${p.type} ${p.name}[${chunks}];`, name: p.name })),
      final: indent(carries, 1), after: indent(rescan, 1),
    };
  }

  if (layout.inner === 1 || shape[last] === 1) {
    // Lines along the axis; the other dims (size-1 ones are pinned at 0) are the loops around them.
    const others = shape.flatMap((n, d) => (d === axis || n === 1 ? [] : [d]));
    const line = ['{', `  ${red.cInit(t)}`, ...indent(along('0', String(len), step()), 1), '}'];
    return nest(others.map((d) => `i${d}`), others.map((d) => shape[d]), line);
  }

  // Lines side by side: the last dim in blocks of COLUMNS, each column with its own accumulator.
  const load = decls.map((v) => `${v.type} ${v.name} = ${v.name}_v[jj];`);
  const save = decls.map((v) => `${v.name}_v[jj] = ${v.name};`);
  const perColumn = (stmts: string[], simd: boolean) => [
    ...(simd ? ['#pragma omp simd'] : []),
    'for (int64_t jj = 0; jj < jn; jj++) {', `  const int64_t i${last} = j0 + jj;`, ...indent(stmts, 1), '}'];
  const mid = shape.flatMap((n, d) => (d > axis && d < last && n > 1 ? [d] : []));
  const wrap = (dims: number[], body: string[]) => dims.reverse().reduce((b, d) => [`for (int64_t i${d} = 0; i${d} < ${shape[d]}; i${d}++) {`, ...indent(b, 1), '}'], body);
  const block = (from: string, to: string) => [
    `for (int64_t j0 = ${from}; j0 < ${to}; j0 += ${COLUMNS}) {`,
    `  const int64_t jn = ${to} - j0 < ${COLUMNS} ? ${to} - j0 : ${COLUMNS};`,
    ...indent(wrap(mid, [
      ...decls.map((v) => `${v.type} ${v.name}_v[${COLUMNS}];`),
      ...perColumn([red.cInit(t), ...save], false),
      ...along('0', String(len), perColumn([...load, ...step(), ...save], true)),
    ]), 1),
    '}',
  ];
  const pre = shape.flatMap((n, d) => (d < axis && n > 1 ? [d] : []));
  // With nothing before the axis, threads split the columns (at multiples of 16, as a column sum does).
  if (pre.length === 0) return { lines: indent(block('lo', 'hi'), 1), outer: shape[last], align: 16 };
  return nest(pre.map((d) => `i${d}`), pre.map((d) => shape[d]), block('0', String(shape[last])));
}
