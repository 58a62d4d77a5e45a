// Where conv2d's time goes (issue 15, "direct or im2col + matmul, choose by measurement"): the im2col copy
// alone, the matmul of the weights by the realized im2col matrix alone, and the whole conv2d, interleaved
// in one process, medians of 15. Usage: node bench/conv-split.mjs [N, the batch: default 32]
import * as tf from '../dist/index.js';
import { fromView, viewOf } from '../dist/tensor.js';

const N = Number(process.argv[2] ?? 32), C = 64, O = 64, H = 56;
const x = tf.rand([N, C, H, H], { seed: 1, dtype: 'float32' }).eval(), w = tf.rand([O, C, 3, 3], { seed: 2, dtype: 'float32' }).sub(0.5).eval();
const xp = x.pad([[0, 0], [0, 0], [1, 1], [1, 1]]).eval();
const { base, view } = viewOf(xp.node);
const [sn, sc, sh, sw] = view.strides;
const im2col = () => fromView(base, { shape: [N, C, 3, 3, H, H], strides: [sn, sc, sh, sw, sh, sw], offset: 0 }, 'float32').reshape([N, 1, C * 9, H * H]);
const fused = () => { const p = x.pad([[0, 0], [0, 0], [1, 1], [1, 1]]); const v = viewOf(p.node); return fromView(v.base, { shape: [N, C, 3, 3, H, H], strides: [sn, sc, sh, sw, sh, sw], offset: 0 }, 'float32').reshape([N, 1, C * 9, H * H]); };
const cols = im2col().eval(), wm = w.reshape([1, O, C * 9]);
const cases = {
  'im2col copy [N,576,3136]': () => im2col().eval().dispose(),
  'im2col copy, the pad in the same loop': () => fused().eval().dispose(),
  'matmul w[64,576] × cols': () => wm.matmul(cols).eval().dispose(),
  "whole conv2d(x, w, { padding: 'same' })": () => tf.conv2d(x, w, { padding: 'same' }).eval().dispose(),
};
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < 3; i++) for (const f of Object.values(cases)) f();
for (let r = 0; r < 15; r++) for (const [k, f] of Object.entries(cases)) { const t = performance.now(); f(); times[k].push(performance.now() - t); }
const med = (v) => v.slice().sort((a, b) => a - b)[v.length >> 1];
const flops = 2 * N * O * C * 9 * H * H;
for (const [k, v] of Object.entries(times)) console.log(`${k.padEnd(42)} ${med(v).toFixed(2).padStart(8)} ms${k.startsWith('im2col') ? '' : `  ${(flops / med(v) / 1e6).toFixed(1)} GFLOP/s`}`);
