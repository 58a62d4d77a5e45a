// Quick E2 measurement (issue 3 acceptance): fused C vs unfused C vs a plain JS loop per op.
// Usage: npm run build && node bench/e2-quick.mjs [runs]
import { rand, stats } from '../dist/index.js';

const N = 1 << 24;
const runs = Number(process.argv[2] ?? 15);
const x = rand([N], { seed: 1, dtype: 'float32' }).eval();
const y = rand([N], { seed: 2, dtype: 'float32' }).eval();
const e2 = () => x.mul(2).add(y).relu().mul(x.sub(y)).add(1);

function jsPerOp(xs, ys) {
  const n = xs.length;
  const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = xs[i] * 2;
  const b = new Float32Array(n); for (let i = 0; i < n; i++) b[i] = a[i] + ys[i];
  const c = new Float32Array(n); for (let i = 0; i < n; i++) c[i] = b[i] >= 0 || b[i] !== b[i] ? b[i] : 0;
  const d = new Float32Array(n); for (let i = 0; i < n; i++) d[i] = xs[i] - ys[i];
  const e = new Float32Array(n); for (let i = 0; i < n; i++) e[i] = c[i] * d[i];
  const f = new Float32Array(n); for (let i = 0; i < n; i++) f[i] = e[i] + 1;
  return f;
}

const median = (a) => { const s = [...a].sort((p, q) => p - q); return s[s.length >> 1]; };
function time(fn) {
  fn(); fn(); // warm-up (compile, JIT)
  const t = [];
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); fn(); t.push(performance.now() - t0); }
  return median(t);
}

const fused = time(() => e2().eval());
const unfused = time(() => e2().eval({ fuse: false }));
const js = time(() => jsPerOp(x.data(), y.data()));
const kernels = (e2().toC().match(/^static void E/gm) ?? []).length;
console.log(JSON.stringify({ N, runs, kernelsInFusedC: kernels, fusedMs: +fused.toFixed(2), unfusedMs: +unfused.toFixed(2), jsPerOpMs: +js.toFixed(2),
  fusedVsUnfused: +(unfused / fused).toFixed(2), fusedVsJs: +(js / fused).toFixed(2), compiles: stats().compiles }, null, 1));
