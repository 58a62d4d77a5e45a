// The command line as a user meets it: help, version, demo, doctor, cache, and a piped REPL session.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');
const run = (args: string[], input?: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input, env: { ...process.env, ...env }, timeout: 120_000 });

describe('tensorfuse CLI', () => {
  it('--help lists the commands; --version matches package.json', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    for (const cmd of ['demo', 'repl', 'doctor', 'cache info', 'cache prune --max-mb N']) expect(help.stdout).toContain(cmd);
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
    expect(run(['--version']).stdout.trim()).toBe(pkg.version);
  });

  it('an unknown command fails with the help text', () => {
    const r = run(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
  });

  it('demo prints the fused kernel, a timing table and a bit-exact check', () => {
    const r = run(['demo']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/static void E0_flat/);
    expect(r.stdout).toMatch(/fused C \(one kernel\)/);
    expect(r.stdout).toMatch(/unfused C \(one kernel per op\)/);
    expect(r.stdout).toContain('matches the reference bit for bit');
  });

  it('doctor reports a healthy setup', () => {
    const r = run(['doctor']);
    expect(r.stdout).toMatch(/ok\s+C compiler/);
    expect(r.stdout).toMatch(/ok\s+OpenMP/);
    expect(r.stdout).toMatch(/ok\s+smoke kernel .*matches the reference/);
    expect(r.stdout).toContain('tensorfuse is healthy');
    expect(r.status).toBe(0);
  });

  it('doctor names the problem and the fix when there is no compiler', () => {
    const r = run(['doctor'], undefined, { CC: '/nonexistent/cc' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+C compiler/);
    expect(r.stdout).toMatch(/fix: apt-get install gcc/);
  });

  it('cache info, prune and clear', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-cli-cache-'));
    const env = { TENSORFUSE_CACHE_DIR: join(dir, 'c') };
    run(['doctor'], undefined, env); // compiles one library into the cache
    const info = run(['cache', 'info'], undefined, env);
    expect(info.stdout).toMatch(/libraries:\s+1/);
    expect(run(['cache', 'prune'], undefined, env).status).toBe(2);
    expect(run(['cache', 'prune', '--max-mb', '1000'], undefined, env).stdout).toMatch(/removed 0 libraries/);
    expect(run(['cache', 'prune', '--max-mb', '0'], undefined, env).stdout).toMatch(/removed 1 libraries/);
    run(['doctor'], undefined, env);
    expect(run(['cache', 'clear'], undefined, env).stdout).toMatch(/removed 1 libraries/);
    expect(run(['cache', 'info'], undefined, env).stdout).toMatch(/libraries:\s+0/);
  });

  it('bench in a checkout without the dev dependencies names what is missing and how to get it', () => {
    // A copy of the checkout whose node_modules holds only the runtime dependencies: no Benchmark.js.
    const root = join(import.meta.dirname, '..');
    const dir = mkdtempSync(join(tmpdir(), 'tf-cli-nodev-'));
    try {
      for (const f of ['dist', 'bench', 'package.json']) cpSync(join(root, f), join(dir, f), { recursive: true });
      mkdirSync(join(dir, 'node_modules'));
      for (const dep of ['koffi', 'ml-matrix']) symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep));
      const r = spawnSync(process.execPath, [join(dir, 'dist', 'cli.js'), 'bench', '--smoke'], { encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^tensorfuse bench: the benchmark suite needs the dev dependencies \(run npm install in the checkout\): Cannot find package 'benchmark'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the REPL works with piped stdin: values, .c, await, one-line errors', () => {
    const history = join(mkdtempSync(join(tmpdir(), 'tf-repl-')), 'history');
    const session = [
      'const a = arange(5)',
      'a.mul(2).add(1)',
      '.c a.mul(2)',
      'await tensor([[1,2],[3,4]]).matmul(tensor([[5],[6]])).evalAsync()',
      'tensor([1,2]).add(tensor([1,2,3]))',
      '.explain a.sum()',
      '.time a.add(1)',
      '',
    ].join('\n');
    const r = run(['repl'], session, { TENSORFUSE_REPL_HISTORY: history });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('tensor([1, 3, 5, 7, 9], dtype=int32, shape=[5])');
    expect(r.stdout).toMatch(/static void E0_flat[\s\S]*\(uint32_t\)v0 \* \(uint32_t\)c0/);
    expect(r.stdout).toContain('tensor([[17.],\n        [39.]], dtype=float64, shape=[2,1])');
    expect(r.stdout).toContain('ShapeError: add: cannot broadcast [2] with [3]');
    expect(r.stdout).not.toMatch(/at broadcastShapes/);
    expect(r.stdout).toMatch(/kernel R0_1: fuses sum/);
    expect(r.stdout).toMatch(/fused C\s+[\d.]+ ms/);
  });

  it('the REPL completes Tensor methods with Tab and keeps history (driven through a pseudo-terminal)', () => {
    const history = join(mkdtempSync(join(tmpdir(), 'tf-repl-')), 'history');
    // util-linux `script` gives the REPL a real terminal; lines are fed slowly, as a person types.
    const session = `(printf 'const zz = 41\\n'; sleep 1; printf 'zz + 1\\n'; sleep 1; printf 'const t = arange(3)\\n'; sleep 1; printf 't.softm\\t'; sleep 1; printf '()\\n'; sleep 1; printf '.exit\\n')`;
    const out = execFileSync('bash', ['-c', `${session} | script -qec "${process.execPath} ${cli} repl" /dev/null`], {
      encoding: 'utf8', env: { ...process.env, TENSORFUSE_REPL_HISTORY: history }, timeout: 60_000,
    });
    expect(out).toContain('42');
    expect(out).toContain('t.softmax()'); // Tab completed the method name ('t.sof' is softmax or softplus)
    expect(out).toContain('tensor([0.09003057, 0.24472847, 0.66524096], dtype=float64, shape=[3])');
    expect(readFileSync(history, 'utf8').split('\n')).toEqual(expect.arrayContaining(['zz + 1', 'const zz = 41']));
  });
});
