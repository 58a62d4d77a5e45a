/**
 * The on-disk kernel cache. A library is named by the SHA-256 of everything that decides it (source,
 * ABI and package versions, compiler identity, flags, target, CPU features). Artifacts are written
 * under a temporary name and renamed into place, with a sidecar recording their hash, so concurrent
 * processes never see a partial file and a truncated or corrupt one is detected and rebuilt. The
 * directory is private (0700) and a library is never loaded from a directory others can write to.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { config } from '../config.js';
import { CacheError } from '../errors.js';

/** Creates the cache directory if needed and refuses one that another user could write to. */
export function cacheDir(): string {
  const dir = config().cacheDir;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new CacheError(`cannot create the kernel cache directory ${dir}: ${(e as Error).message}. Set TENSORFUSE_CACHE_DIR to a writable directory`, { cause: e });
  }
  const st = statSync(dir);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new CacheError(`the kernel cache directory ${dir} belongs to uid ${st.uid}, not to you (uid ${uid}); loading libraries from it would run someone else's code. Set TENSORFUSE_CACHE_DIR to a directory of your own`);
  }
  if (st.mode & 0o022) {
    throw new CacheError(`the kernel cache directory ${dir} is writable by others (mode ${(st.mode & 0o777).toString(8)}); another user could plant a library there. Run: chmod 700 ${dir}`);
  }
  return dir;
}

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export interface Artifact {
  so: string;
  c: string;
}

export const artifactPaths = (dir: string, key: string): Artifact => ({ so: join(dir, `${key}.so`), c: join(dir, `${key}.c`) });

/** The library for `key` if it is present and intact (its bytes match the recorded hash). */
export function lookup(dir: string, key: string): Artifact | undefined {
  const a = artifactPaths(dir, key);
  try {
    const meta = JSON.parse(readFileSync(`${a.so}.json`, 'utf8')) as { sha256: string; size: number };
    const bytes = readFileSync(a.so);
    if (bytes.length === meta.size && sha256(bytes) === meta.sha256) return a;
  } catch {
    // missing, unreadable or corrupt: rebuilt by the caller
  }
  return undefined;
}

export const tempName = (path: string): string => `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;

/** Writes the source where the compiler and a user can read it; returns its path. */
export function writeSource(a: Artifact, source: string): void {
  if (existsSync(a.c) && readFileSync(a.c, 'utf8') === source) return;
  const tmp = tempName(a.c);
  writeFileSync(tmp, source, { mode: 0o600 });
  renameSync(tmp, a.c);
}

/** Moves a freshly compiled library into place with its hash record. */
export function commit(a: Artifact, tmpSo: string): void {
  const bytes = readFileSync(tmpSo);
  const metaTmp = tempName(`${a.so}.json`);
  writeFileSync(metaTmp, JSON.stringify({ sha256: sha256(bytes), size: bytes.length }), { mode: 0o600 });
  renameSync(tmpSo, a.so);
  renameSync(metaTmp, `${a.so}.json`);
}

export function removeQuietly(path: string): void {
  try { unlinkSync(path); } catch { /* already gone */ }
}

export interface CacheInfo {
  dir: string;
  libraries: number;
  bytes: number;
}

export function cacheInfo(): CacheInfo {
  const dir = cacheDir();
  let libraries = 0, bytes = 0;
  for (const f of readdirSync(dir)) {
    const st = statSync(join(dir, f));
    bytes += st.size;
    if (f.endsWith('.so')) libraries++;
  }
  return { dir, libraries, bytes };
}

export function clearCache(): void {
  const dir = cacheDir();
  for (const f of readdirSync(dir)) rmSync(join(dir, f), { force: true });
}
