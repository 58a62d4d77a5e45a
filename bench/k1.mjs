/**
 * K1: compile latency, the price of the first eval of a graph.
 *
 * Cold: every sample records a 10-op graph with a structure never seen before (the op sequence is the
 * sample counter written in base 8), so each eval schedules, generates C, runs the compiler and loads
 * the library. Kernels go to a private, fresh cache directory, so the disk cache is cold too.
 *
 * Disk hit: a new `node` process imports dist/index.js and evaluates a graph already compiled into
 * that directory. The child reports its own clocks: Node startup (performance.now() when the script
 * begins), the import, and the first eval; the parent adds the wall time of the whole process and of
 * an empty `node -e 0` for comparison.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import koffi from 'koffi';
import { compare } from './check.mjs';
import { measure, median } from './measure.mjs';

/** The 8 steps a K1 graph is made of; binary ops with a tensor operand, so none can fold away. */
const STEPS = [['add', 'y'], ['sub', 'y'], ['mul', 'y'], ['maximum', 'y'], ['minimum', 'y'], ['add', 'x'], ['mul', 'x'], ['sub', 'x']];
const OPS = 10;
const SIZE = 1024;

/** The op sequence of graph number k: its 10 base-8 digits. */
export function stepsFor(k) {
  const steps = [];
  for (let i = 0; i < OPS; i++) {
    steps.push(STEPS[k % 8]);
    k = Math.floor(k / 8);
  }
  return steps;
}

/** Inputs both processes can make without evaluating anything (a lazy rand would compile a program). */
const INPUTS = `const xs = new Float32Array(${SIZE}), ys = new Float32Array(${SIZE});
for (let i = 0; i < ${SIZE}; i++) { xs[i] = (i % 17) / 17 - 0.4; ys[i] = (i % 13) / 13 - 0.6; }`;
const BUILD = `(tf, steps, x, y) => steps.reduce((t, [op, arg]) => t[op](arg === 'x' ? x : y), x)`;

/**
 * The hand-written equivalent of graph `steps`: one `omp parallel for simd` loop, as a C programmer
 * would write it (maximum/minimum propagate NaN, as numpy's do). Compiled by a plain
 * `cc -O3 -march=native -fopenmp`, plus -ffp-contract=off so that its values can be checked against
 * ours (it changes no compile time); the peer of K1's cold compile (issue 17 §5).
 */
export function handKernel(steps) {
  const ops = { add: (a, b) => `(${a} + ${b})`, sub: (a, b) => `(${a} - ${b})`, mul: (a, b) => `(${a} * ${b})`, maximum: (a, b) => `fmax_nan(${a}, ${b})`, minimum: (a, b) => `fmin_nan(${a}, ${b})` };
  const lines = steps.map(([op, arg], i) => `    const float t${i + 1} = ${ops[op](`t${i}`, arg === 'x' ? 'a' : 'b')};`);
  return `#include <stdint.h>
static inline float fmax_nan(float a, float b) { return __builtin_isunordered(a, b) ? a + b : a > b ? a : b; }
static inline float fmin_nan(float a, float b) { return __builtin_isunordered(a, b) ? a + b : a < b ? a : b; }
void k1(const float *restrict x, const float *restrict y, float *restrict out, int64_t n) {
  #pragma omp parallel for simd
  for (int64_t i = 0; i < n; i++) {
    const float a = x[i], b = y[i], t0 = a;
${lines.join('\n')}
    out[i] = t${steps.length};
  }
}
`;
}
export const HAND_FLAGS = ['-O3', '-march=native', '-fopenmp', '-ffp-contract=off', '-fPIC', '-shared'];

/** Compiles handKernel(steps) in `dir` (a new file name each time); returns the milliseconds and the library path. */
function compileHand(dir, steps, k) {
  const c = join(dir, `hand${k}.c`), so = join(dir, `hand${k}.so`);
  const t0 = performance.now();
  writeFileSync(c, handKernel(steps));
  const r = spawnSync(process.env.CC || 'cc', [...HAND_FLAGS, '-o', so, c], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`K1 hand-written kernel failed to compile: ${r.stderr || r.error?.message}`);
  return { ms, so };
}

const makeInputs = new Function('tf', `${INPUTS}\nreturn [tf.tensor(xs), tf.tensor(ys)];`);
const build = new Function(`return ${BUILD}`)();

const CHILD = `const t0 = performance.now();
const tf = await import(process.env.TF_BENCH_DIST);
const t1 = performance.now();
${INPUTS}
const x = tf.tensor(xs), y = tf.tensor(ys);
const g = (${BUILD})(tf, JSON.parse(process.env.TF_BENCH_STEPS), x, y);
const r = g.eval();
const first = r.data()[0];
const t2 = performance.now();
const g2 = (${BUILD})(tf, JSON.parse(process.env.TF_BENCH_STEPS2), x, y);
g2.eval().data();
const t3 = performance.now();
process.stdout.write(JSON.stringify({ startMs: t0, importMs: t1 - t0, evalMs: t2 - t1, secondMs: t3 - t2, toResultMs: t2 - t0, sinceStartMs: t2, first, values: Array.from(r.data()), stats: tf.stats() }));`;

function spawnNode(args, env) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 60_000 });
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`K1 child process failed (${r.status}): ${r.stderr || r.error?.message}`);
  return { wallMs, stdout: r.stdout };
}

/**
 * Runs K1 and returns its rows and extras. `tf` is the tensorfuse module (dist/index.js), `distUrl`
 * its file URL for the child.
 */
export async function runK1({ tf, distPath, budget, mode, progress }) {
  const dir = mkdtempSync(join(tmpdir(), 'tensorfuse-bench-k1-'));
  const children = { full: 7, quick: 3, smoke: 1 }[mode];
  const rows = [];
  tf.configure({ cacheDir: dir });
  try {
    const [x, y] = makeInputs(tf);
    // Graph numbers start at a random offset: nothing is shared with another run either.
    let k = Math.floor(Math.random() * 8 ** 9);
    const cold = () => build(tf, stepsFor(k++), x, y).eval();

    progress.start('K1 cold compile of a new 10-op graph');
    // The first eval pays once-per-process costs (probing the compiler): warm-up, untimed. Its result is checked.
    const steps0 = stepsFor(k);
    const got = cold().data();
    const want = build(tf, steps0, x, y).eval({ backend: 'ts' }).data();
    const check = { ...compare(got, want), against: 'reference' };
    const before = tf.stats();
    const m = await measure('K1 cold', cold, { budget, estimate: 0.2, minSamples: { full: 10, quick: 5, smoke: 2 }[mode] });
    const after = tf.stats();
    const compiles = after.compiles - before.compiles;
    const compilerMs = compiles > 0 ? (after.compileMs - before.compileMs) / compiles : NaN;
    rows.push({
      peer: 'k1Cold', label: 'cold compile, new 10-op graph', n: SIZE, ...m, check,
      extra: { compilerMs, compiles, graphs: compiles, rssMB: Math.round(process.memoryUsage().rss / 2 ** 20) },
      note: `compiler process ${compilerMs.toFixed(1)} ms of it (stats().compileMs / compiles); RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`,
    });
    progress.step(`${m.medianMs.toFixed(1)} ms (compiler ${compilerMs.toFixed(1)} ms)`);

    // Against the hand-written kernel's plain compile, in alternating pairs: a cold eval (graph, schedule,
    // C, compile, load, run) then the compile of the same graph's hand-written C, new graphs each time.
    progress.start('K1 cold compile against a plain compile of the hand-written kernel');
    const pairs = { full: 15, quick: 7, smoke: 2 }[mode];
    const handSteps = stepsFor(k);
    const first = compileHand(dir, handSteps, 'check');
    const lib = koffi.load(first.so);
    const k1 = lib.func('void k1(const float *x, const float *y, _Inout_ float *out, int64_t n)');
    const handOut = new Float32Array(SIZE);
    k1(x.data(), y.data(), handOut, SIZE);
    const handCheck = { ...compare(handOut, build(tf, handSteps, x, y).eval().data()), against: 'fused' };
    k++;
    const ours = [], hand = [], ratios = [];
    for (let i = 0; i < pairs; i++) {
      const steps = stepsFor(k);
      const t0 = performance.now();
      cold();
      const a = performance.now() - t0;
      const b = compileHand(dir, steps, i).ms;
      ours.push(a); hand.push(b); ratios.push(a / b);
    }
    rows.push(
      { peer: 'k1PairOurs', label: 'cold eval, new 10-op graph (paired)', n: SIZE, medianMs: median(ours), minMs: Math.min(...ours), samples: pairs, check, note: `${median(ratios).toFixed(2)}× the hand-written kernel's compile (median of ${pairs} alternating pairs)` },
      { peer: 'k1Hand', label: `hand-written kernel: cc ${HAND_FLAGS.join(' ')} (paired)`, n: SIZE, medianMs: median(hand), minMs: Math.min(...hand), samples: pairs, check: handCheck, note: 'compile only: one omp parallel for simd loop', extra: { ratio: median(ratios) } },
    );
    progress.step(`${median(ours).toFixed(1)} ms against ${median(hand).toFixed(1)} ms: ${median(ratios).toFixed(2)}×`);

    // Disk hit: compile one graph here, then time its first eval in new processes.
    progress.start('K1 disk-cache hit in a new process');
    const diskSteps = stepsFor(k++);
    const diskSteps2 = stepsFor(k++);
    const parentValues = build(tf, diskSteps, x, y).eval().data();
    build(tf, diskSteps2, x, y).eval();
    const env = {
      ...process.env, TENSORFUSE_CACHE_DIR: dir, TF_BENCH_DIST: pathToFileURL(distPath).href,
      TF_BENCH_STEPS: JSON.stringify(diskSteps), TF_BENCH_STEPS2: JSON.stringify(diskSteps2),
    };
    const runs = [];
    for (let i = 0; i < children; i++) {
      const { wallMs, stdout } = spawnNode(['--input-type=module', '-e', CHILD], env);
      runs.push({ wallMs, ...JSON.parse(stdout) });
    }
    const bare = [];
    for (let i = 0; i < children; i++) bare.push(spawnNode(['-e', '0'], process.env).wallMs);
    const hit = runs.every((r) => r.stats.compiles === 0 && r.stats.diskHits >= 2);
    const childCheck = compare(runs[0].values, parentValues);
    const diskCheck = { ...childCheck, ok: childCheck.ok && hit, against: 'fused', reason: hit ? childCheck.reason : `not a disk hit: the child compiled (stats ${JSON.stringify(runs[0].stats)})` };
    const med = (key) => median(runs.map((r) => r[key]));
    const childRow = (peer, label, ms, note, check) => ({ peer, label, n: SIZE, medianMs: ms, minMs: ms, samples: runs.length, check, note });
    rows.push(
      childRow('k1DiskEval', 'disk hit, new process: first eval', med('evalMs'), 'graph build + eval + data() after the import', diskCheck),
      childRow('k1DiskSecond', 'disk hit, same new process: another graph', med('secondMs'), 'the first eval also pays once-per-process costs (probing the compiler for the cache key)'),
      childRow('k1DiskImport', 'new process: import dist/index.js', med('importMs'), 'before the first eval'),
      childRow('k1DiskFirst', 'new process: to first result, excl. Node startup', med('toResultMs'), 'import + first eval'),
      childRow('k1DiskSinceStart', 'new process: to first result, incl. Node startup', med('sinceStartMs'), `Node startup ${med('startMs').toFixed(1)} ms before the script runs`),
      childRow('k1DiskWall', 'new process: whole process wall time', med('wallMs'), `spawn to exit; an empty \`node -e 0\` takes ${median(bare).toFixed(1)} ms`),
    );
    progress.step(`first eval ${med('evalMs').toFixed(1)} ms, second ${med('secondMs').toFixed(1)} ms, import ${med('importMs').toFixed(1)} ms`);
    return { rows, extra: { nodeStartupMs: med('startMs'), bareNodeWallMs: median(bare), children } };
  } finally {
    tf.configure({ cacheDir: undefined });
    rmSync(dir, { recursive: true, force: true });
  }
}

export const K1_STEPS = 3;
