// S1 with a new number per call against a fixed one: recording alone and eval(), 20,000 calls per sample.
// Usage: node bench/s1-changing.mjs
import * as tf from '../dist/index.js';
const x = tf.rand([16], { seed: 1, dtype: 'float32' }).eval(), y = tf.rand([16], { seed: 2, dtype: 'float32' }).eval();
const e2k = (k) => x.mul(k).add(y).relu().mul(x.sub(y)).add(1);
let c = 0;
const changing = () => 2 + ((c++ % 1024) + 0.5) / 1024;
const time = (f, n) => { const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) f(); return Number(process.hrtime.bigint() - t) / n / 1000; };
const cases = { fixedBuild: () => e2k(2), chgBuild: () => e2k(changing()), fixed: () => { e2k(2).eval(); }, chg: () => { e2k(changing()).eval(); } };
const r = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < 9; i++) for (const [k, f] of Object.entries(cases)) r[k].push(time(f, 20000));
const med = (a) => a.slice(2).sort((p, q) => p - q)[(a.length - 2) >> 1];
console.log(Object.entries(r).map(([k, v]) => `${k} ${med(v).toFixed(2)}`).join('  '));
