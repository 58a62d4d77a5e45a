/**
 * Turning measured rows into what people read: derived figures (× fused, × floor, GB/s, GFLOP/s),
 * the issue's targets with pass/miss, the terminal table and the markdown of bench/RESULTS.md.
 */
import { checkText } from './check.mjs';

/** 3 significant digits in the unit that suits: ns, µs, ms or s. */
export function fmtTime(ms) {
  if (!Number.isFinite(ms)) return '–';
  const [v, unit] = ms < 1e-3 ? [ms * 1e6, 'ns'] : ms < 1 ? [ms * 1e3, 'µs'] : ms < 1e3 ? [ms, 'ms'] : [ms / 1e3, 's'];
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${unit}`;
}

export const fmtX = (x) => (!Number.isFinite(x) ? '–' : x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : x >= 0.1 ? `${x.toFixed(2)}×` : `${x.toPrecision(2)}×`);
const fmtNum = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');

/**
 * Adds derived figures to a workload's rows. Rows at another size than fused are compared per unit of
 * work (element, or flop for M1) and marked `scaled`.
 */
export function derive(w, bandwidthGBs) {
  const fused = w.rows.find((r) => r.peer === 'fused' && Number.isFinite(r.medianMs));
  const work = (n) => {
    const s = w.size(n);
    return s.flops ?? s.elements;
  };
  if (w.memoryBound && bandwidthGBs) w.floorMs = w.bytes(w.n) / (bandwidthGBs * 1e6);
  for (const r of w.rows) {
    if (!Number.isFinite(r.medianMs)) continue;
    r.sizeText = w.rowSizes === false ? '' : w.size(r.n).text;
    if (fused && w.size) {
      r.scaled = r.n !== fused.n;
      r.vsFused = (r.medianMs / work(r.n)) / (fused.medianMs / work(fused.n));
    }
    if (w.memoryBound) {
      r.gbs = w.bytes(r.n) / (r.medianMs * 1e6);
      if (r.pairedFloorX !== undefined) r.floorX = r.pairedFloorX;
      else if (bandwidthGBs) r.floorX = r.medianMs / (w.bytes(r.n) / (bandwidthGBs * 1e6));
    }
    const flops = w.size(r.n).flops;
    if (flops) r.gflops = flops / (r.medianMs * 1e6);
  }
}

/** A workload's fused GFLOP/s as a percentage of the peak FMA rate measured with it (suite.mjs: peakGflops). */
const ofPeak = (R, wid) => {
  const f = row(R, wid, 'fused'), peak = R.find((x) => x.id === wid)?.peakGflops;
  return f?.gflops && peak ? (100 * f.gflops) / peak : undefined;
};

const row = (results, wid, peer) => {
  const w = results.find((x) => x.id === wid);
  const r = w?.rows.find((x) => x.peer === peer);
  return r && Number.isFinite(r.medianMs) ? r : undefined;
};

/**
 * The issue's targets. `value` is undefined when a row it needs did not run.
 *
 * The memory-bound targets are judged on the fused kernel writing memory the process already has
 * (`eval()` + `dispose()`, the loop the README recommends, whose output comes from the pool), and the
 * ratios compare that with each peer as it is naturally written. The same kernel writing a fresh
 * output on every call is reported next to them but not judged: a fresh page must be faulted in and
 * zeroed by the kernel first, which on this VM costs more than the computation (see bench/RESULTS.md).
 */
const recycled = (R, wid) => row(R, wid, 'fusedDispose');
const ratio = (R, wid, peer, base) => { const p = row(R, wid, peer), b = row(R, wid, base); return p && b ? p.medianMs / b.medianMs : undefined; };
const versus = (R, wid, peer) => { const f = recycled(R, wid), p = row(R, wid, peer); return f && p ? p.medianMs / f.medianMs : undefined; };
const TARGETS = [
  { workload: 'E1', text: 'fused (in place) ≤ 1.3× bandwidth floor', limit: 1.3, cmp: '<=', unit: '×', value: (R) => row(R, 'E1', 'fused')?.floorX },
  { workload: 'E2', text: 'fused, result disposed (recycled output) ≤ 1.3× bandwidth floor', limit: 1.3, cmp: '<=', unit: '×', value: (R) => recycled(R, 'E2')?.floorX },
  { workload: 'E2', text: 'fused into an existing buffer (out.assign) ≤ 1.3× floor', limit: 1.3, cmp: '<=', unit: '×', value: (R) => row(R, 'E2', 'fusedInto')?.floorX },
  { workload: 'E2', text: 'fused, fresh output per eval(): × floor (reported, not judged)', limit: 1.3, cmp: '<=', unit: '×', judged: false, value: (R) => row(R, 'E2', 'fused')?.floorX },
  { workload: 'R1', text: 'fused ≤ 1.3× bandwidth floor', limit: 1.3, cmp: '<=', unit: '×', value: (R) => row(R, 'R1', 'fused')?.floorX },
  { workload: 'R2', text: 'fused into an existing buffer ≤ 1.15× hand-written C (into existing out)', limit: 1.15, cmp: '<=', unit: '×', value: (R) => { const f = row(R, 'R2', 'fusedInto'), h = row(R, 'R2', 'handC'); return f && h ? f.medianMs / h.medianMs : undefined; } },
  { workload: 'R3', text: 'fused into an existing buffer ≤ 1.15× hand-written C (into existing out)', limit: 1.15, cmp: '<=', unit: '×', value: (R) => { const f = row(R, 'R3', 'fusedInto'), h = row(R, 'R3', 'handC'); return f && h ? f.medianMs / h.medianMs : undefined; } },
  { workload: 'T1', text: 'fused into an existing buffer ≤ 1.2× hand-written tiled C (into existing out)', limit: 1.2, cmp: '<=', unit: '×', value: (R) => { const f = row(R, 'T1', 'fusedInto'), h = row(R, 'T1', 'handC'); return f && h ? f.medianMs / h.medianMs : undefined; } },
  { workload: 'T3', text: 'fused into an existing buffer ≤ 1.2× hand-written C (into existing out)', limit: 1.2, cmp: '<=', unit: '×', value: (R) => { const f = row(R, 'T3', 'fusedInto'), h = row(R, 'T3', 'handC'); return f && h ? f.medianMs / h.medianMs : undefined; } },
  // issue 14: a gather within 1.5× of the hand-written loop (which checks nothing), a histogram within 2× of hand-written C and 10× faster than the JS loop
  { workload: 'G1', text: 'fused take ≤ 1.5× hand-written gather loop (into existing out)', limit: 1.5, cmp: '<=', unit: '×', value: (R) => { const f = row(R, 'G1', 'fused'), h = row(R, 'G1', 'handC'); return f && h ? f.medianMs / h.medianMs : undefined; } },
  { workload: 'G2', text: "scatter-add (assign op 'add', in place) ≤ 2× hand-written C", limit: 2, cmp: '<=', unit: '×', value: (R) => { const f = row(R, 'G2', 'fused'), h = row(R, 'G2', 'handC'); return f && h ? f.medianMs / h.medianMs : undefined; } },
  { workload: 'G2', text: "scatter-add ≥ 10× faster than the JS loop", limit: 10, cmp: '>=', unit: '×', value: (R) => { const f = row(R, 'G2', 'fused'), j = row(R, 'G2', 'jsFused'); return f && j ? j.medianMs / f.medianMs : undefined; } },
  // issue 16: a training step 20x faster than tfjs CPU, and within 1.5x of its matmul FLOPs at M1's GFLOP/s
  { workload: 'T2', text: 'training step ≥ 20× faster than tfjs CPU', limit: 20, cmp: '>=', unit: '×', value: (R) => ratio(R, 'T2', 'tfjs', 'fused') },
  { workload: 'T2', text: "training step ≤ 1.5× its matmuls' FLOPs at M1's fused GFLOP/s", limit: 1.5, cmp: '<=', unit: '×', value: (R) => { const t = row(R, 'T2', 'fused'), m = row(R, 'M1', 'fused'); return t && m && t.gflops && m.gflops ? m.gflops / t.gflops : undefined; } },
  { workload: 'B1', text: 'fused, result disposed (recycled output) ≤ 1.5× bandwidth floor', limit: 1.5, cmp: '<=', unit: '×', value: (R) => recycled(R, 'B1')?.floorX },
  { workload: 'B1', text: 'fused, fresh output per eval(): × floor (reported, not judged)', limit: 1.5, cmp: '<=', unit: '×', judged: false, value: (R) => row(R, 'B1', 'fused')?.floorX },
  {
    workload: 'E2', text: 'fused ≥ 4× faster than unfused C (both into an existing buffer)', limit: 4, cmp: '>=', unit: '×',
    value: (R) => { const f = row(R, 'E2', 'fusedInto'), u = row(R, 'E2', 'unfusedInto'); return f && u ? u.medianMs / f.medianMs : undefined; },
  },
  { workload: 'E2', text: 'fused ≥ 4× faster than unfused C (both eval(), fresh outputs; reported, not judged)', limit: 4, cmp: '>=', unit: '×', judged: false, value: (R) => row(R, 'E2', 'unfused')?.vsFused },
  { workload: 'E2', text: 'fused (result disposed) ≥ 50× faster than the JS loop per op', limit: 50, cmp: '>=', unit: '×', value: (R) => versus(R, 'E2', 'jsPerOp') },
  { workload: 'E2', text: 'fused (result disposed) ≥ 200× faster than tfjs', limit: 200, cmp: '>=', unit: '×', value: (R) => versus(R, 'E2', 'tfjs') },
  // issue 17 §3: a matmul at BLAS speed
  {
    workload: 'M1', text: 'fused ≥ 0.8× OpenBLAS sgemm speed (same threads)', limit: 0.8, cmp: '>=', unit: '×',
    value: (R) => { const f = row(R, 'M1', 'fused'), o = row(R, 'M1', 'openblas'); return f && o ? o.medianMs / f.medianMs : undefined; },
  },
  { workload: 'M1', text: 'fused ≥ 60% of the peak FMA rate (same threads, measured)', limit: 60, cmp: '>=', unit: '%', value: (R) => ofPeak(R, 'M1') },
  {
    workload: 'M2', text: 'float64 fused ≥ 0.8× OpenBLAS dgemm speed (same threads)', limit: 0.8, cmp: '>=', unit: '×',
    value: (R) => { const f = row(R, 'M2', 'fused'), o = row(R, 'M2', 'openblas'); return f && o ? o.medianMs / f.medianMs : undefined; },
  },
  {
    workload: 'M3', text: 'batched small matmuls ≥ 0.7× OpenBLAS looping over the batch (same threads)', limit: 0.7, cmp: '>=', unit: '×',
    value: (R) => { const f = row(R, 'M3', 'fusedInto'), o = row(R, 'M3', 'openblas'); return f && o ? o.medianMs / f.medianMs : undefined; },
  },
  {
    workload: 'M4', text: 'the bias + relu epilogue costs ≤ 5% over the bare matmul (both into an existing out)', limit: 1.05, cmp: '<=', unit: '×',
    value: (R) => { const f = row(R, 'M4', 'fusedInto'), b = row(R, 'M4', 'bareInto'); return f && b ? f.medianMs / b.medianMs : undefined; },
  },
  { workload: 'S1', text: 'eval() ≤ 2 µs', limit: 2, cmp: '<=', unit: 'µs', value: (R) => row(R, 'S1', 'fused')?.medianMs * 1e3 },
  { workload: 'S1', text: 'jit ≤ 0.5 µs', limit: 0.5, cmp: '<=', unit: 'µs', value: (R) => row(R, 'S1', 'jit')?.medianMs * 1e3 },
  // issue 17 §4: small calls
  { workload: 'S1', text: 'eval() ≤ 1 µs (issue 17)', limit: 1, cmp: '<=', unit: 'µs', value: (R) => row(R, 'S1', 'fused')?.medianMs * 1e3 },
  { workload: 'S1', text: 'jit ≤ 0.3 µs (issue 17)', limit: 0.3, cmp: '<=', unit: 'µs', value: (R) => row(R, 'S1', 'jit')?.medianMs * 1e3 },
  { workload: 'S1', text: 'eval() with a new number every call ≤ 1.5× the same number', limit: 1.5, cmp: '<=', unit: '×', value: (R) => ratio(R, 'S1', 'fusedChanging', 'fused') },
  { workload: 'S1', text: 'jit with a new number every call ≤ 1.5× the same number', limit: 1.5, cmp: '<=', unit: '×', value: (R) => ratio(R, 'S1', 'jitChanging', 'jitNumber') },
  { workload: 'K1', text: 'cold compile of a new graph ≤ 120 ms', limit: 120, cmp: '<=', unit: 'ms', value: (R) => row(R, 'K1', 'k1Cold')?.medianMs },
  { workload: 'K1', text: 'cold eval ≤ 1.2× a plain compile of the hand-written kernel (issue 17, alternating pairs)', limit: 1.2, cmp: '<=', unit: '×', value: (R) => row(R, 'K1', 'k1Hand')?.extra?.ratio },
  { workload: 'K1', text: 'disk hit, new process, first eval ≤ 10 ms', limit: 10, cmp: '<=', unit: 'ms', value: (R) => row(R, 'K1', 'k1DiskEval')?.medianMs },
];

export function evaluateTargets(results) {
  const ran = new Set(results.map((w) => w.id));
  return TARGETS.filter((t) => ran.has(t.workload)).map((t) => {
    const value = t.value(results);
    const known = Number.isFinite(value);
    const met = known ? (t.cmp === '<=' ? value <= t.limit : value >= t.limit) : null;
    const judged = t.judged !== false;
    return { workload: t.workload, text: t.text, limit: t.limit, cmp: t.cmp, unit: t.unit, value: known ? value : null, judged, met, pass: judged ? met : null };
  });
}

const fmtTargetValue = (t) => (t.value === null ? 'not measured' : t.unit === '×' ? fmtX(t.value) : `${fmtNum(t.value, t.value < 10 ? 2 : 1)} ${t.unit}`);
const verdict = (t, pass, miss) => (!t.judged ? (t.value === null ? 'n/a' : `info (${t.met ? 'would pass' : 'over the limit'})`) : t.pass === null ? 'n/a' : t.pass ? pass : miss);
export const targetText = (t) => `${t.text}: ${fmtTargetValue(t)} ${verdict(t, 'PASS', 'MISS')}`;

/** The cells of one row, shared by the terminal table and the markdown. */
function cells(w, r) {
  if (r.skipped) return { label: r.label, size: '', median: 'skipped', rme: '', samples: '', vsFused: '', floorX: '', rate: '', triad: '', check: '', note: r.skipped };
  if (r.failed) return { label: r.label, size: '', median: 'not timed', rme: '', samples: '', vsFused: '', floorX: '', rate: '', triad: '', check: 'FAILED', note: r.check?.reason ?? '' };
  const rate = r.gflops !== undefined ? `${fmtNum(r.gflops)} GFLOP/s` : r.gbs !== undefined ? `${fmtNum(r.gbs)} GB/s` : '';
  const against = r.check?.against && r.check.against !== 'fused' ? ` vs ${r.check.against}` : '';
  return {
    label: r.label,
    size: r.sizeText ?? '',
    median: fmtTime(r.medianMs),
    rme: Number.isFinite(r.rme) ? `±${r.rme.toFixed(1)}%` : '',
    samples: String(r.samples ?? ''),
    vsFused: r.vsFused === undefined ? '' : `${r.scaled ? '~' : ''}${fmtX(r.vsFused)}`,
    floorX: r.floorX === undefined ? '' : fmtX(r.floorX),
    rate,
    triad: r.triadGBs === undefined ? '' : `${fmtNum(r.triadGBs)} GB/s`,
    check: r.check ? `${checkText(r.check)}${against}` : '',
    note: r.note ?? '',
  };
}

const COLUMNS = [
  ['label', 'case', 'left'], ['size', 'size', 'left'], ['median', 'median', 'right'], ['rme', 'rme', 'right'], ['samples', 'n', 'right'],
  ['vsFused', '× fused', 'right'], ['floorX', '× floor', 'right'], ['rate', 'rate', 'right'], ['triad', 'triad', 'right'], ['check', 'check', 'left'],
];

export function workloadHeader(w) {
  const floor = w.floorMs !== undefined ? `; floor ${(w.bytes(w.n) / 1e6).toFixed(1)} MB → ${fmtTime(w.floorMs)}` : '';
  return `${w.id}  ${w.title}  [${w.size(w.n).text}, ${w.dtype}${floor}]`;
}

/** The terminal table: per workload, a header, aligned rows, notes, and that workload's targets. */
export function textTable(results, targets) {
  const out = [];
  for (const w of results) {
    out.push(workloadHeader(w));
    const rows = w.rows.map((r) => cells(w, r));
    const width = Object.fromEntries(COLUMNS.map(([k, h]) => [k, Math.max(h.length, ...rows.map((c) => c[k].length))]));
    const line = (c) => '  ' + COLUMNS.map(([k, , align]) => (align === 'left' ? c[k].padEnd(width[k]) : c[k].padStart(width[k]))).join('  ').trimEnd();
    out.push(line(Object.fromEntries(COLUMNS.map(([k, h]) => [k, h]))));
    for (const c of rows) out.push(line(c) + (c.note ? `  (${c.note})` : ''));
    for (const t of targets.filter((x) => x.workload === w.id)) out.push(`  target: ${targetText(t)}`);
    out.push('');
  }
  return out.join('\n');
}

export function bandwidthText(bw) {
  if (!bw) return 'bandwidth: not measured (no memory-bound workload selected)';
  const names = { triad: 'STREAM triad', 'triad-nt': 'triad with non-temporal stores', read: 'read-only dot' };
  const kinds = [...new Set(bw.runs.map((r) => r.kind))].map((kind) => {
    const runs = bw.runs.filter((r) => r.kind === kind).map((r) => `${r.threads}T ${r.medianGBs.toFixed(1)} (best ${r.bestGBs.toFixed(1)})`).join(', ');
    return `${names[kind] ?? kind} ${runs}`;
  });
  return `bandwidth, median GB/s (best sample) as STREAM counts bytes (3 × ${bw.arrayMB.toFixed(0)} MiB double arrays): ${kinds.join('; ')}. Floors use the triad's median, ${bw.floorGBs.toFixed(1)} GB/s`;
}

export function machineText(m) {
  return `machine: nproc ${m.nproc}, ${m.cpu}; ${m.memGB} GB RAM; load average ${m.loadStart.map((x) => x.toFixed(2)).join(' ')} at start, ${m.loadEnd?.map((x) => x.toFixed(2)).join(' ') ?? '?'} at end\n` +
    `software: node ${m.node}, ${m.cc}, tensorfuse ${m.tensorfuse} (${m.threads} threads)${m.openblas ? `, ${m.openblas}` : ''}` +
    (m.peak ? `\n${peakText(m.peak)}` : '');
}

/** The peak FMA probe's figures (suite.mjs: measured when a matmul workload runs). */
export const peakText = (p) => `peak FMA rate (a register-only FMA loop, ${p.lanes}): ${p.runs.map((r) => `${r.threads}T ${r.gflops.toFixed(0)} GFLOP/s`).join(', ')} (medians of ${p.samples})`;

const mdEscape = (s) => String(s).replace(/\|/g, '\\|');

/** bench/RESULTS.md: the latest full run, with what it ran on and how to repeat it. */
export function markdown(report) {
  const { machine: m } = report;
  const out = [
    '# Benchmark results',
    '',
    `Generated by \`${report.command}\` on ${report.date}.${report.mode === 'full' ? '' : ` **${report.mode} run**: smaller sizes and fewer samples, not comparable with a full run.`}`,
    report.note ? `\n> ${report.note}\n` : '',
    `- machine: \`nproc\` = ${m.nproc}; CPU ${m.cpu}; ${m.memGB} GB RAM`,
    `- load average at start ${m.loadStart.map((x) => x.toFixed(2)).join(' ')}, at end ${m.loadEnd.map((x) => x.toFixed(2)).join(' ')} (the machine is shared: above ~0.5 the figures are noisy)`,
    `- node ${m.node}; ${m.cc}; tensorfuse ${m.tensorfuse}, ${m.threads} threads${m.openblas ? `; ${m.openblas}` : ''}`,
    `- ${bandwidthText(report.bandwidth)}`,
    ...(m.peak ? [`- ${peakText(m.peak)}`] : []),
    '',
    'Medians of Benchmark.js samples, each case warmed up first (compiles happen before timing, except K1). ',
    '`× fused`: time relative to tensorfuse fused C on the same workload (`~`: measured at another size, compared per element or per flop). ',
    '`× floor`: time relative to the bandwidth floor, bytes read once + written once ÷ the STREAM triad bandwidth, measured in pairs: after its timing, each memory-bound case is called again 3–15 times, each call followed by one triad run (at the thread count where the triad is fastest), and the median of the per-pair ratios is shown (`triad`: the median GB/s of those runs). This VM\'s bandwidth moves by half again within a minute, so a floor measured at another moment would put the same kernel anywhere from 1.0× to 1.5×; a pair shares its moment. The floor in each heading uses the probe\'s median above. ',
    'Write-allocate traffic is not counted (as in STREAM), so an in-place update such as E1, or a kernel that streams its output past the cache (E2), can go below 1×; the triad with non-temporal stores and the read-only dot show what a kernel writing a fresh output, or only reading, could reach. ',
    'Every output was checked before timing: fused C against the TS reference, each other case against fused C.',
    '',
    '## Targets',
    '',
    '| workload | target | measured | |',
    '|---|---|---|---|',
    ...report.targets.map((t) => `| ${t.workload} | ${mdEscape(t.text)} | ${fmtTargetValue(t)} | ${verdict(t, 'pass', '**miss**')} |`),
    '',
  ];
  for (const w of report.results) {
    out.push(`## ${mdEscape(workloadHeader(w))}`, '');
    out.push(`| ${COLUMNS.map(([, h]) => h).join(' | ')} | note |`, `|${COLUMNS.map(([, , a]) => (a === 'left' ? '---' : '---:')).join('|')}|---|`);
    for (const r of w.rows) {
      const c = cells(w, r);
      out.push(`| ${COLUMNS.map(([k]) => mdEscape(c[k])).join(' | ')} | ${mdEscape(c.note)} |`);
    }
    out.push('');
  }
  out.push('Regenerate with `npm run build && node bench/suite.mjs --write-results` on a quiet machine; `--quick` for a sub-minute run.', '');
  return out.join('\n');
}
