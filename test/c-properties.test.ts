/**
 * Property tests: the C backend (fused, and unfused = one kernel per op) against the TypeScript
 * reference, on random graphs drawn from the op table (test/graphgen.ts), plus deterministic tables.
 *
 * TOLERANCE RULE. Every element of every output is either EXACT or BOUNDED, decided by an error model
 * that walks the graph alongside the reference (`errorModel` below):
 *  - An element is exact when it depends only on ops with `ulps: 0` in the table (and on int/bool ops,
 *    which are always exact): +, -, *, /, sqrt, comparisons, casts, mod, round, where, every reduction
 *    (both backends fold in the order src/reduction.ts defines), every view... C is compiled with -ffp-contract=off and rounds once per op like the
 *    reference, so these must match bit for bit: Object.is (-0 is not +0), except that any NaN equals
 *    any NaN (payloads and NaN signs are not semantics). Ints and bools are always compared exactly.
 *  - An element that depends on an op with `ulps > 0` (libm functions, pow, matmul) gets an interval [lo, hi] the C value must lie in (NaN allowed only
 *    where the model says NaN is possible). Intervals are propagated with interval arithmetic:
 *      · an inexact op on exact operands: the reference value ± 2·ulps units in the last place of the
 *        output dtype (the table's `ulps` is the allowed per-op difference; ×2 covers the two libms'
 *        independent errors and non-monotone last bits);
 *      · any continuous op on inexact operands (add, sub, mul, div, neg, abs, maximum, minimum, where,
 *        float casts, sqrt, exp, expm1, log, log1p, tanh, tan, and issue 15's asin atan sinh asinh acosh atanh
 *        log2 log10 exp2 cbrt erf (acos, erfc decreasing) — monotone on the interval's endpoints —
 *        and sin, cos — Lipschitz 1 —): the exact image of the operand intervals, widened outward by
 *        (2 + 2·ulps) ulps for the op's own rounding and the double-precision endpoint evaluation;
 *      · sum over n inexact elements: [Σlo, Σhi] ± 2(n + ulps + 1)·ε·Σ|x| + (n + 1)·tiny (any summation
 *        order is within (n−1)·ε·Σ|x| of the exact sum, for both C and the reference); prod over n elements:
 *        the interval product ± 2(n + ulps + 1)·ε·|p|, valid only if no partial product in any order
 *        can leave the normal range (checked with the sum of the factors' binary exponents); matmul
 *        over K: like a sum of K interval products;
 *      · ε is the unit roundoff of the node's dtype (2^-24 float32, 2^-53 float64), tiny its smallest
 *        subnormal; every interval is rounded outward in the node's own dtype, so an interval may reach
 *        ±Inf only when the values are within a few ulps of overflow.
 *    So a finite/non-finite mismatch is accepted only where an inexact op makes overflow possible (a
 *    sum, prod or matmul whose Σ|x| reaches the overflow threshold; a result within ulps of it; a
 *    product of finite values that rounds to ±Inf, which the matmul's FMA keeps unrounded), or where
 *    an inexact value that may be 0 or ±Inf meets 0 or ±Inf (0·Inf, Inf−Inf, 0/0).
 *  The generator never feeds an inexact value into an op without such a rule (comparisons, floor, mod,
 *  pow, casts to int, argmax, a where condition...): there a last-bit difference may flip a whole branch,
 *  so the model could only say "anything" — the error model throws if it ever sees one.
 *
 * Failures print the fast-check seed and path (fast-check's report), the graph step by step with shapes
 * and dtypes, the input values, the C and reference results, the allowed values, and the C files (the
 * cache copy, and a copy kept in $TMPDIR/tensorfuse-failures/ because each test file's cache directory is
 * deleted when the file ends). Replay one failure with the seed and path fast-check printed:
 *   TENSORFUSE_PROPERTY_SEED=<seed> TENSORFUSE_PROPERTY_PATH=<path> npx vitest run test/c-properties.test.ts -t '<test name>'
 *
 * Cost: each new graph structure costs two gcc compiles (fused and unfused; ~0.1–0.2 s each, run in
 * parallel in the background), so each structure is run on three draws of input and scalar values,
 * which compile nothing (asserted). TENSORFUSE_PROPERTY_RUNS multiplies the number of structures; at the
 * default (100 elementwise + 80 reduction structures) the file takes 55–65 s on a 2-core machine.
 * TENSORFUSE_PROPERTY_SHRINK=0 reports the first failure without shrinking it.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import type { ConvArg } from '../src/convops.js';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DType, Storage } from '../src/dtype.js';
import { DTYPES, ShapeError, DTypeError, OPS, Tensor, concat, configure, defineKernel, defineOp, evalAll, stats, tensor, where } from '../src/index.js';
import { DTYPE, isBool, isFloat, storageClass } from '../src/dtype.js';
import type { Node } from '../src/graph.js';
import { bufferNode, makeNode, toposort } from '../src/graph.js';
import type { ElementwiseDef, ReduceDef } from '../src/ops.js';
import { evaluate } from '../src/reference.js';
import { erf, erfc } from '../src/special.js';
import { runNodes } from '../src/realize.js';
import { compile, compileInBackground } from '../src/runtime/programs.js';
import { sourceFor } from '../src/runtime/run.js';
import { canonicalize, schedule } from '../src/schedule.js';
import { fmtShape, sizeOf } from '../src/shape.js';
import type { Built, Data, GraphSpec, Mode } from './graphgen.js';
import { BINARY, CONTINUOUS, F32_SPECIAL, F64_SPECIAL, I32_SPECIAL, intSpecials, REDUCE, TERNARY, UNARY, buildGraph, dataArb, domainsOf, inexactOp, inputShapes, makeInputs, opDefOf, showNum, specArb, useCustomOp } from './graphgen.js';
import { propertyRuns, sameNumber } from './helpers.js';

const SEED = Number(process.env.TENSORFUSE_PROPERTY_SEED || 20251121);
const PATH = process.env.TENSORFUSE_PROPERTY_PATH || undefined;

// Custom ops join the op table at run time and the generator draws them like built-in ops (SPEC §1:
// "ref is its TS reference, so the property tests cover it too"). The kernel gets float64 input: its C
// stores a double into `out`, which for an int32 output would be undefined behaviour out of range.
const qgelu = defineOp('qgelu_test', { arity: 1, c: 'a / (1 + exp(-1.702 * a))', ref: (a) => a / (1 + Math.exp(-1.702 * a)), domain: [[-10, 10]] });
useCustomOp('qgelu_test', 1, qgelu);
const cumsum = defineKernel('cumsum_test', {
  inputs: 1,
  c: 'double acc = 0; for (int64_t i = 0; i < n; i++) out[i] = acc += in0[i];',
  ref: ([x], out) => { let acc = 0; for (let i = 0; i < out.length; i++) out[i] = acc += x[i]; },
});
useCustomOp('cumsum_test', 1, (t: Tensor) => cumsum(t.cast('float64')), true);

// These tests are about the C backend whatever TENSORFUSE_BACKEND says; evalAll takes no options.
beforeAll(() => { configure({ backend: 'c' }); });
afterAll(() => { configure({ backend: undefined }); });

// ---- the error model -------------------------------------------------------------------------------

/** Values the C result may take at one element: [lo, hi], plus NaN when `nan`. Empty when lo > hi. */
interface Iv { lo: number; hi: number; nan: boolean; point?: boolean }
const ONLY_NAN: Iv = { lo: Infinity, hi: -Infinity, nan: true };
const ANY: Iv = { lo: -Infinity, hi: Infinity, nan: true };
const isEmpty = (a: Iv): boolean => a.lo > a.hi;
const hasZero = (a: Iv): boolean => a.lo <= 0 && a.hi >= 0;
const hasInf = (a: Iv): boolean => a.lo === -Infinity || a.hi === Infinity;
const hull = (vs: number[], nan: boolean): Iv => (vs.some((v) => v !== v) ? ANY : { lo: Math.min(...vs), hi: Math.max(...vs), nan });

/**
 * Exact operands (points) give a point, or certainly NaN (Inf − Inf, 0·Inf): not "anything". But a
 * finite result that rounds to ±Inf is only "beyond MAX": C may not round it (an FMA keeps the product
 * exact), so a later Inf − Inf is not certain.
 */
const pointOf = (v: number, x: number, y: number): Iv => {
  if (v !== v) return ONLY_NAN;
  if (!Number.isFinite(v) && Number.isFinite(x) && Number.isFinite(y)) return v > 0 ? { lo: Number.MAX_VALUE, hi: v, nan: false } : { lo: v, hi: -Number.MAX_VALUE, nan: false };
  return { lo: v, hi: v, nan: false };
};

/** Endpoint results, where one that overflowed from finite operands also stands for ±MAX (see pointOf). */
const ends = (rs: readonly (readonly [number, number, number])[]): number[] =>
  rs.flatMap(([v, x, y]) => (v === v && !Number.isFinite(v) && Number.isFinite(x) && Number.isFinite(y) ? [v, Math.sign(v) * Number.MAX_VALUE] : [v]));

function addIv(a: Iv, b: Iv): Iv {
  if (isEmpty(a) || isEmpty(b)) return ONLY_NAN;
  if (a.point && b.point) return pointOf(a.lo + b.lo, a.lo, b.lo);
  if ((a.lo === -Infinity && b.hi === Infinity) || (a.hi === Infinity && b.lo === -Infinity)) return ANY; // Inf - Inf
  return hull(ends([[a.lo + b.lo, a.lo, b.lo], [a.hi + b.hi, a.hi, b.hi]]), a.nan || b.nan);
}
const negIv = (a: Iv): Iv => ({ lo: -a.hi, hi: -a.lo, nan: a.nan });
function mulIv(a: Iv, b: Iv): Iv {
  if (isEmpty(a) || isEmpty(b)) return ONLY_NAN;
  if (a.point && b.point) return pointOf(a.lo * b.lo, a.lo, b.lo);
  const nan = a.nan || b.nan || (hasZero(a) && hasInf(b)) || (hasZero(b) && hasInf(a));
  return hull(ends([[a.lo * b.lo, a.lo, b.lo], [a.lo * b.hi, a.lo, b.hi], [a.hi * b.lo, a.hi, b.lo], [a.hi * b.hi, a.hi, b.hi]]), nan);
}
function divIv(a: Iv, b: Iv): Iv {
  if (isEmpty(a) || isEmpty(b)) return ONLY_NAN;
  const nan = a.nan || b.nan || (hasZero(a) && hasZero(b)) || (hasInf(a) && hasInf(b));
  if (b.lo < 0 && b.hi > 0) return ANY;
  // A divisor that may be zero: only an exact ±0 has a known sign.
  if ((b.lo === 0 || b.hi === 0) && !b.point) return ANY;
  return hull(ends([[a.lo / b.lo, a.lo, b.lo], [a.lo / b.hi, a.lo, b.hi], [a.hi / b.lo, a.hi, b.lo], [a.hi / b.hi, a.hi, b.hi]]), nan);
}
function absIv(a: Iv): Iv {
  if (isEmpty(a)) return a;
  if (a.lo >= 0) return a;
  if (a.hi <= 0) return negIv(a);
  return { lo: 0, hi: Math.max(-a.lo, a.hi), nan: a.nan };
}
const maxIv = (a: Iv, b: Iv): Iv => (isEmpty(a) || isEmpty(b) ? ONLY_NAN : { lo: Math.max(a.lo, b.lo), hi: Math.max(a.hi, b.hi), nan: a.nan || b.nan });
const minIv = (a: Iv, b: Iv): Iv => (isEmpty(a) || isEmpty(b) ? ONLY_NAN : { lo: Math.min(a.lo, b.lo), hi: Math.min(a.hi, b.hi), nan: a.nan || b.nan });
/** A non-decreasing function: the image of the endpoints; NaN below its domain. */
const mono = (f: (x: number) => number) => ([a]: Iv[]): Iv => {
  if (isEmpty(a)) return ONLY_NAN;
  const lo = f(a.lo), hi = f(a.hi);
  if (hi !== hi) return lo !== lo ? ONLY_NAN : ANY;
  if (lo !== lo) return { lo: -Infinity, hi, nan: true };
  return { lo, hi, nan: a.nan };
};
/** A non-increasing function (acos, erfc): the image of the endpoints swapped; NaN outside its domain. */
const antitone = (f: (x: number) => number) => ([a]: Iv[]): Iv => {
  if (isEmpty(a)) return ONLY_NAN;
  const lo = f(a.hi), hi = f(a.lo);
  if (lo !== lo || hi !== hi) return lo !== lo && hi !== hi ? ONLY_NAN : ANY;
  return { lo, hi, nan: a.nan };
};
/** sin and cos: |f(x') − f(x)| ≤ |x' − x|, and the result is in [-1, 1]. */
const lipschitz1 = ([a]: Iv[], [x]: number[], r: number): Iv => {
  if (isEmpty(a)) return ONLY_NAN;
  const w = Math.max(Math.abs(x - a.lo), Math.abs(a.hi - x));
  if (!hasInf(a) && x === x && r === r && w < 2) return { lo: Math.max(-1, r - w), hi: Math.min(1, r + w), nan: a.nan };
  return { lo: -1, hi: 1, nan: true };
};
function tanIv([a]: Iv[]): Iv {
  if (isEmpty(a)) return ONLY_NAN;
  if (hasInf(a)) return ANY;
  const branch = (x: number) => Math.floor(x / Math.PI + 0.5);
  return branch(a.lo) === branch(a.hi) ? { lo: Math.tan(a.lo), hi: Math.tan(a.hi), nan: a.nan } : ANY;
}

/**
 * How each continuous elementwise op maps operand intervals to a result interval (or, for `where`, which
 * operand passes through). The generator only lets inexact values reach ops listed in graphgen's CONTINUOUS.
 */
const RULES: Record<string, (xs: Iv[], refs: number[], r: number) => Iv | number> = {
  add: ([a, b]) => addIv(a, b),
  sub: ([a, b]) => addIv(a, negIv(b)),
  mul: ([a, b]) => mulIv(a, b),
  div: ([a, b]) => divIv(a, b),
  neg: ([a]) => negIv(a),
  abs: ([a]) => absIv(a),
  maximum: ([a, b]) => maxIv(a, b),
  minimum: ([a, b]) => minIv(a, b),
  where: (_xs, [c]) => (c ? 1 : 2),
  cast: ([a]) => a,
  sqrt: mono(Math.sqrt),
  exp: mono(Math.exp),
  expm1: mono(Math.expm1),
  log: mono(Math.log),
  log1p: mono(Math.log1p),
  tanh: mono(Math.tanh),
  sin: lipschitz1,
  cos: lipschitz1,
  tan: tanIv,
  // issue 15: the monotone ones of numpy's math (cosh is not monotone; hypot and atan2 are binary)
  asin: mono(Math.asin),
  atan: mono(Math.atan),
  sinh: mono(Math.sinh),
  asinh: mono(Math.asinh),
  acosh: mono(Math.acosh),
  atanh: mono(Math.atanh),
  log2: mono(Math.log2),
  log10: mono(Math.log10),
  exp2: mono((x) => 2 ** x),
  cbrt: mono(Math.cbrt),
  erf: mono(erf),
  acos: antitone(Math.acos),
  erfc: antitone(erfc),
};

/** Per element of a node: exact, or the interval its C value must lie in. */
interface Bound { exact: Uint8Array; lo: Float64Array; hi: Float64Array; nan: Uint8Array }

const EPS: Record<string, number> = { float32: 2 ** -24, float64: 2 ** -53 };
const TINY: Record<string, number> = { float32: 2 ** -149, float64: 2 ** -1074 };
const MAX: Record<string, number> = { float32: 3.4028234663852886e38, float64: Number.MAX_VALUE };
const EXP_RANGE: Record<string, [number, number]> = { float32: [-126, 128], float64: [-1022, 1024] };

const f32 = new Float32Array(1), i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1), i64 = new BigInt64Array(f64.buffer);
/** The next value of dtype `d` above (up) or below `x`, which must be a value of `d`. */
function step(x: number, up: boolean, d: DType): number {
  if (x !== x || x === (up ? Infinity : -Infinity)) return x;
  const tiny = TINY[d];
  if (x === 0) return up ? tiny : -tiny;
  const toward = (x > 0) === up ? 1 : -1;
  if (d === 'float32') { f32[0] = x; i32[0] += toward; return f32[0]; }
  f64[0] = x; i64[0] += BigInt(toward); return f64[0];
}
/** Rounds [lo, hi] outward to dtype `d` and widens it by `k` more ulps on each side. */
function outward(iv: Iv, k: number, d: DType): Iv {
  if (isEmpty(iv)) return iv;
  let lo = iv.lo, hi = iv.hi;
  if (d === 'float32') {
    const l = Math.fround(lo), h = Math.fround(hi);
    lo = l > lo ? step(l, false, d) : l;
    hi = h < hi ? step(h, true, d) : h;
  }
  for (let i = 0; i < k; i++) { lo = step(lo, false, d); hi = step(hi, true, d); }
  return { lo, hi, nan: iv.nan };
}

class ModelError extends Error {}

/** Output flat index of every input element of a reduction over `axes` (groups in row-major order). */
function groupIndex(shape: readonly number[], axes: readonly number[]): Int32Array {
  const n = sizeOf(shape), nd = shape.length;
  const out = new Int32Array(n);
  const idx = new Array<number>(nd).fill(0);
  for (let i = 0; i < n; i++) {
    let o = 0;
    for (let d = 0; d < nd; d++) if (!axes.includes(d)) o = o * shape[d] + idx[d];
    out[i] = o;
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * Where each element of a movement op's result comes from (−1: a fill value), found by running the
 * op itself on two index arrays in the reference: works for every movement op in the table.
 */
function indexMap(n: Node): Float64Array {
  const src = n.src[0];
  const count = sizeOf(src.shape);
  const runOn = (off: number) => {
    const b = bufferNode(Float64Array.from({ length: count }, (_, i) => i + off), src.shape, 'float64');
    // A gather's other sources are its (exact) index tensors: kept as they are.
    return evaluate([makeNode(n.op, [b, ...n.src.slice(1)], n.shape, 'float64', n.arg)])[0];
  };
  const a = runOn(1), b = runOn(2);
  return Float64Array.from(a, (x, i) => (b[i] - x === 1 ? x - 1 : -1));
}

/** Largest finite magnitude in an interval. */
const mag = (iv: Iv): number => Math.max(...[iv.lo, iv.hi].filter(Number.isFinite).map(Math.abs), 0);

/**
 * A sum of `terms` in any order (C reassociates), `S` bounding Σ|term|: certainly NaN with a NaN or with
 * both +Inf and −Inf among the terms; anything if partial sums may overflow; else the interval sum
 * widened by the reordering error.
 */
function sumBound(terms: readonly Iv[], S: number, ulps: number, d: DType): Iv {
  if (terms.some(isEmpty)) return ONLY_NAN;
  const sure = (v: number) => terms.some((iv) => iv.lo === v && iv.hi === v && !iv.nan);
  if (sure(Infinity) && sure(-Infinity)) return ONLY_NAN;
  if (!(S < MAX[d] / 2)) return ANY;
  const n = terms.length;
  const w = 2 * (n + ulps + 1) * EPS[d] * S + (n + 1) * TINY[d];
  const acc = terms.reduce(addIv, { lo: 0, hi: 0, nan: false });
  return outward(isEmpty(acc) ? acc : { lo: acc.lo - w, hi: acc.hi + w, nan: acc.nan }, 1, d);
}

/** The error model of a graph: a Bound for every node, from the reference values of every node. */
function errorModel(outputs: readonly Node[]): { bounds: Map<Node, Bound>; values: Map<Node, Storage> } {
  const order = toposort(outputs);
  const vals = evaluate(order);
  const values = new Map(order.map((n, i) => [n, vals[i]]));
  const bounds = new Map<Node, Bound>();
  const ivAt = (n: Node, i: number): Iv => {
    const b = bounds.get(n)!, v = values.get(n)![i];
    if (b.exact[i]) return v !== v ? ONLY_NAN : { lo: v, hi: v, nan: false, point: true };
    return { lo: b.lo[i], hi: b.hi[i], nan: b.nan[i] === 1 };
  };
  for (const n of order) {
    const r = values.get(n)!;
    const size = r.length;
    const B: Bound = { exact: new Uint8Array(size).fill(1), lo: new Float64Array(size), hi: new Float64Array(size), nan: new Uint8Array(size) };
    bounds.set(n, B);
    const set = (i: number, iv: Iv) => { B.exact[i] = 0; B.lo[i] = iv.lo; B.hi[i] = iv.hi; B.nan[i] = iv.nan ? 1 : 0; };
    const copy = (i: number, s: Node, j: number) => {
      const sb = bounds.get(s)!;
      B.exact[i] = sb.exact[j]; B.lo[i] = sb.lo[j]; B.hi[i] = sb.hi[j]; B.nan[i] = sb.nan[j];
    };
    const def = opDefOf(n.op);
    const d = n.dtype;
    const where = () => `${n.op} ${d}${fmtShape(n.shape)}`;
    if (def.kind === 'source') continue;
    if (def.kind === 'movement') {
      if (n.src.every((s) => bounds.get(s)!.exact.every((e) => e === 1))) continue;
      const map = indexMap(n);
      for (let i = 0; i < size; i++) if (map[i] >= 0) copy(i, n.src[0], map[i]);
      continue;
    }
    if (def.kind === 'elementwise') {
      const ew = def as ElementwiseDef;
      const rough = inexactOp(n);
      for (let i = 0; i < size; i++) {
        if (n.src.every((s) => bounds.get(s)!.exact[i])) {
          if (rough && r[i] === r[i]) set(i, outward({ lo: r[i], hi: r[i], nan: false }, 2 * ew.ulps, d));
          continue;
        }
        const rule = RULES[n.op];
        if (!rule || !isFloat(d)) throw new ModelError(`error model: ${where()} received an inexact operand (element ${i}) but has no interval rule; the generator should not build this`);
        const out = rule(n.src.map((s) => ivAt(s, i)), n.src.map((s) => values.get(s)![i]), r[i]);
        if (typeof out === 'number') copy(i, n.src[out], i);
        else set(i, outward(out, 2 + 2 * ew.ulps, d));
      }
      continue;
    }
    if (def.kind === 'reduce') {
      const x = n.src[0];
      const axes = (n.arg as { axes: number[] }).axes;
      const g = groupIndex(x.shape, axes);
      const count = axes.reduce((k, a) => k * x.shape[a], 1);
      const members: number[][] = Array.from({ length: size }, () => []);
      g.forEach((o, j) => members[o].push(j));
      const xb = bounds.get(x)!;
      const ulps = (def as ReduceDef).ulps;
      for (let o = 0; o < size; o++) {
        const js = members[o];
        const allExact = js.every((j) => xb.exact[j]);
        if (!isFloat(d) || !isFloat(x.dtype)) {
          if (!allExact) throw new ModelError(`error model: ${where()} (integer result) received an inexact operand; the generator should not build this`);
          continue;
        }
        if (allExact) continue; // the same elements in the same order: the same bits
        if (n.op === 'max' || n.op === 'min') {
          const f = n.op === 'max' ? maxIv : minIv;
          set(o, js.map((j) => ivAt(x, j)).reduce(f));
          continue;
        }
        if (n.op !== 'sum' && n.op !== 'prod') throw new ModelError(`error model: no rule for reduction ${where()} on inexact values`);
        const ivs = js.map((j) => ivAt(x, j));
        if (n.op === 'sum') {
          set(o, sumBound(ivs, ivs.reduce((acc, iv) => acc + mag(iv), 0), ulps, d));
          continue;
        }
        if (ivs.some(isEmpty)) { set(o, ONLY_NAN); continue; }
        const sure = (v: number) => ivs.some((iv) => iv.lo === v && iv.hi === v && !iv.nan); // 0 matches ±0
        if (sure(0) && (sure(Infinity) || sure(-Infinity))) { set(o, ONLY_NAN); continue; } // 0·Inf in any order
        // Any order of multiplication is within n·ε relative only if no partial product leaves the normal range.
        let up = 0, down = 0;
        for (const iv of ivs) {
          if (iv.lo === iv.hi && (iv.lo === 0 || !Number.isFinite(iv.lo))) continue; // exact 0 and ±Inf absorb in any order
          up += Math.max(0, Math.log2(mag(iv)));
          down += Math.min(0, Math.log2(hasZero(iv) ? 0 : Math.min(Math.abs(iv.lo), Math.abs(iv.hi))));
        }
        const [emin, emax] = EXP_RANGE[d];
        if (!(up < emax - 2 && down > emin + 2)) { set(o, ANY); continue; }
        const p = ivs.reduce(mulIv, { lo: 1, hi: 1, nan: false, point: true });
        if (isEmpty(p)) { set(o, p); continue; }
        const w = (v: number) => (Number.isFinite(v) ? 2 * (count + ulps + 1) * EPS[d] * Math.abs(v) + (count + 1) * TINY[d] : 0);
        set(o, outward({ lo: p.lo - w(p.lo), hi: p.hi + w(p.hi), nan: p.nan }, 1, d));
      }
      continue;
    }
    if (def.kind === 'kernel') {
      // A custom C kernel (defineKernel): its own ulps around the reference, on exact inputs only.
      if (!n.src.every((s) => bounds.get(s)!.exact.every((e) => e === 1))) throw new ModelError(`error model: custom kernel ${where()} received an inexact operand`);
      if (def.ulps > 0 && isFloat(d)) for (let i = 0; i < size; i++) if (r[i] === r[i]) set(i, outward({ lo: r[i], hi: r[i], nan: false }, 2 * def.ulps, d));
      continue;
    }
    if (def.kind === 'scatter' || def.kind === 'scan' || def.kind === 'sort') {
      // Positions and values in the same order on both backends (a scan folds in scanops.ts's order, a
      // sort is stable): exact operands, exact result.
      if (!n.src.every((s) => bounds.get(s)!.exact.every((e) => e === 1))) throw new ModelError(`error model: ${def.kind} ${where()} received an inexact operand`);
      continue;
    }
    if (def.kind !== 'matmul') throw new ModelError(`error model: no rule for ops of kind ${def.kind} (${where()})`);
    if (n.op === 'conv2d') {
      // conv2d: w [G, O/G, K] times the im2col matrix of the zero-padded x [N, C, H, W] (src/convops.ts),
      // direct loops with FMA in C: bounded like matmul, a sum of K products per element (padding: exact 0).
      const [w, x] = n.src, a = n.arg as unknown as ConvArg;
      const [, G, Og, P] = n.shape, [, C, H, W] = x.shape, Cg = C / G, K = Cg * a.kh * a.kw;
      const zero: Iv = { lo: 0, hi: 0, nan: false, point: true };
      for (let o = 0; o < size; o++) {
        const b = Math.floor(o / (G * Og * P)), g = Math.floor(o / (Og * P)) % G, oc = Math.floor(o / P) % Og, p = o % P;
        const i = Math.floor(p / a.ow), j = p % a.ow;
        const terms: Iv[] = [];
        let S = 0;
        for (let c = 0, k = 0; c < Cg; c++) {
          for (let u = 0; u < a.kh; u++) {
            for (let v = 0; v < a.kw; v++, k++) {
              const r = i * a.sh + u * a.dh - a.pads[0], q = j * a.sw + v * a.dw - a.pads[2];
              const wv = ivAt(w, (g * Og + oc) * K + k), xv = r >= 0 && r < H && q >= 0 && q < W ? ivAt(x, ((b * C + g * Cg + c) * H + r) * W + q) : zero;
              terms.push(mulIv(wv, xv));
              S += mag(wv) * mag(xv);
            }
          }
        }
        set(o, sumBound(terms, S, def.ulps, d));
      }
      continue;
    }
    // matmul: [..., m, K] @ [..., K, cols], blocked (and FMA-contracted) in C; bounded like a sum of K products.
    const [a, b] = n.src;
    const nd = n.shape.length;
    const m = n.shape[nd - 2], cols = n.shape[nd - 1], K = a.shape[nd - 1];
    const ab = bounds.get(a)!, bb = bounds.get(b)!;
    const allExact = ab.exact.every((e) => e === 1) && bb.exact.every((e) => e === 1);
    if (!isFloat(d)) {
      if (!allExact) throw new ModelError(`error model: ${where()} (integer result) received an inexact operand`);
      continue;
    }
    const ulps = def.ulps;
    for (let o = 0; o < size; o++) {
      const p = Math.floor(o / Math.max(1, m * cols)), i = Math.floor(o / cols) % m, j = o % cols;
      const terms: Iv[] = [];
      let S = 0;
      for (let q = 0; q < K; q++) {
        const x = ivAt(a, p * m * K + i * K + q), y = ivAt(b, p * K * cols + q * cols + j);
        terms.push(mulIv(x, y));
        S += mag(x) * mag(y);
      }
      set(o, sumBound(terms, S, ulps, d));
    }
  }
  return { bounds, values };
}

// ---- running and comparing -----------------------------------------------------------------------

type How = 'fused' | 'unfused' | 'ts';

/** Realizes the outputs: eval()/evalAll() for the public paths, runNodes for unfused several outputs. */
function run(nodes: readonly Node[], how: How): Storage[] {
  if (how === 'ts') {
    return nodes.length === 1 ? [new Tensor(nodes[0]).eval({ backend: 'ts' }).data()] : runNodes(nodes, { backend: 'ts' });
  }
  if (how === 'fused') {
    if (nodes.length === 1) return [new Tensor(nodes[0]).eval({ backend: 'c' }).data()];
    return evalAll(...nodes.map((n) => new Tensor(n))).map((t) => t.data());
  }
  return nodes.length === 1 ? [new Tensor(nodes[0]).eval({ backend: 'c', fuse: false }).data()] : runNodes(nodes, { backend: 'c', fuse: false });
}

/**
 * Compiles the fused and the unfused program in parallel, in the background (two cores, two gccs), for
 * the output lists `run` will use: evalAll realizes each distinct lazy node once.
 */
async function warm(nodes: readonly Node[]): Promise<void> {
  const lazy = nodes.length === 1 ? nodes : [...new Set(nodes.filter((n) => n.op !== 'buffer'))];
  const jobs: [readonly Node[], boolean][] = [[lazy, true], [nodes, false]];
  await Promise.all(jobs.filter(([ns]) => ns.length).map(([ns, fuse]) => compileInBackground(ns, canonicalize(ns, fuse), fuse)));
}

/**
 * The `.c` file eval ran for these outputs (the program in the memory cache: already compiled, so this
 * compiles nothing), with a copy that outlives the test's cache directory; and a warning if it is not
 * the source that `sourceFor` generates now.
 */
function cFile(nodes: readonly Node[], fuse: boolean): string {
  let path: string, ran: string;
  try {
    const c = compile(nodes, canonicalize(nodes, fuse), fuse);
    [path, ran] = [c.cPath, c.c.source];
  } catch (e) {
    return `(no program: ${(e as Error).message.split('\n')[0]})`;
  }
  const keep = join(tmpdir(), 'tensorfuse-failures');
  mkdirSync(keep, { recursive: true });
  let copy = join(keep, basename(path));
  try { copyFileSync(path, copy); } catch { writeFileSync(copy, ran); }
  const now = sourceFor(nodes, fuse);
  if (now !== ran) {
    copy += ` — WARNING: the memory cache ran a program whose source differs from sourceFor(); that one is in ${join(keep, `sourceFor-${basename(path)}`)}`;
    writeFileSync(join(keep, `sourceFor-${basename(path)}`), now);
  }
  return `${path} (copy: ${copy})`;
}

const show = (x: number): string => showNum(x);
function showArray(a: ArrayLike<number>, limit = 120): string {
  const xs = Array.from(a);
  const body = xs.length > limit ? [...xs.slice(0, limit / 2).map(show), '...', ...xs.slice(-limit / 2).map(show)] : xs.map(show);
  return `[${body.join(', ')}]`;
}

interface Mismatch { out: number; i: number; got: number; want: number; allowed: string }

function compare(nodes: readonly Node[], got: readonly Storage[], ref: readonly Storage[], bounds: Map<Node, Bound>): Mismatch[] {
  const bad: Mismatch[] = [];
  nodes.forEach((n, o) => {
    const b = bounds.get(n)!;
    const g = got[o], r = ref[o];
    if (g.length !== r.length) {
      bad.push({ out: o, i: -1, got: g.length, want: r.length, allowed: 'same length' });
      return;
    }
    for (let i = 0; i < r.length; i++) {
      if (b.exact[i]) {
        if (!sameNumber(g[i], r[i])) bad.push({ out: o, i, got: g[i], want: r[i], allowed: 'exactly the reference' });
      } else {
        const ok = g[i] !== g[i] ? b.nan[i] === 1 : g[i] >= b.lo[i] && g[i] <= b.hi[i];
        if (!ok) bad.push({ out: o, i, got: g[i], want: r[i], allowed: `[${show(b.lo[i])}, ${show(b.hi[i])}]${b.nan[i] ? ' or NaN' : ''}` });
      }
    }
  });
  return bad;
}

function report(title: string, built: Built, spec: GraphSpec | undefined, inputs: readonly Tensor[], nodes: readonly Node[],
  results: Record<string, readonly Storage[]>, bad: Record<string, Mismatch[]>): string {
  const lines = [title, 'graph:', ...built.lines.map((l) => `  ${l}`), `  outputs: ${built.outputNames.join(', ')}`];
  if (spec) lines.push(`spec: ${JSON.stringify(spec)}`);
  lines.push('inputs:', ...inputs.map((t, i) => `  x${i} ${t.dtype}${fmtShape(t.shape)} = ${showArray(t.data())}`));
  for (const [how, ms] of Object.entries(bad)) {
    if (!ms.length) continue;
    lines.push(`${how} C vs reference: ${ms.length} mismatching element(s); first ones:`);
    for (const m of ms.slice(0, 8)) {
      lines.push(`  output ${built.outputNames[m.out]} ${nodes[m.out].dtype}${fmtShape(nodes[m.out].shape)} [${m.i}]: C ${show(m.got)}, reference ${show(m.want)}, allowed ${m.allowed}`);
    }
  }
  const failing = new Set(Object.values(bad).flatMap((ms) => ms.map((m) => m.out)));
  nodes.forEach((n, o) => {
    if (nodes.length > 4 && !failing.has(o)) return;
    lines.push(`output ${built.outputNames[o]} ${n.dtype}${fmtShape(n.shape)}:`);
    for (const [how, rs] of Object.entries(results)) lines.push(`  ${how.padEnd(9)} ${showArray(rs[o])}`);
  });
  lines.push(`C file (fused):   ${cFile(nodes, true)}`, `C file (unfused): ${cFile(nodes, false)}`);
  return lines.join('\n');
}

/** An error whose message is already a full failure report. */
class Reported extends Error {}

/** Evaluates one built graph three ways and throws a full report on any disagreement. */
function checkBuilt(built: Built, inputs: readonly Tensor[], spec?: GraphSpec, title = 'C backend disagrees with the reference'): void {
  const nodes = built.outputs.map((t) => t.node);
  const { bounds } = errorModel(nodes);
  const ref = run(nodes, 'ts');
  const fused = run(nodes, 'fused');
  const unfused = run(nodes, 'unfused');
  const bad = { fused: compare(nodes, fused, ref, bounds), unfused: compare(nodes, unfused, ref, bounds) };
  if (bad.fused.length || bad.unfused.length) {
    throw new Reported(report(title, built, spec, inputs, nodes, { fused, unfused, reference: ref }, bad));
  }
}

/** The structural keys eval uses for a graph (fused and unfused). */
const keysOf = (nodes: readonly Node[]): string => `${canonicalize(nodes, true).key}\n${canonicalize(nodes, false).key}`;

/**
 * Property body: one structure, several draws of input values and of JS scalar values. Scalars are
 * runtime arguments (SPEC §3), so a draw whose structural key is unchanged must compile nothing.
 * KNOWN (reported): equal constants are hash-consed into one node, so a draw whose scalar happens to
 * equal another constant of the graph (add(0) next to relu's 0) has another key and compiles once more.
 */
async function checkStructure(spec: GraphSpec, draws: readonly Data[]): Promise<void> {
  let first = '';
  for (const [k, data] of draws.entries()) {
    const inputs = makeInputs(spec, data);
    const built = buildGraph(spec, inputs, k);
    const nodes = built.outputs.map((t) => t.node);
    try {
      const key = keysOf(nodes);
      if (k === 0) first = key;
      if (key !== first || k === 0) await warm(nodes);
      const compiles = stats().compiles;
      checkBuilt(built, inputs, spec);
      if (k > 0 && key === first && stats().compiles !== compiles) {
        throw new Reported([`draw ${k} of a structure compiled again although its structural key was compiled (new input and scalar values must reuse the program):`,
          ...built.lines.map((l) => `  ${l}`), `spec: ${JSON.stringify(spec)}`].join('\n'));
      }
    } catch (e) {
      if (e instanceof Reported) throw e;
      // A crash (compile error, internal error, refused program) is a failure too: name the graph.
      const err = e as Error;
      const what = e instanceof ModelError ? 'The error model refused this graph (a generator bug, not a backend bug):' : 'C backend threw on this graph:';
      const lines = [what, ...built.lines.map((l) => `  ${l}`), `  outputs: ${built.outputNames.join(', ')}`,
        `spec: ${JSON.stringify(spec)}`, `error: ${err.stack ?? err.message}`];
      throw new Reported(lines.join('\n'), { cause: e });
    }
  }
}

/** A structure with `draws` draws of input values, drawn from the specials and the domains of its ops. */
function caseArb(mode: Mode, maxSteps: number, draws: number) {
  return specArb(mode, maxSteps).chain((spec) => {
    const shapes = inputShapes(spec);
    const probe = buildGraph(spec, makeInputs(spec));
    const domains = domainsOf(probe.outputs.map((t) => t.node));
    const data = dataArb(spec.inputs.map((i) => i.dtype), shapes, domains);
    return fc.tuple(fc.constant(spec), fc.array(data, { minLength: draws, maxLength: draws }));
  });
}

// ---- deterministic tables ------------------------------------------------------------------------

type Call = (...args: unknown[]) => Tensor;
const call = (t: Tensor, name: string): Call => (t as unknown as Record<string, Call>)[name].bind(t);
const typed = (d: DType, v: readonly number[]): Storage => storageClass(d).from(v);
const kernelsIn = (src: string): string[] => src.match(/^static void [ERMC]\d+_\w+/gm) ?? [];

/**
 * KNOWN LIMIT (reported): koffi refuses a C function of more than 64 parameters, and tf_program takes
 * (s, z, one pointer per buffer), so a program with more than 62 buffers — 63 outputs of evalAll, or an
 * unfused chain of 62 ops — throws "Functions cannot have more than 64 parameters". Table tests with many
 * outputs are therefore split into programs of at most MAX_BUFFERS buffers (counted on the unfused
 * schedule, which stores every op and so has the most).
 */
const MAX_BUFFERS = 60;
function chunks(nodes: readonly Node[]): Node[][] {
  const out: Node[][] = [];
  let cur: Node[] = [];
  for (const n of nodes) {
    const next = [...cur, n];
    const p = schedule(next, canonicalize(next, false), false);
    if (cur.length && p.inputs.length + p.outputs.length + p.temps.length > MAX_BUFFERS) {
      out.push(cur);
      cur = [n];
    } else cur = next;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Compares C (fused and unfused) with the reference and with literal values, exactly. */
async function expectExact(rows: readonly (readonly [string, Tensor, readonly number[]])[]): Promise<void> {
  const problems: string[] = [];
  let start = 0;
  for (const nodes of chunks(rows.map(([, t]) => t.node))) {
    await warm(nodes);
    const results = { fused: run(nodes, 'fused'), unfused: run(nodes, 'unfused'), reference: run(nodes, 'ts') };
    rows.slice(start, start + nodes.length).forEach(([label, , want], o) => {
      for (const [how, rs] of Object.entries(results)) {
        const got = Array.from(rs[o]);
        if (got.length !== want.length || got.some((g, i) => !sameNumber(g, want[i]))) problems.push(`${label}: ${how} gave ${showArray(got)}, expected ${showArray(want)}`);
      }
    });
    if (problems.length) {
      problems.push(`C file (fused): ${cFile(nodes, true)}`);
      break;
    }
    start += nodes.length;
  }
  expect(problems).toEqual([]);
}

/** Every value class of each dtype, and points of the ops' domains (transcendental edges included). */
const POOLS: Record<DType, number[]> = {
  float64: [...F64_SPECIAL, 0.25, 1.75, -3.5, 10, 20, -20, 100, 0.7, 709.78, 709.79, -745.2, 1e-5, Math.PI / 2],
  float32: [...F32_SPECIAL, 0.25, 1.75, -3.5, 10, 20, -20, 100, 0.7, 88.72, 88.73, -103.9, 1e-5, Math.PI / 2].map(Math.fround),
  int32: [...I32_SPECIAL, 4, 5, -3, 31, -31, 10, 100],
  uint32: [...intSpecials('uint32'), 2 ** 32 - 7, 3e9, 4, 5, 31, 10, 100],
  int16: [...intSpecials('int16'), 4, 5, -3, 31, -31, 10, 100],
  uint16: [...intSpecials('uint16'), 4, 5, 31, 10, 100, 40000],
  int8: [...intSpecials('int8'), 4, 5, -3, 31, -31, 10, 100],
  uint8: [...intSpecials('uint8'), 4, 5, 31, 10, 100, 200],
  bool: [0, 1],
};

describe('C backend: deterministic tables', () => {
  it('E2 on float32 is one fused kernel, one compile, and bit-exact; new data or new scalars compile nothing', () => {
    const xs = POOLS.float32.slice(0, 40), ys = POOLS.float32.slice(5, 45);
    const e2 = (x: Tensor, y: Tensor, a = 2, b = 1) => x.mul(a).add(y).relu().mul(x.sub(y)).add(b);
    const t = e2(tensor(Float32Array.from(xs)), tensor(Float32Array.from(ys)));
    const src = sourceFor([t.node], true);
    expect(kernelsIn(src), src).toEqual([expect.stringMatching(/^static void E\d+_/)]);
    const before = stats();
    const built: Built = { outputs: [t], outputNames: ['e2'], lines: ['e2 = x.mul(2).add(y).relu().mul(x.sub(y)).add(1)  -> float32[40]'] };
    const nodes = [t.node];
    const c = run(nodes, 'fused');
    expect(stats().compiles - before.compiles, 'compiles for the first fused eval').toBe(1);
    const ref = run(nodes, 'ts');
    const bad = compare(nodes, c, ref, errorModel(nodes).bounds);
    if (bad.length) throw new Error(report('E2 differs', built, undefined, [], nodes, { fused: c, reference: ref }, { fused: bad }));
    expect(errorModel(nodes).bounds.get(t.node)!.exact.every((e) => e === 1), 'E2 uses only exact ops').toBe(true);
    // Same structure, new data and new scalar values: a memory hit, no compile.
    const mid = stats();
    const t2 = e2(tensor(Float32Array.from(ys)), tensor(Float32Array.from(xs)), 3, -1.5);
    const c2 = run([t2.node], 'fused');
    expect(stats().compiles, 'compiles after new data and scalars').toBe(mid.compiles);
    expect(stats().memoryHits).toBeGreaterThan(mid.memoryHits);
    const ref2 = run([t2.node], 'ts');
    expect(compare([t2.node], c2, ref2, errorModel([t2.node]).bounds)).toEqual([]);
  });

  it('a flat elementwise graph compiles once for every size and rank (lengths are runtime arguments)', () => {
    const g = (shape: number[]) => {
      const n = sizeOf(shape);
      const x = tensor(Float64Array.from({ length: n }, (_, i) => (i % 7) - 3.5), { shape });
      const y = tensor(Float32Array.from({ length: n }, (_, i) => (i % 5) * 0.75), { shape });
      return x.mul(y).sub(1.5).abs().maximum(y).div(x);
    };
    const first = g([7]);
    const src = sourceFor([first.node], true);
    run([first.node], 'fused');
    const before = stats().compiles;
    for (const shape of [[1], [33], [1000], [4099], [5, 7], [2, 3, 4], []]) {
      const t = g(shape);
      expect(sourceFor([t.node], true), `C source for ${fmtShape(shape)}`).toBe(src);
      const c = run([t.node], 'fused');
      expect(compare([t.node], c, run([t.node], 'ts'), errorModel([t.node]).bounds), fmtShape(shape)).toEqual([]);
    }
    expect(stats().compiles, 'compiles for other sizes').toBe(before);
  });

  it('int32 edge cases: wrapping, INT32_MIN, x mod 0, saturating float→int casts agree on C and reference', async () => {
    const MIN = -2147483648, MAX = 2147483647;
    const I = (v: number[]) => tensor(Int32Array.from(v));
    const F = (d: 'float32' | 'float64', v: number[]) => tensor(typed(d, v));
    await expectExact([
      ['mod: INT32_MIN mod -1, x mod 0, floored (sign of the divisor)', I([MIN, 7, -7, 7, -7, 5, MIN, MAX, 0, MIN]).mod(I([-1, 0, 0, 3, 3, -3, 2, -1, -5, MAX])), [0, 0, 0, 1, 2, -1, 0, 0, 0, MAX - 1]],
      ['mod by a scalar', I([MIN, -7, 7]).mod(-1), [0, 0, 0]],
      ['abs(INT32_MIN) wraps', I([MIN, -5, MAX, 0]).abs(), [MIN, 5, MAX, 0]],
      ['neg wraps', I([MIN, MAX, 0]).neg(), [MIN, -MAX, 0]],
      ['add wraps', I([MAX, MIN, MAX]).add(I([1, -1, MAX])), [MIN, MAX, -2]],
      ['add of a scalar wraps', I([MAX, MIN]).add(1), [MIN, MIN + 1]],
      ['sub wraps', I([MIN, MAX]).sub(I([1, -1])), [MAX, MIN]],
      ['mul wraps', I([65536, 46341, MAX, MIN, -65536]).mul(I([65536, 46341, 2, -1, 32768])), [0, -2147479015, -2, MIN, MIN]],
      ['pow wraps, negative exponents truncate', I([2, -2, 3, 2, -1, 1, 0, 5]).pow(I([31, 31, 21, -1, -3, -7, 0, 14])), [MIN, MIN, 1870418611, 0, -1, 1, 1, 1808548329]],
      // Python exact integers (sums), and the product wrapped to int64 as numpy's np.prod of int32 does:
      ['sum is exact in 64 bits (float64 result)', I([MAX, 1, MAX]).sum(), [4294967295]],
      ['sum of many extremes', I([MIN, MIN, MIN, MAX]).sum(), [-4294967297]],
      ['prod is exact while it fits', I([65536, 65536, 3]).prod(), [12884901888]],
      ['prod wraps at 64 bits, rounded once', I([MAX, MAX, MAX]).prod(), [4611686024869838848]],
      ['prod of INT32_MIN squared times 3 wraps to -2^62', I([MIN, MIN, 3]).prod(), [-4611686018427387904]],
      ['matmul wraps', I([MAX, 1]).reshape([1, 2]).matmul(I([1, 1]).reshape([2, 1])), [MIN]],
      ['mean of int32 is float64 (no wrap)', I([MAX, MAX]).mean(), [MAX]],
      ['sign(INT32_MIN)', I([MIN, 0, MAX]).sign(), [-1, 0, 1]],
      ['maximum/minimum of extremes', I([MIN, MAX]).maximum(I([MAX, MIN])).sub(I([MIN, MIN]).minimum(I([MAX, 0]))), [-1, -1]],
      ['argmax/argmin: first of ties', I([MAX, MIN, MAX, MIN]).argmax().add(I([MAX, MIN, MAX, MIN]).argmin().mul(10)), [10]],
      ['float64 → int32: truncate, saturate, NaN → 0', F('float64', [NaN, Infinity, -Infinity, 3e9, -3e9, 2147483647.5, -2147483648.5, 2147483646.9, -0.9, 2.9, -0, 1e-300, -2.5]).cast('int32'),
        [0, MAX, MIN, MAX, MIN, MAX, MIN, 2147483646, 0, 2, 0, 0, -2]],
      ['float32 → int32: truncate, saturate, NaN → 0', F('float32', [NaN, Infinity, -Infinity, 3e9, -3e9, 2147483648, -2147483648, 16777217, -0.9, 2.9]).cast('int32'),
        [0, MAX, MIN, MAX, MIN, MAX, MIN, 16777216, 0, 2]],
      ['int32 → float32 rounds to nearest even', I([16777217, MAX, MIN, 16777219]).cast('float32'), [16777216, 2147483648, MIN, 16777220]],
      ['int32 → bool is "nonzero"', I([0, 1, -1, MIN]).cast('bool'), [0, 1, 1, 1]],
      ['int32 / int32 is float64', I([7, -7, 0, MIN]).div(I([0, 0, 0, -1])), [Infinity, -Infinity, NaN, 2147483648]],
      ['float mod 0 is NaN, floored otherwise', F('float64', [5, -5, 5, -0, Infinity]).mod(F('float64', [0, 3, -3, 2, 2])), [NaN, 1, -1, 0, NaN]],
    ]);
  });

  it('max/min/argmax/argmin over an empty axis are ShapeErrors when recorded; sum/prod/mean of nothing run', async () => {
    const x = tensor(new Float64Array(0), { shape: [2, 0] });
    const before = stats().compiles;
    const undefinedOnEmpty = REDUCE.filter((op) => (OPS as Record<string, { empty?: number }>)[op].empty === undefined);
    expect(undefinedOnEmpty.length).toBeGreaterThan(0);
    for (const op of undefinedOnEmpty) {
      for (const axis of [undefined, 1, -1, [0, 1]]) {
        expect(() => call(x, op)(axis), `${op}(${JSON.stringify(axis)})`).toThrow(ShapeError);
        expect(() => call(x, op)(axis), `${op}(${JSON.stringify(axis)})`).toThrow(new RegExp(`^${op}: .*\\[2,0\\]`));
      }
    }
    expect(stats().compiles, 'nothing compiled for refused ops').toBe(before);
    await expectExact([
      ['max over the non-empty axis of [2,0]', x.max(0), []],
      ['sum of nothing', x.sum(1), [0, 0]],
      ['prod of nothing', x.prod(1), [1, 1]],
      ['mean of nothing', x.mean(1), [NaN, NaN]],
    ]);
  });

  it('every elementwise op of the table on every compute dtype, every promotion and cast, specials included', async () => {
    const cols = Object.fromEntries(DTYPES.map((d) => [d, tensor(typed(d, POOLS[d]), { shape: [POOLS[d].length, 1], dtype: d })])) as Record<DType, Tensor>;
    // Rows of one length (pools reversed and cycled), so that any two of them broadcast together.
    const ROW = 24;
    const rows = Object.fromEntries(DTYPES.map((d) => {
      const pool = POOLS[d].slice().reverse();
      return [d, tensor(typed(d, Array.from({ length: ROW }, (_, i) => pool[i % pool.length])), { shape: [1, ROW], dtype: d })];
    })) as Record<DType, Tensor>;
    const outs: Tensor[] = [], names: string[] = [], refused: string[] = [];
    const add = (label: string, f: () => Tensor) => {
      try {
        outs.push(f());
        names.push(label);
      } catch (e) {
        if (!(e instanceof DTypeError)) throw e;
        expect(e.message, label).toMatch(new RegExp(`^${label.split('(')[0]}: `));
        refused.push(label);
      }
    };
    // Each op on each compute dtype (its C template differs per dtype), with weak JS scalars; every
    // promotion (a cast feeding the op) once, through add; every cast; where with each condition dtype.
    for (const d of DTYPES) {
      for (const op of UNARY) add(`${op}(${d})`, () => call(cols[d], op)());
      for (const op of BINARY) add(`${op}(${d}, ${d})`, () => call(cols[d], op)(rows[d]));
      // a weak scalar each dtype keeps: true for bool, an integer in range for ints (-3, or 3 unsigned), a fraction for floats
      const weak = isBool(d) ? true : DTYPE[d].kind === 'int' ? -3 : DTYPE[d].kind === 'uint' ? 3 : 1.5;
      for (const op of BINARY) add(`${op}(${d}, ${weak})`, () => call(cols[d], op)(weak));
      for (const d2 of DTYPES) {
        if (d2 === d) continue;
        add(`cast(${d}→${d2})`, () => cols[d].cast(d2));
        add(`add(${d}, ${d2})`, () => cols[d].add(rows[d2]));
      }
      for (const op of TERNARY) {
        add(`${op}(${d} ? float32 : int32)`, () => call(cols[d], op)(rows.float32, rows.int32.flip()));
        add(`${op}(${d} ? bool : float64)`, () => where(cols[d], rows.bool, rows.float64));
      }
    }
    expect(refused.length, `refused: ${refused.join(', ')}`).toBeLessThan(12);
    let start = 0;
    for (const nodes of chunks(outs.map((t) => t.node))) {
      await warm(nodes);
      const built: Built = { outputs: outs.slice(start, start + nodes.length), outputNames: names.slice(start, start + nodes.length), lines: [] };
      start += nodes.length;
      checkBuilt(built, [], undefined, 'C backend disagrees with the reference on the op sweep');
    }
  }, 120_000);

  it('multi-threaded kernels (flat, strided, reductions, softmax, matmul, int32 matmul) agree too', async () => {
    configure({ threads: 2 }); // kernels of 2 × 10 µs of estimated work split across threads (codegen/cost.ts)
    try {
      let seed = 12345;
      const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
      const SPECIALS = [NaN, Infinity, -Infinity, -0, 0, 5e-324, 1e300];
      const fill = (n: number, specials: boolean) => Array.from({ length: n }, () => (specials && next() < 0.01 ? SPECIALS[Math.floor(next() * SPECIALS.length)] : Math.round((next() * 6 - 3) * 64) / 64));
      const T = (d: DType, shape: number[], specials = true) => tensor(typed(d, fill(sizeOf(shape), specials)), { shape, dtype: d });
      const x = T('float32', [200003]), y = T('float32', [200003]);
      const a = T('float64', [1031, 263]), b = T('float64', [263, 1031]);
      const A = T('float32', [200, 64], false), B = T('float32', [64, 300], false), bias = T('float32', [300]);
      const P = T('float64', [6, 100, 40], false), Q = T('float64', [6, 40, 90], false);
      const I = T('int32', [150, 60]).mul(100000), J = T('int32', [60, 200]).mul(100000);
      const graphs: [string, Tensor[]][] = [
        ['E2 on 200003 float32 (thread split of a flat loop at an odd length)', [x.mul(2).add(y).relu().mul(x.sub(y)).add(1), x.maximum(y).flip()]],
        ['strided elementwise a + bᵀ, reductions over rows and columns', [a.add(b.T).mul(a.sub(1)), a.sum(1), a.max(0), a.argmax(1), a.min(1, true).add(a)]],
        ['softmax and mean over the long axis, concat/pad of large tensors', [a.softmax(1), b.mean(0), concat([a, b.T], 0).pad([[1, 1], [0, 2]], -1)]],
        ['float32 matmul + bias + relu, batched float64 matmul of transposed views, int32 matmul (wraps)', [A.matmul(B).add(bias).relu(), P.matmul(Q.transpose([0, 2, 1]).transpose([0, 2, 1])), I.matmul(J)]],
      ];
      for (const [title, outs] of graphs) {
        // each output is big enough to be split (the point of this test), whatever the threshold becomes
        for (const t of outs) expect(t.explain(), `${title}: ${t.explain()}`).toMatch(/parallel: threads take/);
        const built: Built = { outputs: outs, outputNames: outs.map((_, i) => `out${i}`), lines: [title] };
        await warm(outs.map((t) => t.node));
        checkBuilt(built, []);
      }
    } finally {
      configure({ threads: undefined });
    }
  }, 120_000);

  it('every elementwise and reduce op of the table is a Tensor method, and the generator reaches every op', () => {
    for (const op of [...UNARY, ...BINARY, ...TERNARY, ...REDUCE, 'cast']) expect(typeof (Tensor.prototype as unknown as Record<string, unknown>)[op], op).toBe('function');
    const seen = new Set<string>();
    for (const mode of ['elementwise', 'reduce'] as const) {
      for (const spec of fc.sample(specArb(mode, 7), { seed: SEED, numRuns: 400 })) {
        for (const n of toposort(buildGraph(spec, makeInputs(spec)).outputs.map((t) => t.node))) seen.add(n.op);
      }
    }
    expect(Object.keys(OPS).filter((op) => !seen.has(op)), 'ops the generator never emits').toEqual([]);
    expect([...CONTINUOUS].sort(), 'ops the generator lets inexact values reach = ops the error model has rules for').toEqual(Object.keys(RULES).sort());
  });
});

const PROPERTY_TIMEOUT = 20 * 60_000;

describe('C backend vs reference: random graphs from the op table', () => {
  /** Random structures of `mode` checked by checkStructure; the runs and their time are printed. */
  const property = (mode: Mode, depth: number, runs: number) => async () => {
    const t0 = performance.now();
    await fc.assert(fc.asyncProperty(caseArb(mode, depth, 3), ([spec, draws]) => checkStructure(spec, draws)),
      { seed: SEED, path: PATH, numRuns: propertyRuns(runs), endOnFailure: process.env.TENSORFUSE_PROPERTY_SHRINK === '0' });
    console.log(`${mode} property: ${propertyRuns(runs)} structures in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };

  it('elementwise chains and DAGs with views, scalars, where and casts', property('elementwise', 7, 70), PROPERTY_TIMEOUT);

  it('reductions, softmax-like broadcasts of reduced values, matmul chains, several outputs', property('reduce', 6, 55), PROPERTY_TIMEOUT);
});
