/**
 * Helpers for tests that need a fresh Node process (a new process is the only way to see a disk-cache
 * hit, a once-per-process warning, or what loading libraries does to the process): build dist/ once,
 * run a small ESM script against dist/index.js, collect its exit, stdout and stderr.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Config, Tensor } from '../src/index.js';
import { configure, tensor } from '../src/index.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST_INDEX = join(ROOT, 'dist', 'index.js');

/** True when some file under src/ changed after its output in dist/ was written (or dist is missing). */
function distIsStale(): boolean {
  const walk = (dir: string): boolean => readdirSync(dir, { withFileTypes: true }).some((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return walk(p);
    if (!e.name.endsWith('.ts')) return false;
    const out = join(ROOT, 'dist', p.slice(join(ROOT, 'src').length).replace(/\.ts$/, '.js'));
    try {
      return statSync(out).mtimeMs < statSync(p).mtimeMs;
    } catch {
      return true;
    }
  });
  return walk(join(ROOT, 'src'));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Builds dist/ with tsc when it is older than src/. Test files run in parallel workers, so the build
 * holds a lock directory: the second file waits and then finds dist fresh instead of racing the writes.
 */
export async function ensureDist(): Promise<void> {
  const lock = join(tmpdir(), `tensorfuse-dist-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run would block forever: a build takes seconds, not minutes.
      try { if (Date.now() - statSync(lock).mtimeMs > 120_000) rmdirSync(lock); } catch { /* gone meanwhile */ }
      await sleep(100);
    }
  }
  try {
    if (!distIsStale()) return;
    await new Promise<void>((resolve, reject) => {
      execFile('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' }, (err, stdout, stderr) => {
        if (!err) return resolve();
        const report = `npx tsc -p tsconfig.json failed; the child-process tests need dist/:\n${stdout}${stderr}`;
        // tsc still emits on type errors, which `npm test` reports anyway (tsc --noEmit): only a missing
        // dist/ stops these tests; otherwise they run on what was emitted.
        if (!existsSync(DIST_INDEX)) return reject(new Error(report));
        process.stderr.write(`${report}\n`);
        resolve();
      });
    });
  } finally {
    rmdirSync(lock);
  }
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The last stdout line parsed as JSON (what the scripts print as their result). */
  json: any;
}

let scriptDir: string | undefined;
let scripts = 0;

/** Removes the scripts written by runNode (call from afterAll). */
export function removeScripts(): void {
  if (scriptDir) rmSync(scriptDir, { recursive: true, force: true });
  scriptDir = undefined;
}

/** The environment of a child: this one's, minus every setting a test did not ask for (OMP_* included). */
function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(CC|NODE_OPTIONS|TENSORFUSE_.*|OMP_.*|GOMP_.*)$/.test(k)) out[k] = v;
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Runs `body` as an ESM module in a new Node process with `tf` bound to dist/index.js. `body` prints
 * its result with `console.log(JSON.stringify(...))` as its last stdout line.
 */
export function runNode(body: string, env: Record<string, string | undefined>, timeoutMs = 30_000): Promise<ChildResult> {
  scriptDir ??= mkdtempSync(join(tmpdir(), 'tensorfuse-child-'));
  const file = join(scriptDir, `s${scripts++}.mjs`);
  writeFileSync(file, `import * as tf from ${JSON.stringify(pathToFileURL(DIST_INDEX).href)};\n${body}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop() ?? '';
      let json: unknown;
      try { json = JSON.parse(last); } catch { json = undefined; }
      resolve({ code, signal, stdout, stderr, json });
    });
  });
}

/** Describes a child's exit for assertion messages. */
export const describeChild = (r: ChildResult): string => `exit ${r.code} signal ${r.signal}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** A new private directory under the system temp dir; the caller removes it. */
export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `tensorfuse-${prefix}-`));

/** Writes an executable shell script (a stand-in compiler, say) and returns its path. */
export function script(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  chmodSync(p, 0o755);
  return p;
}

export const gccPath = (): string => execFileSync('sh', ['-c', 'command -v gcc'], { encoding: 'utf8' }).trim();

let graphs = 0;
/**
 * A graph no earlier test of this process has compiled (so it cannot be a memory-cache hit):
 * x + 1 + 1 ... then sqrt, with at least `base` additions.
 */
export function newGraph(base: number): { t: Tensor; expected: number[] } {
  const n = ++graphs + base;
  let t = tensor([0, 1, 2]);
  for (let i = 0; i < n; i++) t = t.add(1);
  return { t: t.sqrt(), expected: [0, 1, 2].map((v) => Math.sqrt(v + n)) };
}

/**
 * For a test file of real compiles: `settings` (gcc, no extra flags, the C backend explicitly, so that
 * with no compiler the tests fail instead of passing on the reference) pinned before every test, dist/
 * built once, and afterwards the environment's settings back, the child scripts and every directory
 * `freshDir` made removed, after `cleanup`. Returns `freshDir`.
 */
export function realCompiles(settings: Partial<Config>, cleanup = (): void => {}): (prefix: string) => string {
  const dirs: string[] = [];
  beforeAll(async () => {
    configure(settings);
    await ensureDist();
  }, 120_000);
  afterEach(() => { configure(settings); });
  afterAll(() => {
    configure(Object.fromEntries(Object.keys(settings).map((k) => [k, undefined])));
    removeScripts();
    cleanup();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return (prefix) => {
    const d = tempDir(prefix);
    dirs.push(d);
    return d;
  };
}
