/**
 * Identity nodes that autodiff tells apart from their source: a same-dtype cast (a free elementwise
 * copy that fuses into whatever reads it), made outside hash-consing so that each one is a node of its
 * own. `grad` differentiates with respect to one per argument (a tensor the function also reads from
 * its closure stays a constant, as in JAX), and `stopGradient` is one that the backward pass does not
 * cross.
 */
import type { Node } from './graph.js';
import { freshNode, makeNode } from './graph.js';

/** A node of its own with the value of `n`. */
export const freshIdentity = (n: Node): Node => freshNode(makeNode('cast', [n], n.shape, n.dtype), [n]);

const stops = new WeakSet<Node>();

/** The value of `n`, through which no gradient flows. */
export function stopNode(n: Node): Node {
  const s = freshIdentity(n);
  stops.add(s);
  return s;
}

export const isStop = (n: Node): boolean => stops.has(n);
