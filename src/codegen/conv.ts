/**
 * The direct convolution loop nest of a float `conv2d` node (convops.ts): out [N, G, O/G, OH·OW] =
 * w [G, O/G, K] times the im2col matrix of xp [N, C, Hp, Wp], without building that matrix. Sketch:
 *
 *   for each task (image n, group g, block of CO output channels, output row i) this thread owns:
 *     wb[k][o] = w[g, o0 + o, k]                                // the block's weights, k-major
 *     for each run of VL output pixels j0.. along the row:      // the last run ends at the row's end
 *       tf_conv_*(xp row pointers, wb) → CO vectors of VL sums  // one load of x per tap, FMA
 *       each sum through the epilogue, stored
 *
 * Each sum adds its K products in k order (channel, tap row, tap column), contracted into FMAs, as the
 * matmul's micro-kernel does: results agree with the reference within the matmul's tolerance. Measured
 * against im2col + the blocked matmul in bench/RESULTS.md (2026-12-02): 1.6× faster at C1's size.
 */
import type { ConvArg } from '../convops.js';
import type { DType } from '../dtype.js';
import { C_TYPE } from '../dtype.js';

/** Output channels per register block. */
export const CO = 8;

export interface ConvParts {
  dtype: DType;
  out: string;
  /** The padded input's buffer, [N, C, Hp, Wp] row-major. */
  x: string;
  shape: { n: number; g: number; og: number; cg: number; hp: number; wp: number };
  arg: ConvArg;
  /** Statements and expression loading w[g, o, k] (C expressions in range). */
  loadW: (g: string, o: string, k: string) => { lines: string[]; value: string };
  /** Elementwise consumers applied to a finished element `value` of out[bt, row, col] before it is stored. */
  epilogue?: (bt: string, row: string, col: string, value: string) => { lines: string[]; value: string };
}

const indent = (lines: readonly string[], depth: number): string[] => lines.map((l) => `${'  '.repeat(depth)}${l}`);

/**
 * The helper computing CO × VL sums: xb points at channel 0 of the group at the task's first input row
 * and the run's first input column; wb is [K][CO]. Compiled with FMA contraction (it holds no other math).
 */
function tileHelper(p: ConvParts, name: string, VL: number, whole: boolean): string {
  const T = C_TYPE[p.dtype], v = `tf_v${p.dtype}`;
  const { cg, hp, wp } = p.shape, a = p.arg;
  // A whole run reads VL consecutive pixels (stride 1): one vector load. Otherwise lane by lane, the lanes
  // past the row's end clamped to its last pixel (computed, never stored).
  const lanes = Math.min(VL, a.ow);
  const load = whole && a.sw === 1
    ? ['memcpy(&xv, r, sizeof xv);']
    : [`for (int l = 0; l < ${VL}; l++) xv[l] = r[(l < ${lanes} ? l : ${lanes - 1}) * ${a.sw}];`];
  return `__attribute__((optimize("fp-contract=fast")))
static void ${name}(const ${T} *restrict xb, const ${T} *restrict wb, ${T} *restrict res) {
  ${v} acc[${CO}];
  memset(acc, 0, sizeof acc);
  for (int64_t c = 0; c < ${cg}; c++)
    for (int64_t u = 0; u < ${a.kh}; u++)
      for (int64_t t = 0; t < ${a.kw}; t++) {
        const ${T} *r = xb + (c * ${hp} + u * ${a.dh}) * ${wp} + t * ${a.dw};
        const ${T} *wk = wb + ((c * ${a.kh} + u) * ${a.kw} + t) * ${CO};
        ${v} xv;
        ${load.join('\n        ')}
        for (int o = 0; o < ${CO}; o++) acc[o] += wk[o] * xv;
      }
  memcpy(res, acc, sizeof acc);
}`;
}

/** The kernel body; the range [lo, hi) counts (image, group, channel block, output row) tasks. */
export function convDirect(p: ConvParts): { lines: string[]; helpers: string[]; outer: number } {
  const T = C_TYPE[p.dtype];
  const VL = p.dtype === 'float32' ? 16 : 8;
  const { n, g: G, og, cg, hp, wp } = p.shape, a = p.arg;
  const K = cg * a.kh * a.kw, P = a.oh * a.ow, blocks = Math.ceil(og / CO);
  const sig = `${p.dtype}_${cg}_${a.kh}x${a.kw}_s${a.sh}x${a.sw}_d${a.dh}x${a.dw}_${hp}x${wp}_${a.ow}`;
  const whole = `tf_conv_${sig}`, part = `tf_conv_lanes_${sig}`;
  // Runs start every VL pixels; the last starts VL before the row's end (overlapping the one before, its
  // repeated pixels not stored again), so each run but a row shorter than VL loads whole vectors.
  const runs = Math.ceil(a.ow / VL);
  const w = p.loadW('g', `(o0 + o < ${og} ? o0 + o : ${og - 1})`, 'k');
  const col = `i * ${a.ow} + j0 + l`;
  const epi = p.epilogue?.('bt', 'o0 + o', col, 'acc');
  const lines = [
    `${T} *wb = aligned_alloc(64, sizeof(${T}) * ${K * CO});`,
    `${T} res[${CO * VL}] __attribute__((aligned(64)));`,
    'if (!wb) return;',
    'int64_t loaded = -1;',
    'for (int64_t task = lo; task < hi; task++) {',
    `  const int64_t i = task % ${a.oh}, blk = (task / ${a.oh}) % ${blocks}, bt = task / ${a.oh * blocks};`,
    `  const int64_t g = bt % ${G}, o0 = blk * ${CO};`,
    '  (void)g;',
    `  if (loaded != bt * ${blocks} + blk) {`,
    `    for (int64_t k = 0; k < ${K}; k++)`,
    `      for (int64_t o = 0; o < ${CO}; o++) {`,
    ...indent(w.lines, 4),
    `        wb[k * ${CO} + o] = ${w.value};`,
    '      }',
    `    loaded = bt * ${blocks} + blk;`,
    '  }',
    `  const ${T} *xrow = ${p.x} + ((bt / ${G}) * ${G * cg} + g * ${cg}) * ${hp * wp} + i * ${a.sh * wp};`,
    `  for (int64_t run = 0; run < ${runs}; run++) {`,
    `    const int64_t j0 = run * ${VL} + ${VL} <= ${a.ow} ? run * ${VL} : ${Math.max(a.ow - VL, 0)};`,
    `    const int64_t from = run * ${VL} - j0;`,
    a.ow >= VL
      ? `    ${whole}(xrow + j0 * ${a.sw}, wb, res);`
      : `    ${part}(xrow + j0 * ${a.sw}, wb, res);`,
    `    for (int64_t o = 0; o < ${CO} && o0 + o < ${og}; o++)`,
    `      for (int64_t l = from; l < ${VL} && j0 + l < ${a.ow}; l++) {`,
    `        const ${T} acc = res[o * ${VL} + l];`,
    ...(epi ? [...indent(epi.lines, 4), `        ${p.out}[(bt * ${og} + o0 + o) * ${P} + ${col}] = ${epi.value};`] : [`        ${p.out}[(bt * ${og} + o0 + o) * ${P} + ${col}] = acc;`]),
    '      }',
    '  }',
    '}',
    'free(wb);',
  ];
  const helpers = [a.ow >= VL ? tileHelper(p, whole, VL, true) : tileHelper(p, part, VL, false)];
  return { lines: indent(lines, 1), helpers, outer: n * G * blocks * a.oh };
}
