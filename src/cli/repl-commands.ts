/**
 * The REPL's dot commands: `.c EXPR` (the kernels eval would compile), `.c! EXPR` (the whole translation
 * unit), `.explain EXPR`, `.time EXPR [runs] [--no-ref]` and `.help [name]`.
 */
import type repl from 'node:repl';
import { inspect } from 'node:util';
import vm from 'node:vm';
import { TensorError } from '../errors.js';
import { Tensor } from '../tensor.js';
import type { EvalOptions } from '../realize.js';
import { median } from './demo.js';
import { helpText } from './help.js';

/**
 * The kernels of a generated translation unit and its entry point, without the includes, the prelude
 * and the helpers every program carries: what `.c` shows. A kernel starts at its header comment
 * (`/* E0_flat: out0 = ... *\/`, named by kind, a number and its shape; codegen/c.ts).
 */
export function kernelsOnly(source: string): string {
  const lines = source.split('\n');
  const first = lines.findIndex((l, i) => {
    const m = /^\/\* ([A-Z][A-Za-z]*\d+\w*): /.exec(l);
    return m !== null && (lines[i + 1] ?? '').includes(`static void ${m[1]}(`);
  });
  if (first < 0) return source;
  return [lines[0], '', ...lines.slice(first)].join('\n').trimEnd();
}

/** Whether `text` parses as one JS expression. */
function isExpression(text: string): boolean {
  try {
    new vm.Script(`(${text}\n)`);
    return true;
  } catch {
    return false;
  }
}

/** `.time`'s arguments: `EXPR [runs] [--no-ref]` (a trailing number that would not parse as part of EXPR is the count). */
export function timeArgs(args: string): { expr: string; runs?: number; reference: boolean } {
  let rest = args.trim();
  const noRef = /\s*--no-ref$/.exec(rest);
  if (noRef) rest = rest.slice(0, noRef.index);
  const n = /\s+(\d+)$/.exec(rest);
  if (n && !isExpression(rest) && Number(n[1]) > 0) return { expr: rest.slice(0, n.index), runs: Number(n[1]), reference: !noRef };
  return { expr: rest, reference: !noRef };
}

/** Median milliseconds of `runs` calls of `run` after one warm-up call (which compiles). */
function timed(run: () => void, runs: number): number {
  run();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    run();
    t.push(performance.now() - t0);
  }
  return median(t);
}

export function defineCommands(r: repl.REPLServer, builtinHelp: ((this: repl.REPLServer, text: string) => void) | undefined): void {
  const out = (text: string) => r.output.write(`${text}\n`);
  const tensorOf = (expr: string): Tensor | undefined => {
    try {
      const v = vm.runInContext(expr, r.context) as unknown;
      if (v instanceof Tensor) return v;
      out(`not a tensor: ${inspect(v)}`);
    } catch (e) {
      out(`${(e as Error).name}: ${(e as Error).message}`);
    }
    return undefined;
  };
  const command = (help: string, action: (expr: string) => void) => ({
    help,
    action(this: repl.REPLServer, expr: string) {
      if (!expr.trim()) out(`usage: ${help}`);
      else {
        try {
          action(expr);
        } catch (e) {
          if (!(e instanceof TensorError)) throw e;
          out(`${e.name}: ${e.message}`);
        }
      }
      this.displayPrompt();
    },
  });
  r.defineCommand('c', command('.c EXPR      the kernels eval would compile for EXPR (.c! EXPR: the whole C file)', (expr) => {
    const t = tensorOf(expr);
    if (t) out(kernelsOnly(t.toC()));
  }));
  r.defineCommand('c!', command('.c! EXPR     the whole C translation unit eval would compile for EXPR', (expr) => {
    const t = tensorOf(expr);
    if (t) out(t.toC());
  }));
  r.defineCommand('explain', command('.explain EXPR  the fusion plan for EXPR', (expr) => {
    const t = tensorOf(expr);
    if (t) out(t.explain());
  }));
  r.defineCommand('time', command('.time EXPR [runs] [--no-ref]  time evaluating EXPR fused, unfused and on the reference (graph building is not timed)', (args) => {
    const { expr, runs, reference } = timeArgs(args);
    const t = tensorOf(expr);
    if (!t) return;
    if (t.isRealized) {
      out(`${expr.trim()} is already realized: there is nothing to compute. Time the expression that computes it.`);
      return;
    }
    // The graph is built once; each run evaluates a fresh handle on it (the user's tensor stays lazy)
    // and gives its buffer back, as a well-written loop would.
    const evalOnce = (opts: EvalOptions) => () => new Tensor(t.node).eval(opts).dispose();
    const legs: [string, EvalOptions, number][] = [['fused C', {}, runs ?? 9], ['unfused C', { fuse: false }, runs ?? 5]];
    if (reference) legs.push(['reference', { backend: 'ts' }, runs ?? 3]);
    const results = legs.map(([name, opts, n]) => [name, timed(evalOnce(opts), n), n] as const);
    const fused = results[0]![1];
    for (const [name, ms, n] of results) out(`${name.padEnd(10)} ${ms.toFixed(3).padStart(10)} ms  ${(ms / fused).toFixed(1).padStart(6)}×  median of ${n} run${n === 1 ? '' : 's'}`);
    out(`(evaluation only, after a warm-up run that compiles${reference ? '; --no-ref skips the reference' : ''})`);
  }));
  r.defineCommand('help', {
    help: '.help [name]  the REPL commands, or the documentation of a function or method (also ?name)',
    action(this: repl.REPLServer, name: string) {
      if (name.trim()) {
        out(helpText(name.trim()));
        this.displayPrompt();
      } else if (builtinHelp) builtinHelp.call(this, name);
      else this.displayPrompt();
    },
  });
}
