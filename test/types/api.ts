/**
 * What the types promise beyond the README: results typed by position, and calls that must not
 * type-check (each `@ts-expect-error` fails the compile if the line below it stops being an error).
 */
import type { DType, JitParams, PrintOptions, Tensor } from 'tensorfuse';
import { add, arange, bincount, cast, clip, concat, cumsum, defineKernel, defineOp, evalAll, exp, eye, full, grad, jit, linspace, lt, max, mean, meshgrid, oneHot, ones, rand, randint, randn, setPrintOptions, stack, sum, tensor, unique, valueAndGrad, vjp, where, zeros, zerosLike } from 'tensorfuse';

/** Compiles only when `value` has type `T` exactly (both ways assignable). */
function exactly<T>() {
  return <V extends T>(value: V & (T extends V ? unknown : never)): V => value;
}

const x = rand([3], { seed: 1 });

// evalAll and jit: tuples by position, no `| undefined` under noUncheckedIndexedAccess.
const [lo, hi] = evalAll(x.min(), x.max());
exactly<number>()(lo.item() + hi.item());
const f = jit((a, b) => a.mul(2).add(b).relu());
exactly<Tensor<Exclude<DType, 'bool'>>>()(f(x, 2)); // untyped parameters: any dtype but bool can come out
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
exactly<Tensor<'float32' | 'float64'>>()(grad((t) => t.square().sum())(x));
exactly<[Tensor<'float32' | 'float64'>, Tensor<'float32' | 'float64'>]>()(grad((a, b) => a.mul(b).sum())(x, x));
exactly<Tensor<'float32' | 'float64'>[]>()(grad((a: Tensor, b: Tensor) => a.mul(b).sum(), { argnums: [0, 1] })(x, x));
const [e, pullback] = vjp((t) => t.exp(), x);
exactly<Tensor<'float64'>>()(e);
exactly<[Tensor<'float64'>]>()(pullback(1));
const [gx, gy] = meshgrid([arange(3), arange(2)]);
exactly<number>()(gx.size + gy.size);

// Custom ops: operands and reference inputs as tuples of the declared arity.
const twice = defineOp('types_twice', { arity: 1, c: 'a * 2', ref: (a) => a * 2, grad: (g, [a]) => [g.mul(a.mul(0).add(2))] });
const sum2 = defineKernel('types_sum2', { inputs: 2, c: 'for (int64_t i = 0; i < n; i++) out[i] = in0[i] + in1[i];', ref: ([a, b], out) => { for (let i = 0; i < out.length; i++) out[i] = (a[i] ?? 0) + (b[i] ?? 0); } });
exactly<Tensor>()(sum2(twice(x), x));

// dtypes: a tensor's dtype is in its type, so data() is the right TypedArray and item() a number or a
// boolean; results follow the promotion table (README "Semantics"), JS numbers as weak scalars (an
// integer literal keeps int32, another literal makes float64, a `number` variable could be either).
// test/dtype-types.test.ts checks each of these against the dtype the runtime gives.
const f32 = rand([3], { dtype: 'float32' }), f64 = randn([3]), i32 = arange(3), b = i32.gt(1);
exactly<Float32Array>()(f32.data());
exactly<Float64Array>()(f64.data());
exactly<Int32Array>()(i32.data());
exactly<Uint8Array>()(b.data());
exactly<boolean>()(b.any().item());
exactly<number>()(i32.max().item());
exactly<Tensor<'float32'>>()(f32.mul(2).add(1.5).exp());
exactly<Tensor<'int32'>>()(i32.mul(2).add(-7));
exactly<Tensor<'float64'>>()(i32.add(0.5));
declare const n: number;
exactly<Tensor<'int32' | 'float64'>>()(i32.add(n));
exactly<Tensor<'float64'>>()(i32.div(2)); // division of ints is float64
exactly<Tensor<'float64'>>()(i32.sqrt());
exactly<Tensor<'float64'>>()(i32.sum()); // exact 64-bit sums, returned as float64
exactly<Tensor<'float32'>>()(f32.sum());
exactly<Tensor<'float32'>>()(f32.add(i32));
exactly<Tensor<'float64'>>()(f32.add(f64));
exactly<Tensor<'int32'>>()(b.add(1)); // bool + int → int32
exactly<Tensor<'bool'>>()(b.add(true)); // bool + bool → bool (or)
exactly<Tensor<'bool'>>()(f32.lt(0.5).and(b));
exactly<Tensor<'int32' | 'float64'>>()(f32.argmax()); // float64 positions past 2^31
exactly<Tensor<'int32'>>()(f32.argsort());
exactly<Tensor<'float32'>>()(f32.reshape([3, 1]).T.slice([0], [1]).flip().matmul(f32.reshape([3, 1])));
exactly<Tensor<'float32'>>()(f32.softmax());
exactly<Tensor<'float64'>>()(i32.mean());
exactly<Tensor<'int32'>>()(i32.floor()); // ints stay ints
exactly<Tensor<'int32'>>()(b.sign());
exactly<Tensor<'float32'>>()(f64.cast('float32'));
exactly<Tensor<'int32'>>()(f64.cast('int32'));
exactly<Tensor<'float32'>>()(f32.where(f32, 0));
exactly<Tensor<'float64'>>()(where(b, 1, 2));
exactly<Tensor<'int32'>>()(f32.clip(0, 1).cast('int32'));
exactly<Tensor<'float32'>>()(f32.clip(0, null));
exactly<Tensor<'float32'>>()(f32.axpy(f32, 2));
exactly<[Tensor<'float32'>, Tensor<'int32'>]>()(f32.topk(2));
exactly<Tensor<'float64'>>()(i32.median());
exactly<Tensor<'float64'>>()(i32.cumsum());
exactly<Tensor<'int32'>>()(i32.cummax());
exactly<Tensor<'bool'>>()(full([2], true));
exactly<Tensor<'float64'>>()(full([2], 1));
exactly<Tensor<'int32'>>()(full([2], 1, 'int32'));
exactly<Tensor<'float64'>>()(zeros([2]).add(ones([2])).add(eye(2)).add(linspace(0, 1, 2)));
exactly<Tensor<'float32'>>()(zeros([2], 'float32'));
exactly<Tensor<'int32'>>()(zerosLike(i32));
exactly<Tensor<'float32'>>()(concat([f32, f32]).add(stack([f32])));
exactly<Tensor<'int32'>>()(arange(5));
exactly<Tensor<'float64'>>()(arange(0, 1, 0.25));
exactly<Tensor<'int32' | 'float64'>>()(arange(n));
exactly<Tensor<'int32'>>()(randint(0, 10, [3]));
exactly<Tensor<'float32'>>()(tensor(new Float32Array(4)));
exactly<Tensor<'uint8'>>()(tensor(new Uint8Array(4)));
exactly<Tensor<'uint8'>>()(tensor(new Uint8ClampedArray(4)));
exactly<Tensor<'int16'>>()(tensor(new Int16Array(4)));
exactly<Tensor<'uint32'>>()(tensor(new Uint32Array(4)));
exactly<Uint16Array>()(tensor(new Uint16Array(4)).data());
exactly<Tensor<'uint8'>>()(tensor(new Uint8Array(4)).add(255)); // a weak integer the dtype holds keeps it
exactly<Tensor<'float64'>>()(tensor(new Uint8Array(4)).add(256)); // one it does not hold gives float64
exactly<Tensor<'int16'>>()(tensor(new Uint8Array(4)).add(tensor(new Int8Array(4)))); // numpy's promotion
exactly<Tensor<'float64'>>()(tensor([[1, 2], [3, 4]]));
exactly<Tensor<'bool'>>()(tensor([1, 0], { dtype: 'bool' }));
exactly<Tensor<'float32'>>()(grad((t: Tensor<'float32'>) => t.square().sum())(f32));
const [v32, g32] = valueAndGrad((t: Tensor<'float32'>) => t.square().sum())(f32);
exactly<Tensor<'float32'>>()(v32);
exactly<Tensor<'float32'>>()(g32);
// A tensor of a dtype unknown statically is a Tensor (Tensor<DType>): item() is then a number or a boolean.
declare const anyDType: Tensor;
exactly<number | boolean>()(anyDType.item());
exactly<number>()(anyDType.sum().item());

// Function forms are typed as their methods (a JS number or array first operand as tensor() reads it).
exactly<Tensor<'float32'>>()(exp(f32));
exactly<Tensor<'float32'>>()(add(1, f32)); // a JS number is weak in either place
exactly<Tensor<'bool'>>()(lt(i32, 2));
exactly<Tensor<'float64'>>()(sum(b));
exactly<number>()(sum(b).item());
exactly<boolean>()(max(b).item());
exactly<Tensor<'int32'>>()(cast(f32, 'int32'));
exactly<Tensor<'float32'>>()(clip(f32, 0, null));
exactly<Tensor<'int32'>>()(unique(i32));
exactly<[Tensor<'float32'>, Tensor<'int32'>]>()(unique(f32, { counts: true }));
declare const counts: boolean;
exactly<Tensor<'float32'> | [Tensor<'float32'>, Tensor<'int32'>]>()(f32.unique({ counts }));
exactly<Tensor<'int32'> | [Tensor<'int32'>, Tensor<'int32'>]>()(unique(i32, { counts }));
exactly<Tensor<'float64'>>()(cumsum(f32.gt(0)));
exactly<Float64Array>()(mean(i32).data());
// JS arrays are weak next to a tensor in elementwise ops, tensors of their own in axpy, clip, matmul and dot.
exactly<Tensor<'float32'>>()(f32.add([true, false, true]));
exactly<Tensor<'float32'>>()(f32.where(f32, [1, 2, 3]));
exactly<Tensor<'float64'>>()(f32.axpy([1, 2, 3], 2));
exactly<Tensor<'bool' | 'float64'>>()(b.axpy(true, [true, false, true])); // (a boolean[] may be [], which is float64)
declare const bools: boolean[];
exactly<Tensor<'bool' | 'int32'>>()(b.add(bools)); // an empty one is a weak integer: int32
// A union operand gives the union of what its members give.
declare const u: Tensor<'float32'> | number, m: Tensor<'float64'> | number;
exactly<Tensor<'float32' | 'float64'>>()(f32.axpy(2, m)); // a float64 alpha makes float64, a number keeps float32
exactly<Tensor<'float32' | 'float64'>>()(b.where(u, 2));
exactly<Float32Array | Int32Array>()((f32 as Tensor<'float32' | 'int32'>).data());

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
// @ts-expect-error a float32 tensor's data is a Float32Array
const notF64: Float64Array = f32.data();
void notF64;
// @ts-expect-error a bool tensor's item() is a boolean
exactly<number>()(b.all().item());
// @ts-expect-error rand makes floats
rand([2], { dtype: 'int32' });
// @ts-expect-error randint makes int32 or floats (bool throws a DTypeError)
randint(0, 2, [2], { dtype: 'bool' });
// @ts-expect-error one gradient of a function of one tensor is not an array
grad((t) => t.sum())(x).map((g: Tensor) => g);
// @ts-expect-error assign takes a value of the target's dtype (a float64 tensor into float32 throws a DTypeError)
f32.assign(f64);
// @ts-expect-error scatter's values have the target's dtype
f32.scatter(0, [0], f64);
// @ts-expect-error putAlongAxis's values have the target's dtype
f32.putAlongAxis([0], i32, 0);
// @ts-expect-error positions are int32 (a float tensor of indices throws a DTypeError)
f32.take(f64);
// @ts-expect-error takeAlongAxis's positions are int32 (a bool mask throws a DTypeError)
f32.takeAlongAxis(b, 0);
// @ts-expect-error an index tensor is int32 positions or a bool mask
f32.at(f64);
// @ts-expect-error bincount counts int32 values (a float tensor throws a DTypeError)
bincount(f32);
// @ts-expect-error oneHot's indices are int32 positions
oneHot(f64, 3);
// ...while these are what they take:
exactly<Tensor<'float64'>>()(bincount(i32, { weights: f32 }).add(oneHot(i32, 3, 'float64')).add(bincount(anyDType)));
f32.assign(f32.mul(2)).assign(1).assign([1, 2, 3]);
f32.scatter(0, i32, f32).putAlongAxis(i32, 0.5, 0).take(i32).takeAlongAxis([0], 0).at(b).at(i32, '...');
exactly<Tensor<'int32'>>()(i32.assign(i32));

export {};
