/**
 * The lowering's decisions as text, each with its reason: what explain() and TENSORFUSE_DEBUG=3 print.
 */
import type { Lowered, LoweredGroup, LoweredKernel } from './lower.js';

/** The decisions of each kernel as text, with their reasons: explain() and TENSORFUSE_DEBUG=3. */
export function decisions(k: LoweredKernel): string[] {
  const lines = k.reduction ? [`reduction: ${k.reduction.kind} — ${k.reduction.reason}`] : [`loop: ${k.loop.kind} — ${k.loop.reason}`];
  if (k.empty) return ['empty: no elements, nothing runs'];
  if (k.group === undefined) lines.push(`parallel: ${k.parallel.reason}`);
  if (k.loop.kind === 'flat') lines.push(`store: ${k.store.kind} — ${k.store.reason}`);
  return lines;
}

/** Every kernel's decisions, one line each, and the row groups (TENSORFUSE_DEBUG=3). */
export function decisionLines(l: Lowered): string[] {
  return [
    `program: ${l.size.kind} — ${l.size.reason}`,
    ...l.kernels.map((k) => `${k.name}: ${decisions(k).join('; ')}`),
    ...l.groups.map((g) => groupLine(g, g.members.map((i) => l.kernels[i].name))),
  ];
}

/** A row group in one line: its members, its blocks, why, and how threads share it. */
export function groupLine(g: LoweredGroup, names: readonly string[]): string {
  const unit = g.rows === 'runtime' ? 'element' : 'row';
  const parallel = g.rows === 'runtime' ? `threads take at least ${g.grain} elements each, cut at multiples of 16, when there are 2 × that`
    : g.rows >= 2 * g.grain ? `threads take at least ${g.grain} rows each` : 'serial (too little work)';
  const kept = g.kept.map((c) => `; kept: ${c.reason}`).join('');
  return `${names.join(', ')} run together as ${g.name}, ${g.block} ${unit}${g.block === 1 ? '' : 's'} at a time per thread: ${g.reason}${kept}; parallel: ${parallel}`;
}
