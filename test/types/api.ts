/**
 * What the types promise beyond the README: results typed by position, and calls that must not
 * type-check (each `@ts-expect-error` fails the compile if the line below it stops being an error).
 */
import type { JitParams, PrintOptions, Tensor } from 'tensorfuse';
import { arange, defineKernel, defineOp, evalAll, grad, jit, meshgrid, rand, setPrintOptions, tensor, valueAndGrad, vjp } from 'tensorfuse';

/** Compiles only when `value` has type `T` exactly (both ways assignable). */
function exactly<T>() {
  return <V extends T>(value: V & (T extends V ? unknown : never)): V => value;
}

const x = rand([3], { seed: 1 });

// evalAll and jit: tuples by position, no `| undefined` under noUncheckedIndexedAccess.
const [lo, hi] = evalAll(x.min(), x.max());
exactly<number>()(lo.item() + hi.item());
const f = jit((a, b) => a.mul(2).add(b).relu());
exactly<Tensor>()(f(x, 2));
const pair = jit((a) => [a.min(), a.max()]);
exactly<[Tensor, Tensor]>()(pair(x));
const nested = jit(valueAndGrad((w: Tensor, v: Tensor) => w.mul(v).sum()));
const [value, [gw, gv]] = nested(x, x);
exactly<number>()(value.item() + gw.size + gv.size);
const scaled = jit((t: Tensor, n: number) => t.reshape([n, -1]), { staticArgs: [1] });
const params: JitParams<[Tensor, number]> = [2, 3]; // a Tensor parameter also takes a number (a runtime scalar)
void params;
exactly<Tensor>()(scaled(x, 3));

// grad, valueAndGrad, vjp: one gradient for one parameter, a tuple for several.
exactly<Tensor>()(grad((t) => t.square().sum())(x));
exactly<[Tensor, Tensor]>()(grad((a, b) => a.mul(b).sum())(x, x));
exactly<Tensor[]>()(grad((a: Tensor, b: Tensor) => a.mul(b).sum(), { argnums: [0, 1] })(x, x));
const [e, pullback] = vjp((t) => t.exp(), x);
exactly<Tensor>()(e);
exactly<[Tensor]>()(pullback(1));
const [gx, gy] = meshgrid([arange(3), arange(2)]);
exactly<number>()(gx.size + gy.size);

// Custom ops: operands and reference inputs as tuples of the declared arity.
const twice = defineOp('types_twice', { arity: 1, c: 'a * 2', ref: (a) => a * 2, grad: (g, [a]) => [g.mul(a.mul(0).add(2))] });
const sum2 = defineKernel('types_sum2', { inputs: 2, c: 'for (int64_t i = 0; i < n; i++) out[i] = in0[i] + in1[i];', ref: ([a, b], out) => { for (let i = 0; i < out.length; i++) out[i] = (a[i] ?? 0) + (b[i] ?? 0); } });
exactly<Tensor>()(sum2(twice(x), x));

// Printing options.
exactly<PrintOptions>()(setPrintOptions({ precision: 4 }));

// ---- must not type-check ------------------------------------------------------------------------
// @ts-expect-error internals are stripped from the .d.ts (node, release, storage, ...)
void x.node;
// @ts-expect-error internals are stripped from the .d.ts
x.release(true);
// @ts-expect-error internals are stripped from the .d.ts
void x.storage();
// @ts-expect-error a string is not an operand
x.add('1');
// @ts-expect-error a jit function returns tensors
jit((a: Tensor) => a.sum().item());
// @ts-expect-error a defineOp of arity 1 takes one operand
twice(x, x);
// @ts-expect-error a defineKernel of 2 inputs takes two tensors
sum2(x);
// @ts-expect-error setPrintOptions knows its options
setPrintOptions({ precison: 3 });
// @ts-expect-error dtypes are checked
tensor([1], { dtype: 'float16' });
// @ts-expect-error one gradient of a function of one tensor is not an array
grad((t) => t.sum())(x).map((g: Tensor) => g);

export {};
