/**
 * The canonical form of a graph, before scheduling (schedule.ts): its structure with buffers and numbers
 * abstracted, as a key (equal keys compile to the same C), the input buffers in argument order and the
 * runtime scalars (constants, random keys) in slot order; and the walks that read a graph's scalars into
 * a program planned for another graph of the same skeleton.
 */
import type { Node } from './graph.js';
import { argKey, freshNode, toposort } from './graph.js';
import { isBuffer, isConst, opDef, throughViews } from './ops.js';
import { seedKey } from './rng.js';
import { fmtShape } from './shape.js';

/** The graph's structure with buffers and numbers abstracted: what decides the generated code. */
export interface Canonical {
  key: string;
  /** The outputs of the graph as scheduled: constants unshared (see unshareConstants). */
  outputs: Node[];
  /** Buffer nodes in argument order. */
  inputs: Node[];
  /** Scalar values in slot order. */
  scalars: number[];
  slots: Map<Node, number>;
}

/**
 * Hash-consing makes equal constants one node, so `x.mul(2).add(2)` would have a different structure
 * (one scalar used twice) than `x.mul(2).add(3)` and compile again. Giving every use of a constant its
 * own copy makes the structure, and so the C, independent of the numbers.
 */
/** A constant, or a view of one: copied at each use (see unshareConstants). */
const constLike = (n: Node): boolean => isConst(throughViews(n));

function unshareConstants(outputs: readonly Node[]): Node[] {
  // A constant (a const, or views of one) is copied at each use; everything else once, sources first.
  const copyConst = (n: Node): Node => (isConst(n) ? freshNode(n, []) : freshNode(n, [copyConst(n.src[0])]));
  const memo = new Map<Node, Node>();
  const use = (n: Node): Node => (constLike(n) ? copyConst(n) : memo.get(n)!);
  for (const n of toposort(outputs)) {
    if (constLike(n)) continue;
    const src = n.src.map(use);
    memo.set(n, src.every((x, i) => x === n.src[i]) ? n : freshNode(n, src));
  }
  return outputs.map(use);
}

/** A random source (rand, randn): its arg is a seed, its runtime scalar the stream's key. */
export const seeded = (n: Node): boolean => { const d = opDef(n.op); return 'seeded' in d && d.seeded === true; };
/** A `const` or random node's runtime scalar: the value, or for a random one the mixed key (not the seed) its C side takes. */
const scalarOf = (n: Node): number => (isConst(n) ? (n.arg as number) : seedKey(n.arg as number));

/**
 * Visits the scalar nodes (`const`, `rand`) of `outputs` in the slot order canonicalize gives them:
 * toposort's order with each use of a constant visited again (as unshareConstants copies it), on the
 * graph itself, no copies made. `visit` also gets the walk's stack: `next[j] - 1` is the source taken
 * at depth j, so the path from `outputs[0]` to the node is next[0..depth) - 1.
 */
function walkScalars(outputs: readonly Node[], visit: (n: Node, next: readonly number[], depth: number) => void): void {
  const nodes = outputs.slice().reverse();
  const next = nodes.map(() => 0);
  const seen = new Set<Node>();
  while (nodes.length) {
    const top = nodes.length - 1;
    const n = nodes[top], i = next[top];
    if (i === 0 && seen.has(n) && !constLike(n)) {
      nodes.pop();
      next.pop();
      continue;
    }
    seen.add(n);
    if (i < n.src.length) {
      next[top]++;
      const s = n.src[i];
      if (!seen.has(s) || constLike(s)) {
        nodes.push(s);
        next.push(0);
      }
    } else {
      nodes.pop();
      next.pop();
      if (isConst(n) || seeded(n)) visit(n, next, top);
    }
  }
}

/**
 * Writes the scalars of `outputs` into `into` in slot order: what a program planned for another graph
 * of the same skeleton (Node.skel) needs to run this one.
 */
export function scalarsInto(outputs: readonly Node[], into: Float64Array): void {
  let k = 0;
  walkScalars(outputs, (n) => (into[k++] = scalarOf(n)));
}

/**
 * Where each scalar slot of `root` is, as source indices from it: every graph of its skeleton has its
 * scalars at the same places, so an eval reads them there instead of walking the graph. Undefined
 * past `budget` steps in all (a deep graph: the walk is cheaper than the paths).
 */
export function scalarPaths(root: Node, budget: number): number[][] | undefined {
  const paths: number[][] = [];
  let steps = 0;
  walkScalars([root], (_, next, depth) => {
    steps += depth;
    if (steps <= budget) paths.push(next.slice(0, depth).map((i) => i - 1));
  });
  return steps <= budget ? paths : undefined;
}

/** The scalars of `root` read along `paths` (see scalarPaths) into `into`. */
export function scalarsAlong(root: Node, paths: readonly (readonly number[])[], into: Float64Array): void {
  for (let k = 0; k < paths.length; k++) {
    let n = root;
    const path = paths[k];
    for (let j = 0; j < path.length; j++) n = n.src[path[j]];
    into[k] = scalarOf(n);
  }
}

export function canonicalize(original: readonly Node[], fuse: boolean): Canonical {
  const outputs = unshareConstants(original);
  const order = toposort(outputs);
  const local = new Map<Node, number>();
  const inputs: Node[] = [];
  const scalars: number[] = [];
  const slots = new Map<Node, number>();
  const parts: string[] = [fuse ? 'fused' : 'unfused'];
  for (const n of order) {
    local.set(n, local.size);
    const src = n.src.map((s) => local.get(s)).join(',');
    if (isBuffer(n)) {
      parts.push(`in${inputs.length} ${n.dtype} ${fmtShape(n.shape)}`);
      inputs.push(n);
    } else if (isConst(n) || seeded(n)) {
      slots.set(n, scalars.length);
      parts.push(`${n.op} ${n.dtype} ${fmtShape(n.shape)} s${scalars.length}`);
      scalars.push(scalarOf(n));
    } else {
      parts.push(`${n.op} ${n.dtype} ${fmtShape(n.shape)} ${argKey(n.arg)} (${src})`);
    }
  }
  parts.push(`out ${outputs.map((o) => local.get(o)).join(',')}`);
  return { key: parts.join('\n'), outputs, inputs, scalars, slots };
}
