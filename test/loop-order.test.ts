/**
 * Issue 17 §1: kernels that read an input transposed walk the output in tiles, copying each tile of
 * the transposed input through an L1 buffer. The values must be the reference's, bit for bit, for every
 * shape (tails that are not multiples of the tile), every view that reads transposed (T, transpose of
 * 3-D, flipped, sliced, broadcast alongside), and in place (assign), on 1 and 2 threads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Tensor } from '../src/index.js';
import { arange, configure, evalAll, rand } from '../src/index.js';
import { explain } from '../src/explain.js';
import { sourceFor } from '../src/runtime/run.js';

afterEach(() => { configure({ threads: undefined }); });

function sameAsReference(make: () => Tensor, what: string): void {
  const expected = Array.from(make().eval({ backend: 'ts' }).data());
  for (const threads of [1, 2]) {
    configure({ threads });
    expect(Array.from(make().eval().data()), `${what}, ${threads} threads`).toEqual(expected);
  }
}

describe('transposed reads are tiled', () => {
  it('x.T.add(y) is one tiled kernel reading x through a tile buffer', () => {
    const x = rand([300, 200], { seed: 1, dtype: 'float32' }).eval(), y = rand([200, 300], { seed: 2, dtype: 'float32' }).eval();
    const src = sourceFor([x.T.add(y).node], true);
    expect(src).toMatch(/float tf_tile0\[32\]\[32\];/);
    // A flat elementwise chain is not tiled.
    expect(sourceFor([y.add(1).node], true)).not.toContain('tf_tile');
  });

  it('gives the reference values for every shape and kind of transposed view', () => {
    for (const [m, n] of [[1, 100], [33, 47], [64, 64], [100, 31], [257, 129]]) {
      const x = rand([m, n], { seed: m, dtype: 'float32' }).eval(), y = rand([n, m], { seed: n }).eval();
      sameAsReference(() => x.T.add(y).mul(x.T), `x.T·(x.T + y) [${m}, ${n}]`);
      sameAsReference(() => x.T.flip(0).sub(y.flip(1)), `flipped [${m}, ${n}]`);
    }
    const z = rand([3, 70, 50], { seed: 3 }).eval();
    sameAsReference(() => z.transpose([0, 2, 1]).mul(3).sub(1).add(z.sum(1, true).transpose([0, 2, 1])), 'batched transpose with a broadcast');
    sameAsReference(() => z.transpose([2, 1, 0]).mul(2), 'a full 3-D reversal');
    const w = rand([80, 90], { seed: 4 }).eval();
    sameAsReference(() => w.slice([10, 5], [70, 85], [2, 1]).T.add(1), 'a sliced, strided transpose');
    sameAsReference(() => w.T.add(w.T.max(0, true)), 'a transposed input and its reduction');
  });

  it('in place: x.assign(x.T.add(1)) reads x as it was (the hazard rule)', () => {
    for (const threads of [1, 2]) {
      configure({ threads });
      const x = arange(96 * 96).reshape([96, 96]).cast('float64').eval();
      const expected = Array.from(x.T.add(1).eval({ backend: 'ts' }).data());
      x.assign(x.T.add(1));
      expect(Array.from(x.data()), `${threads} threads`).toEqual(expected);
    }
  });
});

describe('the blocked matmul writes whole tiles straight into C', () => {
  it('agrees with the reference within the FMA bound over several K blocks, edge tiles and a fused epilogue, the same bits on 1 and 2 threads', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const eps = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
      for (const [m, k, n] of [[70, 600, 100], [64, 257, 64], [3, 513, 40]]) {
        const a = rand([m, k], { seed: m, dtype }).sub(0.5).eval(), b = rand([k, n], { seed: n, dtype }).sub(0.5).eval();
        const bias = rand([n], { seed: 7, dtype }).sub(0.5).eval();
        const ref = Array.from(a.matmul(b).eval({ backend: 'ts' }).data());
        const mag = Array.from(a.abs().matmul(b.abs()).eval({ backend: 'ts' }).data());
        const runs: number[][] = [];
        for (const threads of [1, 2]) {
          configure({ threads });
          const c = Array.from(a.matmul(b).eval().data());
          c.forEach((v, i) => expect(Math.abs(v - ref[i]), `${dtype} [${m}, ${k}] x [${k}, ${n}] at ${i}`).toBeLessThanOrEqual(2 * k * eps * mag[i]));
          const fused = Array.from(a.matmul(b).add(bias).relu().eval().data());
          fused.forEach((v, i) => expect(v, `epilogue at ${i}`).toBe(Math.max(dtype === 'float32' ? Math.fround(c[i] + bias.data()[i % n]) : c[i] + bias.data()[i % n], 0)));
          runs.push(c);
        }
        expect(runs[1]).toEqual(runs[0]);
      }
    }
  });
});

describe('row reductions and their broadcasts run row block by row block (issue 17 §2)', () => {
  const layerNorm = (x: Tensor) => x.sub(x.mean(-1, true)).div(x.variance(-1, true).add(1e-5).sqrt());
  it('layer norm, centring, a max-shifted ratio: the same bits as the kernels run one after another', () => {
    const shifted = (t: Tensor) => { const e = t.sub(t.max(1, true)).mul(0.5).add(3); return e.div(e.sum(1, true)); };
    for (const dtype of ['float32', 'float64'] as const) {
      const x = rand([300, 1000], { seed: 5, dtype }).mul(8).sub(4).eval();
      for (const [name, f] of [['layer norm', layerNorm], ['centring', (t: Tensor) => t.sub(t.mean(-1, true))], ['shifted ratio', shifted]] as const) {
        expect(f(x).explain(), name).toMatch(/^rows: .* run together/m);
        configure({ profile: true }); // per-kernel clocks: every kernel its own parallel loop, no row groups
        const apart = Array.from(f(x).eval().data());
        configure({ profile: undefined });
        for (const threads of [1, 2]) {
          configure({ threads });
          expect(Array.from(f(x).eval().data()), `${name} ${dtype}, ${threads} threads`).toEqual(apart);
        }
      }
    }
  });

  it('a row softmax is one group whose sum keeps exp for the division: libm once per element, as in hand-written C', () => {
    for (const [dtype, eps] of [['float32', 2 ** -24], ['float64', 2 ** -53]] as const) {
      const x = rand([120, 700], { seed: 5, dtype }).mul(16).sub(8).eval();
      expect(x.softmax(1).explain()).toMatch(/^rows: R0_120_1, R1_120_1, E2_120_700 run together .*kept: R1_120_1 stores exp\(\.\.\.\) in out0 as it folds it and E2_120_700 reads it back/m);
      const src = sourceFor([x.softmax(1).node], true);
      expect(src.match(/ = expf?\(/g), 'exp is computed once per element').toHaveLength(1);
      expect(src).toMatch(/out0\[\(700\*i0 \+ r1\)\] = x;/);
      const ref = x.softmax(1).eval({ backend: 'ts' }).data();
      const runs = [1, 2].map((threads) => { configure({ threads }); return Array.from(x.softmax(1).eval().data()); });
      expect(runs[1], `${dtype}: the same bits on 1 and 2 threads`).toEqual(runs[0]);
      // exp within a few ulps, the sum rounded once, the division once.
      runs[0].forEach((v, i) => expect(Math.abs(v - ref[i]), `${dtype} at ${i}`).toBeLessThanOrEqual(8 * eps * ref[i]));
    }
  });

  it('a libm value is not kept when a later kernel reads it at another index; that kernel runs apart', () => {
    const x = rand([200, 600], { seed: 7, dtype: 'float32' }).eval();
    const make = () => { const e = x.sub(x.max(1, true)).exp(); return e.div(e.sum(1, true)).add(e.flip(1)); };
    // The max and the sum of exp run together; the output, which computes exp again, runs apart.
    expect(make().explain()).toMatch(/^rows: R0_200_1, R1_200_1 run together/m);
    expect(make().explain()).not.toMatch(/kept:|^rows: .*E2_/m);
    const ref = make().eval({ backend: 'ts' }).data();
    Array.from(make().eval().data()).forEach((v, i) => expect(Math.abs(v - ref[i]), `at ${i}`).toBeLessThanOrEqual(8 * 2 ** -24 * Math.abs(ref[i])));
  });

  it('logSoftmax: its sum of exp, which no later kernel reads at its shape, runs in the group anyway', () => {
    const x = rand([120, 700], { seed: 8, dtype: 'float32' }).mul(16).sub(8).eval();
    expect(x.logSoftmax(1).explain()).toMatch(/^rows: R0_120_1, R1_120_1, E2_120_700 run together/m);
    expect(x.logSoftmax(1).explain()).not.toMatch(/kept:/);
    const ref = x.logSoftmax(1).eval({ backend: 'ts' }).data();
    const runs = [1, 2].map((threads) => { configure({ threads }); return Array.from(x.logSoftmax(1).eval().data()); });
    expect(runs[1]).toEqual(runs[0]);
    runs[0].forEach((v, i) => expect(Math.abs(v - ref[i]), `at ${i}`).toBeLessThanOrEqual(16 * 2 ** -24 * Math.max(1, Math.abs(ref[i]))));
  });

  it('a kernel that reads another row of what an earlier one wrote is not grouped with it', () => {
    const x = rand([200, 600], { seed: 6 }).eval();
    const make = () => x.sum(1, true).flip(0).add(x).sum(1, true).add(x.sum(1, true).flip(0));
    expect(make().explain()).not.toMatch(/^rows: R0_200_1, R1/m);
    sameAsReference(make, 'a flipped row sum');
    sameAsReference(() => x.sum(1, true).slice([1], [200]).add(x.slice([0], [199])).max(1), 'a shifted row sum');
  });
});

describe('flat loops over the same elements that reuse one another\'s data run block by block', () => {
  it('an adam step and two outputs of the same inputs: one group, the same bits as the kernels run apart', () => {
    // 70,001 elements: blocks of the group and threads' ranges end inside a vector, and past a block
    for (const [dtype, n] of [['float32', 70_001], ['float64', 40_003]] as const) {
      const x = rand([n], { seed: 1, dtype }).eval(), y = rand([n], { seed: 2, dtype }).sub(0.5).eval();
      const m = rand([n], { seed: 3, dtype }).mul(0.01).eval(), v = rand([n], { seed: 4, dtype }).mul(0.01).eval();
      // adam's update of (p, m, v): m and v written in place, p reading the new m and v
      const make = () => {
        const m1 = m.mul(0.9).add(y.mul(0.1)), v1 = v.mul(0.999).add(y.square().mul(0.001));
        return [x.sub(m1.mul(1e-3).div(v1.sqrt().add(1e-8))), m1, v1, x.mul(2).add(y)];
      };
      expect(explain(make().map((t) => t.node)), dtype).toMatch(/^rows: E\d_flat, E\d_flat, E\d_flat, E\d_flat run together as G0_\w+, \d+ elements at a time per thread: flat loops over the same elements/m);
      configure({ profile: true }); // per-kernel clocks: no groups
      const apart = evalAll(...make()).map((t) => Array.from(t.data()));
      configure({ profile: undefined });
      for (const threads of [1, 2]) {
        configure({ threads });
        expect(evalAll(...make()).map((t) => Array.from(t.data())), `${dtype}, ${threads} threads`).toEqual(apart);
      }
    }
  });

  it('flat loops that share no data are not grouped (a large fresh output keeps its streaming stores)', () => {
    const x = rand([5000], { seed: 1, dtype: 'float32' }).eval(), y = rand([5000], { seed: 2, dtype: 'float32' }).eval();
    expect(explain([x.mul(2).node, y.add(1).node])).not.toMatch(/^rows:/m);
    expect(explain([x.mul(2).node, x.add(1).node])).toMatch(/^rows: E0_flat, E1_flat run together/m);
  });
});

describe('row groups take only kernels whose outer loop walks the rows (review finding)', () => {
  it('a [1, N, 1] sum reshaped to [N, 1] by its epilogue is not grouped with a kernel over N rows', () => {
    const a = rand([64, 300], { seed: 8 }).eval();
    const make = () => {
      const e = a.reshape([1, 64, 300]).sum(2, true).reshape([64, 1]).add(1);
      return [e, a.sub(e)];
    };
    const [e, f] = make();
    // Before the fix the two kernels (e's sum with its add, then a - e) formed a group, and every row
    // of every block recomputed all 64 sums, threads writing them at once.
    expect(explain([e.node, f.node])).not.toMatch(/^rows:/m);
    const expected = [Array.from(e.eval({ backend: 'ts' }).data()), Array.from(f.eval({ backend: 'ts' }).data())];
    for (const threads of [1, 2]) {
      configure({ threads });
      const [e2, f2] = evalAll(...make());
      expect([Array.from(e2.data()), Array.from(f2.data())], `${threads} threads`).toEqual(expected);
    }
  });
});
