/**
 * Introspection: the fusion plan as text (`explain()`) and as Graphviz (`toDot()`), both computed from
 * the same Program eval would run.
 */
import { describe } from './codegen/c.js';
import type { Lowered } from './codegen/lower.js';
import { decisions, groupLine } from './codegen/decisions.js';
import { lower } from './codegen/lower.js';
import { config } from './config.js';
import type { Node } from './graph.js';
import { toposort } from './graph.js';
import { isBuffer, isConst } from './ops.js';
import { programKey } from './runtime/run.js';
import type { BufferInfo, Program } from './schedule.js';
import { canonicalize, schedule } from './schedule.js';
import { fmtShape } from './shape.js';

const buf = (b: BufferInfo): string => `${b.name} ${b.dtype}${fmtShape(b.shape)}`;

export function scheduleFor(outputs: readonly Node[], fuse = true): Program {
  return schedule(outputs, canonicalize(outputs, fuse), fuse);
}

/** The decisions eval's C follows for these outputs (lower.ts): plain JSON, no graph but node ids. */
export function loweredFor(outputs: readonly Node[], fuse = true): Lowered {
  return lower(scheduleFor(outputs, fuse), undefined, config().profile);
}

export function explain(outputs: readonly Node[], fuse = true): string {
  if (outputs.every(isBuffer)) return 'realized: nothing to compute';
  const p = scheduleFor(outputs, fuse);
  const low = lower(p, undefined, config().profile);
  const key = programKey(outputs, fuse);
  const lines = [
    `program: ${p.kernels.length} kernel${p.kernels.length === 1 ? '' : 's'} in one C translation unit, one FFI call${fuse ? '' : ' (unfused: one kernel per op)'}`,
    `cache key: ${key}`,
    `inputs:  ${p.inputs.map(buf).join(', ') || '(none)'}`,
    `outputs: ${p.outputs.map(buf).join(', ') || '(none)'}`,
    `temps:   ${p.temps.map(buf).join(', ') || '(none)'}`,
    `scalars: ${p.scalars}`,
    `size:    ${low.size.kind} — ${low.size.reason}`,
  ];
  p.kernels.forEach((k, i) => {
    lines.push(`kernel ${k.name}${k.flat ? ' (flat loop, length at run time)' : ''}: fuses ${k.ops.join(' ') || 'nothing'}`);
    lines.push(`  ${k.out} = ${describe(k.node, p, true)}`);
    for (const why of decisions(low.kernels[i])) lines.push(`  ${why}`);
  });
  for (const g of low.groups) lines.push(`rows: ${groupLine(g, g.members.map((m) => p.kernels[m].name))}`);
  return lines.join('\n');
}

/** The graph in Graphviz dot, one cluster per kernel. */
export function toDot(outputs: readonly Node[], fuse = true): string {
  const p = scheduleFor(outputs, fuse);
  const order = toposort(p.roots);
  const owner = new Map<Node, number>();
  // A node belongs to the first kernel (in run order) that computes it without a load.
  p.kernels.forEach((k, i) => {
    const todo = [k.node];
    while (todo.length) {
      const n = todo.pop()!;
      if (owner.has(n) || (n !== k.node && p.storage.has(n))) continue;
      owner.set(n, i);
      todo.push(...n.src);
    }
  });
  const label = (n: Node): string => {
    const name = p.storage.get(n);
    const what = isConst(n) ? `const ${String(n.arg)}` : n.op;
    return `${name ? `${name}: ` : ''}${what}\\n${n.dtype}${fmtShape(n.shape)}`;
  };
  const lines = ['digraph tensorfuse {', '  rankdir=LR;', '  node [shape=box, fontname="monospace"];'];
  p.kernels.forEach((k, i) => {
    lines.push(`  subgraph cluster_${i} {`, `    label="${k.name}";`, '    style=rounded;');
    for (const n of order) if (owner.get(n) === i) lines.push(`    n${n.id} [label="${label(n)}"];`);
    lines.push('  }');
  });
  for (const n of order) {
    if (!owner.has(n)) lines.push(`  n${n.id} [label="${label(n)}", style=filled, fillcolor="#e8e8e8"];`);
    for (const s of n.src) lines.push(`  n${s.id} -> n${n.id};`);
  }
  lines.push('}');
  return lines.join('\n');
}
