/** Whole-array references of the op table's source, movement and matmul entries (ops.ts): naive, per the spec. */
import type { Storage } from './dtype.js';
import { allocate, isInteger, toDType } from './dtype.js';
import type { Node } from './graph.js';
import type { View } from './shape.js';
import { sizeOf, viewIndices } from './shape.js';

export function fill(n: Node, f: (i: number) => number): Storage {
  const size = sizeOf(n.shape);
  const out = allocate(n.dtype, size);
  for (let i = 0; i < size; i++) out[i] = toDType(f(i), n.dtype);
  return out;
}

export function gather(n: Node, x: Storage, v: View): Storage {
  const idx = viewIndices(v);
  const out = allocate(n.dtype, idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = x[idx[i]];
  return out;
}

export function padRef(n: Node, x: Storage): Storage {
  const { widths, value } = n.arg as { widths: [number, number][]; value: number };
  const out = allocate(n.dtype, sizeOf(n.shape)).fill(value);
  const inShape = n.src[0].shape;
  const inSize = sizeOf(inShape);
  const nd = inShape.length;
  const outStrides = new Array<number>(nd);
  let acc = 1;
  for (let d = nd - 1; d >= 0; d--) { outStrides[d] = acc; acc *= n.shape[d]; }
  const idx = new Array<number>(nd).fill(0);
  for (let i = 0; i < inSize; i++) {
    let o = 0;
    for (let d = 0; d < nd; d++) o += (idx[d] + widths[d][0]) * outStrides[d];
    out[o] = x[i];
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < inShape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

export function matmulRef(n: Node, a: Storage, b: Storage): Storage {
  const s = n.src[0].shape;
  const m = s[s.length - 2], k = s[s.length - 1], cols = n.shape[n.shape.length - 1];
  const batch = sizeOf(n.shape) / Math.max(1, m * cols) || 0;
  const out = allocate(n.dtype, sizeOf(n.shape));
  const d = n.dtype;
  // integers wrap in 32 bits, and storing into the dtype's TypedArray keeps the low bits of narrower ones
  const mulAdd = isInteger(d)
    ? (acc: number, x: number, y: number) => (acc + Math.imul(x, y)) | 0
    : (acc: number, x: number, y: number) => toDType(acc + toDType(x * y, d), d);
  for (let p = 0; p < batch; p++) {
    const ao = p * m * k, bo = p * k * cols, oo = p * m * cols;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < cols; j++) {
        let acc = 0;
        for (let q = 0; q < k; q++) acc = mulAdd(acc, a[ao + i * k + q], b[bo + q * cols + j]);
        out[oo + i * cols + j] = acc;
      }
    }
  }
  return out;
}
