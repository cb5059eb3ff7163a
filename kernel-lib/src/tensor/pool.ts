/**
 * A small free list of gradient arrays, so that a training step reuses the previous step's
 * buffers instead of asking the engine for new ones. Allocating a typed array of more than a few
 * elements costs a fresh zeroed backing store (page faults for large ones) and later garbage
 * collection of it: ~30% of the weight-decay loop's time and several percent of a CNN batch.
 *
 * Arrays come back (`recycle`) only from code that knows nothing else refers to them: the
 * backward driver, for a gradient it created and consumed itself (never an array a tensor holds
 * or a user passed in); zeroGrad, for a `.grad` that only backward() has seen (see
 * Tensor._gradSeen: one a user has read stays theirs); and an op, for a scratch array of its own.
 * `allocate` hands them out again zero-filled, like a new array. The pool keeps at most
 * MAX_PER_SIZE arrays of one length and MAX_BYTES in all, so it never grows past a few steps'
 * worth of gradients.
 */
import type { FloatArray } from "./dtype";

/** Shorter arrays live in the engine's young generation and cost next to nothing to allocate. */
const MIN_LENGTH = 32;
const MAX_PER_SIZE = 8;
const MAX_BYTES = 64 * 1024 * 1024;

const free64 = new Map<number, Float64Array[]>();
const free32 = new Map<number, Float32Array[]>();
let pooledBytes = 0;

/**
 * An array from the pool, zero-filled unless `zero` is false (the caller overwrites every element
 * before anything reads it), or null when there is none of that dtype and length.
 */
export function takePooled(float32: boolean, n: number, zero: boolean = true): FloatArray | null {
  if (n < MIN_LENGTH) return null;
  const list = float32 ? free32.get(n) : free64.get(n);
  const a = list === undefined ? undefined : list.pop();
  if (a === undefined) return null;
  pooledBytes -= float32 ? n * 4 : n * 8;
  return zero ? a.fill(0) : a;
}

/** Give back an array nothing else refers to (the caller's guarantee). */
export function recycle(a: FloatArray): void {
  const n = a.length;
  if (n < MIN_LENGTH) return;
  const bytes = a instanceof Float32Array ? n * 4 : n * 8;
  // A view into a larger buffer (a batch of a dataset, say) is not ours to reuse, unless the
  // buffer is one of our slabs (then the caller's guarantee covers the view as for a whole array).
  // An array whose buffer holds exactly its bytes is a whole array. Two accessor reads: in Node 20
  // a typed array's buffer/byteOffset/byteLength getters are calls (~25 ns each), not field loads.
  const buffer = a.buffer;
  if (buffer.byteLength !== bytes && !slabs.has(buffer)) return;
  if (pooledBytes + bytes > MAX_BYTES) return;
  if (a instanceof Float32Array) {
    const list = free32.get(n);
    if (list === undefined) free32.set(n, [a]);
    else if (list.length < MAX_PER_SIZE && !list.includes(a)) list.push(a);
    else return;
  } else {
    const list = free64.get(n);
    if (list === undefined) free64.set(n, [a]);
    else if (list.length < MAX_PER_SIZE && !list.includes(a)) list.push(a);
    else return;
  }
  pooledBytes += bytes;
}

/**
 * Fresh arrays of 65 bytes to SLAB_MAX_BYTES are views cut from a shared ArrayBuffer, as Node cuts
 * small Buffers from its Buffer.poolSize slab. V8 keeps a typed array of up to 64 bytes inside its
 * heap (cheap), but gives a larger one a backing store of its own, allocated outside the heap and
 * tracked for the garbage collector: 0.4-1.7 µs per array of 16-200 doubles here, against
 * 0.03-0.2 µs for a view. The weight-decay loop makes about ten such arrays a step.
 *
 * The price: a slab is freed only when every array cut from it is garbage, so a long-lived small
 * tensor can keep up to SLAB_BYTES alive. A slab is fresh memory, so its arrays come zeroed; they
 * go back to the pool like whole arrays (a recycled one keeps its slab alive while it waits).
 */
const SLAB_BYTES = 64 * 1024;
const SLAB_MAX_BYTES = 4096;
let slab: ArrayBuffer | null = null;
/** Every slab still referenced, so that `recycle` can tell our views from a user's. */
const slabs = new WeakSet<ArrayBufferLike>();
let slabUsed = SLAB_BYTES;

/** A new zero-filled array (not from the pool). */
export function freshArray(float32: boolean, n: number): FloatArray {
  const bytes = float32 ? n * 4 : n * 8;
  if (bytes <= 64 || bytes > SLAB_MAX_BYTES) return float32 ? new Float32Array(n) : new Float64Array(n);
  // 8-byte alignment: a Float64Array view must start on a multiple of 8.
  let start = (slabUsed + 7) & ~7;
  if (slab === null || start + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabs.add(slab);
    start = 0;
  }
  slabUsed = start + bytes;
  return float32 ? new Float32Array(slab, start, n) : new Float64Array(slab, start, n);
}

/** Empty the pool (tests; or to hand the memory back after training a large model). */
export function clearPool(): void {
  free64.clear();
  free32.clear();
  pooledBytes = 0;
}
