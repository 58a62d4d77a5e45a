/**
 * The C backend end to end: graph → canonical key → (memory hit, or schedule → C → disk hit or
 * compile) → one FFI call on the tensors' own memory.
 *
 * Two cache levels: programs in memory by structural key (a hit generates no C at all), libraries on
 * disk by source hash (a hit compiles nothing).
 */
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { config, configVersion } from '../config.js';
import { TensorError } from '../errors.js';
import type { DType, Storage } from '../dtype.js';
import { allocate } from '../dtype.js';
import type { Node } from '../graph.js';
import { generateC, ABI_VERSION } from '../codegen/c.js';
import type { Alias, GeneratedC } from '../codegen/c.js';
import { decisionLines } from '../codegen/lower.js';
import type { BufferInfo, Canonical, Program } from '../schedule.js';
import { canonicalize, scalarPaths, scalarsAlong, scalarsInto, schedule } from '../schedule.js';
import { sizeOf } from '../shape.js';
import { counters, recordProfile } from '../stats.js';
import type { Built, Job } from './build.js';
import { buildAsync, buildSync, fromDisk, loaded, usableDir } from './build.js';
import { sha256 } from './cache.js';
import type { Toolchain } from './compiler.js';
import { toolchain, toolchainFingerprint, toolchainFlags, userFlags } from './compiler.js';
import type { LoadedProgram } from './ffi.js';
import { acquire, giveBack, isExposed } from './pool.js';
import type { Arg } from '../graph.js';
import { argKey, Bounded, bufferNode, makeNode } from '../graph.js';
import { isBuffer, opDef } from '../ops.js';
import type { View } from '../shape.js';
import { detachedInput, liveData } from '../trace.js';
import { outOfRange } from '../indexops.js';

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

function debug(level: number, msg: () => string): void {
  if (config().debug >= level) process.stderr.write(`[tensorfuse] ${msg()}\n`);
}

interface Plan {
  program: Program;
  c: GeneratedC;
  tc: Toolchain;
  flags: string[];
  key: string;
  dir: string;
}

const kernelNames = (p: { kernels: readonly (string | { name: string })[] }): string =>
  p.kernels.map((k) => (typeof k === 'string' ? k : k.name)).join(', ');

function plan(outputs: readonly Node[], canon: Canonical, fuse: boolean, alias?: Alias, into?: readonly number[]): Plan {
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

/**
 * Workspaces stay with their programs, so a loop reuses them, but all of them together stay within a
 * budget: the least recently used programs give theirs up and allocate again if run again.
 */
const WORKSPACE_BUDGET = 1 << 30;
let workspaceBytes = 0;
const recentlyUsed = new Set<Compiled>();
const bytesOf = (ws: readonly Storage[]): number => ws.reduce((n, s) => n + s.byteLength, 0);

function workspaceOf(c: Compiled): Storage[] {
  recentlyUsed.delete(c);
  recentlyUsed.add(c);
  if (c.workspace) return c.workspace;
  const ws = c.program.temps.map((t) => allocate(t.dtype, sizeOf(t.shape)));
  c.workspace = ws;
  workspaceBytes += bytesOf(ws);
  for (const old of recentlyUsed) {
    if (workspaceBytes <= WORKSPACE_BUDGET) break;
    if (old === c || !old.workspace) continue;
    workspaceBytes -= bytesOf(old.workspace);
    old.workspace = undefined;
    recentlyUsed.delete(old);
  }
  return ws;
}

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

/** tf_program returned nonzero: a kernel changed the floating-point control register (restored in C). */
/** The error of a call whose status is nonzero: an index out of range (bits 1..), or the FP register (bit 0). */
function failed(program: ProgramLayout, checks: GeneratedC['checks'], status: number): TensorError {
  if (status & 1) return fpChanged(program);
  const j = checks.findIndex((_, i) => (status >>> (i + 1)) & 1);
  if (checks[j]?.error) return new TensorError(checks[j].error!);
  return outOfRange(checks[j]?.what ?? 'an axis', checks[j]?.early ?? false);
}

function fpChanged(program: ProgramLayout): TensorError {
  return new TensorError(`eval: the compiled program (${kernelNames(program)}) changed the floating-point control register (flush-to-zero, denormals-are-zero or rounding) while it ran, which would change Node's own math. tensorfuse restored it and refuses the result: remove the custom C (or the flag) that changes it`);
}

/** Collects a profiled program's per-kernel counters into stats(). */
function readProfile(c: Compiled): void {
  if (!c.lib.profile) return;
  const raw = new BigInt64Array(Math.max(2, 2 * c.c.profiled.length));
  c.lib.profile(raw);
  recordProfile(c.c.profiled.map((name) => `${name}@${c.key.slice(0, 8)}`), raw);
}

const cores = availableParallelism();
export function threads(): number {
  return config().threads || cores;
}

/**
 * The argument plan of the last program run for a graph root. Nodes are immutable and hash-consed, so
 * rebuilding the same expression gives the same root, and its next eval is one FFI call: no
 * canonical key, no lookup (the S1 fast path). Dropped with the root, or when settings change.
 * A new root that differs from an earlier one only in its numbers (`x.mul(i)` over changing i) has
 * the same skeleton (Node.skel): the plan kept for the skeleton runs it, with this root's scalars.
 */
const planned = new WeakMap<Node, Kept>();
const seenOnce = new WeakSet<Node>();

const NONE: readonly never[] = [];

/** Runs a graph; `inputs` can stand in other storage for its buffer nodes (a traced `jit` program). */
export function runC(outputs: readonly Node[], fuse: boolean, inputs?: ReadonlyMap<Node, Storage>): Storage[] {
  const stand = inputs ? [...inputs.keys()] : NONE;
  const p = plannedFor(outputs, fuse, !inputs) ?? oneOff(outputs, fuse, stand);
  const t0 = config().debug >= 2 ? performance.now() : 0;
  const out = invoke(p, inputs ? stand.map((n) => inputs.get(n)) : NONE);
  debug(2, () => `ran ${kernelNames(p.program)} in ${(performance.now() - t0).toFixed(3)} ms`);
  return out;
}

/**
 * The kept plan of a single root, or of its skeleton (given this root's scalars), if there is one to
 * use. A plan is kept only for what is evaluated twice, a root or two roots of one skeleton: most roots
 * are evaluated once. A root evaluated twice in a row gets a plan of its own (no scalars to gather).
 */
function plannedFor(outputs: readonly Node[], fuse: boolean, plain: boolean): Prepared | undefined {
  if (!plain || outputs.length !== 1) return undefined;
  const root = outputs[0];
  const own = current(planned.get(root), fuse);
  if (own) {
    counters.memoryHits++;
    return own.prepared;
  }
  const skel = root.skel !== root ? root.skel : undefined;
  const shared = skel && current(planned.get(skel), fuse);
  if (shared && shared.last !== root) {
    counters.memoryHits++;
    shared.last = root;
    const scalars = shared.prepared.args[0] as Float64Array;
    if (shared.paths) scalarsAlong(root, shared.paths, scalars);
    else scalarsInto(outputs, scalars);
    return shared.prepared;
  }
  if (skel && !shared && seenOnce.has(skel) && !seenOnce.has(root)) return keep(skel, outputs, fuse, root);
  if (skel) seenOnce.add(skel);
  if (!shared && !seenOnce.has(root)) {
    seenOnce.add(root);
    return undefined;
  }
  return keep(root, outputs, fuse);
}

/** A kept plan; for a skeleton, the last root it ran and where the scalars of its roots are. */
type Kept = { version: number; fuse: boolean; prepared: Prepared; last?: Node; paths?: number[][] };
const current = (k: Kept | undefined, fuse: boolean): Kept | undefined => (k && k.version === configVersion() && k.fuse === fuse ? k : undefined);

function keep(key: Node, outputs: readonly Node[], fuse: boolean, last?: Node): Prepared {
  const prepared = prepare(outputs, fuse, []);
  planned.set(key, { version: configVersion(), fuse, prepared, last, paths: last && scalarPaths(last, PATH_BUDGET) });
  return prepared;
}

/** Source steps to the scalars of a graph past which an eval walks it instead (see scalarPaths). */
const PATH_BUDGET = 4096;

/** The plan of one call: compiled (or found), laid out with the graph's own buffers. */
function oneOff(outputs: readonly Node[], fuse: boolean, stand: readonly Node[]): Prepared {
  const canon = canonicalize(outputs, fuse);
  const c = compile(outputs, canon, fuse);
  return layout(c, canon, stand, workspaceOf(c));
}

/** A compiled program with its argument list worked out once: what `jit` re-runs. */
export interface Prepared {
  /** Returns tf_program's status: nonzero when the call changed the floating-point control register. */
  call: (...args: unknown[]) => number;
  /** Argument list template; input slots are filled per call. */
  args: unknown[];
  /** For each argument position filled per call: which jit argument supplies it. */
  slots: [position: number, arg: number][];
  /** Output buffers to allocate per call: argument position and kind. */
  fresh: [position: number, dtype: DType, size: number][];
  /** Where each requested output is found in the argument list. */
  results: number[];
  /** Whether each output must be copied (it is an input, or an output already returned). */
  copy: boolean[];
  /** Argument position and element count of every input, checked before each call. */
  inputs: [position: number, length: number][];
  /** Inputs that are the graph's own buffers: their storage is read at each call (data() may move it). */
  bound: [position: number, node: Node][];
  /** Run after each call (profiled builds read their counters). */
  after?: () => void;
  /** Whether `stats().runMs` times this program (see UNTIMED). */
  timed: boolean;
  /** The program run, for debug output. */
  program: ProgramLayout;
  /** Its index checks, to name the one that failed. */
  checks: GeneratedC['checks'];
}

/** Compiles `outputs` and plans the argument list: placeholders[i] is filled from call argument i. */
export function prepare(outputs: readonly Node[], fuse: boolean, placeholders: readonly (Node | undefined)[]): Prepared {
  const canon = canonicalize(outputs, fuse);
  const c = compile(outputs, canon, fuse);
  return layout(c, canon, placeholders, workspaceOf(c));
}

/**
 * The argument list of compiled program `c`, worked out once: scalars, sizes, then buffers in the
 * program's parameter order. Inputs that are placeholders are filled per call (from call argument i for
 * placeholders[i]), the others are their buffers' storage; temporaries come from `workspace`.
 */
function layout(c: Compiled, canon: Canonical, placeholders: readonly (Node | undefined)[], workspace: readonly Storage[]): Prepared {
  counters.plans++;
  const p = c.program;
  const position = new Map(c.c.params.map((name, i) => [name, i + 2]));
  const args: unknown[] = [Float64Array.from(canon.scalars), BigInt64Array.from([threads(), ...c.c.sizes].map(BigInt))];
  const slots: [number, number][] = [];
  const bound: [number, Node][] = [];
  p.inputs.forEach((b, i) => {
    const arg = placeholders.indexOf(canon.inputs[i]);
    if (arg >= 0) slots.push([position.get(b.name)!, arg]);
    else bound.push([position.get(b.name)!, canon.inputs[i]]);
  });
  p.temps.forEach((b, i) => (args[position.get(b.name)!] = workspace[i]));
  const fresh = p.outputs.map((b) => [position.get(b.name)!, b.dtype, sizeOf(b.shape)] as [number, DType, number]);
  const results = p.results.map((name) => position.get(name)!);
  const inputs = p.inputs.map((b) => [position.get(b.name)!, sizeOf(b.shape)] as [number, number]);
  // Each output is a buffer of its own: an input passed through, or an output requested twice, is copied.
  const copy = results.map((pos, i) => !fresh.some(([f]) => f === pos) || results.indexOf(pos) !== i);
  const elements = [...p.inputs, ...p.outputs].reduce((sum, b) => sum + sizeOf(b.shape), 0);
  return {
    call: c.lib.call as (...a: unknown[]) => number, args, slots, bound, fresh, results, copy, inputs, timed: elements >= UNTIMED,
    after: c.lib.profile ? () => readProfile(c) : undefined,
    program: p, checks: c.c.checks,
  };
}

/**
 * Prepared programs whose buffers hold fewer elements than this are not timed in `stats().runMs`: the
 * two clock reads would cost as much as the call itself (~40 ns each against ~0.1 µs for koffi).
 */
const UNTIMED = 4096;

/**
 * Puts one call's buffers into `args` (the template, or a copy of it): the inputs, and a fresh buffer for
 * each output (`into` for the first one, when given).
 */
function fill(p: Prepared, args: unknown[], inputs: readonly (Storage | undefined)[], into?: Storage): void {
  for (let i = 0; i < p.slots.length; i++) args[p.slots[i][0]] = inputs[p.slots[i][1]];
  for (let i = 0; i < p.bound.length; i++) args[p.bound[i][0]] = p.bound[i][1].data;
  for (let i = 0; i < p.fresh.length; i++) args[p.fresh[i][0]] = i === 0 && into ? into : acquire(p.fresh[i][1], p.fresh[i][2]);
  for (let i = 0; i < p.inputs.length; i++) {
    const [pos, length] = p.inputs[i];
    if ((args[pos] as Storage).length !== length) throw detachedInput(length, (args[pos] as Storage).length);
  }
}

/** The outputs of a finished call, each a buffer of its own. */
function take(p: Prepared, args: readonly unknown[]): Storage[] {
  const out: Storage[] = [];
  for (let i = 0; i < p.results.length; i++) {
    const s = args[p.results[i]] as Storage;
    out.push(p.copy[i] ? s.slice() : s);
  }
  return out;
}

/** Runs a prepared program on new inputs: no graph, no hashing, one FFI call. */
export function invoke(p: Prepared, inputs: readonly (Storage | undefined)[], into?: Storage): Storage[] {
  // The template is filled in place: calls are synchronous, so no two use it at once.
  const args = p.args;
  fill(p, args, inputs, into);
  let status: number;
  if (p.timed) {
    const t0 = performance.now();
    status = p.call(...args);
    counters.runMs += performance.now() - t0;
  } else status = p.call(...args);
  p.after?.();
  const out = status === 0 ? take(p, args) : undefined;
  if (out === undefined) recycle(p, args, into);
  // Do not keep the caller's arrays alive in the template.
  for (let i = 0; i < p.slots.length; i++) args[p.slots[i][0]] = undefined;
  for (let i = 0; i < p.bound.length; i++) args[p.bound[i][0]] = undefined;
  for (let i = 0; i < p.fresh.length; i++) args[p.fresh[i][0]] = undefined;
  if (out === undefined) throw failed(p.program, p.checks, status);
  return out;
}

/** The bytes of `a` and `b` intersect (same ArrayBuffer, overlapping ranges). */
function overlaps(a: Storage, b: Storage): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** The fresh output buffers of a call that failed go back to the pool (not `into`: the caller's). */
function recycle(p: Prepared, args: readonly unknown[], into?: Storage): void {
  for (let i = into ? 1 : 0; i < p.fresh.length; i++) {
    const s = args[p.fresh[i][0]] as Storage;
    giveBack(s, s); // refused for a small result (a view into a shared slab) or storage never ours
  }
}

/** `b` is exactly the memory of `a`, element for element (another tensor over the same array). */
const sameMemory = (a: Storage, b: Storage): boolean =>
  a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.length === b.length && a.constructor === b.constructor;

/**
 * Computes `value` straight into `target`'s storage when that is safe: no input shares memory with the
 * target, or the inputs that do are exactly the target's memory and are read only at the index being
 * written. Otherwise (x.assign(x.T), or another tensor over an overlapping part of the same array) the
 * value goes to a fresh buffer first and is copied in. Overlap is decided on memory, not on nodes: two
 * tensors made from one TypedArray are two nodes over the same bytes.
 */
export function runCInto(value: Node, target: Node, fuse: boolean, store?: View): void {
  const into = target.data!;
  if (isBuffer(value) && !store) {
    into.set(liveData('assign', value)); // TypedArray.set copies as if through a temporary when the two overlap
    return;
  }
  // Through a view, the value is stored by an elementwise loop over the view's positions: a buffer is
  // copied by a `contiguous` kernel, and a reduction or matmul (whose loops store contiguously) is
  // computed first.
  if (store && (isBuffer(value) || opDef(value.op).kind !== 'elementwise' && opDef(value.op).kind !== 'movement')) {
    const v = isBuffer(value) ? value : bufferNode(runC([value], fuse)[0], value.shape, value.dtype);
    return runCInto(makeNode('contiguous', [v], v.shape, v.dtype), target, fuse, store);
  }
  const canon = canonicalize([value], fuse);
  const aliased: string[] = [];
  let hazard = false;
  canon.inputs.forEach((n, i) => {
    if (!overlaps(n.data!, into)) return;
    if (sameMemory(n.data!, into)) aliased.push(`in${i}`);
    else hazard = true;
  });
  if (hazard && store) {
    // The value reads memory the write overlaps, at other positions: computed first, then stored.
    return runCInto(bufferNode(runC([value], fuse)[0], value.shape, value.dtype), target, fuse, store);
  }
  const alias = !hazard && (aliased.length || store) ? { out: 'out0', inputs: aliased, store } : undefined;
  let c = compile([value], canon, fuse, alias);
  const inPlace = !hazard && (aliased.length === 0 || c.c.aliasSafe);
  if (!inPlace && store) return runCInto(bufferNode(runC([value], fuse)[0], value.shape, value.dtype), target, fuse, store);
  if (!inPlace && !hazard) c = compile([value], canon, fuse); // the aliased build reads the target elsewhere
  // Straight into the target when the program computes its result into its first output buffer, and
  // no index check can fail after it began writing there (a scatter checks first; a gather as it goes).
  const checkedFirst = c.c.checks.every((k) => k.early);
  if (store && !checkedFirst) return runCInto(bufferNode(runC([value], fuse)[0], value.shape, value.dtype), target, fuse, store);
  const direct = inPlace && c.program.results[0] === 'out0' && checkedFirst;
  if (store && !direct) throw new Error('internal: a store through a view must write its output buffer directly');
  const [out] = invoke(layout(c, canon, [], workspaceOf(c)), [], direct ? into : undefined);
  if (!direct) into.set(out);
}

/**
 * Runs `outputs` as one program in which output i, when `targets[i]` is given (a buffer node), is
 * computed straight into that buffer's storage, if the program can do it safely: the buffer is read
 * by the graph (so it is one of the program's inputs), no other input shares its memory, and every
 * other read of its old value runs before it is written (schedule's inPlaceWrites). The others are
 * computed into buffers of their own and copied into their targets after the call, when nothing reads
 * the old values any more. Returns each output's storage; a target's is its own.
 */
export function runCWrites(outputs: readonly Node[], targets: readonly (Node | undefined)[], fuse: boolean): Storage[] {
  const canon = canonicalize(outputs, fuse);
  const into = targets.map((t) => (t ? canon.inputs.indexOf(t) : -1));
  // Memory is what counts, not nodes: a target whose bytes another input also covers (two tensors over
  // one array), or that two outputs target, is not written during the call.
  const wanted = into.map((k) => {
    if (k < 0) return -1;
    const d = canon.inputs[k].data!;
    const shared = canon.inputs.some((n, j) => j !== k && overlaps(n.data!, d)) || into.indexOf(k) !== into.lastIndexOf(k);
    return shared ? -1 : k;
  });
  const c = compile(outputs, canon, fuse, undefined, wanted);
  const p = layout(c, canon, [], workspaceOf(c));
  const direct = wanted.map((k, i) => k >= 0 && c.program.results[i] === `in${k}`);
  // A direct output's storage is its target's, which the caller keeps: no copy of it.
  p.copy = p.copy.map((copy, i) => copy && !direct[i]);
  const out = invoke(p, []);
  targets.forEach((t, i) => {
    if (!t || direct[i]) return;
    t.data!.set(out[i]);
    out[i] = t.data!;
  });
  return out;
}

export async function runCAsync(outputs: readonly Node[], fuse: boolean): Promise<Storage[]> {
  const canon = canonicalize(outputs, fuse);
  const c = await compileInBackground(outputs, canon, fuse);
  // A private workspace: concurrent calls of one program must not share temporaries.
  const p = layout(c, canon, [], c.program.temps.map((t) => allocate(t.dtype, sizeOf(t.shape))));
  const args = p.args; // this call's own plan: nothing else fills it
  fill(p, args, []);
  // The kernel runs on another thread while JavaScript goes on: memory user code can reach (arrays given
  // to tensor(), storage data() handed out) could be transferred or detached meanwhile and freed under
  // the kernel, so the call reads private copies of it. What tensorfuse allocated nobody else can reach.
  for (const [pos] of p.inputs) if (isExposed(args[pos] as Storage)) args[pos] = (args[pos] as Storage).slice();
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    // `args` holds every buffer until the callback runs: koffi itself keeps only the callback alive.
    c.lib.callAsync(args, (err, status) => (err ? reject(err) : status !== 0 ? (recycle(p, args), reject(failed(c.program, c.c.checks, status))) : resolve()));
  });
  p.after?.();
  counters.runMs += performance.now() - t0;
  return take(p, args);
}

/** The disk-cache key eval would use (needs the compiler's identity), or why there is none. */
export function programKey(outputs: readonly Node[], fuse: boolean): string {
  try {
    return plan(outputs, canonicalize(outputs, fuse), fuse).key;
  } catch (e) {
    return `unavailable (${(e as Error).message.split('\n')[0]})`;
  }
}

/** The C source eval would compile for these outputs. */
export function sourceFor(outputs: readonly Node[], fuse: boolean): string {
  const canon = canonicalize(outputs, fuse);
  return generateC(schedule(outputs, canon, fuse), undefined, config().profile).source;
}
