// A/B of relu(conv2d(x, w, { bias })) between two builds in one process (alternating pairs), and whether their outputs are bit-identical.
// Usage: node bench/ab-conv.mjs OLD/dist/index.js NEW/dist/index.js [N, the batch: default 2]
const { resolve } = await import('node:path');
const A = await import(resolve(process.argv[2])), B = await import(resolve(process.argv[3]));
const N = Number(process.argv[4] ?? 2);
const run = (tf) => { const x = tf.rand([N, 64, 56, 56], {seed:1, dtype:'float32'}).eval(), w = tf.rand([64, 64, 3, 3], {seed:2, dtype:'float32'}).eval(), b = tf.rand([64], {seed:3, dtype:'float32'}).eval();
  const f = () => tf.conv2d(x, w, { bias: b, padding: 1 }).relu();
  const y = f().eval().data(); return { y, f }; };
const a = run(A), b = run(B);
let same = a.y.length === b.y.length; for (let i = 0; i < a.y.length && same; i++) if (!Object.is(a.y[i], b.y[i])) same = false;
console.log('bit-identical to the old build:', same);
const time = (f) => { const t = performance.now(); f().eval().dispose(); return performance.now() - t; };
for (let i = 0; i < 3; i++) { time(a.f); time(b.f); }
const ra = [], rb = [], q = []; for (let i = 0; i < 15; i++) { const x = time(a.f), y = time(b.f); ra.push(x); rb.push(y); q.push(y / x); }
const med = (v) => v.slice().sort((p, r) => p - r)[v.length >> 1];
console.log(`relu(conv2d(x[${N},64,56,56], w[64,64,3,3], bias)): old ${med(ra).toFixed(2)} ms, new ${med(rb).toFixed(2)} ms, B/A ${med(q).toFixed(3)}`);
