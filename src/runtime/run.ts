/**
 * The C backend's entry points: a graph in, its outputs' storage out, on the tensors' own memory. The
 * program comes from programs.ts (compiled, cached), its argument plan from invoke.ts (or kept.ts, for
 * a root evaluated before), and the call is one FFI call.
 */
import { config, configVersion } from '../config.js';
import type { Storage } from '../dtype.js';
import type { Node } from '../graph.js';
import { generateC } from '../codegen/c.js';
import { canonicalize, schedule } from '../schedule.js';
import { bufferNode, makeNode } from '../graph.js';
import { isBuffer, opDef } from '../ops.js';
import type { View } from '../shape.js';
import { liveData } from '../trace.js';
import { debug } from './debug.js';
import type { Plan } from './invoke.js';
import { invoke, invokeAsync, layOut, plan } from './invoke.js';
import { counters } from '../stats.js';
import { keptPlan } from './kept.js';
import { compile, compileInBackground, generate, kernelNames } from './programs.js';
import { privateWorkspace, workspaceOf } from './workspace.js';

const NONE: readonly never[] = [];

/** Runs a graph; `inputs` can stand in other storage for its buffer nodes (a traced `jit` program). */
export function runC(outputs: readonly Node[], fuse: boolean, inputs?: ReadonlyMap<Node, Storage>): Storage[] {
  const stand = inputs ? [...inputs.keys()] : NONE;
  const p = keptPlan(outputs, fuse, !inputs) ?? plan(outputs, fuse, stand);
  const t0 = config().debug >= 2 ? performance.now() : 0;
  const out = invoke(p, inputs ? stand.map((n) => inputs.get(n)) : NONE);
  debug(2, () => `ran ${kernelNames(p.program)} in ${(performance.now() - t0).toFixed(3)} ms`);
  return out;
}

/** The bytes of `a` and `b` intersect (same ArrayBuffer, overlapping ranges). */
function overlaps(a: Storage, b: Storage): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
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
  const again = store ? undefined : direct.get(value);
  if (again && again.into === into && again.fuse === fuse && again.version === configVersion() && again.inputs.every((s, i) => again.plan.bound[i][1].data === s)) {
    counters.memoryHits++;
    invoke(again.plan, NONE, into);
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
  const isDirect = inPlace && c.program.results[0] === 'out0' && checkedFirst;
  if (store && !isDirect) throw new Error('internal: a store through a view must write its output buffer directly');
  const p = layOut(c, canon, [], workspaceOf(c));
  // A loop assigning the same expression records the same node each time: the next call reuses this plan.
  if (!store && isDirect) direct.set(value, { version: configVersion(), fuse, into, inputs: p.bound.map(([, n]) => n.data!), plan: p });
  const [out] = invoke(p, [], isDirect ? into : undefined);
  if (!isDirect) into.set(out);
}

/**
 * The last plan each value node was computed straight into a target with, and what it was decided on:
 * the target's and the inputs' storage (the overlap checks) and the settings. `y.assign(y.axpy(x, 2.5))`
 * in a loop took 4.5 µs per call re-planned each time, against 0.26 µs for an eval() of the same size
 * (16 float64; bench/RESULTS.md, 2026-12-06).
 */
const direct = new WeakMap<Node, { version: number; fuse: boolean; into: Storage; inputs: Storage[]; plan: Plan }>();

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
  const p = layOut(c, canon, [], workspaceOf(c));
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
  return invokeAsync(layOut(c, canon, [], privateWorkspace(c)), c.lib);
}

/** The disk-cache key eval would use (needs the compiler's identity), or why there is none. */
export function programKey(outputs: readonly Node[], fuse: boolean): string {
  try {
    return generate(outputs, canonicalize(outputs, fuse), fuse).key;
  } catch (e) {
    return `unavailable (${(e as Error).message.split('\n')[0]})`;
  }
}

/** The C source eval would compile for these outputs. */
export function sourceFor(outputs: readonly Node[], fuse: boolean): string {
  const canon = canonicalize(outputs, fuse);
  return generateC(schedule(outputs, canon, fuse), undefined, config().profile).source;
}