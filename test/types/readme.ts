/**
 * The README's examples as a strict TypeScript user writes them (test/types/tsconfig.json: strict,
 * noUncheckedIndexedAccess), one block each, in README order. Where JavaScript leaves a parameter
 * untyped and no tensorfuse call gives it a type, it is annotated; everything else is as written.
 */
import * as tf from 'tensorfuse';
import type { Tensor } from 'tensorfuse';
import { arange, avgPool2d, bernoulli, bincount, choice, concat, conv2d, defineKernel, defineOp, diag, einsum, evalAll, eye, fromMatrix, full, grad, jit, linspace, logspace, maxPool2d, meshgrid, normal, oneHot, ones, optim, outer, permutation, rand, randint, randn, setPrintOptions, shuffle, stack, stats, stopGradient, tensor, tensordot, tidy, uniform, valueAndGrad, vjp, where, zeros } from 'tensorfuse';
import { Matrix } from 'ml-matrix';

// README block 1
{

  const x = rand([1 << 20], { seed: 1, dtype: 'float32' });   // lazy: no memory, no work yet
  const y = full([1 << 20], 0.5, 'float32');
  const z = x.mul(2).add(y).relu().mul(x.sub(y)).add(1);      // records 6 ops
  z.eval();                                                   // one generated C kernel, compiled once, cached
  console.log(z.shape, z.dtype, z.isRealized);                // [ 1048576 ] float32 true
  console.log(z.slice([0], [4]).toArray());                   // first four values

  const a = tensor([[1, 2], [3, 4]]);                         // float64, like numpy
  console.log(String(a.matmul(a.T).eval()));                  // tensor([[ 5., 11.], [11., 25.]], ...)
  console.log(a.sum(0).toArray(), a.mean().item());           // [ 4, 6 ] 2.5
  console.log(arange(5).mul(2).add(1).toArray());             // [ 1, 3, 5, 7, 9 ] (int32)
}

// README block 2
{

  const buf = new Float32Array([1, 2, 3, 4]);
  const t = tensor(buf, { shape: [2, 2] });       // shares buf
  console.log(linspace(0, 1, 5).toArray());       // [ 0, 0.25, 0.5, 0.75, 1 ]
  console.log(eye(2).toArray());                  // [ [ 1, 0 ], [ 0, 1 ] ]
  const m = fromMatrix(new Matrix([[1, 2], [3, 4]]));
  console.log(m.matmul(m).toMatrix().to2DArray()); // [ [ 7, 10 ], [ 15, 22 ] ]
}

// README block 3
{

  const m = arange(12).reshape([3, 4]);                  // int32 [[0..3], [4..7], [8..11]]
  console.log(m.slice([1, -1], [null, null], [1, -1]).toArray()); // rows 1.., columns reversed: [[7,6,5,4],[11,10,9,8]]
  console.log(m.T.shape, m.flip(0).sum(1).toArray());    // [ 4, 3 ] [ 38, 22, 6 ]
  console.log(m.max(1).toArray(), m.argmax(0).toArray()); // [ 3, 7, 11 ] [ 2, 2, 2, 2 ]
  console.log(concat([m, m.neg()], 1).shape);            // [ 3, 8 ]
  console.log(where(m.gt(5), m, 0).toArray());           // keeps values above 5
  console.log(tensor([1, 2, 3]).softmax().toArray());    // [ 0.0900…, 0.2447…, 0.6652… ]
  console.log(m.pad([[0, 0], [1, 1]], -1).shape);        // [ 3, 6 ]
  const z = zeros([3, 4]);
  z.slice([1, 0], [3, 4], [1, 2]).assign(tensor([7, 8]).cast('float64'));  // z[1:3, ::2] = [7, 8], in place
  console.log(z.toArray());                               // [[0,0,0,0],[7,0,8,0],[7,0,8,0]]
}

// README block 4
{

  const x = tensor([-2, -0.5, 0, 0.5, 2]);
  console.log(x.asinh().toArray(), x.erf().toArray());    // numpy arcsinh, scipy erf
  console.log(x.atan2(1).toArray(), x.hypot([3, 4, 0, 4, 3]).toArray()); // arrays broadcast like tensors
  console.log(x.floorDiv(0.75).toArray(), tensor([7, -7]).cast('int32').floorDiv(2).toArray()); // [ -3, -1, 0, 0, 2 ] [ 3, -4 ]
  console.log(x.softplus().toArray(), x.logaddexp(x).toArray());
  console.log(tensor([1, NaN, Infinity]).isfinite().toArray(), x.gt(0).xor(x.lt(1)).toArray());
  console.log(x.isclose(x.add(1e-9)).toArray(), x.allclose(x.mul(1 + 1e-7)));  // all true; true
  console.log(x.logsumexp().item(), tensor([1000, 1000]).logsumexp().item()); // no overflow: 1000.693…
  const m = arange(12).reshape([3, 4]);
  console.log(m.norm().item(), m.norm(1, 1).toArray(), m.norm(Infinity).item()); // Frobenius, row 1-norms, max row sum
  console.log(m.gt(5).any(1).toArray(), m.gt(0).all().item());  // [ false, true, true ] 0
  console.log(tf.sum(tf.exp(tf.mul(m, 0.1)), 1).toArray());      // function forms, as tfjs
  console.log(m.split(2, 1).map((p) => p.shape), m.split([1], 0).map((p) => p.shape)); // [[3,2],[3,2]] [[1,4],[2,4]]
  console.log(m.tile([1, 2]).shape, arange(3).repeat(2).toArray(), arange(5).roll(2).toArray()); // [3,8] [0,0,1,1,2,2] [3,4,0,1,2]
  console.log(m.swapaxes(0, 1).shape, arange(24).reshape([2, 3, 4]).moveaxis(0, -1).shape); // [4,3] [3,4,2]
  console.log(m.diagonal(1).toArray(), m.trace().item(), m.tril().toArray()); // [1,6,11] 15
  console.log(diag(tensor([1, 2])).toArray(), outer(arange(3), arange(2)).toArray());
  const [gx, gy] = meshgrid([linspace(0, 1, 3), arange(2)]);    // 'xy' indexing, shape [2, 3]
  console.log(gx.toArray(), gy.toArray(), logspace(0, 2, 3).toArray()); // ... [ 1, 10, 100 ]
  console.log(arange(3).pad([[2, 2]], { mode: 'reflect' }).toArray()); // [ 2, 1, 0, 1, 2, 1, 0 ]
  console.log(arange(3).pad([[1, 1]], { mode: 'edge' }).toArray(), arange(3).pad([[1, 1]], { mode: 'wrap' }).toArray());
  const c = m.clone().eval();                                     // its own buffer: writes into m do not show
  m.assign(m.mul(0));
  console.log(c.sum().item(), m.sum().item());                   // 66 0
}

// README block 5
{

  const x = tensor([[3, 1, 2], [4, NaN, -1]]);
  console.log(x.cumsum(1).toArray());            //=> [ [ 3, 4, 6 ], [ 4, NaN, NaN ] ]
  console.log(arange(1, 6).cumprod().toArray()); //=> [ 1, 2, 6, 24, 120 ]
  console.log(x.cummax(0).toArray());            //=> [ [ 3, 1, 2 ], [ 4, NaN, 2 ] ]
  console.log(x.sort(1).toArray());              //=> [ [ 1, 2, 3 ], [ -1, 4, NaN ] ]
  console.log(x.argsort(1, { descending: true }).toArray()); //=> [ [ 0, 2, 1 ], [ 0, 2, 1 ] ]
  const [v, i] = tensor([5, 1, 4, 1, 3]).topk(2);
  console.log(v.toArray(), i.toArray());         //=> [ 5, 4 ] [ 0, 2 ]
  console.log(tensor([1, 2, 3, 4, 10]).quantile([0.3, 0.5]).toArray(), tensor([4, 1, 3, 2]).median().item()); //=> [ 2.2, 3 ] 2.5
  console.log(tensor([1, 3, 3, 5]).searchsorted([3, 4], { side: 'right' }).toArray()); //=> [ 3, 3 ]
  const [u, counts] = tensor([3, 1, 3, NaN, 1, NaN]).unique({ counts: true });
  console.log(u.toArray(), counts.toArray());    //=> [ 1, 3, NaN ] [ 2, 2, 2 ]
}

// README block 6
{

  const x = arange(24).reshape([2, 3, 4]);
  const m = arange(12).reshape([3, 4]);
  const show = (t: Tensor) => console.log(JSON.stringify(t.toArray()));
  show(x.at('...', 0));                        //=> [[0,4,8],[12,16,20]]
  console.log(x.at(null, ':').shape);           //=> [ 1, 2, 3, 4 ]
  show(m.at([0, 2], ':'));                      //=> [[0,1,2,3],[8,9,10,11]]
  show(m.at(':', [1, 0]));                      //=> [[1,0],[5,4],[9,8]]
  show(x.at([0, 1], ':', [0, 2]));              //=> [[0,4,8],[14,18,22]]
  show(m.at('1:', '::-2'));                     //=> [[7,5],[11,9]]
  show(m.at(m.mod(3).eq(0)));                   //=> [0,3,6,9]
  show(m.take([2, 0], 1));                      //=> [[2,0],[6,4],[10,8]]
  show(m.takeAlongAxis([[0], [3], [1]], 1));    //=> [[0],[7],[9]]

  const y = tensor([1, -2, 3, -4]);
  y.at(y.lt(0)).assign(0);                      // y[y < 0] = 0
  show(y);                                      //=> [1,0,3,0]
  const hist = zeros([4], 'int32');
  hist.at([0, 1, 1, 3, 3, 3]).assign(1, { op: 'add' }); // np.add.at(hist, bins, 1)
  show(hist);                                   //=> [1,2,0,3]
  const b = arange(5);
  b.at([1, 1, 3]).assign(tensor([10, 20, 30], { dtype: 'int32' })); // the last duplicate wins
  show(b);                                      //=> [0,20,2,30,4]
  const p = m.contiguous().eval();
  p.putAlongAxis([[0], [3], [1]], -5, 1);
  show(p);                                      //=> [[-5,1,2,3],[4,5,6,-5],[8,-5,10,11]]
  show(zeros([3, 5], 'int32').scatter(0, [[0, 1, 2, 0]], arange(1, 11).reshape([2, 5]))); //=> [[1,0,0,4,0],[0,2,0,0,0],[0,0,3,0,0]]
  show(tensor([[0, 3, 0], [4, 0, 5]]).argwhere()); //=> [[0,1],[1,0],[1,2]]
  console.log(JSON.stringify(tensor([[0, 3, 0], [4, 0, 5]]).nonzero().map((t) => t.toArray()))); //=> [[0,1,1],[1,0,2]]
  show(zeros([5], 'int32').scatter(0, [0, 1, 1, 4], ones([4], 'int32'), { op: 'add' })); //=> [1,2,0,0,1]
  show(oneHot([0, 2, 5], 3));                   //=> [[1,0,0],[0,0,1],[0,0,0]]
  show(bincount(tensor([0, 1, 1, 3], { dtype: 'int32' }), { minlength: 6 })); //=> [1,2,0,1,0,0]
  try { m.at(3); } catch (e) { console.log((e as Error).message); } //=> at: index 3 is out of range for axis 0 of size 3 (of [3,4])
  try { m.at(tensor([0, 7], { dtype: 'int32' })).eval(); } catch (e) { console.log((e as Error).constructor.name); } //=> TensorError
}

// README block 7
{

  const a = arange(6).reshape([2, 3]), b = arange(12).reshape([3, 4]), m = arange(9).reshape([3, 3]);
  const show = (t: Tensor) => console.log(JSON.stringify(t.toArray()));
  show(einsum('ij,jk->ik', a, b));                    //=> [[20,23,26,29],[56,68,80,92]]
  console.log(einsum('ij,jk', a, b).dtype);            //=> int32
  show(einsum('ii->i', m));                           //=> [0,4,8]
  console.log(einsum('ii', m).item());                 //=> 12
  console.log(einsum('i,i->', arange(3), arange(3)).item()); //=> 5
  show(einsum('i,j->ij', arange(2), arange(3)));      //=> [[0,0,0],[0,1,2]]
  console.log(einsum('...ij->...ji', arange(12).reshape([2, 2, 3])).shape); //=> [ 2, 3, 2 ]
  show(einsum('ij,jk,kl->il', a, b, ones([4, 2])));   //=> [[98,98],[296,296]]
  show(einsum('ij,ij->i', a, a.mul(1.5)));            //=> [7.5,75]
  show(tensordot(arange(24).reshape([2, 3, 4]), b, [[1, 2], [0, 1]])); //=> [506,1298]
  show(tensordot(a, b, 1));                           //=> [[20,23,26,29],[56,68,80,92]]
  try { einsum('ij,jk->ik', a, a); } catch (e) { console.log((e as Error).message); } //=> einsum: index 'j' has size 3 in operand 0 but 2 in operand 1 (shape [2,3])
}

// README block 8
{

  const show = (t: Tensor) => console.log(JSON.stringify(t.toArray()));
  show(randint(0, 10, [6], { seed: 1 }));                       //=> [3,7,3,9,0,8]
  show(randint(0, 10, [6], { seed: 1 }).eval({ backend: 'ts' })); //=> [3,7,3,9,0,8]
  console.log(uniform(-1, 1, [3], { seed: 2, dtype: 'float32' }).dtype, normal(10, 2, [2, 2], { seed: 3 }).shape); //=> float32 [ 2, 2 ]
  show(bernoulli(tensor([0, 1, 0.5]), [2, 3], { seed: 4 }));    //=> [[false,true,true],[false,true,false]]
  show(permutation(5, { seed: 5 }));                           //=> [1,3,2,0,4]
  show(shuffle(tensor([[1, 2], [3, 4], [5, 6]]), { seed: 5 })); //=> [[3,4],[1,2],[5,6]]
  show(choice(tensor([10, 20, 30]), 5, { seed: 6 }));          //=> [10,30,20,20,30]
  show(choice(4, 4, { replace: false, seed: 7 }));             //=> [1,0,3,2]
  show(choice(3, 6, { p: [0.5, 0, 0.5], seed: 8 }));           //=> [0,2,0,0,2,0]
  try { choice(3, 2, { p: [0.5, 0.6, 0] }); } catch (e) { console.log((e as Error).message); } //=> choice: probabilities must sum to 1, they sum to 1.1
}

// README block 9
{

  const x = arange(16).reshape([1, 1, 4, 4]).cast('float64');
  const show = (t: Tensor) => console.log(JSON.stringify(t.toArray()));
  show(conv2d(x, tensor([[[[1, 0], [0, -1]]]])));               //=> [[[[-5,-5,-5],[-5,-5,-5],[-5,-5,-5]]]]
  show(conv2d(x, ones([2, 1, 3, 3]), { padding: 'same', stride: 2 })); //=> [[[[45,39],[66,50]],[[45,39],[66,50]]]]
  show(maxPool2d(x, 2));                                        //=> [[[[5,7],[13,15]]]]
  show(avgPool2d(x, 2));                                        //=> [[[[2.5,4.5],[10.5,12.5]]]]
  show(avgPool2d(x, 3, { stride: 1, padding: 1, countIncludePad: false }).at(0, 0, 0)); //=> [2.5,3,4,4.5]
  const img = rand([8, 3, 32, 32], { seed: 1, dtype: 'float32' }), k = rand([16, 3, 3, 3], { seed: 2, dtype: 'float32' });
  console.log(conv2d(img, k, { padding: 1, bias: rand([16], { seed: 3, dtype: 'float32' }) }).relu().shape); //=> [ 8, 16, 32, 32 ]
  console.log(conv2d(img, rand([6, 1, 3, 3], { seed: 4 }), { groups: 3, stride: 2 }).shape); //=> [ 8, 6, 15, 15 ]
}

// README block 10
{

  const x = rand([1000], { seed: 7 });
  const [lo, hi] = evalAll(x.min(), x.max());             // one program, both outputs
  const f = jit((a, b) => a.mul(2).add(b).relu());
  f(x, x); f(x, x);                                       // the second call re-uses the trace
  const y = await x.exp().evalAsync();
  console.log(lo.item() <= hi.item(), y.isRealized, stats());
}

// README block 11
{

  console.log(arange(6).reshape([2, 3]));        //=> tensor([[0, 1, 2],
                                                 //=>         [3, 4, 5]], dtype=int32, shape=[2,3])
  console.log(String(rand([4096, 4096]).mul(2))); //=> Tensor(lazy float64 [4096,4096], 2 ops: .eval() or .print() shows its values)
  console.log([tensor([1.5, 2]), arange(2)]);    //=> [
                                                 //=>   tensor([1.5, 2. ], dtype=float64, shape=[2]),
                                                 //=>   tensor([0, 1], dtype=int32, shape=[2])
                                                 //=> ]
  setPrintOptions({ precision: 3, suppress: true });
  tensor([1e-10, 1 / 3, 1.5]).print();           //=> tensor([0.   , 0.333, 1.5  ], dtype=float64, shape=[3])
}

// README block 12
{

  const w = rand([1000], { seed: 1, dtype: 'float32' }).eval();
  const g = rand([1000], { seed: 2, dtype: 'float32' }).eval();
  const step = jit((w, g, lr) => w.sub(g.mul(lr)));        // lr: a runtime scalar
  const before = stats().traces;
  for (let i = 0; i < 100; i++) step(w, g, 0.1 / (1 + i));  // 100 learning rates, one trace
  const head = jit((x: Tensor, n: number) => x.slice([0], [n]).sum(), { staticArgs: [1] }); // a static number is a number: annotated
  console.log(stats().traces - before, step(w, g, 0.5).dtype, head(tensor([1, 2, 3, 4]), 2).item(), head(tensor([1, 2, 3, 4]), 3).item());
  // 1 float32 3 6
}

// README block 13
{

  // An elementwise primitive: a C expression over a, b, c, with its TypeScript reference.
  // It fuses with built-in ops like any primitive (one loop nest) and the property tests check it.
  const qgelu = defineOp('qgelu', { arity: 1, c: 'a / (1 + exp(-1.702 * a))', ref: (a) => a / (1 + Math.exp(-1.702 * a)) });
  const y = qgelu(rand([1000], { seed: 1, dtype: 'float32' }).mul(2)).add(1);

  // A whole C function over buffers: inputs in0, in1, ... (n0, n1, ... elements), output out (n elements).
  // Here a recurrence no table op expresses: an exponential moving average.
  const ema = defineKernel('ema', {
    inputs: 1,
    c: 'double acc = in0[0]; for (int64_t i = 0; i < n; i++) { acc = 0.9 * acc + 0.1 * in0[i]; out[i] = acc; }',
    ref: ([x], out) => { let acc = x[0]!; for (let i = 0; i < x.length; i++) out[i] = acc = 0.9 * acc + 0.1 * x[i]!; }, // noUncheckedIndexedAccess: a TypedArray read may be undefined
  });
  const s = ema(arange(1, 11).cast('float64').square()).div(10);     // elementwise, kernel, elementwise
  console.log(s.explain().split('\n')[0]);                           // 3 kernels, one C file, one FFI call
  console.log(s.toArray(), y.shape);
}

// README block 14
{

  const x = tensor([0.5, 1, 2]);
  const f = (x: Tensor) => x.sin().mul(x).sum();                         // Σ x·sin x
  console.log(grad(f)(x).toArray());                             // sin x + x·cos x
  console.log(grad((x) => grad(f)(x).sum())(x).toArray());       // 2·cos x − x·sin x
  const X = randn([8, 3], { seed: 1 }), y = randn([8, 1], { seed: 2 }), w = randn([3, 1], { seed: 3 });
  const [loss, [gw, gX]] = valueAndGrad((w, X) => X.matmul(w).sub(y).square().mean())(w, X);
  const evals = stats().evals;
  evalAll(loss, gw, gX);                                         // forward and backward: one program
  console.log(loss.item(), gw.shape, gX.shape, stats().evals - evals);  // ... [ 3, 1 ] [ 8, 3 ] 1
  const [e, pullback] = vjp((x) => x.exp(), x);
  console.log(pullback(tensor([1, 0, 2]))[0].toArray());         // [ e^0.5, 0, 2e² ]
  console.log(grad((x) => x.mul(stopGradient(x)).sum())(x).toArray(), e.shape); // x, not 2x
  console.log(grad((x) => x.detach().mul(x).sum())(x).toArray());                // the same
}

// README block 15
{

  const X = randn([64, 3], { seed: 1 }).eval();
  const y = X.matmul(tensor([[1], [-2], [0.5]])).eval();
  const w = zeros([3, 1]).eval();
  const mse = (w: Tensor) => X.matmul(w).sub(y).square().mean();
  const step = jit(valueAndGrad(mse));
  const opt = optim.adam([w], { lr: 0.1 });
  let compiles = 0;
  for (let i = 0; i < 300; i++) {
    const [loss, g] = step(w);
    opt.step([g]);
    if (i === 1) compiles = stats().compiles;
    opt.lr = 0.1 / (1 + i / 100);                                 // a runtime scalar: compiles nothing
  }
  console.log((w.toArray() as number[][]).flat().map((v) => v.toFixed(3)) /* toArray() is NestedArray: its rank is not typed */, stats().compiles - compiles); // [ '1.000', '-2.000', '0.500' ] 0
  // Without jit, lazily: forward, backward and update in one program; `also` computes the loss before the update.
  const [loss, g] = valueAndGrad(mse)(w);
  opt.step([g], [loss]);
  console.log(loss.item() < 1e-6, opt.steps);                     // true 301
}

// README block 16
{

  const cube = defineOp('cube', { arity: 1, c: 'a * a * a', ref: (a) => a * a * a, grad: (g, [a]) => [g.mul(a.square()).mul(3)] });
  console.log(grad((x) => cube(x).sum())(tensor([1, 2, 3])).toArray());   //=> [ 3, 12, 27 ]
  // A C recurrence with its derivative written in tensor ops.
  const runprod = defineKernel('runprod', {
    inputs: 1,
    c: 'double acc = 1; for (int64_t i = 0; i < n; i++) { acc *= in0[i]; out[i] = acc; }',
    ref: ([x], out) => { let acc = 1; for (let i = 0; i < x.length; i++) out[i] = acc *= x[i]!; },
    grad: (g, [x], out) => [g.mul(out).flip(0).cumsum(0).flip(0).div(x)],
  });
  console.log(grad((x) => runprod(x).sum())(tensor([2, 3, 4])).toArray()); //=> [ 16, 10, 6 ]
}

// README block 17
{

  const x = rand([4096, 4096], { seed: 1, dtype: 'float32' });
  console.log(x.softmax(1).explain());   // 3 kernels in one C file and one FFI call, one pass per row block: max, sum of exp (kept), divide
  console.log(x.mul(2).add(1).toC());    // the C source eval would compile
  console.log(x.mul(2).add(1).toDot());  // Graphviz, one cluster per kernel
}

// README block 18
{
  const x = rand([1000, 600], { seed: 1, dtype: 'float32' }).eval();
  console.log(x.sum(0).explain().split('\n').at(-1)); //   reduction: column — the last axis is kept, so each result folds its rows in order, ...
  console.log(x.T.add(1).explain().split('\n').at(-1)); //   loop: 32 × 32 tiles of axes 0 and 1 — 1 input read transposed, ...
}

// README block 19
{

  const x = rand([1 << 22], { seed: 1, dtype: 'float32' }).eval();
  const out = x.mul(0).eval();
  for (let i = 0; i < 10; i++) out.assign(x.mul(i).add(1));             // no new buffer per step
  for (let i = 0; i < 10; i++) tidy(() => x.mul(i).exp().sum().item());  // buffers reused
  console.log(out.max().item());
}

// README block 20
{
  const rows = rand([16, 256], { seed: 1, dtype: 'float32' }).eval();
  const parallel = (t: Tensor) => t.explain().split('\n').find((l) => l.includes('parallel:'));
  console.log(parallel(rows.argsort(1))); //=> parallel: threads take the 16 rows, at least 5 each (~33 µs on one thread; 10 µs or more per thread)
  console.log(parallel(rows.sum(1)));     //=> parallel: serial: 16 rows, ~451 ns on one thread, under 2 × 10 µs (a parallel region costs more than it saves)
}

// README block 21
{
  const x = rand([4], { dtype: 'float32', seed: 1 });           // Tensor<'float32'>
  const i = arange(5);                                          // Tensor<'int32'>: all-integer literals
  console.log(x.mul(2).add(1.5).exp().data().constructor.name); //=> Float32Array
  console.log(i.mul(2).data().constructor.name);                //=> Int32Array
  console.log(i.div(2).dtype, i.add(0.5).dtype);                //=> float64 float64
  console.log(i.gt(3).any().item(), i.sum().item());            //=> true 10
  const f: Float32Array = x.data(), n: Int32Array = i.mul(2).data(), b: boolean = i.gt(3).any().item();
  void [f, n, b]; // (and the types the comments claim)
}

export {};
