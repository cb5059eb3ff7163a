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
import { gemmFunctions, lanesOf, type KernelShape } from "./gemm-wasm-module";
import { gemmRange, packSpace, type DtypeKernels, type GemmLayout } from "./gemm-part";
import { GemmThreads, MAX_THREADS, splitProduct, type Rect } from "./gemm-threads";
import { defineKernel, warnFallback } from "./wasm-kernel";
import { reserve } from "./wasm-memory";
import { wasmApi, wasmFeatures, type WasmFeatures, type WasmMemory } from "./wasm-features";

interface Kernels {
  memory: WasmMemory;
  fma: boolean;
  f64: DtypeKernels;
  f32: DtypeKernels;
  /** Views of the memory, renewed when it grows. */
  view64: Float64Array;
  view32: Float32Array;
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

let kernels: Kernels | undefined;

/** The export names of each dtype's kernels (the workers look them up too). */
const exportNames = {
  f64: { macro: "gemm_f64", packA: `pack_f64_${F64.mr}`, packB: `pack_f64_${F64.nrv * lanesOf("f64")}` },
  f32: { macro: "gemm_f32", packA: `pack_f32_${F32.mr}`, packB: `pack_f32_${F32.nrv * lanesOf("f32")}` },
};

/** The macro-kernels and packers, with relaxed SIMD's fused multiply-add where the engine has it. */
const gemmKernel = defineKernel<Kernels>({
  name: "gemm",
  functions: (f) => gemmFunctions({ ...F64, fma: f.relaxedSimd }, { ...F32, fma: f.relaxedSimd }),
  pages: 16,
  exports: (e, f) => {
    const fns = (n: Record<keyof DtypeKernels, string>): DtypeKernels => ({
      macro: e[n.macro] as DtypeKernels["macro"],
      packA: e[n.packA] as DtypeKernels["packA"],
      packB: e[n.packB] as DtypeKernels["packB"],
    });
    return {
      memory: e.memory as WasmMemory, fma: f.relaxedSimd, f64: fns(exportNames.f64), f32: fns(exportNames.f32),
      view64: new Float64Array(0), view32: new Float32Array(0),
    };
  },
  // Tiny products over the zeroed memory, with strided and contiguous packing.
  warm: (k) => {
    for (const d of [k.f64, k.f32]) {
      d.macro(1, 1, 1, 0, 0, 1024, 64, 1);
      d.macro(1, 1, 1, 0, 0, 1024, 64, 0);
      for (const pack of [d.packA, d.packB]) {
        pack(0, 8, 8, 9, 2, 512);
        pack(0, 16, 8, 9, 2, 512);
      }
    }
  },
});

/**
 * Which multiply-add the loaded kernels use: "fma" (relaxed SIMD's fused multiply-add: half the
 * arithmetic instructions, ~1.3× faster; Node ≥ 22, or Node 20 with NNLAB_WASM_V8_FLAGS=1) or
 * "mul+add" where the engine lacks it.
 */
export function wasmKernelVariant(): "fma" | "mul+add" {
  return load().fma ? "fma" : "mul+add";
}

/**
 * Reloads the kernels with the given multiply-add (for tests and benchmarks: the
 * "mul+add" kernels are what engines without relaxed SIMD run).
 */
export function setWasmKernelVariant(variant: "fma" | "mul+add"): void {
  const features = wasmFeatures();
  if (variant === "fma" && !features.relaxedSimd) {
    throw new Error(
      "setWasmKernelVariant(\"fma\"): this engine has no WebAssembly relaxed SIMD (Node 20 has it with NNLAB_WASM_V8_FLAGS=1); use \"mul+add\"",
    );
  }
  kernels = instantiate({ ...features, relaxedSimd: variant === "fma" });
}

function load(): Kernels {
  if (!kernels) kernels = instantiate(wasmFeatures());
  return kernels;
}

function instantiate(features: WasmFeatures, shared?: WasmMemory): Kernels {
  if (!features.simd) {
    throw new Error("gemm: WebAssembly SIMD is not available in this JavaScript engine; call setKernelBackend(\"plain\")");
  }
  const { kernels: k, module } = gemmKernel.instantiate(features, shared ? { shared, maximum: SHARED_MAX_PAGES } : undefined);
  modules.set(k, module);
  return k;
}

/** The compiled module behind each set of kernels: workers instantiate the same one. */
const modules = new WeakMap<Kernels, object>();

/** Makes the memory at least `byteLength` long and refreshes the typed views; false if it cannot grow. */
function reserveViews(k: Kernels, byteLength: number): boolean {
  if (!reserve(k, byteLength)) return false;
  const memory = k.memory;
  if (k.view64.buffer !== memory.buffer) {
    k.view64 = new Float64Array(memory.buffer);
    k.view32 = new Float32Array(memory.buffer);
  }
  return true;
}

/** The shared memory's maximum (it must declare one): the 2 GiB that i32 addresses reach. */
const SHARED_MAX_PAGES = 32768;

const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;

// ----- threads ------------------------------------------------------------------------------

/**
 * Products of at least this many multiply-adds are split across threads: 2²⁰ (e.g. 64×128×128) in
 * float64, 2²² (e.g. 64×256×256) in float32. Below, the wake-up of a sleeping worker and the
 * copies into shared memory (a relaxed memcpy, ~2× slower than a plain one: 800 KB in 71 µs
 * against 34 here) cost more than the halved arithmetic; float32 products, twice as fast to
 * multiply for the same copies, need to be larger before threads pay.
 *
 * Measured on the 2-core VM this was tuned on, whose timings vary ±20% from run to run. In
 * isolation (bench/threads.mjs, best of 12 interleaved runs) two threads against one: 0.5-0.7× at
 * 32×64·64×32 and 64³; float64 1.1-1.2× at 64×256·256×64 and 128³, float32 0.8-0.9× there;
 * 1.2-1.8× from 256³ up. Inside training, where it counts (a 784-128-10 MLP's epoch, blocks of
 * batches alternated between the two settings in one process, median ratio of 150 pairs): its
 * 64×784·784×128 products and their gradients on two threads made a batch 0.78× as long in
 * float64 and 0.92× in float32. Rerun both to retune this on another machine.
 */
let threadMinWork64 = 1 << 20;
let threadMinWork32 = 1 << 22;

/** @internal Products of at least `work` multiply-adds go to the threads, both dtypes (tests force small ones through). */
export function setThreadMinWork(work: number, float32Work: number = work): void {
  threadMinWork64 = work;
  threadMinWork32 = float32Work;
}

function defaultThreads(): number {
  const env = typeof process !== "undefined" ? process.env?.NNLAB_THREADS : undefined;
  if (env !== undefined && env !== "") {
    const n = Number(env);
    if (Number.isInteger(n) && n >= 1) return Math.min(n, MAX_THREADS);
  }
  try {
    const os = require("node:os") as { availableParallelism?: () => number; cpus(): unknown[] };
    return Math.min(os.availableParallelism ? os.availableParallelism() : os.cpus().length, 4);
  } catch {
    return 1;
  }
}

let threadsWanted: number | undefined;
/** The shared-memory kernels and the workers; null where they cannot run (no worker_threads, Deno, a browser). */
let threaded: { kernels: Kernels; pool: GemmThreads } | null | undefined;

/** How many threads large products use (1 = the main thread only). */
export function gemmThreads(): number {
  if (threadsWanted === undefined) threadsWanted = defaultThreads();
  return threadsWanted;
}

/**
 * Sets how many threads large products use: 1 keeps all work on the main thread. Results are
 * the same bit for bit whatever the count. The default is the machine's cores (at most 4), or
 * NNLAB_THREADS.
 */
export function setGemmThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new RangeError(`setNumThreads: expected a whole number of threads from 1 to ${MAX_THREADS}, got ${n}`);
  }
  threadsWanted = n;
  // Fewer threads than the running workers: leave the extra ones asleep (a worker takes tens of
  // ms to start, so switching back and forth must not restart them). More: start a larger pool.
  if (threaded && threaded.pool.threads < n) {
    threaded.pool.close();
    threaded = undefined;
  }
}

/** @internal Rectangles of products the worker threads have multiplied (0 when none run): for tests. */
export function workerRectCount(): number {
  return threaded ? threaded.pool.workerRects() : 0;
}

/** The threaded kernels, started on first use; null when threads are off or cannot start. */
function loadThreaded(): { kernels: Kernels; pool: GemmThreads } | null {
  if (threaded !== undefined) return threaded;
  threaded = null;
  const api = wasmApi();
  if (gemmThreads() < 2 || !api || !wasmFeatures().threads) return null;
  try {
    const memory = new api.Memory({ initial: 16, maximum: SHARED_MAX_PAGES, shared: true });
    const k = instantiate({ ...wasmFeatures(), relaxedSimd: load().fma }, memory);
    threaded = { kernels: k, pool: new GemmThreads(gemmThreads(), modules.get(k) as object, memory, exportNames) };
  } catch (e) {
    // Large products stay on the main thread: correct, without the other cores.
    warnFallback("gemm threads", e, "large products run on the calling thread only");
    threaded = null;
  }
  return threaded;
}

// ----- the product --------------------------------------------------------------------------

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
  const is64 = c instanceof Float64Array;
  const cfg = is64 ? F64 : F32;
  const es = is64 ? 8 : 4;
  const mr = cfg.mr, nr = cfg.nrv * lanesOf(cfg.dtype);
  const mPad = roundUp(m, mr), nPad = roundUp(n, nr);
  // Element indices of the regions, each 16-byte aligned; packing space follows, per thread.
  const aRaw = 0;
  const bRaw = aRaw + roundUp(m * k, 4);
  const cBase = bRaw + roundUp(k * n, 4);
  const scratchBase = cBase + mPad * nPad;
  const L: GemmLayout = { es, mr, nr, kc: cfg.kc, mc: cfg.mc, transA, transB, m, n, k, aRaw, bRaw, cBase, nPad, overwrite: !accumulate };

  const pool = m * n * k >= (is64 ? threadMinWork64 : threadMinWork32) && gemmThreads() > 1 ? loadThreaded() : null;
  const rects: Rect[] = pool ? splitProduct(L, Math.min(gemmThreads(), pool.pool.threads)) : [{ rowStart: 0, rowEnd: m, colStart: 0, colEnd: n }];
  const threads = rects.length;
  const { aLength, bLength } = pool ? GemmThreads.scratchFor(L, rects) : packSpace(L, n);
  const scratch = Array.from({ length: threads }, (_, t) => {
    const aPack = scratchBase + t * (aLength + bLength);
    return { aPack, bPack: aPack + aLength };
  });
  const bytes = (scratchBase + threads * (aLength + bLength)) * es;
  const kernels = pool ? pool.kernels : load();
  if (!reserveViews(kernels, bytes)) {
    // Beyond what 32-bit WebAssembly memory can address, or the engine refused to grow
    // it: correct, if slower, in JS.
    gemmPlain(transA, transB, m, n, k, a, aOffset, b, bOffset, c, cOffset, accumulate);
    return;
  }
  const mem = is64 ? kernels.view64 : kernels.view32;

  // Without accumulate the kernel stores its first k-block over C: nothing to load or zero.
  const loadC = (): void => {
    if (!accumulate) return;
    if (nPad === n) mem.set(c.subarray(cOffset, cOffset + m * n), cBase);
    else for (let i = 0; i < m; i++) mem.set(c.subarray(cOffset + i * n, cOffset + (i + 1) * n), cBase + i * nPad);
  };
  mem.set(a.subarray(aOffset, aOffset + m * k), aRaw);
  mem.set(b.subarray(bOffset, bOffset + k * n), bRaw);
  loadC();

  const f = is64 ? kernels.f64 : kernels.f32;
  if (!pool) gemmRange(f, L, 0, m, 0, n, scratch[0].aPack, scratch[0].bPack);
  else if (!pool.pool.run(kernels, L, rects, scratch)) {
    // A worker failed (it should not): redo the whole product here, and stop using threads.
    loadC();
    for (const r of rects) gemmRange(f, L, r.rowStart, r.rowEnd, r.colStart, r.colEnd, scratch[0].aPack, scratch[0].bPack);
    setGemmThreads(1);
  }

  if (nPad === n) c.set(mem.subarray(cBase, cBase + m * n), cOffset);
  else for (let i = 0; i < m; i++) c.set(mem.subarray(cBase + i * nPad, cBase + i * nPad + n), cOffset + i * n);
}
