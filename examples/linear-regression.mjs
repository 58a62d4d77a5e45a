// Linear regression two ways: the normal equations with matmul, and a few hundred steps of gradient
// descent whose update is written in place with assign.
import { randn, rand, tensor, zeros, jit } from 'tensorfuse';

const [n, d] = [2000, 3];
const trueW = tensor([[2], [-3], [0.5]]);
const X = rand([n, d], { seed: 7 }).mul(2).sub(1).eval();
const y = X.matmul(trueW).add(randn([n, 1], { seed: 8 }).mul(0.01)).eval();

// Closed form: solve (XᵀX) w = Xᵀy for 3 unknowns with ml-matrix.
const { solve } = await import('ml-matrix');
const xtx = X.T.matmul(X).toMatrix();
const xty = X.T.matmul(y).toMatrix();
console.log('normal equations:', solve(xtx, xty).to1DArray().map((v) => v.toFixed(3)).join(' '));

// Gradient descent: w ← w - lr · Xᵀ(Xw - y)/n, the step traced once by jit and re-run in place.
const w = zeros([d, 1]).eval();
const step = jit((w, X, y) => w.sub(X.T.matmul(X.matmul(w).sub(y)).mul(0.5 / n)));
for (let i = 0; i < 300; i++) w.assign(step(w, X, y));
console.log('gradient descent:', Array.from(w.data()).map((v) => v.toFixed(3)).join(' '), '(true: 2 -3 0.5)');
