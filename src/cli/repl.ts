/**
 * `tensorfuse repl`: every export in scope, top-level await, results printed numpy-style (a lazy
 * result is evaluated for display), `.c EXPR`, `.explain EXPR`, `.time EXPR`, history kept across
 * sessions, and a TensorError shown as one line instead of a stack.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import repl from 'node:repl';
import { inspect } from 'node:util';
import vm from 'node:vm';
import * as api from '../index.js';
import { TensorError } from '../errors.js';
import { Tensor } from '../tensor.js';
import type { EvalOptions } from '../realize.js';
import { median } from './demo.js';

function historyFile(): string {
  if (process.env.TENSORFUSE_REPL_HISTORY) return process.env.TENSORFUSE_REPL_HISTORY;
  const state = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'tensorfuse', 'repl_history');
}

/** How a value is shown: tensors evaluated and printed numpy-style, anything else as Node would. */
function show(value: unknown): string {
  if (value instanceof Tensor) {
    try {
      value.eval();
    } catch (e) {
      return `${String(value)}  (could not evaluate: ${(e as Error).message})`;
    }
    return String(value);
  }
  if (Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof Tensor)) return `[\n${value.map(show).join(',\n')}\n]`;
  return inspect(value, { colors: Boolean(process.stdout.isTTY), depth: 4 });
}

/**
 * Evaluates a stand-in for `t` (the user's own tensor stays lazy) and disposes the result, so that its
 * buffer is reused, as in a well-written loop. A tensor that is already realized is left alone.
 */
function timedEval(t: Tensor | undefined, opts: EvalOptions): void {
  if (!t || t.isRealized) return;
  new Tensor(t.node).eval(opts).dispose();
}

const BANNER = `tensorfuse REPL: every export is in scope (tensor, arange, rand, ...). Try:
  const a = arange(5)
  a.mul(2).add(1)
  .c a.mul(2)          the generated C      .explain EXPR   the fusion plan
  .time EXPR           fused vs unfused vs reference timings
`;

export function startRepl(): Promise<number> {
  const interactive = Boolean(process.stdin.isTTY);
  if (interactive) process.stdout.write(BANNER);
  const r = repl.start({ prompt: interactive ? 'tf> ' : '', writer: show, ignoreUndefined: true, useGlobal: false, preview: false });
  Object.assign(r.context, api);

  // A TensorError is a user mistake, not a crash: the REPL shows it as one line, without the stack.
  (TensorError.prototype as unknown as Record<symbol, unknown>)[inspect.custom] = function (this: TensorError) {
    return `${this.name}: ${this.message}`;
  };

  const tensorOf = (expr: string): Tensor | undefined => {
    try {
      const v = vm.runInContext(expr, r.context) as unknown;
      if (v instanceof Tensor) return v;
      r.output.write(`not a tensor: ${inspect(v)}\n`);
    } catch (e) {
      r.output.write(e instanceof TensorError ? `${e.name}: ${e.message}\n` : `${(e as Error).name}: ${(e as Error).message}\n`);
    }
    return undefined;
  };
  const command = (help: string, action: (expr: string) => void) => ({
    help,
    action(this: repl.REPLServer, expr: string) {
      if (!expr.trim()) r.output.write(`usage: ${help}\n`);
      else action(expr);
      this.displayPrompt();
    },
  });
  r.defineCommand('c', command('.c EXPR      show the C source eval would compile for EXPR', (expr) => {
    const t = tensorOf(expr);
    if (t) r.output.write(`${t.toC()}\n`);
  }));
  r.defineCommand('explain', command('.explain EXPR  show the fusion plan for EXPR', (expr) => {
    const t = tensorOf(expr);
    if (t) r.output.write(`${t.explain()}\n`);
  }));
  r.defineCommand('time', command('.time EXPR   time EXPR fused, unfused and on the reference', (expr) => {
    const probe = tensorOf(expr);
    if (!probe) return;
    if (probe.isRealized) {
      r.output.write(`${expr.trim()} is already realized: there is nothing to compute. Time the expression that computes it.\n`);
      return;
    }
    const rows: [string, () => void, number][] = [
      ['fused C', () => timedEval(tensorOf(expr), {}), 9],
      ['unfused C', () => timedEval(tensorOf(expr), { fuse: false }), 5],
      ['reference', () => timedEval(tensorOf(expr), { backend: 'ts' }), 3],
    ];
    const results = rows.map(([name, run, n]) => {
      run(); // compile, warm up
      const t: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        run();
        t.push(performance.now() - t0);
      }
      return [name, median(t)] as const;
    });
    const fused = results[0][1];
    for (const [name, ms] of results) r.output.write(`${name.padEnd(10)} ${ms.toFixed(3).padStart(10)} ms  ${(ms / fused).toFixed(1).padStart(6)}×\n`);
  }));

  const file = historyFile();
  try {
    mkdirSync(dirname(file), { recursive: true });
    r.setupHistory(file, () => {});
  } catch {
    // no history is not worth failing over
  }
  return new Promise((resolve) => r.on('exit', () => resolve(0)));
}
