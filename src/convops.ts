/**
 * The `conv2d` primitive of the op table (conv.ts records it): w [G, O/G, K] times the im2col matrix of a
 * zero-padded x, out [N, G, O/G, OH·OW], where K = C/G·KH·KW runs over (channel, tap row, tap column). Its
 * value is exactly `w.matmul(im2col(xp))` (the reference multiplies in that k order, as matmul's does); C
 * computes it with direct loops over x (codegen/conv.ts) instead of building the im2col matrix.
 */
import type { Storage } from './dtype.js';
import { allocate, toDType } from './dtype.js';
import { TensorError } from './errors.js';
import type { Node } from './graph.js';
import { sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * The geometry of a conv2d node, its arg: kernel taps, stride and dilation along H and W, the zero
 * padding before and after (top, bottom, left, right), the output size.
 */
export interface ConvArg {
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly dh: number;
  readonly dw: number;
  readonly pads: readonly [number, number, number, number];
  readonly oh: number;
  readonly ow: number;
}

/**
 * Reference: out[n, g, o, p] = Σ_k w[g, o, k] · cols[n, g, k, p] with k ascending, one rounding per op;
 * cols reads x at (i·sh + u·dh − top, j·sw + v·dw − left), 0 outside it.
 */
export function convRef(n: Node, [w, x]: readonly Storage[]): Storage {
  const a = n.arg as unknown as ConvArg;
  const [N, G, Og] = n.shape, [, C, H, W] = n.src[1].shape;
  const Cg = C / G, K = Cg * a.kh * a.kw, P = a.oh * a.ow, d = n.dtype;
  const out = allocate(d, sizeOf(n.shape));
  const col = new Float64Array(K);
  for (let b = 0; b < N; b++) {
    for (let g = 0; g < G; g++) {
      for (let p = 0; p < P; p++) {
        const i = Math.floor(p / a.ow), j = p % a.ow;
        for (let c = 0, k = 0; c < Cg; c++) {
          for (let u = 0; u < a.kh; u++) {
            const r = i * a.sh + u * a.dh - a.pads[0];
            for (let v = 0; v < a.kw; v++, k++) {
              const q = j * a.sw + v * a.dw - a.pads[2];
              col[k] = r >= 0 && r < H && q >= 0 && q < W ? x[((b * C + g * Cg + c) * H + r) * W + q] : 0;
            }
          }
        }
        for (let o = 0; o < Og; o++) {
          let acc = 0;
          for (let k = 0; k < K; k++) acc = toDType(acc + toDType(w[(g * Og + o) * K + k] * col[k], d), d);
          out[((b * G + g) * Og + o) * P + p] = acc;
        }
      }
    }
  }
  return out;
}

type ConvVjp = (g: Tensor, x: readonly Tensor[], n: Node) => readonly (Tensor | undefined)[];
let adjoint: ConvVjp | undefined;

/** conv.ts (which has the Tensor class; the op table must not import it) installs the derivative. */
export function setConvAdjoint(f: ConvVjp): void { adjoint = f; }
export function convAdjoint(): ConvVjp {
  if (!adjoint) throw new TensorError('grad: the convolution module is not loaded (import tensorfuse from its package entry)');
  return adjoint;
}
