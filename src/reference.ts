/**
 * The reference interpreter: the graph evaluated op by op in TypeScript, every intermediate a real
 * array, every float32 result rounded. It is the definition of what each op means, the oracle the C
 * backend is tested against, and the fallback when there is no C compiler. Keep it naive.
 */
import type { DType, Storage } from './dtype.js';
import { allocate, converter, isInteger } from './dtype.js';
import type { Node } from './graph.js';
import { toposort } from './graph.js';
import type { ElementwiseDef, ReduceDef } from './ops.js';
import { isBuffer, opDef } from './ops.js';
import { sizeOf } from './shape.js';
import { rowMajor } from './codegen/index.js';
import { foldInOrder, reductionLayout } from './reduction.js';

/** One elementwise application on scalars, with the dtype semantics of the table entry. */
export function applyScalar(def: ElementwiseDef, compute: DType, out: DType, a: number, b = 0, c = 0): number {
  const fn = isInteger(compute) && def.refInt ? def.refInt : def.ref;
  return converter(compute, out)(fn(a, b, c));
}

function elementwise(n: Node, def: ElementwiseDef, xs: readonly Storage[]): Storage {
  const size = sizeOf(n.shape);
  const out = allocate(n.dtype, size);
  const compute = n.src[n.src.length - 1].dtype;
  const fn = isInteger(compute) && def.refInt ? def.refInt : def.ref;
  const [a, b, c] = xs;
  const to = converter(compute, n.dtype);
  for (let i = 0; i < size; i++) out[i] = to(fn(a[i], b?.[i] ?? 0, c?.[i] ?? 0));
  return out;
}

/** Reduces over `arg.axes` (kept as size-1 dims in the node's shape), each group in row-major order. */
function reduce(n: Node, def: ReduceDef, x: Storage): Storage {
  const inShape = n.src[0].shape;
  const axes = (n.arg as { axes: number[] }).axes;
  const outSize = sizeOf(n.shape);
  const out = allocate(n.dtype, outSize); // first: a result too large to hold is a TensorError
  const strides = rowMajor(inShape);
  const kept = inShape.flatMap((_, d) => (axes.includes(d) ? [] : [d]));
  const group = new Array<number>(axes.reduce((k, a) => k * inShape[a], 1));
  const d = n.src[0].dtype;
  const fold = def.fold?.(d);
  const layout = reductionLayout(inShape, axes, d, def.cMerge !== undefined, def.orderFree?.(d) !== undefined);
  // Gathers one group: the reduced axes walked in row-major order from `base`.
  const gather = (base: number): void => {
    let k = 0;
    const walk = (j: number, at: number): void => {
      if (j === axes.length) { group[k++] = x[at]; return; }
      for (let i = 0; i < inShape[axes[j]]; i++) walk(j + 1, at + i * strides[axes[j]]);
    };
    walk(0, base);
  };
  for (let o = 0; o < outSize; o++) {
    let base = 0, rest = o;
    for (let j = kept.length - 1; j >= 0; j--) {
      const dim = inShape[kept[j]];
      base += (rest % dim) * strides[kept[j]];
      rest = Math.floor(rest / dim);
    }
    if (group.length === 0) { out[o] = def.empty ?? NaN; continue; }
    gather(base);
    out[o] = fold ? foldInOrder(group, layout, inShape[axes[0]], inShape[axes[axes.length - 1]], fold) : def.ref!(group, d);
  }
  return out;
}

/**
 * Evaluates `outputs`; `inputs` can stand in other storage for buffer nodes (how `jit` re-runs a trace).
 * Returns fresh arrays the caller may keep.
 */
export function evaluate(outputs: readonly Node[], inputs?: ReadonlyMap<Node, Storage>): Storage[] {
  const values = new Map<Node, Storage>();
  for (const n of toposort(outputs)) {
    const xs = n.src.map((s) => values.get(s)!);
    const def = opDef(n.op);
    let v: Storage;
    if (isBuffer(n) && inputs?.has(n)) v = inputs.get(n)!;
    else if (def.kind === 'elementwise') v = elementwise(n, def, xs);
    else if (def.kind === 'reduce') v = reduce(n, def, xs[0]);
    else v = def.evaluate(n, xs);
    values.set(n, v);
  }
  return outputs.map((n) => {
    const v = values.get(n)!;
    return isBuffer(n) ? v.slice() : v;
  });
}
