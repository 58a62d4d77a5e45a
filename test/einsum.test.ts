// einsum and tensordot (issue 15). Every expected value was printed by numpy 1.24 (/usr/bin/python3) for
// `np.einsum(subscripts, *operands)` (or the np.tensordot expression in the row), with each operand
// `seq(shape, dtype)`: ((np.arange(n) * 5 + 3) % 11) - 5 in row-major order (bool: > 0). The script is
// kept in no file; each row names its numpy call. Rows run on the reference, fused C and unfused C.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DType, Tensor } from '../src/index.js';
import { concat, einsum, grad, rand, ShapeError, tensor, tensordot, TensorError } from '../src/index.js';
import { expectValues, propertyRuns, TS } from './helpers.js';

function seq(shape: number[], dtype: DType): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => ((i * 5 + 3) % 11) - 5);
  return dtype === 'bool' ? tensor(v.map((x) => x > 0), { shape }) : tensor(v, { dtype, shape });
}

/** [subscripts, operands as [shape, dtype], numpy's dtype, shape and values]. */
const ROWS: [string, [number[], DType][], DType, number[], number[]][] = [
  ['ij,jk->ik', [[[2, 3], 'float64'], [[3, 4], 'float64']], 'float64', [2, 4], [-23.0, 0.0, -21.0, 2.0, 17.0, 1.0, 18.0, 2.0]],
  ['ij,jk', [[[2, 3], 'float64'], [[3, 4], 'float64']], 'float64', [2, 4], [-23.0, 0.0, -21.0, 2.0, 17.0, 1.0, 18.0, 2.0]],
  ['bij,bjk->bik', [[[2, 3, 4], 'float64'], [[2, 4, 5], 'float64']], 'float64', [2, 3, 5], [-13.0, -13.0, -13.0, 20.0, 9.0, -11.0, -7.0, -3.0, 12.0, 5.0, 13.0, 10.0, 7.0, -7.0, -21.0, 13.0, 14.0, 15.0, 16.0, 17.0, -26.0, 34.0, -27.0, 33.0, -28.0, -10.0, -12.0, -14.0, -16.0, -18.0]],
  ['i,i->', [[[5], 'float64'], [[5], 'float64']], 'float64', [], [42.0]],
  ['i,i', [[[5], 'float64'], [[5], 'float64']], 'float64', [], [42.0]],
  ['ii->', [[[3, 3], 'float64']], 'float64', [], [-1.0]],
  ['ii->i', [[[3, 3], 'float64']], 'float64', [3], [-2.0, -4.0, 5.0]],
  ['ii', [[[3, 3], 'float64']], 'float64', [], [-1.0]],
  ['ij->ji', [[[2, 3], 'float64']], 'float64', [3, 2], [-2.0, 2.0, 3.0, -4.0, -3.0, 1.0]],
  ['ji', [[[2, 3], 'float64']], 'float64', [3, 2], [-2.0, 2.0, 3.0, -4.0, -3.0, 1.0]],
  ['ij->', [[[2, 3], 'float64']], 'float64', [], [-3.0]],
  ['ij->j', [[[2, 3], 'float64']], 'float64', [3], [0.0, -1.0, -2.0]],
  ['i,j->ij', [[[2], 'float64'], [[3], 'float64']], 'float64', [2, 3], [4.0, -6.0, 6.0, -6.0, 9.0, -9.0]],
  ['ij,j->i', [[[2, 3], 'float64'], [[3], 'float64']], 'float64', [2], [22.0, -19.0]],
  ['...ij,...jk->...ik', [[[2, 1, 2, 3], 'float64'], [[3, 3, 4], 'float64']], 'float64', [2, 3, 2, 4], [-23.0, 0.0, -21.0, 2.0, 17.0, 1.0, 18.0, 2.0, 0.0, -21.0, 2.0, 14.0, 1.0, 18.0, 2.0, -25.0, -21.0, 2.0, 14.0, 4.0, 18.0, 2.0, -25.0, 3.0, 35.0, -20.0, 35.0, -20.0, -24.0, 3.0, -25.0, 2.0, -20.0, 35.0, -20.0, 35.0, 3.0, -25.0, 2.0, 18.0, 35.0, -20.0, 35.0, -20.0, -25.0, 2.0, 18.0, 1.0]],
  ['...i,...i', [[[2, 3], 'float64'], [[3], 'float64']], 'float64', [2], [22.0, -19.0]],
  ['i...->...', [[[2, 3, 4], 'float64']], 'float64', [3, 4], [1.0, 0.0, -1.0, -2.0, -3.0, -4.0, -5.0, 5.0, 4.0, 3.0, 2.0, 1.0]],
  ['...ij->...ji', [[[2, 2, 3], 'float64']], 'float64', [2, 3, 2], [-2.0, 2.0, 3.0, -4.0, -3.0, 1.0, -5.0, -1.0, 0.0, 4.0, 5.0, -2.0]],
  ['ij...', [[[2, 3, 2], 'float64']], 'float64', [2, 2, 3], [-2.0, -3.0, -4.0, -5.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0, -1.0, -2.0]],
  ['j...i', [[[2, 3, 2], 'float64']], 'float64', [3, 2, 2], [-2.0, -5.0, 3.0, 0.0, -3.0, 5.0, 2.0, -1.0, -4.0, 4.0, 1.0, -2.0]],
  ['ij,ij->ij', [[[1, 3], 'float64'], [[2, 3], 'float64']], 'float64', [2, 3], [4.0, 9.0, 9.0, -4.0, -12.0, -3.0]],
  ['ij,jk', [[[2, 1], 'float64'], [[3, 4], 'float64']], 'float64', [2, 4], [2.0, -6.0, 8.0, 0.0, -3.0, 9.0, -12.0, 0.0]],
  ['ijk,jil->kl', [[[2, 3, 4], 'float64'], [[3, 2, 2], 'float64']], 'float64', [4, 2], [27.0, -7.0, 35.0, -3.0, 32.0, -10.0, -15.0, -6.0]],
  ['abc,cd,de->abe', [[[2, 2, 3], 'float64'], [[3, 4], 'float64'], [[4, 2], 'float64']], 'float64', [2, 2, 2], [120.0, -90.0, -119.0, 71.0, -50.0, 100.0, 129.0, -91.0]],
  ['ab,bc,cd,de->ae', [[[2, 3], 'float64'], [[3, 4], 'float64'], [[4, 2], 'float64'], [[2, 3], 'float64']], 'float64', [2, 3], [-420.0, 720.0, -450.0, 380.0, -641.0, 428.0]],
  ['iij->j', [[[3, 3, 2], 'float64']], 'float64', [2], [4.0, -3.0]],
  ['iji->j', [[[3, 2, 3], 'float64']], 'float64', [2], [0.0, 1.0]],
  ['iii->i', [[[2, 2, 2], 'float64']], 'float64', [2], [-2.0, 0.0]],
  ['i,i,i->', [[[4], 'float64'], [[4], 'float64'], [[4], 'float64']], 'float64', [], [0.0]],
  ['ij,ij,ij->', [[[2, 3], 'float64'], [[2, 3], 'float64'], [[2, 3], 'float64']], 'float64', [], [-63.0]],
  ['ij,jk->ik', [[[2, 3], 'int32'], [[3, 4], 'int32']], 'int32', [2, 4], [-23.0, 0.0, -21.0, 2.0, 17.0, 1.0, 18.0, 2.0]],
  ['ij->i', [[[2, 3], 'int32']], 'int32', [2], [-2.0, -1.0]],
  ['i,i->', [[[4], 'bool'], [[4], 'bool']], 'bool', [], [1]],
  ['ij,jk->ik', [[[2, 3], 'bool'], [[3, 2], 'bool']], 'bool', [2, 2], [0, 1, 0, 1]],
  ['ij,jk->ik', [[[2, 3], 'int32'], [[3, 4], 'float64']], 'float64', [2, 4], [-23.0, 0.0, -21.0, 2.0, 17.0, 1.0, 18.0, 2.0]],
  ['ij,jk->ik', [[[2, 3], 'bool'], [[3, 4], 'int32']], 'int32', [2, 4], [-4.0, 1.0, -5.0, 0.0, 3.0, 2.0, 1.0, 0.0]],
  ['ij,jk->ik', [[[2, 3], 'float32'], [[3, 4], 'float32']], 'float32', [2, 4], [-23.0, 0.0, -21.0, 2.0, 17.0, 1.0, 18.0, 2.0]],
  ['ij,jk->ik', [[[2, 3], 'float32'], [[3, 4], 'float64']], 'float64', [2, 4], [-23.0, 0.0, -21.0, 2.0, 17.0, 1.0, 18.0, 2.0]],
  [',i->i', [[[], 'float64'], [[3], 'float64']], 'float64', [3], [4.0, -6.0, 6.0]],
  ['i->', [[[0], 'float64']], 'float64', [], [0.0]],
  ['ij,jk->ik', [[[2, 3], 'float64'], [[3, 0], 'float64']], 'float64', [2, 0], []],
  ['ij,jk->ik', [[[2, 0], 'float64'], [[0, 3], 'float64']], 'float64', [2, 3], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]],
  ['bi,bi->b', [[[3, 4], 'float64'], [[3, 4], 'float64']], 'float64', [3], [26.0, 42.0, 46.0]],
  ['ba,cb->ac', [[[3, 2], 'float64'], [[4, 3], 'float64']], 'float64', [2, 4], [7.0, 4.0, -10.0, -2.0, -3.0, -1.0, -10.0, 3.0]],
  // Our promotion (README: bool < int32 < float32 < float64) makes int32 with float32 float32; numpy gives float64.
  ['ij,jk->ik', [[[2, 3], 'int32'], [[3, 4], 'float32']], 'float32', [2, 4], [-23.0, 0.0, -21.0, 2.0, 17.0, 1.0, 18.0, 2.0]],
];

/**
 * Zeros compared without their sign: einsum factors sums out of products where numpy's loop does not
 * (a·Σb against Σ a·b), which can turn numpy's +0 into -0.
 */
const unsigned = (v: ArrayLike<number>): number[] => Array.from(v, (x) => x + 0);

/** All results flattened into one float64 vector: one program (one compile) per backend. */
const joined = (ts: Tensor[]): Tensor => concat(ts.map((t) => t.cast('float64').flatten()));

describe('einsum against numpy', () => {
  const built = () => ROWS.map(([s, ops]) => einsum(s, ...ops.map(([sh, d]) => seq(sh, d))));
  it.each(ROWS)('np.einsum(%j, ...): dtype, shape, values (reference)', (s, ops, dtype, shape, values) => {
    const r = einsum(s, ...ops.map(([sh, d]) => seq(sh, d)));
    expect([r.dtype, r.shape]).toEqual([dtype, shape]);
    expectValues(unsigned(r.eval(TS).data()), unsigned(values), `einsum('${s}')`);
  });
  // Unfused C compiles a kernel per op (~8 s for every row here): every third row.
  for (const fuse of [true, false]) {
    it(`${fuse ? 'every row' : 'every third row'} on C ${fuse ? 'fused' : 'unfused'} (one program)`, () => {
      const pick = <T>(xs: T[]) => xs.filter((_, i) => fuse || i % 3 === 0);
      const all = joined(pick(built())).eval({ backend: 'c', fuse });
      expectValues(unsigned(all.data()), unsigned(pick(ROWS).flatMap((r) => r[4])), `C ${fuse ? 'fused' : 'unfused'}`);
    });
  }

  it('int32 contractions wrap as numpy int32 does', () => {
    const a = tensor([2 ** 30, 2 ** 30], { dtype: 'int32' }), b = tensor([4, 4], { dtype: 'int32' });
    // np.einsum('i,i->', np.array([2**30]*2, np.int32), np.array([4, 4], np.int32)) == 0
    expect(einsum('i,i->', a, b).eval(TS).item()).toBe(0);
    // np.einsum('i,i->', np.array([2**30]*3, np.int32), np.array([3, 3, 1], np.int32)) == -1073741824
    const c = tensor([2 ** 30, 2 ** 30, 2 ** 30], { dtype: 'int32' }), d = tensor([3, 3, 1], { dtype: 'int32' });
    expect(einsum('i,i->', c, d).eval(TS).item()).toBe(-1073741824);
    expect(einsum('i,i->', c, d).eval({ backend: 'c' }).item()).toBe(-1073741824);
  });

  it('accepts spaces and JS arrays and numbers as operands', () => {
    expect(einsum(' i j -> j ', [[1, 2, 3], [4, 5, 6]]).eval(TS).toArray()).toEqual([5, 7, 9]); // np.einsum(' i j -> j ', ...)
    expect(einsum(',i->i', 2, [1, 2]).eval(TS).toArray()).toEqual([2, 4]);
  });
});

describe('tensordot against numpy', () => {
  const A = () => seq([2, 3, 4], 'float64'), B = () => seq([3, 4, 2], 'float64'), C = () => seq([4, 3], 'float64');
  const CASES: [string, () => Tensor, number[], number[]][] = [
    ['np.tensordot(A, B)', () => tensordot(A(), B()), [2, 2], [-29.0, -6.0, 5.0, 20.0]],
    ['np.tensordot(A, C, 1)', () => tensordot(A(), C(), 1), [2, 3, 3], [23.0, -10.0, -10.0, 35.0, -16.0, -12.0, -30.0, 11.0, 8.0, -18.0, 5.0, 6.0, -17.0, 43.0, -18.0, 17.0, -7.0, -9.0]],
    ['np.tensordot(C, C, 0)', () => tensordot(C(), C(), 0), [4, 3, 4, 3], [4.0, -6.0, 6.0, -4.0, 8.0, -2.0, 10.0, 0.0, -10.0, 2.0, -8.0, 4.0, -6.0, 9.0, -9.0, 6.0, -12.0, 3.0, -15.0, 0.0, 15.0, -3.0, 12.0, -6.0, 6.0, -9.0, 9.0, -6.0, 12.0, -3.0, 15.0, 0.0, -15.0, 3.0, -12.0, 6.0, -4.0, 6.0, -6.0, 4.0, -8.0, 2.0, -10.0, 0.0, 10.0, -2.0, 8.0, -4.0, 8.0, -12.0, 12.0, -8.0, 16.0, -4.0, 20.0, 0.0, -20.0, 4.0, -16.0, 8.0, -2.0, 3.0, -3.0, 2.0, -4.0, 1.0, -5.0, 0.0, 5.0, -1.0, 4.0, -2.0, 10.0, -15.0, 15.0, -10.0, 20.0, -5.0, 25.0, 0.0, -25.0, 5.0, -20.0, 10.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -10.0, 15.0, -15.0, 10.0, -20.0, 5.0, -25.0, 0.0, 25.0, -5.0, 20.0, -10.0, 2.0, -3.0, 3.0, -2.0, 4.0, -1.0, 5.0, 0.0, -5.0, 1.0, -4.0, 2.0, -8.0, 12.0, -12.0, 8.0, -16.0, 4.0, -20.0, 0.0, 20.0, -4.0, 16.0, -8.0, 4.0, -6.0, 6.0, -4.0, 8.0, -2.0, 10.0, 0.0, -10.0, 2.0, -8.0, 4.0]],
    ['np.tensordot(A, C, [[1, 2], [1, 0]])', () => tensordot(A(), C(), [[1, 2], [1, 0]]), [2], [15.0, 16.0]],
    ['np.tensordot(A, B, [1, 0])', () => tensordot(A(), B(), [1, 0]), [2, 4, 4, 2], [-11.0, -27.0, -10.0, 29.0, -9.0, 30.0, -8.0, 31.0, -2.0, 13.0, -5.0, -1.0, -8.0, -4.0, -11.0, -7.0, -15.0, -24.0, -11.0, 24.0, -7.0, 28.0, -3.0, 32.0, -6.0, 16.0, -6.0, -6.0, -6.0, -6.0, -6.0, -6.0, -2.0, 13.0, -5.0, -1.0, -8.0, -4.0, -11.0, -7.0, -15.0, -24.0, -11.0, 24.0, -7.0, 28.0, -3.0, 32.0, -6.0, 16.0, -6.0, -6.0, -6.0, -6.0, -6.0, -6.0, 36.0, -32.0, 32.0, -3.0, 28.0, -7.0, 24.0, -11.0]],
    ['np.tensordot(A, B, [[-1], [1]])', () => tensordot(A(), B(), [[-1], [1]]), [2, 3, 3, 2], [-3.0, -3.0, -3.0, -3.0, -3.0, 19.0, 25.0, -15.0, -31.0, 17.0, 1.0, 5.0, -13.0, 17.0, 29.0, -7.0, 5.0, -20.0, 15.0, 5.0, 1.0, 13.0, 9.0, -34.0, -12.0, -7.0, -5.0, -11.0, -9.0, -15.0, -17.0, 3.0, 11.0, -13.0, -5.0, 26.0]],
  ];
  it.each(CASES)('%s', (_name, call, shape, values) => {
    const r = call();
    expect(r.shape).toEqual(shape);
    expectValues(unsigned(r.eval(TS).data()), unsigned(values), _name);
  });
  it('on C (one program)', () => {
    expectValues(unsigned(joined(CASES.map((c) => c[1]())).eval({ backend: 'c' }).data()), unsigned(CASES.flatMap((c) => c[3])), 'tensordot on C');
  });
});

describe('einsum lowering', () => {
  it("'bij,bjk->bik' is the blocked matmul; 'i,i->' one fused mul+sum kernel", () => {
    const a = rand([4, 8, 16], { seed: 1 }), b = rand([4, 16, 8], { seed: 2 });
    const plan = einsum('bij,bjk->bik', a, b).explain();
    expect(plan).toMatch(/kernel \S+: fuses [^\n]*matmul/);
    expect(einsum('bij,bjk->bik', a, b).node.op === 'matmul' || /matmul/.test(plan)).toBe(true);
    const x = rand([1000], { seed: 3 }), y = rand([1000], { seed: 4 });
    const dot = einsum('i,i->', x, y);
    expect(dot.explain()).toMatch(/^program: 1 kernel /);
    expect(dot.explain()).toMatch(/kernel \S+: fuses sum\n {2}out0 = sum\(mul\(rand\(seed c0\), rand\(seed c1\)\)\)/);
    expect(dot.explain()).not.toMatch(/matmul/);
  });

  it("a chain 'ij,jk,kl->il' is two matmuls, the last one writing the output (no transposed copy)", () => {
    const plan = einsum('ij,jk,kl->il', rand([8, 16], { seed: 1 }).eval(), rand([16, 4], { seed: 2 }).eval(), rand([4, 3], { seed: 3 }).eval()).explain();
    expect(plan).toMatch(/^program: 2 kernels [^]*kernel M0_\S+: fuses matmul\n[^]*kernel M1_8_3: fuses matmul\n/);
  });

  it("'ii->i' is a view of the operand's storage (no kernel of its own)", () => {
    const m = seq([3, 3], 'float64');
    const d = einsum('ii->i', m);
    expect(d.node.op).toBe('view');
    expect(d.node.src[0]).toBe(m.node);
  });
});

describe('einsum gradients', () => {
  it("flow through matmul lowering: d/dx einsum('ij,jk->', x, B) = B.sum(1) on every row", () => {
    const B = seq([3, 4], 'float64');
    const g = grad((x: Tensor) => einsum('ij,jk->', x, B), { argnums: 0 })(seq([2, 3], 'float64'));
    // np.tile(seq((3,4)).sum(1), (2, 1)).ravel()
    expectValues(g.eval(TS).data(), [0, -8, 6, 0, -8, 6], 'grad');
  });
  it("and through a diagonal: d/dx einsum('ii->', x) = eye", () => {
    const g = grad((x: Tensor) => einsum('ii->', x), { argnums: 0 })(seq([3, 3], 'float64'));
    expectValues(g.eval(TS).data(), [1, 0, 0, 0, 1, 0, 0, 0, 1], 'grad of trace');
  });
});

describe('einsum errors name the op and what was wrong', () => {
  const m = seq([2, 3], 'float64');
  const CASES: [string, () => unknown, RegExp][] = [
    ['too few operands', () => einsum('ij,jk', m), /^einsum: subscripts "ij,jk" name 2 operands but 1 was given/],
    ['too many operands', () => einsum('ij', m, m), /^einsum: subscripts "ij" name 1 operand but 2 were given/],
    ['not a letter', () => einsum('i1', m), /^einsum: invalid subscript "1" in the subscripts of operand 0 \('i1'\)/],
    ['a lone dot', () => einsum('i.j', m), /^einsum: .*'\.' that is not part of an ellipsis/],
    ['two arrows', () => einsum('ij->i->', m), /^einsum: .*more than one '->'/],
    ['a stray >', () => einsum('ij>i', m), /^einsum: a '-' or '>'/],
    ['too many letters', () => einsum('ijk', m), /^einsum: operand 0 \('ijk'\) names 3 dims but the operand has shape \[2,3\]/],
    ['sizes differ', () => einsum('ij,jk->ik', m, seq([4, 2], 'float64')), /^einsum: index 'j' has size 3 in operand 0 but 4 in operand 1/],
    ['repeated index of unequal sizes', () => einsum('ii', m), /^einsum: operand 0 repeats index 'i' over dims of sizes 2 and 3/],
    ['unknown output letter', () => einsum('ij->k', m), /^einsum: the output subscript 'k' appears in no operand/],
    ['repeated output letter', () => einsum('ij->ii', m), /^einsum: the output subscripts name 'i' more than once/],
    ['broadcast dims without ... in the output', () => einsum('...i->i', m), /^einsum: .*no '\.\.\.' to put them/],
    ['two ellipses', () => einsum('......', m), /^einsum: .*more than one ellipsis/],
    ['not a string', () => einsum(5 as never, m), /^einsum: the first argument must be a subscripts string/],
    ['not an operand', () => einsum('i', {} as never), /^einsum: expected a Tensor/],
    ['tensordot sizes', () => tensordot(m, m, 1), /^tensordot: axis 1 of a \[2,3\] has size 3 but axis 0 of b \[2,3\] has size 2/],
    ['tensordot axes', () => tensordot(m, m, 3), /^tensordot: axes = 3 must be an integer from 0 to min\(2, 2\)/],
    ['tensordot pairs', () => tensordot(m, m, [[0], [0, 1]]), /^tensordot: 1 axes of a against 2 axes of b/],
    ['tensordot axis range', () => tensordot(m, m, [[5], [0]]), /^tensordot: the axes of a must be integers in \[-2, 2\)/],
  ];
  it.each(CASES)('%s', (_n, call, message) => {
    expect(call).toThrow(TensorError);
    expect(call).toThrow(message);
  });
  it('shape errors are ShapeErrors', () => {
    expect(() => einsum('ij,jk->ik', m, m)).toThrow(ShapeError);
    expect(() => einsum('i1', m)).toThrow(ShapeError);
  });
});

// ---- property: random expressions against nested loops over every index assignment ---------------

interface Spec { sizes: number[]; ops: { letters: number[]; ones: boolean[]; dtype: 'float64' | 'int32' }[]; out: number[] | null; seed: number }

const LETTERS = 'abcd';
const specArb: fc.Arbitrary<Spec> = fc.record({
  sizes: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }),
  ops: fc.array(fc.record({
    letters: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
    ones: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    dtype: fc.constantFrom('float64' as const, 'int32' as const),
  }), { minLength: 1, maxLength: 4 }),
  out: fc.option(fc.shuffledSubarray([0, 1, 2, 3])),
  seed: fc.integer({ min: 0, max: 1000 }),
}).map((s) => {
  const seen = new Set(s.ops.flatMap((o) => o.letters));
  return { ...s, out: s.out === null ? null : s.out.filter((l) => seen.has(l)) };
});

/** An operand's dim for letter l: the letter's size, or 1 where `ones` says (size-1 broadcasting). */
const dimOf = (s: Spec, k: number, l: number) => (s.ops[k].ones[l] ? 1 : s.sizes[l]);

function build(s: Spec): { subs: string; operands: Tensor[]; values: number[][] } {
  const values: number[][] = [];
  const operands = s.ops.map((o, k) => {
    const shape = o.letters.map((l) => dimOf(s, k, l));
    const n = shape.reduce((a, b) => a * b, 1);
    const v = Array.from({ length: n }, (_, i) => ((i * 7 + s.seed + k * 3) % 7) - 3);
    values.push(v);
    return tensor(v, { dtype: o.dtype, shape });
  });
  const side = (ls: number[]) => ls.map((l) => LETTERS[l]).join('');
  const subs = s.ops.map((o) => side(o.letters)).join(',') + (s.out === null ? '' : `->${side(s.out)}`);
  return { subs, operands, values };
}

/** The definition: for every assignment of every letter, the product of the operands' elements, summed into the output. */
function naive(s: Spec, values: number[][]): { shape: number[]; data: number[] } {
  const letters = [...new Set(s.ops.flatMap((o) => o.letters))].sort((a, b) => a - b);
  // A letter's size is the one that is not 1 (numpy broadcasting: 1 against 0 is 0).
  const size = (l: number) => s.ops.flatMap((o, k) => (o.letters.includes(l) ? [dimOf(s, k, l)] : [])).find((d) => d !== 1) ?? 1;
  const counts = (l: number) => s.ops.reduce((n, o) => n + o.letters.filter((x) => x === l).length, 0);
  const out = s.out ?? letters.filter((l) => counts(l) === 1);
  const shape = out.map(size);
  const data = new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0);
  const at = new Map<number, number>();
  const walk = (i: number): void => {
    if (i === letters.length) {
      let p = 1;
      s.ops.forEach((o, k) => {
        let flat = 0;
        o.letters.forEach((l) => { const d = dimOf(s, k, l); flat = flat * d + (d === 1 ? 0 : at.get(l)!); });
        p *= values[k][flat];
      });
      let o = 0;
      out.forEach((l, j) => { o = o * shape[j] + at.get(l)!; });
      data[o] += p;
      return;
    }
    for (let v = 0; v < size(letters[i]); v++) { at.set(letters[i], v); walk(i + 1); }
  };
  walk(0);
  return { shape, data: data.map((x) => x + 0) }; // -0 sums: numpy's zero-initialized output is +0
}

describe('einsum property: random expressions = nested loops', () => {
  it('on the reference backend', () => {
    fc.assert(fc.property(specArb, (s) => {
      const { subs, operands, values } = build(s);
      const want = naive(s, values);
      const r = einsum(subs, ...operands);
      expect(r.shape, subs).toEqual(want.shape);
      expect(r.dtype, subs).toBe(s.ops.some((o) => o.dtype === 'float64') ? 'float64' : 'int32');
      expectValues(Array.from(r.eval(TS).data(), (x) => x + 0), want.data, `${subs} on ${s.ops.map((o) => o.dtype).join(',')}`);
    }), { numRuns: propertyRuns(150) });
  });

  for (const fuse of [true, false]) {
    it(`on C ${fuse ? 'fused' : 'unfused'} (a batch in one program)`, () => {
      const specs = fc.sample(specArb, { numRuns: propertyRuns(fuse ? 25 : 10), seed: fuse ? 15 : 16 });
      const cases = specs.map((s) => ({ s, ...build(s) }));
      const results = cases.map((c) => einsum(c.subs, ...c.operands));
      const all = joined(results).eval({ backend: 'c', fuse });
      const want = cases.flatMap((c) => naive(c.s, c.values).data);
      expectValues(Array.from(all.data(), (x) => x + 0), want, cases.map((c) => c.subs).join(' '));
    });
  }
});
