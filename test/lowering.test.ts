// Lowering (src/codegen/lower.ts): each kernel's decisions as plain data with their reasons, printed by
// explain(); the C writer follows them.
import { describe, expect, it } from 'vitest';
import { loweredFor } from '../src/explain.js';
import type { Tensor } from '../src/index.js';
import { rand, stats, tensor } from '../src/index.js';

const x = rand([512, 1024], { seed: 1, dtype: 'float32' }).eval();

describe('explain() shows each reduction strategy and why', () => {
  const rows: [string, () => string, RegExp][] = [
    ['row sum x[512,1024].sum(1)', () => x.sum(1).explain(), /reduction: row — reduced axis 1 is innermost: each result folds 1024 contiguous elements, 16 lanes/],
    ['column sum .sum(0)', () => x.sum(0).explain(), /reduction: column — reduced axis 0 is outer, inner extent 1024 is contiguous: one accumulator per column/],
    ['full sum .sum() (2^19 elements: split)', () => x.sum().explain(), /reduction: split — 524288 elements to one value \(at least 2\^18\): 64 chunks of axis 0 that threads take whole/],
    ['small full sum', () => rand([100], { seed: 2, dtype: 'float32' }).eval().sum().explain(), /reduction: full — 100 elements to one value, fewer than 2\^18 to split across threads: one loop, 16 lanes/],
  ];
  it.each(rows)('%s', (_, plan, want) => {
    const text = plan();
    expect(text, text).toMatch(want);
    expect(text, text).toMatch(/\n {2}parallel: (threads take|serial)/);
  });

  it('a flat kernel says how it stores', () => {
    const y = rand([1 << 21], { seed: 3, dtype: 'float32' }); // an 8 MB output: a large program
    expect(y.mul(2).explain()).toMatch(/size: {4}large — output out0 has 8388608 bytes[^]*loop: flat — [^]*store: streamed — a program output written by a flat loop/);
  });

  it('a small program is compiled without the parallel region, streaming blocks and page advice; the same graph at 8 MB has them', () => {
    const at = (n: number) => rand([n], { seed: 3, dtype: 'float32' }).mul(2).add(1);
    const small = at(1 << 12);
    expect(small.explain()).toMatch(/size: {4}small — every kernel runs on one thread at these sizes and every output is under 8 MB[^]*store: plain — the program is small/);
    const c = small.toC();
    for (const absent of ['#pragma omp parallel', 'omp.h', 'sys/mman.h', 'tf_hugepages', 'tf_stream_', 'TF_BLOCK']) expect(c).not.toContain(absent);
    expect(c).toContain('if (n > 0) k(0, n, b, s);');
    const large = at(1 << 21).toC();
    for (const present of ['#pragma omp parallel', '#include <omp.h>', 'tf_hugepages(p0', 'tf_stream_float(out0']) expect(large).toContain(present);
    // Work, not bytes, can make a program large too: a sort of 2^14 float32 rows (64 KB) splits across threads.
    const sorted = rand([64, 256], { seed: 4, dtype: 'float32' }).sort(1);
    expect(sorted.explain()).toMatch(/size: {4}large — \w+ splits across threads/);
    expect(sorted.toC()).toContain('#pragma omp parallel');
  });
});

describe('the lowered program is plain, small data', () => {
  const n = 1 << 24;
  const a = rand([n], { seed: 1, dtype: 'float32' }).eval(), b = rand([n], { seed: 2, dtype: 'float32' }).eval();
  const e2 = a.mul(2).add(b).relu().mul(a.sub(b)).add(1);

  it('the E2 chain on 2^24 float32 lowers to under 4 KB of JSON, and reads back equal', () => {
    const low = loweredFor([e2.node]);
    const json = JSON.stringify(low);
    expect(json.length).toBeLessThan(4096);
    expect(JSON.parse(json)).toEqual(low);
    expect(low.kernels.map((k) => [k.name, k.loop.kind, k.store.kind, k.parallel.outer])).toEqual([['E0_flat', 'flat', 'streamed', 'runtime']]);
  });

  it('a reduction declares its accumulators as data, and its threads as numbers', () => {
    const [k] = loweredFor([rand([512, 1024], { seed: 1 }).eval().sum(1).node]).kernels;
    expect(k.reduction).toMatchObject({ kind: 'row', axes: [1], lanes: 8, chunks: 0 });
    expect(k.reduction!.accumulators).toEqual([{ name: 'acc', type: 'double', init: '0' }, { name: 'comp', type: 'double', init: '0' }]);
    // a row of 1024 float64: 8 bytes and a compensated step each, 1024 × (0.08 + 0.2) ns = 287 ns,
    // so 35 rows make the 10 µs a thread must get (src/codegen/cost.ts)
    expect(k.parallel).toMatchObject({ outer: 512, grain: 35, align: 1 });
  });

  it('row groups are lowered with their reason', () => {
    const low = loweredFor([x.sub(x.mean(1, true)).node]);
    expect(low.groups).toHaveLength(1);
    expect(low.groups[0]).toMatchObject({ name: 'G0_R0E1', members: [0, 1], rows: 512 });
    expect(low.groups[0].reason).toMatch(/walk the same 512 rows/);
    expect(x.sub(x.mean(1, true)).explain()).toMatch(/^rows: R0_512_1, E1_512_1024 run together as G0_R0E1, 31 rows at a time per thread: they walk the same 512 rows/m);
  });
});

// Issue 17 §6: threads are chosen by estimated time (bytes, the op table's costs, the loop kind), not by
// a count of elements of any kind (2 × 65536 before). The figures are cost.ts's, computed by hand here.
describe('threads by work', () => {
  const f32 = (shape: number[], seed = 1) => rand(shape, { seed, dtype: 'float32' }).eval();
  const parallelOf = (t: Tensor, i = 0) => loweredFor([t.node]).kernels[i].parallel;

  it('a flat loop splits from fewer elements when each costs more: exp against add', () => {
    const a = f32([1 << 12]), b = f32([1 << 12], 2);
    // add: 12 bytes (0.12 ns) + one cheap op (0.01 ns): 10000 / 0.13 = 76924 elements per thread
    expect(parallelOf(a.add(b))).toMatchObject({ outer: 'runtime', grain: 76924, align: 16 });
    // exp: 8 bytes (0.08 ns) + a libm call of cost 8 (0.24 ns): 10000 / 0.32 = 31250
    expect(parallelOf(a.exp())).toMatchObject({ outer: 'runtime', grain: 31250, align: 16 });
  });

  it('a sort of 16 rows of 256 splits (8 ns an element: 33 µs in all), a row sum of 4 rows does not', () => {
    expect(parallelOf(f32([16, 256]).argsort(1))).toMatchObject({ outer: 16, grain: 5 });
    expect(f32([16, 256]).argsort(1).explain()).toMatch(/parallel: threads take the 16 rows, at least 5 each \(~33 µs on one thread/);
    // 4 × 256 float32 at 4 bytes + one fold each (0.04 + 0.07 ns): 113 ns in all
    const sum = parallelOf(f32([4, 256]).sum(1));
    expect(sum.outer).toBeLessThan(2 * sum.grain);
    expect(f32([4, 256]).sum(1).explain()).toMatch(/parallel: serial: 4 rows, ~113 ns on one thread/);
  });

  it('a mean splits like the sum it divides (its epilogue does not make it look small)', () => {
    const mean = parallelOf(x.mean(1)), sum = parallelOf(x.sum(1));
    expect(mean.outer).toBe(512);
    expect(mean.outer).toBeGreaterThanOrEqual(2 * mean.grain);
    expect(mean.grain).toBeLessThanOrEqual(sum.grain); // (its division adds a little work per row)
    expect(mean.grain).toBeGreaterThan(sum.grain * 0.9);
  });
});

describe('flat loops', () => {
  it('a 0-d tensor broadcast over a flat loop keeps it flat: one compile serves every length', () => {
    const k = tensor(2.5, { dtype: 'float32' });
    const f = (t: Tensor) => t.mul(k).add(1);
    const a = rand([1000], { seed: 3, dtype: 'float32' }).eval(), b = rand([3001], { seed: 4, dtype: 'float32' }).eval();
    expect(f(a).explain()).toMatch(/^kernel E0_flat \(flat loop, length at run time\)/m);
    expect(f(a).explain()).toMatch(/loop: flat — one loop over a length given at run time \(every load at the output's own position, or of one element broadcast\)/);
    expect(Array.from(f(a).eval().data())).toEqual(Array.from(f(a).eval({ backend: 'ts' }).data()));
    const before = stats().compiles;
    expect(Array.from(f(b).eval().data())).toEqual(Array.from(f(b).eval({ backend: 'ts' }).data()));
    expect(stats().compiles, 'the other length compiled again').toBe(before);
  });
});
