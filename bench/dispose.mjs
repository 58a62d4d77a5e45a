// dispose() cost: 2000 results of the 16-element E2 chain disposed in a loop, ns per call, median of 30 batches.
// Usage: npm run build && node bench/dispose.mjs "$PWD/dist/index.js" (run two builds alternately to compare them)
const tf = await import(process.argv[2]);
const x = tf.rand([16], { seed: 1, dtype: 'float32' }).eval(), y = tf.rand([16], { seed: 2, dtype: 'float32' }).eval();
const e2 = () => x.mul(2).add(y).relu().mul(x.sub(y)).add(1);
const med = [];
for (let r = 0; r < 30; r++) {
  const rs = []; for (let i = 0; i < 2000; i++) rs.push(e2().eval());
  const t0 = process.hrtime.bigint(); for (const t of rs) t.dispose(); med.push(Number(process.hrtime.bigint() - t0) / 2000);
}
med.sort((a, b) => a - b); console.log(process.argv[2], 'dispose', med[15].toFixed(0), 'ns');
