/**
 * Optimizers: `optim.sgd(params, { lr, momentum })` and `optim.adam(params, { lr, betas, eps,
 * weightDecay })`. `step(grads)` computes every parameter's new value (and the optimizer's state) in
 * one program, one C file and one FFI call, which writes each straight into its parameter's (or state
 * tensor's) own buffer: no copies after it (assignAll). Learning rates and the bias corrections are
 * JS numbers, so runtime scalars: changing them compiles nothing.
 */
import type { DType } from './dtype.js';
import { allocate, isFloat } from './dtype.js';
import { ShapeError, TensorError } from './errors.js';
import { describe, fmtShape, readArray, sameShape, sizeOf } from './shape.js';
import { assignAll, Tensor } from './tensor.js';
import { tensor } from './create.js';

export interface Optimizer {
  readonly params: readonly Tensor[];
  /** The learning rate; set it between steps (a runtime scalar: nothing recompiles). */
  lr: number;
  /** Steps taken. */
  readonly steps: number;
  /**
   * Updates every parameter in place from its gradient (lazy gradients are computed in the same
   * program). Everything still to be read that was computed from the parameters (the loss) must be
   * evaluated before, or listed in `also`, which is evaluated in the same program, before the update.
   */
  step(grads: readonly Tensor[], also?: readonly Tensor[]): void;
}

export interface SgdOptions { lr: number; momentum?: number }
export interface AdamOptions { lr: number; betas?: readonly [number, number]; eps?: number; weightDecay?: number }

/** Arrays the user passes are read once (shape.ts readArray): what is checked is what is used. */
const MAX_PARAMS = 1_000_000;

function checkParams(op: string, params: unknown): Tensor[] {
  const list = readArray(op, params, MAX_PARAMS, 'params');
  if (list === undefined || list.length === 0) throw new TensorError(`${op}: params must be a non-empty array of tensors, got ${describe(params)}`);
  return list.map((p: unknown, i) => {
    if (!(p instanceof Tensor)) throw new TensorError(`${op}: params[${i}] must be a Tensor, got ${describe(p)}`);
    if (!isFloat(p.dtype)) throw new TensorError(`${op}: params[${i}] has dtype ${p.dtype}; only float32 and float64 parameters can be trained`);
    return p;
  });
}

function checkNumber(op: string, name: string, v: unknown, ok: (x: number) => boolean, want: string): number {
  if (typeof v !== 'number' || !ok(v)) throw new TensorError(`${op}: ${name} must be ${want}, got ${describe(v)}`);
  return v;
}

const finite = (x: number): boolean => Number.isFinite(x);
const unit = (x: number): boolean => x >= 0 && x < 1;

/** Zeros of a parameter's shape and dtype, realized (no program: optimizer state starts as plain storage). */
const zerosOf = (p: Tensor): Tensor => tensor(allocate(p.dtype, sizeOf(p.shape)), { shape: p.shape });

function checkGrads(op: string, params: readonly Tensor[], grads: unknown): Tensor[] {
  const list = readArray(`${op}.step`, grads, MAX_PARAMS, 'gradients');
  if (list === undefined || list.length !== params.length) {
    throw new TensorError(`${op}.step: expected ${params.length} gradients, one per parameter, got ${describe(grads)}`);
  }
  return list.map((g: unknown, i) => {
    if (!(g instanceof Tensor)) throw new TensorError(`${op}.step: grads[${i}] must be a Tensor, got ${describe(g)}`);
    if (!sameShape(g.shape, params[i].shape)) throw new ShapeError(`${op}.step: grads[${i}] has shape ${fmtShape(g.shape)}, but its parameter has shape ${fmtShape(params[i].shape)}`);
    return g.cast(params[i].dtype);
  });
}

/**
 * One step: `update` gives each parameter's new value and new state from its gradient and state; all
 * of them (and `also`) are computed in one program, from the parameters and state as they were, and
 * written into the parameters' and state tensors' buffers.
 */
function stepAll(op: string, params: readonly Tensor[], state: Tensor[][], grads: unknown, also: unknown, update: (p: Tensor, g: Tensor, s: readonly Tensor[]) => { value: Tensor; state: Tensor[] }): void {
  const gs = checkGrads(op, params, grads);
  const listed = also === undefined ? [] : readArray(`${op}.step`, also, MAX_PARAMS, 'tensors');
  const extra = listed?.every((t) => t instanceof Tensor) ? (listed as Tensor[]) : undefined;
  if (!extra) throw new TensorError(`${op}.step: also must be an array of tensors, got ${describe(also)}`);
  const next = params.map((p, i) => update(p, gs[i], state[i]));
  // Each parameter with its state, in the order the old two-phase step evaluated them.
  assignAll([...params, ...state.flat()], [...next.map((n) => n.value), ...next.flatMap((n) => n.state)], extra);
}

/** Stochastic gradient descent, with heavy-ball momentum as torch.optim.SGD: v ← μv + g, p ← p − lr·v. */
export function sgd(params: readonly Tensor[], opts: SgdOptions): Optimizer {
  const ps = checkParams('sgd', params);
  if (typeof opts !== 'object' || opts === null) throw new TensorError(`sgd: options must be an object like { lr: 0.1 }, got ${describe(opts)}`);
  let lr = checkNumber('sgd', 'lr', opts.lr, finite, 'a finite number');
  const momentum = checkNumber('sgd', 'momentum', opts.momentum ?? 0, unit, 'a number in [0, 1)');
  const state: Tensor[][] = ps.map((p) => (momentum ? [zerosOf(p)] : []));
  let steps = 0;
  return {
    params: ps,
    get lr() { return lr; },
    set lr(v: number) { lr = checkNumber('sgd', 'lr', v, finite, 'a finite number'); },
    get steps() { return steps; },
    step(grads, also) {
      stepAll('sgd', ps, state, grads, also, (p, g, [v]) => {
        if (!momentum) return { value: p.sub(g.mul(lr)), state: [] };
        const v1 = v.mul(momentum).add(g);
        return { value: p.sub(v1.mul(lr)), state: [v1] };
      });
      steps++;
    },
  };
}

/**
 * Adam (Kingma & Ba), as torch.optim.Adam: m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g²,
 * p ← p − lr·m̂ / (√v̂ + eps) with the bias-corrected m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t);
 * `weightDecay` adds weightDecay·p to the gradient first (L2, as torch's Adam; not AdamW).
 */
export function adam(params: readonly Tensor[], opts: AdamOptions): Optimizer {
  const ps = checkParams('adam', params);
  if (typeof opts !== 'object' || opts === null) throw new TensorError(`adam: options must be an object like { lr: 1e-3 }, got ${describe(opts)}`);
  let lr = checkNumber('adam', 'lr', opts.lr, finite, 'a finite number');
  const given: unknown = opts.betas;
  const betas = given === undefined ? [0.9, 0.999] : readArray('adam', given, 2, 'betas');
  if (betas === undefined || betas.length !== 2) throw new TensorError(`adam: betas must be two numbers [β1, β2] in [0, 1), got ${describe(given)}`);
  const [b1, b2] = betas.map((b: unknown) => checkNumber('adam', 'betas', b, unit, 'two numbers [β1, β2] in [0, 1)'));
  const eps = checkNumber('adam', 'eps', opts.eps ?? 1e-8, (x) => x > 0 && finite(x), 'a positive number');
  const decay = checkNumber('adam', 'weightDecay', opts.weightDecay ?? 0, (x) => x >= 0 && finite(x), 'a non-negative number');
  const state: Tensor[][] = ps.map((p) => [zerosOf(p), zerosOf(p)]);
  // The numbers that change at every step (lr·c1 and c2, c the bias corrections) are read from 0-d
  // tensors of each parameter dtype, written before each step: they make no new constant node per
  // step (the ops on the state and the parameter hit the memo), and a 0-d load keeps the update's
  // loops flat, so its m, v and parameter kernels run as one flat group (strategy.ts).
  const perStep = new Map<DType, [Tensor, Tensor]>();
  const numbersFor = (d: DType): [Tensor, Tensor] => {
    let n = perStep.get(d);
    if (!n) perStep.set(d, (n = [tensor(allocate(d, 1), { shape: [] }), tensor(allocate(d, 1), { shape: [] })]));
    return n;
  };
  let steps = 0;
  return {
    params: ps,
    get lr() { return lr; },
    set lr(v: number) { lr = checkNumber('adam', 'lr', v, finite, 'a finite number'); },
    get steps() { return steps; },
    step(grads, also) {
      const t = steps + 1;
      const c1 = 1 / (1 - b1 ** t), c2 = 1 / (1 - b2 ** t);
      for (const d of new Set(ps.map((p) => p.dtype))) {
        const [k1, k2] = numbersFor(d);
        k1.data()[0] = lr * c1;
        k2.data()[0] = c2;
      }
      stepAll('adam', ps, state, grads, also, (p, g0, [m, v]) => {
        const [k1, k2] = numbersFor(p.dtype);
        const g = decay ? g0.add(p.mul(decay)) : g0;
        const m1 = m.mul(b1).add(g.mul(1 - b1));
        const v1 = v.mul(b2).add(g.square().mul(1 - b2));
        return { value: p.sub(m1.mul(k1).div(v1.mul(k2).sqrt().add(eps))), state: [m1, v1] };
      });
      steps = t;
    },
  };
}

export const optim = { sgd, adam };
