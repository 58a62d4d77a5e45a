/**
 * The C toolchain: finding the compiler, what identifies it (for the cache key), and compiling a
 * translation unit into a shared library. Never -ffast-math: gcc then links crtfastmath.o, whose
 * constructor sets flush-to-zero on the thread that loads the library — Node's own double math would
 * silently change (SPEC §3).
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cacheDir } from './cache.js';
import { config } from '../config.js';
import { CompileError, CompilerNotFoundError, TensorError } from '../errors.js';

export interface Toolchain {
  /** The compiler command, split like a shell would (`ccache gcc` → ['ccache', 'gcc']). */
  argv: string[];
  /** `--version` output. */
  version: string;
  /** `-dumpmachine`: the target triple. */
  machine: string;
  /** What `-march=native` resolves to here (or the CPU flags when the compiler cannot say). */
  features: string;
}

/** -ffp-contract=off: a*b+c must round twice, as the reference does (no silent FMA contraction). */
export const BASE_FLAGS = ['-O3', '-march=native', '-fno-math-errno', '-ffp-contract=off', '-fPIC', '-shared', '-fopenmp', '-std=gnu11'];
/** nodelete: libgomp's worker threads outlive an unload otherwise, and the process crashes at exit. */
export const LINK_FLAGS = ['-Wl,-z,nodelete', '-lmvec', '-lm'];

/** Flags that make gcc link crtfastmath.o (-mdaz-ftz: gcc 13+). Checked on the split words, so quoting cannot hide one. */
const FORBIDDEN = new Set(['-ffast-math', '-Ofast', '-funsafe-math-optimizations', '-mdaz-ftz']);

function refuseFastMath(words: readonly string[], setting: string): void {
  const bad = words.find((w) => FORBIDDEN.has(w));
  if (bad !== undefined) {
    throw new TensorError(`${setting}: ${bad} is refused: it makes gcc link crtfastmath.o, which sets flush-to-zero for the whole Node process when the library loads. Remove it: tensorfuse already compiles with -O3 -march=native -fno-math-errno`);
  }
}

/** Splits a command line like a POSIX shell: whitespace separates, quotes and backslashes group. */
export function shellSplit(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") { quote = ch; has = true; }
    else if (ch === '\\' && i + 1 < text.length) { cur += text[++i]; has = true; }
    else if (/\s/.test(ch)) { if (has || cur) out.push(cur); cur = ''; has = false; }
    else cur += ch;
  }
  if (quote) throw new TensorError(`CC: unterminated ${quote} quote in ${JSON.stringify(text)}`);
  if (has || cur) out.push(cur);
  return out;
}

export function userFlags(): string[] {
  const flags = shellSplit(config().cflags);
  refuseFastMath(flags, 'TENSORFUSE_CFLAGS');
  return flags;
}

const toolchains = new Map<string, Toolchain>();

function run(argv: string[], args: string[]): string {
  return execFileSync(argv[0], [...argv.slice(1), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
}

/** The executable a command word runs (PATH search), or undefined. */
function which(word: string): string | undefined {
  const candidates = word.includes('/') ? [word] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, word));
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * What identifies a probe result without running the compiler: every command word's executable
 * (path, size, mtime, inode) and this CPU (model and flags, since -march=native depends on it).
 */
function probeStamp(argv: readonly string[]): string | undefined {
  const files = argv.map(which).filter((f): f is string => f !== undefined);
  if (files.length === 0) return undefined;
  const stats = files.map((f) => {
    const st = statSync(f);
    return `${f}:${st.size}:${st.mtimeMs}:${st.ino}`;
  });
  let cpu = '';
  try {
    cpu = readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => /^(model name|flags)\s*:/.test(l)).slice(0, 2).join('\n');
  } catch {
    cpu = 'unknown cpu';
  }
  return createHash('sha256').update([argv.join(' '), ...stats, cpu].join('\n')).digest('hex').slice(0, 32);
}

/**
 * Probes the configured compiler (about 15 ms of `--version`, `-dumpmachine`, `-Q --help=target`),
 * once per process, and remembers the answer in the cache directory for as long as the compiler's
 * files and the CPU are unchanged, so a new process that finds its kernels on disk starts in ~1 ms.
 */
export function toolchain(): Toolchain {
  const cc = config().cc;
  const hit = toolchains.get(cc);
  if (hit) return hit;
  const argv = shellSplit(cc);
  if (argv.length === 0) throw new CompilerNotFoundError('CC is empty; set it to a C compiler such as gcc');
  refuseFastMath(argv.slice(1), 'CC');
  const stamp = probeStamp(argv);
  if (stamp === undefined) {
    throw new CompilerNotFoundError(`no working C compiler: ${JSON.stringify(argv[0])} (from CC=${JSON.stringify(cc)}) is not an executable file or on PATH. Install gcc (apt-get install gcc) or set CC`);
  }
  const remembered = join(cacheDir(), `toolchain-${stamp}.json`);
  try {
    const tc = JSON.parse(readFileSync(remembered, 'utf8')) as Toolchain;
    if (tc.version && tc.machine && typeof tc.features === 'string') {
      const probed = { ...tc, argv };
      toolchains.set(cc, probed);
      return probed;
    }
  } catch {
    // not probed yet on this machine
  }
  const tc = probe(cc, argv);
  try {
    const tmp = `${remembered}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(tc), { mode: 0o600 });
    renameSync(tmp, remembered);
  } catch {
    // the next process probes again
  }
  toolchains.set(cc, tc);
  return tc;
}

function probe(cc: string, argv: string[]): Toolchain {
  let version: string, machine: string;
  try {
    version = run(argv, ['--version']).trim();
    machine = run(argv, ['-dumpmachine']).trim();
  } catch (e) {
    throw new CompilerNotFoundError(`no working C compiler: \`${cc} --version\` failed (${(e as Error).message.split('\n')[0]}). Install gcc (apt-get install gcc) or set CC`, { cause: e });
  }
  let features: string;
  try {
    features = run(argv, ['-march=native', '-Q', '--help=target'])
      .split('\n')
      .filter((l) => /-march=|-mtune=|\[enabled\]/.test(l))
      .map((l) => l.trim().replace(/\s+/g, ' '))
      .join('\n');
  } catch {
    features = cpuFlags();
  }
  return { argv, version, machine, features };
}

function cpuFlags(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('flags')) ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Everything besides the source that decides the compiled library. */
export function toolchainFingerprint(tc: Toolchain, flags: readonly string[]): string {
  return createHash('sha256').update([tc.argv.join(' '), tc.version, tc.machine, tc.features, flags.join(' ')].join('\n')).digest('hex');
}

/**
 * `-pipe` passes the assembly to the assembler through a pipe instead of a temporary file (10–20 ms of
 * a ~100 ms compile here); it changes nothing in the output, so it is not part of the cache key.
 */
function compileArgs(tc: Toolchain, flags: readonly string[], cPath: string, soPath: string): string[] {
  return [...tc.argv.slice(1), '-pipe', ...flags, '-o', soPath, cPath, ...LINK_FLAGS];
}

/** Markers the generator writes around user C, so a compile error can be reported against the user's lines. */
export const userBegin = (what: string): string => `/* tensorfuse:user-c begin ${what} */`;
export const USER_END = '/* tensorfuse:user-c end */';
const BEGIN = /tensorfuse:user-c begin (.*) \*\//;

/**
 * The first error, and when it falls inside user C (defineOp/defineKernel, between the markers the
 * generator writes), the user's own line quoted and numbered within their snippet.
 */
function compileError(stderr: string, cPath: string): CompileError {
  const lines = stderr.split('\n');
  const first = lines.find((l) => /\berror\b/.test(l)) ?? lines[0];
  const at = /:(\d+):(\d+): (?:fatal )?error: (.*)$/.exec(first);
  if (at) {
    let source: string[] = [];
    try { source = readFileSync(cPath, 'utf8').split('\n'); } catch { /* reported without the quote */ }
    const line = Number(at[1]) - 1;
    let begin = -1;
    for (let i = line; i >= 0 && i < source.length; i--) {
      if (source[i].includes(USER_END) && i !== line) break;
      const m = BEGIN.exec(source[i]);
      if (m) { begin = i; break; }
    }
    if (begin >= 0) {
      const what = BEGIN.exec(source[begin])![1];
      const userLine = line - begin;
      return new CompileError(`${what}: your C does not compile: ${at[3]}\n  line ${userLine}: ${source[line].trim()}\n(generated source: ${cPath})`, stderr, cPath);
    }
  }
  return new CompileError(`C compilation failed: ${first}\n(full source: ${cPath})`, stderr, cPath);
}

export function compileSync(tc: Toolchain, flags: readonly string[], cPath: string, soPath: string): void {
  try {
    execFileSync(tc.argv[0], compileArgs(tc, flags, cPath, soPath), { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 120_000 });
  } catch (e) {
    const err = e as { code?: string; stderr?: string; message: string };
    if (err.code === 'ENOENT') throw new CompilerNotFoundError(`the C compiler ${tc.argv[0]} disappeared`, { cause: e });
    throw compileError(err.stderr ?? err.message, cPath);
  }
}

export function compileAsync(tc: Toolchain, flags: readonly string[], cPath: string, soPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(tc.argv[0], compileArgs(tc, flags, cPath, soPath), { encoding: 'utf8', timeout: 120_000 }, (err, _out, stderr) => {
      if (!err) return resolve();
      if ((err as { code?: unknown }).code === 'ENOENT') reject(new CompilerNotFoundError(`the C compiler ${tc.argv[0]} disappeared`, { cause: err }));
      else reject(compileError(stderr || err.message, cPath));
    });
  });
}
