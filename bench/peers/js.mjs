/**
 * Plain JavaScript, written by hand the way a TypeScript user would:
 * - `perOp`: one loop per op, each allocating its own typed array (what a small array library does);
 * - `fused`: the whole expression in one loop, one output array (what a careful user writes).
 * Float32Array stores round every intermediate of `perOp` to float32 as the C does, so those match
 * tensorfuse bit for bit; `fused` computes in double and rounds once, so it is within an ulp or two.
 */

// ---- E1: y += 2.5 * x, float64, in place ---------------------------------------------------------
export function e1PerOp(y, x, alpha) {
  const n = y.length;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = alpha * x[i];
  for (let i = 0; i < n; i++) y[i] = y[i] + t[i];
}

export function e1Fused(y, x, alpha) {
  const n = y.length;
  for (let i = 0; i < n; i++) y[i] += alpha * x[i];
}

// ---- E2: relu(2x + y) * (x - y) + 1 ----------------------------------------------------------------
export function e2PerOp(x, y) {
  const n = x.length;
  const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = x[i] * 2;
  const b = new Float32Array(n); for (let i = 0; i < n; i++) b[i] = a[i] + y[i];
  const c = new Float32Array(n); for (let i = 0; i < n; i++) c[i] = b[i] > 0 ? b[i] : 0;
  const d = new Float32Array(n); for (let i = 0; i < n; i++) d[i] = x[i] - y[i];
  const e = new Float32Array(n); for (let i = 0; i < n; i++) e[i] = c[i] * d[i];
  const f = new Float32Array(n); for (let i = 0; i < n; i++) f[i] = e[i] + 1;
  return f;
}

export function e2Fused(x, y) {
  const n = x.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i] * 2 + y[i];
    out[i] = (v > 0 ? v : 0) * (x[i] - y[i]) + 1;
  }
  return out;
}

// ---- R1: sum((x - y)^2) ---------------------------------------------------------------------------
export function r1PerOp(x, y) {
  const n = x.length;
  const d = new Float32Array(n); for (let i = 0; i < n; i++) d[i] = x[i] - y[i];
  const s = new Float32Array(n); for (let i = 0; i < n; i++) s[i] = d[i] * d[i];
  let acc = 0;
  for (let i = 0; i < n; i++) acc += s[i];
  return acc;
}

export function r1Fused(x, y) {
  const n = x.length;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - y[i];
    acc += d * d;
  }
  return acc;
}

// ---- B1: (a[R,1] + b[1,C]) * c[R,C] ---------------------------------------------------------------
export function b1PerOp(a, b, c, rows, cols) {
  const t = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[i * cols + j] = a[i] + b[j];
  const out = new Float32Array(rows * cols);
  for (let k = 0; k < rows * cols; k++) out[k] = t[k] * c[k];
  return out;
}

export function b1Fused(a, b, c, rows, cols) {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const ai = a[i];
    const row = i * cols;
    for (let j = 0; j < cols; j++) out[row + j] = (ai + b[j]) * c[row + j];
  }
  return out;
}

// ---- M1: n×n matmul ----------------------------------------------------------------------------------
/** The textbook triple loop (i, j, k): a dot product per output, B read down its columns. */
export function matmulNaive(a, b, n) {
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc += a[i * n + k] * b[k * n + j];
      out[i * n + j] = acc;
    }
  }
  return out;
}

/** Loop order i, k, j: rows of B streamed, a row of C accumulated in double. */
export function matmulTuned(a, b, n) {
  const out = new Float32Array(n * n);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    row.fill(0);
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      const bk = k * n;
      for (let j = 0; j < n; j++) row[j] += aik * b[bk + j];
    }
    out.set(row, i * n);
  }
  return out;
}

// ---- T1: 2 * x^T + y, x [n, m], y [m, n] ----------------------------------------------------------
export function t1Fused(x, y, m, n) {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = Math.fround(2 * x[j * m + i]) + y[i * n + j];
  return out;
}

// ---- G1: out[i] = x[idx[i]]; G2: a histogram ---------------------------------------------------------
export function g1(x, idx) {
  const n = idx.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = x[idx[i]];
  return out;
}

export function g2(b, bins) {
  const h = new Int32Array(bins);
  for (let i = 0; i < b.length; i++) h[b[i]]++;
  return h;
}

// ---- P1: a running sum; O1: a sort; O2: argsort of rows ------------------------------------------
export function p1(x) {
  const out = new Float32Array(x.length);
  let acc = 0;
  for (let i = 0; i < x.length; i++) { acc += x[i]; out[i] = acc; }
  return out;
}

/** Float32Array.prototype.sort (numeric, NaN last) of a copy. */
export const o1 = (x) => Float32Array.from(x).sort();

export function o2(x, m, n) {
  const out = new Int32Array(m * n);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let r = 0; r < m; r++) {
    const base = r * n;
    for (let j = 0; j < n; j++) idx[j] = j;
    idx.sort((a, b) => x[base + a] - x[base + b] || a - b);
    for (let j = 0; j < n; j++) out[base + j] = idx[j];
  }
  return out;
}
