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
import { decisionLines } from '../codegen/decisions.js';
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
export interface ProgramInfo {
  inputs: BufferInfo[];
  outputs: BufferInfo[];
  temps: BufferInfo[];
  results: string[];
  kernels: string[];
}

const infoOf = (p: Program): ProgramInfo => ({
  inputs: p.inputs, outputs: p.outputs, temps: p.temps, results: p.results, kernels: p.kernels.map((k) => k.name),
});

export interface Compiled {
  program: ProgramInfo;
  c: GeneratedC;
  /** Path of the C file, kept next to the library for reading and for error messages. */
  cPath: string;
  soPath: string;
  key: string;
  lib: LoadedProgram;
  /** Workspace for temporaries, allocated once per program and reused by synchronous calls (see workspaceOf). */
  workspace?: Storage[];
}

/** Programs in memory by structural key, the least recently used dropped past MAX_PROGRAMS. */
const programs = new Bounded<Compiled>(512);

/** The memory-cache key: the graph, plus the settings that decide its library and can change between evals. */
function memoKey(canon: Canonical): string {
  const { cc, cflags, profile } = config();
  return `${canon.key}\n${cc}\n${cflags}${profile ? '\nprofile' : ''}`;
}

/** A program scheduled and its C generated, with the key of its library: all a build needs. */
export interface Generated {
  program: Program;
  c: GeneratedC;
  tc: Toolchain;
  flags: string[];
  key: string;
  dir: string;
}

export const kernelNames = (p: { kernels: readonly (string | { name: string })[] }): string =>
  p.kernels.map((k) => (typeof k === 'string' ? k : k.name)).join(', ');

/** Schedules `outputs` and generates their C (in-place writes as `alias` and `into` ask, where safe). */
export function generate(outputs: readonly Node[], canon: Canonical, fuse: boolean, alias?: Alias, into?: readonly number[]): Generated {
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

const jobOf = (g: Generated): Job => ({ key: g.key, source: g.c.source, tc: g.tc, flags: g.flags, dir: g.dir, nbufs: g.c.params.length, profiled: g.c.profiled.length > 0 });

/** A program not yet in memory, and what is left to do: maybe compile, then remember it. */
interface Miss {
  memo: string;
  gen: Generated;
  /** The verified library, when it was loaded already or found on disk. */
  built?: Built;
}

/** The program from memory, or what remains to get it (counting memory and disk hits). */
function find(outputs: readonly Node[], canon: Canonical, fuse: boolean, alias?: Alias, into?: readonly number[]): Compiled | Miss {
  let memo = alias ? `${memoKey(canon)}\ninto ${alias.out}=${alias.inputs.join(',')}${alias.store ? ` at ${argKey(alias.store as unknown as Arg)}` : ''}` : memoKey(canon);
  if (into) memo += `\nwrites ${into.join(',')}`;
  const hit = programs.get(memo);
  if (hit) {
    counters.memoryHits++;
    return hit;
  }
  const gen = generate(outputs, canon, fuse, alias, into);
  let built = loaded(gen.key);
  if (built) counters.memoryHits++;
  else if ((built = fromDisk(jobOf(gen)))) {
    counters.diskHits++;
    debug(1, () => `disk cache hit ${gen.key.slice(0, 12)}`);
  }
  return { memo, gen, built };
}

/** Remembers the program of a found or freshly built library. */
function complete(miss: Miss, built: Built): Compiled {
  const again = programs.get(miss.memo); // an async compile of the same program may have finished first
  if (again) return again;
  const { gen } = miss;
  const compiled = { program: infoOf(gen.program), c: gen.c, cPath: built.a.c, soPath: built.a.so, key: gen.key, lib: built.lib };
  programs.set(miss.memo, compiled);
  return compiled;
}

function logBuild(miss: Miss, t0: number, b: Built): Built {
  debug(1, () => `compiled ${miss.gen.key.slice(0, 12)} in ${(performance.now() - t0).toFixed(1)} ms (${kernelNames(miss.gen.program)})`);
  return b;
}

// compile and compileInBackground are one path (find, then build what is missing, then complete); they
// differ only in how the build is waited for: buildSync blocks, buildAsync runs the compiler as a child.

/** Compiles (or finds on disk) the program for a graph; synchronous. */
export function compile(outputs: readonly Node[], canon: Canonical, fuse: boolean, alias?: Alias, into?: readonly number[]): Compiled {
  const found = find(outputs, canon, fuse, alias, into);
  if (!('gen' in found)) return found;
  return complete(found, found.built ?? logBuild(found, performance.now(), buildSync(jobOf(found.gen))));
}

/** Like compile(), but the compiler runs as a child process without blocking the event loop. */
export async function compileInBackground(outputs: readonly Node[], canon: Canonical, fuse: boolean): Promise<Compiled> {
  const found = find(outputs, canon, fuse);
  if (!('gen' in found)) return found;
  return complete(found, found.built ?? logBuild(found, performance.now(), await buildAsync(jobOf(found.gen))));
}
