/**
 * Optimizers and jit(valueAndGrad(f)) (issue 16). Expected parameter values come from the update
 * formulas written out on plain arrays here (torch.optim's definitions), not from tensorfuse.
 */
import { describe, expect, it } from 'vitest';
import { Tensor, TensorError, arange, configure, grad, jit, optim, rand, randn, stats, tensor, valueAndGrad } from '../src/index.js';

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

describe('a step writes the new values straight into the parameters and the state (one program)', () => {
  const f = Math.fround;
  /** Adam in float32 on plain arrays, rounded per op in the order optim.adam computes it (its scalars cast to float32, as the C side reads them). */
  function adam32(p: number[], m: number[], v: number[], g0: readonly number[], t: number, lr: number, [b1, b2]: [number, number], eps: number, wd: number): void {
    const c1 = 1 / (1 - b1 ** t), c2 = 1 / (1 - b2 ** t);
    for (let i = 0; i < p.length; i++) {
      const g = wd ? f(g0[i] + f(p[i] * f(wd))) : g0[i];
      m[i] = f(f(m[i] * f(b1)) + f(g * f(1 - b1)));
      v[i] = f(f(v[i] * f(b2)) + f(f(g * g) * f(1 - b2)));
      p[i] = f(p[i] - f(f(m[i] * f(lr * c1)) / f(f(Math.sqrt(f(v[i] * f(c2)))) + f(eps))));
    }
  }
  const backends = ['c', 'ts'] as const;

  for (const backend of backends) {
    it(`adam: one program per step (one FFI call, no copy afterwards), the same storage, the same bits as the update rounded per op (${backend})`, () => {
      configure({ backend });
      try {
        const a0 = [0.5, -1, 2, 0.25, -3, 1e-3], b0 = [3, -0.125];
        const a = tensor(new Float32Array(a0), { shape: [2, 3] }), b = tensor(new Float32Array(b0));
        const [da, db] = [a.data(), b.data()];
        const opt = optim.adam([a, b], { lr: 0.01, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.1 });
        const pa = a0.map(f), pb = b0.map(f), ma = pa.map(() => 0), va = pa.map(() => 0), mb = pb.map(() => 0), vb = pb.map(() => 0);
        for (let t = 1; t <= 3; t++) {
          const ga = Array.from({ length: 6 }, (_, i) => f(Math.sin(7 * t + i))), gb = [f(t / 3), f(-t)];
          const evals = stats().evals;
          opt.lr = 0.01 / t;
          opt.step([tensor(new Float32Array(ga), { shape: [2, 3] }), tensor(new Float32Array(gb))]);
          expect(stats().evals - evals, `step ${t}: programs run`).toBe(1);
          adam32(pa, ma, va, ga, t, 0.01 / t, [0.8, 0.99], 1e-6, 0.1);
          adam32(pb, mb, vb, gb, t, 0.01 / t, [0.8, 0.99], 1e-6, 0.1);
          expect(a.data()).toBe(da);
          expect(b.data()).toBe(db);
          expect(Array.from(da), `step ${t}`).toEqual(pa);
          expect(Array.from(db), `step ${t}`).toEqual(pb);
        }
      } finally {
        configure({ backend: undefined });
      }
    });

    it(`sgd with momentum: one program per step, the same storage (${backend})`, () => {
      configure({ backend });
      try {
        const p = tensor([1, -2, 0.5]);
        const storage = p.data();
        const opt = optim.sgd([p], { lr: 0.1, momentum: 0.9 });
        const evals = stats().evals;
        opt.step([tensor([0.5, 1, -1])]);
        opt.step([tensor([-1, 2, 0])]);
        expect(stats().evals - evals).toBe(2);
        expect(p.data()).toBe(storage);
        const v2 = [0.9 * 0.5 - 1, 0.9 * 1 + 2, 0.9 * -1 + 0];
        expect(close(storage, [1 - 0.1 * 0.5 - 0.1 * v2[0], -2 - 0.1 * 1 - 0.1 * v2[1], 0.5 + 0.1 - 0.1 * v2[2]])).toBe(true);
      } finally {
        configure({ backend: undefined });
      }
    });

    it(`the hazard rule: gradients and \`also\` that read the parameters at other positions see them as they were (${backend})`, () => {
      configure({ backend });
      try {
        for (const threads of [1, 2]) {
          configure({ threads });
          // 640×640 float64: each kernel ~40 µs of estimated work, past the 2 × 10 µs at which kernels
          // split across two threads (codegen/cost.ts)
          const n = 640;
          const a = arange(n * n).reshape([n, n]).cast('float64').mul(1e-3).eval(), b = rand([n, n], { seed: 5 }).eval();
          const [a0, b0] = [Array.from(a.data()), Array.from(b.data())];
          const T = (x: readonly number[]) => x.map((_, k) => x[(k % n) * n + Math.floor(k / n)]);
          const [aT, bT] = [T(a0), T(b0)];
          // Each gradient reads the parameter itself, and the other one, transposed; `also` reads both transposed.
          const grads = [a.T.add(b.T.mul(2)), b.T.sub(a.T)];
          const also = [a.T.add(b.T), a.T.T.mul(b).sum()];
          optim.sgd([a, b], { lr: 0.5 }).step(grads, also);
          const ga = aT.map((x, k) => x + 2 * bT[k]), gb = bT.map((x, k) => x - aT[k]);
          expect(Array.from(a.data()), `${threads} threads`).toEqual(a0.map((x, k) => x - ga[k] * 0.5));
          expect(Array.from(b.data()), `${threads} threads`).toEqual(b0.map((x, k) => x - gb[k] * 0.5));
          expect(Array.from(also[0].data())).toEqual(aT.map((x, k) => x + bT[k]));
          const dot = a0.reduce((s, x, k) => s + x * b0[k], 0);
          expect(Math.abs(also[1].item() - dot) / dot).toBeLessThan(1e-12);
          // Each update reads the other parameter transposed: at most one of them can be written in place.
          const [a1, b1] = [Array.from(a.data()), Array.from(b.data())];
          optim.sgd([a, b], { lr: 0.25 }).step([b.T, a.T]);
          const [a1T, b1T] = [T(a1), T(b1)];
          expect(Array.from(a.data()), `${threads} threads`).toEqual(a1.map((x, k) => x - b1T[k] * 0.25));
          expect(Array.from(b.data()), `${threads} threads`).toEqual(b1.map((x, k) => x - a1T[k] * 0.25));
          // Adam: the gradient p.T.T·2 (p itself, through views) and p.T·2 (p transposed) see the old p.
          const p = a.mul(1).eval(), q = b.mul(1).eval();
          const [p0, q0] = [Array.from(p.data()), Array.from(q.data())];
          const [pT, qT] = [T(p0), T(q0)];
          optim.adam([p, q], { lr: 0.1 }).step([p.T.T.mul(2), p.T.mul(2).add(q.T)]);
          const step = (x: number, g: number) => x - (0.1 * ((1 - 0.9) * g / (1 - 0.9))) / (Math.sqrt((1 - 0.999) * g * g / (1 - 0.999)) + 1e-8);
          expect(close(p.data(), p0.map((x) => step(x, 2 * x)), 1e-15), `${threads} threads`).toBe(true);
          expect(close(q.data(), q0.map((x, k) => step(x, 2 * pT[k] + qT[k])), 1e-15), `${threads} threads`).toBe(true);
        }
      } finally {
        configure({ backend: undefined, threads: undefined });
      }
    });
  }

  it('parameters over overlapping memory (two tensors over one array) get what the two-phase step gave: all computed from the old bytes, then written in order', () => {
    const arr = new Float64Array([1, 2, 3, 4]);
    const p = tensor(arr.subarray(0, 3)), q = tensor(arr.subarray(1, 4)), r = tensor([10, 20, 30]);
    optim.sgd([p, q, r], { lr: 0.5 }).step([q.mul(2), p.mul(2), p.add(q)]);
    // p' = p − q, q' = q − p, r' = r − (p + q)/2 from [1, 2, 3] and [2, 3, 4]; q' is written last.
    expect(Array.from(arr)).toEqual([1 - 2, 2 - 1, 3 - 2, 4 - 3]);
    expect(Array.from(r.data())).toEqual([10 - 1.5, 20 - 2.5, 30 - 3.5]);
  });

  it('a step whose gradient or `also` holds an index out of range throws and writes nothing: not the parameters, not the state', () => {
    const p = tensor([1, 2, 3, 4]), bad = tensor([0, 1, 2, 9], { dtype: 'int32' }), perm = tensor([3, 2, 1, 0], { dtype: 'int32' });
    const opt = optim.adam([p], { lr: 0.1 });
    expect(() => opt.step([p.at(bad)])).toThrow(/out of range/); // the gather in the kernel that writes m
    expect(() => opt.step([p.mul(1)], [p.at(bad)])).toThrow(/out of range/); // in a kernel of its own
    expect(Array.from(p.data())).toEqual([1, 2, 3, 4]);
    expect(opt.steps).toBe(0);
    const q = tensor([1, 2, 3, 4]);
    opt.step([p.at(perm)]);
    optim.adam([q], { lr: 0.1 }).step([q.at(perm)]);
    expect(Array.from(p.data())).toEqual(Array.from(q.data()));
  });

  it('with jit(valueAndGrad(f)) outputs as gradients: one program per step, as with eager gradients', () => {
    const f = (w: Tensor, b: Tensor, x: Tensor, y: Tensor) => x.matmul(w).add(b).tanh().sub(y).square().mean();
    const x = randn([16, 8], { seed: 1 }).eval(), y = randn([16, 4], { seed: 2 }).eval();
    const w = randn([8, 4], { seed: 3 }).eval(), b = randn([4], { seed: 4 }).eval();
    const w2 = w.mul(1).eval(), b2 = b.mul(1).eval();
    const step = jit(valueAndGrad(f, { argnums: [0, 1] }));
    const opt = optim.adam([w, b], { lr: 0.05 }), opt2 = optim.adam([w2, b2], { lr: 0.05 });
    for (let i = 0; i < 3; i++) {
      const [l, [gw, gb]] = step(w, b, x, y) as [Tensor, Tensor[]];
      const evals = stats().evals;
      opt.step([gw, gb]);
      expect(stats().evals - evals).toBe(1);
      const [l2, [gw2, gb2]] = valueAndGrad(f, { argnums: [0, 1] })(w2, b2, x, y) as [Tensor, Tensor[]];
      opt2.step([gw2, gb2], [l2]);
      expect(close(l.data(), Array.from(l2.data()), 1e-12)).toBe(true);
      expect(close(w.data(), Array.from(w2.data()), 1e-12)).toBe(true);
      expect(close(b.data(), Array.from(b2.data()), 1e-12)).toBe(true);
    }
  });
});
