// K1 A/B: cold compiles of new 10-op graphs, alternating two builds in one process, each with a fresh cache.
// Usage: node bench/ab-k1.mjs OLD/dist/index.js NEW/dist/index.js
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stepsFor } from './k1.mjs';
const { resolve } = await import('node:path');
const A = await import(resolve(process.argv[2])), B = await import(resolve(process.argv[3]));
for (const tf of [A, B]) tf.configure({ cacheDir: mkdtempSync(join(tmpdir(), 'k1ab-')) });
const mk = (tf) => { const xs = new Float32Array(1024), ys = new Float32Array(1024); for (let i = 0; i < 1024; i++) { xs[i] = (i % 17) / 17 - 0.4; ys[i] = (i % 13) / 13 - 0.6; } return [tf.tensor(xs), tf.tensor(ys)]; };
const io = [mk(A), mk(B)];
const cold = (tf, [x, y], k) => { const t0 = performance.now(); stepsFor(k).reduce((t, [op, a]) => t[op](a === 'x' ? x : y), x).eval(); return performance.now() - t0; };
const ra = [], rb = [], ratio = [];
for (let k = 3000; k < 3000 + 24; k++) { const a = cold(A, io[0], k), b = cold(B, io[1], k + 1000); ra.push(a); rb.push(b); ratio.push(b / a); }
const med = (v) => v.slice().sort((p, q) => p - q)[v.length >> 1];
console.log(`A ${med(ra).toFixed(1)} ms  B ${med(rb).toFixed(1)} ms  B/A ${med(ratio).toFixed(3)}`);
