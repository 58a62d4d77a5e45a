// Output buffers by size: `x.add(y).eval().dispose()` (the buffer goes back to the pool) and
// `x.add(y).eval()` left to the garbage collector, float32, µs per call over 2000-3000 calls after a
// warm-up of as many, and the C call alone (stats().runMs). One process per build: run two builds
// alternately to compare them.
// Usage: npm run build && node bench/pool.mjs "$PWD/dist/index.js" [sizes, e.g. 4096,65536]
const tf = await import(process.argv[2]);
const sizes = (process.argv[3] ?? '4096,16384,65536,262144').split(',').map(Number);
const per = (f, calls) => {
  const c0 = tf.stats().runMs, t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) f();
  return [Number(process.hrtime.bigint() - t0) / calls / 1e3, (tf.stats().runMs - c0) * 1e3 / calls];
};
for (const n of sizes) {
  const x = tf.rand([n], { seed: 1, dtype: 'float32' }).eval(), y = tf.rand([n], { seed: 2, dtype: 'float32' }).eval();
  per(() => x.add(y).eval().dispose(), 2000);
  const [d, dc] = per(() => x.add(y).eval().dispose(), 2000);
  let kept = 0;
  per(() => { kept += x.add(y).eval().size; }, 3000);
  const [g, gc] = per(() => { kept += x.add(y).eval().size; }, 3000);
  console.log(`${n} float32: disposed ${d.toFixed(1)} µs (C ${dc.toFixed(1)}), collected ${g.toFixed(1)} µs (C ${gc.toFixed(1)})`);
}
