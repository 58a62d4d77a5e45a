/**
 * Shared test helpers. Expected values in the test tables come from numpy (or by hand where our
 * documented semantics differ), never from tensorfuse itself; these helpers only build inputs and compare.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { DType, NestedArray, Tensor } from '../src/index.js';
import { configure, tensor } from '../src/index.js';

/** Every evaluation in these suites pins the reference interpreter: the default backend will become 'c'. */
export const TS = { backend: 'ts' } as const;

/** For APIs that take no options (data(), item(), toArray(), assign, evalAll): pin 'ts' for the whole file. */
export function useReferenceBackend(): void {
  beforeAll(() => { configure({ backend: 'ts' }); });
  afterAll(() => { configure({ backend: undefined }); });
}

/** Evaluates on the reference backend and returns the elements as plain numbers. */
export function run(t: Tensor): number[] {
  t.eval(TS);
  return Array.from(t.data());
}

export const show = (x: unknown): string =>
  typeof x === 'number' ? (Object.is(x, -0) ? '-0' : String(x)) : Array.isArray(x) ? `[${x.map(show).join(', ')}]` : typeof x === 'string' ? `'${x}'` : String(x);

/** Object.is, except that any NaN equals any NaN (payloads are not observable semantics). */
export const sameNumber = (a: number, b: number): boolean => Object.is(a, b) || (a !== a && b !== b);

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Distance in units in the last place of `dtype` (monotone integer image of the float's bits). */
export function ulpDistance(a: number, b: number, dtype: DType): number {
  if (dtype === 'float32') {
    const ord = (x: number): number => { f32[0] = x; const v = i32[0]; return v < 0 ? -(v & 0x7fffffff) : v; };
    return Math.abs(ord(a) - ord(b));
  }
  const ord = (x: number): bigint => { f64[0] = x; const v = i64[0]; return v < 0n ? -(v & 0x7fffffffffffffffn) : v; };
  const d = ord(a) - ord(b);
  return Number(d < 0n ? -d : d);
}

/**
 * Compares element by element: exactly (Object.is: -0 and NaN matter), or within `ulps` for finite
 * nonzero results of transcendental functions, whose last bit differs between libms.
 */
export function expectValues(actual: ArrayLike<number>, expected: readonly number[], label: string, opts: { ulps?: number; dtype?: DType } = {}): void {
  const got = Array.from(actual);
  const problems: string[] = [];
  if (got.length !== expected.length) problems.push(`length ${got.length}, expected ${expected.length}`);
  expected.forEach((e, i) => {
    const g = got[i];
    if (g === undefined) return;
    if (sameNumber(g, e)) return;
    const ulps = opts.ulps ?? 0;
    const tolerable = ulps > 0 && Number.isFinite(e) && Number.isFinite(g) && e !== 0 && Math.sign(e) === Math.sign(g) &&
      ulpDistance(g, e, opts.dtype ?? 'float64') <= ulps;
    if (!tolerable) problems.push(`[${i}] got ${show(g)}, expected ${show(e)}`);
  });
  expect(problems, `${label}\n  got      ${show(got)}\n  expected ${show(expected)}`).toEqual([]);
}

/** A tensor input in a test table: its values and dtype. */
export interface Input { v: NestedArray; d: DType }
export const F64 = (v: NestedArray): Input => ({ v, d: 'float64' });
export const F32 = (v: NestedArray): Input => ({ v, d: 'float32' });
export const I32 = (v: NestedArray): Input => ({ v, d: 'int32' });
export const BOOL = (v: NestedArray): Input => ({ v, d: 'bool' });

export const isInput = (x: unknown): x is Input => typeof x === 'object' && x !== null && 'v' in x && 'd' in x;
export const make = (x: Input): Tensor => tensor(x.v, { dtype: x.d });
export const showInput = (x: unknown): string => (isInput(x) ? `${x.d}${show(x.v)}` : show(x));

/** fast-check run count: a base number scaled by TENSORFUSE_PROPERTY_RUNS (a multiplier, default 1). */
export function propertyRuns(base: number): number {
  const raw = process.env.TENSORFUSE_PROPERTY_RUNS;
  const scale = raw === undefined || raw === '' ? 1 : Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`TENSORFUSE_PROPERTY_RUNS must be a positive number, got ${JSON.stringify(raw)}`);
  return Math.max(1, Math.round(base * scale));
}
