/**
 * The scalar math of the op table's entries (ops.ts) that needs more than one expression: the reference
 * semantics in TypeScript (numpy's rounding, floored modulo, C's pow, exact integer sums and products,
 * first-extreme positions) and the C helpers and templates that compute the same in generated code.
 */
import type { DType } from './dtype.js';
import { C_TYPE, DTYPE, toDType } from './dtype.js';
import type { CCtx } from './op-defs.js';

/** Half-to-even rounding (numpy `round`, C `nearbyint` in the default rounding mode). */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

/** numpy's floored float modulo: the result has the sign of the divisor; `x mod 0` is NaN. */
export function modFloat(a: number, b: number): number {
  const m = a % b;
  if (b === 0) return m;
  if (m !== 0) return (b < 0) !== (m < 0) ? m + b : m;
  return b < 0 ? -0 : 0;
}

/** Floored int32 modulo; `x mod 0` is 0 (numpy gives 0 with a warning). */
export function modInt(a: number, b: number): number {
  if (b === 0) return 0;
  const m = a % b;
  return m !== 0 && (m < 0) !== (b < 0) ? (m + b) | 0 : m | 0;
}

/** C pow semantics (also numpy's): pow(1, y) = 1 and pow(x, 0) = 1 even for NaN, pow(-1, ±Inf) = 1. */
export function powFloat(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

/** Wrapping int32 power by squaring; a negative exponent gives 1/x^n truncated (0 unless |x| = 1). */
export function powInt(a: number, b: number): number {
  if (b < 0) return a === 1 ? 1 : a === -1 ? (b & 1 ? -1 : 1) : 0;
  let r = 1, base = a, e = b;
  while (e > 0) {
    if (e & 1) r = Math.imul(r, base);
    base = Math.imul(base, base);
    e >>>= 1;
  }
  return r;
}

export const C_HELPERS = {
  modInt: `static inline int32_t tf_mod_i32(int32_t a, int32_t b) {
  if (b == 0 || b == -1) return 0; /* INT32_MIN % -1 is UB in C; the answer is 0 */
  int32_t m = a % b;
  return (m != 0 && ((m < 0) != (b < 0))) ? (int32_t)((uint32_t)m + (uint32_t)b) : m;
}`,
  modFloat: `static inline double tf_mod_f64(double a, double b) {
  double m = fmod(a, b);
  if (b == 0) return m;
  if (m != 0) return ((b < 0) != (m < 0)) ? m + b : m;
  return copysign(0.0, b);
}
static inline float tf_mod_f32(float a, float b) {
  float m = fmodf(a, b);
  if (b == 0) return m;
  if (m != 0) return ((b < 0) != (m < 0)) ? m + b : m;
  return copysignf(0.0f, b);
}`,
  modU32: `static inline uint32_t tf_mod_u32(uint32_t a, uint32_t b) { return b == 0 ? 0 : a % b; }`,
  powInt: `static inline int32_t tf_pow_i32(int32_t a, int32_t b) {
  if (b < 0) return a == 1 ? 1 : a == -1 ? ((b & 1) ? -1 : 1) : 0;
  uint32_t r = 1, base = (uint32_t)a, e = (uint32_t)b;
  while (e) { if (e & 1) r *= base; base *= base; e >>= 1; }
  return (int32_t)r;
}`,
  powU32: `static inline uint32_t tf_pow_u32(uint32_t a, uint32_t b) {
  uint32_t r = 1, base = a, e = b;
  while (e) { if (e & 1) r *= base; base *= base; e >>= 1; }
  return r;
}`,
};

/**
 * IEEE 754-2019 maximum/minimum in C, as named helpers: NaN propagates (a + b, when either is NaN) and
 * -0 < +0. The two one-sided maxima `a > b ? a : b` and `b > a ? b : a` differ only on a tie of ±0, where
 * and-ing their bits gives +0 unless both are -0 (or-ing, for minimum, -0 unless both are +0). gcc keeps
 * this in vector registers: a uint8 contrast pass with a clip ran 2.3× faster than with the nested
 * ternaries this replaced (bench/RESULTS.md, 2026-12-03), which spilled mask registers.
 */
export const maxMinHelpers = (t: CCtx): string => {
  const T = t.T, U = t.f ? 'uint32_t' : 'uint64_t', s = t.f ? 'f32' : 'f64';
  const bits = (name: string, op: string) =>
    `static inline ${T} tf_${name}_${s}(${T} a, ${T} b) { ${U} x, y; __builtin_memcpy(&x, &a, sizeof x); __builtin_memcpy(&y, &b, sizeof y); x ${op}= y; __builtin_memcpy(&a, &x, sizeof a); return a; }`;
  return [
    bits('bitand', '&'), bits('bitor', '|'),
    `static inline ${T} tf_max_${s}(${T} a, ${T} b) { return __builtin_isunordered(a, b) ? a + b : tf_bitand_${s}(a > b ? a : b, b > a ? b : a); }`,
    `static inline ${T} tf_min_${s}(${T} a, ${T} b) { return __builtin_isunordered(a, b) ? a + b : tf_bitor_${s}(a < b ? a : b, b < a ? b : a); }`,
  ].join('\n');
};

/**
 * Integer arithmetic goes through uint32 and back to the compute type (T): signed overflow is undefined
 * behaviour in C (and 8- and 16-bit operands promote to int, so a uint16 product could overflow int),
 * wrapping modulo 2^bits is ours. The conversion back to a signed type keeps the low bits (gcc and clang
 * define it so).
 */
export const u32 = (op: string) => (x: readonly string[], t: CCtx) => `(${t.T})((uint32_t)${x[0]} ${op} (uint32_t)${x[1]})`;

/**
 * The saturating conversion of a float (`from`: float32 or float64) to each integer dtype (truncate
 * toward zero, clamp to the range, NaN → 0), as toDType: C's own conversion of an out-of-range float is
 * undefined behaviour. It compares in the source's own type, so a float32 loop stays 16 lanes wide: the
 * bounds are the range's ends rounded to float32 (2147483647 becomes 2^31), and every float32 at or past
 * one saturates, as in double.
 */
export const castHelper = (from: DType, d: DType): string => {
  const { c, cMin, cMax, min, max } = DTYPE[d];
  // the bound as a literal of the source type: rounded to it, with its libm suffix (2147483648.0f)
  const lit = (v: number) => `${toDType(v, from)}.0${DTYPE[from].libm}`;
  return `static inline ${c} tf_${from}_to_${d}(${C_TYPE[from]} x) {
  return x != x ? 0 : x >= ${lit(max)} ? ${cMax} : x <= ${lit(min)} ? ${cMin} : (${c})x;
}`;
};

// ---- the reductions' references ------------------------------------------------------------------

/** The exact sum of integers, rounded once to float64 (plain doubles while partial sums stay below 2^53). */
export function exactSum(xs: readonly number[]): number {
  let acc = 0;
  let big: bigint | undefined;
  for (const x of xs) {
    if (big === undefined) {
      const next = acc + x;
      if (Math.abs(next) <= 2 ** 53) {
        acc = next;
        continue;
      }
      big = BigInt(acc);
    }
    big += BigInt(x);
  }
  return big === undefined ? acc : Number(big);
}

/**
 * The product of integers wrapped to 64 bits (as C's uint64_t arithmetic), read as int64 for signed
 * dtypes and uint64 for unsigned ones (numpy's product dtypes), rounded once.
 */
export function wrappedProduct(xs: readonly number[], d: DType): number {
  const bits = DTYPE[d].kind === 'uint' ? BigInt.asUintN : BigInt.asIntN;
  let acc = 1;
  let big: bigint | undefined;
  for (const x of xs) {
    if (big === undefined) {
      if (Math.abs(acc * x) <= 2 ** 53) {
        acc *= x;
        continue;
      }
      big = BigInt(acc);
    }
    big = bits(64, big * BigInt(x));
  }
  return big === undefined ? acc + 0 : Number(big); // + 0: an integer product is never -0
}

/** First index of the extreme value; NaN counts as the extreme (numpy). */
export const argFold = (better: (x: number, best: number) => boolean) => (xs: readonly number[]): number => {
  let best = xs[0], at = 0;
  for (let i = 1; i < xs.length; i++) {
    if (best !== best) break;
    if (better(xs[i], best) || xs[i] !== xs[i]) { best = xs[i]; at = i; }
  }
  return at;
};
