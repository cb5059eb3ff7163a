/**
 * GEMM through the WebAssembly SIMD kernels: loads the module, copies the operands into
 * its memory, packs and multiplies there, and copies C back.
 *
 * WebAssembly cannot see JS typed arrays, so its memory holds five regions:
 *   [ A as stored | B as stored | packed A block (MC×KC) | packed B block (KC×nPad) | C (mPad×nPad) ]
 * The copies in are memcpy (TypedArray.set); the packers then read A and B with their
 * strides (this is where transA/transB are handled). C is kept padded to whole tiles so
 * the macro-kernel never handles edges; only the real m×n part is copied in (when
 * accumulating) and out.
 */
import type { FloatArray } from "./pack";
import { checkGemmArgs } from "./gemm-args";
import { gemmPlain } from "./gemm-plain";
import { gemmModuleBytes, lanesOf, type KernelShape } from "./gemm-wasm-module";

/** The part of the WebAssembly JS API used here (lib "dom" is not in this package's tsconfig). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
type MacroKernel = (kc: number, mPanels: number, nPanels: number, ap: number, bp: number, cp: number, ldcBytes: number) => void;
/** pack(src, rowStrideBytes, colStrideBytes, rows, kc, dst): see packKernel in gemm-wasm-module.ts. */
type Packer = (src: number, rs: number, cs: number, count: number, kc: number, dst: number) => void;
interface Kernels {
  memory: WasmMemory;
  fma: boolean;
  f64: { macro: MacroKernel; packA: Packer; packB: Packer };
  f32: { macro: MacroKernel; packA: Packer; packB: Packer };
}

interface Blocking extends KernelShape {
  /** k-block: a B micro-panel (KC·NR values, 8 KiB) stays in L1. */
  kc: number;
  /** m-block: the packed A block (MC·KC values) stays in L2 while B panels stream by. */
  mc: number;
}

// Measured with kernel-lib/scripts/tune-gemm.mjs (Xeon, Node 20, a busy 2-core VM): tiles
// 4×4 (f64) and 4×8 (f32) keep 8 accumulators, 2 B vectors and the A broadcasts in
// registers and reach up to ~21 / ~43 GFLOP/s with fma (the 128-bit FMA peak); 3×6 is no
// faster, 6×4 and 4×6 spill. Blocks from KC 64–512 × MC 32–256 were within noise of each
// other at n = 1024 (~18 f64 / ~40 f32): KC = 256, MC = 64 sit in the middle.
const F64: Blocking = { dtype: "f64", mr: 4, nrv: 2, kc: 256, mc: 64, fma: false };
const F32: Blocking = { dtype: "f32", mr: 4, nrv: 2, kc: 256, mc: 64, fma: false };

let simdBytes: Uint8Array | undefined;
let available: boolean | undefined;
let kernels: Kernels | undefined;
let view64 = new Float64Array(0);
let view32 = new Float32Array(0);

function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/** True where the engine accepts WebAssembly 128-bit SIMD (Node ≥ 16.4, current browsers). */
export function wasmSimdAvailable(): boolean {
  if (available === undefined) {
    const api = wasmApi();
    simdBytes = gemmModuleBytes(F64, F32);
    available = api !== undefined && api.validate(simdBytes);
  }
  return available;
}

/**
 * Which multiply-add the loaded kernels use: "fma" (relaxed SIMD's fused multiply-add:
 * half the arithmetic instructions, ~1.3× faster) or "mul+add" where the engine lacks it.
 */
export function wasmKernelVariant(): "fma" | "mul+add" {
  return load().fma ? "fma" : "mul+add";
}

/**
 * Reloads the kernels with the given multiply-add (for tests and benchmarks: the
 * "mul+add" kernels are what engines without relaxed SIMD run).
 */
export function setWasmKernelVariant(variant: "fma" | "mul+add"): void {
  const k = instantiate(variant === "fma");
  if (variant === "fma" && !k.fma) {
    throw new Error("setWasmKernelVariant(\"fma\"): this engine has no WebAssembly relaxed SIMD; use \"mul+add\"");
  }
  kernels = k;
}

function load(): Kernels {
  if (!kernels) kernels = instantiate(true);
  return kernels;
}

function instantiate(preferFma: boolean): Kernels {
  const api = wasmApi();
  if (!wasmSimdAvailable() || !api || !simdBytes) {
    throw new Error("gemm: WebAssembly SIMD is not available in this JavaScript engine; call setKernelBackend(\"plain\")");
  }
  const plainSimd = simdBytes;
  return withCompilerFlags((relaxedFlag) => {
    const fmaBytes = gemmModuleBytes({ ...F64, fma: true }, { ...F32, fma: true });
    // Relaxed SIMD ships in Node 22 (V8 12); Node 20 has it behind a V8 flag.
    let fma = preferFma && api.validate(fmaBytes);
    if (preferFma && !fma && relaxedFlag()) fma = api.validate(fmaBytes);
    const { exports } = new api.Instance(new api.Module(fma ? fmaBytes : plainSimd), {});
    const fns = (b: Blocking): Kernels["f64"] => ({
      macro: exports[`gemm_${b.dtype}`] as MacroKernel,
      packA: exports[`pack_${b.dtype}_${b.mr}`] as Packer,
      packB: exports[`pack_${b.dtype}_${b.nrv * lanesOf(b.dtype)}`] as Packer,
    });
    const k: Kernels = { memory: exports.memory as WasmMemory, fma, f64: fns(F64), f32: fns(F32) };
    // V8 compiles lazily, at the first call: make each first call while the flags are set
    // (tiny products over the zeroed memory, with strided and contiguous packing).
    for (const d of [k.f64, k.f32]) {
      d.macro(1, 1, 1, 0, 0, 1024, 64);
      for (const pack of [d.packA, d.packB]) {
        pack(0, 8, 8, 9, 2, 512);
        pack(0, 16, 8, 9, 2, 512);
      }
    }
    return k;
  });
}

/**
 * Runs `compile` with V8 told to (1) skip its baseline compiler, Liftoff, and (2) not
 * unroll wasm loops, then restores the defaults so other modules are unaffected.
 * (1): the kernels are entered only a few times per product, each call running long, so
 * V8's call-count tier-up would leave them in Liftoff code ~4× slower for a long while.
 * (2): TurboFan issues every load of an unrolled body before the arithmetic; the doubled
 * loads no longer fit in the 16 XMM registers beside the accumulators, and the spills
 * cost ~30% (measured with bench/matmul.mjs). It also offers the relaxed-SIMD flag to
 * `compile`, for engines that have fused multiply-add only behind it. Outside Node (no
 * node:v8) the kernels still work, only slower.
 */
export function withCompilerFlags<T>(compile: (enableRelaxedSimd: () => boolean) => T): T {
  let setFlags: ((flags: string) => void) | undefined;
  try {
    setFlags = (require("node:v8") as { setFlagsFromString(flags: string): void }).setFlagsFromString;
  } catch {
    return compile(() => false);
  }
  const set = setFlags;
  set("--no-liftoff --no-wasm-loop-unrolling");
  try {
    // Left on afterwards: it only adds instructions, and V8 may re-validate our module later.
    return compile(() => (set("--experimental-wasm-relaxed-simd"), true));
  } finally {
    set("--liftoff --wasm-loop-unrolling");
  }
}

/** Makes the memory at least `byteLength` long and refreshes the typed views; false if it cannot grow. */
function reserve(memory: WasmMemory, byteLength: number): boolean {
  const have = memory.buffer.byteLength;
  if (have < byteLength) {
    try {
      memory.grow(Math.ceil((byteLength - have) / 65536));
    } catch {
      return false;
    }
  }
  if (view64.buffer !== memory.buffer) {
    view64 = new Float64Array(memory.buffer);
    view32 = new Float32Array(memory.buffer);
  }
  return true;
}

/** Byte addresses are passed as i32: stay below 2 GiB so none turns negative. */
const MAX_BYTES = 2 ** 31 - 65536;

const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;

/** Same contract as `gemm`, through WebAssembly whatever the size. */
export function gemmWasm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: FloatArray, aOffset: number, b: FloatArray, bOffset: number,
  c: FloatArray, cOffset: number, accumulate: boolean,
): void {
  checkGemmArgs("gemm", transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset);
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) c.fill(0, cOffset, cOffset + m * n);
    return;
  }
  const kernels = load();
  const is64 = c instanceof Float64Array;
  const cfg = is64 ? F64 : F32;
  const { macro, packA, packB } = is64 ? kernels.f64 : kernels.f32;
  const es = is64 ? 8 : 4;
  const mr = cfg.mr, nr = cfg.nrv * lanesOf(cfg.dtype);
  const kcMax = Math.min(cfg.kc, k);
  const mcMax = roundUp(Math.min(cfg.mc, m), mr);
  const mPad = roundUp(m, mr), nPad = roundUp(n, nr);
  // Element indices of the regions, each 16-byte aligned.
  const aRaw = 0;
  const bRaw = aRaw + roundUp(m * k, 4);
  const aPack = bRaw + roundUp(k * n, 4);
  const bPack = aPack + mcMax * kcMax;
  const cBase = bPack + kcMax * nPad;
  const bytes = (cBase + mPad * nPad) * es;
  if (bytes > MAX_BYTES || !reserve(kernels.memory, bytes)) {
    // Beyond what 32-bit WebAssembly memory can address, or the engine refused to grow
    // it: correct, if slower, in JS.
    gemmPlain(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
    return;
  }
  const mem = is64 ? view64 : view32;

  mem.set(a.subarray(aOffset, aOffset + m * k), aRaw);
  mem.set(b.subarray(bOffset, bOffset + k * n), bRaw);
  if (!accumulate) mem.fill(0, cBase, cBase + mPad * nPad);
  else if (nPad === n) mem.set(c.subarray(cOffset, cOffset + m * n), cBase);
  else for (let i = 0; i < m; i++) mem.set(c.subarray(cOffset + i * n, cOffset + (i + 1) * n), cBase + i * nPad);

  // op(A)(i, p) is at aRaw + i·aRs + p·aCs, op(B)(p, j) at bRaw + p·bRs + j·bCs (elements).
  const aRs = transA ? 1 : k, aCs = transA ? m : 1;
  const bRs = transB ? 1 : n, bCs = transB ? k : 1;
  for (let p0 = 0; p0 < k; p0 += cfg.kc) {
    const kc = Math.min(cfg.kc, k - p0);
    // B's panels run along j: its "rows" for the packer are the columns of op(B).
    packB((bRaw + p0 * bRs) * es, bCs * es, bRs * es, n, kc, bPack * es);
    for (let i0 = 0; i0 < m; i0 += cfg.mc) {
      const mc = Math.min(cfg.mc, m - i0);
      packA((aRaw + i0 * aRs + p0 * aCs) * es, aRs * es, aCs * es, mc, kc, aPack * es);
      macro(kc, Math.ceil(mc / mr), nPad / nr, aPack * es, bPack * es, (cBase + i0 * nPad) * es, nPad * es);
    }
  }

  if (nPad === n) c.set(mem.subarray(cBase, cBase + m * n), cOffset);
  else for (let i = 0; i < m; i++) c.set(mem.subarray(cBase + i * nPad, cBase + i * nPad + n), cOffset + i * n);
}
