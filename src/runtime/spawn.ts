/**
 * Running the compiler with a time limit. Each run gets a process group of its own (`detached`: a new
 * session, so its pid is the group id), and on timeout the whole group is killed: a compiler driver's
 * children (cc1, as, ld, or whatever a wrapper started) too, not just the driver.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { SpawnSyncOptionsWithStringEncoding } from 'node:child_process';
import { config } from '../config.js';

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Process groups of compilers still running, killed if Node exits first. */
const running = new Set<number>();
let exitHook = false;
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
}

/** Runs a tool, `input` on its stdin; gives up after the compile timeout, killing its process group. */
export function runSync(argv: readonly string[], args: readonly string[], input?: string): ToolRun {
  const seconds = config().compileTimeout;
  // Node's spawnSync honours `detached` (a new session, so the pid is the group id); its types omit it.
  const options: SpawnSyncOptionsWithStringEncoding & { detached: boolean } = {
    encoding: 'utf8', stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], input, detached: true, timeout: seconds * 1000, killSignal: 'SIGKILL', maxBuffer: 64 << 20,
  };
  const r = spawnSync(argv[0], [...argv.slice(1), ...args], options);
  const code = (r.error as { code?: string } | undefined)?.code;
  if (code === 'ETIMEDOUT') killGroup(r.pid);
  else if (r.error && code !== 'EPIPE') throw r.error; // EPIPE: it exited without reading the source
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut: code === 'ETIMEDOUT' };
}

export function runAsync(argv: readonly string[], args: readonly string[], input: string): Promise<ToolRun> {
  const seconds = config().compileTimeout;
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], [...argv.slice(1), ...args], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    child.stdin.on('error', () => { /* EPIPE: it exited without reading the source */ });
    child.stdin.end(input);
    let stdout = '', stderr = '', timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const pid = child.pid;
    if (pid !== undefined) {
      running.add(pid);
      if (!exitHook) {
        exitHook = true;
        process.on('exit', () => { for (const p of running) killGroup(p); });
      }
    }
    const timer = setTimeout(() => { timedOut = true; killGroup(pid); }, seconds * 1000);
    child.on('error', (e) => { clearTimeout(timer); if (pid !== undefined) running.delete(pid); reject(e); });
    child.on('close', (status) => {
      clearTimeout(timer);
      if (pid !== undefined) running.delete(pid);
      resolve({ status, stdout, stderr, timedOut });
    });
  });
}
