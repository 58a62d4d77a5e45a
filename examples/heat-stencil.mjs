// The 2-D heat equation, explicit steps of the five-point stencil written as numpy would:
//   u[1:-1, 1:-1] += r * (u[2:, 1:-1] + u[:-2, 1:-1] + u[1:-1, 2:] + u[1:-1, :-2] - 4 * u[1:-1, 1:-1])
// The right side reads u at shifted positions while the assignment writes u: tensorfuse sees the
// hazard and computes the whole right side before writing (as numpy's temporary does).
import { zeros, jit } from 'tensorfuse';

const n = 128, r = 0.2, steps = 200;
const u = zeros([n, n]).eval();
u.at('56:72', '56:72').assign(100);                     // a hot square in a cold plate with cold edges
const laplacian = (u) => u.at('2:', '1:-1').add(u.at(':-2', '1:-1')).add(u.at('1:-1', '2:')).add(u.at('1:-1', ':-2')).sub(u.at('1:-1', '1:-1').mul(4));
const step = jit((u) => u.at('1:-1', '1:-1').add(laplacian(u).mul(r)));
const inner = u.at('1:-1', '1:-1');                     // a view: assign writes through into u
for (let i = 0; i < steps; i++) inner.assign(step(u));
console.log(`after ${steps} steps: centre ${u.at(64, 64).item().toFixed(3)}, total heat ${u.sum().item().toFixed(1)} (started at 25600.0: conserved while the heat is far from the cold edges)`);

// The same steps by JS loops, as a check.
let a = new Float64Array(n * n), b = new Float64Array(n * n);
for (let i = 56; i < 72; i++) for (let j = 56; j < 72; j++) a[i * n + j] = 100;
for (let s = 0; s < steps; s++) {
  b.set(a);
  for (let i = 1; i < n - 1; i++) for (let j = 1; j < n - 1; j++) {
    const c = a[i * n + j];
    b[i * n + j] = c + r * (a[(i + 1) * n + j] + a[(i - 1) * n + j] + a[i * n + j + 1] + a[i * n + j - 1] - 4 * c);
  }
  [a, b] = [b, a];
}
const got = u.data();
let worst = 0;
for (let i = 0; i < n * n; i++) worst = Math.max(worst, Math.abs(got[i] - a[i]));
console.log('matches the JS loops:', worst < 1e-9, `(largest difference ${worst.toExponential(1)})`);
