/**
 * Loading a compiled program and calling its one entry point through koffi. TypedArrays are passed as
 * pointers to their own memory: the C code reads inputs and writes outputs in place, no copies.
 */
import koffi from 'koffi';
import type { Storage } from '../dtype.js';
import { DIRECT_PARAMS } from '../codegen/c.js';

export type Entry = (s: Float64Array, z: BigInt64Array, ...bufs: Storage[]) => void;

export interface LoadedProgram {
  call: Entry;
  /** Per-kernel [ns, calls] pairs since the last read (profiled builds only). */
  profile?: (out: BigInt64Array) => void;
  /** Runs on a koffi worker thread; the callback gets an error or null. */
  callAsync: (args: unknown[], done: (err: unknown) => void) => void;
}

const loaded = new Map<string, LoadedProgram>();

/** Loads `so` (once per path: paths are content hashes) and declares `tf_program` with `nbufs` buffers. */
export function loadProgram(so: string, nbufs: number, profiled = false): LoadedProgram {
  const key = `${so}#${nbufs}`;
  const hit = loaded.get(key);
  if (hit) return hit;
  const lib = koffi.load(so);
  const direct = nbufs <= DIRECT_PARAMS;
  const params = ['const double *s', 'const int64_t *z', ...(direct ? Array.from({ length: nbufs }, (_, i) => `void *p${i}`) : ['void **pv'])];
  const fn = lib.func(`void tf_program(${params.join(', ')})`) as unknown as ((...a: unknown[]) => void) & { async: (...a: unknown[]) => void };
  // Many buffers: koffi builds the void** from a JS array of TypedArrays.
  const pack = (args: unknown[]): unknown[] => (direct ? args : [args[0], args[1], args.slice(2)]);
  const program: LoadedProgram = {
    call: (direct ? fn : (...args: unknown[]) => fn(...pack(args))) as unknown as Entry,
    callAsync: (args, done) => fn.async(...pack(args), (err: unknown) => done(err)),
    profile: profiled ? (lib.func('void tf_profile(int64_t *out)') as unknown as (out: BigInt64Array) => void) : undefined,
  };
  loaded.set(key, program);
  return program;
}

export const isLoaded = (so: string, nbufs: number): boolean => loaded.has(`${so}#${nbufs}`);
