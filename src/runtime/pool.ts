/**
 * Recycling of large output buffers. A fresh 64 MB TypedArray costs more in page faults than the fused
 * kernel that fills it, so buffers the C backend allocated are returned here when their buffer node is
 * garbage collected — unless their storage was ever handed to user code (`data()`), which could still
 * hold it. Kernels overwrite every element of an output, so recycled memory is never read stale.
 */
import type { DType, Storage } from '../dtype.js';
import { allocate, BYTES } from '../dtype.js';

/** Below this, allocation is cheap and pooling is not worth holding memory. */
const MIN_BYTES = 1 << 20;
/** Idle memory the pool may hold. */
const MAX_IDLE_BYTES = 512 << 20;

const free = new Map<string, Storage[]>();
let idleBytes = 0;
const ours = new WeakSet<Storage>();
const exposed = new WeakSet<Storage>();
/**
 * A registry holds each tracked buffer strongly until its cleanup callback runs, and callbacks only run
 * between jobs: in a synchronous loop nothing comes back. So at most this many bytes wait in it; past
 * that a buffer is not tracked and the garbage collector frees it as usual.
 */
const MAX_TRACKED_BYTES = 512 << 20;
let trackedBytes = 0;
const registry = new FinalizationRegistry<Storage>((s) => {
  trackedBytes -= s.byteLength;
  release(s);
});

const classOf = (dtype: DType, n: number): string => `${dtype}:${n}`;

function release(s: Storage): void {
  if (exposed.has(s) || idleBytes + s.byteLength > MAX_IDLE_BYTES) return;
  const key = classOf(dtypeOf(s), s.length);
  const list = free.get(key) ?? [];
  list.push(s);
  free.set(key, list);
  idleBytes += s.byteLength;
}

function dtypeOf(s: Storage): DType {
  return s instanceof Float32Array ? 'float32' : s instanceof Float64Array ? 'float64' : s instanceof Int32Array ? 'int32' : 'bool';
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

function small(dtype: DType, n: number): Storage {
  const bytes = (n * BYTES[dtype] + 63) & ~63; // 64-byte aligned views
  if (slabUsed + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const at = slabUsed;
  slabUsed += bytes;
  switch (dtype) {
    case 'float32': return new Float32Array(slab, at, n);
    case 'float64': return new Float64Array(slab, at, n);
    case 'int32': return new Int32Array(slab, at, n);
    case 'bool': return new Uint8Array(slab, at, n);
  }
}

/** A buffer for a kernel to overwrite completely. */
export function acquire(dtype: DType, n: number): Storage {
  if (n > 0 && n * BYTES[dtype] <= SMALL_BYTES) return small(dtype, n);
  if (n * BYTES[dtype] >= MIN_BYTES) {
    const s = free.get(classOf(dtype, n))?.pop();
    if (s) {
      idleBytes -= s.byteLength;
      return s;
    }
    const fresh = allocate(dtype, n);
    ours.add(fresh);
    return fresh;
  }
  return allocate(dtype, n);
}

/** `owner` now holds `s`: when the owner is collected, the storage may be recycled. */
export function track(owner: object, s: Storage): void {
  if (!ours.has(s) || trackedBytes + s.byteLength > MAX_TRACKED_BYTES) return;
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
