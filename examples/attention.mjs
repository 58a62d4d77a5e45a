// A single-head attention block: softmax(Q Kᵀ / √d) V, with every step fused where the rules allow.
import { randn } from 'tensorfuse';

const [seq, d] = [128, 64];
const q = randn([seq, d], { seed: 1, dtype: 'float32' });
const k = randn([seq, d], { seed: 2, dtype: 'float32' });
const v = randn([seq, d], { seed: 3, dtype: 'float32' });

const scores = q.matmul(k.T).div(Math.sqrt(d));   // Kᵀ is a view: read through strides, no copy
const weights = scores.softmax(-1);
const out = weights.matmul(v);

console.log(out.explain().split('\n').filter((l) => l.startsWith('kernel')).join('\n'));
out.eval();
console.log('out shape', out.shape, 'dtype', out.dtype);
console.log('each row of weights sums to 1:', weights.sum(-1).sub(1).abs().max().item() < 1e-5);
console.log(String(out.slice([0, 0], [2, 6])));   // a view of realized data prints without compiling
