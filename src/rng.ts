/**
 * Counter-based random numbers: element i of `rand(shape, { seed })` is a pure function of (seed, i),
 * so every backend, every fusion and every thread order produces the same values. The same mixing is
 * written in C in the op table (`rand`), with uint32 arithmetic that matches Math.imul and >>> here.
 */

/** A 32-bit integer hash with good avalanche (lowbias32, after Chris Wellons' hash-prospector). */
export function hash32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

export const seedKey = (seed: number): number => hash32((seed ^ 0x9e3779b9) >>> 0);

/** Uniform in [0, 1) with 24 random bits: exactly representable in float32. */
/** Two rounds, the second keyed again, so that streams of different seeds are not permutations of each other. */
export const bits32 = (key: number, i: number): number => hash32((hash32((i ^ key) >>> 0) + key) >>> 0);

export function uniform24(key: number, i: number): number {
  return (bits32(key, i) >>> 8) * 2 ** -24;
}

/** Uniform in [0, 1) with 53 random bits. */
export function uniform53(key: number, i: number): number {
  const h1 = bits32(key, i);
  const h2 = hash32((h1 ^ 0x68e31da4) >>> 0);
  return ((h1 >>> 5) * 2 ** 26 + (h2 >>> 6)) * 2 ** -53;
}

export const C_RNG = `static inline uint32_t tf_hash32(uint32_t x) {
  x ^= x >> 16; x *= 0x7feb352du; x ^= x >> 15; x *= 0x846ca68bu; x ^= x >> 16; return x;
}
static inline uint32_t tf_bits32(uint32_t key, uint32_t i) { return tf_hash32(tf_hash32(i ^ key) + key); }
static inline float tf_uniform24(uint32_t key, uint32_t i) {
  return (float)(tf_bits32(key, i) >> 8) * 0x1p-24f;
}
static inline double tf_uniform53(uint32_t key, uint32_t i) {
  uint32_t h1 = tf_bits32(key, i), h2 = tf_hash32(h1 ^ 0x68e31da4u);
  return ((double)(h1 >> 5) * 67108864.0 + (double)(h2 >> 6)) * 0x1p-53;
}`;

/*
 * Standard normal values that are the same bits on every backend: Box–Muller, z = √(−2·ln u1)·cos(2π·u2)
 * over two 53-bit uniform streams, with ln and cos written out in +, −, ×, ÷ and √ (each IEEE-rounded,
 * in the same order in C and here; C is compiled without FMA contraction), not libm's or Math's, whose
 * last bits differ. ln: u = m·2^e with m in [1/√2, √2), ln m = 2·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.172,
 * by its series to s^23. cos(2π·u): a quarter turn q and the rest r of 4u, then sin or cos of r·π/2
 * (or of its complement, below π/4) by their Taylor series to x^17 and x^18. Accurate to a few ulps.
 */
const LN2 = 0.6931471805599453, SQRT_HALF = 0.7071067811865476, HALF_PI = 1.5707963267948966;
const F = (n: number): number => { let f = 1; for (let i = 2; i <= n; i++) f *= i; return f; }; // exact to 18!
const ATANH = [3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23].map((k) => 1 / k);
const SIN = [3, 5, 7, 9, 11, 13, 15, 17].map((k) => 1 / F(k));
const COS = [2, 4, 6, 8, 10, 12, 14, 16, 18].map((k) => 1 / F(k));
/**
 * ln(M·2^-53) for an integer M in [1, 2^53], as tf_ln_unit in C: M is scaled into [1, 2) by six exact,
 * branch-free conditional halvings (which count its exponent), so the C loop stays one vector type.
 */
function lnUnit(v: number): number {
  let e = 0;
  for (const b of [32, 16, 8, 4, 2, 1]) {
    const t = v >= 2 ** b;
    e += t ? b : 0;
    v = t ? v * 2 ** -b : v;
  }
  let m = v * 0.5, k = e + 1 - 53; // u = m·2^k, m in [0.5, 1)
  const t = m < SQRT_HALF;
  m = t ? m * 2 : m;
  k = t ? k - 1 : k;
  const s = (m - 1) / (m + 1), s2 = s * s;
  let p = ATANH[ATANH.length - 1];
  for (let j = ATANH.length - 2; j >= 0; j--) p = ATANH[j] + s2 * p;
  return k * LN2 + 2 * (s + s * (s2 * p));
}

/** sin x and cos x for x in [0, π/4]: alternating Taylor series in Horner form. */
function sinSmall(x: number): number {
  const x2 = x * x;
  let p = SIN[SIN.length - 1];
  for (let k = SIN.length - 2; k >= 0; k--) p = SIN[k] - x2 * p;
  return x - x * (x2 * p);
}
function cosSmall(x: number): number {
  const x2 = x * x;
  let p = COS[COS.length - 1];
  for (let k = COS.length - 2; k >= 0; k--) p = COS[k] - x2 * p;
  return 1 - x2 * p;
}

/** cos(2π·u) given 4u = q + r (q a whole quarter turn, r in [0, 1)), as tf_cos2pi_q in C. */
function cos2piQ(q: number, r: number): number {
  const near = r <= 0.5;
  const x = near ? r * HALF_PI : (1 - r) * HALF_PI;
  const cx = cosSmall(x), sx = sinSmall(x);
  const c = near ? cx : sx, s = near ? sx : cx; // cos and sin of r·π/2
  return q === 0 ? c : q === 1 ? -s : q === 2 ? -c : s;
}

/** The second stream's key, from the first (C: tf_normal53). */
export const normalKey = (key: number): number => hash32((key ^ 0x5bd1e995) >>> 0);

/** 53 uniform bits of element i of stream `key`, as an integer (exact in a double): uniform53 is this · 2^-53. */
const bits53 = (key: number, i: number): number => {
  const h1 = bits32(key, i), h2 = hash32((h1 ^ 0x68e31da4) >>> 0);
  return (h1 >>> 5) * 2 ** 26 + (h2 >>> 6);
};

/** A standard normal value, element i of the stream `key` (randn): u1 = 1 - uniform53(key, i) = M·2^-53. */
export function normal53(key: number, i: number): number {
  const M = 2 ** 53 - bits53(key, i);
  const t = bits53(normalKey(key), i) * 2 ** -51; // 4·u2, in [0, 4)
  const q = (t >= 1 ? 1 : 0) + (t >= 2 ? 1 : 0) + (t >= 3 ? 1 : 0);
  return Math.sqrt(-2 * lnUnit(M)) * cos2piQ(q, t - q);
}

/** Horner's form of c0 op x·(c1 op x·(c2 ...)) as one C expression, as the loops above evaluate it. */
const horner = (c: readonly number[], x: string, op: '+' | '-'): string =>
  c.slice(0, -1).reduceRight((inner, k) => `(${k.toPrecision(17)} ${op} ${x} * ${inner})`, c[c.length - 1].toPrecision(17));
// Straight-line C (no loops, no branches: ternaries), so that a loop of randn vectorizes.
export const C_NORMAL = `static inline double tf_ln_unit(double v) {
  double e = 0; int t;
${[32, 16, 8, 4, 2, 1].map((b) => `  t = v >= 0x1p${b}; e += t ? ${b} : 0; v = t ? v * 0x1p-${b} : v;`).join('\n')}
  double m = v * 0.5, k = e + 1 - 53;
  t = m < ${SQRT_HALF.toPrecision(17)};
  m = t ? m * 2 : m; k = t ? k - 1 : k;
  const double s = (m - 1) / (m + 1), s2 = s * s;
  const double p = ${horner(ATANH, 's2', '+')};
  return k * ${LN2.toPrecision(17)} + 2 * (s + s * (s2 * p));
}
static inline double tf_sin_small(double x) { const double x2 = x * x; return x - x * (x2 * ${horner(SIN, 'x2', '-')}); }
static inline double tf_cos_small(double x) { const double x2 = x * x; return 1 - x2 * ${horner(COS, 'x2', '-')}; }
static inline double tf_cos2pi_q(double q, double r) {
  const int near = r <= 0.5;
  const double x = near ? r * ${HALF_PI.toPrecision(17)} : (1 - r) * ${HALF_PI.toPrecision(17)};
  const double cx = tf_cos_small(x), sx = tf_sin_small(x);
  const double c = near ? cx : sx, s = near ? sx : cx;
  return q == 0 ? c : q == 1 ? -s : q == 2 ? -c : s;
}
static inline double tf_bits53(uint32_t key, uint32_t i) {
  const uint32_t h1 = tf_bits32(key, i), h2 = tf_hash32(h1 ^ 0x68e31da4u);
  return (double)(h1 >> 5) * 67108864.0 + (double)(h2 >> 6);
}
static inline double tf_normal53(uint32_t key, uint32_t i) {
  const double M = 0x1p53 - tf_bits53(key, i);
  const double t = tf_bits53(tf_hash32(key ^ 0x5bd1e995u), i) * 0x1p-51;
  const double q = (t >= 1 ? 1 : 0) + (t >= 2 ? 1 : 0) + (t >= 3 ? 1 : 0);
  return sqrt(-2 * tf_ln_unit(M)) * tf_cos2pi_q(q, t - q);
}`;
