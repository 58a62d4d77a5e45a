/**
 * Index arithmetic as C text: how a view, a pad or a load turns the loop's multi-index into a source
 * index. Everything here is an affine expression over int64 loop variables, except a reshape that
 * merges dims of a fused (not stored) source, which needs `/` and `%` by constants.
 */
import type { View } from '../shape.js';

/** `c + Σ coef·var` as C text, dropping zero terms and unit factors. */
export function affine(terms: readonly (readonly [number, string])[], c = 0): string {
  const parts: string[] = [];
  for (const [k, v] of terms) {
    if (k === 0 || v === '0') continue;
    const x = /^[A-Za-z_0-9]+$/.test(v) || /^\(.*\)$/.test(v) && balanced(v.slice(1, -1)) ? v : `(${v})`;
    parts.push(k === 1 ? x : k === -1 ? `-${x}` : `${k}*${x}`);
  }
  if (c !== 0 || parts.length === 0) parts.push(String(c));
  return parts.length === 1 ? parts[0] : `(${parts.join(' + ').replace(/\+ -/g, '- ')})`;
}

/** True when the parentheses in `s` balance, so `(s)` is one group. */
function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Row-major strides with real values for every dim (size-1 dims included). */
export function rowMajor(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
}

/** Flat offset of `idx` in a contiguous array of `shape`. */
export function flatIndex(idx: readonly string[], shape: readonly number[]): string {
  const strides = rowMajor(shape);
  return affine(idx.map((v, d) => [shape[d] === 1 ? 0 : strides[d], v] as const));
}

/** Flat source offset a view reads at `idx`. */
export function viewFlat(v: View, idx: readonly string[]): string {
  return affine(idx.map((x, d) => [v.shape[d] === 1 ? 0 : v.strides[d], x] as const), v.offset);
}

/**
 * The source multi-index a view reads at `idx`. When each view dim walks one source dim and stays in
 * range (permutes, slices, flips, broadcasts, splits) this is affine per source dim; otherwise the
 * flat offset is unravelled with `/` and `%`.
 */
export function viewSource(v: View, srcShape: readonly number[], idx: readonly string[]): string[] {
  const cs = rowMajor(srcShape);
  const nd = srcShape.length;
  const offs = srcShape.map((n, j) => Math.floor(v.offset / cs[j]) % n);
  const terms: [number, string][][] = srcShape.map(() => []);
  const lo = offs.slice(), hi = offs.slice();
  let affineOk = true;
  v.shape.forEach((size, d) => {
    const s = v.strides[d];
    if (size <= 1 || s === 0) return;
    let j = -1;
    for (let k = 0; k < nd; k++) {
      if (srcShape[k] > 1 && s % cs[k] === 0) { j = k; break; }
    }
    if (j < 0) { affineOk = false; return; }
    const q = s / cs[j];
    terms[j].push([q, idx[d]]);
    if (q > 0) hi[j] += q * (size - 1);
    else lo[j] += q * (size - 1);
  });
  if (affineOk && srcShape.every((n, j) => lo[j] >= 0 && hi[j] < n)) {
    return srcShape.map((n, j) => (n === 1 ? '0' : affine(terms[j], offs[j])));
  }
  const flat = viewFlat(v, idx);
  return srcShape.map((n, j) => (n === 1 ? '0' : j === 0 ? `(${flat} / ${cs[j]})` : `((${flat} / ${cs[j]}) % ${n})`));
}
