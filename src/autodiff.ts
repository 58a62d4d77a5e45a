/**
 * Reverse-mode automatic differentiation over the recorded graph (SPEC §3b). Calling `f` records its
 * graph; the backward pass walks that graph from the result to the arguments, asking each node's
 * op-table entry for its VJP (ops.ts), which records more lazy nodes. So gradients are lazy tensors:
 * `evalAll(loss, ...grads)` compiles forward and backward into one program, and the backward graph
 * can itself be differentiated (`grad(grad(f))`).
 *
 * Each argument is replaced by a fresh identity node (stop.ts) before `f` sees it, so the gradient is
 * with respect to that argument only: the same tensor read from `f`'s closure is a constant. Once the
 * backward graph is built, those identities are replaced by the arguments again (and stopGradient's,
 * outside any differentiation), so the program compiled is the one written by hand.
 */
import type { DType, FloatDType, Floating } from './dtype.js';
import { isFloat } from './dtype.js';
import { TensorError } from './errors.js';
import type { Node } from './graph.js';
import { makeNode, toposort } from './graph.js';
import { isView, opDef } from './ops.js';
import { describe, fmtShape, sameShape } from './shape.js';
import { freshIdentity, isStop, stopNode } from './stop.js';
import { differentiating } from './trace.js';
import { Tensor } from './tensor.js';
import { full, zeros } from './create.js';

export interface GradOptions {
  /** The arguments to differentiate with respect to: one index (one gradient) or several (an array). Default: every tensor argument. */
  argnums?: number | readonly number[];
}

type Args = readonly unknown[];

/** The gradient for a parameter of type `T`: a float tensor of the parameter's dtype (ints and bools have none). */
export type GradOf<T> = T extends Tensor<infer E> ? Tensor<Floating<E>> : Tensor<FloatDType>;
/** The gradients of a function of tensors `P`, as grad returns them: one Tensor for one parameter, else one per parameter. */
export type Grads<P extends readonly Tensor[]> = P extends readonly [Tensor] ? GradOf<P[0]> : { -readonly [K in keyof P]: GradOf<P[K]> };
type Grad = Tensor<FloatDType>;

/** Calls of grad/valueAndGrad/vjp under way: inside one, a stopGradient must stay in the graph. */
let depth = 0;

/** The value of `x`, through which no gradient flows (a constant to grad, vjp and their kin). */
export function stopGradient<D extends DType>(x: Tensor<D>): Tensor<D>;
export function stopGradient(x: Tensor): Tensor {
  if (!(x instanceof Tensor)) throw new TensorError(`stopGradient: expected a Tensor, got ${describe(x)}`);
  return new Tensor(stopNode(x.node));
}

/**
 * A gradient of `f`, which must return a scalar (0-d) tensor: one Tensor, or an array (see argnums).
 * The overloads type it as far as the parameters tell: a function of one tensor has one gradient, a
 * function of tensors only one per parameter (a tuple: `Grads`). `grad((x) => x.square().sum())(tensor([1, 2]))` is `[2, 4]`.
 */
export function grad<A extends Args>(f: (...args: A) => Tensor, opts: { argnums: number }): (...args: A) => Grad;
export function grad<A extends Args>(f: (...args: A) => Tensor, opts: { argnums: readonly number[] }): (...args: A) => Grad[];
export function grad<P extends Tensor[]>(f: (...args: P) => Tensor, opts?: { argnums?: undefined }): (...args: P) => Grads<P>;
export function grad<A extends Args>(f: (...args: A) => Tensor, opts?: GradOptions): (...args: A) => Grad | Grad[];
export function grad<A extends Args>(f: (...args: A) => Tensor, opts?: GradOptions): (...args: A) => Tensor | Tensor[] {
  const vg = differentiated('grad', f, opts);
  return (...args: A) => vg(...args)[1];
}

/** `f`'s value and its gradient, computed together: `[value, grads]` (typed as grad's). `const [loss, g] = valueAndGrad((w) => w.square().sum())(w)`. */
export function valueAndGrad<A extends Args, V extends Tensor>(f: (...args: A) => V, opts: { argnums: number }): (...args: A) => [V, Grad];
export function valueAndGrad<A extends Args, V extends Tensor>(f: (...args: A) => V, opts: { argnums: readonly number[] }): (...args: A) => [V, Grad[]];
export function valueAndGrad<P extends Tensor[], V extends Tensor>(f: (...args: P) => V, opts?: { argnums?: undefined }): (...args: P) => [V, Grads<P>];
export function valueAndGrad<A extends Args, V extends Tensor>(f: (...args: A) => V, opts?: GradOptions): (...args: A) => [V, Grad | Grad[]];
export function valueAndGrad<A extends Args>(f: (...args: A) => Tensor, opts?: GradOptions): (...args: A) => [Tensor, Tensor | Tensor[]] {
  return differentiated('valueAndGrad', f, opts);
}

function differentiated<A extends Args>(op: string, f: (...args: A) => Tensor, opts: GradOptions | undefined): (...args: A) => [Tensor, Tensor | Tensor[]] {
  if (typeof f !== 'function') throw new TensorError(`${op}: expected a function of tensors, got ${describe(f)}`);
  const argnums = checkOptions(op, opts);
  return (...args: A) => {
    const picked = pick(op, args, argnums);
    const { out, marks } = record(f, args, picked);
    const value = scalarResult(op, out);
    const grads = backward([value.node], [full([], 1, value.dtype)], marks);
    const [v, ...gs] = restore([value.node, ...grads.map((g) => g.node)], marks);
    return [v, single(argnums, picked) ? gs[0] : gs];
  };
}

/**
 * `f`'s outputs and its pullback: `pullback(cotangents)` (one per output, shaped like it; a number
 * fills) gives the cotangent of every argument, `Σ cotangent · ∂output/∂argument`, in argument order.
 */
export function vjp<A extends Tensor[], O extends Tensor | Tensor[]>(f: (...args: A) => O, ...args: A): [O, (cotangents: Tensor | number | readonly (Tensor | number)[]) => { [K in keyof A]: GradOf<A[K]> }];
export function vjp<A extends Tensor[]>(f: (...args: A) => Tensor | Tensor[], ...args: A): [Tensor | Tensor[], (cotangents: Tensor | number | readonly (Tensor | number)[]) => Tensor[]] {
  if (typeof f !== 'function') throw new TensorError(`vjp: expected a function of tensors, got ${describe(f)}`);
  const picked = args.map((_, i) => i);
  pick('vjp', args, picked, 'vjp differentiates every argument: read it from the closure of f instead');
  const { out, marks } = record(f, args, picked);
  const outs = Array.isArray(out) ? out : [out];
  if (outs.length === 0 || !outs.every((t) => t instanceof Tensor)) throw new TensorError(`vjp: f must return a Tensor or an array of Tensors, got ${describe(out)}`);
  const restored = restore(outs.map((t) => t.node), marks);
  const pullback = (cotangents: Tensor | number | readonly (Tensor | number)[]): Tensor[] => {
    const cts = Array.isArray(out) ? cotangents : [cotangents];
    if (!Array.isArray(cts) || cts.length !== outs.length) throw new TensorError(`vjp: the pullback takes ${Array.isArray(out) ? `an array of ${outs.length} cotangents` : 'one cotangent'}, one per output of f, got ${describe(cotangents)}`);
    const seeds = outs.map((o, i) => cotangent(o, cts[i] as unknown, i));
    const grads = backward(outs.map((o) => o.node), seeds, marks);
    return restore(grads.map((g) => g.node), marks);
  };
  return [Array.isArray(out) ? restored : restored[0], pullback];
}

function checkOptions(op: string, opts: GradOptions | undefined): number | number[] | undefined {
  if (opts === undefined) return undefined;
  if (typeof opts !== 'object' || opts === null) throw new TensorError(`${op}: options must be an object like { argnums: [0, 1] }, got ${describe(opts)}`);
  const a: unknown = opts.argnums;
  if (a === undefined) return undefined;
  const list = Array.isArray(a) ? a : [a];
  if (list.length === 0 || !list.every((i) => Number.isInteger(i) && i >= 0) || new Set(list).size !== list.length) {
    throw new TensorError(`${op}: argnums must be an argument index or a non-empty array of distinct indices, got ${describe(a)}`);
  }
  return Array.isArray(a) ? (list as number[]) : (a as number);
}

/** A tensor argument, as opposed to a number (jit passes numbers as weak 0-d tensors: still numbers). */
const isTensorArg = (a: unknown): a is Tensor => a instanceof Tensor && !a.node.weak;

/**
 * The indices of the arguments differentiated, checked: tensors, and float ones. `instead`: what the
 * error for an integer argument suggests besides a cast (vjp, which has no argnums, says its own).
 */
function pick(op: string, args: Args, argnums: number | readonly number[] | undefined, instead = 'Leave it out of argnums'): number[] {
  const picked = argnums === undefined ? args.flatMap((a, i) => (isTensorArg(a) ? [i] : [])) : typeof argnums === 'number' ? [argnums] : argnums.slice();
  if (picked.length === 0) throw new TensorError(`${op}: the function got no tensor argument to differentiate with respect to`);
  for (const i of picked) {
    const a = args[i];
    if (i >= args.length) throw new TensorError(`${op}: argnums names argument ${i}, but the function was called with ${args.length} argument${args.length === 1 ? '' : 's'}`);
    if (!isTensorArg(a)) throw new TensorError(`${op}: argument ${i} is ${a instanceof Tensor ? 'a number' : describe(a)}, not a Tensor: only tensors have gradients`);
    if (a.isDisposed) throw new TensorError(`${op}: argument ${i} was disposed`);
    if (!isFloat(a.dtype)) {
      throw new TensorError(`${op}: argument ${i} is ${article(a.dtype)} ${a.dtype} tensor of shape ${fmtShape(a.shape)}; only float32 and float64 tensors have gradients (integer and bool values are piecewise constant). ${instead}, or cast it: x.cast('float64')`);
    }
  }
  return picked;
}

const article = (word: string): string => (/^[aeiou]/.test(word) ? 'an' : 'a');

const single = (argnums: number | readonly number[] | undefined, picked: readonly number[]): boolean =>
  typeof argnums === 'number' || (argnums === undefined && picked.length === 1);

/** Calls `f` with each picked argument replaced by an identity node of its own. */
function record(f: (...args: never[]) => unknown, args: Args, picked: readonly number[]): { out: unknown; marks: Node[] } {
  const marks = picked.map((i) => freshIdentity((args[i] as Tensor).node));
  const inner = args.slice();
  picked.forEach((i, k) => (inner[i] = new Tensor(marks[k])));
  depth++;
  try {
    return { out: differentiating(marks, () => f(...(inner as never[]))), marks };
  } finally {
    depth--;
  }
}

function scalarResult(op: string, out: unknown): Tensor {
  if (!(out instanceof Tensor)) throw new TensorError(`${op}: f must return a Tensor (a 0-d scalar), got ${describe(out)}`);
  if (out.ndim !== 0) throw new TensorError(`${op}: f must return a scalar (a 0-d tensor), got a ${out.dtype} tensor of shape ${fmtShape(out.shape)}; reduce it (.sum(), .mean()) or use vjp(f, ...args) for a non-scalar result`);
  if (!isFloat(out.dtype)) throw new TensorError(`${op}: f returned ${article(out.dtype)} ${out.dtype} scalar; only a float32 or float64 result has a gradient`);
  return out;
}

/** A pullback's cotangent for output `o`: its shape, cast to its dtype; a number fills. */
function cotangent(o: Tensor, ct: unknown, i: number): Tensor {
  if (typeof ct === 'number') return full(o.shape.slice(), ct, isFloat(o.dtype) ? o.dtype : 'float64');
  if (!(ct instanceof Tensor)) throw new TensorError(`vjp: cotangent ${i} must be a Tensor or a number, got ${describe(ct)}`);
  if (!sameShape(ct.shape, o.shape)) throw new TensorError(`vjp: cotangent ${i} has shape ${fmtShape(ct.shape)}, but output ${i} of f has shape ${fmtShape(o.shape)}`);
  return isFloat(o.dtype) ? ct.cast(o.dtype) : ct;
}

/**
 * The cotangents of `wrt` given those of `outs`: each node, from the outputs down, hands its cotangent
 * to its sources through its VJP. Only float nodes that some node of `wrt` reaches (not through a
 * stopGradient) take part; a node read several times adds up what its readers send.
 */
export function backward(outs: readonly Node[], seeds: readonly Tensor[], wrt: readonly Node[]): Tensor[] {
  const order = toposort(outs);
  const targets = new Set(wrt);
  const live = new Set<Node>();
  for (const n of order) {
    if (isFloat(n.dtype) && (targets.has(n) || (!isStop(n) && n.src.some((s) => live.has(s))))) live.add(n);
  }
  const ct = new Map<Node, Tensor>();
  const add = (n: Node, c: Tensor): void => {
    const prev = ct.get(n);
    ct.set(n, prev ? prev.add(c) : c);
  };
  outs.forEach((o, i) => live.has(o) && add(o, seeds[i]));
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
    const g = ct.get(n);
    if (g === undefined || targets.has(n) || !live.has(n)) continue;
    const vjp = opDef(n.op).vjp;
    if (vjp === 'zero') continue;
    if (vjp === undefined) throw noDerivative(n);
    const parts = vjp(g, n.src.map((s) => new Tensor(s)), new Tensor(n), n);
    n.src.forEach((s, k) => {
      const c = parts[k];
      if (c === undefined || !live.has(s)) return;
      if (!sameShape(c.shape, s.shape) || c.dtype !== s.dtype) {
        throw new TensorError(`grad: the VJP of ${n.op} gave source ${k} a ${c.dtype} cotangent of shape ${fmtShape(c.shape)}, for a ${s.dtype} source of shape ${fmtShape(s.shape)}`);
      }
      add(s, c);
    });
  }
  return wrt.map((w) => ct.get(w) ?? zeros(w.shape.slice(), w.dtype));
}

function noDerivative(n: Node): TensorError {
  const def = opDef(n.op);
  if (def.kind === 'kernel') {
    return new TensorError(`grad: cannot differentiate through ${n.op.replace(/^kernel_/, '')}, a defineKernel kernel: a C function over buffers has no derivative tensorfuse can know: give it one, defineKernel('${n.op.replace(/^kernel_/, '')}', { ..., grad: (g, inputs, out) => [...] }), or wrap its input in stopGradient() if it does not depend on what you differentiate`);
  }
  return new TensorError(`grad: cannot differentiate through ${n.op}: it has no derivative in the op table; an op made with defineOp needs a grad: defineOp('${n.op}', { ..., grad: (g, inputs, out) => [...] }), one cotangent per input`);
}

/**
 * `roots` with each identity node of `marks` replaced by the argument it stands for (its source), and, outside any
 * differentiation, each stopGradient by its source (their purpose is served). An identity over a view
 * is kept: a view of a view is not a node the Tensor API makes.
 */
function restore(roots: readonly Node[], marks: readonly Node[]): Tensor[] {
  const marked = new Set(marks);
  const dropStops = depth === 0;
  const memo = new Map<Node, Node>();
  for (const n of toposort(roots)) {
    const src = n.src.map((s) => memo.get(s)!);
    const to = marked.has(n) || (dropStops && isStop(n)) ? src[0] : undefined;
    if (to !== undefined && !isView(to)) memo.set(n, to);
    else if (src.every((s, i) => s === n.src[i])) memo.set(n, n);
    else memo.set(n, isStop(n) ? stopNode(src[0]) : makeNode(n.op, src, n.shape, n.dtype, n.arg));
  }
  return roots.map((r) => new Tensor(memo.get(r)!));
}
