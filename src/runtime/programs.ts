/**
 * Compiled programs: graph → canonical key → (memory hit, or schedule → C → disk hit or compile).
 *
 * Two cache levels: programs in memory by structural key (a hit generates no C at all), libraries on
 * disk by source hash (a hit compiles nothing; build.ts).
 */
import { readFileSync } from 'node:fs';
import { config } from '../config.js';
import type { Storage } from '../dtype.js';
import type { Arg, Node } from '../graph.js';
import { argKey, Bounded } from '../graph.js';
import { generateC, ABI_VERSION } from '../codegen/c.js';
import type { Alias, GeneratedC } from '../codegen/c.js';
import { decisionLines } from '../codegen/lower.js';
import type { BufferInfo, Canonical, Program } from '../schedule.js';
import { schedule } from '../schedule.js';
import { counters } from '../stats.js';
import type { Built, Job } from './build.js';
import { buildAsync, buildSync, fromDisk, loaded, usableDir } from './build.js';
import { sha256 } from './cache.js';
import type { Toolchain } from './compiler.js';
import { toolchain, toolchainFingerprint, toolchainFlags, userFlags } from './compiler.js';
import { debug } from './debug.js';
import type { LoadedProgram } from './ffi.js';

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * What a compiled program needs of its schedule to be called: buffers and result names, no graph. A
 * cached program must not hold nodes: they would keep the storage of the first inputs it ran on alive
 * for as long as the program stays cached.
 */
export interface ProgramLayout {
  inputs: BufferInfo[];
  outputs: BufferInfo[];
  temps: BufferInfo[];
  results: string[];
  kernels: string[];
}

const layoutOf = (p: Program): ProgramLayout => ({
  inputs: p.inputs, outputs: p.outputs, temps: p.temps, results: p.results, kernels: p.kernels.map((k) => k.name),
});

export interface Compiled {
  program: ProgramLayout;
  c: GeneratedC;
  /** Path of the C file, kept next to the library for reading and for error messages. */
  cPath: string;
  soPath: string;
  key: string;
  lib: LoadedProgram;
  /** Workspace for temporaries, planned once per program and reused by synchronous calls (see workspaceOf). */
  workspace?: Storage[];
}

/** Programs in memory by structural key, the least recently used dropped past MAX_PROGRAMS. */
const programs = new Bounded<Compiled>(512);

/** The memory-cache key: the graph, plus the settings that decide its library and can change between evals. */
function memoKey(canon: Canonical): string {
  const { cc, cflags, profile } = config();
  return `${canon.key}\n${cc}\n${cflags}${profile ? '\nprofile' : ''}`;
}

export interface Plan {
  program: Program;
  c: GeneratedC;
  tc: Toolchain;
  flags: string[];
  key: string;
  dir: string;
}

export const kernelNames = (p: { kernels: readonly (string | { name: string })[] }): string =>
  p.kernels.map((k) => (typeof k === 'string' ? k : k.name)).join(', ');

export function plan(outputs: readonly Node[], canon: Canonical, fuse: boolean, alias?: Alias, into?: readonly number[]): Plan {
  let program = schedule(outputs, canon, fuse, alias?.store, into);
  let c = generateC(program, alias, config().profile);
  // In-place writes the generated code cannot prove safe are dropped (those outputs get buffers of
  // their own), all of them when an index check could fail after one began: each drop removes one.
  while (into && (c.inPlaceUnsafe.length || c.checkedAfterInPlace)) {
    const unsafe = new Set(c.inPlaceUnsafe);
    into = into.map((k) => (c.checkedAfterInPlace || unsafe.has(`in${k}`) ? -1 : k));
    program = schedule(outputs, canon, fuse, alias?.store, into);
    c = generateC(program, alias, config().profile);
  }
  const tc = toolchain();
  const flags = [...toolchainFlags(tc), ...userFlags()];
  const key = sha256([c.source, `abi ${ABI_VERSION}`, `tensorfuse ${PACKAGE_VERSION}`, toolchainFingerprint(tc, flags)].join('\n'));
  debug(3, () => `schedule: ${program.kernels.map((k) => `${k.name} [${k.ops.join(' ')}]${k.flat ? ' flat' : ''}`).join('; ')}`);
  debug(3, () => `decisions:\n  ${decisionLines(c.lowered).join('\n  ')}`);
  debug(4, () => `C source (${key.slice(0, 12)}):\n${c.source}`);
  return { program, c, tc, flags, key, dir: usableDir() };
}

const jobOf = (p: Plan): Job => ({ key: p.key, source: p.c.source, tc: p.tc, flags: p.flags, dir: p.dir, nbufs: p.c.params.length, profiled: p.c.profiled.length > 0 });

/** What is left to do for a program not yet in memory: maybe compile, then remember it. */
interface Pending {
  memo: string;
  p: Plan;
  /** The verified library, when it was loaded already or found on disk. */
  built?: Built;
}

/** The program from memory, or what remains to get it (counting memory and disk hits). */
function find(outputs: readonly Node[], canon: Canonical, fuse: boolean, alias?: Alias, into?: readonly number[]): Compiled | Pending {
  let memo = alias ? `${memoKey(canon)}\ninto ${alias.out}=${alias.inputs.join(',')}${alias.store ? ` at ${argKey(alias.store as unknown as Arg)}` : ''}` : memoKey(canon);
  if (into) memo += `\nwrites ${into.join(',')}`;
  const hit = programs.get(memo);
  if (hit) {
    counters.memoryHits++;
    return hit;
  }
  const p = plan(outputs, canon, fuse, alias, into);
  let built = loaded(p.key);
  if (built) counters.memoryHits++;
  else if ((built = fromDisk(jobOf(p)))) {
    counters.diskHits++;
    debug(1, () => `disk cache hit ${p.key.slice(0, 12)}`);
  }
  return { memo, p, built };
}

/** Remembers the program of a found or freshly built library. */
function complete(job: Pending, built: Built): Compiled {
  const again = programs.get(job.memo); // an async compile of the same program may have finished first
  if (again) return again;
  const { p } = job;
  const compiled = { program: layoutOf(p.program), c: p.c, cPath: built.a.c, soPath: built.a.so, key: p.key, lib: built.lib };
  programs.set(job.memo, compiled);
  return compiled;
}

function logBuild(job: Pending, t0: number, b: Built): Built {
  debug(1, () => `compiled ${job.p.key.slice(0, 12)} in ${(performance.now() - t0).toFixed(1)} ms (${kernelNames(job.p.program)})`);
  return b;
}

/** Compiles (or finds on disk) the program for a graph; synchronous. */
export function compile(outputs: readonly Node[], canon: Canonical, fuse: boolean, alias?: Alias, into?: readonly number[]): Compiled {
  const job = find(outputs, canon, fuse, alias, into);
  if (!('p' in job)) return job;
  if (job.built) return complete(job, job.built);
  const t0 = performance.now();
  return complete(job, logBuild(job, t0, buildSync(jobOf(job.p))));
}

/** Like compile(), but the compiler runs as a child process without blocking the event loop. */
export async function compileInBackground(outputs: readonly Node[], canon: Canonical, fuse: boolean): Promise<Compiled> {
  const job = find(outputs, canon, fuse);
  if (!('p' in job)) return job;
  if (job.built) return complete(job, job.built);
  const t0 = performance.now();
  return complete(job, logBuild(job, t0, await buildAsync(jobOf(job.p))));
}
