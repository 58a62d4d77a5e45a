/**
 * The direct convolution loop nest of a float `conv2d` node (convops.ts): out [N, G, O/G, OH·OW] =
 * w [G, O/G, K] times the im2col matrix of the zero-padded x, without building that matrix or the
 * padded x. Sketch:
 *
 *   for each task (image n, group g, block of CO output channels, output row i) this thread owns:
 *     xpad[c][·][·] = x[n, g·Cg + c, · − top, · − left], zeros outside x   // once per thread and (n, g)
 *     wb[k][o] = w[g, o0 + o, k]                                         // once per (n, g, block)
 *     for each run of VL output pixels (the last ends at the row's end):
 *       tf_conv_*(xpad at row i·sh, wb) → CO vectors of VL sums          // one load per tap, FMA
 *       each sum through the epilogue, stored
 *
 * Each sum adds its K products in k order (channel, tap row, tap column), contracted into FMAs, as the
 * matmul's micro-kernel does: results agree with the reference within the matmul's tolerance. Measured
 * against im2col + the blocked matmul and a hand-written direct loop in bench/RESULTS.md (2026-12-02).
 */
import type { ConvArg } from '../convops.js';
import type { DType } from '../dtype.js';
import { BYTES, C_TYPE } from '../dtype.js';

/** Output channels per register block. */
export const CO = 8;

/** The tasks threads share: an output row of a block of CO channels, of each group of each image. */
export const convTasks = (n: number, groups: number, perGroup: number, oh: number): number => n * groups * Math.ceil(perGroup / CO) * oh;

export interface ConvParts {
  dtype: DType;
  out: string;
  shape: { n: number; g: number; og: number; cg: number; h: number; w: number };
  arg: ConvArg;
  /** Statements and expression loading w[g, o, k] (C expressions in range). */
  loadW: (g: string, o: string, k: string) => { lines: string[]; value: string };
  /** Statements and expression loading x[n, c, r, q] (C expressions in range). */
  loadX: (n: string, c: string, r: string, q: string) => { lines: string[]; value: string };
  /** Elementwise consumers applied to a finished element `value` of out[bt, row, col] before it is stored. */
  epilogue?: (bt: string, row: string, col: string, value: string) => { lines: string[]; value: string };
  /** The statement that fails the call (a TensorError) when `bytes` of scratch per thread cannot be had. */
  outOfMemory: (bytes: number) => string;
}

const indent = (lines: readonly string[], depth: number): string[] => lines.map((l) => `${'  '.repeat(depth)}${l}`);

/** The columns a row of taps spans: the padded row as far as any output reads it. */
const span = (a: ConvArg): number => (a.ow - 1) * a.sw + (a.kw - 1) * a.dw + 1;
/** The padded rows any output reads. */
const rowsRead = (a: ConvArg): number => (a.oh - 1) * a.sh + (a.kh - 1) * a.dh + 1;

/**
 * The helper computing CO × VL sums: xb points into the padded image [Cg][R][span] at the task's first
 * input row and the run's first input column; wb is [K][CO]. Compiled with FMA contraction (it holds no other math).
 */
function tileHelper(p: ConvParts, name: string, VL: number): string {
  const T = C_TYPE[p.dtype], v = `tf_v${p.dtype}`;
  const a = p.arg, S = span(a), R = rowsRead(a);
  // A run of VL pixels at stride 1 is one vector load. Otherwise lane by lane; in a row shorter than VL
  // the lanes past its end repeat its last pixel (computed, never stored).
  const lanes = Math.min(VL, a.ow);
  const load = a.ow >= VL && a.sw === 1
    ? 'memcpy(&xv, r, sizeof xv);'
    : `for (int l = 0; l < ${VL}; l++) xv[l] = r[(l < ${lanes} ? l : ${lanes - 1}) * ${a.sw}];`;
  return `__attribute__((optimize("fp-contract=fast")))
static void ${name}(const ${T} *restrict xb, const ${T} *restrict wb, ${T} *restrict res) {
  ${v} acc[${CO}];
  memset(acc, 0, sizeof acc);
  for (int64_t c = 0; c < ${p.shape.cg}; c++)
    for (int64_t u = 0; u < ${a.kh}; u++)
      for (int64_t t = 0; t < ${a.kw}; t++) {
        const ${T} *r = xb + (c * ${R} + u * ${a.dh}) * ${S} + t * ${a.dw};
        const ${T} *wk = wb + ((c * ${a.kh} + u) * ${a.kw} + t) * ${CO};
        ${v} xv;
        ${load}
        for (int o = 0; o < ${CO}; o++) acc[o] += wk[o] * xv;
      }
  memcpy(res, acc, sizeof acc);
}`;
}

/** The kernel body; the range [lo, hi) counts (image, group, channel block, output row) tasks. */
export function convDirect(p: ConvParts): { lines: string[]; helpers: string[]; outer: number } {
  const T = C_TYPE[p.dtype];
  const VL = 64 / BYTES[p.dtype]; // lanes of a 64-byte vector
  const { n, g: G, og, cg, h: H, w: W } = p.shape, a = p.arg;
  const K = cg * a.kh * a.kw, P = a.oh * a.ow, blocks = Math.ceil(og / CO), S = span(a);
  const R = rowsRead(a);
  const [top, , left] = a.pads;
  const name = `tf_conv_${p.dtype}_${cg}_${a.kh}x${a.kw}_d${a.dh}x${a.dw}_s${a.sw}_${R}x${S}_${a.ow}`;
  // Runs start every VL pixels; the last starts VL before the row's end (overlapping the one before, whose
  // pixels it does not store again), so that every run of a row at least VL long loads whole vectors.
  const runs = Math.ceil(a.ow / VL);
  const w = p.loadW('g', `(o0 + o < ${og} ? o0 + o : ${og - 1})`, 'k');
  const x = p.loadX(`(bt / ${G})`, `g * ${cg} + c`, 'r', `e - ${left}`);
  const inside = [Math.min(left, S), Math.min(left + W, S)]; // the columns of a padded row that are x's
  const rows = [Math.min(top, R), Math.min(top + H, R)]; // and the rows
  // aligned_alloc's size is a multiple of its alignment (C11 7.22.3.1).
  const bytes = (count: number) => `${Math.ceil((count * BYTES[p.dtype]) / 64) * 64}`;
  const col = `i * ${a.ow} + j0 + l`;
  const epi = p.epilogue?.('bt', 'o0 + o', col, 'acc');
  const store = (value: string) => `${p.out}[(bt * ${og} + o0 + o) * ${P} + ${col}] = ${value};`;
  const lines = [
    `${T} *wb = aligned_alloc(64, ${bytes(K * CO)});`,
    `${T} *xpad = aligned_alloc(64, ${bytes(cg * R * S)});`,
    `${T} res[${CO * VL}] __attribute__((aligned(64)));`,
    `if (!wb || !xpad) ${p.outOfMemory(Number(bytes(K * CO)) + Number(bytes(cg * R * S)))}`,
    'else {',
    'int64_t padded = -1, loaded = -1;',
    'for (int64_t task = lo; task < hi; task++) {',
    `  const int64_t i = task % ${a.oh}, blk = (task / ${a.oh}) % ${blocks}, bt = task / ${a.oh * blocks};`,
    `  const int64_t g = bt % ${G}, o0 = blk * ${CO};`,
    // This thread's copy of the image's group of channels, zero padded: once per image and group. Zeros
    // first, then x's rows, each a plain copy loop. (The first form, per row a branch to a zero loop or a
    // copy loop, is miscompiled by gcc 12.2 at -O3 -march=native with AVX-512: its copies came out zero.
    // test/conv.test.ts's "'same', stride 2" row on C fails with it.)
    '  if (padded != bt) {',
    `    memset(xpad, 0, ${bytes(cg * R * S)});`,
    `    for (int64_t c = 0; c < ${cg}; c++)`,
    `      for (int64_t r0 = ${rows[0]}; r0 < ${rows[1]}; r0++) {`,
    `        const int64_t r = r0 - ${top};`,
    `        ${T} *dst = xpad + (c * ${R} + r0) * ${S};`,
    `        for (int64_t e = ${inside[0]}; e < ${inside[1]}; e++) {`,
    ...indent(x.lines, 5),
    `          dst[e] = ${x.value};`,
    '        }',
    '      }',
    '    padded = bt;',
    '  }',
    `  if (loaded != bt * ${blocks} + blk) {`,
    `    for (int64_t k = 0; k < ${K}; k++)`,
    `      for (int64_t o = 0; o < ${CO}; o++) {`,
    ...indent(w.lines, 4),
    `        wb[k * ${CO} + o] = ${w.value};`,
    '      }',
    `    loaded = bt * ${blocks} + blk;`,
    '  }',
    `  for (int64_t run = 0; run < ${runs}; run++) {`,
    `    const int64_t j0 = run * ${VL} + ${VL} <= ${a.ow} ? run * ${VL} : ${Math.max(a.ow - VL, 0)};`,
    `    ${name}(xpad + i * ${a.sh * S} + j0 * ${a.sw}, wb, res);`,
    `    for (int64_t o = 0; o < ${CO} && o0 + o < ${og}; o++)`,
    `      for (int64_t l = run * ${VL} - j0; l < ${VL} && j0 + l < ${a.ow}; l++) {`,
    `        const ${T} acc = res[o * ${VL} + l];`,
    ...(epi ? [...indent(epi.lines, 4), `        ${store(epi.value)}`] : [`        ${store('acc')}`]),
    '      }',
    '  }',
    '}',
    '}',
    'free(wb);',
    'free(xpad);',
  ];
  return { lines: indent(lines, 1), helpers: [tileHelper(p, name, VL)], outer: convTasks(n, G, og, a.oh) };
}
