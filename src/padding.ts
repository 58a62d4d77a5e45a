/**
 * numpy's pad modes and roll as plain data: the source indices along one axis as runs of consecutive
 * (+1), reversed (-1) or repeated (0) indices. The Tensor side (tensor.ts remap) turns each run into a
 * slice, flip or broadcast and joins them with one concat, so a padded or rolled tensor is fused index
 * math: a select per element, no copy (a pad many times wider than its axis tiles the period instead).
 */
import { TensorError } from './errors.js';
import { describe } from './shape.js';

export type PadMode = 'constant' | 'edge' | 'reflect' | 'symmetric' | 'wrap';
export interface PadOptions { mode?: PadMode; value?: number | boolean }

const mod = (a: number, n: number): number => ((a % n) + n) % n;

/** A run of `count` source indices from `first`, stepping by `step` (1, -1, or 0: one index repeated). */
export interface Run { first: number; step: 1 | -1 | 0; count: number }

/** More runs than this, and a pad is built from a tiled period instead (one copy, not a select chain). */
export const MAX_RUNS = 64;

/**
 * The runs of source indices of an axis of length n > 0 padded by `before` and `after` in `mode`, as numpy
 * pads (edge: the end elements repeated; wrap: periodic; reflect: mirrored about the end elements,
 * period 2n - 2; symmetric: mirrored with the ends repeated, period 2n), or undefined past MAX_RUNS.
 * Computed run by run, never position by position: an axis may hold 2^32 elements.
 */
export function padRuns(mode: Exclude<PadMode, 'constant'>, n: number, before: number, after: number): Run[] | undefined {
  if (mode === 'edge' || n === 1) {
    const runs: Run[] = [];
    if (n === 1) return [{ first: 0, step: 0, count: before + 1 + after }];
    if (before) runs.push({ first: 0, step: 0, count: before });
    runs.push({ first: 0, step: 1, count: n });
    if (after) runs.push({ first: n - 1, step: 0, count: after });
    return runs;
  }
  const runs: Run[] = [];
  const end = n + after;
  for (let p = -before; p < end;) {
    if (runs.length === MAX_RUNS) return undefined;
    // Where p falls in its period: ascending (src = q) or descending, and how far the run goes.
    let first: number, step: 1 | -1, len: number;
    if (mode === 'wrap') {
      const q = mod(p, n);
      [first, step, len] = [q, 1, n - q];
    } else if (mode === 'symmetric') {
      const q = mod(p, 2 * n);
      [first, step, len] = q < n ? [q, 1, n - q] : [2 * n - 1 - q, -1, 2 * n - q];
    } else {
      const q = mod(p, 2 * n - 2);
      [first, step, len] = q < n - 1 ? [q, 1, n - 1 - q] : [2 * n - 2 - q, -1, 2 * n - 2 - q];
    }
    const count = Math.min(len, end - p);
    runs.push({ first, step, count });
    p += count;
  }
  return runs;
}

/**
 * The period numpy's `mode` repeats for an axis of length n > 0 (edge has none): source indices
 * 0..n-1 (wrap), then back down to 1 (reflect) or to 0 (symmetric).
 */
export function periodRuns(mode: 'wrap' | 'reflect' | 'symmetric', n: number): Run[] {
  if (mode === 'wrap' || n === 1) return [{ first: 0, step: 1, count: n }];
  const back: Run = mode === 'reflect' ? { first: n - 2, step: -1, count: n - 2 } : { first: n - 1, step: -1, count: n };
  return back.count > 0 ? [{ first: 0, step: 1, count: n }, back] : [{ first: 0, step: 1, count: n }];
}

/** numpy roll along an axis of length n > 0: position i reads i - shift (mod n), two runs. */
export function rollRuns(n: number, shift: number): Run[] {
  const s = mod(shift, n);
  return s === 0 ? [{ first: 0, step: 1, count: n }] : [{ first: n - s, step: 1, count: s }, { first: 0, step: 1, count: n - s }];
}

/** The mode and fill of `pad(widths, valueOrOptions)`: a number or boolean is a constant fill. */
export function padOptions(arg: unknown): { mode: PadMode; value: number | boolean } {
  if (typeof arg === 'number' || typeof arg === 'boolean') return { mode: 'constant', value: arg };
  if (arg === undefined || arg === null) return { mode: 'constant', value: 0 };
  if (typeof arg !== 'object') throw new TensorError(`pad: value must be a number, got ${describe(arg)}`);
  const { mode = 'constant', value = 0 } = arg as PadOptions; // each read once
  if (!['constant', 'edge', 'reflect', 'symmetric', 'wrap'].includes(mode as string)) {
    throw new TensorError(`pad: mode must be 'constant', 'edge', 'reflect', 'symmetric' or 'wrap', got ${describe(mode)}`);
  }
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new TensorError(`pad: value must be a number, got ${describe(value)}`);
  if (mode !== 'constant' && value !== 0) throw new TensorError(`pad: value is only for mode 'constant', not '${mode}'`);
  return { mode, value };
}
