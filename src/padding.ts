/**
 * numpy's pad modes and roll as plain data: the source index of every position along one axis, cut
 * into runs of consecutive (+1), reversed (-1) or repeated (0) indices. The Tensor side (tensor.ts
 * remap) turns each run into a slice, flip or broadcast and joins them with one concat, so a padded or
 * rolled tensor is fused index math: a select per element, no copy.
 */
import { TensorError } from './errors.js';
import { describe } from './shape.js';

export type PadMode = 'constant' | 'edge' | 'reflect' | 'symmetric' | 'wrap';
export interface PadOptions { mode?: PadMode; value?: number | boolean }

const mod = (a: number, n: number): number => ((a % n) + n) % n;

/** Source index of padded position p (-before <= p < n + after) of an axis of length n > 0, as numpy pads. */
export const PAD_INDEX: Record<Exclude<PadMode, 'constant'>, (p: number, n: number) => number> = {
  edge: (p, n) => Math.min(Math.max(p, 0), n - 1),
  wrap: (p, n) => mod(p, n),
  // reflect: about the edge elements (period 2n - 2); symmetric: the edges repeated (period 2n).
  reflect: (p, n) => { if (n === 1) return 0; const q = mod(p, 2 * n - 2); return q < n ? q : 2 * n - 2 - q; },
  symmetric: (p, n) => { const q = mod(p, 2 * n); return q < n ? q : 2 * n - 1 - q; },
};

/** The source indices of `before + n + after` positions padded in `mode`. */
export const padMap = (mode: Exclude<PadMode, 'constant'>, n: number, before: number, after: number): number[] =>
  Array.from({ length: before + n + after }, (_, i) => PAD_INDEX[mode](i - before, n));

/** numpy roll along an axis of length n: position i reads i - shift (mod n). */
export const rollMap = (n: number, shift: number): number[] => Array.from({ length: n }, (_, i) => mod(i - shift, n));

/** A run of `count` source indices from `first`, stepping by `step` (1, -1, or 0: one index repeated). */
export interface Run { first: number; step: 1 | -1 | 0; count: number }

/** Cuts an index map into maximal runs, left to right. */
export function runsOf(map: readonly number[]): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < map.length;) {
    const d = i + 1 < map.length ? map[i + 1] - map[i] : 1;
    const step = (d === 1 || d === -1 || d === 0 ? d : 1) as Run['step'];
    let j = i + 1;
    while (j < map.length && map[j] - map[j - 1] === step) j++;
    runs.push({ first: map[i], step, count: j - i });
    i = j;
  }
  return runs;
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
