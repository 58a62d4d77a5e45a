/**
 * Evaluating a tensor whose numbers are pending on a template (memo.ts): the template's program, run
 * with the scalar slots of the anchors' constants set to the pending numbers. A loop over a changing
 * number (`x.mul(i).add(1).eval()`) then costs what a loop over a fixed one does: one memo hit per op,
 * no graph of its own, and one FFI call.
 */
import { configVersion } from '../config.js';
import type { Storage } from '../dtype.js';
import type { Node } from '../graph.js';
import type { Pending } from '../memo.js';
import { constPath } from '../memo.js';
import { scalarPaths } from '../schedule.js';
import { counters } from '../stats.js';
import type { Plan } from './invoke.js';
import { invoke, plan } from './invoke.js';

/** Source steps to the scalars of a template past which it is not kept (see scalarPaths). */
const PATH_BUDGET = 4096;
const NONE: readonly never[] = [];

interface Kept {
  version: number;
  fuse: boolean;
  plan: Plan;
  /** The template's own scalars, in slot order: each call starts from them. */
  own: Float64Array;
  paths: number[][];
  /** The slots each anchor's constant fills, found once per anchor. */
  slots: Map<Node, number[]>;
  /**
   * The anchors of the last call and their slots: a loop brings the same ones every time, and then
   * only their slots are written (every other slot still holds the template's own number).
   */
  last?: { anchors: Node[]; slots: number[][] };
}

const kept = new WeakMap<Node, Kept>();
/** Templates evaluated once with pending numbers: the second time, their program is kept. */
const seenOnce = new WeakSet<Node>();

/**
 * The output of template `root` with `pending` numbers in place, or undefined when the caller is to
 * evaluate the tensor's own graph instead (a template met for the first time, or too deep to keep).
 */
export function runTemplate(root: Node, pending: readonly Pending[], fuse: boolean): Storage | undefined {
  let k = kept.get(root);
  if (k === undefined || k.version !== configVersion() || k.fuse !== fuse) {
    if (!seenOnce.has(root)) {
      seenOnce.add(root);
      return undefined;
    }
    const paths = scalarPaths(root, PATH_BUDGET);
    if (paths === undefined) return undefined;
    const p = plan([root], fuse, []);
    k = { version: configVersion(), fuse, plan: p, own: p.scalars.slice(), paths, slots: new Map() };
    kept.set(root, k);
  }
  counters.memoryHits++;
  const scalars = k.plan.scalars;
  const last = sameAnchors(k.last, pending) ? k.last! : (k.last = lastOf(k, root, pending, scalars));
  for (let i = 0; i < pending.length; i++) {
    const slots = last.slots[i], value = pending[i].value;
    for (let j = 0; j < slots.length; j++) scalars[slots[j]] = value;
  }
  return invoke(k.plan, NONE)[0];
}

function sameAnchors(last: Kept['last'], pending: readonly Pending[]): boolean {
  if (last === undefined || last.anchors.length !== pending.length) return false;
  for (let i = 0; i < pending.length; i++) if (last.anchors[i] !== pending[i].anchor) return false;
  return true;
}

/** Other anchors than the last call's: every slot back to the template's number, and theirs found. */
function lastOf(k: Kept, root: Node, pending: readonly Pending[], scalars: Float64Array): NonNullable<Kept['last']> {
  scalars.set(k.own);
  const slots = pending.map((p) => {
    let s = k.slots.get(p.anchor);
    if (s === undefined) k.slots.set(p.anchor, (s = slotsOf(root, k.paths, p.anchor)));
    return s;
  });
  return { anchors: pending.map((p) => p.anchor), slots };
}

/** The scalar slots of `root` (their paths from it) that are `anchor`'s constant: each path through anchor that ends as constPath does. */
function slotsOf(root: Node, paths: readonly (readonly number[])[], anchor: Node): number[] {
  const tail = constPath(anchor)!;
  const slots: number[] = [];
  paths.forEach((path, slot) => {
    let n = root;
    for (let j = 0; j < path.length; j++) {
      if (n === anchor && path.length - j === tail.length && tail.every((step, t) => path[j + t] === step)) {
        slots.push(slot);
        return;
      }
      n = n.src[path[j]];
    }
  });
  return slots;
}
