/** `tensorfuse demo` (what `npm start` runs): one fused expression, its C, and the speed-up. */
import { readFileSync } from 'node:fs';
import { rand, stats } from '../index.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

export function timeIt(fn: () => void, runs: number): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

/** `npm start`: one fused expression, its C, and fused vs unfused vs reference timings. */
export function demo(): void {
  const n = 1 << 22;
  const x = rand([n], { seed: 1, dtype: 'float32' }).eval();
  const y = rand([n], { seed: 2, dtype: 'float32' }).eval();
  const expr = () => x.mul(2).add(y).relu().mul(x.sub(y)).add(1);
  console.log(`tensorfuse ${pkg.version} demo: y = x.mul(2).add(y).relu().mul(x.sub(y)).add(1) on ${n} float32 elements\n`);
  console.log(`recorded lazily: ${String(expr())}\n`);
  let c: string;
  try {
    c = expr().toC();
  } catch (e) {
    console.log(`C backend unavailable: ${(e as Error).message}`);
    const ms = timeIt(() => expr().eval({ backend: 'ts' }), 2);
    console.log(`reference (TypeScript): ${ms.toFixed(1)} ms`);
    return;
  }
  const kernel = c.slice(c.indexOf('/* E0'), c.indexOf('int tf_program'));
  console.log(`generated C (the fused kernel; \`.toC()\` shows the whole file):\n\n${kernel.trim()}\n`);
  // Each result is disposed, as a loop should: its buffer is reused instead of fresh memory being
  // page-faulted in on every call, which on some machines costs more than the kernel itself.
  const fused = timeIt(() => expr().eval().dispose(), 9);
  const unfused = timeIt(() => expr().eval({ fuse: false }).dispose(), 7);
  const reference = timeIt(() => expr().eval({ backend: 'ts' }).dispose(), 1);
  const check = expr().eval().data();
  const ref = expr().eval({ backend: 'ts' }).data();
  const same = check.every((v, i) => Object.is(v, ref[i]));
  const rows = [
    ['fused C (one kernel)', fused],
    ['unfused C (one kernel per op)', unfused],
    ['reference (TypeScript)', reference],
  ] as const;
  console.log('median ms    speed-up   run (each result disposed, so its buffer is reused: see the README\'s performance notes)');
  for (const [name, ms] of rows) console.log(`${ms.toFixed(2).padStart(9)}  ${(ms / fused).toFixed(1).padStart(8)}×   ${name}`);
  console.log(`\nfused result ${same ? 'matches' : 'DIFFERS FROM'} the reference bit for bit; stats: ${JSON.stringify(stats())}`);
}

