// Every script in examples/ runs, and prints what it promises.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '..', 'examples');
const expected: Record<string, RegExp> = {
  'seed-axpy.mjs': /same buffer after assign: true/,
  'attention.mjs': /each row of weights sums to 1: true/,
  'monte-carlo-pi.mjs': /π ≈ 3\.1[34]/,
  'linear-regression.mjs': /normal equations: (\S+) (\S+) (\S+)\ngradient descent: \1 \2 \3 \(true: 2 -3 0\.5\)/, // descent reaches the least-squares solution
  'mlp.mjs': /step   0  loss [01]\.\d+[\s\S]*step 300  loss 0\.0[0-4][\s\S]*accuracy (9[5-9]|100)\.\d% on 200 points/,
  'kmeans.mjs': /centroids: \(-?0\.[01], -?0\.[01]\) \(5\.0, 5\.0\) \(-4\.0, 6\.0\)\ncluster sizes: 500 500 500\nupdate matches a JS loop: true/,
  'logistic-regression.mjs': /step   0  loss 0\.6931[\s\S]*step 200  loss 0\.(19|20)[\s\S]*accuracy 9[0-3]\.\d%[\s\S]*most confident: (1\.000 ){5}\| (0\.000 ?){5}/,
  'heat-stencil.mjs': /total heat 25600\.0[\s\S]*matches the JS loops: true/,
  'image.mjs': /levels used before: 66 range 0 \.\. 255\nafter equalization: range 0 \.\. 255[\s\S]*pixels wrong: [1-9]\d+ in the noisy image, 0 /,
  'custom-op.mjs': /kernels for qgelu chain: 1[\s\S]*one FFI call[\s\S]*moving average of squares \/ 10: 0\.100 0\.130 0\.207 0\.346 [\s\S]*cumsum 1 3 6 10 15/,
};

describe('examples', () => {
  const scripts = readdirSync(dir).filter((f) => f.endsWith('.mjs'));
  it('are all listed here with what they must print', () => {
    expect(scripts.sort()).toEqual(Object.keys(expected).sort());
  });
  for (const script of scripts) {
    it(`${script} runs`, () => {
      const out = execFileSync(process.execPath, [join(dir, script)], { encoding: 'utf8', env: process.env, timeout: 120_000 });
      expect(out).toMatch(expected[script]);
    });
  }
});
