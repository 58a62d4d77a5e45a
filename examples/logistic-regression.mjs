// Logistic regression on two overlapping Gaussian classes, trained by gradient descent whose gradient
// is derived by grad() (no hand-written derivative) and compiled with the loss into one program per step.
import { randn, tensor, concat, zeros, jit, valueAndGrad, optim } from 'tensorfuse';

const n = 1000;
const X = concat([randn([n, 2], { seed: 1 }).add(tensor([1, 1])), randn([n, 2], { seed: 2 }).sub(tensor([1, 1]))]).eval();
const y = concat([zeros([n]).add(1), zeros([n])]).eval();   // class 1 first, then class 0

const w = zeros([2]).eval(), b = zeros([]).eval();
// Binary cross-entropy from logits, stably: mean(softplus(z) - y·z).
const loss = (w, b) => { const z = X.matmul(w).add(b); return z.softplus().sub(y.mul(z)).mean(); };
const step = jit(valueAndGrad(loss, { argnums: [0, 1] }));
const opt = optim.sgd([w, b], { lr: 0.5 });
for (let i = 0; i <= 200; i++) {
  const [l, grads] = step(w, b);
  opt.step(grads);
  if (i % 100 === 0) console.log(`step ${String(i).padStart(3)}  loss ${l.item().toFixed(4)}`);
}
const p = X.matmul(w).add(b).sigmoid();
const accuracy = p.gt(0.5).eq(y.gt(0.5)).cast('float64').mean().item();
console.log('weights', Array.from(w.data()).map((v) => v.toFixed(2)).join(' '), 'bias', b.item().toFixed(2));
console.log(`accuracy ${(100 * accuracy).toFixed(1)}% (the Bayes rate for these classes is about 92%)`);
// The five most confident points of each class, by topk over the probabilities.
const [top] = p.topk(5), [bottom] = p.topk(5, -1, { largest: false });
console.log('most confident:', Array.from(top.data()).map((v) => v.toFixed(3)).join(' '), '|', Array.from(bottom.data()).map((v) => v.toFixed(3)).join(' '));
