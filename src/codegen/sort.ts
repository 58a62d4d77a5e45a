/**
 * The loops of an argsort kernel: each row of the last axis is loaded (its producers fused into the
 * load) as order-preserving unsigned keys with their positions, sorted stably by a byte-wise LSD radix
 * sort, and the positions written. Threads take rows; each call has one scratch block for its rows.
 *
 *   void *tf_mem = malloc(...);                       // keys, positions, and a second copy of each
 *   for (i0 = lo; i0 < hi; i0++) {
 *     for (j = 0; j < n; j++) { tf_k[j] = tf_key_f32(<x at i0, j>, 0); tf_p[j] = j; }
 *     const int32_t *tf_s = tf_radix_u32(tf_k, tf_p, tf_k2, tf_p2, n);
 *     memcpy(out + i0*n, tf_s, n * sizeof(int32_t));
 *   }
 */
import type { DType } from '../dtype.js';
import { DTYPE } from '../dtype.js';
import type { Node } from '../graph.js';
import type { SortArg } from '../scanops.js';
import { flatIndex } from './index.js';
import type { Body, BodyWriter } from './loops.js';
import { indent, nest } from './loops.js';

/** Key width and key function of a dtype: an unsigned integer whose order is the values' order, NaN last. */
const keyOf = (d: DType): { bits: 32 | 64; fn: string } => {
  const t = DTYPE[d];
  return t.kind === 'float' ? { bits: t.bytes === 8 ? 64 : 32, fn: `tf_key_${d}` } : { bits: 32, fn: t.kind === 'int' ? 'tf_key_i32' : 'tf_key_u32' };
};

/**
 * The key function of a float type of `bits` (C type T), an unsigned integer of the same width: the sign
 * bit flipped for positives, every bit for negatives; -0 as +0 (numpy compares them equal, so a stable
 * sort keeps their order); every NaN the largest key, after +inf, in both directions.
 */
const floatKey = (fn: string, T: string, bits: 32 | 64): string => {
  const U = `uint${bits}_t`, all = bits === 64 ? '0xFFFFFFFFFFFFFFFFull' : '0xFFFFFFFFu', sign = bits === 64 ? '0x8000000000000000ull' : '0x80000000u';
  return `static inline ${U} ${fn}(${T} v, int desc) {
  ${U} u; memcpy(&u, &v, ${bits / 8});
  if (v != v) return ${all};
  if (v == 0) u = 0;
  u = (u >> ${bits - 1}) ? ~u : u | ${sign};
  return desc ? ~u : u;
}`;
};

/** The key function of a dtype: floats by their bits, signed ints with the sign bit flipped (every value converts to int32 exactly), unsigned and bool as they are. */
const keyFunction = (d: DType): string => {
  const t = DTYPE[d];
  if (t.kind === 'float') return floatKey(keyOf(d).fn, t.c, keyOf(d).bits);
  return t.kind === 'int'
    ? 'static inline uint32_t tf_key_i32(int32_t v, int desc) { const uint32_t u = (uint32_t)v ^ 0x80000000u; return desc ? ~u : u; }'
    : 'static inline uint32_t tf_key_u32(uint32_t v, int desc) { return desc ? ~v : v; }';
};

/** Rows this short are sorted by insertion: the radix sort's counting costs more than it saves. */
const INSERTION_MAX = 32;

/** The stable radix sort of keys of `bits` with int32 positions (C). */
function radixSort(bits: 32 | 64): string {
  const K = `uint${bits}_t`, digits = bits / 8;
  return `/* Sorts keys k[0..n) with their positions p stably: by insertion when short, else LSD radix a byte a
   pass (passes in which every key has the same byte are skipped); k2 and p2 are scratch of n each.
   Returns the array holding the sorted positions. */
static const int32_t *tf_radix_u${bits}(${K} *k, int32_t *p, ${K} *k2, int32_t *p2, int64_t n) {
  if (n <= ${INSERTION_MAX}) {
    for (int64_t i = 1; i < n; i++) {
      const ${K} key = k[i]; const int32_t pos = p[i]; int64_t j = i;
      while (j > 0 && k[j - 1] > key) { k[j] = k[j - 1]; p[j] = p[j - 1]; j--; }
      k[j] = key; p[j] = pos;
    }
    return p;
  }
  int64_t count[${digits}][256];
  memset(count, 0, sizeof count);
  for (int64_t i = 0; i < n; i++) {
    const ${K} key = k[i];
    for (int d = 0; d < ${digits}; d++) count[d][(key >> (8 * d)) & 255]++;
  }
  for (int d = 0; d < ${digits}; d++) {
    int64_t *c = count[d];
    if (c[(k[0] >> (8 * d)) & 255] == n) continue;
    int64_t sum = 0;
    for (int v = 0; v < 256; v++) { const int64_t t = c[v]; c[v] = sum; sum += t; }
    for (int64_t i = 0; i < n; i++) {
      const ${K} key = k[i];
      const int64_t at = c[(key >> (8 * d)) & 255]++;
      k2[at] = key; p2[at] = p[i];
    }
    ${K} *tk = k; k = k2; k2 = tk;
    int32_t *tp = p; p = p2; p2 = tp;
  }
  return p;
}`;
}

/** The C helpers an argsort of `d` calls. */
export const sortHelpers = (d: DType): string[] => ['#include <stdlib.h>\n#include <string.h>', keyFunction(d), radixSort(keyOf(d).bits)];

export function sortBody(w: BodyWriter, root: Node): Body {
  const x = root.src[0];
  const { descending } = root.arg as unknown as SortArg;
  const shape = root.shape, last = shape.length - 1, n = shape[last];
  const { bits, fn } = keyOf(x.dtype);
  for (const h of sortHelpers(x.dtype)) w.helpers.add(h);
  const rows = shape.slice(0, -1).flatMap((s, d) => (s === 1 ? [] : [d]));
  const idx = [...shape.slice(0, -1).map((s, d) => (s === 1 ? '0' : `i${d}`)), 'j'];
  const { lines, value } = w.scoped(() => w.at(x, idx));
  const K = `uint${bits}_t`, bytes = n * (2 * bits / 8 + 8);
  const bit = w.failure(`argsort: out of memory: a sort of rows of ${n} elements needs ${bytes} bytes of scratch per thread`);
  const row = [
    `for (int64_t j = 0; j < ${n}; j++) {`,
    ...indent(lines, 1),
    `  tf_k[j] = ${fn}(${value}, ${descending ? 1 : 0}); tf_p[j] = (int32_t)j;`,
    '}',
    `const int32_t *tf_s = tf_radix_u${bits}(tf_k, tf_p, tf_k2, tf_p2, ${n});`,
    `memcpy(${w.out} + ${flatIndex(idx.map((v) => (v === 'j' ? '0' : v)), shape)}, tf_s, ${n} * sizeof(int32_t));`,
  ];
  const loops = nest(rows.map((d) => `i${d}`), rows.map((d) => shape[d]), row);
  return {
    lines: [
      `  void *tf_mem = malloc((size_t)${bytes});`,
      `  if (!tf_mem) tf_oob |= ${bit};`,
      '  else {',
      `    ${K} *tf_k = (${K} *)tf_mem, *tf_k2 = tf_k + ${n};`,
      `    int32_t *tf_p = (int32_t *)(tf_k2 + ${n}), *tf_p2 = tf_p + ${n};`,
      ...indent(loops.lines, 1),
      '  }',
      '  free(tf_mem);',
    ],
    outer: loops.outer,
  };
}

/** What explain() says of an argsort kernel. */
export function sortStrategy(root: Node): string {
  const n = root.shape[root.shape.length - 1];
  return `sort: each row of ${n} loaded as ${keyOf(root.src[0].dtype).bits}-bit order-preserving keys, ${n <= INSERTION_MAX ? 'insertion sort' : 'stable LSD radix sort a byte a pass'}, threads over the rows`;
}

