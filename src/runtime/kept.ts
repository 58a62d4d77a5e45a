/**
 * The argument plan of the last program run for a graph root. Nodes are immutable and hash-consed, so
 * rebuilding the same expression gives the same root, and its next eval is one FFI call: no
 * canonical key, no lookup (the S1 fast path). Dropped with the root, or when settings change.
 * A new root that differs from an earlier one only in its numbers (`x.mul(i)` over changing i) has
 * the same skeleton (Node.skel): the plan kept for the skeleton runs it, with this root's scalars.
 */
import { configVersion } from '../config.js';
import type { Node } from '../graph.js';
import { scalarPaths, scalarsAlong, scalarsInto } from '../schedule.js';
import { counters } from '../stats.js';
import type { Plan } from './invoke.js';
import { plan } from './invoke.js';

const kept = new WeakMap<Node, Kept>();
const seenOnce = new WeakSet<Node>();

/**
 * The kept plan of a single root, or of its skeleton (given this root's scalars), if there is one to
 * use. A plan is kept only for what is evaluated twice, a root or two roots of one skeleton: most roots
 * are evaluated once. A root evaluated twice in a row gets a plan of its own (no scalars to gather).
 */
export function keptPlan(outputs: readonly Node[], fuse: boolean, plain: boolean): Plan | undefined {
  if (!plain || outputs.length !== 1) return undefined;
  const root = outputs[0];
  const own = current(kept.get(root), fuse);
  if (own) {
    counters.memoryHits++;
    return own.plan;
  }
  const skel = root.skel !== root ? root.skel : undefined;
  const shared = skel && current(kept.get(skel), fuse);
  if (shared && shared.last !== root) {
    counters.memoryHits++;
    shared.last = root;
    const scalars = shared.plan.scalars;
    if (shared.paths) scalarsAlong(root, shared.paths, scalars);
    else scalarsInto(outputs, scalars);
    return shared.plan;
  }
  if (skel && !shared && seenOnce.has(skel) && !seenOnce.has(root)) return keep(skel, outputs, fuse, root);
  if (skel) seenOnce.add(skel);
  if (!shared && !seenOnce.has(root)) {
    seenOnce.add(root);
    return undefined;
  }
  return keep(root, outputs, fuse);
}

/** A kept plan; for a skeleton, the last root it ran and where the scalars of its roots are. */
type Kept = { version: number; fuse: boolean; plan: Plan; last?: Node; paths?: number[][] };
const current = (k: Kept | undefined, fuse: boolean): Kept | undefined => (k && k.version === configVersion() && k.fuse === fuse ? k : undefined);

function keep(key: Node, outputs: readonly Node[], fuse: boolean, last?: Node): Plan {
  const p = plan(outputs, fuse, []);
  kept.set(key, { version: configVersion(), fuse, plan: p, last, paths: last && scalarPaths(last, PATH_BUDGET) });
  return p;
}

/** Source steps to the scalars of a graph past which an eval walks it instead (see scalarPaths). */
const PATH_BUDGET = 4096;
