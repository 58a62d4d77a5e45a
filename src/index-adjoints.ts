/**
 * The derivatives of gather and scatter (autodiff.ts asks the op table, which asks these through
 * indexops.ts's setIndexAdjoints): a gather's is a scatter-add, a scatter's depends on how it combines.
 */
import type { GatherArg, ScatterArg } from './indexops.js';
import { INDEX_DTYPE, setIndexAdjoints } from './indexops.js';
import { TensorError } from './errors.js';
import type { Advanced } from './index-at.js';
import { gatherNode, scatterNode } from './index-at.js';
import { scatterCombine } from './ops.js';
import type { View } from './shape.js';
import { contiguousView, sizeOf } from './shape.js';
import { fromView, iota, Tensor } from './tensor.js';
import { full, zeros } from './create.js';

/** The gather of `src` (at `view` of it) with the index tensors and arg of gather or scatter node `n`. */
function gatherOf(src: Tensor, view: View, idx: readonly Tensor[], arg: GatherArg): Tensor {
  return new Tensor(gatherNode(fromView(src.node, view, src.dtype).node, view.shape, idx, arg));
}

setIndexAdjoints({
  // x[idx] reads each position once per index: its cotangent adds g at every position read (np.add.at).
  gather: (g, [x, ...idx], _out, n) => {
    const arg = n.arg as unknown as GatherArg;
    return [scatterNode(zeros(x.shape, g.dtype), contiguousView(x.shape), { source: x, idx, arg }, g, 'add'), ...idx.map(() => undefined)];
  },
  // A write replaces the base where it lands (only the last duplicate's value survives); an `add` keeps both.
  scatter: (g, [base, values, ...idx], out, n) => {
    const arg = n.arg as unknown as ScatterArg;
    const adv: Advanced = { source: base, idx, arg: { axes: arg.axes, at: arg.at } };
    const read = gatherOf(g, arg.view, idx, adv.arg);
    const combine = scatterCombine(arg);
    const fold = combine === undefined ? 'set' : combine.scatterFold;
    if (fold === 'sum') return [g, read, ...idx.map(() => undefined)];
    if (fold === 'extreme') return [...extremeAdjoint(g, base, values, out, arg, adv), ...idx.map(() => undefined)];
    if (fold === 'product') return [...productAdjoint(g, base, values, arg, adv), ...idx.map(() => undefined)];
    if (fold !== 'set') throw new TensorError(`grad: the derivative of an assignment with op '${arg.op}' through an index is not implemented (set, add, mul, max and min are)`);
    // Which position wrote each element last: a scatter of the positions' own numbers.
    const count = sizeOf(values.shape);
    const ids = iota(count, INDEX_DTYPE).reshape(values.shape.slice());
    const last = scatterNode(full(base.shape, -1, INDEX_DTYPE), arg.view, adv, ids, undefined);
    const kept = gatherOf(last, arg.view, idx, adv.arg).eq(ids);
    return [scatterNode(g, arg.view, adv, zeros(values.shape, g.dtype), undefined), kept.where(read, 0), ...idx.map(() => undefined)];
  },
});

/**
 * max/min at: out[p] = max(base[p], the values landing at p). As the max reduction's rule, g[p] is split
 * equally among the winners at p, base[p] and each value equal to out[p] (counted with a scatter-add).
 * Where out[p] is NaN nothing equals it and all get 0 (as maxVjp); where nothing lands, base[p] gets g[p].
 */
function extremeAdjoint(g: Tensor, base: Tensor, values: Tensor, out: Tensor, arg: ScatterArg, adv: Advanced): Tensor[] {
  const f = g.dtype;
  const valueWins = values.eq(gatherOf(out, arg.view, adv.idx, adv.arg));
  const landed = scatterNode(zeros(base.shape, 'bool'), arg.view, adv, full(values.shape, true, 'bool'), undefined);
  const baseWins = base.eq(out).or(landed.not());
  const winners = scatterNode(baseWins.cast(f), arg.view, adv, valueWins.cast(f), 'add');
  const share = g.div(winners);
  return [baseWins.where(share, 0), valueWins.where(gatherOf(share, arg.view, adv.idx, adv.arg), 0)];
}

/**
 * mul at: out[p] = base[p]·Π values at p. d/dbase[p] = Π values at p (a scatter-mul into ones); d/dvalue_i =
 * base[p]·Π of the other values at p, with no division (exact with zeros, no spurious overflow): the values
 * are sorted by where they land (a stable argsort of the flat position), each value's exclusive prefix and
 * suffix products within its run of equal positions are segmented scans by doubling (log2 n steps of
 * shifted products), and their product is sent back through the inverse permutation.
 */
function productAdjoint(g: Tensor, base: Tensor, values: Tensor, arg: ScatterArg, adv: Advanced): Tensor[] {
  const n = sizeOf(values.shape);
  const onBase = scatterNode(full(base.shape, 1, base.dtype), arg.view, adv, values, 'mul');
  const at = gatherOf(iota(sizeOf(base.shape), INDEX_DTYPE).reshape(base.shape.slice()), arg.view, adv.idx, adv.arg).reshape([n]);
  const order = at.argsort(), back = order.argsort();
  const key = at.take(order), v = values.reshape([n]).take(order);
  const others = exclusiveRuns(v, key).mul(exclusiveRuns(v.flip(0), key.flip(0)).flip(0));
  const rest = others.take(back).reshape(values.shape.slice());
  return [g.mul(onBase), gatherOf(g.mul(base), arg.view, adv.idx, adv.arg).mul(rest)];
}

/** A 1-D tensor shifted right by s, `fill` in front. */
const shift = (t: Tensor, s: number, fill: number): Tensor => t.slice([0], [t.shape[0] - s]).pad([[s, 0]], fill);

/** e[i] = Π t[j] over the j < i of i's run of equal keys (1 for the run's first): a Hillis-Steele scan. */
function exclusiveRuns(t: Tensor, key: Tensor): Tensor {
  const n = t.shape[0];
  if (n < 2) return full([n], 1, t.dtype);
  let e = key.eq(shift(key, 1, -1)).where(shift(t, 1, 1), 1);
  for (let s = 1; s < n; s *= 2) e = key.eq(shift(key, s, -1)).where(e.mul(shift(e, s, 1)), e);
  return e;
}
