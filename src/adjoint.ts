/**
 * The derivatives of the op table that need more than one line (ops.ts keeps the short ones inline),
 * written with tensor methods only, so that they are lazy graphs of primitives that fuse and can be
 * differentiated again. This module imports the Tensor type, not the class: ops.ts reads it, and
 * tensor.ts reads ops.ts.
 */
import type { Node } from './graph.js';
import type { Shape, View } from './shape.js';
import { sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

const axesOf = (n: Node): number[] => (n.arg as { axes: number[] }).axes;

/** maximum/minimum: `g` to the operand that wins, half of it to each on a tie (the kink rule). */
export const tieShare = (g: Tensor, wins: Tensor, tie: Tensor): Tensor => wins.where(g, tie.where(g.mul(0.5), 0));

/** The last two axes swapped: a view, so the matmul reads its operand transposed, without a copy. */
export function transposeLast(t: Tensor): Tensor {
  const perm = t.shape.map((_, i) => i);
  perm.splice(-2, 2, t.ndim - 1, t.ndim - 2);
  return t.transpose(perm);
}

/** max/min over the node's axes: the cotangent is split equally among the elements equal to the result. */
export function maxVjp(g: Tensor, [x]: readonly Tensor[], y: Tensor, n: Node): Tensor[] {
  const hit = x.eq(y);
  const count = hit.cast(g.dtype).sum(axesOf(n), true);
  return [hit.where(g.div(count), 0)];
}

/**
 * prod: the product of the other elements, exact with zeros: with no zero in a group it is y / x; with
 * one zero it is the product of the nonzero elements at the zero and 0 elsewhere; with two, 0.
 */
export function prodVjp(g: Tensor, [x]: readonly Tensor[], _y: Tensor, n: Node): Tensor[] {
  const axes = axesOf(n);
  const zero = x.eq(0);
  const zeros = zero.cast(x.dtype).sum(axes, true);
  const others = zero.where(1, x).prod(axes, true);
  return [g.mul(zeros.eq(0).where(others.div(x), zero.and(zeros.eq(1)).where(others, 0)))];
}

/** pad: the cotangent of the source is the cotangent of the padded value where the source sits. */
export const padVjp = (g: Tensor, source: Shape, widths: readonly (readonly [number, number])[]): Tensor =>
  g.slice(widths.map(([b]) => b), widths.map(([b], i) => b + source[i]));

const padLast = (t: Tensor, after: number): Tensor => t.pad(t.shape.map((_, i) => (i === t.ndim - 1 ? [0, after] : [0, 0])));
const sliceLast = (t: Tensor, end: number): Tensor => t.slice(t.shape.map((_, i) => (i === t.ndim - 1 ? 0 : null)), t.shape.map((_, i) => (i === t.ndim - 1 ? end : null)));

/**
 * A dim of v to take apart when v reads some element twice other than by broadcasting (an im2col view,
 * whose taps overlap), or -1. From the innermost stride out, the dims so far span `extent` elements;
 * the next one overlaps them when its stride is smaller. Of it and the dims inside it, the shortest is
 * taken apart, so that conv2d's view is taken apart along its KH and KW taps, not along its pixels.
 */
function overlapping(v: View): number {
  const dims = v.shape.flatMap((n, i) => (n > 1 && v.strides[i] !== 0 ? [{ i, n, s: Math.abs(v.strides[i]) }] : []));
  dims.sort((a, b) => b.s - a.s || b.n - a.n);
  let extent = 1;
  for (let k = dims.length - 1; k >= 0; k--) {
    if (extent > dims[k].s) return dims.slice(k).reduce((a, b) => (b.n < a.n ? b : a)).i;
    extent += (dims[k].n - 1) * dims[k].s;
  }
  return -1;
}

/**
 * A view (reshape, transpose, slice, flip, expand, and chains of them) reads element
 * `offset + Σ idx[d]·strides[d]` of its contiguous source; its adjoint sends each cotangent back to that
 * element and adds up those that land on the same one:
 *  1. a broadcast dim (stride 0) reads one element many times: sum the cotangent over it;
 *  2. a reversed dim (negative stride): flip the cotangent, moving the offset to the other end;
 *  3. the dims left (size > 1), ordered by stride, outermost first: a transpose of the cotangent;
 *  4. if they tile the source densely (a reshape, a transpose), that is the answer, reshaped: no copy.
 *     Otherwise (a slice, a step), from the innermost dim out, each dim's elements are spaced `stride`
 *     apart with zeros (a pad of the last axis, then a merge of the two), and the block is padded to
 *     the offset within the source.
 * Views that overlap themselves apart from broadcasts are first taken apart (`overlapping`), so each
 * block fits inside the next stride.
 */
export function viewVjp(g: Tensor, source: Shape, v: View): Tensor {
  const size = sizeOf(source);
  if (sizeOf(v.shape) === 0) return g.reshape([-1]).pad([[0, size]]).reshape(source);
  const unroll = overlapping(v);
  if (unroll >= 0) {
    // One position of that dim at a time (conv2d's taps): each is a view that does not overlap itself.
    const drop = <T>(list: readonly T[]) => list.filter((_, d) => d !== unroll);
    const rest = { shape: drop(v.shape), strides: drop(v.strides) };
    const terms = Array.from({ length: v.shape[unroll] }, (_, i) =>
      viewVjp(g.slice(g.shape.map((_, d) => (d === unroll ? i : null)), g.shape.map((_, d) => (d === unroll ? i + 1 : null))).squeeze(unroll),
        source, { ...rest, offset: v.offset + i * v.strides[unroll] }));
    return terms.reduce((a, b) => a.add(b));
  }
  const spread = v.shape.flatMap((d, i) => (d > 1 && v.strides[i] === 0 ? [i] : []));
  let t = spread.length ? g.sum(spread, true) : g;
  const reversed = v.shape.flatMap((d, i) => (d > 1 && v.strides[i] < 0 ? [i] : []));
  let offset = v.offset;
  for (const i of reversed) offset += (v.shape[i] - 1) * v.strides[i];
  if (reversed.length) t = t.flip(reversed);
  const dims = v.shape.flatMap((n, i) => (n > 1 && v.strides[i] !== 0 ? [{ n, s: Math.abs(v.strides[i]) }] : []));
  const order = dims.map((_, k) => k).sort((a, b) => dims[b].s - dims[a].s);
  t = t.reshape(dims.map((d) => d.n)).transpose(order);
  const sorted = order.map((k) => dims[k]);
  let dense = offset === 0, extent = 1;
  for (let k = sorted.length - 1; k >= 0; k--) {
    dense &&= sorted[k].s === extent;
    extent = sorted[k].n * sorted[k].s;
  }
  if (dense && extent === size) return t.reshape(source);
  t = t.reshape([...t.shape, 1]);
  extent = 1;
  for (let k = sorted.length - 1; k >= 0; k--) {
    const { n, s } = sorted[k];
    if (extent > s) throw new Error(`internal: view ${JSON.stringify(v)} overlaps itself; its adjoint is not a pad`);
    t = padLast(t, s - extent).reshape([...t.shape.slice(0, -2), n * s]);
    extent += (n - 1) * s;
    t = sliceLast(t, extent);
  }
  return t.pad([[offset, size - offset - extent]]).reshape(source);
}
