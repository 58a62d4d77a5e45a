/**
 * numpy einsum and tensordot, lowered to the nodes that already exist (no kernel kind of its own):
 *   1. each operand alone: a repeated index is a diagonal view (shape-helpers diagonal), a size-1 dim
 *      that broadcasts against a longer one is dropped (the operand is constant along it), and an index
 *      no other operand and not the output needs is summed away;
 *   2. pairs, greedily (the pair whose result is smallest against what it consumes, opt_einsum's
 *      "greedy"): a pair with indices on both sides of a contraction is a `matmul` (batch indices as
 *      its batch dims, the rest moved by transposes and merged by reshapes: views where strides allow),
 *      any other pair a broadcast `mul` whose contracted indices are summed — so `i,i->` is one fused
 *      mul+sum reduction and `bij,bjk->bik` the blocked matmul;
 *   3. the last term's leftover indices summed, then transposed to the output order.
 * Indices are numbers inside: a letter is its char code, a '...' dim ELLIPSIS + its place from the right.
 */
import type { DType } from './dtype.js';
import { DTYPE, isBool, isInteger, promote, scalarDType } from './dtype.js';
import { ShapeError, TensorError } from './errors.js';
import { describe, fmtShape, MAX_NDIM, readArray } from './shape.js';
import { diagonal } from './shape-helpers.js';
import type { Operand } from './tensor.js';
import { castTo, constant, Tensor, toOperand } from './tensor.js';

/** numpy's limit on operands (NPY_MAXARGS): also bounds the greedy search. */
const MAX_OPERANDS = 32;
const ELLIPSIS = 1000;

interface Term { t: Tensor; labels: number[] }

const isLetter = (c: string): boolean => /^[a-zA-Z]$/.test(c);

/** How an index is named in a message: 'j', or the broadcast dims. */
type Namer = (label: number) => string;
const letterName: Namer = (l) => (l >= ELLIPSIS ? `'...' (broadcast dim ${l - ELLIPSIS} from the right)` : `'${String.fromCharCode(l)}'`);

/** One side of the subscripts: letters and at most one '...'. */
function parseTerm(op: string, s: string, where: string): { letters: string[]; ellipsis: number } {
  const letters: string[] = [];
  let ellipsis = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '.') {
      if (s.slice(i, i + 3) !== '...') throw new ShapeError(`${op}: ${where} has a '.' that is not part of an ellipsis ('...')`);
      if (ellipsis >= 0) throw new ShapeError(`${op}: ${where} has more than one ellipsis ('...')`);
      ellipsis = letters.length;
      i += 2;
    } else if (isLetter(c)) letters.push(c);
    else throw new ShapeError(`${op}: invalid subscript ${describe(c)} in ${where}; subscripts must be letters a-z, A-Z (and '...')`);
  }
  return { letters, ellipsis };
}

/** numpy `einsum(subscripts, ...operands)`: explicit (`'ij,jk->ik'`) or implicit (`'ij,jk'`) output. */
export function einsum(subscripts: string, ...operands: Operand[]): Tensor {
  const op = 'einsum';
  if (typeof subscripts !== 'string') throw new TensorError(`${op}: the first argument must be a subscripts string like 'ij,jk->ik', got ${describe(subscripts)}`);
  if (subscripts.length > 10_000) throw new ShapeError(`${op}: a subscripts string of ${subscripts.length} characters is too long`);
  const spec = subscripts.replace(/\s+/g, '');
  const arrow = spec.indexOf('->');
  if (arrow >= 0 && spec.indexOf('->', arrow + 2) >= 0) throw new ShapeError(`${op}: subscripts ${describe(subscripts)} have more than one '->'`);
  const lhs = arrow >= 0 ? spec.slice(0, arrow) : spec;
  const rhs = arrow >= 0 ? spec.slice(arrow + 2) : undefined;
  if (/[->]/.test(lhs) || (rhs !== undefined && /[->]/.test(rhs))) throw new ShapeError(`${op}: a '-' or '>' in ${describe(subscripts)} that is not part of '->'`);
  const sides = lhs.split(',');
  if (operands.length > MAX_OPERANDS) throw new TensorError(`${op}: ${operands.length} operands; at most ${MAX_OPERANDS} (as numpy)`);
  if (sides.length !== operands.length) {
    throw new TensorError(`${op}: subscripts ${describe(subscripts)} name ${sides.length} operand${sides.length === 1 ? '' : 's'} but ${operands.length} ${operands.length === 1 ? 'was' : 'were'} given`);
  }
  const tensors = operands.map((x) => {
    const r = toOperand(op, x);
    return r instanceof Tensor ? r : constant(Number(r), scalarDType(r));
  });
  const terms: Term[] = [];
  let broadcastDims = 0;
  sides.forEach((s, k) => {
    const where = `operand ${k} ('${s}')`;
    const { letters, ellipsis } = parseTerm(op, s, `the subscripts of ${where}`);
    const t = tensors[k];
    if (ellipsis < 0 ? letters.length !== t.ndim : letters.length > t.ndim) {
      throw new ShapeError(`${op}: ${where} names ${letters.length} dim${letters.length === 1 ? '' : 's'} but the operand has shape ${fmtShape(t.shape)}${ellipsis < 0 ? "; use '...' for the others" : ''}`);
    }
    const extra = t.ndim - letters.length;
    broadcastDims = Math.max(broadcastDims, extra);
    const codes = letters.map((c) => c.charCodeAt(0));
    const labels = ellipsis < 0 ? codes : [...codes.slice(0, ellipsis), ...Array.from({ length: extra }, (_, j) => ELLIPSIS + extra - 1 - j), ...codes.slice(ellipsis)];
    terms.push({ t, labels });
  });
  const broadcastLabels = Array.from({ length: broadcastDims }, (_, j) => ELLIPSIS + broadcastDims - 1 - j);
  let out: number[];
  if (rhs === undefined) {
    // Implicit: the broadcast dims, then the letters that appear once, in ASCII order (numpy).
    const count = new Map<number, number>();
    for (const term of terms) for (const l of term.labels) if (l < ELLIPSIS) count.set(l, (count.get(l) ?? 0) + 1);
    out = [...broadcastLabels, ...[...count].filter(([, n]) => n === 1).map(([l]) => l).sort((a, b) => a - b)];
  } else {
    const { letters, ellipsis } = parseTerm(op, rhs, 'the output subscripts');
    const seen = new Set(terms.flatMap((term) => term.labels));
    letters.forEach((c, i) => {
      if (letters.indexOf(c) !== i) throw new ShapeError(`${op}: the output subscripts name '${c}' more than once`);
      if (!seen.has(c.charCodeAt(0))) throw new ShapeError(`${op}: the output subscript '${c}' appears in no operand`);
    });
    if (ellipsis < 0 && broadcastDims > 0) throw new ShapeError(`${op}: the operands have ${broadcastDims} broadcast dim${broadcastDims === 1 ? '' : 's'} ('...') but the output subscripts ${describe(rhs)} have no '...' to put them`);
    const codes = letters.map((c) => c.charCodeAt(0));
    out = ellipsis < 0 ? codes : [...codes.slice(0, ellipsis), ...broadcastLabels, ...codes.slice(ellipsis)];
  }
  return contract(op, terms, out, letterName);
}

/**
 * numpy `tensordot(a, b, axes)`: `axes = n` sums a's last n dims against b's first n; `[axesA, axesB]`
 * pairs the listed dims. The result has a's other dims, then b's.
 */
export function tensordot(a: Operand, b: Operand, axes: number | readonly [number | readonly number[], number | readonly number[]] = 2): Tensor {
  const op = 'tensordot';
  const [x, y] = [a, b].map((v) => { const r = toOperand(op, v); return r instanceof Tensor ? r : constant(Number(r), scalarDType(r)); });
  let ax: number[], bx: number[];
  if (typeof axes === 'number') {
    if (!Number.isInteger(axes) || axes < 0 || axes > x.ndim || axes > y.ndim) {
      throw new ShapeError(`${op}: axes = ${describe(axes)} must be an integer from 0 to min(${x.ndim}, ${y.ndim}) (the dims of ${fmtShape(x.shape)} and ${fmtShape(y.shape)})`);
    }
    ax = Array.from({ length: axes }, (_, i) => x.ndim - axes + i);
    bx = Array.from({ length: axes }, (_, i) => i);
  } else {
    const pair = readArray(op, axes, 2, 'axes');
    if (!pair || pair.length !== 2) throw new TensorError(`${op}: axes must be a number or a pair [axesOfA, axesOfB], got ${describe(axes)}`);
    const list = (v: unknown, t: Tensor, which: string): number[] => {
      const l = typeof v === 'number' ? [v] : readArray(op, v, MAX_NDIM, 'axes');
      if (!l || !l.every((i) => typeof i === 'number' && Number.isInteger(i) && i >= -t.ndim && i < t.ndim)) {
        throw new ShapeError(`${op}: the axes of ${which} must be integers in [-${t.ndim}, ${t.ndim}) for shape ${fmtShape(t.shape)}, got ${describe(v)}`);
      }
      const norm = (l as number[]).map((i) => (i < 0 ? i + t.ndim : i));
      if (new Set(norm).size !== norm.length) throw new ShapeError(`${op}: the axes of ${which} repeat an axis: ${describe(v)}`);
      return norm;
    };
    ax = list(pair[0], x, 'a');
    bx = list(pair[1], y, 'b');
    if (ax.length !== bx.length) throw new ShapeError(`${op}: ${ax.length} axes of a against ${bx.length} axes of b; they pair up one to one`);
  }
  ax.forEach((i, k) => {
    if (x.shape[i] !== y.shape[bx[k]]) throw new ShapeError(`${op}: axis ${i} of a ${fmtShape(x.shape)} has size ${x.shape[i]} but axis ${bx[k]} of b ${fmtShape(y.shape)} has size ${y.shape[bx[k]]}`);
  });
  // a's dims are labels 0.., b's own dims follow; a contracted dim of b takes its partner's label.
  const la = x.shape.map((_, i) => i);
  const lb = y.shape.map((_, j) => (bx.includes(j) ? ax[bx.indexOf(j)] : x.ndim + j));
  const out = [...la.filter((i) => !ax.includes(i)), ...lb.filter((l) => l >= x.ndim)];
  const name: Namer = (l) => (l < x.ndim ? `axis ${l} of a` : `axis ${l - x.ndim} of b`);
  return contract(op, [{ t: x, labels: la }, { t: y, labels: lb }], out, name);
}

// ---- the lowering -------------------------------------------------------------------------------

const sizeOfLabels = (labels: readonly number[], size: ReadonlyMap<number, number>): number => labels.reduce((n, l) => n * size.get(l)!, 1);

/** The contraction of `terms` to the labels `out`, in the dtype numpy's result_type gives (our promotion). */
function contract(op: string, input: Term[], out: number[], name: Namer): Tensor {
  const dtype = input.map((term) => term.t.dtype).reduce<DType>((a, b) => promote(a, b), input[0].t.dtype);
  // Ints contract in their dtype (wrapping like numpy's), bools in int32, becoming "any" at the end.
  const work: DType = isBool(dtype) ? 'int32' : dtype;
  // Each label's size: the one that is not 1 (size-1 dims broadcast, as numpy's einsum does).
  input.forEach((term, k) => term.labels.forEach((l, i) => {
    const first = term.labels.indexOf(l);
    if (first < i && term.t.shape[first] !== term.t.shape[i]) {
      throw new ShapeError(`${op}: operand ${k} repeats index ${name(l)} over dims of sizes ${term.t.shape[first]} and ${term.t.shape[i]} (shape ${fmtShape(term.t.shape)}); a repeated index takes the diagonal, which needs equal sizes`);
    }
  }));
  const size = new Map<number, number>();
  const where = new Map<number, string>();
  input.forEach((term, k) => term.labels.forEach((l, i) => {
    const d = term.t.shape[i], had = size.get(l);
    if (had === undefined || had === 1) { size.set(l, d); where.set(l, `operand ${k}`); } else if (d !== 1 && d !== had) {
      throw new ShapeError(`${op}: index ${name(l)} has size ${had} in ${where.get(l)} but ${d} in operand ${k} (shape ${fmtShape(term.t.shape)})`);
    }
  }));
  let terms = input.map((term) => prepare({ t: castTo(term.t, work), labels: term.labels }, size));
  const needed = (skip: readonly Term[]): Set<number> => new Set([...out, ...terms.filter((t) => !skip.includes(t)).flatMap((t) => t.labels)]);
  terms = terms.map((term) => sumUnneeded(term, needed([term])));
  while (terms.length > 1) {
    let best: { i: number; j: number; cost: number; shared: boolean } | undefined;
    for (let i = 0; i < terms.length; i++) {
      for (let j = i + 1; j < terms.length; j++) {
        const a = terms[i], b = terms[j];
        const keep = needed([a, b]);
        const result = [...new Set([...a.labels, ...b.labels])].filter((l) => keep.has(l));
        const cost = sizeOfLabels(result, size) - sizeOfLabels(a.labels, size) - sizeOfLabels(b.labels, size);
        const shared = a.labels.some((l) => b.labels.includes(l));
        // Pairs that share an index first (an outer product is never cheaper), then the cheapest.
        if (!best || (shared && !best.shared) || (shared === best.shared && cost < best.cost)) best = { i, j, cost, shared };
      }
    }
    let a = terms[best!.i], b = terms[best!.j];
    // The operand whose own indices come first in the output goes first, so that a last matmul writes
    // the output's order (no transposed copy after it).
    const lead = (t: Term, other: Term) => Math.min(Infinity, ...t.labels.filter((l) => !other.labels.includes(l)).map((l) => out.indexOf(l)).filter((i) => i >= 0));
    if (lead(b, a) < lead(a, b)) [a, b] = [b, a];
    const keep = needed([a, b]);
    terms = [...terms.filter((t) => t !== a && t !== b), pair(a, b, keep, size)];
  }
  const last = sumUnneeded(terms[0], new Set(out));
  const r = last.t.transpose(out.map((l) => last.labels.indexOf(l)));
  return isBool(dtype) ? r.ne(0) : r;
}

/** An operand alone: repeated indices as diagonal views, broadcast size-1 dims dropped. */
function prepare(term: Term, size: ReadonlyMap<number, number>): Term {
  let { t, labels } = term;
  for (;;) {
    const i = labels.findIndex((l, p) => labels.indexOf(l) !== p);
    if (i < 0) break;
    const first = labels.indexOf(labels[i]); // of equal sizes: checked in contract
    const l = labels[i];
    t = diagonal(t, 0, first, i); // the two axes become one, last
    labels = [...labels.filter((_, p) => p !== first && p !== i), l];
  }
  const drop = labels.map((l, p) => (t.shape[p] === 1 && size.get(l)! !== 1 ? p : -1)).filter((p) => p >= 0);
  if (drop.length) {
    t = t.reshape(t.shape.filter((_, p) => !drop.includes(p)));
    labels = labels.filter((_, p) => !drop.includes(p));
  }
  return { t, labels };
}

/** Sums away the labels of `term` not in `keep` (ints wrap to int32, as numpy's int32 sums). */
function sumUnneeded(term: Term, keep: ReadonlySet<number>): Term {
  const axes = term.labels.map((l, p) => (keep.has(l) ? -1 : p)).filter((p) => p >= 0);
  if (axes.length === 0) return term;
  return { t: sumAxes(term.t, axes), labels: term.labels.filter((l) => keep.has(l)) };
}

/**
 * `sum` over axes in the tensor's dtype. An integer sum is exact in 64 bits and comes back as float64;
 * it is wrapped into the dtype's range (mod 2^bits) as numpy's integer einsum wraps: exact while
 * |sum| < 2^53.
 */
function sumAxes(t: Tensor, axes: number[]): Tensor {
  const s = t.sum(axes);
  if (!isInteger(t.dtype)) return s;
  const { min, max } = DTYPE[t.dtype], span = max - min + 1;
  return s.sub(s.sub(min).div(span).floor().mul(span)).cast(t.dtype);
}

/** `t`'s axes moved into the order of `order` (labels it lacks become size-1 dims). */
function align(term: Term, order: readonly number[]): Tensor {
  const mine = order.filter((l) => term.labels.includes(l));
  const moved = term.t.transpose(mine.map((l) => term.labels.indexOf(l)));
  return moved.reshape(order.map((l) => (term.labels.includes(l) ? term.t.shape[term.labels.indexOf(l)] : 1)));
}

/** Two terms contracted to the labels of either that `keep` holds. */
function pair(a: Term, b: Term, keep: ReadonlySet<number>, size: ReadonlyMap<number, number>): Term {
  const inB = (l: number) => b.labels.includes(l);
  const batch = a.labels.filter((l) => inB(l) && keep.has(l));
  const summed = a.labels.filter((l) => inB(l) && !keep.has(l));
  const m = a.labels.filter((l) => !inB(l));
  const n = b.labels.filter((l) => !a.labels.includes(l));
  const dims = (ls: readonly number[]) => ls.map((l) => size.get(l)!);
  if (summed.length && m.length && n.length) {
    // A matrix product: [batch, M, K] @ [batch, K, N].
    const A = align(a, [...batch, ...m, ...summed]).reshape([...dims(batch), sizeOfLabels(m, size), sizeOfLabels(summed, size)]);
    const B = align(b, [...batch, ...summed, ...n]).reshape([...dims(batch), sizeOfLabels(summed, size), sizeOfLabels(n, size)]);
    return { t: A.matmul(B).reshape(dims([...batch, ...m, ...n])), labels: [...batch, ...m, ...n] };
  }
  // Otherwise a broadcast product, its contracted indices summed in the same (fused) reduction.
  const order = [...a.labels, ...n];
  const prod = align(a, order).mul(align(b, order));
  return sumUnneeded({ t: prod, labels: order }, keep);
}
