/**
 * A/B of one adam step on T2's parameters (784×512, 512, 512×10, 10 float32) between two builds, in one
 * process, alternating: `node bench/ab-adam.mjs A/dist/index.js B/dist/index.js`. Prints medians of 15
 * samples of 20 steps each, and B/A.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [pa, pb] = process.argv.slice(2);
if (!pa || !pb) { console.error('usage: node bench/ab-adam.mjs A/dist/index.js B/dist/index.js'); process.exit(2); }
const A = await import(pathToFileURL(resolve(pa)).href), B = await import(pathToFileURL(resolve(pb)).href);
const mk = (tf) => {
  const params = [tf.randn([784, 512], { seed: 3, dtype: 'float32' }).eval(), tf.zeros([512], 'float32').eval(), tf.randn([512, 10], { seed: 4, dtype: 'float32' }).eval(), tf.zeros([10], 'float32').eval()];
  const grads = params.map((p, i) => tf.rand(p.shape, { seed: 10 + i, dtype: 'float32' }).eval());
  const opt = tf.optim.adam(params, { lr: 1e-3 });
  for (let i = 0; i < 20; i++) opt.step(grads);
  return () => opt.step(grads);
};
const a = mk(A), b = mk(B);
const ta = [], tb = [];
for (let r = 0; r < 15; r++) {
  for (const [f, ts] of [[a, ta], [b, tb]]) { const s = performance.now(); for (let i = 0; i < 20; i++) f(); ts.push((performance.now() - s) / 20); }
}
const med = (x) => x.sort((p, q) => p - q)[x.length >> 1];
console.log(`adam step on T2's parameters: A ${med(ta).toFixed(2)} ms, B ${med(tb).toFixed(2)} ms, B/A ${(med(tb) / med(ta)).toFixed(2)}`);
