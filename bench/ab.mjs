// A/B of two tensorfuse builds in one process, calls alternating A, B, A, B... (this VM's bandwidth
// drifts within a minute, so only pairs taken together compare). Prints each build's median and the
// median of the per-pair ratios B/A. The small-call rows (µs) favour the build loaded first by 10-20%
// here: run them in both orders (2026-12-02: B/A 1.10 one way, 1.27 the other, for the same builds).
// Rows that allocate per call (the changing-number S1 rows: a node per op) share one garbage collector
// between the builds and can hide a change: compare those with bench/s1-changing.mjs, one process per build.
//
// Usage: node bench/ab.mjs OLD/dist/index.js NEW/dist/index.js [filter] [--threads N]
//   e.g. git worktree add --detach /tmp/old <commit> && ln -s $PWD/node_modules /tmp/old/ && (cd /tmp/old && npx tsc)
//        node bench/ab.mjs /tmp/old/dist/index.js dist/index.js sum
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const threadsAt = args.indexOf('--threads');
const threads = threadsAt >= 0 ? Number(args.splice(threadsAt, 2)[1]) : undefined;
const [oldPath, newPath, filter] = args;
if (!oldPath || !newPath) {
  process.stderr.write('usage: node bench/ab.mjs OLD/dist/index.js NEW/dist/index.js [filter] [--threads N]\n');
  process.exit(2);
}
const A = await import(pathToFileURL(resolve(oldPath)).href);
const B = await import(pathToFileURL(resolve(newPath)).href);
if (threads) for (const tf of [A, B]) tf.configure({ threads });

const N = 1 << 24;
/** name → (tf) → the timed call. Each call's result is disposed, so the pool recycles outputs. */
const WORKLOADS = [
  ['E2 float32 x.mul(2).add(y).relu().mul(x.sub(y)).add(1), 2^24', (tf) => { const x = tf.rand([N], { seed: 1, dtype: 'float32' }).eval(), y = tf.rand([N], { seed: 2, dtype: 'float32' }).eval(); return () => x.mul(2).add(y).relu().mul(x.sub(y)).add(1); }],
  ['float32 clip(-0.5, 0.5), 2^24', (tf) => { const x = tf.randn([N], { seed: 1, dtype: 'float32' }).eval(); return () => x.clip(-0.5, 0.5); }],
  ['uint8 contrast cast/mul/add/clip/cast, 2^24', (tf) => { const x = tf.randint(0, 256, [N], { seed: 1, dtype: 'uint8' }).eval(); return () => x.cast('float32').mul(1.25).add(-20).clip(0, 255).cast('uint8'); }],
  ['uint8 sum, 2^24', (tf) => { const x = tf.randint(0, 256, [N], { seed: 1, dtype: 'uint8' }).eval(); return () => x.sum(); }],
  ['int32 row sum, 4096^2', (tf) => { const x = tf.randint(0, 1000, [4096, 4096], { seed: 1 }).eval(); return () => x.sum(1); }],
  ['R1 float32 sum((x - y)^2), 2^24', (tf) => { const x = tf.rand([N], { seed: 1, dtype: 'float32' }).eval(), y = tf.rand([N], { seed: 2, dtype: 'float32' }).eval(); return () => x.sub(y).square().sum(); }],
  ['float64 full sum, 2^24', (tf) => { const x = tf.rand([N], { seed: 1 }).eval(); return () => x.sum(); }],
  ['float32 row sum, 4096^2', (tf) => { const x = tf.rand([4096, 4096], { seed: 1, dtype: 'float32' }).eval(); return () => x.sum(1); }],
  ['float64 row sum, 4096^2', (tf) => { const x = tf.rand([4096, 4096], { seed: 1 }).eval(); return () => x.sum(1); }],
  ['float32 column sum, 4096^2', (tf) => { const x = tf.rand([4096, 4096], { seed: 1, dtype: 'float32' }).eval(); return () => x.sum(0); }],
  ['float64 column sum, 4096^2', (tf) => { const x = tf.rand([4096, 4096], { seed: 1 }).eval(); return () => x.sum(0); }],
  ['float64 column sum, [100000, 5]', (tf) => { const x = tf.rand([100000, 5], { seed: 1 }).eval(); return () => x.sum(0); }],
  ['float32 row max, 4096^2', (tf) => { const x = tf.rand([4096, 4096], { seed: 1, dtype: 'float32' }).eval(); return () => x.max(1); }],
  ['float32 row sum in cache, 64 x 4096', (tf) => { const x = tf.rand([64, 4096], { seed: 1, dtype: 'float32' }).eval(); return () => x.sum(1); }],
  ['float64 row sum in cache, 64 x 4096', (tf) => { const x = tf.rand([64, 4096], { seed: 1 }).eval(); return () => x.sum(1); }],
  ['float32 row softmax, 2048 x 8192', (tf) => { const x = tf.rand([2048, 8192], { seed: 1, dtype: 'float32' }).eval(); return () => x.softmax(1); }],
  ['float32 layer norm, 2048 x 8192', (tf) => { const x = tf.rand([2048, 8192], { seed: 1, dtype: 'float32' }).eval(); return () => x.sub(x.mean(-1, true)).div(x.variance(-1, true).add(1e-5).sqrt()); }],
  ['T1 float32 x.T.mul(2).add(y), 2048 x 8192', (tf) => { const x = tf.rand([8192, 2048], { seed: 1, dtype: 'float32' }).eval(), y = tf.rand([2048, 8192], { seed: 2, dtype: 'float32' }).eval(); return () => x.T.mul(2).add(y); }],
  ['M1 float32 matmul, 1024^2', (tf) => { const a = tf.rand([1024, 1024], { seed: 1, dtype: 'float32' }).eval(), b = tf.rand([1024, 1024], { seed: 2, dtype: 'float32' }).eval(); return () => a.matmul(b); }],
  ['float64 matmul, 1024^2', (tf) => { const a = tf.rand([1024, 1024], { seed: 1 }).eval(), b = tf.rand([1024, 1024], { seed: 2 }).eval(); return () => a.matmul(b); }],
  ['G1 float32 take by a random int32 index, 2^24', (tf) => { const x = tf.rand([N], { seed: 1, dtype: 'float32' }).eval(), i = tf.rand([N], { seed: 2 }).mul(N).floor().cast('int32').eval(); return () => x.take(i); }],
  ['G2 histogram of 2^24 int32 into 4096 bins', (tf) => {
    const b = tf.rand([N], { seed: 3 }).mul(4096).floor().cast('int32').eval(), h = tf.zeros([4096], 'int32').eval();
    const done = { eval: () => ({ dispose: () => {} }) }; // the write is the work; nothing to evaluate after it
    return () => { h.at(b).assign(1, { op: 'add' }); return done; };
  }],
  ['batched float32 matmul, [64, 64, 64]^2', (tf) => { const a = tf.rand([64, 64, 64], { seed: 1, dtype: 'float32' }).eval(), b = tf.rand([64, 64, 64], { seed: 2, dtype: 'float32' }).eval(); return () => a.matmul(b); }],
];

/** Small calls, timed in batches of CALLS (µs per call): the E2 chain on 16 elements, S1 of the suite. */
const CALLS = 2000;
const e2 = (x, y, k) => x.mul(k).add(y).relu().mul(x.sub(y)).add(1);
const pair16 = (tf) => [tf.rand([16], { seed: 1, dtype: 'float32' }).eval(), tf.rand([16], { seed: 2, dtype: 'float32' }).eval()];
/** A number that changes at every call, never an integer, back after 1024 calls. */
const changing = () => { let c = 0; return () => 2 + ((c++ % 1024) + 0.5) / 1024; };
const SMALL = [
  ['S1 eval(), fixed number', (tf) => { const [x, y] = pair16(tf); return () => e2(x, y, 2).eval().dispose(); }],
  ['S1 jit, fixed number', (tf) => { const [x, y] = pair16(tf); const f = tf.jit((a, b) => e2(a, b, 2)); return () => f(x, y).dispose(); }],
  ['S1 eval(), a new number every call', (tf) => { const [x, y] = pair16(tf); const k = changing(); return () => e2(x, y, k()).eval().dispose(); }],
  ['S1 jit, a new number argument every call', (tf) => { const [x, y] = pair16(tf); const f = tf.jit((a, b, k) => e2(a, b, k)); const k = changing(); return () => f(x, y, k()).dispose(); }],
  ['x.mul(i).add(1).eval(), fixed i', (tf) => { const [x] = pair16(tf); return () => x.mul(3).add(1).eval().dispose(); }],
  ['x.mul(i).add(1).eval(), a new i every call', (tf) => { const [x] = pair16(tf); const k = changing(); return () => x.mul(k()).add(1).eval().dispose(); }],
];

const median = (v) => v.slice().sort((p, q) => p - q)[v.length >> 1];
const once = (f) => { const t0 = process.hrtime.bigint(); f().eval().dispose(); return Number(process.hrtime.bigint() - t0) / 1e6; };
const batch = (f) => { const t0 = process.hrtime.bigint(); for (let i = 0; i < CALLS; i++) f(); return Number(process.hrtime.bigint() - t0) / CALLS / 1e3; };

/** Each workload of `list`: 3 warm-up pairs, then `pairs` pairs timed by `time`, reported in `unit`. */
function compare(list, time, pairs, unit, digits) {
  for (const [name, make] of list) {
    if (filter && !name.toLowerCase().includes(filter.toLowerCase())) continue;
    const fa = make(A), fb = make(B);
    for (let i = 0; i < 3; i++) { time(fa); time(fb); }
    const ta = [], tb = [], ratio = [];
    for (let i = 0; i < pairs; i++) { const a = time(fa), b = time(fb); ta.push(a); tb.push(b); ratio.push(b / a); }
    console.log(`${name.padEnd(44)} A ${median(ta).toFixed(digits).padStart(8)} ${unit}  B ${median(tb).toFixed(digits).padStart(8)} ${unit}  B/A ${median(ratio).toFixed(3)}`);
  }
}
compare(WORKLOADS, once, 15, 'ms', 3);
compare(SMALL, batch, 11, 'µs', 2);
