/**
 * The reference interpreter: the graph evaluated op by op in TypeScript, every intermediate a real
 * array, every float32 result rounded. It is the definition of what each op means, the oracle the C
 * backend is tested against, and the fallback when there is no C compiler. Keep it naive.
 */
import type { DType, Storage } from './dtype.js';
import { allocate, toDType } from './dtype.js';
import type { Node } from './graph.js';
import { toposort } from './graph.js';
import type { ElementwiseDef, ReduceDef } from './ops.js';
import { opDef } from './ops.js';
import { sizeOf } from './shape.js';

/** One elementwise application on scalars, with the dtype semantics of the table entry. */
export function applyScalar(def: ElementwiseDef, compute: DType, out: DType, a: number, b = 0, c = 0): number {
  const fn = compute === 'int32' && def.refInt ? def.refInt : def.ref;
  return toDType(fn(a, b, c), out);
}

function elementwise(n: Node, def: ElementwiseDef, xs: readonly Storage[]): Storage {
  const size = sizeOf(n.shape);
  const out = allocate(n.dtype, size);
  const compute = n.src[n.src.length - 1].dtype;
  const fn = compute === 'int32' && def.refInt ? def.refInt : def.ref;
  const [a, b, c] = xs;
  const d = n.dtype;
  for (let i = 0; i < size; i++) out[i] = toDType(fn(a[i], b?.[i] ?? 0, c?.[i] ?? 0), d);
  return out;
}

/** Reduces over `arg.axes` (kept as size-1 dims in the node's shape), gathering each group in row-major order. */
function reduce(n: Node, def: ReduceDef, x: Storage): Storage {
  const inShape = n.src[0].shape;
  const axes = (n.arg as { axes: number[] }).axes;
  const keep = inShape.map((_, d) => !axes.includes(d));
  const outSize = sizeOf(n.shape);
  const groups: number[][] = Array.from({ length: outSize }, () => []);
  const nd = inShape.length;
  const idx = new Array<number>(nd).fill(0);
  const total = sizeOf(inShape);
  for (let i = 0; i < total; i++) {
    let o = 0;
    for (let d = 0; d < nd; d++) if (keep[d]) o = o * inShape[d] + idx[d];
    groups[o].push(x[i]);
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < inShape[d]) break;
      idx[d] = 0;
    }
  }
  const out = allocate(n.dtype, outSize);
  const d = n.src[0].dtype;
  for (let o = 0; o < outSize; o++) {
    out[o] = groups[o].length === 0 ? def.empty ?? NaN : def.ref(groups[o], d);
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
    if (n.op === 'buffer' && inputs?.has(n)) v = inputs.get(n)!;
    else if (def.kind === 'elementwise') v = elementwise(n, def, xs);
    else if (def.kind === 'reduce') v = reduce(n, def, xs[0]);
    else v = def.evaluate(n, xs);
    values.set(n, v);
  }
  return outputs.map((n) => {
    const v = values.get(n)!;
    return n.op === 'buffer' ? v.slice() : v;
  });
}
