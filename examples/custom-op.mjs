// Custom C: an elementwise op written as a C expression (it fuses with built-in ops into one loop),
// and a whole C kernel (a moving average, a recurrence the op table cannot express) between elementwise ops.
import { defineOp, defineKernel, rand, arange } from 'tensorfuse';

// The "quick GELU" activation: a C expression over `a`, with its TypeScript reference.
const qgelu = defineOp('qgelu', {
  arity: 1,
  c: 'a / (1 + exp(-1.702 * a))',
  ref: (a) => a / (1 + Math.exp(-1.702 * a)),
});

const x = rand([1 << 16], { seed: 3, dtype: 'float32' }).sub(0.5).mul(8);
const y = qgelu(x.mul(2)).add(1);                     // mul, qgelu, add: one loop nest
console.log('kernels for qgelu chain:', (y.toC().match(/^static void E/gm) ?? []).length);
const ref = qgelu(x.mul(2)).add(1).eval({ backend: 'ts' });
const diff = y.sub(ref).abs().max().item();
console.log('max |C - reference|:', diff);

// An exponential moving average over a whole buffer, as a C function body with in0/n0 (input) and out/n (output).
const ema = defineKernel('ema', {
  inputs: 1,
  c: `double acc = in0[0];
for (int64_t i = 0; i < n; i++) { acc = 0.9 * acc + 0.1 * in0[i]; out[i] = acc; }`,
  ref: ([x], out) => { let acc = x[0]; for (let i = 0; i < x.length; i++) out[i] = acc = 0.9 * acc + 0.1 * x[i]; },
});
const s = ema(arange(1, 11).cast('float64').square()).div(10);      // squares → moving average → /10
console.log(s.explain().split('\n')[0]);                             // 3 kernels, one FFI call
console.log('moving average of squares / 10:', s.toArray().map((v) => v.toFixed(3)).join(' '));
console.log('built in, for comparison: cumsum', arange(1, 6).cumsum().toArray().join(' '));
