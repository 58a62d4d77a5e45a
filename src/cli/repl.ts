/**
 * `tensorfuse repl`: every export in scope, top-level await, results printed numpy-style (a lazy
 * result is evaluated for display), the dot commands of repl-commands.ts, `?name` for documentation,
 * history kept across sessions, and a TensorError shown as one line instead of a stack.
 *
 * Ctrl-C stops a long evaluation and keeps the session: a lazy result is evaluated for display inside
 * a top-level `await` of the REPL's own, so Node's REPL races it against Ctrl-C. On the C backend it
 * runs on a worker (evalAsync), which is abandoned (it finishes in the background, unused); on the
 * reference backend it runs in the evaluated script itself, which `breakEvalOnSigint` interrupts.
 * A synchronous `eval()` typed by the user inside a C kernel cannot be interrupted (native code).
 */
import type { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import readline from 'node:readline';
import repl from 'node:repl';
import { PassThrough } from 'node:stream';
import { inspect } from 'node:util';
import koffi from 'koffi';
import * as api from '../index.js';
import { TensorError } from '../errors.js';
import { backendFor } from '../realize.js';
import { Tensor } from '../tensor.js';
import { helpText } from './help.js';
import { defineCommands } from './repl-commands.js';

function historyFile(): string {
  if (process.env.TENSORFUSE_REPL_HISTORY) return process.env.TENSORFUSE_REPL_HISTORY;
  const state = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'tensorfuse', 'repl_history');
}

/** Results whose evaluation for display failed, with why (show prints the summary and the reason). */
const failed = new WeakMap<Tensor, Error>();

/** How a value is shown: tensors numpy-style (nested ones too, through their inspect.custom), the rest as Node would. */
function show(value: unknown): string {
  if (value instanceof Tensor) {
    const e = failed.get(value);
    return e ? `${e.name}: ${e.message}` : String(value);
  }
  return inspect(value, { colors: Boolean(process.stdout.isTTY), depth: 4 });
}

const isInterrupt = (e: unknown): boolean => (e as { code?: unknown })?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED';

/**
 * Completion hides what is not API: Object.prototype's members and the Tensor internals that
 * stripInternal keeps out of the .d.ts (and the private methods, which JavaScript still lists).
 */
const HIDDEN = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'node', 'base', 'indexed', 'release', 'storage', 'readThrough', 'assignThrough',
]);
export const visibleCompletion = (entry: string): boolean => {
  const name = entry.slice(entry.lastIndexOf('.') + 1);
  return entry === '' || (!HIDDEN.has(name) && !name.startsWith('_'));
};

/**
 * Piped input, one line at a time: the next line is given to the REPL only once it shows its prompt
 * again, so lines that arrive while a top-level await is pending wait for it (Node's REPL evaluates
 * piped lines at once, so `const m = await ...` followed by `m` printed nothing).
 */
function lineByLine(source: NodeJS.ReadableStream): { input: PassThrough; ready: () => void } {
  const input = new PassThrough();
  const queue: string[] = [];
  let ended = false, waiting = false;
  const ready = () => {
    const line = queue.shift();
    if (line !== undefined) input.write(`${line}\n`);
    else if (ended) input.end();
    else waiting = true;
  };
  const lines = readline.createInterface({ input: source, crlfDelay: Infinity });
  lines.on('line', (l) => { queue.push(l); if (waiting) { waiting = false; ready(); } });
  lines.on('close', () => { ended = true; if (waiting) { waiting = false; ready(); } });
  return { input, ready };
}

/** The name under which a pending display evaluation is reached from the REPL's context. */
const DISPLAY = Symbol.for('tensorfuse.repl.display');

export function startRepl(): Promise<number> {
  const interactive = Boolean(process.stdin.isTTY);
  const piped = interactive ? undefined : lineByLine(process.stdin);
  if (interactive) process.stdout.write(BANNER);
  const r = repl.start({
    prompt: interactive ? 'tf> ' : '', input: piped?.input ?? process.stdin, output: process.stdout, terminal: interactive,
    writer: show, ignoreUndefined: true, useGlobal: false, preview: false, breakEvalOnSigint: true,
  });
  Object.assign(r.context, api);
  if (piped) {
    const prompt = r.displayPrompt.bind(r);
    r.displayPrompt = (preserveCursor?: boolean) => { prompt(preserveCursor); piped.ready(); };
    piped.ready();
  }

  // A TensorError is a user mistake, not a crash: one line, without the stack (inspect.custom, for errors
  // nested in values too); `interrupted` for Ctrl-C during a synchronous evaluation.
  (TensorError.prototype as unknown as Record<symbol, unknown>)[inspect.custom] = function (this: TensorError) {
    return `${this.name}: ${this.message}`;
  };
  const domain = (r as unknown as { _domain?: EventEmitter })._domain;
  if (domain) {
    const node = domain.listeners('error') as ((e: unknown) => void)[];
    domain.removeAllListeners('error');
    domain.on('error', (e: unknown) => {
      if (!isInterrupt(e) && !(e instanceof TensorError)) return node.forEach((l) => l.call(domain, e));
      r.output.write(isInterrupt(e) ? 'interrupted\n' : `${(e as TensorError).name}: ${(e as TensorError).message}\n`);
      r.clearBufferedCommand();
      r.displayPrompt();
    });
  }

  let pending = 0; // display evaluations under way (an interrupted one goes on in the background)
  const evalCode = r.eval;
  type Done = (err: Error | null, result?: unknown) => void;
  (r as { eval: repl.REPLEval }).eval = function (this: repl.REPLServer, code: string, context: object, file: string, done: Done) {
    const asked = /^\s*\?\s*([\w$.]+)\s*$/.exec(code);
    if (asked) {
      r.output.write(`${helpText(asked[1]!)}\n`);
      return done(null);
    }
    const settle = (then: (value: unknown) => void): Done => (err, value) => {
      if (err && isInterrupt(err)) {
        r.output.write('interrupted\n');
        return done(null);
      }
      if (err) return done(err);
      then(value);
    };
    evalCode.call(this, code, context, file, settle((value) => {
      if (!(value instanceof Tensor) || value.isRealized || value.isDisposed) return done(null, value);
      // Evaluated for display inside an await of our own: Node races it against Ctrl-C and queues typed keys meanwhile.
      (context as Record<symbol, unknown>)[DISPLAY] = async () => {
        pending++;
        try {
          if (backendFor() === 'c') await value.evalAsync();
          else value.eval();
        } catch (e) {
          if (!(e instanceof TensorError)) throw e;
          failed.set(value, e);
        } finally {
          pending--;
        }
      };
      evalCode.call(this, `await globalThis[Symbol.for('tensorfuse.repl.display')]()`, context, file, settle(() => done(null, value)));
    }));
  } as repl.REPLEval;

  const complete = r.completer.bind(r);
  (r as unknown as { completer: typeof r.completer }).completer = ((line: string, cb: (err: Error | null, result?: [string[], string]) => void) =>
    complete(line, (err, result) => {
      if (err || !result) return cb(err ?? null);
      const [list, sub] = result as [string[], string];
      // Group separators ('') stay, but not two in a row or at the ends.
      const kept = list.filter(visibleCompletion).filter((e, i, a) => e !== '' || (i > 0 && i < a.length - 1 && a[i - 1] !== ''));
      cb(null, [kept, sub]);
    })) as typeof r.completer;

  defineCommands(r, r.commands.help?.action);

  const file = historyFile();
  try {
    mkdirSync(dirname(file), { recursive: true });
    r.setupHistory(file, () => {});
  } catch {
    // no history is not worth failing over
  }
  return new Promise((resolve) => r.on('exit', () => {
    if (pending > 0) setTimeout(exitNow, 200); // after the history's debounced write
    resolve(0);
  }));
}

/**
 * Ends the process while an interrupted kernel still runs on a libuv worker thread: process.exit would
 * wait for it (libuv joins its threads in a destructor at exit), so _exit skips the destructors.
 */
function exitNow(): void {
  try {
    koffi.load(null).func('void _exit(int)')(0);
  } catch {
    process.exit(0);
  }
}

const BANNER = `tensorfuse REPL: every export is in scope (tensor, arange, rand, ...). Try:
  const a = arange(5)
  a.mul(2).add(1)
  .c a.mul(2)          the kernels eval compiles (.c! the whole C file)
  .explain EXPR        the fusion plan      ?softmax    its documentation
  .time EXPR [runs]    fused vs unfused vs reference timings (--no-ref skips the reference)
  Ctrl-C stops a long evaluation; the session stays.
`;
