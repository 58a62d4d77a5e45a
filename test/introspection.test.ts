// explain(), toDot(), toC(), TENSORFUSE_DEBUG levels and TENSORFUSE_PROFILE counters.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { arange, configure, rand, stats, tensor } from '../src/index.js';

afterEach(() => configure({ profile: undefined }));

describe('explain / toDot / toC', () => {
  it('softmax of [4096, 4096] float32 is one program of at most 3 loop nests', () => {
    const x = rand([4096, 4096], { seed: 1, dtype: 'float32' });
    const plan = x.softmax(1).explain();
    expect(plan).toMatch(/^program: 3 kernels in one C translation unit, one FFI call/);
    expect(plan.match(/^kernel /gm)).toHaveLength(3);
    expect(plan).toMatch(/cache key: [0-9a-f]{64}/);
    const src = x.softmax(1).toC();
    // (row group members are noinline functions, called by the group's loop)
    expect(src.match(/^(?:__attribute__\(\(noinline\)\) )?static void [ERM]\d/gm)).toHaveLength(3);
    expect(src.match(/^int tf_program/gm)).toHaveLength(1);
  });

  it('explain names buffers and what fused; the E2 chain is one flat kernel', () => {
    const x = rand([1 << 10], { seed: 1, dtype: 'float32' }).eval();
    const y = rand([1 << 10], { seed: 2, dtype: 'float32' }).eval();
    const plan = x.mul(2).add(y).relu().mul(x.sub(y)).add(1).explain();
    expect(plan).toContain('inputs:  in0 float32[1024], in1 float32[1024]');
    expect(plan).toMatch(/kernel E0_flat \(flat loop, length at run time\): fuses sub mul add maximum mul add/);
    expect(plan).toContain('temps:   (none)');
    const unfused = x.mul(2).add(y).relu().mul(x.sub(y)).add(1).explain({ fuse: false });
    expect(unfused.match(/^kernel /gm)).toHaveLength(6);
  });

  it('toDot draws one cluster per kernel', () => {
    const x = arange(6).reshape([2, 3]).cast('float64');
    const dot = x.softmax(1).toDot();
    expect(dot.startsWith('digraph tensorfuse {')).toBe(true);
    expect(dot.match(/subgraph cluster_/g)).toHaveLength(3);
    expect(dot).toMatch(/n\d+ -> n\d+;/);
  });

  it('a realized tensor has nothing to compute', () => {
    const t = tensor([1, 2, 3]);
    expect(t.explain()).toBe('realized: nothing to compute');
    expect(t.toC()).toContain('nothing to compute');
  });
});

describe('TENSORFUSE_PROFILE', () => {
  it('is off by default: no counters in the generated code', () => {
    expect(arange(10).mul(3).toC()).not.toContain('tf_prof');
  });

  it('compiles a separately keyed build with per-kernel counters', () => {
    configure({ profile: true });
    const x = rand([256, 256], { seed: 4, dtype: 'float32' });
    expect(x.softmax(1).toC()).toContain('void tf_profile(int64_t *out)');
    const before = stats().compiles;
    for (let i = 0; i < 3; i++) x.softmax(1).eval();
    expect(stats().compiles).toBeGreaterThan(before);
    const profile = stats().profile!;
    const kernels = Object.keys(profile).filter((k) => /^(R\d_256_1|E\d_256_256)@/.test(k));
    expect(kernels.length).toBeGreaterThanOrEqual(3);
    for (const k of kernels) {
      expect(profile[k].calls).toBeGreaterThanOrEqual(3);
      expect(profile[k].ms).toBeGreaterThan(0);
    }
  });
});

describe('TENSORFUSE_DEBUG', () => {
  const script = `import { rand } from ${JSON.stringify(join(import.meta.dirname, '..', 'dist', 'index.js'))};
const x = rand([64], { seed: 1 }); x.exp().add(1).eval(); x.exp().add(1).eval();`;
  const run = (level: number) => spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8', env: { ...process.env, TENSORFUSE_DEBUG: String(level) },
  }).stderr;

  it('level 0 is silent', () => expect(run(0)).not.toContain('[tensorfuse]'));
  it('level 1 reports compiles and cache hits', () => expect(run(1)).toMatch(/\[tensorfuse\] (compiled [0-9a-f]{12} in [\d.]+ ms|disk cache hit)/));
  it('level 2 adds run times', () => expect(run(2)).toMatch(/\[tensorfuse\] ran E0_flat in [\d.]+ ms/));
  it('level 3 adds fusion decisions', () => expect(run(3)).toMatch(/\[tensorfuse\] schedule: E0_flat \[rand exp add\] flat/));
  it('level 3 logs each kernel\'s decisions with their reasons', () => expect(run(3)).toMatch(/\[tensorfuse\] decisions:\n {2}program: small — .*\n {2}E0_flat: loop: flat — .*; parallel: .*; store: /));
  it('level 4 prints the C', () => expect(run(4)).toMatch(/\[tensorfuse\] C source[\s\S]*int tf_program/));
});
