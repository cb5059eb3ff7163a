/**
 * The free list of tensor buffers: arrays nothing refers to any more, kept so that the next op
 * that needs one of that dtype and length reuses it instead of asking the engine for a new one.
 * Allocating a typed array of more than a few elements costs a fresh zeroed backing store (page
 * faults for large ones) and later garbage collection of it: a large share of a small training
 * step (bench/NOTES.md).
 *
 * Ownership is explicit. An array enters the free list only through `releaseBuffer`, called by
 * code that can prove nothing else refers to it: the backward driver, for a gradient it created
 * and consumed itself (autograd/backward.ts says which); an op, for a scratch array of its own;
 * and `releaseStorage` (tensor.ts), for a tensor whose owner says it is done with it, which then
 * throws on every read (Optimizer.releaseGrads). Otherwise a tensor's storage is never released:
 * a gradient handed to a user (`p.grad`) stays theirs after zeroGrad. `takeFreeBuffer` hands
 * arrays out again zero-filled, like a new array.
 *
 * Misuse is loud, not silent: releasing an array that is already free throws (two owners gave it
 * back, so two tensors would soon share it), and so does `Tensor.adopt` of an array that is free.
 * With `checkBuffers(true)` (tests; NNLAB_CHECK_BUFFERS=1), every adopted buffer is registered to
 * its tensor too, so that adopting one twice, or releasing one a tensor still holds, throws.
 *
 * The list keeps at most MAX_PER_SIZE arrays of one length and MAX_BYTES in all, so it never grows
 * past a few steps' worth of gradients.
 */
import type { FloatArray } from "./dtype";
import { fmtShape, sizeOf } from "./shape";

/** Shorter arrays live in the engine's young generation and cost next to nothing to allocate. */
const MIN_LENGTH = 32;
const MAX_PER_SIZE = 8;
const MAX_BYTES = 64 * 1024 * 1024;

const free64 = new Map<number, Float64Array[]>();
const free32 = new Map<number, Float32Array[]>();
let freeBytes = 0;

/**
 * An array from the free list, zero-filled unless `zero` is false (the caller overwrites every
 * element before anything reads it), or null when there is none of that dtype and length.
 */
export function takeFreeBuffer(float32: boolean, n: number, zero: boolean = true): FloatArray | null {
  if (n < MIN_LENGTH) return null;
  const list = float32 ? free32.get(n) : free64.get(n);
  const a = list === undefined ? undefined : list.pop();
  if (a === undefined) return null;
  freeBytes -= float32 ? n * 4 : n * 8;
  return zero ? a.fill(0) : a;
}

/** True when `a` waits in the free list (so nothing may hold it). */
export function isFreeBuffer(a: FloatArray): boolean {
  if (a.length < MIN_LENGTH) return false;
  const list = a instanceof Float32Array ? free32.get(a.length) : free64.get(a.length);
  return list !== undefined && (list as FloatArray[]).includes(a);
}

/**
 * Give back an array nothing else refers to (the caller's guarantee, checked where it is cheap).
 * `what` names the releasing code for the error message.
 */
export function releaseBuffer(a: FloatArray, what: string): void {
  const n = a.length;
  if (n < MIN_LENGTH) return;
  if (checking) {
    const owner = owners.get(a);
    if (owner !== undefined) {
      throw new Error(`${what}: releases a buffer of ${n} values that a tensor still holds (adopted by ${owner}); it would be reused under it.`);
    }
  }
  const bytes = a instanceof Float32Array ? n * 4 : n * 8;
  // A view into a larger buffer (a batch of a dataset, say) is not ours to reuse, unless the
  // buffer is one of our slabs (then the caller's guarantee covers the view as for a whole array).
  // An array whose buffer holds exactly its bytes is a whole array. Two accessor reads: in Node 20
  // a typed array's buffer/byteOffset/byteLength getters are calls, not field loads.
  const buffer = a.buffer;
  if (buffer.byteLength !== bytes && !slabs.has(buffer)) return;
  const list: FloatArray[] | undefined = a instanceof Float32Array ? free32.get(n) : free64.get(n);
  if (list?.includes(a)) {
    throw new Error(
      `${what}: releases a buffer of ${n} values that is already in the free list. Two owners gave it back, so two tensors ` +
        "would share it and one would silently change the other: a bug in nnlab, please report it with the code that ran.",
    );
  }
  if (freeBytes + bytes > MAX_BYTES) return;
  if (list === undefined) {
    if (a instanceof Float32Array) free32.set(n, [a]);
    else free64.set(n, [a as Float64Array]);
  } else if (list.length < MAX_PER_SIZE) list.push(a);
  else return;
  freeBytes += bytes;
}

/**
 * Fresh arrays of 65 bytes to SLAB_MAX_BYTES are views cut from a shared ArrayBuffer, as Node cuts
 * small Buffers from its Buffer.poolSize slab. V8 keeps a typed array of up to 64 bytes inside its
 * heap (cheap), but gives a larger one a backing store of its own, allocated outside the heap and
 * tracked for the garbage collector, several times dearer than a view (bench/NOTES.md). The
 * weight-decay loop makes about ten such arrays a step.
 *
 * The price: a slab is freed only when every array cut from it is garbage, so a long-lived small
 * tensor can keep up to SLAB_BYTES alive. A slab is fresh memory, so its arrays come zeroed; they
 * go back to the free list like whole arrays (a released one keeps its slab alive while it waits).
 */
const SLAB_BYTES = 64 * 1024;
const SLAB_MAX_BYTES = 4096;
let slab: ArrayBuffer | null = null;
/** Every slab still referenced, so that `releaseBuffer` can tell our views from a user's. */
const slabs = new WeakSet<ArrayBufferLike>();
let slabUsed = SLAB_BYTES;

/** A new zero-filled array (not from the free list). */
export function newBuffer(float32: boolean, n: number): FloatArray {
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

/** Empty the free list (tests; or to hand the memory back after training a large model). */
export function clearFreeList(): void {
  free64.clear();
  free32.clear();
  freeBytes = 0;
}

// ----- checked mode ------------------------------------------------------------------------------
// Off by default: registering every op's output costs a WeakMap store, a few percent of a small
// training step. Tests turn it on to show that each misuse throws.
let checking = typeof process !== "undefined" && process.env?.NNLAB_CHECK_BUFFERS === "1";
/** Which tensor (described) adopted each buffer that could be released (MIN_LENGTH and longer). */
let owners = new WeakMap<FloatArray, string>();

/** Turn the ownership register on or off (off forgets what it knew). Returns the previous setting. */
export function checkBuffers(on: boolean): boolean {
  const before = checking;
  checking = on;
  if (!on) owners = new WeakMap();
  return before;
}

/** Called by releaseStorage: the tensor that adopted `data` gives it up. */
export function noteDisowned(data: FloatArray): void {
  if (checking) owners.delete(data);
}

/** Called by Tensor.adopt: `data` becomes the storage of a tensor of shape `shape`. */
export function noteAdopted(data: FloatArray, shape: readonly number[]): void {
  if (isFreeBuffer(data)) {
    throw new Error(
      `Tensor.adopt: the buffer of ${data.length} values is in the free list (it was released); a tensor on it would be overwritten by the next op.`,
    );
  }
  if (!checking) return;
  if (data.length !== sizeOf(shape)) throw new RangeError(`Tensor.adopt: ${data.length} values cannot have shape ${fmtShape(shape)}.`);
  if (data.length < MIN_LENGTH) return;
  const owner = owners.get(data);
  if (owner !== undefined) {
    throw new Error(
      `Tensor.adopt: the buffer of ${data.length} values already belongs to ${owner}; two tensors on one buffer change each other. Copy it (data.slice()) first.`,
    );
  }
  owners.set(data, `a tensor of shape ${fmtShape(shape)}`);
}
