// S1 with a new number per call against a fixed one: recording alone and eval(), 20,000 calls per sample.
// Usage: node bench/s1-changing.mjs [BUILD/dist/index.js]
// To compare two builds, run it for each in turn several times, one process each: bench/ab.mjs holds
// both in one process, where one build's garbage is collected in the other's time (this workload
// allocates a node per op), which hid a 0.6x change of the changing-number row as B/A 1.03.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
const tf = await import(pathToFileURL(resolve(process.argv[2] ?? new URL('../dist/index.js', import.meta.url).pathname)).href);
const x = tf.rand([16], { seed: 1, dtype: 'float32' }).eval(), y = tf.rand([16], { seed: 2, dtype: 'float32' }).eval();
const e2k = (k) => x.mul(k).add(y).relu().mul(x.sub(y)).add(1);
let c = 0;
const changing = () => 2 + ((c++ % 1024) + 0.5) / 1024;
const time = (f, n) => { const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) f(); return Number(process.hrtime.bigint() - t) / n / 1000; };
const cases = { fixedBuild: () => e2k(2), chgBuild: () => e2k(changing()), fixed: () => { e2k(2).eval(); }, chg: () => { e2k(changing()).eval(); } };
const r = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < 9; i++) for (const [k, f] of Object.entries(cases)) r[k].push(time(f, 20000));
const med = (a) => a.slice(2).sort((p, q) => p - q)[(a.length - 2) >> 1];
console.log(`${Object.entries(r).map(([k, v]) => `${k} ${med(v).toFixed(2)}`).join('  ')}  ratio ${(med(r.chg) / med(r.fixed)).toFixed(2)}`);
