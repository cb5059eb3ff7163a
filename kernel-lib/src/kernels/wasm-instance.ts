/**
 * The lifecycle the small SIMD kernels (relu, SGD, pooling, convolution) share: build the module
 * from its function definitions once, compile it under the optimising flags (withCompilerFlags),
 * call each export once with no work so that V8 compiles it then, and give up quietly (null: the
 * caller keeps its JavaScript loop) where WebAssembly SIMD is missing or anything fails.
 */
import { buildModule, type FunctionDef } from "./wasm-emit";
import { wasmSimdAvailable, withCompilerFlags } from "./gemm-wasm";

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

export function instantiateKernels<K extends { memory: WasmMemory }>(
  functions: () => FunctionDef[],
  pages: number,
  pick: (exports: Record<string, unknown>) => K,
  warm: (kernels: K) => void,
): K | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api || !wasmSimdAvailable()) return null;
  try {
    const bytes = buildModule(functions(), pages);
    return withCompilerFlags(() => {
      const { exports } = new api.Instance(new api.Module(bytes), {});
      const k = pick(exports);
      warm(k);
      return k;
    });
  } catch {
    return null;
  }
}

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
