// The seed's example: allocate a buffer with `full`, update it in place with `axpy` (y = a*x + y),
// then `relu` — chained steps on the same memory, compiled to one C kernel.
import { full, rand, stats } from 'tensorfuse';

const n = 1 << 20;
const x = rand([n], { seed: 42 });
const y = full([n], 0).axpy(x, 2).relu();       // 0 + 2x, clipped at 0: one fused loop
y.eval();
console.log('y[0..4] =', Array.from(y.data().slice(0, 4)).map((v) => v.toFixed(4)).join(' '));

// In place: y ← 0.5·x + y, written into y's own buffer (no new allocation).
const before = y.data();
y.assign(y.axpy(x, 0.5));
console.log('same buffer after assign:', y.data() === before);
console.log('max of y:', y.max().item().toFixed(4), '(at most 2.5)');
console.log(stats());
