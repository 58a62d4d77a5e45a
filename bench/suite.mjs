#!/usr/bin/env node
/**
 * The benchmark suite (SPEC §6): `npm run bench`, `tensorfuse bench`, or `node bench/suite.mjs`.
 *
 *   bandwidth probe (STREAM triad, 1 and all threads)   → the floor of every memory-bound workload
 *   for each workload E1 E2 R1 B1 M1 S1 K1:
 *     check fused C against the TS reference (small size), then each case against fused C
 *     warm up, time with Benchmark.js, keep the median of the samples
 *   table on stdout · progress on stderr · JSON · SVG chart · optionally bench/RESULTS.md
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { svgChart } from './chart.mjs';
import { compare } from './check.mjs';
import { runK1, K1_STEPS } from './k1.mjs';
import { BUDGETS, measure, median, warmUp } from './measure.mjs';
import { loadHandC } from './peers/handc.mjs';
import { loadOpenBLAS } from './peers/openblas.mjs';
import { loadTfjs } from './peers/tfjs.mjs';
import { Progress } from './progress.mjs';
import { bandwidthText, derive, evaluateTargets, machineText, markdown, targetText, textTable } from './report.mjs';
import { streamProbe, streamSteps } from './stream.mjs';
import { EXACT, SIZES, workloads } from './workloads.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist', 'index.js');
const ALL = ['E1', 'E2', 'R1', 'R2', 'R3', 'T1', 'T3', 'G1', 'G2', 'G3', 'P1', 'O1', 'O2', 'B1', 'M1', 'M2', 'M3', 'M4', 'T2', 'C1', 'S1', 'K1'];

const HELP = `usage: node bench/suite.mjs [options]   (also: npm run bench -- [options], tensorfuse bench [options])

  --quick               smaller sizes and fewer samples: finishes in under a minute
  --smoke               tiny sizes, one or two samples: checks that everything runs (tests use it)
  --only E2,M1          run only these workloads (${ALL.join(' ')})
  --json FILE           write the results as JSON to FILE (default bench/results/latest.json)
  --chart FILE.svg      write the SVG chart to FILE (default bench/results/latest.svg)
  --write-results       also write bench/RESULTS.md (date, machine, command, table)
  --note TEXT           a line to add to RESULTS.md and the JSON (e.g. "machine was busy")
  --help                this text

Build first (npm run build): the suite imports dist/index.js.
OpenBLAS (the M1 roofline): apt-get install libopenblas0-pthread, or TENSORFUSE_BENCH_OPENBLAS=/path/libopenblas.so
`;

export function parseArgs(argv) {
  const opts = { mode: 'full', only: ALL, json: join(ROOT, 'bench/results/latest.json'), chart: join(ROOT, 'bench/results/latest.svg'), writeResults: false, note: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') opts.mode = 'quick';
    else if (a === '--smoke') opts.mode = 'smoke';
    else if (a === '--only') {
      const ids = value().split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
      const bad = ids.filter((id) => !ALL.includes(id));
      if (bad.length) throw new Error(`--only: unknown workload ${bad.join(', ')}; known: ${ALL.join(', ')}`);
      opts.only = ALL.filter((id) => ids.includes(id));
    } else if (a === '--json') opts.json = value();
    else if (a === '--chart') opts.chart = value();
    else if (a === '--write-results') opts.writeResults = true;
    else if (a === '--note') opts.note = value();
    else if (a === '--help' || a === '-h') opts.help = true;
    else throw new Error(`unknown option ${a}\n\n${HELP}`);
  }
  return opts;
}

function sh(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

/** What the figures were measured on: nproc, CPU model (and family: lscpu says only "AMD EPYC" here). */
function machine(threads, tensorfuseVersion, openblas) {
  const lscpu = Object.fromEntries(sh('lscpu', []).split('\n').map((l) => l.split(/:\s+/)).filter((p) => p.length === 2));
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = lscpu['Model name'] ?? /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? 'unknown CPU';
  const family = Number(lscpu['CPU family']);
  const zen = lscpu['Vendor ID'] === 'AuthenticAMD' ? { 23: 'Zen/Zen 2', 25: 'Zen 3/Zen 4', 26: 'Zen 5' }[family] : undefined;
  const flags = lscpu.Flags ?? '';
  const isa = flags.includes('avx512f') ? 'AVX-512' : flags.includes('avx2') ? 'AVX2' : '';
  const l3 = lscpu['L3 cache']?.replace(/\s*\(.*\)$/, '');
  const details = [family ? `family ${family} model ${lscpu.Model}${zen ? `: ${zen}` : ''}` : '', isa, l3 ? `L3 ${l3}` : '', lscpu['Hypervisor vendor'] ? `${lscpu['Hypervisor vendor']} VM` : '']
    .filter(Boolean).join(', ');
  return {
    nproc: availableParallelism(),
    cpu: details ? `${model} (${details})` : model,
    memGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    cc: sh((process.env.CC || 'cc').trim().split(/\s+/)[0], ['--version']).split('\n')[0] || 'no C compiler',
    tensorfuse: tensorfuseVersion,
    threads,
    openblas: openblas.skipped ? undefined : openblas.config.startsWith('OpenBLAS') ? openblas.config : `OpenBLAS ${openblas.config || openblas.path}`,
    loadStart: loadavg(),
  };
}

/** Warns when dist/ is older than src/: the suite would time yesterday's code. */
function checkBuild() {
  if (!existsSync(DIST)) throw new Error(`${relative(process.cwd(), DIST)} not found: run \`npm run build\` first`);
  const newest = (dir) => readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
  const src = join(ROOT, 'src');
  if (existsSync(src) && newest(src) > statSync(DIST).mtimeMs + 1000) {
    process.stderr.write('bench: warning: src/ is newer than dist/; run `npm run build` to time the current code\n');
  }
}

/**
 * The multiple of the bandwidth floor, measured in pairs: one call of the case, then one run of the
 * STREAM triad, a few times over (about a second's worth, 3 to 15 pairs); each call is set against the
 * floor the triad gave just after it, and the median of those ratios is reported. This VM's bandwidth
 * moves by half again within a minute, so a floor measured at another moment (the probe at the start, or
 * even just before the case) can put the same kernel at 1.0× or 1.5×; pairs share their moment.
 */
function pairedFloor(run, bandwidth, bytes, estimate) {
  const count = Math.max(3, Math.min(15, Math.floor(1 / Math.max(estimate, 1e-6))));
  const ratios = [];
  const rates = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    run();
    const ms = performance.now() - t;
    const gbs = bandwidth.once();
    ratios.push(ms / (bytes / (gbs * 1e6)));
    rates.push(gbs);
  }
  return { pairedFloorX: median(ratios), triadGBs: median(rates), pairs: count };
}

/** Runs one workload's cases: check, warm up, time. Returns its rows; sets `failed` on a bad check. */
async function runWorkload(w, { budget, progress, bandwidth }) {
  const paired = w.memoryBound && bandwidth?.once;
  const inputs = new Map();
  const inputsAt = (n) => inputs.get(n) ?? inputs.set(n, w.inputs(n)).get(n);
  const fusedCase = w.cases.find((c) => c.peer === 'fused');
  const fused = new Map();
  const fusedAt = (n) => fused.get(n) ?? fused.set(n, fusedCase.make(inputsAt(n), n).once()).get(n);
  const rows = [];
  let failed = false;

  // Fused C against the reference on a small size: the semantics check everything else leans on.
  const refCase = w.cases.find((c) => c.peer === 'ref');
  let refCheck;
  try {
    refCheck = { ...compare(fusedAt(w.checkN), refCase.make(inputsAt(w.checkN), w.checkN).once(), w.refTol ?? EXACT), against: `reference @ ${w.size(w.checkN).text}` };
  } catch (e) {
    refCheck = { ok: false, reason: `${e.name}: ${e.message}`, against: 'reference' };
  }

  for (const c of w.cases) {
    const n = c.n ?? w.n;
    progress.start(`${w.id} ${c.label}`);
    const base = { peer: c.peer, label: c.label, n, note: c.note };
    let state;
    try {
      state = c.make(inputsAt(n), n);
      if (state.skipped) {
        rows.push({ ...base, skipped: state.skipped });
        progress.step('skipped');
        continue;
      }
      // Fused C is checked against the reference; fusedAt(n) also compiles its program before timing.
      const check = c.peer === 'fused' ? (fusedAt(n), refCheck)
        : c.peer === 'ref' ? refCheck
        : { ...compare(state.once(), fusedAt(n), c.tol ?? EXACT), against: 'fused' };
      if (!check.ok) {
        failed = true;
        rows.push({ ...base, failed: true, check });
        progress.note(`bench: ${w.id} ${c.label}: check FAILED against ${check.against}: ${check.reason}`);
        progress.step('check failed, not timed');
        continue;
      }
      const estimate = warmUp(state.run);
      const m = await measure(`${w.id} ${c.label}`, state.run, { budget, estimate });
      rows.push({ ...base, ...m, check, ...(paired ? pairedFloor(state.run, bandwidth, w.bytes(n), estimate) : {}) });
      progress.step(`${m.medianMs.toFixed(3)} ms`);
    } catch (e) {
      failed = true;
      rows.push({ ...base, failed: true, check: { ok: false, reason: `${e.name}: ${e.message.split('\n')[0]}` } });
      progress.note(`bench: ${w.id} ${c.label}: ${e.stack ?? e}`);
      progress.step('error');
    } finally {
      state?.dispose?.();
    }
  }
  return { rows, failed };
}

/**
 * The peak FMA rate on each thread count: the hand-written register-only loop (handc.mjs: fma_peak),
 * ~30 ms a run, the median of 7 after one warm-up run. The vector width is what -march=native gives.
 */
function fmaPeak(handc, threadCounts) {
  const samples = 7;
  const runs = threadCounts.map((threads) => {
    handc.fmaPeak(threads, 1e7);
    const g = Array.from({ length: samples }, () => handc.fmaPeak(threads, 1e7)).sort((a, b) => a - b);
    return { threads, gflops: g[samples >> 1] };
  });
  const lanes = handc.fmaLanes?.() ?? 0;
  return { runs, samples, lanes: lanes === 16 ? 'AVX-512, 16 float lanes' : lanes === 8 ? 'AVX2 + FMA, 8 float lanes' : lanes === 1 ? 'scalar fmaf' : 'vector width unknown' };
}

/** A workload as JSON: its definition's data and its rows. */
const toJSON = (w) => ({
  id: w.id, title: w.title, dtype: w.dtype, n: w.n, size: w.size(w.n), memoryBound: Boolean(w.memoryBound),
  floorBytes: w.bytes ? w.bytes(w.n) : undefined, floorMs: w.floorMs, rows: w.rows, extra: w.extra,
});

/** An argument as a shell would need it written. */
export const shellQuote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);

export async function main(argv = process.argv.slice(2), { command = ['node bench/suite.mjs', ...argv.map(shellQuote)].join(' ') } = {}) {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`bench: ${e.message}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(HELP);
    return 0;
  }
  checkBuild();
  const tf = await import(pathToFileURL(DIST).href);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const budget = BUDGETS[opts.mode];
  const sizes = SIZES[opts.mode];
  const threads = tf.config().threads || availableParallelism();
  const openblas = opts.only.some((id) => /^M\d$/.test(id) || id === 'C1') ? loadOpenBLAS() : { skipped: 'no matmul workload (M1–M4) nor C1 selected' };
  const tfjs = await loadTfjs();
  const handc = opts.only.some((id) => ['R1', 'R2', 'R3', 'T1', 'T3', 'G1', 'G2', 'P1', 'O1', 'O2', 'C1', 'M1', 'M4'].includes(id)) ? loadHandC() : { skipped: 'no workload with a hand-written C peer selected' };
  handc.setThreads?.(threads);
  const ctx = { tf, sizes, threads, openblas, tfjs, handc, mode: opts.mode };
  const mach = machine(threads, pkg.version, openblas);

  const selected = workloads(ctx).filter((w) => opts.only.includes(w.id));
  // The machine's peak FMA rate, that matmul figures are judged against (issue 17 §3).
  if (selected.some((w) => /^M\d$/.test(w.id)) && !handc.skipped) {
    mach.peak = fmaPeak(handc, [...new Set([1, threads])]);
    for (const w of selected) w.peakGflops = mach.peak.runs.find((r) => r.threads === threads)?.gflops;
  }
  const memoryBound = selected.some((w) => w.memoryBound);
  const threadCounts = [...new Set([1, threads])];
  const total = (memoryBound ? streamSteps(threadCounts) : 0) + selected.reduce((n, w) => n + w.cases.length, 0) + (opts.only.includes('K1') ? K1_STEPS : 0);
  const progress = new Progress(total);
  process.stderr.write(`bench: ${opts.mode} run of ${opts.only.join(' ')} (${total} steps); tensorfuse ${pkg.version}, ${threads} threads\n`);

  let failed = false;
  // K1 first, in a lean process: spawning the compiler from one holding GBs of arrays costs more.
  let k1;
  if (opts.only.includes('K1')) {
    k1 = {
      id: 'K1', title: 'compile latency: a new 10-op graph, and a disk-cache hit in a new process', dtype: 'float32', n: 1024, memoryBound: false, rowSizes: false,
      size: (n) => ({ elements: n, text: `10 ops on ${n} elements` }),
    };
    const r = await runK1({ tf, distPath: DIST, budget, mode: opts.mode, progress });
    k1.rows = r.rows;
    k1.extra = r.extra;
    failed ||= r.rows.some((x) => x.check && !x.check.ok);
    derive(k1);
  }

  let bandwidth;
  if (memoryBound) {
    try {
      bandwidth = await streamProbe({ n: sizes.stream, threadCounts, budget, progress });
    } catch (e) {
      // No C compiler or no OpenMP: the workloads still run, without floors.
      progress.note(`bench: the bandwidth probe failed, so no floors: ${e.message.split('\n')[0]}`);
      for (let i = progress.done; i < streamSteps(threadCounts); i++) progress.step('failed');
    }
  }
  const results = [];
  for (const w of selected) {
    const r = await runWorkload(w, { budget, progress, bandwidth });
    failed ||= r.failed;
    w.rows = r.rows;
    derive(w, bandwidth?.floorGBs);
    results.push(w);
  }
  bandwidth?.close();
  if (k1) results.push(k1);
  progress.finish();
  mach.loadEnd = loadavg();

  const targets = evaluateTargets(results);
  const report = {
    tool: 'tensorfuse bench', version: pkg.version, date: new Date().toISOString(), command, mode: opts.mode, note: opts.note,
    machine: mach, bandwidth, results, targets, checksPassed: !failed, stats: tf.stats(),
  };
  const header = [
    `tensorfuse bench: ${opts.mode} run${opts.mode === 'full' ? '' : ' (smaller sizes, fewer samples: not comparable with a full run)'}, ${report.date}`,
    machineText(mach),
    bandwidthText(bandwidth),
    'medians of Benchmark.js samples; × fused: time ÷ fused C time (~: other size, per element/flop); × floor: median over calls interleaved with STREAM triad runs of (call time ÷ bytes read + written ÷ the triad just after it); triad: their median GB/s',
    '',
  ].join('\n');
  process.stdout.write(`\n${header}\n${textTable(results, targets)}`);
  const judged = targets.filter((t) => t.judged);
  const unmeasured = judged.filter((t) => t.pass === null).length;
  process.stdout.write(`targets: ${judged.filter((t) => t.pass).length} pass, ${judged.filter((t) => t.pass === false).length} miss${unmeasured ? `, ${unmeasured} not measured` : ''}; ${targets.length - judged.length} reported, not judged\n`);
  for (const t of targets) process.stdout.write(`  ${t.workload} ${targetText(t)}\n`);
  process.stdout.write(failed ? 'checks: SOME OUTPUTS WERE WRONG (see FAILED rows); those rows were not timed\n' : 'checks: every output matched before timing\n');

  const json = { ...report, results: results.map(toJSON) };
  for (const [file, text] of [[opts.json, `${JSON.stringify(json, null, 1)}\n`], [opts.chart, svgChart(report)]]) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  process.stdout.write(`wrote ${relative(process.cwd(), opts.json)} and ${relative(process.cwd(), opts.chart)}\n`);
  if (opts.writeResults) {
    const md = join(ROOT, 'bench/RESULTS.md');
    // Hand-written analysis below the marker survives a new run; the generated part above is replaced.
    const MARK = '<!-- analysis: kept across runs -->';
    const kept = existsSync(md) && readFileSync(md, 'utf8').includes(MARK) ? readFileSync(md, 'utf8').slice(readFileSync(md, 'utf8').indexOf(MARK)) : '';
    writeFileSync(md, kept ? `${markdown(report).trimEnd()}\n\n${kept}` : markdown(report));
    process.stdout.write(`wrote ${relative(process.cwd(), md)}\n`);
  }
  return failed ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then((code) => { process.exitCode = code; }, (e) => { process.stderr.write(`bench: ${e.stack ?? e}\n`); process.exitCode = 1; });
}
