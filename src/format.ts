/**
 * numpy-like printing: `tensor([[1, 2],\n        [3, 4]], dtype=int32, shape=[2,2])`. Axes longer than
 * 6 are elided to 3 + `...` + 3 once a tensor has more than 1000 elements. A lazy tensor prints as a
 * summary and is never evaluated just to be printed.
 */
import type { DType, Storage } from './dtype.js';
import { countOps } from './graph.js';
import type { Node } from './graph.js';
import { evaluate } from './reference.js';
import { TensorError } from './errors.js';
import { isPlaceholder } from './trace.js';
import { fmtShape, sizeOf } from './shape.js';

export interface Printable {
  node: Node;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly isRealized: boolean;
}

const THRESHOLD = 1000;
const EDGE = 3;
const LINE_WIDTH = 75;

export function formatTensor(t: Printable): string {
  let data = t.node.data;
  if (t.node.dead) return `Tensor(disposed ${t.dtype} ${fmtShape(t.shape)})`;
  if (!t.isRealized) {
    const ops = countOps(t.node);
    if (ops > 0 || !onlyViews(t.node)) return `Tensor(lazy ${t.dtype} ${fmtShape(t.shape)}, ${ops} ops)`;
    // A view of realized data (a slice, a transpose) costs nothing to show: gathered here, not compiled.
    try {
      data = evaluate([t.node])[0];
    } catch (e) {
      if (!(e instanceof TensorError)) throw e;
      return `Tensor(view ${t.dtype} ${fmtShape(t.shape)} of unreadable storage: ${e.message})`;
    }
  } else if (isPlaceholder(t.node)) return `Tensor(traced ${t.dtype} ${fmtShape(t.shape)})`;
  if (data!.length !== sizeOf(t.shape)) return `Tensor(detached ${t.dtype} ${fmtShape(t.shape)}: its ArrayBuffer was transferred)`;
  const prefix = 'tensor(';
  const body = formatValues(data!, t.shape, t.dtype, prefix.length);
  return `${prefix}${body}, dtype=${t.dtype}, shape=${fmtShape(t.shape)})`;
}

/** True when a graph is views over realized buffers or constants only. */
function onlyViews(n: Node): boolean {
  while (n.op === 'view') n = n.src[0];
  return n.op === 'buffer' || n.op === 'const';
}

/** The bracketed values alone, as the REPL and toString show them. */
export function formatValues(data: Storage, shape: readonly number[], dtype: DType, indent = 0): string {
  const summarize = sizeOf(shape) > THRESHOLD;
  const shown = collect(data, shape, summarize);
  const fmt = elementFormatter(shown, dtype);
  const strings = shown.map(fmt);
  const width = Math.max(0, ...strings.map((s) => s.length));
  let k = 0;
  const strides = shape.map((_, d) => sizeOf(shape.slice(d + 1)));
  const render = (dim: number, offset: number, pad: number): string => {
    if (dim === shape.length) return strings[k++].padStart(width);
    const n = shape[dim];
    const idx = summarize && n > 2 * EDGE ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)] : [...Array(n).keys()];
    const parts = idx.map((i) => (i === -1 ? '...' : render(dim + 1, offset + i * strides[dim], pad + 1)));
    if (dim === shape.length - 1) return `[${wrap(parts, pad + 1)}]`;
    const sep = ',' + '\n'.repeat(Math.max(1, shape.length - dim - 1)) + ' '.repeat(pad + 1);
    return `[${parts.join(sep)}]`;
  };
  return render(0, 0, indent);
}

/** Joins a row with ", " and breaks lines past LINE_WIDTH, aligned under the bracket. */
function wrap(parts: string[], indent: number): string {
  let out = '';
  let line = indent;
  parts.forEach((p, i) => {
    const piece = i === 0 ? p : `, ${p}`;
    if (i > 0 && line + piece.length > LINE_WIDTH) {
      out += `,\n${' '.repeat(indent)}${p}`;
      line = indent + p.length;
    } else {
      out += piece;
      line += piece.length;
    }
  });
  return out;
}

/** The elements that will be shown, in print order. */
function collect(data: Storage, shape: readonly number[], summarize: boolean): number[] {
  const out: number[] = [];
  const strides = shape.map((_, d) => sizeOf(shape.slice(d + 1)));
  const walk = (dim: number, offset: number): void => {
    if (dim === shape.length) { out.push(data[offset]); return; }
    const n = shape[dim];
    const idx = summarize && n > 2 * EDGE ? [...Array(EDGE).keys(), ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)] : [...Array(n).keys()];
    for (const i of idx) walk(dim + 1, offset + i * strides[dim]);
  };
  walk(0, 0);
  return out;
}

/** One format for all shown elements, chosen as numpy does: integers as `1.`, fixed, or scientific. */
function elementFormatter(values: number[], dtype: DType): (x: number) => string {
  if (dtype === 'bool') return (x) => (x ? 'true' : 'false');
  if (dtype === 'int32') return (x) => String(x);
  const special = (x: number): string | undefined => (x !== x ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : undefined);
  const finite = values.filter(Number.isFinite);
  const abs = finite.map(Math.abs).filter((x) => x > 0);
  const maxAbs = Math.max(0, ...abs);
  const minAbs = abs.length ? Math.min(...abs) : 0;
  const digits = 8;
  if (maxAbs >= 1e16 || (abs.length && (maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1e3) && !finite.every(Number.isInteger))) {
    // numpy pads every mantissa with zeros to the most fraction digits any shown value needs (at most 8).
    const decimals = Math.max(0, ...finite.map((x) => uniqueDigits(x, dtype, digits, (v, d) => v.toExponential(d))));
    return (x) => special(x) ?? sci(x, decimals);
  }
  if (finite.every(Number.isInteger)) return (x) => special(x) ?? `${Object.is(x, -0) ? '-0' : x.toFixed(0)}.`;
  const decimals = Math.max(...finite.map((x) => fractionDigits(x, dtype, digits)));
  return (x) => {
    const s = special(x);
    if (s) return s.padEnd(s.length);
    const text = x.toFixed(decimals);
    const trimmed = text.replace(/0+$/, '');
    return (Object.is(x, -0) ? '-' : '') + trimmed.padEnd(text.length);
  };
}

/** Decimals of the shortest text that reads back as `x` in its dtype, capped at `digits` (numpy's unique mode). */
function fractionDigits(x: number, dtype: DType, digits: number): number {
  return uniqueDigits(x, dtype, digits, (v, d) => v.toFixed(d));
}

function uniqueDigits(x: number, dtype: DType, digits: number, text: (x: number, d: number) => string): number {
  for (let d = 0; d < digits; d++) {
    const back = Number(text(x, d));
    if (dtype === 'float32' ? Math.fround(back) === x : back === x) return d;
  }
  // Not exact within the cap: numpy rounds to `digits` and drops the trailing zeros of that.
  const mant = text(x, digits).split('e')[0];
  return digits - (mant.length - mant.replace(/0+$/, '').length);
}

/** `1.50e+10` as numpy writes it: exactly `decimals` mantissa digits, `1.e-05` with none, a two-digit exponent. */
function sci(x: number, decimals: number): string {
  const [mant, exp] = x.toExponential(decimals).split('e');
  const e = Number(exp);
  return `${Object.is(x, -0) ? '-' : ''}${decimals === 0 ? `${mant}.` : mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}
