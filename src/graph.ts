/**
 * The lazy graph: immutable, hash-consed nodes. Building the same subexpression twice returns the same
 * node, so a DAG is shared automatically and a node's `key` is a structural description of it.
 */
import type { DType, Storage } from './dtype.js';
import type { Shape } from './shape.js';
import { checkSize } from './shape.js';

/** Op-specific parameters: plain data (numbers, strings, arrays, objects), printable and hashable. */
export type Arg = number | string | boolean | null | readonly Arg[] | { readonly [k: string]: Arg };

export interface Node {
  readonly id: number;
  readonly op: string;
  readonly src: readonly Node[];
  readonly shape: Shape;
  readonly dtype: DType;
  readonly arg: Arg;
  /** `op dtype shape arg (src ids)`: equal keys mean equal values. */
  readonly key: string;
  /** Only for `buffer` nodes: the realized, contiguous storage. */
  readonly data?: Storage;
  /** The last elementwise op recorded on this node and its result (see `elementwise`). */
  memoKey?: string;
  memoRef?: WeakRef<Node>;
  /** More of them, when several ops are recorded on this node. */
  memo?: Map<string, WeakRef<Node>>;
  /** Set once another node reads this one: its storage may then still be read after a dispose(). */
  used?: boolean;
}

let nextId = 1;
const table = new Map<string, WeakRef<Node>>();
let insertsSinceSweep = 0;
const constants = new Map<string, Node>();
const MAX_CONSTANTS = 4096;

/** Drops entries whose node was collected; amortized O(1) per insert (cheaper than a finalizer each). */
function sweep(): void {
  for (const [key, ref] of table) if (ref.deref() === undefined) table.delete(key);
  insertsSinceSweep = 0;
}

const isNumberArray = (a: readonly Arg[]): boolean => a.every((x) => typeof x === 'number' && !Object.is(x, -0));

/** Prints an arg so that distinct values give distinct text (NaN, ±Infinity and -0 included). */
export function argKey(a: Arg): string {
  if (a === null) return 'null';
  if (typeof a === 'number') return Object.is(a, -0) ? '-0' : String(a);
  if (Array.isArray(a)) return isNumberArray(a) ? `[${a.join(',')}]` : `[${a.map(argKey).join(',')}]`;
  if (typeof a === 'object' && 'strides' in a) {
    const v = a as { shape: number[]; strides: number[]; offset: number };
    return `v${v.shape.join(',')}/${v.strides.join(',')}/${v.offset}`; // views: the most common arg
  }
  if (a !== null && typeof a === 'object') {
    return `{${Object.keys(a).map((k) => `${k}:${argKey((a as { [k: string]: Arg })[k])}`).join(',')}}`;
  }
  return JSON.stringify(a);
}

export function makeNode(op: string, src: readonly Node[], shape: Shape, dtype: DType, arg: Arg = null): Node {
  let ids = '';
  for (let i = 0; i < src.length; i++) ids += i ? `,${src[i].id}` : `${src[i].id}`;
  // With sources, the shape follows from them and the arg, so it is left out of the key.
  const key = src.length ? `${op} ${dtype} ${arg === null ? '' : argKey(arg)} (${ids})` : `${op} ${dtype} [${shape.join(',')}] ${argKey(arg)} ()`;
  const constant = op === 'const' || (op === 'view' && src[0].op === 'const');
  const hit = constant ? constants.get(key) : table.get(key)?.deref();
  if (hit) return hit;
  checkSize(op, shape);
  const node: Node = { id: nextId++, op, src: src.slice(), shape: shape.slice(), dtype, arg, key };
  for (const x of src) x.used = true;
  if (constant) {
    // Constants and their broadcasts hold no data: a bounded map of strong references (no WeakRef,
    // which V8 keeps alive until the current job ends, so a loop of changing scalars would pile up).
    if (constants.size >= MAX_CONSTANTS) constants.delete(constants.keys().next().value!);
    constants.set(key, node);
    return node;
  }
  table.set(key, new WeakRef(node));
  if (++insertsSinceSweep > Math.max(1024, table.size >> 1)) sweep();
  return node;
}

/** A copy of `n` over other sources, outside the hash-consing table (a distinct node). */
export function freshNode(n: Node, src: readonly Node[]): Node {
  const id = nextId++;
  return { id, op: n.op, src: src.slice(), shape: n.shape, dtype: n.dtype, arg: n.arg, key: `${n.key}#${id}` };
}

/** A realized input. Never hash-consed: two buffers with equal contents are still two buffers. */
export function bufferNode(data: Storage, shape: Shape, dtype: DType): Node {
  const id = nextId++;
  return { id, op: 'buffer', src: [], shape: shape.slice(), dtype, arg: id, key: `buffer ${id}`, data };
}

/** Nodes reachable from `roots`, every node after its sources. */
export function toposort(roots: readonly Node[]): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>();
  const stack: [Node, number][] = roots.map((r) => [r, 0]);
  stack.reverse();
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [node, i] = top;
    if (i === 0 && seen.has(node)) {
      stack.pop();
      continue;
    }
    seen.add(node);
    if (i < node.src.length) {
      top[1]++;
      const s = node.src[i];
      if (!seen.has(s)) stack.push([s, 0]);
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order;
}

/** Number of computing operations a graph holds (not counting inputs, constants and views). */
export const countOps = (root: Node): number =>
  toposort([root]).filter((n) => n.op !== 'buffer' && n.op !== 'const' && n.op !== 'view').length;
