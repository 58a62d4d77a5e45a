// 1 thread against 2 in loops with much JS between the kernels (issue 17 §6), where the second core is
// often busy with V8's own threads: the k-means assignment on `n` points, or a scatter-add of `n`
// int32 positions into 4096 bins. 15 alternating pairs of 300 calls (200 for the scatter); prints
// p10/p50/p90 of the whole call and of the C call alone (stats().runMs), in µs. Run it in several
// processes: the spread between them is the point.
// Usage: node bench/threads-jsloop.mjs BUILD/dist/index.js kmeans|scatter [n]
const [build, kind = 'kmeans', nArg] = process.argv.slice(2);
const tf = await import(build);
const n = Number(nArg ?? (kind === 'kmeans' ? 8192 : 65536));
let f;
if (kind === 'kmeans') {
  const X = tf.randn([n, 2], { seed: 1 }).eval(), C = tf.tensor([[0, 0], [5, 5], [-4, 6]]).eval();
  f = () => X.unsqueeze(1).sub(C.unsqueeze(0)).square().sum(2).argmin(1).eval().dispose();
} else {
  const b = tf.rand([n], { seed: 3 }).mul(4096).floor().cast('int32').eval(), h = tf.zeros([4096], 'int32').eval();
  f = () => h.at(b).assign(1, { op: 'add' });
}
const calls = kind === 'kmeans' ? 300 : 200;
for (let i = 0; i < 500; i++) f();
const r = { 1: [], 2: [] }, c = { 1: [], 2: [] };
for (let p = 0; p < 15; p++) {
  for (const th of [1, 2]) {
    tf.configure({ threads: th });
    const c0 = tf.stats().runMs, s = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) f();
    r[th].push(Number(process.hrtime.bigint() - s) / calls / 1e3);
    c[th].push((tf.stats().runMs - c0) * 1e3 / calls);
  }
}
const q = (v) => { const s = v.slice().sort((a, b) => a - b); return `${s[1].toFixed(1)}/${s[7].toFixed(1)}/${s[13].toFixed(1)}`; };
console.log(`${kind} n=${n}: call p10/p50/p90 1 thread ${q(r[1])}, 2 threads ${q(r[2])}; C call 1 thread ${q(c[1])}, 2 threads ${q(c[2])}`);
