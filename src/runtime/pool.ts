/**
 * Recycling of output buffers. A fresh 64 MB TypedArray costs more in page faults than the fused
 * kernel that fills it, and a fresh 64 KB one (zeroed by V8, faulted in by the kernel, counted as
 * external memory that hurries the next GC) costs ~3× the kernel. So buffers the C backend allocated
 * are returned here when their buffer node is garbage collected or disposed — unless their storage was
 * ever handed to user code (`data()`), which could still hold it. Kernels overwrite every element of an
 * output, so recycled memory is never read stale.
 */
import { totalmem } from 'node:os';
import type { DType, Storage } from '../dtype.js';
import { allocate, BYTES, storageClass } from '../dtype.js';

/**
 * Memory the pool may hold idle, and (separately) memory that may wait in the registry: enough for a
 * loop that makes a dozen 64 MB results between two yields, never more than 1/16 of the machine.
 */
const BUDGET = Math.min(1 << 30, Math.floor(totalmem() / 16));
/** An idle buffer not reused within this long goes back to the garbage collector. */
const IDLE_MS = 2000;

/** Idle buffers per size class, oldest first, with the time each was released. */
const free = new Map<string, { s: Storage; at: number }[]>();
let idleBytes = 0;
let sweeper: NodeJS.Timeout | undefined;
const ours = new WeakSet<Storage>();
const exposed = new WeakSet<Storage>();
/**
 * A registry holds each tracked buffer strongly until its cleanup callback runs, and callbacks only run
 * between jobs: in a synchronous loop nothing comes back. So at most BUDGET bytes wait in it; past
 * that a buffer is not tracked and the garbage collector frees it as usual.
 */
let trackedBytes = 0;
const registry = new FinalizationRegistry<Storage>((s) => {
  trackedBytes -= s.byteLength;
  release(s);
});

/** Buffers are pooled by storage class and length (bool and uint8 share one: both are Uint8Arrays). */
const classOf = (storage: { name: string }, n: number): string => `${storage.name}:${n}`;

function release(s: Storage): void {
  if (exposed.has(s) || idleBytes + s.byteLength > BUDGET) return;
  const key = classOf(s.constructor, s.length);
  const list = free.get(key) ?? [];
  list.push({ s, at: performance.now() });
  free.set(key, list);
  idleBytes += s.byteLength;
  // A process that stops evaluating gets its memory back: a timer (not keeping the process alive)
  // drops what stayed idle, and stops once the pool is empty.
  sweeper ??= setInterval(expire, IDLE_MS).unref();
}

function expire(): void {
  const old = performance.now() - IDLE_MS;
  for (const [key, list] of free) {
    let stale = 0;
    while (stale < list.length && list[stale].at <= old) idleBytes -= list[stale++].s.byteLength;
    if (stale === list.length) free.delete(key);
    else list.splice(0, stale);
  }
  if (free.size === 0) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

/**
 * Small outputs are views into shared 16 KiB slabs: a fresh tiny TypedArray costs koffi about a
 * microsecond to resolve to a pointer (its backing store is created lazily), a view of an existing
 * ArrayBuffer almost nothing. A slab is freed when the last tensor viewing it is.
 */
const SLAB_BYTES = 16 << 10;
const SMALL_BYTES = 512;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;
const slabs = new WeakSet<ArrayBufferLike>([slab]);

/**
 * A view constructor per storage class, each a function of its own: one `new C(slab, at, n)` shared by
 * every class went megamorphic once a process had used a few dtypes, and with the other shared sites of
 * a call it took a 16-element jit call from ~240 to ~340 ns (bench/RESULTS.md, 2026-12-06).
 */
type View = (b: ArrayBuffer, at: number, n: number) => Storage;
const VIEWS = new Map<unknown, View>([
  [Float32Array, (b, at, n) => new Float32Array(b, at, n)],
  [Float64Array, (b, at, n) => new Float64Array(b, at, n)],
  [Int32Array, (b, at, n) => new Int32Array(b, at, n)],
  [Uint32Array, (b, at, n) => new Uint32Array(b, at, n)],
  [Int16Array, (b, at, n) => new Int16Array(b, at, n)],
  [Uint16Array, (b, at, n) => new Uint16Array(b, at, n)],
  [Int8Array, (b, at, n) => new Int8Array(b, at, n)],
  [Uint8Array, (b, at, n) => new Uint8Array(b, at, n)],
]);
const viewOf = (dtype: DType): View => VIEWS.get(storageClass(dtype)) ?? ((b, at, n) => new (storageClass(dtype))(b, at, n));

/** A view of n elements into the current slab (64-byte aligned), made by `view`. */
function small(view: View, bytes: number, n: number): Storage {
  bytes = (bytes + 63) & ~63;
  if (slabUsed + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabs.add(slab);
    slabUsed = 0;
  }
  const at = slabUsed;
  slabUsed += bytes;
  return view(slab, at, n);
}

/** acquire(dtype, n) as a function made once (an argument plan's per output): the dtype's lookups done ahead. */
export function acquirer(dtype: DType, n: number): () => Storage {
  const bytes = n * BYTES[dtype];
  if (n === 0 || bytes > SMALL_BYTES) return () => acquire(dtype, n);
  const view = viewOf(dtype);
  return () => small(view, bytes, n);
}

/**
 * A buffer for a kernel to overwrite completely: a slab view when small, else pooled. Every size past the
 * slabs is pooled: an `x.add(y).eval().dispose()` loop of float32 at 2^16 elements took 43-78 µs per
 * call with a fresh output each time and 11-13 µs pooled (2^14: 11-25 against 4.5-5.6 µs; the pool
 * began at 1 MiB before; bench/RESULTS.md, 2026-12-04).
 */
export function acquire(dtype: DType, n: number): Storage {
  if (n === 0) return allocate(dtype, 0);
  if (n * BYTES[dtype] <= SMALL_BYTES) return small(viewOf(dtype), n * BYTES[dtype], n);
  const idle = free.get(classOf(storageClass(dtype), n))?.pop(); // the most recently used: likeliest in cache
  if (idle) {
    idleBytes -= idle.s.byteLength;
    return idle.s;
  }
  const fresh = allocate(dtype, n);
  ours.add(fresh);
  return fresh;
}

/**
 * Buffers smaller than this come back by dispose() only, never through the registry: it holds what it
 * tracks until the loop yields, so in a synchronous loop that never disposes, tracked 64 KB results
 * stayed alive by the thousand and each call faulted in a fresh one (94-96 µs per call at 2^16 float32
 * elements against 50-60 µs untracked, which the garbage collector frees and malloc reuses).
 */
const TRACKED_MIN = 1 << 20;

/** `owner` now holds `s`: when the owner is collected, the storage may be recycled. */
export function track(owner: object, s: Storage): void {
  if (s.byteLength < TRACKED_MIN || !ours.has(s) || trackedBytes + s.byteLength > BUDGET) return;
  trackedBytes += s.byteLength;
  registry.register(owner, s, owner);
}

/**
 * `dispose()`: the owner gives its storage back now instead of at garbage collection. Refused (false)
 * for storage that was never ours or was handed to user code.
 */
export function giveBack(owner: object, s: Storage): boolean {
  if (!ours.has(s) || exposed.has(s)) return false;
  // or the collection of `owner` would release it a second time
  if (registry.unregister(owner)) trackedBytes -= s.byteLength;
  release(s);
  return true;
}

/** User code has the storage itself: it must never be recycled. */
export function expose(s: Storage): void {
  exposed.add(s);
}

/** Whether user code can reach `s` (it came from tensor(), or data() handed it out). */
export const isExposed = (s: Storage): boolean => exposed.has(s);

/** True for a small result that views a slab shared with other results (see `small`). */
export const isSlab = (s: Storage): boolean => slabs.has(s.buffer);
