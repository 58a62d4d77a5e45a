/**
 * 2-D convolution and pooling (issue 15), NCHW by default (PyTorch's layout; `layout: 'NHWC'` for
 * tfjs's), built from nodes that exist:
 *   conv, float: the `conv2d` primitive (convops.ts) ── w [G, O/G, C/G·KH·KW] times the im2col matrix of
 *         the zero-padded x, computed by direct loops over x (codegen/conv.ts), [N, G, O/G, OH·OW] ──▶
 *         [N, O, OH, OW] (+ bias, at the primitive's shape: its epilogue, as a matmul's);
 *   conv, int32: x ── pad ──▶ one view [N, C, KH, KW, OH, OW] whose taps overlap (im2col) ──reshape (a
 *         strided copy)──▶ the im2col matrix ──matmul── the weights (exact wrapping sums).
 *   Gradients of either go through the im2col view, whose adjoint adds the taps back one at a time
 *   (adjoint.ts viewVjp).
 *   pool: x ── pad ──▶ KH·KW strided slices, one per tap, folded by maximum / add (one fused
 *         elementwise loop reading the slices).
 * Direct loops were chosen by measurement (bench/RESULTS.md, 2026-12-02): at C1's size they run at the
 * speed of a hand-written direct loop, ~5× the im2col stack they replace and 1.5× OpenBLAS's sgemm on a
 * prebuilt im2col matrix.
 */
import { padVjp, viewVjp } from './adjoint.js';
import type { ConvArg } from './convops.js';
import { setConvAdjoint } from './convops.js';
import { ones } from './create.js';
import { DTYPE, isFloat, promote } from './dtype.js';
import type { Arg } from './graph.js';
import { makeNode } from './graph.js';
import { ShapeError, TensorError } from './errors.js';
import type { View } from './shape.js';
import { contiguousView, describe, fmtShape, readArray } from './shape.js';
import type { Operand } from './tensor.js';
import { fromView, matmulShaped, Tensor, toOperand, viewOf } from './tensor.js';

export type Padding = 'valid' | 'same' | number | readonly [number, number];

export interface Conv2dOptions {
  /** Default 1; one number or [along H, along W]. */
  stride?: number | readonly [number, number];
  /** 'valid' (none, the default), 'same' (TensorFlow's: output ⌈H / stride⌉, the odd pixel after), or pixels on each side. */
  padding?: Padding;
  dilation?: number | readonly [number, number];
  /** Channels in groups: input channel group g meets output channel group g only. Default 1. */
  groups?: number;
  /** [O], added per output channel. */
  bias?: Tensor;
  /** x and the result as [N, C, H, W] (default) or [N, H, W, C]; the weights are [O, C/groups, KH, KW] either way. */
  layout?: 'NCHW' | 'NHWC';
}

export interface Pool2dOptions {
  /** Default: the kernel size. */
  stride?: number | readonly [number, number];
  padding?: Padding;
  dilation?: number | readonly [number, number];
  layout?: 'NCHW' | 'NHWC';
  /** avgPool2d: divide by the whole window, padding included (PyTorch's default, true), or by the pixels inside x. */
  countIncludePad?: boolean;
}

type Pair = [number, number];

/** A kernel is at most 64×64 taps: pooling reads a slice per tap and conv2d's gradient adds one per tap, so a 2^16-wide kernel must not build 2^32 of them. */
const MAX_TAPS = 4096;

function options<K extends string>(op: string, opts: unknown, keys: readonly K[]): Partial<Record<K, unknown>> {
  if (opts === undefined || opts === null) return {};
  if (typeof opts !== 'object') throw new TensorError(`${op}: options must be an object like { stride: 2 }, got ${describe(opts)}`);
  const out: Partial<Record<K, unknown>> = {};
  for (const k of keys) out[k] = (opts as Record<K, unknown>)[k];
  return out;
}

/** A number or [h, w] of integers >= min. */
function pairOf(op: string, what: string, v: unknown, min: number): Pair {
  const list = typeof v === 'number' ? [v, v] : readArray(op, v, 2, what);
  if (!list || list.length !== 2 || !list.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= min && x <= 2 ** 31)) {
    throw new TensorError(`${op}: ${what} must be an integer >= ${min} or a pair [h, w] of them, got ${describe(v)}`);
  }
  return list as Pair;
}

/** [before, after] pixels of padding along H and W. */
function paddingOf(op: string, v: unknown, size: Pair, kernel: Pair, stride: Pair, dilation: Pair): [Pair, Pair] {
  if (v === 'valid') return [[0, 0], [0, 0]];
  if (v === 'same') {
    return [0, 1].map((a) => {
      const out = Math.ceil(size[a] / stride[a]);
      const total = Math.max((out - 1) * stride[a] + (kernel[a] - 1) * dilation[a] + 1 - size[a], 0);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    }) as [Pair, Pair];
  }
  if (typeof v === 'string') throw new TensorError(`${op}: padding must be 'valid', 'same', a number or [h, w], got ${describe(v)}`);
  const [h, w] = pairOf(op, 'padding', v, 0);
  return [[h, h], [w, w]];
}

/** x as NCHW (a view of an NHWC x), checked to be 4-D. */
function input(op: string, x: unknown, layout: unknown): Tensor {
  if (layout !== undefined && layout !== 'NCHW' && layout !== 'NHWC') throw new TensorError(`${op}: layout must be 'NCHW' or 'NHWC', got ${describe(layout)}`);
  const r = toOperand(op, x);
  if (!(r instanceof Tensor) || r.ndim !== 4) {
    throw new ShapeError(`${op}: x must be a 4-D tensor [N, C, H, W]${layout === 'NHWC' ? ' (here [N, H, W, C])' : ''}, got ${r instanceof Tensor ? `shape ${fmtShape(r.shape)}` : describe(x)}`);
  }
  return layout === 'NHWC' ? r.transpose([0, 3, 1, 2]) : r;
}

const output = (t: Tensor, layout: unknown): Tensor => (layout === 'NHWC' ? t.transpose([0, 2, 3, 1]) : t);

/** The output size [OH, OW] of x [N, C, H, W] with these pads, checked against the kernel's span. */
function outputSize(op: string, x: Tensor, kernel: Pair, stride: Pair, dilation: Pair, pad: [Pair, Pair]): Pair {
  const [, , H, W] = x.shape;
  const padded: Pair = [H + pad[0][0] + pad[0][1], W + pad[1][0] + pad[1][1]];
  const span = [0, 1].map((a) => (kernel[a] - 1) * dilation[a] + 1);
  if (padded[0] < span[0] || padded[1] < span[1]) {
    throw new ShapeError(`${op}: the kernel spans ${span[0]}×${span[1]} pixels (dilation included) but the padded input is ${padded[0]}×${padded[1]} (x ${fmtShape(x.shape)})`);
  }
  if (kernel[0] * kernel[1] > MAX_TAPS) throw new ShapeError(`${op}: a ${kernel[0]}×${kernel[1]} kernel has more than ${MAX_TAPS} taps (pooling and the gradient take one node per tap)`);
  return [0, 1].map((a) => Math.floor((padded[a] - span[a]) / stride[a]) + 1) as Pair;
}

/**
 * The im2col matrix of a padded x [N, C, Hp, Wp] as one view [N, C, KH, KW, OH, OW] of it: element
 * (n, c, i, j, h, w) is xp[n, c, i·dh + h·sh, j·dw + w·sw]. The view reads pixels more than once (its
 * taps overlap); its adjoint (adjoint.ts viewVjp) adds the taps' cotangents back, one tap at a time.
 * Reshaped to [N, G, C/G·KH·KW, OH·OW] it is one strided copy, contiguous along OW at stride 1.
 */
function im2col(xp: Tensor, kernel: Pair, stride: Pair, dilation: Pair, out: Pair): Tensor {
  const { base, view } = viewOf(xp.node);
  return fromView(base, im2colView(view, kernel, stride, dilation, out), xp.dtype);
}

/** The im2col view of a view `v` of the padded x [N, C, Hp, Wp] (see im2col). */
function im2colView(v: View, kernel: Pair, stride: Pair, dilation: Pair, out: Pair): View {
  const [N, C] = v.shape, [sn, sc, sh, sw] = v.strides;
  return { shape: [N, C, kernel[0], kernel[1], out[0], out[1]], strides: [sn, sc, dilation[0] * sh, dilation[1] * sw, stride[0] * sh, stride[1] * sw], offset: v.offset };
}

/** The KH·KW taps of x [N, C, H, W], padded with `value`, each a strided slice [N, C, OH, OW]; and the output size. */
function taps(op: string, x: Tensor, kernel: Pair, stride: Pair, dilation: Pair, pad: [Pair, Pair], value: number): { taps: Tensor[]; out: Pair } {
  const out = outputSize(op, x, kernel, stride, dilation, pad);
  const xp = x.pad([[0, 0], [0, 0], pad[0], pad[1]], value);
  const list: Tensor[] = [];
  for (let i = 0; i < kernel[0]; i++) {
    for (let j = 0; j < kernel[1]; j++) {
      const h = i * dilation[0], w = j * dilation[1];
      list.push(xp.slice([null, null, h, w], [null, null, h + (out[0] - 1) * stride[0] + 1, w + (out[1] - 1) * stride[1] + 1], [1, 1, stride[0], stride[1]]));
    }
  }
  return { taps: list, out };
}

/**
 * 2-D convolution (cross-correlation, as PyTorch, tfjs and every CNN library): x [N, C, H, W],
 * w [O, C/groups, KH, KW] → [N, O, OH, OW], OH = ⌊(H + pads − dilation·(KH − 1) − 1) / stride⌋ + 1.
 */
export function conv2d(x: Operand, w: Operand, opts?: Conv2dOptions): Tensor {
  const op = 'conv2d';
  const o = options(op, opts, ['stride', 'padding', 'dilation', 'groups', 'bias', 'layout'] as const);
  const xs = input(op, x, o.layout);
  const ws = toOperand(op, w);
  if (!(ws instanceof Tensor) || ws.ndim !== 4) throw new ShapeError(`${op}: w must be a 4-D tensor [O, C/groups, KH, KW], got ${ws instanceof Tensor ? `shape ${fmtShape(ws.shape)}` : describe(w)}`);
  const [N, C, H, W] = xs.shape, [O, Cg, KH, KW] = ws.shape;
  const groups = o.groups ?? 1;
  if (typeof groups !== 'number' || !Number.isInteger(groups) || groups < 1) throw new TensorError(`${op}: groups must be a positive integer, got ${describe(groups)}`);
  if (C % groups !== 0 || O % groups !== 0) throw new ShapeError(`${op}: ${C} input and ${O} output channels do not divide into ${groups} groups`);
  if (Cg !== C / groups) throw new ShapeError(`${op}: w ${fmtShape(ws.shape)} has ${Cg} input channels per group, but x ${fmtShape(xs.shape)} has ${C} channels in ${groups} group${groups === 1 ? '' : 's'} (${C / groups} each)`);
  if (KH === 0 || KW === 0) throw new ShapeError(`${op}: the kernel ${KH}×${KW} is empty`);
  const kernel: Pair = [KH, KW];
  const stride = pairOf(op, 'stride', o.stride ?? 1, 1), dilation = pairOf(op, 'dilation', o.dilation ?? 1, 1);
  const pad = paddingOf(op, o.padding ?? 'valid', [H, W], kernel, stride, dilation);
  const out = outputSize(op, xs, kernel, stride, dilation, pad);
  const K = Cg * KH * KW, P = out[0] * out[1];
  const w3 = ws.reshape([groups, O / groups, K]);
  const d = promote(xs.dtype, ws.dtype);
  let r: Tensor; // [N, G, O/G, OH·OW]
  if (isFloat(d)) {
    // Direct loops over x, its zero padding read as they go (codegen/conv.ts).
    const arg: ConvArg = { kh: KH, kw: KW, sh: stride[0], sw: stride[1], dh: dilation[0], dw: dilation[1], pads: [...pad[0], ...pad[1]], oh: out[0], ow: out[1] };
    r = matmulShaped(new Tensor(makeNode('conv2d', [w3.cast(d).node, xs.cast(d).node], [N, groups, O / groups, P], d, arg as unknown as Arg)));
  } else {
    const padded = xs.pad([[0, 0], [0, 0], pad[0], pad[1]]);
    r = w3.matmul(im2col(padded, kernel, stride, dilation, out).reshape([N, groups, K, P])); // the im2col matrix is a copy
  }
  if (o.bias !== undefined) {
    const b = toOperand(op, o.bias);
    if (!(b instanceof Tensor) || b.ndim !== 1 || b.shape[0] !== O) throw new ShapeError(`${op}: bias must be a 1-D tensor of the ${O} output channels, got ${b instanceof Tensor ? `shape ${fmtShape(b.shape)}` : describe(o.bias)}`);
    r = r.add(b.reshape([groups, O / groups, 1])); // at the matmul's own shape, ready for epilogue fusion
  }
  return output(r.reshape([N, O, out[0], out[1]]), o.layout);
}

/**
 * The derivative of the conv2d primitive, built from the im2col view of the padded input: dw is the
 * cotangent times the im2col matrix transposed, summed over images; dx sends w-transposed times the
 * cotangent back through the view (which adds up the taps that read each pixel) and the padding.
 */
setConvAdjoint((g, [w, x], n) => {
  const a = n.arg as unknown as ConvArg;
  const [N, G, , P] = n.shape, K = w.shape[2], C = x.shape[1];
  const kernel: Pair = [a.kh, a.kw], stride: Pair = [a.sh, a.sw], dilation: Pair = [a.dh, a.dw], out: Pair = [a.oh, a.ow];
  const widths: [number, number][] = [[0, 0], [0, 0], [a.pads[0], a.pads[1]], [a.pads[2], a.pads[3]]];
  const xp = x.pad(widths);
  const cols = im2col(xp, kernel, stride, dilation, out).reshape([N, G, K, P]);
  const dw = g.matmul(cols.transpose([0, 1, 3, 2])).sum(0);
  const dcols = w.transpose([0, 2, 1]).matmul(g).reshape([N, C, a.kh, a.kw, a.oh, a.ow]);
  return [dw, padVjp(viewVjp(dcols, xp.shape, im2colView(contiguousView(xp.shape), kernel, stride, dilation, out)), x.shape, widths)];
});

export interface Conv1dOptions {
  stride?: number;
  /** 'valid' (the default), 'same' (TensorFlow's rule), or samples on each side. */
  padding?: 'valid' | 'same' | number;
  dilation?: number;
  groups?: number;
  /** [O], added per output channel. */
  bias?: Tensor;
  /** x and the result as [N, C, L] (default) or [N, L, C]; the weights are [O, C/groups, K] either way. */
  layout?: 'NCL' | 'NLC';
}

/** 1-D convolution (cross-correlation): x [N, C, L], w [O, C/groups, K] → [N, O, OL]; conv2d over a height of 1. */
export function conv1d(x: Operand, w: Operand, opts?: Conv1dOptions): Tensor {
  const op = 'conv1d';
  const o = options(op, opts, ['stride', 'padding', 'dilation', 'groups', 'bias', 'layout'] as const);
  if (o.layout !== undefined && o.layout !== 'NCL' && o.layout !== 'NLC') throw new TensorError(`${op}: layout must be 'NCL' or 'NLC', got ${describe(o.layout)}`);
  const xs = toOperand(op, x), ws = toOperand(op, w);
  if (!(xs instanceof Tensor) || xs.ndim !== 3) throw new ShapeError(`${op}: x must be a 3-D tensor [N, C, L]${o.layout === 'NLC' ? ' (here [N, L, C])' : ''}, got ${xs instanceof Tensor ? `shape ${fmtShape(xs.shape)}` : describe(x)}`);
  if (!(ws instanceof Tensor) || ws.ndim !== 3) throw new ShapeError(`${op}: w must be a 3-D tensor [O, C/groups, K], got ${ws instanceof Tensor ? `shape ${fmtShape(ws.shape)}` : describe(w)}`);
  const one = (what: string, v: unknown, min: number) => {
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 2 ** 31)) throw new TensorError(`${op}: ${what} must be an integer >= ${min}, got ${describe(v)}`);
    return v as number | undefined;
  };
  const stride = one('stride', o.stride, 1) ?? 1, dilation = one('dilation', o.dilation, 1) ?? 1;
  const padding = o.padding === undefined || o.padding === 'valid' || o.padding === 'same' ? o.padding : [0, one('padding', o.padding, 0)!] as const;
  const x4 = (o.layout === 'NLC' ? xs.transpose([0, 2, 1]) : xs).unsqueeze(2);
  const r = conv2d(x4, ws.unsqueeze(2), { stride: [1, stride], dilation: [1, dilation], padding: padding as Padding | undefined, groups: o.groups as number | undefined, bias: o.bias as Tensor | undefined }).squeeze(2);
  return o.layout === 'NLC' ? r.transpose([0, 2, 1]) : r;
}

/**
 * A pooling's input and windows, its options read and checked. The taps are folded elementwise (one
 * fused loop, each tap one load), not stacked and reduced: a stack is a concat, which selects among its
 * pieces per element (KH·KW compares per tap).
 */
function windows(op: 'maxPool2d' | 'avgPool2d', x: Operand, kernelSize: unknown, opts: unknown) {
  const o = options(op, opts, ['stride', 'padding', 'dilation', 'layout', 'countIncludePad'] as const);
  const xs = input(op, x, o.layout);
  const kernel = pairOf(op, 'kernel size', kernelSize, 1);
  const stride = o.stride === undefined ? kernel : pairOf(op, 'stride', o.stride, 1);
  const dilation = pairOf(op, 'dilation', o.dilation ?? 1, 1);
  const pad = paddingOf(op, o.padding ?? 'valid', [xs.shape[2], xs.shape[3]], kernel, stride, dilation);
  return { o, xs, kernel, stride, dilation, pad };
}

/** Max over each window (PyTorch `max_pool2d`): kernel [KH, KW] (or one number), stride the kernel by default. */
export function maxPool2d(x: Operand, kernelSize: number | readonly [number, number], opts?: Pool2dOptions): Tensor {
  const op = 'maxPool2d';
  const { o, xs, kernel, stride, dilation, pad } = windows(op, x, kernelSize, opts);
  // Padding never wins a max (PyTorch pads with -inf): the dtype's lowest value. maximum keeps NaN, as max.
  const low = DTYPE[xs.dtype].min;
  return output(taps(op, xs, kernel, stride, dilation, pad, low).taps.reduce((a, b) => a.maximum(b)), o.layout);
}

/** Mean over each window (PyTorch `avg_pool2d`); ints average in float64. */
export function avgPool2d(x: Operand, kernelSize: number | readonly [number, number], opts?: Pool2dOptions): Tensor {
  const op = 'avgPool2d';
  const { o, xs, kernel, stride, dilation, pad } = windows(op, x, kernelSize, opts);
  const include = o.countIncludePad ?? true;
  if (typeof include !== 'boolean') throw new TensorError(`${op}: countIncludePad must be a boolean, got ${describe(include)}`);
  // Summed in float64 and rounded once (as float32 sums are), then divided in the float dtype, as mean() does.
  const d = isFloat(xs.dtype) ? xs.dtype : 'float64';
  const sum = taps(op, xs.cast('float64'), kernel, stride, dilation, pad, 0).taps.reduce((a, b) => a.add(b)).cast(d);
  if (include) return output(sum.div(kernel[0] * kernel[1]), o.layout);
  // The pixels of each window inside x: the same taps over ones.
  const inside = taps(op, ones([1, 1, xs.shape[2], xs.shape[3]], d), kernel, stride, dilation, pad, 0).taps.reduce((a, b) => a.add(b));
  return output(sum.div(inside), o.layout);
}
