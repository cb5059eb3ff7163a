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
