/**
 * What makes re-recording cheap: each node remembers the results of recent elementwise ops recorded
 * on it, and a result can be copied from a template that differs from it only in its numbers.
 *
 * Re-recording the same expression (a loop building `x.mul(2).add(y)` each time) is the hot path of
 * small evals: a repeat is one scan of a few entries instead of dtype resolution, broadcasting and three
 * hash-cons lookups. A loop over a changing number (`x.mul(i).add(1)`) copies the nodes recorded for
 * an earlier number instead (copyOf). Entries compare the op, the operand and its role by identity
 * (numbers with Object.is, so -0 and NaN are numbers of their own): no key text is built per call.
 */
import type { ScalarKind } from './dtype.js';
import { toDType } from './dtype.js';
import type { Node } from './graph.js';
import { freshNode } from './graph.js';
import { isConst, throughViews } from './ops.js';

/**
 * What an entry's `arg` is. EXACT: the op's other operand (a node, a number, a boolean; undefined for
 * a unary op), on the node it was recorded on. MIRRORED: the node the op was recorded on, on the
 * other operand's node (the younger one, see elementwise). KIND: the class of a number (a template
 * for other numbers of that class). SHARED: the skeleton the op was recorded on, on the other
 * operand's node (a template for roots of that skeleton).
 */
export const EXACT = 0, MIRRORED = 1, KIND = 2, SHARED = 3;
export type Role = typeof EXACT | typeof MIRRORED | typeof KIND | typeof SHARED;
export type MemoArg = Node | number | boolean | ScalarKind | undefined;

/** Entries per node, oldest replaced first: a node with more ops recorded on it records some again. */
const MEMO_MAX = 64;
/** An entry is four slots of a node's `memo` array: role, op, arg, result. */
const WIDTH = 4;

/** The result of `op` over `arg` (in `role`) remembered on `node`, if any. */
export function recall(node: Node, role: Role, op: string, arg: MemoArg): Node | undefined {
  const m = node.memo;
  if (m === undefined) return undefined;
  for (let i = 0; i < m.length; i += WIDTH) {
    if (m[i + 1] === op && m[i] === role && Object.is(m[i + 2], arg)) return m[i + 3] as Node;
  }
  return undefined;
}

/** Remembers `result` as `op` over `arg` on `node`, replacing the oldest entry of a full memo. */
export function remember(node: Node, role: Role, op: string, arg: MemoArg, result: Node): void {
  const m = (node.memo ??= []);
  if (m.length < MEMO_MAX * WIDTH) {
    m.push(role, op, arg, result);
    return;
  }
  const at = (node.memoNext ?? 0) % MEMO_MAX;
  node.memoNext = at + 1;
  m.splice(at * WIDTH, WIDTH, role, op, arg, result);
}

/**
 * Template `q`, an op recorded on a node of skeleton `home` (with a number of the same kind), made
 * again on `self`: every node between q and that node (or that number's constant) is copied over
 * `self` (and a constant holding `value`). Undefined when q is not of that form.
 */
export function copyOf(q: Node | undefined, home: Node, self: Node, value?: number | boolean): Node | undefined {
  if (q === undefined) return undefined;
  // The operand the op was recorded on: q's first source, or below a cast and a broadcast of it.
  let from = q.src[0];
  for (let d = 0; d < 2 && from !== undefined && (from.skel ?? from) !== home; d++) from = from.src[0];
  if (from === undefined || (from.skel ?? from) !== home) return undefined;
  let c0: Node | undefined;
  if (value !== undefined) {
    c0 = q.src[1] && throughViews(q.src[1]);
    if (c0 === undefined || !isConst(c0)) return undefined;
  }
  const swap: Swap = { from, to: self, c0, value: c0 && toDType(Number(value), c0.dtype), found: 0 };
  const out = swapped(q, 3, swap);
  return swap.found === (c0 ? 2 : 1) ? out : undefined;
}

/** What copyOf replaces: `from` by `to`, and constant `c0` by one holding `value`; `found` counts both. */
interface Swap { from: Node; to: Node; c0?: Node; value?: number; found: number }

/** `n` with the swaps of `w` made within `depth` sources of it, the nodes on the way copied. */
function swapped(n: Node, depth: number, w: Swap): Node {
  if (n === w.from) return w.found++, w.to;
  if (n === w.c0) return w.found++, freshNode(n, [], w.value!);
  if (depth === 0) return n;
  let src: Node[] | undefined;
  for (let i = 0; i < n.src.length; i++) {
    const c = swapped(n.src[i], depth - 1, w);
    if (c !== n.src[i]) (src ??= n.src.slice())[i] = c;
  }
  return src ? freshNode(n, src) : n;
}

/**
 * A number waiting on a template (see Tensor.over): `anchor` is an op recorded with another number of
 * the same kind (its constant at constPath), and `value` the number this tensor has there instead,
 * converted to the constant's dtype. `x.mul(i).add(y)` over a changing i records nothing new: the
 * tensor is the template `x.mul(i0).add(y)` with i pending at the mul, and eval runs the template's
 * program with that scalar slot changed (runtime/pending.ts). Anything else that reads the tensor's
 * node gets a graph of its own numbers (materialize).
 */
export interface Pending {
  readonly anchor: Node;
  readonly value: number;
}

/** Template `q`'s constant: its second operand, through views (undefined when that is not a constant). */
function constantOf(q: Node): Node | undefined {
  const n = q.src[1] && throughViews(q.src[1]);
  return n !== undefined && isConst(n) ? n : undefined;
}

/** The source steps from template `q` to its constant (see constantOf). */
export function constPath(q: Node): number[] | undefined {
  const c = constantOf(q);
  if (c === undefined) return undefined;
  const path = [1];
  for (let n = q.src[1]; n !== c; n = n.src[0]) path.push(0);
  return path;
}

/**
 * The pending template `q` for `op` with `value` recorded on `node` (a number of a kind recorded there
 * before), or undefined: q must be the op over `node` (or a cast or broadcast of it) and a constant.
 */
export function templateFor(node: Node, op: string, value: number | boolean, kind: ScalarKind): Pending | undefined {
  const q = recall(node, KIND, op, kind);
  if (q === undefined) return undefined;
  let from = q.src[0];
  for (let d = 0; d < 2 && from !== undefined && from !== node; d++) from = from.src[0];
  const c = from === node ? constantOf(q) : undefined;
  return c && { anchor: q, value: toDType(Number(value), c.dtype) };
}

/** Visits readsAnchor makes before it answers yes: an operand that young and that large is taken to read one. */
const READS_BUDGET = 64;

/**
 * Whether `n` may read an anchor of `pending`: only nodes at least as young as the oldest anchor are
 * visited (an older node reads none of them), at most READS_BUDGET of them.
 */
export function readsAnchor(n: Node, pending: readonly Pending[]): boolean {
  const low = lowestAnchor(pending);
  if (n.id < low) return false;
  // No visited set: a node reached twice is visited twice, and the budget bounds that too.
  const stack = [n];
  let visits = 0;
  while (stack.length) {
    const m = stack.pop()!;
    if (m.id < low) continue;
    if (++visits > READS_BUDGET) return true;
    for (let i = 0; i < pending.length; i++) if (pending[i].anchor === m) return true;
    for (const s of m.src) stack.push(s);
  }
  return false;
}

/** The lowest anchor id of `pending`: an older node reads none of them. */
const lowestAnchor = (pending: readonly Pending[]): number => {
  let low = Infinity;
  for (const p of pending) if (p.anchor.id < low) low = p.anchor.id;
  return low;
};

/**
 * `root` with the pending numbers in place: every node from an anchor up to the root copied (fresh
 * nodes of the same skeleton), each anchor's constant replaced by one holding its value. Node ids
 * grow from sources to users, so visiting the nodes at or above the lowest anchor by id is a
 * topological order, and nothing older is copied.
 */
export function materialize(root: Node, pending: readonly Pending[]): Node {
  const low = lowestAnchor(pending);
  const values = new Map(pending.map((p) => [p.anchor, p.value]));
  const nodes: Node[] = [];
  const seen = new Set<Node>();
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.id < low || seen.has(n)) continue;
    seen.add(n);
    nodes.push(n);
    for (const s of n.src) stack.push(s);
  }
  nodes.sort((a, b) => a.id - b.id);
  const copies = new Map<Node, Node>();
  for (const n of nodes) {
    let src: Node[] | undefined;
    for (let i = 0; i < n.src.length; i++) {
      const c = copies.get(n.src[i]);
      if (c !== undefined && c !== n.src[i]) (src ??= n.src.slice())[i] = c;
    }
    const value = values.get(n);
    if (value !== undefined) (src ??= n.src.slice())[1] = withConstant(n.src[1], value);
    copies.set(n, src ? freshNode(n, src) : n);
  }
  return copies.get(root)!;
}

/** `n` (a constant, or views of one) over a constant holding `value`. */
function withConstant(n: Node, value: number): Node {
  return isConst(n) ? freshNode(n, [], value) : freshNode(n, [withConstant(n.src[0], value)]);
}
