/**
 * The kernels' WebAssembly memory seen from JavaScript: growing it, laying regions out in it, and
 * typed views of it. Addresses passed to the kernels are i32 bytes.
 */
import type { WasmMemory } from "./wasm-features";

/** Byte addresses are i32 and compared signed: stay below 2 GiB (larger inputs take the plain path). */
export const MAX_WASM_BYTES: number = 2 ** 31 - 65536;

/** `bytes` rounded up to a whole 16-byte vector: where the next region may start. */
export const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** Grows `memory` to at least `bytes`; false when it cannot grow (the caller falls back). */
export function ensureMemory(memory: WasmMemory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (have >= bytes) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / 65536));
    return true;
  } catch {
    return false;
  }
}

/** ensureMemory for a kernel's memory, within the 2 GiB that i32 addresses reach. */
export function reserve(k: { memory: WasmMemory }, bytes: number): boolean {
  return bytes <= MAX_WASM_BYTES && ensureMemory(k.memory, bytes);
}

type Float = Float64Array | Float32Array;

/** A view of `length` elements of `like`'s dtype at byte `byteOffset` of `buffer`. */
export function floatView(like: Float, buffer: ArrayBufferLike, byteOffset: number, length: number): Float {
  return like instanceof Float32Array ? new Float32Array(buffer, byteOffset, length) : new Float64Array(buffer, byteOffset, length);
}

type FloatView = Float32Array | Float64Array;

/**
 * Views of one array (a WebAssembly memory's) by start and length, made once and kept: a new
 * typed-array view costs ~0.15 µs, as much as copying a few hundred floats through it, and the
 * small kernels copy in and out of the same places step after step. At most MAX_WINDOWS are kept
 * (a model has a few shapes, not hundreds); a memory that grows needs a new Windows.
 */
export class Windows<A extends FloatView> {
  private readonly kept = new Map<number, A>();
  constructor(readonly base: A) {}

  /** base[start, start + length) as a view. */
  get(start: number, length: number): A {
    if (start === 0 && length === this.base.length) return this.base;
    // start·2²⁴ + length is exact in a double below 2⁵³ (start < 2²⁹, length < 2²⁴).
    const key = length < 0x1000000 ? start * 0x1000000 + length : -1;
    let v = key >= 0 ? this.kept.get(key) : undefined;
    if (v === undefined) {
      v = this.base.subarray(start, start + length) as A;
      if (key >= 0) {
        if (this.kept.size >= MAX_WINDOWS) this.kept.clear();
        this.kept.set(key, v);
      }
    }
    return v;
  }
}
const MAX_WINDOWS = 64;
