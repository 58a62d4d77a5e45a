/**
 * The references of the indexing primitives (gather, scatter): naive loops over the output in
 * row-major order, as numpy defines `x[idx]` and `x[idx] = v`. The op table (ops.ts) holds the entries;
 * this module holds their arrays-level semantics and the index rules both backends share.
 *
 * A gather `gather(x, i0, ..., ik-1)` with arg `{ axes, at }` reads x with axis `axes[j]` taken from
 * index tensor `ij` (all of one broadcast shape B) and every other axis from the output's own index;
 * the output's shape is x's other axes with B's dims inserted at position `at` (numpy's placement rule
 * decides `at`). A scatter `scatter(base, values, i0, ..., ik-1)` with arg `{ view, axes, at, op }`
 * writes, over the positions of such a gather from the view `view` of base, `values` into a copy of
 * base: the last write wins in row-major order, or each is combined with `op`.
 */
import type { DType, Storage } from './dtype.js';
import { allocate } from './dtype.js';
import { TensorError } from './errors.js';
import type { Node } from './graph.js';
import type { View } from './shape.js';
import { fmtShape, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

export interface GatherArg {
  /** The axes of the source taken from index tensors, in the order of the index tensors. */
  axes: number[];
  /** Where the index tensors' dims stand among the output's dims. */
  at: number;
}

export interface ScatterArg extends GatherArg {
  /** The positions written: a view of the base (the tensor indexed, when it is a view of storage). */
  view: View;
  /** `set` (the last write wins) or the binary elementwise op of the table that combines old and new. */
  op: string;
}

/** The error both backends raise for an index outside [-size, size); `writes`: of a scatter (nothing was written). */
export function outOfRange(what: string, writes: boolean): TensorError {
  return new TensorError(`${writes ? 'index assignment' : 'indexing'}: an index tensor holds a value out of range for ${what}; the valid indices of an axis of size n are -n..n-1${writes ? '. Nothing was written' : ''}`);
}

/** What a gather or scatter indexes, for its error: `axis 0 (size 5) of a [5,2] tensor`. */
export function indexedAxes(shape: readonly number[], axes: readonly number[]): string {
  const list = axes.map((a) => `${a} (size ${shape[a]})`);
  return `${list.length === 1 ? 'axis' : 'axes'} ${list.join(', ')} of a ${fmtShape(shape)} tensor`;
}

/**
 * Walks the positions of a gather over a source of `shape` (row-major over the output), calling
 * `visit(out, src)` with the output's flat index and the source's multi-index turned into a flat
 * offset by `offset`. Index values are checked first: nothing is visited when one is out of range.
 */
function walk(
  shape: readonly number[], outShape: readonly number[], { axes, at }: GatherArg, idx: readonly Storage[], bShape: readonly number[],
  offset: (src: readonly number[]) => number, visit: (out: number, src: number) => void, writes = false,
): void {
  const bSize = sizeOf(bShape);
  for (let j = 0; j < idx.length; j++) {
    const n = shape[axes[j]];
    for (let b = 0; b < bSize; b++) {
      const v = idx[j][b];
      if (!(v >= -n && v < n)) throw outOfRange(indexedAxes(shape, axes), writes);
    }
  }
  const nb = bShape.length;
  const o = new Array<number>(outShape.length).fill(0);
  const src = new Array<number>(shape.length).fill(0);
  const total = sizeOf(outShape);
  const bStrides = bShape.map((_, d) => sizeOf(bShape.slice(d + 1)));
  for (let f = 0; f < total; f++) {
    let b = 0;
    for (let d = 0; d < nb; d++) b += o[at + d] * bStrides[d];
    let r = 0;
    for (let d = 0; d < shape.length; d++) {
      const j = axes.indexOf(d);
      if (j >= 0) {
        const v = idx[j][b];
        src[d] = v < 0 ? v + shape[d] : v;
      } else {
        src[d] = o[r < at ? r : r + nb];
        r++;
      }
    }
    visit(f, offset(src));
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++o[d] < outShape[d]) break;
      o[d] = 0;
    }
  }
}

const rowMajorOffset = (shape: readonly number[]) => {
  const strides = shape.map((_, d) => sizeOf(shape.slice(d + 1)));
  return (src: readonly number[]) => src.reduce((acc, v, d) => acc + v * strides[d], 0);
};

export function gatherRef(n: Node, [x, ...idx]: readonly Storage[]): Storage {
  const out = allocate(n.dtype, sizeOf(n.shape));
  const shape = n.src[0].shape;
  walk(shape, n.shape, n.arg as unknown as GatherArg, idx, n.src[1].shape, rowMajorOffset(shape), (f, s) => { out[f] = x[s]; });
  return out;
}

/** `combine(old, new)` of the scatter's op in the node's dtype, or undefined for `set`. */
export function scatterRef(n: Node, [base, values, ...idx]: readonly Storage[], combine?: (a: number, b: number) => number): Storage {
  const arg = n.arg as unknown as ScatterArg;
  const out = base.slice();
  const { view } = arg;
  const offset = (src: readonly number[]) => src.reduce((acc, v, d) => acc + v * view.strides[d], view.offset);
  walk(view.shape, n.src[1].shape, arg, idx, n.src[2].shape, offset, combine
    ? (f, s) => { out[s] = combine(out[s], values[f]); }
    : (f, s) => { out[s] = values[f]; }, true);
  return out;
}

/** The dtype index tensors are read in: int32 (positions past 2^31 are not addressable by an index tensor). */
export const INDEX_DTYPE: DType = 'int32';

type IndexVjp = (g: Tensor, x: readonly Tensor[], out: Tensor, n: Node) => readonly (Tensor | undefined)[];
let adjoints: { gather: IndexVjp; scatter: IndexVjp } | undefined;

/**
 * The derivatives of gather and scatter, which build gathers and scatters themselves: indexing.ts (which
 * has the Tensor class; this module, read by the op table, must not import it) installs them.
 */
export function setIndexAdjoints(a: { gather: IndexVjp; scatter: IndexVjp }): void { adjoints = a; }
export function indexAdjoints(): { gather: IndexVjp; scatter: IndexVjp } {
  if (!adjoints) throw new TensorError('grad: the indexing module is not loaded (import tensorfuse from its package entry)');
  return adjoints;
}
