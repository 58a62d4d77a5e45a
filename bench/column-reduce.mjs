// Row vs column reductions of a 4096×4096 float32 tensor: median ms of 9 evals after a warm-up.
// Usage: npm run build && node bench/column-reduce.mjs
import { rand } from '../dist/index.js';
const x = rand([4096, 4096], { seed: 1, dtype: 'float32' }).eval();
const med = (a) => a.sort((p, q) => p - q)[a.length >> 1];
for (const [name, f] of [['sum(1) rows', () => x.sum(1)], ['sum(0) columns', () => x.sum(0)], ['max(0)', () => x.max(0)], ['mean(0)', () => x.mean(0)]]) {
  f().eval();
  const t = [];
  for (let i = 0; i < 9; i++) { const t0 = performance.now(); f().eval(); t.push(performance.now() - t0); }
  console.log(name, med(t).toFixed(2), 'ms');
}
