/**
 * Optimizers and jit(valueAndGrad(f)) (issue 16). Expected parameter values come from the update
 * formulas written out on plain arrays here (torch.optim's definitions), not from tensorfuse.
 */
import { describe, expect, it } from 'vitest';
import { Tensor, TensorError, grad, jit, optim, randn, stats, tensor, valueAndGrad } from '../src/index.js';

const close = (a: ArrayLike<number>, b: readonly number[], rel = 1e-13): boolean =>
  a.length === b.length && b.every((v, i) => Math.abs(a[i] - v) <= rel * Math.max(1, Math.abs(v)));

describe('optim.sgd', () => {
  it('p ← p − lr·g; with momentum v ← μv + g, p ← p − lr·v', () => {
    const p = tensor([1, -2]), q = tensor([1, -2]);
    const plain = optim.sgd([p], { lr: 0.1 });
    const heavy = optim.sgd([q], { lr: 0.1, momentum: 0.9 });
    const g1 = [0.5, 1], g2 = [-1, 2];
    for (const g of [g1, g2]) {
      plain.step([tensor(g)]);
      heavy.step([tensor(g)]);
    }
    expect(close(p.data(), [1 - 0.1 * (0.5 - 1), -2 - 0.1 * (1 + 2)])).toBe(true);
    const v2 = [0.9 * 0.5 - 1, 0.9 * 1 + 2];
    expect(close(q.data(), [1 - 0.1 * 0.5 - 0.1 * v2[0], -2 - 0.1 * 1 - 0.1 * v2[1]])).toBe(true);
    expect(heavy.steps).toBe(2);
  });

  it('writes into each parameter\'s own buffer, and a new learning rate compiles nothing', () => {
    const p = tensor(new Float32Array([1, 2, 3]));
    const storage = p.data();
    const opt = optim.sgd([p], { lr: 0.5 });
    opt.step([tensor(new Float32Array([1, 1, 1]))]);
    const compiles = stats().compiles;
    opt.lr = 0.25;
    opt.step([tensor(new Float32Array([2, 2, 2]))]);
    expect(stats().compiles).toBe(compiles);
    expect(p.data()).toBe(storage);
    expect(Array.from(storage)).toEqual([0, 1, 2]);
  });
});

describe('optim.adam', () => {
  /** torch.optim.Adam on plain arrays (weight decay as L2 added to the gradient). */
  function reference(p: number[], grads: number[][], lr: number, [b1, b2]: [number, number], eps: number, wd: number): number[] {
    const m = p.map(() => 0), v = p.map(() => 0);
    grads.forEach((g0, s) => {
      const t = s + 1;
      p = p.map((x, i) => {
        const g = g0[i] + wd * x;
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        const mh = m[i] / (1 - b1 ** t), vh = v[i] / (1 - b2 ** t);
        return x - (lr * mh) / (Math.sqrt(vh) + eps);
      });
    });
    return p;
  }

  it('matches the update written out, with weight decay, over three steps and two parameters', () => {
    const [a0, b0] = [[0.5, -1, 2], [[3]]];
    const grads = [[[0.1, -0.2, 0.3], [[1]]], [[-0.4, 0.5, 0.6], [[-2]]], [[0.7, 0.8, -0.9], [[0.5]]]] as const;
    const a = tensor(a0), b = tensor(b0);
    const opt = optim.adam([a, b], { lr: 0.01, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.1 });
    for (const [ga, gb] of grads) opt.step([tensor(ga.slice()), tensor(gb.map((r) => r.slice()))]);
    expect(close(a.data(), reference(a0, grads.map((g) => g[0].slice()), 0.01, [0.8, 0.99], 1e-6, 0.1))).toBe(true);
    expect(close(b.data(), reference([3], grads.map((g) => [g[1][0][0]]), 0.01, [0.8, 0.99], 1e-6, 0.1))).toBe(true);
  });

  it('one compile for every step, whatever the learning rate; what `also` lists is computed before the update', () => {
    const w = tensor([[0.5], [-0.5]]);
    const X = tensor([[1, 2], [3, -1], [0.5, 0.25]]), Y = tensor([[1], [0], [2]]);
    const loss = (w: Tensor) => X.matmul(w).sub(Y).square().mean();
    const opt = optim.adam([w], { lr: 0.1 });
    let compiles = 0;
    for (let i = 0; i < 4; i++) {
      const before = Array.from(w.data());
      const [l, g] = valueAndGrad(loss)(w);
      opt.lr = 0.1 / (i + 1);
      const c0 = stats().compiles;
      opt.step([g], [l]);
      if (i > 0) compiles += stats().compiles - c0;
      const r = [[1, 2], [3, -1], [0.5, 0.25]].map((x, k) => x[0] * before[0] + x[1] * before[1] - [1, 0, 2][k]);
      expect(l.isRealized).toBe(true);
      expect(Math.abs(l.item() - r.reduce((s, e) => s + e * e, 0) / 3)).toBeLessThan(1e-14);
    }
    expect(compiles).toBe(0);
  });

  it('errors name the optimizer and what was wrong', () => {
    const p = tensor([1, 2]);
    expect(() => optim.adam([p], { lr: 0.1, betas: [1, 0.9] })).toThrow(/adam: betas must be two numbers \[β1, β2\] in \[0, 1\)/);
    expect(() => optim.sgd([tensor([1], { dtype: 'int32' })], { lr: 0.1 })).toThrow(/sgd: params\[0\] has dtype int32; only float32 and float64 parameters can be trained/);
    const opt = optim.sgd([p], { lr: 0.1 });
    expect(() => opt.step([])).toThrow(/sgd.step: expected 1 gradients/);
    expect(() => opt.step([tensor([1, 2, 3])])).toThrow(/sgd.step: grads\[0\] has shape \[3\], but its parameter has shape \[2\]/);
    expect(() => { opt.lr = NaN; }).toThrow(TensorError);
  });
});

describe('jit(valueAndGrad(f))', () => {
  it('traces once, then runs value and gradients with no graph building and no compile', () => {
    const f = (w: Tensor, x: Tensor, k: number) => x.matmul(w).tanh().mul(k).sum();
    const step = jit(valueAndGrad(f, { argnums: [0, 1] }));
    const w = randn([3, 2], { seed: 1 }).eval(), x = randn([4, 3], { seed: 2 }).eval();
    const [v1, [gw1, gx1]] = step(w, x, 2.5);
    const [v0, [gw0, gx0]] = valueAndGrad(f, { argnums: [0, 1] })(w, x, 2.5);
    expect(v1.item()).toBeCloseTo(v0.item(), 12);
    expect(close(gw1.data(), Array.from(gw0.data()))).toBe(true);
    expect(close(gx1.data(), Array.from(gx0.data()))).toBe(true);
    const [traces, compiles] = [stats().traces, stats().compiles];
    const w2 = randn([3, 2], { seed: 3 }).eval();
    const [v2, [gw2]] = step(w2, x, 0.5) as [Tensor, Tensor[]];
    expect([stats().traces, stats().compiles]).toEqual([traces, compiles]);
    expect(close(gw2.data(), Array.from((grad((w: Tensor) => f(w, x, 0.5))(w2) as Tensor).data()))).toBe(true);
    expect(v2.item()).toBeCloseTo(f(w2, x, 0.5).item(), 12);
  });

  it('a number argument is a constant inside jit too (jit passes it as a 0-d tensor): the default differentiates the tensors only', () => {
    const g = jit(grad((w: Tensor, k: number) => w.mul(k).sum()));
    const out = g(tensor([1, 2]), 2.5);
    expect(out).toBeInstanceOf(Tensor);
    expect((out as Tensor).toArray()).toEqual([2.5, 2.5]);
    expect((g(tensor([1, 2]), 0.5) as Tensor).toArray()).toEqual([0.5, 0.5]);
  });
});
