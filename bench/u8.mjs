// The small integer dtypes against hand-written C, in alternating pairs in one process (this VM's
// bandwidth drifts within a minute, so only pairs taken together compare). Three uint8 workloads of an
// image of 2^24 pixels:
//   contrast   img.cast('float32').mul(1.25).add(-20).clip(0, 255).cast('uint8'): a float pass, saturated back
//   wrap add   a.add(b) of two uint8 images: integer arithmetic that wraps modulo 256
//   sum        img.sum(): an exact sum in 64 bits (the hand C accumulates in uint64_t too)
// The hand C is what a careful C programmer writes for each, compiled with tensorfuse's flags (-O3
// -march=native -fno-math-errno -ffp-contract=off -fopenmp) and called through koffi on the same arrays,
// with the same thread count. Prints each side's median and the median of the per-pair ratios.
//
// Usage: npm run build && node bench/u8.mjs [pairs]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import koffi from 'koffi';
import * as tf from '../dist/index.js';

const PAIRS = Number(process.argv[2] ?? 15);
const N = 1 << 24;

const SOURCE = String.raw`
#include <stdint.h>
#include <omp.h>
void u8_threads(int n) { omp_set_num_threads(n); }
/* contrast: saturate as tensorfuse's float -> uint8 cast does (NaN cannot occur here) */
void u8_contrast(const uint8_t *restrict x, uint8_t *restrict out, int64_t n) {
  #pragma omp parallel for simd
  for (int64_t i = 0; i < n; i++) {
    float v = (float)x[i] * 1.25f - 20.0f;
    v = v < 0.0f ? 0.0f : v > 255.0f ? 255.0f : v;
    out[i] = (uint8_t)v;
  }
}
void u8_add(const uint8_t *restrict a, const uint8_t *restrict b, uint8_t *restrict out, int64_t n) {
  #pragma omp parallel for simd
  for (int64_t i = 0; i < n; i++) out[i] = (uint8_t)(a[i] + b[i]);
}
double u8_sum(const uint8_t *restrict x, int64_t n) {
  uint64_t acc = 0;
  #pragma omp parallel for simd reduction(+:acc)
  for (int64_t i = 0; i < n; i++) acc += x[i];
  return (double)acc;
}
`;

function loadHandC() {
  const dir = mkdtempSync(join(tmpdir(), 'tf-u8-'));
  writeFileSync(join(dir, 'u8.c'), SOURCE);
  execFileSync('cc', ['-O3', '-march=native', '-fno-math-errno', '-ffp-contract=off', '-fopenmp', '-shared', '-fPIC', '-Wl,-z,nodelete', '-o', join(dir, 'u8.so'), join(dir, 'u8.c')]);
  const lib = koffi.load(join(dir, 'u8.so'));
  rmSync(dir, { recursive: true });
  return {
    threads: lib.func('void u8_threads(int)'),
    contrast: lib.func('void u8_contrast(const uint8_t *x, uint8_t *out, int64_t n)'),
    add: lib.func('void u8_add(const uint8_t *a, const uint8_t *b, uint8_t *out, int64_t n)'),
    sum: lib.func('double u8_sum(const uint8_t *x, int64_t n)'),
  };
}

const c = loadHandC();
c.threads(tf.config().threads || 2);
const img = tf.randint(0, 256, [N], { dtype: 'uint8', seed: 1 }).eval();
const img2 = tf.randint(0, 256, [N], { dtype: 'uint8', seed: 2 }).eval();
const x = img.data(), y = img2.data(), out = new Uint8Array(N);

const WORKLOADS = [
  ['contrast (float pass, saturated to uint8)', () => img.cast('float32').mul(1.25).add(-20).clip(0, 255).cast('uint8'), () => c.contrast(x, out, N)],
  ['wrap add of two uint8 images', () => img.add(img2), () => c.add(x, y, out, N)],
  ['sum of a uint8 image (exact, 64-bit)', () => img.sum(), () => c.sum(x, N)],
];

// The answers agree before anything is timed.
for (const [name, ours, hand] of WORKLOADS) {
  const r = ours().eval();
  const h = hand();
  const mine = r.data();
  const same = r.size === 1 ? mine[0] === h : mine.every((v, i) => v === out[i]);
  r.dispose();
  if (!same) throw new Error(`${name}: tensorfuse and the hand C disagree`);
}

const ms = (f) => { const t0 = process.hrtime.bigint(); f(); return Number(process.hrtime.bigint() - t0) / 1e6; };
const median = (v) => v.slice().sort((p, q) => p - q)[v.length >> 1];
console.log(`${N} uint8 elements, ${tf.config().threads || 2} threads, ${PAIRS} alternating pairs (medians)`);
for (const [name, ours, hand] of WORKLOADS) {
  const run = () => ours().eval().dispose();
  for (let i = 0; i < 3; i++) { run(); hand(); }
  const a = [], b = [], ratio = [];
  for (let i = 0; i < PAIRS; i++) { const t = ms(run), h = ms(hand); a.push(t); b.push(h); ratio.push(t / h); }
  console.log(`${name.padEnd(44)} tensorfuse ${median(a).toFixed(2).padStart(7)} ms  hand C ${median(b).toFixed(2).padStart(7)} ms  ratio ${median(ratio).toFixed(2)}`);
}
