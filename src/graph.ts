/**
 * The lazy graph: immutable, hash-consed nodes. Building the same subexpression twice returns the same
 * node, so a DAG is shared automatically and a node's `key` is a structural description of it.
 */
import type { DType, ScalarKind, Storage } from './dtype.js';
import type { NodeOp } from './ops.js';
import type { Shape } from './shape.js';
import { checkSize } from './shape.js';
import { TensorError } from './errors.js';

/** Op-specific parameters: plain data (numbers, strings, arrays, objects), printable and hashable. */
export type Arg = number | string | boolean | null | readonly Arg[] | { readonly [k: string]: Arg };

export interface Node {
  readonly id: number;
  /** An op of the table (ops.ts), or one registered at run time: a misspelt name does not compile. */
  readonly op: NodeOp;
  readonly src: readonly Node[];
  /** Frozen: `Tensor.shape` hands it out as is, and no caller can change a recorded node's shape. */
  readonly shape: Shape;
  readonly dtype: DType;
  readonly arg: Arg;
  /**
   * `op dtype shape arg (src ids)`, the hash-consing key: equal keys mean equal values. A node in no
   * table, which nothing looks up, has a constant key: 'buffer' for a buffer, FRESH for a fresh copy.
   */
  readonly key: string;
  /**
   * Only for `buffer` nodes: the realized, contiguous storage. Replaced only by `Tensor.data()`, which
   * moves a small result out of a shared slab into storage of its own (plans read it at each call).
   */
  data?: Storage;
  /** No buffer anywhere below: the node holds no user data and lives in the bounded `pure` map. */
  readonly pure: boolean;
  /** Nodes recorded with this one as their youngest impure source, by key (see makeNode). */
  users?: Bounded<Node>;
  /**
   * The same graph with every constant replaced by a value-free slot (see skeletonOf): two graphs that
   * differ only in their numbers share it, and so share one planned program. Undefined when no constant
   * lies below (the node is its own skeleton).
   */
  readonly skel?: Node;
  /** Elementwise ops recorded on this node and their results (memo.ts): role, op, arg, result, flat. */
  memo?: unknown[];
  /** The entry of a full memo to replace next. */
  memoNext?: number;
  /** The last op copied from a template onto this node, and its operand (see elementwise): remembered if asked for again. */
  copiedOp?: string;
  copiedArg?: unknown;
  /** Set once another node reads this one: its storage may then still be read after a dispose(). */
  used?: boolean;
  /** A disposed tensor's stand-in: recording an op on it is an error. */
  dead?: boolean;
  /**
   * A `jit` number argument while tracing (a 0-d placeholder, int32 or float64 by the number's kind),
   * or an elementwise op on such scalars alone: it combines with tensors as a JS number of this class
   * does (weakPromote). An op on runtime scalars may give any value of its dtype: an int32 one counts as
   * the widest class an int32 holds ('n32').
   */
  weak?: ScalarKind;
}

let nextId = 1;
/** The id the next node will get: nodes made from now on have this id or a larger one. */
export const nextNodeId = (): number => nextId;
/**
 * Hash-consing without WeakRefs. V8 keeps every WeakRef target alive until the current job ends, so a
 * synchronous loop recording new expressions (a new scalar each iteration) held every node it ever made
 * until it yielded. Instead, a node is remembered strongly by its youngest source that holds data (its
 * `users`, a few dozen at most per source), so it lives exactly as long as that source, and nodes that
 * hold no data (constants, rand, iota and what is built from them alone) live in one bounded map.
 */
const MAX_PURE = 4096;
const MAX_USERS = 64;

/**
 * A map of at most about `max` entries that forgets the least recently used ones in O(1): entries live
 * in two generations, a hit in the old one moves the entry to the young one, and when the young one is
 * full the old one is dropped whole. (Deleting a Map's oldest entry one by one is not O(1) in V8: the
 * holes stay at the front until the table is rebuilt, and each next() walks over them.)
 */
const NOTHING: ReadonlyMap<string, never> = new Map<string, never>();
export class Bounded<V> {
  private young = new Map<string, V>();
  private old: ReadonlyMap<string, V> = NOTHING;
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) this.set(key, o);
    return o;
  }
  set(key: string, value: V): void {
    if (this.young.size >= this.max >> 1) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}

const pureNodes = new Bounded<Node>(MAX_PURE);

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

/** The source whose `users` remember a node over `src`: the youngest one that holds data. */
function holderOf(src: readonly Node[]): Node | undefined {
  let h: Node | undefined;
  for (const s of src) if (!s.pure && (h === undefined || s.id > h.id)) h = s;
  return h;
}

/** The arg of a skeleton's constant slots: no recorded constant holds a string. */
const SLOT = 'slot';

/**
 * The skeleton of a node about to be made (see Node.skel): undefined when nothing below is a
 * constant, `self` when it is itself made of slots, else the same op over its sources' skeletons
 * (hash-consed like any node, so it lives as long as the data it reads). A `scalar` node (scalarNode)
 * is the constant: its skeleton is the same op over a slot.
 */
function skeletonOf(op: NodeOp, src: readonly Node[], shape: Shape, dtype: DType, arg: Arg, scalar: boolean): Node | 'self' | undefined {
  if (scalar) return arg === SLOT ? 'self' : make(op, [], shape, dtype, SLOT, true);
  let below = false, own = true;
  for (const s of src) {
    if (s.skel === undefined) continue;
    below = true;
    if (s.skel !== s) own = false;
  }
  if (!below) return undefined;
  return own ? 'self' : makeNode(op, src.map((s) => s.skel ?? s), shape, dtype, arg);
}

/** The node `op` over `src` (the one already recorded, if any: see holderOf). Constants are made by scalarNode. */
export function makeNode(op: NodeOp, src: readonly Node[], shape: Shape, dtype: DType, arg: Arg = null): Node {
  return make(op, src, shape, dtype, arg, false);
}

/**
 * A constant: a source whose value is its arg, a runtime scalar of the program (`const`, ops.ts's role
 * 'scalar'). Hash-consed as any node; its skeleton is the same op over a value-free slot (Node.skel).
 */
export function scalarNode(op: NodeOp, shape: Shape, dtype: DType, value: number): Node {
  return make(op, [], shape, dtype, value, true);
}

function make(op: NodeOp, src: readonly Node[], shape: Shape, dtype: DType, arg: Arg, scalar: boolean): Node {
  let ids = '';
  for (let i = 0; i < src.length; i++) {
    if (src[i].dead) throw disposedError(op, src[i]);
    ids += i ? `,${src[i].id}` : `${src[i].id}`;
  }
  // With sources, the shape follows from them and the arg, so it is left out of the key.
  const key = src.length ? `${op} ${dtype} ${arg === null ? '' : argKey(arg)} (${ids})` : `${op} ${dtype} [${shape.join(',')}] ${argKey(arg)} ()`;
  const holder = holderOf(src);
  const hit = holder ? holder.users?.get(key) : pureNodes.get(key);
  if (hit) return hit;
  checkSize(op, shape);
  const skel = skeletonOf(op, src, shape, dtype, arg, scalar);
  const node = literal(nextId++, op, src.slice(), Object.freeze(shape.slice()), dtype, arg, key, undefined, holder === undefined, skel === 'self' ? undefined : skel);
  if (skel === 'self') (node as { skel?: Node }).skel = node;
  for (const x of src) x.used = true;
  (holder ? (holder.users ??= new Bounded(MAX_USERS)) : pureNodes).set(key, node);
  return node;
}

/** The error for recording `what` (an op, a method) on a disposed tensor (SPEC: use after dispose fails at once). */
export function disposedError(what: string, n: Node): TensorError {
  return new TensorError(`${what}: this ${n.dtype} tensor of shape [${n.shape.join(',')}] was disposed (dispose() or tidy()) and cannot be used any more`);
}

/**
 * A copy of `n` over other sources (a constant: with another value), outside the hash-consing table (a
 * distinct node) and with n's skeleton: the same structure, other numbers. `src` becomes the node's own
 * (callers pass a fresh array).
 */
export function freshNode(n: Node, src: readonly Node[], arg: Arg = n.arg): Node {
  for (const s of src) s.used = true;
  return literal(nextId++, n.op, src, n.shape, n.dtype, arg, FRESH, undefined, n.pure, n.skel);
}

/**
 * The key of every fresh node: no table holds them, so nothing looks them up. Keys of untabled nodes
 * are constants because printing a new id costs more than the text: each new number printed takes an
 * entry in V8's number-to-string cache, which lives in the old generation and so keeps every such
 * string alive through the next scavenge (measured: an eval loop that also allocated ran 150 ns per
 * call slower with `buffer ${id}` keys).
 */
export const FRESH = '#fresh';

/**
 * Every node is made here, with every field present from the start: nodes then share one hidden class,
 * so the code that walks graphs reads their fields monomorphically.
 */
function literal(id: number, op: NodeOp, src: readonly Node[], shape: Shape, dtype: DType, arg: Arg, key: string, data: Storage | undefined, pure: boolean, skel: Node | undefined): Node {
  return { id, op, src, shape, dtype, arg, key, data, pure, skel, users: undefined, memo: undefined, memoNext: undefined, copiedOp: undefined, copiedArg: undefined, used: undefined, dead: undefined, weak: undefined };
}

/** A realized input. Never hash-consed: two buffers with equal contents are still two buffers. */
export function bufferNode(data: Storage, shape: Shape, dtype: DType): Node {
  const id = nextId++;
  return literal(id, 'buffer', [], Object.isFrozen(shape) ? shape : Object.freeze(shape.slice()), dtype, id, 'buffer', data, false, undefined);
}

/** What a disposed tensor points at: no storage, and any op recorded on it throws. */
export function deadNode(n: Node, empty: Storage): Node {
  const d = bufferNode(empty, n.shape, n.dtype);
  d.dead = true;
  return d;
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
