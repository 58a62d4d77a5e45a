/**
 * The acceptance fuzz test of issue 11: thousands of seeded random calls of the public API with wrong,
 * hostile and valid arguments (test/fuzz-calls.mjs), in a child process so that a crash is seen as a
 * crash. It asserts: the child exits normally (no signal), every thrown error is a TensorError or the
 * user's own exception passing through, and every result that evaluates agrees between the C backend
 * and the TS reference. TENSORFUSE_FUZZ_SEED picks the seed; TENSORFUSE_PROPERTY_RUNS scales the calls
 * and the time bound (~25 s of calls at 1 on a 2-core machine).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeChild, ensureDist, removeScripts, ROOT, runNode, tempDir } from './child.js';

const scale = Number(process.env.TENSORFUSE_PROPERTY_RUNS ?? 1) || 1;
const seed = Number(process.env.TENSORFUSE_FUZZ_SEED ?? 11);
const calls = Math.round(8000 * scale);
const timeMs = Math.round(22_000 * scale);

describe('API fuzz (child process)', () => {
  const dir = tempDir('fuzz');
  beforeAll(ensureDist, 120_000);
  afterAll(() => { removeScripts(); rmSync(dir, { recursive: true, force: true }); });

  it(`up to ${calls} random calls (seed ${seed}): TensorErrors or the user's exceptions only, no crash, C agrees with TS`, async () => {
    const progressFile = join(dir, 'progress.txt');
    const started = Date.now();
    const r = await runNode(`
      const { fuzz } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'test', 'fuzz-calls.mjs')).href)});
      const result = await fuzz(tf, { seed: ${seed}, calls: ${calls}, timeMs: ${timeMs}, progressFile: ${JSON.stringify(progressFile)} });
      console.log(JSON.stringify(result));
    `, { TENSORFUSE_CACHE_DIR: process.env.TENSORFUSE_CACHE_DIR }, timeMs + 90_000);
    let last = '';
    try { last = readFileSync(progressFile, 'utf8'); } catch { /* never started */ }
    const crashed = `the fuzz child died (seed ${seed}); its last call was:\n${last}\n${describeChild(r)}`;
    expect(r.signal, crashed).toBe(null);
    expect(r.code, crashed).toBe(0);
    expect(r.json, crashed).toBeDefined();
    const { counts, failures, mismatches, ms } = r.json;
    const errors = Object.entries(counts.tensorErrors as Record<string, number>).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log([
      `fuzz seed ${seed}: ${counts.calls} calls in ${(ms / 1000).toFixed(1)} s (child ${((Date.now() - started) / 1000).toFixed(1)} s)${counts.stoppedByTime ? ', stopped by the time bound' : ''}`,
      `  returned ${counts.returned}; TensorErrors: ${errors}; user exceptions passed through ${counts.userPassedThrough}`,
      `  evaluated on c and ts: ${counts.compared} compared (${counts.cBatches} evalAll batches on c), ${counts.bothRefused} refused by both, ${counts.userInEval} user exceptions in eval, ${counts.skippedLarge} too large to evaluate; ${counts.directC} eval/evalAsync/assign calls on c`,
      `  failures (non-TensorError): ${counts.failures}; mismatches c vs ts: ${counts.mismatches}`,
    ].join('\n'));
    expect(failures, `seed ${seed}: calls that threw something other than a TensorError or the user's exception`).toEqual([]);
    expect(mismatches, `seed ${seed}: results that differ between backend 'c' and 'ts'`).toEqual([]);
    // Bounded by time: a loaded machine makes fewer calls, but never so few that nothing was tested.
    expect(counts.calls).toBeGreaterThan(500);
    expect(counts.compared).toBeGreaterThan(50);
  }, timeMs + 120_000);
});
