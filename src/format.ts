/**
 * numpy-like printing: `tensor([[1, 2],\n        [3, 4]], dtype=int32, shape=[2,2])`, with numpy's print
 * options (setPrintOptions: precision, threshold, edgeitems, linewidth, suppress; numpy's defaults). A
 * small lazy tensor is computed for printing (on a stand-in: the tensor itself stays lazy, so it still
 * reads its inputs' storage when it is evaluated later); a large or expensive one prints a summary,
 * since compiling a big program just to show it would surprise more than it helps.
 */
import type { DType, Storage } from './dtype.js';
import { DTYPE } from './dtype.js';
import type { Node } from './graph.js';
import { toposort } from './graph.js';
import { isBuffer, isConst, isView, opDef, throughViews } from './ops.js';
import { evaluate } from './reference.js';
import { runNodes } from './realize.js';
import { TensorError } from './errors.js';
import { isPlaceholder, tracing } from './trace.js';
import { describe, fmtShape, sizeOf } from './shape.js';

export interface Printable {
  node: Node;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly isRealized: boolean;
}

/** numpy's print options (`np.set_printoptions`), with numpy's defaults. */
export interface PrintOptions {
  /** Digits after the decimal point at most (numpy's unique mode: fewer when fewer read back the same). Default 8. */
  precision: number;
  /** Past this many elements, each axis longer than 2 × edgeitems is elided with `...`. Default 1000. */
  threshold: number;
  /** Elements shown at each end of an elided axis. Default 3. */
  edgeitems: number;
  /** Characters per line before a row wraps. Default 75. */
  linewidth: number;
  /** Always fixed-point below 1e8, so tiny values print as 0 at this precision. Default false. */
  suppress: boolean;
}

const DEFAULTS: PrintOptions = { precision: 8, threshold: 1000, edgeitems: 3, linewidth: 75, suppress: false };
let options: PrintOptions = { ...DEFAULTS };

/** The print options now in force (a copy). */
export function getPrintOptions(): PrintOptions {
  return { ...options };
}

/**
 * numpy's `set_printoptions`: changes the given options (the others stay) and returns the previous
 * ones, so `setPrintOptions(old)` restores them. `setPrintOptions({ precision: 3 })`.
 */
export function setPrintOptions(opts: Partial<PrintOptions>): PrintOptions {
  if (typeof opts !== 'object' || opts === null) throw new TensorError(`setPrintOptions: expected an object like { precision: 4 }, got ${describe(opts)}`);
  const next = { ...options };
  for (const [k, v] of Object.entries(opts)) {
    if (!Object.hasOwn(DEFAULTS, k)) throw new TensorError(`setPrintOptions: unknown option ${JSON.stringify(k)}; the options are ${Object.keys(DEFAULTS).join(', ')}`);
    if (v === undefined) continue;
    const key = k as keyof PrintOptions;
    if (key === 'suppress') {
      if (typeof v !== 'boolean') throw new TensorError(`setPrintOptions: suppress must be true or false, got ${describe(v)}`);
      next.suppress = v;
      continue;
    }
    // threshold may be Infinity (never elide), as numpy's sys.maxsize; the others are small integers.
    const ok = typeof v === 'number' && (Number.isInteger(v) || (key === 'threshold' && v === Infinity)) && v >= (key === 'linewidth' ? 1 : 0);
    if (!ok) throw new TensorError(`setPrintOptions: ${key} must be ${key === 'linewidth' ? 'a positive' : 'a non-negative'} integer${key === 'threshold' ? ' or Infinity' : ''}, got ${describe(v)}`);
    next[key] = v as number;
  }
  const previous = options;
  options = next;
  return { ...previous };
}

/** A lazy tensor is computed for printing only when it is small and cheap: at most this many ops ... */
const PRINT_MAX_OPS = 64;
/** ... and this many elements read and written over its whole graph (a sum over a big input is not cheap). */
const PRINT_MAX_WORK = 1 << 22;

export function formatTensor(t: Printable, force = false): string {
  let data = t.node.data;
  if (t.node.dead) return `Tensor(disposed ${t.dtype} ${fmtShape(t.shape)})`;
  if (!t.isRealized) {
    const ops = countOps(t.node);
    const what = `${t.dtype} ${fmtShape(t.shape)}, ${ops} op${ops === 1 ? '' : 's'}`;
    if (tracing()) return `Tensor(traced ${what})`;
    if (ops > 0 || !onlyViews(t.node)) {
      if (!force && !(sizeOf(t.shape) <= options.threshold && cheap(t.node))) return `Tensor(lazy ${what}: .eval() or .print() shows its values)`;
      try {
        data = runNodes([t.node])[0];
      } catch (e) {
        if (!(e instanceof TensorError)) throw e;
        return `Tensor(lazy ${what}, which could not be evaluated: ${e.message})`;
      }
    } else {
      // A view of realized data (a slice, a transpose) costs nothing to show: gathered here, not compiled.
      try {
        data = evaluate([t.node])[0];
      } catch (e) {
        if (!(e instanceof TensorError)) throw e;
        return `Tensor(view ${t.dtype} ${fmtShape(t.shape)} of unreadable storage: ${e.message})`;
      }
    }
  } else if (isPlaceholder(t.node)) return `Tensor(traced ${t.dtype} ${fmtShape(t.shape)})`;
  if (data!.length !== sizeOf(t.shape)) return `Tensor(detached ${t.dtype} ${fmtShape(t.shape)}: its ArrayBuffer was transferred)`;
  const prefix = 'tensor(';
  const body = formatValues(data!, t.shape, t.dtype, prefix.length);
  return `${prefix}${body}, dtype=${t.dtype}, shape=${fmtShape(t.shape)})`;
}

/**
 * Whether computing `root` is cheap enough to do just to print it: few ops (each costs compile time)
 * and little data over the whole graph. The walk stops as soon as either bound is passed.
 */
function cheap(root: Node): boolean {
  const seen = new Set<Node>();
  const stack = [root];
  let ops = 0, work = 0;
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    if (isPlaceholder(n)) return false; // a jit trace's input: no values until a call brings them
    if (computes(n)) {
      ops++;
      // What the op reads and writes; a matmul's multiply-adds are its out size times the shared dim.
      const def = opDef(n.op);
      work += sizeOf(n.shape) * ('madds' in def && def.madds ? def.madds(n) : 1);
      for (const s of n.src) work += sizeOf(s.shape);
      if (ops > PRINT_MAX_OPS || work > PRINT_MAX_WORK) return false;
    }
    for (const s of n.src) stack.push(s);
  }
  return true;
}

/** True when a graph is views over realized buffers or constants only. */
function onlyViews(n: Node): boolean {
  const below = throughViews(n);
  return isBuffer(below) || isConst(below);
}

/** A node that computes something: not an input, a constant or a view. */
const computes = (n: Node): boolean => !isBuffer(n) && !isConst(n) && !isView(n);

/** Number of computing operations a graph holds. */
const countOps = (root: Node): number => toposort([root]).filter(computes).length;

/** The bracketed values alone, as the REPL and toString show them. */
export function formatValues(data: Storage, shape: readonly number[], dtype: DType, indent = 0): string {
  const { threshold, edgeitems: edge, linewidth, precision, suppress } = options;
  const summarize = sizeOf(shape) > threshold;
  const shown = collect(data, shape, summarize, edge);
  const fmt = elementFormatter(shown, dtype, precision, suppress);
  const strings = shown.map(fmt);
  const width = Math.max(0, ...strings.map((s) => s.length));
  let k = 0;
  const strides = shape.map((_, d) => sizeOf(shape.slice(d + 1)));
  const render = (dim: number, offset: number, pad: number): string => {
    if (dim === shape.length) return strings[k++].padStart(width);
    const n = shape[dim];
    const idx = summarize && n > 2 * edge ? [...Array(edge).keys(), -1, ...Array.from({ length: edge }, (_, i) => n - edge + i)] : [...Array(n).keys()];
    const parts = idx.map((i) => (i === -1 ? '...' : render(dim + 1, offset + i * strides[dim], pad + 1)));
    if (dim === shape.length - 1) return `[${wrap(parts, pad + 1, linewidth)}]`;
    const sep = ',' + '\n'.repeat(Math.max(1, shape.length - dim - 1)) + ' '.repeat(pad + 1);
    return `[${parts.join(sep)}]`;
  };
  return render(0, 0, indent);
}

/** Joins a row with ", " and breaks lines past `width`, aligned under the bracket. */
function wrap(parts: string[], indent: number, width: number): string {
  let out = '';
  let line = indent;
  parts.forEach((p, i) => {
    const piece = i === 0 ? p : `, ${p}`;
    if (i > 0 && line + piece.length > width) {
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
function collect(data: Storage, shape: readonly number[], summarize: boolean, edge: number): number[] {
  const out: number[] = [];
  const strides = shape.map((_, d) => sizeOf(shape.slice(d + 1)));
  const walk = (dim: number, offset: number): void => {
    if (dim === shape.length) { out.push(data[offset]); return; }
    const n = shape[dim];
    const idx = summarize && n > 2 * edge ? [...Array(edge).keys(), ...Array.from({ length: edge }, (_, i) => n - edge + i)] : [...Array(n).keys()];
    for (const i of idx) walk(dim + 1, offset + i * strides[dim]);
  };
  walk(0, 0);
  return out;
}

/**
 * One format for all shown elements, chosen as numpy does: integers as `1.`, fixed, or scientific
 * (which `suppress` keeps for values of 1e8 and more, as numpy's suppress_small).
 */
function elementFormatter(values: number[], dtype: DType, digits: number, suppress: boolean): (x: number) => string {
  if (DTYPE[dtype].print === 'bool') return (x) => (x ? 'true' : 'false');
  if (DTYPE[dtype].print === 'int') return (x) => String(x);
  const special = (x: number): string | undefined => (x !== x ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : undefined);
  const finite = values.filter(Number.isFinite);
  const abs = finite.map(Math.abs).filter((x) => x > 0);
  const maxAbs = Math.max(0, ...abs);
  const minAbs = abs.length ? Math.min(...abs) : 0;
  const small = !suppress && (minAbs < 1e-4 || maxAbs / minAbs > 1e3);
  if (maxAbs >= 1e16 || (abs.length && (maxAbs >= 1e8 || small) && !finite.every(Number.isInteger))) {
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
