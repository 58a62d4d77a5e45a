/**
 * Loading a compiled program and calling its one entry point through koffi. TypedArrays are passed as
 * pointers to their own memory: the C code reads inputs and writes outputs in place, no copies.
 *
 * A library is ours only if, right after loading, (1) the floating-point control register is as Node
 * needs it (no flush-to-zero, denormals-are-zero or changed rounding: crtfastmath.o's constructor, or
 * any other, may have set them; they are cleared again and the library refused), and (2) it reports
 * the key it was built for. Every call then checks the register inside C (tf_program's status).
 */
import koffi from 'koffi';
import { DIRECT_PARAMS } from '../codegen/c.js';

type KoffiLib = ReturnType<typeof koffi.load>;

/**
 * Calls tf_program with an argument list (the header: thread count, sizes and scalars; then the
 * buffers). Returns 0, or nonzero when the call changed the floating-point control register (restored in C).
 */
export type Entry = (args: readonly unknown[]) => number;

export interface LoadedProgram {
  call: Entry;
  /** Per-kernel [ns, calls] pairs since the last read (profiled builds only). */
  profile?: (out: BigInt64Array) => void;
  /** Runs on a koffi worker thread; the callback gets an error or null, and tf_program's status. */
  callAsync: (args: unknown[], done: (err: unknown, status: number) => void) => void;
}

/** Why a file was not loaded: the caller decides between rebuilding, another directory, or an error. */
export class LoadFailure extends Error {
  constructor(
    readonly kind: 'missing' | 'noexec' | 'unloadable' | 'foreign' | 'fpenv',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Control bits Node needs clear: x86-64 MXCSR FTZ 0x8000, rounding 0x6000, DAZ 0x0040; aarch64 FPCR
 * FZ (bit 24) and RMode (bits 22–23). The generated tf_fpenv() drops x86's sticky exception flags.
 */
const FP_BAD = process.arch === 'x64' || process.arch === 'ia32' ? 0xe040 : process.arch === 'arm64' ? 0x1c00000 : 0;
/** x86 exception masks Node runs with (all masked): an unmasked one would trap. */
const FP_MASKS = process.arch === 'x64' || process.arch === 'ia32' ? 0x1f80 : 0;
const fpWrong = (env: number): boolean => (env & FP_BAD) !== 0 || (env & FP_MASKS) !== FP_MASKS;

interface FpEnv {
  get: () => number;
  set: (v: number) => void;
}
/** The register accessors of the first library verified: they check and repair a library lacking its own. */
let known: FpEnv | undefined;

function tryFunc(lib: KoffiLib, decl: string): ((...a: unknown[]) => unknown) | undefined {
  try {
    return lib.func(decl) as unknown as (...a: unknown[]) => unknown;
  } catch {
    return undefined;
  }
}

function describeFp(env: number): string {
  const what = [];
  if (process.arch === 'arm64') {
    if (env & 0x1000000) what.push('flush-to-zero');
    if (env & 0xc00000) what.push('a rounding mode other than to-nearest');
  } else {
    if (env & 0x8000) what.push('flush-to-zero');
    if (env & 0x0040) what.push('denormals-are-zero');
    if (env & 0x6000) what.push('a rounding mode other than to-nearest');
    if ((env & FP_MASKS) !== FP_MASKS) what.push('floating-point traps');
  }
  return `${what.join(', ')} (control register 0x${env.toString(16)})`;
}

/**
 * Loads `so` and checks it is the library built for `key`, then declares `tf_program` with `nbufs`
 * buffers. Throws a LoadFailure saying why it is not usable. Each path is loaded once (glibc would
 * hand back the old handle for a path loaded before), so the caller loads a fresh build from its
 * temporary name.
 */
export function loadProgram(so: string, key: string, nbufs: number, profiled = false): LoadedProgram {
  // Read through a library verified before, when there is one: a mode that was wrong before this load is not its doing.
  const before = known?.get();
  let lib: KoffiLib;
  try {
    lib = koffi.load(so);
  } catch (e) {
    const msg = (e as Error).message;
    const kind = /No such file/.test(msg) ? 'missing' : /failed to map segment|Operation not permitted/.test(msg) ? 'noexec' : 'unloadable';
    throw new LoadFailure(kind, msg);
  }
  const get = tryFunc(lib, 'unsigned int tf_fpenv(void)');
  const set = tryFunc(lib, 'void tf_fpenv_set(unsigned int)');
  const fp: FpEnv | undefined = get && set ? { get: get as () => number, set: set as (v: number) => void } : known;
  if (fp) {
    const env = fp.get();
    if (fpWrong(env) && (before === undefined || env !== before)) {
      fp.set((env & ~FP_BAD) | FP_MASKS);
      throw new LoadFailure('fpenv', `loading it switched Node's floating-point mode to ${describeFp(env)}: it was linked with crtfastmath.o (-ffast-math, -Ofast, or that object given some other way, such as -Wl, -Xlinker, -specs or an @file) or has a constructor that does the same. tensorfuse restored the register and refuses the library; remove the flag that links it`);
    }
  }
  if (!get || !set) throw new LoadFailure('foreign', 'it does not export tf_fpenv, so tensorfuse did not build it');
  const reported = tryFunc(lib, 'const char *tf_key(void)');
  if (!reported) throw new LoadFailure('foreign', 'it does not export tf_key, so tensorfuse did not build it');
  const found = String(reported());
  if (found !== key) throw new LoadFailure('foreign', `it was built for key ${found.slice(0, 16)}…, not ${key.slice(0, 16)}…: another kernel's library was put in its place`);
  const direct = nbufs <= DIRECT_PARAMS;
  const params = ['const int64_t *z', ...(direct ? Array.from({ length: nbufs }, (_, i) => `void *p${i}`) : ['void **pv'])];
  const fn = tryFunc(lib, `int tf_program(${params.join(', ')})`) as (((...a: unknown[]) => number) & { async: (...a: unknown[]) => void }) | undefined;
  if (!fn) throw new LoadFailure('foreign', 'it does not export tf_program');
  known ??= fp;
  // Many buffers: koffi builds the void** from a JS array of TypedArrays.
  const pack = (args: readonly unknown[]): readonly unknown[] => (direct ? args : [args[0], args.slice(1)]);
  return {
    call: direct ? spreadFor(fn, 1 + nbufs) : (args) => fn(...pack(args)),
    callAsync: (args, done) => fn.async(...pack(args), (err: unknown, status: number) => done(err, status)),
    profile: profiled ? (tryFunc(lib, 'void tf_profile(int64_t *out)') as unknown as (out: BigInt64Array) => void) : undefined,
  };
}

/**
 * `(args) => fn(...args)` for a fixed count: small programs get a closure naming each argument, since a
 * spread call cost ~15 ns of a ~120 ns koffi call with 5 arguments here (bench/RESULTS.md, 2026-12-06).
 */
function spreadFor(fn: (...a: unknown[]) => number, count: number): Entry {
  switch (count) {
    case 2: return (a) => fn(a[0], a[1]);
    case 3: return (a) => fn(a[0], a[1], a[2]);
    case 4: return (a) => fn(a[0], a[1], a[2], a[3]);
    case 5: return (a) => fn(a[0], a[1], a[2], a[3], a[4]);
    case 6: return (a) => fn(a[0], a[1], a[2], a[3], a[4], a[5]);
    case 7: return (a) => fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    case 8: return (a) => fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    default: return (a) => fn(...a);
  }
}
