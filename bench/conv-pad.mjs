// Padding's cost in conv2d: 'same' padding of x against a pre-padded x with 'valid', interleaved, medians of 15.
// Usage: node bench/conv-pad.mjs
import * as tf from '../dist/index.js';
const x = tf.rand([32, 64, 56, 56], { seed: 1, dtype: 'float32' }).eval(), w = tf.rand([64, 64, 3, 3], { seed: 2, dtype: 'float32' }).eval();
const xp = x.pad([[0,0],[0,0],[1,1],[1,1]]).eval();
const f = { same: () => tf.conv2d(x, w, { padding: 'same' }).eval().dispose(), prepadded: () => tf.conv2d(xp, w).eval().dispose() };
const t = { same: [], prepadded: [] };
for (let i = 0; i < 3; i++) for (const g of Object.values(f)) g();
for (let r = 0; r < 15; r++) for (const [k, g] of Object.entries(f)) { const s = performance.now(); g(); t[k].push(performance.now() - s); }
const med = (v) => v.sort((a, b) => a - b)[7];
console.log('same', med(t.same).toFixed(2), 'prepadded', med(t.prepadded).toFixed(2));
