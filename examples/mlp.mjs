// A 2-layer MLP (2 → 32 → 2, tanh) trained with adam on two interleaved spirals. One training step is
// two FFI calls: jit(valueAndGrad(loss)) runs forward and backward as one compiled program, and
// opt.step() updates every parameter (and adam's moments) in place in another.
import { tensor, randn, jit, valueAndGrad, optim } from 'tensorfuse';

// Two spirals of n points each, slightly noisy (a small LCG keeps the data reproducible).
const n = 100;
let seed = 12345;
const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.1;
const points = [], labels = [];
for (let c = 0; c < 2; c++) {
  for (let i = 0; i < n; i++) {
    const r = 0.1 + (i / n) * 0.9, t = (i / n) * 3 * Math.PI + c * Math.PI;
    points.push([r * Math.cos(t) + noise(), r * Math.sin(t) + noise()]);
    labels.push(c);
  }
}
const X = tensor(points);                                         // [200, 2]
const Y = tensor(labels.map((c) => [c === 0 ? 1 : 0, c === 1 ? 1 : 0])); // one-hot [200, 2]

const hidden = 32;
const params = [
  randn([2, hidden], { seed: 1 }).mul(1.5).eval(), randn([hidden], { seed: 2 }).mul(0.1).eval(),
  randn([hidden, 2], { seed: 3 }).mul(1 / Math.sqrt(hidden)).eval(), randn([2], { seed: 4 }).mul(0.1).eval(),
];
const logits = (W1, b1, W2, b2) => X.matmul(W1).add(b1).tanh().matmul(W2).add(b2);
// Cross-entropy: the mean over points of -log softmax at the true class.
const loss = (W1, b1, W2, b2) => logits(W1, b1, W2, b2).logSoftmax(1).mul(Y).sum(1).mean().neg();

const step = jit(valueAndGrad(loss));
const opt = optim.adam(params, { lr: 0.03 });
for (let i = 0; i <= 300; i++) {
  const [value, grads] = step(...params);
  opt.step(grads);
  if (i % 50 === 0) console.log(`step ${String(i).padStart(3)}  loss ${value.item().toFixed(4)}`);
}
const predicted = logits(...params).argmax(1).toArray();
const accuracy = predicted.filter((p, i) => p === labels[i]).length / labels.length;
console.log(`accuracy ${(accuracy * 100).toFixed(1)}% on ${labels.length} points`);
