/**
 * Calling a compiled program: its argument list laid out once (one header holding the thread count,
 * the sizes and the scalars, then buffers in the program's parameter order), then per call the inputs
 * and fresh outputs put in place, one FFI call, its status read, and the outputs taken.
 */
import { availableParallelism } from 'node:os';
import { config } from '../config.js';
import { TensorError } from '../errors.js';
import type { DType, Storage } from '../dtype.js';
import type { Node } from '../graph.js';
import type { GeneratedC } from '../codegen/c.js';
import type { Canonical } from '../schedule.js';
import { canonicalize } from '../schedule.js';
import { sizeOf } from '../shape.js';
import { counters, recordProfile } from '../stats.js';
import { detachedInput } from '../trace.js';
import { outOfRange } from '../indexops.js';
import type { Entry, LoadedProgram } from './ffi.js';
import { acquirer, giveBack, isExposed } from './pool.js';
import type { Compiled, ProgramInfo } from './programs.js';
import { compile, kernelNames } from './programs.js';
import { workspaceOf } from './workspace.js';

/** The error of a call whose status is nonzero: an index out of range (bits 1..), or the FP register (bit 0). */
function failed(program: ProgramInfo, checks: GeneratedC['checks'], status: number): TensorError {
  if (status & 1) return fpChanged(program);
  const j = checks.findIndex((_, i) => (status >>> (i + 1)) & 1);
  if (checks[j]?.error) return new TensorError(checks[j].error!);
  return outOfRange(checks[j]?.what ?? 'an axis', checks[j]?.early ?? false);
}

function fpChanged(program: ProgramInfo): TensorError {
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
 * An argument plan: a compiled program with its argument list worked out once for given inputs, what
 * invoke runs (and `jit` re-runs). stats().plans counts them.
 */
export interface Plan {
  /** Returns tf_program's status: nonzero when the call changed the floating-point control register. */
  call: Entry;
  /** Argument list template; input slots are filled per call. */
  args: unknown[];
  /** The program's runtime scalars, a view into the header args[0]: a kept plan writes new values here. */
  scalars: Float64Array;
  /** For each argument position filled per call: which jit argument supplies it. */
  slots: [position: number, arg: number][];
  /** Output buffers to allocate per call: argument position, kind, and the function that allocates one. */
  fresh: [position: number, dtype: DType, size: number, make: () => Storage][];
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
  program: ProgramInfo;
  /** Its index checks, to name the one that failed. */
  checks: GeneratedC['checks'];
}

/** Compiles `outputs` and plans the argument list: placeholders[i] is filled from call argument i. */
export function plan(outputs: readonly Node[], fuse: boolean, placeholders: readonly (Node | undefined)[]): Plan {
  const canon = canonicalize(outputs, fuse);
  const c = compile(outputs, canon, fuse);
  return layOut(c, canon, placeholders, workspaceOf(c));
}

/**
 * The argument list of compiled program `c`, worked out once: scalars, sizes, then buffers in the
 * program's parameter order. Inputs that are placeholders are filled per call (from call argument i for
 * placeholders[i]), the others are their buffers' storage; temporaries come from `workspace`.
 */
export function layOut(c: Compiled, canon: Canonical, placeholders: readonly (Node | undefined)[], workspace: readonly Storage[]): Plan {
  counters.plans++;
  const p = c.program;
  const position = new Map(c.c.params.map((name, i) => [name, i + 1]));
  // The header: z[0] threads, z[1..] sizes, then the scalars as doubles (tf_program's `s`).
  const nz = 1 + c.c.sizes.length;
  const header = new ArrayBuffer(8 * (nz + canon.scalars.length));
  new BigInt64Array(header, 0, nz).set([threads(), ...c.c.sizes].map(BigInt));
  const scalars = new Float64Array(header, 8 * nz, canon.scalars.length);
  scalars.set(canon.scalars);
  const args: unknown[] = [new BigInt64Array(header)];
  const slots: [number, number][] = [];
  const bound: [number, Node][] = [];
  p.inputs.forEach((b, i) => {
    const arg = placeholders.indexOf(canon.inputs[i]);
    if (arg >= 0) slots.push([position.get(b.name)!, arg]);
    else bound.push([position.get(b.name)!, canon.inputs[i]]);
  });
  p.temps.forEach((b, i) => (args[position.get(b.name)!] = workspace[i]));
  const fresh = p.outputs.map((b) => [position.get(b.name)!, b.dtype, sizeOf(b.shape), acquirer(b.dtype, sizeOf(b.shape))] as Plan['fresh'][number]);
  const results = p.results.map((name) => position.get(name)!);
  const inputs = p.inputs.map((b) => [position.get(b.name)!, sizeOf(b.shape)] as [number, number]);
  // Each output is a buffer of its own: an input passed through, or an output requested twice, is copied.
  const copy = results.map((pos, i) => !fresh.some(([f]) => f === pos) || results.indexOf(pos) !== i);
  const elements = [...p.inputs, ...p.outputs].reduce((sum, b) => sum + sizeOf(b.shape), 0);
  return {
    call: c.lib.call, args, scalars, slots, bound, fresh, results, copy, inputs, timed: elements >= UNTIMED,
    after: c.lib.profile ? () => readProfile(c) : undefined,
    program: p, checks: c.c.checks,
  };
}

/**
 * Plans whose buffers hold fewer elements than this are not timed in `stats().runMs`: the
 * two clock reads would cost as much as the call itself (~40 ns each against ~0.1 µs for koffi).
 */
const UNTIMED = 4096;

/**
 * Puts one call's buffers into `args` (the template, or a copy of it): the inputs, and a fresh buffer for
 * each output (`into` for the first one, when given).
 */
function fill(p: Plan, args: unknown[], inputs: readonly (Storage | undefined)[], into?: Storage): void {
  const { slots, bound, fresh } = p;
  for (let i = 0; i < slots.length; i++) args[slots[i][0]] = inputs[slots[i][1]];
  for (let i = 0; i < bound.length; i++) args[bound[i][0]] = bound[i][1].data;
  for (let i = 0; i < fresh.length; i++) args[fresh[i][0]] = i === 0 && into ? into : fresh[i][3]();
  const ins = p.inputs;
  for (let i = 0; i < ins.length; i++) {
    const s = args[ins[i][0]] as Storage, length = ins[i][1];
    if (s.length !== length) throw detachedInput(length, s.length);
  }
}

/** The outputs of a finished call, each a buffer of its own. */
function take(p: Plan, args: readonly unknown[]): Storage[] {
  const out: Storage[] = [];
  for (let i = 0; i < p.results.length; i++) {
    const s = args[p.results[i]] as Storage;
    out.push(p.copy[i] ? s.slice() : s);
  }
  return out;
}

/** Runs a plan on new inputs: no graph, no hashing, one FFI call. */
export function invoke(p: Plan, inputs: readonly (Storage | undefined)[], into?: Storage): Storage[] {
  // The template is filled in place: calls are synchronous, so no two use it at once.
  const args = p.args;
  fill(p, args, inputs, into);
  let status: number;
  if (p.timed) {
    const t0 = performance.now();
    status = p.call(args);
    counters.runMs += performance.now() - t0;
  } else status = p.call(args);
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

/**
 * Runs `p` (laid out for this call alone: nothing else fills its template, and its workspace is its
 * own) on a koffi worker thread, the graph's own buffers as inputs.
 */
export async function invokeAsync(p: Plan, lib: LoadedProgram): Promise<Storage[]> {
  const args = p.args;
  fill(p, args, []);
  // The kernel runs on another thread while JavaScript goes on: memory user code can reach (arrays given
  // to tensor(), storage data() handed out) could be transferred or detached meanwhile and freed under
  // the kernel, so the call reads private copies of it. What tensorfuse allocated nobody else can reach.
  for (const [pos] of p.inputs) if (isExposed(args[pos] as Storage)) args[pos] = (args[pos] as Storage).slice();
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    // `args` holds every buffer until the callback runs: koffi itself keeps only the callback alive.
    lib.callAsync(args, (err, status) => (err ? reject(err) : status !== 0 ? (recycle(p, args), reject(failed(p.program, p.checks, status))) : resolve()));
  });
  p.after?.();
  counters.runMs += performance.now() - t0;
  return take(p, args);
}

/** The fresh output buffers of a call that failed go back to the pool (not `into`: the caller's). */
function recycle(p: Plan, args: readonly unknown[], into?: Storage): void {
  for (let i = into ? 1 : 0; i < p.fresh.length; i++) {
    const s = args[p.fresh[i][0]] as Storage;
    giveBack(s, s); // refused for a small result (a view into a shared slab) or storage never ours
  }
}
