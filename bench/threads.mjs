// Threads by work (issue 17 §6): each workload at sizes from 2^10 to 2^22 elements, timed with 1 thread
// and with all threads, alternating in one process (configure({ threads }) is a run-time argument: the
// same library runs both). Prints the median time per call of each, whole (eval() and dispose()) and in
// the C call alone (stats().runMs), and the median of the per-pair ratios all/1 of the whole call:
// above 1, the parallel run is slower than one thread.
//
// Usage: node bench/threads.mjs [BUILD/dist/index.js] [filter] [--pairs N]
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const pairsAt = args.indexOf('--pairs');
const PAIRS = pairsAt >= 0 ? Number(args.splice(pairsAt, 2)[1]) : 11;
const build = args[0] && args[0].endsWith('.js') ? args.shift() : 'dist/index.js';
const filter = args[0];
const tf = await import(pathToFileURL(resolve(build)).href);
const ALL = availableParallelism();

const f32 = { dtype: 'float32' };
const side = (n) => Math.round(Math.sqrt(n));
/** name → (n elements) → the call timed, which returns a tensor to eval() and dispose(). */
const WORKLOADS = [
  ['float32 x.add(y)', (n) => { const x = tf.rand([n], { seed: 1, ...f32 }).eval(), y = tf.rand([n], { seed: 2, ...f32 }).eval(); return () => x.add(y); }],
  ['float32 x.exp()', (n) => { const x = tf.rand([n], { seed: 1, ...f32 }).eval(); return () => x.exp(); }],
  ['float32 E2 chain', (n) => { const x = tf.rand([n], { seed: 1, ...f32 }).eval(), y = tf.rand([n], { seed: 2, ...f32 }).eval(); return () => x.mul(2).add(y).relu().mul(x.sub(y)).add(1); }],
  ['float64 full sum', (n) => { const x = tf.rand([n], { seed: 1 }).eval(); return () => x.sum(); }],
  ['float32 row sum [n/256, 256]', (n) => { const x = tf.rand([n / 256, 256], { seed: 1, ...f32 }).eval(); return () => x.sum(1); }],
  ['float64 column sum [n/5, 5]', (n) => { const x = tf.rand([Math.round(n / 5), 5], { seed: 1 }).eval(); return () => x.sum(0); }],
  ['float32 column sum [n/64, 64]', (n) => { const x = tf.rand([n / 64, 64], { seed: 1, ...f32 }).eval(); return () => x.sum(0); }],
  ['float32 softmax rows [n/256, 256]', (n) => { const x = tf.rand([n / 256, 256], { seed: 1, ...f32 }).eval(); return () => x.softmax(1); }],
  ['float32 x.T.add(y), square', (n) => { const s = side(n), x = tf.rand([s, s], { seed: 1, ...f32 }).eval(), y = tf.rand([s, s], { seed: 2, ...f32 }).eval(); return () => x.T.add(y); }],
  ['float32 matmul, square (n = output elements)', (n) => { const s = side(n), a = tf.rand([s, s], { seed: 1, ...f32 }).eval(), b = tf.rand([s, s], { seed: 2, ...f32 }).eval(); return () => a.matmul(b); }],
  ['float32 cumsum', (n) => { const x = tf.rand([n], { seed: 1, ...f32 }).eval(); return () => x.cumsum(); }],
  ['float32 take by random int32', (n) => { const x = tf.rand([n], { seed: 1, ...f32 }).eval(), i = tf.rand([n], { seed: 2 }).mul(n).floor().cast('int32').eval(); return () => x.take(i); }],
  ['int32 scatter-add into 4096 bins', (n) => {
    const b = tf.rand([n], { seed: 3 }).mul(4096).floor().cast('int32').eval(), h = tf.zeros([4096], 'int32').eval();
    const done = { eval: () => ({ dispose: () => {} }) };
    return () => { h.at(b).assign(1, { op: 'add' }); return done; };
  }],
  ['k-means assignment, n/2 points of 2, k = 3', (n) => {
    const X = tf.randn([n / 2, 2], { seed: 1 }).eval(), C = tf.tensor([[0, 0], [5, 5], [-4, 6]]).eval();
    return () => X.unsqueeze(1).sub(C.unsqueeze(0)).square().sum(2).argmin(1);
  }],
  ['float32 argsort rows [n/256, 256]', (n) => { const x = tf.rand([n / 256, 256], { seed: 1, ...f32 }).eval(); return () => x.argsort(1); }],
];
const SIZES = [10, 12, 14, 16, 18, 20, 22].map((e) => 2 ** e);

const median = (v) => v.slice().sort((p, q) => p - q)[v.length >> 1];
/** µs per call of f with `threads`, whole and in C, over a batch of calls lasting ~2 ms. */
function time(f, threads, calls) {
  tf.configure({ threads });
  const c0 = tf.stats().runMs, t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) f().eval().dispose();
  const us = Number(process.hrtime.bigint() - t0) / calls / 1e3, c = (tf.stats().runMs - c0) * 1e3 / calls;
  tf.configure({ threads: undefined });
  return { us, c };
}

const fmt = (us) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toPrecision(3)} µs`);
console.log(`# ${build}: ${ALL} threads against 1, ${PAIRS} alternating pairs per row; load ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('| workload | elements | 1 thread | all | all / 1 | C call, 1 thread | all |\n|---|---:|---:|---:|---:|---:|---:|');
for (const [name, make] of WORKLOADS) {
  if (filter && !name.toLowerCase().includes(filter.toLowerCase())) continue;
  for (const n of SIZES) {
    const f = make(n);
    f().eval().dispose();
    const t0 = process.hrtime.bigint();
    f().eval().dispose();
    const calls = Math.max(1, Math.min(20000, Math.round(2e6 / Math.max(1, Number(process.hrtime.bigint() - t0)))));
    for (let w = 0; w < 2; w++) { time(f, 1, calls); time(f, ALL, calls); }
    const one = [], all = [], ratio = [];
    for (let p = 0; p < PAIRS; p++) {
      const a = p % 2 ? time(f, ALL, calls) : undefined;
      const o = time(f, 1, calls);
      const b = a ?? time(f, ALL, calls);
      one.push(o); all.push(b); ratio.push(b.us / o.us);
    }
    const r = median(ratio), m = (v, k) => fmt(median(v.map((t) => t[k])));
    console.log(`| ${name} | 2^${Math.log2(n)} | ${m(one, 'us')} | ${m(all, 'us')} | ${r.toFixed(2)}${r > 1.1 ? ' **slower**' : ''} | ${m(one, 'c')} | ${m(all, 'c')} |`);
  }
}
