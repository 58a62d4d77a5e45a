/**
 * The C toolchain: finding the compiler, what identifies it (for the cache key), what it supports
 * (probed once, remembered on disk), and compiling a translation unit into a shared library with a
 * bounded run time. Never -ffast-math: gcc then links crtfastmath.o, whose constructor sets
 * flush-to-zero on the thread that loads the library — Node's own double math would silently change
 * (SPEC §3). The words refused here are the common spellings; the loader (ffi.ts) checks the
 * floating-point control register itself, which catches every other way of linking that object.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { cacheDir, ioError } from './cache.js';
import type { ToolRun } from './spawn.js';
import { runAsync, runSync } from './spawn.js';
import { config } from '../config.js';
import { CompileError, CompilerNotFoundError, TensorError } from '../errors.js';

/** What the toolchain was found to support (probed with tiny programs, see probeSupport). */
export interface Supports {
  /** `-fopenmp` compiles and links: kernels may run on several threads. */
  openmp: boolean;
  /** `-fopenmp-simd`: `#pragma omp simd` and `declare simd` are honoured (without threads). */
  openmpSimd: boolean;
  /** glibc's libmvec links (`-lmvec`): vector expf/logf/... for vectorized transcendentals. */
  libmvec: boolean;
  /** `-Wl,-z,nodelete`: keeps libgomp's threads' code mapped until exit. */
  nodelete: boolean;
  /** `-Wl,-z,defs`: an undefined symbol is a link error, not a load error. */
  zdefs: boolean;
  /** `-fuse-ld=gold`: binutils' gold links a kernel library in ~6 ms less than ld.bfd (of a ~85 ms compile). */
  gold: boolean;
}

export interface Toolchain {
  /** The compiler command, split like a shell would (`ccache gcc` → ['ccache', 'gcc']). */
  argv: string[];
  /** `--version` output. */
  version: string;
  /** `-dumpmachine`: the target triple. */
  machine: string;
  /** What `-march=native` resolves to here (or the CPU flags when the compiler cannot say). */
  features: string;
  supports: Supports;
}

/**
 * Flags every program is compiled with. -ffp-contract=off: a*b+c must round twice, as the reference
 * does (no silent FMA contraction). -Werror=implicit-function-declaration: gcc 12 only warns about a
 * call to an undeclared function, and the library would then fail to load.
 */
export const BASE_FLAGS = ['-O3', '-march=native', '-fno-math-errno', '-ffp-contract=off', '-fPIC', '-shared', '-std=gnu11', '-Werror=implicit-function-declaration'];

/** The compile flags for this toolchain: OpenMP (or just its SIMD pragmas) and libmvec when they work. */
export function toolchainFlags(tc: Toolchain): string[] {
  const omp = tc.supports.openmp ? ['-fopenmp'] : tc.supports.openmpSimd ? ['-fopenmp-simd'] : [];
  return [...BASE_FLAGS, ...omp, ...(tc.supports.libmvec ? ['-DTF_LIBMVEC'] : [])];
}

/**
 * nodelete: libgomp's worker threads outlive an unload otherwise, and the process crashes at exit.
 * defs: a library with an undefined symbol fails here, with the compiler's message, not at load.
 */
export function linkFlags(tc: Toolchain): string[] {
  const s = tc.supports;
  // gold names the output file in the library unless there is a soname: one fixed name keeps the
  // output the same for every temporary file it is written to (glibc tells libraries apart by path).
  return [...(s.gold ? ['-fuse-ld=gold', '-Wl,-soname,tensorfuse-kernels.so'] : []), ...(s.nodelete ? ['-Wl,-z,nodelete'] : []), ...(s.zdefs ? ['-Wl,-z,defs'] : []), ...(s.libmvec ? ['-lmvec'] : []), '-lm'];
}

/** Flags that make gcc link crtfastmath.o (-mdaz-ftz: gcc 13+). Checked on the split words, so quoting cannot hide one. */
const FORBIDDEN = new Set(['-ffast-math', '-Ofast', '-funsafe-math-optimizations', '-mdaz-ftz']);

/** Sanitizers whose runtime must be the first library in the process, and the file to preload. */
const PRELOADED: Record<string, string> = { address: 'libasan.so', hwaddress: 'libhwasan.so', thread: 'libtsan.so', leak: 'liblsan.so', memory: 'libmsan.so' };

/** Flags that stop the compiler before it links a library (named when the output does not load). */
const NOT_LINKING = new Set(['-E', '-S', '-c', '-fsyntax-only', '-M', '-MM']);

/** `words` with each `@file` replaced by the words in that file, as gcc reads them (unreadable files stay). */
function expandArgFiles(words: readonly string[], depth = 0): string[] {
  return words.flatMap((w) => {
    if (!w.startsWith('@') || depth > 8) return [w];
    try {
      return expandArgFiles(shellSplit(readFileSync(w.slice(1), 'utf8')), depth + 1);
    } catch {
      return [w];
    }
  });
}

function checkFlags(words: readonly string[], setting: string): void {
  const all = expandArgFiles(words);
  const bad = all.find((w) => FORBIDDEN.has(w));
  if (bad !== undefined) {
    throw new TensorError(`${setting}: ${bad} is refused: it makes gcc link crtfastmath.o, which sets flush-to-zero for the whole Node process when the library loads. Remove it: tensorfuse already compiles with -O3 -march=native -fno-math-errno`);
  }
  const sanitizers = all.filter((w) => w.startsWith('-fsanitize=')).flatMap((w) => w.slice('-fsanitize='.length).split(','));
  const needed = sanitizers.filter((s) => s in PRELOADED);
  if (needed.length === 0) return;
  let maps = '';
  try { maps = readFileSync('/proc/self/maps', 'utf8'); } catch { /* not Linux: refuse below */ }
  for (const s of needed) {
    const runtime = PRELOADED[s];
    if (maps.includes(`/${runtime}`)) continue;
    throw new TensorError(`${setting}: -fsanitize=${s} needs its runtime (${runtime}) loaded before anything else in the process, and this Node process did not start with it: loading such a library would abort Node. Run Node with the runtime preloaded, LD_PRELOAD=$(cc -print-file-name=${runtime}) node ... (ASAN_OPTIONS=detect_leaks=0 quiets Node's own leaks), or remove the flag`);
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
  checkFlags(flags, 'TENSORFUSE_CFLAGS');
  return flags;
}

const toolchains = new Map<string, Toolchain>();

function output(argv: string[], args: string[]): string {
  const r = runSync(argv, args);
  if (r.timedOut) throw new Error(`timed out after ${config().compileTimeout} s`);
  if (r.status !== 0) throw new Error(r.stderr.trim().split('\n')[0] || `exit status ${r.status}`);
  return r.stdout;
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

const SUPPORT_KEYS: readonly (keyof Supports)[] = ['openmp', 'openmpSimd', 'libmvec', 'nodelete', 'zdefs', 'gold'];

/**
 * Probes the configured compiler (`--version`, `-dumpmachine`, `-Q --help=target` and one tiny
 * library for its features), once per process, and remembers the answer in the cache directory for as
 * long as the compiler's files and the CPU are unchanged, so a new process that finds its kernels on
 * disk starts in ~1 ms.
 */
export function toolchain(): Toolchain {
  const cc = config().cc;
  const hit = toolchains.get(cc);
  if (hit) return hit;
  const argv = shellSplit(cc);
  if (argv.length === 0) throw new CompilerNotFoundError('CC is empty; set it to a C compiler such as gcc');
  checkFlags(argv.slice(1), 'CC');
  const stamp = probeStamp(argv);
  if (stamp === undefined) {
    throw new CompilerNotFoundError(`no working C compiler: ${JSON.stringify(argv[0])} (from CC=${JSON.stringify(cc)}) is not an executable file or on PATH. Install gcc (apt-get install gcc) or set CC`);
  }
  let remembered: string | undefined;
  try {
    remembered = join(cacheDir(), `toolchain-${stamp}.json`);
    const tc = JSON.parse(readFileSync(remembered, 'utf8')) as Toolchain;
    if (tc.version && tc.machine && typeof tc.features === 'string' && SUPPORT_KEYS.every((k) => typeof tc.supports?.[k] === 'boolean')) {
      const probed = { ...tc, argv };
      toolchains.set(cc, probed);
      return probed;
    }
  } catch {
    // not probed yet on this machine, or no usable cache directory (eval reports that)
  }
  const tc = probe(cc, argv);
  if (remembered) {
    const tmp = `${remembered}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(tc), { mode: 0o600 });
      renameSync(tmp, remembered);
    } catch {
      rmSync(tmp, { force: true }); // the next process probes again
    }
  }
  toolchains.set(cc, tc);
  return tc;
}

function probe(cc: string, argv: string[]): Toolchain {
  let version: string, machine: string;
  try {
    version = output(argv, ['--version']).trim();
    machine = output(argv, ['-dumpmachine']).trim();
  } catch (e) {
    throw new CompilerNotFoundError(`no working C compiler: \`${cc} --version\` failed (${(e as Error).message.split('\n')[0]}). Install gcc (apt-get install gcc) or set CC`, { cause: e });
  }
  let features: string;
  try {
    features = output(argv, ['-march=native', '-Q', '--help=target'])
      .split('\n')
      .filter((l) => /-march=|-mtune=|\[enabled\]/.test(l))
      .map((l) => l.trim().replace(/\s+/g, ' '))
      .join('\n');
  } catch {
    features = cpuFlags();
  }
  return { argv, version, machine, features, supports: probeSupport(argv) };
}

/** A program using everything probed: OpenMP (guarded, as the generated prelude is) and a libmvec call. */
const PROBE_C = `#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef TF_LIBMVEC
#pragma omp declare simd notinbranch
extern float expf(float);
#endif
#include <math.h>
int tf_probe_threads(void) {
#ifdef _OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}
void tf_probe_exp(float *x, int n) { for (int i = 0; i < n; i++) x[i] = expf(x[i]); }
int main(void) { float x[64] = {0}; tf_probe_exp(x, 64); return tf_probe_threads() > 0 && x[0] == 1.0f ? 0 : 1; }
`;

/**
 * What the toolchain supports. One library built with everything usually answers all (~60 ms, once
 * per toolchain: the answer is remembered with the probe); when it fails, each feature on its own.
 */
function probeSupport(argv: string[]): Supports {
  const dir = mkdtempSync(join(tmpdir(), 'tensorfuse-probe-'));
  const src = join(dir, 'tf-probe.c');
  writeFileSync(src, PROBE_C);
  const works = (flags: string[], link: string[], shared = true): boolean => {
    try {
      const r = runSync(argv, [...(shared ? ['-fPIC', '-shared'] : []), ...flags, '-o', join(dir, shared ? 'tf-probe.so' : 'tf-probe'), src, ...link]);
      return r.status === 0 && !r.timedOut;
    } catch {
      return false;
    }
  };
  const vector = ['-O3', '-march=native', '-fno-math-errno', '-DTF_LIBMVEC'];
  try {
    const all = ['-Wl,-z,nodelete', '-Wl,-z,defs', '-lmvec', '-lm'];
    if (works(['-fopenmp', ...vector], all)) {
      return { openmp: true, openmpSimd: true, libmvec: true, nodelete: true, zdefs: true, gold: works(['-fopenmp', ...vector], ['-fuse-ld=gold', ...all]) };
    }
    const zdefs = works([], ['-Wl,-z,defs', '-lm']);
    const nodelete = works([], ['-Wl,-z,nodelete', '-lm']);
    const openmp = works(['-fopenmp'], [...(zdefs ? ['-Wl,-z,defs'] : []), '-lm']);
    const openmpSimd = openmp || works(['-fopenmp-simd'], ['-lm']);
    // Without -z defs a shared library links with undefined symbols: link a program instead.
    const simd = openmpSimd ? [openmp ? '-fopenmp' : '-fopenmp-simd'] : [];
    const libmvec = zdefs ? works([...simd, ...vector], ['-Wl,-z,defs', '-lmvec', '-lm']) : works([...simd, ...vector], ['-lmvec', '-lm'], false);
    return { openmp, openmpSimd, libmvec, nodelete, zdefs, gold: false };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  return createHash('sha256').update([tc.argv.join(' '), tc.version, tc.machine, tc.features, flags.join(' '), linkFlags(tc).join(' ')].join('\n')).digest('hex');
}

/**
 * `-pipe` passes the assembly to the assembler through a pipe instead of a temporary file (10–20 ms of
 * a ~100 ms compile here); it changes nothing in the output, so it is not part of the cache key. The
 * source comes on stdin (`-x c -`): it is written under a private temporary name, and a name given to
 * the compiler ends up in the library, which would then differ from build to build.
 */
function compileArgs(tc: Toolchain, flags: readonly string[], soPath: string): string[] {
  return ['-pipe', ...flags, '-o', soPath, '-x', 'c', '-', '-x', 'none', ...linkFlags(tc)];
}

/** Markers the generator writes around user C, so a compile error can be reported against the user's lines. */
export const userBegin = (what: string): string => `/* tensorfuse:user-c begin ${what} */`;
export const USER_END = '/* tensorfuse:user-c end */';
const BEGIN = /tensorfuse:user-c begin (.*) \*\//;

/** The user-C snippet (name, line within it) that source line `line` (0-based) falls in, if any. */
function userLine(source: readonly string[], line: number): { what: string; at: number } | undefined {
  for (let i = line; i >= 0 && i < source.length; i--) {
    if (source[i].includes(USER_END) && i !== line) return undefined;
    const m = BEGIN.exec(source[i]);
    if (m) return { what: m[1], at: line - i };
  }
  return undefined;
}

/**
 * The first error, and when it falls inside user C (defineOp/defineKernel, between the markers the
 * generator writes), the user's own line quoted and numbered within their snippet. `readFrom` is the
 * file that was compiled, `shown` where the user finds it now.
 */
export function compileError(stderr: string, readFrom: string, shown: string): CompileError {
  let source: string[] = [];
  try { source = readFileSync(readFrom, 'utf8').split('\n'); } catch { /* reported without the quote */ }
  const text = stderr.split(readFrom).join(shown).split('<stdin>').join(shown);
  const lines = text.split('\n');
  const first = lines.find((l) => /\berror\b/.test(l) && !/^collect2:/.test(l)) ?? lines.find((l) => /undefined reference/.test(l)) ?? lines[0];
  const at = /:(\d+):(\d+): (?:fatal )?error: (.*)$/.exec(first);
  if (at) {
    const line = Number(at[1]) - 1;
    const user = userLine(source, line);
    if (user) return new CompileError(`${user.what}: your C does not compile: ${at[3]}\n  line ${user.at}: ${source[line].trim()}\n(generated source: ${shown})`, text, shown);
  }
  // A link error (-z defs): a name no linked library defines; quote the user's line that uses it.
  const undef = /undefined (?:reference to|symbol:?) [`'"]?([A-Za-z_][A-Za-z0-9_]*)/.exec(text);
  if (undef) {
    const name = undef[1];
    // The user's line that calls it (not the one declaring it), else any that names it.
    const inUser = (test: (l: string) => boolean): number => source.findIndex((l, i) => test(l) && userLine(source, i) !== undefined);
    const named = new RegExp(`\\b${name}\\b`);
    const calls = inUser((l) => new RegExp(`\\b${name}\\s*\\(`).test(l) && !/^\s*extern\b/.test(l));
    const line = calls >= 0 ? calls : inUser((l) => named.test(l));
    const user = line >= 0 ? userLine(source, line) : undefined;
    if (user) return new CompileError(`${user.what}: your C calls ${name}, which no linked library defines\n  line ${user.at}: ${source[line].trim()}\n(generated source: ${shown})`, text, shown);
    return new CompileError(`C compilation failed: ${name} is used but no linked library defines it\n(full source: ${shown})`, text, shown);
  }
  return new CompileError(`C compilation failed: ${first}\n(full source: ${shown})`, text, shown);
}

/** Compiler messages that mean the output could not be written: the cache's problem, not the C's. */
const CANNOT_WRITE = /No space left on device|Read-only file system|Disk quota exceeded/;

function failure(tc: Toolchain, flags: readonly string[], r: ToolRun, cPath: string, soPath: string, shown: string): Error | undefined {
  if (r.timedOut) {
    const cmd = [...tc.argv, ...compileArgs(tc, flags, soPath)].join(' ');
    return new CompileError(`the C compiler timed out after ${config().compileTimeout} s and was stopped, with every process it started: ${cmd}. Raise TENSORFUSE_COMPILE_TIMEOUT (or configure({ compileTimeout })) for a very large program, or check CC`, r.stderr, shown);
  }
  if (r.status === 0) return undefined;
  const cannot = r.stderr.split('\n').find((l) => CANNOT_WRITE.test(l) || (/Permission denied|Is a directory/.test(l) && l.includes(dirname(soPath))));
  if (cannot) return ioError(dirname(soPath), 'write a compiled library to', cannot.trim());
  return compileError(r.stderr || `the compiler exited with status ${r.status} and no message`, cPath, shown);
}

function notFound(tc: Toolchain, e: unknown): Error {
  if ((e as { code?: string }).code === 'ENOENT') return new CompilerNotFoundError(`the C compiler ${tc.argv[0]} disappeared`, { cause: e });
  return e as Error;
}

/** Compiles `cPath` (a private temporary file) into `soPath`; errors name `shown` as the source (where the .c is kept). */
export function compileSync(tc: Toolchain, flags: readonly string[], cPath: string, soPath: string, shown = cPath): void {
  let r: ToolRun;
  try {
    r = runSync(tc.argv, compileArgs(tc, flags, soPath), readFileSync(cPath, 'utf8'));
  } catch (e) {
    throw notFound(tc, e);
  }
  const err = failure(tc, flags, r, cPath, soPath, shown);
  if (err) throw err;
}

export async function compileAsync(tc: Toolchain, flags: readonly string[], cPath: string, soPath: string, shown = cPath): Promise<void> {
  let r: ToolRun;
  try {
    r = await runAsync(tc.argv, compileArgs(tc, flags, soPath), readFileSync(cPath, 'utf8'));
  } catch (e) {
    throw notFound(tc, e);
  }
  const err = failure(tc, flags, r, cPath, soPath, shown);
  if (err) throw err;
}

/** The error for a compiler run that succeeded but whose output does not load as our library. */
export function notALibrary(tc: Toolchain, flags: readonly string[], soPath: string, shown: string, reason: string): CompileError {
  const stop = flags.find((f) => NOT_LINKING.has(f));
  const cc = tc.argv.join(' ');
  const fix = stop !== undefined
    ? `TENSORFUSE_CFLAGS contains ${stop}, which stops the compiler before it links a shared library: remove it`
    : `CC (${cc}) must build a shared library from \`-shared -fPIC ... -o out.so file.c\`; check it, or set CC=gcc`;
  return new CompileError(`the compiler's output ${soPath} is not a loadable shared library (${reason}). ${fix}\n(source: ${shown})`, '', shown);
}
