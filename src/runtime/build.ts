/**
 * From a program's key to a verified, loaded library: loaded already in this process, or on disk, or
 * compiled — once per key in a process (async callers share one compile) and across processes (a lock
 * file per key; the others wait, then find it on disk).
 *
 *   key ─▶ loaded here? ─▶ on disk, ours (owner, mode, hash) and verified? ─▶ lock ─▶ on disk now?
 *       ─▶ write <key>.<pid>.<rand>.tmp.c ─▶ compile to <key>.so.<pid>.<rand>.tmp (mode 0500)
 *       ─▶ load and verify that temp file (FP register, tf_key, tf_program) ─▶ rename into place
 *
 * A library is loaded from its temporary name before the rename, so a rebuilt library never reuses a
 * path glibc has loaded before. When the cache cannot be written (read-only, full, noexec, a directory
 * where a file belongs), the build moves to a private temporary directory with one warning.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyFunction } from '../codegen/c.js';
import { config } from '../config.js';
import { CompileError, TensorError } from '../errors.js';
import { counters } from '../stats.js';
import type { Artifact } from './cache.js';
import { artifactPaths, cacheDir, commit, ioError, isAlive, isRecoverable, lookup, removeArtifact, removeQuietly, sweepOnce, tempName, tempSource, tryLock, writePrivate } from './cache.js';
import type { Toolchain } from './compiler.js';
import { compileAsync, compileError, compileSync, notALibrary } from './compiler.js';
import type { LoadedProgram } from './ffi.js';
import { LoadFailure, loadProgram } from './ffi.js';

/** What build needs to know about one program. */
export interface Job {
  key: string;
  source: string;
  tc: Toolchain;
  flags: string[];
  /** The cache directory (or the private one, when it is unusable). */
  dir: string;
  nbufs: number;
  profiled: boolean;
}

export interface Built {
  lib: LoadedProgram;
  /** Where its files are (the source is kept beside the library, for reading and error messages). */
  a: Artifact;
}

const warn = (msg: string): void => { process.emitWarning(msg, 'TensorfuseWarning'); };

/** Libraries loaded in this process, by key: verified once, never loaded twice. */
const libraries = new Map<string, Built>();
export const loaded = (key: string): Built | undefined => libraries.get(key);

let privateDir: string | undefined;
/** Cache directories that failed (I/O) in this process: builds go to the private directory instead. */
const broken = new Set<string>();

function fallback(dir: string, e: TensorError): string {
  if (!privateDir) {
    sweepPrivateDirs();
    const mine = (privateDir = mkdtempSync(join(tmpdir(), `tensorfuse-private-${process.pid}-`)));
    process.on('exit', () => rmSync(mine, { recursive: true, force: true }));
  }
  if (!broken.has(dir)) {
    broken.add(dir);
    warn(`${e.name}: ${e.message}. Until that is fixed, this process compiles its kernels into ${privateDir} (removed at exit)`);
  }
  return privateDir;
}

/** Removes the private directories of processes that died without their exit handler (kill -9). */
function sweepPrivateDirs(): void {
  try {
    for (const name of readdirSync(tmpdir())) {
      const pid = Number(/^tensorfuse-private-(\d+)-/.exec(name)?.[1]);
      if (!pid || pid === process.pid || isAlive(pid)) continue;
      const path = join(tmpdir(), name);
      if (statSync(path).uid === process.getuid?.()) rmSync(path, { recursive: true, force: true });
    }
  } catch {
    // best effort
  }
}

/**
 * The cache directory (a read-only one still serves its libraries), or the private one (with a
 * warning, once) when it cannot be created or is not a directory.
 */
export function usableDir(): string {
  try {
    return cacheDir();
  } catch (e) {
    if (!isRecoverable(e)) throw e;
    return fallback(config().cacheDir, e);
  }
}

/** The directory new libraries are written to. */
const writableDir = (dir: string): string => (broken.has(dir) ? privateDir! : dir);

/**
 * The library for `job` on disk, loaded and verified; undefined when it is not there. One that is
 * there but not ours (owner, mode, wrong key, not loadable) is removed with a warning, and rebuilt.
 */
export function fromDisk(job: Job): Built | undefined {
  const found = lookup(job.dir, job.key);
  if (found === undefined) return undefined;
  const a = artifactPaths(job.dir, job.key);
  if (typeof found === 'string') {
    warn(`the cached library ${a.so} ${found}, so tensorfuse does not load it; it is removed and built again`);
    removeArtifact(a);
    return undefined;
  }
  try {
    const built = { lib: loadProgram(a.so, job.key, job.nbufs, job.profiled), a };
    libraries.set(job.key, built);
    return built;
  } catch (e) {
    if (!(e instanceof LoadFailure)) throw e;
    if (e.kind === 'missing' || e.kind === 'noexec') return undefined; // removed by `cache clear`; or the build moves elsewhere
    removeArtifact(a);
    if (e.kind === 'fpenv') throw new TensorError(`the cached library ${a.so} was refused and removed: ${e.message}`);
    warn(`the cached library ${a.so} is not usable (${e.message}); it is removed and built again`);
    return undefined;
  }
}

/** A temporary source and output in `dir`, the source written (with its key function appended). */
function stage(job: Job, dir: string): { c: string; so: string; a: Artifact } {
  const a = artifactPaths(dir, job.key);
  const c = tempSource(dir, job.key);
  writePrivate(c, job.source + keyFunction(job.key));
  return { c, so: tempName(a.so), a };
}

/** After a successful compile: make the output private, load and verify it, move it into place. */
function install(job: Job, t: { c: string; so: string; a: Artifact }): Built {
  if (!existsSync(t.so)) throw notALibrary(job.tc, job.flags, t.so, t.a.c, 'the compiler wrote no output file');
  try {
    chmodSync(t.so, 0o500);
  } catch (e) {
    throw ioError(t.so, 'set the mode of', e);
  }
  let lib: LoadedProgram;
  try {
    lib = loadProgram(t.so, job.key, job.nbufs, job.profiled);
  } catch (e) {
    if (!(e instanceof LoadFailure)) throw e;
    if (e.kind === 'noexec') throw ioError(t.so, 'load a library from', e.message);
    if (e.kind === 'fpenv') throw new TensorError(`the library compiled for this program was refused: ${e.message} (CC=${config().cc}, TENSORFUSE_CFLAGS=${JSON.stringify(config().cflags)})`);
    // Without -z defs (a linker that lacks it) an undefined function shows up here: quote the user's line.
    if (/undefined symbol/.test(e.message)) throw compileError(e.message, t.c, t.a.c);
    throw notALibrary(job.tc, job.flags, t.so, t.a.c, e.message.split('\n')[0]);
  }
  const built = { lib, a: t.a };
  libraries.set(job.key, built);
  try {
    commit(t.a, t.so, t.c);
  } catch (e) {
    // Loaded already: this eval works; the next process compiles again (and the warning says why).
    if (!isRecoverable(e)) throw e;
    fallback(job.dir, e);
  }
  return built;
}

/** Keeps the source that failed to compile where the error message says it is. */
function keepSource(t: { c: string; a: Artifact }, e: unknown): unknown {
  if (e instanceof CompileError) {
    try {
      renameSync(t.c, t.a.c);
      return e;
    } catch {
      return new CompileError(e.message.split(t.a.c).join(t.c), e.stderr.split(t.a.c).join(t.c), t.c);
    }
  }
  return e;
}

const staleMs = (): number => config().compileTimeout * 1000 + 5000;

/**
 * What a build asks of whoever drives it: run the compiler on staged files, or wait a moment for
 * another process's lock. The build itself (below) is written once as a generator of these requests;
 * buildSync and buildAsync only differ in how they compile and wait.
 */
type Request = { compile: { c: string; so: string; a: Artifact } } | { wait: true };
type Steps = Generator<Request, Built, void>;

/** One build attempt in `dir`; temp files never outlive it. */
function* attempt(job: Job, dir: string): Steps {
  const t = stage(job, dir);
  try {
    yield { compile: t };
    return install(job, t);
  } catch (e) {
    throw keepSource(t, e);
  } finally {
    removeQuietly(t.c);
    removeQuietly(t.so);
  }
}

/** An attempt in the cache, and once more in the private directory when the cache failed it. */
function* withFallback(job: Job): Steps {
  const dir = writableDir(job.dir);
  try {
    return yield* attempt(job, dir);
  } catch (e) {
    if (!isRecoverable(e) || dir === privateDir) throw e;
    return yield* attempt(job, fallback(job.dir, e));
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));
const sleepSync = (ms: number): void => { Atomics.wait(pause, 0, 0, ms); };
const POLL_MS = 20;

function counted<T extends Built | undefined>(built: T, t0: number, compiled: boolean): T {
  if (!built) return built;
  if (compiled) {
    counters.compiles++;
    counters.compileMs += performance.now() - t0;
  } else counters.diskHits++;
  return built;
}

/**
 * The whole build of `job`: found on disk once another process has built it, or compiled under the
 * lock. Waiting on another process's lock is bounded by the compile timeout; a lock of a dead process
 * is broken at once.
 */
function* building(job: Job): Steps {
  sweepOnce(job.dir);
  const t0 = performance.now();
  const until = Date.now() + staleMs();
  for (;;) {
    const lock = tryLock(writableDir(job.dir), job.key, staleMs());
    if (typeof lock === 'object') {
      try {
        return counted(fromDisk(job), t0, false) ?? counted(yield* withFallback(job), t0, true);
      } finally {
        lock.release();
      }
    }
    // 'ours': an async compile of this key in this process, which a synchronous wait would never see end.
    if (lock !== 'held' || Date.now() > until) return counted(yield* withFallback(job), t0, true);
    yield { wait: true };
    const found = fromDisk(job);
    if (found) return counted(found, t0, false);
  }
}

/** Compiles `job` (or finds it on disk once another process has), synchronously. */
export function buildSync(job: Job): Built {
  const steps = building(job);
  for (let r = steps.next(); ; ) {
    if (r.done) return r.value;
    const req = r.value;
    if ('wait' in req) {
      sleepSync(POLL_MS);
      r = steps.next();
      continue;
    }
    try {
      compileSync(job.tc, job.flags, req.compile.c, req.compile.so, req.compile.a.c);
    } catch (e) {
      r = steps.throw(e);
      continue;
    }
    r = steps.next();
  }
}

const inflight = new Map<string, Promise<Built>>();

/** Like buildSync without blocking; concurrent calls for one key in this process share one build. */
export function buildAsync(job: Job): Promise<Built> {
  const running = inflight.get(job.key);
  if (running) return running;
  const build = (async () => {
    const steps = building(job);
    for (let r = steps.next(); ; ) {
      if (r.done) return r.value;
      const req = r.value;
      if ('wait' in req) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        r = steps.next();
        continue;
      }
      try {
        await compileAsync(job.tc, job.flags, req.compile.c, req.compile.so, req.compile.a.c);
      } catch (e) {
        r = steps.throw(e);
        continue;
      }
      r = steps.next();
    }
  })();
  inflight.set(job.key, build);
  const done = (): void => { inflight.delete(job.key); };
  build.then(done, done);
  return build;
}
