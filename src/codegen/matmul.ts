/**
 * The float matmul loop nest: blocked for cache and registers, BLIS style. Sketch of what it emits:
 *
 *   for each batch and block of MC rows this thread owns:          // threads split the row blocks
 *     for jc in N by NC: for pc in K by KC:
 *       pack B[pc:pc+KC, jc:jc+NC] into NR-wide panels (zero padded) // once per thread and block
 *       for each MC-row block: pack A rows into MR-tall panels
 *         for each (MR × NR) tile: tf_micro(KC, Apanel, Bpanel) → registers → C (+= after the first KC)
 *
 * The micro-kernel keeps an MR × NR tile of C in vector registers (GCC vector extensions, so AVX-512
 * where -march=native has it) and is the one place compiled with FMA contraction. Operands are read
 * through their views while packing, so transposed inputs need no copy. Summation is blocked and fused,
 * so results agree with the reference within the op's tolerance, not bit for bit; int32 matmul keeps
 * the exact row-at-a-time loop (wrapping integer sums are exact in any order).
 */
import type { DType } from '../dtype.js';
import { BYTES, C_TYPE } from '../dtype.js';

export const MR = 8;
const KC = 256;
const MC = 64;
const NC = 512;

/** The tasks threads share: blocks of MC rows of each of `batch` products of `m` rows. */
export const matmulTasks = (batch: number, m: number): number => batch * Math.ceil(m / MC);

export function matmulHelpers(d: DType): string {
  const T = C_TYPE[d];
  const VL = d === 'float32' ? 16 : 8;
  const NR = 2 * VL;
  const v = `tf_v${d}`;
  return `#include <stdlib.h>
#include <string.h>
typedef ${T} ${v} __attribute__((vector_size(64)));
/*
 * ${MR}×${NR} register tile = Apanel(kc × ${MR}) · Bpanel(kc × ${NR}), written to out (row stride ld) or,
 * with add, added to it (one rounding more, as a separate add). FMA is contracted here only.
 */
__attribute__((optimize("fp-contract=fast")))
static void tf_micro_${d}(int64_t kc, const ${T} *restrict a, const ${T} *restrict b, ${T} *restrict out, int64_t ld, int add) {
  ${v} c[${MR}][2];
  memset(c, 0, sizeof c);
  for (int64_t k = 0; k < kc; k++) {
    ${v} b0, b1;
    memcpy(&b0, b + k * ${NR}, sizeof b0);
    memcpy(&b1, b + k * ${NR} + ${VL}, sizeof b1);
    for (int i = 0; i < ${MR}; i++) {
      const ${T} ai = a[k * ${MR} + i];
      c[i][0] += ai * b0;
      c[i][1] += ai * b1;
    }
  }
  for (int i = 0; i < ${MR}; i++)
    for (int h = 0; h < 2; h++) {
      ${v} o = c[i][h];
      if (add) { ${v} prev; memcpy(&prev, out + i * ld + h * ${VL}, sizeof prev); o = prev + o; }
      memcpy(out + i * ld + h * ${VL}, &o, sizeof o);
    }
}`;
}

export interface MatmulParts {
  dtype: DType;
  out: string;
  batch: number;
  m: number;
  n: number;
  k: number;
  /** Statements and expression loading A[bt, row, col] (row, col are C expressions in range). */
  loadA: (bt: string, row: string, col: string) => { lines: string[]; value: string };
  loadB: (bt: string, row: string, col: string) => { lines: string[]; value: string };
  /** Elementwise consumers applied to a finished element `value` of C[bt, row, col] before it is stored. */
  epilogue?: (bt: string, row: string, col: string, value: string) => { lines: string[]; value: string };
  /** The statement that fails the call (a TensorError) when `bytes` of packing buffers cannot be had. */
  outOfMemory: (bytes: number) => string;
}

const indent = (lines: readonly string[], depth: number): string[] => lines.map((l) => `${'  '.repeat(depth)}${l}`);

/** The kernel body; the range [lo, hi) counts (batch, MC-row block) tasks. Returns lines and the task count. */
export function matmulBlocked(p: MatmulParts): { lines: string[]; outer: number } {
  const T = C_TYPE[p.dtype];
  const NR = p.dtype === 'float32' ? 32 : 16;
  const mt = matmulTasks(1, p.m);
  const ncMax = Math.min(NC, Math.ceil(p.n / NR) * NR);
  const kcMax = Math.min(KC, Math.max(p.k, 1));
  const C = (row: string, col: string) => `${p.out}[bt * ${p.m * p.n} + (${row}) * ${p.n} + (${col})]`;
  // Clamped indices keep every packing load in bounds; padded lanes are then zeroed by the select.
  const b = p.loadB('bt', 'pc + kk', `(jc + jr + j < ${p.n} ? jc + jr + j : ${p.n - 1})`);
  const bWhole = p.loadB('bt', 'pc + kk', 'jc + jr + j');
  const a = p.loadA('bt', `(i0 + ir + i < ${p.m} ? i0 + ir + i : ${p.m - 1})`, 'pc + kk');
  // The epilogue runs on the last K block, when the element is final.
  const epi = p.epilogue?.('bt', 'i0 + ir + i', 'jc + jr + j', 'acc');
  const zeroEpi = p.epilogue?.('bt', 'r', 'j', `(${T})0`);
  const lines = [
    `${T} *Ap = aligned_alloc(64, sizeof(${T}) * ${MC * kcMax});`,
    `${T} *Bp = aligned_alloc(64, sizeof(${T}) * ${kcMax * ncMax});`,
    `${T} tile[${MR * NR}] __attribute__((aligned(64)));`,
    `if (!Ap || !Bp) ${p.outOfMemory((MC * kcMax + kcMax * ncMax) * BYTES[p.dtype])}`,
    `else for (int64_t bt = lo / ${mt}; bt <= (hi - 1) / ${mt}; bt++) {`,
    `  const int64_t first = lo > bt * ${mt} ? lo - bt * ${mt} : 0, last = hi < (bt + 1) * ${mt} ? hi - bt * ${mt} : ${mt};`,
    ...(p.k === 0
      ? [
        `  for (int64_t r = first * ${MC}; r < last * ${MC} && r < ${p.m}; r++)`,
        `    for (int64_t j = 0; j < ${p.n}; j++) {`,
        ...(zeroEpi ? [...indent(zeroEpi.lines, 3), `      ${C('r', 'j')} = ${zeroEpi.value};`] : [`      ${C('r', 'j')} = 0;`]),
        '    }',
      ]
      : [
        `  for (int64_t jc = 0; jc < ${p.n}; jc += ${NC}) {`,
        `    const int64_t nc = ${p.n} - jc < ${NC} ? ${p.n} - jc : ${NC};`,
        `    for (int64_t pc = 0; pc < ${p.k}; pc += ${KC}) {`,
        `      const int64_t kc = ${p.k} - pc < ${KC} ? ${p.k} - pc : ${KC};`,
        // Whole panels copy without the bounds select (so the loop vectorizes); the last may be padded.
        `      for (int64_t jr = 0; jr < nc; jr += ${NR})`,
        '        for (int64_t kk = 0; kk < kc; kk++)',
        `          if (jc + jr + ${NR} <= ${p.n}) {`,
        '            #pragma omp simd',
        `            for (int64_t j = 0; j < ${NR}; j++) {`,
        ...indent(bWhole.lines, 7),
        `              Bp[(jr / ${NR}) * kc * ${NR} + kk * ${NR} + j] = ${bWhole.value};`,
        '            }',
        '          } else {',
        `            for (int64_t j = 0; j < ${NR}; j++) {`,
        ...indent(b.lines, 7),
        `              Bp[(jr / ${NR}) * kc * ${NR} + kk * ${NR} + j] = jc + jr + j < ${p.n} ? ${b.value} : (${T})0;`,
        '            }',
        '          }',
        '      for (int64_t ib = first; ib < last; ib++) {',
        `        const int64_t i0 = ib * ${MC}, mc = ${p.m} - i0 < ${MC} ? ${p.m} - i0 : ${MC};`,
        `        for (int64_t ir = 0; ir < mc; ir += ${MR})`,
        '          for (int64_t kk = 0; kk < kc; kk++)',
        `            for (int64_t i = 0; i < ${MR}; i++) {`,
        ...indent(a.lines, 7),
        `              Ap[(ir / ${MR}) * kc * ${MR} + kk * ${MR} + i] = ir + i < mc ? ${a.value} : (${T})0;`,
        '            }',
        `        for (int64_t jr = 0; jr < nc; jr += ${NR})`,
        `          for (int64_t ir = 0; ir < mc; ir += ${MR}) {`,
        `            const int64_t mr = mc - ir < ${MR} ? mc - ir : ${MR}, nr = nc - jr < ${NR} ? nc - jr : ${NR};`,
        `            const ${T} *ap = Ap + (ir / ${MR}) * kc * ${MR}, *bp = Bp + (jr / ${NR}) * kc * ${NR};`,
        `            if (mr == ${MR} && nr == ${NR}) {`,
        // A whole tile goes straight to C; an edge tile through a buffer, element by element.
        `              tf_micro_${p.dtype}(kc, ap, bp, &${C('i0 + ir', 'jc + jr')}, ${p.n}, pc > 0);`,
        ...(epi
          ? [
            `              if (pc + kc >= ${p.k})`,
            `                for (int64_t i = 0; i < ${MR}; i++)`,
            `                  for (int64_t j = 0; j < ${NR}; j++) {`,
            `                    ${T} *c = &${C('i0 + ir + i', 'jc + jr + j')};`,
            `                    const ${T} acc = *c;`,
            ...indent(epi.lines, 10),
            `                    *c = ${epi.value};`,
            '                  }',
          ]
          : []),
        '              continue;',
        '            }',
        `            tf_micro_${p.dtype}(kc, ap, bp, tile, ${NR}, 0);`,
        '            for (int64_t i = 0; i < mr; i++)',
        '              for (int64_t j = 0; j < nr; j++) {',
        `                ${T} *c = &${C('i0 + ir + i', 'jc + jr + j')};`,
        ...(epi
          ? [
            `                const ${T} acc = pc == 0 ? tile[i * ${NR} + j] : *c + tile[i * ${NR} + j];`,
            `                if (pc + kc < ${p.k}) { *c = acc; continue; }`,
            ...indent(epi.lines, 8),
            `                *c = ${epi.value};`,
          ]
          : [`                *c = pc == 0 ? tile[i * ${NR} + j] : *c + tile[i * ${NR} + j];`]),
        '              }',
        '          }',
        '      }',
        '    }',
        '  }',
      ]),
    '}',
    'free(Ap);',
    'free(Bp);',
  ];
  return { lines: indent(lines, 1), outer: matmulTasks(p.batch, p.m) };
}
