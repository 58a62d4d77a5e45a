/**
 * Reference implementations of the math functions JavaScript's Math lacks (erf, erfc) and of numpy's
 * floored division, for the op table. They are the semantics the C backend is tested against, so they
 * are written for accuracy, not speed: erf is within 2 ulps and erfc within 4 ulps of glibc's (< 1 ulp)
 * over the whole double range (measured on 26,000 points against Python's math.erf/math.erfc, which
 * call glibc's; test/special.test.ts pins a grid of them).
 *
 *   erf(x),  |x| < 1:     the Maclaurin series 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)); its first term
 *                         dominates (the sum is ≥ 2x/3), so the alternation costs no accuracy.
 *   erfc(x), x ≥ 0.5:     e^(-x²)/√π over Laplace's continued fraction x + (1/2)/(x + (2/2)/(x + ...)),
 *                         evaluated bottom-up with enough terms for x (1050 at x = 0.5, 300 at x = 1,
 *                         80 at x = 3).
 *   otherwise:            erf = 1 - erfc, erfc = 1 - erf (no cancellation in those ranges).
 * e^(-x²) is computed from x² split exactly into hi + lo (Dekker), so the rounding of x² (which e^
 * would amplify by x²) is not lost.
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126;
/** 1/√π as hi + lo. */
const R_HI = 0.5641895835477563, R_LO = 7.66772980658294e-18;

/** e^(-x²) with x² taken exactly as hi + lo. */
function expMinusSquare(x: number): number {
  const c = 134217729 * x; // 2^27 + 1: Veltkamp's split of x into two 26-bit halves
  const xh = c - (c - x), xl = x - xh;
  const hi = x * x;
  const lo = ((xh * xh - hi) + 2 * xh * xl) + xl * xl;
  return Math.exp(-hi) * (1 - lo);
}

/** (-1)^n / (n! (2n+1)), the Maclaurin coefficients of erf(x) · √π/2 in powers of x² (27 reach 1e-30 at |x| = 1). */
const MACLAURIN = Array.from({ length: 27 }, (_, n) => {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return (n % 2 ? -1 : 1) / (f * (2 * n + 1));
});
/** 2/√π as hi + lo, so that the last multiplication rounds once. */
const K_HI = 1.1283791670955126, K_LO = 1.533545961316588e-17;

/** erf by its Maclaurin series, for |x| < 1: Horner in x², smallest terms first. */
function erfSeries(x: number): number {
  const y = x * x;
  let p = 0;
  for (let n = MACLAURIN.length - 1; n >= 0; n--) p = p * y + MACLAURIN[n];
  const s = x * p;
  return K_HI * s + K_LO * s;
}

/** erfc by the continued fraction, for x ≥ 0.5. */
function erfcFraction(x: number): number {
  if (x > 27.3) return 0; // erfc(27.3) < 2^-1075: rounds to 0
  const terms = Math.ceil(250 / (x * x)) + 50;
  let t = x;
  for (let k = terms; k > 0; k--) t = x + (k / 2) / t;
  const e = expMinusSquare(x);
  return (e * R_HI + e * R_LO) / t;
}

/** The error function (within 2 ulps); erf(-0) = -0, erf(±Inf) = ±1, erf(NaN) = NaN. */
export function erf(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < 2 ** -28) return x + x * (TWO_OVER_SQRT_PI - 1); // keeps -0 and denormals
  if (a < 1) return erfSeries(x);
  const r = 1 - erfcFraction(a);
  return x < 0 ? -r : r;
}

/** The complementary error function 1 - erf(x), within 4 ulps (also where it underflows to denormals). */
export function erfc(x: number): number {
  if (x !== x) return x;
  if (x < 0.5) return 1 - erf(x);
  return erfcFraction(x);
}

/**
 * numpy's floor_divide on doubles (npy_floor_divide / npy_divmod): the quotient from `(a - fmod(a, b)) / b`,
 * moved down by one where the remainder's sign differs from b's and snapped to the nearest integer;
 * `x // 0` is `x / 0` (±Inf or NaN), a zero quotient takes the sign of a / b.
 */
export function floorDivFloat(a: number, b: number): number {
  if (b === 0) return a / b;
  const mod = a % b; // JS % on doubles is C's fmod, exactly
  let div = (a - mod) / b;
  if (mod !== 0 && (b < 0) !== (mod < 0)) div -= 1;
  if (div === 0) {
    const q = a / b;
    return q < 0 || Object.is(q, -0) ? -0 : 0;
  }
  const f = Math.floor(div);
  return div - f > 0.5 ? f + 1 : f;
}

/** Floored int32 division; `x // 0` is 0 (numpy gives 0 with a warning), INT32_MIN // -1 wraps to INT32_MIN. */
export function floorDivInt(a: number, b: number): number {
  if (b === 0) return 0;
  if (b === -1) return -a | 0;
  const q = Math.trunc(a / b);
  return (a % b !== 0 && (a < 0) !== (b < 0) ? q - 1 : q) | 0;
}

/** C versions of the floored divisions above, line for line; float32 divides in double (so both backends agree to the bit). */
export const C_FLOOR_DIV = `static inline double tf_floordiv_f64(double a, double b) {
  if (b == 0) return a / b;
  double mod = fmod(a, b);
  double div = (a - mod) / b;
  if (mod != 0 && ((b < 0) != (mod < 0))) div -= 1.0;
  if (div == 0) return copysign(0.0, a / b);
  double f = floor(div);
  return div - f > 0.5 ? f + 1.0 : f;
}
static inline int32_t tf_floordiv_i32(int32_t a, int32_t b) {
  if (b == 0) return 0;
  if (b == -1) return (int32_t)(0u - (uint32_t)a); /* INT32_MIN / -1 is UB in C; numpy wraps */
  int32_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
static inline uint32_t tf_floordiv_u32(uint32_t a, uint32_t b) { return b == 0 ? 0 : a / b; }`;
