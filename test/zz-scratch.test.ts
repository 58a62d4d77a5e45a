import { it } from 'vitest';
import { tensor, stats, Tensor } from '../src/index.js';
import { sourceFor } from '../src/runtime/run.js';
it('e2', () => {
  const x = tensor(new Float32Array([1, -2, 3, NaN, -0]));
  const y = tensor(new Float32Array([0.5, 2, -7, 1, 0]));
  const t = x.mul(2).add(y).relu().mul(x.sub(y)).add(1);
  console.log(sourceFor([t.node], true));
  let t0 = performance.now();
  const r = new Tensor(t.node).eval();
  console.log(performance.now() - t0, stats(), r.data());
  t0 = performance.now();
  const u = new Tensor(t.node).eval({ fuse: false });
  console.log(performance.now() - t0, stats(), u.data());
  console.log(new Tensor(t.node).eval({ backend: 'ts' }).data());
});
