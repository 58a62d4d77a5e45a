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
