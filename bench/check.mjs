/**
 * Output checks, run before anything is timed: fused C against the TS reference, every peer against
 * fused C. A figure for a wrong answer is worth nothing, so a row whose check fails is not timed.
 */

/** Any array-like or a number, as a flat list of numbers. */
const flat = (v) => (typeof v === 'number' ? [v] : v);

/**
 * Compares elementwise: |got - want| <= atol + rtol * |want|, NaN equal to NaN. `rtol = 0, atol = 0`
 * asks for bit-for-bit equality. Returns what a report needs: ok, exact, the worst error and where.
 */
export function compare(got, want, { rtol = 0, atol = 0 } = {}) {
  const g = flat(got);
  const w = flat(want);
  if (g.length !== w.length) return { ok: false, exact: false, reason: `length ${g.length}, expected ${w.length}` };
  let exact = true;
  let maxAbs = 0;
  let maxRel = 0;
  let worst = -1;
  let bad = -1;
  let scale = 0;
  for (let i = 0; i < w.length; i++) {
    const a = g[i];
    const b = w[i];
    if (Math.abs(b) > scale) scale = Math.abs(b);
    if (Object.is(a, b) || (a !== a && b !== b)) continue;
    exact = false;
    const abs = Math.abs(a - b);
    if (!(abs <= maxAbs)) { maxAbs = abs; worst = i; }
    const rel = abs / Math.max(Math.abs(b), Number.MIN_VALUE);
    if (rel > maxRel) maxRel = rel;
    if (bad < 0 && !(abs <= atol + rtol * Math.abs(b))) bad = i;
  }
  const ok = bad < 0;
  const reason = ok ? undefined : `element ${bad}: got ${g[bad]}, expected ${w[bad]} (rtol ${rtol}, atol ${atol})`;
  // Normwise: the worst error relative to the largest value (a near-zero element's own relative error says little).
  const normErr = scale > 0 ? maxAbs / scale : maxAbs;
  return { ok, exact, maxAbsErr: maxAbs, maxRelErr: maxRel, normErr, worstAt: worst, reason };
}

/** The row label for a check result: `exact`, `ok ~3e-7` (normwise error) or `FAILED`. */
export function checkText(c) {
  if (!c) return '–';
  if (!c.ok) return 'FAILED';
  return c.exact ? 'exact' : `ok ~${c.normErr.toExponential(0)}`;
}
