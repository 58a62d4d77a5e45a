// Estimate π by throwing points into the unit square: the fraction inside the quarter circle is π/4.
// rand() is generated inside the fused kernel; nothing but the count is ever stored.
import { rand } from 'tensorfuse';

const n = 1 << 22;
for (const seed of [1, 2, 3]) {
  const x = rand([n], { seed, dtype: 'float32' });
  const y = rand([n], { seed: seed + 1000, dtype: 'float32' });
  const inside = x.square().add(y.square()).le(1).sum();   // bools sum exactly, to a float64 count
  const pi = (4 * inside.item()) / n;
  console.log(`seed ${seed}: π ≈ ${pi.toFixed(5)} (error ${Math.abs(pi - Math.PI).toExponential(2)})`);
}
