/**
 * The on-disk kernel cache. A library is named by the SHA-256 of everything that decides it (source,
 * ABI and package versions, compiler identity, flags, target, CPU features). Artifacts are written
 * under private temporary names (mode 0500/0600) and renamed into place, with a sidecar recording
 * their hash, so concurrent processes never see a partial file and a truncated or corrupt one is
 * detected and rebuilt. The directory is private (0700), every directory above it must be safe too,
 * and a library that is not ours (owner, mode) is never loaded. One process compiles a key at a time:
 * the others wait on `<key>.lock` (see tryLock).
 */
import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { config } from '../config.js';
import { CacheError } from '../errors.js';

/** Cache errors an eval can work around (by compiling into a private directory): I/O, not security. */
const recoverable = new WeakSet<Error>();
export const isRecoverable = (e: unknown): e is CacheError => e instanceof CacheError && recoverable.has(e);

/** What to do about an I/O error, by its code. */
function fixFor(code: string | undefined, message: string, dir: string): string {
  if (code === 'EROFS' || /read-only/i.test(message)) return 'the file system is read-only: set TENSORFUSE_CACHE_DIR to a writable directory';
  if (code === 'ENOSPC' || code === 'EDQUOT' || /No space|quota/i.test(message)) return `the disk is full: free some space, or run \`npx tensorfuse cache prune --max-mb 100\`, or set TENSORFUSE_CACHE_DIR elsewhere`;
  if (code === 'EACCES' || code === 'EPERM') return `fix the permissions of ${dir} (chmod 700), or set TENSORFUSE_CACHE_DIR to a directory of your own`;
  if (code === 'EISDIR') return 'a directory stands where a file belongs: remove it (npx tensorfuse cache clear)';
  if (code === 'ENOTDIR' || code === 'EEXIST') return `a file stands where the cache directory belongs: remove it, or set TENSORFUSE_CACHE_DIR to a directory`;
  if (/map segment|noexec/i.test(message)) return 'the file system is mounted noexec, so no library can be loaded from it: set TENSORFUSE_CACHE_DIR to a directory on a file system mounted with exec';
  return 'check the directory, or set TENSORFUSE_CACHE_DIR to another one';
}

/** A CacheError for a failed file operation on `path`, with a fix; evals work around it. */
export function ioError(path: string, what: string, cause: unknown): CacheError {
  const e = cause as { code?: string; message?: string };
  const message = typeof cause === 'string' ? cause : (e.message ?? String(cause));
  const err = new CacheError(`cannot ${what} ${path}: ${message}; ${fixFor(e.code, message, dirname(path))}`, { cause });
  recoverable.add(err);
  return err;
}

const safeAncestors = new Set<string>();
const checkedDirs = new Set<string>();

/**
 * Each directory above the cache must belong to us or root and be unwritable by others unless it has
 * the sticky bit (like /tmp): otherwise someone could rename the cache directory away and put their
 * own in its place. Checked once per directory per process.
 */
function checkAncestors(dir: string, uid: number): void {
  if (checkedDirs.has(dir)) return;
  let real: string;
  try { real = realpathSync(dir); } catch { return; }
  for (let p = dirname(real); ; p = dirname(p)) {
    if (!safeAncestors.has(p)) {
      const st = statSync(p);
      if (st.uid !== uid && st.uid !== 0) {
        throw new CacheError(`the kernel cache directory ${dir} is inside ${p}, which belongs to uid ${st.uid}, not to you (uid ${uid}) or root; its owner could replace the cache with their own libraries. Set TENSORFUSE_CACHE_DIR to a directory under your home`);
      }
      if ((st.mode & 0o022) && !(st.mode & 0o1000)) {
        throw new CacheError(`the kernel cache directory ${dir} is inside ${p}, which is writable by others (mode ${(st.mode & 0o777).toString(8)}, no sticky bit); another user could replace the cache with their own libraries. Run: chmod go-w ${p} (or chmod +t ${p}), or set TENSORFUSE_CACHE_DIR to a private directory`);
      }
      safeAncestors.add(p);
    }
    if (p === dirname(p)) break;
  }
  checkedDirs.add(dir);
}

/**
 * Creates the cache directory if needed and refuses one that another user could write to. An I/O
 * failure (read-only, not a directory) is a recoverable CacheError; an unsafe directory is not.
 */
export function cacheDir(): string {
  const dir = config().cacheDir;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (e) {
    throw ioError(dir, 'create the kernel cache directory', e);
  }
  const st = statSync(dir);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new CacheError(`the kernel cache directory ${dir} belongs to uid ${st.uid}, not to you (uid ${uid}); loading libraries from it would run someone else's code. Set TENSORFUSE_CACHE_DIR to a directory of your own`);
  }
  if (st.mode & 0o022) {
    throw new CacheError(`the kernel cache directory ${dir} is writable by others (mode ${(st.mode & 0o777).toString(8)}); another user could plant a library there. Run: chmod 700 ${dir}`);
  }
  if (uid !== undefined) checkAncestors(dir, uid);
  return dir;
}

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export interface Artifact {
  so: string;
  c: string;
}

export const artifactPaths = (dir: string, key: string): Artifact => ({ so: join(dir, `${key}.so`), c: join(dir, `${key}.c`) });

/**
 * The library for `key` if it is present and intact (its bytes match the recorded hash); a string
 * saying why when it is there but must not be loaded (not ours, or writable by others).
 */
export function lookup(dir: string, key: string): Artifact | string | undefined {
  const a = artifactPaths(dir, key);
  try {
    const st = lstatSync(a.so);
    if (!st.isFile()) return undefined;
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) return `belongs to uid ${st.uid}, not to you`;
    if (st.mode & 0o022) return `is writable by others (mode ${(st.mode & 0o777).toString(8)})`;
    const meta = JSON.parse(readFileSync(`${a.so}.json`, 'utf8')) as { sha256: string; size: number };
    const bytes = readFileSync(a.so);
    if (bytes.length === meta.size && sha256(bytes) === meta.sha256) return a;
  } catch {
    // missing, unreadable or corrupt: rebuilt by the caller
  }
  return undefined;
}

export const tempName = (path: string): string => `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;

/** A private temporary name for the source of `key` (ending in .c, so the compiler reads it as C). */
export const tempSource = (dir: string, key: string): string => join(dir, `${key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp.c`);

/** Writes a file that only we can read and write, under a new name (the caller renames or removes it). */
export function writePrivate(path: string, text: string): void {
  try {
    writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    removeQuietly(path);
    throw ioError(path, 'write', e);
  }
}

/**
 * Moves a freshly compiled and verified library (already mode 0500) into place with its hash record,
 * and its source beside it. A failure is a recoverable CacheError: the library is loaded already.
 */
export function commit(a: Artifact, tmpSo: string, tmpC: string): void {
  const metaTmp = tempName(`${a.so}.json`);
  try {
    const bytes = readFileSync(tmpSo);
    writeFileSync(metaTmp, JSON.stringify({ sha256: sha256(bytes), size: bytes.length }), { mode: 0o600 });
    renameSync(tmpSo, a.so);
    renameSync(metaTmp, `${a.so}.json`);
  } catch (e) {
    removeQuietly(metaTmp);
    throw ioError(a.so, 'store the compiled library', e);
  }
  try { renameSync(tmpC, a.c); } catch { /* the library is in place; its readable source is a convenience */ }
}

export function removeQuietly(path: string): void {
  try { unlinkSync(path); } catch { /* already gone */ }
}

/** Removes the files of one artifact (a bad library and its record). */
export function removeArtifact(a: Artifact): void {
  removeQuietly(a.so);
  removeQuietly(`${a.so}.json`);
}

/** Temporary files and locks younger than this may belong to a live compile: clear and prune keep them. */
export const STALE_MS = 3600_000;
const inFlight = (name: string): boolean => name.includes('.tmp') || name.endsWith('.lock');

/** Whether `name` in `dir` is a temp file or lock a live process may still be using. */
function young(dir: string, name: string): boolean {
  if (!inFlight(name)) return false;
  try { return Date.now() - statSync(join(dir, name)).mtimeMs < STALE_MS; } catch { return false; }
}

const swept = new Set<string>();
/** Removes temp files and locks left by killed processes (older than an hour), once per directory per process. */
export function sweepOnce(dir: string): void {
  if (swept.has(dir)) return;
  swept.add(dir);
  try {
    for (const f of readdirSync(dir)) if (inFlight(f) && !young(dir, f)) removeQuietly(join(dir, f));
  } catch {
    // unreadable: nothing to sweep
  }
}

/** Whether process `pid` exists (EPERM: it does, as another user's). */
export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
};

export interface Lock {
  release(): void;
}

/**
 * Takes `<key>.lock` (created exclusively, holding host and pid). A lock whose process is dead, or
 * older than `staleMs` (longer than any compile may take), is broken. Returns the lock, 'held' when a
 * live process holds it, 'ours' when this process does (an async compile of the same key: waiting
 * for it would block its completion), or 'none' when no lock can be made here (a read-only cache).
 */
export function tryLock(dir: string, key: string, staleMs: number, again = true): Lock | 'held' | 'ours' | 'none' {
  const path = join(dir, `${key}.lock`);
  const me = `${hostname()} ${process.pid}`;
  try {
    writeFileSync(path, `${me}\n`, { flag: 'wx', mode: 0o600 });
    return {
      release: () => {
        try { if (readFileSync(path, 'utf8').trim() === me) unlinkSync(path); } catch { /* removed by clear */ }
      },
    };
  } catch (e) {
    if ((e as { code?: string }).code !== 'EEXIST') return 'none';
  }
  let text: string, age: number;
  try {
    age = Date.now() - statSync(path).mtimeMs;
    text = readFileSync(path, 'utf8').trim();
  } catch {
    return again ? tryLock(dir, key, staleMs, false) : 'held';
  }
  if (text === me) return 'ours';
  // "host pid" (ours), or a bare pid (taken to be on this host).
  const [host, pidText] = text.includes(' ') ? text.split(' ') : [hostname(), text];
  const pid = Number(pidText);
  const dead = host === hostname() && Number.isInteger(pid) && pid > 0 && !isAlive(pid);
  // An empty lock is one being written right now, unless it is old.
  if (dead || age > staleMs || (text === '' && age > 2000)) {
    removeQuietly(path);
    return again ? tryLock(dir, key, staleMs, false) : 'held';
  }
  return 'held';
}

export interface CacheInfo {
  dir: string;
  libraries: number;
  bytes: number;
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (e) {
    throw ioError(dir, 'read the kernel cache directory', e);
  }
}

export function cacheInfo(): CacheInfo {
  const dir = cacheDir();
  let libraries = 0, bytes = 0;
  for (const f of entries(dir)) {
    try {
      bytes += statSync(join(dir, f)).size;
    } catch {
      continue; // removed meanwhile
    }
    if (f.endsWith('.so')) libraries++;
  }
  return { dir, libraries, bytes };
}

/**
 * Removes everything but what a live process may be writing right now (temp files and locks younger
 * than an hour). Processes that loaded a removed library keep using it; one that finds its library
 * gone compiles it again.
 */
export function clearCache(): void {
  const dir = cacheDir();
  for (const f of entries(dir)) {
    if (young(dir, f)) continue;
    try {
      rmSync(join(dir, f), { force: true, recursive: true });
    } catch (e) {
      throw ioError(join(dir, f), 'remove', e);
    }
  }
}

export { young as inUse };
