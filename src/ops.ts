/**
 * THE op table. Each primitive is one entry: how it types, its C template, its TypeScript reference,
 * the inputs the property tests draw for it and the tolerance they allow. The reference interpreter,
 * the C code generator, the Tensor methods and the tests all read this table; nothing else switches on
 * op names. Composite ops (relu, sigmoid, softmax, mean, ...) are Tensor methods built from these.
 *
 * Elementwise semantics are written once for doubles (`ref`) and, where int32 differs, once for
 * wrapping int32 (`refInt`); the interpreter then rounds each result to the output dtype, which is
 * exactly per-op float32 rounding (a double holds any +,-,*,/ or sqrt of two floats before rounding).
 *
 * Longer than the ~400 lines a file here keeps to, on purpose: the table is one `OPS` object (~320
 * lines, one entry per primitive, read as a whole), and the role predicates and lookups below it need
 * that object. What the entries are built from lives beside it: op-defs.ts (the entries' types),
 * op-dtypes.ts (dtype rules), op-math.ts (scalar math for the reference and C), op-refs.ts (whole-array
 * references).
 */
import { converter, C_TYPE, DTYPE, isBool, isFloat, isInteger, SUM_ACCUMULATOR } from './dtype.js';
import type { Node } from './graph.js';
import type { CCtx, ElementwiseDef, OpDef, ReduceDef, Role, ScanDef } from './op-defs.js';
import { arith, compare, divide, floating, logical, select } from './op-dtypes.js';
import { argFold, C_HELPERS, castHelper, exactSum, maxMinHelpers, modFloat, modInt, powFloat, powInt, roundHalfEven, u32, wrappedProduct } from './op-math.js';
import { fill, gather, matmulRef, padRef } from './op-refs.js';
import { seedKey, uniform24, uniform53, C_NORMAL, C_RNG, normal53 } from './rng.js';
import type { View } from './shape.js';
import { sizeOf } from './shape.js';
import { viewFlat, viewSource } from './codegen/index.js';
import { liveData } from './trace.js';
import { C_FLOOR_DIV, erf, erfc, floorDivFloat, floorDivInt } from './special.js';
import { COMPENSATED_SUM, C_COMPENSATED_SUM, cProduct, product, WIDE_SUM } from './reduction.js';
import type { GatherArg, ScatterArg } from './indexops.js';
import { gatherRef, indexAdjoints, scatterRef } from './indexops.js';
import { convAdjoint, convRef } from './convops.js';
import { argsortRef, scanAdjoints, scanRef, searchsortedRef } from './scanops.js';
import { maxVjp, padVjp, prodVjp, tieShare, transposeLast, viewVjp } from './adjoint.js';

// Everything that reads the table imports the entries' types from here.
export type { CCtx, CGen, DTypeRule, ElementwiseDef, KernelDef, OpDef, ReduceDef, Role, ScanDef, SortDef, SpecialDef, Vjp } from './op-defs.js';
export { OWN_KERNEL } from './op-defs.js';
export { roundHalfEven } from './op-math.js';

// ---- the table ----------------------------------------------------------------------------------

/** The cost of a libm call, a division or a modulo, against 1 for an add or a compare. */
export const EXPENSIVE = 8;

/** The table's cost of computing one element of `def` (elementwise default 1; other kinds 0: index arithmetic, a load). */
export const costOf = (def: OpDef): number => (def.kind === 'elementwise' ? def.cost ?? 1 : 'cost' in def ? def.cost ?? 0 : 0);

/** The declaration of libm's `fn` (double name) in the version of the compute dtype. */
export const libmDecl = (fn: string, arity: number, t: CCtx): string => `extern ${t.T} ${fn}${t.f}(${Array(arity).fill(t.T).join(', ')});`;

/** A float function of libm; `vector`: glibc's libmvec has vector versions of it. */
const unaryFloat = (fn: string, ref: (a: number) => number, ulps: number, domain: [number, number] = [-10, 10], vector = true): ElementwiseDef => ({
  kind: 'elementwise', arity: 1, dtypes: floating, ref, c: (x, t) => `${fn}${t.f}(${x[0]})`, domain: [domain], ulps, cost: EXPENSIVE,
  ...(vector ? { libmvec: (t: CCtx) => [libmDecl(fn, 1, t)] } : {}),
});

const cmp = (c: string, ref: (a: number, b: number) => boolean): ElementwiseDef => ({
  kind: 'elementwise', arity: 2, dtypes: compare, ref: (a, b) => (ref(a, b) ? 1 : 0), c: (x) => `(${x[0]} ${c} ${x[1]})`, cIsBool: true, ulps: 0, vjp: 'zero',
});

export const OPS = {
  // sources
  /** A realized input; storage of the wrong length was disposed or transferred. */
  buffer: {
    kind: 'source', role: 'input',
    evaluate: (n) => liveData('eval', n),
    ulps: 0,
  },
  /** A scalar constant; its value is a runtime argument, so changing it never recompiles. */
  const: { kind: 'source', role: 'scalar', evaluate: (n) => fill(n, () => n.arg as number), c: (n, _idx, g) => g.scalar(n), ulps: 0 },
  iota: { kind: 'source', evaluate: (n) => fill(n, (i) => i), c: (n, idx, g) => `(${g.T(n.dtype)})${idx[0]}`, readsAxis0: true, ulps: 0 },
  /** arg is the seed; the C side receives the mixed key as a runtime scalar. */
  rand: {
    kind: 'source',
    evaluate: (n) => {
      const key = seedKey(n.arg as number);
      return fill(n, n.dtype === 'float32' ? (i) => uniform24(key, i) : (i) => uniform53(key, i));
    },
    c: (n, idx, g) => `tf_uniform${n.dtype === 'float32' ? 24 : 53}((uint32_t)${g.scalar(n)}, (uint32_t)${g.flat(idx, n.shape)})`,
    helpers: C_RNG, cost: 1, seeded: true,
    ulps: 0,
  },
  /** Standard normal (randn): rng.ts's Box–Muller in plain arithmetic, the same bits on every backend. */
  randn: {
    kind: 'source',
    evaluate: (n) => {
      const key = seedKey(n.arg as number);
      return fill(n, (i) => normal53(key, i));
    },
    c: (n, idx, g) => `${n.dtype === 'float32' ? '(float)' : ''}tf_normal53((uint32_t)${g.scalar(n)}, (uint32_t)${g.flat(idx, n.shape)})`,
    helpers: [C_RNG, C_NORMAL], cost: EXPENSIVE, seeded: true,
    ulps: 0,
  },

  // elementwise: arithmetic
  add: { kind: 'elementwise', arity: 2, dtypes: arith('bool'), ref: (a, b) => a + b, refInt: (a, b) => (a + b) | 0, c: (x) => `(${x[0]} + ${x[1]})`, cInt: u32('+'), ulps: 0, vjp: (g) => [g, g], identity: (d) => (isFloat(d) ? undefined : '0'), scatterFold: 'sum' },
  sub: { kind: 'elementwise', arity: 2, dtypes: arith('error'), ref: (a, b) => a - b, refInt: (a, b) => (a - b) | 0, c: (x) => `(${x[0]} - ${x[1]})`, cInt: u32('-'), ulps: 0, vjp: (g) => [g, g.neg()] },
  mul: { kind: 'elementwise', arity: 2, dtypes: arith('bool'), ref: (a, b) => a * b, refInt: (a, b) => Math.imul(a, b), c: (x) => `(${x[0]} * ${x[1]})`, cInt: u32('*'), ulps: 0, vjp: (g, [a, b]) => [g.mul(b), g.mul(a)], identity: (d) => (isFloat(d) ? undefined : '1'), scatterFold: 'product' },
  div: { kind: 'elementwise', arity: 2, dtypes: divide, ref: (a, b) => a / b, c: (x) => `(${x[0]} / ${x[1]})`, ulps: 0, cost: EXPENSIVE, vjp: (g, [, b], y) => [g.div(b), g.mul(y).div(b).neg()] },
  pow: {
    kind: 'elementwise', arity: 2, dtypes: arith('int32'), ref: powFloat, refInt: powInt,
    c: (x, t) => `pow${t.f}(${x[0]}, ${x[1]})`, libmvec: (t) => [libmDecl('pow', 2, t)], cInt: (x, t) => `tf_pow_${t.i}(${x[0]}, ${x[1]})`, helpers: (t) => (t.i === 'u32' ? C_HELPERS.powU32 : C_HELPERS.powInt),
    domain: [[0, 10], [-4, 4]], ulps: 4, cost: EXPENSIVE,
    // d/db at a = 0 takes log(1): the result there is 0 or 1 whatever b is (JAX does the same).
    vjp: (g, [a, b], y) => [g.mul(b).mul(a.pow(b.sub(1))), g.mul(y).mul(a.eq(0).where(1, a).log())],
  },
  mod: {
    kind: 'elementwise', arity: 2, dtypes: arith('int32'), ref: modFloat, refInt: modInt,
    c: (x, t) => `tf_mod_${t.f ? 'f32' : 'f64'}(${x[0]}, ${x[1]})`, cInt: (x, t) => `tf_mod_${t.i}(${x[0]}, ${x[1]})`,
    helpers: (t) => (isFloat(t.dtype) ? C_HELPERS.modFloat : t.i === 'u32' ? C_HELPERS.modU32 : C_HELPERS.modInt), ulps: 0, cost: EXPENSIVE,
    vjp: (g, [a, b]) => [g, g.mul(a.div(b).floor()).neg()], // a - floor(a / b) * b
  },
  // maximum/minimum are IEEE 754-2019's (JS Math.max/min): NaN propagates and -0 < +0, so both are
  // commutative; numpy returns its second operand on a ±0 tie. sign(-0) is +0, as numpy.
  maximum: {
    kind: 'elementwise', arity: 2, dtypes: arith('bool'), ref: (a, b) => Math.max(a, b),
    c: (x, t) => `tf_max_${t.f ? 'f32' : 'f64'}(${x[0]}, ${x[1]})`, cInt: (x) => `(${x[0]} >= ${x[1]} ? ${x[0]} : ${x[1]})`, ulps: 0,
    helpers: (t) => (isFloat(t.dtype) ? maxMinHelpers(t) : ''),
    vjp: (g, [a, b]) => [tieShare(g, a.gt(b), a.eq(b)), tieShare(g, b.gt(a), a.eq(b))],
    identity: (d) => DTYPE[d].cMin, scatterFold: 'extreme',
  },
  minimum: {
    kind: 'elementwise', arity: 2, dtypes: arith('bool'), ref: (a, b) => Math.min(a, b),
    c: (x, t) => `tf_min_${t.f ? 'f32' : 'f64'}(${x[0]}, ${x[1]})`, cInt: (x) => `(${x[0]} <= ${x[1]} ? ${x[0]} : ${x[1]})`, ulps: 0,
    helpers: (t) => (isFloat(t.dtype) ? maxMinHelpers(t) : ''),
    vjp: (g, [a, b]) => [tieShare(g, a.lt(b), a.eq(b)), tieShare(g, b.lt(a), a.eq(b))],
    identity: (d) => DTYPE[d].cMax, scatterFold: 'extreme',
  },
  neg: { kind: 'elementwise', arity: 1, dtypes: arith('error'), ref: (a) => -a, refInt: (a) => -a | 0, c: (x) => `(-${x[0]})`, cInt: (x, t) => `(${t.T})(0u - (uint32_t)${x[0]})`, ulps: 0, vjp: (g) => [g.neg()] },
  abs: { kind: 'elementwise', arity: 1, dtypes: arith('bool'), ref: Math.abs, refInt: (a) => Math.abs(a) | 0, c: (x, t) => `fabs${t.f}(${x[0]})`, cInt: (x, t) => `(${t.T})(${x[0]} < 0 ? 0u - (uint32_t)${x[0]} : (uint32_t)${x[0]})`, ulps: 0, vjp: (g, [a]) => [g.mul(a.sign())] },
  sign: { kind: 'elementwise', arity: 1, dtypes: arith('int32'), ref: (a) => (a > 0 ? 1 : a < 0 ? -1 : a === 0 ? 0 : a), c: (x, t) => `(${x[0]} > 0 ? (${t.T})1 : ${x[0]} < 0 ? (${t.T})-1 : ${x[0]} == 0 ? (${t.T})0 : ${x[0]})`, ulps: 0, vjp: 'zero' },
  floor: { kind: 'elementwise', arity: 1, dtypes: arith('int32'), ref: Math.floor, refInt: (a) => a, c: (x, t) => `floor${t.f}(${x[0]})`, cInt: (x) => x[0], ulps: 0, vjp: 'zero' },
  ceil: { kind: 'elementwise', arity: 1, dtypes: arith('int32'), ref: Math.ceil, refInt: (a) => a, c: (x, t) => `ceil${t.f}(${x[0]})`, cInt: (x) => x[0], ulps: 0, vjp: 'zero' },
  round: { kind: 'elementwise', arity: 1, dtypes: arith('int32'), ref: roundHalfEven, refInt: (a) => a, c: (x, t) => `nearbyint${t.f}(${x[0]})`, cInt: (x) => x[0], ulps: 0, vjp: 'zero' },

  // elementwise: float math
  sqrt: { ...unaryFloat('sqrt', Math.sqrt, 0, [0, 100], false), vjp: (g, _x, y) => [g.div(y.mul(2))] }, // an instruction, vectorized inline
  // exp overflows on a half-line: there a zero cotangent still gives zero (not 0·∞ = NaN), so that
  // sigmoid = 1 / (1 + exp(-x)) has gradient 0, not NaN, below x = -709 (float64) or -88 (float32).
  exp: { ...unaryFloat('exp', Math.exp, 4, [-20, 20]), vjp: (g, _x, y) => [g.eq(0).where(g, g.mul(y))] },
  log: { ...unaryFloat('log', Math.log, 4, [0, 100]), vjp: (g, [a]) => [g.div(a)] },
  log1p: { ...unaryFloat('log1p', Math.log1p, 4, [-1, 100]), vjp: (g, [a]) => [g.div(a.add(1))] },
  expm1: { ...unaryFloat('expm1', Math.expm1, 4, [-20, 20]), vjp: (g, _x, y) => [g.eq(0).where(g, g.mul(y.add(1)))] },
  sin: { ...unaryFloat('sin', Math.sin, 4), vjp: (g, [a]) => [g.mul(a.cos())] },
  cos: { ...unaryFloat('cos', Math.cos, 4), vjp: (g, [a]) => [g.mul(a.sin()).neg()] },
  tan: { ...unaryFloat('tan', Math.tan, 4, [-1.5, 1.5]), vjp: (g, _x, y) => [g.mul(y.square().add(1))] },
  tanh: { ...unaryFloat('tanh', Math.tanh, 4), vjp: (g, _x, y) => [g.sub(g.mul(y.square()))] },

  // elementwise: the rest of numpy's math (issue 15). Every libm function here has a libmvec variant;
  // erf/erfc's reference is src/special.ts (JavaScript has no Math.erf). ulps: glibc's vector versions
  // differed from the reference by at most 3 ulps on 200,000 points per op and float dtype (erf 4 on
  // float32, erfc 5 on float64, where the reference's own error adds up), so 4 (erfc 6) with the
  // property tests' doubling as the margin.
  asin: { ...unaryFloat('asin', Math.asin, 4, [-1, 1]), vjp: (g, [a]) => [g.div(a.square().neg().add(1).sqrt())] },
  acos: { ...unaryFloat('acos', Math.acos, 4, [-1, 1]), vjp: (g, [a]) => [g.neg().div(a.square().neg().add(1).sqrt())] },
  atan: { ...unaryFloat('atan', Math.atan, 4), vjp: (g, [a]) => [g.div(a.square().add(1))] },
  sinh: { ...unaryFloat('sinh', Math.sinh, 4), vjp: (g, [a]) => [g.mul(a.cosh())] },
  cosh: { ...unaryFloat('cosh', Math.cosh, 4), vjp: (g, [a]) => [g.mul(a.sinh())] },
  asinh: { ...unaryFloat('asinh', Math.asinh, 4), vjp: (g, [a]) => [g.div(a.square().add(1).sqrt())] },
  acosh: { ...unaryFloat('acosh', Math.acosh, 4, [1, 100]), vjp: (g, [a]) => [g.div(a.sub(1).sqrt().mul(a.add(1).sqrt()))] },
  atanh: { ...unaryFloat('atanh', Math.atanh, 4, [-1, 1]), vjp: (g, [a]) => [g.div(a.square().neg().add(1))] },
  log2: { ...unaryFloat('log2', Math.log2, 4, [0, 100]), vjp: (g, [a]) => [g.div(a.mul(Math.LN2))] },
  log10: { ...unaryFloat('log10', Math.log10, 4, [0, 100]), vjp: (g, [a]) => [g.div(a.mul(Math.LN10))] },
  exp2: { ...unaryFloat('exp2', (a) => 2 ** a, 4, [-30, 30]), vjp: (g, _x, y) => [g.eq(0).where(g, g.mul(y).mul(Math.LN2))] },
  cbrt: { ...unaryFloat('cbrt', Math.cbrt, 4, [-100, 100]), vjp: (g, _x, y) => [g.div(y.square().mul(3))] },
  erf: { ...unaryFloat('erf', erf, 4, [-5, 5]), vjp: (g, [a]) => [g.mul(a.square().neg().exp().mul(2 / Math.sqrt(Math.PI)))] },
  erfc: { ...unaryFloat('erfc', erfc, 6, [-3, 10]), vjp: (g, [a]) => [g.mul(a.square().neg().exp().mul(-2 / Math.sqrt(Math.PI)))] },
  /** Rounds toward zero; ints (and bools, as int32) are already whole, as floor. */
  trunc: { kind: 'elementwise', arity: 1, dtypes: arith('int32'), ref: Math.trunc, refInt: (a) => a, c: (x, t) => `trunc${t.f}(${x[0]})`, cInt: (x) => x[0], ulps: 0, vjp: 'zero' },
  atan2: {
    kind: 'elementwise', arity: 2, dtypes: floating, ref: Math.atan2, c: (x, t) => `atan2${t.f}(${x[0]}, ${x[1]})`,
    libmvec: (t) => [libmDecl('atan2', 2, t)], domain: [[-10, 10], [-10, 10]], ulps: 4, cost: EXPENSIVE,
    vjp: (g, [a, b]) => { const r = a.square().add(b.square()); return [g.mul(b).div(r), g.mul(a).neg().div(r)]; },
  },
  /** sqrt(a² + b²) without overflow; hypot(±Inf, NaN) is +Inf (C, JS and numpy). */
  hypot: {
    kind: 'elementwise', arity: 2, dtypes: floating, ref: Math.hypot, c: (x, t) => `hypot${t.f}(${x[0]}, ${x[1]})`,
    libmvec: (t) => [libmDecl('hypot', 2, t)], domain: [[-100, 100], [-100, 100]], ulps: 4, cost: EXPENSIVE,
    // at the origin the kink rule gives 0 (as abs'(0))
    vjp: (g, [a, b], y) => [y.eq(0).where(0, g.mul(a).div(y)), y.eq(0).where(0, g.mul(b).div(y))],
  },
  /**
   * numpy floor_divide: floor(a / b) as numpy computes it (special.ts); ints wrap, x // 0 is 0. float32
   * divides in double on both backends (more accurate than numpy's float32 steps, and bit-identical).
   */
  floorDiv: {
    kind: 'elementwise', arity: 2, dtypes: arith('int32'), ref: floorDivFloat, refInt: floorDivInt,
    c: (x, t) => (t.f ? `(float)tf_floordiv_f64((double)${x[0]}, (double)${x[1]})` : `tf_floordiv_f64(${x[0]}, ${x[1]})`),
    cInt: (x, t) => `tf_floordiv_${t.i}(${x[0]}, ${x[1]})`, helpers: C_FLOOR_DIV, ulps: 0, cost: EXPENSIVE, vjp: 'zero',
  },
  // classification: bool results on every dtype (ints and bools are finite, never NaN)
  isnan: { kind: 'elementwise', arity: 1, dtypes: compare, ref: (a) => (a !== a ? 1 : 0), c: (x, t) => (isFloat(t.dtype) ? `(${x[0]} != ${x[0]})` : '0'), cIsBool: true, ulps: 0, vjp: 'zero' },
  isinf: {
    kind: 'elementwise', arity: 1, dtypes: compare, ref: (a) => (a === Infinity || a === -Infinity ? 1 : 0),
    c: (x, t) => (isFloat(t.dtype) ? `(fabs${t.f}(${x[0]}) == (${t.T})INFINITY)` : '0'), cIsBool: true, ulps: 0, vjp: 'zero',
  },
  isfinite: {
    kind: 'elementwise', arity: 1, dtypes: compare, ref: (a) => (Number.isFinite(a) ? 1 : 0),
    c: (x, t) => (isFloat(t.dtype) ? `(fabs${t.f}(${x[0]}) < (${t.T})INFINITY)` : '1'), cIsBool: true, ulps: 0, vjp: 'zero',
  },
  xor: { kind: 'elementwise', arity: 2, dtypes: logical, ref: (a, b) => a ^ b, c: (x) => `(${x[0]} ^ ${x[1]})`, cIsBool: true, ulps: 0, vjp: 'zero' },

  // elementwise: comparison and logic (results are bool)
  lt: cmp('<', (a, b) => a < b),
  le: cmp('<=', (a, b) => a <= b),
  gt: cmp('>', (a, b) => a > b),
  ge: cmp('>=', (a, b) => a >= b),
  eq: cmp('==', (a, b) => a === b),
  ne: cmp('!=', (a, b) => a !== b),
  and: { kind: 'elementwise', arity: 2, dtypes: logical, ref: (a, b) => a & b, c: (x) => `(${x[0]} & ${x[1]})`, cIsBool: true, ulps: 0, vjp: 'zero', identity: () => '1' },
  or: { kind: 'elementwise', arity: 2, dtypes: logical, ref: (a, b) => a | b, c: (x) => `(${x[0]} | ${x[1]})`, cIsBool: true, ulps: 0, vjp: 'zero', identity: () => '0' },
  not: { kind: 'elementwise', arity: 1, dtypes: logical, ref: (a) => a ^ 1, c: (x) => `(${x[0]} ^ 1)`, cIsBool: true, ulps: 0, vjp: 'zero' },
  where: { kind: 'elementwise', arity: 3, dtypes: select, promoteFrom: 1, ref: (c, a, b) => (c ? a : b), c: (x) => `(${x[0]} ? ${x[1]} : ${x[2]})`, ulps: 0,
    vjp: (g, [c]) => [undefined, c.where(g, 0), c.where(0, g)] },

  /** The target dtype is the node's dtype; `toDType` (truncate, saturate, NaN → 0, nonzero → true) does the work. */
  cast: {
    kind: 'elementwise', arity: 1, dtypes: (_op, ds) => ({ ins: ds.slice(), out: ds[0] }), ref: (a) => a,
    c: (x, t) =>
      isBool(t.out) ? `(${x[0]} != 0)`
      : isInteger(t.out) && isFloat(t.src[0]) ? `tf_${t.src[0]}_to_${t.out}(${x[0]})`
      : `(${C_TYPE[t.out]})${x[0]}`,
    helpers: (t) => (isInteger(t.out) && isFloat(t.src[0]) ? castHelper(t.src[0], t.out) : ''), ulps: 0,
    vjp: (g, [x]) => [g.cast(x.dtype)], // asked only for a float source: casts to int or bool stop the gradient
  },

  // reductions (over the axes in `arg.axes`, keeping them as size-1 dims), in the order reduction.ts
  // defines for both backends.
  // Integer sums and products accumulate in 64 bits and give float64 (JS has no int64 number): a sum of
  // int32s is exact (2^32 of them fit), then rounded once; a product wraps modulo 2^64 (numpy's int64
  // product), then rounded once. Bools are summed as int32 (the Tensor method casts them).
  // float32 sums accumulate in float64 and round once (a float32 accumulator lost 3-4 digits over 2^24
  // terms); float64 sums are compensated (reduction.ts), so their error does not grow with n.
  sum: {
    kind: 'reduce', out: (d) => (isFloat(d) ? d : 'float64'), empty: 0, boolAsInt: true,
    ref: exactSum, fold: (d) => (d === 'float64' ? COMPENSATED_SUM : d === 'float32' ? WIDE_SUM : undefined),
    cInit: (t) => (t.dtype === 'float64' ? C_COMPENSATED_SUM.init : `${SUM_ACCUMULATOR[t.dtype]} acc = 0;`),
    cStep: (t) => (t.dtype === 'float64' ? C_COMPENSATED_SUM.step : `acc += (${SUM_ACCUMULATOR[t.dtype]})x;`),
    cResult: (t) => (t.dtype === 'float64' ? C_COMPENSATED_SUM.result : `(${C_TYPE[t.out]})acc`),
    cMerge: (t) => (t.dtype === 'float64' ? C_COMPENSATED_SUM.merge : 'acc += acc_o;'), orderFree: (d) => (isFloat(d) ? undefined : '+'), ulps: 0,
    vjp: (g, [x]) => [g.expand(x.shape)],
  },
  prod: {
    kind: 'reduce', out: (d) => (isFloat(d) ? d : 'float64'), empty: 1, boolAsInt: true,
    ref: wrappedProduct, fold: (d) => (d === 'float64' ? product((x) => x) : d === 'float32' ? product(Math.fround) : undefined),
    cInit: (t) => (isFloat(t.dtype) ? cProduct(t.T).init : 'uint64_t acc = 1;'),
    cStep: (t) => (isFloat(t.dtype) ? cProduct(t.T).step : 'acc *= (uint64_t)(int64_t)x;'),
    cResult: (t) => (isFloat(t.dtype) ? cProduct(t.T).result : DTYPE[t.dtype].kind === 'uint' ? '(double)acc' : '(double)(int64_t)acc'),
    cMerge: (t) => (isFloat(t.dtype) ? cProduct(t.T).merge : 'acc *= acc_o;'), orderFree: (d) => (isFloat(d) ? undefined : '*'), ulps: 0,
    vjp: prodVjp,
  },
  // max/min vectorize as a plain max/min plus two flags: "saw a NaN" (the result is NaN) and "saw +0"
  // (max) / "saw -0" (min), which settles a ±0 tie as IEEE 754-2019 maximum/minimum do. The result does
  // not depend on the order.
  max: {
    kind: 'reduce', out: (d) => d, ref: (xs) => xs.reduce((m, x) => Math.max(m, x)),
    cInit: (t) => (isFloat(t.dtype) ? `${t.T} acc = -INFINITY; int nan = 0, zero = 0;` : `${t.T} acc = ${DTYPE[t.dtype].cMin};`),
    cStep: (t) => (isFloat(t.dtype) ? 'acc = x > acc ? x : acc; nan |= x != x; zero |= (x == 0) & !signbit(x);' : 'acc = x > acc ? x : acc;'),
    cResult: (t) => (isFloat(t.dtype) ? `(nan ? (${t.T})NAN : acc == 0 && zero ? (${t.T})0 : acc)` : 'acc'),
    cMerge: (t) => `acc = acc_o > acc ? acc_o : acc;${isFloat(t.dtype) ? ' nan |= nan_o; zero |= zero_o;' : ''}`, orderFree: (d) => (isFloat(d) ? undefined : 'max'), ulps: 0,
    vjp: maxVjp,
  },
  min: {
    kind: 'reduce', out: (d) => d, ref: (xs) => xs.reduce((m, x) => Math.min(m, x)),
    cInit: (t) => (isFloat(t.dtype) ? `${t.T} acc = INFINITY; int nan = 0, zero = 0;` : `${t.T} acc = ${DTYPE[t.dtype].cMax};`),
    cStep: (t) => (isFloat(t.dtype) ? 'acc = x < acc ? x : acc; nan |= x != x; zero |= (x == 0) & (signbit(x) != 0);' : 'acc = x < acc ? x : acc;'),
    cResult: (t) => (isFloat(t.dtype) ? `(nan ? (${t.T})NAN : acc == 0 && zero ? -(${t.T})0 : acc)` : 'acc'),
    cMerge: (t) => `acc = acc_o < acc ? acc_o : acc;${isFloat(t.dtype) ? ' nan |= nan_o; zero |= zero_o;' : ''}`, orderFree: (d) => (isFloat(d) ? undefined : 'min'), ulps: 0,
    vjp: maxVjp,
  },
  // Positions are int32, or float64 (exact to 2^53) when a reduced extent is past int32's range.
  argmax: {
    kind: 'reduce', out: (_d, extent) => (extent > 2 ** 31 ? 'float64' : 'int32'), positional: true, ref: argFold((x, best) => x > best), cInit: (t) => `${t.T} acc = 0; int64_t at = -1;`,
    cStep: () => 'if (at < 0 || x > acc || (x != x && acc == acc)) { acc = x; at = k; }', cResult: (t) => `(${C_TYPE[t.out]})at`, ulps: 0, vjp: 'zero',
  },
  argmin: {
    kind: 'reduce', out: (_d, extent) => (extent > 2 ** 31 ? 'float64' : 'int32'), positional: true, ref: argFold((x, best) => x < best), cInit: (t) => `${t.T} acc = 0; int64_t at = -1;`,
    cStep: () => 'if (at < 0 || x < acc || (x != x && acc == acc)) { acc = x; at = k; }', cResult: (t) => `(${C_TYPE[t.out]})at`, ulps: 0, vjp: 'zero',
  },

  // scans: src [x], arg ScanArg; the shape of x, the dtype of the reduction's result (cumsum of int32:
  // float64, exact to 2^53). Bools are cast to int32 first for cumsum and cumprod, as for sum.
  cumsum: { kind: 'scan', of: 'sum', evaluate: (n, [x]) => scanRef(n, x, 'sum'), ulps: 0, vjp: (g, _x, _out, n) => [scanAdjoints().cumsum(g, n)] },
  // A float cumprod is a plain running product, as numpy's: once it has overflowed to inf, a zero makes
  // it NaN (the reduction's zero flag, which makes a product's result independent of its lanes, would
  // turn that inf into 0; a scan's order is fixed anyway).
  cumprod: {
    kind: 'scan', of: 'prod', evaluate: (n, [x]) => scanRef(n, x, 'prod'), ulps: 0,
    accumulator: (t) => (isFloat(t.dtype) ? { cInit: () => `${t.T} acc = 1;`, cStep: () => 'acc *= x;', cResult: () => 'acc', cMerge: () => 'acc *= acc_o;' } : undefined),
    vjp: (g, [x], out, n) => [scanAdjoints().cumprod(g, x, out, n)],
  },
  cummax: { kind: 'scan', of: 'max', evaluate: (n, [x]) => scanRef(n, x, 'max'), ulps: 0, vjp: (g, [x], out, n) => [scanAdjoints().cumext(g, x, out, n)] },
  cummin: { kind: 'scan', of: 'min', evaluate: (n, [x]) => scanRef(n, x, 'min'), ulps: 0, vjp: (g, [x], out, n) => [scanAdjoints().cumext(g, x, out, n)] },
  /**
   * src [sorted (1-D), values]; arg { right }: int32 positions where each value would be inserted into
   * the sorted tensor keeping it sorted (NaN last; `right`: after equal elements), by binary search.
   */
  searchsorted: {
    kind: 'movement', reindexes: true, searches: true, cost: 4, ulps: 0, vjp: 'zero',
    evaluate: (n, [a, v]) => searchsortedRef(n, a, v),
    c: (n, idx, g) => {
      const [a, v] = n.src, id = n.id, T = g.T(a.dtype), x = `x_${id}`, e = `e_${id}`;
      // NaN-last order: a element e goes before x when e < x, or x is NaN and e is not (left); e <= x, or x is NaN (right).
      const before = (n.arg as { right: boolean }).right ? `(${e} <= ${x} || ${x} != ${x})` : `(${e} < ${x} || (${x} != ${x} && ${e} == ${e}))`;
      return `({ int64_t lo_${id} = 0, hi_${id} = ${a.shape[0]}; const ${T} ${x} = ${g.at(v, idx)}; while (lo_${id} < hi_${id}) { const int64_t m_${id} = lo_${id} + ((hi_${id} - lo_${id}) >> 1); const ${T} ${e} = ${g.load(a, `m_${id}`)}; if ${before} lo_${id} = m_${id} + 1; else hi_${id} = m_${id}; } (int32_t)lo_${id}; })`;
    },
  },
  /** src [x]; arg SortArg; int32 positions sorting each last-axis row (stable; NaN last). */
  argsort: { kind: 'sort', evaluate: (n, [x]) => argsortRef(n, x), ulps: 0, vjp: 'zero' },

  // movement
  /** arg is a View over the contiguous layout of src[0]. */
  view: {
    kind: 'movement', role: 'view', evaluate: (n, [x]) => gather(n, x, n.arg as unknown as View),
    c: (n, idx, g) => {
      const v = n.arg as unknown as View, src = n.src[0];
      // One stored element broadcast: the same load at every index (and in a flat loop, whose index is not the view's).
      if (g.stored(src) && sizeOf(src.shape) === 1) return g.load(src, '0');
      return g.stored(src) ? g.load(src, viewFlat(v, idx)) : g.at(src, viewSource(v, src.shape, idx));
    },
    ulps: 0,
    vjp: (g, [x], _y, n) => [viewVjp(g, x.shape, n.arg as unknown as View)],
  },
  /** arg: { widths: [before, after][], value }. Reads at a clamped index, then selects: no branch, no out-of-bounds load. */
  pad: {
    kind: 'movement', reindexes: true, evaluate: (n, [x]) => padRef(n, x),
    c: (n, idx, g) => {
      const { widths, value } = n.arg as { widths: [number, number][]; value: number };
      const src = n.src[0];
      const fill = `(${g.T(n.dtype)})${Number.isNaN(value) ? 'NAN' : value === Infinity ? 'INFINITY' : value === -Infinity ? '-INFINITY' : Object.is(value, -0) ? '-0.0' : value}`;
      if (sizeOf(src.shape) === 0) return fill;
      const inside: string[] = [];
      const clamped = idx.map((x, d) => {
        const [before] = widths[d];
        const n1 = src.shape[d] - 1;
        if (widths[d][0] === 0 && widths[d][1] === 0) return x;
        const shifted = before ? `(${x} - ${before})` : x;
        inside.push(`(uint64_t)${shifted} <= ${n1}u`);
        return n1 === 0 ? '0' : `(${shifted} < 0 ? 0 : ${shifted} > ${n1} ? ${n1} : ${shifted})`;
      });
      return `((${inside.join(' && ')}) ? ${g.at(src, clamped)} : ${fill})`;
    },
    ulps: 0,
    vjp: (g, [x], _y, n) => [padVjp(g, x.shape, (n.arg as { widths: [number, number][] }).widths)],
  },
  /** A realization boundary: the value is its input. */
  contiguous: { kind: 'movement', role: 'copy', evaluate: (_n, [x]) => x.slice(), c: (n, idx, g) => g.at(n.src[0], idx), ulps: 0, vjp: (g) => [g] },

  /** [..., m, k] @ [..., k, n] with equal batch dims (broadcast is a view before this node). */
  matmul: {
    kind: 'matmul', evaluate: (n, [a, b]) => matmulRef(n, a, b), ulps: 16, madds: (n) => n.src[0].shape[n.src[0].shape.length - 1] ?? 1,
    vjp: (g, [a, b]) => [g.matmul(transposeLast(b)), transposeLast(a).matmul(g)], // transposed views, no copies
  },

  /**
   * src: [w [G, O/G, C/G·KH·KW], xp [N, C, Hp, Wp]]; arg: ConvArg. w times xp's im2col matrix (convops.ts),
   * [N, G, O/G, OH·OW]: a matmul to the scheduler (epilogues fuse into it), direct loops in C.
   */
  conv2d: { kind: 'matmul', nest: 'conv', evaluate: convRef, ulps: 16, vjp: (g, x, _out, n) => convAdjoint()(g, x, n) },

  // indexing (indexops.ts): numpy's advanced indexing. A gather is a load at a computed position, fused
  // like any movement op; a scatter is its own serial kernel that checks every index before it writes.
  /** src: [x, i0, ..., ik-1] (index tensors of one shape B); arg: GatherArg. */
  gather: {
    kind: 'movement', reindexes: true, checksIndices: true, evaluate: gatherRef, cost: 1, ulps: 0,
    vjp: (g, x, out, n) => indexAdjoints().gather(g, x, out, n), // a scatter-add (indexing.ts)
    c: (n, idx, g) => {
      const { axes, at } = n.arg as unknown as GatherArg;
      const x = n.src[0], nb = n.src[1].shape.length;
      const b = idx.slice(at, at + nb), rest = [...idx.slice(0, at), ...idx.slice(at + nb)];
      let r = 0;
      return g.at(x, x.shape.map((size, d) => (axes.includes(d) ? g.bounded(g.at(n.src[1 + axes.indexOf(d)], b), size, n) : rest[r++])));
    },
  },
  /** src: [base, values, i0, ..., ik-1]; arg: ScatterArg. The result is base with values written (or combined) in. */
  scatter: { kind: 'scatter', evaluate: (n, xs) => scatterRef(n, xs, combineOf(n)), ulps: 0, vjp: (g, x, out, n) => indexAdjoints().scatter(g, x, out, n) },
} satisfies Record<string, OpDef>;

export type OpName = keyof typeof OPS;
export type ElementwiseName = { [K in OpName]: (typeof OPS)[K] extends ElementwiseDef ? K : never }[OpName];
export type ReduceName = { [K in OpName]: (typeof OPS)[K] extends ReduceDef ? K : never }[OpName];
export type ScanName = { [K in OpName]: (typeof OPS)[K] extends ScanDef ? K : never }[OpName];

/**
 * The name of a primitive defineOp or defineKernel added to the table at run time (custom.ts checks it
 * is a C identifier and none of OPS's): only registerOp makes one, so a misspelt op name is still an error.
 */
export type CustomOpName = string & { readonly registered: true };
/** What `Node.op` holds: a primitive of the table, or one registered at run time. */
export type NodeOp = OpName | CustomOpName;

/**
 * The op that holds each role (see Role): one op per role, so each predicate below is one comparison of
 * interned strings (they run several times per node on every eval; a map lookup there showed in S1's
 * profile).
 */
const HOLDER = {} as Record<Role, string>;
for (const [name, def] of Object.entries(OPS as Record<string, OpDef>)) {
  if (!('role' in def) || !def.role) continue;
  if (HOLDER[def.role] !== undefined) throw new Error(`internal: ops ${HOLDER[def.role]} and ${name} both have the role ${def.role}`);
  HOLDER[def.role] = name;
}
const { input: INPUT, scalar: SCALAR, view: VIEW, copy: COPY } = HOLDER;

/** A realized input (role 'input'): its data lives in `n.data`. */
export const isBuffer = (n: Node): boolean => n.op === INPUT;
/** A scalar constant (role 'scalar'): its value is `n.arg`, a runtime scalar. */
export const isConst = (n: Node): boolean => n.op === SCALAR;
/** A strided view of `n.src[0]` (role 'view'): `n.arg` is the View. */
export const isView = (n: Node): boolean => n.op === VIEW;
/** A realization boundary (role 'copy', contiguous()): stored where it stands. */
export const isCopy = (n: Node): boolean => n.op === COPY;
/** `n` below any views of it. */
export const throughViews = (n: Node): Node => {
  while (isView(n)) n = n.src[0];
  return n;
};

/** Adds a user-defined primitive (defineOp, defineKernel) to the table. */
export function registerOp(name: string, def: OpDef): CustomOpName {
  (OPS as Record<string, OpDef>)[name] = def;
  DEFS.set(name, def);
  // structural roles belong to the built-in ops alone (one op each): a registered op computes values
  if ('role' in def && def.role) throw new Error(`internal: registered op ${name} cannot take the role ${def.role}`);
  return name as CustomOpName;
}

/** The table by name, for opDef: a Map lookup costs a third of an object's keyed load by a varying name. */
const DEFS = new Map<string, OpDef>(Object.entries(OPS));

export const opDef = (name: string): OpDef => {
  const def = DEFS.get(name);
  if (!def) throw new Error(`internal: no op named ${name} in the op table`);
  return def;
};

// ---- scatter's combining op ----------------------------------------------------------------------

/**
 * The binary elementwise op a scatter combines old and new values with, or undefined for a plain write
 * (`set`: the last write wins). `arg.op` is an argument of the scatter, not the name of a node's op.
 */
export const scatterCombine = (arg: ScatterArg): ElementwiseDef | undefined => (arg.op === 'set' ? undefined : opDef(arg.op) as ElementwiseDef);

/** A scatter's combining step on doubles in its dtype (integers wrap), or undefined for a plain write. */
function combineOf(n: Node): ((a: number, b: number) => number) | undefined {
  const def = scatterCombine(n.arg as unknown as ScatterArg);
  if (def === undefined) return undefined;
  const fn = isInteger(n.dtype) && def.refInt ? def.refInt : def.ref;
  const to = converter(n.dtype, n.dtype);
  return (a, b) => to(fn(a, b, 0));
}
