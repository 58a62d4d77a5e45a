/**
 * Two checks every read of realized data goes through: the storage is still there (not disposed,
 * transferred or detached), and no `jit` trace is being recorded (a value read while tracing would be
 * frozen into the trace, and a side effect would run only once).
 */
import type { Storage } from './dtype.js';
import { TensorError } from './errors.js';
import type { Node } from './graph.js';
import { fmtShape, sizeOf } from './shape.js';

let depth = 0;

/** True while a `jit` function is being traced. */
export const tracing = (): boolean => depth > 0;

/** Runs `fn` as a trace: reads of realized values and side effects inside it throw (see traceError). */
export function traced<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

/** The argument nodes grad/valueAndGrad/vjp differentiate with respect to, while their functions run. */
const differentiated: (readonly Node[])[] = [];

/** Runs `fn`, the function being differentiated with respect to `marks` (autodiff.ts). */
export function differentiating<T>(marks: readonly Node[], fn: () => T): T {
  differentiated.push(marks);
  try {
    return fn();
  } finally {
    differentiated.pop();
  }
}

/**
 * Whether `n` depends on an argument being differentiated: realizing it in place (eval, data, ...) would
 * make it a buffer, a constant to the derivative, and silently cut its gradient. Such a tensor stays lazy
 * inside the function; its values are computed when read (see Tensor.storage).
 */
export function onGradientPath(n: Node): boolean {
  // A node without sources (a buffer, a constant) is never a mark: marks are identity nodes over the arguments.
  if (differentiated.length === 0 || n.src.length === 0) return false;
  const marks = new Set(differentiated.flat());
  const seen = new Set<Node>();
  const stack = [n];
  while (stack.length > 0) {
    const m = stack.pop()!;
    if (marks.has(m)) return true;
    if (seen.has(m)) continue;
    seen.add(m);
    for (const s of m.src) stack.push(s);
  }
  return false;
}

const placeholders = new WeakSet<Node>();

/** A jit argument while tracing: a buffer node with no storage of its own (calls bring theirs). */
export function placeholder(n: Node): Node {
  placeholders.add(n);
  return n;
}
export const isPlaceholder = (n: Node): boolean => placeholders.has(n);

export function traceError(what: string): TensorError {
  return new TensorError(`jit: ${what} inside a jit-traced function: jit runs the function once to record its tensor operations and then replays only those, so a value read there would be frozen into the trace and a side effect would not run again. Keep the function pure tensor code (return what you need and read it after the call), pass changing numbers as arguments, or call it without jit`);
}

/** A buffer node's storage, checked: a disposed tensor, or one whose ArrayBuffer was transferred, is an error. */
export function liveData(op: string, n: Node): Storage {
  if (n.dead) throw new TensorError(`${op}: this ${n.dtype} tensor of shape ${fmtShape(n.shape)} was disposed; its data is gone`);
  const data = n.data!;
  if (data.length !== sizeOf(n.shape)) throw detachedError(op, n, data.length);
  return data;
}

export function detachedError(op: string, n: Node, found: number): TensorError {
  return new TensorError(`${op}: the storage of this ${n.dtype} tensor of shape ${fmtShape(n.shape)} holds ${found} elements where ${sizeOf(n.shape)} are expected: its ArrayBuffer was transferred or detached (postMessage, structuredClone with transfer). Keep a copy (t.data().slice()) before transferring it`);
}

/** The same, for an input found at call time (a jit argument, or a buffer read by a kept plan). */
export function detachedInput(expected: number, found: number): TensorError {
  return new TensorError(`eval: an input tensor's storage holds ${found} elements where ${expected} are expected: the tensor was disposed, or its ArrayBuffer was transferred or detached (postMessage, structuredClone with transfer). Keep a copy (t.data().slice()) before transferring it`);
}
