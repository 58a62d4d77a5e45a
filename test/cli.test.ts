// The command line as a user meets it: help, version, demo, doctor, cache, and a piped REPL session.
import { spawn, spawnSync } from 'node:child_process';
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

  it('the REPL queues piped lines behind a pending await, prints DTypeErrors on one line, documents with ?name, times evaluation only', () => {
    const history = join(mkdtempSync(join(tmpdir(), 'tf-repl-')), 'history');
    const session = [
      'const x = arange(4)',
      'const m = await x.mul(3).evalAsync()',
      'm',
      'tensor([true]).sub(tensor([true]))',
      '?softmax',
      '.help Tensor.cast',
      '.c x.mul(2)',
      '.c! x.mul(2)',
      '.time x.add(1) 4 --no-ref',
      '',
    ].join('\n');
    const r = run(['repl'], session, { TENSORFUSE_REPL_HISTORY: history });
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout;
    expect(out).toContain('tensor([0, 3, 6, 9], dtype=int32, shape=[4])'); // m, once the await settled
    expect(out).toMatch(/^DTypeError: sub: not supported for bool tensors/m);
    expect(out).not.toContain('Uncaught');
    expect(out).toMatch(/method softmax\(axis\?: number \| number\[\]\): Tensor<Floating<D>>;\n  exp\(x - max\) \/ sum\(exp\(x - max\)\)/);
    expect(out).toMatch(/method cast<E extends DType>\(dtype: E\): Tensor<E>;\n  /);
    // .c: the kernels and the entry point, without the includes and the prelude; .c!: the whole file.
    const kernels = out.slice(out.indexOf('/* tensorfuse program'), out.indexOf('int tf_program'));
    expect(kernels).toMatch(/static void E0_flat/);
    expect(kernels).not.toContain('#include');
    expect(out.split('#include <stdint.h>').length).toBe(2); // once, from .c!
    expect(out).toMatch(/fused C\s+[\d.]+ ms\s+1\.0×  median of 4 runs/);
    expect(out).toMatch(/unfused C\s+[\d.]+ ms\s+[\d.]+×  median of 4 runs/);
    expect(out).not.toMatch(/^reference/m);
    expect(out).toContain('(evaluation only, after a warm-up run that compiles)');
  });

  /**
   * A REPL session in a pseudo-terminal (util-linux `script`), typed as a person would: each step is the
   * text to type and what to wait for first, the REPL's next prompt or a pause in seconds. Waiting for the
   * prompt matters for Ctrl-C: typed before the REPL has put the terminal in raw mode, it is a SIGINT that
   * ends node (on a loaded machine startup alone took longer than the fixed sleeps this replaced).
   * `exec` puts node in the shell's place: a Ctrl-C the terminal turns into SIGINT (the reference backend
   * evaluates with the terminal out of raw mode) goes to the whole foreground group, and dash, CI's
   * /bin/sh, left waiting as node's parent, kills itself with it once node exits (status 130).
   */
  type Step = [text: string, wait: 'prompt' | number];
  const pty = (steps: Step[], env: Record<string, string> = {}): Promise<{ out: string; history: string }> => {
    const history = join(mkdtempSync(join(tmpdir(), 'tf-repl-')), 'history');
    const child = spawn('script', ['-qec', `exec ${process.execPath} ${cli} repl`, '/dev/null'], {
      env: { ...process.env, TENSORFUSE_REPL_HISTORY: history, ...env }, stdio: ['pipe', 'pipe', 'inherit'],
    });
    let raw = '';
    const text = () => raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''); // the terminal's colors and cursor moves
    const prompts = () => text().split('tf> ').length - 1;
    let wake = () => {};
    child.stdout.on('data', (d: Buffer) => { raw += d.toString('utf8'); wake(); });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => { wake(); resolve(code); }));
    const until = (ready: () => boolean, what: string, ms = 60_000) => new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms; the session so far:\n${text()}`)), ms);
      wake = () => { if (ready() || child.exitCode !== null) { clearTimeout(timer); resolve(); } };
      wake();
    });
    return (async () => {
      let seen = 0; // prompts already answered
      for (const [typed, wait] of steps) {
        if (wait === 'prompt') {
          await until(() => prompts() > seen, 'prompt');
          seen = prompts();
        } else {
          await new Promise((r) => setTimeout(r, wait * 1000));
          seen = prompts();
        }
        child.stdin.write(typed);
      }
      const timer = setTimeout(() => child.kill(), 60_000);
      const code = await exited;
      clearTimeout(timer);
      child.stdin.end();
      expect(code, text()).toBe(0);
      return { out: text(), history };
    })();
  };

  it('Ctrl-C interrupts a long compiled evaluation and keeps the session (pseudo-terminal)', async () => {
    // One thread: the abandoned kernel runs on until the REPL exits, and should not take both cores.
    const { out } = await pty([
      ['const keep = 5\n', 'prompt'],
      ['rand([2 ** 31]).sin().cos().sin().cos().sum()\n', 'prompt'],
      ['\x03', 1.5], // about 20 s of work on one thread
      ['keep * 2\n', 'prompt'],
      ['.exit\n', 'prompt'],
    ], { TENSORFUSE_THREADS: '1' });
    expect(out).toContain('interrupted');
    expect(out.slice(out.indexOf('interrupted'))).toMatch(/keep \* 2\r*\n10/);
  });

  it('Ctrl-C interrupts a long evaluation on the reference backend too (pseudo-terminal)', async () => {
    const { out } = await pty([
      ["configure({ backend: 'ts' })\n", 'prompt'],
      ['const keep = 5\n', 'prompt'],
      ['rand([2000, 2000]).matmul(rand([2000, 2000])).sum()\n', 'prompt'],
      ['\x03', 1.5], // 8·10^9 multiply-adds in JavaScript: far longer than the pause
      ['keep * 2\n', 'prompt'],
      ['.exit\n', 'prompt'],
    ]);
    expect(out).toContain('interrupted');
    expect(out.slice(out.indexOf('interrupted'))).toMatch(/keep \* 2\r*\n10/);
  });

  it('a Ctrl-C at the prompt keeps the session; a second one ends it, as in node (pseudo-terminal)', async () => {
    const { out } = await pty([
      ['const keep = 5\n', 'prompt'],
      ['\x03', 'prompt'],
      ['keep * 2\n', 'prompt'],
      ['\x03', 'prompt'],
      ['\x03', 0.3], // the session ends here, with status 0
    ]);
    expect(out).toContain('(To exit, press Ctrl+C again');
    expect(out).toMatch(/keep \* 2\r*\n10/);
  });

  it('the REPL completes Tensor methods with Tab, hiding internals and Object.prototype, and keeps history (pseudo-terminal)', async () => {
    // Ctrl-U (\x15) clears a line whose Tab found nothing to complete.
    const hidden = ['t.stor', 't.hasOwnPr', 't.releas'].flatMap((p): Step[] => [[`${p}\t`, 0.3], ['\x15', 0.5]]);
    const { out, history } = await pty([
      ['const zz = 41\n', 'prompt'],
      ['zz + 1\n', 'prompt'],
      ['const t = arange(3)\n', 'prompt'],
      ...hidden,
      ['t.softm\t', 0.3],
      ['()\n', 1],
      ['.exit\n', 'prompt'],
    ]);
    expect(out).toContain('42');
    expect(out).toContain('t.softmax()'); // Tab completed the method name ('t.sof' is softmax or softplus)
    expect(out).toContain('tensor([0.09003057, 0.24472847, 0.66524096], dtype=float64, shape=[3])');
    for (const internal of ['t.storage', 't.hasOwnProperty', 't.release']) expect(out).not.toContain(internal);
    expect(readFileSync(history, 'utf8').split('\n')).toEqual(expect.arrayContaining(['zz + 1', 'const zz = 41']));
  });

});
