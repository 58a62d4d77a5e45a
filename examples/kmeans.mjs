// k-means on three Gaussian blobs: assignment is an argmin over distances, the centroid update a
// scatter-add of each point into its cluster's row (numpy's np.add.at) divided by bincount's counts.
import { tensor, randn, zeros, bincount, stack } from 'tensorfuse';

const k = 3, per = 500;
const centres = [[0, 0], [5, 5], [-4, 6]];
const X = stack(centres.map((c, i) => randn([per, 2], { seed: 10 + i }).mul(0.6).add(tensor(c)))).reshape([k * per, 2]).eval();

let C = X.at([0, per, 2 * per]).eval();                 // one starting point from each blob's block
let assign;
for (let it = 0; it < 10; it++) {
  // [n, 1, 2] - [1, k, 2] → squared distances [n, k] → the nearest centroid per point (int32)
  assign = X.unsqueeze(1).sub(C.unsqueeze(0)).square().sum(2).argmin(1).eval();
  const sums = zeros([k, 2]);
  sums.at(assign).assign(X, { op: 'add' });             // sums[assign[i]] += X[i], duplicates counted
  const counts = bincount(assign, { minlength: k });
  C = sums.div(counts.unsqueeze(1)).eval();
}
const found = C.toArray().map((c) => c.map((v) => v.toFixed(1)).join(', '));
console.log('centroids:', found.map((c) => `(${c})`).join(' '));
console.log('cluster sizes:', bincount(assign, { minlength: k }).toArray().join(' '));
// The same update by a JS loop, as a check.
const xs = X.data(), a = assign.data(), js = Array.from({ length: k }, () => [0, 0, 0]);
for (let i = 0; i < a.length; i++) { js[a[i]][0] += xs[2 * i]; js[a[i]][1] += xs[2 * i + 1]; js[a[i]][2]++; }
const sums = zeros([k, 2]);
sums.at(assign).assign(X, { op: 'add' });
const again = sums.div(bincount(assign, { minlength: k }).unsqueeze(1)).toArray();
console.log('update matches a JS loop:', again.every((c, j) => Math.abs(c[0] - js[j][0] / js[j][2]) < 1e-12 && Math.abs(c[1] - js[j][1] / js[j][2]) < 1e-12));
