/**
 * C code generation: Program → one translation unit. The emitted code looks like this:
 *
 *   /* E0_4096_4096: out0 = add(mul(in0, s[0]), in1) *\/
 *   static void E0_4096_4096(int64_t lo, int64_t hi, void *const *b, const double *s) {
 *     float *restrict out0 = (float *)b[0];
 *     const float *restrict in0 = (const float *)b[1]; ...
 *     for (int64_t i0 = lo; i0 < hi; i0++)          // the outermost dim is split across threads
 *       for (int64_t i1 = 0; i1 < 4096; i1++) {
 *         const float v0 = in0[i0*4096 + i1];      // one `const` per fused op, shared subexpressions once
 *         ...
 *         out0[(i0*4096 + i1)] = v3;
 *       }
 *   }
 *   int tf_program(const int64_t *z, void *p0, ...) {  // the one FFI entry point: z holds the
 *     const double *s = (const double *)(z + 2);         // thread count, the sizes, then the scalars
 *     const unsigned tf_env = tf_fpenv_get();            // the FP control register at entry
 *     void *b[] = {p0, ...};
 *     tf_run(E0_4096_4096, 4096, 16, 1, b, s, threads); // kernels in order, each maybe parallel
 *     return tf_fpenv_check(tf_env);                      // nonzero (and restored) if a kernel changed it
 *   }
 *   const char *tf_key(void) { return "<key>"; }          // appended after hashing: checked after loading
 *
 * A "flat" kernel (every load at the output's own index, or of one element broadcast) is one loop `for (i = lo; i < hi; i++)` whose
 * length comes from `z[]` at run time, so one compile serves every size.
 *
 * What the loops are (a reduction's strategy, tiles, streamed stores, row groups, how threads split
 * each kernel) is decided before this by lowering (lower.ts); the writer here follows those decisions.
 * This file writes the program around the kernels (buffers, the calls, row groups, index checks);
 * each kernel's loop nest is KernelWriter's (kernel.ts).
 */
import { BYTES, C_TYPE } from '../dtype.js';
import type { Node } from '../graph.js';
import { isConst, isView } from '../ops.js';
import type { Kernel, Program } from '../schedule.js';
import { seeded } from '../schedule.js';
import type { View } from '../shape.js';
import { sizeOf } from '../shape.js';
import { includes, libmvecDecls, prelude, streamingHelpers } from './prelude.js';
import type { Lowered, LoweredKernel, ParallelPlan } from './lower.js';
import { lower } from './lower.js';
import type { KeptValue } from './kernel.js';
import { KernelWriter, MAX_CHECKS, nodeById, SIMD } from './kernel.js';

/** Bumped whenever the generated calling convention changes; part of the cache key. */
export const ABI_VERSION = 3;

/** Buffers passed as separate parameters of tf_program; more come as one pointer array. */
export const DIRECT_PARAMS = 48;

/** Threads a program uses at most (a reduction to one value has CHUNKS = 64 chunks for them to share). */
export const MAX_THREADS = 64;


/**
 * `out` is written in place over existing memory (assign): over `inputs` (the same memory), none of
 * which may then be `restrict`, and, for an assign through a view, at the positions `store` gives.
 */
export interface Alias {
  out: string;
  inputs: readonly string[];
  store?: View;
}


export interface GeneratedC {
  source: string;
  /** With an alias: true when the kernel writing `out` reads its `inputs` only at the index it writes. */
  aliasSafe: boolean;
  /** Argument order of tf_program after its header z: buffer names. */
  params: string[];
  /** The runtime lengths z[1..] the program reads, in order (flat kernels' sizes). */
  sizes: number[];
  /** With profiling compiled in: the kernel names whose counters `tf_profile` reports, in order. */
  profiled: string[];
  /**
   * The index checks of the program's gathers and scatters, by bit: tf_program's status has bit j + 1
   * set when an index of check j was out of range. `early`: checked before the kernel writes anything.
   */
  checks: { what: string; early: boolean; error?: string }[];
  /** Of the program's in-place buffers (Program.inPlace): those whose kernel reads them at another index than it writes. */
  inPlaceUnsafe: string[];
  /**
   * Whether an index check runs after (or together with) a kernel writing an input buffer in place: a
   * failed call would then leave that buffer half updated.
   */
  checkedAfterInPlace: boolean;
  /** The decisions the C follows, with their reasons (lower.ts). */
  lowered: Lowered;
}

export function generateC(p: Program, alias?: Alias, profile = false): GeneratedC {
  const params = [...p.outputs, ...p.temps, ...p.inputs].map((b) => b.name);
  const bufIndex = new Map(params.map((name, i) => [name, i]));
  const dtypeOf = new Map([...p.outputs, ...p.temps, ...p.inputs].map((b) => [b.name, b.dtype]));
  const helpers = new Set<string>();
  /** Declarations of the libmvec functions the kernels call. */
  const vectorMath = new Set<string>();
  /** C types of the outputs some kernel streams. */
  const streamedTypes = new Set<string>();
  const sizes: number[] = [];
  const kernels: string[] = [];
  const calls: string[] = [];
  let aliasSafe = true;
  const inPlace = new Set(p.inPlace);
  const inPlaceUnsafe: string[] = [];
  const profiled: string[] = [];
  /** Per-call scratch declared in tf_program (partial results of split reductions), appended to b[]. */
  const locals: { decl: string; name: string }[] = [];
  // The out-of-range flags of index checks (see KernelWriter.bounded): one int in b[], or-ed into by kernels.
  const checks: GeneratedC['checks'] = [];
  const checkBits = new Map<Node, number>();
  const checkedKernels = new Set<Kernel>();
  let flagSlot = -1;
  const checkBit = (n: Node, what: string, early: boolean, error?: string): number => {
    let j = checkBits.get(n);
    if (j === undefined) {
      j = Math.min(checks.length, MAX_CHECKS - 1);
      if (j === checks.length) checks.push({ what, early, ...(error ? { error } : {}) });
      else checks[j] = { what: 'one of several indexed axes', early: checks[j].early && early };
      checkBits.set(n, j);
    }
    return 1 << j;
  };
  const lowered = lower(p, alias, profile);
  // Kernels that run together row block by row block (Lowered.groups): their calls become one.
  const groups = lowered.groups;
  const groupOf = new Map(groups.flatMap((g, gi) => g.members.map((i) => [p.kernels[i], gi] as const)));
  // Values a group's reduction keeps in a later member's output (LoweredGroup.kept): who stores, who loads.
  const keeps = new Map<string, KeptValue>(), loadsKept = new Map<string, Map<Node, string>>();
  const kept = groups.flatMap((g) => g.kept);
  const keptNote = (name: string): string => kept.filter((c) => c.by === name || c.reader === name)
    .map((c) => (c.by === name ? ` — keeps the value it folds in ${c.into} for ${c.reader}` : ` — loads from ${c.into} the value ${c.by} kept`)).join('');
  for (const c of kept) {
    const by = p.kernels.find((k) => k.name === c.by)!;
    const node = nodeById(by.main ?? by.node, c.node);
    keeps.set(c.by, { node, into: c.into });
    loadsKept.set(c.reader, new Map([[node, c.into]]));
  }
  p.kernels.forEach((k, ki) => {
    const lk = lowered.kernels[ki];
    if (lk.empty) return;
    const size = sizeOf(k.node.shape);
    if (lk.store.kind === 'streamed') streamedTypes.add(C_TYPE[k.node.dtype]);
    const w = new KernelWriter(k, lk, p, helpers, vectorMath, params.length + locals.length, checkBit, keeps.get(k.name), loadsKept.get(k.name));
    const { lines: raw, partials, final, after, ...loops } = w.body();
    const { outer, grain, align } = threadsOf(lk, loops);
    if (partials) locals.push(...partials);
    if (w.checked && flagSlot < 0) {
      flagSlot = params.length + locals.length;
      locals.push({ decl: 'int tf_bad[1] = {0};', name: 'tf_bad' });
    }
    // A kernel that checks indices keeps its flag in a local, or-ed over every simd loop's lanes.
    const flagged = (lines: string[]) => (w.checked ? lines.map((l) => (l.trimStart() === SIMD ? `${l} reduction(|:tf_oob)` : l)) : lines);
    const body = flagged(raw);
    if (alias && k.out === alias.out) {
      aliasSafe = w.loads.every(([name, at]) => !alias.inputs.includes(name) || at === w.storeIndex);
    }
    if (inPlace.has(k.out) && !w.loads.every(([name, at]) => name !== k.out || at === w.storeIndex)) inPlaceUnsafe.push(k.out);
    const decls = [...w.buffers].sort().map((name) => {
      const T = C_TYPE[dtypeOf.get(name)!];
      const ro = name === k.out || name === w.kept?.into ? '' : 'const ';
      const restrict = alias && (name === alias.out || alias.inputs.includes(name)) ? '' : 'restrict ';
      return `  ${ro}${T} *${restrict}${name} = (${ro}${T} *)b[${bufIndex.get(name)}];`;
    });
    const fn = (name: string, lines: string[]) => [
      // A row group's members stay functions of their own: inlined into the group's loop, gcc loses
      // their restrict pointers and stops vectorizing (a row softmax ran 4x slower).
      `${groupOf.has(k) ? '__attribute__((noinline)) ' : ''}static void ${name}(int64_t lo, int64_t hi, void *const *b, const double *s) {`,
      ...decls,
      ...[...w.scalars.values()].sort(),
      ...(w.checked ? ['  int tf_oob = 0;', ...lines, `  if (tf_oob) __atomic_fetch_or((int *)b[${flagSlot}], tf_oob, __ATOMIC_RELAXED);`] : lines),
      '}',
    ];
    kernels.push([
      `/* ${k.name}: ${k.out} = ${describe(k.node, p, true)}${final ? ' — split across threads, partials combined in _final' : ''}${keptNote(k.name)} */`,
      ...fn(k.name, body),
      ...(final ? fn(`${k.name}_final`, flagged(final)) : []),
      ...(after ? fn(`${k.name}_after`, flagged(after)) : []),
    ].join('\n'));
    let call: string;
    if (outer === 'runtime') {
      sizes.push(size);
      call = `tf_run(${k.name}, z[${sizes.length}], ${grain}, ${align}, b, s, threads);`;
    } else {
      call = `tf_run(${k.name}, ${outer}, ${grain}, ${align}, b, s, threads);`;
      // (a checked kernel's _final, which writes its output, runs only if no index was out of range)
      if (final) call += `${w.checked ? ' if (!tf_bad[0])' : ''} ${k.name}_final(0, 1, b, s);`;
      if (after) call += ` tf_run(${k.name}_after, ${outer}, ${grain}, ${align}, b, s, threads);`;
    }
    if (profile) {
      const i = profiled.length;
      profiled.push(k.name);
      call = `{ const int64_t t0 = tf_now(); ${call} tf_prof[${2 * i}] += tf_now() - t0; tf_prof[${2 * i + 1}]++; }`;
    }
    const gi = groupOf.get(k);
    // After a kernel whose index check failed, nothing else runs: no later kernel writes an output.
    if (w.checked) checkedKernels.add(k);
    const stop = ' if (tf_bad[0]) return tf_fpenv_check(tf_env) | tf_bad[0] << 1;';
    if (gi === undefined) { calls.push(`  ${call}${w.checked ? stop : ''}`); return; }
    const members = groups[gi].members.map((i) => p.kernels[i]);
    if (k !== members[members.length - 1]) return;
    // The group's call, in place of its last member's: the members in order on each block of rows.
    const { name, rows, block, grain: groupGrain } = groups[gi];
    const unit = rows === 'runtime' ? 'element' : 'row';
    kernels.push([
      `/* ${name}: ${members.map((m) => m.name).join(', ')} together, ${block} ${unit}${block === 1 ? '' : 's'} at a time, so each ${unit} is read from cache after the first */`,
      `static void ${name}(int64_t lo, int64_t hi, void *const *b, const double *s) {`,
      `  for (int64_t r = lo; r < hi; r += ${block}) {`,
      `    const int64_t e = r + ${block} < hi ? r + ${block} : hi;`,
      ...members.map((m) => `    ${m.name}(r, e, b, s);`),
      '  }',
      '}',
    ].join('\n'));
    // A flat group's length is its last member's (z[], the same for every member).
    const extent = rows === 'runtime' ? `z[${sizes.length}]` : String(rows);
    calls.push(`  tf_run(${name}, ${extent}, ${groupGrain}, ${rows === 'runtime' ? 16 : 1}, b, s, threads);${members.some((m) => checkedKernels.has(m)) ? stop : ''}`);
  });
  // A kernel's span in the order things run: a row group's members run interleaved, as one.
  const span = (k: Kernel): [number, number] => {
    const i = p.kernels.indexOf(k), g = groupOf.get(k);
    return g === undefined ? [i, i] : [groups[g].members[0], groups[g].members[groups[g].members.length - 1]];
  };
  const firstWrite = Math.min(...p.kernels.filter((k) => inPlace.has(k.out) && sizeOf(k.node.shape) > 0).map((k) => span(k)[0]));
  const checkedAfterInPlace = [...checkedKernels].some((k) => span(k)[1] >= firstWrite);
  // Output sizes are runtime values too (z[]), so a flat program's source does not depend on its size.
  const small = lowered.size.kind === 'small';
  const hugepages = small ? [] : p.outputs.map((o) => {
    sizes.push(sizeOf(o.shape) * BYTES[o.dtype]);
    return `  tf_hugepages(p${params.indexOf(o.name)}, z[${sizes.length}]);`;
  });
  const entry = [
    // Up to DIRECT_PARAMS buffers are parameters of their own (koffi passes each TypedArray as is);
    // past that (C and koffi cap parameters at 64) they come as one array of pointers.
    params.length <= DIRECT_PARAMS
      ? `int tf_program(const int64_t *z${params.map((_, i) => `, void *p${i}`).join('')}) {`
      : `int tf_program(const int64_t *z, void *const *pv) {\n${params.map((_, i) => `  void *p${i} = pv[${i}];`).join('\n')}`,
    // One header argument, not two: each TypedArray costs koffi ~20 ns of a ~120 ns call (RESULTS.md, 2026-12-06).
    `  const double *s = (const double *)(z + ${1 + sizes.length});`,
    '  const unsigned tf_env = tf_fpenv_get();',
    ...locals.map((l) => `  ${l.decl}`),
    `  void *b[] = {${[...params.map((_, i) => `p${i}`), ...locals.map((l) => l.name)].join(', ') || '0'}};`,
    `  int threads = (int)z[0] < ${MAX_THREADS} ? (int)z[0] : ${MAX_THREADS};`,
    ...hugepages,
    ...calls,
    ...(calls.length ? [] : ['  (void)b; (void)s; (void)threads;']),
    flagSlot < 0 ? '  return tf_fpenv_check(tf_env);' : '  return tf_fpenv_check(tf_env) | tf_bad[0] << 1;',
    '}',
  ];
  const header = `/* tensorfuse program: ${p.kernels.length} kernel${p.kernels.length === 1 ? '' : 's'}, buffers ${params.join(' ') || '(none)'} */`;
  // TENSORFUSE_PROFILE builds a separately keyed library with per-kernel clocks; the default build has none.
  const counters = profile ? [
    '#include <time.h>',
    '#include <string.h>',
    `static int64_t tf_prof[${Math.max(2, 2 * profiled.length)}];`,
    'static int64_t tf_now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }',
    '/* Nanoseconds and calls per kernel since the last read; reading resets them. */',
    'void tf_profile(int64_t *out) { memcpy(out, tf_prof, sizeof tf_prof); memset(tf_prof, 0, sizeof tf_prof); }',
  ] : [];
  const libmvec = libmvecDecls(vectorMath);
  const source = [header, includes(small), libmvec + prelude(small), streamingHelpers(streamedTypes), ...counters, ...helpers, '', ...kernels, '', ...entry, ''].join('\n');
  return { source, aliasSafe, params, sizes, profiled, checks, inPlaceUnsafe, checkedAfterInPlace, lowered };
}

/**
 * How tf_run splits kernel `lk`: as lowered, checked against the loops written (a mismatch would split
 * a range the kernel does not walk).
 */
function threadsOf(lk: LoweredKernel, loops: { outer: number; align?: number }): ParallelPlan {
  const par = lk.parallel;
  if (par.outer !== 'runtime' && (par.outer !== loops.outer || par.align !== (loops.align ?? 1))) {
    throw new Error(`internal: kernel ${lk.name} was lowered to an outer loop of ${par.outer} (align ${par.align}) but its loops have ${loops.outer} (align ${loops.align ?? 1})`);
  }
  return par;
}


/**
 * The function every library exports to say which key it was built for (checked after loading). It is
 * appended to the source after the key is computed from it, so it cannot be part of the hash.
 */
export const keyFunction = (key: string): string => `\n/* The cache key this library was built for, checked after loading. */\nconst char *tf_key(void) { return "${key}"; }\n`;


/** A kernel's computation as a readable expression, for its header comment and explain(). */
export function describe(n: Node, p: Program, root = false): string {
  if (!root && p.storage.has(n)) return p.storage.get(n)!;
  if (isConst(n)) return `c${p.slots.get(n)}`;
  if (seeded(n)) return `${n.op}(seed c${p.slots.get(n)})`;
  if (isView(n)) return describe(n.src[0], p);
  const args = n.src.map((s) => describe(s, p));
  return `${n.op}(${args.join(', ')})`.replace('*/', '* /');
}
