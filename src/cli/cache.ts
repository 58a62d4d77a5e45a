/** `tensorfuse cache info | clear | prune --max-mb N`. */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, cacheInfo, clearCache, inUse } from '../runtime/cache.js';

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/**
 * Removes whole artifacts (.c, .so, .so.json of one key), least recently used first, until under the
 * limit. Temp files and locks of live compiles are left alone; a running process that loaded a removed
 * library keeps it, and one that finds its library gone compiles it again.
 */
export function prune(maxBytes: number): { removed: number; bytes: number } {
  const dir = cacheDir();
  const groups = new Map<string, { files: string[]; bytes: number; used: number }>();
  for (const f of readdirSync(dir)) {
    if (f.startsWith('toolchain-') || inUse(dir, f)) continue; // the remembered compiler probe (tiny), live compiles
    const key = f.split('.')[0];
    let st;
    try {
      st = statSync(join(dir, f));
    } catch {
      continue; // removed meanwhile
    }
    const g = groups.get(key) ?? { files: [], bytes: 0, used: 0 };
    g.files.push(f);
    g.bytes += st.size;
    g.used = Math.max(g.used, st.atimeMs, st.mtimeMs);
    groups.set(key, g);
  }
  let total = [...groups.values()].reduce((n, g) => n + g.bytes, 0);
  let removed = 0;
  for (const g of [...groups.values()].sort((a, b) => a.used - b.used)) {
    if (total <= maxBytes) break;
    for (const f of g.files) rmSync(join(dir, f), { force: true, recursive: true });
    total -= g.bytes;
    removed++;
  }
  return { removed, bytes: total };
}

export function cacheCommand(args: string[]): number {
  const [sub, ...rest] = args;
  if (sub === 'info' || sub === undefined) {
    const info = cacheInfo();
    console.log(`cache directory: ${info.dir}\nlibraries:       ${info.libraries}\nsize:            ${mb(info.bytes)}`);
    return 0;
  }
  if (sub === 'clear') {
    const before = cacheInfo();
    clearCache();
    console.log(`removed ${before.libraries} libraries (${mb(before.bytes)}) from ${before.dir}`);
    return 0;
  }
  if (sub === 'prune') {
    const i = rest.indexOf('--max-mb');
    const limit = i >= 0 ? Number(rest[i + 1]) : NaN;
    if (!Number.isFinite(limit) || limit < 0) {
      console.error('usage: tensorfuse cache prune --max-mb N   (N ≥ 0: keep the most recently used libraries within N MB)');
      return 2;
    }
    const r = prune(limit * 2 ** 20);
    console.log(`removed ${r.removed} libraries; the cache now holds ${mb(r.bytes)} (limit ${limit} MB)`);
    return 0;
  }
  console.error(`tensorfuse cache: unknown subcommand ${JSON.stringify(sub)}; use info, clear or prune --max-mb N`);
  return 2;
}
