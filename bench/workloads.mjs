/**
 * The SPEC §6 workloads and, for each, the cases that run it: tensorfuse fused C, unfused C and the TS
 * reference, hand-written JS loops, and the libraries that have the op.
 *
 * A case is { peer, label, n?, tol?, note?, make(inputs, n) → { run, once } | { skipped } }:
 * `run` is the timed call, `once` computes the result from pristine inputs for the checks (a typed
 * array or a number). `n` overrides the workload's size (the slow reference runs smaller; the row says
 * so). `tol` is the tolerance against fused C at the same size.
 */
import { availableParallelism } from 'node:os';
import { Matrix } from 'ml-matrix';
import * as js from './peers/js.mjs';
import { run as tfRun, values as tfValues } from './peers/tfjs.mjs';

export const EXACT = { rtol: 0, atol: 0 };
const ULPS = { rtol: 1e-6, atol: 1e-6 }; // double-then-round vs float32 per op: an ulp or two
const MATMUL = { rtol: 1e-4, atol: 1e-4 }; // summation order

/** Sizes per mode: n elements for E1/E2/R1, b1 × b1 for B1, m1 × m1 for M1; ref* for the reference. */
export const SIZES = {
  full: { n: 2 ** 24, refN: 2 ** 22, t1: 2048, refT1: 512, checkT1: 64, b1: 4096, refB1: 2048, m1: 1024, refM1: 256, checkN: 2 ** 16, checkB1: 256, checkM1: 64, s1: 16, stream: 2 ** 24, c1: 32, t2: 256, refT2: 32, sort: 2 ** 20, refSort: 2 ** 18, rows: 4096, refRows: 256 },
  quick: { n: 2 ** 22, refN: 2 ** 18, t1: 1024, refT1: 256, checkT1: 64, b1: 2048, refB1: 512, m1: 512, refM1: 128, checkN: 2 ** 16, checkB1: 256, checkM1: 64, s1: 16, stream: 2 ** 23, c1: 8, t2: 256, refT2: 32, sort: 2 ** 20, refSort: 2 ** 16, rows: 1024, refRows: 64 },
  smoke: { n: 2 ** 16, refN: 2 ** 14, t1: 128, refT1: 64, checkT1: 32, b1: 256, refB1: 128, m1: 128, refM1: 64, checkN: 2 ** 12, checkB1: 64, checkM1: 32, s1: 16, stream: 2 ** 20, c1: 1, t2: 16, refT2: 8, sort: 2 ** 14, refSort: 2 ** 12, rows: 64, refRows: 16 },
};

const fmtN = (n) => (n >= 2 ** 20 && Number.isInteger(Math.log2(n)) ? `2^${Math.log2(n)}` : String(n));

/**
 * A tensorfuse case run with one thread (configure({ threads: 1 }) while the case runs): shows how
 * much the parallel loop gains, or loses on a machine whose other core is busy.
 */
function oneThread(tf, c, tol = EXACT) {
  if (tf.config().threads === 1 || availableParallelism() === 1) return [];
  return [{
    ...c, peer: 'fused1', label: `${c.label}, 1 thread`, tol,
    make: (i, n) => {
      tf.configure({ threads: 1 });
      const restore = () => tf.configure({ threads: undefined });
      try {
        return { ...c.make(i, n), dispose: restore };
      } catch (e) {
        restore();
        throw e;
      }
    },
  }];
}

/** The tensorfuse cases of an expression `expr(inputs)`: fused (all threads and one), unfused, reference. */
function tensorfuseCases(tf, expr, { refN, refNote, unfusedTol = EXACT }) {
  const fused = { peer: 'fused', label: 'tensorfuse fused C', make: (i) => ({ run: () => { expr(i).eval(); }, once: () => expr(i).eval().data() }) };
  return [
    fused,
    ...oneThread(tf, fused, unfusedTol),
    { peer: 'unfused', label: 'tensorfuse unfused C (kernel per op)', tol: unfusedTol, make: (i) => ({ run: () => { expr(i).eval({ fuse: false }); }, once: () => expr(i).eval({ fuse: false }).data() }) },
    { peer: 'ref', label: 'tensorfuse reference (TS)', n: refN, note: refNote, make: (i) => ({ run: () => { expr(i).eval({ backend: 'ts' }); }, once: () => expr(i).eval({ backend: 'ts' }).data() }) },
  ];
}

/** Two seeded float arrays as realized tensors, and their storage for the JS peers. */
function pair(tf, n, dtype) {
  const x = tf.rand([n], { seed: 1, dtype }).eval();
  const y = tf.rand([n], { seed: 2, dtype }).eval();
  return { x, y, xs: x.data(), ys: y.data() };
}

/** A tfjs case, or a skipped row when tfjs is missing. `build(inputs)` makes the tfjs inputs once. */
function tfjsCase(ctx, label, build, compute, extra = {}) {
  return {
    peer: 'tfjs', label, tol: ULPS, ...extra,
    make: (i, n) => {
      if (ctx.tfjs.skipped) return { skipped: ctx.tfjs.skipped };
      const t = build(ctx.tfjs, i, n);
      return { run: tfRun(() => compute(ctx.tfjs, t)), once: () => tfValues(() => compute(ctx.tfjs, t)), dispose: () => ctx.tfjs.dispose(Object.values(t)) };
    },
  };
}

/**
 * Fused C writing into an output the caller already has (`out.assign(expr)`): no fresh output buffer
 * to fault in, so this row is the kernel alone and the difference to plain eval() is the allocation.
 */
function intoCase(tf, expr, shapeOf, fuse = true, Storage = Float32Array) {
  return {
    peer: fuse ? 'fusedInto' : 'unfusedInto',
    label: `tensorfuse ${fuse ? 'fused' : 'unfused'} C into existing out`,
    note: `out.assign(expr${fuse ? '' : ', { fuse: false }'}): no fresh output buffer`,
    make: (i, n) => {
      const fresh = () => tf.tensor(new Storage(shapeOf(n).reduce((a, b) => a * b, 1)), { shape: shapeOf(n) });
      const out = fresh();
      return { run: () => { out.assign(expr(i), { fuse }); }, once: () => fresh().assign(expr(i), { fuse }).data() };
    },
  };
}

/** eval() with the result given back at once (tidy/dispose): the pool reuses its buffer. */
function disposeCase(expr) {
  return {
    peer: 'fusedDispose', label: 'tensorfuse fused C, eval() + dispose()', note: 'the result buffer goes back to the pool at once',
    make: (i) => ({ run: () => { expr(i).eval().dispose(); }, once: () => expr(i).eval().data() }),
  };
}

/** An OpenBLAS case at tensorfuse's thread count, or a skipped row when OpenBLAS is missing. */
function blasCase(ctx, label, make, extra = {}) {
  return {
    peer: 'openblas', label, tol: MATMUL, ...extra,
    note: ctx.openblas.skipped ? undefined : `${ctx.threads} thread${ctx.threads > 1 ? 's' : ''}, into a preallocated C`,
    make: (i, n) => {
      if (ctx.openblas.skipped) return { skipped: ctx.openblas.skipped };
      ctx.openblas.setThreads(ctx.threads);
      return make(ctx.openblas, i, n);
    },
  };
}

/** A hand-written C case (bench/peers/handc.mjs), or a skipped row when it could not be built. */
function handCase(ctx, label, make, extra = {}) {
  return { peer: 'handC', label, ...extra, make: (i, n) => (ctx.handc.skipped ? { skipped: ctx.handc.skipped } : make(ctx.handc, i, n)) };
}

/** The size, bytes and input of a workload over the rows of x [m, 4m] float32 (R2, R3). */
const rowsOf = (tf, sizes) => ({
  n: sizes.t1, checkN: sizes.checkT1,
  size: (m) => ({ elements: m * 4 * m, text: `x [${m}, ${4 * m}]` }),
  bytes: (m) => 8 * m * 4 * m, // read x; write out
  inputs: (m) => {
    const x = tf.rand([m, 4 * m], { seed: 1, dtype: 'float32' }).mul(8).sub(4).eval();
    return { x, xs: x.data() };
  },
});

/** A hand-written row kernel `f(x, out, m, n)` over x [m, 4m] as a case: timed into one out, checked into a fresh one. */
const rowsPeer = (f, i, m) => {
  const out = new Float32Array(m * 4 * m);
  return { run: () => f(i.xs, out, m, 4 * m), once: () => { const o = new Float32Array(m * 4 * m); f(i.xs, o, m, 4 * m); return o; } };
};

/** The E2 chain with its first number as a parameter: `e2k(i, 2)` is e2. */
const e2k = ({ x, y }, k) => x.mul(k).add(y).relu().mul(x.sub(y)).add(1);
const e2 = (i) => e2k(i, 2);
/**
 * A number that changes at every call (issue 12 §5: it must not cost a new plan), never an integer
 * (an integer is another kind of number to jit: one more trace). It comes back after 1024 calls, long
 * after anything remembered it by value.
 */
const changing = () => {
  let c = 0;
  return () => 2 + ((c++ % 1024) + 0.5) / 1024;
};
const r1 = ({ x, y }) => x.sub(y).square().sum();
const b1 = ({ a, b, c }) => a.add(b).mul(c);
const t1 = ({ x, y }) => x.T.mul(2).add(y);
const r2 = ({ x }) => x.softmax(1);
const t3 = ({ x }) => x.transpose([0, 2, 1, 3]).mul(2);
const m4 = ({ a, b, bias }) => a.matmul(b).add(bias).relu();
const r3 = ({ x }) => x.sub(x.mean(-1, true)).div(x.variance(-1, true).add(1e-5).sqrt());
const g1 = ({ x, idx }) => x.take(idx);
const HIST_BINS = 4096;
const g3where = ({ x }) => x.gt(0.5).where(x, 0).sum();
const p1 = ({ x }) => x.cumsum();
const o1 = ({ x }) => x.sort();
const o2 = ({ x }) => x.argsort(1);
const g3mask = ({ x }) => x.at(x.gt(0.5)).sum();

export function workloads(ctx) {
  const { tf, sizes } = ctx;
  const refNote = (n) => `n = ${fmtN(n)}: the reference is slow`;
  return [
    {
      id: 'E1', title: 'y.assign(y.axpy(x, 2.5)), float64, in place', dtype: 'float64', memoryBound: true,
      n: sizes.n, checkN: sizes.checkN,
      size: (n) => ({ elements: n, text: `N = ${fmtN(n)}` }),
      bytes: (n) => 24 * n, // read x, y; write y
      inputs: (n) => pair(tf, n, 'float64'),
      cases: (() => {
        // In place: the timed call keeps updating its own copy of y; `once` starts from the pristine y.
        const inPlace = (opts) => (i) => {
          const y = tf.tensor(i.ys.slice());
          return {
            run: () => { y.assign(y.axpy(i.x, 2.5), opts); },
            once: () => { const t = tf.tensor(i.ys.slice()); t.assign(t.axpy(i.x, 2.5), opts); return t.data(); },
          };
        };
        const jsCase = (fn) => (i) => {
          const y = i.ys.slice();
          return { run: () => fn(y, i.xs, 2.5), once: () => { const t = i.ys.slice(); fn(t, i.xs, 2.5); return t; } };
        };
        return [
          { peer: 'fused', label: 'tensorfuse fused C', make: inPlace(undefined) },
          ...oneThread(tf, { peer: 'fused', label: 'tensorfuse fused C', make: inPlace(undefined) }),
          { peer: 'unfused', label: 'tensorfuse unfused C (kernel per op)', make: inPlace({ fuse: false }) },
          { peer: 'ref', label: 'tensorfuse reference (TS)', n: sizes.refN, note: refNote(sizes.refN), make: inPlace({ backend: 'ts' }) },
          { peer: 'jsPerOp', label: 'JS loop per op (t = 2.5x; y += t)', make: jsCase(js.e1PerOp) },
          { peer: 'jsFused', label: 'JS loop hand-fused (y[i] += 2.5x[i])', make: jsCase(js.e1Fused) },
          tfjsCase(ctx, 'tfjs CPU tf.add(y, tf.mul(x, 2.5))', (tfjs, i, n) => ({ x: tfjs.tensor1d(Float32Array.from(i.xs)), y: tfjs.tensor1d(Float32Array.from(i.ys)) }),
            (tfjs, t) => tfjs.add(t.y, tfjs.mul(t.x, 2.5)),
            { note: 'float32 (tfjs has no float64); allocates a new tensor per step (no in-place op)' }),
        ];
      })(),
    },
    {
      id: 'E2', title: 'x.mul(2).add(y).relu().mul(x.sub(y)).add(1)', dtype: 'float32', memoryBound: true,
      n: sizes.n, checkN: sizes.checkN,
      size: (n) => ({ elements: n, text: `N = ${fmtN(n)}` }),
      bytes: (n) => 12 * n, // read x, y; write out
      inputs: (n) => pair(tf, n, 'float32'),
      cases: [
        ...tensorfuseCases(tf, e2, { refN: sizes.refN, refNote: refNote(sizes.refN) }),
        intoCase(tf, e2, (n) => [n]),
        intoCase(tf, e2, (n) => [n], false),
        disposeCase(e2),
        { peer: 'jsPerOp', label: 'JS loop per op (6 arrays)', make: (i) => ({ run: () => js.e2PerOp(i.xs, i.ys), once: () => js.e2PerOp(i.xs, i.ys) }) },
        { peer: 'jsFused', label: 'JS loop hand-fused', tol: ULPS, make: (i) => ({ run: () => js.e2Fused(i.xs, i.ys), once: () => js.e2Fused(i.xs, i.ys) }) },
        tfjsCase(ctx, 'tfjs CPU', (tfjs, i) => ({ x: tfjs.tensor1d(i.xs), y: tfjs.tensor1d(i.ys) }),
          (tfjs, { x, y }) => tfjs.add(tfjs.mul(tfjs.relu(tfjs.add(tfjs.mul(x, 2), y)), tfjs.sub(x, y)), 1)),
      ],
    },
    {
      id: 'R1', title: 'x.sub(y).square().sum()', dtype: 'float32', memoryBound: true,
      n: sizes.n, checkN: sizes.checkN,
      size: (n) => ({ elements: n, text: `N = ${fmtN(n)}` }),
      bytes: (n) => 8 * n, // read x, y
      inputs: (n) => pair(tf, n, 'float32'),
      // A float32 sum of 2^24 terms: its accumulators round differently from a double loop's.
      refTol: { rtol: 1e-3, atol: 0 },
      cases: [
        ...tensorfuseCases(tf, r1, { refN: sizes.refN, refNote: refNote(sizes.refN), unfusedTol: { rtol: 2e-3, atol: 0 } }),
        { peer: 'jsPerOp', label: 'JS loop per op (2 arrays + sum)', tol: { rtol: 2e-3, atol: 0 }, make: (i) => ({ run: () => js.r1PerOp(i.xs, i.ys), once: () => js.r1PerOp(i.xs, i.ys) }) },
        { peer: 'jsFused', label: 'JS loop hand-fused', tol: { rtol: 2e-3, atol: 0 }, make: (i) => ({ run: () => js.r1Fused(i.xs, i.ys), once: () => js.r1Fused(i.xs, i.ys) }) },
        handCase(ctx, 'hand-written C (omp parallel for simd reduction, double)', (c, i, n) => ({ run: () => c.r1(i.xs, i.ys, n), once: () => c.r1(i.xs, i.ys, n) }),
          { tol: { rtol: 1e-6, atol: 0 }, note: 'the order of its additions depends on the thread count' }),
        tfjsCase(ctx, 'tfjs CPU', (tfjs, i) => ({ x: tfjs.tensor1d(i.xs), y: tfjs.tensor1d(i.ys) }),
          (tfjs, { x, y }) => tfjs.sum(tfjs.square(tfjs.sub(x, y))), { tol: { rtol: 2e-3, atol: 0 } }),
      ],
    },
    {
      id: 'R2', title: 'x.softmax(1): row reductions and their broadcast', dtype: 'float32', memoryBound: true,
      ...rowsOf(tf, sizes),
      // libm's expf (C) against Math.exp rounded (the reference): within an ulp or two.
      refTol: ULPS,
      cases: [
        // Unfused computes exp once, in a flat loop; fused computes it in two kernels, each vectorized at
        // its own width, and libmvec's AVX2 and AVX-512 expf can differ in the last bit.
        ...tensorfuseCases(tf, r2, { refN: sizes.refT1, refNote: `m = ${sizes.refT1}: the reference is slow`, unfusedTol: ULPS }),
        intoCase(tf, r2, (m) => [m, 4 * m]),
        disposeCase(r2),
        handCase(ctx, 'hand-written C (per row: max, exp stored and summed, divide), into existing out', (c, i, m) => rowsPeer(c.r2, i, m), { tol: ULPS }),
        tfjsCase(ctx, 'tfjs CPU tf.softmax', (tfjs, i, m) => ({ x: tfjs.tensor2d(i.xs, [m, 4 * m]) }), (tfjs, { x }) => tfjs.softmax(x), { tol: { rtol: 1e-5, atol: 1e-7 } }),
      ],
    },
    {
      id: 'R3', title: 'layer norm over rows: x.sub(x.mean(-1, true)).div(x.variance(-1, true).add(1e-5).sqrt())', dtype: 'float32', memoryBound: true,
      ...rowsOf(tf, sizes),
      cases: [
        ...tensorfuseCases(tf, r3, { refN: sizes.refT1, refNote: `m = ${sizes.refT1}: the reference is slow` }),
        intoCase(tf, r3, (m) => [m, 4 * m]),
        disposeCase(r3),
        handCase(ctx, 'hand-written C (per row: mean, variance of the deviations, scale), into existing out', (c, i, m) => rowsPeer(c.r3, i, m), { tol: ULPS }),
      ],
    },
    {
      id: 'T1', title: 'x.T.mul(2).add(y): a transposed read', dtype: 'float32', memoryBound: true,
      n: sizes.t1, checkN: sizes.checkT1,
      size: (m) => ({ elements: m * 4 * m, text: `x [${4 * m}, ${m}], y [${m}, ${4 * m}]` }),
      bytes: (m) => 12 * m * 4 * m, // read x, y; write out
      inputs: (m) => {
        const x = tf.rand([4 * m, m], { seed: 1, dtype: 'float32' }).eval();
        const y = tf.rand([m, 4 * m], { seed: 2, dtype: 'float32' }).eval();
        return { x, y, xs: x.data(), ys: y.data() };
      },
      cases: [
        ...tensorfuseCases(tf, t1, { refN: sizes.refT1, refNote: `m = ${sizes.refT1}: the reference is slow` }),
        intoCase(tf, t1, (m) => [m, 4 * m]),
        disposeCase(t1),
        { peer: 'jsFused', label: 'JS loop hand-fused (i, j)', make: (i, m) => ({ run: () => js.t1Fused(i.xs, i.ys, m, 4 * m), once: () => js.t1Fused(i.xs, i.ys, m, 4 * m) }) },
        handCase(ctx, 'hand-written C (32 × 32 tiles through an L1 buffer), into existing out', (c, i, m) => {
          const out = new Float32Array(m * 4 * m);
          return { run: () => c.t1(i.xs, i.ys, out, m, 4 * m), once: () => { const o = new Float32Array(m * 4 * m); c.t1(i.xs, i.ys, o, m, 4 * m); return o; } };
        }),
        tfjsCase(ctx, 'tfjs CPU', (tfjs, i, m) => ({ x: tfjs.tensor2d(i.xs, [4 * m, m]), y: tfjs.tensor2d(i.ys, [m, 4 * m]) }),
          (tfjs, { x, y }) => tfjs.add(tfjs.mul(tfjs.transpose(x), 2), y), { tol: EXACT }),
      ],
    },
    {
      id: 'T3', title: 'x.transpose([0, 2, 1, 3]).mul(2): an attention-head permute [8, S, 16, 64] → [8, 16, S, 64]', dtype: 'float32', memoryBound: true,
      n: sizes.t1 / 2, checkN: sizes.checkT1,
      size: (s) => ({ elements: 8 * s * 16 * 64, text: `S = ${s}` }),
      bytes: (s) => 8 * 8 * s * 16 * 64, // read x; write out
      inputs: (s) => {
        const x = tf.rand([8, s, 16, 64], { seed: 1, dtype: 'float32' }).eval();
        return { x, xs: x.data() };
      },
      cases: [
        ...tensorfuseCases(tf, t3, { refN: sizes.checkT1, refNote: `S = ${sizes.checkT1}: the reference is slow` }),
        intoCase(tf, t3, (s) => [8, 16, s, 64]),
        disposeCase(t3),
        handCase(ctx, 'hand-written C (threads over (b, h), rows of D contiguous floats), into existing out', (c, i, s) => {
          const out = new Float32Array(8 * s * 16 * 64);
          return { run: () => c.t3(i.xs, out, 8, s, 16, 64), once: () => { const o = new Float32Array(8 * s * 16 * 64); c.t3(i.xs, o, 8, s, 16, 64); return o; } };
        }),
      ],
    },
    {
      id: 'G1', title: 'x.take(idx): a gather of float32 by a random int32 index', dtype: 'float32', memoryBound: false,
      n: sizes.n, checkN: sizes.checkN,
      size: (n) => ({ elements: n, text: `N = ${fmtN(n)}` }),
      bytes: (n) => 12 * n, // read idx, write out (x itself is read at random)
      inputs: (n) => {
        const x = tf.rand([n], { seed: 1, dtype: 'float32' }).eval();
        const idx = tf.rand([n], { seed: 2 }).mul(n).floor().cast('int32').eval();
        return { x, idx, xs: x.data(), is: idx.data() };
      },
      cases: [
        ...tensorfuseCases(tf, g1, { refN: sizes.refN, refNote: refNote(sizes.refN) }),
        intoCase(tf, g1, (n) => [n]),
        { peer: 'jsFused', label: 'JS loop (out[i] = x[idx[i]])', make: (i) => ({ run: () => js.g1(i.xs, i.is), once: () => js.g1(i.xs, i.is) }) },
        handCase(ctx, 'hand-written C (omp parallel for simd, no bounds check), into existing out', (c, i, n) => {
          const out = new Float32Array(n);
          return { run: () => c.g1(i.xs, i.is, out, n), once: () => { const o = new Float32Array(n); c.g1(i.xs, i.is, o, n); return o; } };
        }),
        tfjsCase(ctx, 'tfjs CPU tf.gather', (tfjs, i) => ({ x: tfjs.tensor1d(i.xs), idx: tfjs.tensor1d(i.is, 'int32') }), (tfjs, { x, idx }) => tfjs.gather(x, idx), { tol: EXACT }),
      ],
    },
    {
      id: 'G2', title: "hist.at(bins).assign(1, { op: 'add' }): a histogram into 4096 int32 bins", dtype: 'int32', memoryBound: false,
      n: sizes.n, checkN: sizes.checkN,
      size: (n) => ({ elements: n, text: `N = ${fmtN(n)} values` }),
      bytes: (n) => 4 * n, // read bins
      inputs: (n) => {
        const bins = tf.rand([n], { seed: 3 }).mul(HIST_BINS).floor().cast('int32').eval();
        return { bins, bs: bins.data() };
      },
      cases: [
        ...[['fused', 'tensorfuse (scatter-add, in place)', undefined], ['unfused', 'tensorfuse unfused C', { fuse: false }], ['ref', 'tensorfuse reference (TS)', { backend: 'ts' }]].map(([peer, label, opts]) => ({
          peer, label, ...(peer === 'ref' ? { n: sizes.refN, note: refNote(sizes.refN) } : {}),
          make: (i) => {
            const h = tf.zeros([HIST_BINS], 'int32').eval();
            const once = () => { const t = tf.zeros([HIST_BINS], 'int32').eval(); t.at(i.bins).assign(1, { op: 'add', ...opts }); return t.data(); };
            return { run: () => { h.at(i.bins).assign(1, { op: 'add', ...opts }); }, once };
          },
        })),
        { peer: 'jsFused', label: 'JS loop (h[b[i]]++)', make: (i) => ({ run: () => js.g2(i.bs, HIST_BINS), once: () => js.g2(i.bs, HIST_BINS) }) },
        handCase(ctx, 'hand-written C (a private histogram per thread, summed), into existing out', (c, i, n) => {
          const h = new Int32Array(HIST_BINS);
          return { run: () => c.g2(i.bs, h, n, HIST_BINS), once: () => { const o = new Int32Array(HIST_BINS); c.g2(i.bs, o, n, HIST_BINS); return o; } };
        }),
        tfjsCase(ctx, 'tfjs CPU tf.bincount', (tfjs, i) => ({ b: tfjs.tensor1d(i.bs, 'int32'), w: tfjs.tensor1d([], 'int32') }), (tfjs, { b, w }) => tfjs.bincount(b, w, HIST_BINS), { tol: EXACT }),
      ],
    },
    {
      id: 'G3', title: 'masked sum: x.at(x.gt(0.5)).sum() against where(x.gt(0.5), x, 0).sum()', dtype: 'float32', memoryBound: true,
      n: sizes.n, checkN: sizes.checkN,
      size: (n) => ({ elements: n, text: `N = ${fmtN(n)}` }),
      bytes: (n) => 4 * n, // read x
      inputs: (n) => pair(tf, n, 'float32'),
      cases: [
        { peer: 'fused', label: 'tensorfuse where(x.gt(0.5), x, 0).sum() (one fused reduction)', make: (i) => ({ run: () => { g3where(i).eval(); }, once: () => g3where(i).eval().data() }) },
        { peer: 'mask', label: 'tensorfuse x.at(x.gt(0.5)).sum() (mask evaluated, then a gather and a sum)', tol: ULPS, make: (i) => ({ run: () => { g3mask(i).eval(); }, once: () => g3mask(i).eval().data() }) },
        { peer: 'ref', label: 'tensorfuse reference (TS), where form', n: sizes.refN, note: refNote(sizes.refN), make: (i) => ({ run: () => { g3where(i).eval({ backend: 'ts' }); }, once: () => g3where(i).eval({ backend: 'ts' }).data() }) },
      ],
    },
    {
      id: 'P1', title: 'x.cumsum(): a running sum of float32 (accumulated in float64)', dtype: 'float32', memoryBound: true,
      n: sizes.n, checkN: sizes.checkN,
      size: (n) => ({ elements: n, text: `N = ${fmtN(n)}` }),
      bytes: (n) => 8 * n, // read x, write out
      inputs: (n) => { const x = tf.rand([n], { seed: 1, dtype: 'float32' }).eval(); return { x, xs: x.data() }; },
      cases: [
        // A line of ≥ 2^18 is chunked (carries merged in order): its float64 partial sums round differently from one serial pass.
        ...tensorfuseCases(tf, p1, { refN: sizes.refN, refNote: refNote(sizes.refN) }),
        { peer: 'jsFused', label: 'JS loop (acc += x[i])', tol: ULPS, make: (i) => ({ run: () => js.p1(i.xs), once: () => js.p1(i.xs) }) },
        handCase(ctx, 'hand-written C (one serial loop, double accumulator), into existing out', (c, i, n) => {
          const out = new Float32Array(n);
          return { run: () => c.p1(i.xs, out, n), once: () => { const o = new Float32Array(n); c.p1(i.xs, o, n); return o; } };
        }, { tol: ULPS }),
        tfjsCase(ctx, 'tfjs CPU tf.cumsum (float32 accumulator)', (tfjs, i) => ({ x: tfjs.tensor1d(i.xs) }), (tfjs, { x }) => tfjs.cumsum(x), { tol: { rtol: 1e-2, atol: 1e-2 } }),
      ],
    },
    {
      id: 'O1', title: 'x.sort(): 2^20 float32', dtype: 'float32', memoryBound: false,
      n: sizes.sort, checkN: sizes.checkN,
      size: (n) => ({ elements: n, text: `N = ${fmtN(n)}` }),
      bytes: (n) => 8 * n,
      inputs: (n) => { const x = tf.rand([n], { seed: 4, dtype: 'float32' }).eval(); return { x, xs: x.data() }; },
      cases: [
        ...tensorfuseCases(tf, o1, { refN: sizes.refSort, refNote: refNote(sizes.refSort) }),
        { peer: 'jsFused', label: 'JS Float32Array.prototype.sort of a copy', make: (i) => ({ run: () => js.o1(i.xs), once: () => js.o1(i.xs) }) },
        handCase(ctx, 'hand-written C (qsort of a copy), into existing out', (c, i, n) => {
          const out = new Float32Array(n);
          return { run: () => c.o1(i.xs, out, n), once: () => { const o = new Float32Array(n); c.o1(i.xs, o, n); return o; } };
        }),
      ],
    },
    {
      id: 'O2', title: 'x.argsort(1) of [R, 1024] float32 rows (stable)', dtype: 'float32', memoryBound: false,
      n: sizes.rows, checkN: 64,
      size: (r) => ({ elements: r * 1024, text: `[${r}, 1024]` }),
      bytes: (r) => 8 * r * 1024,
      inputs: (r) => { const x = tf.rand([r, 1024], { seed: 5, dtype: 'float32' }).eval(); return { x, xs: x.data() }; },
      cases: [
        ...tensorfuseCases(tf, o2, { refN: sizes.refRows, refNote: `R = ${sizes.refRows}: the reference is slow` }),
        { peer: 'jsFused', label: 'JS Array.prototype.sort of positions per row', make: (i, r) => ({ run: () => js.o2(i.xs, r, 1024), once: () => js.o2(i.xs, r, 1024) }) },
        handCase(ctx, 'hand-written C (qsort of (value, position) pairs per row, threads over rows), into existing out', (c, i, r) => {
          const out = new Int32Array(r * 1024);
          return { run: () => c.o2(i.xs, out, r, 1024), once: () => { const o = new Int32Array(r * 1024); c.o2(i.xs, o, r, 1024); return o; } };
        }),
      ],
    },
    {
      id: 'B1', title: 'a[R,1].add(b[1,R]).mul(c[R,R])', dtype: 'float32', memoryBound: true,
      n: sizes.b1, checkN: sizes.checkB1,
      size: (r) => ({ elements: r * r, text: `R = ${r}` }),
      bytes: (r) => 4 * (2 * r + 2 * r * r), // read a, b, c; write out
      inputs: (r) => {
        const a = tf.rand([r, 1], { seed: 1, dtype: 'float32' }).eval();
        const b = tf.rand([1, r], { seed: 2, dtype: 'float32' }).eval();
        const c = tf.rand([r, r], { seed: 3, dtype: 'float32' }).eval();
        return { a, b, c, as: a.data(), bs: b.data(), cs: c.data() };
      },
      cases: [
        ...tensorfuseCases(tf, b1, { refN: sizes.refB1, refNote: `R = ${sizes.refB1}: the reference is slow` }),
        intoCase(tf, b1, (r) => [r, r]),
        intoCase(tf, b1, (r) => [r, r], false),
        disposeCase(b1),
        { peer: 'jsPerOp', label: 'JS loop per op (2 arrays)', make: (i, r) => ({ run: () => js.b1PerOp(i.as, i.bs, i.cs, r, r), once: () => js.b1PerOp(i.as, i.bs, i.cs, r, r) }) },
        { peer: 'jsFused', label: 'JS loop hand-fused', tol: ULPS, make: (i, r) => ({ run: () => js.b1Fused(i.as, i.bs, i.cs, r, r), once: () => js.b1Fused(i.as, i.bs, i.cs, r, r) }) },
        tfjsCase(ctx, 'tfjs CPU (broadcasting)', (tfjs, i, r) => ({ a: tfjs.tensor2d(i.as, [r, 1]), b: tfjs.tensor2d(i.bs, [1, r]), c: tfjs.tensor2d(i.cs, [r, r]) }),
          (tfjs, { a, b, c }) => tfjs.mul(tfjs.add(a, b), c)),
      ],
    },
    {
      id: 'T2', title: 'one training step (forward, backward, adam) of an MLP 784→512→10 on a batch of 256, float32', dtype: 'float32', memoryBound: false,
      n: sizes.t2, checkN: 32,
      // the three matmuls forward (X·W1, H·W2) and the backward ones that need computing (dW2, dH, dW1)
      size: (b) => ({ elements: b * 784, flops: 2 * (2 * b * 784 * 512 + 3 * b * 512 * 10), text: `batch ${b}` }),
      inputs: (b) => {
        const X = tf.rand([b, 784], { seed: 1, dtype: 'float32' }).eval();
        const labels = tf.rand([b], { seed: 2 }).mul(10).floor().cast('int32').eval();
        const Y = tf.oneHot(labels, 10, 'float32').eval();
        const init = [
          tf.randn([784, 512], { seed: 3, dtype: 'float32' }).mul(1 / 28).eval(), tf.zeros([512], 'float32').eval(),
          tf.randn([512, 10], { seed: 4, dtype: 'float32' }).mul(1 / Math.sqrt(512)).eval(), tf.zeros([10], 'float32').eval(),
        ];
        return { X, Y, Xs: X.data(), Ys: Y.data(), init, inits: init.map((p) => p.data()) };
      },
      refTol: { rtol: 1e-3, atol: 1e-5 },
      cases: [
        ...[['fused', 'tensorfuse jit(valueAndGrad(loss)) + adam.step: two FFI calls', true], ['unfused', 'tensorfuse unfused C (loss and each gradient evaluated a kernel per op) + adam.step', false],
          ['ref', 'tensorfuse reference (TS)', false, { backend: 'ts' }]].map(([peer, label, fused, opts = { fuse: false }]) => ({
          peer, label, tol: { rtol: 1e-4, atol: 1e-6 }, ...(peer === 'ref' ? { n: sizes.refT2, note: `batch ${sizes.refT2}: the reference is slow` } : {}),
          make: (i) => {
            const setup = () => {
              const params = i.init.map((p) => p.clone().eval());
              const loss = (W1, b1, W2, b2) => i.X.matmul(W1).add(b1).relu().matmul(W2).add(b2).logSoftmax(1).mul(i.Y).sum(1).mean().neg();
              const vg = tf.valueAndGrad(loss);
              const step = fused ? tf.jit(vg) : (...ps) => { const [v, gs] = vg(...ps); v.eval(opts); gs.forEach((g) => g.eval(opts)); return [v, gs]; };
              const opt = tf.optim.adam(params, { lr: 1e-3 });
              return { params, run: () => { const [, grads] = step(...params); opt.step(grads); } };
            };
            const timed = setup();
            // the check: the last layer's bias after one step from the initial parameters
            return { run: timed.run, once: () => { const s1 = setup(); s1.run(); return s1.params[3].data(); } };
          },
        })),
        {
          peer: 'tfjs', label: 'tfjs CPU (tf.variableGrads + tf.train.adam)', tol: { rtol: 1e-3, atol: 1e-5 },
          make: (i, b) => {
            if (ctx.tfjs.skipped) return { skipped: ctx.tfjs.skipped };
            const t = ctx.tfjs;
            const X = t.tensor2d(i.Xs, [b, 784]), Y = t.tensor2d(i.Ys, [b, 10]);
            const setup = () => {
              const vars = [t.variable(t.tensor2d(i.inits[0], [784, 512])), t.variable(t.tensor1d(i.inits[1])), t.variable(t.tensor2d(i.inits[2], [512, 10])), t.variable(t.tensor1d(i.inits[3]))];
              const [W1, b1, W2, b2] = vars;
              const f = () => t.neg(t.mean(t.sum(t.mul(t.logSoftmax(t.add(t.matMul(t.relu(t.add(t.matMul(X, W1), b1)), W2), b2)), Y), 1)));
              const opt = t.train.adam(1e-3);
              const run = () => { const { value, grads } = t.variableGrads(f, vars); opt.applyGradients(grads); t.dispose([value, ...Object.values(grads)]); };
              return { vars, opt, run };
            };
            const timed = setup();
            return {
              run: timed.run,
              once: () => { const s1 = setup(); s1.run(); const v = s1.vars[3].dataSync().slice(); t.dispose(s1.vars); s1.opt.dispose(); return v; },
              dispose: () => { t.dispose([X, Y, ...timed.vars]); timed.opt.dispose(); },
            };
          },
        },
      ],
    },
    {
      id: 'M1', title: 'a.matmul(b), float32, n × n', dtype: 'float32', memoryBound: false,
      n: sizes.m1, checkN: sizes.checkM1,
      size: (n) => ({ elements: n * n, flops: 2 * n ** 3, text: `n = ${n}` }),
      inputs: (n) => {
        const a = tf.rand([n, n], { seed: 1, dtype: 'float32' }).eval();
        const b = tf.rand([n, n], { seed: 2, dtype: 'float32' }).eval();
        return { a, b, as: a.data(), bs: b.data() };
      },
      refTol: MATMUL,
      cases: [
        ...tensorfuseCases(tf, ({ a, b }) => a.matmul(b), { refN: sizes.refM1, refNote: `n = ${sizes.refM1}: the reference is slow`, unfusedTol: MATMUL }),
        { peer: 'jsPerOp', label: 'JS loop (i, j, k: textbook)', tol: MATMUL, make: (i, n) => ({ run: () => js.matmulNaive(i.as, i.bs, n), once: () => js.matmulNaive(i.as, i.bs, n) }) },
        { peer: 'jsFused', label: 'JS loop (i, k, j: hand-tuned)', tol: MATMUL, make: (i, n) => ({ run: () => js.matmulTuned(i.as, i.bs, n), once: () => js.matmulTuned(i.as, i.bs, n) }) },
        tfjsCase(ctx, 'tfjs CPU tf.matMul', (tfjs, i, n) => ({ a: tfjs.tensor2d(i.as, [n, n]), b: tfjs.tensor2d(i.bs, [n, n]) }),
          (tfjs, { a, b }) => tfjs.matMul(a, b), { tol: MATMUL }),
        {
          peer: 'mlMatrix', label: 'ml-matrix mmul (float64)', tol: MATMUL,
          make: (i, n) => {
            const a = Matrix.from1DArray(n, n, Array.from(i.as));
            const b = Matrix.from1DArray(n, n, Array.from(i.bs));
            return { run: () => a.mmul(b), once: () => a.mmul(b).to1DArray() };
          },
        },
        {
          peer: 'openblas', label: 'OpenBLAS cblas_sgemm', tol: MATMUL,
          make: (i, n) => {
            const ob = ctx.openblas;
            if (ob.skipped) return { skipped: ob.skipped };
            ob.setThreads(ctx.threads);
            const out = new Float32Array(n * n);
            return { run: () => ob.matmul(i.as, i.bs, out, n, n, n), once: () => { const c = new Float32Array(n * n); ob.matmul(i.as, i.bs, c, n, n, n); return c; } };
          },
          note: ctx.openblas.skipped ? undefined : `${ctx.threads} thread${ctx.threads > 1 ? 's' : ''}, into a preallocated C`,
        },
      ],
    },
    {
      id: 'M2', title: 'a.matmul(b), float64, n × n', dtype: 'float64', memoryBound: false,
      n: sizes.m1, checkN: sizes.checkM1,
      size: (n) => ({ elements: n * n, flops: 2 * n ** 3, text: `n = ${n}` }),
      inputs: (n) => {
        const a = tf.rand([n, n], { seed: 1 }).eval(), b = tf.rand([n, n], { seed: 2 }).eval();
        return { a, b, as: a.data(), bs: b.data() };
      },
      refTol: MATMUL,
      cases: [
        ...tensorfuseCases(tf, ({ a, b }) => a.matmul(b), { refN: sizes.refM1, refNote: `n = ${sizes.refM1}: the reference is slow`, unfusedTol: MATMUL }),
        intoCase(tf, ({ a, b }) => a.matmul(b), (n) => [n, n], true, Float64Array),
        blasCase(ctx, 'OpenBLAS cblas_dgemm', (ob, i, n) => {
          if (!ob.matmul64) return { skipped: 'this OpenBLAS has no cblas_dgemm' };
          const out = new Float64Array(n * n);
          return { run: () => ob.matmul64(i.as, i.bs, out, n, n, n), once: () => { const c = new Float64Array(n * n); ob.matmul64(i.as, i.bs, c, n, n, n); return c; } };
        }),
      ],
    },
    {
      id: 'M3', title: 'a.matmul(b), batched small float32 matrices: [64, n, n] × [64, n, n]', dtype: 'float32', memoryBound: false,
      n: 64, checkN: 16,
      size: (n) => ({ elements: 64 * n * n, flops: 2 * 64 * n ** 3, text: `[64, ${n}, ${n}]` }),
      inputs: (n) => {
        const a = tf.rand([64, n, n], { seed: 1, dtype: 'float32' }).eval(), b = tf.rand([64, n, n], { seed: 2, dtype: 'float32' }).eval();
        return { a, b, as: a.data(), bs: b.data() };
      },
      refTol: MATMUL,
      cases: [
        ...tensorfuseCases(tf, ({ a, b }) => a.matmul(b), { refN: 32, refNote: 'n = 32: the reference is slow', unfusedTol: MATMUL }),
        intoCase(tf, ({ a, b }) => a.matmul(b), (n) => [64, n, n]),
        blasCase(ctx, 'OpenBLAS cblas_sgemm, looping over the batch', (ob, i, n) => {
          const out = new Float32Array(64 * n * n);
          return { run: () => ob.batched(i.as, i.bs, out, 64, n, n, n), once: () => { const c = new Float32Array(64 * n * n); ob.batched(i.as, i.bs, c, 64, n, n, n); return c; } };
        }),
      ],
    },
    {
      id: 'M4', title: 'relu(a.matmul(b).add(bias)): a matmul with its epilogue, float32, n × n', dtype: 'float32', memoryBound: false,
      n: sizes.m1, checkN: sizes.checkM1,
      size: (n) => ({ elements: n * n, flops: 2 * n ** 3, text: `n = ${n}` }),
      inputs: (n) => {
        const a = tf.rand([n, n], { seed: 1, dtype: 'float32' }).sub(0.5).eval(), b = tf.rand([n, n], { seed: 2, dtype: 'float32' }).eval();
        const bias = tf.rand([n], { seed: 3, dtype: 'float32' }).sub(0.5).eval();
        return { a, b, bias, as: a.data(), bs: b.data(), biases: bias.data() };
      },
      refTol: MATMUL,
      cases: [
        ...tensorfuseCases(tf, m4, { refN: sizes.refM1, refNote: `n = ${sizes.refM1}: the reference is slow`, unfusedTol: MATMUL }),
        intoCase(tf, m4, (n) => [n, n]),
        {
          peer: 'bareInto', label: 'tensorfuse bare a.matmul(b) into existing out (no epilogue)', tol: MATMUL,
          note: 'what the epilogue is judged against (checked with the bias and relu applied in JS)',
          make: (i, n) => {
            const out = tf.zeros([n, n], 'float32').eval();
            const once = () => Float32Array.from(i.a.matmul(i.b).eval().data(), (v, j) => Math.max(Math.fround(v + i.biases[j % n]), 0));
            return { run: () => { out.assign(i.a.matmul(i.b)); }, once };
          },
        },
        blasCase(ctx, 'OpenBLAS cblas_sgemm + one epilogue pass (hand-written C)', (ob, i, n) => {
          if (ctx.handc.skipped) return { skipped: ctx.handc.skipped };
          const out = new Float32Array(n * n);
          const run = (c) => { ob.matmul(i.as, i.bs, c, n, n, n); ctx.handc.m4Epilogue(c, i.biases, n, n); return c; };
          return { run: () => run(out), once: () => run(new Float32Array(n * n)) };
        }),
      ],
    },
    {
      id: 'C1', title: "conv2d(x, w, { padding: 'same' }): a 3×3 convolution of [N, 64, 56, 56] float32 with 64 filters (NCHW)", dtype: 'float32', memoryBound: false,
      n: sizes.c1, checkN: 1,
      size: (b) => ({ elements: b * 64 * 56 * 56, flops: 2 * b * 64 * 56 * 56 * 64 * 9, text: `N = ${b}` }),
      inputs: (b) => {
        const x = tf.rand([b, 64, 56, 56], { seed: 1, dtype: 'float32' }).eval();
        const w = tf.rand([64, 64, 3, 3], { seed: 2, dtype: 'float32' }).sub(0.5).eval();
        return { x, w, b };
      },
      refTol: MATMUL,
      cases: [
        ...tensorfuseCases(tf, ({ x, w }) => tf.conv2d(x, w, { padding: 'same' }), { refN: 1, refNote: 'N = 1: the reference is slow', unfusedTol: MATMUL }),
        handCase(ctx, 'hand-written C: direct 3×3 loops, 8 output channels × 16 pixels in registers, threads over images', (c, i, b) => {
          const xs = i.x.data(), ws = i.w.data(), out = new Float32Array(b * 64 * 3136);
          return { run: () => c.c1(xs, ws, out, b, 64, 64, 56, 56), once: () => { const o = new Float32Array(b * 64 * 3136); c.c1(xs, ws, o, b, 64, 64, 56, 56); return o; } };
        }, { tol: MATMUL }),
        {
          peer: 'openblas', label: 'OpenBLAS cblas_sgemm on the im2col matrix (one per image; the im2col itself not timed)', tol: MATMUL,
          make: (i, b) => {
            const ob = ctx.openblas;
            if (ob.skipped) return { skipped: ob.skipped };
            ob.setThreads(ctx.threads);
            // tensorfuse's own im2col matrix [N, 576, 3136] (the stack conv2d multiplies), and w as [64, 576]
            const cols = tf.stack(Array.from({ length: 9 }, (_, t) => i.x.pad([[0, 0], [0, 0], [1, 1], [1, 1]]).slice([0, 0, Math.floor(t / 3), t % 3], [b, 64, Math.floor(t / 3) + 56, (t % 3) + 56])), 2).reshape([b, 576, 3136]).eval().data();
            const wm = i.w.data(), out = new Float32Array(b * 64 * 3136);
            const run = (o) => { for (let n = 0; n < b; n++) ob.matmul(wm, cols.subarray(n * 576 * 3136, (n + 1) * 576 * 3136), o.subarray(n * 64 * 3136, (n + 1) * 64 * 3136), 64, 576, 3136); };
            return { run: () => run(out), once: () => { const o = new Float32Array(b * 64 * 3136); run(o); return o; } };
          },
          note: ctx.openblas.skipped ? undefined : `${ctx.threads} thread${ctx.threads > 1 ? 's' : ''}, into a preallocated C`,
        },
        {
          ...tfjsCase(ctx, 'tfjs CPU tf.conv2d (NHWC, its layout; transposed back to NCHW for the check)', (tfjs, i) => ({
            x: tfjs.transpose(tfjs.tensor4d(i.x.data(), [i.b, 64, 56, 56]), [0, 2, 3, 1]), w: tfjs.transpose(tfjs.tensor4d(i.w.data(), [64, 64, 3, 3]), [2, 3, 1, 0]),
          }), (tfjs, { x, w }) => tfjs.transpose(tfjs.conv2d(x, w, 1, 'same'), [0, 3, 1, 2]), { tol: MATMUL }),
          n: 2, note: 'N = 2: tfjs CPU is slow',
        },
      ],
    },
    {
      id: 'S1', title: 'the E2 chain on 16 elements: µs per call', dtype: 'float32', memoryBound: false, small: true,
      n: sizes.s1, checkN: sizes.s1,
      size: (n) => ({ elements: n, text: `N = ${n}` }),
      inputs: (n) => pair(tf, n, 'float32'),
      cases: [
        { peer: 'fused', label: 'tensorfuse eval()', make: (i) => ({ run: () => { e2(i).eval(); }, once: () => e2(i).eval().data() }) },
        {
          peer: 'jit', label: 'tensorfuse jit(fn)', tol: EXACT,
          make: (i) => {
            const f = tf.jit((x, y) => e2({ x, y }));
            return { run: () => { f(i.x, i.y); }, once: () => f(i.x, i.y).data() };
          },
        },
        {
          peer: 'fusedChanging', label: 'tensorfuse eval(), the 2 a new number every call',
          make: (i) => {
            const k = changing();
            return { run: () => { e2k(i, k()).eval(); }, once: () => e2(i).eval().data() };
          },
        },
        {
          peer: 'jitNumber', label: 'tensorfuse jit(fn), the 2 a number argument', tol: EXACT,
          make: (i) => {
            const f = tf.jit((x, y, k) => e2k({ x, y }, k));
            return { run: () => { f(i.x, i.y, 2); }, once: () => f(i.x, i.y, 2).data() };
          },
        },
        {
          peer: 'jitChanging', label: 'tensorfuse jit(fn), the 2 a new number every call', tol: EXACT,
          make: (i) => {
            const f = tf.jit((x, y, k) => e2k({ x, y }, k));
            const k = changing();
            // The check traces (and compiles) for a fraction too, the kind of number run() passes.
            return { run: () => { f(i.x, i.y, k()); }, once: () => (f(i.x, i.y, 2.5), f(i.x, i.y, 2).data()) };
          },
        },
        { peer: 'unfused', label: 'tensorfuse unfused C (kernel per op)', make: (i) => ({ run: () => { e2(i).eval({ fuse: false }); }, once: () => e2(i).eval({ fuse: false }).data() }) },
        { peer: 'ref', label: 'tensorfuse reference (TS)', make: (i) => ({ run: () => { e2(i).eval({ backend: 'ts' }); }, once: () => e2(i).eval({ backend: 'ts' }).data() }) },
        { peer: 'jsPerOp', label: 'JS loop per op (6 arrays)', make: (i) => ({ run: () => js.e2PerOp(i.xs, i.ys), once: () => js.e2PerOp(i.xs, i.ys) }) },
        { peer: 'jsFused', label: 'JS loop hand-fused', tol: ULPS, make: (i) => ({ run: () => js.e2Fused(i.xs, i.ys), once: () => js.e2Fused(i.xs, i.ys) }) },
        tfjsCase(ctx, 'tfjs CPU', (tfjs, i) => ({ x: tfjs.tensor1d(i.xs), y: tfjs.tensor1d(i.ys) }),
          (tfjs, { x, y }) => tfjs.add(tfjs.mul(tfjs.relu(tfjs.add(tfjs.mul(x, 2), y)), tfjs.sub(x, y)), 1)),
      ],
    },
  ];
}
