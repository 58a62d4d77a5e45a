/** Pieces every kernel body is built from: loops, indentation, a kernel body's parts. */
import type { DType } from '../dtype.js';
import type { DTypeInfo } from '../dtype.js';
import { DTYPE } from '../dtype.js';
import type { Node } from '../graph.js';
import type { CCtx } from '../ops.js';

export interface Body {
  lines: string[];
  outer: number;
  /** Threads cut the outer range at multiples of this (default 1). */
  align?: number;
  partials?: { decl: string; name: string }[];
  /** Run once, serially, after the parallel pass (it combines the partials). */
  final?: string[];
  /** A second parallel pass over the same range, after `final` (a chunked scan's rescan onto its carries). */
  after?: string[];
}

/** What a kernel body generator asks of the kernel writer. */
export interface BodyWriter {
  /** The output buffer's C name. */
  readonly out: string;
  /** Index in b[] of the first per-call scratch slot the kernel may claim. */
  readonly scratch: number;
  /** The C expression of `n` at `idx` (fused, or loaded), its statements added to the current scope. */
  at(n: Node, idx: readonly string[]): string;
  /** Generates inside a fresh scope: the statements it needed and the value. */
  scoped(fn: () => string): { lines: string[]; value: string };
  /** Statements storing `value`, the kernel's main node at `idx`, into the output (through its epilogue if it has one). */
  store(idx: readonly string[], value: string): string[];
  /** C helper functions (and includes) the translation unit must define. */
  readonly helpers: Set<string>;
  /** Statements storing `value`, node `n` at `idx`, where a later kernel of the row group loads it (none if it is not kept). */
  keep(n: Node, idx: readonly string[], value: string): string[];
  /** A flag bit the kernel sets in tf_oob when it fails, with the error the call then raises. */
  failure(error: string): number;
}

export const indent = (lines: readonly string[], depth: number): string[] => lines.map((l) => `${'  '.repeat(depth)}${l}`);

export function cctx(compute: DType, out: DType, src: readonly DType[]): CCtx {
  const d: DTypeInfo = DTYPE[compute];
  return { dtype: compute, out, src, T: d.c, f: d.libm, i: d.int32 ?? 'i32' };
}

/** Loops over `vars` (the first from lo to hi, split across threads) around `inner`. */
export function nest(vars: readonly string[], bounds: readonly number[], inner: readonly string[], simd = false): { lines: string[]; outer: number } {
  if (vars.length === 0) return { lines: ['  (void)lo; (void)hi;', ...indent(inner, 1)], outer: 1 };
  let lines = [...inner];
  for (let d = vars.length - 1; d >= 0; d--) {
    const pragma = simd && d === vars.length - 1 ? ['#pragma omp simd'] : [];
    lines = [...pragma, `for (int64_t ${vars[d]} = ${d === 0 ? 'lo' : '0'}; ${vars[d]} < ${d === 0 ? 'hi' : bounds[d]}; ${vars[d]}++) {`, ...indent(lines, 1), '}'];
  }
  return { lines: indent(lines, 1), outer: bounds[0] };
}
