/**
 * What this JavaScript engine's WebAssembly can do (SIMD, relaxed SIMD, threads), and the one
 * place where V8's flags may be set, all detected once.
 *
 * V8 flags are never set unless asked for: NNLAB_WASM_V8_FLAGS=1 in the environment, or
 * setWasmV8Flags(true) before the first kernel loads. Asked for, each kernel module is compiled
 * with V8's baseline compiler (Liftoff) and its loop unrolling off, and relaxed SIMD is enabled
 * where Node has it only behind a flag (Node 20); the two compiler flags are restored afterwards.
 * Why they can help: the kernels are entered a few times per product and run long, so V8's
 * call-count tier-up leaves them in slower baseline code for a while; and TurboFan issues every load
 * of an unrolled GEMM loop before its arithmetic, so the loads may no longer fit in the 16 XMM
 * registers beside the accumulators. That paid on the Xeon the GEMM was tuned on, and not on every
 * CPU since: `node bench/wasm-flags.mjs` says whether it pays on this one. Without the flags every
 * kernel but the GEMM gives the same bits; on Node 20 the GEMM then multiplies and adds in two
 * roundings instead of one fused step, as on any engine without relaxed SIMD.
 */
import { Func, buildModule } from "./wasm-emit";

/** The part of the WebAssembly JS API nnlab uses (lib "dom" is not in this package's tsconfig). */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (desc: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

export function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

export interface WasmFeatures {
  /** 128-bit SIMD (Node ≥ 16.4, current browsers): every nnlab kernel needs it. */
  simd: boolean;
  /** Relaxed SIMD's fused multiply-add (Node ≥ 22; Node 20 with the V8 flags asked for). */
  relaxedSimd: boolean;
  /** Shared memory and worker threads: the GEMM splits large products across threads. */
  threads: boolean;
  /** Whether V8's flags were asked for (NNLAB_WASM_V8_FLAGS=1 or setWasmV8Flags). */
  v8Flags: boolean;
}

let features: WasmFeatures | undefined;
let flagsWanted: boolean = envFlag();

function envFlag(): boolean {
  const v = typeof process !== "undefined" ? process.env?.NNLAB_WASM_V8_FLAGS : undefined;
  return v !== undefined && v !== "" && v !== "0";
}

/** A one-function module whose body is `body`, to ask the engine whether it validates. */
function probe(body: (f: Func) => void, shared = false): Uint8Array {
  const f = new Func("probe");
  body(f);
  return buildModule([f], shared ? { pages: 1, sharedMaximum: 1 } : { pages: 1 });
}

const SIMD = probe((f) => f.i32Const(0).v128Zero().v128Zero().f64x2Add().v128Store(0));
const RELAXED = probe((f) => f.i32Const(0).v128Zero().v128Zero().v128Zero().f64x2RelaxedMadd().v128Store(0));
const SHARED = probe(() => undefined, true);

/** The engine's WebAssembly features, detected on first use (after the V8 flags, if asked for). */
export function wasmFeatures(): WasmFeatures {
  if (features) return features;
  const api = wasmApi();
  const ok = (bytes: Uint8Array): boolean => {
    try {
      return api?.validate(bytes) ?? false;
    } catch {
      return false;
    }
  };
  let relaxedSimd = ok(RELAXED);
  if (!relaxedSimd && flagsWanted && setFlags("--experimental-wasm-relaxed-simd")) relaxedSimd = ok(RELAXED);
  const deno = (globalThis as { Deno?: unknown }).Deno !== undefined;
  features = {
    simd: ok(SIMD),
    relaxedSimd,
    threads: !deno && typeof SharedArrayBuffer !== "undefined" && ok(SHARED),
    v8Flags: flagsWanted,
  };
  return features;
}

/** True where the engine accepts WebAssembly 128-bit SIMD (Node ≥ 16.4, current browsers). */
export function wasmSimdAvailable(): boolean {
  return wasmFeatures().simd;
}

/**
 * Asks for (or stops asking for) V8's compiler flags when nnlab's kernels compile; the
 * NNLAB_WASM_V8_FLAGS environment variable sets the default. Affects kernels compiled from now on,
 * so call it before the first product.
 */
export function setWasmV8Flags(on: boolean): void {
  flagsWanted = on;
  features = undefined;
}

/** Sets V8 flags through node:v8; false outside Node. */
function setFlags(flags: string): boolean {
  try {
    (require("node:v8") as { setFlagsFromString(flags: string): void }).setFlagsFromString(flags);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `compile` (which compiles a kernel module and calls each export once, so that V8 compiles
 * it then) under the compiler flags when they were asked for, restoring V8's defaults afterwards.
 */
export function withCompilerFlags<T>(compile: () => T): T {
  if (!flagsWanted || !setFlags("--no-liftoff --no-wasm-loop-unrolling")) return compile();
  try {
    return compile();
  } finally {
    setFlags("--liftoff --wasm-loop-unrolling");
  }
}
